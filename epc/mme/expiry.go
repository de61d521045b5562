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

// expiry is one entry of the MME's deadline queue: UE id is due at at,
// unless it made progress since (its deadline moved).
type expiry struct {
	at time.Duration
	id UEID
}

// guard (re)arms the procedure guard of u, which is not registered, at
// time now. Deadlines are now + ProcedureGuard: with a clock that does not
// go back they join the queue in order, so the queue is a FIFO.
func (m *MME) guard(u *UE, now time.Duration) {
	u.deadline = now + ProcedureGuard
	m.due = append(m.due, expiry{u.deadline, u.ID})
}

// Expire ends, at time now, the UE contexts whose attach did not complete
// within ProcedureGuard of their last uplink NAS message (only with
// Config.ProcedureTimers): the procedure is aborted (T3460 in
// authentication or security mode, T3450 waiting for ATTACH COMPLETE; a
// context in which no procedure runs, e.g. after a reject or a discarded
// first message, is freed as well), the context is freed and a Release of
// its connection returned. Contexts with a completed attach are never
// touched. Expire is cheap when nothing is due: the caller ticks it (the
// S1AP server once a second).
//
// Simplification: the MME does not retransmit on the first four expiries;
// over S1 (SCTP, reliable) a retransmission only helps a device that lost
// the message on the radio, which nbsim core does not see.
func (m *MME) Expire(now time.Duration) []Effect {
	var out []Effect
	for m.dueHead < len(m.due) && m.due[m.dueHead].at <= now {
		e := m.due[m.dueHead]
		m.due[m.dueHead] = expiry{}
		m.dueHead++
		u, ok := m.ues.get(e.id)
		if !ok || u.state == registered || u.deadline != e.at {
			continue // gone, attached, or made progress since
		}
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
	if m.dueHead == len(m.due) {
		m.due, m.dueHead = m.due[:0], 0
		if cap(m.due) > 1024 {
			m.due = nil // a flood's queue is given back
		}
	} else if m.dueHead > len(m.due)/2 && m.dueHead > 64 {
		m.due = append(m.due[:0], m.due[m.dueHead:]...)
		m.dueHead = 0
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
