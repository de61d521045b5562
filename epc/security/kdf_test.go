package security

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/nbsim/nbsim/gpp"
)

// TestKASME checks TS 33.401 A.2 against the K_ASME test of Open5GS
// (tests/unit/security-test.c): CK and IK of TS 35.208 test set 1, a
// serving network 02 48 30 and SQN ⊕ AK.
func TestKASME(t *testing.T) {
	ck := h16(t, "b40ba9a3c58b2a05bbf0d987b21bf8cb")
	ik := h16(t, "f769bcd751044604127672711c6d3441")
	sqn, ak := unhex(t, "fd8eef40df7d"), unhex(t, "aa689c648370")
	var conc [6]byte
	for i := range conc {
		conc[i] = sqn[i] ^ ak[i]
	}
	got := DeriveKASME(ck, ik, SNID{0x02, 0x48, 0x30}, conc)
	if want := "238e457e0f758badbca8d34bb2612c10428d426757cb5553b2b184fa64bfc549"; hex.EncodeToString(got[:]) != want {
		t.Errorf("K_ASME = %x, want %s", got, want)
	}
}

// TestKeNB checks TS 33.401 A.3 against the K_eNB tests of
// OpenAirInterface (openair-cn/TEST/test_secu_kenb.c).
func TestKeNB(t *testing.T) {
	for _, tc := range []struct {
		count       uint32
		kasme, kenb string
	}{
		{0xdb1a3569, "238e457e0f758badbca8d34bb2612c10428d426757cb5553b2b184fa64bfc549",
			"8eb1bf0083bd79281ef7034bf677e9ec529f196e15287514a2d122acf713b8e8"},
		{0x001fb39c, "564cb4d2007e4f293b67d9b29392a64add4c776b133d895af6499aa6882aab62",
			"009010688f85855e218339de6c5bd7b6394958da12ddfbf7559e978ce43408f1"},
		{0x00000012, "fa77e41f693c2a6e71455cb8687e6e6058ef91e2f5abd1bd3c496179481f308c",
			"0afe81266de52b8c8f1c3f4fe799be883f364b018e7368c41f14dd6d050e13e1"},
		{0xfe56a1d3, "fa77e41f693c2a6e71455cb8687e6e6058ef91e2f5abd1bd3c496179481f308c",
			"3622874b06c683586a009dec81dbe28bdd8e3e6e67a2c22c31630ec97641828e"},
		{0xfe56a1d3, "70d7071aa016a087f9d888ad51f3a83e2c83443ab27843b35bd1b4923615091c",
			"e59be6f0fbefa1207da3ff05d0f82014100e7a63a11eebfe4f8aa92e7cf8b847"},
		{0xaabbccdd, "70d7071aa016a087f9d888ad51f3a83e2c83443ab27843b35bd1b4923615091c",
			"158781a2fdf2ce53abfa186d22eb751decb8273471dc792b5016c9016947d1ae"},
	} {
		got := DeriveKeNB(h32(t, tc.kasme), tc.count)
		if hex.EncodeToString(got[:]) != tc.kenb {
			t.Errorf("K_eNB(%s, %#x) = %x, want %s", tc.kasme[:8], tc.count, got, tc.kenb)
		}
		c := &Context{KASME: h32(t, tc.kasme)}
		if c.KeNB(tc.count) != got {
			t.Error("Context.KeNB differs from DeriveKeNB")
		}
	}
}

// TestNASKeysOAI checks the FC 0x15 derivation against the K_NASenc and
// K_NASint tests of OpenAirInterface (openair-cn/TEST/test_secu_knas.c):
// the full 256-bit KDF output for algorithm identities 0, 1 and 2.
func TestNASKeysOAI(t *testing.T) {
	for _, tc := range []struct {
		alg               byte
		kasme, enc, integ string
	}{
		{0, "70d7071aa016a087f9d888ad51f3a83e2c83443ab27843b35bd1b4923615091c",
			"64ba839b29c451085c552f4de9d278b263cb5bdd7fc21a38120637b2a9e5cd39",
			"a66a2d198af2a8d6a5ff2faa51676037df204187c61edd3aaa70f3b7d8b59e8b"},
		{1, "70d7071aa016a087f9d888ad51f3a83e2c83443ab27843b35bd1b4923615091c",
			"df8feba477891617c42fb16f750e572c9e59ed7564879150f6bb0daef5932e89",
			"ea1158ba3f387bc96c967bc32fb43f65ae172a3267343479caa826034a90a250"},
		{2, "70d7071aa016a087f9d888ad51f3a83e2c83443ab27843b35bd1b4923615091c",
			"99d63bd2d43af81ebb7599f7e8f8b3e81cf7897f31d6270c19c4836070fe11f0",
			"fc7a3850d19ae29ec7000b9df98787f11a4329fd23fd3a93c9d2d92d853ec9db"},
		{0, "9ea141da4b24cdebc8f5fb3f61a0511216681f121199b23ebcfacc75b358be43",
			"1e48e1b5edf98dedf339de686544aa1088c8e5616edb706201837aa106d37691",
			"c83dc420f97aa42d1b8488fa5d8f74865d833416d5851556100b41fec8e38139"},
		{1, "9ea141da4b24cdebc8f5fb3f61a0511216681f121199b23ebcfacc75b358be43",
			"207700cd92b4635b439e40176f92f7ada824b9d699abe15f86f3346c25343a33",
			"faa39e382611cdfed52042e72af8cecdf92ccd799141857b77b6901741e486b2"},
		{2, "9ea141da4b24cdebc8f5fb3f61a0511216681f121199b23ebcfacc75b358be43",
			"2a6854d25282ffd738fa8bbcfdce853c0c4dfb9f559dcbb71d5120db2cac66a6",
			"5edcae62a35bc42399c55f64ecae7b17524bed1ed1601218d2772e55ddfad959"},
		{0, "546a79bc6d1613a72a4d631ee0351d66036b2a0c44a3831be6d365e24f023013",
			"7f684f909a5910ded6e4b4ce02ac92df4690eb3788068600e9cb2c3ef8f0956e",
			"51f3b142d357371726873fac5e853ce0eeefc52a695de45fa6f4a23d20c13155"},
		{1, "546a79bc6d1613a72a4d631ee0351d66036b2a0c44a3831be6d365e24f023013",
			"b6b222e9c07c56d15176c8e95ec1805561492682e4b9cd7228237a6c78702347",
			"4dc5abf6896da460473288d16de83c480388c6fd9e803c7ea88090f311354a15"},
		{2, "546a79bc6d1613a72a4d631ee0351d66036b2a0c44a3831be6d365e24f023013",
			"7bd2a0864452d3d9ede3b2e38a9958777f231ac4f4b9af3fc8ce0e1eaab425a7",
			"89e8049ebe9374f238b0f3278eea47d9bf8877111d99d6378fff66febb06f3f8"},
	} {
		kasme := h32(t, tc.kasme)
		enc := KDF(kasme[:], FCAlgoKey, []byte{NASEncAlg}, []byte{tc.alg})
		integ := KDF(kasme[:], FCAlgoKey, []byte{NASIntAlg}, []byte{tc.alg})
		if hex.EncodeToString(enc[:]) != tc.enc || hex.EncodeToString(integ[:]) != tc.integ {
			t.Errorf("alg %d, K_ASME %s…: enc %x int %x, want %s %s", tc.alg, tc.kasme[:8], enc, integ, tc.enc, tc.integ)
		}
		kEnc, kInt := DeriveNASKeys(kasme, CipheringAlg(tc.alg), IntegrityAlg(tc.alg))
		if hex.EncodeToString(kEnc[:]) != tc.enc[32:] || hex.EncodeToString(kInt[:]) != tc.integ[32:] {
			t.Errorf("alg %d: DeriveNASKeys = %x %x, want the 128 least significant bits", tc.alg, kEnc, kInt)
		}
	}
}

// refKDF is a second, deliberately plain implementation of the TS 33.220
// B.2 KDF with S written out octet by octet, to cross-check KDF.
func refKDF(key []byte, s ...byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(s)
	return m.Sum(nil)
}

func TestKDFCrossCheck(t *testing.T) {
	kasme := h32(t, "0f1e2d3c4b5a6978"+"8796a5b4c3d2e1f0"+"0011223344556677"+"8899aabbccddeeff")
	for alg := byte(0); alg < 4; alg++ {
		kEnc, kInt := DeriveNASKeys(kasme, CipheringAlg(alg), IntegrityAlg(alg))
		wantEnc := refKDF(kasme[:], 0x15, 0x01, 0x00, 0x01, alg, 0x00, 0x01)[16:]
		wantInt := refKDF(kasme[:], 0x15, 0x02, 0x00, 0x01, alg, 0x00, 0x01)[16:]
		if string(kEnc[:]) != string(wantEnc) || string(kInt[:]) != string(wantInt) {
			t.Errorf("alg %d: %x %x, want %x %x", alg, kEnc, kInt, wantEnc, wantInt)
		}
	}
	kenb := DeriveKeNB(kasme, 0x01020304)
	if want := refKDF(kasme[:], 0x11, 0x01, 0x02, 0x03, 0x04, 0x00, 0x04); string(kenb[:]) != string(want) {
		t.Errorf("K_eNB %x, want %x", kenb, want)
	}
	var ck, ik [16]byte
	for i := range ck {
		ck[i], ik[i] = byte(i), byte(0xf0+i)
	}
	conc := [6]byte{1, 2, 3, 4, 5, 6}
	got := DeriveKASME(ck, ik, gpp.MustPLMN("001", "01"), conc)
	want := refKDF(append(ck[:], ik[:]...), 0x10, 0x00, 0xf1, 0x10, 0x00, 0x03, 1, 2, 3, 4, 5, 6, 0x00, 0x06)
	if string(got[:]) != string(want) {
		t.Errorf("K_ASME %x, want %x", got, want)
	}
	// A long parameter takes the allocating path.
	long := make([]byte, 100)
	if a, b := KDF(kasme[:], 0x55, long), refKDF(kasme[:], append(append([]byte{0x55}, long...), 0x00, 100)...); string(a[:]) != string(b) {
		t.Errorf("long KDF %x, want %x", a, b)
	}
}
