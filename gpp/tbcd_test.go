package gpp

import (
	"encoding/hex"
	"errors"
	"testing"
)

func TestTBCD(t *testing.T) {
	for _, c := range []struct{ digits, hex string }{
		{"001010000000001", "00010100000000f1"}, // odd: filler in bits 8-5 of the last octet (was epc/s1 TestTBCD)
		{"001010123456789", "00010121436587f9"}, // the S1AP golden Paging's IMSI
		{"00101123456789", "00011132547698"},    // even: no filler
		{"901700000050900", "09710000000509f0"},
		{"1", "f1"},
		{"12", "21"},
		{"", ""},
	} {
		b, err := TBCD(c.digits)
		if err != nil || hex.EncodeToString(b) != c.hex {
			t.Errorf("TBCD(%q) = %x, %v; want %s", c.digits, b, err, c.hex)
		}
		got, err := DecodeTBCD(b)
		if err != nil || got != c.digits {
			t.Errorf("DecodeTBCD(%x) = %q, %v; want %q", b, got, err, c.digits)
		}
	}
	for _, bad := range []string{"12a4", "-1", "1 2", "١"} {
		if b, err := TBCD(bad); !errors.Is(err, ErrTBCDDigit) || b != nil {
			t.Errorf("TBCD(%q) = %x, %v; want ErrTBCDDigit", bad, b, err)
		}
	}
	if b, _ := AppendTBCD([]byte{0x29}, "123"); hex.EncodeToString(b) != "2921f3" {
		t.Errorf("AppendTBCD = %x", b)
	}
}

func TestDecodeTBCDFaults(t *testing.T) {
	for _, c := range []struct {
		hex, digits string
		err         error
	}{
		// (hex text shows bits 8-5 first: octet "f1" is digit 1 then filler)
		{"f132", "1", ErrTBCDFiller},  // filler in bits 8-5, but an octet follows
		{"1f", "", ErrTBCDFiller},     // filler in bits 4-1
		{"21ff", "12", ErrTBCDFiller}, // an octet of filler (padding) is misplaced too
		{"213f", "12", ErrTBCDFiller}, // filler in bits 4-1 of the last octet
		{"2143657f", "123456", ErrTBCDFiller},
		{"1a", "", ErrTBCDDigit},     // '*' of TBCD-STRING: not an IMSI digit
		{"213c", "12", ErrTBCDDigit}, // 'a'
		{"e2", "2", ErrTBCDDigit},    // 'c' in bits 8-5
	} {
		b, _ := hex.DecodeString(c.hex)
		got, err := DecodeTBCD(b)
		if got != c.digits || !errors.Is(err, c.err) {
			t.Errorf("DecodeTBCD(%s) = %q, %v; want %q, %v", c.hex, got, err, c.digits, c.err)
		}
	}
	// The one place the filler may stand.
	if got, err := DecodeTBCD([]byte{0x21, 0x3f}); err == nil {
		t.Errorf("DecodeTBCD(21 3f) = %q accepted", got)
	}
	if got, err := DecodeTBCD([]byte{0x21, 0xf3}); err != nil || got != "123" {
		t.Errorf("DecodeTBCD(21 f3) = %q, %v", got, err)
	}
}

// FuzzTBCD: every string of decimal digits survives TBCD → DecodeTBCD, and
// every octet string that DecodeTBCD accepts re-encodes to itself.
func FuzzTBCD(f *testing.F) {
	for _, s := range []string{"", "1", "12", "001010000000001", "00101123456789"} {
		f.Add([]byte(s))
	}
	for _, h := range []string{"00010100000000f1", "f132", "1f", "1a", "21ff"} {
		b, _ := hex.DecodeString(h)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeTBCD(b)
		if err == nil {
			re, err := TBCD(s)
			if err != nil || string(re) != string(b) {
				t.Fatalf("DecodeTBCD(%x) = %q re-encodes as %x, %v", b, s, re, err)
			}
		} else if len(s) >= 2*len(b) {
			t.Fatalf("DecodeTBCD(%x) = %q with %v", b, s, err)
		}
		if !decimal(string(b)) {
			return
		}
		enc, err := TBCD(string(b))
		if err != nil || len(enc) != (len(b)+1)/2 {
			t.Fatalf("TBCD(%q) = %x, %v", b, enc, err)
		}
		if got, err := DecodeTBCD(enc); err != nil || got != string(b) {
			t.Fatalf("%q → %x → %q, %v", b, enc, got, err)
		}
	})
}
