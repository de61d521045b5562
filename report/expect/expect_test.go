package expect

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in       string
		path, op string
		value    float64
		problem  Problem
		text     string
		eq       bool
	}{
		{in: "access_success_probability >= 0.99", path: "access_success_probability", op: ">=", value: 0.99},
		{in: "  battery_years.p5>5  ", path: "battery_years.p5", op: ">", value: 5},
		{in: "x != -1e-3", path: "x", op: "!=", value: -0.001},
		{in: "", problem: BadForm},
		{in: "x", problem: BadForm},
		{in: "x => 1", problem: BadForm},
		{in: "x >= 1 2", problem: BadForm},
		{in: "x = 1", problem: BadForm, eq: true},
		{in: "x === 1", problem: BadForm},
		{in: "x >= high", problem: BadNumber, text: "high"},
		{in: "x >= NaN", problem: BadNumber, text: "NaN"},
		{in: "x < -Inf", problem: BadNumber, text: "-Inf"},
		{in: ".x >= 1", problem: BadPath, text: ".x"},
		{in: "x. >= 1", problem: BadPath, text: "x."},
		{in: "a..b < 1", problem: BadPath, text: "a..b"},
	} {
		path, op, v, err := Parse(tc.in)
		if tc.problem == 0 {
			if err != nil || path != tc.path || op != tc.op || v != tc.value {
				t.Errorf("Parse(%q) = %q %q %v, %v", tc.in, path, op, v, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.Problem != tc.problem || se.Text != tc.text || se.UseEquals != tc.eq {
			t.Errorf("Parse(%q) error %#v, want problem %d text %q use-equals %v", tc.in, err, tc.problem, tc.text, tc.eq)
		}
	}
}
