package nas

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// gen draws random valid field values. Mandatory fields are drawn first,
// and optional IEs only when full is set, so that the encoding of a
// message drawn with full=false is a prefix of the one drawn from the same
// seed with full=true.
type gen struct {
	r    *rand.Rand
	full bool
}

func (g *gen) n(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) u8() uint8        { return uint8(g.r.UintN(256)) }
func (g *gen) u16() uint16      { return uint16(g.r.UintN(1 << 16)) }
func (g *gen) half() uint8      { return uint8(g.r.UintN(16)) }
func (g *gen) opt() bool        { return g.full && g.r.IntN(2) == 0 }

func (g *gen) bytes(lo, hi int) []byte {
	b := make([]byte, g.n(lo, hi))
	for i := range b {
		b[i] = g.u8()
	}
	return b
}

func (g *gen) optBytes(lo, hi int) []byte {
	if !g.opt() {
		return nil
	}
	return g.bytes(lo, hi)
}

func optHalf[T ~uint8](g *gen) *T {
	if !g.opt() {
		return nil
	}
	v := T(g.half())
	return &v
}

func optVal[T any](g *gen, f func() T) *T {
	if !g.opt() {
		return nil
	}
	v := f()
	return &v
}

func (g *gen) digits(lo, hi int) string {
	b := make([]byte, g.n(lo, hi))
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

func (g *gen) plmn() PLMN { return PLMN{g.u8(), g.u8(), g.u8()} }

func (g *gen) guti() GUTI {
	return GUTI{PLMN: g.plmn(), MMEGroupID: g.u16(), MMECode: g.u8(), MTMSI: g.r.Uint32()}
}

func (g *gen) epsIdentity() EPSMobileIdentity {
	switch g.r.IntN(3) {
	case 0:
		return NewIMSI(g.digits(1, 15))
	case 1:
		return EPSMobileIdentity{Type: EPSIdentityIMEI, Digits: g.digits(15, 15)}
	}
	return NewGUTI(g.guti())
}

func (g *gen) mobileIdentity() MobileIdentity {
	switch g.r.IntN(4) {
	case 0:
		return MobileIdentity{Type: MobileIdentityIMSI, Digits: g.digits(1, 15)}
	case 1:
		return MobileIdentity{Type: MobileIdentityIMEI, Digits: g.digits(15, 15)}
	case 2:
		return MobileIdentity{Type: MobileIdentityIMEISV, Digits: g.digits(16, 16)}
	}
	return MobileIdentity{Type: MobileIdentityTMSI, TMSI: g.r.Uint32()}
}

func (g *gen) tai() TAI { return TAI{PLMN: g.plmn(), TAC: g.u16()} }
func (g *gen) lai() LAI { return LAI{PLMN: g.plmn(), LAC: g.u16()} }

func (g *gen) taiList() TAIList {
	var l TAIList
	for range g.n(1, 3) {
		p := PartialTAIList{Type: TAIListType(g.r.IntN(3))}
		n := g.n(1, 5)
		switch p.Type {
		case TAIListMultiplePLMNs:
			for range n {
				p.TAIs = append(p.TAIs, g.tai())
			}
		case TAIListOnePLMNConsecutive:
			p.PLMN = g.plmn()
			first := g.u16()
			for i := range n {
				p.TACs = append(p.TACs, first+uint16(i))
			}
		default:
			p.PLMN = g.plmn()
			for range n {
				p.TACs = append(p.TACs, g.u16())
			}
		}
		l = append(l, p)
	}
	return l
}

func (g *gen) drx() DRXParameter {
	return DRXParameter{SplitPGCycleCode: g.u8(), CNCoefficient: g.half(), SplitOnCCCH: g.r.IntN(2) == 0, NonDRXTimer: uint8(g.r.IntN(8))}
}

func (g *gen) edrx() ExtendedDRXParameters {
	return ExtendedDRXParameters{PagingTimeWindow: g.half(), EDRXValue: g.half()}
}

func (g *gen) pdnAddress() PDNAddress {
	switch t := []PDNType{1, 2, 3, 5}[g.r.IntN(4)]; t {
	case PDNTypeIPv4, PDNTypeNonIP:
		return PDNAddress{Type: t, Address: g.bytes(4, 4)}
	case PDNTypeIPv6:
		return PDNAddress{Type: t, Address: g.bytes(8, 8)}
	default:
		return PDNAddress{Type: t, Address: g.bytes(12, 12)}
	}
}

func (g *gen) esm() ESMHeader { return ESMHeader{EBI: g.half(), PTI: g.u8()} }

// extra draws IEs no message here knows: 0x0B (TLV) and 0x7F (TLV-E).
func (g *gen) extra() []RawIE {
	if !g.opt() {
		return nil
	}
	var x []RawIE
	for range g.n(1, 3) {
		if g.r.IntN(2) == 0 {
			x = append(x, RawIE{Type: 0x0b, Value: g.bytes(0, 5)})
		} else {
			x = append(x, RawIE{Type: 0x7f, Value: g.bytes(0, 300)})
		}
	}
	return x
}

func (g *gen) pco() pcoOptions {
	return pcoOptions{PCO: g.optBytes(0, 20), EPCO: g.optBytes(0, 300), Extra: g.extra()}
}

func (g *gen) pcoNBIFOM() pcoOptions {
	return pcoOptions{PCO: g.optBytes(0, 20), NBIFOMContainer: g.optBytes(0, 5), EPCO: g.optBytes(0, 300), Extra: g.extra()}
}

func t2(g *gen) func() GPRSTimer2 { return func() GPRSTimer2 { return GPRSTimer2(g.u8()) } }
func t3(g *gen) func() GPRSTimer3 { return func() GPRSTimer3 { return GPRSTimer3(g.u8()) } }
func t1(g *gen) func() GPRSTimer  { return func() GPRSTimer { return GPRSTimer(g.u8()) } }

// generators of random valid instances, one per message type.
var generators = map[string]func(g *gen) Message{
	"AttachRequest": func(g *gen) Message {
		m := &AttachRequest{AttachType: EPSAttachType(g.half()), KSI: NASKeySetIdentifier(g.half()),
			Identity: g.epsIdentity(), UENetworkCapability: g.bytes(2, 13), ESMMessageContainer: g.bytes(0, 300)}
		m.OldPTMSISignature = g.optBytes(3, 3)
		m.AdditionalGUTI = optVal(g, g.epsIdentity)
		m.LastVisitedTAI = optVal(g, g.tai)
		m.DRXParameter = optVal(g, g.drx)
		m.MSNetworkCapability = g.optBytes(0, 8)
		m.OldLAI = optVal(g, g.lai)
		m.TMSIStatus = optHalf[uint8](g)
		m.MSClassmark2 = g.optBytes(3, 3)
		m.MSClassmark3 = g.optBytes(0, 32)
		m.SupportedCodecs = g.optBytes(0, 10)
		m.AdditionalUpdateType = optHalf[AdditionalUpdateType](g)
		m.VoiceDomainPreference = g.optBytes(1, 1)
		m.DeviceProperties = optHalf[uint8](g)
		m.OldGUTIType = optHalf[uint8](g)
		m.MSNetworkFeatureSupport = optHalf[uint8](g)
		m.TMSIBasedNRIContainer = g.optBytes(2, 2)
		m.T3324 = optVal(g, t2(g))
		m.T3412Extended = optVal(g, t3(g))
		m.ExtendedDRXParameters = optVal(g, g.edrx)
		m.UEAdditionalSecurityCapability = g.optBytes(4, 4)
		m.UEStatus = g.optBytes(1, 1)
		m.AdditionalInformationRequested = g.optBytes(1, 1)
		m.N1UENetworkCapability = g.optBytes(1, 13)
		m.Extra = g.extra()
		return m
	},
	"AttachAccept": func(g *gen) Message {
		m := &AttachAccept{AttachResult: EPSAttachResult(g.half()), T3412: GPRSTimer(g.u8()), TAIList: g.taiList(), ESMMessageContainer: g.bytes(0, 300)}
		m.GUTI = optVal(g, g.epsIdentity)
		m.LAI = optVal(g, g.lai)
		m.MSIdentity = optVal(g, g.mobileIdentity)
		m.EMMCause = optVal(g, func() EMMCause { return EMMCause(g.u8()) })
		m.T3402 = optVal(g, t1(g))
		m.T3423 = optVal(g, t1(g))
		m.EquivalentPLMNs = g.optBytes(3, 45)
		m.EmergencyNumberList = g.optBytes(3, 48)
		m.EPSNetworkFeatureSupport = g.optBytes(1, 2)
		m.AdditionalUpdateResult = optHalf[AdditionalUpdateResult](g)
		m.T3412Extended = optVal(g, t3(g))
		m.T3324 = optVal(g, t2(g))
		m.ExtendedDRXParameters = optVal(g, g.edrx)
		m.DCNID = g.optBytes(2, 2)
		m.SMSServicesStatus = optHalf[uint8](g)
		m.NonNWProvidedPolicies = optHalf[uint8](g)
		m.T3448 = optVal(g, t2(g))
		m.NetworkPolicy = optHalf[uint8](g)
		m.T3447 = optVal(g, t3(g))
		m.ExtendedEmergencyNumberList = g.optBytes(1, 300)
		m.CipheringKeyData = g.optBytes(1, 300)
		m.Extra = g.extra()
		return m
	},
	"AttachComplete": func(g *gen) Message {
		return &AttachComplete{ESMMessageContainer: g.bytes(0, 300), Extra: g.extra()}
	},
	"AttachReject": func(g *gen) Message {
		return &AttachReject{Cause: EMMCause(g.u8()), ESMMessageContainer: g.optBytes(0, 300), T3346: optVal(g, t2(g)),
			T3402: optVal(g, t2(g)), ExtendedEMMCause: optHalf[uint8](g), Extra: g.extra()}
	},
	"DetachRequest": func(g *gen) Message {
		return &DetachRequest{DetachType: DetachType(g.half()), KSI: NASKeySetIdentifier(g.half()), Identity: g.epsIdentity(), Extra: g.extra()}
	},
	"NetworkDetachRequest": func(g *gen) Message {
		return &NetworkDetachRequest{DetachType: DetachType(g.half()),
			EMMCause: optVal(g, func() EMMCause { return EMMCause(g.u8()) }), Extra: g.extra()}
	},
	"DetachAccept": func(g *gen) Message { return &DetachAccept{Extra: g.extra()} },
	"TrackingAreaUpdateRequest": func(g *gen) Message {
		m := &TrackingAreaUpdateRequest{UpdateType: EPSUpdateType(g.half()), KSI: NASKeySetIdentifier(g.half()), OldGUTI: g.epsIdentity()}
		m.NonCurrentNativeKSI = optHalf[NASKeySetIdentifier](g)
		m.GPRSCipheringKeySequenceNumber = optHalf[uint8](g)
		m.OldPTMSISignature = g.optBytes(3, 3)
		m.AdditionalGUTI = optVal(g, g.epsIdentity)
		m.NonceUE = g.optBytes(4, 4)
		m.UENetworkCapability = g.optBytes(2, 13)
		m.LastVisitedTAI = optVal(g, g.tai)
		m.DRXParameter = optVal(g, g.drx)
		m.UERadioCapabilityUpdateNeeded = optHalf[uint8](g)
		m.EPSBearerContextStatus = optVal(g, func() EPSBearerContextStatus { return EPSBearerContextStatus(g.u16()) })
		m.MSNetworkCapability = g.optBytes(0, 8)
		m.OldLAI = optVal(g, g.lai)
		m.TMSIStatus = optHalf[uint8](g)
		m.MSClassmark2 = g.optBytes(3, 3)
		m.MSClassmark3 = g.optBytes(0, 32)
		m.SupportedCodecs = g.optBytes(0, 10)
		m.AdditionalUpdateType = optHalf[AdditionalUpdateType](g)
		m.VoiceDomainPreference = g.optBytes(1, 1)
		m.OldGUTIType = optHalf[uint8](g)
		m.DeviceProperties = optHalf[uint8](g)
		m.MSNetworkFeatureSupport = optHalf[uint8](g)
		m.TMSIBasedNRIContainer = g.optBytes(2, 2)
		m.T3324 = optVal(g, t2(g))
		m.T3412Extended = optVal(g, t3(g))
		m.ExtendedDRXParameters = optVal(g, g.edrx)
		m.UEAdditionalSecurityCapability = g.optBytes(4, 4)
		m.UEStatus = g.optBytes(1, 1)
		m.AdditionalInformationRequested = g.optBytes(1, 1)
		m.N1UENetworkCapability = g.optBytes(1, 13)
		m.Extra = g.extra()
		return m
	},
	"TrackingAreaUpdateAccept": func(g *gen) Message {
		m := &TrackingAreaUpdateAccept{UpdateResult: EPSUpdateResult(g.half())}
		m.T3412 = optVal(g, t1(g))
		m.GUTI = optVal(g, g.epsIdentity)
		m.TAIList = optVal(g, g.taiList)
		m.EPSBearerContextStatus = optVal(g, func() EPSBearerContextStatus { return EPSBearerContextStatus(g.u16()) })
		m.LAI = optVal(g, g.lai)
		m.MSIdentity = optVal(g, g.mobileIdentity)
		m.EMMCause = optVal(g, func() EMMCause { return EMMCause(g.u8()) })
		m.T3402 = optVal(g, t1(g))
		m.T3423 = optVal(g, t1(g))
		m.EquivalentPLMNs = g.optBytes(3, 45)
		m.EmergencyNumberList = g.optBytes(3, 48)
		m.EPSNetworkFeatureSupport = g.optBytes(1, 2)
		m.AdditionalUpdateResult = optHalf[AdditionalUpdateResult](g)
		m.T3412Extended = optVal(g, t3(g))
		m.T3324 = optVal(g, t2(g))
		m.ExtendedDRXParameters = optVal(g, g.edrx)
		m.HeaderCompressionStatus = g.optBytes(2, 2)
		m.DCNID = g.optBytes(2, 2)
		m.SMSServicesStatus = optHalf[uint8](g)
		m.NonNWPolicies = optHalf[uint8](g)
		m.T3448 = optVal(g, t2(g))
		m.NetworkPolicy = optHalf[uint8](g)
		m.T3447 = optVal(g, t3(g))
		m.ExtendedEmergencyNumberList = g.optBytes(1, 300)
		m.CipheringKeyData = g.optBytes(1, 300)
		m.Extra = g.extra()
		return m
	},
	"TrackingAreaUpdateComplete": func(g *gen) Message { return &TrackingAreaUpdateComplete{Extra: g.extra()} },
	"TrackingAreaUpdateReject": func(g *gen) Message {
		return &TrackingAreaUpdateReject{Cause: EMMCause(g.u8()), T3346: optVal(g, t2(g)), ExtendedEMMCause: optHalf[uint8](g), Extra: g.extra()}
	},
	"ServiceRequest": func(g *gen) Message {
		return &ServiceRequest{HeaderType: SecurityHeaderType(g.n(12, 15)), KSI: uint8(g.r.IntN(8)), SequenceNumber: uint8(g.r.IntN(32)), ShortMAC: g.u16()}
	},
	"ExtendedServiceRequest": func(g *gen) Message {
		return &ExtendedServiceRequest{ServiceType: ServiceType(g.half()), KSI: NASKeySetIdentifier(g.half()),
			MTMSI: MobileIdentity{Type: MobileIdentityTMSI, TMSI: g.r.Uint32()}, CSFBResponse: optHalf[uint8](g),
			EPSBearerContextStatus: optVal(g, func() EPSBearerContextStatus { return EPSBearerContextStatus(g.u16()) }),
			DeviceProperties:       optHalf[uint8](g), Extra: g.extra()}
	},
	"ControlPlaneServiceRequest": func(g *gen) Message {
		return &ControlPlaneServiceRequest{ServiceType: ControlPlaneServiceType(g.half()), KSI: NASKeySetIdentifier(g.half()),
			ESMMessageContainer: g.optBytes(0, 1500), NASMessageContainer: g.optBytes(2, 251),
			EPSBearerContextStatus: optVal(g, func() EPSBearerContextStatus { return EPSBearerContextStatus(g.u16()) }),
			DeviceProperties:       optHalf[uint8](g), Extra: g.extra()}
	},
	"ServiceReject": func(g *gen) Message {
		return &ServiceReject{Cause: EMMCause(g.u8()), T3442: optVal(g, t1(g)), T3346: optVal(g, t2(g)), T3448: optVal(g, t2(g)), Extra: g.extra()}
	},
	"ServiceAccept": func(g *gen) Message {
		return &ServiceAccept{EPSBearerContextStatus: optVal(g, func() EPSBearerContextStatus { return EPSBearerContextStatus(g.u16()) }),
			T3448: optVal(g, t2(g)), Extra: g.extra()}
	},
	"GUTIReallocationCommand": func(g *gen) Message {
		return &GUTIReallocationCommand{GUTI: g.epsIdentity(), TAIList: optVal(g, g.taiList), DCNID: g.optBytes(2, 2), Extra: g.extra()}
	},
	"GUTIReallocationComplete": func(g *gen) Message { return &GUTIReallocationComplete{Extra: g.extra()} },
	"AuthenticationRequest": func(g *gen) Message {
		return &AuthenticationRequest{KSI: NASKeySetIdentifier(g.half()), RAND: [16]byte(g.bytes(16, 16)), AUTN: g.bytes(16, 16), Extra: g.extra()}
	},
	"AuthenticationResponse": func(g *gen) Message {
		return &AuthenticationResponse{RES: g.bytes(4, 16), Extra: g.extra()}
	},
	"AuthenticationReject": func(g *gen) Message { return &AuthenticationReject{Extra: g.extra()} },
	"AuthenticationFailure": func(g *gen) Message {
		return &AuthenticationFailure{Cause: EMMCause(g.u8()), AUTS: g.optBytes(14, 14), Extra: g.extra()}
	},
	"IdentityRequest": func(g *gen) Message {
		return &IdentityRequest{IdentityType: IdentityType2(g.half()), Extra: g.extra()}
	},
	"IdentityResponse": func(g *gen) Message {
		return &IdentityResponse{Identity: g.mobileIdentity(), Extra: g.extra()}
	},
	"SecurityModeCommand": func(g *gen) Message {
		return &SecurityModeCommand{Algorithms: SecurityAlgorithms(g.u8()), KSI: NASKeySetIdentifier(g.half()),
			ReplayedUESecurityCapability: g.bytes(2, 5), IMEISVRequest: optHalf[uint8](g), ReplayedNonceUE: g.optBytes(4, 4),
			NonceMME: g.optBytes(4, 4), HashMME: g.optBytes(8, 8), ReplayedUEAdditionalSecurityCapability: g.optBytes(4, 4),
			UERadioCapabilityIDRequest: optHalf[uint8](g), Extra: g.extra()}
	},
	"SecurityModeComplete": func(g *gen) Message {
		return &SecurityModeComplete{IMEISV: optVal(g, g.mobileIdentity), ReplayedNASMessageContainer: g.optBytes(0, 300),
			UERadioCapabilityID: g.optBytes(1, 20), Extra: g.extra()}
	},
	"SecurityModeReject": func(g *gen) Message { return &SecurityModeReject{Cause: EMMCause(g.u8()), Extra: g.extra()} },
	"EMMStatus":          func(g *gen) Message { return &EMMStatus{Cause: EMMCause(g.u8()), Extra: g.extra()} },
	"EMMInformation": func(g *gen) Message {
		return &EMMInformation{FullNetworkName: g.optBytes(1, 30), ShortNetworkName: g.optBytes(1, 30), LocalTimeZone: g.optBytes(1, 1),
			UniversalTimeAndLocalTimeZone: g.optBytes(7, 7), NetworkDaylightSavingTime: g.optBytes(1, 1), Extra: g.extra()}
	},
	"DownlinkNASTransport": func(g *gen) Message {
		return &DownlinkNASTransport{NASMessageContainer: g.bytes(2, 251), Extra: g.extra()}
	},
	"UplinkNASTransport": func(g *gen) Message {
		return &UplinkNASTransport{NASMessageContainer: g.bytes(2, 251), Extra: g.extra()}
	},
	"ActivateDefaultEPSBearerContextRequest": func(g *gen) Message {
		m := &ActivateDefaultEPSBearerContextRequest{ESMHeader: g.esm(), QoS: g.bytes(1, 13), APN: g.bytes(1, 100), PDNAddress: g.pdnAddress()}
		m.TransactionIdentifier = g.optBytes(1, 2)
		m.NegotiatedQoS = g.optBytes(12, 20)
		m.NegotiatedLLCSAPI = g.optBytes(1, 1)
		m.RadioPriority = optHalf[uint8](g)
		m.PacketFlowIdentifier = g.optBytes(1, 1)
		m.APNAMBR = g.optBytes(2, 6)
		m.ESMCause = optVal(g, func() ESMCause { return ESMCause(g.u8()) })
		m.PCO = g.optBytes(0, 250)
		m.ConnectivityType = optHalf[uint8](g)
		m.WLANOffloadIndication = optHalf[uint8](g)
		m.NBIFOMContainer = g.optBytes(0, 5)
		m.HeaderCompressionConfiguration = g.optBytes(3, 10)
		m.ControlPlaneOnlyIndication = optHalf[uint8](g)
		m.EPCO = g.optBytes(0, 1000)
		m.ServingPLMNRateControl = g.optBytes(2, 2)
		m.ExtendedAPNAMBR = g.optBytes(6, 6)
		m.Extra = g.extra()
		return m
	},
	"ActivateDefaultEPSBearerContextAccept": func(g *gen) Message {
		return &ActivateDefaultEPSBearerContextAccept{ESMHeader: g.esm(), pcoOptions: g.pco()}
	},
	"ActivateDefaultEPSBearerContextReject": func(g *gen) Message {
		return &ActivateDefaultEPSBearerContextReject{ESMHeader: g.esm(), Cause: ESMCause(g.u8()), pcoOptions: g.pco()}
	},
	"ActivateDedicatedEPSBearerContextRequest": func(g *gen) Message {
		return &ActivateDedicatedEPSBearerContextRequest{ESMHeader: g.esm(), LinkedEBI: g.half(), QoS: g.bytes(1, 13), TFT: g.bytes(1, 40),
			TransactionIdentifier: g.optBytes(1, 2), NegotiatedQoS: g.optBytes(12, 20), NegotiatedLLCSAPI: g.optBytes(1, 1),
			RadioPriority: optHalf[uint8](g), PacketFlowIdentifier: g.optBytes(1, 1), PCO: g.optBytes(0, 50),
			WLANOffloadIndication: optHalf[uint8](g), NBIFOMContainer: g.optBytes(0, 5), EPCO: g.optBytes(0, 300),
			ExtendedEPSQoS: g.optBytes(10, 10), Extra: g.extra()}
	},
	"ActivateDedicatedEPSBearerContextAccept": func(g *gen) Message {
		return &ActivateDedicatedEPSBearerContextAccept{ESMHeader: g.esm(), pcoOptions: g.pcoNBIFOM()}
	},
	"ActivateDedicatedEPSBearerContextReject": func(g *gen) Message {
		return &ActivateDedicatedEPSBearerContextReject{ESMHeader: g.esm(), Cause: ESMCause(g.u8()), pcoOptions: g.pcoNBIFOM()}
	},
	"ModifyEPSBearerContextRequest": func(g *gen) Message {
		return &ModifyEPSBearerContextRequest{ESMHeader: g.esm(), NewEPSQoS: g.optBytes(1, 13), TFT: g.optBytes(1, 40),
			NewQoS: g.optBytes(12, 20), NegotiatedLLCSAPI: g.optBytes(1, 1), RadioPriority: optHalf[uint8](g),
			PacketFlowIdentifier: g.optBytes(1, 1), APNAMBR: g.optBytes(2, 6), PCO: g.optBytes(0, 50),
			WLANOffloadIndication: optHalf[uint8](g), NBIFOMContainer: g.optBytes(0, 5),
			HeaderCompressionConfiguration: g.optBytes(3, 10), EPCO: g.optBytes(0, 300), ExtendedAPNAMBR: g.optBytes(6, 6),
			ExtendedEPSQoS: g.optBytes(10, 10), Extra: g.extra()}
	},
	"ModifyEPSBearerContextAccept": func(g *gen) Message {
		return &ModifyEPSBearerContextAccept{ESMHeader: g.esm(), pcoOptions: g.pcoNBIFOM()}
	},
	"ModifyEPSBearerContextReject": func(g *gen) Message {
		return &ModifyEPSBearerContextReject{ESMHeader: g.esm(), Cause: ESMCause(g.u8()), pcoOptions: g.pcoNBIFOM()}
	},
	"DeactivateEPSBearerContextRequest": func(g *gen) Message {
		return &DeactivateEPSBearerContextRequest{ESMHeader: g.esm(), Cause: ESMCause(g.u8()), PCO: g.optBytes(0, 50),
			T3396: optVal(g, t3(g)), WLANOffloadIndication: optHalf[uint8](g), NBIFOMContainer: g.optBytes(0, 5),
			EPCO: g.optBytes(0, 300), Extra: g.extra()}
	},
	"DeactivateEPSBearerContextAccept": func(g *gen) Message {
		return &DeactivateEPSBearerContextAccept{ESMHeader: g.esm(), pcoOptions: g.pco()}
	},
	"PDNConnectivityRequest": func(g *gen) Message {
		return &PDNConnectivityRequest{ESMHeader: g.esm(), RequestType: RequestType(g.half()), PDNType: PDNType(g.half()),
			ESMInformationTransferFlag: optHalf[uint8](g), APN: g.optBytes(1, 100), PCO: g.optBytes(0, 250),
			DeviceProperties: optHalf[uint8](g), NBIFOMContainer: g.optBytes(0, 5),
			HeaderCompressionConfiguration: g.optBytes(3, 10), EPCO: g.optBytes(0, 1000), Extra: g.extra()}
	},
	"PDNConnectivityReject": func(g *gen) Message {
		return &PDNConnectivityReject{ESMHeader: g.esm(), Cause: ESMCause(g.u8()), PCO: g.optBytes(0, 50),
			BackOffTimer: optVal(g, t3(g)), ReAttemptIndicator: g.optBytes(1, 1), NBIFOMContainer: g.optBytes(0, 5),
			EPCO: g.optBytes(0, 300), Extra: g.extra()}
	},
	"PDNDisconnectRequest": func(g *gen) Message {
		return &PDNDisconnectRequest{ESMHeader: g.esm(), LinkedEBI: g.half(), pcoOptions: g.pco()}
	},
	"PDNDisconnectReject": func(g *gen) Message {
		return &PDNDisconnectReject{ESMHeader: g.esm(), Cause: ESMCause(g.u8()), pcoOptions: g.pco()}
	},
	"ESMInformationRequest": func(g *gen) Message { return &ESMInformationRequest{ESMHeader: g.esm(), Extra: g.extra()} },
	"ESMInformationResponse": func(g *gen) Message {
		return &ESMInformationResponse{ESMHeader: g.esm(), APN: g.optBytes(1, 100), PCO: g.optBytes(0, 250), EPCO: g.optBytes(0, 300), Extra: g.extra()}
	},
	"ESMStatus": func(g *gen) Message { return &ESMStatus{ESMHeader: g.esm(), Cause: ESMCause(g.u8()), Extra: g.extra()} },
	"ESMDataTransport": func(g *gen) Message {
		return &ESMDataTransport{ESMHeader: g.esm(), UserData: g.bytes(0, 1600),
			ReleaseAssistanceIndication: optHalf[ReleaseAssistanceIndication](g), Extra: g.extra()}
	},
	"RawMessage": func(g *gen) Message {
		t := []MessageType{TypeCSServiceNotification, TypeUplinkGenericNASTransport, TypeBearerResourceAllocationRequest,
			TypeNotification, TypeRemoteUEReport}[g.r.IntN(5)]
		m := &RawMessage{Type: t, Body: g.bytes(0, 40)}
		if t.PD() == PDESM {
			m.ESMHeader = g.esm()
		}
		return m
	},
}

var generatorNames []string

func init() {
	generators["SecurityProtected"] = genProtected
	for k := range generators {
		generatorNames = append(generatorNames, k)
	}
	slices.Sort(generatorNames) // map order is random: sort for reproducible draws
}

func genProtected(g *gen) Message {
	m := &SecurityProtected{HeaderType: SecurityHeaderType(g.n(1, 5)), MAC: g.r.Uint32(), SequenceNumber: g.u8()}
	if g.r.IntN(4) == 0 {
		m.Payload = append([]byte{0x0d}, g.bytes(0, 40)...) // PD 13: not plain EPS NAS, so "ciphered"
		return m
	}
	for {
		name := generatorNames[g.r.IntN(len(generatorNames))]
		if name == "SecurityProtected" || name == "ServiceRequest" {
			continue
		}
		inner := generators[name](&gen{r: g.r, full: true})
		p, err := inner.Marshal()
		if err != nil {
			panic(err)
		}
		m.Payload, m.Message = p, inner
		return m
	}
}

// TestGeneratorsCoverMessages checks that every message type Parse can
// return has a generator.
func TestGeneratorsCoverMessages(t *testing.T) {
	for i := range 256 {
		mt := MessageType(i)
		if !mt.Defined() {
			continue
		}
		name := fmt.Sprintf("%T", newMessage(mt))[5:]
		if _, ok := generators[name]; !ok {
			t.Errorf("no generator for %s (%s)", name, mt)
		}
	}
}

// TestRandomRoundTrip: for every message type, random valid instances
// survive Marshal -> Parse (the message's own and the generic one)
// unchanged, and MarshalLen is exact.
func TestRandomRoundTrip(t *testing.T) {
	iters := 300
	if testing.Short() {
		iters = 50
	}
	for _, name := range generatorNames {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(name))))
			for i := range iters {
				m := generators[name](&gen{r: r, full: i%4 != 0})
				b, err := m.Marshal()
				if err != nil {
					t.Fatalf("%d: Marshal: %v\n%+v", i, err, m)
				}
				if m.MarshalLen() != len(b) {
					t.Fatalf("%d: MarshalLen %d != %d", i, m.MarshalLen(), len(b))
				}
				own := reflect.New(reflect.TypeOf(m).Elem()).Interface().(Message)
				if err := own.UnmarshalBinary(b); err != nil {
					t.Fatalf("%d: UnmarshalBinary: %v\n%x", i, err, b)
				}
				if !reflect.DeepEqual(own, m) {
					t.Fatalf("%d: round trip differs\n in  %+v\n out %+v\n%x", i, m, own, b)
				}
				dir := DirectionUnknown
				if name == "NetworkDetachRequest" {
					dir = Downlink
				}
				got, err := ParseDirection(b, dir)
				if err != nil || !reflect.DeepEqual(got, m) {
					t.Fatalf("%d: Parse gives %T %v\n%x", i, got, err, b)
				}
			}
		})
	}
}

// TestPrefixes: a strict prefix of an encoding never parses as a complete
// message of the same type while it cuts the mandatory part (header and
// mandatory IEs). Past the mandatory part a prefix that ends on an IE
// boundary is a valid message with fewer optional IEs (TS 24.301 §7.6:
// the non-imperative part is optional); the test checks that such a prefix
// then re-encodes to itself, and that any other cut is an error.
func TestPrefixes(t *testing.T) {
	for _, name := range generatorNames {
		t.Run(name, func(t *testing.T) {
			for i := range 40 {
				seed := uint64(i)
				mand := generators[name](&gen{r: rand.New(rand.NewPCG(seed, 7)), full: false})
				full := generators[name](&gen{r: rand.New(rand.NewPCG(seed, 7)), full: true})
				mb, err1 := mand.Marshal()
				fb, err2 := full.Marshal()
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				minLen := len(mb)
				switch name {
				case "SecurityProtected":
					minLen = 7 // header, MAC, sequence number and at least one octet of message
				case "RawMessage":
					minLen = 2 // the body is opaque
					if mand.(*RawMessage).Type.PD() == PDESM {
						minLen = 3
					}
				}
				if !bytes.HasPrefix(fb, mb) && name != "SecurityProtected" && name != "RawMessage" {
					t.Fatalf("mandatory-only encoding is not a prefix:\n%x\n%x", mb, fb)
				}
				for n := range len(fb) {
					p := fb[:n]
					own := reflect.New(reflect.TypeOf(full).Elem()).Interface().(Message)
					err := own.UnmarshalBinary(p)
					if n < minLen {
						if err == nil {
							t.Fatalf("prefix %x of %x parses as %s", p, fb, name)
						}
						continue
					}
					if err == nil {
						if out, err := own.Marshal(); err != nil || !bytes.Equal(out, p) {
							t.Fatalf("prefix %x parses but re-encodes to %x (%v)", p, out, err)
						}
					}
				}
			}
		})
	}
}
