package emulate

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/udp/coder"
)

// Interop with a real CoAP server, libcoap's coap-server-notls: firmware
// opens a UDP socket, sends a CoAP request with AT+NSOST, and reads the
// answer that came back through the network with AT+NSORF.

// coapGET is a confirmable GET of path.
func coapGET(t *testing.T, mid uint16, token []byte, path string) []byte {
	t.Helper()
	opts, _, err := message.Options{}.SetPath(make([]byte, 64), path)
	if err != nil {
		t.Fatal(err)
	}
	m := message.Message{Token: token, Options: opts, Code: codes.GET, MessageID: int32(mid), Type: message.Confirmable}
	buf := make([]byte, 256)
	n, err := coder.DefaultCoder.Encode(m, buf)
	if err != nil {
		t.Fatal(err)
	}
	return buf[:n]
}

func coapDecode(t *testing.T, b []byte) message.Message {
	t.Helper()
	m := message.Message{Options: make(message.Options, 0, 16)}
	if _, err := coder.DefaultCoder.Decode(b, &m); err != nil {
		t.Fatalf("not a CoAP message (%v): %x", err, b)
	}
	return m
}

// startCoapServer runs coap-server-notls on a free port of 127.0.0.1 and
// returns the port once the server answers.
func startCoapServer(t *testing.T) int {
	t.Helper()
	bin, err := exec.LookPath("coap-server-notls")
	if err != nil {
		t.Skip("coap-server-notls is not in PATH (Debian/Ubuntu: apt-get install libcoap3-bin); no real CoAP server to interoperate with")
	}
	// A free port: bind one, note it, let it go.
	l, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	port := l.LocalAddr().(*net.UDPAddr).Port
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "-A", "127.0.0.1", "-p", strconv.Itoa(port))
	var out lockedWriter
	out.b = &strings.Builder{}
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			out.mu.Lock()
			t.Logf("coap-server-notls output:\n%s", out.b.String())
			out.mu.Unlock()
		}
	})
	// Ready when it answers a request from here.
	c, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 2048)
	deadline := time.Now().Add(5 * time.Second)
	for mid := uint16(1); time.Now().Before(deadline); mid++ {
		c.Write(coapGET(t, mid, []byte{0xEE}, "/.well-known/core"))
		c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		if n, err := c.Read(buf); err == nil && n > 0 {
			return port
		}
	}
	t.Fatalf("coap-server-notls on port %d does not answer", port)
	return 0
}

// coapExchange sends req from socket 0 of the module to the server and
// returns the answer.
func coapExchange(t *testing.T, a *atClient, port int, req []byte) message.Message {
	t.Helper()
	out := a.must(fmt.Sprintf("AT+NSOST=0,127.0.0.1,%d,%d,%X", port, len(req), req))
	if out[0] != fmt.Sprintf("0,%d", len(req)) {
		t.Fatalf("AT+NSOST answered %q", out)
	}
	l := a.wait("+NSONMI:0,", 20*time.Second)
	n, err := strconv.Atoi(l[strings.LastIndexByte(l, ',')+1:])
	if err != nil || n <= 0 {
		t.Fatalf("URC %q", l)
	}
	out = a.must(fmt.Sprintf("AT+NSORF=0,%d", n))
	// <socket>,<ip_addr>,<port>,<length>,<data>,<remaining_length>
	f := strings.Split(out[0], ",")
	if len(f) != 6 || f[0] != "0" || f[1] != "127.0.0.1" || f[2] != strconv.Itoa(port) || f[3] != strconv.Itoa(n) || f[5] != "0" {
		t.Fatalf("AT+NSORF: %q: want the %d bytes from 127.0.0.1:%d", out, n, port)
	}
	b, err := hex.DecodeString(f[4])
	if err != nil || len(b) != n {
		t.Fatalf("AT+NSORF data %q: %v", f[4], err)
	}
	return coapDecode(t, b)
}

// The issue's "open a socket, send to a real coap-server-notls and get its
// answer": resource discovery, then GET /time.
func TestCoapLibcoapServer(t *testing.T) {
	port := startCoapServer(t)
	_, addrs := start(t, Config{Modules: 1, Seed: 1})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	atAttach(a, 15*time.Second)
	if out := a.must("AT+NSOCR=DGRAM,17,5000,1"); out[0] != "0" {
		t.Fatalf("AT+NSOCR: %q", out)
	}

	for i, c := range []struct {
		path string
		want *regexp.Regexp // the payload
	}{
		{"/.well-known/core", regexp.MustCompile(`(^|,)</time>;`)},
		// strftime "%b %d %H:%M:%S"
		{"/time", regexp.MustCompile(`^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$`)},
	} {
		mid, token := uint16(0x4000+i), []byte{0xA1, 0xB2, byte(i)}
		resp := coapExchange(t, a, port, coapGET(t, mid, token, c.path))
		if resp.Type != message.Acknowledgement || resp.MessageID != int32(mid) || !bytes.Equal(resp.Token, token) {
			t.Errorf("GET %s: answer %v: want the piggybacked ACK of message %d, token %x", c.path, resp.String(), mid, token)
		}
		if resp.Code != codes.Content {
			t.Errorf("GET %s: %v, want 2.05 Content", c.path, resp.Code)
		}
		if !c.want.Match(resp.Payload) {
			t.Errorf("GET %s: payload %q, want one matching %s", c.path, resp.Payload, c.want)
		}
		t.Logf("GET %s: %v %q", c.path, resp.Code, resp.Payload)
	}
}
