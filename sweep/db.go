package sweep

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver "sqlite"
)

// The database of a campaign (docs/planning.md has the schema with each
// column's meaning). One row of runs per (scenario_hash, seed); params and
// kpis hold a run's values one per row, for SQL joins; runs.params is the
// same as a JSON object, for pandas.
const schema = `
CREATE TABLE IF NOT EXISTS campaign (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS points (
	point         INTEGER PRIMARY KEY,
	scenario_hash TEXT NOT NULL UNIQUE,
	label         TEXT NOT NULL,
	params        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
	run_id        INTEGER PRIMARY KEY,
	scenario_hash TEXT NOT NULL,
	seed          INTEGER NOT NULL,
	point         INTEGER NOT NULL,
	params        TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
	error         TEXT,
	expect_ok     INTEGER,
	wall_s        REAL NOT NULL,
	nbsim_version TEXT NOT NULL,
	nbsim_commit  TEXT NOT NULL,
	finished_utc  TEXT NOT NULL,
	results       TEXT,
	UNIQUE (scenario_hash, seed)
);
CREATE TABLE IF NOT EXISTS params (
	run_id INTEGER NOT NULL,
	key    TEXT NOT NULL,
	value  TEXT NOT NULL,
	num    REAL,
	PRIMARY KEY (run_id, key)
);
CREATE TABLE IF NOT EXISTS kpis (
	run_id INTEGER NOT NULL,
	name   TEXT NOT NULL,
	value  REAL,
	PRIMARY KEY (run_id, name)
);
`

// Row is one run as stored.
type Row struct {
	Hash     string
	Seed     uint64
	Point    int
	Params   []Param
	Status   string // "ok" or "failed"
	Error    string
	ExpectOK *bool // every expect: of the scenario held; nil for a failed run
	WallS    float64
	Version  string
	Commit   string
	Finished string // UTC, RFC 3339
	Results  string // results.json relative to the campaign directory
	KPIs     []KPIValue
}

// KPIValue is one KPI of a run; Value is nil where the path does not
// exist in the run's results.
type KPIValue struct {
	Name  string
	Value *float64
}

// The statuses of a run.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// DB is a campaign database.
type DB struct {
	db   *sql.DB
	Path string
}

// OpenDB opens (creating it if needed) the database at path in WAL mode
// with full synchronisation: each committed row is on disk, and a process
// killed at any moment leaves a database SQLite recovers on the next open.
func OpenDB(path string) (*DB, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &DB{db: db, Path: path}, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// IntegrityCheck runs PRAGMA integrity_check and returns its answer ("ok").
func (d *DB) IntegrityCheck() (string, error) {
	var s string
	err := d.db.QueryRow("PRAGMA integrity_check").Scan(&s)
	return s, err
}

// SetCampaign replaces the campaign's description and its points, in one
// transaction.
func (d *DB) SetCampaign(meta map[string]string, points []StoredPoint) error {
	tx, err := d.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("DELETE FROM campaign; DELETE FROM points"); err != nil {
		return err
	}
	for k, v := range meta {
		if _, err := tx.Exec("INSERT INTO campaign (key, value) VALUES (?, ?)", k, v); err != nil {
			return err
		}
	}
	for _, p := range points {
		params, _ := json.Marshal(paramMap(p.Params))
		label := Point{Params: p.Params}.Label()
		if _, err := tx.Exec("INSERT INTO points (point, scenario_hash, label, params) VALUES (?, ?, ?, ?)", p.Index, p.Hash, label, string(params)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Campaign returns the campaign table as a map.
func (d *DB) Campaign() (map[string]string, error) {
	rows, err := d.db.Query("SELECT key, value FROM campaign")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// StoredPoint is a row of the points table.
type StoredPoint struct {
	Index  int
	Hash   string
	Params []Param
}

// Points returns the points table in point order, with each point's
// parameters in the campaign's axis order (axes).
func (d *DB) Points(axes []string) ([]StoredPoint, error) {
	rows, err := d.db.Query("SELECT point, scenario_hash, params FROM points ORDER BY point")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredPoint
	for rows.Next() {
		var p StoredPoint
		var params string
		if err := rows.Scan(&p.Index, &p.Hash, &params); err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal([]byte(params), &m); err != nil {
			return nil, fmt.Errorf("%s: point %d: params: %w", d.Path, p.Index, err)
		}
		for _, a := range axes {
			p.Params = append(p.Params, Param{a, m[a]})
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Done returns the runs stored with status ok, as hash → seeds.
func (d *DB) Done() (map[string]map[uint64]bool, error) {
	rows, err := d.db.Query("SELECT scenario_hash, seed FROM runs WHERE status = 'ok'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[uint64]bool{}
	for rows.Next() {
		var h string
		var s int64
		if err := rows.Scan(&h, &s); err != nil {
			return nil, err
		}
		if out[h] == nil {
			out[h] = map[uint64]bool{}
		}
		out[h][uint64(s)] = true
	}
	return out, rows.Err()
}

func paramMap(ps []Param) map[string]string {
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.Key] = p.Value
	}
	return m
}

// Put stores a run in one transaction, replacing the row of the same
// (scenario_hash, seed) if there is one.
func (d *DB) Put(r *Row) error {
	tx, err := d.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var old int64
	switch err := tx.QueryRow("SELECT run_id FROM runs WHERE scenario_hash = ? AND seed = ?", r.Hash, int64(r.Seed)).Scan(&old); {
	case err == nil:
		for _, t := range []string{"params", "kpis", "runs"} {
			if _, err := tx.Exec("DELETE FROM "+t+" WHERE run_id = ?", old); err != nil {
				return err
			}
		}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	params, _ := json.Marshal(paramMap(r.Params))
	var expectOK, errText, results any
	if r.ExpectOK != nil {
		expectOK = *r.ExpectOK
	}
	if r.Error != "" {
		errText = r.Error
	}
	if r.Results != "" {
		results = r.Results
	}
	res, err := tx.Exec(`INSERT INTO runs (scenario_hash, seed, point, params, status, error, expect_ok, wall_s,
		nbsim_version, nbsim_commit, finished_utc, results) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Hash, int64(r.Seed), r.Point, string(params), r.Status, errText, expectOK, r.WallS,
		r.Version, r.Commit, r.Finished, results)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for _, p := range r.Params {
		var n any
		if f, err := strconv.ParseFloat(p.Value, 64); err == nil {
			n = f
		}
		if _, err := tx.Exec("INSERT INTO params (run_id, key, value, num) VALUES (?, ?, ?, ?)", id, p.Key, p.Value, n); err != nil {
			return err
		}
	}
	for _, k := range r.KPIs {
		var v any
		if k.Value != nil {
			v = *k.Value
		}
		if _, err := tx.Exec("INSERT INTO kpis (run_id, name, value) VALUES (?, ?, ?)", id, k.Name, v); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Rows returns every run, ordered by scenario_hash and seed.
func (d *DB) Rows() ([]*Row, error) {
	rows, err := d.db.Query(`SELECT run_id, scenario_hash, seed, point, params, status, COALESCE(error, ''), expect_ok, wall_s,
		nbsim_version, nbsim_commit, finished_utc, COALESCE(results, '') FROM runs ORDER BY scenario_hash, seed`)
	if err != nil {
		return nil, err
	}
	var out []*Row
	ids := map[int64]*Row{}
	for rows.Next() {
		r := &Row{}
		var id, seed int64
		var params string
		var expectOK sql.NullBool
		if err := rows.Scan(&id, &r.Hash, &seed, &r.Point, &params, &r.Status, &r.Error, &expectOK, &r.WallS,
			&r.Version, &r.Commit, &r.Finished, &r.Results); err != nil {
			rows.Close()
			return nil, err
		}
		r.Seed = uint64(seed)
		if expectOK.Valid {
			r.ExpectOK = &expectOK.Bool
		}
		m := map[string]string{}
		_ = json.Unmarshal([]byte(params), &m)
		for _, k := range slices.Sorted(maps.Keys(m)) {
			r.Params = append(r.Params, Param{k, m[k]})
		}
		out = append(out, r)
		ids[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	kr, err := d.db.Query("SELECT run_id, name, value FROM kpis ORDER BY run_id, rowid")
	if err != nil {
		return nil, err
	}
	defer kr.Close()
	for kr.Next() {
		var id int64
		var k KPIValue
		var v sql.NullFloat64
		if err := kr.Scan(&id, &k.Name, &v); err != nil {
			return nil, err
		}
		if v.Valid {
			k.Value = &v.Float64
		}
		if r := ids[id]; r != nil {
			r.KPIs = append(r.KPIs, k)
		}
	}
	return out, kr.Err()
}
