// Package mme is nbsim's MME as a state machine: NAS messages (bytes, as
// they arrive in S1AP) and downlink data come in, effects come out — NAS to
// send, user data to deliver, S1 releases, pages — and nothing inside does
// I/O or reads a clock (the caller passes the time). The procedures are
// those of TS 24.301 for an NB-IoT device using the control-plane CIoT EPS
// optimisation: attach with EPS AKA (TS 33.401 §6.1) and NAS security mode
// (TS 24.301 §5.4.3), PSM and eDRX negotiation under the network policy,
// data over NAS (ESM DATA TRANSPORT, §6.6.4) with release assistance,
// mobile-terminated data paged or buffered while the device sleeps
// (TS 23.682 §4.5.4, TS 23.401 §5.3.4.3), TAU and detach.
//
// Security is enforced: an unknown IMSI is rejected, a wrong key fails
// authentication, and after security mode an unprotected, wrongly protected
// or replayed NAS message is discarded and counted (TS 24.301 §4.4.4).
//
// With Config.ProcedureTimers (nbsim core) the network's NAS timers T3450
// and T3460 supervise attaches: Expire frees contexts whose attach did not
// complete in time (see Expire); the simulator leaves them off.
package mme

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"strconv"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/security"
	"github.com/nbsim/nbsim/gpp"
)

// UEID is the MME UE S1AP ID: one UE's S1 association.
type UEID uint32

// Config is the MME's network configuration and policy.
type Config struct {
	MCC, MNC string
	TAC      uint16
	PSM      epc.PSMPolicy
	EDRX     epc.EDRXPolicy
	// Ciphering and Integrity are the NAS algorithms the MME selects.
	Ciphering security.CipheringAlg
	Integrity security.IntegrityAlg
	// Pool is the IPv4 prefix PDN addresses come from.
	Pool netip.Prefix
	// BufferTime and BufferPackets bound mobile-terminated data held for an
	// unreachable device (extended buffering, TS 23.401 §5.3.4.3).
	BufferTime    time.Duration
	BufferPackets int
	// PagingDRX is the default paging cycle (for reachability after release).
	PagingDRX time.Duration
	// DeliverDuringRelease sends downlink data into a connection whose
	// release the MME has asked for. A core on S1 leaves it false: the data
	// is held and the UE paged once the release completes (AfterRelease),
	// as the eNodeB may already have let the connection go. The simulator
	// sets it: its radio model decides when a connection ends.
	DeliverDuringRelease bool
	// ProcedureTimers runs the network's NAS procedure timers (T3450,
	// T3460): a UE context whose attach does not complete is freed by
	// Expire (see there). nbsim core sets it; the simulator leaves it off
	// (its device model retries, and its UE contexts live for the run).
	ProcedureTimers bool
}

// DefaultConfig is a test network (PLMN 001/01) with EEA0/128-EIA2 (so NAS
// stays readable in traces, as in the Open5GS captures), PSM and eDRX
// granted as requested.
func DefaultConfig() Config {
	return Config{
		MCC: "001", MNC: "01", TAC: 1,
		PSM:       epc.PSMPolicy{Policy: epc.Grant},
		EDRX:      epc.EDRXPolicy{Policy: epc.Grant},
		Ciphering: security.EEA0, Integrity: security.EIA2,
		Pool:       netip.MustParsePrefix("10.45.0.0/16"),
		BufferTime: 2 * time.Hour, BufferPackets: 10,
		PagingDRX: 2560 * time.Millisecond,
	}
}

// Effects.
type (
	// SendNAS is a NAS message for the UE (in Downlink NAS Transport).
	SendNAS struct {
		UE  UEID
		NAS []byte
		Msg string // its name, for traces
	}
	// Deliver is uplink user data leaving the core at SGi.
	Deliver struct {
		IMSI string
		Src  netip.Addr // the UE's PDN address (invalid for non-IP)
		Data []byte
	}
	// Release asks the eNodeB to release the UE's connection (UE Context
	// Release Command).
	Release struct {
		UE    UEID
		Cause string
	}
	// Page asks the eNodeBs of the UE's tracking area to page it.
	Page struct {
		IMSI string
	}
	// Dropped is downlink data the MME gave up on.
	Dropped struct {
		IMSI  string
		Cause string
	}
	// SetupContext asks the eNodeB to set up AS security and the data radio
	// bearer of a user-plane connection (Initial Context Setup, TS 36.413
	// §8.3.1), after a SERVICE REQUEST.
	SetupContext struct {
		UE UEID
	}
)

// Effect is what the MME asks its caller to do: one of SendNAS, Deliver,
// Release, Page, Dropped, SetupContext. The interface is sealed (only this
// package's types implement it); AllEffects lists one of each, and every
// consumer's test feeds it all of them, so an effect added here without a
// handler fails those tests.
type Effect interface{ isEffect() }

func (SendNAS) isEffect()      {}
func (Deliver) isEffect()      {}
func (Release) isEffect()      {}
func (Page) isEffect()         {}
func (Dropped) isEffect()      {}
func (SetupContext) isEffect() {}

// AllEffects returns a zero value of every Effect type, for the consumers'
// exhaustiveness tests (TestAllEffects checks it against the types of this
// package that implement Effect).
func AllEffects() []Effect {
	return []Effect{SendNAS{}, Deliver{}, Release{}, Page{}, Dropped{}, SetupContext{}}
}

// EMM states of a UE context.
type state uint8

const (
	deregistered state = iota
	waitAuth
	waitSMC
	waitAttachComplete
	registered
)

var stateNames = [...]string{"EMM-DEREGISTERED", "waiting for authentication", "waiting for security mode", "waiting for attach complete", "EMM-REGISTERED"}

func (s state) String() string { return stateNames[s] }

// UE is the MME's context of one device.
type UE struct {
	// secStore holds a preattached UE's security context in the same
	// allocation as the rest (u.sec points to it): every message reads
	// both, and thousands of UEs are touched cold.
	secStore       security.Context
	ID             UEID
	IMSI           string
	state          state
	connected      bool
	releasing      bool // a UE Context Release Command is on its way
	sec            *security.Context
	pdnType        nas.PDNType
	Addr           netip.Addr
	PSM            epc.PSMGrant
	EDRX           epc.EDRXGrant
	releasedAt     time.Duration
	releaseAfterDL bool
	queued         bool // the guard's deadline queue holds an entry for the UE
	buffer         []buffered
	deadline       time.Duration // of the procedure guard (Config.ProcedureTimers)
	av             security.AV   // (fields a data exchange does not read last)
	secCap         nas.UESecurityCapability
}

type buffered struct {
	at   time.Duration
	data []byte
}

// Counters are the MME's failure and discard counts by cause.
type Counters struct {
	Rejected  map[string]int64 // attach/authentication rejects by cause
	Discarded map[string]int64 // NAS messages dropped: unprotected, integrity, replay, malformed, unexpected
	Attaches  int64
	NAS       int64 // NAS messages handled
	// Expired counts UE contexts freed by Expire: t3460 (authentication or
	// security mode unanswered), t3450 (ATTACH ACCEPT unanswered), idle
	// (no procedure running); Forgotten those freed by Forget.
	Expired   map[string]int64
	Forgotten int64
}

// MME is the state machine. It is not safe for concurrent use.
type MME struct {
	plain  []byte               // the last uplink NAS message unprotected (reused)
	esm    nas.ESMDataTransport // sendData's message (reused)
	esmIn  nas.ESMDataTransport // cpServiceRequest's ESM container (reused)
	memo   psmMemo              // Preattach's last PSM grant
	cfg    Config
	hss    *hss.Store
	rand   io.Reader
	snid   security.SNID
	plmn   nas.PLMN
	ues    ueTable
	byIMSI imsiIndex
	next   UEID
	nextIP netip.Addr
	// due is the procedure guard's deadline queue (a min-heap, at most
	// one entry per UE context).
	due []expiry
	// rejectAttach, if set, is the cause every attach is rejected with.
	rejectAttach nas.EMMCause
	rejectT3346  *nas.GPRSTimer2           // sent with rejectAttach (nil: none)
	rejectIMSI   map[string]injectedReject // per subscriber, before rejectAttach
	C            Counters
}

// New returns an MME using subscribers from h; rand supplies RAND values
// (inject a seeded reader for reproducible runs).
func New(cfg Config, h *hss.Store, rand io.Reader) (*MME, error) {
	plmn, err := gpp.NewPLMN(cfg.MCC, cfg.MNC) // also the serving network identity (TS 33.401 A.2)
	if err != nil {
		return nil, err
	}
	if rand != nil {
		h.SetRand(rand)
	}
	m := &MME{cfg: cfg, hss: h, rand: rand, snid: plmn, plmn: plmn,
		next:   1,
		nextIP: cfg.Pool.Addr().Next(),
		C:      Counters{Rejected: map[string]int64{}, Discarded: map[string]int64{}, Expired: map[string]int64{}}}
	if cfg.ProcedureTimers {
		m.ues.sparse()
	}
	return m, nil
}

// Restarted returns this MME as it is after a restart without its UE
// contexts (an MME that kept none in persistent storage; TS 23.007, the
// restoration procedures, clause not checked here):
// the same configuration, policy, injected faults, subscribers (the HSS
// keeps them) and random source, and no UE context, so a device it served
// is answered with cause #9 at its next TAU or service request and
// attaches again. MME UE S1AP IDs continue after this MME's, so an ID
// issued before the restart never names a context made after it.
func (m *MME) Restarted() *MME {
	r := &MME{cfg: m.cfg, hss: m.hss, rand: m.rand, snid: m.snid, plmn: m.plmn,
		next: m.next, nextIP: m.cfg.Pool.Addr().Next(), rejectAttach: m.rejectAttach, rejectT3346: m.rejectT3346,
		rejectIMSI: m.rejectIMSI,
		C:          Counters{Rejected: map[string]int64{}, Discarded: map[string]int64{}, Expired: map[string]int64{}}}
	if m.cfg.ProcedureTimers {
		r.ues.sparse()
	}
	return r
}

// SetPolicy changes the PSM and eDRX policy for the grants that follow
// (attaches and TAUs from now on).
func (m *MME) SetPolicy(psm epc.PSMPolicy, edrx epc.EDRXPolicy) { m.cfg.PSM, m.cfg.EDRX = psm, edrx }

// Policy returns the PSM and eDRX policy in force.
func (m *MME) Policy() (epc.PSMPolicy, epc.EDRXPolicy) { return m.cfg.PSM, m.cfg.EDRX }

// RejectAttaches makes the MME reject every attach with EMM cause c after
// authentication (a fault for testing devices; 0 turns it off).
func (m *MME) RejectAttaches(c nas.EMMCause) { m.rejectAttach, m.rejectT3346 = c, nil }

type injectedReject struct {
	cause nas.EMMCause
	t3346 *nas.GPRSTimer2
}

// RejectIMSI is RejectAttachesBackOff for one subscriber's attaches
// (c 0: that subscriber's are accepted again, or follow RejectAttaches).
func (m *MME) RejectIMSI(imsi string, c nas.EMMCause, t3346 time.Duration) time.Duration {
	if c == 0 {
		delete(m.rejectIMSI, imsi)
		return 0
	}
	if m.rejectIMSI == nil {
		m.rejectIMSI = map[string]injectedReject{}
	}
	r := injectedReject{cause: c}
	var v time.Duration
	if t3346 > 0 {
		b, got, _ := gpp.NearestGPRSTimer2(t3346, 0, 0)
		t := nas.GPRSTimer2(b)
		r.t3346, v = &t, got
	}
	m.rejectIMSI[imsi] = r
	return v
}

// RejectAttachesBackOff is RejectAttaches with a T3346 value IE in every
// ATTACH REJECT (the back-off timer of cause #22, congestion: TS 24.301
// §5.5.1.2.5, the IE in §8.2.3), t3346 rounded to the nearest GPRS timer 2
// value (TS 24.008 §10.5.7.4), which it returns; t3346 ≤ 0: no IE.
func (m *MME) RejectAttachesBackOff(c nas.EMMCause, t3346 time.Duration) time.Duration {
	m.RejectAttaches(c)
	if t3346 <= 0 {
		return 0
	}
	b, v, _ := gpp.NearestGPRSTimer2(t3346, 0, 0)
	t := nas.GPRSTimer2(b)
	m.rejectT3346 = &t
	return v
}

// UE returns the context of a UE by IMSI.
func (m *MME) UE(imsi string) (*UE, bool) { return m.byIMSI.get(imsi) }

// Connect opens a new S1 UE association (an Initial UE Message arrived) and
// returns its MME UE S1AP ID (the next one; with the procedure timers on,
// IDs wrap around after 2^32 - 1, skipping those in use).
func (m *MME) Connect() UEID {
	id := m.next
	m.next++
	if m.ues.m != nil {
		for m.next == 0 || m.ues.has(m.next) {
			m.next++
		}
	}
	m.ues.set(id, &UE{ID: id})
	return id
}

func (m *MME) discard(cause string) []Effect {
	m.C.Discarded[cause]++
	return nil
}

// HandleNAS processes one uplink NAS message of UE id at time now.
func (m *MME) HandleNAS(id UEID, b []byte, now time.Duration) []Effect {
	if !m.cfg.ProcedureTimers {
		return m.handleNAS(id, b, now)
	}
	u, ok := m.ues.get(id)
	if !ok {
		return m.handleNAS(id, b, now)
	}
	before := u.state
	out := m.handleNAS(id, b, now)
	// The guard is armed by the first message and re-armed only when the
	// procedure moves forward: a discarded message does not extend the
	// context's life.
	if v, ok := m.ues.get(id); ok && v == u && u.state != registered &&
		(u.deadline == 0 || progressed(u, before, out)) {
		m.guard(u, now)
	}
	return out
}

func (m *MME) handleNAS(id UEID, b []byte, now time.Duration) []Effect {
	m.C.NAS++
	u, ok := m.ues.get(id)
	if !ok {
		return m.discard("unknown_ue")
	}
	if len(b) < 2 {
		return m.discard("malformed")
	}
	hdr := nas.SecurityHeaderType(b[0] >> 4)
	if b[0]&0x0f == byte(nas.PDEMM) && hdr >= nas.ServiceRequestHeader {
		if u.sec == nil && u.state == deregistered {
			return m.identityUnknown(u, false)
		}
		return m.serviceRequest(u, b)
	}
	plain, protected := b, false
	if b[0]&0x0f == byte(nas.PDEMM) && hdr != nas.PlainNAS {
		if u.sec == nil {
			if u.state == deregistered && len(b) >= 8 && b[6]&0x0f == byte(nas.PDEMM) {
				// An initial NAS message is integrity protected, not
				// ciphered (TS 24.301 §4.4.5): its type is readable.
				switch nas.MessageType(b[7]) {
				case nas.TypeControlPlaneServiceRequest:
					return m.identityUnknown(u, false)
				case nas.TypeTrackingAreaUpdateRequest:
					return m.identityUnknown(u, true)
				}
			}
			return m.discard("no_security_context")
		}
		// Into a reused buffer: ParseDirection copies the message.
		p, err := u.sec.UnprotectTo(m.plain[:0], b, false)
		switch {
		case errors.Is(err, security.ErrReplay):
			return m.discard("replay")
		case err != nil:
			return m.discard("integrity")
		}
		m.plain, plain, protected = p, p, true
	} else if u.sec != nil && u.state >= waitAttachComplete {
		// After security mode only a new attach may come unprotected
		// (TS 24.301 §4.4.4.3).
		if msg, err := nas.ParseDirection(b, nas.Uplink); err != nil || !isAttachRequest(msg) {
			return m.discard("unprotected")
		}
	}
	msg, err := nas.ParseDirection(plain, nas.Uplink)
	if err != nil {
		return m.discard("malformed")
	}
	// A NAS message arrived: the UE has a signalling connection (ECM-CONNECTED).
	u.connected = true
	return m.dispatch(id, u, msg, protected, now)
}

// dispatch hands an uplink NAS message, checked and deciphered, to the
// procedure it belongs to; any other message is discarded as unexpected.
func (m *MME) dispatch(id UEID, u *UE, msg nas.Message, protected bool, now time.Duration) []Effect {
	switch x := msg.(type) {
	case *nas.AttachRequest:
		return m.attachRequest(u, x)
	case *nas.AuthenticationResponse:
		return m.authResponse(u, x)
	case *nas.AuthenticationFailure:
		return m.authFailure(u, x)
	case *nas.SecurityModeComplete:
		return m.smcComplete(u)
	case *nas.SecurityModeReject:
		m.C.Rejected["security_mode_reject"]++
		u.state, u.sec = deregistered, nil
		return []Effect{Release{id, "security mode reject"}}
	case *nas.AttachComplete:
		if u.state != waitAttachComplete {
			return m.discard("unexpected")
		}
		u.state = registered
		m.C.Attaches++
		return nil
	case *nas.ESMDataTransport:
		return m.uplinkData(u, x)
	case *nas.ControlPlaneServiceRequest:
		return m.cpServiceRequest(u, x, now)
	case *nas.TrackingAreaUpdateRequest:
		return m.tau(u, x)
	case *nas.DetachRequest:
		return m.detach(u, x, protected)
	}
	return m.discard("unexpected")
}

// identityUnknown answers a service request or TAU request from a UE the
// MME has no context for (its S-TMSI is unknown, e.g. after a restart of
// the MME) with SERVICE REJECT or TRACKING AREA UPDATE REJECT, EMM cause
// #9 "UE identity cannot be derived by the network": the UE then enters
// EMM-DEREGISTERED and attaches again (TS 24.301 §5.6.1.5, §5.5.3.2.5).
func (m *MME) identityUnknown(u *UE, tau bool) []Effect {
	m.C.Rejected["ue_identity_cannot_be_derived"]++
	var rej nas.Message = &nas.ServiceReject{Cause: 9}
	if tau {
		rej = &nas.TrackingAreaUpdateReject{Cause: 9}
	}
	return append(m.send(u, rej, false), m.release(u, "ue identity cannot be derived"))
}

func isAttachRequest(msg nas.Message) bool { _, ok := msg.(*nas.AttachRequest); return ok }

// attachRequest: TS 24.301 §5.5.1.2; authenticate first (§5.4.2).
func (m *MME) attachRequest(u *UE, x *nas.AttachRequest) []Effect {
	if x.Identity.Type != nas.EPSIdentityIMSI {
		// GUTI attach of a device we do not know: ask for the IMSI would be
		// §5.4.4; the simulated devices always attach with their IMSI.
		return m.reject(u, nas.EMMCause(9), "ue_identity_cannot_be_derived") // #9
	}
	imsi := x.Identity.Digits
	if _, ok := m.hss.Lookup(imsi); !ok {
		// Not a subscriber: #8 EPS services and non-EPS services not allowed
		// (TS 24.301 Annex A), as MMEs answer an unknown user from the HSS.
		return m.reject(u, nas.EMMCause(8), "unknown_imsi")
	}
	if old, ok := m.byIMSI.get(imsi); ok && old != u {
		m.ues.drop(old.ID)
	}
	u.IMSI = imsi
	m.byIMSI.set(imsi, u)
	u.secCap = nas.UESecurityCapability{x.UENetworkCapability.EEA(), x.UENetworkCapability.EIA()}
	u.connected = true
	u.pdnType = nas.PDNTypeIPv4
	if pdn, err := nas.ParsePDNConnectivityRequest(x.ESMMessageContainer); err == nil {
		u.pdnType = pdn.PDNType
	}
	m.grantRequest(u, x.T3324, x.T3412Extended, x.ExtendedDRXParameters)
	return m.authenticate(u)
}

// grantRequest sets the UE's PSM and eDRX grants from the request IEs of
// an ATTACH REQUEST or TRACKING AREA UPDATE REQUEST, by the policy: PSM
// only when the UE sent T3324 (TS 24.301 §5.3.11: a UE that leaves it
// out does not use PSM), T3412 extended as asked or the default, eDRX only
// when the UE sent its parameters (§5.3.12). Each request replaces the
// last: a TAU without T3324 or eDRX parameters turns the feature off.
func (m *MME) grantRequest(u *UE, t3324 *nas.GPRSTimer2, t3412 *nas.GPRSTimer3, edrx *nas.ExtendedDRXParameters) {
	req := epc.PSMRequest{}
	if t3324 != nil {
		if d, ok := t3324.Duration(); ok {
			req.Enabled, req.T3324 = true, d
		}
	}
	if t3412 != nil {
		if d, ok := t3412.Duration(); ok {
			req.T3412 = d
		}
	}
	u.PSM = m.cfg.PSM.GrantPSM(req)
	u.EDRX = epc.EDRXGrant{}
	if edrx != nil {
		if cyc, ptw, ok := gpp.EDRXFromCodeNB(edrx.EDRXValue, edrx.PagingTimeWindow); ok {
			u.EDRX = m.cfg.EDRX.GrantEDRX(epc.EDRXRequest{Enabled: true, Cycle: cyc, PTW: ptw})
		}
	}
}

func (m *MME) authenticate(u *UE) []Effect {
	av, err := m.hss.NextAuthVector(u.IMSI, m.snid)
	if err != nil {
		return m.reject(u, nas.EMMCause(8), "hss_error")
	}
	u.av = av
	u.state = waitAuth
	req := &nas.AuthenticationRequest{KSI: 0, RAND: av.RAND, AUTN: av.AUTN[:]}
	return m.send(u, req, false)
}

func (m *MME) reject(u *UE, cause nas.EMMCause, why string) []Effect {
	return m.rejectWith(u, cause, why, nil)
}

// rejectWith is reject with a T3346 value IE when t3346 is set.
func (m *MME) rejectWith(u *UE, cause nas.EMMCause, why string, t3346 *nas.GPRSTimer2) []Effect {
	m.C.Rejected[why]++
	u.state = deregistered
	e := m.send(u, &nas.AttachReject{Cause: cause, T3346: t3346}, false)
	return append(e, Release{u.ID, why})
}

// authResponse: TS 33.401 §6.1.1: RES must equal XRES.
func (m *MME) authResponse(u *UE, x *nas.AuthenticationResponse) []Effect {
	if u.state != waitAuth {
		return m.discard("unexpected")
	}
	if !bytes.Equal(x.RES, u.av.XRES[:]) {
		m.C.Rejected["res_mismatch"]++
		u.state = deregistered
		return append(m.send(u, &nas.AuthenticationReject{}, false), Release{u.ID, "authentication reject"})
	}
	ctx, err := security.NewContext(u.av.KASME, 0, m.cfg.Ciphering, m.cfg.Integrity)
	if err != nil {
		return m.reject(u, nas.EMMCause(23), "security_context") // #23 UE security capabilities mismatch
	}
	u.sec = ctx
	u.state = waitSMC
	smc := &nas.SecurityModeCommand{
		Algorithms:                   nas.NewSecurityAlgorithms(uint8(m.cfg.Ciphering), uint8(m.cfg.Integrity)),
		KSI:                          0,
		ReplayedUESecurityCapability: u.secCap,
	}
	// Integrity protected with the new EPS security context (header 3).
	return m.sendProtected(u, smc, byte(nas.IntegrityProtectedNewContext))
}

// authFailure: TS 24.301 §5.4.2.6, TS 33.401 §6.1.2.
func (m *MME) authFailure(u *UE, x *nas.AuthenticationFailure) []Effect {
	if u.state != waitAuth {
		return m.discard("unexpected")
	}
	switch x.Cause {
	case 21: // synch failure: resynchronise the SQN and try again
		var auts [14]byte
		if len(x.AUTS) != len(auts) {
			return m.discard("malformed")
		}
		copy(auts[:], x.AUTS)
		if err := m.hss.Resync(u.IMSI, u.av.RAND, auts); err != nil {
			m.C.Rejected["resync_failed"]++
			u.state = deregistered
			return append(m.send(u, &nas.AuthenticationReject{}, false), Release{u.ID, "resync failed"})
		}
		m.C.Rejected["synch_failure_resynced"]++
		return m.authenticate(u)
	default: // #20 MAC failure, #26 non-EPS authentication unacceptable
		m.C.Rejected[fmt.Sprintf("auth_failure_%d", x.Cause)]++
		u.state = deregistered
		return append(m.send(u, &nas.AuthenticationReject{}, false), Release{u.ID, "authentication failure"})
	}
}

// smcComplete: send ATTACH ACCEPT with the grants and the default bearer
// (TS 24.301 §5.5.1.2.4; §6.4.1 default EPS bearer context activation).
func (m *MME) smcComplete(u *UE) []Effect {
	if u.state != waitSMC {
		return m.discard("unexpected")
	}
	if r, ok := m.rejectIMSI[u.IMSI]; ok {
		return m.rejectWith(u, r.cause, "injected_attach_reject", r.t3346)
	}
	if m.rejectAttach != 0 {
		return m.rejectWith(u, m.rejectAttach, "injected_attach_reject", m.rejectT3346)
	}
	pdn := nas.PDNAddress{Type: u.pdnType, Address: make([]byte, 4)}
	if u.pdnType == nas.PDNTypeIPv4 || u.pdnType == nas.PDNTypeIPv4v6 {
		if !u.Addr.IsValid() {
			u.Addr = m.allocate()
		}
		a := u.Addr.As4()
		pdn = nas.PDNAddress{Type: nas.PDNTypeIPv4, Address: a[:]}
	}
	cpOnly := uint8(1)
	apn, _ := nas.NewAPN("iot")
	act := &nas.ActivateDefaultEPSBearerContextRequest{
		ESMHeader:                  nas.ESMHeader{EBI: 5, PTI: 1},
		QoS:                        nas.EPSQoS{9},
		APN:                        apn,
		PDNAddress:                 pdn,
		ControlPlaneOnlyIndication: &cpOnly,
	}
	esm, err := act.Marshal()
	if err != nil {
		return m.discard("internal")
	}
	acc := &nas.AttachAccept{
		AttachResult:        nas.EPSAttachResult(1), // EPS only
		T3412:               nas.GPRSTimer(nas.TimerDeactivated),
		TAIList:             nas.TAIList{{Type: nas.TAIListOnePLMN, PLMN: m.plmn, TACs: []uint16{m.cfg.TAC}}},
		ESMMessageContainer: esm,
		// CP CIoT EPS optimisation supported (TS 24.301 §9.9.3.12A octet 4 bit 1).
		EPSNetworkFeatureSupport: nas.EPSNetworkFeatureSupport{0x00, 0x01},
	}
	var t3412 *nas.GPRSTimer
	acc.T3324, t3412, acc.T3412Extended, acc.ExtendedDRXParameters = u.grantIEs()
	if t3412 != nil {
		acc.T3412 = *t3412
	}
	u.state = waitAttachComplete
	return m.sendProtected(u, acc, byte(nas.IntegrityProtectedCiphered))
}

// grantIEs codes the granted timers for ATTACH ACCEPT and TAU ACCEPT:
// T3324 only when PSM is granted; T3412 in the T3412 extended value IE
// (GPRS timer 3) when the grant is one of its values, else in the T3412
// value IE (GPRS timer, TS 24.008 §10.5.7.3: the default 54 min, 9
// decihours, is not a GPRS timer 3 value; epc.PSMPolicy grants it so),
// the other one absent; eDRX when granted. ATTACH ACCEPT's mandatory
// T3412 value stays "deactivated" when the extended IE carries the timer
// (the UE then uses the extended value, TS 24.301 §5.3.5).
func (u *UE) grantIEs() (*nas.GPRSTimer2, *nas.GPRSTimer, *nas.GPRSTimer3, *nas.ExtendedDRXParameters) {
	var t3324 *nas.GPRSTimer2
	if u.PSM.Enabled {
		a, _ := gpp.EncodeGPRSTimer2(u.PSM.T3324)
		t := nas.GPRSTimer2(a)
		t3324 = &t
	}
	var t3412 *nas.GPRSTimer
	var ext *nas.GPRSTimer3
	if b, v := gpp.EncodeGPRSTimer3(u.PSM.T3412); v == u.PSM.T3412 {
		e := nas.GPRSTimer3(b)
		ext = &e
	} else {
		b, _ := gpp.EncodeGPRSTimer2(u.PSM.T3412) // GPRS timer and GPRS timer 2 share the coding
		t := nas.GPRSTimer(b)
		t3412 = &t
	}
	var edrx *nas.ExtendedDRXParameters
	if u.EDRX.Enabled {
		c, w := gpp.EDRXCodeNB(u.EDRX.Cycle, u.EDRX.PTW)
		edrx = &nas.ExtendedDRXParameters{PagingTimeWindow: w, EDRXValue: c}
	}
	return t3324, t3412, ext, edrx
}

func (m *MME) allocate() netip.Addr {
	a := m.nextIP
	m.nextIP = m.nextIP.Next()
	if !m.cfg.Pool.Contains(m.nextIP) {
		m.nextIP = m.cfg.Pool.Addr().Next()
	}
	return a
}

// uplinkData: ESM DATA TRANSPORT (TS 24.301 §6.6.4.2): deliver at SGi; the
// release assistance indication ends the connection at once or after the
// one expected downlink (§6.6.4.2, TS 23.401 §5.3.5).
func (m *MME) uplinkData(u *UE, x *nas.ESMDataTransport) []Effect {
	if u.state != registered {
		return m.discard("unexpected")
	}
	return m.appendUplinkData(make([]Effect, 0, 2), u, x)
}

// appendUplinkData is uplinkData for a registered UE, appending to out.
func (m *MME) appendUplinkData(out []Effect, u *UE, x *nas.ESMDataTransport) []Effect {
	out = append(out, Deliver{IMSI: u.IMSI, Src: u.Addr, Data: x.UserData})
	if x.ReleaseAssistanceIndication != nil {
		switch *x.ReleaseAssistanceIndication {
		case nas.DDXNoFurtherData:
			out = append(out, m.release(u, "release assistance: no further data"))
		case nas.DDXSingleDownlink:
			u.releaseAfterDL = true
		}
	}
	return out
}

// serviceRequest: SERVICE REQUEST from idle for user-plane data (TS 24.301
// §5.6.1; TS 23.401 §5.3.4.1): the short MAC proves the UE (TS 33.401 §8.2),
// then the eNodeB sets up the radio bearer. The user data itself takes S1-U.
func (m *MME) serviceRequest(u *UE, b []byte) []Effect {
	if u.sec == nil || u.state != registered {
		return m.discard("no_security_context")
	}
	if err := u.sec.CheckServiceRequest(b); err != nil {
		if errors.Is(err, security.ErrReplay) {
			return m.discard("replay")
		}
		return m.discard("integrity")
	}
	u.connected, u.releasing = true, false
	return []Effect{SetupContext{u.ID}}
}

// cpServiceRequest: TS 24.301 §5.6.1 with the CP CIoT optimisation: the UE
// is connected again; data in the ESM container is delivered and buffered
// downlink data follows.
func (m *MME) cpServiceRequest(u *UE, x *nas.ControlPlaneServiceRequest, now time.Duration) []Effect {
	if u.state != registered {
		return m.discard("unexpected")
	}
	u.connected, u.releasing = true, false
	var out []Effect
	if len(x.ESMMessageContainer) > 0 {
		// The container is part of the message ParseDirection copied:
		// decoded where it lies, into the MME's own struct.
		if err := m.esmIn.UnmarshalAliasing(x.ESMMessageContainer); err == nil {
			out = m.appendUplinkData(make([]Effect, 0, 3), u, &m.esmIn)
		}
		m.esmIn = nas.ESMDataTransport{}
	}
	return m.appendFlush(out, u, now)
}

// tau: TS 24.301 §5.5.3.2, a periodic or normal TAU: the grants are
// made again from the request's T3324, T3412 extended and eDRX IEs
// (§5.5.3.2.4: the network answers the values the UE asked for in this
// request, as at attach), so a UE that changed its request (AT+CPSMS,
// AT+CEDRXS while registered, §5.5.3.2.2) gets the new grant in TAU
// ACCEPT, and one that left T3324 out has PSM off.
func (m *MME) tau(u *UE, x *nas.TrackingAreaUpdateRequest) []Effect {
	if u.state != registered {
		return m.discard("unexpected")
	}
	m.grantRequest(u, x.T3324, x.T3412Extended, x.ExtendedDRXParameters)
	acc := &nas.TrackingAreaUpdateAccept{UpdateResult: 0}
	acc.T3324, acc.T3412, acc.T3412Extended, acc.ExtendedDRXParameters = u.grantIEs()
	out := m.sendProtected(u, acc, byte(nas.IntegrityProtectedCiphered))
	return append(out, m.release(u, "tau without active flag"))
}

// detach: UE-initiated detach, TS 24.301 §5.5.2.2. A DETACH REQUEST
// reaches here unprotected only before security is activated on the
// connection (HandleNAS discards it afterwards, §4.4.4.3, which lists
// "DETACH REQUEST (if sent before security has been activated)" among the
// messages processed without integrity protection). §5.5.2.2.2: for a
// switch-off detach the MME sends no DETACH ACCEPT; otherwise DETACH
// ACCEPT, protected with the context the request was checked with, and
// without protection when the request came without it (there may be no
// context at all: §4.4.4.2 lets the MME send it unprotected then).
func (m *MME) detach(u *UE, x *nas.DetachRequest, protected bool) []Effect {
	var out []Effect
	if x.DetachType&0x08 == 0 { // not switch-off
		if protected && u.sec != nil {
			out = m.sendProtected(u, &nas.DetachAccept{}, byte(nas.IntegrityProtectedCiphered))
		} else {
			out = m.send(u, &nas.DetachAccept{}, false)
		}
	}
	u.state = deregistered
	if v, ok := m.byIMSI.get(u.IMSI); ok && v == u {
		m.byIMSI.drop(u.IMSI)
	}
	return append(out, m.release(u, "detach"))
}

// release asks for the UE's connection to be released. Downlink data that
// arrives before the release completes is held and paged for afterwards
// (TS 23.401 §5.3.5: the connection is going; the eNodeB may no longer
// deliver).
func (m *MME) release(u *UE, cause string) Effect {
	u.releasing = true
	return Release{u.ID, cause}
}

// Released tells the MME the UE's S1 connection is gone (UE Context
// Release Complete): the UE is in ECM-IDLE and reachable by paging until
// its active time (T3324) runs out.
func (m *MME) Released(id UEID, now time.Duration) {
	if u, ok := m.ues.get(id); ok {
		u.connected, u.releasing = false, false
		u.releasedAt = now
	}
}

// AfterRelease returns what the MME does once UE id's connection is gone:
// a page when downlink data arrived while it was being released and the UE
// is still reachable.
func (m *MME) AfterRelease(id UEID, now time.Duration) []Effect {
	u, ok := m.ues.get(id)
	if !ok || u.connected || len(u.buffer) == 0 || u.state != registered || !u.reachable(now) {
		return nil
	}
	return []Effect{Page{u.IMSI}}
}

// reachable reports whether an idle UE can be paged: until T3324 expires
// after release when PSM is granted, always otherwise (TS 23.682 §4.5.4).
func (u *UE) reachable(now time.Duration) bool {
	return !u.PSM.Enabled || now-u.releasedAt < u.PSM.T3324
}

// HandleDownlink processes data from SGi for imsi at time now.
func (m *MME) HandleDownlink(imsi string, data []byte, now time.Duration) []Effect {
	u, ok := m.byIMSI.get(imsi)
	if !ok || u.state != registered {
		return []Effect{Dropped{imsi, "not_registered"}}
	}
	if len(u.buffer) >= m.cfg.BufferPackets {
		return []Effect{Dropped{imsi, "mt_buffer_full"}}
	}
	if u.connected && (!u.releasing || m.cfg.DeliverDuringRelease) && len(u.buffer) == 0 {
		// What buffering it and flushing the buffer would do, without
		// keeping a copy of the data.
		return m.flushed(m.sendData(make([]Effect, 0, 2), u, data), 0, u)
	}
	u.buffer = append(u.buffer, buffered{now, append([]byte(nil), data...)})
	switch {
	case u.connected && u.releasing && !m.cfg.DeliverDuringRelease:
		return nil // held: paged once the release completes (AfterRelease)
	case u.connected:
		return m.flush(u, now)
	case u.reachable(now):
		return []Effect{Page{imsi}}
	}
	return nil // held until the UE connects (extended buffering)
}

// flush sends the buffered downlink data of a connected UE.
func (m *MME) flush(u *UE, now time.Duration) []Effect { return m.appendFlush(nil, u, now) }

// appendFlush is flush appending its effects to out.
func (m *MME) appendFlush(out []Effect, u *UE, now time.Duration) []Effect {
	start := len(out)
	for _, b := range u.buffer {
		if m.cfg.BufferTime > 0 && now-b.at > m.cfg.BufferTime {
			out = append(out, Dropped{u.IMSI, "mt_buffer_expired"})
			continue
		}
		out = m.sendData(out, u, b.data)
	}
	u.buffer = u.buffer[:0]
	return m.flushed(out, start, u)
}

// sendData appends the effect sending data to the UE in ESM DATA
// TRANSPORT.
func (m *MME) sendData(out []Effect, u *UE, data []byte) []Effect {
	// The MME's own message struct: encoding keeps nothing of it.
	m.esm = nas.ESMDataTransport{ESMHeader: nas.ESMHeader{EBI: 5}, UserData: data}
	out = m.appendProtectedSize(out, u, &m.esm, byte(nas.IntegrityProtectedCiphered), len(data)+esmDataOverhead)
	m.esm = nas.ESMDataTransport{}
	return out
}

// esmDataOverhead bounds what ESM DATA TRANSPORT adds to its user data.
const esmDataOverhead = 8

// flushed ends a flush whose effects are out[start:]: after the one
// downlink release assistance waited for, the release.
func (m *MME) flushed(out []Effect, start int, u *UE) []Effect {
	if u.releaseAfterDL && len(out) > start {
		u.releaseAfterDL = false
		out = append(out, m.release(u, "release assistance: single downlink delivered"))
	}
	return out
}

func (m *MME) send(u *UE, msg nas.Message, _ bool) []Effect {
	b, err := msg.Marshal()
	if err != nil {
		return m.discard("internal")
	}
	return []Effect{SendNAS{u.ID, b, msg.MessageTypeName()}}
}

func (m *MME) sendProtected(u *UE, msg nas.Message, header byte) []Effect {
	return m.appendProtected(nil, u, msg, header)
}

// appendProtected is sendProtected appending to out.
func (m *MME) appendProtected(out []Effect, u *UE, msg nas.Message, header byte) []Effect {
	return m.appendProtectedSize(out, u, msg, header, protectedSize)
}

// appendProtectedSize is appendProtected for a message of about size
// octets.
func (m *MME) appendProtectedSize(out []Effect, u *UE, msg nas.Message, header byte, size int) []Effect {
	// Encoded after room for the security header and protected in place.
	b, err := nas.Append(make([]byte, security.ProtectOverhead, security.ProtectOverhead+size), msg)
	if err != nil {
		m.discard("internal")
		return out
	}
	if u.sec == nil {
		// No EPS security context to protect with: nothing is sent (a
		// caller's bug; every caller checks the state first).
		m.discard("no_security_context_downlink")
		return out
	}
	if err := u.sec.Seal(b, true, header); err != nil {
		m.discard("internal")
		return out
	}
	return append(out, SendNAS{u.ID, b, msg.MessageTypeName()})
}

// protectedSize is the message size sendProtected makes room for (a
// larger one costs a second encoding pass).
const protectedSize = 120

// Preattach registers a device as if it had attached before the run began:
// a UE context in EMM-REGISTERED/ECM-IDLE with an EPS security context from
// kasme, the grants of the policy for its requests, and a PDN address. The
// device side takes the same kasme (uenas.Device.Preattach). It saves
// simulating thousands of attaches that happened before time zero.
func (m *MME) Preattach(imsi string, kasme [32]byte, psm epc.PSMRequest, edrx epc.EDRXRequest, pdn nas.PDNType) (*UE, error) {
	// NextSQN answers whether imsi is a subscriber without materialising
	// the subscription (Lookup derives K and OPc).
	if _, ok := m.hss.NextSQN(imsi); !ok {
		return nil, fmt.Errorf("preattach %s: not a subscriber", imsi)
	}
	ctx, err := security.NewContext(kasme, 0, m.cfg.Ciphering, m.cfg.Integrity)
	if err != nil {
		return nil, err
	}
	id := m.Connect()
	u, _ := m.ues.get(id)
	u.secStore = *ctx
	u.IMSI, u.state, u.sec, u.pdnType = imsi, registered, &u.secStore, pdn
	u.PSM = m.grantPSM(psm)
	u.EDRX = m.cfg.EDRX.GrantEDRX(edrx)
	if pdn == nas.PDNTypeIPv4 || pdn == nas.PDNTypeIPv4v6 {
		u.Addr = m.allocate()
	}
	m.byIMSI.set(imsi, u)
	m.C.Attaches++
	return u, nil
}

// psmMemo is the last PSM grant Preattach computed: the devices of a
// group, preattached by the thousand, ask for the same timers.
type psmMemo struct {
	policy epc.PSMPolicy
	req    epc.PSMRequest
	grant  epc.PSMGrant
	ok     bool
}

// grantPSM is m.cfg.PSM.GrantPSM(r), remembered for the last policy and
// request.
func (m *MME) grantPSM(r epc.PSMRequest) epc.PSMGrant {
	if c := &m.memo; c.ok && c.policy == m.cfg.PSM && c.req == r {
		return c.grant
	}
	g := m.cfg.PSM.GrantPSM(r)
	m.memo = psmMemo{policy: m.cfg.PSM, req: r, grant: g, ok: true}
	return g
}

// SecurityContext returns a copy of the UE's EPS security context (nil
// without one): what the device holds after the attach that set it up,
// for Preattach's device side. The copy shares the context's expanded
// keys (security.Context.Clone).
func (u *UE) SecurityContext() *security.Context {
	if u.sec == nil {
		return nil
	}
	return u.sec.Clone()
}

// Failures returns the rejects (rejected_CAUSE) and discarded NAS messages
// (discarded_CAUSE) so far.
func (m *MME) Failures() map[string]int64 {
	out := map[string]int64{}
	for k, v := range m.C.Rejected {
		out["rejected_"+k] += v
	}
	for k, v := range m.C.Discarded {
		out["discarded_"+k] += v
	}
	return out
}

// Algorithms returns the NAS algorithms the MME selects.
func (m *MME) Algorithms() (security.CipheringAlg, security.IntegrityAlg) {
	return m.cfg.Ciphering, m.cfg.Integrity
}

// ueTable holds the UE contexts by MME UE S1AP ID. Connect hands IDs out
// in sequence, so a slice indexed by ID is a dense table: the lookup on
// every NAS message and release reads one slot, not a map's control word
// and slot (cold, in a run with thousands of UEs). A server whose contexts
// come and go (Config.ProcedureTimers) uses a map instead, rebuilt when it
// has emptied (Go maps keep their peak size): the dense table would grow
// with every ID ever handed out.
type ueTable struct {
	ues  []*UE
	m    map[UEID]*UE
	peak int // of len(m) since it was last rebuilt
	n    int // contexts held
}

// sparse switches t to the map.
func (t *ueTable) sparse() {
	if t.m != nil {
		return
	}
	t.m = map[UEID]*UE{}
	for id, u := range t.ues {
		if u != nil {
			t.m[UEID(id)] = u
		}
	}
	t.ues, t.peak = nil, len(t.m)
}

func (t *ueTable) has(id UEID) bool { _, ok := t.get(id); return ok }

func (t *ueTable) get(id UEID) (*UE, bool) {
	if t.m != nil {
		u, ok := t.m[id]
		return u, ok
	}
	if uint64(id) < uint64(len(t.ues)) {
		if u := t.ues[id]; u != nil {
			return u, true
		}
	}
	return nil, false
}

func (t *ueTable) set(id UEID, u *UE) {
	if t.m != nil {
		if _, ok := t.m[id]; !ok {
			t.n++
		}
		t.m[id] = u
		t.peak = max(t.peak, len(t.m))
		return
	}
	if uint64(id) >= uint64(len(t.ues)) {
		t.ues = append(t.ues, make([]*UE, int(id)+1-len(t.ues))...)
	}
	if t.ues[id] == nil {
		t.n++
	}
	t.ues[id] = u
}

func (t *ueTable) drop(id UEID) {
	if t.m != nil {
		if _, ok := t.m[id]; ok {
			old := t.m
			delete(t.m, id)
			t.n--
			if t.peak >= shrinkMin && len(t.m) < t.peak/4 {
				t.m, t.peak = make(map[UEID]*UE, len(t.m)), len(t.m) // (maps.Clone keeps the size)
				maps.Copy(t.m, old)
			}
		}
		return
	}
	if uint64(id) < uint64(len(t.ues)) && t.ues[id] != nil {
		t.ues[id] = nil
		t.n--
	}
}

// imsiIndex finds UE contexts by IMSI (the lookup of every downlink
// packet). Subscribers come in ranges of consecutive IMSIs: a 15-digit
// IMSI at most maxDense above the first one indexed has a slot in a dense
// table, any other IMSI is in a map.
type imsiIndex struct {
	base  uint64 // IMSI of dense[0] (set by the first set)
	dense []*UE
	other map[string]*UE
	peak  int // of len(other) since it was last rebuilt
}

const maxDense = 1 << 21

// shrinkMin is the peak size from which a map that has shrunk to a quarter
// of it is rebuilt.
const shrinkMin = 1024

// slot is the dense index of imsi, if it has one.
func (x *imsiIndex) slot(imsi string) (int, bool) {
	if len(imsi) != 15 || x.dense == nil && x.base == 0 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(imsi); i++ {
		c := imsi[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + uint64(c)
	}
	if n < x.base || n-x.base >= maxDense {
		return 0, false
	}
	return int(n - x.base), true
}

func (x *imsiIndex) get(imsi string) (*UE, bool) {
	if i, ok := x.slot(imsi); ok {
		if i < len(x.dense) && x.dense[i] != nil {
			return x.dense[i], true
		}
		return nil, false
	}
	u, ok := x.other[imsi]
	return u, ok
}

func (x *imsiIndex) set(imsi string, u *UE) {
	if x.base == 0 && x.dense == nil && len(imsi) == 15 {
		if n, err := strconv.ParseUint(imsi, 10, 64); err == nil && n > 0 {
			x.base = n
		}
	}
	if i, ok := x.slot(imsi); ok {
		if i >= len(x.dense) {
			x.dense = append(x.dense, make([]*UE, i+1-len(x.dense))...)
		}
		x.dense[i] = u
		return
	}
	if x.other == nil {
		x.other = map[string]*UE{}
	}
	x.other[imsi] = u
	x.peak = max(x.peak, len(x.other))
}

func (x *imsiIndex) drop(imsi string) {
	if i, ok := x.slot(imsi); ok {
		if i < len(x.dense) {
			x.dense[i] = nil
		}
		return
	}
	delete(x.other, imsi)
	if x.peak >= shrinkMin && len(x.other) < x.peak/4 {
		old := x.other
		x.other, x.peak = make(map[string]*UE, len(old)), len(old)
		maps.Copy(x.other, old)
	}
}
