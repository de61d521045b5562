package pcap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// Well-known protocol numbers.
const (
	PPIDS1AP   = 18    // SCTP payload protocol identifier of S1AP (IANA)
	PortS1AP   = 36412 // SCTP port of S1-MME
	PortGSMTAP = 4729  // UDP port of GSMTAP
	PortCoAP   = 5683  // UDP port of CoAP

	ProtoTCP  = 6
	ProtoUDP  = 17
	ProtoSCTP = 132
)

// GSMTAP payload types (osmocom gsmtap.h, GSMTAP_TYPE_*).
const (
	GSMTAPTypeUM           = 0x01
	GSMTAPTypeAbis         = 0x02
	GSMTAPTypeUMTSRRC      = 0x0c
	GSMTAPTypeLTERRC       = 0x0d
	GSMTAPTypeLTEMAC       = 0x0e
	GSMTAPTypeLTEMACFramed = 0x0f
	GSMTAPTypeLTENAS       = 0x12
)

// GSMTAP sub-types of GSMTAPTypeLTENAS (GSMTAP_LTE_NAS_*).
const (
	GSMTAPLTENASPlain   = 0 // plain NAS message
	GSMTAPLTENASSecured = 1 // security-protected NAS message
)

// Errors that Decode wraps; test with errors.Is.
var (
	// ErrUnsupportedLinkType: the packet's link type is not one of the
	// LinkType constants.
	ErrUnsupportedLinkType = errors.New("unsupported link type")
	// ErrFragment: the packet is an IPv4 or IPv6 fragment that does not
	// complete a datagram (Decode never reassembles; a Decoder does, and
	// decodes the datagram in the frame of the fragment that completes it).
	// Src, Dst and Protocol are set but nothing above IP is.
	ErrFragment = errors.New("IP fragment (datagram not complete)")
	// ErrTruncated: a header or length field claims more bytes than the
	// packet has.
	ErrTruncated = errors.New("truncated")
	// ErrMalformed: a header field is invalid.
	ErrMalformed = errors.New("malformed")
)

// SCTPData is one SCTP user message: an unfragmented DATA chunk, or the
// reassembly of a fragmented one.
type SCTPData struct {
	SrcPort, DstPort uint16
	Stream           uint16
	TSN              uint32 // TSN of the first (B) chunk
	PPID             uint32
	Payload          []byte

	SSN       uint16 // stream sequence number (meaningless when Unordered)
	Unordered bool   // U flag
	Fragments int    // number of DATA chunks the message came in (1 if unfragmented)
}

// SCTPHeader is the SCTP common header.
type SCTPHeader struct {
	SrcPort, DstPort uint16
	VerificationTag  uint32
	Checksum         uint32 // as stored (CRC32c in little-endian order; see VerifySCTPChecksum)
}

// SCTPChunk is one chunk of an SCTP packet, as it was on the wire.
type SCTPChunk struct {
	Type  uint8  // 0 DATA, 1 INIT, 3 SACK, ...
	Flags uint8  // for DATA: U=4, B=2, E=1
	Value []byte // chunk value: after the 4-byte chunk header, without padding

	// DATA chunk fields (Type 0 only).
	TSN      uint32
	Stream   uint16
	SSN      uint16
	PPID     uint32
	UserData []byte
}

// SCTP DATA chunk flags.
const (
	SCTPFlagEnd       = 0x01
	SCTPFlagBegin     = 0x02
	SCTPFlagUnordered = 0x04
)

// UDP is a UDP datagram.
type UDP struct {
	SrcPort, DstPort uint16
	Payload          []byte
	Checksum         uint16 // as stored (0: none)
}

// GSMTAP is a GSMTAP version 2 header (osmocom gsmtap.h) and its payload.
type GSMTAP struct {
	Version, Type, SubType uint8
	Uplink                 bool
	ARFCN                  uint16 // without the PCS and uplink flag bits
	Payload                []byte

	PCS         bool
	Timeslot    uint8
	SignalDBm   int8
	SNRdB       int8
	FrameNumber uint32
	Antenna     uint8
	SubSlot     uint8
}

// Frame is a decoded packet.
type Frame struct {
	Index    int
	Time     time.Time
	Src, Dst netip.Addr
	SCTP     []SCTPData // complete user messages carried (or completed) by this frame
	UDP      *UDP
	GSMTAP   *GSMTAP

	LinkType   uint32
	IPVersion  uint8  // 4 or 6; 0 when the frame carries no IP packet
	Protocol   uint8  // IP protocol (IPv6: the next header after extension headers)
	IPPayload  []byte // the bytes after the IP header(s), up to the IP length
	IPFrags    int    // fragments of the IP datagram this frame completed (Decoder only); 0 if unfragmented
	SCTPHeader *SCTPHeader
	SCTPChunks []SCTPChunk // every chunk of the SCTP packet
}

// Decode decodes one packet on its own: IP fragments are reported with
// ErrFragment and SCTP user messages fragmented across frames are not
// reassembled (use a Decoder for both).
//
// Frames that carry no IP (ARP, LLDP, ...) or IP protocols other than SCTP
// and UDP decode without error with only what was found set. An error wraps
// ErrUnsupportedLinkType, ErrFragment, ErrTruncated or ErrMalformed; the
// Frame then holds the layers decoded before the problem.
func Decode(p Packet) (Frame, error) {
	var d Decoder
	return d.Decode(p)
}

// Decoder decodes packets in capture order, reassembling fragmented IPv4
// and IPv6 datagrams and fragmented SCTP user messages across frames. The
// zero value is ready to use. A Decoder is not safe for concurrent use.
type Decoder struct {
	flows   map[flowKey]*flow
	pending int // bytes held in SCTP fragments, all flows
	nfrags  int // SCTP fragments held, all flows

	ipFrags   map[ipFragKey]*ipDatagram
	ipPending int // bytes held in IP fragments
}

type ipFragKey struct {
	src, dst netip.Addr
	id       uint32
	proto    uint8
}

type ipDatagram struct {
	parts []ipPart
	total int // payload length, known from the last fragment; -1 before
}

type ipPart struct {
	off  int
	data []byte
}

// Bounds on the IP fragments a Decoder holds; past them all are dropped.
const (
	maxIPDatagrams    = 4096
	maxIPParts        = 1024
	maxIPPendingBytes = 16 << 20
)

// defrag adds an IP fragment (off and data in bytes of the fragmentable
// part) and returns the datagram's payload and fragment count once every
// byte up to the last fragment is held.
func (d *Decoder) defrag(k ipFragKey, off int, more bool, data []byte) ([]byte, int) {
	if d.ipFrags == nil {
		d.ipFrags = make(map[ipFragKey]*ipDatagram)
	}
	dg := d.ipFrags[k]
	if dg == nil {
		if len(d.ipFrags) >= maxIPDatagrams {
			clear(d.ipFrags)
			d.ipPending = 0
		}
		dg = &ipDatagram{total: -1}
		d.ipFrags[k] = dg
	}
	end := off + len(data)
	// A fragment inconsistent with those held is ignored.
	if len(dg.parts) >= maxIPParts || (dg.total >= 0 && (end > dg.total || !more && end != dg.total)) {
		return nil, 0
	}
	for _, p := range dg.parts {
		if (p.off == off && len(p.data) == len(data)) || (!more && p.off+len(p.data) > end) {
			return nil, 0 // a retransmitted duplicate, or past the end
		}
	}
	if d.ipPending+len(data) > maxIPPendingBytes {
		clear(d.ipFrags)
		d.ipPending = 0
		d.ipFrags[k] = dg
		dg.parts, dg.total = nil, -1
	}
	dg.parts = append(dg.parts, ipPart{off: off, data: append([]byte(nil), data...)})
	d.ipPending += len(data)
	if !more {
		dg.total = end
	}
	if dg.total < 0 {
		return nil, 0
	}
	slices.SortStableFunc(dg.parts, func(a, b ipPart) int { return a.off - b.off })
	pos := 0
	for _, p := range dg.parts {
		if p.off > pos {
			return nil, 0
		}
		pos = max(pos, p.off+len(p.data))
	}
	if pos < dg.total {
		return nil, 0
	}
	buf := make([]byte, dg.total)
	held := 0
	for _, p := range dg.parts {
		if p.off < len(buf) {
			copy(buf[p.off:], p.data)
		}
		held += len(p.data)
	}
	n := len(dg.parts)
	d.ipPending -= held
	delete(d.ipFrags, k)
	return buf, n
}

// NewDecoder returns an empty Decoder.
func NewDecoder() *Decoder { return &Decoder{} }

type flowKey struct {
	src, dst     netip.Addr
	sport, dport uint16
}

type flow struct {
	frags map[uint32]*fragment // by TSN
	bytes int
}

type fragment struct {
	stream, ssn uint16
	ppid        uint32
	flags       uint8
	data        []byte
}

// Bounds on the fragments a Decoder holds, so that garbage input cannot
// grow it without limit. Past them the flow's pending fragments are dropped.
const (
	maxFlowFragments = 4096
	maxFragments     = 1 << 16
	maxPendingBytes  = 16 << 20
)

// Decode decodes the next packet of a capture, as the package-level Decode
// does, and reassembles fragmented IP datagrams and SCTP user messages with
// the fragments of earlier packets.
func (d *Decoder) Decode(p Packet) (Frame, error) {
	f := Frame{Index: p.Index, Time: p.Time, LinkType: p.LinkType}
	err := d.decode(&f, p.LinkType, p.Data)
	if err != nil {
		err = fmt.Errorf("pcap: frame %d: %w", p.Index, err)
	}
	return f, err
}

func errf(base error, format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), base)
}

func (d *Decoder) decode(f *Frame, linkType uint32, b []byte) error {
	switch linkType {
	case LinkTypeEthernet:
		if len(b) < 14 {
			return errf(ErrTruncated, "Ethernet header (%d bytes)", len(b))
		}
		etype := binary.BigEndian.Uint16(b[12:])
		b = b[14:]
		if etype <= 1500 { // 802.3 length: LLC
			if len(b) >= 8 && b[0] == 0xaa && b[1] == 0xaa && b[2] == 0x03 { // SNAP
				etype = binary.BigEndian.Uint16(b[6:])
				b = b[8:]
			} else {
				return nil
			}
		}
		return d.ether(f, etype, b)
	case LinkTypeLinuxSLL:
		if len(b) < 16 {
			return errf(ErrTruncated, "Linux cooked header (%d bytes)", len(b))
		}
		if binary.BigEndian.Uint16(b[2:]) == 824 { // ARPHRD_NETLINK
			return nil
		}
		return d.ether(f, binary.BigEndian.Uint16(b[14:]), b[16:])
	case LinkTypeLinuxSLL2:
		if len(b) < 20 {
			return errf(ErrTruncated, "Linux cooked v2 header (%d bytes)", len(b))
		}
		if binary.BigEndian.Uint16(b[8:]) == 824 {
			return nil
		}
		return d.ether(f, binary.BigEndian.Uint16(b[0:]), b[20:])
	case LinkTypeRaw, LinkTypeRawDLT12, LinkTypeRawDLT14:
		if len(b) == 0 {
			return errf(ErrTruncated, "empty raw IP packet")
		}
		switch b[0] >> 4 {
		case 4:
			return d.ipv4(f, b)
		case 6:
			return d.ipv6(f, b)
		}
		return errf(ErrMalformed, "raw IP packet of version %d", b[0]>>4)
	case LinkTypeNone:
		return nil
	case LinkTypeIPv4:
		return d.ipv4(f, b)
	case LinkTypeIPv6:
		return d.ipv6(f, b)
	case LinkTypeNull, LinkTypeLoop:
		if len(b) < 4 {
			return errf(ErrTruncated, "loopback header (%d bytes)", len(b))
		}
		af := binary.BigEndian.Uint32(b)
		if linkType == LinkTypeNull {
			// Host byte order of the capturing machine: a family number
			// is small, so a value with high bits set is byte-swapped.
			af = binary.LittleEndian.Uint32(b)
			if af&0xffff0000 != 0 {
				af = binary.BigEndian.Uint32(b)
			}
		}
		switch af {
		case 2: // AF_INET
			return d.ipv4(f, b[4:])
		case 10, 24, 28, 30: // AF_INET6: Linux, NetBSD/OpenBSD, FreeBSD, Darwin
			return d.ipv6(f, b[4:])
		}
		return nil
	}
	return fmt.Errorf("%d: %w", linkType, ErrUnsupportedLinkType)
}

// ether dispatches on an EtherType, skipping 802.1Q/802.1ad tags.
func (d *Decoder) ether(f *Frame, etype uint16, b []byte) error {
	for etype == 0x8100 || etype == 0x88a8 || etype == 0x9100 || etype == 0x9200 {
		if len(b) < 4 {
			return errf(ErrTruncated, "VLAN tag (%d bytes)", len(b))
		}
		etype = binary.BigEndian.Uint16(b[2:])
		b = b[4:]
	}
	switch etype {
	case 0x0800:
		return d.ipv4(f, b)
	case 0x86dd:
		return d.ipv6(f, b)
	}
	return nil
}

func (d *Decoder) ipv4(f *Frame, b []byte) error {
	if len(b) < 20 {
		return errf(ErrTruncated, "IPv4 header (%d bytes)", len(b))
	}
	if v := b[0] >> 4; v != 4 {
		return errf(ErrMalformed, "IPv4 header of version %d", v)
	}
	ihl := int(b[0]&0x0f) * 4
	if ihl < 20 {
		return errf(ErrMalformed, "IPv4 header length %d", ihl)
	}
	if ihl > len(b) {
		return errf(ErrTruncated, "IPv4 header length %d (%d bytes)", ihl, len(b))
	}
	f.IPVersion = 4
	f.Src = netip.AddrFrom4([4]byte(b[12:16]))
	f.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	f.Protocol = b[9]
	total := int(binary.BigEndian.Uint16(b[2:]))
	if total == 0 { // segmentation offload: length left to the hardware
		total = len(b)
	}
	if total < ihl {
		return errf(ErrMalformed, "IPv4 total length %d below the header length %d", total, ihl)
	}
	var err error
	if total > len(b) {
		err = errf(ErrTruncated, "IPv4 total length %d (%d bytes captured)", total, len(b))
		total = len(b)
	}
	f.IPPayload = b[ihl:total]
	if fo := binary.BigEndian.Uint16(b[6:]); fo&0x3fff != 0 { // MF or offset
		if err != nil {
			return err // a truncated fragment cannot be reassembled
		}
		k := ipFragKey{src: f.Src, dst: f.Dst, id: uint32(binary.BigEndian.Uint16(b[4:])), proto: f.Protocol}
		p, n := d.defrag(k, int(fo&0x1fff)*8, fo&0x2000 != 0, f.IPPayload)
		if p == nil {
			return ErrFragment
		}
		f.IPPayload, f.IPFrags = p, n
	}
	if e := d.transport(f, f.Protocol, f.IPPayload); e != nil {
		return e
	}
	return err
}

func (d *Decoder) ipv6(f *Frame, b []byte) error {
	if len(b) < 40 {
		return errf(ErrTruncated, "IPv6 header (%d bytes)", len(b))
	}
	if v := b[0] >> 4; v != 6 {
		return errf(ErrMalformed, "IPv6 header of version %d", v)
	}
	f.IPVersion = 6
	f.Src = netip.AddrFrom16([16]byte(b[8:24]))
	f.Dst = netip.AddrFrom16([16]byte(b[24:40]))
	next := b[6]
	f.Protocol = next
	plen := int(binary.BigEndian.Uint16(b[4:]))
	b = b[40:]
	var err error
	switch {
	case plen == 0: // jumbogram or offload: take what there is
	case plen > len(b):
		err = errf(ErrTruncated, "IPv6 payload length %d (%d bytes captured)", plen, len(b))
	default:
		b = b[:plen]
	}
	for {
		var n int
		switch next {
		case 0, 43, 60, 135, 139, 140: // hop-by-hop, routing, destination, mobility, HIP, shim6
			if len(b) < 8 {
				return errf(ErrTruncated, "IPv6 extension header %d", next)
			}
			n = (int(b[1]) + 1) * 8
		case 44: // fragment
			if len(b) < 8 {
				return errf(ErrTruncated, "IPv6 fragment header")
			}
			f.Protocol = b[0]
			if fo := binary.BigEndian.Uint16(b[2:]); fo&0xfff9 != 0 { // offset or M
				if err != nil {
					return err
				}
				k := ipFragKey{src: f.Src, dst: f.Dst, id: binary.BigEndian.Uint32(b[4:]), proto: b[0]}
				p, cnt := d.defrag(k, int(fo&0xfff8), fo&1 != 0, b[8:])
				if p == nil {
					f.IPPayload = b[8:]
					return ErrFragment
				}
				f.IPFrags = cnt
				next = b[0]
				b = p
				continue
			}
			n = 8
		case 51: // authentication header
			if len(b) < 8 {
				return errf(ErrTruncated, "IPv6 authentication header")
			}
			n = (int(b[1]) + 2) * 4
		default:
			f.Protocol = next
			f.IPPayload = b
			if e := d.transport(f, next, b); e != nil {
				return e
			}
			return err
		}
		if n > len(b) {
			return errf(ErrTruncated, "IPv6 extension header %d of %d bytes (%d left)", next, n, len(b))
		}
		next = b[0]
		b = b[n:]
	}
}

func (d *Decoder) transport(f *Frame, proto uint8, b []byte) error {
	switch proto {
	case ProtoUDP:
		return d.udp(f, b)
	case ProtoSCTP:
		return d.sctp(f, b)
	}
	return nil
}

func (d *Decoder) udp(f *Frame, b []byte) error {
	if len(b) < 8 {
		return errf(ErrTruncated, "UDP header (%d bytes)", len(b))
	}
	u := &UDP{
		SrcPort:  binary.BigEndian.Uint16(b[0:]),
		DstPort:  binary.BigEndian.Uint16(b[2:]),
		Checksum: binary.BigEndian.Uint16(b[6:]),
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	var err error
	switch {
	case n == 0: // IPv6 jumbogram / offload
		u.Payload = b[8:]
	case n < 8:
		return errf(ErrMalformed, "UDP length %d", n)
	case n > len(b):
		u.Payload = b[8:]
		err = errf(ErrTruncated, "UDP length %d (%d bytes)", n, len(b))
	default:
		u.Payload = b[8:n]
	}
	f.UDP = u
	if err != nil {
		return err
	}
	if u.SrcPort == PortGSMTAP || u.DstPort == PortGSMTAP {
		g, err := parseGSMTAP(u.Payload)
		if err != nil {
			return err
		}
		f.GSMTAP = g
	}
	return nil
}

// parseGSMTAP parses a GSMTAP version 2 header; other versions give nil.
func parseGSMTAP(b []byte) (*GSMTAP, error) {
	if len(b) < 2 || b[0] != 2 {
		return nil, nil
	}
	hl := int(b[1]) * 4
	if hl < 16 {
		return nil, errf(ErrMalformed, "GSMTAP header length %d", hl)
	}
	if hl > len(b) {
		return nil, errf(ErrTruncated, "GSMTAP header length %d (%d bytes)", hl, len(b))
	}
	arfcn := binary.BigEndian.Uint16(b[4:])
	return &GSMTAP{
		Version:     b[0],
		Type:        b[2],
		Timeslot:    b[3],
		ARFCN:       arfcn & 0x3fff,
		Uplink:      arfcn&0x4000 != 0,
		PCS:         arfcn&0x8000 != 0,
		SignalDBm:   int8(b[6]),
		SNRdB:       int8(b[7]),
		FrameNumber: binary.BigEndian.Uint32(b[8:]),
		SubType:     b[12],
		Antenna:     b[13],
		SubSlot:     b[14],
		Payload:     b[hl:],
	}, nil
}

func (d *Decoder) sctp(f *Frame, b []byte) error {
	if len(b) < 12 {
		return errf(ErrTruncated, "SCTP common header (%d bytes)", len(b))
	}
	h := &SCTPHeader{
		SrcPort:         binary.BigEndian.Uint16(b[0:]),
		DstPort:         binary.BigEndian.Uint16(b[2:]),
		VerificationTag: binary.BigEndian.Uint32(b[4:]),
		Checksum:        binary.LittleEndian.Uint32(b[8:]),
	}
	f.SCTPHeader = h
	key := flowKey{src: f.Src, dst: f.Dst, sport: h.SrcPort, dport: h.DstPort}
	b = b[12:]
	for i := 1; len(b) > 0; i++ {
		if len(b) < 4 {
			return errf(ErrTruncated, "SCTP chunk %d header (%d bytes)", i, len(b))
		}
		n := int(binary.BigEndian.Uint16(b[2:]))
		if n < 4 {
			return errf(ErrMalformed, "SCTP chunk %d length %d", i, n)
		}
		if n > len(b) {
			return errf(ErrTruncated, "SCTP chunk %d length %d (%d bytes left)", i, n, len(b))
		}
		c := SCTPChunk{Type: b[0], Flags: b[1], Value: b[4:n:n]}
		if c.Type == 0 {
			if n < 16 {
				return errf(ErrMalformed, "SCTP DATA chunk %d length %d", i, n)
			}
			c.TSN = binary.BigEndian.Uint32(b[4:])
			c.Stream = binary.BigEndian.Uint16(b[8:])
			c.SSN = binary.BigEndian.Uint16(b[10:])
			c.PPID = binary.BigEndian.Uint32(b[12:])
			c.UserData = b[16:n:n]
		}
		f.SCTPChunks = append(f.SCTPChunks, c)
		if c.Type == 0 {
			if m, ok := d.data(key, &c); ok {
				m.SrcPort, m.DstPort = h.SrcPort, h.DstPort
				f.SCTP = append(f.SCTP, m)
			}
		}
		// The last chunk's padding may be missing.
		b = b[min((n+3)&^3, len(b)):]
	}
	return nil
}

// data handles one DATA chunk: it returns the user message that the chunk
// completes, if any.
func (d *Decoder) data(key flowKey, c *SCTPChunk) (SCTPData, bool) {
	const be = SCTPFlagBegin | SCTPFlagEnd
	if c.Flags&be == be {
		return SCTPData{
			Stream: c.Stream, TSN: c.TSN, PPID: c.PPID, Payload: c.UserData,
			SSN: c.SSN, Unordered: c.Flags&SCTPFlagUnordered != 0, Fragments: 1,
		}, true
	}
	if d.flows == nil {
		d.flows = make(map[flowKey]*flow)
	}
	fl := d.flows[key]
	if fl == nil {
		fl = &flow{frags: make(map[uint32]*fragment)}
		d.flows[key] = fl
	}
	if _, dup := fl.frags[c.TSN]; dup {
		return SCTPData{}, false // retransmission of a held fragment
	}
	if len(c.UserData) > maxPendingBytes {
		return SCTPData{}, false
	}
	if len(fl.frags) >= maxFlowFragments {
		d.pending -= fl.bytes
		d.nfrags -= len(fl.frags)
		clear(fl.frags)
		fl.bytes = 0
	}
	if d.pending+len(c.UserData) > maxPendingBytes || d.nfrags >= maxFragments {
		for k, o := range d.flows {
			if o != fl {
				delete(d.flows, k)
			}
		}
		clear(fl.frags)
		fl.bytes, d.pending, d.nfrags = 0, 0, 0
	}
	fl.frags[c.TSN] = &fragment{
		stream: c.Stream, ssn: c.SSN, ppid: c.PPID, flags: c.Flags,
		data: append([]byte(nil), c.UserData...),
	}
	fl.bytes += len(c.UserData)
	d.pending += len(c.UserData)
	d.nfrags++

	// Find the B chunk at or before this TSN, then the E chunk at or after
	// it, with every TSN in between held and on the same stream.
	first := c.TSN
	for fl.frags[first].flags&SCTPFlagBegin == 0 {
		p, ok := fl.frags[first-1]
		if !ok || p.stream != c.Stream || p.flags&SCTPFlagEnd != 0 {
			return SCTPData{}, false
		}
		first--
	}
	last := c.TSN
	for fl.frags[last].flags&SCTPFlagEnd == 0 {
		n, ok := fl.frags[last+1]
		if !ok || n.stream != c.Stream || n.flags&SCTPFlagBegin != 0 {
			return SCTPData{}, false
		}
		last++
	}
	b := fl.frags[first]
	m := SCTPData{
		Stream: b.stream, TSN: first, PPID: b.ppid, SSN: b.ssn,
		Unordered: b.flags&SCTPFlagUnordered != 0,
		Fragments: int(last-first) + 1,
	}
	size := 0
	for t := first; ; t++ {
		size += len(fl.frags[t].data)
		if t == last {
			break
		}
	}
	m.Payload = make([]byte, 0, size)
	for t := first; ; t++ {
		m.Payload = append(m.Payload, fl.frags[t].data...)
		delete(fl.frags, t)
		d.nfrags--
		if t == last {
			break
		}
	}
	fl.bytes -= size
	d.pending -= size
	if len(fl.frags) == 0 {
		delete(d.flows, key)
	}
	return m, true
}
