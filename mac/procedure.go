package mac

import (
	"time"

	"github.com/nbsim/nbsim/sim"
)

// Attempt is the device side of the random-access procedure's counters
// (TS 36.321 §5.1.1–5.1.5): PREAMBLE_TRANSMISSION_COUNTER over all CE levels
// and the count at the current CE level.
type Attempt struct {
	CE     uint8  // current CE level
	Tx     uint16 // preamble transmissions so far (all levels)
	TxAtCE uint16 // transmissions at the current level
	MaxCE  uint8  // highest CE level configured
}

// Next is what a device does after an unsuccessful preamble (no RAR in the
// window, or contention resolution failed).
type Next uint8

// Next actions.
const (
	// Retry at the same CE level after backoff.
	Retry Next = iota
	// Escalate: move to the next CE level (TS 36.321 §5.1.4: after
	// maxNumPreambleAttemptCE attempts at a level) and retry after backoff.
	Escalate
	// Fail: preambleTransMax-CE reached; the procedure is reported as failed
	// to upper layers (TS 36.321 §5.1.4).
	Fail
)

// AfterFailure updates the counters for one unsuccessful attempt and says
// what comes next. maxAtCE is maxNumPreambleAttemptCE of the current level,
// transMax is preambleTransMax-CE (for LTE mode, pass maxAtCE = transMax).
func (a *Attempt) AfterFailure(maxAtCE, transMax int) Next {
	if int(a.Tx) >= transMax {
		return Fail
	}
	if maxAtCE > 0 && int(a.TxAtCE) >= maxAtCE && a.CE < a.MaxCE {
		a.CE++
		a.TxAtCE = 0
		return Escalate
	}
	return Retry
}

// Sent records one preamble transmission.
func (a *Attempt) Sent() {
	a.Tx++
	a.TxAtCE++
}

// Backoff draws the backoff time: uniform in [0, B] where B is the backoff
// parameter value of index bi (TS 36.321 §5.1.4: "select a random backoff
// time according to a uniform distribution between 0 and the Backoff
// Parameter Value").
func Backoff(rng *sim.Stream, bi int, nb bool) time.Duration {
	b, ok := BackoffValue(bi, nb)
	if !ok || b <= 0 {
		return 0
	}
	return time.Duration(rng.Float64() * float64(b))
}

// Barred applies access barring (TS 36.331 §5.3.3.11): a device draws rand
// uniform in [0,1); it may access if rand < factor. If barred it must wait
// (0.7 + 0.6·rand)·barringTime. factor ≥ 1 never bars.
func Barred(rng *sim.Stream, factor float64, barringTime time.Duration) (bool, time.Duration) {
	if factor >= 1 {
		return false, 0
	}
	if rng.Float64() < factor {
		return false, 0
	}
	return true, time.Duration((0.7 + 0.6*rng.Float64()) * float64(barringTime))
}
