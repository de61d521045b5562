package mme

import "time"

// NAS procedure supervision on the network side (TS 24.301 table 10.2.1):
// T3460 runs while the MME waits for AUTHENTICATION RESPONSE (§5.4.2.7)
// or SECURITY MODE COMPLETE (§5.4.3.7), T3450 while it waits for ATTACH
// COMPLETE (§5.5.1.2.7); both are 6 s, and on the fifth expiry the MME
// aborts the procedure and releases the NAS signalling connection (the
// message is retransmitted on the first four).
const (
	T3450 = 6 * time.Second
	T3460 = 6 * time.Second
	// ProcedureExpiries is the expiry on which the procedure is aborted.
	ProcedureExpiries = 5
	// ProcedureGuard is how long a UE context without a completed attach
	// lives after the last uplink NAS message of its procedure: the fifth
	// expiry of T3450/T3460.
	ProcedureGuard = ProcedureExpiries * T3460
)

// expiry is one entry of the MME's deadline queue: UE u is due at at,
// unless it made progress since (its deadline moved later: the entry is
// then pushed again for the new deadline when it pops). The queue holds at
// most one entry per UE context (UE.queued), however often its guard is
// re-armed.
type expiry struct {
	at time.Duration
	u  *UE
}

// guard (re)arms the procedure guard of u, which is not registered, at
// time now. Only the deadline moves if u is already queued: its entry
// carries it over when it pops (Expire), so the queue grows with the
// number of UE contexts, not with the message rate.
func (m *MME) guard(u *UE, now time.Duration) {
	u.deadline = now + ProcedureGuard
	if !u.queued {
		u.queued = true
		m.pushDue(expiry{u.deadline, u})
	}
}

// progressed reports whether u's procedure moved forward in handling one
// uplink NAS message, with u in state before it and out the effects: its
// state changed, or in a procedure (authentication, security mode,
// waiting for ATTACH COMPLETE) the MME sent it a new message (a new
// AUTHENTICATION REQUEST after a repeated ATTACH REQUEST or a synch
// failure). A discarded message (malformed, unprotected, replayed,
// unexpected) does neither; nor does an answer to a UE in which no
// procedure runs (a SERVICE REJECT, a repeated ATTACH REJECT): neither
// extends the context's life.
func progressed(u *UE, before state, out []Effect) bool {
	if u.state != before {
		return true
	}
	if u.state != waitAuth && u.state != waitSMC && u.state != waitAttachComplete {
		return false
	}
	for _, e := range out {
		if s, ok := e.(SendNAS); ok && s.UE == u.ID {
			return true
		}
	}
	return false
}

// The deadline queue is a binary min-heap on at (a re-armed entry goes
// back in with a deadline earlier than the last ones pushed).
func (m *MME) pushDue(e expiry) {
	m.due = append(m.due, e)
	for i := len(m.due) - 1; i > 0; {
		p := (i - 1) / 2
		if m.due[p].at <= m.due[i].at {
			break
		}
		m.due[p], m.due[i] = m.due[i], m.due[p]
		i = p
	}
}

func (m *MME) popDue() expiry {
	e := m.due[0]
	n := len(m.due) - 1
	m.due[0] = m.due[n]
	m.due[n] = expiry{} // no pointer to a freed context is kept
	m.due = m.due[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && m.due[c+1].at < m.due[c].at {
			c++
		}
		if m.due[i].at <= m.due[c].at {
			break
		}
		m.due[i], m.due[c] = m.due[c], m.due[i]
		i = c
	}
	return e
}

// Expire ends, at time now, the UE contexts whose attach did not complete
// within ProcedureGuard of the last progress of their procedure (only
// with Config.ProcedureTimers; the guard is armed by a context's first
// uplink NAS message and re-armed only when its procedure progresses, see
// progressed): the procedure is aborted (T3460 in authentication or
// security mode, T3450 waiting for ATTACH COMPLETE; a context in which no
// procedure runs, e.g. after a reject or a discarded first message, is
// freed as well), the context is freed and a Release of its connection
// returned. Contexts with a completed attach are never touched. Expire is
// cheap when nothing is due: the caller ticks it (the S1AP server once a
// second).
//
// Simplification: the MME does not retransmit on the first four expiries;
// over S1 (SCTP, reliable) a retransmission only helps a device that lost
// the message on the radio, which nbsim core does not see.
func (m *MME) Expire(now time.Duration) []Effect {
	var out []Effect
	for len(m.due) > 0 && m.due[0].at <= now {
		u := m.popDue().u
		if v, ok := m.ues.get(u.ID); !ok || v != u {
			continue // gone (its ID may be another context's by now)
		}
		if u.state == registered {
			u.queued = false // attached; a detach arms the guard again
			continue
		}
		if u.deadline > now {
			m.pushDue(expiry{u.deadline, u}) // made progress since: lazy re-arm
			continue
		}
		u.queued = false
		cause := "idle" // no procedure running (rejected, discarded, detached)
		switch u.state {
		case waitAuth, waitSMC:
			cause = "t3460"
		case waitAttachComplete:
			cause = "t3450"
		}
		m.C.Expired[cause]++
		out = append(out, Release{u.ID, "procedure timeout " + cause})
		m.forget(u)
	}
	if c := cap(m.due); c > 1024 && len(m.due) < c/4 {
		// a flood's queue is given back
		m.due = append([]expiry(nil), m.due...)
	}
	return out
}

// Forget frees UE id's context at once (the S1AP server does after a
// failure while handling one of its messages). Nothing is sent.
func (m *MME) Forget(id UEID) {
	if u, ok := m.ues.get(id); ok {
		m.C.Forgotten++
		m.forget(u)
	}
}

func (m *MME) forget(u *UE) {
	if v, ok := m.byIMSI.get(u.IMSI); ok && v == u {
		m.byIMSI.drop(u.IMSI)
	}
	m.ues.drop(u.ID)
}

// Contexts returns the number of UE contexts the MME holds.
func (m *MME) Contexts() int { return m.ues.n }

// Pending returns the number of UE contexts without a completed attach.
func (m *MME) Pending() int {
	n := 0
	count := func(u *UE) {
		if u != nil && u.state != registered {
			n++
		}
	}
	for _, u := range m.ues.ues {
		count(u)
	}
	for _, u := range m.ues.m {
		count(u)
	}
	return n
}

// EnableProcedureTimers sets Config.ProcedureTimers (the S1AP server does:
// it ticks Expire on the wall clock).
func (m *MME) EnableProcedureTimers() {
	m.cfg.ProcedureTimers = true
	m.ues.sparse()
}

// Registered reports whether the UE is EMM-REGISTERED (its attach
// completed).
func (u *UE) Registered() bool { return u.state == registered }
