package decode

import (
	"errors"
	"fmt"
)

// NAS inside LTE RRC (TS 36.331), for GSMTAP captures of a modem's
// signalling. Only the few messages that carry dedicatedInfoNAS are read,
// with a hand-written unaligned-PER walk of their leading fields:
//
//	UL-DCCH  rrcConnectionSetupComplete (r8), ulInformationTransfer (r8)
//	DL-DCCH  dlInformationTransfer (r8), rrcConnectionReconfiguration (r8)
//	         when measConfig and mobilityControlInfo are absent (the NAS
//	         list follows them; decoding those would need most of 36.331)
//
// Other messages carry no NAS and are skipped.

// GSMTAP LTE RRC sub-types (osmocom gsmtap.h).
const (
	gsmtapRRCDLDCCH = 1
	gsmtapRRCULDCCH = 3
)

type rrcNASPDU struct {
	where string // message name
	nas   []byte
	off   int // byte offset of the NAS-PDU in the RRC PDU (-1 if not on a byte boundary)
	err   error
}

type bitReader struct {
	b   []byte
	pos int // in bits
	err error
}

var errRRCShort = errors.New("RRC message ends early")

func (r *bitReader) bits(n int) uint32 {
	if r.err != nil {
		return 0
	}
	if r.pos+n > len(r.b)*8 {
		r.err = errRRCShort
		return 0
	}
	var v uint32
	for i := 0; i < n; i++ {
		bit := r.b[(r.pos)/8] >> (7 - uint(r.pos%8)) & 1
		v = v<<1 | uint32(bit)
		r.pos++
	}
	return v
}

// octets reads an unconstrained OCTET STRING (lengths below 16384).
func (r *bitReader) octets() ([]byte, int) {
	n := int(r.bits(8))
	if n&0x80 != 0 {
		if n&0x40 != 0 {
			r.err = errors.New("fragmented OCTET STRING length")
			return nil, -1
		}
		n = (n&0x3f)<<8 | int(r.bits(8))
	}
	off := -1
	if r.pos%8 == 0 {
		off = r.pos / 8
	}
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(r.bits(8))
	}
	if r.err != nil {
		return nil, -1
	}
	return out, off
}

// rrcNAS extracts the NAS-PDUs of a GSMTAP LTE RRC payload.
func rrcNAS(subtype uint8, b []byte) []rrcNASPDU {
	r := &bitReader{b: b}
	one := func(where string) []rrcNASPDU {
		nasb, off := r.octets()
		if r.err != nil {
			return []rrcNASPDU{{where: where, err: fmt.Errorf("dedicatedInfoNAS at bit %d: %w", r.pos, r.err)}}
		}
		return []rrcNASPDU{{where: where, nas: nasb, off: off}}
	}
	switch subtype {
	case gsmtapRRCULDCCH:
		if r.bits(1) != 0 { // messageClassExtension
			return nil
		}
		switch r.bits(4) {
		case 4: // rrcConnectionSetupComplete
			const where = "UL-DCCH RRCConnectionSetupComplete"
			r.bits(2) // rrc-TransactionIdentifier
			if r.bits(1) != 0 || r.bits(2) != 0 {
				return nil // criticalExtensionsFuture / spare
			}
			regMME := r.bits(1)
			r.bits(1) // nonCriticalExtension present
			r.bits(3) // selectedPLMN-Identity
			if regMME == 1 {
				if r.bits(1) == 1 { // plmn-Identity
					if r.bits(1) == 1 { // mcc
						r.bits(12)
					}
					r.bits(4 * (2 + int(r.bits(1))))
				}
				r.bits(16 + 8) // mmegi, mmec
			}
			return one(where)
		case 9: // ulInformationTransfer
			const where = "UL-DCCH ULInformationTransfer"
			if r.bits(1) != 0 || r.bits(2) != 0 {
				return nil
			}
			r.bits(1) // nonCriticalExtension present
			if r.bits(2) != 0 {
				return nil // CDMA2000
			}
			return one(where)
		}
	case gsmtapRRCDLDCCH:
		if r.bits(1) != 0 {
			return nil
		}
		switch r.bits(4) {
		case 1: // dlInformationTransfer
			const where = "DL-DCCH DLInformationTransfer"
			r.bits(2)
			if r.bits(1) != 0 || r.bits(2) != 0 {
				return nil
			}
			r.bits(1)
			if r.bits(2) != 0 {
				return nil
			}
			return one(where)
		case 4: // rrcConnectionReconfiguration
			const where = "DL-DCCH RRCConnectionReconfiguration"
			r.bits(2)
			if r.bits(1) != 0 || r.bits(3) != 0 {
				return nil
			}
			opt := r.bits(6)
			if r.err != nil || opt&0x08 == 0 { // no dedicatedInfoNASList
				return nil
			}
			if opt&0x30 != 0 {
				return []rrcNASPDU{{where: where, err: errors.New("dedicatedInfoNASList after measConfig/mobilityControlInfo: not extracted")}}
			}
			n := int(r.bits(4)) + 1
			var out []rrcNASPDU
			for i := 0; i < n; i++ {
				out = append(out, one(where)...)
				if r.err != nil {
					break
				}
			}
			return out
		}
	}
	return nil
}
