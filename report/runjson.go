package report

import (
	"encoding/json"
	"io"
)

// RunSummarySchema names the form of RunSummary; it changes when a field
// changes meaning or goes away (new fields may appear without a change).
const RunSummarySchema = "nbsim-run/1"

// RunSummary is what `nbsim run --json` prints on stdout: the outcome and
// the figures CI wants from one run, without the per-cell detail of
// results.json (docs/results.md, "Machine-readable summary").
type RunSummary struct {
	Schema   string `json:"schema"`   // RunSummarySchema
	Version  string `json:"version"`  // nbsim --version's line
	Scenario string `json:"scenario"` // the scenario's name
	Seed     uint64 `json:"seed"`
	// DurationS is the simulated time (s).
	DurationS float64 `json:"duration_s"`
	// Status is "pass" when every expectation holds (or there is none),
	// "fail" otherwise; the exit status is 0 or 1 accordingly.
	Status       string         `json:"status"`
	Failed       int            `json:"failed"` // expectations that do not hold
	Expectations []ExpectResult `json:"expectations"`
	KPI          KPI            `json:"kpi"`
	Bottleneck   Bottleneck     `json:"bottleneck"`
	// EvaluationOnly: as in results.json, absent when the scenario uses
	// no evaluation-only value.
	EvaluationOnly []string `json:"evaluation_only,omitempty"`
	// Out and JUnit are the files written (--out, --junit), absent when
	// none was asked for.
	Out   string `json:"out,omitempty"`
	JUnit string `json:"junit,omitempty"`
	// WallS is the run's wall-clock time (s), as perf.wall_s.
	WallS float64 `json:"wall_s"`
}

// NewRunSummary summarises r.
func NewRunSummary(r *Results, version string) RunSummary {
	s := RunSummary{
		Schema: RunSummarySchema, Version: version, Scenario: r.Scenario, Seed: r.Seed,
		DurationS: r.DurationS, Status: "pass", Expectations: r.Expectations,
		KPI: normalisedKPI(r.KPI), Bottleneck: normalisedBottleneck(r.Bottleneck),
		EvaluationOnly: r.EvaluationOnly, WallS: r.Perf.WallS,
	}
	if s.Expectations == nil {
		s.Expectations = []ExpectResult{}
	}
	for _, e := range r.Expectations {
		if !e.OK {
			s.Failed++
		}
	}
	if s.Failed > 0 {
		s.Status = "fail"
	}
	return s
}

// Write prints s as indented JSON and a newline.
func (s RunSummary) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "a >= 1", not "a \u003e= 1"
	return enc.Encode(s)
}
