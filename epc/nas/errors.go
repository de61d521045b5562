package nas

import (
	"errors"
	"fmt"
)

// Sentinel errors. Typed errors below wrap or stand beside them; test with
// errors.Is / errors.As.
var (
	// ErrShortBuffer is returned by MarshalTo when the buffer is smaller
	// than MarshalLen.
	ErrShortBuffer = errors.New("nas: buffer too short")
	// ErrTooLong is returned by Marshal when a value does not fit the
	// length field of its IE (LV/TLV: 255 octets, LV-E/TLV-E: 65535).
	ErrTooLong = errors.New("nas: value too long for its length field")
	// ErrInvalidValue is wrapped by InvalidIEError for a value that breaks
	// the IE's coding rules (bad BCD digit, reserved list type, ...).
	ErrInvalidValue = errors.New("nas: invalid value")
	// ErrTrailingData is returned for octets after a message that has no
	// IE grammar to absorb them (the 4-octet SERVICE REQUEST).
	ErrTrailingData = errors.New("nas: trailing data")
	// ErrMessageMismatch is returned by a message's UnmarshalBinary when
	// the octets carry another protocol discriminator or message type.
	ErrMessageMismatch = errors.New("nas: protocol discriminator or message type does not match")
	// ErrEmpty is returned when Parse is given no octets.
	ErrEmpty = errors.New("nas: empty message")
)

// TruncatedError reports a message that ends inside an IE: Want octets were
// needed at Offset (from the start of the message being decoded) and
// fewer were left.
type TruncatedError struct {
	Offset int
	Want   int
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("nas: truncated at offset %d: want %d octet(s)", e.Offset, e.Want)
}

// UnknownMessageError reports a message type that TS 24.301 §9.8 does not
// define for the protocol discriminator (§7.4: "message type non-existent").
// Message types that are defined but not modelled here parse as
// *RawMessage instead.
type UnknownMessageError struct {
	PD   ProtocolDiscriminator
	Type MessageType
}

func (e UnknownMessageError) Error() string {
	return fmt.Sprintf("nas: unknown %s message type 0x%02x", e.PD, uint8(e.Type))
}

// ProtocolError reports a first octet that is not an EPS NAS message: a
// protocol discriminator other than EMM (7) or ESM (2), or a reserved
// security header type (TS 24.301 §9.2, §9.3.1).
type ProtocolError struct {
	PD             ProtocolDiscriminator
	SecurityHeader SecurityHeaderType
}

func (e ProtocolError) Error() string {
	if e.PD == PDEMM {
		return fmt.Sprintf("nas: reserved security header type %d", uint8(e.SecurityHeader))
	}
	return fmt.Sprintf("nas: protocol discriminator %d is not EPS NAS", uint8(e.PD))
}

// MissingIEError reports a message that ends before one of its mandatory
// IEs (TS 24.301 §7.5.1). Mandatory IEs have no IEI: IEI is 0 and Name
// says which IE it is.
type MissingIEError struct {
	IEI  uint8
	Name string
}

func (e *MissingIEError) Error() string {
	return fmt.Sprintf("nas: missing mandatory IE %s", e.Name)
}

// InvalidIEError reports a mandatory IE whose value is syntactically
// incorrect (TS 24.301 §7.5.2). Syntactically incorrect optional IEs are
// not errors: they are kept in the message's Extra list, as §7.5.2 treats
// them as not present.
type InvalidIEError struct {
	IEI  uint8
	Name string
	Err  error
}

func (e *InvalidIEError) Error() string {
	return fmt.Sprintf("nas: invalid IE %s: %v", e.Name, e.Err)
}

func (e *InvalidIEError) Unwrap() error { return e.Err }

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidValue}, args...)...)
}
