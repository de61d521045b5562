package module

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"net/netip"
	"strings"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/udp/coder"
)

// The IoT platform data path: CoAP POST /t/d?ep=<IMEI> both ways.
const (
	platformPath = "/t/d"
	// maxBuffered is how many platform messages AT+NMGR can hold; the
	// oldest goes when a new one arrives into a full buffer.
	maxBuffered = 8
	// maxOutstanding is how many uplink CONs may wait for their ACK; the
	// module does not retransmit (it has no timers), and the oldest
	// unanswered one counts as an error when more are sent.
	maxOutstanding = 8
	// dedupWindow is how many platform requests are remembered to
	// answer retransmissions without delivering them twice.
	dedupWindow = 32
	// maxCoAPOptions is the most options a received message may carry.
	maxCoAPOptions = 32
)

// AT+NMSTATUS values.
const (
	nmUninitialised = "UNINITIALISED"   // no IP connectivity
	nmRegistered    = "REGISTERED"      // attached with an IP address
	nmMODataEnabled = "MO_DATA_ENABLED" // the platform acknowledged an uplink
	nmRejected      = "REJECTED_BY_SERVER"
)

type platformState struct {
	mid        uint16
	token      uint32
	out        []outstanding
	seen       []seenRequest
	buf        [][]byte
	status     string // "" until an uplink was answered since attach
	sent, errs int
	received   int
	dropped    int
	duplicates int
}

type outstanding struct {
	mid   uint16
	token []byte
}

type seenRequest struct {
	from netip.AddrPort
	mid  uint16
	ack  []byte // the CoAP ACK sent, resent on a retransmission
}

// reset seeds message IDs and tokens from the IMEI, so modules differ and
// runs repeat.
func (p *platformState) reset(imei string) {
	h := fnv.New64a()
	h.Write([]byte(imei))
	s := h.Sum64()
	*p = platformState{mid: uint16(s), token: uint32(s >> 16)}
}

var platformCommands = map[string]handler{
	// AT+NCDP=<ip_addr>[,<port>] (BC95 manual): the IoT platform.
	"+NCDP": {set: func(m *Module, c at.Command) error {
		a, err := c.Str(0)
		if err != nil {
			return err
		}
		addr, perr := netip.ParseAddr(a)
		if perr != nil || !addr.Is4() {
			return m.badParam("AT+NCDP: %q is not an IPv4 address", a)
		}
		port, err := c.IntOr(1, DefaultPlatformPort, 1, 65535)
		if err == nil {
			err = m.noMoreParams(c, 2)
		}
		if err != nil {
			return err
		}
		m.cdp = netip.AddrPortFrom(addr, uint16(port))
		return nil
	}, read: func(m *Module, _ at.Command) error {
		if m.cdp.IsValid() {
			m.info(fmt.Sprintf("+NCDP:%s,%d", m.cdp.Addr(), m.cdp.Port()))
		}
		return nil
	}},
	// AT+NMGS=<length>,<data>: one message to the platform as a CoAP CON
	// POST /t/d?ep=<IMEI>.
	"+NMGS": {set: nmgs},
	// AT+NMGR: the oldest buffered platform message, <length>,<data>.
	"+NMGR": {action: func(m *Module, _ at.Command) error {
		p := &m.plat
		if len(p.buf) == 0 {
			return nil
		}
		d := p.buf[0]
		p.buf = p.buf[1:]
		m.info(fmt.Sprintf("%d,%s", len(d), strings.ToUpper(hex.EncodeToString(d))))
		return nil
	}},
	// AT+NNMI=<n>: 0 buffer platform messages, 1 +NNMI:<length>,<data>,
	// 2 buffer and indicate +NNMI.
	"+NNMI": {set: func(m *Module, c at.Command) error {
		n, err := c.IntOr(0, 0, 0, 2)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err == nil {
			m.nnmi = n
		}
		return err
	}, read: infoOf(func(m *Module) string { return fmt.Sprintf("+NNMI:%d", m.nnmi) }),
		test: infoOf(func(*Module) string { return "+NNMI:(0-2)" })},
	// AT+NMSTATUS?: the module's state towards the platform.
	"+NMSTATUS": {read: infoOf(func(m *Module) string { return "+NMSTATUS:" + m.nmstatus() })},
	// AT+NQMGS: uplink message counts; AT+NQMGR: downlink.
	"+NQMGS": {action: infoOf(func(m *Module) string {
		p := &m.plat
		return fmt.Sprintf("PENDING=%d,SENT=%d,ERROR=%d", len(p.out), p.sent, p.errs)
	})},
	"+NQMGR": {action: infoOf(func(m *Module) string {
		p := &m.plat
		return fmt.Sprintf("BUFFERED=%d,RECEIVED=%d,DROPPED=%d", len(p.buf), p.received, p.dropped)
	})},
}

func (m *Module) nmstatus() string {
	s := m.st.Status()
	switch {
	case !registered(s.Reg) || s.PDNType != PDNIP || !s.Addr.IsValid():
		return nmUninitialised
	case m.plat.status != "":
		return m.plat.status
	}
	return nmRegistered
}

func nmgs(m *Module, c at.Command) error {
	data, err := m.payload(c, 0, MaxNMGSPayload)
	if err != nil {
		return err
	}
	if err := m.noMoreParams(c, 2); err != nil {
		return err
	}
	if !m.cdp.IsValid() {
		return m.fail(at.CMENotConfigured, "no IoT platform: AT+NCDP")
	}
	src, err := m.ipSource()
	if err != nil {
		return err
	}
	p := &m.plat
	p.mid++
	p.token++
	tok := binary.BigEndian.AppendUint32(nil, p.token)
	msg := message.Message{Type: message.Confirmable, Code: codes.POST, MessageID: int32(p.mid), Token: tok, Payload: data}
	buf := make([]byte, 64)
	opts, n, oerr := message.Options{}.SetPath(buf, platformPath)
	if oerr == nil {
		var k int
		opts, k, oerr = opts.SetContentFormat(buf[n:], message.AppOctets)
		n += k
	}
	if oerr == nil {
		opts, _, oerr = opts.AddString(buf[n:], message.URIQuery, "ep="+m.cfg.IMEI)
	}
	if oerr != nil {
		return m.fail(at.CMEInternal, "CoAP options: %v", oerr)
	}
	msg.Options = opts
	pkt, err := m.udpPacket(src, m.cdp, msg)
	if err != nil {
		return err
	}
	if err := m.send(pkt, nas.DDXNoInformation); err != nil {
		return err
	}
	if len(p.out) >= maxOutstanding {
		p.out = p.out[1:]
		p.errs++
	}
	p.out = append(p.out, outstanding{mid: p.mid, token: tok})
	return nil
}

// udpPacket encodes a CoAP message into an IPv4/UDP packet from the
// module's CoAP port.
func (m *Module) udpPacket(src netip.Addr, dst netip.AddrPort, msg message.Message) ([]byte, error) {
	size, err := coder.DefaultCoder.Size(msg)
	if err != nil {
		return nil, m.fail(at.CMEInternal, "CoAP: %v", err)
	}
	b := make([]byte, size)
	if _, err := coder.DefaultCoder.Encode(msg, b); err != nil {
		return nil, m.fail(at.CMEInternal, "CoAP: %v", err)
	}
	pkt, err := (&ippkt.UDP{Src: netip.AddrPortFrom(src, CoAPPort), Dst: dst, Payload: b}).Marshal()
	if err != nil {
		return nil, m.fail(at.CMEInternal, "%v", err)
	}
	return pkt, nil
}

// coapDownlink handles a datagram to the module's CoAP port: an answer to
// an uplink, or a platform request (answered, deduplicated, delivered per
// AT+NNMI).
func (m *Module) coapDownlink(u *ippkt.UDP) {
	msg := message.Message{Options: make(message.Options, 0, maxCoAPOptions)}
	if _, err := coder.DefaultCoder.Decode(u.Payload, &msg); err != nil {
		m.droppedPackets++
		return
	}
	p := &m.plat
	switch msg.Type {
	case message.Acknowledgement, message.Reset:
		for i, o := range p.out {
			if int32(o.mid) != msg.MessageID {
				continue
			}
			p.out = append(p.out[:i], p.out[i+1:]...)
			if msg.Type == message.Reset || msg.Code >= codes.BadRequest {
				p.errs++
				p.status = nmRejected
			} else {
				p.sent++
				p.status = nmMODataEnabled
			}
			return
		}
		m.droppedPackets++
		return
	}
	if msg.Code == codes.Empty {
		if msg.Type == message.Confirmable { // CoAP ping
			m.coapReply(u, message.Message{Type: message.Reset, Code: codes.Empty, MessageID: msg.MessageID})
		}
		return
	}
	if msg.Code < codes.GET || msg.Code > codes.DELETE {
		// a response outside an exchange of ours
		m.droppedPackets++
		return
	}
	for _, s := range p.seen {
		if s.from == u.Src && int32(s.mid) == msg.MessageID {
			p.duplicates++
			if s.ack != nil {
				m.sendRaw(s.ack)
			}
			return
		}
	}
	code := codes.Changed
	path, _ := msg.Options.Path()
	switch {
	case path != platformPath:
		code = codes.NotFound
	case msg.Code != codes.POST:
		code = codes.MethodNotAllowed
	}
	var ack []byte
	if msg.Type == message.Confirmable {
		ack = m.coapReply(u, message.Message{Type: message.Acknowledgement, Code: code, MessageID: msg.MessageID, Token: msg.Token})
	}
	if len(p.seen) >= dedupWindow {
		p.seen = p.seen[1:]
	}
	p.seen = append(p.seen, seenRequest{from: u.Src, mid: uint16(msg.MessageID), ack: ack})
	if code != codes.Changed {
		return
	}
	p.received++
	data := append([]byte(nil), msg.Payload...)
	switch m.nnmi {
	case 1:
		m.urc(fmt.Sprintf("+NNMI:%d,%s", len(data), strings.ToUpper(hex.EncodeToString(data))))
		return
	case 2:
		m.urc("+NNMI")
	}
	if len(p.buf) >= maxBuffered {
		p.buf = p.buf[1:]
		p.dropped++
	}
	p.buf = append(p.buf, data)
}

// coapReply sends msg back to the sender of u and returns the packet.
func (m *Module) coapReply(u *ippkt.UDP, msg message.Message) []byte {
	pkt, err := m.udpPacket(u.Dst.Addr(), u.Src, msg)
	if err != nil {
		return nil
	}
	m.sendRaw(pkt)
	return pkt
}

// sendRaw sends a packet the firmware did not ask for (a CoAP ACK); a
// failure only goes to AT+CEER.
func (m *Module) sendRaw(pkt []byte) {
	if err := m.st.Send(pkt, nas.DDXNoInformation); err != nil {
		m.ceer = "CoAP acknowledgement not sent: " + err.Error()
	}
}
