package module

import (
	"fmt"

	"github.com/nbsim/nbsim/internal/ippkt"
)

// Handle takes an event from the stack: it completes a pending command,
// and reports changes as unsolicited result codes (held back while a
// command line runs).
func (m *Module) Handle(ev any) {
	if m.mux != nil {
		m.muxHandle(ev)
		return
	}
	m.handle(ev)
}

// handle takes an event on the port whose state is loaded (the AT port,
// or under the multiplexer the DLC the event belongs to).
func (m *Module) handle(ev any) {
	m.checkTimeout()
	wasRunning := m.running
	m.running = true // URCs of the event wait for a pending command's result
	m.event(ev)
	m.running = wasRunning
	m.complete(ev)
}

// complete passes an event to the port's pending command, then writes
// what waited for it.
func (m *Module) complete(ev any) {
	if m.pend != nil {
		if fin, err := m.pend.done(ev); fin {
			m.pend = nil
			m.resume(err)
		}
	}
	if !m.running {
		m.flushURCs()
	}
	m.drain()
}

// resume goes on after a pending command ended with err: the rest of
// the command line runs, or the line ends with err's result code (after
// AT+NRB, or when the command waits again, nothing more); URCs held
// meanwhile follow if nothing runs any more.
func (m *Module) resume(err error) {
	switch {
	case err == errRebooted, err == errPending:
	case err != nil:
		m.finish(err)
	default:
		m.step()
	}
	if !m.running {
		m.flushURCs()
	}
}

// flushURCs writes URCs queued while nothing is running.
func (m *Module) flushURCs() {
	if m.inData() {
		return // held until command mode
	}
	urcs := m.urcs
	m.urcs = nil
	for _, u := range urcs {
		m.out(m.f.URC(m.urcText(u)))
	}
}

func (m *Module) event(ev any) {
	if m.callEvent(ev) {
		return
	}
	switch e := ev.(type) {
	case bootLine:
		m.printBoot(e)
	case Radio:
		if e.On && m.cfun && m.autoConnect && !m.detached {
			m.attach()
		}
	case Registration:
		s := m.st.Status()
		if e.Reason != "" {
			m.ceer = e.Reason
		} else if e.State == Denied && e.Cause != 0 {
			m.ceer = "registration denied: EMM cause " + e.Cause.String()
		}
		if !registered(e.State) {
			m.plat.status = ""
		}
		if m.ceregMode > 0 {
			l := m.ceregFields(m.ceregMode, e.State, e.Cause, s)
			if l != m.lastCEREG {
				m.urc("+CEREG:" + l)
			}
			m.lastCEREG = l
		}
		if registered(e.State) {
			m.edrxURCs(s)
		}
	case Connection:
		if m.csconMode == 1 {
			m.urc(fmt.Sprintf("+CSCON:%d", b2i(e.Connected)))
		}
	case PowerSaving:
		if m.npsmr == 1 {
			m.urc(fmt.Sprintf("+NPSMR:%d", b2i(e.Entered)))
		}
	case SendFailed:
		m.ceer = "uplink lost: " + e.Reason
	case Downlink:
		if m.call != nil {
			m.callDownlink(e.Data)
			return
		}
		m.downlink(e.Data)
	}
}

// downlink routes a packet: Non-IP data to +CRTDCP; on IP, UDP to the
// CoAP port or a socket; anything else is dropped and counted.
func (m *Module) downlink(data []byte) {
	if m.st.Status().PDNType == PDNNonIP {
		m.nonIPDownlink(data)
		return
	}
	u, err := ippkt.Parse(data)
	if err != nil {
		m.droppedPackets++
		return
	}
	if u.Dst.Port() == CoAPPort {
		m.coapDownlink(u)
		return
	}
	if !m.socketDownlink(u) {
		m.droppedPackets++
	}
}

// Dropped is the number of downlink packets the module discarded: no
// socket on the port, socket buffer full, not parseable, or Non-IP data
// with +CRTDCP off.
func (m *Module) Dropped() int64 { return m.droppedPackets }
