package mac

import (
	"math"
	"slices"
	"testing"
	"time"
)

// lanesOf reports which lanes a reservation ending at end occupies: the
// lanes busy just before end and free at end.
func lanesOf(c *Carrier, end int64) []int {
	m := maskAt(c, end-1) &^ maskAt(c, end)
	var l []int
	for i := 0; i < c.Lanes(); i++ {
		if m&(1<<i) != 0 {
			l = append(l, i)
		}
	}
	return l
}

// maskAt is the lanes busy at t.
func maskAt(c *Carrier, t int64) uint64 {
	if i := c.find(t); i >= 0 {
		return c.segs[i].mask
	}
	return 0
}

func TestCarrierAlignedToneSets(t *testing.T) {
	ms := time.Millisecond
	c := NewCarrier(12, 1)
	if c.Lanes() != 12 {
		t.Fatalf("lanes %d", c.Lanes())
	}
	// Four 3-tone transmissions fill the 12 subcarriers at 0, 3, 6, 9.
	for i := 0; i < 4; i++ {
		s, e := c.Reserve(0, 3, time.Duration(i+1)*ms)
		if s != 0 || e != int64(time.Duration(i+1)*ms) {
			t.Fatalf("3-tone %d: [%d, %d)", i, s, e)
		}
		if got, want := lanesOf(c, e), []int{3 * i, 3*i + 1, 3*i + 2}; !slices.Equal(got, want) || c.LastLane() != 3*i {
			t.Fatalf("3-tone %d on lanes %v (LastLane %d), want %v", i, got, c.LastLane(), want)
		}
	}
	// A fifth waits for the earliest set (lanes 0..2, free at 1 ms).
	s, e := c.Reserve(0, 3, 10*ms)
	if s != int64(ms) || e != int64(11*ms) || !slices.Equal(lanesOf(c, e), []int{0, 1, 2}) || c.LastLane() != 0 {
		t.Fatalf("fifth 3-tone: [%d, %d) on %v", s, e, lanesOf(c, e))
	}
	// A 12-tone waits for all lanes.
	if s, _ := c.Reserve(0, 12, ms); s != int64(11*ms) {
		t.Fatalf("12-tone starts %d, want 11ms", s)
	}
}

func TestCarrierAlignmentNotFirstFit(t *testing.T) {
	ms := int64(time.Millisecond)
	c := NewCarrier(12, 1)
	c.Reserve(0, 1, 10*time.Millisecond) // single tone on lane 0
	// A 3-tone cannot use lanes 1..3 (not an allowed set): it goes to 3..5.
	s, e := c.Reserve(0, 3, time.Millisecond)
	if s != 0 || !slices.Equal(lanesOf(c, e), []int{3, 4, 5}) {
		t.Fatalf("3-tone at %d on %v, want 0 on [3 4 5]", s, lanesOf(c, e))
	}
	// A 6-tone uses 6..11.
	s, e = c.Reserve(0, 6, 2*time.Millisecond)
	if s != 0 || !slices.Equal(lanesOf(c, e), []int{6, 7, 8, 9, 10, 11}) {
		t.Fatalf("6-tone at %d on %v", s, lanesOf(c, e))
	}
	// Another 6-tone: set 0..5 frees at 10 ms, set 6..11 at 2 ms.
	if s, _ = c.Reserve(0, 6, time.Millisecond); s != 2*ms {
		t.Fatalf("second 6-tone at %d, want 2ms", s)
	}
	// A single tone takes the earliest-free lane (lane 1, free at 0).
	s, e = c.Reserve(0, 1, 7*time.Millisecond)
	if s != 0 || !slices.Equal(lanesOf(c, e), []int{1}) {
		t.Fatalf("1-tone at %d on %v", s, lanesOf(c, e))
	}
}

func TestCarrierFIFO(t *testing.T) {
	ms := int64(time.Millisecond)
	c := NewCarrier(1, 1)
	if s, e := c.Reserve(100*ms, 1, 10*time.Millisecond); s != 100*ms || e != 110*ms {
		t.Fatalf("first [%d, %d)", s, e)
	}
	// Back-filling: a later request for an earlier time takes the gap
	// before the first; one that does not fit in it goes after.
	if s, e := c.Reserve(0, 1, 10*time.Millisecond); s != 0 || e != 10*ms {
		t.Fatalf("second [%d, %d), want [0, 10ms)", s, e)
	}
	if s, e := c.Reserve(5*ms, 1, 95*time.Millisecond); s != 110*ms || e != 205*ms {
		t.Fatalf("third [%d, %d), want [110ms, 205ms): [10ms, 100ms) is too short", s, e)
	}
	// A request after the lane is free starts at its earliest time.
	if s, _ := c.Reserve(500*ms, 1, time.Millisecond); s != 500*ms {
		t.Fatalf("third at %d, want 500ms", s)
	}
	// Width is clamped into [1, lanes].
	c = NewCarrier(0, 1)
	if c.Lanes() != 1 {
		t.Fatalf("NewCarrier(0) lanes %d, want 1", c.Lanes())
	}
	c = NewCarrier(12, 1)
	if _, e := c.Reserve(0, 40, time.Millisecond); len(lanesOf(c, e)) != 12 {
		t.Fatalf("width 40 used %d lanes, want 12", len(lanesOf(c, e)))
	}
	if _, e := c.Reserve(0, 0, time.Millisecond); len(lanesOf(c, e)) != 1 {
		t.Fatalf("width 0 used %d lanes, want 1", len(lanesOf(c, e)))
	}
}

func TestCarrierStretch(t *testing.T) {
	cases := []struct {
		stretch, want float64
	}{
		{1.5, 1.5},
		{1, 1},
		{0.5, 1}, // below 1 is 1
		{0, 1},
		{-2, 1},
		{math.NaN(), 1},
	}
	for _, c := range cases {
		k := NewCarrier(1, c.stretch)
		if k.Stretch != c.want {
			t.Errorf("NewCarrier stretch %v: %v, want %v", c.stretch, k.Stretch, c.want)
		}
		s, e := k.Reserve(0, 1, 10*time.Millisecond)
		if want := int64(c.want * float64(10*time.Millisecond)); s != 0 || e != want {
			t.Errorf("stretch %v: [%d, %d), want [0, %d)", c.stretch, s, e, want)
		}
	}
}

func TestCarrierUtilisationBacklog(t *testing.T) {
	ms := int64(time.Millisecond)
	c := NewCarrier(12, 1)
	if u := c.Utilisation(time.Second); u != 0 {
		t.Fatalf("empty utilisation %v", u)
	}
	if b := c.Backlog(0); b != 0 {
		t.Fatalf("empty backlog %v", b)
	}
	c.Reserve(0, 12, 10*time.Millisecond) // 120 lane-ms
	c.Reserve(0, 3, 20*time.Millisecond)  // 60 lane-ms
	if u := c.Utilisation(20 * time.Millisecond); math.Abs(u-180.0/240) > 1e-12 {
		t.Errorf("utilisation %v, want 0.75", u)
	}
	if u := c.Utilisation(10 * time.Millisecond); u != 1 {
		t.Errorf("utilisation over a short period %v, want clamped to 1", u)
	}
	if u := c.Utilisation(0); u != 0 {
		t.Errorf("utilisation over 0 %v", u)
	}
	// Lanes 3..11 free at 10 ms, 0..2 at 30 ms.
	if b := c.Backlog(0); b != 10*time.Millisecond {
		t.Errorf("backlog at 0: %v, want 10ms", b)
	}
	if b := c.Backlog(4 * ms); b != 6*time.Millisecond {
		t.Errorf("backlog at 4ms: %v, want 6ms", b)
	}
	if b := c.Backlog(10 * ms); b != 0 {
		t.Errorf("backlog at 10ms: %v, want 0", b)
	}
	// Stretch counts in utilisation.
	s := NewCarrier(1, 2)
	s.Reserve(0, 1, 10*time.Millisecond)
	if u := s.Utilisation(40 * time.Millisecond); math.Abs(u-0.5) > 1e-12 {
		t.Errorf("stretched utilisation %v, want 0.5", u)
	}
}

// TestCarrierChannelBooks: the busy time of a hand-made sequence of
// reservations, by channel and per step, against the closed form.
func TestCarrierChannelBooks(t *testing.T) {
	ms := time.Millisecond
	c := NewCarrier(1, 1)
	c.Track(100*ms, 3) // steps [0,100), [100,200), [200,300) ms
	// DCI 10 ms at 0, then NPDSCH 30 ms from 14 ms; a DCI queued behind it
	// (40 ms wait) ends at 90 ms; then NPDSCH 50 ms from 94 ms straddles
	// the first step boundary (6 ms before, 44 ms after).
	if s, e := c.ReserveFor(Control, 0, 1, 10*ms); s != 0 || e != int64(10*ms) {
		t.Fatalf("DCI [%d, %d)", s, e)
	}
	c.Reserve(int64(14*ms), 1, 30*ms)                                  // [14, 44) shared
	if s, _ := c.ReserveFor(Control, 0, 1, 46*ms); s != int64(44*ms) { // [44, 90)
		t.Fatalf("second DCI at %d, want 44ms (FIFO: the placement ignores the channel)", s)
	}
	c.Reserve(int64(94*ms), 1, 50*ms) // [94, 144)
	// A reservation past the tracked steps counts in the totals only.
	c.Reserve(int64(290*ms), 1, 20*ms) // [290, 310): 10 ms in step 2
	type want struct {
		ch   Channel
		k    int
		busy time.Duration
	}
	for _, w := range []want{
		{Control, 0, 56 * ms}, {Control, 1, 0}, {Shared, 0, 36 * ms},
		{Shared, 1, 44 * ms}, {Shared, 2, 10 * ms}, {Shared, 3, 0}, {Shared, -1, 0}, {NumChannels, 0, 0},
	} {
		if got := c.BusyIn(w.ch, w.k); got != float64(w.busy) {
			t.Errorf("BusyIn(%d, %d) = %v, want %v", w.ch, w.k, time.Duration(got), w.busy)
		}
	}
	// Over 400 ms: control 56/400, shared (30+50+20)/400; the sum is the
	// carrier's utilisation.
	if u := c.UtilisationOf(Control, 400*ms); math.Abs(u-56.0/400) > 1e-12 {
		t.Errorf("control utilisation %v, want 0.14", u)
	}
	if u := c.UtilisationOf(Shared, 400*ms); math.Abs(u-100.0/400) > 1e-12 {
		t.Errorf("shared utilisation %v, want 0.25", u)
	}
	if s, a, b := c.Utilisation(400*ms), c.UtilisationOf(Control, 400*ms), c.UtilisationOf(Shared, 400*ms); math.Abs(s-a-b) > 1e-12 {
		t.Errorf("utilisation %v != control %v + shared %v", s, a, b)
	}
	if u := c.UtilisationOf(Shared, 50*ms); u != 1 {
		t.Errorf("shared over a short period %v, want clamped to 1", u)
	}
	if u := c.UtilisationOf(NumChannels, time.Second); u != 0 {
		t.Errorf("unknown channel utilisation %v", u)
	}

	// Lanes and stretch: a 3-tone 10 ms NPUSCH stretched by 1.5 is 45
	// lane-ms, split 30/15 over a step boundary at 10 ms.
	u := NewCarrier(12, 1.5)
	u.Track(10*ms, 2)
	u.Reserve(0, 3, 10*ms) // [0, 15) on 3 lanes
	if a, b := u.BusyIn(Shared, 0), u.BusyIn(Shared, 1); a != float64(30*ms) || b != float64(15*ms) {
		t.Errorf("stretched 3-tone: steps %v, %v; want 30ms, 15ms", time.Duration(a), time.Duration(b))
	}
	// Book adds to a channel's books without placing anything: the 4 ms
	// between a DCI and its NPDSCH.
	g := NewCarrier(1, 1)
	g.Track(10*ms, 2)
	_, e := g.ReserveFor(Control, 0, 1, 8*ms)
	s, _ := g.Reserve(e+int64(4*ms), 1, 3*ms) // [12, 15)
	g.Book(Gap, e, s, 1)
	g.Book(Gap, s, s, 1) // empty: nothing
	if a, b := g.BusyIn(Gap, 0), g.BusyIn(Gap, 1); a != float64(2*ms) || b != float64(2*ms) {
		t.Errorf("gap steps %v, %v; want 2ms, 2ms", time.Duration(a), time.Duration(b))
	}
	if u, ug := g.Utilisation(20*ms), g.UtilisationOf(Gap, 20*ms); math.Abs(u-11.0/20) > 1e-12 || math.Abs(ug-0.2) > 1e-12 {
		t.Errorf("utilisation %v (want 0.55: the gap is not reserved), gap %v (want 0.2)", u, ug)
	}
	// Book places nothing: a reservation back-fills the gap and takes
	// its time out of the Gap books (8..9 ms of step 0).
	if s2, _ := g.Reserve(0, 1, ms); s2 != int64(8*ms) {
		t.Errorf("a reservation after Book starts at %v, want 8ms (Book places nothing)", time.Duration(s2))
	}
	if a, b := g.BusyIn(Gap, 0), g.BusyIn(Gap, 1); a != float64(ms) || b != float64(2*ms) {
		t.Errorf("gap steps after back-filling %v, %v; want 1ms, 2ms", time.Duration(a), time.Duration(b))
	}
	if ug := g.UtilisationOf(Gap, 20*ms); math.Abs(ug-0.15) > 1e-12 {
		t.Errorf("gap utilisation after back-filling %v, want 0.15", ug)
	}
	// A Gap booked over time another reservation holds books only the
	// idle part, and idle time once: [9, 12) is booked already (8..9 was
	// just taken), [15, 18) is new.
	g.Book(Gap, int64(8*ms), int64(18*ms), 1)
	if ug := g.UtilisationOf(Gap, 20*ms); math.Abs(ug-(3+3.0)/20) > 1e-12 {
		t.Errorf("gap utilisation after an overlapping Book %v, want 0.3 (3 ms before, 3 ms more)", ug)
	}

	// Untracked carriers keep totals only.
	v := NewCarrier(1, 1)
	v.Reserve(0, 1, ms)
	if v.BusyIn(Shared, 0) != 0 || v.UtilisationOf(Shared, 10*ms) != 0.1 {
		t.Errorf("untracked: step %v, utilisation %v", v.BusyIn(Shared, 0), v.UtilisationOf(Shared, 10*ms))
	}
}

// TestGridSearchSpace: NPDCCH candidates of a search space with Rmax 8,
// G 4 (T = 32 ms), α_offset 1/8 (k0 at 4 ms + 32 ms·m) and R 2 (Rmax/R = 4
// candidates 2 ms apart), by hand: 4, 6, 8, 10, then 36, 38, …
func TestGridSearchSpace(t *testing.T) {
	ms := int64(time.Millisecond)
	g := Grid{Period: 32 * time.Millisecond, Offset: 4 * time.Millisecond, Step: 2 * time.Millisecond, Count: 4}
	for _, c := range []struct{ at, want int64 }{
		{0, 4}, {4, 4}, {5, 6}, {10, 10}, {11, 36}, {35, 36}, {36, 36}, {43, 68}, {-29, -28}, {-61, -60},
	} {
		if got := g.next(c.at*ms, 1); got != c.want*ms {
			t.Errorf("next(%d ms) = %v, want %d ms", c.at, time.Duration(got), c.want)
		}
	}
	// Stretched 1.5: the candidates are 3 ms apart (4, 7, 10, 13).
	for _, c := range []struct{ at, want int64 }{{5, 7}, {11, 13}, {14, 36}} {
		if got := g.next(c.at*ms, 1.5); got != c.want*ms {
			t.Errorf("stretched next(%d ms) = %v, want %d ms", c.at, time.Duration(got), c.want)
		}
	}
	// R = Rmax: one candidate per period, at k0.
	one := Grid{Period: 32 * time.Millisecond, Offset: 4 * time.Millisecond, Step: 8 * time.Millisecond, Count: 1}
	if got := one.next(5*ms, 1); got != 36*ms {
		t.Errorf("R = Rmax: next(5 ms) = %v, want 36 ms", time.Duration(got))
	}
	if got := (Grid{}).next(7, 1); got != 7 {
		t.Errorf("zero grid moved 7 to %d", got)
	}
	// A DCI requested at t starts at the next free candidate: a 2 ms DCI
	// at 4 ms is taken, one requested at 0 starts at 6 ms; one that does
	// not fit before the 8 ms reservation goes to 10 ms.
	c := NewCarrier(1, 1)
	c.Track(100*time.Millisecond, 1)
	if s, e := c.ReserveIn(Control, 0, 1, 2*time.Millisecond, g); s != 4*ms || e != 6*ms {
		t.Fatalf("first DCI [%v, %v), want [4ms, 6ms)", time.Duration(s), time.Duration(e))
	}
	if gp := c.BusyIn(Gap, 0); gp != 0 {
		t.Fatalf("the wait for the first candidate booked %v as Gap, want none (latency, not load)", time.Duration(gp))
	}
	c.Reserve(9*ms, 1, time.Millisecond) // [9, 10)
	if s, _ := c.ReserveIn(Control, 0, 1, 2*time.Millisecond, g); s != 6*ms {
		t.Fatalf("second DCI at %v, want 6ms", time.Duration(s))
	}
	if s, _ := c.ReserveIn(Control, 0, 1, 2*time.Millisecond, g); s != 10*ms {
		t.Fatalf("third DCI at %v, want 10ms (8 ms does not fit before 9 ms)", time.Duration(s))
	}
	// Its first candidate (4 ms) was taken: the lane idle from there to its
	// start, 8..9 ms, is booked as Gap.
	if gp := c.BusyIn(Gap, 0); gp != float64(ms) {
		t.Fatalf("Gap %v after a DCI pushed past taken candidates, want 1ms (8..9)", time.Duration(gp))
	}
	if s, _ := c.ReserveIn(Control, 0, 1, 2*time.Millisecond, g); s != 36*ms {
		t.Fatalf("fourth DCI at %v, want 36ms (the period's candidates are taken)", time.Duration(s))
	}
}

// TestCarrierBackFill: a short transmission takes a known gap on the
// lanes it needs; a wider one that does not fit waits.
func TestCarrierBackFill(t *testing.T) {
	ms := int64(time.Millisecond)
	c := NewCarrier(12, 1)
	// A CE2-like long transmission far ahead on 0..2 and a short one now
	// on 3..5 leave lanes 0..2 free over [0, 100 ms).
	if s, _ := c.Reserve(100*ms, 3, 500*time.Millisecond); s != 100*ms {
		t.Fatalf("long at %d", s)
	}
	for _, l := range []int{3, 6, 9} {
		if s, _ := c.Reserve(0, 3, time.Second); s != 0 || !slices.Contains(lanesOf(c, int64(time.Second)), l) {
			t.Fatalf("filler at %d, lanes %v", s, lanesOf(c, int64(time.Second)))
		}
	}
	// 3 tones for 60 ms fit in lanes 0..2 before 100 ms; 3 tones for 200 ms
	// do not and start after the long one (600 ms, earlier than 1 s).
	if s, e := c.Reserve(10*ms, 3, 60*time.Millisecond); s != 10*ms || !slices.Equal(lanesOf(c, e), []int{0, 1, 2}) {
		t.Fatalf("back-fill at %d on %v, want 10ms on [0 1 2]", s, lanesOf(c, e))
	}
	if s, _ := c.Reserve(10*ms, 3, 200*time.Millisecond); s != 600*ms {
		t.Fatalf("too long for the gap at %v, want 600ms", time.Duration(s))
	}
	// The 70..100 ms remainder still takes 30 ms.
	if s, _ := c.Reserve(0, 3, 30*time.Millisecond); s != 70*ms {
		t.Fatalf("remainder at %v, want 70ms", time.Duration(s))
	}
	if f, lo := c.Fit(10*ms, 3, time.Millisecond, Grid{}); f != 800*ms || lo != 0 {
		t.Fatalf("Fit %v on %d, want 800ms on 0", time.Duration(f), lo)
	}
}

// TestCarrierHoldPrune: a held slot keeps others out and books nothing;
// released, it is free again; Prune drops the past.
func TestCarrierHoldPrune(t *testing.T) {
	ms := int64(time.Millisecond)
	c := NewCarrier(1, 1)
	c.Reserve(0, 1, 10*time.Millisecond)
	hs, he := c.Hold(0, 5*time.Millisecond, Grid{})
	if hs != 10*ms || he != 15*ms {
		t.Fatalf("hold [%v, %v), want [10ms, 15ms)", time.Duration(hs), time.Duration(he))
	}
	if c.Utilisation(100*time.Millisecond) != 0.1 {
		t.Fatalf("a hold is booked: utilisation %v", c.Utilisation(100*time.Millisecond))
	}
	if s, _ := c.Reserve(0, 1, 2*time.Millisecond); s != 15*ms {
		t.Fatalf("reservation at %v, want 15ms (after the hold)", time.Duration(s))
	}
	c.Release(hs, he)
	if s, _ := c.Reserve(0, 1, 5*time.Millisecond); s != 10*ms {
		t.Fatalf("reservation at %v after release, want 10ms", time.Duration(s))
	}
	c.Reserve(100*ms, 1, time.Millisecond)
	c.Prune(50 * ms)
	if !slices.Equal(c.segs, []seg{{100 * ms, 1}, {101 * ms, 0}}) {
		t.Fatalf("after Prune(50ms): %v", c.segs)
	}
	// A release splitting an interval keeps both sides.
	c.Release(100*ms+ms/2, 100*ms+ms/2+1)
	if !slices.Equal(c.segs, []seg{{100 * ms, 1}, {100*ms + ms/2, 0}, {100*ms + ms/2 + 1, 1}, {101 * ms, 0}}) {
		t.Fatalf("split: %v", c.segs)
	}
	// Released again as a whole, nothing is left.
	c.Release(0, 200*ms)
	if len(c.segs) != 0 {
		t.Fatalf("after releasing everything: %v", c.segs)
	}
}

// TestCarrierReservePair: a DCI and its NPDSCH within the scheduling delay:
// a DCI candidate whose NPDSCH would start too late is skipped.
func TestCarrierReservePair(t *testing.T) {
	ms := int64(time.Millisecond)
	g := Grid{Period: 32 * time.Millisecond, Step: 4 * time.Millisecond, Count: 2} // candidates 0, 4, 32, 36, …
	c := NewCarrier(1, 1)
	c.Track(100*time.Millisecond, 1)
	c.Reserve(10*ms, 1, 20*time.Millisecond) // [10, 30)
	// DCI 4 ms at 0 ends at 4; a 10 ms NPDSCH from 8 does not fit before
	// 10 and would start at 30, 26 ms after the DCI: over a 20 ms maximum.
	// The DCI moves to the first free candidate from 30 − 20 − 4 = 6: 32,
	// its NPDSCH to 40.
	de, s, e := c.ReservePair(0, g, 4*time.Millisecond, 4*time.Millisecond, 20*time.Millisecond, 10*time.Millisecond)
	if de != 36*ms || s != 40*ms || e != 50*ms {
		t.Fatalf("pair: DCI end %v, NPDSCH [%v, %v); want 36ms, [40ms, 50ms)", time.Duration(de), time.Duration(s), time.Duration(e))
	}
	// Books: DCI 4 ms control, 20 + 10 shared; gap: the lane idle while
	// the pair waits past its first candidate (0), 0..10 and 30..32 before
	// the DCI, 36..40 after = 16 ms.
	if a, b, gp := c.BusyIn(Control, 0), c.BusyIn(Shared, 0), c.BusyIn(Gap, 0); a != float64(4*ms) || b != float64(30*ms) || gp != float64(16*ms) {
		t.Fatalf("books control %v shared %v gap %v", time.Duration(a), time.Duration(b), time.Duration(gp))
	}
	// With a maximum delay that allows it, the early candidate is kept and
	// the gap around the other reservation is booked in two parts.
	c = NewCarrier(1, 1)
	c.Track(100*time.Millisecond, 1)
	c.Reserve(10*ms, 1, 20*time.Millisecond)
	if de, s, _ := c.ReservePair(0, g, 4*time.Millisecond, 4*time.Millisecond, 128*time.Millisecond, 10*time.Millisecond); de != 4*ms || s != 30*ms {
		t.Fatalf("long delay: DCI end %v, NPDSCH at %v; want 4ms, 30ms", time.Duration(de), time.Duration(s))
	}
	if gp := c.BusyIn(Gap, 0); gp != float64(6*ms) {
		t.Fatalf("gap %v, want 6ms (4..10; 10..30 is another's)", time.Duration(gp))
	}
}

// TestCarrierFitPairAt: the same case by FitPairAt, then PlacePair where
// it fitted: the pair and the books ReservePair gives (DCI end 36 ms,
// NPDSCH [40, 50), control 4 ms, shared 30, gap 16), and nothing placed
// before PlacePair.
func TestCarrierFitPairAt(t *testing.T) {
	ms := int64(time.Millisecond)
	g := Grid{Period: 32 * time.Millisecond, Step: 4 * time.Millisecond, Count: 2}
	c := NewCarrier(1, 1)
	c.Track(100*time.Millisecond, 1)
	c.Reserve(10*ms, 1, 20*time.Millisecond)
	p := c.FitPairAt(0, g, 4*time.Millisecond, 4*time.Millisecond, 20*time.Millisecond, 10*time.Millisecond)
	if p.DCIEnd != 36*ms || p.Start != 40*ms || p.End != 50*ms {
		t.Fatalf("fit: DCI end %v, NPDSCH [%v, %v); want 36ms, [40ms, 50ms)", time.Duration(p.DCIEnd), time.Duration(p.Start), time.Duration(p.End))
	}
	if a, gp := c.BusyIn(Control, 0), c.BusyIn(Gap, 0); a != 0 || gp != 0 {
		t.Fatalf("FitPairAt booked control %v gap %v", time.Duration(a), time.Duration(gp))
	}
	c.PlacePair(p)
	if a, b, gp := c.BusyIn(Control, 0), c.BusyIn(Shared, 0), c.BusyIn(Gap, 0); a != float64(4*ms) || b != float64(30*ms) || gp != float64(16*ms) {
		t.Fatalf("books control %v shared %v gap %v, want 4ms 30ms 16ms", time.Duration(a), time.Duration(b), time.Duration(gp))
	}
	if s, _ := c.Fit(0, 1, time.Millisecond, Grid{}); s != 0 {
		t.Errorf("lane free from %v, want 0 (before everything)", time.Duration(s))
	}
	if s, _ := c.Fit(32*ms, 1, time.Millisecond, Grid{}); s != 36*ms {
		t.Errorf("after the DCI at 32 ms the lane is free from %v, want 36ms", time.Duration(s))
	}
}

// TestCarrierFirstLane: with the lane order starting at lane 4, single
// tones take 4, 5, …, 11, then wrap to 0; a 3-tone starts at its set
// holding lane 4 (3..5), a 6-tone at 0..5 (the set holding 4), and
// when that is taken the next set in the order; a 12-tone is unchanged.
func TestCarrierFirstLane(t *testing.T) {
	ms := time.Millisecond
	c := NewCarrier(12, 1)
	c.SetFirstLane(4)
	var got []int
	for i := 0; i < 12; i++ {
		s, e := c.Reserve(0, 1, time.Duration(i+1)*ms) // ends apart: lanesOf tells them apart
		if s != 0 {
			t.Fatalf("single tone %d at %d, want 0", i, s)
		}
		got = append(got, lanesOf(c, e)[0])
	}
	if want := []int{4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("single tones on %v, want %v", got, want)
	}
	c = NewCarrier(12, 1)
	c.SetFirstLane(4)
	if _, e := c.Reserve(0, 3, ms); !slices.Equal(lanesOf(c, e), []int{3, 4, 5}) {
		t.Errorf("3-tone on %v, want [3 4 5]", lanesOf(c, e))
	}
	if _, e := c.Reserve(0, 6, 2*ms); !slices.Equal(lanesOf(c, e), []int{6, 7, 8, 9, 10, 11}) {
		t.Errorf("6-tone beside a 3-tone on 3..5: %v, want 6..11", lanesOf(c, e))
	}
	if s, _ := c.Reserve(0, 12, ms); s != int64(2*ms) {
		t.Errorf("12-tone at %d, want 2ms", s)
	}
	c = NewCarrier(12, 1)
	c.SetFirstLane(8)
	if _, e := c.Reserve(0, 6, ms); !slices.Equal(lanesOf(c, e), []int{6, 7, 8, 9, 10, 11}) {
		t.Errorf("6-tone from lane 8: %v, want 6..11", lanesOf(c, e))
	}
	c = NewCarrier(12, 1)
	c.SetFirstLane(12) // out of range: lane 0
	if _, e := c.Reserve(0, 1, ms); !slices.Equal(lanesOf(c, e), []int{0}) {
		t.Errorf("first lane 12 (taken as 0): %v, want [0]", lanesOf(c, e))
	}
}

// TestCarrierForget: Forget drops the steps before k (BusyIn reads 0
// there), keeps the later ones, and a booking into a dropped step is
// counted in Late and not added anywhere; chunks are dropped whole.
func TestCarrierForget(t *testing.T) {
	ms := time.Millisecond
	c := NewCarrier(1, 1)
	n := 3*stepChunk + 5
	c.Track(10*ms, n)
	for k := 0; k < n; k++ {
		c.Reserve(int64(k)*int64(10*ms), 1, ms) // 1 ms in every step
	}
	c.Forget(stepChunk + 7)
	for _, w := range []struct {
		k    int
		busy float64
	}{{0, 0}, {stepChunk + 6, 0}, {stepChunk + 7, float64(ms)}, {n - 1, float64(ms)}} {
		if got := c.BusyIn(Shared, w.k); got != w.busy {
			t.Errorf("BusyIn(Shared, %d) = %v after Forget(%d), want %v", w.k, got, stepChunk+7, w.busy)
		}
	}
	if c.steps[Shared][0] != nil || c.steps[Shared][1] == nil {
		t.Errorf("chunk 0 kept or chunk 1 (partly ahead) dropped")
	}
	if c.Late() != 0 {
		t.Fatalf("Late %d before any late booking", c.Late())
	}
	c.Book(Control, int64(5*ms), int64(7*ms), 1) // step 0: dropped
	if c.Late() != 1 || c.BusyIn(Control, 0) != 0 {
		t.Errorf("late booking: Late %d, BusyIn %v; want 1, 0", c.Late(), c.BusyIn(Control, 0))
	}
	if u := c.UtilisationOf(Control, 10*ms); u != 0.2 {
		t.Errorf("the totals still count a late booking: %v, want 0.2", u)
	}
	c.Forget(2) // backwards: nothing
	if got := c.BusyIn(Shared, stepChunk+7); got != float64(ms) {
		t.Errorf("Forget backwards changed step %d: %v", stepChunk+7, got)
	}
}
