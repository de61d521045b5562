package s1

import (
	"fmt"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/mme"
)

// fakeEffect implements mme.Effect (through the embedded Page) without
// being one of its types: what an effect added without a handler looks
// like to a consumer.
type fakeEffect struct{ mme.Page }

// mustPanic runs f and fails unless it panics with want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		if r := recover(); r != want {
			t.Errorf("panic %v, want %q", r, want)
		}
	}()
	f()
}

// TestEffectsHandled: MMEServer.effects has a case for every mme.Effect
// and panics, naming the type, on one it does not know.
func TestEffectsHandled(t *testing.T) {
	s, _, _ := newTestServer(t)
	for _, ef := range mme.AllEffects() {
		t.Run(fmt.Sprintf("%T", ef), func(t *testing.T) {
			s.effects([]mme.Effect{ef}, 0)
		})
	}
	mustPanic(t, "s1: unhandled MME effect s1.fakeEffect", func() { s.effects([]mme.Effect{fakeEffect{}}, 0) })
}

// TestExpiredHandled: Tick's handler takes the one effect mme.MME.Expire
// returns (Release) and panics on any other.
func TestExpiredHandled(t *testing.T) {
	s, _, _ := newTestServer(t)
	for _, ef := range mme.AllEffects() {
		if _, ok := ef.(mme.Release); ok {
			s.expired(ef, nil)
			continue
		}
		mustPanic(t, fmt.Sprintf("s1: unhandled MME effect %T", ef), func() { s.expired(ef, nil) })
	}
}

// TestRemoteCoreEffects: every mme.Effect, as nbsim core sends it to an
// eNB (MMEServer.effects), is taken by RemoteCore, the simulator's eNB side
// of an external core: the S1AP messages an effect becomes are ones
// RemoteCore handles, and those that carry an effect to the model
// (Downlink NAS Transport, UE Context Release Command) come back from it
// as the same effect.
func TestRemoteCoreEffects(t *testing.T) {
	for _, ef := range mme.AllEffects() {
		t.Run(fmt.Sprintf("%T", ef), func(t *testing.T) {
			s, h, _ := newTestServer(t)
			f := newFakeENB(t, s, 1, 1)
			f.setup(testPLMN)
			d := newDevice(t, h, 0)
			b, err := d.AttachRequest()
			if err != nil {
				t.Fatal(err)
			}
			f.initial(1, d, b, nil)
			id := mme.UEID(f.mme[1])
			// s1: the effect becomes an S1AP message; back: it comes back
			// from RemoteCore.
			s1, back := true, false
			switch x := ef.(type) {
			case mme.SendNAS:
				x.UE, x.NAS, back = id, []byte{0x07, 0x4e}, true
				ef = x
			case mme.Release:
				x.UE, x.Cause, back = id, "tau", true
				ef = x
			case mme.SetupContext:
				x.UE = id
				ef = x
			case mme.Page:
				x.IMSI = d.IMSI
				ef = x
			case mme.Deliver, mme.Dropped:
				s1 = false
			default:
				t.Fatalf("no case for %T", ef)
			}
			u := &remoteUE{id: 9, imsi: d.IMSI, connected: true, enbUE: 1}
			r := &RemoteCore{conn: &recConn{}, changed: make(chan struct{}), ues: map[mme.UEID]*remoteUE{9: u},
				byENB: map[uint32]*remoteUE{1: u}, failures: map[string]int64{}}
			outs := s.effects([]mme.Effect{ef}, 0)
			if s1 != (len(outs) > 0) {
				t.Fatalf("%d S1AP messages for %#v", len(outs), ef)
			}
			for _, o := range outs {
				r.handle(o.PDU)
			}
			delete(r.failures, "paging_ignored") // Page: handled, by ignoring it
			if len(r.failures) != 0 {
				t.Errorf("RemoteCore failures %v", r.failures)
			}
			effs, _ := r.collect(u, time.Millisecond)
			if !back {
				if len(effs) != 0 {
					t.Errorf("RemoteCore made %#v", effs)
				}
				return
			}
			if len(effs) != 1 || fmt.Sprintf("%T", effs[0]) != fmt.Sprintf("%T", ef) {
				t.Errorf("RemoteCore made %#v, want one %T", effs, ef)
			}
		})
	}
}
