package model

import (
	"math"
	"math/bits"
	"time"

	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/report"
)

// ulHit is an NPUSCH transmission of another cell's device as a cell
// receives it: on lanes [lo, hi) of the carrier (neighbours share the
// carrier frequency, so a lane is the same subcarriers in every cell),
// from start to end, at mw per lane.
type ulHit struct {
	start, end int64
	mw         float32
	lo, hi     uint8
	proxy      bool // stands in for another cluster's transmissions of the window ahead (partition_run.go exchange)
}

// ulRx is one NPUSCH transmission (one HARQ attempt) of a cell's own
// device, from its placement until its end, when its outcome is decided
// (Network.ulOutcome). mw gathers the interference it meets: every other
// cell's transmission that overlaps it in lanes and time, whether placed
// before it (ulBook.place) or after (ulBook.hit), each counted for its
// overlap, averaged over the transmission's lanes and time (mW per lane).
// At its end every overlapping transmission is known: one placed later
// starts no earlier than when it is placed.
type ulRx struct {
	start, end int64
	due        int64 // when its outcome is asked: its end, or a later transport block's
	mw         float64
	// snr0 is the SNR the transmission reaches with no interference, at
	// its power-controlled power, per repetition over its bandwidth and
	// after repetition combining (the link model's input, dB); req is its
	// format's required SNR (phy.Transmission.RequiredSNRdB).
	snr0, req float32
	// ref is the SNR the device reaches at P_CMAX without interference
	// (single tone, 15 kHz) less link adaptation's input (quantSNR of the
	// SNR at P_CMAX and the measured interference): what moves a format's
	// SNR (phy.Transmission.SNRdB) to the interference-free one.
	ref    float32
	id     int32 // the transmitting device
	lo, hi uint8
	// tb, k: the transport block of txs and the HARQ attempt (0 the
	// first) of a data transmission; txs is nil for Msg3.
	tb, k uint8
	txs   []phy.Transmission
}

// ulBook is a cell's record of uplink transmissions for the interference
// its own meet: the other cells' (hits) not yet ended, and its own whose
// outcome is still to come (rx). Both are pruned as time passes, so they
// hold what is on air or ahead.
type ulBook struct {
	hits    []ulHit
	rx      []ulRx
	pruneAt int64
}

// overlapMW is h's contribution to the mean interference per lane over
// lanes [lo, hi) and time [s, e): its power times its overlap in lanes
// and time, over the whole.
func overlapMW(h *ulHit, s, e int64, lo, hi int) float64 {
	if h.end <= s || h.start >= e {
		return 0
	}
	dl := min(hi, int(h.hi)) - max(lo, int(h.lo))
	if dl <= 0 {
		return 0
	}
	return float64(h.mw) * float64(min(e, h.end)-max(s, h.start)) * float64(dl) /
		(float64(e-s) * float64(hi-lo))
}

// mean is the interference per lane (mW) the recorded hits put on lanes
// [lo, hi) over time [s, e), averaged over both.
func (b *ulBook) mean(s, e int64, lo, hi int) float64 {
	if e <= s || hi <= lo {
		return 0
	}
	sum := 0.0
	for i := range b.hits {
		sum += overlapMW(&b.hits[i], s, e, lo, hi)
	}
	return sum
}

// place starts the record of an own transmission r, with the
// interference of the hits already known.
func (b *ulBook) place(r ulRx) {
	r.mw = b.mean(r.start, r.end, int(r.lo), int(r.hi))
	b.rx = append(b.rx, r)
}

// hit records another cell's transmission h and adds it to the own
// transmissions it overlaps.
func (b *ulBook) hit(h ulHit) {
	b.hits = append(b.hits, h)
	for i := range b.rx {
		r := &b.rx[i]
		if r.end > r.start && r.hi > r.lo {
			r.mw += overlapMW(&h, r.start, r.end, int(r.lo), int(r.hi))
		}
	}
}

// take removes and returns a transmission of device id whose outcome is
// due now and the interference it met over thermal (dB), adding that to d.
func (b *ulBook) take(id int32, now int64, d *report.DBHist, noise float64) (ulRx, float64, bool) {
	j := -1
	for i := range b.rx {
		if r := &b.rx[i]; r.id == id && r.due == now {
			j = i
			break
		}
	}
	if j < 0 {
		return ulRx{}, 0, false
	}
	r := b.rx[j]
	last := len(b.rx) - 1
	b.rx[j] = b.rx[last]
	b.rx[last].txs = nil // the slice is the link cache's: hold it no longer
	b.rx = b.rx[:last]
	iot := overThermalDb(r.mw, noise)
	d.Add(iot)
	return r, iot, true
}

// prune drops the hits that ended at or before now (an own transmission
// placed from now on starts no earlier) and closes into d the own
// transmissions due before now whose outcome was not asked (their
// device's timer was cancelled), at most once per ulPruneEvery.
func (b *ulBook) prune(now int64, d *report.DBHist, noise float64) {
	if now < b.pruneAt {
		return
	}
	b.pruneAt = now + int64(ulPruneEvery)
	h := b.hits[:0]
	for _, x := range b.hits {
		if x.end > now {
			h = append(h, x)
		}
	}
	b.hits = h
	r := b.rx[:0]
	for _, x := range b.rx {
		if x.due >= now {
			r = append(r, x)
		} else {
			d.Add(overThermalDb(x.mw, noise))
		}
	}
	clear(b.rx[len(r):])
	b.rx = r
}

// ulPruneEvery is how often a cell's ulBook drops what ended (a hit that
// ended is only skipped meanwhile).
const ulPruneEvery = time.Second

// dist is the distribution of d with the transmissions still in the
// book added (neither changes: results may be read more than once).
func (b *ulBook) dist(d *report.DBHist, noise float64) report.IoTDist {
	all := b.withOpen(d, noise)
	return all.Dist()
}

// withOpen is d with the transmissions still in the book added (neither
// changes).
func (b *ulBook) withOpen(d *report.DBHist, noise float64) report.DBHist {
	all := *d
	for i := range b.rx {
		all.Add(overThermalDb(b.rx[i].mw, noise))
	}
	return all
}

// ulBLER is the first-transmission BLER of r at iotDb, the interference
// over thermal it met: the link model's curve (phy.BLER) at its SINR, its
// interference-free SNR less iotDb.
func ulBLER(r *ulRx, iotDb float64) float64 {
	return phy.BLER(float64(r.snr0)-iotDb, float64(r.req))
}

// repGains is phy.RepetitionGainDb for 1, 2, 4, … 2048 repetitions (the
// NPUSCH and NPDSCH values are powers of 2), computed once: a transmission
// asks for it at each placement.
var repGains = func() (g [12]float64) {
	for i := range g {
		g[i] = phy.RepetitionGainDb(1 << i)
	}
	return g
}()

// repGainDb is phy.RepetitionGainDb(reps), from repGains when reps is a
// power of 2 it holds.
func repGainDb(reps int) float64 {
	if reps > 0 && reps&(reps-1) == 0 {
		if i := bits.TrailingZeros(uint(reps)); i < len(repGains) {
			return repGains[i]
		}
	}
	return phy.RepetitionGainDb(reps)
}

// overThermalDb is interference mw over thermal noise (same bandwidth) in dB.
func overThermalDb(mw, noise float64) float64 {
	if mw <= 0 {
		return 0
	}
	return 10 * math.Log10(1+mw/noise)
}

// ulFirstLane is where a cell's uplink lane order starts (mac.Carrier's
// SetFirstLane): sector k of a site's sectors starts at (k mod 3)·lanes/3,
// so the first transmissions a site's sectors place at one time (the
// Msg3s answering one NPRACH occasion, granted at the same RAR timing)
// take different subcarriers. A model choice, in the manner of LTE's
// PCI-mod-3 planning: docs/model.md, Uplink interference.
func ulFirstLane(sector, sectors, lanes int) int {
	if sectors < 2 {
		return 0
	}
	return sector % 3 * (lanes / 3)
}

// laneNoise is thermal noise per uplink lane (mW).
func (n *Network) laneNoise() float64 { return n.noise15 / float64(n.radio.ulLaneScale) }
