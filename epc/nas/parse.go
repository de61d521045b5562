package nas

// Direction tells Parse which way a message travels. Only DETACH REQUEST
// needs it (the same message type has a UE form and a network form).
type Direction uint8

// Directions.
const (
	DirectionUnknown Direction = iota
	Uplink                     // UE to network
	Downlink                   // network to UE
)

// message is what every decoded message implements.
type message interface {
	Message
	encodable
	decode(d *decoder)
}

// Parse decodes an EPS NAS message of unknown direction: a plain EMM or
// ESM message (TS 24.301 §8), a security protected NAS message (§9.1) or
// a SERVICE REQUEST (§8.2.25). It dispatches on the protocol
// discriminator, the security header type and the message type. A DETACH
// REQUEST is taken as sent by the UE when it decodes as such, else as
// sent by the network. b is copied; slices in the message alias the copy.
func Parse(b []byte) (Message, error) { return ParseDirection(b, DirectionUnknown) }

// ParseDirection is Parse for a known direction.
func ParseDirection(b []byte, dir Direction) (Message, error) {
	if len(b) == 0 {
		return nil, ErrEmpty
	}
	b = append(make([]byte, 0, len(b)), b...)
	pd := ProtocolDiscriminator(b[0] & 0x0f)
	if pd == PDEMM {
		h := SecurityHeaderType(b[0] >> 4)
		var m message
		switch {
		case h == PlainNAS:
			return parsePlain(b, dir)
		case h <= IntegrityProtectedPartlyCiphered:
			m = new(SecurityProtected)
		case h >= ServiceRequestHeader:
			m = new(ServiceRequest)
		default:
			return nil, ProtocolError{PD: pd, SecurityHeader: h}
		}
		return decodeMessage(m, b, dir)
	}
	return parsePlain(b, dir)
}

// parsePlain decodes a plain EMM or ESM message in place (b is not copied).
func parsePlain(b []byte, dir Direction) (Message, error) {
	if len(b) == 0 {
		return nil, ErrEmpty
	}
	pd := ProtocolDiscriminator(b[0] & 0x0f)
	var t MessageType
	switch pd {
	case PDEMM:
		if h := SecurityHeaderType(b[0] >> 4); h != PlainNAS {
			return nil, ProtocolError{PD: pd, SecurityHeader: h}
		}
		if len(b) < 2 {
			return nil, &TruncatedError{Offset: 1, Want: 1}
		}
		t = MessageType(b[1])
	case PDESM:
		if len(b) < 3 {
			return nil, &TruncatedError{Offset: len(b), Want: 3 - len(b)}
		}
		t = MessageType(b[2])
	default:
		return nil, ProtocolError{PD: pd}
	}
	if !t.Defined() || t.PD() != pd {
		return nil, UnknownMessageError{PD: pd, Type: t}
	}
	if t == TypeDetachRequest {
		switch dir {
		case Uplink:
			return decodeMessage(new(DetachRequest), b, dir)
		case Downlink:
			return decodeMessage(new(NetworkDetachRequest), b, dir)
		}
		if m, err := decodeMessage(new(DetachRequest), b, dir); err == nil {
			return m, nil
		}
		return decodeMessage(new(NetworkDetachRequest), b, dir)
	}
	return decodeMessage(newMessage(t), b, dir)
}

func decodeMessage(m message, b []byte, dir Direction) (Message, error) {
	if err := runDecode(m, b, dir); err != nil {
		return nil, err
	}
	return m, nil
}

// newMessage returns the model of a defined plain message type (from the
// table methods.go generates), or a RawMessage.
func newMessage(t MessageType) message {
	if f := messageNew[t]; f != nil {
		return f()
	}
	return new(RawMessage)
}
