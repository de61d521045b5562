package ppp_test

import (
	"bytes"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/ppptest"
	"github.com/nbsim/nbsim/ppp"
)

// serve runs l on conn as a module's port does: bytes in, Ready's bytes
// out, Tick at the timer. Packets from the host go to up; down packets
// are sent to the host.
func serve(t *testing.T, l *ppp.Link, conn net.Conn, up chan<- []byte, down <-chan []byte) *sync.Mutex {
	t.Helper()
	var mu sync.Mutex
	in := make(chan []byte)
	go func() {
		buf := make([]byte, 512)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(in)
				return
			}
			in <- append([]byte(nil), buf[:n]...)
		}
	}()
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			mu.Lock()
			select {
			case b, ok := <-in:
				if !ok {
					mu.Unlock()
					return
				}
				l.Input(time.Now(), b)
			case p := <-down:
				l.Send(p)
			case <-tick.C:
				l.Tick(time.Now())
			}
			r := l.Ready()
			mu.Unlock()
			for _, p := range r.Packets {
				up <- p
			}
			if len(r.Out) > 0 {
				conn.Write(r.Out)
			}
		}
	}()
	return &mu
}

func TestLinkWithIndependentClient(t *testing.T) {
	pdn := netip.MustParseAddr("10.45.0.7")
	dns := netip.MustParseAddr("10.45.0.254")
	for _, c := range []struct {
		name string
		auth ppp.Auth
		cfg  ppptest.Config
	}{
		{"no auth, no compression", ppp.AuthNone, ppptest.Config{Magic: 0x11223344, ACCM: 0xffffffff}},
		{"CHAP, ACFC and PFC, ACCM 0", ppp.AuthCHAP, ppptest.Config{Magic: 0x01020304, ACFC: true, PFC: true, Name: "user", Secret: "x", DNS: true}},
		{"PAP", ppp.AuthPAP, ppptest.Config{Magic: 7, Name: "u", Secret: "p", DNS: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			l := ppp.New(time.Now(), ppp.Config{Addr: pdn, DNS: [2]netip.Addr{dns}, Magic: 0x5a5a0001, Auth: c.auth, Name: "UMTS_CHAP_SRVR"})
			up, down := make(chan []byte, 4), make(chan []byte, 4)
			mu := serve(t, l, a, up, down)
			cl, err := ppptest.Dial(b, c.cfg, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if cl.Addr() != pdn {
				t.Fatalf("address %v, want %v", cl.Addr(), pdn)
			}
			if c.cfg.DNS && (len(cl.DNS()) != 1 || cl.DNS()[0] != dns) {
				t.Fatalf("DNS %v, want [%v] (the secondary rejected)", cl.DNS(), dns)
			}
			pkt := []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 45, 0, 7, 127, 0, 0, 1}
			if err := cl.SendIP(pkt); err != nil {
				t.Fatal(err)
			}
			select {
			case p := <-up:
				if !bytes.Equal(p, pkt) {
					t.Fatalf("module got %x, want %x", p, pkt)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the module got no packet")
			}
			back := append([]byte{0x7e, 0x7d}, pkt...) // octets that need escaping
			down <- back
			p, err := cl.RecvIP(5 * time.Second)
			if err != nil || !bytes.Equal(p, back) {
				t.Fatalf("client got %x (%v), want %x", p, err, back)
			}
			if err := cl.Terminate(5 * time.Second); err != nil {
				t.Fatal(err)
			}
			if e := cl.Errors(); len(e) > 0 {
				t.Fatalf("client saw errors: %q", e)
			}
			mu.Lock()
			defer mu.Unlock()
			if lcp, _ := l.States(); lcp != ppp.Stopping && lcp != ppp.Stopped {
				t.Fatalf("LCP %v after the host's Terminate-Request", lcp)
			}
			if c.auth != ppp.AuthNone && l.Peer() != c.cfg.Name {
				t.Fatalf("peer %q, want %q", l.Peer(), c.cfg.Name)
			}
		})
	}
}
