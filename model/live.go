package model

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sim"
)

// Live is what a live driver (nbsim emulate) is told of its devices. The
// model calls it on the engine goroutine, from inside events: an
// implementation must not call back into the model synchronously except
// through the read-only Info.
type Live interface {
	// Registered: the attach (or a TAU) completed; Info has the grants.
	Registered(id int32)
	// AttachFailed: an attach attempt failed (access failure, reject); the
	// model retries after T3411/T3402 unless the device is powered off.
	AttachFailed(id int32, reason string, cause nas.EMMCause)
	// Deregistered: the network dropped the registration (e.g. SERVICE
	// REJECT #9); the model attaches again.
	Deregistered(id int32, reason string, cause nas.EMMCause)
	// Connection: the RRC connection came up or was released.
	Connection(id int32, connected bool)
	// PowerSaving: the device entered (true) or left (false) PSM.
	PowerSaving(id int32, entered bool)
	// SGi: uplink data of the device leaves the core (the MME's Deliver).
	SGi(id int32, src netip.Addr, data []byte)
	// Received: downlink data reached the device.
	Received(id int32, data []byte)
	// Lost: uplink data given to Send was lost, with the cause (a
	// results.json drop cause).
	Lost(id int32, cause string)
	// DownlinkLost: downlink data for the device was dropped in the core.
	DownlinkLost(id int32, cause string)
	// PoweredOff answers PowerOff once the device is off.
	PoweredOff(id int32)
	// NoCell: the device woke or tried an access (data, a TAU, an attach)
	// and found no cell: it is out of coverage.
	NoCell(id int32)
}

// liveState is live mode's observer: the contents of the queues the
// device keeps as times (Pend, DLQ), in the same order, the driver's hooks
// and the faults injected.
type liveState struct {
	n    *Network
	h    Live
	devs []liveDev
	down bool // the core does not answer: NAS procedures time out
}

type liveDev struct {
	up   [][]byte
	rai  []nas.ReleaseAssistanceIndication
	down [][]byte
	deaf int // access procedures still to fail (fault injection)
	// tauOwed: the request changed while the device was connected or in
	// an access; the TAU runs once the connection is released.
	tauOwed bool
	upMsgs  int64
	upBytes int64
	dnBytes int64
}

// Engine returns the network's engine, for a live driver to run with
// sim.Realtime.
func (n *Network) Engine() *sim.Engine { return n.eng }

// StartLive prepares the network for a live driver instead of Run: every
// device starts powered off and does nothing until told (PowerOn, Send);
// time is the engine's, which the driver advances. The scenario's traffic
// (reports, arrivals, downlink) is not scheduled.
func (n *Network) StartLive(opt Options, h Live) error {
	if h == nil {
		return errors.New("model: StartLive needs hooks")
	}
	n.progress, n.trace = nil, opt.Trace
	if opt.Core != nil && n.enc != nil {
		n.enc.mme = opt.Core
	}
	n.end = sim.Forever
	n.buildLegs()
	if err := n.signal.start(n); err != nil {
		return err
	}
	n.live = &liveState{n: n, h: h, devs: make([]liveDev, len(n.ues))}
	n.obs = n.live
	for _, g := range n.groups {
		g.dc.AutoRAI = false // the application gives each packet's RAI
	}
	for i := range n.ues {
		n.ues[i].dev.Start(device.ModeOff, device.PoweredOff, sim.Forever)
	}
	return nil
}

// Err is the error that stopped the encoded core, if any.
func (n *Network) Err() error { return n.encErr }

func (n *Network) liveDev(id int32) (*liveDev, error) {
	if n.live == nil {
		return nil, errors.New("model: not in live mode")
	}
	if id < 0 || int(id) >= len(n.ues) {
		return nil, fmt.Errorf("model: no device %d", id)
	}
	return &n.live.devs[id], nil
}

// PowerOn switches device id on: it synchronises and attaches (a device
// whose attach was rejected attaches again).
func (n *Network) PowerOn(id int32) error {
	if _, err := n.liveDev(id); err != nil {
		return err
	}
	n.step(id, &n.ues[id], device.Input{Kind: device.InPowerOn})
	return nil
}

// PowerOff switches device id off once it is idle: at once if it is idle
// or asleep, else when its connection ends. PoweredOff tells when.
func (n *Network) PowerOff(id int32) error {
	if _, err := n.liveDev(id); err != nil {
		return err
	}
	n.step(id, &n.ues[id], device.Input{Kind: device.InPowerOff})
	return nil
}

// CausePoweredOff is the loss cause of data pending when a device is
// switched off.
const CausePoweredOff = "powered-off"

// Errors of Send.
var (
	ErrOff           = errors.New("radio off")
	ErrNotRegistered = errors.New("not registered")
)

// Send queues one uplink packet of device id with release assistance rai;
// it brings the connection up if needed. The packet is the user data of
// ESM DATA TRANSPORT: a whole IPv4 packet on an IP PDN.
func (n *Network) Send(id int32, data []byte, rai nas.ReleaseAssistanceIndication) error {
	ld, err := n.liveDev(id)
	if err != nil {
		return err
	}
	u := &n.ues[id]
	switch {
	case u.dev.Any(device.PoweredOff | device.Offing):
		return ErrOff
	case !u.dev.Any(device.Registered):
		return ErrNotRegistered
	}
	if n.groups[u.group].dc.Q().Len(u.dev.Pend) >= device.MaxPending {
		return fmt.Errorf("uplink queue full (%d packets)", device.MaxPending)
	}
	ld.up = append(ld.up, append([]byte(nil), data...))
	ld.rai = append(ld.rai, rai)
	n.newReport(id, u)
	return nil
}

// Downlink gives the core downlink data for device id, as arriving at SGi:
// delivered if connected, paged if reachable, else held (PSM) up to the
// core's buffer time and size.
func (n *Network) Downlink(id int32, data []byte) error {
	ld, err := n.liveDev(id)
	if err != nil {
		return err
	}
	u := &n.ues[id]
	if !u.dev.Any(device.Registered) {
		n.live.h.DownlinkLost(id, "not-registered")
		return nil
	}
	ld.down = append(ld.down, append([]byte(nil), data...))
	n.mtArrive(id, u) // a full buffer drops it again (downlinkLost)
	return nil
}

// Request sets what device id will ask for at its next attach or TAU. A
// registered device whose request changed runs a normal TAU to
// renegotiate (TS 24.301 §5.5.3.2.2): now from idle or PSM (waking up), or
// once its connection is released when it is connected or in an access
// (a simplification: a real UE sends the TAU REQUEST on the connection).
// The grant comes in TAU ACCEPT; Live.Registered tells it.
func (n *Network) Request(id int32, psm epc.PSMRequest, edrx epc.EDRXRequest) error {
	ld, err := n.liveDev(id)
	if err != nil {
		return err
	}
	u := &n.ues[id]
	gc := n.groups[u.group].cfg
	oldPSM := epc.PSMRequest{Enabled: gc.PSM.Enabled, T3324: gc.PSM.T3324.D(), T3412: gc.PSM.T3412.D()}
	oldEDRX := epc.EDRXRequest{Enabled: gc.EDRX.Enabled, Cycle: gc.EDRX.Cycle.D(), PTW: gc.EDRX.PTW.D()}
	if oldPSM == psm && oldEDRX == edrx {
		return nil // nothing to tell the network
	}
	gc.PSM.Enabled, gc.PSM.T3324, gc.PSM.T3412 = psm.Enabled, durOf(psm.T3324), durOf(psm.T3412)
	gc.EDRX.Enabled, gc.EDRX.Cycle, gc.EDRX.PTW = edrx.Enabled, durOf(edrx.Cycle), durOf(edrx.PTW)
	if n.enc != nil {
		if ed := n.enc.devs[id]; ed != nil {
			ed.d.Request(psm, edrx)
		}
	}
	ld.tauOwed = ld.tauOwed || u.dev.Any(device.Registered)
	n.owedTAU(id)
	return nil
}

// owedTAU starts the TAU a changed request owes once the device is idle
// or asleep; while it is connected or in an access, it waits for the
// release (liveState.connection).
func (n *Network) owedTAU(id int32) {
	ld, u := &n.live.devs[id], &n.ues[id]
	if !ld.tauOwed || u.dev.Any(device.InAccess|device.RRCConnected) {
		return
	}
	ld.tauOwed = false
	n.step(id, u, device.Input{Kind: device.InTAU})
}

// SetCouplingLoss moves device id to coupling loss cl (dB) from its
// serving cell: its RSRP, CE level and coverage follow.
func (n *Network) SetCouplingLoss(id int32, cl float64) error {
	if _, err := n.liveDev(id); err != nil {
		return err
	}
	u := &n.ues[id]
	r := &n.sc.Radio
	u.cl = float32(cl)
	ce := phy.CELevel(phy.RSRPdBm(r.EnbTxPowerDbm, cl), r.CERSRPThresholdsDbm)
	u.ceBase = uint8(min(ce, len(n.ce)-1))
	was := u.dev.Any(device.OutOfCoverage)
	n.step(id, u, device.Input{Kind: device.InCoverage, Out: cl > r.MaxCouplingLossDb, Busy: n.eng.Scheduled(u.tmr)})
	if was && !u.dev.Any(device.OutOfCoverage) && n.tauOnReturn(id, u) {
		// A TAU found no cell: T3412 expired (the periodic TAU is made on
		// return to coverage, TS 24.301 §5.3.5), or the request changed
		// (the normal TAU is still owed, §5.5.3.2.2).
		n.step(id, u, device.Input{Kind: device.InTAU})
	}
	return nil
}

// tauOnReturn says a registered, idle or sleeping device back in coverage
// owes a TAU: T3412 is stopped although it has one (it expired and its TAU
// found no cell), or its changed request was not yet sent.
func (n *Network) tauOnReturn(id int32, u *ue) bool {
	d := &u.dev
	if !d.Any(device.Registered) || d.Any(device.InAccess|device.RRCConnected|device.PoweredOff|device.Offing) {
		return false
	}
	if d.TAUDue == 0 && n.groups[u.group].dc.T3412 > 0 {
		return true
	}
	if n.enc != nil {
		if ed := n.enc.devs[id]; ed != nil && ed.d.UpdateNeeded {
			return true
		}
	}
	return false
}

// Info is a live device's state.
type Info struct {
	IMSI       string
	On         bool
	Registered bool
	Connected  bool
	PSM        bool
	Addr       netip.Addr
	PSMGrant   epc.PSMGrant
	EDRXGrant  epc.EDRXGrant
	Cell       int32
	CellName   string
	// Radio: downlink RSRP, SINR, coupling loss, CE level, uplink power.
	RSRP, SINR, CouplingLoss, TxPower float64
	CELevel                           int
	OutOfCoverage                     bool
	// Updating: a tracking area update is under way (an access for it or
	// its connection).
	Updating bool
	BLER     float64 // of the last message
	// Activity since power on.
	TxTime, RxTime   time.Duration
	Messages         int64
	UpBytes, DnBytes int64
	Pending          int // uplink packets waiting to be sent
	// Energy by power state since the start (device.State names), mJ and
	// time, and the total.
	StateTime   [device.NumStates]time.Duration // by device.State
	StateEnergy [device.NumStates]float64
	EnergyMJ    float64
	Elapsed     time.Duration
	Battery     device.Battery
}

// Info returns device id's state now.
func (n *Network) Info(id int32) (Info, error) {
	ld, err := n.liveDev(id)
	if err != nil {
		return Info{}, err
	}
	u := &n.ues[id]
	now := n.eng.Now()
	n.step(id, u, device.Input{Kind: device.InFlush})
	g := n.groups[u.group]
	r := &n.sc.Radio
	d := &u.dev
	on := !d.Any(device.PoweredOff)
	in := Info{
		On: on, Registered: d.Any(device.Registered), Connected: d.Any(device.RRCConnected),
		PSM: d.Mode == device.ModePSM && on, PSMGrant: g.psmGrant(), EDRXGrant: g.edrx,
		Cell: u.cell, CellName: n.cells[u.cell].name,
		RSRP: phy.RSRPdBm(r.EnbTxPowerDbm, float64(u.cl)), SINR: n.dlSNR(u), CouplingLoss: float64(u.cl),
		CELevel: int(u.ceBase), OutOfCoverage: d.Any(device.OutOfCoverage), BLER: float64(u.msgBLER),
		Updating: d.Purpose == device.PurposeTAU && d.Any(device.InAccess|device.RRCConnected),
		TxPower:  phy.NPUSCHTxPowerDbm(1, 1, r.UeTxPowerDbm, r.NPUSCHP0Dbm, r.NPUSCHAlpha, float64(u.cl)),
		Messages: ld.upMsgs, UpBytes: ld.upBytes, DnBytes: ld.dnBytes, Pending: len(ld.up),
		TxTime: time.Duration(g.stats.stateNS[device.Tx]), RxTime: time.Duration(g.stats.stateNS[device.Rx]),
		EnergyMJ: d.Energy, Elapsed: now.D(), Battery: g.batt,
	}
	for st := device.State(0); st < device.NumStates; st++ {
		in.StateTime[st] = time.Duration(g.stats.stateNS[st])
		in.StateEnergy[st] = g.stats.stateMJ[st].value()
	}
	if n.enc != nil {
		if ed := n.enc.devs[id]; ed != nil {
			in.IMSI, in.Addr = ed.d.IMSI, ed.d.Addr
		}
	}
	if in.IMSI == "" {
		in.IMSI = n.imsi(id)
	}
	return in, nil
}

func durOf(d time.Duration) scenarios.Duration { return scenarios.Duration(d) }

// imsi is device id's IMSI in the default subscriber file.
func (n *Network) imsi(id int32) string { return fmt.Sprintf("%015d", imsiBase+int64(id)) }

// registered takes the grants the core gave the device into its group
// (one group per live device) and tells the driver.
func (l *liveState) registered(id int32) {
	n := l.n
	u := &n.ues[id]
	g := n.groups[u.group]
	if n.enc != nil {
		if ed := n.enc.devs[id]; ed != nil {
			d := ed.d
			g.dc.PSM, g.dc.T3324, g.dc.T3412 = d.PSMGranted, d.T3324, d.T3412
			g.edrx = epc.EDRXGrant{Enabled: d.EDRXCycle > 0, Cycle: d.EDRXCycle, PTW: d.PTW}
			reach := epc.Reach{DRX: n.pagingDRX}
			if g.edrx.Enabled {
				reach.EDRX, reach.PTW = g.edrx.Cycle, g.edrx.PTW
			}
			n.step(id, u, device.Input{Kind: device.InFlush}) // at the old idle power up to now
			g.dc.Power.Idle = g.prof.IdleMW(reach.PagingOccasionsPerSecond())
		}
	}
	l.h.Registered(id)
}

// lost reports k of the device's pending uplink packets lost with cause
// (all of them, or the oldest when the buffer was full), and an attach
// failure if the access was for one.
func (l *liveState) lost(id int32, cause device.DropCause, _ int32, attach bool) {
	ld := &l.devs[id]
	switch cause {
	case device.DropBufferFull:
		if len(ld.up) > 0 {
			ld.up, ld.rai = popFront(ld.up), popFront(ld.rai)
			l.h.Lost(id, cause.String())
		}
		return
	case device.DropPoweredOff:
		for range ld.up {
			l.h.Lost(id, cause.String())
		}
		ld.up, ld.rai, ld.down = ld.up[:0], ld.rai[:0], ld.down[:0]
		return
	}
	for range ld.up {
		l.h.Lost(id, cause.String())
	}
	ld.up, ld.rai = ld.up[:0], ld.rai[:0]
	if attach {
		l.h.AttachFailed(id, cause.String(), 0)
	}
	if cause == device.DropOutOfCoverage {
		l.h.NoCell(id)
	}
}

// downlinkLost drops downlink packets: the newest when the core's buffer
// was full, the k oldest when their buffer time was over.
func (l *liveState) downlinkLost(id int32, cause device.DropCause, k int32) {
	ld := &l.devs[id]
	if cause == device.DropMTBufferFull {
		if len(ld.down) > 0 {
			ld.down = ld.down[:len(ld.down)-1]
			l.h.DownlinkLost(id, cause.String())
		}
		return
	}
	for i := int32(0); i < k && len(ld.down) > 0; i++ {
		ld.down = popFront(ld.down)
		l.h.DownlinkLost(id, CauseMTBufferExpiry)
	}
}

func (l *liveState) connection(id int32, up bool) {
	l.h.Connection(id, up)
	if !up && l.devs[id].tauOwed {
		// After the release's own effects (a new access for data waiting
		// makes the TAU wait again).
		l.n.eng.AfterFunc(0, func() { l.n.owedTAU(id) })
	}
}

func (l *liveState) powerSaving(id int32, entered bool) { l.h.PowerSaving(id, entered) }
func (l *liveState) poweredOff(id int32)                { l.h.PoweredOff(id) }
func (l *liveState) deaf(id int32) bool                 { return l.devs[id].deaf > 0 }
func (l *liveState) coreDown() bool                     { return l.down }

func (l *liveState) deregistered(id int32) {
	l.h.Deregistered(id, "rejected: UE identity cannot be derived by the network", 9)
}

func (l *liveState) accessFailed(id int32) {
	if ld := &l.devs[id]; ld.deaf > 0 {
		ld.deaf--
	}
}

func (l *liveState) sgi(id int32, src netip.Addr, data []byte) { l.h.SGi(id, src, data) }

// sent: the oldest pending packet has been sent; it returns the release
// assistance the packet carried.
func (l *liveState) sent(id int32) device.RAIValue {
	ld := &l.devs[id]
	if len(ld.up) == 0 {
		return device.RAINone
	}
	rai := ld.rai[0]
	ld.upMsgs++
	ld.upBytes += int64(len(ld.up[0]))
	ld.up, ld.rai = popFront(ld.up), popFront(ld.rai)
	switch rai {
	case nas.DDXNoFurtherData:
		return device.RAINoFurther
	case nas.DDXSingleDownlink:
		return device.RAISingleDownlink
	}
	return device.RAINone
}

// received: the oldest downlink packet reached the device.
func (l *liveState) received(id int32) {
	ld := &l.devs[id]
	if len(ld.down) > 0 {
		d := ld.down[0]
		ld.down = popFront(ld.down)
		ld.dnBytes += int64(len(d))
		l.n.step(id, &l.n.ues[id], device.Input{Kind: device.InReplyArrived}) // the one downlink RAI waited for
		l.h.Received(id, d)
	}
}

// uplink returns the content and release assistance of the oldest pending
// packet of a live device.
func (l *liveState) uplink(id int32) ([]byte, nas.ReleaseAssistanceIndication, bool) {
	ld := &l.devs[id]
	if len(ld.up) == 0 {
		return nil, 0, false
	}
	return ld.up[0], ld.rai[0], true
}

// downlink returns the content of the oldest downlink packet.
func (l *liveState) downlink(id int32) ([]byte, bool) {
	ld := &l.devs[id]
	if len(ld.down) == 0 {
		return nil, false
	}
	return ld.down[0], true
}

// rejected ends a connection whose attach was rejected: no retry until the
// device is powered on again (an attach reject's causes, TS 24.301
// §5.5.1.2.5, mostly bar the UE until then).
func (l *liveState) rejected(id int32, u *ue, cause nas.EMMCause, why string) bool {
	n := l.n
	n.step(id, u, device.Input{Kind: device.InRejected})
	l.h.AttachFailed(id, why, cause)
	n.release(id, u, u.dev.ReleasedByENB())
	return true
}

// detach sends the device's DETACH REQUEST (switch off) to the core. On a
// connection, the release that follows ends it (TS 23.401 §5.3.8.2.1);
// idle or asleep, the radio is going off and the core forgets the
// signalling connection the request came on.
func (e *encoded) detach(n *Network, id int32) {
	ed := e.devs[id]
	if ed == nil || !ed.d.Registered {
		return
	}
	b, err := ed.d.DetachRequest(true)
	if err != nil {
		return
	}
	if ed.id == 0 {
		ed.id = e.mme.Connect()
	}
	e.mme.HandleNAS(ed.id, b, time.Duration(n.eng.Now()))
	if !n.ues[id].dev.Any(device.RRCConnected) {
		e.mme.Released(ed.id, time.Duration(n.eng.Now()))
	}
}

// Scenario returns the scenario the network was built from.
func (n *Network) Scenario() *scenarios.Scenario { return n.sc }

// CauseCoreUnreachable is the loss cause of data sent while the core does
// not answer.
const CauseCoreUnreachable = "core-unreachable"

// CauseAttachRejected is the loss cause of data pending at an attach reject.
const CauseAttachRejected = "attach-rejected"

// FailAccess makes device id's next k access procedures fail: the cell
// does not detect its preambles, so the whole random-access ladder
// (backoff, CE escalation, maximum attempts, TS 36.321 §5.1) plays out
// before it gives up.
func (n *Network) FailAccess(id int32, k int) error {
	ld, err := n.liveDev(id)
	if err != nil {
		return err
	}
	ld.deaf = max(0, k)
	return nil
}

// SetCoreReachable makes the core answer (true) or not: while it does not,
// every NAS procedure that needs the core times out (T3410 for an attach,
// TS 24.301 §5.5.1.2.6; T3417 for a service request, §5.6.1.6 — both
// taken as 15 s) and the device goes back to idle.
func (n *Network) SetCoreReachable(ok bool) error {
	if n.live == nil {
		return errors.New("model: not in live mode")
	}
	n.live.down = !ok
	return nil
}

// SetRRC changes the eNodeB's inactivity timer and whether it honours RAI.
func (n *Network) SetRRC(inactivity time.Duration, honourRAI bool) {
	if inactivity > 0 {
		n.inact = inactivity
	}
	n.sc.RRC.HonourRAI = honourRAI
	for _, g := range n.groups {
		g.dc.Inactivity, g.dc.HonourRAI = n.inact, honourRAI
	}
}

// RRC returns the inactivity timer and whether RAI is honoured.
func (n *Network) RRC() (time.Duration, bool) { return n.inact, n.sc.RRC.HonourRAI }

// Core returns the core the network uses in encoded signalling (nil in
// typed signalling).
func (n *Network) Core() Core {
	if n.enc == nil {
		return nil
	}
	return n.enc.mme
}

// liveCoreDown holds a connection whose NAS procedure gets no answer, then
// gives up as the UE's timer does.
func (n *Network) liveCoreDown(id int32, u *ue) {
	n.step(id, u, device.Input{Kind: device.InHold})
	u.step = entryDone
	n.eng.AfterFunc(15*time.Second, func() {
		if !u.dev.Any(device.RRCConnected) {
			return
		}
		attach := !u.dev.Any(device.Registered)
		n.step(id, u, device.Input{Kind: device.InAbandon, Cause: device.DropCoreUnreachable, Attach: attach})
		n.release(id, u, u.dev.ReleasedByENB())
		if attach {
			n.step(id, u, device.Input{Kind: device.InRetryLater}) // T3411
		}
	})
}

// LivePending is the number of uplink packets waiting in all live devices.
func (n *Network) LivePending() int {
	if n.live == nil {
		return 0
	}
	k := 0
	for i := range n.live.devs {
		k += len(n.live.devs[i].up)
	}
	return k
}

// LiveSamples returns copies of device id's access delays, attach times
// and uplink latencies so far (ms): the samples results.json is made of.
func (n *Network) LiveSamples(id int32) (access, attach, latency []float32) {
	if _, err := n.liveDev(id); err != nil {
		return nil, nil, nil
	}
	s := &n.groups[n.ues[id].group].stats
	return slices.Clone(s.delays.xs), slices.Clone(s.attachTimes.xs), slices.Clone(s.latency.xs)
}
