package model_test

import (
	"testing"

	"github.com/nbsim/nbsim/report"
)

// The merge state (merge.json) holds what the results were computed from:
// its sketches give the results' distributions, its counts their ratios,
// one entry per cell and per time-series row.
func TestStateMatchesResults(t *testing.T) {
	sc := load(t, "../testdata/small.yaml")
	o := run(t, sc, sc.Seed)
	r, s := o.Results, o.State
	if s == nil {
		t.Fatal("no state")
	}
	check := func(where string, k *report.KPI, ks *report.KPIState) {
		var d report.KPI
		ks.Dists(&d)
		if d.AccessDelayMs != k.AccessDelayMs || d.LatencyMs != k.LatencyMs || d.MTLatencyMs != k.MTLatencyMs ||
			d.AttachTimeMs != k.AttachTimeMs || d.BatteryYears != k.BatteryYears || d.AccessDelayFromTriggerMs != k.AccessDelayFromTriggerMs {
			t.Errorf("%s: the state's distributions differ from the results'", where)
		}
		if got := report.Ratio(ks.Collided, s.Offered); got != k.CollisionProbability {
			t.Errorf("%s: collided/offered %v, collision_probability %v", where, got, k.CollisionProbability)
		}
		if got := report.Div(ks.RadioMJ, k.ReportsDelivered); got != k.EnergyPerReportMJ {
			t.Errorf("%s: radio energy / delivered %v, energy_per_report_mj %v", where, got, k.EnergyPerReportMJ)
		}
		var n int64
		for _, c := range ks.PreambleTransmissions {
			n += c
		}
		if n != k.AccessSuccesses {
			t.Errorf("%s: %d procedures by preamble transmissions, %d successes", where, n, k.AccessSuccesses)
		}
	}
	check("kpi", &r.KPI, &s.KPI)
	for name, g := range r.Groups {
		gs := s.Groups[name]
		check("groups."+name, &g.KPI, &gs)
	}
	if len(s.Cells) != len(r.Cells) || len(s.LimitFigures) != len(o.Series.Rows) {
		t.Fatalf("%d cell states for %d cells, %d limit figures for %d rows", len(s.Cells), len(r.Cells), len(s.LimitFigures), len(o.Series.Rows))
	}
	for i, c := range r.Cells {
		if s.Cells[i].IoT.Dist() != c.IoT || s.Cells[i].NPUSCHIoT.Dist() != c.NPUSCHIoT {
			t.Errorf("cell %s: the state's IoT histograms differ", c.Name)
		}
	}
}

// Merging the sketches of three seeds gives exactly the quantiles of one
// sketch of all their samples (the access delays, which Samples holds
// whole below 20,000), and within 0.1 % of the exact nearest-rank ones.
func TestStateSketchesMergeExactly(t *testing.T) {
	sc := load(t, "../testdata/small.yaml")
	var merged report.Sketch
	var all []float64
	for seed := uint64(1); seed <= 3; seed++ {
		o := run(t, sc, seed)
		merged.Merge(o.State.KPI.AccessDelayMs)
		if n := int64(len(o.Samples.AccessDelaysMs)); n != o.Results.KPI.AccessSuccesses {
			t.Fatalf("seed %d: %d samples of %d delays", seed, n, o.Results.KPI.AccessSuccesses)
		}
		all = append(all, o.Samples.AccessDelaysMs...)
	}
	got, want := merged.Dist(), report.SketchOf(all).Dist()
	if got.P50 != want.P50 || got.P95 != want.P95 || got.P99 != want.P99 || merged.N() != int64(len(all)) {
		t.Errorf("merged %+v (n %d), one sketch of all %+v (n %d)", got, merged.N(), want, len(all))
	}
	exact := report.CDFSample(all, len(all)) // sorted
	for _, q := range []struct {
		perMille int
		v        float64
	}{{500, got.P50}, {950, got.P95}, {990, got.P99}} {
		rank := (q.perMille*len(exact) + 999) / 1000
		if x := exact[rank-1]; q.v < x*(1-report.SketchAccuracy) || q.v > x*(1+report.SketchAccuracy) {
			t.Errorf("p%d‰ %v, the exact nearest-rank sample %v", q.perMille, q.v, x)
		}
	}
}
