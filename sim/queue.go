package sim

import (
	"fmt"
	"slices"
)

// heap4 is a 4-ary min-heap of entries (shallower than a binary heap: fewer
// cache misses on large queues).
type heap4 []entry

func (h *heap4) push(x entry) {
	*h = append(*h, x)
	q := *h
	i := len(q) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !x.less(&q[p]) {
			break
		}
		q[i] = q[p]
		i = p
	}
	q[i] = x
}

// pop removes the top.
func (h *heap4) pop() {
	q := *h
	last := len(q) - 1
	x := q[last]
	q[last] = entry{}
	*h = q[:last]
	if last > 0 {
		h.down(0, x)
	}
}

// down puts x at i and sifts it down.
func (h heap4) down(i int, x entry) {
	n := len(h)
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if h[j].less(&h[m]) {
				m = j
			}
		}
		if !h[m].less(&x) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = x
}

// filter keeps the entries for which keep is true and restores the heap
// (O(n)).
func (h *heap4) filter(keep func(*entry) bool) {
	q := slices.DeleteFunc(*h, func(x entry) bool { return !keep(&x) })
	*h = q
	for i := (len(q) - 2) / 4; len(q) > 1 && i >= 0; i-- { // every parent, last first
		q.down(i, q[i])
	}
}

// queue is the engine's event queue: the calendar queue (see doc.go for the
// choice and its figures).
type queue = calQueue

// invalid describes a broken heap property, or returns "" (tests).
func (h heap4) invalid() string {
	for i := 1; i < len(h); i++ {
		if p := (i - 1) / 4; h[i].less(&h[p]) {
			return fmt.Sprintf("heap property broken: [%d]=%+v < parent [%d]=%+v", i, h[i], p, h[p])
		}
	}
	return ""
}
