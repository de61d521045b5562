package epc

import (
	"fmt"
	"time"

	"github.com/nbsim/nbsim/gpp"
)

// Policy is how the network answers a requested timer (TS 23.682 §4.5.4.2
// and TS 24.301 §5.3.11: "the network may provide a different value").
type Policy uint8

// Policies.
const (
	Grant  Policy = iota // as requested (rounded to a representable value)
	Clamp                // into [Min, Max]
	Refuse               // the feature is not granted
)

var policyNames = [...]string{"grant", "clamp", "refuse"}

func (p Policy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("policy(%d)", p)
}

// ParsePolicy reads "grant", "clamp" or "refuse".
func ParsePolicy(s string) (Policy, error) {
	for i, n := range policyNames {
		if s == n {
			return Policy(i), nil
		}
	}
	return 0, fmt.Errorf("unknown timer policy %q (allowed: grant, clamp, refuse)", s)
}

// PSMRequest is what the UE asks for in Attach/TAU Request (TS 24.301 §8.2.4
// T3324 and T3412 extended IEs).
type PSMRequest struct {
	Enabled      bool
	T3324, T3412 time.Duration
}

// PSMGrant is what the MME grants in Attach/TAU Accept.
type PSMGrant struct {
	Enabled bool
	// T3324 is the active time; T3412 the periodic TAU timer.
	T3324, T3412 time.Duration
}

// PSMPolicy is the MME's PSM policy.
type PSMPolicy struct {
	Policy             Policy
	T3324Min, T3324Max time.Duration
	T3412Min, T3412Max time.Duration
	// DefaultT3412 is granted when the UE asks for no particular periodic TAU
	// (54 min is the TS 24.301 §10.2 default for T3412).
	DefaultT3412 time.Duration
}

// GrantPSM applies the policy to a request. Granted values are always
// representable in their GPRS timer encodings, and a clamp policy keeps them
// inside its bounds (the representable value nearest the request, not the
// rounding of the clamped request, which can cross a bound that is not
// itself representable).
func (p PSMPolicy) GrantPSM(r PSMRequest) PSMGrant {
	requested := r.T3412 > 0
	t3412 := r.T3412
	if !requested {
		t3412 = p.DefaultT3412
		if t3412 <= 0 {
			t3412 = 54 * time.Minute
		}
	}
	if !r.Enabled || p.Policy == Refuse {
		return PSMGrant{Enabled: false, T3412: grantT3412(t3412, requested, p.T3412Min, p.T3412Max)}
	}
	var lo, hi, lo3412, hi3412 time.Duration
	if p.Policy == Clamp {
		lo, hi, lo3412, hi3412 = p.T3324Min, p.T3324Max, p.T3412Min, p.T3412Max
	}
	_, a := encodeClamped(r.T3324, lo, hi, gpp.NearestGPRSTimer2)
	return PSMGrant{Enabled: true, T3324: a, T3412: grantT3412(t3412, requested, lo3412, hi3412)}
}

// grantT3412 is the representable periodic TAU timer nearest d in [lo, hi].
// A requested value is answered in the T3412 extended value IE (GPRS timer
// 3). When the UE asked for none, the MME sends its default in the T3412
// value IE (GPRS timer, TS 24.008 §10.5.7.3, the units of GPRS timer 2:
// 54 min is 9 decihours there, but not a GPRS timer 3 value), falling back
// to T3412 extended when that is nearer.
func grantT3412(d time.Duration, requested bool, lo, hi time.Duration) time.Duration {
	_, v := encodeClamped(d, lo, hi, gpp.NearestGPRSTimer3)
	if !requested {
		if _, w, ok := gpp.NearestGPRSTimer2(d, lo, hi); ok && absDur(w-d) <= absDur(v-d) {
			v = w
		}
	}
	return v
}

// EDRXRequest is the UE's extended DRX parameters request.
type EDRXRequest struct {
	Enabled    bool
	Cycle, PTW time.Duration
}

// EDRXGrant is the network's answer.
type EDRXGrant struct {
	Enabled    bool
	Cycle, PTW time.Duration
}

// EDRXPolicy is the MME's eDRX policy.
type EDRXPolicy struct {
	Policy   Policy
	Min, Max time.Duration
}

// GrantEDRX applies the policy; granted cycles are NB-S1 values.
func (p EDRXPolicy) GrantEDRX(r EDRXRequest) EDRXGrant {
	if !r.Enabled || p.Policy == Refuse {
		return EDRXGrant{}
	}
	c := r.Cycle
	if p.Policy == Clamp {
		c = clampDur(c, p.Min, p.Max)
	}
	c = gpp.NearestEDRXNB(c)
	if p.Policy == Clamp && p.Max > 0 && c > p.Max {
		// the nearest value overshot the ceiling: take the largest below it
		cycles := gpp.EDRXCyclesNB()
		for i := len(cycles) - 1; i >= 0; i-- {
			if cycles[i].Cycle <= p.Max {
				c = cycles[i].Cycle
				break
			}
		}
	} else if p.Policy == Clamp && p.Min > 0 && c < p.Min {
		// the nearest value undershot the floor: take the smallest above it
		for _, e := range gpp.EDRXCyclesNB() {
			if e.Cycle >= p.Min && (p.Max <= 0 || e.Cycle <= p.Max) {
				c = e.Cycle
				break
			}
		}
	}
	ptw := gpp.NearestPTWNB(r.PTW)
	if ptw > c {
		ptw = c
	}
	return EDRXGrant{Enabled: true, Cycle: c, PTW: ptw}
}

// encodeClamped returns the octet nearest d among the values in [lo, hi]
// (nearest is gpp.NearestGPRSTimer2 or 3), or, when no value lies in the
// range, the one nearest d clamped into it.
func encodeClamped(d, lo, hi time.Duration, nearest func(d, lo, hi time.Duration) (uint8, time.Duration, bool)) (byte, time.Duration) {
	if b, v, ok := nearest(d, lo, hi); ok {
		return b, v
	}
	b, v, _ := nearest(clampDur(d, lo, hi), 0, 0)
	return b, v
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func clampDur(d, lo, hi time.Duration) time.Duration {
	if lo > 0 && d < lo {
		d = lo
	}
	if hi > 0 && d > hi {
		d = hi
	}
	return d
}
