//go:build unix

package emulate

import (
	"fmt"
	"os"
	"syscall"
)

// checkPTYDir refuses a symlink directory that another user could tamper
// with: firmware opens DIR/nbsim-at<i>, so whoever can replace that link
// can hand the firmware a terminal of their own and read its AT traffic.
// DIR must be a real directory (not a symlink), owned by this user, and
// writable by nobody else (the default /tmp/nbsim is created 0700).
func checkPTYDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory (a symlink is refused too)", dir)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if uid := os.Geteuid(); int(st.Uid) != uid {
		return fmt.Errorf("%s belongs to uid %d, not to this user (uid %d): another user could replace its links; choose a directory of your own", dir, st.Uid, uid)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s is writable by other users (mode %04o): they could replace its links; chmod go-w it or choose another directory", dir, fi.Mode().Perm())
	}
	return nil
}
