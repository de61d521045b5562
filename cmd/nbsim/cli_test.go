package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/report"
)

// small shrinks cow-collars to a run of a few milliseconds.
var small = []string{"--set", "groups.collars.count=200", "--duration", "3h"}

const smallYAML = "../../testdata/small.yaml"

// run calls Main and returns the exit status, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// runCollars runs the shrunk cow-collars scenario with extra arguments.
func runCollars(t *testing.T, extra ...string) (int, string, string) {
	t.Helper()
	return run(t, append(append([]string{"run", "cow-collars"}, small...), extra...)...)
}

func mustExit(t *testing.T, want, got int, stdout, stderr string) {
	t.Helper()
	if got != want {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", got, want, stdout, stderr)
	}
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}

func mustNotExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); err == nil {
		t.Errorf("%s exists after a failed run", path)
	}
}

// noLeftovers checks that dir holds no staging or probe directories.
func noLeftovers(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".nbsim-") {
			t.Errorf("leftover %s in %s", e.Name(), dir)
		}
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var shippedNames = []string{
	"country-10m", "cow-collars", "cow-collars-cdrx", "cow-collars-psm", "cow-collars-rai", "cow-collars-sync",
	"district", "lab", "outage-storm", "scale-1m", "smart-meters", "tr37868", "tr45820-battery", "tr45820-capacity", "tr45820-latency",
}

func TestScenariosListsShipped(t *testing.T) {
	code, out, errOut := run(t, "scenarios")
	mustExit(t, 0, code, out, errOut)
	if errOut != "" {
		t.Errorf("stderr not empty: %s", errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	byName := map[string]string{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			t.Errorf("line %q: want NAME DESCRIPTION", l)
			continue
		}
		byName[f[0]] = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), f[0]))
	}
	for _, n := range shippedNames {
		d, ok := byName[n]
		if !ok {
			t.Errorf("scenario %s not listed:\n%s", n, out)
		} else if d == "" {
			t.Errorf("scenario %s has no description", n)
		}
	}
	if len(lines) != len(shippedNames) {
		t.Errorf("%d lines, want %d:\n%s", len(lines), len(shippedNames), out)
	}
	mustContain(t, "cow-collars description", byName["cow-collars"], "cow collars")

	code, out, errOut = run(t, "scenarios", "extra")
	mustExit(t, 2, code, out, errOut)
}

func TestRunShippedPrintsSummary(t *testing.T) {
	code, out, errOut := runCollars(t)
	mustExit(t, 0, code, out, errOut)
	mustContain(t, "summary", out,
		"scenario", "cow-collars", "seed 1", "duration 3h",
		"devices              200", "reports", "access", "battery (years)",
		"PASS", "access_success_probability >= 0.99", "expectations: 2/2 passed", "perf:")
	if errOut != "" {
		t.Errorf("stderr not empty: %s", errOut)
	}

	// By file name with the .yaml suffix, too.
	code, out, errOut = run(t, append([]string{"run", "cow-collars.yaml", "-q"}, small...)...)
	mustExit(t, 0, code, out, errOut)
	if out != "" || errOut != "" {
		t.Errorf("-q printed stdout %q, stderr %q", out, errOut)
	}
}

func TestRunByPath(t *testing.T) {
	code, out, errOut := run(t, "run", smallYAML, "--duration", "1h")
	mustExit(t, 0, code, out, errOut)
	mustContain(t, "summary", out, "small", "duration 1h", "meters", "trackers", "expectations: 1/1 passed")
}

func TestRunWritesOutDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "a", "b", "out")
	code, out, errOut := runCollars(t, "--out", dir, "--seed", "3")
	mustExit(t, 0, code, out, errOut)
	mustContain(t, "stdout", out, "results written to "+dir)
	for _, f := range []string{"results.json", "timeseries.csv", "access_delay_cdf.png", "random_access_load.png", "battery_life_hist.png", "resource_utilisation.png"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", f)
		}
		if strings.HasSuffix(f, ".png") && !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s is not a PNG", f)
		}
	}
	noLeftovers(t, parent)
	noLeftovers(t, dir)

	csv, _ := os.ReadFile(filepath.Join(dir, "timeseries.csv"))
	lines := strings.Split(strings.TrimRight(string(csv), "\n"), "\n")
	if !strings.HasPrefix(lines[0], report.TimeSeriesHeader+",limit,nprach_ce0,") {
		t.Errorf("timeseries.csv header %q", lines[0])
	}
	if len(lines) != 1+180 {
		t.Errorf("timeseries.csv has %d rows, want 180 (3 h of minutes)", len(lines)-1)
	}

	var top map[string]json.RawMessage
	js := readFile(t, filepath.Join(dir, "results.json"))
	if err := json.Unmarshal(js, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "seed", "duration_s", "kpi", "groups", "drops_by_cause", "perf"} {
		if _, ok := top[k]; !ok {
			t.Errorf("results.json: no top-level key %q", k)
		}
	}
	var r struct {
		Scenario  string                     `json:"scenario"`
		Seed      uint64                     `json:"seed"`
		DurationS float64                    `json:"duration_s"`
		KPI       map[string]json.RawMessage `json:"kpi"`
		Groups    map[string]struct {
			KPI map[string]json.RawMessage `json:"kpi"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(js, &r); err != nil {
		t.Fatal(err)
	}
	if r.Scenario != "cow-collars" || r.Seed != 3 || r.DurationS != 3*3600 {
		t.Errorf("scenario %q seed %d duration_s %g", r.Scenario, r.Seed, r.DurationS)
	}
	if _, ok := r.Groups["collars"]; !ok || len(r.Groups) != 1 {
		t.Errorf("groups: %v", r.Groups)
	}
	for _, k := range []string{"reports_generated", "reports_delivered", "reports_dropped", "reports_in_flight",
		"access_attempts", "access_success_probability", "collision_probability", "preamble_transmissions_mean",
		"energy_per_report_mj"} {
		var v float64
		if err := json.Unmarshal(r.KPI[k], &v); err != nil {
			t.Errorf("kpi.%s: %v (%s)", k, err, r.KPI[k])
		}
	}
	subKeys := func(k string, want ...string) {
		var m map[string]float64
		if err := json.Unmarshal(r.KPI[k], &m); err != nil {
			t.Errorf("kpi.%s: %v", k, err)
			return
		}
		for _, w := range want {
			if _, ok := m[w]; !ok {
				t.Errorf("kpi.%s has no %q: %v", k, w, m)
			}
		}
	}
	subKeys("access_delay_ms", "mean", "p50", "p95", "p99")
	subKeys("battery_years", "mean", "p5", "min")
	var gen, del int64
	json.Unmarshal(r.KPI["reports_generated"], &gen)
	json.Unmarshal(r.KPI["reports_delivered"], &del)
	if gen != 200 || del == 0 {
		t.Errorf("reports_generated %d, delivered %d: want 200 reports (one each in 3 h), some delivered", gen, del)
	}

	// A second run into the existing directory replaces the files.
	code, out, errOut = runCollars(t, "--out", dir, "--seed", "4", "-q")
	mustExit(t, 0, code, out, errOut)
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "results.json")), &r); err != nil || r.Seed != 4 {
		t.Errorf("results.json not replaced: seed %d, %v", r.Seed, err)
	}
	noLeftovers(t, dir)
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// resultsWithoutPerf runs with --seed and returns results.json without perf
// and timeseries.csv.
func resultsWithoutPerf(t *testing.T, seed string) (map[string]any, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errOut := runCollars(t, "--seed", seed, "--out", dir, "-q")
	mustExit(t, 0, code, out, errOut)
	var m map[string]any
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "results.json")), &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["perf"]; !ok {
		t.Fatal("results.json has no perf")
	}
	delete(m, "perf")
	return m, string(readFile(t, filepath.Join(dir, "timeseries.csv")))
}

func TestSeedReproducible(t *testing.T) {
	a, csvA := resultsWithoutPerf(t, "5")
	b, csvB := resultsWithoutPerf(t, "5")
	if !reflect.DeepEqual(a, b) {
		t.Error("--seed 5 twice: results.json differ outside perf")
	}
	if csvA != csvB {
		t.Error("--seed 5 twice: timeseries.csv differ")
	}
	if a["seed"] != float64(5) {
		t.Errorf("seed %v, want 5", a["seed"])
	}
	c, _ := resultsWithoutPerf(t, "6")
	if c["seed"] != float64(6) {
		t.Errorf("seed %v, want 6", c["seed"])
	}
	delete(a, "seed")
	delete(c, "seed")
	if reflect.DeepEqual(a, c) {
		t.Error("--seed 5 and --seed 6 give the same results")
	}
	// --seed is decimal: a leading zero is not octal.
	d, _ := resultsWithoutPerf(t, "010")
	if d["seed"] != float64(10) {
		t.Errorf("--seed 010 ran seed %v, want 10", d["seed"])
	}
}

func TestFailingExpectation(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	code, out, errOut := runCollars(t, "--set", "expect.0=access_success_probability > 2", "--out", dir)
	mustExit(t, 1, code, out, errOut)
	mustContain(t, "stderr", errOut, "access_success_probability > 2", "value 1)")
	if strings.Contains(errOut, "reports_delivered") {
		t.Errorf("stderr names an expectation that holds: %s", errOut)
	}
	mustContain(t, "stdout", out, "FAIL", "PASS  reports_delivered > 0")
	// The results of a run whose expectation fails are still written.
	if _, err := os.Stat(filepath.Join(dir, "results.json")); err != nil {
		t.Error(err)
	}

	// From a YAML file, quietly: only stderr.
	f := writeFile(t, t.TempDir(), "exp.yaml", `duration: 1h
groups:
  g:
    count: 20
    report: {period: 30m}
expect:
  - reports_delivered >= 0
  - groups.g.reports_generated < 1
`)
	code, out, errOut = run(t, "run", f, "-q")
	mustExit(t, 1, code, out, errOut)
	if out != "" {
		t.Errorf("-q printed %q", out)
	}
	mustContain(t, "stderr", errOut, "expectations failed", "groups.g.reports_generated < 1 (value ")
}

// TestBadInput: every bad input exits 2 with a clear message, before any
// output directory is created.
func TestBadInput(t *testing.T) {
	tmp := t.TempDir()
	regular := writeFile(t, tmp, "regular", "keep me\n")
	unknownKey := writeFile(t, tmp, "unknown-key.yaml", "duration: 1h\nradio:\n  bnad: B8\n")
	wrongType := writeFile(t, tmp, "wrong-type.yaml", "duration: 1h\ngroups:\n  g:\n    count: many\n")
	badYAML := writeFile(t, tmp, "bad.yaml", "duration: [1h\n")
	badExpect := writeFile(t, tmp, "bad-expect.yaml", "duration: 1h\ngroups:\n  g: {count: 5}\nexpect:\n  - battery_yeras.p5 > 1\n")

	tests := []struct {
		name string
		args []string
		want []string // substrings of stderr
	}{
		{"unknown scenario", []string{"run", "no-such-scenario"},
			append([]string{"no-such-scenario", "no such scenario"}, shippedNames...)},
		{"unknown key in file", []string{"run", unknownKey},
			[]string{unknownKey + ":3: radio.bnad: unknown key \"bnad\"", "allowed:", "band"}},
		{"wrong type in file", []string{"run", wrongType},
			[]string{wrongType + ":4: groups.g.count: expected an integer", `"many"`}},
		{"invalid YAML", []string{"run", badYAML}, []string{badYAML, "invalid YAML"}},
		{"periodicity not allowed", append([]string{"run", "cow-collars", "--set", "random_access.ce.0.periodicity=50ms"}, small...),
			[]string{"random_access.ce.0.periodicity", "50ms", "allowed: 40ms, 80ms, 160ms", "2.56s"}},
		{"negative count", []string{"run", "cow-collars", "--set", "groups.collars.count=-1"},
			[]string{"groups.collars.count", "negative", "-1"}},
		{"count wrong type", []string{"run", "cow-collars", "--set", "groups.collars.count=abc"},
			[]string{"groups.collars.count", "expected an integer", `"abc"`}},
		{"bad duration", []string{"run", "cow-collars", "--duration", "3x"}, []string{"--duration", `"3x"`, "7d"}},
		{"negative duration", []string{"run", "cow-collars", "--duration", "-1h"}, []string{"--duration", "-1h"}},
		{"zero duration", []string{"run", "cow-collars", "--duration", "0s"}, []string{"--duration", "greater than 0"}},
		{"bad seed", []string{"run", "cow-collars", "--seed", "abc"}, []string{"--seed", `"abc"`, "non-negative integer"}},
		{"negative seed", []string{"run", "cow-collars", "--seed", "-1"}, []string{"--seed", `"-1"`}},
		{"seed too large", []string{"run", "cow-collars", "--seed", "18446744073709551616"}, []string{"--seed"}},
		{"unknown set path", []string{"run", "cow-collars", "--set", "radio.nope=1"},
			[]string{"--set", "radio.nope", `unknown key "nope"`, "allowed:"}},
		{"unknown set group", []string{"run", "cow-collars", "--set", "groups.cows.count=1"},
			[]string{"--set", "groups.cows", "collars"}},
		{"set without =", []string{"run", "cow-collars", "--set", "seed"}, []string{"--set", "key.path=value"}},
		{"unknown expect path", append([]string{"run", "cow-collars", "--set", "expect.0=nosuch_kpi > 1"}, small...),
			[]string{"nosuch_kpi", "unknown path", "nearest valid paths"}},
		{"unknown expect path in file", []string{"run", badExpect}, []string{"battery_yeras.p5", "unknown path", "battery_years.p5"}},
		{"unknown expect cell", append([]string{"run", "cow-collars", "--set", "expect.0=cells.nope.iot_db.max < 1"}, small...),
			[]string{"cells.nope.iot_db.max", "unknown path"}},
		{"expect syntax", append([]string{"run", "cow-collars", "--set", "expect.0=access_success_probability = 1"}, small...),
			[]string{"expect.0", "PATH OP NUMBER"}},
		{"missing arg", []string{"run"}, []string{"SCENARIO", "got 0"}},
		{"two args", []string{"run", "cow-collars", "smart-meters"}, []string{"SCENARIO", "got 2"}},
		{"unknown flag", []string{"run", "cow-collars", "--bogus"}, []string{"unknown flag", "--bogus"}},
		{"unknown command", []string{"walk"}, []string{"unknown command", "walk"}},
		{"check unknown scenario", []string{"check", "no-such-scenario"}, []string{"no such scenario", "cow-collars"}},
		{"check missing arg", []string{"check"}, []string{"SCENARIO"}},
		{"check unknown key", []string{"check", unknownKey}, []string{unknownKey + ":3", "radio.bnad"}},
		{"check unknown expect path", []string{"check", badExpect}, []string{"battery_yeras.p5", "unknown path"}},
		{"check bad seed", []string{"check", "cow-collars", "--seed", "x"}, []string{"--seed"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			out := filepath.Join(tmp, "out", strings.ReplaceAll(tc.name, " ", "-"))
			if args[0] == "run" && i%2 == 0 {
				args = append(args, "--out", out)
			}
			code, stdout, stderr := run(t, args...)
			mustExit(t, 2, code, stdout, stderr)
			if stdout != "" {
				t.Errorf("bad input printed to stdout: %s", stdout)
			}
			if !strings.HasPrefix(stderr, "nbsim: ") {
				t.Errorf("stderr does not start with \"nbsim: \": %q", stderr)
			}
			mustContain(t, "stderr", stderr, tc.want...)
			if strings.Contains(stderr, "expectations failed") {
				t.Errorf("bad input reported as a failed expectation: %s", stderr)
			}
			mustNotExist(t, out)
		})
	}
	mustNotExist(t, filepath.Join(tmp, "out"))
	noLeftovers(t, tmp)
	if b := readFile(t, regular); string(b) != "keep me\n" {
		t.Errorf("regular file changed: %q", b)
	}
}

// TestBadOutDir: an --out that cannot be created is bad input, found before
// the run, and nothing is left behind.
func TestBadOutDir(t *testing.T) {
	tmp := t.TempDir()
	regular := writeFile(t, tmp, "regular", "keep me\n")
	outs := []string{
		filepath.Join(regular, "x"),
		filepath.Join(regular, "x", "y"),
		regular, // exists and is not a directory
	}
	if fi, err := os.Stat("/etc/hostname"); err == nil && fi.Mode().IsRegular() {
		outs = append(outs, "/etc/hostname/x")
	}
	for _, out := range outs {
		code, stdout, stderr := runCollars(t, "--out", out)
		mustExit(t, 2, code, stdout, stderr)
		mustContain(t, "stderr", stderr, "--out "+out+":")
		if strings.Contains(stdout, "scenario") {
			t.Errorf("--out %s: the run went ahead before the directory was checked:\n%s", out, stdout)
		}
		if out != regular {
			if _, err := os.Stat(out); err == nil || errors.Is(err, fs.ErrExist) {
				t.Errorf("%s exists", out)
			}
		}
	}
	if b := readFile(t, regular); string(b) != "keep me\n" {
		t.Errorf("regular file changed: %q", b)
	}
	noLeftovers(t, tmp)

	code, stdout, stderr := runCollars(t, "--out", "")
	mustExit(t, 2, code, stdout, stderr)
	mustContain(t, "stderr", stderr, "--out")
}

func TestCheck(t *testing.T) {
	for _, args := range [][]string{
		{"check", "cow-collars"},
		{"check", "cow-collars.yaml"},
		{"check", smallYAML},
		{"check", "tr37868"},
		{"check", "cow-collars", "--set", "groups.collars.count=40000"},
		{"check", "cow-collars", "--seed", "9", "--duration", "7d"},
		// Paths through cells are checked after a run, not before.
		{"check", "cow-collars", "--set", "expect.2=cells.farm/1.iot_db.max < 100",
			"--set", "expect.3=groups.collars.battery_years.p5 >= 0", "--set", "expect.4=drops_by_cause.ra_failure == 0"},
	} {
		code, out, errOut := run(t, args...)
		mustExit(t, 0, code, out, errOut)
		mustContain(t, "stdout", out, ": ok (")
	}
	code, out, errOut := run(t, "check", "cow-collars", "--set", "groups.collars.count=40000")
	mustExit(t, 0, code, out, errOut)
	mustContain(t, "stdout", out, "cow-collars: ok (40000 devices in 1 groups, 1 sites")
	code, out, errOut = run(t, "check", smallYAML)
	mustExit(t, 0, code, out, errOut)
	mustContain(t, "stdout", out, "small: ok (300 devices in 2 groups, 3 sites")

	code, out, errOut = run(t, "check", "cow-collars", "--set", "random_access.ce.0.periodicity=50ms")
	mustExit(t, 2, code, out, errOut)
	mustContain(t, "stderr", errOut, "allowed: 40ms")
	if out != "" {
		t.Errorf("check printed %q for a bad scenario", out)
	}
}

func TestLongDurationAndExpectOnCells(t *testing.T) {
	code, out, errOut := run(t, "run", "cow-collars", "--set", "groups.collars.count=3", "--duration", "7d",
		"--set", "expect.2=cells.farm/1.iot_db.max < 1000", "--set", "expect.3=cells.0.devices >= 0")
	mustExit(t, 0, code, out, errOut)
	mustContain(t, "summary", out, "duration 7d (604800 s)", "expectations: 4/4 passed")
}

// TestBinaryExitStatus builds the command and checks the real exit statuses.
func TestBinaryExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not in PATH")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "nbsim")
	build := exec.Command(goBin, "build", "-o", bin, ".")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	for _, tc := range []struct {
		args []string
		want int
		msg  string
	}{
		{[]string{"scenarios"}, 0, ""},
		{append([]string{"run", "cow-collars", "-q"}, small...), 0, ""},
		{append([]string{"run", "cow-collars", "-q", "--set", "expect.0=access_success_probability > 2"}, small...), 1,
			"access_success_probability > 2 (value 1)"},
		{[]string{"run", "no-such-scenario"}, 2, "no such scenario"},
		{[]string{"run", "cow-collars", "--duration", "soon"}, 2, "--duration"},
		{[]string{"check", "cow-collars"}, 0, ""},
		{[]string{"run"}, 2, "SCENARIO"},
	} {
		cmd := exec.Command(bin, tc.args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if code != tc.want {
			t.Errorf("nbsim %s: exit status %d, want %d\nstderr: %s", strings.Join(tc.args, " "), code, tc.want, stderr.String())
		}
		if tc.msg != "" && !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("nbsim %s: stderr %q does not contain %q", strings.Join(tc.args, " "), stderr.String(), tc.msg)
		}
		if tc.want == 0 && stderr.Len() > 0 {
			t.Errorf("nbsim %s: stderr %q", strings.Join(tc.args, " "), stderr.String())
		}
	}
}

// simTime formats days as days.
func TestSimTime(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s",
		2*time.Hour + 13*time.Minute + 5*time.Second: "2h13m5s",
		24 * time.Hour:               "1d",
		3*24*time.Hour + 4*time.Hour: "3d4h0m0s",
		1500 * time.Microsecond:      "2ms",
	} {
		if got := simTime(d); got != want {
			t.Errorf("simTime(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestVersion: --version prints the module version and the commit (a test
// binary has no VCS stamp: "(devel)", "commit unknown") and exits 0.
func TestVersion(t *testing.T) {
	code, stdout, stderr := run(t, "--version")
	mustExit(t, 0, code, stdout, stderr)
	if !strings.HasPrefix(stdout, "nbsim (devel) (commit unknown)") && !strings.HasPrefix(stdout, "nbsim v") {
		t.Errorf("--version printed %q", stdout)
	}
}
