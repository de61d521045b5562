package ppp

import (
	"bytes"
	"net/netip"
	"slices"
	"testing"
	"time"
)

// peer drives a Link as the host's side would, packet by packet, in
// network time: what the module sends is read back with a Deframer.
type peer struct {
	t      *testing.T
	l      *Link
	now    time.Time
	de     Deframer
	fr     Framing // how the host frames (DefaultFraming: everything escaped)
	events []Event
}

func newPeer(t *testing.T, auth Auth) *peer {
	now := time.Unix(1.7e9, 0)
	p := &peer{t: t, now: now, fr: DefaultFraming}
	p.l = New(now, Config{Addr: netip.MustParseAddr("10.45.0.9"), Magic: 0x5a5a0001, Auth: auth})
	return p
}

// read returns the packets the module sent since the last read.
func (p *peer) read() []Frame {
	r := p.l.Ready()
	p.events = append(p.events, r.Events...)
	return p.de.Feed(r.Out, nil)
}

func (p *peer) send(proto uint16, pkt Packet) { p.raw(p.fr.AppendFrame(nil, proto, pkt.Append(nil))) }

func (p *peer) raw(b []byte) { p.l.Input(p.now, b) }

// tick advances network time by d and runs the link's timers.
func (p *peer) tick(d time.Duration) {
	p.now = p.now.Add(d)
	p.l.Tick(p.now)
}

// packets are the control packets of proto among frames.
func (p *peer) packets(frames []Frame, proto uint16) []Packet {
	var out []Packet
	for _, f := range frames {
		if f.Proto != proto {
			continue
		}
		pkt, err := ParsePacket(f.Info)
		if err != nil {
			p.t.Fatalf("module sent a bad %#04x packet: %v", proto, err)
		}
		out = append(out, pkt)
	}
	return out
}

// one is the only packet of proto with code c among frames.
func (p *peer) one(frames []Frame, proto uint16, c Code) Packet {
	p.t.Helper()
	var got []Packet
	for _, pkt := range p.packets(frames, proto) {
		if pkt.Code == c {
			got = append(got, pkt)
		}
	}
	if len(got) != 1 {
		p.t.Fatalf("%d %v packets of protocol %#04x, want 1 (frames %v)", len(got), c, proto, frames)
	}
	return got[0]
}

// openLCP answers the module's LCP Configure-Request with what ackReq
// (or, with rejOpts, a Configure-Reject of those options first) and has
// its own empty request acknowledged: LCP is open after it. It returns
// what the module sent with its Configure-Ack (what LCP's opening
// started: a CHAP Challenge, IPCP's Configure-Request).
func (p *peer) openLCP(rejOpts ...uint8) []Frame {
	p.t.Helper()
	req := p.one(p.read(), ProtoLCP, ConfReq)
	if len(rejOpts) > 0 {
		opts, _ := ParseOptions(req.Data)
		var rej []Option
		for _, o := range opts {
			if slices.Contains(rejOpts, o.Type) {
				rej = append(rej, o)
			}
		}
		p.send(ProtoLCP, Packet{Code: ConfRej, ID: req.ID, Data: AppendOptions(nil, rej)})
		req = p.one(p.read(), ProtoLCP, ConfReq)
		opts, _ = ParseOptions(req.Data)
		for _, o := range opts {
			if slices.Contains(rejOpts, o.Type) {
				p.t.Fatalf("the module asks again for option %d, which the host rejected", o.Type)
			}
		}
	}
	p.send(ProtoLCP, Packet{Code: ConfAck, ID: req.ID, Data: req.Data})
	p.send(ProtoLCP, Packet{Code: ConfReq, ID: 1})
	fr := p.read()
	p.one(fr, ProtoLCP, ConfAck)
	if lcp, _ := p.l.States(); lcp != Opened {
		p.t.Fatalf("LCP %v, want Opened", lcp)
	}
	return fr
}

// TestRestartCounter: a host that never answers gets Max-Configure
// Configure-Requests, Restart-Time apart, then the link is dead (RFC 1661
// §4.6: TO- in Req-Sent, tlf).
func TestRestartCounter(t *testing.T) {
	p := newPeer(t, AuthNone)
	n := len(p.packets(p.read(), ProtoLCP))
	for range 3 * MaxConfigure {
		p.tick(RestartTime)
		n += len(p.packets(p.read(), ProtoLCP))
		if slices.Contains(p.events, EventDead) {
			break
		}
	}
	if n != MaxConfigure {
		t.Errorf("%d Configure-Requests, want Max-Configure %d", n, MaxConfigure)
	}
	if !slices.Contains(p.events, EventDead) {
		t.Fatal("the link is not dead after the host never answered")
	}
	if lcp, _ := p.l.States(); lcp != Stopped {
		t.Errorf("LCP %v, want Stopped", lcp)
	}
}

// TestCHAPGivesUp: a host that never answers the CHAP Challenge gets
// Max-Configure of them; then the module ends the link (RFC 1994 §4.1:
// the authenticator retransmits, and a link whose peer does not
// authenticate is not left open) instead of holding the port in data
// mode for ever.
func TestCHAPGivesUp(t *testing.T) {
	p := newPeer(t, AuthCHAP)
	fr := p.openLCP()
	challenges := 0
	for range 3 * MaxConfigure {
		for _, pkt := range p.packets(fr, ProtoCHAP) {
			if pkt.Code == chapChallenge {
				challenges++
			}
		}
		if slices.Contains(p.events, EventDead) {
			break
		}
		p.tick(RestartTime)
		fr = p.read()
	}
	if challenges != MaxConfigure {
		t.Errorf("%d challenges, want %d", challenges, MaxConfigure)
	}
	if !slices.Contains(p.events, EventDead) {
		lcp, _ := p.l.States()
		t.Fatalf("the link is still up (LCP %v, phase %v) after %d unanswered challenges", lcp, p.l.Phase(), challenges)
	}
}

// TestCodeRejectKeepsConfigure: a Code-Reject the module sends while its
// Configure-Request is outstanding does not take that request's
// Identifier, so the host's Configure-Ack for it still counts (RFC 1661
// §5: a Configure-Ack matches the Identifier of the last request).
func TestCodeRejectKeepsConfigure(t *testing.T) {
	p := newPeer(t, AuthNone)
	req := p.one(p.openLCP(), ProtoIPCP, ConfReq)
	p.send(ProtoIPCP, Packet{Code: 12, ID: 77, Data: []byte{1, 2}}) // not an IPCP code
	p.one(p.read(), ProtoIPCP, CodeRej)
	p.send(ProtoIPCP, Packet{Code: ConfAck, ID: req.ID, Data: req.Data})
	addr := p.l.Addr().As4()
	p.send(ProtoIPCP, Packet{Code: ConfReq, ID: 9, Data: AppendOptions(nil, []Option{{optIPAddress, addr[:]}})})
	p.one(p.read(), ProtoIPCP, ConfAck)
	if _, ipcp := p.l.States(); ipcp != Opened {
		t.Fatalf("IPCP %v after the host acknowledged the module's request and had its own acknowledged, want Opened", ipcp)
	}
}

// TestMagicNotNegotiated: once the host rejected the Magic-Number
// option, the module's Echo-Reply carries zero (RFC 1661 §5.8).
func TestMagicNotNegotiated(t *testing.T) {
	p := newPeer(t, AuthNone)
	p.openLCP(optMagic)
	p.send(ProtoLCP, Packet{Code: EchoReq, ID: 4, Data: []byte{0, 0, 0, 0, 'h', 'i'}})
	rep := p.one(p.read(), ProtoLCP, EchoReply)
	if !bytes.Equal(rep.Data, []byte{0, 0, 0, 0, 'h', 'i'}) {
		t.Fatalf("Echo-Reply data %x, want the magic number 0 and the request's data", rep.Data)
	}
}

// TestACCMRejected: once the host rejected the module's ACCM option, the
// default map applies to what the module receives (RFC 1662 §7.1): a
// control character the link inserted unescaped (XON here) is dropped,
// and the frame around it is good.
func TestACCMRejected(t *testing.T) {
	p := newPeer(t, AuthNone)
	req := p.one(p.openLCP(optACCM), ProtoIPCP, ConfReq)
	p.send(ProtoIPCP, Packet{Code: ConfAck, ID: req.ID, Data: req.Data})
	addr := p.l.Addr().As4()
	p.send(ProtoIPCP, Packet{Code: ConfReq, ID: 9, Data: AppendOptions(nil, []Option{{optIPAddress, addr[:]}})})
	p.one(p.read(), ProtoIPCP, ConfAck)
	ip := []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 45, 0, 9, 127, 0, 0, 1}
	f := p.fr.AppendFrame(nil, ProtoIPv4, ip)
	f = slices.Insert(f, 5, 0x11) // XON from the link, inside the frame
	p.raw(f)
	if r := p.l.Ready(); len(r.Packets) != 1 || !bytes.Equal(r.Packets[0], ip) {
		t.Fatalf("the module got %x, want the packet %x (the XON dropped); deframer %+v", r.Packets, ip, p.l.Stats().Deframer)
	}
}

// TestMaxFailureRejectsOnlyRequested: after Max-Failure Configure-Naks,
// a Configure-Reject lists only options of the peer's request (RFC 1661
// §5.4); IPCP's hint of an address the host did not ask for is never in
// one.
func TestMaxFailureRejectsOnlyRequested(t *testing.T) {
	p := newPeer(t, AuthNone)
	p.openLCP()
	dns := []Option{{optPrimaryDNS, []byte{0, 0, 0, 0}}} // no DNS configured: rejected
	for i := range MaxFailure + 3 {
		p.send(ProtoIPCP, Packet{Code: ConfReq, ID: uint8(10 + i)}) // no IP-Address
		for _, pkt := range p.packets(p.read(), ProtoIPCP) {
			if pkt.Code != ConfRej {
				continue
			}
			opts, _ := ParseOptions(pkt.Data)
			for _, o := range opts {
				t.Errorf("request %d (no options): Configure-Reject of option %d, not in the request", i+1, o.Type)
			}
		}
	}
	// An option that is in the request is still rejected.
	p.send(ProtoIPCP, Packet{Code: ConfReq, ID: 40, Data: AppendOptions(nil, dns)})
	rej := p.one(p.read(), ProtoIPCP, ConfRej)
	if !bytes.Equal(rej.Data, AppendOptions(nil, dns)) {
		t.Errorf("Configure-Reject %x, want the DNS option %x", rej.Data, AppendOptions(nil, dns))
	}
}
