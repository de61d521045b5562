package ppp

import (
	"bytes"
	"fmt"
	"slices"
	"time"
)

// State is a state of the option negotiation automaton (RFC 1661 §4.2).
type State uint8

// States (RFC 1661 §4.2).
const (
	Initial State = iota
	Starting
	Closed
	Stopped
	Closing
	Stopping
	ReqSent
	AckRcvd
	AckSent
	Opened
)

var stateNames = [...]string{"Initial", "Starting", "Closed", "Stopped", "Closing", "Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state %d", uint8(s))
}

// Counters and timer of RFC 1661 §4.6, at their suggested values.
const (
	RestartTime  = 3 * time.Second
	MaxTerminate = 2
	MaxConfigure = 10
	MaxFailure   = 5
)

// event is an event of the automaton (RFC 1661 §4.3).
type event uint8

const (
	evUp event = iota
	evDown
	evOpen
	evClose
	evTOPlus
	evTOMinus
	evRCRPlus
	evRCRMinus
	evRCA
	evRCN
	evRTR
	evRTA
	evRXJPlus
	evRXJMinus
)

// policy is what a control protocol (LCP, IPCP) decides about options,
// and what it does at the automaton's this-layer actions.
type policy interface {
	// request is the options of our Configure-Request.
	request() []Option
	// check looks at the peer's Configure-Request: nil nak and rej
	// accept it; else the options to Nak (with the values we want) or
	// Reject.
	check(opts []Option) (nak, rej []Option)
	// acked, nakked and rejected take the peer's answer to our request.
	acked(opts []Option)
	nakked(opts []Option)
	rejected(opts []Option)
	// The this-layer actions (RFC 1661 §4.4): up, down, started, finished.
	up()
	down()
	started()
	finished()
}

// fsm is the automaton of one control protocol.
type fsm struct {
	name  string
	proto uint16
	l     *Link
	p     policy

	state    State
	restart  int    // restart counter
	failures int    // Configure-Naks sent in a row
	id       uint8  // of our Configure-Request and Terminate-Request
	xid      uint8  // of our Code-Rejects and Protocol-Rejects: they must not take id, which a Configure-Ack answers
	sent     []byte // the options of our last Configure-Request
	deadline time.Time
	timer    bool
	nak, rej []Option // the answer to the Configure-Request being handled
}

func (f *fsm) setState(s State) {
	if s != f.state {
		f.l.logf("%s %s -> %s", f.name, f.state, s)
	}
	f.state = s
	switch s {
	case Closing, Stopping, ReqSent, AckRcvd, AckSent:
	default:
		f.timer = false
	}
}

// Actions (RFC 1661 §4.4).

func (f *fsm) irc(ev event) {
	f.restart = MaxConfigure
	if ev == evClose || ev == evRXJMinus {
		f.restart = MaxTerminate
	}
}

func (f *fsm) zrc() {
	f.restart = 0
	f.startTimer()
}

func (f *fsm) startTimer() {
	f.timer = true
	f.deadline = f.l.now.Add(RestartTime)
}

func (f *fsm) scr() {
	f.id++
	f.sent = AppendOptions(nil, f.p.request())
	f.restart--
	f.startTimer()
	f.l.send(f.proto, Packet{Code: ConfReq, ID: f.id, Data: f.sent})
}

func (f *fsm) str() {
	f.id++
	f.restart--
	f.startTimer()
	f.l.send(f.proto, Packet{Code: TermReq, ID: f.id})
}

func (f *fsm) sta(id uint8) { f.l.send(f.proto, Packet{Code: TermAck, ID: id}) }

// Open, Close, Up and Down are the administrative and lower-layer events.
func (f *fsm) Open()  { f.event(evOpen, nil) }
func (f *fsm) Close() { f.event(evClose, nil) }
func (f *fsm) Up()    { f.event(evUp, nil) }
func (f *fsm) Down()  { f.event(evDown, nil) }

// tick runs the restart timer.
func (f *fsm) tick() {
	if !f.timer || f.l.now.Before(f.deadline) {
		return
	}
	f.timer = false
	if f.restart > 0 {
		f.event(evTOPlus, nil)
	} else {
		f.event(evTOMinus, nil)
	}
}

// event runs one event; pkt is the received packet of receive events.
func (f *fsm) event(ev event, pkt *Packet) {
	switch ev {
	case evUp, evDown, evOpen, evClose:
		f.admin(ev)
	case evTOPlus, evTOMinus:
		f.timeout(ev)
	case evRCRPlus, evRCRMinus:
		f.rcr(ev, pkt)
	case evRCA, evRCN:
		f.rca(ev)
	case evRTR:
		f.rtr(pkt.ID)
	case evRTA:
		f.rta()
	case evRXJPlus:
		if f.state == AckRcvd {
			f.setState(ReqSent)
		}
	case evRXJMinus:
		f.rxjMinus()
	}
}

func (f *fsm) admin(ev event) {
	s := f.state
	switch {
	case ev == evUp && s == Initial:
		f.setState(Closed)
	case ev == evUp && s == Starting:
		f.irc(ev)
		f.scr()
		f.setState(ReqSent)
	case ev == evDown && (s == Closed || s == Closing):
		f.setState(Initial)
	case ev == evDown && s == Stopped:
		f.p.started()
		f.setState(Starting)
	case ev == evDown && s == Opened:
		f.p.down()
		f.setState(Starting)
	case ev == evDown && s >= Stopping:
		f.setState(Starting)
	case ev == evOpen && s == Initial:
		f.p.started()
		f.setState(Starting)
	case ev == evOpen && s == Closed:
		f.irc(ev)
		f.scr()
		f.setState(ReqSent)
	case ev == evOpen && s == Closing:
		f.setState(Stopping)
	case ev == evClose && s == Starting:
		f.p.finished()
		f.setState(Initial)
	case ev == evClose && s == Stopped:
		f.setState(Closed)
	case ev == evClose && s == Stopping:
		f.setState(Closing)
	case ev == evClose && s >= ReqSent:
		if s == Opened {
			f.p.down()
		}
		f.irc(ev)
		f.str()
		f.setState(Closing)
	}
}

func (f *fsm) timeout(ev event) {
	s := f.state
	switch {
	case ev == evTOPlus && (s == Closing || s == Stopping):
		f.str()
	case ev == evTOPlus && (s == ReqSent || s == AckRcvd):
		f.scr()
		f.setState(ReqSent)
	case ev == evTOPlus && s == AckSent:
		f.scr()
	case ev == evTOMinus && s == Closing:
		f.p.finished()
		f.setState(Closed)
	case ev == evTOMinus && (s == Stopping || s == ReqSent || s == AckRcvd || s == AckSent):
		f.p.finished()
		f.setState(Stopped)
	}
}

// rcr is a Configure-Request received: good (RCR+) or not (RCR-).
func (f *fsm) rcr(ev event, pkt *Packet) {
	s := f.state
	answer := func() {
		if ev == evRCRPlus {
			f.failures = 0
			f.l.send(f.proto, Packet{Code: ConfAck, ID: pkt.ID, Data: pkt.Data})
			return
		}
		f.l.send(f.proto, f.nakOrRej(pkt))
	}
	switch s {
	case Closed:
		f.sta(pkt.ID)
	case Stopped:
		f.irc(ev)
		f.scr()
		answer()
		f.setState(map[bool]State{true: AckSent, false: ReqSent}[ev == evRCRPlus])
	case ReqSent, AckSent:
		answer()
		f.setState(map[bool]State{true: AckSent, false: ReqSent}[ev == evRCRPlus])
	case AckRcvd:
		answer()
		if ev == evRCRPlus {
			f.setState(Opened)
			f.p.up()
		}
	case Opened:
		f.p.down()
		f.scr()
		answer()
		f.setState(map[bool]State{true: AckSent, false: ReqSent}[ev == evRCRPlus])
	}
}

// nakOrRej answers a request that is not acceptable.
func (f *fsm) nakOrRej(pkt *Packet) Packet {
	nak, rej := f.nak, f.rej
	if len(rej) == 0 && f.failures >= MaxFailure {
		// Max-Failure: what we keep Nak-ing is rejected now (RFC 1661
		// §4.6), exactly as the request has it (§5.4: a Configure-Reject
		// holds only options of the request, unmodified); a hint of an
		// option the peer left out stays a Nak.
		opts, _ := ParseOptions(pkt.Data)
		var keep []Option
		for _, o := range nak {
			i := slices.IndexFunc(opts, func(r Option) bool { return r.Type == o.Type })
			if i < 0 {
				keep = append(keep, o)
			} else if !slices.ContainsFunc(rej, func(r Option) bool { return r.Type == o.Type }) {
				rej = append(rej, opts[i])
			}
		}
		nak = keep
	}
	if len(rej) > 0 {
		return Packet{Code: ConfRej, ID: pkt.ID, Data: AppendOptions(nil, rej)}
	}
	f.failures++
	return Packet{Code: ConfNak, ID: pkt.ID, Data: AppendOptions(nil, nak)}
}

// rca is a Configure-Ack (RCA) or Configure-Nak/Reject (RCN) received.
func (f *fsm) rca(ev event) {
	switch f.state {
	case Closed, Stopped:
		f.sta(f.id)
	case ReqSent:
		f.irc(ev)
		if ev == evRCA {
			f.setState(AckRcvd) // the restart timer keeps running
			return
		}
		f.scr()
	case AckRcvd:
		f.scr()
		f.setState(ReqSent)
	case AckSent:
		f.irc(ev)
		if ev == evRCA {
			f.setState(Opened)
			f.p.up()
			return
		}
		f.scr()
	case Opened:
		f.p.down()
		f.scr()
		f.setState(ReqSent)
	}
}

func (f *fsm) rtr(id uint8) {
	switch f.state {
	case ReqSent, AckRcvd, AckSent:
		f.sta(id)
		f.setState(ReqSent)
	case Opened:
		f.p.down()
		f.zrc()
		f.sta(id)
		f.setState(Stopping)
	default:
		f.sta(id)
	}
}

func (f *fsm) rta() {
	switch f.state {
	case Closing:
		f.p.finished()
		f.setState(Closed)
	case Stopping:
		f.p.finished()
		f.setState(Stopped)
	case AckRcvd:
		f.setState(ReqSent)
	case Opened:
		f.p.down()
		f.scr()
		f.setState(ReqSent)
	}
}

func (f *fsm) rxjMinus() {
	switch f.state {
	case Closed, Stopped:
		f.p.finished()
	case Closing:
		f.p.finished()
		f.setState(Closed)
	case Stopping, ReqSent, AckRcvd, AckSent:
		f.p.finished()
		f.setState(Stopped)
	case Opened:
		f.p.down()
		f.irc(evRXJMinus)
		f.str()
		f.setState(Stopping)
	}
}

// recv takes a packet of this protocol. It reports false for a code the
// automaton does not know, which the link answers (Code-Reject, or LCP's
// Echo and Discard).
func (f *fsm) recv(pkt Packet) bool {
	switch pkt.Code {
	case ConfReq:
		if f.state == Initial || f.state == Starting {
			return true // not up yet: silently discarded
		}
		opts, err := ParseOptions(pkt.Data)
		if err != nil {
			f.l.logf("%s: %v", f.name, err)
			return true
		}
		f.nak, f.rej = f.p.check(opts)
		ev := evRCRPlus
		if len(f.nak) > 0 || len(f.rej) > 0 {
			ev = evRCRMinus
		}
		f.event(ev, &pkt)
	case ConfAck, ConfNak, ConfRej:
		if pkt.ID != f.id {
			return true // not an answer to our last request: discarded
		}
		if pkt.Code == ConfAck && !bytes.Equal(pkt.Data, f.sent) {
			return true
		}
		opts, err := ParseOptions(pkt.Data)
		if err != nil {
			return true
		}
		switch pkt.Code {
		case ConfAck:
			f.p.acked(opts)
			f.event(evRCA, &pkt)
		case ConfNak:
			f.p.nakked(opts)
			f.event(evRCN, &pkt)
		default:
			f.p.rejected(opts)
			f.event(evRCN, &pkt)
		}
	case TermReq:
		f.event(evRTR, &pkt)
	case TermAck:
		f.event(evRTA, &pkt)
	case CodeRej:
		// A rejected code we cannot do without ends the layer (RXJ-).
		if len(pkt.Data) > 0 && Code(pkt.Data[0]) >= ConfReq && Code(pkt.Data[0]) <= CodeRej {
			f.event(evRXJMinus, &pkt)
		} else {
			f.event(evRXJPlus, &pkt)
		}
	default:
		return false
	}
	return true
}
