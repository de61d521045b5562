package model

import (
	"time"

	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/sim"
)

// limitStep is the time resolution of the bottleneck rule: each cell's
// resources are judged over steps of this length (the time series shows
// minutes, six steps). Ten seconds hold at least four NPRACH occasions of
// every periodicity TS 36.331 allows (up to 2.56 s) and order the
// saturations of a burst: a synchronised burst loads CE0 first, CE1 and
// CE2 only after devices escalate.
const limitStep = 10 * time.Second

// resources keeps what the bottleneck rule needs beyond the carriers' own
// books (mac.Carrier.Track): per cell, carrier and CE level, the preambles
// received in each step (by the time their occasion starts) and the
// collided (occasion, preamble) pairs of the run. It only counts: no draw,
// no reservation depends on it.
//
// A cell's figures are pooled over its carriers (docs/model.md,
// Multi-carrier): the NPRACH load is the preambles of all its carriers
// over all their (occasion, preamble) pairs, a channel's utilisation its
// busy time on all carriers over the carriers' time.
//
// The books are read once a minute is over for good (foldLag later: no
// booking reaches that far back) and then dropped (fold), so their memory
// follows the minutes still open, not the length of the run: what is kept
// of the past is what the results print, per cell (cellFold) and per
// minute of the time series (foldRows).
type resources struct {
	nce      int
	ncar     int // carriers per cell
	steps    int
	picks    []stepCounts // [(cell·ncar + carrier)·nce + ce]
	picksAll []int64      // [(cell·ncar + carrier)·nce + ce]
	collided []int64      // [(cell·ncar + carrier)·nce + ce]
	cells    []cellFold   // by cell: what the results keep of its steps (shared by a split run's clusters, each writing its own cells')
	fold     *folding     // the network's (a cluster's) own folding, made with the first fold
}

// stepCounts are counts per step, in chunks of countChunk steps allocated
// with their first count and dropped by forget.
type stepCounts struct {
	chunks []*[countChunk]int32
	forgot int   // steps before it were dropped
	late   int64 // counts into dropped steps
}

const countChunk = 512

// add counts one in step k (0 <= k < steps).
func (c *stepCounts) add(k, steps int) {
	if k < c.forgot {
		c.late++
		return
	}
	if c.chunks == nil {
		c.chunks = make([]*[countChunk]int32, (steps+countChunk-1)/countChunk)
	}
	p := &c.chunks[k/countChunk]
	if *p == nil {
		*p = new([countChunk]int32)
	}
	(*p)[k%countChunk]++
}

// at is the count of step k (0 once dropped).
func (c *stepCounts) at(k int) int32 {
	if k < c.forgot || c.chunks == nil {
		return 0
	}
	if p := c.chunks[k/countChunk]; p != nil {
		return p[k%countChunk]
	}
	return 0
}

// forget drops the steps before k.
func (c *stepCounts) forget(k int) {
	if k <= c.forgot {
		return
	}
	c.forgot = k
	for i := range min(k/countChunk, len(c.chunks)) {
		c.chunks[i] = nil
	}
}

// trackResources starts the per-step books of every cell's resources.
func (n *Network) trackResources() {
	r := &n.res
	r.nce = len(n.ce)
	r.ncar = n.carriers
	r.steps = int((n.end.D() + limitStep - 1) / limitStep)
	k := len(n.cells) * r.ncar * r.nce
	r.picks = make([]stepCounts, k)
	r.picksAll = make([]int64, k)
	r.collided = make([]int64, k)
	r.cells = make([]cellFold, len(n.cells))
	r.fold = nil
	for i := range n.cells {
		for car := 0; car < n.carriers; car++ {
			c := n.on(int32(i), uint8(car))
			c.ul.Track(limitStep, r.steps)
			c.dl.Track(limitStep, r.steps)
		}
	}
}

// at is the index of (cell, carrier, CE level) in the books.
func (r *resources) at(cell int32, car uint8, ce int) int {
	return (int(cell)*r.ncar+int(car))*r.nce + ce
}

// pick counts a preamble received by cell on carrier car on CE level ce's
// occasion that started at start.
func (r *resources) pick(cell int32, car uint8, ce int, start sim.Time) {
	if r.picks == nil {
		return
	}
	i := r.at(cell, car, ce)
	r.picksAll[i]++
	if k := int(start / sim.Time(limitStep)); k >= 0 && k < r.steps {
		r.picks[i].add(k, r.steps)
	}
}

// collide counts a collided (occasion, preamble) pair of cell on carrier
// car on CE level ce.
func (r *resources) collide(cell int32, car uint8, ce int) {
	if r.collided != nil {
		r.collided[r.at(cell, car, ce)]++
	}
}

// resourceNames are the radio resources of a cell, in the order of the
// time series' columns (report.ResourceNames: NPRACH per CE level, NPDCCH,
// NPDSCH, the downlink's held gaps, NPUSCH).
func (n *Network) resourceNames() []string { return report.ResourceNames(len(n.ce)) }

// use fills u (len(n.ce)+4, in resourceNames order) with cell ci's
// utilisation of each resource over the steps [k0, k1) (the last step of
// the run may be partial): the NPRACH load (preambles per (occasion,
// preamble) pair offered), and the carriers' busy lane-time over their
// lane-time, pooled over the cell's carriers.
func (n *Network) use(u []float64, ci, k0, k1 int) {
	k1 = min(k1, n.res.steps)
	from := time.Duration(k0) * limitStep
	to := min(time.Duration(k1)*limitStep, n.end.D())
	ncar := n.carriers
	for k := range n.ce {
		ce := &n.ce[k]
		offered := (ce.occ.CountIn(to) - ce.occ.CountIn(from)) * int64(ce.nPreambles) * int64(ncar)
		var picks int64
		for car := 0; car < ncar; car++ {
			p := &n.res.picks[n.res.at(int32(ci), uint8(car), k)]
			for j := k0; j < k1; j++ {
				picks += int64(p.at(j))
			}
		}
		u[k] = report.Ratio(picks, offered)
	}
	var dcch, dsch, gap, ul float64
	for j := k0; j < k1; j++ {
		for car := 0; car < ncar; car++ {
			c := n.on(int32(ci), uint8(car))
			dcch += c.dl.BusyIn(mac.Control, j)
			dsch += c.dl.BusyIn(mac.Shared, j)
			gap += c.dl.BusyIn(mac.Gap, j)
			ul += c.ul.BusyIn(mac.Shared, j)
		}
	}
	c := &n.cells[ci]
	l := float64(to-from) * float64(ncar)
	nce := len(n.ce)
	u[nce], u[nce+1], u[nce+2], u[nce+3] = 0, 0, 0, 0
	if l > 0 {
		// Bookings in the last, partial step past the end count too: at most 1.
		u[nce] = min(1, dcch/l)
		u[nce+1] = min(1, dsch/l)
		u[nce+2] = min(1, gap/l)
		u[nce+3] = min(1, ul/(l*float64(c.ul.Lanes())))
	}
}

// limit is one cell's bottleneck candidate in one step.
type limit struct {
	cell, step int
	res        int // index in resourceNames
	sat        float64
	saturated  bool
}

// better reports whether l saturated before o, or, neither saturated,
// came closer: earlier saturation, then the higher figure, then the
// lower cell.
func (l limit) better(o limit) bool {
	switch {
	case o.res < 0:
		return l.res >= 0
	case l.saturated != o.saturated:
		return l.saturated
	case l.saturated && l.step != o.step:
		return l.step < o.step
	case l.sat != o.sat:
		return l.sat > o.sat
	}
	return l.cell < o.cell
}

// resourceResults computes every cell's resource use and bottleneck, the
// network's bottleneck and the time series' resource columns, from what
// fold kept of the steps (every minute is folded by now: foldRest).
func (n *Network) resourceResults(res *report.Results, ts *report.TimeSeries, cells []int) {
	names := n.resourceNames()
	net := limit{res: -1}
	var netUse []float64
	for j, ci := range cells {
		ck := &res.Cells[j]
		ck.Resources = n.runUse(ci, 0, n.carriers, names)
		for k := range ck.Carriers {
			ck.Carriers[k].Resources = n.runUse(ci, k, k+1, names)
		}
		f := &n.res.cells[ci]
		for k, name := range names {
			ru := ck.Resources[name]
			if f.peak != nil {
				ru.Peak, ru.LimitS = f.peak[k], f.limitS[k]
			}
			ck.Resources[name] = ru
		}
		first := f.first
		if f.peak == nil { // no step (a run of length 0)
			first = limit{res: -1}
		}
		ck.Bottleneck = bottleneck(first, names, f.firstUse)
		if first.better(net) {
			net, netUse = first, f.firstUse
		}
	}
	res.Bottleneck = bottleneck(net, names, netUse)
	if net.res >= 0 {
		res.Bottleneck.Cell = n.cells[net.cell].name
	}
	n.seriesUse(ts, names)
}

// seriesUse fills the time series' resource columns from the folded
// minutes (a split run's clusters' merged).
func (n *Network) seriesUse(ts *report.TimeSeries, names []string) {
	ts.Resources = names
	rows := n.foldRows()
	nres := len(names)
	for i := range ts.Rows {
		r := &ts.Rows[i]
		m := r.Minute
		if rows == nil || m >= len(rows.lim) {
			r.Utilisation, r.Limit = make([]float64, nres), report.ResNone
			continue
		}
		r.Utilisation = rows.util[m*nres : (m+1)*nres : (m+1)*nres]
		r.Limit, r.LimitFigure = report.ResNone, 0
		if l := rows.lim[m]; l.res >= 0 {
			r.Limit, r.LimitFigure = names[l.res], l.top
		}
	}
}

// runUse is cell ci's use of each resource over the run, pooled over its
// carriers [car0, car1) (Peak and LimitS are filled step by step).
func (n *Network) runUse(ci, car0, car1 int, names []string) map[string]report.ResourceUse {
	d := n.end.D()
	out := make(map[string]report.ResourceUse, len(names))
	for k := range n.ce {
		ce := &n.ce[k]
		offered := ce.occ.CountIn(d) * int64(ce.nPreambles) * int64(car1-car0)
		var picks, collided int64
		for car := car0; car < car1; car++ {
			i := n.res.at(int32(ci), uint8(car), k)
			picks += n.res.picksAll[i]
			collided += n.res.collided[i]
		}
		cp := report.Ratio(collided, offered)
		out[names[k]] = report.ResourceUse{
			Utilisation:          report.Ratio(picks, offered),
			CollisionProbability: &cp,
		}
	}
	var dcch, dsch, gap, ul float64
	for car := car0; car < car1; car++ {
		c := n.on(int32(ci), uint8(car))
		dcch += c.dl.UtilisationOf(mac.Control, d)
		dsch += c.dl.UtilisationOf(mac.Shared, d)
		gap += c.dl.UtilisationOf(mac.Gap, d)
		ul += c.ul.UtilisationOf(mac.Shared, d)
	}
	nc := float64(car1 - car0)
	nce := len(n.ce)
	out[names[nce]] = report.ResourceUse{Utilisation: dcch / nc}
	out[names[nce+1]] = report.ResourceUse{Utilisation: dsch / nc}
	out[names[nce+2]] = report.ResourceUse{Utilisation: gap / nc}
	out[names[nce+3]] = report.ResourceUse{Utilisation: ul / nc}
	return out
}

// bottleneck turns the chosen limit into its report (no cell name).
func bottleneck(l limit, names []string, use []float64) report.Bottleneck {
	b := report.Bottleneck{Resource: report.ResNone, Utilisation: map[string]float64{}}
	if l.res < 0 {
		return b
	}
	if l.saturated {
		b.Resource = names[l.res]
	}
	b.TimeS, b.Saturation = (time.Duration(l.step) * limitStep).Seconds(), l.sat
	for k, v := range use {
		b.Utilisation[names[k]] = v
	}
	return b
}
