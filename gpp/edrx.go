package gpp

import (
	"math"
	"time"
)

// Extended DRX parameters in NB-S1 mode, TS 24.008 §10.5.5.32 (Table
// 10.5.5.32): the eDRX value (bits 4-1) codes the cycle, the paging time
// window (bits 8-5) the window; cycle lengths as TS 36.304 §7.3 uses them
// (T_eDRX,H = 2, 4, 8, ... 1024 hyperframes of 10.24 s).

// EDRXCycle is an eDRX value code and the cycle it stands for.
type EDRXCycle struct {
	Code  uint8
	Cycle time.Duration
}

// edrxCyclesNB are the NB-S1 mode eDRX cycles, shortest first; the codes
// not listed (0, 1, 4, 6, 7, 8) are not defined in NB-S1 mode.
var edrxCyclesNB = [...]EDRXCycle{
	{2, 20480 * time.Millisecond}, {3, 40960 * time.Millisecond}, {5, 81920 * time.Millisecond},
	{9, 163840 * time.Millisecond}, {10, 327680 * time.Millisecond}, {11, 655360 * time.Millisecond},
	{12, 1310720 * time.Millisecond}, {13, 2621440 * time.Millisecond}, {14, 5242880 * time.Millisecond},
	{15, 10485760 * time.Millisecond},
}

// EDRXCyclesNB are the NB-S1 mode eDRX cycles with their codes, shortest
// first.
func EDRXCyclesNB() [10]EDRXCycle { return edrxCyclesNB }

// EDRXCycleNB is the cycle of eDRX value code (bits 4-1) in NB-S1 mode; ok
// is false for a code NB-S1 mode does not define.
func EDRXCycleNB(code uint8) (time.Duration, bool) {
	for _, e := range edrxCyclesNB {
		if e.Code == code&0x0f {
			return e.Cycle, true
		}
	}
	return 0, false
}

// Paging time window in NB-S1 mode: (value + 1) × 2.56 s, value 0..15.
const (
	PTWUnitNB = 2560 * time.Millisecond
	PTWMaxNB  = 16 * PTWUnitNB
)

// PTWNB is the paging time window of PTW code (bits 4-1 of code).
func PTWNB(code uint8) time.Duration { return time.Duration(code&0x0f+1) * PTWUnitNB }

// PTWsNB are the 16 NB-S1 mode paging time windows, shortest first.
func PTWsNB() []time.Duration {
	out := make([]time.Duration, 16)
	for i := range out {
		out[i] = PTWNB(uint8(i))
	}
	return out
}

// NearestEDRXNB is the NB-S1 mode eDRX cycle nearest d (ties to the
// shorter).
func NearestEDRXNB(d time.Duration) time.Duration {
	best := edrxCyclesNB[0].Cycle
	for _, c := range edrxCyclesNB {
		if absDur(c.Cycle-d) < absDur(best-d) {
			best = c.Cycle
		}
	}
	return best
}

// NearestPTWNB rounds d to an NB-S1 mode paging time window (2.56 s …
// 40.96 s).
func NearestPTWNB(d time.Duration) time.Duration {
	n := math.Round(float64(d) / float64(PTWUnitNB))
	n = math.Max(1, math.Min(16, n))
	return time.Duration(n) * PTWUnitNB
}

// EDRXCodeNB is the eDRX value code of the NB-S1 mode cycle nearest cycle
// and the PTW code of the window nearest ptw.
func EDRXCodeNB(cycle, ptw time.Duration) (edrx, ptwCode uint8) {
	c := NearestEDRXNB(cycle)
	for _, e := range edrxCyclesNB {
		if e.Cycle == c {
			edrx = e.Code
		}
	}
	return edrx, uint8(NearestPTWNB(ptw)/PTWUnitNB - 1)
}

// EDRXFromCodeNB decodes NB-S1 mode eDRX value and PTW codes; ok is false
// for an eDRX code NB-S1 mode does not define.
func EDRXFromCodeNB(edrx, ptwCode uint8) (cycle, ptw time.Duration, ok bool) {
	if c, ok := EDRXCycleNB(edrx); ok {
		return c, PTWNB(ptwCode), true
	}
	return 0, 0, false
}
