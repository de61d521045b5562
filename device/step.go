package device

import (
	"time"

	"github.com/nbsim/nbsim/sim"
)

// InputKind names what happened to a device.
type InputKind uint8

const (
	InNone InputKind = iota
	// InPowerOn: switched on (scenario power-on, AT+CFUN=1): attach.
	InPowerOn
	// InPowerOff: switched off (AT+CFUN=0): at once if idle or asleep,
	// else when the connection ends (a DETACH REQUEST first if registered).
	InPowerOff
	// InReport: the application has a report to send.
	InReport
	// InDownlink: downlink data for the device reached the core.
	InDownlink
	// InReplyExpected: the server will answer the report just sent.
	InReplyExpected
	// InReplyArrived: the awaited answer reached the core (or the device).
	InReplyArrived
	// InTimer: Timer expired.
	InTimer
	// InPaged: a paging occasion with a page for the device.
	InPaged
	// InActive: a transmit or receive interval of Dur at MW (State Tx or
	// Rx), booked on top of the mode's power.
	InActive
	// InRadio: the access procedure moved the device to Mode (RA wait,
	// RA monitor, active leg).
	InRadio
	// InAccessOK: contention resolution succeeded: RRC connected.
	InAccessOK
	// InAccessFailed: the random-access procedure gave up.
	InAccessFailed
	// InAccepted: the purpose's NAS procedure completed (ATTACH ACCEPT,
	// TRACKING AREA UPDATE ACCEPT with the granted timers: see Config).
	InAccepted
	// InNotRegistered: nothing can be sent before registration: attach in
	// this connection.
	InNotRegistered
	// InDeregistered: the core lost the device (SERVICE REJECT or TAU
	// REJECT #9/#10, TS 24.301 §5.6.1.5): attach again in this connection.
	InDeregistered
	// InNext: the connection can take its next leg: send a report,
	// deliver held downlink, or decide on release.
	InNext
	// InUplinkSent: the oldest report went out, with the release
	// assistance RAI the application gave it (live).
	InUplinkSent
	// InDownlinkReceived: the oldest held downlink packet was delivered.
	InDownlinkReceived
	// InDownlinkDropped: the core dropped the oldest held packet.
	InDownlinkDropped
	// InReleased: RRC connection released.
	InReleased
	// InCoverage: the coupling loss crossed the maximum (Out: no cell).
	InCoverage
	// InHold: a NAS procedure gets no answer: stay connected, idle.
	InHold
	// InAbandon: the NAS procedure failed (Cause): the pending reports are
	// lost; Attach says whether it was an attach.
	InAbandon
	// InRetryLater: after a failed attach, T3411 before the next attempt
	// (unless switched off).
	InRetryLater
	// InRejected: ATTACH REJECT: no retry until powered on again.
	InRejected
	// InFlush: book the energy up to now (before a power setting changes).
	InFlush
	// InTAU: a registered device renegotiates its timers now (TS 24.301
	// §5.5.3.2.2: a TAU when the UE's PSM or eDRX wishes change).
	InTAU
	numInputs
)

var inputNames = [...]string{"none", "power-on", "power-off", "report", "downlink",
	"reply-expected", "reply-arrived", "timer", "paged", "active", "radio", "access-ok", "access-failed",
	"accepted", "not-registered", "deregistered", "next", "uplink-sent", "downlink-received",
	"downlink-dropped", "released", "coverage", "hold", "abandon", "retry-later", "rejected", "flush", "tau"}

func (k InputKind) String() string { return nameOf(inputNames[:], k, "input?") }

// RAIValue is the release assistance an application gives a packet
// (TS 24.301 §9.9.4.25: no information, no further data, only a single
// downlink expected).
type RAIValue uint8

const (
	RAINone RAIValue = iota
	RAINoFurther
	RAISingleDownlink
)

// Input is one thing that happened to a device. Only the fields of its
// Kind are read.
type Input struct {
	Kind   InputKind
	Timer  Timer     // InTimer
	Mode   Mode      // InRadio
	State  State     // InActive: Tx or Rx
	RAI    RAIValue  // InUplinkSent
	Out    bool      // InCoverage
	Busy   bool      // InCoverage: a timer of the device (an attach retry) is running
	Attach bool      // InAbandon
	Cause  DropCause // InAbandon
	Dur    time.Duration
	MW     float64 // InActive
}

// DropCause is why reports or downlink packets were dropped.
type DropCause uint8

const (
	DropNone            DropCause = iota
	DropBufferFull                // the device's report buffer was full (MaxPending)
	DropOutOfCoverage             // no cell to send on
	DropAccessFailure             // the random-access procedure gave up
	DropCoreUnreachable           // the core did not answer (live)
	DropAttachRejected            // the attach was rejected (live)
	DropPoweredOff                // switched off with reports pending (live)
	DropMTBufferFull              // the core's buffer for the device was full
	DropMTExpired                 // held longer than the core's buffer time
	numDropCauses
)

var dropNames = [...]string{"none", "ue_buffer_full", "out_of_coverage", "access_failure",
	"core-unreachable", "attach-rejected", "powered-off", "mt_buffer_full", "mt_buffer_expired"}

// String is the cause's name in results.json (drops_by_cause) and to a
// live driver.
func (c DropCause) String() string { return nameOf(dropNames[:], c, "cause?") }

// EffectKind names what a device asks its executor to do. The set is
// closed: an executor handles every kind (see AllEffectKinds) or fails.
type EffectKind uint8

const (
	EffNone EffectKind = iota
	// EffEnergy: book NS nanoseconds and MJ millijoules in State.
	EffEnergy
	// EffMode: the device is now in Mode (its power state changed).
	EffMode
	// EffArm: start Timer to expire at At. T3324's expiry need not be
	// delivered: Step enters PSM first when an input comes after it (see
	// Step); an executor delivers it when PSM entry must be seen at its
	// time (a live one).
	EffArm
	// EffCancel: stop Timer.
	EffCancel
	// EffAccess: start an access for Purpose; Sync: wake-up
	// synchronisation first (from PSM or power-on, TS 36.304 §5.2).
	EffAccess
	// EffContinue: the connection has work: run its next leg.
	EffContinue
	// EffSendUplink: send the oldest report (Purpose is now data).
	EffSendUplink
	// EffSendDownlink: deliver the oldest held downlink packet.
	EffSendDownlink
	// EffRelease: release the RRC connection; ByENB: the eNodeB asks
	// (inactivity) rather than the MME (RAI, TAU).
	EffRelease
	// EffPage: page the device in its next paging occasion.
	EffPage
	// EffPageAnswered: the device answers a page (an access follows).
	EffPageAnswered
	// EffDrop: N reports dropped for Cause; Attach: the access lost was an attach.
	EffDrop
	// EffDropDownlink: N held downlink packets dropped for Cause.
	EffDropDownlink
	// EffDelivered: a report generated at At was sent.
	EffDelivered
	// EffReceived: a downlink packet that arrived at At was delivered.
	EffReceived
	// EffAccepted: the Purpose's NAS procedure completed; At: when the
	// attach began (+1; 0 unless Purpose is attach).
	EffAccepted
	// EffDeregistered: the network dropped the registration.
	EffDeregistered
	// EffConnection: the RRC connection came up (Up) or went down.
	EffConnection
	// EffPowerSaving: the device entered (Up) or left PSM.
	EffPowerSaving
	// EffDetach: send DETACH REQUEST (switch off) to the core.
	EffDetach
	// EffPoweredOff: the device is off.
	EffPoweredOff
	numEffects
)

var effectNames = [...]string{"none", "energy", "mode", "arm", "cancel", "access", "continue",
	"send-uplink", "send-downlink", "release", "page", "page-answered", "drop", "drop-downlink",
	"delivered", "received", "accepted", "deregistered", "connection", "power-saving", "detach",
	"powered-off"}

func (k EffectKind) String() string { return nameOf(effectNames[:], k, "effect?") }

// AllEffectKinds lists every effect kind: an executor's test feeds each.
func AllEffectKinds() []EffectKind {
	out := make([]EffectKind, 0, numEffects-1)
	for k := EffNone + 1; k < numEffects; k++ {
		out = append(out, k)
	}
	return out
}

// Effect is one thing a device asks its executor to do. It is a value (a
// kind and the fields of that kind), not an interface: a device makes
// several per event and a million devices run, so effects must not
// allocate; the kind set is closed by the EffectKind constants.
type Effect struct {
	Kind    EffectKind
	Timer   Timer     // EffArm, EffCancel
	Mode    Mode      // EffMode
	State   State     // EffEnergy
	Purpose Purpose   // EffAccess, EffAccepted
	Cause   DropCause // EffDrop, EffDropDownlink
	Up      bool      // EffConnection, EffPowerSaving
	Sync    bool      // EffAccess
	ByENB   bool      // EffRelease
	Attach  bool      // EffDrop
	N       int32     // EffDrop, EffDropDownlink
	At      sim.Time  // EffArm, EffDelivered, EffReceived, EffAccepted
	NS      int64     // EffEnergy
	MJ      float64   // EffEnergy
}

// Step applies one input at time now and appends the device's effects to
// out, in the order the executor must carry them out.
//
// T3324 is lazy: when it expired at or before now and its expiry was not
// given as an input, the device first enters PSM as at the expiry (the
// idle interval booked up to it, then power-saving), then takes the input.
// Nothing but the device's own energy and mode happens at that expiry, so a
// simulation need not spend an event on it: T3324 runs once per connection.
func (d *UE) Step(now sim.Time, in *Input, c *Config, out []Effect) []Effect {
	if d.Flags&T3324Running != 0 && d.modeAt <= now && (in.Kind != InTimer || in.Timer != T3324) {
		out = d.timer(d.modeAt, T3324, c, out)
	}
	switch in.Kind {
	case InPowerOn, InPowerOff, InCoverage, InRejected, InRetryLater, InHold, InAbandon, InTAU, InFlush, InTimer:
		return d.life(now, in, c, out)
	case InReport, InDownlink, InReplyExpected, InReplyArrived, InPaged, InUplinkSent, InDownlinkReceived, InDownlinkDropped:
		return d.traffic(now, in, c, out)
	case InActive, InRadio, InAccessOK, InAccessFailed, InAccepted, InNotRegistered, InDeregistered, InNext, InReleased:
		return d.connection(now, in, c, out)
	}
	return out
}

// life takes the inputs of power, coverage, registration and timers.
func (d *UE) life(now sim.Time, in *Input, c *Config, out []Effect) []Effect {
	switch in.Kind {
	case InPowerOn:
		if d.Flags&PoweredOff == 0 {
			d.Flags &^= Offing
			if d.Flags&Rejected != 0 && d.Flags&(Registered|InAccess|RRCConnected) == 0 {
				// Rejected and not retrying: asked again, it attaches again.
				d.Flags &^= Rejected
				out = d.startAccess(now, PurposeAttach, c, out)
			}
			return out
		}
		d.Flags &^= PoweredOff | Offing | Rejected
		out = d.book(now, c, out)
		out = d.startAccess(now, PurposeAttach, c, out)
	case InPowerOff:
		if d.Flags&PoweredOff != 0 {
			return append(out, Effect{Kind: EffPoweredOff})
		}
		d.Flags |= Offing
		if d.Mode == ModeTail && d.Flags&RRCConnected != 0 {
			// Connected with nothing to do: the DETACH REQUEST goes now on
			// the connection, then the MME releases it (TS 24.301
			// §5.5.2.2.1, TS 23.401 §5.3.8.2.1), not the inactivity timer.
			out = d.stop(TimerInactivity, out)
			out = d.detach(out)
			return append(out, Effect{Kind: EffRelease, ByENB: false})
		}
		out = d.maybeOff(now, c, out)
	case InCoverage:
		was := d.Flags&OutOfCoverage != 0
		d.Flags &^= OutOfCoverage
		if in.Out {
			d.Flags |= OutOfCoverage
		}
		// Back in coverage, a device that is on but found no cell for its
		// attach (and has no retry timer running) finds the cell and attaches.
		if was && !in.Out && !in.Busy && d.Flags&(PoweredOff|Offing|Rejected|Registered|InAccess|RRCConnected) == 0 {
			out = d.startAccess(now, PurposeAttach, c, out)
		}
	case InRejected:
		d.Flags |= Rejected
		d.AttachAt = 0 // the next attach, at power-on, is timed from its own start
		out = append(out, Effect{Kind: EffDrop, Cause: DropAttachRejected, N: int32(c.Q().Len(d.Pend))})
		c.Q().Clear(&d.Pend)
	case InRetryLater:
		if d.Flags&PoweredOff == 0 {
			out = append(out, Effect{Kind: EffArm, Timer: TimerRetry, At: now + sim.Time(T3411Default)})
		}
	case InHold:
		out = d.setMode(now, ModeTail, c, out)
	case InAbandon:
		out = append(out, Effect{Kind: EffDrop, Cause: in.Cause, N: int32(c.Q().Len(d.Pend)), Attach: in.Attach})
		c.Q().Clear(&d.Pend)
	case InTAU:
		if d.Flags&Registered != 0 && d.Flags&PoweredOff == 0 {
			out = d.startAccess(now, PurposeTAU, c, out)
		}
	case InFlush:
		out = d.book(now, c, out)
	case InTimer:
		out = d.timer(now, in.Timer, c, out)
	}
	return out
}

// traffic takes the inputs of the data the device sends and receives.
func (d *UE) traffic(now sim.Time, in *Input, c *Config, out []Effect) []Effect {
	switch in.Kind {
	case InReport:
		out = d.report(now, c, out)
	case InDownlink:
		out = d.downlink(now, c, out)
	case InReplyExpected:
		d.Await++
	case InReplyArrived:
		if d.Await > 0 {
			d.Await--
		}
	case InPaged:
		if d.Mode == ModeIdle && c.Q().Len(d.DLQ) > 0 {
			out = append(out, Effect{Kind: EffPageAnswered})
			out = d.startAccess(now, PurposeMT, c, out)
		}
	case InUplinkSent:
		if c.Q().Len(d.Pend) > 0 {
			t0 := c.Q().PopFront(&d.Pend)
			switch in.RAI {
			case RAINoFurther:
				d.Flags |= RAI
			case RAISingleDownlink:
				d.Flags |= RAI
				d.Await++
			}
			out = append(out, Effect{Kind: EffDelivered, At: t0})
		}
		if c.Q().Len(d.Pend) == 0 && c.AutoRAI {
			d.Flags |= RAI
		}
		out = append(out, Effect{Kind: EffContinue})
	case InDownlinkReceived:
		if c.Q().Len(d.DLQ) > 0 {
			t0 := c.Q().PopFront(&d.DLQ)
			out = append(out, Effect{Kind: EffReceived, At: t0})
		}
		out = append(out, Effect{Kind: EffContinue})
	case InDownlinkDropped:
		if c.Q().Len(d.DLQ) > 0 {
			c.Q().DropFront(&d.DLQ, 1)
		}
		out = append(out, Effect{Kind: EffContinue})
	}
	return out
}

// connection takes the inputs of the access procedure and the RRC connection.
func (d *UE) connection(now sim.Time, in *Input, c *Config, out []Effect) []Effect {
	switch in.Kind {
	case InActive:
		out = append(out, d.Active(in.State, in.Dur, in.MW))
	case InRadio:
		out = d.setMode(now, in.Mode, c, out)
	case InAccessOK:
		d.Flags &^= InAccess
		d.Flags |= RRCConnected
		out = append(out, Effect{Kind: EffConnection, Up: true})
		d.AttachN = 0
		// EMM-CONNECTED: T3412 stops (TS 24.301 §5.3.5) and restarts at the
		// release. A TAU owed from an expiry during this access is not
		// made: the connection's NAS signalling tells the MME the device is
		// reachable, which is what the periodic TAU is for (its mobile
		// reachable timer stops too, TS 23.401 §4.3.5.2). A simplification:
		// a real UE would run the TAU in this connection.
		d.TAUDue = 0
		d.Flags &^= TAUPending
		out = d.setMode(now, ModeActive, c, out)
		out = append(out, Effect{Kind: EffContinue})
	case InAccessFailed:
		out = d.accessFailed(now, c, out)
	case InAccepted:
		switch d.Purpose {
		case PurposeAttach:
			d.Flags |= Registered
			out = append(out, Effect{Kind: EffAccepted, Purpose: PurposeAttach, At: d.AttachAt})
			d.AttachAt = 0
		case PurposeTAU:
			out = append(out, Effect{Kind: EffAccepted, Purpose: PurposeTAU})
		}
	case InNotRegistered:
		d.Purpose = PurposeAttach
	case InDeregistered:
		d.Flags &^= Registered
		out = append(out, Effect{Kind: EffDeregistered})
		d.Purpose = PurposeAttach
	case InNext:
		out = d.next(now, c, out)
	case InReleased:
		out = d.released(now, c, out)
	}
	return out
}

// Active is Step with InActive in its allocation-free form, for the input
// every transmission and reception gives: it books an active interval of
// dur at mw in State st (Tx or Rx) and returns the one effect, EffEnergy.
func (d *UE) Active(st State, dur time.Duration, mw float64) Effect {
	e := mw * dur.Seconds()
	d.Energy += e
	d.excl += int64(dur)
	return Effect{Kind: EffEnergy, State: st, NS: int64(dur), MJ: e}
}

// arm starts timer t (T3324 or the inactivity timer) to expire at at.
func (d *UE) arm(t Timer, at sim.Time, out []Effect) []Effect {
	d.Flags |= running(t)
	if t == T3324 {
		d.modeAt = at // the device is idle: see Step
	}
	return append(out, Effect{Kind: EffArm, Timer: t, At: at})
}

// stop cancels timer t (T3324 or the inactivity timer) if it runs: an
// effect only when there is something to stop.
func (d *UE) stop(t Timer, out []Effect) []Effect {
	if f := running(t); d.Flags&f != 0 {
		d.Flags &^= f
		out = append(out, Effect{Kind: EffCancel, Timer: t})
	}
	return out
}

func running(t Timer) Flags {
	if t == T3324 {
		return T3324Running
	}
	return InactivityRunning
}

// report queues a new report and starts what sends it.
func (d *UE) report(now sim.Time, c *Config, out []Effect) []Effect {
	if c.Q().Len(d.Pend) >= MaxPending {
		c.Q().DropFront(&d.Pend, 1)
		out = append(out, Effect{Kind: EffDrop, Cause: DropBufferFull, N: 1})
	}
	c.Q().Push(&d.Pend, now)
	switch {
	case d.Flags&RRCConnected != 0:
		if d.Mode == ModeTail {
			out = append(out, Effect{Kind: EffContinue})
		}
	case d.Flags&InAccess != 0:
		// joins the access under way
	case d.Flags&Registered == 0 && d.Mode == ModeOff:
		// not powered on yet: sent after attach
	case d.Flags&Registered == 0:
		out = d.startAccess(now, PurposeAttach, c, out)
	default:
		out = d.startAccess(now, PurposeData, c, out)
	}
	return out
}

// downlink takes downlink data arriving at the core for the device
// (TS 23.401 §5.3.4.3 network-triggered service request; TS 23.682 §5.13
// high-latency communication: held while the device sleeps).
func (d *UE) downlink(now sim.Time, c *Config, out []Effect) []Effect {
	if d.Flags&(RRCConnected|InAccess) == 0 && c.Q().Len(d.DLQ) >= c.BufferMax {
		// Packets held past the buffer time are gone before a new one is
		// judged against the buffer's size.
		if out = d.expireDL(now, c, out); c.Q().Len(d.DLQ) >= c.BufferMax {
			return append(out, Effect{Kind: EffDropDownlink, Cause: DropMTBufferFull, N: 1})
		}
	}
	c.Q().Push(&d.DLQ, now)
	switch {
	case d.Flags&RRCConnected != 0:
		if d.Mode == ModeTail {
			out = append(out, Effect{Kind: EffContinue})
		}
	case d.Flags&InAccess != 0:
	case d.Mode == ModeIdle:
		out = append(out, Effect{Kind: EffPage})
	}
	// PSM / off: held until the device next connects.
	return out
}

func (d *UE) timer(now sim.Time, t Timer, c *Config, out []Effect) []Effect {
	switch t {
	case T3324:
		d.Flags &^= T3324Running
		if d.Mode == ModeIdle {
			out = d.setMode(now, ModePSM, c, out)
			out = append(out, Effect{Kind: EffPowerSaving, Up: true})
		}
	case T3412:
		d.Flags &^= TAUArmed
		switch {
		case d.TAUDue == 0 || d.Flags&Registered == 0:
			// stopped
		case now < d.TAUDue:
			out = d.armTAU(d.TAUDue, out)
		case d.Flags&InAccess != 0:
			// Expired during an access (not yet connected): the TAU waits
			// for the access's outcome (TS 24.301 §5.3.5); see accessFailed.
			d.TAUDue = 0
			d.Flags |= TAUPending
		default:
			d.TAUDue = 0
			out = d.startAccess(now, PurposeTAU, c, out)
		}
	case TimerRetry:
		if d.Flags&(PoweredOff|Rejected|InAccess|RRCConnected) != 0 {
			break
		}
		switch {
		case d.Flags&Registered == 0:
			out = d.startAccess(now, PurposeAttach, c, out)
		case d.Flags&TAUPending != 0:
			out = d.startAccess(now, PurposeTAU, c, out)
		}
	case TimerInactivity:
		// The eNodeB's inactivity timer: it asks for the release (UE
		// Context Release Request, TS 36.413 §8.3.2), whatever the UE sent.
		d.Flags &^= InactivityRunning
		out = append(out, Effect{Kind: EffRelease, ByENB: true})
	}
	return out
}

// startAccess begins an access for p unless one is under way or the device
// is connected (then the new work joins the current connection).
func (d *UE) startAccess(now sim.Time, p Purpose, c *Config, out []Effect) []Effect {
	if d.Flags&(InAccess|RRCConnected) != 0 {
		return out
	}
	if d.Flags&OutOfCoverage != 0 {
		out = append(out, Effect{Kind: EffDrop, Cause: DropOutOfCoverage, N: int32(c.Q().Len(d.Pend)),
			Attach: p == PurposeAttach && d.Flags&Registered == 0})
		c.Q().Clear(&d.Pend)
		return out
	}
	d.Flags |= InAccess
	d.Purpose = p
	if p == PurposeAttach && d.AttachAt == 0 {
		d.AttachAt = now + 1 // +1: time 0 is a valid start
	}
	out = d.stop(T3324, out)
	if p == PurposeTAU {
		d.Flags &^= TAUPending
	}
	// T3412 keeps running: it stops only when the device enters
	// EMM-CONNECTED (TS 24.301 §5.3.5), at InAccessOK, so a failed access
	// leaves it as it was.
	sync := d.Mode == ModePSM || d.Mode == ModeOff
	if d.Mode == ModePSM && d.Flags&Registered != 0 {
		out = append(out, Effect{Kind: EffPowerSaving, Up: false})
	}
	out = d.setMode(now, ModeRAWait, c, out)
	return append(out, Effect{Kind: EffAccess, Purpose: p, Sync: sync})
}

// accessFailed ends an access procedure unsuccessfully.
func (d *UE) accessFailed(now sim.Time, c *Config, out []Effect) []Effect {
	d.Flags &^= InAccess
	out = append(out, Effect{Kind: EffDrop, Cause: DropAccessFailure, N: int32(c.Q().Len(d.Pend)),
		Attach: d.Flags&Registered == 0})
	c.Q().Clear(&d.Pend)
	if d.Flags&Offing != 0 {
		return d.maybeOff(now, c, out)
	}
	if d.Flags&Registered == 0 {
		// Attach attempt failed (TS 24.301 §5.5.1.2.6).
		out = d.setMode(now, ModePSM, c, out)
		return d.armRetry(now, out)
	}
	if d.Flags&TAUPending != 0 && d.Purpose != PurposeTAU {
		// T3412 expired during the access: back in NORMAL-SERVICE, the
		// periodic TAU starts now (TS 24.301 §5.3.5).
		return d.startAccess(now, PurposeTAU, c, out)
	}
	// Registered: back to idle. T3412 was not stopped (the device never
	// reached EMM-CONNECTED) and is not restarted.
	out = d.toIdle(now, false, c, out)
	switch {
	case d.Purpose == PurposeTAU:
		// The TAU failed in the lower layers (TS 24.301 §5.5.3.2.6 a).
		d.Flags |= TAUPending
		return d.armRetry(now, out)
	case d.TAUDue != 0 && d.Flags&TAUArmed == 0:
		// The running T3412 had no expiry pending (armTAU left it to the
		// report this access was for): arm it now.
		d.Flags |= TAUArmed
		return append(out, Effect{Kind: EffArm, Timer: T3412, At: d.TAUDue})
	}
	return out
}

// armRetry counts a failed attach or TAU attempt and arms the retry:
// T3411, or T3402 after AttachAttemptMax attempts in a row, which starts
// the count again (TS 24.301 §5.5.1.2.6, §5.5.3.2.6).
func (d *UE) armRetry(now sim.Time, out []Effect) []Effect {
	d.AttachN++
	t := T3411Default
	if d.AttachN >= AttachAttemptMax {
		t, d.AttachN = T3402Default, 0
	}
	return append(out, Effect{Kind: EffArm, Timer: TimerRetry, At: now + sim.Time(t)})
}

// next decides the connection's next leg, or its end.
func (d *UE) next(now sim.Time, c *Config, out []Effect) []Effect {
	out = d.stop(TimerInactivity, out)
	switch {
	case c.Q().Len(d.Pend) > 0:
		d.Purpose = PurposeData
		return append(out, Effect{Kind: EffSendUplink})
	case c.Q().Len(d.DLQ) > 0:
		if out = d.expireDL(now, c, out); c.Q().Len(d.DLQ) > 0 {
			return append(out, Effect{Kind: EffSendDownlink})
		}
	}
	// Nothing to send. Release at once after RAI (TS 24.301 §6.6.4 release
	// assistance: no further data, or only the one expected downlink, which
	// has now arrived), or after a TAU without the active flag (TS 23.401
	// §5.3.3.1), or to switch off; otherwise the RRC inactivity timer runs.
	if (d.Flags&RAI != 0 && c.HonourRAI && d.Await == 0) || d.Purpose == PurposeTAU || d.Flags&Offing != 0 {
		// The MME starts these releases: after the data with RAI, after a
		// TAU without the active flag, after a switch-off (TS 36.413 §8.3.3),
		// whose DETACH REQUEST goes first, on this connection.
		if d.Flags&Offing != 0 {
			out = d.detach(out)
		}
		return append(out, Effect{Kind: EffRelease, ByENB: false})
	}
	out = d.setMode(now, ModeTail, c, out)
	return d.arm(TimerInactivity, now+sim.Time(c.Inactivity), out)
}

// expireDL drops held downlink packets older than the core's buffer time.
func (d *UE) expireDL(now sim.Time, c *Config, out []Effect) []Effect {
	if c.BufferTime <= 0 {
		return out
	}
	k := 0
	for k < c.Q().Len(d.DLQ) && now-c.Q().At(d.DLQ, k) > sim.Time(c.BufferTime) {
		k++
	}
	if k > 0 {
		c.Q().DropFront(&d.DLQ, k)
		out = append(out, Effect{Kind: EffDropDownlink, Cause: DropMTExpired, N: int32(k)})
	}
	return out
}

// released: the RRC connection is gone.
func (d *UE) released(now sim.Time, c *Config, out []Effect) []Effect {
	d.Flags &^= RRCConnected | RAI
	out = append(out, Effect{Kind: EffConnection, Up: false})
	out = d.toIdle(now, true, c, out)
	if d.Flags&Offing != 0 {
		return d.maybeOff(now, c, out)
	}
	if c.Q().Len(d.Pend) > 0 {
		out = d.startAccess(now, PurposeData, c, out)
	}
	return out
}

// toIdle enters RRC idle: T3324 (active time) runs, then PSM; leaving
// EMM-CONNECTED (restart), T3412 starts for the next periodic TAU
// (TS 24.301 §5.3.11, §5.3.5).
func (d *UE) toIdle(now sim.Time, restart bool, c *Config, out []Effect) []Effect {
	out = d.setMode(now, ModeIdle, c, out)
	out = d.stop(T3324, out)
	if c.PSM && d.Flags&Registered != 0 { // PSM is a registered UE's state (TS 24.301 §5.3.11)
		out = d.arm(T3324, now+sim.Time(c.T3324), out)
	}
	if restart && c.T3412 > 0 && d.Flags&Registered != 0 {
		out = d.armTAU(now+sim.Time(c.T3412), out)
	}
	if c.Q().Len(d.DLQ) > 0 {
		// Downlink data arrived during the release: page again.
		out = append(out, Effect{Kind: EffPage})
	}
	return out
}

// ArmTAU sets T3412 to expire at due, as a registered device that was
// attached before the run starts has it running (an executor's set-up).
func (d *UE) ArmTAU(due sim.Time, out []Effect) []Effect { return d.armTAU(due, out) }

// armTAU sets T3412 to expire at due. The timer is lazy: a device that
// reports more often than T3412 would cancel and re-arm it at every
// connection, so instead one expiry stays pending and re-arms itself when it
// finds the deadline has moved (see timer).
func (d *UE) armTAU(due sim.Time, out []Effect) []Effect {
	d.TAUDue = due
	// A report due first will restart T3412 anyway (its access stops the
	// timer and the release re-arms it): no expiry needed until then.
	if d.Flags&TAUArmed == 0 && due < d.NextRep {
		d.Flags |= TAUArmed
		out = append(out, Effect{Kind: EffArm, Timer: T3412, At: due})
	}
	return out
}

// maybeOff completes a pending switch-off if the device is not busy.
func (d *UE) maybeOff(now sim.Time, c *Config, out []Effect) []Effect {
	if d.Flags&Offing == 0 || d.Flags&(InAccess|RRCConnected) != 0 {
		return out
	}
	out = append(out, Effect{Kind: EffCancel, Timer: TimerRetry})
	out = d.stop(TimerInactivity, out)
	out = d.stop(T3324, out)
	out = d.detach(out)
	out = d.setMode(now, ModeOff, c, out)
	d.Flags |= PoweredOff
	d.Flags &^= Offing
	out = append(out, Effect{Kind: EffDrop, Cause: DropPoweredOff, N: int32(c.Q().Len(d.Pend))})
	c.Q().Clear(&d.Pend)
	c.Q().Clear(&d.DLQ)
	return append(out, Effect{Kind: EffPoweredOff})
}

// detach sends a registered device's DETACH REQUEST with "switch off"
// (TS 24.301 §5.5.2.2.1: no DETACH ACCEPT follows) and forgets the
// registration and its timers.
func (d *UE) detach(out []Effect) []Effect {
	if d.Flags&Registered != 0 {
		out = append(out, Effect{Kind: EffDetach})
	}
	d.Flags &^= Registered | TAUArmed | TAUPending
	d.TAUDue, d.AttachAt = 0, 0
	return out
}

// setMode books the past interval and enters m.
func (d *UE) setMode(now sim.Time, m Mode, c *Config, out []Effect) []Effect {
	out = d.book(now, c, out)
	if m == ModeTail && d.Mode != ModeTail {
		d.modeAt = now
	}
	if m != d.Mode {
		d.Mode = m
		out = append(out, Effect{Kind: EffMode, Mode: m})
	}
	return out
}

// power is mode m's average power (mW = mJ/s).
func (c *Config) power(m Mode) float64 {
	switch m {
	case ModePSM:
		return c.Power.PSM
	case ModeIdle:
		return c.Power.Idle
	case ModeRAWait:
		return c.Power.Sleep
	case ModeRAMon, ModeActive, ModeTail:
		return c.Power.Connected
	}
	return 0
}

// book books the energy of the interval since the last booking (the active
// intervals inside it were booked already).
func (d *UE) book(now sim.Time, c *Config, out []Effect) []Effect {
	start := d.since
	dt := int64(now-start) - d.excl
	d.since, d.excl = now, 0
	if dt <= 0 {
		return out
	}
	if d.Mode == ModeTail {
		// Monitoring for drx-InactivityTimer, then C-DRX (TS 36.321 §5.7).
		// The only active time inside a tail interval is the release's
		// reception at its end, so the monitoring runs from the interval's
		// start.
		mon := dt
		if c.CDRX {
			left := int64(c.DRXInactivity) - int64(start-d.modeAt)
			if left < 0 {
				left = 0
			}
			if mon > left {
				mon = left
			}
		}
		cd := dt - mon
		em := c.Power.Connected * float64(mon) / 1e9
		ec := c.Power.CDRX * float64(cd) / 1e9
		d.Energy += em + ec
		return append(out, Effect{Kind: EffEnergy, State: Connected, NS: mon, MJ: em},
			Effect{Kind: EffEnergy, State: CDRX, NS: cd, MJ: ec})
	}
	e := c.power(d.Mode) * float64(dt) / 1e9
	d.Energy += e
	return append(out, Effect{Kind: EffEnergy, State: modeState[d.Mode], NS: dt, MJ: e})
}
