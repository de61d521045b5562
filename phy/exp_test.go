package phy

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Exp stays within 4e-16 of math.Exp (relative) over (−700, 700), is
// exact where e^x is (0 → 1), and is math.Exp beyond.
func TestExp(t *testing.T) {
	if Exp(0) != 1 {
		t.Errorf("Exp(0) = %v, want 1", Exp(0))
	}
	if got, want := Exp(math.Ln2), 2.0; math.Abs(got-want) > 4e-16*want {
		t.Errorf("Exp(ln 2) = %v, want 2", got)
	}
	// By hand: 23 dBm = 10^2.3 mW = 199.52623149688796 mW.
	if got, want := Exp(23*math.Ln10/10), 199.52623149688796; math.Abs(got-want) > 4e-16*want {
		t.Errorf("Exp(23 dB in nepers) = %.17g, want %.17g", got, want)
	}
	worst, at := 0.0, 0.0
	check := func(x float64) {
		a, b := Exp(x), math.Exp(x)
		if e := math.Abs(a-b) / b; e > worst {
			worst, at = e, x
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	n := 2_000_000
	if testing.Short() {
		n = 200_000
	}
	for i := 0; i < n; i++ {
		check((r.Float64()*2 - 1) * 700)
		check((r.Float64()*2 - 1) * 40) // dBm to mW, decays, logistics
	}
	for k := -89600; k <= 89600; k++ { // every multiple of ln2/128 in range, and beside it
		x := float64(k) * math.Ln2 / 128
		check(x)
		check(math.Nextafter(x, 1000))
	}
	if worst > 4e-16 {
		t.Errorf("Exp's largest relative error %.3g (at %v), want at most 4e-16", worst, at)
	}
	t.Logf("largest relative error %.3g at %v", worst, at)
	for _, x := range []float64{-800, 710, math.Inf(1), math.Inf(-1), math.NaN()} {
		if a, b := Exp(x), math.Exp(x); a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
			t.Errorf("Exp(%v) = %v, math.Exp %v", x, a, b)
		}
	}
}

var expSink float64

func BenchmarkExp(b *testing.B) {
	x := -3.0
	for i := 0; i < b.N; i++ {
		expSink += Exp(x)
		x += 1e-6
	}
}

func BenchmarkMathExp(b *testing.B) {
	x := -3.0
	for i := 0; i < b.N; i++ {
		expSink += math.Exp(x)
		x += 1e-6
	}
}
