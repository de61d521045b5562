package sim

import (
	"math"
	"math/bits"
)

// Stream is a small, fast, seedable random generator (PCG-DXSM, the same
// output function as math/rand/v2's PCG) kept by value inside entities so a
// million devices cost 16 bytes each. Create one with NewStream; the zero
// value is usable but every zero Stream yields the same sequence.
type Stream struct {
	hi, lo uint64
}

// NewStream derives an independent stream from (seed, entity, purpose):
// the same triple always gives the same sequence, whatever else exists.
func NewStream(seed uint64, entity string, index uint64, purpose string) Stream {
	h := mix(seed ^ 0x9e3779b97f4a7c15)
	h = mix(h ^ hashString(entity))
	h = mix(h ^ index*0xbf58476d1ce4e5b9)
	h = mix(h ^ hashString(purpose))
	return Stream{hi: mix(h ^ 0x94d049bb133111eb), lo: mix(h + 0x2545f4914f6cdd1d)}
}

// Uint64 returns a uniformly distributed 64-bit value.
func (s *Stream) Uint64() uint64 {
	// PCG with 128-bit LCG state and the DXSM output permutation
	// (O'Neill; as in math/rand/v2 PCG).
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
	)
	hi, lo := bits.Mul64(s.lo, mulLo)
	hi += s.hi*mulLo + s.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	s.lo, s.hi = lo, hi
	const cheapMul = 0xda942042e4dd58b5
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> (3 * 16)
	hi *= (lo | 1)
	return hi
}

// Float64 returns a uniform value in [0, 1).
func (s *Stream) Float64() float64 {
	return float64(s.Uint64()>>11) * (1.0 / (1 << 53))
}

// IntN returns a uniform value in [0, n); n must be > 0 (0 is returned otherwise).
func (s *Stream) IntN(n int) int {
	if n <= 0 {
		return 0
	}
	// Lemire's nearly divisionless method.
	hi, lo := bits.Mul64(s.Uint64(), uint64(n))
	if lo < uint64(n) {
		thresh := -uint64(n) % uint64(n)
		for lo < thresh {
			hi, lo = bits.Mul64(s.Uint64(), uint64(n))
		}
	}
	return int(hi)
}

// Exp returns an exponentially distributed value with mean 1.
func (s *Stream) Exp() float64 {
	return -math.Log(1 - s.Float64())
}

// Norm returns a standard normal value (Box–Muller; one value per call).
func (s *Stream) Norm() float64 {
	u1 := 1 - s.Float64() // (0,1]
	u2 := s.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// Bernoulli returns true with probability p.
func (s *Stream) Bernoulli(p float64) bool {
	return s.Float64() < p
}

// Beta34 returns a Beta(3,4) variate, the arrival shape of 3GPP TR 37.868
// §6.2.2.1: the 3rd smallest of 6 uniforms (order statistic U(3:6) ~ Beta(3,4)).
func (s *Stream) Beta34() float64 {
	var u [6]float64
	for i := range u {
		u[i] = s.Float64()
	}
	// partial selection of the 3rd smallest
	for i := 0; i < 3; i++ {
		m := i
		for j := i + 1; j < 6; j++ {
			if u[j] < u[m] {
				m = j
			}
		}
		u[i], u[m] = u[m], u[i]
	}
	return u[2]
}

// Source adapts a Stream to math/rand/v2's Source interface (for gonum's
// distributions).
type Source struct{ S *Stream }

// Uint64 implements rand.Source.
func (r Source) Uint64() uint64 { return r.S.Uint64() }

func mix(z uint64) uint64 { // splitmix64 finaliser
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func hashString(s string) uint64 { // FNV-1a
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
