package epc

import (
	"math"
	"time"

	"github.com/nbsim/nbsim/gpp"
)

// The timer and eDRX value sets are gpp's (TS 24.008 §10.5.7.3, §10.5.7.4,
// §10.5.7.4a, §10.5.5.32); what is here is the MME's choice of a value
// for a request.

// TimerDeactivated is the GPRS timer 2/3 octet for "deactivated" (unit 111).
const TimerDeactivated byte = gpp.TimerDeactivated

// MaxT3324 is the largest GPRS timer 2 value: 31 decihours.
const MaxT3324 = gpp.GPRSTimer2Max

// MaxT3412 is the largest GPRS timer 3 value: 31 × 320 h.
const MaxT3412 = gpp.GPRSTimer3Max

// nearestFunc is gpp.NearestGPRSTimer2 or gpp.NearestGPRSTimer3.
type nearestFunc func(d, lo, hi time.Duration) (uint8, time.Duration, bool)

// encodeClamped returns the octet closest to d among the values in
// [lo, hi], or, when no value lies in the range, the one closest to d
// clamped into it.
func encodeClamped(d, lo, hi time.Duration, nearest nearestFunc) (byte, time.Duration) {
	if b, v, ok := nearest(d, lo, hi); ok {
		return b, v
	}
	b, v, _ := nearest(clampDur(d, lo, hi), 0, 0)
	return b, v
}

// EncodeT3324 returns the GPRS timer 2 octet closest to d and the value it
// stands for; values beyond the range give the largest value.
func EncodeT3324(d time.Duration) (byte, time.Duration) {
	b, v, _ := gpp.NearestGPRSTimer2(d, 0, 0)
	return b, v
}

// EncodeT3412 returns the GPRS timer 3 octet closest to d and the value it
// stands for; values beyond the range give the largest value.
func EncodeT3412(d time.Duration) (byte, time.Duration) {
	b, v, _ := gpp.NearestGPRSTimer3(d, 0, 0)
	return b, v
}

// DecodeTimer2 returns the value of a GPRS timer 2 octet; ok is false when
// it is deactivated. Unknown units are taken as 1 minute (TS 24.008 §10.5.7.4).
func DecodeTimer2(b byte) (time.Duration, bool) { return gpp.GPRSTimerDuration(b) }

// DecodeTimer3 returns the value of a GPRS timer 3 octet; ok is false when
// it is deactivated (TS 24.008 §10.5.7.4a).
func DecodeTimer3(b byte) (time.Duration, bool) { return gpp.GPRSTimer3Duration(b) }

// PTWUnitNB is the paging time window step in NB-S1 mode: 2.56 s × (value+1),
// TS 24.008 Table 10.5.5.32.
const PTWUnitNB = gpp.PTWUnitNB

// NearestEDRX returns the NB-IoT eDRX cycle closest to d (ties to the shorter).
func NearestEDRX(d time.Duration) time.Duration {
	cycles := gpp.EDRXCyclesNB()
	best := cycles[0].Cycle
	for _, c := range cycles {
		if absDur(c.Cycle-d) < absDur(best-d) {
			best = c.Cycle
		}
	}
	return best
}

// NearestPTW rounds d to a valid NB-S1 paging time window (2.56 s … 40.96 s).
func NearestPTW(d time.Duration) time.Duration {
	n := math.Round(float64(d) / float64(PTWUnitNB))
	n = math.Max(1, math.Min(16, n))
	return time.Duration(n) * PTWUnitNB
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// EDRXCodeNB returns the eDRX value code (TS 24.008 Table 10.5.5.32, NB-S1
// mode) of the NB-IoT cycle nearest to cycle and the PTW code for ptw
// (value+1 × 2.56 s).
func EDRXCodeNB(cycle, ptw time.Duration) (edrx, ptwCode byte) {
	c := NearestEDRX(cycle)
	for _, e := range gpp.EDRXCyclesNB() {
		if e.Cycle == c {
			edrx = e.Code
		}
	}
	return edrx, byte(NearestPTW(ptw)/PTWUnitNB - 1)
}

// EDRXFromCodeNB decodes NB-S1 eDRX and PTW codes; ok is false for a code
// that NB-S1 mode does not define.
func EDRXFromCodeNB(edrx, ptwCode byte) (cycle, ptw time.Duration, ok bool) {
	if c, ok := gpp.EDRXCycleNB(edrx); ok {
		return c, gpp.PTWNB(ptwCode), true
	}
	return 0, 0, false
}
