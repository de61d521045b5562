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
