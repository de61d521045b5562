package phy

import (
	"math"
	"testing"
)

func TestThermalNoiseAndSNR(t *testing.T) {
	if got, want := ThermalNoiseDbm(180e3, 0), -174+10*math.Log10(180e3); !approx(got, want, 1e-9) {
		t.Errorf("ThermalNoiseDbm(180k, 0) = %v; want %v", got, want)
	}
	if got := ThermalNoiseDbm(15e3, 5); !approx(got, -174+41.7609+5, 1e-3) {
		t.Errorf("ThermalNoiseDbm(15k, 5) = %v", got)
	}
	// NRSRP = 43 − 10·log10(12) − 140.
	if got := RSRPdBm(43, 140); !approx(got, 43-10.7918-140, 1e-3) {
		t.Errorf("RSRPdBm = %v", got)
	}
	// 23 dBm at MCL over 3.75 kHz with a 3 dB NF: −141 − (−174 + 35.74 + 3) = −5.74 dB.
	if got := ULSNRdB(23, 164, 3750, 3, 0); !approx(got, -5.74, 0.01) {
		t.Errorf("ULSNRdB NPRACH at MCL = %v; want −5.74", got)
	}
	// IoT adds to the noise; negative IoT counts as 0.
	if a, b := ULSNRdB(23, 150, 15e3, 3, 0), ULSNRdB(23, 150, 15e3, 3, 4); !approx(a-b, 4, 1e-9) {
		t.Errorf("IoT of 4 dB changed SNR by %v", a-b)
	}
	if a, b := ULSNRdB(23, 150, 15e3, 3, 0), ULSNRdB(23, 150, 15e3, 3, -6); a != b {
		t.Errorf("negative IoT should count as 0: %v vs %v", a, b)
	}
	// 43 dBm at MCL 164 with 5 dB UE NF: −121 − (−174 + 52.55 + 5) = −4.55 dB.
	if got := DLSNRdB(43, 164, 5); !approx(got, -4.55, 0.01) {
		t.Errorf("DLSNRdB at MCL = %v", got)
	}
	// SINR with an interferer equal to the noise loses 3.01 dB.
	if got := SINRdB(-100, -110, -110); !approx(got, 10-3.0103, 1e-3) {
		t.Errorf("SINRdB = %v", got)
	}
	if got := SumDbm(0, 0, math.NaN()); !approx(got, 3.0103, 1e-3) {
		t.Errorf("SumDbm = %v", got)
	}
	if got := SumDbm(); got != -dbLimit {
		t.Errorf("SumDbm() = %v", got)
	}
}

func TestLinkBudgetFinite(t *testing.T) {
	for _, a := range specials {
		for _, b := range specials {
			for _, v := range []float64{
				ThermalNoiseDbm(a, b), RSRPdBm(a, b), ULSNRdB(a, b, a, b, a), ULSNRdB(a, 150, 15e3, b, b),
				DLSNRdB(a, b, a), SINRdB(a, b, a, b), SumDbm(a, b),
				NPRACHTxPowerDbm(0, a, b, a), NPRACHTxPowerDbm(1, a, b, a),
				NPUSCHTxPowerDbm(1, 12, a, b, a, b), NPUSCHTxPowerDbm(1, 3, 23, a, b, a),
				PreambleReceivedTargetPowerDbm(a, b, 3, 8),
			} {
				if !finite(v) {
					t.Fatalf("non-finite result %v for inputs %v, %v", v, a, b)
				}
			}
		}
	}
	// Pessimistic NaN handling: NaN loss means no signal.
	if s := DLSNRdB(43, math.NaN(), 5); s > -500 {
		t.Errorf("DLSNRdB with NaN loss = %v; want very low", s)
	}
}

func TestCELevel(t *testing.T) {
	two := []float64{-110, -120}
	cases := []struct {
		rsrp float64
		th   []float64
		want int
	}{
		{-100, two, 0}, {-110, two, 0}, {-110.01, two, 1}, {-120, two, 1}, {-120.5, two, 2}, {-150, two, 2},
		{-100, []float64{-105}, 0}, {-105, []float64{-105}, 0}, {-106, []float64{-105}, 1},
		{-150, nil, 0}, {0, nil, 0},
		{math.NaN(), two, 2}, {math.Inf(1), two, 0}, {math.Inf(-1), two, 2},
		{-100, []float64{math.NaN(), -120}, 1},
	}
	for _, c := range cases {
		if got := CELevel(c.rsrp, c.th); got != c.want {
			t.Errorf("CELevel(%v, %v) = %d; want %d", c.rsrp, c.th, got, c.want)
		}
	}
}

func TestRSRPRange(t *testing.T) {
	cases := map[int]float64{0: -141, 1: -140, 2: -139, 50: -91, 96: -45, 97: -44}
	for idx, want := range cases {
		got, err := RSRPRangeToDbm(idx)
		if err != nil || got != want {
			t.Errorf("RSRPRangeToDbm(%d) = %v, %v; want %v", idx, got, err, want)
		}
		if back := DbmToRSRPRange(want); back != idx {
			t.Errorf("DbmToRSRPRange(%v) = %d; want %d", want, back, idx)
		}
	}
	for _, bad := range []int{-1, 98, 1000} {
		if _, err := RSRPRangeToDbm(bad); err == nil {
			t.Errorf("RSRPRangeToDbm(%d): want error", bad)
		}
	}
	for rsrp, want := range map[float64]int{-139.5: 1, -139: 2, -160: 0, -30: 97, math.NaN(): 0, math.Inf(1): 97, math.Inf(-1): 0} {
		if got := DbmToRSRPRange(rsrp); got != want {
			t.Errorf("DbmToRSRPRange(%v) = %d; want %d", rsrp, got, want)
		}
	}
}

func TestNPRACHPower(t *testing.T) {
	// CE level 0: target + PL, capped at P_CMAX (TS 36.213 §16.3.1).
	if got := NPRACHTxPowerDbm(0, 23, -112, 120); got != 8 {
		t.Errorf("CE0 power = %v; want 8", got)
	}
	if got := NPRACHTxPowerDbm(0, 23, -112, 150); got != 23 {
		t.Errorf("CE0 capped power = %v; want 23", got)
	}
	for _, ce := range []int{1, 2} {
		if got := NPRACHTxPowerDbm(ce, 23, -112, 100); got != 23 {
			t.Errorf("CE%d power = %v; want P_CMAX", ce, got)
		}
	}
	// TS 36.321 §5.1.3: −110 + 2·(3−1) − 10·log10(4).
	if got := PreambleReceivedTargetPowerDbm(-110, 2, 3, 4); !approx(got, -110+4-6.0206, 1e-3) {
		t.Errorf("PreambleReceivedTargetPowerDbm = %v", got)
	}
	if a, b := PreambleReceivedTargetPowerDbm(-110, 2, 0, 0), PreambleReceivedTargetPowerDbm(-110, 2, 1, 1); a != b {
		t.Errorf("counter/reps below 1 should count as 1: %v vs %v", a, b)
	}
}

func TestNPUSCHPower(t *testing.T) {
	// TS 36.213 §16.2.1.1.1: 10log10(M) + P0 + α·PL, capped; Pcmax when N_Rep > 2.
	cases := []struct {
		reps, tones           int
		pc, p0, alpha, pl, ex float64
	}{
		{1, 1, 23, -100, 1, 110, 10},
		{2, 12, 23, -100, 1, 110, 10 + 10.7918},
		{1, 3, 23, -90, 0.8, 120, 4.7712 - 90 + 96},
		{1, 1, 23, -80, 1, 140, 23},  // capped
		{4, 1, 23, -100, 1, 60, 23},  // repetitions > 2
		{1, 0, 23, -100, 1, 110, 10}, // tones clamped to 1
		{1, 1, 23, -100, 5, 110, 10}, // alpha clamped to 1
	}
	for _, c := range cases {
		if got := NPUSCHTxPowerDbm(c.reps, c.tones, c.pc, c.p0, c.alpha, c.pl); !approx(got, c.ex, 1e-3) {
			t.Errorf("NPUSCHTxPowerDbm(%+v) = %v; want %v", c, got, c.ex)
		}
	}
	// 3.75 kHz: M = 1/4 → −6.02 dB.
	got, err := NPUSCHTxPowerDbmSCS(1, 1, SCS3750, 23, -100, 1, 110)
	if err != nil || !approx(got, 10-6.0206, 1e-3) {
		t.Errorf("NPUSCHTxPowerDbmSCS 3.75 kHz = %v, %v", got, err)
	}
	if _, err := NPUSCHTxPowerDbmSCS(1, 3, SCS3750, 23, -100, 1, 110); err == nil {
		t.Error("3 tones at 3.75 kHz: want error")
	}
}

// SNRdB with the noise computed once is ULSNRdB and DLSNRdB bit for bit
// (the model calls it with its receivers' noise precomputed).
func TestSNRdBSameBits(t *testing.T) {
	for _, p := range []float64{23, 14.3, -40, 46, 35.7, math.NaN()} {
		for _, cl := range []float64{120.25, 144.1, 164.9, 170.03, math.Inf(1)} {
			for _, nf := range []float64{3, 5, 7.5} {
				for _, iot := range []float64{0, 0.37, 3.1, -2} {
					for _, bw := range []float64{3750, 15000, 45000, NBIoTCarrierHz} {
						// The formulas as ULSNRdB and DLSNRdB wrote them before SNRdB.
						ul := satDb(p, -dbLimit) - satDb(cl, dbLimit) - ThermalNoiseDbm(bw, nf) - max(satDb(iot, dbLimit), 0)
						if got := SNRdB(p, cl, ThermalNoiseDbm(bw, nf), iot); math.Float64bits(got) != math.Float64bits(ul) {
							t.Errorf("SNRdB(%v, %v, N(%v, %v), %v) = %v, ULSNRdB's formula %v", p, cl, bw, nf, iot, got, ul)
						}
					}
				}
				dl := satDb(p, -dbLimit) - satDb(cl, dbLimit) - ThermalNoiseDbm(NBIoTCarrierHz, nf)
				if got := DLSNRdB(p, cl, nf); math.Float64bits(got) != math.Float64bits(dl) {
					t.Errorf("DLSNRdB(%v, %v, %v) = %v, before %v", p, cl, nf, got, dl)
				}
			}
		}
	}
	if got, want := SNRdB(23, 140, -120, 0), 23.0-140+120; got != want {
		t.Errorf("SNRdB(23, 140, -120, 0) = %v, want %v", got, want)
	}
}
