package security

import (
	"testing"

	"github.com/nbsim/nbsim/gpp"
)

// BenchmarkProtectUnprotectEIA2EEA2 is one data-over-NAS message (60
// octets) protected by the UE and checked and deciphered by the MME, the
// MME's per-message cost (target: at least 200,000 messages/s on a core,
// i.e. at most 5 µs per operation).
func BenchmarkProtectUnprotectEIA2EEA2(b *testing.B) {
	mme, ue := pair(nil, EEA2, EIA2)
	msg := esmData(0)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		if ue.ULCount > MaxNASCount-1 {
			ue.ULCount, mme.ULCount = 0, 0
		}
		m, err := ue.Protect(msg, false, HeaderIntegrityCiphered)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := mme.Unprotect(m, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkAttachKeys is the HSS and MME key work of one attach: an EPS
// authentication vector (MILENAGE f1–f5 and K_ASME) and the NAS keys
// (target: at least 20,000 attaches/s).
func BenchmarkAttachKeys(b *testing.B) {
	m := NewMilenage([16]byte{1, 2, 3}, [16]byte{4, 5, 6})
	snid := gpp.MustPLMN("001", "01")
	var rand [16]byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rand[0], rand[1] = byte(i), byte(i>>8)
		av, err := GenerateAV(m, rand, uint64(i+1)<<INDBits, [2]byte{0x80, 0}, snid)
		if err != nil {
			b.Fatal(err)
		}
		c, err := NewContext(av.KASME, 0, EEA2, EIA2)
		if err != nil {
			b.Fatal(err)
		}
		_ = c
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "attaches/s")
}

// BenchmarkUSIMAuthenticate is the UE side of one authentication.
func BenchmarkUSIMAuthenticate(b *testing.B) {
	k, opc := [16]byte{1, 2, 3}, [16]byte{4, 5, 6}
	he, u := NewMilenage(k, opc), NewUSIM(k, opc)
	snid := gpp.MustPLMN("001", "01")
	var rand [16]byte
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		av, _ := GenerateAV(he, rand, uint64(i+1)<<INDBits, [2]byte{0x80, 0}, snid)
		b.StartTimer()
		if _, err := u.Authenticate(av.RAND, av.AUTN, snid); err != nil {
			b.Fatal(err)
		}
	}
}
