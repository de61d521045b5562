package emulate

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/apiauth"
	"github.com/nbsim/nbsim/internal/testutil"
	"github.com/nbsim/nbsim/platform"
)

// TestSoak is nbsim emulate as the command assembles it (the built-in
// platform with the token guard on its HTTP API and endpoints bound to the
// modules' gateway sockets, TCP AT ports) under hostile load for
// $NBSIM_SOAK (default 10m): AT garbage (random bytes, connections that
// come and go, clients to be refused), slow and unauthenticated HTTP
// clients, CoAP floods (garbage datagrams and uplinks forged as the
// module) from other sockets. Meanwhile module 0 does a UDP round trip to
// an echo server every 10 s (AT+NSOST, +NSONMI, AT+NSORF) and the control
// API answers: not one may be lost. The live heap after the flood is
// within 20 % of its level before it.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak test runs for minutes (make test-long; NBSIM_SOAK sets the duration)")
	}
	dur := 10 * time.Minute
	if s := os.Getenv("NBSIM_SOAK"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			t.Fatalf("NBSIM_SOAK=%q: want a duration such as 90s or 10m", s)
		}
		dur = d
	}
	_, echo := testutil.UDPEcho(t)

	// The platform and the emulator, wired as cmd/nbsim/emulate.go does.
	g, err := apiauth.New(testToken)
	if err != nil {
		t.Fatal(err)
	}
	var e *Emulator
	plat, err := platform.New(platform.Config{CoAPAddr: "127.0.0.1:0", APIAddr: "127.0.0.1:0", WrapAPI: g.Wrap,
		Bind: func(ep string) (netip.AddrPort, bool) { return e.PlatformSource(ep) }})
	if err != nil {
		t.Fatal(err)
	}
	defer plat.Close()
	coap := plat.CoAPAddr().(*net.UDPAddr).AddrPort()
	api := plat.APIAddr().String()
	var log lockedWriter
	log.b = &strings.Builder{}
	e, addrs := start(t, Config{Scenario: labScenario(t), Modules: 2, Seed: 1, Log: &log,
		Platform: netip.AddrPortFrom(coap.Addr().Unmap(), coap.Port())})
	e.RegisterAPI(plat)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := plat.Start(ctx); err != nil {
		t.Fatal(err)
	}

	a := dialAT(t, addrs[0])
	a.must("ATE0")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	waitFor(t, "registration", func() bool { return strings.Contains(a.must("AT+CGATT?")[0], "1") })
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	round := 0
	roundTrip := func() {
		t.Helper()
		round++
		payload := fmt.Sprintf("%08d", round)
		hexp := fmt.Sprintf("%X", payload)
		out := a.must(fmt.Sprintf("AT+NSOST=0,%s,%d,%d,%s", echo.Addr(), echo.Port(), len(payload), hexp))
		if out[0] != fmt.Sprintf("0,%d", len(payload)) {
			t.Fatalf("round %d: AT+NSOST: %q", round, out)
		}
		a.wait(fmt.Sprintf("+NSONMI:0,%d", len(payload)+3), 30*time.Second)
		out = a.must("AT+NSORF=0,100")
		want := fmt.Sprintf("0,%s,%d,%d,%X,0", echo.Addr(), echo.Port(), len(payload)+3, "re:"+payload)
		if out[0] != want {
			t.Fatalf("round %d: AT+NSORF: %q, want %q", round, out, want)
		}
		code, body := apiCall(api, "GET", "/api/modules/0", testToken)
		if code != 200 || !strings.Contains(body, `"registration": "registered"`) {
			t.Fatalf("round %d: GET /api/modules/0: %d %s", round, code, body)
		}
	}
	roundTrip()

	// flood runs the attackers for d while the module does its round
	// trips every 10 s, then stops them and lets the server's timeouts
	// cut what they left (the HTTP header timeout, the CoAP idle time).
	var counts struct{ atConns, httpSlow, httpRefused, coap atomic.Int64 }
	flood := func(d time.Duration) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		attack := func(f func(r *rand.Rand)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
				for {
					select {
					case <-stop:
						return
					default:
					}
					f(r)
				}
			}()
		}
		junk := func(r *rand.Rand, n int) []byte {
			b := make([]byte, n)
			for i := range b {
				switch r.IntN(4) {
				case 0:
					b[i] = "AT+\r\n=,?\"\x00\x1a\x1b"[r.IntN(12)]
				default:
					b[i] = byte(r.Uint32())
				}
			}
			return b
		}
		// AT garbage: module 1's port, and clients of module 0's (refused).
		for k := 0; k < 2; k++ {
			attack(func(r *rand.Rand) {
				port := addrs[1]
				if r.IntN(4) == 0 {
					port = addrs[0]
				}
				c, err := net.DialTimeout("tcp", port.String(), time.Second)
				if err != nil {
					time.Sleep(10 * time.Millisecond)
					return
				}
				counts.atConns.Add(1)
				c.SetDeadline(time.Now().Add(time.Second))
				for i := r.IntN(20); i >= 0; i-- {
					if _, err := c.Write(junk(r, 1+r.IntN(2048))); err != nil {
						break
					}
				}
				if r.IntN(2) == 0 {
					io.Copy(io.Discard, io.LimitReader(c, 1<<16))
				}
				c.Close()
				time.Sleep(time.Duration(r.IntN(20)) * time.Millisecond)
			})
		}
		// Slow HTTP clients: 300 at a time (more than the server's 256
		// connections), each sending a header line now and then.
		for k := 0; k < 300; k++ {
			attack(func(r *rand.Rand) {
				c, err := net.DialTimeout("tcp", api, time.Second)
				if err != nil {
					time.Sleep(100 * time.Millisecond)
					return
				}
				counts.httpSlow.Add(1)
				fmt.Fprintf(c, "GET /api/modules HTTP/1.1\r\nHost: 127.0.0.1\r\n")
				for {
					select {
					case <-stop:
						c.Close()
						return
					case <-time.After(time.Duration(500+r.IntN(2000)) * time.Millisecond):
					}
					c.SetWriteDeadline(time.Now().Add(time.Second))
					if _, err := fmt.Fprintf(c, "X-Slow-%d: %d\r\n", r.IntN(1000), r.IntN(1000)); err != nil {
						c.Close()
						return
					}
				}
			})
		}
		// Requests a web page or a stranger would send: no token, wrong
		// token, text/plain, foreign Host or Origin.
		attack(func(r *rand.Rand) {
			tok := []string{"", "wrong-token-0123456789", testToken}[r.IntN(3)]
			req, _ := http.NewRequest("POST", "http://"+api+"/api/network", strings.NewReader(`{"core_reachable": false}`))
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			switch r.IntN(3) {
			case 0:
				req.Header.Set("Content-Type", "text/plain")
			case 1:
				req.Host = "evil.example"
				req.Header.Set("Content-Type", "application/json")
			case 2:
				req.Header.Set("Origin", "http://evil.example")
				req.Header.Set("Content-Type", "application/json")
			}
			if resp, err := httpClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode < 400 {
					t.Errorf("a hostile request was accepted: %d (%v)", resp.StatusCode, req.Header)
				}
				counts.httpRefused.Add(1)
			}
			time.Sleep(5 * time.Millisecond)
		})
		// CoAP floods from other sockets: garbage, and uplinks forged as the
		// module (refused: its endpoint is bound to its gateway socket).
		imei := e.IMEI(0)
		for k := 0; k < 2; k++ {
			attack(func(r *rand.Rand) {
				c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(coap))
				if err != nil {
					time.Sleep(10 * time.Millisecond)
					return
				}
				defer c.Close()
				for i := 0; i < 200; i++ {
					var msg []byte
					if r.IntN(2) == 0 {
						msg = junk(r, 1+r.IntN(300))
					} else {
						q := "ep=" + imei
						msg = []byte{0x50, 0x02, byte(r.Uint32()), byte(r.Uint32()), 0xB1, 't', 0x01, 'd', 0x4D, byte(len(q) - 13)}
						msg = append(append(append(msg, q...), 0xFF), junk(r, 1+r.IntN(100))...)
					}
					c.Write(msg)
					counts.coap.Add(1)
					if i%20 == 0 {
						time.Sleep(time.Millisecond)
					}
				}
				// At most about 50 new source sockets a second each: the
				// platform keeps state per source for its CoAP idle time,
				// so their number, not the datagram count, sets the peak.
				time.Sleep(20 * time.Millisecond)
			})
		}

		// The module's round trips, every 10 s, while all this goes on.
		t0 := time.Now()
		for time.Since(t0) < d {
			time.Sleep(min(10*time.Second, d))
			roundTrip()
		}
		close(stop)
		wg.Wait()
		time.Sleep(max(2*platform.DefaultReadHeaderTimeout, platform.DefaultCoAPIdle) + 4*time.Second)
		roundTrip()
	}
	// A first wave, longer than the platform's CoAP idle time (16 s): what
	// the attacks set up once is in the heap before the flood is measured.
	// That includes the tables of per-source CoAP state (go-coap's
	// sessions, their contexts' children): Go maps keep their high-water
	// size, set by the peak number of sources within the idle time.
	flood(40 * time.Second)
	heapBefore := liveHeap()
	flood(dur)
	forged := plat.Stats().UplinksUnauthorized
	heapAfter := liveHeap()
	msgs := len(plat.Messages(e.IMEI(0)))
	t.Logf("%v: %d round trips, none lost; AT connections %d, slow HTTP connections %d, hostile HTTP requests refused %d, CoAP datagrams %d (forged uplinks refused %d); module 0's endpoint has %d stored messages; live heap %d → %d bytes (%+.1f %%)",
		dur, round, counts.atConns.Load(), counts.httpSlow.Load(), counts.httpRefused.Load(), counts.coap.Load(), forged, msgs,
		heapBefore, heapAfter, 100*(float64(heapAfter)/float64(heapBefore)-1))
	if msgs != 0 {
		t.Errorf("%d forged messages stored for the module's endpoint", msgs)
	}
	if forged == 0 {
		t.Errorf("no forged uplink was refused: the flood did not reach the platform")
	}
	if float64(heapAfter) > 1.2*float64(heapBefore) {
		t.Errorf("live heap %d bytes after the flood, %d before: more than 20 %% up", heapAfter, heapBefore)
	}
	log.mu.Lock()
	if l := log.b.String(); l != "" {
		t.Logf("emulator log:\n%s", l)
	}
	log.mu.Unlock()
}

// httpClient gives up on an answer after 5 s.
var httpClient = &http.Client{Timeout: 5 * time.Second}

// apiCall makes a request of the API with token (none if empty).
func apiCall(addr, method, path, token string) (int, string) {
	req, err := http.NewRequest(method, "http://"+addr+path, nil)
	if err != nil {
		return 0, err.Error()
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	var m runtime.MemStats
	for i := 0; i < 2; i++ {
		runtime.GC()
	}
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
