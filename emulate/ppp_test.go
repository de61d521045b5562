package emulate

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/internal/ppptest"
)

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
	echo := udpEcho(t)
	_, addrs := startTraced(t, Config{Modules: 1, Seed: 1})
	c, err := net.Dial("tcp", addrs[0].String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cl, rd := dialPPP(t, c, "ATD*99#", ppptest.Config{Magic: 0x0badcafe, ACFC: true, PFC: true, Name: "nbsim", Secret: "x", DNS: true})
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
