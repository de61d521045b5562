package mac

import (
	"slices"
	"testing"
	"time"
)

func msList(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

// TestValueTables pins every value set to the ENUMERATED / table lists of
// TS 36.331 §6.3.1, §6.3.2, §6.7.3.2 and TS 36.321 §7.2, entry for entry and
// in ASN.1 order (the index is what goes over the air).
func TestValueTables(t *testing.T) {
	durs := []struct {
		name string
		got  []time.Duration
		want []time.Duration
	}{
		{"nprach-Periodicity-r13", NPRACHPeriodicities, msList(40, 80, 160, 240, 320, 640, 1280, 2560)},
		{"nprach-StartTime-r13", NPRACHStartTimes, msList(8, 16, 32, 64, 128, 256, 512, 1024)},
		{"ac-BarringTime", ACBarringTimes, []time.Duration{4 * time.Second, 8 * time.Second, 16 * time.Second,
			32 * time.Second, 64 * time.Second, 128 * time.Second, 256 * time.Second, 512 * time.Second}},
		{"Table 7.2-2 (NB-IoT backoff)", BackoffNB, msList(0, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768,
			65536, 131072, 262144, 524288)},
		{"Table 7.2-1 (backoff)", BackoffLTE, msList(0, 10, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 960)},
	}
	for _, c := range durs {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	ints := []struct {
		name string
		got  []int
		want []int
	}{
		{"nprach-SubcarrierOffset-r13", NPRACHSubcarrierOffsets, []int{0, 12, 24, 36, 2, 18, 34}},
		{"nprach-NumSubcarriers-r13", NPRACHNumSubcarriers, []int{12, 24, 36, 48}},
		{"nprach-NumCBRA-StartSubcarriers-r13", NPRACHNumCBRAStartSubcarriers,
			[]int{8, 10, 11, 12, 20, 22, 23, 24, 32, 34, 35, 36, 40, 44, 46, 48}},
		{"numRepetitionsPerPreambleAttempt-r13", NPRACHRepetitionsPerAttempt, []int{1, 2, 4, 8, 16, 32, 64, 128}},
		{"maxNumPreambleAttemptCE-r13", MaxNumPreambleAttemptCE, []int{3, 4, 5, 6, 7, 8, 10}},
		{"PreambleTransMax", PreambleTransMaxCE, []int{3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200}},
		{"npdcch-NumRepetitions-RA-r13", NPDCCHNumRepetitionsRA, []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}},
		{"npdcch-NumRepetitionPaging-r13", NPDCCHNumRepetitionsPaging, []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}},
		{"ra-ResponseWindowSize-r13", RAResponseWindowSizes, []int{2, 3, 4, 5, 6, 7, 8, 10}},
		{"mac-ContentionResolutionTimer-r13", MacContentionResolutionTimers, []int{1, 2, 3, 4, 8, 16, 32, 64}},
	}
	for _, c := range ints {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if want := []float64{1.5, 2, 4, 8, 16, 32, 48, 64}; !slices.Equal(NPDCCHStartSFCSSRA, want) {
		t.Errorf("npdcch-StartSF-CSS-RA-r13 = %v, want %v", NPDCCHStartSFCSSRA, want)
	}
	// p00..p95 then 1 (no barring).
	wantAC := []float64{0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1}
	if !slices.Equal(ACBarringFactors, wantAC) {
		t.Errorf("ac-BarringFactor = %v, want %v", ACBarringFactors, wantAC)
	}
	if MaxHARQMsg3TxMin != 1 || MaxHARQMsg3TxMax != 8 {
		t.Errorf("maxHARQ-Msg3Tx range = %d..%d, want 1..8", MaxHARQMsg3TxMin, MaxHARQMsg3TxMax)
	}
}

func TestBackoffValue(t *testing.T) {
	for _, nb := range []bool{false, true} {
		table := BackoffLTE
		if nb {
			table = BackoffNB
		}
		if len(table) != 13 {
			t.Fatalf("nb=%v: %d entries, want 13 (indices 0..12)", nb, len(table))
		}
		for bi := -3; bi <= 20; bi++ {
			got, ok := BackoffValue(bi, nb)
			wantOK := bi >= 0 && bi <= 12
			if ok != wantOK {
				t.Errorf("BackoffValue(%d, nb=%v) ok = %v, want %v", bi, nb, ok, wantOK)
				continue
			}
			if ok && got != table[bi] {
				t.Errorf("BackoffValue(%d, nb=%v) = %v, want %v", bi, nb, got, table[bi])
			}
			if !ok && got != 0 {
				t.Errorf("BackoffValue(%d, nb=%v) = %v for a reserved index, want 0", bi, nb, got)
			}
		}
	}
	// Spot values: index 12 is the largest of each table.
	if v, _ := BackoffValue(12, true); v != 524288*time.Millisecond {
		t.Errorf("NB index 12 = %v, want 524.288s", v)
	}
	if v, _ := BackoffValue(12, false); v != 960*time.Millisecond {
		t.Errorf("LTE index 12 = %v, want 960ms", v)
	}
}

func TestPDCCHPeriod(t *testing.T) {
	cases := []struct {
		rmax int
		g    float64
		want time.Duration
	}{
		{1, 1.5, 1500 * time.Microsecond},
		{8, 1.5, 12 * time.Millisecond},
		{8, 4, 32 * time.Millisecond},
		{64, 2, 128 * time.Millisecond},
		{2048, 64, 131072 * time.Millisecond},
	}
	for _, c := range cases {
		if got := PDCCHPeriod(c.rmax, c.g); got != c.want {
			t.Errorf("PDCCHPeriod(%d, %v) = %v, want %v", c.rmax, c.g, got, c.want)
		}
	}
}
