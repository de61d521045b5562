package sweep

import (
	"bytes"
	"html/template"
	"strconv"

	"github.com/nbsim/nbsim/report"
)

// FileHTML is the campaign's page.
const FileHTML = "report.html"

// HTML renders the campaign's report.html: one self-contained page (inline
// CSS, the plots as data: URIs, no script, nothing fetched) with the
// campaign, one row per point (its values, runs, each KPI's mean and 95 %
// interval), the failed runs' errors and every plot.
func (t *Table) HTML(plots []PlotFile) ([]byte, error) {
	type cell struct{ Mean, CI string }
	type row struct {
		Point  int
		Params []string
		Runs   string
		KPIs   []cell
		Errors []string
	}
	type img struct {
		Name string
		Src  template.URL
	}
	g := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return strconv.FormatFloat(*p, 'g', 5, 64)
	}
	v := struct {
		*Table
		Seeds string
		Rows  []row
		Imgs  []img
		Head  template.HTML
	}{Table: t, Head: report.PageHead("nbsim sweep: " + t.Name)}
	for i, s := range t.Seeds {
		if i > 0 {
			v.Seeds += ", "
		}
		v.Seeds += strconv.FormatUint(s, 10)
	}
	for _, p := range t.Points {
		r := row{Point: p.Point, Runs: strconv.Itoa(p.OK) + "/" + strconv.Itoa(p.Runs), Errors: p.Errors}
		for _, a := range t.Axes {
			r.Params = append(r.Params, p.Params[a])
		}
		for _, k := range t.KPIs {
			s := p.KPIs[k]
			c := cell{Mean: g(s.Mean)}
			if s.CILow != nil {
				c.CI = "[" + g(s.CILow) + ", " + g(s.CIHigh) + "]"
			}
			r.KPIs = append(r.KPIs, c)
		}
		v.Rows = append(v.Rows, r)
	}
	for _, p := range plots {
		v.Imgs = append(v.Imgs, img{Name: p.Name, Src: report.PNGDataURI(p.PNG)})
	}
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var page = template.Must(template.New("sweep").Parse(`<!DOCTYPE html>
<html lang="en">
<head>{{.Head}}</head>
<body>
<h1>nbsim sweep: {{.Name}}</h1>
<p class="note">{{len .Points}} points; seeds {{.Seeds}}. Each KPI: the mean over the point's runs with status ok and, below it, the 95 % confidence interval of the mean (Student's t; none with one run). sweep.csv, sweep.json and sweep.db beside this page hold the same figures.</p>
<h2>Points</h2>
<table>
<tr><th>point</th>{{range .Axes}}<th><code>{{.}}</code></th>{{end}}<th>ok/runs</th>{{range .KPIs}}<th><code>{{.}}</code></th>{{end}}</tr>
{{range .Rows}}<tr><td>{{.Point}}</td>{{range .Params}}<td>{{.}}</td>{{end}}<td>{{.Runs}}</td>{{range .KPIs}}<td>{{.Mean}}{{if .CI}}<br><span class="ci">{{.CI}}</span>{{end}}</td>{{end}}</tr>
{{range .Errors}}<tr><td></td><td class="err" colspan="99">{{.}}</td></tr>
{{end}}{{end}}</table>
<h2>Plots</h2>
{{range .Imgs}}<figure><img src="{{.Src}}" alt="{{.Name}}"><figcaption class="note">{{.Name}}</figcaption></figure>
{{end}}
</body>
</html>
`))
