package gpp

import "fmt"

// PLMN is a PLMN identity as three octets, the layout of TS 24.008
// §10.5.1.13 that TS 24.301 §9.9.3.32, TS 36.413 §9.2.3.8 (PLMN Identity)
// and TS 33.401 A.2 (serving network identity) share:
//
//	octet 1: MCC digit 2 | MCC digit 1
//	octet 2: MNC digit 3 | MCC digit 3
//	octet 3: MNC digit 2 | MNC digit 1
//
// with MNC digit 3 = 1111 for a two-digit MNC. It is kept as octets so that
// every received value re-encodes unchanged.
type PLMN [3]byte

// NewPLMN codes an MCC of 3 decimal digits and an MNC of 2 or 3.
func NewPLMN(mcc, mnc string) (PLMN, error) {
	var p PLMN
	if len(mcc) != 3 || !decimal(mcc) {
		return p, fmt.Errorf("PLMN: MCC %q: want 3 digits", mcc)
	}
	if (len(mnc) != 2 && len(mnc) != 3) || !decimal(mnc) {
		return p, fmt.Errorf("PLMN: MNC %q: want 2 or 3 digits", mnc)
	}
	d := func(s string, i int) byte { return s[i] - '0' }
	mnc3 := byte(0xf)
	if len(mnc) == 3 {
		mnc3 = d(mnc, 2)
	}
	p[0] = d(mcc, 1)<<4 | d(mcc, 0)
	p[1] = mnc3<<4 | d(mcc, 2)
	p[2] = d(mnc, 1)<<4 | d(mnc, 0)
	return p, nil
}

// MustPLMN is NewPLMN that panics on a bad code (for constants and tests).
func MustPLMN(mcc, mnc string) PLMN {
	p, err := NewPLMN(mcc, mnc)
	if err != nil {
		panic(err)
	}
	return p
}

// MCC is the mobile country code. A nibble that is not a decimal digit
// (only a received value can hold one) is shown in hex.
func (p PLMN) MCC() string {
	return string([]byte{hexDigit(p[0]), hexDigit(p[0] >> 4), hexDigit(p[1])})
}

// MNC is the mobile network code: two digits when MNC digit 3 is the
// filler 1111, else three. Other non-decimal nibbles are shown in hex.
func (p PLMN) MNC() string {
	if p[1]>>4 == 0xf {
		return string([]byte{hexDigit(p[2]), hexDigit(p[2] >> 4)})
	}
	return string([]byte{hexDigit(p[2]), hexDigit(p[2] >> 4), hexDigit(p[1] >> 4)})
}

// String is MCC-MNC, e.g. "001-01".
func (p PLMN) String() string { return p.MCC() + "-" + p.MNC() }

func hexDigit(b byte) byte { return "0123456789abcdef"[b&0xf] }

func decimal(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
