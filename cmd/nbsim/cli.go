package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/internal/shard"
	"github.com/nbsim/nbsim/internal/version"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// Exit statuses.
const (
	exitOK       = 0
	exitExpect   = 1 // an expectation failed
	exitBadInput = 2 // bad scenario, flag or output directory
)

// usageError marks errors that are the user's input (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// expectError is returned when an expectation does not hold (exit status 1).
type expectError struct{ failed []report.ExpectResult }

// failError is a command's negative answer (exit status 1), such as a
// capacity search that finds no limit within its bounds.
type failError struct{ err error }

func (e failError) Error() string { return e.err.Error() }
func (e failError) Unwrap() error { return e.err }

func (e expectError) Error() string {
	s := "expectations failed:"
	for _, f := range e.failed {
		s += fmt.Sprintf("\n  %s (value %g)", f.Expr, f.Value)
	}
	return s
}

// interruptGrace is how long after a signal nbsim run waits for the run
// to stop before it ends the process itself.
const interruptGrace = 500 * time.Millisecond

// interruptedError is returned when a signal (SIGINT, SIGTERM) stopped a
// command. The exit status is 128 + the signal's number, as a shell reports
// a process killed by it (130 for SIGINT, 143 for SIGTERM). at is the
// simulated time reached, or negative where there is none.
type interruptedError struct {
	sig os.Signal
	at  time.Duration
}

func (e interruptedError) Error() string {
	if e.at < 0 {
		return fmt.Sprintf("interrupted (%s)", signalName(e.sig))
	}
	return "interrupted at simulated time " + simTime(e.at)
}

// status is the exit status: 128 + the signal number.
func (e interruptedError) status() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// simTime formats a simulated time readably: a Go duration below a day
// (2h13m5s), days and the rest above (3d4h0m0s), to the millisecond.
func simTime(d time.Duration) string {
	d = d.Round(time.Millisecond)
	const day = 24 * time.Hour
	if d < day {
		return d.String()
	}
	days, rest := d/day, d%day
	if rest == 0 {
		return fmt.Sprintf("%dd", days)
	}
	return fmt.Sprintf("%dd%s", days, rest)
}

// interrupts cancels the returned context on the first SIGINT or SIGTERM
// and tells which signal it was. After the first signal the default action
// is restored, so a second one ends the process at once. stop releases
// the signals.
func interrupts(parent context.Context) (ctx context.Context, sig func() os.Signal, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var mu sync.Mutex
	var got os.Signal
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			mu.Lock()
			got = s
			mu.Unlock()
			cancel()
		case <-done:
		}
	}()
	sig = func() os.Signal {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel()
		})
	}
	return ctx, sig, stop
}

// Main runs the CLI with args and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee expectError
	var reg errRegression
	var fe failError
	if errors.As(err, &reg) || errors.As(err, &fe) {
		fmt.Fprintln(stderr, "nbsim:", err)
		return exitExpect
	}
	var rf runsFailedError
	if errors.As(err, &ee) || errors.As(err, &rf) {
		fmt.Fprintln(stderr, "nbsim:", err)
		return exitExpect
	}
	var ie interruptedError
	if errors.As(err, &ie) {
		fmt.Fprintln(stderr, "nbsim:", err)
		return ie.status()
	}
	fmt.Fprintln(stderr, "nbsim:", err)
	return exitBadInput
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "nbsim",
		Short: "NB-IoT radio and core network simulator",
		Long: `nbsim simulates NB-IoT networks: devices with PSM, eDRX, C-DRX and RAI,
random access on NPRACH, the radio link and an EPC (MME, HSS, NAS security).

  nbsim run cow-collars            run a shipped scenario
  nbsim run my.yaml --out results  run a file and write results.json, CSV, plots, report.html
  nbsim run cow-collars --pcap x.pcap   ... with every S1AP/NAS message in a capture
  nbsim check my.yaml              validate a scenario
  nbsim sweep campaign.yaml        run a campaign: points × seeds, confidence intervals
  nbsim scenarios                  list the shipped scenarios
  nbsim core                       run the EPC alone on S1-MME
  nbsim decode trace.pcapng        print the S1AP and NAS-EPS messages of a capture
  nbsim capacity cow-collars --per site   the largest load meeting every expect:
  nbsim schema scenario            the JSON Schema of scenario files, for editors
  nbsim devtest --firmware "CMD {port}"   test your firmware end to end (docs/firmware.md)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	// --version: the module version ("(devel)" for a build from a working
	// tree) and the commit the toolchain stamped, "unknown" when none was
	// (go run, go test, -buildvcs=false).
	root.Version = version.Get().String()
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newRun(stdout, stderr), newCheck(stdout), newScenarios(stdout), newCore(stdout, stderr), newDecode(stdout), newEmulate(stdout, stderr))
	root.AddCommand(newSchema(stdout), newCompare(stdout))
	root.AddCommand(newCapacity(stdout, stderr))
	root.AddCommand(newSweep(stdout, stderr))
	root.AddCommand(newMerge(stdout))
	root.AddCommand(newDevtest(stdout, stderr))
	return root
}

type loadFlags struct {
	seed     string
	duration string
	sets     []string
}

func (f *loadFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.seed, "seed", "", "random seed (overrides the scenario's seed)")
	c.Flags().StringVar(&f.duration, "duration", "", "simulated time: a Go duration or days, e.g. 36h, 7d")
	c.Flags().StringArrayVar(&f.sets, "set", nil, "override a scenario key: key.path=value (repeatable), e.g. groups.collars.count=40000")
}

// load reads and validates the scenario with the flags applied.
func (f *loadFlags) load(name string) (*scenarios.Scenario, error) {
	sets := append([]string(nil), f.sets...)
	// The flags are passed as overrides in canonical form: the raw text
	// would be read as YAML, where 010 is octal (--seed 010 ran seed 8).
	if f.seed != "" {
		seed, err := strconv.ParseUint(f.seed, 10, 64)
		if err != nil {
			return nil, usageError{fmt.Errorf("--seed %q: want a non-negative integer", f.seed)}
		}
		sets = append(sets, "seed="+strconv.FormatUint(seed, 10))
	}
	if f.duration != "" {
		d, err := scenarios.ParseDuration(f.duration)
		if err != nil {
			return nil, usageError{fmt.Errorf("--duration: %v", err)}
		}
		if d <= 0 {
			return nil, usageError{fmt.Errorf("--duration %q: must be greater than 0", f.duration)}
		}
		sets = append(sets, "duration="+strconv.Quote(d.D().String()))
	}
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		return nil, usageError{err}
	}
	if err := checkExpect(sc, name, sets); err != nil {
		return nil, err
	}
	return sc, nil
}

// checkExpect resolves the scenario's expectations against the shape of
// its results (report.Shape: every value 0, its groups, cells, CE levels
// and resources) before anything runs, so that a path that does not exist
// is bad input for check and fails run at once, at the FILE:LINE of the
// expectation, rather than after a long simulation. Only paths into
// preamble_transmissions_cdf, whose length the run decides, are left to
// the evaluation after the run.
func checkExpect(sc *scenarios.Scenario, name string, sets []string) error {
	if len(sc.Expect) == 0 {
		return nil
	}
	groups := make([]string, 0, len(sc.Groups))
	for name := range sc.Groups {
		groups = append(groups, name)
	}
	var cells []string
	if slices.ContainsFunc(sc.Expect, func(e string) bool { return strings.Contains(e, "cells") }) {
		cells = sc.CellNames()
	}
	shape := report.Shape(sc.Name, sc.Seed, groups, cells, len(sc.RandomAccess.CE), sc.Radio.Carriers)
	_, perr, err := report.EvaluateEach(shape, sc.Expect)
	if err != nil {
		return err
	}
	var errs scenarios.Errors
	for i, err := range perr {
		if err == nil {
			continue
		}
		if e, perr := report.ParseExpect(sc.Expect[i]); perr == nil && runDecides(e.Path) {
			continue
		}
		file, line := scenarios.ExpectAt(name, sets, i)
		errs = append(errs, &scenarios.Error{File: file, Line: line, Path: "expect." + strconv.Itoa(i), Msg: err.Error()})
	}
	if len(errs) > 0 {
		return usageError{errs}
	}
	return nil
}

// runDecides reports whether an expectation path goes through values whose
// number only the run decides (the entries of preamble_transmissions_cdf).
func runDecides(path string) bool {
	return slices.Contains(strings.Split(path, "."), "preamble_transmissions_cdf")
}

// oneScenario accepts exactly one SCENARIO argument.
func oneScenario(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageError{fmt.Errorf("%s: want one SCENARIO (a YAML file or a shipped scenario, see 'nbsim scenarios'), got %d arguments", cmd.Name(), len(args))}
	}
	return nil
}

func newRun(stdout, stderr io.Writer) *cobra.Command {
	var lf loadFlags
	var out, pcapPath, mmeURL, junitPath string
	var quiet, jsonOut bool
	var workers int
	var shardFlag string
	c := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run a scenario (a YAML file or the name of a shipped scenario)",
		Long: `Run a scenario and print a summary. SCENARIO is a path to a YAML file or
the name of a shipped scenario (see 'nbsim scenarios').

--mme URL runs the simulated eNodeBs against an external MME (e.g. 'nbsim
core --listen udp://127.0.0.1:36412') over S1-MME instead of the
simulator's own core: encoded signalling, every device attaching over the
air. The scenario must have no downlink data: its server replies and
downlink traffic would enter that core at its SGi (nbsim core's gateway
faces real servers), which the simulator has no link to, and the core's
pages are not answered.

--out DIR and --pcap FILE are written atomically: whenever the run is
stopped (even by kill -9), DIR holds the complete previous output or the
complete new one, and FILE the previous capture or the complete new one.
The new output is staged beside DIR (.nbsim-out-<name>-<pid>-<random>) and
swapped in; the capture is written beside FILE (.nbsim-pcap-...). A later
run removes what a killed run left behind. DIR is replaced as a whole: its
other files are carried over, but a DIR holding a subdirectory is refused.

SIGINT (Ctrl-C) or SIGTERM stops the run at the next simulated minute, and
at most half a second after the signal: nothing is written, DIR and FILE
stay as they were, "interrupted at simulated time T" goes to stderr.
A second signal ends the process at once. A signal that arrives once the
simulation has finished is ignored: the outputs are being put in place.

--junit FILE writes a JUnit XML report (one testcase per expectation, a
failure with the expression and the value for each that does not hold) for
CI servers; --json prints a machine-readable summary on stdout instead of
the text summary (docs/results.md, "Machine-readable summary"). Both are
written whether the expectations hold or not, and not on bad input.

--workers N runs the scenario's spatial clusters (partition.tile_m,
docs/model.md "Clusters") on N goroutines; default: every core
(GOMAXPROCS); the build places the devices on N goroutines too. The
results are the same for every N: only the perf block of results.json
moves. A scenario whose sites make one cluster runs on one.

--shard i/N runs shard i of N of a scenario too big for one machine
(docs/scale.md, "Country-size runs"): a region of about 1/N of the
clusters, plus a halo of the sites within partition.halo_m of it, which is
simulated but not reported; results.json then has a shard block, and
'nbsim merge' joins the N shards' outputs. Without --shard, a Slurm array
task or a Kubernetes Indexed Job's pod runs its own shard (--shard none:
the whole scenario). An index out of range, a malformed value, or more
shards than the scenario has clusters: exit 2, nothing written.

Exit status: 0 when every expectation holds, 1 when one fails, 2 on bad input
(or a failure of the external core), 130 when stopped by SIGINT, 143 when
stopped by SIGTERM (128 + the signal's number, as a shell reports it).`,
		Args: oneScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			if pcapPath != "" {
				// A capture needs the bytes: --pcap runs encoded signalling.
				lf.sets = append(lf.sets, "signalling=encoded")
			}
			if mmeURL != "" {
				lf.sets = append(lf.sets, "signalling=encoded")
			}
			if workers < 0 {
				return usageError{fmt.Errorf("--workers %d: want 1 or more (0: every core)", workers)}
			}
			if workers == 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			sh, err := shard.FromOS(shardFlag)
			if err != nil {
				return usageError{err}
			}
			sc, err := lf.load(args[0])
			if err != nil {
				return err
			}
			if mmeURL != "" {
				if err := checkNoDownlink(sc); err != nil {
					return usageError{err}
				}
			}
			if out == "" && cmd.Flags().Changed("out") {
				return usageError{errors.New("--out: empty directory name")}
			}
			// Check the outputs before spending time on the run.
			if out != "" {
				if err := report.CheckDir(out); err != nil {
					return usageError{err}
				}
			}
			if err := checkFileTarget("--junit", junitPath, cmd.Flags().Changed("junit")); err != nil {
				return usageError{err}
			}
			started := time.Now()
			ctx, signalled, stop := interrupts(cmd.Context())
			defer stop()
			// interrupted is the error of a run a signal stopped at
			// simulated time at, or nil.
			interrupted := func(at time.Duration) error {
				if sig := signalled(); sig != nil {
					return interruptedError{sig: sig, at: at}
				}
				return nil
			}
			var tr *pcapTracer
			if pcapPath != "" {
				if tr, err = newPcapTracer(pcapPath); err != nil {
					return usageError{err}
				}
			}
			// reached is the simulated time reached; endWatch ends the
			// watchdog once the simulation is over.
			var reached atomic.Int64
			simulated := make(chan struct{})
			endWatch := sync.OnceFunc(func() { close(simulated) })
			defer endWatch()
			go watchdog(ctx, signalled, simulated, &reached, tr, stderr)
			var core model.Core
			if mmeURL != "" {
				rc, err := dialMME(ctx, mmeURL)
				if err != nil {
					tr.finish(false)
					if ie := interrupted(0); ie != nil {
						return ie
					}
					return usageError{err}
				}
				defer closeMME(rc, signalled)
				core = stoppingCore{rc, ctx}
			}
			res, o, at, err := simulate(ctx, sc, stderr, quiet, tr, core, &reached, workers, sh)
			endWatch()
			if ie := interrupted(at); ie != nil {
				// Nothing of a stopped run is written: no capture, --out
				// unchanged.
				tr.finish(false)
				return ie
			}
			// The run is complete: a signal from here on is ignored (the
			// outputs are put in place atomically, in milliseconds).
			if err != nil {
				tr.finish(false)
				return err
			}
			if ferr := tr.finish(true); ferr != nil {
				return usageError{ferr}
			}
			ro := runOutputs{out: out, junit: junitPath, json: jsonOut, text: !quiet && !jsonOut, started: started, scenario: args[0], sets: lf.sets}
			return ro.write(stdout, sc, res, o)
		},
	}
	lf.add(c)
	c.Flags().StringVar(&out, "out", "", "write results.json, timeseries.csv, plots and report.html to this directory (replaced as a whole, atomically: other files in it are kept, a subdirectory is refused)")
	c.Flags().StringVar(&pcapPath, "pcap", "", "write every S1AP message (NAS inside) and the user data (CoAP/UDP) to this pcap file; implies signalling: encoded")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing but errors")
	c.Flags().StringVar(&junitPath, "junit", "", "write a JUnit XML report to this file: one testcase per expectation (written atomically)")
	c.Flags().BoolVar(&jsonOut, "json", false, "print a machine-readable JSON summary on stdout instead of the text summary")
	c.Flags().StringVar(&mmeURL, "mme", "", mmeHelp)
	c.Flags().StringVar(&shardFlag, "shard", "", shard.FlagUsage)
	c.Flags().IntVar(&workers, "workers", 0, "run the spatial clusters on this many goroutines (0: every core); results do not depend on it")
	return c
}

// runOutputs are what nbsim run writes once a run is complete.
type runOutputs struct {
	out, junit string // --out, --junit
	json, text bool   // --json; the text summary (neither --quiet nor --json)
	started    time.Time
	scenario   string   // the SCENARIO argument
	sets       []string // the --set overrides
}

// write prints the summary (text or JSON), writes --out and --junit and
// returns expectError when an expectation does not hold.
func (ro runOutputs) write(stdout io.Writer, sc *scenarios.Scenario, res *report.Results, o *model.Output) error {
	if ro.text {
		report.Summary(stdout, res)
		evaluationOnly(stdout, sc)
	}
	if ro.out != "" {
		asRun, err := sc.YAML()
		if err != nil {
			return err
		}
		st, err := model.MergeState(sc, o.State, version.Get().String())
		if err != nil {
			return err
		}
		if err := report.WriteDir(ro.out, report.Outputs{Results: res, Series: o.Series, Samples: o.Samples, Scenario: asRun, State: st}); err != nil {
			return usageError{err}
		}
		if ro.text {
			fmt.Fprintf(stdout, "results written to %s\n", ro.out)
		}
	}
	if ro.junit != "" {
		if err := writeJUnit(ro.junit, res, ro.started, ro.scenario, ro.sets); err != nil {
			return usageError{err}
		}
	}
	if ro.json {
		s := report.NewRunSummary(res, version.Get().String())
		s.Out, s.JUnit = ro.out, ro.junit
		if err := s.Write(stdout); err != nil {
			return err
		}
	}
	return expectationsHold(res)
}

// watchdog ends the process interruptGrace after a signal if the run has
// not stopped by then (simulated not closed: the build of a very large
// scenario, which cannot be interrupted, or an external MME): nothing has
// been written then but the capture's temporary, which it removes. reached
// is the simulated time reached, for the message.
func watchdog(ctx context.Context, signalled func() os.Signal, simulated <-chan struct{}, reached *atomic.Int64, tr *pcapTracer, stderr io.Writer) {
	select {
	case <-ctx.Done():
	case <-simulated:
		return
	}
	sig := signalled()
	if sig == nil {
		return
	}
	select {
	case <-simulated:
		return
	case <-time.After(interruptGrace):
	}
	if tr != nil {
		os.Remove(tr.f.Name())
	}
	ie := interruptedError{sig: sig, at: time.Duration(reached.Load())}
	fmt.Fprintln(stderr, "nbsim:", ie)
	os.Exit(ie.status())
}

// closeMME ends the association with an external MME; after a signal it
// does not wait long for an MME that does not answer.
func closeMME(rc io.Closer, signalled func() os.Signal) {
	if signalled() == nil {
		rc.Close()
		return
	}
	closed := make(chan struct{})
	go func() { rc.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(300 * time.Millisecond):
	}
}

// stoppingCore is the external core (--mme) of a run a signal may stop:
// once ctx is done it answers nothing, at once, instead of waiting for the
// MME (up to s1.RemoteCore.ReplyWait per message), so that the run reaches
// the next simulated minute, where it stops, without waiting on the
// network. The run's results are not used then.
type stoppingCore struct {
	model.Core
	ctx context.Context
}

func (c stoppingCore) HandleNAS(id mme.UEID, b []byte, now time.Duration) []mme.Effect {
	if c.ctx.Err() != nil {
		return nil
	}
	return c.Core.HandleNAS(id, b, now)
}

func (c stoppingCore) HandleDownlink(imsi string, data []byte, now time.Duration) []mme.Effect {
	if c.ctx.Err() != nil {
		return nil
	}
	return c.Core.HandleDownlink(imsi, data, now)
}

func (c stoppingCore) Released(id mme.UEID, now time.Duration) {
	if c.ctx.Err() == nil {
		c.Core.Released(id, now)
	}
}

// simulate builds and runs a scenario, with a progress bar on a terminal.
// at is the simulated time the run reached (the end, or where ctx stopped
// it).
// reached is set to the simulated time reached every simulated minute.
func simulate(ctx context.Context, sc *scenarios.Scenario, stderr io.Writer, quiet bool, tr *pcapTracer, core model.Core, reached *atomic.Int64, workers int, sh shard.Shard) (res *report.Results, o *model.Output, at time.Duration, err error) {
	build := func(sc *scenarios.Scenario, seed uint64) (*model.Network, error) {
		return model.BuildWorkers(sc, seed, workers)
	}
	if sh.Sharded() {
		build = func(sc *scenarios.Scenario, seed uint64) (*model.Network, error) {
			return model.BuildShard(sc, seed, sh.Index, sh.Count)
		}
	}
	net, err := build(sc, sc.Seed)
	if err != nil {
		return nil, nil, 0, usageError{err}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, 0, err // a signal during the build
	}
	start := time.Now()
	var bar *progressbar.ProgressBar
	opt := model.Options{Core: core, Workers: workers}
	if tr != nil {
		opt.Trace = tr
	}
	onTerminal := false
	if f, ok := stderr.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		onTerminal = true
	}
	opt.Progress = func(done, total float64) {
		reached.Store(int64(done * 1e9))
		if onTerminal {
			if bar == nil {
				if time.Since(start) < time.Second {
					return
				}
				bar = progressbar.NewOptions(1000, progressbar.OptionSetWriter(stderr),
					progressbar.OptionSetDescription("simulating "+sc.Name),
					progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(int(1000 * done / total))
		}
	}
	o, err = net.Run(ctx, opt)
	at = net.Now()
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return nil, nil, at, err
	}
	res = o.Results
	wall := time.Since(start).Seconds()
	res.SetPerf(net.Events(), wall)
	ex, err := report.Evaluate(res, sc.Expect)
	if err != nil {
		return nil, nil, at, usageError{fmt.Errorf("expect: %w", err)}
	}
	res.Expectations = ex
	return res, o, at, nil
}

func newCheck(stdout io.Writer) *cobra.Command {
	var lf loadFlags
	c := &cobra.Command{
		Use:   "check SCENARIO",
		Short: "Validate a scenario without running it",
		Args:  oneScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := lf.load(args[0])
			if err != nil {
				return err
			}
			if _, err := model.Build(sc, sc.Seed); err != nil {
				return usageError{err}
			}
			n := 0
			for _, g := range sc.Groups {
				n += g.Count
			}
			fmt.Fprintf(stdout, "%s: ok (%d devices in %d groups, %d sites, %s simulated)\n", sc.Name, n, len(sc.Groups), len(sc.Sites()), sc.Duration)
			evaluationOnly(stdout, sc)
			return nil
		},
	}
	lf.add(c)
	return c
}

func newScenarios(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the shipped scenarios",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			for _, s := range scenarios.Shipped() {
				fmt.Fprintf(w, "%s\t%s\n", s.Name, s.Description)
			}
			return w.Flush()
		},
	}
}

// evaluationOnly prints a note for every evaluation-only value the
// scenario uses (a value no 3GPP network can signal).
func evaluationOnly(w io.Writer, sc *scenarios.Scenario) {
	for _, note := range sc.EvaluationOnly() {
		fmt.Fprintf(w, "evaluation_only: %s\n", note)
	}
}
