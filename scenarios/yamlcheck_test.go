package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// issue11Doc is a 24-line scenario; the syntax cases of issue #11 break
// one line of it.
const issue11Doc = `# line 1
description: the syntax cases of issue 11
radio:
  pathloss: rural-macro
sites:
  - name: farm
random_access:
  backoff_index: 5
  ce:
    - {periodicity: 40ms}
    - {subcarrier_offset: 24}
    - {subcarrier_offset: 36}
rrc: {cdrx: {enabled: true}}
groups:
  meters:
    count: 10
    placement: {radius_m: 1500}
    antenna_gain_dbi: 0
    report:
      period: 3h
      uplink_bytes: 60
    power: {baseline_mw: 0.37}
expect:
  - access_success_probability >= 0.9
`

// breakLine replaces line n (from 1) of src.
func breakLine(t *testing.T, src string, n int, with string) string {
	t.Helper()
	lines := strings.Split(src, "\n")
	lines[n-1] = with
	return strings.Join(lines, "\n")
}

// TestYAMLSyntaxLine: the two syntax errors of issue #11, an unclosed '{'
// on line 17 (the parser says 16) and a bad indent on line 22 (the parser
// says 14, where the mapping that holds it starts), are reported at the
// line that has them.
func TestYAMLSyntaxLine(t *testing.T) {
	if _, err := Parse([]byte(issue11Doc), "ok.yaml", nil); err != nil {
		t.Fatalf("the unbroken document: %v", err)
	}
	for _, c := range []struct {
		name       string
		line       int
		with       string
		parserLine string // what go.yaml.in/yaml/v3 says
	}{
		{"unclosed brace", 17, "    placement: {radius_m: 1500", "line 16:"},
		{"bad indent", 22, "   power: {baseline_mw: 0.37}", "line 14:"},
	} {
		src := breakLine(t, issue11Doc, c.line, c.with)
		var n yaml.Node
		perr := yaml.Unmarshal([]byte(src), &n)
		if perr == nil || !strings.Contains(perr.Error(), c.parserLine) {
			t.Logf("%s: the parser now says %v (was %q): the workaround may be unneeded", c.name, perr, c.parserLine)
		}
		es := parseErrs(t, src)
		if len(es) != 1 || es[0].Line != c.line || !strings.Contains(es[0].Msg, "invalid YAML") {
			t.Errorf("%s: %v, want one invalid YAML error at line %d", c.name, es, c.line)
		}
	}
}

// TestSyntaxLineCases: syntaxLine on small documents, hand-checked.
func TestSyntaxLineCases(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		{"a: [1,\n  2]\nb: {\n", 3},         // a multi-line flow list that closes, then an unclosed one
		{"a: 1\n b: 2\n", 2},                // indent
		{"a: 'x\n", 1},                      // unclosed quote
		{"a: 1\nb: 2\nc: \"x\n\nd: 4\n", 3}, // unclosed quote runs to the end
		{"a: 1\n\tb: 2\n", 2},               // a tab in the indentation
	} {
		if got := syntaxLine([]byte(c.src)); got != c.want {
			t.Errorf("syntaxLine(%q) = %d, want %d", c.src, got, c.want)
		}
	}
}

func TestDuplicateKeys(t *testing.T) {
	for _, c := range []struct {
		name, src, path string
		line            int
	}{
		{"issue 11", "groups: {a: {count: 5}, a: {count: 6}}\n", "groups.a", 1},
		{"top level", "seed: 1\nduration: 1h\nseed: 2\n", "seed", 3},
		{"nested block", "groups:\n  g:\n    count: 5\n    report:\n      period: 1h\n    count: 6\n", "groups.g.count", 6},
		{"in a list", "sites:\n  - name: a\n    name: b\n", "sites.0.name", 3},
	} {
		es := parseErrs(t, c.src)
		if len(es) != 1 || es[0].Line != c.line || es[0].Path != c.path || !strings.Contains(es[0].Msg, "duplicate key") {
			t.Errorf("%s: %v, want a duplicate key %s at line %d", c.name, es, c.path, c.line)
		}
	}
	// The same name in two mappings is no duplicate; neither are merge keys.
	mustParse(t, "groups:\n  a: {count: 5}\n  b: {count: 5}\n")
	mustParse(t, "groups:\n  a: &b {count: 5}\n  c:\n    <<: *b\n    count: 6\n")
}

// TestLoadEmptyFile: an empty scenario file (or one of comments only) is
// bad input, where Parse("") still gives the defaults.
func TestLoadEmptyFile(t *testing.T) {
	dir := t.TempDir()
	for i, src := range []string{"", "# only a comment\n", "---\n", "~\n"} {
		p := filepath.Join(dir, "e"+string(rune('0'+i))+".yaml")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p, nil)
		var es Errors
		if !errors.As(err, &es) || len(es) != 1 || es[0].File != p || !strings.Contains(es[0].Msg, "empty scenario file") {
			t.Errorf("%q: %v, want an empty scenario file error", src, err)
		}
	}
}

func TestExpectAt(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.yaml")
	if err := os.WriteFile(p, []byte("groups:\n  g: {count: 5}\nexpect:\n  - seed > 0\n\n  - seed < 9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sets []string
		i    int
		file string
		line int
	}{
		{nil, 0, p, 4},
		{nil, 1, p, 6},
		{nil, 2, p, 3}, // out of range: the expect key
		{[]string{"seed=3"}, 1, p, 6},
		{[]string{"expect.1=seed < 8"}, 1, SetFile, 0},
		{[]string{`expect=["seed > 1"]`}, 0, SetFile, 0},
	} {
		f, l := ExpectAt(p, c.sets, c.i)
		if f != c.file || l != c.line {
			t.Errorf("ExpectAt(%v, %d) = %s:%d, want %s:%d", c.sets, c.i, f, l, c.file, c.line)
		}
	}
	if f, l := ExpectAt("cow-collars", nil, 0); f != "cow-collars.yaml" || l == 0 {
		t.Errorf("shipped: %s:%d", f, l)
	}
}
