package emulate

import (
	"fmt"
	"net/netip"
	"time"
)

// The operator's NAT at SGi (docs/emulate.md, NAT at SGi). The gateway
// (epc/gw) gives each device endpoint a host socket, so a server sees the
// device's traffic come from that socket's address and port: the public
// side of a NAT binding. What this file adds is the binding's life as
// operators' carrier-grade NATs run it: a binding that carried no uplink
// for the timeout (RFC 4787 §4.3: UDP mapping timers, commonly 20–120 s in
// mobile networks, far below RFC 4787's recommended 2 min) is gone; a
// downlink datagram to it is dropped and counted, and the device's next
// datagram gets a new binding, hence a new public port (and, with several
// public addresses, maybe a new address). That is what a CoAP or DTLS
// server meets after a device slept in PSM, and what DTLS connection IDs
// (RFC 9146) are for.
//
// The binding table is a state machine in network time (the engine's):
// it is deterministic and is told the time; the gateway does the I/O. A
// binding's generation names the gateway's socket: a new generation opens
// a new socket, hence a new port.

// NATConfig configures the NAT at SGi.
type NATConfig struct {
	// Timeout is how long a binding lives without uplink traffic (0: the
	// scenario's core.nat_timeout, whose default 0 is for ever, the
	// emulator's behaviour before the NAT model: the gateway's sockets
	// close after a day idle).
	Timeout time.Duration
	// Public lists host IPv4 addresses that new bindings take in turn
	// (nil: the gateway's bind address, Config.SGiBind). On Linux every
	// 127.0.0.0/8 address is local, so 127.0.0.2, 127.0.0.3 … work as
	// public addresses without setup.
	Public []netip.Addr
	// RefreshInbound: downlink traffic also keeps a binding alive
	// (RFC 4787 REQ-6 allows it; many operators' NATs do not).
	RefreshInbound bool
}

// MaxNATTimeout bounds NATConfig.Timeout.
const MaxNATTimeout = 24 * time.Hour

// maxNATBindings bounds the binding table, as the gateway's sockets are
// (gw.Config.MaxMappings' default): each distinct device endpoint (module,
// PDN address and source port) has a binding, and a host behind the
// module (PPP, TUN) or a firmware that takes a new source port for each
// datagram makes new ones without end; without a timeout none would ever
// go. Past the bound the least recently used binding is forgotten
// (NATCounters.Evicted).
const maxNATBindings = 1 << 16

// Check checks the configuration; flag names the option in errors.
func (c NATConfig) Check(flag string) error {
	if c.Timeout < 0 || c.Timeout > MaxNATTimeout {
		return fmt.Errorf("%s: %v: between 0 (no timeout) and 24h (operators' NATs: 20s to 2m for UDP)", flag, c.Timeout)
	}
	for _, a := range c.Public {
		if !a.Unmap().Is4() || a.IsUnspecified() || a.IsMulticast() {
			return fmt.Errorf("%s: %s: an IPv4 unicast address of this host is required", flag, a)
		}
	}
	return nil
}

// natKey is a device endpoint: the module and its PDN address and port.
type natKey struct {
	id int32
	ep netip.AddrPort
}

// binding is the public side of a device endpoint.
type binding struct {
	gen     uint32
	pub     netip.Addr // invalid: the gateway's bind address
	last    time.Duration
	rebound bool // forgotten by nat_rebind: replaced at the next datagram
	// prev is the binding this one replaced: its gateway socket stays, so
	// that what a server still sends to the old port is dropped and
	// counted; the one before it is forgotten (nat.forget).
	prev *binding
}

// NATCounters are the NAT's bindings and drops.
type NATCounters struct {
	Bindings        int64 `json:"bindings"`         // made so far
	Active          int64 `json:"active"`           // live now
	Expired         int64 `json:"expired"`          // replaced after the timeout
	Rebound         int64 `json:"rebound"`          // replaced by nat_rebind
	Evicted         int64 `json:"evicted"`          // forgotten to keep the table bounded (least recently used)
	DroppedDownlink int64 `json:"dropped_downlink"` // downlink to an expired or replaced binding
}

type nat struct {
	cfg NATConfig
	b   map[natKey]*binding
	gen uint32 // the last generation handed out
	c   NATCounters
	// forget, if set, is told of each binding that leaves for good (the
	// gateway closes its socket: without it every expiry left a socket, a
	// goroutine and its buffer for the gateway's idle day).
	forget func(k natKey, b binding)
}

// drop forgets b (nil: nothing).
func (n *nat) drop(k natKey, b *binding) {
	if b != nil && n.forget != nil {
		n.forget(k, *b)
	}
}

func newNAT(cfg NATConfig) *nat { return &nat{cfg: cfg, b: map[natKey]*binding{}} }

func (n *nat) expired(b *binding, now time.Duration) bool {
	return b.rebound || n.cfg.Timeout > 0 && now-b.last > n.cfg.Timeout
}

// uplink returns the binding of a datagram from k at now, making a new
// one when there is none or it expired. fresh reports a new binding
// replacing an old one.
func (n *nat) uplink(k natKey, now time.Duration) (b binding, fresh bool) {
	cur := n.b[k]
	if cur != nil && !n.expired(cur, now) {
		cur.last = now
		return *cur, false
	}
	if cur != nil && !cur.rebound {
		n.c.Expired++
	}
	n.gen++
	nb := &binding{gen: n.gen, last: now}
	if cur != nil {
		n.drop(k, cur.prev)
		cur.prev, nb.prev = nil, cur
	}
	if len(n.cfg.Public) > 0 {
		nb.pub = n.cfg.Public[int(n.gen-1)%len(n.cfg.Public)]
	}
	if cur == nil && len(n.b) >= maxNATBindings {
		n.makeRoom(now)
	}
	n.b[k] = nb
	n.c.Bindings++
	if len(n.b) > 4096 && len(n.b)&1023 == 0 {
		n.sweep(now)
	}
	return *nb, cur != nil
}

// makeRoom forgets expired bindings, or else the least recently used one.
func (n *nat) makeRoom(now time.Duration) {
	n.sweep(now)
	if len(n.b) < maxNATBindings {
		return
	}
	var lru natKey
	var oldest *binding
	for k, b := range n.b {
		if oldest == nil || b.last < oldest.last || b.last == oldest.last && (k.id < lru.id || k.id == lru.id && k.ep.Compare(lru.ep) < 0) {
			lru, oldest = k, b
		}
	}
	delete(n.b, lru)
	n.drop(lru, oldest.prev)
	n.drop(lru, oldest)
	n.c.Evicted++
}

// downlink reports whether a datagram that came in through generation gen
// for k at now passes: its binding is k's current one and alive.
func (n *nat) downlink(k natKey, gen uint32, now time.Duration) bool {
	cur := n.b[k]
	if cur == nil || cur.gen != gen || n.expired(cur, now) {
		n.c.DroppedDownlink++
		return false
	}
	if n.cfg.RefreshInbound {
		cur.last = now
	}
	return true
}

// current is k's live binding, if any.
func (n *nat) current(k natKey, now time.Duration) (binding, bool) {
	cur := n.b[k]
	if cur == nil || n.expired(cur, now) {
		return binding{}, false
	}
	return *cur, true
}

// rebind forgets module id's bindings: its next datagrams get new ones.
// It returns how many there were.
func (n *nat) rebind(id int32) int {
	k := 0
	for key, b := range n.b {
		if key.id == id && !b.rebound {
			b.rebound = true
			k++
		}
	}
	n.c.Rebound += int64(k)
	return k
}

// sweep forgets expired bindings (a datagram to one is dropped either way).
func (n *nat) sweep(now time.Duration) {
	for k, b := range n.b {
		if n.expired(b, now) {
			delete(n.b, k)
			if !b.rebound {
				n.c.Expired++
			}
			n.drop(k, b.prev)
			n.drop(k, b)
		}
	}
}

func (n *nat) counters(now time.Duration) NATCounters {
	c := n.c
	for _, b := range n.b {
		if !n.expired(b, now) {
			c.Active++
		}
	}
	return c
}
