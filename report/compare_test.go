package report

import (
	"math"
	"testing"
)

// TestCompareKPIWelch: hand-computed. Base {1,2,3}: mean 2, sd 1; the
// candidate has the same spread. SE = √(1/3 + 1/3) = 0.8165, Welch
// ν = (2/3)² / ((1/3)²/2 · 2) = 4, t(0.95, 4) = 2.1318: noise 1.7406.
func TestCompareKPIWelch(t *testing.T) {
	k := KPISpec{Path: "x", Dir: Lower}
	d := CompareKPI(k, Side{1, 2, 3}, Side{3, 4, 5}, 0.95)
	if math.Abs(d.Noise-1.7406) > 1e-3 || d.Diff != 2 || d.Verdict != Regression {
		t.Errorf("+2: %+v, want noise 1.7406 and a regression", d)
	}
	d = CompareKPI(k, Side{1, 2, 3}, Side{2.5, 3.5, 4.5}, 0.95)
	if d.Verdict != Worse {
		t.Errorf("+1.5 within the noise: %+v, want worse", d)
	}
	d = CompareKPI(k, Side{1, 2, 3}, Side{-1, 0, 1}, 0.95)
	if d.Verdict != Better {
		t.Errorf("-2: %+v, want better", d)
	}
	// A tolerance above the noise decides: 2 < 2.5.
	d = CompareKPI(KPISpec{Path: "x", Dir: Lower, Tol: Tolerance{Abs: 2.5}}, Side{1, 2, 3}, Side{3, 4, 5}, 0.95)
	if d.Verdict != Worse || d.Tol != 2.5 {
		t.Errorf("within tolerance: %+v", d)
	}
}

func TestCompareKPISingle(t *testing.T) {
	for _, c := range []struct {
		k          KPISpec
		base, cand float64
		want       Verdict
	}{
		{KPISpec{"p", Higher, Tolerance{Abs: 0.001}}, 0.999, 0.9985, Worse},     // fell 0.0005 ≤ 0.001
		{KPISpec{"p", Higher, Tolerance{Abs: 0.001}}, 0.999, 0.997, Regression}, // fell 0.002
		{KPISpec{"d", Lower, Tolerance{Rel: 0.10}}, 100, 109, Worse},            // +9 % ≤ 10 %
		{KPISpec{"d", Lower, Tolerance{Rel: 0.10}}, 100, 111, Regression},       // +11 %
		{KPISpec{"d", Lower, Tolerance{Rel: 0.10}}, 100, 80, Better},
		{KPISpec{"e", Either, Tolerance{Abs: 1}}, 5, 3, Regression},
		{KPISpec{"e", Either, Tolerance{Abs: 1}}, 5, 5, Same},
	} {
		d := CompareKPI(c.k, Side{c.base}, Side{c.cand}, 0.95)
		if want := c.want; d.Verdict != want || d.Noise != 0 {
			t.Errorf("%s %g → %g: %s (noise %g), want %s", c.k.Path, c.base, c.cand, d.Verdict, d.Noise, c.want)
		}
	}
}

func TestParseKPISpec(t *testing.T) {
	for _, c := range []struct {
		in   string
		want KPISpec
	}{
		{"access_success_probability", KPISpec{"access_success_probability", Higher, Tolerance{Abs: 0.001}}},
		{"access_delay_ms.p99:rel=5%", KPISpec{"access_delay_ms.p99", Lower, Tolerance{Rel: 0.05}}},
		{"groups.c.battery_years.p5:rel=0.02", KPISpec{"groups.c.battery_years.p5", Higher, Tolerance{Rel: 0.02}}},
		{"devices:abs=3,either", KPISpec{"devices", Either, Tolerance{Abs: 3}}},
		{"cells.farm/1.ul_utilisation:abs=0.05,higher", KPISpec{"cells.farm/1.ul_utilisation", Higher, Tolerance{Abs: 0.05}}},
		{"collision_probability:rel=1%", KPISpec{"collision_probability", Lower, Tolerance{Rel: 0.01}}},
	} {
		got, err := ParseKPISpec(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseKPISpec(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", ".x", "x:abs=-1", "x:abs=5%", "x:rel=many", "x:bigger", "x:tol=3"} {
		if _, err := ParseKPISpec(bad); err == nil {
			t.Errorf("ParseKPISpec(%q) accepted", bad)
		}
	}
}
