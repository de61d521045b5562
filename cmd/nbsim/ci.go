package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nbsim/nbsim/internal/version"
	"github.com/nbsim/nbsim/report"
)

// checkFileTarget checks, before a run, that an output file flag names a
// file that can be created: not empty when given, its directory existing,
// not a directory itself.
func checkFileTarget(flag, path string, given bool) error {
	if path == "" {
		if given {
			return fmt.Errorf("%s: empty file name", flag)
		}
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s %s: is a directory, want a file", flag, path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s %s: %s is not a directory", flag, path, dir)
	}
	return nil
}

// writeJUnit writes the JUnit report of one run atomically (the previous
// file or the complete new one, whenever the process is stopped).
func writeJUnit(path string, res *report.Results, start time.Time, scenario string, sets []string) error {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	props := [][2]string{{"nbsim", version.Get().String()}, {"scenario", scenario}}
	if len(sets) > 0 {
		props = append(props, [2]string{"set", strings.Join(sets, " ")})
	}
	f, err := report.CreateTemp(path)
	if err != nil {
		return fmt.Errorf("--junit %s: %w", path, err)
	}
	if err := report.WriteJUnit(f, []report.JUnitRun{{Results: res, Start: start, Hostname: host, Properties: props}}); err != nil {
		f.Abort()
		return fmt.Errorf("--junit %s: %w", path, err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("--junit %s: %w", path, errors.Unwrap(err))
	}
	return nil
}
