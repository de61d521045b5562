package mac

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestOccasionsNext(t *testing.T) {
	o := Occasions{Period: 40 * time.Millisecond, Start: 8 * time.Millisecond, Length: 6 * time.Millisecond}
	ms := int64(time.Millisecond)
	cases := []struct {
		t        int64
		k, start int64
	}{
		{-100 * ms, 0, 8 * ms}, // before the first occasion
		{0, 0, 8 * ms},
		{8*ms - 1, 0, 8 * ms},
		{8 * ms, 0, 8 * ms}, // exactly on occasion 0
		{8*ms + 1, 1, 48 * ms},
		{48 * ms, 1, 48 * ms}, // exactly on occasion 1
		{48*ms + 1, 2, 88 * ms},
		{40*ms*1000 + 8*ms, 1000, 40*ms*1000 + 8*ms},
		{40*ms*1000 + 8*ms + 1, 1001, 40*ms*1001 + 8*ms},
	}
	for _, c := range cases {
		k, s := o.Next(c.t)
		if k != c.k || s != c.start {
			t.Errorf("Next(%d) = (%d, %d), want (%d, %d)", c.t, k, s, c.k, c.start)
		}
		if s != o.StartOf(k) {
			t.Errorf("Next(%d) start %d != StartOf(%d) = %d", c.t, s, k, o.StartOf(k))
		}
	}
	// Period 0 (or negative): no periodic resource, t itself.
	for _, p := range []time.Duration{0, -time.Second} {
		z := Occasions{Period: p, Start: 8 * time.Millisecond}
		if k, s := z.Next(12345); k != 0 || s != 12345 {
			t.Errorf("period %v: Next = (%d, %d), want (0, 12345)", p, k, s)
		}
		if n := z.CountIn(time.Hour); n != 0 {
			t.Errorf("period %v: CountIn = %d, want 0", p, n)
		}
	}
}

// TestOccasionsProperties checks Next, StartOf and CountIn against their
// definitions over many configurations.
func TestOccasionsProperties(t *testing.T) {
	for _, per := range NPRACHPeriodicities {
		for _, st := range NPRACHStartTimes {
			if st >= per {
				continue
			}
			o := Occasions{Period: per, Start: st}
			p := int64(per)
			for _, tt := range []int64{0, 1, int64(st) - 1, int64(st), int64(st) + 1, 3*p + int64(st), 3*p + int64(st) + 1, 7*p - 1, 1e12 + 7} {
				k, s := o.Next(tt)
				if s < tt {
					t.Fatalf("%v/%v: Next(%d) start %d before t", per, st, tt, s)
				}
				if k > 0 && o.StartOf(k-1) >= tt {
					t.Fatalf("%v/%v: Next(%d) = k %d but occasion %d starts at %d ≥ t", per, st, tt, k, k-1, o.StartOf(k-1))
				}
			}
			for _, d := range []time.Duration{0, st, st + 1, per, per + st, per + st + 1, 10*per + st, 10*per + st + 1, time.Hour} {
				// brute force: occasions starting in [0, d)
				var want int64
				for k := int64(0); o.StartOf(k) < int64(d); k++ {
					want++
				}
				if got := o.CountIn(d); got != want {
					t.Errorf("%v/%v: CountIn(%v) = %d, want %d", per, st, d, got, want)
				}
			}
		}
	}
}

func TestLTEDetectProb(t *testing.T) {
	for n := -2; n <= 10; n++ {
		want := 0.0
		if n > 0 {
			want = 1 - math.Exp(-float64(n))
		}
		if got := LTEDetectProb(n); math.Abs(got-want) > 1e-15 {
			t.Errorf("LTEDetectProb(%d) = %v, want %v", n, got, want)
		}
	}
	// TR 37.868 values quoted in the literature.
	if got := LTEDetectProb(1); math.Abs(got-0.6321205588) > 1e-9 {
		t.Errorf("LTEDetectProb(1) = %v", got)
	}
	for n := 1; n < 20; n++ {
		if LTEDetectProb(n+1) <= LTEDetectProb(n) && LTEDetectProb(n) < 1 {
			t.Errorf("LTEDetectProb not increasing at %d", n)
		}
	}
}

// exactByEnumeration counts, over all n^k equally likely assignments of k
// devices to n preambles, the probability that device 0 is alone and the
// mean number of preambles with two or more devices.
func exactByEnumeration(n, k int) (alone, collided float64) {
	pick := make([]int, k)
	cnt := make([]int, n)
	total := 0
	for {
		clear(cnt)
		for _, p := range pick {
			cnt[p]++
		}
		if k > 0 && cnt[pick[0]] == 1 {
			alone++
		}
		for _, c := range cnt {
			if c >= 2 {
				collided++
			}
		}
		total++
		// next assignment (odometer)
		i := 0
		for ; i < k; i++ {
			pick[i]++
			if pick[i] < n {
				break
			}
			pick[i] = 0
		}
		if i == k {
			break
		}
	}
	return alone / float64(total), collided / float64(total)
}

func TestCollisionFormulasExact(t *testing.T) {
	for n := 1; n <= 5; n++ {
		for k := 1; k <= 6; k++ {
			t.Run(fmt.Sprintf("n%d_k%d", n, k), func(t *testing.T) {
				alone, coll := exactByEnumeration(n, k)
				if got := CollisionFree(n, k); math.Abs(got-alone) > 1e-12 {
					t.Errorf("CollisionFree(%d,%d) = %v, enumeration %v", n, k, got, alone)
				}
				if got := ExpectedCollidedPreambles(n, k); math.Abs(got-coll) > 1e-12 {
					t.Errorf("ExpectedCollidedPreambles(%d,%d) = %v, enumeration %v", n, k, got, coll)
				}
			})
		}
	}
}

func TestCollisionFormulasEdges(t *testing.T) {
	cases := []struct {
		n, k           int
		free, collided float64
	}{
		{0, 5, 0, 0},
		{-1, 5, 0, 0},
		{12, 0, 0, 0},
		{12, -1, 0, 0},
		{1, 0, 0, 0},
		{12, 1, 1, 0},
		{1, 1, 1, 0},
		{1, 2, 0, 1},
		{1, 50, 0, 1},
		{48, 1, 1, 0},
	}
	for _, c := range cases {
		if got := CollisionFree(c.n, c.k); got != c.free {
			t.Errorf("CollisionFree(%d,%d) = %v, want %v", c.n, c.k, got, c.free)
		}
		if got := ExpectedCollidedPreambles(c.n, c.k); math.Abs(got-c.collided) > 1e-12 || math.IsNaN(got) {
			t.Errorf("ExpectedCollidedPreambles(%d,%d) = %v, want %v", c.n, c.k, got, c.collided)
		}
	}
	// Never more collided preambles than n or than k/2.
	for _, n := range []int{12, 24, 48, 54} {
		for k := 0; k <= 300; k += 7 {
			e := ExpectedCollidedPreambles(n, k)
			if e < 0 || e > float64(n) || e > float64(k)/2+1e-9 || math.IsNaN(e) {
				t.Errorf("ExpectedCollidedPreambles(%d,%d) = %v out of range", n, k, e)
			}
		}
	}
}
