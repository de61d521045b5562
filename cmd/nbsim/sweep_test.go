package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nbsim/nbsim/sweep"
)

// campaign writes a campaign file of 2 axes × 2 values × 2 seeds of a
// shrunk cow-collars and returns its path.
func campaign(t *testing.T, counts, duration string) string {
	t.Helper()
	src := `scenario: cow-collars
duration: ` + duration + `
seeds: 2
axes:
  - key: groups.collars.count
    values: ` + counts + `
  - key: random_access.ce.0.periodicity
    values: [160ms, 320ms]
kpis: [access_success_probability, reports_delivered]
`
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSweepBadInput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	bad := campaign(t, "[200, -3]", "20m")
	code, stdout, stderr := run(t, "sweep", bad, "--out", out)
	mustExit(t, exitBadInput, code, stdout, stderr)
	mustContain(t, "stderr", stderr, bad+":6: axes.0: point 2 (groups.collars.count=-3, random_access.ce.0.periodicity=160ms)", "must not be negative")
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a rejected campaign wrote %s (%v)", out, err)
	}
	for _, args := range [][]string{
		{"sweep", campaign(t, "[200]", "20m"), "--shard", "2/2"},
		{"sweep", "--collect", t.TempDir()},
		{"sweep"},
		{"sweep", filepath.Join(t.TempDir(), "missing.yaml")},
	} {
		code, stdout, stderr := run(t, args...)
		mustExit(t, exitBadInput, code, stdout, stderr)
	}
}

// TestSweepShardEnv: without --shard a Slurm array task runs its own shard
// ((ID − MIN) of COUNT) and a Kubernetes pod its JOB_COMPLETION_INDEX of
// NBSIM_SHARDS; a bad environment, or a flag that disagrees with it, exits
// 2 naming the value and where it came from, and writes nothing.
func TestSweepShardEnv(t *testing.T) {
	camp := campaign(t, "[200]", "20m")
	out := filepath.Join(t.TempDir(), "camp")
	t.Setenv("SLURM_ARRAY_TASK_ID", "2")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "2")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "1")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "0/2"}, "--shard 0/2: disagrees with the environment's shard 1/2 (SLURM_ARRAY_TASK_ID=2"},
		{[]string{"--shard", "1/3"}, "--shard 1/3: disagrees"},
		{[]string{"--shard", "1/"}, "--shard 1/: not of the form i/N (allowed: i/N with 0 ≤ i < N"},
	} {
		code, stdout, stderr := run(t, append([]string{"sweep", camp, "--out", out}, c.args...)...)
		mustExit(t, exitBadInput, code, stdout, stderr)
		mustContain(t, "stderr", stderr, c.want)
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%v: a refused shard wrote %s (%v)", c.args, out, err)
		}
	}
	code, stdout, stderr := run(t, "sweep", camp, "--out", out, "-j", "2")
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "2 runs ran (2 ok, 0 failed)",
		"shard 1/2 from SLURM_ARRAY_TASK_ID=2 (SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_STEP=1, SLURM_ARRAY_TASK_COUNT=2)")
	if _, err := os.Stat(filepath.Join(out, "sweep-1-of-2.db")); err != nil {
		t.Error(err)
	}

	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "0")
	out2 := filepath.Join(t.TempDir(), "camp")
	code, stdout, stderr = run(t, "sweep", camp, "--out", out2)
	mustExit(t, exitBadInput, code, stdout, stderr)
	mustContain(t, "stderr", stderr, "JOB_COMPLETION_INDEX=0: the shard count is not in a pod's environment: NBSIM_SHARDS is not set")
	if _, err := os.Stat(out2); !os.IsNotExist(err) {
		t.Fatalf("a refused shard wrote %s (%v)", out2, err)
	}
	t.Setenv("NBSIM_SHARDS", "2")
	code, stdout, stderr = run(t, "sweep", camp, "--out", out, "-j", "2")
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "shard 0/2 from JOB_COMPLETION_INDEX=0, NBSIM_SHARDS=2")
	code, stdout, stderr = run(t, "sweep", "--collect", out)
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "2/2")
	// --shard none runs everything inside an array task.
	out3 := filepath.Join(t.TempDir(), "camp")
	code, stdout, stderr = run(t, "sweep", camp, "--out", out3, "--shard", "none", "-j", "2")
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "4 runs ran (4 ok, 0 failed)", "tables written to")
}

func TestSweep(t *testing.T) {
	c := campaign(t, "[200, 400]", "20m")
	out := filepath.Join(t.TempDir(), "camp")
	code, stdout, stderr := run(t, "sweep", c, "--out", out, "-j", "2")
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "campaign c: 4 points × 2 seeds; 8 runs ran (8 ok, 0 failed), 0 were done",
		"point  groups.collars.count  random_access.ce.0.periodicity  ok/runs  access_success_probability  reports_delivered",
		"tables written to "+filepath.Join(out, "sweep.csv"))
	code, stdout, stderr = run(t, "sweep", c, "--out", out)
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "0 runs ran (0 ok, 0 failed), 8 were done")
	code, stdout, stderr = run(t, "sweep", "--collect", out, "-q")
	mustExit(t, exitOK, code, stdout, stderr)
	if stdout != "" {
		t.Errorf("-q printed %q", stdout)
	}
	sweepRunsMerge(t, out)
}

// sweepRunsMerge: a campaign's runs carry timeseries.csv and merge.json,
// so nbsim merge pools a point's seeds (counts add, seeds listed) and
// refuses runs of two points (different scenarios).
func sweepRunsMerge(t *testing.T, out string) {
	t.Helper()
	runs, err := filepath.Glob(filepath.Join(out, "runs", "*-s1"))
	if err != nil || len(runs) != 4 {
		t.Fatalf("runs of seed 1: %v (%v), want 4", runs, err)
	}
	point := strings.TrimSuffix(runs[0], "-s1")
	seeds := []string{point + "-s1", point + "-s2"}
	merged := filepath.Join(t.TempDir(), "merged")
	code, stdout, stderr := run(t, append([]string{"merge", "-q", "--out", merged}, seeds...)...)
	mustExit(t, exitOK, code, stdout, stderr)
	m := readResults(t, merged)
	want := readResults(t, seeds[0]).KPI.ReportsGenerated + readResults(t, seeds[1]).KPI.ReportsGenerated
	if m.Merged == nil || len(m.Merged.Seeds) != 2 || m.KPI.ReportsGenerated != want || want == 0 {
		t.Errorf("merged seeds of a point: merged %+v, generated %d, want seeds [1 2] and %d", m.Merged, m.KPI.ReportsGenerated, want)
	}
	code, stdout, stderr = run(t, "merge", "-q", "--out", filepath.Join(t.TempDir(), "mixed"), runs[0], strings.TrimSuffix(runs[1], "-s1")+"-s2")
	mustExit(t, exitBadInput, code, stdout, stderr)
	mustContain(t, "stderr", stderr, "scenario")
}

// TestSweepKill stops a campaign with SIGKILL and with SIGINT while runs
// are under way and reruns it: the database is intact, the runs stored
// before are skipped, the others run.
func TestSweepKill(t *testing.T) {
	bin := buildNbsim(t)
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) { sweepStopped(t, bin, sig) })
	}
}

// sweepStopped stops a campaign with sig once runs are under way, checks
// the exit status and the database, and reruns it: the runs stored before
// are skipped, the others run.
func sweepStopped(t *testing.T, bin string, sig syscall.Signal) {
	c := campaign(t, "[3000, 4000, 5000]", "4h")
	out := filepath.Join(t.TempDir(), "camp")
	cmd := exec.Command(bin, "sweep", c, "--out", out, "-j", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Stop once a run is stored (its results.json is written just before
	// its row), or after 20 s.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(out, "runs", "*", "results.json")); len(m) >= 2 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(sig)
	err := cmd.Wait()
	if sig == syscall.SIGINT {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 130 {
			t.Errorf("after SIGINT: %v, want exit status 130", err)
		}
	}
	db, err := sweep.OpenDB(filepath.Join(out, "sweep.db"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := db.IntegrityCheck(); err != nil || s != "ok" {
		t.Fatalf("integrity_check after %v: %q %v", sig, s, err)
	}
	done, err := db.Done()
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, seeds := range done {
		n += len(seeds)
	}
	if n == 12 {
		t.Skip("the campaign ended before the signal")
	}
	code, stdout, stderr := run(t, "sweep", c, "--out", out, "-j", "2")
	mustExit(t, exitOK, code, stdout, stderr)
	m := regexp.MustCompile(`(\d+) runs ran \((\d+) ok, 0 failed\), (\d+) were done`).FindStringSubmatch(stdout)
	if m == nil || m[3] != strconv.Itoa(n) || m[1] != strconv.Itoa(12-n) {
		t.Errorf("after %v with %d runs stored: %s", sig, n, stdout)
	}
	if strings.Count(stdout, "2/2") != 6 {
		t.Errorf("table:\n%s", stdout)
	}
}

// TestSweepFailedRun: a run that fails at run time (here its results.json
// cannot be written: a file stands where its directory goes) is recorded as
// failed, the campaign goes on, nbsim exits 1 naming it; once the cause is
// gone the same command runs it alone and exits 0.
func TestSweepFailedRun(t *testing.T) {
	c := campaign(t, "[200]", "10m")
	camp, err := sweep.ReadCampaign(c)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := sweep.NewPlan(camp)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "camp")
	blocker := filepath.Join(out, sweep.Task{Point: &plan.Points[1], Seed: 2}.RunDir())
	if err := os.MkdirAll(filepath.Dir(blocker), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blocker, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "sweep", c, "--out", out)
	mustExit(t, exitExpect, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "4 runs ran (3 ok, 1 failed)", "failed: point 1, seed 2: ")
	mustContain(t, "stderr", stderr, "1 of 4 runs failed")
	os.Remove(blocker)
	code, stdout, stderr = run(t, "sweep", c, "--out", out)
	mustExit(t, exitOK, code, stdout, stderr)
	mustContain(t, "stdout", stdout, "1 runs ran (1 ok, 0 failed), 3 were done")
}
