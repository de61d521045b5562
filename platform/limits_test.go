package platform

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/nbsim/nbsim/internal/testutil"
)

// Endpoints created by CoAP or HTTP used to have no limit (100,000 unknown
// endpoints: +100 MB). Past Config.MaxEndpoints: 5.03 over CoAP, 507 over
// HTTP, ErrLimit from Queue, counted; known endpoints keep working.
func TestEndpointLimit(t *testing.T) {
	h := start(t, func(c *Config) { c.MaxEndpoints = 3 })
	d := dialRaw(t, h)
	for i := range 3 {
		d.uplink(fmt.Sprintf("ep%d", i), []byte{1})
	}
	r := d.post("ep3", []byte{1})
	if r.Code != codes.ServiceUnavailable || !strings.Contains(string(r.Payload), "limit 3") {
		t.Fatalf("4th endpoint: %v %q, want 5.03 naming the limit", r.Code, r.Payload)
	}
	if _, err := h.p.Queue("ep4", []byte{1}); !errors.Is(err, ErrLimit) {
		t.Errorf("Queue for a 4th endpoint: %v, want ErrLimit", err)
	}
	var e map[string]string
	if code := h.api(t, http.MethodPost, "/api/devices/ep5/commands", `{"payload":"x"}`, &e); code != http.StatusInsufficientStorage || !strings.Contains(e["error"], "endpoints (limit 3)") {
		t.Errorf("POST for a 4th endpoint: %d %v, want 507", code, e)
	}
	d.uplink("ep0", []byte{2}) // known: still fine
	if _, err := h.p.Queue("ep1", []byte{1}); err != nil {
		t.Errorf("Queue for a known endpoint: %v", err)
	}
	if s := h.p.Stats(); s.Endpoints != 3 || s.EndpointsRefused != 3 {
		t.Errorf("stats %+v, want 3 endpoints and 3 refused", s)
	}
}

func TestCommandLimit(t *testing.T) {
	h := start(t, func(c *Config) { c.MaxCommands = 2 })
	for _, ep := range []string{"a", "b"} {
		if _, err := h.p.Queue(ep, []byte{1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.p.Queue("a", []byte{2}); !errors.Is(err, ErrLimit) {
		t.Errorf("3rd command: %v, want ErrLimit", err)
	}
	var e map[string]string
	if code := h.api(t, http.MethodPost, "/api/devices/b/commands", `{"payload":"x"}`, &e); code != http.StatusInsufficientStorage {
		t.Errorf("POST 3rd command: %d %v, want 507", code, e)
	}
	if s := h.p.Stats(); s.CommandsWaiting != 2 || s.CommandsRefused != 2 {
		t.Errorf("stats %+v", s)
	}
	// A delivered command frees its place.
	d := dial(t, h)
	d.uplink(t, "a", []byte("up"), false)
	d.received(t)
	testutil.WaitForState(t, wait, func() bool { return h.p.Stats().CommandsWaiting == 1 },
		func() string { return fmt.Sprintf("stats %+v after delivery", h.p.Stats()) })
	if _, err := h.p.Queue("a", []byte{3}); err != nil {
		t.Errorf("after a delivery: %v", err)
	}
}

// Past Config.MaxStored an endpoint makes room from its own history; a new
// endpoint with nothing stored is refused and not created.
func TestStoredLimit(t *testing.T) {
	h := start(t, func(c *Config) { c.MaxStored = 3 })
	d := dialRaw(t, h)
	for i := range 3 {
		d.uplink("a", []byte{byte(i)})
	}
	if r := d.post("b", []byte{9}); r.Code != codes.ServiceUnavailable {
		t.Fatalf("new endpoint on a full store: %v, want 5.03", r.Code)
	}
	if _, ok := h.p.Device("b"); ok {
		t.Error("refused endpoint was created")
	}
	d.uplink("a", []byte{3})
	ms := h.p.Messages("a")
	if len(ms) != 3 || ms[0].Payload[0] != 1 || ms[2].Payload[0] != 3 {
		t.Errorf("messages %+v, want payloads 1 2 3", ms)
	}
	if s := h.p.Stats(); s.Stored != 3 || s.UplinksRefused != 1 {
		t.Errorf("stats %+v", s)
	}
}

// Past Config.MaxExchanges a command waits for an exchange to end.
func TestExchangeLimit(t *testing.T) {
	h := start(t, fastConfig, func(c *Config) { c.MaxExchanges = 1 })
	sleeper, awake := dial(t, h), dial(t, h)
	sleeper.uplink(t, "sleeper", []byte("u"), false)
	awake.uplink(t, "awake", []byte("u"), false)
	sleeper.asleep.Store(true)
	id1, _ := h.p.Queue("sleeper", []byte("1"))
	h.expect(t, id1, Sent, Queued)
	id2, _ := h.p.Queue("awake", []byte("2"))
	if c := h.p.Commands("awake"); len(c) != 1 || c[0].Status != Queued {
		t.Fatalf("second command while the first is in flight: %+v", c)
	}
	if s := h.p.Stats(); s.Exchanges != 1 {
		t.Errorf("exchanges %d, want 1", s.Exchanges)
	}
	// The sleeper's exchange times out (about 100 ms); then the other goes.
	if got := awake.received(t); string(got) != "2" {
		t.Errorf("awake device got %q", got)
	}
	h.expect(t, id2, Delivered, Queued, Sent)
}

// A flood of uplinks naming new endpoints, far past the limit: the excess
// is refused up front, the endpoints that were never real expire, and the
// heap returns to within 20 % of its level before the flood.
func TestEndpointFloodMemory(t *testing.T) {
	n, limit := 20_000, 2_000
	if testing.Short() {
		n, limit = 5_000, 1_000
	}
	// The platform's clock stands still during the flood, so nothing
	// expires before the test moves it on, however slow the machine.
	var clock atomicTime
	clock.set(time.Unix(1_800_000_000, 0))
	const idle = 200 * time.Millisecond
	h := start(t, func(c *Config) {
		c.MaxEndpoints = limit
		c.Lifetime = 20 * time.Millisecond // also the sweep period
		c.Now = clock.get
		c.CoAPIdle = idle
		c.OnUplink = nil
		c.Logf = nil
	})
	d := dialRaw(t, h)
	d.uplink("warm-up", []byte{0}) // the attacker's go-coap connection exists before the baseline
	before := heapAfterGC()
	refused, peak := 0, 0
	payload := make([]byte, 512)
	for i := range n {
		switch r := d.post(fmt.Sprintf("flood-%d", i), payload); r.Code {
		case codes.Changed:
		case codes.ServiceUnavailable:
			refused++
		default:
			t.Fatalf("uplink %d: %v", i, r.Code)
		}
		if i%500 == 0 {
			peak = max(peak, h.p.Stats().Endpoints)
		}
	}
	peak = max(peak, h.p.Stats().Endpoints)
	during := heapAfterGC()
	if refused < n-limit || peak > limit {
		t.Errorf("%d of %d refused, peak %d endpoints; want at least %d refused and at most %d endpoints", refused, n, peak, n-limit, limit)
	}
	clock.set(clock.get().Add(time.Second))
	testutil.WaitForState(t, wait, func() bool { return h.p.Stats().Endpoints == 0 },
		func() string { return fmt.Sprintf("endpoints did not expire: %+v", h.p.Stats()) })
	// go-coap drops the flooding source's connection, and the answers it
	// cached for deduplication, once the source is idle.
	time.Sleep(idle + 3*h.p.cfg.tick())
	after := heapAfterGC()
	t.Logf("%d uplinks of %d bytes naming new endpoints, limit %d: heap before %d KiB, at the end of the flood %d KiB, after expiry %d KiB; %+v",
		n, len(payload), limit, before>>10, during>>10, after>>10, h.p.Stats())
	if float64(after) > 1.2*float64(before) {
		t.Errorf("heap %d KiB after the flood, %d KiB before: more than 20 %% above", after>>10, before>>10)
	}
}

func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMemoryAtDefaultLimits fills every store to its default limit with
// the largest payloads (10,000 endpoints, 100,000 uplinks kept, 10,000
// commands waiting) and reports the heap; docs/platform.md quotes it. It
// fails if the worst case grows past 256 MiB.
func TestMemoryAtDefaultLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("fills the store to its default limits (about 1 s, 130 MiB)")
	}
	before := heapAfterGC()
	p := newPlatform(Config{CoAPAddr: "unused"}.filled())
	defer p.cancel()
	payload := make([]byte, MaxPayload)
	ep := func(i int) string { return fmt.Sprintf("86600000%07d", i) }
	for i := range DefaultMaxEndpoints {
		src := peer{addr: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(1024+i))}
		for range DefaultMaxStored / DefaultMaxEndpoints {
			if code, diag := p.storeUplink(ep(i), payload, src, true); code != codes.Changed {
				t.Fatalf("uplink: %v %s", code, diag)
			}
		}
	}
	for i := range DefaultMaxCommands {
		if _, err := p.Queue(ep(i), payload); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Queue(ep(0), payload); !errors.Is(err, ErrLimit) {
		t.Errorf("command past the limits: %v", err)
	}
	if code, _ := p.storeUplink("one-more", payload, peer{addr: netip.MustParseAddrPort("127.0.0.1:9")}, true); code != codes.ServiceUnavailable {
		t.Errorf("endpoint past the limits: %v", code)
	}
	grew := heapAfterGC() - before
	t.Logf("every store at its default limit, payloads of %d bytes (%+v): heap %d MiB above the empty platform", MaxPayload, p.Stats(), grew>>20)
	if grew > 256<<20 {
		t.Errorf("heap grew %d MiB, want at most 256", grew>>20)
	}
}
