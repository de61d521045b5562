package report

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Temporaries. Everything nbsim writes goes first to a hidden temporary
// beside its target, named
//
//	.nbsim-<kind>-<target name>-<pid>-<8 hex digits>
//
// kind "out": the staging directory of --out DIR (in DIR's parent);
// "old": the previous DIR while it is being replaced where directories
// cannot be exchanged atomically; "pcap": a capture being written beside
// its --pcap FILE. The writing process holds an exclusive flock(2) on each
// temporary while it works on it. CleanStale removes those left behind by
// a process that was killed.
const (
	kindOut  = "out"
	kindOld  = "old"
	kindPcap = "pcap"
)

// StaleAge is the age (modification time) after which a temporary whose
// process cannot be told to be dead is stale anyway (a reused PID, a file
// from another machine), unless a process still holds its lock.
const StaleAge = 24 * time.Hour

// tempName returns a new temporary's name for target (a base name).
func tempName(kind, target string) string {
	return fmt.Sprintf(".nbsim-%s-%s-%d-%08x", kind, target, os.Getpid(), rand.Uint32())
}

// parseTemp splits a temporary's name into its kind, target, PID; ok is
// false for other names. Names of older nbsim versions
// (.nbsim-out-123456789, .nbsim-pcap-123456789) give pid 0.
func parseTemp(name string) (kind, target string, pid int, ok bool) {
	rest, found := strings.CutPrefix(name, ".nbsim-")
	if !found {
		return "", "", 0, false
	}
	kind, rest, found = strings.Cut(rest, "-")
	if !found || (kind != kindOut && kind != kindOld && kind != kindPcap && kind != "check") {
		return "", "", 0, false
	}
	i := strings.LastIndexByte(rest, '-')
	if i < 0 {
		// An older version's os.MkdirTemp/CreateTemp name: digits only.
		if _, err := strconv.ParseUint(rest, 10, 64); err != nil || kind == kindOld {
			return "", "", 0, false
		}
		return kind, "", 0, true
	}
	rnd := rest[i+1:]
	rest = rest[:i]
	j := strings.LastIndexByte(rest, '-')
	if j < 0 || len(rnd) != 8 {
		return "", "", 0, false
	}
	if _, err := strconv.ParseUint(rnd, 16, 32); err != nil {
		return "", "", 0, false
	}
	pid, err := strconv.Atoi(rest[j+1:])
	if err != nil || pid <= 0 || rest[:j] == "" {
		return "", "", 0, false
	}
	return kind, rest[:j], pid, true
}

// CleanStale removes from dir the temporaries (see tempName) that no
// running process works on: not locked by anyone, and either their PID is
// not running or they are older than StaleAge (older versions' names,
// without a PID: older than StaleAge only). A stale "old" directory whose
// target is missing is the previous output of a run killed between its two
// renames: it is renamed back to its target instead. It returns what it
// could not remove; nothing else in dir is touched.
func CleanStale(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	var errs []error
	for _, e := range entries {
		kind, target, pid, ok := parseTemp(e.Name())
		if !ok {
			continue
		}
		p := filepath.Join(dir, e.Name())
		info, err := os.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink != 0 {
			continue
		}
		old := time.Since(info.ModTime()) > StaleAge
		if !old && (pid == 0 || processAlive(pid)) {
			continue
		}
		unlock, busy := tryLock(p)
		if busy {
			continue
		}
		if kind == kindOld {
			t := filepath.Join(dir, target)
			if _, err := os.Lstat(t); errors.Is(err, fs.ErrNotExist) {
				err := os.Rename(p, t)
				unlock()
				if err != nil {
					errs = append(errs, err)
				}
				continue
			}
		}
		err = os.RemoveAll(p)
		unlock()
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// TempFile is a file written under a temporary name beside its target and
// renamed over the target by Commit: the target is either the previous
// file or the complete new one, whenever the process is stopped.
type TempFile struct {
	*os.File
	target string
	unlock func()
}

// CreateTemp creates a TempFile for target in target's directory, after
// removing that directory's stale temporaries (CleanStale).
func CreateTemp(target string) (*TempFile, error) {
	// A target that is a symlink is written through: the file it points
	// to is replaced, the link stays.
	if fi, err := os.Lstat(target); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(target)
		if err != nil {
			return nil, err
		}
		target = real
	}
	dir := filepath.Dir(target)
	_ = CleanStale(dir) // best effort: a leftover that stays is no error of this run
	for range 100 {
		name := filepath.Join(dir, tempName(kindPcap, filepath.Base(target)))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &TempFile{File: f, target: target, unlock: lockFile(f)}, nil
	}
	return nil, fmt.Errorf("cannot create a temporary file in %s", dir)
}

// Commit flushes the file to disk, gives it the mode the target has (a
// new target: 0666 less the umask, as os.Create would) and renames it over
// the target.
func (t *TempFile) Commit() error {
	mode := 0o666 &^ umask()
	if fi, err := os.Stat(t.target); err == nil {
		mode = fi.Mode().Perm()
	}
	err := t.Sync()
	if err == nil {
		err = t.Chmod(mode)
	}
	if err == nil {
		err = os.Rename(t.Name(), t.target)
	}
	t.unlock()
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(t.Name())
		return err
	}
	return syncDir(filepath.Dir(t.target))
}

// Abort closes and removes the file; the target is left as it was.
func (t *TempFile) Abort() {
	t.unlock()
	t.Close()
	os.Remove(t.Name())
}

// syncDir flushes a directory's entries to disk. File systems that cannot
// (EINVAL) are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	d.Close()
	if err != nil && !errors.Is(err, errSyncUnsupported) {
		return err
	}
	return nil
}
