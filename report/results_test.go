package report

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func nanF() float64 { return math.NaN() }
func infF() float64 { return math.Inf(1) }

func TestMarshalDeterministic(t *testing.T) {
	a, b := sample(), sample()
	b.Perf = Perf{Events: 1, WallS: 99}
	wa, wb := a.WithoutPerf(), b.WithoutPerf()
	ma, err := Marshal(&wa)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 { // map iteration order varies between calls
		mb, err := Marshal(&wb)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ma, mb) {
			t.Fatal("Marshal(WithoutPerf) differs")
		}
	}
	if a.Perf.Events == 0 {
		t.Error("WithoutPerf modified its receiver")
	}
	s := string(ma)
	for _, key := range []string{`"scenario"`, `"seed": 42`, `"duration_s"`, `"access_success_probability"`,
		`"uplink_latency_ms"`, `"battery_years"`, `"p5"`, `"ce_levels"`, `"mt_latency_ms"`, `"time_in_state_s"`,
		`"energy_by_state_j"`, `"groups"`, `"collars"`, `"cells"`, `"ul_utilisation"`, `"iot_db"`,
		`"drops_by_cause"`, `"expectations": []`, `"perf"`, `"events_per_s"`} {
		if !strings.Contains(s, key) {
			t.Errorf("results.json lacks %s", key)
		}
	}
	// Sorted map keys.
	if strings.Index(s, `"buffer_overflow"`) > strings.Index(s, `"ra_failure"`) ||
		strings.Index(s, `"collars"`) > strings.Index(s, `"meters"`) {
		t.Error("map keys not sorted")
	}
}

func TestMarshalNonFinite(t *testing.T) {
	r := sample()
	r.Cells[1].IoT.Mean = math.Inf(-1)
	r.Groups["meters"] = GroupResult{KPI: KPI{EnergyPerReportMJ: math.NaN()}}
	_, err := Marshal(r)
	if err == nil || !strings.Contains(err.Error(), "cells.1.iot_db.mean") ||
		!strings.Contains(err.Error(), "groups.meters.kpi.energy_per_report_mj") {
		t.Errorf("err = %v", err)
	}
}

func TestValidate(t *testing.T) {
	r := sample()
	if err := r.Validate(); err != nil {
		t.Fatalf("sample invalid: %v", err)
	}
	r.Bottleneck = Bottleneck{Resource: ResNone, Saturation: 0.5}
	r.Cells[0].Bottleneck = Bottleneck{Resource: ResNPUSCH, Saturation: 0.9, Utilisation: map[string]float64{ResNPUSCH: 0.9}}
	if err := r.Validate(); err != nil {
		t.Fatalf("valid bottlenecks refused: %v", err)
	}
	r.KPI.ReportsInFlight++
	r.DropsByCause["x"] = 1
	r.Bottleneck.Saturation = 0.8
	r.Cells[1].Bottleneck = Bottleneck{Resource: ResNPDSCH, Saturation: 0.9}
	err := r.Validate()
	if err == nil {
		t.Fatal("broken accounting accepted")
	}
	for _, w := range []string{"reports_generated", "drops_by_cause", "groups", "bottleneck: none with saturation 0.8",
		"cells.site1/2.bottleneck: npdsch is not among its figures"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

// The shard block is absent from a whole run's results.json and written
// as documented in a shard's.
func TestMarshalShard(t *testing.T) {
	r := sample()
	b, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"shard"`) {
		t.Error("a whole run's results.json has a shard block")
	}
	r.Shard = &Shard{Index: 1, Count: 4}
	if b, err = Marshal(r); err != nil {
		t.Fatal(err)
	}
	want := "\"shard\": {\n    \"index\": 1,\n    \"count\": 4,\n    \"clusters\": []\n  }"
	if !strings.Contains(string(b), want) {
		t.Errorf("results.json lacks\n%s\nin\n%s", want, b)
	}
}
