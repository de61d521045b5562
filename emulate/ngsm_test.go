//go:build linux

package emulate

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Linux's n_gsm line discipline (linux/gsmmux.h; kernel documentation
// driver-api/tty/n_gsm) is the other independent TS 27.010 implementation.
const (
	nGSM0710      = 21         // N_GSM0710
	gsmiocGetconf = 0x804c4700 // _IOR('G', 0, struct gsm_config), 76 octets
	gsmiocSetconf = 0x404c4701 // _IOW('G', 1, struct gsm_config)
)

// gsmConfig is struct gsm_config: eleven unsigned ints and eight unused.
type gsmConfig struct {
	Adaption, Encapsulation, Initiator, T1, T2, T3, N2, MRU, MTU, K, I uint32
	Unused                                                             [8]uint32
}

// nGSM says why n_gsm cannot be used here (empty: it can).
func nGSM() string {
	return kernelHas("n_gsm line discipline", "n_gsm", func() bool {
		b, _ := os.ReadFile("/proc/tty/ldiscs")
		return bytes.Contains(b, []byte("n_gsm"))
	})
}

// The kernel's multiplexer (n_gsm, as initiator) on the module's
// pseudo-terminal after AT+CMUX=0: DLC 1 is /dev/gsmtty1, where AT
// commands are answered. Needs root and n_gsm; skips here, saying why.
func TestCMUXNGSM(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("n_gsm needs root")
	}
	if why := nGSM(); why != "" {
		t.Skip(why)
	}
	e, f := modulePTY(t, Config{Modules: 1, Seed: 1, Profiles: dataProfiles(t)})
	a := &atClient{t: t, c: fileConn{f}, rd: bufio.NewReader(f)}
	a.must("ATE0")
	a.must("AT+CMUX=0,0,5,127")
	fd := int(f.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSETD, nGSM0710); err != nil {
		t.Fatalf("TIOCSETD N_GSM0710: %v", err)
	}
	var cfg gsmConfig
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), gsmiocGetconf, uintptr(unsafe.Pointer(&cfg))); errno != 0 {
		t.Fatalf("GSMIOC_GETCONF: %v", errno)
	}
	cfg.Encapsulation, cfg.Initiator, cfg.MRU, cfg.MTU = 0, 1, 127, 127
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), gsmiocSetconf, uintptr(unsafe.Pointer(&cfg))); errno != 0 {
		t.Fatalf("GSMIOC_SETCONF: %v", errno)
	}
	// /dev/gsmtty1: the gsmtty major from /proc/devices, minor 1
	devs, _ := os.ReadFile("/proc/devices")
	major := -1
	for _, l := range strings.Split(string(devs), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[1] == "gsmtty" {
			major, _ = strconv.Atoi(f[0])
		}
	}
	if major < 0 {
		t.Fatal("no gsmtty major in /proc/devices")
	}
	node := filepath.Join(t.TempDir(), "gsmtty1")
	if err := unix.Mknod(node, unix.S_IFCHR|0o600, int(unix.Mkdev(uint32(major), 1))); err != nil {
		t.Fatalf("mknod %s: %v", node, err)
	}
	var d1 *os.File
	waitFor(t, "DLC 1 open through n_gsm", func() bool {
		var err error
		d1, err = os.OpenFile(node, os.O_RDWR|unix.O_NOCTTY, 0)
		return err == nil
	})
	defer d1.Close()
	if _, err := d1.Write([]byte("AT+CGSN=1\r")); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("+CGSN: %s", e.IMEI(0)) // sara-r4: a space after the colon
	if got := readUntil(t, d1, "OK\r\n", 10*time.Second); !strings.Contains(got, want) {
		t.Fatalf("AT+CGSN=1 on DLC 1 through n_gsm: %q, want %q", got, want)
	}
}
