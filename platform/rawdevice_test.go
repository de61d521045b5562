package platform

import (
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/udp/coder"
)

// rawDevice speaks CoAP datagram by datagram (go-coap's codec, no stack),
// so a test can answer a downlink any way a module might, or not at all.
type rawDevice struct {
	t    *testing.T
	conn *net.UDPConn
	mid  int32
}

func dialRaw(t *testing.T, h *harness) *rawDevice {
	t.Helper()
	conn, err := net.DialUDP("udp", nil, h.p.CoAPAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &rawDevice{t: t, conn: conn, mid: 100}
}

func (d *rawDevice) send(m message.Message) {
	d.t.Helper()
	buf := make([]byte, 2048)
	n, err := coder.DefaultCoder.Encode(m, buf)
	if err != nil {
		d.t.Fatal(err)
	}
	if _, err := d.conn.Write(buf[:n]); err != nil {
		d.t.Fatal(err)
	}
}

func (d *rawDevice) recv() message.Message {
	d.t.Helper()
	buf := make([]byte, 2048)
	_ = d.conn.SetReadDeadline(time.Now().Add(wait))
	n, err := d.conn.Read(buf)
	if err != nil {
		d.t.Fatal(err)
	}
	m := message.Message{Options: make(message.Options, 0, 16)}
	if _, err := coder.DefaultCoder.Decode(buf[:n], &m); err != nil {
		d.t.Fatal(err)
	}
	return m
}

// request sends a request with the given path and URI queries and returns
// the platform's answer.
func (d *rawDevice) request(typ message.Type, code codes.Code, path string, queries []string, payload []byte) message.Message {
	d.t.Helper()
	var opts message.Options
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		opts = append(opts, message.Option{ID: message.URIPath, Value: []byte(seg)})
	}
	if payload != nil {
		opts = append(opts, message.Option{ID: message.ContentFormat, Value: []byte{byte(message.AppOctets)}})
	}
	for _, q := range queries {
		opts = append(opts, message.Option{ID: message.URIQuery, Value: []byte(q)})
	}
	d.mid++
	req := message.Message{Type: typ, Code: code, MessageID: d.mid, Token: message.Token{0xab, byte(d.mid)}, Options: opts, Payload: payload}
	d.send(req)
	resp := d.recv()
	if typ == message.Confirmable && (resp.Type != message.Acknowledgement || resp.MessageID != d.mid) {
		d.t.Fatalf("answer to CON %d: %v", d.mid, resp.String())
	}
	if string(resp.Token) != string(req.Token) {
		d.t.Fatalf("answer token %x, want %x", resp.Token, req.Token)
	}
	return resp
}

func (d *rawDevice) uplink(ep string, payload []byte) {
	d.t.Helper()
	if resp := d.request(message.Confirmable, codes.POST, DataPath, []string{"ep=" + ep}, payload); resp.Code != codes.Changed {
		d.t.Fatalf("uplink answered %v", resp.Code)
	}
}

// The platform refuses malformed uplinks with the CoAP code a module would
// see, and stores nothing.
func TestUplinkErrors(t *testing.T) {
	h := start(t)
	d := dialRaw(t, h)
	for _, tc := range []struct {
		name    string
		code    codes.Code
		path    string
		queries []string
		payload []byte
		want    codes.Code
	}{
		{"wrong path", codes.POST, "/t/x", []string{"ep=1"}, []byte{1}, codes.NotFound},
		{"GET", codes.GET, DataPath, []string{"ep=1"}, nil, codes.MethodNotAllowed},
		{"no ep", codes.POST, DataPath, []string{"x=1"}, []byte{1}, codes.BadRequest},
		{"empty ep", codes.POST, DataPath, []string{"ep="}, []byte{1}, codes.BadRequest},
		{"ep twice", codes.POST, DataPath, []string{"ep=1", "ep=2"}, []byte{1}, codes.BadRequest},
		{"bad ep", codes.POST, DataPath, []string{"ep=a b"}, []byte{1}, codes.BadRequest},
		{"too large", codes.POST, DataPath, []string{"ep=1"}, make([]byte, MaxPayload+1), codes.RequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d.t = t
			resp := d.request(message.Confirmable, tc.code, tc.path, tc.queries, tc.payload)
			if resp.Code != tc.want {
				t.Errorf("answered %v (%q), want %v", resp.Code, resp.Payload, tc.want)
			}
			if tc.want != codes.NotFound && len(resp.Payload) == 0 {
				t.Errorf("no diagnostic payload with %v", resp.Code)
			}
		})
	}
	d.t = t
	if devs := h.p.Devices(); len(devs) != 0 {
		t.Errorf("devices after refused uplinks: %+v", devs)
	}
	// The largest payload and an empty one are accepted; NON is answered NON.
	d.uplink("1", make([]byte, MaxPayload))
	d.uplink("1", nil)
	if resp := d.request(message.NonConfirmable, codes.POST, DataPath, []string{"x=y", "ep=1"}, []byte("n")); resp.Type != message.NonConfirmable || resp.Code != codes.Changed {
		t.Errorf("NON uplink answered %v", resp.String())
	}
	if ms := h.p.Messages("1"); len(ms) != 3 || len(ms[0].Payload) != MaxPayload || len(ms[1].Payload) != 0 || ms[2].Confirmable {
		t.Errorf("stored %d messages", len(ms))
	}
}

// How the module answers a downlink CON decides the command's fate.
func TestDownlinkAnswers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		answer   func(req message.Message) []message.Message
		status   CommandStatus
		response string
	}{
		{"piggybacked 2.04", func(req message.Message) []message.Message {
			return []message.Message{{Type: message.Acknowledgement, Code: codes.Changed, MessageID: req.MessageID, Token: req.Token}}
		}, Delivered, "2.04"},
		{"empty ACK, separate response", func(req message.Message) []message.Message {
			return []message.Message{
				{Type: message.Acknowledgement, Code: codes.Empty, MessageID: req.MessageID},
				{Type: message.Confirmable, Code: codes.Changed, MessageID: 7, Token: req.Token},
			}
		}, Delivered, "ACK"},
		{"empty ACK only", func(req message.Message) []message.Message {
			return []message.Message{{Type: message.Acknowledgement, Code: codes.Empty, MessageID: req.MessageID}}
		}, Delivered, "ACK"},
		{"RST", func(req message.Message) []message.Message {
			return []message.Message{{Type: message.Reset, Code: codes.Empty, MessageID: req.MessageID}}
		}, Failed, "RST"},
		{"piggybacked 4.04", func(req message.Message) []message.Message {
			return []message.Message{{Type: message.Acknowledgement, Code: codes.NotFound, MessageID: req.MessageID, Token: req.Token}}
		}, Failed, "4.04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t)
			d := dialRaw(t, h)
			d.uplink("raw", []byte("u"))
			id, err := h.p.Queue("raw", []byte{0x42})
			if err != nil {
				t.Fatal(err)
			}
			req := d.recv()
			path, _ := req.Options.Path()
			cf, _ := req.Options.ContentFormat()
			if req.Type != message.Confirmable || req.Code != codes.POST || path != DataPath ||
				cf != message.AppOctets || string(req.Payload) != "\x42" || len(req.Token) == 0 {
				t.Fatalf("downlink: %v payload %x", req.String(), req.Payload)
			}
			answers := tc.answer(req)
			for _, a := range answers {
				d.send(a)
			}
			c := h.expect(t, id, tc.status, Queued, Sent)
			if c.Response != tc.response || c.Attempts != 1 || (tc.status == Failed) != (c.Error != "") {
				t.Errorf("command: %+v", c)
			}
			if last := answers[len(answers)-1]; last.Type == message.Confirmable {
				// The platform ACKs the late separate response.
				if ack := d.recv(); ack.Type != message.Acknowledgement || ack.MessageID != last.MessageID {
					t.Errorf("answer to the separate response: %v", ack.String())
				}
			}
		})
	}
}

// Message IDs and tokens come from Config.Rand: the same seed gives the
// same downlink, another seed another one.
func TestDownlinkIDsFromConfigRand(t *testing.T) {
	first := func(seed uint64) (int32, string) {
		h := start(t, func(c *Config) { c.Rand = rand.NewPCG(seed, 0) })
		d := dialRaw(t, h)
		d.uplink("r", []byte("u"))
		if _, err := h.p.Queue("r", []byte{1}); err != nil {
			t.Fatal(err)
		}
		req := d.recv()
		d.send(message.Message{Type: message.Acknowledgement, Code: codes.Empty, MessageID: req.MessageID})
		return req.MessageID, fmt.Sprintf("%x", req.Token)
	}
	mid1, tok1 := first(7)
	mid2, tok2 := first(7)
	mid3, tok3 := first(8)
	if mid1 != mid2 || tok1 != tok2 {
		t.Errorf("same seed: MID %d/%d token %s/%s", mid1, mid2, tok1, tok2)
	}
	if mid1 == mid3 || tok1 == tok3 {
		t.Errorf("seeds 7 and 8 agree: MID %d/%d token %s/%s", mid1, mid3, tok1, tok3)
	}
}

// A module that never answers sees the CON retransmitted MaxRetransmit
// times with the same MID, then the platform gives up until the next
// uplink.
func TestDownlinkRetransmissions(t *testing.T) {
	h := start(t, fastConfig)
	d := dialRaw(t, h)
	d.uplink("quiet", []byte("u"))
	id, err := h.p.Queue("quiet", []byte{9})
	if err != nil {
		t.Fatal(err)
	}
	first := d.recv()
	if again := d.recv(); again.MessageID != first.MessageID || string(again.Token) != string(first.Token) {
		t.Errorf("retransmission %v differs from %v", again.String(), first.String())
	}
	h.expect(t, id, Sent, Queued)
	h.expect(t, id, Queued) // the exchange timed out
	d.uplink("quiet", []byte("u2"))
	resent := d.recv()
	if resent.MessageID == first.MessageID || string(resent.Payload) != "\x09" {
		t.Errorf("resend after uplink: %v, first was %v", resent.String(), first.String())
	}
	d.send(message.Message{Type: message.Acknowledgement, Code: codes.Changed, MessageID: resent.MessageID, Token: resent.Token})
	if c := h.expect(t, id, Delivered, Sent); c.Attempts != 2 {
		t.Errorf("attempts %d, want 2", c.Attempts)
	}
}

// A module retransmits a CON whose ACK was lost: the platform answers the
// duplicate again but stores the message once.
func TestDuplicateUplinkStoredOnce(t *testing.T) {
	h := start(t)
	d := dialRaw(t, h)
	opts := message.Options{
		{ID: message.URIPath, Value: []byte("t")},
		{ID: message.URIPath, Value: []byte("d")},
		{ID: message.URIQuery, Value: []byte("ep=dup")},
	}
	req := message.Message{Type: message.Confirmable, Code: codes.POST, MessageID: 4242, Token: message.Token{1, 2}, Options: opts, Payload: []byte("once")}
	d.send(req)
	if resp := d.recv(); resp.Type != message.Acknowledgement || resp.MessageID != 4242 || resp.Code != codes.Changed {
		t.Fatalf("answer: %v", resp.String())
	}
	// go-coap drops a duplicate that arrives while the original is still
	// being processed (its ACK may be out already), so retransmit as a
	// module would, until answered.
	buf := make([]byte, 2048)
	n, _ := coder.DefaultCoder.Encode(req, buf)
	deadline := time.Now().Add(wait)
	for {
		if _, err := d.conn.Write(buf[:n]); err != nil {
			t.Fatal(err)
		}
		_ = d.conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		rb := make([]byte, 2048)
		if m, err := d.conn.Read(rb); err == nil {
			resp := message.Message{Options: make(message.Options, 0, 16)}
			if _, err := coder.DefaultCoder.Decode(rb[:m], &resp); err != nil || resp.MessageID != 4242 || resp.Code != codes.Changed {
				t.Fatalf("answer to the duplicate: %v %v", resp.String(), err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("duplicate never answered")
		}
	}
	// A third, distinct uplink orders the events: when it is stored the
	// duplicate would have been too.
	d.uplink("dup", []byte("next"))
	if ms := h.p.Messages("dup"); len(ms) != 2 || string(ms[0].Payload) != "once" || string(ms[1].Payload) != "next" {
		t.Errorf("stored %+v", ms)
	}
}
