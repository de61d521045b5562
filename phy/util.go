package phy

import (
	"math"
	"math/bits"
)

// dbLimit bounds every dB-valued input and output of the package. Values
// beyond it (including ±Inf) saturate, and NaN is replaced by a documented,
// conservative value, so that no exported function ever returns NaN or ±Inf.
// ±1000 dB is far outside any physical quantity the simulator deals with.
const dbLimit = 1000.0

// satDb maps a dB quantity onto a finite value: NaN becomes nanAs, and
// anything outside ±dbLimit (including ±Inf) saturates.
func satDb(x, nanAs float64) float64 {
	if math.IsNaN(x) {
		x = nanAs
	}
	if x > dbLimit {
		return dbLimit
	}
	if x < -dbLimit {
		return -dbLimit
	}
	return x
}

// clampF clamps x to [lo, hi]; NaN becomes nanAs first.
func clampF(x, lo, hi, nanAs float64) float64 {
	if math.IsNaN(x) {
		x = nanAs
	}
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// lin2db converts a positive linear ratio to dB.
func lin2db(x float64) float64 { return 10 * math.Log10(x) }

// The values whose decibels the model asks for on every transmission
// (tones of an NPUSCH allocation, the NPRACH, NPUSCH and carrier
// bandwidths), converted once by lin2db itself: DB(x) is lin2db(x) bit for
// bit, without a logarithm on the hot path.
var (
	db1, db3, db6, db12        = lin2db(1), lin2db(3), lin2db(6), lin2db(12)
	db3750, db15000, dbCarrier = lin2db(3750), lin2db(15000), lin2db(NBIoTCarrierHz)
)

// dbPow2 is lin2db(2^i) for the repetition numbers 1 … 2048 (NPRACH,
// NPUSCH and NPDSCH repetitions are powers of 2), computed once.
var dbPow2 = func() (t [12]float64) {
	for i := range t {
		t[i] = lin2db(float64(int(1) << i))
	}
	return t
}()

// pow2Index is i when n = 2^i is in dbPow2's range.
func pow2Index(n int) (int, bool) {
	if n <= 0 || n&(n-1) != 0 {
		return 0, false
	}
	i := bits.TrailingZeros(uint(n))
	return i, i < len(dbPow2)
}

// dbOfInt is lin2db(float64(n)), from dbPow2 for a power of 2 it holds.
func dbOfInt(n int) float64 {
	if i, ok := pow2Index(n); ok {
		return dbPow2[i]
	}
	return lin2db(float64(n))
}

// DB is 10·log10(x) for a power ratio x.
func DB(x float64) float64 {
	switch x {
	case 1:
		return db1
	case 3:
		return db3
	case 6:
		return db6
	case 12:
		return db12
	case 3750:
		return db3750
	case 15000:
		return db15000
	case NBIoTCarrierHz:
		return dbCarrier
	}
	return lin2db(x)
}

// SumDbm adds powers given in dBm (or any common dB unit) in the linear
// domain and returns the total in the same unit. NaN entries are ignored (no
// power); with no usable entry the result is −1000 dBm (nothing).
func SumDbm(powersDbm ...float64) float64 {
	sum := 0.0
	for _, p := range powersDbm {
		if math.IsNaN(p) {
			continue
		}
		p = satDb(p, -dbLimit)
		sum += math.Pow(10, p/10)
	}
	if sum <= 0 {
		return -dbLimit
	}
	return satDb(lin2db(sum), -dbLimit)
}

// SINRdB returns signal / (noise + Σ interference) in dB, all powers in dBm.
// It is the general form of [ULSNRdB] and [DLSNRdB] for callers that model
// individual interferers instead of an aggregate interference-over-thermal.
// A NaN signal counts as no signal.
func SINRdB(signalDbm, noiseDbm float64, interferenceDbm ...float64) float64 {
	s := satDb(signalDbm, -dbLimit)
	all := make([]float64, 0, 1+len(interferenceDbm))
	all = append(all, noiseDbm)
	all = append(all, interferenceDbm...)
	return satDb(s-SumDbm(all...), -dbLimit)
}
