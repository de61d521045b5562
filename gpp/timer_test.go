package gpp

import (
	"testing"
	"time"
)

func TestGPRSTimerDuration(t *testing.T) {
	for _, c := range []struct {
		b      uint8
		t2, t3 time.Duration
		ok     bool
	}{
		{0x00, 0, 0, true}, // zero in either: a zero timer
		{0x05, 10 * time.Second, 50 * time.Minute, true}, // unit 000
		{0x21, time.Minute, time.Hour, true},             // unit 001
		{0x49, 54 * time.Minute, 90 * time.Hour, true},   // 010: 9 decihours (T3412 default) / 9 × 10 h
		{0x5f, GPRSTimer2Max, 310 * time.Hour, true},     // 31 decihours
		{0x6a, 10 * time.Minute, 20 * time.Second, true}, // 011: "1 minute" in timer 2; 2 s in timer 3
		{0x81, time.Minute, 30 * time.Second, true},      // 100
		{0xa3, 3 * time.Minute, 3 * time.Minute, true},   // 101
		{0xc2, 2 * time.Minute, 640 * time.Hour, true},   // 110
		{0xdf, 31 * time.Minute, GPRSTimer3Max, true},    // 110, 31
		{TimerDeactivated, 0, 0, false},                  // 111 00000
		{0xe5, 0, 0, false},                              // 111 with any value: deactivated
		{0xff, 0, 0, false},
	} {
		d2, ok2 := GPRSTimerDuration(c.b)
		d3, ok3 := GPRSTimer3Duration(c.b)
		if d2 != c.t2 || d3 != c.t3 || ok2 != c.ok || ok3 != c.ok {
			t.Errorf("%#02x: timer 2 %v %v, timer 3 %v %v; want %v, %v, %v", c.b, d2, ok2, d3, ok3, c.t2, c.t3, c.ok)
		}
	}
	if GPRSTimer2Max != 186*time.Minute || GPRSTimer3Max != 9920*time.Hour {
		t.Errorf("maxima %v %v", GPRSTimer2Max, GPRSTimer3Max)
	}
}

// Every octet of every defined unit round-trips through the nearest search
// to an octet of the same value.
func TestNearestGPRSTimer(t *testing.T) {
	for _, f := range []struct {
		name    string
		nearest func(d, lo, hi time.Duration) (uint8, time.Duration, bool)
		dur     func(uint8) (time.Duration, bool)
		units   []TimerUnit
	}{
		{"timer 2", NearestGPRSTimer2, GPRSTimerDuration, func() []TimerUnit { u := GPRSTimerUnits(); return u[:] }()},
		{"timer 3", NearestGPRSTimer3, GPRSTimer3Duration, func() []TimerUnit { u := GPRSTimer3Units(); return u[:] }()},
	} {
		for _, u := range f.units {
			for n := range uint8(32) {
				want, _ := f.dur(u.Code<<5 | n)
				b, v, ok := f.nearest(want, 0, 0)
				if got, _ := f.dur(b); !ok || v != want || got != want {
					t.Errorf("%s %v: octet %#02x value %v (%v)", f.name, want, b, v, got)
				}
			}
		}
	}
	for _, c := range []struct {
		name      string
		f         func(d, lo, hi time.Duration) (uint8, time.Duration, bool)
		d, lo, hi time.Duration
		b         uint8
		v         time.Duration
		ok        bool
	}{
		{"33 min is 31 min, not 6 decihours", NearestGPRSTimer2, 33 * time.Minute, 0, 0, 0x3f, 31 * time.Minute, true},
		{"60 s: 30 × 2 s, the shortest unit", NearestGPRSTimer2, time.Minute, 0, 0, 0x1e, time.Minute, true},
		{"beyond the range: the largest", NearestGPRSTimer2, 10 * time.Hour, 0, 0, 0x5f, GPRSTimer2Max, true},
		{"negative: zero", NearestGPRSTimer2, -time.Second, 0, 0, 0x00, 0, true},
		{"in [10 min, 20 min]", NearestGPRSTimer2, time.Minute, 10 * time.Minute, 20 * time.Minute, 0x2a, 10 * time.Minute, true},
		{"empty range", NearestGPRSTimer2, time.Minute, 187 * time.Minute, 190 * time.Minute, 0, 0, false},
		{"54 min is no timer 3 value: 5 × 10 min", NearestGPRSTimer3, 54 * time.Minute, 0, 0, 0x05, 50 * time.Minute, true},
		{"timer 3 largest", NearestGPRSTimer3, 20000 * time.Hour, 0, 0, 0xdf, GPRSTimer3Max, true},
	} {
		b, v, ok := c.f(c.d, c.lo, c.hi)
		if b != c.b || v != c.v || ok != c.ok {
			t.Errorf("%s: %#02x %v %v; want %#02x %v %v", c.name, b, v, ok, c.b, c.v, c.ok)
		}
	}
}

func TestEDRXNB(t *testing.T) {
	want := map[uint8]time.Duration{2: 20480 * time.Millisecond, 3: 40960 * time.Millisecond,
		5: 81920 * time.Millisecond, 9: 163840 * time.Millisecond, 10: 327680 * time.Millisecond,
		11: 655360 * time.Millisecond, 12: 1310720 * time.Millisecond, 13: 2621440 * time.Millisecond,
		14: 5242880 * time.Millisecond, 15: 10485760 * time.Millisecond}
	for code := range uint8(16) {
		c, ok := EDRXCycleNB(code)
		if w, defined := want[code]; c != w || ok != defined {
			t.Errorf("eDRX code %d: %v %v; want %v %v", code, c, ok, w, defined)
		}
	}
	cycles := EDRXCyclesNB()
	for i, c := range cycles {
		if want[c.Code] != c.Cycle || (i > 0 && c.Cycle <= cycles[i-1].Cycle) {
			t.Errorf("cycle %d: %+v", i, c)
		}
		if hf := c.Cycle / (10240 * time.Millisecond); c.Cycle%(10240*time.Millisecond) != 0 || hf&(hf-1) != 0 {
			t.Errorf("cycle %v is not a power-of-two number of hyperframes (TS 36.304 §7.3)", c.Cycle)
		}
	}
	if PTWNB(0) != 2560*time.Millisecond || PTWNB(15) != PTWMaxNB || PTWMaxNB != 40960*time.Millisecond || PTWNB(0x1f) != PTWMaxNB {
		t.Errorf("PTW %v %v %v", PTWNB(0), PTWNB(15), PTWNB(0x1f))
	}
	if p := PTWsNB(); len(p) != 16 || p[0] != PTWUnitNB || p[15] != PTWMaxNB {
		t.Errorf("PTWsNB %v", p)
	}
}
