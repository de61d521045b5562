package sim

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
)

// Gang runs phases of independent tasks on a fixed set of goroutines (the
// caller's and workers-1 others started once), for a model that advances
// many engines window by window: one phase per window instead of a
// goroutine per task and window. Tasks are taken in the order given, each
// by the first goroutine free (so the longest first balance the load), and
// Run returns when every task of the phase is done. What a task writes is
// visible to the caller when Run returns, and to every task of the next
// phase.
//
// A task that panics ends the phase: the tasks not yet taken are skipped,
// and once every goroutine has left it Run panics in its caller with the
// task's value and stack (a *TaskPanic), so that the caller may recover it
// as it would a panic of its own tasks run serially (nbsim sweep fails
// the run), and the gang can run again.
//
// A goroutine waiting for the next phase spins a little before parking
// (a window's serial part between two phases is usually short), so a
// phase costs a few atomic operations when the machine is not
// oversubscribed, and a channel wake-up otherwise.
type Gang struct {
	workers int
	fn      func(worker, task int)
	tasks   int
	next    atomic.Int64              // next task to take
	left    atomic.Int64              // workers still in the phase
	gen     atomic.Uint64             // phase number: a worker waits for it to change
	sleep   []chan uint64             // by worker-1: wakes a parked worker
	parked  []atomic.Bool             // by worker-1: parked, or about to
	done    chan struct{}             // the last worker out of a phase wakes the caller
	failed  atomic.Pointer[TaskPanic] // the phase's first panic
	closed  bool
}

// TaskPanic is what Run panics with when a task of its phase panicked on
// any of the gang's goroutines: the task's panic value and the stack of
// the goroutine that ran it.
type TaskPanic struct {
	Value any
	Stack []byte
}

func (p *TaskPanic) Error() string {
	return fmt.Sprintf("%v [a sim.Gang task]\n\n%s", p.Value, p.Stack)
}

// Unwrap is the task's panic value if it is an error.
func (p *TaskPanic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// gangSpin is how many times a waiting goroutine polls before it parks:
// briefly, since a window holds far more work than a wake-up costs (a
// phase of 9 tasks of 0.14 µs took 2.2 µs on a gang of 2, 1.3 µs on one
// goroutine, at 2,000 polls) and a spinning goroutine takes the
// CPU from others on a shared machine (BenchmarkClusterPhases' two-worker
// windows at load average 19: 3.61 s of CPU polling 2,000 times, 2.84 s
// parking at once, 2.37 s on one worker).
const gangSpin = 256

// NewGang starts a gang of workers goroutines in all (at least 1: the
// caller of Run alone).
func NewGang(workers int) *Gang {
	g := &Gang{workers: max(1, workers), done: make(chan struct{}, 1)}
	g.sleep = make([]chan uint64, g.workers-1)
	g.parked = make([]atomic.Bool, g.workers-1)
	for w := 1; w < g.workers; w++ {
		g.sleep[w-1] = make(chan uint64, 1)
		go g.loop(w)
	}
	return g
}

// Workers is the number of goroutines that run tasks.
func (g *Gang) Workers() int { return g.workers }

// Run runs fn(worker, task) for task 0..tasks-1 on the gang's goroutines
// (worker 0 is the caller's) and returns when all are done. Not safe for
// concurrent use.
func (g *Gang) Run(tasks int, fn func(worker, task int)) {
	if g.closed {
		panic("sim: Run on a closed Gang")
	}
	if g.workers == 1 || tasks <= 1 {
		for t := 0; t < tasks; t++ {
			fn(0, t)
		}
		return
	}
	g.fn, g.tasks = fn, tasks
	g.next.Store(0)
	g.left.Store(int64(g.workers))
	gen := g.gen.Add(1)
	for w := range g.parked {
		if g.parked[w].Load() {
			select {
			case g.sleep[w] <- gen:
			default: // woken already
			}
		}
	}
	g.work(0)
	g.finish()
	g.wait()
	g.fn = nil
	if p := g.failed.Swap(nil); p != nil {
		panic(p)
	}
}

// Close stops the gang's goroutines; the gang cannot run again.
func (g *Gang) Close() {
	if g.closed {
		return
	}
	g.closed = true
	if g.workers == 1 {
		return
	}
	g.tasks = -1 // the workers' signal to leave
	g.left.Store(int64(g.workers))
	gen := g.gen.Add(1)
	for w := range g.sleep {
		select {
		case g.sleep[w] <- gen:
		default:
		}
	}
	g.finish()
	g.wait()
}

// work takes tasks until none is left, or one panicked: then no other
// task is taken and Run panics once the phase is over.
func (g *Gang) work(w int) {
	defer func() {
		if v := recover(); v != nil {
			g.failed.CompareAndSwap(nil, &TaskPanic{Value: v, Stack: debug.Stack()})
			g.next.Store(1 << 62) // the others take no more
		}
	}()
	for {
		t := int(g.next.Add(1)) - 1
		if t >= g.tasks {
			return
		}
		g.fn(w, t)
	}
}

// finish leaves the phase; the last one out wakes the caller.
func (g *Gang) finish() {
	if g.left.Add(-1) == 0 {
		select {
		case g.done <- struct{}{}:
		default:
		}
	}
}

// wait returns when every worker has left the phase.
func (g *Gang) wait() {
	for i := 0; i < gangSpin; i++ {
		if g.left.Load() == 0 {
			break
		}
		if i%64 == 63 {
			runtime.Gosched()
		}
	}
	for g.left.Load() != 0 {
		<-g.done // (or a wake-up left over from an earlier phase)
	}
}

// loop is worker w's goroutine: it waits for each phase, works, leaves.
func (g *Gang) loop(w int) {
	seen := uint64(0)
	for {
		seen = g.await(w, seen)
		if g.tasks < 0 {
			g.finish()
			return
		}
		g.work(w)
		g.finish()
	}
}

// await returns the phase number once it differs from seen: spinning
// first, then parked on the worker's channel.
func (g *Gang) await(w int, seen uint64) uint64 {
	for i := 0; i < gangSpin; i++ {
		if gen := g.gen.Load(); gen != seen {
			return gen
		}
		if i%64 == 63 {
			runtime.Gosched()
		}
	}
	g.parked[w-1].Store(true)
	for {
		if gen := g.gen.Load(); gen != seen { // Run may have missed parked
			g.parked[w-1].Store(false)
			select { // drop a wake-up it sent anyway
			case <-g.sleep[w-1]:
			default:
			}
			return gen
		}
		<-g.sleep[w-1]
	}
}
