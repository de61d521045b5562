package module

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/ppp"
	"github.com/nbsim/nbsim/sim"
)

// Data mode: the port carries PPP (RFC 1661/1662) instead of AT commands,
// and the host's IP stack uses the module's PDN. ATD*99# (TS 27.007
// §10.2.1.1) and AT+CGDATA="PPP",<cid> (§10.1.12) start it with CONNECT;
// the escape sequence +++ with its guard times returns to command mode
// with the call held, ATO (V.250 §6.3.7) goes back to it, ATH (V.250
// §6.3.6) ends it. The host's IPv4 packets go to the network by Stack.Send,
// as the socket commands' do; every downlink packet goes to the host while
// the call lasts.

// Escape sequence defaults as modules document them (S2 = '+', S12 = 50:
// a guard time of 1 s before and after "+++", the three characters
// within it; e.g. Quectel BG95 and SIMCom SIM7080 AT manuals, "+++").
const (
	escapeChar  = '+'
	escapeGuard = time.Second
	// maxCallURCs bounds URCs held while the port is in data mode.
	maxCallURCs = 64
)

// PPP settings of the module's side: it asks the host to authenticate
// with CHAP and takes any answer, as cellular modules do (the name is the
// one Qualcomm-based modules send, seen in pppd logs).
const (
	pppAuthName = "UMTS_CHAP_SRVR"
)

// dataCall is a packet data call: the PPP link on the port.
type dataCall struct {
	link   *ppp.Link
	cid    int
	online bool // the port is in data mode (not held by +++)

	lastIn   time.Time // when the port last gave a byte
	plus     int       // escape characters so far
	timerDue time.Time // the link's timer already asked of the stack
	dropped  map[string]int64
}

// Events of the module's own timers in data mode.
type (
	callTimer   struct{ c *dataCall }
	escapeTimer struct{ c *dataCall }
)

// errDataMode ends a command line with CONNECT: the port is in data mode.
var errDataMode = &cmdError{plain: true}

var dataCommands = map[string]handler{
	// ATD*99[*[<called_address>][*[<L2P>][*[<cid>]]]]# (TS 27.007
	// §10.2.1.1): PPP on the PDN of <cid> (default: the attach PDN).
	"D": {set: dial},
	// AT+CGDATA=[<L2P>[,<cid>]] (TS 27.007 §10.1.12): L2P "PPP" only.
	"+CGDATA": {
		set: func(m *Module, c at.Command) error {
			if err := m.noMoreParams(c, 2); err != nil {
				return err
			}
			if c.Has(0) && !strings.EqualFold(c.Params[0].Raw, "PPP") {
				return m.fail(at.CMEOperationNotSupp, "AT+CGDATA: layer 2 protocol %q: only \"PPP\"", c.Params[0].Raw)
			}
			cid, err := c.IntOr(1, m.attachCID(), 0, maxCID)
			if err != nil {
				return err
			}
			if err := m.startCall(cid); err != nil {
				return m.fail(at.CMENoNetworkService, "AT+CGDATA: %v", err)
			}
			return errDataMode
		},
		test: func(m *Module, _ at.Command) error { m.info(`+CGDATA:("PPP")`); return nil },
	},
	// ATO: back to the held call (V.250 §6.3.7).
	"O": {action: online, set: func(m *Module, c at.Command) error {
		if _, err := c.Int(0, 0, 0); err != nil {
			return err
		}
		return online(m, c)
	}},
	// AT+CMUX (TS 27.007 §5.7): the multiplexer (cmd_mux.go).
	"+CMUX": cmuxCommand,
	// ATH: end the held call (V.250 §6.3.6).
	"H": {action: hangup, set: func(m *Module, c at.Command) error {
		if _, err := c.Int(0, 0, 0); err != nil {
			return err
		}
		return hangup(m, c)
	}},
}

// The data family is a vendor family: profiles name it where the module's
// AT manual documents ATD*99# and AT+CMUX (docs/at-commands.md#data-mode-ppp).
func init() { registerFamily("data", false, dataCommands) }

// dial is ATD. Only the packet domain's *99# is a number this module
// dials; anything else is NO CARRIER (no circuit-switched calls on
// NB-IoT).
func dial(m *Module, c at.Command) error {
	s := strings.TrimSuffix(c.Params[0].Raw, "#")
	f := strings.Split(s, "*")
	if len(f) < 2 || f[0] != "" || f[1] != "99" || !strings.HasSuffix(c.Params[0].Raw, "#") || len(f) > 5 {
		m.ceer = "ATD" + c.Params[0].Raw + ": only *99# (packet domain, TS 27.007 §10.2.1.1) is dialled"
		return errNoCarrier
	}
	if len(f) > 3 && f[3] != "" && f[3] != "1" && !strings.EqualFold(f[3], "PPP") {
		m.ceer = "ATD: layer 2 protocol " + f[3] + ": only PPP (1)"
		return errNoCarrier
	}
	cid := m.attachCID()
	if len(f) > 4 && f[4] != "" {
		n, err := strconv.Atoi(f[4])
		if err != nil || n < 0 || n > maxCID {
			m.ceer = "ATD: <cid> " + f[4] + ": want 0.." + strconv.Itoa(maxCID)
			return errNoCarrier
		}
		cid = n
	}
	if err := m.startCall(cid); err != nil {
		m.ceer = "ATD: " + err.Error()
		return errNoCarrier
	}
	return errDataMode
}

// errNoCarrier ends a command line with NO CARRIER.
var errNoCarrier = &cmdError{plain: true}

func online(m *Module, _ at.Command) error {
	if m.call == nil {
		m.ceer = "ATO: no call"
		return errNoCarrier
	}
	return errDataMode
}

func hangup(m *Module, _ at.Command) error {
	if m.call != nil {
		m.trace("ppp", "call ended by ATH")
		m.call = nil
	}
	return nil
}

// startCall starts PPP on the PDN of cid.
func (m *Module) startCall(cid int) error {
	if m.call != nil {
		return fmt.Errorf("a call is held (ATO returns to it, ATH ends it)")
	}
	if cid != m.attachCID() || m.pdns[cid] == nil {
		return fmt.Errorf("<cid> %d is not the PDN connection that is up (%d)", cid, m.attachCID())
	}
	s := m.st.Status()
	if !registered(s.Reg) || s.PDNType != PDNIP || !s.Addr.Is4() {
		return fmt.Errorf("no IPv4 PDN connection (not registered, or a Non-IP PDN)")
	}
	m.calls++
	r := sim.NewStream(0, "module:"+m.cfg.IMEI, uint64(m.calls), "ppp-magic")
	magic := uint32(r.Uint64()) | 1
	challenge := make([]byte, 16)
	for i := range challenge {
		challenge[i] = byte(r.Uint64())
	}
	now := m.st.Now()
	m.call = &dataCall{cid: cid, lastIn: now, dropped: map[string]int64{}}
	m.call.link = ppp.New(now, ppp.Config{
		Addr: s.Addr, Magic: magic, Auth: ppp.AuthCHAP, Challenge: challenge, Name: pppAuthName,
		Log: func(s string) { m.trace("ppp", s) },
	})
	m.trace("ppp", fmt.Sprintf("call on <cid> %d, PDN address %v", cid, s.Addr))
	return nil
}

// connect ends the command line with CONNECT and puts the port in data
// mode; the link's first frames follow.
func (m *Module) connect() {
	m.rest, m.pend = nil, nil
	m.out(m.f.Connect())
	m.running = false
	m.call.online = true
	m.call.lastIn = m.st.Now()
	m.call.plus = 0
	m.pumpCall()
}

// inData says the port carries the call's frames now.
func (m *Module) inData() bool { return m.call != nil && m.call.online }

// callInput takes bytes from the port in data mode.
func (m *Module) callInput(b []byte) {
	c := m.call
	now := m.st.Now()
	switch {
	case len(b) == 0:
	case strings.Count(string(b), string(rune(escapeChar))) != len(b):
		c.plus = 0
	case now.Sub(c.lastIn) >= escapeGuard:
		c.plus = len(b) // a sequence starts after the guard time
	case c.plus > 0:
		c.plus += len(b) // within the guard time of the previous '+'
	}
	if c.plus > 3 {
		c.plus = 0
	}
	if c.plus == 3 && len(b) > 0 && b[0] == escapeChar {
		m.st.After(escapeGuard, escapeTimer{c})
	}
	c.lastIn = now
	c.link.Input(now, b)
	m.pumpCall()
}

// pumpCall does what the link asks: frames to the port, packets to the
// network, its timer, the end of the call.
func (m *Module) pumpCall() {
	c := m.call
	if c == nil {
		return
	}
	r := c.link.Ready()
	if len(r.Out) > 0 && c.online {
		m.rawOut(r.Out)
	}
	for _, p := range r.Packets {
		m.callUplink(p)
	}
	if !r.Timer.IsZero() && (c.timerDue.IsZero() || r.Timer.Before(c.timerDue)) {
		c.timerDue = r.Timer
		m.st.After(max(r.Timer.Sub(m.st.Now()), 0), callTimer{c})
	}
	for _, e := range r.Events {
		switch e {
		case ppp.EventIPUp:
			m.trace("ppp", "IPCP opened: the host has "+c.link.Addr().String())
		case ppp.EventAuth:
			m.trace("ppp", "the host authenticated as "+strconv.Quote(c.link.Peer()))
		case ppp.EventDead:
			m.endCall("PPP link terminated")
			return
		}
	}
}

// callUplink sends a packet of the host through the network: IPv4/UDP
// from the PDN address only (the gateway carries UDP; anything else is
// dropped and counted, as on a TUN interface).
func (m *Module) callUplink(pkt []byte) {
	u, err := ippkt.Parse(pkt)
	switch {
	case len(pkt) >= ippkt.IPv4HeaderLen && pkt[0]>>4 == 4 && pkt[9] != ippkt.ProtoUDP:
		m.callDrop("not-udp")
	case err != nil:
		m.callDrop("malformed")
	case u.Src.Addr() != m.call.link.Addr():
		m.callDrop("wrong-source")
	default:
		if err := m.st.Send(pkt, nas.DDXNoInformation); err != nil {
			m.callDrop("refused: " + err.Error())
			m.ceer = "uplink: " + err.Error()
		}
	}
}

func (m *Module) callDrop(cause string) {
	if m.dataDropped == nil {
		m.dataDropped = map[string]int64{}
	}
	if len(m.dataDropped) < 16 || m.dataDropped[cause] > 0 {
		m.dataDropped[cause]++
	} else {
		m.dataDropped["other"]++
	}
	if m.call.dropped[cause] == 0 {
		m.trace("ppp", "uplink packet dropped ("+cause+"; further drops are only counted)")
	}
	m.call.dropped[cause]++
}

// DataDropped counts the host's packets the module dropped in data mode,
// by cause: "not-udp", "malformed", "wrong-source", or "refused: " and
// Stack.Send's error (not registered, too large, uplink queue full).
func (m *Module) DataDropped() map[string]int64 { return maps.Clone(m.dataDropped) }

// callDownlink gives a packet from the network to the host.
func (m *Module) callDownlink(data []byte) {
	if !m.call.online || !m.call.link.Send(data) {
		m.droppedPackets++
		return
	}
	m.pumpCall()
}

// endCall leaves data mode with NO CARRIER (V.250 §5.7.1).
func (m *Module) endCall(why string) {
	online := m.call.online
	m.trace("ppp", "call ended: "+why)
	m.ceer = why
	m.call = nil
	if online {
		m.out(m.f.NoCarrier())
		m.flushURCs()
	}
}

// callEvent takes the module's timers and the network's changes in data
// mode; it reports whether ev was one of its own.
func (m *Module) callEvent(ev any) bool {
	switch e := ev.(type) {
	case callTimer:
		if e.c == m.call {
			e.c.timerDue = time.Time{}
			e.c.link.Tick(m.st.Now())
			m.pumpCall()
		}
		return true
	case escapeTimer:
		c := e.c
		if c == m.call && c.online && c.plus == 3 && m.st.Now().Sub(c.lastIn) >= escapeGuard {
			c.online, c.plus = false, 0
			m.trace("ppp", "+++: command mode, the call held")
			m.out(m.f.OK())
			m.flushURCs()
		}
		return true
	case Registration:
		if m.call != nil && !registered(e.State) && !m.st.Status().NoService {
			// the PDN is gone: the module ends the link (LCP
			// Terminate-Request) and reports NO CARRIER when it is done.
			// Out of coverage (NoService) it is still registered, with
			// its PDN connection (EMM-REGISTERED.NO-CELL-AVAILABLE, TS
			// 24.301 §5.2.3.2): the call goes on, its packets fail.
			m.call.link.Close(m.st.Now())
			m.pumpCall()
		}
	}
	return false
}
