package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func htmlSample(t *testing.T) (*Results, []byte) {
	t.Helper()
	r := sample()
	r.Expectations = []ExpectResult{
		{Expr: "access_success_probability >= 0.99", Value: 0.998, OK: true},
		{Expr: "groups.collars.battery_years.p5 < 5 && <script>", Value: 4, OK: false},
	}
	r.Bottleneck = Bottleneck{Resource: "nprach_ce0", Cell: "site1/2", TimeS: 3600, Saturation: 0.93,
		Utilisation: map[string]float64{"nprach_ce0": 0.93, "npusch": 0.4}}
	r.EvaluationOnly = []string{"random_access.preamble_trans_max_ce: 1"}
	plots := []HTMLPlot{{Name: "a.png", PNG: []byte("\x89PNG first")}, {Name: "b.png", PNG: []byte("\x89PNG second")}}
	page, err := HTML(HTMLInput{Results: r, Scenario: []byte("name: test\nexpect: [\"a < b\"]\n"), Plots: plots})
	if err != nil {
		t.Fatal(err)
	}
	return r, page
}

// The page shows every number a planner hands on, from results.json.
func TestHTMLShowsTheResults(t *testing.T) {
	r, page := htmlSample(t)
	s := string(page)
	want := []string{
		"<title>nbsim: test, seed 42, 1d12h",
		"expectations: 1/2 passed",
		"0.9980", // access success probability of the total (1000/1002)
		"0.0125", // collision probability
		"generated 1000, delivered 985 (98.5%)",
		"mean 9.6, p5 7.6, min 6.6",
		fmtBottleneck(r.Bottleneck),
		"PASS", "FAIL", "access_success_probability &gt;= 0.99",
		"groups.collars.battery_years.p5 &lt; 5 &amp;&amp; &lt;script&gt;", // escaped, never markup
		"<td>meters</td><td>60</td><td>600</td><td>590</td>",
		"<td>site1/2</td><td>48</td><td>650</td><td>7</td>",
		"<td>ra_failure</td><td>10</td>",
		"evaluation only: random_access.preamble_trans_max_ce: 1",
		"expect: [&#34;a &lt; b&#34;]", // the scenario as run, escaped
	}
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("report.html lacks %q", w)
		}
	}
	// The most loaded cell first (uplink utilisation).
	if strings.Index(s, "<td>site1/2</td>") > strings.Index(s, "<td>site1/1</td>") {
		t.Error("cells not sorted by uplink utilisation")
	}
}

// Self-contained: no script, nothing fetched, the plots inline and intact.
func TestHTMLSelfContained(t *testing.T) {
	_, page := htmlSample(t)
	s := string(page)
	for _, bad := range []string{"<script", "http://", "https://", "url(", "@import"} {
		if strings.Contains(s, bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	imgs := regexp.MustCompile(`<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"`).FindAllStringSubmatch(s, -1)
	if len(imgs) != 2 {
		t.Fatalf("%d inline images, want 2", len(imgs))
	}
	for i, w := range []string{"\x89PNG first", "\x89PNG second"} {
		b, err := base64.StdEncoding.DecodeString(imgs[i][1])
		if err != nil || !bytes.Equal(b, []byte(w)) {
			t.Errorf("image %d (%s) does not decode to its PNG: %q, %v", i, imgs[i][2], b, err)
		}
	}
	// Every src and href is a data: URI.
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(s, -1) {
		if !strings.HasPrefix(m[1], "data:") {
			t.Errorf("reference to %q", m[1])
		}
	}
}

// A run with thousands of cells lists the most loaded ones and says so.
func TestHTMLManyCells(t *testing.T) {
	r := sample()
	r.Cells = nil
	for i := range htmlCells + 50 {
		r.Cells = append(r.Cells, CellKPI{Name: fmt.Sprintf("c%04d", i), ULUtilisation: float64(i) / 1000})
	}
	page, err := HTML(HTMLInput{Results: r})
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if got := strings.Count(s, "<tr><td>c0"); got != htmlCells {
		t.Errorf("%d cell rows, want %d", got, htmlCells)
	}
	if !strings.Contains(s, fmt.Sprintf("%d cells: the %d most loaded", htmlCells+50, htmlCells)) {
		t.Error("no note that cells were left out")
	}
	if !strings.Contains(s, "<td>c0249</td>") || strings.Contains(s, "<td>c0049</td>") {
		t.Error("not the most loaded cells")
	}
	if strings.Contains(s, `id="scenario"`) {
		t.Error("a scenario section without a scenario")
	}
	if _, err := HTML(HTMLInput{}); err == nil {
		t.Error("HTML without results succeeded")
	}
}
