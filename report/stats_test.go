package report

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestQuantilesHandComputed(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want Dist
	}{
		{"empty", nil, Dist{}},
		{"one", []float64{7}, Dist{7, 7, 7, 7}},
		// n=2: p50 rank ceil(1)=1, p95 rank ceil(1.9)=2.
		{"two", []float64{3, 1}, Dist{2, 1, 3, 3}},
		// n=10: p50 rank 5, p95 rank ceil(9.5)=10, p99 rank ceil(9.9)=10.
		{"1..10 reversed", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, Dist{5.5, 5, 10, 10}},
		// n=4: p50 rank 2 (value 2), p95 rank ceil(3.8)=4.
		{"with duplicates", []float64{2, 2, 1, 5}, Dist{2.5, 2, 5, 5}},
		// NaN and Inf are ignored.
		{"non-finite ignored", []float64{math.NaN(), 4, math.Inf(1), 2, math.Inf(-1)}, Dist{3, 2, 4, 4}},
		{"only NaN", []float64{math.NaN()}, Dist{}},
	}
	for _, tc := range tests {
		if got := Quantiles(tc.xs); !nearDist(got, tc.want) {
			t.Errorf("%s: Quantiles(%v) = %+v, want %+v", tc.name, tc.xs, got, tc.want)
		}
	}
}

func TestQuantiles1to100Shuffled(t *testing.T) {
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
	orig := slices.Clone(xs)
	got := Quantiles(xs)
	want := Dist{Mean: 50.5, P50: 50, P95: 95, P99: 99}
	if !nearDist(got, want) {
		t.Errorf("Quantiles(1..100) = %+v, want %+v", got, want)
	}
	if !slices.Equal(xs, orig) {
		t.Error("Quantiles modified its input")
	}
	// n=1000: exact integer ranks, e.g. p99 = rank 990 (a float q·n could
	// round to 990.0000000000001 and pick rank 991).
	big := make([]float64, 1000)
	for i := range big {
		big[i] = float64(i + 1)
	}
	if got := Quantiles(big); !nearDist(got, Dist{500.5, 500, 950, 990}) {
		t.Errorf("Quantiles(1..1000) = %+v", got)
	}
}

func TestBatteryStats(t *testing.T) {
	if got := BatteryStats(nil); got != (BatteryDist{}) {
		t.Errorf("BatteryStats(nil) = %+v, want zeros", got)
	}
	// 20 values 1..20: p5 rank ceil(1) = 1 → 1; with 40 values rank 2.
	var ys []float64
	for i := 20; i >= 1; i-- {
		ys = append(ys, float64(i))
	}
	if got, want := BatteryStats(ys), (BatteryDist{Mean: 10.5, P5: 1, Min: 1}); got != want { // rank 1: the exact minimum
		t.Errorf("BatteryStats(1..20) = %+v, want %+v", got, want)
	}
	ys = ys[:0]
	for i := 1; i <= 40; i++ {
		ys = append(ys, float64(10+i))
	}
	if got, want := BatteryStats(ys), (BatteryDist{Mean: 30.5, P5: 12, Min: 11}); got.Mean != want.Mean || got.Min != want.Min || !near(got.P5, want.P5) {
		t.Errorf("BatteryStats(11..50) = %+v, want %+v", got, want)
	}
}

func TestRatioDiv(t *testing.T) {
	if got := Ratio(3, 4); got != 0.75 {
		t.Errorf("Ratio(3,4) = %v", got)
	}
	if got := Ratio(5, 0); got != 0 {
		t.Errorf("Ratio(5,0) = %v, want 0", got)
	}
	if got := Ratio(0, 0); got != 0 {
		t.Errorf("Ratio(0,0) = %v, want 0", got)
	}
	if got := Div(1.5, 3); got != 0.5 {
		t.Errorf("Div(1.5,3) = %v", got)
	}
	if got := Div(1.5, 0); got != 0 {
		t.Errorf("Div(1.5,0) = %v", got)
	}
	if got := Div(math.NaN(), 2); got != 0 {
		t.Errorf("Div(NaN,2) = %v", got)
	}
}

// CountCDF on counts by hand: 5 samples at 1, 3 at 2, none at 3, 2 at 4,
// trailing zeros dropped: 0.5, 0.8, 0.8, 1.
func TestCountCDF(t *testing.T) {
	got := CountCDF([]int64{5, 3, 0, 2, 0, 0})
	want := []float64{0.5, 0.8, 0.8, 1}
	if len(got) != len(want) {
		t.Fatalf("CountCDF = %v, want %v", got, want)
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("CountCDF[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	for _, c := range [][]int64{nil, {}, {0, 0}} {
		if g := CountCDF(c); g == nil || len(g) != 0 {
			t.Errorf("CountCDF(%v) = %#v, want an empty non-nil slice", c, g)
		}
	}
}

// The interval by hand: 0.98 and 1.0 twice each: mean 0.99, sd 0.0115470
// (n − 1), t(0.975, 3) = 3.182446305, half-width t·sd/2.
func TestMeanInterval(t *testing.T) {
	m, sd, lo, hi := MeanInterval([]float64{0.98, 1, 0.98, 1}, 0.95)
	h := 3.182446305284263 * 0.011547005383792516 / 2
	if math.Abs(m-0.99) > 1e-15 || math.Abs(sd-0.011547005383792516) > 1e-15 || math.Abs(lo-(0.99-h)) > 1e-12 || math.Abs(hi-(0.99+h)) > 1e-12 {
		t.Errorf("MeanInterval = %v %v %v %v", m, sd, lo, hi)
	}
	if q := TQuantile(0.95, 1); math.Abs(q-6.313751514675) > 1e-9 {
		t.Errorf("t(0.95, 1) = %v, want 6.3137515", q)
	}
}

// near: got within the sketch's relative accuracy of want (exact for 0).
func near(got, want float64) bool {
	return math.Abs(got-want) <= SketchAccuracy*math.Abs(want)
}

// nearDist: the mean exact, the quantiles near.
func nearDist(got, want Dist) bool {
	return got.Mean == want.Mean && near(got.P50, want.P50) && near(got.P95, want.P95) && near(got.P99, want.P99)
}
