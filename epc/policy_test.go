package epc

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/gpp"
)

func TestParsePolicy(t *testing.T) {
	for _, p := range []Policy{Grant, Clamp, Refuse} {
		got, err := ParsePolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p.String(), got, err)
		}
	}
	if Grant.String() != "grant" || Clamp.String() != "clamp" || Refuse.String() != "refuse" {
		t.Errorf("names %q %q %q", Grant, Clamp, Refuse)
	}
	if s := Policy(7).String(); s != "policy(7)" {
		t.Errorf("Policy(7).String() = %q", s)
	}
	for _, bad := range []string{"", "Grant", "clamp ", "maybe"} {
		_, err := ParsePolicy(bad)
		if err == nil {
			t.Errorf("ParsePolicy(%q) accepted", bad)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "grant, clamp, refuse") || !strings.Contains(msg, fmt.Sprintf("%q", bad)) {
			t.Errorf("ParsePolicy(%q) error %q: want the input and the allowed values", bad, msg)
		}
	}
}

func TestGrantPSM(t *testing.T) {
	s, m, h := time.Second, time.Minute, time.Hour
	clamp := PSMPolicy{Policy: Clamp, T3324Min: 20 * s, T3324Max: 2 * m, T3412Min: h, T3412Max: 48 * h}
	cases := []struct {
		name string
		pol  PSMPolicy
		req  PSMRequest
		want PSMGrant
	}{
		{"grant as requested", PSMPolicy{}, PSMRequest{true, 10 * s, 24 * h}, PSMGrant{true, 10 * s, 24 * h}},
		{"grant rounds to representable", PSMPolicy{}, PSMRequest{true, 65 * s, 35 * h}, PSMGrant{true, 62 * s, 31 * h}},
		{"grant ignores the range", PSMPolicy{Policy: Grant, T3324Max: 2 * m, T3412Max: 48 * h}, PSMRequest{true, 10 * m, 100 * h}, PSMGrant{true, 10 * m, 100 * h}},
		{"grant beyond the formats", PSMPolicy{}, PSMRequest{true, 10 * h, 20000 * h}, PSMGrant{true, gpp.GPRSTimer2Max, gpp.GPRSTimer3Max}},
		{"grant zero active time", PSMPolicy{}, PSMRequest{true, 0, 24 * h}, PSMGrant{true, 0, 24 * h}},
		{"clamp inside", clamp, PSMRequest{true, 30 * s, 24 * h}, PSMGrant{true, 30 * s, 24 * h}},
		{"clamp up", clamp, PSMRequest{true, 4 * s, 10 * m}, PSMGrant{true, 20 * s, h}},
		// 48 h is not a GPRS timer 3 value: the largest below it is 40 h.
		{"clamp down", clamp, PSMRequest{true, 10 * m, 100 * h}, PSMGrant{true, 2 * m, 40 * h}},
		// Bounds that are not representable: the grant stays inside them.
		{"clamp below an odd max", PSMPolicy{Policy: Clamp, T3324Max: 100 * s}, PSMRequest{true, 10 * m, 24 * h}, PSMGrant{true, 62 * s, 24 * h}},
		{"clamp above an odd min", PSMPolicy{Policy: Clamp, T3324Min: 63 * s}, PSMRequest{true, 0, 24 * h}, PSMGrant{true, 2 * m, 24 * h}},
		{"clamp T3412 below an odd max", PSMPolicy{Policy: Clamp, T3412Max: 35 * h}, PSMRequest{true, 0, 100 * h}, PSMGrant{true, 0, 31 * h}},
		{"clamp T3412 above an odd min", PSMPolicy{Policy: Clamp, T3412Min: 32 * h}, PSMRequest{true, 0, 24 * h}, PSMGrant{true, 0, 40 * h}},
		{"refuse", PSMPolicy{Policy: Refuse}, PSMRequest{true, 10 * s, 24 * h}, PSMGrant{false, 0, 24 * h}},
		{"refuse clamps the periodic TAU", PSMPolicy{Policy: Refuse, T3412Max: 12 * h}, PSMRequest{true, 10 * s, 24 * h}, PSMGrant{false, 0, 12 * h}},
		{"not requested", PSMPolicy{}, PSMRequest{false, 10 * s, 24 * h}, PSMGrant{false, 0, 24 * h}},
		// No T3412 asked for: the TS 24.301 §10.2 default of 54 min (9
		// decihours in the T3412 value IE, GPRS timer), or the policy's own.
		{"default T3412", PSMPolicy{}, PSMRequest{true, 10 * s, 0}, PSMGrant{true, 10 * s, 54 * m}},
		{"default T3412 negative request", PSMPolicy{}, PSMRequest{true, 10 * s, -h}, PSMGrant{true, 10 * s, 54 * m}},
		{"default T3412 without PSM", PSMPolicy{}, PSMRequest{false, 0, 0}, PSMGrant{false, 0, 54 * m}},
		{"policy default", PSMPolicy{DefaultT3412: 2 * h}, PSMRequest{true, 10 * s, 0}, PSMGrant{true, 10 * s, 2 * h}},
		{"policy default beyond GPRS timer", PSMPolicy{DefaultT3412: 300 * h}, PSMRequest{true, 10 * s, 0}, PSMGrant{true, 10 * s, 300 * h}},
		{"clamped default", PSMPolicy{Policy: Clamp, T3412Min: 2 * h}, PSMRequest{true, 10 * s, 0}, PSMGrant{true, 10 * s, 2 * h}},
	}
	for _, c := range cases {
		if got := c.pol.GrantPSM(c.req); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestGrantPSMProperties: granted timers are always representable, and a
// clamp policy keeps them inside its bounds.
func TestGrantPSMProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dur := func(max time.Duration) time.Duration { return time.Duration(rng.Int64N(int64(max))) }
	for i := 0; i < 5000; i++ {
		p := PSMPolicy{Policy: Policy(rng.IntN(3))}
		if rng.IntN(2) == 0 {
			p.T3324Min, p.T3324Max = dur(30*time.Minute), 30*time.Minute+dur(150*time.Minute)
			p.T3412Min, p.T3412Max = dur(100*time.Hour), 100*time.Hour+dur(5000*time.Hour)
		}
		r := PSMRequest{Enabled: rng.IntN(4) != 0, T3324: dur(4 * time.Hour), T3412: dur(12000 * time.Hour)}
		g := p.GrantPSM(r)
		if g.Enabled != (r.Enabled && p.Policy != Refuse) {
			t.Fatalf("%+v %+v: enabled %v", p, r, g.Enabled)
		}
		if !timer2Value(g.T3324) {
			t.Fatalf("%+v %+v: T3324 %v not representable", p, r, g.T3324)
		}
		if !g.Enabled && g.T3324 != 0 {
			t.Fatalf("%+v %+v: active time %v without PSM", p, r, g.T3324)
		}
		if !timer3Value(g.T3412) && !(r.T3412 <= 0 && timer2Value(g.T3412)) {
			t.Fatalf("%+v %+v: T3412 %v not representable", p, r, g.T3412)
		}
		if p.Policy == Clamp && g.Enabled {
			if (p.T3324Min > 0 && g.T3324 < p.T3324Min) || (p.T3324Max > 0 && g.T3324 > p.T3324Max) {
				t.Fatalf("%+v %+v: T3324 %v outside [%v, %v]", p, r, g.T3324, p.T3324Min, p.T3324Max)
			}
		}
		if p.Policy == Clamp || !g.Enabled {
			if (p.T3412Min > 0 && g.T3412 < p.T3412Min) || (p.T3412Max > 0 && g.T3412 > p.T3412Max) {
				t.Fatalf("%+v %+v: T3412 %v outside [%v, %v]", p, r, g.T3412, p.T3412Min, p.T3412Max)
			}
		}
	}
}

func TestGrantEDRX(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name string
		pol  EDRXPolicy
		req  EDRXRequest
		want EDRXGrant
	}{
		{"grant", EDRXPolicy{}, EDRXRequest{true, 81920 * ms, 5120 * ms}, EDRXGrant{true, 81920 * ms, 5120 * ms}},
		{"grant snaps", EDRXPolicy{}, EDRXRequest{true, 30 * time.Second, 5 * time.Second}, EDRXGrant{true, 20480 * ms, 5120 * ms}},
		{"grant snaps up", EDRXPolicy{}, EDRXRequest{true, time.Minute, time.Second}, EDRXGrant{true, 40960 * ms, 2560 * ms}},
		{"grant ignores the range", EDRXPolicy{Policy: Grant, Max: 40960 * ms}, EDRXRequest{true, 655360 * ms, 2560 * ms}, EDRXGrant{true, 655360 * ms, 2560 * ms}},
		{"PTW at most the cycle", EDRXPolicy{}, EDRXRequest{true, 20480 * ms, 40960 * ms}, EDRXGrant{true, 20480 * ms, 20480 * ms}},
		{"clamp down", EDRXPolicy{Clamp, 20480 * ms, 163840 * ms}, EDRXRequest{true, 10485760 * ms, 10240 * ms}, EDRXGrant{true, 163840 * ms, 10240 * ms}},
		{"clamp up", EDRXPolicy{Clamp, 81920 * ms, 0}, EDRXRequest{true, 20480 * ms, 10240 * ms}, EDRXGrant{true, 81920 * ms, 10240 * ms}},
		// The nearest NB-S1 value of the clamped request must not overshoot.
		{"clamp below an odd max", EDRXPolicy{Clamp, 0, 150 * time.Second}, EDRXRequest{true, 200 * time.Second, 2560 * ms}, EDRXGrant{true, 81920 * ms, 2560 * ms}},
		{"clamp above an odd min", EDRXPolicy{Clamp, 30 * time.Second, 0}, EDRXRequest{true, 20480 * ms, 2560 * ms}, EDRXGrant{true, 40960 * ms, 2560 * ms}},
		{"clamp PTW at most the cycle", EDRXPolicy{Clamp, 0, 20480 * ms}, EDRXRequest{true, time.Hour, time.Minute}, EDRXGrant{true, 20480 * ms, 20480 * ms}},
		{"refuse", EDRXPolicy{Policy: Refuse}, EDRXRequest{true, 81920 * ms, 5120 * ms}, EDRXGrant{}},
		{"not requested", EDRXPolicy{}, EDRXRequest{false, 81920 * ms, 5120 * ms}, EDRXGrant{}},
	}
	for _, c := range cases {
		if got := c.pol.GrantEDRX(c.req); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestGrantEDRXProperties(t *testing.T) {
	isCycle := map[time.Duration]bool{}
	for _, c := range gpp.EDRXCyclesNB() {
		isCycle[c.Cycle] = true
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 5000; i++ {
		p := EDRXPolicy{Policy: Policy(rng.IntN(3))}
		if rng.IntN(2) == 0 {
			p.Min = gpp.EDRXCyclesNB()[rng.IntN(5)].Cycle
			p.Max = gpp.EDRXCyclesNB()[5+rng.IntN(5)].Cycle
		}
		r := EDRXRequest{Enabled: rng.IntN(4) != 0, Cycle: time.Duration(rng.Int64N(int64(4 * time.Hour))), PTW: time.Duration(rng.Int64N(int64(time.Minute)))}
		g := p.GrantEDRX(r)
		if g.Enabled != (r.Enabled && p.Policy != Refuse) {
			t.Fatalf("%+v %+v: enabled %v", p, r, g.Enabled)
		}
		if !g.Enabled {
			if g != (EDRXGrant{}) {
				t.Fatalf("%+v %+v: disabled grant %+v", p, r, g)
			}
			continue
		}
		if !isCycle[g.Cycle] {
			t.Fatalf("%+v %+v: cycle %v not an NB-S1 value", p, r, g.Cycle)
		}
		if g.PTW <= 0 || g.PTW > g.Cycle || g.PTW%gpp.PTWUnitNB != 0 || g.PTW > 16*gpp.PTWUnitNB {
			t.Fatalf("%+v %+v: PTW %v", p, r, g.PTW)
		}
		if p.Policy == Clamp && ((p.Min > 0 && g.Cycle < p.Min) || (p.Max > 0 && g.Cycle > p.Max)) {
			t.Fatalf("%+v %+v: cycle %v outside [%v, %v]", p, r, g.Cycle, p.Min, p.Max)
		}
	}
}

// timer2Value and timer3Value report whether d is a GPRS timer 2 / timer 3
// value (gpp's tests check that every value encodes to itself).
func timer2Value(d time.Duration) bool { _, v := gpp.EncodeGPRSTimer2(d); return v == d }
func timer3Value(d time.Duration) bool { _, v := gpp.EncodeGPRSTimer3(d); return v == d }
