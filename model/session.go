package model

import (
	"errors"
	"math"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/sim"
)

// leg is one message exchange on the air inside a connection.
type leg struct {
	up    bool
	nas   bool // a NAS message: it crosses S1-MME too
	ctx   bool // comes with Initial Context Setup Request/Response on S1-MME
	bytes int
	pdu   []byte // encoded signalling: the NAS message itself
}

// Data overheads on the air (bytes): ESM DATA TRANSPORT, NAS security and
// RRC/PDCP/RLC/MAC headers for control-plane data (TS 24.301 §8.3.25);
// PDCP/RLC/MAC with ROHC-compressed IP/UDP headers for user-plane data.
const (
	cpDataOverhead = 30
	upDataOverhead = 10
	dlDataOverhead = 30
)

// buildLegs turns the core's procedures into legs on the air, sized by the
// signalling fidelity.
func (n *Network) buildLegs() {
	legs := func(ms []epc.Msg) []leg {
		out := make([]leg, len(ms))
		for i, m := range ms {
			// The eNodeB sets up AS security and the radio bearer when the MME
			// sends Initial Context Setup (TS 23.401 §5.3.4.1).
			out[i] = leg{up: m.Uplink(), nas: m.NAS(), ctx: m == epc.ASSecuritySetup, bytes: n.sig.Size(m)}
		}
		return out
	}
	for cp := 0; cp < 2; cp++ {
		n.legs[pAttach][cp] = legs(epc.Attach(n.sc.Core.AttachRoundTrips))
		n.legs[pTAU][cp] = legs(epc.TAU())
		n.legs[pData][cp] = legs(epc.Service(cp == 1, false))
		n.legs[pMT][cp] = legs(epc.Service(cp == 1, true))
	}
}

// Leg kinds.
const (
	legEntry  uint8 = iota // signalling of the access purpose
	legULData              // carries the oldest pending report
	legDLData              // delivers the oldest downlink packet
)

// entryDone marks that the purpose's signalling legs are finished.
const entryDone = 0xFF

// advance runs the next leg of the connection: the access purpose's
// signalling, then what the device decides (a report, held downlink, or
// the end of the connection).
func (n *Network) advance(id int32, u *ue) {
	now := n.eng.Now()
	if u.step != entryDone {
		entry, err := n.signal.entry(n, id, u, now)
		if err != nil {
			n.entryFailed(id, u, err)
			return
		}
		if int(u.step) < len(entry) {
			l := entry[u.step]
			u.step++
			n.countNAS(id, u, l.nas, l.up, l.bytes, l.pdu, now)
			if l.ctx {
				n.s1ap(2, 2*s1apContextSetup)
			}
			n.runLeg(id, u, legEntry, l.up, l.bytes, now)
			return
		}
		u.step = entryDone
		if p := u.dev.Purpose; p == pAttach || p == pTAU { // the others accept nothing
			n.step(id, u, device.Input{Kind: device.InAccepted})
		}
	}
	if !u.dev.Any(device.Registered) {
		// Nothing can be sent before registration: attach first.
		n.step(id, u, device.Input{Kind: device.InNotRegistered})
		u.step = 0
		n.advance(id, u)
		return
	}
	n.step(id, u, device.Input{Kind: device.InNext})
}

// entryFailed handles a NAS procedure the core did not complete.
func (n *Network) entryFailed(id int32, u *ue, err error) {
	var rj *rejectError
	switch {
	case errors.Is(err, errCoreDown):
		n.liveCoreDown(id, u)
	case errors.Is(err, errReattach):
		n.reattach(id, u)
	case errors.As(err, &rj) && n.obs.rejected(id, u, rj.cause, rj.why):
	default:
		n.failEncoded(err)
	}
}

// sendUplink runs the leg that carries the oldest pending report.
func (n *Network) sendUplink(id int32, u *ue, g *group) {
	now := n.eng.Now()
	over := upDataOverhead
	if g.cp {
		over = cpDataOverhead
		if u.flags&fFirstUL != 0 {
			over += n.sig.Size(epc.ControlPlaneServiceRequest) // it rides in Msg5
		}
	}
	payload := g.cfg.Report.UplinkBytes
	if g.size != nil {
		payload = g.size.draw(n.inGroup(g, id))
	}
	size := payload + over
	var pdu []byte
	if g.cp { // user-plane data takes S1-U, not NAS
		var err error
		if size, pdu, err = n.signal.uplink(n, id, u, payload, size); err != nil {
			if errors.Is(err, errReattach) {
				n.reattach(id, u)
				return
			}
			n.failEncoded(err)
			return
		}
	}
	n.countNAS(id, u, g.cp, true, size, pdu, now)
	n.runLeg(id, u, legULData, true, size, now)
}

// sendDownlink runs the leg that delivers the oldest held downlink packet.
func (n *Network) sendDownlink(id int32, u *ue, g *group) {
	now := n.eng.Now()
	size := g.cfg.Report.ReplyBytes + dlDataOverhead
	var pdu []byte
	if g.cp {
		var err error
		if size, pdu, err = n.signal.downlink(n, id, u, g.cfg.Report.ReplyBytes, size); err != nil {
			var d *droppedError
			if errors.As(err, &d) {
				// The core gave it up: counted, and the connection goes on.
				g.stats.dropMT("core-"+d.cause, 1)
				n.obs.downlinkLost(id, device.DropMTExpired, 1)
				n.step(id, u, device.Input{Kind: device.InDownlinkDropped})
				return
			}
			n.failEncoded(err)
			return
		}
	}
	n.countNAS(id, u, g.cp, false, size, pdu, now)
	n.runLeg(id, u, legDLData, false, size, now)
}

// reattach: the core rejected the device's service request or TAU with
// #9/#10 (it lost the device, e.g. restarted). The device attaches again in
// this connection, then sends what it has (TS 24.301 §5.6.1.5, §5.5.3.2.5).
// A report waiting is sent once, after the attach: nothing is counted twice.
func (n *Network) reattach(id int32, u *ue) {
	n.step(id, u, device.Input{Kind: device.InDeregistered})
	u.step = 0
	n.advance(id, u)
}

// runLeg transmits one message and schedules the end of the leg.
func (n *Network) runLeg(id int32, u *ue, kind uint8, up bool, bytes int, now sim.Time) {
	n.setMode(id, u, device.ModeActive)
	u.legKind = kind
	var end int64
	ev := kLegEnd
	if n.lte {
		end = int64(now) + int64(time.Millisecond)
	} else {
		ce := &n.ce[u.att.CE]
		if up {
			// Each uplink transmission needs an NPDCCH grant first.
			c := n.on(u.cell, u.carrier)
			c.prune(now)
			dt := n.dciTime(n.dlSNR(u), ce.rmax)
			n.spend(u, device.Rx, dt, n.groups[u.group].prof.ReceiveMW)
			end = n.ulTransmit(id, u, u.cell, bytes, int64(now), ce.puschReps, true, dt)
			ev = kULEnd // the transmission's end decides what follows
		} else {
			end, _ = n.dlTransmit(id, u, bytes, int64(now), ce.pdschReps, true)
		}
	}
	if up {
		u.flags &^= fFirstUL
	}
	u.tmr = n.eng.At(sim.Time(end), sim.Normal, n, ev, id)
}

// onLegEnd completes the leg: a report sent or a downlink packet delivered
// goes to the device, which decides what follows.
func (n *Network) onLegEnd(id int32, u *ue) {
	switch u.legKind {
	case legULData:
		rai := device.RAINone
		if n.groups[u.group].dc.Q().Len(u.dev.Pend) > 0 {
			rai = n.obs.sent(id)
		}
		n.step(id, u, device.Input{Kind: device.InUplinkSent, RAI: rai})
	case legDLData:
		n.step(id, u, device.Input{Kind: device.InDownlinkReceived})
	default:
		n.advance(id, u)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ulTransmit places the first NPUSCH transmission of bytes on cell
// cellID's uplink for device u, with link adaptation, and returns its end:
// there the outcome is decided (ulOutcome: Msg3 by onMsg3, data by
// onULEnd, which places the HARQ retransmissions and further transport
// blocks with ulPlace). It books the energy and the interference to
// neighbour cells.
//
// Link adaptation works on the eNB's filtered interference measurement
// (cell.iotDb, a decaying average: an eNB cannot know the interference
// its neighbours will place) with the UE at P_CMAX. The transmission then
// goes out at its power-controlled power (TS 36.213 §16.2.1.1) and meets
// the interference on its own lanes during its own time: its BLER follows
// from both (ulOutcome), so a mismatch costs HARQ retransmissions.
//
// With dci > 0 the first transmission comes with an NPDCCH grant of that
// airtime (format N0) on the device's search space, placed with it: the
// earliest DCI candidate from which the NPUSCH fits k0 = 8 to 64 subframes
// after it (TS 36.213 §16.5.1). Without, earliest is the NPUSCH's own
// (Msg3 on its RAR grant, retransmissions). harq marks a data
// transmission (with HARQ and transport blocks after the first).
func (n *Network) ulTransmit(id int32, u *ue, cellID int32, bytes int, earliest int64, maxReps int, harq bool, dci time.Duration) int64 {
	r := &n.sc.Radio
	c := n.on(cellID, u.carrier)
	c.prune(n.eng.Now())
	now := int64(n.eng.Now())
	c.ulb.prune(now, &c.npuschIoT, n.laneNoise())
	iot := c.iotDb(now, n.noise15)
	snr := phy.SNRdB(r.UeTxPowerDbm, float64(u.cl), n.radio.ulNoise15, iot) // phy.ULSNRdB at 15 kHz
	txs := n.linkAdapt(true, snr, bytes, maxReps)
	if len(txs) == 0 {
		return earliest
	}
	if dci > 0 {
		earliest = n.ulGrant(c, &n.ce[u.att.CE], earliest, dci, n.radio.ulLanes(&txs[0]), txs[0].Airtime)
	}
	// ref: the SNR at P_CMAX without interference over link adaptation's
	// input (in its 0.1-dB steps), from which its formats' SNRs follow.
	rx := ulRx{id: id, ref: float32(snr + iot - quantSNR(snr))}
	if harq {
		rx.txs = txs
		return n.ulPlace(u, cellID, &txs[0], rx, earliest)
	}
	// Msg3: every transport block now, one after the other; their
	// outcomes are all asked at the last one's end.
	end := earliest
	for i := range txs {
		end = n.ulPlace(u, cellID, &txs[i], rx, end)
	}
	for i := len(c.ulb.rx) - len(txs); i < len(c.ulb.rx); i++ {
		c.ulb.rx[i].due = end // place appends, and no other cell's device adds here
	}
	return end
}

// ulPlace places transmission t of device u on cell cellID's uplink no
// earlier than earliest, books its energy and its interference to the
// neighbour cells, and starts its record from rx (device, HARQ state,
// ref). It returns the end.
func (n *Network) ulPlace(u *ue, cellID int32, t *phy.Transmission, rx ulRx, earliest int64) int64 {
	r := &n.sc.Radio
	c := n.on(cellID, u.carrier)
	pw := phy.NPUSCHTxPowerDbm(t.Reps, t.Tones, r.UeTxPowerDbm, r.NPUSCHP0Dbm, r.NPUSCHAlpha, float64(u.cl))
	if t.SCSHz == phy.SCS3750 {
		pw = n.npusch375Power(t.Reps, float64(u.cl))
	}
	w := n.radio.ulLanes(t)
	s, e := c.ul.Reserve(earliest, w, t.Airtime)
	lo := c.ul.LastLane()
	rx.start, rx.end, rx.due, rx.lo, rx.hi = s, e, e, uint8(lo), uint8(lo+w)
	// The SNR at pw without interference, on t's bandwidth, combined:
	// t's SNR moved by what no interference (ref) and pw below P_CMAX
	// give over link adaptation's input.
	rx.snr0 = float32(t.SNRdB + float64(rx.ref) + pw - r.UeTxPowerDbm + repGainDb(t.Reps))
	rx.req = float32(t.RequiredSNRdB)
	c.ulb.place(rx)
	n.spend(u, device.Tx, t.Airtime, n.groups[u.group].prof.TxMW(pw))
	if r.NeighbourInterference {
		n.interfere(u, cellID, ulHit{start: s, end: e, lo: uint8(lo), hi: uint8(lo + w)}, pw-phy.DB(float64(w)), float64(w)/float64(t.Tones), t.Airtime)
	}
	return e
}

// ulOutcome takes a transmission of device u (id) on cell cellID, its
// carrier, whose outcome is due now and returns it with its BLER at the
// interference it met (ok false: there is none).
func (n *Network) ulOutcome(id int32, u *ue, cellID int32) (rx ulRx, bler float64, ok bool) {
	c := n.on(cellID, u.carrier)
	rx, iot, ok := c.ulb.take(id, int64(n.eng.Now()), &c.npuschIoT, n.laneNoise())
	if !ok {
		return rx, 0, false
	}
	return rx, ulBLER(&rx, iot), true
}

// onULEnd decides a data transmission's outcome at its end: a failure
// (at the BLER its interference gives) is sent again after the HARQ round
// trip, up to 4 transmissions; then the next transport block, and after
// the last the leg ends.
func (n *Network) onULEnd(id int32, u *ue) {
	rx, bler, ok := n.ulOutcome(id, u, u.cell)
	if !ok {
		n.onLegEnd(id, u)
		return
	}
	now := int64(n.eng.Now())
	next := ulRx{id: id, txs: rx.txs, tb: rx.tb, ref: rx.ref}
	at := now
	switch {
	case rx.k+1 < 4 && u.rng.Float64() < bler:
		next.k = rx.k + 1
		at += int64(8 * time.Millisecond) // HARQ round trip before the retransmission
	case int(rx.tb)+1 < len(rx.txs):
		next.tb++
	default:
		n.onLegEnd(id, u)
		return
	}
	end := n.ulPlace(u, u.cell, &rx.txs[next.tb], next, at)
	u.tmr = n.eng.At(sim.Time(end), sim.Normal, n, kULEnd, id)
}

// ulGrant places an uplink grant's DCI of airtime dci on ce's search space
// of cell c, no earlier than earliest, at the first candidate from which an
// NPUSCH of width tones and airtime d fits puschDelayMin to puschDelayMax
// after it, and returns where that NPUSCH starts (nothing is placed on the
// uplink: Reserve from there finds the same place).
func (n *Network) ulGrant(c *cell, ce *ceParams, earliest int64, dci time.Duration, width int, d time.Duration) int64 {
	g := ce.grid(dci)
	sd := int64(float64(dci) * c.dl.Stretch)
	for t := earliest; ; {
		ds, _ := c.dl.Fit(t, 1, dci, g)
		de := ds + sd
		s, _ := c.ul.Fit(de+int64(puschDelayMin), width, d, mac.Grid{})
		if s <= de+int64(puschDelayMax) {
			// No Gap booked before the DCI: what it waited for was the
			// uplink, and the downlink stays free for others meanwhile.
			c.dl.Place(mac.Control, ds, 0, 1, dci)
			return s
		}
		t = s - int64(puschDelayMax) - sd // > ds: the next try starts later
	}
}

// interfere records an NPUSCH transmission of device u (serving cell
// cellID) at its neighbour cells, at perLaneDbm minus the coupling loss to
// each, and adds it to their interference estimates: the power per 15 kHz
// subcarrier, the per-lane power times lanesPerTone (the transmission's
// lanes over its tones: 1, or 4 on a carrier of 3.75 kHz lanes for a
// 15 kHz transmission), lasting d. One pass over the neighbours, one
// conversion to mW each.
func (n *Network) interfere(u *ue, cellID int32, h ulHit, perLaneDbm, lanesPerTone float64, d time.Duration) {
	now := int64(n.eng.Now())
	for j, nb := range u.nb {
		if nb < 0 || nb == cellID {
			continue
		}
		lane := dbmToMW(perLaneDbm - float64(u.nbcl[j]))
		h.mw = float32(lane)
		mw := lane * lanesPerTone
		if n.cl.foreign(nb) {
			n.cl.hitOut(nb, u.carrier, h) // to another cluster (partition.go)
			n.cl.estOut(nb, u.carrier, mw*float64(d)/float64(iotTau), now)
			continue
		}
		c := n.on(nb, u.carrier) // carrier k meets carrier k of the neighbours only
		c.ulb.hit(h)
		c.addInterference(now, mw, d)
	}
}

// iotDb is the cell's uplink interference estimate over thermal (dB) at
// time t given thermal noise per 15 kHz.
func (c *cell) iotDb(t int64, noise float64) float64 {
	if c.iLin <= 0 {
		return 0
	}
	i := c.iLin
	if t > c.iTime {
		i *= phy.Exp(-float64(t-c.iTime) / float64(iotTau))
	}
	return 10 * math.Log10(1+i/noise)
}

// iotTau is the averaging time constant of the uplink interference estimate.
const iotTau = time.Second

// addInterference adds, at time t (now: the transmission is being
// scheduled), a received power mw (per 15 kHz) that will last d: its energy
// spread over the averaging time.
func (c *cell) addInterference(t int64, mw float64, d time.Duration) {
	if t > c.iTime {
		c.iLin *= phy.Exp(-float64(t-c.iTime) / float64(iotTau))
		c.iTime = t
	}
	c.iLin += mw * float64(d) / float64(iotTau)
}

// dlTransmit places an NPDCCH + NPDSCH transmission on the serving cell's
// downlink and books the receive energy.
func (n *Network) dlTransmit(id int32, u *ue, bytes int, earliest int64, maxReps int, harq bool) (int64, float64) {
	c := n.on(u.cell, u.carrier)
	c.prune(n.eng.Now())
	ce := &n.ce[u.att.CE]
	snr := n.dlSNR(u)
	txs := n.linkAdapt(false, snr, bytes, maxReps)
	g := n.groups[u.group]
	end := earliest
	bler := 0.0
	dci := n.dciTime(snr, ce.rmax)
	grid := ce.grid(dci)
	for i, t := range txs {
		if i == 0 {
			bler = t.BLER
		}
		tries := 1
		if harq {
			for tries < 4 && u.rng.Float64() < t.BLER {
				tries++
			}
		}
		for k := 0; k < tries; k++ {
			// The DCI on the level's search space, the NPDSCH within the
			// scheduling delay after it.
			_, _, end = c.dl.ReservePair(end, grid, dci, pdschDelayMin, pdschDelayMax(ce.rmax), t.Airtime)
			n.spend(u, device.Rx, dci+t.Airtime, g.prof.ReceiveMW)
		}
	}
	return end, bler
}

// prune drops the cell's reservations that ended before now (mac.Carrier
// keeps its intervals until told: nothing may start in the past), at most
// once per pruneEvery: the intervals of the last second cost less than
// pruning at every reservation.
func (c *cell) prune(now sim.Time) {
	if now < c.pruneAt {
		return
	}
	c.pruneAt = now + sim.Time(pruneEvery)
	c.ul.Prune(int64(now))
	c.dl.Prune(int64(now))
}

// pruneEvery is how often a cell drops its past reservations.
const pruneEvery = time.Second

// popFront removes the first element in place, keeping the slice's capacity.
func popFront[T any](s []T) []T {
	copy(s, s[1:])
	return s[:len(s)-1]
}
