package report

import (
	"gonum.org/v1/gonum/stat/distuv"
	"math"
	"slices"
)

// finiteSorted returns the finite values of xs, sorted ascending, in a new
// slice (xs is not modified).
func finiteSorted[T ~float32 | ~float64](xs []T) []T {
	s := make([]T, 0, len(xs))
	for _, x := range xs {
		if f := float64(x); !math.IsNaN(f) && !math.IsInf(f, 0) {
			s = append(s, x)
		}
	}
	slices.Sort(s)
	return s
}

// nearestRank returns the q-th quantile of the sorted, non-empty s, with q in
// per-mille (950 = 95th percentile), by the nearest-rank method: the value of
// rank ceil(q/1000 · n) (1-based, at least 1). The rank is computed in
// integers, so it is exact: no interpolation, no floating-point rounding of
// q·n.
func nearestRank[T ~float32 | ~float64](s []T, perMille int) float64 {
	n := len(s)
	rank := (perMille*n + 999) / 1000
	if rank < 1 {
		rank = 1
	}
	if rank > n {
		rank = n
	}
	return float64(s[rank-1])
}

// Quantiles summarises xs: the arithmetic mean (exact) and the 50th, 95th
// and 99th percentiles, from the sketch of xs (SketchOf(xs).Dist()).
//
// Definition: Pq is the nearest-rank percentile, the sample of 1-based
// rank ceil(q/100 · n) of the sorted samples (the smallest sample such
// that at least q % of the samples are ≤ it; gonum's stat.Quantile with
// stat.Empirical, the rank computed exactly in integers), as the sketch
// gives it: within SketchAccuracy (0.1 %, relative) of that sample, and
// never below the minimum or above the maximum. For 1..10: mean 5.5,
// p50 5 (±0.005), p95 10, p99 10.
//
// xs is not modified. NaN and ±Inf samples are ignored. With no (finite)
// sample every field is 0, never NaN. Samples may be float32 (half the
// memory for millions of samples) or float64.
func Quantiles[T ~float32 | ~float64](xs []T) Dist {
	return SketchOf(xs).Dist()
}

// BatteryStats summarises per-device battery lifetimes in years: mean,
// 5th percentile (nearest rank, from the sketch, as in Quantiles) and
// minimum (exact): SketchOf(years).Battery(). years is not modified; NaN
// and ±Inf are ignored; no (finite) value gives all zeros.
func BatteryStats(years []float64) BatteryDist {
	return SketchOf(years).Battery()
}

// CDFSample returns at most max values that trace the empirical CDF of xs:
// all finite samples, sorted, when there are at most max of them, otherwise
// max evenly spaced order statistics (always including the minimum and the
// maximum). It is what a CDF plot needs from millions of samples.
func CDFSample[T ~float32 | ~float64](xs []T, max int) []float64 {
	s := finiteSorted(xs)
	if max < 2 {
		max = 2
	}
	if len(s) <= max {
		out := make([]float64, len(s))
		for i, x := range s {
			out[i] = float64(x)
		}
		return out
	}
	out := make([]float64, max)
	for i := range out {
		out[i] = float64(s[i*(len(s)-1)/(max-1)])
	}
	return out
}

// CountCDF turns counts[i] (how many samples had value i+1) into the
// cumulative shares: out[i] = share of samples ≤ i+1, trailing zero counts
// dropped. No samples give an empty, non-nil slice.
func CountCDF(counts []int64) []float64 {
	n := len(counts)
	for n > 0 && counts[n-1] == 0 {
		n--
	}
	var total int64
	for _, c := range counts[:n] {
		total += c
	}
	out := make([]float64, 0, n)
	if total == 0 {
		return out
	}
	var cum int64
	for _, c := range counts[:n] {
		cum += c
		out = append(out, float64(cum)/float64(total))
	}
	return out
}

// TQuantile is Student's t quantile: the x with P(T ≤ x) = p for dof
// degrees of freedom (gonum's distuv.StudentsT).
func TQuantile(p, dof float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: dof}.Quantile(p)
}

// MeanInterval is the mean of xs, their sample standard deviation (n − 1
// in the denominator) and the two-sided Student-t interval of the mean at
// confidence conf: mean ± t((1+conf)/2, n−1)·sd/√n. It needs two values
// or more (sd and the interval are NaN with one).
func MeanInterval(xs []float64, conf float64) (m, sd, lo, hi float64) {
	n := float64(len(xs))
	for _, x := range xs {
		m += x
	}
	m /= n
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	sd = math.Sqrt(ss / (n - 1))
	h := TQuantile((1+conf)/2, n-1) * sd / math.Sqrt(n)
	return m, sd, m - h, m + h
}
