package gpp

import (
	"errors"
	"fmt"
)

// TBCD digit packing; the filler rule is in the package comment.

// ErrTBCDFiller is a filler nibble (1111) that is not bits 8-5 of the last
// octet.
var ErrTBCDFiller = errors.New("TBCD filler not at the end")

// ErrTBCDDigit is a nibble or character that is not a decimal digit.
var ErrTBCDDigit = errors.New("TBCD digit not decimal")

// AppendTBCD appends digits ('0'-'9') to dst packed as TBCD, with the
// filler after an odd count. A non-decimal character is ErrTBCDDigit (dst
// is returned unchanged).
func AppendTBCD(dst []byte, digits string) ([]byte, error) {
	if !decimal(digits) {
		return dst, fmt.Errorf("%w: %q", ErrTBCDDigit, digits)
	}
	for i := 0; i < len(digits); i += 2 {
		hi := byte(0xf)
		if i+1 < len(digits) {
			hi = digits[i+1] - '0'
		}
		dst = append(dst, hi<<4|(digits[i]-'0'))
	}
	return dst, nil
}

// TBCD packs digits as AppendTBCD does into a new slice.
func TBCD(digits string) ([]byte, error) {
	b, err := AppendTBCD(make([]byte, 0, (len(digits)+1)/2), digits)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// DecodeTBCD reads TBCD digits up to the first filler or the end of b. A
// misplaced filler gives the digits before it and ErrTBCDFiller; a
// non-decimal nibble the digits before it and ErrTBCDDigit.
func DecodeTBCD(b []byte) (string, error) {
	out, err := AppendDecodeTBCD(make([]byte, 0, 2*len(b)), b)
	return string(out), err
}

// AppendDecodeTBCD is DecodeTBCD appending the digits ('0'-'9') to dst.
func AppendDecodeTBCD(dst, b []byte) ([]byte, error) {
	for i, o := range b {
		for k, d := range [2]byte{o & 0xf, o >> 4} {
			switch {
			case d == 0xf:
				if k == 1 && i == len(b)-1 {
					return dst, nil
				}
				return dst, fmt.Errorf("%w: octet %d", ErrTBCDFiller, i)
			case d > 9:
				return dst, fmt.Errorf("%w: 0x%x in octet %d", ErrTBCDDigit, d, i)
			}
			dst = append(dst, '0'+d)
		}
	}
	return dst, nil
}
