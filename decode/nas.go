package decode

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/gpp"
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

// esmContainer is the ESM message container of m, if it has one.
func esmContainer(m nas.Message) []byte {
	d, vals := nas.Describe(m)
	if d == nil {
		return nil
	}
	if i := d.Index("ESM message container"); i >= 0 {
		c, _ := vals[i].([]byte)
		return c
	}
	return nil
}

// msgDir is the direction a NAS message travels in (for hex input), as its
// descriptor gives it.
func msgDir(m nas.Message) string {
	if d, _ := nas.Describe(m); d != nil {
		return dirName(d.Dir)
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
	cyc, ptw, ok := gpp.EDRXFromCodeNB(p.EDRXValue, p.PagingTimeWindow)
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

// nasShown lists, per message type, the IEs a record's line shows, in the
// order shown, by their names in the epc/nas descriptors (TS 24.301 §8).
// DETACH REQUEST's list serves both its forms (UE and network).
var nasShown = map[nas.MessageType][]string{
	nas.TypeAttachRequest: {"EPS attach type", "EPS mobile identity", "UE network capability",
		"additional update type", "T3324 value", "T3412 extended value", "extended DRX parameters"},
	nas.TypeAttachAccept: {"EPS attach result", "T3412 value", "T3324 value", "T3412 extended value",
		"extended DRX parameters", "GUTI", "TAI list", "EMM cause", "T3402 value"},
	nas.TypeAttachReject:              {"EMM cause", "T3346 value"},
	nas.TypeAuthenticationRequest:     {"NAS key set identifier"},
	nas.TypeAuthenticationFailure:     {"EMM cause"},
	nas.TypeSecurityModeCommand:       {"selected NAS security algorithms", "NAS key set identifier"},
	nas.TypeSecurityModeComplete:      {"IMEISV"},
	nas.TypeSecurityModeReject:        {"EMM cause"},
	nas.TypeIdentityRequest:           {"identity type"},
	nas.TypeIdentityResponse:          {"mobile identity"},
	nas.TypeDetachRequest:             {"detach type", "EPS mobile identity", "EMM cause"},
	nas.TypeTrackingAreaUpdateRequest: {"EPS update type", "old GUTI", "T3324 value", "T3412 extended value", "extended DRX parameters"},
	nas.TypeTrackingAreaUpdateAccept: {"EPS update result", "T3412 value", "T3324 value", "T3412 extended value",
		"extended DRX parameters", "GUTI", "TAI list", "EMM cause"},
	nas.TypeTrackingAreaUpdateReject:                 {"EMM cause"},
	nas.TypeExtendedServiceRequest:                   {"service type", "M-TMSI"},
	nas.TypeControlPlaneServiceRequest:               {"control plane service type"},
	nas.TypeServiceReject:                            {"EMM cause", "T3346 value"},
	nas.TypeEMMStatus:                                {"EMM cause"},
	nas.TypeGUTIReallocationCommand:                  {"GUTI"},
	nas.TypeDownlinkNASTransport:                     {"NAS message container"},
	nas.TypeUplinkNASTransport:                       {"NAS message container"},
	nas.TypePDNConnectivityRequest:                   {"PDN type", "access point name"},
	nas.TypePDNConnectivityReject:                    {"ESM cause"},
	nas.TypePDNDisconnectRequest:                     {"linked EPS bearer identity"},
	nas.TypePDNDisconnectReject:                      {"ESM cause"},
	nas.TypeActivateDefaultEPSBearerContextRequest:   {"access point name", "PDN address", "EPS QoS", "control plane only indication"},
	nas.TypeActivateDefaultEPSBearerContextReject:    {"ESM cause"},
	nas.TypeActivateDedicatedEPSBearerContextRequest: {"linked EPS bearer identity", "EPS QoS"},
	nas.TypeActivateDedicatedEPSBearerContextReject:  {"ESM cause"},
	nas.TypeModifyEPSBearerContextRequest:            {"new EPS QoS"},
	nas.TypeModifyEPSBearerContextReject:             {"ESM cause"},
	nas.TypeDeactivateEPSBearerContextRequest:        {"ESM cause"},
	nas.TypeESMInformationResponse:                   {"access point name"},
	nas.TypeESMStatus:                                {"ESM cause"},
	nas.TypeESMDataTransport:                         {"user data container", "release assistance indication"},
}

// ieShow adds the fields that show the value v of one IE of a message
// described by d.
type ieShow func(f *Fields, v any, d *nas.MessageDesc)

// nasShow is how each IE that nasShown names is shown, by IE name.
var nasShow = map[string]ieShow{
	"EPS attach type": func(f *Fields, v any, _ *nas.MessageDesc) {
		if s, ok := attachTypes[v.(nas.EPSAttachType)&7]; ok {
			f.add("type", s)
		}
	},
	"EPS mobile identity": showIdentity("identity"),
	"GUTI":                showIdentity("guti"),
	"old GUTI":            showIdentity("old-guti"),
	"mobile identity":     showMobileIdentity,
	"IMEISV":              showMobileIdentity,
	"M-TMSI":              showMobileIdentity,
	"UE network capability": func(f *Fields, v any, _ *nas.MessageDesc) {
		if v.(nas.UENetworkCapability).Has(nas.UECapCPCIoT) {
			f.add("cp-ciot", "true")
		}
	},
	"additional update type": func(f *Fields, v any, _ *nas.MessageDesc) {
		if p := v.(nas.AdditionalUpdateType).PNBCIoT(); p != 0 {
			f.add("pnb-ciot", map[uint8]string{1: "cp", 2: "up"}[p])
		}
	},
	"T3324 value":          showTimer("t3324"),
	"T3412 extended value": showTimer("t3412ext"),
	"T3412 value":          showTimer("t3412"),
	"T3402 value":          showTimer("t3402"),
	"T3346 value":          showTimer("t3346"),
	"extended DRX parameters": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("edrx", EDRXString(v.(nas.ExtendedDRXParameters)))
	},
	"EPS attach result": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("result", map[nas.EPSAttachResult]string{1: "eps", 2: "combined"}[v.(nas.EPSAttachResult)&7])
	},
	"EPS update result": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("result", itoa(uint8(v.(nas.EPSUpdateResult))))
	},
	"TAI list": func(f *Fields, v any, _ *nas.MessageDesc) { f.add("tais", v.(nas.TAIList).String()) },
	"EMM cause": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("cause", v.(nas.EMMCause).String())
	},
	"ESM cause": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("cause", v.(nas.ESMCause).String())
	},
	"NAS key set identifier": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("ksi", itoa(v.(nas.NASKeySetIdentifier).Value()))
	},
	"selected NAS security algorithms": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("algorithms", v.(nas.SecurityAlgorithms).String())
	},
	"identity type": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("type", map[nas.IdentityType2]string{1: "imsi", 2: "imei", 3: "imeisv", 4: "tmsi"}[v.(nas.IdentityType2)&7])
	},
	"detach type":     showDetachType,
	"EPS update type": showUpdateType,
	"service type": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("service-type", itoa(uint8(v.(nas.ServiceType))))
	},
	"control plane service type": func(f *Fields, v any, _ *nas.MessageDesc) {
		t := v.(nas.ControlPlaneServiceType)
		f.add("type", map[uint8]string{0: "mo", 1: "mt"}[t.Value()])
		if t.Active() {
			f.add("active", "true")
		}
	},
	"NAS message container": showLen("container"),
	"user data container":   showLen("data"),
	"PDN type": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("pdn-type", v.(nas.PDNType).String())
	},
	"access point name": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("apn", v.(nas.AccessPointName).String())
	},
	"linked EPS bearer identity": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("linked-ebi", itoa(v.(uint8)))
	},
	"PDN address": func(f *Fields, v any, _ *nas.MessageDesc) {
		a := v.(nas.PDNAddress)
		if ip, ok := a.IPv4(); ok {
			f.add("ip", ip.String())
		} else {
			f.add("pdn-type", a.Type.String())
		}
	},
	"EPS QoS":     showQCI,
	"new EPS QoS": showQCI,
	"control plane only indication": func(f *Fields, _ any, _ *nas.MessageDesc) {
		f.add("cp-only", "true")
	},
	"release assistance indication": func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add("rai", map[uint8]string{0: "none", 1: "no-further-data", 2: "single-downlink"}[v.(nas.ReleaseAssistanceIndication).DDX()])
	},
}

func showIdentity(key string) ieShow {
	return func(f *Fields, v any, _ *nas.MessageDesc) {
		id := v.(nas.EPSMobileIdentity)
		identity(f, key, &id)
	}
}

func showMobileIdentity(f *Fields, v any, _ *nas.MessageDesc) {
	id := v.(nas.MobileIdentity)
	mobileIdentity(f, &id)
}

func showTimer(key string) ieShow {
	return func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add(key, timerStr(v.(interface{ Duration() (time.Duration, bool) }).Duration()))
	}
}

func showLen(key string) ieShow {
	return func(f *Fields, v any, _ *nas.MessageDesc) {
		f.add(key, fmt.Sprintf("%dB", len(v.([]byte))))
	}
}

func showQCI(f *Fields, v any, _ *nas.MessageDesc) {
	if q := v.(nas.EPSQoS); len(q) > 0 {
		f.add("qci", itoa(q.QCI()))
	}
}

// showDetachType shows the UE form's detach type as its value and
// switch-off bit, the network form's by name (TS 24.301 §9.9.3.7).
func showDetachType(f *Fields, v any, d *nas.MessageDesc) {
	t := v.(nas.DetachType)
	if d.Dir == nas.Downlink {
		f.add("type", map[uint8]string{1: "re-attach-required", 2: "re-attach-not-required", 3: "imsi-detach"}[t.Value()])
		return
	}
	f.add("type", itoa(t.Value()))
	if t.SwitchOff() {
		f.add("switch-off", "true")
	}
}

func showUpdateType(f *Fields, v any, _ *nas.MessageDesc) {
	t := v.(nas.EPSUpdateType)
	if v := int(t.Value()); v < len(updateTypes) {
		f.add("type", updateTypes[v])
	}
	if t.Active() {
		f.add("active", "true")
	}
}

// nasFields are the key IEs of a NAS message: for a message with a
// descriptor, its ESM header and the IEs nasShown lists that are present.
func nasFields(m nas.Message) Fields {
	var f Fields
	switch m := m.(type) {
	case *nas.ServiceRequest:
		f.add("ksi", itoa(m.KSI))
		f.add("seq", itoa(m.SequenceNumber))
		return f
	case *nas.RawMessage:
		f.add("body", fmt.Sprintf("%dB", len(m.Body)))
		return f
	}
	d, vals := nas.Describe(m)
	if d == nil {
		return f
	}
	if h, ok := nas.ESMHeaderOf(m); ok && d.Type.PD() == nas.PDESM {
		esm(&f, h)
	}
	for _, name := range nasShown[d.Type] {
		if i := d.Index(name); i >= 0 && vals[i] != nil {
			nasShow[name](&f, vals[i], d)
		}
	}
	return f
}
