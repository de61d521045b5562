package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseTemp(t *testing.T) {
	for _, tc := range []struct {
		name         string
		kind, target string
		pid          int
		ok           bool
	}{
		{".nbsim-out-results-123-0a1b2c3d", kindOut, "results", 123, true},
		{".nbsim-out-my-out-dir-7-ffffffff", kindOut, "my-out-dir", 7, true},
		{".nbsim-pcap-x.pcap-99-00000000", kindPcap, "x.pcap", 99, true},
		{".nbsim-old-out-5-12345678", kindOld, "out", 5, true},
		{".nbsim-out-2485828793", kindOut, "", 0, true}, // an older version's
		{".nbsim-pcap-3081779361", kindPcap, "", 0, true},
		{".nbsim-check-872056924", "check", "", 0, true},
		{".nbsim-old-123", "", "", 0, false},
		{".nbsim-out-x-1-123", "", "", 0, false},      // random part not 8 hex digits
		{".nbsim-out-x-p-0a1b2c3d", "", "", 0, false}, // no PID
		{".nbsim-out--1-0a1b2c3d", "", "", 0, false},
		{".nbsim-foo-x-1-0a1b2c3d", "", "", 0, false},
		{"results.json", "", "", 0, false},
		{".nbsim-out-", "", "", 0, false},
	} {
		kind, target, pid, ok := parseTemp(tc.name)
		if ok != tc.ok || kind != tc.kind || target != tc.target || pid != tc.pid {
			t.Errorf("parseTemp(%q) = %q %q %d %v, want %q %q %d %v", tc.name, kind, target, pid, ok, tc.kind, tc.target, tc.pid, tc.ok)
		}
	}
	name := tempName(kindOut, "a-b")
	if kind, target, pid, ok := parseTemp(name); !ok || kind != kindOut || target != "a-b" || pid != os.Getpid() {
		t.Errorf("tempName %q parses as %q %q %d %v", name, kind, target, pid, ok)
	}
}

// deadPID returns the PID of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run a child process: %v", err)
	}
	return cmd.Process.Pid
}

func TestCleanStale(t *testing.T) {
	dir := t.TempDir()
	dead := deadPID(t)
	if processAlive(dead) {
		t.Skip("the child's PID is in use again")
	}
	live := os.Getpid()
	name := func(kind, target string, pid int) string {
		return ".nbsim-" + kind + "-" + target + "-" + strconv.Itoa(pid) + "-0a1b2c3d"
	}
	dayOld := time.Now().Add(-StaleAge - time.Hour)
	mk := func(n string, isDir bool, mtime time.Time) {
		p := filepath.Join(dir, n)
		if isDir {
			os.Mkdir(p, 0o755)
			os.WriteFile(filepath.Join(p, "results.json"), []byte("x"), 0o644)
		} else {
			os.WriteFile(p, []byte("x"), 0o644)
		}
		if !mtime.IsZero() {
			os.Chtimes(p, mtime, mtime)
		}
	}
	mk(name(kindOut, "out", dead), true, time.Time{})      // stale: dead PID
	mk(name(kindPcap, "x.pcap", dead), false, time.Time{}) // stale: dead PID
	mk(name(kindOut, "out", live), true, time.Time{})      // kept: live PID
	mk(name(kindPcap, "y.pcap", live), false, dayOld)      // stale: a day old
	mk(".nbsim-pcap-3081779361", false, time.Time{})       // older version's, new: kept
	mk(".nbsim-out-1632651245", true, dayOld)              // older version's, a day old: stale
	mk(name(kindOld, "prev", dead), true, time.Time{})     // target missing: renamed back
	mk(name(kindOld, "out", dead), true, time.Time{})      // target exists: removed
	mk("out", true, time.Time{})                           // not a temporary
	mk(".nbsim-notes", false, dayOld)                      // not a temporary
	mk(name(kindPcap, "z.pcap", dead), false, time.Time{}) // locked by a live process: kept
	f, err := os.Open(filepath.Join(dir, name(kindPcap, "z.pcap", dead)))
	if err != nil {
		t.Fatal(err)
	}
	unlock := lockFile(f)

	if err := CleanStale(dir); err != nil {
		t.Fatal(err)
	}
	unlock()
	f.Close()
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{name(kindOut, "out", live), ".nbsim-pcap-3081779361", "out", ".nbsim-notes", "prev", name(kindPcap, "z.pcap", dead)}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("after CleanStale:\n got %v\nwant %v", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "prev", "results.json")); err != nil || string(b) != "x" {
		t.Errorf("the parked previous output was not put back: %v", err)
	}
	if err := CleanStale(filepath.Join(dir, "missing")); err != nil {
		t.Errorf("CleanStale of a missing directory: %v", err)
	}
}

// The fallback of exchange: two renames, staging afterwards holding the
// previous content.
func TestSwapRenames(t *testing.T) {
	parent := t.TempDir()
	dir, staging := filepath.Join(parent, "out"), filepath.Join(parent, tempName(kindOut, "out"))
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "f"), []byte("old"), 0o644)
	os.Mkdir(staging, 0o755)
	os.WriteFile(filepath.Join(staging, "f"), []byte("new"), 0o644)
	if err := swapRenames(staging, dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "f")); string(b) != "new" {
		t.Errorf("dir holds %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(staging, "f")); string(b) != "old" {
		t.Errorf("staging holds %q", b)
	}
	if got := listDir(t, parent); len(got) != 4 {
		t.Errorf("entries %v", got)
	}
}

// An existing DIR is replaced as a whole; files and symbolic links of the
// user's are carried over, a subdirectory is refused before anything
// changes.
func TestWriteDirReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep me"), 0o600)
	os.Symlink("notes.txt", filepath.Join(dir, "link"))
	os.Mkdir(filepath.Join(dir, ".nbsim-out-123456"), 0o700) // an older version's staging
	before, _ := os.Stat(filepath.Join(dir, "notes.txt"))
	if err := WriteDir(dir, Outputs{Results: sample()}); err != nil {
		t.Fatal(err)
	}
	want := append(Files(), "notes.txt", "link")
	slices.Sort(want)
	if got := listDir(t, dir); !slices.Equal(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	after, err := os.Stat(filepath.Join(dir, "notes.txt"))
	if err != nil || !os.SameFile(before, after) || after.Mode().Perm() != 0o600 {
		t.Errorf("notes.txt not carried over as it was: %v", err)
	}
	if l, err := os.Readlink(filepath.Join(dir, "link")); err != nil || l != "notes.txt" {
		t.Errorf("link = %q, %v", l, err)
	}
	noTemps(t, filepath.Dir(dir))

	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	err = WriteDir(dir, Outputs{Results: sample()})
	if err == nil || !strings.Contains(err.Error(), "holds the directory sub") {
		t.Errorf("a DIR with a subdirectory: %v", err)
	}
	if err := CheckDir(dir); err == nil || !strings.Contains(err.Error(), "sub") {
		t.Errorf("CheckDir: %v", err)
	}
	noTemps(t, filepath.Dir(dir))
}

// DIR given as a symbolic link to a directory: the directory is replaced,
// the link stays a link.
func TestWriteDirThroughSymlink(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "real")
	os.Mkdir(real, 0o755)
	link := filepath.Join(base, "link")
	os.Symlink("real", link)
	if err := WriteDir(link, Outputs{Results: sample()}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if got := listDir(t, real); len(got) != len(Files()) {
		t.Errorf("real holds %v", got)
	}
	noTemps(t, base)
}

func TestWriteDirWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, d := range []string{".", dir} {
		if err := CheckDir(d); err == nil || !strings.Contains(err.Error(), "working directory") {
			t.Errorf("CheckDir(%s) = %v", d, err)
		}
		if err := WriteDir(d, Outputs{Results: sample()}); err == nil || !strings.Contains(err.Error(), "working directory") {
			t.Errorf("WriteDir(%s) = %v", d, err)
		}
	}
}

// TempFile: the target is the previous file until Commit; Abort leaves it.
func TestTempFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "x.pcap")
	os.WriteFile(target, []byte("previous"), 0o644)
	f, err := CreateTemp(target)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new")
	if b, _ := os.ReadFile(target); string(b) != "previous" {
		t.Errorf("target before Commit: %q", b)
	}
	if _, busy := tryLock(f.Name()); !busy {
		t.Error("the temporary is not locked while written")
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target after Commit: %q", b)
	}
	f, err = CreateTemp(target)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("aborted")
	f.Abort()
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target after Abort: %q", b)
	}
	noTemps(t, dir)
}

func noTemps(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".nbsim-") {
			t.Errorf("temporary %s left in %s", e.Name(), dir)
		}
	}
}
