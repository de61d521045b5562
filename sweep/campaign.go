package sweep

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/nbsim/nbsim/internal/inputerr"
	"github.com/nbsim/nbsim/scenarios"
)

// Campaign is a parsed campaign file: a base scenario, the axes of the
// points, the seeds each point runs with and the KPIs collected.
type Campaign struct {
	File        string   // the campaign file, for messages
	Name        string   // name: (default: the file's base name)
	Description string   // description:
	Scenario    string   // scenario: a shipped name or a path (resolved against the file's directory)
	Duration    string   // duration: the simulated time of every run ("" = the scenario's)
	Mode        string   // mode: grid (every combination) or zip (the i-th value of every axis)
	Seeds       []uint64 // seeds: a count n (1..n) or a list
	Sets        []string // set: fixed key.path=value overrides of every point
	Axes        []Axis
	KPIs        []string // kpis: results.json paths (the expect: path syntax)

	lines map[string]int // key path → line, for errors found after parsing
}

// Axis is one varied scenario key and its values, as --set values.
type Axis struct {
	Key    string
	Values []string
	lines  []int // line of each value (the list, range or log entry)
}

// Param is one key of a point and its value.
type Param struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Point is one combination of axis values.
type Point struct {
	Index  int     // 0-based, in campaign order
	Params []Param // one per axis, in axis order
}

// Sets returns the point's overrides as key=value.
func (p Point) Sets() []string {
	out := make([]string, len(p.Params))
	for i, q := range p.Params {
		out[i] = q.Key + "=" + q.Value
	}
	return out
}

// Label is "key=value, key=value".
func (p Point) Label() string { return strings.Join(p.Sets(), ", ") }

// The modes of a campaign.
const (
	ModeGrid = "grid"
	ModeZip  = "zip"
)

// maxRuns bounds points × seeds (a typo in a range step should not start
// a million runs).
const maxRuns = 100000

var campaignKeys = []string{"name", "description", "scenario", "duration", "mode", "seeds", "set", "axes", "kpis"}

// errs collects a campaign file's problems.
type errs struct {
	file  string
	list  inputerr.Errors
	lines map[string]int // where list entries are (kpis.0 → line)
}

func (e *errs) add(line int, path, msg, allowed string) {
	e.list = append(e.list, &inputerr.Error{File: e.file, Line: line, Path: path, Msg: msg, Allowed: allowed})
}

// ReadCampaign reads and parses a campaign file (see Parse).
func ReadCampaign(path string) (*Campaign, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputerr.Errors{{File: path, Msg: err.Error()}}
	}
	return Parse(data, path)
}

// Parse decodes a campaign from YAML. Every problem is returned together as
// inputerr.Errors (file, line, key, what is wrong, what is allowed). It does
// not load the scenario: Points and Check do.
func Parse(data []byte, file string) (*Campaign, error) {
	e := &errs{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, inputerr.Errors{{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	if len(bytes.TrimSpace(data)) == 0 || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, inputerr.Errors{{File: file, Line: 1, Msg: "a campaign must be a mapping of keys", Allowed: strings.Join(campaignKeys, ", ")}}
	}
	root := doc.Content[0]
	c := &Campaign{File: file, Mode: ModeGrid, Seeds: []uint64{1}, lines: map[string]int{}}
	e.lines = c.lines
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if _, dup := c.lines[k.Value]; dup {
			e.add(k.Line, k.Value, fmt.Sprintf("duplicate key (first on line %d)", c.lines[k.Value]), "")
			continue
		}
		c.lines[k.Value] = k.Line
		c.key(e, k, v)
	}
	if c.Scenario == "" {
		e.add(0, "scenario", "missing: the base scenario (a shipped name or a YAML file)", "")
	}
	if len(c.Axes) == 0 {
		e.add(0, "axes", "missing: at least one axis (key: and values:, range: or log:)", "")
	}
	if len(c.KPIs) == 0 {
		e.add(0, "kpis", "missing: at least one results.json path, e.g. access_success_probability", "")
	}
	if c.Name == "" {
		c.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	c.checkZip(e)
	if len(e.list) > 0 {
		return nil, e.list
	}
	return c, nil
}

func (c *Campaign) key(e *errs, k, v *yaml.Node) {
	switch k.Value {
	case "name":
		c.Name = scalar(e, k.Value, v)
	case "description":
		c.Description = scalar(e, k.Value, v)
	case "scenario":
		c.Scenario = scalar(e, k.Value, v)
		if c.Scenario != "" && !filepath.IsAbs(c.Scenario) {
			// A file beside the campaign; otherwise a shipped name (or a
			// path relative to the working directory).
			if p := filepath.Join(filepath.Dir(c.File), c.Scenario); fileExists(p) {
				c.Scenario = p
			}
		}
	case "duration":
		c.Duration = scalar(e, k.Value, v)
		if d, err := scenarios.ParseDuration(c.Duration); err != nil {
			e.add(v.Line, "duration", err.Error(), "")
		} else if d <= 0 {
			e.add(v.Line, "duration", "must be greater than 0", "")
		} else {
			c.Duration = d.D().String()
		}
	case "mode":
		c.Mode = scalar(e, k.Value, v)
		if c.Mode != ModeGrid && c.Mode != ModeZip {
			e.add(v.Line, "mode", fmt.Sprintf("unknown mode %q", c.Mode), "grid, zip")
		}
	case "seeds":
		c.Seeds = seeds(e, v)
	case "set":
		c.Sets = sets(e, v)
	case "axes":
		c.axes(e, v)
	case "kpis":
		c.KPIs = strs(e, "kpis", v)
	default:
		e.add(k.Line, k.Value, fmt.Sprintf("unknown key %q", k.Value), strings.Join(campaignKeys, ", "))
	}
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

func scalar(e *errs, path string, v *yaml.Node) string {
	if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" || v.Value == "" {
		e.add(v.Line, path, "expected a non-empty value, got "+kind(v), "")
		return ""
	}
	return v.Value
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.ShortTag() == "!!null" || n.Value == "" {
		return "nothing"
	}
	return strconv.Quote(n.Value)
}

func strs(e *errs, path string, v *yaml.Node) []string {
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		e.add(v.Line, path, "expected a non-empty list, got "+kind(v), "")
		return nil
	}
	out := make([]string, 0, len(v.Content))
	for i, el := range v.Content {
		if e.lines != nil {
			e.lines[path+"."+strconv.Itoa(i)] = el.Line
		}
		if s := scalar(e, path+"."+strconv.Itoa(i), el); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func seeds(e *errs, v *yaml.Node) []uint64 {
	if v.Kind == yaml.ScalarNode {
		n, err := strconv.ParseUint(v.Value, 10, 64)
		if err != nil || n == 0 || n > maxRuns {
			e.add(v.Line, "seeds", "expected a count of seeds (1.."+strconv.Itoa(maxRuns)+") or a list of seeds, got "+kind(v), "")
			return nil
		}
		out := make([]uint64, n)
		for i := range out {
			out[i] = uint64(i + 1)
		}
		return out
	}
	var out []uint64
	seen := map[uint64]bool{}
	for i, s := range strs(e, "seeds", v) {
		n, err := strconv.ParseUint(s, 10, 64)
		switch {
		case err != nil:
			e.add(v.Content[i].Line, "seeds."+strconv.Itoa(i), fmt.Sprintf("expected a non-negative integer, got %q", s), "")
		case seen[n]:
			e.add(v.Content[i].Line, "seeds."+strconv.Itoa(i), fmt.Sprintf("seed %d twice", n), "")
		default:
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// sets reads set: as a mapping of key.path: value (or a list of
// key.path=value strings).
func sets(e *errs, v *yaml.Node) []string {
	if v.Kind == yaml.SequenceNode {
		out := strs(e, "set", v)
		for i, s := range out {
			if !strings.Contains(s, "=") {
				e.add(v.Content[i].Line, "set."+strconv.Itoa(i), fmt.Sprintf("expected key.path=value, got %q", s), "")
			}
		}
		return out
	}
	if v.Kind != yaml.MappingNode {
		e.add(v.Line, "set", "expected a mapping of key.path: value, got "+kind(v), "")
		return nil
	}
	var out []string
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if s := scalar(e, "set."+k.Value, val); s != "" {
			out = append(out, k.Value+"="+flowText(val))
		}
	}
	return out
}

// flowText is a scalar as a --set value: quoted when YAML quoted it, so
// that "08" stays a string.
func flowText(v *yaml.Node) string {
	if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return strconv.Quote(v.Value)
	}
	return v.Value
}

var axisKeys = []string{"key", "values", "range", "log"}

func (c *Campaign) axes(e *errs, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		e.add(v.Line, "axes", "expected a non-empty list of axes, got "+kind(v), "")
		return
	}
	keys := map[string]int{}
	for i, an := range v.Content {
		path := "axes." + strconv.Itoa(i)
		if an.Kind != yaml.MappingNode {
			e.add(an.Line, path, "expected an axis (key: and values:, range: or log:), got "+kind(an), "")
			continue
		}
		a := Axis{}
		var gen *yaml.Node
		var genKey string
		for j := 0; j+1 < len(an.Content); j += 2 {
			k, val := an.Content[j], an.Content[j+1]
			switch k.Value {
			case "key":
				a.Key = scalar(e, path+".key", val)
			case "values", "range", "log":
				if gen != nil {
					e.add(k.Line, path+"."+k.Value, "an axis has one of values:, range:, log:, not several", "")
					continue
				}
				gen, genKey = val, k.Value
			default:
				e.add(k.Line, path+"."+k.Value, fmt.Sprintf("unknown key %q", k.Value), strings.Join(axisKeys, ", "))
			}
		}
		if a.Key == "" {
			e.add(an.Line, path+".key", "missing: the scenario key the axis varies (a --set path, e.g. groups.collars.count)", "")
		} else if first, dup := keys[a.Key]; dup {
			e.add(an.Line, path+".key", fmt.Sprintf("key %q is already axis %d", a.Key, first), "")
		}
		keys[a.Key] = i
		switch genKey {
		case "":
			e.add(an.Line, path, "missing: values:, range: or log:", "")
		case "values":
			for j, s := range strs(e, path+".values", gen) {
				a.Values = append(a.Values, flowText(gen.Content[j]))
				a.lines = append(a.lines, gen.Content[j].Line)
				_ = s
			}
		default:
			a.Values = rangeValues(e, path+"."+genKey, genKey == "log", gen)
			for range a.Values {
				a.lines = append(a.lines, gen.Line)
			}
		}
		c.Axes = append(c.Axes, a)
	}
}

// rangeValues expands range: {from, to, step} (from, from+step, … up to to)
// or log: {from, to, points} (points values spaced evenly in log scale from
// from to to, rounded to integers with round: true).
func rangeValues(e *errs, path string, log bool, v *yaml.Node) []string {
	allowed := "from, to, step"
	if log {
		allowed = "from, to, points, round"
	}
	if v.Kind != yaml.MappingNode {
		e.add(v.Line, path, "expected a mapping {"+allowed+"}, got "+kind(v), "")
		return nil
	}
	nums := map[string]float64{}
	round := false
	bad := false
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if !strings.Contains(", "+allowed+",", ", "+k.Value+",") {
			e.add(k.Line, path+"."+k.Value, fmt.Sprintf("unknown key %q", k.Value), allowed)
			bad = true
			continue
		}
		if k.Value == "round" {
			if val.ShortTag() != "!!bool" || val.Decode(&round) != nil {
				e.add(val.Line, path+".round", "expected true or false, got "+kind(val), "")
				bad = true
			}
			continue
		}
		f, err := strconv.ParseFloat(val.Value, 64)
		if val.Kind != yaml.ScalarNode || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			e.add(val.Line, path+"."+k.Value, "expected a finite number, got "+kind(val)+" (a range is numeric: list other values under values:)", "")
			bad = true
			continue
		}
		nums[k.Value] = f
	}
	need := []string{"from", "to", "step"}
	if log {
		need = []string{"from", "to", "points"}
	}
	for _, n := range need {
		if _, ok := nums[n]; !ok && !bad {
			e.add(v.Line, path+"."+n, "missing", allowed)
			bad = true
		}
	}
	if bad {
		return nil
	}
	from, to := nums["from"], nums["to"]
	if log {
		return logValues(e, path, v.Line, from, to, nums["points"], round)
	}
	return linValues(e, path, v.Line, from, to, nums["step"])
}

func linValues(e *errs, path string, line int, from, to, step float64) []string {
	if step <= 0 || to < from {
		e.add(line, path, fmt.Sprintf("want from ≤ to and step > 0, got from %g, to %g, step %g", from, to, step), "")
		return nil
	}
	n := math.Floor((to-from)/step+1e-9) + 1
	if n > maxRuns {
		e.add(line, path, fmt.Sprintf("%g values: more than %d", n, maxRuns), "")
		return nil
	}
	out := make([]string, 0, int(n))
	for i := 0; i < int(n); i++ {
		// from + i·step, rounded to 12 significant digits: 0.1+0.2 is 0.3.
		x, _ := strconv.ParseFloat(strconv.FormatFloat(from+float64(i)*step, 'g', 12, 64), 64)
		out = append(out, num(x))
	}
	return out
}

func logValues(e *errs, path string, line int, from, to, points float64, round bool) []string {
	if from <= 0 || to <= from || points < 2 || points != math.Trunc(points) || points > maxRuns {
		e.add(line, path, fmt.Sprintf("want 0 < from < to and a whole number of points ≥ 2, got from %g, to %g, points %g", from, to, points), "")
		return nil
	}
	n := int(points)
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		x := from * math.Pow(to/from, float64(i)/float64(n-1))
		if i == n-1 {
			x = to
		}
		if round {
			x = math.Round(x)
		} else {
			x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
		}
		s := num(x)
		if len(out) > 0 && out[len(out)-1] == s {
			continue // rounding made two points one
		}
		out = append(out, s)
	}
	return out
}

// num prints a number as a --set value without an exponent (100000, not
// 1e+05: integer keys read it).
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func (c *Campaign) checkZip(e *errs) {
	if c.Mode != ModeZip || len(c.Axes) < 2 {
		return
	}
	n := len(c.Axes[0].Values)
	for i, a := range c.Axes[1:] {
		if len(a.Values) != n && len(a.Values) > 0 && n > 0 {
			e.add(c.lines["axes"], "axes."+strconv.Itoa(i+1), fmt.Sprintf("mode zip needs axes of equal length: axis 0 (%s) has %d values, %s has %d", c.Axes[0].Key, n, a.Key, len(a.Values)), "")
		}
	}
}

// Points lists the campaign's points: every combination of the axes' values
// (grid, the last axis varying fastest) or their i-th values (zip).
func (c *Campaign) Points() []Point {
	if c.Mode == ModeZip {
		var out []Point
		for i := range c.Axes[0].Values {
			p := Point{Index: i}
			for _, a := range c.Axes {
				p.Params = append(p.Params, Param{a.Key, a.Values[i]})
			}
			out = append(out, p)
		}
		return out
	}
	out := []Point{{}}
	for _, a := range c.Axes {
		var next []Point
		for _, p := range out {
			for _, v := range a.Values {
				q := Point{Params: append(append([]Param(nil), p.Params...), Param{a.Key, v})}
				next = append(next, q)
			}
		}
		out = next
	}
	for i := range out {
		out[i].Index = i
	}
	return out
}

// valueLine is the line of the value a point took on axis i.
func (c *Campaign) valueLine(p Point, i int) int {
	a := c.Axes[i]
	for j, v := range a.Values {
		if v == p.Params[i].Value {
			return a.lines[j]
		}
	}
	return c.lines["axes"]
}
