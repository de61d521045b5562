package epc

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nbsim/nbsim/gpp"
)

// representable lists every value of a timer format with its octet.
func representable(decode func(byte) (time.Duration, bool)) map[time.Duration][]byte {
	m := map[time.Duration][]byte{}
	for b := 0; b < 256; b++ {
		if v, ok := decode(byte(b)); ok {
			m[v] = append(m[v], byte(b))
		}
	}
	return m
}

var (
	timer2Values = representable(DecodeTimer2)
	timer3Values = representable(DecodeTimer3)
)

func TestDecodeTimer2(t *testing.T) {
	for b := 0; b < 256; b++ {
		v, ok := DecodeTimer2(byte(b))
		n := time.Duration(b & 0x1f)
		var want time.Duration
		switch b >> 5 {
		case 0:
			want = n * 2 * time.Second
		case 2:
			want = n * 6 * time.Minute
		case 7:
			if ok || v != 0 {
				t.Errorf("DecodeTimer2(%#02x) = %v, %v; want deactivated", b, v, ok)
			}
			continue
		default: // 001 and "other values": minutes
			want = n * time.Minute
		}
		if !ok || v != want {
			t.Errorf("DecodeTimer2(%#02x) = %v, %v; want %v", b, v, ok, want)
		}
	}
}

func TestDecodeTimer3(t *testing.T) {
	units := []time.Duration{10 * time.Minute, time.Hour, 10 * time.Hour, 2 * time.Second, 30 * time.Second, time.Minute, 320 * time.Hour}
	for b := 0; b < 256; b++ {
		v, ok := DecodeTimer3(byte(b))
		if b>>5 == 7 {
			if ok || v != 0 {
				t.Errorf("DecodeTimer3(%#02x) = %v, %v; want deactivated", b, v, ok)
			}
			continue
		}
		if want := time.Duration(b&0x1f) * units[b>>5]; !ok || v != want {
			t.Errorf("DecodeTimer3(%#02x) = %v, %v; want %v", b, v, ok, want)
		}
	}
	if _, ok := DecodeTimer3(TimerDeactivated); ok {
		t.Error("TimerDeactivated decodes as active (timer 3)")
	}
	if _, ok := DecodeTimer2(TimerDeactivated); ok {
		t.Error("TimerDeactivated decodes as active (timer 2)")
	}
	if TimerDeactivated != 0xE0 {
		t.Errorf("TimerDeactivated = %#02x", TimerDeactivated)
	}
}

func TestEncodeKnownOctets(t *testing.T) {
	cases := []struct {
		name  string
		enc   func(time.Duration) (byte, time.Duration)
		in    time.Duration
		octet int // -1: several octets stand for the value; check the value only
		value time.Duration
	}{
		{"T3324 0", EncodeT3324, 0, 0x00, 0},
		{"T3324 negative", EncodeT3324, -time.Minute, 0x00, 0},
		{"T3324 2s", EncodeT3324, 2 * time.Second, 0x01, 2 * time.Second},
		{"T3324 10s", EncodeT3324, 10 * time.Second, 0x05, 10 * time.Second},
		{"T3324 62s", EncodeT3324, 62 * time.Second, 0x1F, 62 * time.Second},
		{"T3324 1min", EncodeT3324, time.Minute, -1, time.Minute}, // 0x1E (30×2s) or 0x21 (1×1min)
		{"T3324 65s → 62s", EncodeT3324, 65 * time.Second, 0x1F, 62 * time.Second},
		{"T3324 100s → 2min", EncodeT3324, 100 * time.Second, 0x22, 2 * time.Minute},
		{"T3324 91s tie 62s/120s → 120s", EncodeT3324, 91 * time.Second, 0x22, 2 * time.Minute},
		{"T3324 7min", EncodeT3324, 7 * time.Minute, 0x27, 7 * time.Minute},
		{"T3324 3s rounds half up", EncodeT3324, 3 * time.Second, 0x02, 4 * time.Second},
		{"T3324 95s rounds to 2min", EncodeT3324, 95 * time.Second, 0x22, 2 * time.Minute},
		{"T3324 31min", EncodeT3324, 31 * time.Minute, 0x3F, 31 * time.Minute},
		{"T3324 1h", EncodeT3324, time.Hour, 0x4A, time.Hour},
		{"T3324 186min max", EncodeT3324, 186 * time.Minute, 0x5F, MaxT3324},
		{"T3324 beyond range", EncodeT3324, 10 * time.Hour, 0x5F, MaxT3324},
		{"T3324 far beyond range", EncodeT3324, 1 << 62, 0x5F, MaxT3324},
		// Between ranges the nearest value may be the top of a smaller unit.
		{"T3324 63s → 62s", EncodeT3324, 63 * time.Second, 0x1F, 62 * time.Second},
		{"T3324 33min → 31min", EncodeT3324, 33 * time.Minute, 0x3F, 31 * time.Minute},
		{"T3324 34min → 36min", EncodeT3324, 34 * time.Minute, 0x46, 36 * time.Minute},

		{"T3412 0", EncodeT3412, 0, -1, 0},
		{"T3412 24h", EncodeT3412, 24 * time.Hour, 0x38, 24 * time.Hour},
		{"T3412 2s", EncodeT3412, 2 * time.Second, 0x61, 2 * time.Second},
		{"T3412 90s", EncodeT3412, 90 * time.Second, -1, 90 * time.Second},
		{"T3412 15min", EncodeT3412, 15 * time.Minute, -1, 15 * time.Minute},
		{"T3412 11h", EncodeT3412, 11 * time.Hour, 0x2B, 11 * time.Hour},
		{"T3412 310h", EncodeT3412, 310 * time.Hour, 0x5F, 310 * time.Hour},
		{"T3412 320h", EncodeT3412, 320 * time.Hour, 0xC1, 320 * time.Hour},
		{"T3412 max", EncodeT3412, MaxT3412, 0xDF, MaxT3412},
		{"T3412 beyond range", EncodeT3412, 20000 * time.Hour, 0xDF, MaxT3412},
		{"T3412 54min → 50min", EncodeT3412, 54 * time.Minute, 0x05, 50 * time.Minute},
		{"T3412 35h → 31h", EncodeT3412, 35 * time.Hour, 0x3F, 31 * time.Hour},
		{"T3412 36h → 40h", EncodeT3412, 36 * time.Hour, 0x44, 40 * time.Hour},
		{"T3412 1000h → 960h", EncodeT3412, 1000 * time.Hour, 0xC3, 960 * time.Hour},
	}
	for _, c := range cases {
		b, v := c.enc(c.in)
		if v != c.value || (c.octet >= 0 && b != byte(c.octet)) {
			t.Errorf("%s: (%#02x, %v), want (%#02x, %v)", c.name, b, v, c.octet, c.value)
		}
	}
}

// checkNearest verifies that the encoding of d decodes to the returned
// value and that no representable value is closer to d.
func checkNearest(t *testing.T, name string, d time.Duration, enc func(time.Duration) (byte, time.Duration),
	dec func(byte) (time.Duration, bool), values map[time.Duration][]byte) {
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
		checkNearest(t, "EncodeT3324", d, EncodeT3324, DecodeTimer2, timer2Values)
		checkNearest(t, "EncodeT3412", d, EncodeT3412, DecodeTimer3, timer3Values)
	}
	// Every representable value encodes to itself.
	for v := range timer2Values {
		if _, got := EncodeT3324(v); got != v {
			t.Errorf("EncodeT3324(%v) = %v, want itself", v, got)
		}
	}
	for v := range timer3Values {
		if _, got := EncodeT3412(v); got != v {
			t.Errorf("EncodeT3412(%v) = %v, want itself", v, got)
		}
	}
}

func FuzzEncodeTimer(f *testing.F) {
	for _, d := range []int64{0, -1, 1, int64(time.Minute), int64(33 * time.Minute), int64(35 * time.Hour), 1 << 62, -1 << 63, 1<<63 - 1} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, d int64) {
		checkNearest(t, "EncodeT3324", time.Duration(d), EncodeT3324, DecodeTimer2, timer2Values)
		checkNearest(t, "EncodeT3412", time.Duration(d), EncodeT3412, DecodeTimer3, timer3Values)
	})
}

func TestEDRXTables(t *testing.T) {
	wantCodes := []byte{2, 3, 5, 9, 10, 11, 12, 13, 14, 15}
	wantMs := []int64{20480, 40960, 81920, 163840, 327680, 655360, 1310720, 2621440, 5242880, 10485760}
	if len(gpp.EDRXCyclesNB()) != len(wantCodes) {
		t.Fatalf("%d NB-S1 eDRX cycles, want %d", len(gpp.EDRXCyclesNB()), len(wantCodes))
	}
	for i, c := range gpp.EDRXCyclesNB() {
		if c.Code != wantCodes[i] || c.Cycle != time.Duration(wantMs[i])*time.Millisecond {
			t.Errorf("cycle %d = code %d %v, want code %d %dms", i, c.Code, c.Cycle, wantCodes[i], wantMs[i])
		}
	}
	if PTWUnitNB != 2560*time.Millisecond {
		t.Errorf("PTWUnitNB = %v", PTWUnitNB)
	}
}

func TestNearestEDRX(t *testing.T) {
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
		if got := NearestEDRX(c.in); got != c.want {
			t.Errorf("NearestEDRX(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestNearestPTW(t *testing.T) {
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
		if got := NearestPTW(c.in); got != c.want {
			t.Errorf("NearestPTW(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
