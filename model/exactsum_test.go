package model

import (
	"math"
	"testing"
)

// TestExactSum: the sum is exact and the same in any order, where float64
// addition is neither: 1e16 + 1 + 1 is 1e16 left to right (the spacing of
// float64s at 1e16 is 2) and 1e16 + 2 right to left; and clusters merge to
// the same sum.
func TestExactSum(t *testing.T) {
	xs := []float64{1e16, 1, 1, 0.25, 0.125}
	want := 1e16 + 2 // the exact 1e16 + 2.375, rounded to the float64 spacing of 2
	var fwd, bwd exactSum
	naiveF, naiveB := 0.0, 0.0
	for i := range xs {
		fwd.add(xs[i])
		bwd.add(xs[len(xs)-1-i])
		naiveF += xs[i]
		naiveB += xs[len(xs)-1-i]
	}
	if naiveF == naiveB {
		t.Fatalf("the case does not show float64 addition's order: %v both ways", naiveF)
	}
	if fwd != bwd || fwd.value() != want {
		t.Errorf("exact sums %v (%v) and %v (%v), want %v", fwd, fwd.value(), bwd, bwd.value(), want)
	}
	var a, b exactSum
	for i, x := range xs {
		if i%2 == 0 {
			a.add(x)
		} else {
			b.add(x)
		}
	}
	b.merge(a)
	if b != fwd {
		t.Errorf("merged %v, want %v", b, fwd)
	}
	// Fractions: 0.75 + 0.5 carries into the whole part; a term below 2^-52 is dropped.
	var c exactSum
	c.add(0.75)
	c.add(0.5)
	c.add(math.Ldexp(1, -60))
	if c.whole != 1 || c.frac != exactUnit/4 || c.value() != 1.25 {
		t.Errorf("0.75 + 0.5 + 2^-60 = %+v (%v), want 1.25", c, c.value())
	}
}

// TestExactSumNotFinite: a term that is not a number, infinite, or beyond
// the integers the sum holds (2^62) makes the sum NaN, through merges too,
// as float64 addition would show it; before, int64 conversion made it a
// silent -9.2e18 (amd64) or a wrapped sum.
func TestExactSumNotFinite(t *testing.T) {
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -1e19, math.Ldexp(1, 62)} {
		var s exactSum
		s.add(1.5)
		s.add(x)
		s.add(2.25)
		if v := s.value(); !math.IsNaN(v) {
			t.Errorf("1.5 + %v + 2.25 = %v, want NaN", x, v)
		}
		var m exactSum
		m.add(3)
		m.merge(s)
		if v := m.value(); !math.IsNaN(v) {
			t.Errorf("merged with a sum of %v: %v, want NaN", x, v)
		}
		s.merge(m)
		if v := s.value(); !math.IsNaN(v) {
			t.Errorf("a NaN sum merged: %v, want NaN", v)
		}
	}
	var ok exactSum
	ok.add(math.Ldexp(1, 61))
	ok.add(-math.Ldexp(1, 61))
	ok.add(0.5)
	if v := ok.value(); v != 0.5 {
		t.Errorf("2^61 - 2^61 + 0.5 = %v, want 0.5", v)
	}
}
