package nas

// AttachRequest is ATTACH REQUEST (TS 24.301 §8.2.4), UE to network.
type AttachRequest struct {
	AttachType          EPSAttachType       // half octet, bits 4-1
	KSI                 NASKeySetIdentifier // half octet, bits 8-5
	Identity            EPSMobileIdentity
	UENetworkCapability UENetworkCapability
	// ESMMessageContainer holds the PDN CONNECTIVITY REQUEST (or ESM DUMMY
	// MESSAGE); Parse it to decode it.
	ESMMessageContainer []byte

	OldPTMSISignature              []byte
	AdditionalGUTI                 *EPSMobileIdentity
	LastVisitedTAI                 *TAI
	DRXParameter                   *DRXParameter
	MSNetworkCapability            MSNetworkCapability
	OldLAI                         *LAI
	TMSIStatus                     *uint8
	MSClassmark2                   []byte
	MSClassmark3                   []byte
	SupportedCodecs                []byte
	AdditionalUpdateType           *AdditionalUpdateType
	VoiceDomainPreference          []byte
	DeviceProperties               *uint8
	OldGUTIType                    *uint8
	MSNetworkFeatureSupport        *uint8
	TMSIBasedNRIContainer          []byte
	T3324                          *GPRSTimer2
	T3412Extended                  *GPRSTimer3
	ExtendedDRXParameters          *ExtendedDRXParameters
	UEAdditionalSecurityCapability []byte
	UEStatus                       []byte
	AdditionalInformationRequested []byte
	N1UENetworkCapability          []byte
	// Extra holds the IEs this package does not model (§7.6), in order.
	Extra []RawIE
}

// attachRequestDesc is TS 24.301 table 8.2.4.1.
var attachRequestDesc = descOf[AttachRequest]{Type: TypeAttachRequest, Dir: Uplink, IEs: []IE{
	{Name: "EPS attach type", Format: FormatV, Presence: Mandatory, Field: "AttachType"},
	{Name: "NAS key set identifier", Format: FormatV, Presence: Mandatory, Field: "KSI"},
	{Name: "EPS mobile identity", Format: FormatLV, Presence: Mandatory, Field: "Identity"},
	{Name: "UE network capability", Format: FormatLV, Presence: Mandatory, Field: "UENetworkCapability"},
	{Name: "ESM message container", Format: FormatLVE, Presence: Mandatory, Field: "ESMMessageContainer"},
	{IEI: 0x19, Name: "old P-TMSI signature", Format: FormatTV, Presence: Optional, Len: 4, Field: "OldPTMSISignature"},
	{IEI: 0x50, Name: "additional GUTI", Format: FormatTLV, Presence: Optional, Field: "AdditionalGUTI"},
	{IEI: 0x52, Name: "last visited registered TAI", Format: FormatTV, Presence: Optional, Len: 6, Field: "LastVisitedTAI"},
	{IEI: 0x5c, Name: "DRX parameter", Format: FormatTV, Presence: Optional, Len: 3, Field: "DRXParameter"},
	{IEI: 0x31, Name: "MS network capability", Format: FormatTLV, Presence: Optional, Field: "MSNetworkCapability"},
	{IEI: 0x13, Name: "old location area identification", Format: FormatTV, Presence: Optional, Len: 6, Field: "OldLAI"},
	{IEI: 0x90, Name: "TMSI status", Format: FormatTV, Presence: Optional, Len: 1, Field: "TMSIStatus"},
	{IEI: 0x11, Name: "mobile station classmark 2", Format: FormatTLV, Presence: Optional, Field: "MSClassmark2"},
	{IEI: 0x20, Name: "mobile station classmark 3", Format: FormatTLV, Presence: Optional, Field: "MSClassmark3"},
	{IEI: 0x40, Name: "supported codecs", Format: FormatTLV, Presence: Optional, Field: "SupportedCodecs"},
	{IEI: 0xf0, Name: "additional update type", Format: FormatTV, Presence: Optional, Len: 1, Field: "AdditionalUpdateType"},
	{IEI: 0x5d, Name: "voice domain preference and UE's usage setting", Format: FormatTLV, Presence: Optional, Field: "VoiceDomainPreference"},
	{IEI: 0xd0, Name: "device properties", Format: FormatTV, Presence: Optional, Len: 1, Field: "DeviceProperties"},
	{IEI: 0xe0, Name: "old GUTI type", Format: FormatTV, Presence: Optional, Len: 1, Field: "OldGUTIType"},
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

// AttachAccept is ATTACH ACCEPT (TS 24.301 §8.2.1), network to UE.
type AttachAccept struct {
	AttachResult EPSAttachResult // half octet, bits 4-1 (bits 8-5 spare)
	T3412        GPRSTimer
	TAIList      TAIList
	// ESMMessageContainer holds the ACTIVATE DEFAULT EPS BEARER CONTEXT
	// REQUEST (or ESM DUMMY MESSAGE).
	ESMMessageContainer []byte

	GUTI                        *EPSMobileIdentity
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
	DCNID                       []byte
	SMSServicesStatus           *uint8
	NonNWProvidedPolicies       *uint8
	T3448                       *GPRSTimer2
	NetworkPolicy               *uint8
	T3447                       *GPRSTimer3
	ExtendedEmergencyNumberList []byte
	CipheringKeyData            []byte
	Extra                       []RawIE
}

// attachAcceptDesc is TS 24.301 table 8.2.1.1.
var attachAcceptDesc = descOf[AttachAccept]{Type: TypeAttachAccept, Dir: Downlink, IEs: []IE{
	{Name: "EPS attach result", Format: FormatV, Presence: Mandatory, Field: "AttachResult"},
	{Name: "spare half octet", Format: FormatV, Presence: Mandatory},
	{Name: "T3412 value", Format: FormatV, Presence: Mandatory, Len: 1, Field: "T3412"},
	{Name: "TAI list", Format: FormatLV, Presence: Mandatory, Field: "TAIList"},
	{Name: "ESM message container", Format: FormatLVE, Presence: Mandatory, Field: "ESMMessageContainer"},
	{IEI: 0x50, Name: "GUTI", Format: FormatTLV, Presence: Optional, Field: "GUTI"},
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
	{IEI: 0x65, Name: "DCN-ID", Format: FormatTLV, Presence: Optional, Field: "DCNID"},
	{IEI: 0xe0, Name: "SMS services status", Format: FormatTV, Presence: Optional, Len: 1, Field: "SMSServicesStatus"},
	{IEI: 0xd0, Name: "non-3GPP NW provided policies", Format: FormatTV, Presence: Optional, Len: 1, Field: "NonNWProvidedPolicies"},
	{IEI: 0x6b, Name: "T3448 value", Format: FormatTLV, Presence: Optional, Field: "T3448"},
	{IEI: 0xc0, Name: "network policy", Format: FormatTV, Presence: Optional, Len: 1, Field: "NetworkPolicy"},
	{IEI: 0x6c, Name: "T3447 value", Format: FormatTLV, Presence: Optional, Field: "T3447"},
	{IEI: 0x7a, Name: "extended emergency number list", Format: FormatTLVE, Presence: Optional, Field: "ExtendedEmergencyNumberList"},
	{IEI: 0x7c, Name: "ciphering key data", Format: FormatTLVE, Presence: Optional, Field: "CipheringKeyData"},
}}

// AttachComplete is ATTACH COMPLETE (TS 24.301 §8.2.2), UE to network.
type AttachComplete struct {
	// ESMMessageContainer holds the ACTIVATE DEFAULT EPS BEARER CONTEXT
	// ACCEPT (or ESM DUMMY MESSAGE).
	ESMMessageContainer []byte
	Extra               []RawIE
}

// attachCompleteDesc is TS 24.301 table 8.2.2.1.
var attachCompleteDesc = descOf[AttachComplete]{Type: TypeAttachComplete, Dir: Uplink, IEs: []IE{
	{Name: "ESM message container", Format: FormatLVE, Presence: Mandatory, Field: "ESMMessageContainer"},
}}

// AttachReject is ATTACH REJECT (TS 24.301 §8.2.3), network to UE.
type AttachReject struct {
	Cause               EMMCause
	ESMMessageContainer []byte
	T3346               *GPRSTimer2
	T3402               *GPRSTimer2
	ExtendedEMMCause    *uint8
	Extra               []RawIE
}

// attachRejectDesc is TS 24.301 table 8.2.3.1.
var attachRejectDesc = descOf[AttachReject]{Type: TypeAttachReject, Dir: Downlink, IEs: []IE{
	{Name: "EMM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x78, Name: "ESM message container", Format: FormatTLVE, Presence: Optional, Field: "ESMMessageContainer"},
	{IEI: 0x5f, Name: "T3346 value", Format: FormatTLV, Presence: Optional, Field: "T3346"},
	{IEI: 0x16, Name: "T3402 value", Format: FormatTLV, Presence: Optional, Field: "T3402"},
	{IEI: 0xa0, Name: "extended EMM cause", Format: FormatTV, Presence: Optional, Len: 1, Field: "ExtendedEMMCause"},
}}
