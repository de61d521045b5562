package nas

// TrackingAreaUpdateRequest is TRACKING AREA UPDATE REQUEST
// (TS 24.301 §8.2.29), UE to network.
type TrackingAreaUpdateRequest struct {
	UpdateType EPSUpdateType       // half octet, bits 4-1 (bit 4 active flag)
	KSI        NASKeySetIdentifier // half octet, bits 8-5
	OldGUTI    EPSMobileIdentity

	NonCurrentNativeKSI            *NASKeySetIdentifier
	GPRSCipheringKeySequenceNumber *uint8
	OldPTMSISignature              []byte
	AdditionalGUTI                 *EPSMobileIdentity
	NonceUE                        []byte
	UENetworkCapability            UENetworkCapability
	LastVisitedTAI                 *TAI
	DRXParameter                   *DRXParameter
	UERadioCapabilityUpdateNeeded  *uint8
	EPSBearerContextStatus         *EPSBearerContextStatus
	MSNetworkCapability            MSNetworkCapability
	OldLAI                         *LAI
	TMSIStatus                     *uint8
	MSClassmark2                   []byte
	MSClassmark3                   []byte
	SupportedCodecs                []byte
	AdditionalUpdateType           *AdditionalUpdateType
	VoiceDomainPreference          []byte
	OldGUTIType                    *uint8
	DeviceProperties               *uint8
	MSNetworkFeatureSupport        *uint8
	TMSIBasedNRIContainer          []byte
	T3324                          *GPRSTimer2
	T3412Extended                  *GPRSTimer3
	ExtendedDRXParameters          *ExtendedDRXParameters
	UEAdditionalSecurityCapability []byte
	UEStatus                       []byte
	AdditionalInformationRequested []byte
	N1UENetworkCapability          []byte
	Extra                          []RawIE
}

// trackingAreaUpdateRequestDesc is TS 24.301 table 8.2.29.1.
var trackingAreaUpdateRequestDesc = descOf[TrackingAreaUpdateRequest]{Type: TypeTrackingAreaUpdateRequest, Dir: Uplink, IEs: []IE{
	{Name: "EPS update type", Format: FormatV, Presence: Mandatory, Field: "UpdateType"},
	{Name: "NAS key set identifier", Format: FormatV, Presence: Mandatory, Field: "KSI"},
	{Name: "old GUTI", Format: FormatLV, Presence: Mandatory, Field: "OldGUTI"},
	{IEI: 0xb0, Name: "non-current native NAS key set identifier", Format: FormatTV, Presence: Optional, Len: 1, Field: "NonCurrentNativeKSI"},
	{IEI: 0x80, Name: "GPRS ciphering key sequence number", Format: FormatTV, Presence: Optional, Len: 1, Field: "GPRSCipheringKeySequenceNumber"},
	{IEI: 0x19, Name: "old P-TMSI signature", Format: FormatTV, Presence: Optional, Len: 4, Field: "OldPTMSISignature"},
	{IEI: 0x50, Name: "additional GUTI", Format: FormatTLV, Presence: Optional, Field: "AdditionalGUTI"},
	{IEI: 0x55, Name: "nonceUE", Format: FormatTV, Presence: Optional, Len: 5, Field: "NonceUE"},
	{IEI: 0x58, Name: "UE network capability", Format: FormatTLV, Presence: Optional, Field: "UENetworkCapability"},
	{IEI: 0x52, Name: "last visited registered TAI", Format: FormatTV, Presence: Optional, Len: 6, Field: "LastVisitedTAI"},
	{IEI: 0x5c, Name: "DRX parameter", Format: FormatTV, Presence: Optional, Len: 3, Field: "DRXParameter"},
	{IEI: 0xa0, Name: "UE radio capability information update needed", Format: FormatTV, Presence: Optional, Len: 1, Field: "UERadioCapabilityUpdateNeeded"},
	{IEI: 0x57, Name: "EPS bearer context status", Format: FormatTLV, Presence: Optional, Field: "EPSBearerContextStatus"},
	{IEI: 0x31, Name: "MS network capability", Format: FormatTLV, Presence: Optional, Field: "MSNetworkCapability"},
	{IEI: 0x13, Name: "old location area identification", Format: FormatTV, Presence: Optional, Len: 6, Field: "OldLAI"},
	{IEI: 0x90, Name: "TMSI status", Format: FormatTV, Presence: Optional, Len: 1, Field: "TMSIStatus"},
	{IEI: 0x11, Name: "mobile station classmark 2", Format: FormatTLV, Presence: Optional, Field: "MSClassmark2"},
	{IEI: 0x20, Name: "mobile station classmark 3", Format: FormatTLV, Presence: Optional, Field: "MSClassmark3"},
	{IEI: 0x40, Name: "supported codecs", Format: FormatTLV, Presence: Optional, Field: "SupportedCodecs"},
	{IEI: 0xf0, Name: "additional update type", Format: FormatTV, Presence: Optional, Len: 1, Field: "AdditionalUpdateType"},
	{IEI: 0x5d, Name: "voice domain preference and UE's usage setting", Format: FormatTLV, Presence: Optional, Field: "VoiceDomainPreference"},
	{IEI: 0xe0, Name: "old GUTI type", Format: FormatTV, Presence: Optional, Len: 1, Field: "OldGUTIType"},
	{IEI: 0xd0, Name: "device properties", Format: FormatTV, Presence: Optional, Len: 1, Field: "DeviceProperties"},
	{IEI: 0xc0, Name: "MS network feature support", Format: FormatTV, Presence: Optional, Len: 1, Field: "MSNetworkFeatureSupport"},
	{IEI: 0x10, Name: "TMSI based NRI container", Format: FormatTLV, Presence: Optional, Field: "TMSIBasedNRIContainer"},
	{IEI: 0x6a, Name: "T3324 value", Format: FormatTLV, Presence: Optional, Field: "T3324"},
	{IEI: 0x5e, Name: "T3412 extended value", Format: FormatTLV, Presence: Optional, Field: "T3412Extended"},
	{IEI: 0x6e, Name: "extended DRX parameters", Format: FormatTLV, Presence: Optional, Field: "ExtendedDRXParameters"},
	{IEI: 0x6f, Name: "UE additional security capability", Format: FormatTLV, Presence: Optional, Field: "UEAdditionalSecurityCapability"},
	{IEI: 0x6d, Name: "UE status", Format: FormatTLV, Presence: Optional, Field: "UEStatus"},
	{IEI: 0x17, Name: "additional information requested", Format: FormatTV, Presence: Optional, Len: 2, Field: "AdditionalInformationRequested"},
	{IEI: 0x32, Name: "N1 UE network capability", Format: FormatTLV, Presence: Optional, Field: "N1UENetworkCapability"},
}}

// TrackingAreaUpdateAccept is TRACKING AREA UPDATE ACCEPT
// (TS 24.301 §8.2.26), network to UE.
type TrackingAreaUpdateAccept struct {
	UpdateResult EPSUpdateResult // half octet, bits 4-1 (bits 8-5 spare)

	T3412                       *GPRSTimer
	GUTI                        *EPSMobileIdentity
	TAIList                     *TAIList
	EPSBearerContextStatus      *EPSBearerContextStatus
	LAI                         *LAI
	MSIdentity                  *MobileIdentity
	EMMCause                    *EMMCause
	T3402                       *GPRSTimer
	T3423                       *GPRSTimer
	EquivalentPLMNs             []byte
	EmergencyNumberList         []byte
	EPSNetworkFeatureSupport    EPSNetworkFeatureSupport
	AdditionalUpdateResult      *AdditionalUpdateResult
	T3412Extended               *GPRSTimer3
	T3324                       *GPRSTimer2
	ExtendedDRXParameters       *ExtendedDRXParameters
	HeaderCompressionStatus     []byte
	DCNID                       []byte
	SMSServicesStatus           *uint8
	NonNWPolicies               *uint8
	T3448                       *GPRSTimer2
	NetworkPolicy               *uint8
	T3447                       *GPRSTimer3
	ExtendedEmergencyNumberList []byte
	CipheringKeyData            []byte
	Extra                       []RawIE
}

// trackingAreaUpdateAcceptDesc is TS 24.301 table 8.2.26.1.
var trackingAreaUpdateAcceptDesc = descOf[TrackingAreaUpdateAccept]{Type: TypeTrackingAreaUpdateAccept, Dir: Downlink, IEs: []IE{
	{Name: "EPS update result", Format: FormatV, Presence: Mandatory, Field: "UpdateResult"},
	{Name: "spare half octet", Format: FormatV, Presence: Mandatory},
	{IEI: 0x5a, Name: "T3412 value", Format: FormatTV, Presence: Optional, Len: 2, Field: "T3412"},
	{IEI: 0x50, Name: "GUTI", Format: FormatTLV, Presence: Optional, Field: "GUTI"},
	{IEI: 0x54, Name: "TAI list", Format: FormatTLV, Presence: Optional, Field: "TAIList"},
	{IEI: 0x57, Name: "EPS bearer context status", Format: FormatTLV, Presence: Optional, Field: "EPSBearerContextStatus"},
	{IEI: 0x13, Name: "location area identification", Format: FormatTV, Presence: Optional, Len: 6, Field: "LAI"},
	{IEI: 0x23, Name: "MS identity", Format: FormatTLV, Presence: Optional, Field: "MSIdentity"},
	{IEI: 0x53, Name: "EMM cause", Format: FormatTV, Presence: Optional, Len: 2, Field: "EMMCause"},
	{IEI: 0x17, Name: "T3402 value", Format: FormatTV, Presence: Optional, Len: 2, Field: "T3402"},
	{IEI: 0x59, Name: "T3423 value", Format: FormatTV, Presence: Optional, Len: 2, Field: "T3423"},
	{IEI: 0x4a, Name: "equivalent PLMNs", Format: FormatTLV, Presence: Optional, Field: "EquivalentPLMNs"},
	{IEI: 0x34, Name: "emergency number list", Format: FormatTLV, Presence: Optional, Field: "EmergencyNumberList"},
	{IEI: 0x64, Name: "EPS network feature support", Format: FormatTLV, Presence: Optional, Field: "EPSNetworkFeatureSupport"},
	{IEI: 0xf0, Name: "additional update result", Format: FormatTV, Presence: Optional, Len: 1, Field: "AdditionalUpdateResult"},
	{IEI: 0x5e, Name: "T3412 extended value", Format: FormatTLV, Presence: Optional, Field: "T3412Extended"},
	{IEI: 0x6a, Name: "T3324 value", Format: FormatTLV, Presence: Optional, Field: "T3324"},
	{IEI: 0x6e, Name: "extended DRX parameters", Format: FormatTLV, Presence: Optional, Field: "ExtendedDRXParameters"},
	{IEI: 0x68, Name: "header compression configuration status", Format: FormatTLV, Presence: Optional, Field: "HeaderCompressionStatus"},
	{IEI: 0x65, Name: "DCN-ID", Format: FormatTLV, Presence: Optional, Field: "DCNID"},
	{IEI: 0xe0, Name: "SMS services status", Format: FormatTV, Presence: Optional, Len: 1, Field: "SMSServicesStatus"},
	{IEI: 0xd0, Name: "non-3GPP NW policies", Format: FormatTV, Presence: Optional, Len: 1, Field: "NonNWPolicies"},
	{IEI: 0x6b, Name: "T3448 value", Format: FormatTLV, Presence: Optional, Field: "T3448"},
	{IEI: 0xc0, Name: "network policy", Format: FormatTV, Presence: Optional, Len: 1, Field: "NetworkPolicy"},
	{IEI: 0x6c, Name: "T3447 value", Format: FormatTLV, Presence: Optional, Field: "T3447"},
	{IEI: 0x7a, Name: "extended emergency number list", Format: FormatTLVE, Presence: Optional, Field: "ExtendedEmergencyNumberList"},
	{IEI: 0x7c, Name: "ciphering key data", Format: FormatTLVE, Presence: Optional, Field: "CipheringKeyData"},
}}

// TrackingAreaUpdateComplete is TRACKING AREA UPDATE COMPLETE
// (TS 24.301 §8.2.27), UE to network.
type TrackingAreaUpdateComplete struct {
	Extra []RawIE
}

// trackingAreaUpdateCompleteDesc is TS 24.301 table 8.2.27.1.
var trackingAreaUpdateCompleteDesc = descOf[TrackingAreaUpdateComplete]{Type: TypeTrackingAreaUpdateComplete, Dir: Uplink}

// TrackingAreaUpdateReject is TRACKING AREA UPDATE REJECT
// (TS 24.301 §8.2.28), network to UE.
type TrackingAreaUpdateReject struct {
	Cause            EMMCause
	T3346            *GPRSTimer2
	ExtendedEMMCause *uint8
	Extra            []RawIE
}

// trackingAreaUpdateRejectDesc is TS 24.301 table 8.2.28.1.
var trackingAreaUpdateRejectDesc = descOf[TrackingAreaUpdateReject]{Type: TypeTrackingAreaUpdateReject, Dir: Downlink, IEs: []IE{
	{Name: "EMM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x5f, Name: "T3346 value", Format: FormatTLV, Presence: Optional, Field: "T3346"},
	{IEI: 0xa0, Name: "extended EMM cause", Format: FormatTV, Presence: Optional, Len: 1, Field: "ExtendedEMMCause"},
}}
