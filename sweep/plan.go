package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/nbsim/nbsim/internal/inputerr"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// Plan is a campaign whose every point has been loaded, validated and built:
// what runs, and the keys under which runs are stored.
type Plan struct {
	Campaign *Campaign
	Points   []Planned
}

// Planned is one point of a plan.
type Planned struct {
	Point
	// Hash is the sha256 (hex) of the point's scenario after every
	// override, with seed 0, in canonical JSON form: the identity of a
	// point's runs in the database (with the seed).
	Hash string
	sets []string // every override of the point but the seed
}

// Task is one run: a point and a seed.
type Task struct {
	Point *Planned
	Seed  uint64
}

// RunDir is the run's directory under the campaign directory.
func (t Task) RunDir() string {
	return "runs/" + t.Point.Hash[:12] + "-s" + strconv.FormatUint(t.Seed, 10)
}

// Scenario loads the run's scenario.
func (t Task) Scenario(c *Campaign) (*scenarios.Scenario, error) {
	return scenarios.Load(c.Scenario, append(slices.Clip(t.Point.sets), "seed="+strconv.FormatUint(t.Seed, 10)))
}

// Tasks lists points × seeds, point by point; shard i of n (0 ≤ i < n) keeps
// the tasks whose position modulo n is i.
func (p *Plan) Tasks(shard, shards int) []Task {
	var out []Task
	k := 0
	for i := range p.Points {
		for _, s := range p.Campaign.Seeds {
			if shards <= 1 || k%shards == shard {
				out = append(out, Task{Point: &p.Points[i], Seed: s})
			}
			k++
		}
	}
	return out
}

// NewPlan loads every point's scenario (base scenario, set:, the point's
// axis values, duration:), validates it, checks the KPI paths against it
// and builds its network, so that no run starts before every point is known
// to be good. The errors name the campaign file and the line of the value
// that made the point bad.
func NewPlan(c *Campaign) (*Plan, error) {
	pts := c.Points()
	if n := len(pts) * len(c.Seeds); n > maxRuns {
		return nil, inputerr.Errors{{File: c.File, Line: c.lines["axes"], Path: "axes", Msg: fmt.Sprintf("%d points × %d seeds = %d runs: more than %d", len(pts), len(c.Seeds), n, maxRuns)}}
	}
	if errs := c.checkBase(); len(errs) > 0 {
		return nil, errs
	}
	plan := &Plan{Campaign: c}
	var errs inputerr.Errors
	built := map[string]bool{}
	for _, pt := range pts {
		pp, err := c.plan(pt, built)
		if err != nil {
			errs = append(errs, err...)
			if len(errs) >= 20 {
				break
			}
			continue
		}
		plan.Points = append(plan.Points, pp)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return plan, nil
}

// checkBase loads the base scenario with set: and duration: alone, so that
// their errors are reported at their own lines rather than at every point.
func (c *Campaign) checkBase() inputerr.Errors {
	_, err := scenarios.Load(c.Scenario, c.pointSets(Point{}))
	if err == nil {
		return nil
	}
	var ie inputerr.Errors
	if !errors.As(err, &ie) {
		return inputerr.Errors{{File: c.File, Line: c.lines["scenario"], Path: "scenario", Msg: err.Error()}}
	}
	var out inputerr.Errors
	for _, e := range ie {
		key, line := "scenario", c.lines["scenario"]
		for _, s := range c.Sets {
			if k, _, _ := strings.Cut(s, "="); e.Path != "" && (e.Path == k || strings.HasPrefix(e.Path, k+".")) {
				key, line = "set", c.lines["set"]
			}
		}
		if e.Path == "duration" && e.File == scenarios.SetFile {
			key, line = "duration", c.lines["duration"]
		}
		out = append(out, &inputerr.Error{File: c.File, Line: line, Path: key, Msg: fmt.Sprintf("scenario %s: %v", c.Scenario, e)})
	}
	return out
}

func (c *Campaign) pointSets(pt Point) []string {
	sets := append(slices.Clip(c.Sets), pt.Sets()...)
	if c.Duration != "" {
		sets = append(sets, "duration="+strconv.Quote(c.Duration))
	}
	return sets
}

// plan loads, checks and builds one point (built: hashes already built).
func (c *Campaign) plan(pt Point, built map[string]bool) (Planned, inputerr.Errors) {
	sets := c.pointSets(pt)
	sc, err := scenarios.Load(c.Scenario, sets)
	if err != nil {
		return Planned{}, c.pointErrors(pt, err)
	}
	if pt.Index == 0 {
		if errs := c.checkKPIs(sc); len(errs) > 0 {
			return Planned{}, errs
		}
	}
	sc.Seed = 0
	b, err := json.Marshal(sc)
	if err != nil {
		return Planned{}, c.pointErrors(pt, err)
	}
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	if !built[h] {
		if _, err := model.Build(sc, uint64(c.Seeds[0])); err != nil {
			return Planned{}, c.pointErrors(pt, err)
		}
		built[h] = true
	}
	return Planned{Point: pt, Hash: h, sets: sets}, nil
}

// pointErrors turns the errors of a point's scenario into campaign errors
// at the line of the point's value on the axis the error names (the first
// axis otherwise).
func (c *Campaign) pointErrors(pt Point, err error) inputerr.Errors {
	var list []error
	var ie inputerr.Errors
	if errors.As(err, &ie) {
		for _, e := range ie {
			list = append(list, e)
		}
	} else {
		list = []error{err}
	}
	var out inputerr.Errors
	for _, e := range list {
		axis := 0
		if se, ok := e.(*inputerr.Error); ok {
			for i, a := range c.Axes {
				if se.Path == a.Key || strings.HasPrefix(se.Path, a.Key+".") {
					axis = i
				}
			}
		}
		out = append(out, &inputerr.Error{
			File: c.File, Line: c.valueLine(pt, axis), Path: "axes." + strconv.Itoa(axis),
			Msg: fmt.Sprintf("point %d (%s): scenario %s: %v", pt.Index, pt.Label(), c.Scenario, e),
		})
	}
	return out
}

// checkKPIs resolves every KPI path against the shape of the scenario's
// results (report.Shape: its groups, cells and CE levels, every value 0), as
// nbsim run does for expect: paths before a run. Only the entries of
// preamble_transmissions_cdf, whose number the run decides, are left to the
// runs (a path absent there is a null KPI).
func (c *Campaign) checkKPIs(sc *scenarios.Scenario) inputerr.Errors {
	groups := slices.Sorted(maps.Keys(sc.Groups))
	shape := report.Shape(sc.Name, sc.Seed, groups, sc.CellNames(), len(sc.RandomAccess.CE), sc.Radio.Carriers)
	var out inputerr.Errors
	for i, k := range c.KPIs {
		if _, err := kpiValue(shape, k); err != nil && !slices.Contains(strings.Split(k, "."), "preamble_transmissions_cdf") {
			out = append(out, &inputerr.Error{File: c.File, Line: c.lines["kpis."+strconv.Itoa(i)], Path: "kpis." + strconv.Itoa(i), Msg: err.Error()})
		}
	}
	return out
}

// kpiValue is the number at path in r (the expect: path syntax).
func kpiValue(r *report.Results, path string) (float64, error) {
	v, errs, err := report.Values(r, []string{path})
	if err != nil {
		return 0, err
	}
	return v[0], errs[0]
}
