package mac

import (
	"math"
	"slices"
	"testing"
	"time"
)

// lanesOf reports which lanes a reservation ending at end occupies.
func lanesOf(c *Carrier, end int64) []int {
	var l []int
	for i, f := range c.free {
		if f == end {
			l = append(l, i)
		}
	}
	return l
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
	// No back-filling: a later request for an earlier time queues behind.
	if s, e := c.Reserve(0, 1, 10*time.Millisecond); s != 110*ms || e != 120*ms {
		t.Fatalf("second [%d, %d), want [110ms, 120ms)", s, e)
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
	if s2, _ := g.Reserve(0, 1, ms); s2 != int64(15*ms) {
		t.Errorf("a reservation after Book starts at %v, want 15ms (Book places nothing)", time.Duration(s2))
	}

	// Untracked carriers keep totals only.
	v := NewCarrier(1, 1)
	v.Reserve(0, 1, ms)
	if v.BusyIn(Shared, 0) != 0 || v.UtilisationOf(Shared, 10*ms) != 0.1 {
		t.Errorf("untracked: step %v, utilisation %v", v.BusyIn(Shared, 0), v.UtilisationOf(Shared, 10*ms))
	}
}
