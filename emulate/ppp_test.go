package emulate

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/internal/ppptest"
	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/pcap"
)

// dataProfiles are the modules of the PPP and CMUX tests: sara-r4, whose
// manual has ATD*99# and AT+CMUX (the default bc95 has neither); it
// boots at once, echo on, CMEE 0.
func dataProfiles(t testing.TB) []*module.Profile {
	t.Helper()
	p, err := module.LookupProfile("sara-r4")
	if err != nil {
		t.Fatal(err)
	}
	return []*module.Profile{p}
}

// echoAndModule starts a UDP echo server and one module, and connects to
// the module's TCP AT port.
func echoAndModule(t *testing.T) (netip.AddrPort, net.Conn) {
	t.Helper()
	echo := udpEcho(t)
	_, addrs := startTraced(t, Config{Modules: 1, Seed: 1, Profiles: dataProfiles(t)})
	c, err := net.Dial("tcp", addrs[0].String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return echo, c
}

// dialPPP sends ATD*99# on a registered module's port and, after CONNECT,
// runs the independent PPP client on it.
func dialPPP(t *testing.T, c net.Conn, dial string, cfg ppptest.Config) (*ppptest.Client, io.Reader) {
	t.Helper()
	a := &atClient{t: t, c: c, rd: bufio.NewReader(c)}
	a.must("ATE0")
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:1", 30*time.Second)
	if _, err := c.Write([]byte(dial + "\r")); err != nil {
		t.Fatal(err)
	}
	if l := a.line(10 * time.Second); l != "CONNECT" {
		t.Fatalf("%s answered %q, want CONNECT", dial, l)
	}
	c.SetReadDeadline(time.Time{})
	// the module's first LCP frame may follow CONNECT in the same read
	cl, err := ppptest.Dial(struct {
		io.Reader
		io.Writer
	}{a.rd, c}, cfg, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return cl, a.rd
}

// A host's PPP stack (the independent test client, not package ppp)
// dials the module, gets the PDN address by IPCP, and a UDP datagram
// crosses the simulated radio and core to a real UDP echo server on this
// host and back.
func TestPPPEcho(t *testing.T) {
	t.Run("tcp", func(t *testing.T) {
		echo, c := echoAndModule(t)
		pppEcho(t, echo, c)
	})
	t.Run("pty", func(t *testing.T) {
		echo := udpEcho(t)
		_, f := modulePTY(t, Config{Modules: 1, Seed: 1, Profiles: dataProfiles(t)})
		pppEcho(t, echo, fileConn{f})
	})
}

// modulePTY starts the emulator (traced) and opens module 0's
// pseudo-terminal, or skips where there are none.
func modulePTY(t *testing.T, cfg Config) (*Emulator, *os.File) {
	t.Helper()
	e, _ := startTraced(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ptys, err := e.OpenPTYs(ctx, "")
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	f, err := os.OpenFile(ptys[0].Path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return e, f
}

// fileConn is a pseudo-terminal as a net.Conn for atClient (which reads
// with deadlines and writes).
type fileConn struct{ *os.File }

func (fileConn) LocalAddr() net.Addr  { return nil }
func (fileConn) RemoteAddr() net.Addr { return nil }

// pppEcho dials PPP on a module's port c and echoes three datagrams.
func pppEcho(t *testing.T, echo netip.AddrPort, c net.Conn) {
	cl, rd := dialPPP(t, c, "ATD*99#", ppptest.Config{Magic: 0x0badcafe, ACFC: true, PFC: true, Name: "nbsim", Secret: "x", DNS: true})
	echoThrough(t, echo, cl, c, rd)
}

// echoThrough echoes three datagrams through a PPP link that is up, ends
// it, and sees NO CARRIER and the port back in command mode (rd reads c).
func echoThrough(t *testing.T, echo netip.AddrPort, cl *ppptest.Client, c net.Conn, rd io.Reader) {
	t.Helper()
	addr := cl.Addr()
	if !strings.HasPrefix(addr.String(), "10.45.") {
		t.Fatalf("IPCP gave %v, want a PDN address 10.45.x.x", addr)
	}
	for i := range 3 {
		u := ippkt.UDP{Src: netip.AddrPortFrom(addr, 40000), Dst: echo, Payload: []byte{'p', byte('0' + i)}}
		pkt, err := u.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := cl.SendIP(pkt); err != nil {
			t.Fatal(err)
		}
		back, err := cl.RecvIP(30 * time.Second)
		if err != nil {
			t.Fatalf("echo %d: %v", i, err)
		}
		r, err := ippkt.Parse(back)
		if err != nil {
			t.Fatalf("echo %d: %x: %v", i, back, err)
		}
		if r.Src != echo || r.Dst != u.Src || string(r.Payload) != "re:p"+string(rune('0'+i)) {
			t.Fatalf("echo %d: %v -> %v %q", i, r.Src, r.Dst, r.Payload)
		}
	}
	if err := cl.Terminate(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if e := cl.Errors(); len(e) > 0 {
		t.Fatalf("client saw errors: %q", e)
	}
	// back in command mode after NO CARRIER
	a := &atClient{t: t, c: c, rd: bufio.NewReader(io.MultiReader(bytes.NewReader(cl.Rest()), rd))}
	a.wait("NO CARRIER", 10*time.Second)
	a.must("AT")
}

// recConn records what a connection reads (the module's output).
type recConn struct {
	net.Conn
	mu  sync.Mutex
	got []byte
}

func (r *recConn) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	r.mu.Lock()
	r.got = append(r.got, b[:n]...)
	r.mu.Unlock()
	return n, err
}

// hdlcFrames cuts a byte stream into its PPP frames (RFC 1662 §4: between
// Flag Sequences, escapes removed, FCS kept), as LINKTYPE_PPP_HDLC wants
// them; text between frames (AT responses) is left out.
func hdlcFrames(b []byte) [][]byte {
	var out [][]byte
	first, last := bytes.IndexByte(b, 0x7e), bytes.LastIndexByte(b, 0x7e)
	if first < 0 || first == last {
		return nil
	}
	for _, f := range bytes.Split(b[first+1:last], []byte{0x7e}) {
		if len(f) == 0 {
			continue
		}
		var u []byte
		for i := 0; i < len(f); i++ {
			if f[i] == 0x7d && i+1 < len(f) {
				i++
				u = append(u, f[i]^0x20)
				continue
			}
			u = append(u, f[i])
		}
		out = append(out, u)
	}
	return out
}

// Every frame the module sends in a PPP session (LCP, CHAP, IPCP, IPv4,
// Terminate) decodes in Wireshark's PPP dissectors with a good FCS and no
// malformed packet or error-level expert item: the module's output stream,
// cut into frames, is written as LINKTYPE_PPP_HDLC and read by tshark -V.
func TestPPPTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("no tshark")
	}
	echo, c := echoAndModule(t)
	rc := &recConn{Conn: c}
	cl, rd := dialPPP(t, rc, "AT+CGDATA=\"PPP\",1", ppptest.Config{Magic: 0x11, ACFC: true, PFC: true, ACCM: 0, Name: "n", Secret: "s", DNS: true})
	u := ippkt.UDP{Src: netip.AddrPortFrom(cl.Addr(), 40001), Dst: echo, Payload: []byte{0x7e, 0x7d, 0x11, 0x13, 'x'}}
	pkt, _ := u.Marshal()
	if err := cl.SendIP(pkt); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.RecvIP(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := cl.Terminate(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	a := &atClient{t: t, c: c, rd: bufio.NewReader(io.MultiReader(bytes.NewReader(cl.Rest()), rd))}
	a.wait("NO CARRIER", 10*time.Second)
	rc.mu.Lock()
	frames := hdlcFrames(rc.got)
	rc.mu.Unlock()
	var buf bytes.Buffer
	w, err := pcap.NewWriterLinkType(&buf, pcap.LinkTypePPPHDLC)
	if err != nil {
		t.Fatal(err)
	}
	tm := time.Unix(1.7e9, 0)
	for i, f := range frames {
		if err := w.WritePacket(tm.Add(time.Duration(i)*time.Millisecond), f); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "ppp.pcap")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-r", file, "-o", "ppp.fcs_type:16-Bit", "-V").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	text := string(out)
	for _, bad := range []string{"Malformed", "Expert Info (Error", "FCS Status: Bad", "Unknown (0x"} {
		if strings.Contains(text, bad) {
			t.Fatalf("tshark finds %q in the module's frames:\n%s", bad, text)
		}
	}
	if n := strings.Count(text, "FCS Status: Good"); n != len(frames) || n < 8 {
		t.Fatalf("%d frames with a good FCS of %d", n, len(frames))
	}
	for _, want := range []string{"Code: Configuration Request (1)", "Code: Configuration Ack (2)", "Challenge Handshake Authentication Protocol",
		"Code: Success (3)", "Internet Protocol Control Protocol", "Code: Configuration Nak (3)", "Code: Configuration Reject (4)",
		"User Datagram Protocol", "Code: Termination Ack (6)"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in tshark's reading of the module's frames", want)
		}
	}
}
