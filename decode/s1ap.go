package decode

import (
	"fmt"
	"strings"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/gpp"
)

// MessageName is the S1AP message name of a procedure code and PDU type.
func MessageName(code s1ap.ProcedureCode, t s1ap.PDUType) string {
	if n, ok := gpp.S1APMessageName(uint8(code), uint8(t)); ok {
		return n
	}
	return fmt.Sprintf("procedure %d %s", code, t)
}

// uplinkProcs are the procedures whose initiating message only the eNB
// sends (TS 36.413 §8, §9.1).
var uplinkProcs = map[s1ap.ProcedureCode]bool{
	s1ap.ProcHandoverPreparation:                true,
	s1ap.ProcHandoverNotification:               true,
	s1ap.ProcPathSwitchRequest:                  true,
	s1ap.ProcHandoverCancel:                     true,
	s1ap.ProcERABReleaseIndication:              true,
	s1ap.ProcInitialUEMessage:                   true,
	s1ap.ProcUplinkNASTransport:                 true,
	s1ap.ProcNASNonDeliveryIndication:           true,
	s1ap.ProcS1Setup:                            true,
	s1ap.ProcUEContextReleaseRequest:            true,
	s1ap.ProcUplinkS1cdma2000tunnelling:         true,
	s1ap.ProcUECapabilityInfoIndication:         true,
	s1ap.ProcENBStatusTransfer:                  true,
	s1ap.ProcTraceFailureIndication:             true,
	s1ap.ProcENBConfigurationUpdate:             true,
	s1ap.ProcLocationReportingFailureIndication: true,
	s1ap.ProcLocationReport:                     true,
	s1ap.ProcENBDirectInformationTransfer:       true,
	s1ap.ProcENBConfigurationTransfer:           true,
	s1ap.ProcCellTrafficTrace:                   true,
	s1ap.ProcUplinkUEAssociatedLPPaTransport:    true,
	s1ap.ProcUplinkNonUEAssociatedLPPaTransport: true,
	s1ap.ProcPWSRestartIndication:               true,
	s1ap.ProcERABModificationIndication:         true,
	s1ap.ProcPWSFailureIndication:               true,
	s1ap.ProcUEContextModificationIndication:    true,
	s1ap.ProcUEContextSuspend:                   true,
	s1ap.ProcUEContextResume:                    true,
	s1ap.ProcNASDeliveryIndication:              true,
	s1ap.ProcENBCPRelocationIndication:          true,
	s1ap.ProcSecondaryRATDataUsageReport:        true,
	s1ap.ProcHandoverSuccess:                    true,
	s1ap.ProcENBEarlyStatusTransfer:             true,
}

// s1apDir guesses the direction of a message without transport addresses.
func s1apDir(m s1ap.Message) string {
	code, t := m.Procedure(), m.PDUType()
	switch code {
	case s1ap.ProcReset, s1ap.ProcErrorIndication, s1ap.ProcPrivateMessage: // both ways
		return ""
	}
	up := uplinkProcs[code]
	if t != s1ap.InitiatingMessage {
		up = !up
	}
	if up {
		return Uplink
	}
	return Downlink
}

// CauseString names an S1AP cause, e.g. "nas:detach".
func CauseString(c s1ap.Cause) string {
	if g, ok := gpp.S1APCauseGroupName(uint8(c.Group)); ok {
		if v, ok := gpp.S1APCauseName(uint8(c.Group), c.Value); ok {
			return g + ":" + v
		}
		return fmt.Sprintf("%s:%d", g, c.Value)
	}
	return c.String()
}

var rrcCauses = []string{"emergency", "highPriorityAccess", "mt-Access", "mo-Signalling", "mo-Data",
	"delay-TolerantAccess", "mo-VoiceCall", "mo-ExceptionData"}

func rrcCause(c s1ap.RRCEstablishmentCause) string {
	if int(c) < len(rrcCauses) {
		return rrcCauses[c]
	}
	return itoa(uint8(c))
}

func decodeS1AP(r *Record, b []byte) {
	m, err := s1ap.Parse(b)
	if err != nil {
		r.Proto = ProtoS1AP
		r.Message = "?"
		if p, perr := s1ap.ParsePDU(b); perr == nil {
			r.Message = MessageName(p.Code, p.Type)
		}
		r.Error = fmt.Sprintf("%s: S1AP at byte offset %s: %v", where(r), offStr(r.Offset), err)
		return
	}
	decodeS1APMessage(r, m, b)
}

func offStr(o int) string {
	if o < 0 {
		return "?"
	}
	return itoa(o)
}

func plmnTAC(p s1ap.PLMN, tac uint16) string { return fmt.Sprintf("%s/%04x", p, tac) }

// decodeS1APMessage fills r from a parsed S1AP message: its name, its key
// IEs (by message family, in s1apFields' methods), the mandatory IEs it
// lacks, and the NAS messages it carries.
func decodeS1APMessage(r *Record, m s1ap.Message, b []byte) {
	r.Proto = ProtoS1AP
	r.Message = MessageName(m.Procedure(), m.PDUType())
	s := &s1apFields{f: &r.Fields}
	_ = s.nasTransport(m) || s.context(m) || s.erab(m) || s.paging(m) || s.management(m) ||
		s.handover(m) || s.generic(m)
	s.missing(m)
	s1apNAS(r, s.pdus, b)
}

// s1apFields collects the fields of an S1AP record and the NAS-PDUs of
// the message.
type s1apFields struct {
	f    *Fields
	pdus []nasPDU
}

// nasPDU is a NAS-PDU of an S1AP message, with its E-RAB (0 for none).
type nasPDU struct {
	b    []byte
	erab int
}

func (s *s1apFields) add(k, v string) { s.f.add(k, v) }

func (s *s1apFields) ids(mme, enb uint32) {
	s.add("mme-ue", itoa(mme))
	s.add("enb-ue", itoa(enb))
}

func (s *s1apFields) addNAS(b []byte, erab int) {
	if b != nil {
		s.pdus = append(s.pdus, nasPDU{b, erab})
	}
}

func (s *s1apFields) location(tai s1ap.TAI, cgi s1ap.EUTRANCGI) {
	s.add("tai", plmnTAC(tai.PLMN, tai.TAC))
	s.add("cell", fmt.Sprintf("%07x", cgi.CellID))
}

func (s *s1apFields) erabs(items []s1ap.ERABToBeSetupItem) {
	var l []string
	for _, e := range items {
		l = append(l, fmt.Sprintf("%d(qci %d)", e.ERABID, e.QoS.QCI))
		s.addNAS(e.NASPDU, int(e.ERABID))
	}
	if len(l) > 0 {
		s.add("erabs", strings.Join(l, ","))
	}
}

func (s *s1apFields) erabIDs(key string, items []s1ap.ERABSetupItem) {
	var l []string
	for _, e := range items {
		l = append(l, itoa(e.ERABID))
	}
	if len(l) > 0 {
		s.add(key, strings.Join(l, ","))
	}
}

func (s *s1apFields) erabFailed(key string, items []s1ap.ERABItem) {
	var l []string
	for _, e := range items {
		l = append(l, fmt.Sprintf("%d(%s)", e.ERABID, CauseString(e.Cause)))
	}
	if len(l) > 0 {
		s.add(key, strings.Join(l, ","))
	}
}

// nasTransport: TS 36.413 §9.1.7.
func (s *s1apFields) nasTransport(m s1ap.Message) bool {
	switch m := m.(type) {
	case *s1ap.InitialUEMessage:
		s.add("enb-ue", itoa(m.ENBUES1APID))
		s.location(m.TAI, m.EUTRANCGI)
		s.add("cause", rrcCause(m.RRCEstablishmentCause))
		if m.STMSI != nil {
			s.add("s-tmsi", fmt.Sprintf("%02x/%08x", m.STMSI.MMEC, m.STMSI.MTMSI))
		}
		if m.EDTSession {
			s.add("edt", "true")
		}
		s.addNAS(m.NASPDU, 0)
	case *s1ap.DownlinkNASTransport:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.addNAS(m.NASPDU, 0)
	case *s1ap.UplinkNASTransport:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.location(m.TAI, m.EUTRANCGI)
		s.addNAS(m.NASPDU, 0)
	case *s1ap.NASNonDeliveryIndication:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.add("cause", CauseString(m.Cause))
		s.addNAS(m.NASPDU, 0)
	case *s1ap.NASDeliveryIndication:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
	default:
		return false
	}
	return true
}

// context: UE context management, TS 36.413 §9.1.4, and UE capability
// info (§9.1.10).
func (s *s1apFields) context(m s1ap.Message) bool {
	switch m := m.(type) {
	case *s1ap.InitialContextSetupRequest:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.erabs(m.ERABs)
		s.add("ue-ambr", fmt.Sprintf("%d/%d", m.UEAggregateMaximumBitrate.DL, m.UEAggregateMaximumBitrate.UL))
		s.add("eea", fmt.Sprintf("%04x", m.UESecurityCapabilities.EncryptionAlgorithms))
		s.add("eia", fmt.Sprintf("%04x", m.UESecurityCapabilities.IntegrityProtectionAlgorithms))
	case *s1ap.InitialContextSetupResponse:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.erabIDs("erabs", m.ERABSetup)
		s.erabFailed("failed", m.ERABFailedToSetup)
	case *s1ap.InitialContextSetupFailure:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.add("cause", CauseString(m.Cause))
	case *s1ap.UEContextReleaseRequest:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.add("cause", CauseString(m.Cause))
	case *s1ap.UEContextReleaseCommand:
		s.add("mme-ue", itoa(m.UES1APIDs.MMEUES1APID))
		if m.UES1APIDs.ENBUES1APID != nil {
			s.add("enb-ue", itoa(*m.UES1APIDs.ENBUES1APID))
		}
		s.add("cause", CauseString(m.Cause))
	case *s1ap.UEContextReleaseComplete:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
	case *s1ap.ConnectionEstablishmentIndication:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
	case *s1ap.UECapabilityInfoIndication:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.add("radio-capability", fmt.Sprintf("%dB", len(m.UERadioCapability)))
	default:
		return false
	}
	return true
}

// erab: E-RAB management, TS 36.413 §9.1.3.
func (s *s1apFields) erab(m s1ap.Message) bool {
	switch m := m.(type) {
	case *s1ap.ERABSetupRequest:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.erabs(m.ERABs)
	case *s1ap.ERABSetupResponse:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.erabIDs("erabs", m.ERABSetup)
		s.erabFailed("failed", m.ERABFailedToSetup)
	case *s1ap.ERABModifyRequest:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		var l []string
		for _, e := range m.ERABs {
			l = append(l, fmt.Sprintf("%d(qci %d)", e.ERABID, e.QoS.QCI))
			s.addNAS(e.NASPDU, int(e.ERABID))
		}
		s.add("erabs", strings.Join(l, ","))
	case *s1ap.ERABModifyResponse:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.add("erabs", erabIDList(m.ERABModified))
		s.erabFailed("failed", m.ERABFailedToModify)
	case *s1ap.ERABReleaseCommand:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.erabFailed("erabs", m.ERABs)
		s.addNAS(m.NASPDU, 0)
	case *s1ap.ERABReleaseResponse:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.add("erabs", erabIDList(m.ERABReleased))
		s.erabFailed("failed", m.ERABFailedToRelease)
	default:
		return false
	}
	return true
}

func erabIDList(items []s1ap.ERABIDItem) string {
	var l []string
	for _, e := range items {
		l = append(l, itoa(e.ERABID))
	}
	return strings.Join(l, ",")
}

// paging: TS 36.413 §9.1.6.
func (s *s1apFields) paging(m s1ap.Message) bool {
	p, ok := m.(*s1ap.Paging)
	if !ok {
		return false
	}
	if p.UEPagingID.STMSI != nil {
		s.add("s-tmsi", fmt.Sprintf("%02x/%08x", p.UEPagingID.STMSI.MMEC, p.UEPagingID.STMSI.MTMSI))
	} else {
		// An IMSI that breaks gpp.DecodeTBCD's rule shows the digits
		// before the fault and "?".
		imsi, err := gpp.DecodeTBCD(p.UEPagingID.IMSI)
		if err != nil {
			imsi += "?"
		}
		s.add("imsi", imsi)
	}
	var t []string
	for _, tai := range p.TAIs {
		t = append(t, plmnTAC(tai.PLMN, tai.TAC))
	}
	s.add("tais", strings.Join(t, ","))
	if p.CNDomain == s1ap.CNDomainCS {
		s.add("cn-domain", "cs")
	}
	if p.NBIoTPagingEDRX != nil {
		s.add("nb-edrx", fmt.Sprintf("hf%d", nbEDRXHF(p.NBIoTPagingEDRX.Cycle)))
	}
	if p.PagingEDRX != nil {
		s.add("edrx-cycle", itoa(p.PagingEDRX.Cycle))
	}
	return true
}

// management: S1 Setup, Reset, Error Indication (TS 36.413 §9.1.8).
func (s *s1apFields) management(m s1ap.Message) bool {
	switch m := m.(type) {
	case *s1ap.S1SetupRequest:
		s.s1SetupRequest(m)
	case *s1ap.S1SetupResponse:
		if m.MMEName != nil {
			s.add("name", *m.MMEName)
		}
		s.add("capacity", itoa(m.RelativeMMECapacity))
	case *s1ap.S1SetupFailure:
		s.add("cause", CauseString(m.Cause))
	case *s1ap.Reset:
		s.add("cause", CauseString(m.Cause))
		if m.ResetType.All {
			s.add("reset", "all")
		} else {
			s.add("reset", fmt.Sprintf("%d connections", len(m.ResetType.Connections)))
		}
	case *s1ap.ResetAcknowledge:
	case *s1ap.ErrorIndication:
		if m.MMEUES1APID != nil {
			s.add("mme-ue", itoa(*m.MMEUES1APID))
		}
		if m.ENBUES1APID != nil {
			s.add("enb-ue", itoa(*m.ENBUES1APID))
		}
		if m.Cause != nil {
			s.add("cause", CauseString(*m.Cause))
		}
	default:
		return false
	}
	return true
}

func (s *s1apFields) s1SetupRequest(m *s1ap.S1SetupRequest) {
	s.add("enb-id", fmt.Sprintf("%s/%x", m.GlobalENBID.PLMN, m.GlobalENBID.ID))
	if m.ENBName != nil {
		s.add("name", *m.ENBName)
	}
	var t []string
	nb := false
	for _, ta := range m.SupportedTAs {
		t = append(t, fmt.Sprintf("%04x", ta.TAC))
		if ta.RATType != nil && *ta.RATType == s1ap.RATTypeNBIoT {
			nb = true
		}
	}
	s.add("tacs", strings.Join(t, ","))
	if nb {
		s.add("rat", "nbiot")
	}
}

// handover: TS 36.413 §9.1.5.
func (s *s1apFields) handover(m s1ap.Message) bool {
	switch m := m.(type) {
	case *s1ap.HandoverNotify:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.location(m.TAI, m.EUTRANCGI)
	case *s1ap.HandoverCancel:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
		s.add("cause", CauseString(m.Cause))
	case *s1ap.HandoverCancelAcknowledge:
		s.ids(m.MMEUES1APID, m.ENBUES1APID)
	default:
		return false
	}
	return true
}

// generic: a procedure s1ap does not model: the UE S1AP IDs and any
// NAS-PDU from the raw IEs.
func (s *s1apFields) generic(m s1ap.Message) bool {
	p, ok := m.(*s1ap.PDU)
	if !ok {
		return false
	}
	if ie := p.Find(s1ap.IDMMEUES1APID); ie != nil {
		if v, ok := perUint(ie.Value); ok {
			s.add("mme-ue", itoa(v))
		}
	}
	if ie := p.Find(s1ap.IDENBUES1APID); ie != nil {
		if v, ok := perUint(ie.Value); ok {
			s.add("enb-ue", itoa(v))
		}
	}
	if ie := p.Find(s1ap.IDNASPDU); ie != nil {
		if v, ok := perOctets(ie.Value); ok {
			s.addNAS(v, 0)
		}
	}
	s.add("ies", itoa(len(p.IEs)))
	return true
}

// missing lists the mandatory IEs the message lacks (by id).
func (s *s1apFields) missing(m s1ap.Message) {
	w, ok := m.(interface{ MissingIEs() []s1ap.ProtocolIEID })
	if !ok {
		return
	}
	if miss := w.MissingIEs(); len(miss) > 0 {
		var l []string
		for _, id := range miss {
			l = append(l, itoa(uint16(id)))
		}
		s.add("missing-ies", strings.Join(l, ","))
	}
}

// s1apNAS decodes the NAS-PDUs of the S1AP message b into r.NAS.
func s1apNAS(r *Record, pdus []nasPDU, b []byte) {
	dir := nas.Uplink
	if r.Dir == Downlink {
		dir = nas.Downlink
	} else if r.Dir == "" {
		dir = nas.DirectionUnknown
	}
	for _, p := range pdus {
		at := indexOf(b, p.b)
		base := -1
		if r.Offset >= 0 && at >= 0 {
			base = r.Offset + at
		}
		recs := decodeNAS(p.b, dir, where(r), base)
		if p.erab > 0 && len(recs) > 0 {
			recs[0].Fields = append(Fields{{"erab", itoa(p.erab)}}, recs[0].Fields...)
		}
		r.NAS = append(r.NAS, recs...)
	}
}

func indexOf(b, sub []byte) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	return -1
}

var nbEDRXCycles = []int{2, 4, 6, 8, 10, 12, 14, 16, 32, 64, 128, 256, 512, 1024}

func nbEDRXHF(c s1ap.NBIoTPagingEDRXCycle) int {
	if int(c) < len(nbEDRXCycles) {
		return nbEDRXCycles[c]
	}
	return -1
}

// perUint decodes an aligned-PER constrained whole number of up to 4 octets
// with its 2-bit length (the UE S1AP IDs), as s1ap's tolerant reader does.
func perUint(v []byte) (uint32, bool) {
	if len(v) < 2 {
		return 0, false
	}
	n := int(v[0]>>6) + 1
	if len(v) < 1+n {
		return 0, false
	}
	var x uint32
	for _, c := range v[1 : 1+n] {
		x = x<<8 | uint32(c)
	}
	return x, true
}

// perOctets decodes an aligned-PER unconstrained OCTET STRING.
func perOctets(v []byte) ([]byte, bool) {
	if len(v) < 1 {
		return nil, false
	}
	n, h := int(v[0]), 1
	if v[0]&0x80 != 0 {
		if v[0]&0xc0 != 0x80 || len(v) < 2 {
			return nil, false
		}
		n, h = int(v[0]&0x3f)<<8|int(v[1]), 2
	}
	if len(v) < h+n {
		return nil, false
	}
	return v[h : h+n], true
}
