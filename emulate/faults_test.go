package emulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbsim/nbsim/gpp"
	"github.com/nbsim/nbsim/internal/apiauth"
	"github.com/nbsim/nbsim/internal/testutil"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/scenarios"
)

// Faults and policies set through the control API, and what the firmware
// sees of them on the AT port.

// speedClock is a wall clock that runs speed times faster than the real
// one, so that the network's 10 s and 15 s timers (T3411, T3410) pass in
// a test's time. Nothing else changes: the model sees its usual times.
type speedClock struct {
	base  time.Time
	speed float64
}

func newSpeedClock(speed float64) *speedClock { return &speedClock{base: time.Now(), speed: speed} }

func (c *speedClock) Now() time.Time {
	return c.base.Add(time.Duration(float64(time.Since(c.base)) * c.speed))
}

func (c *speedClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(time.Duration(float64(d) / c.speed))
	return t.C, t.Stop
}

// lab is the lab scenario with overrides.
func labScenario(t *testing.T, sets ...string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load("lab", sets)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// ctlRig is an emulation with its control API on an HTTP server and a trace
// shown when the test fails.
type ctlRig struct {
	t   *testing.T
	e   *Emulator
	at  []*atClient
	api string
	tr  *lockedWriter
}

func newCtlRig(t *testing.T, cfg Config) *ctlRig {
	t.Helper()
	var trace strings.Builder
	tw := &lockedWriter{b: &trace}
	cfg.Trace = tw
	e, addrs := start(t, cfg)
	srv := apiServer(t, e)
	t.Cleanup(func() {
		if t.Failed() {
			tw.mu.Lock()
			t.Log("trace:\n" + trace.String())
			tw.mu.Unlock()
		}
	})
	r := &ctlRig{t: t, e: e, api: srv.URL, tr: tw}
	for _, a := range addrs {
		c := dialAT(t, a)
		c.must("ATE0")
		r.at = append(r.at, c)
	}
	return r
}

// testToken is the control API's token in the tests.
const testToken = "test-token-0123456789abcdef"

// apiServer serves e's control API as nbsim emulate does: behind the
// token guard, on a hardened server.
func apiServer(t testing.TB, e *Emulator) *httptest.Server {
	t.Helper()
	g, err := apiauth.New(testToken)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	e.RegisterAPI(mux)
	srv := httptest.NewUnstartedServer(g.Wrap(mux))
	apiauth.HardenServer(srv.Config)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// call makes a control API request; it returns the status and the body.
func (r *ctlRig) call(method, path, body string) (int, []byte) {
	r.t.Helper()
	req, err := http.NewRequest(method, r.api+path, strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// post makes a control API POST that must succeed.
func (r *ctlRig) post(path, body string) []byte {
	r.t.Helper()
	code, b := r.call("POST", path, body)
	if code != http.StatusOK {
		r.t.Fatalf("POST %s %s: %d %s", path, body, code, b)
	}
	return b
}

func (r *ctlRig) module(n int) ModuleState {
	r.t.Helper()
	code, b := r.call("GET", fmt.Sprintf("/api/modules/%d", n), "")
	if code != http.StatusOK {
		r.t.Fatalf("GET module %d: %d %s", n, code, b)
	}
	var s ModuleState
	if err := json.Unmarshal(b, &s); err != nil {
		r.t.Fatalf("module %d: %v: %s", n, err, b)
	}
	return s
}

// traceHas reports whether the trace has a line containing s.
func (r *ctlRig) traceHas(s string) bool {
	r.tr.mu.Lock()
	defer r.tr.mu.Unlock()
	return strings.Contains(r.tr.b.String(), s)
}

// info returns the information text of a command that must succeed, its
// lines joined by newlines.
func atInfo(a *atClient, cmd string) string {
	a.t.Helper()
	out := a.must(cmd)
	return strings.Join(out[:len(out)-1], "\n")
}

// attach switches the radio on and registers, waiting for +CEREG:1.
func atAttach(a *atClient, timeout time.Duration) {
	a.t.Helper()
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:1", timeout)
}

// quiet checks that no line starting with prefix arrives within d.
func atQuiet(a *atClient, prefix string, d time.Duration) {
	a.t.Helper()
	a.c.SetReadDeadline(time.Now().Add(d))
	for {
		l, err := a.rd.ReadString('\n')
		if err != nil {
			break
		}
		if strings.HasPrefix(strings.ReplaceAll(strings.TrimSpace(l), ": ", ":"), prefix) {
			a.t.Fatalf("unexpected %q", strings.TrimSpace(l))
		}
	}
	// The deadline interrupted a read: start afresh.
	a.rd.Reset(a.c)
}

// sinkUDP counts datagrams that reach a server on this host.
type sinkUDP struct {
	mu   sync.Mutex
	got  [][]byte
	addr *net.UDPAddr
}

func newSinkUDP(t *testing.T) *sinkUDP {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s := &sinkUDP{addr: c.LocalAddr().(*net.UDPAddr)}
	go func() {
		buf := make([]byte, 2048)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			s.mu.Lock()
			s.got = append(s.got, append([]byte(nil), buf[:n]...))
			s.mu.Unlock()
		}
	}()
	return s
}

func (s *sinkUDP) has(p []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.got {
		if bytes.Equal(g, p) {
			return true
		}
	}
	return false
}

func (s *sinkUDP) nsost(a *atClient, payload string) {
	a.t.Helper()
	out := a.must(fmt.Sprintf("AT+NSOST=0,%s,%d,%d,%X", s.addr.IP, s.addr.Port, len(payload), payload))
	if out[0] != fmt.Sprintf("0,%d", len(payload)) {
		a.t.Fatalf("NSOST answered %q", out)
	}
}

// Coverage: above the scenario's maximum coupling loss (164 dB) the
// module is out of coverage: a datagram sent then is refused, AT+CEER says
// why and the server never sees it; back in coverage it goes through. The
// CE level (AT+NUESTATS, the API) follows the coupling loss.
func TestFaultCoverage(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1})
	a := r.at[0]
	sink := newSinkUDP(t)

	// CE level: RSRP = 43 dBm − 10.8 dB − coupling loss against the
	// thresholds −110 and −120 dBm: 120 dB is CE0, 150 dB CE1, 160 dB CE2.
	// The module attaches at 150 dB; AT+NUESTATS is read from then on.
	attached := false
	for _, c := range []struct {
		cl float64
		ce int
	}{{120, 0}, {150, 1}, {160, 2}, {120, 0}} {
		first := c.cl == 150
		b := r.post("/api/modules/0/coverage", fmt.Sprintf(`{"coupling_loss_db": %g}`, c.cl))
		var s ModuleState
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		if s.CouplingLoss != c.cl || s.CELevel != c.ce {
			t.Errorf("coupling loss %g: API shows %g dB CE%d, want CE%d", c.cl, s.CouplingLoss, s.CELevel, c.ce)
		}
		if first {
			atAttach(a, 15*time.Second)
			a.must("AT+CSCON=1")
			a.must("AT+NSOCR=DGRAM,17,5000,1")
			attached = true
		}
		if attached {
			if st := atInfo(a, "AT+NUESTATS"); !strings.Contains(st, fmt.Sprintf("ECL:%d", c.ce)) {
				t.Errorf("coupling loss %g: AT+NUESTATS shows\n%s\nwant ECL:%d", c.cl, st, c.ce)
			}
		}
	}

	// In coverage: delivered.
	sink.nsost(a, "in-1")
	waitFor(t, "the datagram sent in coverage reaches the server", func() bool { return sink.has([]byte("in-1")) })
	a.wait("+CSCON:0", 10*time.Second)

	// Out of coverage (idle): the module has no service and refuses the
	// send (coverage_test.go has the details).
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 180}`)
	out := a.cmd(fmt.Sprintf("AT+NSOST=0,%s,%d,5,6F75742D31", sink.addr.IP, sink.addr.Port))
	if out[len(out)-1] != "ERROR" {
		t.Errorf("AT+NSOST out of coverage: %q, want ERROR", out)
	}
	if ceer := atInfo(a, "AT+CEER"); !strings.Contains(ceer, "coverage") {
		t.Errorf("AT+CEER after a send out of coverage: %q", ceer)
	}
	if s := r.module(0); !strings.Contains(s.LastError, "coverage") {
		t.Errorf("API out of coverage: last error %q", s.LastError)
	}
	testutil.Never(t, 500*time.Millisecond, "the datagram sent out of coverage reached the server",
		func() bool { return sink.has([]byte("out-1")) })

	// Back in coverage: delivered again.
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 140}`)
	a.wait("+CEREG:1", 5*time.Second)
	sink.nsost(a, "in-2")
	waitFor(t, "the datagram sent back in coverage reaches the server", func() bool { return sink.has([]byte("in-2")) })
	if s := r.module(0); s.Stats.UplinkLost != 0 || s.Stats.UplinkSent != 2 {
		t.Errorf("data counters: %+v", s.Stats)
	}
}

// Switched on out of coverage: the attach finds no cell, the module keeps
// searching and AT+CEER says why; back in coverage it registers.
func TestFaultCoverageAtAttach(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t), Modules: 1, Seed: 1})
	a := r.at[0]
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 170}`)
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:2", 5*time.Second)
	waitFor(t, "the attach finds no cell", func() bool { return r.traceHas("attach failed") })
	if ceer := atInfo(a, "AT+CEER"); !strings.Contains(ceer, "attach failed") || !strings.Contains(ceer, model.CauseOutOfCoverage) {
		t.Errorf("AT+CEER: %q", ceer)
	}
	atQuiet(a, "+CEREG:1", time.Second)
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 140}`)
	a.wait("+CEREG:1", 10*time.Second)
	if s := r.module(0); s.Registration != "registered" || s.CELevel != 0 {
		t.Errorf("API: %q CE%d", s.Registration, s.CELevel)
	}
}

// Access failures before the attach: the first attach's random access
// fails (the cell never hears the preambles), the module keeps searching
// and AT+CEER says why; T3411 (10 s) later the retry registers. The
// network runs 3 times faster than the wall clock: the random-access
// ladder takes about 13 s and T3411 10 s of network time.
func TestFaultAccessFailureAtAttach(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t), Modules: 1, Seed: 1, Clock: newSpeedClock(3)})
	a := r.at[0]
	if b := r.post("/api/modules/0/faults", `{"access_failures": 1}`); !strings.Contains(string(b), `"access_failures": 1`) {
		t.Fatalf("faults answered %s", b)
	}
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	t0 := time.Now()
	a.must("AT+CGATT=1")
	a.wait("+CEREG:2", 5*time.Second)
	waitFor(t, "the attach fails", func() bool { return r.traceHas("attach failed") })
	if s := r.module(0); s.Registration != "searching" || !strings.Contains(s.LastError, model.CauseAccessFailure) {
		t.Errorf("after the failure the API shows %q, last error %q", s.Registration, s.LastError)
	}
	if ceer := atInfo(a, "AT+CEER"); !strings.Contains(ceer, "attach failed") || !strings.Contains(ceer, "access") {
		t.Errorf("AT+CEER after the failed attach: %q", ceer)
	}
	if out := a.must("AT+CEREG?"); out[0] != "+CEREG:1,2" {
		t.Errorf("AT+CEREG? while retrying: %q", out)
	}
	a.wait("+CEREG:1", 15*time.Second)
	// Not before T3411: the failure, then at least 10 s of network time.
	if el := time.Since(t0); el < 10*time.Second/3 {
		t.Errorf("registered %v (wall) after AT+CGATT=1: before T3411", el)
	}
	if s := r.module(0); s.Registration != "registered" {
		t.Errorf("API shows %q", s.Registration)
	}
}

// An access failure on a data send from idle: the datagram is lost with
// the cause (AT+CEER, the API) and never reaches the server; the next one
// goes through.
func TestFaultAccessFailureOnSend(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1, Clock: newSpeedClock(3)})
	a := r.at[0]
	sink := newSinkUDP(t)
	atAttach(a, 15*time.Second)
	a.must("AT+CSCON=1")
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	sink.nsost(a, "first")
	waitFor(t, "the first datagram reaches the server", func() bool { return sink.has([]byte("first")) })
	a.wait("+CSCON:0", 10*time.Second)

	r.post("/api/modules/0/faults", `{"access_failures": 1}`)
	sink.nsost(a, "lost")
	waitFor(t, "the loss is counted", func() bool { return r.module(0).Stats.UplinkLost == 1 })
	if ceer := atInfo(a, "AT+CEER"); ceer != "+CEER:uplink lost: "+model.CauseAccessFailure {
		t.Errorf("AT+CEER: %q", ceer)
	}
	s := r.module(0)
	if s.Stats.LostCauses[model.CauseAccessFailure] != 1 || s.Registration != "registered" {
		t.Errorf("API after the failure: %+v, registration %q", s.Stats, s.Registration)
	}
	sink.nsost(a, "after")
	waitFor(t, "the next datagram reaches the server", func() bool { return sink.has([]byte("after")) })
	if sink.has([]byte("lost")) {
		t.Error("the datagram whose access failed reached the server")
	}
}

// An attach reject set through the API: +CEREG (mode 3) shows stat 3
// (denied) with the EMM cause and AT+CEER the reject; with rejects off
// again, AT+CGATT=1 attaches again, and so does a radio off/on.
func TestFaultAttachReject(t *testing.T) {
	// AT+CFUN=0 waits for the connection to be released: a short
	// inactivity timer.
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1})
	a := r.at[0]
	reject := func() {
		t.Helper()
		b := r.post("/api/network", `{"attach_reject_cause": 15}`)
		var ns NetworkState
		if err := json.Unmarshal(b, &ns); err != nil || ns.AttachRejectCause == nil || *ns.AttachRejectCause != 15 {
			t.Fatalf("POST /api/network answered %s (%v)", b, err)
		}
	}
	denied := func() {
		t.Helper()
		if l := a.wait("+CEREG:3", 15*time.Second); l != "+CEREG:3,,,,0,15" {
			t.Errorf("URC %q, want +CEREG:3,,,,0,15 (denied, EMM cause 15)", l)
		}
		if out := a.must("AT+CEREG?"); out[0] != "+CEREG:3,3,,,,0,15" {
			t.Errorf("AT+CEREG? %q", out)
		}
		if ceer := atInfo(a, "AT+CEER"); !strings.Contains(ceer, "reject") || !strings.Contains(ceer, "15") {
			t.Errorf("AT+CEER after the reject: %q", ceer)
		}
		if s := r.module(0); s.Registration != "denied" {
			t.Errorf("API shows %q", s.Registration)
		}
	}
	reject()
	a.must("AT+CEREG=3")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	denied()
	// Stays denied: no retry of its own.
	atQuiet(a, "+CEREG:", 2*time.Second)

	r.post("/api/network", `{"attach_reject_cause": 0}`)
	a.must("AT+CGATT=1")
	a.wait("+CEREG:1", 15*time.Second)
	if out := a.must("AT+CEREG?"); !strings.HasPrefix(out[0], "+CEREG:3,1,") {
		t.Errorf("AT+CEREG? after the new attach: %q", out)
	}

	// Rejected again after a radio off/on; then off/on with rejects off.
	reject()
	a.must("AT+CFUN=0")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	denied()
	r.post("/api/network", `{"attach_reject_cause": 0}`)
	a.must("AT+CFUN=0")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:1", 15*time.Second)
	if s := r.module(0); s.Registration != "registered" || s.Address == "" {
		t.Errorf("API after registering: %q, address %q", s.Registration, s.Address)
	}
}

// The core unreachable: the attach gets no answer (T3410, 15 s), the
// module keeps searching and AT+CEER says why; once the core is back, the
// retry after T3411 (10 s) registers. Network time runs 5 times faster.
func TestFaultCoreUnreachable(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t), Modules: 1, Seed: 1, Clock: newSpeedClock(5)})
	a := r.at[0]
	b := r.post("/api/network", `{"core_reachable": false}`)
	if !strings.Contains(string(b), `"core_reachable": false`) {
		t.Fatalf("POST /api/network answered %s", b)
	}
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:2", 5*time.Second)
	waitFor(t, "the attach times out", func() bool { return r.traceHas("attach failed") })
	if ceer := atInfo(a, "AT+CEER"); !strings.Contains(ceer, "attach failed") || !strings.Contains(ceer, model.CauseCoreUnreachable) {
		t.Errorf("AT+CEER after the attach timed out: %q", ceer)
	}
	if s := r.module(0); s.Registration != "searching" {
		t.Errorf("API shows %q", s.Registration)
	}
	// Still down: the retry fails too (no registration for 3 s of wall
	// time, 15 s of network time: past T3411).
	atQuiet(a, "+CEREG:1", 3*time.Second)
	r.post("/api/network", `{"core_reachable": true}`)
	a.wait("+CEREG:1", 15*time.Second)
	if s := r.module(0); s.Registration != "registered" {
		t.Errorf("API shows %q", s.Registration)
	}
}

// A PSM clamp policy: the module asks for more than the policy allows and
// AT+CEREG (mode 4) shows what was granted, inside the bounds; AT+CPSMS?
// still shows what it asked for.
func TestFaultPSMClamp(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t), Modules: 1, Seed: 1})
	a := r.at[0]
	b := r.post("/api/network", `{"psm": {"policy": "clamp", "max": "4s", "t3412_max": "1h"}}`)
	var ns NetworkState
	if err := json.Unmarshal(b, &ns); err != nil || ns.PSM == nil || ns.PSM.Policy != "clamp" || ns.PSM.Max != "4s" || ns.PSM.T3412Max != "1h0m0s" {
		t.Fatalf("POST /api/network answered %s (%v)", b, err)
	}
	// Requested: periodic TAU 2 h (GPRS timer 3: unit 001 = 1 h, value 2),
	// Active-Time 1 min (GPRS timer 2: unit 001 = 1 min, value 1).
	a.must(`AT+CPSMS=1,,,"00100010","00100001"`)
	atAttach(a, 15*time.Second)
	// Granted: 4 s and 1 h, in whatever units the module encodes them.
	a.must("AT+CEREG=4")
	out := a.must("AT+CEREG?")
	f := strings.Split(strings.TrimPrefix(out[0], "+CEREG:"), ",")
	if len(f) != 9 || f[0] != "4" || f[1] != "1" {
		t.Fatalf("AT+CEREG? %q: want 4,1,<tac>,<ci>,<AcT>,,,<Active-Time>,<Periodic-TAU>", out[0])
	}
	active, tau := timerBits(t, f[7]), timerBits(t, f[8])
	if d, ok := gpp.GPRSTimerDuration(active); !ok || d != 4*time.Second {
		t.Errorf("granted Active-Time %s = %v (%v), want 4s (requested 1 min)", f[7], d, ok)
	}
	if d, ok := gpp.GPRSTimer3Duration(tau); !ok || d != time.Hour {
		t.Errorf("granted Periodic-TAU %s = %v (%v), want 1h (requested 2 h)", f[8], d, ok)
	}
	if f[7] == `"00100001"` || f[8] == `"00100010"` {
		t.Errorf("AT+CEREG? shows the requested values: %q", out[0])
	}
	if out := a.must("AT+CPSMS?"); out[0] != `+CPSMS:1,,,"00100010","00100001"` {
		t.Errorf("AT+CPSMS? %q", out[0])
	}
	if s := r.module(0); s.T3324 != "4s" || s.T3412 != "1h0m0s" {
		t.Errorf("API shows the grant T3324 %q T3412 %q", s.T3324, s.T3412)
	}
}

// timerBits reads a quoted 8-bit binary string of +CEREG / +CPSMS.
func timerBits(t *testing.T, q string) byte {
	t.Helper()
	v, err := strconv.ParseUint(strings.Trim(q, `"`), 2, 8)
	if err != nil || len(q) != 10 {
		t.Fatalf("timer %s: not a quoted 8-bit string", q)
	}
	return byte(v)
}

// Bad control input: 400 with a JSON error naming the field; an unknown
// module: 404. A rejected change changes nothing.
func TestFaultAPIBadInput(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t), Modules: 2, Seed: 1})
	loss := []float64{r.module(0).CouplingLoss, r.module(1).CouplingLoss}
	for _, c := range []struct {
		method, path, body string
		status             int
		field              string
	}{
		{"POST", "/api/modules/0/coverage", `{"coupling_loss": 150}`, 400, `"coupling_loss"`},
		{"POST", "/api/modules/0/coverage", `{"coupling_loss_db": 300}`, 400, "coupling_loss_db"},
		{"POST", "/api/modules/0/coverage", `{"coupling_loss_db": 10}`, 400, "coupling_loss_db"},
		{"POST", "/api/modules/0/coverage", `{"coupling_loss_db": "high"}`, 400, "coupling_loss_db"},
		{"POST", "/api/modules/0/coverage", `{}`, 400, "coupling_loss_db"},
		{"POST", "/api/modules/0/coverage", `coupling_loss_db=150`, 400, "body"},
		{"POST", "/api/modules/1/faults", `{"access_failures": -1}`, 400, "access_failures"},
		{"POST", "/api/modules/1/faults", `{"access_failures": 1001}`, 400, "access_failures"},
		{"POST", "/api/modules/1/faults", `{"acces_failures": 1}`, 400, `"acces_failures"`},
		{"POST", "/api/network", `{"inactivity_timer": "500ms"}`, 400, "inactivity_timer"},
		{"POST", "/api/network", `{"inactivity_timer": "2h"}`, 400, "inactivity_timer"},
		{"POST", "/api/network", `{"inactivity_timer": "soon"}`, 400, "inactivity_timer"},
		{"POST", "/api/network", `{"psm": {"policy": "maybe"}}`, 400, "psm.policy"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "max": "forever"}}`, 400, "psm.max"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "t3412_max": "x"}}`, 400, "psm.t3412_max"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "maximum": "4s"}}`, 400, `"maximum"`},
		{"POST", "/api/network", `{"edrx": {"policy": "grant", "min": "x"}}`, 400, "edrx.min"},
		// Inverted or negative bounds.
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "min": "10h", "max": "1s"}}`, 400, "psm.min"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "min": "-5s"}}`, 400, "psm.min"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "max": "-5s"}}`, 400, "psm.max"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "max": "4h"}}`, 400, "psm.max"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "t3412_min": "2h", "t3412_max": "1h"}}`, 400, "psm.t3412_min"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "t3412_max": "-1s"}}`, 400, "psm.t3412_max"},
		{"POST", "/api/network", `{"psm": {"policy": "clamp", "t3412_max": "500d"}}`, 400, "psm.t3412_max"},
		{"POST", "/api/network", `{"edrx": {"policy": "clamp", "min": "163.84s", "max": "20.48s"}}`, 400, "edrx.min"},
		{"POST", "/api/network", `{"edrx": {"policy": "clamp", "max": "-20.48s"}}`, 400, "edrx.max"},
		{"POST", "/api/network", `{"attach_reject_cause": 256}`, 400, "attach_reject_cause"},
		{"POST", "/api/network", `{"attach_reject_cause": -1}`, 400, "attach_reject_cause"},
		{"POST", "/api/network", `{"core_reachable": "no"}`, 400, "core_reachable"},
		{"POST", "/api/network", `{"bogus": 1}`, 400, `"bogus"`},
		// Valid fields with an invalid one: rejected as a whole.
		{"POST", "/api/network", `{"inactivity_timer": "5s", "honour_rai": false, "psm": {"policy": "nope"}}`, 400, "psm.policy"},
		{"GET", "/api/modules/2", "", 404, "module"},
		{"GET", "/api/modules/-1", "", 404, "module"},
		{"GET", "/api/modules/x", "", 404, "module"},
		{"POST", "/api/modules/2/coverage", `{"coupling_loss_db": 150}`, 404, "module"},
		{"POST", "/api/modules/99/faults", `{"access_failures": 1}`, 404, "module"},
	} {
		code, b := r.call(c.method, c.path, c.body)
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(b, &e); err != nil || e.Error == "" {
			t.Errorf("%s %s %s: %d, body %q: not a JSON error (%v)", c.method, c.path, c.body, code, b, err)
			continue
		}
		if code != c.status || !strings.Contains(e.Error, c.field) {
			t.Errorf("%s %s %s: %d %q, want %d naming %s", c.method, c.path, c.body, code, e.Error, c.status, c.field)
		}
	}
	// Nothing changed.
	code, b := r.call("GET", "/api/network", "")
	var ns NetworkState
	if err := json.Unmarshal(b, &ns); code != 200 || err != nil {
		t.Fatalf("GET /api/network: %d %s", code, b)
	}
	if *ns.InactivityTimer != "20s" || !*ns.HonourRAI || ns.PSM.Policy != "grant" || ns.EDRX.Policy != "grant" || *ns.AttachRejectCause != 0 || !*ns.CoreReachable {
		t.Errorf("the network changed after rejected requests: %s", b)
	}
	for i := 0; i < 2; i++ {
		if s := r.module(i); s.CouplingLoss != loss[i] || s.Registration != "not-registered" {
			t.Errorf("module %d changed after rejected requests: %+v", i, s)
		}
	}
	// A valid change shows.
	b = r.post("/api/network", `{"inactivity_timer": "5s", "honour_rai": false}`)
	if err := json.Unmarshal(b, &ns); err != nil || *ns.InactivityTimer != "5s" || *ns.HonourRAI {
		t.Errorf("after a valid change: %s", b)
	}
}
