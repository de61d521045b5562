package security

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"math/rand/v2"
	"testing"
)

// TestHMACMatchesCrypto compares the stack-buffer HMAC-SHA-256 of KDF with
// crypto/hmac for keys and messages around the block sizes.
func TestHMACMatchesCrypto(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fill := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	for kl := 0; kl <= 140; kl++ {
		for _, ml := range []int{0, 1, 7, 55, 56, 63, 64, 65, 127, 128, 129, 200, 1000} {
			key, msg := fill(kl), fill(ml)
			h := hmac.New(sha256.New, key)
			h.Write(msg)
			if got := hmacSHA256(key, msg); !bytes.Equal(got[:], h.Sum(nil)) {
				t.Fatalf("key %d octets, message %d octets: %x, crypto/hmac %x", kl, ml, got, h.Sum(nil))
			}
		}
	}
	if n := testing.AllocsPerRun(100, func() { DeriveNASKeys(testKASME, EEA0, EIA2) }); n != 0 {
		t.Errorf("DeriveNASKeys allocates %.0f times", n)
	}
}

// TestSealAndUnprotectTo: the in-place and appending forms give what
// Protect and Unprotect give, for every algorithm and header type.
func TestSealAndUnprotectTo(t *testing.T) {
	for _, enc := range []CipheringAlg{EEA0, EEA1, EEA2, EEA3} {
		for _, integ := range []IntegrityAlg{EIA0, EIA1, EIA2, EIA3} {
			for _, ht := range []byte{1, 2, 3, 4} {
				for _, downlink := range []bool{false, true} {
					a, b := pair(t, enc, integ)
					a2, b2 := pair(t, enc, integ)
					for i := 0; i < 3; i++ {
						plain := esmData(i)
						want, err := a.Protect(plain, downlink, ht)
						if err != nil {
							t.Fatal(err)
						}
						msg := append(make([]byte, ProtectOverhead), plain...)
						if err := a2.Seal(msg, downlink, ht); err != nil || !bytes.Equal(msg, want) {
							t.Fatalf("%v/%v header %d: Seal %x %v, Protect %x", enc, integ, ht, msg, err, want)
						}
						p1, err1 := b.Unprotect(want, downlink)
						dst := []byte{0xaa, 0xbb}
						p2, err2 := b2.UnprotectTo(dst, want, downlink)
						if err1 != nil || err2 != nil || !bytes.Equal(p1, plain) || !bytes.Equal(p2, append([]byte{0xaa, 0xbb}, plain...)) {
							t.Fatalf("%v/%v header %d: Unprotect %x %v, UnprotectTo %x %v", enc, integ, ht, p1, err1, p2, err2)
						}
					}
				}
			}
		}
	}
	c, _ := pair(t, EEA0, EIA2)
	msg := make([]byte, ProtectOverhead)
	wantNASErr(t, c.Seal(msg, false, 1), ErrMalformed)
	wantNASErr(t, c.Seal(append(msg, 1), false, 0), ErrMalformed)
	if c.ULCount != 0 {
		t.Errorf("a failed Seal used NAS COUNT %d", c.ULCount)
	}
}

// TestClone: a clone is the other end of the same context (what one
// protects the other opens, both ways), with its own NAS COUNTs.
func TestClone(t *testing.T) {
	for _, enc := range []CipheringAlg{EEA0, EEA2, EEA3} {
		for _, integ := range []IntegrityAlg{EIA1, EIA2, EIA3} {
			mme, _ := pair(t, enc, integ)
			ue := mme.Clone()
			for i := 0; i < 300; i++ {
				up, err := ue.Protect(esmData(i), false, 2)
				if err != nil {
					t.Fatal(err)
				}
				if p, err := mme.Unprotect(up, false); err != nil || !bytes.Equal(p, esmData(i)) {
					t.Fatalf("%v/%v uplink %d: %v", enc, integ, i, err)
				}
				down, _ := mme.Protect(esmData(i+1), true, 2)
				if p, err := ue.Unprotect(down, true); err != nil || !bytes.Equal(p, esmData(i+1)) {
					t.Fatalf("%v/%v downlink %d: %v", enc, integ, i, err)
				}
			}
			if ue.ULCount != 300 || mme.ULCount != 300 || ue.DLCount != 300 || mme.DLCount != 300 {
				t.Errorf("counts %d %d %d %d", ue.ULCount, mme.ULCount, ue.DLCount, mme.DLCount)
			}
			// A key changed on one side is that side's alone.
			ue.KNASint[0] ^= 1
			up, _ := ue.Protect(esmData(0), false, 2)
			_, err := mme.Unprotect(up, false)
			wantNASErr(t, err, ErrIntegrity)
		}
	}
}

// TestCMACOctetsMatchesBits: the whole-octet CMAC path gives the bit-level
// one's tag for every message length up to a few blocks, random keys and
// contents.
func TestCMACOctetsMatchesBits(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 50; i++ {
		var key [16]byte
		for j := range key {
			key[j] = byte(r.Uint32())
		}
		var c cmacKey
		c.init(key)
		for l := 0; l <= 100; l++ {
			msg := make([]byte, l)
			for j := range msg {
				msg[j] = byte(r.Uint32())
			}
			var prefix [8]byte
			for j := range prefix {
				prefix[j] = byte(r.Uint32())
			}
			if a, b := c.sumOctets(&prefix, msg), c.sum(&prefix, msg, 8*l); a != b {
				t.Fatalf("length %d: octets %x, bits %x", l, a, b)
			}
		}
	}
}
