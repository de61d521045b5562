package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"
	"time"
)

// checkInvariants verifies the 4-ary heap property, that every slot in the
// heap is there once (pending, or cancelled and counted as dead), and that
// the free list accounts for every other slot.
func checkInvariants(t testing.TB, e *Engine) {
	t.Helper()
	if msg := e.q.invalid(); msg != "" {
		t.Fatal(msg)
	}
	inHeap := make(map[uint32]bool, e.q.size())
	live, dead := 0, 0
	e.q.each(func(x *entry) {
		s := x.slot
		if inHeap[s] {
			t.Fatalf("slot %d twice in the queue", s)
		}
		inHeap[s] = true
		if sl := e.slots[s]; sl.pending {
			live++
		} else {
			dead++
			if sl.tgt != 0 {
				t.Fatalf("cancelled slot %d keeps its target", s)
			}
		}
	})
	if live != e.live || dead != e.dead {
		t.Fatalf("heap holds %d pending and %d cancelled entries, engine counts %d and %d", live, dead, e.live, e.dead)
	}
	if len(e.free)+e.q.size() != len(e.slots) {
		t.Fatalf("free %d + queue %d != slots %d", len(e.free), e.q.size(), len(e.slots))
	}
	seen := make(map[uint32]bool, len(e.free))
	for _, s := range e.free {
		if seen[s] || inHeap[s] {
			t.Fatalf("slot %d twice in free list or both free and in the heap", s)
		}
		seen[s] = true
		if e.slots[s].pending {
			t.Fatalf("free slot %d is pending", s)
		}
	}
}

// logger builds SimPy-style "time name" log lines.
type logger struct {
	e   *Engine
	log []string
}

func (l *logger) ev(name string) Func {
	return func() { l.log = append(l.log, fmt.Sprintf("%v %s", l.e.Now().D(), name)) }
}

func (l *logger) check(t *testing.T, want []string) {
	t.Helper()
	if !slices.Equal(l.log, want) {
		t.Fatalf("log mismatch\n got: %q\nwant: %q", l.log, want)
	}
}

func TestTimeConversions(t *testing.T) {
	tm := Time(1500 * time.Millisecond)
	if tm.D() != 1500*time.Millisecond {
		t.Errorf("D() = %v", tm.D())
	}
	if tm.Seconds() != 1.5 {
		t.Errorf("Seconds() = %v", tm.Seconds())
	}
	if got := tm.Add(250 * time.Millisecond); got != Time(1750*time.Millisecond) {
		t.Errorf("Add = %v", got)
	}
	if Forever != Time(math.MaxInt64) {
		t.Errorf("Forever = %d", Forever)
	}
}

func TestEmptyEngine(t *testing.T) {
	e := New()
	if e.Now() != 0 || e.Pending() != 0 || e.Events() != 0 {
		t.Fatalf("new engine not empty: now=%v pending=%d events=%d", e.Now(), e.Pending(), e.Events())
	}
	if e.NextTime() != Forever {
		t.Fatalf("NextTime on empty = %v, want Forever", e.NextTime())
	}
	if e.Step() {
		t.Fatal("Step on empty engine returned true")
	}
	if got := e.Run(Forever); got != 0 {
		t.Fatalf("Run(Forever) on empty = %v, want 0", got)
	}
	if got := e.Run(5); got != 5 || e.Now() != 5 {
		t.Fatalf("Run(5) on empty = %v (now %v), want 5", got, e.Now())
	}
	var zero Engine // the zero value works too
	zero.At(3, Normal, Func(func() {}), 0, 0)
	if !zero.Step() || zero.Now() != 3 {
		t.Fatal("zero Engine does not work")
	}
}

func TestOrderByTime(t *testing.T) {
	e := New()
	l := &logger{e: e}
	for _, ms := range []int{50, 10, 40, 0, 30, 20, 10} {
		e.At(Time(time.Duration(ms)*time.Millisecond), Normal, l.ev(fmt.Sprint(ms)), 0, 0)
	}
	if got := e.NextTime(); got != 0 {
		t.Fatalf("NextTime = %v, want 0", got)
	}
	e.Run(Forever)
	l.check(t, []string{"0s 0", "10ms 10", "10ms 10", "20ms 20", "30ms 30", "40ms 40", "50ms 50"})
	if e.Events() != 7 || e.Pending() != 0 || e.Now() != Time(50*time.Millisecond) {
		t.Fatalf("events=%d pending=%d now=%v", e.Events(), e.Pending(), e.Now())
	}
}

func TestOrderPriorityThenFIFO(t *testing.T) {
	e := New()
	l := &logger{e: e}
	e.At(10, Late, l.ev("late1"), 0, 0)
	e.At(10, Normal, l.ev("normal1"), 0, 0)
	e.At(10, Urgent, l.ev("urgent1"), 0, 0)
	e.At(10, Late, l.ev("late2"), 0, 0)
	e.At(10, Normal, l.ev("normal2"), 0, 0)
	e.At(10, Urgent, l.ev("urgent2"), 0, 0)
	e.At(9, Late, l.ev("early-late"), 0, 0)
	e.At(11, Urgent, l.ev("after-urgent"), 0, 0)
	e.At(10, Normal, l.ev("normal3"), 0, 0)
	e.Run(Forever)
	l.check(t, []string{
		"9ns early-late",
		"10ns urgent1", "10ns urgent2",
		"10ns normal1", "10ns normal2", "10ns normal3",
		"10ns late1", "10ns late2",
		"11ns after-urgent",
	})
}

// Events scheduled from inside an event at the current time take their place
// by (priority, sequence): an Urgent one overtakes pending Normal events at
// the same time, a Normal one queues behind them.
func TestScheduleAtNowFromEvent(t *testing.T) {
	e := New()
	l := &logger{e: e}
	e.At(5, Normal, Func(func() {
		l.log = append(l.log, "5ns A")
		e.At(e.Now(), Normal, l.ev("A-normal-child"), 0, 0)
		e.At(e.Now(), Urgent, l.ev("A-urgent-child"), 0, 0)
		e.At(e.Now(), Late, l.ev("A-late-child"), 0, 0)
	}), 0, 0)
	e.At(5, Normal, l.ev("B"), 0, 0)
	e.At(5, Late, l.ev("C-late"), 0, 0)
	e.Run(Forever)
	l.check(t, []string{"5ns A", "5ns A-urgent-child", "5ns B", "5ns A-normal-child", "5ns C-late", "5ns A-late-child"})
}

// The SimPy introduction's two clocks: at t=1 "slow" runs before "fast"
// because its timeout was scheduled first (at t=0, fast's at t=0.5).
func TestSimPyClocks(t *testing.T) {
	e := New()
	l := &logger{e: e}
	clock := func(name string, tick time.Duration) Func {
		var f Func
		f = func() {
			l.log = append(l.log, fmt.Sprintf("%v %s", e.Now().Seconds(), name))
			e.After(tick, f, 0, 0)
		}
		return f
	}
	e.At(0, Normal, clock("fast", 500*time.Millisecond), 0, 0)
	e.At(0, Normal, clock("slow", time.Second), 0, 0)
	if got := e.Run(Time(2 * time.Second)); got != Time(2*time.Second) {
		t.Fatalf("Run returned %v", got)
	}
	// Unlike SimPy, events at exactly until run.
	l.check(t, []string{
		"0 fast", "0 slow",
		"0.5 fast",
		"1 slow", "1 fast",
		"1.5 fast",
		"2 slow", "2 fast",
	})
	if e.Pending() != 2 {
		t.Fatalf("pending = %d, want 2", e.Pending())
	}
	if e.NextTime() != Time(2500*time.Millisecond) {
		t.Fatalf("NextTime = %v", e.NextTime())
	}
}

type kindArgTarget struct {
	got [][2]int64
}

func (k *kindArgTarget) OnEvent(kind uint16, arg int32) {
	k.got = append(k.got, [2]int64{int64(kind), int64(arg)})
}

func TestTargetKindArg(t *testing.T) {
	e := New()
	k := &kindArgTarget{}
	e.At(1, Normal, k, 0, 0)
	e.At(2, Normal, k, math.MaxUint16, math.MinInt32)
	e.At(3, Normal, k, 7, math.MaxInt32)
	e.After(4, k, 9, -1)
	e.Run(Forever)
	want := [][2]int64{{0, 0}, {math.MaxUint16, math.MinInt32}, {7, math.MaxInt32}, {9, -1}}
	if !slices.Equal(k.got, want) {
		t.Fatalf("got %v, want %v", k.got, want)
	}
}

func TestPastMovesToNow(t *testing.T) {
	e := New()
	l := &logger{e: e}
	e.At(100, Normal, l.ev("first"), 0, 0)
	e.Run(Forever)
	tm := e.At(40, Normal, l.ev("past"), 0, 0)
	if at, ok := e.When(tm); !ok || at != 100 {
		t.Fatalf("When(past) = %v,%v, want 100,true", at, ok)
	}
	tm2 := e.After(-time.Second, l.ev("negative-after"), 0, 0)
	if at, ok := e.When(tm2); !ok || at != 100 {
		t.Fatalf("When(After(-1s)) = %v,%v, want 100,true", at, ok)
	}
	tm3 := e.At(math.MinInt64, Normal, l.ev("min"), 0, 0)
	if at, _ := e.When(tm3); at != 100 {
		t.Fatalf("When(MinInt64) = %v", at)
	}
	e.Run(Forever)
	l.check(t, []string{"100ns first", "100ns past", "100ns negative-after", "100ns min"})
	if e.Now() != 100 {
		t.Fatalf("now = %v, time went backwards or forwards", e.Now())
	}
}

func TestAtStrict(t *testing.T) {
	e := New()
	e.Run(50)
	ran := false
	tm, err := e.AtStrict(49, Normal, Func(func() { ran = true }), 0, 0)
	if !errors.Is(err, ErrPast) {
		t.Fatalf("AtStrict(past) err = %v, want ErrPast", err)
	}
	if tm.Valid() || tm != (Timer{}) {
		t.Fatalf("AtStrict(past) returned non-zero timer %+v", tm)
	}
	if e.Pending() != 0 {
		t.Fatalf("AtStrict(past) scheduled something: pending=%d", e.Pending())
	}
	tm, err = e.AtStrict(50, Urgent, Func(func() { ran = true }), 0, 0)
	if err != nil || !tm.Valid() {
		t.Fatalf("AtStrict(now) = %+v, %v", tm, err)
	}
	if at, ok := e.When(tm); !ok || at != 50 {
		t.Fatalf("When = %v,%v", at, ok)
	}
	e.Run(Forever)
	if !ran {
		t.Fatal("AtStrict(now) event did not run")
	}
}

func TestCancel(t *testing.T) {
	e := New()
	l := &logger{e: e}
	a := e.At(10, Normal, l.ev("a"), 0, 0)
	b := e.At(20, Normal, l.ev("b"), 0, 0)
	c := e.At(30, Normal, l.ev("c"), 0, 0)
	for _, tm := range []Timer{a, b, c} {
		if !tm.Valid() || !e.Scheduled(tm) {
			t.Fatalf("timer %+v not valid/scheduled", tm)
		}
	}
	if at, ok := e.When(b); !ok || at != 20 {
		t.Fatalf("When(b) = %v,%v", at, ok)
	}
	if !e.Cancel(b) {
		t.Fatal("Cancel(pending) = false")
	}
	if e.Scheduled(b) {
		t.Fatal("cancelled timer still Scheduled")
	}
	if at, ok := e.When(b); ok || at != 0 {
		t.Fatalf("When(cancelled) = %v,%v", at, ok)
	}
	if e.Cancel(b) {
		t.Fatal("Cancel twice = true")
	}
	if !b.Valid() {
		t.Fatal("a cancelled timer is still Valid (it was returned by a schedule call)")
	}
	if e.Pending() != 2 {
		t.Fatalf("pending = %d", e.Pending())
	}
	e.Run(Forever)
	l.check(t, []string{"10ns a", "30ns c"})
	if e.Cancel(a) || e.Scheduled(a) {
		t.Fatal("Cancel/Scheduled on fired timer")
	}
	if _, ok := e.When(a); ok {
		t.Fatal("When(fired) ok")
	}
	var zero Timer
	if zero.Valid() || e.Cancel(zero) || e.Scheduled(zero) {
		t.Fatal("zero Timer is valid/cancellable/scheduled")
	}
	if _, ok := e.When(zero); ok {
		t.Fatal("When(zero) ok")
	}
	// A timer from another, bigger engine must not index out of range.
	big := New()
	var last Timer
	for i := 0; i < 10; i++ {
		last = big.At(1, Normal, l.ev("x"), 0, 0)
	}
	small := New()
	if small.Cancel(last) || small.Scheduled(last) {
		t.Fatal("foreign timer cancelled")
	}
}

func TestCancelClearsTarget(t *testing.T) {
	// A cancelled event must not keep its target (often a closure holding
	// model state) reachable until the slot is reused.
	e := New()
	held := func() int {
		n := 0
		for _, t := range e.others {
			if t != nil {
				n++
			}
		}
		return n
	}
	tm := e.AfterFunc(time.Second, func() {})
	if held() != 1 {
		t.Fatalf("%d targets held for one scheduled Func", held())
	}
	e.Cancel(tm)
	if held() != 0 || e.slots[tm.slot].tgt != 0 {
		t.Fatal("cancelled slot still references its target")
	}
	tm = e.AfterFunc(time.Second, func() {})
	e.Run(Forever)
	if held() != 0 || e.slots[tm.slot].tgt != 0 {
		t.Fatal("fired slot still references its target")
	}
}

// The first target that is not a Func becomes the main one (held once, not
// per event); others, Funcs included, are held per event; each event runs
// its own target.
func TestTargets(t *testing.T) {
	e := New()
	var got []string
	a, b := &namer{"a", &got}, &namer{"b", &got}
	e.AfterFunc(3, func() { got = append(got, "f") })
	e.At(1, Normal, a, 0, 0)
	e.At(2, Normal, b, 0, 0)
	e.At(4, Normal, a, 0, 0)
	if e.main != Target(a) || len(e.others) != 2 {
		t.Fatalf("main %v, %d others", e.main, len(e.others))
	}
	e.Run(Forever)
	if !slices.Equal(got, []string{"a", "b", "f", "a"}) {
		t.Fatalf("ran %q", got)
	}
}

// A target of an uncomparable type is never the main one (comparing it
// would panic): it is held per event like a Func.
func TestUncomparableTarget(t *testing.T) {
	e := New()
	var got []string
	e.At(1, Normal, sliceTarget{s: []string{"s"}, got: &got}, 0, 0)
	e.At(2, Normal, sliceTarget{s: []string{"t"}, got: &got}, 0, 0)
	a := &namer{"a", &got}
	e.At(3, Normal, a, 0, 0)
	if e.main != Target(a) {
		t.Fatalf("main %v", e.main)
	}
	e.Run(Forever)
	if !slices.Equal(got, []string{"s", "t", "a"}) {
		t.Fatalf("ran %q", got)
	}
}

type sliceTarget struct {
	s   []string
	got *[]string
}

func (s sliceTarget) OnEvent(uint16, int32) { *s.got = append(*s.got, s.s...) }

type namer struct {
	name string
	got  *[]string
}

func (n *namer) OnEvent(uint16, int32) { *n.got = append(*n.got, n.name) }

func TestCancelInsideEvent(t *testing.T) {
	e := New()
	l := &logger{e: e}
	var self, other Timer
	var selfCancel, otherCancel bool
	self = e.At(10, Normal, Func(func() {
		l.log = append(l.log, "10ns self")
		selfCancel = e.Cancel(self) // already firing
		otherCancel = e.Cancel(other)
		if e.Scheduled(self) {
			t.Error("running event still Scheduled")
		}
	}), 0, 0)
	other = e.At(10, Normal, l.ev("other"), 0, 0)
	e.At(11, Normal, l.ev("later"), 0, 0)
	e.Run(Forever)
	if selfCancel {
		t.Error("Cancel of the running event's own timer = true")
	}
	if !otherCancel {
		t.Error("Cancel of a pending same-time event from inside an event = false")
	}
	l.check(t, []string{"10ns self", "11ns later"})
}

func TestSlotReuseGeneration(t *testing.T) {
	e := New()
	l := &logger{e: e}
	old := e.At(10, Normal, l.ev("old"), 0, 0)
	e.Cancel(old)
	e.NextTime() // drops the cancelled entry from the queue, freeing its slot
	fresh := e.At(20, Normal, l.ev("fresh"), 0, 0)
	if fresh.slot != old.slot {
		t.Fatalf("slot not reused (old %d, new %d): test does not exercise reuse", old.slot, fresh.slot)
	}
	if fresh.gen == old.gen {
		t.Fatal("reused slot kept its generation")
	}
	if e.Scheduled(old) {
		t.Fatal("old timer reports Scheduled after its slot was reused")
	}
	if _, ok := e.When(old); ok {
		t.Fatal("When(old) ok after reuse")
	}
	if e.Cancel(old) {
		t.Fatal("old timer cancelled the new event")
	}
	if !e.Scheduled(fresh) {
		t.Fatal("new event was removed by the old timer")
	}
	e.Run(Forever)
	l.check(t, []string{"20ns fresh"})

	// Reuse after firing: the event's own slot is freed before it runs, so a
	// timer it schedules may reuse it; its stale Timer must not cancel that.
	var stale, child Timer
	stale = e.At(30, Normal, Func(func() {
		child = e.At(40, Normal, l.ev("child"), 0, 0)
		if child.slot != stale.slot {
			t.Errorf("child did not reuse slot (%d vs %d)", child.slot, stale.slot)
		}
		if e.Cancel(stale) {
			t.Error("stale timer cancelled the child")
		}
	}), 0, 0)
	e.Run(35)
	if e.Cancel(stale) {
		t.Fatal("stale timer cancelled the child after the run")
	}
	if at, ok := e.When(child); !ok || at != 40 {
		t.Fatalf("child When = %v,%v", at, ok)
	}
	e.Run(Forever)
	l.check(t, []string{"20ns fresh", "40ns child"})
}

func TestGenerationWrapSkipsZero(t *testing.T) {
	e := New()
	tm := e.At(1, Normal, Func(func() {}), 0, 0)
	e.Cancel(tm)
	e.NextTime()
	e.slots[tm.slot].gen = math.MaxUint32
	tm2 := e.At(1, Normal, Func(func() {}), 0, 0)
	if tm2.slot != tm.slot {
		t.Fatal("slot not reused")
	}
	if !tm2.Valid() || !e.Scheduled(tm2) {
		t.Fatalf("timer after generation wrap is %+v (invalid or not scheduled)", tm2)
	}
	if !e.Cancel(tm2) {
		t.Fatal("cannot cancel timer after generation wrap")
	}
}

func TestRunUntil(t *testing.T) {
	e := New()
	l := &logger{e: e}
	for _, at := range []Time{10, 20, 30, 40} {
		e.At(at, Normal, l.ev("e"), 0, 0)
	}
	if got := e.Run(25); got != 25 || e.Now() != 25 {
		t.Fatalf("Run(25) = %v, now %v", got, e.Now())
	}
	l.check(t, []string{"10ns e", "20ns e"})
	if e.Pending() != 2 || e.NextTime() != 30 {
		t.Fatalf("pending=%d next=%v", e.Pending(), e.NextTime())
	}
	// An event at exactly until runs.
	if got := e.Run(30); got != 30 {
		t.Fatalf("Run(30) = %v", got)
	}
	l.check(t, []string{"10ns e", "20ns e", "30ns e"})
	// until in the past: nothing runs, time does not go back.
	if got := e.Run(5); got != 30 || e.Now() != 30 {
		t.Fatalf("Run(5) = %v, now %v", got, e.Now())
	}
	if e.Pending() != 1 {
		t.Fatalf("pending = %d", e.Pending())
	}
	// Forever drains and leaves Now at the last event.
	if got := e.Run(Forever); got != 40 {
		t.Fatalf("Run(Forever) = %v", got)
	}
	if e.Events() != 4 {
		t.Fatalf("events = %d", e.Events())
	}
}

func TestStop(t *testing.T) {
	e := New()
	l := &logger{e: e}
	e.At(10, Normal, l.ev("a"), 0, 0)
	e.At(20, Normal, Func(func() {
		l.log = append(l.log, "20ns stop")
		e.Stop()
	}), 0, 0)
	e.At(20, Normal, l.ev("same-time-after-stop"), 0, 0)
	e.At(30, Normal, l.ev("c"), 0, 0)
	if got := e.Run(100); got != 20 || e.Now() != 20 {
		t.Fatalf("Run after Stop = %v, now %v; want 20 (not until)", got, e.Now())
	}
	l.check(t, []string{"10ns a", "20ns stop"})
	if e.Pending() != 2 {
		t.Fatalf("pending = %d", e.Pending())
	}
	// Run resets the stop flag and resumes.
	if got := e.Run(100); got != 100 {
		t.Fatalf("resumed Run = %v", got)
	}
	l.check(t, []string{"10ns a", "20ns stop", "20ns same-time-after-stop", "30ns c"})
	// Stop outside Run does not affect the next Run.
	e.At(110, Normal, l.ev("d"), 0, 0)
	e.Stop()
	if got := e.Run(Forever); got != 110 {
		t.Fatalf("Run after stray Stop = %v", got)
	}
}

func TestAdvanceTo(t *testing.T) {
	e := New()
	e.AdvanceTo(10)
	if e.Now() != 10 {
		t.Fatalf("AdvanceTo(10) on empty: now %v", e.Now())
	}
	e.AdvanceTo(5)
	if e.Now() != 10 {
		t.Fatalf("AdvanceTo went backwards: now %v", e.Now())
	}
	e.At(20, Normal, Func(func() {}), 0, 0)
	e.AdvanceTo(25) // would skip a pending event: refused
	if e.Now() != 10 {
		t.Fatalf("AdvanceTo skipped a pending event: now %v", e.Now())
	}
	e.AdvanceTo(20) // up to the event's time is fine
	if e.Now() != 20 {
		t.Fatalf("AdvanceTo(20): now %v", e.Now())
	}
	e.Step()
	if e.Now() != 20 {
		t.Fatalf("now %v", e.Now())
	}
}

func TestStepCountsEvents(t *testing.T) {
	e := New()
	n := 0
	for i := 0; i < 5; i++ {
		e.AfterFunc(time.Duration(i), func() { n++ })
	}
	for i := 1; i <= 5; i++ {
		if !e.Step() {
			t.Fatalf("Step %d = false", i)
		}
		if e.Events() != int64(i) || n != i {
			t.Fatalf("after %d steps events=%d n=%d", i, e.Events(), n)
		}
	}
	if e.Step() {
		t.Fatal("Step on drained engine = true")
	}
}

// ---- randomized stress against a reference implementation ----

type refEv struct {
	at  Time
	pri Priority
	seq uint64
	id  int
}

func refLess(a, b refEv) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if a.pri != b.pri {
		return a.pri < b.pri
	}
	return a.seq < b.seq
}

// refQueue is the obvious implementation: a slice kept sorted.
type refQueue struct {
	q   []refEv
	now Time
	seq uint64
}

func (r *refQueue) schedule(at Time, p Priority, id int) refEv {
	if at < r.now {
		at = r.now
	}
	r.seq++
	ev := refEv{at: at, pri: p, seq: r.seq, id: id}
	i := sort.Search(len(r.q), func(i int) bool { return refLess(ev, r.q[i]) })
	r.q = slices.Insert(r.q, i, ev)
	return ev
}

func (r *refQueue) cancel(ev refEv) bool {
	i := sort.Search(len(r.q), func(i int) bool { return !refLess(r.q[i], ev) })
	if i < len(r.q) && r.q[i].id == ev.id {
		r.q = slices.Delete(r.q, i, i+1)
		return true
	}
	return false
}

func (r *refQueue) pending(ev refEv) bool {
	i := sort.Search(len(r.q), func(i int) bool { return !refLess(r.q[i], ev) })
	return i < len(r.q) && r.q[i].id == ev.id
}

func (r *refQueue) pop() (refEv, bool) {
	if len(r.q) == 0 {
		return refEv{}, false
	}
	ev := r.q[0]
	r.q = r.q[1:]
	r.now = ev.at
	return ev, true
}

type stress struct {
	t      *testing.T
	e      *Engine
	ref    refQueue
	rng    Stream
	timers []Timer
	evs    []refEv
	ran    []int // ids in the engine's run order
	want   []int // ids in the reference's run order
	op     int
}

func (s *stress) OnEvent(kind uint16, arg int32) {
	id := int(arg)
	if int(kind) != id&0xffff {
		s.t.Fatalf("op %d: kind %d for id %d", s.op, kind, id)
	}
	s.ran = append(s.ran, id)
	exp, ok := s.ref.pop()
	if !ok {
		s.t.Fatalf("op %d: engine ran id %d, reference queue is empty", s.op, id)
	}
	s.want = append(s.want, exp.id)
	if exp.id != id {
		s.t.Fatalf("op %d: engine ran id %d (%+v), reference expects id %d (%+v)", s.op, id, s.evs[id], exp.id, exp)
	}
	if s.e.Now() != exp.at {
		s.t.Fatalf("op %d: now %v, want %v", s.op, s.e.Now(), exp.at)
	}
	// Events schedule and cancel too, exercising slot reuse mid-Step.
	switch s.rng.IntN(8) {
	case 0, 1:
		s.schedule()
	case 2:
		s.schedule()
		s.schedule()
	case 3:
		s.cancel()
	}
}

func (s *stress) schedule() {
	var d Time
	switch r := s.rng.IntN(20); {
	case r == 0:
		d = -Time(s.rng.IntN(1000)) // in the past
	case r < 6:
		d = 0 // ties at now
	case r < 12:
		d = Time(s.rng.IntN(10)) // many ties
	case r >= 18:
		d = Time(s.rng.IntN(1<<20)) << s.rng.IntN(31) // up to 13 days: later windows of the calendar
	default:
		d = Time(s.rng.IntN(1_000_000))
	}
	p := Priority(s.rng.IntN(3))
	id := len(s.timers)
	at := s.e.Now() + d
	tm := s.e.At(at, p, s, uint16(id), int32(id))
	s.timers = append(s.timers, tm)
	s.evs = append(s.evs, s.ref.schedule(at, p, id))
	if s.op%16 != 0 {
		return // When searches the queue
	}
	if got, ok := s.e.When(tm); !ok || got != s.evs[id].at {
		s.t.Fatalf("op %d: When(new) = %v,%v want %v", s.op, got, ok, s.evs[id].at)
	}
}

func (s *stress) cancel() {
	if len(s.timers) == 0 {
		return
	}
	// Prefer recent timers, which are more likely to be pending.
	var id int
	if s.rng.Bernoulli(0.5) {
		id = len(s.timers) - 1 - s.rng.IntN(min(len(s.timers), 2000))
	} else {
		id = s.rng.IntN(len(s.timers))
	}
	got := s.e.Cancel(s.timers[id])
	want := s.ref.cancel(s.evs[id])
	if got != want {
		s.t.Fatalf("op %d: Cancel(id %d) = %v, reference %v", s.op, id, got, want)
	}
}

func (s *stress) checkTimer() {
	if len(s.timers) == 0 {
		return
	}
	id := s.rng.IntN(len(s.timers))
	want := s.ref.pending(s.evs[id])
	if got := s.e.Scheduled(s.timers[id]); got != want {
		s.t.Fatalf("op %d: Scheduled(id %d) = %v, reference %v", s.op, id, got, want)
	}
	if s.op%16 != 0 {
		return // When searches the queue
	}
	at, ok := s.e.When(s.timers[id])
	if ok != want || (ok && at != s.evs[id].at) {
		s.t.Fatalf("op %d: When(id %d) = %v,%v, reference %v,%v", s.op, id, at, ok, s.evs[id].at, want)
	}
}

func TestStressAgainstReference(t *testing.T) {
	runStress(t, New())
}

// Cancelled entries stay in the queue until they outnumber the pending ones;
// then the queue drops them all, and the order of the rest is unchanged.
func TestCompact(t *testing.T) {
	e := New()
	var got []int32
	tgt := &recorder{got: &got}
	var tms []Timer
	for i := range 1000 {
		tms = append(tms, e.At(Time(1000-i/2), Priority(i%3), tgt, 0, int32(i)))
	}
	for i, tm := range tms {
		if i%10 != 0 {
			e.Cancel(tm)
		}
	}
	if e.compacts == 0 || e.q.size() > 2*e.Pending() {
		t.Fatalf("%d compactions, %d entries for %d pending", e.compacts, e.q.size(), e.Pending())
	}
	checkInvariants(t, e)
	e.Run(Forever)
	var want []int32
	for i := 999; i >= 0; i-- {
		if i%10 == 0 {
			want = append(want, int32(i))
		}
	}
	// Same time for pairs (i, i+1): the earlier-scheduled one runs first, but
	// only multiples of 10 are left, each at its own time, latest i first.
	if !slices.Equal(got, want) {
		t.Fatalf("order after compaction %v, want %v", got, want)
	}
}

type recorder struct{ got *[]int32 }

func (r *recorder) OnEvent(_ uint16, arg int32) { *r.got = append(*r.got, arg) }

// With the sequence renumbered every few thousand events, the order is the
// same (the reference numbers its events without limit).
func TestStressRenumber(t *testing.T) {
	e := New()
	e.seqCut = seqMax - 16_000 // renumber at 16,000 (pending stays below 9,000)
	e = runStress(t, e)
	if e.renumbers < 5 {
		t.Fatalf("stress renumbered only %d times", e.renumbers)
	}
}

func runStress(t *testing.T, e *Engine) *Engine {
	const ops = 100_000
	s := &stress{t: t, e: e, rng: NewStream(20240601, "stress", 0, "ops")}
	maxPending := 0
	for s.op = 0; s.op < ops; s.op++ {
		// Alternate growing and shrinking phases so the heap gets deep and
		// then empties again.
		grow := (s.op/10000)%2 == 0
		r := s.rng.IntN(100)
		schedP, cancelP := 30, 45
		if grow {
			schedP, cancelP = 65, 72
		}
		switch {
		case r < schedP:
			s.schedule()
		case r < cancelP:
			s.cancel()
		case r < 99:
			before := len(s.ran)
			ran := s.e.Step() // OnEvent checks the id against the reference
			if ran != (len(s.ran) == before+1) {
				t.Fatalf("op %d: Step = %v but %d events ran", s.op, ran, len(s.ran)-before)
			}
			if !ran && len(s.ref.q) != 0 {
				t.Fatalf("op %d: Step = false with %d reference events pending", s.op, len(s.ref.q))
			}
		default:
			until := s.e.Now() + Time(s.rng.IntN(5000))
			if got := s.e.Run(until); got != until {
				t.Fatalf("op %d: Run(%v) = %v", s.op, until, got)
			}
			if len(s.ref.q) > 0 && s.ref.q[0].at <= until {
				t.Fatalf("op %d: Run(%v) left reference event %+v", s.op, until, s.ref.q[0])
			}
			s.ref.now = until
		}
		s.checkTimer()
		if s.e.Pending() != len(s.ref.q) {
			t.Fatalf("op %d: Pending %d, reference %d", s.op, s.e.Pending(), len(s.ref.q))
		}
		maxPending = max(maxPending, len(s.ref.q))
		if s.op%1000 == 0 {
			checkInvariants(t, s.e)
			want := Forever
			if len(s.ref.q) > 0 {
				want = s.ref.q[0].at
			}
			if s.e.NextTime() != want {
				t.Fatalf("op %d: NextTime %v, reference %v", s.op, s.e.NextTime(), want)
			}
			if s.e.Now() != s.ref.now {
				t.Fatalf("op %d: Now %v, reference %v", s.op, s.e.Now(), s.ref.now)
			}
		}
	}
	for s.e.Step() {
	}
	if len(s.ref.q) != 0 {
		t.Fatalf("engine drained with %d reference events left", len(s.ref.q))
	}
	checkInvariants(t, s.e)
	if !slices.Equal(s.ran, s.want) {
		t.Fatal("run order differs from reference")
	}
	if int64(len(s.ran)) != s.e.Events() {
		t.Fatalf("Events %d, ran %d", s.e.Events(), len(s.ran))
	}
	if maxPending < 2000 || len(s.ran) < 50_000 {
		t.Fatalf("stress too weak: max pending %d, %d events run", maxPending, len(s.ran))
	}
	t.Logf("%d timers, %d events run, max pending %d, %d slots, %d compactions, %d renumberings",
		len(s.timers), len(s.ran), maxPending, len(s.e.slots), s.e.compacts, s.e.renumbers)
	return s.e
}
