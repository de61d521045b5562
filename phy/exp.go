package phy

import "math"

// Exp is e^x within 4e-16 relative error of math.Exp (about 2 ulp;
// TestExp measures it over [−700, 700]), at about half its cost: the
// simulator converts dBm to mW, decays its interference estimates and
// evaluates its logistic BLER and detection curves with it millions of
// times a simulated day. Outside (−700, 700), and for NaN, it is math.Exp.
//
// The method is the usual table-driven one (as in musl's and ARM's
// optimized-routines exp): x = (k/N)·ln 2 + r with N = 128 and
// |r| ≤ ln2/256, e^x = 2^(k/N) · e^r, with 2^(j/N) from a table of 128
// values (math.Exp2, correctly rounded or within an ulp) and e^r − 1 from
// a degree-5 polynomial (the coefficients of ARM's exp.c, error below
// 2^-64 on that interval). The results differ from math.Exp's in the last
// bits only; results that depend on them change as any change of
// rounding would (docs/model.md, Numerics).
func Exp(x float64) float64 {
	if !(x > -700 && x < 700) {
		return math.Exp(x)
	}
	// k = round(x·N/ln 2), by the shift: the float's low bits hold k.
	kd := x*expInvLn2N + expShift
	ki := math.Float64bits(kd)
	kd -= expShift
	r := x + kd*expNegLn2hiN + kd*expNegLn2loN
	r2 := r * r
	p := r + r2*(expC2+r*expC3) + r2*r2*(expC4+r*expC5)
	// 2^(k/N): the table's 2^(j/N), j = k mod N, with ⌊k/N⌋ added to the
	// exponent (the shift's own bits vanish: its exponent field, moved
	// left 45 bits, is past bit 63).
	s := math.Float64frombits(expTable[ki%expN] + (ki>>expTableBits)<<52)
	return s + s*p
}

const (
	expTableBits = 7
	expN         = 1 << expTableBits
	expInvLn2N   = 0x1.71547652b82fep0 * expN
	expShift     = 0x1.8p52
	// −ln 2/N in two parts: the first exact in its leading bits, so
	// kd·expNegLn2hiN is exact for |k| < 2^17 (|x| < 700: |k| < 129,300).
	expNegLn2hiN = -0x1.62e42fefa0000p-8
	expNegLn2loN = -0x1.cf79abc9e3b3ap-47
	expC2        = 0x1.ffffffffffdbdp-2
	expC3        = 0x1.555555555543cp-3
	expC4        = 0x1.55555cf172b91p-5
	expC5        = 0x1.1111167a4d017p-7
)

// expTable is 2^(j/N), j = 0 … N−1, as float64 bits.
var expTable = func() (t [expN]uint64) {
	for j := range t {
		t[j] = math.Float64bits(math.Exp2(float64(j) / expN))
	}
	return t
}()
