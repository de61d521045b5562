//go:build linux

package emulate

import (
	"bytes"
	"context"
	"maps"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/module"
)

// netns runs functions on one OS thread that has a network namespace of
// its own (and no other way out: the thread ends with the test).
type netns struct {
	do   chan func()
	done chan struct{}
}

// newNetns returns a fresh network namespace, or skips the test.
func newNetns(t *testing.T) *netns {
	t.Helper()
	ns := &netns{do: make(chan func()), done: make(chan struct{})}
	errc := make(chan error)
	go func() {
		// Never unlocked: the thread is discarded when this goroutine
		// returns, and the namespace with it.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			errc <- err
			return
		}
		errc <- nil
		for {
			select {
			case f := <-ns.do:
				f()
			case <-ns.done:
				return
			}
		}
	}()
	if err := <-errc; err != nil {
		t.Skipf("no network namespace (unshare: %v): the test needs root", err)
	}
	t.Cleanup(func() { close(ns.done) })
	return ns
}

// run runs f in the namespace and waits for it.
func (ns *netns) run(f func()) {
	done := make(chan struct{})
	ns.do <- func() { f(); close(done) }
	<-done
}

// listenUDP opens a UDP socket in the namespace on addr, bound to the
// interface dev (SO_BINDTODEVICE: no route needed).
func (ns *netns) listenUDP(ctx context.Context, dev string, addr netip.Addr) (c net.PacketConn, err error) {
	ns.run(func() {
		lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			if err := rc.Control(func(fd uintptr) { serr = unix.BindToDevice(int(fd), dev) }); err != nil {
				return err
			}
			return serr
		}}
		c, err = lc.ListenPacket(ctx, "udp4", netip.AddrPortFrom(addr, 0).String())
	})
	return c, err
}

// A host program sends a UDP datagram through the module's TUN interface;
// it crosses the simulated network, leaves the gateway as real UDP to an
// echo server on 127.0.0.1, and the answer comes back through the network
// and out of the interface to the program's socket.
//
// The program binds to the PDN address with SO_BINDTODEVICE nbsim0 (no
// route needed). The interface lives in a network namespace of its own,
// the "device side" (OpenTUNs makes it in the caller's namespace), while
// the emulator's gateway and the echo server stay in the test's: the test
// neither collides with an nbsim0 of this host nor depends on its
// reverse-path filtering, which the new namespace inherits and the test
// turns off there. The answer's source, 127.0.0.1, arriving on nbsim0 would
// be a martian; OpenTUNs sets route_localnet (and accept_local) on the
// interface so that it is not (the same holds in a single namespace).
func TestTUNEcho(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("TUN interfaces need root")
	}
	if f, err := os.OpenFile("/dev/net/tun", os.O_RDWR, 0); err != nil {
		t.Skipf("TUN interfaces need /dev/net/tun: %v", err)
	} else {
		f.Close()
	}
	ns := newNetns(t)
	echo := udpEcho(t)
	e, addrs := startTraced(t, Config{Modules: 1, Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		tuns []*TUN
		err  error
	)
	ns.run(func() {
		for _, c := range []string{"all", "default"} {
			if err = os.WriteFile("/proc/sys/net/ipv4/conf/"+c+"/rp_filter", []byte("0"), 0); err != nil {
				return
			}
		}
		tuns, err = e.OpenTUNs(ctx, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	tun := tuns[0]
	if tun.Name != "nbsim0" || tun.Warning != "" {
		t.Fatalf("interface %q, warning %q", tun.Name, tun.Warning)
	}

	a := dialAT(t, addrs[0])
	a.must("ATE0")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	waitFor(t, "attached", func() bool { return strings.Contains(a.must("AT+CGATT?")[0], "1") })
	out := a.must("AT+CGPADDR")
	waitFor(t, "the PDN address on nbsim0", func() bool { return tun.Addr().IsValid() })
	pdn := tun.Addr()
	if !strings.Contains(strings.Join(out, " "), pdn.String()) {
		t.Fatalf("nbsim0 has %v, the module %q", pdn, out)
	}
	var ifAddrs []net.Addr
	ns.run(func() {
		var ifi *net.Interface
		if ifi, err = net.InterfaceByName("nbsim0"); err == nil {
			ifAddrs, err = ifi.Addrs()
		}
	})
	if err != nil || len(ifAddrs) != 1 || ifAddrs[0].String() != pdn.String()+"/32" {
		t.Fatalf("nbsim0 addresses %v (%v), want %v/32", ifAddrs, err, pdn)
	}

	// The host program.
	c, err := ns.listenUDP(ctx, "nbsim0", pdn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.WriteTo([]byte("hello"), net.UDPAddrFromAddrPort(echo)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 100)
	n, from, err := c.ReadFrom(buf)
	if err != nil {
		t.Fatalf("no answer: %v; interface %+v", err, tun.Stats())
	}
	if string(buf[:n]) != "re:hello" || from.String() != echo.String() {
		t.Fatalf("got %q from %v, want %q from %v", buf[:n], from, "re:hello", echo)
	}
	// (The writer counts a packet after the write the reader already saw.)
	waitFor(t, "1 packet up and 1 down in the interface's counters", func() bool {
		s := tun.Stats()
		return s.Uplink == 1 && s.Downlink == 1
	})
	// The AT module still has its own data path.
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	a.must("AT+NSOST=0," + echo.Addr().String() + "," + strconv.Itoa(int(echo.Port())) + ",2,4142")
	a.wait("+NSONMI:0,5", 30*time.Second)
}

// fakeTUN is a TUN device in memory.
type fakeTUN struct {
	in, out chan []byte
}

func (f *fakeTUN) Read(b []byte) (int, error) {
	p, ok := <-f.in
	if !ok {
		return 0, errTUNClosed
	}
	return copy(b, p), nil
}

func (f *fakeTUN) Write(b []byte) (int, error) {
	f.out <- append([]byte(nil), b...)
	return len(b), nil
}

func (f *fakeTUN) SetAddr(old, new netip.Addr) error { return nil }
func (f *fakeTUN) Close() error                      { return nil }

// What the interface does with packets, without root: the host's packets
// that the gateway could not carry are dropped by cause, and only answers
// to ports the interface sent from leave the module through it.
func TestTUNRouting(t *testing.T) {
	e, err := New(Config{Modules: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dev := &fakeTUN{in: make(chan []byte), out: make(chan []byte, 4)}
	tun := &TUN{Name: "nbsim0", e: e, md: e.mods[0], dev: dev, wq: make(chan []byte, 4),
		trace: map[string]bool{}, stats: TUNStats{Dropped: map[string]int64{}}}
	done := make(chan struct{})
	go func() { tun.readLoop(); close(done) }()
	pdn := netip.MustParseAddrPort("10.45.0.1:4000")
	server := netip.MustParseAddrPort("192.0.2.1:7")
	udp, err := (&ippkt.UDP{Src: pdn, Dst: server, Payload: []byte("x")}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	icmp := append([]byte(nil), udp...)
	icmp[9] = 1 // protocol ICMP (the header checksum is not looked at)
	ipv6 := make([]byte, 40)
	ipv6[0] = 0x60
	for _, p := range [][]byte{ipv6, icmp, udp[:25], udp} {
		dev.in <- p
	}
	close(dev.in)
	<-done
	want := map[string]int64{TUNDropNotIPv4: 1, TUNDropNotUDP: 1, TUNDropMalformed: 1, TUNDropNotRegistered: 1}
	if s := tun.Stats(); s.Uplink != 0 || !maps.Equal(s.Dropped, want) {
		t.Fatalf("counters %+v, want drops %v", s, want)
	}

	// Downlink: a port the interface never sent from, or the CoAP port,
	// stays with the AT module.
	answer := func(port uint16) []byte {
		b, _ := (&ippkt.UDP{Src: server, Dst: netip.AddrPortFrom(pdn.Addr(), port), Payload: []byte("y")}).Marshal()
		return b
	}
	if tun.downlink(answer(4000)) || tun.downlink(answer(module.CoAPPort)) {
		t.Fatal("the interface took a packet for a port it never sent from")
	}
	tun.ports[4000/64] |= 1 << (4000 % 64) // as a TUN uplink from port 4000 does
	if !tun.downlink(answer(4000)) || tun.downlink(answer(4001)) {
		t.Fatal("only the answer to port 4000 is the interface's")
	}
	if p := <-tun.wq; !bytes.Equal(p, answer(4000)) {
		t.Fatalf("queued %x", p)
	}
}
