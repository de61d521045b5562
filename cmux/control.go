package cmux

import "fmt"

// Control message types on DLC 0 (TS 27.010 §5.4.6.3): the type octet's
// six type bits, shifted past EA and C/R.
const (
	MsgPN    uint8 = 0x20 << 2 // DLC parameter negotiation (§5.4.6.3.1)
	MsgPSC   uint8 = 0x10 << 2 // power saving control
	MsgCLD   uint8 = 0x30 << 2 // multiplexer close down (§5.4.6.3.3)
	MsgTest  uint8 = 0x08 << 2 // test (§5.4.6.3.4)
	MsgFCon  uint8 = 0x28 << 2 // flow control on (§5.4.6.3.5)
	MsgFCoff uint8 = 0x18 << 2 // flow control off (§5.4.6.3.6)
	MsgMSC   uint8 = 0x38 << 2 // modem status command (§5.4.6.3.7)
	MsgNSC   uint8 = 0x04 << 2 // non supported command response (§5.4.6.3.8)
	MsgRPN   uint8 = 0x24 << 2 // remote port negotiation
	MsgRLS   uint8 = 0x14 << 2 // remote line status
	MsgSNC   uint8 = 0x34 << 2 // service negotiation
)

// V.24 signals of an MSC (§5.4.6.3.7): the signal octet's bits.
const (
	SigFC  uint8 = 0x02 // flow control: the sender cannot take frames
	SigRTC uint8 = 0x04 // ready to communicate (DTR, DSR)
	SigRTR uint8 = 0x08 // ready to receive (RTS, CTS)
	SigIC  uint8 = 0x40 // incoming call (RI)
	SigDV  uint8 = 0x80 // data valid (DCD)
)

// Msg is a control message (§5.4.6.1): Type (with EA and C/R removed),
// command or response, and its value octets.
type Msg struct {
	Type    uint8
	Command bool
	Value   []byte
}

// ParseMsgs reads the control messages of a UIH frame on DLC 0.
func ParseMsgs(b []byte) ([]Msg, error) {
	var out []Msg
	for len(b) > 0 {
		if len(b) < 2 || b[0]&1 == 0 {
			return out, fmt.Errorf("cmux: control message type: %w", ErrMalformed)
		}
		m := Msg{Type: b[0] &^ 3, Command: b[0]&2 != 0}
		n, i := 0, 1
		for shift := 0; ; shift += 7 {
			if i >= len(b) || shift > 14 {
				return out, fmt.Errorf("cmux: control message length: %w", ErrMalformed)
			}
			n |= int(b[i]>>1) << shift
			i++
			if b[i-1]&1 != 0 {
				break
			}
		}
		if i+n > len(b) {
			return out, fmt.Errorf("cmux: control message of %d octets in %d: %w", n, len(b)-i, ErrMalformed)
		}
		m.Value = b[i : i+n]
		out = append(out, m)
		b = b[i+n:]
	}
	return out, nil
}

// Append appends the encoded message.
func (m Msg) Append(dst []byte) []byte {
	t := m.Type | 1
	if m.Command {
		t |= 2
	}
	dst = append(dst, t)
	if n := len(m.Value); n > 127 {
		dst = append(dst, byte(n<<1), byte(n>>7<<1|1))
	} else {
		dst = append(dst, byte(n<<1|1))
	}
	return append(dst, m.Value...)
}
