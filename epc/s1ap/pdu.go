package s1ap

import (
	"errors"
	"fmt"

	"github.com/free5gc/aper"
)

// ASN.1 of the envelope (TS 36.413 §9.3.2 S1AP-PDU-Descriptions and §9.3.7
// S1AP-Containers), written as aper-tagged Go types.
//
//	S1AP-PDU ::= CHOICE { initiatingMessage, successfulOutcome, unsuccessfulOutcome, ... }
//	InitiatingMessage ::= SEQUENCE { procedureCode INTEGER (0..255),
//	    criticality ENUMERATED {reject, ignore, notify}, value OPEN TYPE }
//	ProtocolIE-Container ::= SEQUENCE (SIZE (0..maxProtocolIEs)) OF ProtocolIE-Field
//	ProtocolIE-Field ::= SEQUENCE { id INTEGER (0..65535), criticality, value OPEN TYPE }
//
// The open types are modelled as unconstrained OCTET STRINGs: in aligned PER
// an open type is a length determinant followed by the octet-aligned encoding
// of its value, which is bit for bit the encoding of an unconstrained OCTET
// STRING holding that encoding (X.691 §11.2). This keeps every value as raw
// bytes, so that IEs and procedures this package does not model survive a
// decode/encode cycle unchanged; aper's own openType dispatch would drop
// them. The package then dispatches on the procedure code and the IE id
// itself and decodes each value with aper and its own type.
type asnPDU struct {
	Present             int
	InitiatingMessage   *asnMessage
	SuccessfulOutcome   *asnMessage
	UnsuccessfulOutcome *asnMessage
}

const pduParams = "valueExt,valueLB:0,valueUB:2"

type asnMessage struct {
	ProcedureCode int64           `aper:"valueLB:0,valueUB:255"`
	Criticality   aper.Enumerated `aper:"valueLB:0,valueUB:2"`
	Value         aper.OctetString
}

// asnIEContainer is the value of every S1AP message except PrivateMessage:
// SEQUENCE { protocolIEs ProtocolIE-Container, ... }.
type asnIEContainer struct {
	ProtocolIEs []asnIEField `aper:"sizeLB:0,sizeUB:65535"`
}

const containerParams = "valueExt"

type asnIEField struct {
	ID          int64           `aper:"valueLB:0,valueUB:65535"`
	Criticality aper.Enumerated `aper:"valueLB:0,valueUB:2"`
	Value       aper.OctetString
}

// IE is one ProtocolIE-Field (or ProtocolExtensionField, or
// ProtocolIE-SingleContainer): its id, its criticality and the aligned-PER
// encoding of its value (the contents of the open type).
type IE struct {
	ID          ProtocolIEID
	Criticality Criticality
	Value       []byte
}

// PDU is a generically decoded S1AP-PDU. It decodes the envelope of any
// procedure; when the message value is a ProtocolIE-Container (all S1AP
// messages except PrivateMessage) the IEs are split out, each with its value
// still encoded. Marshal re-encodes it; an unmodified PDU re-encodes to the
// bytes it was parsed from.
type PDU struct {
	Type        PDUType
	Code        ProcedureCode
	Criticality Criticality
	// IEs holds the protocol IEs in wire order when HasIEs is true.
	IEs    []IE
	HasIEs bool
	// Value is the encoded message value (the open type contents). Parse
	// fills it; Marshal uses it only when HasIEs is false.
	Value []byte
	// Trailing holds octets that followed the S1AP-PDU in the buffer given
	// to ParsePDU (seen in some test-suite captures). A receiver ignores
	// them and Marshal does not write them.
	Trailing []byte
}

// Procedure returns the procedure code (Message interface).
func (p *PDU) Procedure() ProcedureCode { return p.Code }

// PDUType returns the S1AP-PDU alternative (Message interface).
func (p *PDU) PDUType() PDUType { return p.Type }

// Find returns the first IE with the given id, or nil.
func (p *PDU) Find(id ProtocolIEID) *IE {
	for i := range p.IEs {
		if p.IEs[i].ID == id {
			return &p.IEs[i]
		}
	}
	return nil
}

// ErrDecode wraps every decoding failure, including a panic recovered from
// the aper package on hostile input.
var ErrDecode = errors.New("s1ap: decode")

// ErrEncode wraps every encoding failure.
var ErrEncode = errors.New("s1ap: encode")

func decodeErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrDecode, fmt.Sprintf(format, a...))
}

func encodeErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrEncode, fmt.Sprintf(format, a...))
}

// unmarshal is aper.UnmarshalWithParams behind a recover(): aper v1.1.0 can
// panic on malformed input (index out of range deep in its bit reader), and
// a network element must not crash on a hostile peer. Every decode in this
// package goes through here.
func unmarshal(b []byte, v any, params string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = decodeErr("aper panic: %v", r)
		}
	}()
	if len(b) == 0 {
		return decodeErr("empty value")
	}
	if e := aper.UnmarshalWithParams(b, v, params); e != nil {
		return fmt.Errorf("%w: %v", ErrDecode, e)
	}
	return nil
}

// marshal is aper.MarshalWithParams behind a recover() (aper can panic on
// values it cannot represent, e.g. a nil pointer where a value is required).
func marshal(v any, params string) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, encodeErr("aper panic: %v", r)
		}
	}()
	b, err = aper.MarshalWithParams(v, params)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncode, err)
	}
	return b, nil
}

// ParsePDU decodes the S1AP-PDU envelope and, when the message value is a
// ProtocolIE-Container, its IE list. It never panics.
func ParsePDU(b []byte) (*PDU, error) {
	if p, ok := parsePDUFast(b); ok {
		return p, nil
	}
	return parsePDUAper(b)
}

// parsePDUAper is ParsePDU without the fast path.
func parsePDUAper(b []byte) (*PDU, error) {
	var a asnPDU
	if err := unmarshal(b, &a, pduParams); err != nil {
		return nil, err
	}
	var m *asnMessage
	p := &PDU{}
	switch a.Present {
	case 1:
		m, p.Type = a.InitiatingMessage, InitiatingMessage
	case 2:
		m, p.Type = a.SuccessfulOutcome, SuccessfulOutcome
	case 3:
		m, p.Type = a.UnsuccessfulOutcome, UnsuccessfulOutcome
	}
	if m == nil {
		return nil, decodeErr("no S1AP-PDU alternative")
	}
	if m.Criticality > 2 {
		return nil, decodeErr("criticality %d", m.Criticality)
	}
	p.Code = ProcedureCode(m.ProcedureCode)
	p.Criticality = Criticality(m.Criticality)
	p.Value = m.Value
	if n := 3 + openTypeLen(len(m.Value)); n < len(b) {
		p.Trailing = b[n:]
	}
	if p.Code == ProcPrivateMessage {
		return p, nil // PrivateIE-Container: kept raw
	}
	ies, err := parseContainer(m.Value)
	if err != nil {
		return nil, err
	}
	p.IEs, p.HasIEs = ies, true
	return p, nil
}

// openTypeLen is the size of an aligned-PER open type (or unconstrained
// OCTET STRING) of n octets: length determinant(s) plus contents, with the
// 16K/32K/48K/64K fragmentation of X.691 §11.9.3.8 as aper writes it.
func openTypeLen(n int) int {
	hdr, rem := 0, n
	for {
		part := rem
		if rem > 65536 {
			part = 65536
		} else if rem >= 16384 {
			part = rem & 0xc000
		}
		switch {
		case part <= 127, part >= 16384:
			hdr++
		default:
			hdr += 2
		}
		rem -= part
		if part < 16384 {
			return hdr + n
		}
	}
}

func parseContainer(b []byte) ([]IE, error) {
	if len(b) > 0 && b[0]&0x80 != 0 {
		// Extension additions in the message SEQUENCE: none are defined
		// in any release and aper would silently misread them.
		return nil, decodeErr("message SEQUENCE with extension bit set")
	}
	var c asnIEContainer
	if err := unmarshal(b, &c, containerParams); err != nil {
		return nil, err
	}
	ies := make([]IE, len(c.ProtocolIEs))
	for i, f := range c.ProtocolIEs {
		if f.Criticality > 2 {
			return nil, decodeErr("IE %d criticality %d", f.ID, f.Criticality)
		}
		ies[i] = IE{ID: ProtocolIEID(f.ID), Criticality: Criticality(f.Criticality), Value: f.Value}
	}
	return ies, nil
}

func marshalContainer(ies []IE) ([]byte, error) {
	c := asnIEContainer{ProtocolIEs: make([]asnIEField, len(ies))}
	for i, ie := range ies {
		if len(ie.Value) == 0 {
			return nil, encodeErr("IE %d has an empty value", ie.ID)
		}
		c.ProtocolIEs[i] = asnIEField{ID: int64(ie.ID), Criticality: aper.Enumerated(ie.Criticality), Value: ie.Value}
	}
	return marshal(&c, containerParams)
}

// Marshal encodes the PDU: from IEs when HasIEs, else from Value.
func (p *PDU) Marshal() ([]byte, error) { return p.appendTo(nil) }

// appendTo appends the encoding to dst.
func (p *PDU) appendTo(dst []byte) ([]byte, error) {
	if b, ok := appendPDUFast(dst, p); ok {
		return b, nil
	}
	b, err := p.marshalAper()
	if err != nil {
		return nil, err
	}
	if dst == nil {
		return b, nil
	}
	return append(dst, b...), nil
}

// marshalAper is Marshal without the fast path.
func (p *PDU) marshalAper() ([]byte, error) {
	val := p.Value
	if p.HasIEs {
		var err error
		if val, err = marshalContainer(p.IEs); err != nil {
			return nil, err
		}
	}
	if len(val) == 0 {
		return nil, encodeErr("empty message value")
	}
	if p.Criticality > 2 {
		return nil, encodeErr("criticality %d", p.Criticality)
	}
	m := &asnMessage{ProcedureCode: int64(p.Code), Criticality: aper.Enumerated(p.Criticality), Value: val}
	var a asnPDU
	switch p.Type {
	case InitiatingMessage:
		a = asnPDU{Present: 1, InitiatingMessage: m}
	case SuccessfulOutcome:
		a = asnPDU{Present: 2, SuccessfulOutcome: m}
	case UnsuccessfulOutcome:
		a = asnPDU{Present: 3, UnsuccessfulOutcome: m}
	default:
		return nil, encodeErr("PDU type %d", p.Type)
	}
	return marshal(&a, pduParams)
}
