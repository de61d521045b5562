package mme

import (
	"encoding/hex"
	"testing"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/uenas"
)

// preSecurityDetach is the NAS of issue #8: a plain DETACH REQUEST (EPS
// detach, not switch-off, IMSI 001010000000001) before any security
// context.
const preSecurityDetach = "074571080910100000000010"

// TestDetachBeforeSecurity: TS 24.301 §5.5.2.2.2 and §4.4.4.3: a DETACH
// REQUEST received before security is activated is processed; unless it
// is a switch-off, the DETACH ACCEPT goes without protection (the old code
// sealed it with the nil context and panicked); a switch-off detach gets
// no DETACH ACCEPT. Either way the connection is released.
func TestDetachBeforeSecurity(t *testing.T) {
	plain, _ := hex.DecodeString(preSecurityDetach)
	switchOff := append([]byte(nil), plain...)
	switchOff[2] |= 0x08 // detach type: switch off (§9.9.3.7)
	for _, tc := range []struct {
		name   string
		nas    []byte
		accept bool
	}{{"normal", plain, true}, {"switch-off", switchOff, false}} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMME(t, DefaultConfig())
			id := m.Connect()
			effs := m.HandleNAS(id, tc.nas, 0)
			var accepts, releases int
			for _, e := range effs {
				switch x := e.(type) {
				case SendNAS:
					msg, err := nas.ParseDirection(x.NAS, nas.Downlink)
					if err != nil {
						t.Fatalf("downlink %x: %v", x.NAS, err)
					}
					if _, ok := msg.(*nas.DetachAccept); !ok {
						t.Fatalf("sent %T, want DETACH ACCEPT", msg)
					}
					if hdr := x.NAS[0] >> 4; hdr != 0 {
						t.Errorf("DETACH ACCEPT with security header %d, want 0 (plain)", hdr)
					}
					accepts++
				case Release:
					if x.UE != id {
						t.Errorf("release of UE %d, want %d", x.UE, id)
					}
					releases++
				default:
					t.Errorf("unexpected effect %#v", e)
				}
			}
			if want := map[bool]int{true: 1, false: 0}[tc.accept]; accepts != want || releases != 1 {
				t.Errorf("%d DETACH ACCEPT and %d releases, want %d and 1", accepts, releases, want)
			}
			if n := m.C.Discarded["no_security_context_downlink"]; n != 0 {
				t.Errorf("%d downlink messages without a context", n)
			}
		})
	}
}

// TestDetachAfterSecurity: a registered UE's protected DETACH REQUEST gets
// a protected DETACH ACCEPT (the device accepts it), and its unprotected
// one is discarded (§4.4.4.3).
func TestDetachAfterSecurity(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	l := attach(t, m, d)
	b, err := (&nas.DetachRequest{DetachType: 0x01, Identity: nas.NewIMSI(imsi1)}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if effs := m.HandleNAS(l.id, b, l.now); len(effs) != 0 || m.C.Discarded["unprotected"] != 1 {
		t.Fatalf("unprotected detach of a registered UE: effects %v, discarded %v", effs, m.C.Discarded)
	}
	if u, _ := m.UE(imsi1); u.state != registered {
		t.Fatalf("state %v after a discarded detach", u.state)
	}
	up, err := d.DetachRequest(false)
	if err != nil {
		t.Fatal(err)
	}
	var accepted bool
	for _, e := range m.HandleNAS(l.id, up, l.now) {
		if x, ok := e.(SendNAS); ok {
			if x.NAS[0]>>4 == 0 {
				t.Errorf("DETACH ACCEPT unprotected after security: %x", x.NAS)
			}
			if _, err := d.Handle(x.NAS); err != nil {
				t.Fatalf("device: %v", err)
			}
			accepted = x.Msg == nas.TypeDetachAccept.String()
		}
	}
	if _, ok := m.UE(imsi1); !accepted || ok {
		t.Errorf("protected detach: accepted %v, still indexed %v", accepted, ok)
	}
}
