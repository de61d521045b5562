package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/udp"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// wait bounds every wait for an event; tests that pass do not wait this
// long.
const wait = 10 * time.Second

// harness is a started platform whose hooks feed channels.
type harness struct {
	p        *Platform
	uplinks  chan Message
	commands chan Command
}

// fastConfig gives exchange windows of about 100 ms.
func fastConfig(c *Config) {
	c.AckTimeout = 20 * time.Millisecond
	c.MaxRetransmit = 1
}

func start(t *testing.T, mutate ...func(*Config)) *harness {
	t.Helper()
	h := &harness{uplinks: make(chan Message, 256), commands: make(chan Command, 256)}
	cfg := Config{
		CoAPAddr:  "127.0.0.1:0",
		Rand:      rand.NewPCG(1, 2),
		OnUplink:  func(m Message) { h.uplinks <- m },
		OnCommand: func(c Command) { h.commands <- c },
		Logf:      t.Logf,
	}
	for _, f := range mutate {
		f(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	h.p = p
	return h
}

// nextCommand returns the next command event, failing after wait.
func (h *harness) nextCommand(t *testing.T) Command {
	t.Helper()
	select {
	case c := <-h.commands:
		return c
	case <-time.After(wait):
		t.Fatal("no command event")
		return Command{}
	}
}

// expect reads command events until command id reaches status, failing on
// a status that is not in via or after wait.
func (h *harness) expect(t *testing.T, id uint64, status CommandStatus, via ...CommandStatus) Command {
	t.Helper()
	for {
		c := h.nextCommand(t)
		if c.ID != id {
			continue
		}
		if c.Status == status {
			return c
		}
		ok := false
		for _, s := range via {
			ok = ok || s == c.Status
		}
		if !ok {
			t.Fatalf("command %d: got status %v (error %q), want %v", id, c.Status, c.Error, status)
		}
	}
}

func (h *harness) nextUplink(t *testing.T) Message {
	t.Helper()
	select {
	case m := <-h.uplinks:
		return m
	case <-time.After(wait):
		t.Fatal("no uplink event")
		return Message{}
	}
}

// api performs one request on the platform's HTTP handler and decodes the
// JSON answer into out (if not nil).
func (h *harness) api(t *testing.T, method, target, body string, out any) int {
	t.Helper()
	rec := httptest.NewRecorder()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	} else {
		rd = strings.NewReader("")
	}
	h.p.Handler().ServeHTTP(rec, httptest.NewRequest(method, target, rd))
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", method, target, ct)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, target, err, rec.Body)
		}
	}
	return rec.Code
}

// testDevice is a go-coap client acting as a module behind the gateway: it
// posts uplinks and serves /t/d for downlink on the same UDP socket.
type testDevice struct {
	cc     *udpClient.Conn
	got    chan []byte
	asleep atomic.Bool // drop every request from the platform
}

func dial(t *testing.T, h *harness) *testDevice {
	t.Helper()
	return dialTo(t, h.p.CoAPAddr().String())
}

func dialTo(t *testing.T, addr string) *testDevice {
	t.Helper()
	d := &testDevice{got: make(chan []byte, 64)}
	cc, err := udp.Dial(addr,
		options.WithHandlerFunc(func(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
			path, _ := r.Path()
			if r.Code() != codes.POST || path != DataPath {
				_ = w.SetResponse(codes.NotFound, message.TextPlain, nil)
				return
			}
			body, _ := r.ReadBody()
			d.got <- body
			_ = w.SetResponse(codes.Changed, message.TextPlain, nil)
		}),
		options.WithRequestMonitor(func(_ *udpClient.Conn, r *pool.Message) (bool, error) {
			return d.asleep.Load() && isRequest(r.Code()), nil
		}),
		options.WithErrors(func(error) {}),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	d.cc = cc
	return d
}

// uplink posts payload as ep (CON unless non) and checks the 2.04.
func (d *testDevice) uplink(t *testing.T, ep string, payload []byte, non bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	req, err := d.cc.NewPostRequest(ctx, DataPath, message.AppOctets, bytes.NewReader(payload),
		message.Option{ID: message.URIQuery, Value: []byte("ep=" + ep)})
	if err != nil {
		t.Fatal(err)
	}
	defer d.cc.ReleaseMessage(req)
	if non {
		req.SetType(message.NonConfirmable)
	}
	resp, err := d.cc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer d.cc.ReleaseMessage(resp)
	if resp.Code() != codes.Changed {
		t.Fatalf("uplink answered %v, want 2.04 Changed", resp.Code())
	}
}

// addr is the device's UDP source address.
func (d *testDevice) addr() netip.AddrPort {
	return d.cc.LocalAddr().(*net.UDPAddr).AddrPort()
}

func (d *testDevice) received(t *testing.T) []byte {
	t.Helper()
	select {
	case b := <-d.got:
		return b
	case <-time.After(wait):
		t.Fatal("device received no downlink")
		return nil
	}
}

// queueHTTP queues a command through the HTTP API and returns its ID.
func (h *harness) queueHTTP(t *testing.T, ep, body string) uint64 {
	t.Helper()
	var c struct {
		ID     uint64 `json:"id"`
		Status string `json:"status"`
	}
	if code := h.api(t, http.MethodPost, "/api/devices/"+ep+"/commands", body, &c); code != http.StatusAccepted {
		t.Fatalf("POST commands: %d, want 202", code)
	}
	if c.ID == 0 || c.Status == "" {
		t.Fatalf("POST commands answered %+v, want an id and a status", c)
	}
	return c.ID
}
