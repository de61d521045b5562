package model_test

import (
	"math"
	"testing"

	"github.com/nbsim/nbsim/report"
)

// TestBottleneck: a cell where one resource is overloaded names that
// resource, in the cell and network-wide; an unloaded one names none.
func TestBottleneck(t *testing.T) {
	cell := "../testdata/bottleneck/cell.yaml"
	cases := []struct {
		name, file string
		sets       []string
		want       string
	}{
		{"unloaded", cell, nil, report.ResNone},
		{"huge reports", cell, []string{"groups.devices.report.uplink_bytes=1600", "groups.devices.count=9000"}, report.ResNPUSCH},
		{"synchronised burst", cell, []string{"groups.devices.report.phase=synchronised", "groups.devices.report.jitter=0s"}, report.NPRACHResource(0)},
		{"large replies at low SNR", "../testdata/bottleneck/npdsch.yaml", nil, report.ResNPDSCH},
		{"long DCIs", "../testdata/bottleneck/npdcch.yaml", nil, report.ResNPDCCH},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := load(t, c.file, c.sets...)
			r := run(t, sc, 1).Results
			b := r.Bottleneck
			if b.Resource != c.want || b.Cell != "cell" {
				t.Fatalf("bottleneck %q in %q, want %q in \"cell\" (%+v)", b.Resource, b.Cell, c.want, b)
			}
			if cb := r.Cells[0].Bottleneck; cb.Resource != b.Resource || cb.TimeS != b.TimeS || cb.Saturation != b.Saturation {
				t.Errorf("the cell's bottleneck %+v is not the network's %+v (one cell)", cb, b)
			}
			if saturated := b.Saturation >= report.Saturated; saturated != (c.want != report.ResNone) {
				t.Errorf("saturation %v against threshold %v for %q", b.Saturation, report.Saturated, b.Resource)
			}
			// The figure is the named resource's utilisation, or the
			// downlink's sum for NPDCCH/NPDSCH.
			u := b.Utilisation
			want := u[b.Resource]
			if b.Resource == report.ResNPDCCH || b.Resource == report.ResNPDSCH {
				want = u[report.ResNPDCCH] + u[report.ResNPDSCH] + u[report.ResDLGap]
			}
			if c.want != report.ResNone && math.Abs(b.Saturation-want) > 1e-12 {
				t.Errorf("saturation %v, want %v from %v", b.Saturation, want, u)
			}
			if lim := r.Cells[0].Resources[c.want].LimitS; c.want != report.ResNone && lim <= 0 {
				t.Errorf("%s limit_s %v, want > 0", c.want, lim)
			}
		})
	}
}

// TestResourceUse: the run's figures against closed forms and the
// existing cell fields.
func TestResourceUse(t *testing.T) {
	sc := load(t, "../testdata/bottleneck/npdsch.yaml")
	o := run(t, sc, 1)
	c := o.Results.Cells[0]
	res := c.Resources
	// One CE level: NPRACH every 80 ms from 8 ms, 12 preambles, 20 minutes:
	// ⌈(1200 s − 8 ms) / 80 ms⌉ = 15000 occasions, 180000 pairs.
	if got, want := res[report.NPRACHResource(0)].Utilisation, float64(c.Preambles)/180000; math.Abs(got-want) > 1e-15 {
		t.Errorf("NPRACH utilisation %v, want preambles %d / 180000 = %v", got, c.Preambles, want)
	}
	if got, want := *res[report.NPRACHResource(0)].CollisionProbability, float64(c.Collisions)/180000; math.Abs(got-want) > 1e-15 {
		t.Errorf("NPRACH collision probability %v, want %v", got, want)
	}
	if got := res[report.ResNPUSCH].Utilisation; got != c.ULUtilisation {
		t.Errorf("NPUSCH utilisation %v != ul_utilisation %v", got, c.ULUtilisation)
	}
	if got := res[report.ResNPDCCH].Utilisation + res[report.ResNPDSCH].Utilisation; math.Abs(got-c.DLUtilisation) > 1e-12 {
		t.Errorf("NPDCCH + NPDSCH utilisation %v != dl_utilisation %v", got, c.DLUtilisation)
	}
	for name, u := range res {
		if u.Peak < u.Utilisation || u.LimitS < 0 || u.LimitS > o.Results.DurationS {
			t.Errorf("%s: %+v", name, u)
		}
	}
	// The time series: one row per minute, a column per resource, each the
	// highest over the cells (one cell here: at most its peak).
	ts := o.Series
	if len(ts.Resources) != len(res) {
		t.Fatalf("time series resources %v, cell resources %d", ts.Resources, len(res))
	}
	limited := 0
	for _, row := range ts.Rows {
		for i, v := range row.Utilisation {
			if v > res[ts.Resources[i]].Peak+1e-12 {
				t.Errorf("minute %d: %s %v above the cell's 10-s peak %v", row.Minute, ts.Resources[i], v, res[ts.Resources[i]].Peak)
			}
		}
		if row.Limit != report.ResNone {
			limited++
		}
	}
	if limited == 0 {
		t.Error("no minute names a limit in an NPDSCH-bound run")
	}
}
