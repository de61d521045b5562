package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nbsim/nbsim/report/expect"
)

// Expect is a parsed expectation "PATH OP NUMBER", e.g.
// "access_success_probability >= 0.99".
type Expect struct {
	Path  string  // as written, e.g. "groups.collars.battery_years.p5"
	Op    string  // one of < <= > >= == !=
	Value float64 // the right-hand side
}

// String returns the canonical text "PATH OP NUMBER".
func (e Expect) String() string {
	return e.Path + " " + e.Op + " " + strconv.FormatFloat(e.Value, 'g', -1, 64)
}

// Holds reports whether v OP e.Value. == and != compare exactly.
func (e Expect) Holds(v float64) bool {
	switch e.Op {
	case "<":
		return v < e.Value
	case "<=":
		return v <= e.Value
	case ">":
		return v > e.Value
	case ">=":
		return v >= e.Value
	case "==":
		return v == e.Value
	case "!=":
		return v != e.Value
	}
	return false
}

// ParseExpect parses "PATH OP NUMBER". PATH is a dot-separated path into the
// JSON form of Results (see Evaluate); OP is one of < <= > >= == !=;
// NUMBER is a finite decimal such as 0.99, 5, -3 or 1e-3. Spaces around OP
// are optional. The syntax is package expect's, which scenarios checks too.
func ParseExpect(expr string) (Expect, error) {
	path, op, v, err := expect.Parse(expr)
	if err != nil {
		var se *expect.SyntaxError
		errors.As(err, &se)
		switch se.Problem {
		case expect.BadNumber:
			return Expect{}, fmt.Errorf("expect %q: %q is not a finite number", expr, se.Text)
		case expect.BadPath:
			return Expect{}, fmt.Errorf("expect %q: malformed path %q", expr, se.Text)
		}
		return Expect{}, fmt.Errorf("expect %q: want PATH OP NUMBER with OP one of < <= > >= == !=%s", expr, se.Hint())
	}
	return Expect{Path: path, Op: op, Value: v}, nil
}

// Evaluate checks each expression against r and returns one ExpectResult
// per expression, in order. A false expectation is not an error.
//
// PATH resolves against the JSON form of r (results.json), segments
// separated by dots:
//   - a KPI name may omit its "kpi." prefix, at the top level and inside a
//     group: "access_success_probability" = "kpi.access_success_probability",
//     "battery_years.p5" = "kpi.battery_years.p5",
//     "groups.collars.battery_years.mean" = "groups.collars.kpi.battery_years.mean";
//   - array elements are chosen by index or, for cells, by the name the
//     results give them (a site's name, SITE/1.. for sectors; never a dot):
//     "cells.0.ul_utilisation", "cells.site1/1.iot_db.p99";
//   - "drops_by_cause.CAUSE" is 0 for a cause that never occurred, and
//     time_in_state_s / energy_by_state_j are 0 for a known state (see
//     States) with no entry.
//
// The error (bad input: the CLI exits 2) is non-nil if an expression does
// not parse, or its path does not exist or is not a number; it lists every
// bad expression and, for unknown paths, the nearest valid ones.
func Evaluate(r *Results, exprs []string) ([]ExpectResult, error) {
	if len(exprs) == 0 {
		return []ExpectResult{}, nil
	}
	out, errs, err := EvaluateEach(r, exprs)
	if err != nil {
		return nil, err
	}
	var bad []error
	for _, e := range errs {
		if e != nil {
			bad = append(bad, e)
		}
	}
	if len(bad) > 0 {
		return nil, errors.Join(bad...)
	}
	return out, nil
}

// EvaluateEach is Evaluate with one error per expression (nil where it
// resolved), for callers that report each where it was written: out holds
// the expressions that resolved, in order. err is non-nil only when r
// cannot be encoded.
func EvaluateEach(r *Results, exprs []string) (out []ExpectResult, errs []error, err error) {
	root, err := decoded(r)
	if err != nil {
		return nil, nil, err
	}
	out = make([]ExpectResult, 0, len(exprs))
	errs = make([]error, len(exprs))
	for i, expr := range exprs {
		e, err := ParseExpect(expr)
		if err != nil {
			errs[i] = err
			continue
		}
		v, err := resolve(root, e.Path)
		if err != nil {
			errs[i] = fmt.Errorf("expect %q: %w", strings.TrimSpace(expr), err)
			continue
		}
		out = append(out, ExpectResult{Expr: strings.TrimSpace(expr), Value: v, OK: e.Holds(v)})
	}
	return out, errs, nil
}

// Values returns the numbers at paths in r (the expect: path syntax), with
// one error per path (nil where it resolved; vals[i] is then the value). err
// is non-nil only when r cannot be encoded. It is what campaigns collect as
// KPIs.
func Values(r *Results, paths []string) (vals []float64, errs []error, err error) {
	root, err := decoded(r)
	if err != nil {
		return nil, nil, err
	}
	vals = make([]float64, len(paths))
	errs = make([]error, len(paths))
	for i, p := range paths {
		vals[i], errs[i] = resolve(root, strings.TrimSpace(p))
	}
	return vals, errs, nil
}

// decoded is r as the expressions see it: its JSON encoding, decoded.
func decoded(r *Results) (any, error) {
	b, err := Marshal(r)
	if err != nil {
		return nil, err
	}
	var root any
	if err := json.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	return root, nil
}

// zeroWhenMissing reports whether key, absent from the map found under
// mapKey, reads as 0: any cause in drops_by_cause, a known power state in
// time_in_state_s and energy_by_state_j.
func zeroWhenMissing(mapKey string, key string) bool {
	switch mapKey {
	case "drops_by_cause":
		return true
	case "time_in_state_s", "energy_by_state_j":
		return slices.Contains(States(), key)
	}
	return false
}

// resolve walks the decoded JSON value root along path and returns the
// number found there.
func resolve(root any, path string) (float64, error) {
	segs := strings.Split(path, ".")
	node := root
	parentKey := ""
	for i := 0; i < len(segs); {
		switch n := node.(type) {
		case map[string]any:
			// Longest match first, so a map key containing dots (a group
			// name, say) is still reachable.
			found := false
			for j := len(segs); j > i; j-- {
				key := strings.Join(segs[i:j], ".")
				if v, ok := n[key]; ok {
					node, parentKey, i, found = v, key, j, true
					break
				}
			}
			if found {
				continue
			}
			if kpi, ok := n["kpi"].(map[string]any); ok {
				if _, ok := kpi[segs[i]]; ok { // shorthand: kpi. omitted
					node, parentKey = kpi, "kpi"
					continue
				}
			}
			if i == len(segs)-1 && zeroWhenMissing(parentKey, segs[i]) {
				return 0, nil
			}
			return 0, unknownPath(root, path)
		case []any:
			idx, err := strconv.Atoi(segs[i])
			if err == nil && idx >= 0 && idx < len(n) {
				node, parentKey, i = n[idx], segs[i], i+1
				continue
			}
			found := false
			for _, el := range n {
				if m, ok := el.(map[string]any); ok && m["name"] == segs[i] {
					node, parentKey, i, found = el, segs[i], i+1, true
					break
				}
			}
			if !found {
				if err == nil {
					return 0, fmt.Errorf("path %q: index %d out of range (%s has %d elements)",
						path, idx, strings.Join(segs[:i], "."), len(n))
				}
				return 0, unknownPath(root, path)
			}
		default:
			return 0, unknownPath(root, path)
		}
	}
	switch n := node.(type) {
	case float64:
		return n, nil
	case bool:
		if n {
			return 1, nil
		}
		return 0, nil
	case map[string]any, []any:
		leaves := leafPaths(node, "")
		for k := range leaves {
			leaves[k] = path + "." + leaves[k]
		}
		if len(leaves) > 8 {
			leaves = append(leaves[:8], "...")
		}
		return 0, fmt.Errorf("path %q is not a number but a group of values: use one of %s",
			path, strings.Join(leaves, ", "))
	default:
		return 0, fmt.Errorf("path %q is not a number (%v)", path, n)
	}
}

// unknownPath builds the error for a path that does not exist, suggesting
// the valid numeric paths (in their short form) nearest to it.
func unknownPath(root any, path string) error {
	cands := leafPaths(root, "")
	for i, c := range cands {
		cands[i] = shortForm(c)
	}
	type scored struct {
		p string
		d int
	}
	sc := make([]scored, len(cands))
	for i, c := range cands {
		sc[i] = scored{c, distance(path, c)}
	}
	slices.SortStableFunc(sc, func(a, b scored) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.p, b.p)
	})
	var near []string
	for _, s := range sc {
		if len(near) == 5 {
			break
		}
		near = append(near, s.p)
	}
	return fmt.Errorf("unknown path %q; nearest valid paths: %s (see docs/results.md)", path, strings.Join(near, ", "))
}

// shortForm drops the optional "kpi." of a full path.
func shortForm(p string) string {
	if s, ok := strings.CutPrefix(p, "kpi."); ok {
		return s
	}
	if rest, ok := strings.CutPrefix(p, "groups."); ok {
		if name, after, ok := strings.Cut(rest, ".kpi."); ok {
			return "groups." + name + "." + after
		}
	}
	return p
}

// leafPaths lists, sorted, the paths of the numbers under v.
func leafPaths(v any, prefix string) []string {
	var out []string
	var walk func(v any, p string)
	walk = func(v any, p string) {
		switch n := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(n) {
				walk(n[k], joinPath(p, k))
			}
		case []any:
			for i, el := range n {
				// Named elements (cells) by the name users see.
				seg := strconv.Itoa(i)
				if m, ok := el.(map[string]any); ok {
					if name, ok := m["name"].(string); ok && name != "" {
						seg = name
					}
				}
				walk(el, joinPath(p, seg))
			}
		case float64, bool:
			out = append(out, p)
		}
	}
	walk(v, prefix)
	return out
}

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
