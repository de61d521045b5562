package at

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Has says whether parameter i is present and not empty.
func (c Command) Has(i int) bool { return i < len(c.Params) && !c.Params[i].Empty }

// Int returns parameter i as an integer in [lo, hi]: decimal, or
// hexadecimal with a 0x prefix (as BC95 flags are written: 0x200).
func (c Command) Int(i, lo, hi int) (int, error) {
	if !c.Has(i) {
		return 0, fmt.Errorf("at: %s parameter %d: %w", c.Name, i+1, ErrMissing)
	}
	p := c.Params[i]
	if p.Quoted {
		return 0, fmt.Errorf("at: %s parameter %d: %q is a string, want a number: %w", c.Name, i+1, p.Raw, ErrType)
	}
	raw := p.Raw
	base := 10
	if len(raw) > 2 && (raw[:2] == "0x" || raw[:2] == "0X") {
		raw, base = raw[2:], 16
	}
	v, err := strconv.ParseInt(raw, base, 64)
	if err != nil || raw[0] == '+' || raw[0] == '-' && base == 16 {
		return 0, fmt.Errorf("at: %s parameter %d: %q is not a number: %w", c.Name, i+1, p.Raw, ErrType)
	}
	if v < int64(lo) || v > int64(hi) {
		return 0, fmt.Errorf("at: %s parameter %d: %d not in %d..%d: %w", c.Name, i+1, v, lo, hi, ErrRange)
	}
	return int(v), nil
}

// IntOr is Int with def for an absent or empty parameter.
func (c Command) IntOr(i, def, lo, hi int) (int, error) {
	if !c.Has(i) {
		return def, nil
	}
	return c.Int(i, lo, hi)
}

// Str returns parameter i as a string, quoted or not (the BC95 manual
// writes many string parameters unquoted). An empty quoted string is "".
func (c Command) Str(i int) (string, error) {
	if !c.Has(i) {
		if i < len(c.Params) && c.Params[i].Quoted {
			return "", nil
		}
		return "", fmt.Errorf("at: %s parameter %d: %w", c.Name, i+1, ErrMissing)
	}
	return c.Params[i].Raw, nil
}

// Hex returns parameter i decoded from hexadecimal digits (either case,
// quoted or not; an even number of them).
func (c Command) Hex(i int) ([]byte, error) {
	if !c.Has(i) {
		if i < len(c.Params) && c.Params[i].Quoted {
			return []byte{}, nil
		}
		return nil, fmt.Errorf("at: %s parameter %d: %w", c.Name, i+1, ErrMissing)
	}
	raw := c.Params[i].Raw
	if len(raw)%2 != 0 {
		return nil, fmt.Errorf("at: %s parameter %d: odd number (%d) of hex digits: %w", c.Name, i+1, len(raw), ErrType)
	}
	b, err := hex.DecodeString(raw)
	if err != nil {
		return nil, fmt.Errorf("at: %s parameter %d: not hex: %w", c.Name, i+1, ErrType)
	}
	return b, nil
}

// Bits returns parameter i, a string of n binary digits ("01000011"), as
// a number (TS 27.007 timer and eDRX parameters).
func (c Command) Bits(i, n int) (uint8, error) {
	s, err := c.Str(i)
	if err != nil {
		return 0, err
	}
	if len(s) != n || strings.Trim(s, "01") != "" {
		return 0, fmt.Errorf("at: %s parameter %d: %q is not %d binary digits: %w", c.Name, i+1, s, n, ErrType)
	}
	v, _ := strconv.ParseUint(s, 2, 8)
	return uint8(v), nil
}

// BitString writes the low n bits of v as binary digits, most significant
// first.
func BitString(v uint8, n int) string {
	s := strconv.FormatUint(uint64(v), 2)
	if len(s) < n {
		s = strings.Repeat("0", n-len(s)) + s
	}
	return s[len(s)-n:]
}
