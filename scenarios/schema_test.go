package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nbsim/nbsim/internal/testutil"
)

// The JSON Schema of a scenario (schema/scenario.schema.json, printed by
// `nbsim schema scenario`) is generated here from the same walk of the
// Scenario struct and the same keyDocs as docs/scenarios.md: TestDocs
// rewrites it with -update and fails when it is stale.

const schemaPath = "schema/scenario.schema.json"

// schemaDuration is what Duration's UnmarshalYAML accepts: a bare number of
// seconds, a Go duration, or days with a d suffix (ParseDuration).
var schemaDuration = map[string]any{
	"anyOf": []any{
		map[string]any{"type": "number"},
		map[string]any{"type": "string", "pattern": `^\s*[-+]?((([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?d?)\s*$`},
	},
}

// schemaEnums maps the allowed text of a string key (as keyDocs writes it,
// strings.Join(list, ", ")) to the list itself: a key whose allowed text is
// one of these gets an enum.
func schemaEnums() map[string][]string {
	out := map[string][]string{}
	for _, l := range [][]string{Bands, Deployments, PathLossModels, SignallingModes, AccessModes,
		CollisionHandlings, PlacementShapes, SizeModels, ArrivalModels, BurstModels, ReportPhases,
		DataPaths, TimerPolicies, ULSubcarrierSpacings, ULToneModes, TxModels, AnchorProbabilityValues} {
		out[strings.Join(l, ", ")] = l
	}
	return out
}

var (
	reMin   = regexp.MustCompile(`^(>=?) ?(-?[0-9.]+)$`)
	reRange = regexp.MustCompile(`^(-?[0-9.]+) ?\.\. ?(-?[0-9.]+)$`)
)

// numericConstraints reads the simple forms of an allowed text: a list of
// numbers (an enum), "> x", ">= x", "a..b", "greater than 0, at most 1".
func numericConstraints(allowed string, s map[string]any) {
	if allowed == "greater than 0, at most 1" {
		s["exclusiveMinimum"], s["maximum"] = 0.0, 1.0
		return
	}
	if m := reMin.FindStringSubmatch(allowed); m != nil {
		if x, err := strconv.ParseFloat(m[2], 64); err == nil {
			if m[1] == ">" {
				s["exclusiveMinimum"] = x
			} else {
				s["minimum"] = x
			}
		}
		return
	}
	if m := reRange.FindStringSubmatch(allowed); m != nil {
		a, err1 := strconv.ParseFloat(m[1], 64)
		b, err2 := strconv.ParseFloat(m[2], 64)
		if err1 == nil && err2 == nil {
			s["minimum"], s["maximum"] = a, b
		}
		return
	}
	var enum []any
	for _, tok := range strings.Split(allowed, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(tok), 64)
		if err != nil {
			return
		}
		enum = append(enum, x)
	}
	if len(enum) > 1 {
		s["enum"] = enum
	}
}

// describeKey is a key's description: its meaning and, where the schema
// cannot say it, the allowed values in words.
func describeKey(key string) string {
	d := keyDocs[key]
	if d.allowed == "" {
		return d.meaning
	}
	return d.meaning + " Allowed: " + d.allowed + "."
}

// schemaOf builds the schema of type t at the key path.
func schemaOf(t reflect.Type, path string) map[string]any {
	var s map[string]any
	switch {
	case t == durationType:
		s = map[string]any{}
		for k, v := range schemaDuration {
			s[k] = v
		}
	case t.Kind() == reflect.Pointer:
		s = schemaOf(t.Elem(), path) // every struct schema allows null
	case t.Kind() == reflect.Struct:
		props := map[string]any{}
		for _, f := range fieldsOf(t) {
			props[f.name] = schemaOf(f.typ, joinPath(path, f.name))
		}
		// null keeps the defaults (decoder.structure).
		s = map[string]any{"type": []string{"object", "null"}, "properties": props, "additionalProperties": false}
	case t.Kind() == reflect.Map:
		s = map[string]any{"type": []string{"object", "null"}, "additionalProperties": schemaOf(t.Elem(), path+".NAME")}
	case t.Kind() == reflect.Slice:
		ep := path
		if t.Elem().Kind() == reflect.Struct {
			ep = path + ".N"
		}
		item := schemaOf(t.Elem(), ep)
		if ep == path { // a list of scalars: its key's description is on the list
			delete(item, "description")
		}
		s = map[string]any{"type": []string{"array", "null"}, "items": item} // null: empty
	case t.Kind() == reflect.String:
		s = map[string]any{"type": "string"}
		if l, ok := schemaEnums()[keyDocs[path].allowed]; ok {
			s["enum"] = l
		}
	case t.Kind() == reflect.Bool:
		s = map[string]any{"type": "boolean"}
	case t.Kind() == reflect.Int, t.Kind() == reflect.Int64:
		s = map[string]any{"type": "integer"}
		numericConstraints(keyDocs[path].allowed, s)
	case t.Kind() == reflect.Uint64:
		s = map[string]any{"type": "integer", "minimum": 0}
	case t.Kind() == reflect.Float64:
		s = map[string]any{"type": "number"}
		numericConstraints(keyDocs[path].allowed, s)
	default:
		panic("schemaOf: unsupported type " + t.String())
	}
	if _, ok := keyDocs[path]; ok && path != "" {
		s["description"] = describeKey(path)
	}
	return s
}

// genSchema is the scenario schema's file content.
func genSchema() []byte {
	s := schemaOf(reflect.TypeOf(Scenario{}), "")
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = "https://github.com/nbsim/nbsim/scenarios/schema/scenario.schema.json"
	s["title"] = "nbsim scenario"
	s["description"] = "An nbsim scenario file (docs/scenarios.md). Generated from the scenario struct by `go test ./scenarios -run TestDocs -update`; nbsim's own checks (nbsim check) are stricter: cross-field rules and 3GPP value sets the schema cannot express."
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// checkSchema compares (or with -update rewrites) the checked-in schema.
func checkSchema(t *testing.T) {
	t.Helper()
	want := genSchema()
	if *update {
		if err := os.WriteFile(schemaPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(want, SchemaJSON) {
		t.Errorf("%s is stale: go test ./scenarios -run TestDocs -update", schemaPath)
	}
}

func yamlToJSON(t *testing.T, data []byte) any { return testutil.YAMLValue(t, data) }

func compiledSchema(t *testing.T) *jsonschema.Schema { return testutil.JSONSchema(t, SchemaJSON) }

// Every shipped scenario is valid against the schema, and the schema
// refuses what Load refuses for the reasons it can express.
func TestSchemaValidates(t *testing.T) {
	sch := compiledSchema(t)
	for _, in := range Shipped() {
		data, err := shippedFS.ReadFile(in.Name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(yamlToJSON(t, data)); err != nil {
			t.Errorf("%s: shipped scenario fails the schema: %v", in.Name, err)
		}
	}
	// The defaults themselves, as JSON.
	b, err := json.Marshal(Default())
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(yamlToJSON(t, b)); err != nil {
		t.Errorf("Default() fails the schema: %v", err)
	}
	bad := []struct{ name, yaml, want string }{
		{"unknown key", "radio: {bnad: B20}", "bnad"},
		{"enum", "radio: {band: B99}", "band"},
		{"type", "groups: {a: {count: many}}", "count"},
		{"minimum", "radio: {enb_height_m: 0}", "enb_height_m"},
		{"duration", "duration: 3 weeks", "duration"},
		{"numeric enum", "radio: {npusch_alpha: 0.45}", "npusch_alpha"},
		{"list item", "sites: [{name: a, sectorz: 3}]", "sectorz"},
	}
	for _, c := range bad {
		err := sch.Validate(yamlToJSON(t, []byte(c.yaml)))
		if err == nil {
			t.Errorf("%s: %q passes the schema", c.name, c.yaml)
			continue
		}
		if !strings.Contains(fmt.Sprint(err), c.want) {
			t.Errorf("%s: the error does not name %q: %v", c.name, c.want, err)
		}
		// Load refuses it too: the schema never refuses what nbsim accepts
		// for these cases.
		if _, lerr := Parse([]byte(c.yaml), "bad.yaml", nil); lerr == nil {
			t.Errorf("%s: %q passes Load but not the schema", c.name, c.yaml)
		}
	}
}

// Scenario.YAML (the scenario as run, shown in report.html) reads back to
// the same scenario, and the schema accepts it.
func TestYAMLRoundTrip(t *testing.T) {
	sch := compiledSchema(t)
	for _, in := range Shipped() {
		sc, err := Load(in.Name, []string{"seed=7", "groups." + firstGroup(t, in.Name) + ".count=3"})
		if err != nil {
			t.Fatal(err)
		}
		y, err := sc.YAML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(y, in.Name+"-as-run.yaml", nil)
		if err != nil {
			t.Fatalf("%s: the scenario as run does not parse: %v\n%s", in.Name, err, y)
		}
		nilEmpty(reflect.ValueOf(sc))
		nilEmpty(reflect.ValueOf(back))
		if !reflect.DeepEqual(sc, back) {
			a, _ := json.MarshalIndent(sc, "", " ")
			b, _ := json.MarshalIndent(back, "", " ")
			t.Errorf("%s: the scenario as run reads back different:\n%s", in.Name, firstDiff(string(a), string(b)))
		}
		if err := sch.Validate(yamlToJSON(t, y)); err != nil {
			t.Errorf("%s: the scenario as run fails the schema: %v", in.Name, err)
		}
	}
}

func firstGroup(t *testing.T, name string) string {
	t.Helper()
	sc, err := Load(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sc.GroupNames()[0]
}

// firstDiff shows the first differing line of two texts.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d: %q vs %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d vs %d lines (same JSON: a field json omits differs)", len(al), len(bl))
}

// nilEmpty sets every empty slice reachable from v to nil: the YAML of a
// nil list and of an empty one are the same, [].
func nilEmpty(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			nilEmpty(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				nilEmpty(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
		}
		for i := range v.Len() {
			nilEmpty(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			nilEmpty(v.MapIndex(k)) // values are pointers (groups)
		}
	}
}
