package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --launcher runs every simulation as a process of its own (here under a
// wrapper that logs each command line and execs it, as srun would start a
// job step): the search tries the same loads and finds the same limit as
// in one process, and every simulation's results.json is in --work.
func TestCapacityLauncher(t *testing.T) {
	bin := buildNbsim(t)
	old := selfExe
	selfExe = func() (string, error) { return bin, nil }
	t.Cleanup(func() { selfExe = old })

	dir := t.TempDir()
	log := filepath.Join(dir, "launched.log")
	wrap := filepath.Join(dir, "wrap.sh")
	if err := os.WriteFile(wrap, []byte("#!/bin/sh\necho \"$@\" >> "+log+"\nexec \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"capacity", "cow-collars", "--set", "groups.collars.count=200", "--duration", "1m",
		"--key", "radio.max_coupling_loss_db", "--expect", "kpi.out_of_coverage >= 10", "--json", "-q", "-j", "2"}
	code, inProc, errOut := run(t, args...)
	mustExit(t, 0, code, inProc, errOut)
	work := filepath.Join(dir, "work")
	code, launched, errOut := run(t, append(args, "--launcher", wrap, "--work", work)...)
	mustExit(t, 0, code, launched, errOut)
	if launched != inProc {
		t.Errorf("launched search differs from the in-process one:\n%s\nin process:\n%s", launched, inProc)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	results, _ := filepath.Glob(filepath.Join(work, "x-*", "seed-*", "results.json"))
	if len(lines) < 4 || len(results) != len(lines) {
		t.Errorf("%d simulations launched, %d results.json in --work", len(lines), len(results))
	}
	if !strings.HasPrefix(lines[0], bin+" run cow-collars --seed ") || !strings.Contains(lines[0], "--set radio.max_coupling_loss_db=164") {
		t.Errorf("first launched command: %s", lines[0])
	}

	// Bad input: one flag without the other; a launcher that fails.
	code, out, errOut := run(t, append(args, "--launcher", wrap)...)
	mustExit(t, 2, code, out, errOut)
	mustContain(t, "stderr", errOut, "--launcher and --work go together")
	code, out, errOut = run(t, append(args, "--launcher", "false", "--work", filepath.Join(dir, "w2"))...)
	if code == 0 {
		t.Errorf("a failing launcher: exit 0\n%s", out)
	}
	mustContain(t, "stderr", errOut, "--launcher: false ")
}
