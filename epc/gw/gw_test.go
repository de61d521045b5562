package gw

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/internal/testutil"
)

type down struct {
	imsi string
	pkt  []byte
}

func newGW(t *testing.T, cfg Config) (*Gateway, chan down) {
	t.Helper()
	ch := make(chan down, 16)
	cfg.Downlink = func(imsi string, pkt []byte) { ch <- down{imsi, pkt} }
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return g, ch
}

func server(t *testing.T) (*net.UDPConn, netip.AddrPort) { return testutil.UDPEcho(t) }

func wait(t *testing.T, ch chan down) down {
	t.Helper()
	select {
	case d := <-ch:
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no downlink")
		return down{}
	}
}

var ue = netip.MustParseAddrPort("10.45.0.7:56830")

func TestIPRoundTrip(t *testing.T) {
	g, ch := newGW(t, Config{})
	_, srv := server(t)
	pkt, _ := (&ippkt.UDP{Src: ue, Dst: srv, Payload: []byte("hello")}).Marshal()
	if err := g.Uplink("001010000000001", ue.Addr(), pkt); err != nil {
		t.Fatal(err)
	}
	d := wait(t, ch)
	p, err := ippkt.Parse(d.pkt)
	if err != nil {
		t.Fatal(err)
	}
	if d.imsi != "001010000000001" || p.Src != srv || p.Dst != ue || string(p.Payload) != "re:hello" {
		t.Fatalf("downlink %s %v → %v %q", d.imsi, p.Src, p.Dst, p.Payload)
	}
	c := g.Counters()
	if c.UplinkPackets != 1 || c.DownlinkPackets != 1 || c.Mappings != 1 || c.UplinkBytes != 5 || c.DownlinkBytes != 8 {
		t.Fatalf("counters %s", c)
	}
	// A second packet from the same endpoint reuses the mapping; another
	// endpoint gets its own.
	g.Uplink("001010000000001", ue.Addr(), pkt)
	wait(t, ch)
	other := netip.AddrPortFrom(ue.Addr(), 1000)
	pkt2, _ := (&ippkt.UDP{Src: other, Dst: srv, Payload: []byte("x")}).Marshal()
	g.Uplink("001010000000001", ue.Addr(), pkt2)
	if p, _ := ippkt.Parse(wait(t, ch).pkt); p.Dst != other {
		t.Fatalf("reply to %v, want %v", p.Dst, other)
	}
	if c := g.Counters(); c.Mappings != 2 {
		t.Fatalf("mappings %d, want 2", c.Mappings)
	}
}

// A server the device never sent to cannot reach it; the one it did can,
// even with a request of its own (as a platform sends a command).
func TestFiltering(t *testing.T) {
	g, ch := newGW(t, Config{})
	srvConn, srv := server(t)
	pkt, _ := (&ippkt.UDP{Src: ue, Dst: srv, Payload: []byte("hi")}).Marshal()
	g.Uplink("1", ue.Addr(), pkt)
	wait(t, ch)
	ext, _ := g.Endpoint("1", ue)
	stranger, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	stranger.WriteToUDPAddrPort([]byte("spam"), ext)
	srvConn.WriteToUDPAddrPort([]byte("command"), ext)
	p, _ := ippkt.Parse(wait(t, ch).pkt)
	if string(p.Payload) != "command" {
		t.Fatalf("got %q, want the server's command", p.Payload)
	}
	testutil.WaitForState(t, 2*time.Second, func() bool { return g.Counters().Dropped[DropFiltered] == 1 },
		func() string { return fmt.Sprintf("filtered %d, want 1", g.Counters().Dropped[DropFiltered]) })
}

func TestNonIP(t *testing.T) {
	_, srv := server(t)
	g, ch := newGW(t, Config{NonIPServer: srv})
	if err := g.Uplink("2", netip.Addr{}, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	d := wait(t, ch)
	if string(d.pkt) != "re:\x01\x02\x03" || d.imsi != "2" {
		t.Fatalf("got %s %q", d.imsi, d.pkt)
	}
	g2, _ := newGW(t, Config{})
	if err := g2.Uplink("2", netip.Addr{}, []byte{1}); err == nil || g2.Counters().Dropped[DropNoServer] != 1 {
		t.Fatalf("Non-IP without a server: %v %v", err, g2.Counters())
	}
}

func TestDrops(t *testing.T) {
	g, _ := newGW(t, Config{})
	_, srv := server(t)
	good, _ := (&ippkt.UDP{Src: ue, Dst: srv, Payload: []byte("x")}).Marshal()
	spoof, _ := (&ippkt.UDP{Src: netip.MustParseAddrPort("10.45.0.8:1"), Dst: srv}).Marshal()
	bcast, _ := (&ippkt.UDP{Src: ue, Dst: netip.MustParseAddrPort("255.255.255.255:9")}).Marshal()
	for _, c := range []struct {
		pkt   []byte
		cause string
	}{{good[:10], DropMalformed}, {spoof, DropSpoofed}, {bcast, DropNotIPv4Dest}} {
		if err := g.Uplink("3", ue.Addr(), c.pkt); err == nil {
			t.Errorf("%s: accepted", c.cause)
		}
		if g.Counters().Dropped[c.cause] != 1 {
			t.Errorf("%s: counters %s", c.cause, g.Counters())
		}
	}
	g.Close()
	if err := g.Uplink("3", ue.Addr(), good); err == nil || g.Counters().Dropped[DropClosed] != 1 {
		t.Errorf("after Close: %v", err)
	}
	if _, err := New(Config{}); err == nil {
		t.Error("New without Downlink accepted")
	}
}

func TestMaxMappings(t *testing.T) {
	g, ch := newGW(t, Config{MaxMappings: 2})
	_, srv := server(t)
	for i := range 3 {
		ep := netip.AddrPortFrom(ue.Addr(), uint16(1000+i))
		pkt, _ := (&ippkt.UDP{Src: ep, Dst: srv, Payload: []byte("x")}).Marshal()
		if err := g.Uplink("4", ue.Addr(), pkt); err != nil {
			t.Fatal(err)
		}
		wait(t, ch)
		time.Sleep(2 * time.Millisecond) // distinct last-use times
	}
	if _, ok := g.Endpoint("4", netip.AddrPortFrom(ue.Addr(), 1000)); ok {
		t.Error("least recently used mapping kept")
	}
	if _, ok := g.Endpoint("4", netip.AddrPortFrom(ue.Addr(), 1002)); !ok {
		t.Error("newest mapping missing")
	}
}

// The NAT sockets bind to the configured address: loopback by default
// (issue #8: they bound 0.0.0.0, reachable from every network of the host).
func TestBindAddress(t *testing.T) {
	_, srv := server(t)
	pkt, _ := (&ippkt.UDP{Src: ue, Dst: srv, Payload: []byte("x")}).Marshal()
	for _, c := range []struct {
		bind netip.Addr
		want netip.Addr
	}{
		{netip.Addr{}, netip.MustParseAddr("127.0.0.1")},
		{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.2")},
		{netip.MustParseAddr("::ffff:127.0.0.3"), netip.MustParseAddr("127.0.0.3")},
	} {
		g, _ := newGW(t, Config{Bind: c.bind})
		if err := g.Uplink("5", ue.Addr(), pkt); err != nil {
			t.Fatal(err)
		}
		ext, ok := g.Endpoint("5", ue)
		if !ok || ext.Addr() != c.want {
			t.Errorf("Bind %v: socket bound to %v, want %v", c.bind, ext, c.want)
		}
	}
	for _, cfg := range []Config{
		{Bind: netip.MustParseAddr("::1")},
		{Idle: -time.Second},
		{MaxMappings: -1},
		{MaxPeers: -1},
	} {
		cfg.Downlink = func(string, []byte) {}
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

// Idle mappings are closed, and their sockets freed, even when no device
// sends again (the idle check used to run only when a mapping opened).
func TestIdleMappingsExpireWithoutTraffic(t *testing.T) {
	g, ch := newGW(t, Config{Idle: 50 * time.Millisecond})
	_, srv := server(t)
	pkt, _ := (&ippkt.UDP{Src: ue, Dst: srv, Payload: []byte("x")}).Marshal()
	if err := g.Uplink("6", ue.Addr(), pkt); err != nil {
		t.Fatal(err)
	}
	wait(t, ch)
	ext, _ := g.Endpoint("6", ue)
	testutil.WaitForState(t, 10*time.Second, func() bool { c := g.Counters(); return c.Open == 0 && c.Expired == 1 },
		func() string { return fmt.Sprintf("idle mapping still open: %s", g.Counters()) })
	// Its port is free again: the socket was closed.
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(ext))
	if err != nil {
		t.Fatalf("the expired mapping's socket %s is still bound: %v", ext, err)
	}
	c.Close()
}

// A device sending to many servers does not grow its filter without bound:
// the least recently used endpoint is forgotten, and then filtered.
func TestMaxPeers(t *testing.T) {
	g, ch := newGW(t, Config{MaxPeers: 2})
	conns := make([]*net.UDPConn, 3)
	for i := range conns {
		c, a := server(t)
		conns[i] = c
		pkt, _ := (&ippkt.UDP{Src: ue, Dst: a, Payload: []byte("x")}).Marshal()
		if err := g.Uplink("7", ue.Addr(), pkt); err != nil {
			t.Fatal(err)
		}
		wait(t, ch)
		time.Sleep(2 * time.Millisecond) // distinct last-use times
	}
	if c := g.Counters(); c.PeersForgotten != 1 {
		t.Fatalf("counters %s", c)
	}
	ext, _ := g.Endpoint("7", ue)
	conns[0].WriteToUDPAddrPort([]byte("late"), ext) // forgotten: filtered
	conns[2].WriteToUDPAddrPort([]byte("ok"), ext)
	if p, _ := ippkt.Parse(wait(t, ch).pkt); string(p.Payload) != "ok" {
		t.Fatalf("got %q", p.Payload)
	}
	testutil.WaitForState(t, 5*time.Second, func() bool { return g.Counters().Dropped[DropFiltered] == 1 },
		func() string { return fmt.Sprintf("counters %s", g.Counters()) })
}

// At MaxMappings with every mapping in use, the idle sweeper closes none:
// closing the least recently used one is for making room for a new
// mapping, not for every sweep (it used to close a live mapping each tick).
func TestSweepAtMaxMappingsClosesNoLiveMapping(t *testing.T) {
	const n = 3
	g, ch := newGW(t, Config{MaxMappings: n, Idle: 10 * time.Second})
	g.mu.Lock()
	g.swept = time.Now() // the first mapping must not sweep either
	g.mu.Unlock()
	_, srv := server(t)
	for i := range n {
		ep := netip.AddrPortFrom(ue.Addr(), uint16(2000+i))
		pkt, _ := (&ippkt.UDP{Src: ep, Dst: srv, Payload: []byte("x")}).Marshal()
		if err := g.Uplink("8", ue.Addr(), pkt); err != nil {
			t.Fatal(err)
		}
		wait(t, ch)
	}
	// Sweeps as the sweeper makes them (its period here is 5 s).
	for range 5 {
		g.mu.Lock()
		g.expire(time.Now())
		g.mu.Unlock()
	}
	if c := g.Counters(); c.Open != n || c.Evicted != 0 || c.Expired != 0 {
		t.Errorf("after sweeps at MaxMappings %d with every mapping live: %s", n, c)
	}
	for i := range n {
		if _, ok := g.Endpoint("8", netip.AddrPortFrom(ue.Addr(), uint16(2000+i))); !ok {
			t.Errorf("live mapping %d closed", i)
		}
	}
	// A new mapping still makes room, by closing the least recently used.
	ep := netip.AddrPortFrom(ue.Addr(), 2000+n)
	pkt, _ := (&ippkt.UDP{Src: ep, Dst: srv, Payload: []byte("x")}).Marshal()
	if err := g.Uplink("8", ue.Addr(), pkt); err != nil {
		t.Fatal(err)
	}
	wait(t, ch)
	if c := g.Counters(); c.Open != n || c.Evicted != 1 {
		t.Errorf("after a new mapping at MaxMappings %d: %s", n, c)
	}
}

// An Idle under 2 ns does not panic time.NewTicker (period Idle/2 was 0),
// and the sweeper's real ticks at MaxMappings close no live mapping.
func TestSweeperTinyIdle(t *testing.T) {
	for _, idle := range []time.Duration{1, 3 * time.Millisecond} {
		g, err := New(Config{Idle: idle, Downlink: func(string, []byte) {}})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond) // several ticks
		g.Close()
	}
	// Real ticks (every 100 ms) at MaxMappings, both mappings kept live.
	g, ch := newGW(t, Config{MaxMappings: 2, Idle: 200 * time.Millisecond})
	_, srv := server(t)
	var pkts [][]byte
	for i := range 2 {
		ep := netip.AddrPortFrom(ue.Addr(), uint16(3000+i))
		pkt, _ := (&ippkt.UDP{Src: ep, Dst: srv, Payload: []byte("x")}).Marshal()
		pkts = append(pkts, pkt)
	}
	for end := time.Now().Add(600 * time.Millisecond); time.Now().Before(end); {
		for _, pkt := range pkts {
			if err := g.Uplink("9", ue.Addr(), pkt); err != nil {
				t.Fatal(err)
			}
			wait(t, ch)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if c := g.Counters(); c.Open != 2 || c.Mappings != 2 || c.Evicted != 0 || c.Expired != 0 {
		t.Errorf("after sweeps at MaxMappings 2 with both mappings live: %s", c)
	}
}

// Each binding of an endpoint is its own socket: a server sees a new
// source port (and the binding's address), and the downlink names the
// binding it came in through.
func TestBindings(t *testing.T) {
	type via struct {
		b   Binding
		pkt []byte
	}
	ch := make(chan via, 16)
	g, err := New(Config{DownlinkVia: func(_ string, b Binding, pkt []byte) { ch <- via{b, pkt} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	_, srv := server(t)
	pkt, _ := (&ippkt.UDP{Src: ue, Dst: srv, Payload: []byte("hi")}).Marshal()
	seen := map[netip.AddrPort]bool{}
	for _, b := range []Binding{{Gen: 1}, {Gen: 2}, {Gen: 3, Addr: netip.MustParseAddr("127.0.0.2")}} {
		if err := g.UplinkVia("001010000000001", ue.Addr(), pkt, b); err != nil {
			t.Fatal(err)
		}
		select {
		case d := <-ch:
			if d.b != b {
				t.Errorf("downlink through %+v, want %+v", d.b, b)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no downlink")
		}
		src, ok := g.EndpointVia("001010000000001", ue, b)
		if !ok || seen[src] || (b.Addr.IsValid() && src.Addr() != b.Addr) {
			t.Errorf("binding %+v: endpoint %v %v (seen %v)", b, src, ok, seen)
		}
		seen[src] = true
	}
}

// CloseVia closes one binding's socket and leaves the others.
func TestCloseVia(t *testing.T) {
	g, err := New(Config{DownlinkVia: func(string, Binding, []byte) {}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	_, srv := server(t)
	pkt, _ := (&ippkt.UDP{Src: ue, Dst: srv, Payload: []byte("hi")}).Marshal()
	for _, b := range []Binding{{Gen: 1}, {Gen: 2}} {
		if err := g.UplinkVia("001010000000001", ue.Addr(), pkt, b); err != nil {
			t.Fatal(err)
		}
	}
	g.CloseVia("001010000000001", ue, Binding{Gen: 1})
	g.CloseVia("001010000000001", ue, Binding{Gen: 9}) // none: nothing happens
	if _, ok := g.EndpointVia("001010000000001", ue, Binding{Gen: 1}); ok {
		t.Error("binding 1's socket is still open")
	}
	if _, ok := g.EndpointVia("001010000000001", ue, Binding{Gen: 2}); !ok {
		t.Error("binding 2's socket was closed")
	}
	if c := g.Counters(); c.Open != 1 {
		t.Errorf("%d sockets open, want 1", c.Open)
	}
}
