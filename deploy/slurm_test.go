package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// TestSlurm runs the shipped Slurm job files on a real Slurm: a one-node
// cluster on this machine (scripts/slurm-local.sh: installs slurm-wlm and
// munge when missing, as root with apt-get; skipped otherwise). The example
// campaign (deploy/kubernetes/campaign.yaml) is submitted as an array of 3
// shards and its merge job with --dependency=afterok
// (deploy/slurm/submit.sh sweep): the merged sweep.csv equals an unsharded
// sweep's. A capacity search runs its simulations as job steps
// (capacityBySrun). Once nbsim has run --shard and merge, a scenario too
// (deploy/slurm/submit.sh run, 2 shards of smallRun): the merged KPIs agree with the
// unsharded run's (nbsim compare, both ways). Every daemon started is
// stopped, also on failure.
func TestSlurm(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Slurm daemons (make test-long)")
	}
	if os.Getuid() != 0 {
		t.Skip("slurmd runs as root: not root")
	}
	if _, err := exec.LookPath("sbatch"); err != nil {
		if _, err := exec.LookPath("apt-get"); err != nil {
			t.Skip("no Slurm and no apt-get to install it")
		}
	}
	bin := nbsim(t)
	dir := t.TempDir()
	env := startSlurm(t, filepath.Join(dir, "slurm"))
	env = append(env, "NBSIM="+bin)

	var cm corev1.ConfigMap
	strict(t, "campaign.yaml", &cm)
	camp := filepath.Join(dir, "campaign.yaml")
	if err := os.WriteFile(camp, []byte(cm.Data["campaign.yaml"]), 0o666); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "sweep")
	submit(t, env, dir, 3, "sweep", camp, out)
	for i := range 3 {
		if _, err := os.Stat(filepath.Join(out, "sweep-"+strconv.Itoa(i)+"-of-3.db")); err != nil {
			t.Error(err)
		}
	}
	whole := filepath.Join(dir, "whole")
	if b, err := exec.Command(bin, "sweep", camp, "--out", whole, "--shard", "none").CombinedOutput(); err != nil {
		t.Fatalf("unsharded sweep: %v\n%s", err, b)
	}
	sameFile(t, filepath.Join(out, "sweep.csv"), filepath.Join(whole, "sweep.csv"))

	capacityBySrun(t, env, dir, bin)

	if m := missingShard(bin); m != "" {
		t.Log("a sharded scenario not submitted: this nbsim has no " + m + " yet")
		return
	}
	runs := filepath.Join(dir, "run")
	submit(t, env, dir, 2, "run", smallRun[0], runs, smallRun[1:]...)
	wholeRun := filepath.Join(dir, "whole-run")
	args := append([]string{"run", smallRun[0], "--out", wholeRun, "--shard", "none"}, smallRun[1:]...)
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("unsharded run: %v\n%s", err, b)
	}
	agree(t, bin, wholeRun, filepath.Join(runs, "merged"))
	t.Logf("sharded scenario: %s in 2 shards and merged agrees with the unsharded run", strings.Join(smallRun, " "))
}

// capacityBySrun runs a capacity search as a batch job of 2 tasks whose
// simulations are job steps (nbsim capacity --launcher "srun -N1 -n1
// --exclusive", docs/scale.md): the same output as the search in one
// process, and every simulation ran as a step of its own.
func capacityBySrun(t *testing.T, env []string, dir, bin string) {
	t.Helper()
	args := []string{"capacity", "cow-collars", "--set", "groups.collars.count=200", "--duration", "1m",
		"--key", "radio.max_coupling_loss_db", "--expect", "kpi.out_of_coverage >= 10", "--json", "-q", "-j", "2"}
	inProc, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("nbsim capacity: %v", err)
	}
	steps := filepath.Join(dir, "steps.log")
	wrap := filepath.Join(dir, "step.sh")
	if err := os.WriteFile(wrap, []byte("#!/bin/sh\necho \"$SLURM_JOB_ID.$SLURM_STEP_ID\" >> "+steps+"\nexec \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + a + "'"
	}
	job := filepath.Join(dir, "capacity.sbatch")
	src := "#!/bin/bash\nexec \"$NBSIM\" " + strings.Join(quoted, " ") +
		" --launcher 'srun -N1 -n1 --exclusive " + wrap + "' --work " + filepath.Join(dir, "capwork") + " > " + filepath.Join(dir, "capacity.json") + "\n"
	if err := os.WriteFile(job, []byte(src), 0o755); err != nil {
		t.Fatal(err)
	}
	sb := exec.Command("sbatch", "--parsable", "--ntasks=2", "--output=capacity-%j.out", job)
	sb.Env, sb.Dir = env, dir
	b, err := sb.CombinedOutput()
	if err != nil {
		t.Fatalf("sbatch: %v\n%s", err, b)
	}
	id := strings.Split(strings.TrimSpace(string(b)), ";")[0]
	waitJobs(t, env, dir, 5*time.Minute, id)
	if st := jobStates(t, env, id); len(st) != 1 || st[0] != "COMPLETED" {
		t.Fatalf("capacity job %s: %v\n%s", id, st, logs(dir))
	}
	got, err := os.ReadFile(filepath.Join(dir, "capacity.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(inProc) {
		t.Errorf("the search by job steps differs from the one in one process:\n%s\nin one process:\n%s", got, inProc)
	}
	b, err = os.ReadFile(steps)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(b))
	seen := map[string]bool{}
	for _, l := range lines {
		seen[l] = true
	}
	results, _ := filepath.Glob(filepath.Join(dir, "capwork", "x-*", "seed-*", "results.json"))
	if len(lines) < 4 || len(seen) != len(lines) || len(results) != len(lines) {
		t.Errorf("%d simulations as %d distinct job steps (%v), %d results.json", len(lines), len(seen), lines, len(results))
	}
	t.Logf("capacity search: %d simulations, each a job step of job %s", len(lines), id)
}

// startSlurm starts a one-node Slurm under dir (skipping the test when
// slurm-local.sh cannot run here), stops it when the test ends, and
// returns the environment of its clients.
func startSlurm(t *testing.T, dir string) []string {
	t.Helper()
	script := mustAbs(t, "../scripts/slurm-local.sh")
	t.Cleanup(func() {
		if b, err := exec.Command(script, "stop", dir).CombinedOutput(); err != nil {
			t.Errorf("stopping Slurm: %v\n%s", err, b)
		}
	})
	start := exec.Command(script, "start", dir)
	start.Stderr = os.Stderr
	// If the test binary dies (a -timeout panic runs no cleanup), the
	// script's watcher stops the daemons.
	start.Env = append(os.Environ(), "SLURM_LOCAL_OWNER="+strconv.Itoa(os.Getpid()))
	line, err := start.Output()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
		t.Skip("slurm-local.sh cannot run here")
	}
	if err != nil {
		t.Fatalf("slurm-local.sh start: %v\n%s", err, logs(dir))
	}
	conf := strings.TrimPrefix(strings.TrimSpace(string(line)), "export SLURM_CONF=")
	return append(os.Environ(), "SLURM_CONF="+conf)
}

// submit submits n shards of kind (sweep or run) of input into out and the
// merge job with deploy/slurm/submit.sh from dir, waits for both and
// checks that every task and the merge completed.
func submit(t *testing.T, env []string, dir string, n int, kind, input, out string, extra ...string) {
	t.Helper()
	cmd := exec.Command(mustAbs(t, "slurm/submit.sh"), append([]string{kind, input, out, strconv.Itoa(n)}, extra...)...)
	cmd.Env, cmd.Dir = env, dir
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("submit.sh %s: %v\n%s", kind, err, b)
	}
	ids := strings.Fields(string(b))
	if len(ids) != 2 {
		t.Fatalf("submit.sh printed %q, want ARRAY MERGE", b)
	}
	waitJobs(t, env, dir, 5*time.Minute, ids...)
	for _, id := range ids {
		states := jobStates(t, env, id)
		for _, s := range states {
			if s != "COMPLETED" {
				t.Fatalf("%s job %s: states %v\n%s", kind, id, states, logs(dir))
			}
		}
		if id == ids[0] && len(states) != n {
			t.Errorf("%s array %s: %d tasks, want %d", kind, id, len(states), n)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// waitJobs polls squeue until none of the jobs is pending or running, or
// fails after timeout. A job pending on a dependency that can never be
// satisfied (its array failed) fails at once.
func waitJobs(t *testing.T, env []string, dir string, timeout time.Duration, ids ...string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		q := exec.Command("squeue", "-h", "-o", "%i %T %r", "-j", strings.Join(ids, ","))
		q.Env = env
		b, err := q.CombinedOutput()
		if err != nil && !strings.Contains(string(b), "Invalid job id") {
			t.Fatalf("squeue: %v\n%s", err, b)
		}
		s := strings.TrimSpace(string(b))
		if s == "" || strings.Contains(s, "Invalid job id") {
			return
		}
		if strings.Contains(s, "DependencyNeverSatisfied") {
			t.Fatalf("a job's dependency failed:\n%s\n%s", s, logs(dir))
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still queued after %v:\n%s\n%s", timeout, s, logs(dir))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// jobStates reads the JobState of a job, or of each task of an array, with
// scontrol (there is no accounting database to ask sacct).
func jobStates(t *testing.T, env []string, id string) []string {
	t.Helper()
	c := exec.Command("scontrol", "-o", "show", "job", id)
	c.Env = env
	b, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("scontrol show job %s: %v\n%s", id, err, b)
	}
	var states []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		for _, f := range strings.Fields(line) {
			if s, ok := strings.CutPrefix(f, "JobState="); ok {
				states = append(states, s)
			}
		}
	}
	return states
}

// logs gathers the job outputs and daemon logs under dir, for a failure.
func logs(dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && (strings.HasSuffix(p, ".out") || strings.HasSuffix(p, ".log")) {
			c, _ := os.ReadFile(p)
			b.WriteString("== " + p + "\n" + string(c) + "\n")
		}
		return nil
	})
	return b.String()
}
