package security

import (
	"bytes"
	"errors"
	"testing"

	"github.com/nbsim/nbsim/gpp"
)

var testSNID = gpp.MustPLMN("001", "01")

// TestAVFromTestSets builds AUTN, XRES and K_ASME from the MILENAGE test
// sets and checks them against the published f1, f2, f5 and a K_ASME
// recomputed from f3 and f4; the USIM then verifies each vector.
func TestAVFromTestSets(t *testing.T) {
	for _, ts := range milenageSets {
		k, rand := h16(t, ts.k), h16(t, ts.rand)
		opc := h16(t, ts.opc)
		sqn := SQNValue([6]byte(unhex(t, ts.sqn)))
		amf := [2]byte(unhex(t, ts.amf))
		av, err := GenerateAV(NewMilenage(k, opc), rand, sqn, amf, testSNID)
		if err != nil {
			t.Fatal(err)
		}
		var wantAUTN []byte
		for i, b := range unhex(t, ts.sqn) {
			wantAUTN = append(wantAUTN, b^unhex(t, ts.f5)[i])
		}
		wantAUTN = append(append(wantAUTN, amf[:]...), unhex(t, ts.f1)...)
		if !bytes.Equal(av.AUTN[:], wantAUTN) || !bytes.Equal(av.XRES[:], unhex(t, ts.f2)) || av.RAND != rand {
			t.Errorf("set %d: AV %x %x, want AUTN %x XRES %s", ts.n, av.AUTN, av.XRES, wantAUTN, ts.f2)
		}
		if want := DeriveKASME(h16(t, ts.f3), h16(t, ts.f4), testSNID, [6]byte(wantAUTN[:6])); av.KASME != want {
			t.Errorf("set %d: K_ASME %x, want %x", ts.n, av.KASME, want)
		}

		u := NewUSIM(k, opc)
		u.Delta = 1 << 43 // a fresh USIM accepts the test sets' large SQNs
		u.RequireSeparationBit = false
		r, err := u.Authenticate(av.RAND, av.AUTN, testSNID)
		if err != nil {
			t.Fatalf("set %d: %v", ts.n, err)
		}
		if r.RES != av.XRES || r.KASME != av.KASME || r.SQN != sqn || r.AMF != amf ||
			!bytes.Equal(r.CK[:], unhex(t, ts.f3)) || !bytes.Equal(r.IK[:], unhex(t, ts.f4)) {
			t.Errorf("set %d: USIM result %+v", ts.n, r)
		}
		if u.SQNMS() != sqn {
			t.Errorf("set %d: SQN_MS %#x, want %#x", ts.n, u.SQNMS(), sqn)
		}
	}
}

// TestAUTSFromTestSets checks AUTS = SQN_MS ⊕ f5* ‖ f1*(SQN_MS, RAND,
// 0000) and that the HE recovers SQN_MS from it.
func TestAUTSFromTestSets(t *testing.T) {
	for _, ts := range milenageSets {
		m := NewMilenage(h16(t, ts.k), h16(t, ts.opc))
		rand, sqn := h16(t, ts.rand), [6]byte(unhex(t, ts.sqn))
		auts, err := m.AUTS(rand, SQNValue(sqn))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 6 {
			if auts[i] != sqn[i]^unhex(t, ts.f5s)[i] {
				t.Fatalf("set %d: AUTS %x does not start with SQN ⊕ f5*", ts.n, auts)
			}
		}
		if macS := m.F1Star(rand, sqn, [2]byte{}); !bytes.Equal(auts[6:], macS[:]) {
			t.Errorf("set %d: MAC-S %x, want %x", ts.n, auts[6:], macS)
		}
		got, err := m.ResyncSQN(rand, auts)
		if err != nil || got != SQNValue(sqn) {
			t.Errorf("set %d: ResyncSQN = %#x, %v", ts.n, got, err)
		}
		for i := range auts {
			bad := auts
			bad[i] ^= 0x01
			if _, err := m.ResyncSQN(rand, bad); !errors.Is(err, ErrMACFailure) {
				t.Fatalf("set %d: AUTS octet %d flipped: %v, want a MAC-S failure", ts.n, i, err)
			}
		}
	}
	if _, err := NewMilenage([16]byte{}, [16]byte{}).AUTS([16]byte{}, MaxSQN+1); err == nil {
		t.Error("AUTS of a 49-bit SQN accepted")
	}
	if _, err := GenerateAV(NewMilenage([16]byte{}, [16]byte{}), [16]byte{}, MaxSQN+1, [2]byte{}, testSNID); err == nil {
		t.Error("AV with a 49-bit SQN accepted")
	}
}

func testUSIM(t *testing.T) (*Milenage, *USIM) {
	k := h16(t, "465b5ce8b199b49faa5f0a2ee238a6bc")
	opc := h16(t, "cd63cb71954a9f4e48a5994e37a02baf")
	return NewMilenage(k, opc), NewUSIM(k, opc)
}

func authErr(t *testing.T, err error, want error) *AuthError {
	t.Helper()
	var ae *AuthError
	if !errors.As(err, &ae) || !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	return ae
}

// TestUSIM exercises the USIM checks: round trip, MAC failure, the
// separation bit, and freshness with synch failure and resynchronisation.
func TestUSIM(t *testing.T) {
	he, u := testUSIM(t)
	amf := [2]byte{0x80, 0x00}
	rand := h16(t, "000102030405060708090a0b0c0d0e0f")
	av, _ := GenerateAV(he, rand, 32, amf, testSNID) // SEQ 1, IND 0
	r, err := u.Authenticate(av.RAND, av.AUTN, testSNID)
	if err != nil || r.RES != av.XRES || r.KASME != av.KASME {
		t.Fatalf("Authenticate = %+v, %v", r, err)
	}

	// The same AUTN again: SEQ 1 is no longer fresh in IND slot 0.
	ae := authErr(t, func() error { _, err := u.Authenticate(av.RAND, av.AUTN, testSNID); return err }(), ErrSynchFailure)
	if ae.Cause != 21 || ae.SQN != 32 {
		t.Errorf("synch failure %+v", ae)
	}
	sqnMS, err := he.ResyncSQN(av.RAND, ae.AUTS)
	if err != nil || sqnMS != 32 {
		t.Fatalf("ResyncSQN = %d, %v", sqnMS, err)
	}

	// Tampered AUTN (each octet of SQN ⊕ AK, AMF and MAC): MAC failure.
	for i := range av.AUTN {
		bad := av.AUTN
		bad[i] ^= 0x10
		ae := authErr(t, func() error { _, err := u.Authenticate(av.RAND, bad, testSNID); return err }(), ErrMACFailure)
		if ae.Cause != 20 {
			t.Errorf("cause %d", ae.Cause)
		}
	}
	// Another subscriber's key: MAC failure.
	other := NewUSIM(h16(t, "0396eb317b6d1c36f19c1c84cd6ffd16"), h16(t, "53c15671c60a4b731c55b4a441c0bde2"))
	authErr(t, func() error { _, err := other.Authenticate(av.RAND, av.AUTN, testSNID); return err }(), ErrMACFailure)

	// Separation bit 0: non-EPS authentication unacceptable.
	av2, _ := GenerateAV(he, rand, 64, [2]byte{0x00, 0x00}, testSNID)
	authErr(t, func() error { _, err := u.Authenticate(av2.RAND, av2.AUTN, testSNID); return err }(), ErrNonEPSAuth)
	u.RequireSeparationBit = false
	if _, err := u.Authenticate(av2.RAND, av2.AUTN, testSNID); err != nil {
		t.Errorf("separation bit not required: %v", err)
	}
	u.RequireSeparationBit = true
	if u.SQNMS() != 64 {
		t.Errorf("SQN_MS = %d, want 64", u.SQNMS())
	}
}

// TestUSIMFreshness covers TS 33.102 Annex C.2: the IND array lets AVs of
// one batch arrive out of order, Δ bounds jumps and L bounds age.
func TestUSIMFreshness(t *testing.T) {
	he, u := testUSIM(t)
	amf := [2]byte{0x80, 0x00}
	try := func(sqn uint64) error {
		av, _ := GenerateAV(he, [16]byte{byte(sqn)}, sqn, amf, testSNID)
		_, err := u.Authenticate(av.RAND, av.AUTN, testSNID)
		return err
	}
	seqInd := func(seq, ind uint64) uint64 { return seq<<INDBits | ind }
	for _, step := range []struct {
		sqn uint64
		ok  bool
	}{
		{seqInd(5, 1), true},
		{seqInd(3, 2), true},  // older SEQ, but fresh in its IND slot
		{seqInd(3, 2), false}, // replay
		{seqInd(5, 1), false}, // replay
		{seqInd(4, 1), false}, // older than slot 1
		{seqInd(6, 1), true},
		{seqInd(0, 7), false}, // SEQ 0 is never fresh (slots start at 0)
		{seqInd(6+DefaultDelta, 3), true},
		{seqInd(6+2*DefaultDelta+1, 3), false}, // jump larger than Δ
	} {
		err := try(step.sqn)
		if (err == nil) != step.ok {
			t.Fatalf("SQN SEQ %d IND %d: %v, want ok=%v", step.sqn>>INDBits, step.sqn&31, err, step.ok)
		}
		if err != nil {
			ae := authErr(t, err, ErrSynchFailure)
			if got, _ := he.ResyncSQN([16]byte{byte(step.sqn)}, ae.AUTS); got != u.SQNMS() {
				t.Errorf("AUTS carries SQN_MS %#x, want %#x", got, u.SQNMS())
			}
		}
	}
	u.L = 10
	if err := try(seqInd(6+DefaultDelta-10, 9)); err == nil {
		t.Error("SEQ L behind SQN_MS accepted")
	}
	if err := try(seqInd(6+DefaultDelta-9, 9)); err != nil {
		t.Errorf("SEQ L-1 behind SQN_MS: %v", err)
	}
	u.SetSQNMS(seqInd(2, 4)) // lower than SQN_MS: only the slot moves
	if u.SQNMS() != seqInd(6+DefaultDelta, 3) {
		t.Errorf("SetSQNMS lowered SQN_MS to %#x", u.SQNMS())
	}
	if u.Milenage() == nil {
		t.Error("no Milenage")
	}
}
