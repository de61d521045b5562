package sweep

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/nbsim/nbsim/internal/version"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// Options tune a campaign run.
type Options struct {
	// Jobs is the number of runs at once (≤ 0: runtime.NumCPU()).
	Jobs int
	// Shard and Shards: run only shard Shard (0-based) of Shards into its
	// own database (ShardDB). Shards ≤ 1 runs everything into sweep.db.
	Shard, Shards int
	// Progress, if set, shows one progress bar for the campaign.
	Progress io.Writer

	// hook, if set (tests), runs before each simulation; an error fails
	// the run as a simulation error would.
	hook func(Task) error
}

// Summary tells what a campaign run did.
type Summary struct {
	Tasks   int // runs of this shard
	Skipped int // already done (status ok in the database)
	OK      int
	Failed  int
	DB      string // the database written
}

// DBName is the database file of shard i of n (sweep.db for n ≤ 1).
func DBName(shard, shards int) string {
	if shards <= 1 {
		return "sweep.db"
	}
	return fmt.Sprintf("sweep-%d-of-%d.db", shard, shards)
}

// Version returns nbsim's module version and VCS commit (internal/version:
// "(devel)" and "unknown" where the build carries none; a commit of a
// modified tree ends in "+modified").
func Version() (string, string) {
	in := version.Get()
	commit := in.Commit
	switch {
	case commit == "":
		commit = "unknown"
	case in.Modified:
		commit += "+modified"
	}
	return in.Version, commit
}

// meta is the campaign table of the database.
func (p *Plan) meta() map[string]string {
	c := p.Campaign
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	type axis struct {
		Key    string   `json:"key"`
		Values []string `json:"values"`
	}
	axes := make([]axis, len(c.Axes))
	for i, a := range c.Axes {
		axes[i] = axis{a.Key, a.Values}
	}
	return map[string]string{
		"name": c.Name, "description": c.Description, "file": c.File, "scenario": c.Scenario,
		"mode": c.Mode, "duration": c.Duration, "seeds": js(c.Seeds), "set": js(c.Sets),
		"axes": js(axes), "kpis": js(c.KPIs), "definition": p.Definition(),
	}
}

func (p *Plan) stored() []StoredPoint {
	out := make([]StoredPoint, len(p.Points))
	for i, pt := range p.Points {
		out[i] = StoredPoint{Index: pt.Index, Hash: pt.Hash, Params: pt.Params}
	}
	return out
}

// Definition identifies what the campaign computes: a sha256 over its points'
// scenario hashes, seeds and KPIs. Shards of one campaign share it.
func (p *Plan) Definition() string {
	h := sha256.New()
	for _, pt := range p.Points {
		fmt.Fprintln(h, pt.Hash)
	}
	fmt.Fprintln(h, p.Campaign.Seeds, p.Campaign.KPIs)
	return hex.EncodeToString(h.Sum(nil))
}

// Run runs the plan's runs (of one shard) that the campaign directory's
// database does not hold as done, Jobs at a time, and stores each in the
// database as it ends: its results.json first (written atomically), then
// its row (one transaction). A run that fails is stored as failed with its
// error and the campaign goes on. When ctx is cancelled the runs under way
// stop and are not stored; Run returns ctx's error. The tables (sweep.csv,
// sweep.json, plots) are Collect's.
func Run(ctx context.Context, p *Plan, dir string, opt Options) (Summary, error) {
	if err := os.MkdirAll(filepath.Join(dir, "runs"), 0o777); err != nil {
		return Summary{}, err
	}
	db, err := OpenDB(filepath.Join(dir, DBName(opt.Shard, opt.Shards)))
	if err != nil {
		return Summary{}, err
	}
	defer db.Close()
	sum := Summary{DB: db.Path}
	if err := db.SetCampaign(p.meta(), p.stored()); err != nil {
		return sum, fmt.Errorf("%s: %w", db.Path, err)
	}
	done, err := db.Done()
	if err != nil {
		return sum, fmt.Errorf("%s: %w", db.Path, err)
	}
	var todo []Task
	for _, t := range p.Tasks(opt.Shard, opt.Shards) {
		sum.Tasks++
		if done[t.Point.Hash][t.Seed] {
			sum.Skipped++
			continue
		}
		todo = append(todo, t)
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	var bar *progressbar.ProgressBar
	if opt.Progress != nil && len(todo) > 0 {
		bar = progressbar.NewOptions(len(todo), progressbar.OptionSetWriter(opt.Progress),
			progressbar.OptionSetDescription("sweep "+p.Campaign.Name), progressbar.OptionShowCount(),
			progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionClearOnFinish())
	}
	tasks := make(chan Task)
	rows := make(chan *Row)
	var wg sync.WaitGroup
	for range min(jobs, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range tasks {
				if r := runTask(ctx, p.Campaign, t, dir, opt.hook); r != nil {
					rows <- r
				}
			}
		}()
	}
	go func() {
		defer close(tasks)
		for _, t := range todo {
			select {
			case tasks <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(rows) }()
	var putErr error
	for r := range rows {
		if putErr != nil {
			continue // drain: the workers stop at the next task
		}
		if putErr = db.Put(r); putErr != nil {
			putErr = fmt.Errorf("%s: %w", db.Path, putErr)
			continue
		}
		if r.Status == StatusOK {
			sum.OK++
		} else {
			sum.Failed++
		}
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if putErr != nil {
		return sum, putErr
	}
	return sum, ctx.Err()
}

// runTask simulates one run and writes its results.json. It returns the row
// to store, or nil when ctx stopped the run.
func runTask(ctx context.Context, c *Campaign, t Task, dir string, hook func(Task) error) *Row {
	if ctx.Err() != nil {
		return nil
	}
	version, commit := Version()
	row := &Row{Hash: t.Point.Hash, Seed: t.Seed, Point: t.Point.Index, Params: t.Point.Params,
		Version: version, Commit: commit, Status: StatusFailed}
	start := time.Now()
	stopped := fill(ctx, row, c, t, dir, hook)
	row.WallS = time.Since(start).Seconds()
	row.Finished = time.Now().UTC().Format(time.RFC3339)
	if stopped {
		return nil
	}
	return row
}

// fill runs the task into row; it reports whether ctx stopped the run. A
// panic of the model fails the run with its message.
func fill(ctx context.Context, row *Row, c *Campaign, t Task, dir string, hook func(Task) error) (stopped bool) {
	defer func() {
		if v := recover(); v != nil {
			row.Error = fmt.Sprintf("panic: %v", v)
			row.Status = StatusFailed
			stopped = false
		}
	}()
	res, out, err := simulate(ctx, c, t, hook)
	if ctx.Err() != nil {
		return true
	}
	if err != nil {
		row.Error = err.Error()
		return false
	}
	ok := true
	for _, e := range res.Expectations {
		ok = ok && e.OK
	}
	row.ExpectOK = &ok
	row.KPIs = kpis(res, c.KPIs)
	rel := filepath.ToSlash(filepath.Join(t.RunDir(), report.FileResults))
	if err := writeMergeable(filepath.Join(dir, t.RunDir()), out); err != nil {
		row.Error = err.Error()
		return false
	}
	if err := writeResults(filepath.Join(dir, rel), res); err != nil {
		row.Error = err.Error()
		return false
	}
	row.Results = rel
	row.Status = StatusOK
	return false
}

// mergeable is what a run writes beside its results.json so that nbsim
// merge can pool a point's seeds as replications: timeseries.csv and
// merge.json, as nbsim run --out writes them.
type mergeable struct {
	series []byte
	state  []byte
}

// simulate builds and runs the task's scenario.
func simulate(ctx context.Context, c *Campaign, t Task, hook func(Task) error) (*report.Results, *mergeable, error) {
	sc, err := t.Scenario(c)
	if err != nil {
		return nil, nil, err
	}
	if hook != nil {
		if err := hook(t); err != nil {
			return nil, nil, err
		}
	}
	start := time.Now()
	net, err := model.Build(sc, sc.Seed)
	if err != nil {
		return nil, nil, err
	}
	o, err := net.Run(ctx, model.Options{})
	if err != nil {
		return nil, nil, err
	}
	res := o.Results
	wall := time.Since(start).Seconds()
	res.SetPerf(net.Events(), wall)
	if res.Expectations, err = report.Evaluate(res, sc.Expect); err != nil {
		return nil, nil, fmt.Errorf("expect: %w", err)
	}
	out, err := mergeableOf(sc, o)
	return res, out, err
}

// mergeableOf renders a run's timeseries.csv and merge.json.
func mergeableOf(sc *scenarios.Scenario, o *model.Output) (*mergeable, error) {
	var ts bytes.Buffer
	if err := report.TimeSeriesCSV(&ts, o.Series); err != nil {
		return nil, err
	}
	st, err := model.MergeState(sc, o.State, version.Get().String())
	if err != nil || st == nil {
		return nil, err
	}
	b, err := report.MarshalState(st)
	if err != nil {
		return nil, err
	}
	return &mergeable{series: ts.Bytes(), state: b}, nil
}

// writeMergeable writes a run's timeseries.csv and merge.json into its
// directory, each atomically; results.json, written after them, marks the
// run complete.
func writeMergeable(runDir string, m *mergeable) error {
	if m == nil {
		return nil
	}
	if err := os.MkdirAll(runDir, 0o777); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(runDir, report.FileTimeSeries), m.series); err != nil {
		return err
	}
	return writeFile(filepath.Join(runDir, report.FileMergeState), m.state)
}

// kpis reads the campaign's KPIs from a run's results; a path that does not
// exist there (a cell the network does not have) is nil.
func kpis(res *report.Results, names []string) []KPIValue {
	out := make([]KPIValue, len(names))
	vals, errs, err := report.Values(res, names)
	for i, n := range names {
		out[i].Name = n
		if err == nil && errs[i] == nil {
			out[i].Value = &vals[i]
		}
	}
	return out
}

// writeResults writes results.json atomically.
func writeResults(path string, res *report.Results) error {
	b, err := report.Marshal(res)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	return writeFile(path, b)
}

// errorLine is the first line of an error, for tables.
func errorLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

var errNoDB = errors.New("no campaign database (sweep.db or sweep-I-of-N.db)")
