package model

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// validationTolerance is how far a figure docs/validation.md prints may be
// from what the shipped scenario gives now: 0.5 % relative, or the last
// printed digit (0.01), whichever is larger. The runs are deterministic;
// the tolerance only lets a model change that moves a figure by less than
// its printed precision go through without touching the docs.
const validationTolerance = 0.005

// A column of a validation table: the scenario run it is read from (--set
// values) and the figure of a group's results.
type valColumn struct {
	sets []string
	get  func(k *report.KPI) float64
}

// TestValidationDocs runs tr45820-battery and tr45820-latency and checks
// every nbsim figure docs/validation.md prints for them, so the document
// cannot go stale silently.
func TestValidationDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/validation.md")
	if err != nil {
		t.Fatal(err)
	}
	years := func(k *report.KPI) float64 { return k.BatteryYears.Mean }
	nf3 := []string{"radio.enb_noise_figure_db=3"}
	scs15 := []string{"radio.ul_subcarrier_spacing=15khz"}
	checkValidationTable(t, string(doc), "tr45820-battery", map[string]valColumn{
		"nbsim years":  {nil, years},
		"with NF 3 dB": {nf3, years},
		"15 kHz only":  {scs15, years},
	})
	sec := func(f func(d report.Dist) float64) func(k *report.KPI) float64 {
		return func(k *report.KPI) float64 { return f(k.LatencyMs) / 1000 }
	}
	p50 := sec(func(d report.Dist) float64 { return d.P50 })
	checkValidationTable(t, string(doc), "tr45820-latency", map[string]valColumn{
		"p50 s":              {nil, p50},
		"mean s":             {nil, sec(func(d report.Dist) float64 { return d.Mean })},
		"p95 s":              {nil, sec(func(d report.Dist) float64 { return d.P95 })},
		"p50 with NF 3 dB":   {nf3, p50},
		"p50 15 kHz only":    {scs15, p50},
		"p50 CE2 sync 1.2 s": {[]string{"radio.sync_time.2=1.2s"}, p50},
	})
}

// checkValidationTable finds the table after the comment naming scenario,
// runs the scenario once per distinct column set-up, and compares every
// cell of the given columns with the group of its row (the first cell, in
// backquotes).
func checkValidationTable(t *testing.T, doc, scenario string, cols map[string]valColumn) {
	t.Helper()
	header, rows := validationTable(t, doc, scenario)
	runs := map[string]*report.Results{}
	checked := 0
	for ci, h := range header {
		c, ok := cols[h]
		if !ok {
			continue
		}
		key := strings.Join(c.sets, ",")
		if runs[key] == nil {
			runs[key] = runValidation(t, scenario, c.sets)
		}
		for _, row := range rows {
			group := strings.Trim(row[0], "`")
			g, ok := runs[key].Groups[group]
			if !ok {
				t.Errorf("%s: no group %q", scenario, group)
				continue
			}
			want, err := strconv.ParseFloat(row[ci], 64)
			if err != nil {
				t.Errorf("%s %s %q: %v", scenario, group, h, err)
				continue
			}
			got := c.get(&g.KPI)
			if math.Abs(got-want) > max(0.01, validationTolerance*math.Abs(want)) {
				t.Errorf("%s, %s, %q: docs/validation.md prints %v, the scenario gives %.4g (re-run the command of the section and update the table)", scenario, group, h, want, got)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Errorf("%s: no figure checked", scenario)
	}
}

// validationTable returns the header and the body rows (cells trimmed) of
// the first Markdown table after the comment "<!-- scenario:".
func validationTable(t *testing.T, doc, scenario string) ([]string, [][]string) {
	t.Helper()
	i := strings.Index(doc, "<!-- "+scenario+":")
	if i < 0 {
		t.Fatalf("docs/validation.md has no table marked %q", scenario)
	}
	var lines []string
	for _, l := range strings.Split(doc[i:], "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "|") {
			lines = append(lines, l)
		} else if len(lines) > 0 {
			break
		}
	}
	if len(lines) < 3 {
		t.Fatalf("%s: no table after its comment", scenario)
	}
	cells := func(l string) []string {
		p := strings.Split(strings.Trim(l, "|"), "|")
		for k := range p {
			p[k] = strings.TrimSpace(p[k])
		}
		return p
	}
	var rows [][]string
	for _, l := range lines[2:] {
		rows = append(rows, cells(l))
	}
	return cells(lines[0]), rows
}

func runValidation(t *testing.T, name string, sets []string) *report.Results {
	t.Helper()
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(sc, sc.Seed)
	if err != nil {
		t.Fatal(err)
	}
	out, err := n.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out.Results
}
