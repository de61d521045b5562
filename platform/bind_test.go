package platform

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
)

// post sends one CON uplink from d and returns the platform's answer.
func (d *rawDevice) post(ep string, payload []byte) message.Message {
	d.t.Helper()
	return d.request(message.Confirmable, codes.POST, DataPath, []string{"ep=" + ep}, payload)
}

// One forged uplink naming a device's endpoint from another local socket
// used to be stored and to move the endpoint's address, so the next
// command went to the forger. Now: 4.01, nothing stored, counted, and the
// command still reaches the device.
func TestSpoofedUplinkRefused(t *testing.T) {
	h := start(t)
	dev := dial(t, h)
	dev.uplink(t, "866000000000001", []byte("real"), false)
	h.nextUplink(t)

	attacker := dialRaw(t, h)
	resp := attacker.post("866000000000001", []byte("forged"))
	if resp.Code != codes.Unauthorized {
		t.Fatalf("forged uplink answered %v, want 4.01 Unauthorized", resp.Code)
	}
	if !strings.Contains(string(resp.Payload), "bound to "+dev.addr().String()) {
		t.Errorf("diagnostic %q does not say where the endpoint is bound", resp.Payload)
	}
	if ms := h.p.Messages("866000000000001"); len(ms) != 1 || string(ms[0].Payload) != "real" {
		t.Errorf("messages after the forged uplink: %+v", ms)
	}
	if dv, _ := h.p.Device("866000000000001"); dv.LastAddr.String() != dev.addr().String() {
		t.Errorf("endpoint address moved to %v", dv.LastAddr)
	}
	if s := h.p.Stats(); s.UplinksUnauthorized != 1 {
		t.Errorf("stats %+v, want 1 unauthorized uplink", s)
	}
	var st map[string]any
	if code := h.api(t, http.MethodGet, "/api/stats", "", &st); code != http.StatusOK || st["uplinks_unauthorized"] != 1.0 {
		t.Errorf("GET /api/stats: %d %v", code, st)
	}

	id, err := h.p.Queue("866000000000001", []byte("open"))
	if err != nil {
		t.Fatal(err)
	}
	if got := dev.received(t); string(got) != "open" {
		t.Errorf("device got %q", got)
	}
	h.expect(t, id, Delivered, Queued, Sent)
	// The attacker's socket got nothing but its 4.01.
	_ = attacker.conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if n, err := attacker.conn.Read(make([]byte, 64)); err == nil {
		t.Errorf("attacker received %d bytes", n)
	}
}

// A binding lasts Config.Lifetime after the last uplink; after it, or once
// released through the API, a device that moved (NAT rebinding after PSM)
// binds its endpoint anew.
func TestBindingLifetimeAndRelease(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	var clock atomicTime
	clock.set(now)
	h := start(t, func(c *Config) {
		c.Lifetime = time.Hour
		c.Now = clock.get
	})
	first, second := dialRaw(t, h), dialRaw(t, h)
	first.uplink("ep1", []byte("a"))
	clock.set(now.Add(59 * time.Minute))
	if r := second.post("ep1", []byte("b")); r.Code != codes.Unauthorized {
		t.Fatalf("within the lifetime: %v, want 4.01", r.Code)
	}
	first.uplink("ep1", []byte("c")) // renews the binding
	clock.set(now.Add(59*time.Minute + time.Hour - time.Second))
	if r := second.post("ep1", []byte("d")); r.Code != codes.Unauthorized {
		t.Fatalf("within the renewed lifetime: %v, want 4.01", r.Code)
	}
	clock.set(now.Add(59*time.Minute + time.Hour))
	second.uplink("ep1", []byte("e")) // expired: the new source binds it
	if r := first.post("ep1", []byte("f")); r.Code != codes.Unauthorized {
		t.Fatalf("old source after rebinding: %v, want 4.01", r.Code)
	}
	var out map[string]any
	if code := h.api(t, http.MethodDelete, "/api/devices/ep1/binding", "", &out); code != http.StatusOK {
		t.Fatalf("DELETE binding: %d %v", code, out)
	}
	first.uplink("ep1", []byte("g"))
	var got []string
	for _, m := range h.p.Messages("ep1") {
		got = append(got, string(m.Payload))
	}
	if strings.Join(got, "") != "aceg" {
		t.Errorf("stored %q, want a c e g", got)
	}
	if s := h.p.Stats(); s.UplinksUnauthorized != 3 {
		t.Errorf("unauthorized %d, want 3", s.UplinksUnauthorized)
	}
	if code := h.api(t, http.MethodDelete, "/api/devices/nope/binding", "", nil); code != http.StatusNotFound {
		t.Errorf("DELETE binding of an unknown endpoint: %d, want 404", code)
	}
}

// Config.Bind (the emulator's PDN socket for a module) overrides the first
// uplink: only that source is accepted, from the first uplink on; port 0
// accepts any port of the IP.
func TestBindHook(t *testing.T) {
	var want atomic.Pointer[netip.AddrPort]
	h := start(t, func(c *Config) {
		c.Bind = func(ep string) (netip.AddrPort, bool) { return *want.Load(), ep == "module" }
	})
	legit, other := dialRaw(t, h), dialRaw(t, h)
	a := legit.conn.LocalAddr().(interface{ AddrPort() netip.AddrPort }).AddrPort()
	want.Store(&a)
	if r := other.post("module", []byte("x")); r.Code != codes.Unauthorized {
		t.Fatalf("first uplink from the wrong socket: %v, want 4.01", r.Code)
	}
	legit.uplink("module", []byte("y"))
	other.uplink("someone-else", []byte("z")) // not the hook's: default binding
	anyPort := netip.AddrPortFrom(a.Addr(), 0)
	want.Store(&anyPort)
	other.uplink("module", []byte("w"))
	if n := len(h.p.Messages("module")); n != 2 {
		t.Errorf("%d messages stored, want 2", n)
	}
}

// An endpoint name that is a PSK identity is never accepted over plain
// CoAP.
func TestPSKIdentityReserved(t *testing.T) {
	h := start(t, func(c *Config) { c.PSK = map[string][]byte{"866000000000009": []byte("secret")} })
	d := dialRaw(t, h)
	if r := d.post("866000000000009", []byte("x")); r.Code != codes.Unauthorized {
		t.Fatalf("plain uplink for a PSK identity: %v, want 4.01", r.Code)
	}
	if _, ok := h.p.Device("866000000000009"); ok {
		t.Error("refused uplink created the endpoint")
	}
}

// atomicTime is a settable clock for Config.Now.
type atomicTime struct{ v atomic.Int64 }

func (a *atomicTime) set(t time.Time) { a.v.Store(t.UnixNano()) }
func (a *atomicTime) get() time.Time  { return time.Unix(0, a.v.Load()) }

// Strangers who fill the platform (every endpoint slot, the whole store)
// do not lock out an endpoint that Config.Bind claims: an emulated module
// still gets its uplinks stored. On the old code its first uplink got 5.03
// until the strangers' endpoints expired (24 h).
func TestReservedEndpointsOutliveFlood(t *testing.T) {
	var want atomic.Pointer[netip.AddrPort]
	h := start(t, func(c *Config) {
		c.MaxEndpoints = 3
		c.MaxStored = 4
		c.Bind = func(ep string) (netip.AddrPort, bool) {
			if ep != "module" {
				return netip.AddrPort{}, false
			}
			return *want.Load(), true
		}
	})
	legit, stranger := dialRaw(t, h), dialRaw(t, h)
	a := legit.conn.LocalAddr().(interface{ AddrPort() netip.AddrPort }).AddrPort()
	want.Store(&a)
	for i := range 3 {
		stranger.uplink(fmt.Sprintf("junk-%d", i), []byte("a"))
	}
	stranger.uplink("junk-0", []byte("b"))
	if r := stranger.post("junk-9", []byte("x")); r.Code != codes.ServiceUnavailable {
		t.Fatalf("a fourth stranger endpoint: %v, want 5.03 (the limit holds for strangers)", r.Code)
	}
	legit.uplink("module", []byte("reading 1"))
	legit.uplink("module", []byte("reading 2")) // the store is full: it takes the module's own oldest
	if m := h.p.Messages("module"); len(m) == 0 || string(m[len(m)-1].Payload) != "reading 2" {
		t.Errorf("module messages %v, want the last one \"reading 2\"", m)
	}
}
