package model

import (
	"testing"

	"github.com/nbsim/nbsim/sim"
)

// The live buckets are found by key without a map: a second preamble for
// the same (CE level, carrier, occasion) joins the first one's bucket,
// another occasion or level gets its own, and a resolved bucket leaves the
// live list (its slot is reused for the next new key).
func TestOccasionBuckets(t *testing.T) {
	n := buildYAML(t, "o.yaml", `
site_layout: {count: 1, sectors: 1}
groups:
  d: {count: 2}
`)
	n.bucketFor(0, 0, 7, sim.Time(100)) // slot 0
	n.bucketFor(0, 0, 8, sim.Time(200)) // slot 1
	n.bucketFor(1, 0, 7, sim.Time(300)) // slot 2
	n.bucketFor(0, 1, 7, sim.Time(100)) // slot 3: another carrier
	at := func(ce int, car uint8, k int64, end sim.Time) *bucket {
		return n.bucketFor(ce, car, k, end)
	}
	for i, w := range []struct {
		ce  int
		car uint8
		k   int64
	}{{0, 0, 7}, {0, 0, 8}, {1, 0, 7}, {0, 1, 7}} {
		if b := at(w.ce, w.car, w.k, 0); b != &n.occ.b[i] {
			t.Errorf("(level %d, carrier %d, occasion %d) not found in its slot %d", w.ce, w.car, w.k, i)
		}
	}
	if len(n.occ.b) != 4 || len(n.occ.live) != 4 {
		t.Fatalf("%d buckets, %d live, want 4 and 4", len(n.occ.b), len(n.occ.live))
	}
	n.occ.unlive(1) // occasion 8 resolved
	n.occ.free = append(n.occ.free, 1)
	if len(n.occ.live) != 3 || at(0, 0, 7, 0) != &n.occ.b[0] || at(0, 1, 7, 0) != &n.occ.b[3] {
		t.Fatal("resolving occasion 8 lost another bucket")
	}
	if d := at(0, 0, 9, 400); d != &n.occ.b[1] || d.key != 9 || len(d.picks) != 0 || len(n.occ.live) != 4 {
		t.Errorf("a new occasion after one resolved: key %d picks %d, want the freed slot 1, key 9, empty", d.key, len(d.picks))
	}
}
