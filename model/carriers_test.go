package model

import (
	"math"
	"strconv"
	"testing"

	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/sim"
)

// TestSelectCarrier: the draw's mapping, by hand. With pAnchor = 1/4 and
// 4 carriers the anchor takes [0, 0.25) and carriers 1, 2, 3 a quarter
// each of the rest: [0.25, 0.5), [0.5, 0.75), [0.75, 1).
func TestSelectCarrier(t *testing.T) {
	for _, c := range []struct {
		x, p  float64
		n     int
		wantK uint8
	}{
		{0, 0.25, 4, 0}, {0.2499, 0.25, 4, 0}, {0.25, 0.25, 4, 1}, {0.4999, 0.25, 4, 1},
		{0.5, 0.25, 4, 2}, {0.75, 0.25, 4, 3}, {0.999999, 0.25, 4, 3},
		{0, 0, 2, 1}, {0.999, 0, 2, 1}, // zero: never the anchor
		{0.49, 0.5, 2, 0}, {0.5, 0.5, 2, 1},
		{0.3, 1, 1, 0}, {0.9, 0.25, 1, 0}, // one carrier: the anchor
		{0.5, 1.0 / 16, 16, 8}, // 1 + ⌊(0.5−1/16)/(15/16)·15⌋ = 1 + ⌊7⌋
	} {
		if got := selectCarrier(c.x, c.p, c.n); got != c.wantK {
			t.Errorf("selectCarrier(%g, %g, %d) = %d, want %d", c.x, c.p, c.n, got, c.wantK)
		}
	}
}

// TestPickCarrierSpread: over 80,000 preambles (2,000 devices × 40
// times) the anchor's share is within 4 standard deviations of
// nprach-ProbabilityAnchor (binomial), and each non-anchor carrier's
// within 4 of (1−p)/(carriers−1).
func TestPickCarrierSpread(t *testing.T) {
	for _, c := range []struct {
		p    string
		pf   float64
		cars int
	}{{"equal", 0.25, 4}, {"1/16", 1.0 / 16, 3}, {"0", 0, 2}, {"1/2", 0.5, 16}} {
		n := buildYAML(t, "c.yaml", "duration: 1h\nradio: {carriers: "+strconv.Itoa(c.cars)+", nprach_probability_anchor: \""+c.p+"\"}\ngroups:\n  g: {count: 1}\n")
		count := make([]int, c.cars)
		const devs, times = 2000, 40
		for id := int32(0); id < devs; id++ {
			for k := 0; k < times; k++ {
				count[n.pickCarrier(id, sim.Time(k)*sim.Time(80e6)+sim.Time(id))]++
			}
		}
		N := float64(devs * times)
		for k, got := range count {
			p := c.pf
			if k > 0 {
				p = (1 - c.pf) / float64(c.cars-1)
			}
			sd := math.Sqrt(N * p * (1 - p))
			if math.Abs(float64(got)-N*p) > 4*sd {
				t.Errorf("%s, %d carriers: carrier %d got %d of %.0f, want %.0f ± %.0f", c.p, c.cars, k, got, N, N*p, 4*sd)
			}
		}
	}
}

// TestPagingCarrier: TS 36.304 §7.1's paging carrier on hand-worked
// identities, T = 128 frames (1.28 s): x = ⌊(IMSI mod 16384)/128⌋ mod W,
// the first carrier whose cumulative weight passes x.
func TestPagingCarrier(t *testing.T) {
	for _, c := range []struct {
		imsi uint64
		w    []int
		cars int
		want int
	}{
		{0, nil, 2, 0},                       // x = 0 < W(0) = 1
		{127, nil, 2, 0},                     // ⌊127/128⌋ = 0
		{128, nil, 2, 1},                     // x = 1: not < 1, < 2
		{16384 + 200, nil, 2, 1},             // UE_ID = 200, x = 1
		{3 * 128, nil, 2, 1},                 // x = 3 mod 2 = 1
		{0, []int{0, 3, 1}, 3, 1},            // anchor not used for paging: x = 0 < 0+3
		{3 * 128, []int{0, 3, 1}, 3, 2},      // x = 3: not < 3, < 4
		{4 * 128, []int{0, 3, 1}, 3, 1},      // x = 4 mod 4 = 0
		{5 * 128, []int{2, 1, 16}, 3, 2},     // x = 5 mod 19 = 5: not < 2, not < 3, < 19
		{16383, []int{2, 1, 16}, 3, 2},       // UE_ID 16383: x = 127 mod 19 = 13
		{16384 + 130, []int{2, 1, 16}, 3, 0}, // UE_ID 130: x = 1 < 2
		{999, nil, 1, 0},                     // one carrier: the anchor
	} {
		if got := pagingCarrier(c.imsi, 128, c.w, c.cars); got != c.want {
			t.Errorf("pagingCarrier(%d, 128, %v, %d) = %d, want %d", c.imsi, c.w, c.cars, got, c.want)
		}
	}
}

// TestCarrierBooks: a preamble on carrier k of a cell lands in that
// carrier's bucket and books, and its power reaches the neighbours'
// carrier k only: two preambles of cell 0 and 1 with the same preamble
// index on carriers 0 and 1 do not collide, and cell 2 sees cell 0's
// device as interference on carrier 1 only (reuse 1: same frequencies,
// so carrier 1 of cell 0 meets carrier 1 of cell 2).
func TestCarrierBooks(t *testing.T) {
	n := buildYAML(t, "i.yaml", `
site_layout: {count: 1, sectors: 3}
radio: {carriers: 2}
groups:
  d: {count: 3}
`)
	link(n, 0, 0, 130, []int32{2}, []float32{120})
	link(n, 1, 0, 130, []int32{2}, []float32{120})
	link(n, 2, 2, 140, nil, nil)
	cp := &n.ce[0]
	k, start := cp.occ.Next(1)
	end := sim.Time(start) + sim.Time(cp.occ.Length)
	b0, b1 := n.bucketFor(0, 0, k, end), n.bucketFor(0, 1, k, end)
	if b0 == b1 || b0.car != 0 || b1.car != 1 || n.bucketFor(0, 1, k, end) != b1 {
		t.Fatalf("buckets: carrier 0 %p (car %d), carrier 1 %p (car %d): want one bucket per carrier", b0, b0.car, b1, b1.car)
	}
	b0.picks = append(b0.picks, mac.Pick{Dev: 0, Cell: 0, Preamble: 3}, mac.Pick{Dev: 2, Cell: 2, Preamble: 5})
	b0.power = append(b0.power, 23, 23)
	b1.picks = append(b1.picks, mac.Pick{Dev: 1, Cell: 0, Preamble: 3}, mac.Pick{Dev: 2, Cell: 2, Preamble: 5})
	b1.power = append(b1.power, 23, 23)
	// Device 1 interferes on carrier 1 only: its pick is in b1. Device 0
	// (carrier 0) is moved out of reach of cell 2 in b0.
	link(n, 0, 0, 130, []int32{2}, []float32{250})
	n.detectPreambles(b0, cp)
	n.detectPreambles(b1, cp)
	a, na := n.on(2, 0), n.on(2, 1)
	if a == na || na != &n.nonAnchor[2*1+0] {
		t.Fatalf("on(2, 1) is not cell 2's non-anchor carrier")
	}
	if a.iot.Dist().Max > 1e-6 || na.iot.Dist().Max < 1 {
		t.Errorf("cell 2 IoT: anchor %+v, non-anchor %+v; want ~0 and ≥ 1 dB (device 1, 23 − 120 dBm, is on carrier 1)", a.iot.Dist(), na.iot.Dist())
	}
	if a.preambles != 1 || na.preambles != 1 || n.on(0, 0).preambles != 1 || n.on(0, 1).preambles != 1 {
		t.Errorf("preambles: cell 0 %d/%d, cell 2 %d/%d; want 1 on each carrier", n.on(0, 0).preambles, n.on(0, 1).preambles, a.preambles, na.preambles)
	}
	// Same preamble index, same cell, different carriers: each bucket
	// resolves alone, no collision.
	for _, b := range []*bucket{b0, b1} {
		if st := mac.Resolve(b.picks, n.resolv, &n.rng); st.Collided != 0 {
			t.Errorf("carrier %d: %d collided, want 0", b.car, st.Collided)
		}
	}
	b0.picks = append(b0.picks, mac.Pick{Dev: 1, Cell: 0, Preamble: 3})
	if st := mac.Resolve(b0.picks, n.resolv, &n.rng); st.Collided != 1 {
		t.Errorf("same carrier, same preamble: %d collided, want 1", st.Collided)
	}
}
