package nas

import (
	"fmt"
	"strings"

	"github.com/nbsim/nbsim/gpp"
)

// PLMN is a PLMN identity (TS 24.008 §10.5.1.13, TS 24.301 §9.9.3.32):
// the one definition in package gpp, shared with s1ap and security.
type PLMN = gpp.PLMN

// TAI is a tracking area identity (TS 24.301 §9.9.3.32).
type TAI struct {
	PLMN PLMN
	TAC  uint16
}

func (t TAI) String() string { return fmt.Sprintf("%s/%04x", t.PLMN, t.TAC) }

func (t *TAI) encodeValue(e *encoder) { e.raw(t.PLMN[:]); e.u16(t.TAC) }

func (t *TAI) decodeValue(v []byte) error {
	if len(v) != 5 {
		return invalidf("TAI of %d octets", len(v))
	}
	copy(t.PLMN[:], v)
	t.TAC = uint16(v[3])<<8 | uint16(v[4])
	return nil
}

// LAI is a location area identification (TS 24.008 §10.5.1.3).
type LAI struct {
	PLMN PLMN
	LAC  uint16
}

func (l *LAI) encodeValue(e *encoder) { e.raw(l.PLMN[:]); e.u16(l.LAC) }

func (l *LAI) decodeValue(v []byte) error {
	if len(v) != 5 {
		return invalidf("LAI of %d octets", len(v))
	}
	copy(l.PLMN[:], v)
	l.LAC = uint16(v[3])<<8 | uint16(v[4])
	return nil
}

// TAIListType is the type of a partial tracking area identity list
// (TS 24.301 §9.9.3.33, bits 7-6 of its first octet).
type TAIListType uint8

// Partial TAI list types.
const (
	// TAIListOnePLMN: one PLMN, non-consecutive TACs.
	TAIListOnePLMN TAIListType = 0
	// TAIListOnePLMNConsecutive: one PLMN, consecutive TACs (only the
	// first is sent).
	TAIListOnePLMNConsecutive TAIListType = 1
	// TAIListMultiplePLMNs: one PLMN per TAI.
	TAIListMultiplePLMNs TAIListType = 2
)

// PartialTAIList is one partial tracking area identity list.
type PartialTAIList struct {
	Type TAIListType
	// PLMN is the list's PLMN for types 0 and 1.
	PLMN PLMN
	// TACs are the tracking area codes for types 0 and 1; for type 1 they
	// must be consecutive (modulo 2^16), only the first is sent.
	TACs []uint16
	// TAIs are the TAIs of a type 2 list.
	TAIs []TAI
}

// TAIList is the tracking area identity list (TS 24.301 §9.9.3.33): 1 to
// 16 TAIs in partial lists of the three types.
type TAIList []PartialTAIList

// TAIs expands the list.
func (l TAIList) TAIs() []TAI {
	var out []TAI
	for _, p := range l {
		if p.Type == TAIListMultiplePLMNs {
			out = append(out, p.TAIs...)
			continue
		}
		for _, tac := range p.TACs {
			out = append(out, TAI{PLMN: p.PLMN, TAC: tac})
		}
	}
	return out
}

func (l TAIList) String() string {
	var b strings.Builder
	for i, t := range l.TAIs() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.String())
	}
	return b.String()
}

func (l *TAIList) encodeValue(e *encoder) {
	if len(*l) == 0 {
		e.fail(invalidf("empty TAI list"))
	}
	for _, p := range *l {
		n := len(p.TACs)
		if p.Type == TAIListMultiplePLMNs {
			n = len(p.TAIs)
		}
		if n < 1 || n > 16 {
			e.fail(invalidf("partial TAI list of %d elements", n))
			return
		}
		e.u8(uint8(p.Type)<<5 | uint8(n-1))
		switch p.Type {
		case TAIListOnePLMN:
			e.raw(p.PLMN[:])
			for _, t := range p.TACs {
				e.u16(t)
			}
		case TAIListOnePLMNConsecutive:
			for i, t := range p.TACs {
				if t != p.TACs[0]+uint16(i) {
					e.fail(invalidf("type 1 partial TAI list with non-consecutive TACs"))
				}
			}
			e.raw(p.PLMN[:])
			e.u16(p.TACs[0])
		case TAIListMultiplePLMNs:
			for i := range p.TAIs {
				p.TAIs[i].encodeValue(e)
			}
		default:
			e.fail(invalidf("partial TAI list type %d", p.Type))
		}
	}
}

// decodeValue reads the partial lists. A number of elements above 16 is
// read as 16, as §9.9.3.33 asks of the UE.
func (l *TAIList) decodeValue(v []byte) error {
	*l = nil
	if len(v) == 0 {
		return invalidf("empty TAI list")
	}
	for len(v) > 0 {
		typ := TAIListType(v[0] >> 5 & 0x3)
		n := int(v[0]&0x1f) + 1
		n = min(n, 16)
		v = v[1:]
		p := PartialTAIList{Type: typ}
		switch typ {
		case TAIListOnePLMN:
			if len(v) < 3+2*n {
				return invalidf("short partial TAI list")
			}
			copy(p.PLMN[:], v)
			p.TACs = make([]uint16, n)
			for i := range n {
				p.TACs[i] = uint16(v[3+2*i])<<8 | uint16(v[4+2*i])
			}
			v = v[3+2*n:]
		case TAIListOnePLMNConsecutive:
			if len(v) < 5 {
				return invalidf("short partial TAI list")
			}
			copy(p.PLMN[:], v)
			first := uint16(v[3])<<8 | uint16(v[4])
			p.TACs = make([]uint16, n)
			for i := range n {
				p.TACs[i] = first + uint16(i)
			}
			v = v[5:]
		case TAIListMultiplePLMNs:
			if len(v) < 5*n {
				return invalidf("short partial TAI list")
			}
			p.TAIs = make([]TAI, n)
			for i := range n {
				_ = p.TAIs[i].decodeValue(v[5*i : 5*i+5])
			}
			v = v[5*n:]
		default:
			return invalidf("reserved partial TAI list type 3")
		}
		*l = append(*l, p)
	}
	return nil
}

// MarshalBinary encodes the IE's value part (no IEI, no length).
func (l *TAIList) MarshalBinary() ([]byte, error) { return marshalValue(l) }

// UnmarshalBinary decodes the IE's value part.
func (l *TAIList) UnmarshalBinary(b []byte) error { return l.decodeValue(b) }
