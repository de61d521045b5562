package emulate

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// atClient drives a module's AT port as firmware would.
type atClient struct {
	t  *testing.T
	c  net.Conn
	rd *bufio.Reader
}

func dialAT(t *testing.T, addr net.Addr) *atClient {
	t.Helper()
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &atClient{t: t, c: c, rd: bufio.NewReader(c)}
}

// line returns the next non-empty line.
func (a *atClient) line(timeout time.Duration) string {
	a.t.Helper()
	a.c.SetReadDeadline(time.Now().Add(timeout))
	for {
		l, err := a.rd.ReadString('\n')
		if err != nil {
			a.t.Fatalf("reading the AT port: %v", err)
		}
		if l = strings.TrimRight(l, "\r\n"); l != "" {
			return l
		}
	}
}

// cmd sends a command and returns the lines up to its final result.
func (a *atClient) cmd(s string) []string {
	a.t.Helper()
	fmt.Fprintf(a.c, "%s\r", s)
	var out []string
	for {
		l := a.line(10 * time.Second)
		out = append(out, l)
		if l == "OK" || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR") {
			return out
		}
	}
}

func (a *atClient) must(s string) []string {
	a.t.Helper()
	out := a.cmd(s)
	if out[len(out)-1] != "OK" {
		a.t.Fatalf("%s: %q", s, out)
	}
	return out
}

// wait reads lines until one starts with prefix.
func (a *atClient) wait(prefix string, timeout time.Duration) string {
	a.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if l := a.line(time.Until(deadline)); strings.HasPrefix(strings.ReplaceAll(l, ": ", ":"), prefix) {
			return l
		}
	}
	a.t.Fatalf("no %s within %v", prefix, timeout)
	return ""
}

func udpEcho(t *testing.T) netip.AddrPort {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			c.WriteToUDPAddrPort(append([]byte("re:"), buf[:n]...), from)
		}
	}()
	return c.LocalAddr().(*net.UDPAddr).AddrPort()
}

func start(t *testing.T, cfg Config) (*Emulator, []net.Addr) {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrs, err := e.ListenTCP(ctx, netip.MustParseAddrPort("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return e, addrs
}

// Firmware's first minute: radio on, registration, a UDP datagram to a
// real server on this host and its answer back through the network.
func TestAttachAndUDP(t *testing.T) {
	echo := udpEcho(t)
	var trace strings.Builder
	tw := &lockedWriter{b: &trace}
	_, addrs := start(t, Config{Modules: 1, Seed: 1, Trace: tw})
	t.Cleanup(func() {
		if t.Failed() {
			tw.mu.Lock()
			t.Log("trace:\n" + trace.String())
			tw.mu.Unlock()
		}
	})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:1", 30*time.Second)
	out := a.must("AT+CGPADDR")
	if !strings.Contains(strings.Join(out, " "), "10.45.") {
		t.Fatalf("no PDN address: %q", out)
	}
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	out = a.must(fmt.Sprintf("AT+NSOST=0,%s,%d,4,41424344", echo.Addr(), echo.Port()))
	if out[0] != "0,4" {
		t.Fatalf("NSOST answered %q", out)
	}
	a.wait("+NSONMI:0,7", 30*time.Second)
	out = a.must("AT+NSORF=0,100")
	want := fmt.Sprintf("0,%s,%d,7,72653A41424344,0", echo.Addr(), echo.Port())
	if out[0] != want {
		t.Fatalf("NSORF: %q, want %q\ntrace:\n%s", out, want, trace.String())
	}
}

type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
