package sim

import (
	"math"
	"strconv"
	"testing"
)

// holdModel is the classic "hold" benchmark: every event reschedules itself
// at now + a random delay, so the queue size stays constant.
type holdModel struct {
	e      *Engine
	delays []Time // pre-drawn so the benchmark measures the engine, not the RNG
	i      int
}

func (m *holdModel) OnEvent(kind uint16, arg int32) {
	m.i = (m.i + 1) & (len(m.delays) - 1)
	m.e.At(m.e.Now()+m.delays[m.i], Priority(arg%3), m, kind, arg)
}

func newHold(pending int) *holdModel {
	rng := NewStream(1, "bench", 0, "hold")
	m := &holdModel{e: New(), delays: make([]Time, 1<<16)}
	for i := range m.delays {
		m.delays[i] = Time(rng.Exp() * 1e9) // mean 1 s
	}
	m.fill(pending, rng)
	return m
}

// modelDelays are the delays a cow-collar day schedules its events at (the
// histogram of at - now over its 1.45 M events, by powers of two): the
// access procedure's steps (ms), the inactivity and PSM timers (s), the next
// report (hours) and the TAU timer (a day and more).
var modelDelays = []struct {
	share  float64
	lo, hi int // log2 ns
}{
	{0.49, 22, 26}, {0.20, 27, 29}, {0.20, 33, 35}, {0.01, 35, 43}, {0.09, 43, 44}, {0.01, 46, 47},
}

// newHoldModel is newHold with the model's delays.
func newHoldModel(pending int) *holdModel {
	rng := NewStream(1, "bench", 0, "hold-model")
	m := &holdModel{e: New(), delays: make([]Time, 1<<16)}
	for i := range m.delays {
		u := rng.Float64()
		for _, d := range modelDelays {
			if u -= d.share; u < 0 || d == modelDelays[len(modelDelays)-1] {
				m.delays[i] = Time(math.Exp2(float64(d.lo) + rng.Float64()*float64(d.hi-d.lo)))
				break
			}
		}
	}
	m.fill(pending, rng)
	return m
}

func (m *holdModel) fill(pending int, rng Stream) {
	for i := 0; i < pending; i++ {
		m.e.At(m.delays[rng.IntN(len(m.delays))], Priority(i%3), m, 0, int32(i))
	}
}

// BenchmarkScheduleRun: one op runs (and reschedules) 1M events with about
// 100k events pending.
func BenchmarkScheduleRun(b *testing.B) {
	benchHold(b, newHold(100_000))
}

// BenchmarkScheduleRunModel: the hold model with the delays of a cow-collar
// day, at the pending count of cow-collars (40k) and of scale-1m (2M).
func BenchmarkScheduleRunModel(b *testing.B) {
	for _, n := range []int{40_000, 2_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchHold(b, newHoldModel(n)) })
	}
}

func benchHold(b *testing.B, m *holdModel) {
	const events = 1_000_000
	pending := m.e.Pending()
	// Warm up so the heap's time distribution is in steady state.
	for i := 0; i < pending; i++ {
		m.e.Step()
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := 0; i < events; i++ {
			m.e.Step()
		}
	}
	if m.e.Pending() != pending {
		b.Fatalf("pending %d", m.e.Pending())
	}
	n := float64(b.N) * events
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/event")
	b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCancel: cancel a pending timer and schedule a replacement (the
// "restart a guard timer" pattern) with 100k pending.
func BenchmarkCancel(b *testing.B) {
	const pending = 100_000
	m := newHold(0) // only for its engine and delays
	timers := make([]Timer, pending)
	for i := range timers {
		timers[i] = m.e.At(Time(i)*1000+1e9, Normal, m, 0, int32(i))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if !m.e.Cancel(timers[i]) {
			b.Fatal("cancel failed")
		}
		timers[i] = m.e.At(m.e.Now()+1e9+m.delays[i&(len(m.delays)-1)], Normal, m, 0, int32(i))
		i++
		if i == pending {
			i = 0
		}
	}
}

var (
	sinkU uint64
	sinkF float64
	sinkI int
	sinkB bool
)

func BenchmarkStream(b *testing.B) {
	s := NewStream(3, "bench", 0, "stream")
	b.Run("New", func(b *testing.B) {
		var i uint64
		for b.Loop() {
			st := NewStream(3, "ue", i, "arrival")
			sinkU += st.lo
			i++
		}
	})
	b.Run("Uint64", func(b *testing.B) {
		for b.Loop() {
			sinkU += s.Uint64()
		}
	})
	b.Run("Float64", func(b *testing.B) {
		for b.Loop() {
			sinkF += s.Float64()
		}
	})
	b.Run("IntN", func(b *testing.B) {
		for b.Loop() {
			sinkI += s.IntN(1000)
		}
	})
	b.Run("Exp", func(b *testing.B) {
		for b.Loop() {
			sinkF += s.Exp()
		}
	})
	b.Run("Norm", func(b *testing.B) {
		for b.Loop() {
			sinkF += s.Norm()
		}
	})
	b.Run("Beta34", func(b *testing.B) {
		for b.Loop() {
			sinkF += s.Beta34()
		}
	})
	b.Run("Bernoulli", func(b *testing.B) {
		for b.Loop() {
			sinkB = sinkB != s.Bernoulli(0.3)
		}
	})
}

// bareHeap is the yardstick of BenchmarkScheduleRun: a typed 4-ary heap of
// (time, key) pairs and nothing else (no targets, no cancellation, no
// dispatch), running the same hold model at the same pending count.
type bareHeap []struct {
	at  Time
	key uint64
}

func (h *bareHeap) push(at Time, key uint64) {
	*h = append(*h, struct {
		at  Time
		key uint64
	}{at, key})
	q := *h
	i := len(q) - 1
	x := q[i]
	for i > 0 {
		p := (i - 1) / 4
		if q[p].at < x.at || q[p].at == x.at && q[p].key < x.key {
			break
		}
		q[i] = q[p]
		i = p
	}
	q[i] = x
}

func (h *bareHeap) pop() (Time, uint64) {
	q := *h
	top := q[0]
	n := len(q) - 1
	x := q[n]
	q = q[:n]
	*h = q
	i := 0
	for n > 0 {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < min(c+4, n); j++ {
			if q[j].at < q[m].at || q[j].at == q[m].at && q[j].key < q[m].key {
				m = j
			}
		}
		if x.at < q[m].at || x.at == q[m].at && x.key < q[m].key {
			break
		}
		q[i] = q[m]
		i = m
	}
	if n > 0 {
		q[i] = x
	}
	return top.at, top.key
}

// BenchmarkBareHeap: the hold loops of BenchmarkScheduleRun and
// BenchmarkScheduleRunModel on bareHeap.
func BenchmarkBareHeap(b *testing.B) {
	benchBare(b, newHold(0), 100_000)
}

func BenchmarkBareHeapModel(b *testing.B) {
	for _, n := range []int{40_000, 2_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchBare(b, newHoldModel(0), n) })
	}
}

func benchBare(b *testing.B, m *holdModel, pending int) {
	const events = 1_000_000
	rng := NewStream(1, "bench", 0, "bare")
	h := make(bareHeap, 0, pending+1)
	var seq uint64
	for i := 0; i < pending; i++ {
		seq++
		h.push(m.delays[rng.IntN(len(m.delays))], uint64(i%3)<<56|seq)
	}
	hold := func() {
		at, key := h.pop()
		m.i = (m.i + 1) & (len(m.delays) - 1)
		seq++
		h.push(at+m.delays[m.i], key&(3<<56)|seq)
	}
	for i := 0; i < pending; i++ {
		hold()
	}
	for b.Loop() {
		for i := 0; i < events; i++ {
			hold()
		}
	}
	n := float64(b.N) * events
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/event")
	b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
}
