package mme

import (
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/uenas"
)

// An injected reject with a back-off timer carries the T3346 value IE
// (nearest GPRS timer 2 value); RejectAttaches alone carries none.
func TestRejectAttachesBackOff(t *testing.T) {
	for _, c := range []struct {
		t3346 time.Duration
		want  time.Duration // 0: no IE
	}{{70 * time.Second, 62 * time.Second}, {10 * time.Minute, 10 * time.Minute}, {0, 0}} {
		m := newMME(t, DefaultConfig())
		if got := m.RejectAttachesBackOff(22, c.t3346); got != c.want {
			t.Errorf("RejectAttachesBackOff(%v) = %v, want %v", c.t3346, got, c.want)
		}
		d, err := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
		if err != nil {
			t.Fatal(err)
		}
		l := &link{t: t, m: m, d: d, id: m.Connect()}
		req, _ := d.AttachRequest()
		var rej *nas.AttachReject
		queue := [][]byte{req}
		for len(queue) > 0 {
			msg := queue[0]
			queue = queue[1:]
			for _, e := range m.HandleNAS(l.id, msg, 0) {
				s, ok := e.(SendNAS)
				if !ok {
					continue
				}
				if p, err := nas.ParseDirection(s.NAS, nas.Downlink); err == nil {
					if r, ok := p.(*nas.AttachReject); ok {
						rej = r
					}
				}
				if reply, _ := d.Handle(s.NAS); reply != nil {
					queue = append(queue, reply)
				}
			}
		}
		if rej == nil || rej.Cause != 22 {
			t.Fatalf("t3346 %v: reject %+v", c.t3346, rej)
		}
		var got time.Duration
		if rej.T3346 != nil {
			got, _ = rej.T3346.Duration()
		}
		if got != c.want {
			t.Errorf("t3346 %v: the IE says %v, want %v", c.t3346, got, c.want)
		}
	}
}

// After a restart the MME has no UE context: a registered device's TAU
// is rejected with #9; configuration and injected faults stay.
func TestRestarted(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, err := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	if err != nil {
		t.Fatal(err)
	}
	l := attach(t, m, d)
	if !d.Registered {
		t.Fatal("not registered")
	}
	m.RejectAttachesBackOff(22, time.Minute)
	r := m.Restarted()
	if r.Contexts() != 0 || r.rejectAttach != 22 || r.rejectT3346 == nil || r.next != m.next {
		t.Fatalf("restarted: %d contexts, reject %d, next %d (was %d)", r.Contexts(), r.rejectAttach, r.next, m.next)
	}
	tau, err := d.TAURequest()
	if err != nil {
		t.Fatal(err)
	}
	id := r.Connect() // the eNodeB's Initial UE Message: a new S1 connection
	if id <= l.id {
		t.Fatalf("new ID %d not after the old %d", id, l.id)
	}
	var rej bool
	for _, e := range r.HandleNAS(id, tau, 0) {
		if s, ok := e.(SendNAS); ok {
			if p, err := nas.ParseDirection(s.NAS, nas.Downlink); err == nil {
				if x, ok := p.(*nas.TrackingAreaUpdateReject); ok && x.Cause == 9 {
					rej = true
				}
			}
		}
	}
	if !rej {
		t.Error("no TAU REJECT #9 after the restart")
	}
}
