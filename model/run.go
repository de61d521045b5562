package model

import (
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/sim"
)

// OnEvent dispatches the engine's events (Network is the engine's only
// model target, so scheduling allocates nothing).
func (n *Network) OnEvent(kind uint16, arg int32) {
	n.byKind[kind]++
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
		n.step(arg, u, device.Input{Kind: device.InPowerOn})
	case kRetryAttach:
		n.step(arg, u, device.Input{Kind: device.InTimer, Timer: device.TimerRetry})
	case kMT:
		n.scheduleNextMT(arg, u)
		n.mtArrive(arg, u)
	case kReply:
		n.step(arg, u, device.Input{Kind: device.InReplyArrived})
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
	case kULEnd:
		n.onULEnd(arg, u)
	case kInactivity:
		n.step(arg, u, device.Input{Kind: device.InTimer, Timer: device.TimerInactivity})
	case kPSM:
		n.step(arg, u, device.Input{Kind: device.InTimer, Timer: device.T3324})
	case kTAU:
		n.step(arg, u, device.Input{Kind: device.InTimer, Timer: device.T3412})
	case kPage:
		u.flags &^= fPaging
		n.step(arg, u, device.Input{Kind: device.InPaged})
	}
}

// newReport generates one uplink report at the device.
func (n *Network) newReport(id int32, u *ue) {
	g := &n.groups[u.group].stats
	g.generated++
	n.series[n.minute(n.eng.Now())].arrivals++
	n.step(id, u, device.Input{Kind: device.InReport})
}

// mtArrive handles downlink data arriving at the core for a device: the
// device's state decides whether it is delivered, paged or held.
func (n *Network) mtArrive(id int32, u *ue) {
	n.groups[u.group].stats.mtGen++
	n.step(id, u, device.Input{Kind: device.InDownlink})
}

// page schedules a page in the device's next paging occasion (DRX or eDRX,
// TS 36.304 §7), after the core's transit delay.
func (n *Network) page(id int32, u *ue, now sim.Time) {
	if u.flags&fPaging != 0 {
		return
	}
	g := n.groups[u.group]
	gid := uint64(n.gid(id)) // the identity: the whole network's index
	r := epc.Reach{DRX: n.pagingDRX, Offset: epc.UEIDOffset(gid, n.pagingDRX)}
	if g.edrx.Enabled {
		r.EDRX, r.PTW = g.edrx.Cycle, g.edrx.PTW
		// Paging hyperframe from a hash of the UE identity (TS 36.304 §7.3).
		hf := uint64(g.edrx.Cycle / (10240 * time.Millisecond))
		if hf > 0 {
			r.EDRXOffset = time.Duration(gid*2654435761%hf) * 10240 * time.Millisecond
		}
	}
	po := r.NextPO(int64(now + sim.Time(n.sigDelay)))
	u.flags |= fPaging
	// The page goes on the device's paging carrier (docs/model.md, Paging).
	c := n.on(u.cell, uint8(pagingCarrier(gid, int64(n.pagingDRX/(10*time.Millisecond)), n.pagingW, n.carriers)))
	if n.carriers > 1 {
		c.pages++
	}
	if !n.lte {
		po = n.bookPage(c, u, r, po) // received at the NPDSCH's end
	}
	if err := n.signal.page(n, id, u); err != nil {
		n.failEncoded(err)
	}
	n.eng.At(sim.Time(po), sim.Normal, n, kPage, id)
}

// release ends the RRC connection (RRCConnectionRelease on the downlink)
// and the S1 context: the eNodeB asks after its inactivity timer (byENB),
// the MME starts it after RAI or a TAU (TS 36.413 §8.3.2–8.3.3).
func (n *Network) release(id int32, u *ue, byENB bool) {
	now := n.eng.Now()
	if !n.lte {
		c := n.on(u.cell, u.carrier)
		c.prune(now)
		ce := &n.ce[u.att.CE]
		dt := n.dciTime(n.dlSNR(u), ce.rmax)
		c.dl.ReserveIn(mac.Control, int64(now), 1, dt, ce.grid(dt))
		n.spend(u, device.Rx, dt, n.groups[u.group].prof.ReceiveMW)
	}
	if err := n.signal.release(n, id, u, byENB); err != nil {
		n.failEncoded(err)
	}
	n.step(id, u, device.Input{Kind: device.InReleased})
}

// scheduleNextReport schedules the device's next periodic report.
func (n *Network) scheduleNextReport(id int32, u *ue) {
	rc := &n.groups[u.group].cfg.Report
	p := rc.Period.D()
	if p <= 0 {
		u.dev.SetNextReport(sim.Forever)
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
	if next >= n.end {
		next = sim.Forever
	}
	u.dev.SetNextReport(next)
	if next != sim.Forever {
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
	n.foldDue(now)
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
