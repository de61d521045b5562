package mme

import (
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/uenas"
)

// guardLink drives one device's attach by hand against an MME with the
// procedure timers on, ticking Expire every second of MME time.
type guardLink struct {
	t      *testing.T
	m      *MME
	d      *uenas.Device
	id     UEID
	now    time.Duration
	last   []byte // the MME's last NAS message to the device
	maxDue int
	gone   time.Duration // when Expire freed the context (0: not yet)
}

func newGuardLink(t *testing.T) *guardLink {
	cfg := DefaultConfig()
	cfg.ProcedureTimers = true
	m := newMME(t, cfg)
	d, err := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	if err != nil {
		t.Fatal(err)
	}
	return &guardLink{t: t, m: m, d: d, id: m.Connect()}
}

// send hands b to the MME and keeps its NAS answer to the device.
func (g *guardLink) send(b []byte) {
	g.t.Helper()
	for _, e := range g.m.HandleNAS(g.id, b, g.now) {
		if s, ok := e.(SendNAS); ok {
			g.last = s.NAS
		}
	}
	g.maxDue = max(g.maxDue, len(g.m.due))
}

// answer gives the device the MME's last message and sends its reply.
func (g *guardLink) answer() {
	g.t.Helper()
	reply, err := g.d.Handle(g.last)
	if err != nil || reply == nil {
		g.t.Fatalf("device: %v (reply %x)", err, reply)
	}
	g.send(reply)
}

// wait lets d pass, ticking Expire every second.
func (g *guardLink) wait(d time.Duration) {
	for end := g.now + d; g.now < end; {
		g.now += time.Second
		g.m.Expire(g.now)
		g.maxDue = max(g.maxDue, len(g.m.due))
		if g.gone == 0 && !g.alive() {
			g.gone = g.now
		}
	}
}

func (g *guardLink) alive() bool { _, ok := g.m.ues.get(g.id); return ok }

// TestGuardNotExtendedByDiscards: an attach left unanswered at
// AUTHENTICATION REQUEST (T3460) or at ATTACH ACCEPT (T3450), whose UE then
// sends a message the MME discards (malformed; unprotected after security
// mode) every 25 s for 10 minutes: the context is freed ProcedureGuard
// after the last progress of its procedure, whatever the discards, and the
// deadline queue holds at most one entry for it, even under a burst of
// 1000 discards. An attach that progresses every 25 s (slower than the
// guard in total) still completes. On the old code, which re-armed the
// guard on every NAS message, the context lived the whole 10 minutes.
func TestGuardNotExtendedByDiscards(t *testing.T) {
	for _, tc := range []struct {
		name, cause, discard string
		answers              int    // the device answers this many MME messages
		garbage              []byte // what it sends then
	}{
		// An ATTACH REQUEST cut short: malformed.
		{"t3460 malformed", "t3460", "malformed", 0, []byte{0x07, 0x41}},
		// A plain DETACH REQUEST after security mode: unprotected.
		{"t3450 unprotected", "t3450", "unprotected", 2, []byte{0x07, 0x45, 0x09, 0x0b, 0xf6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGuardLink(t)
			req, err := g.d.AttachRequest()
			if err != nil {
				t.Fatal(err)
			}
			g.send(req)
			for range tc.answers {
				g.wait(25 * time.Second)
				g.answer()
			}
			progress := g.now
			for range 1000 { // a burst at the last progress
				g.send(tc.garbage)
			}
			for g.now < progress+10*time.Minute {
				g.wait(25 * time.Second)
				g.send(tc.garbage)
			}
			if g.alive() {
				t.Fatalf("context alive %v after the last progress of its attach (guard %v), expired %v",
					g.now-progress, ProcedureGuard, g.m.C.Expired)
			}
			if g.gone > progress+ProcedureGuard {
				t.Errorf("context freed %v after the last progress, want within %v", g.gone-progress, ProcedureGuard)
			}
			if g.m.C.Expired[tc.cause] != 1 {
				t.Errorf("expired %v, want one %s", g.m.C.Expired, tc.cause)
			}
			if g.m.C.Discarded[tc.discard] < 1000 {
				t.Errorf("discarded %v, want the garbage as %s", g.m.C.Discarded, tc.discard)
			}
			if g.maxDue > 1 {
				t.Errorf("deadline queue held up to %d entries for one UE", g.maxDue)
			}
		})
	}

	t.Run("slow attach", func(t *testing.T) {
		g := newGuardLink(t)
		req, err := g.d.AttachRequest()
		if err != nil {
			t.Fatal(err)
		}
		g.send(req)
		for range 3 { // AUTHENTICATION RESPONSE, SECURITY MODE COMPLETE, ATTACH COMPLETE
			g.wait(25 * time.Second)
			g.send([]byte{0x07, 0x41}) // a discard in between changes nothing
			g.answer()
		}
		g.wait(10 * time.Minute)
		if !g.alive() || !g.d.Registered || g.m.C.Attaches != 1 || len(g.m.C.Expired) != 0 {
			t.Fatalf("alive %v, registered %v, attaches %d, expired %v", g.alive(), g.d.Registered, g.m.C.Attaches, g.m.C.Expired)
		}
		if len(g.m.due) != 0 || g.maxDue > 1 {
			t.Errorf("deadline queue %d entries, up to %d", len(g.m.due), g.maxDue)
		}
	})
}
