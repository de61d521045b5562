package model

import (
	"fmt"
	"time"

	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/sim"
)

// foldLag is how long after a minute's end its resource books are read for
// the results and dropped (fold). Every booking is made at or after the
// time it is made (a reservation, a gap before it, a back-filling), but
// an NPRACH occasion's preambles are counted, once it is resolved, at the
// occasion's start: at most an occasion (under 2 s with the largest
// repetitions) back. Two minutes leave a wide margin; a booking that came
// later still is counted (mac.Carrier.Late, stepCounts.late) and fails
// the run (checkLate) rather than go missing.
const foldLag = 2 * time.Minute

// stepsPerMinute is the number of bottleneck steps in a minute of the
// time series.
const stepsPerMinute = int(time.Minute / limitStep)

// cellFold is what the results keep of one cell's steps: per resource (in
// resourceNames order) the peak utilisation and the time the bottleneck
// rule named it, and the first step that saturated (or came closest).
type cellFold struct {
	peak, limitS []float64
	first        limit
	firstUse     []float64
}

// folding is one network's (a split run's cluster's) folded minutes: the
// time series' resource columns of its reported cells.
type folding struct {
	own    []int // the cells the network books (a cluster's), ascending
	rep    []bool
	minute int // minutes folded
	rows   *foldRows
}

// foldRows are the time series' resource columns of the folded minutes:
// per minute each resource's highest utilisation over the cells (util,
// minute·resources + resource) and the bottleneck rule's choice (lim).
type foldRows struct {
	util []float64
	lim  []rowLimit
}

// rowLimit is a minute's bottleneck: the resource the rule names with the
// highest figure over the cells (res -1: none), that figure, and the cell
// (the first in cell order on a tie).
type rowLimit struct {
	top  float64
	res  int32
	cell int32
}

// minutes is how many minutes of the time series the steps cover.
func (r *resources) minutes() int { return (r.steps + stepsPerMinute - 1) / stepsPerMinute }

// folder is n's folding, made on first use: its own cells and which of
// them the results report.
func (n *Network) folder() *folding {
	if f := n.res.fold; f != nil {
		return f
	}
	f := &folding{rows: &foldRows{}}
	rep := make([]bool, len(n.cells))
	for _, c := range n.reportedCells() {
		rep[c] = true
	}
	for c := range n.cells {
		if n.cl == nil || n.cl.p.cellOf[c] == n.cl.k {
			f.own = append(f.own, c)
		}
	}
	f.rep = rep
	n.res.fold = f
	return f
}

// foldDue folds the minutes that ended foldLag or more before now.
func (n *Network) foldDue(now sim.Time) {
	if n.res.steps == 0 {
		return
	}
	n.fold(int((now - sim.Time(foldLag)) / sim.Time(time.Minute)))
}

// foldRest folds every minute left (at the end of the run: no booking
// follows).
func (n *Network) foldRest() {
	if n.res.steps == 0 {
		return
	}
	n.fold(n.res.minutes())
}

// fold reads the minutes before upTo of n's cells into the results'
// figures (the reported cells': cellFold and the rows) and drops their
// steps.
func (n *Network) fold(upTo int) {
	f := n.folder()
	upTo = min(upTo, n.res.minutes())
	if upTo <= f.minute {
		return
	}
	names := n.resourceNames()
	nres := len(names)
	u := make([]float64, nres)
	rows := f.rows
	for m := f.minute; m < upTo; m++ {
		rows.util = append(rows.util, make([]float64, nres)...)
		row := rowLimit{res: -1}
		for _, ci := range f.own {
			if !f.rep[ci] {
				continue
			}
			n.foldSteps(u, ci, m, names)
			n.use(u, ci, m*stepsPerMinute, (m+1)*stepsPerMinute)
			mu := rows.util[m*nres:]
			for k, v := range u {
				mu[k] = max(mu[k], v)
			}
			if b, sat, ok := report.Limit(names, u); ok && (row.res < 0 || sat > row.top) {
				row = rowLimit{top: sat, res: int32(b), cell: int32(ci)}
			}
		}
		rows.lim = append(rows.lim, row)
	}
	f.minute = upTo
	k := upTo * stepsPerMinute
	for _, ci := range f.own {
		for car := 0; car < n.carriers; car++ {
			c := n.on(int32(ci), uint8(car))
			c.ul.Forget(k)
			c.dl.Forget(k)
			for ce := range n.ce {
				n.res.picks[n.res.at(int32(ci), uint8(car), ce)].forget(k)
			}
		}
	}
}

// foldSteps adds cell ci's steps of minute m, in order, to its cellFold:
// the bottleneck rule step by step (u is scratch).
func (n *Network) foldSteps(u []float64, ci, m int, names []string) {
	cf := &n.res.cells[ci]
	if cf.peak == nil {
		cf.peak, cf.limitS = make([]float64, len(names)), make([]float64, len(names))
		cf.first = limit{res: -1}
	}
	for k := m * stepsPerMinute; k < min((m+1)*stepsPerMinute, n.res.steps); k++ {
		n.use(u, ci, k, k+1)
		b, sat, ok := report.Limit(names, u)
		l := limit{cell: ci, step: k, res: b, sat: sat, saturated: ok}
		for r, v := range u {
			cf.peak[r] = max(cf.peak[r], v)
		}
		if l.saturated {
			from := time.Duration(l.step) * limitStep
			cf.limitS[l.res] += (min(from+limitStep, n.end.D()) - from).Seconds()
		}
		if l.better(cf.first) {
			cf.first, cf.firstUse = l, append(cf.firstUse[:0], u...)
		}
	}
}

// foldRows are the time series' resource columns of the run: n's own, or
// a split run's reported clusters' merged (the highest utilisation; the
// highest figure, the first cell on a tie, as one pass over the cells in
// order would choose).
func (n *Network) foldRows() *foldRows {
	if n.clusters == nil {
		if n.res.fold == nil {
			return nil
		}
		return n.res.fold.rows
	}
	rep, _ := n.reportedClusters(n.clusters)
	var out *foldRows
	for _, c := range rep {
		if c.res.fold == nil {
			continue
		}
		o := c.res.fold.rows
		if out == nil {
			out = &foldRows{util: append([]float64(nil), o.util...), lim: append([]rowLimit(nil), o.lim...)}
			continue
		}
		for i, v := range o.util[:min(len(o.util), len(out.util))] {
			out.util[i] = max(out.util[i], v)
		}
		for m, l := range o.lim[:min(len(o.lim), len(out.lim))] {
			if cur := out.lim[m]; l.res >= 0 && (cur.res < 0 || l.top > cur.top || l.top == cur.top && l.cell < cur.cell) {
				out.lim[m] = l
			}
		}
	}
	return out
}

// checkLate fails the run if a booking fell into steps already folded
// (foldLag too short for some procedure: a programming error).
func (n *Network) checkLate() error {
	var late int64
	for i := range n.cells {
		for car := 0; car < n.carriers; car++ {
			c := n.on(int32(i), uint8(car))
			late += c.ul.Late() + c.dl.Late()
		}
	}
	for i := range n.res.picks {
		late += n.res.picks[i].late
	}
	if late > 0 {
		return fmt.Errorf("internal error: %d resource bookings came more than %v after their step (model/fold.go foldLag)", late, foldLag)
	}
	return nil
}
