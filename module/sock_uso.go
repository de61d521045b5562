package module

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
)

// The u-blox socket family of the SARA-R4 (AT+USOCR, AT+USOST,
// AT+USORF, AT+USOCL, +UUSORF) over the socket core, UDP only. Source:
// u-blox SARA-R4 series AT commands manual (UBX-17003787); the forms
// checked are listed in docs/at-commands.md.
var usoCommands = map[string]handler{
	// AT+USOCR=17[,<local_port>] → +USOCR: <socket>.
	"+USOCR": {set: func(m *Module, c at.Command) error {
		proto, err := c.Int(0, 0, 255)
		if err != nil {
			return err
		}
		if proto != 17 {
			return m.fail(at.CMEOperationNotSupp, "AT+USOCR=%d: only 17 (UDP) is emulated", proto)
		}
		port, err := c.IntOr(1, 0, 0, 65535)
		if err == nil {
			_, err = c.IntOr(2, 0, 0, 0) // IP type 0: IPv4
		}
		if err == nil {
			err = m.noMoreParams(c, 3)
		}
		if err != nil {
			return err
		}
		id, err := m.openSocket(-1, &socket{port: uint16(port), recv: true, arrived: uusorf})
		if err != nil {
			return err
		}
		m.info(fmt.Sprintf("+USOCR:%d", id))
		return nil
	}},
	// AT+USOST=<socket>,"<addr>",<port>,<length>,"<data>" →
	// +USOST: <socket>,<length>. The data is text, or hex digits after
	// AT+UDCONF=1,1.
	"+USOST": {set: usost},
	// AT+USORF=<socket>,<length> →
	// +USORF: <socket>,"<addr>",<port>,<length>,"<data>"; length 0 →
	// +USORF: <socket>,<queued bytes>.
	"+USORF": {set: usorf},
	// AT+USOCL=<socket>[,<async>] → OK.
	"+USOCL": closeCmd(0, 1),
	// AT+UDCONF=1,<hex mode> (0 text, 1 hex); AT+UDCONF=1 reads it.
	"+UDCONF": {set: func(m *Module, c at.Command) error {
		if _, err := c.Int(0, 1, 1); err != nil {
			return m.fail(at.CMEOperationNotSupp, "AT+UDCONF: only <op_code> 1 (hex mode) is emulated")
		}
		if !c.Has(1) {
			m.info(fmt.Sprintf("+UDCONF:1,%d", b2i(m.usoHex)))
			return nil
		}
		v, err := c.Int(1, 0, 1)
		if err == nil {
			m.usoHex = v == 1
		}
		return err
	}},
}

// uusorf is +UUSORF: <socket>,<length>.
func uusorf(id, n int) string { return fmt.Sprintf("+UUSORF:%d,%d", id, n) }

func usost(m *Module, c at.Command) error {
	id, err := m.sockID(c)
	if err != nil {
		return err
	}
	a, err := c.Str(1)
	if err != nil {
		return err
	}
	port, err := c.Int(2, 1, 65535)
	if err != nil {
		return err
	}
	n, err := c.Int(3, 0, m.cfg.MaxSocketPayload)
	if err != nil {
		return err
	}
	ip, perr := netip.ParseAddr(a)
	if perr != nil || !ip.Is4() {
		return m.badParam("AT+USOST: remote %q is not an IPv4 address (no DNS)", a)
	}
	if !c.Has(4) {
		return m.fail(at.CMEOperationNotSupp, "AT+USOST without <data> (binary mode after '@') is not emulated")
	}
	data, err := m.usoData(c, 4)
	if err == nil {
		err = m.noMoreParams(c, 5)
	}
	if err != nil {
		return err
	}
	if len(data) != n {
		return m.badParam("AT+USOST: length %d but %d bytes of data", n, len(data))
	}
	if err := m.sendUDP(id, netip.AddrPortFrom(ip, uint16(port)), data, nas.DDXNoInformation); err != nil {
		return err
	}
	m.info(fmt.Sprintf("+USOST:%d,%d", id, n))
	return nil
}

// usoData is parameter i as data: hex digits in hex mode, else the text.
func (m *Module) usoData(c at.Command, i int) ([]byte, error) {
	if m.usoHex {
		return c.Hex(i)
	}
	s, err := c.Str(i)
	return []byte(s), err
}

func usorf(m *Module, c at.Command) error {
	id, err := m.sockID(c)
	if err != nil {
		return err
	}
	n, err := c.Int(1, 0, m.cfg.MaxSocketPayload)
	if err == nil {
		err = m.noMoreParams(c, 2)
	}
	if err != nil {
		return err
	}
	if n == 0 {
		m.info(fmt.Sprintf("+USORF:%d,%d", id, m.socks[id].bytes))
		return nil
	}
	from, part, _, ok := m.readSocket(id, n)
	if !ok {
		m.info(fmt.Sprintf("+USORF:%d,0", id))
		return nil
	}
	data := string(part)
	if m.usoHex {
		data = strings.ToUpper(hex.EncodeToString(part))
	}
	m.info(fmt.Sprintf(`+USORF:%d,"%s",%d,%d,"%s"`, id, from.Addr(), from.Port(), len(part), data))
	return nil
}

func init() { registerFamily("uso", false, usoCommands) }
