package model

import (
	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/report"
)

// Drop causes (keys of drops_by_cause).
const (
	CauseOutOfCoverage  = "out_of_coverage"
	CauseAccessFailure  = "access_failure"
	CauseUEBufferFull   = "ue_buffer_full"
	CauseHARQFailure    = "harq_failure"
	CauseMTBufferFull   = "mt_buffer_full"
	CauseMTBufferExpiry = "mt_buffer_expired"
	CauseNotRegistered  = "not_registered"
)

// groupStats are one group's counters.
type groupStats struct {
	generated, delivered, dropped int64
	accAttempts, accOK, accFail   int64
	preambles                     int64   // preamble transmissions
	preTxOK                       int64   // preamble transmissions of successful procedures
	preTxHist                     []int64 // successful procedures by preamble transmissions (index = transmissions − 1)
	collided                      int64   // collided (occasion, preamble) pairs involving the group
	mtGen, mtOK, mtDrop           int64
	attaches, taus, pages         int64
	delays                        samples // access delay (first preamble → contention resolution, TR 37.868), ms
	triggerDelays                 samples // access trigger → contention resolution, ms
	attachTimes                   samples // first attach attempt → registered, ms
	latency                       samples // report latency, ms
	mtLatency                     samples
	drops                         map[string]int64 // uplink reports
	mtDrops                       map[string]int64
	stateNS                       [device.NumStates]int64
	stateMJ                       [device.NumStates]exactSum
}

// book adds an energy effect to the group's time and energy by state.
func (s *groupStats) book(e *device.Effect) {
	s.stateNS[e.State] += e.NS
	s.stateMJ[e.State].add(e.MJ)
}

func (s *groupStats) drop(cause string, k int64) {
	if k == 0 {
		return
	}
	if s.drops == nil {
		s.drops = map[string]int64{}
	}
	s.drops[cause] += k
}

func (s *groupStats) dropMT(cause string, k int64) {
	if k == 0 {
		return
	}
	if s.mtDrops == nil {
		s.mtDrops = map[string]int64{}
	}
	s.mtDrops[cause] += k
	s.mtDrop += k
}

// totals are network-wide counters.
type totals struct {
	collided  int64
	connected int64 // devices currently connected
}

// row is one minute of the time series.
type row struct {
	arrivals, preambles, collisions, successes, failures int64
	connected                                            int64 // peak in the minute
}

// exactCap is how many samples of one distribution a group keeps exactly
// (4 MB of float32): up to it, results and plots are computed from the
// samples as before; beyond it only the sketch goes on (a long or large
// run's memory stays bounded: a year of cow-collars made 58 M samples a
// distribution), and its percentiles carry the sketch's error.
const exactCap = 1 << 20

// samples is one distribution of a group's results: the samples
// themselves while there are at most exactCap of them (always in a live
// run: LiveSamples reads them), then a mergeable sketch fed sample by
// sample instead (over), which starts as the sketch of the samples so far
// in their arrival order.
type samples struct {
	sk   report.Sketch // only when over
	xs   []float32
	over bool // more than exactCap and not live: xs dropped
}

// add counts v (ms); live keeps every sample.
func (d *samples) add(v float32, live bool) {
	switch {
	case d.over:
		d.sk.Add(float64(v))
	case !live && len(d.xs) >= exactCap:
		d.spill()
		d.sk.Add(float64(v))
	default:
		d.xs = append(d.xs, v)
	}
}

// spill turns d into its sketch: the samples so far, in arrival order.
func (d *samples) spill() {
	if !d.over {
		d.sk = arrivalSketch(d.xs)
		d.xs, d.over = nil, true
	}
}

// arrivalSketch is the sketch of xs added in their order (its sum in that
// order).
func arrivalSketch(xs []float32) report.Sketch {
	var k report.Sketch
	for _, x := range xs {
		k.Add(float64(x))
	}
	return k
}

// merge adds o's samples (the clusters', in cluster order): exact while
// both are and their sum is within exactCap, else their sketches merged.
func (d *samples) merge(o *samples) {
	if !d.over && !o.over && len(d.xs)+len(o.xs) <= exactCap {
		d.xs = append(d.xs, o.xs...)
		return
	}
	d.spill()
	if o.over {
		d.sk.Merge(&o.sk)
		return
	}
	k := arrivalSketch(o.xs)
	d.sk.Merge(&k)
}

// sketch is the distribution for the results: from the exact samples
// while there are (the sum in ascending order, as report.SketchOf), else
// a copy of the running sketch.
func (d *samples) sketch() *report.Sketch {
	if !d.over {
		return report.SketchOf(d.xs)
	}
	k := &report.Sketch{}
	k.Merge(&d.sk)
	return k
}

// dists are the group's distributions, in a fixed order.
func (s *groupStats) dists() [5]*samples {
	return [5]*samples{&s.delays, &s.triggerDelays, &s.attachTimes, &s.latency, &s.mtLatency}
}

// spillEarly turns into sketches, during a split run, the clusters'
// distributions whose merge (merge, in cluster order) is already bound to
// take their sketch: the results are the same bytes, and the clusters
// together keep at most exactCap samples of a distribution instead of up
// to exactCap each. rep are the clusters the results merge, in order (nil:
// not simulated here); the others' samples are never read and go at once.
//
// The merge concatenates the clusters' samples up to the first cluster k
// that is over the cap or takes the running total past it, then merges the
// sketches of k and every later cluster (each its own samples in arrival
// order, which spill gives early or late alike). Counts only grow and a
// cluster never comes back under the cap, so the k of the counts so far is
// at or after the final one: every cluster from it on can spill now.
func (n *Network) spillEarly(rep, others []*Network) {
	if n.live != nil {
		return // a live run keeps every sample
	}
	for gi, g := range n.groups {
		for d := range 5 {
			// n's own books, which the merge starts from, come first
			s := g.stats.dists()[d]
			total, past := len(s.xs), s.over
			for _, c := range rep {
				s := c.groups[gi].stats.dists()[d]
				total += len(s.xs)
				if past = past || s.over || total > exactCap; past {
					s.spill()
				}
			}
			for _, c := range others {
				c.groups[gi].stats.dists()[d].spill()
			}
		}
	}
}
