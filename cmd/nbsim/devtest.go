package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbsim/nbsim/devtest"
	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

type devtestOptions struct {
	firmware     string
	wait         bool
	pty          bool
	atListen     string
	speed        float64
	period       time.Duration
	attachWithin time.Duration
	energyBudget string
	autoconnect  bool
	cases        []string
	parallel     int
	junit        string
	logDir       string
	seed         uint64
	sets         []string
	list         bool
	module       string
	moduleFile   string
}

func newDevtest(stdout, stderr io.Writer) *cobra.Command {
	var o devtestOptions
	c := &cobra.Command{
		Use:   "devtest [SCENARIO] --firmware \"CMD {port}\"",
		Short: "Test your firmware end to end against an emulated module and network (the OpenLabs cases)",
		Long: `Run the firmware under test against an emulated module (BC95-class, or
--module's, as in nbsim emulate) on a simulated network, once per group of
cases, and judge each case from what the network saw: attaches and attach
attempts, PSM, the reports reaching the suite's server, downlink delivery,
energy.

--firmware is run by sh -c for each group of cases, with {port} (the AT
port: host:port, or a pseudo-terminal's path with --pty), {server} (the
suite's UDP server, host:port), {speed} and {period} (seconds) replaced.
The firmware must send a report (a UDP datagram) to {server} every
--period and send every datagram the server sends it back to the server.
With --wait no command is run: connect your device to the port printed
(the server's address is printed with it).

Network time runs --speed times faster than the wall clock: only for
firmware whose own timers run that much faster too (the reference
firmwares under testdata/firmware take -speed). SCENARIO is the network
(default: lab). Cases: nbsim devtest --list; docs/firmware.md.

Exit status: 0 every case passed (or was skipped), 1 a case failed, 2 bad
input (flags, a firmware command that exits before its first command
line), 130/143 on SIGINT/SIGTERM (the firmware processes are ended).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.list {
				return listCases(stdout, o)
			}
			name := "lab"
			if len(args) == 1 {
				name = args[0]
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, sig, stop := interrupts(ctx)
			defer stop()
			err := runDevtest(ctx, name, o, stdout, stderr)
			if s := sig(); s != nil {
				return interruptedError{sig: s, at: -1}
			}
			return err
		},
	}
	f := c.Flags()
	f.StringVar(&o.firmware, "firmware", "", `the firmware under test: a command run by sh -c, with {port}, {server}, {speed} and {period} replaced`)
	f.BoolVar(&o.wait, "wait", false, "run no command: wait for an external device on the AT port of each group of cases")
	f.BoolVar(&o.pty, "pty", false, "give the module a pseudo-terminal ({port} is its path) instead of a TCP port")
	f.StringVar(&o.atListen, "at-listen", "127.0.0.1:0", "the TCP AT port (port 0: any free port)")
	f.Float64Var(&o.speed, "speed", 1, "network time per wall time (only for firmware whose timers scale too)")
	f.DurationVar(&o.period, "period", time.Minute, "the firmware's reporting period, network time")
	f.DurationVar(&o.attachWithin, "attach-within", time.Minute, "the attach case's bound on the first attach, network time")
	f.StringVar(&o.energyBudget, "energy-budget", "", "the most charge per report: 50uAh, 0.05mAh (default: none, the energy case is skipped)")
	f.BoolVar(&o.autoconnect, "autoconnect", false, "the module boots with the radio on and attaches by itself (default: off, the firmware attaches)")
	f.StringSliceVar(&o.cases, "case", nil, "run only these cases (repeatable or comma-separated; default: all)")
	f.IntVar(&o.parallel, "parallel", 1, "groups of cases run at once (each its own emulator and firmware process)")
	f.StringVar(&o.junit, "junit", "", "write a JUnit XML report to FILE")
	f.StringVar(&o.logDir, "log-dir", "", "write each group's trace and firmware output to DIR")
	f.Uint64Var(&o.seed, "seed", 1, "random seed of the network model")
	f.StringArrayVar(&o.sets, "set", nil, "override a scenario value: KEY=VALUE (repeatable)")
	f.StringVar(&o.module, "module", "", "the module profile to emulate: "+strings.Join(module.ProfileNames(), ", ")+" (default: "+module.DefaultProfile+")")
	f.StringVar(&o.moduleFile, "module-file", "", "your own module profile (YAML, docs/firmware.md) instead of --module")
	f.BoolVar(&o.list, "list", false, "list the cases with their purpose, pass criteria and sources, and each group's fault timeline")
	return c
}

// listCases prints every case, then every group's fault timeline for
// the given period and attach bound.
func listCases(w io.Writer, o devtestOptions) error {
	var b strings.Builder
	var groups []string
	for _, c := range devtest.Cases {
		fmt.Fprintf(&b, "%s (group %s)\n  purpose: %s\n  pass:    %s\n  source:  %s\n", c.Name, c.Session, c.Purpose, c.Pass, c.Source)
		if !slices.Contains(groups, c.Session) {
			groups = append(groups, c.Session)
		}
	}
	fmt.Fprintf(&b, "\nThe groups' fault timelines (docs/emulate.md, Fault timeline) for --period %v --attach-within %v:\n", o.period, o.attachWithin)
	for _, g := range groups {
		tl, err := devtest.Timeline(g, o.period, o.attachWithin)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "\n# group %s\n%s", g, tl)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// parseCharge reads a charge: a number with uAh, µAh or mAh (a bare
// number is mAh); it returns mAh.
func parseCharge(s string) (float64, error) {
	unit := 1.0
	num := strings.TrimSpace(s)
	for _, u := range []struct {
		suffix string
		mul    float64
	}{{"uAh", 1e-3}, {"µAh", 1e-3}, {"mAh", 1}} {
		if strings.HasSuffix(num, u.suffix) {
			num, unit = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mul
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || !(v > 0 && v <= 1e6) { // NaN too
		return 0, fmt.Errorf("--energy-budget %q: a positive charge per report, e.g. 50uAh or 0.05mAh", s)
	}
	return v * unit, nil
}

func runDevtest(ctx context.Context, name string, o devtestOptions, stdout, stderr io.Writer) error {
	cfg := devtest.Config{Firmware: o.firmware, Wait: o.wait, PTY: o.pty, Speed: o.speed, Period: o.period,
		AttachWithin: o.attachWithin, AutoConnect: o.autoconnect, Parallel: o.parallel, Seed: o.seed, Progress: stderr}
	for _, c := range o.cases {
		for _, n := range strings.Split(c, ",") {
			if n = strings.TrimSpace(n); n != "" {
				cfg.Cases = append(cfg.Cases, n)
			}
		}
	}
	if o.energyBudget != "" {
		v, err := parseCharge(o.energyBudget)
		if err != nil {
			return usageError{err}
		}
		cfg.EnergyBudget = v
	}
	ap, err := netip.ParseAddrPort(o.atListen)
	if err != nil || !ap.Addr().Is4() {
		return usageError{fmt.Errorf("--at-listen %q: an IPv4 address and port, e.g. 127.0.0.1:0", o.atListen)}
	}
	cfg.ATListen = ap
	sc, err := scenarios.Load(name, o.sets)
	if err != nil {
		return usageError{err}
	}
	cfg.Scenario = sc
	if cfg.Profile, err = devtestProfile(o); err != nil {
		return err
	}
	// Refuse an unwritable file now, not after the run.
	if err := checkFileTarget("--junit", o.junit, false); err != nil {
		return usageError{err}
	}
	if o.logDir != "" {
		if err := os.MkdirAll(o.logDir, 0o755); err != nil {
			return usageError{fmt.Errorf("--log-dir: %v", err)}
		}
		cfg.Trace = logFile(o.logDir, "trace")
		cfg.FirmwareOutput = logFile(o.logDir, "firmware")
	}
	rep, err := devtest.Run(ctx, cfg)
	var bad *devtest.BadInputError
	if errors.As(err, &bad) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	if err := rep.WriteText(stdout); err != nil {
		return err
	}
	if o.junit != "" {
		if err := writeDevtestJUnit(o.junit, rep); err != nil {
			return err
		}
	}
	if rep.Failed() {
		return failError{errors.New("devtest: a case failed")}
	}
	return nil
}

// devtestProfile loads --module or --module-file (nil: the default).
func devtestProfile(o devtestOptions) (*module.Profile, error) {
	switch {
	case o.module != "" && o.moduleFile != "":
		return nil, usageError{errors.New("--module and --module-file: give one of them")}
	case o.module != "":
		p, err := module.LookupProfile(strings.TrimSpace(o.module))
		if err != nil {
			return nil, usageError{fmt.Errorf("--module: %w", err)}
		}
		return p, nil
	case o.moduleFile != "":
		p, err := module.LoadProfile(o.moduleFile)
		if err != nil {
			return nil, usageError{fmt.Errorf("--module-file: %w", err)}
		}
		return p, nil
	}
	return nil, nil
}

// logFile opens DIR/GROUP.KIND.log for a group of cases.
func logFile(dir, kind string) func(string) (io.WriteCloser, error) {
	return func(group string) (io.WriteCloser, error) {
		return os.Create(filepath.Join(dir, group+"."+kind+".log"))
	}
}

// writeDevtestJUnit writes the JUnit report atomically (the previous file
// or the complete new one, whenever the process is stopped).
func writeDevtestJUnit(path string, rep *devtest.Report) error {
	f, err := report.CreateTemp(path)
	if err != nil {
		return fmt.Errorf("--junit %s: %w", path, err)
	}
	if err := rep.WriteJUnit(f); err != nil {
		f.Abort()
		return fmt.Errorf("--junit %s: %w", path, err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("--junit %s: %w", path, errors.Unwrap(err))
	}
	return nil
}
