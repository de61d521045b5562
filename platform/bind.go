package platform

import (
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/plgd-dev/go-coap/v3/message/codes"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// Stats counts what the platform holds and what it refused. GET /api/stats
// returns it.
type Stats struct {
	Endpoints       int `json:"endpoints"`        // endpoints known
	Stored          int `json:"stored"`           // uplinks + finished commands kept
	CommandsWaiting int `json:"commands_waiting"` // queued or sent
	Exchanges       int `json:"exchanges"`        // downlink exchanges in flight

	// UplinksUnauthorized: uplinks refused with 4.01 because they named a
	// bound endpoint from another source (or PSK identity).
	UplinksUnauthorized uint64 `json:"uplinks_unauthorized"`
	// EndpointsRefused: new endpoints refused at Config.MaxEndpoints
	// (CoAP 5.03, HTTP 507).
	EndpointsRefused uint64 `json:"endpoints_refused"`
	// UplinksRefused: uplinks refused at Config.MaxStored (5.03).
	UplinksRefused uint64 `json:"uplinks_refused"`
	// CommandsRefused: commands refused at Config.MaxPending or
	// Config.MaxCommands (507).
	CommandsRefused uint64 `json:"commands_refused"`
	// EndpointsExpired: endpoints forgotten after Config.Lifetime of
	// silence.
	EndpointsExpired uint64 `json:"endpoints_expired"`

	// HTTPConns: connections open on the API's listener (Config.APIAddr);
	// HTTPConnsEvicted: connections closed to make room at
	// HTTPLimits.MaxConns.
	HTTPConns        int    `json:"http_conns"`
	HTTPConnsEvicted uint64 `json:"http_conns_evicted"`
}

// Stats returns the platform's counters.
func (p *Platform) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Endpoints, s.Stored, s.CommandsWaiting, s.Exchanges = len(p.devices), p.stored, p.commands, p.inflight
	if p.httpLn != nil {
		s.HTTPConns, s.HTTPConnsEvicted = p.httpLn.counts()
	}
	return s
}

// peer is where an uplink came from.
type peer struct {
	addr     netip.AddrPort  // UDP source, IPv4 unmapped
	identity string          // PSK identity of the DTLS session; "" over plain CoAP
	conn     *udpClient.Conn // nil in the fuzz harness
}

func peerOf(cc *udpClient.Conn, identity string) peer {
	pr := peer{conn: cc, identity: identity}
	if a, ok := cc.RemoteAddr().(*net.UDPAddr); ok {
		ap := a.AddrPort()
		pr.addr = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return pr
}

// matches reports whether src is allowed by a binding to b: the same IP,
// and the same port unless b's port is 0.
func matches(b, src netip.AddrPort) bool {
	return b.Addr() == src.Addr() && (b.Port() == 0 || b.Port() == src.Port())
}

// live reports whether d's binding still holds at now.
func (p *Platform) live(d *device, now time.Time) bool {
	return (d.bound.IsValid() || d.boundID != "") && now.Sub(d.lastSeen) < p.cfg.Lifetime
}

// refuseLocked says why an uplink for ep from pr must be refused with 4.01,
// or "" when it may be stored. d is ep's record, nil if unknown; hook is
// Config.Bind's answer. Caller holds p.mu.
func (p *Platform) refuseLocked(d *device, ep string, pr peer, hook netip.AddrPort, hooked bool, now time.Time) string {
	if _, reserved := p.cfg.PSK[ep]; reserved && pr.identity != ep {
		return fmt.Sprintf("endpoint %q is a PSK identity: accepted only over DTLS with that identity", ep)
	}
	if hooked {
		if !matches(hook, pr.addr) {
			return fmt.Sprintf("endpoint %q is bound to %v (its PDN's gateway socket), not %v", ep, hook, pr.addr)
		}
		return ""
	}
	if d == nil || !p.live(d, now) {
		return ""
	}
	until := d.lastSeen.Add(p.cfg.Lifetime).UTC().Format(time.RFC3339)
	switch {
	case d.boundID != "" && pr.identity != d.boundID:
		return fmt.Sprintf("endpoint %q is bound to a DTLS session of another PSK identity until %s", ep, until)
	case d.boundID == "" && !matches(d.bound, pr.addr):
		return fmt.Sprintf("endpoint %q is bound to %v until %s (or until released: DELETE /api/devices/%s/binding)", ep, d.bound, until, ep)
	}
	return ""
}

// storeUplink admits and stores one uplink; it returns codes.Changed, or
// the code and diagnostic of the refusal.
func (p *Platform) storeUplink(ep string, payload []byte, pr peer, confirmable bool) (codes.Code, string) {
	var hook netip.AddrPort
	hooked := false
	if p.cfg.Bind != nil {
		hook, hooked = p.cfg.Bind(ep)
		hook = netip.AddrPortFrom(hook.Addr().Unmap(), hook.Port())
	}
	now := p.cfg.Now()
	p.mu.Lock()
	d := p.devices[ep]
	if why := p.refuseLocked(d, ep, pr, hook, hooked, now); why != "" {
		p.stats.UplinksUnauthorized++
		n := p.stats.UplinksUnauthorized
		p.mu.Unlock()
		if n&(n-1) == 0 { // 1, 2, 4, 8, ...: a flood does not flood the log
			p.logf("platform: coap: uplink refused (4.01; %d so far): %s", n, why)
		}
		return codes.Unauthorized, why
	}
	d, err := p.deviceLocked(ep, now, hooked)
	if err != nil {
		p.mu.Unlock()
		return codes.ServiceUnavailable, err.Error()
	}
	// A full store takes the endpoint's own oldest message; an endpoint
	// with none is refused, unless Config.Bind claims it (an emulated
	// module: its own Config.MaxMessages bound it).
	if p.stored >= p.cfg.MaxStored {
		if d.dropOldestMessage() {
			p.stored--
		} else if !hooked {
			p.stats.UplinksRefused++
			if len(d.pending) == 0 && len(d.done) == 0 && d.uplinks == 0 {
				delete(p.devices, ep) // created just now
			}
			p.mu.Unlock()
			return codes.ServiceUnavailable, fmt.Sprintf("store full: %d messages and commands kept on all endpoints (limit %d)", p.stored, p.cfg.MaxStored)
		}
	}
	switch {
	case pr.identity != "":
		d.bound, d.boundID, d.boundBy = netip.AddrPort{}, pr.identity, "PSK identity"
	case hooked:
		d.bound, d.boundID, d.boundBy = hook, "", "Config.Bind"
	default:
		d.bound, d.boundID, d.boundBy = pr.addr, "", "uplink"
	}
	addr := net.UDPAddrFromAddrPort(pr.addr)
	if d.firstSeen.IsZero() {
		d.firstSeen = now
	}
	d.lastSeen, d.lastActive = now, now
	moved := d.addr == nil || d.addr.String() != addr.String() || d.secure != (pr.identity != "")
	d.addr, d.conn, d.secure = addr, pr.conn, pr.identity != ""
	d.uplinks++
	d.blocked = false
	if d.inflight && moved && d.redirect != nil {
		// The CON in flight goes to the old address; resend it to the new one.
		d.redirect(errRedirected)
	}
	m := Message{
		Seq:         d.uplinks,
		Time:        now,
		Endpoint:    ep,
		Payload:     append([]byte(nil), payload...),
		Source:      addr,
		Confirmable: confirmable,
	}
	p.stored += 1 - d.addMessage(m, p.cfg.MaxMessages)
	p.mu.Unlock()
	if p.cfg.OnUplink != nil {
		m.Payload = append([]byte(nil), payload...)
		p.cfg.OnUplink(m)
	}
	return codes.Changed, ""
}

// Unbind releases ep's binding, so that its next uplink, from any source,
// binds it anew: the way to let a device that moved (NAT rebinding) back in
// before Config.Lifetime runs out. A binding by Config.Bind or by a PSK
// identity in Config.PSK is not released (it is re-applied at the next
// uplink). It reports whether ep is known.
func (p *Platform) Unbind(ep string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.devices[ep]
	if d == nil {
		return false
	}
	d.bound, d.boundID, d.boundBy = netip.AddrPort{}, "", ""
	return true
}

// sweepEvery is how often endpoints are checked for expiry.
func (p *Platform) sweepEvery() time.Duration {
	return min(max(p.cfg.Lifetime/2, 10*time.Millisecond), time.Minute)
}

// sweeper forgets expired endpoints until the platform closes.
func (p *Platform) sweeper() {
	t := time.NewTicker(p.sweepEvery())
	defer t.Stop()
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-t.C:
			now := p.cfg.Now()
			p.mu.Lock()
			p.expireLocked(now, true)
			p.mu.Unlock()
		}
	}
}

// expireLocked forgets the endpoints silent for Config.Lifetime with no
// command waiting. Unless forced, at most once per sweepEvery: it walks
// every endpoint. Caller holds p.mu.
func (p *Platform) expireLocked(now time.Time, force bool) {
	if !force && !p.lastSweep.IsZero() && now.Sub(p.lastSweep) < p.sweepEvery() {
		return
	}
	p.lastSweep = now
	for ep, d := range p.devices {
		if len(d.pending) == 0 && !d.inflight && now.Sub(d.lastActive) >= p.cfg.Lifetime {
			p.stored -= len(d.msgs) + len(d.done)
			delete(p.devices, ep)
			p.stats.EndpointsExpired++
		}
	}
	// A Go map keeps its buckets when entries go (and maps.Clone copies
	// them): after a flood expires, move what is left to a map of its size.
	if len(p.devices) < p.devicesPeak/4 {
		m := make(map[string]*device, len(p.devices))
		for ep, d := range p.devices {
			m[ep] = d
		}
		p.devices = m
		p.devicesPeak = len(m)
	}
}
