package security

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/nbsim/nbsim/gpp"
)

// FC values of the EPS key derivations (TS 33.401 Annex A).
const (
	FCKASME   = 0x10 // K_ASME from CK, IK (A.2)
	FCKeNB    = 0x11 // K_eNB from K_ASME (A.3)
	FCNH      = 0x12 // NH (A.4)
	FCKeNBx   = 0x13 // K_eNB* (A.5)
	FCAlgoKey = 0x15 // NAS, RRC and UP keys (A.7)
)

// Algorithm type distinguishers P0 of the FC 0x15 derivation (TS 33.401
// A.7, Table A.7-1).
const (
	NASEncAlg = 0x01
	NASIntAlg = 0x02
	RRCEncAlg = 0x03
	RRCIntAlg = 0x04
	UPEncAlg  = 0x05
	UPIntAlg  = 0x06
)

// KDF is the generic key derivation function of TS 33.220 Annex B.2,
// used by TS 33.401 Annex A: HMAC-SHA-256(Key, S) with
// S = FC ‖ P0 ‖ L0 ‖ P1 ‖ L1 ‖ …, where Li is the length of Pi in octets
// as a two-octet big-endian number.
func KDF(key []byte, fc byte, params ...[]byte) [32]byte {
	n := 1
	for _, p := range params {
		n += len(p) + 2
	}
	var buf [64]byte
	s := buf[:0]
	if n > len(buf) {
		s = make([]byte, 0, n)
	}
	s = append(s, fc)
	for _, p := range params {
		s = append(s, p...)
		s = binary.BigEndian.AppendUint16(s, uint16(len(p)))
	}
	return hmacSHA256(key, s)
}

// hmacSHA256 is HMAC-SHA-256 (RFC 2104) written out with two SHA-256
// sums over buffers on the stack: crypto/hmac allocates two hash states
// and a few buffers per call, and the simulator derives keys for every
// device.
func hmacSHA256(key, msg []byte) [32]byte {
	var k [sha256.BlockSize]byte
	if len(key) > len(k) {
		h := sha256.Sum256(key)
		copy(k[:], h[:])
	} else {
		copy(k[:], key)
	}
	var ibuf [sha256.BlockSize + 128]byte
	in := ibuf[:0]
	if sha256.BlockSize+len(msg) > len(ibuf) {
		in = make([]byte, 0, sha256.BlockSize+len(msg))
	}
	for _, c := range k {
		in = append(in, c^0x36)
	}
	inner := sha256.Sum256(append(in, msg...))
	var out [sha256.BlockSize + sha256.Size]byte
	for i, c := range k {
		out[i] = c ^ 0x5c
	}
	copy(out[sha256.BlockSize:], inner[:])
	return sha256.Sum256(out[:])
}

// SNID is the serving network identity used in the K_ASME derivation: the
// PLMN identity encoded as TS 33.401 A.2 requires, the three octets of
// TS 24.008 §10.5.1.13 (gpp.PLMN; MCC 001, MNC 01 give 00 f1 10).
type SNID = gpp.PLMN

// DeriveKASME is TS 33.401 A.2: K_ASME = KDF(CK ‖ IK, FC = 0x10,
// P0 = SN id, P1 = SQN ⊕ AK).
func DeriveKASME(ck, ik [16]byte, snid SNID, sqnXorAK [6]byte) [32]byte {
	var key [32]byte
	copy(key[:16], ck[:])
	copy(key[16:], ik[:])
	return KDF(key[:], FCKASME, snid[:], sqnXorAK[:])
}

// DeriveKeNB is TS 33.401 A.3: K_eNB = KDF(K_ASME, FC = 0x11, P0 = uplink
// NAS COUNT as four octets).
func DeriveKeNB(kasme [32]byte, ulNASCount uint32) [32]byte {
	var p [4]byte
	binary.BigEndian.PutUint32(p[:], ulNASCount)
	return KDF(kasme[:], FCKeNB, p[:])
}

// DeriveAlgorithmKey is TS 33.401 A.7: KDF(key, FC = 0x15, P0 = algorithm
// type distinguisher, P1 = algorithm identity), truncated to its 128 least
// significant bits (the last 16 octets) for the 128-bit algorithms.
func DeriveAlgorithmKey(key [32]byte, distinguisher, algID byte) [16]byte {
	full := KDF(key[:], FCAlgoKey, []byte{distinguisher}, []byte{algID})
	return [16]byte(full[16:32])
}

// DeriveNASKeys derives K_NASenc and K_NASint from K_ASME for the selected
// algorithms (TS 33.401 A.7).
func DeriveNASKeys(kasme [32]byte, enc CipheringAlg, integ IntegrityAlg) (kEnc, kInt [16]byte) {
	return DeriveAlgorithmKey(kasme, NASEncAlg, byte(enc)), DeriveAlgorithmKey(kasme, NASIntAlg, byte(integ))
}
