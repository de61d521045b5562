package mac

import (
	"sort"
	"time"
)

// Channel is what a reservation carries, for the accounting of a
// carrier's busy time by physical channel. Reservations are placed the same
// whatever their channel; only the books differ.
type Channel uint8

// Channels.
const (
	// Shared: NPDSCH on the downlink, NPUSCH on the uplink (TS 36.211 §10.2.3, §10.1.3).
	Shared Channel = iota
	// Control: NPDCCH, on the downlink (TS 36.211 §10.2.5).
	Control
	// Gap: lane time left idle while a transmission waits: between its
	// parts (a DCI and its NPDSCH, TS 36.213 §16.4.1) and before a DCI
	// whose first search-space candidate was taken, until a later one, as
	// long as no other reservation takes it (back-filling takes it out of
	// the books). A downlink whose DCIs can only start at candidates loses
	// that time to its queue: counted, a carrier busy or thus idle all the
	// time shows as saturated. The wait for the first candidate is latency,
	// not load, and is not booked. Booked with Book, never reserved: not in
	// Utilisation.
	Gap
	// NumChannels is the number of channels.
	NumChannels
)

// Carrier is the resource scheduler of one NB-IoT carrier direction.
// The uplink has 12 lanes (15 kHz subcarriers); an NPUSCH transmission of
// t tones uses an aligned set of t lanes (TS 36.213 Table 16.5.1.1-1: 3-tone
// allocations start at subcarriers 0,3,6,9; 6-tone at 0,6; 12-tone at 0).
// The downlink has one lane (NPDCCH and NPDSCH each occupy the whole PRB in
// their subframes).
//
// Each lane keeps its busy intervals, so a request takes the earliest time
// at or after its earliest start at which its lanes are free for its whole
// duration: it may use a gap that earlier reservations left (back-filling),
// before a reservation placed further in the future, or between a DCI and
// its NPDSCH. There is no pre-emption: what is placed stays. A request
// that cannot start before its deadline is still placed (the caller decides
// what a late start means). Intervals that end before the time given to
// Prune are dropped, so memory follows the reservations still ahead.
type Carrier struct {
	lanes int
	// segs: the lanes' occupancy as breakpoints: segs[i].mask (bit j: lane
	// j busy) holds from segs[i].s to segs[i+1].s; before segs[0] and from
	// the last (whose mask is 0) every lane is free. Neighbours differ.
	// One list whatever the lanes: a 12-tone NPUSCH costs what one tone does.
	segs []seg
	gaps []span // Gap bookings of lane 0 not (yet) back-filled
	// Stretch ≥ 1 scales every allocation to account for resources the
	// carrier spends on other things (NPRACH on the uplink; NPBCH, NPSS,
	// NSSS and SIB1-NB on the downlink anchor carrier).
	Stretch float64
	busy    float64 // lane-nanoseconds allocated
	// by channel: lane-nanoseconds allocated, in total and per step of
	// time (see Track)
	busyBy [NumChannels]float64
	step   int64
	// steps[ch][i] holds channel ch's steps [i·stepChunk, (i+1)·stepChunk),
	// allocated with their first booking, dropped by Forget
	steps  [NumChannels][]*[stepChunk]float64
	nSteps int
	forgot int   // steps before it were dropped (Forget)
	late   int64 // bookings into dropped steps (Late)
	last   int   // first lane of the latest reservation (LastLane)
	// from: the lane the search for a lane set starts at (SetFirstLane)
	from int
}

// span is an interval [s, e) (ns).
type span struct{ s, e int64 }

// seg is a breakpoint of a carrier's occupancy: from s, the lanes of mask
// are busy.
type seg struct {
	s    int64
	mask uint64
}

// maxLanes is the most lanes a carrier has (one bit each).
const maxLanes = 64

// Grid restricts where a reservation may start: at k0 + u·Step for
// u = 0 … Count−1, where k0 = Offset + m·Period for any integer m. It is an
// NPDCCH search space (TS 36.213 §16.6): period T = Rmax·G, offset
// α_offset·T, and a DCI of R repetitions starts at one of the Rmax/R
// candidates, R subframes apart. Step is airtime: the carrier stretches it
// as it stretches reservations (the candidates count valid downlink
// subframes). The zero Grid allows any start.
type Grid struct {
	Period, Offset, Step time.Duration
	Count                int
}

// next is the earliest allowed start at or after t on a carrier stretching
// by stretch.
func (g Grid) next(t int64, stretch float64) int64 {
	p := int64(g.Period)
	if p <= 0 {
		return t
	}
	off := int64(g.Offset) % p
	m := (t - off) / p
	if t-off < 0 && (t-off)%p != 0 {
		m-- // floor division
	}
	k0 := off + m*p
	step := int64(float64(g.Step) * stretch)
	if t == k0 {
		return t
	}
	if step > 0 {
		u := (t - k0 + step - 1) / step
		if u < int64(max(g.Count, 1)) && k0+u*step < k0+p {
			return k0 + u*step
		}
	}
	return k0 + p
}

// NewCarrier returns a carrier with lanes lanes.
func NewCarrier(lanes int, stretch float64) *Carrier {
	lanes = max(1, min(lanes, maxLanes))
	if !(stretch >= 1) { // also NaN, which would make every reservation end at MinInt64
		stretch = 1
	}
	return &Carrier{lanes: lanes, Stretch: stretch}
}

// Lanes returns the number of lanes.
func (c *Carrier) Lanes() int { return c.lanes }

// SetFirstLane makes the carrier's lane order start at lane l: a request
// tries first the aligned set of its width holding l, then the sets
// after it, wrapping round to lane 0; ties between sets free at the same
// time keep the first in that order. The default, 0, is the lowest set
// first. The scheduler's choice of subcarriers is the eNB's (the
// subcarrier indication of the uplink grant, TS 36.213 §16.5.1.1); a
// cell-specific start keeps co-sited cells' first choices apart. An l
// outside [0, Lanes()) is taken as 0.
func (c *Carrier) SetFirstLane(l int) {
	if l < 0 || l >= c.lanes {
		l = 0
	}
	c.from = l
}

// FirstLane is where the carrier's lane order starts (SetFirstLane).
func (c *Carrier) FirstLane() int { return c.from }

// Reserve places a transmission of dur on width lanes starting no earlier
// than earliest, and returns its start and end times. It is booked as
// Shared.
func (c *Carrier) Reserve(earliest int64, width int, dur time.Duration) (start, end int64) {
	return c.ReserveFor(Shared, earliest, width, dur)
}

// ReserveFor is Reserve booking the busy time to channel ch; the placement
// does not depend on ch.
func (c *Carrier) ReserveFor(ch Channel, earliest int64, width int, dur time.Duration) (start, end int64) {
	return c.ReserveIn(ch, earliest, width, dur, Grid{})
}

// Next is the first start grid g allows at or after t on this carrier.
func (c *Carrier) Next(t int64, g Grid) int64 { return g.next(t, c.Stretch) }

// ReserveIn is ReserveFor with the start on grid g. On one lane, the time
// the lane stays free while the request waits past its first allowed start
// (that start was taken) is booked as Gap.
func (c *Carrier) ReserveIn(ch Channel, earliest int64, width int, dur time.Duration, g Grid) (start, end int64) {
	t0 := c.first(earliest, g)
	at, lo := c.fitFrom(t0, width, dur, g)
	if g.Period > 0 && width == 1 {
		c.Book(Gap, t0, at, 1)
	}
	return at, c.Place(ch, at, lo, width, dur)
}

// Fit returns where Reserve would place a transmission of dur on width
// lanes starting on grid g no earlier than earliest: the start and the
// first lane of the aligned lane set (the earliest start; ties keep the
// first set in the carrier's lane order, the lowest by default: see
// SetFirstLane). Nothing is placed.
func (c *Carrier) Fit(earliest int64, width int, dur time.Duration, g Grid) (start int64, lo int) {
	return c.fitFrom(c.first(earliest, g), width, dur, g)
}

// first is the first start g allows at or after t: c.Next(t, g), without
// the call for the zero Grid (t itself).
func (c *Carrier) first(t int64, g Grid) int64 {
	if g.Period > 0 {
		return g.next(t, c.Stretch)
	}
	return t
}

// fitFrom is Fit from t0, a start g allows.
func (c *Carrier) fitFrom(t0 int64, width int, dur time.Duration, g Grid) (start int64, lo int) {
	n := c.lanes
	width = max(1, min(width, n))
	i0 := 0 // the first set in the lane order
	if c.from != 0 {
		if i0 = c.from / width * width; i0+width > n {
			i0 = 0
		}
	}
	if c.freeFrom(t0, setMask(i0, width)) {
		return t0, i0 // the first set is free from t0 on: it starts there
	}
	d := c.stretched(dur)
	j := c.find(t0) // the same for every set
	if width == n {
		return c.fitSet(setMask(0, n), t0, j, d, g), 0 // one set
	}
	bestAt := int64(-1)
	sets := n / width * width // lanes covered by whole aligned sets
	for k := 0; k < sets; k += width {
		i := i0 + k
		if i >= sets {
			i -= sets
		}
		at := c.fitSet(setMask(i, width), t0, j, d, g)
		if bestAt < 0 || at < bestAt {
			lo, bestAt = i, at
			if at == t0 {
				break // no set can start earlier, and ties keep the first
			}
		}
	}
	return bestAt, lo
}

// setMask is the mask of lanes [lo, lo+width).
func setMask(lo, width int) uint64 {
	if width >= 64 {
		return ^uint64(0)
	}
	// width < 64 and lo < 64 (lo+width ≤ maxLanes): the masks only tell
	// the compiler so, sparing its checks of shifts past 63.
	return (uint64(1)<<(uint(width)&63) - 1) << (uint(lo) & 63)
}

// freeFrom tells whether the lanes of m are free from t on for good: t is
// at or after the last breakpoint, which leaves them free (fitSet's answer
// is then t, found without a search).
func (c *Carrier) freeFrom(t int64, m uint64) bool {
	k := len(c.segs) - 1
	return k < 0 || (t >= c.segs[k].s && c.segs[k].mask&m == 0)
}

// fitSet is the earliest start at or after t (on g) at which the lanes of
// m are all free for d; j is c.find(t).
func (c *Carrier) fitSet(m uint64, t int64, j int, d int64, g Grid) int64 {
	sg := c.segs
	for {
		// Walk the segments under [t, t+d) (before the first, all is
		// free): the first with a lane of m busy moves t past it.
		k, te := max(j, 0), t+d
		for k < len(sg) && sg[k].s < te && sg[k].mask&m == 0 {
			k++
		}
		if k >= len(sg) || sg[k].s >= te {
			return t
		}
		// sg[k] is busy for m: try from its end (the next breakpoint).
		t = g.next(sg[k+1].s, c.Stretch) // the last segment is free: k+1 exists
		for j = k + 1; j+1 < len(sg) && sg[j+1].s <= t; j++ {
		}
	}
}

// find is the index of the segment holding t (−1 before the first).
func (c *Carrier) find(t int64) int {
	sg := c.segs
	n := len(sg)
	if n == 0 || t < sg[0].s {
		return -1
	}
	// Requests come near the end of the list (now and a little ahead):
	// look back a few segments before searching.
	for i, lim := n-1, max(0, n-4); i >= lim; i-- {
		if sg[i].s <= t {
			return i
		}
	}
	lo, hi := 0, n // the first with s > t
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if sg[m].s <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// split makes t a breakpoint and returns its segment's index.
func (c *Carrier) split(t int64) int {
	i := c.find(t)
	if i >= 0 && c.segs[i].s == t {
		return i
	}
	m := uint64(0)
	if i >= 0 {
		m = c.segs[i].mask
	}
	c.segs = append(c.segs, seg{})
	copy(c.segs[i+2:], c.segs[i+1:])
	c.segs[i+1] = seg{t, m}
	return i + 1
}

// set ORs (or, with clear, clears) m into the lanes over [s, e).
func (c *Carrier) set(m uint64, s, e int64, clear bool) {
	if e <= s {
		return
	}
	if n := len(c.segs); !clear && (n == 0 || s > c.segs[n-1].s) {
		// After the last breakpoint, where every lane is free: the
		// common case, appended.
		c.segs = append(c.segs, seg{s, m}, seg{e, 0})
		return
	}
	c.setIn(m, s, e, clear)
}

// setIn is set over [s, e) (e > s) not after the last breakpoint.
func (c *Carrier) setIn(m uint64, s, e int64, clear bool) {
	if n := len(c.segs); !clear && s == c.segs[n-1].s {
		// At the last breakpoint, where every lane is free.
		switch {
		case n >= 2 && c.segs[n-2].mask == m:
			c.segs[n-1].s = e // extends the one before
		default:
			c.segs[n-1].mask = m
			c.segs = append(c.segs, seg{e, 0})
		}
		return
	}
	a := c.split(s)
	b := c.split(e)
	for k := a; k < b; k++ {
		if clear {
			c.segs[k].mask &^= m
		} else {
			c.segs[k].mask |= m
		}
	}
	// Merge neighbours that became equal, from before a to b.
	lo := max(a-1, 0)
	w := lo
	for k := lo; k < len(c.segs) && k <= b; k++ {
		if k > lo && c.segs[k].mask == c.segs[w].mask {
			continue
		}
		if k > lo {
			w++
		}
		c.segs[w] = c.segs[k]
	}
	if gone := b - w; gone > 0 {
		c.segs = append(c.segs[:w+1], c.segs[b+1:]...)
	}
	if lo == 0 && len(c.segs) > 0 && c.segs[0].mask == 0 {
		c.segs = c.segs[1:] // a free first segment says nothing
	}
}

// Place reserves dur (stretched) from start on lanes [lo, lo+width), as
// Fit found them, books it to ch and returns its end.
func (c *Carrier) Place(ch Channel, start int64, lo, width int, dur time.Duration) (end int64) {
	n := c.lanes
	width = max(1, min(width, n))
	lo = max(0, min(lo, n-width))
	d := c.stretched(dur)
	end = start + d
	c.set(setMask(lo, width), start, end, false)
	if lo == 0 && c.gapAfter(start) {
		c.fillGaps(start, end)
	}
	c.last = lo
	c.busy += float64(d) * float64(width)
	c.book(ch, start, d, float64(width))
	return end
}

// ReservePair places a DCI of dci on grid g, no earlier than earliest, and
// the transmission of dur it schedules, on lane 0, starting minDelay to
// maxDelay after the DCI ends (NPDCCH then NPDSCH: TS 36.213 §16.4.1, the
// scheduling delays of Table 16.4.1-1). It takes the earliest DCI
// candidate from which the transmission fits in time, books the DCI as
// Control, the transmission as Shared and the time between as Gap, and
// returns the DCI's end and the transmission's start and end.
func (c *Carrier) ReservePair(earliest int64, g Grid, dci, minDelay, maxDelay, dur time.Duration) (dciEnd, start, end int64) {
	p := c.FitPairAt(earliest, g, dci, minDelay, maxDelay, dur)
	c.PlacePair(p)
	return p.DCIEnd, p.Start, p.End
}

// Pair is where ReservePair would place a DCI and the transmission it
// schedules (FitPairAt); PlacePair places it there.
type Pair struct {
	DCIEnd, Start, End int64
	first              int64 // the first DCI start the grid allowed: the Gap before the DCI starts there
	dci, dur           time.Duration
}

// FitPairAt is FitPair as a Pair: a caller that decides on the fit (a RAR
// that must end in its window) places it with PlacePair, without fitting
// it again, as long as nothing is reserved on c in between.
func (c *Carrier) FitPairAt(earliest int64, g Grid, dci, minDelay, maxDelay, dur time.Duration) Pair {
	de, s, e, first := c.fitPair(earliest, g, dci, minDelay, maxDelay, dur)
	return Pair{DCIEnd: de, Start: s, End: e, first: first, dci: dci, dur: dur}
}

// PlacePair reserves p as ReservePair does: the DCI as Control, the
// transmission as Shared, the waits before the DCI and between them as Gap.
func (c *Carrier) PlacePair(p Pair) {
	ds := p.DCIEnd - c.stretched(p.dci)
	c.Book(Gap, p.first, ds, 1)
	c.Place(Control, ds, 0, 1, p.dci)
	c.Place(Shared, p.Start, 0, 1, p.dur)
	c.Book(Gap, p.DCIEnd, p.Start, 1)
}

// FitPair returns where ReservePair would place its DCI and transmission;
// nothing is placed.
func (c *Carrier) FitPair(earliest int64, g Grid, dci, minDelay, maxDelay, dur time.Duration) (dciEnd, start, end int64) {
	dciEnd, start, end, _ = c.fitPair(earliest, g, dci, minDelay, maxDelay, dur)
	return dciEnd, start, end
}

// fitPair is FitPair, also returning the first DCI start g allows from
// earliest (c.Next(earliest, g)).
func (c *Carrier) fitPair(earliest int64, g Grid, dci, minDelay, maxDelay, dur time.Duration) (dciEnd, start, end, first int64) {
	sd := c.stretched(dci)
	first = c.first(earliest, g)
	for t0 := first; ; {
		ds, _ := c.fitFrom(t0, 1, dci, g)
		de := ds + sd
		s, _ := c.fitFrom(de+int64(minDelay), 1, dur, Grid{})
		if s <= de+int64(maxDelay) {
			return de, s, s + c.stretched(dur), first
		}
		t0 = c.first(s-int64(maxDelay)-sd, g) // > ds: the next try starts later
	}
}

// Hold keeps dur (stretched) on lane 0, starting on g no earlier than
// earliest, from other reservations without booking it to any channel
// (a slot kept for a message that is not yet built); Release gives it back.
func (c *Carrier) Hold(earliest int64, dur time.Duration, g Grid) (start, end int64) {
	d := c.stretched(dur)
	at := g.next(earliest, c.Stretch)
	if !c.freeFrom(at, 1) {
		at = c.fitSet(1, at, c.find(at), d, g)
	}
	c.set(1, at, at+d, false)
	return at, at + d
}

// Release frees [start, end) on lane 0 (a Hold's interval).
func (c *Carrier) Release(start, end int64) {
	c.set(1, start, end, true)
}

// Prune drops what ended at or before now: no request may start before
// now.
func (c *Carrier) Prune(now int64) {
	if i := c.find(now); i >= 0 {
		if c.segs[i].mask == 0 {
			i++ // free from here: as before the first
		}
		c.segs = append(c.segs[:0], c.segs[i:]...)
	}
	i := 0
	for i < len(c.gaps) && c.gaps[i].e <= now {
		i++
	}
	if i > 0 {
		c.gaps = append(c.gaps[:0], c.gaps[i:]...)
	}
}

// stretched is dur scaled by the carrier's stretch.
func (c *Carrier) stretched(dur time.Duration) int64 {
	return int64(float64(dur) * c.Stretch)
}

// insert adds x (free in sp) to sp, merging touching intervals.
func insert(sp []span, x span) []span {
	if l := len(sp) - 1; l < 0 || x.s >= sp[l].e { // after the last: the common case
		if l >= 0 && x.s == sp[l].e {
			sp[l].e = x.e
			return sp
		}
		return append(sp, x)
	}
	i := firstEndingAfter(sp, x.s-1) // first interval ending at or after x.s
	if i < len(sp) && sp[i].e == x.s {
		sp[i].e = x.e
		if i+1 < len(sp) && sp[i+1].s == x.e {
			sp[i].e = sp[i+1].e
			sp = append(sp[:i+1], sp[i+2:]...)
		}
		return sp
	}
	if i < len(sp) && sp[i].s == x.e {
		sp[i].s = x.s
		return sp
	}
	sp = append(sp, span{})
	copy(sp[i+1:], sp[i:])
	sp[i] = x
	return sp
}

// cut removes x from sp's intervals (splitting one that contains it).
func cut(sp []span, x span) []span {
	i := firstEndingAfter(sp, x.s)
	j := i
	for j < len(sp) && sp[j].s < x.e {
		j++
	}
	if i == j {
		return sp // nothing overlaps x
	}
	var keep [2]span
	k := 0
	if sp[i].s < x.s {
		keep[k] = span{sp[i].s, x.s}
		k++
	}
	if sp[j-1].e > x.e {
		keep[k] = span{x.e, sp[j-1].e}
		k++
	}
	tail := len(sp) - j
	if i+k > j {
		sp = append(sp, span{}) // one interval split in two
	}
	copy(sp[i+k:], sp[j:j+tail])
	copy(sp[i:], keep[:k])
	return sp[:i+k+tail]
}

// gapAfter tells whether a Gap booking ends after t: without one, fillGaps
// from t has nothing to take (the bookings are sorted, the last ends last).
func (c *Carrier) gapAfter(t int64) bool {
	return len(c.gaps) > 0 && c.gaps[len(c.gaps)-1].e > t
}

// fillGaps takes [s, e), just reserved on lane 0, out of the Gap books.
func (c *Carrier) fillGaps(s, e int64) {
	i := firstEndingAfter(c.gaps, s)
	if i == len(c.gaps) || c.gaps[i].s >= e {
		return // no Gap under [s, e)
	}
	for ; i < len(c.gaps) && c.gaps[i].s < e; i++ {
		g := c.gaps[i]
		c.book(Gap, max(g.s, s), -(min(g.e, e) - max(g.s, s)), 1)
	}
	c.gaps = cut(c.gaps, span{s, e})
}

// LastLane is the first lane of the latest reservation: it took lanes
// LastLane() to LastLane()+width−1 (the subcarriers an uplink transmission
// occupies, for the interference it causes and meets).
func (c *Carrier) LastLane() int { return c.last }

// Book adds [from, to) on width lanes to ch's books without reserving it
// (for Gap); nothing is placed, Utilisation does not change. A Gap on lane
// 0 that a later reservation takes (back-filling) leaves the Gap books.
func (c *Carrier) Book(ch Channel, from, to int64, width int) {
	if to <= from {
		return
	}
	w := max(1, min(width, c.lanes))
	if ch != Gap || w != 1 {
		c.book(ch, from, to-from, float64(w))
		return
	}
	// Only the part of lane 0 still free is idle.
	for from < to {
		i := c.find(from)
		next := to // where lane 0's state changes
		if i+1 < len(c.segs) {
			next = min(to, c.segs[i+1].s)
		}
		if i < 0 || c.segs[i].mask&1 == 0 {
			if c.gapAfter(from) {
				c.fillGaps(from, next) // booked already by another transmission: once
			}
			c.book(Gap, from, next-from, 1)
			c.gaps = insert(c.gaps, span{from, next})
		}
		from = next
	}
}

// book adds a reservation of w lanes over [at, at+d) to ch's books; a
// negative d takes [at, at−d) out.
func (c *Carrier) book(ch Channel, at, d int64, w float64) {
	if ch >= NumChannels {
		ch = Shared
	}
	c.busyBy[ch] += float64(d) * w
	if c.nSteps == 0 {
		return
	}
	sign, l := 1.0, d
	if d < 0 {
		sign, l = -1, -d
	}
	if k := at / c.step; at >= 0 && l > 0 && at+l <= (k+1)*c.step && k < int64(c.nSteps) {
		// Within one step (the common case): the loop below would add
		// the same sign·l·w there. Its chunk usually exists: no call.
		if ki := int(k); ki >= c.forgot {
			if p := c.steps[ch][ki/stepChunk]; p != nil {
				p[ki%stepChunk] += sign * float64(l) * w
				return
			}
		}
		*c.stepAt(ch, int(k)) += sign * float64(l) * w
		return
	}
	// Spread over the steps the interval overlaps; what falls beyond the
	// last step is not tracked.
	for k := at / c.step; k < int64(c.nSteps) && k*c.step < at+l; k++ {
		lo, hi := max(at, k*c.step), min(at+l, (k+1)*c.step)
		if k >= 0 && hi > lo {
			*c.stepAt(ch, int(k)) += sign * float64(hi-lo) * w
		}
	}
}

// stepChunk is how many steps of a channel are allocated together.
const stepChunk = 512

// stepAt is channel ch's step k (0 <= k < nSteps), its chunk allocated if
// need be. A step Forget dropped is a scratch cell whose bookings count in
// Late.
func (c *Carrier) stepAt(ch Channel, k int) *float64 {
	if k < c.forgot {
		c.late++
		return new(float64)
	}
	if c.steps[ch] == nil {
		c.steps[ch] = make([]*[stepChunk]float64, (c.nSteps+stepChunk-1)/stepChunk)
	}
	p := &c.steps[ch][k/stepChunk]
	if *p == nil {
		*p = new([stepChunk]float64)
	}
	return &(*p)[k%stepChunk]
}

// Forget drops the steps before k: the caller has read them for the last
// time (BusyIn reads 0 there from now on). Memory then follows the steps
// still ahead, not the whole run. A booking into a dropped step is
// counted in Late (and lost).
func (c *Carrier) Forget(k int) {
	k = min(k, c.nSteps)
	if k <= c.forgot {
		return
	}
	c.forgot = k
	for ch := range c.steps {
		for i := range min(k/stepChunk, len(c.steps[ch])) {
			c.steps[ch][i] = nil
		}
	}
}

// Late is how many bookings fell into steps Forget had dropped: 0 unless
// the caller forgot too early.
func (c *Carrier) Late() int64 { return c.late }

// Track starts keeping the busy time of each channel per step of time:
// n steps of length step from time 0 (BusyIn reads them). It is meant to be
// called before the first reservation; earlier ones are not in the steps.
func (c *Carrier) Track(step time.Duration, n int) {
	if step <= 0 || n <= 0 {
		return
	}
	c.step, c.nSteps = int64(step), n
	for ch := range c.steps { // the chunks come with their first booking
		c.steps[ch] = make([]*[stepChunk]float64, (n+stepChunk-1)/stepChunk)
	}
	c.forgot, c.late = 0, 0
}

// BusyIn returns the lane-nanoseconds channel ch took in step k (0 when
// not tracked, out of range or dropped by Forget).
func (c *Carrier) BusyIn(ch Channel, k int) float64 {
	if ch >= NumChannels || k < c.forgot || k < 0 || k >= c.nSteps || c.steps[ch] == nil {
		return 0
	}
	if p := c.steps[ch][k/stepChunk]; p != nil {
		return p[k%stepChunk]
	}
	return 0
}

// Utilisation is the share of lane-time allocated over a period of length d.
func (c *Carrier) Utilisation(d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	u := c.busy / (float64(d) * float64(c.lanes))
	if u > 1 {
		u = 1
	}
	return u
}

// UtilisationOf is the share of lane-time channel ch took over a period of
// length d (clamped to 1). The shares of the reserved channels (Shared,
// Control) add up to Utilisation (before clamping).
func (c *Carrier) UtilisationOf(ch Channel, d time.Duration) float64 {
	if d <= 0 || ch >= NumChannels {
		return 0
	}
	return min(1, c.busyBy[ch]/(float64(d)*float64(c.lanes)))
}

// Backlog returns how far in the future the earliest lane becomes free,
// seen from now (0 if some lane is free).
func (c *Carrier) Backlog(now int64) time.Duration {
	all := setMask(0, c.lanes)
	for i := max(c.find(now), 0); i < len(c.segs); i++ {
		if c.segs[i].mask&all != all {
			return time.Duration(max(c.segs[i].s, now) - now)
		}
	}
	return 0
}

// firstEndingAfter is the index of the first interval of sp that ends
// after t. The intervals asked about are at the end of sp (a carrier's
// Gap books from now on): it looks back from there first.
func firstEndingAfter(sp []span, t int64) int {
	i := len(sp)
	for ; i > 0 && i > len(sp)-4; i-- {
		if sp[i-1].e <= t {
			return i
		}
	}
	if i == 0 {
		return 0
	}
	return sort.Search(i, func(k int) bool { return sp[k].e > t })
}
