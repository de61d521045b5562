package phy

import (
	"math"
	"testing"
	"time"
)

func TestBLERCurve(t *testing.T) {
	if b := BLER(-3, -3); !approx(b, 0.1, 1e-12) {
		t.Errorf("BLER at the required SNR = %v; want 0.1", b)
	}
	// 50% at req − ln 9 dB, 1% at req + ln 11 dB (slope 1 dB).
	if b := BLER(-math.Log(9), 0); !approx(b, 0.5, 1e-12) {
		t.Errorf("BLER(−ln9) = %v", b)
	}
	if b := BLER(math.Log(11), 0); !approx(b, 0.01, 1e-12) {
		t.Errorf("BLER(+ln11) = %v", b)
	}
	prev := 2.0
	for snr := -30.0; snr <= 30; snr += 0.25 {
		b := BLER(snr, 0)
		if b > prev || b < 0 || b > 1 {
			t.Fatalf("BLER(%v) = %v after %v", snr, b, prev)
		}
		prev = b
	}
	if BLER(0, -5) >= BLER(0, 5) {
		t.Error("BLER must grow with the required SNR")
	}
	for _, x := range specials {
		for _, y := range specials {
			if b := BLER(x, y); !finite(b) || b < 0 || b > 1 {
				t.Errorf("BLER(%v, %v) = %v", x, y, b)
			}
		}
	}
	if BLER(math.NaN(), 0) < 0.999 || BLER(10, math.NaN()) < 0.999 {
		t.Error("NaN SNR or requirement should be pessimistic")
	}
}

func TestRequiredSNR(t *testing.T) {
	// FRC A16-1: 32 bits + 24 CRC over 2 RUs of 3.75 kHz × 32 ms: η = 56/240.
	want := 10*math.Log10(math.Pow(2, 56.0/240/0.6)-1) + DefaultLinkModel().ImplMarginDb
	if got := RequiredSNRdB(32, 3750, 64*time.Millisecond); !approx(got, want, 1e-9) {
		t.Errorf("RequiredSNRdB(A16-1) = %v; want %v", got, want)
	}
	if RequiredSNRdB(1000, 15e3, 80*time.Millisecond) <= RequiredSNRdB(500, 15e3, 80*time.Millisecond) {
		t.Error("required SNR must grow with TBS")
	}
	if RequiredSNRdB(500, 15e3, 40*time.Millisecond) <= RequiredSNRdB(500, 15e3, 80*time.Millisecond) {
		t.Error("required SNR must fall with duration")
	}
	for _, bad := range []struct {
		bw float64
		d  time.Duration
	}{{0, time.Millisecond}, {-1, time.Millisecond}, {math.NaN(), time.Millisecond}, {15e3, 0}, {15e3, -time.Second}} {
		if got := RequiredSNRdB(100, bad.bw, bad.d); got != dbLimit {
			t.Errorf("RequiredSNRdB(100, %v, %v) = %v; want %v", bad.bw, bad.d, got, dbLimit)
		}
	}
	if got := RequiredSNRdB(100, math.Inf(1), time.Second); !finite(got) {
		t.Errorf("RequiredSNRdB with infinite bandwidth = %v", got)
	}
}

func TestRepetitionGain(t *testing.T) {
	m := DefaultLinkModel()
	for _, r := range []int{1, 2, 16, 128, 2048} {
		want := 10*math.Log10(float64(r)) - m.CombLossDbPerDoubling*math.Log2(float64(r))
		if got := RepetitionGainDb(r); !approx(got, want, 1e-12) {
			t.Errorf("RepetitionGainDb(%d) = %v; want %v", r, got, want)
		}
	}
	if RepetitionGainDb(0) != 0 || RepetitionGainDb(-4) != 0 {
		t.Error("reps < 1 should count as 1")
	}
}

// TS 36.104 Table 8.5.1.1.1-1: NPUSCH format 1, 3.75 kHz, FRC A16-1 (TBS 32,
// 2 RUs), 70% throughput ≈ 40% first-transmission BLER.
var npuschAnchors = []struct {
	reps  int
	snrDb float64
}{{1, -1.9}, {16, -9.2}, {64, -12.2}}

func anchorSNR(m LinkModel, reps int) float64 {
	req := m.RequiredSNRdB(32, 3750, 64*time.Millisecond)
	// BLER = 0.4 ⇔ SNR_eff = req + slope·ln((1−0.4)/(9·0.4)).
	return req + m.BLERSlopeDb*math.Log(0.6/3.6) - m.RepetitionGainDb(reps)
}

func TestConformanceCalibration(t *testing.T) {
	for _, a := range npuschAnchors {
		if got := anchorSNR(ConformanceLinkModel(), a.reps); !approx(got, a.snrDb, 0.5) {
			t.Errorf("conformance model at %d reps needs %.2f dB; TS 36.104 requires %.1f dB", a.reps, got, a.snrDb)
		}
		// The default model must be at least as good as a conformant eNB.
		if got := anchorSNR(DefaultLinkModel(), a.reps); got > a.snrDb {
			t.Errorf("default model at %d reps needs %.2f dB, worse than the TS 36.104 minimum %.1f dB", a.reps, got, a.snrDb)
		}
	}
}

func TestNewLinkAdapterValidation(t *testing.T) {
	good := DefaultLinkModel()
	if _, err := NewLinkAdapter(good); err != nil {
		t.Fatal(err)
	}
	bad := []LinkModel{
		{Alpha: 0, ImplMarginDb: 2, CombLossDbPerDoubling: 0.5, BLERSlopeDb: 1},
		{Alpha: 1.5, ImplMarginDb: 2, CombLossDbPerDoubling: 0.5, BLERSlopeDb: 1},
		{Alpha: 0.6, ImplMarginDb: math.NaN(), CombLossDbPerDoubling: 0.5, BLERSlopeDb: 1},
		{Alpha: 0.6, ImplMarginDb: 2, CombLossDbPerDoubling: 3.5, BLERSlopeDb: 1},
		{Alpha: 0.6, ImplMarginDb: 2, CombLossDbPerDoubling: 0.5, BLERSlopeDb: 0},
		{Alpha: 0.6, ImplMarginDb: 2, CombLossDbPerDoubling: -1, BLERSlopeDb: 1},
	}
	for _, m := range bad {
		if _, err := NewLinkAdapter(m); err == nil {
			t.Errorf("NewLinkAdapter(%+v): want error", m)
		}
	}
	// Methods on an invalid model fall back to default fields.
	var zero LinkModel
	if b := zero.BLER(0, 0); !approx(b, 0.1, 1e-12) {
		t.Errorf("zero LinkModel BLER = %v", b)
	}
	if g := (LinkModel{CombLossDbPerDoubling: math.NaN()}).RepetitionGainDb(4); g != RepetitionGainDb(4) || !finite(g) {
		t.Errorf("NaN model gain = %v", g)
	}
	// (a zero margin is valid and kept)
	if r := zero.RequiredSNRdB(100, 15e3, 8*time.Millisecond); !approx(r, RequiredSNRdB(100, 15e3, 8*time.Millisecond)-good.ImplMarginDb, 1e-9) {
		t.Errorf("zero LinkModel RequiredSNRdB = %v", r)
	}
	if DefaultLinkAdapter().Model() != good {
		t.Error("DefaultLinkAdapter model differs from DefaultLinkModel")
	}
}

func totals(tx []Transmission) (air time.Duration, bits int, worstBLER float64) {
	for _, x := range tx {
		air += x.Airtime
		bits += x.TBSBits
		worstBLER = math.Max(worstBLER, x.BLER)
	}
	return
}

// checkTx verifies invariants every link-adaptation result must satisfy.
func checkTx(t *testing.T, tx []Transmission, payloadBytes, maxReps, maxTBS int, ul bool) {
	t.Helper()
	if len(tx) == 0 {
		t.Fatal("empty result")
	}
	bytes := max(1, min(payloadBytes, MaxPayloadBytes))
	if _, bits, _ := totals(tx); bits < 8*bytes {
		t.Fatalf("transport blocks carry %d bits < payload %d", bits, 8*bytes)
	}
	for _, x := range tx {
		if !finite(x.SNRdB) || !finite(x.RequiredSNRdB) || !finite(x.BLER) || x.BLER < 0 || x.BLER > 1 {
			t.Fatalf("non-finite or bad field in %+v", x)
		}
		limit := maxTBS
		if limit <= 0 || limit > MaxTBSBitsRel14 {
			limit = MaxTBSBitsRel14
		}
		if x.Airtime <= 0 || x.Elapsed < x.Airtime || x.Reps < 1 || x.Reps > max(maxReps, 1) || x.TBSBits > max(limit, 16) {
			t.Fatalf("bad transmission %+v (maxReps %d, maxTBS %d)", x, maxReps, maxTBS)
		}
		var tbs int
		var err error
		if ul {
			tbs, err = NPUSCHTBS(x.ITBS, x.IRU)
			ru, rerr := RUDuration(x.Tones, x.SCSHz)
			if rerr != nil || x.Airtime != time.Duration(x.NRU*x.Reps)*ru {
				t.Fatalf("airtime %v inconsistent with %+v", x.Airtime, x)
			}
		} else {
			tbs, err = NPDSCHTBS(x.ITBS, x.IRU)
			if x.Airtime != time.Duration(x.NRU*x.Reps)*time.Millisecond {
				t.Fatalf("airtime %v inconsistent with %+v", x.Airtime, x)
			}
		}
		if err != nil || tbs != x.TBSBits || nruByIndex[x.IRU] != x.NRU {
			t.Fatalf("TBS/N_RU not from the spec table: %+v", x)
		}
	}
}

func TestLinkAdaptMoreSNRLessAirtime(t *testing.T) {
	// The default objective is airtime plus one NPDCCH subframe per
	// repetition and block: it never rises with SNR, and airtime alone may
	// rise only slightly when a block (and its DCI) is saved.
	cost := func(tx []Transmission) time.Duration {
		var c time.Duration
		for _, x := range tx {
			c += x.Airtime + time.Duration(x.Reps)*time.Millisecond
		}
		return c
	}
	for _, payload := range []int{10, 100, 400, 1500} {
		var prevCU, prevCD, prevAU, prevAD time.Duration
		for snr := -30.0; snr <= 30; snr += 0.25 {
			ul := LinkAdaptUL(snr, payload, 128, 0.1, 0)
			dl := LinkAdaptDL(snr, payload, 2048, 0.1, 0)
			checkTx(t, ul, payload, 128, MaxTBSBitsRel14, true)
			checkTx(t, dl, payload, 2048, MaxTBSBitsRel14, false)
			au, _, _ := totals(ul)
			ad, _, _ := totals(dl)
			cu, cd := cost(ul), cost(dl)
			if snr > -30 {
				if cu > prevCU || cd > prevCD {
					t.Fatalf("payload %d, SNR %v: cost rose UL %v→%v DL %v→%v", payload, snr, prevCU, cu, prevCD, cd)
				}
				slack := func(d time.Duration) time.Duration { return d + d/20 + 2*time.Millisecond }
				if au > slack(prevAU) || ad > slack(prevAD) {
					t.Fatalf("payload %d, SNR %v: airtime rose UL %v→%v DL %v→%v", payload, snr, prevAU, au, prevAD, ad)
				}
			}
			prevCU, prevCD, prevAU, prevAD = cu, cd, au, ad
		}
	}
	// With pure airtime the total airtime is exactly non-increasing.
	a := DefaultLinkAdapter()
	var prev time.Duration = math.MaxInt64
	for snr := -25.0; snr <= 30; snr += 0.25 {
		air, _, _ := totals(a.UL(snr, 200, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1, PureAirtime: true}))
		if air > prev {
			t.Fatalf("pure airtime rose from %v to %v at %v dB", prev, air, snr)
		}
		prev = air
	}
	// Large SNR differences give clearly less airtime.
	lo, _, _ := totals(LinkAdaptUL(-10, 100, 128, 0.1, 0))
	hi, _, _ := totals(LinkAdaptUL(20, 100, 128, 0.1, 0))
	if hi*10 > lo {
		t.Errorf("airtime at 20 dB (%v) not ≪ at −10 dB (%v)", hi, lo)
	}
}

func TestLinkAdaptMeetsTarget(t *testing.T) {
	for _, target := range []float64{0.01, 0.1, 0.3} {
		for snr := -15.0; snr <= 30; snr += 1 {
			for _, tx := range [][]Transmission{LinkAdaptUL(snr, 120, 128, target, 0), LinkAdaptDL(snr-5, 120, 2048, target, 0)} {
				if _, _, worst := totals(tx); worst > target+1e-12 {
					t.Errorf("SNR %v target %v: BLER %v exceeds the reachable target", snr, target, worst)
				}
			}
		}
	}
}

func TestLinkAdaptUnreachable(t *testing.T) {
	for _, maxReps := range []int{1, 16, 128} {
		tx := LinkAdaptUL(-60, 50, maxReps, 0.1, 0)
		checkTx(t, tx, 50, maxReps, MaxTBSBitsRel14, true)
		// Most robust: the lowest BLER over every allowed table entry.
		best := 1.0
		for _, e := range ulEntries {
			if ulConfigs[e.cfg].scs != SCS15000 {
				continue
			}
			r := 0
			for i, v := range npuschReps {
				if v <= maxReps {
					r = i
				}
			}
			best = math.Min(best, BLER(-60+ulConfigs[e.cfg].snrOffDb+defaultAdapter.ulGain[r], defaultAdapter.ulReq[indexOf(e)]))
		}
		for _, x := range tx {
			if x.Reps != min(maxReps, 128) {
				t.Errorf("unreachable target should use max reps %d, got %d", maxReps, x.Reps)
			}
			if x.BLER <= 0.1 || x.BLER > best+1e-12 {
				t.Errorf("robust choice BLER %v, best possible %v", x.BLER, best)
			}
		}
	}
	// Target ≤ 0 can never be met: robust mode, still non-empty.
	checkTx(t, LinkAdaptDL(10, 100, 8, 0, 0), 100, 8, MaxTBSBitsRel14, false)
}

func indexOf(e entry) int {
	for i, x := range ulEntries {
		if x == e {
			return i
		}
	}
	return -1
}

// Brute force: the best single transport block can never beat the chosen
// solution (which may split).
func TestLinkAdaptOptimalVsBruteForce(t *testing.T) {
	a := DefaultLinkAdapter()
	for _, payload := range []int{2, 30, 100, 317} {
		for snr := -20.0; snr <= 25; snr += 1.5 {
			o := LinkAdaptOptions{MaxReps: 64, TargetBLER: 0.1, PureAirtime: true}
			got, _, _ := totals(a.UL(snr, payload, o))
			var best time.Duration = math.MaxInt64
			for i, e := range ulEntries {
				cfg := ulConfigs[e.cfg]
				if cfg.scs != SCS15000 || e.tbs < 8*payload {
					continue
				}
				for k, r := range npuschReps {
					if r > 64 {
						break
					}
					if a.m.BLER(snr+cfg.snrOffDb+a.ulGain[k], a.ulReq[i]) <= 0.1 {
						best = min(best, time.Duration(r)*e.perRep)
						break
					}
				}
			}
			if best != math.MaxInt64 && got > best {
				t.Errorf("payload %d, SNR %v: chose %v, a single block takes %v", payload, snr, got, best)
			}
		}
	}
}

func TestLinkAdaptSplitting(t *testing.T) {
	// 1000 bytes at high SNR: Rel-14 ≥ ceil(8000/2536) = 4 blocks, Rel-13 UL
	// ≥ 8 blocks of ≤ 1000 bits, Rel-13 DL ≥ 12 blocks of ≤ 680 bits.
	cases := []struct {
		tx        []Transmission
		minN, max int
		maxITBS   int
	}{
		{LinkAdaptUL(40, 1000, 1, 0.1, MaxTBSBitsRel14), 4, MaxTBSBitsRel14, 13},
		{LinkAdaptUL(40, 1000, 1, 0.1, MaxTBSBitsRel13UL), 8, MaxTBSBitsRel13UL, 12},
		{LinkAdaptDL(40, 1000, 1, 0.1, MaxTBSBitsRel13DL), 12, MaxTBSBitsRel13DL, 12},
		{LinkAdaptDL(40, 1000, 1, 0.1, 0), 4, MaxTBSBitsRel14, 13},
	}
	for i, c := range cases {
		if len(c.tx) < c.minN {
			t.Errorf("case %d: %d blocks; want ≥ %d", i, len(c.tx), c.minN)
		}
		for _, x := range c.tx {
			if x.TBSBits > c.max || x.ITBS > c.maxITBS {
				t.Errorf("case %d: block %+v exceeds TBS %d / I_TBS %d", i, x, c.max, c.maxITBS)
			}
		}
		checkTx(t, c.tx, 1000, 1, c.max, i < 2)
	}
	// A small payload at high SNR is one block.
	if tx := LinkAdaptUL(30, 20, 128, 0.1, 0); len(tx) != 1 {
		t.Errorf("20 bytes at 30 dB: %d blocks", len(tx))
	}
	// Degenerate payloads.
	checkTx(t, LinkAdaptUL(0, 0, 8, 0.1, 0), 1, 8, MaxTBSBitsRel14, true)
	checkTx(t, LinkAdaptDL(0, -7, 8, 0.1, 0), 1, 8, MaxTBSBitsRel14, false)
	if tx := LinkAdaptDL(40, 1<<30, 1, 0.1, 0); len(tx) > 8*MaxPayloadBytes/2536+1 {
		t.Errorf("huge payload not capped: %d blocks", len(tx))
	}
}

func TestLinkAdaptOptions(t *testing.T) {
	a := DefaultLinkAdapter()
	for snr := -20.0; snr <= 30; snr += 2 {
		for _, x := range a.UL(snr, 300, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1, SingleToneOnly: true}) {
			if x.Tones != 1 || x.SCSHz != SCS15000 || x.ITBS > 10 {
				t.Fatalf("single-tone-only UE got %+v", x)
			}
			want := x.ITBS
			if x.ITBS == 1 || x.ITBS == 2 {
				want = 3 - x.ITBS
			}
			if x.IMCS != want {
				t.Fatalf("single-tone I_MCS %d for I_TBS %d (TS 36.213 Table 16.5.1.2-1)", x.IMCS, x.ITBS)
			}
		}
		for _, x := range a.DL(snr, 300, LinkAdaptOptions{MaxReps: 2048, TargetBLER: 0.1, Deployment: InBand}) {
			if x.ITBS > 10 {
				t.Fatalf("in-band I_TBS %d > 10", x.ITBS)
			}
		}
		ib, _, _ := totals(a.DL(snr, 300, LinkAdaptOptions{MaxReps: 2048, TargetBLER: 0.1, Deployment: InBand}))
		sa, _, _ := totals(a.DL(snr, 300, LinkAdaptOptions{MaxReps: 2048, TargetBLER: 0.1, Deployment: Standalone}))
		if ib < sa {
			t.Errorf("SNR %v: in-band airtime %v < standalone %v", snr, ib, sa)
		}
	}
	// Deep coverage: 3.75 kHz helps and is chosen.
	with := a.UL(-16, 50, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1, Allow3750Hz: true})
	without := a.UL(-16, 50, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1})
	aw, _, bw := totals(with)
	ao, _, bo := totals(without)
	if with[0].SCSHz != SCS3750 || !(aw < ao || bw < bo) {
		t.Errorf("3.75 kHz not used or not better: with %v/%v, without %v/%v", aw, bw, ao, bo)
	}
	// NaN target means 0.1; target ≥ 1 takes the fastest choice.
	if x, y := a.UL(0, 80, LinkAdaptOptions{MaxReps: 8, TargetBLER: math.NaN()}), a.UL(0, 80, LinkAdaptOptions{MaxReps: 8, TargetBLER: 0.1}); x[0] != y[0] {
		t.Errorf("NaN target: %+v vs %+v", x[0], y[0])
	}
	fast, _, _ := totals(a.UL(-20, 80, LinkAdaptOptions{MaxReps: 128, TargetBLER: 1}))
	if fast > 16*time.Millisecond {
		t.Errorf("target 1 should pick the shortest transmission, got %v", fast)
	}
	// A large per-block overhead avoids splitting.
	few := a.DL(-12, 100, LinkAdaptOptions{MaxReps: 2048, TargetBLER: 0.1, PerTBOverhead: 10 * time.Second})
	many := a.DL(-12, 100, LinkAdaptOptions{MaxReps: 2048, TargetBLER: 0.1, PureAirtime: true})
	if len(few) > len(many) || len(few) != 1 {
		t.Errorf("per-block overhead: %d blocks vs %d without", len(few), len(many))
	}
}

func TestNPUSCHElapsedGaps(t *testing.T) {
	cases := map[time.Duration]time.Duration{
		0:                       0,
		256 * time.Millisecond:  256 * time.Millisecond,
		257 * time.Millisecond:  297 * time.Millisecond,
		1280 * time.Millisecond: 1440 * time.Millisecond,
	}
	for air, want := range cases {
		if got := npuschElapsed(air); got != want {
			t.Errorf("npuschElapsed(%v) = %v; want %v", air, got, want)
		}
	}
}

// At the NB-IoT MCL the default model still delivers a 100-byte report
// within the target BLER, at a few hundred bit/s.
func TestCoverageAtMCL(t *testing.T) {
	snr := ULSNRdB(DefaultUETxPowerDbm, MaxCouplingLossDb, 15e3, DefaultENBNoiseFigureDb, 0)
	tx := LinkAdaptUL(snr, 100, 128, 0.1, 0)
	air, _, worst := totals(tx)
	if worst > 0.1 || air > 10*time.Second {
		t.Errorf("UL at MCL: airtime %v, BLER %v", air, worst)
	}
	dl := LinkAdaptDL(DLSNRdB(35, MaxCouplingLossDb, DefaultUENoiseFigureDb), 100, 2048, 0.1, 0)
	if _, _, w := totals(dl); w > 0.1 {
		t.Errorf("DL at MCL (in-band power): BLER %v", w)
	}
}

func TestLinkAdaptSpecialInputs(t *testing.T) {
	ints := []int{math.MinInt, -1, 0, 1, 3, 100, 2048, math.MaxInt}
	for _, snr := range specials {
		for _, target := range specials {
			for _, n := range ints {
				checkTx(t, LinkAdaptUL(snr, n, n, target, n), n, n, n, true)
				checkTx(t, LinkAdaptDL(snr, n, n, target, n), n, n, n, false)
			}
		}
	}
}

func FuzzLinkAdaptUL(f *testing.F) {
	f.Add(-12.0, 100, 128, 0.1, 0, false, false)
	f.Add(30.0, 5000, 1, 0.01, 1000, true, false)
	f.Add(math.NaN(), 0, 0, math.NaN(), -1, false, true)
	f.Add(math.Inf(-1), -5, 7, 2.0, 17, true, true)
	f.Add(math.Inf(1), math.MaxInt, math.MaxInt, -1.0, math.MaxInt, false, false)
	f.Fuzz(func(t *testing.T, snr float64, payload, maxReps int, target float64, maxTBS int, single, allow3750 bool) {
		o := LinkAdaptOptions{MaxReps: maxReps, TargetBLER: target, MaxTBSBits: maxTBS, SingleToneOnly: single, Allow3750Hz: allow3750}
		tx := DefaultLinkAdapter().UL(snr, payload, o)
		checkTx(t, tx, payload, maxReps, maxTBS, true)
		if single {
			for _, x := range tx {
				if x.Tones != 1 {
					t.Fatalf("single-tone UE got %d tones", x.Tones)
				}
			}
		}
	})
}

func FuzzLinkAdaptDL(f *testing.F) {
	f.Add(-12.0, 100, 2048, 0.1, 0, 0)
	f.Add(30.0, 5000, 1, 0.01, 680, 2)
	f.Add(math.NaN(), 0, 0, math.NaN(), -1, 9)
	f.Fuzz(func(t *testing.T, snr float64, payload, maxReps int, target float64, maxTBS int, dep int) {
		o := LinkAdaptOptions{MaxReps: maxReps, TargetBLER: target, MaxTBSBits: maxTBS, Deployment: Deployment(dep)}
		checkTx(t, DefaultLinkAdapter().DL(snr, payload, o), payload, maxReps, maxTBS, false)
	})
}

func BenchmarkLinkAdaptUL(b *testing.B) {
	snrs := []float64{-15, -8, 0, 10, 25}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = LinkAdaptUL(snrs[i%len(snrs)], 100, 128, 0.1, 0)
	}
}

func BenchmarkLinkAdaptDL(b *testing.B) {
	snrs := []float64{-15, -8, 0, 10, 25}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = LinkAdaptDL(snrs[i%len(snrs)], 100, 2048, 0.1, 0)
	}
}

// TestULToneAndSpacingOptions checks Only3750Hz and MultiToneOnly against
// hand-computed choices.
func TestULToneAndSpacingOptions(t *testing.T) {
	a := DefaultLinkAdapter()
	// High SNR, 2 bytes (16 bits): every allocation decodes at 1 repetition;
	// at 3.75 kHz the least airtime is one RU of 32 ms with TBS 16 (I_TBS 0,
	// I_RU 0, the most margin among the 32-ms choices).
	tx := a.UL(20, 2, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1, Only3750Hz: true})
	if len(tx) != 1 || tx[0].SCSHz != SCS3750 || tx[0].Tones != 1 || tx[0].TBSBits != 16 || tx[0].Reps != 1 || tx[0].Airtime != 32*time.Millisecond {
		t.Errorf("3.75 kHz at high SNR: %+v, want one 32-ms RU of TBS 16, 1 repetition", tx)
	}
	// 15 kHz single-tone SNR −14 dB is −7.98 dB on a 3.75 kHz tone. TBS 16 over
	// one 32-ms RU: η = 40/(3750·0.032) = 0.3333, SNR_req = 10·log10(2^(η/0.6) − 1)
	// + 2 = −1.28 dB; the gain needed, 6.70 dB, takes R = 8 (4: 4.52 dB, 8:
	// 6.78 dB): 8 × 32 ms = 256 ms. Larger TBS or more RUs need more.
	tx = a.UL(-14, 2, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1, Only3750Hz: true})
	if len(tx) != 1 || tx[0].SCSHz != SCS3750 || tx[0].Reps != 8 || tx[0].NRU != 1 || tx[0].Airtime != 256*time.Millisecond {
		t.Errorf("3.75 kHz at −14 dB: %+v, want R 8, 1 RU, 256 ms", tx)
	}
	// Multi-tone only: never a single tone, even where one would be chosen.
	single := a.UL(-14, 20, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1})
	multi := a.UL(-14, 20, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1, MultiToneOnly: true})
	if single[0].Tones != 1 {
		t.Fatalf("unrestricted at −14 dB chose %d tones; the case needs single tone to win", single[0].Tones)
	}
	for _, x := range multi {
		if x.Tones < 3 || x.SCSHz != SCS15000 {
			t.Errorf("multi-tone only gave %d tones at %d Hz", x.Tones, x.SCSHz)
		}
	}
	// Single tone wins over multi-tone only (a UE without multiTone-r13).
	for _, x := range a.UL(10, 20, LinkAdaptOptions{MaxReps: 128, TargetBLER: 0.1, SingleToneOnly: true, MultiToneOnly: true}) {
		if x.Tones != 1 {
			t.Errorf("single- and multi-tone only gave %d tones", x.Tones)
		}
	}
}

// TestLn9: the constant BLER uses is the float64 math.Log(9) returns.
func TestLn9(t *testing.T) {
	if got := math.Log(9); got != ln9 {
		t.Errorf("math.Log(9) = %.20g, ln9 = %.20g", got, float64(ln9))
	}
}
