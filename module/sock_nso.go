package module

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
)

// NSOSTF flags (BC95 manual).
const (
	flagException   = 0x100 // high priority: accepted, no effect
	flagRAIRelease  = 0x200 // release after this uplink
	flagRAIAfterOne = 0x400 // release after the next downlink
)

// UDP socket commands (BC95 manual).
var socketCommands = map[string]handler{
	// AT+NSOCR=<type>,<protocol>,<listen port>[,<receive control>] →
	// <socket>: DGRAM, 17 only; port 0 picks a free one; receive control
	// 1 (default) reports datagrams, 0 drops them.
	"+NSOCR": {set: nsocr},
	// AT+NSOST=<socket>,<remote_addr>,<remote_port>,<length>,<data>[,<sequence>]
	// → <socket>,<length>.
	"+NSOST": {set: func(m *Module, c at.Command) error { return nsost(m, c, false) }},
	// AT+NSOSTF=<socket>,<remote_addr>,<remote_port>,<flag>,<length>,<data>[,<sequence>].
	"+NSOSTF": {set: func(m *Module, c at.Command) error { return nsost(m, c, true) }},
	// AT+NSORF=<socket>,<req_length> →
	// <socket>,<ip_addr>,<port>,<length>,<data>,<remaining_length>.
	"+NSORF": {set: nsorf},
	// AT+NSOCL=<socket>.
	"+NSOCL": {set: func(m *Module, c at.Command) error {
		s, err := m.sockArg(c, 0)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err != nil {
			return err
		}
		m.closeSocket(s)
		return nil
	}},
}

func nsocr(m *Module, c at.Command) error {
	typ, err := c.Str(0)
	if err != nil {
		return err
	}
	if !strings.EqualFold(typ, "DGRAM") {
		return m.fail(at.CMEOperationNotSupp, "socket type %q: only DGRAM (UDP) is supported", typ)
	}
	if _, err := c.Int(1, 17, 17); err != nil {
		return m.fail(at.CMEOperationNotSupp, "protocol: only 17 (UDP) is supported")
	}
	port, err := c.Int(2, 0, 65535)
	if err != nil {
		return err
	}
	rc, err := c.IntOr(3, 1, 0, 1)
	if err != nil {
		return err
	}
	if err := m.noMoreParams(c, 4); err != nil {
		return err
	}
	id, err := m.openSocket(-1, &socket{port: uint16(port), recv: rc == 1, arrived: nsonmi})
	if err != nil {
		return err
	}
	m.info(fmt.Sprint(id))
	return nil
}

// nsonmi is the BC95's URC of a datagram arrived.
func nsonmi(id, n int) string { return fmt.Sprintf("+NSONMI:%d,%d", id, n) }

func (m *Module) sockArg(c at.Command, i int) (int, error) {
	s, err := c.Int(i, 0, len(m.socks)-1)
	if err != nil {
		return 0, err
	}
	if m.socks[s] == nil {
		return 0, m.badParam("socket %d is not open", s)
	}
	return s, nil
}

func nsost(m *Module, c at.Command, withFlag bool) error {
	s, err := m.sockArg(c, 0)
	if err != nil {
		return err
	}
	a, err := c.Str(1)
	if err != nil {
		return err
	}
	addr, perr := netip.ParseAddr(a)
	if perr != nil || !addr.Is4() {
		return m.badParam("remote address %q is not an IPv4 address", a)
	}
	port, err := c.Int(2, 1, 65535)
	if err != nil {
		return err
	}
	i := 3
	rai := nas.DDXNoInformation
	if withFlag {
		flag, err := c.Int(3, 0, 0xffff)
		if err != nil {
			return err
		}
		if flag&^(flagException|flagRAIRelease|flagRAIAfterOne) != 0 || flag&flagRAIRelease != 0 && flag&flagRAIAfterOne != 0 {
			return m.badParam("AT+NSOSTF: flag %#x (0x100, 0x200 or 0x400)", flag)
		}
		switch {
		case flag&flagRAIRelease != 0:
			rai = nas.DDXNoFurtherData
		case flag&flagRAIAfterOne != 0:
			rai = nas.DDXSingleDownlink
		}
		i++
	}
	data, err := m.payload(c, i, m.cfg.MaxSocketPayload)
	if err != nil {
		return err
	}
	if _, err := c.IntOr(i+2, 0, 0, 255); err != nil {
		return err
	}
	if err := m.noMoreParams(c, i+3); err != nil {
		return err
	}
	if err := m.sendUDP(s, netip.AddrPortFrom(addr, uint16(port)), data, rai); err != nil {
		return err
	}
	m.info(fmt.Sprintf("%d,%d", s, len(data)))
	return nil
}

func nsorf(m *Module, c at.Command) error {
	s, err := m.sockArg(c, 0)
	if err != nil {
		return err
	}
	n, err := c.Int(1, 0, 1<<20)
	if err == nil {
		err = m.noMoreParams(c, 2)
	}
	if err != nil {
		return err
	}
	from, part, rest, ok := m.readSocket(s, n)
	if ok {
		m.info(fmt.Sprintf("%d,%s,%d,%d,%s,%d", s, from.Addr(), from.Port(), len(part), strings.ToUpper(hex.EncodeToString(part)), rest))
	}
	return nil
}
