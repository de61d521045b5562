package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parseErrsAt is parseErrs for a scenario at file (CSV paths are relative to it).
func parseErrsAt(t *testing.T, src, file string) Errors {
	t.Helper()
	_, err := Parse([]byte(src), file, nil)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Parse = %v, want Errors", err)
	}
	return es
}

func TestCoverageValidation(t *testing.T) {
	for _, c := range []struct {
		name, src, path, msg string
	}{
		{"two sources", "coverage: {coupling_loss_db: 154, coupling_loss_csv: x.csv}", "groups.g.coverage", "2 coverage sources"},
		{"no source", "coverage: {}", "groups.g.coverage", "0 coverage sources"},
		{"loss range", "coverage: {coupling_loss_db: 300}", "groups.g.coverage.coupling_loss_db", "out of range"},
		{"shares", "coverage: {coupling_loss_distribution: [{loss_db: 140, share: 0.5}, {loss_db: 160, share: 0.4}]}", "groups.g.coverage.coupling_loss_distribution", "sum to 0.9"},
		{"share range", "coverage: {coupling_loss_distribution: [{loss_db: 140, share: 1.5}, {loss_db: 160, share: -0.5}]}", "groups.g.coverage.coupling_loss_distribution.0.share", "not a share"},
		{"cdf end", "coverage: {coupling_loss_cdf: [{loss_db: 140, p: 0}, {loss_db: 160, p: 0.9}]}", "groups.g.coverage.coupling_loss_cdf.1.p", "ends at 0.9"},
		{"cdf order", "coverage: {coupling_loss_cdf: [{loss_db: 160, p: 0}, {loss_db: 140, p: 1}]}", "groups.g.coverage.coupling_loss_cdf.1.loss_db", "not above"},
		{"penetration", "penetration_loss_db: 20\n    coverage: {coupling_loss_db: 154}", "groups.g.penetration_loss_db", "already includes"},
		{"csv placement", "placement: {shape: csv, file: p.csv}\n    coverage: {coupling_loss_db: 154}", "groups.g.placement.shape", "would not be used"},
		{"placement file", "placement: {shape: disc, file: p.csv}", "groups.g.placement.file", "only with shape csv"},
		{"size model", "report: {uplink_size: {model: lognormal}}", "groups.g.report.uplink_size.model", "not allowed"},
		{"size bounds", "report: {uplink_size: {model: uniform, min_bytes: 100, max_bytes: 50}}", "groups.g.report.uplink_size.max_bytes", "below min_bytes"},
		{"pareto alpha", "report: {uplink_size: {alpha: 0}}", "groups.g.report.uplink_size.alpha", "greater than 0"},
	} {
		es := parseErrsAt(t, "groups:\n  g:\n    "+c.src+"\n", "s.yaml")
		e := findErr(es, c.path)
		if e == nil || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%s: want %q at %s, got %v", c.name, c.msg, c.path, es)
			continue
		}
		if e.File != "s.yaml" || e.Line < 3 {
			t.Errorf("%s: position %s:%d, want s.yaml:3 or later", c.name, e.File, e.Line)
		}
	}
}

func TestPlanningDefaults(t *testing.T) {
	s, err := Parse([]byte("groups:\n  g:\n    report: {uplink_size: {}, reply_probability: 1, reply_bytes: 0}\n    coverage: {coupling_loss_db: 154}\n"), "s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	g := s.Groups["g"]
	if d := *g.Report.UplinkSize; d != (SizeDist{Model: "pareto", Bytes: 50, MinBytes: 20, MaxBytes: 200, Alpha: 2.5}) {
		t.Errorf("uplink_size {} = %+v, want the TR 45.820 Pareto model", d)
	}
	if g.Coverage.CouplingLossDb != 154 || g.Report.ReplyBytes != 0 {
		t.Errorf("coverage %+v reply_bytes %d", g.Coverage, g.Report.ReplyBytes)
	}
	// The same through --set.
	s, err = Parse([]byte("groups:\n  g: {}\n"), "s.yaml", []string{"groups.g.coverage.coupling_loss_db=164", "groups.g.report.uplink_size.model=uniform"})
	if err != nil {
		t.Fatal(err)
	}
	if g := s.Groups["g"]; g.Coverage.CouplingLossDb != 164 || g.Report.UplinkSize.Model != "uniform" || g.Report.UplinkSize.MaxBytes != 200 {
		t.Errorf("--set: coverage %+v uplink_size %+v", g.Coverage, g.Report.UplinkSize)
	}
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCoverageCSV(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "farm.yaml")
	writeFile(t, dir, "cl.csv", "# exported by a planning tool\ncoupling_loss_db,cell\n140,site1/1\n\n155.5,\n164,site1/3\n")
	s, err := Parse([]byte("groups:\n  g:\n    coverage: {coupling_loss_csv: cl.csv}\n"), sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := s.Groups["g"]
	if g.Count != 3 {
		t.Errorf("count = %d, want 3 (from the file)", g.Count)
	}
	want := []CoverageRow{{LossDb: 140, Cell: "site1/1", Line: 3}, {LossDb: 155.5, Line: 5}, {LossDb: 164, Cell: "site1/3", Line: 6}}
	for i, r := range g.Coverage.Rows {
		if r != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, r, want[i])
		}
	}
	writeFile(t, dir, "rsrp.csv", "rsrp_dbm\n-120\n-131.8\n")
	s, err = Parse([]byte("groups:\n  g:\n    coverage: {coupling_loss_csv: rsrp.csv}\n"), sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Groups["g"].Coverage.Rows; len(r) != 2 || !r[1].RSRP || r[1].RSRPDbm != -131.8 {
		t.Errorf("rsrp rows %+v", r)
	}

	for _, c := range []struct {
		name, csv string
		count     string
		file      string
		line      int
		path, msg string
	}{
		{"bad number", "coupling_loss_db\n140\nabc\n", "", "bad.csv", 3, "groups.g.coverage.coupling_loss_csv", `"abc" is not a finite number`},
		{"range", "coupling_loss_db\n140\n\n400\n", "", "bad.csv", 4, "groups.g.coverage.coupling_loss_csv", "out of range"},
		{"columns", "coupling_loss_db,rsrp_dbm\n140,-100\n", "", "bad.csv", 1, "groups.g.coverage.coupling_loss_csv", "exactly one of"},
		{"unknown column", "loss\n140\n", "", "bad.csv", 1, "groups.g.coverage.coupling_loss_csv", `unknown column "loss"`},
		{"fields", "coupling_loss_db,cell\n140,site1/1\n150\n", "", "bad.csv", 3, "groups.g.coverage.coupling_loss_csv", "wrong number of fields"},
		{"cell", "coupling_loss_db,cell\n140,site1/1\n150,site9/2\n", "", "bad.csv", 3, "groups.g.coverage.coupling_loss_csv", `no cell named "site9/2"`},
		{"empty", "coupling_loss_db\n", "", "bad.csv", 0, "groups.g.coverage.coupling_loss_csv", "no rows"},
		{"count", "coupling_loss_db\n140\n150\n", "count: 5\n    ", "s.yaml", 3, "groups.g.count", "count 5 but"},
	} {
		writeFile(t, dir, "bad.csv", c.csv)
		es := parseErrsAt(t, "groups:\n  g:\n    "+c.count+"coverage: {coupling_loss_csv: bad.csv}\n", filepath.Join(dir, "s.yaml"))
		e := findErr(es, c.path)
		if e == nil || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%s: want %q at %s, got %v", c.name, c.msg, c.path, es)
			continue
		}
		if filepath.Base(e.File) != c.file || e.Line != c.line {
			t.Errorf("%s: at %s:%d, want %s:%d", c.name, e.File, e.Line, c.file, c.line)
		}
	}
	es := parseErrsAt(t, "groups:\n  g:\n    coverage: {coupling_loss_csv: /dev/null}\n", sc)
	if e := findErr(es, "groups.g.coverage.coupling_loss_csv"); e == nil || e.Msg != "not a regular file" {
		t.Errorf("/dev/null: %v", es)
	}
	es = parseErrsAt(t, "groups:\n  g:\n    coverage: {coupling_loss_csv: missing.csv}\n", sc)
	if e := findErr(es, "groups.g.coverage.coupling_loss_csv"); e == nil || !strings.Contains(e.Msg, "no such file") {
		t.Errorf("missing file: %v", es)
	}
}

func TestPlacementCSV(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "xy.csv", "x_m,y_m\n100,0\n-50.5,2000\n")
	s, err := Parse([]byte("groups:\n  g:\n    placement: {shape: csv, file: xy.csv}\n"), filepath.Join(dir, "s.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := s.Groups["g"]; g.Count != 2 || g.Placement.Points[1] != (Point{-50.5, 2000}) {
		t.Errorf("count %d points %+v", g.Count, g.Placement.Points)
	}
	writeFile(t, dir, "xy.csv", "x_m\n100\n")
	es := parseErrsAt(t, "groups:\n  g:\n    placement: {shape: csv, file: xy.csv}\n", filepath.Join(dir, "s.yaml"))
	if e := findErr(es, "groups.g.placement.file"); e == nil || !strings.Contains(e.Msg, "x_m and y_m, or lat and lon") || e.Line != 1 {
		t.Errorf("one column: %v", es)
	}
}

func TestPreambleTransMaxEvaluationOnly(t *testing.T) {
	s, err := Parse([]byte("random_access: {preamble_trans_max_ce: 1}\n"), "s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.EvaluationOnly(); len(n) != 1 || !strings.Contains(n[0], "random_access.preamble_trans_max_ce 1 is evaluation-only") {
		t.Errorf("notes %q", n)
	}
	// The LTE limit counts only in lte mode, the NB-IoT one only in nbiot mode.
	s, err = Parse([]byte("random_access: {mode: lte, preamble_trans_max_ce: 2, lte: {max_preamble_tx: 10}}\n"), "s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.EvaluationOnly(); n != nil {
		t.Errorf("lte mode with a 3GPP max_preamble_tx: notes %q", n)
	}
	if d := Default(); d.EvaluationOnly() != nil {
		t.Errorf("defaults: notes %q", d.EvaluationOnly())
	}
	for _, shipped := range Shipped() {
		s, err := Load(shipped.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := s.EvaluationOnly(); n != nil {
			t.Errorf("%s: notes %q", shipped.Name, n)
		}
	}
	es := parseErrsAt(t, "random_access: {preamble_trans_max_ce: 9}\n", "s.yaml")
	if e := findErr(es, "random_access.preamble_trans_max_ce"); e == nil || !strings.Contains(e.Allowed, "(evaluation-only)") || e.Line != 1 {
		t.Errorf("9: %v", es)
	}
}
