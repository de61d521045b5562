package security

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

var testKASME = [32]byte{
	0x23, 0x8e, 0x45, 0x7e, 0x0f, 0x75, 0x8b, 0xad, 0xbc, 0xa8, 0xd3, 0x4b, 0xb2, 0x61, 0x2c, 0x10,
	0x42, 0x8d, 0x42, 0x67, 0x57, 0xcb, 0x55, 0x53, 0xb2, 0xb1, 0x84, 0xfa, 0x64, 0xbf, 0xc5, 0x49,
}

// pair returns an MME and a UE context sharing K_ASME.
func pair(_ testing.TB, enc CipheringAlg, integ IntegrityAlg) (mme, ue *Context) {
	mme, err := NewContext(testKASME, 1, enc, integ)
	if err != nil {
		panic(err)
	}
	ue, _ = NewContext(testKASME, 1, enc, integ)
	return mme, ue
}

// esmData is a 60-octet NAS message (an ESM DATA TRANSPORT-like body).
func esmData(i int) []byte {
	m := make([]byte, 60)
	m[0], m[1] = 0x02, 0xeb
	for j := 2; j < len(m); j++ {
		m[j] = byte(i*31 + j)
	}
	return m
}

func wantNASErr(t *testing.T, err error, want error) *NASError {
	t.Helper()
	var ne *NASError
	if !errors.As(err, &ne) || !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	return ne
}

// TestProtectFormat checks the octets of a protected message against the
// algorithms applied by hand: header, MAC over SQN ‖ message, ciphering of
// the message only, and the sequence number.
func TestProtectFormat(t *testing.T) {
	for _, enc := range []CipheringAlg{EEA0, EEA1, EEA2, EEA3} {
		for _, integ := range []IntegrityAlg{EIA0, EIA1, EIA2, EIA3} {
			for _, ht := range []byte{1, 2, 3, 4} {
				for _, downlink := range []bool{false, true} {
					c, _ := pair(t, enc, integ)
					c.ULCount, c.DLCount = 0x0102ff, 0x00a005
					count := c.ULCount
					dir := uint8(Uplink)
					if downlink {
						count, dir = c.DLCount, Downlink
					}
					plain := esmData(3)
					out, err := c.Protect(plain, downlink, ht)
					if err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("%v/%v type %d downlink %v", enc, integ, ht, downlink)
					if out[0] != ht<<4|0x07 || out[5] != byte(count) || len(out) != 66 {
						t.Fatalf("%s: header %x", name, out[:6])
					}
					body := plain
					if ht == 2 || ht == 4 {
						body, _ = Encrypt(enc, c.KNASenc, count, 0, dir, plain, 8*len(plain))
					}
					if !bytes.Equal(out[6:], body) {
						t.Errorf("%s: body %x, want %x", name, out[6:], body)
					}
					mac, _ := MAC(integ, c.KNASint, count, 0, dir, out[5:], 8*len(out[5:]))
					if !bytes.Equal(out[1:5], mac[:]) {
						t.Errorf("%s: MAC %x, want %x", name, out[1:5], mac)
					}
					if next := map[bool]uint32{false: c.ULCount, true: c.DLCount}[downlink]; next != count+1 {
						t.Errorf("%s: NAS COUNT %d after sending %d", name, next, count)
					}
				}
			}
		}
	}
}

// TestRoundTripAll protects and unprotects in both directions for every
// 128-EEA/EIA combination and every protected header type.
func TestRoundTripAll(t *testing.T) {
	for _, enc := range []CipheringAlg{EEA0, EEA1, EEA2, EEA3} {
		for _, integ := range []IntegrityAlg{EIA0, EIA1, EIA2, EIA3} {
			mme, ue := pair(t, enc, integ)
			for i := 0; i < 8; i++ {
				ht := byte(1 + i%4)
				msg := esmData(i)[:20+i]
				ul, err := ue.Protect(msg, false, ht)
				if err != nil {
					t.Fatal(err)
				}
				got, err := mme.Unprotect(ul, false)
				if err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("%v/%v uplink %d: %x, %v", enc, integ, i, got, err)
				}
				dl, _ := mme.Protect(msg, true, ht)
				got, err = ue.Unprotect(dl, true)
				if err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("%v/%v downlink %d: %x, %v", enc, integ, i, got, err)
				}
				if (ht == 2 || ht == 4) && enc != EEA0 && bytes.Contains(ul, msg[2:18]) {
					t.Errorf("%v/%v: ciphered message contains the plain text", enc, integ)
				}
			}
			if mme.ULCount != 8 || ue.ULCount != 8 || mme.DLCount != 8 || ue.DLCount != 8 {
				t.Errorf("%v/%v: counts %d %d %d %d", enc, integ, mme.ULCount, ue.ULCount, mme.DLCount, ue.DLCount)
			}
		}
	}
}

func TestTamper(t *testing.T) {
	for _, integ := range []IntegrityAlg{EIA1, EIA2, EIA3} {
		mme, ue := pair(t, EEA2, integ)
		ul, _ := ue.Protect(esmData(1), false, HeaderIntegrityCiphered)
		for i := 1; i < len(ul); i++ {
			for _, bit := range []byte{0x01, 0x80} {
				bad := append([]byte(nil), ul...)
				bad[i] ^= bit
				_, err := mme.Unprotect(bad, false)
				wantNASErr(t, err, ErrIntegrity)
			}
		}
		if got, err := mme.Unprotect(ul, false); err != nil || !bytes.Equal(got, esmData(1)) {
			t.Fatalf("%v: the untampered message after the failures: %v", integ, err)
		}
		// Uplink message presented as downlink: the DIRECTION bit differs.
		ue2, _ := pair(t, EEA2, integ)
		_, err := ue2.Unprotect(ul, true)
		wantNASErr(t, err, ErrIntegrity)
	}
}

func TestReplay(t *testing.T) {
	for _, integ := range []IntegrityAlg{EIA1, EIA2, EIA3} {
		mme, ue := pair(t, EEA1, integ)
		var sent [][]byte
		for i := 0; i < 300; i++ {
			m, _ := ue.Protect(esmData(i), false, HeaderIntegrityCiphered)
			sent = append(sent, m)
			if _, err := mme.Unprotect(m, false); err != nil {
				t.Fatalf("%v: message %d: %v", integ, i, err)
			}
			if integ != EIA2 && i > 3 {
				break // the SNOW 3G and ZUC contexts need not run 300 times
			}
		}
		last := len(sent) - 1
		ne := wantNASErr(t, func() error { _, err := mme.Unprotect(sent[last], false); return err }(), ErrReplay)
		if ne.Count != uint32(last) {
			t.Errorf("%v: replay reported at COUNT %d, want %d", integ, ne.Count, last)
		}
		if last >= 290 {
			wantNASErr(t, func() error { _, err := mme.Unprotect(sent[290], false); return err }(), ErrReplay)
			// Older than one sequence number cycle: the estimate cannot
			// reach it, so it fails as a MAC failure.
			wantNASErr(t, func() error { _, err := mme.Unprotect(sent[10], false); return err }(), ErrIntegrity)
		}
		if mme.ULCount != uint32(last+1) {
			t.Errorf("%v: UL COUNT moved to %d by rejected messages", integ, mme.ULCount)
		}
	}
}

// TestCountWrap sends 600 messages each way with some lost around the
// sequence number wrap 255 → 256 and 511 → 512.
func TestCountWrap(t *testing.T) {
	mme, ue := pair(t, EEA2, EIA2)
	lost := map[int]bool{254: true, 255: true, 256: true, 257: true, 510: true, 511: true, 512: true}
	for i := 0; i < 600; i++ {
		ul, _ := ue.Protect(esmData(i), false, HeaderIntegrityCiphered)
		dl, _ := mme.Protect(esmData(i), true, HeaderIntegrity)
		if ul[5] != byte(i) || dl[5] != byte(i) {
			t.Fatalf("message %d: sequence numbers %d %d", i, ul[5], dl[5])
		}
		if lost[i] {
			continue
		}
		if got, err := mme.Unprotect(ul, false); err != nil || !bytes.Equal(got, esmData(i)) {
			t.Fatalf("uplink %d: %v", i, err)
		}
		if got, err := ue.Unprotect(dl, true); err != nil || !bytes.Equal(got, esmData(i)) {
			t.Fatalf("downlink %d: %v", i, err)
		}
		if mme.ULCount != uint32(i+1) || ue.DLCount != uint32(i+1) {
			t.Fatalf("after %d: receiver counts %d %d", i, mme.ULCount, ue.DLCount)
		}
	}
	for _, tc := range []struct {
		next uint32
		sqn  uint8
		want uint32
	}{{0, 0, 0}, {255, 255, 255}, {256, 0, 256}, {256, 255, 511}, {300, 43, 555}, {300, 44, 300}, {0x1ff, 0x00, 0x200}} {
		if got := EstimateCount(tc.next, tc.sqn); got != tc.want {
			t.Errorf("EstimateCount(%d, %d) = %d, want %d", tc.next, tc.sqn, got, tc.want)
		}
	}
}

func TestWrongKey(t *testing.T) {
	for _, integ := range []IntegrityAlg{EIA1, EIA2, EIA3} {
		_, ue := pair(t, EEA0, integ)
		other := testKASME
		other[31] ^= 1
		mme, _ := NewContext(other, 1, EEA0, integ)
		ul, _ := ue.Protect(esmData(0), false, HeaderIntegrity)
		_, err := mme.Unprotect(ul, false)
		wantNASErr(t, err, ErrIntegrity)
		// Same K_ASME, other integrity algorithm: other key and MAC.
		mme2, _ := NewContext(testKASME, 1, EEA0, integ%3+1)
		_, err = mme2.Unprotect(ul, false)
		wantNASErr(t, err, ErrIntegrity)
	}
}

func TestUnprotectedAfterSMC(t *testing.T) {
	mme, _ := pair(t, EEA2, EIA2)
	plain := []byte{0x07, 0x41, 0x71, 0x08} // an ATTACH REQUEST start
	if got, err := mme.Unprotect(plain, false); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("before SMC: %x, %v", got, err)
	}
	mme.Active = true
	got, err := mme.Unprotect(plain, false)
	wantNASErr(t, err, ErrUnprotected)
	if !bytes.Equal(got, plain) {
		t.Errorf("the plain message is still returned for the exception list: %x", got)
	}
}

func TestMalformed(t *testing.T) {
	mme, ue := pair(t, EEA2, EIA2)
	for _, b := range [][]byte{nil, {0x27}, {0x57, 1, 2, 3, 4, 0, 1}, {0x22, 1, 2, 3, 4, 0, 1}, {0x17, 1, 2, 3, 4, 0}} {
		_, err := mme.Unprotect(b, false)
		wantNASErr(t, err, ErrMalformed)
	}
	for _, ht := range []byte{0, 5, 12} {
		_, err := ue.Protect([]byte{0x07, 0x41}, false, ht)
		wantNASErr(t, err, ErrMalformed)
	}
	_, err := ue.Protect(nil, false, 1)
	wantNASErr(t, err, ErrMalformed)

	ue.ULCount = MaxNASCount + 1
	_, err = ue.Protect([]byte{1}, false, 1)
	ne := wantNASErr(t, err, ErrCountOverflow)
	if ne.Error() == "" || ne.Downlink {
		t.Errorf("error %q", ne)
	}
	mme.ULCount = MaxNASCount
	ue.ULCount = MaxNASCount
	m, _ := ue.Protect([]byte{1, 2}, false, 1)
	if _, err := mme.Unprotect(m, false); err != nil {
		t.Fatalf("last NAS COUNT: %v", err)
	}
	_, err = mme.Unprotect(m, false) // estimate is MaxNASCount+1
	wantNASErr(t, err, ErrCountOverflow)

	bad, _ := pair(t, EEA2, EIA2)
	bad.IntAlg = 7
	if _, err := bad.Protect([]byte{1}, false, 1); err == nil {
		t.Error("Protect with EIA7")
	}
	if _, err := bad.Unprotect(m, false); err == nil {
		t.Error("Unprotect with EIA7")
	}
	if _, err := NewContext(testKASME, 0, EEA3+1, EIA1); err == nil {
		t.Error("EEA4 accepted")
	}
	if _, err := NewContext(testKASME, 0, EEA1, EIA3+1); err == nil {
		t.Error("EIA4 accepted")
	}
}

// TestEIA0 has no MAC to check, so nothing is rejected and no replay is
// detected (TS 33.401 §5.1.4.1).
func TestEIA0(t *testing.T) {
	mme, ue := pair(t, EEA0, EIA0)
	m, _ := ue.Protect([]byte{0x07, 0x5e}, false, HeaderIntegrity)
	if !bytes.Equal(m[1:5], []byte{0, 0, 0, 0}) {
		t.Errorf("EIA0 MAC %x", m[1:5])
	}
	for range 2 {
		if _, err := mme.Unprotect(m, false); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKeysFollowFields: keys set directly on the struct are used.
func TestKeysFollowFields(t *testing.T) {
	a, b := pair(t, EEA2, EIA2)
	m1, _ := a.Protect(esmData(0), false, 2)
	if _, err := b.Unprotect(m1, false); err != nil {
		t.Fatal(err)
	}
	a.KNASint[0] ^= 1
	a.KNASenc[0] ^= 1
	m2, _ := a.Protect(esmData(1), false, 2)
	_, err := b.Unprotect(m2, false)
	wantNASErr(t, err, ErrIntegrity)
	b.KNASint, b.KNASenc = a.KNASint, a.KNASenc
	if got, err := b.Unprotect(m2, false); err != nil || !bytes.Equal(got, esmData(1)) {
		t.Fatalf("after copying the keys: %v", err)
	}
}

// SERVICE REQUEST's short MAC (TS 24.301 §9.9.3.28): accepted once, tampered
// or replayed ones refused, the 5-bit sequence number wraps.
func TestServiceRequestShortMAC(t *testing.T) {
	var kasme [32]byte
	kasme[0] = 7
	ue, _ := NewContext(kasme, 1, EEA0, EIA2)
	mme, _ := NewContext(kasme, 1, EEA0, EIA2)
	for i := 0; i < 70; i++ { // across two wraps of the 5-bit sequence number
		b, err := ue.ServiceRequest()
		if err != nil {
			t.Fatal(err)
		}
		if b[0] != 0xc7 || b[1]>>5 != 1 || uint32(b[1]&0x1f) != uint32(i)&0x1f {
			t.Fatalf("%d: octets %x", i, b)
		}
		if err := mme.CheckServiceRequest(b[:]); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if i == 40 {
			if err := mme.CheckServiceRequest(b[:]); !errors.Is(err, ErrReplay) {
				t.Fatalf("replay: %v", err)
			}
			bad := b
			bad[3] ^= 1
			if err := mme.CheckServiceRequest(bad[:]); !errors.Is(err, ErrIntegrity) && !errors.Is(err, ErrReplay) {
				t.Fatalf("tampered: %v", err)
			}
		}
	}
	other, _ := NewContext([32]byte{9}, 1, EEA0, EIA2)
	b, _ := other.ServiceRequest()
	if err := mme.CheckServiceRequest(b[:]); err == nil {
		t.Fatal("wrong key accepted")
	}
	if err := mme.CheckServiceRequest([]byte{1, 2}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("short input: %v", err)
	}
}
