package nas

// ESMDataTransport is ESM DATA TRANSPORT (TS 24.301 §8.3.25), both
// directions: user data over the control plane (control plane CIoT EPS
// optimization). UserData is the user data container (§9.9.4.24, LV-E):
// an IP packet, or non-IP data.
type ESMDataTransport struct {
	ESMHeader
	UserData                    []byte
	ReleaseAssistanceIndication *ReleaseAssistanceIndication // UE to network
	Extra                       []RawIE
}

// esmDataTransportDesc is TS 24.301 table 8.3.25.1.
var esmDataTransportDesc = descOf[ESMDataTransport]{Type: TypeESMDataTransport, Dir: DirectionUnknown, IEs: []IE{
	{Name: "user data container", Format: FormatLVE, Presence: Mandatory, Field: "UserData"},
	{IEI: 0xf0, Name: "release assistance indication", Format: FormatTV, Presence: Optional, Len: 1, Field: "ReleaseAssistanceIndication"},
}}

// UnmarshalAliasing decodes b into m without copying it: m's slices alias
// b, which must stay unchanged while m is used (an ESM message container
// inside a message that is itself a private copy, say).
func (m *ESMDataTransport) UnmarshalAliasing(b []byte) error {
	*m = ESMDataTransport{}
	return runDecode(m, b, DirectionUnknown)
}
