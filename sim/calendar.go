package sim

import "fmt"

// calQueue is a two-level calendar queue: a 4-ary heap holds the events of
// the current window of time (2^calShift ns), a ring of calBuckets unsorted
// buckets the events of the following windows, one window each, and a second
// heap the events beyond the ring. Scheduling into a later window is an
// append; when the near heap runs empty, the next non-empty window's bucket
// moves into it. The near heap orders by (time, priority, sequence) like a
// plain heap, and every entry of a later window is later than every entry of
// the near heap, so the order of events is the plain heap's.
type calQueue struct {
	near   heap4
	cur    int64     // window of near: near holds every entry whose window is <= cur
	ring   [][]entry // calBuckets buckets, allocated with the first entry
	inRing int
	far    heap4 // windows >= cur+calBuckets
	// spare holds the buffers of drained buckets for buckets that fill next:
	// a bucket keeps no memory once drained, so the ring holds about what is
	// queued in it, not what every bucket once held.
	spare [][]entry
}

const (
	calShift   = 30      // a window of 2^30 ns = 1.07 s
	calBuckets = 1 << 14 // 4.9 hours
	calSpare   = 1024    // drained buffers kept
)

func window(t Time) int64 { return int64(t) >> calShift }

func (q *calQueue) push(x entry) {
	switch w := window(x.at); {
	case w <= q.cur:
		q.near.push(x)
	case w < q.cur+calBuckets:
		if q.ring == nil {
			q.ring = make([][]entry, calBuckets)
		}
		b := &q.ring[w&(calBuckets-1)]
		if *b == nil {
			if n := len(q.spare); n > 0 {
				*b = q.spare[n-1]
				q.spare = q.spare[:n-1]
			}
		}
		*b = append(*b, x)
		q.inRing++
	default:
		q.far.push(x)
	}
}

func (q *calQueue) pop() { q.near.pop() }

// top returns the first entry, or nil if the queue is empty.
func (q *calQueue) top() *entry {
	for len(q.near) == 0 {
		if !q.advance() {
			return nil
		}
	}
	return &q.near[0]
}

// advance moves to the next window (or, with the ring empty, straight to the
// first far one): its bucket and the far entries now within the ring's reach
// move in. It reports false when the queue is empty.
func (q *calQueue) advance() bool {
	if q.inRing == 0 {
		if len(q.far) == 0 {
			return false
		}
		q.cur = window(q.far[0].at) - 1
	}
	q.cur++
	if q.inRing > 0 {
		q.drain(&q.ring[q.cur&(calBuckets-1)])
	}
	for len(q.far) > 0 && window(q.far[0].at) < q.cur+calBuckets {
		x := q.far[0]
		q.far.pop()
		q.push(x)
	}
	return true
}

// drain moves bucket b's entries into the near heap and keeps its buffer
// as a spare.
func (q *calQueue) drain(b *[]entry) {
	for _, x := range *b {
		q.near.push(x)
	}
	q.inRing -= len(*b)
	if *b != nil {
		clear(*b)
		if len(q.spare) < calSpare {
			q.spare = append(q.spare, (*b)[:0])
		}
		*b = nil
	}
}

// filter keeps the entries for which keep is true.
func (q *calQueue) filter(keep func(*entry) bool) {
	q.near.filter(keep)
	q.far.filter(keep)
	q.inRing = 0
	for i := range q.ring {
		b := q.ring[i][:0]
		for _, x := range q.ring[i] {
			if keep(&x) {
				b = append(b, x)
			}
		}
		clear(q.ring[i][len(b):])
		q.ring[i] = b
		q.inRing += len(b)
	}
}

// each calls f for every entry (tests).
func (q *calQueue) each(f func(*entry)) {
	for _, h := range [][]entry{q.near, q.far} {
		for i := range h {
			f(&h[i])
		}
	}
	for _, b := range q.ring {
		for i := range b {
			f(&b[i])
		}
	}
}

func (q *calQueue) size() int { return len(q.near) + q.inRing + len(q.far) }

// invalid describes a broken invariant, or returns "" (tests).
func (q *calQueue) invalid() string {
	if msg := q.near.invalid(); msg != "" {
		return "near: " + msg
	}
	if msg := q.far.invalid(); msg != "" {
		return "far: " + msg
	}
	n := 0
	for i, b := range q.ring {
		for _, x := range b {
			w := window(x.at)
			if w <= q.cur || w >= q.cur+calBuckets || int(w&(calBuckets-1)) != i {
				return fmt.Sprintf("entry at %v (window %d) in bucket %d, current window %d", x.at, w, i, q.cur)
			}
		}
		n += len(b)
	}
	if n != q.inRing {
		return fmt.Sprintf("ring holds %d entries, counted %d", n, q.inRing)
	}
	for _, x := range q.near {
		if window(x.at) > q.cur {
			return fmt.Sprintf("near entry at %v after the current window %d", x.at, q.cur)
		}
	}
	for _, x := range q.far {
		if window(x.at) < q.cur+calBuckets {
			return fmt.Sprintf("far entry at %v within the ring (current window %d)", x.at, q.cur)
		}
	}
	return ""
}
