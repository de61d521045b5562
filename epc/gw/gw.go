package gw

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
)

// Config configures a Gateway.
type Config struct {
	// Downlink receives, on a gateway goroutine, each packet for a device:
	// an IPv4 packet for an IP PDN, the bytes themselves for Non-IP.
	Downlink func(imsi string, pkt []byte)
	// DownlinkVia, if set, is called instead of Downlink with the binding
	// the packet came in through (a NAT in front of the gateway checks
	// that it is still the device's).
	DownlinkVia func(imsi string, b Binding, pkt []byte)
	// NonIPServer is the application server at the far end of the Non-IP
	// tunnel; invalid: Non-IP data is dropped with cause "no-nonip-server".
	NonIPServer netip.AddrPort
	// Bind is the host IPv4 address the NAT sockets bind to (default
	// 127.0.0.1: servers on this host only; a gateway that must reach
	// other hosts binds the host's address on that network).
	Bind netip.Addr
	// Idle closes a mapping unused for this long (default 24 h: a device
	// in PSM reports rarely and its server must still reach it).
	Idle time.Duration
	// MaxMappings bounds the sockets open at once (default 65,536); the
	// least recently used mapping is closed to make room (counted as
	// Evicted).
	MaxMappings int
	// MaxPeers bounds the remote endpoints one mapping lets in (the
	// endpoints the device sent to, default 256); past it the least
	// recently used one is forgotten (counted as PeersForgotten).
	MaxPeers int
}

// Counters are the gateway's traffic and drops by cause.
type Counters struct {
	UplinkPackets, UplinkBytes     int64
	DownlinkPackets, DownlinkBytes int64
	Mappings                       int64 // opened so far
	Open                           int64 // open now
	Expired                        int64 // closed after Idle without traffic
	Evicted                        int64 // closed to make room (MaxMappings)
	PeersForgotten                 int64 // endpoints dropped from a filter to make room (MaxPeers)
	Dropped                        map[string]int64
}

// Gateway is the SGi user plane. Its methods are safe for concurrent use.
type Gateway struct {
	cfg Config

	mu     sync.Mutex
	maps   map[key]*mapping
	swept  time.Time // last look for idle mappings (expire is O(mappings))
	closed bool
	c      Counters
	wg     sync.WaitGroup
	stop   chan struct{} // closed by Close: ends the sweeper
}

// key identifies a mapping: the device, its endpoint (the source
// address and port of an IP packet; zero for Non-IP) and the binding.
type key struct {
	imsi string
	ep   netip.AddrPort
	b    Binding
}

// Binding is the public side of a device endpoint as a NAT in front of
// the gateway chooses it: each distinct Binding of an endpoint gets its
// own socket, hence its own port; Addr, if valid, is the host address
// that socket binds (else Config.Bind). The zero Binding is the
// endpoint's only one when no NAT chooses.
type Binding struct {
	Gen  uint32
	Addr netip.Addr
}

type mapping struct {
	k       key
	conn    *net.UDPConn
	allowed map[netip.AddrPort]time.Time // filtering: where the device sent to, when last
	used    time.Time
}

// New returns a gateway. It opens sockets as devices send.
func New(cfg Config) (*Gateway, error) {
	if cfg.Downlink == nil && cfg.DownlinkVia == nil {
		return nil, errors.New("gw: Config.Downlink is nil")
	}
	if !cfg.Bind.IsValid() {
		cfg.Bind = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	if cfg.Bind = cfg.Bind.Unmap(); !cfg.Bind.Is4() {
		return nil, fmt.Errorf("gw: Config.Bind %s: want an IPv4 address (the NAT sockets are IPv4)", cfg.Bind)
	}
	if cfg.Idle < 0 || cfg.MaxMappings < 0 || cfg.MaxPeers < 0 {
		return nil, fmt.Errorf("gw: Config.Idle %s, MaxMappings %d, MaxPeers %d: none may be negative", cfg.Idle, cfg.MaxMappings, cfg.MaxPeers)
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 24 * time.Hour
	}
	if cfg.MaxMappings <= 0 {
		cfg.MaxMappings = 1 << 16
	}
	if cfg.MaxPeers <= 0 {
		cfg.MaxPeers = 256
	}
	g := &Gateway{cfg: cfg, maps: map[key]*mapping{}, c: Counters{Dropped: map[string]int64{}}, stop: make(chan struct{})}
	go g.sweeper()
	return g, nil
}

// sweeper closes idle mappings even when no device sends (sweeping only
// when a mapping opens would keep every socket of a quiet network open).
// It only expires: closing a live mapping to make room is for when a new
// one opens (makeRoom), not for every tick at MaxMappings.
func (g *Gateway) sweeper() {
	t := time.NewTicker(max(min(g.cfg.Idle/2, time.Minute), time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case now := <-t.C:
			g.mu.Lock()
			g.expire(now)
			g.mu.Unlock()
		}
	}
}

// Drop causes.
const (
	DropMalformed   = "malformed-packet"   // not a valid IPv4/UDP packet
	DropSpoofed     = "wrong-source"       // source is not the device's PDN address
	DropNoServer    = "no-nonip-server"    // Non-IP data and no server configured
	DropSendError   = "send-error"         // the host refused to send
	DropFiltered    = "filtered"           // a datagram from an endpoint the device never sent to
	DropClosed      = "gateway-closed"     // sent after Close
	DropNotIPv4Dest = "destination-not-v4" // e.g. a broadcast or unspecified address
)

// Uplink sends one packet from device imsi at PDN address addr: an IPv4
// packet when addr is valid (IP PDN), else Non-IP data. Failures are
// counted by cause and returned.
func (g *Gateway) Uplink(imsi string, addr netip.Addr, data []byte) error {
	return g.UplinkVia(imsi, addr, data, Binding{})
}

// UplinkVia is Uplink through binding b (see Binding).
func (g *Gateway) UplinkVia(imsi string, addr netip.Addr, data []byte, b Binding) error {
	var (
		k    key
		dst  netip.AddrPort
		body []byte
	)
	if addr.IsValid() {
		p, err := ippkt.Parse(data)
		if err != nil {
			return g.drop(DropMalformed, fmt.Errorf("gw: uplink from %s: %w", imsi, err))
		}
		if p.Src.Addr() != addr {
			return g.drop(DropSpoofed, fmt.Errorf("gw: uplink from %s: source %s is not its PDN address %s", imsi, p.Src.Addr(), addr))
		}
		if d := p.Dst.Addr(); d.IsUnspecified() || d == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || d.IsMulticast() {
			return g.drop(DropNotIPv4Dest, fmt.Errorf("gw: uplink from %s: destination %s", imsi, p.Dst))
		}
		k, dst, body = key{imsi, p.Src, b}, p.Dst, p.Payload
	} else {
		if !g.cfg.NonIPServer.IsValid() {
			return g.drop(DropNoServer, fmt.Errorf("gw: Non-IP data from %s: no Non-IP application server configured", imsi))
		}
		k, dst, body = key{imsi: imsi, b: b}, g.cfg.NonIPServer, data
	}
	m, err := g.mapping(k)
	if err != nil {
		return err
	}
	g.mu.Lock()
	now := time.Now()
	if _, ok := m.allowed[dst]; !ok && len(m.allowed) >= g.cfg.MaxPeers {
		var lru netip.AddrPort
		for p, t := range m.allowed {
			if !lru.IsValid() || t.Before(m.allowed[lru]) {
				lru = p
			}
		}
		delete(m.allowed, lru)
		g.c.PeersForgotten++
	}
	m.allowed[dst] = now
	m.used = now
	g.mu.Unlock()
	if _, err := m.conn.WriteToUDPAddrPort(body, dst); err != nil {
		return g.drop(DropSendError, fmt.Errorf("gw: uplink from %s to %s: %w", imsi, dst, err))
	}
	g.mu.Lock()
	g.c.UplinkPackets++
	g.c.UplinkBytes += int64(len(body))
	g.mu.Unlock()
	return nil
}

func (g *Gateway) drop(cause string, err error) error {
	g.mu.Lock()
	g.c.Dropped[cause]++
	g.mu.Unlock()
	return err
}

// mapping returns k's mapping, opening its socket if needed.
func (g *Gateway) mapping(k key) (*mapping, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		g.c.Dropped[DropClosed]++
		return nil, errors.New("gw: closed")
	}
	if m := g.maps[k]; m != nil {
		return m, nil
	}
	g.makeRoom(time.Now())
	bind := g.cfg.Bind
	if k.b.Addr.IsValid() {
		bind = k.b.Addr.Unmap()
	}
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(bind, 0)))
	if err != nil {
		g.c.Dropped[DropSendError]++
		return nil, fmt.Errorf("gw: opening a socket for %s %s: %w", k.imsi, k.ep, err)
	}
	m := &mapping{k: k, conn: conn, allowed: map[netip.AddrPort]time.Time{}, used: time.Now()}
	g.maps[k] = m
	g.c.Mappings++
	g.wg.Add(1)
	go g.read(m)
	return m, nil
}

// expire closes the mappings unused for Idle (counted as Expired). g.mu is
// held.
func (g *Gateway) expire(now time.Time) {
	g.swept = now
	for _, m := range g.maps {
		if now.Sub(m.used) > g.cfg.Idle {
			g.closeLocked(m)
			g.c.Expired++
		}
	}
}

// makeRoom is called as a new mapping opens: it expires idle mappings if
// the table is full or the last sweep is a minute old, then, if the table
// is still full, closes the least recently used mapping (counted as
// Evicted). g.mu is held.
func (g *Gateway) makeRoom(now time.Time) {
	if len(g.maps) >= g.cfg.MaxMappings || now.Sub(g.swept) > time.Minute {
		g.expire(now)
	}
	if len(g.maps) < g.cfg.MaxMappings {
		return
	}
	var lru *mapping
	for _, m := range g.maps {
		if lru == nil || m.used.Before(lru.used) {
			lru = m
		}
	}
	if lru != nil {
		g.closeLocked(lru)
		g.c.Evicted++
	}
}

func (g *Gateway) closeLocked(m *mapping) {
	delete(g.maps, m.k)
	m.conn.Close()
}

// read forwards what arrives on m's socket to the device.
func (g *Gateway) read(m *mapping) {
	defer g.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, from, err := m.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		g.mu.Lock()
		_, ok := m.allowed[from]
		if ok {
			m.used = time.Now()
			g.c.DownlinkPackets++
			g.c.DownlinkBytes += int64(n)
		} else {
			g.c.Dropped[DropFiltered]++
		}
		g.mu.Unlock()
		if !ok {
			continue
		}
		var pkt []byte
		if m.k.ep.IsValid() {
			u := ippkt.UDP{Src: from, Dst: m.k.ep, Payload: buf[:n]}
			if pkt, err = u.Marshal(); err != nil {
				g.drop(DropMalformed, err)
				continue
			}
		} else {
			pkt = append([]byte(nil), buf[:n]...)
		}
		if g.cfg.DownlinkVia != nil {
			g.cfg.DownlinkVia(m.k.imsi, m.k.b, pkt)
		} else {
			g.cfg.Downlink(m.k.imsi, pkt)
		}
	}
}

// CloseVia closes the socket of the device endpoint ep's binding b, if
// it has one: the NAT in front forgot the binding for good, and what a
// server sends to its port now is refused by this host.
func (g *Gateway) CloseVia(imsi string, ep netip.AddrPort, b Binding) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if m := g.maps[key{imsi, ep, b}]; m != nil {
		g.closeLocked(m)
	}
}

// Endpoint is the host address the device's endpoint ep (IP PDN; the zero
// AddrPort for Non-IP) sends from, if it has a mapping.
func (g *Gateway) Endpoint(imsi string, ep netip.AddrPort) (netip.AddrPort, bool) {
	return g.EndpointVia(imsi, ep, Binding{})
}

// EndpointVia is Endpoint for binding b.
func (g *Gateway) EndpointVia(imsi string, ep netip.AddrPort, b Binding) (netip.AddrPort, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.maps[key{imsi, ep, b}]
	if m == nil {
		return netip.AddrPort{}, false
	}
	return m.conn.LocalAddr().(*net.UDPAddr).AddrPort(), true
}

// Counters returns a copy of the counters.
func (g *Gateway) Counters() Counters {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.c
	c.Open = int64(len(g.maps))
	c.Dropped = maps.Clone(g.c.Dropped)
	return c
}

// String formats the counters on one line, causes sorted.
func (c Counters) String() string {
	s := fmt.Sprintf("uplink=%d/%dB downlink=%d/%dB mappings=%d", c.UplinkPackets, c.UplinkBytes, c.DownlinkPackets, c.DownlinkBytes, c.Mappings)
	for _, f := range []struct {
		name string
		n    int64
	}{{"open", c.Open}, {"expired", c.Expired}, {"evicted", c.Evicted}, {"peers_forgotten", c.PeersForgotten}} {
		if f.n != 0 {
			s += fmt.Sprintf(" mappings_%s=%d", f.name, f.n)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(c.Dropped)) {
		s += fmt.Sprintf(" dropped_%s=%d", k, c.Dropped[k])
	}
	return s
}

// Close closes every mapping and waits for their readers.
func (g *Gateway) Close() error {
	g.mu.Lock()
	if !g.closed {
		close(g.stop)
	}
	g.closed = true
	for _, m := range g.maps {
		g.closeLocked(m)
	}
	g.mu.Unlock()
	g.wg.Wait()
	return nil
}
