package report

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
)

// HTMLPlot is one plot of report.html: its file name and PNG bytes.
type HTMLPlot struct {
	Name string
	PNG  []byte
}

// HTMLInput is what report.html shows.
type HTMLInput struct {
	Results  *Results
	Scenario []byte // the scenario as run, YAML; nil: not shown
	Plots    []HTMLPlot
}

// htmlCells is the most cells report.html lists (the most loaded ones):
// a country-size run has thousands.
const htmlCells = 200

// HTML renders report.html: one self-contained page (inline CSS, the plots
// as data: URIs, no script, nothing fetched) with the summary, the
// bottleneck and its rule, the expectations, the per-group and per-cell
// tables, every plot and the scenario as run. Numbers are those of
// results.json, rounded for reading as the terminal summary rounds them.
func HTML(in HTMLInput) ([]byte, error) {
	r := in.Results
	if r == nil {
		return nil, fmt.Errorf("no results")
	}
	v := htmlView{R: r, Scenario: string(in.Scenario), Bottleneck: fmtBottleneck(r.Bottleneck),
		Rule: bottleneckRule, EvaluationOnly: r.EvaluationOnly}
	v.Title = fmt.Sprintf("nbsim: %s, seed %d, %s", r.Scenario, r.Seed, fmtDuration(r.DurationS))
	if part := partLine(r); part != "" {
		v.Title += ", " + part
	}
	v.Head = PageHead(v.Title)
	v.Summary = summaryRows(r)
	for _, e := range r.Expectations {
		if e.OK {
			v.Passed++
		}
		v.Expect = append(v.Expect, htmlExpect{Expr: e.Expr, Value: strconv.FormatFloat(e.Value, 'g', 6, 64), OK: e.OK})
	}
	v.Failed = len(r.Expectations) - v.Passed
	for _, name := range sortedKeys(r.Groups) {
		g := r.Groups[name].KPI
		v.Groups = append(v.Groups, []string{name, strconv.FormatInt(g.Devices, 10),
			strconv.FormatInt(g.ReportsGenerated, 10), strconv.FormatInt(g.ReportsDelivered, 10),
			strconv.FormatInt(g.ReportsDropped, 10), fmt.Sprintf("%.4f", g.AccessSuccessProbability),
			fmtG(g.AccessDelayMs.P95), fmtG(g.LatencyMs.P95), fmtG(g.EnergyPerReportMJ),
			fmtG(g.BatteryYears.Mean), fmtG(g.BatteryYears.P5)})
	}
	cells := slices.Clone(r.Cells)
	slices.SortStableFunc(cells, func(a, b CellKPI) int {
		if c := cmp.Compare(b.ULUtilisation, a.ULUtilisation); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	v.CellsTotal = len(cells)
	if len(cells) > htmlCells {
		cells = cells[:htmlCells]
	}
	for _, c := range cells {
		lim := c.Bottleneck.Resource
		if lim == "" {
			lim = ResNone
		}
		v.Cells = append(v.Cells, []string{c.Name, strconv.FormatInt(c.Devices, 10),
			strconv.FormatInt(c.Preambles, 10), strconv.FormatInt(c.Collisions, 10),
			pct(c.ULUtilisation), pct(c.DLUtilisation), fmt.Sprintf("%.1f", c.IoT.P99),
			fmt.Sprintf("%.1f", c.IoT.Max), lim})
	}
	for _, c := range sortedKeys(r.DropsByCause) {
		v.Drops = append(v.Drops, []string{c, strconv.FormatInt(r.DropsByCause[c], 10)})
	}
	for _, p := range in.Plots {
		v.Plots = append(v.Plots, htmlImg{Name: p.Name, Src: PNGDataURI(p.PNG)})
	}
	var b bytes.Buffer
	if err := htmlPage.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// pageCSS is the style of nbsim's self-contained pages (a run's, a
// campaign's and a capacity search's report.html).
const pageCSS = `
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 80em; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { padding: 0.2em 0.7em; border-bottom: 1px solid #eee; text-align: right; vertical-align: top; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
.pass { color: #060; font-weight: bold; } .fail { color: #b00; font-weight: bold; }
.verdict { padding: 0.5em 1em; display: inline-block; border-radius: 4px; }
.verdict.pass { background: #e6f4e6; } .verdict.fail { background: #fbe6e6; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; }
img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
.note { color: #555; } .ci { color: #555; font-size: 0.85em; } .err { color: #b00; text-align: left; }
`

// PageHead is the inside of <head> of nbsim's self-contained pages: the
// charset, no favicon request, the title (escaped) and the style.
func PageHead(title string) template.HTML {
	return template.HTML(`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>` + template.HTMLEscapeString(title) + `</title>
<style>` + pageCSS + `</style>
`)
}

// PNGDataURI is a PNG as a data: URI for an img's src, for the
// self-contained pages (report.html of a run, a campaign, a capacity
// search). Only for PNGs nbsim drew: the URL is marked safe.
func PNGDataURI(png []byte) template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

// bottleneckRule is the rule of Limit in words (docs/results.md,
// Bottleneck).
const bottleneckRule = "Each cell's resources are measured in 10-second steps. " +
	"A resource is saturated from 80 % utilisation (NPRACH: a load of 0.8 preamble transmissions per (occasion, preamble) pair). " +
	"A saturated carrier (NPUSCH, or the downlink: NPDCCH + NPDSCH) is named first: it makes RARs miss their window and Msg4 the contention-resolution timer, " +
	"so devices send preambles again and move up CE levels. Otherwise the lowest saturated NPRACH level is named: devices move up a CE level after " +
	"maxNumPreambleAttemptCE failed attempts, never down. The network's bottleneck is the first cell and step where a resource saturated; " +
	"with none saturated, the highest figure is shown."

type htmlExpect struct {
	Expr, Value string
	OK          bool
}

type htmlImg struct {
	Name string
	Src  template.URL
}

type htmlView struct {
	Head           template.HTML
	Title          string
	R              *Results
	Summary        [][2]string
	Bottleneck     string
	Rule           string
	Expect         []htmlExpect
	Passed, Failed int
	Groups         [][]string
	Cells          [][]string
	CellsTotal     int
	Drops          [][]string
	Plots          []htmlImg
	Scenario       string
	EvaluationOnly []string
}

// summaryRows are the network-wide KPIs, as the terminal summary gives them.
func summaryRows(r *Results) [][2]string {
	k := &r.KPI
	ce := make([]string, len(k.CELevels))
	for i, n := range k.CELevels {
		ce[i] = fmt.Sprintf("CE%d %d", i, n)
	}
	rows := [][2]string{
		{"devices", fmt.Sprintf("%d (out of coverage %d) %s", k.Devices, k.OutOfCoverage, strings.Join(ce, ", "))},
		{"reports", fmt.Sprintf("generated %d, delivered %d (%s), dropped %d, in flight %d", k.ReportsGenerated,
			k.ReportsDelivered, pct(Ratio(k.ReportsDelivered, k.ReportsGenerated)), k.ReportsDropped, k.ReportsInFlight)},
		{"access success probability", fmt.Sprintf("%.4f (%d attempts)", k.AccessSuccessProbability, k.AccessAttempts)},
		{"collision probability", fmt.Sprintf("%.4f", k.CollisionProbability)},
		{"preamble transmissions (mean)", fmt.Sprintf("%.3f", k.PreambleTransmissionsMean)},
		{"access delay (ms)", fmtDist(k.AccessDelayMs)},
		{"uplink latency (ms)", fmtDist(k.LatencyMs)},
	}
	if k.AttachTimeMs != (Dist{}) {
		rows = append(rows, [2]string{"attach time (ms)", fmtDist(k.AttachTimeMs)})
	}
	if k.MTGenerated > 0 {
		rows = append(rows, [2]string{"MT data", fmt.Sprintf("generated %d, delivered %d, dropped %d, latency p50 %s ms",
			k.MTGenerated, k.MTDelivered, k.MTDropped, fmtG(k.MTLatencyMs.P50))})
	}
	rows = append(rows,
		[2]string{"energy per delivered report (mJ)", fmtG(k.EnergyPerReportMJ)},
		[2]string{"battery (years)", "mean " + fmtG(k.BatteryYears.Mean) + ", p5 " + fmtG(k.BatteryYears.P5) + ", min " + fmtG(k.BatteryYears.Min)})
	if s := stateShares(k.EnergyByStateJ); s != "" {
		rows = append(rows, [2]string{"energy by state", s})
	}
	return rows
}

var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>{{.Head}}</head>
<body>
<h1>{{.Title}}</h1>
{{if .Expect}}<p id="verdict" class="verdict {{if .Failed}}fail{{else}}pass{{end}}">expectations: {{.Passed}}/{{len .Expect}} passed</p>
{{else}}<p id="verdict" class="note">This scenario states no expectations.</p>{{end}}
{{range .EvaluationOnly}}<p class="note">evaluation only: {{.}}</p>
{{end}}
<h2 id="summary">Summary</h2>
<table>
{{range .Summary}}<tr><td>{{index . 0}}</td><td style="text-align:left">{{index . 1}}</td></tr>
{{end}}</table>

<h2 id="bottleneck">Bottleneck</h2>
<p><strong>{{.Bottleneck}}</strong></p>
<p class="note">{{.Rule}}</p>

{{if .Expect}}<h2 id="expectations">Expectations</h2>
<table>
<tr><th>result</th><th>expression</th><th>value</th></tr>
{{range .Expect}}<tr><td class="{{if .OK}}pass{{else}}fail{{end}}">{{if .OK}}PASS{{else}}FAIL{{end}}</td><td style="text-align:left"><code>{{.Expr}}</code></td><td>{{.Value}}</td></tr>
{{end}}</table>
{{end}}
{{if .Groups}}<h2 id="groups">Groups</h2>
<table>
<tr><th>group</th><th>devices</th><th>reports</th><th>delivered</th><th>dropped</th><th>access ok</th><th>delay p95 ms</th><th>latency p95 ms</th><th>mJ/report</th><th>battery mean y</th><th>battery p5 y</th></tr>
{{range .Groups}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}
{{if .Cells}}<h2 id="cells">Cells</h2>
{{if gt .CellsTotal (len .Cells)}}<p class="note">{{.CellsTotal}} cells: the {{len .Cells}} most loaded (uplink utilisation) are listed; results.json has all.</p>{{end}}
<table>
<tr><th>cell</th><th>devices</th><th>preambles</th><th>collisions</th><th>UL util</th><th>DL util</th><th>IoT p99 dB</th><th>IoT max dB</th><th>limit</th></tr>
{{range .Cells}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}
<h2 id="drops">Drops by cause</h2>
{{if .Drops}}<table>
<tr><th>cause</th><th>reports</th></tr>
{{range .Drops}}<tr><td>{{index . 0}}</td><td>{{index . 1}}</td></tr>
{{end}}</table>{{else}}<p>none</p>{{end}}

<h2 id="plots">Plots</h2>
{{range .Plots}}<figure><img src="{{.Src}}" alt="{{.Name}}"><figcaption class="note">{{.Name}}</figcaption></figure>
{{end}}
{{if .Scenario}}<h2 id="scenario">Scenario as run</h2>
<p class="note">After the command line's --seed, --duration and --set.</p>
<pre>{{.Scenario}}</pre>
{{end}}
</body>
</html>
`))
