package nas

// TrackingAreaUpdateRequest is TRACKING AREA UPDATE REQUEST
// (TS 24.301 §8.2.29), UE to network.
type TrackingAreaUpdateRequest struct {
	UpdateType EPSUpdateType       // half octet, bits 4-1 (bit 4 active flag)
	KSI        NASKeySetIdentifier // half octet, bits 8-5
	OldGUTI    EPSMobileIdentity

	NonCurrentNativeKSI            *NASKeySetIdentifier    // 0xB- TV 1
	GPRSCipheringKeySequenceNumber *uint8                  // 0x8- TV 1
	OldPTMSISignature              []byte                  // 0x19 TV 4
	AdditionalGUTI                 *EPSMobileIdentity      // 0x50 TLV
	NonceUE                        []byte                  // 0x55 TV 5
	UENetworkCapability            UENetworkCapability     // 0x58 TLV
	LastVisitedTAI                 *TAI                    // 0x52 TV 6
	DRXParameter                   *DRXParameter           // 0x5C TV 3
	UERadioCapabilityUpdateNeeded  *uint8                  // 0xA- TV 1
	EPSBearerContextStatus         *EPSBearerContextStatus // 0x57 TLV
	MSNetworkCapability            MSNetworkCapability     // 0x31 TLV
	OldLAI                         *LAI                    // 0x13 TV 6
	TMSIStatus                     *uint8                  // 0x9- TV 1
	MSClassmark2                   []byte                  // 0x11 TLV
	MSClassmark3                   []byte                  // 0x20 TLV
	SupportedCodecs                []byte                  // 0x40 TLV
	AdditionalUpdateType           *AdditionalUpdateType   // 0xF- TV 1
	VoiceDomainPreference          []byte                  // 0x5D TLV
	OldGUTIType                    *uint8                  // 0xE- TV 1
	DeviceProperties               *uint8                  // 0xD- TV 1
	MSNetworkFeatureSupport        *uint8                  // 0xC- TV 1
	TMSIBasedNRIContainer          []byte                  // 0x10 TLV
	T3324                          *GPRSTimer2             // 0x6A TLV
	T3412Extended                  *GPRSTimer3             // 0x5E TLV
	ExtendedDRXParameters          *ExtendedDRXParameters  // 0x6E TLV
	UEAdditionalSecurityCapability []byte                  // 0x6F TLV
	UEStatus                       []byte                  // 0x6D TLV
	AdditionalInformationRequested []byte                  // 0x17 TV 2
	N1UENetworkCapability          []byte                  // 0x32 TLV
	Extra                          []RawIE
}

var tauRequestTV = []tvDef{{0x19, 4}, {0x55, 5}, {0x52, 6}, {0x5c, 3}, {0x13, 6}, {0x17, 2}}

func (m *TrackingAreaUpdateRequest) encode(e *encoder) {
	encodeEMMHeader(e, TypeTrackingAreaUpdateRequest)
	e.u8(uint8(m.KSI)<<4 | uint8(m.UpdateType)&0x0f)
	e.lv(&m.OldGUTI)
	tv1(e, 0xb0, m.NonCurrentNativeKSI)
	tv1(e, 0x80, m.GPRSCipheringKeySequenceNumber)
	e.tvBytes(0x19, 4, m.OldPTMSISignature)
	tlv(e, 0x50, m.AdditionalGUTI)
	e.tvBytes(0x55, 5, m.NonceUE)
	e.tlvBytes(0x58, m.UENetworkCapability)
	tv(e, 0x52, m.LastVisitedTAI)
	tv(e, 0x5c, m.DRXParameter)
	tv1(e, 0xa0, m.UERadioCapabilityUpdateNeeded)
	tlv(e, 0x57, m.EPSBearerContextStatus)
	e.tlvBytes(0x31, m.MSNetworkCapability)
	tv(e, 0x13, m.OldLAI)
	tv1(e, 0x90, m.TMSIStatus)
	e.tlvBytes(0x11, m.MSClassmark2)
	e.tlvBytes(0x20, m.MSClassmark3)
	e.tlvBytes(0x40, m.SupportedCodecs)
	tv1(e, 0xf0, m.AdditionalUpdateType)
	e.tlvBytes(0x5d, m.VoiceDomainPreference)
	tv1(e, 0xe0, m.OldGUTIType)
	tv1(e, 0xd0, m.DeviceProperties)
	tv1(e, 0xc0, m.MSNetworkFeatureSupport)
	e.tlvBytes(0x10, m.TMSIBasedNRIContainer)
	tlv(e, 0x6a, m.T3324)
	tlv(e, 0x5e, m.T3412Extended)
	tlv(e, 0x6e, m.ExtendedDRXParameters)
	e.tlvBytes(0x6f, m.UEAdditionalSecurityCapability)
	e.tlvBytes(0x6d, m.UEStatus)
	e.tvBytes(0x17, 2, m.AdditionalInformationRequested)
	e.tlvBytes(0x32, m.N1UENetworkCapability)
	e.extra(m.Extra, tauRequestTV)
}

func (m *TrackingAreaUpdateRequest) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeTrackingAreaUpdateRequest) {
		return
	}
	o := d.v1("EPS update type")
	m.UpdateType, m.KSI = EPSUpdateType(o&0x0f), NASKeySetIdentifier(o>>4)
	d.lvIE("old GUTI", &m.OldGUTI)
	m.Extra = d.options(tauRequestTV, func(iei byte, v []byte) bool {
		switch iei {
		case 0xb0:
			return setHalf(&m.NonCurrentNativeKSI, v)
		case 0x80:
			return setHalf(&m.GPRSCipheringKeySequenceNumber, v)
		case 0x19:
			return setBytes(&m.OldPTMSISignature, v)
		case 0x50:
			return setIE(&m.AdditionalGUTI, v)
		case 0x55:
			return setBytes(&m.NonceUE, v)
		case 0x58:
			return setBytes(&m.UENetworkCapability, v)
		case 0x52:
			return setIE(&m.LastVisitedTAI, v)
		case 0x5c:
			return setIE(&m.DRXParameter, v)
		case 0xa0:
			return setHalf(&m.UERadioCapabilityUpdateNeeded, v)
		case 0x57:
			return setIE(&m.EPSBearerContextStatus, v)
		case 0x31:
			return setBytes(&m.MSNetworkCapability, v)
		case 0x13:
			return setIE(&m.OldLAI, v)
		case 0x90:
			return setHalf(&m.TMSIStatus, v)
		case 0x11:
			return setBytes(&m.MSClassmark2, v)
		case 0x20:
			return setBytes(&m.MSClassmark3, v)
		case 0x40:
			return setBytes(&m.SupportedCodecs, v)
		case 0xf0:
			return setHalf(&m.AdditionalUpdateType, v)
		case 0x5d:
			return setBytes(&m.VoiceDomainPreference, v)
		case 0xe0:
			return setHalf(&m.OldGUTIType, v)
		case 0xd0:
			return setHalf(&m.DeviceProperties, v)
		case 0xc0:
			return setHalf(&m.MSNetworkFeatureSupport, v)
		case 0x10:
			return setBytes(&m.TMSIBasedNRIContainer, v)
		case 0x6a:
			return setIE(&m.T3324, v)
		case 0x5e:
			return setIE(&m.T3412Extended, v)
		case 0x6e:
			return setIE(&m.ExtendedDRXParameters, v)
		case 0x6f:
			return setBytes(&m.UEAdditionalSecurityCapability, v)
		case 0x6d:
			return setBytes(&m.UEStatus, v)
		case 0x17:
			return setBytes(&m.AdditionalInformationRequested, v)
		case 0x32:
			return setBytes(&m.N1UENetworkCapability, v)
		}
		return false
	})
}

// TrackingAreaUpdateAccept is TRACKING AREA UPDATE ACCEPT
// (TS 24.301 §8.2.26), network to UE.
type TrackingAreaUpdateAccept struct {
	UpdateResult EPSUpdateResult // half octet, bits 4-1 (bits 8-5 spare)

	T3412                       *GPRSTimer               // 0x5A TV 2
	GUTI                        *EPSMobileIdentity       // 0x50 TLV
	TAIList                     *TAIList                 // 0x54 TLV
	EPSBearerContextStatus      *EPSBearerContextStatus  // 0x57 TLV
	LAI                         *LAI                     // 0x13 TV 6
	MSIdentity                  *MobileIdentity          // 0x23 TLV
	EMMCause                    *EMMCause                // 0x53 TV 2
	T3402                       *GPRSTimer               // 0x17 TV 2
	T3423                       *GPRSTimer               // 0x59 TV 2
	EquivalentPLMNs             []byte                   // 0x4A TLV
	EmergencyNumberList         []byte                   // 0x34 TLV
	EPSNetworkFeatureSupport    EPSNetworkFeatureSupport // 0x64 TLV
	AdditionalUpdateResult      *AdditionalUpdateResult  // 0xF- TV 1
	T3412Extended               *GPRSTimer3              // 0x5E TLV
	T3324                       *GPRSTimer2              // 0x6A TLV
	ExtendedDRXParameters       *ExtendedDRXParameters   // 0x6E TLV
	HeaderCompressionStatus     []byte                   // 0x68 TLV
	DCNID                       []byte                   // 0x65 TLV
	SMSServicesStatus           *uint8                   // 0xE- TV 1
	NonNWPolicies               *uint8                   // 0xD- TV 1
	T3448                       *GPRSTimer2              // 0x6B TLV
	NetworkPolicy               *uint8                   // 0xC- TV 1
	T3447                       *GPRSTimer3              // 0x6C TLV
	ExtendedEmergencyNumberList []byte                   // 0x7A TLV-E
	CipheringKeyData            []byte                   // 0x7C TLV-E
	Extra                       []RawIE
}

var tauAcceptTV = []tvDef{{0x5a, 2}, {0x13, 6}, {0x53, 2}, {0x17, 2}, {0x59, 2}}

func (m *TrackingAreaUpdateAccept) encode(e *encoder) {
	encodeEMMHeader(e, TypeTrackingAreaUpdateAccept)
	e.u8(uint8(m.UpdateResult) & 0x0f)
	tv(e, 0x5a, m.T3412)
	tlv(e, 0x50, m.GUTI)
	tlv(e, 0x54, m.TAIList)
	tlv(e, 0x57, m.EPSBearerContextStatus)
	tv(e, 0x13, m.LAI)
	tlv(e, 0x23, m.MSIdentity)
	tv(e, 0x53, m.EMMCause)
	tv(e, 0x17, m.T3402)
	tv(e, 0x59, m.T3423)
	e.tlvBytes(0x4a, m.EquivalentPLMNs)
	e.tlvBytes(0x34, m.EmergencyNumberList)
	e.tlvBytes(0x64, m.EPSNetworkFeatureSupport)
	tv1(e, 0xf0, m.AdditionalUpdateResult)
	tlv(e, 0x5e, m.T3412Extended)
	tlv(e, 0x6a, m.T3324)
	tlv(e, 0x6e, m.ExtendedDRXParameters)
	e.tlvBytes(0x68, m.HeaderCompressionStatus)
	e.tlvBytes(0x65, m.DCNID)
	tv1(e, 0xe0, m.SMSServicesStatus)
	tv1(e, 0xd0, m.NonNWPolicies)
	tlv(e, 0x6b, m.T3448)
	tv1(e, 0xc0, m.NetworkPolicy)
	tlv(e, 0x6c, m.T3447)
	e.tlveBytes(0x7a, m.ExtendedEmergencyNumberList)
	e.tlveBytes(0x7c, m.CipheringKeyData)
	e.extra(m.Extra, tauAcceptTV)
}

func (m *TrackingAreaUpdateAccept) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeTrackingAreaUpdateAccept) {
		return
	}
	m.UpdateResult = EPSUpdateResult(d.v1("EPS update result") & 0x0f)
	m.Extra = d.options(tauAcceptTV, func(iei byte, v []byte) bool {
		switch iei {
		case 0x5a:
			return setIE(&m.T3412, v)
		case 0x50:
			return setIE(&m.GUTI, v)
		case 0x54:
			return setIE(&m.TAIList, v)
		case 0x57:
			return setIE(&m.EPSBearerContextStatus, v)
		case 0x13:
			return setIE(&m.LAI, v)
		case 0x23:
			return setIE(&m.MSIdentity, v)
		case 0x53:
			return setIE(&m.EMMCause, v)
		case 0x17:
			return setIE(&m.T3402, v)
		case 0x59:
			return setIE(&m.T3423, v)
		case 0x4a:
			return setBytes(&m.EquivalentPLMNs, v)
		case 0x34:
			return setBytes(&m.EmergencyNumberList, v)
		case 0x64:
			return setBytes(&m.EPSNetworkFeatureSupport, v)
		case 0xf0:
			return setHalf(&m.AdditionalUpdateResult, v)
		case 0x5e:
			return setIE(&m.T3412Extended, v)
		case 0x6a:
			return setIE(&m.T3324, v)
		case 0x6e:
			return setIE(&m.ExtendedDRXParameters, v)
		case 0x68:
			return setBytes(&m.HeaderCompressionStatus, v)
		case 0x65:
			return setBytes(&m.DCNID, v)
		case 0xe0:
			return setHalf(&m.SMSServicesStatus, v)
		case 0xd0:
			return setHalf(&m.NonNWPolicies, v)
		case 0x6b:
			return setIE(&m.T3448, v)
		case 0xc0:
			return setHalf(&m.NetworkPolicy, v)
		case 0x6c:
			return setIE(&m.T3447, v)
		case 0x7a:
			return setBytes(&m.ExtendedEmergencyNumberList, v)
		case 0x7c:
			return setBytes(&m.CipheringKeyData, v)
		}
		return false
	})
}

// TrackingAreaUpdateComplete is TRACKING AREA UPDATE COMPLETE
// (TS 24.301 §8.2.27), UE to network.
type TrackingAreaUpdateComplete struct {
	Extra []RawIE
}

func (m *TrackingAreaUpdateComplete) encode(e *encoder) {
	encodeEMMHeader(e, TypeTrackingAreaUpdateComplete)
	e.extra(m.Extra, nil)
}

func (m *TrackingAreaUpdateComplete) decode(d *decoder) {
	if decodeEMMHeader(d, TypeTrackingAreaUpdateComplete) {
		m.Extra = d.options(nil, refuse)
	}
}

// TrackingAreaUpdateReject is TRACKING AREA UPDATE REJECT
// (TS 24.301 §8.2.28), network to UE.
type TrackingAreaUpdateReject struct {
	Cause            EMMCause
	T3346            *GPRSTimer2 // 0x5F TLV
	ExtendedEMMCause *uint8      // 0xA- TV 1
	Extra            []RawIE
}

func (m *TrackingAreaUpdateReject) encode(e *encoder) {
	encodeEMMHeader(e, TypeTrackingAreaUpdateReject)
	e.u8(uint8(m.Cause))
	tlv(e, 0x5f, m.T3346)
	tv1(e, 0xa0, m.ExtendedEMMCause)
	e.extra(m.Extra, nil)
}

func (m *TrackingAreaUpdateReject) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeTrackingAreaUpdateReject) {
		return
	}
	m.Cause = EMMCause(d.v1("EMM cause"))
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x5f:
			return setIE(&m.T3346, v)
		case 0xa0:
			return setHalf(&m.ExtendedEMMCause, v)
		}
		return false
	})
}
