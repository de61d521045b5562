package capacity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"image/color"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/nbsim/nbsim/report"
)

// Report is a search with what it searched: what `nbsim capacity --json`
// prints and --out writes (capacity.json, report.html, one plot per
// expectation).
type Report struct {
	Scenario   string  `json:"scenario"`
	Unit       string  `json:"unit"` // e.g. "devices per site"
	Per        float64 `json:"per"`  // loads are divided by it when shown (sites or cells)
	Confidence float64 `json:"confidence"`
	Tol        float64 `json:"tol"`
	Error      string  `json:"error,omitempty"` // no limit within the bounds
	*Result
}

// JSON is the report as indented JSON with a final newline.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// PlotName is the file name of expectation i's plot.
func PlotName(i int) string { return "capacity_kpi_" + strconv.Itoa(i+1) + ".png" }

// PlotPNG draws expectation i against the load: each load's mean with its
// interval, the threshold, and the limit.
func (r *Report) PlotPNG(i int) ([]byte, error) {
	pts := r.Sorted()
	p := report.NewPlot(r.expr(i), r.Unit, "value (mean and interval over seeds)")
	var xy plotter.XYs
	var errs plotter.YErrors
	for _, pt := range pts {
		if i >= len(pt.KPIs) {
			continue
		}
		s := pt.KPIs[i]
		xy = append(xy, plotter.XY{X: pt.X / r.Per, Y: s.Mean})
		errs = append(errs, struct{ Low, High float64 }{s.Mean - s.CILow, s.CIHigh - s.Mean})
	}
	if len(xy) == 0 {
		return report.PlotPNG(p)
	}
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	eb, err := plotter.NewYErrorBars(struct {
		plotter.XYer
		plotter.YErrorer
	}{xy, errs})
	if err != nil {
		return nil, err
	}
	p.Add(sc, eb)
	if e, err := report.ParseExpect(r.expr(i)); err == nil {
		th := plotter.NewFunction(func(float64) float64 { return e.Value })
		th.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		th.Color = color.RGBA{R: 200, A: 255}
		p.Add(th)
		p.Legend.Add("threshold "+e.Op+" "+strconv.FormatFloat(e.Value, 'g', -1, 64), th)
	}
	if r.AtLimit != nil {
		lim := r.Limit / r.Per
		l, err := plotter.NewLine(plotter.XYs{{X: lim, Y: p.Y.Min}, {X: lim, Y: p.Y.Max}})
		if err == nil {
			l.Color = color.RGBA{G: 130, A: 255}
			p.Add(l)
			p.Legend.Add("limit "+strconv.FormatFloat(lim, 'g', 6, 64), l)
		}
	}
	return report.PlotPNG(p)
}

func (r *Report) expr(i int) string {
	for _, p := range r.Points {
		if i < len(p.KPIs) {
			return p.KPIs[i].Expr
		}
	}
	return ""
}

// HTML is a self-contained page (as report.html of a run): the limit,
// the bottleneck above it, every load tried with its KPIs, and the plots.
func (r *Report) HTML(plots [][]byte) ([]byte, error) {
	type row struct {
		Load, Seeds, Verdict, Bottleneck string
		KPIs                             []string
	}
	v := struct {
		*Report
		Exprs  []string
		Rows   []row
		Plots  []template.URL
		LimitS string
		FailsS string
		Conf   string
		Head   template.HTML
	}{Report: r, Conf: strconv.FormatFloat(100*r.Confidence, 'g', 4, 64), Head: report.PageHead("nbsim capacity: " + r.Scenario)}
	if r.AtLimit != nil {
		v.LimitS = strconv.FormatFloat(r.Limit/r.Per, 'g', 8, 64)
		v.FailsS = strconv.FormatFloat(r.Fails/r.Per, 'g', 8, 64)
		for _, k := range r.AtLimit.KPIs {
			v.Exprs = append(v.Exprs, k.Expr)
		}
	} else if len(r.Points) > 0 {
		for _, k := range r.Points[0].KPIs {
			v.Exprs = append(v.Exprs, k.Expr)
		}
	}
	for _, p := range r.Sorted() {
		rw := row{Load: strconv.FormatFloat(p.X/r.Per, 'g', 8, 64), Seeds: strconv.Itoa(p.Seeds), Verdict: p.Verdict(), Bottleneck: p.Bottleneck}
		for _, k := range p.KPIs {
			rw.KPIs = append(rw.KPIs, fmt.Sprintf("%.5g [%.5g, %.5g]", k.Mean, k.CILow, k.CIHigh))
		}
		v.Rows = append(v.Rows, rw)
	}
	for _, b := range plots {
		v.Plots = append(v.Plots, report.PNGDataURI(b))
	}
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var page = template.Must(template.New("capacity").Parse(`<!DOCTYPE html>
<html lang="en">
<head>{{.Head}}</head>
<body>
<h1>nbsim capacity: {{.Scenario}}</h1>
{{if .Error}}<p id="limit"><strong>No limit: {{.Error}}</strong></p>
{{else}}<p id="limit"><strong>Limit: {{.LimitS}} {{.Unit}}</strong> (passes; {{.FailsS}} fails). Bottleneck at {{.FailsS}}: <strong>{{.AtFails.Bottleneck}}</strong>.</p>{{end}}
<p class="note">Each load runs seeds until a one-sided Student-t interval at {{.Conf}} % confidence puts every expectation on its passing side, or one on its failing side; the bisection stops within {{.Tol}} of the limit. Intervals below are two-sided at {{.Conf}} %.</p>
<h2>Loads tried</h2>
<table>
<tr><th>{{.Unit}}</th><th>seeds</th><th>verdict</th>{{range .Exprs}}<th><code>{{.}}</code></th>{{end}}<th>bottleneck</th></tr>
{{range .Rows}}<tr><td>{{.Load}}</td><td>{{.Seeds}}</td><td>{{.Verdict}}</td>{{range .KPIs}}<td>{{.}}</td>{{end}}<td>{{.Bottleneck}}</td></tr>
{{end}}</table>
<h2>Plots</h2>
{{range .Plots}}<img src="{{.}}" alt="KPI against load">
{{end}}
</body>
</html>
`))
