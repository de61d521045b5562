package gpp

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// representable lists every value of a timer format with its octet.
func representable(decode func(uint8) (time.Duration, bool)) map[time.Duration][]uint8 {
	m := map[time.Duration][]uint8{}
	for b := 0; b < 256; b++ {
		if v, ok := decode(uint8(b)); ok {
			m[v] = append(m[v], uint8(b))
		}
	}
	return m
}

var (
	timer2Values = representable(GPRSTimerDuration)
	timer3Values = representable(GPRSTimer3Duration)
)

func TestGPRSTimerDurationEveryOctet(t *testing.T) {
	for b := 0; b < 256; b++ {
		v, ok := GPRSTimerDuration(uint8(b))
		n := time.Duration(b & 0x1f)
		var want time.Duration
		switch b >> 5 {
		case 0:
			want = n * 2 * time.Second
		case 2:
			want = n * 6 * time.Minute
		case 7:
			if ok || v != 0 {
				t.Errorf("GPRSTimerDuration(%#02x) = %v, %v; want deactivated", b, v, ok)
			}
			continue
		default: // 001 and "other values": minutes
			want = n * time.Minute
		}
		if !ok || v != want {
			t.Errorf("GPRSTimerDuration(%#02x) = %v, %v; want %v", b, v, ok, want)
		}
	}
}

func TestGPRSTimer3DurationEveryOctet(t *testing.T) {
	units := []time.Duration{10 * time.Minute, time.Hour, 10 * time.Hour, 2 * time.Second, 30 * time.Second, time.Minute, 320 * time.Hour}
	for b := 0; b < 256; b++ {
		v, ok := GPRSTimer3Duration(uint8(b))
		if b>>5 == 7 {
			if ok || v != 0 {
				t.Errorf("GPRSTimer3Duration(%#02x) = %v, %v; want deactivated", b, v, ok)
			}
			continue
		}
		if want := time.Duration(b&0x1f) * units[b>>5]; !ok || v != want {
			t.Errorf("GPRSTimer3Duration(%#02x) = %v, %v; want %v", b, v, ok, want)
		}
	}
	if _, ok := GPRSTimer3Duration(TimerDeactivated); ok {
		t.Error("TimerDeactivated decodes as active (timer 3)")
	}
	if _, ok := GPRSTimerDuration(TimerDeactivated); ok {
		t.Error("TimerDeactivated decodes as active (timer 2)")
	}
	if TimerDeactivated != 0xE0 {
		t.Errorf("TimerDeactivated = %#02x", TimerDeactivated)
	}
}

func TestEncodeKnownOctets(t *testing.T) {
	cases := []struct {
		name  string
		enc   func(time.Duration) (uint8, time.Duration)
		in    time.Duration
		octet int // -1: several octets stand for the value; check the value only
		value time.Duration
	}{
		{"T3324 0", EncodeGPRSTimer2, 0, 0x00, 0},
		{"T3324 negative", EncodeGPRSTimer2, -time.Minute, 0x00, 0},
		{"T3324 2s", EncodeGPRSTimer2, 2 * time.Second, 0x01, 2 * time.Second},
		{"T3324 10s", EncodeGPRSTimer2, 10 * time.Second, 0x05, 10 * time.Second},
		{"T3324 62s", EncodeGPRSTimer2, 62 * time.Second, 0x1F, 62 * time.Second},
		{"T3324 1min", EncodeGPRSTimer2, time.Minute, -1, time.Minute}, // 0x1E (30×2s) or 0x21 (1×1min)
		{"T3324 65s → 62s", EncodeGPRSTimer2, 65 * time.Second, 0x1F, 62 * time.Second},
		{"T3324 100s → 2min", EncodeGPRSTimer2, 100 * time.Second, 0x22, 2 * time.Minute},
		{"T3324 91s tie 62s/120s → 120s", EncodeGPRSTimer2, 91 * time.Second, 0x22, 2 * time.Minute},
		{"T3324 7min", EncodeGPRSTimer2, 7 * time.Minute, 0x27, 7 * time.Minute},
		{"T3324 3s rounds half up", EncodeGPRSTimer2, 3 * time.Second, 0x02, 4 * time.Second},
		{"T3324 95s rounds to 2min", EncodeGPRSTimer2, 95 * time.Second, 0x22, 2 * time.Minute},
		{"T3324 31min", EncodeGPRSTimer2, 31 * time.Minute, 0x3F, 31 * time.Minute},
		{"T3324 1h", EncodeGPRSTimer2, time.Hour, 0x4A, time.Hour},
		{"T3324 186min max", EncodeGPRSTimer2, 186 * time.Minute, 0x5F, GPRSTimer2Max},
		{"T3324 beyond range", EncodeGPRSTimer2, 10 * time.Hour, 0x5F, GPRSTimer2Max},
		{"T3324 far beyond range", EncodeGPRSTimer2, 1 << 62, 0x5F, GPRSTimer2Max},
		// Between ranges the nearest value may be the top of a smaller unit.
		{"T3324 63s → 62s", EncodeGPRSTimer2, 63 * time.Second, 0x1F, 62 * time.Second},
		{"T3324 33min → 31min", EncodeGPRSTimer2, 33 * time.Minute, 0x3F, 31 * time.Minute},
		{"T3324 34min → 36min", EncodeGPRSTimer2, 34 * time.Minute, 0x46, 36 * time.Minute},

		{"T3412 0", EncodeGPRSTimer3, 0, -1, 0},
		{"T3412 24h", EncodeGPRSTimer3, 24 * time.Hour, 0x38, 24 * time.Hour},
		{"T3412 2s", EncodeGPRSTimer3, 2 * time.Second, 0x61, 2 * time.Second},
		{"T3412 90s", EncodeGPRSTimer3, 90 * time.Second, -1, 90 * time.Second},
		{"T3412 15min", EncodeGPRSTimer3, 15 * time.Minute, -1, 15 * time.Minute},
		{"T3412 11h", EncodeGPRSTimer3, 11 * time.Hour, 0x2B, 11 * time.Hour},
		{"T3412 310h", EncodeGPRSTimer3, 310 * time.Hour, 0x5F, 310 * time.Hour},
		{"T3412 320h", EncodeGPRSTimer3, 320 * time.Hour, 0xC1, 320 * time.Hour},
		{"T3412 max", EncodeGPRSTimer3, GPRSTimer3Max, 0xDF, GPRSTimer3Max},
		{"T3412 beyond range", EncodeGPRSTimer3, 20000 * time.Hour, 0xDF, GPRSTimer3Max},
		{"T3412 54min → 50min", EncodeGPRSTimer3, 54 * time.Minute, 0x05, 50 * time.Minute},
		{"T3412 35h → 31h", EncodeGPRSTimer3, 35 * time.Hour, 0x3F, 31 * time.Hour},
		{"T3412 36h → 40h", EncodeGPRSTimer3, 36 * time.Hour, 0x44, 40 * time.Hour},
		{"T3412 1000h → 960h", EncodeGPRSTimer3, 1000 * time.Hour, 0xC3, 960 * time.Hour},
	}
	for _, c := range cases {
		b, v := c.enc(c.in)
		if v != c.value || (c.octet >= 0 && b != uint8(c.octet)) {
			t.Errorf("%s: (%#02x, %v), want (%#02x, %v)", c.name, b, v, c.octet, c.value)
		}
	}
}

// checkNearest verifies that the encoding of d decodes to the returned
// value and that no representable value is closer to d.
func checkNearest(t *testing.T, name string, d time.Duration, enc func(time.Duration) (uint8, time.Duration),
	dec func(uint8) (time.Duration, bool), values map[time.Duration][]uint8) {
	t.Helper()
	b, v := enc(d)
	got, ok := dec(b)
	if !ok || got != v {
		t.Fatalf("%s(%v) = (%#02x, %v) but the octet decodes to %v, %v", name, d, b, v, got, ok)
	}
	dd := max(d, 0)
	for r := range values {
		if absDur(r-dd) < absDur(v-dd) {
			t.Fatalf("%s(%v) = %v, but %v is closer", name, d, v, r)
		}
	}
}

func TestEncodeNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		// log-uniform from 1 ms to ~20000 h
		d := time.Duration(float64(time.Millisecond) * math.Pow(10, rng.Float64()*10.9))
		checkNearest(t, "EncodeGPRSTimer2", d, EncodeGPRSTimer2, GPRSTimerDuration, timer2Values)
		checkNearest(t, "EncodeGPRSTimer3", d, EncodeGPRSTimer3, GPRSTimer3Duration, timer3Values)
	}
	// Every representable value encodes to itself.
	for v := range timer2Values {
		if _, got := EncodeGPRSTimer2(v); got != v {
			t.Errorf("EncodeGPRSTimer2(%v) = %v, want itself", v, got)
		}
	}
	for v := range timer3Values {
		if _, got := EncodeGPRSTimer3(v); got != v {
			t.Errorf("EncodeGPRSTimer3(%v) = %v, want itself", v, got)
		}
	}
}

func FuzzEncodeTimer(f *testing.F) {
	for _, d := range []int64{0, -1, 1, int64(time.Minute), int64(33 * time.Minute), int64(35 * time.Hour), 1 << 62, -1 << 63, 1<<63 - 1} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, d int64) {
		checkNearest(t, "EncodeGPRSTimer2", time.Duration(d), EncodeGPRSTimer2, GPRSTimerDuration, timer2Values)
		checkNearest(t, "EncodeGPRSTimer3", time.Duration(d), EncodeGPRSTimer3, GPRSTimer3Duration, timer3Values)
	})
}

func TestEDRXTables(t *testing.T) {
	wantCodes := []uint8{2, 3, 5, 9, 10, 11, 12, 13, 14, 15}
	wantMs := []int64{20480, 40960, 81920, 163840, 327680, 655360, 1310720, 2621440, 5242880, 10485760}
	if len(EDRXCyclesNB()) != len(wantCodes) {
		t.Fatalf("%d NB-S1 eDRX cycles, want %d", len(EDRXCyclesNB()), len(wantCodes))
	}
	for i, c := range EDRXCyclesNB() {
		if c.Code != wantCodes[i] || c.Cycle != time.Duration(wantMs[i])*time.Millisecond {
			t.Errorf("cycle %d = code %d %v, want code %d %dms", i, c.Code, c.Cycle, wantCodes[i], wantMs[i])
		}
	}
	if PTWUnitNB != 2560*time.Millisecond {
		t.Errorf("PTWUnitNB = %v", PTWUnitNB)
	}
}

func TestNearestEDRXNB(t *testing.T) {
	ms := time.Millisecond
	cases := []struct{ in, want time.Duration }{
		{0, 20480 * ms},
		{-time.Hour, 20480 * ms},
		{20480 * ms, 20480 * ms},
		{30 * time.Second, 20480 * ms},
		{30720 * ms, 20480 * ms}, // tie: the shorter
		{30721 * ms, 40960 * ms},
		{60 * time.Second, 40960 * ms},
		{122880 * ms, 81920 * ms}, // tie
		{time.Hour, 2621440 * ms},
		{10485760 * ms, 10485760 * ms},
		{100 * time.Hour, 10485760 * ms},
	}
	for _, c := range cases {
		if got := NearestEDRXNB(c.in); got != c.want {
			t.Errorf("NearestEDRXNB(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestNearestPTWNB(t *testing.T) {
	ms := time.Millisecond
	cases := []struct{ in, want time.Duration }{
		{0, 2560 * ms},
		{-time.Second, 2560 * ms},
		{time.Second, 2560 * ms},
		{2560 * ms, 2560 * ms},
		{5 * time.Second, 5120 * ms},
		{6 * time.Second, 5120 * ms},
		{6500 * ms, 7680 * ms},
		{40960 * ms, 40960 * ms},
		{time.Minute, 40960 * ms},
	}
	for _, c := range cases {
		if got := NearestPTWNB(c.in); got != c.want {
			t.Errorf("NearestPTWNB(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
