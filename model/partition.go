package model

import (
	"math"
	"slices"
	"time"

	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sim"
)

// Spatial clusters (docs/model.md, Clusters; docs/scale.md).
//
// The sites are split into square tiles of side partition.tile_m over
// their bounding box; the sites of one tile are a cluster, numbered in the
// Hilbert order of their tiles (so that a run of consecutive clusters is a
// compact region: --shard takes such runs). A cell belongs to its site's
// cluster and a device to its serving cell's. Each cluster has an engine
// of its own and its own network-side books (random-access occasions, the
// network's random stream, counters); the devices and cells stay where
// Build put them (global indices, the same random streams), each touched
// by its own cluster only.
//
// Clusters advance window by window (partition.window) and meet at the
// window's end, where what one cluster's devices put into another
// cluster's cells during the window crosses over (exchange): the NPRACH
// power received per (cell, carrier, CE level, hopping group), the NPUSCH
// transmissions as the other cell receives them, and the contributions to
// its link adaptation's interference estimate. Nothing else couples two
// clusters. A cluster reads them one window late (docs/model.md states the
// approximation); within a cluster everything is as without clusters.
// The partition depends on the scenario only, and the exchange is done in
// cluster order, so results are the same for any number of workers.

// partition is the network's split into clusters.
type partition struct {
	tile   float64
	n      int                               // clusters
	siteOf []int32                           // cluster of each site
	cellOf []int32                           // cluster of each cell
	window sim.Time                          // the synchronisation window (clusterWindow)
	marked []bool                            // by book: holds stand-ins (exchange)
	live   []bool                            // by cluster: simulated (a shard's are not all)
	hook   func(phase string, cs []*Network) // benchmarks' phase timers (runClusters)
}

// newPartition splits n's sites into clusters; nil when they make one
// cluster, or when the run cannot be split (encoded signalling: one core
// for every cell).
func (n *Network) newPartition() *partition {
	return n.partitionBy(tileSide(n.sc, n.sc.Sites()))
}

// partitionBy is newPartition with tiles of side tile.
func (n *Network) partitionBy(tile float64) *partition {
	sites := n.sc.Sites()
	if tile <= 0 || n.sc.Signalling != "typed" {
		return nil
	}
	siteOf, k := tileClusters(sites, tile)
	if k < 2 {
		return nil
	}
	p := &partition{tile: tile, n: k, siteOf: siteOf, cellOf: make([]int32, len(n.cells)), window: n.clusterWindow()}
	for c := range n.cells {
		p.cellOf[c] = siteOf[n.cells[c].site]
	}
	return p
}

// Clusters is the number of spatial clusters the network runs as (1:
// not split).
func (n *Network) Clusters() int {
	if n.split == nil {
		return 1
	}
	return n.split.n
}

// tileSide is the tiles' side: partition.tile_m, or TileISDs times the
// median distance from a site to its nearest other site (0 for one site).
func tileSide(sc *scenarios.Scenario, sites []scenarios.Site) float64 {
	if sc.Partition.TileM > 0 {
		return sc.Partition.TileM
	}
	return scenarios.TileISDs * medianNearest(sites)
}

// medianNearest is the median over sites of the distance to the nearest
// other site (0 with fewer than two sites).
func medianNearest(sites []scenarios.Site) float64 {
	if len(sites) < 2 {
		return 0
	}
	d := make([]float64, len(sites))
	for i, a := range sites {
		m := math.Inf(1)
		for j, b := range sites {
			if j != i {
				m = math.Min(m, math.Hypot(a.XM-b.XM, a.YM-b.YM))
			}
		}
		d[i] = m
	}
	slices.Sort(d)
	return d[len(d)/2]
}

// tileClusters puts each site in the tile of side tile that holds it
// (tiles from the sites' bounding box's lower-left corner) and numbers the
// tiles with a site in their Hilbert-curve order; it returns each site's
// cluster and the number of clusters.
func tileClusters(sites []scenarios.Site, tile float64) ([]int32, int) {
	minX, minY := math.Inf(1), math.Inf(1)
	for _, s := range sites {
		minX, minY = math.Min(minX, s.XM), math.Min(minY, s.YM)
	}
	tx := make([]int, len(sites))
	ty := make([]int, len(sites))
	side := 1
	for i, s := range sites {
		tx[i] = int((s.XM - minX) / tile)
		ty[i] = int((s.YM - minY) / tile)
		for side <= max(tx[i], ty[i]) {
			side *= 2
		}
	}
	keys := make([]int, len(sites))
	for i := range sites {
		keys[i] = hilbert(side, tx[i], ty[i])
	}
	uniq := slices.Clone(keys)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	out := make([]int32, len(sites))
	for i, k := range keys {
		j, _ := slices.BinarySearch(uniq, k)
		out[i] = int32(j)
	}
	return out, len(uniq)
}

// hilbert is the distance of cell (x, y) along the Hilbert curve that
// fills a side×side grid (side a power of 2).
func hilbert(side, x, y int) int {
	d := 0
	for s := side / 2; s > 0; s /= 2 {
		rx, ry := 0, 0
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				x, y = side-1-x, side-1-y
			}
			x, y = y, x
		}
	}
	return d
}

// clusterWindow is the synchronisation window: the smallest multiple of
// the longest NPRACH periodicity that is at least clusterMinWindow (every
// CE level has an occasion in every window, and a window is long enough
// that the barrier costs little).
func (n *Network) clusterWindow() sim.Time {
	var p time.Duration
	for _, c := range n.ce {
		p = max(p, c.occ.Period)
	}
	if p <= 0 {
		return sim.Time(clusterMinWindow)
	}
	w := p
	for w < clusterMinWindow {
		w += p
	}
	return sim.Time(w)
}

// clusterMinWindow is the shortest synchronisation window.
const clusterMinWindow = time.Second

// clusterPart is a cluster's side of the partition: what its devices put
// into other clusters' cells (outbound: NPUSCH and estimate contributions
// by slot, a foreign cell numbered in the order the cluster first reaches
// it, times carriers; NPRACH receptions in lists by destination cluster),
// and the NPRACH power the other clusters put into its cells' occasions
// (inbound, by occasion). The outbound books are two, by window parity:
// a cluster writes the current window's while the others read the
// previous window's (runClusters' phase starts with that exchange).
type clusterPart struct {
	k       int32
	p       *partition
	wEnd    int64 // end of the current window
	ncar    int
	slot    []int32              // by cell: its slot (-1: none yet)
	nslot   int32                // slots taken
	out     [2]outbound          // by window parity
	cur     int                  // the current window's outbound
	in      map[uint64]*prachOcc // by bucket key (an occasion of a CE level on a carrier)
	free    []*prachOcc          // received ones, for reuse
	proxied []int32              // the books (cell·carriers + carrier) of this cluster's cells holding stand-ins (exchange)
}

// outbound is what a cluster's devices put into other clusters' cells in
// one window.
type outbound struct {
	hits  [][]ulHit    // by slot·ncar + carrier: NPUSCH transmissions as the cell receives them
	est   []float64    // by slot·ncar + carrier: contributions to the cell's interference estimate, decayed to the window's end
	prach [][]prachOut // by destination cluster: NPRACH receptions at its cells, in order
	dirty [][]outRef   // by destination cluster: the outbound indices with hits or estimate contributions, in order
}

// outRef is an outbound index (slot·ncar + carrier) and its cell.
type outRef struct {
	i, cell int32
}

// prachOut is a preamble as a foreign cell receives it.
type prachOut struct {
	cell int32
	key  uint64   // its occasion's bucket key (CE level, carrier, occasion)
	end  sim.Time // the occasion's end
	g    uint8    // hopping group
	mw   float64
}

// prachOcc is the other clusters' NPRACH power in one occasion, by cell
// and hopping group.
type prachOcc struct {
	end   sim.Time
	cells []prachCell
}

type prachCell struct {
	cell int32
	mw   [maxHopGroups]float64
}

// add books mw at cell c, hopping group g.
func (o *prachOcc) add(c int32, g uint8, mw float64) {
	for i := range o.cells {
		if o.cells[i].cell == c {
			o.cells[i].mw[g] += mw
			return
		}
	}
	o.cells = append(o.cells, prachCell{cell: c})
	o.cells[len(o.cells)-1].mw[g] = mw
}

// owns reports whether device u belongs to this network's cluster (every
// device when the network is not split).
func (n *Network) owns(u *ue) bool {
	return n.cl == nil || n.cl.p.cellOf[u.cell] == n.cl.k
}

// foreign reports whether cell c belongs to another cluster.
func (cp *clusterPart) foreign(c int32) bool { return cp != nil && cp.p.cellOf[c] != cp.k }

// begin starts the window ending at wEnd, whose outbound is out[parity]
// (which the other clusters have emptied).
func (cp *clusterPart) begin(wEnd int64, parity int) {
	cp.wEnd, cp.cur = wEnd, parity
}

// dest is the cluster of foreign cell c, or -1 when it is not simulated
// (a shard's: what goes there is dropped).
func (cp *clusterPart) dest(c int32) int32 {
	d := cp.p.cellOf[c]
	if cp.p.live != nil && !cp.p.live[d] {
		return -1
	}
	return d
}

// at is the current window's outbound index of (cell c, carrier car),
// taking a new slot for a cell reached for the first time.
func (cp *clusterPart) at(c int32, car uint8) (*outbound, int) {
	s := cp.slot[c]
	if s < 0 {
		s = cp.nslot
		cp.nslot++
		cp.slot[c] = s
	}
	o := &cp.out[cp.cur]
	if need := (int(s) + 1) * cp.ncar; len(o.hits) < need {
		o.hits = append(o.hits, make([][]ulHit, need-len(o.hits))...)
		o.est = append(o.est, make([]float64, need-len(o.est))...)
	}
	return o, int(s)*cp.ncar + int(car)
}

// prachOut books mw of a preamble of occasion b, hopping group g, as
// foreign cell c receives it.
func (cp *clusterPart) prachOut(c int32, b *bucket, g int, mw float64) {
	d := cp.dest(c)
	if d < 0 {
		return
	}
	o := &cp.out[cp.cur]
	o.prach[d] = append(o.prach[d], prachOut{cell: c, key: b.key, end: b.end, g: uint8(g), mw: mw})
}

// hitOut books an NPUSCH transmission as foreign cell c receives it on
// carrier car.
func (cp *clusterPart) hitOut(c int32, car uint8, h ulHit) {
	if o, i := cp.mark(c, car); o != nil {
		o.hits[i] = append(o.hits[i], h)
	}
}

// estOut books a contribution v to foreign cell c's interference
// estimate (cell.addInterference's increment) made at now.
func (cp *clusterPart) estOut(c int32, car uint8, v float64, now int64) {
	if o, i := cp.mark(c, car); o != nil {
		o.est[i] += v * math.Exp(-float64(cp.wEnd-now)/float64(iotTau))
	}
}

// mark is the current window's outbound book and index of (foreign cell
// c, carrier car), listed among the destination's dirty ones (nil when c's
// cluster is not simulated).
func (cp *clusterPart) mark(c int32, car uint8) (*outbound, int) {
	d := cp.dest(c)
	if d < 0 {
		return nil, 0
	}
	o, i := cp.at(c, car)
	if len(o.hits[i]) == 0 && o.est[i] == 0 {
		o.dirty[d] = append(o.dirty[d], outRef{int32(i), c})
	}
	return o, i
}

// newOcc is an empty prachOcc ending at end.
func (cp *clusterPart) newOcc(end sim.Time) *prachOcc {
	if l := len(cp.free); l > 0 {
		o := cp.free[l-1]
		cp.free = cp.free[:l-1]
		o.end, o.cells = end, o.cells[:0]
		return o
	}
	return &prachOcc{end: end}
}

// prachIn receives the power the other clusters put into occasion b at
// their cells, as receivePreambles receives another cell's preamble.
func (cp *clusterPart) prachIn(n *Network, b *bucket) {
	if cp == nil {
		return
	}
	o := cp.in[b.key]
	if o == nil {
		return
	}
	delete(cp.in, b.key)
	for _, c := range o.cells {
		for g, mw := range c.mw {
			if mw != 0 {
				n.receive(c.cell, g, mw, true)
			}
		}
	}
	cp.free = append(cp.free, o)
}

// addEstimate adds v to the cell's interference estimate at t (the
// increment of addInterference, already decayed to t).
func (c *cell) addEstimate(t int64, v float64) {
	if t > c.iTime {
		c.iLin *= math.Exp(-float64(t-c.iTime) / float64(iotTau))
		c.iTime = t
	}
	c.iLin += v
}
