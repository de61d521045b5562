package emulate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// jumpClock is a wall clock that jumps: every timer fires at once and moves
// the clock to its deadline, so a live run goes as fast as the CPU allows
// while the driver behaves exactly as under the real clock.
type jumpClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *jumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *jumpClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	t := c.now
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- t
	return ch, func() bool { return false }
}

// ks is the two-sample Kolmogorov–Smirnov statistic (gonum's).
func ks(a, b []float64) float64 {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return stat.KolmogorovSmirnov(a, nil, b, nil)
}

// The emulator drives the same models as `nbsim run`: modules that power on
// together (and do not ask for PSM, as the scenario's devices here) and then send a 64-byte report every 10 minutes through their AT
// ports see the same access-delay and latency distributions as the devices
// of the equivalent scenario run in virtual time (two-sample KS test at
// α = 0.001).
func TestSameDistributionsAsRun(t *testing.T) {
	const n = 300
	sets := []string{"duration=1h", fmt.Sprintf("groups.modules.count=%d", n), "groups.modules.power_on.model=at-once",
		"groups.modules.initially_attached=false", "groups.modules.psm.enabled=false",
		// Three cells, so that 300 modules switched on together attach
		// without many failed attempts: a failed attach waits for T3411
		// in the firmware's case, while a scenario's report arriving
		// meanwhile starts the next attempt at once, which would make the
		// two differ for a reason that is not the driver.
		"site_layout.sectors=3",
		"groups.modules.report.period=10m", "groups.modules.report.stagger_window=10m", "groups.modules.report.uplink_bytes=64"}
	sc, err := scenarios.Load("lab", sets)
	if err != nil {
		t.Fatal(err)
	}
	// The scenario run.
	net0, err := model.Build(sc, 7)
	if err != nil {
		t.Fatal(err)
	}
	out, err := net0.Run(context.Background(), model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runAccess := out.Samples.AccessDelaysMs
	// The latencies of the run come from its KPI only as quantiles; take
	// the samples from a live-mode copy of the same model instead below,
	// and compare the run's quantiles with them.
	runLat := out.Results.Groups["modules"].KPI.LatencyMs
	runAttach := out.Results.Groups["modules"].KPI.AttachTimeMs

	// The emulation: the same network, modules whose firmware sends the
	// same reports (a 36-byte UDP payload: 64 bytes with the IPv4 and UDP
	// headers, as the scenario's 64-byte reports).
	sink, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	dst := sink.LocalAddr().(*net.UDPAddr).AddrPort()
	clk := &jumpClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	e, err := New(Config{Scenario: sc, Modules: n, Seed: 7, Clock: clk, AutoConnect: true})
	if err != nil {
		t.Fatal(err)
	}
	payload := "AT+NSOST=0," + dst.Addr().String() + fmt.Sprintf(",%d,36,", dst.Port()) + hex36
	eng := e.net.Engine()
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < n; i++ {
		i := i
		// Firmware: a socket once registered, then a report every 10 min
		// from a random phase, as the scenario's staggered reports.
		phase := time.Duration(rng.Float64() * float64(10*time.Minute))
		eng.AfterFunc(30*time.Second, func() { e.mods[i].m.Input([]byte("AT+NSOCR=DGRAM,17,5000\r")) })
		for k := 0; ; k++ {
			at := 30*time.Second + phase + time.Duration(k)*10*time.Minute
			if at >= time.Hour {
				break
			}
			eng.AfterFunc(at, func() { e.mods[i].m.Input([]byte(payload + "\r")) })
		}
	}
	if err := e.RunFor(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	access, _, latency := e.Samples()
	// Attach time as the firmware sees it: switched on at 0 (AUTOCONNECT),
	// registered when +CEREG says so.
	var attach []float64
	for _, d := range e.FirstRegistrations() {
		attach = append(attach, float64(d)/1e6)
	}
	if len(access) < n || len(latency) < n {
		t.Fatalf("emulation: %d access delays, %d latencies: too few", len(access), len(latency))
	}
	crit := func(a, b int) float64 { return 1.95 * math.Sqrt(float64(a+b)/float64(a*b)) } // α = 0.001
	if d := ks(access, runAccess); d > crit(len(access), len(runAccess)) {
		t.Errorf("access delay: KS D = %.3f > %.3f (emulation %d samples, run %d)", d, crit(len(access), len(runAccess)), len(access), len(runAccess))
	}
	// Latency and attach time: the run's p50/p95 against the emulation's
	// samples: the fraction of emulation samples below each must be near
	// 0.50 / 0.95.
	if len(attach) < n*9/10 {
		t.Fatalf("emulation: %d attach times for %d modules", len(attach), n)
	}
	for _, c := range []struct {
		name    string
		samples []float64
		run     report.Dist
	}{{"latency", latency, runLat}, {"attach time", attach, runAttach}} {
		slices.Sort(c.samples)
		for _, q := range []struct {
			p float64
			v float64
		}{{0.50, c.run.P50}, {0.95, c.run.P95}} {
			k, _ := slices.BinarySearch(c.samples, q.v)
			frac := float64(k) / float64(len(c.samples))
			if math.Abs(frac-q.p) > 0.1 {
				t.Errorf("%s: the run's p%.0f (%.0f ms) is the emulation's p%.0f", c.name, q.p*100, q.v, frac*100)
			}
		}
	}
	t.Logf("attach time: run p50 %.0f ms p95 %.0f ms; emulation %d samples", runAttach.P50, runAttach.P95, len(attach))
	q := func(x []float64, p float64) float64 {
		x = slices.Clone(x)
		slices.Sort(x)
		return x[int(p*float64(len(x)-1))]
	}
	t.Logf("access p10/p50/p90: emulation %.0f/%.0f/%.0f run %.0f/%.0f/%.0f; latency emulation p50 %.0f p95 %.0f", q(access, .1), q(access, .5), q(access, .9), q(runAccess, .1), q(runAccess, .5), q(runAccess, .9), q(latency, .5), q(latency, .95))
	t.Logf("access delay: emulation %d samples, run %d, KS D = %.3f; latency run p50 %.0f ms p95 %.0f ms", len(access), len(runAccess), ks(access, runAccess), runLat.P50, runLat.P95)
}

// hex36 is a 36-byte payload.
var hex36 = func() string {
	s := ""
	for i := 0; i < 36; i++ {
		s += "00"
	}
	return s
}()
