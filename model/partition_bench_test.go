//go:build unix

package model

import (
	"context"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/nbsim/nbsim/scenarios"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkClusterPhases is where a split run's CPU goes, phase by phase
// (process CPU time, which other jobs on a shared machine move less than
// wall time): scale-1m at 300,000 devices for 3 h, its 9 clusters on 1
// worker (GOMAXPROCS 1) and on 2. The metrics, in CPU seconds: build
// (placement on the workers), schedule, windows (the windows' phases:
// exchange and engines), between (the serial part between windows), final
// (exchange, flush, fold), merge, results. serial-share is between + merge
// + results over the whole; balance is the makespan bound of the windows
// with 2 workers taking the clusters in the run's order, each window's
// cluster taking time in proportion to its events (deterministic);
// amdahl-2 the speedup two workers could reach from the 1-worker run's
// CPU with those shares.
func BenchmarkClusterPhases(b *testing.B) {
	if testing.Short() {
		b.Skip("long")
	}
	for _, w := range []int{1, 2} {
		b.Run(map[int]string{1: "workers1", 2: "workers2"}[w], func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(w))
			for i := 0; i < b.N; i++ {
				benchPhases(b, w)
			}
		})
	}
}

func benchPhases(b *testing.B, workers int) {
	sc, err := scenarios.Load("scale-1m", []string{"groups.devices.count=300000", "duration=\"3h\""})
	if err != nil {
		b.Fatal(err)
	}
	ph := map[string]time.Duration{}
	t0 := cpuTime()
	n, err := BuildWorkers(sc, sc.Seed, workers)
	if err != nil {
		b.Fatal(err)
	}
	last := cpuTime()
	ph["build"] = last - t0
	var evs [][]int64 // by window, by cluster
	var prev []int64
	n.split.hook = func(phase string, cs []*Network) {
		now := cpuTime()
		key := map[string]string{"scheduled": "schedule", "window": "windows", "between": "between", "final": "final", "merged": "merge"}[phase]
		ph[key] += now - last
		if phase == "window" {
			ev := make([]int64, len(cs))
			for k, c := range cs {
				ev[k] = c.eng.Events()
				if prev != nil {
					ev[k] -= prev[k]
				}
			}
			prev = slices.Clone(ev)
			for k, c := range cs {
				prev[k] = c.eng.Events()
			}
			evs = append(evs, ev)
		}
		last = cpuTime()
	}
	if _, err := n.Run(context.Background(), Options{Workers: workers}); err != nil {
		b.Fatal(err)
	}
	ph["results"] = cpuTime() - last
	var total time.Duration
	for k, v := range ph {
		total += v
		b.ReportMetric(v.Seconds(), k+"-cpu-s")
	}
	serial := ph["between"] + ph["merge"] + ph["results"]
	b.ReportMetric(serial.Seconds()/total.Seconds(), "serial-share")
	bal := listBalance(evs, clusterOrder(n), 2)
	b.ReportMetric(bal, "balance")
	par := total - serial
	b.ReportMetric(total.Seconds()/(serial.Seconds()+par.Seconds()/bal), "amdahl-2")
}

// clusterOrder is the order runClusters hands the clusters out in (the
// most devices first).
func clusterOrder(n *Network) []int {
	devs := make([]int, n.split.n)
	for i := range n.ues {
		devs[n.split.cellOf[n.ues[i].cell]]++
	}
	order := make([]int, n.split.n)
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return devs[b] - devs[a] })
	return order
}

// listBalance is the speedup of w workers over one on windows whose
// clusters cost cost[window][cluster], each worker taking the next cluster
// of order when free: the total over the sum of the windows' makespans.
func listBalance(cost [][]int64, order []int, w int) float64 {
	var total, span int64
	free := make([]int64, w)
	for _, c := range cost {
		clear(free)
		for _, k := range order {
			i := 0
			for j := range free {
				if free[j] < free[i] {
					i = j
				}
			}
			free[i] += c[k]
			total += c[k]
		}
		span += slices.Max(free)
	}
	if span == 0 {
		return 1
	}
	return float64(total) / float64(span)
}

// listBalance on a hand-computed case: clusters of 4, 3, 3, 2 on two
// workers take 4+2 and 3+3 (span 6 of 12: 2×); 5, 1, 1 take 5 and 1+1
// (span 5 of 7).
func TestListBalance(t *testing.T) {
	if got := listBalance([][]int64{{4, 3, 3, 2}}, []int{0, 1, 2, 3}, 2); got != 2 {
		t.Errorf("balance %g, want 2", got)
	}
	if got := listBalance([][]int64{{4, 3, 3, 2}, {5, 1, 1, 0}}, []int{0, 1, 2, 3}, 2); got != 19.0/11 {
		t.Errorf("balance %g, want 19/11", got)
	}
}
