package s1

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/gpp"
)

// EnbID names one eNB association (chosen by the caller of HandleS1AP;
// Serve numbers associations from 1).
type EnbID uint64

// SCTP streams (TS 36.412 §7).
const (
	StreamNonUE uint16 = 0 // non-UE-associated signalling
	StreamUE    uint16 = 1 // UE-associated signalling
)

// Out is one S1AP PDU to send to an eNB.
type Out struct {
	Enb    EnbID
	Stream uint16
	PDU    []byte
}

// Config is the MME's S1 identity.
type Config struct {
	MMEName string
	// MMEGroupID and MMEC make the served GUMMEI with the MME's PLMN.
	MMEGroupID uint16
	MMEC       uint8
	// RelativeCapacity is the Relative MME Capacity of S1 Setup Response.
	RelativeCapacity uint8
	// SGWAddress is the S-GW's S1-U address in the E-RABs of Initial
	// Context Setup Request (nbsim core has no S1-U: a documentation
	// address). Invalid: DefaultSGWAddress.
	SGWAddress netip.Addr
}

// DefaultSGWAddress is the S-GW S1-U address of the E-RABs: the MME's
// address in captures (RFC 5737 TEST-NET-2).
var DefaultSGWAddress = netip.MustParseAddr("198.51.100.1")

// DefaultConfig is MME group 1, code 1, capacity 127, S-GW at
// DefaultSGWAddress.
func DefaultConfig() Config {
	return Config{MMEName: "nbsim-mme", MMEGroupID: 1, MMEC: 1, RelativeCapacity: 127, SGWAddress: DefaultSGWAddress}
}

// Counters count S1AP traffic and failures.
type Counters struct {
	ENBs      int // associations with S1 Setup done (gauge)
	Connected int // UE-associated logical S1 connections (gauge)

	Setups, SetupFailures             int64
	InitialUE, UplinkNAS, DownlinkNAS int64
	ReleaseRequests                   int64 // UE Context Release Request from eNBs
	ReleaseCommands                   int64
	ReleaseCompletes                  int64
	Resets                            int64
	Pages                             int64 // Page effects of the MME
	Pagings                           int64 // Paging PDUs sent (one per eNB)
	PagesUnsent                       int64 // pages no eNB serves the TAC for
	Delivered                         int64 // uplink user data at SGi
	DroppedDL                         int64 // downlink data the MME gave up on
	Lost                              int64 // eNB associations lost
	LostUEs                           int64 // UE connections ended by an association loss
	ErrorIndicationsSent              int64
	ErrorIndicationsReceived          int64
	// Initial Context Setup (user-plane SERVICE REQUEST): Requests sent,
	// Responses and Failures received for a connection (others are
	// Errors["unknown_ue"]).
	ContextSetups, ContextSetupResponses, ContextSetupFailures int64
	// Errors counts refused PDUs by reason: transfer_syntax, unknown_procedure,
	// unsupported, not_setup, missing_ie, unknown_ue, no_connection (NAS for
	// a UE without S1 connection), encode; of Initial Context Setup,
	// no_security_context (no K_eNB to send) and erab_not_setup (a Response
	// without the default bearer).
	Errors map[string]int64
}

// String is a one-line summary.
func (c Counters) String() string {
	s := fmt.Sprintf("enbs=%d connected=%d setups=%d setup_failures=%d initial_ue=%d uplink_nas=%d downlink_nas=%d "+
		"release_requests=%d release_commands=%d release_completes=%d pages=%d pagings=%d delivered=%d dropped_dl=%d "+
		"enbs_lost=%d ues_lost=%d error_indications_sent=%d error_indications_received=%d",
		c.ENBs, c.Connected, c.Setups, c.SetupFailures, c.InitialUE, c.UplinkNAS, c.DownlinkNAS,
		c.ReleaseRequests, c.ReleaseCommands, c.ReleaseCompletes, c.Pages, c.Pagings, c.Delivered, c.DroppedDL,
		c.Lost, c.LostUEs, c.ErrorIndicationsSent, c.ErrorIndicationsReceived)
	if c.ContextSetups+c.ContextSetupResponses+c.ContextSetupFailures > 0 {
		// Only with user-plane devices: control-plane runs keep their line.
		s += fmt.Sprintf(" context_setups=%d context_setup_responses=%d context_setup_failures=%d",
			c.ContextSetups, c.ContextSetupResponses, c.ContextSetupFailures)
	}
	for _, k := range sortedKeys(c.Errors) {
		s += fmt.Sprintf(" error_%s=%d", k, c.Errors[k])
	}
	return s
}

// enbState is one eNB association.
type enbState struct {
	setup  bool
	global s1ap.GlobalENBID
	name   string
	tacs   map[uint16]bool // declared TACs (for the MME's PLMN) → NB-IoT
	ues    map[uint32]mme.UEID
	peak   int // of len(ues) since it was last rebuilt
}

// s1conn is one UE-associated logical S1 connection.
type s1conn struct {
	enb       EnbID
	enbUE     uint32
	tai       s1ap.TAI
	releasing bool
	// attaching is the IMSI of the ATTACH REQUEST that opened the
	// connection, until the attach completes (then the UE's M-TMSI and
	// TAC are recorded).
	attaching string
}

// MMEServer is the MME's S1AP layer. Like the MME it is not safe for
// concurrent use and does no I/O.
type MMEServer struct {
	MME *mme.MME
	cfg Config
	// OnDeliver receives uplink user data (SGi). May be nil. Under Serve it
	// runs with the server's lock held: it must not block for long nor call
	// the Server.
	OnDeliver func(mme.Deliver)
	C         Counters

	plmn  s1ap.PLMN
	tac   uint16 // the MME's TAI-list TAC
	enbs  map[EnbID]*enbState
	conns map[mme.UEID]*s1conn
	peak  int               // of len(conns) since it was last rebuilt
	tmsi  map[uint32]string // M-TMSI → IMSI
	tacOf map[string]uint16 // IMSI → TAC it last connected from
	// pagingDRX is the Paging DRX of every Paging (mme.Config.PagingDRX;
	// nil when that is 0).
	pagingDRX *s1ap.PagingDRX
}

// NewMMEServer returns the S1AP layer of m, whose network configuration is
// mcfg (PLMN and TAC).
func NewMMEServer(m *mme.MME, mcfg mme.Config, cfg Config) (*MMEServer, error) {
	plmn, err := gpp.NewPLMN(mcfg.MCC, mcfg.MNC)
	if err != nil {
		return nil, err
	}
	s := &MMEServer{MME: m, cfg: cfg, plmn: plmn, tac: mcfg.TAC,
		enbs: map[EnbID]*enbState{}, conns: map[mme.UEID]*s1conn{},
		tmsi: map[uint32]string{}, tacOf: map[string]uint16{},
		C: Counters{Errors: map[string]int64{}}}
	if mcfg.PagingDRX > 0 {
		drx := pagingDRXFor(mcfg.PagingDRX)
		s.pagingDRX = &drx
	}
	return s, nil
}

// MTMSI is the M-TMSI of a registered UE: the IMSI modulo 2^32 (see the
// package documentation).
func MTMSI(imsi string) uint32 {
	n, _ := strconv.ParseUint(imsi, 10, 64)
	return uint32(n)
}

// ProtocolError describes why a PDU was refused; HandleS1AP returns it
// with the Error Indication (or failure) it answers with.
type ProtocolError struct {
	Reason string // the Counters.Errors key
	Cause  s1ap.Cause
	Err    error
}

func (e *ProtocolError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("s1: %s (%v): %v", e.Reason, e.Cause, e.Err)
	}
	return fmt.Sprintf("s1: %s (%v)", e.Reason, e.Cause)
}
func (e *ProtocolError) Unwrap() error { return e.Err }

// Cause values of TS 36.413 §9.2.1.3 the package uses beyond s1ap's.
var (
	causeNotCompatible = s1ap.Cause{Group: s1ap.CauseGroupProtocol, Value: 3} // message-not-compatible-with-receiver-state
	causeIgnoreNotify  = s1ap.Cause{Group: s1ap.CauseGroupProtocol, Value: 2} // abstract-syntax-error-ignore-and-notify
	causeFalselyBuilt  = s1ap.Cause{Group: s1ap.CauseGroupProtocol, Value: 5} // abstract-syntax-error-falsely-constructed-message
	causeUnknownPair   = s1ap.Cause{Group: s1ap.CauseGroupRadioNetwork, Value: 15}
)

// HandleS1AP processes one PDU from eNB association enb at time now and
// returns the PDUs to send. A non-nil error (a *ProtocolError) says why the
// PDU was refused; the answer to it is in out.
func (s *MMEServer) HandleS1AP(enb EnbID, pdu []byte, now time.Duration) (out []Out, err error) {
	p, err := s1ap.ParsePDU(pdu)
	if err != nil {
		return s.errorIndication(enb, nil, nil, "transfer_syntax", s1ap.CauseProtocolTransferSyntaxError, nil, err)
	}
	msg, err := p.Message()
	if err != nil {
		diag := diagnostics(p, nil)
		var ie *s1ap.IEError
		if errors.As(err, &ie) {
			diag.IEs = []s1ap.CriticalityDiagnosticsIE{{Criticality: s1ap.Reject, ID: ie.ID, TypeOfError: s1ap.NotUnderstood}}
		}
		return s.errorIndication(enb, nil, nil, "transfer_syntax", s1ap.CauseProtocolTransferSyntaxError, diag, err)
	}
	if w, ok := msg.(interface{ MissingIEs() []s1ap.ProtocolIEID }); ok && len(w.MissingIEs()) > 0 {
		diag := diagnostics(p, w.MissingIEs())
		if _, ok := msg.(*s1ap.S1SetupRequest); ok {
			return s.setupFailure(enb, s1ap.CauseProtocolAbstractSyntaxReject, diag, "missing_ie")
		}
		return s.errorIndication(enb, nil, nil, "missing_ie", causeFalselyBuilt, diag, fmt.Errorf("missing IEs %v", w.MissingIEs()))
	}
	if x, ok := msg.(*s1ap.S1SetupRequest); ok {
		return s.s1Setup(enb, x, now)
	}
	e := s.enbs[enb]
	if e == nil || !e.setup {
		if _, ok := msg.(*s1ap.ErrorIndication); ok {
			s.C.ErrorIndicationsReceived++
			return nil, nil
		}
		return s.errorIndication(enb, nil, nil, "not_setup", causeNotCompatible, diagnostics(p, nil), errors.New("no S1 Setup on this association"))
	}
	switch x := msg.(type) {
	case *s1ap.InitialUEMessage:
		return s.initialUE(enb, e, x, now)
	case *s1ap.UplinkNASTransport:
		return s.uplinkNAS(enb, x, now)
	case *s1ap.UEContextReleaseRequest:
		return s.releaseRequest(enb, x)
	case *s1ap.InitialContextSetupResponse:
		return s.contextSetupResponse(enb, x)
	case *s1ap.InitialContextSetupFailure:
		return s.contextSetupFailure(enb, x)
	case *s1ap.UEContextReleaseComplete:
		return s.releaseComplete(enb, x, now), nil
	case *s1ap.Reset:
		return s.reset(enb, e, x, now), nil
	case *s1ap.ErrorIndication:
		s.C.ErrorIndicationsReceived++
		return nil, nil
	case *s1ap.NASNonDeliveryIndication:
		s.C.Errors["nas_non_delivery"]++
		return nil, nil
	case *s1ap.PDU:
		return s.unknownProcedure(enb, p, x)
	}
	return s.errorIndication(enb, nil, nil, "unsupported", causeNotCompatible, diagnostics(p, nil), fmt.Errorf("%T not served", msg))
}

// uplinkNAS hands an Uplink NAS Transport's NAS-PDU to the MME.
func (s *MMEServer) uplinkNAS(enb EnbID, x *s1ap.UplinkNASTransport, now time.Duration) ([]Out, error) {
	s.C.UplinkNAS++
	c, ok := s.conns[mme.UEID(x.MMEUES1APID)]
	if !ok || c.enb != enb || c.enbUE != x.ENBUES1APID {
		return s.unknownUE(enb, x.MMEUES1APID, x.ENBUES1APID, ok)
	}
	out := s.effects(s.MME.HandleNAS(mme.UEID(x.MMEUES1APID), x.NASPDU, now), now)
	if c.attaching != "" {
		s.attached(mme.UEID(x.MMEUES1APID))
	}
	return out, nil
}

// releaseRequest answers a UE Context Release Request with the command.
func (s *MMEServer) releaseRequest(enb EnbID, x *s1ap.UEContextReleaseRequest) ([]Out, error) {
	s.C.ReleaseRequests++
	id := mme.UEID(x.MMEUES1APID)
	c, ok := s.conns[id]
	if !ok || c.enb != enb || c.enbUE != x.ENBUES1APID {
		return s.unknownUE(enb, x.MMEUES1APID, x.ENBUES1APID, ok)
	}
	return s.releaseCommand(id, c, x.Cause), nil
}

// contextSetupResponse counts an Initial Context Setup Response.
func (s *MMEServer) contextSetupResponse(enb EnbID, x *s1ap.InitialContextSetupResponse) ([]Out, error) {
	c, ok := s.conns[mme.UEID(x.MMEUES1APID)]
	if !ok || c.enb != enb || c.enbUE != x.ENBUES1APID {
		return s.unknownUE(enb, x.MMEUES1APID, x.ENBUES1APID, ok)
	}
	s.C.ContextSetupResponses++
	// The eNB's end of the default bearer would go to the S-GW, which
	// nbsim core does not have; a Response without it is counted.
	if !slices.ContainsFunc(x.ERABSetup, func(e s1ap.ERABSetupItem) bool { return e.ERABID == defaultEBI }) {
		s.C.Errors["erab_not_setup"]++
	}
	return nil, nil
}

// contextSetupFailure releases the connection whose context the eNB
// could not set up.
func (s *MMEServer) contextSetupFailure(enb EnbID, x *s1ap.InitialContextSetupFailure) ([]Out, error) {
	id := mme.UEID(x.MMEUES1APID)
	c, ok := s.conns[id]
	if !ok || c.enb != enb || c.enbUE != x.ENBUES1APID {
		return s.unknownUE(enb, x.MMEUES1APID, x.ENBUES1APID, ok)
	}
	s.C.ContextSetupFailures++
	// §8.3.1.3: the UE context is not set up; release the connection
	// with the eNB's cause (TS 23.401 §5.3.4.1: the UE stays idle).
	return s.releaseCommand(id, c, x.Cause), nil
}

// releaseComplete ends a connection the eNB has released.
func (s *MMEServer) releaseComplete(enb EnbID, x *s1ap.UEContextReleaseComplete, now time.Duration) []Out {
	id := mme.UEID(x.MMEUES1APID)
	c, ok := s.conns[id]
	if !ok || c.enb != enb || c.enbUE != x.ENBUES1APID {
		// Late (the connection was taken over or lost): nothing to undo.
		s.C.Errors["stale_release_complete"]++
		return nil
	}
	s.C.ReleaseCompletes++
	s.drop(id, c)
	s.MME.Released(id, now)
	return s.effects(s.MME.AfterRelease(id, now), now)
}

// reset releases the connections an eNB's Reset lists (all of them for a
// reset of the whole S1 interface) and acknowledges it.
func (s *MMEServer) reset(enb EnbID, e *enbState, x *s1ap.Reset, now time.Duration) []Out {
	s.C.Resets++
	if !x.ResetType.All {
		// Partial reset: acknowledge the listed connections, release them.
		for _, r := range x.ResetType.Connections {
			if r.MMEUES1APID != nil {
				if c, ok := s.conns[mme.UEID(*r.MMEUES1APID)]; ok && c.enb == enb {
					s.drop(mme.UEID(*r.MMEUES1APID), c)
					s.MME.Released(mme.UEID(*r.MMEUES1APID), now)
				}
			}
		}
		return s.out(enb, StreamNonUE, &s1ap.ResetAcknowledge{Connections: x.ResetType.Connections})
	}
	s.releaseAll(enb, e, now)
	return s.out(enb, StreamNonUE, &s1ap.ResetAcknowledge{})
}

// unknownProcedure answers a procedure the server does not serve as its
// criticality asks (TS 36.413 §10.3.4.1): ignore, or an Error Indication.
func (s *MMEServer) unknownProcedure(enb EnbID, p, x *s1ap.PDU) ([]Out, error) {
	if x.Criticality == s1ap.Ignore {
		s.C.Errors["unknown_procedure"]++
		return nil, nil
	}
	cause := s1ap.CauseProtocolAbstractSyntaxReject
	if x.Criticality == s1ap.Notify {
		cause = causeIgnoreNotify
	}
	return s.errorIndication(enb, nil, nil, "unknown_procedure", cause, diagnostics(p, nil), fmt.Errorf("procedure %d not served", x.Code))
}

func diagnostics(p *s1ap.PDU, missing []s1ap.ProtocolIEID) *s1ap.CriticalityDiagnostics {
	code, typ, crit := p.Code, p.Type, p.Criticality
	d := &s1ap.CriticalityDiagnostics{ProcedureCode: &code, TriggeringMessage: &typ, ProcedureCriticality: &crit}
	for _, id := range missing {
		d.IEs = append(d.IEs, s1ap.CriticalityDiagnosticsIE{Criticality: s1ap.Reject, ID: id, TypeOfError: s1ap.Missing})
	}
	return d
}

func (s *MMEServer) out(enb EnbID, stream uint16, m s1ap.Message) []Out {
	b, err := m.Marshal()
	if err != nil {
		s.C.Errors["encode"]++
		return nil
	}
	return []Out{{Enb: enb, Stream: stream, PDU: b}}
}

func (s *MMEServer) errorIndication(enb EnbID, mmeID, enbID *uint32, reason string, cause s1ap.Cause, diag *s1ap.CriticalityDiagnostics, err error) ([]Out, error) {
	s.C.Errors[reason]++
	s.C.ErrorIndicationsSent++
	stream := StreamNonUE
	if mmeID != nil || enbID != nil {
		stream = StreamUE
	}
	ei := &s1ap.ErrorIndication{MMEUES1APID: mmeID, ENBUES1APID: enbID, Cause: &cause, CriticalityDiagnostics: diag}
	return s.out(enb, stream, ei), &ProtocolError{Reason: reason, Cause: cause, Err: err}
}

func (s *MMEServer) unknownUE(enb EnbID, mmeID, enbID uint32, known bool) ([]Out, error) {
	cause := s1ap.CauseRadioNetworkUnknownMMEUEID
	if known {
		cause = causeUnknownPair
	}
	return s.errorIndication(enb, &mmeID, &enbID, "unknown_ue", cause, nil,
		fmt.Errorf("MME UE S1AP ID %d / eNB UE S1AP ID %d", mmeID, enbID))
}

// s1Setup: §8.7.3.
func (s *MMEServer) s1Setup(enb EnbID, x *s1ap.S1SetupRequest, now time.Duration) ([]Out, error) {
	tacs := map[uint16]bool{}
	for _, ta := range x.SupportedTAs {
		for _, p := range ta.BroadcastPLMNs {
			if p == s.plmn {
				tacs[ta.TAC] = ta.RATType != nil && *ta.RATType == s1ap.RATTypeNBIoT
			}
		}
	}
	if len(tacs) == 0 {
		return s.setupFailure(enb, s1ap.CauseMiscUnknownPLMN, nil, "unknown_plmn")
	}
	// A repeated setup, or the same eNB on a new association (it restarted
	// before the old one was seen to end): the earlier UE connections go.
	if old := s.enbs[enb]; old != nil && old.setup {
		s.releaseAll(enb, old, now)
	}
	for id, o := range s.enbs {
		if id != enb && o.setup && o.global.PLMN == x.GlobalENBID.PLMN && o.global.Kind == x.GlobalENBID.Kind && o.global.ID == x.GlobalENBID.ID {
			s.ENBLost(id, now)
		}
	}
	e := s.enbs[enb]
	if e == nil {
		e = &enbState{ues: map[uint32]mme.UEID{}}
		s.enbs[enb] = e
		s.C.ENBs++
	}
	e.setup, e.global, e.tacs = true, x.GlobalENBID, tacs
	if x.ENBName != nil {
		e.name = *x.ENBName
	}
	s.C.Setups++
	resp := &s1ap.S1SetupResponse{
		ServedGUMMEIs:       []s1ap.ServedGUMMEI{{PLMNs: []s1ap.PLMN{s.plmn}, GroupIDs: []uint16{s.cfg.MMEGroupID}, MMECs: []uint8{s.cfg.MMEC}}},
		RelativeMMECapacity: s.cfg.RelativeCapacity,
	}
	if s.cfg.MMEName != "" {
		name := s.cfg.MMEName
		resp.MMEName = &name
	}
	return s.out(enb, StreamNonUE, resp), nil
}

func (s *MMEServer) setupFailure(enb EnbID, cause s1ap.Cause, diag *s1ap.CriticalityDiagnostics, reason string) ([]Out, error) {
	s.C.SetupFailures++
	s.C.Errors[reason]++
	return s.out(enb, StreamNonUE, &s1ap.S1SetupFailure{Cause: cause, CriticalityDiagnostics: diag}),
		&ProtocolError{Reason: reason, Cause: cause}
}

// initialUE: §8.6.2.1.
func (s *MMEServer) initialUE(enb EnbID, e *enbState, x *s1ap.InitialUEMessage, now time.Duration) ([]Out, error) {
	s.C.InitialUE++
	if old, ok := e.ues[x.ENBUES1APID]; ok {
		// The eNB reuses an eNB UE S1AP ID: the earlier connection is gone.
		if c := s.conns[old]; c != nil && c.enb == enb && c.enbUE == x.ENBUES1APID {
			s.drop(old, c)
			s.MME.Released(old, now)
		}
	}
	var id mme.UEID
	found := false
	if x.STMSI != nil && x.STMSI.MMEC == s.cfg.MMEC {
		if imsi, ok := s.tmsi[x.STMSI.MTMSI]; ok {
			if u, ok := s.MME.UE(imsi); ok {
				id, found = u.ID, true
				if c := s.conns[id]; c != nil {
					// Connected elsewhere still (its release not seen yet):
					// the new connection takes over.
					s.drop(id, c)
				}
			}
		}
	}
	if !found {
		id = s.MME.Connect()
	}
	s.conns[id] = &s1conn{enb: enb, enbUE: x.ENBUES1APID, tai: x.TAI}
	e.ues[x.ENBUES1APID] = id
	s.peak, e.peak = max(s.peak, len(s.conns)), max(e.peak, len(e.ues))
	s.C.Connected++
	if found {
		if u, ok := s.MME.UE(s.tmsi[x.STMSI.MTMSI]); ok {
			s.tacOf[u.IMSI] = x.TAI.TAC
		}
	}
	imsi := attachIMSI(x.NASPDU)
	var prev *mme.UE // the context an attach with imsi replaces
	if imsi != "" {
		prev, _ = s.MME.UE(imsi)
	}
	effs := s.MME.HandleNAS(id, x.NASPDU, now)
	if imsi != "" {
		s.conns[id].attaching = imsi
		s.attached(id)
	}
	var out []Out
	if prev != nil && prev.ID != id {
		if u, ok := s.MME.UEByID(prev.ID); !ok || u != prev {
			// The MME replaced the context: its S1 connection, if any, is
			// stale (released, not waited for).
			if c, ok := s.conns[prev.ID]; ok {
				out = s.releaseCommand(prev.ID, c, s1ap.CauseNASUnspecified)
				s.drop(prev.ID, c)
			}
		}
	}
	if !found && x.STMSI != nil {
		// An S-TMSI this MME does not know (e.g. allocated before a
		// restart): the MME answers SERVICE REJECT / TAU REJECT #9 and the
		// device attaches again. Anything else is discarded; release the
		// connection so the device does not wait.
		s.C.Errors["unknown_stmsi"]++
		if len(effs) == 0 {
			return append(out, s.releaseCommand(id, s.conns[id], s1ap.CauseNASUnspecified)...), nil
		}
	}
	return append(out, s.effects(effs, now)...), nil
}

// attached records, once the attach on connection id has completed, the
// UE's M-TMSI and the TAC it attached from: only for UEs registered, so
// strangers' IMSIs and unfinished attaches leave nothing behind.
func (s *MMEServer) attached(id mme.UEID) {
	c := s.conns[id]
	if c == nil || c.attaching == "" {
		return
	}
	imsi := c.attaching
	if u, ok := s.MME.UE(imsi); !ok || u.ID != id {
		c.attaching = "" // not this connection's (rejected, replaced)
	} else if u.Registered() {
		s.tmsi[MTMSI(imsi)] = imsi
		s.tacOf[imsi] = c.tai.TAC
		c.attaching = ""
	}
}

// attachIMSI returns the IMSI of a plain ATTACH REQUEST with IMSI identity.
func attachIMSI(b []byte) string {
	if len(b) < 2 || b[0] != byte(nas.PDEMM) || b[1] != 0x41 {
		return ""
	}
	m, err := nas.ParseDirection(b, nas.Uplink)
	if err != nil {
		return ""
	}
	if a, ok := m.(*nas.AttachRequest); ok && a.Identity.Type == nas.EPSIdentityIMSI {
		return a.Identity.Digits
	}
	return ""
}

// drop removes a connection's mappings.
func (s *MMEServer) drop(id mme.UEID, c *s1conn) {
	delete(s.conns, id)
	s.conns = shrunk(s.conns, &s.peak)
	if e := s.enbs[c.enb]; e != nil && e.ues[c.enbUE] == id {
		delete(e.ues, c.enbUE)
		e.ues = shrunk(e.ues, &e.peak)
	}
	s.C.Connected--
}

// shrunk returns m, or a copy of it when it has shrunk to a quarter of its
// peak size of 1024 or more: Go maps keep the memory of their peak, which
// a flood of connections would otherwise leave behind.
func shrunk[K comparable, V any](m map[K]V, peak *int) map[K]V {
	if *peak >= 1024 && len(m) < *peak/4 {
		*peak = len(m)
		c := make(map[K]V, len(m)) // (maps.Clone keeps m's size)
		maps.Copy(c, m)
		return c
	}
	return m
}

// releaseAll ends every UE connection of an eNB (the MME sees them
// released).
func (s *MMEServer) releaseAll(enb EnbID, e *enbState, now time.Duration) int {
	n := 0
	for enbUE, id := range e.ues {
		if c := s.conns[id]; c != nil && c.enb == enb && c.enbUE == enbUE {
			s.drop(id, c)
			s.MME.Released(id, now)
			n++
		}
	}
	clear(e.ues)
	return n
}

// ENBLost ends association enb: its UEs are released (ECM-IDLE) and the
// eNB forgotten. Calling it again, or for an unknown enb, does nothing.
func (s *MMEServer) ENBLost(enb EnbID, now time.Duration) {
	e, ok := s.enbs[enb]
	if !ok {
		return
	}
	s.C.LostUEs += int64(s.releaseAll(enb, e, now))
	delete(s.enbs, enb)
	s.C.ENBs--
	s.C.Lost++
}

// HandleDownlink passes user data from SGi for imsi to the MME and returns
// what to send (Downlink NAS Transport to a connected UE, Paging).
func (s *MMEServer) HandleDownlink(imsi string, data []byte, now time.Duration) []Out {
	return s.effects(s.MME.HandleDownlink(imsi, data, now), now)
}

// Tick runs the MME's procedure timers at time now (mme.MME.Expire): the
// connections of the UE contexts freed get a UE Context Release Command
// and are forgotten at once (a late Release Complete is counted as
// stale_release_complete), so an eNB that never answers holds nothing.
func (s *MMEServer) Tick(now time.Duration) []Out {
	var out []Out
	for _, ef := range s.MME.Expire(now) {
		out = s.expired(ef, out)
	}
	return out
}

// expired handles one effect of mme.MME.Expire, which returns Release
// only.
func (s *MMEServer) expired(ef mme.Effect, out []Out) []Out {
	r, ok := ef.(mme.Release)
	if !ok {
		panic(unhandledEffect(ef))
	}
	if c, ok := s.conns[r.UE]; ok {
		out = append(out, s.releaseCommand(r.UE, c, s1ap.CauseNASUnspecified)...)
		s.drop(r.UE, c)
	}
	return out
}

// DropUE forgets, after a failure while handling pdu from enb, the UE
// connection and MME context the PDU names (by its eNB UE S1AP ID on that
// association, else its MME UE S1AP ID), with a UE Context Release
// Command to the eNB. False when the PDU names no UE the server knows: the
// caller then ends the association.
func (s *MMEServer) DropUE(enb EnbID, pdu []byte, now time.Duration) (out []Out, ok bool) {
	msg, err := s1ap.Parse(pdu)
	if err != nil {
		return nil, false
	}
	var enbUE, mmeUE *uint32
	switch x := msg.(type) {
	case *s1ap.InitialUEMessage:
		enbUE = &x.ENBUES1APID
	case *s1ap.UplinkNASTransport:
		enbUE, mmeUE = &x.ENBUES1APID, &x.MMEUES1APID
	case *s1ap.UEContextReleaseRequest:
		enbUE, mmeUE = &x.ENBUES1APID, &x.MMEUES1APID
	case *s1ap.UEContextReleaseComplete:
		enbUE, mmeUE = &x.ENBUES1APID, &x.MMEUES1APID
	case *s1ap.InitialContextSetupResponse:
		enbUE, mmeUE = &x.ENBUES1APID, &x.MMEUES1APID
	case *s1ap.InitialContextSetupFailure:
		enbUE, mmeUE = &x.ENBUES1APID, &x.MMEUES1APID
	default:
		return nil, false
	}
	var id mme.UEID
	found := false
	if e := s.enbs[enb]; e != nil && enbUE != nil {
		id, found = e.ues[*enbUE]
	}
	if !found && mmeUE != nil {
		if c, ok := s.conns[mme.UEID(*mmeUE)]; ok && c.enb == enb {
			id, found = mme.UEID(*mmeUE), true
		}
	}
	if !found {
		return nil, false
	}
	if c, ok := s.conns[id]; ok {
		c.releasing = false
		out = s.releaseCommand(id, c, s1ap.CauseNASUnspecified)
		s.drop(id, c)
	}
	s.MME.Forget(id)
	return out, true
}

// ENBs returns the eNB associations with S1 Setup done.
func (s *MMEServer) ENBs() []EnbID {
	var ids []EnbID
	for id, e := range s.enbs {
		if e.setup {
			ids = append(ids, id)
		}
	}
	return ids
}

// effects turns the MME's effects into PDUs.
func (s *MMEServer) effects(effs []mme.Effect, now time.Duration) []Out {
	var out []Out
	for _, ef := range effs {
		switch x := ef.(type) {
		case mme.SendNAS:
			c, ok := s.conns[x.UE]
			if !ok {
				s.C.Errors["no_connection"]++
				continue
			}
			s.C.DownlinkNAS++
			out = append(out, s.out(c.enb, StreamUE, &s1ap.DownlinkNASTransport{
				MMEUES1APID: uint32(x.UE), ENBUES1APID: c.enbUE, NASPDU: x.NAS})...)
		case mme.Release:
			if c, ok := s.conns[x.UE]; ok {
				out = append(out, s.releaseCommand(x.UE, c, releaseCause(x.Cause))...)
			}
		case mme.Deliver:
			s.C.Delivered++
			if s.OnDeliver != nil {
				s.OnDeliver(x)
			}
		case mme.Page:
			s.C.Pages++
			out = append(out, s.paging(x.IMSI)...)
		case mme.Dropped:
			s.C.DroppedDL++
		case mme.SetupContext:
			out = append(out, s.initialContextSetup(x.UE)...)
		default:
			panic(unhandledEffect(ef))
		}
	}
	return out
}

// unhandledEffect is the panic of a consumer of mme.Effect given one it
// has no case for: a new effect type was added without its handler
// (TestEffectsHandled feeds it every mme.AllEffects).
func unhandledEffect(ef mme.Effect) string {
	return fmt.Sprintf("s1: unhandled MME effect %T", ef)
}

// The default bearer (E-RAB) of a UE and its parameters in Initial Context
// Setup: the EPS bearer ID of the MME's default bearer, QCI 9 (non-GBR,
// TS 23.203 Table 6.1.7), ARP priority level 8 (of 1..14; 15 is "no
// priority"), not pre-empting and pre-emptable, and a UE-AMBR of 1 Mbit/s
// each way (the HSS keeps no subscribed QoS).
const (
	defaultEBI  = 5
	defaultQCI  = 9
	defaultARP  = 8
	defaultAMBR = 1_000_000
)

// initialContextSetup: §8.3.1 after a user-plane SERVICE REQUEST (TS 23.401
// §5.3.4.1): the UE's IDs, UE-AMBR, the default bearer's E-RAB towards the
// S-GW (GTP-TEID: the MME UE S1AP ID, unique to the UE context and never
// 0), the UE security capabilities and K_eNB from the SERVICE REQUEST's
// uplink NAS COUNT (TS 33.401 §7.2.8.1).
func (s *MMEServer) initialContextSetup(id mme.UEID) []Out {
	c, ok := s.conns[id]
	if !ok {
		s.C.Errors["no_connection"]++
		return nil
	}
	u, ok := s.MME.UEByID(id)
	if !ok {
		s.C.Errors["no_connection"]++
		return nil
	}
	kenb, ok := u.KeNB()
	if !ok {
		s.C.Errors["no_security_context"]++
		return nil
	}
	sgw := s.cfg.SGWAddress
	if !sgw.IsValid() {
		sgw = DefaultSGWAddress
	}
	s.C.ContextSetups++
	return s.out(c.enb, StreamUE, &s1ap.InitialContextSetupRequest{
		MMEUES1APID:               uint32(id),
		ENBUES1APID:               c.enbUE,
		UEAggregateMaximumBitrate: s1ap.UEAggregateMaximumBitrate{DL: defaultAMBR, UL: defaultAMBR},
		ERABs: []s1ap.ERABToBeSetupItem{{
			ERABID: defaultEBI,
			QoS: s1ap.ERABLevelQoSParameters{QCI: defaultQCI,
				ARP: s1ap.AllocationRetentionPriority{PriorityLevel: defaultARP, PreemptionCapability: 0, PreemptionVulnerability: 1}},
			TransportLayerAddress: sgw.AsSlice(),
			GTPTEID:               uint32(id),
		}},
		UESecurityCapabilities: s.securityCapabilities(u),
		SecurityKey:            kenb,
	})
}

// securityCapabilities is the UE Security Capabilities IE (§9.2.1.40) of
// the UE network capability the UE sent at attach: its 128-EEA1..3 and
// 128-EIA1..3 bits (EEA0 and EIA0 have none; bits of other algorithms are
// reserved). A preattached UE sent none: then the NAS algorithms the MME
// selects (those of the UE's NAS security context, which the UE supports).
func (s *MMEServer) securityCapabilities(u *mme.UE) s1ap.UESecurityCapabilities {
	if c := u.SecurityCapability(); len(c) >= 2 {
		// NAS octets: bit 8 = EEA0/EIA0, bit 7 = 1, bit 6 = 2, bit 5 = 3;
		// S1AP: the first bit of the string (0x8000) = 128-EEA1/EIA1.
		return s1ap.UESecurityCapabilities{
			EncryptionAlgorithms:          uint16(c.EEA()&0x70) << 9,
			IntegrityProtectionAlgorithms: uint16(c.EIA()&0x70) << 9,
		}
	}
	enc, integ := s.MME.Algorithms()
	var caps s1ap.UESecurityCapabilities
	if enc >= 1 && enc <= 3 {
		caps.EncryptionAlgorithms = 0x8000 >> (enc - 1)
	}
	if integ >= 1 && integ <= 3 {
		caps.IntegrityProtectionAlgorithms = 0x8000 >> (integ - 1)
	}
	return caps
}

func (s *MMEServer) releaseCommand(id mme.UEID, c *s1conn, cause s1ap.Cause) []Out {
	if c.releasing {
		return nil
	}
	c.releasing = true
	s.C.ReleaseCommands++
	enbUE := c.enbUE
	return s.out(c.enb, StreamUE, &s1ap.UEContextReleaseCommand{
		UES1APIDs: s1ap.UES1APIDs{MMEUES1APID: uint32(id), ENBUES1APID: &enbUE}, Cause: cause})
}

// releaseCause maps the MME's release reasons to S1AP causes.
func releaseCause(why string) s1ap.Cause {
	switch {
	case strings.HasPrefix(why, "release assistance"), strings.HasPrefix(why, "tau"):
		return s1ap.CauseNASNormalRelease
	case why == "detach":
		return s1ap.CauseNASDetach
	case strings.Contains(why, "authentication"), strings.Contains(why, "resync"), strings.Contains(why, "security mode"):
		return s1ap.CauseNASAuthenticationFailure
	}
	return s1ap.CauseNASUnspecified
}

// paging: §8.5 to every eNB serving the UE's tracking area. Every Paging
// carries the UE identity index value (IMSI mod 1024) and the Paging DRX
// (mme.Config.PagingDRX); one to an eNB with an NB-IoT tracking area also
// carries the NB-IoT UE identity index value (IMSI mod 4096, TS 36.304
// §7.1) and, for a UE granted eDRX, the NB-IoT Paging eDRX Information
// (cycle and paging time window of the grant).
func (s *MMEServer) paging(imsi string) []Out {
	n, err := strconv.ParseUint(imsi, 10, 64)
	if err != nil {
		s.C.Errors["page_bad_imsi"]++
		return nil
	}
	want := map[uint16]bool{s.tac: true}
	if t, ok := s.tacOf[imsi]; ok {
		want[t] = true
	}
	id := s1ap.UEPagingID{}
	if m := MTMSI(imsi); s.tmsi[m] == imsi {
		id.STMSI = &s1ap.STMSI{MMEC: s.cfg.MMEC, MTMSI: m}
	} else if id.IMSI, err = gpp.TBCD(imsi); err != nil {
		s.C.Errors["page_bad_imsi"]++
		return nil
	}
	// The eDRX granted to the UE, for the eNBs of NB-IoT tracking areas
	// (the MME grants NB-S1 mode values).
	var edrx *s1ap.NBIoTPagingEDRXInformation
	if u, ok := s.MME.UE(imsi); ok && u.EDRX.Enabled {
		edrx = nbIoTPagingEDRX(u.EDRX.Cycle, u.EDRX.PTW)
	}
	var out []Out
	for _, enb := range sortedKeys(s.enbs) {
		e := s.enbs[enb]
		var tais []s1ap.TAI
		nbiot := false
		for _, tac := range sortedKeys(e.tacs) {
			if want[tac] {
				tais = append(tais, s1ap.TAI{PLMN: s.plmn, TAC: tac})
				nbiot = nbiot || e.tacs[tac]
			}
		}
		if !e.setup || len(tais) == 0 {
			continue
		}
		p := &s1ap.Paging{UEIdentityIndexValue: uint16(n % 1024), UEPagingID: id, PagingDRX: s.pagingDRX,
			CNDomain: s1ap.CNDomainPS, TAIs: tais}
		if nbiot {
			idx := uint16(n % 4096)
			p.NBIoTUEIdentityIndex = &idx
			p.NBIoTPagingEDRX = edrx
		}
		s.C.Pagings++
		out = append(out, s.out(enb, StreamNonUE, p)...)
	}
	if len(out) == 0 {
		s.C.PagesUnsent++
	}
	return out
}

// pagingDRXFor is the Paging DRX (TS 36.413 §9.2.1.16: 32, 64, 128 or 256
// radio frames of 10 ms) nearest to the paging cycle d.
func pagingDRXFor(d time.Duration) s1ap.PagingDRX {
	best := s1ap.PagingDRX32
	for v := s1ap.PagingDRX32; v <= s1ap.PagingDRX256; v++ {
		if absDur(radioFrames(32<<v)-d) < absDur(radioFrames(32<<best)-d) {
			best = v
		}
	}
	return best
}

// nbIoTEDRXHyperframes are the NB-IoT-Paging-eDRX-Cycle values in
// hyperframes of 10.24 s, by index (hf2 .. hf1024).
var nbIoTEDRXHyperframes = [...]int{2, 4, 6, 8, 10, 12, 14, 16, 32, 64, 128, 256, 512, 1024}

// nbIoTPagingEDRX is the NB-IoT Paging eDRX Information (TS 36.413 IE id
// 239) for an eDRX cycle and paging time window: the cycle nearest
// to cycle in hyperframes (hf2 = 20.48 s .. hf1024 = 10485.76 s) and the
// window in steps of 2.56 s (s1 = 2.56 s .. s16 = 40.96 s); no window when
// ptw is 0.
func nbIoTPagingEDRX(cycle, ptw time.Duration) *s1ap.NBIoTPagingEDRXInformation {
	e := &s1ap.NBIoTPagingEDRXInformation{}
	for i, h := range nbIoTEDRXHyperframes {
		if absDur(hyperframes(h)-cycle) < absDur(hyperframes(nbIoTEDRXHyperframes[e.Cycle])-cycle) {
			e.Cycle = s1ap.NBIoTPagingEDRXCycle(i)
		}
	}
	if ptw > 0 {
		w := uint8(gpp.NearestPTWNB(ptw)/gpp.PTWUnitNB - 1)
		e.TimeWindow = &w
	}
	return e
}

func radioFrames(n int) time.Duration { return time.Duration(n) * 10 * time.Millisecond }
func hyperframes(n int) time.Duration { return time.Duration(n) * 10240 * time.Millisecond }

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K { return slices.Sorted(maps.Keys(m)) }
