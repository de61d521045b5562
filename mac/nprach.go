package mac

import (
	"math"
	"time"
)

// Occasions is the timing of one random-access resource: an occasion starts
// at k·Period + Start (TS 36.211 §10.1.6.1: NPRACH starts nprach-StartTime
// after the start of a radio frame with n_f mod (periodicity/10ms) = 0) and
// the preamble lasts Length.
type Occasions struct {
	Period time.Duration
	Start  time.Duration
	Length time.Duration
}

// Next returns the index and start time of the first occasion starting at or
// after t (t in nanoseconds of virtual time).
func (o Occasions) Next(t int64) (k int64, start int64) {
	p := int64(o.Period)
	if p <= 0 {
		return 0, t
	}
	s := int64(o.Start)
	if t <= s {
		return 0, s
	}
	k = (t - s + p - 1) / p
	return k, k*p + s
}

// StartOf returns the start time of occasion k.
func (o Occasions) StartOf(k int64) int64 { return k*int64(o.Period) + int64(o.Start) }

// CountIn returns how many occasions start in [0, d).
func (o Occasions) CountIn(d time.Duration) int64 {
	if o.Period <= 0 || d <= o.Start {
		return 0
	}
	return (int64(d-o.Start) + int64(o.Period) - 1) / int64(o.Period)
}

// CollisionFree is the probability that a tagged device among k devices,
// each picking one of n preambles uniformly, picks a preamble nobody else
// picked: (1 − 1/n)^(k−1).
func CollisionFree(n, k int) float64 {
	if n <= 0 || k <= 0 {
		return 0
	}
	return math.Pow(1-1/float64(n), float64(k-1))
}

// ExpectedCollidedPreambles is the expected number of preambles, of n,
// picked by two or more of k devices: n·(1 − P0 − P1) with
// P0 = (1−1/n)^k, P1 = k/n·(1−1/n)^(k−1). Fewer than two devices collide
// on nothing (the formula itself gives NaN for n = 1, k = 0).
func ExpectedCollidedPreambles(n, k int) float64 {
	if n <= 0 || k < 2 {
		return 0
	}
	q := 1 - 1/float64(n)
	p0 := math.Pow(q, float64(k))
	p1 := float64(k) / float64(n) * math.Pow(q, float64(k-1))
	return float64(n) * (1 - p0 - p1)
}
