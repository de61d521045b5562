package security

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
)

// MaxSQN is the largest 48-bit sequence number.
const MaxSQN = 1<<48 - 1

// Milenage is the MILENAGE algorithm set of TS 35.206 for one subscriber:
// the kernel function E_K is AES-128 keyed with the subscriber key K, and
// OPc is the operator variant configuration derived from OP (TS 35.206
// §4.1). It keeps the expanded AES key, so one value serves many
// computations; it is safe for concurrent use (it is never modified after
// NewMilenage).
type Milenage struct {
	block cipher.Block
	opc   [16]byte
}

// Rotation amounts r1..r5 (bits) and constants c1..c5 (their last octet;
// the other octets are zero) of TS 35.206 §4.1.
const (
	r1, r2, r3, r4, r5 = 64, 0, 32, 64, 96
	c1, c2, c3, c4, c5 = 0, 1, 2, 4, 8
)

// NewMilenage keys MILENAGE with the subscriber key K and OPc.
func NewMilenage(k, opc [16]byte) *Milenage {
	b, err := aes.NewCipher(k[:])
	if err != nil { // cannot happen: the key is 16 bytes
		panic(err)
	}
	return &Milenage{block: b, opc: opc}
}

// OPc computes OPc = OP ⊕ E_K(OP) (TS 35.206 §4.1).
func OPc(k, op [16]byte) [16]byte {
	b, err := aes.NewCipher(k[:])
	if err != nil {
		panic(err)
	}
	var out [16]byte
	b.Encrypt(out[:], op[:])
	xor16(&out, &op)
	return out
}

// OPc returns the OPc this instance was keyed with.
func (m *Milenage) OPc() [16]byte { return m.opc }

// temp is TEMP = E_K(RAND ⊕ OPc).
func (m *Milenage) temp(rand *[16]byte) [16]byte {
	var t [16]byte
	for i := range t {
		t[i] = rand[i] ^ m.opc[i]
	}
	m.block.Encrypt(t[:], t[:])
	return t
}

// out computes OUTn = E_K(rot(TEMP ⊕ OPc, r) ⊕ c) ⊕ OPc for n = 2..5.
func (m *Milenage) out(temp *[16]byte, r int, c byte) [16]byte {
	var x, y [16]byte
	for i := range x {
		x[i] = temp[i] ^ m.opc[i]
	}
	rotate(&y, &x, r)
	y[15] ^= c
	m.block.Encrypt(y[:], y[:])
	xor16(&y, &m.opc)
	return y
}

// out1 computes OUT1 = E_K(TEMP ⊕ rot(IN1 ⊕ OPc, r1) ⊕ c1) ⊕ OPc with
// IN1 = SQN ‖ AMF ‖ SQN ‖ AMF; f1 is its first half, f1* the second.
func (m *Milenage) out1(rand *[16]byte, sqn [6]byte, amf [2]byte) [16]byte {
	t := m.temp(rand)
	var in1, x, y [16]byte
	copy(in1[0:6], sqn[:])
	copy(in1[6:8], amf[:])
	copy(in1[8:16], in1[0:8])
	for i := range x {
		x[i] = in1[i] ^ m.opc[i]
	}
	rotate(&y, &x, r1)
	for i := range y {
		y[i] ^= t[i]
	}
	y[15] ^= c1
	m.block.Encrypt(y[:], y[:])
	xor16(&y, &m.opc)
	return y
}

// F1 is the network authentication function: MAC-A = f1_K(SQN, RAND, AMF).
func (m *Milenage) F1(rand [16]byte, sqn [6]byte, amf [2]byte) [8]byte {
	o := m.out1(&rand, sqn, amf)
	return [8]byte(o[0:8])
}

// F1Star is the re-synchronisation message authentication function:
// MAC-S = f1*_K(SQN, RAND, AMF).
func (m *Milenage) F1Star(rand [16]byte, sqn [6]byte, amf [2]byte) [8]byte {
	o := m.out1(&rand, sqn, amf)
	return [8]byte(o[8:16])
}

// F1Both returns f1 and f1* from one computation.
func (m *Milenage) F1Both(rand [16]byte, sqn [6]byte, amf [2]byte) (macA, macS [8]byte) {
	o := m.out1(&rand, sqn, amf)
	return [8]byte(o[0:8]), [8]byte(o[8:16])
}

// F2345 computes RES = f2 (64 bits), CK = f3, IK = f4 and AK = f5.
func (m *Milenage) F2345(rand [16]byte) (res [8]byte, ck, ik [16]byte, ak [6]byte) {
	t := m.temp(&rand)
	o2 := m.out(&t, r2, c2)
	copy(ak[:], o2[0:6])
	copy(res[:], o2[8:16])
	ck = m.out(&t, r3, c3)
	ik = m.out(&t, r4, c4)
	return res, ck, ik, ak
}

// F5 computes the anonymity key AK = f5_K(RAND).
func (m *Milenage) F5(rand [16]byte) [6]byte {
	t := m.temp(&rand)
	o := m.out(&t, r2, c2)
	return [6]byte(o[0:6])
}

// F5Star computes the re-synchronisation anonymity key AK = f5*_K(RAND).
func (m *Milenage) F5Star(rand [16]byte) [6]byte {
	t := m.temp(&rand)
	o := m.out(&t, r5, c5)
	return [6]byte(o[0:6])
}

// rotate sets dst to src cyclically rotated by r bits towards the most
// significant bit (r is a multiple of 8 for MILENAGE).
func rotate(dst, src *[16]byte, r int) {
	s := r / 8
	for i := range dst {
		dst[i] = src[(i+s)%16]
	}
}

func xor16(dst, src *[16]byte) {
	a := binary.BigEndian.Uint64(dst[0:8]) ^ binary.BigEndian.Uint64(src[0:8])
	b := binary.BigEndian.Uint64(dst[8:16]) ^ binary.BigEndian.Uint64(src[8:16])
	binary.BigEndian.PutUint64(dst[0:8], a)
	binary.BigEndian.PutUint64(dst[8:16], b)
}

// SQNBytes encodes a 48-bit sequence number big-endian.
func SQNBytes(sqn uint64) [6]byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], sqn)
	return [6]byte(b[2:8])
}

// SQNValue decodes a 48-bit big-endian sequence number.
func SQNValue(b [6]byte) uint64 {
	var x [8]byte
	copy(x[2:], b[:])
	return binary.BigEndian.Uint64(x[:])
}

func checkSQN(sqn uint64) error {
	if sqn > MaxSQN {
		return fmt.Errorf("security: SQN %#x does not fit in 48 bits", sqn)
	}
	return nil
}
