package emulate

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/inputerr"
	"github.com/nbsim/nbsim/scenarios"
)

// A fault timeline (docs/emulate.md, Fault timeline): what the network does
// to the modules and when, in the emulation's network time, so that a
// firmware test replays the same network events on every run. A file is a
// YAML list of entries (or a map whose `timeline:` key is that list):
//
//	- at: 5m                     # network time from the start
//	  for: 2m                    # optional: the fault ends after this
//	  modules: [0]               # optional: these modules (default: all)
//	  do: {coverage: {coupling_loss_db: 170}}
//	- at: 10m
//	  do: nat_rebind             # an action without arguments
//
// Actions act through the same code as the control API (control.go).

// Action names.
const (
	ActCoverage        = "coverage"
	ActAccessFailures  = "access_failures"
	ActRejectAttach    = "reject_attach"
	ActCoreUnreachable = "core_unreachable"
	ActCoreRestart     = "core_restart"
	ActNATRebind       = "nat_rebind"
	ActDropDownlink    = "drop_downlink"
	ActDropUplink      = "drop_uplink"
	ActGrantPSM        = "grant_psm"
)

// actionSpec says what an action takes.
type actionSpec struct {
	args     []string // allowed argument keys
	required []string // of which these must be given
	window   bool     // `for` is allowed
	network  bool     // acts on the whole network: `modules` is not allowed
	resource string   // actions on the same resource must not overlap
}

var actionSpecs = map[string]actionSpec{
	ActCoverage:        {args: []string{"coupling_loss_db", "rsrp_dbm"}, window: true, resource: "coverage"},
	ActAccessFailures:  {args: []string{"count"}, required: []string{"count"}, resource: "access"},
	ActRejectAttach:    {args: []string{"cause", "t3346"}, required: []string{"cause"}, window: true, resource: "attach-reject"},
	ActCoreUnreachable: {window: true, network: true, resource: "core"},
	ActCoreRestart:     {window: true, network: true, resource: "core"},
	ActNATRebind:       {resource: "nat"},
	ActDropDownlink:    {args: []string{"probability"}, required: []string{"probability"}, window: true, resource: "drop-downlink"},
	ActDropUplink:      {args: []string{"probability"}, required: []string{"probability"}, window: true, resource: "drop-uplink"},
	ActGrantPSM:        {args: []string{"t3324", "t3412"}, required: []string{"t3324", "t3412"}, window: true, network: true, resource: "psm-policy"},
}

// actionNames lists the actions, sorted (for error messages).
func actionNames() string {
	return strings.Join(slices.Sorted(func(yield func(string) bool) {
		for k := range actionSpecs {
			if !yield(k) {
				return
			}
		}
	}), ", ")
}

// Timeline is a parsed, checked fault timeline.
type Timeline struct {
	File    string          `json:"file"`
	Entries []TimelineEntry `json:"entries"`
}

// TimelineEntry is one action of a timeline.
type TimelineEntry struct {
	Line    int           `json:"line"`
	At      time.Duration `json:"-"`
	For     time.Duration `json:"-"` // 0: an instant action, or one that lasts
	Do      string        `json:"do"`
	Modules []int         `json:"modules,omitempty"` // nil: every module
	Args    TimelineArgs  `json:"args"`
	modLine int           // the line of `modules`
}

// TimelineArgs are an action's arguments (those it takes are set).
type TimelineArgs struct {
	CouplingLoss *float64 `json:"coupling_loss_db,omitempty"`
	RSRP         *float64 `json:"rsrp_dbm,omitempty"`
	Count        int      `json:"count,omitempty"`
	Cause        int      `json:"cause,omitempty"`
	Probability  *float64 `json:"probability,omitempty"`
	T3324        string   `json:"t3324,omitempty"`
	T3412        string   `json:"t3412,omitempty"`
	T3346        string   `json:"t3346,omitempty"`
}

// maxTimelineEntries bounds a timeline (each entry schedules one or two
// events per module at most).
const maxTimelineEntries = 10000

// ParseTimeline reads a timeline from YAML; file names it in errors. All
// problems are returned together as inputerr.Errors (file:line, key, what
// is allowed). It does not know the number of modules: New checks the
// module numbers (Timeline.Check).
func ParseTimeline(data []byte, file string) (*Timeline, error) {
	p := tlParser{file: file}
	tl := &Timeline{File: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, inputerr.Errors{{File: file, Msg: "YAML: " + err.Error()}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.MappingNode {
		var list *yaml.Node
		for i := 0; i+1 < len(root.Content); i += 2 {
			k := root.Content[i]
			if k.Value != "timeline" {
				p.add(k, k.Value, "unknown key", "timeline")
				continue
			}
			list = root.Content[i+1]
		}
		if list == nil {
			p.add(root, "timeline", "missing: the list of entries", "")
			return nil, p.errs
		}
		root = list
	}
	if root.Kind != yaml.SequenceNode {
		p.add(root, "timeline", "a list of entries is required (- at: 5m\n  do: {coverage: {coupling_loss_db: 170}})", "")
		return nil, p.errs
	}
	if len(root.Content) > maxTimelineEntries {
		p.add(root, "timeline", fmt.Sprintf("%d entries: at most %d", len(root.Content), maxTimelineEntries), "")
		return nil, p.errs
	}
	for i, n := range root.Content {
		if en, ok := p.entry(n, fmt.Sprintf("timeline[%d]", i)); ok {
			tl.Entries = append(tl.Entries, en)
		}
		if len(p.errs) >= 100 {
			break
		}
	}
	if len(p.errs) == 0 {
		p.overlaps(tl.Entries)
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return tl, nil
}

type tlParser struct {
	file string
	errs inputerr.Errors
}

func (p *tlParser) add(n *yaml.Node, path, msg, allowed string) {
	p.errs = append(p.errs, &inputerr.Error{File: p.file, Line: n.Line, Path: path, Msg: msg, Allowed: allowed})
}

// entry parses one entry; ok is false when it had errors.
func (p *tlParser) entry(n *yaml.Node, path string) (TimelineEntry, bool) {
	en := TimelineEntry{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		p.add(n, path, "an entry is a map with at, do and optionally for and modules", "")
		return en, false
	}
	before := len(p.errs)
	var doNode, argsNode, modNode, atNode, forNode *yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			p.add(k, path+"."+k.Value, "given twice", "")
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "at":
			atNode = v
		case "for":
			forNode = v
		case "do":
			doNode = v
		case "modules":
			modNode = v
		default:
			p.add(k, path+"."+k.Value, "unknown key", "at, for, do, modules")
		}
	}
	if atNode == nil {
		p.add(n, path+".at", "missing: when the action happens (network time from the start, e.g. 5m)", "")
	} else {
		en.At = p.duration(atNode, path+".at", false)
	}
	if doNode == nil {
		p.add(n, path+".do", "missing: the action", actionNames())
		return en, false
	}
	switch doNode.Kind {
	case yaml.ScalarNode:
		en.Do = doNode.Value
	case yaml.MappingNode:
		if len(doNode.Content) != 2 {
			p.add(doNode, path+".do", "one action per entry: {ACTION: {ARG: VALUE, ...}} or ACTION", actionNames())
			return en, false
		}
		en.Do, argsNode = doNode.Content[0].Value, doNode.Content[1]
	default:
		p.add(doNode, path+".do", "an action name or {ACTION: {ARG: VALUE, ...}}", actionNames())
		return en, false
	}
	spec, ok := actionSpecs[en.Do]
	if !ok {
		p.add(doNode, path+".do", fmt.Sprintf("unknown action %q", en.Do), actionNames())
		return en, false
	}
	p.args(argsNode, doNode, path+".do."+en.Do, en.Do, spec, &en.Args)
	if forNode != nil {
		if !spec.window {
			p.add(forNode, path+".for", fmt.Sprintf("%s is instantaneous: for is not allowed", en.Do), "")
		} else {
			en.For = p.duration(forNode, path+".for", true)
		}
	}
	if modNode != nil {
		if spec.network {
			p.add(modNode, path+".modules", fmt.Sprintf("%s acts on the whole network (the core): modules is not allowed", en.Do), "")
		} else {
			en.Modules, en.modLine = p.modules(modNode, path+".modules"), modNode.Line
		}
	}
	return en, len(p.errs) == before
}

// duration parses a duration of at least 0 (positive: more than 0) and at
// most 10 years of network time.
func (p *tlParser) duration(n *yaml.Node, path string, positive bool) time.Duration {
	if n.Kind != yaml.ScalarNode {
		p.add(n, path, "a duration is required (5m, 90s, 24h, 2d)", "")
		return 0
	}
	d, err := scenarios.ParseDuration(n.Value)
	if err != nil {
		p.add(n, path, err.Error(), "")
		return 0
	}
	if positive && d == 0 {
		p.add(n, path, "must be more than 0 (leave it out for a fault that lasts)", "")
		return 0
	}
	if d < 0 || d.D() > 10*365*24*time.Hour {
		p.add(n, path, fmt.Sprintf("%s: between 0 and 3650d", n.Value), "")
		return 0
	}
	return d.D()
}

func (p *tlParser) modules(n *yaml.Node, path string) []int {
	var items []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == "all" {
			return nil
		}
		items = []*yaml.Node{n}
	case yaml.SequenceNode:
		items = n.Content
	}
	if len(items) == 0 {
		p.add(n, path, "a module number, a list of them, or all", "")
		return nil
	}
	out := make([]int, 0, len(items))
	seen := map[int]bool{}
	for _, it := range items {
		v, err := strconv.Atoi(it.Value)
		if it.Kind != yaml.ScalarNode || err != nil || v < 0 || v >= 60000 {
			p.add(it, path, fmt.Sprintf("%q: a module number 0..59999", it.Value), "")
			continue
		}
		if seen[v] {
			p.add(it, path, fmt.Sprintf("module %d given twice", v), "")
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// args parses an action's arguments into a.
func (p *tlParser) args(n, at *yaml.Node, path, act string, spec actionSpec, a *TimelineArgs) {
	given := map[string]*yaml.Node{}
	if n != nil && !(n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		if n.Kind != yaml.MappingNode {
			p.add(n, path, "the arguments are a map {ARG: VALUE, ...}", strings.Join(spec.args, ", "))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if !slices.Contains(spec.args, k.Value) {
				allowed := strings.Join(spec.args, ", ")
				if allowed == "" {
					allowed = "none"
				}
				p.add(k, path+"."+k.Value, "unknown argument", allowed)
				continue
			}
			if given[k.Value] != nil {
				p.add(k, path+"."+k.Value, "given twice", "")
				continue
			}
			given[k.Value] = n.Content[i+1]
		}
	}
	for _, r := range spec.required {
		if given[r] == nil {
			p.add(at, path+"."+r, "missing", "")
		}
	}
	for _, k := range spec.args { // in a fixed order: the errors are the same every run
		if v := given[k]; v != nil {
			p.arg(v, path+"."+k, k, a)
		}
	}
	if act == ActCoverage && (a.CouplingLoss == nil) == (a.RSRP == nil) && len(given) != 1 {
		p.add(at, path, "give one of coupling_loss_db and rsrp_dbm", "coupling_loss_db, rsrp_dbm")
	}
	if v := given["t3346"]; v != nil && a.Cause != 22 && given["cause"] != nil {
		p.add(v, path+".t3346", "only with cause 22 (congestion: the back-off timer of TS 24.301 §5.5.1.2.5)", "")
	}
}

// arg parses one argument; its ranges are the control API's.
func (p *tlParser) arg(v *yaml.Node, path, key string, a *TimelineArgs) {
	num := func(lo, hi float64, what string) (float64, bool) {
		f, err := strconv.ParseFloat(v.Value, 64)
		if v.Kind != yaml.ScalarNode || err != nil || math.IsNaN(f) || f < lo || f > hi {
			p.add(v, path, fmt.Sprintf("%q: %s", v.Value, what), "")
			return 0, false
		}
		return f, true
	}
	integer := func(lo, hi int, what string) int {
		k, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil || k < lo || k > hi {
			p.add(v, path, fmt.Sprintf("%q: %s", v.Value, what), "")
			return 0
		}
		return k
	}
	switch key {
	case "coupling_loss_db":
		if f, ok := num(40, 250, "a coupling loss in dB, 40..250"); ok {
			a.CouplingLoss = &f
		}
	case "rsrp_dbm":
		if f, ok := num(-180, -40, "an RSRP in dBm, -180..-40"); ok {
			a.RSRP = &f
		}
	case "probability":
		if f, ok := num(0, 1, "a probability, 0..1"); ok {
			a.Probability = &f
		}
	case "count":
		a.Count = integer(1, 1000, "how many access procedures fail, 1..1000")
	case "cause":
		a.Cause = integer(1, 255, "an EMM cause 1..255 (TS 24.301 §9.9.3.9), e.g. 15 no suitable cells in tracking area, 11 PLMN not allowed, 22 congestion")
	case "t3346":
		if _, err := t3346Value("t3346", v.Value); v.Kind != yaml.ScalarNode || err != nil {
			p.add(v, path, fmt.Sprintf("%q: a duration of 2s to 3h6m (a GPRS timer 2, TS 24.008 §10.5.7.4)", v.Value), "")
			return
		}
		a.T3346 = v.Value
	case "t3324", "t3412":
		top, name := scenarios.MaxT3324, "T3324"
		if key == "t3412" {
			top, name = scenarios.MaxT3412, "T3412"
		}
		d, err := scenarios.ParseDuration(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil || d < scenarios.Duration(2*time.Second) || d > top {
			p.add(v, path, fmt.Sprintf("%q: a duration of 2s to %s (the %s maximum, TS 24.008 §10.5.7.4/4a)", v.Value, scenarios.FormatDuration(top.D()), name), "")
			return
		}
		s := scenarios.FormatDuration(d.D())
		if key == "t3324" {
			a.T3324 = s
		} else {
			a.T3412 = s
		}
	}
}

// overlaps reports entries on the same resource (and module) whose times
// meet: a window [at, at+for) and anything else that starts inside it, or
// two actions at the same time (their order would be a guess). An entry
// without `for` sets a value that stays: a later one on the same resource
// replaces it, which is no conflict.
func (p *tlParser) overlaps(es []TimelineEntry) {
	// By resource, in time order: an entry can only meet one at its own
	// time or a window still open at its start, so each is compared with
	// those alone (a timeline has up to 10,000 entries).
	res := func(i int) string { return actionSpecs[es[i].Do].resource }
	order := make([]int, len(es))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := strings.Compare(res(a), res(b)); c != 0 {
			return c
		}
		return cmp.Compare(es[a].At, es[b].At)
	})
	type pair struct{ i, j int } // i before j in the file
	var found []pair
	var open []int
	for k, j := range order {
		if k > 0 && res(order[k-1]) != res(j) {
			open = open[:0]
		}
		b := &es[j]
		keep := open[:0]
		for _, i := range open {
			if a := &es[i]; a.At == b.At || a.For > 0 && a.At+a.For > b.At {
				keep = append(keep, i)
			}
		}
		open = keep
		for _, i := range open {
			if len(found) < 100 && sharesModule(es[i].Modules, b.Modules) && timesMeet(&es[i], b) {
				found = append(found, pair{min(i, j), max(i, j)})
			}
		}
		open = append(open, j)
	}
	slices.SortFunc(found, func(x, y pair) int { return cmp.Or(cmp.Compare(x.j, y.j), cmp.Compare(x.i, y.i)) })
	for _, f := range found {
		a, b := &es[f.i], &es[f.j]
		p.errs = append(p.errs, &inputerr.Error{File: p.file, Line: b.Line, Path: fmt.Sprintf("timeline[%d]", f.j),
			Msg: fmt.Sprintf("%s at %s overlaps %s at %s (line %d) on the same %s%s: one would undo the other",
				b.Do, fmtAt(b), a.Do, fmtAt(a), a.Line, actionSpecs[a.Do].resource, moduleWords(a.Modules, b.Modules))})
	}
}

func fmtAt(e *TimelineEntry) string {
	s := scenarios.FormatDuration(e.At)
	if e.For > 0 {
		s += "–" + scenarios.FormatDuration(e.At+e.For)
	}
	return s
}

// timesMeet: the same start, or one starts inside the other's window.
func timesMeet(a, b *TimelineEntry) bool {
	in := func(w, x *TimelineEntry) bool { return w.For > 0 && x.At > w.At && x.At < w.At+w.For }
	return a.At == b.At || in(a, b) || in(b, a)
}

func sharesModule(a, b []int) bool {
	if a == nil || b == nil {
		return true
	}
	return len(common(a, b, 1)) > 0
}

// common is the modules of both sorted lists (at most max of them), in
// one walk: a timeline's lists may be long.
func common(a, b []int, max int) []int {
	var both []int
	for i, j := 0, 0; i < len(a) && j < len(b) && len(both) < max; {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			both = append(both, a[i])
			i, j = i+1, j+1
		}
	}
	return both
}

func moduleWords(a, b []int) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil:
		return fmt.Sprintf(" (modules %v)", b)
	case b == nil:
		return fmt.Sprintf(" (modules %v)", a)
	}
	return fmt.Sprintf(" (modules %v)", common(a, b, len(a)))
}

// Check checks the module numbers against the emulation's modules.
func (tl *Timeline) Check(modules int) error {
	var errs inputerr.Errors
	for i, en := range tl.Entries {
		for _, m := range en.Modules {
			if m >= modules && len(errs) < 100 { // as the parser, at most 100
				errs = append(errs, &inputerr.Error{File: tl.File, Line: en.modLine, Path: fmt.Sprintf("timeline[%d].modules", i),
					Msg: fmt.Sprintf("module %d: the emulation has modules 0..%d (--ues %d)", m, modules-1, modules)})
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// timelineRun is a timeline being played (engine goroutine).
type timelineRun struct {
	tl      *Timeline
	state   []string // per entry: pending, active, done
	restore []func() // per entry with `for`: undoes it at the end
	log     []TimelineEvent
}

// TimelineEvent is one thing the timeline did.
type TimelineEvent struct {
	At   string `json:"at"` // network time
	Line int    `json:"line"`
	Do   string `json:"do"`
	What string `json:"what"`
}

// TimelineState is the timeline as GET /api/timeline shows it.
type TimelineState struct {
	File    string          `json:"file,omitempty"`
	Now     string          `json:"now"`
	Entries []EntryState    `json:"entries"`
	Events  []TimelineEvent `json:"events"`
}

// EntryState is one entry and where it stands.
type EntryState struct {
	Line    int          `json:"line"`
	At      string       `json:"at"`
	For     string       `json:"for,omitempty"`
	Do      string       `json:"do"`
	Modules []int        `json:"modules,omitempty"`
	Args    TimelineArgs `json:"args"`
	State   string       `json:"state"` // pending, active (a window), done
}

// schedule puts the timeline's starts and ends on the engine: in time
// order; at equal times ends first (a window that ends as another begins
// restores before the next sets), then starts in file order.
func (e *Emulator) schedule(tl *Timeline) *timelineRun {
	r := &timelineRun{tl: tl, state: make([]string, len(tl.Entries)), restore: make([]func(), len(tl.Entries))}
	type ev struct {
		t   time.Duration
		end bool
		i   int
	}
	var evs []ev
	for i, en := range tl.Entries {
		r.state[i] = "pending"
		evs = append(evs, ev{en.At, false, i})
		if en.For > 0 {
			evs = append(evs, ev{en.At + en.For, true, i})
		}
	}
	slices.SortStableFunc(evs, func(a, b ev) int {
		switch {
		case a.t != b.t:
			return cmp.Compare(a.t, b.t)
		case a.end != b.end:
			if a.end {
				return -1
			}
			return 1
		}
		return 0
	})
	now := e.net.Engine().Now().D()
	for _, v := range evs {
		e.net.Engine().AfterFunc(v.t-now, func() {
			if v.end {
				e.endEntry(r, v.i)
			} else {
				e.startEntry(r, v.i)
			}
		})
	}
	return r
}

func (e *Emulator) tlLog(r *timelineRun, i int, what string) {
	en := &r.tl.Entries[i]
	r.log = append(r.log, TimelineEvent{At: e.net.Engine().Now().D().String(), Line: en.Line, Do: en.Do, What: what})
	e.traceAll("timeline", fmt.Sprintf("%s:%d %s: %s", r.tl.File, en.Line, en.Do, what))
}

// targets are the modules an entry acts on.
func (e *Emulator) targets(en *TimelineEntry) []int {
	if en.Modules != nil {
		return en.Modules
	}
	all := make([]int, len(e.mods))
	for i := range all {
		all[i] = i
	}
	return all
}

// startEntry applies entry i (engine goroutine), through the functions the
// control API uses, and keeps what undoes it when it has a window.
func (e *Emulator) startEntry(r *timelineRun, i int) {
	en := &r.tl.Entries[i]
	a := en.Args
	mods := e.targets(en)
	var undo func()
	what := ""
	switch en.Do {
	case ActCoverage:
		cl, err := e.couplingLoss(a.CouplingLoss, a.RSRP)
		if err != nil { // checked by the parser
			what = "error: " + err.Error()
			break
		}
		prev := make([]float64, len(mods))
		for k, m := range mods {
			in, _ := e.net.Info(e.mods[m].id)
			prev[k] = in.CouplingLoss
			e.setCoverage(m, cl, "timeline")
		}
		undo = func() {
			for k, m := range mods {
				e.setCoverage(m, prev[k], "timeline")
			}
		}
		what = fmt.Sprintf("coupling loss %.1f dB on %s", cl, modWords(en.Modules))
	case ActAccessFailures:
		for _, m := range mods {
			e.failAccess(m, a.Count, "timeline")
		}
		what = fmt.Sprintf("next %d access procedures fail on %s", a.Count, modWords(en.Modules))
	case ActDropDownlink, ActDropUplink:
		down := en.Do == ActDropDownlink
		prev := make([]float64, len(mods))
		for k, m := range mods {
			prev[k] = e.mods[m].dropUp
			if down {
				prev[k] = e.mods[m].dropDown
			}
			e.setDrop(m, down, *a.Probability, "timeline")
		}
		undo = func() {
			for k, m := range mods {
				e.setDrop(m, down, prev[k], "timeline")
			}
		}
		what = fmt.Sprintf("probability %g on %s", *a.Probability, modWords(en.Modules))
	case ActNATRebind:
		for _, m := range mods {
			e.natRebind(m, "timeline")
		}
		what = "bindings forgotten on " + modWords(en.Modules)
	case ActRejectAttach:
		if en.Modules == nil {
			undo, what = e.startNetworkEntry(en) // the core's rule for every device
			break
		}
		var t3346 time.Duration
		if a.T3346 != "" {
			t3346, _ = t3346Value("t3346", a.T3346) // checked by the parser
		}
		saved := make([]struct {
			c nas.EMMCause
			t time.Duration
		}, len(mods))
		for k, m := range mods {
			saved[k].c, saved[k].t = e.mods[m].rejectCause, e.mods[m].rejectT3346
			e.rejectModule(m, nas.EMMCause(a.Cause), t3346, "timeline")
		}
		undo = func() {
			for k, m := range mods {
				e.rejectModule(m, saved[k].c, saved[k].t, "timeline")
			}
		}
		what = fmt.Sprintf("attaches rejected with EMM cause #%d on %s", a.Cause, modWords(en.Modules))
	default:
		undo, what = e.startNetworkEntry(en)
	}
	r.state[i] = "done"
	if en.For > 0 {
		r.state[i], r.restore[i] = "active", undo
		what += fmt.Sprintf(", for %s", scenarios.FormatDuration(en.For))
	}
	e.tlLog(r, i, what)
}

// startNetworkEntry applies an action on the whole network (the core's).
func (e *Emulator) startNetworkEntry(en *TimelineEntry) (undo func(), what string) {
	a := en.Args
	apply := func(ch netChange) {
		if err := e.applyNetwork(ch, "timeline"); err != nil {
			what += " (error: " + err.Error() + ")"
		}
	}
	reachable := !e.coreDown
	switch en.Do {
	case ActRejectAttach:
		prev, prevT, c := e.rejectCause, e.rejectT3346, nas.EMMCause(a.Cause)
		var t3346 time.Duration
		if a.T3346 != "" {
			t3346, _ = t3346Value("t3346", a.T3346) // checked by the parser
		}
		what = fmt.Sprintf("every attach rejected with EMM cause #%d", a.Cause)
		apply(netChange{reject: &c, t3346: t3346})
		if e.rejectT3346 > 0 {
			what += fmt.Sprintf(" and T3346 %v", e.rejectT3346)
		}
		undo = func() { apply(netChange{reject: &prev, t3346: prevT}) }
	case ActCoreUnreachable:
		down := false
		what = "the core does not answer"
		apply(netChange{reachable: &down})
		undo = func() { apply(netChange{reachable: &reachable}) }
	case ActCoreRestart:
		if en.For == 0 {
			what = "the core restarts: every UE context lost"
			apply(netChange{restart: true})
			break
		}
		down := false
		what = "the core restarts: unreachable until it is back, then without UE contexts"
		apply(netChange{reachable: &down})
		undo = func() { apply(netChange{restart: true, reachable: &reachable}) }
	case ActGrantPSM:
		p, err := psmPolicy(&PolicyState{Policy: "clamp", Min: a.T3324, Max: a.T3324, T3412Min: a.T3412, T3412Max: a.T3412})
		pc, ok := e.net.Core().(policyCore)
		if err != nil || !ok {
			return nil, fmt.Sprintf("error: %v", err)
		}
		prev, _ := pc.Policy()
		what = fmt.Sprintf("PSM granted as T3324 %s, T3412 %s to modules that ask for PSM, from their next attach or TAU", a.T3324, a.T3412)
		apply(netChange{psm: p})
		undo = func() { apply(netChange{psm: &prev}) }
	}
	return undo, what
}

// endEntry undoes entry i's window (engine goroutine).
func (e *Emulator) endEntry(r *timelineRun, i int) {
	if f := r.restore[i]; f != nil {
		f()
	}
	r.state[i], r.restore[i] = "done", nil
	e.tlLog(r, i, "ends")
}

func modWords(ms []int) string {
	if ms == nil {
		return "every module"
	}
	return fmt.Sprintf("modules %v", ms)
}

// TimelineState returns the timeline and what it did so far.
func (e *Emulator) TimelineState() TimelineState {
	var s TimelineState
	e.Do(func() {
		s = TimelineState{Now: e.net.Engine().Now().D().String(), Entries: []EntryState{}, Events: []TimelineEvent{}}
		r := e.tl
		if r == nil {
			return
		}
		s.File = r.tl.File
		for i, en := range r.tl.Entries {
			es := EntryState{Line: en.Line, At: scenarios.FormatDuration(en.At), Do: en.Do, Modules: en.Modules, Args: en.Args, State: r.state[i]}
			if en.For > 0 {
				es.For = scenarios.FormatDuration(en.For)
			}
			s.Entries = append(s.Entries, es)
		}
		s.Events = append(s.Events, r.log...)
	})
	return s
}

func (e *Emulator) apiTimeline(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, e.TimelineState())
}
