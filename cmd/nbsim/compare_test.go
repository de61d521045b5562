package main

import (
	"encoding/json"
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
	// A campaign directory: not read yet, said so.
	camp := t.TempDir()
	for _, f := range []string{"sweep.json", "sweep-1-of-4.db"} {
		writeFile(t, camp, f, "")
		code, stdout, stderr = run(t, "compare", camp, out)
		mustExit(t, exitBadInput, code, stdout, stderr)
		mustContain(t, "stderr", stderr, "campaign directory", "not read")
		os.Remove(filepath.Join(camp, f))
	}
}
