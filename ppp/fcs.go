package ppp

import (
	"encoding/binary"
	"hash/crc32"
)

// fcs16Table is the table of the 16-bit FCS (RFC 1662 §C.2: the
// polynomial x^16 + x^12 + x^5 + 1, bits reflected).
var fcs16Table = func() (t [256]uint16) {
	for b := range t {
		v := uint16(b)
		for range 8 {
			if v&1 != 0 {
				v = v>>1 ^ 0x8408
			} else {
				v >>= 1
			}
		}
		t[b] = v
	}
	return t
}()

// Initial and good final values of the FCS (RFC 1662 §C.2, §C.3).
const (
	fcs16Init = 0xffff
	fcs16Good = 0xf0b8
)

// fcs16 continues the 16-bit FCS f over b.
func fcs16(f uint16, b []byte) uint16 {
	for _, c := range b {
		f = f>>8 ^ fcs16Table[byte(f)^c]
	}
	return f
}

// FCS16 is the 16-bit FCS of b as transmitted (ones' complement), sent
// least significant octet first.
func FCS16(b []byte) uint16 { return ^fcs16(fcs16Init, b) }

// FCS32 is the 32-bit FCS of b as transmitted (RFC 1662 §C.3, the
// polynomial of IEEE 802.3), sent least significant octet first.
func FCS32(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

// goodFCS says whether b, a frame with its FCS at the end, checks.
func goodFCS(b []byte, fcs32 bool) bool {
	if fcs32 {
		n := len(b) - 4
		return n >= 0 && FCS32(b[:n]) == binary.LittleEndian.Uint32(b[n:])
	}
	return len(b) >= 2 && fcs16(fcs16Init, b) == fcs16Good
}
