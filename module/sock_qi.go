package module

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
)

// The Quectel TCP/IP command family (AT+QIOPEN, AT+QISEND, AT+QIRD,
// AT+QICLOSE, +QIURC) of the BG95/BG96 and the BC66, over the socket
// core: UDP only ("UDP" and "UDP SERVICE"), buffer access mode only.
// Source: Quectel BG95&BG77&BG600L Series TCP/IP Application Note and
// BG96 TCP/IP Application Note (command forms and responses), BC66
// TCP/IP Application Note for the BC66 (same forms; not checked line by
// line). docs/at-commands.md lists what was checked.

// qiState is the family's module-wide state.
type qiState struct {
	apn string // AT+QICSGP context 1
	// AT+QCFG settings (BG95): "iotopmode" and "nwscanseq".
	iotOpMode string
	scanSeq   string
}

// qiContext is the only PDP context: the default PDN of the attach.
const qiContext = 1

var qiCommands = map[string]handler{
	// AT+QICSGP=<contextID>[,<context_type>,<APN>[,<user>,<pwd>[,<auth>]]]:
	// the APN is that of the attach (AT+CGDCONT's context 1).
	"+QICSGP": {set: qicsgp},
	// AT+QIACT=<contextID>: the PDN connection is up once registered
	// (NB-IoT/LTE attach with the default PDN): OK when registered.
	// AT+QIACT? lists it: +QIACT: 1,<state>,1,"<addr>".
	"+QIACT": {set: func(m *Module, c at.Command) error {
		if _, err := c.Int(0, qiContext, qiContext); err != nil {
			return err
		}
		_, err := m.ipSource()
		return err
	}, read: func(m *Module, _ at.Command) error {
		if a, err := m.ipSource(); err == nil {
			m.info(fmt.Sprintf(`+QIACT:%d,1,1,"%s"`, qiContext, a))
		}
		return nil
	}},
	// AT+QIDEACT=<contextID>: accepted; the PDN stays (it is the
	// attach's default PDN).
	"+QIDEACT": {set: func(m *Module, c at.Command) error {
		_, err := c.Int(0, qiContext, qiContext)
		return err
	}},
	// AT+QIOPEN=<contextID>,<connectID>,<service_type>,<IP>,<remote_port>[,<local_port>[,<access_mode>]]
	// → OK, then +QIOPEN: <connectID>,<err> (0).
	"+QIOPEN": {set: qiopen},
	// AT+QISEND=<connectID>,<send_length>[,<remoteIP>,<remote_port>] →
	// "> ", the data, SEND OK. AT+QISEND=<id>,0 → +QISEND: <sent>,<sent>,0.
	"+QISEND": {set: qisend},
	// AT+QISENDEX=<connectID>,<hex_string> → SEND OK.
	"+QISENDEX": {set: func(m *Module, c at.Command) error {
		id, err := m.sockID(c)
		if err != nil {
			return err
		}
		data, err := c.Hex(1)
		if err == nil {
			err = m.noMoreParams(c, 2)
		}
		if err != nil {
			return err
		}
		return m.qiSend(id, m.socks[id].remote, data)
	}},
	// AT+QIRD=<connectID>[,<read_length>] → +QIRD: <n>[,"<ip>",<port>]
	// then the data; +QIRD: 0 when none. <read_length> 0 →
	// +QIRD: <received>,<read>,<unread>.
	"+QIRD": {set: qird},
	// AT+QICLOSE=<connectID>[,<timeout>] → OK.
	"+QICLOSE": closeCmd(0, 65535),
	// AT+QISTATE? → one +QISTATE line per open socket.
	"+QISTATE": {read: func(m *Module, _ at.Command) error {
		var lines []string
		for id, s := range m.socks {
			if s == nil {
				continue
			}
			svc, ip, port := "UDP SERVICE", "127.0.0.1", 0
			if s.remote.IsValid() {
				svc, ip, port = "UDP", s.remote.Addr().String(), int(s.remote.Port())
			}
			lines = append(lines, fmt.Sprintf(`+QISTATE:%d,"%s","%s",%d,%d,2,%d,0,0,"uart1"`, id, svc, ip, port, s.port, qiContext))
		}
		if len(lines) > 0 {
			m.info(lines...)
		}
		return nil
	}},
	// AT+QCCID → +QCCID: <ICCID> (Zephyr's BG9x init script reads it).
	"+QCCID": {action: infoOf(func(m *Module) string { return "+QCCID:" + m.cfg.ICCID })},
	// AT+QGMR → the revision (Zephyr's BG9x script reads it as AT+CGMR).
	"+QGMR": {action: infoOf(func(m *Module) string { return m.cfg.Revision })},
}

func qicsgp(m *Module, c at.Command) error {
	if _, err := c.Int(0, qiContext, qiContext); err != nil {
		return err
	}
	if len(c.Params) == 1 {
		// the read form of one context
		m.info(fmt.Sprintf(`+QICSGP:1,"%s","","",0`, m.qi.apn))
		return nil
	}
	if _, err := c.Int(1, 1, 1); err != nil {
		return m.fail(at.CMEOperationNotSupp, "AT+QICSGP: only context type 1 (IPv4)")
	}
	apn, err := c.Str(2)
	if err != nil {
		return err
	}
	if err := m.noMoreParams(c, 6); err != nil {
		return err
	}
	m.qi.apn = apn
	if p := m.pdns[qiContext]; p != nil {
		p.APN = apn
	}
	return nil
}

// qiopenURC is the result of AT+QIOPEN, a URC after OK.
func qiopenURC(id, err int) string { return fmt.Sprintf("+QIOPEN:%d,%d", id, err) }

// qiRecv is +QIURC: "recv",<connectID> (buffer access mode).
func qiRecv(id, _ int) string { return fmt.Sprintf(`+QIURC:"recv",%d`, id) }

func qiopen(m *Module, c at.Command) error {
	if _, err := c.Int(0, qiContext, qiContext); err != nil {
		return err
	}
	id, err := c.Int(1, 0, len(m.socks)-1)
	if err != nil {
		return err
	}
	svc, err := c.Str(2)
	if err != nil {
		return err
	}
	host, err := c.Str(3)
	if err != nil {
		return err
	}
	rport, err := c.Int(4, 0, 65535)
	if err != nil {
		return err
	}
	lport, err := c.IntOr(5, 0, 0, 65535)
	if err != nil {
		return err
	}
	if mode, err := c.IntOr(6, 0, 0, 2); err != nil {
		return err
	} else if mode != 0 {
		return m.fail(at.CMEOperationNotSupp, "AT+QIOPEN: access mode %d: only 0 (buffer access) is emulated", mode)
	}
	if err := m.noMoreParams(c, 7); err != nil {
		return err
	}
	s := &socket{port: uint16(lport), recv: true, arrived: qiRecv}
	switch strings.ToUpper(svc) {
	case "UDP":
		a, perr := netip.ParseAddr(host)
		if perr != nil || !a.Is4() || rport == 0 {
			return m.badParam("AT+QIOPEN: remote %q:%d is not an IPv4 address and port (no DNS)", host, rport)
		}
		s.remote = netip.AddrPortFrom(a, uint16(rport))
	case "UDP SERVICE":
	default:
		return m.fail(at.CMEOperationNotSupp, "AT+QIOPEN: service type %q: only \"UDP\" and \"UDP SERVICE\" are emulated", svc)
	}
	if _, err := m.ipSource(); err != nil {
		return err
	}
	if _, err := m.openSocket(id, s); err != nil {
		return err
	}
	m.urc(qiopenURC(id, 0))
	return nil
}

func qisend(m *Module, c at.Command) error {
	id, err := m.sockID(c)
	if err != nil {
		return err
	}
	n, err := c.Int(1, 0, m.cfg.MaxSocketPayload)
	if err != nil {
		return err
	}
	s := m.socks[id]
	if n == 0 {
		m.info(fmt.Sprintf("+QISEND:%d,%d,0", s.sent, s.sent))
		return nil
	}
	dst := s.remote
	if c.Has(2) {
		a, err := c.Str(2)
		if err != nil {
			return err
		}
		port, err := c.Int(3, 1, 65535)
		if err != nil {
			return err
		}
		ip, perr := netip.ParseAddr(a)
		if perr != nil || !ip.Is4() {
			return m.badParam("AT+QISEND: remote %q is not an IPv4 address", a)
		}
		dst = netip.AddrPortFrom(ip, uint16(port))
	}
	if err := m.noMoreParams(c, 4); err != nil {
		return err
	}
	if !dst.IsValid() {
		return m.badParam("AT+QISEND: a \"UDP SERVICE\" socket needs <remoteIP>,<remote_port>")
	}
	return m.askData("AT+QISEND", n, func(data []byte) error { return m.qiSend(id, dst, data) })
}

// qiSend sends; the final result code is SEND OK (SEND FAIL when it
// cannot go), without OK.
func (m *Module) qiSend(id int, dst netip.AddrPort, data []byte) error {
	if !dst.IsValid() {
		return m.badParam("no remote address for socket %d", id)
	}
	if err := m.sendUDP(id, dst, data, nas.DDXNoInformation); err != nil {
		return &finalResult{"SEND FAIL"}
	}
	return &finalResult{"SEND OK"}
}

func qird(m *Module, c at.Command) error {
	id, err := m.sockID(c)
	if err != nil {
		return err
	}
	n, err := c.IntOr(1, 1500, 0, 1500)
	if err == nil {
		err = m.noMoreParams(c, 2)
	}
	if err != nil {
		return err
	}
	s := m.socks[id]
	if n == 0 {
		m.info(fmt.Sprintf("+QIRD:%d,%d,%d", s.recvd, s.read, s.recvd-s.read))
		return nil
	}
	from, part, _, ok := m.readSocket(id, n)
	if !ok {
		m.info("+QIRD:0")
		return nil
	}
	head := fmt.Sprintf("+QIRD:%d", len(part))
	if !s.remote.IsValid() {
		head += fmt.Sprintf(`,"%s",%d`, from.Addr(), from.Port())
	}
	// the data follows the header line as it is (binary)
	m.info(head)
	m.rawOut(append(part, '\r', '\n'))
	return nil
}

// The BG95's AT+QCFG settings emulated: "iotopmode" (0 LTE-M, 1 NB-IoT,
// 2 both) and "nwscanseq" (RAT search order, e.g. "020301"). They are
// kept and read back; the simulated network is NB-IoT whatever they say.
var qcfgCommands = map[string]handler{
	"+QCFG": {set: qcfg},
}

func qcfg(m *Module, c at.Command) error {
	name, err := c.Str(0)
	if err != nil {
		return err
	}
	switch strings.ToLower(name) {
	case "iotopmode":
		if !c.Has(1) {
			m.info(`+QCFG:"iotopmode",` + m.qi.iotOpMode)
			return nil
		}
		v, err := c.Int(1, 0, 2)
		if err == nil {
			_, err = c.IntOr(2, 1, 0, 1)
		}
		if err == nil {
			m.qi.iotOpMode = fmt.Sprint(v)
		}
		return err
	case "nwscanseq":
		if !c.Has(1) {
			m.info(`+QCFG:"nwscanseq",` + m.qi.scanSeq)
			return nil
		}
		v, err := c.Str(1)
		if err != nil {
			return err
		}
		if !validScanSeq(v) {
			return m.badParam(`AT+QCFG="nwscanseq": %q (pairs of 00 automatic, 01 GSM, 02 LTE-M, 03 NB-IoT)`, v)
		}
		if _, err := c.IntOr(2, 1, 0, 1); err != nil {
			return err
		}
		m.qi.scanSeq = v
		return nil
	}
	return m.fail(at.CMEOperationNotSupp, "AT+QCFG=%q: only \"iotopmode\" and \"nwscanseq\" are emulated", name)
}

func validScanSeq(v string) bool {
	if v == "" || len(v)%2 != 0 || len(v) > 6 {
		return false
	}
	for i := 0; i < len(v); i += 2 {
		if v[i] != '0' || v[i+1] < '0' || v[i+1] > '3' {
			return false
		}
	}
	return true
}

func init() {
	registerFamily("qi", false, qiCommands)
	registerFamily("qcfg", false, qcfgCommands)
}
