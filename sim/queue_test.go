package sim

import (
	"slices"
	"testing"
)

// heapQueue is the plain 4-ary heap behind the queue methods: the
// reference the calendar queue is checked against.
type heapQueue struct{ h heap4 }

func (q *heapQueue) push(x entry) { q.h.push(x) }
func (q *heapQueue) pop()         { q.h.pop() }

// top returns the first entry, or nil if the queue is empty.
func (q *heapQueue) top() *entry {
	if len(q.h) == 0 {
		return nil
	}
	return &q.h[0]
}

// filter keeps the entries for which keep is true.
func (q *heapQueue) filter(keep func(*entry) bool) { q.h.filter(keep) }

func (q *heapQueue) size() int { return len(q.h) }

// The calendar queue and the plain heap pop the same entries in the same
// order, for times spread from nanoseconds to weeks (near heap, ring and far
// heap all used), with interleaved pushes, pops and filters.
func TestQueuesAgree(t *testing.T) {
	var cal calQueue
	var hp heapQueue
	rng := NewStream(7, "queue", 0, "agree")
	var now Time
	var seq uint32
	var popped, most, inRing, far int // the largest sizes seen
	for op := 0; op < 200_000; op++ {
		pushP := 40 // phases of growing and shrinking
		if (op/20_000)%2 == 0 {
			pushP = 70
		}
		switch r := rng.IntN(100); {
		case r < pushP:
			// a delay of up to 2^20 ns shifted by up to 2^30: up to 13 days
			d := Time(rng.IntN(1<<20)) << rng.IntN(31)
			seq++
			x := entry{at: now + d, key: uint32(rng.IntN(3))<<seqBits | seq, slot: seq}
			cal.push(x)
			hp.push(x)
		case r < 99:
			a, b := cal.top(), hp.top()
			if (a == nil) != (b == nil) {
				t.Fatalf("op %d: calendar top %v, heap top %v", op, a, b)
			}
			if a == nil {
				continue
			}
			if *a != *b {
				t.Fatalf("op %d: calendar top %+v, heap top %+v", op, *a, *b)
			}
			if a.at < now {
				t.Fatalf("op %d: time went back from %v to %v", op, now, a.at)
			}
			now = a.at
			cal.pop()
			hp.pop()
			popped++
		default:
			if rng.IntN(10) != 0 {
				continue
			}
			drop := uint32(rng.IntN(7))
			keep := func(x *entry) bool { return x.slot%7 != drop }
			cal.filter(keep)
			hp.filter(keep)
		}
		most = max(most, cal.size())
		inRing, far = max(inRing, cal.inRing), max(far, len(cal.far))
		if cal.size() != hp.size() {
			t.Fatalf("op %d: calendar holds %d, heap %d", op, cal.size(), hp.size())
		}
		if op%5000 == 0 {
			if msg := cal.invalid(); msg != "" {
				t.Fatalf("op %d: %s", op, msg)
			}
		}
	}
	var rest []entry
	for x := cal.top(); x != nil; x = cal.top() {
		rest = append(rest, *x)
		cal.pop()
	}
	var want []entry
	for x := hp.top(); x != nil; x = hp.top() {
		want = append(want, *x)
		hp.pop()
	}
	if !slices.Equal(rest, want) {
		t.Fatal("draining the queues gave different orders")
	}
	if popped < 50_000 || most < 2000 || inRing == 0 || far == 0 || cal.cur < 100 {
		t.Fatalf("test too weak: %d popped, at most %d queued (%d in the ring, %d far), %d windows", popped, most, inRing, far, cal.cur)
	}
	t.Logf("%d popped, at most %d queued (%d in the ring, %d far), %d left, window %d", popped, most, inRing, far, len(rest), cal.cur)
}
