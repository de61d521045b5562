package model

import (
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/sim"
)

// OnEvent dispatches the engine's events (Network is the engine's only
// model target, so scheduling allocates nothing).
func (n *Network) OnEvent(kind uint16, arg int32) {
	if kind == kOccasion {
		n.onOccasion(arg)
		return
	}
	if kind == kMinute {
		n.onMinute()
		return
	}
	u := &n.ues[arg]
	switch kind {
	case kReport:
		n.newReport(arg, u)
		n.scheduleNextReport(arg, u)
	case kArrival:
		n.newReport(arg, u)
	case kPowerOn:
		n.startAccess(arg, u, pAttach)
	case kRetryAttach:
		if n.live != nil && (n.live.devs[arg].off || n.live.devs[arg].rejected) {
			break
		}
		if u.flags&(fRegistered|fInAccess|fConnected) == 0 {
			n.startAccess(arg, u, pAttach)
		}
	case kMT:
		n.scheduleNextMT(arg, u)
		n.mtArrive(arg, u)
	case kReply:
		if u.await > 0 {
			u.await--
		}
		n.mtArrive(arg, u)
	case kSynced:
		n.beginRA(arg, u)
	case kBarred:
		n.beginRA(arg, u)
	case kBackoff:
		n.sendPreamble(arg, u)
	case kRAFail:
		n.onRAFail(arg, u)
	case kMsg3:
		n.onMsg3(arg, u)
	case kMsg4:
		n.onMsg4(arg, u)
	case kLegEnd:
		n.onLegEnd(arg, u)
	case kInactivity:
		n.release(arg, u)
	case kPSM:
		if u.mode == mIdle {
			n.setMode(u, mPSM, n.eng.Now())
			if n.live != nil {
				n.live.h.PowerSaving(arg, true)
			}
		}
	case kTAU:
		n.onTAU(arg, u)
	case kPage:
		u.flags &^= fPaging
		if u.mode == mIdle && len(u.dlq) > 0 {
			n.groups[u.group].stats.pages++
			n.startAccess(arg, u, pMT)
		}
	}
}

// newReport generates one uplink report at the device.
func (n *Network) newReport(id int32, u *ue) {
	g := &n.groups[u.group].stats
	g.generated++
	n.series[n.minute(n.eng.Now())].arrivals++
	if len(u.pend) >= maxPending {
		u.pend = popFront(u.pend)
		g.dropped++
		g.drop(CauseUEBufferFull, 1)
		if n.live != nil {
			n.liveDrop(id, CauseUEBufferFull)
		}
	}
	u.pend = append(u.pend, n.eng.Now())
	switch {
	case u.flags&fConnected != 0:
		if u.mode == mTail {
			n.advance(id, u)
		}
	case u.flags&fInAccess != 0:
		// joins the access under way
	case u.flags&fRegistered == 0 && u.mode == mOff:
		// not powered on yet: sent after attach
	case u.flags&fRegistered == 0:
		n.startAccess(id, u, pAttach)
	default:
		n.startAccess(id, u, pData)
	}
}

// mtArrive handles downlink data arriving at the core for a device
// (TS 23.401 §5.3.4.3 network-triggered service request; TS 23.682 §5.13
// high-latency communication: buffer while the device sleeps).
func (n *Network) mtArrive(id int32, u *ue) {
	now := n.eng.Now()
	g := &n.groups[u.group].stats
	g.mtGen++
	if u.flags&(fConnected|fInAccess) == 0 && len(u.dlq) >= n.bufMax {
		g.dropMT(CauseMTBufferFull, 1)
		return
	}
	u.dlq = append(u.dlq, now)
	switch {
	case u.flags&fConnected != 0:
		if u.mode == mTail {
			n.advance(id, u)
		}
	case u.flags&fInAccess != 0:
	case u.mode == mIdle:
		n.page(id, u, now)
	}
	// PSM / off: held until the device next connects.
}

// page schedules a page in the device's next paging occasion (DRX or eDRX,
// TS 36.304 §7), after the core's transit delay.
func (n *Network) page(id int32, u *ue, now sim.Time) {
	if u.flags&fPaging != 0 {
		return
	}
	g := n.groups[u.group]
	r := epc.Reach{DRX: n.pagingDRX, Offset: epc.UEIDOffset(uint64(id), n.pagingDRX)}
	if g.edrx.Enabled {
		r.EDRX, r.PTW = g.edrx.Cycle, g.edrx.PTW
		// Paging hyperframe from a hash of the UE identity (TS 36.304 §7.3).
		hf := uint64(g.edrx.Cycle / (10240 * time.Millisecond))
		if hf > 0 {
			r.EDRXOffset = time.Duration(uint64(id)*2654435761%hf) * 10240 * time.Millisecond
		}
	}
	po := r.NextPO(int64(now + sim.Time(n.sigDelay)))
	u.flags |= fPaging
	if n.enc != nil {
		if err := n.enc.page(n, id, u); err != nil {
			n.failEncoded(err)
		}
	} else {
		n.s1ap(1, s1apPagingMsg)
	}
	n.eng.At(sim.Time(po), sim.Normal, n, kPage, id)
}

// expireDL drops buffered downlink packets older than the buffer time and
// returns how many remain.
func (n *Network) expireDL(id int32, u *ue, now sim.Time) int {
	if n.bufTime <= 0 {
		return len(u.dlq)
	}
	k := 0
	for k < len(u.dlq) && now-u.dlq[k] > sim.Time(n.bufTime) {
		k++
	}
	if k > 0 {
		g := &n.groups[u.group].stats
		g.dropMT(CauseMTBufferExpiry, int64(k))
		u.dlq = u.dlq[:copy(u.dlq, u.dlq[k:])]
		if n.live != nil {
			n.liveExpired(id, k)
		}
	}
	return len(u.dlq)
}

// release ends the RRC connection (RRCConnectionRelease on the downlink).
func (n *Network) release(id int32, u *ue) {
	now := n.eng.Now()
	if !n.lte {
		c := &n.cells[u.cell]
		ce := &n.ce[u.att.CE]
		dt := n.dciTime(n.dlSNR(u), ce.rmax)
		c.dl.Reserve(int64(now), 1, dt)
		n.spend(u, device.Rx, dt, n.groups[u.group].prof.ReceiveMW)
	}
	// S1 release (TS 36.413 §8.3.2–8.3.3): the eNodeB asks after its
	// inactivity timer (Request), the MME commands and the eNodeB completes;
	// after RAI or a TAU the MME starts it itself (no Request).
	byENB := u.flags&fRAI == 0 && u.purpose != pTAU
	switch {
	case n.enc != nil:
		if err := n.enc.release(n, id, u, byENB); err != nil {
			n.failEncoded(err)
		}
	case byENB:
		n.s1ap(3, 3*s1apReleaseMsg)
	default:
		n.s1ap(2, 2*s1apReleaseMsg)
	}
	u.flags &^= fConnected | fRAI
	n.tot.connected--
	if n.enc != nil {
		n.enc.released(id, now)
	}
	if n.live != nil {
		n.live.h.Connection(id, false)
	}
	n.toIdle(id, u, now)
	if n.live != nil && n.live.devs[id].offing {
		n.maybeOff(id)
		return
	}
	if len(u.pend) > 0 {
		n.startAccess(id, u, pData)
	}
}

// toIdle enters RRC idle: T3324 (active time) runs, then PSM; T3412 runs
// for the next periodic TAU (TS 24.301 §5.3.11, §5.3.5).
func (n *Network) toIdle(id int32, u *ue, now sim.Time) {
	n.setMode(u, mIdle, now)
	g := n.groups[u.group]
	n.eng.Cancel(u.tPSM)
	if g.psm.Enabled {
		u.tPSM = n.eng.After(g.psm.T3324, n, kPSM, id)
	}
	if g.psm.T3412 > 0 && u.flags&fRegistered != 0 {
		n.armTAU(id, u, now+sim.Time(g.psm.T3412))
	}
	if len(u.dlq) > 0 {
		// Downlink data arrived during the release: page again.
		n.page(id, u, now)
	}
}

// armTAU sets T3412 to expire at due. The timer is lazy: a device that
// reports more often than T3412 would cancel and re-arm it at every
// connection, so instead one event stays pending and re-arms itself when it
// finds the deadline has moved (see onTAU).
func (n *Network) armTAU(id int32, u *ue, due sim.Time) {
	u.tauDue = due
	// A report due first will restart T3412 anyway (its access stops the
	// timer and the release re-arms it): no event needed until then.
	if u.flags&fTAUArmed == 0 && due < u.nextRep {
		u.flags |= fTAUArmed
		n.eng.At(due, sim.Normal, n, kTAU, id)
	}
}

// onTAU runs a periodic tracking area update when T3412 has really expired.
func (n *Network) onTAU(id int32, u *ue) {
	u.flags &^= fTAUArmed
	now := n.eng.Now()
	switch {
	case u.tauDue == 0 || u.flags&fRegistered == 0:
		// stopped
	case now < u.tauDue:
		n.armTAU(id, u, u.tauDue)
	default:
		u.tauDue = 0
		n.startAccess(id, u, pTAU)
	}
}

// scheduleNextReport schedules the device's next periodic report.
func (n *Network) scheduleNextReport(id int32, u *ue) {
	rc := &n.groups[u.group].cfg.Report
	p := rc.Period.D()
	u.nextRep = sim.Forever
	if p <= 0 {
		return
	}
	now := n.eng.Now()
	var next sim.Time
	if rc.Phase == "synchronised" {
		k := int64(now)/int64(p) + 1
		next = sim.Time(k * int64(p))
	} else {
		next = now + sim.Time(p)
	}
	if rc.Jitter > 0 && rc.Phase == "synchronised" {
		next += sim.Time(u.rng.Float64() * float64(rc.Jitter.D()))
	}
	if next < n.end {
		u.nextRep = next
		n.eng.At(next, sim.Normal, n, kReport, id)
	}
}

// scheduleNextMT schedules the next server-initiated downlink (Poisson).
func (n *Network) scheduleNextMT(id int32, u *ue) {
	m := n.groups[u.group].cfg.Downlink.MeanInterval.D()
	if m <= 0 {
		return
	}
	d := time.Duration(u.rng.Exp() * float64(m))
	if n.eng.Now()+sim.Time(d) < n.end {
		n.eng.After(d, n, kMT, id)
	}
}

func (n *Network) minute(t sim.Time) int {
	m := int(t / sim.Time(time.Minute))
	if m >= len(n.series) {
		m = len(n.series) - 1
	}
	return m
}

func (n *Network) onMinute() {
	now := n.eng.Now()
	// Snapshot of connected devices at the end of the minute just ended.
	if m := int(now/sim.Time(time.Minute)) - 1; m >= 0 && m < len(n.series) {
		n.series[m].connected = n.tot.connected
	}
	if n.progress != nil {
		n.progress(now.Seconds(), n.end.Seconds())
	}
	if n.ctx != nil && n.ctx.Err() != nil {
		// Run returns ctx's error; nothing of this run is used.
		n.eng.Stop()
	}
	if next := now + sim.Time(time.Minute); next < n.end {
		n.eng.At(next, sim.Late, n, kMinute, 0)
	}
}
