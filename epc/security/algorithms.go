package security

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"

	"github.com/free5gc/nas/security/snow3g"
	"github.com/free5gc/nas/security/zuc"
)

// CipheringAlg is an EPS encryption algorithm identity (TS 33.401 §5.1.3.2;
// the 4-bit value of the NAS security algorithms IE, TS 24.301 §9.9.3.23).
// 128-NEA1..3 of 5G are the same algorithms.
type CipheringAlg uint8

// Ciphering algorithms.
const (
	EEA0 CipheringAlg = iota // null ciphering
	EEA1                     // 128-EEA1, SNOW 3G based
	EEA2                     // 128-EEA2, AES-128 in counter mode
	EEA3                     // 128-EEA3, ZUC based
)

func (a CipheringAlg) String() string {
	switch a {
	case EEA0:
		return "EEA0"
	case EEA1, EEA2, EEA3:
		return fmt.Sprintf("128-EEA%d", a)
	}
	return fmt.Sprintf("EEA(%d)", uint8(a))
}

// IntegrityAlg is an EPS integrity algorithm identity (TS 33.401 §5.1.4.2).
type IntegrityAlg uint8

// Integrity algorithms.
const (
	EIA0 IntegrityAlg = iota // null integrity (emergency bearer services only)
	EIA1                     // 128-EIA1, SNOW 3G based
	EIA2                     // 128-EIA2, AES-128 CMAC
	EIA3                     // 128-EIA3, ZUC based
)

func (a IntegrityAlg) String() string {
	switch a {
	case EIA0:
		return "EIA0"
	case EIA1, EIA2, EIA3:
		return fmt.Sprintf("128-EIA%d", a)
	}
	return fmt.Sprintf("EIA(%d)", uint8(a))
}

// Directions of the algorithm input DIRECTION (TS 33.401 B.1.1).
const (
	Uplink   = 0
	Downlink = 1
)

func checkInputs(bearer, dir uint8, data []byte, bits int) error {
	if bearer > 0x1f {
		return fmt.Errorf("security: BEARER %d does not fit in 5 bits", bearer)
	}
	if dir > 1 {
		return fmt.Errorf("security: DIRECTION %d is not 0 or 1", dir)
	}
	if bits < 0 || (bits+7)/8 > len(data) {
		return fmt.Errorf("security: LENGTH %d bits but only %d octets of data", bits, len(data))
	}
	return nil
}

// Encrypt applies a 128-EEA algorithm (TS 33.401 Annex B.1) to the first
// bits bits of data and returns the result in a new slice of (bits+7)/8
// octets whose bits past LENGTH are zero, as in the test data of TS 33.401
// Annex C. Encryption and decryption are the same operation. COUNT is the
// 32-bit COUNT input; for NAS it is 0x00 ‖ NAS COUNT (TS 33.401 §8.1).
func Encrypt(alg CipheringAlg, key [16]byte, count uint32, bearer, dir uint8, data []byte, bits int) ([]byte, error) {
	if err := checkInputs(bearer, dir, data, bits); err != nil {
		return nil, err
	}
	out := make([]byte, (bits+7)/8)
	copy(out, data)
	switch alg {
	case EEA0:
	case EEA1:
		eea1(&key, count, bearer, dir, out, bits)
	case EEA2:
		b, _ := aes.NewCipher(key[:])
		eea2(b, count, bearer, dir, out)
	case EEA3:
		eea3(&key, count, bearer, dir, out, bits)
	default:
		return nil, fmt.Errorf("security: unknown ciphering algorithm %d", alg)
	}
	maskTail(out, bits)
	return out, nil
}

// MAC computes the 32-bit MAC of a 128-EIA algorithm (TS 33.401 Annex B.2)
// over the first bits bits of msg. EIA0 gives 32 zero bits (TS 33.401
// §5.1.4.1).
func MAC(alg IntegrityAlg, key [16]byte, count uint32, bearer, dir uint8, msg []byte, bits int) ([4]byte, error) {
	if err := checkInputs(bearer, dir, msg, bits); err != nil {
		return [4]byte{}, err
	}
	switch alg {
	case EIA0:
		return [4]byte{}, nil
	case EIA1:
		return eia1(&key, count, bearer, dir, msg, bits), nil
	case EIA2:
		var c cmacKey
		c.init(key)
		return c.eia2(count, bearer, dir, msg, bits), nil
	case EIA3:
		return eia3(&key, count, bearer, dir, msg, bits), nil
	}
	return [4]byte{}, fmt.Errorf("security: unknown integrity algorithm %d", alg)
}

// maskTail clears the bits of the last octet that lie past bits.
func maskTail(b []byte, bits int) {
	if r := bits % 8; r != 0 && len(b) > 0 {
		b[bits/8] &= 0xff << (8 - r)
	}
}

// xorKeystream XORs the big-endian 32-bit keystream words over b.
func xorKeystream(b []byte, ks []uint32) {
	for i := range b {
		b[i] ^= byte(ks[i/4] >> (24 - 8*(i%4)))
	}
}

// snowKey orders a 128-bit key as the SNOW 3G words k0..k3, k3 being the
// first 32 bits of the key (TS 35.216 / UEA2 §4.4).
func snowKey(key *[16]byte) [4]uint32 {
	var k [4]uint32
	for i := 0; i < 4; i++ {
		k[i] = binary.BigEndian.Uint32(key[4*(3-i):])
	}
	return k
}

// eea1 is 128-EEA1: the UEA2 f8 keystream with IV3 = IV1 = COUNT and
// IV2 = IV0 = BEARER ‖ DIRECTION ‖ 0^26 (TS 33.401 B.1.2).
func eea1(key *[16]byte, count uint32, bearer, dir uint8, b []byte, bits int) {
	if bits == 0 {
		return
	}
	bd := uint32(bearer)<<27 | uint32(dir)<<26
	ks := snow3g.GetKeyStream(snowKey(key), [4]uint32{bd, count, bd, count}, (bits+31)/32)
	xorKeystream(b, ks)
}

// eea2 is 128-EEA2: AES-128 in counter mode with the initial counter block
// COUNT ‖ BEARER ‖ DIRECTION ‖ 0^26 ‖ 0^64 (TS 33.401 B.1.3).
func eea2(blk cipher.Block, count uint32, bearer, dir uint8, b []byte) {
	var ctr, ks [16]byte
	binary.BigEndian.PutUint32(ctr[0:4], count)
	ctr[4] = bearer<<3 | dir<<2
	var n uint64
	for off := 0; off < len(b); off += 16 {
		binary.BigEndian.PutUint64(ctr[8:16], n)
		blk.Encrypt(ks[:], ctr[:])
		end := min(off+16, len(b))
		for i := off; i < end; i++ {
			b[i] ^= ks[i-off]
		}
		n++
	}
}

// eea3 is 128-EEA3: the ZUC keystream with IV = COUNT ‖ BEARER ‖ DIRECTION
// ‖ 0^26, repeated (TS 35.221 §3).
func eea3(key *[16]byte, count uint32, bearer, dir uint8, b []byte, bits int) {
	if bits == 0 {
		return
	}
	var iv [16]byte
	binary.BigEndian.PutUint32(iv[0:4], count)
	iv[4] = bearer<<3 | dir<<2
	copy(iv[8:16], iv[0:8])
	ks := zuc.Zuc(key[:], iv[:], uint32((bits+31)/32))
	xorKeystream(b, ks)
}

// eia1 is 128-EIA1: UIA2 f9 with FRESH = BEARER ‖ 0^27 (TS 33.401 B.2.2):
// keystream z1..z5 from IV0 = FRESH ⊕ DIRECTION<<15, IV1 = COUNT ⊕
// DIRECTION<<31, IV2 = FRESH, IV3 = COUNT, then the polynomial evaluation
// over GF(2^64) with P = z1 ‖ z2 and Q = z3 ‖ z4.
func eia1(key *[16]byte, count uint32, bearer, dir uint8, msg []byte, bits int) [4]byte {
	fresh := uint32(bearer) << 27
	iv := [4]uint32{fresh ^ uint32(dir)<<15, count ^ uint32(dir)<<31, fresh, count}
	z := snow3g.GetKeyStream(snowKey(key), iv, 5)
	p := uint64(z[0])<<32 | uint64(z[1])
	q := uint64(z[2])<<32 | uint64(z[3])
	nblocks := (bits + 63) / 64 // D - 1
	var eval uint64
	for i := 0; i < nblocks; i++ {
		var blk [8]byte
		start := i * 8
		end := min(start+8, (bits+7)/8)
		copy(blk[:], msg[start:end])
		if i == nblocks-1 {
			if r := bits % 64; r != 0 {
				w := binary.BigEndian.Uint64(blk[:]) &^ (1<<(64-r) - 1)
				binary.BigEndian.PutUint64(blk[:], w)
			}
		}
		eval = mul64(eval^binary.BigEndian.Uint64(blk[:]), p)
	}
	eval ^= uint64(bits)
	eval = mul64(eval, q)
	var mac [4]byte
	binary.BigEndian.PutUint32(mac[:], uint32(eval>>32)^z[4])
	return mac
}

// mul64 multiplies in GF(2^64) modulo x^64 + x^4 + x^3 + x + 1 (the MUL64
// of UIA2 with c = 0x1b).
func mul64(v, p uint64) uint64 {
	var r uint64
	for i := 0; i < 64; i++ {
		if p>>i&1 == 1 {
			r ^= v
		}
		if v>>63 == 1 {
			v = v<<1 ^ 0x1b
		} else {
			v <<= 1
		}
	}
	return r
}

// eia3 is 128-EIA3 (TS 35.221 §4): ZUC keystream of ⌈LENGTH/32⌉+2 words;
// T accumulates the keystream word at bit i for every set message bit i,
// then MAC = T ⊕ z_LENGTH ⊕ z_32(L-1).
func eia3(key *[16]byte, count uint32, bearer, dir uint8, msg []byte, bits int) [4]byte {
	var iv [16]byte
	binary.BigEndian.PutUint32(iv[0:4], count)
	iv[4] = bearer << 3
	iv[8] = iv[0] ^ dir<<7
	copy(iv[9:14], iv[1:6])
	iv[14] = iv[6] ^ dir<<7
	iv[15] = iv[7]
	l := (bits+31)/32 + 2
	z := zuc.Zuc(key[:], iv[:], uint32(l))
	word := func(i int) uint32 {
		j, r := i/32, i%32
		if r == 0 {
			return z[j]
		}
		return z[j]<<r | z[j+1]>>(32-r)
	}
	var t uint32
	for i := 0; i < bits; i++ {
		if msg[i/8]&(0x80>>(i%8)) != 0 {
			t ^= word(i)
		}
	}
	t ^= word(bits)
	var mac [4]byte
	binary.BigEndian.PutUint32(mac[:], t^z[l-1])
	return mac
}

// cmacKey is AES-CMAC (NIST SP 800-38B, RFC 4493) state for one key: the
// expanded key and the two subkeys.
type cmacKey struct {
	key    [16]byte
	blk    cipher.Block
	k1, k2 [16]byte
	x      [16]byte // CBC state; a field so Encrypt (an interface call) does not make it escape per call
}

func (c *cmacKey) init(key [16]byte) {
	b, err := aes.NewCipher(key[:])
	if err != nil {
		panic(err)
	}
	c.key, c.blk = key, b
	var l [16]byte
	b.Encrypt(l[:], l[:])
	c.k1 = dbl(l)
	c.k2 = dbl(c.k1)
}

// dbl is the subkey doubling in GF(2^128) of SP 800-38B.
func dbl(x [16]byte) [16]byte {
	hi := binary.BigEndian.Uint64(x[0:8])
	lo := binary.BigEndian.Uint64(x[8:16])
	carry := hi >> 63
	hi = hi<<1 | lo>>63
	lo <<= 1
	if carry == 1 {
		lo ^= 0x87
	}
	var out [16]byte
	binary.BigEndian.PutUint64(out[0:8], hi)
	binary.BigEndian.PutUint64(out[8:16], lo)
	return out
}

// eia2 is 128-EIA2 (TS 33.401 B.2.3): AES-CMAC over COUNT ‖ BEARER ‖
// DIRECTION ‖ 0^26 ‖ MESSAGE (LENGTH + 64 bits), truncated to 32 bits.
func (c *cmacKey) eia2(count uint32, bearer, dir uint8, msg []byte, bits int) [4]byte {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[0:4], count)
	hdr[4] = bearer<<3 | dir<<2
	var t [16]byte
	if bits == 8*len(msg) {
		t = c.sumOctets(&hdr, msg)
	} else {
		t = c.sum(&hdr, msg, bits)
	}
	return [4]byte(t[0:4])
}

// sumOctets is sum for a message of whole octets (every NAS message),
// XORing the blocks a word at a time.
func (c *cmacKey) sumOctets(prefix *[8]byte, msg []byte) [16]byte {
	n := (8 + len(msg) + 15) / 16 // blocks of prefix ‖ msg, at least 1
	x := &c.x
	*x = [16]byte{}
	if n > 1 {
		binary.BigEndian.PutUint64(x[0:8], binary.BigEndian.Uint64(prefix[:]))
		binary.BigEndian.PutUint64(x[8:16], binary.BigEndian.Uint64(msg[0:8]))
		c.blk.Encrypt(x[:], x[:])
		for j := 1; j < n-1; j++ {
			p := msg[16*j-8 : 16*j+8]
			binary.BigEndian.PutUint64(x[0:8], binary.BigEndian.Uint64(x[0:8])^binary.BigEndian.Uint64(p[0:8]))
			binary.BigEndian.PutUint64(x[8:16], binary.BigEndian.Uint64(x[8:16])^binary.BigEndian.Uint64(p[8:16]))
			c.blk.Encrypt(x[:], x[:])
		}
	}
	var last [16]byte
	start := 16 * (n - 1) // of the last block in prefix ‖ msg
	if start == 0 {
		copy(last[:], prefix[:])
		copy(last[8:], msg)
	} else {
		copy(last[:], msg[start-8:])
	}
	if rem := 8 + len(msg) - start; rem == 16 {
		xor16(&last, &c.k1)
	} else {
		last[rem] = 0x80
		xor16(&last, &c.k2)
	}
	xor16(x, &last)
	c.blk.Encrypt(x[:], x[:])
	return *x
}

// sum is the AES-CMAC tag of the bit string prefix ‖ the first bits bits
// of msg. The string may end inside an octet: CMAC pads at bit level.
func (c *cmacKey) sum(prefix *[8]byte, msg []byte, bits int) [16]byte {
	total := 64 + bits
	nbytes := (total + 7) / 8
	at := func(p int) byte {
		if p < 8 {
			return prefix[p]
		}
		if p < nbytes {
			return msg[p-8]
		}
		return 0
	}
	n := (total + 127) / 128
	x := &c.x
	*x = [16]byte{}
	p := 0
	for j := 0; j < n-1; j++ {
		if p >= 8 {
			for i := 0; i < 16; i++ {
				x[i] ^= msg[p-8+i]
			}
		} else {
			for i := 0; i < 16; i++ {
				x[i] ^= at(p + i)
			}
		}
		p += 16
		c.blk.Encrypt(x[:], x[:])
	}
	var last [16]byte
	for i := 0; i < 16; i++ {
		last[i] = at(p + i)
	}
	rem := total - 128*(n-1)
	if rem == 128 {
		xor16(&last, &c.k1)
	} else {
		if r := rem % 8; r != 0 {
			last[rem/8] &= 0xff << (8 - r)
		}
		last[rem/8] |= 0x80 >> (rem % 8)
		xor16(&last, &c.k2)
	}
	xor16(x, &last)
	c.blk.Encrypt(x[:], x[:])
	return *x
}
