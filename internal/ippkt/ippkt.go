package ippkt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// Header sizes (RFC 791 §3.1, RFC 768).
const (
	IPv4HeaderLen = 20
	UDPHeaderLen  = 8
	// ProtoUDP is the IPv4 protocol number of UDP.
	ProtoUDP = 17
	// DefaultTTL is the TTL of packets built here.
	DefaultTTL = 64
)

// Errors Parse returns, wrapped with detail.
var (
	ErrShort    = errors.New("packet too short")
	ErrVersion  = errors.New("not IPv4")
	ErrLength   = errors.New("length field disagrees with the packet")
	ErrChecksum = errors.New("bad checksum")
	ErrFragment = errors.New("fragmented packet")
	ErrProtocol = errors.New("not UDP")
)

// UDP is one UDP datagram between two IPv4 endpoints.
type UDP struct {
	Src, Dst netip.AddrPort
	Payload  []byte
	// ID, TTL and DF are the IPv4 identification, time to live (0: 64)
	// and don't-fragment flag.
	ID  uint16
	TTL uint8
	DF  bool
}

// Len is the length of the packet Marshal builds.
func (u *UDP) Len() int { return IPv4HeaderLen + UDPHeaderLen + len(u.Payload) }

// Marshal builds the IPv4 packet with valid IP and UDP checksums.
func (u *UDP) Marshal() ([]byte, error) { return u.AppendTo(nil) }

// AppendTo appends the packet to b.
func (u *UDP) AppendTo(b []byte) ([]byte, error) {
	if !u.Src.Addr().Is4() || !u.Dst.Addr().Is4() {
		return b, fmt.Errorf("ippkt: %v → %v: only IPv4 addresses", u.Src, u.Dst)
	}
	total := u.Len()
	if total > 0xffff {
		return b, fmt.Errorf("ippkt: %d-byte payload: at most %d", len(u.Payload), 0xffff-IPv4HeaderLen-UDPHeaderLen)
	}
	start := len(b)
	b = append(b, make([]byte, IPv4HeaderLen+UDPHeaderLen)...)
	b = append(b, u.Payload...)
	p := b[start:]
	ip := p[:IPv4HeaderLen]
	ip[0] = 0x45 // version 4, IHL 5
	binary.BigEndian.PutUint16(ip[2:], uint16(total))
	binary.BigEndian.PutUint16(ip[4:], u.ID)
	if u.DF {
		ip[6] = 0x40
	}
	ip[8] = u.TTL
	if ip[8] == 0 {
		ip[8] = DefaultTTL
	}
	ip[9] = ProtoUDP
	src, dst := u.Src.Addr().As4(), u.Dst.Addr().As4()
	copy(ip[12:16], src[:])
	copy(ip[16:20], dst[:])
	binary.BigEndian.PutUint16(ip[10:], ^Fold(Sum(0, ip)))
	udp := p[IPv4HeaderLen:]
	binary.BigEndian.PutUint16(udp[0:], u.Src.Port())
	binary.BigEndian.PutUint16(udp[2:], u.Dst.Port())
	binary.BigEndian.PutUint16(udp[4:], uint16(len(udp)))
	c := ^Fold(Sum(pseudo(src, dst, len(udp)), udp))
	if c == 0 {
		c = 0xffff // RFC 768: a computed zero is sent as all ones
	}
	binary.BigEndian.PutUint16(udp[6:], c)
	return b, nil
}

// Parse reads an IPv4/UDP packet. Payload aliases b.
func Parse(b []byte) (*UDP, error) {
	if len(b) < IPv4HeaderLen {
		return nil, fmt.Errorf("ippkt: %d bytes: %w (IPv4 header is %d)", len(b), ErrShort, IPv4HeaderLen)
	}
	if b[0]>>4 != 4 {
		return nil, fmt.Errorf("ippkt: version %d: %w", b[0]>>4, ErrVersion)
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:]))
	if ihl < IPv4HeaderLen || total < ihl || total > len(b) || len(b) < ihl {
		return nil, fmt.Errorf("ippkt: header length %d, total length %d, %d bytes: %w", ihl, total, len(b), ErrLength)
	}
	if Fold(Sum(0, b[:ihl])) != 0xffff {
		return nil, fmt.Errorf("ippkt: IPv4 header: %w", ErrChecksum)
	}
	if frag := binary.BigEndian.Uint16(b[6:]); frag&0x2000 != 0 || frag&0x1fff != 0 {
		return nil, fmt.Errorf("ippkt: %w", ErrFragment)
	}
	if b[9] != ProtoUDP {
		return nil, fmt.Errorf("ippkt: protocol %d: %w", b[9], ErrProtocol)
	}
	udp := b[ihl:total]
	if len(udp) < UDPHeaderLen {
		return nil, fmt.Errorf("ippkt: UDP: %d bytes: %w", len(udp), ErrShort)
	}
	ulen := int(binary.BigEndian.Uint16(udp[4:]))
	if ulen < UDPHeaderLen || ulen > len(udp) {
		return nil, fmt.Errorf("ippkt: UDP length %d in %d bytes: %w", ulen, len(udp), ErrLength)
	}
	udp = udp[:ulen]
	var src, dst [4]byte
	copy(src[:], b[12:16])
	copy(dst[:], b[16:20])
	if binary.BigEndian.Uint16(udp[6:]) != 0 && Fold(Sum(pseudo(src, dst, ulen), udp)) != 0xffff {
		return nil, fmt.Errorf("ippkt: UDP: %w", ErrChecksum)
	}
	return &UDP{
		Src:     netip.AddrPortFrom(netip.AddrFrom4(src), binary.BigEndian.Uint16(udp[0:])),
		Dst:     netip.AddrPortFrom(netip.AddrFrom4(dst), binary.BigEndian.Uint16(udp[2:])),
		Payload: udp[UDPHeaderLen:],
		ID:      binary.BigEndian.Uint16(b[4:]),
		TTL:     b[8],
		DF:      b[6]&0x40 != 0,
	}, nil
}

// Sum adds b as big-endian 16-bit words to the one's complement sum s
// (RFC 1071); Fold folds it to 16 bits. ^Fold(Sum(...)) is the Internet
// checksum.
func Sum(s uint32, b []byte) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

// Fold folds a one's complement sum to 16 bits.
func Fold(s uint32) uint16 {
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}

// pseudo is the sum of the UDP pseudo-header (RFC 768).
func pseudo(src, dst [4]byte, n int) uint32 {
	s := Sum(0, src[:])
	s = Sum(s, dst[:])
	return s + ProtoUDP + uint32(n)
}
