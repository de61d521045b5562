package model

import "math"

// exactSum is a sum of float64s that does not depend on the order they are
// added in: each is split into its integer part (floor) and its fraction in
// units of 2^-52, and both are summed as integers, exactly; the total is
// rounded once. The group's energy by state is one, so that a device's
// energy may be booked later than the interval it covers (device.UE's lazy
// T3324) and clusters merge in any order, with the same bytes. A term's
// fraction below 2^-52 (of a millijoule) is dropped. A term that is not a
// number, infinite or 2^62 or more in size makes the sum NaN (frac < 0),
// as float64 addition would show it, where converting it to int64 would
// not.
type exactSum struct{ whole, frac int64 }

const (
	exactUnit = 1 << 52
	exactMax  = 1 << 62 // a term's size limit: the whole parts of a few such terms stay in int64
)

func (s *exactSum) add(x float64) {
	if !(x > -exactMax && x < exactMax) || s.frac < 0 {
		s.frac = -1
		return
	}
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
	if s.frac < 0 || o.frac < 0 {
		s.frac = -1
		return
	}
	s.whole += o.whole
	s.frac += o.frac
	if s.frac >= exactUnit {
		s.frac -= exactUnit
		s.whole++
	}
}

// value is the sum, rounded once to a float64 while its whole part is
// under 2^53 (NaN if a term was not finite or too large).
func (s exactSum) value() float64 {
	if s.frac < 0 {
		return math.NaN()
	}
	return float64(s.whole) + float64(s.frac)/exactUnit
}
