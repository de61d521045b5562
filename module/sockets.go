package module

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/ippkt"
)

// Receive buffer of one socket: datagrams beyond these are dropped.
const (
	maxSocketQueue = 16
	maxSocketBytes = 8192
	// firstEphemeral is where ports for AT+NSOCR=DGRAM,17,0 start.
	firstEphemeral = 49152
)

// NSOSTF flags (BC95 manual).
const (
	flagException   = 0x100 // high priority: accepted, no effect
	flagRAIRelease  = 0x200 // release after this uplink
	flagRAIAfterOne = 0x400 // release after the next downlink
)

type socket struct {
	port  uint16
	recv  bool
	q     []datagram
	bytes int
}

type datagram struct {
	from netip.AddrPort
	data []byte
}

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
		m.socks[s] = nil
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
	if port == 0 {
		for p := firstEphemeral; p <= 65535; p++ {
			if !m.portUsed(uint16(p)) {
				port = p
				break
			}
		}
	} else if m.portUsed(uint16(port)) {
		return m.fail(at.CMEOperationNotAllowed, "port %d is in use", port)
	}
	for i := range m.socks {
		if m.socks[i] == nil {
			m.socks[i] = &socket{port: uint16(port), recv: rc == 1}
			m.info(fmt.Sprint(i))
			return nil
		}
	}
	return m.fail(at.CMEOperationNotAllowed, "all %d sockets are in use", MaxSockets)
}

func (m *Module) portUsed(p uint16) bool {
	if p == CoAPPort {
		return true
	}
	for _, s := range m.socks {
		if s != nil && s.port == p {
			return true
		}
	}
	return false
}

func (m *Module) sockArg(c at.Command, i int) (int, error) {
	s, err := c.Int(i, 0, MaxSockets-1)
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
	src, err := m.ipSource()
	if err != nil {
		return err
	}
	pkt, perr := (&ippkt.UDP{Src: netip.AddrPortFrom(src, m.socks[s].port), Dst: netip.AddrPortFrom(addr, uint16(port)), Payload: data}).Marshal()
	if perr != nil {
		return m.badParam("%v", perr)
	}
	if err := m.send(pkt, rai); err != nil {
		return err
	}
	m.info(fmt.Sprintf("%d,%d", s, len(data)))
	return nil
}

// payload reads <length>,<hex data> at parameters i, i+1: length 0..limit
// and exactly that many bytes.
func (m *Module) payload(c at.Command, i, limit int) ([]byte, error) {
	n, err := c.Int(i, 0, 1<<20)
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, m.badParam("AT%s: %d bytes exceed the %d-byte limit", c.Name, n, limit)
	}
	data, err := c.Hex(i + 1)
	if err != nil {
		return nil, err
	}
	if len(data) != n {
		return nil, m.badParam("AT%s: length %d but %d bytes of data", c.Name, n, len(data))
	}
	return data, nil
}

// ipSource is the module's address for an IP uplink.
func (m *Module) ipSource() (netip.Addr, error) {
	s := m.st.Status()
	switch {
	case !registered(s.Reg):
		return netip.Addr{}, m.fail(at.CMENoNetworkService, "not registered")
	case s.PDNType != PDNIP || !s.Addr.Is4():
		return netip.Addr{}, m.fail(at.CMEOperationNotAllowed, "no IPv4 address (the PDN connection is %v)", s.PDNType)
	}
	return s.Addr, nil
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
	sk := m.socks[s]
	if len(sk.q) == 0 {
		return nil
	}
	d := &sk.q[0]
	n = min(n, len(d.data))
	part := d.data[:n]
	d.data = d.data[n:]
	sk.bytes -= n
	rest := len(d.data)
	m.info(fmt.Sprintf("%d,%s,%d,%d,%s,%d", s, d.from.Addr(), d.from.Port(), n, strings.ToUpper(hex.EncodeToString(part)), rest))
	if rest == 0 {
		sk.q = sk.q[1:]
	}
	return nil
}

// socketDownlink queues a datagram for the socket bound to its port.
func (m *Module) socketDownlink(u *ippkt.UDP) bool {
	for i, s := range m.socks {
		if s == nil || s.port != u.Dst.Port() {
			continue
		}
		if !s.recv || len(s.q) >= maxSocketQueue || s.bytes+len(u.Payload) > maxSocketBytes {
			m.droppedPackets++
			return true
		}
		s.q = append(s.q, datagram{from: u.Src, data: append([]byte(nil), u.Payload...)})
		s.bytes += len(u.Payload)
		m.urc(fmt.Sprintf("+NSONMI:%d,%d", i, len(u.Payload)))
		return true
	}
	return false
}
