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

// uplinkProcs are the initiating messages sent by the eNB only.
var uplinkProcs = map[s1ap.ProcedureCode]bool{0: true, 2: true, 3: true, 4: true, 8: true, 12: true, 13: true,
	16: true, 17: true, 18: true, 20: true, 22: true, 24: true, 28: true, 29: true, 32: true, 33: true, 37: true,
	40: true, 42: true, 45: true, 47: true, 49: true, 50: true, 51: true, 53: true, 55: true, 56: true, 57: true,
	60: true, 62: true, 64: true, 65: true}

// s1apDir guesses the direction of a message without transport addresses.
func s1apDir(m s1ap.Message) string {
	code, t := m.Procedure(), m.PDUType()
	switch code {
	case 14, 15, 39: // Reset, Error Indication, private: both ways
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

// decodeS1APMessage fills r from a parsed S1AP message.
func decodeS1APMessage(r *Record, m s1ap.Message, b []byte) {
	r.Proto = ProtoS1AP
	r.Message = MessageName(m.Procedure(), m.PDUType())
	f := &r.Fields
	ids := func(mme, enb uint32) {
		f.add("mme-ue", itoa(mme))
		f.add("enb-ue", itoa(enb))
	}
	type nasPDU struct {
		b    []byte
		erab int
	}
	var pdus []nasPDU
	addNAS := func(b []byte, erab int) {
		if b != nil {
			pdus = append(pdus, nasPDU{b, erab})
		}
	}
	erabs := func(items []s1ap.ERABToBeSetupItem) {
		var s []string
		for _, e := range items {
			s = append(s, fmt.Sprintf("%d(qci %d)", e.ERABID, e.QoS.QCI))
			addNAS(e.NASPDU, int(e.ERABID))
		}
		if len(s) > 0 {
			f.add("erabs", strings.Join(s, ","))
		}
	}
	erabIDs := func(key string, items []s1ap.ERABSetupItem) {
		var s []string
		for _, e := range items {
			s = append(s, itoa(e.ERABID))
		}
		if len(s) > 0 {
			f.add(key, strings.Join(s, ","))
		}
	}
	erabFailed := func(key string, items []s1ap.ERABItem) {
		var s []string
		for _, e := range items {
			s = append(s, fmt.Sprintf("%d(%s)", e.ERABID, CauseString(e.Cause)))
		}
		if len(s) > 0 {
			f.add(key, strings.Join(s, ","))
		}
	}
	switch m := m.(type) {
	case *s1ap.InitialUEMessage:
		f.add("enb-ue", itoa(m.ENBUES1APID))
		f.add("tai", plmnTAC(m.TAI.PLMN, m.TAI.TAC))
		f.add("cell", fmt.Sprintf("%07x", m.EUTRANCGI.CellID))
		f.add("cause", rrcCause(m.RRCEstablishmentCause))
		if m.STMSI != nil {
			f.add("s-tmsi", fmt.Sprintf("%02x/%08x", m.STMSI.MMEC, m.STMSI.MTMSI))
		}
		if m.EDTSession {
			f.add("edt", "true")
		}
		addNAS(m.NASPDU, 0)
	case *s1ap.DownlinkNASTransport:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		addNAS(m.NASPDU, 0)
	case *s1ap.UplinkNASTransport:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		f.add("tai", plmnTAC(m.TAI.PLMN, m.TAI.TAC))
		f.add("cell", fmt.Sprintf("%07x", m.EUTRANCGI.CellID))
		addNAS(m.NASPDU, 0)
	case *s1ap.NASNonDeliveryIndication:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		f.add("cause", CauseString(m.Cause))
		addNAS(m.NASPDU, 0)
	case *s1ap.NASDeliveryIndication:
		ids(m.MMEUES1APID, m.ENBUES1APID)
	case *s1ap.InitialContextSetupRequest:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		erabs(m.ERABs)
		f.add("ue-ambr", fmt.Sprintf("%d/%d", m.UEAggregateMaximumBitrate.DL, m.UEAggregateMaximumBitrate.UL))
		f.add("eea", fmt.Sprintf("%04x", m.UESecurityCapabilities.EncryptionAlgorithms))
		f.add("eia", fmt.Sprintf("%04x", m.UESecurityCapabilities.IntegrityProtectionAlgorithms))
	case *s1ap.InitialContextSetupResponse:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		erabIDs("erabs", m.ERABSetup)
		erabFailed("failed", m.ERABFailedToSetup)
	case *s1ap.InitialContextSetupFailure:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		f.add("cause", CauseString(m.Cause))
	case *s1ap.UEContextReleaseRequest:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		f.add("cause", CauseString(m.Cause))
	case *s1ap.UEContextReleaseCommand:
		f.add("mme-ue", itoa(m.UES1APIDs.MMEUES1APID))
		if m.UES1APIDs.ENBUES1APID != nil {
			f.add("enb-ue", itoa(*m.UES1APIDs.ENBUES1APID))
		}
		f.add("cause", CauseString(m.Cause))
	case *s1ap.UEContextReleaseComplete:
		ids(m.MMEUES1APID, m.ENBUES1APID)
	case *s1ap.ConnectionEstablishmentIndication:
		ids(m.MMEUES1APID, m.ENBUES1APID)
	case *s1ap.UECapabilityInfoIndication:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		f.add("radio-capability", fmt.Sprintf("%dB", len(m.UERadioCapability)))
	case *s1ap.ERABSetupRequest:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		erabs(m.ERABs)
	case *s1ap.ERABSetupResponse:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		erabIDs("erabs", m.ERABSetup)
		erabFailed("failed", m.ERABFailedToSetup)
	case *s1ap.ERABModifyRequest:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		var s []string
		for _, e := range m.ERABs {
			s = append(s, fmt.Sprintf("%d(qci %d)", e.ERABID, e.QoS.QCI))
			addNAS(e.NASPDU, int(e.ERABID))
		}
		f.add("erabs", strings.Join(s, ","))
	case *s1ap.ERABModifyResponse:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		var s []string
		for _, e := range m.ERABModified {
			s = append(s, itoa(e.ERABID))
		}
		f.add("erabs", strings.Join(s, ","))
		erabFailed("failed", m.ERABFailedToModify)
	case *s1ap.ERABReleaseCommand:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		erabFailed("erabs", m.ERABs)
		addNAS(m.NASPDU, 0)
	case *s1ap.ERABReleaseResponse:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		var s []string
		for _, e := range m.ERABReleased {
			s = append(s, itoa(e.ERABID))
		}
		f.add("erabs", strings.Join(s, ","))
		erabFailed("failed", m.ERABFailedToRelease)
	case *s1ap.Paging:
		if m.UEPagingID.STMSI != nil {
			f.add("s-tmsi", fmt.Sprintf("%02x/%08x", m.UEPagingID.STMSI.MMEC, m.UEPagingID.STMSI.MTMSI))
		} else {
			// An IMSI that breaks gpp.DecodeTBCD's rule shows the digits
			// before the fault and "?".
			imsi, err := gpp.DecodeTBCD(m.UEPagingID.IMSI)
			if err != nil {
				imsi += "?"
			}
			f.add("imsi", imsi)
		}
		var t []string
		for _, tai := range m.TAIs {
			t = append(t, plmnTAC(tai.PLMN, tai.TAC))
		}
		f.add("tais", strings.Join(t, ","))
		if m.CNDomain == s1ap.CNDomainCS {
			f.add("cn-domain", "cs")
		}
		if m.NBIoTPagingEDRX != nil {
			f.add("nb-edrx", fmt.Sprintf("hf%d", nbEDRXHF(m.NBIoTPagingEDRX.Cycle)))
		}
		if m.PagingEDRX != nil {
			f.add("edrx-cycle", itoa(m.PagingEDRX.Cycle))
		}
	case *s1ap.S1SetupRequest:
		f.add("enb-id", fmt.Sprintf("%s/%x", m.GlobalENBID.PLMN, m.GlobalENBID.ID))
		if m.ENBName != nil {
			f.add("name", *m.ENBName)
		}
		var t []string
		nb := false
		for _, ta := range m.SupportedTAs {
			t = append(t, fmt.Sprintf("%04x", ta.TAC))
			if ta.RATType != nil && *ta.RATType == s1ap.RATTypeNBIoT {
				nb = true
			}
		}
		f.add("tacs", strings.Join(t, ","))
		if nb {
			f.add("rat", "nbiot")
		}
	case *s1ap.S1SetupResponse:
		if m.MMEName != nil {
			f.add("name", *m.MMEName)
		}
		f.add("capacity", itoa(m.RelativeMMECapacity))
	case *s1ap.S1SetupFailure:
		f.add("cause", CauseString(m.Cause))
	case *s1ap.Reset:
		f.add("cause", CauseString(m.Cause))
		if m.ResetType.All {
			f.add("reset", "all")
		} else {
			f.add("reset", fmt.Sprintf("%d connections", len(m.ResetType.Connections)))
		}
	case *s1ap.ResetAcknowledge:
	case *s1ap.ErrorIndication:
		if m.MMEUES1APID != nil {
			f.add("mme-ue", itoa(*m.MMEUES1APID))
		}
		if m.ENBUES1APID != nil {
			f.add("enb-ue", itoa(*m.ENBUES1APID))
		}
		if m.Cause != nil {
			f.add("cause", CauseString(*m.Cause))
		}
	case *s1ap.HandoverNotify:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		f.add("tai", plmnTAC(m.TAI.PLMN, m.TAI.TAC))
		f.add("cell", fmt.Sprintf("%07x", m.EUTRANCGI.CellID))
	case *s1ap.HandoverCancel:
		ids(m.MMEUES1APID, m.ENBUES1APID)
		f.add("cause", CauseString(m.Cause))
	case *s1ap.HandoverCancelAcknowledge:
		ids(m.MMEUES1APID, m.ENBUES1APID)
	case *s1ap.PDU:
		// Not modelled: take the UE S1AP IDs and any NAS-PDU from the raw IEs.
		if ie := m.Find(s1ap.IDMMEUES1APID); ie != nil {
			if v, ok := perUint(ie.Value); ok {
				f.add("mme-ue", itoa(v))
			}
		}
		if ie := m.Find(s1ap.IDENBUES1APID); ie != nil {
			if v, ok := perUint(ie.Value); ok {
				f.add("enb-ue", itoa(v))
			}
		}
		if ie := m.Find(s1ap.IDNASPDU); ie != nil {
			if v, ok := perOctets(ie.Value); ok {
				addNAS(v, 0)
			}
		}
		f.add("ies", itoa(len(m.IEs)))
	}
	if w, ok := m.(interface{ MissingIEs() []s1ap.ProtocolIEID }); ok {
		if miss := w.MissingIEs(); len(miss) > 0 {
			var s []string
			for _, id := range miss {
				s = append(s, itoa(uint16(id)))
			}
			f.add("missing-ies", strings.Join(s, ","))
		}
	}
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
