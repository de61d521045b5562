package phy

import (
	"math"
	"testing"
	"time"
)

func TestPreambleDuration(t *testing.T) {
	ms := func(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }
	cases := []struct {
		format, reps int
		want         time.Duration
	}{
		{0, 1, ms(5.6)}, {1, 1, ms(6.4)}, {0, 8, ms(44.8)}, {1, 32, ms(204.8)},
		{0, 64, ms(358.4)},                            // no gap after the last repetition
		{0, 65, ms(65*5.6 + 40)},                      // 40 ms gap after 64 repetitions
		{0, 128, ms(128*5.6 + 40)},                    // 756.8 ms
		{1, 128, ms(128*6.4 + 40)},                    // 859.2 ms
		{2, 1, 0}, {-1, 8, 0}, {0, 0, 0}, {0, 129, 0}, // invalid
	}
	for _, c := range cases {
		if got := PreambleDuration(c.format, c.reps); got != c.want {
			t.Errorf("PreambleDuration(%d, %d) = %v; want %v", c.format, c.reps, got, c.want)
		}
	}
	pf, err := NPRACHPreamble(1)
	if err != nil || pf.SymbolGroup != 1600*time.Microsecond || pf.CP != 266667*time.Nanosecond {
		t.Errorf("NPRACHPreamble(1) = %+v, %v", pf, err)
	}
	if _, err := NPRACHPreamble(2); err == nil {
		t.Error("NPRACHPreamble(2): want error")
	}
}

func TestPreambleDetectAnchors(t *testing.T) {
	table := NPRACHAnchorTable()
	if len(table) != len(NPRACHRepetitions) {
		t.Fatalf("anchor table has %d rows", len(table))
	}
	spec := 0
	for _, a := range table {
		if p := PreambleDetectProb(a.RequiredSNRdB, a.Reps); !approx(p, 0.99, 1e-9) {
			t.Errorf("P_d at anchor (%d reps, %.2f dB) = %v; want 0.99", a.Reps, a.RequiredSNRdB, p)
		}
		if a.FromSpec {
			spec++
			if a.Reps != 8 || a.RequiredSNRdB != 6.7 {
				t.Errorf("published anchor = %+v; want 8 reps at 6.7 dB", a)
			}
		}
	}
	if spec != 1 {
		t.Errorf("%d anchors marked as published; want 1", spec)
	}
	// Each doubling of repetitions lowers the requirement by 3.01 − 1.0 dB.
	if d := NPRACHRequiredSNRdB(16) - NPRACHRequiredSNRdB(32); !approx(d, 10*math.Log10(2)-NPRACHCombLossDbPerDoubling, 1e-9) {
		t.Errorf("gain per doubling = %v", d)
	}
	// The S-curve: 5 dB below the anchor the miss rate is ~10×.
	if p := PreambleDetectProb(6.7-5, 8); p < 0.85 || p > 0.92 {
		t.Errorf("P_d 5 dB below the anchor = %v", p)
	}
}

func TestPreambleDetectMonotonic(t *testing.T) {
	for _, r := range NPRACHRepetitions {
		prev := -1.0
		for snr := -40.0; snr <= 40; snr += 0.5 {
			p := PreambleDetectProb(snr, r)
			if p < prev || p < 0 || p > 1 {
				t.Fatalf("P_d(%v dB, %d reps) = %v after %v", snr, r, p, prev)
			}
			prev = p
		}
	}
	for snr := -20.0; snr <= 20; snr += 1 {
		prev := -1.0
		for _, r := range NPRACHRepetitions {
			p := PreambleDetectProb(snr, r)
			if p < prev {
				t.Fatalf("P_d(%v dB) decreases from %v to %v at %d reps", snr, prev, p, r)
			}
			prev = p
		}
	}
	if PreambleDetectProb(0, 0) != 0 || PreambleDetectProb(math.NaN(), 8) > 1e-12 {
		t.Error("0 reps or NaN SNR should give (about) 0")
	}
	if p := PreambleDetectProb(math.Inf(1), 1); p != 1 {
		t.Errorf("P_d(+Inf) = %v", p)
	}
	for _, x := range specials {
		for _, r := range []int{-5, 0, 1, 3, 128, 1 << 30} {
			if p := PreambleDetectProb(x, r); !finite(p) || p < 0 || p > 1 {
				t.Errorf("PreambleDetectProb(%v, %d) = %v", x, r, p)
			}
		}
	}
	// At the NB-IoT MCL (NPRACH SNR −5.7 dB with a 3 dB NF) 128 repetitions
	// should detect most preambles.
	if p := PreambleDetectProb(ULSNRdB(23, MaxCouplingLossDb, NPRACHBandwidthHz, 3, 0), 128); p < 0.9 {
		t.Errorf("P_d at MCL with 128 reps = %v", p)
	}
}

// The tables behind PreambleDetectProb and PreambleReceivedTargetPowerDbm
// give the bits the formulas give.
func TestNPRACHTablesSameBits(t *testing.T) {
	for reps := 1; reps <= 4096; reps++ {
		s50 := NPRACHRequiredSNRdB(reps) - NPRACHSlopeDb*math.Log(PreambleRequiredDetectProb/(1-PreambleRequiredDetectProb))
		for _, snr := range []float64{-20, -7.3, 0, 4.4, 6.7, 30} {
			want := 1 / (1 + Exp(-(snr-s50)/NPRACHSlopeDb)) // PreambleDetectProb's own exponential
			if got := PreambleDetectProb(snr, reps); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("PreambleDetectProb(%v, %d) = %v, formula %v", snr, reps, got, want)
			}
		}
		if got, want := dbOfInt(reps), 10*math.Log10(float64(reps)); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("dbOfInt(%d) = %v, want %v", reps, got, want)
		}
	}
	if got := PreambleDetectProb(NPRACHRequiredSNRdB(8), 8); math.Abs(got-0.99) > 1e-12 {
		t.Errorf("P_d at the required SNR of 8 repetitions = %v, want 0.99", got)
	}
}
