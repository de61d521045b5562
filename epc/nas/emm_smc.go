package nas

// SecurityModeCommand is SECURITY MODE COMMAND (TS 24.301 §8.2.20),
// network to UE.
type SecurityModeCommand struct {
	Algorithms SecurityAlgorithms  // selected NAS security algorithms
	KSI        NASKeySetIdentifier // bits 4-1 (bits 8-5 spare)
	// ReplayedUESecurityCapability is the UE security capability replayed.
	ReplayedUESecurityCapability UESecurityCapability

	IMEISVRequest                          *uint8
	ReplayedNonceUE                        []byte
	NonceMME                               []byte
	HashMME                                []byte
	ReplayedUEAdditionalSecurityCapability []byte
	UERadioCapabilityIDRequest             *uint8
	Extra                                  []RawIE
}

// securityModeCommandDesc is TS 24.301 table 8.2.20.1.
var securityModeCommandDesc = descOf[SecurityModeCommand]{Type: TypeSecurityModeCommand, Dir: Downlink, IEs: []IE{
	{Name: "selected NAS security algorithms", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Algorithms"},
	{Name: "NAS key set identifier", Format: FormatV, Presence: Mandatory, Field: "KSI"},
	{Name: "spare half octet", Format: FormatV, Presence: Mandatory},
	{Name: "replayed UE security capabilities", Format: FormatLV, Presence: Mandatory, Field: "ReplayedUESecurityCapability"},
	{IEI: 0xc0, Name: "IMEISV request", Format: FormatTV, Presence: Optional, Len: 1, Field: "IMEISVRequest"},
	{IEI: 0x55, Name: "replayed nonceUE", Format: FormatTV, Presence: Optional, Len: 5, Field: "ReplayedNonceUE"},
	{IEI: 0x56, Name: "nonceMME", Format: FormatTV, Presence: Optional, Len: 5, Field: "NonceMME"},
	{IEI: 0x4f, Name: "HashMME", Format: FormatTLV, Presence: Optional, Field: "HashMME"},
	{IEI: 0x6f, Name: "replayed UE additional security capability", Format: FormatTLV, Presence: Optional, Field: "ReplayedUEAdditionalSecurityCapability"},
	{IEI: 0xd0, Name: "UE radio capability ID request", Format: FormatTV, Presence: Optional, Len: 1, Field: "UERadioCapabilityIDRequest"},
}}

// SecurityModeComplete is SECURITY MODE COMPLETE (TS 24.301 §8.2.21), UE
// to network.
type SecurityModeComplete struct {
	IMEISV                      *MobileIdentity
	ReplayedNASMessageContainer []byte
	UERadioCapabilityID         []byte
	Extra                       []RawIE
}

// securityModeCompleteDesc is TS 24.301 table 8.2.21.1.
var securityModeCompleteDesc = descOf[SecurityModeComplete]{Type: TypeSecurityModeComplete, Dir: Uplink, IEs: []IE{
	{IEI: 0x23, Name: "IMEISV", Format: FormatTLV, Presence: Optional, Field: "IMEISV"},
	{IEI: 0x79, Name: "replayed NAS message container", Format: FormatTLVE, Presence: Optional, Field: "ReplayedNASMessageContainer"},
	{IEI: 0x66, Name: "UE radio capability ID", Format: FormatTLV, Presence: Optional, Field: "UERadioCapabilityID"},
}}

// SecurityModeReject is SECURITY MODE REJECT (TS 24.301 §8.2.22), UE to
// network.
type SecurityModeReject struct {
	Cause EMMCause
	Extra []RawIE
}

// securityModeRejectDesc is TS 24.301 table 8.2.22.1.
var securityModeRejectDesc = descOf[SecurityModeReject]{Type: TypeSecurityModeReject, Dir: Uplink, IEs: []IE{
	{Name: "EMM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
}}
