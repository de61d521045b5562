package module

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
)

// The SIMCom SIM7080 application-layer commands (AT+CNACT, AT+CAOPEN,
// AT+CASEND, AT+CARECV, AT+CACLOSE, +CADATAIND / +CAURC) over the socket
// core, UDP only. Sources: SIM7080 Series AT Command Manual (forms), and
// TinyGSM's SIM7080 driver for what drivers expect (+APP PDP: 0,ACTIVE
// after AT+CNACT, +CAOPEN: <cid>,<result> before OK, the ">" prompt of
// AT+CASEND, "+CARECV: <len>,<data>"). docs/at-commands.md lists what
// was checked.
var caCommands = map[string]handler{
	// AT+CNACT=<pdpidx>,<action>: 1 activates (the attach's PDN, so OK
	// and +APP PDP: <pdpidx>,ACTIVE when registered), 0 deactivates
	// (+APP PDP: <pdpidx>,DEACTIVE; the PDN itself stays).
	// AT+CNACT? → +CNACT: <pdpidx>,<status>,"<addr>" for 0..3.
	"+CNACT": {set: func(m *Module, c at.Command) error {
		idx, err := c.Int(0, 0, 3)
		if err != nil {
			return err
		}
		act, err := c.Int(1, 0, 2)
		if err == nil {
			err = m.noMoreParams(c, 2)
		}
		if err != nil {
			return err
		}
		if act == 0 {
			m.caActive &^= 1 << idx
			m.urc(fmt.Sprintf("+APP PDP: %d,DEACTIVE", idx))
			return nil
		}
		if _, err := m.ipSource(); err != nil {
			return err
		}
		m.caActive |= 1 << idx
		m.urc(fmt.Sprintf("+APP PDP: %d,ACTIVE", idx))
		return nil
	}, read: func(m *Module, _ at.Command) error {
		a, err := m.ipSource()
		lines := make([]string, 4)
		for i := range lines {
			if err == nil && m.caActive&(1<<i) != 0 {
				lines[i] = fmt.Sprintf(`+CNACT:%d,1,"%s"`, i, a)
			} else {
				lines[i] = fmt.Sprintf(`+CNACT:%d,0,"0.0.0.0"`, i)
			}
		}
		m.info(lines...)
		return nil
	}},
	// AT+CAOPEN=<cid>,<pdp_index>,"UDP","<IPv4>",<port>[,<recv_mode>] →
	// +CAOPEN: <cid>,0 then OK. recv_mode 0: +CADATAIND: <cid> and
	// AT+CARECV; 1: the data pushed as +CAURC: "recv",… (not emulated).
	"+CAOPEN": {set: caopen},
	// AT+CASEND=<cid>,<datalen>[,<inputtime>] → ">", the data, OK.
	"+CASEND": {set: func(m *Module, c at.Command) error {
		id, err := m.sockID(c)
		if err != nil {
			return err
		}
		n, err := c.Int(1, 1, m.cfg.MaxSocketPayload)
		if err == nil {
			_, err = c.IntOr(2, 0, 0, 100000)
		}
		if err == nil {
			err = m.noMoreParams(c, 3)
		}
		if err != nil {
			return err
		}
		return m.askData("AT+CASEND", n, func(data []byte) error {
			return m.sendUDP(id, m.socks[id].remote, data, nas.DDXNoInformation)
		})
	}},
	// AT+CARECV=<cid>,<readlen> → +CARECV: <len>,<data> (raw), or
	// +CARECV: 0.
	"+CARECV": {set: func(m *Module, c at.Command) error {
		id, err := m.sockID(c)
		if err != nil {
			return err
		}
		n, err := c.Int(1, 1, 1460)
		if err == nil {
			err = m.noMoreParams(c, 2)
		}
		if err != nil {
			return err
		}
		_, part, _, ok := m.readSocket(id, n)
		if !ok {
			m.info("+CARECV:0")
			return nil
		}
		m.info(fmt.Sprintf("+CARECV:%d,%s", len(part), part))
		return nil
	}},
	// AT+CACLOSE=<cid> → OK.
	"+CACLOSE": closeCmd(0, -1),
	// AT+CASTATE? → +CASTATE: <cid>,1 per open socket.
	"+CASTATE": {read: func(m *Module, _ at.Command) error {
		var lines []string
		for id, s := range m.socks {
			if s != nil {
				lines = append(lines, fmt.Sprintf("+CASTATE:%d,1", id))
			}
		}
		if len(lines) > 0 {
			m.info(lines...)
		}
		return nil
	}},
}

// cadataind is +CADATAIND: <cid>.
func cadataind(id, _ int) string { return fmt.Sprintf("+CADATAIND:%d", id) }

func caopen(m *Module, c at.Command) error {
	id, err := c.Int(0, 0, len(m.socks)-1)
	if err != nil {
		return err
	}
	idx, err := c.Int(1, 0, 3)
	if err != nil {
		return err
	}
	typ, err := c.Str(2)
	if err != nil {
		return err
	}
	host, err := c.Str(3)
	if err != nil {
		return err
	}
	port, err := c.Int(4, 1, 65535)
	if err != nil {
		return err
	}
	if mode, err := c.IntOr(5, 0, 0, 1); err != nil {
		return err
	} else if mode != 0 {
		return m.fail(at.CMEOperationNotSupp, "AT+CAOPEN: recv_mode %d: only 0 (+CADATAIND, AT+CARECV) is emulated", mode)
	}
	if err := m.noMoreParams(c, 6); err != nil {
		return err
	}
	if !strings.EqualFold(typ, "UDP") {
		return m.fail(at.CMEOperationNotSupp, "AT+CAOPEN: %q: only \"UDP\" is emulated", typ)
	}
	a, perr := netip.ParseAddr(host)
	if perr != nil || !a.Is4() {
		return m.badParam("AT+CAOPEN: server %q is not an IPv4 address (no DNS)", host)
	}
	if m.caActive&(1<<idx) == 0 {
		m.info(fmt.Sprintf("+CAOPEN:%d,21", id)) // 21: network not active
		return nil
	}
	if _, err := m.openSocket(id, &socket{remote: netip.AddrPortFrom(a, uint16(port)), recv: true, arrived: cadataind}); err != nil {
		return err
	}
	m.info(fmt.Sprintf("+CAOPEN:%d,0", id))
	return nil
}

func init() { registerFamily("ca", false, caCommands) }
