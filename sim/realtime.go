package sim

import (
	"context"
	"time"
)

// Clock is the wall clock as Realtime sees it; tests substitute a fake one.
type Clock interface {
	Now() time.Time
	// NewTimer returns a channel that receives after d, and a stop function.
	NewTimer(d time.Duration) (<-chan time.Time, func() bool)
}

// SystemClock is the real wall clock. It is used only by the live driver,
// never by the model.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// NewTimer wraps time.NewTimer.
func (SystemClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// Realtime drives an Engine against a wall clock: an event at virtual time t
// runs when the wall clock reaches start + t. Input from other goroutines
// (sockets, terminals, APIs) is injected with Inject and runs on the engine's
// goroutine at the virtual time that corresponds to the wall time it was
// taken, so the model stays single-threaded and needs no locks.
type Realtime struct {
	E     *Engine
	Clock Clock
	// OnLag, if set, is called before each event with how late it starts
	// (wall time minus its due time): the scheduling delay.
	OnLag func(time.Duration)

	inject chan func()
	start  time.Time
}

// NewRealtime returns a driver for e using clk (SystemClock if nil).
func NewRealtime(e *Engine, clk Clock) *Realtime {
	if clk == nil {
		clk = SystemClock{}
	}
	return &Realtime{E: e, Clock: clk, inject: make(chan func(), 1024)}
}

// Inject queues f to run on the engine goroutine. It is safe for concurrent use.
// It blocks when 1024 injections are already queued.
func (r *Realtime) Inject(f func()) { r.inject <- f }

// InjectUnless is Inject that gives up when stop is closed (the driver has
// stopped and will never take f); it reports whether f was queued.
func (r *Realtime) InjectUnless(f func(), stop <-chan struct{}) bool {
	select {
	case r.inject <- f:
		return true
	case <-stop:
		return false
	}
}

// virtual returns the virtual time for wall time w.
func (r *Realtime) virtual(w time.Time) Time {
	return Time(w.Sub(r.start))
}

// runDue runs the events due at or before t, reporting their lag.
func (r *Realtime) runDue(t Time) {
	for r.E.NextTime() <= t {
		due := r.E.NextTime()
		if r.OnLag != nil {
			r.OnLag(time.Duration(r.virtual(r.Clock.Now()) - due))
		}
		r.E.Step()
	}
}

// Run drives the engine until ctx is done or virtual time reaches until.
// Virtual time 0 is the wall time Run is called, offset by the engine's
// current time (so a run can resume).
func (r *Realtime) Run(ctx context.Context, until Time) error {
	r.start = r.Clock.Now().Add(-r.E.Now().D())
	for {
		now := r.virtual(r.Clock.Now())
		// Run everything due.
		r.runDue(min(now, until))
		if now >= until {
			r.E.AdvanceTo(until)
			return nil
		}
		r.E.AdvanceTo(now)
		next := r.E.NextTime()
		if next > until {
			next = until
		}
		wait := time.Duration(next - now)
		c, stop := r.Clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			stop()
			return ctx.Err()
		case f := <-r.inject:
			stop()
			// Run events due before the input, then the input at its time.
			// Input taken after until runs at until: events after until
			// stay pending and virtual time does not pass until.
			at := min(r.virtual(r.Clock.Now()), until)
			r.runDue(at)
			r.E.AdvanceTo(at)
			f()
		case <-c:
		}
	}
}
