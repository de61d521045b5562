package model

import (
	"fmt"
	"math"
	"slices"

	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// Shards (nbsim run --shard i/N; docs/scale.md, Country-size runs).
//
// A shard is a region, a run of consecutive clusters (partition.go: in
// Hilbert order, so a run is compact), with about 1/N of the cells, plus a
// halo: the other sites within partition.halo_m of one of the region's
// sites. The shard builds and simulates the region's and the halo's sites
// with the devices they serve (placement, serving cell and neighbours are
// computed over the whole network, each device from its own streams, so a
// device is the same in every shard that has it) and reports the region
// only: its cells, its devices and its clusters' counters. The halo's
// devices make the interference the region's cells receive from beyond
// its border; the halo's own cells, which miss the interference from
// beyond the halo, are not reported. Device indices are the shard's own;
// the network-wide index, which draws and identities use, is gid.

// shard is the part of a sharded run a network is.
type shard struct {
	index, count int
	region       []bool  // by cluster: reported
	present      []bool  // by cluster: simulated (region, or a halo site)
	keepSite     []bool  // by site: simulated
	clusters     []int   // the region's clusters, ascending
	cells        []int   // the region's cells, ascending
	gids         []int32 // by device: its index in the whole network
	pending      bool    // the last device slot is being placed (slot, keep)
	groupStart   int32
}

// gid is device id's index in the whole network.
func (n *Network) gid(id int32) int32 {
	if n.shard == nil {
		return id
	}
	return n.shard.gids[id]
}

// inGroup is device id's index in its group g over the whole network (the
// index its random streams are drawn with).
func (n *Network) inGroup(g *group, id int32) int32 { return n.gid(id) - g.gfirst }

// selectShard splits the network into clusters and chooses sh's region
// and halo (before any device is placed).
func (n *Network) selectShard(sh *shard) error {
	tile := tileSide(n.sc, n.sc.Sites())
	p := n.partitionBy(tile)
	// Fewer clusters than shards: halved tiles, down to a metre.
	for tile >= 2 && (p == nil || p.n < sh.count) && n.sc.Signalling == "typed" {
		tile /= 2
		if q := n.partitionBy(tile); q != nil {
			p = q
		}
	}
	switch {
	case n.sc.Signalling != "typed":
		return fmt.Errorf("--shard: signalling %q has one core for every cell: only typed signalling is sharded", n.sc.Signalling)
	case sh.count < 1 || sh.index < 0 || sh.index >= sh.count:
		return fmt.Errorf("--shard %d/%d: want 0 ≤ i < N", sh.index, sh.count)
	case p == nil:
		return fmt.Errorf("--shard %d/%d: %s has one site (or all its sites at one place): it cannot be sharded, run it whole", sh.index, sh.count, n.sc.Name)
	case sh.count > p.n:
		return fmt.Errorf("--shard %d/%d: %s has %d sites apart: at most %d shards", sh.index, sh.count, n.sc.Name, p.n, p.n)
	}
	n.split, n.shard = p, sh
	weight := make([]int, p.n)
	for c := range n.cells {
		weight[p.cellOf[c]]++
	}
	lo, hi := regionBounds(weight, sh.index, sh.count)
	sh.region = make([]bool, p.n)
	sh.present = make([]bool, p.n)
	for k := lo; k < hi; k++ {
		sh.region[k] = true
		sh.clusters = append(sh.clusters, k)
	}
	sites := n.sc.Sites()
	sh.keepSite = haloSites(sites, p.siteOf, sh.region, haloDistance(n.sc, sites))
	for s, keep := range sh.keepSite {
		if keep {
			sh.present[p.siteOf[s]] = true
		}
	}
	for c := range n.cells {
		if sh.region[p.cellOf[c]] {
			sh.cells = append(sh.cells, c)
		}
	}
	return nil
}

// regionBounds splits clusters 0..len(weight) into count runs of about
// equal weight (each at least one cluster) and returns run index's
// [lo, hi).
func regionBounds(weight []int, index, count int) (lo, hi int) {
	k := len(weight)
	prefix := make([]int, k+1) // prefix[j]: the weight of clusters 0..j-1
	for i, w := range weight {
		prefix[i+1] = prefix[i] + w
	}
	b := make([]int, count+1)
	b[count] = k
	for j := 1; j < count; j++ {
		at := b[j-1] + 1 // the first cut where j/count of the weight is before it
		for at < k && prefix[at]*count < j*prefix[k] {
			at++
		}
		b[j] = min(at, k-(count-j))
	}
	return b[index], b[index+1]
}

// haloDistance is partition.halo_m, or HaloISDs times the sites' median
// nearest-neighbour distance.
func haloDistance(sc *scenarios.Scenario, sites []scenarios.Site) float64 {
	if sc.Partition.HaloM > 0 {
		return sc.Partition.HaloM
	}
	return scenarios.HaloISDs * medianNearest(sites)
}

// haloSites marks the sites of the region's clusters and those within d
// of one of them.
func haloSites(sites []scenarios.Site, siteOf []int32, region []bool, d float64) []bool {
	keep := make([]bool, len(sites))
	var own []int
	for s := range sites {
		if region[siteOf[s]] {
			keep[s] = true
			own = append(own, s)
		}
	}
	for s, a := range sites {
		if keep[s] {
			continue
		}
		for _, r := range own {
			if math.Hypot(a.XM-sites[r].XM, a.YM-sites[r].YM) <= d {
				keep[s] = true
				break
			}
		}
	}
	return keep
}

// capacity is a first guess of the devices the shard keeps out of total:
// its share of the sites, and a tenth more.
func (sh *shard) capacity(n *Network, total int) int {
	kept := 0
	for _, k := range sh.keepSite {
		if k {
			kept++
		}
	}
	return int(float64(total)*float64(kept)/float64(max(1, len(sh.keepSite)))*1.1) + 1024
}

// slot is the device slot to place the next device in: a new one, or the
// last one again when its device was not kept (cleared).
func (sh *shard) slot(n *Network) *ue {
	if sh.pending {
		n.ues[len(n.ues)-1] = ue{}
	} else {
		n.ues = append(n.ues, ue{})
		sh.pending = true
	}
	return &n.ues[len(n.ues)-1]
}

// keep keeps device i of g, just placed in the last slot as u, if its
// serving site is simulated.
func (sh *shard) keep(n *Network, u *ue, g *group, i int32) {
	if sh == nil || !sh.keepSite[n.cells[u.cell].site] {
		return
	}
	sh.gids = append(sh.gids, g.gfirst+i)
	sh.pending = false
}

// closeGroup ends the placement of g: its devices are the slots kept since
// the previous group.
func (sh *shard) closeGroup(n *Network, g *group) {
	if sh == nil {
		return
	}
	if sh.pending {
		n.ues = n.ues[:len(n.ues)-1]
		sh.pending = false
	}
	g.first = sh.groupStart
	g.count = int32(len(n.ues)) - sh.groupStart
	sh.groupStart = int32(len(n.ues))
}

// reported reports whether device u is reported (every device unless the
// network is a shard: then its region's).
func (n *Network) reported(u *ue) bool {
	return n.shard == nil || n.shard.region[n.split.cellOf[u.cell]]
}

// reportedCells are the cells reported: every cell, or a shard's region's.
func (n *Network) reportedCells() []int {
	if n.shard != nil {
		return n.shard.cells
	}
	all := make([]int, len(n.cells))
	for i := range all {
		all[i] = i
	}
	return all
}

// shardBlock is results.json's shard block (nil unless a shard).
func (n *Network) shardBlock() *report.Shard {
	if n.shard == nil {
		return nil
	}
	return &report.Shard{Index: n.shard.index, Count: n.shard.count, Clusters: slices.Clone(n.shard.clusters)}
}

// present reports whether cluster k is simulated (every cluster unless the
// network is a shard).
func (n *Network) present(k int) bool {
	return n.shard == nil || n.shard.present[k]
}
