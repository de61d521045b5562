package model

import (
	"context"
	"fmt"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/sim"
)

// Options tune a run without changing its results.
type Options struct {
	// Progress, if set, is called every simulated minute with the simulated
	// seconds done and the total.
	Progress func(done, total float64)
	// Trace, if set, receives the S1AP and user data of encoded signalling.
	Trace Tracer
	// Core, if set, is the core network encoded signalling uses instead of
	// the in-process MME (e.g. an s1.RemoteCore: an external MME).
	Core Core
	// Workers is how many of a split network's clusters run at once (at
	// most 1 below 2; see partition.go). Results do not depend on it.
	Workers int
}

// Output is what a run produces.
type Output struct {
	Results *report.Results
	Series  *report.TimeSeries
	Samples *report.Samples
	// State: what merging this run with others needs (the sketches and
	// counts behind Results); Version and ScenarioSHA256 are the
	// caller's to fill.
	State *report.State
}

// Run simulates the network to the end of the scenario. It returns early
// with ctx's error if ctx is cancelled (checked every simulated minute);
// Now then tells the simulated time reached.
func (n *Network) Run(ctx context.Context, opt Options) (*Output, error) {
	n.progress = opt.Progress
	n.ctx = ctx
	n.trace = opt.Trace
	if n.trace != nil && n.enc == nil {
		return nil, fmt.Errorf("a trace needs signalling: encoded")
	}
	if opt.Core != nil {
		if n.enc == nil {
			return nil, fmt.Errorf("an external core needs signalling: encoded")
		}
		n.enc.mme = opt.Core
	}
	n.buildLegs()
	n.trackResources()
	if err := n.signal.start(n); err != nil {
		return nil, err
	}
	if n.split != nil {
		if err := n.runClusters(ctx, opt.Workers); err != nil {
			return nil, err
		}
		if err := n.checkLate(); err != nil {
			return nil, err
		}
		return n.results(), nil
	}
	if err := n.schedule(); err != nil {
		return nil, err
	}
	n.eng.At(sim.Time(time.Minute), sim.Late, n, kMinute, 0)
	for n.eng.Now() < n.end {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		next := n.eng.Now() + sim.Time(time.Hour)
		if next > n.end {
			next = n.end
		}
		n.eng.Run(next)
		if n.encErr != nil {
			return nil, fmt.Errorf("core network (encoded signalling): %w", n.encErr)
		}
	}
	n.flush()
	n.foldRest()
	if err := n.checkLate(); err != nil {
		return nil, err
	}
	return n.results(), nil
}

// Now returns the simulated time the run has reached.
func (n *Network) Now() time.Duration { return n.eng.Now().D() }

// Events returns how many events the engine ran.
func (n *Network) Events() int64 { return n.eng.Events() + n.events }

// EventsByKind returns how many events of each kind ran (a split run's
// clusters summed), by kind name; kinds that did not occur are left out.
func (n *Network) EventsByKind() map[string]int64 {
	m := map[string]int64{}
	add := func(x *Network) {
		for k, c := range x.byKind {
			if c > 0 {
				m[kindNames[k]] += c
			}
		}
	}
	add(n)
	for _, c := range n.clusters {
		if c != nil {
			add(c)
		}
	}
	return m
}

// Devices returns the number of devices.
func (n *Network) Devices() int { return len(n.ues) }

// schedule sets every device's initial state and first events.
func (n *Network) schedule() error {
	for gi, g := range n.groups {
		gc := g.cfg
		for i := int32(0); i < g.count; i++ {
			id := g.first + i
			u := &n.ues[id]
			if !n.owns(u) {
				continue // another cluster's
			}
			init := sim.NewStream(n.seed, "group/"+g.name, uint64(n.inGroup(g, id)), "schedule")
			nextRep := sim.Forever
			if rc := gc.Report; rc.Period > 0 {
				var t sim.Time
				if rc.Phase == "synchronised" {
					t = sim.Time(init.Float64() * float64(rc.Jitter.D()))
				} else {
					w := rc.StaggerWindow.D()
					if w <= 0 {
						w = rc.Period.D()
					}
					t = sim.Time(init.Float64() * float64(w))
				}
				if t < n.end {
					nextRep = t
					n.eng.At(t, sim.Normal, n, kReport, id)
				}
			}
			if gc.InitiallyAttached {
				if err := n.signal.preattach(n, id); err != nil {
					return err
				}
				m := device.ModeIdle
				if g.dc.PSM {
					m = device.ModePSM
				}
				u.dev.Start(m, device.Registered, nextRep)
				if g.dc.T3412 > 0 {
					// Attached some time ago: the periodic TAU timer is at a random phase.
					var buf [1]device.Effect
					n.apply(id, u, g, u.dev.ArmTAU(sim.Time(init.Float64()*float64(g.dc.T3412)), buf[:0]))
				}
			} else {
				u.dev.Start(device.ModeOff, device.PoweredOff, nextRep)
				n.eng.At(arrival(&init, gc.PowerOn.Model, gc.PowerOn.Start.D(), gc.PowerOn.Window.D()), sim.Normal, n, kPowerOn, id)
			}
			if a := gc.Arrivals; a != nil {
				if t := arrival(&init, a.Model, a.Start.D(), a.Window.D()); t < n.end {
					n.eng.At(t, sim.Normal, n, kArrival, id)
				}
			}
			for _, b := range gc.Events {
				if init.Float64() < b.Fraction {
					if t := arrival(&init, b.Model, b.At.D(), b.Window.D()); t < n.end {
						n.eng.At(t, sim.Normal, n, kArrival, id)
					}
				}
			}
			if gc.Downlink.MeanInterval > 0 {
				d := time.Duration(init.Exp() * float64(gc.Downlink.MeanInterval.D()))
				if sim.Time(d) < n.end {
					n.eng.At(sim.Time(d), sim.Normal, n, kMT, id)
				}
			}
			_ = gi
		}
	}
	return nil
}

// arrival draws a time from a one-shot arrival model.
func arrival(r *sim.Stream, model string, start, window time.Duration) sim.Time {
	switch model {
	case "at-once":
		return sim.Time(start)
	case "beta":
		return sim.Time(start) + sim.Time(r.Beta34()*float64(window))
	default:
		return sim.Time(start) + sim.Time(r.Float64()*float64(window))
	}
}

// results closes the books at the end time and builds the report.
func (n *Network) results() *Output {
	end := n.end
	T := end.Seconds()
	// Offered (occasion, preamble) pairs over all cells.
	var offered int64
	for _, c := range n.ce {
		offered += c.occ.CountIn(end.D()) * int64(c.nPreambles)
	}
	cells := n.reportedCells()
	offered *= int64(len(cells)) * int64(n.carriers)
	res := &report.Results{
		Scenario:     n.sc.Name,
		Seed:         n.seed,
		DurationS:    T,
		Groups:       map[string]report.GroupResult{},
		DropsByCause: map[string]int64{},
	}
	res.EvaluationOnly = n.sc.EvaluationOnly()
	samples := &report.Samples{Geo: n.geoData}
	state := &report.State{Offered: offered, Groups: map[string]report.KPIState{}}
	var all groupStats
	var allState report.KPIState
	var totalRadioMJ float64
	for _, g := range n.groups {
		s := &g.stats
		var k report.KPI
		k.CELevels = make([]int64, len(n.ce))
		var years []float64
		var inflight, mtInflight int64
		var radioMJ float64
		for i := g.first; i < g.first+g.count; i++ {
			u := &n.ues[i]
			if !n.reported(u) {
				continue // a shard's halo
			}
			q := n.queuesOf(u)
			inflight += int64(q.Len(u.dev.Pend))
			mtInflight += int64(q.Len(u.dev.DLQ))
			radioMJ += u.dev.Energy
			k.Devices++
			if u.dev.Any(device.OutOfCoverage) {
				k.OutOfCoverage++
				continue
			}
			k.CELevels[u.ceBase]++
			avg := u.dev.Energy/T + g.prof.BaselineMW
			years = append(years, g.batt.Years(avg))
		}
		k.ReportsGenerated, k.ReportsDelivered, k.ReportsDropped, k.ReportsInFlight = s.generated, s.delivered, s.dropped, inflight
		k.AccessAttempts, k.AccessSuccesses, k.AccessFailures = s.accAttempts, s.accOK, s.accFail
		k.AccessSuccessProbability = report.Ratio(s.accOK, s.accAttempts)
		k.CollisionProbability = report.Ratio(s.collided, offered)
		k.PreambleTransmissionsMean = report.Ratio(s.preTxOK, s.accOK)
		gs := report.KPIState{
			AccessDelayMs:            s.delays.sketch(),
			AccessDelayFromTriggerMs: s.triggerDelays.sketch(),
			AttachTimeMs:             s.attachTimes.sketch(),
			LatencyMs:                s.latency.sketch(),
			MTLatencyMs:              s.mtLatency.sketch(),
			BatteryYears:             report.SketchOf(years),
			PreambleTransmissions:    s.preTxHist,
			Collided:                 s.collided,
			RadioMJ:                  radioMJ,
		}
		gs.Dists(&k)
		state.Groups[g.name] = gs
		allState.Merge(&gs)
		k.EnergyPerReportMJ = report.Div(radioMJ, s.delivered)
		k.MTGenerated, k.MTDelivered, k.MTDropped, k.MTInFlight = s.mtGen, s.mtOK, s.mtDrop, mtInflight
		k.TimeInStateS, k.EnergyByStateJ = stateMaps(s)
		res.Groups[g.name] = report.GroupResult{KPI: k}
		for c, v := range s.drops {
			res.DropsByCause[c] += v
		}

		all.add(s) // network-wide sums
		res.KPI.ReportsInFlight += inflight
		res.KPI.MTInFlight += mtInflight
		res.KPI.Devices += k.Devices
		res.KPI.OutOfCoverage += k.OutOfCoverage
		if res.KPI.CELevels == nil {
			res.KPI.CELevels = make([]int64, len(n.ce))
		}
		for i, v := range k.CELevels {
			res.KPI.CELevels[i] += v
		}
		samples.BatteryYears = append(samples.BatteryYears, years...)
		totalRadioMJ += radioMJ
	}
	k := &res.KPI
	k.ReportsGenerated, k.ReportsDelivered, k.ReportsDropped = all.generated, all.delivered, all.dropped
	k.AccessAttempts, k.AccessSuccesses, k.AccessFailures = all.accAttempts, all.accOK, all.accFail
	k.AccessSuccessProbability = report.Ratio(all.accOK, all.accAttempts)
	k.CollisionProbability = report.Ratio(n.tot.collided, offered)
	k.PreambleTransmissionsMean = report.Ratio(all.preTxOK, all.accOK)
	allState.Collided = n.tot.collided
	allState.Dists(k)
	state.KPI = allState
	if !all.delays.over { // the plot from the exact samples while there are
		samples.AccessDelaysMs = report.CDFSample(all.delays.xs, 20000)
	} else {
		samples.AccessDelaysMs = allState.AccessDelayMs.CDFSample(20000)
	}
	k.EnergyPerReportMJ = report.Div(totalRadioMJ, all.delivered)
	k.MTGenerated, k.MTDelivered, k.MTDropped = all.mtGen, all.mtOK, all.mtDrop
	k.TimeInStateS, k.EnergyByStateJ = stateMaps(&all)
	if k.CELevels == nil {
		k.CELevels = make([]int64, len(n.ce))
	}

	res.Signalling = n.signalling(all.delivered)
	for _, i := range cells {
		c := &n.cells[i]
		cs := report.CellState{IoT: c.iot, NPUSCHIoT: c.ulb.withOpen(&c.npuschIoT, n.laneNoise())}
		ck := report.CellKPI{
			Name: c.name, Devices: c.devices, Preambles: c.preambles, Collisions: c.collided,
			ULUtilisation: c.ul.Utilisation(end.D()), DLUtilisation: c.dl.Utilisation(end.D()),
			IoT: cs.IoT.Dist(), BlockedOccasions: c.blocked, NPUSCHIoT: cs.NPUSCHIoT.Dist(),
		}
		if n.carriers > 1 {
			cs = n.carrierResults(int32(i), &ck)
		}
		res.Cells = append(res.Cells, ck)
		state.Cells = append(state.Cells, cs)
	}
	ts := &report.TimeSeries{Step: time.Minute}
	for m, r := range n.series {
		if sim.Time(m)*sim.Time(time.Minute) >= end {
			break
		}
		ts.Rows = append(ts.Rows, report.Row{Minute: m, Arrivals: r.arrivals, Preambles: r.preambles,
			Collisions: r.collisions, Successes: r.successes, Failures: r.failures, Connected: r.connected})
	}
	if len(ts.Rows) > 0 {
		// The last minute's snapshot is the state at the end.
		ts.Rows[len(ts.Rows)-1].Connected = n.tot.connected
	}
	n.resourceResults(res, ts, cells)
	res.Shard = n.shardBlock()
	if res.Shard != nil {
		state.NASPerSecond = trimZeros(n.sigs.perSec)
	}
	for _, r := range ts.Rows {
		state.LimitFigures = append(state.LimitFigures, r.LimitFigure)
	}
	return &Output{Results: res, Series: ts, Samples: samples, State: state}
}

func stateMaps(s *groupStats) (map[string]float64, map[string]float64) {
	t := map[string]float64{}
	e := map[string]float64{}
	for st := device.State(0); st < device.NumStates; st++ {
		if st == device.Off {
			continue
		}
		t[st.String()] = float64(s.stateNS[st]) / 1e9
		e[st.String()] = s.stateMJ[st].value() / 1000
	}
	return t, e
}

// trimZeros is s without its trailing zeros.
func trimZeros(s []int64) []int64 {
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	return s
}

// queuesOf is the store of device u's queues: its group's, in the cluster
// that ran it in a split run.
func (n *Network) queuesOf(u *ue) *device.Queues {
	if n.clusters != nil {
		if c := n.clusters[n.split.cellOf[u.cell]]; c != nil {
			return c.groups[u.group].dc.Q()
		}
	}
	return n.groups[u.group].dc.Q()
}
