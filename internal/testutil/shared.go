package testutil

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Captures is the folder of real S1AP / NAS-EPS / CoAP traces that sits
// beside the repository (../shared/captures from its root), found from the
// working directory of a test (its package's folder) by walking up to
// go.mod. It returns "" when there is no repository root above. Tests find
// the captures only through it (or CaptureFile and CaptureFiles, which skip
// with the reason when the captures are absent).
func Captures() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "captures")
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

// CaptureFile returns the path of the named capture, or skips t saying
// where it was looked for.
func CaptureFile(t testing.TB, name string) string {
	t.Helper()
	dir := capturesOrSkip(t)
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("real capture %s not available (%v): the captures are in shared/captures beside the repository's root", name, err)
	}
	return path
}

// CaptureFiles returns the paths of every .pcap and .pcapng file of the
// captures folder, sorted, or skips t when there is none.
func CaptureFiles(t testing.TB) []string {
	t.Helper()
	dir := capturesOrSkip(t)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("real captures not available (%v): they are in shared/captures beside the repository's root", err)
	}
	var files []string
	for _, e := range ents {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".pcap") || strings.HasSuffix(n, ".pcapng")) {
			files = append(files, filepath.Join(dir, n))
		}
	}
	if len(files) == 0 {
		t.Skipf("no .pcap or .pcapng files in %s (shared/captures beside the repository's root)", dir)
	}
	sort.Strings(files)
	return files
}

func capturesOrSkip(t testing.TB) string {
	t.Helper()
	dir := Captures()
	if dir == "" {
		t.Skip("real captures not available: no go.mod above the working directory, so no repository root beside which shared/captures would be")
	}
	return dir
}
