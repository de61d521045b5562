package model

import (
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/sim"
)

// mode is where a device is in its life cycle; each maps to a power state.
type mode uint8

const (
	mOff    mode = iota // not powered on yet
	mPSM                // registered, in power saving mode
	mIdle               // RRC idle, paging occasions at the granted (e)DRX
	mRAWait             // waking up / waiting for an NPRACH occasion or backoff
	mRAMon              // monitoring NPDCCH during the RAR window / contention resolution
	mActive             // RRC connected, a procedure leg under way
	mTail               // RRC connected, nothing to do: inactivity timer (and C-DRX)
)

// purpose is why a device accesses the network.
type purpose uint8

const (
	pNone   purpose = iota
	pAttach         // initial attach (TS 24.301 §5.5.1)
	pData           // mobile-originated report
	pTAU            // periodic tracking area update (TS 24.301 §5.5.3)
	pMT             // answer to paging for mobile-terminated data
)

// device flags
const (
	fOutOfCoverage uint16 = 1 << iota
	fRegistered
	fInAccess  // an access procedure (sync, RA) is under way
	fConnected // RRC connected
	fCollided  // current Msg3 shares its grant with other devices
	fWinner    // ... but wins by capture
	fRAI       // release assistance sent with the last uplink packet
	fPaging    // a paging occasion is scheduled
	fFirstUL   // next uplink leg is Msg5 (carries the NAS message of the access)
	fTAUArmed  // a kTAU event is pending (it may be stale: see onTAU)
)

// ue is one device's state. Kept small: a million of them must fit.
type ue struct {
	rng      sim.Stream
	energy   float64  // radio energy so far, mJ
	since    sim.Time // start of the interval not yet accounted
	excl     int64    // tx/rx time inside that interval already accounted (ns)
	tailAt   sim.Time // when the current tail began
	raStart  sim.Time // access trigger time
	attachAt sim.Time // first attempt of the attach under way (0: none)
	crDead   sim.Time // contention resolution deadline
	tmr      sim.Timer
	tInact   sim.Timer
	tPSM     sim.Timer
	tauDue   sim.Time   // when T3412 expires; 0 while it is stopped
	nextRep  sim.Time   // when the next periodic report is due (Forever: none)
	pend     []sim.Time // generation times of reports waiting to be sent
	dlq      []sim.Time // arrival times of downlink packets waiting for the device
	msgBLER  float32
	cl       float32    // coupling loss to the serving cell, dB
	nbcl     [2]float32 // coupling loss to the two strongest other cells
	nb       [2]int32
	cell     int32
	flags    uint16
	group    uint16
	att      mac.Attempt
	mode     mode
	ceBase   uint8 // CE level from RSRP
	purpose  purpose
	step     uint8 // leg index within the access purpose's entry legs
	harq     uint8
	await    uint8 // replies the server will send
	attachN  uint8 // failed attach attempts in a row
	legKind  uint8
}

// power returns the mode's average power (mJ/s) for the device's group.
func (n *Network) power(u *ue, m mode) float64 {
	g := n.groups[u.group]
	switch m {
	case mPSM:
		return g.prof.PSMMW
	case mIdle:
		return g.idleMW
	case mRAWait:
		return g.prof.IdleSleepMW
	case mRAMon, mActive, mTail:
		return g.prof.ConnectedMonitorMW
	}
	return 0
}

// account books the energy of the interval since the last accounting.
func (n *Network) account(u *ue, now sim.Time) {
	dt := int64(now-u.since) - u.excl
	u.since, u.excl = now, 0
	if dt <= 0 {
		return
	}
	g := n.groups[u.group]
	s := &g.stats
	switch u.mode {
	case mTail:
		// Monitoring for drx-InactivityTimer, then C-DRX (TS 36.321 §5.7).
		mon := dt
		if n.cdrx {
			left := int64(n.drxInact) - int64(now-sim.Time(dt)-u.tailAt)
			if left < 0 {
				left = 0
			}
			if mon > left {
				mon = left
			}
		}
		cd := dt - mon
		em := g.prof.ConnectedMonitorMW * float64(mon) / 1e9
		ec := g.cdrxMW * float64(cd) / 1e9
		u.energy += em + ec
		s.stateNS[device.Connected] += mon
		s.stateMJ[device.Connected] += em
		s.stateNS[device.CDRX] += cd
		s.stateMJ[device.CDRX] += ec
	default:
		p := n.power(u, u.mode)
		e := p * float64(dt) / 1e9
		u.energy += e
		st := modeState[u.mode]
		s.stateNS[st] += dt
		s.stateMJ[st] += e
	}
}

var modeState = [...]device.State{
	mOff: device.Off, mPSM: device.PSM, mIdle: device.Idle, mRAWait: device.Idle,
	mRAMon: device.Connected, mActive: device.Connected, mTail: device.Connected,
}

// setMode accounts the past interval and enters m.
func (n *Network) setMode(u *ue, m mode, now sim.Time) {
	n.account(u, now)
	if m == mTail && u.mode != mTail {
		u.tailAt = now
	}
	u.mode = m
}

// spend books an active interval (transmit or receive) of d at power mw.
func (n *Network) spend(u *ue, st device.State, d time.Duration, mw float64) {
	e := mw * d.Seconds()
	u.energy += e
	u.excl += int64(d)
	s := &n.groups[u.group].stats
	s.stateNS[st] += int64(d)
	s.stateMJ[st] += e
}
