package emulate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/testutil"
)

// Out of coverage while idle, as a real module shows it: +CEREG: 2
// (searching) at once, +CEREG: 4 (no cell available) after SearchTime,
// +CSQ 99,99 and +CESQ without measurements, sends refused with +CME
// ERROR: 30 (no network service) and AT+CEER saying why, the API showing
// "unknown"; back in coverage +CEREG: 1 with no NAS procedure (same
// tracking area) and sends go through again. Network time runs 10 times
// faster.
func TestCoverageLossIdle(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1, Clock: newSpeedClock(10)})
	a := r.at[0]
	sink := newSinkUDP(t)
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 140}`)
	atAttach(a, 15*time.Second)
	a.must("AT+CMEE=1")
	a.must("AT+CEREG=2")
	a.must("AT+CSCON=1")
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	sink.nsost(a, "in-1")
	waitFor(t, "the datagram sent in coverage reaches the server", func() bool { return sink.has([]byte("in-1")) })
	a.wait("+CSCON:0", 10*time.Second)
	if out := a.must("AT+CSQ"); out[0] == "+CSQ:99,99" {
		t.Fatalf("AT+CSQ in coverage: %q", out[0])
	}

	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 170}`)
	if l := a.wait("+CEREG:", 5*time.Second); l != "+CEREG:2" {
		t.Errorf("first URC after the loss: %q, want +CEREG:2 (searching)", l)
	}
	out := a.cmd(fmt.Sprintf("AT+NSOST=0,%s,%d,5,6F75742D31", sink.addr.IP, sink.addr.Port))
	if out[len(out)-1] != "+CME ERROR: 30" {
		t.Errorf("AT+NSOST out of coverage: %q, want +CME ERROR: 30 (no network service)", out)
	}
	if ceer := atInfo(a, "AT+CEER"); !strings.Contains(ceer, "no service") {
		t.Errorf("AT+CEER after the refused send: %q", ceer)
	}
	if out := a.must("AT+CSQ"); out[0] != "+CSQ:99,99" {
		t.Errorf("AT+CSQ out of coverage: %q, want +CSQ:99,99", out[0])
	}
	if out := a.must("AT+CESQ"); out[0] != "+CESQ:99,99,255,255,255,255" {
		t.Errorf("AT+CESQ out of coverage: %q", out[0])
	}
	if out := a.must("AT+CEREG?"); out[0] != "+CEREG:2,2" {
		t.Errorf("AT+CEREG? while searching: %q", out[0])
	}
	// SearchTime (10 s of network time) later: no cell available.
	if l := a.wait("+CEREG:", 5*time.Second); l != "+CEREG:4" {
		t.Errorf("second URC: %q, want +CEREG:4 (unknown: out of coverage)", l)
	}
	if s := r.module(0); s.Registration != "unknown" {
		t.Errorf("API out of coverage: %q, want unknown", s.Registration)
	}
	// AT+CGATT=1 while searching changes nothing (still registered).
	a.must("AT+CGATT=1")
	atQuiet(a, "+CEREG:", 300*time.Millisecond)
	testutil.Never(t, 300*time.Millisecond, "the refused datagram reached the server", func() bool { return sink.has([]byte("out-1")) })

	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 140}`)
	if l := a.wait("+CEREG:", 5*time.Second); !strings.HasPrefix(l, `+CEREG:1,"0001",`) {
		t.Errorf("URC back in coverage: %q, want +CEREG:1 with the cell", l)
	}
	if r.traceHas("tau accepted") {
		t.Error("a TAU on return to the same tracking area, T3412 still running")
	}
	sink.nsost(a, "in-2")
	waitFor(t, "the datagram sent back in coverage reaches the server", func() bool { return sink.has([]byte("in-2")) })
	if s := r.module(0); s.Registration != "registered" || s.Stats.UplinkLost != 0 {
		t.Errorf("API back in coverage: %q, %+v", s.Registration, s.Stats)
	}
}

// In PSM the module does not notice the loss: no URC until it wakes. When
// T3412 expires out of coverage its periodic TAU finds no cell: +CEREG: 2;
// back in coverage the periodic TAU it owes runs (TS 24.301 §5.3.5) and
// +CEREG: 1 follows the TAU ACCEPT. T3412 1 min, T3324 2 s; network time
// 10 times faster.
func TestCoverageLossPSM(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1, Clock: newSpeedClock(10)})
	a := r.at[0]
	// Periodic TAU 1 min (GPRS timer 3 unit 101 = 1 min), Active-Time 2 s
	// (GPRS timer 2 unit 000 = 2 s).
	a.must(`AT+CPSMS=1,,,"10100001","00000001"`)
	a.must("AT+NPSMR=1")
	atAttach(a, 15*time.Second)
	a.wait("+NPSMR:1", 10*time.Second)
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 170}`)
	atQuiet(a, "+CEREG:", time.Second) // asleep: nothing seen (10 s of network time)
	if s := r.module(0); s.Registration != "registered" {
		t.Errorf("API while asleep out of coverage: %q", s.Registration)
	}
	// T3412 (1 min from the release) expires: the TAU finds no cell.
	if l := a.wait("+CEREG:", 10*time.Second); l != "+CEREG:2" {
		t.Errorf("URC at the periodic TAU out of coverage: %q, want +CEREG:2", l)
	}
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 140}`)
	waitFor(t, "the periodic TAU on return", func() bool { return r.traceHas("tau accepted") })
	if l := a.wait("+CEREG:", 5*time.Second); l != "+CEREG:1" {
		t.Errorf("URC back in coverage: %q, want +CEREG:1", l)
	}
	if s := r.module(0); s.Registration != "registered" {
		t.Errorf("API back in coverage: %q", s.Registration)
	}
}
