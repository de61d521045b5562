package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// Merged says, in a merged results.json, what was merged: the N shards of
// one sharded run, or whole runs of one scenario with different seeds
// (replications).
type Merged struct {
	Shards int      `json:"shards,omitempty"` // the shard count of a sharded run
	Seeds  []uint64 `json:"seeds,omitempty"`  // the replications' seeds, ascending
}

// Part is one run to merge: its results, time series and merge state.
type Part struct {
	Name    string // where it was read from, for errors
	Results *Results
	Series  *TimeSeries
	State   *State
}

// Merge joins parts, already checked to be of one scenario, version and
// duration and in a fixed order (shards by index, replications by seed),
// into one run's results, time series and state. shards: the parts report
// disjoint cells (their cells are concatenated); otherwise they are
// replications of the same cells (each cell's figures are pooled).
// Counts add; ratios are recomputed from the summed counts; quantiles come
// from the merged sketches; the bottlenecks are chosen again by the rule;
// Expectations are left to the caller (re-evaluated on the result).
func Merge(parts []Part, shards bool) (*Results, *TimeSeries, *State, error) {
	if len(parts) == 0 {
		return nil, nil, nil, fmt.Errorf("nothing to merge")
	}
	first := parts[0]
	res := &Results{
		Scenario: first.Results.Scenario, Seed: first.Results.Seed, DurationS: first.Results.DurationS,
		Groups: map[string]GroupResult{}, DropsByCause: map[string]int64{},
		EvaluationOnly: first.Results.EvaluationOnly, Merged: &Merged{},
	}
	st := &State{Version: first.State.Version, ScenarioSHA256: first.State.ScenarioSHA256,
		Scenario: first.State.Scenario, Groups: map[string]KPIState{}}
	var events int64
	var wall float64
	for _, p := range parts {
		r, s := p.Results, p.State
		if len(r.Cells) != len(s.Cells) {
			return nil, nil, nil, fmt.Errorf("%s: results.json has %d cells, merge.json %d", p.Name, len(r.Cells), len(s.Cells))
		}
		st.Offered += s.Offered
		addKPI(&res.KPI, &r.KPI)
		st.KPI.Merge(&s.KPI)
		for _, name := range sortedKeys(r.Groups) {
			g, o := res.Groups[name], r.Groups[name]
			addKPI(&g.KPI, &o.KPI)
			res.Groups[name] = g
			gs, os := st.Groups[name], s.Groups[name]
			gs.Merge(&os)
			st.Groups[name] = gs
		}
		for c, n := range r.DropsByCause {
			res.DropsByCause[c] += n
		}
		addSignalling(&res.Signalling, &r.Signalling)
		events += r.Perf.Events
		wall += r.Perf.WallS
		if shards {
			res.Merged.Shards = len(parts)
		} else {
			res.Merged.Seeds = append(res.Merged.Seeds, r.Seeds()...)
		}
	}
	finishKPI(&res.KPI, &st.KPI, st.Offered)
	for name, g := range res.Groups {
		gs := st.Groups[name]
		finishKPI(&g.KPI, &gs, st.Offered)
		res.Groups[name] = g
	}
	slices.Sort(res.Merged.Seeds)
	res.Signalling.MessagesPerReport = Ratio(res.Signalling.S1APMessages, res.KPI.ReportsDelivered)
	if peak, ok := nasPeak(parts); ok && shards {
		res.Signalling.MMETransactionsPerSPeak = peak
	}
	if shards {
		for _, p := range parts {
			res.Cells = append(res.Cells, p.Results.Cells...)
			st.Cells = append(st.Cells, p.State.Cells...)
		}
	} else {
		res.Cells, st.Cells = poolCells(parts)
	}
	res.Bottleneck = networkBottleneck(res.Cells)
	ts, figs, err := mergeSeries(parts)
	if err != nil {
		return nil, nil, nil, err
	}
	st.LimitFigures = figs
	res.SetPerf(events, wall)
	return res, ts, st, nil
}

// Seeds are the seeds of the runs r holds: those it merged as
// replications, or its own.
func (r *Results) Seeds() []uint64 {
	if r.Merged != nil && len(r.Merged.Seeds) > 0 {
		return r.Merged.Seeds
	}
	return []uint64{r.Seed}
}

// addKPI adds o's counts to k.
func addKPI(k, o *KPI) {
	k.ReportsGenerated += o.ReportsGenerated
	k.ReportsDelivered += o.ReportsDelivered
	k.ReportsDropped += o.ReportsDropped
	k.ReportsInFlight += o.ReportsInFlight
	k.AccessAttempts += o.AccessAttempts
	k.AccessSuccesses += o.AccessSuccesses
	k.AccessFailures += o.AccessFailures
	k.Devices += o.Devices
	k.OutOfCoverage += o.OutOfCoverage
	k.CELevels = AddCounts(k.CELevels, o.CELevels)
	k.MTGenerated += o.MTGenerated
	k.MTDelivered += o.MTDelivered
	k.MTDropped += o.MTDropped
	k.MTInFlight += o.MTInFlight
	k.TimeInStateS = addMap(k.TimeInStateS, o.TimeInStateS)
	k.EnergyByStateJ = addMap(k.EnergyByStateJ, o.EnergyByStateJ)
}

func addMap[V int64 | float64](m, o map[string]V) map[string]V {
	if m == nil {
		m = map[string]V{}
	}
	for _, key := range sortedKeys(o) { // a fixed order: float sums do not depend on map order
		m[key] += o[key]
	}
	return m
}

// finishKPI computes k's ratios and distributions from its summed counts
// and s.
func finishKPI(k *KPI, s *KPIState, offered int64) {
	k.AccessSuccessProbability = Ratio(k.AccessSuccesses, k.AccessAttempts)
	k.CollisionProbability = Ratio(s.Collided, offered)
	var tx int64
	for i, c := range s.PreambleTransmissions {
		tx += int64(i+1) * c
	}
	k.PreambleTransmissionsMean = Ratio(tx, k.AccessSuccesses)
	s.Dists(k)
	k.EnergyPerReportMJ = Div(s.RadioMJ, k.ReportsDelivered)
}

func addSignalling(s, o *Signalling) {
	if s.Mode == "" {
		s.Mode = o.Mode
	}
	s.NASMessages += o.NASMessages
	s.S1APMessages += o.S1APMessages
	s.S1APBytes += o.S1APBytes
	s.MMETransactionsPerSPeak = math.Max(s.MMETransactionsPerSPeak, o.MMETransactionsPerSPeak)
	if len(o.FailuresByCause) > 0 {
		s.FailuresByCause = addMap(s.FailuresByCause, o.FailuresByCause)
	}
}

// nasPeak is the highest second of the parts' NAS series added up, when
// every part has one (false otherwise).
func nasPeak(parts []Part) (float64, bool) {
	var sum []int64
	for _, p := range parts {
		if len(p.State.NASPerSecond) == 0 {
			return 0, false
		}
		sum = AddCounts(sum, p.State.NASPerSecond)
	}
	return float64(slices.Max(sum)), true
}

// poolCells pools the replications' figures of each cell (the cells of
// the first part, in its order): counts add, the IoT histograms merge,
// utilisations, loads, limit times and collision probabilities are the
// mean over the parts (each over the same resources and time, so the
// mean is the pooled ratio), peaks the highest, and the bottleneck the
// rule's choice among the parts'.
func poolCells(parts []Part) ([]CellKPI, []CellState) {
	n := float64(len(parts))
	first := parts[0]
	cells := make([]CellKPI, len(first.Results.Cells))
	states := make([]CellState, len(cells))
	for i, c0 := range first.Results.Cells {
		c := CellKPI{Name: c0.Name, Resources: map[string]ResourceUse{}}
		var bs []Bottleneck
		for _, p := range parts {
			o := p.Results.Cells[i]
			c.Devices += o.Devices
			c.Preambles += o.Preambles
			c.Collisions += o.Collisions
			c.BlockedOccasions += o.BlockedOccasions
			c.ULUtilisation += o.ULUtilisation / n
			c.DLUtilisation += o.DLUtilisation / n
			poolResources(c.Resources, o.Resources, n)
			c.Carriers = poolCarriers(c.Carriers, o.Carriers, n)
			states[i].IoT.Merge(&p.State.Cells[i].IoT)
			states[i].NPUSCHIoT.Merge(&p.State.Cells[i].NPUSCHIoT)
			bs = append(bs, o.Bottleneck)
		}
		c.IoT, c.NPUSCHIoT = states[i].IoT.Dist(), states[i].NPUSCHIoT.Dist()
		c.Bottleneck = bs[bestBottleneck(bs)]
		cells[i] = c
	}
	return cells, states
}

func poolResources(dst, o map[string]ResourceUse, n float64) {
	for _, name := range sortedKeys(o) {
		u, v := dst[name], o[name]
		u.Utilisation += v.Utilisation / n
		u.Peak = math.Max(u.Peak, v.Peak)
		u.LimitS += v.LimitS / n
		if v.CollisionProbability != nil {
			p := *v.CollisionProbability / n
			if u.CollisionProbability != nil {
				p += *u.CollisionProbability
			}
			u.CollisionProbability = &p
		}
		dst[name] = u
	}
}

func poolCarriers(dst, o []CarrierKPI, n float64) []CarrierKPI {
	for k, oc := range o {
		if k == len(dst) {
			dst = append(dst, CarrierKPI{Carrier: oc.Carrier, Resources: map[string]ResourceUse{}})
		}
		c := &dst[k]
		c.Preambles += oc.Preambles
		c.Collisions += oc.Collisions
		c.Pages += oc.Pages
		c.ULUtilisation += oc.ULUtilisation / n
		c.DLUtilisation += oc.DLUtilisation / n
		poolResources(c.Resources, oc.Resources, n)
	}
	return dst
}

// bestBottleneck is the index of the bottleneck the rule names first
// among bs (as among cells, docs/results.md "Bottleneck"): a saturated
// one before any other, then the earliest, then the highest figure, then
// the first.
func bestBottleneck(bs []Bottleneck) int {
	best := -1
	for i, b := range bs {
		if b.Resource == "" {
			continue
		}
		if best < 0 || bottleneckBefore(b, bs[best]) {
			best = i
		}
	}
	return best
}

func bottleneckBefore(a, b Bottleneck) bool {
	as, bsat := a.Resource != ResNone, b.Resource != ResNone
	switch {
	case as != bsat:
		return as
	case as && a.TimeS != b.TimeS:
		return a.TimeS < b.TimeS
	}
	return a.Saturation > b.Saturation
}

// networkBottleneck is the network's bottleneck over cells: the rule's
// first among the cells' own, with the cell named.
func networkBottleneck(cells []CellKPI) Bottleneck {
	bs := make([]Bottleneck, len(cells))
	for i, c := range cells {
		bs[i] = c.Bottleneck
	}
	i := bestBottleneck(bs)
	if i < 0 {
		return Bottleneck{}
	}
	b := bs[i]
	b.Utilisation = maps.Clone(b.Utilisation)
	b.Cell = cells[i].Name
	return b
}

// mergeSeries merges the parts' time series row by row: counts add (the
// connected snapshots too: disjoint devices), each resource column is the
// highest over the parts, the limit the parts' with the highest figure
// (the first on a tie).
func mergeSeries(parts []Part) (*TimeSeries, []float64, error) {
	first := parts[0].Series
	ts := &TimeSeries{Step: first.Step, Resources: slices.Clone(first.Resources)}
	var figs []float64
	for pi, p := range parts {
		s := p.Series
		if !slices.Equal(s.Resources, ts.Resources) || len(s.Rows) != len(first.Rows) {
			return nil, nil, fmt.Errorf("%s: timeseries.csv has %d rows and resources %v, %s's %d rows and %v",
				p.Name, len(s.Rows), s.Resources, parts[0].Name, len(first.Rows), ts.Resources)
		}
		if len(p.State.LimitFigures) != len(s.Rows) {
			return nil, nil, fmt.Errorf("%s: merge.json has %d limit figures for %d rows of timeseries.csv", p.Name, len(p.State.LimitFigures), len(s.Rows))
		}
		for i, o := range s.Rows {
			if pi == 0 {
				ts.Rows = append(ts.Rows, Row{Minute: o.Minute, Limit: ResNone, Utilisation: make([]float64, len(ts.Resources))})
				figs = append(figs, 0)
			}
			r := &ts.Rows[i]
			r.Arrivals += o.Arrivals
			r.Preambles += o.Preambles
			r.Collisions += o.Collisions
			r.Successes += o.Successes
			r.Failures += o.Failures
			r.Connected += o.Connected
			for k, v := range o.Utilisation {
				r.Utilisation[k] = math.Max(r.Utilisation[k], v)
			}
			if f := p.State.LimitFigures[i]; o.Limit != ResNone && o.Limit != "" && (r.Limit == ResNone || f > figs[i]) {
				r.Limit, figs[i] = o.Limit, f
			}
			r.LimitFigure = figs[i]
		}
	}
	return ts, figs, nil
}
