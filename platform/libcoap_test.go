package platform

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/udp"
)

// libcoap (Debian libcoap3-bin) is the independent CoAP stack: its client
// posts uplinks, and its server, bound to the client's port, plays a device
// that answers a downlink.
func libcoap(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed (apt-get install libcoap3-bin): no interop check against libcoap", name)
	}
	return path
}

func runLibcoap(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstderr: %s", bin, strings.Join(args, " "), err, errb.String())
	}
	return out.String(), errb.String()
}

// freePort returns a UDP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	return strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)
}

func TestLibcoapClientUplink(t *testing.T) {
	client := libcoap(t, "coap-client-notls")
	h := start(t)
	base := "coap://" + h.p.CoAPAddr().String()
	// Every run from the same port, as one device: the endpoint is bound to
	// the source of its first uplink.
	port := freePort(t)

	runLibcoap(t, client, "-p", port, "-m", "post", "-e", "hello", base+"/t/d?ep=123")
	m := h.nextUplink(t)
	if m.Endpoint != "123" || string(m.Payload) != "hello" || !m.Confirmable {
		t.Errorf("CON uplink stored as %+v", m)
	}
	runLibcoap(t, client, "-p", port, "-m", "post", "-N", "-t", "application/octet-stream", "-e", "bye", base+"/t/d?ep=123")
	m = h.nextUplink(t)
	if string(m.Payload) != "bye" || m.Confirmable || m.Seq != 2 {
		t.Errorf("NON uplink stored as %+v", m)
	}
	// libcoap prints an error response on stderr and still exits 0.
	for _, tc := range []struct{ method, url, want string }{
		{"post", base + "/t/x?ep=123", "4.04"},
		{"post", base + "/t/d", "4.00"},
		{"get", base + "/t/d?ep=123", "4.05"},
		{"post", base + "/t/d?ep=123", "4.01"}, // another port: the binding refuses it
	} {
		_, stderr := runLibcoap(t, client, "-m", tc.method, "-e", "x", tc.url)
		if !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%s %s: stderr %q, want %s", tc.method, tc.url, stderr, tc.want)
		}
	}
	if ms := h.p.Messages("123"); len(ms) != 2 {
		t.Errorf("%d messages stored, want 2", len(ms))
	}
}

func TestLibcoapServerDownlink(t *testing.T) {
	client := libcoap(t, "coap-client-notls")
	server := libcoap(t, "coap-server-notls")
	h := start(t)

	// A free UDP port for the "device": the client's uplink comes from it,
	// then the server listens on it.
	port := freePort(t)
	runLibcoap(t, client, "-p", port, "-m", "post", "-e", "up", "coap://"+h.p.CoAPAddr().String()+"/t/d?ep=lib")
	if m := h.nextUplink(t); m.Source.String() != "127.0.0.1:"+port {
		t.Fatalf("uplink from %v, want port %s", m.Source, port)
	}

	// -d lets the server create /t/d on our POST and answer 2.01 Created.
	ctx, cancel := context.WithCancel(context.Background())
	srv := exec.CommandContext(ctx, server, "-A", "127.0.0.1", "-p", port, "-d", "4")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = srv.Wait() })
	waitCoAP(t, "127.0.0.1:"+port)

	id, err := h.p.Queue("lib", []byte("open valve"))
	if err != nil {
		t.Fatal(err)
	}
	c := h.expect(t, id, Delivered, Queued, Sent)
	if c.Response != "2.01" {
		t.Errorf("libcoap answered %q, want 2.01", c.Response)
	}
}

// waitCoAP returns once a CoAP server answers a ping at addr.
func waitCoAP(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		cc, err := udp.Dial(addr, options.WithErrors(func(error) {}))
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			err = cc.Ping(ctx)
			cancel()
			_ = cc.Close()
			if err == nil {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no CoAP server at %s: %v", addr, err)
		}
	}
}

// runLibcoapMayFail runs a libcoap tool that is expected to fail (bounded
// in time by its own -B and by wait).
func runLibcoapMayFail(t *testing.T, bin string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	_ = exec.CommandContext(ctx, bin, append([]string{"-B", "2"}, args...)...).Run()
}
