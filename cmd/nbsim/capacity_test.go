package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/scenarios"
)

// A float key searched end to end: the largest maximum coupling loss at
// which at least 10 of 200 collars are out of coverage. The answer is
// checked against the runs' own figures: it passes at the limit, fails
// just above, and the bracket is within the tolerance.
func TestCapacityFloatKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cap")
	code, out, errOut := run(t, "capacity", "cow-collars", "--set", "groups.collars.count=200", "--duration", "1m",
		"--key", "radio.max_coupling_loss_db", "--expect", "kpi.out_of_coverage >= 10", "--json", "-q", "-j", "2", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Unit    string  `json:"unit"`
		Limit   float64 `json:"limit"`
		Fails   float64 `json:"fails"`
		AtLimit struct {
			Pass bool `json:"pass"`
			KPIs []struct {
				Mean float64 `json:"mean"`
			} `json:"kpis"`
		} `json:"at_limit"`
		AtFails struct {
			Pass bool `json:"pass"`
		} `json:"at_fails"`
		Points []struct {
			X float64 `json:"x"`
		} `json:"points"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Unit != "radio.max_coupling_loss_db" || !res.AtLimit.Pass || res.AtFails.Pass {
		t.Errorf("%+v", res)
	}
	if !(res.Limit > 82 && res.Limit < 164 && res.Fails > res.Limit && res.Fails-res.Limit <= 0.01*res.Limit) {
		t.Errorf("limit %v, above %v: want a bracket within 1 %% between 82 and 164 dB", res.Limit, res.Fails)
	}
	if res.Points[0].X != 164 || res.Points[1].X != 82 {
		t.Errorf("the search starts at the scenario's 164 dB and halves: %+v", res.Points[:2])
	}
	if res.AtLimit.KPIs[0].Mean < 10 {
		t.Errorf("mean out of coverage %v at the limit", res.AtLimit.KPIs[0].Mean)
	}
	// --out: the same JSON, the plot, and a self-contained page naming the limit.
	js, err := os.ReadFile(filepath.Join(dir, "capacity.json"))
	if err != nil || string(js) != out {
		t.Errorf("capacity.json differs from --json's output (%v)", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "capacity_kpi_1.png")); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("capacity_kpi_1.png: %v", err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	lim := strconv.FormatFloat(res.Limit, 'g', 8, 64)
	if !strings.Contains(string(page), "Limit: "+lim+" radio.max_coupling_loss_db") || strings.Contains(string(page), "http") ||
		strings.Count(string(page), `<img src="data:image/png;base64,`) != 1 {
		t.Errorf("report.html does not show the limit %s self-contained", lim)
	}
}

// The default knob scales every group's count together, keeping shares.
func TestCapacityScalesGroups(t *testing.T) {
	sc, err := scenarios.Load("smart-meters", nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := newKnob(sc, &capacityFlags{per: "cell"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, g := range sc.GroupNames() {
		total += float64(sc.Groups[g].Count)
	}
	if k.start != total || !k.int || k.unit != "devices per cell" {
		t.Errorf("knob %+v, want start %v", k, total)
	}
	sets := k.sets(2 * total)
	sc2, err := scenarios.Load("smart-meters", sets)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range sc.GroupNames() {
		if got, want := sc2.Groups[g].Count, 2*sc.Groups[g].Count; got < want-1 || got > want+1 {
			t.Errorf("group %s: %d at twice the load, want %d", g, got, want)
		}
	}
	cells := 0
	for _, s := range sc.Sites() {
		cells += max(1, s.Sectors)
	}
	if k.per != float64(cells) {
		t.Errorf("per cell divides by %v, want %d cells", k.per, cells)
	}
	for _, g := range strings.Split(strings.Join(k.sets(0.1), " "), " ") {
		if !strings.HasSuffix(g, "count=1") {
			t.Errorf("a group below one device: %s", g)
		}
	}
}

func TestCapacityBadInputAndNoLimit(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--per", "farm"}, "--per"},
		{[]string{"--key", "radio.band"}, "not a number"},
		{[]string{"--key", "groups.cows.count"}, "cows"},
		{[]string{"--confidence", "1.5"}, "confidence"},
		{[]string{"--expect", "kpi.nothing >= 1"}, "nothing"},
		{[]string{"--set", "expect=[]"}, "no expectation"},
	} {
		args := append([]string{"capacity", "cow-collars", "--set", "groups.collars.count=50", "--duration", "1m", "-q"}, c.args...)
		code, _, errOut := run(t, args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	code, out, errOut := run(t, "capacity", "cow-collars", "--set", "groups.collars.count=50", "--duration", "1m", "-q",
		"--expect", "kpi.devices >= 0", "--max", "300", "--max-seeds", "2")
	if code != 1 || !strings.Contains(errOut, "still hold at 200") || !strings.Contains(out, "no limit") {
		t.Errorf("no limit: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// --sites: the fewest of four candidate sites along a line that keep
// coverage for a population spread along it. With a 125 dB maximum
// coupling loss a site covers about 1.5 km: the population over 10 km
// needs more than one, and the answer is checked against the runs.
func TestCapacitySites(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "line.yaml")
	yaml := `name: line
duration: 1m
radio: {max_coupling_loss_db: 125, shadowing_std_db: 0}
sites:
  - {name: a, x_m: 0, y_m: 0}
  - {name: b, x_m: 3000, y_m: 0}
  - {name: c, x_m: 6000, y_m: 0}
  - {name: d, x_m: 9000, y_m: 0}
groups:
  meters:
    count: 300
    placement: {shape: rectangle, site: a, width_m: 9000, height_m: 200, offset_x_m: 4500}
expect: ["kpi.out_of_coverage <= 30"]
`
	if err := os.WriteFile(sc, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "capacity", sc, "--sites", "--json", "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	var res sitesResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Limit < 2 || res.Limit > 4 || res.Fails != res.Limit-1 || !res.AtLimit.Pass || res.AtFails.Pass || res.Unit != "sites (of 4 candidates)" {
		t.Errorf("%+v", res)
	}
	// The population placed by the sites is refused.
	code, _, errOut = run(t, "capacity", sc, "--sites", "-q", "--set", "groups.meters.placement.shape=area")
	if code != 2 || !strings.Contains(errOut, "places the devices by the sites") {
		t.Errorf("area placement: exit %d, %s", code, errOut)
	}
	code, _, errOut = run(t, "capacity", "cow-collars", "--sites", "-q")
	if code != 2 || !strings.Contains(errOut, "site_layout") {
		t.Errorf("one site: exit %d, %s", code, errOut)
	}
}

// --sites over a sites_file: the first N rows of the district's seven
// candidates (sites_file_rows), the meters in a fixed disc.
func TestCapacitySitesFile(t *testing.T) {
	code, out, errOut := run(t, "capacity", "district", "--sites", "--duration", "1h", "--json", "-q",
		"--set", "groups.meters.placement={shape: disc, site: centrum, radius_m: 2500}",
		"--set", "groups.meters.penetration_loss_db=40",
		"--set", `expect=["access_success_probability >= 0.99", "kpi.out_of_coverage <= 300"]`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res sitesResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Unit != "sites (of 7 candidates in data/district-sites.csv)" || res.Limit < 2 || res.Limit > 7 ||
		res.Fails != res.Limit-1 || !res.AtLimit.Pass || res.AtFails.Pass {
		t.Errorf("%+v", res)
	}
}

// sitesResult is what the --sites tests read of capacity --json.
type sitesResult struct {
	Unit    string  `json:"unit"`
	Limit   float64 `json:"limit"`
	Fails   float64 `json:"fails"`
	AtLimit struct {
		Pass bool `json:"pass"`
	} `json:"at_limit"`
	AtFails struct {
		Pass bool `json:"pass"`
	} `json:"at_fails"`
}
