package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Direction says which way a KPI gets better.
type Direction int

const (
	// Either: any change beyond the tolerance is a regression.
	Either Direction = iota
	// Higher: a KPI that is better higher (success probability, battery
	// life); only a fall is a regression.
	Higher
	// Lower: a KPI that is better lower (collisions, delays, energy).
	Lower
)

func (d Direction) String() string {
	switch d {
	case Higher:
		return "higher"
	case Lower:
		return "lower"
	}
	return "either"
}

// Tolerance is how far a KPI may move the bad way before it is a
// regression: Abs in the KPI's unit, or Rel as a fraction of the
// baseline's magnitude (0.05 = 5 %). Both zero: any worsening counts.
type Tolerance struct {
	Abs, Rel float64
}

// Of is the tolerance in the KPI's unit for a baseline value base.
func (t Tolerance) Of(base float64) float64 {
	return t.Abs + t.Rel*math.Abs(base)
}

func (t Tolerance) String() string {
	switch {
	case t.Rel > 0 && t.Abs > 0:
		return "±" + fmtNum(t.Abs) + " + " + fmtNum(100*t.Rel) + " %"
	case t.Rel > 0:
		return fmtNum(100*t.Rel) + " %"
	}
	return "±" + fmtNum(t.Abs)
}

// KPISpec is one KPI to compare: its path (as in expect:), the way it gets
// better and its tolerance.
type KPISpec struct {
	Path string
	Dir  Direction
	Tol  Tolerance
}

// DefaultKPIs are compared when none are named: the figures a planner
// reads first, with tolerances that are above a run's rounding and below a
// change that matters.
func DefaultKPIs() []KPISpec {
	return []KPISpec{
		{"access_success_probability", Higher, Tolerance{Abs: 0.001}},
		{"collision_probability", Lower, Tolerance{Abs: 0.005}},
		{"access_delay_ms.p95", Lower, Tolerance{Rel: 0.10}},
		{"uplink_latency_ms.p95", Lower, Tolerance{Rel: 0.10}},
		{"energy_per_report_mj", Lower, Tolerance{Rel: 0.02}},
		{"battery_years.p5", Higher, Tolerance{Rel: 0.02}},
		{"battery_years.mean", Higher, Tolerance{Rel: 0.02}},
		{"reports_dropped", Lower, Tolerance{Abs: 0, Rel: 0.10}},
	}
}

// directionOf guesses the better way of a KPI from its name, for --kpi
// without one: Either when the name says nothing.
func directionOf(path string) Direction {
	for _, d := range DefaultKPIs() {
		if d.Path == path {
			return d.Dir
		}
	}
	for _, seg := range strings.Split(path, ".") {
		switch {
		case strings.Contains(seg, "success"), strings.Contains(seg, "delivered"), strings.HasPrefix(seg, "battery_years"):
			return Higher
		case strings.Contains(seg, "collision"), strings.Contains(seg, "_ms"), strings.Contains(seg, "dropped"),
			strings.Contains(seg, "failure"), strings.Contains(seg, "energy"), strings.HasPrefix(seg, "drops_by_cause"),
			strings.Contains(seg, "utilisation"), strings.Contains(seg, "iot_db"):
			return Lower
		}
	}
	return Either
}

// ParseKPISpec reads a --kpi value: PATH, then optionally ':' and
// comma-separated terms: abs=X (the KPI's unit), rel=X% or rel=X (a
// fraction), higher, lower, either. Without a tolerance the default KPI's
// is used, or 0 (any worsening); without a direction the default KPI's, or
// one guessed from the name (success, delivered and battery_years are
// better higher; collisions, delays (_ms), drops, failures, energy,
// utilisation and IoT lower; otherwise either way is a change).
func ParseKPISpec(s string) (KPISpec, error) {
	path, terms, hasTerms := strings.Cut(strings.TrimSpace(s), ":")
	if path == "" || strings.HasPrefix(path, ".") || strings.HasSuffix(path, ".") || strings.Contains(path, "..") {
		return KPISpec{}, fmt.Errorf("--kpi %q: want PATH[:abs=X|rel=X%%][,higher|lower|either]", s)
	}
	k := KPISpec{Path: path, Dir: directionOf(path)}
	for _, d := range DefaultKPIs() {
		if d.Path == path {
			k.Tol = d.Tol
		}
	}
	if !hasTerms {
		return k, nil
	}
	tolSet := false
	for _, term := range strings.Split(terms, ",") {
		term = strings.TrimSpace(term)
		name, val, isKV := strings.Cut(term, "=")
		switch {
		case term == "higher":
			k.Dir = Higher
		case term == "lower":
			k.Dir = Lower
		case term == "either":
			k.Dir = Either
		case isKV && (name == "abs" || name == "rel"):
			pct := strings.HasSuffix(val, "%")
			v, err := strconv.ParseFloat(strings.TrimSuffix(val, "%"), 64)
			if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
				return KPISpec{}, fmt.Errorf("--kpi %q: %s=%s is not a non-negative number", s, name, val)
			}
			if !tolSet {
				k.Tol, tolSet = Tolerance{}, true
			}
			if name == "abs" {
				if pct {
					return KPISpec{}, fmt.Errorf("--kpi %q: abs takes a value in the KPI's unit, not a percentage (use rel=%s)", s, val)
				}
				k.Tol.Abs = v
			} else {
				if pct {
					v /= 100
				}
				k.Tol.Rel = v
			}
		default:
			return KPISpec{}, fmt.Errorf("--kpi %q: unknown term %q (allowed: abs=X, rel=X%%, higher, lower, either)", s, term)
		}
	}
	return k, nil
}

// Verdict is the outcome of one KPI's comparison.
type Verdict string

const (
	Same       Verdict = "same"       // no change beyond the tolerance (or the noise)
	Better     Verdict = "better"     // moved the good way beyond the tolerance
	Worse      Verdict = "worse"      // moved the bad way, within the tolerance or the noise
	Regression Verdict = "REGRESSION" // moved the bad way beyond the tolerance (and, over seeds, significantly)
)

// Side is one side's values of a KPI, one per run (seed).
type Side []float64

// Mean and SD (sample standard deviation, 0 for one value).
func (s Side) stats() (mean, sd float64) {
	for _, v := range s {
		mean += v
	}
	mean /= float64(len(s))
	if len(s) < 2 {
		return mean, 0
	}
	for _, v := range s {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(s)-1))
}

// KPIDiff is one row of a comparison.
type KPIDiff struct {
	KPISpec
	Base, New     float64 // means over each side's runs
	BaseSD, NewSD float64 // standard deviations over seeds (0 for one run)
	Diff          float64 // New - Base
	Tol           float64 // the tolerance in the KPI's unit
	// Noise is the one-sided Welch bound of the difference at the
	// confidence asked for (0 with one run a side): a worsening within it
	// may be chance.
	Noise   float64
	Verdict Verdict
}

// CompareKPI compares one KPI's values on the two sides. With several runs
// on a side, the worsening must also pass a one-sided Welch t-test at
// confidence conf (e.g. 0.95) to be a regression: it must exceed
// t(conf, ν)·√(s_a²/n_a + s_b²/n_b). With one run on a side, that side's
// variance is taken as the other's (the same model and load); with one run
// on both, the tolerance alone decides.
func CompareKPI(k KPISpec, base, cand Side, conf float64) KPIDiff {
	bm, bsd := base.stats()
	cm, csd := cand.stats()
	return CompareSummaries(k, KPISummary{bm, bsd, len(base)}, KPISummary{cm, csd, len(cand)}, conf)
}

// KPISummary is a KPI over one side's runs: mean, sample standard deviation
// (0 for one run) and the number of runs.
type KPISummary struct {
	Mean, SD float64
	N        int
}

// CompareSummaries is CompareKPI from each side's summary (a campaign's
// table gives no single runs).
func CompareSummaries(k KPISpec, base, cand KPISummary, conf float64) KPIDiff {
	d := KPIDiff{KPISpec: k, Base: base.Mean, BaseSD: base.SD, New: cand.Mean, NewSD: cand.SD}
	d.Diff = d.New - d.Base
	d.Tol = k.Tol.Of(d.Base)
	d.Noise = welchBound(d.BaseSD, d.NewSD, base.N, cand.N, conf)
	worse, better := 0.0, 0.0
	switch k.Dir {
	case Higher:
		worse, better = -d.Diff, d.Diff
	case Lower:
		worse, better = d.Diff, -d.Diff
	default:
		worse = math.Abs(d.Diff)
	}
	switch {
	case worse > d.Tol && worse > d.Noise:
		d.Verdict = Regression
	case better > d.Tol && better > d.Noise:
		d.Verdict = Better
	case worse > 0 && worse > 1e-12*math.Max(1, math.Abs(d.Base)):
		d.Verdict = Worse
	default:
		d.Verdict = Same
	}
	return d
}

// welchBound is t(conf, ν)·SE of a difference of two means (Welch), with a
// side of one run given the other side's standard deviation; 0 when
// neither side has two runs or conf is 0.
func welchBound(sa, sb float64, na, nb int, conf float64) float64 {
	if conf <= 0 || (na < 2 && nb < 2) {
		return 0
	}
	if na < 2 {
		sa = sb
	}
	if nb < 2 {
		sb = sa
	}
	va, vb := sa*sa/float64(na), sb*sb/float64(nb)
	se := math.Sqrt(va + vb)
	if se == 0 {
		return 0
	}
	// Welch–Satterthwaite degrees of freedom; a side of one run lends the
	// other's variance but no degrees of freedom.
	dfa, dfb := float64(max(na-1, 1)), float64(max(nb-1, 1))
	nu := (va + vb) * (va + vb) / (va*va/dfa + vb*vb/dfb)
	return TQuantile(conf, nu) * se
}

// LookupJSON resolves an expect: path in a decoded results.json (the
// value of json.Unmarshal into an any), with the same rules as Evaluate.
func LookupJSON(root any, path string) (float64, error) {
	return resolve(root, path)
}

// DecodeResultsJSON decodes results.json for LookupJSON.
func DecodeResultsJSON(b []byte) (any, error) {
	var root any
	if err := json.Unmarshal(b, &root); err != nil {
		return nil, err
	}
	if m, ok := root.(map[string]any); !ok || m["kpi"] == nil {
		return nil, fmt.Errorf("not a results.json (no kpi block)")
	}
	return root, nil
}

func fmtNum(v float64) string {
	return strconv.FormatFloat(v, 'g', 4, 64)
}
