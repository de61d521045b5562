package hss

import (
	"crypto/aes"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/security"
)

// Defaults of optional subscriber keys.
const (
	DefaultAMF = "8000"         // separation bit set (TS 33.401 §6.1.1)
	DefaultSQN = "000000000020" // SEQ 1, IND 0: fresh for a new USIM
)

var (
	entryKeys = []string{"imsi", "imsi_range", "k", "k_rule", "op", "opc", "amf", "sqn", "pdn_types", "psm", "edrx"}
	rangeKeys = []string{"from", "count"}
	psmKeys   = []string{"policy", "t3324_min", "t3324_max", "t3412_min", "t3412_max", "t3412_default"}
	edrxKeys  = []string{"policy", "min", "max"}
)

// nodeBudget bounds the YAML nodes one parse visits to a multiple of the
// document size, so that aliases cannot make a small document expand
// enormously.
func nodeBudget(size int) int { return 16*size + 1024 }

type parser struct {
	file   string
	errs   Errors
	budget int
}

func (p *parser) add(line int, key, msg, allowed string) {
	if len(p.errs) >= maxErrors {
		return
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Path: key, Msg: msg, Allowed: allowed})
}

// resolve follows aliases and charges the node budget.
func (p *parser) resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	p.budget--
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		return "a value"
	}
	return "an alias"
}

// mapping iterates over a mapping's entries, reporting keys that are not
// in allowed and keys given twice. It returns false if n is no mapping.
func (p *parser) mapping(n *yaml.Node, key string, allowed []string, f func(k string, kn, v *yaml.Node)) bool {
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, key, "expected a mapping of keys (key: value), got "+kindName(n), "")
		return false
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := p.resolve(n.Content[i]), p.resolve(n.Content[i+1])
		if kn == nil || v == nil || p.budget < 0 {
			return false
		}
		k := kn.Value
		path := join(key, k)
		if kn.Kind != yaml.ScalarNode {
			p.add(kn.Line, key, "keys must be plain words", strings.Join(allowed, ", "))
			continue
		}
		if !contains(allowed, k) {
			p.add(kn.Line, path, "unknown key", strings.Join(allowed, ", "))
			continue
		}
		if l, dup := seen[k]; dup {
			p.add(kn.Line, path, fmt.Sprintf("given twice (first on line %d)", l), "")
			continue
		}
		seen[k] = kn.Line
		f(k, kn, v)
	}
	return true
}

func join(key, k string) string {
	if key == "" {
		return k
	}
	return key + "." + k
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scalar returns the text of a scalar exactly as written (so that IMSI
// 001010000000001 keeps its leading zeros even unquoted).
func (p *parser) scalar(n *yaml.Node, key, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.add(n.Line, key, "expected "+what+", got "+kindName(n), "")
		return "", false
	}
	return n.Value, true
}

func (p *parser) hexValue(n *yaml.Node, key string, digits int) ([]byte, bool) {
	s, ok := p.scalar(n, key, fmt.Sprintf("%d hex digits", digits))
	if !ok {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(s) != digits {
		p.add(n.Line, key, fmt.Sprintf("%q is not %d hex digits", s, digits), "")
		return nil, false
	}
	return b, true
}

func (p *parser) imsi(n *yaml.Node, key string) (uint64, bool) {
	s, ok := p.scalar(n, key, "an IMSI of 15 digits")
	if !ok {
		return 0, false
	}
	v, ok := imsiNumber(s)
	if !ok {
		p.add(n.Line, key, fmt.Sprintf("%q is not an IMSI of 15 digits", s), "")
	}
	return v, ok
}

// parseDuration reads a Go duration (90s, 1h30m) or days (7d).
func parseDuration(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		f, err := strconv.ParseFloat(d, 64)
		if err != nil || f < 0 || f > 1e5 || math.IsNaN(f) {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return time.Duration(f * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid duration %q (use a Go duration such as 10s or 310h, or days such as 7d)", s)
	}
	return d, nil
}

func (p *parser) duration(n *yaml.Node, key string) time.Duration {
	s, ok := p.scalar(n, key, "a duration")
	if !ok {
		return 0
	}
	d, err := parseDuration(s)
	if err != nil {
		p.add(n.Line, key, err.Error(), "")
	}
	return d
}

func (p *parser) policy(n *yaml.Node, key string) (epc.Policy, bool) {
	s, ok := p.scalar(n, key, "a policy")
	if !ok {
		return 0, false
	}
	pol, err := epc.ParsePolicy(s)
	if err != nil {
		p.add(n.Line, key, fmt.Sprintf("unknown policy %q", s), "grant, clamp, refuse")
		return 0, false
	}
	return pol, true
}

func (p *parser) bounds(line int, key, lo, hi string, a, b time.Duration) {
	if a > 0 && b > 0 && a > b {
		p.add(line, key, fmt.Sprintf("%s %v is above %s %v", lo, a, hi, b), "")
	}
}

func (p *parser) psm(n *yaml.Node, key string) *epc.PSMPolicy {
	var pol epc.PSMPolicy
	hasPolicy := false
	if !p.mapping(n, key, psmKeys, func(k string, kn, v *yaml.Node) {
		path := join(key, k)
		switch k {
		case "policy":
			pol.Policy, _ = p.policy(v, path)
			hasPolicy = true
		case "t3324_min":
			pol.T3324Min = p.duration(v, path)
		case "t3324_max":
			pol.T3324Max = p.duration(v, path)
		case "t3412_min":
			pol.T3412Min = p.duration(v, path)
		case "t3412_max":
			pol.T3412Max = p.duration(v, path)
		case "t3412_default":
			pol.DefaultT3412 = p.duration(v, path)
		}
	}) {
		return nil
	}
	if !hasPolicy {
		p.add(n.Line, join(key, "policy"), "missing", "grant, clamp, refuse")
	}
	p.bounds(n.Line, key, "t3324_min", "t3324_max", pol.T3324Min, pol.T3324Max)
	p.bounds(n.Line, key, "t3412_min", "t3412_max", pol.T3412Min, pol.T3412Max)
	return &pol
}

func (p *parser) edrx(n *yaml.Node, key string) *epc.EDRXPolicy {
	var pol epc.EDRXPolicy
	hasPolicy := false
	if !p.mapping(n, key, edrxKeys, func(k string, kn, v *yaml.Node) {
		path := join(key, k)
		switch k {
		case "policy":
			pol.Policy, _ = p.policy(v, path)
			hasPolicy = true
		case "min":
			pol.Min = p.duration(v, path)
		case "max":
			pol.Max = p.duration(v, path)
		}
	}) {
		return nil
	}
	if !hasPolicy {
		p.add(n.Line, join(key, "policy"), "missing", "grant, clamp, refuse")
	}
	p.bounds(n.Line, key, "min", "max", pol.Min, pol.Max)
	return &pol
}

func (p *parser) pdnTypes(n *yaml.Node, key string) []PDNType {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, key, "expected a list such as [ipv4, non-ip], got "+kindName(n), pdnAllowed)
		return nil
	}
	var out []PDNType
	for i, c := range n.Content {
		c = p.resolve(c)
		if c == nil || p.budget < 0 {
			return out
		}
		path := fmt.Sprintf("%s[%d]", key, i)
		s, ok := p.scalar(c, path, "a PDN type")
		if !ok {
			continue
		}
		t, err := ParsePDNType(s)
		if err != nil {
			p.add(c.Line, path, fmt.Sprintf("unknown PDN type %q", s), pdnAllowed)
			continue
		}
		for _, prev := range out {
			if prev == t {
				p.add(c.Line, path, fmt.Sprintf("%s listed twice", s), "")
			}
		}
		out = append(out, t)
	}
	if len(n.Content) == 0 {
		p.add(n.Line, key, "empty: a subscriber needs at least one PDN type", pdnAllowed)
	}
	return out
}

// imsiRange decodes an entry's imsi_range {from, count}; ok is false, the
// problems reported, when it is not a valid range.
func (p *parser) imsiRange(v *yaml.Node, path string) (from, count uint64, ok bool) {
	var gotFrom, gotCount bool
	if !p.mapping(v, path, rangeKeys, func(rk string, rkn, rv *yaml.Node) {
		rpath := join(path, rk)
		switch rk {
		case "from":
			from, gotFrom = p.imsi(rv, rpath)
		case "count":
			s, ok := p.scalar(rv, rpath, "a number of subscribers")
			if !ok {
				return
			}
			c, err := strconv.ParseUint(s, 10, 64)
			if err != nil || c == 0 {
				p.add(rv.Line, rpath, fmt.Sprintf("%q is not a positive whole number", s), "")
				return
			}
			count, gotCount = c, true
		}
	}) {
		return 0, 0, false
	}
	if !gotFrom || !gotCount {
		if _, ok := findKey(v, "from"); !ok {
			p.add(v.Line, join(path, "from"), "missing: the first IMSI of the range (15 digits)", "")
		}
		if _, ok := findKey(v, "count"); !ok {
			p.add(v.Line, join(path, "count"), "missing: the number of IMSIs in the range", "")
		}
		return 0, 0, false
	}
	if from+count-1 > 999999999999999 || from+count-1 < from {
		p.add(v.Line, path, fmt.Sprintf("%d IMSIs from %s run past 999999999999999", count, imsiString(from)), "")
		return 0, 0, false
	}
	return from, count, true
}

// kRule decodes an entry's k_rule; known is false (reported) for an
// unknown rule.
func (p *parser) kRule(v *yaml.Node, path string) (r KRule, known bool) {
	s, _ := p.scalar(v, path, "a K rule")
	switch s {
	case "derived":
		return KDerived, true
	case "shared":
		return KShared, true
	}
	p.add(v.Line, path, fmt.Sprintf("unknown K rule %q", s), "derived, shared")
	return 0, false
}

// entryKeys checks which keys an entry gives, by the line of each
// (lines): one of imsi and imsi_range, k_rule only with a range, k, and
// one of op and opc. It reports false when the entry cannot be used.
func (p *parser) entryKeys(n *yaml.Node, key string, lines map[string]int, kRuleSet bool) bool {
	good := true
	_, hasIMSI := lines["imsi"]
	_, hasIMSIRange := lines["imsi_range"]
	switch {
	case hasIMSI && hasIMSIRange:
		p.add(lines["imsi_range"], key, "both imsi and imsi_range: an entry is one subscriber or one range", "")
		good = false
	case !hasIMSI && !hasIMSIRange:
		p.add(n.Line, key, "missing imsi (15 digits) or imsi_range {from, count}", "")
		good = false
	}
	if kRuleSet && hasIMSI {
		p.add(lines["k_rule"], join(key, "k_rule"), "only for imsi_range entries", "")
	}
	if _, ok := lines["k"]; !ok {
		p.add(n.Line, join(key, "k"), "missing: the subscriber key, 32 hex digits", "")
		good = false
	}
	_, hasOP := lines["op"]
	_, hasOPc := lines["opc"]
	switch {
	case hasOP && hasOPc:
		p.add(lines["opc"], key, "both op and opc: give exactly one", "op, opc")
		good = false
	case !hasOP && !hasOPc:
		p.add(n.Line, key, "missing op or opc (32 hex digits): give exactly one", "op, opc")
		good = false
	}
	return good
}

// entry decodes one element of the subscribers list.
func (p *parser) entry(n *yaml.Node, key string) *entry {
	e := &entry{line: n.Line}
	e.sub.Source = fmt.Sprintf("%s:%d", p.file, n.Line)
	var (
		lines      = map[string]int{}
		k, op, opc []byte
		amf, sqn   []byte
		hasPDN     bool
		kRuleSet   bool
		bad        bool
	)
	if !p.mapping(n, key, entryKeys, func(name string, kn, v *yaml.Node) {
		lines[name] = kn.Line
		path := join(key, name)
		var ok bool
		switch name {
		case "imsi":
			var v2 uint64
			if v2, ok = p.imsi(v, path); ok {
				e.from = v2
				e.sub.IMSI = imsiString(v2)
			}
		case "imsi_range":
			ok = true // a bad range sets bad
			if from, count, good := p.imsiRange(v, path); good {
				e.from, e.count = from, count
			} else {
				bad = true
			}
		case "k":
			k, ok = p.hexValue(v, path, 32)
		case "op":
			op, ok = p.hexValue(v, path, 32)
		case "opc":
			opc, ok = p.hexValue(v, path, 32)
		case "amf":
			amf, ok = p.hexValue(v, path, 4)
		case "sqn":
			sqn, ok = p.hexValue(v, path, 12)
		case "k_rule":
			kRuleSet, ok = true, true
			if r, known := p.kRule(v, path); known {
				e.kRule = r
			}
		case "pdn_types":
			hasPDN = true
			e.sub.PDNTypes = p.pdnTypes(v, path)
			ok = true
		case "psm":
			e.sub.PSM = p.psm(v, path)
			ok = true
		case "edrx":
			e.sub.EDRX = p.edrx(v, path)
			ok = true
		}
		if !ok {
			bad = true
		}
	}) {
		return nil
	}
	if !p.entryKeys(n, key, lines, kRuleSet) {
		bad = true
	}
	if bad || k == nil || (op == nil && opc == nil) {
		return nil
	}
	e.sub.K = [16]byte(k)
	if op != nil {
		e.sub.OP, e.sub.HasOP = [16]byte(op), true
		e.sub.OPc = security.OPc(e.sub.K, e.sub.OP)
	} else {
		e.sub.OPc = [16]byte(opc)
	}
	if amf == nil {
		amf, _ = hex.DecodeString(DefaultAMF)
	}
	e.sub.AMF = [2]byte(amf)
	if sqn == nil {
		sqn, _ = hex.DecodeString(DefaultSQN)
	}
	e.sub.SQN = security.SQNValue([6]byte(sqn))
	if !hasPDN {
		e.sub.PDNTypes = []PDNType{IPv4}
	}
	if e.count > 0 && e.kRule == KDerived {
		e.kBlk, _ = aes.NewCipher(k)
	}
	return e
}

// findKey returns the value of key in mapping n.
func findKey(n *yaml.Node, key string) (*yaml.Node, bool) {
	if n.Kind != yaml.MappingNode {
		return nil, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1], true
		}
	}
	return nil, false
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse reads a subscriber file. file names it in error messages. All
// problems are reported together as Errors, each with its line and key.
//
// The file is a YAML mapping with one key, subscribers, a list whose
// entries are either one subscriber or a range of IMSIs sharing one
// configuration:
//
//	subscribers:
//	  - imsi: "001010123456789"        # 15 digits
//	    k: 465b5ce8b199b49faa5f0a2ee238a6bc   # 32 hex digits
//	    opc: cd63cb71954a9f4e48a5994e37a02baf # or op: (exactly one of them)
//	    amf: "8000"                     # 4 hex digits (default 8000)
//	    sqn: "000000000020"             # 12 hex digits: the next SQN used (default 000000000020)
//	    pdn_types: [ipv4, non-ip]       # ipv4, ipv6, ipv4v6, non-ip (default [ipv4])
//	    psm: {policy: clamp, t3324_min: 2s, t3324_max: 1m, t3412_min: 1h, t3412_max: 310h, t3412_default: 54m}
//	    edrx: {policy: grant, min: 20.48s, max: 2621.44s}
//	  - imsi_range: {from: "001010000000001", count: 1000000}
//	    k: 000102030405060708090a0b0c0d0e0f
//	    k_rule: derived                 # derived (default) or shared
//	    op: 63bfa50ee6523365ff14c1f45f88737d
//
// psm and edrx are optional (the MME's policy applies without them); their
// policy is grant, clamp or refuse and the bounds are durations (Go syntax,
// or days as 7d). In a range with k_rule derived each IMSI has K =
// AES-128_k("0" ‖ IMSI) (see DeriveK), and with op its own OPc. A single
// subscriber may also fall inside a range: it then overrides the range for
// that IMSI. Two single entries with one IMSI, or overlapping ranges, are
// errors.
func Parse(data []byte, file string) (*Store, error) {
	p := &parser{file: file, budget: nodeBudget(len(data))}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, Errors{{File: file, Line: line, Msg: "invalid YAML: " + m[2]}}
		}
		return nil, Errors{{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	root = p.resolve(root)
	if root == nil || root.Kind == 0 {
		return nil, Errors{{File: file, Msg: "empty file: expected a mapping with a subscribers list"}}
	}
	var list *yaml.Node
	p.mapping(root, "", []string{"subscribers"}, func(_ string, _, v *yaml.Node) { list = v })
	if list == nil && len(p.errs) == 0 {
		p.add(root.Line, "subscribers", "missing: the list of subscribers", "")
	}
	s := &Store{single: map[uint64]*entry{}, sqn: map[uint64]uint64{}}
	if list != nil && list.Kind != yaml.SequenceNode && !(list.Kind == yaml.ScalarNode && list.ShortTag() == "!!null") {
		p.add(list.Line, "subscribers", "expected a list of subscribers, got "+kindName(list), "")
		list = nil
	}
	if list != nil {
		for i, c := range list.Content {
			c = p.resolve(c)
			if c == nil || p.budget < 0 {
				break
			}
			key := fmt.Sprintf("subscribers[%d]", i)
			e := p.entry(c, key)
			if e == nil {
				continue
			}
			if e.count == 0 {
				if prev, dup := s.single[e.from]; dup {
					p.add(e.line, join(key, "imsi"), fmt.Sprintf("duplicate IMSI %s (also on line %d)", e.sub.IMSI, prev.line), "")
					continue
				}
				s.single[e.from] = e
			} else {
				s.ranges = append(s.ranges, e)
			}
		}
	}
	if p.budget < 0 {
		p.add(0, "", fmt.Sprintf("too many aliased YAML nodes for a %d-octet document", len(data)), "")
	}
	sort.SliceStable(s.ranges, func(i, j int) bool { return s.ranges[i].from < s.ranges[j].from })
	for i := 1; i < len(s.ranges); i++ {
		// widest is the earlier range reaching furthest.
		widest := s.ranges[0]
		for _, r := range s.ranges[1:i] {
			if r.from+r.count > widest.from+widest.count {
				widest = r
			}
		}
		b := s.ranges[i]
		if end := widest.from + widest.count; b.from < end {
			line := max(widest.line, b.line)
			other := min(widest.line, b.line)
			p.add(line, "imsi_range", fmt.Sprintf("IMSIs %s–%s overlap the range on line %d",
				imsiString(b.from), imsiString(min(end, b.from+b.count)-1), other), "")
		}
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		return nil, p.errs
	}
	for _, r := range s.ranges {
		s.total += r.count
	}
	for n := range s.single {
		if s.inRange(n) == nil {
			s.total++
		}
	}
	return s, nil
}
