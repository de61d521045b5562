package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// tiny is a small campaign: 2 axes × 2 values, 2 seeds, 200–400 collars for
// 10 simulated minutes (a few milliseconds a run).
const tiny = `name: tiny
scenario: cow-collars
duration: 10m
seeds: 2
axes:
  - key: groups.collars.count
    values: [200, 400]
  - key: random_access.ce.0.periodicity
    values: [160ms, 320ms]
kpis:
  - access_success_probability
  - reports_generated
  - groups.collars.battery_years.p5
  - cells.farm/1.preambles
`

func parse(t *testing.T, src string) *Campaign {
	t.Helper()
	c, err := Parse([]byte(src), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func plan(t *testing.T, src string) *Plan {
	t.Helper()
	p, err := NewPlan(parse(t, src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown key", "scenario: cow-collars\nkpi: [x]\n", "c.yaml:2: kpi: unknown key \"kpi\" (allowed: name, description, scenario, duration, mode, seeds, set, axes, kpis)"},
		{"empty axis", "scenario: cow-collars\naxes:\n  - key: seed\n    values: []\nkpis: [reports_generated]\n", "c.yaml:4: axes.0.values: expected a non-empty list, got a list"},
		{"non-numeric range", "scenario: cow-collars\naxes:\n  - key: random_access.ce.0.periodicity\n    range: {from: 160ms, to: 640ms, step: 160ms}\nkpis: [reports_generated]\n", "c.yaml:4: axes.0.range.from: expected a finite number, got \"160ms\""},
		{"duplicate key", "scenario: a\nscenario: b\n", "c.yaml:2: scenario: duplicate key (first on line 1)"},
		{"bad mode", "mode: both\n", "c.yaml:1: mode: unknown mode \"both\" (allowed: grid, zip)"},
		{"zip lengths", "scenario: s\nmode: zip\naxes:\n  - {key: a, values: [1, 2]}\n  - {key: b, values: [1]}\nkpis: [x]\n", "c.yaml:3: axes.1: mode zip needs axes of equal length"},
		{"axis twice", "scenario: s\naxes:\n  - {key: a, values: [1]}\n  - {key: a, values: [2]}\nkpis: [x]\n", "c.yaml:4: axes.1.key: key \"a\" is already axis 0"},
		{"axis key", "scenario: s\naxes:\n  - {key: a, value: [1]}\nkpis: [x]\n", "c.yaml:3: axes.0.value: unknown key \"value\" (allowed: key, values, range, log)"},
		{"seeds", "scenario: s\nseeds: many\n", "c.yaml:2: seeds: expected a count of seeds"},
		{"log range", "scenario: s\naxes:\n  - {key: a, log: {from: 0, to: 10, points: 3}}\nkpis: [x]\n", "c.yaml:3: axes.0.log: want 0 < from < to"},
		{"missing", "description: d\n", "c.yaml: scenario: missing"},
		{"empty file", "", "c.yaml:1: a campaign must be a mapping of keys"},
		{"duration", "scenario: s\nduration: 3 days\n", "c.yaml:2: duration: invalid duration"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.src), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestAxisValues(t *testing.T) {
	c := parse(t, `scenario: s
axes:
  - {key: a, range: {from: 0.1, to: 0.3, step: 0.1}}
  - {key: b, log: {from: 1000, to: 100000, points: 5, round: true}}
  - {key: c, values: [1, "08", 2h]}
kpis: [x]
`)
	want := [][]string{{"0.1", "0.2", "0.3"}, {"1000", "3162", "10000", "31623", "100000"}, {"1", `"08"`, "2h"}}
	for i, a := range c.Axes {
		if !slices.Equal(a.Values, want[i]) {
			t.Errorf("axis %d: %q, want %q", i, a.Values, want[i])
		}
	}
	if n := len(c.Points()); n != 3*5*3 {
		t.Errorf("grid: %d points, want 45", n)
	}
	z := parse(t, "scenario: s\nmode: zip\naxes:\n  - {key: a, values: [1, 2]}\n  - {key: b, values: [x, y]}\nkpis: [k]\nseeds: [7, 3]\n")
	pts := z.Points()
	if len(pts) != 2 || pts[1].Label() != "a=2, b=y" || !slices.Equal(z.Seeds, []uint64{7, 3}) {
		t.Errorf("zip: %+v, seeds %v", pts, z.Seeds)
	}
}

func TestPlanErrors(t *testing.T) {
	src := strings.Replace(tiny, "[200, 400]", "[200, -5]", 1)
	_, err := NewPlan(parse(t, src))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:7: axes.0: point 2 (groups.collars.count=-5, random_access.ce.0.periodicity=160ms): scenario cow-collars: --set: groups.collars.count:") {
		t.Fatalf("error %v", err)
	}
	src = strings.Replace(tiny, "reports_generated", "reports_generatd", 1)
	_, err = NewPlan(parse(t, src))
	if err == nil || !strings.Contains(err.Error(), `c.yaml:12: kpis.1: unknown path "reports_generatd"; nearest valid paths: reports_generated`) {
		t.Fatalf("error %v", err)
	}
	_, err = NewPlan(parse(t, strings.Replace(tiny, "seeds: 2", "seeds: 2\nset: {random_access.backoff_index: 99}", 1)))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:5: set: scenario cow-collars: --set: random_access.backoff_index:") {
		t.Fatalf("error %v", err)
	}
	_, err = NewPlan(parse(t, strings.Replace(tiny, "cow-collars", "cow-colars", 1)))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:2: scenario: scenario cow-colars: cow-colars: no such scenario file or shipped scenario (allowed: ") {
		t.Fatalf("error %v", err)
	}
	_, err = NewPlan(parse(t, strings.Replace(tiny, "cells.farm/1", "cells.farm/4", 1)))
	if err == nil || !strings.Contains(err.Error(), `c.yaml:14: kpis.3: unknown path "cells.farm/4.preambles"`) {
		t.Fatalf("error %v", err)
	}
	src = strings.Replace(tiny, "random_access.ce.0.periodicity", "random_access.ce.0.period", 1)
	_, err = NewPlan(parse(t, src))
	if err == nil || !strings.Contains(err.Error(), `c.yaml:9: axes.1: point 0`) || !strings.Contains(err.Error(), "unknown key") {
		t.Fatalf("error %v", err)
	}
}

func TestStats(t *testing.T) {
	s := NewStats([]float64{1, 2, 3})
	// mean 2, sd 1, half-width t·1/√3 with t the 0.975 quantile of
	// Student's t with 2 degrees of freedom, in closed form for ν = 2:
	// (2p−1)·√(2/(4p(1−p))) = 4.302652729749461.
	const p = 0.975
	h := (2*p - 1) * math.Sqrt(2/(4*p*(1-p))) / math.Sqrt(3)
	if *s.Mean != 2 || math.Abs(*s.SD-1) > 1e-15 || math.Abs(*s.CILow-(2-h)) > 1e-12 || math.Abs(*s.CIHigh-(2+h)) > 1e-12 {
		t.Errorf("stats %v %v %v %v", *s.Mean, *s.SD, *s.CILow, *s.CIHigh)
	}
	if one := NewStats([]float64{5}); *one.Mean != 5 || one.SD != nil || one.CILow != nil {
		t.Errorf("one value: %+v", one)
	}
	if none := NewStats(nil); none.Mean != nil || none.N != 0 {
		t.Errorf("no value: %+v", none)
	}
}

func runAll(t *testing.T, p *Plan, dir string, opt Options) Summary {
	t.Helper()
	s, err := Run(context.Background(), p, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func collect(t *testing.T, dir string) []byte {
	t.Helper()
	tab, err := Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tab.CSV()
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCampaign runs the tiny campaign end to end with 2 jobs and with 1:
// the same tables, every file in place, the KPIs as in the runs'
// results.json.
func TestCampaign(t *testing.T) {
	p := plan(t, tiny)
	a, b := t.TempDir(), t.TempDir()
	s := runAll(t, p, a, Options{Jobs: 2})
	if s.Tasks != 8 || s.OK != 8 || s.Failed != 0 || s.Skipped != 0 {
		t.Fatalf("summary %+v", s)
	}
	csvA := collect(t, a)
	runAll(t, p, b, Options{Jobs: 1})
	csvB := collect(t, b)
	if string(csvA) != string(csvB) {
		t.Errorf("-j 2 and -j 1 differ:\n%s\n%s", csvA, csvB)
	}
	if string(read(t, filepath.Join(a, FileCSV))) != string(csvA) || string(read(t, filepath.Join(a, FileJSON))) != string(read(t, filepath.Join(b, FileJSON))) {
		t.Error("sweep.csv or sweep.json differ between -j 2 and -j 1")
	}
	lines := strings.Split(strings.TrimSpace(string(csvA)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "point,groups.collars.count,random_access.ce.0.periodicity,runs,ok,failed,access_success_probability_mean,") {
		t.Fatalf("csv:\n%s", csvA)
	}
	if !strings.HasPrefix(lines[3], "2,400,160ms,2,2,0,") {
		t.Errorf("row 2: %s", lines[3])
	}
	plots, _ := filepath.Glob(filepath.Join(a, DirPlots, "*.png"))
	if len(plots) != 4*2 {
		t.Errorf("%d plots, want 8", len(plots))
	}
	// reports_generated of point 2 (400 collars) is the mean of its runs'.
	tab, err := Collect(a)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, seed := range []string{"1", "2"} {
		js := read(t, filepath.Join(a, "runs", p.Points[2].Hash[:12]+"-s"+seed, "results.json"))
		v, err := kpiFromJSON(js, "reports_generated")
		if err != nil {
			t.Fatal(err)
		}
		sum += v
	}
	if got := *tab.Points[2].KPIs["reports_generated"].Mean; got != sum/2 || got <= 0 {
		t.Errorf("reports_generated mean %v, runs' %v", got, sum/2)
	}
}

// TestResume stops a campaign after its third stored run (the context is
// cancelled as a signal would), checks the database, and runs it again:
// only the missing runs run, and the tables equal an uninterrupted run's.
func TestResume(t *testing.T) {
	p := plan(t, tiny)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	opt := Options{Jobs: 1, hook: func(Task) error {
		if started.Add(1) == 4 {
			cancel()
		}
		return nil
	}}
	s, err := Run(ctx, p, dir, opt)
	if !errors.Is(err, context.Canceled) || s.OK != 3 {
		t.Fatalf("interrupted run: %+v, %v", s, err)
	}
	db, err := OpenDB(filepath.Join(dir, "sweep.db"))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := db.IntegrityCheck(); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	db.Close()
	s = runAll(t, p, dir, Options{Jobs: 2})
	if s.Skipped != 3 || s.OK != 5 {
		t.Fatalf("resumed: %+v, want 3 skipped and 5 run", s)
	}
	whole := t.TempDir()
	runAll(t, p, whole, Options{Jobs: 2})
	if a, b := collect(t, dir), collect(t, whole); string(a) != string(b) {
		t.Errorf("resumed and uninterrupted tables differ:\n%s\n%s", a, b)
	}
}

// TestFailedRun: a run that fails is stored as failed with its error, the
// others run, the table says so, and a rerun retries only the failed one.
func TestFailedRun(t *testing.T) {
	p := plan(t, tiny)
	dir := t.TempDir()
	fail := func(task Task) error {
		if task.Point.Index == 1 && task.Seed == 2 {
			return errors.New("injected failure")
		}
		return nil
	}
	s := runAll(t, p, dir, Options{Jobs: 2, hook: fail})
	if s.OK != 7 || s.Failed != 1 {
		t.Fatalf("summary %+v", s)
	}
	tab, err := Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	pt := tab.Points[1]
	if pt.Failed != 1 || pt.OK != 1 || !slices.Equal(pt.Errors, []string{"seed 2: injected failure"}) || pt.KPIs["reports_generated"].N != 1 {
		t.Errorf("point 1: %+v", pt)
	}
	if !strings.Contains(string(tab.CSV()), ",seed 2: injected failure\n") {
		t.Errorf("csv:\n%s", tab.CSV())
	}
	// report.html: self-contained, every point, the error, every plot.
	page := string(read(t, filepath.Join(dir, FileHTML)))
	for _, want := range []string{"<td>1</td><td>200</td><td>320ms</td><td>1/2</td>", "seed 2: injected failure", "<code>reports_generated</code>"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if n := strings.Count(page, `<img src="data:image/png;base64,`); n != 8 || strings.Contains(page, "http") || strings.Contains(page, "<script") {
		t.Errorf("report.html: %d inline plots (want 8), or a reference outside the page", n)
	}
	s = runAll(t, p, dir, Options{Jobs: 2})
	if s.Skipped != 7 || s.OK != 1 {
		t.Errorf("rerun %+v, want the failed run only", s)
	}
}

// TestShards: shards 0/3, 1/3, 2/3 into one directory, collected, give the
// unsharded tables; each shard ran only its share.
func TestShards(t *testing.T) {
	p := plan(t, tiny)
	dir, whole := t.TempDir(), t.TempDir()
	n := 0
	for i := range 3 {
		s := runAll(t, p, dir, Options{Jobs: 2, Shard: i, Shards: 3})
		n += s.Tasks
		if s.Tasks != []int{3, 3, 2}[i] {
			t.Errorf("shard %d: %d tasks", i, s.Tasks)
		}
	}
	if n != 8 {
		t.Errorf("shards ran %d tasks, want 8", n)
	}
	for _, f := range []string{"sweep-0-of-3.db", "sweep-1-of-3.db", "sweep-2-of-3.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	runAll(t, p, whole, Options{Jobs: 2})
	if a, b := collect(t, dir), collect(t, whole); string(a) != string(b) {
		t.Errorf("sharded and unsharded tables differ:\n%s\n%s", a, b)
	}
	// Collecting again changes nothing.
	if a, b := collect(t, dir), collect(t, whole); string(a) != string(b) {
		t.Error("a second collect changed the table")
	}
	// A database of another campaign is refused.
	other := plan(t, strings.Replace(tiny, "seeds: 2", "seeds: 3", 1))
	runAll(t, other, filepath.Join(dir, "o"), Options{Jobs: 2, Shard: 0, Shards: 5})
	if err := os.Rename(filepath.Join(dir, "o", "sweep-0-of-5.db"), filepath.Join(dir, "sweep-0-of-5.db")); err != nil {
		t.Fatal(err)
	}
	if _, err := Collect(dir); err == nil || !strings.Contains(err.Error(), "are of different campaigns") {
		t.Errorf("collect of two campaigns: %v", err)
	}
}

// TestQueryTools queries a campaign database as docs/planning.md shows, with
// Debian's sqlite3 CLI and with pandas' read_sql.
func TestQueryTools(t *testing.T) {
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("needs Debian's sqlite3 CLI: .ci/run installs it")
	}
	// Debian's python3 (python3-pandas is for it), else the one on PATH.
	python := ""
	for _, c := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(c, "-c", "import pandas").Run() == nil {
			python = c
			break
		}
	}
	if python == "" {
		t.Skip("needs python3 with pandas (Debian's python3-pandas): .ci/run installs it")
	}
	p := plan(t, tiny)
	dir := t.TempDir()
	runAll(t, p, dir, Options{Jobs: 2})
	db := filepath.Join(dir, "sweep.db")
	out, err := exec.Command(sqlite, db, `SELECT p.num, COUNT(*), SUM(k.value) FROM runs r
		JOIN params p ON p.run_id = r.run_id AND p.key = 'groups.collars.count'
		JOIN kpis k ON k.run_id = r.run_id AND k.name = 'access_success_probability'
		WHERE r.status = 'ok' GROUP BY p.num ORDER BY p.num; PRAGMA integrity_check;`).CombinedOutput()
	if err != nil || string(out) != "200.0|4|4.0\n400.0|4|4.0\nok\n" {
		t.Errorf("sqlite3: %v\n%s", err, out)
	}
	script := `import sqlite3, sys, pandas as pd
con = sqlite3.connect(sys.argv[1])
df = pd.read_sql("SELECT r.seed, CAST(json_extract(r.params, '$.\"groups.collars.count\"') AS INTEGER) AS count, k.value AS reports "
                 "FROM runs r JOIN kpis k USING (run_id) WHERE k.name = 'reports_generated'", con)
print(len(df), int(df.groupby("count")["reports"].mean().idxmax()))
`
	out, err = exec.Command(python, "-c", script, db).CombinedOutput()
	if err != nil || string(out) != "8 400\n" {
		t.Errorf("pandas: %v\n%s", err, out)
	}
}

// kpiFromJSON reads kpi.NAME of a results.json.
func kpiFromJSON(b []byte, name string) (float64, error) {
	var r struct {
		KPI map[string]any `json:"kpi"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return 0, err
	}
	v, ok := r.KPI[name].(float64)
	if !ok {
		return 0, fmt.Errorf("kpi.%s: %v", name, r.KPI[name])
	}
	return v, nil
}

// TestShippedCampaigns: every campaign of campaigns/ parses and (not in
// -short mode) plans: each point loads, validates and builds.
func TestShippedCampaigns(t *testing.T) {
	files, _ := filepath.Glob("../campaigns/*.yaml")
	if len(files) == 0 {
		t.Fatal("no campaign in campaigns/")
	}
	for _, f := range files {
		c, err := ReadCampaign(f)
		if err != nil {
			t.Fatal(err)
		}
		if c.Description == "" {
			t.Errorf("%s: no description", f)
		}
		if testing.Short() {
			continue
		}
		if _, err := NewPlan(c); err != nil {
			t.Error(err)
		}
	}
}

// TestDocExample: the campaign shown in docs/planning.md parses and plans.
func TestDocExample(t *testing.T) {
	doc := string(read(t, "../docs/planning.md"))
	_, rest, ok := strings.Cut(doc, "```yaml\n")
	src, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/planning.md: no ```yaml block")
	}
	c, err := Parse([]byte(src), "docs/planning.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Points()) != 8 || len(c.Seeds) != 3 || len(c.Sets) != 1 {
		t.Errorf("%d points, %d seeds, %d sets", len(c.Points()), len(c.Seeds), len(c.Sets))
	}
	if !testing.Short() {
		if _, err := NewPlan(c); err != nil {
			t.Error(err)
		}
	}
}
