package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sweep"
)

func TestSchemaPrintsScenarioSchema(t *testing.T) {
	code, out, errOut := run(t, "schema", "scenario")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !bytes.Equal([]byte(out), scenarios.SchemaJSON) {
		t.Fatal("nbsim schema scenario does not print scenarios.SchemaJSON")
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", s["$schema"])
	}
}

func TestSchemaPrintsCampaignSchema(t *testing.T) {
	code, out, errOut := run(t, "schema", "campaign")
	if code != 0 || out != string(sweep.SchemaJSON) {
		t.Fatalf("exit %d (%s): nbsim schema campaign does not print sweep.SchemaJSON", code, errOut)
	}
}

func TestSchemaBadKind(t *testing.T) {
	for _, args := range [][]string{{"schema"}, {"schema", "scenarioz"}, {"schema", "scenario", "x"}} {
		code, out, errOut := run(t, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "scenario") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, nothing, the allowed kinds", args, code, out, errOut)
		}
	}
}
