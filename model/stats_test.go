package model

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestSpillEarlySame: spilling the clusters' distributions as soon as the
// merge is bound to take their sketches gives the merge the same result
// (samples or sketch, to the bit) as keeping every cluster's samples to
// its own cap, and the clusters keep at most exactCap samples together.
func TestSpillEarlySame(t *testing.T) {
	if testing.Short() {
		t.Skip("a few million samples")
	}
	// Per round, how many samples each of 4 clusters adds: the first
	// rounds stay under the cap together, then cluster 1 takes the total
	// past it, later cluster 3 passes the cap alone.
	rounds := [][4]int{
		{1000, 2000, 0, 500},
		{200_000, 100_000, 50_000, 300_000},
		{100_000, 400_000, 10_000, 0},
		{0, 0, 0, 900_000},
		{5, 7, 3, 11},
	}
	run := func(early bool) (*samples, int) {
		rng := rand.New(rand.NewPCG(1, 2))
		parent := &Network{groups: []*group{{}}}
		cs := make([]*Network, 4)
		for i := range cs {
			cs[i] = &Network{groups: []*group{{}}}
		}
		most := 0
		for _, r := range rounds {
			for k, m := range r {
				for range m {
					cs[k].groups[0].stats.latency.add(float32(rng.ExpFloat64()*500), false)
				}
			}
			if early {
				parent.spillEarly(cs, nil)
			}
			kept := 0
			for _, c := range cs {
				kept += len(c.groups[0].stats.latency.xs)
			}
			most = max(most, kept)
		}
		for _, c := range cs {
			parent.groups[0].stats.add(&c.groups[0].stats)
		}
		return &parent.groups[0].stats.latency, most
	}
	want, _ := run(false)
	got, kept := run(true)
	if !want.over || !got.over {
		t.Fatalf("over: want %v got %v (the case must end in a sketch)", want.over, got.over)
	}
	if !reflect.DeepEqual(want.sketch(), got.sketch()) {
		t.Errorf("merged sketch differs: want %+v, got %+v", want.sketch(), got.sketch())
	}
	if kept > exactCap {
		t.Errorf("clusters kept %d samples together, more than the cap %d", kept, exactCap)
	}
}

// TestSpillEarlyUnderCap: while the clusters' total is within the cap,
// nothing spills and the merge is exact; a cluster not reported spills.
func TestSpillEarlyUnderCap(t *testing.T) {
	parent := &Network{groups: []*group{{}}}
	a, b, halo := &Network{groups: []*group{{}}}, &Network{groups: []*group{{}}}, &Network{groups: []*group{{}}}
	for i := range 10 {
		a.groups[0].stats.delays.add(float32(i), false)
		b.groups[0].stats.delays.add(float32(2*i), false)
		halo.groups[0].stats.delays.add(float32(i), false)
	}
	parent.spillEarly([]*Network{a, b}, []*Network{halo})
	if a.groups[0].stats.delays.over || b.groups[0].stats.delays.over {
		t.Fatal("spilled under the cap")
	}
	if !halo.groups[0].stats.delays.over || halo.groups[0].stats.delays.xs != nil {
		t.Fatal("a cluster not reported kept its samples")
	}
	parent.groups[0].stats.add(&a.groups[0].stats)
	parent.groups[0].stats.add(&b.groups[0].stats)
	if d := parent.groups[0].stats.delays; d.over || len(d.xs) != 20 {
		t.Fatalf("merge: over %v, %d samples, want exact 20", d.over, len(d.xs))
	}
}
