package emulate

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/udp/coder"

	"github.com/nbsim/nbsim/platform"
	"github.com/nbsim/nbsim/scenarios"
)

// The NAT's binding table in network time.
func TestNATBindings(t *testing.T) {
	n := newNAT(NATConfig{Timeout: 30 * time.Second, Public: []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.3")}})
	k := natKey{0, netip.MustParseAddrPort("10.45.0.1:5000")}
	b1, fresh := n.uplink(k, 0)
	if fresh || b1.gen != 1 || b1.pub.String() != "127.0.0.2" {
		t.Fatalf("first binding %+v fresh %v", b1, fresh)
	}
	if b, _ := n.uplink(k, 30*time.Second); b.gen != 1 {
		t.Fatalf("refreshed within the timeout: %+v", b)
	}
	if !n.downlink(k, 1, 60*time.Second) {
		t.Fatal("downlink within the timeout of the last uplink dropped")
	}
	if n.downlink(k, 1, 60*time.Second+1) {
		t.Fatal("downlink after the timeout passed")
	}
	b2, fresh := n.uplink(k, 61*time.Second)
	if !fresh || b2.gen != 2 || b2.pub.String() != "127.0.0.3" {
		t.Fatalf("after the timeout: %+v fresh %v", b2, fresh)
	}
	if n.downlink(k, 1, 61*time.Second) {
		t.Fatal("downlink through the replaced binding passed")
	}
	if n.rebind(0) != 1 {
		t.Fatal("rebind")
	}
	if b3, _ := n.uplink(k, 62*time.Second); b3.gen != 3 {
		t.Fatalf("after rebind: %+v", b3)
	}
	c := n.counters(62 * time.Second)
	if c.Bindings != 3 || c.Expired != 1 || c.Rebound != 1 || c.DroppedDownlink != 2 || c.Active != 1 {
		t.Errorf("counters %+v", c)
	}
	// Without a timeout a binding lives for ever; inbound refresh keeps it.
	n = newNAT(NATConfig{})
	n.uplink(k, 0)
	if !n.downlink(k, 1, 1000*time.Hour) {
		t.Error("no timeout: dropped")
	}
	n = newNAT(NATConfig{Timeout: time.Minute, RefreshInbound: true})
	n.uplink(k, 0)
	for at := time.Duration(0); at < 10*time.Minute; at += 50 * time.Second {
		if !n.downlink(k, 1, at) {
			t.Fatalf("inbound refresh: dropped at %v", at)
		}
	}
}

// A binding that leaves for good is forgotten (the gateway closes its
// socket); the last one replaced stays, so that downlink to its port is
// still dropped and counted; the one before it goes.
func TestNATForgets(t *testing.T) {
	n := newNAT(NATConfig{Timeout: 30 * time.Second})
	var gone []uint32
	n.forget = func(_ natKey, b binding) { gone = append(gone, b.gen) }
	k := natKey{0, netip.MustParseAddrPort("10.45.0.1:5000")}
	n.uplink(k, 0)              // 1
	n.uplink(k, 31*time.Second) // 2 replaces 1 (kept)
	n.uplink(k, 62*time.Second) // 3 replaces 2: 1 goes
	n.rebind(0)                 // 3 is to be replaced
	n.uplink(k, 63*time.Second) // 4 replaces 3: 2 goes
	if n.downlink(k, 3, 63*time.Second) {
		t.Error("downlink through the replaced binding 3 passed")
	}
	if len(gone) != 2 || gone[0] != 1 || gone[1] != 2 {
		t.Fatalf("forgotten %v, want [1 2]", gone)
	}
	n.sweep(time.Hour) // 4 expired: 4 and 3 go
	slices.Sort(gone)
	if len(gone) != 4 || gone[2] != 3 || gone[3] != 4 || len(n.b) != 0 {
		t.Fatalf("forgotten %v after the sweep, %d left", gone, len(n.b))
	}
	if c := n.counters(time.Hour); c.Bindings != 4 || c.Expired != 3 || c.Rebound != 1 || c.DroppedDownlink != 1 {
		t.Errorf("counters %+v", c)
	}
}

// The binding table stays bounded when a device endpoint after another
// sends (a host behind the module taking a new source port each time),
// also without a timeout: the least recently used binding goes.
func TestNATBounded(t *testing.T) {
	n := newNAT(NATConfig{})
	ep := func(i int) natKey {
		return natKey{int32(i % 7), netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 45, byte(i >> 16), byte(i >> 8)}), uint16(i))}
	}
	keep := ep(0)
	total := maxNATBindings + 100
	for i := range total {
		n.uplink(ep(i), time.Duration(i)*time.Millisecond)
		if i%1000 == 0 {
			n.uplink(keep, time.Duration(i)*time.Millisecond) // in use all along
		}
	}
	if len(n.b) > maxNATBindings {
		t.Fatalf("%d bindings for %d endpoints: the table is not bounded (%d)", len(n.b), total, maxNATBindings)
	}
	if c := n.counters(time.Hour); c.Evicted != 100 || c.Active != maxNATBindings {
		t.Errorf("counters %+v, want 100 evicted and %d active", c, maxNATBindings)
	}
	if _, ok := n.current(keep, time.Hour); !ok {
		t.Error("the binding in use was evicted")
	}
	if _, ok := n.current(ep(1), time.Hour); ok {
		t.Error("the least recently used binding is still there")
	}
	if _, ok := n.current(ep(total-1), time.Hour); !ok {
		t.Error("the newest binding is gone")
	}
}

// udpPeer is a server that records where each datagram came from and can
// send to any of those addresses.
type udpPeer struct {
	c    *net.UDPConn
	mu   sync.Mutex
	from map[string]netip.AddrPort // payload → source
}

func newUDPPeer(t *testing.T) *udpPeer {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	p := &udpPeer{c: c, from: map[string]netip.AddrPort{}}
	go func() {
		buf := make([]byte, 2048)
		for {
			n, a, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			p.mu.Lock()
			p.from[string(buf[:n])] = netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
			p.mu.Unlock()
		}
	}()
	return p
}

func (p *udpPeer) source(t *testing.T, payload string) netip.AddrPort {
	t.Helper()
	var a netip.AddrPort
	waitFor(t, payload+" reaches the server", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		a = p.from[payload]
		return a.IsValid()
	})
	return a
}

func (p *udpPeer) addr() netip.AddrPort { return p.c.LocalAddr().(*net.UDPAddr).AddrPort() }

// A server sees the module come from a new port once its NAT binding has
// expired (idle longer than the timeout) or was rebound, and what it sends
// to the old port is dropped and counted; within the timeout the port
// stays and downlink passes.
func TestNATRebinding(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1, Clock: newSpeedClock(10),
		NAT: NATConfig{Timeout: 20 * time.Second, Public: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.2")}}})
	a := r.at[0]
	peer := newUDPPeer(t)
	atAttach(a, 15*time.Second)
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	send := func(s string) netip.AddrPort {
		a.must(fmt.Sprintf("AT+NSOST=0,%s,%d,%d,%X", peer.addr().Addr(), peer.addr().Port(), len(s), s))
		return peer.source(t, s)
	}
	p1 := send("one")
	if p1.Addr().String() != "127.0.0.1" {
		t.Errorf("first binding from %v", p1)
	}
	// Within the timeout: the same binding, and downlink passes.
	p2 := send("two")
	if p2 != p1 {
		t.Errorf("within the timeout: %v then %v", p1, p2)
	}
	if _, err := peer.c.WriteToUDPAddrPort([]byte("back"), p1); err != nil {
		t.Fatal(err)
	}
	a.wait("+NSONMI:0,4", 10*time.Second)

	// 30 s of network time (3 s here) without uplink: the binding is gone.
	time.Sleep(3 * time.Second)
	if _, err := peer.c.WriteToUDPAddrPort([]byte("late"), p1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the NAT drops the late datagram", func() bool {
		return r.module(0).Stats.LostCauses["downlink-nat-binding-expired"] == 1
	})
	p3 := send("three")
	if p3 == p1 || p3.Addr().String() != "127.0.0.2" {
		t.Errorf("after the timeout: %v, before %v", p3, p1)
	}
	// nat_rebind through the API: a new binding at once.
	r.post("/api/modules/0/faults", `{"nat_rebind": true}`)
	p4 := send("four")
	if p4 == p3 {
		t.Errorf("after nat_rebind: still %v", p4)
	}
	_, b := r.call("GET", "/api/network", "")
	var ns NetworkState
	if err := json.Unmarshal(b, &ns); err != nil {
		t.Fatal(err)
	}
	if c := ns.NAT; c == nil || c.Bindings != 3 || c.Expired != 1 || c.Rebound != 1 || c.DroppedDownlink != 1 || *ns.NATTimeout != "20s" {
		t.Errorf("GET /api/network: %s", b)
	}
	if !r.traceHas("m0 nat     new binding 127.0.0.2:") || !r.traceHas("the NAT binding 127.0.0.1 expired or was replaced") {
		t.Error("the trace lacks the NAT's lines")
	}
	// The timeout is a network setting.
	if b := r.post("/api/network", `{"nat_timeout": "1m"}`); !strings.Contains(string(b), `"nat_timeout": "1m0s"`) {
		t.Errorf("nat_timeout: %s", b)
	}
	if code, b := r.call("POST", "/api/network", `{"nat_timeout": "25h"}`); code != 400 || !strings.Contains(string(b), "nat_timeout: 25h0m0s: between 0") {
		t.Errorf("nat_timeout 25h: %d %s", code, b)
	}
}

// drainAT discards what the module has said and holds: the URC lines
// waiting on the client and the datagrams waiting in socket 0.
func drainAT(a *atClient) {
	a.t.Helper()
	a.c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	for {
		if _, err := a.rd.ReadString('\n'); err != nil {
			break
		}
	}
	a.rd.Reset(a.c)
	a.c.SetReadDeadline(time.Time{})
	for range 100 {
		if out := a.must("AT+NSORF=0,1024"); len(out) < 2 {
			return
		}
	}
}

// NAT rebinding against a real CoAP server (libcoap's coap-server-notls):
// the firmware observes /time (RFC 7641); once the module's binding has
// expired the server's notifications are dropped at the NAT and counted,
// and the firmware's next request, from the same socket, reaches the
// server from a new public port and is answered there, while the old
// observation is lost: what a CoAP client must detect and renew.
func TestNATLibcoapObserve(t *testing.T) {
	port := startCoapServer(t)
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1, Clock: newSpeedClock(10),
		NAT: NATConfig{Timeout: 20 * time.Second}})
	a := r.at[0]
	atAttach(a, 15*time.Second)
	a.must("AT+NSOCR=DGRAM,17,5000,1")

	opts, _, err := message.Options{}.SetPath(make([]byte, 64), "/time")
	if err != nil {
		t.Fatal(err)
	}
	opts, _, err = opts.SetObserve(make([]byte, 8), 0)
	if err != nil {
		t.Fatal(err)
	}
	m := message.Message{Token: []byte{0x0B}, Options: opts, Code: codes.GET, MessageID: 0x5000, Type: message.Confirmable}
	buf := make([]byte, 256)
	n, err := coder.DefaultCoder.Encode(m, buf)
	if err != nil {
		t.Fatal(err)
	}
	resp := coapExchange(t, a, port, buf[:n])
	if _, err := resp.Options.Observe(); err != nil || resp.Code != codes.Content {
		t.Fatalf("GET /time with Observe: %v (observe: %v)", resp.String(), err)
	}
	// The server notifies about once a second (10 s of network time here):
	// past the 20 s timeout, the notifications meet an expired binding.
	waitFor(t, "a notification dropped at the NAT", func() bool {
		return r.module(0).Stats.LostCauses["downlink-nat-binding-expired"] > 0
	})
	drainAT(a)
	resp = coapExchange(t, a, port, coapGET(t, 0x5001, []byte{0x0C}, "/.well-known/core"))
	if resp.Code != codes.Content || resp.MessageID != 0x5001 {
		t.Errorf("GET after the rebinding: %v", resp.String())
	}
	_, b := r.call("GET", "/api/network", "")
	var ns NetworkState
	if err := json.Unmarshal(b, &ns); err != nil {
		t.Fatal(err)
	}
	if ns.NAT.Bindings != 2 || ns.NAT.Expired != 1 || ns.NAT.DroppedDownlink == 0 {
		t.Errorf("NAT counters %+v", *ns.NAT)
	}
	t.Logf("NAT %+v", *ns.NAT)
}

// NAT rebinding with the built-in platform: a command queued after the
// module's binding expired is sent to the old port and dropped at the NAT;
// the module's next report comes from a new port, which the platform
// accepts as the module's (Config.Bind is Emulator.PlatformSource), and
// the command then reaches the module there.
func TestNATPlatform(t *testing.T) {
	var e *Emulator
	plat, err := platform.New(platform.Config{CoAPAddr: "127.0.0.1:0", AckTimeout: 300 * time.Millisecond, MaxRetransmit: 1,
		Bind: func(ep string) (netip.AddrPort, bool) { return e.PlatformSource(ep) }})
	if err != nil {
		t.Fatal(err)
	}
	defer plat.Close()
	ap := plat.CoAPAddr().(*net.UDPAddr).AddrPort()
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1, Clock: newSpeedClock(10),
		NAT:      NATConfig{Timeout: 20 * time.Second},
		Platform: netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())})
	e = r.e
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := plat.Start(ctx); err != nil {
		t.Fatal(err)
	}
	imei, a := e.IMEI(0), r.at[0]
	a.must("AT+NNMI=1")
	atAttach(a, 15*time.Second)
	a.must("AT+NMGS=2,6869")
	waitFor(t, "the first report", func() bool { return len(plat.Messages(imei)) == 1 })
	time.Sleep(3 * time.Second) // 30 s of network time: the binding expires
	if _, err := plat.Queue(imei, []byte("led=on")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the command dropped at the NAT", func() bool {
		return r.module(0).Stats.LostCauses["downlink-nat-binding-expired"] > 0
	})
	a.must("AT+NMGS=2,6869")
	waitFor(t, "the second report", func() bool { return len(plat.Messages(imei)) == 2 })
	l := a.wait("+NNMI:", 20*time.Second)
	if !strings.HasSuffix(l, "6,6C65643D6F6E") {
		t.Fatalf("downlink %q, want led=on", l)
	}
	ms := plat.Messages(imei)
	if ms[0].Source.String() == ms[1].Source.String() {
		t.Errorf("both reports from %v", ms[0].Source)
	}
	t.Logf("reports from %v, then %v", ms[0].Source, ms[1].Source)
}

// The scenario's core.nat_timeout sets the timeout; Config.NAT.Timeout
// (--nat-timeout) overrides it.
func TestNATScenarioTimeout(t *testing.T) {
	for _, c := range []struct {
		cfg  time.Duration
		want string
	}{{0, "45s"}, {10 * time.Second, "10s"}} {
		e, err := New(Config{Scenario: labScenario(t, "core.nat_timeout=45s"), NAT: NATConfig{Timeout: c.cfg}})
		if err != nil {
			t.Fatal(err)
		}
		if got := *e.network().NATTimeout; got != c.want {
			t.Errorf("config %v: timeout %s, want %s", c.cfg, got, c.want)
		}
		e.Close()
	}
	if _, err := scenarios.Load("lab", []string{"core.nat_timeout=25h"}); err == nil || !strings.Contains(err.Error(), "core.nat_timeout: 25h is out of range (allowed: 0 (none) to 24h)") {
		t.Errorf("25h: %v", err)
	}
}

// FuzzNAT: any sequence of uplinks, downlinks, rebinds and time steps
// keeps the binding table consistent: a downlink passes only through an
// endpoint's current, live binding; generations only grow; the counters
// add up.
func FuzzNAT(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(20))
	f.Add([]byte{0, 0, 0, 1, 1, 1, 2, 200, 3, 0}, uint8(0))
	f.Fuzz(func(t *testing.T, ops []byte, timeout uint8) {
		n := newNAT(NATConfig{Timeout: time.Duration(timeout) * time.Second, RefreshInbound: timeout%2 == 1,
			Public: []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.3")}})
		var now time.Duration
		last := uint32(0)
		gens := map[natKey]uint32{} // the last generation each endpoint got
		for i := 0; i+1 < len(ops) && i < 2000; i += 2 {
			k := natKey{int32(ops[i+1] % 3), netip.AddrPortFrom(netip.MustParseAddr("10.45.0.1"), uint16(ops[i+1]%5))}
			switch ops[i] % 4 {
			case 0:
				b, _ := n.uplink(k, now)
				if b.gen < gens[k] || (b.gen > gens[k] && b.gen <= last) {
					t.Fatalf("uplink gen %d after %d (last %d)", b.gen, gens[k], last)
				}
				last, gens[k] = max(last, b.gen), b.gen
				if !b.pub.IsValid() {
					t.Fatal("no public address")
				}
			case 1:
				cur, live := n.current(k, now)
				ok := n.downlink(k, gens[k], now)
				if ok != (live && cur.gen == gens[k]) {
					t.Fatalf("downlink through gen %d: %v, current %+v live %v", gens[k], ok, cur, live)
				}
				if n.downlink(k, gens[k]+1, now) {
					t.Fatal("downlink through a generation not handed out passed")
				}
			case 2:
				n.rebind(k.id)
				if _, live := n.current(k, now); live {
					t.Fatal("live after rebind")
				}
			case 3:
				now += time.Duration(ops[i+1]) * time.Second
			}
		}
		c := n.counters(now)
		if c.Active > c.Bindings || c.Active < 0 || int64(last) != c.Bindings {
			t.Fatalf("counters %+v, last gen %d", c, last)
		}
	})
}

// drop_downlink and drop_uplink through the API: with probability 1 every
// packet is lost and counted, and the module is told nothing; back at 0
// they pass again.
func TestFaultDrops(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1})
	a := r.at[0]
	echo := udpEcho(t)
	atAttach(a, 15*time.Second)
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	send := func(s string) {
		a.must(fmt.Sprintf("AT+NSOST=0,%s,%d,%d,%X", echo.Addr(), echo.Port(), len(s), s))
	}
	r.post("/api/modules/0/faults", `{"drop_downlink": 1}`)
	send("one")
	waitFor(t, "the echo dropped", func() bool { return r.module(0).Stats.LostCauses["downlink-fault-dropped"] == 1 })
	r.post("/api/modules/0/faults", `{"drop_downlink": 0, "drop_uplink": 1}`)
	send("two")
	waitFor(t, "the datagram dropped", func() bool { return r.module(0).Stats.LostCauses["uplink-fault-dropped"] == 1 })
	if s := r.module(0); s.DropUplink != 1 || s.DropDownlink != 0 {
		t.Errorf("module state %+v", s)
	}
	r.post("/api/modules/0/faults", `{"drop_uplink": 0}`)
	send("three")
	a.wait("+NSONMI:0,", 10*time.Second)
	if code, b := r.call("POST", "/api/modules/0/faults", `{"drop_uplink": 2}`); code != 400 || !strings.Contains(string(b), "drop_uplink: 2: a probability in [0, 1] is required") {
		t.Errorf("drop_uplink 2: %d %s", code, b)
	}
	if code, b := r.call("POST", "/api/modules/0/faults", `{}`); code != 400 || !strings.Contains(string(b), "give at least one of") {
		t.Errorf("{}: %d %s", code, b)
	}
}
