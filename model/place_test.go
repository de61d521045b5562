package model

import (
	"reflect"
	"testing"

	"github.com/nbsim/nbsim/scenarios"
)

// Placing on several goroutines gives the network placing one by one
// gives: every device (position-derived serving cell, coupling loss,
// neighbours, CE level, streams) and every cell's device count.
func TestPlaceParallelSame(t *testing.T) {
	sc := placeScenario(t)
	one, err := BuildWorkers(sc, sc.Seed, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 8} {
		n, err := BuildWorkers(sc, sc.Seed, w)
		if err != nil {
			t.Fatal(err)
		}
		if len(n.ues) != len(one.ues) {
			t.Fatalf("%d workers: %d devices, want %d", w, len(n.ues), len(one.ues))
		}
		for i := range n.ues {
			if !reflect.DeepEqual(n.ues[i], one.ues[i]) {
				t.Fatalf("%d workers: device %d differs:\n%+v\nwant\n%+v", w, i, n.ues[i], one.ues[i])
			}
		}
		for c := range n.cells {
			if n.cells[c].devices != one.cells[c].devices {
				t.Errorf("%d workers: cell %d has %d devices, want %d", w, c, n.cells[c].devices, one.cells[c].devices)
			}
		}
	}
}

// A panic while placing on several goroutines reaches Build's caller (as
// placing one by one would: nbsim sweep recovers it and fails the run)
// rather than end the process from a goroutine of its own.
func TestPlaceParallelPanic(t *testing.T) {
	sc := placeScenario(t)
	n, err := BuildWorkers(sc, sc.Seed, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := n.groups[0]
	pl, err := n.newPlacer(g)
	if err != nil {
		t.Fatal(err)
	}
	pl.pc = &scenarios.Placement{Shape: "csv"} // no positions: the first device placed with it panics
	defer func() {
		if recover() == nil {
			t.Error("placing with a placer that panics did not panic in the caller")
		}
	}()
	n.placeParallel(g, pl, 2)
}

// placeScenario is scale-1m with 20,000 devices: 5 chunks to place.
func placeScenario(t *testing.T) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load("scale-1m", []string{"groups.devices.count=20000", "duration=\"10m\""})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}
