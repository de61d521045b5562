package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/nbsim/nbsim/report"
)

// TestRunWorkersBad: --workers below 0 is bad input before the run.
func TestRunWorkersBad(t *testing.T) {
	code, stdout, stderr := run(t, "run", "cow-collars", "--workers", "-1", "--duration", "1h")
	mustExit(t, exitBadInput, code, stdout, stderr)
	mustContain(t, "stderr", stderr, "--workers -1")
}

// TestRunWorkersSame: a split scenario's results.json (but perf) and
// timeseries.csv are the same bytes with 1 and 3 workers.
func TestRunWorkersSame(t *testing.T) {
	dir := t.TempDir()
	var res [2][]byte
	var ts [2][]byte
	for i, w := range []string{"1", "3"} {
		out := filepath.Join(dir, w)
		code, stdout, stderr := run(t, "run", "smart-meters", "--set", "partition.tile_m=1000", "--set", "groups.meters.count=2000",
			"--duration", "30m", "--workers", w, "--out", out, "-q")
		mustExit(t, exitOK, code, stdout, stderr)
		b, err := os.ReadFile(filepath.Join(out, "results.json"))
		if err != nil {
			t.Fatal(err)
		}
		var r report.Results
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		wp := r.WithoutPerf()
		if res[i], err = report.Marshal(&wp); err != nil {
			t.Fatal(err)
		}
		if ts[i], err = os.ReadFile(filepath.Join(out, "timeseries.csv")); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(res[0], res[1]) || !bytes.Equal(ts[0], ts[1]) {
		t.Error("results differ between 1 and 3 workers")
	}
}
