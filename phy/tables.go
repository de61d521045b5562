package phy

import (
	"sort"
	"time"
)

// Subcarrier spacings of NB-IoT uplink (TS 36.211 §10.1.2).
const (
	SCS15000 = 15000
	SCS3750  = 3750
)

// TBS limits by UE category (TS 36.306 §4.1C; TS 36.213 §16.4.1.5 and
// §16.5.1.2): Cat NB1 (Rel-13) supports NPDSCH TBS up to 680 bits and
// NPUSCH TBS up to 1000 bits; Cat NB2 (Rel-14) 2536 bits both ways (check).
const (
	MaxTBSBitsRel13DL = 680
	MaxTBSBitsRel13UL = 1000
	MaxTBSBitsRel14   = 2536
)

// npuschTBSTable is TS 36.213 Table 16.5.1.2-2 (NPUSCH transport block size,
// I_TBS 0..13 × I_RU 0..7), as of Rel-14 (Cat NB2). The Rel-13 table is the
// same with entries above 1000 bits and row 13 absent.
var npuschTBSTable = [14][8]int{
	{16, 32, 56, 88, 120, 152, 208, 256},
	{24, 56, 88, 144, 176, 208, 256, 344},
	{32, 72, 144, 176, 208, 256, 328, 424},
	{40, 104, 176, 208, 256, 328, 440, 568},
	{56, 120, 208, 256, 328, 408, 552, 680},
	{72, 144, 224, 328, 424, 504, 680, 872},
	{88, 176, 256, 392, 504, 600, 808, 1000},
	{104, 224, 328, 472, 584, 712, 1000, 1224},
	{120, 256, 392, 536, 680, 808, 1096, 1384},
	{136, 296, 456, 616, 776, 936, 1256, 1544},
	{144, 328, 504, 680, 872, 1000, 1384, 1736},
	{176, 376, 584, 776, 1000, 1192, 1608, 2024},
	{208, 440, 680, 1000, 1128, 1352, 1800, 2280},
	{224, 488, 744, 1032, 1256, 1544, 2024, 2536},
}

// npdschTBSTable is TS 36.213 Table 16.4.1.5.1-1 (NPDSCH transport block size,
// I_TBS 0..13 × I_SF 0..7), as of Rel-14 (Cat NB2). The Rel-13 table is the
// same with entries above 680 bits and row 13 absent. Unlike NPUSCH, the
// Rel-14 entries follow the LTE TBS table more closely (e.g. (6,7) 1032,
// (12,3) 904). Entry (13,3) is 1032 in recent versions; an early Rel-14
// version printed 1128, and one vendor manual lists 1000 for (12,3) (check).
var npdschTBSTable = [14][8]int{
	{16, 32, 56, 88, 120, 152, 208, 256},
	{24, 56, 88, 144, 176, 208, 256, 344},
	{32, 72, 144, 176, 208, 256, 328, 424},
	{40, 104, 176, 208, 256, 328, 440, 568},
	{56, 120, 208, 256, 328, 408, 552, 680},
	{72, 144, 224, 328, 424, 504, 680, 872},
	{88, 176, 256, 392, 504, 600, 808, 1032},
	{104, 224, 328, 472, 584, 680, 968, 1224},
	{120, 256, 392, 536, 680, 808, 1096, 1352},
	{136, 296, 456, 616, 776, 936, 1256, 1544},
	{144, 328, 504, 680, 872, 1032, 1384, 1736},
	{176, 376, 584, 776, 1000, 1192, 1608, 2024},
	{208, 440, 680, 904, 1128, 1352, 1800, 2280},
	{224, 488, 744, 1032, 1256, 1544, 2024, 2536},
}

const (
	numITBS = 14
	numIRU  = 8
)

// nruByIndex is TS 36.213 Table 16.5.1.1-2 (N_RU for I_RU) and, identically,
// Table 16.4.1.3-1 (N_SF for I_SF).
var nruByIndex = [numIRU]int{1, 2, 3, 4, 5, 6, 8, 10}

// NPUSCHTBS returns the NPUSCH transport block size in bits for I_TBS 0..13
// and I_RU 0..7 (TS 36.213 Table 16.5.1.2-2, Rel-14). Rel-13 (Cat NB1) UEs
// only use I_TBS ≤ 12 and TBS ≤ 1000 bits; single-tone NPUSCH only I_TBS ≤ 10
// (Table 16.5.1.2-1).
func NPUSCHTBS(iTBS, iRU int) (bits int, err error) {
	if iTBS < 0 || iTBS >= numITBS || iRU < 0 || iRU >= numIRU {
		return 0, errorf("NPUSCH TBS index (I_TBS %d, I_RU %d) out of range (I_TBS 0..13, I_RU 0..7)", iTBS, iRU)
	}
	return npuschTBSTable[iTBS][iRU], nil
}

// NPDSCHTBS returns the NPDSCH transport block size in bits for I_TBS 0..13
// and I_SF 0..7 (TS 36.213 Table 16.4.1.5.1-1, Rel-14). Rel-13 (Cat NB1) UEs
// only use I_TBS ≤ 12 and TBS ≤ 680 bits; in-band cells I_TBS ≤ 10.
func NPDSCHTBS(iTBS, iSF int) (bits int, err error) {
	if iTBS < 0 || iTBS >= numITBS || iSF < 0 || iSF >= numIRU {
		return 0, errorf("NPDSCH TBS index (I_TBS %d, I_SF %d) out of range (I_TBS 0..13, I_SF 0..7)", iTBS, iSF)
	}
	return npdschTBSTable[iTBS][iSF], nil
}

// NumRU maps I_RU to the number of resource units N_RU (TS 36.213 Table
// 16.5.1.1-2): {1, 2, 3, 4, 5, 6, 8, 10}.
func NumRU(iRU int) (int, error) {
	if iRU < 0 || iRU >= numIRU {
		return 0, errorf("I_RU %d out of range 0..7", iRU)
	}
	return nruByIndex[iRU], nil
}

// NumSF maps I_SF to the number of NPDSCH subframes N_SF (TS 36.213 Table
// 16.4.1.3-1): {1, 2, 3, 4, 5, 6, 8, 10}.
func NumSF(iSF int) (int, error) {
	if iSF < 0 || iSF >= numIRU {
		return 0, errorf("I_SF %d out of range 0..7", iSF)
	}
	return nruByIndex[iSF], nil
}

// singleToneIMCS maps I_TBS to I_MCS for single-tone NPUSCH, the inverse of
// TS 36.213 Table 16.5.1.2-1 (I_MCS 0, 1 are π/2-BPSK with I_TBS 0, 2; I_MCS 2
// is π/4-QPSK with I_TBS 1; I_MCS = I_TBS for 3..10).
var singleToneIMCS = [11]int{0, 2, 1, 3, 4, 5, 6, 7, 8, 9, 10}

// RUDuration is the duration of one NPUSCH format 1 resource unit, TS 36.211
// Table 10.1.2.3-1: at 15 kHz, 1 tone 8 ms (16 slots of 0.5 ms), 3 tones 4 ms,
// 6 tones 2 ms, 12 tones 1 ms; at 3.75 kHz, 1 tone 32 ms (16 slots of 2 ms).
func RUDuration(tones int, scsHz int) (time.Duration, error) {
	switch scsHz {
	case SCS15000:
		switch tones {
		case 1:
			return 8 * time.Millisecond, nil
		case 3:
			return 4 * time.Millisecond, nil
		case 6:
			return 2 * time.Millisecond, nil
		case 12:
			return time.Millisecond, nil
		}
		return 0, errorf("NPUSCH at 15 kHz uses 1, 3, 6 or 12 tones, not %d", tones)
	case SCS3750:
		if tones == 1 {
			return 32 * time.Millisecond, nil
		}
		return 0, errorf("NPUSCH at 3.75 kHz is single-tone only, not %d tones", tones)
	}
	return 0, errorf("NPUSCH subcarrier spacing must be 15000 or 3750 Hz, not %d", scsHz)
}

// HARQACKDuration is the airtime of an NPUSCH format 2 (HARQ-ACK) transmission
// with reps repetitions (TS 36.331 ack-NACK-NumRepetitions ∈ {1..128}): one
// resource unit of 1 tone × 4 slots (TS 36.211 Table 10.1.2.3-1), i.e. 2 ms at
// 15 kHz and 8 ms at 3.75 kHz, per repetition.
func HARQACKDuration(reps int, scsHz int) (time.Duration, error) {
	if reps < 1 || reps > 128 {
		return 0, errorf("HARQ-ACK repetitions %d out of range 1..128", reps)
	}
	switch scsHz {
	case SCS15000:
		return time.Duration(reps) * 2 * time.Millisecond, nil
	case SCS3750:
		return time.Duration(reps) * 8 * time.Millisecond, nil
	}
	return 0, errorf("NPUSCH subcarrier spacing must be 15000 or 3750 Hz, not %d", scsHz)
}

// Repetition value sets (the exported slices are copies; the package uses
// its own).
var (
	npuschReps = [...]int{1, 2, 4, 8, 16, 32, 64, 128}
	npdschReps = [...]int{1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048}
	npdcchRmax = [...]int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}
	nprachReps = [...]int{1, 2, 4, 8, 16, 32, 64, 128}
)

var (
	// NPUSCHRepetitions is N_Rep for NPUSCH, TS 36.213 Table 16.5.1.1-3.
	NPUSCHRepetitions = append([]int(nil), npuschReps[:]...)
	// NPDSCHRepetitions is N_Rep for NPDSCH, TS 36.213 Table 16.4.1.3-2.
	NPDSCHRepetitions = append([]int(nil), npdschReps[:]...)
	// NPDCCHRmaxValues is the NPDCCH search-space maximum repetition
	// number R_max, TS 36.331 npdcch-NumRepetitions-r13.
	NPDCCHRmaxValues = append([]int(nil), npdcchRmax[:]...)
	// NPRACHRepetitions is numRepetitionsPerPreambleAttempt-r13, TS 36.331.
	NPRACHRepetitions = append([]int(nil), nprachReps[:]...)
)

// NPDCCHRepetitions returns the repetition numbers R a DCI may use in a
// search space with maximum Rmax, TS 36.213 Table 16.6-1: {1} for Rmax 1,
// {1, 2} for 2, {1, 2, 4} for 4, and {Rmax/8, Rmax/4, Rmax/2, Rmax} above.
func NPDCCHRepetitions(rmax int) ([]int, error) {
	i := sort.SearchInts(npdcchRmax[:], rmax)
	if i == len(npdcchRmax) || npdcchRmax[i] != rmax {
		return nil, errorf("NPDCCH Rmax %d not one of %v", rmax, npdcchRmax)
	}
	switch rmax {
	case 1:
		return []int{1}, nil
	case 2:
		return []int{1, 2}, nil
	case 4:
		return []int{1, 2, 4}, nil
	}
	return []int{rmax / 8, rmax / 4, rmax / 2, rmax}, nil
}

// NPDCCHType1Repetitions returns the repetition numbers R a paging DCI
// may use in the Type-1 common search space with maximum Rmax
// (npdcch-NumRepetitionPaging), TS 36.213 Table 16.6-3: every R from 1 to
// Rmax for Rmax ≤ 128; above, 1 and the largest of them: {1, 4, 8, …, 256}
// for 256, {1, 4, 16, 32, …, 512} for 512, {1, 8, 32, 64, …, 1024} for 1024,
// {1, 8, 64, 128, …, 2048} for 2048 (eight each). Every candidate starts at
// the paging occasion's subframe (§16.6: k = k0).
func NPDCCHType1Repetitions(rmax int) ([]int, error) {
	i := sort.SearchInts(npdcchRmax[:], rmax)
	if i == len(npdcchRmax) || npdcchRmax[i] != rmax {
		return nil, errorf("NPDCCH Rmax %d not one of %v", rmax, npdcchRmax)
	}
	low := map[int][]int{256: {1, 4}, 512: {1, 4, 16}, 1024: {1, 8, 32}, 2048: {1, 8, 64}}[rmax]
	rs := append([]int(nil), low...)
	r := 1
	if len(low) > 0 {
		r = low[len(low)-1] * 2
	}
	for ; r <= rmax; r *= 2 {
		rs = append(rs, r)
	}
	return rs, nil
}

// NPDCCHAirtime is the airtime of a DCI sent with r repetitions: one NB-IoT
// downlink subframe (1 ms) per repetition (TS 36.211 §10.2.5; NPDCCH format 1
// fills the subframe). r ≤ 0 gives 0 and r is capped at 2048 (largest Rmax).
// Subframes unavailable for NPDCCH stretch the elapsed time, not the airtime
// (see [DLAvailableFraction]).
func NPDCCHAirtime(r int) time.Duration {
	if r <= 0 {
		return 0
	}
	return time.Duration(min(r, 2048)) * time.Millisecond
}

// sib1Table is TS 36.213 Table 16.4.1.3-3 (NPDSCH repetitions of SIB1-NB) and
// Table 16.4.1.5.2-1 (its TBS) indexed by schedulingInfoSIB1 (MIB-NB) 0..11.
var sib1Table = [12]struct{ reps, tbs int }{
	{4, 208}, {8, 208}, {16, 208},
	{4, 328}, {8, 328}, {16, 328},
	{4, 440}, {8, 440}, {16, 440},
	{4, 680}, {8, 680}, {16, 680},
}

// SIB1NB returns the number of SIB1-NB repetitions per 2560 ms and its
// transport block size for the MIB-NB field schedulingInfoSIB1 (0..11; 12..15
// are reserved), TS 36.213 Tables 16.4.1.3-3 and 16.4.1.5.2-1.
func SIB1NB(schedulingInfoSIB1 int) (reps, tbsBits int, err error) {
	if schedulingInfoSIB1 < 0 || schedulingInfoSIB1 >= len(sib1Table) {
		return 0, 0, errorf("schedulingInfoSIB1 %d out of range 0..11", schedulingInfoSIB1)
	}
	e := sib1Table[schedulingInfoSIB1]
	return e.reps, e.tbs, nil
}

// Anchor-carrier downlink subframes per 2560 ms (256 frames) that are not
// available for NPDCCH/NPDSCH.
const (
	dlSubframesPer2560ms = 2560
	npbchSubframes       = 256 // NPBCH: subframe 0 of every frame, TS 36.211 §10.2.4
	npssSubframes        = 256 // NPSS: subframe 5 of every frame, TS 36.211 §10.2.7.1
	nsssSubframes        = 128 // NSSS: subframe 9 of even frames, TS 36.211 §10.2.7.2
	sib1SubframesPerRep  = 8   // SIB1-NB: subframe 4 of every other frame in 16 frames, TS 36.213 §16.4.1.3
)

// DLAvailableFraction is the fraction of anchor-carrier downlink subframes
// left for NPDCCH/NPDSCH once NPBCH (subframe 0 of every frame), NPSS
// (subframe 5 of every frame), NSSS (subframe 9 of even frames) and SIB1-NB
// (8 subframes per repetition, 4, 8 or 16 repetitions per 2560 ms; TS 36.331
// schedulingInfoSIB1, see [SIB1NB]) are removed:
//
//	(2560 − 256 − 256 − 128 − 8·R) / 2560 = 0.7375, 0.725, 0.70 for R = 4, 8, 16.
//
// Other system information (SIB2-NB…) and LTE MBSFN/invalid subframes
// (downlinkBitmap) are not counted. sib1Repetitions is clamped to [0, 16]
// (0 = no SIB1-NB).
func DLAvailableFraction(sib1Repetitions int) float64 {
	r := max(0, min(sib1Repetitions, 16))
	free := dlSubframesPer2560ms - npbchSubframes - npssSubframes - nsssSubframes - sib1SubframesPerRep*r
	return float64(free) / dlSubframesPer2560ms
}
