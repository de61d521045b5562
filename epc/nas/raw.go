package nas

// RawMessage is a message that TS 24.301 §9.8 defines but this package
// does not model (CS SERVICE NOTIFICATION, generic NAS transport, bearer
// resource allocation/modification, NOTIFICATION, remote UE report, ...):
// the header is decoded and the IEs after the message type are kept as
// Body, so that it re-encodes unchanged.
type RawMessage struct {
	Type MessageType
	// ESMHeader is the EPS bearer identity and PTI of an ESM message
	// (zero for EMM).
	ESMHeader
	Body []byte
}

// MessageType returns m.Type.
func (m *RawMessage) MessageType() MessageType { return m.Type }

// MessageTypeName is the name of m.Type.
func (m *RawMessage) MessageTypeName() string { return m.Type.String() }

func (m *RawMessage) encode(e *encoder) {
	if m.Type.PD() == PDESM {
		m.encodeHeader(e, m.Type)
	} else {
		encodeEMMHeader(e, m.Type)
	}
	e.raw(m.Body)
}

func (m *RawMessage) decode(d *decoder) {
	if !d.need(2) {
		return
	}
	b := d.b[d.off:]
	if b[0]&0x0f == uint8(PDESM) {
		if !d.need(3) {
			return
		}
		m.Type = MessageType(b[2])
		if m.Type.PD() != PDESM || !m.decodeHeader(d, m.Type) {
			d.fail(ErrMessageMismatch)
			return
		}
	} else {
		m.Type = MessageType(b[1])
		if m.Type.PD() != PDEMM || !decodeEMMHeader(d, m.Type) {
			d.fail(ErrMessageMismatch)
			return
		}
	}
	m.Body = d.bytes(d.left())
}

// MarshalLen is the length of the encoding.
func (m *RawMessage) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b.
func (m *RawMessage) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *RawMessage) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b.
func (m *RawMessage) UnmarshalBinary(b []byte) error {
	*m = RawMessage{}
	return unmarshal(m, b)
}
