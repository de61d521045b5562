package emulate

import (
	"time"

	"github.com/nbsim/nbsim/epc/mme"
)

// restartableCore is the emulation's MME as the model sees it; it can
// restart (the timeline's core_restart, POST /api/network
// {"core_restart": true}): the MME is replaced by one without UE contexts
// (mme.MME.Restarted). A device idle at the restart still holds its S1 UE
// ID in the model, which keeps it across idle periods; its next NAS
// message, under an ID the new MME never issued, is taken as a new S1
// connection (as an eNodeB's Initial UE Message makes one), so the new MME
// answers its TAU or service request with cause #9 and it attaches again.
// Engine goroutine only.
type restartableCore struct {
	*mme.MME
	issued   mme.UEID // the highest ID handed out
	boundary mme.UEID // IDs up to this one came from an MME before the last restart
	ids      map[mme.UEID]mme.UEID
	restarts int
}

func (c *restartableCore) Connect() mme.UEID {
	id := c.MME.Connect()
	c.issued = max(c.issued, id)
	return id
}

// restart replaces the MME by its restarted self.
func (c *restartableCore) restart() {
	c.MME = c.MME.Restarted()
	c.boundary = c.issued
	c.ids = map[mme.UEID]mme.UEID{}
	c.restarts++
}

// id translates an ID from before the last restart (create: into a new S1
// connection if it has none yet); ok is false for an old ID without one.
func (c *restartableCore) id(id mme.UEID, create bool) (mme.UEID, bool) {
	if c.restarts == 0 || id > c.boundary {
		return id, true
	}
	if v, ok := c.ids[id]; ok {
		return v, true
	}
	if !create {
		return 0, false
	}
	v := c.Connect()
	c.ids[id] = v
	return v, true
}

func (c *restartableCore) HandleNAS(id mme.UEID, b []byte, now time.Duration) []mme.Effect {
	v, _ := c.id(id, true)
	out := c.MME.HandleNAS(v, b, now)
	if v == id {
		return out
	}
	// Effects name the new MME's ID: the model knows the old one.
	for i, ef := range out {
		switch x := ef.(type) {
		case mme.SendNAS:
			x.UE = id
			out[i] = x
		case mme.Release:
			x.UE = id
			out[i] = x
		case mme.SetupContext:
			x.UE = id
			out[i] = x
		}
	}
	return out
}

func (c *restartableCore) Released(id mme.UEID, now time.Duration) {
	if v, ok := c.id(id, false); ok {
		c.MME.Released(v, now)
	}
}
