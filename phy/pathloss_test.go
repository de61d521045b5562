package phy

import (
	"math"
	"strings"
	"testing"
)

func TestPathLossValues(t *testing.T) {
	urban := func(rKm, f, dhb float64) float64 {
		return 40*(1-4e-3*dhb)*math.Log10(rKm) - 18*math.Log10(dhb) + 21*math.Log10(f) + 80
	}
	rural := func(rKm, f, hb float64) float64 {
		return 69.55 + 26.16*math.Log10(f) - 13.82*math.Log10(hb) + (44.9-6.55*math.Log10(hb))*math.Log10(rKm) -
			4.78*math.Pow(math.Log10(f), 2) + 18.33*math.Log10(f) - 40.94
	}
	cases := []struct {
		model    string
		hb, hu   float64
		dM, fMHz float64
		want     float64
	}{
		// TR 36.942 §4.5.2 quotes L = 120.9 + 37.6·log10(R) at 900 MHz, Dhb 15 m.
		{PathLossUrbanMacro, 15, 1.5, 1000, 900, 120.9},
		{PathLossUrbanMacro, 15, 1.5, 2000, 900, 120.9 + 37.6*math.Log10(2)},
		{PathLossUrbanMacro, 15, 1.5, 1000, 2000, 128.1}, // and 128.1 + 37.6·log10(R) at 2 GHz
		{PathLossUrbanMacro, 15, 1.5, 3500, 806, urban(3.5, 806, 15)},
		{PathLossUrbanMacro, 30, 1.5, 500, 1842.5, urban(0.5, 1842.5, 30)},
		// TR 36.942 §4.5.3 quotes L = 95.5 + 34.1·log10(R) at 900 MHz, Hb 45 m.
		{PathLossRuralMacro, 45, 1.5, 1000, 900, 95.5},
		{PathLossRuralMacro, 45, 1.5, 10000, 900, 95.5 + 34.1},
		{PathLossRuralMacro, 45, 1.5, 5000, 780.5, rural(5, 780.5, 45)},
		// Friis: 32.45 + 20log10(f MHz) + 20log10(d km).
		{PathLossFreeSpace, 0, 0, 1000, 900, 32.45 + 20*math.Log10(900)},
		{PathLossFreeSpace, 0, 0, 250, 1800, 32.45 + 20*math.Log10(1800) + 20*math.Log10(0.25)},
		{PathLossFreeSpace, 31.5, 1.5, 40, 900, 32.45 + 20*math.Log10(900) + 20*math.Log10(0.05)}, // 3-D distance 50 m
	}
	for _, c := range cases {
		pl, err := NewPathLoss(c.model, c.hb, c.hu)
		if err != nil {
			t.Fatalf("NewPathLoss(%s): %v", c.model, err)
		}
		if pl.Name() != c.model {
			t.Errorf("Name() = %q; want %q", pl.Name(), c.model)
		}
		if got := pl.Loss(c.dM, c.fMHz); !approx(got, c.want, 0.06) {
			t.Errorf("%s(%v m, %v MHz, hb %v) = %.3f dB; want %.3f", c.model, c.dM, c.fMHz, c.hb, got, c.want)
		}
	}
}

func TestPathLossClampsAndFloors(t *testing.T) {
	for _, name := range PathLossNames() {
		pl, err := NewPathLoss(name, 25, 1.5)
		if err != nil {
			t.Fatal(err)
		}
		// Tiny distances are evaluated at 10 m.
		if a, b := pl.Loss(0, 900), pl.Loss(MinPathLossDistanceM, 900); a != b || !finite(a) {
			t.Errorf("%s: Loss(0) = %v, Loss(10 m) = %v; want equal and finite", name, a, b)
		}
		if a, b := pl.Loss(-50, 900), pl.Loss(1e-9, 900); a != b {
			t.Errorf("%s: negative and tiny distances differ: %v vs %v", name, a, b)
		}
		// Monotonic in distance and never below free space.
		prev := 0.0
		for d := 10.0; d < 1e6; d *= 1.5 {
			l := pl.Loss(d, 900)
			if l < prev-1e-9 {
				t.Errorf("%s: loss decreases at %v m: %v < %v", name, d, l, prev)
			}
			if fs := freeSpaceDb(d, 900); l < fs-1e-9 {
				t.Errorf("%s: loss %v below free space %v at %v m", name, l, fs, d)
			}
			prev = l
		}
		for _, d := range specials {
			for _, f := range specials {
				if l := pl.Loss(d, f); !finite(l) || l < 0 {
					t.Errorf("%s: Loss(%v, %v) = %v", name, d, f, l)
				}
			}
		}
	}
}

func TestNewPathLossErrors(t *testing.T) {
	bad := []struct {
		name   string
		hb, hu float64
	}{
		{"suburban", 15, 1.5}, {"", 15, 1.5},
		{PathLossUrbanMacro, 0, 1.5}, {PathLossUrbanMacro, 250, 1.5}, {PathLossUrbanMacro, math.NaN(), 1.5},
		{PathLossRuralMacro, 0, 1.5}, {PathLossRuralMacro, 45, -1}, {PathLossRuralMacro, math.Inf(1), 1.5},
		{PathLossFreeSpace, -3, 0}, {PathLossFreeSpace, 10, math.NaN()},
	}
	for _, c := range bad {
		if _, err := NewPathLoss(c.name, c.hb, c.hu); err == nil {
			t.Errorf("NewPathLoss(%q, %v, %v): want error", c.name, c.hb, c.hu)
		}
	}
	_, err := NewPathLoss("okumura", 30, 1.5)
	if err == nil || !strings.Contains(err.Error(), "urban-macro") || !strings.Contains(err.Error(), "free-space") {
		t.Errorf("unknown-model error %v should list the allowed models", err)
	}
	if _, err := NewPathLoss(" Urban-Macro ", 15, 1.5); err != nil {
		t.Errorf("name matching should ignore case and space: %v", err)
	}
}

func TestShadowingFor(t *testing.T) {
	s, err := ShadowingFor(PathLossUrbanMacro)
	if err != nil || s.SigmaDb != 10 || s.InterSiteCorrelation != 0.5 || s.DecorrelationDistanceM != 50 {
		t.Errorf("urban shadowing = %+v, %v", s, err)
	}
	if s, err := ShadowingFor(PathLossFreeSpace); err != nil || s.SigmaDb != 0 {
		t.Errorf("free-space shadowing = %+v, %v", s, err)
	}
	if _, err := ShadowingFor("x"); err == nil || !strings.Contains(err.Error(), "rural-macro") {
		t.Errorf("ShadowingFor(x) error %v should list models", err)
	}
}

func TestSectorGainDb(t *testing.T) {
	cases := []struct{ deg, want float64 }{
		{0, 0}, {32.5, -3}, {-32.5, -3}, {65, -12}, {-65, -12},
		{90, -20}, {180, -20}, {-180, -20}, {540, -20}, // large angles saturate at Am
		{1000, -12 * (80.0 / 65) * (80.0 / 65)},      // 1000° wraps to −80°
		{360, 0}, {-360 + 32.5, -3}, {720 + 65, -12}, // wrapped
		{math.NaN(), -20}, {math.Inf(1), -20}, {math.Inf(-1), -20},
	}
	for _, c := range cases {
		if got := SectorGainDb(c.deg); !approx(got, c.want, 1e-9) {
			t.Errorf("SectorGainDb(%v) = %v; want %v", c.deg, got, c.want)
		}
	}
	// −min(12(θ/65)², 20) reaches Am at θ = 65·sqrt(20/12) ≈ 83.9°.
	if g := SectorGainDb(83); g <= -20 || g > -19 {
		t.Errorf("SectorGainDb(83) = %v", g)
	}
}

func TestCouplingLossDb(t *testing.T) {
	// PL 140 + shadow 5 + penetration 10 − (15 dBi − 3 dB pattern) − 0 dBi = 143.
	if got := CouplingLossDb(140, 5, 10, 15, -3, 0); !approx(got, 143, 1e-9) {
		t.Errorf("CouplingLossDb = %v; want 143", got)
	}
	if got := CouplingLossDb(60, 0, 0, 15, 0, 0); got != MinCouplingLossDb {
		t.Errorf("CouplingLossDb below MCL = %v; want %v", got, MinCouplingLossDb)
	}
	for _, x := range specials {
		if v := CouplingLossDb(x, x, x, x, x, x); !finite(v) {
			t.Errorf("CouplingLossDb(%v…) = %v", x, v)
		}
	}
	if v := CouplingLossDb(math.NaN(), 0, 0, 15, 0, 0); v < MaxCouplingLossDb {
		t.Errorf("NaN path loss should be pessimistic, got %v", v)
	}
}
