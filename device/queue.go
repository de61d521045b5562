package device

import "github.com/nbsim/nbsim/sim"

// Queue is one of a device's FIFOs of times (its reports waiting to be
// sent, the downlink held for it), oldest first, kept in a Queues store:
// 4 bytes in the UE and nothing else while it is empty, which it is for
// nearly every device nearly all the time. The zero Queue is empty.
type Queue uint32 // 0: empty, else 1 + the store's slot

// Queues holds the non-empty queues of a population of devices (one per
// network, or per cluster of a split run: a device's queues are always in
// the same store). A slot freed when its queue empties keeps its buffer
// for the next.
type Queues struct {
	bufs [][]sim.Time
	free []uint32
}

// Len is q's length.
func (s *Queues) Len(q Queue) int {
	if q == 0 {
		return 0
	}
	return len(s.bufs[q-1])
}

// At is q's i-th time, oldest first (0 <= i < Len).
func (s *Queues) At(q Queue, i int) sim.Time { return s.bufs[q-1][i] }

// Times is a copy of q's times, oldest first (nil if empty).
func (s *Queues) Times(q Queue) []sim.Time {
	if q == 0 {
		return nil
	}
	return append([]sim.Time(nil), s.bufs[q-1]...)
}

// Push appends t to q.
func (s *Queues) Push(q *Queue, t sim.Time) {
	if *q == 0 {
		if n := len(s.free); n > 0 {
			*q = Queue(s.free[n-1])
			s.free = s.free[:n-1]
		} else {
			s.bufs = append(s.bufs, nil)
			*q = Queue(len(s.bufs))
		}
	}
	s.bufs[*q-1] = append(s.bufs[*q-1], t)
}

// PopFront removes q's oldest time and returns it (q must not be empty).
func (s *Queues) PopFront(q *Queue) sim.Time {
	t := s.bufs[*q-1][0]
	s.DropFront(q, 1)
	return t
}

// DropFront removes q's k oldest times (all of them if k >= Len).
func (s *Queues) DropFront(q *Queue, k int) {
	if *q == 0 || k <= 0 {
		return
	}
	b := s.bufs[*q-1]
	if k >= len(b) {
		s.Clear(q)
		return
	}
	s.bufs[*q-1] = b[:copy(b, b[k:])]
}

// Clear empties q.
func (s *Queues) Clear(q *Queue) {
	if *q == 0 {
		return
	}
	s.bufs[*q-1] = s.bufs[*q-1][:0]
	s.free = append(s.free, uint32(*q))
	*q = 0
}
