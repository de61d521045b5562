package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbsim/nbsim/report"
)

func newMerge(stdout io.Writer) *cobra.Command {
	var out string
	var quiet bool
	c := &cobra.Command{
		Use:   "merge DIR... --out DIR",
		Short: "Merge the outputs of a sharded run's shards, or of several seeds of one scenario, into one run's",
		Long: `Merge --out directories of nbsim run into one: the N shards of a sharded
run (nbsim run --shard i/N, each with its shard block), or whole runs of
one scenario with different seeds (replications, pooled as one run of all
their devices; a sweep point's runs/HASH-sSEED directories are such runs). It writes results.json, timeseries.csv, merge.json, the
plots and report.html into --out (atomically, as run's --out), prints the
summary, and re-evaluates the scenario's expectations on the merged
results: exit 0 when they hold, 1 when one does not.

Counts add; ratios are recomputed from the summed counts; quantiles come
from the runs' sketches (merge.json) merged bin by bin, never from
averaged quantiles; a sharded run's cells are concatenated in shard
order, a replication's pooled cell by cell; the bottleneck is chosen again
by the rule. docs/results.md ("Merging runs") gives every field's rule.

Bad input is exit 2, nothing written: a DIR without results.json,
timeseries.csv or merge.json; runs of different scenarios (scenario_sha256
of merge.json), nbsim versions or durations; shards of different seeds or
shard counts, a shard missing or given twice; a seed given twice; shards
mixed with whole runs. The message names the DIRs, the field and its
values.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageError{errors.New("merge: --out DIR is required")}
			}
			if err := report.CheckDir(out); err != nil {
				return usageError{err}
			}
			started := time.Now()
			parts, shards, err := readParts(args)
			if err != nil {
				return usageError{err}
			}
			res, ts, st, err := report.Merge(parts, shards)
			if err != nil {
				return usageError{fmt.Errorf("merge: %w", err)}
			}
			exprs := make([]string, len(parts[0].Results.Expectations))
			for i, e := range parts[0].Results.Expectations {
				exprs[i] = e.Expr
			}
			if res.Expectations, err = report.Evaluate(res, exprs); err != nil {
				return usageError{fmt.Errorf("merge: %w", err)}
			}
			res.Perf.WallS += time.Since(started).Seconds()
			samples := &report.Samples{AccessDelaysMs: st.KPI.AccessDelayMs.CDFSample(20000),
				BatteryYears: st.KPI.BatteryYears.CDFSample(20000)}
			if !quiet {
				report.Summary(stdout, res)
			}
			if err := report.WriteDir(out, report.Outputs{Results: res, Series: ts, Samples: samples,
				Scenario: []byte(st.Scenario), State: st}); err != nil {
				return usageError{err}
			}
			if !quiet {
				fmt.Fprintf(stdout, "merged %d %s into %s\n", len(parts), map[bool]string{true: "shards", false: "runs"}[shards], out)
			}
			return expectationsHold(res)
		},
	}
	c.Flags().StringVar(&out, "out", "", "write the merged results.json, timeseries.csv, merge.json, plots and report.html to this directory (required; replaced atomically as run's --out)")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing but errors")
	return c
}

// expectationsHold is expectError with the expectations that do not
// hold, or nil.
func expectationsHold(res *report.Results) error {
	var failed []report.ExpectResult
	for _, e := range res.Expectations {
		if !e.OK {
			failed = append(failed, e)
		}
	}
	if len(failed) > 0 {
		return expectError{failed}
	}
	return nil
}

// readParts reads every DIR and checks that they merge: one scenario,
// version and duration, and either the complete shards of one run (then
// ordered by index) or whole runs of distinct seeds (ordered by seed).
func readParts(dirs []string) ([]report.Part, bool, error) {
	parts := make([]report.Part, len(dirs))
	for i, d := range dirs {
		p, err := readPart(d)
		if err != nil {
			return nil, false, err
		}
		parts[i] = p
	}
	if err := sameRun(dirs, parts); err != nil {
		return nil, false, err
	}
	shards := parts[0].Results.Shard != nil
	idx := make([]int, len(parts))
	for i := range idx {
		idx[i] = i
	}
	var err error
	if shards {
		err = checkShards(dirs, parts, idx)
	} else {
		err = checkSeeds(dirs, parts, idx)
	}
	if err != nil {
		return nil, false, err
	}
	sorted := make([]report.Part, len(parts))
	for i, j := range idx {
		sorted[i] = parts[j]
	}
	return sorted, shards, nil
}

// readPart reads one DIR's results.json, timeseries.csv and merge.json.
func readPart(dir string) (report.Part, error) {
	p := report.Part{Name: dir}
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("merge: %s has no %s (not an --out directory of nbsim run nor a run directory of nbsim sweep, or written by an nbsim older than merge)", dir, name)
		}
		return b, err
	}
	b, err := read(report.FileResults)
	if err != nil {
		return p, err
	}
	p.Results = &report.Results{}
	if err := json.Unmarshal(b, p.Results); err != nil {
		return p, fmt.Errorf("merge: %s: %w", filepath.Join(dir, report.FileResults), err)
	}
	if b, err = read(report.FileTimeSeries); err != nil {
		return p, err
	}
	if p.Series, err = report.ParseTimeSeriesCSV(b); err != nil {
		return p, fmt.Errorf("merge: %s: %w", filepath.Join(dir, report.FileTimeSeries), err)
	}
	if b, err = read(report.FileMergeState); err != nil {
		return p, err
	}
	if p.State, err = report.UnmarshalState(b); err != nil {
		return p, fmt.Errorf("merge: %s: %w", filepath.Join(dir, report.FileMergeState), err)
	}
	return p, nil
}

// sameRun: every part has the first's scenario, version and duration, and
// all are shards or none is.
func sameRun(dirs []string, parts []report.Part) error {
	p0 := parts[0]
	for i, p := range parts[1:] {
		d := dirs[i+1]
		for _, f := range []struct{ field, a, b string }{
			{"merge.json scenario_sha256 (the scenario as run, seed aside)", p0.State.ScenarioSHA256, p.State.ScenarioSHA256},
			{"results.json scenario", p0.Results.Scenario, p.Results.Scenario},
			{"merge.json version", p0.State.Version, p.State.Version},
			{"results.json duration_s", fmt.Sprint(p0.Results.DurationS), fmt.Sprint(p.Results.DurationS)},
		} {
			if f.a != f.b {
				return fmt.Errorf("merge: %s differs: %q in %s, %q in %s", f.field, f.a, dirs[0], f.b, d)
			}
		}
		if (p0.Results.Shard == nil) != (p.Results.Shard == nil) {
			return fmt.Errorf("merge: %s and %s: %s, %s: merge either the shards of one run or whole runs of several seeds, not both",
				dirs[0], d, describe(p0.Results), describe(p.Results))
		}
	}
	return nil
}

func describe(r *report.Results) string {
	if r.Shard == nil {
		return fmt.Sprintf("a whole run (seed %d, no shard block)", r.Seed)
	}
	return fmt.Sprintf("shard %d/%d", r.Shard.Index, r.Shard.Count)
}

// checkShards: one seed and shard count, each index 0..N-1 exactly once;
// idx is sorted by shard index.
func checkShards(dirs []string, parts []report.Part, idx []int) error {
	s0 := parts[0].Results
	n := s0.Shard.Count
	at := map[int]int{}
	for i, p := range parts {
		r := p.Results
		switch {
		case r.Seed != s0.Seed:
			return fmt.Errorf("merge: results.json seed differs: %d in %s, %d in %s (shards of one run have one seed)", s0.Seed, dirs[0], r.Seed, dirs[i])
		case r.Shard.Count != n:
			return fmt.Errorf("merge: results.json shard.count differs: %d in %s, %d in %s", n, dirs[0], r.Shard.Count, dirs[i])
		case r.Shard.Index < 0 || r.Shard.Index >= n:
			return fmt.Errorf("merge: %s: shard.index %d outside 0..%d", dirs[i], r.Shard.Index, n-1)
		}
		if j, dup := at[r.Shard.Index]; dup {
			return fmt.Errorf("merge: shard %d/%d given twice: %s and %s", r.Shard.Index, n, dirs[j], dirs[i])
		}
		at[r.Shard.Index] = i
	}
	var missing []string
	for k := range n {
		if _, ok := at[k]; !ok {
			missing = append(missing, fmt.Sprint(k))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("merge: shard %s of %d missing (given: %d shards)", strings.Join(missing, ", "), n, len(parts))
	}
	slices.SortFunc(idx, func(a, b int) int { return parts[a].Results.Shard.Index - parts[b].Results.Shard.Index })
	return nil
}

// checkSeeds: distinct seeds (a merge of replications counts each of its
// seeds); idx is sorted by (first) seed.
func checkSeeds(dirs []string, parts []report.Part, idx []int) error {
	at := map[uint64]int{}
	for i, p := range parts {
		for _, seed := range p.Results.Seeds() {
			if j, dup := at[seed]; dup {
				return fmt.Errorf("merge: seed %d given twice: %s and %s (replications need distinct seeds)", seed, dirs[j], dirs[i])
			}
			at[seed] = i
		}
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(parts[a].Results.Seeds()[0], parts[b].Results.Seeds()[0]) })
	return nil
}
