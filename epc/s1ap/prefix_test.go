package s1ap

import "testing"

// No strict prefix of a real S1AP PDU parses as a complete PDU: the aligned
// PER length determinants of the open types account for every octet.
func TestPrefixesDoNotParse(t *testing.T) {
	pdus := loadCaptures(t)
	if testing.Short() && len(pdus) > 120 {
		pdus = pdus[:120]
	}
	checked := 0
	for _, c := range pdus {
		b := c.Bytes
		// Five capture PDUs carry junk octets after the PDU (kept in
		// Trailing); the PDU proper is what must not have a parsing prefix.
		if p, err := ParsePDU(b); err == nil && len(p.Trailing) > 0 {
			b = b[:len(b)-len(p.Trailing)]
		}
		for n := 0; n < len(b); n++ {
			if m, err := Parse(b[:n]); err == nil {
				t.Errorf("%s: the %d-octet prefix of a %d-octet PDU parses as %T", c.where(), n, len(b), m)
				break
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no PDUs")
	}
}
