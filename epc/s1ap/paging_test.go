package s1ap

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/nbsim/nbsim/gpp"
)

// TestPagingDRXAndNBIoTEDRXEncoding checks the octets of the Paging DRX,
// NB-IoT Paging eDRX Information and NB-IoT UE Identity Index Value IEs
// against hand-derived ALIGNED PER (TS 36.413 §9.1.6, ids 44, 239, 244).
func TestPagingDRXAndNBIoTEDRXEncoding(t *testing.T) {
	drx := PagingDRX256
	for _, c := range []struct {
		edrx NBIoTPagingEDRXInformation
		// NB-IoT-Paging-eDRXInformation: extension bit, optional bits
		// (time window, extensions), cycle (extension bit, 4 bits),
		// time window (extension bit, 4 bits).
		want string
	}{
		{NBIoTPagingEDRXInformation{Cycle: NBIoTEDRXhf8, TimeWindow: u8p(1)}, "4308"},    // 0 10 0.0011 0.0001 pad
		{NBIoTPagingEDRXInformation{Cycle: NBIoTEDRXhf2, TimeWindow: u8p(15)}, "4078"},   // 0 10 0.0000 0.1111
		{NBIoTPagingEDRXInformation{Cycle: NBIoTEDRXhf1024}, "0d"},                       // 0 00 0.1101
		{NBIoTPagingEDRXInformation{Cycle: NBIoTEDRXhf1024, TimeWindow: u8p(0)}, "4d00"}, // 0 10 0.1101 0.0000
	} {
		p := &Paging{UEIdentityIndexValue: 53, UEPagingID: UEPagingID{STMSI: &STMSI{MMEC: 1, MTMSI: 0x28b0f435}},
			PagingDRX: &drx, CNDomain: CNDomainPS, TAIs: []TAI{{PLMN: gpp.MustPLMN("001", "01"), TAC: 1}},
			NBIoTPagingEDRX: &c.edrx, NBIoTUEIdentityIndex: u16p(1077)}
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		pdu, err := ParsePDU(b)
		if err != nil {
			t.Fatal(err)
		}
		want := map[ProtocolIEID]string{
			IDPagingDRX:                  "60",   // 0.11 pad: v256
			IDNBIoTPagingEDRXInformation: c.want, //
			IDNBIoTUEIdentityIndexValue:  "4350", // 1077 in 12 bits
		}
		var ids []ProtocolIEID
		for _, ie := range pdu.IEs {
			ids = append(ids, ie.ID)
			if w, ok := want[ie.ID]; ok {
				if got := hex.EncodeToString(ie.Value); got != w {
					t.Errorf("%+v: IE %d = %s, want %s", c.edrx, ie.ID, got, w)
				}
				if ie.Criticality != Ignore {
					t.Errorf("IE %d criticality %v", ie.ID, ie.Criticality)
				}
			}
		}
		// The order of the Paging IEs in TS 36.413 §9.1.6.
		if wantIDs := []ProtocolIEID{IDUEIdentityIndexValue, IDUEPagingID, IDPagingDRX, IDCNDomain, IDTAIList,
			IDNBIoTPagingEDRXInformation, IDNBIoTUEIdentityIndexValue}; !reflect.DeepEqual(ids, wantIDs) {
			t.Errorf("IEs %v, want %v", ids, wantIDs)
		}
		m, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		q := m.(*Paging)
		if q.PagingDRX == nil || *q.PagingDRX != drx || !reflect.DeepEqual(q.NBIoTPagingEDRX, p.NBIoTPagingEDRX) ||
			q.NBIoTUEIdentityIndex == nil || *q.NBIoTUEIdentityIndex != 1077 {
			t.Errorf("parsed %+v eDRX %+v, want %+v", q, q.NBIoTPagingEDRX, p.NBIoTPagingEDRX)
		}
	}
}

// TestPagingEDRXRoundTrip: every Paging DRX, every NB-IoT eDRX cycle with
// every paging time window or none marshal, parse back equal, and
// re-encode to the same octets.
func TestPagingEDRXRoundTrip(t *testing.T) {
	for drx := PagingDRX32; drx <= PagingDRX256; drx++ {
		for cyc := NBIoTEDRXhf2; cyc <= NBIoTEDRXhf1024; cyc++ {
			for w := -1; w < 16; w++ {
				e := &NBIoTPagingEDRXInformation{Cycle: cyc}
				if w >= 0 {
					e.TimeWindow = u8p(uint8(w))
				}
				p := &Paging{UEIdentityIndexValue: uint16(w+1) * 60, UEPagingID: UEPagingID{IMSI: mustHex("00010121436587f9")},
					PagingDRX: &drx, CNDomain: CNDomainPS, TAIs: []TAI{{PLMN: gpp.MustPLMN("001", "01"), TAC: 7}},
					NBIoTPagingEDRX: e, NBIoTUEIdentityIndex: u16p(uint16(cyc) * 300)}
				b, err := p.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				m, err := Parse(b)
				if err != nil {
					t.Fatalf("%x: %v", b, err)
				}
				q := m.(*Paging)
				if q.PagingDRX == nil || *q.PagingDRX != drx || !reflect.DeepEqual(q.NBIoTPagingEDRX, e) ||
					*q.NBIoTUEIdentityIndex != *p.NBIoTUEIdentityIndex || q.UEIdentityIndexValue != p.UEIdentityIndexValue {
					t.Fatalf("%x parsed to %+v, want %+v", b, q, p)
				}
				b2, err := q.Marshal()
				if err != nil || !bytes.Equal(b, b2) {
					t.Fatalf("re-encoded %x, want %x (%v)", b2, b, err)
				}
			}
		}
	}
}
