package nas

// PDNConnectivityRequest is PDN CONNECTIVITY REQUEST (TS 24.301 §8.3.20),
// UE to network; in an ATTACH REQUEST's ESM message container at attach.
type PDNConnectivityRequest struct {
	ESMHeader
	RequestType RequestType // half octet, bits 4-1
	PDNType     PDNType     // half octet, bits 8-5

	ESMInformationTransferFlag     *uint8
	APN                            AccessPointName
	PCO                            []byte
	DeviceProperties               *uint8
	NBIFOMContainer                []byte
	HeaderCompressionConfiguration []byte
	EPCO                           []byte
	Extra                          []RawIE
}

// pdnConnectivityRequestDesc is TS 24.301 table 8.3.20.1.
var pdnConnectivityRequestDesc = descOf[PDNConnectivityRequest]{Type: TypePDNConnectivityRequest, Dir: Uplink, IEs: []IE{
	{Name: "request type", Format: FormatV, Presence: Mandatory, Field: "RequestType"},
	{Name: "PDN type", Format: FormatV, Presence: Mandatory, Field: "PDNType"},
	{IEI: 0xd0, Name: "ESM information transfer flag", Format: FormatTV, Presence: Optional, Len: 1, Field: "ESMInformationTransferFlag"},
	{IEI: 0x28, Name: "access point name", Format: FormatTLV, Presence: Optional, Field: "APN"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0xc0, Name: "device properties", Format: FormatTV, Presence: Optional, Len: 1, Field: "DeviceProperties"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x66, Name: "header compression configuration", Format: FormatTLV, Presence: Optional, Field: "HeaderCompressionConfiguration"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// PDNConnectivityReject is PDN CONNECTIVITY REJECT (TS 24.301 §8.3.19),
// network to UE.
type PDNConnectivityReject struct {
	ESMHeader
	Cause              ESMCause
	PCO                []byte
	BackOffTimer       *GPRSTimer3
	ReAttemptIndicator []byte
	NBIFOMContainer    []byte
	EPCO               []byte
	Extra              []RawIE
}

// pdnConnectivityRejectDesc is TS 24.301 table 8.3.19.1.
var pdnConnectivityRejectDesc = descOf[PDNConnectivityReject]{Type: TypePDNConnectivityReject, Dir: Downlink, IEs: []IE{
	{Name: "ESM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x37, Name: "back-off timer value", Format: FormatTLV, Presence: Optional, Field: "BackOffTimer"},
	{IEI: 0x6b, Name: "re-attempt indicator", Format: FormatTLV, Presence: Optional, Field: "ReAttemptIndicator"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// PDNDisconnectRequest is PDN DISCONNECT REQUEST (TS 24.301 §8.3.22), UE
// to network. NBIFOMContainer is not part of this message.
type PDNDisconnectRequest struct {
	ESMHeader
	LinkedEBI uint8 // bits 4-1 (bits 8-5 spare)
	pcoOptions
}

// pdnDisconnectRequestDesc is TS 24.301 table 8.3.22.1.
var pdnDisconnectRequestDesc = descOf[PDNDisconnectRequest]{Type: TypePDNDisconnectRequest, Dir: Uplink, IEs: []IE{
	{Name: "linked EPS bearer identity", Format: FormatV, Presence: Mandatory, Field: "LinkedEBI"},
	{Name: "spare half octet", Format: FormatV, Presence: Mandatory},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// PDNDisconnectReject is PDN DISCONNECT REJECT (TS 24.301 §8.3.21),
// network to UE. NBIFOMContainer is not part of this message.
type PDNDisconnectReject struct {
	ESMHeader
	Cause ESMCause
	pcoOptions
}

// pdnDisconnectRejectDesc is TS 24.301 table 8.3.21.1.
var pdnDisconnectRejectDesc = descOf[PDNDisconnectReject]{Type: TypePDNDisconnectReject, Dir: Downlink, IEs: []IE{
	{Name: "ESM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}
