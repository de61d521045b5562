package model

import (
	"math"
	"testing"
)

// roundHalfAway is int32(math.Round(v)) over the range it serves:
// halves, their float neighbours, and a sweep.
func TestRoundHalfAway(t *testing.T) {
	check := func(v float64) {
		t.Helper()
		if got, want := roundHalfAway(v), int32(math.Round(v)); got != want {
			t.Fatalf("roundHalfAway(%v) = %d, math.Round %d", v, got, want)
		}
	}
	for k := -20001; k <= 20001; k++ {
		h := float64(k) / 2 // every half and integer in [−1e4, 1e4]
		check(h)
		check(math.Nextafter(h, math.Inf(1)))
		check(math.Nextafter(h, math.Inf(-1)))
	}
	for v := -10000.0; v <= 10000; v += 0.0137 {
		check(v)
	}
	check(0.49999999999999994)
	check(-0.49999999999999994)
	check(math.Copysign(0, -1))
	check(math.NaN())
	if roundHalfAway(2.5) != 3 || roundHalfAway(-2.5) != -3 || roundHalfAway(-0.4) != 0 {
		t.Errorf("halves go away from zero: 2.5 → %d, −2.5 → %d, −0.4 → %d", roundHalfAway(2.5), roundHalfAway(-2.5), roundHalfAway(-0.4))
	}
}
