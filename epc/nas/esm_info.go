package nas

// ESMInformationRequest is ESM INFORMATION REQUEST (TS 24.301 §8.3.13),
// network to UE.
type ESMInformationRequest struct {
	ESMHeader
	Extra []RawIE
}

// esmInformationRequestDesc is TS 24.301 table 8.3.13.1.
var esmInformationRequestDesc = descOf[ESMInformationRequest]{Type: TypeESMInformationRequest, Dir: Downlink}

// ESMInformationResponse is ESM INFORMATION RESPONSE (TS 24.301 §8.3.14),
// UE to network.
type ESMInformationResponse struct {
	ESMHeader
	APN   AccessPointName
	PCO   []byte
	EPCO  []byte
	Extra []RawIE
}

// esmInformationResponseDesc is TS 24.301 table 8.3.14.1.
var esmInformationResponseDesc = descOf[ESMInformationResponse]{Type: TypeESMInformationResponse, Dir: Uplink, IEs: []IE{
	{IEI: 0x28, Name: "access point name", Format: FormatTLV, Presence: Optional, Field: "APN"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}
