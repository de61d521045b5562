package epc

import (
	"math"
	"time"
)

// timerUnits are the units of a GPRS timer format: the 3-bit code of bits
// 8–6 and the time one count of bits 5–1 stands for.
type timerUnits = []struct {
	code byte
	unit time.Duration
}

// GPRS timer 2 units, TS 24.008 §10.5.7.4 (used for T3324): bits 8–6 of
// the value octet; 111 = deactivated.
var timer2Units = timerUnits{
	{0, 2 * time.Second}, // 000: 2 seconds
	{1, time.Minute},     // 001: 1 minute
	{2, 6 * time.Minute}, // 010: decihours
}

// GPRS timer 3 units, TS 24.008 §10.5.7.4a (used for T3412 extended).
var timer3Units = timerUnits{
	{3, 2 * time.Second},  // 011: 2 seconds
	{4, 30 * time.Second}, // 100: 30 seconds
	{5, time.Minute},      // 101: 1 minute
	{0, 10 * time.Minute}, // 000: 10 minutes
	{1, time.Hour},        // 001: 1 hour
	{2, 10 * time.Hour},   // 010: 10 hours
	{6, 320 * time.Hour},  // 110: 320 hours
}

// TimerDeactivated is the GPRS timer 2/3 octet for "deactivated" (unit 111).
const TimerDeactivated byte = 0xE0

// MaxT3324 is the largest GPRS timer 2 value: 31 decihours.
const MaxT3324 = 31 * 6 * time.Minute

// MaxT3412 is the largest GPRS timer 3 value: 31 × 320 h.
const MaxT3412 = 31 * 320 * time.Hour

// encode returns the octet whose value is closest to d: every unit with
// every count 0..31 is a candidate (rounding d in each unit alone misses
// the top of a smaller unit: 33 min is nearer 31 × 1 min than 6 × 6 min).
// Ties go to the larger value, then to the smaller unit; values beyond the
// range give the largest value.
func encode(d time.Duration, units timerUnits) (byte, time.Duration) {
	b, v, _ := nearestIn(d, 0, 0, units)
	return b, v
}

// nearestIn is encode restricted to values in [lo, hi] (a bound ≤ 0 is
// open); ok is false when no value lies in the range.
func nearestIn(d, lo, hi time.Duration, units timerUnits) (b byte, v time.Duration, ok bool) {
	d = max(d, 0)
	for _, u := range units {
		for n := range time.Duration(32) {
			got := n * u.unit
			if (lo > 0 && got < lo) || (hi > 0 && got > hi) {
				continue
			}
			e, be := absDur(got-d), absDur(v-d)
			if !ok || e < be || (e == be && got > v) {
				b, v, ok = u.code<<5|byte(n), got, true
			}
		}
	}
	return b, v, ok
}

// encodeClamped returns the octet closest to d among the values in
// [lo, hi], or, when no value lies in the range, the one closest to d
// clamped into it.
func encodeClamped(d, lo, hi time.Duration, units timerUnits) (byte, time.Duration) {
	if b, v, ok := nearestIn(d, lo, hi, units); ok {
		return b, v
	}
	return encode(clampDur(d, lo, hi), units)
}

// EncodeT3324 returns the GPRS timer 2 octet closest to d and the value it
// stands for.
func EncodeT3324(d time.Duration) (byte, time.Duration) { return encode(d, timer2Units) }

// EncodeT3412 returns the GPRS timer 3 octet closest to d and the value it
// stands for.
func EncodeT3412(d time.Duration) (byte, time.Duration) { return encode(d, timer3Units) }

// DecodeTimer2 returns the value of a GPRS timer 2 octet; ok is false when
// it is deactivated. Unknown units are taken as 1 minute (TS 24.008 §10.5.7.4).
func DecodeTimer2(b byte) (time.Duration, bool) {
	v := time.Duration(b & 0x1f)
	switch b >> 5 {
	case 0:
		return v * 2 * time.Second, true
	case 1:
		return v * time.Minute, true
	case 2:
		return v * 6 * time.Minute, true
	case 7:
		return 0, false
	default:
		return v * time.Minute, true
	}
}

// DecodeTimer3 returns the value of a GPRS timer 3 octet; ok is false when
// it is deactivated (TS 24.008 §10.5.7.4a).
func DecodeTimer3(b byte) (time.Duration, bool) {
	v := time.Duration(b & 0x1f)
	switch b >> 5 {
	case 0:
		return v * 10 * time.Minute, true
	case 1:
		return v * time.Hour, true
	case 2:
		return v * 10 * time.Hour, true
	case 3:
		return v * 2 * time.Second, true
	case 4:
		return v * 30 * time.Second, true
	case 5:
		return v * time.Minute, true
	case 6:
		return v * 320 * time.Hour, true
	default:
		return 0, false
	}
}

// EDRXCyclesNB are the eDRX cycle lengths for NB-S1 mode, TS 24.008
// Table 10.5.5.32 (codes 2,3,5,9..15).
var EDRXCyclesNB = []struct {
	Code  byte
	Cycle time.Duration
}{
	{2, 20480 * time.Millisecond}, {3, 40960 * time.Millisecond}, {5, 81920 * time.Millisecond},
	{9, 163840 * time.Millisecond}, {10, 327680 * time.Millisecond}, {11, 655360 * time.Millisecond},
	{12, 1310720 * time.Millisecond}, {13, 2621440 * time.Millisecond}, {14, 5242880 * time.Millisecond},
	{15, 10485760 * time.Millisecond},
}

// PTWUnitNB is the paging time window step in NB-S1 mode: 2.56 s × (value+1),
// TS 24.008 Table 10.5.5.32.
const PTWUnitNB = 2560 * time.Millisecond

// NearestEDRX returns the NB-IoT eDRX cycle closest to d (ties to the shorter).
func NearestEDRX(d time.Duration) time.Duration {
	best := EDRXCyclesNB[0].Cycle
	for _, c := range EDRXCyclesNB {
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
	for _, e := range EDRXCyclesNB {
		if e.Cycle == c {
			edrx = e.Code
		}
	}
	return edrx, byte(NearestPTW(ptw)/PTWUnitNB - 1)
}

// EDRXFromCodeNB decodes NB-S1 eDRX and PTW codes; ok is false for a code
// that NB-S1 mode does not define.
func EDRXFromCodeNB(edrx, ptwCode byte) (cycle, ptw time.Duration, ok bool) {
	for _, e := range EDRXCyclesNB {
		if e.Code == edrx&0x0f {
			return e.Cycle, time.Duration(ptwCode&0x0f+1) * PTWUnitNB, true
		}
	}
	return 0, 0, false
}
