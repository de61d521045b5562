package nas

// SecurityProtected is a security protected NAS message (TS 24.301
// §8.2.23, §9.1, figure 9.1.1 and §9.3.1 types 0001-0101): security header type,
// message authentication code, sequence number and the NAS message, which
// is plain (integrity protected only, or ciphered with EEA0) or ciphered.
//
// Parse fills Message when Payload decodes as a plain EMM or ESM message;
// otherwise Message is nil and Payload is taken as ciphered. A codec
// without the NAS security context cannot tell null ciphering from
// ciphertext that happens to decode, so for header types 2, 4 and 5
// Message is a best guess: whoever holds the keys should decipher Payload
// and call Parse on the result.
type SecurityProtected struct {
	HeaderType     SecurityHeaderType // 1 to 5
	MAC            uint32
	SequenceNumber uint8
	// Payload is the NAS message as carried. Marshal writes Payload when it
	// is not nil, else the encoding of Message.
	Payload []byte
	// Message is the decoded Payload (nil when it does not decode).
	Message Message
}

// NewSecurityProtected wraps a plain message, encoding it into Payload.
func NewSecurityProtected(h SecurityHeaderType, mac uint32, seq uint8, m Message) (*SecurityProtected, error) {
	p, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	return &SecurityProtected{HeaderType: h, MAC: mac, SequenceNumber: seq, Payload: p, Message: m}, nil
}

// Ciphered reports whether the payload did not decode as a plain message.
func (m *SecurityProtected) Ciphered() bool { return m.Message == nil }

// MessageTypeName is "Security protected NAS message".
func (m *SecurityProtected) MessageTypeName() string { return "Security protected NAS message" }

func (m *SecurityProtected) encode(e *encoder) {
	if m.HeaderType < IntegrityProtected || m.HeaderType > IntegrityProtectedPartlyCiphered {
		e.fail(invalidf("security header type %d", m.HeaderType))
	}
	e.u8(uint8(m.HeaderType)<<4 | uint8(PDEMM))
	e.u32(m.MAC)
	e.u8(m.SequenceNumber)
	switch {
	case m.Payload != nil:
		e.raw(m.Payload)
	case m.Message != nil:
		if inner, ok := m.Message.(encodable); ok {
			inner.encode(e)
		} else {
			e.fail(invalidf("inner message %T", m.Message))
		}
	default:
		e.fail(&MissingIEError{Name: "NAS message"})
	}
}

func (m *SecurityProtected) decode(d *decoder) {
	if !d.need(1) {
		return
	}
	h := d.b[d.off]
	m.HeaderType = SecurityHeaderType(h >> 4)
	if h&0x0f != uint8(PDEMM) || m.HeaderType < IntegrityProtected || m.HeaderType > IntegrityProtectedPartlyCiphered {
		d.fail(ErrMessageMismatch)
		return
	}
	d.off++
	if !d.mandatory("message authentication code") {
		return
	}
	m.MAC = d.u32()
	m.SequenceNumber = d.v1("sequence number")
	if !d.mandatory("NAS message") {
		return
	}
	m.Payload = d.bytes(d.left())
	if inner, err := parsePlain(m.Payload, d.dir); err == nil {
		m.Message = inner
	}
}

// MarshalLen is the length of the encoding.
func (m *SecurityProtected) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b.
func (m *SecurityProtected) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *SecurityProtected) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b.
func (m *SecurityProtected) UnmarshalBinary(b []byte) error {
	*m = SecurityProtected{}
	return unmarshal(m, b)
}
