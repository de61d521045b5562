package report

import (
	"math"
	"testing"
)

// FuzzParseExpect: any string either parses into an expectation that
// prints back to something that parses the same way, or is an error; never
// a panic.
func FuzzParseExpect(f *testing.F) {
	for _, s := range []string{
		"access_success_probability >= 0.99", "battery_years.p5>=5", "groups.collars.battery_years.mean <= 8.4",
		"x == 1e-3", "a != -3", "", ">=", "a >= NaN", "a < 1e999", "cells.0.ul_utilisation < 0.5",
	} {
		f.Add(s)
	}
	r := &Results{Groups: map[string]GroupResult{"g": {}}, DropsByCause: map[string]int64{}}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpect(s)
		if err == nil {
			again, err := ParseExpect(e.String())
			if err != nil {
				t.Fatalf("%q parsed, but its String %q does not: %v", s, e.String(), err)
			}
			if again.String() != e.String() {
				t.Fatalf("round trip %q → %q", e.String(), again.String())
			}
			_ = e.Holds(0)
			_ = e.Holds(math.NaN())
		}
		_, _ = Evaluate(r, []string{s})
	})
}
