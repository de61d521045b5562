package security

import (
	"crypto/subtle"
	"errors"
	"fmt"
)

// AV is an EPS authentication vector (TS 33.401 §6.1.1): what the HSS
// sends the MME in the Authentication Information Answer.
type AV struct {
	RAND  [16]byte
	XRES  [8]byte
	AUTN  [16]byte // SQN ⊕ AK ‖ AMF ‖ MAC
	KASME [32]byte
}

// GenerateAV computes an EPS authentication vector for RAND, SQN and AMF
// (TS 33.102 §6.3.2 with the K_ASME of TS 33.401 §6.1.1 and A.2 instead of
// CK and IK). The caller chooses RAND (random) and SQN (fresh, see
// TS 33.102 Annex C) and sets the AMF separation bit (TS 33.401 §6.1.1).
func GenerateAV(m *Milenage, rand [16]byte, sqn uint64, amf [2]byte, snid SNID) (AV, error) {
	if err := checkSQN(sqn); err != nil {
		return AV{}, err
	}
	sq := SQNBytes(sqn)
	macA := m.F1(rand, sq, amf)
	res, ck, ik, ak := m.F2345(rand)
	var conc [6]byte
	for i := range conc {
		conc[i] = sq[i] ^ ak[i]
	}
	av := AV{RAND: rand, XRES: res}
	copy(av.AUTN[0:6], conc[:])
	copy(av.AUTN[6:8], amf[:])
	copy(av.AUTN[8:16], macA[:])
	av.KASME = DeriveKASME(ck, ik, snid, conc)
	return av, nil
}

// resyncAMF is AMF*, the dummy AMF of all zeros used in MAC-S (TS 33.102
// §6.3.3).
var resyncAMF = [2]byte{}

// AUTS builds the re-synchronisation token AUTS = SQN_MS ⊕ AK* ‖ MAC-S with
// AK* = f5*(RAND) and MAC-S = f1*(SQN_MS, RAND, AMF*) (TS 33.102 §6.3.3).
func (m *Milenage) AUTS(rand [16]byte, sqnMS uint64) ([14]byte, error) {
	if err := checkSQN(sqnMS); err != nil {
		return [14]byte{}, err
	}
	sq := SQNBytes(sqnMS)
	akStar := m.F5Star(rand)
	macS := m.F1Star(rand, sq, resyncAMF)
	var auts [14]byte
	for i := 0; i < 6; i++ {
		auts[i] = sq[i] ^ akStar[i]
	}
	copy(auts[6:], macS[:])
	return auts, nil
}

// ResyncSQN is the HE/AuC side of re-synchronisation (TS 33.102 §6.3.5):
// it recovers SQN_MS from AUTS and verifies MAC-S. A wrong MAC-S gives an
// error wrapping ErrMACFailure.
func (m *Milenage) ResyncSQN(rand [16]byte, auts [14]byte) (sqnMS uint64, err error) {
	akStar := m.F5Star(rand)
	var sq [6]byte
	for i := range sq {
		sq[i] = auts[i] ^ akStar[i]
	}
	macS := m.F1Star(rand, sq, resyncAMF)
	if subtle.ConstantTimeCompare(macS[:], auts[6:14]) != 1 {
		return 0, fmt.Errorf("security: AUTS: MAC-S does not verify: %w", ErrMACFailure)
	}
	return SQNValue(sq), nil
}

// Authentication failures, with the EMM cause the UE sends in
// AUTHENTICATION FAILURE (TS 24.301 §5.4.2.6).
var (
	ErrMACFailure   = errors.New("MAC failure")                         // EMM cause #20
	ErrSynchFailure = errors.New("synch failure")                       // EMM cause #21
	ErrNonEPSAuth   = errors.New("non-EPS authentication unacceptable") // EMM cause #26
)

// AuthError is a failed USIM authentication. Err is ErrMACFailure,
// ErrSynchFailure or ErrNonEPSAuth; AUTS is set for a synch failure.
type AuthError struct {
	Err   error
	Cause uint8 // EMM cause value
	AUTS  [14]byte
	SQN   uint64 // the SQN received in AUTN (after MAC verification)
}

func (e *AuthError) Error() string {
	if e.Err == ErrSynchFailure {
		return fmt.Sprintf("authentication: %v (SQN %#x not acceptable, AUTS %x)", e.Err, e.SQN, e.AUTS)
	}
	return "authentication: " + e.Err.Error()
}

func (e *AuthError) Unwrap() error { return e.Err }

// USIM sequence number handling (TS 33.102 Annex C).
const (
	// INDBits is the length of the index IND in SQN = SEQ ‖ IND (C.3.2
	// recommends 5 bits, an array of 32).
	INDBits = 5
	// DefaultDelta is Δ, the largest accepted increase of SEQ (C.3.2
	// recommends 2^28).
	DefaultDelta = 1 << 28
)

// USIM is the subscriber side of EPS AKA (TS 33.102 §6.3.3 with the EPS
// additions of TS 33.401 §6.1.1): MAC verification and the sequence number
// freshness check of TS 33.102 Annex C.2 (SQN = SEQ ‖ IND, an array of
// 2^INDBits previously accepted SEQ values, the Δ limit of C.2.1 and the
// optional age limit L of C.2.2). It is not safe for concurrent use.
type USIM struct {
	m     *Milenage
	seqMS [1 << INDBits]uint64
	sqnMS uint64 // highest accepted SQN
	// Delta is Δ in SEQ units; 0 means DefaultDelta.
	Delta uint64
	// L is the age limit in SEQ units (SEQ_MS - SEQ < L); 0 disables it.
	L uint64
	// RequireSeparationBit makes the ME reject an AUTN whose AMF
	// separation bit (bit 0, the most significant) is 0 (TS 33.401
	// §6.1.1), with ErrNonEPSAuth. NewUSIM sets it.
	RequireSeparationBit bool
}

// NewUSIM returns a USIM with K and OPc and no accepted sequence number.
func NewUSIM(k, opc [16]byte) *USIM {
	return &USIM{m: NewMilenage(k, opc), RequireSeparationBit: true}
}

// Milenage returns the USIM's algorithm instance.
func (u *USIM) Milenage() *Milenage { return u.m }

// SQNMS returns SQN_MS, the highest SQN accepted so far.
func (u *USIM) SQNMS() uint64 { return u.sqnMS }

// SetSQNMS records sqn as accepted (its SEQ in the IND slot, and SQN_MS
// when higher), as if an AUTN with that SQN had been verified.
func (u *USIM) SetSQNMS(sqn uint64) {
	seq, ind := sqn>>INDBits, sqn&(1<<INDBits-1)
	if seq > u.seqMS[ind] {
		u.seqMS[ind] = seq
	}
	if sqn > u.sqnMS {
		u.sqnMS = sqn
	}
}

// AuthResult is what a successful authentication yields.
type AuthResult struct {
	RES    [8]byte
	CK, IK [16]byte
	KASME  [32]byte
	SQN    uint64
	AMF    [2]byte
}

// Authenticate runs the USIM and ME checks on AUTHENTICATION REQUEST:
// AK = f5(RAND), SQN = (SQN ⊕ AK) ⊕ AK, XMAC = f1(SQN, RAND, AMF) must equal
// MAC (else ErrMACFailure), the separation bit must be set (else
// ErrNonEPSAuth), and SQN must be fresh and in range (else ErrSynchFailure
// with AUTS). On success the SQN is recorded and RES, CK, IK and K_ASME
// are returned.
func (u *USIM) Authenticate(rand, autn [16]byte, snid SNID) (AuthResult, error) {
	m := u.m
	res, ck, ik, ak := m.F2345(rand)
	var conc, sq [6]byte
	copy(conc[:], autn[0:6])
	for i := range sq {
		sq[i] = conc[i] ^ ak[i]
	}
	amf := [2]byte(autn[6:8])
	xmac := m.F1(rand, sq, amf)
	if subtle.ConstantTimeCompare(xmac[:], autn[8:16]) != 1 {
		return AuthResult{}, &AuthError{Err: ErrMACFailure, Cause: 20}
	}
	sqn := SQNValue(sq)
	if u.RequireSeparationBit && amf[0]&0x80 == 0 {
		return AuthResult{}, &AuthError{Err: ErrNonEPSAuth, Cause: 26, SQN: sqn}
	}
	if !u.fresh(sqn) {
		auts, _ := m.AUTS(rand, u.sqnMS)
		return AuthResult{}, &AuthError{Err: ErrSynchFailure, Cause: 21, AUTS: auts, SQN: sqn}
	}
	u.SetSQNMS(sqn)
	return AuthResult{RES: res, CK: ck, IK: ik, KASME: DeriveKASME(ck, ik, snid, conc), SQN: sqn, AMF: amf}, nil
}

// fresh applies TS 33.102 C.2.1 (Δ), C.2.2 (L) and the array check.
func (u *USIM) fresh(sqn uint64) bool {
	seq, ind := sqn>>INDBits, sqn&(1<<INDBits-1)
	seqMS := u.sqnMS >> INDBits
	delta := u.Delta
	if delta == 0 {
		delta = DefaultDelta
	}
	if seq > seqMS && seq-seqMS > delta {
		return false
	}
	if u.L > 0 && seqMS >= seq && seqMS-seq >= u.L {
		return false
	}
	return seq > u.seqMS[ind]
}
