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
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nbsim/nbsim/geo"
)

// csvTable is a CSV file's header (column name → index) and its rows with
// their line numbers.
type csvTable struct {
	file  string
	cols  map[string]int
	rows  [][]string
	lines []int
}

// source opens the files a scenario names, relative to the scenario
// file's directory dir. A shipped scenario's relative paths are looked up
// in the embedded files first (scenarios/data/... is shipped with the
// scenarios), then, as for any scenario, in the file system (relative to
// the working directory, dir being "."), so `--set ...file=my.csv` on a
// shipped scenario still reads the user's file.
type source struct {
	dir     string
	shipped bool
}

// path is p as error messages name it: relative to dir.
func (src source) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(src.dir, p)
}

// open opens p (as named by the scenario). Only a regular file: a device
// or a pipe (/dev/zero, /dev/stdin) would never end.
func (src source) open(p string) (io.ReadCloser, error) {
	if src.shipped && !filepath.IsAbs(p) {
		if ep := path.Clean(filepath.ToSlash(p)); fs.ValidPath(ep) {
			if f, err := shippedFS.Open(ep); err == nil {
				if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
					return f, nil
				}
				f.Close()
			}
		}
	}
	f, err := os.Open(src.path(p))
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, errors.New("not a regular file")
	}
	return f, nil
}

// readCSV reads a CSV with a header row. Blank lines and lines starting
// with # are skipped. known lists the column names allowed.
func readCSV(src source, name, key string, known []string) (*csvTable, *Error) {
	path := src.path(name)
	f, err := src.open(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{File: path, Path: key, Msg: err.Error()}
	}
	defer f.Close()
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
		if err != nil {
			// FieldPos is only valid after a record was read: a parse
			// error gives its own line.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{File: path, Line: pe.Line, Path: key, Msg: "invalid CSV: " + pe.Err.Error()}
			}
			return nil, &Error{File: path, Path: key, Msg: "invalid CSV: " + err.Error()}
		}
		line, _ := r.FieldPos(0)
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
func coverageRows(src source, name, key string) ([]CoverageRow, *Error) {
	t, e := readCSV(src, name, key, []string{"coupling_loss_db", "rsrp_dbm", "cell"})
	if e != nil {
		return nil, e
	}
	path := t.file
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

// placementPoints reads a placement CSV: a header with x_m and y_m
// (metres in the sites' frame), or lat and lon (WGS84 degrees, projected
// on the scenario's frame: it needs origin or sites_file).
func placementPoints(s *Scenario, src source, name, key string) ([]Point, *Error) {
	t, e := readCSV(src, name, key, []string{"x_m", "y_m", "lat", "lon"})
	if e != nil {
		return nil, e
	}
	path := t.file
	_, hasX := t.cols["x_m"]
	_, hasY := t.cols["y_m"]
	_, hasLat := t.cols["lat"]
	_, hasLon := t.cols["lon"]
	const allowed = "x_m, y_m (metres in the sites' frame) or lat, lon (WGS84 degrees)"
	switch {
	case len(t.cols) == 2 && hasX && hasY:
		return xyPoints(t, key)
	case len(t.cols) == 2 && hasLat && hasLon:
	default:
		return nil, &Error{File: path, Line: 1, Path: key, Msg: "the header needs x_m and y_m, or lat and lon", Allowed: allowed}
	}
	f, ok := s.Frame()
	if !ok {
		return nil, &Error{File: path, Line: 1, Path: key, Msg: "lat/lon rows need a geographic anchor: give the scenario an origin (origin: {lat: ..., lon: ...}) or a sites_file", Allowed: allowed}
	}
	ll := make([]geo.LatLon, len(t.rows))
	for i := range t.rows {
		p, e := t.latLon(i, key)
		if e != nil {
			return nil, e
		}
		ll[i] = p
	}
	xy, ep := projectRows(f, ll, t, key)
	if ep != nil {
		return nil, ep
	}
	out := make([]Point, len(xy))
	for i, p := range xy {
		out[i] = Point{XM: p.X, YM: p.Y}
	}
	return out, nil
}

func xyPoints(t *csvTable, key string) ([]Point, *Error) {
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
func loadGroupFiles(s *Scenario, src source, file string, pos map[string]position) Errors {
	var errs Errors
	total := 0
	for _, name := range s.GroupNames() {
		g := s.Groups[name]
		p := "groups." + name
		total += g.Count
		rows := -1
		var at string
		if c := g.Coverage; c != nil && c.CSV != "" {
			key := p + ".coverage.coupling_loss_csv"
			r, e := coverageRows(src, c.CSV, key)
			if e != nil {
				errs = append(errs, e)
				continue
			}
			if e := checkCells(s, r, src.path(c.CSV), key); e != nil {
				errs = append(errs, e)
				continue
			}
			c.Rows, rows, at = r, len(r), key
		}
		if g.Placement.Shape == "csv" {
			key := p + ".placement.file"
			pts, e := placementPoints(s, src, g.Placement.File, key)
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
