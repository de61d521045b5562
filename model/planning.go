package model

// Coverage and traffic from planning data: a group's coupling loss given
// directly (fixed, a table, a CDF or per device from a CSV) instead of
// from geometry, and report sizes drawn from a distribution.

import (
	"fmt"
	"math"
	"sort"

	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sim"
)

// placeCoverage serves every device of g from the first cell of the
// group's placement site (or the cell its CSV row names) at the coupling
// loss the coverage section gives. Such devices have no neighbour cells:
// planning data gives the loss to the serving cell only, so their uplink
// raises no other cell's interference (docs/model.md, Coverage from
// planning data).
func (n *Network) placeCoverage(g *group) error {
	cv := g.cfg.Coverage
	si, err := n.placementSite(g)
	if err != nil {
		return err
	}
	first := -1
	byName := map[string]int{}
	for c := range n.cells {
		if n.cells[c].site == si && first < 0 {
			first = c
		}
		byName[n.cells[c].name] = c
	}
	if cv.CSV != "" && len(cv.Rows) != g.cfg.Count {
		return fmt.Errorf("groups.%s.coverage.coupling_loss_csv: %d rows for %d devices (read the scenario with scenarios.Load or Parse)", g.name, len(cv.Rows), g.count)
	}
	draw := newLossDraw(cv)
	for i := int32(0); i < int32(g.cfg.Count); i++ {
		u := n.initUE(g, i)
		u.nb = [nNeighbours]int32{-1, -1, -1, -1}
		c, cl := first, cv.CouplingLossDb
		switch {
		case cv.CSV != "":
			row := &cv.Rows[i]
			if row.Cell != "" {
				var ok bool
				if c, ok = byName[row.Cell]; !ok {
					return fmt.Errorf("groups.%s.coverage.coupling_loss_csv: row %d: no cell named %q", g.name, i+1, row.Cell)
				}
			}
			cl = row.LossDb
			if row.RSRP {
				cl = phy.RSRPdBm(n.sc.Radio.EnbTxPowerDbm, 0) - row.RSRPDbm
			}
		case draw != nil:
			s := sim.NewStream(n.seed, "group/"+g.name, uint64(i), "coverage")
			cl = draw(s.Float64())
		}
		n.serve(u, c, cl)
		n.shard.keep(n, u, g, i)
	}
	return nil
}

// newLossDraw returns the inverse CDF of a coverage table or CDF (nil for
// a fixed loss or a CSV): it maps a uniform number in [0, 1) to a loss.
func newLossDraw(cv *scenarios.Coverage) func(float64) float64 {
	switch {
	case len(cv.Distribution) > 0:
		t := cv.Distribution
		cum := make([]float64, len(t))
		sum := 0.0
		for i, r := range t {
			sum += r.Share
			cum[i] = sum
		}
		return func(x float64) float64 {
			// The first row whose cumulative share exceeds x (shares sum
			// to 1 within 1e-6: the last row takes any remainder).
			i := sort.SearchFloat64s(cum, math.Nextafter(x, 2))
			return t[min(i, len(t)-1)].LossDb
		}
	case len(cv.CDF) > 0:
		return cdfInverse(cv.CDF)
	}
	return nil
}

// cdfInverse interpolates the inverse of a piecewise-linear CDF: x at or
// below the first point's probability is the first loss (a mass there).
func cdfInverse(t []scenarios.LossProb) func(float64) float64 {
	return func(x float64) float64 {
		if x <= t[0].P {
			return t[0].LossDb
		}
		for i := 1; i < len(t); i++ {
			if x <= t[i].P {
				a, b := t[i-1], t[i]
				if b.P == a.P {
					return b.LossDb
				}
				return a.LossDb + (x-a.P)/(b.P-a.P)*(b.LossDb-a.LossDb)
			}
		}
		return t[len(t)-1].LossDb
	}
}

// sizer draws report payloads of a group with a size distribution: one
// stream per device (purpose "uplink-size"), one draw per report sent.
type sizer struct {
	d   scenarios.SizeDist
	rng []sim.Stream
}

func newSizer(seed uint64, name string, d *scenarios.SizeDist, count int) *sizer {
	s := &sizer{d: *d, rng: make([]sim.Stream, count)}
	for i := range s.rng {
		s.rng[i] = sim.NewStream(seed, "group/"+name, uint64(i), "uplink-size")
	}
	return s
}

// draw is the payload of device i's next report.
func (s *sizer) draw(i int32) int {
	return sizeFrom(&s.d, &s.rng[i])
}

// sizeFrom draws one packet size. Pareto: MinBytes / U^(1/Alpha) with U
// uniform in (0, 1], capped at MaxBytes, rounded to whole bytes.
func sizeFrom(d *scenarios.SizeDist, r *sim.Stream) int {
	switch d.Model {
	case "uniform":
		return d.MinBytes + int(r.Float64()*float64(d.MaxBytes-d.MinBytes+1))
	case "pareto":
		u := 1 - r.Float64() // (0, 1]
		x := float64(d.MinBytes) / math.Pow(u, 1/d.Alpha)
		return int(math.Round(math.Min(x, float64(d.MaxBytes))))
	}
	return d.Bytes
}
