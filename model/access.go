package model

import (
	"math"
	"math/bits"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/sim"
)

// Event kinds; the event argument is a device index unless noted.
const (
	kReport      uint16 = iota // periodic report
	kArrival                   // one-shot report (arrival models, bursts)
	kPowerOn                   // device powers on and attaches
	kMT                        // server-initiated downlink arrives at the core
	kReply                     // server reply arrives at the core
	kSynced                    // wake-up synchronisation done
	kBarred                    // barring time over
	kOccasion                  // arg = occasion bucket
	kRAFail                    // RAR window or contention resolution failed
	kMsg3                      // Msg3 transmission ended
	kMsg4                      // Msg4 received
	kBackoff                   // backoff over
	kLegEnd                    // a procedure leg ended
	kInactivity                // RRC inactivity timer
	kPSM                       // T3324 expired
	kTAU                       // T3412 expired
	kPage                      // paging occasion with a page for the device
	kMinute                    // time-series tick (arg unused)
	kRetryAttach               // T3411/T3402 after a failed attach
	kULEnd                     // an uplink data transmission (HARQ attempt) ended
	numKinds
)

// kindNames are the event kinds' names (EventsByKind).
var kindNames = [numKinds]string{"report", "arrival", "power-on", "mt", "reply", "synced", "barred",
	"occasion", "ra-fail", "msg3", "msg4", "backoff", "leg-end", "inactivity", "t3324", "t3412", "page",
	"minute", "retry-attach", "ul-end"}

// Byte sizes of the messages on the air (MAC/RLC/PDCP headers included,
// approximate): TS 36.331 RRCConnectionRequest-NB is 88 bits (Msg3), a
// RAR is 7 bytes per grant (TS 36.321 §6.1.5, §6.2.3).
const (
	msg3Bytes = 11
	msg4Bytes = 30
	rarBytes  = 7
)

// occasions groups the preambles of each (CE level, carrier, occasion
// index). The buckets still ahead (live) are few: a device always picks
// the next occasion of its level, so each (level, carrier) has at most
// the one under way and the next; they are found by a scan, without a
// map on the event path.
type occasions struct {
	live []int32 // the buckets not yet resolved, in no order
	b    []bucket
	free []int32
}

type bucket struct {
	key   uint64
	ce    int
	car   uint8 // the carrier (0: anchor)
	end   sim.Time
	picks []mac.Pick
	power []float32 // tx power of each pick, dBm (parallel to picks before sorting)
	holds []slot    // the RAR slots held for this occasion, one per cell with a preamble
}

// slot is downlink time held for a random-access message (see holdRAR):
// by cell for a RAR, by device for a Msg4.
type slot struct {
	cell       int32 // or device
	start, end int64
}

func (n *Network) bucketFor(ce int, car uint8, k int64, end sim.Time) *bucket {
	key := uint64(ce)<<56 | uint64(car)<<48 | uint64(k)
	for _, i := range n.occ.live {
		if n.occ.b[i].key == key {
			return &n.occ.b[i]
		}
	}
	var i int32
	if l := len(n.occ.free); l > 0 {
		i = n.occ.free[l-1]
		n.occ.free = n.occ.free[:l-1]
	} else {
		n.occ.b = append(n.occ.b, bucket{})
		i = int32(len(n.occ.b) - 1)
	}
	b := &n.occ.b[i]
	b.key, b.ce, b.car, b.end = key, ce, car, end
	b.picks, b.power, b.holds = b.picks[:0], b.power[:0], b.holds[:0]
	n.occ.live = append(n.occ.live, i)
	n.eng.At(end, sim.Normal, n, kOccasion, i)
	return b
}

// unlive takes bucket i off the live list.
func (o *occasions) unlive(i int32) {
	for j, x := range o.live {
		if x == i {
			last := len(o.live) - 1
			o.live[j] = o.live[last]
			o.live = o.live[:last]
			return
		}
	}
}

// beginRA starts the random-access procedure proper (TS 36.321 §5.1.1).
func (n *Network) beginRA(id int32, u *ue) {
	now := n.eng.Now()
	u.raStart = now
	g := &n.groups[u.group].stats
	g.accAttempts++
	b := n.sc.RandomAccess.Barring
	if barred, wait := mac.Barred(&u.rng, b.Factor, b.Time.D()); barred {
		u.tmr = n.eng.After(wait, n, kBarred, id)
		return
	}
	n.startPreambles(id, u)
}

func (n *Network) startPreambles(id int32, u *ue) {
	u.att = mac.Attempt{CE: u.ceBase, MaxCE: uint8(len(n.ce) - 1)}
	n.sendPreamble(id, u)
}

// sendPreamble picks the next occasion of the current CE level and a random
// preamble (start subcarrier) in it.
func (n *Network) sendPreamble(id int32, u *ue) {
	now := n.eng.Now()
	ce := &n.ce[u.att.CE]
	k, start := ce.occ.Next(int64(now) + 1)
	u.carrier = n.pickCarrier(id, now)
	b := n.bucketFor(int(u.att.CE), u.carrier, k, sim.Time(start)+sim.Time(ce.occ.Length))
	pre := int32(ce.firstPre + u.rng.IntN(ce.nPreambles))
	r := &n.sc.Radio
	tx := r.UeTxPowerDbm
	if !n.lte {
		// TS 36.321 §5.1.3: CE0's target ramps with the transmission counter
		// (this one is transmission u.att.Tx+1) and shares the repetitions'
		// energy; TS 36.213 §16.3.1: CE1/CE2 at P_CMAX.
		target := phy.PreambleReceivedTargetPowerDbm(r.NPRACHTargetPowerDbm, r.NPRACHRampStepDb, int(u.att.Tx)+1, ce.reps)
		tx = phy.NPRACHTxPowerDbm(int(u.att.CE), r.UeTxPowerDbm, target, float64(u.cl))
	}
	if u.att.Tx == 0 {
		u.preFirst = sim.Time(start) // TR 37.868 §6.2.2.1: access delay counts from here
	}
	b.picks = append(b.picks, mac.Pick{Dev: id, Cell: u.cell, Preamble: pre})
	b.power = append(b.power, float32(tx))
	u.att.Sent()
	n.spend(u, device.Tx, ce.occ.Length, n.groups[u.group].prof.TxMW(tx))
	n.holdRAR(b, u)
}

// onOccasion resolves one random-access occasion across all cells.
func (n *Network) onOccasion(bi int32) {
	b := &n.occ.b[bi]
	n.occ.unlive(bi)
	defer func() { n.occ.free = append(n.occ.free, bi) }()
	now := n.eng.Now()
	ce := &n.ce[b.ce]
	n.detectPreambles(b, ce)

	st := mac.Resolve(b.picks, n.resolv, &n.rng)
	mi := n.minute(now)
	n.series[mi].preambles += int64(st.Picks)
	n.series[mi].collisions += int64(st.Collided)
	n.tot.collided += int64(st.Collided)
	// Per-group collided pairs and per-cell counts.
	for i := 0; i < len(b.picks); {
		j := i
		for j < len(b.picks) && b.picks[j].Group == b.picks[i].Group {
			j++
		}
		if j-i > 1 {
			n.on(b.picks[i].Cell, b.car).collided++
			n.res.collide(b.picks[i].Cell, b.car, b.ce)
			seen := uint64(0)
			for k := i; k < j; k++ {
				gi := n.ues[b.picks[k].Dev].group
				if gi < 64 && seen&(1<<gi) == 0 {
					seen |= 1 << gi
					n.groups[gi].stats.collided++
				}
			}
		}
		i = j
	}
	for i := range b.picks {
		g := &n.groups[n.ues[b.picks[i].Dev].group].stats
		g.preambles++
	}

	winStart := now + sim.Time(n.rarProc)
	winEnd := winStart + sim.Time(ce.rarWindow)
	for _, h := range b.holds { // the RARs take their slots, or earlier ones
		n.on(h.cell, b.car).dl.Release(h.start, h.end)
	}
	// RARs: one per cell, carrying the grants of that cell.
	for i := 0; i < len(b.picks); {
		cellID := b.picks[i].Cell
		j := i
		granted := 0
		for j < len(b.picks) && b.picks[j].Cell == cellID {
			if b.picks[j].Outcome != mac.NoRAR && (j == i || b.picks[j].Group != b.picks[j-1].Group) {
				granted++
			}
			j++
		}
		var rarEnd sim.Time
		if granted > 0 {
			rarEnd = n.sendRAR(n.on(cellID, b.car), b.ce, b.picks[i:j], granted, winStart, winEnd)
		}
		grant := 0
		for k := i; k < j; k++ {
			p := &b.picks[k]
			u := &n.ues[p.Dev]
			n.setMode(p.Dev, u, device.ModeRAMon)
			if p.Outcome == mac.NoRAR || rarEnd > winEnd {
				u.tmr = n.eng.At(winEnd, sim.Normal, n, kRAFail, p.Dev)
				continue
			}
			u.flags &^= fCollided | fWinner
			if p.GroupSize > 1 {
				u.flags |= fCollided
				if p.Winner {
					u.flags |= fWinner
				}
			}
			// Msg3 on the grant: one reservation per group (collided devices
			// transmit on the same resources).
			if int32(k) == p.Group { // first of its (cell, preamble) group
				grant++
				tx := msg3Sender(b.picks, k)
				n.msg3Slot = n.reserveMsg3(tx.Dev, &n.ues[tx.Dev], cellID, b.ce, rarEnd, grant)
				n.holdMsg4(p.Dev, u, n.msg3Slot)
			}
			u.harq = 1
			u.tmr = n.eng.At(n.msg3Slot, sim.Normal, n, kMsg3, p.Dev)
		}
		i = j
	}
}

// nprachHopGroup is the number of subcarriers a preamble hops over: a
// resource of 24, 36 or 48 subcarriers is 2, 3 or 4 groups of 12, each
// preamble staying in its group (TS 36.211 §10.1.6.1); maxHopGroups = 48/12.
const (
	nprachHopGroup = 12
	maxHopGroups   = 4
)

// detectPreambles sets each preamble's SNR and detection probability at
// its cell and books the cells' preamble and noise-rise statistics.
//
// The occasion is one NPRACH resource (one CE level's subcarriers, one
// period): resources of different CE levels never share a subcarrier
// (scenarios.Validate refuses overlapping ones), so a preamble can only
// meet the preambles of its own bucket. Every cell uses the scenario's
// NPRACH configuration, so a preamble of hopping group g lands on the
// same subcarriers, at the same time, of group g of every other cell's
// resource. There it is received at its actual transmit power minus its
// coupling loss to that cell (antenna pattern included) and, hopping
// with another cell's pattern, is on a given subcarrier 1/12 of the time:
// it adds P/12 to each of the group's 12 subcarriers. The preambles of
// one cell never share a subcarrier (the cell's hopping keeps them apart)
// unless they are the same preamble (a collision, mac.Resolve).
//
// All of it reaches the receiver input: when the total power of the
// occasion at a cell passes phy.ReceiverBlockingDbm (a proxy for the end
// of the receiver's linear range, not a specified level) the receiver is
// taken as saturated and every preamble of that cell in the occasion is
// lost (counted in blocked_occasions).
func (n *Network) detectPreambles(b *bucket, ce *ceParams) {
	if n.lte {
		for i := range b.picks {
			p := &b.picks[i]
			p.SNRdB = 0
			p.DetectP = mac.LTEDetectProb(int(n.ues[p.Dev].att.Tx))
		}
		n.countPreambles(b, ce)
		return
	}
	n.receivePreambles(b, ce)
	n.cl.prachIn(n, b) // other clusters' preambles (partition.go)
	blockMW, ceiling := n.radio.blockMW, n.radio.prachCeiling
	for i := range b.picks {
		p := &b.picks[i]
		u := &n.ues[p.Dev]
		blocked := n.scratchP[p.Cell] > blockMW
		iot := 0.0 // 10·log10(1+0): no interference, no logarithm
		if i := n.scratchI[int(p.Cell)*maxHopGroups+n.hopGroup(ce, p.Preamble)]; blocked {
			iot = ceiling
		} else if i != 0 {
			iot = 10 * math.Log10(1+i/n.noise375)
		}
		p.SNRdB = phy.SNRdB(float64(b.power[i]), float64(u.cl), n.radio.ulNoise3750, iot) // phy.ULSNRdB at 3.75 kHz
		p.DetectP = phy.PreambleDetectProb(p.SNRdB, ce.reps)
		if blocked || n.obs.deaf(p.Dev) {
			p.DetectP = 0 // saturated receiver, or an injected access failure
		}
	}
	n.countPreambles(b, ce)
	n.bookIoT(blockMW, ceiling, b.car)
}

// hopGroup is the hopping group of a preamble (its start subcarrier).
func (n *Network) hopGroup(ce *ceParams, pre int32) int {
	return min((int(pre)-ce.firstPre)/nprachHopGroup, maxHopGroups-1)
}

// receivePreambles sums, per cell, the occasion's power at the receiver
// input (scratchP) and, per cell and hopping group, the interference per
// subcarrier of the other cells' preambles (scratchI); it lists the cells
// with a reception in n.touched and their groups in scratchG.
func (n *Network) receivePreambles(b *bucket, ce *ceParams) {
	if n.scratchI == nil {
		n.scratchI = make([]float64, len(n.cells)*maxHopGroups)
		n.scratchP = make([]float64, len(n.cells))
		n.scratchG = make([]uint8, len(n.cells))
	}
	nb := n.sc.Radio.NeighbourInterference
	for i := range b.picks {
		p := &b.picks[i]
		u := &n.ues[p.Dev]
		g := n.hopGroup(ce, p.Preamble)
		n.receive(p.Cell, g, dbmToMW(float64(b.power[i])-float64(u.cl)), false)
		if !nb {
			continue
		}
		for j, c := range u.nb {
			if c >= 0 && c != p.Cell {
				mw := dbmToMW(float64(b.power[i]) - float64(u.nbcl[j]))
				if n.cl.foreign(c) {
					n.cl.prachOut(c, b, g, mw) // to another cluster (partition.go)
					continue
				}
				n.receive(c, g, mw, true)
			}
		}
	}
}

// receive books mw received at cell c in hopping group g, as interference
// when it comes from another cell's device.
func (n *Network) receive(c int32, g int, mw float64, interference bool) {
	if n.scratchG[c] == 0 {
		n.touched = append(n.touched, c)
	}
	n.scratchG[c] |= 1 << g
	n.scratchP[c] += mw
	if interference {
		n.scratchI[int(c)*maxHopGroups+g] += mw / nprachHopGroup
	}
}

// bookIoT adds the occasion's interference over thermal of each touched
// (cell, hopping group) to the cell's distribution and clears the scratch.
// A blocked cell counts at the ceiling: the noise rise of the blocking
// power spread over a group, above any unblocked value.
func (n *Network) bookIoT(blockMW, ceiling float64, car uint8) {
	for _, ci := range n.touched {
		c := n.on(ci, car)
		blocked := n.scratchP[ci] > blockMW
		if blocked {
			c.blocked++
		}
		// The groups with a reception, in increasing order (receive
		// writes scratchI only there).
		for gm := n.scratchG[ci]; gm != 0; gm &= gm - 1 {
			k := int(ci)*maxHopGroups + bits.TrailingZeros8(gm)
			iot := ceiling
			if !blocked {
				iot = 0 // 10·log10(1+0) without the logarithm, as detectPreambles
				if i := n.scratchI[k]; i != 0 {
					iot = 10 * math.Log10(1+i/n.noise375)
				}
			}
			c.iot.Add(iot)
			n.scratchI[k] = 0
		}
		n.scratchP[ci], n.scratchG[ci] = 0, 0
	}
	n.touched = n.touched[:0]
}

// countPreambles books the occasion's preambles per cell and CE level.
func (n *Network) countPreambles(b *bucket, ce *ceParams) {
	start := b.end - sim.Time(ce.occ.Length)
	for i := range b.picks {
		n.on(b.picks[i].Cell, b.car).preambles++
		n.res.pick(b.picks[i].Cell, b.car, b.ce, start)
	}
}

// sendRAR reserves the downlink for a RAR PDU with granted grants in the
// RAR window [earliest, winEnd] and returns when it has been received (a
// RAR that would end after winEnd is not sent: the time returned is then
// after winEnd). Devices in the window monitor NPDCCH.
func (n *Network) sendRAR(c *cell, ce int, picks []mac.Pick, granted int, earliest, winEnd sim.Time) sim.Time {
	if n.lte {
		// TR 37.868: grants are spread over the window's subframes, GrantsPerRAR each.
		per := max(1, n.sc.RandomAccess.LTE.GrantsPerRAR)
		return earliest + sim.Time(time.Duration((granted-1)/per+1)*time.Millisecond)
	}
	c.prune(n.eng.Now())
	cp := &n.ce[ce]
	// The weakest granted device decides the RAR's robustness.
	worst := float32(0)
	for k := range picks {
		if picks[k].Outcome != mac.NoRAR {
			worst = max(worst, n.ues[picks[k].Dev].cl)
		}
	}
	snr := n.dlSNRAt(float64(worst))
	dt := n.dciTime(snr, cp.rmax)
	// The DCI in the level's Type-2 common search space, the RAR on NPDSCH
	// within the scheduling delay (a RAR of several transport blocks: the
	// others follow).
	txs := n.linkAdapt(false, snr, rarBytes*granted, cp.pdschReps)
	g, dmax := cp.grid(dt), pdschDelayMax(cp.rmax)
	p := c.dl.FitPairAt(int64(earliest), g, dt, pdschDelayMin, dmax, txs[0].Airtime)
	if sim.Time(p.End) > winEnd {
		// Too late for the window: the devices stop listening at its end
		// (TS 36.321 §5.1.4), and the eNodeB, which knows it, sends nothing.
		return sim.Time(p.End)
	}
	c.dl.PlacePair(p) // where it fitted: nothing was placed since
	dciEnd, end := p.DCIEnd, p.End
	for _, t := range txs[1:] {
		s, e := c.dl.Reserve(end+int64(pdschDelayMin), 1, t.Airtime)
		c.dl.Book(mac.Gap, end, s, 1)
		end = e
	}
	// Every device in the window receives the RAR's NPDCCH and NPDSCH.
	rx := time.Duration(end - int64(earliest))
	for k := range picks {
		u := &n.ues[picks[k].Dev]
		n.spend(u, device.Rx, min(rx, dt+time.Duration(end-dciEnd)), n.groups[u.group].prof.ReceiveMW)
	}
	return sim.Time(end)
}

// Priority of the random-access messages over user data. The eNodeB
// serves RARs and Msg4 before user data: an eNB scheduler decides per
// subframe, and a RAR it owes (preambles received) or a Msg4 (Msg3 granted)
// takes the next search-space candidate before any data DCI not yet sent.
// Here reservations are placed when requested, possibly ahead of time, so
// the rule is kept by holding: when a cell receives the first preamble of
// an occasion, it holds the earliest slot of its RAR window a RAR for that
// device fits in (DCI on the Type-2 common search space, the scheduling
// delay, one grant's NPDSCH), and when it grants a Msg3 it holds the Msg4
// slot after it likewise. Data placed later goes around the held slots;
// the message, once built, takes its slot or an earlier free one (the hold
// is released just before). Data placed before the hold keeps its place:
// a DCI sent is not recalled, and an NPDSCH under way is not pre-empted.

// holdRAR holds, on the first preamble of cell u.cell in b, the slot its
// RAR would take; nothing when it would start after the window.
func (n *Network) holdRAR(b *bucket, u *ue) {
	if n.lte {
		return
	}
	for i := range b.holds {
		if b.holds[i].cell == u.cell {
			return
		}
	}
	c := n.on(u.cell, b.car)
	c.prune(n.eng.Now())
	cp := &n.ce[b.ce]
	winStart := int64(b.end) + int64(n.rarProc)
	h := slot{cell: u.cell}
	h.start, h.end = n.holdFor(c, cp, n.dlSNR(u), rarBytes, winStart)
	if h.start > winStart+int64(cp.rarWindow) {
		c.dl.Release(h.start, h.end)
		h.start, h.end = 0, 0
	}
	b.holds = append(b.holds, h)
}

// holdMsg4 holds the Msg4 slot after a Msg3 that ends at msg3End.
func (n *Network) holdMsg4(id int32, u *ue, msg3End sim.Time) {
	if n.lte {
		return
	}
	c := n.on(u.cell, u.carrier)
	h := slot{cell: id}
	h.start, h.end = n.holdFor(c, &n.ce[u.att.CE], n.dlSNR(u), msg4Bytes, int64(msg3End)+int64(pdschDelayMin))
	c.msg4 = append(c.msg4, h)
}

// releaseMsg4 releases the Msg4 slot held for device id, and drops the
// holds of devices that never came back for theirs (ended before now).
func (c *cell) releaseMsg4(id int32, now int64) {
	for i := 0; i < len(c.msg4); {
		h := c.msg4[i]
		if h.cell == id || h.end <= now {
			c.dl.Release(h.start, h.end)
			c.msg4[i] = c.msg4[len(c.msg4)-1]
			c.msg4 = c.msg4[:len(c.msg4)-1]
			continue
		}
		i++
	}
}

// holdFor holds on c's downlink, from earliest, a DCI on cp's search space
// and an NPDSCH of bytes for a device at snr, as one block.
func (n *Network) holdFor(c *cell, cp *ceParams, snr float64, bytes int, earliest int64) (start, end int64) {
	dt := n.dciTime(snr, cp.rmax)
	d := dt + pdschDelayMin
	if txs := n.linkAdapt(false, snr, bytes, cp.pdschReps); len(txs) > 0 {
		d += txs[0].Airtime
	}
	return c.dl.Hold(earliest, d, cp.grid(dt))
}

// msg3Sender is the pick whose Msg3 the grant of the group starting at
// picks[k] carries: the one that wins by capture, if any (its Msg3 is the
// one the eNB may decode), else the first.
func msg3Sender(picks []mac.Pick, k int) *mac.Pick {
	for i := k; i < k+int(picks[k].GroupSize) && i < len(picks); i++ {
		if picks[i].Winner {
			return &picks[i]
		}
	}
	return &picks[k]
}

// reserveMsg3 places device id's Msg3 transmission after the RAR (TS
// 36.213 §16.3.3: no earlier than 12 subframes after the RAR) and returns
// its end time, where onMsg3 decides its outcome.
func (n *Network) reserveMsg3(id int32, u *ue, cellID int32, ce int, after sim.Time, _ int) sim.Time {
	if n.lte {
		l := n.sc.RandomAccess.LTE
		return after + sim.Time(l.Msg3Delay.D()) + sim.Time(time.Millisecond)
	}
	return sim.Time(n.ulTransmit(id, u, cellID, msg3Bytes, int64(after)+int64(12*time.Millisecond), n.ce[ce].puschReps, false, 0))
}

// msg3BLER is the BLER of device id's Msg3 transmission ending now: in
// LTE mode the scenario's HARQ error rate; for NB-IoT at the interference
// it met (ulOutcome), and when link adaptation split it into transport
// blocks, the chance that one of them fails (0 when the device made no
// transmission: a collided device whose group's Msg3 another sent). It
// also closes the records.
func (n *Network) msg3BLER(id int32, u *ue) float64 {
	if n.lte {
		return n.sc.RandomAccess.LTE.HARQErrorRate
	}
	ok := 1.0
	for {
		_, bler, found := n.ulOutcome(id, u, u.cell)
		if !found {
			return 1 - ok
		}
		ok *= 1 - bler
	}
}

// onMsg3 runs when a Msg3 transmission ends.
func (n *Network) onMsg3(id int32, u *ue) {
	now := n.eng.Now()
	n.on(u.cell, u.carrier).releaseMsg4(id, int64(now)) // Msg4 takes its slot, or an earlier one
	ce := &n.ce[u.att.CE]
	u.crDead = now + sim.Time(ce.crTimer) // (re)started at each Msg3 transmission, TS 36.321 §5.1.5
	u.msgBLER = float32(n.msg3BLER(id, u))
	if u.flags&fCollided != 0 && u.flags&fWinner == 0 {
		// Several devices sent Msg3 on one grant: nothing decodable, no Msg4.
		u.tmr = n.eng.At(u.crDead, sim.Normal, n, kRAFail, id)
		return
	}
	if u.rng.Float64() < float64(u.msgBLER) {
		if int(u.harq) < n.maxMsg3Tx() {
			u.harq++
			var end sim.Time
			if n.lte {
				end = now + sim.Time(n.sc.RandomAccess.LTE.HARQRTT.D())
			} else {
				end = sim.Time(n.ulTransmit(id, u, u.cell, msg3Bytes, int64(now)+int64(ce.pdcch)+int64(8*time.Millisecond), ce.puschReps, false, 0))
			}
			u.tmr = n.eng.At(end, sim.Normal, n, kMsg3, id)
			return
		}
		u.tmr = n.eng.At(u.crDead, sim.Normal, n, kRAFail, id)
		return
	}
	u.harq = 1
	n.sendMsg4(id, u, now)
}

func (n *Network) maxMsg3Tx() int {
	if n.lte {
		return n.sc.RandomAccess.LTE.MaxHARQTx
	}
	return n.sc.RandomAccess.MaxHARQMsg3Tx
}

func (n *Network) maxMsg4Tx() int {
	if n.lte {
		return n.sc.RandomAccess.LTE.MaxHARQTx
	}
	return n.sc.RandomAccess.MaxHARQMsg4Tx
}

// sendMsg4 schedules the contention resolution message.
func (n *Network) sendMsg4(id int32, u *ue, now sim.Time) {
	var end sim.Time
	if n.lte {
		// TR 37.868: Msg4 starts Msg4Delay (eNB processing) after Msg3 and
		// lasts a subframe; a retransmission ends Msg4HARQRTT after the
		// previous transmission (onMsg4).
		u.msgBLER = float32(n.sc.RandomAccess.LTE.HARQErrorRate)
		end = now + sim.Time(n.sc.RandomAccess.LTE.Msg4Delay.D()) + sim.Time(time.Millisecond)
	} else {
		e, bler := n.dlTransmit(id, u, msg4Bytes, int64(now)+int64(4*time.Millisecond), n.ce[u.att.CE].pdschReps, false)
		u.msgBLER = float32(bler)
		end = sim.Time(e)
	}
	if end > u.crDead {
		u.tmr = n.eng.At(u.crDead, sim.Normal, n, kRAFail, id)
		return
	}
	u.tmr = n.eng.At(end, sim.Normal, n, kMsg4, id)
}

// onMsg4 runs when Msg4 has been received (or its HARQ transmission failed).
func (n *Network) onMsg4(id int32, u *ue) {
	now := n.eng.Now()
	if u.rng.Float64() < float64(u.msgBLER) {
		if int(u.harq) < n.maxMsg4Tx() {
			u.harq++
			if n.lte {
				n.resendMsg4LTE(id, u, now)
				return
			}
			n.sendMsg4(id, u, now+sim.Time(n.ce[u.att.CE].pdcch))
			return
		}
		u.tmr = n.eng.At(max(u.crDead, now), sim.Normal, n, kRAFail, id)
		return
	}
	// Contention resolution successful: RA complete (TS 36.321 §5.1.5).
	g := &n.groups[u.group].stats
	g.accOK++
	g.preTxOK += int64(u.att.Tx)
	if tx := int(u.att.Tx); tx > 0 {
		if tx > len(g.preTxHist) {
			g.preTxHist = append(g.preTxHist, make([]int64, tx-len(g.preTxHist))...)
		}
		g.preTxHist[tx-1]++
	}
	g.delays.add(float32(float64(now-u.preFirst)/1e6), n.live != nil)
	g.triggerDelays.add(float32(float64(now-u.raStart)/1e6), n.live != nil)
	n.series[n.minute(now)].successes++
	u.flags |= fFirstUL
	u.step = 0
	n.step(id, u, device.Input{Kind: device.InAccessOK})
}

// resendMsg4LTE retransmits Msg4 in lte mode: it ends Msg4HARQRTT after the
// failed transmission ended at now (TR 37.868), unless the contention
// resolution timer runs out first.
func (n *Network) resendMsg4LTE(id int32, u *ue, now sim.Time) {
	end := now + sim.Time(n.sc.RandomAccess.LTE.Msg4HARQRTT.D())
	if end > u.crDead {
		u.tmr = n.eng.At(u.crDead, sim.Normal, n, kRAFail, id)
		return
	}
	u.tmr = n.eng.At(end, sim.Normal, n, kMsg4, id)
}

// onRAFail handles a failed preamble attempt: backoff and retry, move up a
// CE level, or give up (TS 36.321 §5.1.4–5.1.5).
func (n *Network) onRAFail(id int32, u *ue) {
	ra := &n.sc.RandomAccess
	transMax, atCE := ra.PreambleTransMaxCE, n.ce[u.att.CE].maxAttempts
	if n.lte {
		transMax, atCE = ra.LTE.MaxPreambleTx, ra.LTE.MaxPreambleTx
	}
	switch u.att.AfterFailure(atCE, transMax) {
	case mac.Fail:
		n.accessFailed(id, u)
		return
	}
	n.setMode(id, u, device.ModeRAWait)
	var bo time.Duration
	if n.lte {
		bo = time.Duration(u.rng.Float64() * float64(ra.LTE.Backoff.D()))
	} else {
		bo = mac.Backoff(&u.rng, ra.BackoffIndex, true)
	}
	u.tmr = n.eng.After(bo, n, kBackoff, id)
}

// accessFailed ends an access procedure unsuccessfully.
func (n *Network) accessFailed(id int32, u *ue) {
	now := n.eng.Now()
	g := &n.groups[u.group].stats
	g.accFail++
	n.series[n.minute(now)].failures++
	n.obs.accessFailed(id)
	n.step(id, u, device.Input{Kind: device.InAccessFailed})
}
