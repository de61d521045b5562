//go:build linux

package emulate

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nbsim/nbsim/internal/ppptest"
)

// kernelHas says why the kernel lacks a driver (empty: it has it): has
// looks for it; modprobe loads module if it can.
func kernelHas(what, module string, has func() bool) string {
	if has() {
		return ""
	}
	mp, err := exec.LookPath("modprobe")
	if err != nil {
		return "the kernel has no " + what + " (no modprobe to load " + module + ")"
	}
	if out, err := exec.Command(mp, module).CombinedOutput(); err != nil {
		return "the kernel has no " + what + " (modprobe " + module + ": " + strings.TrimSpace(string(out)) + ")"
	}
	if has() {
		return ""
	}
	return "the kernel has no " + what + " (" + module + " loaded but not seen)"
}

// pppDriver says why the kernel cannot run pppd's ppp0 (empty: it can):
// pppd needs the PPP driver's /dev/ppp (major 108, ppp_generic).
func pppDriver() string {
	return kernelHas("PPP driver", "ppp_generic", func() bool {
		b, _ := os.ReadFile("/proc/devices")
		return bytes.Contains(b, []byte(" ppp\n"))
	})
}

// Linux pppd dials the module over its pseudo-terminal from a network
// namespace of its own, brings up ppp0 with the PDN address, and a UDP
// datagram sent through ppp0 reaches an echo server on this host through
// the simulated network and comes back. Needs root, pppd and chat (Debian
// ppp) and the kernel's PPP driver; without them it skips, saying which.
//
// As in TestTUNEcho, the answer's source 127.0.0.1 arriving on ppp0 needs
// route_localnet and accept_local there, and the program binds to ppp0
// (SO_BINDTODEVICE) instead of routing.
func TestPPPD(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("pppd needs root")
	}
	pppd, err := exec.LookPath("pppd")
	if err != nil {
		t.Skip("no pppd (Debian package ppp)")
	}
	chat, err := exec.LookPath("chat")
	if err != nil {
		t.Skip("no chat (Debian package ppp)")
	}
	if why := pppDriver(); why != "" {
		t.Skip(why)
	}
	ns := newNetns(t)
	echo := udpEcho(t)
	e, _ := start(t, Config{Modules: 1, Seed: 1, AutoConnect: true, Profiles: dataProfiles(t)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ptys, err := e.OpenPTYs(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	// The module attaches by itself (AUTOCONNECT): dial once it has.
	waitFor(t, "module 0 registered", func() bool { return e.States()[0].Address != "" })
	script := `ABORT ERROR ABORT 'NO CARRIER' '' AT OK ATE0 OK AT+CGATT=1 OK ATD*99# CONNECT`
	cmd := exec.Command(pppd, ptys[0].Path, "115200", "nodetach", "local", "nocrtscts", "noauth", "noipdefault",
		"nodefaultroute", "user", "nbsim", "password", "nbsim", "connect", chat+" -t 30 "+script)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	ns.run(func() {
		for _, c := range []string{"all", "default"} {
			if err = os.WriteFile("/proc/sys/net/ipv4/conf/"+c+"/rp_filter", []byte("0"), 0); err != nil {
				return
			}
		}
		err = cmd.Start() // forked from the namespace's thread: pppd is in it
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if t.Failed() {
			t.Log("pppd:\n" + log.String())
		}
	}()
	var pdn netip.Addr
	waitFor(t, "ppp0 with an address", func() bool {
		ns.run(func() {
			ifi, err := net.InterfaceByName("ppp0")
			if err != nil {
				return
			}
			as, _ := ifi.Addrs()
			for _, a := range as {
				if p, err := netip.ParsePrefix(a.String()); err == nil {
					pdn = p.Addr()
				}
			}
		})
		return pdn.IsValid()
	})
	ns.run(func() {
		for _, k := range []string{"route_localnet", "accept_local"} {
			if err = os.WriteFile("/proc/sys/net/ipv4/conf/ppp0/"+k, []byte("1"), 0); err != nil {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ns.listenUDP(ctx, "ppp0", pdn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.WriteTo([]byte("hello"), net.UDPAddrFromAddrPort(echo)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	buf := make([]byte, 100)
	n, from, err := c.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "re:hello" || from.String() != echo.String() {
		t.Fatalf("got %q from %v (%v), want %q from %v", buf[:n], from, err, "re:hello", echo)
	}
}

// The chat script of docs/firmware.md's pppd peer file, run by chat(8)
// itself on the module's pseudo-terminal, gets CONNECT; then the
// independent PPP client takes the terminal over, as pppd does after its
// connect script, and a UDP echo crosses the network. Needs chat (Debian
// ppp), not the kernel's PPP driver.
func TestChatScript(t *testing.T) {
	chat, err := exec.LookPath("chat")
	if err != nil {
		t.Skip("no chat (Debian package ppp)")
	}
	echo := udpEcho(t)
	e, f := modulePTY(t, Config{Modules: 1, Seed: 1, AutoConnect: true, Profiles: dataProfiles(t)})
	waitFor(t, "module 0 registered", func() bool { return e.States()[0].Address != "" })
	cmd := exec.Command(chat, "-v", "-t", "30", "ABORT", "ERROR", "ABORT", "NO CARRIER", "", "AT", "OK", "ATE0", "OK", "AT+CGATT=1", "OK", "ATD*99#", "CONNECT")
	var log bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = f, f, &log
	if err := cmd.Run(); err != nil {
		t.Fatalf("chat: %v\n%s", err, log.String())
	}
	// chat reads with ISTRIP set: the module's first LCP frame, which
	// follows CONNECT at once, arrives 7-bit. A PPP stack taking the
	// terminal over after chat finds its FCS bad and waits for the next;
	// this test drops it instead (so that the client's error list stays
	// empty), and the module sends its Configure-Request again after the
	// restart timer (3 s, RFC 1661 §4.6).
	if err := unix.IoctlSetInt(int(f.Fd()), unix.TCFLSH, unix.TCIFLUSH); err != nil {
		t.Fatal(err)
	}
	cl, err := ppptest.Dial(f, ppptest.Config{Magic: 7, ACFC: true, PFC: true, Name: "chat", Secret: "x"}, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	echoThrough(t, echo, cl, fileConn{f}, f)
}
