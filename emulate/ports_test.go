package emulate

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The AT ports: pseudo-terminals, TCP clients that vanish, and input no
// firmware should send.

// readUntil reads from r until the text read contains want, or fails the
// test after timeout.
func readUntil(t *testing.T, f *os.File, want string, timeout time.Duration) string {
	t.Helper()
	if err := f.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		t.Fatalf("read deadline on %s: %v", f.Name(), err)
	}
	var got []byte
	buf := make([]byte, 256)
	for !bytes.Contains(got, []byte(want)) {
		n, err := f.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("reading %s: %v; got %q, want %q", f.Name(), err, got, want)
		}
	}
	return string(got)
}

// A module's pseudo-terminal, opened through its symlink as firmware (or
// minicom) would: AT answers OK, without the kernel echoing anything of
// its own; the link goes when the emulation stops.
func TestPortPTY(t *testing.T) {
	e, _ := start(t, Config{Modules: 2, Seed: 1})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ptys, err := e.OpenPTYs(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ptys) != 2 {
		t.Fatalf("%d pseudo-terminals for 2 modules", len(ptys))
	}
	for i, p := range ptys {
		if want := filepath.Join(dir, "nbsim-at"+string(rune('0'+i))); p.Link != want {
			t.Errorf("module %d: link %q, want %q", i, p.Link, want)
		}
		if target, err := os.Readlink(p.Link); err != nil || target != p.Path {
			t.Errorf("module %d: %s → %q (%v), want → %s", i, p.Link, target, err, p.Path)
		}
	}
	f, err := os.OpenFile(ptys[1].Link, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("AT\r")); err != nil {
		t.Fatal(err)
	}
	// The module echoes (ATE1 at boot); raw mode: no second echo, no
	// CR → LF translation.
	if got := readUntil(t, f, "OK\r\n", 5*time.Second); got != "AT\r\r\nOK\r\n" {
		t.Errorf("AT on the pseudo-terminal: %q, want %q", got, "AT\r\r\nOK\r\n")
	}
	if _, err := f.Write([]byte("ATE0\rAT+CGSN=1\r")); err != nil {
		t.Fatal(err)
	}
	if got := readUntil(t, f, "+CGSN:"+e.IMEI(1)+"\r\n\r\nOK\r\n", 5*time.Second); strings.Contains(got, "ERROR") {
		t.Errorf("got %q", got)
	}
	// A client that closes and reopens: the module is still there.
	f.Close()
	f, err = os.OpenFile(ptys[1].Link, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("AT+CGSN=1\r")); err != nil {
		t.Fatal(err)
	}
	readUntil(t, f, "+CGSN:"+e.IMEI(1), 5*time.Second)
	cancel()
	waitFor(t, "the links are removed when the emulation stops", func() bool {
		for _, p := range ptys {
			if _, err := os.Lstat(p.Link); err == nil {
				return false
			}
		}
		return true
	})
}

// abort closes a TCP connection with a reset, as a killed process's
// connection may end.
func abort(t *testing.T, a *atClient) {
	t.Helper()
	if tc, ok := a.c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	a.c.Close()
}

// A client killed while its module runs a command leaves the other
// modules running, and the module takes a new client.
func TestPortTCPClientKilledMidCommand(t *testing.T) {
	// AT+CFUN=0 during an access answers once the access ends: module 0's
	// preambles go undetected (an injected access failure), so its attach
	// runs the whole random-access ladder with the command pending.
	e, addrs := start(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=3s"), Modules: 2, Seed: 1})
	a0, a1 := dialAT(t, addrs[0]), dialAT(t, addrs[1])
	a0.must("ATE0")
	a1.must("ATE0")
	e.Do(func() { _ = e.net.FailAccess(0, 1) })
	a0.must("AT+CFUN=1")
	a0.must("AT+CGATT=1")
	time.Sleep(600 * time.Millisecond) // pacing, not a check: synchronised, preambles under way
	if _, err := a0.c.Write([]byte("AT+CFUN=0\r")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "AT+CFUN=0 reaches the network stack", func() bool {
		var want bool
		e.Do(func() { want = e.mods[0].wantAttach })
		return !want
	})
	var state ModuleState
	e.Do(func() { state = e.state(0, false) })
	if !state.Radio || state.Registration != "searching" {
		t.Fatalf("module 0 should be in its access with AT+CFUN=0 pending: %+v", state)
	}
	abort(t, a0)

	// Module 1 is unaffected: it answers at once and registers.
	if out := a1.must("AT+CGSN=1"); out[0] != "+CGSN:"+e.IMEI(1) {
		t.Errorf("module 1: %q", out)
	}
	atAttach(a1, 15*time.Second)

	// Module 0 finished its command with nobody listening, and takes a
	// new client.
	waitFor(t, "module 0's radio goes off", func() bool {
		var on bool
		e.Do(func() { on = e.mods[0].radioOn })
		return !on
	})
	b0 := dialAT(t, addrs[0])
	if out := b0.must("AT+CGSN=1"); out[0] != "+CGSN:"+e.IMEI(0) {
		t.Errorf("module 0 after reconnecting: %q", out)
	}
	if out := b0.must("AT+CFUN?"); out[0] != "+CFUN:0" {
		t.Errorf("module 0 after reconnecting: %q", out)
	}
	atAttach(b0, 15*time.Second)
	if out := a1.must("AT+CGATT?"); out[0] != "+CGATT:1" {
		t.Errorf("module 1: %q", out)
	}
}

// A client killed in the middle of typing a line: the next client's first
// command is not glued to the dead client's half line.
func TestPortTCPClientKilledMidLine(t *testing.T) {
	e, addrs := start(t, Config{Modules: 1, Seed: 1})
	a := dialAT(t, addrs[0])
	half := "AT+NSOST=0,127.0.0.1,9,2,41"
	if _, err := a.c.Write([]byte(half)); err != nil {
		t.Fatal(err)
	}
	// The module echoes what it has read (ATE1 at boot): then the half
	// line is in its line buffer.
	a.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if echo, err := io.ReadAtLeast(a.rd, make([]byte, len(half)), len(half)); err != nil {
		t.Fatalf("echo of the half line: %d bytes, %v", echo, err)
	}
	abort(t, a)
	// The new client waits for the port up to atBusyGrace.
	b := dialAT(t, addrs[0])
	if out := b.cmd("AT+CGSN=1"); !slices.Contains(out, "+CGSN:"+e.IMEI(0)) || out[len(out)-1] != "OK" {
		t.Errorf("the first command of a new client: %q", out)
	}
}

// A second client of a module is refused with a notice (a module has one
// UART) and the first keeps the port; once the first leaves, a new client
// is taken.
func TestPortTCPSecondClientRefused(t *testing.T) {
	e, addrs := start(t, Config{Modules: 1, Seed: 1})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	b := dialAT(t, addrs[0])
	b.c.Write([]byte("AT+CGSN=1\r"))
	if l := b.line(5 * time.Second); !strings.HasPrefix(l, "+NBSIM: busy, module 0 has a client from "+a.c.LocalAddr().String()) {
		t.Errorf("the second client reads %q, want the busy notice", l)
	}
	b.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if rest, err := io.ReadAll(b.rd); err != nil || len(rest) != 0 {
		t.Errorf("the refused client: %q, %v; want the end of the connection", rest, err)
	}
	if out := a.must("AT+CGSN=1"); out[0] != "+CGSN:"+e.IMEI(0) {
		t.Errorf("the first client after the refusal: %q", out)
	}
	a.c.Close()
	c := dialAT(t, addrs[0])
	if out := c.must("AT+CGSN=1"); out[0] != "+CGSN:"+e.IMEI(0) {
		t.Errorf("after the first client left: %q", out)
	}
}

// With ATTakeover a second client of a module replaces the first, which is
// disconnected (as a new terminal on a serial line); a graceful close is
// no different.
func TestPortTCPTakeover(t *testing.T) {
	e, addrs := start(t, Config{Modules: 1, Seed: 1, ATTakeover: true})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	b := dialAT(t, addrs[0])
	if out := b.must("AT+CGSN=1"); out[0] != "+CGSN:"+e.IMEI(0) {
		t.Errorf("the new client: %q", out)
	}
	a.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if l, err := a.rd.ReadString('\n'); err == nil {
		t.Errorf("the replaced client still reads %q", l)
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Error("the replaced client is still connected")
	}
	b.c.Close()
	c := dialAT(t, addrs[0])
	if out := c.must("AT+CGSN=1"); out[0] != "+CGSN:"+e.IMEI(0) {
		t.Errorf("after a graceful close: %q", out)
	}
}

// flakyListener fails its first n Accepts with err, as a listener does
// while the process is out of file descriptors (EMFILE).
type flakyListener struct {
	net.Listener
	mu  sync.Mutex
	n   int
	err error
}

func (l *flakyListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.n > 0 {
		l.n--
		l.mu.Unlock()
		return nil, l.err
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}

// An AT port survives failed Accepts (EMFILE): it logs once, backs off,
// and takes the next client.
func TestPortTCPAcceptErrors(t *testing.T) {
	var log lockedWriter
	log.b = &strings.Builder{}
	e, _ := start(t, Config{Modules: 1, Seed: 1, Log: &log})
	l0, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	emfile := &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	l := &flakyListener{Listener: l0, n: 8, err: emfile} // back-offs 5 ms … 640 ms
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go e.serveAT(ctx, 0, l)
	a := dialAT(t, l0.Addr())
	if out := a.must("AT+CGSN=1"); len(out) == 0 || !strings.Contains(out[len(out)-2], e.IMEI(0)) {
		t.Errorf("after 8 failed accepts: %q", out)
	}
	log.mu.Lock()
	got := log.b.String()
	log.mu.Unlock()
	if strings.Count(got, "too many open files") != 1 || !strings.Contains(got, "accepting again") {
		t.Errorf("log: %q; want the failure once, then the recovery", got)
	}
}

// A client that sends nothing for ATIdle is closed; one that never reads
// the module's output is closed once the write timeout passes, and
// neither stalls the module: another client is served.
func TestPortTCPIdle(t *testing.T) {
	e, addrs := start(t, Config{Modules: 1, Seed: 1, ATIdle: 300 * time.Millisecond})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	t0 := time.Now()
	a.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(a.rd); err != nil {
		t.Errorf("an idle client: %v, want the connection closed", err)
	}
	if d := time.Since(t0); d > 4*time.Second {
		t.Errorf("closed after %v", d)
	}
	b := dialAT(t, addrs[0])
	if out := b.must("AT+CGSN=1"); out[0] != "+CGSN:"+e.IMEI(0) {
		t.Errorf("the next client: %q", out)
	}
}

// A client that never reads: its connection is closed after the write
// timeout, and the module goes on (its output is not waited for).
func TestPortWriteTimeout(t *testing.T) {
	old := atWriteTimeout
	atWriteTimeout = 200 * time.Millisecond
	t.Cleanup(func() { atWriteTimeout = old })
	e, _ := start(t, Config{Modules: 1, Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	client, server := net.Pipe() // no buffer: the module's first output line blocks
	t.Cleanup(func() { client.Close() })
	go e.attach(ctx, 0, server, 0)
	if _, err := client.Write([]byte("AT\r")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		client.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, err := client.Write([]byte("AT\r"))
		if errors.Is(err, io.ErrClosedPipe) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a client that never reads is still connected (%v)", err)
		}
	}
	if imsi := e.IMSI(0); imsi == "" {
		t.Fatal("no IMSI")
	}
	var st ModuleState
	e.Do(func() { st = e.state(0, false) }) // the engine is not stuck
	if st.Module != 0 {
		t.Errorf("%+v", st)
	}
}

// Malformed input gets ERROR and the module carries on: bad hex, lengths
// that do not match, an overlong line, binary junk, a flood.
func TestPortMalformedInput(t *testing.T) {
	e, addrs := start(t, Config{Modules: 2, Seed: 1})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	a.must("AT+CMEE=1")
	a.must("AT+CFUN=1")
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	for _, c := range []string{
		"AT+NSOST=0,127.0.0.1,9,2,ZZZZ",         // not hex
		"AT+NSOST=0,127.0.0.1,9,2,414",          // odd number of digits
		"AT+NSOST=0,127.0.0.1,9,3,4142",         // length does not match
		"AT+NSOST=0,127.0.0.1,9,-1,",            // negative length
		"AT+NSOST=0,999.0.0.1,9,1,41",           // not an address
		"AT+NSOST=0,127.0.0.1,70000,1,41",       // not a port
		"AT+NSOST=9,127.0.0.1,9,1,41",           // no such socket
		"AT+NMGS=2,4G4G",                        // not hex
		"AT+NMGS=99999999999999999999,41",       // overflow
		"AT+CSODCP=1,2,\"41\"",                  // length does not match
		"AT+CPSMS=1,,,\"0010001\",\"00100001\"", // 7 bits
		"AT+CPSMS=1,,,\"0010001X\"",             // not binary
		"AT+CEDRXS=1,5,\"11111\"",               // 5 bits
		"AT+CEREG=\"",                           // unterminated string
		"AT+CFUN=1,,,,,,,,,,,,,",                // too many parameters
		"AT+\x01\x02NSOST",                      // control characters
		"AT\xff\xfe\xfd",                        // not ASCII
		"AT+NUESTATS=\"" + strings.Repeat("Z", 100) + "\"",
	} {
		out := a.cmd(c)
		if l := out[len(out)-1]; l != "ERROR" && !strings.HasPrefix(l, "+CME ERROR") {
			t.Errorf("%q: %q, want ERROR", c, out)
		}
	}
	// A line longer than any command: ERROR once, at its CR.
	long := "AT+NSOST=0,127.0.0.1,9,5000," + strings.Repeat("41", 5000)
	if out := a.cmd(long); len(out) != 1 || out[0] != "ERROR" {
		t.Errorf("a %d-character line: %q, want ERROR", len(long), out)
	}
	if ceer := atInfo(a, "AT+CEER"); !strings.Contains(ceer, "longer than") {
		t.Errorf("AT+CEER after the long line: %q", ceer)
	}
	// Binary junk, with and without line ends: whatever it does, the port
	// still answers and the network still runs.
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	for i := 0; i < len(junk); i += 4096 {
		if _, err := a.c.Write(junk[i : i+4096]); err != nil {
			t.Fatal(err)
		}
	}
	// Junk without a CR, then a CR: the line it makes is finished off.
	a.c.Write([]byte("AT" + strings.Repeat("\x00\xff", 3000) + "\r"))
	// Drain what the junk produced, then reset the settings it may have
	// changed (echo, verbose, quiet): a clean command answers.
	t.Logf("%d bytes of output to the junk", len(drain(a, 500*time.Millisecond)))
	a.c.Write([]byte("\rATZ\r"))
	drain(a, 300*time.Millisecond)
	a.must("ATE0V1")
	if out := a.must("AT+CGSN=1"); out[0] != "+CGSN:"+e.IMEI(0) {
		t.Errorf("after the junk: %q", out)
	}
	// The other module and the network are fine.
	b := dialAT(t, addrs[1])
	b.must("ATE0")
	atAttach(b, 15*time.Second)
	atAttach(a, 15*time.Second)
}

// drain reads whatever a module writes until it is quiet for d.
func drain(a *atClient, d time.Duration) []byte {
	var out []byte
	buf := make([]byte, 4096)
	for {
		a.c.SetReadDeadline(time.Now().Add(d))
		n, err := a.rd.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			a.rd.Reset(a.c)
			return out
		}
	}
}

// A --pty-dir that another user could write to, or that is a symlink, is
// refused before any link is made: whoever replaces DIR/nbsim-at<i> gets
// the firmware's AT traffic.
func TestPortPTYDirChecked(t *testing.T) {
	e, _ := start(t, Config{Modules: 1, Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := t.TempDir()
	shared := filepath.Join(base, "shared")
	if err := os.Mkdir(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o1777); err != nil { // as /tmp is
		t.Fatal(err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(t.TempDir(), link); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{shared: "writable by other users", link: "not a directory"}
	if os.Geteuid() == 0 {
		other := filepath.Join(base, "other")
		if err := os.Mkdir(other, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(other, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		cases[other] = "belongs to uid 65534"
	}
	for dir, want := range cases {
		_, err := e.OpenPTYs(ctx, dir)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "--pty-dir: ") {
			t.Errorf("OpenPTYs(%s): %v, want an error saying %q", dir, err, want)
		}
		if _, err := os.Lstat(filepath.Join(dir, "nbsim-at0")); err == nil {
			t.Errorf("%s/nbsim-at0 made although the directory was refused", dir)
		}
	}
	// A directory that does not exist yet is made 0700 and used.
	fresh := filepath.Join(base, "fresh")
	ptys, err := e.OpenPTYs(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("made %s with %v (%v), want 0700", fresh, fi.Mode().Perm(), err)
	}
	if len(ptys) != 1 {
		t.Errorf("%d pseudo-terminals, want 1", len(ptys))
	}
}

// Clients that take over at the same moment: the one left connected gets
// the module's output (on the old code the output could stay with a client
// that had already been replaced, and the survivor read nothing).
func TestPortTCPTakeoverRace(t *testing.T) {
	_, addrs := start(t, Config{Modules: 1, Seed: 1, ATTakeover: true})
	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	for round := range rounds {
		const n = 8
		conns := make([]net.Conn, n)
		var wg sync.WaitGroup
		for k := range n {
			wg.Go(func() {
				c, err := net.Dial("tcp", addrs[0].String())
				if err != nil {
					t.Error(err)
					return
				}
				conns[k] = c
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		// Every client but the last to take the port is disconnected: the
		// survivor is the one whose read does not end (it times out).
		var survivors []net.Conn
		for _, c := range conns {
			c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			_, err := c.Read(make([]byte, 64))
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				survivors = append(survivors, c)
			} else {
				c.Close()
			}
		}
		if len(survivors) != 1 {
			t.Fatalf("round %d: %d of %d simultaneous clients still connected, want 1", round, len(survivors), n)
		}
		c := survivors[0]
		c.SetDeadline(time.Now().Add(3 * time.Second))
		c.Write([]byte("AT\r"))
		var b []byte
		for buf := make([]byte, 64); !strings.Contains(string(b), "OK"); {
			k, err := c.Read(buf)
			b = append(b, buf[:k]...)
			if err != nil {
				break
			}
		}
		c.Close()
		answered := 0
		if strings.Contains(string(b), "OK") {
			answered = 1
		}
		if answered != 1 {
			t.Fatalf("round %d: the client left connected got %q to AT, want OK", round, b)
		}
	}
}

// portGoroutines lists the goroutines running code of ports.go.
func portGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "/emulate/ports.go:") {
			out = append(out, g)
		}
	}
	return out
}

// Close returns once every goroutine of the AT ports has exited: the
// accept loops, a client's session and output writer, a client waiting
// for a busy port, and the pseudo-terminals (whose links are gone then).
func TestCloseJoinsPorts(t *testing.T) {
	before := len(portGoroutines())
	e, addrs := start(t, Config{Modules: 2, Seed: 1})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	waiting, err := net.Dial("tcp", addrs[0].String()) // waits atBusyGrace for the port
	if err != nil {
		t.Fatal(err)
	}
	defer waiting.Close()
	// The pseudo-terminals come after the TCP client's command: each
	// takes its module's output.
	ptys, err := e.OpenPTYs(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(ptys[1].Link, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("ATE0\r")); err != nil {
		t.Fatal(err)
	}
	readUntil(t, f, "OK\r\n", 5*time.Second)
	// Serving: 2 accept loops, a session with its writer, a waiting
	// session, and 2 pseudo-terminals with their writers.
	if n := len(portGoroutines()) - before; n < 7 {
		t.Fatalf("%d port goroutines while serving, want at least 7", n)
	}

	e.Close()
	if left := portGoroutines(); len(left) > before {
		t.Fatalf("%d port goroutines left after Close (%d before the test):\n%s", len(left), before, strings.Join(left, "\n\n"))
	}
	for _, p := range ptys {
		if _, err := os.Lstat(p.Link); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("link %s after Close: %v", p.Link, err)
		}
	}
}
