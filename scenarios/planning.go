package scenarios

// Planning data read from files beside the scenario: a group's coverage
// CSV (per-device coupling loss or RSRP, as planning tools export) and its
// placement CSV (per-device coordinates). Parse reads them once the
// scenario is valid; their problems are reported at the CSV's file and
// line.

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// csvTable is a CSV file's header (column name → index) and its rows with
// their line numbers.
type csvTable struct {
	file  string
	cols  map[string]int
	rows  [][]string
	lines []int
}

// readCSV reads a CSV with a header row. Blank lines and lines starting
// with # are skipped. known lists the column names allowed.
func readCSV(path, key string, known []string) (*csvTable, *Error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Path: key, Msg: err.Error()}
	}
	defer f.Close()
	// Only a regular file: a device or a pipe (/dev/zero, /dev/stdin)
	// would never end.
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, &Error{File: path, Path: key, Msg: "not a regular file"}
	}
	r := csv.NewReader(f)
	r.Comment = '#'
	r.TrimLeadingSpace = true
	t := &csvTable{file: path, cols: map[string]int{}}
	header := false
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{File: path, Line: pe.Line, Path: key, Msg: "invalid CSV: " + pe.Err.Error()}
			}
			return nil, &Error{File: path, Line: line, Path: key, Msg: "invalid CSV: " + err.Error()}
		}
		if !header {
			if e := t.header(rec, line, key, known); e != nil {
				return nil, e
			}
			header = true
			continue
		}
		if len(t.rows) >= MaxDevices {
			return nil, &Error{File: path, Line: line, Path: key, Msg: fmt.Sprintf("more than %d rows (the device maximum)", MaxDevices)}
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	if !header {
		return nil, &Error{File: path, Path: key, Msg: "no header row", Allowed: "a header naming the columns: " + strings.Join(known, ", ")}
	}
	if len(t.rows) == 0 {
		return nil, &Error{File: path, Path: key, Msg: "no rows after the header"}
	}
	return t, nil
}

func (t *csvTable) header(rec []string, line int, key string, known []string) *Error {
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.Contains(known, name) {
			return &Error{File: t.file, Line: line, Path: key, Msg: fmt.Sprintf("unknown column %q in the header", name), Allowed: strings.Join(known, ", ")}
		}
		if _, dup := t.cols[name]; dup {
			return &Error{File: t.file, Line: line, Path: key, Msg: fmt.Sprintf("column %q twice in the header", name)}
		}
		t.cols[name] = i
	}
	return nil
}

// float reads column col of row i as a finite number.
func (t *csvTable) float(i int, col, key string) (float64, *Error) {
	s := strings.TrimSpace(t.rows[i][t.cols[col]])
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, &Error{File: t.file, Line: t.lines[i], Path: key, Msg: fmt.Sprintf("%s %q is not a finite number", col, s)}
	}
	return x, nil
}

// coverageRows reads a coverage CSV: a header with coupling_loss_db or
// rsrp_dbm (one of them) and optionally cell.
func coverageRows(path, key string) ([]CoverageRow, *Error) {
	t, e := readCSV(path, key, []string{"coupling_loss_db", "rsrp_dbm", "cell"})
	if e != nil {
		return nil, e
	}
	_, hasCL := t.cols["coupling_loss_db"]
	_, hasRSRP := t.cols["rsrp_dbm"]
	if hasCL == hasRSRP {
		return nil, &Error{File: path, Line: 1, Path: key, Msg: "the header needs exactly one of coupling_loss_db and rsrp_dbm", Allowed: "coupling_loss_db or rsrp_dbm, and optionally cell"}
	}
	out := make([]CoverageRow, len(t.rows))
	for i := range t.rows {
		r := &out[i]
		if hasCL {
			x, e := t.float(i, "coupling_loss_db", key)
			if e != nil {
				return nil, e
			}
			if !(x > MinCouplingLossDb && x <= MaxCouplingLossDb) {
				return nil, &Error{File: path, Line: t.lines[i], Path: key, Msg: fmt.Sprintf("coupling_loss_db %g is out of range", x), Allowed: fmt.Sprintf("greater than %d, at most %d dB", MinCouplingLossDb, MaxCouplingLossDb)}
			}
			r.LossDb = x
		} else {
			x, e := t.float(i, "rsrp_dbm", key)
			if e != nil {
				return nil, e
			}
			if x < -200 || x > 0 {
				return nil, &Error{File: path, Line: t.lines[i], Path: key, Msg: fmt.Sprintf("rsrp_dbm %g is out of range", x), Allowed: "-200..0 dBm"}
			}
			r.RSRPDbm, r.RSRP = x, true
		}
		r.Line = t.lines[i]
		if c, ok := t.cols["cell"]; ok {
			r.Cell = strings.TrimSpace(t.rows[i][c])
		}
	}
	return out, nil
}

// placementPoints reads a placement CSV: a header with x_m and y_m.
func placementPoints(path, key string) ([]Point, *Error) {
	t, e := readCSV(path, key, []string{"x_m", "y_m"})
	if e != nil {
		return nil, e
	}
	if len(t.cols) != 2 {
		return nil, &Error{File: path, Line: 1, Path: key, Msg: "the header needs both x_m and y_m", Allowed: "x_m, y_m"}
	}
	out := make([]Point, len(t.rows))
	for i := range t.rows {
		x, e := t.float(i, "x_m", key)
		if e != nil {
			return nil, e
		}
		y, e := t.float(i, "y_m", key)
		if e != nil {
			return nil, e
		}
		out[i] = Point{XM: x, YM: y}
	}
	return out, nil
}

// loadGroupFiles reads every group's planning CSVs (paths relative to the
// scenario file) and takes the group's count from its file when the
// scenario did not give one; a given count must match the rows.
func loadGroupFiles(s *Scenario, file string, pos map[string]position) Errors {
	var errs Errors
	dir := filepath.Dir(file)
	rel := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	total := 0
	for _, name := range s.GroupNames() {
		g := s.Groups[name]
		p := "groups." + name
		total += g.Count
		rows := -1
		var at string
		if c := g.Coverage; c != nil && c.CSV != "" {
			key := p + ".coverage.coupling_loss_csv"
			r, e := coverageRows(rel(c.CSV), key)
			if e != nil {
				errs = append(errs, e)
				continue
			}
			if e := checkCells(s, r, rel(c.CSV), key); e != nil {
				errs = append(errs, e)
				continue
			}
			c.Rows, rows, at = r, len(r), key
		}
		if g.Placement.Shape == "csv" {
			key := p + ".placement.file"
			pts, e := placementPoints(rel(g.Placement.File), key)
			if e != nil {
				errs = append(errs, e)
				continue
			}
			g.Placement.Points, rows, at = pts, len(pts), key
		}
		if rows < 0 {
			continue
		}
		if cp, given := pos[p+".count"]; !given {
			total += rows - g.Count
			g.Count = rows
		} else if g.Count != rows {
			errs = append(errs, &Error{File: cp.file, Line: cp.line, Path: p + ".count",
				Msg: fmt.Sprintf("count %d but %s has %d rows: give the same or leave count out (it is then taken from the file)", g.Count, at, rows)})
		}
	}
	if total > MaxDevices {
		errs = append(errs, &Error{File: file, Path: "groups", Msg: fmt.Sprintf("%d devices in all is more than the maximum of %d", total, MaxDevices)})
	}
	return errs
}

// CellNames are the scenario's cell names as results.json gives them: the
// site's name for an omni site, NAME/1..NAME/3 for the sectors of a
// three-sector site.
func (s *Scenario) CellNames() []string {
	var out []string
	for _, st := range s.Sites() {
		if st.Sectors <= 1 {
			out = append(out, st.Name)
			continue
		}
		for k := 1; k <= st.Sectors; k++ {
			out = append(out, st.Name+"/"+strconv.Itoa(k))
		}
	}
	return out
}

// checkCells reports the first row naming a cell the scenario does not have.
func checkCells(s *Scenario, rows []CoverageRow, path, key string) *Error {
	var cells map[string]bool
	for i := range rows {
		c := rows[i].Cell
		if c == "" {
			continue
		}
		if cells == nil {
			cells = map[string]bool{}
			for _, n := range s.CellNames() {
				cells[n] = true
			}
		}
		if !cells[c] {
			names := s.CellNames()
			if len(names) > 12 {
				names = append(names[:12], "…")
			}
			return &Error{File: path, Line: rows[i].Line, Path: key, Msg: fmt.Sprintf("no cell named %q", c), Allowed: strings.Join(names, ", ")}
		}
	}
	return nil
}
