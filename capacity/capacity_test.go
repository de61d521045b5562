package capacity

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nbsim/nbsim/report"
)

// cliff is a synthetic load: access success 1 − noise up to the knee,
// then falling linearly by 1 per knee; seeds add ±spread (deterministic).
func cliff(knee, spread float64, calls *atomic.Int64) Eval {
	return func(ctx context.Context, x float64, seed uint64) (*report.Results, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if calls != nil {
			calls.Add(1)
		}
		noise := spread * (float64(seed%5)/2 - 1) // -spread … +spread
		p := 0.999 + noise/10
		if x > knee {
			p = 0.999 - (x-knee)/knee + noise
		}
		r := &report.Results{KPI: report.KPI{AccessSuccessProbability: math.Min(1, p)}}
		r.Bottleneck.Resource = "nprach_ce0"
		if x <= knee {
			r.Bottleneck.Resource = report.ResNone
		}
		return r, nil
	}
}

func cfg() Config {
	return Config{Start: 1000, Integer: true, RelTol: 0.01, Confidence: 0.95, MinSeeds: 2, MaxSeeds: 8,
		FirstSeed: 1, Parallel: 1, Expect: []string{"access_success_probability >= 0.99"}}
}

// The limit of a hand-made cliff: success ≥ 0.99 up to knee + 0.009·knee
// (the linear fall reaches 0.99 there), so with knee 50,000 the limit is
// 50,450 and the bracket ends within 1 % of it.
func TestSearchFindsTheCliff(t *testing.T) {
	res, err := Search(context.Background(), cfg(), cliff(50000, 0, nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.Limit > 50450 || res.Limit < 50450*0.99 || res.Fails <= res.Limit || res.Fails-res.Limit > 0.01*res.Limit {
		t.Errorf("limit %v above %v; want [%v, 50450] and a bracket ≤ 1 %%", res.Limit, res.Fails, 50450*0.99)
	}
	if res.AtFails.Pass || !res.AtLimit.Pass || res.AtFails.Bottleneck != "nprach_ce0" {
		t.Errorf("at limit %+v, above %+v", res.AtLimit, res.AtFails)
	}
	// No spread: every point is decided with the first two seeds.
	for _, p := range res.Points {
		if p.Seeds != 2 || !p.Decided {
			t.Errorf("point %v: %d seeds, decided %v; want 2, true", p.X, p.Seeds, p.Decided)
		}
	}
	// From 1,000 it doubles to 64,000 (7 doublings), then bisects.
	if res.Points[6].X != 64000 || res.Points[5].X != 32000 {
		t.Errorf("bracketing points %v %v", res.Points[5].X, res.Points[6].X)
	}
}

// Starting above the cliff it halves.
func TestSearchHalves(t *testing.T) {
	c := cfg()
	c.Start = 400000
	res, err := Search(context.Background(), c, cliff(50000, 0, nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.Points[1].X != 200000 || res.Points[3].X != 50000 || res.Limit < 50450*0.99 || res.Limit > 50450 {
		t.Errorf("points %v, limit %v", res.Points[1].X, res.Limit)
	}
}

// The answer does not depend on how many evaluations run at once, and
// seeds near the cliff need more replications.
func TestSearchSameForAnyParallel(t *testing.T) {
	var want *Result
	for _, par := range []int{1, 2, 3, 8} {
		c := cfg()
		c.Parallel = par
		res, err := Search(context.Background(), c, cliff(50000, 0.02, nil))
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = res
			more := false
			for _, p := range res.Points {
				more = more || p.Seeds > 2
			}
			if !more {
				t.Error("with a spread no point needed more than two seeds")
			}
			continue
		}
		if res.Limit != want.Limit || len(res.Points) != len(want.Points) {
			t.Fatalf("parallel %d: limit %v (%d points), parallel 1: %v (%d points)", par, res.Limit, len(res.Points), want.Limit, len(want.Points))
		}
		for i := range res.Points {
			a, b := *res.Points[i], *want.Points[i]
			a.Results, b.Results, a.values, b.values = nil, nil, nil, nil
			if !reflect.DeepEqual(a, b) {
				t.Errorf("parallel %d point %d: %+v, want %+v", par, i, a, b)
			}
		}
	}
}

// A threshold inside the seed spread stays undecided up to MaxSeeds and
// is judged by the mean, saying so.
func TestUndecidedJudgedByMean(t *testing.T) {
	vals := []float64{0.98, 1.0} // mean 0.99: holds for >= 0.99
	eval := func(ctx context.Context, x float64, seed uint64) (*report.Results, error) {
		return &report.Results{KPI: report.KPI{AccessSuccessProbability: vals[seed%2]}}, nil
	}
	c := cfg()
	c.MaxSeeds = 4
	s := &searcher{cfg: c, eval: eval}
	p, err := s.point(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if p.Seeds != 4 || p.Decided || !p.Pass || p.KPIs[0].Verdict != Undecided {
		t.Errorf("%+v", p)
	}
	// Mean 0.99, sd 0.011547 (n = 4), t(0.975, 3) = 3.1824: the interval by hand.
	h := 3.182446305284263 * 0.011547005383792516 / 2
	if st := p.KPIs[0]; math.Abs(st.Mean-0.99) > 1e-12 || math.Abs(st.CIHigh-(0.99+h)) > 1e-9 || math.Abs(st.CILow-(0.99-h)) > 1e-9 {
		t.Errorf("stats %+v, want mean 0.99 ± %v", st, h)
	}
}

func TestDecideOperators(t *testing.T) {
	st := func(v ...float64) (KPIStat, []float64) { return stats(v, 0.95), v }
	for _, c := range []struct {
		expr string
		vals []float64
		want Verdict
	}{
		{"x >= 0.5", []float64{0.9, 0.91}, Pass},
		{"x >= 0.5", []float64{0.1, 0.11}, Fail},
		{"x >= 0.5", []float64{0.1, 0.9}, Undecided},
		{"x < 5", []float64{1, 1}, Pass},
		{"x < 5", []float64{9, 9.5}, Fail},
		{"x == 3", []float64{3, 3}, Pass},
		{"x == 3", []float64{2, 4}, Fail},
		{"x == 3", []float64{3, 4}, Undecided},
		{"x != 3", []float64{2, 4}, Pass},
	} {
		e, err := report.ParseExpect(c.expr)
		if err != nil {
			t.Fatal(err)
		}
		s, v := st(c.vals...)
		if got := decide(e, s, v, 0.95); got != c.want {
			t.Errorf("%s on %v: %s, want %s", c.expr, c.vals, got, c.want)
		}
	}
}

func TestSearchLimitsAndErrors(t *testing.T) {
	c := cfg()
	c.Max = 30000
	if _, err := Search(context.Background(), c, cliff(50000, 0, nil)); err == nil || !strings.Contains(err.Error(), "still hold at 16000") {
		t.Errorf("max: %v", err)
	}
	c = cfg()
	c.Start = 10
	if _, err := Search(context.Background(), c, cliff(0.5, 0, nil)); err == nil || !strings.Contains(err.Error(), "fail at 1") {
		t.Errorf("min: %v", err)
	}
	for _, mod := range []func(*Config){
		func(c *Config) { c.Expect = nil },
		func(c *Config) { c.Confidence = 1 },
		func(c *Config) { c.MinSeeds = 1 },
		func(c *Config) { c.MaxSeeds = 1 },
		func(c *Config) { c.RelTol = 0 },
		func(c *Config) { c.Start = 0 },
		func(c *Config) { c.Parallel = 0 },
		func(c *Config) { c.Expect = []string{"x >>= 1"} },
	} {
		c := cfg()
		mod(&c)
		var calls atomic.Int64
		if _, err := Search(context.Background(), c, cliff(50000, 0, &calls)); err == nil || calls.Load() != 0 {
			t.Errorf("%+v: err %v after %d runs; want an error before any run", c, err, calls.Load())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Search(ctx, cfg(), cliff(50000, 0, nil)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	bad := func(ctx context.Context, x float64, seed uint64) (*report.Results, error) { return nil, nil }
	if _, err := Search(context.Background(), cfg(), bad); err == nil {
		t.Error("an evaluation without results passed")
	}
	unknown := cfg()
	unknown.Expect = []string{"no_such_kpi >= 1"}
	if _, err := Search(context.Background(), unknown, cliff(50000, 0, nil)); err == nil || !strings.Contains(err.Error(), "no_such_kpi") {
		t.Errorf("unknown path: %v", err)
	}
}

// Decreasing: the fewest sites that serve a population; success rises
// with the sites, reaching 0.99 at 37 (by hand: 0.999 − 0.05·(37 − x)
// is ≥ 0.99 from x = 36.82).
func TestSearchDecreasing(t *testing.T) {
	eval := func(ctx context.Context, x float64, seed uint64) (*report.Results, error) {
		p := math.Min(0.999, 0.999-0.05*(37-x))
		return &report.Results{KPI: report.KPI{AccessSuccessProbability: p}}, nil
	}
	c := cfg()
	c.Start, c.Decreasing = 4, true
	res, err := Search(context.Background(), c, eval)
	if err != nil {
		t.Fatal(err)
	}
	if res.Limit != 37 || res.Fails != 36 || !res.AtLimit.Pass || res.AtFails.Pass {
		t.Errorf("limit %v (fails %v), want 37 (36)", res.Limit, res.Fails)
	}
	if res.Points[4].X != 64 {
		t.Errorf("doubling from 4 reaches 64 fifth: %v", res.Points[4].X)
	}
	c.Max = 20
	if _, err := Search(context.Background(), c, eval); err == nil || !strings.Contains(err.Error(), "still fail at 16") {
		t.Errorf("max: %v", err)
	}
}

// A prediction moves the bracket straight to the cliff: from 1,000 the
// estimate 50,000 replaces five doublings, and the limit is found as well
// with fewer points.
func TestSearchPredict(t *testing.T) {
	c := cfg()
	c.Predict = func(p *Point) float64 { return 50000 } // where the busiest resource saturates
	res, err := Search(context.Background(), c, cliff(50000, 0, nil))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Search(context.Background(), cfg(), cliff(50000, 0, nil))
	if err != nil {
		t.Fatal(err)
	}
	in := func(x float64) bool { return x >= 50450*0.99 && x <= 50450 }
	if !in(res.Limit) || !in(plain.Limit) || res.Points[1].X != 50000 || len(res.Points) >= len(plain.Points) {
		t.Errorf("limit %v (plain %v), second point %v, %d points (plain %d)", res.Limit, plain.Limit, res.Points[1].X, len(res.Points), len(plain.Points))
	}
	// An estimate below the next doubling is ignored.
	c.Predict = func(p *Point) float64 { return p.X * 1.5 }
	res, err = Search(context.Background(), c, cliff(50000, 0, nil))
	if err != nil || res.Points[1].X != 2000 || !in(res.Limit) {
		t.Errorf("low estimate: %v, second point %v", err, res.Points[1].X)
	}
}
