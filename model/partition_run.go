package model

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/sim"
)

// newCluster is cluster k of the split network n: n's devices, cells,
// groups' parameters and resource books (each cluster touches its own
// only), with an engine, a network stream and counters of its own. The
// stream of cluster 0 is the unsplit network's.
func (n *Network) newCluster(k int32) *Network {
	c := *n
	c.eng = sim.New()
	c.rng = sim.NewStream(n.seed, "network", uint64(k), "mac")
	c.occ = occasions{}
	c.tot = totals{}
	c.series = make([]row, len(n.series))
	c.sigs = sigStats{perSec: make([]int64, len(n.series)*60+1)}
	c.groups = make([]*group, len(n.groups))
	for i, g := range n.groups {
		gc := *g
		gc.stats = groupStats{}
		gc.dc.Queues = nil // the cluster's devices' queues: a store of its own
		c.groups[i] = &gc
	}
	c.scratchI, c.scratchP, c.scratchG, c.touched = nil, nil, nil, nil
	c.fx, c.depth = nil, 0
	c.progress, c.ctx = nil, nil
	c.split, c.clusters = nil, nil
	p := n.split
	c.cl = &clusterPart{k: k, p: p, ncar: n.carriers, slot: make([]int32, len(n.cells))}
	if p.marked == nil {
		p.marked = make([]bool, len(n.cells)*n.carriers)
	}
	for i := range c.cl.slot {
		c.cl.slot[i] = -1
	}
	return &c
}

// runClusters runs the split network: every cluster window by window, up
// to workers at once, exchanging between windows; then their books are
// merged in cluster order (results do not depend on workers).
func (n *Network) runClusters(ctx context.Context, workers int) error {
	p := n.split
	if n.devDrops == nil {
		n.devDrops = make([]uint32, len(n.ues)) // shared: each cluster writes its devices'
	}
	cs := make([]*Network, p.n) // nil: a cluster a shard does not simulate
	devs := make([]int, p.n)
	for k := range cs {
		if n.present(k) {
			cs[k] = n.newCluster(int32(k))
		}
	}
	for i := range n.ues {
		devs[p.cellOf[n.ues[i].cell]]++
	}
	ws := make([]worker, max(1, min(workers, p.n)))
	ws[0] = worker{n.la, n.dci}
	for i := 1; i < len(ws); i++ {
		ws[i] = worker{&memo[[]phy.Transmission]{}, &memo[time.Duration]{}}
	}
	for _, c := range cs {
		if c == nil {
			continue
		}
		if err := c.schedule(); err != nil {
			return err
		}
		c.eng.At(sim.Time(time.Minute), sim.Late, c, kMinute, 0)
	}
	// The largest clusters first: the workers finish a window together.
	var order []int
	for k, c := range cs {
		if c != nil {
			order = append(order, k)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return devs[b] - devs[a] })
	rep, others := n.reportedClusters(cs)
	for t := sim.Time(0); t < n.end; {
		if err := ctx.Err(); err != nil {
			return err
		}
		w := min(t+p.window, n.end)
		for _, k := range order {
			cs[k].cl.wEnd = int64(w)
		}
		runWindow(cs, order, ws, w)
		p.exchange(n, cs)
		n.spillEarly(rep, others)
		if n.progress != nil && w/sim.Time(time.Minute) != t/sim.Time(time.Minute) {
			n.progress(w.Seconds(), n.end.Seconds())
		}
		t = w
		n.eng.AdvanceTo(t)
	}
	for _, k := range order {
		cs[k].flush()
		cs[k].foldRest()
	}
	n.merge(cs)
	n.clusters = cs
	return nil
}

// runWindow runs every cluster's engine to until, on up to workers
// goroutines, each taking the next cluster of order. A worker lends a
// cluster its link-adaptation caches (pure functions of their keys: what
// they hold moves no result) while it runs it.
func runWindow(cs []*Network, order []int, ws []worker, until sim.Time) {
	if len(ws) <= 1 {
		for _, k := range order {
			ws[0].run(cs[k], until)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(order) {
					return
				}
				ws[w].run(cs[order[i]], until)
			}
		}()
	}
	wg.Wait()
}

// worker is one goroutine's caches.
type worker struct {
	la  *memo[[]phy.Transmission]
	dci *memo[time.Duration]
}

// run runs cluster c to until with w's caches.
func (w worker) run(c *Network, until sim.Time) {
	c.la, c.dci = w.la, w.dci
	c.eng.Run(until)
}

// exchange hands what each cluster put into other clusters' cells in the
// window just run to those cells, source clusters in order (docs/model.md,
// Clusters):
//   - NPRACH: a preamble for an occasion that ends after the window goes
//     to that occasion; one for an occasion already resolved goes, as a
//     stand-in for the window ahead, to the occasion one window later
//     (which the other cluster then resolves, if none of its devices does);
//   - NPUSCH: each transmission enters the other cell's book, and a copy
//     one window later stands in for the window ahead (the cell's own
//     transmissions not yet decided meet the copy; the original is there
//     for those placed from now on, and the previous window's copies,
//     which it replaces, leave the book);
//   - the estimate contributions, decayed to the window's end, are added.
func (p *partition) exchange(n *Network, cs []*Network) {
	var wEnd sim.Time
	for _, c := range cs {
		if c != nil {
			wEnd = sim.Time(c.cl.wEnd)
		}
	}
	for _, c := range cs {
		if c == nil {
			continue
		}
		for k, o := range c.cl.in {
			if o.end <= wEnd {
				delete(c.cl.in, k) // no reception there: dropped
			}
		}
	}
	for _, src := range cs {
		if src == nil {
			continue
		}
		cp := src.cl
		for _, o := range cp.prach {
			key, end := o.key, o.end
			if end <= wEnd {
				ce := &n.ce[key>>56]
				m := max(1, int64(p.window)/int64(max(1, ce.occ.Period)))
				key += uint64(m)
				end += sim.Time(m * int64(ce.occ.Period))
			}
			dn := cs[p.cellOf[o.cell]]
			if dn == nil {
				continue // a cell no shard's cluster here simulates
			}
			dst := dn.cl
			if dst.in == nil {
				dst.in = map[uint64]*prachOcc{}
			}
			occ := dst.in[key]
			if occ == nil {
				occ = dst.newOcc(end)
				dst.in[key] = occ
				// The occasion is resolved there even if none of that
				// cluster's devices uses it: its cells book the noise rise.
				dn.bucketFor(int(key>>56), uint8(key>>48), int64(key&(1<<48-1)), end)
			}
			occ.add(o.cell, o.g, o.mw)
		}
		cp.prach = cp.prach[:0]
	}
	for _, i := range p.proxied { // the previous window's stand-ins leave
		n.on(i/int32(n.carriers), uint8(i%int32(n.carriers))).ulb.dropProxies()
		p.marked[i] = false
	}
	p.proxied = p.proxied[:0]
	for _, src := range cs {
		if src == nil {
			continue
		}
		cp := src.cl
		for _, i := range cp.dirty {
			cell, car := cp.outCell[int(i)/cp.ncar], uint8(int(i)%cp.ncar)
			if cs[p.cellOf[cell]] == nil {
				cp.hits[i], cp.est[i] = cp.hits[i][:0], 0
				continue
			}
			target := n.on(cell, car)
			for _, h := range cp.hits[i] {
				target.ulb.hits = append(target.ulb.hits, h)
				h.start += int64(p.window)
				h.end += int64(p.window)
				h.proxy = true
				target.ulb.hit(h)
			}
			if len(cp.hits[i]) > 0 {
				if t := cell*int32(n.carriers) + int32(car); !p.marked[t] {
					p.marked[t] = true
					p.proxied = append(p.proxied, t)
				}
			}
			cp.hits[i] = cp.hits[i][:0]
			if v := cp.est[i]; v != 0 {
				target.addEstimate(cp.wEnd, v)
				cp.est[i] = 0
			}
		}
		cp.dirty = cp.dirty[:0]
	}
}

// dropProxies removes the stand-ins from the book's hits (what they added
// to the transmissions already placed stays).
func (b *ulBook) dropProxies() {
	h := b.hits[:0]
	for _, x := range b.hits {
		if !x.proxy {
			h = append(h, x)
		}
	}
	b.hits = h
}

// flush books every own device's energy up to now.
func (n *Network) flush() {
	for _, g := range n.groups {
		for i := g.first; i < g.first+g.count; i++ {
			if u := &n.ues[i]; n.owns(u) {
				n.step(i, u, device.Input{Kind: device.InFlush})
			}
		}
	}
}

// reportedClusters are the clusters of cs whose books the results merge,
// in cluster order (a shard reports its region's clusters only), and the
// others simulated.
func (n *Network) reportedClusters(cs []*Network) (rep, others []*Network) {
	for k, c := range cs {
		switch {
		case c == nil:
		case n.shard == nil || n.shard.region[k]:
			rep = append(rep, c)
		default:
			others = append(others, c)
		}
	}
	return rep, others
}

// merge adds the clusters' books into n's, in cluster order.
func (n *Network) merge(cs []*Network) {
	perSec := make([]int64, len(n.series)*60+1)
	rep, _ := n.reportedClusters(cs)
	for _, c := range rep {
		for gi, g := range c.groups {
			n.groups[gi].stats.add(&g.stats)
			g.stats = groupStats{} // its samples can go
		}
		for m := range c.series {
			r, o := &n.series[m], &c.series[m]
			r.arrivals += o.arrivals
			r.preambles += o.preambles
			r.collisions += o.collisions
			r.successes += o.successes
			r.failures += o.failures
			r.connected += o.connected
		}
		n.tot.collided += c.tot.collided
		n.tot.connected += c.tot.connected
		n.sigs.nas += c.sigs.nas
		n.sigs.s1ap += c.sigs.s1ap
		n.sigs.bytes += c.sigs.bytes
		for s, v := range c.sigs.perSec {
			perSec[s] += v
		}
	}
	for _, c := range cs {
		if c != nil {
			n.events += c.eng.Events()
		}
	}
	n.sigs.peak = max(n.sigs.peak, slices.Max(perSec))
	if n.shard != nil {
		n.sigs.perSec = perSec // merge.json's nas_per_second: the shards' add exactly
	}
}

// add adds o's counts and samples to s.
func (s *groupStats) add(o *groupStats) {
	s.generated += o.generated
	s.delivered += o.delivered
	s.dropped += o.dropped
	s.accAttempts += o.accAttempts
	s.accOK += o.accOK
	s.accFail += o.accFail
	s.preambles += o.preambles
	s.preTxOK += o.preTxOK
	for len(s.preTxHist) < len(o.preTxHist) {
		s.preTxHist = append(s.preTxHist, 0)
	}
	for i, c := range o.preTxHist {
		s.preTxHist[i] += c
	}
	s.collided += o.collided
	s.mtGen += o.mtGen
	s.mtOK += o.mtOK
	s.mtDrop += o.mtDrop
	s.attaches += o.attaches
	s.taus += o.taus
	s.pages += o.pages
	s.delays.merge(&o.delays)
	s.triggerDelays.merge(&o.triggerDelays)
	s.attachTimes.merge(&o.attachTimes)
	s.latency.merge(&o.latency)
	s.mtLatency.merge(&o.mtLatency)
	for k, v := range o.drops {
		s.drop(k, v)
	}
	for k, v := range o.mtDrops {
		if v != 0 {
			if s.mtDrops == nil {
				s.mtDrops = map[string]int64{}
			}
			s.mtDrops[k] += v
		}
	}
	for st := range s.stateNS {
		s.stateNS[st] += o.stateNS[st]
		s.stateMJ[st].merge(o.stateMJ[st])
	}
}
