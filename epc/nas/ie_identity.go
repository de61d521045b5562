package nas

import (
	"fmt"

	"github.com/nbsim/nbsim/gpp"
)

// EPSIdentityType is the type of identity of an EPS mobile identity
// (TS 24.301 §9.9.3.12, octet 3 bits 3-1).
type EPSIdentityType uint8

// EPS mobile identity types.
const (
	EPSIdentityIMSI EPSIdentityType = 1
	EPSIdentityIMEI EPSIdentityType = 3
	EPSIdentityGUTI EPSIdentityType = 6
)

// GUTI is the globally unique temporary identity (TS 23.003 §2.8).
type GUTI struct {
	PLMN       PLMN
	MMEGroupID uint16
	MMECode    uint8
	MTMSI      uint32
}

func (g GUTI) String() string {
	return fmt.Sprintf("%s/%04x/%02x/%08x", g.PLMN, g.MMEGroupID, g.MMECode, g.MTMSI)
}

// EPSMobileIdentity is TS 24.301 §9.9.3.12: an IMSI, an IMEI (decimal
// digits, odd/even indication derived from their count) or a GUTI.
type EPSMobileIdentity struct {
	Type EPSIdentityType
	// Digits is the IMSI or IMEI (Type EPSIdentityIMSI / EPSIdentityIMEI).
	Digits string
	// GUTI is set for Type EPSIdentityGUTI.
	GUTI GUTI
	// Raw is the whole value for a reserved type of identity (kept as is);
	// nil for the types above.
	Raw []byte
}

// NewIMSI returns an EPS mobile identity holding an IMSI.
func NewIMSI(digits string) EPSMobileIdentity {
	return EPSMobileIdentity{Type: EPSIdentityIMSI, Digits: digits}
}

// NewGUTI returns an EPS mobile identity holding a GUTI.
func NewGUTI(g GUTI) EPSMobileIdentity { return EPSMobileIdentity{Type: EPSIdentityGUTI, GUTI: g} }

func (id *EPSMobileIdentity) String() string {
	switch {
	case id.Raw != nil:
		return fmt.Sprintf("identity type %d %x", id.Type, id.Raw)
	case id.Type == EPSIdentityGUTI:
		return "GUTI " + id.GUTI.String()
	case id.Type == EPSIdentityIMEI:
		return "IMEI " + id.Digits
	}
	return "IMSI " + id.Digits
}

func (id *EPSMobileIdentity) encodeValue(e *encoder) {
	if id.Raw != nil {
		e.raw(id.Raw)
		return
	}
	switch id.Type {
	case EPSIdentityIMSI, EPSIdentityIMEI:
		encodeDigits(e, uint8(id.Type), id.Digits)
	case EPSIdentityGUTI:
		e.u8(0xf0 | uint8(EPSIdentityGUTI))
		e.raw(id.GUTI.PLMN[:])
		e.u16(id.GUTI.MMEGroupID)
		e.u8(id.GUTI.MMECode)
		e.u32(id.GUTI.MTMSI)
	default:
		e.fail(invalidf("EPS mobile identity type %d without Raw value", id.Type))
	}
}

func (id *EPSMobileIdentity) decodeValue(v []byte) error {
	*id = EPSMobileIdentity{}
	if len(v) == 0 {
		return invalidf("empty EPS mobile identity")
	}
	id.Type = EPSIdentityType(v[0] & 0x07)
	switch id.Type {
	case EPSIdentityIMSI, EPSIdentityIMEI:
		s, err := decodeDigits(v)
		id.Digits = s
		return err
	case EPSIdentityGUTI:
		if len(v) != 11 {
			return invalidf("GUTI of %d octets, want 11", len(v))
		}
		copy(id.GUTI.PLMN[:], v[1:4])
		id.GUTI.MMEGroupID = uint16(v[4])<<8 | uint16(v[5])
		id.GUTI.MMECode = v[6]
		id.GUTI.MTMSI = uint32(v[7])<<24 | uint32(v[8])<<16 | uint32(v[9])<<8 | uint32(v[10])
		return nil
	}
	id.Raw = v
	return nil
}

// MarshalBinary encodes the IE's value part (no IEI, no length).
func (id *EPSMobileIdentity) MarshalBinary() ([]byte, error) { return marshalValue(id) }

// UnmarshalBinary decodes the IE's value part.
func (id *EPSMobileIdentity) UnmarshalBinary(b []byte) error {
	return id.decodeValue(append([]byte(nil), b...))
}

// MobileIdentityType is the type of identity of a mobile identity
// (TS 24.008 §10.5.1.4, octet 3 bits 3-1).
type MobileIdentityType uint8

// Mobile identity types (TS 24.008 table 10.5.4).
const (
	MobileIdentityNone   MobileIdentityType = 0
	MobileIdentityIMSI   MobileIdentityType = 1
	MobileIdentityIMEI   MobileIdentityType = 2
	MobileIdentityIMEISV MobileIdentityType = 3
	MobileIdentityTMSI   MobileIdentityType = 4 // TMSI/P-TMSI/M-TMSI
	MobileIdentityTMGI   MobileIdentityType = 5
)

// MobileIdentity is TS 24.008 §10.5.1.4 as TS 24.301 borrows it (identity
// response, IMEISV in security mode complete, M-TMSI in extended service
// request, MS identity).
type MobileIdentity struct {
	Type MobileIdentityType
	// Digits is the IMSI, IMEI or IMEISV.
	Digits string
	// TMSI is the TMSI/P-TMSI/M-TMSI (Type MobileIdentityTMSI).
	TMSI uint32
	// Raw is the whole value for "no identity", TMGI and reserved types.
	Raw []byte
}

func (id *MobileIdentity) encodeValue(e *encoder) {
	if id.Raw != nil {
		e.raw(id.Raw)
		return
	}
	switch id.Type {
	case MobileIdentityIMSI, MobileIdentityIMEI, MobileIdentityIMEISV:
		encodeDigits(e, uint8(id.Type), id.Digits)
	case MobileIdentityTMSI:
		e.u8(0xf0 | uint8(MobileIdentityTMSI))
		e.u32(id.TMSI)
	default:
		e.fail(invalidf("mobile identity type %d without Raw value", id.Type))
	}
}

func (id *MobileIdentity) decodeValue(v []byte) error {
	*id = MobileIdentity{}
	if len(v) == 0 {
		return invalidf("empty mobile identity")
	}
	id.Type = MobileIdentityType(v[0] & 0x07)
	switch id.Type {
	case MobileIdentityIMSI, MobileIdentityIMEI, MobileIdentityIMEISV:
		s, err := decodeDigits(v)
		id.Digits = s
		return err
	case MobileIdentityTMSI:
		if len(v) != 5 {
			return invalidf("TMSI identity of %d octets, want 5", len(v))
		}
		id.TMSI = uint32(v[1])<<24 | uint32(v[2])<<16 | uint32(v[3])<<8 | uint32(v[4])
		return nil
	}
	id.Raw = v
	return nil
}

// MarshalBinary encodes the IE's value part (no IEI, no length).
func (id *MobileIdentity) MarshalBinary() ([]byte, error) { return marshalValue(id) }

// UnmarshalBinary decodes the IE's value part.
func (id *MobileIdentity) UnmarshalBinary(b []byte) error {
	return id.decodeValue(append([]byte(nil), b...))
}

// encodeDigits writes an identity of BCD digits (TS 24.008 §10.5.1.4):
// digit 1 in bits 8-5 of the first octet with the odd/even indication
// (bit 4) and the type of identity; then the other digits packed as TBCD
// (gpp.AppendTBCD: two an octet, the second in bits 8-5, the end mark 1111
// when the number of digits is even).
func encodeDigits(e *encoder, typ uint8, s string) {
	if len(s) == 0 {
		e.fail(invalidf("identity without digits"))
		return
	}
	rest, err := gpp.TBCD(s[1:])
	if err != nil || s[0] < '0' || s[0] > '9' {
		e.fail(invalidf("identity digits %q", s))
		return
	}
	odd := uint8(len(s) & 1)
	e.u8((s[0]-'0')<<4 | odd<<3 | typ)
	e.raw(rest)
}

// decodeDigits reads the digits of an identity encoded as encodeDigits
// writes it. A digit above 9, an end mark that is not the last nibble of
// an even count (gpp.DecodeTBCD's rule), or a count that disagrees with
// the odd/even indication is an error.
func decodeDigits(v []byte) (string, error) {
	odd := v[0]&0x08 != 0
	n := 2*len(v) - 1
	if !odd {
		n--
	}
	if n < 1 {
		return "", invalidf("identity without digits")
	}
	d1 := v[0] >> 4
	if d1 > 9 {
		return "", invalidf("identity digit 0x%x", d1)
	}
	digits, err := gpp.AppendDecodeTBCD(append(make([]byte, 0, n), '0'+d1), v[1:])
	switch {
	case err != nil:
		return "", invalidf("identity %v", err)
	case len(digits) == n:
		return string(digits), nil
	case odd:
		return "", invalidf("identity with odd digits has an end mark")
	default:
		return "", invalidf("identity with even digits has no end mark")
	}
}
