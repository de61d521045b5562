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
	if fast < len(caps)*9/10 {
		t.Errorf("fast path too rarely taken")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
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
	}
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
	switch ie.ID {
	case IDMMEUES1APID, IDENBUES1APID:
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
	case IDNASPDU:
		if v, ok := decOctets(ie.Value); ok {
			a, err := get[aper.OctetString](ie.Value, pOctets)
			if err != nil || !bytes.Equal(v, a) {
				t.Errorf("NAS-PDU %x: fast/aper differ", ie.Value)
			}
		}
	case IDTAI:
		if v, ok := decTAI(ie.Value); ok {
			a, err := get[asnTAI](ie.Value, pSeqExt)
			w, err2 := taiFromASN(a)
			if err != nil || err2 != nil || !reflect.DeepEqual(v, w) {
				t.Errorf("TAI %x: fast %+v aper %+v", ie.Value, v, w)
			}
		}
	case IDEUTRANCGI:
		if v, ok := decCGI(ie.Value); ok {
			a, err := get[asnEUTRANCGI](ie.Value, pSeqExt)
			w, err2 := cgiFromASN(a)
			if err != nil || err2 != nil || !reflect.DeepEqual(v, w) {
				t.Errorf("CGI %x: fast %+v aper %+v", ie.Value, v, w)
			}
		}
	}
}
