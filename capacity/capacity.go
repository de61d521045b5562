// Package capacity finds the largest load (a device count, an arrival
// rate, any numeric scenario key) at which every expectation of a
// scenario holds, by bracketing and bisection, with replications (seeds)
// at every point and a sequential decision at a stated confidence.
//
// The search is a pure function of the evaluations it is given: it never
// runs a simulation itself (Eval does), has no clock and no random source,
// and its answer does not depend on how many evaluations run in parallel.
package capacity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/nbsim/nbsim/report"
)

// Eval runs the scenario at load x with one seed and returns its results
// (Expectations need not be set: the search evaluates its own).
type Eval func(ctx context.Context, x float64, seed uint64) (*report.Results, error)

// Config is a search's parameters.
type Config struct {
	// Start is the load of the first point (the scenario's own value).
	Start float64
	// Min and Max bound the search (Min ≥ 0; Max = 0: 1e9).
	Min, Max float64
	// Integer: the load takes whole values (device counts).
	Integer bool
	// RelTol: bisection stops when the bracket is at most RelTol × the
	// lower end wide (and, for integers, at most 1 wide).
	RelTol float64
	// Confidence of each decision (one-sided), e.g. 0.95.
	Confidence float64
	// MinSeeds, MaxSeeds: replications per point: the first decision is
	// taken at MinSeeds (≥ 2: a spread needs two), the last at MaxSeeds.
	MinSeeds, MaxSeeds int
	// FirstSeed: the seeds of a point are FirstSeed, FirstSeed+1, …
	FirstSeed uint64
	// Parallel evaluations (≥ 1). The answer is the same for any value.
	Parallel int
	// Expect are the expectations (PATH OP NUMBER) a load must meet.
	Expect []string
	// Decreasing: the expectations hold above a load and fail below it
	// (more sites pass): the search finds the smallest load that passes.
	Decreasing bool
	// Predict, if set, estimates the limit from a passing point (e.g. by
	// scaling its busiest resource to saturation); the doubling then jumps
	// to the estimate when it lies further than one doubling, so the
	// search spends its runs near the limit rather than far below or above
	// it. The estimate only chooses where to look: every verdict is a
	// point's own. Not used when Decreasing.
	Predict func(*Point) float64
	// Progress, if set, is called with each point once it is decided.
	Progress func(*Point)
}

// Verdict of one expectation or one point.
type Verdict string

const (
	Pass Verdict = "pass"
	Fail Verdict = "fail"
	// Undecided: after MaxSeeds the confidence interval still straddles
	// the threshold; the point is then judged by the mean and says so.
	Undecided Verdict = "undecided"
)

// KPIStat is one expectation's values over a point's seeds.
type KPIStat struct {
	Expr    string  `json:"expr"`
	Mean    float64 `json:"mean"`
	Std     float64 `json:"std"`
	CILow   float64 `json:"ci_low"` // the two-sided interval at Confidence
	CIHigh  float64 `json:"ci_high"`
	Verdict Verdict `json:"verdict"`
}

// Point is one evaluated load.
type Point struct {
	X          float64   `json:"x"`
	Seeds      int       `json:"seeds"`
	Pass       bool      `json:"pass"`
	Decided    bool      `json:"decided"` // false: judged by the mean after MaxSeeds
	KPIs       []KPIStat `json:"kpis"`
	Bottleneck string    `json:"bottleneck"` // the resource most seeds named
	// Results of the seeds used, and their expectations' values
	// (values[seed][expectation]).
	Results []*report.Results `json:"-"`
	values  [][]float64
}

// Verdict is the point's verdict in words: "pass" or "fail", with " (by
// the mean)" when MaxSeeds left it undecided.
func (p *Point) Verdict() string {
	v := "fail"
	if p.Pass {
		v = "pass"
	}
	if !p.Decided {
		v += " (by the mean)"
	}
	return v
}

// Result is a search's answer: the limit is the largest load that passed
// (Decreasing: the smallest), Fails the nearest load beyond it that
// failed: the exact limit lies between them.
type Result struct {
	Limit   float64  `json:"limit"`
	Fails   float64  `json:"fails"`
	AtLimit *Point   `json:"at_limit"`
	AtFails *Point   `json:"at_fails"`
	Points  []*Point `json:"points"` // in the order evaluated
}

func (c *Config) check() error {
	switch {
	case len(c.Expect) == 0:
		return errors.New("no expectation to search against (give the scenario expect: or --expect)")
	case c.Confidence <= 0.5 || c.Confidence >= 1:
		return fmt.Errorf("confidence %v: want a value in (0.5, 1)", c.Confidence)
	case c.MinSeeds < 2:
		return fmt.Errorf("min seeds %d: want at least 2 (a spread needs two)", c.MinSeeds)
	case c.MaxSeeds < c.MinSeeds:
		return fmt.Errorf("max seeds %d: want at least min seeds %d", c.MaxSeeds, c.MinSeeds)
	case c.RelTol <= 0 || c.RelTol >= 1:
		return fmt.Errorf("tolerance %v: want a value in (0, 1)", c.RelTol)
	case c.Min < 0 || math.IsNaN(c.Start) || c.Start <= 0:
		return fmt.Errorf("start %v: the key's value in the scenario must be greater than 0", c.Start)
	case c.Parallel < 1:
		return fmt.Errorf("parallel %d: want at least 1", c.Parallel)
	}
	for _, e := range c.Expect {
		if _, err := report.ParseExpect(e); err != nil {
			return err
		}
	}
	return nil
}

// Search brackets the limit (doubling or halving from Start) and bisects.
// It assumes the expectations hold below a load and fail above it (or,
// Decreasing, the other way round): monotone; a point out of order is
// reported in the points but does not move the bracket.
func Search(ctx context.Context, cfg Config, eval Eval) (*Result, error) {
	if cfg.Max == 0 {
		cfg.Max = 1e9
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	s := &searcher{cfg: cfg, eval: eval}
	p, err := s.point(ctx, s.round(cfg.Start))
	if err != nil {
		return nil, err
	}
	// lo is the load on the "inside" of the limit (Pass, or failing when
	// Decreasing), hi the one beyond; in is whether a point is inside.
	in := func(p *Point) bool { return p.Pass != cfg.Decreasing }
	var lo, hi *Point
	// try evaluates x and moves the bracket's end it falls on.
	try := func(x float64) error {
		p, err := s.point(ctx, x)
		if err != nil {
			return err
		}
		if in(p) {
			lo = p
		} else {
			hi = p
		}
		return nil
	}
	if in(p) {
		lo = p
	} else {
		hi = p
	}
	for hi == nil { // double (or jump to the estimate) until beyond
		x := s.round(lo.X * 2)
		if cfg.Predict != nil && !cfg.Decreasing {
			if est := s.round(cfg.Predict(lo)); est > x && est <= cfg.Max {
				x = est
			}
		}
		if x > cfg.Max {
			return s.res, fmt.Errorf("the expectations %s at %v, the search's maximum", s.state(true), lo.X)
		}
		if err := try(x); err != nil {
			return nil, err
		}
	}
	for lo == nil { // halve until inside
		x := s.round(hi.X / 2)
		if x < math.Max(cfg.Min, s.unit()) || x == hi.X {
			return s.res, fmt.Errorf("the expectations %s at %v, the search's minimum", s.state(false), hi.X)
		}
		if err := try(x); err != nil {
			return nil, err
		}
	}
	for hi.X-lo.X > math.Max(s.unit(), cfg.RelTol*lo.X) {
		x := s.round((lo.X + hi.X) / 2)
		if x <= lo.X || x >= hi.X {
			break
		}
		if err := try(x); err != nil {
			return nil, err
		}
	}
	pass, fail := lo, hi
	if cfg.Decreasing {
		pass, fail = hi, lo
	}
	s.res.Limit, s.res.Fails, s.res.AtLimit, s.res.AtFails = pass.X, fail.X, pass, fail
	return s.res, nil
}

type searcher struct {
	cfg  Config
	eval Eval
	res  *Result
}

// state says what the expectations do at the end of the range the search
// ran out of: still hold at the maximum, or fail at the minimum
// (Decreasing: the other way round).
func (s *searcher) state(atMax bool) string {
	if atMax != s.cfg.Decreasing {
		return "still hold"
	}
	return "still fail"
}

func (s *searcher) unit() float64 {
	if s.cfg.Integer {
		return 1
	}
	return 0
}

func (s *searcher) round(x float64) float64 {
	if s.cfg.Integer {
		return math.Round(x)
	}
	return x
}

// point evaluates load x: seeds in order, in batches of Parallel, with a
// decision after each seed from MinSeeds on (the same looks whatever the
// batch size, so the answer never depends on Parallel; seeds a batch ran
// beyond the deciding look are not used).
func (s *searcher) point(ctx context.Context, x float64) (*Point, error) {
	if s.res == nil {
		s.res = &Result{}
	}
	exps := make([]report.Expect, len(s.cfg.Expect))
	for i, e := range s.cfg.Expect {
		exps[i], _ = report.ParseExpect(e)
	}
	p := &Point{X: x}
	s.res.Points = append(s.res.Points, p)
	for len(p.Results) < s.cfg.MaxSeeds {
		n := min(s.cfg.MaxSeeds-len(p.Results), max(s.cfg.Parallel, s.cfg.MinSeeds-len(p.Results)))
		batch, err := s.batch(ctx, x, len(p.Results), n)
		if err != nil {
			return nil, err
		}
		for _, r := range batch {
			ex, err := report.Evaluate(r, s.cfg.Expect)
			if err != nil {
				return nil, err
			}
			v := make([]float64, len(ex))
			for i, e := range ex {
				v[i] = e.Value
			}
			p.Results, p.values = append(p.Results, r), append(p.values, v)
			if len(p.Results) < s.cfg.MinSeeds {
				continue
			}
			if s.judge(p, exps, len(p.Results) == s.cfg.MaxSeeds) {
				if s.cfg.Progress != nil {
					s.cfg.Progress(p)
				}
				return p, nil
			}
		}
	}
	return p, nil
}

// batch runs seeds FirstSeed+from … FirstSeed+from+n−1 of load x in
// parallel and returns their results in seed order.
func (s *searcher) batch(ctx context.Context, x float64, from, n int) ([]*report.Results, error) {
	out := make([]*report.Results, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, s.cfg.Parallel)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			seed := s.cfg.FirstSeed + uint64(from+i)
			out[i], errs[i] = s.eval(ctx, x, seed)
			if errs[i] == nil && out[i] == nil {
				errs[i] = fmt.Errorf("load %v seed %d: no results", x, seed)
			}
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// judge decides point p from its results so far: every expectation
// passes (its interval on the passing side), or one fails (its interval on
// the failing side); last: judge by the means. It fills p's statistics.
func (s *searcher) judge(p *Point, exps []report.Expect, last bool) bool {
	n := len(p.Results)
	p.Seeds = n
	p.KPIs = p.KPIs[:0]
	allPass, anyFail := true, false
	for i, e := range exps {
		vals := make([]float64, n)
		for k := range p.values {
			vals[k] = p.values[k][i]
		}
		st := stats(vals, s.cfg.Confidence)
		st.Expr = s.cfg.Expect[i]
		st.Verdict = decide(e, st, vals, s.cfg.Confidence)
		p.KPIs = append(p.KPIs, st)
		allPass = allPass && st.Verdict == Pass
		anyFail = anyFail || st.Verdict == Fail
	}
	p.Bottleneck = modeBottleneck(p.Results)
	switch {
	case anyFail:
		p.Pass, p.Decided = false, true
		return true
	case allPass:
		p.Pass, p.Decided = true, true
		return true
	case !last:
		return false
	}
	// Undecided after MaxSeeds: the means decide.
	p.Pass, p.Decided = true, false
	for i, e := range exps {
		if !e.Holds(p.KPIs[i].Mean) {
			p.Pass = false
		}
	}
	return true
}

// stats: mean, sample standard deviation and the two-sided Student-t
// interval of the mean at confidence c.
func stats(v []float64, c float64) KPIStat {
	m, sd, lo, hi := report.MeanInterval(v, c)
	return KPIStat{Mean: m, Std: sd, CILow: lo, CIHigh: hi}
}

// decide is one expectation's verdict: pass when the one-sided interval
// of the mean at confidence c lies on the passing side of the threshold,
// fail when it lies on the failing side. == and != have no side: they
// pass (fail) only when every seed's value does.
func decide(e report.Expect, st KPIStat, vals []float64, c float64) Verdict {
	n := float64(len(vals))
	h := report.TQuantile(c, n-1) * st.Std / math.Sqrt(n)
	lo, hi := st.Mean-h, st.Mean+h
	switch e.Op {
	case ">=", ">":
		if e.Holds(lo) {
			return Pass
		}
		if !e.Holds(hi) {
			return Fail
		}
	case "<=", "<":
		if e.Holds(hi) {
			return Pass
		}
		if !e.Holds(lo) {
			return Fail
		}
	default:
		all, none := true, true
		for _, v := range vals {
			all = all && e.Holds(v)
			none = none && !e.Holds(v)
		}
		if all {
			return Pass
		}
		if none {
			return Fail
		}
	}
	return Undecided
}

// modeBottleneck is the network bottleneck most seeds named (the first
// seed's on a tie).
func modeBottleneck(rs []*report.Results) string {
	count := map[string]int{}
	var order []string
	for _, r := range rs {
		b := r.Bottleneck.Resource
		if b == "" {
			b = report.ResNone
		}
		if count[b] == 0 {
			order = append(order, b)
		}
		count[b]++
	}
	best := ""
	for _, b := range order {
		if best == "" || count[b] > count[best] {
			best = b
		}
	}
	return best
}

// Sorted returns the evaluated points by load.
func (r *Result) Sorted() []*Point {
	ps := slices.Clone(r.Points)
	slices.SortStableFunc(ps, func(a, b *Point) int {
		switch {
		case a.X < b.X:
			return -1
		case a.X > b.X:
			return 1
		}
		return 0
	})
	return ps
}
