// This file checks the package against free5gc's implementations:
// github.com/free5gc/nas/security (NASEncrypt, NASMacCalculate) and
// github.com/free5gc/util/milenage, over random inputs. The package takes
// SNOW 3G and ZUC from free5gc and frames 128-EEA/EIA itself because free5gc's
// wrappers work on whole octets only (the TS 33.401 Annex C vectors have
// bit lengths) and its MILENAGE does not expose f1*/f5* (needed for AUTS).

package security

import (
	"bytes"
	mrand "math/rand/v2"
	"testing"

	nassec "github.com/free5gc/nas/security"
	"github.com/free5gc/util/milenage"
)

func TestCrossCheckFree5GCNAS(t *testing.T) {
	r := mrand.New(mrand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		var key [16]byte
		for j := range key {
			key[j] = byte(r.Uint32())
		}
		count := r.Uint32()
		bearer, dir := uint8(r.IntN(32)), uint8(r.IntN(2))
		msg := make([]byte, 1+r.IntN(200))
		for j := range msg {
			msg[j] = byte(r.Uint32())
		}
		for _, alg := range []uint8{0, 1, 2, 3} {
			want := append([]byte(nil), msg...)
			if err := nassec.NASEncrypt(alg, key, count, bearer, dir, want); err != nil {
				t.Fatal(err)
			}
			got, err := Encrypt(CipheringAlg(alg), key, count, bearer, dir, msg, 8*len(msg))
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("EEA%d, %d octets: %x, want %x (%v)", alg, len(msg), got, want, err)
			}
			wantMAC, err := nassec.NASMacCalculate(alg, key, count, bearer, dir, msg)
			if err != nil {
				t.Fatal(err)
			}
			gotMAC, err := MAC(IntegrityAlg(alg), key, count, bearer, dir, msg, 8*len(msg))
			if err != nil || !bytes.Equal(gotMAC[:], wantMAC) {
				t.Fatalf("EIA%d, %d octets: %x, want %x (%v)", alg, len(msg), gotMAC, wantMAC, err)
			}
		}
	}
}

func TestCrossCheckFree5GCMilenage(t *testing.T) {
	r := mrand.New(mrand.NewPCG(3, 4))
	for i := 0; i < 200; i++ {
		var k, opc, rnd [16]byte
		for j := 0; j < 16; j++ {
			k[j], opc[j], rnd[j] = byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())
		}
		sqn := r.Uint64() & MaxSQN
		amf := [2]byte{byte(r.Uint32()), byte(r.Uint32())}
		sq := SQNBytes(sqn)
		ik, ck, xres, autn, err := milenage.GenerateAKAParameters(opc[:], k[:], rnd[:], sq[:], amf[:])
		if err != nil {
			t.Fatal(err)
		}
		m := NewMilenage(k, opc)
		av, _ := GenerateAV(m, rnd, sqn, amf, testSNID)
		_, myCK, myIK, _ := m.F2345(rnd)
		if !bytes.Equal(av.AUTN[:], autn) || !bytes.Equal(av.XRES[:], xres) ||
			!bytes.Equal(myCK[:], ck) || !bytes.Equal(myIK[:], ik) {
			t.Fatalf("vector %d differs from free5gc", i)
		}
		auts, err := milenage.GenerateAUTS(opc[:], k[:], rnd[:], sq[:])
		if err != nil {
			t.Fatal(err)
		}
		if mine, _ := m.AUTS(rnd, sqn); !bytes.Equal(mine[:], auts) {
			t.Fatalf("AUTS %x, want %x", mine, auts)
		}
	}
}
