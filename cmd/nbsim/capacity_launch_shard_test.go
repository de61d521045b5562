package main

import (
	"testing"
)

// TestCapacityLauncherInArray: a capacity search run inside a Slurm array
// task launches whole runs (--shard none), not the task's shard of each
// simulation, which nbsim run would otherwise take from the inherited
// SLURM_ARRAY_* variables: the search's output is the same as outside.
func TestCapacityLauncherInArray(t *testing.T) {
	bin := buildNbsim(t)
	old := selfExe
	selfExe = func() (string, error) { return bin, nil }
	t.Cleanup(func() { selfExe = old })
	args := []string{"capacity", "cow-collars", "--set", "groups.collars.count=200", "--duration", "1m",
		"--key", "radio.max_coupling_loss_db", "--expect", "kpi.out_of_coverage >= 10", "--json", "-q", "-j", "2"}
	code, inProc, errOut := run(t, args...)
	mustExit(t, 0, code, inProc, errOut)
	t.Setenv("SLURM_ARRAY_TASK_ID", "1")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "2")
	code, launched, errOut := run(t, append(args, "--launcher", "env", "--work", t.TempDir())...)
	mustExit(t, 0, code, launched, errOut)
	if launched != inProc {
		t.Errorf("launched in an array task:\n%s\nin process:\n%s", launched, inProc)
	}
}
