package decode

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
)

// decodeNASOnly fills a NAS-EPS record (no S1AP around it).
func decodeNASOnly(r *Record, b []byte) {
	r.Proto = ProtoNAS
	dir := nas.DirectionUnknown
	switch r.Dir {
	case Uplink:
		dir = nas.Uplink
	case Downlink:
		dir = nas.Downlink
	}
	r.NAS = decodeNAS(b, dir, where(r), r.Offset)
	if len(r.NAS) > 0 {
		r.Message = r.NAS[0].Message
		if r.Dir == "" {
			r.Dir = r.NAS[0].dir
		}
		if e := r.NAS[0].Error; e != "" {
			r.Error = e
		}
	}
}

// decodeNAS decodes a NAS-PDU as carried, then the ESM message container in
// it. base is the PDU's offset in the frame (-1 if unknown).
func decodeNAS(b []byte, dir nas.Direction, where string, base int) []NASRecord {
	m, err := nas.ParseDirection(b, dir)
	top := NASRecord{Len: len(b), raw: b}
	if err != nil {
		top.Message = "?"
		if len(b) > 0 {
			top.Message = guessNASName(b)
		}
		off := 0
		var te *nas.TruncatedError
		if errors.As(err, &te) {
			off = te.Offset
		}
		at := where
		if base >= 0 {
			at += fmt.Sprintf(" at byte offset %d", base+off)
		}
		top.Error = fmt.Sprintf("%s: NAS-EPS (offset %d in the %d-byte NAS-PDU): %v", at, off, len(b), err)
		return []NASRecord{top}
	}
	inner := m
	if sp, ok := m.(*nas.SecurityProtected); ok {
		top.Security = sp.HeaderType.String()
		inner = sp.Message
		if inner == nil {
			top.Message = "Ciphered message"
			top.Fields.add("seq", itoa(sp.SequenceNumber))
			top.dir = dirName(dir)
			return []NASRecord{top}
		}
	}
	top.msg = inner
	top.Message = inner.MessageTypeName()
	top.Fields = nasFields(inner)
	if sp, ok := m.(*nas.SecurityProtected); ok {
		top.Fields = append(top.Fields, KV{"seq", itoa(sp.SequenceNumber)})
	}
	top.dir = dirName(dir)
	if top.dir == "" {
		top.dir = msgDir(inner)
	}
	out := []NASRecord{top}
	if c := esmContainer(inner); c != nil {
		cm, err := nas.ParseDirection(c, dir)
		rec := NASRecord{In: "ESM container", Len: len(c), dir: top.dir}
		if err != nil {
			rec.Message = "?"
			rec.Error = fmt.Sprintf("%s: ESM message container: %v", where, err)
		} else {
			rec.msg = cm
			rec.Message = cm.MessageTypeName()
			rec.Fields = nasFields(cm)
		}
		out = append(out, rec)
	}
	return out
}

// where names a record's place: "frame N", or "line N" for hex input.
func where(r *Record) string {
	if r.Via == "hex" {
		return fmt.Sprintf("line %d", r.Frame)
	}
	return fmt.Sprintf("frame %d", r.Frame)
}

func dirName(d nas.Direction) string {
	switch d {
	case nas.Uplink:
		return Uplink
	case nas.Downlink:
		return Downlink
	}
	return ""
}

func guessNASName(b []byte) string {
	if len(b) >= 2 {
		t := nas.MessageType(b[1])
		if b[0]&0x0f == 2 && len(b) >= 3 {
			t = nas.MessageType(b[2])
		}
		if t.Defined() {
			return t.String()
		}
	}
	return "?"
}

func esmContainer(m nas.Message) []byte {
	switch m := m.(type) {
	case *nas.AttachRequest:
		return m.ESMMessageContainer
	case *nas.AttachAccept:
		return m.ESMMessageContainer
	case *nas.AttachComplete:
		return m.ESMMessageContainer
	case *nas.AttachReject:
		return m.ESMMessageContainer
	case *nas.ControlPlaneServiceRequest:
		return m.ESMMessageContainer
	}
	return nil
}

// msgDir is the direction a NAS message travels in (for hex input).
func msgDir(m nas.Message) string {
	switch m.(type) {
	case *nas.AttachRequest, *nas.AttachComplete, *nas.AuthenticationResponse, *nas.AuthenticationFailure,
		*nas.SecurityModeComplete, *nas.SecurityModeReject, *nas.IdentityResponse, *nas.DetachRequest,
		*nas.TrackingAreaUpdateRequest, *nas.TrackingAreaUpdateComplete, *nas.ServiceRequest,
		*nas.ExtendedServiceRequest, *nas.ControlPlaneServiceRequest, *nas.UplinkNASTransport,
		*nas.GUTIReallocationComplete, *nas.PDNConnectivityRequest, *nas.PDNDisconnectRequest,
		*nas.ESMInformationResponse, *nas.ActivateDefaultEPSBearerContextAccept,
		*nas.ActivateDefaultEPSBearerContextReject, *nas.ActivateDedicatedEPSBearerContextAccept,
		*nas.ActivateDedicatedEPSBearerContextReject, *nas.DeactivateEPSBearerContextAccept,
		*nas.ModifyEPSBearerContextAccept, *nas.ModifyEPSBearerContextReject:
		return Uplink
	case *nas.AttachAccept, *nas.AttachReject, *nas.AuthenticationRequest, *nas.AuthenticationReject,
		*nas.SecurityModeCommand, *nas.IdentityRequest, *nas.NetworkDetachRequest,
		*nas.TrackingAreaUpdateAccept, *nas.TrackingAreaUpdateReject, *nas.ServiceAccept, *nas.ServiceReject,
		*nas.DownlinkNASTransport, *nas.EMMInformation, *nas.GUTIReallocationCommand,
		*nas.PDNConnectivityReject, *nas.PDNDisconnectReject, *nas.ESMInformationRequest,
		*nas.ActivateDefaultEPSBearerContextRequest, *nas.ActivateDedicatedEPSBearerContextRequest,
		*nas.DeactivateEPSBearerContextRequest, *nas.ModifyEPSBearerContextRequest:
		return Downlink
	}
	return ""
}

// dur formats a duration compactly: 10s, 54m, 1h30m, 24h, 320h.
func dur(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
		d -= m * time.Minute
	}
	if d > 0 {
		if d%time.Second == 0 {
			fmt.Fprintf(&b, "%ds", d/time.Second)
		} else {
			fmt.Fprintf(&b, "%gs", d.Seconds())
		}
	}
	return b.String()
}

func timerStr(d time.Duration, ok bool) string {
	if !ok {
		return "deactivated"
	}
	return dur(d)
}

// EDRXString renders extended DRX parameters as NB-S1 mode values (TS
// 24.008 table 10.5.5.32), with the raw codes.
func EDRXString(p nas.ExtendedDRXParameters) string {
	cyc, ptw, ok := epc.EDRXFromCodeNB(p.EDRXValue, p.PagingTimeWindow)
	if !ok {
		return fmt.Sprintf("code %d/ptw %d", p.EDRXValue, p.PagingTimeWindow)
	}
	return fmt.Sprintf("%s/ptw %s", dur(cyc), dur(ptw))
}

func identity(f *Fields, key string, id *nas.EPSMobileIdentity) {
	switch {
	case id.Raw != nil:
		f.add(key, fmt.Sprintf("type %d %x", id.Type, id.Raw))
	case id.Type == nas.EPSIdentityIMSI:
		f.add("imsi", id.Digits)
	case id.Type == nas.EPSIdentityIMEI:
		f.add("imei", id.Digits)
	case id.Type == nas.EPSIdentityGUTI:
		f.add("guti", id.GUTI.String())
	}
}

func mobileIdentity(f *Fields, id *nas.MobileIdentity) {
	switch id.Type {
	case nas.MobileIdentityIMSI:
		f.add("imsi", id.Digits)
	case nas.MobileIdentityIMEI:
		f.add("imei", id.Digits)
	case nas.MobileIdentityIMEISV:
		f.add("imeisv", id.Digits)
	case nas.MobileIdentityTMSI:
		f.add("tmsi", fmt.Sprintf("%08x", id.TMSI))
	default:
		f.add("identity", fmt.Sprintf("type %d", id.Type))
	}
}

func psm(f *Fields, t3324 *nas.GPRSTimer2, t3412ext *nas.GPRSTimer3, edrx *nas.ExtendedDRXParameters) {
	if t3324 != nil {
		f.add("t3324", timerStr(t3324.Duration()))
	}
	if t3412ext != nil {
		f.add("t3412ext", timerStr(t3412ext.Duration()))
	}
	if edrx != nil {
		f.add("edrx", EDRXString(*edrx))
	}
}

var attachTypes = map[nas.EPSAttachType]string{1: "eps", 2: "combined", 6: "emergency"}
var updateTypes = []string{"ta", "combined-ta-la", "combined-ta-la-imsi", "periodic"}

func esm(f *Fields, h nas.ESMHeader) {
	if h.EBI != 0 {
		f.add("ebi", itoa(h.EBI))
	}
	if h.PTI != 0 {
		f.add("pti", itoa(h.PTI))
	}
}

// nasFields are the key IEs of a NAS message.
func nasFields(m nas.Message) Fields {
	var f Fields
	switch m := m.(type) {
	case *nas.AttachRequest:
		if s, ok := attachTypes[m.AttachType&7]; ok {
			f.add("type", s)
		}
		identity(&f, "identity", &m.Identity)
		if m.UENetworkCapability.Has(nas.UECapCPCIoT) {
			f.add("cp-ciot", "true")
		}
		if m.AdditionalUpdateType != nil {
			if p := m.AdditionalUpdateType.PNBCIoT(); p != 0 {
				f.add("pnb-ciot", map[uint8]string{1: "cp", 2: "up"}[p])
			}
		}
		psm(&f, m.T3324, m.T3412Extended, m.ExtendedDRXParameters)
	case *nas.AttachAccept:
		f.add("result", map[nas.EPSAttachResult]string{1: "eps", 2: "combined"}[m.AttachResult&7])
		f.add("t3412", timerStr(m.T3412.Duration()))
		psm(&f, m.T3324, m.T3412Extended, m.ExtendedDRXParameters)
		if m.GUTI != nil {
			identity(&f, "guti", m.GUTI)
		}
		f.add("tais", m.TAIList.String())
		if m.EMMCause != nil {
			f.add("cause", m.EMMCause.String())
		}
		if m.T3402 != nil {
			f.add("t3402", timerStr(m.T3402.Duration()))
		}
	case *nas.AttachComplete:
	case *nas.AttachReject:
		f.add("cause", m.Cause.String())
		if m.T3346 != nil {
			f.add("t3346", timerStr(m.T3346.Duration()))
		}
	case *nas.AuthenticationRequest:
		f.add("ksi", itoa(m.KSI.Value()))
	case *nas.AuthenticationResponse:
	case *nas.AuthenticationFailure:
		f.add("cause", m.Cause.String())
	case *nas.AuthenticationReject:
	case *nas.SecurityModeCommand:
		f.add("algorithms", m.Algorithms.String())
		f.add("ksi", itoa(m.KSI.Value()))
	case *nas.SecurityModeComplete:
		if m.IMEISV != nil {
			mobileIdentity(&f, m.IMEISV)
		}
	case *nas.SecurityModeReject:
		f.add("cause", m.Cause.String())
	case *nas.IdentityRequest:
		f.add("type", map[nas.IdentityType2]string{1: "imsi", 2: "imei", 3: "imeisv", 4: "tmsi"}[m.IdentityType&7])
	case *nas.IdentityResponse:
		mobileIdentity(&f, &m.Identity)
	case *nas.DetachRequest:
		f.add("type", itoa(m.DetachType.Value()))
		if m.DetachType.SwitchOff() {
			f.add("switch-off", "true")
		}
		identity(&f, "identity", &m.Identity)
	case *nas.NetworkDetachRequest:
		f.add("type", map[uint8]string{1: "re-attach-required", 2: "re-attach-not-required", 3: "imsi-detach"}[m.DetachType.Value()])
		if m.EMMCause != nil {
			f.add("cause", m.EMMCause.String())
		}
	case *nas.DetachAccept:
	case *nas.TrackingAreaUpdateRequest:
		if v := int(m.UpdateType.Value()); v < len(updateTypes) {
			f.add("type", updateTypes[v])
		}
		if m.UpdateType.Active() {
			f.add("active", "true")
		}
		identity(&f, "old-guti", &m.OldGUTI)
		psm(&f, m.T3324, m.T3412Extended, m.ExtendedDRXParameters)
	case *nas.TrackingAreaUpdateAccept:
		f.add("result", itoa(uint8(m.UpdateResult)))
		if m.T3412 != nil {
			f.add("t3412", timerStr(m.T3412.Duration()))
		}
		psm(&f, m.T3324, m.T3412Extended, m.ExtendedDRXParameters)
		if m.GUTI != nil {
			identity(&f, "guti", m.GUTI)
		}
		if m.TAIList != nil {
			f.add("tais", m.TAIList.String())
		}
		if m.EMMCause != nil {
			f.add("cause", m.EMMCause.String())
		}
	case *nas.TrackingAreaUpdateReject:
		f.add("cause", m.Cause.String())
	case *nas.TrackingAreaUpdateComplete:
	case *nas.ServiceRequest:
		f.add("ksi", itoa(m.KSI))
		f.add("seq", itoa(m.SequenceNumber))
	case *nas.ExtendedServiceRequest:
		f.add("service-type", itoa(uint8(m.ServiceType)))
		mobileIdentity(&f, &m.MTMSI)
	case *nas.ControlPlaneServiceRequest:
		f.add("type", map[uint8]string{0: "mo", 1: "mt"}[m.ServiceType.Value()])
		if m.ServiceType.Active() {
			f.add("active", "true")
		}
	case *nas.ServiceAccept:
	case *nas.ServiceReject:
		f.add("cause", m.Cause.String())
		if m.T3346 != nil {
			f.add("t3346", timerStr(m.T3346.Duration()))
		}
	case *nas.EMMStatus:
		f.add("cause", m.Cause.String())
	case *nas.GUTIReallocationCommand:
		identity(&f, "guti", &m.GUTI)
	case *nas.DownlinkNASTransport:
		f.add("container", fmt.Sprintf("%dB", len(m.NASMessageContainer)))
	case *nas.UplinkNASTransport:
		f.add("container", fmt.Sprintf("%dB", len(m.NASMessageContainer)))
	case *nas.PDNConnectivityRequest:
		esm(&f, m.ESMHeader)
		f.add("pdn-type", m.PDNType.String())
		if m.APN != nil {
			f.add("apn", m.APN.String())
		}
	case *nas.PDNConnectivityReject:
		esm(&f, m.ESMHeader)
		f.add("cause", m.Cause.String())
	case *nas.PDNDisconnectRequest:
		esm(&f, m.ESMHeader)
		f.add("linked-ebi", itoa(m.LinkedEBI))
	case *nas.PDNDisconnectReject:
		esm(&f, m.ESMHeader)
		f.add("cause", m.Cause.String())
	case *nas.ActivateDefaultEPSBearerContextRequest:
		esm(&f, m.ESMHeader)
		f.add("apn", m.APN.String())
		if ip, ok := m.PDNAddress.IPv4(); ok {
			f.add("ip", ip.String())
		} else {
			f.add("pdn-type", m.PDNAddress.Type.String())
		}
		if len(m.QoS) > 0 {
			f.add("qci", itoa(m.QoS.QCI()))
		}
		if m.ControlPlaneOnlyIndication != nil {
			f.add("cp-only", "true")
		}
	case *nas.ActivateDefaultEPSBearerContextAccept:
		esm(&f, m.ESMHeader)
	case *nas.ActivateDefaultEPSBearerContextReject:
		esm(&f, m.ESMHeader)
		f.add("cause", m.Cause.String())
	case *nas.ActivateDedicatedEPSBearerContextRequest:
		esm(&f, m.ESMHeader)
		f.add("linked-ebi", itoa(m.LinkedEBI))
		if len(m.QoS) > 0 {
			f.add("qci", itoa(m.QoS.QCI()))
		}
	case *nas.ActivateDedicatedEPSBearerContextAccept:
		esm(&f, m.ESMHeader)
	case *nas.ActivateDedicatedEPSBearerContextReject:
		esm(&f, m.ESMHeader)
		f.add("cause", m.Cause.String())
	case *nas.ModifyEPSBearerContextRequest:
		esm(&f, m.ESMHeader)
		if len(m.NewEPSQoS) > 0 {
			f.add("qci", itoa(m.NewEPSQoS.QCI()))
		}
	case *nas.ModifyEPSBearerContextAccept:
		esm(&f, m.ESMHeader)
	case *nas.ModifyEPSBearerContextReject:
		esm(&f, m.ESMHeader)
		f.add("cause", m.Cause.String())
	case *nas.DeactivateEPSBearerContextRequest:
		esm(&f, m.ESMHeader)
		f.add("cause", m.Cause.String())
	case *nas.DeactivateEPSBearerContextAccept:
		esm(&f, m.ESMHeader)
	case *nas.ESMInformationRequest:
		esm(&f, m.ESMHeader)
	case *nas.ESMInformationResponse:
		esm(&f, m.ESMHeader)
		if m.APN != nil {
			f.add("apn", m.APN.String())
		}
	case *nas.ESMStatus:
		esm(&f, m.ESMHeader)
		f.add("cause", m.Cause.String())
	case *nas.ESMDataTransport:
		esm(&f, m.ESMHeader)
		f.add("data", fmt.Sprintf("%dB", len(m.UserData)))
		if m.ReleaseAssistanceIndication != nil {
			f.add("rai", map[uint8]string{0: "none", 1: "no-further-data", 2: "single-downlink"}[m.ReleaseAssistanceIndication.DDX()])
		}
	case *nas.RawMessage:
		f.add("body", fmt.Sprintf("%dB", len(m.Body)))
	}
	return f
}
