//go:build unix

package report

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// What replacing an output keeps: a new capture gets 0666 less the umask
// (a private umask keeps IMSIs private), an existing one keeps its mode, a
// symlinked target is written through, and a replaced DIR keeps its
// setgid bit, mode and group.
func TestOutputModes(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := t.TempDir()

	commit := func(target string) {
		t.Helper()
		f, err := CreateTemp(target)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("pcap")
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	fresh := filepath.Join(dir, "new.pcap")
	commit(fresh)
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o600 {
		t.Errorf("new capture under umask 077: mode %v, want 0600", fi.Mode().Perm())
	}
	kept := filepath.Join(dir, "kept.pcap")
	os.WriteFile(kept, []byte("old"), 0o640)
	os.Chmod(kept, 0o640)
	commit(kept)
	if fi, _ := os.Stat(kept); fi.Mode().Perm() != 0o640 {
		t.Errorf("replaced capture: mode %v, want its previous 0640", fi.Mode().Perm())
	}
	real := filepath.Join(dir, "real.pcap")
	os.WriteFile(real, []byte("old"), 0o600)
	link := filepath.Join(dir, "link.pcap")
	os.Symlink("real.pcap", link)
	commit(link)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the capture's symlink was replaced: %v", err)
	}
	if b, _ := os.ReadFile(real); string(b) != "pcap" {
		t.Errorf("the file behind the link holds %q, want the new capture", b)
	}

	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o700)
	if err := os.Chmod(out, 0o2770); err != nil {
		t.Fatal(err)
	}
	gid := 0
	if os.Geteuid() == 0 {
		gid = 65534
		if err := os.Lchown(out, -1, gid); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.Stat(out)
	if err := WriteDir(out, Outputs{Results: sample()}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(out)
	if want := before.Mode() & (os.ModePerm | os.ModeSetgid); after.Mode()&(os.ModePerm|os.ModeSetgid) != want {
		t.Errorf("replaced DIR: mode %v, want %v as before", after.Mode(), before.Mode())
	}
	if st := after.Sys().(*syscall.Stat_t); os.Geteuid() == 0 && int(st.Gid) != gid {
		t.Errorf("replaced DIR: group %d, want %d as before", st.Gid, gid)
	}
}
