package report

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/DataDog/sketches-go/ddsketch"
)

// exactRank is the nearest-rank quantile of xs computed directly (sorted
// copy, rank ceil(q/1000·n)): what the sketch approximates.
func exactRank(xs []float64, perMille int) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return nearestRank(s, perMille)
}

// Every quantile is within SketchAccuracy of the exact nearest-rank sample,
// over skewed samples (lognormal delays from 1 ms to hours, with
// duplicates and zeros).
func TestSketchAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 20 {
		n := 1 + rng.IntN(5000)
		xs := make([]float64, n)
		for i := range xs {
			switch rng.IntN(10) {
			case 0:
				xs[i] = 0
			case 1:
				xs[i] = float64(rng.IntN(5)) * 40 // duplicates on a grid
			default:
				xs[i] = math.Exp(rng.NormFloat64()*2 + 5)
			}
		}
		k := SketchOf(xs)
		for _, q := range []int{1, 50, 500, 950, 990, 999, 1000} {
			got, want := k.Quantile(q), exactRank(xs, q)
			if math.Abs(got-want) > SketchAccuracy*math.Abs(want) {
				t.Errorf("trial %d (n %d): q %d‰ = %v, exact %v (more than %v apart)", trial, n, q, got, want, SketchAccuracy)
			}
		}
	}
}

// Sketches of the parts of a sample set, merged in any order, give the
// same quantiles, count, minimum and maximum as the sketch of the whole,
// and the same mean to rounding.
func TestSketchMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	xs := make([]float64, 10000)
	for i := range xs {
		xs[i] = math.Exp(rng.NormFloat64() + 6)
	}
	whole := SketchOf(xs)
	parts := [][]float64{xs[:10], xs[10:4000], xs[4000:4000], xs[4000:]}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}} {
		var m Sketch
		for _, i := range order {
			m.Merge(SketchOf(parts[i]))
		}
		got, want := m.Dist(), whole.Dist()
		if got.P50 != want.P50 || got.P95 != want.P95 || got.P99 != want.P99 || m.N() != whole.N() ||
			m.min != whole.min || m.max != whole.max || math.Abs(got.Mean-want.Mean) > 1e-12*want.Mean {
			t.Errorf("order %v: merged %+v (n %d), whole %+v (n %d)", order, got, m.N(), want, whole.N())
		}
	}
	// Add one at a time = SketchOf.
	var a Sketch
	for _, x := range xs {
		a.Add(x)
	}
	if a.Dist().P99 != whole.Dist().P99 || a.N() != whole.N() {
		t.Errorf("Add: %+v, SketchOf: %+v", a.Dist(), whole.Dist())
	}
	var empty Sketch
	empty.Merge(&Sketch{})
	empty.Merge(nil)
	if empty.Dist() != (Dist{}) || empty.Battery() != (BatteryDist{}) {
		t.Errorf("empty merge: %+v", empty.Dist())
	}
}

// A hand-computed case: 40 ms × 3, 1000 ms × 1. p50 (rank 2) is 40 to
// the bin, p95 and p99 (rank 4) the exact maximum, the mean exact.
func TestSketchHandComputed(t *testing.T) {
	k := SketchOf([]float32{1000, 40, 40, 40})
	d := k.Dist()
	if d.Mean != 280 || d.P95 != 1000 || d.P99 != 1000 || math.Abs(d.P50-40) > 0.04 {
		t.Errorf("Dist = %+v, want mean 280, p50 40 ± 0.04, p95 = p99 = 1000", d)
	}
	if got := k.CDFSample(3); len(got) != 3 || got[0] != 40 || got[2] != 1000 || math.Abs(got[1]-40) > 0.04 {
		t.Errorf("CDFSample(3) = %v", got)
	}
	if got := k.CDFSample(100); len(got) != 4 {
		t.Errorf("CDFSample(100) of 4 values = %v", got)
	}
}

func TestSketchJSON(t *testing.T) {
	k := SketchOf([]float64{0, 1.5, 2, 300, 7e4})
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	var back Sketch
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Dist() != k.Dist() || back.N() != 5 || back.Battery() != k.Battery() {
		t.Errorf("round trip: %+v, want %+v", back.Dist(), k.Dist())
	}
	b2, _ := json.Marshal(&back)
	if string(b2) != string(b) {
		t.Errorf("re-encoded differently:\n%s\n%s", b, b2)
	}
	var e Sketch
	if err := json.Unmarshal([]byte(`{"n":0,"sum":0,"min":0,"max":0,"ddsketch":""}`), &e); err != nil || e.N() != 0 {
		t.Errorf("empty: %v", err)
	}
	// Refused: a count the bins do not hold, another accuracy, garbage.
	other, _ := ddsketch.LogUnboundedDenseDDSketch(0.01)
	other.Add(3)
	var ob []byte
	other.Encode(&ob, false)
	for name, in := range map[string]string{
		"count":    strings.Replace(string(b), `"n":5`, `"n":6`, 1),
		"accuracy": `{"n":1,"sum":3,"min":3,"max":3,"ddsketch":"` + base64.StdEncoding.EncodeToString(ob) + `"}`,
		"base64":   `{"n":1,"sum":3,"min":3,"max":3,"ddsketch":"%%%"}`,
		"no bins":  `{"n":1,"sum":3,"min":3,"max":3,"ddsketch":""}`,
	} {
		var s Sketch
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
