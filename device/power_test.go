package device

import (
	"math"
	"testing"
	"time"
)

func TestStateString(t *testing.T) {
	want := map[State]string{PSM: "psm", Idle: "idle", Connected: "connected", CDRX: "cdrx", Tx: "tx", Rx: "rx", Off: "off", NumStates: "unknown", 200: "unknown"}
	for s, w := range want {
		if got := s.String(); got != w {
			t.Errorf("State(%d).String() = %q, want %q", s, got, w)
		}
	}
	if NumStates != 7 {
		t.Errorf("NumStates = %d, want 7", NumStates)
	}
}

func TestTxMW(t *testing.T) {
	p23 := math.Pow(10, 2.3) // 199.526 mW
	cases := []struct {
		name string
		p    Profile
		dbm  float64
		want float64
	}{
		{"23 dBm, η 0.45", Profile{TxBaseMW: 100, PAEfficiency: 0.45}, 23, 100 + p23/0.45},
		{"23 dBm value", Profile{TxBaseMW: 100, PAEfficiency: 0.45}, 23, 543.3917},
		{"0 dBm", Profile{TxBaseMW: 50, PAEfficiency: 0.5}, 0, 52},
		{"-40 dBm", Profile{TxBaseMW: 50, PAEfficiency: 0.25}, -40, 50 + 1e-4/0.25},
		{"14 dBm", Profile{TxBaseMW: 0, PAEfficiency: 0.2}, 14, math.Pow(10, 1.4) / 0.2},
		{"no efficiency is ideal", Profile{TxBaseMW: 100}, 23, 100 + p23},
		{"negative efficiency is ideal", Profile{TxBaseMW: 100, PAEfficiency: -1}, 23, 100 + p23},
		{"NaN efficiency is ideal", Profile{TxBaseMW: 100, PAEfficiency: math.NaN()}, 23, 100 + p23},
		{"flat at 23 dBm (TR 45.820 §5.4)", Profile{TxBaseMW: 100, PAEfficiency: 0.45, FlatTxMW: 500}, 23, 500},
		{"flat at -40 dBm", Profile{TxBaseMW: 100, PAEfficiency: 0.45, FlatTxMW: 500}, -40, 500},
		{"flat 0 is per output level", Profile{TxBaseMW: 100, PAEfficiency: 0.45, FlatTxMW: 0}, 23, 543.3917},
	}
	for _, c := range cases {
		if got := c.p.TxMW(c.dbm); math.Abs(got-c.want) > 1e-4 {
			t.Errorf("%s: TxMW = %v, want %v", c.name, got, c.want)
		}
	}
	// More output costs more.
	p := Profile{TxBaseMW: 100, PAEfficiency: 0.45}
	for d := -40.0; d < 23; d++ {
		if p.TxMW(d+1) <= p.TxMW(d) {
			t.Fatalf("TxMW not increasing at %v dBm", d)
		}
	}
}

func TestIdleMW(t *testing.T) {
	p := Profile{IdleSleepMW: 0.003, PagingOccasionMJ: 2.5}
	cases := []struct{ po, want float64 }{
		{0, 0.003},
		{1 / 1.28, 0.003 + 2.5/1.28},
		{1 / 10.24, 0.003 + 2.5/10.24},
		{2 / 20.48, 0.003 + 5/20.48},
	}
	for _, c := range cases {
		if got := p.IdleMW(c.po); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("IdleMW(%v) = %v, want %v", c.po, got, c.want)
		}
	}
}

func TestCDRXMW(t *testing.T) {
	p := Profile{ConnectedMonitorMW: 20, CDRXSleepMW: 2}
	ms := time.Millisecond
	cases := []struct {
		name      string
		on, cycle time.Duration
		want      float64
	}{
		{"10%", 256 * ms, 2560 * ms, 0.1*20 + 0.9*2},
		{"half", 1024 * ms, 2048 * ms, 11},
		{"no on-duration", 0, 2048 * ms, 2},
		{"on equals cycle", 2048 * ms, 2048 * ms, 20},
		{"on longer than cycle", 4096 * ms, 2048 * ms, 20},
		{"no cycle", 100 * ms, 0, 20},
		{"negative cycle", 100 * ms, -ms, 20},
	}
	for _, c := range cases {
		if got := p.CDRXMW(c.on, c.cycle); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: CDRXMW(%v, %v) = %v, want %v", c.name, c.on, c.cycle, got, c.want)
		}
	}
}

func TestBatteryYears(t *testing.T) {
	// 7700 mAh at 3.6 V: 7.7 Ah × 3600 s/h × 3.6 V = 99 792 J nominal.
	b := Battery{CapacityMAh: 7700, VoltageV: 3.6, SelfDischargePerYear: 0.01, UsableFraction: 0.9}
	if got := b.NominalJ(); math.Abs(got-99792) > 1e-9 {
		t.Fatalf("NominalJ = %v, want 99792", got)
	}
	// 0.5 mW: 0.0005 W × 31 557 600 s = 15 778.8 J/yr; self-discharge
	// 997.92 J/yr; usable 89 812.8 J → 89812.8 / 16776.72 years.
	want := 89812.8 / 16776.72
	if got := b.Years(0.5); math.Abs(got-want) > 1e-9 {
		t.Errorf("Years(0.5) = %v, want %v (≈5.353)", got, want)
	}
	if math.Abs(want-5.35342) > 1e-4 {
		t.Fatalf("hand value %v", want)
	}
	cases := []struct {
		name string
		b    Battery
		mw   float64
		want float64
	}{
		// Self-discharge alone: usable / (1 %/yr of nominal) = 90 years.
		{"self-discharge only", b, 0, 90},
		{"nothing drawn", Battery{CapacityMAh: 7700, VoltageV: 3.6, UsableFraction: 0.9}, 0, math.Inf(1)},
		{"negative draw", Battery{CapacityMAh: 7700, VoltageV: 3.6}, -1, math.Inf(1)},
		{"NaN draw", Battery{CapacityMAh: 7700, VoltageV: 3.6}, math.NaN(), math.Inf(1)},
		// Usable fraction unset: all of it. 1000 mAh × 3 V = 10 800 J at 1 mW.
		{"usable unset", Battery{CapacityMAh: 1000, VoltageV: 3}, 1, 10800 / (1e-3 * SecondsPerYear)},
		{"empty battery", Battery{}, 1, 0},
	}
	for _, c := range cases {
		got := c.b.Years(c.mw)
		if !(got == c.want || math.Abs(got-c.want) <= 1e-9*math.Abs(c.want)) {
			t.Errorf("%s: Years(%v) = %v, want %v", c.name, c.mw, got, c.want)
		}
	}
	// Strictly decreasing in the power drawn.
	prev := b.Years(0)
	for mw := 0.001; mw < 1000; mw *= 1.7 {
		y := b.Years(mw)
		if !(y < prev) || y <= 0 {
			t.Fatalf("Years(%v) = %v not below %v", mw, y, prev)
		}
		prev = y
	}
	if SecondsPerYear != 31557600 {
		t.Errorf("SecondsPerYear = %v", SecondsPerYear)
	}
}
