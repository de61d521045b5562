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

	"github.com/nbsim/nbsim/internal/testutil"
	"github.com/nbsim/nbsim/platform"
	"github.com/nbsim/nbsim/scenarios"
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

func udpEcho(t *testing.T) netip.AddrPort { _, a := testutil.UDPEcho(t); return a }

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
		e.Close()
	})
	return e, addrs
}

// startTraced is start with the modules' trace kept, and logged if the
// test fails.
func startTraced(t *testing.T, cfg Config) (*Emulator, []net.Addr) {
	t.Helper()
	var trace strings.Builder
	tw := &lockedWriter{b: &trace}
	cfg.Trace = tw
	e, addrs := start(t, cfg)
	t.Cleanup(func() {
		if t.Failed() {
			tw.mu.Lock()
			t.Log("trace:\n" + trace.String())
			tw.mu.Unlock()
		}
	})
	return e, addrs
}

// Firmware's first minute: radio on, registration, a UDP datagram to a
// real server on this host and its answer back through the network.
func TestAttachAndUDP(t *testing.T) {
	echo := udpEcho(t)
	_, addrs := startTraced(t, Config{Modules: 1, Seed: 1})
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
		t.Fatalf("NSORF: %q, want %q", out, want)
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

// The developer story on the built-in platform: a message to the
// platform (AT+NMGS), PSM granted, a downlink command queued through the
// platform while the module sleeps, delivered after its next wake-up and
// not before.
func TestPlatformDownlinkAfterPSM(t *testing.T) {
	var e *Emulator
	plat, err := platform.New(platform.Config{CoAPAddr: "127.0.0.1:0", AckTimeout: 500 * time.Millisecond, MaxRetransmit: 1,
		Bind: func(ep string) (netip.AddrPort, bool) { return e.PlatformSource(ep) }})
	if err != nil {
		t.Fatal(err)
	}
	defer plat.Close()
	ap := plat.CoAPAddr().(*net.UDPAddr).AddrPort()
	var trace strings.Builder
	tw := &lockedWriter{b: &trace}
	sc, err := scenarios.Load("lab", []string{"rrc.inactivity_timer=3s"})
	if err != nil {
		t.Fatal(err)
	}
	e, addrs := start(t, Config{Scenario: sc, Modules: 1, Seed: 1, Platform: netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), Trace: tw})
	// A forged uplink naming the module's endpoint, before and after the
	// module's own: refused (4.01), not stored.
	forge := func() {
		t.Helper()
		c, err := net.Dial("udp", ap.String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// CoAP NON POST /t/d?ep=IMEI (RFC 7252 §3): ver 1, type NON, TKL 0,
		// code 0.02, message ID; Uri-Path "t", "d"; Uri-Query (18 bytes:
		// length 13 + 5 in an extended byte, §3.1); payload.
		q := "ep=" + e.IMEI(0)
		msg := []byte{0x50, 0x02, 0x12, 0x34, 0xB1, 't', 0x01, 'd', 0x4D, byte(len(q) - 13)}
		msg = append(append(append(msg, q...), 0xFF), "forged"...)
		c.Write(msg)
	}
	t.Cleanup(func() {
		if t.Failed() {
			tw.mu.Lock()
			t.Log("trace:\n" + trace.String())
			tw.mu.Unlock()
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := plat.Start(ctx); err != nil {
		t.Fatal(err)
	}
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	a.must("AT+NPSMR=1")
	a.must("AT+NNMI=1")
	// PSM: periodic TAU 1 h (T3412 0b001 00001: 1 × 1 h), active time 2 s
	// (T3324 0b000 00001: 1 × 2 s).
	a.must(`AT+CPSMS=1,,,"00100001","00000001"`)
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	deadline := time.Now().Add(30 * time.Second)
	for {
		out := a.must("AT+CGATT?")
		if strings.Contains(out[0], "1") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not attached")
		}
		time.Sleep(100 * time.Millisecond)
	}
	imei := e.IMEI(0)
	forge()
	a.must("AT+NMGS=5,48656C6C6F")
	waitFor(t, "the platform stores the message", func() bool { return len(plat.Messages(imei)) == 1 })
	if got := plat.Messages(imei)[0].Payload; string(got) != "Hello" {
		t.Fatalf("platform got %q", got)
	}
	forge()
	waitFor(t, "the platform refuses the forged uplinks", func() bool { return plat.Stats().UplinksUnauthorized == 2 })
	if n := len(plat.Messages(imei)); n != 1 {
		t.Fatalf("%d messages stored, want the module's only", n)
	}
	// The module sleeps: inactivity timer, release, active time, PSM.
	a.wait("+NPSMR:1", 60*time.Second)
	id, err := plat.Queue(imei, []byte{0xCA, 0xFE})
	if err != nil {
		t.Fatal(err)
	}
	// Not delivered while asleep.
	a.c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if l, err := a.rd.ReadString('\n'); err == nil && strings.Contains(l, "+NNMI") {
		t.Fatalf("delivered while in PSM: %q", l)
	}
	a.rd.Reset(a.c)
	// The next uplink wakes it: the command follows.
	a.must("AT+NMGS=2,0102")
	l := a.wait("+NNMI:", 60*time.Second)
	if !strings.HasSuffix(l, "2,CAFE") {
		t.Fatalf("downlink %q", l)
	}
	waitFor(t, "the platform sees the command delivered", func() bool {
		for _, c := range plat.Commands(imei) {
			if c.ID == id && c.Status == platform.Delivered {
				return true
			}
		}
		return false
	})
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testutil.WaitFor(t, 20*time.Second, what, cond)
}

// Config.SGiBind is the address the gateway's sockets bind: a server sees
// a module's datagrams come from it (default 127.0.0.1, TestAttachAndUDP).
func TestEmulateSGiBind(t *testing.T) {
	srv, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	to := srv.LocalAddr().(*net.UDPAddr).AddrPort()
	_, addrs := start(t, Config{Modules: 1, Seed: 1, SGiBind: netip.MustParseAddr("127.0.0.2")})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:1", 30*time.Second)
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	a.must(fmt.Sprintf("AT+NSOST=0,%s,%d,2,4142", to.Addr(), to.Port()))
	srv.SetReadDeadline(time.Now().Add(30 * time.Second))
	buf := make([]byte, 64)
	n, from, err := srv.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatal(err)
	}
	if string(buf[:n]) != "AB" || from.Addr() != netip.MustParseAddr("127.0.0.2") {
		t.Errorf("server got %q from %v, want \"AB\" from 127.0.0.2", buf[:n], from)
	}
}
