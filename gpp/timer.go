package gpp

import "time"

// GPRS timer octets, TS 24.008 §10.5.7.3 (GPRS timer: T3412, T3402,
// T3423), §10.5.7.4 (GPRS timer 2: T3324, T3346, T3402 in ATTACH REJECT)
// and §10.5.7.4a (GPRS timer 3: T3412 extended value, T3396, back-off
// timer): timer unit in bits 8-6, timer value (0..31) in bits 5-1.

// TimerDeactivated is the octet with unit 111: the timer is deactivated,
// in the three formats.
const TimerDeactivated = 0xe0

// Largest values of the formats: 31 decihours (GPRS timer and GPRS timer
// 2) and 31 × 320 hours (GPRS timer 3).
const (
	GPRSTimer2Max = 31 * 6 * time.Minute
	GPRSTimer3Max = 31 * 320 * time.Hour
)

// TimerUnit is a unit code of bits 8-6 and the time one count stands for.
type TimerUnit struct {
	Code uint8
	Unit time.Duration
}

// gprsTimerUnits are the units of GPRS timer and GPRS timer 2
// (§10.5.7.3, §10.5.7.4), shortest first.
var gprsTimerUnits = [...]TimerUnit{
	{0, 2 * time.Second}, // 000: 2 seconds
	{1, time.Minute},     // 001: 1 minute
	{2, 6 * time.Minute}, // 010: decihours
}

// gprsTimer3Units are the units of GPRS timer 3 (§10.5.7.4a), shortest
// first.
var gprsTimer3Units = [...]TimerUnit{
	{3, 2 * time.Second},  // 011: 2 seconds
	{4, 30 * time.Second}, // 100: 30 seconds
	{5, time.Minute},      // 101: 1 minute
	{0, 10 * time.Minute}, // 000: 10 minutes
	{1, time.Hour},        // 001: 1 hour
	{2, 10 * time.Hour},   // 010: 10 hours
	{6, 320 * time.Hour},  // 110: 320 hours
}

// GPRSTimerUnits are the units GPRS timer and GPRS timer 2 define,
// shortest first.
func GPRSTimerUnits() [3]TimerUnit { return gprsTimerUnits }

// GPRSTimer3Units are the units GPRS timer 3 defines, shortest first.
func GPRSTimer3Units() [7]TimerUnit { return gprsTimer3Units }

// GPRSTimerDuration is the value of a GPRS timer or GPRS timer 2 octet; ok
// is false when it is deactivated. Units 011-110 "shall be interpreted as
// multiples of 1 minute" (§10.5.7.3, §10.5.7.4).
func GPRSTimerDuration(b uint8) (d time.Duration, ok bool) {
	v := time.Duration(b & 0x1f)
	switch u := b >> 5; u {
	case 7:
		return 0, false
	case 0, 1, 2:
		return v * gprsTimerUnits[u].Unit, true
	default:
		return v * time.Minute, true
	}
}

// GPRSTimer3Duration is the value of a GPRS timer 3 octet; ok is false
// when it is deactivated.
func GPRSTimer3Duration(b uint8) (d time.Duration, ok bool) {
	u := b >> 5
	if u == 7 {
		return 0, false
	}
	for _, x := range gprsTimer3Units {
		if x.Code == u {
			return time.Duration(b&0x1f) * x.Unit, true
		}
	}
	panic("unreachable: GPRS timer 3 defines every unit but 111")
}

// EncodeGPRSTimer2 is the GPRS timer 2 octet (also a GPRS timer octet)
// whose value is nearest d, and that value; beyond the range it is the
// largest value, below zero zero.
func EncodeGPRSTimer2(d time.Duration) (uint8, time.Duration) {
	b, v, _ := NearestGPRSTimer2(d, 0, 0)
	return b, v
}

// EncodeGPRSTimer3 is EncodeGPRSTimer2 for a GPRS timer 3 octet.
func EncodeGPRSTimer3(d time.Duration) (uint8, time.Duration) {
	b, v, _ := NearestGPRSTimer3(d, 0, 0)
	return b, v
}

// NearestGPRSTimer2 is the GPRS timer 2 octet (also a GPRS timer octet)
// whose value is nearest d among the values in [lo, hi] (a bound ≤ 0 is
// open); ok is false when no value lies in the range. See nearestTimer
// for the search and its ties.
func NearestGPRSTimer2(d, lo, hi time.Duration) (b uint8, v time.Duration, ok bool) {
	return nearestTimer(d, lo, hi, gprsTimerUnits[:])
}

// NearestGPRSTimer3 is NearestGPRSTimer2 for a GPRS timer 3 octet.
func NearestGPRSTimer3(d, lo, hi time.Duration) (b uint8, v time.Duration, ok bool) {
	return nearestTimer(d, lo, hi, gprsTimer3Units[:])
}

// nearestTimer tries every count 0..31 of every unit: rounding d in each
// unit alone misses the top of a smaller unit (33 min is nearer 31 × 1 min
// than 6 × 6 min). Ties go to the larger value, then to the unit listed
// first (the shorter).
func nearestTimer(d, lo, hi time.Duration, units []TimerUnit) (b uint8, v time.Duration, ok bool) {
	d = max(d, 0)
	for _, u := range units {
		for n := range time.Duration(32) {
			got := n * u.Unit
			if (lo > 0 && got < lo) || (hi > 0 && got > hi) {
				continue
			}
			e, be := absDur(got-d), absDur(v-d)
			if !ok || e < be || (e == be && got > v) {
				b, v, ok = u.Code<<5|uint8(n), got, true
			}
		}
	}
	return b, v, ok
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
