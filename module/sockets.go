package module

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/ippkt"
)

// The socket core: UDP sockets over the PDN that every socket command
// family (AT+NSOCR, AT+QIOPEN, AT+USOCR, AT+CAOPEN, AT#XSOCKET) is a
// front-end of. A front-end parses its commands and prints its responses
// and URCs; opening, sending, queueing and reading are here.

// Receive buffer of one socket: datagrams beyond these are dropped.
const (
	maxSocketQueue = 16
	maxSocketBytes = 8192
	// firstEphemeral is where ports for a socket without a local port
	// start.
	firstEphemeral = 49152
)

// socket is one UDP socket.
type socket struct {
	port uint16
	// remote is where a connected socket sends (AT+QIOPEN "UDP",
	// AT+CAOPEN, AT#XCONNECT); invalid on an unconnected one.
	remote netip.AddrPort
	recv   bool
	q      []datagram
	bytes  int
	// Byte counters: sent, received (queued), read by the host.
	sent, recvd, read int64
	// arrived is the front-end's URC for a datagram of n bytes queued on
	// socket id ("" for none).
	arrived func(id, n int) string
}

type datagram struct {
	from netip.AddrPort
	data []byte
}

// openSocket opens s as socket id (-1: the lowest free one) on s.port
// (0: a free ephemeral port) and returns its id.
func (m *Module) openSocket(id int, s *socket) (int, error) {
	if id < 0 {
		id = slices.Index(m.socks, nil)
		if id < 0 {
			return 0, m.fail(at.CMEOperationNotAllowed, "all %d sockets are in use", len(m.socks))
		}
	} else if id >= len(m.socks) || m.socks[id] != nil {
		return 0, m.fail(at.CMEOperationNotAllowed, "socket %d is in use or not one of 0..%d", id, len(m.socks)-1)
	}
	if s.port == 0 {
		for p := firstEphemeral; p <= 65535; p++ {
			if !m.portUsed(uint16(p)) {
				s.port = uint16(p)
				break
			}
		}
	} else if m.portUsed(s.port) {
		return 0, m.fail(at.CMEOperationNotAllowed, "port %d is in use", s.port)
	}
	m.socks[id] = s
	return id, nil
}

// closeCmd is a family's close command, AT<cmd>=<id>[,<option>], the
// option in lo..hi (none when hi < 0): the socket closes, OK.
func closeCmd(lo, hi int) handler {
	return handler{set: func(m *Module, c at.Command) error {
		id, err := m.sockID(c)
		if err == nil && hi >= 0 {
			_, err = c.IntOr(1, lo, lo, hi)
		}
		if err == nil {
			err = m.noMoreParams(c, 1+b2i(hi >= 0))
		}
		if err != nil {
			return err
		}
		m.closeSocket(id)
		return nil
	}}
}

// sockID is the open socket named by parameter 0 (+CME ERROR 3 when it
// is not open).
func (m *Module) sockID(c at.Command) (int, error) {
	id, err := c.Int(0, 0, len(m.socks)-1)
	if err != nil {
		return 0, err
	}
	if m.socks[id] == nil {
		return 0, m.fail(at.CMEOperationNotAllowed, "AT%s: socket %d is not open", c.Name, id)
	}
	return id, nil
}

// closeSocket closes socket id; what it held is dropped.
func (m *Module) closeSocket(id int) { m.socks[id] = nil }

// openSock is socket id if it is open (nil otherwise or out of range).
func (m *Module) openSock(id int) *socket {
	if id < 0 || id >= len(m.socks) {
		return nil
	}
	return m.socks[id]
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

// sendUDP sends data from socket id to dst as one datagram.
func (m *Module) sendUDP(id int, dst netip.AddrPort, data []byte, rai nas.ReleaseAssistanceIndication) error {
	if !dst.Addr().Is4() || dst.Port() == 0 {
		return m.badParam("remote %v is not an IPv4 address and port", dst)
	}
	src, err := m.ipSource()
	if err != nil {
		return err
	}
	pkt, perr := (&ippkt.UDP{Src: netip.AddrPortFrom(src, m.socks[id].port), Dst: dst, Payload: data}).Marshal()
	if perr != nil {
		return m.badParam("%v", perr)
	}
	if err := m.send(pkt, rai); err != nil {
		return err
	}
	m.socks[id].sent += int64(len(data))
	return nil
}

// arrivedURC is the URC of n bytes queued on socket id: the profile's
// format if it sets one, else the front-end's ("" for none).
func (m *Module) arrivedURC(s *socket, id, n int) string {
	if f := m.prof.URC.SocketRecv; f != "" && s.arrived != nil {
		return strings.NewReplacer("{id}", strconv.Itoa(id), "{len}", strconv.Itoa(n)).Replace(f)
	}
	if s.arrived == nil {
		return ""
	}
	return s.arrived(id, n)
}

// readSocket takes up to n bytes of the first datagram queued on socket
// id: where it came from, the bytes, and how many of that datagram are
// left. ok is false when nothing is queued.
func (m *Module) readSocket(id, n int) (from netip.AddrPort, part []byte, rest int, ok bool) {
	sk := m.socks[id]
	if len(sk.q) == 0 {
		return netip.AddrPort{}, nil, 0, false
	}
	d := &sk.q[0]
	n = min(n, len(d.data))
	part = d.data[:n]
	d.data = d.data[n:]
	sk.bytes -= n
	sk.read += int64(n)
	rest = len(d.data)
	from = d.from
	if rest == 0 {
		sk.q = sk.q[1:]
	}
	return from, part, rest, true
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
		return netip.Addr{}, m.noService(s)
	case s.PDNType != PDNIP || !s.Addr.Is4():
		return netip.Addr{}, m.fail(at.CMEOperationNotAllowed, "no IPv4 address (the PDN connection is %v)", s.PDNType)
	}
	return s.Addr, nil
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
		s.recvd += int64(len(u.Payload))
		if t := m.arrivedURC(s, i, len(u.Payload)); t != "" {
			m.urc(t)
		}
		return true
	}
	return false
}
