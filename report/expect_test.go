package report

import (
	"strings"
	"testing"
)

func TestParseExpect(t *testing.T) {
	good := []struct {
		in   string
		want Expect
	}{
		{"access_success_probability >= 0.99", Expect{"access_success_probability", ">=", 0.99}},
		{"  battery_years.p5>5  ", Expect{"battery_years.p5", ">", 5}},
		{"collision_probability < 1e-3", Expect{"collision_probability", "<", 0.001}},
		{"drops_by_cause.ra_failure == 0", Expect{"drops_by_cause.ra_failure", "==", 0}},
		{"reports_dropped != 3", Expect{"reports_dropped", "!=", 3}},
		{"cells.0.iot_db.max <= -1.5", Expect{"cells.0.iot_db.max", "<=", -1.5}},
	}
	for _, tc := range good {
		got, err := ParseExpect(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseExpect(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	bad := []string{
		"", "access_success_probability", "access_success_probability >= ",
		"access_success_probability => 0.9", "access_success_probability = 0.9",
		"x >= abc", "x >= NaN", "x >= Inf", "x >= 1 2", ">= 3", "a..b > 1", ".a > 1",
	}
	for _, in := range bad {
		if e, err := ParseExpect(in); err == nil {
			t.Errorf("ParseExpect(%q) = %+v, want an error", in, e)
		}
	}
	if _, err := ParseExpect("x = 1"); err == nil || !strings.Contains(err.Error(), "==") {
		t.Errorf("ParseExpect(\"x = 1\") error %v should suggest ==", err)
	}
	if s := (Expect{"a.b", "<=", 0.5}).String(); s != "a.b <= 0.5" {
		t.Errorf("String() = %q", s)
	}
}

func TestExpectHolds(t *testing.T) {
	for _, tc := range []struct {
		op         string
		lt, eq, gt bool // result for v < 1, v == 1, v > 1
	}{
		{"<", true, false, false}, {"<=", true, true, false}, {">", false, false, true},
		{">=", false, true, true}, {"==", false, true, false}, {"!=", true, false, true},
	} {
		e := Expect{"x", tc.op, 1}
		if e.Holds(0) != tc.lt || e.Holds(1) != tc.eq || e.Holds(2) != tc.gt {
			t.Errorf("op %s: got %v %v %v", tc.op, e.Holds(0), e.Holds(1), e.Holds(2))
		}
	}
}

func TestEvaluate(t *testing.T) {
	r := sample()
	tests := []struct {
		expr  string
		value float64
		ok    bool
	}{
		{"access_success_probability >= 0.99", r.KPI.AccessSuccessProbability, true},
		{"kpi.access_success_probability >= 0.999", r.KPI.AccessSuccessProbability, false},
		{"battery_years.p5 >= 5", 7.6, true},
		{"kpi.battery_years.p5 >= 8", 7.6, false},
		{"groups.collars.battery_years.mean > 5", 6, true},
		{"groups.collars.kpi.battery_years.p5 >= 5", 4, false},
		{"groups.meters.reports_generated == 600", 600, true},
		{"drops_by_cause.ra_failure <= 10", 10, true},
		{"drops_by_cause.no_such_cause == 0", 0, true},
		{"cells.0.ul_utilisation < 0.03", 0.02, true},
		{"cells.site1/2.iot_db.max < 4", 4.5, false},
		{"ce_levels.1 == 2", 2, true},
		{"time_in_state_s.psm == 1000", 1000, true},
		{"time_in_state_s.cdrx == 0", 0, true},
		{"seed == 42", 42, true},
		{"duration_s > 3600", 129600, true},
		{"access_delay_ms.p95 <= 500", 400, true},
		{"uplink_latency_ms.p99 < 3000", 4000, false},
	}
	exprs := make([]string, len(tests))
	for i, tc := range tests {
		exprs[i] = tc.expr
	}
	got, err := Evaluate(r, exprs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tests) {
		t.Fatalf("got %d results, want %d", len(got), len(tests))
	}
	for i, tc := range tests {
		want := ExpectResult{Expr: tc.expr, Value: tc.value, OK: tc.ok}
		if got[i] != want {
			t.Errorf("Evaluate(%q) = %+v, want %+v", tc.expr, got[i], want)
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	r := sample()
	tests := []struct {
		expr string
		want []string // substrings of the error
	}{
		{"acess_success_probability >= 0.99", []string{"unknown path", "access_success_probability"}},
		{"groups.colars.battery_years.p5 >= 5", []string{"unknown path", "groups.collars.battery_years.p5"}},
		{"battery_years.p6 > 1", []string{"unknown path", "battery_years.p5"}},
		{"time_in_state_s.sleep > 1", []string{"unknown path"}},
		{"cells.7.ul_utilisation < 1", []string{"out of range"}},
		// Suggestions name cells as users see them, not by index.
		{"cells.site1/2.ul_utilisaton < 1", []string{"unknown path", "cells.site1/2.ul_utilisation"}},
		{"access_delay_ms > 1", []string{"not a number", "access_delay_ms.p95"}},
		{"scenario > 1", []string{"not a number"}},
		{"access_success_probability >>= 1", []string{"PATH OP NUMBER"}},
	}
	for _, tc := range tests {
		res, err := Evaluate(r, []string{"seed == 42", tc.expr})
		if err == nil {
			t.Errorf("Evaluate(%q) = %+v, want an error", tc.expr, res)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Evaluate(%q) error %q does not contain %q", tc.expr, err, w)
			}
		}
	}
	// Every bad expression is reported, not just the first.
	_, err := Evaluate(r, []string{"foo > 1", "seed == 42", "bar < 2"})
	if err == nil || !strings.Contains(err.Error(), `"foo"`) || !strings.Contains(err.Error(), `"bar"`) {
		t.Errorf("error %v should name both bad paths", err)
	}
	if got, err := Evaluate(r, nil); err != nil || len(got) != 0 {
		t.Errorf("Evaluate(nil) = %v, %v", got, err)
	}
}

func TestEvaluateDottedGroupName(t *testing.T) {
	r := sample()
	r.Groups["a.b"] = GroupResult{KPI: KPI{Devices: 7}}
	got, err := Evaluate(r, []string{"groups.a.b.devices == 7"})
	if err != nil || !got[0].OK {
		t.Errorf("got %+v, %v", got, err)
	}
}

// Values reads KPIs at expect: paths, one error per path that does not
// resolve (the others still read).
func TestValues(t *testing.T) {
	r := sample()
	vals, errs, err := Values(r, []string{"battery_years.p5", "cells.nope.iot_db.max", " groups.meters.reports_generated "})
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || vals[0] != 7.6 {
		t.Errorf("battery_years.p5 = %v, %v; want 7.6", vals[0], errs[0])
	}
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "nope") {
		t.Errorf("unknown cell: error %v, want one naming it", errs[1])
	}
	if errs[2] != nil || vals[2] != 600 {
		t.Errorf("reports_generated = %v, %v; want 600", vals[2], errs[2])
	}
}
