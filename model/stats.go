package model

import (
	"github.com/nbsim/nbsim/device"
)

// Drop causes (keys of drops_by_cause).
const (
	CauseOutOfCoverage  = "out_of_coverage"
	CauseAccessFailure  = "access_failure"
	CauseUEBufferFull   = "ue_buffer_full"
	CauseHARQFailure    = "harq_failure"
	CauseMTBufferFull   = "mt_buffer_full"
	CauseMTBufferExpiry = "mt_buffer_expired"
	CauseNotRegistered  = "not_registered"
)

// groupStats are one group's counters.
type groupStats struct {
	generated, delivered, dropped int64
	accAttempts, accOK, accFail   int64
	preambles                     int64   // preamble transmissions
	preTxOK                       int64   // preamble transmissions of successful procedures
	preTxHist                     []int64 // successful procedures by preamble transmissions (index = transmissions − 1)
	collided                      int64   // collided (occasion, preamble) pairs involving the group
	mtGen, mtOK, mtDrop           int64
	attaches, taus, pages         int64
	delays                        []float32 // access delay (first preamble → contention resolution, TR 37.868), ms
	triggerDelays                 []float32 // access trigger → contention resolution, ms
	attachTimes                   []float32 // first attach attempt → registered, ms
	latency                       []float32 // report latency, ms
	mtLatency                     []float32
	drops                         map[string]int64 // uplink reports
	mtDrops                       map[string]int64
	stateNS                       [device.NumStates]int64
	stateMJ                       [device.NumStates]float64
}

// book adds an energy effect to the group's time and energy by state.
func (s *groupStats) book(e *device.Effect) {
	s.stateNS[e.State] += e.NS
	s.stateMJ[e.State] += e.MJ
}

func (s *groupStats) drop(cause string, k int64) {
	if k == 0 {
		return
	}
	if s.drops == nil {
		s.drops = map[string]int64{}
	}
	s.drops[cause] += k
}

func (s *groupStats) dropMT(cause string, k int64) {
	if k == 0 {
		return
	}
	if s.mtDrops == nil {
		s.mtDrops = map[string]int64{}
	}
	s.mtDrops[cause] += k
	s.mtDrop += k
}

// totals are network-wide counters.
type totals struct {
	collided  int64
	connected int64 // devices currently connected
}

// row is one minute of the time series.
type row struct {
	arrivals, preambles, collisions, successes, failures int64
	connected                                            int64 // peak in the minute
}
