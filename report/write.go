package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// The files WriteDir writes, in this order.
const (
	FileResults          = "results.json"
	FileTimeSeries       = "timeseries.csv"
	FileAccessDelayCDF   = "access_delay_cdf.png"
	FileRandomAccessLoad = "random_access_load.png"
	FileBatteryLifeHist  = "battery_life_hist.png"
)

// Files returns the names of the files WriteDir writes.
func Files() []string {
	return []string{FileResults, FileTimeSeries, FileAccessDelayCDF, FileRandomAccessLoad, FileBatteryLifeHist}
}

// TimeSeriesHeader is the header line of timeseries.csv.
const TimeSeriesHeader = "minute,arrivals,preambles,collisions,successes,failures,connected"

type outFile struct {
	name string
	data []byte
}

// WriteDir writes the outputs of a run into dir: results.json (Marshal),
// timeseries.csv (TimeSeriesCSV) and the plots access_delay_cdf.png,
// random_access_load.png and battery_life_hist.png. ts and s may be nil
// (empty table, plots saying "no data").
//
// It is all or nothing. Everything is rendered in memory first, then
// written into a hidden staging directory (".nbsim-out-*") created inside
// dir, or, if dir does not exist yet, inside its nearest existing ancestor;
// only when every file is complete are the files moved into place (a new
// dir is renamed into place as a whole; in an existing dir, older files of
// the same names are replaced, and restored if a later move fails). Other
// files in an existing dir are left alone. On error nothing half-written
// remains and the error starts with "--out DIR: ".
func WriteDir(dir string, r *Results, ts *TimeSeries, s *Samples) error {
	if dir == "" {
		return errors.New("--out: empty directory name")
	}
	outErr := func(format string, a ...any) error {
		return fmt.Errorf("--out %s: "+format, append([]any{dir}, a...)...)
	}
	files, err := render(r, ts, s)
	if err != nil {
		return outErr("%w", err)
	}
	clean := filepath.Clean(dir)
	info, err := os.Stat(clean)
	switch {
	case err == nil && !info.IsDir():
		return outErr("exists and is not a directory")
	case err == nil:
		return installInto(clean, files, outErr)
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
func render(r *Results, ts *TimeSeries, s *Samples) ([]outFile, error) {
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
	var csv bytes.Buffer
	if err := TimeSeriesCSV(&csv, ts); err != nil {
		return nil, err
	}
	cdf, err := AccessDelayCDFPNG(s.AccessDelaysMs)
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
	return []outFile{
		{FileResults, js},
		{FileTimeSeries, csv.Bytes()},
		{FileAccessDelayCDF, cdf},
		{FileRandomAccessLoad, load},
		{FileBatteryLifeHist, hist},
	}, nil
}

// TimeSeriesCSV writes ts as CSV: the TimeSeriesHeader line, then one line
// per row. A nil ts gives the header only.
func TimeSeriesCSV(w io.Writer, ts *TimeSeries) error {
	b := []byte(TimeSeriesHeader + "\n")
	if ts != nil {
		for _, row := range ts.Rows {
			b = strconv.AppendInt(b, int64(row.Minute), 10)
			for _, v := range []int64{row.Arrivals, row.Preambles, row.Collisions, row.Successes, row.Failures, row.Connected} {
				b = append(b, ',')
				b = strconv.AppendInt(b, v, 10)
			}
			b = append(b, '\n')
		}
	}
	_, err := w.Write(b)
	return err
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

// stage creates a staging directory inside parent and writes files into it.
func stage(parent string, files []outFile) (string, error) {
	staging, err := os.MkdirTemp(parent, ".nbsim-out-")
	if err != nil {
		return "", fmt.Errorf("cannot create files in %s: %w", parent, err)
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(staging, f.name), f.data); err != nil {
			os.RemoveAll(staging)
			return "", err
		}
	}
	return staging, nil
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
	return f.Close()
}

// createDir writes files into the new directory dir.
func createDir(dir string, files []outFile, outErr func(string, ...any) error) error {
	anc, err := existingAncestor(dir)
	if err != nil {
		return outErr("%w", err)
	}
	staging, err := stage(anc, files)
	if err != nil {
		return outErr("%w", err)
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		os.RemoveAll(staging)
		return outErr("%w", err)
	}
	// Create the missing parents of dir (they do not exist: anc is the
	// nearest existing ancestor); a failure removes them again, deepest
	// first, and only while empty.
	var created []string
	for p := filepath.Dir(dir); p != anc; p = filepath.Dir(p) {
		created = append(created, p)
	}
	undo := func() {
		os.RemoveAll(staging)
		for _, p := range created {
			os.Remove(p)
		}
	}
	if len(created) > 0 {
		if err := os.MkdirAll(created[0], 0o755); err != nil {
			undo()
			return outErr("%w", err)
		}
	}
	if err := os.Rename(staging, dir); err != nil {
		undo()
		return outErr("%w", err)
	}
	return nil
}

// installInto moves files into the existing directory dir, replacing older
// files of the same names, and rolls back on failure.
func installInto(dir string, files []outFile, outErr func(string, ...any) error) error {
	for _, f := range files {
		if info, err := os.Lstat(filepath.Join(dir, f.name)); err == nil && info.IsDir() {
			return outErr("%s exists and is a directory", f.name)
		}
	}
	staging, err := stage(dir, files)
	if err != nil {
		return outErr("%w", err)
	}
	defer os.RemoveAll(staging)
	var backedUp, installed []string
	rollback := func() {
		for _, name := range installed {
			os.Remove(filepath.Join(dir, name))
		}
		for _, name := range backedUp {
			os.Rename(filepath.Join(staging, "old."+name), filepath.Join(dir, name))
		}
	}
	for _, f := range files {
		target := filepath.Join(dir, f.name)
		if _, err := os.Lstat(target); err == nil {
			if err := os.Rename(target, filepath.Join(staging, "old."+f.name)); err != nil {
				rollback()
				return outErr("%w", err)
			}
			backedUp = append(backedUp, f.name)
		}
		if err := os.Rename(filepath.Join(staging, f.name), target); err != nil {
			rollback()
			return outErr("%w", err)
		}
		installed = append(installed, f.name)
	}
	return nil
}

// CheckDir reports, before a run, whether WriteDir could create or fill dir:
// the nearest existing directory must accept a new entry. It writes nothing
// that it does not remove again.
func CheckDir(dir string) error {
	if dir == "" {
		return errors.New("--out: empty directory name")
	}
	clean := filepath.Clean(dir)
	parent := clean
	if info, err := os.Stat(clean); err == nil {
		if !info.IsDir() {
			return fmt.Errorf("--out %s: exists and is not a directory", dir)
		}
	} else if parent, err = existingAncestor(clean); err != nil {
		return fmt.Errorf("--out %s: %w", dir, err)
	}
	probe, err := os.MkdirTemp(parent, ".nbsim-check-")
	if err != nil {
		return fmt.Errorf("--out %s: cannot write in %s: %w", dir, parent, err)
	}
	return os.Remove(probe)
}
