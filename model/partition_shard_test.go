package model

import (
	"context"
	"reflect"
	"testing"

	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// Regions of about equal weight, at least one cluster each.
func TestRegionBounds(t *testing.T) {
	for _, c := range []struct {
		weight []int
		count  int
		lo, hi []int
	}{
		{[]int{3, 3, 3, 3}, 2, []int{0, 2}, []int{2, 4}},
		{[]int{9, 1, 1, 1}, 2, []int{0, 1}, []int{1, 4}},       // half the weight is in the first cluster
		{[]int{1, 1, 1, 9}, 3, []int{0, 2, 3}, []int{2, 3, 4}}, // every region keeps a cluster
		{[]int{5, 5, 5}, 3, []int{0, 1, 2}, []int{1, 2, 3}},
		{[]int{5}, 1, []int{0}, []int{1}},
	} {
		for i := 0; i < c.count; i++ {
			lo, hi := regionBounds(c.weight, i, c.count)
			if lo != c.lo[i] || hi != c.hi[i] {
				t.Errorf("regionBounds(%v, %d, %d) = [%d, %d), want [%d, %d)", c.weight, i, c.count, lo, hi, c.lo[i], c.hi[i])
			}
		}
	}
}

// The halo: the other sites within d of a region site.
func TestHaloSites(t *testing.T) {
	sites := []scenarios.Site{{XM: 0}, {XM: 1000}, {XM: 2000}, {XM: 3500}}
	got := haloSites(sites, []int32{0, 1, 1, 2}, []bool{true, false, false}, 1500)
	if want := []bool{true, true, false, false}; !reflect.DeepEqual(got, want) {
		t.Errorf("haloSites = %v, want %v", got, want)
	}
}

// When the halo holds every site, each shard simulates the whole split
// network: its region's cells and devices are exactly the whole run's, and
// the shards' counts add up to it.
func TestShardsWholeHalo(t *testing.T) {
	sc := splitMeters(t)
	n, err := Build(sc, sc.Seed)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := n.Run(context.Background(), Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]int64{}
	for _, c := range whole.Results.Cells {
		cells[c.Name] = c.Preambles
	}
	var delivered, devices int64
	seen := 0
	for i := 0; i < 3; i++ {
		s, err := BuildShard(sc, sc.Seed, i, 3)
		if err != nil {
			t.Fatal(err)
		}
		if s.Devices() != len(n.ues) {
			t.Fatalf("shard %d has %d devices, want all %d (the halo covers every site)", i, s.Devices(), len(n.ues))
		}
		o, err := s.Run(context.Background(), Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		r := o.Results
		if r.Shard == nil || r.Shard.Index != i || r.Shard.Count != 3 || !reflect.DeepEqual(r.Shard.Clusters, []int{i}) {
			t.Errorf("shard block %+v", r.Shard)
		}
		for _, c := range r.Cells {
			seen++
			if c.Preambles != cells[c.Name] {
				t.Errorf("shard %d cell %s: %d preambles, whole run %d", i, c.Name, c.Preambles, cells[c.Name])
			}
		}
		delivered += r.KPI.ReportsDelivered
		devices += r.KPI.Devices
	}
	if seen != len(whole.Results.Cells) {
		t.Errorf("the shards report %d cells, the whole run %d", seen, len(whole.Results.Cells))
	}
	if delivered != whole.Results.KPI.ReportsDelivered || devices != whole.Results.KPI.Devices {
		t.Errorf("shards delivered %d of %d devices, whole run %d of %d", delivered, devices, whole.Results.KPI.ReportsDelivered, whole.Results.KPI.Devices)
	}
}

// With no halo a shard keeps its region's devices only, with their
// whole-network identities; more shards than clusters, or an index out of
// range, is an error.
func TestShardRegionOnly(t *testing.T) {
	sc := splitMeters(t)
	sc.Partition.HaloM = 1
	n, err := Build(sc, sc.Seed)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i := 0; i < 3; i++ {
		s, err := BuildShard(sc, sc.Seed, i, 3)
		if err != nil {
			t.Fatal(err)
		}
		total += s.Devices()
		for id := range s.ues {
			u, w := &s.ues[id], &n.ues[s.gid(int32(id))]
			if u.cell != w.cell || u.cl != w.cl || u.rng != w.rng || !s.reported(u) {
				t.Fatalf("shard %d device %d is not the whole network's %d", i, id, s.gid(int32(id)))
			}
		}
	}
	if total != len(n.ues) {
		t.Errorf("the shards hold %d devices, the network %d", total, len(n.ues))
	}
	for _, c := range [][2]int{{0, 4}, {3, 3}, {-1, 3}} {
		if _, err := BuildShard(sc, sc.Seed, c[0], c[1]); err == nil {
			t.Errorf("shard %d/%d built", c[0], c[1])
		}
	}
}

// shardKPIs are the KPIs the sharded run is compared on.
func shardKPIs(r *report.Results) []float64 {
	var iot, npusch float64
	for _, c := range r.Cells {
		iot += c.IoT.Mean
		npusch += c.NPUSCHIoT.Mean
	}
	k := r.KPI
	return []float64{
		report.Ratio(k.ReportsDelivered, k.ReportsGenerated), k.AccessSuccessProbability, k.CollisionProbability,
		k.PreambleTransmissionsMean, k.LatencyMs.Mean, k.EnergyPerReportMJ,
		iot / float64(len(r.Cells)), npusch / float64(len(r.Cells)),
	}
}

var shardKPINames = []string{"delivered fraction", "access success", "collision probability", "preamble tx mean",
	"uplink latency mean ms", "energy per report mJ", "NPRACH IoT mean dB", "NPUSCH IoT mean dB"}

// scale-1m at 200,000 devices for 6 h, cut into 4 shards and merged,
// agrees with the whole run within the seed-to-seed spread: each KPI is
// within the range of seeds 1-3 of the whole run widened by half that
// range (docs/scale.md prints the figures: go test ./model -run
// TestShardedAgrees -v).
func TestShardedAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("seven runs of scale-1m at 200,000 devices for 6 h: make test-long")
	}
	sc, err := scenarios.Load("scale-1m", []string{"groups.devices.count=200000", `duration="6h"`})
	if err != nil {
		t.Fatal(err)
	}
	var whole [][]float64
	for seed := uint64(1); seed <= 3; seed++ {
		n, err := Build(sc, seed)
		if err != nil {
			t.Fatal(err)
		}
		o, err := n.Run(context.Background(), Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		whole = append(whole, shardKPIs(o.Results))
	}
	var parts []report.Part
	for i := 0; i < 4; i++ {
		s, err := BuildShard(sc, 1, i, 4)
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Run(context.Background(), Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("shard %d/4: clusters %v, %d devices simulated, %d reported", i, o.Results.Shard.Clusters, s.Devices(), o.Results.KPI.Devices)
		parts = append(parts, report.Part{Results: o.Results, Series: o.Series, State: o.State})
	}
	merged, _, _, err := report.Merge(parts, true)
	if err != nil {
		t.Fatal(err)
	}
	got := shardKPIs(merged)
	for k, name := range shardKPINames {
		lo, hi := whole[0][k], whole[0][k]
		for _, w := range whole[1:] {
			lo, hi = min(lo, w[k]), max(hi, w[k])
		}
		t.Logf("%-24s whole seeds 1-3: %.6g %.6g %.6g  4 shards merged (seed 1): %.6g", name, whole[0][k], whole[1][k], whole[2][k], got[k])
		if pad := (hi - lo) / 2; got[k] < lo-pad || got[k] > hi+pad {
			t.Errorf("%s: sharded %g outside the seeds' range [%g, %g] widened by %g", name, got[k], lo, hi, pad)
		}
	}
}
