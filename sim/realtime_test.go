package sim

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock under the test's control. In instant mode a timer
// fires at once and moves the clock to its deadline (the driver never
// waits). Otherwise time moves only by Set (no timers fire) and Advance
// (due timers fire), and every NewTimer call is reported on waits, which
// tells the test that the driver is about to block.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	instant bool
	timers  []*fakeTimer
	waits   chan time.Duration
}

type fakeTimer struct {
	at      time.Time
	c       chan time.Time
	fired   bool
	stopped bool
}

var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func newInstantClock() *fakeClock { return &fakeClock{now: epoch, instant: true} }

func newManualClock() *fakeClock {
	return &fakeClock{now: epoch, waits: make(chan time.Duration, 1024)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	t := &fakeTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	if c.instant {
		if d > 0 {
			c.now = t.at
		}
		t.fired = true
		t.c <- c.now
	} else {
		c.timers = append(c.timers, t)
	}
	c.mu.Unlock()
	if c.waits != nil {
		c.waits <- d
	}
	stop := func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if t.fired || t.stopped {
			return false
		}
		t.stopped = true
		return true
	}
	return t.c, stop
}

// Set moves the clock to epoch+v without firing timers.
func (c *fakeClock) Set(v time.Duration) {
	c.mu.Lock()
	c.now = epoch.Add(v)
	c.mu.Unlock()
}

// Advance moves the clock by d and fires the timers now due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		if !t.fired && !t.stopped && !t.at.After(c.now) {
			t.fired = true
			t.c <- c.now
		}
	}
}

// live reports how many timers are neither fired nor stopped.
func (c *fakeClock) live() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.fired && !t.stopped {
			n++
		}
	}
	return n
}

// waitBlocked waits until the driver asks for a timer and checks its length.
func (c *fakeClock) waitBlocked(t *testing.T, want time.Duration) {
	t.Helper()
	select {
	case d := <-c.waits:
		if want >= 0 && d != want {
			t.Fatalf("driver waits %v, want %v", d, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("driver did not block on a timer")
	}
}

type rtResult struct{ err error }

func startRealtime(r *Realtime, ctx context.Context, until Time) <-chan rtResult {
	done := make(chan rtResult, 1)
	go func() { done <- rtResult{r.Run(ctx, until)} }()
	return done
}

func waitDone(t *testing.T, done <-chan rtResult) error {
	t.Helper()
	select {
	case res := <-done:
		return res.err
	case <-time.After(5 * time.Second):
		t.Fatal("Realtime.Run did not return")
		return nil
	}
}

// rtLog records, for each event, its name, the engine time and the wall
// time relative to epoch.
type rtLog struct {
	e   *Engine
	clk *fakeClock
	log []string
}

func (l *rtLog) ev(name string) Func {
	return func() { l.add(name) }
}

func (l *rtLog) add(name string) {
	l.log = append(l.log, fmt.Sprintf("%s v=%v w=%v", name, l.e.Now().D(), l.clk.Now().Sub(epoch)))
}

func (l *rtLog) check(t *testing.T, want []string) {
	t.Helper()
	if !slices.Equal(l.log, want) {
		t.Fatalf("log mismatch\n got: %q\nwant: %q", l.log, want)
	}
}

const ms = time.Millisecond

func TestRealtimeInstantClock(t *testing.T) {
	clk := newInstantClock()
	e := New()
	l := &rtLog{e: e, clk: clk}
	r := NewRealtime(e, clk)
	var lags []time.Duration
	r.OnLag = func(d time.Duration) { lags = append(lags, d) }
	e.At(Time(5*ms), Normal, l.ev("b"), 0, 0)
	e.At(Time(1*ms), Normal, l.ev("a"), 0, 0)
	e.At(Time(5*ms), Urgent, Func(func() {
		l.add("b-urgent")
		e.After(3*ms, l.ev("child"), 0, 0)
		e.After(0, l.ev("now-child"), 0, 0)
	}), 0, 0)
	e.At(Time(20*ms), Normal, l.ev("c"), 0, 0)
	e.At(Time(200*ms), Normal, l.ev("after-until"), 0, 0)
	if err := r.Run(context.Background(), Time(100*ms)); err != nil {
		t.Fatal(err)
	}
	l.check(t, []string{
		"a v=1ms w=1ms",
		"b-urgent v=5ms w=5ms",
		"b v=5ms w=5ms",
		"now-child v=5ms w=5ms",
		"child v=8ms w=8ms",
		"c v=20ms w=20ms",
	})
	if e.Now() != Time(100*ms) {
		t.Fatalf("now = %v, want until", e.Now().D())
	}
	if e.Pending() != 1 || e.NextTime() != Time(200*ms) {
		t.Fatalf("pending=%d next=%v", e.Pending(), e.NextTime())
	}
	if len(lags) != 6 || slices.ContainsFunc(lags, func(d time.Duration) bool { return d != 0 }) {
		t.Fatalf("lags = %v, want six zeros", lags)
	}
}

func TestNewRealtimeDefaultsToSystemClock(t *testing.T) {
	r := NewRealtime(New(), nil)
	if _, ok := r.Clock.(SystemClock); !ok {
		t.Fatalf("Clock = %T", r.Clock)
	}
	var c SystemClock
	if d := time.Since(c.Now()); d < 0 || d > time.Minute {
		t.Fatalf("SystemClock.Now off by %v", d)
	}
	ch, stop := c.NewTimer(time.Hour)
	if !stop() {
		t.Fatal("stop of a pending SystemClock timer = false")
	}
	select {
	case <-ch:
		t.Fatal("stopped timer fired")
	default:
	}
}

// A short run on the real clock: events run, not early, and Run returns.
func TestRealtimeSystemClock(t *testing.T) {
	e := New()
	r := NewRealtime(e, nil)
	start := time.Now()
	var ranAt time.Duration
	e.AfterFunc(2*ms, func() { ranAt = time.Since(start) })
	if err := r.Run(context.Background(), Time(5*ms)); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if ranAt < 2*ms {
		t.Fatalf("event ran after %v, before its 2ms due time", ranAt)
	}
	if took < 5*ms || took > 5*time.Second {
		t.Fatalf("Run(5ms) took %v", took)
	}
	if e.Now() != Time(5*ms) {
		t.Fatalf("now = %v", e.Now().D())
	}
}

func TestRealtimeUntilAndResume(t *testing.T) {
	clk := newInstantClock()
	e := New()
	l := &rtLog{e: e, clk: clk}
	r := NewRealtime(e, clk)
	for _, s := range []int{1, 2, 3} {
		e.At(Time(time.Duration(s)*time.Second), Normal, l.ev(fmt.Sprint(s)), 0, 0)
	}
	if err := r.Run(context.Background(), Time(2500*ms)); err != nil {
		t.Fatal(err)
	}
	l.check(t, []string{"1 v=1s w=1s", "2 v=2s w=2s"})
	if e.Now() != Time(2500*ms) || e.Pending() != 1 {
		t.Fatalf("now=%v pending=%d", e.Now().D(), e.Pending())
	}
	// Resume later on the wall clock: virtual time continues from 2.5s.
	clk.Set(time.Hour)
	if err := r.Run(context.Background(), Time(4*time.Second)); err != nil {
		t.Fatal(err)
	}
	l.check(t, []string{"1 v=1s w=1s", "2 v=2s w=2s", "3 v=3s w=1h0m0.5s"})
	if e.Now() != Time(4*time.Second) {
		t.Fatalf("now = %v", e.Now().D())
	}
	// until at or before now returns at once.
	if err := r.Run(context.Background(), Time(4*time.Second)); err != nil {
		t.Fatal(err)
	}
	if e.Now() != Time(4*time.Second) {
		t.Fatalf("now = %v", e.Now().D())
	}
}

func TestRealtimeInject(t *testing.T) {
	clk := newManualClock()
	e := New()
	l := &rtLog{e: e, clk: clk}
	r := NewRealtime(e, clk)
	e.At(Time(10*ms), Normal, l.ev("A"), 0, 0)
	e.At(Time(20*ms), Late, l.ev("B"), 0, 0)
	e.At(Time(30*ms), Normal, l.ev("C"), 0, 0)
	done := startRealtime(r, context.Background(), Time(50*ms))

	clk.waitBlocked(t, 10*ms)
	// Input taken at wall 25ms, before the driver's timer fired: A and B
	// are overdue and run first, at their own virtual times.
	clk.Set(25 * ms)
	r.Inject(func() { l.add("in1") })
	clk.waitBlocked(t, 5*ms) // next: C at 30ms
	if clk.live() != 1 {
		t.Fatalf("%d live timers, want 1 (the interrupted timer must be stopped)", clk.live())
	}

	// Input at exactly an event's time runs after that event; input that
	// schedules an event.
	clk.Set(30 * ms)
	r.Inject(func() {
		l.add("in2")
		e.After(5*ms, l.ev("D"), 0, 0)
	})
	clk.waitBlocked(t, 5*ms) // D at 35ms
	clk.Advance(5 * ms)
	clk.waitBlocked(t, 15*ms) // until at 50ms
	clk.Advance(15 * ms)
	if err := waitDone(t, done); err != nil {
		t.Fatal(err)
	}
	l.check(t, []string{
		"A v=10ms w=25ms",
		"B v=20ms w=25ms",
		"in1 v=25ms w=25ms",
		"C v=30ms w=30ms",
		"in2 v=30ms w=30ms",
		"D v=35ms w=35ms",
	})
	if e.Now() != Time(50*ms) {
		t.Fatalf("now = %v", e.Now().D())
	}
}

// Input arriving after until must not run events due after until, nor take
// virtual time past it.
func TestRealtimeInjectRespectsUntil(t *testing.T) {
	clk := newManualClock()
	e := New()
	l := &rtLog{e: e, clk: clk}
	r := NewRealtime(e, clk)
	var lags []time.Duration
	r.OnLag = func(d time.Duration) { lags = append(lags, d) }
	e.At(Time(1*time.Second), Normal, l.ev("A"), 0, 0)
	e.At(Time(3*time.Second), Normal, l.ev("at-until"), 0, 0)
	e.At(Time(5*time.Second), Normal, l.ev("after-until"), 0, 0)
	done := startRealtime(r, context.Background(), Time(3*time.Second))
	clk.waitBlocked(t, time.Second)
	clk.Set(10 * time.Second)
	var injectedAt Time
	r.Inject(func() { injectedAt = e.Now(); l.add("in") })
	if err := waitDone(t, done); err != nil {
		t.Fatal(err)
	}
	l.check(t, []string{"A v=1s w=10s", "at-until v=3s w=10s", "in v=3s w=10s"})
	if injectedAt != Time(3*time.Second) {
		t.Fatalf("input ran at %v, want until (3s)", injectedAt.D())
	}
	if e.Now() != Time(3*time.Second) {
		t.Fatalf("now = %v, want until", e.Now().D())
	}
	if e.Pending() != 1 || e.NextTime() != Time(5*time.Second) {
		t.Fatalf("pending=%d next=%v", e.Pending(), e.NextTime().D())
	}
	if !slices.Equal(lags, []time.Duration{9 * time.Second, 7 * time.Second}) {
		t.Fatalf("lags = %v, want [9s 7s] (OnLag on the inject path too)", lags)
	}
}

func TestRealtimeContextCancel(t *testing.T) {
	clk := newManualClock()
	e := New()
	r := NewRealtime(e, clk)
	ran := false
	e.AfterFunc(time.Hour, func() { ran = true })
	ctx, cancel := context.WithCancel(context.Background())
	done := startRealtime(r, ctx, Forever)
	clk.waitBlocked(t, time.Hour)
	clk.Set(time.Minute)
	cancel()
	if err := waitDone(t, done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel = %v, want context.Canceled", err)
	}
	if ran || e.Pending() != 1 {
		t.Fatalf("ran=%v pending=%d", ran, e.Pending())
	}
	if clk.live() != 0 {
		t.Fatalf("%d timers left running after cancel", clk.live())
	}

	// Already-cancelled context, nothing due: returns at once.
	done = startRealtime(r, ctx, Forever)
	clk.waitBlocked(t, -1)
	if err := waitDone(t, done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with cancelled ctx = %v", err)
	}
	// Deadline.
	dctx, dcancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer dcancel()
	done = startRealtime(r, dctx, Forever)
	clk.waitBlocked(t, -1)
	if err := waitDone(t, done); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run past deadline = %v", err)
	}
}

func TestRealtimeOnLag(t *testing.T) {
	clk := newManualClock()
	e := New()
	l := &rtLog{e: e, clk: clk}
	r := NewRealtime(e, clk)
	var lags []time.Duration
	r.OnLag = func(d time.Duration) { lags = append(lags, d) }
	e.At(Time(10*ms), Normal, l.ev("a"), 0, 0)
	e.At(Time(11*ms), Normal, l.ev("b"), 0, 0)
	done := startRealtime(r, context.Background(), Time(20*ms))
	clk.waitBlocked(t, 10*ms)
	clk.Advance(13 * ms) // the driver wakes up 3ms late
	clk.waitBlocked(t, 7*ms)
	clk.Advance(7 * ms)
	if err := waitDone(t, done); err != nil {
		t.Fatal(err)
	}
	l.check(t, []string{"a v=10ms w=13ms", "b v=11ms w=13ms"})
	if !slices.Equal(lags, []time.Duration{3 * ms, 2 * ms}) {
		t.Fatalf("lags = %v, want [3ms 2ms]", lags)
	}
}

// Many goroutines inject concurrently; every input runs exactly once, on the
// engine goroutine, in non-decreasing virtual time.
func TestRealtimeConcurrentInject(t *testing.T) {
	clk := newInstantClock()
	e := New()
	r := NewRealtime(e, clk)
	const workers, each = 8, 200
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := make(map[int]int)
	last := Time(0)
	monotone := true
	// A ticking event keeps virtual time moving while inputs arrive.
	var tick Func
	tick = func() { e.After(ms, tick, 0, 0) }
	e.After(ms, tick, 0, 0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				id := w*each + i
				r.Inject(func() {
					if e.Now() < last {
						monotone = false
					}
					last = e.Now()
					seen[id]++
					if len(seen) == workers*each {
						cancel()
					}
				})
			}
		}()
	}
	err := r.Run(ctx, Forever)
	wg.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	if len(seen) != workers*each {
		t.Fatalf("%d inputs ran, want %d", len(seen), workers*each)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("input %d ran %d times", id, n)
		}
	}
	if !monotone {
		t.Fatal("inputs ran at decreasing virtual times")
	}
}
