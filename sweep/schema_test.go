package sweep

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nbsim/nbsim/internal/testutil"
)

func campaignSchema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(SchemaJSON, &doc); err != nil {
		t.Fatal(err)
	}
	return testutil.JSONSchema(t, SchemaJSON), doc
}

func yamlJSON(t *testing.T, data []byte) any { return testutil.YAMLValue(t, data) }

func keysOf(m any) []string {
	var out []string
	for k := range m.(map[string]any) {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// The hand-written campaign schema has the parser's keys, accepts every
// shipped campaign and refuses what Parse refuses for reasons it can state.
func TestCampaignSchema(t *testing.T) {
	sch, doc := campaignSchema(t)
	props := doc["properties"].(map[string]any)
	if got, want := keysOf(props), slices.Sorted(slices.Values(campaignKeys)); !slices.Equal(got, want) {
		t.Errorf("schema keys %v, parser's %v", got, want)
	}
	axis := props["axes"].(map[string]any)["items"].(map[string]any)["properties"]
	if got, want := keysOf(axis), slices.Sorted(slices.Values(axisKeys)); !slices.Equal(got, want) {
		t.Errorf("schema axis keys %v, parser's %v", got, want)
	}
	files, _ := filepath.Glob("../campaigns/*.yaml")
	if len(files) == 0 {
		t.Fatal("no campaign in campaigns/")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(yamlJSON(t, b)); err != nil {
			t.Errorf("%s fails the schema: %v", f, err)
		}
	}
	base := "scenario: cow-collars\nkpis: [access_success_probability]\n"
	good := base + "axes: [{key: groups.collars.count, values: [100, 200]}]\n"
	if err := sch.Validate(yamlJSON(t, []byte(good))); err != nil {
		t.Errorf("a good campaign fails: %v", err)
	}
	if _, err := Parse([]byte(good), "good.yaml"); err != nil {
		t.Fatalf("a good campaign fails Parse: %v", err)
	}
	for _, c := range []struct{ name, yaml, want string }{
		{"unknown key", good + "sedes: 3\n", "sedes"},
		{"no axes", base, "axes"},
		{"empty axes", base + "axes: []\n", "axes"},
		{"axis without values", base + "axes: [{key: groups.collars.count}]\n", "axes"},
		{"two generators", base + "axes: [{key: a, values: [1], range: {from: 1, to: 2, step: 1}}]\n", "axes"},
		{"range not numeric", base + "axes: [{key: groups.collars.count, range: {from: a, to: 2, step: 1}}]\n", "from"},
		{"log key", base + "axes: [{key: groups.collars.count, log: {from: 1, to: 2, pionts: 3}}]\n", "pionts"},
		{"mode", good + "mode: cross\n", "mode"},
		{"seeds", good + "seeds: [1, 1]\n", "seeds"},
	} {
		err := sch.Validate(yamlJSON(t, []byte(c.yaml)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: schema error %v, want one naming %q", c.name, err, c.want)
		}
		if _, perr := Parse([]byte(c.yaml), "bad.yaml"); perr == nil {
			t.Errorf("%s: Parse accepts what the schema refuses", c.name)
		}
	}
}
