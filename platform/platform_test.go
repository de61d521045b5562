package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/testutil"
)

func TestUplinkReachesAPI(t *testing.T) {
	h := start(t, func(c *Config) {
		c.APIAddr = "127.0.0.1:0"
		c.DeviceState = func(ep string) map[string]any { return map[string]any{"emm": "registered", "ep": ep} }
	})
	d := dial(t, h)
	d.uplink(t, "866000000000001", []byte{0x01, 0x02, 0xff}, false)
	d.uplink(t, "866000000000001", []byte("hi"), true)
	for i, wantCON := range []bool{true, false} {
		m := h.nextUplink(t)
		if m.Seq != uint64(i+1) || m.Confirmable != wantCON || m.Endpoint != "866000000000001" {
			t.Errorf("uplink %d: seq %d CON %v ep %q", i, m.Seq, m.Confirmable, m.Endpoint)
		}
		if m.Source.String() != d.cc.LocalAddr().String() {
			t.Errorf("uplink %d: source %v, want the device's socket %v", i, m.Source, d.cc.LocalAddr())
		}
	}

	// Over the real listener, as curl would.
	get := func(path string, out any) {
		t.Helper()
		resp, err := http.Get("http://" + h.p.APIAddr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, b)
		}
	}
	var msgs []struct {
		Seq        uint64    `json:"seq"`
		Time       time.Time `json:"time"`
		PayloadHex string    `json:"payload_hex"`
		Size       int       `json:"size"`
		Type       string    `json:"type"`
	}
	get("/api/devices/866000000000001/messages", &msgs)
	if len(msgs) != 2 || msgs[0].PayloadHex != "0102ff" || msgs[0].Size != 3 || msgs[0].Type != "CON" ||
		msgs[1].PayloadHex != "6869" || msgs[1].Seq != 2 || msgs[1].Type != "NON" || msgs[0].Time.IsZero() {
		t.Errorf("messages: %+v", msgs)
	}
	get("/api/devices/866000000000001/messages?since=1", &msgs)
	if len(msgs) != 1 || msgs[0].Seq != 2 {
		t.Errorf("messages?since=1: %+v", msgs)
	}
	var devs []map[string]any
	get("/api/devices", &devs)
	if len(devs) != 1 {
		t.Fatalf("devices: %v", devs)
	}
	dev := devs[0]
	state, _ := dev["state"].(map[string]any)
	if dev["ep"] != "866000000000001" || dev["uplinks"] != 2.0 || dev["downlinks_pending"] != 0.0 ||
		dev["last_addr"] != d.cc.LocalAddr().String() || dev["first_seen"] == nil || state["emm"] != "registered" {
		t.Errorf("device: %v", dev)
	}
	var health map[string]any
	get("/api/health", &health)
	if health["status"] != "ok" || health["coap_addr"] != h.p.CoAPAddr().String() {
		t.Errorf("health: %v", health)
	}
}

func TestDownlinkDelivered(t *testing.T) {
	h := start(t)
	d := dial(t, h)
	d.uplink(t, "dev1", []byte("up"), false)
	id := h.queueHTTP(t, "dev1", `{"payload_hex":"CAFE"}`)
	if got := d.received(t); !bytes.Equal(got, []byte{0xca, 0xfe}) {
		t.Fatalf("device got %x, want cafe", got)
	}
	c := h.expect(t, id, Delivered, Queued, Sent)
	if c.Response != "2.04" || c.Attempts != 1 || c.DoneAt.IsZero() {
		t.Errorf("delivered command: %+v", c)
	}
	var cmds []map[string]any
	if code := h.api(t, http.MethodGet, "/api/devices/dev1/commands", "", &cmds); code != http.StatusOK {
		t.Fatalf("GET commands: %d", code)
	}
	if len(cmds) != 1 || cmds[0]["status"] != "delivered" || cmds[0]["payload_hex"] != "cafe" || cmds[0]["id"] != float64(id) {
		t.Errorf("commands: %v", cmds)
	}
	// Text payloads go out as their bytes.
	id = h.queueHTTP(t, "dev1", `{"payload":"open valve"}`)
	if got := d.received(t); string(got) != "open valve" {
		t.Fatalf("device got %q", got)
	}
	h.expect(t, id, Delivered, Queued, Sent)
}

// A device asleep past the exchange window: the command goes back to
// queued, stays there, and is resent right after the next uplink.
func TestDownlinkTimeoutResentAfterUplink(t *testing.T) {
	h := start(t, fastConfig)
	d := dial(t, h)
	d.uplink(t, "psm", []byte("up"), false)
	d.asleep.Store(true)
	id, err := h.p.Queue("psm", []byte("cmd"))
	if err != nil {
		t.Fatal(err)
	}
	h.expect(t, id, Sent, Queued)
	c := h.expect(t, id, Queued)
	if c.Attempts != 1 || c.Error == "" {
		t.Errorf("timed-out command: %+v", c)
	}
	// Nothing is sent while the device stays silent. Absence can only be
	// checked by waiting: several exchange windows.
	select {
	case c := <-h.commands:
		t.Fatalf("command changed without an uplink: %+v", c)
	case <-time.After(3 * h.p.window):
	}
	if cs := h.p.Commands("psm"); len(cs) != 1 || cs[0].Status != Queued {
		t.Fatalf("commands: %+v", cs)
	}

	d.asleep.Store(false)
	d.uplink(t, "psm", []byte("awake"), false)
	c = h.expect(t, id, Delivered, Sent)
	if c.Attempts != 2 {
		t.Errorf("attempts %d, want 2", c.Attempts)
	}
	if got := d.received(t); string(got) != "cmd" {
		t.Errorf("device got %q", got)
	}
}

// An endpoint never seen keeps its commands queued until its first uplink;
// commands go out one at a time, in order.
func TestQueuedUntilFirstUplink(t *testing.T) {
	h := start(t)
	var ids []uint64
	for i := range 3 {
		id, err := h.p.Queue("new", []byte{byte(i)})
		if err != nil {
			t.Fatal(err)
		}
		if c := h.nextCommand(t); c.ID != id || c.Status != Queued {
			t.Fatalf("event %+v, want command %d queued", c, id)
		}
		ids = append(ids, id)
	}
	var devs []map[string]any
	h.api(t, http.MethodGet, "/api/devices", "", &devs)
	if len(devs) != 1 || devs[0]["first_seen"] != nil || devs[0]["last_addr"] != nil || devs[0]["downlinks_pending"] != 3.0 {
		t.Errorf("devices before the first uplink: %v", devs)
	}
	d := dial(t, h)
	d.uplink(t, "new", []byte("hello"), false)
	for i, id := range ids {
		if got := d.received(t); !bytes.Equal(got, []byte{byte(i)}) {
			t.Errorf("downlink %d: %x", i, got)
		}
		h.expect(t, id, Delivered, Sent)
	}
}

// A device that comes back from a new address while a CON is in flight to
// the old one gets the command at once at the new address, not after the
// exchange window (93 s here, far beyond the test's wait). The move is one
// Config.Bind allows (the gateway gave the module a new socket); without
// it the new address would be refused (TestSpoofedUplinkRefused).
func TestInFlightFollowsNewAddress(t *testing.T) {
	var bound atomic.Pointer[netip.AddrPort]
	h := start(t, func(c *Config) {
		c.Bind = func(ep string) (netip.AddrPort, bool) {
			if a := bound.Load(); ep == "roam" && a != nil {
				return *a, true
			}
			return netip.AddrPort{}, false
		}
	})
	if h.p.window < 2*wait {
		t.Fatalf("window %v too short for this test", h.p.window)
	}
	old := dial(t, h)
	a := old.addr()
	bound.Store(&a)
	old.uplink(t, "roam", []byte("a"), false)
	old.asleep.Store(true)
	id, err := h.p.Queue("roam", []byte("go"))
	if err != nil {
		t.Fatal(err)
	}
	h.expect(t, id, Sent, Queued)
	moved := dial(t, h)
	a = moved.addr()
	bound.Store(&a)
	moved.uplink(t, "roam", []byte("b"), false)
	c := h.expect(t, id, Delivered, Queued, Sent)
	if c.Attempts != 2 {
		t.Errorf("attempts %d, want 2", c.Attempts)
	}
	if got := moved.received(t); string(got) != "go" {
		t.Errorf("new socket got %q", got)
	}
}

func TestMessageStoreBounded(t *testing.T) {
	h := start(t, func(c *Config) { c.MaxMessages = 3 })
	d := dial(t, h)
	for i := range 5 {
		d.uplink(t, "b", []byte{byte(i)}, false)
	}
	ms := h.p.Messages("b")
	if len(ms) != 3 || ms[0].Seq != 3 || ms[2].Seq != 5 || ms[2].Payload[0] != 4 {
		t.Fatalf("messages: %+v", ms)
	}
	dev, ok := h.p.Device("b")
	if !ok || dev.Uplinks != 5 || dev.UplinksDropped != 2 {
		t.Errorf("device: %+v", dev)
	}
	for since, want := range map[uint64][]uint64{0: {3, 4, 5}, 1: {3, 4, 5}, 3: {4, 5}, 5: nil, 99: nil} {
		var got []uint64
		for _, m := range h.p.messagesSince("b", since) {
			got = append(got, m.Seq)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("since %d: %v, want %v", since, got, want)
		}
	}
}

func TestQueueErrors(t *testing.T) {
	h := start(t, func(c *Config) { c.MaxPending = 1 })
	for _, tc := range []struct {
		ep      string
		payload []byte
		want    error
	}{
		{"", []byte{1}, ErrBadEndpoint},
		{"a/b", []byte{1}, ErrBadEndpoint},
		{"ok", nil, ErrBadPayload},
		{"ok", make([]byte, MaxPayload+1), ErrBadPayload},
	} {
		if _, err := h.p.Queue(tc.ep, tc.payload); !errors.Is(err, tc.want) {
			t.Errorf("Queue(%q, %d bytes): %v, want %v", tc.ep, len(tc.payload), err, tc.want)
		}
	}
	if _, err := h.p.Queue("ok", make([]byte, MaxPayload)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.p.Queue("ok", []byte{1}); !errors.Is(err, ErrQueueFull) {
		t.Errorf("second command with MaxPending 1: %v, want ErrQueueFull", err)
	}
	_ = h.p.Close()
	if _, err := h.p.Queue("ok", []byte{1}); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg   Config
		field string
	}{
		{Config{}, "Config.CoAPAddr"},
		{Config{CoAPAddr: ":0", AckRandomFactor: 0.5}, "Config.AckRandomFactor"},
		{Config{CoAPAddr: ":0", MaxRetransmit: 21}, "Config.MaxRetransmit"},
		{Config{CoAPAddr: ":0", AckTimeout: time.Microsecond}, "Config.AckTimeout"},
		{Config{CoAPAddr: ":0", MaxMessages: -1}, "Config.MaxMessages"},
	} {
		_, err := New(tc.cfg)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, ErrBadConfig) {
			t.Errorf("New(%+v): %v, want a FieldError on %s", tc.cfg, err, tc.field)
		}
	}
	// RFC 7252 MAX_TRANSMIT_WAIT is 93 s; six ticks of 500 ms on top.
	if w := (Config{}).ExchangeWindow(); w != 96*time.Second {
		t.Errorf("default exchange window %v, want 96s", w)
	}
	if _, err := New(Config{CoAPAddr: "127.0.0.1:notaport"}); err == nil {
		t.Error("New with a bad CoAPAddr succeeded")
	}
}

func TestLifecycle(t *testing.T) {
	p, err := New(Config{CoAPAddr: "127.0.0.1:0", APIAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil { // never started
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Start after Close: %v", err)
	}

	p, err = New(Config{CoAPAddr: "127.0.0.1:0", APIAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Start(ctx); err == nil {
		t.Error("second Start succeeded")
	}
	cancel() // closes the platform
	testutil.WaitFor(t, wait, "cancelling Start's context closes the platform", func() bool {
		_, err := p.Queue("x", []byte{1})
		return errors.Is(err, ErrClosed)
	})
	_ = p.Close()
}

// go-coap closes a connection idle for a while (16 s); a command for a
// device whose connection is gone opens a new one to its last address. With
// a wildcard listener, the device's answer must still find the exchange.
func TestDownlinkAfterConnectionClosed(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "0.0.0.0:0"} {
		t.Run(addr, func(t *testing.T) {
			h := start(t, func(c *Config) { c.CoAPAddr = addr })
			port := h.p.CoAPAddr().(*net.UDPAddr).Port
			d := dialTo(t, fmt.Sprintf("127.0.0.1:%d", port))
			d.uplink(t, "idle", []byte("u"), false)
			h.p.mu.Lock()
			conn := h.p.devices["idle"].conn
			h.p.mu.Unlock()
			_ = conn.Close()
			if conn.Context().Err() == nil {
				t.Fatal("closed connection still open")
			}
			id, err := h.p.Queue("idle", []byte("wake"))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.received(t); string(got) != "wake" {
				t.Errorf("device got %q", got)
			}
			h.expect(t, id, Delivered, Queued, Sent)
			// And the new connection carries the next uplink's exchange too.
			d.uplink(t, "idle", []byte("u2"), false)
			id, _ = h.p.Queue("idle", []byte("again"))
			h.expect(t, id, Delivered, Queued, Sent)
		})
	}
}
