package main

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// numericPaths lists the paths of the numbers in the JSON form of r, array
// elements with a name by their name.
func numericPaths(t *testing.T, r *report.Results) []string {
	t.Helper()
	b, err := report.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var root any
	if err := json.Unmarshal(b, &root); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(v any, p string)
	walk = func(v any, p string) {
		switch n := v.(type) {
		case map[string]any:
			for k, el := range n {
				walk(el, strings.TrimPrefix(p+"."+k, "."))
			}
		case []any:
			for i, el := range n {
				seg := strconv.Itoa(i)
				if m, ok := el.(map[string]any); ok && m["name"] != nil {
					seg = m["name"].(string)
				}
				walk(el, p+"."+seg)
			}
		case float64:
			out = append(out, p)
		}
	}
	walk(root, "")
	slices.Sort(out)
	return out
}

// TestShapeMatchesResults: the shape checkExpect resolves paths against
// before a run has the numeric paths of the run's results (but for the
// maps whose keys come and go with the run, which resolve to 0 when
// absent, the perf block and the entries of preamble_transmissions_cdf),
// so that no valid path is refused before the run and none that the run
// lacks is accepted.
func TestShapeMatchesResults(t *testing.T) {
	for _, carriers := range []string{"1", "2"} {
		t.Run("carriers="+carriers, func(t *testing.T) {
			shapeMatches(t, "radio.carriers="+carriers)
		})
	}
}

func shapeMatches(t *testing.T, set string) {
	sc, err := scenarios.Load("cow-collars", []string{"groups.collars.count=100", "duration=30m", set})
	if err != nil {
		t.Fatal(err)
	}
	net, err := model.Build(sc, sc.Seed)
	if err != nil {
		t.Fatal(err)
	}
	o, err := net.Run(context.Background(), model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	groups := []string{}
	for g := range sc.Groups {
		groups = append(groups, g)
	}
	shape := report.Shape(sc.Name, sc.Seed, groups, sc.CellNames(), len(sc.RandomAccess.CE), sc.Radio.Carriers)
	skip := func(p string) bool {
		for _, s := range []string{"drops_by_cause.", "time_in_state_s.", "energy_by_state_j.", "preamble_transmissions_cdf.", "perf.", "signalling."} {
			if strings.Contains(p, s) {
				return true
			}
		}
		return false
	}
	real, want := numericPaths(t, o.Results), numericPaths(t, shape)
	real = slices.DeleteFunc(real, skip)
	want = slices.DeleteFunc(want, skip)
	for _, p := range real {
		if _, found := slices.BinarySearch(want, p); !found {
			t.Errorf("the results have %s, the shape does not", p)
		}
	}
	for _, p := range want {
		if _, found := slices.BinarySearch(real, p); !found {
			t.Errorf("the shape has %s, the results do not", p)
		}
	}
}

// TestExpectCheckedBeforeRun: a path that does not exist, into the cells
// (by the names users see), the CE levels or the groups, is bad input with
// the FILE:LINE of the expectation, before any simulation; valid ones in
// the same forms pass the check.
func TestExpectCheckedBeforeRun(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "e.yaml", `name: e
duration: 400d
sites:
  - name: farm
    sectors: 3
groups:
  collars: {count: 5000000}
expect:
  - access_success_probability >= 0.9
  - cells.farm/2.ul_utilisation < 0.7
  - cells.farm/4.ul_utilisation < 0.7
  - cells.farm/1.resources.npdcch.limit_s == 0
  - cells.farm/1.resources.npdccx.limit_s == 0
  - ce_levels.2 >= 0
  - ce_levels.3 >= 0
  - groups.collars.battery_years.p5 > 1
  - groups.colars.battery_years.p5 > 1
  - bottleneck.utilisation.npusch < 1
  - cells.1.iot_db.p99 < 10
  - cells.farm/1.carriers.0.ul_utilisation < 1
`)
	// 5 million devices over 400 days: were the check after the run, the
	// test would time out.
	code, stdout, stderr := run(t, "run", p)
	mustExit(t, exitBadInput, code, stdout, stderr)
	for _, want := range []string{
		p + `:11: expect.2: expect "cells.farm/4.ul_utilisation < 0.7": unknown path`,
		"nearest valid paths: cells.farm/1.ul_utilisation",
		p + ":13: expect.4:",
		p + ":15: expect.6:",
		p + ":17: expect.8:",
	} {
		mustContain(t, "stderr", stderr, want)
	}
	// One carrier: a cell has no carriers list.
	mustContain(t, "stderr", stderr, p+":20: expect.11:")
	if n := strings.Count(stderr, p+":"); n != 5 {
		t.Errorf("%d errors, want 5:\n%s", n, stderr)
	}
}
