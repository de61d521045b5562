package devtest

import (
	"net/netip"
	"sync"
	"time"

	"github.com/nbsim/nbsim/emulate"
)

// record is what the network saw in one session: the module's events,
// the datagrams at the suite's server, and the module's energy.
type record struct {
	mu     sync.Mutex
	events []emulate.Event
	rx     []datagram // received by the server
	tx     []datagram // sent by the server (downlink)
	end    time.Duration

	energyEnd *energy // at the end
}

// datagram is one datagram at the server, at network time at.
type datagram struct {
	at     time.Duration
	data   []byte
	from   netip.AddrPort
	asleep bool // tx: the module was in PSM when it was sent
}

type energy struct {
	chargeMAh float64 // used since the start
	years     float64 // the battery life projection
}

func (r *record) observe(ev emulate.Event) {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
}

func (r *record) isEcho(b []byte) bool {
	for _, d := range r.tx {
		if string(d.data) == string(b) {
			return true
		}
	}
	return false
}

// first returns the time of the first event of kind at or after from.
func (r *record) first(kind emulate.EventKind, from time.Duration) (time.Duration, bool) {
	for _, ev := range r.events {
		if ev.Kind == kind && ev.At >= from {
			return ev.At, true
		}
	}
	return 0, false
}

// count is the number of events of kind in [from, to).
func (r *record) count(kind emulate.EventKind, from, to time.Duration) int {
	n := 0
	for _, ev := range r.events {
		if ev.Kind == kind && ev.At >= from && ev.At < to {
			n++
		}
	}
	return n
}

// attemptTimes are the times attach attempts ended in [from, to): each
// attempt ends in a failure or an attach.
func (r *record) attemptTimes(from, to time.Duration) []time.Duration {
	var out []time.Duration
	for _, ev := range r.events {
		if (ev.Kind == emulate.EvAttachFailed || ev.Kind == emulate.EvAttached) && ev.At >= from && ev.At < to {
			out = append(out, ev.At)
		}
	}
	return out
}

func (r *record) attempts(from, to time.Duration) int { return len(r.attemptTimes(from, to)) }

// uplinks returns the time of each uplink at SGi.
func (r *record) uplinks() []time.Duration {
	var out []time.Duration
	for _, ev := range r.events {
		if ev.Kind == emulate.EvUplink {
			out = append(out, ev.At)
		}
	}
	return out
}

// psmTime is the time the module spent in PSM within [from, to).
func (r *record) psmTime(from, to time.Duration) time.Duration {
	var total time.Duration
	in, since := false, time.Duration(0)
	for _, ev := range r.events {
		switch ev.Kind {
		case emulate.EvPSMEntered:
			if !in {
				in, since = true, ev.At
			}
		case emulate.EvPSMLeft, emulate.EvPoweredOff:
			if in {
				total += overlap(since, ev.At, from, to)
				in = false
			}
		}
	}
	if in {
		total += overlap(since, to, from, to)
	}
	return total
}

func overlap(a, b, from, to time.Duration) time.Duration {
	a, b = max(a, from), min(b, to)
	if b < a {
		return 0
	}
	return b - a
}

// inPSM reports whether the module is in PSM after the events so far.
func (r *record) inPSM() bool {
	in := false
	for _, ev := range r.events {
		switch ev.Kind {
		case emulate.EvPSMEntered:
			in = true
		case emulate.EvPSMLeft, emulate.EvPoweredOff:
			in = false
		}
	}
	return in
}
