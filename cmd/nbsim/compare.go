package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/nbsim/nbsim/report"
)

// errRegression is compare's error when a KPI regressed (exit status 1).
type errRegression struct{ n int }

func (e errRegression) Error() string {
	if e.n == 1 {
		return "1 KPI regressed"
	}
	return fmt.Sprintf("%d KPIs regressed", e.n)
}

func newCompare(stdout io.Writer) *cobra.Command {
	var kpis []string
	var conf float64
	c := &cobra.Command{
		Use:   "compare BASELINE CANDIDATE",
		Short: "Compare the KPIs of two runs (or two sets of seeds) and fail on a regression",
		Long: `Compare the KPIs of a candidate run with a baseline and print a table of
differences. Each side is a results.json, a directory holding one (an
--out directory), a directory whose subdirectories hold one each (the seeds
of one configuration: out/seed1, out/seed2, ...), or a quoted glob
('runs/base-*/results.json'). Two campaign directories of 'nbsim sweep'
are compared point by point (points matched by their parameters) from
their sweep.json: each KPI's mean, standard deviation and number of seeds.

A KPI regresses when it moves the bad way by more than its tolerance and,
with several runs on a side, by more than the noise: a one-sided Welch
t-test at --confidence over the seeds (a side of one run borrows the other
side's spread). The default KPIs, their better direction and tolerance:

  access_success_probability  higher  ±0.001
  collision_probability       lower   ±0.005
  access_delay_ms.p95         lower   10 %
  uplink_latency_ms.p95       lower   10 %
  energy_per_report_mj        lower   2 %
  battery_years.p5            higher  2 %
  battery_years.mean          higher  2 %
  reports_dropped             lower   10 %

(For campaigns, the KPIs both campaigns collected, with these tolerances
and directions where they are among them.)

--kpi PATH[:TERMS] (repeatable) compares those instead: PATH as in expect:
(groups.collars.battery_years.p5, cells.farm/1.ul_utilisation), TERMS
comma-separated among abs=X (in the KPI's unit), rel=X% (of the baseline),
higher, lower, either, e.g. --kpi 'access_delay_ms.p99:rel=5%,lower'.

Exit status: 0 when no KPI regressed, 1 when one did, 2 on bad input (a
missing file, a path a results.json lacks).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageError{fmt.Errorf("compare: want BASELINE and CANDIDATE, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if conf < 0.5 || conf >= 1 {
				return usageError{fmt.Errorf("--confidence %g: want a probability in [0.5, 1), e.g. 0.95", conf)}
			}
			var specs []report.KPISpec
			for _, k := range kpis {
				s, err := report.ParseKPISpec(k)
				if err != nil {
					return usageError{err}
				}
				specs = append(specs, s)
			}
			ca, err := isCampaign(args[0])
			if err != nil {
				return usageError{err}
			}
			cb, err := isCampaign(args[1])
			if err != nil {
				return usageError{err}
			}
			if ca != cb {
				return usageError{fmt.Errorf("compare: %s and %s: compare a campaign directory with a campaign directory, results with results", args[0], args[1])}
			}
			if ca {
				return compareCampaigns(stdout, args[0], args[1], specs, conf)
			}
			if specs == nil {
				specs = report.DefaultKPIs()
			}
			base, err := readSide(args[0])
			if err != nil {
				return usageError{err}
			}
			cand, err := readSide(args[1])
			if err != nil {
				return usageError{err}
			}
			diffs := make([]report.KPIDiff, 0, len(specs))
			for _, k := range specs {
				a, err := base.values(k.Path)
				if err != nil {
					return usageError{err}
				}
				b, err := cand.values(k.Path)
				if err != nil {
					return usageError{err}
				}
				diffs = append(diffs, report.CompareKPI(k, a, b, conf))
			}
			printDiffs(stdout, base, cand, diffs)
			n := 0
			for _, d := range diffs {
				if d.Verdict == report.Regression {
					n++
				}
			}
			if n > 0 {
				return errRegression{n}
			}
			return nil
		},
	}
	c.Flags().StringArrayVar(&kpis, "kpi", nil, "compare this KPI: PATH[:abs=X|rel=X%][,higher|lower|either] (repeatable; replaces the default set)")
	c.Flags().Float64Var(&conf, "confidence", 0.95, "confidence of the one-sided test over seeds (several results a side)")
	return c
}

// side is the results of one side of a comparison: one per run.
type side struct {
	spec  string
	files []string
	roots []any
}

// values is the KPI at path in each run of the side.
func (s *side) values(path string) (report.Side, error) {
	out := make(report.Side, len(s.roots))
	for i, r := range s.roots {
		v, err := report.LookupJSON(r, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.files[i], err)
		}
		out[i] = v
	}
	return out, nil
}

// readSide reads the results a side names (see compare's help).
func readSide(spec string) (*side, error) {
	files, err := sideFiles(spec)
	if err != nil {
		return nil, err
	}
	s := &side{spec: spec, files: files}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		root, err := report.DecodeResultsJSON(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		s.roots = append(s.roots, root)
	}
	return s, nil
}

// sideFiles lists the results.json files a side names.
func sideFiles(spec string) ([]string, error) {
	if strings.ContainsAny(spec, "*?[") {
		m, err := filepath.Glob(spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("%s: matches no file", spec)
		}
		return m, nil
	}
	fi, err := os.Stat(spec)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []string{spec}, nil
	}
	if f := filepath.Join(spec, "results.json"); fileExists(f) {
		return []string{f}, nil
	}
	entries, err := os.ReadDir(spec)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if f := filepath.Join(spec, e.Name(), "results.json"); e.IsDir() && fileExists(f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no results.json in it or in its subdirectories", spec)
	}
	slices.Sort(out)
	return out, nil
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// printDiffs prints the comparison table.
func printDiffs(w io.Writer, base, cand *side, diffs []report.KPIDiff) {
	fmt.Fprintf(w, "baseline:  %s (%s)\ncandidate: %s (%s)\n\n", base.spec, runs(len(base.files)), cand.spec, runs(len(cand.files)))
	stats := len(base.files) > 1 || len(cand.files) > 1
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if stats {
		fmt.Fprintln(tw, "KPI\tbaseline (sd)\tcandidate (sd)\tchange\ttolerance\tnoise\tbetter\tverdict")
	} else {
		fmt.Fprintln(tw, "KPI\tbaseline\tcandidate\tchange\ttolerance\tbetter\tverdict")
	}
	for _, d := range diffs {
		change := fmtChange(d)
		if stats {
			fmt.Fprintf(tw, "%s\t%s (%s)\t%s (%s)\t%s\t%s\t%s\t%s\t%s\n", d.Path, fmtG(d.Base), fmtG(d.BaseSD), fmtG(d.New), fmtG(d.NewSD),
				change, fmtG(d.Tol), fmtG(d.Noise), d.Dir, d.Verdict)
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Path, fmtG(d.Base), fmtG(d.New), change, fmtG(d.Tol), d.Dir, d.Verdict)
		}
	}
	tw.Flush()
}

// fmtChange is a difference with its sign and, against a non-zero
// baseline, in per cent.
func fmtChange(d report.KPIDiff) string {
	if d.Diff == 0 {
		return "0"
	}
	change := fmtG(d.Diff)
	if d.Diff > 0 {
		change = "+" + change
	}
	if d.Base != 0 {
		change += fmt.Sprintf(" (%+.1f %%)", 100*d.Diff/abs(d.Base))
	}
	return change
}

func runs(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}

func fmtG(v float64) string { return fmt.Sprintf("%.6g", v) }

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
