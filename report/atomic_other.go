//go:build !unix

package report

import (
	"errors"
	"os"
)

var errSyncUnsupported = errors.ErrUnsupported

// Without flock and signal 0, a temporary counts as stale by its age only.
func processAlive(pid int) bool                   { return true }
func lockFile(f *os.File) func()                  { return func() {} }
func lockPath(p string) func()                    { return func() {} }
func tryLock(p string) (unlock func(), busy bool) { return func() {}, false }
func writable(dir string) error                   { return nil }
func sameDevice(a, b os.FileInfo) bool            { return true }
func umask() os.FileMode                          { return 0o022 }
func copyGroup(to string, from os.FileInfo)       {}
