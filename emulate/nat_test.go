package emulate

import (
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
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
