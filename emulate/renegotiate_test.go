package emulate

import (
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/gpp"
)

// ceregTimers reads the Active-Time and Periodic-TAU of a +CEREG line of
// mode 4 (TS 27.007 §10.1.22: <stat>,<tac>,<ci>,<AcT>,,,<Active-Time>,
// <Periodic-TAU> after the URC's prefix, one field more in a read
// answer); an absent timer is -1.
func ceregTimers(t *testing.T, line string, read bool) (active, tau time.Duration) {
	t.Helper()
	f := strings.Split(strings.TrimPrefix(line, "+CEREG:"), ",")
	if read {
		f = f[1:]
	}
	active, tau = -1, -1
	if len(f) > 6 && f[6] != "" {
		d, ok := gpp.GPRSTimerDuration(timerBits(t, f[6]))
		if !ok {
			t.Fatalf("%q: Active-Time %s is deactivated", line, f[6])
		}
		active = d
	}
	if len(f) > 7 && f[7] != "" {
		d, ok := gpp.GPRSTimer3Duration(timerBits(t, f[7]))
		if !ok {
			t.Fatalf("%q: Periodic-TAU %s is deactivated", line, f[7])
		}
		tau = d
	}
	return active, tau
}

// AT+CPSMS while registered renegotiates at once: the module runs a TAU
// with the new request (TS 24.301 §5.5.3.2.2), +CEREG (mode 4) reports the
// new grant and the API shows it; AT+CPSMS=0 sends a TAU without T3324 and
// the grant says PSM is off.
func TestCPSMSRenegotiates(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1})
	a := r.at[0]
	// Active-Time 10 s (GPRS timer 2 unit 000 = 2 s, value 5), periodic
	// TAU 1 h (GPRS timer 3 unit 001 = 1 h, value 1).
	a.must(`AT+CPSMS=1,,,"00100001","00000101"`)
	atAttach(a, 15*time.Second)
	if s := r.module(0); s.T3324 != "10s" || s.T3412 != "1h0m0s" {
		t.Fatalf("API after the attach: t3324 %q t3412 %q", s.T3324, s.T3412)
	}
	a.must("AT+CEREG=4")
	// Ask for 12 s (unit 000, value 6) and 2 h (unit 001, value 2).
	a.must(`AT+CPSMS=1,,,"00100010","00000110"`)
	l := a.wait("+CEREG:1", 15*time.Second)
	if act, tau := ceregTimers(t, l, false); act != 12*time.Second || tau != 2*time.Hour {
		t.Errorf("+CEREG after the new request: %q: Active-Time %v Periodic-TAU %v, want 12s 2h", l, act, tau)
	}
	if !r.traceHas("tau accepted") {
		t.Error("no TAU in the trace")
	}
	if out := a.must("AT+CEREG?"); true {
		if act, tau := ceregTimers(t, out[0], true); act != 12*time.Second || tau != 2*time.Hour {
			t.Errorf("AT+CEREG? %q: Active-Time %v Periodic-TAU %v, want 12s 2h", out[0], act, tau)
		}
	}
	if s := r.module(0); s.T3324 != "12s" || s.T3412 != "2h0m0s" {
		t.Errorf("API after the renegotiation: t3324 %q t3412 %q, want 12s 2h0m0s", s.T3324, s.T3412)
	}
	// PSM off: a TAU without T3324; the grant has no Active-Time.
	a.must("AT+CPSMS=0")
	l = a.wait("+CEREG:1", 15*time.Second)
	if act, _ := ceregTimers(t, l, false); act != -1 {
		t.Errorf("+CEREG after AT+CPSMS=0: %q: Active-Time %v, want none (PSM off)", l, act)
	}
	if s := r.module(0); s.T3324 != "" || s.PSM {
		t.Errorf("API after AT+CPSMS=0: t3324 %q psm %v, want no grant", s.T3324, s.PSM)
	}
}

// AT+CEDRXS while registered renegotiates too: a TAU with the eDRX
// request, +CEDRXP (TS 27.007 §7.42) with the network's value, and
// AT+CEDRXRDP (§7.41) and the API show it; mode 0 turns eDRX off with
// another TAU.
func TestCEDRXSRenegotiates(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1})
	a := r.at[0]
	atAttach(a, 15*time.Second)
	if s := r.module(0); s.EDRXCycle != "" {
		t.Fatalf("eDRX granted without a request: %q", s.EDRXCycle)
	}
	// 20.48 s: NB-S1 eDRX value 0010 (TS 24.008 Table 10.5.5.32).
	a.must(`AT+CEDRXS=2,5,"0010"`)
	l := a.wait("+CEDRXP:", 15*time.Second)
	if !strings.HasPrefix(strings.ReplaceAll(l, ": ", ":"), `+CEDRXP:5,"0010","0010",`) {
		t.Errorf("+CEDRXP after the request: %q, want the network's value 0010", l)
	}
	if out := a.must("AT+CEDRXRDP"); !strings.HasPrefix(out[0], `+CEDRXRDP:5,"0010","0010",`) {
		t.Errorf("AT+CEDRXRDP: %q", out[0])
	}
	if s := r.module(0); s.EDRXCycle != "20.48s" {
		t.Errorf("API after the renegotiation: edrx_cycle %q, want 20.48s", s.EDRXCycle)
	}
	if !r.traceHas("tau accepted") {
		t.Error("no TAU in the trace")
	}
	a.must("AT+CEDRXS=0")
	waitFor(t, "eDRX is off after AT+CEDRXS=0", func() bool { return r.module(0).EDRXCycle == "" })
	if out := a.must("AT+CEDRXRDP"); out[0] != "+CEDRXRDP:0" {
		t.Errorf("AT+CEDRXRDP after AT+CEDRXS=0: %q", out[0])
	}
}

// A grant that differs from the request, changed while the module is
// registered (the API's policy, as the timeline's grant_psm does): the
// network can only answer a request, so the module gets it at its next
// periodic TAU, whose TAU ACCEPT the MME now makes from the policy of the
// moment. +CEREG (mode 4) shows the grant, AT+CPSMS? still the request
// (TS 27.007 §7.38). T3412 1 min; network time 10 times faster.
func TestGrantChangesAtPeriodicTAU(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1, Clock: newSpeedClock(10)})
	a := r.at[0]
	// Periodic TAU 1 min (GPRS timer 3 unit 101), Active-Time 10 s (GPRS
	// timer 2 unit 000, value 5).
	a.must(`AT+CPSMS=1,,,"10100001","00000101"`)
	atAttach(a, 15*time.Second)
	a.must("AT+CEREG=4")
	if s := r.module(0); s.T3324 != "10s" || s.T3412 != "1m0s" {
		t.Fatalf("API after the attach: t3324 %q t3412 %q", s.T3324, s.T3412)
	}
	r.post("/api/network", `{"psm": {"policy": "clamp", "min": "4s", "max": "4s", "t3412_min": "2m", "t3412_max": "2m"}}`)
	l := a.wait("+CEREG:1", 15*time.Second) // the periodic TAU, 1 min after the release
	if act, tau := ceregTimers(t, l, false); act != 4*time.Second || tau != 2*time.Minute {
		t.Errorf("+CEREG after the periodic TAU: %q: Active-Time %v Periodic-TAU %v, want the new grant 4s 2m", l, act, tau)
	}
	if !r.traceHas("tau accepted") {
		t.Error("no TAU in the trace")
	}
	if out := a.must("AT+CPSMS?"); out[0] != `+CPSMS:1,,,"10100001","00000101"` {
		t.Errorf("AT+CPSMS? %q: want the request, not the grant", out[0])
	}
	if s := r.module(0); s.T3324 != "4s" || s.T3412 != "2m0s" {
		t.Errorf("API after the TAU: t3324 %q t3412 %q, want 4s 2m0s", s.T3324, s.T3412)
	}
}

// AT+CPSMS out of coverage: the TAU that would carry the new request finds
// no cell; back in coverage the module makes it (TS 24.301 §5.5.3.2.2) and
// +CEREG: 1 comes with the new grant. Network time 10 times faster.
func TestCPSMSOutOfCoverage(t *testing.T) {
	r := newCtlRig(t, Config{Scenario: labScenario(t, "rrc.inactivity_timer=2s"), Modules: 1, Seed: 1, Clock: newSpeedClock(10)})
	a := r.at[0]
	a.must(`AT+CPSMS=1,,,"00100001","00000101"`) // 1 h, 10 s
	atAttach(a, 15*time.Second)
	a.must("AT+CSCON=1")
	a.wait("+CSCON:0", 10*time.Second) // the attach's connection released
	a.must("AT+CEREG=4")
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 170}`)
	a.wait("+CEREG:2", 5*time.Second)
	a.must(`AT+CPSMS=1,,,"00100010","00000110"`) // 2 h, 12 s
	r.post("/api/modules/0/coverage", `{"coupling_loss_db": 140}`)
	l := a.wait("+CEREG:1", 10*time.Second)
	if act, tau := ceregTimers(t, l, false); act != 12*time.Second || tau != 2*time.Hour {
		t.Errorf("+CEREG back in coverage: %q: Active-Time %v Periodic-TAU %v, want the new grant 12s 2h", l, act, tau)
	}
	if !r.traceHas("tau accepted") {
		t.Error("no TAU on return")
	}
}
