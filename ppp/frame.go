package ppp

import (
	"encoding/binary"
	"fmt"
)

// Protocol field values (RFC 1661 §2; IANA's PPP DLL protocol numbers).
const (
	ProtoIPv4   uint16 = 0x0021
	ProtoIPv6   uint16 = 0x0057
	ProtoIPCP   uint16 = 0x8021
	ProtoIPv6CP uint16 = 0x8057
	ProtoCCP    uint16 = 0x80fd
	ProtoLCP    uint16 = 0xc021
	ProtoPAP    uint16 = 0xc023
	ProtoCHAP   uint16 = 0xc223
)

// The octets of RFC 1662 §3.1 and §4.2.
const (
	flagSeq  = 0x7e // Flag Sequence
	ctrlEsc  = 0x7d // Control Escape
	escXOR   = 0x20 // an escaped octet is sent XORed with this
	addrAll  = 0xff // All-Stations address
	ctrlUI   = 0x03 // Unnumbered Information
	maxFrame = 2048 // longest frame received (octets between flags, unescaped)
)

// Framing is how frames are sent to the peer: what its LCP options asked.
type Framing struct {
	// ACCM is the Async-Control-Character-Map the peer asked for: bit n
	// set means the control character n is sent escaped (RFC 1662 §7.1).
	ACCM uint32
	// ACFC and PFC: the peer accepts compressed Address and Control
	// fields and Protocol fields (RFC 1661 §6.5, §6.6).
	ACFC, PFC bool
	// FCS32: the peer asked for the 32-bit FCS (RFC 1570 §2.1).
	FCS32 bool
}

// DefaultFraming is the framing before LCP is open, and of every LCP
// packet: every control character escaped, no field compressed, the
// 16-bit FCS (RFC 1662 §7.1, RFC 1661 §6.5).
var DefaultFraming = Framing{ACCM: 0xffffffff}

// AppendFrame appends the frame of one packet: Flag, Address and Control,
// Protocol, the information field, FCS, Flag, escaped per RFC 1662 §4.2.
func (f Framing) AppendFrame(dst []byte, proto uint16, info []byte) []byte {
	hdr := make([]byte, 0, 4+len(info)+4)
	if !f.ACFC || proto == ProtoLCP {
		hdr = append(hdr, addrAll, ctrlUI)
	}
	if f.PFC && proto < 0x100 {
		hdr = append(hdr, byte(proto))
	} else {
		hdr = binary.BigEndian.AppendUint16(hdr, proto)
	}
	hdr = append(hdr, info...)
	if f.FCS32 {
		hdr = binary.LittleEndian.AppendUint32(hdr, FCS32(hdr))
	} else {
		hdr = binary.LittleEndian.AppendUint16(hdr, FCS16(hdr))
	}
	dst = append(dst, flagSeq)
	for _, c := range hdr {
		if c == flagSeq || c == ctrlEsc || c < 0x20 && f.ACCM&(1<<c) != 0 {
			dst = append(dst, ctrlEsc, c^escXOR)
			continue
		}
		dst = append(dst, c)
	}
	return append(dst, flagSeq)
}

// Frame is one received packet.
type Frame struct {
	Proto uint16
	Info  []byte
}

// Deframer splits the bytes received from the port into frames (RFC 1662
// §4): it removes the escapes, checks the FCS and the fields, and counts
// what it discards. The zero value expects the 16-bit FCS.
type Deframer struct {
	// FCS32: frames carry the 32-bit FCS (as negotiated).
	FCS32 bool
	// RxACCM: control characters that arrive unescaped and are in this
	// map were added by the link and are dropped (RFC 1662 §7.1).
	RxACCM uint32

	buf  []byte
	esc  bool
	long bool // the frame in progress is too long: discarded at its flag

	Stats DeframerStats
}

// DeframerStats counts the frames a Deframer discarded.
type DeframerStats struct {
	Frames  int64 // good frames
	BadFCS  int64
	TooLong int64
	Aborted int64 // ended by Control Escape, Flag (RFC 1662 §4.3)
	BadHdr  int64 // too short, bad Address/Control or Protocol field
}

// Feed takes bytes received from the port and appends the good frames
// completed by them to frames.
func (d *Deframer) Feed(b []byte, frames []Frame) []Frame {
	for _, c := range b {
		switch {
		case c == flagSeq:
			if d.esc {
				d.Stats.Aborted++
			} else if d.long {
				d.Stats.TooLong++
			} else if len(d.buf) > 0 {
				if fr, ok := d.frame(); ok {
					frames = append(frames, fr)
				}
			}
			d.buf, d.esc, d.long = d.buf[:0], false, false
		case c < 0x20 && d.RxACCM&(1<<c) != 0:
			// added by the link: ignored
		case c == ctrlEsc:
			d.esc = true
		default:
			if d.esc {
				c ^= escXOR
				d.esc = false
			}
			if len(d.buf) >= maxFrame {
				d.long = true
				continue
			}
			d.buf = append(d.buf, c)
		}
	}
	return frames
}

// frame checks and parses the frame in d.buf.
func (d *Deframer) frame() (Frame, bool) {
	b := d.buf
	n := 2
	if d.FCS32 {
		n = 4
	}
	if len(b) < n+1 {
		d.Stats.BadHdr++
		return Frame{}, false
	}
	if !goodFCS(b, d.FCS32) {
		d.Stats.BadFCS++
		return Frame{}, false
	}
	fr, err := ParseFrame(b[:len(b)-n])
	if err != nil {
		d.Stats.BadHdr++
		return Frame{}, false
	}
	fr.Info = append([]byte(nil), fr.Info...)
	d.Stats.Frames++
	return fr, true
}

// ParseFrame reads the Address, Control and Protocol fields of an
// unescaped frame without its FCS; compressed fields are accepted whether
// or not they were negotiated (RFC 1661 §6.5, §6.6: a receiver may be
// liberal).
func ParseFrame(b []byte) (Frame, error) {
	if len(b) >= 2 && b[0] == addrAll {
		if b[1] != ctrlUI {
			return Frame{}, fmt.Errorf("ppp: control field %#02x, want 0x03: %w", b[1], ErrMalformed)
		}
		b = b[2:]
	}
	if len(b) == 0 {
		return Frame{}, fmt.Errorf("ppp: no protocol field: %w", ErrMalformed)
	}
	if b[0]&1 == 1 {
		return Frame{Proto: uint16(b[0]), Info: b[1:]}, nil
	}
	if len(b) < 2 || b[1]&1 == 0 {
		return Frame{}, fmt.Errorf("ppp: bad protocol field: %w", ErrMalformed)
	}
	return Frame{Proto: binary.BigEndian.Uint16(b), Info: b[2:]}, nil
}
