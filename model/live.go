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
}

// liveState is the per-device state of live mode: the contents of the
// queues the model keeps as times (u.pend, u.dlq), in the same order.
type liveState struct {
	h        Live
	devs     []liveDev
	coreDown bool // the core does not answer: NAS procedures time out
}

type liveDev struct {
	up       [][]byte
	rai      []nas.ReleaseAssistanceIndication
	down     [][]byte
	off      bool // powered off (or going off: offing)
	offing   bool
	rejected bool // attach rejected: no retry until powered on again
	deaf     int  // access procedures still to fail (fault injection)
	upMsgs   int64
	upBytes  int64
	dnBytes  int64
	onAt     sim.Time
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
	if n.enc != nil {
		if err := n.enc.s1Setup(n); err != nil {
			return err
		}
	}
	n.live = &liveState{h: h, devs: make([]liveDev, len(n.ues))}
	for i := range n.ues {
		u := &n.ues[i]
		u.nextRep, u.mode = sim.Forever, mOff
		n.live.devs[i].off = true
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

// PowerOn switches device id on: it synchronises and attaches.
func (n *Network) PowerOn(id int32) error {
	ld, err := n.liveDev(id)
	if err != nil {
		return err
	}
	if !ld.off {
		ld.offing = false
		if u := &n.ues[id]; ld.rejected && u.flags&(fRegistered|fInAccess|fConnected) == 0 {
			// Rejected and not retrying: asked again (AT+CGATT=1), it
			// attaches again.
			ld.rejected = false
			n.startAccess(id, u, pAttach)
		}
		return nil
	}
	ld.off, ld.offing, ld.rejected = false, false, false
	u := &n.ues[id]
	ld.onAt = n.eng.Now()
	n.account(u, n.eng.Now())
	n.startAccess(id, u, pAttach)
	return nil
}

// PowerOff switches device id off once it is idle: at once if it is idle
// or asleep, else when its connection ends. PoweredOff tells when.
func (n *Network) PowerOff(id int32) error {
	ld, err := n.liveDev(id)
	if err != nil {
		return err
	}
	if ld.off {
		n.live.h.PoweredOff(id)
		return nil
	}
	ld.offing = true
	if u := &n.ues[id]; u.mode == mTail && u.flags&fConnected != 0 {
		// Connected with nothing to do: the DETACH REQUEST goes now and the
		// connection is released, not left to the inactivity timer.
		n.eng.Cancel(u.tInact)
		n.release(id, u)
		return nil
	}
	n.maybeOff(id)
	return nil
}

// maybeOff completes a pending power-off if the device is not busy.
func (n *Network) maybeOff(id int32) {
	if n.live == nil {
		return
	}
	ld := &n.live.devs[id]
	u := &n.ues[id]
	if !ld.offing || u.flags&(fInAccess|fConnected) != 0 {
		return
	}
	now := n.eng.Now()
	for _, t := range []*sim.Timer{&u.tmr, &u.tInact, &u.tPSM} {
		n.eng.Cancel(*t)
	}
	if u.flags&fRegistered != 0 && n.enc != nil {
		n.enc.detach(n, id)
	}
	u.flags &^= fRegistered | fPaging | fTAUArmed
	u.tauDue = 0
	n.setMode(u, mOff, now)
	ld.off, ld.offing = true, false
	for range ld.up {
		n.live.h.Lost(id, CausePoweredOff)
	}
	ld.up, ld.rai, ld.down = ld.up[:0], ld.rai[:0], ld.down[:0]
	u.pend, u.dlq = u.pend[:0], u.dlq[:0]
	n.live.h.PoweredOff(id)
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
	case ld.off || ld.offing:
		return ErrOff
	case u.flags&fRegistered == 0:
		return ErrNotRegistered
	}
	if len(u.pend) >= maxPending {
		return fmt.Errorf("uplink queue full (%d packets)", maxPending)
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
	if u.flags&fRegistered == 0 {
		n.live.h.DownlinkLost(id, "not-registered")
		return nil
	}
	before := len(u.dlq)
	ld.down = append(ld.down, append([]byte(nil), data...))
	n.mtArrive(id, u)
	if len(u.dlq) == before { // dropped: the buffer is full
		ld.down = ld.down[:len(ld.down)-1]
		n.live.h.DownlinkLost(id, CauseMTBufferFull)
	}
	return nil
}

// Request sets what device id will ask for at its next attach or TAU; a
// registered device runs a TAU now to renegotiate (TS 24.301 §5.5.3.2.2).
func (n *Network) Request(id int32, psm epc.PSMRequest, edrx epc.EDRXRequest) error {
	if _, err := n.liveDev(id); err != nil {
		return err
	}
	u := &n.ues[id]
	gc := n.groups[u.group].cfg
	gc.PSM.Enabled, gc.PSM.T3324, gc.PSM.T3412 = psm.Enabled, durOf(psm.T3324), durOf(psm.T3412)
	gc.EDRX.Enabled, gc.EDRX.Cycle, gc.EDRX.PTW = edrx.Enabled, durOf(edrx.Cycle), durOf(edrx.PTW)
	if n.enc != nil {
		if ed := n.enc.devs[id]; ed != nil {
			ed.d.PSM, ed.d.EDRX = psm, edrx
		}
	}
	if u.flags&fRegistered != 0 && !n.live.devs[id].off {
		n.startAccess(id, u, pTAU)
	}
	return nil
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
	was := u.flags&fOutOfCoverage != 0
	u.flags &^= fOutOfCoverage
	if cl > r.MaxCouplingLossDb {
		u.flags |= fOutOfCoverage
	}
	// Back in coverage, a device that is on but found no cell for its
	// attach (and has no retry timer running) finds the cell and attaches.
	ld := &n.live.devs[id]
	if was && u.flags&fOutOfCoverage == 0 && !ld.off && !ld.offing && !ld.rejected &&
		u.flags&(fRegistered|fInAccess|fConnected) == 0 && !n.eng.Scheduled(u.tmr) {
		n.startAccess(id, u, pAttach)
	}
	return nil
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
	BLER                              float64 // of the last message
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
	n.account(u, now)
	g := n.groups[u.group]
	r := &n.sc.Radio
	in := Info{
		On: !ld.off, Registered: u.flags&fRegistered != 0, Connected: u.flags&fConnected != 0,
		PSM: u.mode == mPSM && !ld.off, PSMGrant: g.psm, EDRXGrant: g.edrx,
		Cell: u.cell, CellName: n.cells[u.cell].name,
		RSRP: phy.RSRPdBm(r.EnbTxPowerDbm, float64(u.cl)), SINR: n.dlSNR(u), CouplingLoss: float64(u.cl),
		CELevel: int(u.ceBase), OutOfCoverage: u.flags&fOutOfCoverage != 0, BLER: float64(u.msgBLER),
		TxPower:  phy.NPUSCHTxPowerDbm(1, 1, r.UeTxPowerDbm, r.NPUSCHP0Dbm, r.NPUSCHAlpha, float64(u.cl)),
		Messages: ld.upMsgs, UpBytes: ld.upBytes, DnBytes: ld.dnBytes, Pending: len(ld.up),
		TxTime: time.Duration(g.stats.stateNS[device.Tx]), RxTime: time.Duration(g.stats.stateNS[device.Rx]),
		EnergyMJ: u.energy, Elapsed: now.D(), Battery: g.batt,
	}
	for st := device.State(0); st < device.NumStates; st++ {
		in.StateTime[st] = time.Duration(g.stats.stateNS[st])
		in.StateEnergy[st] = g.stats.stateMJ[st]
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

// liveRegistered takes the grants the core gave the device into its group
// (one group per live device) and tells the driver.
func (n *Network) liveRegistered(id int32, u *ue) {
	g := n.groups[u.group]
	if n.enc != nil {
		if ed := n.enc.devs[id]; ed != nil {
			d := ed.d
			g.psm = epc.PSMGrant{Enabled: d.PSMGranted, T3324: d.T3324, T3412: d.T3412}
			g.edrx = epc.EDRXGrant{Enabled: d.EDRXCycle > 0, Cycle: d.EDRXCycle, PTW: d.PTW}
			reach := epc.Reach{DRX: n.pagingDRX}
			if g.edrx.Enabled {
				reach.EDRX, reach.PTW = g.edrx.Cycle, g.edrx.PTW
			}
			n.account(u, n.eng.Now())
			g.idleMW = g.prof.IdleMW(reach.PagingOccasionsPerSecond())
		}
	}
	n.live.h.Registered(id)
}

// liveLost reports the device's pending uplink data lost with cause, and an
// attach failure if the access was for one.
func (n *Network) liveLost(id int32, cause string, attach bool) {
	ld := &n.live.devs[id]
	for range ld.up {
		n.live.h.Lost(id, cause)
	}
	ld.up, ld.rai = ld.up[:0], ld.rai[:0]
	if attach {
		n.live.h.AttachFailed(id, cause, 0)
	}
}

// liveDrop drops the oldest pending uplink packet.
func (n *Network) liveDrop(id int32, cause string) {
	ld := &n.live.devs[id]
	if len(ld.up) > 0 {
		ld.up, ld.rai = popFront(ld.up), popFront(ld.rai)
		n.live.h.Lost(id, cause)
	}
}

// liveSent: the oldest pending packet has been sent; it returns the
// release assistance the packet carried.
func (n *Network) liveSent(id int32) nas.ReleaseAssistanceIndication {
	ld := &n.live.devs[id]
	if len(ld.up) == 0 {
		return nas.DDXNoInformation
	}
	rai := ld.rai[0]
	ld.upMsgs++
	ld.upBytes += int64(len(ld.up[0]))
	ld.up, ld.rai = popFront(ld.up), popFront(ld.rai)
	return rai
}

// liveReceived: the oldest downlink packet reached the device.
func (n *Network) liveReceived(id int32) {
	ld := &n.live.devs[id]
	if len(ld.down) > 0 {
		d := ld.down[0]
		ld.down = popFront(ld.down)
		ld.dnBytes += int64(len(d))
		if u := &n.ues[id]; u.await > 0 {
			u.await-- // the one downlink RAI waited for
		}
		n.live.h.Received(id, d)
	}
}

// liveExpired drops the k oldest downlink packets (buffer time over).
func (n *Network) liveExpired(id int32, k int) {
	ld := &n.live.devs[id]
	for i := 0; i < k && len(ld.down) > 0; i++ {
		ld.down = popFront(ld.down)
		n.live.h.DownlinkLost(id, CauseMTBufferExpiry)
	}
}

// liveUplink returns the content and release assistance of the oldest
// pending packet of a live device.
func (n *Network) liveUplink(id int32) ([]byte, nas.ReleaseAssistanceIndication, bool) {
	if n.live == nil {
		return nil, 0, false
	}
	ld := &n.live.devs[id]
	if len(ld.up) == 0 {
		return nil, 0, false
	}
	return ld.up[0], ld.rai[0], true
}

// liveDownlink returns the content of the oldest downlink packet.
func (n *Network) liveDownlink(id int32) ([]byte, bool) {
	if n.live == nil {
		return nil, false
	}
	ld := &n.live.devs[id]
	if len(ld.down) == 0 {
		return nil, false
	}
	return ld.down[0], true
}

// detach sends the device's DETACH REQUEST (switch off) to the core and
// forgets the connection: the radio is going off.
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
	e.mme.Released(ed.id, time.Duration(n.eng.Now()))
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
	n.live.coreDown = !ok
	return nil
}

// SetRRC changes the eNodeB's inactivity timer and whether it honours RAI.
func (n *Network) SetRRC(inactivity time.Duration, honourRAI bool) {
	if inactivity > 0 {
		n.inact = inactivity
	}
	n.sc.RRC.HonourRAI = honourRAI
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

// liveDeaf reports whether device id's preamble must go undetected.
func (n *Network) liveDeaf(id int32) bool {
	return n.live != nil && n.live.devs[id].deaf > 0
}

// liveCoreDown holds a connection whose NAS procedure gets no answer, then
// gives up as the UE's timer does.
func (n *Network) liveCoreDown(id int32, u *ue) {
	now := n.eng.Now()
	n.setMode(u, mTail, now)
	u.step = entryDone
	n.eng.AfterFunc(15*time.Second, func() {
		if u.flags&fConnected == 0 {
			return
		}
		attach := u.flags&fRegistered == 0
		n.liveLost(id, CauseCoreUnreachable, attach)
		u.pend = u.pend[:0]
		n.release(id, u)
		if attach && !n.live.devs[id].off {
			u.tmr = n.eng.After(10*time.Second, n, kRetryAttach, id) // T3411
		}
	})
}

// liveRejected ends a connection whose attach was rejected: no retry until
// the device is powered on again (an attach reject's causes, TS 24.301
// §5.5.1.2.5, mostly bar the UE until then).
func (n *Network) liveRejected(id int32, u *ue, cause nas.EMMCause, why string) {
	ld := &n.live.devs[id]
	ld.rejected = true
	for range ld.up {
		n.live.h.Lost(id, CauseAttachRejected)
	}
	ld.up, ld.rai = ld.up[:0], ld.rai[:0]
	u.pend = u.pend[:0]
	n.live.h.AttachFailed(id, why, cause)
	n.release(id, u)
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
	return slices.Clone(s.delays), slices.Clone(s.attachTimes), slices.Clone(s.latency)
}
