package report

import (
	"math"
	"testing"
)

// TestDBHist checks the summary on a known sample: 100 values 0.0, 0.5,
// ..., 49.5 dB; nearest rank p50 is the 50th value (24.5), p99 the 99th
// (49.0); mean 24.75; max 49.5.
func TestDBHist(t *testing.T) {
	var h DBHist
	if d := h.Dist(); d != (IoTDist{}) {
		t.Fatalf("empty: %+v", d)
	}
	for i := 0; i < 100; i++ {
		h.Add(float64(i) * 0.5)
	}
	d := h.Dist()
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(d.Mean, 24.75) || !near(d.P50, 24.5) || !near(d.P99, 49.0) || d.Max != 49.5 {
		t.Fatalf("got %+v, want mean 24.75 p50 24.5 p99 49 max 49.5", d)
	}
	if h.N() != 100 {
		t.Fatalf("N = %d", h.N())
	}
}

// TestDBHistEdges: negative and NaN count as 0, values past the range go
// to the last bin but keep their value in mean and max, and quantiles are
// floored to the 0.1 dB bin.
func TestDBHistEdges(t *testing.T) {
	var h DBHist
	h.Add(-3)
	h.Add(math.NaN())
	h.Add(250)
	d := h.Dist()
	if d.P50 != 0 || d.Max != 250 || math.Abs(d.Mean-250.0/3) > 1e-9 || math.Abs(d.P99-99.9) > 1e-9 {
		t.Fatalf("got %+v", d)
	}
	var g DBHist
	g.Add(7.37)
	if d := g.Dist(); math.Abs(d.P50-7.3) > 1e-9 || d.Max != 7.37 {
		t.Fatalf("one value 7.37: %+v, want p50 7.3 (bin), max 7.37", d)
	}
}
