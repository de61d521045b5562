package model_test

import (
	"strconv"
	"testing"
)

// TestCarriersRaiseCapacity: 2,000 collars of cow-collars-sync reporting
// at the same instant (one burst, 3 hours) overload one carrier's NPRACH;
// four carriers spread the burst and most accesses succeed
// (docs/model.md, Multi-carrier: one day gives 0.1334 and 0.7182).
func TestCarriersRaiseCapacity(t *testing.T) {
	succ := map[int]float64{}
	for _, k := range []int{1, 4} {
		sc := load(t, "cow-collars-sync", "groups.collars.count=2000", "duration=3h", "radio.carriers="+strconv.Itoa(k))
		r := run(t, sc, 1).Results
		succ[k] = r.KPI.AccessSuccessProbability
		if got := len(r.Cells[0].Carriers); (k == 1 && got != 0) || (k > 1 && got != k) {
			t.Errorf("%d carriers: cells[0].carriers has %d entries", k, got)
		}
	}
	if succ[1] > 0.3 || succ[4] < 0.6 {
		t.Errorf("access success %.4f with one carrier, %.4f with four; want below 0.3 and above 0.6", succ[1], succ[4])
	}
}
