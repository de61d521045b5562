package scenarios

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SetFile is the File of errors in values given as --set overrides.
const SetFile = "--set"

// Load reads a scenario: nameOrPath is a file if such a file exists,
// otherwise the name of a shipped scenario ("cow-collars" or
// "cow-collars.yaml"). sets are key.path=value overrides (see Parse).
func Load(nameOrPath string, sets []string) (*Scenario, error) {
	if fi, err := os.Stat(nameOrPath); err == nil && !fi.IsDir() {
		data, err := os.ReadFile(nameOrPath)
		if err != nil {
			return nil, Errors{{File: nameOrPath, Msg: err.Error()}}
		}
		// A file with nothing in it is a mistake (the wrong file, a failed
		// write), not a request for the defaults: it would run a network
		// without devices and exit 0. Parse itself still reads "" as the
		// defaults.
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) == nil && isEmptyDocument(&doc) {
			return nil, Errors{{File: nameOrPath, Msg: "empty scenario file: no keys (a scenario gives at least its groups of devices; see docs/scenarios.md)"}}
		}
		return Parse(data, nameOrPath, sets)
	}
	if data, ok := ShippedFile(nameOrPath); ok {
		return parse(data, shippedName(nameOrPath)+".yaml", sets, true)
	}
	names := make([]string, 0, 16)
	for _, in := range Shipped() {
		names = append(names, in.Name)
	}
	return nil, Errors{{File: nameOrPath, Msg: "no such scenario file or shipped scenario", Allowed: strings.Join(names, ", ")}}
}

// Parse decodes a scenario from YAML on top of Default(), applies the
// overrides in sets and validates the result. file names the source in
// error messages; when it ends in .yaml or .yml and the scenario has no
// name, the base name becomes the name.
//
// Each override is "key.path=value": the path is a dot-separated list of
// keys, list indexes and group names (radio.band=B8,
// random_access.ce.0.periodicity=160ms, groups.collars.count=40000) and
// the value is a YAML scalar or flow collection ([-100, -115]). Overrides
// are applied to the document before decoding, so they are checked like
// file contents; missing keys are created when the path is valid.
//
// All problems are returned together as Errors.
func Parse(data []byte, file string, sets []string) (*Scenario, error) {
	return parse(data, file, sets, false)
}

// parse is Parse; shipped says data is a shipped scenario, whose files
// (sites_file, placement and coverage CSVs) are read from the embedded
// files first (see source).
func parse(data []byte, file string, sets []string, shipped bool) (*Scenario, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Errors{yamlSyntaxError(file, err, data)}
	}
	if errs := duplicateKeys(&doc, file); len(errs) > 0 {
		return nil, errs
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			root = nil
		} else {
			root = root.Content[0]
		}
	}
	if root == nil || root.Kind == 0 || isNull(root) {
		root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	for root.Kind == yaml.AliasNode && root.Alias != nil {
		root = root.Alias
	}
	if root.Kind != yaml.MappingNode {
		return nil, Errors{{File: file, Line: root.Line, Msg: "a scenario must be a mapping of keys (key: value), got " + describe(root)}}
	}

	d := &decoder{file: file, fromSet: map[*yaml.Node]bool{}, pos: map[string]position{}, budget: maxNodes}
	var errs Errors
	for _, s := range sets {
		if e := d.applySet(root, s); e != nil {
			errs = append(errs, e)
		}
	}

	s := Default()
	d.decode(root, reflect.ValueOf(&s).Elem(), "", position{file: file, line: 0})
	errs = append(errs, d.errs...)
	src := source{dir: filepath.Dir(file), shipped: shipped}
	if len(errs) == 0 {
		if errs = loadSitesFile(&s, src, d.pos); len(errs) > 0 {
			sortErrors(errs)
			return nil, errs
		}
	}
	if s.Name == "" {
		if ext := filepath.Ext(file); ext == ".yaml" || ext == ".yml" {
			s.Name = strings.TrimSuffix(filepath.Base(file), ext)
		}
	}

	v := &validator{pos: d.pos, file: file, seen: map[string]bool{}}
	for _, e := range errs {
		v.seen[e.Path] = true
	}
	v.scenario(&s)
	errs = append(errs, v.errs...)
	if len(errs) == 0 {
		errs = loadGroupFiles(&s, src, file, d.pos)
	}
	if len(errs) > 0 {
		sortErrors(errs)
		if len(errs) > maxErrors {
			n := len(errs) - maxErrors
			errs = append(errs[:maxErrors:maxErrors], &Error{File: file, Msg: fmt.Sprintf("… and %d more problems", n)})
		}
		return nil, errs
	}
	return &s, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlSyntaxError is the error for a document that does not parse, at
// the line syntaxLine finds (the parser's own is often wrong).
func yamlSyntaxError(file string, err error, data []byte) *Error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if l := syntaxLine(data); l > 0 {
			line = l
		}
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	if l := syntaxLine(data); l > 0 {
		return &Error{File: file, Line: l, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	}
	return &Error{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// maxNodes bounds the nodes one decode visits (anchors and aliases can make
// a small document expand enormously).
const maxNodes = 200000

// position is where a value came from.
type position struct {
	file string
	line int
}

type decoder struct {
	file    string
	fromSet map[*yaml.Node]bool // nodes created or replaced by --set
	pos     map[string]position // key path → position of its key/value
	errs    Errors
	budget  int
}

var durationType = reflect.TypeOf(Duration(0))

func (d *decoder) add(p position, path, msg, allowed string) {
	if len(d.errs) > maxErrors {
		return
	}
	d.errs = append(d.errs, &Error{File: p.file, Line: p.line, Path: path, Msg: msg, Allowed: allowed})
}

// at is the position of a mapping entry (key may be nil for list elements).
func (d *decoder) at(key, val *yaml.Node) position {
	if d.fromSet[val] || (key != nil && d.fromSet[key]) {
		return position{file: SetFile}
	}
	if key != nil {
		return position{file: d.file, line: key.Line}
	}
	return position{file: d.file, line: val.Line}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what a node holds, for "expected X, got Y".
func describe(n *yaml.Node) string {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 10; i++ {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing (null)"
		}
		return strconv.Quote(n.Value)
	}
	return "an empty document"
}

// decode stores n into v (which already holds the default), recording
// the position of every path it visits.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string, p position) {
	d.budget--
	if d.budget < 0 {
		if d.budget == -1 {
			d.add(p, path, "the document is too large or uses too many aliases", "")
		}
		return
	}
	for i := 0; n.Kind == yaml.AliasNode && i < 10; i++ {
		if n.Alias == nil {
			d.add(p, path, "alias to an unknown anchor", "")
			return
		}
		n = n.Alias
	}
	if v.Type() == durationType {
		d.duration(n, v, path, p)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		if v.IsNil() {
			v.Set(newDefault(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path, p)
	case reflect.Struct:
		d.structure(n, v, path, p, 0)
	case reflect.Map:
		d.mapping(n, v, path, p)
	case reflect.Slice:
		d.sequence(n, v, path, p)
	default:
		d.scalar(n, v, path, p)
	}
}

// field is one YAML key of a struct type.
type field struct {
	name  string
	index int
	typ   reflect.Type
}

func fieldsOf(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out = append(out, field{name: name, index: i, typ: f.Type})
	}
	return out
}

func fieldNames(fs []field) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

func lookupField(fs []field, name string) (field, bool) {
	for _, f := range fs {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value, path string, p position, depth int) {
	if isNull(n) {
		return // keep the defaults
	}
	if n.Kind != yaml.MappingNode {
		d.add(p, path, "expected a mapping of keys, got "+describe(n), "")
		return
	}
	fs := fieldsOf(v.Type())
	// Merge keys (<<: *anchor) first: explicit keys override them.
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!merge" {
			continue
		}
		if depth > 10 {
			d.add(d.at(k, val), path, "merge keys nested too deeply", "")
			continue
		}
		srcs := []*yaml.Node{val}
		if r := resolveAlias(val); r.Kind == yaml.SequenceNode {
			srcs = r.Content
		}
		for _, src := range srcs {
			r := resolveAlias(src)
			if r.Kind != yaml.MappingNode {
				d.add(d.at(k, src), path, "a merge key (<<) needs a mapping or a list of mappings, got "+describe(r), "")
				continue
			}
			d.structure(r, v, path, d.at(k, src), depth+1)
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			continue
		}
		kp := d.at(k, val)
		if k.Kind != yaml.ScalarNode {
			d.add(kp, path, "keys must be plain names, got "+describe(k), fieldNames(fs))
			continue
		}
		f, ok := lookupField(fs, k.Value)
		cp := joinPath(path, k.Value)
		if !ok {
			d.add(kp, cp, fmt.Sprintf("unknown key %q", k.Value), fieldNames(fs))
			continue
		}
		d.pos[cp] = kp
		d.decode(val, v.Field(f.index), cp, kp)
	}
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string, p position) {
	t := v.Type()
	if isNull(n) {
		v.Set(reflect.MakeMap(t))
		return
	}
	if n.Kind != yaml.MappingNode {
		d.add(p, path, "expected a mapping of names, got "+describe(n), "")
		return
	}
	out := reflect.MakeMap(t)
	et := t.Elem()
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		kp := d.at(k, val)
		if k.Kind != yaml.ScalarNode || isNull(k) {
			d.add(kp, path, "names must be plain strings, got "+describe(k), "")
			continue
		}
		cp := joinPath(path, k.Value)
		d.pos[cp] = kp
		var ev reflect.Value
		if et.Kind() == reflect.Pointer {
			ev = newDefault(et.Elem())
			if !isNull(resolveAlias(val)) {
				d.decode(val, ev.Elem(), cp, kp)
			}
		} else {
			ev = reflect.New(et).Elem()
			d.decode(val, ev, cp, kp)
		}
		out.SetMapIndex(reflect.ValueOf(k.Value).Convert(t.Key()), ev)
	}
	v.Set(out)
}

func (d *decoder) sequence(n *yaml.Node, v reflect.Value, path string, p position) {
	t := v.Type()
	if isNull(n) {
		v.Set(reflect.MakeSlice(t, 0, 0))
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.add(p, path, "expected a list, got "+describe(n), "")
		return
	}
	out := reflect.MakeSlice(t, len(n.Content), len(n.Content))
	for i, el := range n.Content {
		// An entry starts from the current entry at the same index (the
		// default), so `ce: [{periodicity: 40ms}]` changes one field of CE0.
		if i < v.Len() {
			out.Index(i).Set(v.Index(i))
		} else {
			out.Index(i).Set(elemDefault(t.Elem(), i))
		}
		cp := joinPath(path, strconv.Itoa(i))
		ep := d.at(nil, el)
		d.pos[cp] = ep
		d.decode(el, out.Index(i), cp, ep)
	}
	v.Set(out)
}

func (d *decoder) duration(n *yaml.Node, v reflect.Value, path string, p position) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.add(p, path, "expected a duration such as 40ms, 10s, 3h or 7d, got "+describe(n), "")
		return
	}
	x, err := ParseDuration(n.Value)
	if err != nil {
		d.add(p, path, err.Error(), "")
		return
	}
	v.SetInt(int64(x))
}

func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string, p position) {
	want := map[reflect.Kind]string{
		reflect.String: "a string", reflect.Bool: "true or false",
		reflect.Int: "an integer", reflect.Int64: "an integer", reflect.Uint64: "a non-negative integer",
		reflect.Float64: "a number",
	}[v.Kind()]
	if want == "" {
		d.add(p, path, "internal error: unsupported field type "+v.Type().String(), "")
		return
	}
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.add(p, path, "expected "+want+", got "+describe(n), "")
		return
	}
	bad := func() { d.add(p, path, "expected "+want+", got "+describe(n), "") }
	tag := n.ShortTag()
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if tag != "!!bool" || n.Decode(&b) != nil {
			bad()
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		i, ok := scalarInt(n, tag)
		if !ok || v.OverflowInt(i) {
			bad()
			return
		}
		v.SetInt(i)
	case reflect.Uint64:
		var u uint64
		switch tag {
		case "!!int":
			if n.Decode(&u) != nil {
				bad()
				return
			}
		case "!!float":
			var f float64
			if n.Decode(&f) != nil || f != math.Trunc(f) || f < 0 || f >= 1.8e19 {
				bad()
				return
			}
			u = uint64(f)
		default:
			bad()
			return
		}
		v.SetUint(u)
	case reflect.Float64:
		var f float64
		if (tag != "!!int" && tag != "!!float") || n.Decode(&f) != nil {
			bad()
			return
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.add(p, path, "expected a finite number, got "+describe(n), "")
			return
		}
		v.SetFloat(f)
	}
}

func scalarInt(n *yaml.Node, tag string) (int64, bool) {
	switch tag {
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i, true
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && f == math.Trunc(f) && math.Abs(f) < 9e18 {
			return int64(f), true
		}
	}
	return 0, false
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 10; i++ {
		n = n.Alias
	}
	return n
}

// newDefault returns a pointer to the default value of a struct that is
// created when a file names it (optional sections, groups).
func newDefault(t reflect.Type) reflect.Value {
	p := reflect.New(t)
	switch t {
	case reflect.TypeOf(Group{}):
		p.Elem().Set(reflect.ValueOf(DefaultGroup()))
	case reflect.TypeOf(SiteLayout{}):
		p.Elem().Set(reflect.ValueOf(defaultSiteLayout()))
	case reflect.TypeOf(Arrival{}):
		p.Elem().Set(reflect.ValueOf(defaultArrival()))
	case reflect.TypeOf(SizeDist{}):
		p.Elem().Set(reflect.ValueOf(defaultSizeDist()))
	}
	return p
}

// elemDefault is where list entry i starts when the list had no entry i.
func elemDefault(t reflect.Type, i int) reflect.Value {
	switch t {
	case reflect.TypeOf(Site{}):
		return reflect.ValueOf(defaultSite())
	case reflect.TypeOf(NPRACH{}):
		ce := defaultCE()
		return reflect.ValueOf(ce[min(i, len(ce)-1)])
	case reflect.TypeOf(Burst{}):
		return reflect.ValueOf(defaultBurst())
	}
	return reflect.Zero(t)
}

// applySet applies one key.path=value override to the document.
func (d *decoder) applySet(root *yaml.Node, expr string) *Error {
	key, segs, val, e := d.parseSet(expr)
	if e != nil {
		return e
	}
	c := setCursor{node: root, t: reflect.TypeOf(Scenario{}), def: reflect.ValueOf(Default())}
	path := ""
	for i, seg := range segs {
		last := i == len(segs)-1
		c.deref()
		var done bool
		switch c.t.Kind() {
		case reflect.Struct:
			done, e = d.setInStruct(&c, key, path, seg, last, val)
		case reflect.Map:
			done, e = d.setInMap(&c, key, path, seg, last, val)
		case reflect.Slice:
			done, e = d.setInSlice(&c, key, path, seg, last, val)
		default:
			return &Error{File: SetFile, Path: key, Msg: fmt.Sprintf("%s is a single value; it has no key %q", pathOrTop(path), seg)}
		}
		if done || e != nil {
			return e
		}
		c.nullToContainer()
		path = joinPath(path, seg)
	}
	return nil
}

// parseSet splits key.path=value into the key, its segments and the value
// as a YAML node.
func (d *decoder) parseSet(expr string) (key string, segs []string, val *yaml.Node, e *Error) {
	key, value, ok := strings.Cut(expr, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return key, nil, nil, &Error{File: SetFile, Path: key, Msg: fmt.Sprintf("expected key.path=value, got %q", expr)}
	}
	segs = strings.Split(key, ".")
	for _, s := range segs {
		if s == "" {
			return key, nil, nil, &Error{File: SetFile, Path: key, Msg: "empty key in the path"}
		}
	}
	val, err := parseSetValue(value)
	if err != nil {
		return key, nil, nil, &Error{File: SetFile, Path: key, Msg: err.Error()}
	}
	d.mark(val)
	return key, segs, val, nil
}

// setCursor is where applySet is in the document: a node, the Go type it
// decodes into and that type's default value.
type setCursor struct {
	node *yaml.Node
	t    reflect.Type
	def  reflect.Value
}

// deref steps through pointer types (and their defaults).
func (c *setCursor) deref() {
	for c.t.Kind() == reflect.Pointer {
		c.t = c.t.Elem()
		if c.def.Kind() == reflect.Pointer {
			if c.def.IsNil() {
				c.def = newDefault(c.t)
			}
			c.def = c.def.Elem()
		}
	}
}

// nullToContainer makes a null node an empty list or mapping, as its type
// wants, so that the next segment can be set inside it.
func (c *setCursor) nullToContainer() {
	if c.node.Kind == yaml.ScalarNode && isNull(c.node) {
		if c.t.Kind() == reflect.Slice {
			c.node.Kind, c.node.Tag, c.node.Value, c.node.Content = yaml.SequenceNode, "!!seq", "", nil
		} else if k := derefKind(c.t); k == reflect.Struct || k == reflect.Map {
			toMapping(c.node)
		}
	}
}

// setInStruct steps into (or, last, sets) the key seg of a struct's
// mapping, creating it from the default when the file does not give it.
func (d *decoder) setInStruct(c *setCursor, key, path, seg string, last bool, val *yaml.Node) (bool, *Error) {
	node := c.node
	if node.Kind != yaml.MappingNode {
		return false, &Error{File: SetFile, Path: key, Msg: fmt.Sprintf("cannot set inside %s: the file gives it %s, not a mapping", pathOrTop(path), describe(node))}
	}
	fs := fieldsOf(c.t)
	f, ok := lookupField(fs, seg)
	if !ok {
		return false, &Error{File: SetFile, Path: joinPath(path, seg), Msg: fmt.Sprintf("unknown key %q", seg), Allowed: fieldNames(fs)}
	}
	idx := findKey(node, seg)
	if last {
		if idx >= 0 {
			node.Content[idx+1] = val
		} else {
			node.Content = append(node.Content, d.newKey(seg), val)
		}
		return true, nil
	}
	var child *yaml.Node
	if idx >= 0 {
		child = d.editable(node, idx+1)
	} else {
		child = d.container(f.typ, c.def.Field(f.index))
		node.Content = append(node.Content, d.newKey(seg), child)
	}
	c.node, c.t, c.def = child, f.typ, c.def.Field(f.index)
	return false, nil
}

// setInMap steps into (or, last, sets) the group seg, which must exist.
func (d *decoder) setInMap(c *setCursor, key, path, seg string, last bool, val *yaml.Node) (bool, *Error) {
	node := c.node
	if node.Kind != yaml.MappingNode {
		return false, &Error{File: SetFile, Path: key, Msg: fmt.Sprintf("cannot set inside %s: the file gives it %s, not a mapping", pathOrTop(path), describe(node))}
	}
	idx := findKey(node, seg)
	if idx < 0 {
		names := []string{}
		for j := 0; j+1 < len(node.Content); j += 2 {
			names = append(names, node.Content[j].Value)
		}
		sort.Strings(names)
		msg := fmt.Sprintf("no group %q in the scenario", seg)
		if len(names) == 0 {
			msg += " (it has no groups)"
		}
		return false, &Error{File: SetFile, Path: joinPath(path, seg), Msg: msg, Allowed: strings.Join(names, ", ")}
	}
	if last {
		node.Content[idx+1] = val
		return true, nil
	}
	child := d.editable(node, idx+1)
	if child.Kind == yaml.ScalarNode && isNull(child) {
		toMapping(child)
	}
	c.node, c.t = child, c.t.Elem()
	c.def = reflect.Zero(c.t) // a nil pointer: the group default
	return false, nil
}

// setInSlice steps into (or, last, sets) entry seg of a list; the index
// equal to the list's length appends an entry.
func (d *decoder) setInSlice(c *setCursor, key, path, seg string, last bool, val *yaml.Node) (bool, *Error) {
	node, t := c.node, c.t
	if node.Kind != yaml.SequenceNode {
		return false, &Error{File: SetFile, Path: key, Msg: fmt.Sprintf("cannot set inside %s: the file gives it %s, not a list", pathOrTop(path), describe(node))}
	}
	sub := joinPath(path, seg)
	n, err := strconv.Atoi(seg)
	if err != nil || n < 0 {
		return false, &Error{File: SetFile, Path: sub, Msg: fmt.Sprintf("%s is a list: expected an index 0..%d, got %q", pathOrTop(path), len(node.Content), seg)}
	}
	if n > len(node.Content) {
		return false, &Error{File: SetFile, Path: sub, Msg: fmt.Sprintf("index %d out of range: %s has %d entries (index %d appends one)", n, pathOrTop(path), len(node.Content), len(node.Content))}
	}
	var ed reflect.Value
	if n < c.def.Len() {
		ed = c.def.Index(n)
	} else {
		ed = elemDefault(t.Elem(), n)
	}
	if last {
		if n == len(node.Content) {
			node.Content = append(node.Content, val)
		} else {
			node.Content[n] = val
		}
		return true, nil
	}
	var child *yaml.Node
	if n == len(node.Content) {
		child = d.container(t.Elem(), ed)
		node.Content = append(node.Content, child)
	} else {
		child = d.editable(node, n)
	}
	c.node, c.t, c.def = child, t.Elem(), ed
	return false, nil
}

func pathOrTop(p string) string {
	if p == "" {
		return "the scenario"
	}
	return p
}

func derefKind(t reflect.Type) reflect.Kind {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind()
}

func toMapping(n *yaml.Node) {
	n.Kind, n.Tag, n.Value, n.Content, n.Style = yaml.MappingNode, "!!map", "", nil, 0
}

func findKey(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return i
		}
	}
	return -1
}

// editable replaces parent.Content[i] by a shallow copy (resolving aliases)
// so that an override never changes an anchored node used elsewhere.
func (d *decoder) editable(parent *yaml.Node, i int) *yaml.Node {
	src := resolveAlias(parent.Content[i])
	cp := *src
	cp.Anchor = ""
	cp.Content = append([]*yaml.Node(nil), src.Content...)
	if d.fromSet[src] {
		d.fromSet[&cp] = true
	}
	parent.Content[i] = &cp
	return &cp
}

func (d *decoder) newKey(name string) *yaml.Node {
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}
	d.fromSet[k] = true
	return k
}

// container creates the node for a missing key the path goes through:
// a mapping for structs and maps, the encoded default for lists (so that
// an override of one entry keeps the others).
func (d *decoder) container(t reflect.Type, def reflect.Value) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if t.Kind() == reflect.Slice {
		n = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if def.IsValid() && def.Len() > 0 {
			var enc yaml.Node
			if err := enc.Encode(def.Interface()); err == nil && enc.Kind == yaml.SequenceNode {
				n = &enc
			}
		}
	}
	d.mark(n)
	return n
}

// mark records a node tree as coming from --set.
func (d *decoder) mark(n *yaml.Node) {
	if n == nil || d.fromSet[n] {
		return
	}
	d.fromSet[n] = true
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		d.mark(c)
	}
}

// parseSetValue reads an override value as a YAML scalar or flow collection.
func parseSetValue(s string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return nil, fmt.Errorf("invalid value %q: %s", s, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		n := doc.Content[0]
		if n.Kind == yaml.AliasNode {
			return nil, fmt.Errorf("invalid value %q: aliases are not allowed", s)
		}
		if hasAlias(n, 0) {
			return nil, fmt.Errorf("invalid value %q: aliases are not allowed", s)
		}
		return n, nil
	}
	// Empty (or comment-only) value: the empty string.
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ""}, nil
}

func hasAlias(n *yaml.Node, depth int) bool {
	if n.Kind == yaml.AliasNode || depth > 100 {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c, depth+1) {
			return true
		}
	}
	return false
}
