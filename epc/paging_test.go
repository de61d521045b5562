package epc

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestUEIDOffset(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		id   uint64
		drx  time.Duration
		want time.Duration
	}{
		{0, 1280 * ms, 0},
		{5, 1280 * ms, 50 * ms},
		{127, 1280 * ms, 1270 * ms},
		{128, 1280 * ms, 0},
		{200, 1280 * ms, 720 * ms},
		{4096 + 5, 1280 * ms, 50 * ms}, // UE_ID = IMSI mod 4096
		{4095, 10240 * ms, 10230 * ms},
		{4096 + 1023, 10240 * ms, 10230 * ms},
		{7, 5 * ms, 0}, // shorter than a frame
		{7, 0, 0},
		{7, -time.Second, 0},
	}
	for _, c := range cases {
		if got := UEIDOffset(c.id, c.drx); got != c.want {
			t.Errorf("UEIDOffset(%d, %v) = %v, want %v", c.id, c.drx, got, c.want)
		}
	}
	for _, drx := range []time.Duration{1280 * ms, 2560 * ms, 5120 * ms, 10240 * ms} {
		for id := uint64(0); id < 10000; id += 13 {
			o := UEIDOffset(id, drx)
			if o < 0 || o >= drx || o%(10*ms) != 0 {
				t.Fatalf("UEIDOffset(%d, %v) = %v: want a multiple of 10ms in [0, DRX)", id, drx, o)
			}
		}
	}
}

func TestNextPODRX(t *testing.T) {
	ms := int64(time.Millisecond)
	r := Reach{DRX: 1280 * time.Millisecond, Offset: 300 * time.Millisecond}
	cases := []struct{ t, want int64 }{
		{-5 * ms, 300 * ms},
		{0, 300 * ms},
		{300 * ms, 300 * ms},
		{300*ms + 1, 1580 * ms},
		{1580 * ms, 1580 * ms},
		{1000 * 1280 * ms, 1000*1280*ms + 300*ms},
	}
	for _, c := range cases {
		if got := r.NextPO(c.t); got != c.want {
			t.Errorf("NextPO(%d) = %d, want %d", c.t, got, c.want)
		}
	}
	// An offset beyond the cycle wraps.
	if got := (Reach{DRX: 1280 * time.Millisecond, Offset: 1580 * time.Millisecond}).NextPO(0); got != 300*ms {
		t.Errorf("wrapped offset: %d", got)
	}
	// No DRX: reachable at once.
	if got := (Reach{}).NextPO(12345); got != 12345 {
		t.Errorf("no DRX: %d", got)
	}
	// Property: offset + k·DRX, at or after t, before t + DRX.
	for _, drx := range []time.Duration{1280 * time.Millisecond, 2560 * time.Millisecond, 10240 * time.Millisecond} {
		for id := uint64(0); id < 300; id += 7 {
			r := Reach{DRX: drx, Offset: UEIDOffset(id, drx)}
			for tt := int64(0); tt < 40*int64(time.Second); tt += 333 * ms {
				po := r.NextPO(tt)
				if po < tt || po >= tt+int64(drx) || (po-int64(r.Offset))%int64(drx) != 0 {
					t.Fatalf("DRX %v offset %v: NextPO(%d) = %d", drx, r.Offset, tt, po)
				}
			}
		}
	}
}

// isPO reports whether x is a paging occasion of r (brute force over the
// definitions: a DRX occasion inside some paging time window).
func isPO(r Reach, x int64) bool {
	drx, off := int64(r.DRX), int64(r.Offset)%int64(r.DRX)
	if (x-off)%drx != 0 {
		return false
	}
	if r.EDRX <= 0 {
		return true
	}
	cyc, ph, ptw := int64(r.EDRX), int64(r.EDRXOffset)%int64(r.EDRX), int64(r.PTW)
	if ptw <= 0 || ptw > cyc {
		ptw = cyc
	}
	pos := ((x-ph)%cyc + cyc) % cyc // position in the window's cycle
	return pos < ptw
}

func TestNextPOEDRX(t *testing.T) {
	ms := time.Millisecond
	const step = 10 * int64(time.Millisecond)
	cases := []Reach{
		{DRX: 1280 * ms, Offset: 300 * ms, EDRX: 20480 * ms, PTW: 2560 * ms},
		{DRX: 2560 * ms, Offset: 50 * ms, EDRX: 81920 * ms, PTW: 10240 * ms, EDRXOffset: 30720 * ms},
		{DRX: 1280 * ms, Offset: 0, EDRX: 40960 * ms, PTW: 40960 * ms, EDRXOffset: 10240 * ms},
		// The window of the PH at 30.72 s runs past the end of the 40.96 s
		// cycle: it also covers [0, 10.24 s) of the first cycle.
		{DRX: 1280 * ms, Offset: 70 * ms, EDRX: 40960 * ms, PTW: 20480 * ms, EDRXOffset: 30720 * ms},
		{DRX: 2560 * ms, Offset: 1000 * ms, EDRX: 20480 * ms, PTW: 20480 * ms, EDRXOffset: 10240 * ms},
		{DRX: 10240 * ms, Offset: 10230 * ms, EDRX: 163840 * ms, PTW: 40960 * ms, EDRXOffset: 153600 * ms},
	}
	for i, r := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			horizon := 3 * int64(r.EDRX)
			// Walk the timeline in 10 ms frames and compare with brute force.
			want := int64(-1)
			for x := horizon + int64(r.EDRX); x >= 0; x -= step {
				if isPO(r, x) {
					want = x
				}
				if x > horizon {
					continue
				}
				if got := r.NextPO(x); got != want {
					t.Fatalf("%+v: NextPO(%v) = %v, want %v", r, time.Duration(x), time.Duration(got), time.Duration(want))
				}
				if x%(7*step) == 0 && x > 0 { // between frames as well
					if got := r.NextPO(x - 1); got != (map[bool]int64{true: x, false: want})[isPO(r, x)] {
						t.Fatalf("%+v: NextPO(%v) = %v", r, time.Duration(x-1), time.Duration(got))
					}
				}
			}
		})
	}
}

func TestPagingOccasionsPerSecond(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		r    Reach
		want float64
	}{
		{Reach{}, 0},
		{Reach{DRX: 1280 * ms}, 1 / 1.28},
		{Reach{DRX: 10240 * ms, Offset: 500 * ms}, 1 / 10.24},
		{Reach{DRX: 1280 * ms, EDRX: 20480 * ms, PTW: 2560 * ms}, 2 / 20.48},
		{Reach{DRX: 2560 * ms, EDRX: 81920 * ms, PTW: 10240 * ms}, 4 / 81.92},
		{Reach{DRX: 1280 * ms, EDRX: 20480 * ms}, 16 / 20.48},                  // no PTW: the whole cycle
		{Reach{DRX: 1280 * ms, EDRX: 20480 * ms, PTW: 40960 * ms}, 16 / 20.48}, // PTW capped at the cycle
		{Reach{DRX: 10240 * ms, EDRX: 20480 * ms, PTW: 2560 * ms}, 1 / 20.48},  // at least one PO a window
		{Reach{DRX: 2560 * ms, EDRX: 163840 * ms, PTW: 7680 * ms}, 3 / 163.84}, // PTW/DRX
	}
	for _, c := range cases {
		if got := c.r.PagingOccasionsPerSecond(); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%+v: %v, want %v", c.r, got, c.want)
		}
	}
	// The rate matches the occasions NextPO produces (aligned windows).
	for _, r := range []Reach{
		{DRX: 1280 * ms, Offset: 640 * ms},
		{DRX: 1280 * ms, Offset: 640 * ms, EDRX: 20480 * ms, PTW: 5120 * ms, EDRXOffset: 10240 * ms},
		{DRX: 2560 * ms, Offset: 10 * ms, EDRX: 327680 * ms, PTW: 40960 * ms, EDRXOffset: 163840 * ms},
		{DRX: 5120 * ms, Offset: 2000 * ms, EDRX: 81920 * ms, PTW: 10240 * ms},
	} {
		horizon := 20 * int64(max(r.EDRX, r.DRX))
		n := 0
		for po := r.NextPO(0); po < horizon; po = r.NextPO(po + 1) {
			n++
		}
		if got, want := float64(n)/(float64(horizon)/1e9), r.PagingOccasionsPerSecond(); math.Abs(got-want) > 1e-9 {
			t.Errorf("%+v: %d occasions in %v = %v/s, formula %v/s", r, n, time.Duration(horizon), got, want)
		}
	}
}
