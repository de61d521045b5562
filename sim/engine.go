package sim

import (
	"errors"
	"math"
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

type slot struct {
	target Target
	arg    int32
	kind   uint16
	gen    uint32
	pos    int32 // index in heap, -1 when free
}

type entry struct {
	at   Time
	key  uint64 // priority<<56 | sequence
	slot int32
}

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
	seq    uint64
	heap   []entry
	slots  []slot
	free   []int32
	events int64
	stop   bool
}

// New returns an engine at time 0.
func New() *Engine { return &Engine{} }

// Now returns the current virtual time.
func (e *Engine) Now() Time { return e.now }

// Events returns how many events have run.
func (e *Engine) Events() int64 { return e.events }

// Pending returns how many events are scheduled.
func (e *Engine) Pending() int { return len(e.heap) }

// NextTime returns the time of the next event, or Forever if none.
func (e *Engine) NextTime() Time {
	if len(e.heap) == 0 {
		return Forever
	}
	return e.heap[0].at
}

// At schedules tgt.OnEvent(kind, arg) at time t with priority p. A time
// before Now is moved to Now (and counted as a model error by callers that
// care: see AtStrict).
func (e *Engine) At(t Time, p Priority, tgt Target, kind uint16, arg int32) Timer {
	if t < e.now {
		t = e.now
	}
	var s int32
	if n := len(e.free); n > 0 {
		s = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		e.slots = append(e.slots, slot{})
		s = int32(len(e.slots) - 1)
	}
	sl := &e.slots[s]
	sl.target, sl.kind, sl.arg = tgt, kind, arg
	sl.gen++
	if sl.gen == 0 {
		sl.gen = 1
	}
	e.seq++
	e.heap = append(e.heap, entry{at: t, key: uint64(p)<<56 | e.seq, slot: s})
	i := len(e.heap) - 1
	sl.pos = int32(i)
	e.up(i)
	return Timer{slot: s, gen: sl.gen}
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
	if t.gen == 0 || int(t.slot) >= len(e.slots) {
		return false
	}
	sl := &e.slots[t.slot]
	return sl.gen == t.gen && sl.pos >= 0
}

// When returns the time a pending timer fires, and false if it is not pending.
func (e *Engine) When(t Timer) (Time, bool) {
	if !e.Scheduled(t) {
		return 0, false
	}
	return e.heap[e.slots[t.slot].pos].at, true
}

// Cancel removes a pending timer. It returns false if the timer already
// fired, was cancelled, or is the zero Timer.
func (e *Engine) Cancel(t Timer) bool {
	if !e.Scheduled(t) {
		return false
	}
	i := int(e.slots[t.slot].pos)
	e.removeAt(i)
	e.slots[t.slot].target = nil // do not keep a cancelled target reachable
	return true
}

// Step runs the next event, if any, and reports whether one ran.
func (e *Engine) Step() bool {
	if len(e.heap) == 0 {
		return false
	}
	top := e.heap[0]
	e.removeAt(0)
	sl := &e.slots[top.slot]
	tgt, kind, arg := sl.target, sl.kind, sl.arg
	sl.target = nil
	e.now = top.at
	e.events++
	tgt.OnEvent(kind, arg)
	return true
}

// Run runs events until none is left, until Stop is called, or until the
// next event is after until (then Now becomes until). It returns Now.
func (e *Engine) Run(until Time) Time {
	e.stop = false
	for !e.stop && len(e.heap) > 0 && e.heap[0].at <= until {
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
	if t > e.now && (len(e.heap) == 0 || e.heap[0].at >= t) {
		e.now = t
	}
}

func (e *Engine) removeAt(i int) {
	h := e.heap
	s := h[i].slot
	last := len(h) - 1
	if i != last {
		h[i] = h[last]
		e.slots[h[i].slot].pos = int32(i)
	}
	e.heap = h[:last]
	if i != last {
		if !e.down(i) {
			e.up(i)
		}
	}
	e.slots[s].pos = -1
	e.free = append(e.free, s)
}

// 4-ary heap: shallower than binary, fewer cache misses on large queues.
func (e *Engine) up(i int) {
	h := e.heap
	x := h[i]
	for i > 0 {
		p := (i - 1) / 4
		if !x.less(&h[p]) {
			break
		}
		h[i] = h[p]
		e.slots[h[i].slot].pos = int32(i)
		i = p
	}
	h[i] = x
	e.slots[x.slot].pos = int32(i)
}

func (e *Engine) down(i0 int) bool {
	h := e.heap
	n := len(h)
	i := i0
	x := h[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if h[j].less(&h[m]) {
				m = j
			}
		}
		if !h[m].less(&x) {
			break
		}
		h[i] = h[m]
		e.slots[h[i].slot].pos = int32(i)
		i = m
	}
	h[i] = x
	e.slots[x.slot].pos = int32(i)
	return i > i0
}
