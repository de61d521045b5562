package model

import "math"

// exactSum is a sum of float64s that does not depend on the order they are
// added in: each is split into its integer part (floor) and its fraction in
// units of 2^-52, and both are summed as integers, exactly; the total is
// rounded once. The group's energy by state is one, so that a device's
// energy may be booked later than the interval it covers (device.UE's lazy
// T3324) and clusters merge in any order, with the same bytes. A term's
// fraction below 2^-52 (of a millijoule) is dropped.
type exactSum struct{ whole, frac int64 }

const exactUnit = 1 << 52

func (s *exactSum) add(x float64) {
	w := math.Floor(x)
	s.whole += int64(w)
	s.frac += int64((x - w) * exactUnit)
	if s.frac >= exactUnit {
		s.frac -= exactUnit
		s.whole++
	}
}

// merge adds o's terms to s.
func (s *exactSum) merge(o exactSum) {
	s.whole += o.whole
	s.frac += o.frac
	if s.frac >= exactUnit {
		s.frac -= exactUnit
		s.whole++
	}
}

// value is the sum, rounded once to a float64.
func (s exactSum) value() float64 { return float64(s.whole) + float64(s.frac)/exactUnit }
