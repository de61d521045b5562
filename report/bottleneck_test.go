package report

import (
	"math"
	"strings"
	"testing"
)

func TestLimit(t *testing.T) {
	names := []string{"nprach_ce0", "nprach_ce1", "nprach_ce2", ResNPDCCH, ResNPDSCH, ResDLGap, ResNPUSCH}
	cases := []struct {
		name string
		util []float64
		want string
		fig  float64
		sat  bool
	}{
		{"idle", []float64{0, 0, 0, 0, 0, 0, 0}, "nprach_ce0", 0, false},
		{"below: the highest figure, not saturated", []float64{0.1, 0.7, 0, 0.2, 0.1, 0.1, 0.5}, "nprach_ce1", 0.7, false},
		{"downlink below as a sum of three", []float64{0.1, 0, 0, 0.3, 0.2, 0.25, 0.5}, ResNPDCCH, 0.75, false},
		{"NPUSCH", []float64{0.5, 0, 0, 0.1, 0.1, 0.1, 0.8}, ResNPUSCH, 0.8, true},
		{"downlink: the sum, named after NPDSCH", []float64{0.1, 0, 0, 0.2, 0.4, 0.3, 0.5}, ResNPDSCH, 0.9, true},
		{"downlink: NPDCCH on a tie", []float64{0.1, 0, 0, 0.4, 0.4, 0, 0.5}, ResNPDCCH, 0.8, true},
		{"the higher carrier", []float64{0, 0, 0, 0.5, 0.4, 0, 0.85}, ResNPDCCH, 0.9, true},
		{"a carrier before a higher NPRACH", []float64{0.2, 3, 0, 0.6, 0.1, 0.2, 0}, ResNPDCCH, 0.9, true},
		{"the lowest saturated NPRACH level", []float64{0.1, 0.9, 5, 0, 0, 0, 0.5}, "nprach_ce1", 0.9, true},
		{"NPRACH CE0 just at the threshold", []float64{0.8, 2, 0, 0, 0, 0, 0.79}, "nprach_ce0", 0.8, true},
	}
	for _, c := range cases {
		i, fig, sat := Limit(names, c.util)
		if i < 0 || names[i] != c.want || math.Abs(fig-c.fig) > 1e-12 || sat != c.sat {
			got := "-"
			if i >= 0 {
				got = names[i]
			}
			t.Errorf("%s: %s %v %v, want %s %v %v", c.name, got, fig, sat, c.want, c.fig, c.sat)
		}
	}
	if i, fig, sat := Limit(nil, nil); i != -1 || fig != 0 || sat {
		t.Errorf("no resource: %d %v %v", i, fig, sat)
	}
	// Without the downlink pair each carrier stands alone.
	if i, fig, sat := Limit([]string{ResNPDSCH, ResNPUSCH}, []float64{0.85, 0.1}); i != 0 || fig != 0.85 || !sat {
		t.Errorf("NPDSCH alone: %d %v %v", i, fig, sat)
	}
}

func TestBottleneckSummaryAndJSON(t *testing.T) {
	r := sample()
	r.Bottleneck = Bottleneck{Resource: ResNPDSCH, Cell: "site1/2", TimeS: 3610, Saturation: 0.9,
		Utilisation: map[string]float64{ResNPDCCH: 0.2, ResNPDSCH: 0.4, ResDLGap: 0.3}}
	var b strings.Builder
	Summary(&b, r)
	if !strings.Contains(b.String(), "bottleneck") || !strings.Contains(b.String(), "npdsch in cell site1/2 from 1h0m10s (90.0% ≥ 80.0%") {
		t.Errorf("summary:\n%s", b.String())
	}
	r.Bottleneck = Bottleneck{}
	b.Reset()
	Summary(&b, r)
	if !strings.Contains(b.String(), "bottleneck           none") {
		t.Errorf("summary without a bottleneck:\n%s", b.String())
	}
	// Marshal writes "none" and empty maps, never null, and expect reaches
	// the numbers.
	r.Cells[0].Resources = map[string]ResourceUse{ResNPUSCH: {Utilisation: 0.25, Peak: 0.5, LimitS: 20}}
	js, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"bottleneck": {`, `"resource": "none"`, `"resources": {}`, `"limit_s": 20`} {
		if !strings.Contains(string(js), w) {
			t.Errorf("results.json lacks %s", w)
		}
	}
	ex, err := Evaluate(r, []string{"cells.site1/1.resources.npusch.peak == 0.5", "bottleneck.saturation == 0", "cells.0.bottleneck.time_s == 0"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ex {
		if !e.OK {
			t.Errorf("%s: value %v", e.Expr, e.Value)
		}
	}
}
