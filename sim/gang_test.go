package sim

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Every task of every phase runs once, what a phase writes is seen by the
// next and by the caller, for 1 to 4 workers and phases of 0 to 9 tasks.
func TestGang(t *testing.T) {
	for workers := 1; workers <= 4; workers++ {
		g := NewGang(workers)
		if g.Workers() != workers {
			t.Fatalf("Workers() = %d, want %d", g.Workers(), workers)
		}
		sums := make([]int, 9) // written by the tasks, no locks
		var used [4]atomic.Int64
		for phase := 0; phase < 3000; phase++ {
			tasks := phase % 10
			g.Run(tasks, func(w, task int) {
				sums[task] += phase
				used[w].Add(1)
			})
		}
		for task, s := range sums {
			want := 0
			for phase := 0; phase < 3000; phase++ {
				if phase%10 > task {
					want += phase
				}
			}
			if s != want {
				t.Errorf("%d workers: task %d summed %d, want %d", workers, task, s, want)
			}
		}
		var n int64
		for w := range used {
			n += used[w].Load()
			if w >= workers && used[w].Load() != 0 {
				t.Errorf("%d workers: worker %d ran tasks", workers, w)
			}
		}
		if n != 300*45 {
			t.Errorf("%d workers: %d tasks ran, want %d", workers, n, 300*45)
		}
		g.Close()
		g.Close() // twice is fine
	}
}

// A closed gang refuses to run.
func TestGangClosed(t *testing.T) {
	g := NewGang(2)
	g.Close()
	defer func() {
		if recover() == nil {
			t.Error("Run on a closed gang did not panic")
		}
	}()
	g.Run(2, func(int, int) {})
}

// gangWork is a task of about 50 µs (a scale-1m window's 9 clusters hold
// about 0.5 ms of work).
func gangWork(x *[16]float64) {
	for i := 0; i < 80000; i++ {
		x[i&15] = x[i&15]*0.999 + 1
	}
}

// BenchmarkGang: one phase of 9 tasks of about 50 µs on 2
// goroutines (the gang's), against a goroutine per worker and phase with
// a WaitGroup (what runClusters did before). ns/op is one phase.
func BenchmarkGang(b *testing.B) {
	var xs [9][16]float64
	b.Run("gang", func(b *testing.B) {
		g := NewGang(2)
		defer g.Close()
		for i := 0; i < b.N; i++ {
			g.Run(9, func(_, t int) { gangWork(&xs[t]) })
		}
	})
	b.Run("goroutines", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var next atomic.Int64
			var wg sync.WaitGroup
			for w := 0; w < 2; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						t := int(next.Add(1)) - 1
						if t >= 9 {
							return
						}
						gangWork(&xs[t])
					}
				}()
			}
			wg.Wait()
		}
	})
	b.Run("serial", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for t := range xs {
				gangWork(&xs[t])
			}
		}
	})
}

// TestGangPanic: a task that panics, on any of the gang's goroutines,
// panics in Run's caller once every goroutine has left the phase (the
// other tasks of the phase may be skipped), with the task's value in the
// message; the gang then runs the next phase as before. Before, a panic
// on a worker's goroutine ended the process (no caller could recover it:
// nbsim sweep fails a run that panics) and one on the caller's left the
// workers in the phase while Close ran.
func TestGangPanic(t *testing.T) {
	for workers := 1; workers <= 4; workers++ {
		g := NewGang(workers)
		for bad := 0; bad < 8; bad++ {
			var running atomic.Int64
			got := func() (v any) {
				defer func() { v = recover() }()
				g.Run(8, func(_, task int) {
					running.Add(1)
					defer running.Add(-1)
					if task == bad {
						panic("task " + string(rune('0'+task)) + " failed")
					}
					gangWork(&[16]float64{})
				})
				return nil
			}()
			if got == nil {
				t.Fatalf("%d workers: task %d panicked, Run returned", workers, bad)
			}
			if s := fmt.Sprint(got); !strings.Contains(s, "task "+string(rune('0'+bad))+" failed") {
				t.Errorf("%d workers: Run panicked with %q, want the task's value", workers, s)
			}
			if r := running.Load(); r != 0 {
				t.Errorf("%d workers: %d tasks still running after Run panicked", workers, r)
			}
			var ran atomic.Int64
			g.Run(9, func(int, int) { ran.Add(1) })
			if ran.Load() != 9 {
				t.Errorf("%d workers: the phase after a panic ran %d of 9 tasks", workers, ran.Load())
			}
		}
		g.Close()
	}
}
