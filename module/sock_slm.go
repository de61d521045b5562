package module

import (
	"fmt"
	"math"
	"net/netip"
	"time"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
)

// Nordic's nRF91 Serial LTE Modem: its socket commands (AT#XSOCKET,
// AT#XSOCKETSELECT, AT#XBIND, AT#XCONNECT, AT#XSEND, AT#XSENDTO, AT#XRECV,
// AT#XRECVFROM) over the socket core, UDP only, and the modem's
// AT%XSYSTEMMODE and AT%CONEVAL. Source: nrfconnect/sdk-nrf
// applications/serial_lte_modem/doc/SOCKET_AT_commands.rst (forms,
// responses, examples) and the nRF91 AT Commands reference for the %
// commands; docs/at-commands.md lists what was checked.

// slmState is the SLM's module-wide state.
type slmState struct {
	mode [4]int // AT%XSYSTEMMODE: LTE-M, NB-IoT, GNSS, preference
	sock int    // the active socket (-1: none)
	// recvGen tells a receive's timeout from an earlier one's.
	recvGen int
}

// slmRecvTimeout ends an AT#XRECVFROM that waited its timeout.
type slmRecvTimeout struct{ gen int }

var slmCommands = map[string]handler{
	// AT#XSOCKET=1,2,0 → #XSOCKET: <handle>,2,17 (the handle is the
	// socket id); AT#XSOCKET=0 closes the active one → #XSOCKET: 0,"closed".
	// AT#XSOCKET? → #XSOCKET: <handle>,1,0,2,0.
	"#XSOCKET": {set: xsocket, read: func(m *Module, _ at.Command) error {
		if m.openSock(m.slm.sock) != nil {
			m.info(fmt.Sprintf("#XSOCKET:%d,1,0,2,0", m.slm.sock))
		}
		return nil
	}, test: infoOf(func(*Module) string { return "#XSOCKET:(0,1,2),(1,2,3),(0,1),<cid>" })},
	// AT#XSOCKETSELECT=<handle> → #XSOCKETSELECT: <handle>.
	"#XSOCKETSELECT": {set: func(m *Module, c at.Command) error {
		id, err := m.sockID(c)
		if err != nil {
			return err
		}
		m.slm.sock = id
		m.info(fmt.Sprintf("#XSOCKETSELECT:%d", id))
		return nil
	}},
	// AT#XBIND=<port>: the active socket's local port.
	"#XBIND": {set: func(m *Module, c at.Command) error {
		s, err := m.slmActive()
		if err != nil {
			return err
		}
		port, err := c.Int(0, 1, 65535)
		if err != nil {
			return err
		}
		if p := uint16(port); p != s.port {
			if m.portUsed(p) {
				return m.fail(at.CMEOperationNotAllowed, "AT#XBIND: port %d is in use", port)
			}
			s.port = p
		}
		return nil
	}},
	// AT#XCONNECT="<IPv4>",<port> → #XCONNECT: 1: the active socket's
	// peer for AT#XSEND.
	"#XCONNECT": {set: func(m *Module, c at.Command) error {
		s, err := m.slmActive()
		if err != nil {
			return err
		}
		dst, err := m.slmPeer(c)
		if err != nil {
			return err
		}
		s.remote = dst
		m.info("#XCONNECT:1")
		return nil
	}},
	// AT#XSEND="<data>" → #XSEND: <size>, to the AT#XCONNECT peer.
	"#XSEND": {set: func(m *Module, c at.Command) error {
		s, err := m.slmActive()
		if err != nil {
			return err
		}
		if !s.remote.IsValid() {
			return m.fail(at.CMEOperationNotAllowed, "AT#XSEND: the socket is not connected (AT#XCONNECT)")
		}
		return m.slmSend(c, 0, "#XSEND", s.remote)
	}},
	// AT#XSENDTO="<IPv4>",<port>,"<data>" → #XSENDTO: <size>. Without
	// <data> the SLM enters its data mode: not emulated.
	"#XSENDTO": {set: func(m *Module, c at.Command) error {
		if _, err := m.slmActive(); err != nil {
			return err
		}
		dst, err := m.slmPeer(c)
		if err != nil {
			return err
		}
		return m.slmSend(c, 2, "#XSENDTO", dst)
	}},
	// AT#XRECVFROM=<timeout>[,<flags>] → #XRECVFROM: <size>,"<ip>",<port>
	// and the data, waiting up to <timeout> s (0: until data comes);
	// flags 64: do not wait, 2: leave the data queued (not emulated).
	"#XRECVFROM": {set: func(m *Module, c at.Command) error { return xrecv(m, c, true) }},
	// AT#XRECV=<timeout>[,<flags>] → #XRECV: <size> and the data.
	"#XRECV": {set: func(m *Module, c at.Command) error { return xrecv(m, c, false) }},
	// AT%XSYSTEMMODE=<LTE-M>,<NB-IoT>,<GNSS>,<preference>, with the radio
	// off; read %XSYSTEMMODE: … Kept and read back: the module attaches
	// to the simulated NB-IoT network whatever it says.
	"%XSYSTEMMODE": {set: xsystemmode, read: func(m *Module, _ at.Command) error {
		x := m.slm.mode
		m.info(fmt.Sprintf("%%XSYSTEMMODE:%d,%d,%d,%d", x[0], x[1], x[2], x[3]))
		return nil
	}},
	// AT%CONEVAL: the link's connection evaluation, from the simulated
	// link (RSRP, RSRQ, SNR, CE level, TX power, cell).
	"%CONEVAL": {action: coneval},
}

// slmActive is the active socket.
func (m *Module) slmActive() (*socket, error) {
	s := m.openSock(m.slm.sock)
	if s == nil {
		return nil, m.fail(at.CMEOperationNotAllowed, "no socket is open (AT#XSOCKET=1,2,0)")
	}
	return s, nil
}

// slmPeer reads "<IPv4>",<port> at parameters 0 and 1.
func (m *Module) slmPeer(c at.Command) (netip.AddrPort, error) {
	a, err := c.Str(0)
	if err != nil {
		return netip.AddrPort{}, err
	}
	port, err := c.Int(1, 1, 65535)
	if err != nil {
		return netip.AddrPort{}, err
	}
	ip, perr := netip.ParseAddr(a)
	if perr != nil || !ip.Is4() {
		return netip.AddrPort{}, m.badParam("AT%s: %q is not an IPv4 address (no DNS)", c.Name, a)
	}
	return netip.AddrPortFrom(ip, uint16(port)), nil
}

// slmSend sends parameter i, a string, from the active socket.
func (m *Module) slmSend(c at.Command, i int, name string, dst netip.AddrPort) error {
	if !c.Has(i) {
		return m.fail(at.CMEOperationNotSupp, "AT%s without <data> (SLM data mode) is not emulated", name)
	}
	data, err := c.Str(i)
	if err == nil {
		err = m.noMoreParams(c, i+1)
	}
	if err != nil {
		return err
	}
	if len(data) > min(1024, m.cfg.MaxSocketPayload) {
		return m.badParam("AT%s: %d bytes (at most %d)", name, len(data), min(1024, m.cfg.MaxSocketPayload))
	}
	if err := m.sendUDP(m.slm.sock, dst, []byte(data), nas.DDXNoInformation); err != nil {
		return err
	}
	m.info(fmt.Sprintf("%s:%d", name, len(data)))
	return nil
}

func xsocket(m *Module, c at.Command) error {
	op, err := c.Int(0, 0, 2)
	if err != nil {
		return err
	}
	if op == 0 {
		if err := m.noMoreParams(c, 1); err != nil {
			return err
		}
		if m.openSock(m.slm.sock) == nil {
			return m.fail(at.CMEOperationNotAllowed, "AT#XSOCKET=0: no socket is open")
		}
		m.closeSocket(m.slm.sock)
		m.slm.sock = -1
		for id := len(m.socks) - 1; id >= 0; id-- { // the highest-ranked left
			if m.socks[id] != nil {
				m.slm.sock = id
				break
			}
		}
		m.info(`#XSOCKET:0,"closed"`)
		return nil
	}
	typ, err := c.Int(1, 1, 3)
	if err != nil {
		return err
	}
	if _, err := c.Int(2, 0, 1); err != nil {
		return err
	}
	if _, err := c.IntOr(3, 0, 0, maxCID); err != nil {
		return err
	}
	if err := m.noMoreParams(c, 4); err != nil {
		return err
	}
	if op != 1 || typ != 2 {
		return m.fail(at.CMEOperationNotSupp, "AT#XSOCKET=%d,%d: only IPv4 (1) UDP (2) sockets are emulated", op, typ)
	}
	id, err := m.openSocket(-1, &socket{recv: true})
	if err != nil {
		return err
	}
	m.slm.sock = id
	m.info(fmt.Sprintf("#XSOCKET:%d,2,17", id))
	return nil
}

func xrecv(m *Module, c at.Command, from bool) error {
	if _, err := m.slmActive(); err != nil {
		return err
	}
	secs, err := c.Int(0, 0, 3600)
	if err != nil {
		return err
	}
	flags, err := c.IntOr(1, 0, 0, 0xffff)
	if err == nil {
		err = m.noMoreParams(c, 2)
	}
	if err != nil {
		return err
	}
	id := m.slm.sock
	if m.socks[id].bytes > 0 {
		m.slmRecv(id, from)
		return nil
	}
	if flags&64 != 0 {
		return m.fail(at.CMEOperationNotAllowed, "AT%s: no data (non-blocking)", c.Name)
	}
	m.slm.recvGen++
	gen := m.slm.recvGen
	if secs > 0 {
		m.st.After(time.Duration(secs)*time.Second, slmRecvTimeout{gen})
	}
	return m.wait("AT"+c.Name, func(ev any) (bool, error) {
		if t, ok := ev.(slmRecvTimeout); ok && t.gen == gen {
			return true, m.fail(at.CMEUnknown, "AT#XRECVFROM: no data within %d s", secs)
		}
		s := m.openSock(id)
		if s == nil {
			return true, m.fail(at.CMEOperationNotAllowed, "the socket was closed")
		}
		if s.bytes == 0 {
			return false, nil
		}
		m.slmRecv(id, from)
		return true, nil
	})
}

// slmRecv prints the first datagram queued on socket id.
func (m *Module) slmRecv(id int, from bool) {
	src, part, _, _ := m.readSocket(id, maxSocketBytes)
	if from {
		m.info(fmt.Sprintf(`#XRECVFROM:%d,"%s",%d`, len(part), src.Addr(), src.Port()))
	} else {
		m.info(fmt.Sprintf("#XRECV:%d", len(part)))
	}
	m.rawOut(append(part, '\r', '\n'))
}

func xsystemmode(m *Module, c at.Command) error {
	var v [4]int
	for i := range v {
		n, err := c.Int(i, 0, 4)
		if err != nil {
			return err
		}
		v[i] = n
	}
	if err := m.noMoreParams(c, 4); err != nil {
		return err
	}
	if v[0] > 1 || v[1] > 1 || v[2] > 1 || v[0]+v[1]+v[2] == 0 {
		return m.badParam("AT%%XSYSTEMMODE: each of LTE-M, NB-IoT, GNSS is 0 or 1, and one at least is 1")
	}
	if m.st.Status().RadioOn {
		return m.fail(at.CMEOperationNotAllowed, "AT%%XSYSTEMMODE needs the radio off (AT+CFUN=0 or 4)")
	}
	m.slm.mode = v
	return nil
}

// coneval answers AT%CONEVAL from the simulated link:
// %CONEVAL: <result>,<rrc_state>,<energy_estimate>,<rsrp>,<rsrq>,<snr>,
// "<cell_id>","<plmn>",<phys_cell_id>,<earfcn>,<band>,<tau_triggered>,
// <ce_level>,<tx_power>,<tx_repetitions>,<rx_repetitions>,<dl-pathloss>.
// Not registered or no cell: %CONEVAL: 1 (no cell available).
func coneval(m *Module, _ at.Command) error {
	s := m.st.Status()
	if !signalKnown(s) || !registered(s.Reg) {
		m.info("%CONEVAL:1")
		return nil
	}
	rsrq, rsrp := m.cesq()
	snr := clampInt(int(math.Round(s.SINR))+24, 0, 49)
	rep := 1 << (2 * s.CELevel) // 1, 4, 16: repetitions grow with the CE level
	m.info(fmt.Sprintf(`%%CONEVAL:0,%d,%d,%d,%d,%d,"%08X","%s%s",%d,%d,%d,0,%d,%d,%d,%d,%d`,
		b2i(s.Connected), energyEstimate(s), rsrp, rsrq, snr, s.CellID, s.MCC, s.MNC, s.PCI, s.EARFCN, s.Band,
		s.CELevel, int(math.Round(s.TxPower)), rep, rep, int(math.Round(-s.RSRP))))
	return nil
}

// energyEstimate is %CONEVAL's <energy_estimate>, 5 (difficult: most
// repetitions) … 9 (excellent), nbsim's mapping of the CE level and SNR
// (the modem's own rule is not published): CE level 2 → 5, 1 → 6; at CE
// level 0, SNR below 0 dB → 7, below 10 dB → 8, else 9.
func energyEstimate(s Status) int {
	switch {
	case s.CELevel >= 2:
		return 5
	case s.CELevel == 1:
		return 6
	case s.SINR < 0:
		return 7
	case s.SINR < 10:
		return 8
	}
	return 9
}

func init() { registerFamily("slm", false, slmCommands) }
