package cmux

import "slices"

// EventKind says what happened on a DLC.
type EventKind uint8

// Events of Ready.
const (
	// Opened: the host established the DLC (SABM, answered UA).
	Opened EventKind = iota + 1
	// Closed: the host released the DLC (DISC).
	Closed
	// Data: UIH information for the DLC.
	Data
	// Signals: the host's V.24 signals for the DLC (an MSC command).
	Signals
	// CloseDown: the multiplexer ended (CLD, or DISC on DLC 0): the port
	// is back to AT commands.
	CloseDown
)

// Event is one thing that happened.
type Event struct {
	Kind    EventKind
	DLCI    uint8
	Data    []byte
	Signals uint8
}

// Config of a Mux.
type Config struct {
	// N1 is the largest information field (AT+CMUX <N1>; 0: 31, the
	// basic option's default).
	N1 int
	// MaxDLCI is the highest DLC the module serves (0: 4). SABM for a
	// higher one is answered DM.
	MaxDLCI uint8
}

// Mux is the responding station's multiplexer.
type Mux struct {
	cfg  Config
	de   Deframer
	open [64]bool // open[0]: the control channel
	n1   [64]int  // a DLC's N1 as parameter negotiation agreed (0: cfg.N1)
	out  []byte
	ev   []Event
	done bool
}

// New returns a multiplexer waiting for the host's SABM on DLC 0.
func New(cfg Config) *Mux {
	if cfg.N1 <= 0 {
		cfg.N1 = 31
	}
	if cfg.MaxDLCI == 0 || cfg.MaxDLCI > 63 {
		cfg.MaxDLCI = 4
	}
	return &Mux{cfg: cfg, de: Deframer{N1: cfg.N1}}
}

// N1 is the largest information field.
func (m *Mux) N1() int { return m.cfg.N1 }

// IsOpen says whether a DLC is open.
func (m *Mux) IsOpen(dlci uint8) bool { return dlci < 64 && m.open[dlci] }

// Done says the multiplexer has closed down.
func (m *Mux) Done() bool { return m.done }

// Stats are the deframer's counters.
func (m *Mux) Stats() Stats { return m.de.Stats }

// TakeOut hands out the bytes to write to the port.
func (m *Mux) TakeOut() []byte {
	b := m.out
	m.out = nil
	return b
}

// TakeEvents hands out what happened.
func (m *Mux) TakeEvents() []Event {
	e := m.ev
	m.ev = nil
	return e
}

// send frames a frame from the module. The module is the responding
// station (the host sent the first SABM): its commands carry C/R 0 and
// its responses C/R 1 (§5.2.1.2, Table 1).
func (m *Mux) send(f Frame) { m.out = f.Append(m.out) }

// Send sends data on an open DLC in UIH frames of at most N1 octets.
func (m *Mux) Send(dlci uint8, b []byte) {
	if !m.IsOpen(dlci) || m.done {
		return
	}
	n1 := m.cfg.N1
	if m.n1[dlci] > 0 {
		n1 = m.n1[dlci]
	}
	n1 = min(n1, maxLength)
	for len(b) > 0 {
		n := min(len(b), n1)
		m.send(Frame{DLCI: dlci, Type: UIH, Info: b[:n]})
		b = b[n:]
	}
}

// SendSignals sends an MSC command with the module's V.24 signals for a
// DLC (§5.4.6.3.7: sent when a DLC is established, before user data).
func (m *Mux) SendSignals(dlci, sig uint8) {
	m.control(Msg{Type: MsgMSC, Command: true, Value: []byte{dlci<<2 | 3, sig | 1}})
}

func (m *Mux) control(msgs ...Msg) {
	var b []byte
	for _, g := range msgs {
		b = g.Append(b)
	}
	m.send(Frame{DLCI: 0, Type: UIH, Info: b})
}

// Input takes bytes read from the port.
func (m *Mux) Input(b []byte) {
	for _, f := range m.de.Feed(b, nil) {
		if m.done {
			return
		}
		m.frame(f)
	}
}

func (m *Mux) frame(f Frame) {
	d := f.DLCI
	switch f.Type {
	case SABM:
		if d > m.cfg.MaxDLCI || d > 0 && !m.open[0] {
			m.send(Frame{DLCI: d, CR: true, PF: f.PF, Type: DM})
			return
		}
		m.send(Frame{DLCI: d, CR: true, PF: f.PF, Type: UA})
		if !m.open[d] {
			m.open[d] = true
			if d > 0 {
				m.ev = append(m.ev, Event{Kind: Opened, DLCI: d})
				m.SendSignals(d, SigRTC|SigRTR|SigDV)
			}
		}
	case DISC:
		if !m.open[d] {
			m.send(Frame{DLCI: d, CR: true, PF: f.PF, Type: DM})
			return
		}
		m.send(Frame{DLCI: d, CR: true, PF: f.PF, Type: UA})
		if d == 0 {
			m.closeDown()
			return
		}
		m.open[d] = false
		m.ev = append(m.ev, Event{Kind: Closed, DLCI: d})
	case UIH:
		switch {
		case !m.open[d]:
			if f.PF {
				m.send(Frame{DLCI: d, CR: true, PF: true, Type: DM})
			}
		case d == 0:
			m.controlFrame(f.Info)
		case len(f.Info) > 0:
			m.ev = append(m.ev, Event{Kind: Data, DLCI: d, Data: f.Info})
		}
	}
	// UA and DM answer frames the module never sends first; UI frames
	// belong to subset 1, which AT+CMUX does not offer: discarded.
}

// controlFrame answers the control messages of a UIH frame on DLC 0.
func (m *Mux) controlFrame(info []byte) {
	msgs, _ := ParseMsgs(info)
	for _, g := range msgs {
		if !g.Command {
			continue // responses to the module's MSC
		}
		switch g.Type {
		case MsgMSC:
			m.control(Msg{Type: MsgMSC, Value: g.Value})
			if len(g.Value) >= 2 {
				if d := g.Value[0] >> 2; d > 0 && m.IsOpen(d) {
					m.ev = append(m.ev, Event{Kind: Signals, DLCI: d, Signals: g.Value[1] &^ 1})
				}
			}
		case MsgTest, MsgFCon, MsgFCoff:
			m.control(Msg{Type: g.Type, Value: g.Value})
		case MsgPN:
			m.control(Msg{Type: MsgPN, Value: m.pn(g.Value)})
		case MsgCLD:
			m.control(Msg{Type: MsgCLD})
			m.closeDown()
			return
		default:
			// §5.4.6.3.8: the type octet of the command not supported
			m.control(Msg{Type: MsgNSC, Value: []byte{g.Type | 3}})
		}
	}
}

// pn answers a parameter negotiation (§5.4.6.3.1): UIH frames (I = 0),
// no convergence layer (CL = 0), and N1 no larger than the module's; the
// DLC's frames from the module keep to the N1 answered.
func (m *Mux) pn(v []byte) []byte {
	r := slices.Clone(v)
	if len(r) < 8 {
		return r
	}
	r[1] = 0
	n1 := int(r[4]) | int(r[5])<<8
	if n1 == 0 || n1 > m.cfg.N1 {
		n1 = m.cfg.N1
	}
	r[4], r[5] = byte(n1), byte(n1>>8)
	m.n1[r[0]&0x3f] = n1
	return r
}

func (m *Mux) closeDown() {
	for d := range m.open {
		m.open[d] = false
	}
	m.done = true
	m.ev = append(m.ev, Event{Kind: CloseDown})
}
