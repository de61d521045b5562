package sim

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"time"
)

// Time is virtual time in nanoseconds since the start of a run. It converts
// to and from time.Duration without loss.
type Time int64

// Forever is a time after every event.
const Forever = Time(math.MaxInt64)

// D returns t as a time.Duration since the start.
func (t Time) D() time.Duration { return time.Duration(t) }

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// Add returns t + d.
func (t Time) Add(d time.Duration) Time { return t + Time(d) }

// Priority orders events that fall at the same time: Urgent before Normal
// before Late.
type Priority uint8

// Event priorities.
const (
	Urgent Priority = iota
	Normal
	Late
)

// Target receives events. Kind and Arg are the caller's own: a model usually
// has one Target that dispatches on kind to an entity numbered arg, so that
// scheduling allocates nothing.
type Target interface {
	OnEvent(kind uint16, arg int32)
}

// Func is a Target for one-off callbacks (allocates; keep it off hot paths).
type Func func()

// OnEvent runs f.
func (f Func) OnEvent(uint16, int32) { f() }

// Timer identifies a scheduled event so it can be cancelled. The zero Timer
// is never scheduled.
type Timer struct {
	slot int32
	gen  uint32
}

// Valid reports whether t was returned by a schedule call (it may have fired
// or been cancelled since).
func (t Timer) Valid() bool { return t.gen != 0 }

// ErrPast is returned when an event is scheduled before the current time.
var ErrPast = errors.New("sim: event scheduled in the past")

// slot is a scheduled event's target, kind and argument: 16 bytes and no
// pointer (the garbage collector does not scan the slots). The target is the
// engine's main one (tgt 0: the first target that is not a Func, in a model
// its Network) or others[tgt-1].
type slot struct {
	arg     int32
	tgt     uint32
	kind    uint16
	pending bool
	gen     uint32
}

// entry is one scheduled event in the queue: 16 bytes, four to a cache line.
// A cancelled event's entry stays in the queue (its slot no longer pending)
// until it reaches the top or the queue is compacted: cancelling is O(1) and
// nothing in the queue points back into it.
type entry struct {
	at   Time
	key  uint32 // priority<<seqBits | sequence
	slot uint32
}

// The sequence number takes the low seqBits of an entry's key, the priority
// the two above. Before the sequence runs out, renumber gives the pending
// events fresh numbers 1..n in their order, so the order never changes.
const (
	seqBits = 30
	seqMax  = 1<<seqBits - 1
)

func (a *entry) less(b *entry) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.key < b.key
}

// Engine is a discrete-event scheduler. It is not safe for concurrent use:
// everything that touches the model runs on the goroutine that runs the
// engine (Realtime injects outside input onto that goroutine).
type Engine struct {
	now    Time
	seq    uint32
	seqCut uint32 // lowers the renumbering point below seqMax (tests)
	q      queue
	slots  []slot
	free   []uint32
	main   Target
	others []Target // targets other than main, by slot.tgt-1 (nil: free)
	freeT  []uint32 // free indices of others
	live   int      // pending events
	dead   int      // cancelled entries still in the queue
	events int64
	stop   bool
	// how often the queue was compacted and renumbered (tests)
	compacts, renumbers int
}

// New returns an engine at time 0.
func New() *Engine { return &Engine{} }

// Now returns the current virtual time.
func (e *Engine) Now() Time { return e.now }

// Events returns how many events have run.
func (e *Engine) Events() int64 { return e.events }

// Pending returns how many events are scheduled.
func (e *Engine) Pending() int { return e.live }

// NextTime returns the time of the next event, or Forever if none.
func (e *Engine) NextTime() Time {
	x := e.clean()
	if x == nil {
		return Forever
	}
	return x.at
}

// clean drops cancelled entries from the front of the queue and returns the
// next pending event's entry, or nil if none is pending.
func (e *Engine) clean() *entry {
	for {
		x := e.q.top()
		if x == nil || e.slots[x.slot].pending {
			return x
		}
		s := x.slot
		e.q.pop()
		e.dead--
		e.free = append(e.free, s)
	}
}

// At schedules tgt.OnEvent(kind, arg) at time t with priority p. A time
// before Now is moved to Now (and counted as a model error by callers that
// care: see AtStrict).
func (e *Engine) At(t Time, p Priority, tgt Target, kind uint16, arg int32) Timer {
	if t < e.now {
		t = e.now
	}
	if p > 3 {
		panic("sim: priority out of range")
	}
	var s uint32
	if n := len(e.free); n > 0 {
		s = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		e.slots = append(e.slots, slot{})
		s = uint32(len(e.slots) - 1)
	}
	sl := &e.slots[s]
	sl.tgt, sl.kind, sl.arg, sl.pending = e.targetIndex(tgt), kind, arg, true
	sl.gen++
	if sl.gen == 0 {
		sl.gen = 1
	}
	if e.seq >= seqMax-e.seqCut {
		e.renumber()
	}
	e.seq++
	e.live++
	e.q.push(entry{at: t, key: uint32(p)<<seqBits | e.seq, slot: s})
	return Timer{slot: int32(s), gen: sl.gen}
}

// AtStrict is At but returns ErrPast instead of moving a past time to now.
func (e *Engine) AtStrict(t Time, p Priority, tgt Target, kind uint16, arg int32) (Timer, error) {
	if t < e.now {
		return Timer{}, ErrPast
	}
	return e.At(t, p, tgt, kind, arg), nil
}

// After schedules an event d after now with Normal priority.
func (e *Engine) After(d time.Duration, tgt Target, kind uint16, arg int32) Timer {
	return e.At(e.now+Time(d), Normal, tgt, kind, arg)
}

// AfterFunc runs f after d (allocates a closure; for tests and rare events).
func (e *Engine) AfterFunc(d time.Duration, f func()) Timer {
	return e.After(d, Func(f), 0, 0)
}

// Scheduled reports whether t is still pending.
func (e *Engine) Scheduled(t Timer) bool {
	if t.gen == 0 || uint(t.slot) >= uint(len(e.slots)) {
		return false
	}
	sl := &e.slots[t.slot]
	return sl.gen == t.gen && sl.pending
}

// When returns the time a pending timer fires, and false if it is not pending.
// It searches the queue (O(n)): for tests and diagnostics.
func (e *Engine) When(t Timer) (Time, bool) {
	if !e.Scheduled(t) {
		return 0, false
	}
	var at Time
	e.q.each(func(x *entry) {
		if x.slot == uint32(t.slot) {
			at = x.at
		}
	})
	return at, true
}

// targetIndex returns the slot's tgt for target t (see slot).
func (e *Engine) targetIndex(t Target) uint32 {
	if t == e.main { // main is comparable, and no Func: safe
		return 0
	}
	if e.main == nil {
		if _, ok := t.(Func); !ok && reflect.TypeOf(t).Comparable() {
			e.main = t
			return 0
		}
	}
	if n := len(e.freeT); n > 0 {
		i := e.freeT[n-1]
		e.freeT = e.freeT[:n-1]
		e.others[i] = t
		return i + 1
	}
	e.others = append(e.others, t)
	return uint32(len(e.others))
}

// target returns slot sl's target and releases it from sl, so that a fired
// or cancelled event does not keep its target reachable.
func (e *Engine) target(sl *slot) Target {
	if sl.tgt == 0 {
		return e.main
	}
	i := sl.tgt - 1
	t := e.others[i]
	e.others[i] = nil
	e.freeT = append(e.freeT, i)
	sl.tgt = 0
	return t
}

// Cancel removes a pending timer. It returns false if the timer already
// fired, was cancelled, or is the zero Timer.
func (e *Engine) Cancel(t Timer) bool {
	if !e.Scheduled(t) {
		return false
	}
	sl := &e.slots[t.slot]
	sl.pending = false
	e.target(sl) // do not keep a cancelled target reachable
	e.live--
	e.dead++
	if e.dead > 64 && e.dead > e.live {
		e.compact()
	}
	return true
}

// Step runs the next event, if any, and reports whether one ran.
func (e *Engine) Step() bool {
	x := e.clean()
	if x == nil {
		return false
	}
	top := *x
	e.q.pop()
	sl := &e.slots[top.slot]
	tgt, kind, arg := e.target(sl), sl.kind, sl.arg
	sl.pending = false
	e.free = append(e.free, top.slot)
	e.live--
	e.now = top.at
	e.events++
	tgt.OnEvent(kind, arg)
	return true
}

// Run runs events until none is left, until Stop is called, or until the
// next event is after until (then Now becomes until). It returns Now.
func (e *Engine) Run(until Time) Time {
	e.stop = false
	for !e.stop {
		if x := e.clean(); x == nil || x.at > until {
			break
		}
		e.Step()
	}
	if !e.stop && until != Forever && e.now < until {
		e.now = until
	}
	return e.now
}

// Stop makes Run return after the current event.
func (e *Engine) Stop() { e.stop = true }

// AdvanceTo moves the clock forward to t without running events; events due
// before t must have been run. Used by the real-time driver.
func (e *Engine) AdvanceTo(t Time) {
	if x := e.clean(); t > e.now && (x == nil || x.at >= t) {
		e.now = t
	}
}

// compact drops every cancelled entry from the queue (O(n), when cancelled
// entries outnumber pending ones: amortised O(1) per cancel).
func (e *Engine) compact() {
	e.q.filter(func(x *entry) bool {
		if e.slots[x.slot].pending {
			return true
		}
		e.free = append(e.free, x.slot)
		return false
	})
	e.dead = 0
	e.compacts++
}

// renumber gives the pending events sequence numbers 1..n in their order
// (time, priority, sequence), so that numbering can go on without changing
// the order. Once every 2^30 events.
func (e *Engine) renumber() {
	e.compact()
	e.renumbers++
	var all []entry
	e.q.filter(func(x *entry) bool {
		all = append(all, *x)
		return false
	})
	slices.SortFunc(all, func(a, b entry) int {
		if a.less(&b) {
			return -1
		}
		return 1
	})
	for i := range all {
		all[i].key = all[i].key&^seqMax | uint32(i+1)
		e.q.push(all[i])
	}
	e.seq = uint32(len(all))
}
