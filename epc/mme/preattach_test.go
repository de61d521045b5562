package mme

import (
	"bytes"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/uenas"
)

// TestPreattachContext: a device preattached with the MME's context
// (UE.SecurityContext, sharing its expanded keys) sends and receives the
// same octets as one that derives its own from K_ASME, message for
// message, and the MME takes them all; an unknown IMSI is refused.
func TestPreattachContext(t *testing.T) {
	kasme := [32]byte{1, 2, 3, 4, 5}
	type side struct {
		m  *MME
		d  *uenas.Device
		id UEID
	}
	var sides [2]side
	for i := range sides {
		m := newMME(t, DefaultConfig())
		d, err := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
		if err != nil {
			t.Fatal(err)
		}
		d.PSM = epc.PSMRequest{Enabled: true, T3324: time.Minute, T3412: time.Hour}
		u, err := m.Preattach(imsi1, kasme, d.PSM, d.EDRX, d.PDNType)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			enc, integ := m.Algorithms()
			err = d.Preattach(kasme, enc, integ, u.PSM, u.EDRX, u.Addr)
		} else {
			err = d.PreattachContext(u.SecurityContext(), u.PSM, u.EDRX, u.Addr)
		}
		if err != nil {
			t.Fatal(err)
		}
		sides[i] = side{m, d, u.ID}
	}
	for n := 0; n < 300; n++ {
		var ups, downs [2][]byte
		for i, s := range sides {
			data := bytes.Repeat([]byte{byte(n)}, n%90)
			var up []byte
			var err error
			switch n % 3 {
			case 0:
				up, err = s.d.ServiceRequest(data, nas.DDXSingleDownlink)
			case 1:
				up, err = s.d.Data(data, nas.DDXNoInformation)
			default:
				up, err = s.d.ServiceRequest(nil, 0)
			}
			if err != nil {
				t.Fatal(err)
			}
			ups[i] = up
			s.m.HandleNAS(s.id, up, time.Duration(n)*time.Second)
			for _, e := range s.m.HandleDownlink(imsi1, data, time.Duration(n)*time.Second) {
				if x, ok := e.(SendNAS); ok {
					downs[i] = x.NAS
					if _, err := s.d.Handle(x.NAS); err != nil {
						t.Fatalf("%d: device: %v", n, err)
					}
				}
			}
			s.m.Released(s.id, time.Duration(n)*time.Second)
		}
		if !bytes.Equal(ups[0], ups[1]) || !bytes.Equal(downs[0], downs[1]) {
			t.Fatalf("%d: derived %x / %x, shared %x / %x", n, ups[0], downs[0], ups[1], downs[1])
		}
	}
	for i, s := range sides {
		if f := s.m.Failures(); len(f) != 0 {
			t.Errorf("side %d: failures %v", i, f)
		}
		if len(s.d.Received) != 300 {
			t.Errorf("side %d: %d downlinks received", i, len(s.d.Received))
		}
	}
	if _, err := sides[0].m.Preattach("001019999999999", kasme, epc.PSMRequest{}, epc.EDRXRequest{}, nas.PDNTypeIPv4); err == nil {
		t.Error("preattach of an unknown IMSI accepted")
	}
}

// TestPreattachGrantFollowsPolicy: Preattach's remembered PSM grant is
// the current policy's.
func TestPreattachGrantFollowsPolicy(t *testing.T) {
	m := newMME(t, DefaultConfig())
	req := epc.PSMRequest{Enabled: true, T3324: 5 * time.Minute, T3412: 24 * time.Hour}
	u1, err := m.Preattach(imsi1, [32]byte{}, req, epc.EDRXRequest{}, nas.PDNTypeIPv4)
	if err != nil {
		t.Fatal(err)
	}
	psm, edrx := m.Policy()
	psm.Policy, psm.T3324Max, psm.T3412Max = epc.Clamp, time.Minute, 12*time.Hour
	m.SetPolicy(psm, edrx)
	u2, err := m.Preattach(imsi1, [32]byte{}, req, epc.EDRXRequest{}, nas.PDNTypeIPv4)
	if err != nil {
		t.Fatal(err)
	}
	if u1.PSM.T3324 != 5*time.Minute {
		t.Errorf("first grant %+v, want T3324 as requested", u1.PSM)
	}
	if want := psm.GrantPSM(req); u2.PSM != want || u2.PSM.T3324 > time.Minute {
		t.Errorf("grant %+v after the policy changed, want %+v", u2.PSM, want)
	}
}
