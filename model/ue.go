package model

import (
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/sim"
)

// Radio flags of a device (its life-cycle flags are device.Flags).
const (
	fCollided uint8 = 1 << iota // current Msg3 shares its grant with other devices
	fWinner                     // ... but wins by capture
	fPaging                     // a paging occasion is scheduled
	fFirstUL                    // next uplink leg is Msg5 (carries the NAS message of the access)
)

// ue is one device: its life cycle (device.UE, the state machine the model
// feeds and whose effects it carries out) and what the model keeps of its
// radio link, random access and connection. Kept small: a million of them
// must fit.
type ue struct {
	dev      device.UE
	rng      sim.Stream
	raStart  sim.Time // access trigger time (before barring and the wait for the first occasion)
	preFirst sim.Time // start of the procedure's first preamble transmission (TR 37.868 access delay origin)
	crDead   sim.Time // contention resolution deadline
	tmr      sim.Timer
	// tIdle is the inactivity timer or, in a live run only (elsewhere T3324
	// is lazy: no event), T3324: the device never runs both at once (T3324
	// runs in idle, the inactivity timer in the connected tail), so they
	// share a handle; execTimer checks it.
	tIdle   sim.Timer
	msgBLER float32
	cl      float32              // coupling loss to the serving cell, dB
	nbcl    [nNeighbours]float32 // coupling loss to the strongest other cells, dB
	nb      [nNeighbours]int32   // those cells, strongest first (-1: none)
	cell    int32
	group   uint16
	att     mac.Attempt
	flags   uint8
	ceBase  uint8 // CE level from RSRP
	step    uint8 // leg index within the access purpose's entry legs
	harq    uint8
	legKind uint8
	carrier uint8 // carrier of the last preamble, and of the connection that follows (0: anchor)
}

// nNeighbours is how many other cells a device's uplink interferes with:
// its strongest non-serving cells among the sectors of the 7 nearest sites.
// The rest of its power, left out, is on the shipped multi-site scenarios
// 3.5 % (smart-meters) and 12 % (scale-1m) of what reaches other cells,
// summed over devices (at most 0.6 dB of interference over thermal); see
// docs/model.md, Uplink interference.
const nNeighbours = 4

// Access purposes, by their device names.
const (
	pAttach = device.PurposeAttach
	pData   = device.PurposeData
	pTAU    = device.PurposeTAU
	pMT     = device.PurposeMT
)

// step gives device id one input and carries out its effects, in order.
// Carrying out an effect may step the device again (a release starts the
// next access): each depth has its own effect buffer.
func (n *Network) step(id int32, u *ue, in device.Input) {
	d := n.depth
	if d == len(n.fx) {
		n.fx = append(n.fx, make([]device.Effect, 0, 32))
	}
	n.depth++
	g := n.groups[u.group]
	buf := n.fx[d]
	fx := u.dev.Step(n.eng.Now(), &in, &g.dc, buf[:0])
	if cap(fx) > cap(buf) {
		n.fx[d] = fx // keep the grown buffer
	}
	n.apply(id, u, g, fx)
	n.depth--
}

// apply carries out effects of device id.
func (n *Network) apply(id int32, u *ue, g *group, fx []device.Effect) {
	for i := range fx {
		e := &fx[i]
		switch e.Kind { // the most frequent two, without a call
		case device.EffEnergy:
			g.stats.book(e)
		case device.EffMode:
		default:
			n.exec(id, u, g, e)
		}
	}
}

// exec carries out one effect of device id. Every device.EffectKind is
// handled; an unknown one is a programming error (see TestEveryEffectHandled).
func (n *Network) exec(id int32, u *ue, g *group, e *device.Effect) {
	now := n.eng.Now()
	s := &g.stats
	switch e.Kind {
	case device.EffEnergy:
		s.book(e)
	case device.EffMode:
		// The mode is the device's; its energy came as EffEnergy.
	case device.EffArm, device.EffCancel:
		n.execTimer(id, u, e)
	case device.EffAccess:
		if !e.Sync {
			n.beginRA(id, u)
			return
		}
		// Wake-up synchronisation before the random access.
		d := n.radio.syncTime(int(u.ceBase))
		if n.lte {
			d = 0
		}
		n.spend(u, device.Rx, d, g.prof.ReceiveMW)
		u.tmr = n.eng.After(d, n, kSynced, id)
	case device.EffContinue:
		n.advance(id, u)
	case device.EffSendUplink:
		n.sendUplink(id, u, g)
	case device.EffSendDownlink:
		n.sendDownlink(id, u, g)
	case device.EffRelease:
		n.release(id, u, e.ByENB)
	case device.EffPage:
		n.page(id, u, now)
	case device.EffPageAnswered:
		s.pages++
	case device.EffDrop, device.EffDropDownlink, device.EffDelivered, device.EffReceived:
		n.execData(id, u, g, e)
	case device.EffAccepted:
		if e.Purpose == pAttach {
			s.attaches++
			if e.At != 0 {
				s.attachTimes.add(float32(float64(now-(e.At-1))/1e6), n.live != nil)
			}
		} else {
			s.taus++
		}
		n.obs.registered(id)
	case device.EffDeregistered:
		n.obs.deregistered(id)
	case device.EffConnection:
		if e.Up {
			n.tot.connected++
		} else {
			n.tot.connected--
			n.signal.released(id, now)
		}
		n.obs.connection(id, e.Up)
	case device.EffPowerSaving:
		n.obs.powerSaving(id, e.Up)
	case device.EffDetach:
		n.signal.detach(n, id)
	case device.EffPoweredOff:
		u.flags &^= fPaging
		n.obs.poweredOff(id)
	default:
		panic("model: unhandled device effect " + e.Kind.String())
	}
}

// spend books an active interval (transmit or receive) of d at power mw.
func (n *Network) spend(u *ue, st device.State, d time.Duration, mw float64) {
	e := u.dev.Active(st, d, mw)
	n.groups[u.group].stats.book(&e)
}

// setMode moves device id to mode m (a step of its access procedure).
// It is the most frequent input and yields only energy and mode effects:
// they go in a buffer on the stack, not through step's.
func (n *Network) setMode(id int32, u *ue, m device.Mode) {
	var buf [4]device.Effect
	g := n.groups[u.group]
	in := device.Input{Kind: device.InRadio, Mode: m}
	n.apply(id, u, g, u.dev.Step(n.eng.Now(), &in, &g.dc, buf[:0]))
}

// execTimer arms or cancels one of the device's timers.
func (n *Network) execTimer(id int32, u *ue, e *device.Effect) {
	switch e.Kind {
	case device.EffArm:
		switch e.Timer {
		case device.T3324:
			if n.live != nil { // a live driver sees PSM entry at its time
				n.armIdle(u, e.At, kPSM, id)
			}
			// else lazy: the device enters PSM at its next input, or at the
			// end's flush (device.UE.Step)
		case device.T3412:
			n.eng.At(e.At, sim.Normal, n, kTAU, id) // lazy: never cancelled (see device.UE.ArmTAU)
		case device.TimerRetry:
			u.tmr = n.eng.At(e.At, sim.Normal, n, kRetryAttach, id)
		case device.TimerInactivity:
			if !n.replyFirst(u, e.At) {
				n.armIdle(u, e.At, kInactivity, id)
			}
		default:
			panic("model: device armed timer " + e.Timer.String())
		}
	case device.EffCancel:
		switch e.Timer {
		case device.T3324:
			if n.live != nil {
				n.eng.Cancel(u.tIdle)
			}
		case device.TimerInactivity:
			n.eng.Cancel(u.tIdle)
		case device.TimerRetry:
			n.eng.Cancel(u.tmr)
		case device.T3412:
			// lazy: the pending expiry finds the deadline moved
		default:
			panic("model: device cancelled timer " + e.Timer.String())
		}
	}
}

// replyFirst reports whether the inactivity timer, armed now to expire at
// at, is sure to be stopped before it expires, so that it needs no event:
// a server reply is on its way (a scenario run's device.UE.Await counts
// the replies with a kReply event, each scheduled at or before now to
// arrive replyDelay later) and arrives first. The timer runs only in the
// connected tail, and the reply, arriving there, continues the connection,
// whose next step stops it (device.UE.next). A live run arms it: there the
// application, not the model, says what it awaits. Without the event the
// order of every other event is the same: results are the same bytes.
func (n *Network) replyFirst(u *ue, at sim.Time) bool {
	return n.live == nil && u.dev.Await > 0 && n.eng.Now()+sim.Time(n.replyDelay()) < at
}

// replyDelay is the time from a report's delivery to its reply's arrival
// at the core (execData).
func (n *Network) replyDelay() time.Duration { return 2*n.sigDelay + n.srvDelay }

// armIdle arms T3324 or the inactivity timer in their shared handle.
func (n *Network) armIdle(u *ue, at sim.Time, kind uint16, id int32) {
	if n.eng.Scheduled(u.tIdle) {
		panic("model: T3324 and the inactivity timer armed at once")
	}
	u.tIdle = n.eng.At(at, sim.Normal, n, kind, id)
}

// execData books data sent, received or dropped.
func (n *Network) execData(id int32, u *ue, g *group, e *device.Effect) {
	now := n.eng.Now()
	s := &g.stats
	switch e.Kind {
	case device.EffDrop:
		switch e.Cause {
		case device.DropBufferFull, device.DropOutOfCoverage, device.DropAccessFailure:
			s.dropped += int64(e.N)
			s.drop(e.Cause.String(), int64(e.N))
			n.dropAt(id, e.N)
		}
		n.obs.lost(id, e.Cause, e.N, e.Attach)
	case device.EffDropDownlink:
		s.dropMT(e.Cause.String(), int64(e.N))
		n.obs.downlinkLost(id, e.Cause, e.N)
	case device.EffDelivered:
		// The report reaches the server one core transit later.
		s.delivered++
		s.latency.add(float32(float64(now+sim.Time(n.sigDelay)-e.At)/1e6), n.live != nil)
		if rp := g.cfg.Report.ReplyProbability; rp > 0 && u.rng.Float64() < rp {
			n.step(id, u, device.Input{Kind: device.InReplyExpected})
			n.eng.After(n.replyDelay(), n, kReply, id)
		}
	case device.EffReceived:
		n.obs.received(id)
		s.mtOK++
		s.mtLatency.add(float32(float64(now-e.At)/1e6), n.live != nil)
	}
}
