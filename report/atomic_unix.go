//go:build unix

package report

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// errSyncUnsupported is what fsync of a directory returns where the file
// system cannot do it.
var errSyncUnsupported = syscall.EINVAL

// processAlive reports whether a process with this PID runs (one of
// another user counts: EPERM).
func processAlive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}

// lockFile takes an exclusive flock on f (blocking: f is new) and returns
// its release. Where the file system has no flock, nothing is locked.
func lockFile(f *os.File) func() {
	fd := int(f.Fd())
	if unix.Flock(fd, unix.LOCK_EX) != nil {
		return func() {}
	}
	return func() { unix.Flock(fd, unix.LOCK_UN) }
}

// lockPath locks the file or directory at p and returns its release (on
// error, a no-op).
func lockPath(p string) func() {
	f, err := os.Open(p)
	if err != nil {
		return func() {}
	}
	unlock := lockFile(f)
	return func() { unlock(); f.Close() }
}

// tryLock takes p's lock if no process holds it; busy reports that one
// does. Where the file system has no flock, it is not busy.
func tryLock(p string) (unlock func(), busy bool) {
	f, err := os.Open(p)
	if err != nil {
		return func() {}, false
	}
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		f.Close()
		return nil, true
	}
	return func() { f.Close() }, false
}

// writable reports whether the process may change dir's entries.
func writable(dir string) error {
	return unix.Access(dir, unix.W_OK)
}

// sameDevice reports whether a and b are on the same file system (a is not
// a mount point below b).
func sameDevice(a, b os.FileInfo) bool {
	sa, ok1 := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return !ok1 || !ok2 || sa.Dev == sb.Dev
}

// umask is the process's file mode creation mask. Reading it means setting
// it, so it is set back at once; nbsim calls this only after a run, when
// nothing else creates files.
func umask() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m) & os.ModePerm
}

// copyGroup gives to the group of from (the directory it replaces): a
// new directory would otherwise have this user's group, and a directory
// shared with a team would stop being theirs. Where this user may not
// (not a member of that group), the group stays as it is.
func copyGroup(to string, from os.FileInfo) {
	if st, ok := from.Sys().(*syscall.Stat_t); ok {
		_ = os.Lchown(to, -1, int(st.Gid))
	}
}
