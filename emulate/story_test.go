package emulate

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/nbsim/nbsim/platform"
)

// The end-to-end story in one piece, as firmware drives a module:
// AT+CFUN=1, wait for +CEREG, open a socket, send a CoAP request to a real
// coap-server-notls and get its answer; report to the platform; enter PSM;
// a downlink queued through the platform API is not delivered while the
// module sleeps, and is delivered after its next wake-up.
func TestFirmwareStory(t *testing.T) {
	port := startCoapServer(t) // skips without libcoap3-bin
	plat, err := platform.New(platform.Config{CoAPAddr: "127.0.0.1:0", AckTimeout: 500 * time.Millisecond, MaxRetransmit: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer plat.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := plat.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ap := plat.CoAPAddr().(*net.UDPAddr).AddrPort()
	e, addrs := start(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=3s"), Modules: 1, Seed: 2,
		Platform: netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())})
	imei := e.IMEI(0)
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	a.must("AT+NPSMR=1")
	a.must("AT+NNMI=1")
	// PSM: periodic TAU 1 h (T3412 001 00001), active time 2 s (T3324 000 00001).
	a.must(`AT+CPSMS=1,,,"00100001","00000001"`)
	atAttach(a, 20*time.Second) // AT+CEREG=1, AT+CFUN=1, AT+CGATT=1, +CEREG:1

	// A socket to a real CoAP server.
	if out := a.must("AT+NSOCR=DGRAM,17,5000,1"); out[0] != "0" {
		t.Fatalf("AT+NSOCR: %q", out)
	}
	resp := coapExchange(t, a, port, coapGET(t, 0x2000, []byte{1, 2}, "/time"))
	if resp.Code != codes.Content || len(resp.Payload) == 0 {
		t.Fatalf("GET /time: %v %q", resp.Code, resp.Payload)
	}

	// A report to the platform, then sleep.
	a.must("AT+NMGS=4,74656D70") // "temp"
	waitFor(t, "the platform stores the report", func() bool { return len(plat.Messages(imei)) == 1 })
	a.wait("+NPSMR:1", 30*time.Second)
	var psm bool
	e.Do(func() { psm = e.state(0, false).PSM })
	if !psm {
		t.Fatal("+NPSMR:1 but the module is not in PSM")
	}

	// A command queued while it sleeps is held...
	if _, err := plat.Queue(imei, []byte("led=on")); err != nil {
		t.Fatal(err)
	}
	atQuiet(a, "+NNMI", 3*time.Second)
	// ...and delivered after the next wake-up (the firmware's next report).
	a.must("AT+NMGS=4,74656D70")
	l := a.wait("+NNMI:", 30*time.Second)
	if !strings.HasSuffix(l, "6,6C65643D6F6E") {
		t.Fatalf("downlink %q, want led=on", l)
	}
}
