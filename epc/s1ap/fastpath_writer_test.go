package s1ap

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"github.com/free5gc/aper"
)

// enumParams are the ENUMERATED shapes of the package, and synthetic ones
// around the bit-field boundaries.
func enumParams() []string {
	ps := []string{pRRCCause, pPagingDRX, pNBDefDRX, pNBDRX, pCNDomain, pTimeToWait, pGUMMEIType, pCSFB,
		pEndInd, pCEModeB, pPagingPrio, pResetAll, pOneTrue, pChoice2X, pCauseX, pResetType, pUEPagingID}
	for _, ub := range []int{0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 126, 127, 128, 200, 254, 255, 256, 1000} {
		ps = append(ps, fmt.Sprintf("valueLB:0,valueUB:%d", ub), fmt.Sprintf("valueExt,valueLB:0,valueUB:%d", ub))
	}
	return append(ps, "valueLB:1,valueUB:4", "valueExt,valueLB:1,valueUB:4", "sizeLB:0,sizeUB:4", "")
}

// TestEnumFastPathMatchesAper checks the ENUMERATED fast path against aper:
// every value it encodes gives aper's bytes, and every input it decodes
// (all one-octet inputs, all two-octet inputs for the shapes of more than
// 8 bits) decodes with aper to the same value.
func TestEnumFastPathMatchesAper(t *testing.T) {
	fast := 0
	for _, params := range enumParams() {
		ext, n, ub, ok := enumShape(params)
		if !ok {
			for _, b := range [][]byte{{0}, {0x40}, {0x80}, {0, 0}} {
				if _, ok := decEnum(b, params); ok {
					t.Errorf("%q: decodes %x without a shape", params, b)
				}
			}
			continue
		}
		fast++
		for v := uint64(0); v <= ub+3; v++ {
			want, err := marshal(aper.Enumerated(v), params)
			if v > ub {
				continue // an extension value (or out of range): aper only
			}
			got := appendEnum(nil, ext, n, v)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%q value %d: fast %x, aper %x (%v)", params, v, got, want, err)
			}
			if d, ok := decEnum(got, params); !ok || d != v {
				t.Fatalf("%q value %d: fast decode of %x gives %d %v", params, v, got, d, ok)
			}
		}
		check := func(b []byte) {
			v, ok := decEnum(b, params)
			if !ok {
				return
			}
			a, err := get[aper.Enumerated](b, params)
			if err != nil || uint64(a) != v {
				t.Fatalf("%q %x: fast %d, aper %d (%v)", params, b, v, a, err)
			}
		}
		for i := 0; i < 256; i++ {
			check([]byte{byte(i)})
		}
		total := n
		if ext {
			total++
		}
		if total > 8 {
			for i := 0; i < 1<<16; i++ {
				check([]byte{byte(i >> 8), byte(i)})
			}
		}
	}
	if fast < 20 {
		t.Errorf("only %d shapes take the fast path", fast)
	}
}

// slowIEs encodes the IEs of the messages encoded signalling uses with aper
// alone (the reference for the writer's fast paths).
func slowPDU(t *testing.T, m Message) []byte {
	t.Helper()
	var ies []IE
	put := func(id ProtocolIEID, c Criticality, v any, params string) {
		b, err := marshal(v, params)
		if err != nil {
			t.Fatalf("%T IE %d: %v", m, id, err)
		}
		ies = append(ies, IE{ID: id, Criticality: c, Value: b})
	}
	tai := func(id ProtocolIEID, c Criticality, x TAI) { a := x.toASN(); put(id, c, &a, pSeqExt) }
	cgi := func(id ProtocolIEID, c Criticality, x EUTRANCGI) { a := x.toASN(); put(id, c, &a, pSeqExt) }
	cause := func(x Cause) {
		a, err := x.toASN()
		if err != nil {
			t.Fatal(err)
		}
		put(IDCause, Ignore, &a, pCauseX)
	}
	crit := Ignore
	switch x := m.(type) {
	case *InitialUEMessage:
		put(IDENBUES1APID, Reject, int64(x.ENBUES1APID), pENBUEID)
		put(IDNASPDU, Reject, aper.OctetString(x.NASPDU), pOctets)
		tai(IDTAI, Reject, x.TAI)
		cgi(IDEUTRANCGI, Ignore, x.EUTRANCGI)
		put(IDRRCEstablishmentCause, Ignore, aper.Enumerated(x.RRCEstablishmentCause), pRRCCause)
	case *UplinkNASTransport:
		put(IDMMEUES1APID, Reject, int64(x.MMEUES1APID), pMMEUEID)
		put(IDENBUES1APID, Reject, int64(x.ENBUES1APID), pENBUEID)
		put(IDNASPDU, Reject, aper.OctetString(x.NASPDU), pOctets)
		cgi(IDEUTRANCGI, Ignore, x.EUTRANCGI)
		tai(IDTAI, Ignore, x.TAI)
	case *DownlinkNASTransport:
		put(IDMMEUES1APID, Reject, int64(x.MMEUES1APID), pMMEUEID)
		put(IDENBUES1APID, Reject, int64(x.ENBUES1APID), pENBUEID)
		put(IDNASPDU, Reject, aper.OctetString(x.NASPDU), pOctets)
		if x.EndIndication != nil {
			put(IDEndIndication, Ignore, aper.Enumerated(*x.EndIndication), pEndInd)
		}
	case *UEContextReleaseRequest:
		put(IDMMEUES1APID, Reject, int64(x.MMEUES1APID), pMMEUEID)
		put(IDENBUES1APID, Reject, int64(x.ENBUES1APID), pENBUEID)
		cause(x.Cause)
	case *UEContextReleaseCommand:
		crit = Reject
		a := x.UES1APIDs.toASN()
		put(IDUES1APIDs, Reject, &a, pChoice2X)
		cause(x.Cause)
	case *UEContextReleaseComplete:
		crit = Reject
		put(IDMMEUES1APID, Ignore, int64(x.MMEUES1APID), pMMEUEID)
		put(IDENBUES1APID, Ignore, int64(x.ENBUES1APID), pENBUEID)
	default:
		t.Fatalf("no reference for %T", m)
	}
	p := PDU{Type: m.PDUType(), Code: m.Procedure(), Criticality: crit, IEs: ies, HasIEs: true}
	b, err := p.marshalAper()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func randomNASMessages(r *rand.Rand) []Message {
	nas := make([]byte, []int{1, 20, 127, 128, 300, 16383, 16384, 20000}[r.IntN(8)]*(1+r.IntN(2))/(1+r.IntN(2)))
	for i := range nas {
		nas[i] = byte(r.Uint32())
	}
	plmn := PLMN{byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())}
	tai := TAI{PLMN: plmn, TAC: uint16(r.Uint32())}
	cgi := EUTRANCGI{PLMN: plmn, CellID: r.Uint32() >> 4}
	mme, enb := r.Uint32()>>r.IntN(32), r.Uint32()>>(8+r.IntN(24))
	cause := Cause{Group: CauseGroup(r.IntN(5))}
	cause.Value = uint8(r.IntN(int(causeRoot[cause.Group])))
	dl := &DownlinkNASTransport{MMEUES1APID: mme, ENBUES1APID: enb, NASPDU: nas}
	if r.IntN(3) == 0 {
		e := uint8(r.IntN(2))
		dl.EndIndication = &e
	}
	return []Message{
		&InitialUEMessage{ENBUES1APID: enb, NASPDU: nas, TAI: tai, EUTRANCGI: cgi, RRCEstablishmentCause: RRCEstablishmentCause(r.IntN(5))},
		&UplinkNASTransport{MMEUES1APID: mme, ENBUES1APID: enb, NASPDU: nas, EUTRANCGI: cgi, TAI: tai},
		dl,
		&UEContextReleaseRequest{MMEUES1APID: mme, ENBUES1APID: enb, Cause: cause},
		&UEContextReleaseCommand{UES1APIDs: UES1APIDs{MMEUES1APID: mme, ENBUES1APID: &enb}, Cause: cause},
		&UEContextReleaseCommand{UES1APIDs: UES1APIDs{MMEUES1APID: mme}, Cause: cause},
		&UEContextReleaseComplete{MMEUES1APID: mme, ENBUES1APID: enb},
	}
}

// TestWriterMatchesAper marshals random NAS transport and release messages
// (recycled writers, values in the writer's buffer, the enumerated fast
// path) and compares the bytes with the same IEs encoded by aper alone,
// then checks that they parse back to the message.
func TestWriterMatchesAper(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 300; i++ {
		for _, m := range randomNASMessages(r) {
			got, err := m.Marshal()
			if err != nil {
				t.Fatalf("%T: %v", m, err)
			}
			if want := slowPDU(t, m); !bytes.Equal(got, want) {
				t.Fatalf("%T:\nfast %x\naper %x", m, got, want)
			}
			if len(got) > 16384 {
				continue // fragmented lengths: aper does not decode all of its own (a NAS-PDU is never this long)
			}
			back, err := Parse(got)
			if err != nil {
				t.Fatalf("%T (%d octets): %v", m, len(got), err)
			}
			back.(typed).wire().ResetWire()
			if !reflect.DeepEqual(back, m) {
				t.Fatalf("%T: parsed %+v, want %+v", m, back, m)
			}
		}
	}
}

// TestWriterConcurrent marshals from several goroutines at once: the
// recycled writers must not share values between messages.
func TestWriterConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 9))
			for i := 0; i < 100; i++ {
				for _, m := range randomNASMessages(r) {
					a, err := m.Marshal()
					if err != nil {
						t.Error(err)
						return
					}
					if b := slowPDU(t, m); !bytes.Equal(a, b) {
						t.Errorf("%T differs from aper", m)
						return
					}
				}
			}
		}(uint64(g))
	}
	wg.Wait()
}
