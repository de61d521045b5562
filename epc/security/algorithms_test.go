package security

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// TS 33.401 Annex C inputs shared by the 128-EEA1 (C.3) and 128-EEA2 (C.1)
// test sets 1–3.
var (
	annexCKey1 = "d3c5d592327fb11c4035c6680af8c6d1"
	annexCPT1  = "981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0"
	annexCKey2 = "2bd6459f82c440e0952c49104805ff48"
	annexCPT2  = "7ec61272743bf1614726446a6c38ced166f6ca76eb5430044286346cef130f92" +
		"922b03450d3a9975e5bd2ea0eb55ad8e1b199e3ec4316020e9a1b285e762795359b7" +
		"bdfd39bef4b2484583d5afe082aee638bf5fd5a606193901a08f4ab41aab9b134880"
	annexCKey3 = "0a8b6bd8d9b08b08d64e32d1817777fb"
	annexCPT3  = "fd40a41d370a1f65745095687d47ba1d36d2349e23f644392c8ea9c49d40c13271aff264d0f248"
)

// annexCCipher are TS 33.401 C.1 (128-EEA2) and C.3 (128-EEA1) test sets
// 1–3 with their exact bit lengths (as reproduced in srsRAN's and
// Open5GS's test suites).
var annexCCipher = []cipherVector{
	{set: "C.1.1", alg: EEA2, key: annexCKey1, count: 0x398a59b4, bearer: 0x15, dir: 1, bits: 253, in: annexCPT1,
		out: "e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e78"},
	{set: "C.1.2", alg: EEA2, key: annexCKey2, count: 0xc675a64b, bearer: 0x0c, dir: 1, bits: 798, in: annexCPT2,
		out: "5961605353c64bdca15b195e288553a910632506d6200aa790c4c806c99904cf2445" +
			"cc50bb1cf168a49673734e081b57e324ce5259c0e78d4cd97b870976503c0943f2cb" +
			"5ae8f052c7b7d392239587b8956086bcab18836042e2e6ce42432a17105c53d0"},
	{set: "C.1.3", alg: EEA2, key: annexCKey3, count: 0x544d49cd, bearer: 0x04, dir: 0, bits: 310, in: annexCPT3,
		out: "75750d37b4bba2a4dedb34235bd68c6645acdaaca48138a3b0c471e2a7041a576423d2927287f0"},
	{set: "C.3.1", alg: EEA1, key: annexCKey1, count: 0x398a59b4, bearer: 0x15, dir: 1, bits: 253, in: annexCPT1,
		out: "5d5bfe75eb04f68ce0a12377ea00b37d47c6a0ba06309155086a859c4341b378"},
	{set: "C.3.2", alg: EEA1, key: annexCKey2, count: 0xc675a64b, bearer: 0x0c, dir: 1, bits: 798, in: annexCPT2,
		out: "3f67850714b8da69efb727ed7a6c0c50714ad736c4f5600006e3525be807c467c677" +
			"ff864af45fba09c27cde38f87a1f84d59ab255408f2c7b82f9ead41a1fe65eabebfb" +
			"c1f3a4c56c9a26fcf7b3d66d0220ee4775bc58170a2b12f3431d11b344d6e36c"},
	{set: "C.3.3", alg: EEA1, key: annexCKey3, count: 0x544d49cd, bearer: 0x04, dir: 0, bits: 310, in: annexCPT3,
		out: "48148e5452a210c05f46bc80dc6f73495b02048c1b958b026102ca97280279a4c18d2ee308921c"},
}

// annexCMAC are TS 33.401 C.2 (128-EIA2) test sets 1–3.
var annexCMAC = []macVector{
	{set: "C.2.1", alg: EIA2, key: "2bd6459f82c5b300952c49104881ff48", count: 0x38a6f056, bearer: 0x18, dir: 0,
		bits: 58, msg: "3332346263393840", mac: "118c6eb8"},
	{set: "C.2.2", alg: EIA2, key: "d3c5d592327fb11c4035c6680af8c6d1", count: 0x398a59b4, bearer: 0x1a, dir: 1,
		bits: 64, msg: "484583d5afe082ae", mac: "b93787e6"},
	{set: "C.2.3", alg: EIA2, key: "7e5e94431e11d73828d739cc6ced4573", count: 0x36af6144, bearer: 0x18, dir: 1,
		bits: 254, msg: "b3d3c9170a4e1632f60f861013d22d84b726b6a278d802d1eeaf1321ba5929dc", mac: "1f60b01d"},
}

// eia2OnEIA1Inputs are the MACs of TS 33.401 C.2 test sets 3–8, whose
// inputs are those of the 128-EIA1 test sets C.4.2–C.4.7.
var eia2OnEIA1Inputs = map[string]string{
	"TS 33.401 C.4.2": "1f60b01d", // C.2.3
	"TS 33.401 C.4.3": "6846a2f0", // C.2.4
	"TS 33.401 C.4.4": "e657e182", // C.2.5
	"TS 33.401 C.4.5": "f0668c1e", // C.2.6
	"TS 33.401 C.4.6": "f4cc8fa3", // C.2.7
	"TS 33.401 C.4.7": "ebd5ccb0", // C.2.8
}

func runCipher(t *testing.T, v cipherVector) {
	t.Helper()
	in, want := unhex(t, strings.ReplaceAll(v.in, " ", "")), unhex(t, v.out)
	got, err := Encrypt(v.alg, h16(t, v.key), v.count, v.bearer, v.dir, in, v.bits)
	if err != nil {
		t.Fatalf("%s %v: %v", v.set, v.alg, err)
	}
	if !bytes.Equal(got, want[:(v.bits+7)/8]) {
		t.Errorf("%s %v:\n got %x\nwant %x", v.set, v.alg, got, want)
	}
	// Deciphering is the same operation.
	back, _ := Encrypt(v.alg, h16(t, v.key), v.count, v.bearer, v.dir, got, v.bits)
	plain := append([]byte(nil), in[:(v.bits+7)/8]...)
	maskTail(plain, v.bits)
	if !bytes.Equal(back, plain) {
		t.Errorf("%s %v: decipher gives %x, want %x", v.set, v.alg, back, plain)
	}
}

func runMAC(t *testing.T, v macVector, alg IntegrityAlg, mac string) {
	t.Helper()
	got, err := MAC(alg, h16(t, v.key), v.count, v.bearer, v.dir, unhex(t, v.msg), v.bits)
	if err != nil {
		t.Fatalf("%s %v: %v", v.set, alg, err)
	}
	if hex.EncodeToString(got[:]) != mac {
		t.Errorf("%s %v: MAC %x, want %s", v.set, alg, got, mac)
	}
}

func TestAnnexCCiphering(t *testing.T) {
	for _, v := range annexCCipher {
		runCipher(t, v)
	}
	for _, v := range free5gcCipherVectors {
		runCipher(t, v)
	}
}

func TestAnnexCIntegrity(t *testing.T) {
	for _, v := range annexCMAC {
		runMAC(t, v, v.alg, v.mac)
	}
	n := 0
	for _, v := range free5gcMACVectors {
		runMAC(t, v, v.alg, v.mac)
		if mac, ok := eia2OnEIA1Inputs[v.set]; ok && v.alg == EIA1 {
			runMAC(t, v, EIA2, mac)
			n++
		}
	}
	if n != len(eia2OnEIA1Inputs) {
		t.Errorf("ran %d of the %d EIA2 sets on EIA1 inputs", n, len(eia2OnEIA1Inputs))
	}
}

// TestRFC4493 checks the AES-CMAC core against RFC 4493 §4: the subkeys
// and examples 2–4 (example 1, the empty message, is shorter than the
// 8-octet prefix every EIA2 input has).
func TestRFC4493(t *testing.T) {
	key := h16(t, "2b7e151628aed2a6abf7158809cf4f3c")
	msg := unhex(t, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"+
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
	var c cmacKey
	c.init(key)
	if hex.EncodeToString(c.k1[:]) != "fbeed618357133667c85e08f7236a8de" ||
		hex.EncodeToString(c.k2[:]) != "f7ddac306ae266ccf90bc11ee46d513b" {
		t.Fatalf("subkeys %x %x", c.k1, c.k2)
	}
	for _, tc := range []struct {
		n   int
		tag string
	}{
		{16, "070a16b46b4d4144f79bdd9dd04a287c"},
		{40, "dfa66747de9ae63030ca32611497c827"},
		{64, "51f0bebf7e3b9d92fc49741779363cfe"},
	} {
		prefix := [8]byte(msg[:8])
		got := c.sum(&prefix, msg[8:tc.n], 8*(tc.n-8))
		if hex.EncodeToString(got[:]) != tc.tag {
			t.Errorf("RFC 4493, %d octets: %x, want %s", tc.n, got, tc.tag)
		}
	}
}

func TestAlgorithmInputs(t *testing.T) {
	var k [16]byte
	if _, err := Encrypt(EEA2, k, 0, 32, 0, make([]byte, 4), 32); err == nil {
		t.Error("BEARER 32 accepted")
	}
	if _, err := Encrypt(EEA2, k, 0, 0, 2, make([]byte, 4), 32); err == nil {
		t.Error("DIRECTION 2 accepted")
	}
	if _, err := Encrypt(EEA2, k, 0, 0, 0, make([]byte, 4), 33); err == nil {
		t.Error("LENGTH past the data accepted")
	}
	if _, err := Encrypt(CipheringAlg(4), k, 0, 0, 0, make([]byte, 4), 32); err == nil {
		t.Error("EEA4 accepted")
	}
	if _, err := MAC(IntegrityAlg(9), k, 0, 0, 0, make([]byte, 4), 32); err == nil {
		t.Error("EIA9 accepted")
	}
	if m, err := MAC(EIA0, k, 0, 0, 0, []byte{1, 2}, 16); err != nil || m != [4]byte{} {
		t.Errorf("EIA0 = %x, %v", m, err)
	}
	for _, a := range []CipheringAlg{EEA0, EEA1, EEA2, EEA3} {
		if out, err := Encrypt(a, k, 7, 0, 1, nil, 0); err != nil || len(out) != 0 {
			t.Errorf("%v of nothing = %x, %v", a, out, err)
		}
	}
	for _, a := range []IntegrityAlg{EIA1, EIA2, EIA3} {
		m0, _ := MAC(a, k, 7, 0, 1, nil, 0)
		m1, _ := MAC(a, k, 7, 0, 1, []byte{0}, 1)
		if m0 == m1 {
			t.Errorf("%v: MAC of the empty message equals the MAC of one zero bit", a)
		}
	}
	if fmt.Sprint(EEA2, EIA3, EEA0, EIA0, CipheringAlg(5)) != "128-EEA2 128-EIA3 EEA0 EIA0 EEA(5)" {
		t.Error(fmt.Sprint(EEA2, EIA3, EEA0, EIA0, CipheringAlg(5)))
	}
}

// TestIntegrityDetectsEveryBit flips each bit of a 60-octet message and of
// COUNT, BEARER and DIRECTION: every MAC changes.
func TestIntegrityDetectsEveryBit(t *testing.T) {
	key := h16(t, "000102030405060708090a0b0c0d0e0f")
	msg := make([]byte, 60)
	for i := range msg {
		msg[i] = byte(i * 7)
	}
	for _, a := range []IntegrityAlg{EIA1, EIA2, EIA3} {
		ref, _ := MAC(a, key, 0x1234, 0, 0, msg, 480)
		for bit := 0; bit < 480; bit += 7 {
			m := append([]byte(nil), msg...)
			m[bit/8] ^= 0x80 >> (bit % 8)
			if got, _ := MAC(a, key, 0x1234, 0, 0, m, 480); got == ref {
				t.Errorf("%v: flipping bit %d keeps the MAC", a, bit)
			}
		}
		for _, alt := range []struct {
			count       uint32
			bearer, dir uint8
		}{{0x1235, 0, 0}, {0x1234, 1, 0}, {0x1234, 0, 1}} {
			if got, _ := MAC(a, key, alt.count, alt.bearer, alt.dir, msg, 480); got == ref {
				t.Errorf("%v: COUNT/BEARER/DIRECTION %+v keeps the MAC", a, alt)
			}
		}
	}
}
