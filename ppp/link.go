package ppp

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"
)

// Phase is a phase of the link (RFC 1661 §3.2).
type Phase uint8

// Phases.
const (
	PhaseDead Phase = iota
	PhaseEstablish
	PhaseAuthenticate
	PhaseNetwork
	PhaseTerminate
)

func (p Phase) String() string {
	return [...]string{"Dead", "Establish", "Authenticate", "Network", "Terminate"}[p]
}

// Config is the module's side of one PPP session.
type Config struct {
	// Addr is the PDN address IPCP gives the host.
	Addr netip.Addr
	// DNS are the DNS servers IPCP offers (RFC 1877); invalid: the
	// option is rejected.
	DNS [2]netip.Addr
	// Magic is the LCP Magic-Number (nonzero); the caller draws it.
	Magic uint32
	// Auth is the protocol the module asks the host to authenticate
	// with; any name and secret are accepted.
	Auth Auth
	// Challenge is the CHAP challenge value (the caller draws it; 16
	// octets if empty) and Name the authenticator's name in it.
	Challenge []byte
	Name      string
	// Log, if set, gets the automaton's transitions and what was
	// discarded.
	Log func(string)
}

// Event is something the module acts on.
type Event uint8

// Events of Ready.
const (
	// EventIPUp: IPCP is open; IPv4 packets flow.
	EventIPUp Event = iota + 1
	// EventIPDown: IPCP left Opened.
	EventIPDown
	// EventAuth: the host authenticated (Link.Peer names it).
	EventAuth
	// EventDead: the link is down (LCP finished, after Terminate or
	// after the peer stopped answering): the module leaves data mode.
	EventDead
)

// Ready is what the caller does next.
type Ready struct {
	// Out is to be written to the port.
	Out []byte
	// Packets are IPv4 packets from the host, for the network.
	Packets [][]byte
	Events  []Event
	// Timer: call Tick at this time (zero: no timer running).
	Timer time.Time
}

// Stats counts a link's traffic.
type Stats struct {
	Deframer  DeframerStats
	PacketsIn int64 // IPv4 packets from the host
	Out       int64 // IPv4 packets to the host
	// Discarded: IPv4 while IPCP is not open, protocols rejected.
	Discarded    int64
	ProtoRejects int64
	TooBig       int64 // packets to the host over its MRU
}

// Link is the module's side of a PPP link on a serial port.
type Link struct {
	cfg  Config
	now  time.Time
	de   Deframer
	lcp  *fsm
	ipcp *fsm
	lp   *lcpPolicy

	phase Phase
	fr    Framing // how frames are sent (DefaultFraming until LCP is open)
	peer  string  // the name or Peer-ID the host authenticated with

	chapID    uint8
	authTimer bool
	authDue   time.Time
	authTries int

	ready Ready
	stats Stats
}

// New returns a link in the Establish phase: its first Configure-Request
// is in Ready. now is the time of the CONNECT.
func New(now time.Time, cfg Config) *Link {
	if len(cfg.Challenge) == 0 {
		cfg.Challenge = make([]byte, 16)
		binary.BigEndian.PutUint32(cfg.Challenge, cfg.Magic)
	}
	l := &Link{cfg: cfg, now: now, fr: DefaultFraming}
	l.de.RxACCM = 0xffffffff
	l.lp = &lcpPolicy{l: l, auth: cfg.Auth, magic: cfg.Magic, peerMRU: 1500}
	l.lcp = &fsm{name: "LCP", proto: ProtoLCP, l: l, p: l.lp}
	l.ipcp = &fsm{name: "IPCP", proto: ProtoIPCP, l: l, p: &ipcpPolicy{l: l}}
	l.phase = PhaseEstablish
	l.lcp.Open()
	l.lcp.Up()
	l.ipcp.Open()
	return l
}

func (l *Link) logf(format string, args ...any) {
	if l.cfg.Log != nil {
		l.cfg.Log(fmt.Sprintf(format, args...))
	}
}

// Phase is the link's phase.
func (l *Link) Phase() Phase { return l.phase }

// States are the LCP and IPCP automata's states.
func (l *Link) States() (lcp, ipcp State) { return l.lcp.state, l.ipcp.state }

// Peer is the name the host authenticated with (CHAP Name, PAP Peer-ID).
func (l *Link) Peer() string { return l.peer }

// Addr is the address IPCP gives the host.
func (l *Link) Addr() netip.Addr { return l.cfg.Addr }

// Stats returns the link's counters.
func (l *Link) Stats() Stats {
	s := l.stats
	s.Deframer = l.de.Stats
	return s
}

// Ready hands out, and forgets, what the caller must do now.
func (l *Link) Ready() Ready {
	r := l.ready
	l.ready = Ready{}
	for _, f := range []*fsm{l.lcp, l.ipcp} {
		if f.timer && (r.Timer.IsZero() || f.deadline.Before(r.Timer)) {
			r.Timer = f.deadline
		}
	}
	if l.authTimer && (r.Timer.IsZero() || l.authDue.Before(r.Timer)) {
		r.Timer = l.authDue
	}
	return r
}

func (l *Link) event(e Event) { l.ready.Events = append(l.ready.Events, e) }

// send frames a control packet.
func (l *Link) send(proto uint16, p Packet) {
	fr := l.fr
	if proto == ProtoLCP {
		fr = DefaultFraming
	}
	l.ready.Out = fr.AppendFrame(l.ready.Out, proto, p.Append(nil))
}

// Input takes bytes read from the port at time now.
func (l *Link) Input(now time.Time, b []byte) {
	l.now = now
	for _, f := range l.de.Feed(b, nil) {
		l.frame(f)
	}
}

// Tick runs the timers at time now.
func (l *Link) Tick(now time.Time) {
	l.now = now
	l.lcp.tick()
	l.ipcp.tick()
	if l.authTimer && !now.Before(l.authDue) {
		l.authTimer = false
		if l.authTries < MaxConfigure {
			l.challenge()
		} else {
			// The host never answered: the link ends (RFC 1994 §4.1)
			// rather than hold the port in data mode for ever.
			l.logf("CHAP: no Response to %d Challenges: link terminated", l.authTries)
			l.Close(now)
		}
	}
}

// Send frames an IPv4 packet for the host; it reports false if IPCP is
// not open or the packet is over the host's MRU.
func (l *Link) Send(pkt []byte) bool {
	if l.ipcp.state != Opened {
		return false
	}
	if len(pkt) > l.lp.peerMRU {
		l.stats.TooBig++
		return false
	}
	l.stats.Out++
	l.ready.Out = l.fr.AppendFrame(l.ready.Out, ProtoIPv4, pkt)
	return true
}

// Close ends the link as the module does when its PDN goes: an LCP
// Terminate-Request (IPCP goes down with LCP, RFC 1661 §3.7); EventDead
// follows the Terminate-Ack (or the restart timer's expiry).
func (l *Link) Close(now time.Time) {
	l.now = now
	l.phase = PhaseTerminate
	l.lcp.Close()
}

// Hangup is the lower layer going down (the port is gone): no more
// packets, the link is dead.
func (l *Link) Hangup(now time.Time) {
	l.now = now
	l.lcp.Close()
	l.lcp.Down()
	l.phase = PhaseDead
}

func (l *Link) frame(f Frame) {
	switch f.Proto {
	case ProtoLCP:
		l.control(l.lcp, f.Info)
		return
	}
	if l.lcp.state != Opened {
		return // RFC 1661 §3.4: only LCP until LCP is open
	}
	switch {
	case f.Proto == ProtoPAP && l.phase == PhaseAuthenticate:
		l.pap(f.Info)
	case f.Proto == ProtoCHAP && l.phase == PhaseAuthenticate:
		l.chap(f.Info)
	case f.Proto == ProtoPAP || f.Proto == ProtoCHAP:
		// not asked for, or after authentication: silently discarded
	case f.Proto == ProtoIPCP:
		if l.phase == PhaseNetwork {
			l.control(l.ipcp, f.Info)
		}
	case f.Proto == ProtoIPv4 && l.ipcp.state == Opened:
		l.stats.PacketsIn++
		l.ready.Packets = append(l.ready.Packets, f.Info)
	case f.Proto == ProtoIPv4:
		l.stats.Discarded++
	default:
		// IPv6CP, IPv6, CCP, …: the module does not run them (RFC 1661 §5.7)
		l.stats.ProtoRejects++
		l.lcp.xid++
		data := binary.BigEndian.AppendUint16(nil, f.Proto)
		data = append(data, f.Info...)
		if max := l.lp.peerMRU - 4; len(data) > max {
			data = data[:max]
		}
		l.send(ProtoLCP, Packet{Code: ProtoRej, ID: l.lcp.xid, Data: data})
	}
}

// control takes a packet of LCP or IPCP.
func (l *Link) control(f *fsm, info []byte) {
	p, err := ParsePacket(info)
	if err != nil {
		l.logf("%s: %v", f.name, err)
		return
	}
	if f.recv(p) {
		return
	}
	if f == l.lcp {
		switch p.Code {
		case EchoReq:
			if l.lcp.state == Opened {
				magic := l.lp.magic
				if l.lp.noMagic {
					magic = 0 // not negotiated (RFC 1661 §5.8)
				}
				l.send(ProtoLCP, Packet{Code: EchoReply, ID: p.ID, Data: append(u32(magic), p.Data[min(4, len(p.Data)):]...)})
			}
			return
		case EchoReply, DiscardReq:
			return
		case ProtoRej:
			// the host does not run a protocol: only IPCP could matter
			if len(p.Data) >= 2 && binary.BigEndian.Uint16(p.Data) == ProtoIPCP {
				l.ipcp.event(evRXJMinus, &p)
			}
			return
		}
	}
	// RUC: Code-Reject with the packet (RFC 1661 §5.6)
	f.xid++
	l.send(f.proto, Packet{Code: CodeRej, ID: f.xid, Data: info[:min(len(info), l.lp.peerMRU-4)]})
}

// lcpUp is LCP's this-layer-up: the framing the peer asked for applies,
// then authentication or the network phase.
func (l *Link) lcpUp() {
	l.fr = l.lp.peer
	l.de.RxACCM = 0xffffffff // the peer rejected the option: the default (RFC 1662 §7.1)
	if !l.lp.noACCM {
		l.de.RxACCM = l.lp.rxACCM
	}
	l.phase = PhaseAuthenticate
	switch l.lp.ackedAuth {
	case AuthCHAP:
		l.authTries = 0
		l.challenge()
	case AuthPAP:
	default:
		l.network()
	}
}

func (l *Link) lcpDown() {
	l.fr = DefaultFraming
	l.de.RxACCM = 0xffffffff
	l.authTimer = false
	l.ipcp.Down()
	if l.phase != PhaseTerminate {
		l.phase = PhaseEstablish
	}
}

func (l *Link) lcpFinished() {
	l.phase = PhaseDead
	l.event(EventDead)
}

func (l *Link) network() {
	l.phase = PhaseNetwork
	l.ipcp.Up()
}

func (l *Link) ipUp()   { l.event(EventIPUp) }
func (l *Link) ipDown() { l.event(EventIPDown) }
