package ppp

import (
	"encoding/binary"
	"fmt"
)

// Code is the Code field of an LCP or NCP packet (RFC 1661 §5).
type Code uint8

// Codes (RFC 1661 §5.1–5.8; IPCP and IPv6CP use 1–7).
const (
	ConfReq    Code = 1
	ConfAck    Code = 2
	ConfNak    Code = 3
	ConfRej    Code = 4
	TermReq    Code = 5
	TermAck    Code = 6
	CodeRej    Code = 7
	ProtoRej   Code = 8
	EchoReq    Code = 9
	EchoReply  Code = 10
	DiscardReq Code = 11
)

var codeNames = [...]string{"", "Configure-Request", "Configure-Ack", "Configure-Nak", "Configure-Reject",
	"Terminate-Request", "Terminate-Ack", "Code-Reject", "Protocol-Reject", "Echo-Request", "Echo-Reply", "Discard-Request"}

func (c Code) String() string {
	if int(c) < len(codeNames) && c > 0 {
		return codeNames[c]
	}
	return fmt.Sprintf("code %d", uint8(c))
}

// Packet is an LCP or NCP packet (RFC 1661 §5):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     Code      |  Identifier   |            Length             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|    Data ...
//	+-+-+-+-+
type Packet struct {
	Code Code
	ID   uint8
	Data []byte
}

// ParsePacket reads a packet; octets after Length are padding and are
// dropped (RFC 1661 §5).
func ParsePacket(b []byte) (Packet, error) {
	if len(b) < 4 {
		return Packet{}, fmt.Errorf("ppp: packet of %d octets, shorter than its header: %w", len(b), ErrMalformed)
	}
	n := int(binary.BigEndian.Uint16(b[2:]))
	if n < 4 || n > len(b) {
		return Packet{}, fmt.Errorf("ppp: packet length %d with %d octets: %w", n, len(b), ErrMalformed)
	}
	return Packet{Code: Code(b[0]), ID: b[1], Data: b[4:n]}, nil
}

// Append appends the encoded packet.
func (p Packet) Append(dst []byte) []byte {
	dst = append(dst, byte(p.Code), p.ID)
	dst = binary.BigEndian.AppendUint16(dst, uint16(4+len(p.Data)))
	return append(dst, p.Data...)
}

// Option is a configuration option (RFC 1661 §6): Type, Length, Data.
type Option struct {
	Type uint8
	Data []byte
}

// ParseOptions reads the options of a Configure packet.
func ParseOptions(b []byte) ([]Option, error) {
	var opts []Option
	for len(b) > 0 {
		if len(b) < 2 || b[1] < 2 || int(b[1]) > len(b) {
			return nil, fmt.Errorf("ppp: option with a bad length: %w", ErrMalformed)
		}
		opts = append(opts, Option{Type: b[0], Data: b[2:b[1]]})
		b = b[b[1]:]
	}
	return opts, nil
}

// AppendOptions appends the encoded options.
func AppendOptions(dst []byte, opts []Option) []byte {
	for _, o := range opts {
		dst = append(dst, o.Type, byte(2+len(o.Data)))
		dst = append(dst, o.Data...)
	}
	return dst
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
