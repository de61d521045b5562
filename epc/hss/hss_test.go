package hss

import (
	"bytes"
	"crypto/aes"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/security"
	"github.com/nbsim/nbsim/gpp"
)

const defaultFile = "../../testdata/hss/subscribers.yaml"

var snid = gpp.MustPLMN("001", "01")

func mustHex16(t testing.TB, s string) [16]byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 16 {
		t.Fatalf("bad hex %q", s)
	}
	return [16]byte(b)
}

func loadDefault(t testing.TB) *Store {
	t.Helper()
	s, err := Load(defaultFile)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDefaultFile(t *testing.T) {
	s := loadDefault(t)
	if s.Count() != 2000001 {
		t.Errorf("Count = %d", s.Count())
	}
	sub, ok := s.Lookup("001010123456789")
	if !ok {
		t.Fatal("test set 1 subscriber missing")
	}
	if sub.K != mustHex16(t, "465b5ce8b199b49faa5f0a2ee238a6bc") || sub.OPc != mustHex16(t, "cd63cb71954a9f4e48a5994e37a02baf") ||
		sub.AMF != [2]byte{0x80, 0} || sub.SQN != 32 || !strings.HasSuffix(sub.Source, "subscribers.yaml:7") {
		t.Errorf("subscriber %+v", sub)
	}
	if !sub.Allows(IPv4) || !sub.Allows(NonIP) || sub.Allows(IPv6) || sub.PSM != nil || sub.EDRX != nil {
		t.Errorf("PDN types %v, PSM %v, eDRX %v", sub.PDNTypes, sub.PSM, sub.EDRX)
	}
	// OPc of test set 1 from its OP.
	if security.OPc(sub.K, mustHex16(t, "cdc202d5123e20f62b6d676ac72cb318")) != sub.OPc {
		t.Error("OPc is not that of test set 1")
	}
	for _, imsi := range []string{"001010000000001", "001010000020000", "001010001000050", "001010002000000"} {
		if _, ok := s.Lookup(imsi); !ok {
			t.Errorf("%s not in the range", imsi)
		}
	}
	for _, imsi := range []string{"001010000000000", "001010002000001", "001020000000001", "00101000000001", "00101000000000a", ""} {
		if _, ok := s.Lookup(imsi); ok {
			t.Errorf("%s found", imsi)
		}
	}
}

// TestRangeKeys checks the per-IMSI K rule against AES computed here and
// the per-IMSI OPc.
func TestRangeKeys(t *testing.T) {
	s := loadDefault(t)
	k0 := mustHex16(t, "000102030405060708090a0b0c0d0e0f")
	op := mustHex16(t, "63bfa50ee6523365ff14c1f45f88737d")
	blk, _ := aes.NewCipher(k0[:])
	seen := map[[16]byte]bool{}
	for _, imsi := range []string{"001010000000001", "001010000000002", "001010000999999"} {
		sub, _ := s.Lookup(imsi)
		var want [16]byte
		blk.Encrypt(want[:], []byte("0"+imsi))
		if sub.K != want || sub.IMSI != imsi {
			t.Errorf("%s: K %x, want %x", imsi, sub.K, want)
		}
		if k, _ := DeriveK(k0, imsi); k != want {
			t.Errorf("DeriveK(%s) = %x", imsi, k)
		}
		if !sub.HasOP || sub.OP != op || sub.OPc != security.OPc(want, op) {
			t.Errorf("%s: OPc %x", imsi, sub.OPc)
		}
		if seen[sub.K] {
			t.Errorf("%s: K repeats", imsi)
		}
		seen[sub.K] = true
	}
	if _, err := DeriveK(k0, "12"); err == nil {
		t.Error("DeriveK of a short IMSI")
	}

	shared, err := Parse([]byte(`subscribers:
  - imsi_range: {from: 001010000000001, count: 10}
    k: 000102030405060708090a0b0c0d0e0f
    k_rule: shared
    opc: 0f0e0d0c0b0a09080706050403020100
`), "shared.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := shared.Lookup("001010000000001")
	b, _ := shared.Lookup("001010000000010")
	if a.K != k0 || b.K != k0 || a.OPc != b.OPc || a.HasOP {
		t.Errorf("shared K: %x %x", a.K, b.K)
	}
}

// TestAuthRoundTrip: vectors from the HSS pass the USIM of package
// security, one after the other, for a single subscriber and range IMSIs.
func TestAuthRoundTrip(t *testing.T) {
	s := loadDefault(t)
	for _, imsi := range []string{"001010123456789", "001010000000001", "001010001000050"} {
		sub, _ := s.Lookup(imsi)
		u := security.NewUSIM(sub.K, sub.OPc)
		for i := 0; i < 5; i++ {
			av, err := s.NextAuthVector(imsi, snid)
			if err != nil {
				t.Fatal(err)
			}
			r, err := u.Authenticate(av.RAND, av.AUTN, snid)
			if err != nil {
				t.Fatalf("%s vector %d: %v", imsi, i, err)
			}
			if r.RES != av.XRES || r.KASME != av.KASME || r.SQN != uint64(32*(i+1)) {
				t.Fatalf("%s vector %d: %+v", imsi, i, r)
			}
			// The K_ASME gives working NAS contexts on both sides.
			mme, _ := security.NewContext(av.KASME, 0, security.EEA2, security.EIA2)
			ue, _ := security.NewContext(r.KASME, 0, security.EEA2, security.EIA2)
			m, _ := ue.Protect([]byte{0x07, 0x5e}, false, security.HeaderIntegrityCipheredNewContext)
			if _, err := mme.Unprotect(m, false); err != nil {
				t.Fatal(err)
			}
		}
		if next, _ := s.NextSQN(imsi); next != 32*6 {
			t.Errorf("%s: next SQN %d", imsi, next)
		}
	}
	// Other IMSIs of the range are untouched.
	if next, _ := s.NextSQN("001010000000002"); next != 32 {
		t.Errorf("next SQN of an unused IMSI: %d", next)
	}
	if _, err := s.NextAuthVector("001019999999999", snid); !errors.Is(err, ErrUnknownIMSI) {
		t.Errorf("unknown IMSI: %v", err)
	}
	if _, err := s.NextAuthVector("1234", snid); err == nil {
		t.Error("short IMSI accepted")
	}
	if _, ok := s.NextSQN("001019999999999"); ok {
		t.Error("NextSQN of an unknown IMSI")
	}
}

// TestResync: a USIM that has seen a higher SQN (e.g. vectors consumed
// elsewhere) rejects the HSS's vector with a synch failure; after Resync
// the next vector is accepted.
func TestResync(t *testing.T) {
	s := loadDefault(t)
	imsi := "001010000000007"
	sub, _ := s.Lookup(imsi)
	u := security.NewUSIM(sub.K, sub.OPc)
	u.SetSQNMS(1000 << security.INDBits) // stale HSS: SEQ 1 ≤ SEQ_MS(IND 0) = 1000

	av, _ := s.NextAuthVector(imsi, snid)
	_, err := u.Authenticate(av.RAND, av.AUTN, snid)
	var ae *security.AuthError
	if !errors.As(err, &ae) || !errors.Is(err, security.ErrSynchFailure) {
		t.Fatalf("stale SQN: %v, want a synch failure", err)
	}
	// A corrupted AUTS is refused and changes nothing.
	bad := ae.AUTS
	bad[13] ^= 1
	before, _ := s.NextSQN(imsi)
	if err := s.Resync(imsi, av.RAND, bad); !errors.Is(err, security.ErrMACFailure) {
		t.Fatalf("bad AUTS: %v", err)
	}
	if after, _ := s.NextSQN(imsi); after != before {
		t.Fatalf("bad AUTS moved the SQN from %d to %d", before, after)
	}
	// The RAND must be the one of the rejected vector.
	if err := s.Resync(imsi, [16]byte{1}, ae.AUTS); !errors.Is(err, security.ErrMACFailure) {
		t.Fatalf("other RAND: %v", err)
	}
	if err := s.Resync(imsi, av.RAND, ae.AUTS); err != nil {
		t.Fatal(err)
	}
	if next, _ := s.NextSQN(imsi); next != 1001<<security.INDBits {
		t.Errorf("after resync the next SQN is %#x, want SEQ 1001 IND 0", next)
	}
	for i := 0; i < 3; i++ {
		av, _ = s.NextAuthVector(imsi, snid)
		if _, err := u.Authenticate(av.RAND, av.AUTN, snid); err != nil {
			t.Fatalf("after resync, vector %d: %v", i, err)
		}
	}
	// A resync request while the HSS is already ahead leaves it alone.
	next, _ := s.NextSQN(imsi)
	auts, _ := u.Milenage().AUTS(av.RAND, u.SQNMS())
	if err := s.Resync(imsi, av.RAND, auts); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.NextSQN(imsi); got != next {
		t.Errorf("resync with the HSS ahead moved the SQN from %#x to %#x", next, got)
	}
	if err := s.Resync("001019999999999", av.RAND, auts); !errors.Is(err, ErrUnknownIMSI) {
		t.Errorf("unknown IMSI: %v", err)
	}
	if err := s.Resync("x", av.RAND, auts); err == nil {
		t.Error("bad IMSI accepted")
	}
}

// TestResyncHSSTooFarAhead: the HSS more than Δ ahead of the USIM is reset.
func TestResyncHSSTooFarAhead(t *testing.T) {
	s, err := Parse([]byte(`subscribers:
  - imsi: "001010000000001"
    k: 000102030405060708090a0b0c0d0e0f
    opc: 0f0e0d0c0b0a09080706050403020100
    sqn: "7fffffffffe0"
`), "far.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := s.Lookup("001010000000001")
	u := security.NewUSIM(sub.K, sub.OPc)
	av, _ := s.NextAuthVector(sub.IMSI, snid)
	_, err = u.Authenticate(av.RAND, av.AUTN, snid)
	var ae *security.AuthError
	if !errors.As(err, &ae) || !errors.Is(err, security.ErrSynchFailure) {
		t.Fatalf("jump beyond Δ: %v", err)
	}
	if err := s.Resync(sub.IMSI, av.RAND, ae.AUTS); err != nil {
		t.Fatal(err)
	}
	av, _ = s.NextAuthVector(sub.IMSI, snid)
	if _, err := u.Authenticate(av.RAND, av.AUTN, snid); err != nil {
		t.Fatalf("after resync: %v", err)
	}
}

func TestSQNExhausted(t *testing.T) {
	s, err := Parse([]byte(`subscribers:
  - imsi: "001010000000001"
    k: 000102030405060708090a0b0c0d0e0f
    opc: 0f0e0d0c0b0a09080706050403020100
    sqn: ffffffffffe1
`), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.NextAuthVector("001010000000001", snid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NextAuthVector("001010000000001", snid); err == nil || !strings.Contains(err.Error(), "exhausted") {
		t.Errorf("past the last SQN: %v", err)
	}
}

func TestDeterministicRand(t *testing.T) {
	a, b := loadDefault(t), loadDefault(t)
	a.SetRand(mrand.NewChaCha8([32]byte{7}))
	b.SetRand(mrand.NewChaCha8([32]byte{7}))
	x, _ := a.NextAuthVector("001010000000005", snid)
	y, _ := b.NextAuthVector("001010000000005", snid)
	if x != y {
		t.Error("same seed, different vectors")
	}
	a.SetRand(bytes.NewReader(nil))
	if _, err := a.NextAuthVector("001010000000005", snid); err == nil {
		t.Error("RAND from an empty reader")
	}
}

func TestConcurrentVectors(t *testing.T) {
	s := loadDefault(t)
	const workers, each = 8, 50
	var wg sync.WaitGroup
	sqns := make(chan uint64, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				av, err := s.NextAuthVector("001010000000042", snid)
				if err != nil {
					t.Error(err)
					return
				}
				sub, _ := s.Lookup("001010000000042")
				ak := security.NewMilenage(sub.K, sub.OPc).F5(av.RAND)
				var conc [6]byte
				for j := range conc {
					conc[j] = av.AUTN[j] ^ ak[j]
				}
				sqns <- security.SQNValue(conc)
			}
		}()
	}
	wg.Wait()
	close(sqns)
	seen := map[uint64]bool{}
	for q := range sqns {
		if seen[q] {
			t.Fatalf("SQN %#x issued twice", q)
		}
		seen[q] = true
	}
	if next, _ := s.NextSQN("001010000000042"); next != 32*(workers*each+1) {
		t.Errorf("next SQN %d", next)
	}
}

func TestPolicies(t *testing.T) {
	s, err := Parse([]byte(`subscribers:
  - imsi: 001010000000099
    k: 000102030405060708090a0b0c0d0e0f
    op: 63bfa50ee6523365ff14c1f45f88737d
    amf: "9001"
    pdn_types: [ipv4v6]
    psm: {policy: clamp, t3324_min: 2s, t3324_max: 1m, t3412_min: 1h, t3412_max: 13d, t3412_default: 54m}
    edrx: {policy: refuse, min: 20.48s, max: 2621.44s}
  - imsi_range: {from: 001010000000001, count: 1000}
    k: 000102030405060708090a0b0c0d0e0f
    opc: 0f0e0d0c0b0a09080706050403020100
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sub, ok := s.Lookup("001010000000099")
	if !ok || sub.IMSI != "001010000000099" {
		t.Fatalf("unquoted IMSI: %+v", sub)
	}
	want := epc.PSMPolicy{Policy: epc.Clamp, T3324Min: 2 * time.Second, T3324Max: time.Minute,
		T3412Min: time.Hour, T3412Max: 13 * 24 * time.Hour, DefaultT3412: 54 * time.Minute}
	if sub.PSM == nil || *sub.PSM != want {
		t.Errorf("PSM %+v", sub.PSM)
	}
	if sub.EDRX == nil || *sub.EDRX != (epc.EDRXPolicy{Policy: epc.Refuse, Min: 20480 * time.Millisecond, Max: 2621440 * time.Millisecond}) {
		t.Errorf("eDRX %+v", sub.EDRX)
	}
	if sub.AMF != [2]byte{0x90, 0x01} || !sub.Allows(IPv4) || !sub.Allows(IPv6) || sub.Allows(NonIP) {
		t.Errorf("AMF %x, PDN %v", sub.AMF, sub.PDNTypes)
	}
	// The single subscriber overrides the range and counts once.
	if s.Count() != 1000 {
		t.Errorf("Count %d", s.Count())
	}
	r, _ := s.Lookup("001010000000098")
	if r.PSM != nil || len(r.PDNTypes) != 1 || r.PDNTypes[0] != IPv4 || r.SQN != 32 || r.AMF != [2]byte{0x80, 0} {
		t.Errorf("range defaults %+v", r)
	}
	// Lookup returns copies.
	r.PDNTypes[0] = NonIP
	if again, _ := s.Lookup("001010000000099"); again.PDNTypes[0] != IPv4v6 {
		t.Error("Lookup shares its PDN list")
	}
	if IPv4.String() != "ipv4" || NonIP.String() != "non-ip" || PDNType(9).String() != "pdn-type(9)" {
		t.Error("PDN type names")
	}
	if _, err := ParsePDNType("ip"); err == nil {
		t.Error("PDN type ip accepted")
	}
}

const goodK = "000102030405060708090a0b0c0d0e0f"

// TestParseErrors: each problem is reported with file, line, key and what
// is allowed.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"short k", "subscribers:\n  - imsi: \"001010000000001\"\n    k: 0011\n    opc: " + goodK + "\n",
			[]string{`f.yaml:3: subscribers[0].k: "0011" is not 32 hex digits`}},
		{"not hex", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: zz0102030405060708090a0b0c0d0e0f\n",
			[]string{`f.yaml:4: subscribers[0].opc: "zz0102030405060708090a0b0c0d0e0f" is not 32 hex digits`}},
		{"amf length", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    amf: 800\n",
			[]string{`f.yaml:5: subscribers[0].amf: "800" is not 4 hex digits`}},
		{"sqn length", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    sqn: 20\n",
			[]string{`f.yaml:5: subscribers[0].sqn: "20" is not 12 hex digits`}},
		{"both op and opc", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    op: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:5: subscribers[0]: both op and opc: give exactly one (allowed: op, opc)`}},
		{"neither op nor opc", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n",
			[]string{`f.yaml:2: subscribers[0]: missing op or opc`}},
		{"missing k", "subscribers:\n  - imsi: \"001010000000001\"\n    opc: " + goodK + "\n",
			[]string{`f.yaml:2: subscribers[0].k: missing: the subscriber key, 32 hex digits`}},
		{"duplicate IMSI", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n  - imsi: 001010000000001\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:5: subscribers[1].imsi: duplicate IMSI 001010000000001 (also on line 2)`}},
		{"bad IMSI", "subscribers:\n  - imsi: \"00101000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:2: subscribers[0].imsi: "00101000000001" is not an IMSI of 15 digits`}},
		{"unknown key", "subscribers:\n  - imsi: \"001010000000001\"\n    ki: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:3: subscribers[0].ki: unknown key (allowed: imsi, imsi_range, k, k_rule, op, opc, amf, sqn, pdn_types, psm, edrx)`}},
		{"key twice", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:4: subscribers[0].k: given twice (first on line 3)`}},
		{"pdn type", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    pdn_types: [ipv4, ip, ipv4]\n",
			[]string{`f.yaml:5: subscribers[0].pdn_types[1]: unknown PDN type "ip" (allowed: ipv4, ipv6, ipv4v6, non-ip)`,
				`f.yaml:5: subscribers[0].pdn_types[2]: ipv4 listed twice`}},
		{"pdn empty", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    pdn_types: []\n",
			[]string{`subscribers[0].pdn_types: empty`}},
		{"pdn not list", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    pdn_types: ipv4\n",
			[]string{`f.yaml:5: subscribers[0].pdn_types: expected a list such as [ipv4, non-ip], got a value`}},
		{"psm policy", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    psm: {policy: allow}\n",
			[]string{`f.yaml:5: subscribers[0].psm.policy: unknown policy "allow" (allowed: grant, clamp, refuse)`}},
		{"psm bounds", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    psm:\n      policy: clamp\n      t3324_min: 1m\n      t3324_max: 2s\n      t3412_max: soon\n      t9999: 1s\n",
			[]string{`f.yaml:6: subscribers[0].psm: t3324_min 1m0s is above t3324_max 2s`,
				`f.yaml:9: subscribers[0].psm.t3412_max: invalid duration "soon"`,
				`f.yaml:10: subscribers[0].psm.t9999: unknown key (allowed: policy, t3324_min, t3324_max, t3412_min, t3412_max, t3412_default)`}},
		{"edrx missing policy", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    edrx: {max: 10s}\n",
			[]string{`f.yaml:5: subscribers[0].edrx.policy: missing (allowed: grant, clamp, refuse)`}},
		{"edrx not mapping", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    edrx: grant\n",
			[]string{`f.yaml:5: subscribers[0].edrx: expected a mapping of keys (key: value), got a value`}},
		{"imsi and range", "subscribers:\n  - imsi: \"001010000000001\"\n    imsi_range: {from: \"001010000000001\", count: 2}\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:3: subscribers[0]: both imsi and imsi_range`}},
		{"range count", "subscribers:\n  - imsi_range: {from: \"001010000000001\", count: 0}\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:2: subscribers[0].imsi_range.count: "0" is not a positive whole number`}},
		{"range missing from", "subscribers:\n  - imsi_range: {count: 5}\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:2: subscribers[0].imsi_range.from: missing`}},
		{"range past the end", "subscribers:\n  - imsi_range: {from: \"999999999999990\", count: 11}\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`run past 999999999999999`}},
		{"range overlap", "subscribers:\n  - imsi_range: {from: \"001010000000001\", count: 100}\n    k: " + goodK + "\n    opc: " + goodK +
			"\n  - imsi_range: {from: \"001010000000051\", count: 100}\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:5: imsi_range: IMSIs 001010000000051–001010000000100 overlap the range on line 2`}},
		{"range inside range", "subscribers:\n  - imsi_range: {from: \"001010000000001\", count: 100}\n    k: " + goodK + "\n    opc: " + goodK +
			"\n  - imsi_range: {from: \"001010000000010\", count: 2}\n    k: " + goodK + "\n    opc: " + goodK +
			"\n  - imsi_range: {from: \"001010000000020\", count: 2}\n    k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:5: imsi_range: IMSIs 001010000000010–001010000000011 overlap the range on line 2`,
				`f.yaml:8: imsi_range: IMSIs 001010000000020–001010000000021 overlap the range on line 2`}},
		{"k_rule", "subscribers:\n  - imsi_range: {from: \"001010000000001\", count: 2}\n    k: " + goodK + "\n    opc: " + goodK + "\n    k_rule: random\n",
			[]string{`f.yaml:5: subscribers[0].k_rule: unknown K rule "random" (allowed: derived, shared)`}},
		{"k_rule on imsi", "subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n    k_rule: shared\n",
			[]string{`f.yaml:5: subscribers[0].k_rule: only for imsi_range entries`}},
		{"no IMSI", "subscribers:\n  - k: " + goodK + "\n    opc: " + goodK + "\n",
			[]string{`f.yaml:2: subscribers[0]: missing imsi (15 digits) or imsi_range {from, count}`}},
		{"syntax", "subscribers:\n  - imsi: [\n", []string{`f.yaml:`, `invalid YAML`}},
		{"empty", "", []string{`f.yaml: empty file`}},
		{"top list", "- imsi: 1\n", []string{`f.yaml:1: expected a mapping of keys (key: value), got a list`}},
		{"top key", "subscriber: []\n", []string{`f.yaml:1: subscriber: unknown key (allowed: subscribers)`}},
		{"missing list", "{}\n", []string{`f.yaml:1: subscribers: missing`}},
		{"list not list", "subscribers: 5\n", []string{`f.yaml:1: subscribers: expected a list of subscribers, got a value`}},
		{"entry not mapping", "subscribers:\n  - 001010000000001\n", []string{`f.yaml:2: subscribers[0]: expected a mapping`}},
	} {
		_, err := Parse([]byte(tc.yaml), "f.yaml")
		var es Errors
		if !errors.As(err, &es) {
			t.Errorf("%s: error %v is not Errors", tc.name, err)
			continue
		}
		msg := err.Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error\n%s\nlacks\n%s", tc.name, msg, w)
			}
		}
		for _, e := range es {
			if e.File != "f.yaml" {
				t.Errorf("%s: %q names file %q", tc.name, e, e.File)
			}
		}
	}
}

func TestParseGood(t *testing.T) {
	s, err := Parse([]byte("subscribers: []\n"), "empty.yaml")
	if err != nil || s.Count() != 0 {
		t.Fatalf("empty list: %v", err)
	}
	// Aliases: a shared policy.
	_, err = Parse([]byte(`x: &p {policy: grant}
subscribers:
  - imsi: "001010000000001"
    k: `+goodK+`
    opc: `+goodK+`
    psm: *p
`), "alias.yaml")
	if err == nil {
		t.Fatal("unknown top-level key x accepted")
	}
	s, err = Parse([]byte(`subscribers:
  - &a
    imsi: "001010000000001"
    k: `+goodK+`
    opc: `+goodK+`
    psm: &p {policy: grant}
  - imsi: "001010000000002"
    k: `+goodK+`
    opc: `+goodK+`
    psm: *p
`), "alias.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if sub, _ := s.Lookup("001010000000002"); sub.PSM == nil || sub.PSM.Policy != epc.Grant {
		t.Errorf("aliased policy %+v", sub.PSM)
	}
	if _, err := Load("no/such/file.yaml"); err == nil || !strings.Contains(err.Error(), "no/such/file.yaml") {
		t.Errorf("Load of a missing file: %v", err)
	}
}

// TestAliases: nested aliases are not expanded (a list where a PDN type
// belongs is one error), so a "billion laughs" document stays cheap.
func TestAliases(t *testing.T) {
	var b strings.Builder
	b.WriteString("subscribers:\n")
	for i := 0; i < 9; i++ {
		fmt.Fprintf(&b, "  - imsi: \"00101000000000%d\"\n    k: %s\n    opc: %s\n    pdn_types: &a%d [", i, goodK, goodK, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			if i == 0 {
				b.WriteString("ipv4")
			} else {
				fmt.Fprintf(&b, "*a%d", i-1)
			}
		}
		b.WriteString("]\n")
	}
	start := time.Now()
	_, err := Parse([]byte(b.String()), "lol.yaml")
	if err == nil || !strings.Contains(err.Error(), "expected a PDN type, got a list") || time.Since(start) > 2*time.Second {
		t.Errorf("%v after %v", err, time.Since(start))
	}
}

// TestLargeFile: 20,000 single subscribers parse (no node budget trouble)
// and are all found.
func TestLargeFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("subscribers:\n")
	const n = 20000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - {imsi: \"%015d\", k: %s, opc: %s, pdn_types: [non-ip], psm: {policy: grant}}\n", 1010000000000+i, goodK, goodK)
	}
	s, err := Parse([]byte(b.String()), "big.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Count() != n {
		t.Errorf("Count %d", s.Count())
	}
	if _, ok := s.Lookup(fmt.Sprintf("%015d", 1010000000000+n-1)); !ok {
		t.Error("last subscriber missing")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"subscribers:\n  - imsi: \"001010000000001\"\n    k: " + goodK + "\n    opc: " + goodK + "\n",
		"subscribers:\n  - imsi_range: {from: 001010000000001, count: 5}\n    k: " + goodK + "\n    op: " + goodK + "\n    pdn_types: [non-ip]\n    psm: {policy: clamp, t3324_max: 1m}\n",
		"subscribers: [{imsi: 1}]",
		"subscribers:\n  - &a {imsi: \"001010000000001\", k: " + goodK + ", opc: " + goodK + "}\n  - *a\n",
		"",
		"- x",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "fuzz.yaml")
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 || len(es) > maxErrors {
				t.Fatalf("error %v (%T)", err, err)
			}
			for _, e := range es {
				if e.File != "fuzz.yaml" || e.Error() == "" {
					t.Fatalf("error %q without the file", e)
				}
			}
			return
		}
		for _, imsi := range []string{"001010000000001", "001010000000003", "999999999999999", "000000000000000"} {
			if sub, ok := s.Lookup(imsi); ok {
				if sub.IMSI != imsi {
					t.Fatalf("Lookup(%s) = %s", imsi, sub.IMSI)
				}
				if _, err := s.NextAuthVector(imsi, snid); err != nil && !strings.Contains(err.Error(), "exhausted") {
					t.Fatal(err)
				}
			}
		}
	})
}
