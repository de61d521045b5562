package gpp

import (
	"strings"
	"testing"
)

func TestPLMN(t *testing.T) {
	for _, c := range []struct {
		mcc, mnc string
		want     PLMN
		str      string
	}{
		{"001", "01", PLMN{0x00, 0xf1, 0x10}, "001-01"},   // TS 33.401 A.2 / test PLMN
		{"310", "410", PLMN{0x13, 0x00, 0x14}, "310-410"}, // 3-digit MNC
		{"310", "260", PLMN{0x13, 0x00, 0x62}, "310-260"},
		{"208", "10", PLMN{0x02, 0xf8, 0x01}, "208-10"},
		{"901", "70", PLMN{0x09, 0xf1, 0x07}, "901-70"},
		{"999", "999", PLMN{0x99, 0x99, 0x99}, "999-999"},
		{"208", "93", PLMN{0x02, 0xf8, 0x39}, "208-93"}, // was epc/security TestSNID
		{"262", "01", PLMN{0x62, 0xf2, 0x10}, "262-01"},
	} {
		p, err := NewPLMN(c.mcc, c.mnc)
		if err != nil || p != c.want {
			t.Errorf("NewPLMN(%s, %s) = % x, %v; want % x", c.mcc, c.mnc, p[:], err, c.want[:])
		}
		if p.MCC() != c.mcc || p.MNC() != c.mnc || p.String() != c.str {
			t.Errorf("% x: MCC %q MNC %q String %q", p[:], p.MCC(), p.MNC(), p.String())
		}
	}
	for _, c := range [][2]string{{"20", "10"}, {"2081", "10"}, {"208", "1"}, {"208", "1000"}, {"2a8", "10"}, {"208", "1-"}, {"", ""},
		{"01", "01"}, {"0a1", "01"}, {"001", "1"}, {"001", "0123"}, {"001", "x1"}} {
		if _, err := NewPLMN(c[0], c[1]); err == nil || !strings.Contains(err.Error(), "digits") {
			t.Errorf("NewPLMN(%q, %q) = %v, want an error naming the digits", c[0], c[1], err)
		}
	}
	// A received value with non-decimal nibbles shows them in hex; only
	// MNC digit 3 = 1111 is the filler.
	if s := (PLMN{0xfa, 0xf1, 0xf0}).String(); s != "af1-0f" {
		t.Errorf("String = %q", s)
	}
}

func TestMustPLMNPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustPLMN(\"1\", \"2\") did not panic")
		}
	}()
	MustPLMN("1", "2")
}
