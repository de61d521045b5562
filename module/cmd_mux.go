package module

import (
	"fmt"
	"maps"
	"slices"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/cmux"
)

// The TS 27.010 multiplexer on the AT port (AT+CMUX, TS 27.007 §5.7):
// after AT+CMUX's OK the port carries frames of package cmux, and each
// DLC the host opens (1 to maxDLCI) is an AT channel of its own — its own
// line discipline, result code format, running command line and data
// call — on the one module (its registration, sockets, settings). So the
// host can keep AT commands on DLC 1 while DLC 2 is in PPP data mode.
//
// The module has one interpreter; each channel's state (portState) is
// loaded into it while the channel's input, or an event for it, is
// handled. Unsolicited result codes go to the lowest open DLC. The host's
// V.24 signals come in MSC commands: a DLC in data mode whose RTC (DTR) the
// host clears ends its call with NO CARRIER, as a DTR drop does with
// AT&D2 (V.250 §6.2.9), the one way to drop DTR on a TCP or PTY port (a
// new client on a TCP port ends every call and the multiplexer:
// Module.NewClient).

// maxDLCI is the highest DLC the module serves.
const maxDLCI = 4

// cmuxParams are AT+CMUX's parameters (TS 27.007 §5.7).
type cmuxParams struct {
	mode, subset, speed, n1, t1, n2, t2, t3, k int
}

// cmuxDefault are the defaults of the basic option (TS 27.010 §5.7).
var cmuxDefault = cmuxParams{speed: 5, n1: 31, t1: 10, n2: 3, t2: 30, t3: 10, k: 2}

// portState is what each AT channel keeps of its own (embedded in
// Module: the loaded channel's).
type portState struct {
	lr   at.LineReader
	f    at.Format
	echo bool
	// The command line being executed: the commands after the current
	// one, the pending command (nil when none) and the input and URCs
	// held until the line's final result code.
	running bool
	rest    []at.Command
	pend    *pending
	held    []byte
	urcs    []string
	// prompt is a command that has printed its data prompt ("> ") and
	// takes the next bytes of the port as data.
	prompt *prompt
	call   *dataCall // the packet data call (cmd_data.go); nil: none
}

// muxState is the multiplexer and its channels.
type muxState struct {
	mx     *cmux.Mux
	params cmuxParams
	ports  map[uint8]*portState // 0: the AT port's own, put aside
	cur    uint8                // the channel whose state is loaded
}

// errCMUX ends AT+CMUX: OK, then the multiplexer.
var errCMUX = &cmdError{plain: true}

var cmuxCommand = handler{
	set: setCMUX,
	read: func(m *Module, _ at.Command) error {
		p := cmuxDefault
		if m.mux != nil {
			p = m.mux.params
		}
		m.info(fmt.Sprintf("+CMUX:%d,%d,%d,%d,%d,%d,%d,%d", p.mode, p.subset, p.speed, p.n1, p.t1, p.n2, p.t2, p.t3))
		return nil
	},
	test: func(m *Module, _ at.Command) error {
		m.info("+CMUX:(0),(0),(1-6),(1-32768),(1-255),(0-100),(2-255),(0-255),(1-7)")
		return nil
	},
}

// setCMUX is AT+CMUX=<mode>[,<subset>[,<port_speed>[,<N1>[,<T1>[,<N2>
// [,<T2>[,<T3>[,<k>]]]]]]]]: the basic option (mode 0) with UIH frames
// (subset 0) only; port speed and the timers are accepted and not used
// (no baud rate on a TCP or PTY port; the module, as responder, starts no
// procedure that T1/N2/T2 would time).
func setCMUX(m *Module, c at.Command) error {
	if m.mux != nil {
		return m.fail(at.CMEOperationNotAllowed, "AT+CMUX: the multiplexer is already running")
	}
	if err := m.noMoreParams(c, 9); err != nil {
		return err
	}
	p := cmuxDefault
	var err error
	mode, err := c.Int(0, 0, 1)
	if err != nil {
		return err
	}
	if mode != 0 {
		return m.fail(at.CMEOperationNotSupp, "AT+CMUX: mode %d: only the basic option (0)", mode)
	}
	if p.subset, err = c.IntOr(1, 0, 0, 2); err != nil {
		return err
	}
	if p.subset != 0 {
		return m.fail(at.CMEOperationNotSupp, "AT+CMUX: subset %d: only UIH frames (0)", p.subset)
	}
	for i, f := range []struct {
		v      *int
		lo, hi int
	}{{&p.speed, 1, 6}, {&p.n1, 1, 32768}, {&p.t1, 1, 255}, {&p.n2, 0, 100}, {&p.t2, 2, 255}, {&p.t3, 0, 255}, {&p.k, 1, 7}} {
		if *f.v, err = c.IntOr(i+2, *f.v, f.lo, f.hi); err != nil {
			return err
		}
	}
	m.muxReq = &p
	return errCMUX
}

// startMux writes AT+CMUX's OK and puts the port under the multiplexer.
func (m *Module) startMux() {
	m.rest, m.pend = nil, nil
	m.out(m.f.OK())
	m.running = false
	p := *m.muxReq
	m.muxReq = nil
	base := m.savePort()
	m.mux = &muxState{
		mx:     cmux.New(cmux.Config{N1: p.n1, MaxDLCI: maxDLCI}),
		params: p,
		ports:  map[uint8]*portState{0: &base},
	}
	m.trace("cmux", fmt.Sprintf("multiplexer on (N1 %d): waiting for SABM on DLC 0", p.n1))
}

func (m *Module) savePort() portState { return m.portState }

func (m *Module) loadPort(p portState) { m.portState = p }

// use loads channel d's state.
func (m *Module) use(d uint8) {
	x := m.mux
	if d == x.cur || x.ports[d] == nil {
		return
	}
	*x.ports[x.cur] = m.savePort()
	m.loadPort(*x.ports[d])
	x.cur = d
}

// muxOut sends output of the loaded channel on its DLC.
func (m *Module) muxOut(b []byte) {
	if m.mux.cur != 0 && len(b) > 0 {
		m.mux.mx.Send(m.mux.cur, b)
	}
	m.physOut()
}

// physOut writes the multiplexer's frames to the port.
func (m *Module) physOut() {
	if b := m.mux.mx.TakeOut(); len(b) > 0 && m.cfg.Out != nil {
		m.cfg.Out(b)
	}
}

// muxInput takes bytes from the port under the multiplexer.
func (m *Module) muxInput(b []byte) {
	m.mux.mx.Input(b)
	m.muxPump()
}

// muxPump does what the multiplexer's events ask.
func (m *Module) muxPump() {
	for m.mux != nil {
		m.physOut()
		evs := m.mux.mx.TakeEvents()
		if len(evs) == 0 {
			return
		}
		for _, e := range evs {
			if m.mux == nil {
				return
			}
			m.muxEvent(e)
		}
	}
}

func (m *Module) muxEvent(e cmux.Event) {
	x := m.mux
	switch e.Kind {
	case cmux.Opened:
		base := x.ports[0]
		p := &portState{f: base.f, echo: base.echo}
		p.lr.Max = base.lr.Max
		x.ports[e.DLCI] = p
		m.trace("cmux", fmt.Sprintf("DLC %d open", e.DLCI))
	case cmux.Data:
		if x.ports[e.DLCI] != nil {
			m.use(e.DLCI)
			m.portInput(e.Data)
		}
	case cmux.Signals:
		if x.ports[e.DLCI] != nil && e.Signals&cmux.SigRTC == 0 {
			m.use(e.DLCI)
			if m.call != nil && m.call.online {
				m.endCall("DTR off (MSC on DLC " + fmt.Sprint(e.DLCI) + ")")
			}
		}
	case cmux.Closed:
		if x.ports[e.DLCI] != nil {
			if x.cur == e.DLCI {
				m.use(0)
			}
			delete(x.ports, e.DLCI)
			m.trace("cmux", fmt.Sprintf("DLC %d closed", e.DLCI))
		}
	case cmux.CloseDown:
		m.use(0)
		m.mux = nil
		m.trace("cmux", "multiplexer closed down: AT commands on the port")
	}
}

// channels are the open DLCs, in order (none once the multiplexer is
// gone).
func (m *Module) channels() []uint8 {
	if m.mux == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(m.mux.ports))[1:]
}

// home is the channel an event belongs to: a data call's own timers and
// downlink to the call's channel, anything else to the lowest open DLC
// (where unsolicited result codes go).
func (m *Module) home(ev any) uint8 {
	x := m.mux
	*x.ports[x.cur] = m.savePort()
	chans := m.channels()
	for _, d := range chans {
		c := x.ports[d].call
		switch e := ev.(type) {
		case callTimer:
			if c == e.c {
				return d
			}
		case escapeTimer:
			if c == e.c {
				return d
			}
		case Downlink:
			if c != nil {
				return d
			}
		}
	}
	if len(chans) > 0 {
		return chans[0]
	}
	return 0
}

// muxHandle takes an event under the multiplexer: its channel handles it,
// every other channel's pending command sees it, and a lost registration
// ends every channel's data call.
func (m *Module) muxHandle(ev any) {
	h := m.home(ev)
	m.use(h)
	m.handle(ev)
	for _, d := range m.channels() {
		p := m.mux.ports[d]
		_, reg := ev.(Registration)
		if d == h || p == nil || p.pend == nil && (p.call == nil || !reg) {
			continue
		}
		m.use(d)
		if reg && m.call != nil {
			m.callEvent(ev)
		}
		m.complete(ev)
	}
	if m.mux != nil {
		m.physOut()
	}
}
