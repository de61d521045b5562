package sim

import (
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
	for i := 0; i < pending; i++ {
		m.e.At(Time(rng.Float64()*1e9), Priority(i%3), m, 0, int32(i))
	}
	return m
}

// BenchmarkScheduleRun: one op runs (and reschedules) 1M events with about
// 100k events pending.
func BenchmarkScheduleRun(b *testing.B) {
	const pending = 100_000
	const events = 1_000_000
	m := newHold(pending)
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
