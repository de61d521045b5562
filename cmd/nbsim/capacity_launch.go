package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nbsim/nbsim/report"
)

// selfExe is the nbsim program a launcher starts (a test sets it to a
// built binary: its own executable is the test's).
var selfExe = os.Executable

// scenarioArg is the scenario as a launched process names it: a file by
// its absolute path (the process may start elsewhere), a shipped name as
// it is.
func scenarioArg(name string) string {
	if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() {
		if abs, err := filepath.Abs(name); err == nil {
			return abs
		}
	}
	return name
}

// launchEval is the capacity search's point evaluation as a process of its
// own: the --launcher command's words, then `nbsim run SCENARIO --seed S
// --set ... -q --out WORK/x-LOAD/seed-S`, whose results.json it reads. With
// `--launcher "srun -N1 -n1 --exclusive"` inside a Slurm allocation each
// simulation is a job step on a free node (docs/scale.md); the search
// itself, and so its answer, is the same as in-process. WORK must be a
// directory every node sees.
func launchEval(launcher []string, work, scenario string, base []string, duration string) func(ctx context.Context, sets []string, x float64, seed uint64) (*report.Results, error) {
	return func(ctx context.Context, sets []string, x float64, seed uint64) (*report.Results, error) {
		exe, err := selfExe()
		if err != nil {
			return nil, fmt.Errorf("--launcher: this program's path: %w", err)
		}
		out := filepath.Join(work, "x-"+strconv.FormatFloat(x, 'g', -1, 64), "seed-"+strconv.FormatUint(seed, 10))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, usageError{fmt.Errorf("--work: %w", err)}
		}
		// A previous search's output there must not be read as this run's.
		if err := os.RemoveAll(out); err != nil {
			return nil, fmt.Errorf("--work: %w", err)
		}
		// --shard none: each simulation is a whole run, also when the
		// search itself runs in a Slurm array task or an Indexed Job's pod
		// (whose variables the launched run inherits: internal/shard).
		args := append(append([]string(nil), launcher[1:]...), exe, "run", scenario, "--seed", strconv.FormatUint(seed, 10), "-q", "--shard", "none", "--out", out)
		if duration != "" {
			args = append(args, "--duration", duration)
		}
		for _, s := range append(append([]string(nil), base...), sets...) {
			args = append(args, "--set", s)
		}
		cmd := exec.CommandContext(ctx, launcher[0], args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err = cmd.Run()
		var ee *exec.ExitError
		switch {
		case err == nil, errors.As(err, &ee) && ee.ExitCode() == 1: // 1: an expectation failed, results written
		case errors.As(err, &ee) && ee.ExitCode() == 2:
			return nil, usageError{fmt.Errorf("load %v seed %d: %s", x, seed, strings.TrimSpace(stderr.String()))}
		default:
			return nil, fmt.Errorf("--launcher: %s: %v: %s", strings.Join(cmd.Args, " "), err, strings.TrimSpace(stderr.String()))
		}
		b, rerr := os.ReadFile(filepath.Join(out, report.FileResults))
		if rerr != nil { // exit status 1 without results: the launcher's own failure
			return nil, fmt.Errorf("--launcher: %s: %v and no %s: %s", strings.Join(cmd.Args, " "), err, report.FileResults, strings.TrimSpace(stderr.String()))
		}
		r := &report.Results{}
		if err := json.Unmarshal(b, r); err != nil {
			return nil, fmt.Errorf("--launcher: %s: %w", filepath.Join(out, report.FileResults), err)
		}
		return r, nil
	}
}
