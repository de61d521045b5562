package s1ap

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/free5gc/aper"
)

// TestFastPathMatchesAper checks the hand-written PER paths against aper:
// on every capture PDU (envelope and container, decode and encode) and on
// random IE values.
func TestFastPathMatchesAper(t *testing.T) {
	checkCapturesFast(t)
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		checkRandomFast(t, r, i)
	}
	checkCausesFast(t)
	checkFlagsFast(t)
	checkOddIEsFast(t)
}

// checkCapturesFast: envelope and container of every capture PDU, decoded
// and encoded both ways, and their IEs.
func checkCapturesFast(t *testing.T) {
	fast := 0
	caps := loadCaptures(t)
	for _, c := range caps {
		pa, err := parsePDUAper(c.Bytes)
		if err != nil {
			t.Fatalf("%s: %v", c.where(), err)
		}
		pf, ok := parsePDUFast(c.Bytes)
		if ok {
			fast++
			if pf.Type != pa.Type || pf.Code != pa.Code || pf.Criticality != pa.Criticality || !bytes.Equal(pf.Value, pa.Value) ||
				!bytes.Equal(pf.Trailing, pa.Trailing) || !reflect.DeepEqual(pf.IEs, pa.IEs) {
				t.Errorf("%s: fast decode differs from aper", c.where())
			}
		}
		ba, err := pa.marshalAper()
		if err != nil {
			t.Fatal(err)
		}
		if bf, ok := marshalPDUFast(pa); ok && !bytes.Equal(bf, ba) {
			t.Errorf("%s: fast encode\n%x\naper\n%x", c.where(), bf, ba)
		}
		for _, ie := range pa.IEs {
			checkIEFast(t, ie)
		}
	}
	t.Logf("%d of %d capture PDUs take the fast path", fast, len(caps))
	t.Logf("fast IE decodes on captures: %v", ieFastHits)
	if fast < len(caps)*9/10 {
		t.Errorf("fast path too rarely taken")
	}
}

// checkRandomFast: the UE S1AP IDs, OCTET STRING, TAI and E-UTRAN CGI
// encoders on random values (round i).
func checkRandomFast(t *testing.T, r *rand.Rand, i int) {
	v := r.Uint32() >> r.IntN(32)
	checkAper(t, encUEID(v), int64(v), pMMEUEID)
	if v < 1<<24 {
		checkAper(t, encUEID(v), int64(v), pENBUEID)
	}
	n := r.IntN(300)
	if i%100 == 0 {
		n = 16383
	}
	o := make([]byte, n)
	for j := range o {
		o[j] = byte(r.Uint32())
	}
	e, _ := encOctets(o)
	checkAper(t, e, aper.OctetString(o), pOctets)
	tai := TAI{PLMN: PLMN{byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())}, TAC: uint16(r.Uint32())}
	e, _ = encTAI(tai)
	a := tai.toASN()
	checkAper(t, e, &a, pSeqExt)
	cgi := EUTRANCGI{PLMN: tai.PLMN, CellID: r.Uint32() >> 4}
	e, _ = encCGI(cgi)
	ac := cgi.toASN()
	checkAper(t, e, &ac, pSeqExt)
	checkReleasePagingRandom(t, r, i)
}

// checkCausesFast: every value of every Cause group, root and extension.
func checkCausesFast(t *testing.T) {
	for g := CauseGroupRadioNetwork; g <= CauseGroupMisc; g++ {
		root := 0
		for v := 0; v < 256; v++ {
			c := Cause{Group: g, Value: uint8(v)}
			a, _ := c.toASN()
			ab, err := marshal(&a, pCauseX)
			e, ok := encCause(c)
			if !ok {
				if err == nil {
					if _, ok := decCause(ab); ok {
						t.Errorf("%v: fast decodes extension encoding %x", c, ab)
					}
				}
				continue
			}
			root++
			if err != nil || !bytes.Equal(e, ab) {
				t.Errorf("%v: fast %x aper %x %v", c, e, ab, err)
			}
			checkIEFast(t, IE{ID: IDCause, Value: e})
		}
		if root != int(causeRoot[g]) {
			t.Errorf("group %d: %d root values", g, root)
		}
		// the aper ASN.1 bound of the group is root-1
		v := Cause{Group: g, Value: causeRoot[g] - 1}
		a, _ := v.toASN()
		if _, err := marshal(&a, pCauseX); err != nil {
			t.Errorf("group %d: aper rejects %v", g, v)
		}
	}
}

// checkFlagsFast: ENUMERATED { true, ... } flags.
func checkFlagsFast(t *testing.T) {
	checkAper(t, []byte{0}, aper.Enumerated(0), pOneTrue)
	var f bool
	if err := flagInto(&f, []byte{0}); err != nil || !f {
		t.Errorf("flag")
	}
	if a, err := get[aper.Enumerated]([]byte{0}, pOneTrue); err != nil || a != 0 {
		t.Errorf("aper flag %v %v", a, err)
	}
}

// checkOddIEsFast: odd values given to every IE with a fast path.
func checkOddIEsFast(t *testing.T) {
	for _, b := range [][]byte{{0x40}, {0xc0}, {0x90}, {0x00, 0x00}, {0x4c, 0x00}, {0x00, 0xc0, 0x01}, {0x40, 0x01, 0x02},
		{0x48, 1, 2, 3, 4}, {0x40, 1, 2, 3}, {0x00, 0x10, 0, 0, 0, 0}, {0xff, 0xc0}, {0x80}, {0x01}} {
		for _, id := range []ProtocolIEID{IDCause, IDUES1APIDs, IDUEPagingID, IDUEIdentityIndexValue, IDNBIoTUEIdentityIndexValue, IDCNDomain, IDTAIList} {
			checkIEFast(t, IE{ID: id, Value: b})
		}
	}
}

var ieFastHits = map[ProtocolIEID]int{}

// checkReleasePagingRandom checks the UE Context Release and Paging IE
// encoders against aper on random values, and decodes the result both ways.
func checkReleasePagingRandom(t *testing.T, r *rand.Rand, i int) {
	t.Helper()
	mme, enb := r.Uint32()>>r.IntN(32), r.Uint32()>>(8+r.IntN(24))
	u := UES1APIDs{MMEUES1APID: mme}
	if i%2 == 0 {
		u.ENBUES1APID = &enb
	}
	e, ok := encUES1APIDs(u)
	a := u.toASN()
	if !ok {
		t.Fatalf("UES1APIDs %+v not encoded", u)
	}
	checkAper(t, e, &a, pChoice2X)
	checkIEFast(t, IE{ID: IDUES1APIDs, Value: e})

	idx := uint16(r.IntN(1 << 10))
	e, _ = encBits16(idx, 10)
	checkAper(t, e, bits(uint64(idx), 10), pUEIdxValue)
	checkIEFast(t, IE{ID: IDUEIdentityIndexValue, Value: e})
	idx = uint16(r.IntN(1 << 12))
	e, _ = encBits16(idx, 12)
	checkAper(t, e, bits(uint64(idx), 12), pNBUEIdx)
	checkIEFast(t, IE{ID: IDNBIoTUEIdentityIndexValue, Value: e})

	var p UEPagingID
	if i%2 == 0 {
		p.STMSI = &STMSI{MMEC: uint8(r.Uint32()), MTMSI: r.Uint32()}
	} else {
		p.IMSI = make([]byte, 3+r.IntN(6))
		for j := range p.IMSI {
			p.IMSI[j] = byte(r.Uint32())
		}
	}
	e, ok = encPagingID(p)
	ap, _ := p.toASN()
	if !ok {
		t.Fatalf("UEPagingID %+v not encoded", p)
	}
	checkAper(t, e, &ap, pUEPagingID)
	checkIEFast(t, IE{ID: IDUEPagingID, Value: e})

	cn := CNDomain(i % 2)
	checkAper(t, []byte{byte(cn) << 7}, aper.Enumerated(cn), pCNDomain)
	checkIEFast(t, IE{ID: IDCNDomain, Value: []byte{byte(cn) << 7}})

	tais := make([]TAI, 1+r.IntN(4))
	if i%500 == 0 {
		tais = make([]TAI, 256)
	}
	crits := make([]Criticality, len(tais))
	list := make([]asnIEField, len(tais))
	for j := range tais {
		tais[j] = TAI{PLMN: PLMN{byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())}, TAC: uint16(r.Uint32())}
		if i%3 == 0 {
			crits[j] = Criticality(r.IntN(3))
		}
		v, err := marshal(&asnTAIItem{TAI: tais[j].toASN()}, pSeqExt)
		if err != nil {
			t.Fatal(err)
		}
		list[j] = asnIEField{ID: int64(IDTAIItem), Criticality: aper.Enumerated(crits[j]), Value: v}
	}
	e, ok = encTAIList(tais, func(j int) Criticality { return crits[j] })
	if !ok {
		t.Fatalf("TAI list not encoded")
	}
	checkAper(t, e, list, pERABList)
	checkIEFast(t, IE{ID: IDTAIList, Value: e})
	if _, c, _ := decTAIList(e); !reflect.DeepEqual(c, crits) {
		t.Errorf("TAI list crits %v, want %v", c, crits)
	}

	c := Cause{Group: CauseGroup(r.IntN(5))}
	c.Value = uint8(r.IntN(int(causeRoot[c.Group])))
	e, _ = encCause(c)
	ac, _ := c.toASN()
	checkAper(t, e, &ac, pCauseX)
}

func checkAper(t *testing.T, fast []byte, v any, params string) {
	t.Helper()
	b, err := marshal(v, params)
	if err != nil || !bytes.Equal(b, fast) {
		t.Errorf("fast %x, aper %x (%v) for %v", fast, b, err, v)
	}
}

// checkIEFast decodes the IEs with a fast path both ways.
func checkIEFast(t *testing.T, ie IE) {
	t.Helper()
	if f := ieFastChecks[ie.ID]; f != nil {
		f(t, ie)
	}
}

// ieFastChecks are checkIEFast's checks by IE id.
var ieFastChecks = map[ProtocolIEID]func(*testing.T, IE){
	IDMMEUES1APID:               checkUEIDFast,
	IDENBUES1APID:               checkUEIDFast,
	IDNASPDU:                    checkNASPDUFast,
	IDTAI:                       checkTAIFast,
	IDCause:                     checkCauseFast,
	IDUES1APIDs:                 checkUES1APIDsFast,
	IDUEPagingID:                checkPagingIDFast,
	IDUEIdentityIndexValue:      checkIndexFast,
	IDNBIoTUEIdentityIndexValue: checkIndexFast,
	IDCNDomain:                  checkCNDomainFast,
	IDTAIList:                   checkTAIListFast,
	IDEUTRANCGI:                 checkCGIFast,
}

func checkUEIDFast(t *testing.T, ie IE) {
	t.Helper()
	max, params := 4, pMMEUEID
	if ie.ID == IDENBUES1APID {
		max, params = 3, pENBUEID
	}
	if v, ok := decUEID(ie.Value, max); ok {
		a, err := get[int64](ie.Value, params)
		if err != nil || int64(v) != a {
			t.Errorf("UE ID %x: fast %d aper %d %v", ie.Value, v, a, err)
		}
	}
}

func checkNASPDUFast(t *testing.T, ie IE) {
	t.Helper()
	if v, ok := decOctets(ie.Value); ok {
		a, err := get[aper.OctetString](ie.Value, pOctets)
		if err != nil || !bytes.Equal(v, a) {
			t.Errorf("NAS-PDU %x: fast/aper differ", ie.Value)
		}
	}
}

func checkTAIFast(t *testing.T, ie IE) {
	t.Helper()
	if v, ok := decTAI(ie.Value); ok {
		a, err := get[asnTAI](ie.Value, pSeqExt)
		w, err2 := taiFromASN(a)
		if err != nil || err2 != nil || !reflect.DeepEqual(v, w) {
			t.Errorf("TAI %x: fast %+v aper %+v", ie.Value, v, w)
		}
	}
}

func checkCauseFast(t *testing.T, ie IE) {
	t.Helper()
	if v, ok := decCause(ie.Value); ok {
		ieFastHits[ie.ID]++
		var w Cause
		err := into(&w, ie.Value, pCauseX, causeFromASN)
		e, _ := encCause(v)
		if err != nil || v != w || !bytes.Equal(e, ie.Value) {
			t.Errorf("Cause %x: fast %v aper %v %v, re-encoded %x", ie.Value, v, w, err, e)
		}
	}
}

func checkUES1APIDsFast(t *testing.T, ie IE) {
	t.Helper()
	if v, ok := decUES1APIDs(ie.Value); ok {
		ieFastHits[ie.ID]++
		var w UES1APIDs
		err := into(&w, ie.Value, pChoice2X, ues1apidsFromASN)
		e, _ := encUES1APIDs(v)
		if err != nil || !reflect.DeepEqual(v, w) || !bytes.Equal(e, ie.Value) {
			t.Errorf("UE-S1AP-IDs %x: fast %+v aper %+v %v, re-encoded %x", ie.Value, v, w, err, e)
		}
	}
}

func checkPagingIDFast(t *testing.T, ie IE) {
	t.Helper()
	if v, ok := decPagingID(ie.Value); ok {
		ieFastHits[ie.ID]++
		var w UEPagingID
		err := into(&w, ie.Value, pUEPagingID, pagingIDFromASN)
		e, _ := encPagingID(v)
		if err != nil || !reflect.DeepEqual(v, w) || !bytes.Equal(e, ie.Value) {
			t.Errorf("UEPagingID %x: fast %+v aper %+v %v, re-encoded %x", ie.Value, v, w, err, e)
		}
	}
}

func checkIndexFast(t *testing.T, ie IE) {
	t.Helper()
	n, params := uint(10), pUEIdxValue
	if ie.ID == IDNBIoTUEIdentityIndexValue {
		n, params = 12, pNBUEIdx
	}
	if v, ok := decBits16(ie.Value, n); ok {
		ieFastHits[ie.ID]++
		var w uint16
		err := bitsInto(&w, ie.Value, params, int(n))
		e, _ := encBits16(v, n)
		if err != nil || v != w || !bytes.Equal(e, ie.Value) {
			t.Errorf("index %x: fast %d aper %d %v", ie.Value, v, w, err)
		}
	}
}

func checkCNDomainFast(t *testing.T, ie IE) {
	t.Helper()
	var m Paging
	m.CNDomain = 9
	if _, err := m.decodeIE(ie); err == nil {
		var w CNDomain
		err := enumInto(&w, ie.Value, pCNDomain)
		if err != nil || w != m.CNDomain {
			t.Errorf("CNDomain %x: fast %d aper %d %v", ie.Value, m.CNDomain, w, err)
		}
	}
	if len(ie.Value) == 1 && ie.Value[0]&0x7f == 0 {
		ieFastHits[ie.ID]++
	}
}

func checkTAIListFast(t *testing.T, ie IE) {
	t.Helper()
	if v, crits, ok := decTAIList(ie.Value); ok {
		ieFastHits[ie.ID]++
		var w []TAI
		var wi Wire
		err := singlesInto(&wi, ie.ID, ie.Value, IDTAIItem, Ignore, func(b []byte) error {
			a, err := get[asnTAIItem](b, pSeqExt)
			if err != nil || a.IEExtensions != nil {
				return errNotRepresentable
			}
			t, err := taiFromASN(a.TAI)
			w = append(w, t)
			return err
		})
		e, _ := encTAIList(v, func(i int) Criticality { return crits[i] })
		if err != nil || !reflect.DeepEqual(v, w) || !bytes.Equal(e, ie.Value) {
			t.Errorf("TAI list %x: fast %+v aper %+v %v", ie.Value, v, w, err)
		}
		var m Paging
		if _, err := m.decodeIE(ie); err != nil || !reflect.DeepEqual(m.Wire.items[ie.ID], wi.items[ie.ID]) {
			t.Errorf("TAI list %x: item criticalities %v, aper %v", ie.Value, m.Wire.items, wi.items)
		}
	}
}

func checkCGIFast(t *testing.T, ie IE) {
	t.Helper()
	if v, ok := decCGI(ie.Value); ok {
		a, err := get[asnEUTRANCGI](ie.Value, pSeqExt)
		w, err2 := cgiFromASN(a)
		if err != nil || err2 != nil || !reflect.DeepEqual(v, w) {
			t.Errorf("CGI %x: fast %+v aper %+v", ie.Value, v, w)
		}
	}
}

func benchReleaseAndPaging() []Message {
	enb := uint32(70000)
	return []Message{
		&UEContextReleaseRequest{MMEUES1APID: 123456, ENBUES1APID: 70000, Cause: CauseRadioNetworkUserInactivity},
		&UEContextReleaseCommand{UES1APIDs: UES1APIDs{MMEUES1APID: 123456, ENBUES1APID: &enb}, Cause: CauseNASNormalRelease},
		&UEContextReleaseComplete{MMEUES1APID: 123456, ENBUES1APID: 70000},
		&Paging{UEIdentityIndexValue: 517, UEPagingID: UEPagingID{STMSI: &STMSI{MMEC: 1, MTMSI: 0xc0ffee01}}, CNDomain: CNDomainPS,
			TAIs: []TAI{{PLMN: PLMN{0x00, 0xf1, 0x10}, TAC: 1}}},
	}
}

func benchRoundTrip(b *testing.B, i int) {
	m := benchReleaseAndPaging()[i]
	b.ReportAllocs()
	for b.Loop() {
		enc, err := m.Marshal()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Parse(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRoundTripUEContextReleaseRequest(b *testing.B)  { benchRoundTrip(b, 0) }
func BenchmarkRoundTripUEContextReleaseCommand(b *testing.B)  { benchRoundTrip(b, 1) }
func BenchmarkRoundTripUEContextReleaseComplete(b *testing.B) { benchRoundTrip(b, 2) }
func BenchmarkRoundTripPaging(b *testing.B)                   { benchRoundTrip(b, 3) }

// TestReleasePagingRoundTrip marshals and parses random UE Context Release
// and Paging messages (fast path and aper fallbacks) and checks that they
// come back equal and re-encode to the same bytes.
func TestReleasePagingRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 500; i++ {
		enb := r.Uint32() >> 8
		cause := Cause{Group: CauseGroup(r.IntN(5)), Value: uint8(r.IntN(40))}
		if cause.Value >= causeRoot[cause.Group] && i%2 == 0 {
			cause.Value %= causeRoot[cause.Group]
		}
		ids := UES1APIDs{MMEUES1APID: r.Uint32() >> r.IntN(32)}
		if i%2 == 0 {
			ids.ENBUES1APID = &enb
		}
		p := &Paging{UEIdentityIndexValue: uint16(r.IntN(1024)), CNDomain: CNDomain(i % 2)}
		if i%2 == 0 {
			p.UEPagingID.STMSI = &STMSI{MMEC: uint8(r.Uint32()), MTMSI: r.Uint32()}
		} else {
			p.UEPagingID.IMSI = []byte{0x21, 0x43, 0x65, 0x87, 0x09, 0x21, 0x43, 0xf5}[:3+r.IntN(6)]
		}
		for j := 0; j <= r.IntN(3); j++ {
			p.TAIs = append(p.TAIs, TAI{PLMN: PLMN{0x00, 0xf1, 0x10}, TAC: uint16(r.Uint32())})
		}
		if i%5 == 0 {
			v := uint16(r.IntN(4096))
			p.NBIoTUEIdentityIndex = &v
		}
		if i%7 == 0 {
			p.TAIs[0].Ext = []IE{{ID: 1000, Criticality: Ignore, Value: []byte{1}}} // aper fallback
		}
		if i%11 == 0 {
			drx := PagingDRX64
			p.PagingDRX = &drx
			p.EnhancedCoverageRestricted = true
		}
		msgs := []Message{
			&UEContextReleaseRequest{MMEUES1APID: ids.MMEUES1APID, ENBUES1APID: enb, Cause: cause, GWContextReleaseIndication: i%3 == 0},
			&UEContextReleaseCommand{UES1APIDs: ids, Cause: cause},
			&UEContextReleaseComplete{MMEUES1APID: ids.MMEUES1APID, ENBUES1APID: enb},
			p,
		}
		for _, m := range msgs {
			b, err := m.Marshal()
			if err != nil {
				if cause.Value < causeRoot[cause.Group] {
					t.Fatalf("%T: %v", m, err)
				}
				continue
			}
			got, err := Parse(b)
			if err != nil {
				t.Fatalf("%T %x: %v", m, b, err)
			}
			b2, err := got.Marshal()
			if err != nil || !bytes.Equal(b, b2) {
				t.Fatalf("%T: re-encoded %x, want %x (%v)", m, b2, b, err)
			}
			got.(typed).wire().ResetWire()
			if !reflect.DeepEqual(got, m) {
				t.Fatalf("%T: parsed %+v, want %+v", m, got, m)
			}
		}
	}
}
