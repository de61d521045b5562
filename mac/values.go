package mac

import "time"

// 3GPP value sets for NB-IoT random access. Scenario validation checks
// configured values against these; the model uses them as given.

// NPRACHPeriodicities is nprach-Periodicity-r13, TS 36.331 §6.7.3.2 NPRACH-ConfigSIB-NB (ms 40..2560).
var NPRACHPeriodicities = ms(40, 80, 160, 240, 320, 640, 1280, 2560)

// NPRACHStartTimes is nprach-StartTime-r13, TS 36.331 §6.7.3.2 (ms 8..1024).
var NPRACHStartTimes = ms(8, 16, 32, 64, 128, 256, 512, 1024)

// NPRACHSubcarrierOffsets is nprach-SubcarrierOffset-r13, TS 36.331 §6.7.3.2.
var NPRACHSubcarrierOffsets = []int{0, 12, 24, 36, 2, 18, 34}

// NPRACHNumSubcarriers is nprach-NumSubcarriers-r13, TS 36.331 §6.7.3.2.
var NPRACHNumSubcarriers = []int{12, 24, 36, 48}

// NPRACHNumCBRAStartSubcarriers is nprach-NumCBRA-StartSubcarriers-r13, TS 36.331 §6.7.3.2.
var NPRACHNumCBRAStartSubcarriers = []int{8, 10, 11, 12, 20, 22, 23, 24, 32, 34, 35, 36, 40, 44, 46, 48}

// NPRACHRepetitionsPerAttempt is numRepetitionsPerPreambleAttempt-r13, TS 36.331 §6.7.3.2.
var NPRACHRepetitionsPerAttempt = []int{1, 2, 4, 8, 16, 32, 64, 128}

// MaxNumPreambleAttemptCE is maxNumPreambleAttemptCE-r13, TS 36.331 §6.7.3.2.
var MaxNumPreambleAttemptCE = []int{3, 4, 5, 6, 7, 8, 10}

// PreambleTransMaxCE is PreambleTransMax (used as preambleTransMax-CE-r13), TS 36.331 §6.3.2.
var PreambleTransMaxCE = []int{3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200}

// NPDCCHNumRepetitionsRA is npdcch-NumRepetitions-RA-r13 (Rmax), TS 36.331 §6.7.3.2.
var NPDCCHNumRepetitionsRA = []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}

// NPDCCHNumRepetitionsPaging is npdcch-NumRepetitionPaging-r13 (Rmax of the
// Type-1 common search space), TS 36.331 §6.7.3.2 PCCH-Config-NB: the same
// values as npdcch-NumRepetitions-RA.
var NPDCCHNumRepetitionsPaging = NPDCCHNumRepetitionsRA

// NPDCCHStartSFCSSRA is npdcch-StartSF-CSS-RA-r13 (G), TS 36.331 §6.7.3.2.
var NPDCCHStartSFCSSRA = []float64{1.5, 2, 4, 8, 16, 32, 48, 64}

// NPDCCHOffsetRA is npdcch-Offset-RA-r13 (α_offset: zero, oneEighth,
// oneFourth, threeEighth), TS 36.331 §6.7.3.2; the search space starts at
// subframes k0 with (10·nf + ⌊ns/2⌋) mod T = α_offset·T (TS 36.213 §16.6).
var NPDCCHOffsetRA = []float64{0, 0.125, 0.25, 0.375}

// RAResponseWindowSizes is ra-ResponseWindowSize-r13 in PDCCH periods, TS 36.331 §6.7.3.2 RACH-Info-NB.
var RAResponseWindowSizes = []int{2, 3, 4, 5, 6, 7, 8, 10}

// MacContentionResolutionTimers is mac-ContentionResolutionTimer-r13 in PDCCH periods, TS 36.331 §6.7.3.2 RACH-Info-NB.
var MacContentionResolutionTimers = []int{1, 2, 3, 4, 8, 16, 32, 64}

// MaxHARQMsg3Tx is the range of maxHARQ-Msg3Tx, TS 36.331 §6.3.2 (1..8).
const MaxHARQMsg3TxMin, MaxHARQMsg3TxMax = 1, 8

// ACBarringFactors is ac-BarringFactor, TS 36.331 §6.3.1 (p00..p95) plus 1 for "no barring".
var ACBarringFactors = []float64{0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1}

// ACBarringTimes is ac-BarringTime, TS 36.331 §6.3.1 (s4..s512).
var ACBarringTimes = sec(4, 8, 16, 32, 64, 128, 256, 512)

// BackoffNB is the NB-IoT backoff parameter table, TS 36.321 Table 7.2-2:
// index 0..12; 13..15 reserved.
var BackoffNB = ms(0, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288)

// BackoffLTE is the legacy backoff parameter table, TS 36.321 Table 7.2-1:
// index 0..12; 13..15 reserved.
var BackoffLTE = ms(0, 10, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 960)

// BackoffValue returns the backoff parameter for index bi from the NB-IoT
// (nb=true) or legacy table. ok is false for a reserved or invalid index.
func BackoffValue(bi int, nb bool) (time.Duration, bool) {
	t := BackoffLTE
	if nb {
		t = BackoffNB
	}
	if bi < 0 || bi >= len(t) {
		return 0, false
	}
	return t[bi], true
}

// PDCCHPeriod is the NPDCCH search-space period T = Rmax·G subframes
// (TS 36.213 §16.6), the unit of ra-ResponseWindowSize and
// mac-ContentionResolutionTimer (TS 36.321 §5.1.4, §5.1.5).
func PDCCHPeriod(rmax int, g float64) time.Duration {
	return time.Duration(float64(rmax) * g * float64(time.Millisecond))
}

func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func sec(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Second
	}
	return out
}
