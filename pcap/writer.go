package pcap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/netip"
	"slices"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CRC32c is the CRC-32C (Castagnoli) of b, the SCTP checksum function
// (RFC 4960 Appendix B, RFC 3309).
func CRC32c(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// VerifySCTPChecksum reports whether the SCTP packet sctp (common header and
// chunks, e.g. Frame.IPPayload) carries a correct CRC32c checksum.
func VerifySCTPChecksum(sctp []byte) bool {
	if len(sctp) < 12 {
		return false
	}
	want := binary.LittleEndian.Uint32(sctp[8:])
	var zero [4]byte
	crc := crc32.Update(0, castagnoli, sctp[:8])
	crc = crc32.Update(crc, castagnoli, zero[:])
	crc = crc32.Update(crc, castagnoli, sctp[12:])
	return crc == want
}

// Writer writes a classic pcap file with nanosecond timestamps. Each record
// is handed to the underlying io.Writer in one Write call; wrap it in a
// bufio.Writer (and flush it) for many small records. A Writer is not safe
// for concurrent use.
type Writer struct {
	w        io.Writer
	linkType uint32
	err      error // sticky write error
	ipID     uint16
	tsn      map[assocKey]uint32            // next TSN per direction
	ssn      map[assocKey]map[uint16]uint16 // next SSN per direction and stream
	buf      []byte
}

type assocKey struct{ src, dst netip.AddrPort }

const (
	writerSnapLen = 262144
	ipv4Header    = 20
	ipv6Header    = 40
	maxIPPayload  = 65535 - ipv4Header // keeps IPv4 total length and IPv6 payload length in range
)

// ErrAddress is returned for endpoint addresses that cannot be written
// (invalid, of two families, or not carried by the Writer's link type).
var ErrAddress = errors.New("pcap: unsuitable address")

// NewWriter writes a pcap file header (nanosecond timestamps, link type
// Ethernet) to w and returns a Writer for its packets. IPv4 and IPv6 packets
// get fake locally administered MAC addresses 02:00:xx:xx:xx:xx made of the
// last four bytes of the IP addresses.
func NewWriter(w io.Writer) (*Writer, error) {
	return NewWriterLinkType(w, LinkTypeEthernet)
}

// NewWriterLinkType is NewWriter with another framing: LinkTypeEthernet,
// LinkTypeRaw (IPv4 and IPv6), LinkTypeIPv4 or LinkTypeIPv6; or
// LinkTypePPPHDLC or LinkTypeMUX27010 for serial streams, whose frames
// only WritePacket writes.
func NewWriterLinkType(w io.Writer, linkType uint32) (*Writer, error) {
	switch linkType {
	case LinkTypeEthernet, LinkTypeRaw, LinkTypeIPv4, LinkTypeIPv6, LinkTypePPPHDLC, LinkTypeMUX27010:
	default:
		return nil, fmt.Errorf("pcap: writer: link type %d: %w", linkType, ErrUnsupportedLinkType)
	}
	var h [24]byte
	binary.LittleEndian.PutUint32(h[0:], magicNano)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], writerSnapLen)
	binary.LittleEndian.PutUint32(h[20:], linkType)
	if _, err := w.Write(h[:]); err != nil {
		return nil, err
	}
	return &Writer{
		w:        w,
		linkType: linkType,
		tsn:      make(map[assocKey]uint32),
		ssn:      make(map[assocKey]map[uint16]uint16),
	}, nil
}

// LinkType is the link type written in the file header.
func (w *Writer) LinkType() uint32 { return w.linkType }

// WritePacket writes one record holding data, which must already be framed
// for the Writer's link type.
func (w *Writer) WritePacket(t time.Time, data []byte) error {
	if len(data) > writerSnapLen {
		return fmt.Errorf("pcap: writer: packet of %d bytes exceeds the snapshot length %d", len(data), writerSnapLen)
	}
	b, ok := w.appendRecordHeader(w.buf[:0], t, len(data))
	if !ok {
		return fmt.Errorf("pcap: writer: time %v out of the pcap range (1970 to 2106)", t)
	}
	w.buf = append(b, data...)
	return w.flush()
}

func (w *Writer) flush() error {
	if w.err != nil {
		return w.err
	}
	if _, err := w.w.Write(w.buf); err != nil {
		w.err = err
		return err
	}
	return nil
}

func (w *Writer) appendRecordHeader(b []byte, t time.Time, n int) ([]byte, bool) {
	sec := t.Unix()
	if sec < 0 || sec > 0xffffffff {
		return nil, false
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(sec))
	b = binary.LittleEndian.AppendUint32(b, uint32(t.Nanosecond()))
	b = binary.LittleEndian.AppendUint32(b, uint32(n))
	b = binary.LittleEndian.AppendUint32(b, uint32(n))
	return b, true
}

// endpoints checks src and dst and returns them unmapped.
func (w *Writer) endpoints(src, dst netip.AddrPort) (netip.Addr, netip.Addr, error) {
	s, d := src.Addr().Unmap().WithZone(""), dst.Addr().Unmap().WithZone("")
	switch {
	case !s.IsValid() || !d.IsValid():
		return s, d, fmt.Errorf("%w: %v -> %v: invalid address", ErrAddress, src, dst)
	case s.Is4() != d.Is4():
		return s, d, fmt.Errorf("%w: %v -> %v: mixed IPv4 and IPv6", ErrAddress, src, dst)
	case s.Is4() && w.linkType == LinkTypeIPv6, s.Is6() && w.linkType == LinkTypeIPv4,
		w.linkType == LinkTypePPPHDLC, w.linkType == LinkTypeMUX27010:
		return s, d, fmt.Errorf("%w: %v -> %v: not carried by link type %d", ErrAddress, src, dst, w.linkType)
	}
	return s, d, nil
}

// writeIP writes one record: framing + IP header + transport bytes, where
// transport is built by fill into the space it is given. fill gets the IP
// addresses to compute pseudo-header checksums.
func (w *Writer) writeIP(t time.Time, src, dst netip.Addr, proto uint8, n int, fill func(b []byte)) error {
	if n > maxIPPayload {
		return fmt.Errorf("pcap: writer: %d-byte IP payload too large", n)
	}
	if w.err != nil {
		return w.err
	}
	ipLen := ipv4Header + n
	if src.Is6() {
		ipLen = ipv6Header + n
	}
	frameLen := ipLen
	if w.linkType == LinkTypeEthernet {
		frameLen += 14
	}
	b, ok := w.appendRecordHeader(w.buf[:0], t, frameLen)
	if !ok {
		return fmt.Errorf("pcap: writer: time %v out of the pcap range (1970 to 2106)", t)
	}
	if w.linkType == LinkTypeEthernet {
		b = appendMAC(b, dst)
		b = appendMAC(b, src)
		if src.Is4() {
			b = append(b, 0x08, 0x00)
		} else {
			b = append(b, 0x86, 0xdd)
		}
	}
	ip := len(b)
	if src.Is4() {
		w.ipID++
		b = append(b, 0x45, 0)
		b = binary.BigEndian.AppendUint16(b, uint16(ipLen))
		b = binary.BigEndian.AppendUint16(b, w.ipID)
		b = append(b, 0x40, 0, 64, proto, 0, 0) // DF, TTL 64, checksum later
		s, d := src.As4(), dst.As4()
		b = append(b, s[:]...)
		b = append(b, d[:]...)
		binary.BigEndian.PutUint16(b[ip+10:], ^ippkt.Fold(ippkt.Sum(0, b[ip:])))
	} else {
		b = append(b, 0x60, 0, 0, 0)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
		b = append(b, proto, 64)
		s, d := src.As16(), dst.As16()
		b = append(b, s[:]...)
		b = append(b, d[:]...)
	}
	start := len(b)
	b = slices.Grow(b, n)[:start+n]
	clear(b[start:])
	fill(b[start:])
	w.buf = b
	return w.flush()
}

func appendMAC(b []byte, a netip.Addr) []byte {
	s := a.AsSlice()
	return append(append(b, 0x02, 0x00), s[len(s)-4:]...)
}

// pseudoSum is the one's complement sum of the IPv4 or IPv6 pseudo-header.
func pseudoSum(src, dst netip.Addr, proto uint8, n int) uint32 {
	s := ippkt.Sum(0, src.AsSlice())
	s = ippkt.Sum(s, dst.AsSlice())
	return s + uint32(proto) + uint32(n>>16) + uint32(n&0xffff)
}

// WriteUDP writes an IPv4 or IPv6 + UDP packet with a correct UDP checksum.
func (w *Writer) WriteUDP(t time.Time, src, dst netip.AddrPort, payload []byte) error {
	s, d, err := w.endpoints(src, dst)
	if err != nil {
		return err
	}
	n := 8 + len(payload)
	return w.writeIP(t, s, d, ProtoUDP, n, func(b []byte) {
		binary.BigEndian.PutUint16(b[0:], src.Port())
		binary.BigEndian.PutUint16(b[2:], dst.Port())
		binary.BigEndian.PutUint16(b[4:], uint16(n))
		copy(b[8:], payload)
		c := ^ippkt.Fold(ippkt.Sum(pseudoSum(s, d, ProtoUDP, n), b))
		if c == 0 {
			c = 0xffff
		}
		binary.BigEndian.PutUint16(b[6:], c)
	})
}

// WriteSCTP writes an IPv4 or IPv6 + SCTP packet with one DATA chunk holding
// the whole user message (B and E flags) on the given stream. TSNs increase
// per direction of the association (src, dst) from 1, SSNs per direction
// and stream from 0; the verification tag is derived from the addresses and
// the checksum is CRC32c.
func (w *Writer) WriteSCTP(t time.Time, src, dst netip.AddrPort, ppid uint32, stream uint16, payload []byte) error {
	s, d, err := w.endpoints(src, dst)
	if err != nil {
		return err
	}
	if len(payload) == 0 {
		return errors.New("pcap: writer: an SCTP DATA chunk needs at least one byte of user data")
	}
	chunkLen := 16 + len(payload)
	n := 12 + (chunkLen+3)&^3
	if n > maxIPPayload {
		return fmt.Errorf("pcap: writer: %d-byte IP payload too large", n)
	}
	key := assocKey{src, dst}
	tsn := w.tsn[key] + 1
	ssns := w.ssn[key]
	if ssns == nil {
		ssns = make(map[uint16]uint16)
		w.ssn[key] = ssns
	}
	ssn := ssns[stream]
	err = w.writeIP(t, s, d, ProtoSCTP, n, func(b []byte) {
		binary.BigEndian.PutUint16(b[0:], src.Port())
		binary.BigEndian.PutUint16(b[2:], dst.Port())
		binary.BigEndian.PutUint32(b[4:], verificationTag(dst, src))
		c := b[12:]
		c[0] = 0 // DATA
		c[1] = SCTPFlagBegin | SCTPFlagEnd
		binary.BigEndian.PutUint16(c[2:], uint16(chunkLen))
		binary.BigEndian.PutUint32(c[4:], tsn)
		binary.BigEndian.PutUint16(c[8:], stream)
		binary.BigEndian.PutUint16(c[10:], ssn)
		binary.BigEndian.PutUint32(c[12:], ppid)
		copy(c[16:], payload)
		binary.LittleEndian.PutUint32(b[8:], CRC32c(b))
	})
	if err == nil {
		w.tsn[key] = tsn
		ssns[stream] = ssn + 1
	}
	return err
}

// verificationTag is the tag that the endpoint self chose for its
// association with peer: packets sent to self carry it. It is never 0.
func verificationTag(self, peer netip.AddrPort) uint32 {
	b, _ := self.MarshalBinary()
	p, _ := peer.MarshalBinary()
	v := CRC32c(append(b, p...))
	if v == 0 {
		v = 1
	}
	return v
}
