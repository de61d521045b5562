package model_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden results under testdata/golden")

// run builds and runs sc with seed.
func run(t testing.TB, sc *scenarios.Scenario, seed uint64) *model.Output {
	t.Helper()
	n, err := model.Build(sc, seed)
	if err != nil {
		t.Fatalf("build %s: %v", sc.Name, err)
	}
	o, err := n.Run(context.Background(), model.Options{})
	if err != nil {
		t.Fatalf("run %s: %v", sc.Name, err)
	}
	return o
}

func load(t testing.TB, name string, sets ...string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return sc
}

// shrink scales a scenario down for -short runs: fewer devices, at most
// maxDur of simulated time. It keeps every mechanism.
func shrink(sc *scenarios.Scenario, div int, maxDur time.Duration) {
	for _, g := range sc.Groups {
		g.Count = max(20, g.Count/div)
		// A group read from a CSV keeps its first rows.
		if pts := g.Placement.Points; pts != nil {
			g.Count = min(g.Count, len(pts))
			g.Placement.Points = pts[:g.Count]
		}
		if cv := g.Coverage; cv != nil && cv.Rows != nil {
			g.Count = min(g.Count, len(cv.Rows))
			cv.Rows = cv.Rows[:g.Count]
		}
	}
	if sc.Duration.D() > maxDur {
		sc.Duration = scenarios.Duration(maxDur)
	}
}

// checkAccounting verifies the identities every run must satisfy.
func checkAccounting(t *testing.T, name string, r *report.Results) {
	t.Helper()
	check := func(where string, k report.KPI) {
		if k.ReportsGenerated != k.ReportsDelivered+k.ReportsDropped+k.ReportsInFlight {
			t.Errorf("%s %s: generated %d != delivered %d + dropped %d + in flight %d", name, where,
				k.ReportsGenerated, k.ReportsDelivered, k.ReportsDropped, k.ReportsInFlight)
		}
		if k.MTGenerated != k.MTDelivered+k.MTDropped+k.MTInFlight {
			t.Errorf("%s %s: mt generated %d != delivered %d + dropped %d + in flight %d", name, where,
				k.MTGenerated, k.MTDelivered, k.MTDropped, k.MTInFlight)
		}
		if k.AccessSuccesses+k.AccessFailures > k.AccessAttempts {
			t.Errorf("%s %s: successes %d + failures %d > attempts %d", name, where, k.AccessSuccesses, k.AccessFailures, k.AccessAttempts)
		}
		if p := k.AccessSuccessProbability; p < 0 || p > 1 || math.IsNaN(p) {
			t.Errorf("%s %s: access success probability %v", name, where, p)
		}
	}
	check("total", r.KPI)
	for g, gr := range r.Groups {
		check("group "+g, gr.KPI)
	}
	var dropped int64
	for _, v := range r.DropsByCause {
		dropped += v
	}
	if dropped != r.KPI.ReportsDropped {
		t.Errorf("%s: drops by cause sum %d != reports dropped %d", name, dropped, r.KPI.ReportsDropped)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

// Every shipped scenario runs (shrunk in -short mode) and keeps its books.
func TestShippedScenarios(t *testing.T) {
	for _, info := range scenarios.Shipped() {
		t.Run(info.Name, func(t *testing.T) {
			sc := load(t, info.Name)
			if testing.Short() {
				shrink(sc, 100, 6*time.Hour)
			} else if info.Name == "scale-1m" {
				t.Skip("scale-1m runs in the benchmarks (make bench)")
			} else if info.Name == "country-10m" {
				t.Skip("country-10m runs as shards (docs/scale.md)")
			}
			o := run(t, sc, sc.Seed)
			checkAccounting(t, info.Name, o.Results)
			if o.Results.KPI.ReportsGenerated == 0 && o.Results.KPI.AccessAttempts == 0 {
				t.Errorf("%s: nothing happened", info.Name)
			}
			if _, err := report.Evaluate(o.Results, sc.Expect); err != nil {
				t.Errorf("%s: expectations do not resolve: %v", info.Name, err)
			}
		})
	}
}

// Same scenario and seed give byte-identical results (apart from perf);
// another seed gives different ones.
func TestDeterminism(t *testing.T) {
	sc := load(t, "../testdata/small.yaml")
	marshal := func(seed uint64) []byte {
		o := run(t, sc, seed)
		r := o.Results.WithoutPerf()
		b, err := report.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		var csv bytes.Buffer
		if err := report.TimeSeriesCSV(&csv, o.Series); err != nil {
			t.Fatal(err)
		}
		return append(b, csv.Bytes()...)
	}
	a, b := marshal(7), marshal(7)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, different results")
	}
	if c := marshal(8); bytes.Equal(a, c) {
		t.Fatal("different seeds, identical results")
	}
}

// The small scenario's results.json is golden.
func TestGolden(t *testing.T) {
	sc := load(t, "../testdata/small.yaml")
	o := run(t, sc, sc.Seed)
	ex, err := report.Evaluate(o.Results, sc.Expect)
	if err != nil {
		t.Fatal(err)
	}
	o.Results.Expectations = ex
	r := o.Results.WithoutPerf()
	got, err := report.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "testdata", "golden", "small", "results.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./model -run TestGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("results differ from %s (if the change is intended: go test ./model -run TestGolden -update)\n%s", path, firstDiff(got, want))
	}
}

func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d vs %d lines", len(la), len(lb))
}

// The field results: collars reporting every 3 hours last about 5 years with
// PSM, 6 with C-DRX and 7 with RAI (±20 %), and the features rank in that order.
func TestCollarBatteryFieldResults(t *testing.T) {
	want := map[string]float64{"cow-collars-psm": 5, "cow-collars-cdrx": 6, "cow-collars-rai": 7}
	got := map[string]float64{}
	for name, years := range want {
		sc := load(t, name)
		if testing.Short() {
			shrink(sc, 10, 24*time.Hour)
		}
		o := run(t, sc, sc.Seed)
		y := o.Results.Groups["collars"].KPI.BatteryYears.Mean
		got[name] = y
		if y < 0.8*years || y > 1.2*years {
			t.Errorf("%s: battery_years.mean %.2f, want %.1f ± 20%%", name, y, years)
		}
	}
	if !(got["cow-collars-psm"] < got["cow-collars-cdrx"] && got["cow-collars-cdrx"] < got["cow-collars-rai"]) {
		t.Errorf("battery life should rank psm < cdrx < rai: %v", got)
	}
}

// Synchronised reporting with default access parameters congests the cell;
// the recommended set-up (staggered, tuned) does not.
func TestSynchronisedCongestion(t *testing.T) {
	div := 1
	if testing.Short() {
		div = 4
	}
	syncSc := load(t, "cow-collars-sync", "duration=3h")
	stagSc := load(t, "cow-collars", "duration=3h")
	shrink(syncSc, div, 3*time.Hour)
	shrink(stagSc, div, 3*time.Hour)
	sr := run(t, syncSc, 1).Results
	s := sr.KPI
	g := run(t, stagSc, 1).Results.KPI
	if !(s.AccessSuccessProbability < 0.9) {
		t.Errorf("synchronised: access success %.3f, want congestion (< 0.9)", s.AccessSuccessProbability)
	}
	// The scenario states its congestion in expect: and passes (exit 0 on
	// purpose).
	if ex, err := report.Evaluate(sr, syncSc.Expect); err != nil || len(ex) == 0 {
		t.Errorf("cow-collars-sync expect: %v, %v", ex, err)
	} else {
		for _, e := range ex {
			if !e.OK {
				t.Errorf("cow-collars-sync: %s does not hold (value %g)", e.Expr, e.Value)
			}
		}
	}
	if !(g.AccessSuccessProbability >= 0.99) {
		t.Errorf("staggered and tuned: access success %.3f, want ≥ 0.99", g.AccessSuccessProbability)
	}
	// Tuning alone (a longer backoff, more NPRACH resources) also removes it.
	tunedSc := load(t, "cow-collars-sync", "duration=3h", "random_access.backoff_index=10",
		"random_access.ce.0.periodicity=40ms", "random_access.ce.0.num_subcarriers=24",
		"random_access.ce.1.subcarrier_offset=24", "random_access.ce.2.subcarrier_offset=36")
	shrink(tunedSc, div, 3*time.Hour)
	if tk := run(t, tunedSc, 1).Results.KPI; !(tk.AccessSuccessProbability >= 0.99) {
		t.Errorf("synchronised but tuned: access success %.3f, want ≥ 0.99", tk.AccessSuccessProbability)
	}
	if !(s.PreambleTransmissionsMean > g.PreambleTransmissionsMean) {
		t.Errorf("preamble transmissions: sync %.2f vs staggered %.2f", s.PreambleTransmissionsMean, g.PreambleTransmissionsMean)
	}
}

// Mobile-terminated data for a device in PSM waits for its next report and is
// delivered then, not before.
func TestDownlinkHeldDuringPSM(t *testing.T) {
	sc := load(t, "../testdata/small.yaml")
	m := sc.Groups["meters"]
	delete(sc.Groups, "trackers")
	m.Count = 50
	m.Report.ReplyProbability = 0
	m.Downlink.MeanInterval = scenarios.Duration(30 * time.Minute)
	m.PSM.T3324 = scenarios.Duration(2 * time.Second)
	o := run(t, sc, 3)
	k := o.Results.KPI
	if k.MTDelivered == 0 {
		t.Fatal("no downlink delivered")
	}
	// Reports every hour, the device reachable only for seconds after each:
	// most downlink waits minutes.
	if k.MTLatencyMs.P50 < 60_000 {
		t.Errorf("median downlink latency %.0f ms: downlink was not held while in PSM", k.MTLatencyMs.P50)
	}
	// With PSM off the device is paged within a DRX cycle.
	m.PSM.Enabled = false
	o = run(t, sc, 3)
	if p := o.Results.KPI.MTLatencyMs.P95; p > 30_000 {
		t.Errorf("without PSM, p95 downlink latency %.0f ms: paging should reach the device within seconds", p)
	}
}

// Devices beyond the maximum coupling loss are counted, not dropped silently.
func TestOutOfCoverageCounted(t *testing.T) {
	sc := load(t, "../testdata/small.yaml", "groups.meters.penetration_loss_db=200", "groups.meters.penetration_std_db=0")
	o := run(t, sc, 1)
	mk := o.Results.Groups["meters"].KPI
	if mk.OutOfCoverage != mk.Devices {
		t.Fatalf("out of coverage %d of %d", mk.OutOfCoverage, mk.Devices)
	}
	if mk.ReportsDropped == 0 || o.Results.DropsByCause[model.CauseOutOfCoverage] == 0 {
		t.Errorf("reports of out-of-coverage devices must be dropped with cause %s: %+v", model.CauseOutOfCoverage, o.Results.DropsByCause)
	}
	checkAccounting(t, "out-of-coverage", o.Results)
}

// Deep indoor devices use higher CE levels and more energy per report.
func TestCoverageCostsEnergy(t *testing.T) {
	shallow := run(t, load(t, "../testdata/small.yaml", "groups.meters.penetration_loss_db=0", "groups.meters.penetration_std_db=0"), 1)
	deep := run(t, load(t, "../testdata/small.yaml", "groups.meters.penetration_loss_db=35", "groups.meters.penetration_std_db=0"), 1)
	s, d := shallow.Results.Groups["meters"].KPI, deep.Results.Groups["meters"].KPI
	if d.CELevels[0] >= s.CELevels[0] {
		t.Errorf("CE0 devices: deep %d vs shallow %d", d.CELevels[0], s.CELevels[0])
	}
	if !(d.EnergyPerReportMJ > s.EnergyPerReportMJ) {
		t.Errorf("energy per report: deep %.1f vs shallow %.1f mJ", d.EnergyPerReportMJ, s.EnergyPerReportMJ)
	}
}

// After a power cut every meter re-attaches within the hour despite the
// storm (attach retries on T3411/T3402), and the uplink interference estimate
// stays bounded (a regression: it once fed on itself and froze the cells).
func TestOutageStormRecovers(t *testing.T) {
	o := run(t, load(t, "outage-storm"), 1) // the full 10,000 meters: 1 s
	k := o.Results.KPI
	inCov := k.Devices - k.OutOfCoverage
	if k.AccessSuccesses < inCov*95/100 {
		t.Errorf("%d successful accesses for %d devices in coverage: the storm did not clear", k.AccessSuccesses, inCov)
	}
	if k.ReportsDelivered < (k.ReportsGenerated-k.ReportsDropped)*9/10 {
		t.Errorf("delivered %d of %d reports", k.ReportsDelivered, k.ReportsGenerated)
	}
	for _, c := range o.Results.Cells {
		if c.ULUtilisation > 0.5 {
			t.Errorf("cell %s: uplink utilisation %.2f", c.Name, c.ULUtilisation)
		}
	}
}

// In-band deployment has fewer resource elements for NPDSCH (TS 36.213
// §16.4.1.4): the same traffic keeps the downlink busier.
func TestInBandCostsDownlink(t *testing.T) {
	dl := func(dep string) float64 {
		o := run(t, load(t, "../testdata/small.yaml", "radio.deployment="+dep, "groups.meters.penetration_loss_db=30"), 1)
		var sum float64
		for _, c := range o.Results.Cells {
			sum += c.DLUtilisation
		}
		return sum
	}
	if sa, ib := dl("standalone"), dl("in-band"); !(ib > sa) {
		t.Errorf("downlink utilisation in-band %.5f, standalone %.5f", ib, sa)
	}
}

// The per-minute series adds up to the run's totals.
func TestTimeSeriesAddsUp(t *testing.T) {
	o := run(t, load(t, "../testdata/small.yaml"), 1)
	var arr, pre, col, ok, fail int64
	for _, r := range o.Series.Rows {
		arr += r.Arrivals
		pre += r.Preambles
		col += r.Collisions
		ok += r.Successes
		fail += r.Failures
	}
	k := o.Results.KPI
	var cellPre, cellCol int64
	for _, c := range o.Results.Cells {
		cellPre += c.Preambles
		cellCol += c.Collisions
	}
	if arr != k.ReportsGenerated || ok != k.AccessSuccesses || fail != k.AccessFailures || pre != cellPre || col != cellCol {
		t.Errorf("series sums: arrivals %d/%d successes %d/%d failures %d/%d preambles %d/%d collisions %d/%d",
			arr, k.ReportsGenerated, ok, k.AccessSuccesses, fail, k.AccessFailures, pre, cellPre, col, cellCol)
	}
	if want := int(o.Results.DurationS / 60); len(o.Series.Rows) != want {
		t.Errorf("%d rows for %v s", len(o.Series.Rows), o.Results.DurationS)
	}
}

// Encoded signalling runs every NAS message through the real codecs, the
// MME and device state machines and NAS security; it must agree with the
// typed procedures on what was sent, and the core must discard nothing.
func TestEncodedAgreesWithTyped(t *testing.T) {
	sets := []string{"groups.trackers.data_path=control-plane"}
	typed := run(t, load(t, "../testdata/small.yaml", sets...), 1).Results
	enc := run(t, load(t, "../testdata/small.yaml", append(sets, "signalling=encoded")...), 1).Results
	ts, es := typed.Signalling, enc.Signalling
	if ts.Mode != "typed" || es.Mode != "encoded" {
		t.Fatalf("modes %q %q", ts.Mode, es.Mode)
	}
	// Message sizes change airtimes and so the random course of the run a
	// little; the counts must stay close (the exact per-procedure match is
	// TestEncodedProceduresMatchTyped).
	near := func(a, b int64) bool { return math.Abs(float64(a-b)) <= 0.03*float64(b) }
	if !near(es.NASMessages, ts.NASMessages) || !near(es.S1APMessages, ts.S1APMessages) {
		t.Errorf("NAS %d vs %d, S1AP %d vs %d", es.NASMessages, ts.NASMessages, es.S1APMessages, ts.S1APMessages)
	}
	if es.S1APBytes == ts.S1APBytes {
		t.Error("encoded S1AP bytes equal the typed estimate exactly: sizes not taken from encodings?")
	}
	if len(es.FailuresByCause) != 0 {
		t.Errorf("the core rejected or discarded messages in a clean run: %v", es.FailuresByCause)
	}
	checkAccounting(t, "encoded", enc)
	if enc.KPI.ReportsDelivered == 0 || enc.Groups["trackers"].KPI.ReportsDelivered == 0 {
		t.Error("nothing delivered (the trackers attach during the run)")
	}
	// Encoded mode is deterministic too.
	again := run(t, load(t, "../testdata/small.yaml", append(sets, "signalling=encoded")...), 1).Results
	a, _ := report.Marshal(ptr(enc.WithoutPerf()))
	b, _ := report.Marshal(ptr(again.WithoutPerf()))
	if !bytes.Equal(a, b) {
		t.Error("encoded runs differ")
	}
}

func ptr[T any](v T) *T { return &v }

// Encoded signalling runs user-plane groups too: SERVICE REQUEST with its
// short MAC, then the AS set-up; their data takes S1-U (not NAS).
func TestEncodedUserPlane(t *testing.T) {
	r := run(t, load(t, "../testdata/small.yaml", "signalling=encoded"), 1).Results
	if len(r.Signalling.FailuresByCause) != 0 {
		t.Errorf("the core rejected or discarded messages: %v", r.Signalling.FailuresByCause)
	}
	if k := r.Groups["trackers"].KPI; k.ReportsDelivered == 0 || k.AccessSuccesses == 0 {
		t.Errorf("user-plane trackers: delivered %d, accesses %d", k.ReportsDelivered, k.AccessSuccesses)
	}
	checkAccounting(t, "encoded user plane", r)
}

// TestHeadOfLine: CE0 collars beside deep-indoor meters in one cell keep
// their access (issue #10's head-of-line blocking): the meters' long
// NPDCCH/NPDSCH repetitions no longer hold the downlink against the
// collars' RARs (search spaces, back-filling, RA priority). Before them the
// collars' access success was 0.43 over this hour.
func TestHeadOfLine(t *testing.T) {
	o := run(t, load(t, "../testdata/scheduler/hol.yaml", "duration=1h"), 1)
	near := o.Results.Groups["near"].KPI
	if near.CELevels[0] < near.Devices*9/10 {
		t.Fatalf("the collars are not in CE0: %v of %d", near.CELevels, near.Devices)
	}
	if deep := o.Results.Groups["deep"].KPI; deep.CELevels[1]+deep.CELevels[2] < 100 {
		t.Fatalf("too few deep meters in CE1/CE2: %v", deep.CELevels)
	}
	if p := near.AccessSuccessProbability; p < 0.99 {
		t.Errorf("collars' access success %v, want ≥ 0.99", p)
	}
}
