package s1

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"sync"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/s1mme"
	"github.com/nbsim/nbsim/epc/security"
	"github.com/nbsim/nbsim/gpp"
)

// ErrNoPreattach is RemoteCore.Preattach's error: an external MME holds no
// context the simulator did not build over the air, so initially attached
// devices must attach with a real exchange.
var ErrNoPreattach = errors.New("s1: an external MME has no pre-run attach; devices attach over the air")

// CauseNoSGi is the cause of the Dropped effect RemoteCore.HandleDownlink
// returns: mobile-terminated data enters a core at SGi, which an external
// core does not offer the simulator.
const CauseNoSGi = "no SGi to the external core"

// remoteS1U is the simulator eNB's S1-U address in Initial Context Setup
// Responses (TEST-NET-1: nothing is sent there; no S1-U is simulated).
var remoteS1U = netip.MustParseAddr("192.0.2.1")

// RemoteCore is the core network of encoded signalling (model.Core) reached
// over one S1-MME association: the simulator's eNodeBs appear to the MME as
// one macro eNB (TAC 1, NB-IoT). Each call sends the UE's S1AP message and
// waits in real time for the MME's answer: the MME answers an uplink NAS
// message with at most one downlink NAS message or a release, so HandleNAS
// waits up to ReplyWait for a reply when the uplink message calls for one
// (attach request, authentication and security mode answers, TAU), and then
// (or at once for data) for Quiet without more PDUs.
//
// Identities: a handle (mme.UEID) is the simulator's name for a device's
// registration (Connect); every S1 connection gets a new eNB UE S1AP ID. The
// MME UE S1AP ID is learned from the MME's first PDU of the attach and
// reused on later connections (nbsim core keeps a UE's ID while it is
// registered), so that uplink NAS and releases on a connection the MME has
// not answered yet can name the UE. Later connections open with the S-TMSI
// (MMEC of S1 Setup, M-TMSI = IMSI mod 2^32, see MTMSI).
//
// Mobile-terminated data is not supported: it needs SGi into the external
// core, which the simulator does not have (HandleDownlink drops it).
//
// If the association is lost, the next call dials again (S1 Setup) and
// every connection is taken as lost: the next message of a device opens a
// new connection with its S-TMSI. A device the MME no longer knows (the
// core restarted) gets SERVICE REJECT or TAU REJECT #9 from nbsim core and
// attaches again. Errors that must end the run are reported by Err: the
// association lost and not set up again, or a core that silently releases
// a device it does not know (no reject to act on).
//
// Its methods are meant for one goroutine (the simulator's event loop).
type RemoteCore struct {
	// ReplyWait bounds the wait for the MME's answer; Quiet is how long no
	// further PDU must come after one.
	ReplyWait, Quiet time.Duration
	// Ciphering and Integrity are what Algorithms reports (nbsim core's:
	// EEA0 and 128-EIA2).
	Ciphering security.CipheringAlg
	Integrity security.IntegrityAlg

	url string
	cfg ENBConfig

	mu        sync.Mutex
	conn      s1mme.Conn
	mmec      uint8
	lost      bool // the association ended; redial before the next PDU
	changed   chan struct{}
	ues       map[mme.UEID]*remoteUE
	byENB     map[uint32]*remoteUE
	next      mme.UEID
	nextENB   uint32
	failures  map[string]int64
	err       error
	dead      bool // the association is lost and could not be set up again
	dials     int
	readerEnd chan struct{}
}

type remoteUE struct {
	id         mme.UEID
	imsi       string
	connected  bool
	enbUE      uint32
	mmeUE      uint32
	hasMME     bool
	releaseCmd bool // the MME sent a UE Context Release Command on this connection
	// lostContext: the connection was released before any NAS answer with
	// cause NAS unspecified (nbsim core's answer to an unknown S-TMSI).
	lostContext bool
	answered    bool // a Downlink NAS Transport came on this connection
	inbox       []s1ap.Message
}

// DialRemoteCore connects to the MME at url (sctp:// or udp://) as macro
// eNB 1 of PLMN 001/01 serving TAC 1 on NB-IoT and does the S1 Setup.
func DialRemoteCore(ctx context.Context, url string) (*RemoteCore, error) {
	r := &RemoteCore{
		ReplyWait: 200 * time.Millisecond, Quiet: 2 * time.Millisecond,
		Ciphering: security.EEA0, Integrity: security.EIA2,
		url: url, cfg: ENBConfig{ENBID: 1, TAC: 1, Name: "nbsim-simulator"},
		changed: make(chan struct{}), ues: map[mme.UEID]*remoteUE{}, byENB: map[uint32]*remoteUE{},
		failures: map[string]int64{},
	}
	if err := r.dial(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// dial opens the association and runs the S1 Setup.
func (r *RemoteCore) dial(ctx context.Context) error {
	cfg := r.cfg
	if cfg.PLMN == (s1ap.PLMN{}) {
		cfg.PLMN = gpp.MustPLMN("001", "01")
	}
	if cfg.CellID == 0 {
		cfg.CellID = cfg.ENBID<<8 | 1
	}
	r.cfg = cfg
	conn, err := s1mme.Dial(ctx, r.url)
	if err != nil {
		return err
	}
	e := &ENB{cfg: cfg, conn: conn}
	if err := e.setup(ctx); err != nil {
		conn.Close()
		return err
	}
	done := make(chan struct{})
	r.mu.Lock()
	r.conn, r.mmec, r.lost, r.readerEnd = conn, e.MMEC, false, done
	r.dials++
	r.mu.Unlock()
	go r.readLoop(conn, done)
	return nil
}

// Dials returns how many associations were set up (1 + reconnections).
func (r *RemoteCore) Dials() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dials
}

// Err is the error that makes the core unusable (a lost association that
// could not be set up again), nil while it works.
func (r *RemoteCore) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Close ends the association.
func (r *RemoteCore) Close() error {
	r.mu.Lock()
	conn, done := r.conn, r.readerEnd
	r.mu.Unlock()
	err := conn.Close()
	<-done
	return err
}

func (r *RemoteCore) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *RemoteCore) readLoop(conn s1mme.Conn, done chan struct{}) {
	defer close(done)
	for {
		_, pdu, err := conn.Recv()
		r.mu.Lock()
		if err != nil {
			if r.conn == conn {
				r.lost = true
				r.notify()
			}
			r.mu.Unlock()
			return
		}
		r.handleRecover(pdu)
		r.notify()
		r.mu.Unlock()
	}
}

// handleRecover is handle counting a panic in it as failure s1ap_panic
// (r.mu stays held: the caller unlocks).
func (r *RemoteCore) handleRecover(pdu []byte) {
	defer func() {
		if x := recover(); x != nil {
			r.failures["s1ap_panic"]++
		}
	}()
	if h := testHookPeerPDU; h != nil {
		h(pdu)
	}
	r.handle(pdu)
}

// testHookPeerPDU, when set (by tests), runs before the eNB side (ENB,
// RemoteCore) handles a PDU from the MME.
var testHookPeerPDU func(pdu []byte)

// handle files one PDU from the MME; r.mu is held.
func (r *RemoteCore) handle(pdu []byte) {
	m, err := s1ap.Parse(pdu)
	if err != nil {
		r.failures["s1ap_unparsable"]++
		return
	}
	switch x := m.(type) {
	case *s1ap.DownlinkNASTransport:
		u := r.byENB[x.ENBUES1APID]
		if u == nil {
			r.failures["s1ap_unknown_ue"]++
			return
		}
		u.mmeUE, u.hasMME, u.answered = x.MMEUES1APID, true, true
		u.inbox = append(u.inbox, x)
	case *s1ap.UEContextReleaseCommand:
		var u *remoteUE
		if x.UES1APIDs.ENBUES1APID != nil {
			u = r.byENB[*x.UES1APIDs.ENBUES1APID]
		}
		if u == nil {
			r.failures["s1ap_unknown_ue"]++
			if x.UES1APIDs.ENBUES1APID != nil {
				// Not ours (any more): complete it so the MME forgets it.
				_ = r.sendLocked(&s1ap.UEContextReleaseComplete{MMEUES1APID: x.UES1APIDs.MMEUES1APID,
					ENBUES1APID: *x.UES1APIDs.ENBUES1APID})
			}
			return
		}
		if !u.answered && x.Cause == s1ap.CauseNASUnspecified {
			// Released before any NAS answer: see HandleNAS.
			u.lostContext = true
		}
		u.mmeUE, u.hasMME, u.releaseCmd = x.UES1APIDs.MMEUES1APID, true, true
		u.inbox = append(u.inbox, x)
	case *s1ap.InitialContextSetupRequest:
		// After a user-plane SERVICE REQUEST (TS 36.413 §8.3.1): the
		// simulator's eNB sets up every E-RAB, its end at 192.0.2.1 with
		// GTP-TEID eNB UE S1AP ID << 8 | E-RAB ID, as epc/s1's ENB does.
		u := r.byENB[x.ENBUES1APID]
		if u == nil {
			r.failures["s1ap_unknown_ue"]++
			_ = r.sendLocked(&s1ap.InitialContextSetupFailure{MMEUES1APID: x.MMEUES1APID, ENBUES1APID: x.ENBUES1APID,
				Cause: s1ap.CauseRadioNetworkUnknownENBUEID})
			return
		}
		u.mmeUE, u.hasMME, u.answered = x.MMEUES1APID, true, true
		resp := &s1ap.InitialContextSetupResponse{MMEUES1APID: x.MMEUES1APID, ENBUES1APID: x.ENBUES1APID,
			ERABSetup: make([]s1ap.ERABSetupItem, len(x.ERABs))}
		for i, e := range x.ERABs {
			resp.ERABSetup[i] = s1ap.ERABSetupItem{ERABID: e.ERABID, TransportLayerAddress: remoteS1U.AsSlice(),
				GTPTEID: u.enbUE<<8 | uint32(e.ERABID)}
		}
		if err := r.sendLocked(resp); err != nil {
			r.failures["send"]++
		}
	case *s1ap.ErrorIndication:
		r.failures["s1ap_error_indication"]++
	case *s1ap.Paging:
		r.failures["paging_ignored"]++ // no mobile-terminated data
	default:
		r.failures["s1ap_unexpected"]++
	}
}

func (r *RemoteCore) sendLocked(m s1ap.Message) error {
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	return r.conn.Send(StreamUE, b)
}

// ensure dials again after an association loss: every connection is then
// lost. It reports whether the core is usable.
func (r *RemoteCore) ensure() bool {
	r.mu.Lock()
	lost, failed := r.lost, r.dead
	r.mu.Unlock()
	if failed {
		return false
	}
	if !lost {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.mu.Lock()
	old := r.conn
	r.failures["association_lost"]++
	for _, u := range r.ues {
		r.dropConn(u)
	}
	r.mu.Unlock()
	old.Close()
	if err := r.dial(ctx); err != nil {
		r.mu.Lock()
		r.dead = true
		r.err = fmt.Errorf("S1-MME association to %s lost and not set up again: %w", r.url, err)
		r.mu.Unlock()
		return false
	}
	return true
}

// dropConn forgets u's connection; r.mu is held.
func (r *RemoteCore) dropConn(u *remoteUE) {
	if u.connected {
		delete(r.byENB, u.enbUE)
	}
	u.connected, u.releaseCmd, u.inbox = false, false, nil
}

// Connect allocates a handle for a device about to attach.
func (r *RemoteCore) Connect() mme.UEID {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	u := &remoteUE{id: r.next}
	r.ues[u.id] = u
	return u.id
}

// HandleNAS sends an uplink NAS message of UE id (Initial UE Message when
// it opens a connection, else Uplink NAS Transport) and returns what the
// MME answered: SendNAS for Downlink NAS Transport, Release for a UE
// Context Release Command.
func (r *RemoteCore) HandleNAS(id mme.UEID, b []byte, now time.Duration) []mme.Effect {
	if !r.ensure() {
		return nil
	}
	r.mu.Lock()
	u := r.ues[id]
	if u == nil {
		r.failures["unknown_handle"]++
		r.mu.Unlock()
		return nil
	}
	if imsi := attachIMSI(b); imsi != "" {
		u.imsi = imsi
		if u.connected {
			// A new attach opens a new connection.
			r.dropConn(u)
		}
	}
	tai := s1ap.TAI{PLMN: r.cfg.PLMN, TAC: r.cfg.TAC}
	cgi := s1ap.EUTRANCGI{PLMN: r.cfg.PLMN, CellID: r.cfg.CellID}
	var m s1ap.Message
	if !u.connected || (u.releaseCmd && !u.hasMME) {
		r.dropConn(u)
		r.nextENB++
		if r.nextENB >= 1<<24 {
			r.nextENB = 1
		}
		u.enbUE, u.connected, u.answered, u.lostContext = r.nextENB, true, false, false
		r.byENB[u.enbUE] = u
		im := &s1ap.InitialUEMessage{ENBUES1APID: u.enbUE, NASPDU: b, TAI: tai, EUTRANCGI: cgi,
			RRCEstablishmentCause: s1ap.RRCMOSignalling}
		if attachIMSI(b) == "" && u.imsi != "" {
			im.STMSI = &s1ap.STMSI{MMEC: r.mmec, MTMSI: MTMSI(u.imsi)}
			im.RRCEstablishmentCause = s1ap.RRCMOData
		}
		m = im
	} else {
		if !u.hasMME {
			r.failures["no_mme_ue_id"]++
			r.mu.Unlock()
			return nil
		}
		m = &s1ap.UplinkNASTransport{MMEUES1APID: u.mmeUE, ENBUES1APID: u.enbUE, NASPDU: b, EUTRANCGI: cgi, TAI: tai}
	}
	err := r.sendLocked(m)
	r.mu.Unlock()
	if err != nil {
		r.failures["send"]++
		return nil
	}
	wait := r.Quiet
	if expectsReply(b) {
		wait = r.ReplyWait
	}
	effs, got := r.collect(u, wait)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !got && wait == r.ReplyWait {
		r.failures["no_reply"]++
	}
	if im, ok := m.(*s1ap.InitialUEMessage); ok && im.STMSI != nil && u.lostContext {
		// nbsim core releases a connection whose S-TMSI it does not know
		// (cause NAS unspecified) without a word: the device's context is
		// gone there (e.g. the core restarted), and without a reject the
		// simulator's device still believes it is registered.
		r.failures["unknown_stmsi"]++
		if r.err == nil {
			r.err = fmt.Errorf("the MME at %s released device %s without a word (its context is gone?): no SERVICE REJECT to re-attach on", r.url, u.imsi)
		}
	}
	return effs
}

// collect gathers u's PDUs for up to wait, then while they keep coming
// within Quiet.
func (r *RemoteCore) collect(u *remoteUE, wait time.Duration) (effs []mme.Effect, got bool) {
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		r.mu.Lock()
		msgs := u.inbox
		u.inbox = nil
		ch, lost := r.changed, r.lost
		r.mu.Unlock()
		for _, m := range msgs {
			switch x := m.(type) {
			case *s1ap.DownlinkNASTransport:
				effs = append(effs, mme.SendNAS{UE: u.id, NAS: x.NASPDU, Msg: nasName(x.NASPDU)})
			case *s1ap.UEContextReleaseCommand:
				effs = append(effs, mme.Release{UE: u.id, Cause: fmt.Sprintf("release command (%v)", x.Cause)})
			default:
				panic(fmt.Sprintf("s1: remote inbox holds a %T (handle files only the two above)", m))
			}
		}
		if len(msgs) > 0 {
			got = true
			t.Reset(r.Quiet)
		}
		if lost {
			return effs, got
		}
		select {
		case <-ch:
		case <-t.C:
			return effs, got
		}
	}
}

// Released ends UE id's connection: UE Context Release Complete when the
// MME commanded the release, else a UE Context Release Request (cause user
// inactivity), the MME's command and the Complete.
func (r *RemoteCore) Released(id mme.UEID, now time.Duration) {
	if !r.ensure() {
		return
	}
	r.mu.Lock()
	u := r.ues[id]
	if u == nil || !u.connected {
		r.mu.Unlock()
		return
	}
	if !u.releaseCmd {
		if !u.hasMME {
			r.failures["release_without_mme_ue_id"]++
			r.dropConn(u)
			r.mu.Unlock()
			return
		}
		if err := r.sendLocked(&s1ap.UEContextReleaseRequest{MMEUES1APID: u.mmeUE, ENBUES1APID: u.enbUE,
			Cause: s1ap.CauseRadioNetworkUserInactivity}); err != nil {
			r.failures["send"]++
		}
		deadline := time.NewTimer(r.ReplyWait)
		for !u.releaseCmd && !r.lost {
			ch := r.changed
			r.mu.Unlock()
			select {
			case <-ch:
			case <-deadline.C:
				r.mu.Lock()
				r.failures["no_release_command"]++
				r.dropConn(u)
				r.mu.Unlock()
				return
			}
			r.mu.Lock()
		}
		deadline.Stop()
		if r.lost {
			r.mu.Unlock()
			return
		}
	}
	if err := r.sendLocked(&s1ap.UEContextReleaseComplete{MMEUES1APID: u.mmeUE, ENBUES1APID: u.enbUE}); err != nil {
		r.failures["send"]++
	}
	r.dropConn(u)
	r.mu.Unlock()
}

// HandleDownlink drops the data: see the type's documentation.
func (r *RemoteCore) HandleDownlink(imsi string, data []byte, now time.Duration) []mme.Effect {
	r.mu.Lock()
	r.failures["dropped_no_sgi"]++
	r.mu.Unlock()
	return []mme.Effect{mme.Dropped{IMSI: imsi, Cause: CauseNoSGi}}
}

// Preattach returns ErrNoPreattach.
func (r *RemoteCore) Preattach(imsi string, kasme [32]byte, psm epc.PSMRequest, edrx epc.EDRXRequest, pdn nas.PDNType) (*mme.UE, error) {
	return nil, ErrNoPreattach
}

// Algorithms returns Ciphering and Integrity.
func (r *RemoteCore) Algorithms() (security.CipheringAlg, security.IntegrityAlg) {
	return r.Ciphering, r.Integrity
}

// Failures returns the errors seen, by cause.
func (r *RemoteCore) Failures() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.failures)
}

// EMM message types (TS 24.301 §9.8) and the ESM DATA TRANSPORT type.
const (
	msgAttachRequest   = 0x41
	msgTAURequest      = 0x48
	msgAuthResponse    = 0x53
	msgAuthFailure     = 0x5c
	msgSecModeComplete = 0x5e
)

// expectsReply reports whether the MME answers uplink NAS message b with a
// downlink NAS message. It reads the message type in the clear: under a
// ciphering algorithm other than EEA0 (nbsim core uses EEA0) protected
// messages are taken to need no answer and only Quiet is waited.
func expectsReply(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	if b[0]&0x0f == byte(nas.PDEMM) && b[0]>>4 != 0 {
		// Security protected: header, MAC (4), sequence number, message
		// (readable under EEA0, nbsim core's choice).
		if len(b) < 8 {
			return false
		}
		b = b[6:]
	}
	if b[0]&0x0f != byte(nas.PDEMM) {
		return false // ESM (data transport): no NAS answer
	}
	switch b[1] {
	case msgAttachRequest, msgTAURequest, msgAuthResponse, msgAuthFailure, msgSecModeComplete:
		return true
	}
	return false
}

// nasName names a downlink NAS message for traces.
func nasName(b []byte) string {
	if len(b) >= 8 && b[0]&0x0f == byte(nas.PDEMM) && b[0]>>4 != 0 {
		b = b[6:]
	}
	if len(b) < 2 {
		return "NAS"
	}
	return fmt.Sprintf("NAS 0x%02x", b[1])
}
