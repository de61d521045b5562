package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/report"
)

// runSmall runs testdata/small.yaml (3 sites, two groups, 6 h) with
// seed into dir, with extra arguments.
func runSmall(t *testing.T, dir, seed string, extra ...string) {
	t.Helper()
	code, o, e := run(t, append([]string{"run", smallYAML, "--seed", seed, "-q", "--out", dir}, extra...)...)
	mustExit(t, 0, code, o, e)
}

func readResults(t *testing.T, dir string) *report.Results {
	t.Helper()
	var r report.Results
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, report.FileResults)), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func readState(t *testing.T, dir string) *report.State {
	t.Helper()
	s, err := report.UnmarshalState(readFile(t, filepath.Join(dir, report.FileMergeState)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Three seeds of the small scenario merged: counts add, ratios are those
// of the summed counts, quantiles those of the merged sketches (not an
// average of the runs' quantiles), cells pooled; the order of the DIRs
// does not matter; the merged expectations are re-evaluated.
func TestMergeReplications(t *testing.T) {
	tmp := t.TempDir()
	dirs := make([]string, 3)
	for i, seed := range []string{"3", "1", "2"} {
		dirs[i] = filepath.Join(tmp, "seed"+seed)
		runSmall(t, dirs[i], seed)
	}
	out := filepath.Join(tmp, "merged")
	code, o, e := run(t, append([]string{"merge", "--out", out}, dirs...)...)
	mustExit(t, 0, code, o, e)
	mustContain(t, "stdout", o, "merged 3 runs into "+out, "merged from 3 runs, seeds 1, 2, 3")
	mustContain(t, "report.html", string(readFile(t, filepath.Join(out, report.FileReportHTML))), "merged from 3 runs, seeds 1, 2, 3", "name: small")
	m := readResults(t, out)
	if m.Merged == nil || len(m.Merged.Seeds) != 3 || m.Merged.Seeds[0] != 1 || m.Merged.Seeds[2] != 3 || m.Seed != 1 {
		t.Errorf("merged block %+v, seed %d: want seeds [1 2 3], seed 1", m.Merged, m.Seed)
	}
	var gen, att, ok, devs, pre0 int64
	var ul0 float64
	var sk report.Sketch
	var p95s []float64
	for _, d := range dirs {
		r := readResults(t, d)
		gen += r.KPI.ReportsGenerated
		att += r.KPI.AccessAttempts
		ok += r.KPI.AccessSuccesses
		devs += r.Groups["meters"].KPI.Devices
		pre0 += r.Cells[0].Preambles
		ul0 += r.Cells[0].ULUtilisation / 3
		sk.Merge(readState(t, d).KPI.LatencyMs)
		p95s = append(p95s, r.KPI.LatencyMs.P95)
	}
	k := m.KPI
	if k.ReportsGenerated != gen || k.AccessAttempts != att || m.Groups["meters"].KPI.Devices != devs ||
		k.AccessSuccessProbability != report.Ratio(ok, att) || m.Cells[0].Preambles != pre0 ||
		math.Abs(m.Cells[0].ULUtilisation-ul0) > 1e-15 {
		t.Errorf("merged counts: generated %d (want %d), attempts %d (%d), meters %d (%d), success %v (%v), cell 0 preambles %d (%d), UL %v (%v)",
			k.ReportsGenerated, gen, k.AccessAttempts, att, m.Groups["meters"].KPI.Devices, devs,
			k.AccessSuccessProbability, report.Ratio(ok, att), m.Cells[0].Preambles, pre0, m.Cells[0].ULUtilisation, ul0)
	}
	if want := sk.Dist(); k.LatencyMs.P95 != want.P95 || k.LatencyMs.P50 != want.P50 {
		t.Errorf("latency %+v, the merged sketches' %+v", k.LatencyMs, want)
	}
	if avg := (p95s[0] + p95s[1] + p95s[2]) / 3; k.LatencyMs.P95 == avg {
		t.Errorf("latency p95 %v is the average of the runs' (%v)", k.LatencyMs.P95, p95s)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("merged results invalid: %v", err)
	}
	if len(m.Expectations) == 0 {
		t.Error("no expectation re-evaluated")
	}
	// A merge merges again: with a fourth seed it is the merge of the
	// four; with one of its seeds again it is refused.
	s4, all := filepath.Join(tmp, "seed4"), filepath.Join(tmp, "all")
	runSmall(t, s4, "4")
	code, o, e = run(t, "merge", "-q", "--out", all, s4, out)
	mustExit(t, 0, code, o, e)
	if m4 := readResults(t, all); len(m4.Merged.Seeds) != 4 || m4.Merged.Seeds[3] != 4 || m4.KPI.ReportsGenerated != gen+readResults(t, s4).KPI.ReportsGenerated {
		t.Errorf("merge of a merge: seeds %v, generated %d", m4.Merged.Seeds, m4.KPI.ReportsGenerated)
	}
	code, o, e = run(t, "merge", "-q", "--out", filepath.Join(tmp, "again"), dirs[0], out)
	mustExit(t, 2, code, o, e)
	mustContain(t, "stderr", e, "seed 3 given twice")
	// Any order, the same bytes (apart from perf).
	out2 := filepath.Join(tmp, "merged2")
	code, o, e = run(t, "merge", "-q", "--out", out2, dirs[1], dirs[2], dirs[0])
	mustExit(t, 0, code, o, e)
	a, b := readResults(t, out).WithoutPerf(), readResults(t, out2).WithoutPerf()
	ja, _ := report.Marshal(&a)
	jb, _ := report.Marshal(&b)
	if string(ja) != string(jb) {
		t.Error("merging in another order gave other results")
	}
	if string(readFile(t, filepath.Join(out, report.FileTimeSeries))) != string(readFile(t, filepath.Join(out2, report.FileTimeSeries))) {
		t.Error("merging in another order gave another time series")
	}
}

// copyOutputs copies the files merge reads from src into a new dst.
func copyOutputs(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{report.FileResults, report.FileTimeSeries, report.FileMergeState} {
		if err := os.WriteFile(filepath.Join(dst, f), readFile(t, filepath.Join(src, f)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// edit rewrites dir's file with the replacement of old by new.
func edit(t *testing.T, dir, file, old, new string) {
	t.Helper()
	p := filepath.Join(dir, file)
	b := string(readFile(t, p))
	if !strings.Contains(b, old) {
		t.Fatalf("%s lacks %q", p, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(b, old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// setShard gives dir's results.json a shard block.
func setShard(t *testing.T, dir string, i, n int) {
	t.Helper()
	r := readResults(t, dir)
	r.Shard = &report.Shard{Index: i, Count: n}
	b, err := report.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, report.FileResults), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Bad input: exit 2, a message naming what differs or is missing, and
// nothing written.
func TestMergeBadInput(t *testing.T) {
	tmp := t.TempDir()
	s1, s2 := filepath.Join(tmp, "s1"), filepath.Join(tmp, "s2")
	runSmall(t, s1, "1")
	runSmall(t, s2, "2")
	other := filepath.Join(tmp, "collars")
	code, o, e := runCollars(t, "-q", "--out", other)
	mustExit(t, 0, code, o, e)
	short := filepath.Join(tmp, "short")
	runSmall(t, short, "3", "--duration", "1h")
	dir := func(name string, prep func(d string)) string {
		d := filepath.Join(tmp, name)
		copyOutputs(t, s1, d)
		if prep != nil {
			prep(d)
		}
		return d
	}
	noState := dir("nostate", func(d string) { os.Remove(filepath.Join(d, report.FileMergeState)) })
	oldVersion := dir("version", func(d string) {
		edit(t, d, report.FileMergeState, `"version": "`, `"version": "nbsim v0.9 `)
	})
	trunc := filepath.Join(tmp, "trunc")
	copyOutputs(t, s2, trunc)
	ts := strings.SplitAfter(string(readFile(t, filepath.Join(trunc, report.FileTimeSeries))), "\n")
	if err := os.WriteFile(filepath.Join(trunc, report.FileTimeSeries), []byte(strings.Join(ts[:4], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	sh := func(name string, i, n int, from string) string {
		d := filepath.Join(tmp, name)
		copyOutputs(t, from, d)
		setShard(t, d, i, n)
		return d
	}
	a0, a0b, a2 := sh("a0", 0, 3, s1), sh("a0b", 0, 3, s1), sh("a2", 2, 3, s1)
	b1 := sh("b1", 1, 3, s2)
	c1 := sh("c1", 1, 2, s1)
	for _, tc := range []struct {
		name string
		dirs []string
		want []string
	}{
		{"no merge.json", []string{s1, noState}, []string{noState, "has no merge.json"}},
		{"not a directory of outputs", []string{s1, filepath.Join(tmp, "nothing")}, []string{"nothing", "has no results.json"}},
		{"scenarios", []string{s1, other}, []string{"scenario_sha256", "differs", s1, other}},
		{"durations", []string{s1, short}, []string{"scenario_sha256", short}},
		{"truncated time series", []string{s1, trunc}, []string{trunc + ": timeseries.csv has 3 rows", s1 + "'s 360 rows"}},
		{"versions", []string{s1, oldVersion}, []string{"version differs", "nbsim v0.9", oldVersion}},
		{"seed twice", []string{s1, s2, s1}, []string{"seed 1 given twice", s1}},
		{"shard twice", []string{a0, a0b, a2}, []string{"shard 0/3 given twice", a0, a0b}},
		{"shard missing", []string{a0, a2}, []string{"shard 1 of 3 missing"}},
		{"shard seeds", []string{a0, b1, a2}, []string{"seed differs", "1 in " + a0, "2 in " + b1}},
		{"shard counts", []string{a0, c1}, []string{"shard.count differs", "3 in " + a0, "2 in " + c1}},
		{"shards and a whole run", []string{a0, s2}, []string{"shard 0/3", "a whole run (seed 2", "not both"}},
	} {
		out := filepath.Join(tmp, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
		code, o, e := run(t, append([]string{"merge", "--out", out}, tc.dirs...)...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s%s", tc.name, code, o, e)
			continue
		}
		mustContain(t, tc.name+": stderr", e, tc.want...)
		mustNotExist(t, out)
	}
	code, o, e = run(t, "merge", s1, s2)
	mustExit(t, 2, code, o, e)
	mustContain(t, "stderr", e, "--out DIR is required")
}

// Real shards (nbsim run --shard i/N): merged, they give the unsharded
// run's devices and cells. Skipped until run --shard exists.
func TestMergeShards(t *testing.T) {
	tmp := t.TempDir()
	whole := filepath.Join(tmp, "whole")
	tiles := []string{"--set", "partition.tile_m=400"} // the 3 sites in several clusters
	runSmall(t, whole, "1", tiles...)
	var dirs []string
	for i := range 2 {
		d := filepath.Join(tmp, "shard"+string(rune('0'+i)))
		code, o, e := run(t, append([]string{"run", smallYAML, "--seed", "1", "-q", "--out", d, "--shard", string(rune('0'+i)) + "/2"}, tiles...)...)
		if code == 2 && strings.Contains(e, "unknown flag: --shard") {
			t.Skip("nbsim run --shard has not landed")
		}
		mustExit(t, 0, code, o, e)
		dirs = append(dirs, d)
	}
	out := filepath.Join(tmp, "merged")
	if code, o, e := run(t, "merge", "-q", "--out", out, dirs[1], dirs[0]); code == 2 {
		t.Fatalf("merge refused the shards:\n%s%s", o, e)
	}
	m, w := readResults(t, out), readResults(t, whole)
	if m.KPI.Devices != w.KPI.Devices || len(m.Cells) != len(w.Cells) || m.Merged == nil || m.Merged.Shards != 2 {
		t.Errorf("merged shards: %d devices, %d cells, %+v; the whole run: %d devices, %d cells",
			m.KPI.Devices, len(m.Cells), m.Merged, w.KPI.Devices, len(w.Cells))
	}
	// The MME peak from the shards' per-second counts added up: at least
	// the busiest shard's, at most their sum.
	var most, sum float64
	for _, d := range dirs {
		p := readResults(t, d).Signalling.MMETransactionsPerSPeak
		most, sum = max(most, p), sum+p
		if len(readState(t, d).NASPerSecond) == 0 {
			t.Errorf("%s: merge.json without nas_per_second", d)
		}
	}
	if p := m.Signalling.MMETransactionsPerSPeak; p < most || p > sum {
		t.Errorf("merged MME peak %v outside [%v, %v] (the shards' highest, their sum)", p, most, sum)
	}
	names := map[string]bool{}
	for _, c := range m.Cells {
		names[c.Name] = true
	}
	for _, c := range w.Cells {
		if !names[c.Name] {
			t.Errorf("cell %s missing from the merged shards", c.Name)
		}
	}
}
