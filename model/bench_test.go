package model_test

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/scenarios"
)

// benchScenario runs sc b.N times and reports simulated events and reports
// per wall-clock second, and the process's peak resident memory.
func benchScenario(b *testing.B, sc *scenarios.Scenario) {
	b.Helper()
	benchRun(b, sc, model.Options{})
}

// benchRun is benchScenario with run options.
func benchRun(b *testing.B, sc *scenarios.Scenario, opt model.Options) {
	b.Helper()
	var events, reports int64
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		n, err := model.Build(sc, sc.Seed)
		if err != nil {
			b.Fatal(err)
		}
		o, err := n.Run(context.Background(), opt)
		if err != nil {
			b.Fatal(err)
		}
		events += n.Events()
		reports += o.Results.KPI.ReportsGenerated
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/s, "events/s")
	b.ReportMetric(float64(reports)/s, "reports/s")
	b.ReportMetric(s/float64(b.N), "s/run")
	if mb := peakRSSMB(); mb > 0 {
		b.ReportMetric(mb, "peak-MB")
	}
}

// peakRSSMB reads the process's peak resident set size (Linux VmHWM).
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func benchLoad(b *testing.B, name string, sets ...string) *scenarios.Scenario {
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		b.Fatal(err)
	}
	return sc
}

// Target: 20,000 devices × 1 simulated day in ≤ 1 s on one core.
func BenchmarkCowCollarsDay(b *testing.B) {
	runtime.GOMAXPROCS(1)
	benchScenario(b, benchLoad(b, "cow-collars"))
}

// Target: ≥ 250,000 simulated uplink reports per second with the full
// access procedure (the reports/s metric).
func BenchmarkReportsPerSecond(b *testing.B) {
	runtime.GOMAXPROCS(1)
	benchScenario(b, benchLoad(b, "cow-collars-rai"))
}

// Cost is linear in devices × simulated time: 10k, 100k and (not with
// -short) 1M devices.
func BenchmarkLinear(b *testing.B) {
	runtime.GOMAXPROCS(1)
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(strconv.Itoa(n)+"-devices", func(b *testing.B) {
			if n > 100_000 && testing.Short() {
				b.Skip("long")
			}
			sc := benchLoad(b, "cow-collars", "groups.collars.count="+strconv.Itoa(n), "duration=1d")
			// keep the load per cell constant: one site per 20,000 collars
			sc.SiteLayout = &scenarios.SiteLayout{Count: max(1, n/20_000), ISDM: 3000, Sectors: 3}
			sc.Groups["collars"].Placement = scenarios.Placement{Shape: "area", MarginM: 1500}
			benchScenario(b, sc)
		})
	}
}

// Target: scale-1m (1,000,000 devices, 150 cells) × 1 day in ≤ 60 s and
// ≤ 1.5 GB peak memory.
func BenchmarkScale1M(b *testing.B) {
	if testing.Short() {
		b.Skip("long")
	}
	runtime.GOMAXPROCS(1)
	sc := benchLoad(b, "scale-1m")
	sc.Duration = scenarios.Duration(24 * time.Hour)
	benchScenario(b, sc)
}

// Target: scale-1m × 1 day at least 1.7 times as fast with 2 workers (its
// 9 clusters on 2 cores) as BenchmarkScale1M's one.
func BenchmarkScale1MWorkers2(b *testing.B) {
	if testing.Short() {
		b.Skip("long")
	}
	runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(1)
	sc := benchLoad(b, "scale-1m")
	sc.Duration = scenarios.Duration(24 * time.Hour)
	benchRun(b, sc, model.Options{Workers: 2})
}

// Encoded signalling must cost at most 3× typed on the cow-collar day.
func BenchmarkSignalling(b *testing.B) {
	runtime.GOMAXPROCS(1)
	for _, mode := range []string{"typed", "encoded"} {
		b.Run(mode, func(b *testing.B) {
			benchScenario(b, benchLoad(b, "cow-collars", "signalling="+mode))
		})
	}
}
