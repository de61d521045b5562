package main

import (
	"bytes"
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
		wp := readResults(t, out).WithoutPerf()
		var err error
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

// TestRunShardBad: a shard out of range, malformed, or more shards than
// the scenario has clusters: exit 2 naming it, nothing written.
func TestRunShardBad(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	for _, c := range []struct{ flag, msg string }{
		{"3/3", "out of range"},
		{"1of3", "--shard"},
		{"0/4", "at most 3 shards"},
		{"0/2", "has one site"},
	} {
		name := "smart-meters"
		if c.flag == "0/2" {
			name = "cow-collars"
		}
		code, stdout, stderr := run(t, "run", name, "--set", "partition.tile_m=1000", "--duration", "10m",
			"--shard", c.flag, "--out", out, "-q")
		mustExit(t, exitBadInput, code, stdout, stderr)
		mustContain(t, "stderr", stderr, c.msg)
		if _, err := os.Stat(out); err == nil {
			t.Errorf("--shard %s: %s written", c.flag, out)
		}
	}
}

// TestRunShard: a shard's results.json has the shard block and its
// region's cells only.
func TestRunShard(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s1")
	code, stdout, stderr := run(t, "run", "smart-meters", "--set", "partition.tile_m=1000", "--set", "groups.meters.count=1000",
		"--duration", "10m", "--shard", "1/3", "--out", out, "-q")
	mustExit(t, exitOK, code, stdout, stderr)
	r := readResults(t, out)
	if r.Shard == nil || r.Shard.Index != 1 || r.Shard.Count != 3 || len(r.Shard.Clusters) != 1 || len(r.Cells) != 3 {
		t.Errorf("shard %+v, %d cells; want shard 1/3 of one cluster, 3 cells", r.Shard, len(r.Cells))
	}
}
