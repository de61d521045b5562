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
type resources struct {
	nce      int
	ncar     int // carriers per cell
	steps    int
	picks    [][]int32 // [(cell·ncar + carrier)·nce + ce][step]
	picksAll []int64   // [(cell·ncar + carrier)·nce + ce]
	collided []int64   // [(cell·ncar + carrier)·nce + ce]
}

// trackResources starts the per-step books of every cell's resources.
func (n *Network) trackResources() {
	r := &n.res
	r.nce = len(n.ce)
	r.ncar = n.carriers
	r.steps = int((n.end.D() + limitStep - 1) / limitStep)
	k := len(n.cells) * r.ncar * r.nce
	r.picks = make([][]int32, k)
	r.picksAll = make([]int64, k)
	r.collided = make([]int64, k)
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
	if r.picks[i] == nil {
		r.picks[i] = make([]int32, r.steps)
	}
	r.picksAll[i]++
	if k := int(start / sim.Time(limitStep)); k >= 0 && k < r.steps {
		r.picks[i][k]++
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
			if p := n.res.picks[n.res.at(int32(ci), uint8(car), k)]; p != nil {
				for j := k0; j < k1; j++ {
					picks += int64(p[j])
				}
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
// network's bottleneck and the time series' resource columns.
func (n *Network) resourceResults(res *report.Results, ts *report.TimeSeries, cells []int) {
	names := n.resourceNames()
	u := make([]float64, len(names))
	net := limit{res: -1}
	var netUse []float64
	for j, ci := range cells {
		ck := &res.Cells[j]
		ck.Resources = n.runUse(ci, 0, n.carriers, names)
		for k := range ck.Carriers {
			ck.Carriers[k].Resources = n.runUse(ci, k, k+1, names)
		}
		first := limit{res: -1}
		var firstUse []float64
		for k := 0; k < n.res.steps; k++ {
			n.use(u, ci, k, k+1)
			b, sat, ok := report.Limit(names, u)
			l := limit{cell: ci, step: k, res: b, sat: sat, saturated: ok}
			n.bookStep(ck, names, u, l)
			if l.better(first) {
				first, firstUse = l, append(firstUse[:0], u...)
			}
		}
		ck.Bottleneck = bottleneck(first, names, firstUse)
		if first.better(net) {
			net, netUse = first, firstUse
		}
	}
	res.Bottleneck = bottleneck(net, names, netUse)
	if net.res >= 0 {
		res.Bottleneck.Cell = n.cells[net.cell].name
	}
	n.seriesUse(ts, names, cells)
}

// bookStep adds one cell's step to the cell's figures.
func (n *Network) bookStep(ck *report.CellKPI, names []string, u []float64, l limit) {
	for k, v := range u {
		ru := ck.Resources[names[k]]
		ru.Peak = max(ru.Peak, v)
		ck.Resources[names[k]] = ru
	}
	if l.saturated {
		from := time.Duration(l.step) * limitStep
		ru := ck.Resources[names[l.res]]
		ru.LimitS += (min(from+limitStep, n.end.D()) - from).Seconds()
		ck.Resources[names[l.res]] = ru
	}
}

// seriesUse fills the time series' resource columns: per minute, each
// resource's highest utilisation over the cells, and the resource the rule
// names with the highest figure over the cells (or none).
func (n *Network) seriesUse(ts *report.TimeSeries, names []string, cells []int) {
	ts.Resources = names
	u := make([]float64, len(names))
	per := int(time.Minute / limitStep)
	for i := range ts.Rows {
		r := &ts.Rows[i]
		r.Utilisation = make([]float64, len(names))
		r.Limit = report.ResNone
		top := 0.0
		for _, ci := range cells {
			n.use(u, ci, r.Minute*per, (r.Minute+1)*per)
			for k, v := range u {
				r.Utilisation[k] = max(r.Utilisation[k], v)
			}
			if b, sat, ok := report.Limit(names, u); ok && (r.Limit == report.ResNone || sat > top) {
				r.Limit, top = names[b], sat
			}
		}
		r.LimitFigure = top
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
