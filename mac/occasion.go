package mac

import (
	"cmp"
	"math"
	"slices"

	"github.com/nbsim/nbsim/sim"
)

// Outcome is what a device's preamble led to in one occasion.
type Outcome uint8

// Outcomes of a preamble.
const (
	// NoRAR: missed, an undetected collision, or not granted: the device's
	// RAR window ends without its preamble in a RAR.
	NoRAR Outcome = iota
	// Granted: the device's preamble alone got a RAR with an uplink grant.
	Granted
	// GrantedCollided: several devices sent this preamble and all of them
	// got the one RAR (contention handling): they send Msg3 on the same grant.
	GrantedCollided
)

var outcomeNames = [...]string{"no-rar", "granted", "granted-collided"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown"
}

// Pick is one device's preamble in an occasion. The model fills the inputs;
// Resolve fills the outputs.
type Pick struct {
	Dev      int32
	Cell     int32
	Preamble int32
	// SNRdB of the preamble at its serving cell (interference included).
	SNRdB float64
	// DetectP: probability the eNB detects the preamble if it is alone.
	DetectP float64

	// Outputs.
	Outcome Outcome
	// Group is the index (in the sorted slice) of the first pick with the
	// same cell and preamble; equal Group values share one grant.
	Group int32
	// GroupSize is how many devices picked this (cell, preamble).
	GroupSize int32
	// Winner: with capture on, this device's Msg3 is decodable despite the
	// collision (it is the strongest by at least the capture margin).
	Winner bool
}

// Handling says what the eNB does with a preamble sent by several devices.
type Handling uint8

// Collision handling.
const (
	// Contention: one RAR for the collided preamble; the devices collide in
	// Msg3 and fail contention resolution (real co-located devices).
	Contention Handling = iota
	// Undetected: a collided preamble gets no RAR (TR 37.868 assumption).
	Undetected
)

// ResolveConfig is the eNB's occasion handling.
type ResolveConfig struct {
	Handling Handling
	// CaptureDb > 0 enables capture: the strongest of a collided group is
	// decoded if it beats the second strongest by this margin.
	CaptureDb float64
	// Grants is how many (cell, preamble) groups one cell can answer in the
	// RAR of this occasion; the rest get no RAR. ≤ 0 means no limit.
	Grants int
}

// OccasionStats counts one occasion's outcome.
type OccasionStats struct {
	Picks     int
	Collided  int // (cell, preamble) pairs picked by two or more devices
	Detected  int // groups detected
	Granted   int // groups granted
	NotGrants int // groups detected but beyond the grant limit
}

// Resolve decides the outcome of every pick of one occasion (possibly across
// several cells). It sorts picks by (cell, preamble, device) so the result
// does not depend on input order, draws detection with rng, and grants up to
// cfg.Grants detected groups per cell in random order.
func Resolve(picks []Pick, cfg ResolveConfig, rng *sim.Stream) OccasionStats {
	var st OccasionStats
	st.Picks = len(picks)
	// cmp.Compare, not a subtraction: int32 differences overflow and make
	// the order inconsistent, splitting a (cell, preamble) group.
	slices.SortFunc(picks, func(a, b Pick) int {
		if a.Cell != b.Cell {
			return cmp.Compare(a.Cell, b.Cell)
		}
		if a.Preamble != b.Preamble {
			return cmp.Compare(a.Preamble, b.Preamble)
		}
		return cmp.Compare(a.Dev, b.Dev)
	})
	for i := 0; i < len(picks); {
		// one cell
		j := i
		for j < len(picks) && picks[j].Cell == picks[i].Cell {
			j++
		}
		resolveCell(picks[i:j], int32(i), cfg, rng, &st)
		i = j
	}
	return st
}

func resolveCell(p []Pick, base int32, cfg ResolveConfig, rng *sim.Stream, st *OccasionStats) {
	// Detected groups, by first index within p.
	var detected []int32
	for i := 0; i < len(p); {
		j := i
		for j < len(p) && p[j].Preamble == p[i].Preamble {
			j++
		}
		n := int32(j - i)
		strongest, second := int32(i), int32(-1)
		miss := 1.0
		for k := i; k < j; k++ {
			p[k].Group = base + int32(i)
			p[k].GroupSize = n
			p[k].Outcome = NoRAR
			p[k].Winner = false
			miss *= 1 - clamp01(p[k].DetectP)
			if k != i {
				if p[k].SNRdB > p[strongest].SNRdB {
					second, strongest = strongest, int32(k)
				} else if second < 0 || p[k].SNRdB > p[second].SNRdB {
					second = int32(k)
				}
			}
		}
		captured := n > 1 && cfg.CaptureDb > 0 && p[strongest].SNRdB-p[second].SNRdB >= cfg.CaptureDb
		if n > 1 {
			st.Collided++
		}
		var det bool
		switch {
		case n == 1:
			det = rng.Float64() < clamp01(p[i].DetectP)
		case cfg.Handling == Undetected && !captured:
			det = false
		case cfg.Handling == Undetected: // captured: the strongest alone is seen
			det = rng.Float64() < clamp01(p[strongest].DetectP)
		default: // contention: energy on the preamble from any of them
			det = rng.Float64() >= miss
		}
		if det {
			detected = append(detected, int32(i))
			if captured {
				p[strongest].Winner = true
			}
		}
		i = j
	}
	st.Detected += len(detected)
	// Grant in random order, up to the limit.
	for k := len(detected) - 1; k > 0; k-- {
		r := rng.IntN(k + 1)
		detected[k], detected[r] = detected[r], detected[k]
	}
	lim := len(detected)
	if cfg.Grants > 0 && cfg.Grants < lim {
		st.NotGrants += lim - cfg.Grants
		lim = cfg.Grants
	}
	st.Granted += lim
	for _, g := range detected[:lim] {
		n := p[g].GroupSize
		for k := g; k < g+n; k++ {
			switch {
			case n == 1:
				p[k].Outcome = Granted
			case cfg.Handling == Undetected:
				// captured group in undetected mode: only the winner hears its RAR
				if p[k].Winner {
					p[k].Outcome = Granted
				}
			default:
				p[k].Outcome = GrantedCollided
			}
		}
	}
}

func clamp01(x float64) float64 {
	if !(x > 0) { // also NaN
		return 0
	}
	return min(x, 1) // the builtin: math.Min's result, without its call
}

// LTEDetectProb is the TR 37.868 preamble detection probability at the n-th
// preamble transmission: 1 − e^(−n) (3GPP TR 37.868 §6.2.2.1, Table 6.2.2.1.3-1).
func LTEDetectProb(n int) float64 {
	if n <= 0 {
		return 0
	}
	return 1 - math.Exp(-float64(n))
}
