package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// The files WriteDir writes, in this order.
const (
	FileResults          = "results.json"
	FileTimeSeries       = "timeseries.csv"
	FileAccessDelayCDF   = "access_delay_cdf.png"
	FileRandomAccessLoad = "random_access_load.png"
	FileBatteryLifeHist  = "battery_life_hist.png"
	FileResourceUtil     = "resource_utilisation.png"
	FileReportHTML       = "report.html"
)

// Files returns the names of the files WriteDir writes.
func Files() []string {
	return []string{FileResults, FileTimeSeries, FileAccessDelayCDF, FileRandomAccessLoad, FileBatteryLifeHist, FileResourceUtil, FileReportHTML}
}

// Outputs is what WriteDir writes: the results, and what the files beside
// results.json are drawn from. Series and Samples may be nil (empty table,
// plots saying "no data"); Scenario is the scenario as run, in YAML (after
// --set), shown in report.html (nil: not shown).
type Outputs struct {
	Results  *Results
	Series   *TimeSeries
	Samples  *Samples
	Scenario []byte
	// State, if set, is written as merge.json (what nbsim merge reads).
	State *State
}

// TimeSeriesHeader is the header line of timeseries.csv up to the
// resource columns (TimeSeries.Header).
const TimeSeriesHeader = "minute,arrivals,preambles,collisions,successes,failures,connected"

type outFile struct {
	name string
	data []byte
}

// WriteDir writes the outputs of a run into dir: results.json (Marshal),
// timeseries.csv (TimeSeriesCSV), the plots access_delay_cdf.png,
// random_access_load.png, battery_life_hist.png and
// resource_utilisation.png, merge.json when o.State is set, and
// report.html (HTML: all of it on one self-contained page).
//
// It is all or nothing, whenever the process is stopped (even by SIGKILL):
// dir holds either its previous content or the complete new set. Everything
// is rendered in memory, written and flushed to disk in a hidden staging
// directory beside dir (".nbsim-out-<name>-<pid>-<random>", see
// CleanStale), then put in place in one step: a new dir is renamed into
// place; an existing dir is exchanged with the staging directory
// (renameat2 RENAME_EXCHANGE) and the previous content removed. Where the
// exchange is not available (not Linux, or a file system without it) the
// existing dir is renamed aside first (".nbsim-old-..."); a kill between
// the two renames leaves no dir, and the next run renames the previous one
// back (CleanStale). Regular files and symbolic links of an existing dir
// that are not outputs are carried over (hard links, copies of the links);
// a dir holding a subdirectory is refused (CheckDir says so before a run).
// Missing parents of a new dir are created first (and removed again on
// error, not after a kill). On error nothing half-written remains and the
// error starts with "--out DIR: ".
func WriteDir(dir string, o Outputs) error {
	if dir == "" {
		return errors.New("--out: empty directory name")
	}
	outErr := func(format string, a ...any) error {
		return fmt.Errorf("--out %s: "+format, append([]any{dir}, a...)...)
	}
	files, err := render(o)
	if err != nil {
		return outErr("%w", err)
	}
	return writeFiles(dir, files, outErr)
}

// File is one file of an output directory: its name and its bytes.
type File struct {
	Name string
	Data []byte
}

// WriteFiles puts files into dir with WriteDir's guarantees (all or
// nothing, even under SIGKILL; other files of dir carried over; a
// subdirectory refused; errors start with "--out DIR: "): for the outputs
// of commands other than run (nbsim capacity's).
func WriteFiles(dir string, files []File) error {
	if dir == "" {
		return errors.New("--out: empty directory name")
	}
	outErr := func(format string, a ...any) error {
		return fmt.Errorf("--out %s: "+format, append([]any{dir}, a...)...)
	}
	of := make([]outFile, len(files))
	for i, f := range files {
		if f.Name == "" || f.Name != filepath.Base(f.Name) || strings.HasPrefix(f.Name, ".") {
			return outErr("bad file name %q", f.Name)
		}
		of[i] = outFile{f.Name, f.Data}
	}
	return writeFiles(dir, of, outErr)
}

func writeFiles(dir string, files []outFile, outErr func(string, ...any) error) error {
	clean := filepath.Clean(dir)
	info, err := os.Stat(clean)
	switch {
	case err == nil && !info.IsDir():
		return outErr("exists and is not a directory")
	case err == nil:
		return replaceDir(clean, files, outErr)
	case errors.Is(err, fs.ErrNotExist):
		return createDir(clean, files, outErr)
	default: // e.g. a parent is a regular file: name it
		if _, aerr := existingAncestor(clean); aerr != nil {
			return outErr("%w", aerr)
		}
		return outErr("%w", err)
	}
}

// render produces the bytes of every output file.
func render(o Outputs) ([]outFile, error) {
	r, ts, s := o.Results, o.Series, o.Samples
	if r == nil {
		return nil, errors.New("no results")
	}
	if s == nil {
		s = &Samples{}
	}
	js, err := Marshal(r)
	if err != nil {
		return nil, err
	}
	csv := appendTimeSeriesCSV(nil, ts) // in place: a year of minutes is 40 MB
	cdf, err := AccessDelayCDFPNG(s.AccessDelaysMs, r.KPI.AccessSuccesses)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileAccessDelayCDF, err)
	}
	load, err := RandomAccessLoadPNG(ts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileRandomAccessLoad, err)
	}
	hist, err := BatteryLifeHistPNG(s.BatteryYears)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileBatteryLifeHist, err)
	}
	util, err := ResourceUtilisationPNG(ts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileResourceUtil, err)
	}
	files := []outFile{
		{FileResults, js},
		{FileTimeSeries, csv},
		{FileAccessDelayCDF, cdf},
		{FileRandomAccessLoad, load},
		{FileBatteryLifeHist, hist},
		{FileResourceUtil, util},
	}
	var plots []HTMLPlot
	for _, f := range files[2:] {
		plots = append(plots, HTMLPlot{Name: f.name, PNG: f.data})
	}
	if s.Geo != nil {
		gf, err := renderGeo(r, s.Geo)
		if err != nil {
			return nil, err
		}
		files = append(files, gf...)
		for _, f := range gf {
			if f.name == FileCoverageMap {
				plots = append(plots, HTMLPlot{Name: f.name, PNG: f.data})
			}
		}
	}
	if o.State != nil {
		st, err := MarshalState(o.State)
		if err != nil {
			return nil, err
		}
		files = append(files, outFile{FileMergeState, st})
	}
	page, err := HTML(HTMLInput{Results: r, Scenario: o.Scenario, Plots: plots})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileReportHTML, err)
	}
	return append(files, outFile{FileReportHTML, page}), nil
}

// renderGeo produces the geographic files.
func renderGeo(r *Results, compute func() (*Geo, error)) ([]outFile, error) {
	g, err := compute()
	if err != nil {
		return nil, fmt.Errorf("geographic outputs: %w", err)
	}
	cells, err := CellsGeoJSON(g, r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileCellsGeoJSON, err)
	}
	devs, err := DevicesGeoJSON(g)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileDevicesGeoJSON, err)
	}
	cov, err := CoverageMapPNG(g)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileCoverageMap, err)
	}
	return []outFile{{FileCellsGeoJSON, cells}, {FileDevicesGeoJSON, devs}, {FileCoverageMap, cov}}, nil
}

// TimeSeriesCSV writes ts as CSV: the ts.Header() line, then one line per
// row (resource utilisations with 4 decimals). A nil ts gives the
// TimeSeriesHeader line only.
func TimeSeriesCSV(w io.Writer, ts *TimeSeries) error {
	_, err := w.Write(appendTimeSeriesCSV(nil, ts))
	return err
}

// appendTimeSeriesCSV appends TimeSeriesCSV's bytes to b.
func appendTimeSeriesCSV(b []byte, ts *TimeSeries) []byte {
	if ts != nil && b == nil { // about the size it will have: one allocation
		b = make([]byte, 0, len(TimeSeriesHeader)+len(ts.Rows)*(32+8*len(ts.Resources)))
	}
	b = append(b, ts.Header()+"\n"...)
	if ts != nil {
		for _, row := range ts.Rows {
			b = strconv.AppendInt(b, int64(row.Minute), 10)
			for _, v := range []int64{row.Arrivals, row.Preambles, row.Collisions, row.Successes, row.Failures, row.Connected} {
				b = append(b, ',')
				b = strconv.AppendInt(b, v, 10)
			}
			if len(ts.Resources) > 0 {
				lim := row.Limit
				if lim == "" {
					lim = ResNone
				}
				b = append(append(b, ','), lim...)
				for i := range ts.Resources {
					v := 0.0
					if i < len(row.Utilisation) {
						v = row.Utilisation[i]
					}
					b = strconv.AppendFloat(append(b, ','), v, 'f', 4, 64)
				}
			}
			b = append(b, '\n')
		}
	}
	return b
}

// existingAncestor returns the nearest existing ancestor of path, which
// must be a directory.
func existingAncestor(path string) (string, error) {
	p := path
	for {
		parent := filepath.Dir(p)
		if parent == p {
			return "", fmt.Errorf("no existing ancestor directory")
		}
		p = parent
		info, err := os.Stat(p)
		if err == nil {
			if !info.IsDir() {
				return "", fmt.Errorf("%s is not a directory", p)
			}
			return p, nil
		}
		// Climb past what does not exist, and past ENOTDIR to name the
		// regular file in the way; stop at anything else (EACCES...).
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return "", err
		}
	}
}

// stage creates a staging directory for dir (named after dir's base name)
// in parent, locked, and writes files into it, flushed to disk. It returns
// the directory and its lock's release.
func stage(parent, name string, files []outFile) (string, func(), error) {
	var staging string
	for range 100 {
		staging = filepath.Join(parent, tempName(kindOut, name))
		err := os.Mkdir(staging, 0o700)
		if errors.Is(err, fs.ErrExist) {
			staging = ""
			continue
		}
		if err != nil {
			return "", nil, fmt.Errorf("cannot create files in %s: %w", parent, err)
		}
		break
	}
	if staging == "" {
		return "", nil, fmt.Errorf("cannot create a staging directory in %s", parent)
	}
	unlock := lockPath(staging)
	for _, f := range files {
		if err := writeFile(filepath.Join(staging, f.name), f.data); err != nil {
			unlock()
			os.RemoveAll(staging)
			return "", nil, err
		}
	}
	return staging, unlock, nil
}

func writeFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// createDir writes files into the new directory dir.
func createDir(dir string, files []outFile, outErr func(string, ...any) error) error {
	anc, err := existingAncestor(dir)
	if err != nil {
		return outErr("%w", err)
	}
	if err := writable(anc); err != nil {
		return outErr("cannot write in %s: %w", anc, err)
	}
	// Create the missing parents of dir (they do not exist: anc is the
	// nearest existing ancestor); a failure removes them again, deepest
	// first, and only while empty.
	parent := filepath.Dir(dir)
	var created []string
	for p := parent; p != anc; p = filepath.Dir(p) {
		created = append(created, p)
	}
	undoParents := func() {
		for _, p := range created {
			os.Remove(p)
		}
	}
	if len(created) > 0 {
		if err := os.MkdirAll(created[0], 0o755); err != nil {
			undoParents()
			return outErr("%w", err)
		}
	}
	_ = CleanStale(parent) // best effort
	if _, err := os.Stat(dir); err == nil {
		// CleanStale put back the output a killed run had moved aside.
		return replaceDir(dir, files, outErr)
	}
	staging, unlock, err := stage(parent, filepath.Base(dir), files)
	if err != nil {
		undoParents()
		return outErr("%w", err)
	}
	defer unlock()
	undo := func() {
		os.RemoveAll(staging)
		undoParents()
	}
	if err := os.Chmod(staging, 0o777&^umask()); err != nil {
		undo()
		return outErr("%w", err)
	}
	if err := syncDir(staging); err != nil {
		undo()
		return outErr("%w", err)
	}
	if err := os.Rename(staging, dir); err != nil {
		undo()
		return outErr("%w", err)
	}
	if err := syncDir(parent); err != nil {
		return outErr("%w", err)
	}
	return nil
}

// errExchangeUnsupported: directories cannot be exchanged in one step here.
var errExchangeUnsupported = errors.New("atomic exchange not supported")

// replaceDir replaces the existing directory dir by a new one holding
// files and dir's other regular files and symbolic links.
func replaceDir(dir string, files []outFile, outErr func(string, ...any) error) error {
	real, info, keep, err := checkReplace(dir)
	if err != nil {
		return outErr("%w", err)
	}
	parent, name := filepath.Dir(real), filepath.Base(real)
	_ = CleanStale(parent) // best effort
	staging, unlock, err := stage(parent, name, files)
	if err != nil {
		return outErr("%w", err)
	}
	defer unlock()
	fail := func(err error) error {
		os.RemoveAll(staging)
		return outErr("%w", err)
	}
	for _, k := range keep {
		from, to := filepath.Join(real, k.Name()), filepath.Join(staging, k.Name())
		if k.Type()&fs.ModeSymlink != 0 {
			link, err := os.Readlink(from)
			if err == nil {
				err = os.Symlink(link, to)
			}
			if err != nil {
				return fail(fmt.Errorf("cannot carry over %s: %w", k.Name(), err))
			}
			continue
		}
		if err := os.Link(from, to); err != nil {
			return fail(fmt.Errorf("cannot carry over %s (it is hard-linked into the new output; move it out of the directory): %w", k.Name(), err))
		}
	}
	copyGroup(staging, info)
	if err := os.Chmod(staging, info.Mode()&(fs.ModePerm|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		return fail(err)
	}
	if err := syncDir(staging); err != nil {
		return fail(err)
	}
	err = exchange(staging, real)
	if errors.Is(err, errExchangeUnsupported) {
		err = swapRenames(staging, real)
	}
	if err != nil {
		return fail(err)
	}
	// staging now holds the previous content.
	if err := os.RemoveAll(staging); err != nil {
		return outErr("removing the previous output: %w", err)
	}
	if err := syncDir(parent); err != nil {
		return outErr("%w", err)
	}
	return nil
}

// swapRenames puts staging in place of dir with two renames, dir going
// aside to a ".nbsim-old-..." name first; afterwards staging holds the
// previous content, as after exchange.
func swapRenames(staging, dir string) error {
	parent := filepath.Dir(dir)
	old := filepath.Join(parent, tempName(kindOld, filepath.Base(dir)))
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(staging, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("%w; the previous output is in %s", err, old)
		}
		return err
	}
	return os.Rename(old, staging)
}

// checkReplace checks that the existing directory dir can be replaced as a
// whole, and returns its real path (symbolic links resolved), its info and
// the entries to carry over.
func checkReplace(dir string) (string, fs.FileInfo, []fs.DirEntry, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", nil, nil, err
	}
	parent := filepath.Dir(real)
	if parent == real {
		return "", nil, nil, errors.New("is the root directory: nbsim replaces DIR as a whole; give a directory below it")
	}
	if wd, err := os.Getwd(); err == nil {
		if wd, err = filepath.EvalSymlinks(wd); err == nil && wd == real {
			return "", nil, nil, errors.New("is the working directory: nbsim replaces DIR as a whole; give a directory below it")
		}
	}
	info, err := os.Stat(real)
	if err != nil {
		return "", nil, nil, err
	}
	pinfo, err := os.Stat(parent)
	if err != nil {
		return "", nil, nil, err
	}
	if !sameDevice(info, pinfo) {
		return "", nil, nil, errors.New("is a mount point: nbsim replaces DIR as a whole, which cannot cross file systems; give a directory below it")
	}
	if err := writable(real); err != nil {
		return "", nil, nil, fmt.Errorf("cannot write in it: %w", err)
	}
	if err := writable(parent); err != nil {
		return "", nil, nil, fmt.Errorf("cannot write in %s (nbsim stages the new output beside DIR and swaps it in): %w", parent, err)
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		return "", nil, nil, err
	}
	ours := append(append(Files(), GeoFiles()...), FileMergeState)
	var keep []fs.DirEntry
	for _, e := range entries {
		switch {
		case slices.Contains(ours, e.Name()):
			if e.IsDir() {
				return "", nil, nil, fmt.Errorf("%s exists and is a directory", e.Name())
			}
		case isTemp(e.Name()):
			// A staging directory of an older nbsim (it staged inside DIR),
			// left by a killed run: not carried over.
		case e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0:
			keep = append(keep, e)
		case e.IsDir():
			return "", nil, nil, fmt.Errorf("holds the directory %s, which nbsim did not write: nbsim replaces DIR as a whole (so that a run stopped at any moment leaves the complete previous or new output), and carries over files but not directories; move it out or give another directory", e.Name())
		default:
			return "", nil, nil, fmt.Errorf("holds %s, which is neither a regular file nor a directory; move it out or give another directory", e.Name())
		}
	}
	return real, info, keep, nil
}

func isTemp(name string) bool {
	_, _, _, ok := parseTemp(name)
	return ok
}

// CheckDir reports, before a run, whether WriteDir could create or replace
// dir: for an existing dir, what checkReplace checks; the directory the
// staging directory goes in must accept a new entry. It removes stale
// temporaries beside dir (CleanStale) and writes nothing that it does not
// remove again.
func CheckDir(dir string) error {
	if dir == "" {
		return errors.New("--out: empty directory name")
	}
	clean := filepath.Clean(dir)
	var parent string
	if info, err := os.Stat(clean); err == nil {
		if !info.IsDir() {
			return fmt.Errorf("--out %s: exists and is not a directory", dir)
		}
		real, _, _, err := checkReplace(clean)
		if err != nil {
			return fmt.Errorf("--out %s: %w", dir, err)
		}
		parent = filepath.Dir(real)
	} else if parent, err = existingAncestor(clean); err != nil {
		return fmt.Errorf("--out %s: %w", dir, err)
	}
	_ = CleanStale(parent) // best effort
	probe := filepath.Join(parent, tempName("check", filepath.Base(clean)))
	if err := os.Mkdir(probe, 0o700); err != nil {
		return fmt.Errorf("--out %s: cannot write in %s: %w", dir, parent, err)
	}
	return os.Remove(probe)
}
