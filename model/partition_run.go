package model

import (
	"context"
	"slices"
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
	for b := range c.cl.out {
		c.cl.out[b].prach = make([][]prachOut, p.n)
		c.cl.out[b].dirty = make([][]outRef, p.n)
	}
	return &c
}

// runClusters runs the split network: every cluster window by window, up
// to workers at once (a sim.Gang: one phase per window), exchanging
// between windows; then their books are merged in cluster order (results
// do not depend on workers). A cluster's phase of window i starts with the
// exchange of window i-1 into its cells (pull: it reads what the others
// wrote then, and writes only its own cells and books), then runs its
// engine to the window's end, writing the other outbound book: so each
// window costs one barrier.
func (n *Network) runClusters(ctx context.Context, workers int) error {
	p := n.split
	if n.devDrops == nil {
		n.devDrops = make([]uint32, len(n.ues)) // shared: each cluster writes its devices'
	}
	cs := make([]*Network, p.n) // nil: a cluster a shard does not simulate
	devs := make([]int, p.n)
	p.live = make([]bool, p.n)
	var order []int
	for k := range cs {
		if n.present(k) {
			cs[k] = n.newCluster(int32(k))
			p.live[k] = true
			order = append(order, k)
		}
	}
	for i := range n.ues {
		devs[p.cellOf[n.ues[i].cell]]++
	}
	// The largest clusters first: the workers finish a window together.
	slices.SortStableFunc(order, func(a, b int) int { return devs[b] - devs[a] })
	gang := sim.NewGang(min(workers, len(order)))
	defer gang.Close()
	ws := make([]worker, gang.Workers())
	ws[0] = worker{n.la, n.dci}
	for i := 1; i < len(ws); i++ {
		ws[i] = worker{&memo[[]phy.Transmission]{}, &memo[time.Duration]{}}
	}
	errs := make([]error, p.n)
	gang.Run(len(order), func(w, i int) {
		c := cs[order[i]]
		ws[w].lend(c)
		errs[order[i]] = c.schedule()
		c.eng.At(sim.Time(time.Minute), sim.Late, c, kMinute, 0)
	})
	for _, err := range errs { // the first in cluster order
		if err != nil {
			return err
		}
	}
	p.at("scheduled", cs)
	rep, others := n.reportedClusters(cs)
	par := 0 // the current window's outbound book
	for t := sim.Time(0); t < n.end; {
		if err := ctx.Err(); err != nil {
			return err
		}
		w := min(t+p.window, n.end)
		gang.Run(len(order), func(wk, i int) {
			k := order[i]
			if t > 0 {
				p.pull(n, cs, k, 1-par, t)
			}
			cs[k].cl.begin(int64(w), par)
			ws[wk].run(cs[k], w)
		})
		p.at("window", cs)
		n.spillEarly(rep, others)
		if n.progress != nil && w/sim.Time(time.Minute) != t/sim.Time(time.Minute) {
			n.progress(w.Seconds(), n.end.Seconds())
		}
		t, par = w, 1-par
		n.eng.AdvanceTo(t)
		p.at("between", cs)
	}
	gang.Run(len(order), func(wk, i int) {
		k := order[i]
		if n.end > 0 {
			p.pull(n, cs, k, 1-par, n.end)
		}
		ws[wk].lend(cs[k])
		cs[k].flush()
		cs[k].foldRest()
	})
	p.at("final", cs)
	n.merge(cs)
	n.clusters = cs
	p.at("merged", cs)
	return nil
}

// at calls the partition's phase hook (benchmarks' CPU accounting:
// "scheduled", then "window" after each window's phase and "between"
// after the serial part that follows it, "final", "merged").
func (p *partition) at(phase string, cs []*Network) {
	if p.hook != nil {
		p.hook(phase, cs)
	}
}

// worker is one goroutine's caches.
type worker struct {
	la  *memo[[]phy.Transmission]
	dci *memo[time.Duration]
}

// lend lends cluster c w's link-adaptation caches (pure functions of their
// keys: what they hold moves no result) while w runs it.
func (w worker) lend(c *Network) { c.la, c.dci = w.la, w.dci }

// run runs cluster c to until with w's caches.
func (w worker) run(c *Network, until sim.Time) {
	w.lend(c)
	c.eng.Run(until)
}

// exchange hands what each cluster put into other clusters' cells in the
// window that ended at the clusters' wEnd to those cells (pull, for every
// cluster in turn; runClusters does it in its clusters' phases).
func (p *partition) exchange(n *Network, cs []*Network) {
	var wEnd sim.Time
	cur := 0
	for _, c := range cs {
		if c != nil {
			wEnd, cur = sim.Time(c.cl.wEnd), c.cl.cur
		}
	}
	for d, c := range cs {
		if c != nil {
			p.pull(n, cs, d, cur, wEnd)
		}
	}
}

// pull hands cluster d's cells what the other clusters' devices put into
// them in the window that ended at wEnd (their outbound books out[b]),
// source clusters in order, and empties those books' parts for d
// (docs/model.md, Clusters):
//   - NPRACH: a preamble for an occasion that ends after the window goes
//     to that occasion; one for an occasion already resolved goes, as a
//     stand-in for the window ahead, to the occasion one window later
//     (which d then resolves, if none of its devices does);
//   - NPUSCH: each transmission enters the cell's book, and a copy one
//     window later stands in for the window ahead (the cell's own
//     transmissions not yet decided meet the copy; the original is there
//     for those placed from now on, and the previous window's copies,
//     which it replaces, leave the book);
//   - the estimate contributions, decayed to the window's end, are added.
//
// It reads only the other clusters' out[b] parts for d and writes only d's
// cells, engine and books: the clusters pull in parallel.
func (p *partition) pull(n *Network, cs []*Network, d, b int, wEnd sim.Time) {
	dn := cs[d]
	dst := dn.cl
	for k, o := range dst.in {
		if o.end <= wEnd {
			delete(dst.in, k) // no reception there: dropped
		}
	}
	for _, src := range cs {
		if src == nil || src == dn {
			continue
		}
		o := &src.cl.out[b]
		for _, x := range o.prach[d] {
			key, end := x.key, x.end
			if end <= wEnd {
				ce := &n.ce[key>>56]
				m := max(1, int64(p.window)/int64(max(1, ce.occ.Period)))
				key += uint64(m)
				end += sim.Time(m * int64(ce.occ.Period))
			}
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
			occ.add(x.cell, x.g, x.mw)
		}
		o.prach[d] = o.prach[d][:0]
	}
	for _, i := range dst.proxied { // the previous window's stand-ins leave
		n.on(i/int32(n.carriers), uint8(i%int32(n.carriers))).ulb.dropProxies()
		p.marked[i] = false
	}
	dst.proxied = dst.proxied[:0]
	for _, src := range cs {
		if src == nil || src == dn {
			continue
		}
		o := &src.cl.out[b]
		for _, r := range o.dirty[d] {
			cell, car := r.cell, uint8(int(r.i)%dst.ncar)
			target := n.on(cell, car)
			for _, h := range o.hits[r.i] {
				target.ulb.hits = append(target.ulb.hits, h)
				h.start += int64(p.window)
				h.end += int64(p.window)
				h.proxy = true
				target.ulb.hit(h)
			}
			if len(o.hits[r.i]) > 0 {
				if t := cell*int32(n.carriers) + int32(car); !p.marked[t] {
					p.marked[t] = true
					dst.proxied = append(dst.proxied, t)
				}
			}
			o.hits[r.i] = o.hits[r.i][:0]
			if v := o.est[r.i]; v != 0 {
				target.addEstimate(int64(wEnd), v)
				o.est[r.i] = 0
			}
		}
		o.dirty[d] = o.dirty[d][:0]
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
