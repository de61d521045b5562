package gw

import (
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
)

// fuzzServers are outside sockets; the last one is a stranger no device
// ever sends to.
const fuzzServers = 4

// FuzzInbound drives the gateway with a sequence of operations: uplinks
// from one of 8 device endpoints (IP PDN) or Non-IP data, each to one of
// the first three outside sockets, and datagrams from any of the four
// outside sockets to a mapping's host socket. Invariants: no panic; never
// more than MaxMappings mappings; and a packet reaches a device only from
// an endpoint it had sent to (the port-restricted filter), addressed to
// that device endpoint, with the payload sent — the stranger never gets
// through.
//
// Each record: op, a, b, length, payload. op%3: 0 uplink from endpoint
// a%8 to server b%3; 1 Non-IP uplink (to server 0, the Non-IP server);
// 2 inbound datagram from server b%4 to the mapping of endpoint a%9
// (a%9 == 8: the Non-IP mapping).
func FuzzInbound(f *testing.F) {
	var srv [fuzzServers]*net.UDPConn
	var addr [fuzzServers]netip.AddrPort
	for i := range srv {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			f.Fatal(err)
		}
		defer c.Close()
		go func() { // sinks: read and forget
			buf := make([]byte, 65535)
			for {
				if _, _, err := c.ReadFromUDPAddrPort(buf); err != nil {
					return
				}
			}
		}()
		srv[i], addr[i] = c, c.LocalAddr().(*net.UDPAddr).AddrPort()
	}
	f.Add([]byte{0, 1, 0, 2, 'h', 'i', 2, 1, 0, 3, 'a', 'c', 'k', 2, 1, 3, 4, 's', 'p', 'a', 'm'})
	f.Add([]byte{1, 0, 0, 1, 7, 2, 8, 0, 2, 'o', 'k', 2, 8, 3, 1, 'x'})
	f.Add([]byte{0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 1, 0, 2, 1, 0, 0, 2, 5, 0, 1, 'z'})
	const imsi, nonIP = "001010000000099", "001010000000098"
	dev := netip.MustParseAddr("10.45.0.9")
	f.Fuzz(func(t *testing.T, data []byte) {
		var mu sync.Mutex
		sentTo := map[netip.AddrPort]map[netip.AddrPort]bool{} // device endpoint (zero: Non-IP) → servers
		var bad []string
		g, err := New(Config{
			NonIPServer: addr[0],
			MaxMappings: 4,
			MaxPeers:    2,
			Downlink: func(who string, pkt []byte) {
				mu.Lock()
				defer mu.Unlock()
				if who == nonIP {
					// Non-IP data carries no addresses: the sender marked
					// it (0 from the Non-IP server, 0xEE from the others).
					if len(pkt) == 0 || pkt[0] != 0 {
						bad = append(bad, "Non-IP data from a socket other than the Non-IP server")
					}
					return
				}
				if who != imsi {
					bad = append(bad, "downlink for "+who)
					return
				}
				p, err := ippkt.Parse(pkt)
				if err != nil {
					bad = append(bad, "downlink not an IPv4/UDP packet: "+err.Error())
					return
				}
				from, to := p.Src, p.Dst
				if from == addr[fuzzServers-1] {
					bad = append(bad, "the stranger got through")
				}
				if !sentTo[to][from] {
					bad = append(bad, "delivered from "+from.String()+" to "+to.String()+", which never sent to it")
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		var inbound []netip.AddrPort // where each inbound datagram went
		for len(data) >= 4 {
			op, a, b, n := data[0]%3, data[1], data[2], int(data[3])
			data = data[4:]
			n = min(n, len(data))
			payload := data[:n]
			data = data[n:]
			switch op {
			case 0:
				ep := netip.AddrPortFrom(dev, 1000+uint16(a%8))
				dst := addr[b%3]
				pkt, err := (&ippkt.UDP{Src: ep, Dst: dst, Payload: payload}).Marshal()
				if err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				if sentTo[ep] == nil {
					sentTo[ep] = map[netip.AddrPort]bool{}
				}
				sentTo[ep][dst] = true
				mu.Unlock()
				g.Uplink(imsi, dev, pkt)
			case 1:
				g.Uplink(nonIP, netip.Addr{}, payload)
			case 2:
				from := b % fuzzServers
				ext, ok := g.Endpoint(imsi, netip.AddrPortFrom(dev, 1000+uint16(a%9)))
				if a%9 == 8 {
					ext, ok = g.Endpoint(nonIP, netip.AddrPort{})
					mark := byte(0xEE)
					if from == 0 {
						mark = 0
					}
					payload = append([]byte{mark}, payload...)
				}
				if ok {
					srv[from].WriteToUDPAddrPort(payload, ext)
					inbound = append(inbound, ext)
				}
			}
			g.mu.Lock()
			open := len(g.maps)
			g.mu.Unlock()
			if open > 4 {
				t.Fatalf("%d mappings open, MaxMappings is 4", open)
			}
		}
		// Let the readers see every datagram sent to a socket still open,
		// so that a wrong delivery is caught here and not missed.
		g.mu.Lock()
		open := map[netip.AddrPort]bool{}
		for _, m := range g.maps {
			open[m.conn.LocalAddr().(*net.UDPAddr).AddrPort()] = true
		}
		g.mu.Unlock()
		want := int64(0)
		for _, ext := range inbound {
			if open[ext] {
				want++
			}
		}
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			c := g.Counters()
			if c.DownlinkPackets+c.Dropped[DropFiltered]+c.Dropped[DropMalformed] >= want {
				break
			}
		}
		g.Close() // waits for the readers: every delivery has been checked
		mu.Lock()
		defer mu.Unlock()
		if len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}
