package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeResults writes a results.json under dir/name from a run's, with
// the top-level KPIs in kpi replaced.
func writeResults(t *testing.T, orig []byte, dir, name string, kpi map[string]float64) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(orig, &m); err != nil {
		t.Fatal(err)
	}
	k := m["kpi"].(map[string]any)
	for key, v := range kpi {
		k[key] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	d := filepath.Join(dir, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(d, "results.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	code, stdout, stderr := runCollars(t, "--out", out, "-q")
	mustExit(t, exitOK, code, stdout, stderr)
	orig, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The same run: nothing moved.
	code, stdout, stderr = run(t, "compare", out, filepath.Join(out, "results.json"))
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "access_success_probability", "battery_years.p5", "same")
	if strings.Contains(stdout, "REGRESSION") {
		t.Errorf("a run regressed against itself:\n%s", stdout)
	}
	// Access success falls by 0.002 (tolerance 0.001): a regression, exit 1.
	writeResults(t, orig, dir, "base", map[string]float64{"access_success_probability": 0.999})
	writeResults(t, orig, dir, "worse", map[string]float64{"access_success_probability": 0.997})
	code, stdout, stderr = run(t, "compare", filepath.Join(dir, "base"), filepath.Join(dir, "worse"))
	mustExit(t, exitExpect, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "REGRESSION")
	mustContain(t, "stderr", stderr, "1 KPI regressed")
	// Within a looser tolerance given by --kpi: no regression.
	code, stdout, stderr = run(t, "compare", filepath.Join(dir, "base"), filepath.Join(dir, "worse"), "--kpi", "access_success_probability:abs=0.005")
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "worse")

	// Seeds: three a side; the fall of the mean (0.02) is beyond the
	// tolerance but within the noise of the seeds (sd 0.05): no regression.
	for i, v := range []float64{0.90, 0.95, 1.00} {
		writeResults(t, orig, filepath.Join(dir, "a"), "s"+string(rune('1'+i)), map[string]float64{"access_success_probability": v})
		writeResults(t, orig, filepath.Join(dir, "b"), "s"+string(rune('1'+i)), map[string]float64{"access_success_probability": v - 0.02})
	}
	code, stdout, stderr = run(t, "compare", filepath.Join(dir, "a"), filepath.Join(dir, "b"), "--kpi", "access_success_probability")
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "(3 runs)", "noise", "worse")
	// A quoted glob names the same runs.
	code, stdout, stderr = run(t, "compare", filepath.Join(dir, "a", "s*", "results.json"), filepath.Join(dir, "b"), "--kpi", "access_success_probability")
	mustExit(t, exitOK, code, stdout, stderr)

	// Bad input: exit 2.
	for _, args := range [][]string{
		{"compare", out},
		{"compare", out, filepath.Join(dir, "nothing")},
		{"compare", out, out, "--kpi", "access_sucess_probability"},
		{"compare", out, out, "--kpi", "access_success_probability:rel=many"},
		{"compare", out, out, "--confidence", "1.5"},
		{"compare", filepath.Join(dir, "a", "x*"), out},
	} {
		code, stdout, stderr := run(t, args...)
		mustExit(t, exitBadInput, code, stdout, stderr)
	}
	// A campaign against results, and a campaign without its table: bad
	// input, said so.
	camp := t.TempDir()
	writeFile(t, camp, "sweep.json", campaignJSON("a", 0.99, 0.01))
	code, stdout, stderr = run(t, "compare", camp, out)
	mustExit(t, exitBadInput, code, stdout, stderr)
	mustContain(t, "stderr", stderr, "campaign directory with a campaign directory")
	shard := t.TempDir()
	writeFile(t, shard, "sweep-1-of-4.db", "")
	code, stdout, stderr = run(t, "compare", shard, shard)
	mustExit(t, exitBadInput, code, stdout, stderr)
	mustContain(t, "stderr", stderr, "nbsim sweep --collect")
}

// campaignJSON is a sweep.json of three points (count 1000, 2000, 3000)
// whose access_success_probability at count 1000 has the given mean and
// sd over 3 seeds; at 2000 mean 0.9, sd 0.05; at 3000 0.5, sd 0.1.
func campaignJSON(name string, mean1000, sd1000 float64) string {
	point := func(i int, count string, mean, sd float64, failed int) string {
		return fmt.Sprintf(`{"point": %d, "params": {"groups.collars.count": %q}, "runs": 3, "ok": %d, "failed": %d, "errors": [],
 "kpis": {"access_success_probability": {"n": 3, "mean": %g, "sd": %g, "ci95_low": null, "ci95_high": null},
          "battery_years.p5": {"n": 3, "mean": 6.6, "sd": 0.001, "ci95_low": null, "ci95_high": null}}}`, i, count, 3-failed, failed, mean, sd)
	}
	return fmt.Sprintf(`{"campaign": %q, "axes": ["groups.collars.count"], "kpis": ["access_success_probability", "battery_years.p5"], "seeds": [1, 2, 3],
"points": [%s, %s, %s]}`, name, point(0, "1000", mean1000, sd1000, 0), point(1, "2000", 0.9, 0.05, 0), point(2, "3000", 0.5, 0.1, 0))
}

// TestCompareCampaigns: hand-computed. At count 1000 the success falls
// from 0.99 to 0.95 (sd 0.01, 3 seeds a side): noise t(0.95, 4) ·
// √(2 · 0.01²/3) = 2.1318 · 0.008165 = 0.0174 < 0.04, a regression; at
// 2000 nothing moved; a candidate point of 4000 has no baseline.
func TestCompareCampaigns(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	writeFile(t, a, "sweep.json", campaignJSON("base", 0.99, 0.01))
	writeFile(t, b, "sweep.json", strings.Replace(campaignJSON("cand", 0.95, 0.01), `"3000"`, `"4000"`, 1))
	code, stdout, stderr := run(t, "compare", a, b)
	mustExit(t, exitExpect, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "(campaign base, 3 points)", "groups.collars.count=1000  access_success_probability", "0.0174", "REGRESSION",
		"1 candidate point has no baseline point")
	if n := strings.Count(stdout, "REGRESSION"); n != 1 {
		t.Errorf("%d regressions, want 1:\n%s", n, stdout)
	}
	mustContain(t, "stderr", stderr, "1 KPI regressed")
	// The same campaign: no regression.
	code, stdout, stderr = run(t, "compare", a, a)
	mustExit(t, exitOK, code, stdout, stderr)
	// Only the battery KPI: nothing regressed.
	code, stdout, stderr = run(t, "compare", a, b, "--kpi", "battery_years.p5")
	mustExit(t, exitOK, code, stdout, stderr)
	// A KPI the campaigns did not collect: bad input.
	code, stdout, stderr = run(t, "compare", a, b, "--kpi", "collision_probability")
	mustExit(t, exitBadInput, code, stdout, stderr)
	mustContain(t, "stderr", stderr, "not in both campaigns")
}

// TestCompareRealCampaigns: two small campaigns of nbsim sweep, the second
// with a CE0 NPRACH every 2.56 s instead of 40 ms: the access delay from
// the trigger regresses at every point, the success probability does not.
func TestCompareRealCampaigns(t *testing.T) {
	dir := t.TempDir()
	campaign := func(name, extra string) string {
		writeFile(t, dir, name+".yaml", `name: `+name+`
scenario: cow-collars
duration: 30m
seeds: 2
axes:
  - key: groups.collars.count
    values: [200, 400]
kpis:
  - access_success_probability
  - access_delay_from_trigger_ms.p95
`+extra)
		out := filepath.Join(dir, name)
		code, stdout, stderr := run(t, "sweep", filepath.Join(dir, name+".yaml"), "--out", out, "-q", "-j", "1")
		mustExit(t, exitOK, code, stdout, stderr)
		return out
	}
	a := campaign("base", "")
	b := campaign("sparse", "set:\n  random_access.ce.0.periodicity: 2.56s\n")
	code, stdout, stderr := run(t, "compare", a, b)
	mustExit(t, exitExpect, code, stdout, stderr)
	if n := strings.Count(stdout, "REGRESSION"); n != 2 {
		t.Errorf("%d regressions, want 2 (the delay at both points):\n%s", n, stdout)
	}
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, "access_success_probability") && strings.Contains(line, "REGRESSION") {
			t.Errorf("success probability regressed: %s", line)
		}
	}
}
