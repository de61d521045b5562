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
