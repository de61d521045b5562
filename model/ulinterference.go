package model

import (
	"math"

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
}

// ulHitsMax bounds a cell's record of interfering NPUSCH transmissions:
// the ulHitsMax most recently scheduled ones are kept.
const ulHitsMax = 32

// ulHits is a cell's bounded record of interfering NPUSCH transmissions.
type ulHits struct {
	h      [ulHitsMax]ulHit
	next   uint8
	maxEnd int64 // latest end of any record: nothing is on air after it
}

// add records h, replacing the oldest record when full.
func (r *ulHits) add(h ulHit) {
	r.h[r.next] = h
	r.next = (r.next + 1) % ulHitsMax
	r.maxEnd = max(r.maxEnd, h.end)
}

// mean is the interference per lane (mW) over lanes [lo, hi) and time
// [s, e), averaged over both: each record counts its power times its
// overlap in lanes and in time.
func (r *ulHits) mean(s, e int64, lo, hi int) float64 {
	if e <= s || hi <= lo || s >= r.maxEnd {
		return 0
	}
	sum := 0.0
	for i := range r.h {
		h := &r.h[i]
		if h.end <= s || h.start >= e {
			continue
		}
		if dl := min(hi, int(h.hi)) - max(lo, int(h.lo)); dl > 0 {
			sum += float64(h.mw) * float64(min(e, h.end)-max(s, h.start)) * float64(dl)
		}
	}
	return sum / (float64(e-s) * float64(hi-lo))
}

// overThermalDb is interference mw over thermal noise (same bandwidth) in dB.
func overThermalDb(mw, noise float64) float64 {
	if mw <= 0 {
		return 0
	}
	return 10 * math.Log10(1+mw/noise)
}

// ulOwn is one of the cell's own NPUSCH transmissions whose interference
// sample is still open: later-scheduled neighbour transmissions that
// overlap it still add to mw (mean interference per lane, mW).
type ulOwn struct {
	start, end int64
	mw         float64
	lo, hi     uint8
	open       bool
}

// ulOwnSamples is a cell's bounded set of open samples: the ulHitsMax
// most recent own transmissions; older ones are closed into the
// distribution.
type ulOwnSamples struct {
	o      [ulHitsMax]ulOwn
	next   uint8
	maxEnd int64 // latest end of any sample
}

// open starts the sample of an own transmission, closing the oldest into d.
func (r *ulOwnSamples) open(o ulOwn, d *report.DBHist, noise float64) {
	if old := &r.o[r.next]; old.open {
		d.Add(overThermalDb(old.mw, noise))
	}
	o.open = true
	r.o[r.next] = o
	r.next = (r.next + 1) % ulHitsMax
	r.maxEnd = max(r.maxEnd, o.end)
}

// hit adds a neighbour transmission h, scheduled after them, to the open
// samples it overlaps.
func (r *ulOwnSamples) hit(h *ulHit) {
	if h.start >= r.maxEnd {
		return // every own transmission ended before h starts
	}
	for i := range r.o {
		o := &r.o[i]
		if !o.open || h.end <= o.start || h.start >= o.end {
			continue
		}
		if dl := min(int(o.hi), int(h.hi)) - max(int(o.lo), int(h.lo)); dl > 0 {
			o.mw += float64(h.mw) * float64(min(o.end, h.end)-max(o.start, h.start)) * float64(dl) /
				(float64(o.end-o.start) * float64(o.hi-o.lo))
		}
	}
}

// dist is the distribution of d with the open samples added (neither
// changes: results may be read more than once).
func (r *ulOwnSamples) dist(d *report.DBHist, noise float64) report.IoTDist {
	all := r.withOpen(d, noise)
	return all.Dist()
}

// withOpen is d with the open samples added (neither changes).
func (r *ulOwnSamples) withOpen(d *report.DBHist, noise float64) report.DBHist {
	all := *d
	for i := range r.o {
		if o := &r.o[i]; o.open {
			all.Add(overThermalDb(o.mw, noise))
		}
	}
	return all
}
