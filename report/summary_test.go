package report

import (
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	r := sample()
	var err error
	r.Expectations, err = Evaluate(r, []string{"access_success_probability >= 0.99", "battery_years.p5 >= 8"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		r.Cells = append(r.Cells, CellKPI{Name: "extra" + string(rune('a'+i))})
	}
	var b strings.Builder
	Summary(&b, r)
	out := b.String()
	t.Log("\n" + out)
	for _, w := range []string{
		"scenario", "test", "seed 42", "1d12h (129600 s)",
		"devices", "100 (out of coverage 2)", "CE0 94",
		"generated 1000", "delivered 985 (98.5%)", "dropped 12", "in flight 3",
		"attempts 1004", "success probability 0.9980", "collision probability 0.0125", "preamble tx mean 1.250",
		"access delay (ms)", "p95 400", "uplink latency (ms)",
		"85.5 mJ per delivered report", "battery (years)", "p5 7.6",
		"buffer_overflow 2, ra_failure 10",
		"collars", "meters",
		"cells: 10, the 5 most loaded",
		"PASS  access_success_probability >= 0.99", "FAIL  battery_years.p5 >= 8", "(value 7.6)",
		"expectations: 1/2 passed", "perf: 123456 events",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("summary lacks %q", w)
		}
	}
	// The most loaded cell comes first.
	if strings.Index(out, "site1/2") > strings.Index(out, "site1/1") {
		t.Error("cells not sorted by UL utilisation")
	}
	if strings.Contains(out, "extrah") {
		t.Error("more than 5 cells listed")
	}
	if n := strings.Count(out, "\n"); n > 40 {
		t.Errorf("summary has %d lines", n)
	}
	b.Reset()
	Summary(&b, &Results{})
	if !strings.Contains(b.String(), "drops by cause") {
		t.Errorf("empty summary:\n%s", b.String())
	}
}

func TestSummaryPart(t *testing.T) {
	for _, tc := range []struct {
		r    Results
		want string
	}{
		{Results{Shard: &Shard{Index: 1, Count: 4}}, "shard 1 of 4 (its own cells only; nbsim merge joins the 4)"},
		{Results{Merged: &Merged{Shards: 4}}, "merged from 4 shards"},
		{Results{Merged: &Merged{Seeds: []uint64{1, 2, 3}}}, "merged from 3 runs, seeds 1, 2, 3 (pooled: counts are their sum)"},
	} {
		var b strings.Builder
		Summary(&b, &tc.r)
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("summary lacks %q:\n%s", tc.want, b.String())
		}
	}
	var b strings.Builder
	Summary(&b, &Results{})
	if strings.Contains(b.String(), "\npart ") {
		t.Errorf("a plain run's summary has a part line:\n%s", b.String())
	}
}
