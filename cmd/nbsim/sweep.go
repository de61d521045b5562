package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/nbsim/nbsim/internal/shard"
	"github.com/nbsim/nbsim/sweep"
)

// runsFailedError is returned when runs of a campaign failed (exit status 1):
// the campaign went on and the tables say which.
type runsFailedError struct{ failed, total int }

func (e runsFailedError) Error() string {
	return fmt.Sprintf("%d of %d runs failed (their errors above and in sweep.csv, sweep.json and the database; the same command runs them again)", e.failed, e.total)
}

func newSweep(stdout, stderr io.Writer) *cobra.Command {
	var out, shardFlag, collect string
	var jobs int
	var quiet bool
	c := &cobra.Command{
		Use:   "sweep CAMPAIGN.yaml | sweep --collect DIR",
		Short: "Run a campaign: a scenario over axes of values, several seeds a point, with confidence intervals",
		Long: `Run a campaign (docs/planning.md): a base scenario over axes of --set values
(a grid or zipped), each point with several seeds, -j runs at a time. Every
point is loaded, validated and built before the first run: a bad campaign
exits 2 and nothing runs. Each run's results.json goes to DIR/runs/, its row
(parameters, seed, nbsim version and commit, scenario hash, wall time,
status, error, KPIs) to the SQLite database DIR/sweep.db; then DIR/sweep.csv,
DIR/sweep.json (one row per point: each KPI's mean, standard deviation and
95 % confidence interval over seeds) and DIR/plots/ are written.

Runs already in the database with status ok are skipped: after a kill (at
any moment) or a failed run, the same command runs what is missing.

--shard i/N (0 ≤ i < N) runs only the runs whose position modulo N is i,
into DIR/sweep-i-of-N.db, and writes no table; --collect DIR merges the
databases in DIR into DIR/sweep.db and writes the tables. Without --shard,
a Slurm array task (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT,
SLURM_ARRAY_TASK_MIN) or a Kubernetes Indexed Job's pod (JOB_COMPLETION_INDEX
and NBSIM_SHARDS, the Job's completions) runs its own shard; --shard none
runs everything. docs/scale.md has the job files.

Exit status: 0 when every run ran, 1 when a run failed (recorded with its
error; the others ran), 2 on bad input, 130/143 when stopped by SIGINT/SIGTERM
(the runs done are kept; the runs under way are not recorded).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if collect != "" {
				if len(args) > 0 || shardFlag != "" {
					return usageError{errors.New("--collect DIR takes no CAMPAIGN and no --shard")}
				}
				t, err := sweep.Collect(collect)
				if err != nil {
					return usageError{err}
				}
				return printTable(stdout, t, collect, quiet)
			}
			if len(args) != 1 {
				return usageError{fmt.Errorf("sweep: want one CAMPAIGN file (or --collect DIR), got %d arguments", len(args))}
			}
			opt := sweep.Options{Jobs: jobs}
			sh, err := shard.FromOS(shardFlag)
			if err != nil {
				return usageError{err}
			}
			opt.Shard, opt.Shards = sh.Index, sh.Count
			camp, err := sweep.ReadCampaign(args[0])
			if err != nil {
				return usageError{err}
			}
			plan, err := sweep.NewPlan(camp)
			if err != nil {
				return usageError{err}
			}
			if out == "" {
				out = camp.Name
			}
			if f, ok := stderr.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
				opt.Progress = stderr
			}
			ctx, signalled, stop := interrupts(cmd.Context())
			defer stop()
			start := time.Now()
			sum, err := sweep.Run(ctx, plan, out, opt)
			if sig := signalled(); sig != nil {
				return interruptedError{sig: sig, at: -1}
			}
			if err != nil {
				return usageError{err}
			}
			if !quiet {
				fmt.Fprintf(stdout, "campaign %s: %d points × %d seeds; %d runs ran (%d ok, %d failed), %d were done, in %.1f s; database %s\n",
					camp.Name, len(plan.Points), len(camp.Seeds), sum.OK+sum.Failed, sum.OK, sum.Failed, sum.Skipped,
					time.Since(start).Seconds(), sum.DB)
				if sh.Sharded() {
					fmt.Fprintf(stdout, "shard %s from %s\n", sh, sh.From)
				}
			}
			if opt.Shards > 1 {
				if sum.Failed > 0 {
					return runsFailedError{sum.Failed, sum.Tasks}
				}
				return nil
			}
			t, err := sweep.Collect(out)
			if err != nil {
				return usageError{err}
			}
			return printTable(stdout, t, out, quiet)
		},
	}
	c.Flags().StringVar(&out, "out", "", "campaign directory (default: the campaign's name)")
	c.Flags().IntVarP(&jobs, "jobs", "j", 0, "runs at a time (default: the number of CPUs)")
	c.Flags().StringVar(&shardFlag, "shard", "", shard.FlagUsage+"; a shard's runs go to DIR/sweep-i-of-N.db")
	c.Flags().StringVar(&collect, "collect", "", "merge the campaign databases in DIR and write its tables")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing but errors")
	return c
}

// printTable prints the campaign's table (each KPI's mean ± the half-width
// of its 95 % confidence interval) and where the outputs are; it returns
// runsFailedError when a run failed.
func printTable(w io.Writer, t *sweep.Table, dir string, quiet bool) error {
	failed, total := 0, 0
	for _, p := range t.Points {
		failed += p.Failed
		total += p.Runs
	}
	if !quiet {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		head := append([]string{"point"}, t.Axes...)
		head = append(head, "ok/runs")
		head = append(head, t.KPIs...)
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		for _, p := range t.Points {
			rec := []string{strconv.Itoa(p.Point)}
			for _, a := range t.Axes {
				rec = append(rec, p.Params[a])
			}
			rec = append(rec, fmt.Sprintf("%d/%d", p.OK, p.Runs))
			for _, k := range t.KPIs {
				rec = append(rec, meanCI(p.KPIs[k]))
			}
			fmt.Fprintln(tw, strings.Join(rec, "\t")+"\t")
		}
		tw.Flush()
		for _, p := range t.Points {
			for _, e := range p.Errors {
				fmt.Fprintf(w, "failed: point %d, %s\n", p.Point, e)
			}
		}
		fmt.Fprintf(w, "tables written to %s and %s, plots to %s\n",
			filepath.Join(dir, sweep.FileCSV), filepath.Join(dir, sweep.FileJSON), filepath.Join(dir, sweep.DirPlots))
	}
	if failed > 0 {
		return runsFailedError{failed, total}
	}
	return nil
}

func meanCI(s sweep.Stats) string {
	switch {
	case s.Mean == nil:
		return "-"
	case s.CIHigh == nil:
		return strconv.FormatFloat(*s.Mean, 'g', 5, 64)
	}
	return fmt.Sprintf("%.5g ± %.2g", *s.Mean, *s.CIHigh-*s.Mean)
}
