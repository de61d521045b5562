package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/nbsim/nbsim/capacity"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

type capacityFlags struct {
	lf         loadFlags
	key        string
	per        string
	expect     []string
	confidence float64
	minSeeds   int
	maxSeeds   int
	tol        float64
	max        float64
	jobs       int
	asJSON     bool
	quiet      bool
	out        string
	sites      bool
	noPredict  bool
	launcher   string
	work       string
}

func newCapacity(stdout, stderr io.Writer) *cobra.Command {
	var f capacityFlags
	c := &cobra.Command{
		Use:   "capacity SCENARIO",
		Short: "Find the largest load at which every expectation holds",
		Long: `Find the largest load (by default the device count: every group's count
scaled together, keeping their shares; or any numeric key with --key) for
which every expectation of the scenario (its expect:, or --expect) holds.

The search doubles or halves from the scenario's own value until the
expectations hold at one load and fail at the next, then bisects until the
bracket is within --tol of the limit. From a load that passes it jumps, when
that is further than a doubling, to where the busiest radio resource would
reach the bottleneck rule's saturation (80 %) if it grew with the load
(--no-predict: plain doubling); the estimate only chooses where to look. At every load it runs seeds --seed,
--seed+1, … and decides after each one from --min-seeds on: an expectation
passes when the one-sided Student-t interval of its mean at --confidence
lies on its passing side, fails when it lies on the failing side; a load
passes when all pass and fails when one fails. After --max-seeds an
undecided load is judged by the means, and the table says so. Seeds run in
parallel (-j); the answer is the same for every -j.

It prints every load tried, the limit with the bracket, the KPIs at the
limit with their intervals, and the bottleneck resource most seeds named
at the failing load beside it. --per site or --per cell states loads per
site or cell.

--sites turns it round for planners: the fewest sites at which every
expectation holds, for the population the scenario places over a fixed
area (not placement area or per-site, which move with the sites): the
count of a site_layout (a regular layout at its isd_m), or the first N
candidate sites, in order of preference, of a sites: list or of a
sites_file CSV (its sites_file_rows).

  nbsim capacity cow-collars --duration 3h --per site
  nbsim capacity tr45820-capacity --duration 2h --per cell --max-seeds 4
  nbsim capacity district.yaml --sites

--launcher runs each simulation as a process of its own: the command's
words, then nbsim run with the load's overrides and --out WORK/x-LOAD/seed-S
(--work). Inside a Slurm allocation, --launcher "srun -N1 -n1 --exclusive"
-j 64 makes each simulation a job step on a free node (docs/scale.md); the
loads tried and the answer are the same as in one process.

Exit status: 0 when a limit is found; 1 when the expectations hold even at
--max or fail even at a load of 1; 2 on bad input.`,
		Args: oneScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCapacity(cmd.Context(), stdout, stderr, &f, args[0])
		},
	}
	f.lf.add(c)
	c.Flags().BoolVar(&f.noPredict, "no-predict", false, "double the load from the start instead of jumping to where the busiest resource would saturate")
	c.Flags().BoolVar(&f.sites, "sites", false, "find the fewest sites (site_layout.count, or the first N candidates of the sites: list or sites_file) at which every expectation holds")
	c.Flags().StringVar(&f.key, "key", "", "the numeric key to search (default: the device count, every group scaled together)")
	c.Flags().StringVar(&f.per, "per", "network", "state loads per network, site or cell")
	c.Flags().StringArrayVar(&f.expect, "expect", nil, "an expectation PATH OP NUMBER the load must meet (repeatable; replaces the scenario's expect:)")
	c.Flags().Float64Var(&f.confidence, "confidence", 0.95, "confidence of each decision, in (0.5, 1)")
	c.Flags().IntVar(&f.minSeeds, "min-seeds", 2, "seeds before the first decision (at least 2)")
	c.Flags().IntVar(&f.maxSeeds, "max-seeds", 8, "seeds at most per load")
	c.Flags().Float64Var(&f.tol, "tol", 0.01, "stop when the bracket is within this share of the limit")
	c.Flags().Float64Var(&f.max, "max", 1e8, "the largest load tried")
	c.Flags().IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "simulations in parallel")
	c.Flags().BoolVar(&f.asJSON, "json", false, "print the search as JSON instead of the table")
	c.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress lines on stderr")
	c.Flags().StringVar(&f.launcher, "launcher", "", "run each simulation as its own process under this command, e.g. \"srun -N1 -n1 --exclusive\" (needs --work)")
	c.Flags().StringVar(&f.work, "work", "", "with --launcher: the directory (seen by every node) for the simulations' outputs, WORK/x-LOAD/seed-S")
	c.Flags().StringVar(&f.out, "out", "", "write capacity.json, report.html and one plot per expectation to this directory (as run --out: replaced as a whole, atomically)")
	return c
}

// capacityKnob is what the search varies: one key, or every group's count.
type capacityKnob struct {
	key    string             // "" = every group's count (or candidates)
	cands  []scenarios.Site   // --sites over a sites: list: the first N
	shares map[string]float64 // group → share of the devices (key == "")
	start  float64
	int    bool
	per    float64 // divisor of --per (sites or cells; 1 for network)
	max    float64 // the largest load there is (candidate sites), 0: none
	unit   string
}

// sets are the overrides that put the scenario at load x.
func (k *capacityKnob) sets(x float64) []string {
	if k.cands != nil {
		return []string{"sites=" + flowYAML(k.cands[:int(x)])}
	}
	if k.key != "" {
		return []string{k.key + "=" + strconv.FormatFloat(x, 'g', -1, 64)}
	}
	out := make([]string, 0, len(k.shares))
	for _, g := range sortedGroupNames(k.shares) {
		// Every group keeps at least one device (a count must be ≥ 1).
		out = append(out, fmt.Sprintf("groups.%s.count=%d", g, max(1, int64(math.Round(x*k.shares[g])))))
	}
	return out
}

func sortedGroupNames(m map[string]float64) []string {
	sc := scenarios.Scenario{Groups: map[string]*scenarios.Group{}}
	for g := range m {
		sc.Groups[g] = nil
	}
	return sc.GroupNames()
}

// flowYAML is v in YAML flow style, on one line: a --set value.
func flowYAML(v any) string {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		panic(err) // scenarios.Site always encodes
	}
	var flow func(*yaml.Node)
	flow = func(n *yaml.Node) {
		n.Style |= yaml.FlowStyle
		for _, c := range n.Content {
			flow(c)
		}
	}
	flow(&n)
	b, err := yaml.Marshal(&n)
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(string(b))
}

// sitesKnob is --sites: the fewest sites of a regular layout, or of the
// candidate list in its order. The devices must not be placed by the
// sites (area, per-site), or more sites would also move or add devices.
func sitesKnob(sc *scenarios.Scenario, f *capacityFlags, reload func([]string) (*scenarios.Scenario, error)) (*capacityKnob, error) {
	if f.key != "" || f.per != "network" {
		return nil, usageError{errors.New("--sites: not with --key or --per (the sites are the load)")}
	}
	for _, g := range sc.GroupNames() {
		if sh := sc.Groups[g].Placement.Shape; sh == "area" || sh == "per-site" {
			return nil, usageError{fmt.Errorf("--sites: groups.%s.placement.shape is %s, which places the devices by the sites; place the population over a fixed area (disc, ring, rectangle or csv)", g, sh)}
		}
	}
	switch {
	case sc.SitesFile != "":
		// Candidates from a CSV: the first N rows (sites_file_rows), out of
		// every row the file has.
		all := len(sc.SiteList)
		if sc.SitesFileRows != 0 && reload != nil {
			full, err := reload([]string{"sites_file_rows=0"})
			if err != nil {
				return nil, err
			}
			all = len(full.SiteList)
		}
		return &capacityKnob{key: "sites_file_rows", start: float64(len(sc.SiteList)), max: float64(all), int: true, per: 1,
			unit: "sites (of " + strconv.Itoa(all) + " candidates in " + sc.SitesFile + ")"}, nil
	case sc.SiteLayout != nil:
		return &capacityKnob{key: "site_layout.count", start: float64(sc.SiteLayout.Count), int: true, per: 1, unit: "sites"}, nil
	case len(sc.SiteList) > 1:
		return &capacityKnob{cands: sc.SiteList, start: float64(len(sc.SiteList)), max: float64(len(sc.SiteList)), int: true, per: 1,
			unit: "sites (of " + strconv.Itoa(len(sc.SiteList)) + " candidates)"}, nil
	}
	return nil, usageError{errors.New("--sites: the scenario needs a site_layout (count, isd_m), a sites: list of candidate sites or a sites_file of them")}
}

func newKnob(sc *scenarios.Scenario, f *capacityFlags, reload func([]string) (*scenarios.Scenario, error)) (*capacityKnob, error) {
	if f.sites {
		return sitesKnob(sc, f, reload)
	}
	k := &capacityKnob{key: f.key, per: 1}
	if f.key != "" {
		v, integer, err := sc.Number(f.key)
		if err != nil {
			return nil, usageError{fmt.Errorf("--key %w", err)}
		}
		k.start, k.int, k.unit = v, integer, f.key
	} else {
		k.shares, k.int, k.unit = map[string]float64{}, true, "devices"
		for _, g := range sc.GroupNames() {
			k.start += float64(sc.Groups[g].Count)
		}
		if k.start <= 0 {
			return nil, usageError{errors.New("capacity: the scenario has no devices to scale")}
		}
		for _, g := range sc.GroupNames() {
			k.shares[g] = float64(sc.Groups[g].Count) / k.start
		}
	}
	switch f.per {
	case "network":
	case "site":
		k.per = float64(len(sc.Sites()))
		k.unit += " per site"
	case "cell":
		k.per = 0
		for _, s := range sc.Sites() {
			k.per += float64(max(1, s.Sectors))
		}
		k.unit += " per cell"
	default:
		return nil, usageError{fmt.Errorf("--per %q: want network, site or cell", f.per)}
	}
	return k, nil
}

func runCapacity(ctx context.Context, stdout, stderr io.Writer, f *capacityFlags, name string) error {
	if len(f.expect) > 0 {
		ex, err := json.Marshal(f.expect)
		if err != nil {
			return err
		}
		f.lf.sets = append(f.lf.sets, "expect="+string(ex))
	}
	sc, err := f.lf.load(name)
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := report.CheckDir(f.out); err != nil {
			return usageError{err}
		}
	}
	launcher := strings.Fields(f.launcher)
	if (len(launcher) == 0) != (f.work == "") {
		return usageError{errors.New("--launcher and --work go together: --launcher CMD runs each simulation under CMD and writes it to --work DIR")}
	}
	reload := func(sets []string) (*scenarios.Scenario, error) {
		lf := f.lf
		lf.sets = append(append([]string(nil), f.lf.sets...), sets...)
		return lf.load(name)
	}
	knob, err := newKnob(sc, f, reload)
	if err != nil {
		return err
	}
	cfg := capacity.Config{Start: knob.start, Min: 0, Max: f.max, Integer: knob.int, RelTol: f.tol,
		Confidence: f.confidence, MinSeeds: f.minSeeds, MaxSeeds: f.maxSeeds, FirstSeed: sc.Seed,
		Parallel: f.jobs, Expect: sc.Expect, Decreasing: f.sites}
	if !f.noPredict && !f.sites {
		cfg.Predict = predictSaturation
	}
	if knob.max > 0 {
		cfg.Max = math.Min(cfg.Max, knob.max)
	}
	if !f.quiet {
		cfg.Progress = func(p *capacity.Point) {
			v := "fails"
			if p.Pass {
				v = "passes"
			}
			fmt.Fprintf(stderr, "capacity: %s %s %s (%d seeds)\n", fmtLoad(p.X/knob.per), knob.unit, v, p.Seeds)
		}
	}
	// Each load's scenario is loaded and validated before its runs: a
	// load the validation refuses is bad input (exit 2), not a failed load.
	launched := launchEval(launcher, f.work, scenarioArg(name), f.lf.sets, f.lf.duration)
	eval := func(ctx context.Context, x float64, seed uint64) (*report.Results, error) {
		lf := f.lf
		lf.sets = append(append(append([]string(nil), f.lf.sets...), knob.sets(x)...), "seed="+strconv.FormatUint(seed, 10))
		lf.seed = ""
		psc, err := lf.load(name)
		if err != nil {
			return nil, err
		}
		if len(launcher) > 0 {
			return launched(ctx, knob.sets(x), x, seed)
		}
		net, err := model.Build(psc, psc.Seed)
		if err != nil {
			return nil, usageError{err}
		}
		o, err := net.Run(ctx, model.Options{})
		if err != nil {
			return nil, err
		}
		return o.Results, nil
	}
	res, serr := capacity.Search(ctx, cfg, eval)
	var ue usageError
	if errors.As(serr, &ue) || (serr != nil && res == nil) {
		return serr
	}
	rep := &capacity.Report{Scenario: sc.Name, Unit: knob.unit, Per: knob.per, Confidence: f.confidence, Tol: f.tol, Result: res}
	if serr != nil {
		rep.Error = serr.Error()
	}
	if f.out != "" {
		if err := writeCapacity(f.out, rep, len(cfg.Expect)); err != nil {
			return usageError{err}
		}
	}
	if f.asJSON {
		b, err := rep.JSON()
		if err != nil {
			return err
		}
		if _, err := stdout.Write(b); err != nil {
			return err
		}
	} else {
		printCapacity(stdout, sc, knob, cfg, res, serr)
	}
	if serr != nil {
		return failError{serr} // no limit inside the bounds: exit 1
	}
	return nil
}

func printCapacity(w io.Writer, sc *scenarios.Scenario, k *capacityKnob, cfg capacity.Config, res *capacity.Result, serr error) {
	fmt.Fprintf(w, "capacity of %s: %s, %s per expectation\n\n", sc.Name, k.unit, pctConf(cfg.Confidence))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := append([]string{"load", "seeds", "verdict"}, cfg.Expect...)
	fmt.Fprintln(tw, strings.Join(append(head, "bottleneck"), "\t")+"\t")
	for _, p := range res.Sorted() {
		row := []string{fmtLoad(p.X / k.per), strconv.Itoa(p.Seeds), p.Verdict()}
		for _, s := range p.KPIs {
			row = append(row, fmtMeanCI(s))
		}
		fmt.Fprintln(tw, strings.Join(append(row, p.Bottleneck), "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w)
	if serr != nil {
		fmt.Fprintf(w, "no limit: %v\n", serr)
		return
	}
	fmt.Fprintf(w, "limit: %s %s (passes; %s fails)\n", fmtLoad(res.Limit/k.per), k.unit, fmtLoad(res.Fails/k.per))
	for _, s := range res.AtLimit.KPIs {
		fmt.Fprintf(w, "  at the limit: %s: %s (%d seeds)\n", s.Expr, fmtMeanCI(s), res.AtLimit.Seeds)
	}
	fmt.Fprintf(w, "bottleneck at %s (fails): %s\n", fmtLoad(res.Fails/k.per), res.AtFails.Bottleneck)
}

func pctConf(c float64) string { return strconv.FormatFloat(100*c, 'g', 4, 64) + " % confidence" }

func fmtLoad(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

func fmtMeanCI(s capacity.KPIStat) string {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 5, 64) }
	return g(s.Mean) + " [" + g(s.CILow) + ", " + g(s.CIHigh) + "]"
}

// writeCapacity writes --out: capacity.json, one plot per expectation and
// report.html with the plots inline.
func writeCapacity(dir string, rep *capacity.Report, nExpect int) error {
	js, err := rep.JSON()
	if err != nil {
		return err
	}
	files := []report.File{{Name: "capacity.json", Data: js}}
	var plots [][]byte
	for i := range nExpect {
		b, err := rep.PlotPNG(i)
		if err != nil {
			return fmt.Errorf("%s: %w", capacity.PlotName(i), err)
		}
		plots = append(plots, b)
		files = append(files, report.File{Name: capacity.PlotName(i), Data: b})
	}
	page, err := rep.HTML(plots)
	if err != nil {
		return err
	}
	return report.WriteFiles(dir, append(files, report.File{Name: report.FileReportHTML, Data: page}))
}

// predictSaturation estimates the limit from a passing load: the load at
// which the network's busiest resource (the bottleneck rule's highest
// figure, mean over the seeds) would reach the saturation threshold if it
// grew in proportion to the load; 0 (no estimate) when nothing is busy.
// Load is not linear near saturation, so the estimate only chooses where
// the search looks next; the points decide.
func predictSaturation(p *capacity.Point) float64 {
	var sat float64
	for _, r := range p.Results {
		sat += r.Bottleneck.Saturation
	}
	sat /= float64(len(p.Results))
	if sat <= 0 || math.IsNaN(sat) {
		return 0
	}
	return p.X * report.Saturated / sat
}
