package sweep

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/nbsim/nbsim/report"
)

// The tables Collect writes in the campaign directory.
const (
	FileCSV  = "sweep.csv"
	FileJSON = "sweep.json"
	DirPlots = "plots"
)

// Table is the campaign's result: one row per point.
type Table struct {
	Name   string       `json:"campaign"`
	Axes   []string     `json:"axes"`
	KPIs   []string     `json:"kpis"`
	Seeds  []uint64     `json:"seeds"`
	Points []PointStats `json:"points"`
}

// PointStats is a point's KPIs over its seeds.
type PointStats struct {
	Point  int               `json:"point"`
	Params map[string]string `json:"params"`
	params []Param           // in axis order
	Runs   int               `json:"runs"`   // stored runs (ok and failed)
	OK     int               `json:"ok"`     // runs with status ok
	Failed int               `json:"failed"` // runs with status failed
	Errors []string          `json:"errors"` // the failed runs' errors (first line), by seed
	KPIs   map[string]Stats  `json:"kpis"`
}

// Stats is a KPI over a point's ok runs: the mean, the sample standard
// deviation and the 95 % confidence interval of the mean (Student's t with
// n−1 degrees of freedom). Undefined values (no run; sd and interval of one
// run) are null.
type Stats struct {
	N      int      `json:"n"`
	Mean   *float64 `json:"mean"`
	SD     *float64 `json:"sd"`
	CILow  *float64 `json:"ci95_low"`
	CIHigh *float64 `json:"ci95_high"`
}

// NewStats computes the statistics of xs.
func NewStats(xs []float64) Stats {
	s := Stats{N: len(xs)}
	if len(xs) == 0 {
		return s
	}
	if len(xs) < 2 {
		m := xs[0]
		s.Mean = &m
		return s
	}
	m, sd, lo, hi := report.MeanInterval(xs, 0.95)
	s.Mean, s.SD, s.CILow, s.CIHigh = &m, &sd, &lo, &hi
	return s
}

// findDBs lists the campaign databases in dir: sweep.db and the shards'.
func findDBs(dir string) ([]string, error) {
	shards, err := filepath.Glob(filepath.Join(dir, "sweep-*-of-*.db"))
	if err != nil {
		return nil, err
	}
	var out []string
	if fileExists(filepath.Join(dir, "sweep.db")) {
		out = append(out, filepath.Join(dir, "sweep.db"))
	}
	return append(out, shards...), nil
}

// Collect merges the shard databases of dir into dir/sweep.db (a run
// already there with status ok is kept), then builds the tables from it and
// writes sweep.csv, sweep.json and the plots.
func Collect(dir string) (*Table, error) {
	paths, err := findDBs(dir)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: %w", dir, errNoDB)
	}
	main, err := OpenDB(filepath.Join(dir, "sweep.db"))
	if err != nil {
		return nil, err
	}
	defer main.Close()
	if err := merge(main, paths); err != nil {
		return nil, err
	}
	t, err := main.Table()
	if err != nil {
		return nil, err
	}
	return t, t.Write(dir)
}

// merge copies the runs of the databases at paths into main, after checking
// that they are of one campaign (the same definition).
func merge(main *DB, paths []string) error {
	meta, err := main.Campaign()
	if err != nil {
		return err
	}
	var points []StoredPoint
	from := main.Path
	for _, p := range paths {
		if p == main.Path {
			continue
		}
		db, err := OpenDB(p)
		if err != nil {
			return err
		}
		m, err := db.Campaign()
		if err == nil && meta["definition"] != "" && m["definition"] != meta["definition"] {
			err = fmt.Errorf("%s and %s are of different campaigns (points, seeds or KPIs differ): collect one campaign's databases", from, p)
		}
		if err == nil && meta["definition"] == "" {
			meta, from = m, p
			var axes []string
			axes, err = metaAxes(m)
			if err == nil {
				points, err = db.Points(axes)
			}
		}
		if err == nil {
			err = copyRuns(main, db)
		}
		db.Close()
		if err != nil {
			return err
		}
	}
	if points != nil {
		return main.SetCampaign(meta, points)
	}
	return nil
}

func copyRuns(to, from *DB) error {
	done, err := to.Done()
	if err != nil {
		return err
	}
	rows, err := from.Rows()
	if err != nil {
		return fmt.Errorf("%s: %w", from.Path, err)
	}
	for _, r := range rows {
		if done[r.Hash][r.Seed] {
			continue
		}
		if err := to.Put(r); err != nil {
			return fmt.Errorf("%s: %w", to.Path, err)
		}
	}
	return nil
}

func metaAxes(meta map[string]string) ([]string, error) {
	var axes []struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal([]byte(meta["axes"]), &axes); err != nil {
		return nil, fmt.Errorf("campaign axes: %w", err)
	}
	out := make([]string, len(axes))
	for i, a := range axes {
		out[i] = a.Key
	}
	return out, nil
}

// Table builds the campaign's table from the database: its points (points
// table), and for each the ok runs' KPIs in seed order.
func (d *DB) Table() (*Table, error) {
	meta, err := d.Campaign()
	if err != nil {
		return nil, err
	}
	if meta["definition"] == "" {
		return nil, fmt.Errorf("%s: no campaign in the database", d.Path)
	}
	t := &Table{Name: meta["name"]}
	if t.Axes, err = metaAxes(meta); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(meta["kpis"]), &t.KPIs); err != nil {
		return nil, fmt.Errorf("campaign kpis: %w", err)
	}
	if err := json.Unmarshal([]byte(meta["seeds"]), &t.Seeds); err != nil {
		return nil, fmt.Errorf("campaign seeds: %w", err)
	}
	points, err := d.Points(t.Axes)
	if err != nil {
		return nil, err
	}
	rows, err := d.Rows()
	if err != nil {
		return nil, err
	}
	byHash := map[string][]*Row{}
	for _, r := range rows {
		byHash[r.Hash] = append(byHash[r.Hash], r) // in seed order
	}
	for _, p := range points {
		t.Points = append(t.Points, pointStats(p, byHash[p.Hash], t.KPIs))
	}
	return t, nil
}

func pointStats(p StoredPoint, rows []*Row, names []string) PointStats {
	ps := PointStats{Point: p.Index, Params: paramMap(p.Params), params: p.Params, Errors: []string{}, KPIs: map[string]Stats{}}
	vals := make([][]float64, len(names))
	for _, r := range rows {
		ps.Runs++
		if r.Status != StatusOK {
			ps.Failed++
			ps.Errors = append(ps.Errors, fmt.Sprintf("seed %d: %s", r.Seed, errorLine(r.Error)))
			continue
		}
		ps.OK++
		for _, k := range r.KPIs {
			if i := slices.Index(names, k.Name); i >= 0 && k.Value != nil {
				vals[i] = append(vals[i], *k.Value)
			}
		}
	}
	for i, n := range names {
		ps.KPIs[n] = NewStats(vals[i])
	}
	return ps
}

// CSV renders the table: point, the axes, runs, ok, failed, then for each
// KPI its mean, sd, ci95_low and ci95_high (empty where undefined), and
// the first error of the point's failed runs.
func (t *Table) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := append([]string{"point"}, t.Axes...)
	head = append(head, "runs", "ok", "failed")
	for _, k := range t.KPIs {
		head = append(head, k+"_mean", k+"_sd", k+"_ci95_low", k+"_ci95_high")
	}
	_ = w.Write(append(head, "first_error"))
	f := func(x *float64) string {
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'g', -1, 64)
	}
	for _, p := range t.Points {
		rec := []string{strconv.Itoa(p.Point)}
		for _, a := range t.Axes {
			rec = append(rec, p.Params[a])
		}
		rec = append(rec, strconv.Itoa(p.Runs), strconv.Itoa(p.OK), strconv.Itoa(p.Failed))
		for _, k := range t.KPIs {
			s := p.KPIs[k]
			rec = append(rec, f(s.Mean), f(s.SD), f(s.CILow), f(s.CIHigh))
		}
		first := ""
		if len(p.Errors) > 0 {
			first = p.Errors[0]
		}
		_ = w.Write(append(rec, first))
	}
	w.Flush()
	return b.Bytes()
}

// JSON renders the table as sweep.json.
func (t *Table) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Write writes sweep.csv, sweep.json, the plots and report.html (the
// table and plots on one page) into dir, each file atomically.
func (t *Table) Write(dir string) error {
	js, err := t.JSON()
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, FileCSV), t.CSV()); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, FileJSON), js); err != nil {
		return err
	}
	plots, err := t.Plots()
	if err != nil {
		return err
	}
	if len(plots) > 0 {
		if err := os.MkdirAll(filepath.Join(dir, DirPlots), 0o777); err != nil {
			return err
		}
	}
	for _, p := range plots {
		if err := writeFile(filepath.Join(dir, DirPlots, p.Name), p.PNG); err != nil {
			return err
		}
	}
	page, err := t.HTML(plots)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, FileHTML), page)
}

// writeFile writes data to path through a temporary file renamed over it.
func writeFile(path string, data []byte) error {
	f, err := report.CreateTemp(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}
