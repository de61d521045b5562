package platform

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	piondtls "github.com/pion/dtls/v3"
	"github.com/plgd-dev/go-coap/v3/dtls"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	"github.com/plgd-dev/go-coap/v3/options"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

var testPSK = map[string][]byte{
	"866000000000009": []byte("secret-9"),
	"866000000000010": []byte("secret-10"),
}

func startDTLS(t *testing.T) *harness {
	return start(t, func(c *Config) {
		c.DTLSAddr = "127.0.0.1:0"
		c.PSK = testPSK
	})
}

// dialDTLS opens a DTLS session with identity and key, serving /t/d for
// downlinks into got.
func dialDTLS(t *testing.T, h *harness, identity string, key []byte, got chan<- []byte) (*udpClient.Conn, error) {
	t.Helper()
	//lint:ignore SA1019 the same *dtls.Config that go-coap's DTLS side takes
	cfg := &piondtls.Config{
		PSK:             func([]byte) ([]byte, error) { return key, nil },
		PSKIdentityHint: []byte(identity),
		CipherSuites:    []piondtls.CipherSuiteID{piondtls.TLS_PSK_WITH_AES_128_CCM_8},
	}
	// The handshake first, bounded: go-coap's dtls.Dial leaves it to the
	// connection's reader, with no deadline, and a refused handshake would
	// then block the first request for ever.
	raddr, err := net.ResolveUDPAddr("udp", h.p.DTLSAddr())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := piondtls.Dial("udp", raddr, cfg) //lint:ignore SA1019 DialWithOptions cannot take the *dtls.Config above
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := conn.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	cc := dtls.Client(conn,
		options.WithHandlerFunc(func(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
			body, _ := r.ReadBody()
			if got != nil {
				got <- body
			}
			_ = w.SetResponse(codes.Changed, message.TextPlain, nil)
		}),
		options.WithErrors(func(error) {}),
		options.WithCloseSocket(),
	)
	t.Cleanup(func() { _ = cc.Close() })
	return cc, nil
}

func postOver(t *testing.T, cc *udpClient.Conn, ep string, payload []byte) codes.Code {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	resp, err := cc.Post(ctx, DataPath, message.AppOctets, bytes.NewReader(payload),
		message.Option{ID: message.URIQuery, Value: []byte("ep=" + ep)})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Code()
}

// Over DTLS an endpoint is bound to the PSK identity of the session: its
// uplinks are stored, its commands go back over the session, and no other
// identity or plain CoAP source may use it.
func TestDTLSPSK(t *testing.T) {
	h := startDTLS(t)
	got := make(chan []byte, 4)
	dev, err := dialDTLS(t, h, "866000000000009", testPSK["866000000000009"], got)
	if err != nil {
		t.Fatal(err)
	}
	if c := postOver(t, dev, "866000000000009", []byte("secure")); c != codes.Changed {
		t.Fatalf("uplink over DTLS: %v", c)
	}
	if m := h.nextUplink(t); string(m.Payload) != "secure" || m.Endpoint != "866000000000009" {
		t.Fatalf("stored %+v", m)
	}
	id, err := h.p.Queue("866000000000009", []byte("cmd"))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case b := <-got:
		if string(b) != "cmd" {
			t.Errorf("device got %q", b)
		}
	case <-time.After(wait):
		t.Fatal("no downlink over DTLS")
	}
	h.expect(t, id, Delivered, Queued, Sent)

	// Another identity, with its own good key, naming this endpoint.
	other, err := dialDTLS(t, h, "866000000000010", testPSK["866000000000010"], nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := postOver(t, other, "866000000000009", []byte("x")); c != codes.Unauthorized {
		t.Errorf("other identity: %v, want 4.01", c)
	}
	// An endpoint first seen over DTLS is bound to that identity too.
	if c := postOver(t, other, "free-name", []byte("y")); c != codes.Changed {
		t.Errorf("other identity, new endpoint: %v", c)
	}
	if c := postOver(t, dev, "free-name", []byte("z")); c != codes.Unauthorized {
		t.Errorf("free-name from the first identity: %v, want 4.01", c)
	}
	// Plain CoAP naming a PSK identity.
	if r := dialRaw(t, h).post("866000000000009", []byte("plain")); r.Code != codes.Unauthorized {
		t.Errorf("plain CoAP: %v, want 4.01", r.Code)
	}
	if n := len(h.p.Messages("866000000000009")); n != 1 {
		t.Errorf("%d messages stored, want 1", n)
	}
	if s := h.p.Stats(); s.UplinksUnauthorized != 3 {
		t.Errorf("unauthorized %d, want 3", s.UplinksUnauthorized)
	}

	// A wrong key or an unknown identity gets no session.
	for _, c := range []struct{ id, key string }{{"866000000000009", "wrong"}, {"nobody", "secret-9"}} {
		if _, err := dialDTLS(t, h, c.id, []byte(c.key), nil); err == nil {
			t.Errorf("identity %q key %q: handshake succeeded", c.id, c.key)
		}
	}
	if n := len(h.p.Messages("866000000000009")); n != 1 {
		t.Errorf("%d messages stored after bad handshakes, want 1", n)
	}
}

func TestDTLSConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{CoAPAddr: "127.0.0.1:0", DTLSAddr: "127.0.0.1:0"}, "Config.PSK: empty"},
		{Config{CoAPAddr: "127.0.0.1:0", PSK: map[string][]byte{"a": nil}}, "Config.PSK: identity \"a\": key of 0 bytes"},
		{Config{CoAPAddr: "127.0.0.1:0", PSK: map[string][]byte{"": {1}}}, "Config.PSK: identity \"\""},
	} {
		_, err := New(tc.cfg)
		if !errors.Is(err, ErrBadConfig) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("New: %v, want %q", err, tc.want)
		}
	}
	// A busy address is a ListenError naming the socket and the address.
	h := startDTLS(t)
	_, err := New(Config{CoAPAddr: "127.0.0.1:0", DTLSAddr: h.p.DTLSAddr(), PSK: testPSK})
	var le *ListenError
	if !errors.As(err, &le) || le.What != "CoAP over DTLS" || le.Addr != h.p.DTLSAddr() || strings.Contains(err.Error(), "Config.") {
		t.Errorf("busy DTLS address: %v", err)
	}
}

// libcoap's OpenSSL client (an independent DTLS stack) posts over coaps://
// with -u identity -k key.
func TestLibcoapDTLSClient(t *testing.T) {
	client := libcoap(t, "coap-client-openssl")
	h := startDTLS(t)
	url := "coaps://" + h.p.DTLSAddr() + "/t/d?ep=866000000000009"
	runLibcoap(t, client, "-u", "866000000000009", "-k", string(testPSK["866000000000009"]), "-m", "post", "-e", "T=21.5", url)
	m := h.nextUplink(t)
	if string(m.Payload) != "T=21.5" {
		t.Fatalf("stored %q", m.Payload)
	}
	// The other identity's session may not use this endpoint.
	_, stderr := runLibcoap(t, client, "-u", "866000000000010", "-k", string(testPSK["866000000000010"]), "-m", "post", "-e", "x", url)
	if !strings.HasPrefix(stderr, "4.01") {
		t.Errorf("other identity: stderr %q, want 4.01", stderr)
	}
	// A wrong key: no session, nothing stored.
	runLibcoapMayFail(t, client, "-u", "866000000000009", "-k", "wrong", "-m", "post", "-e", "y", url)
	if ms := h.p.Messages("866000000000009"); len(ms) != 1 {
		t.Errorf("%d messages, want 1 (%s)", len(ms), hex.EncodeToString(ms[len(ms)-1].Payload))
	}
}
