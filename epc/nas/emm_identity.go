package nas

// IdentityRequest is IDENTITY REQUEST (TS 24.301 §8.2.18), network to UE.
type IdentityRequest struct {
	IdentityType IdentityType2 // bits 4-1 (bits 8-5 spare)
	Extra        []RawIE
}

// identityRequestDesc is TS 24.301 table 8.2.18.1.
var identityRequestDesc = descOf[IdentityRequest]{Type: TypeIdentityRequest, Dir: Downlink, IEs: []IE{
	{Name: "identity type", Format: FormatV, Presence: Mandatory, Field: "IdentityType"},
	{Name: "spare half octet", Format: FormatV, Presence: Mandatory},
}}

// IdentityResponse is IDENTITY RESPONSE (TS 24.301 §8.2.19), UE to network.
type IdentityResponse struct {
	Identity MobileIdentity
	Extra    []RawIE
}

// identityResponseDesc is TS 24.301 table 8.2.19.1.
var identityResponseDesc = descOf[IdentityResponse]{Type: TypeIdentityResponse, Dir: Uplink, IEs: []IE{
	{Name: "mobile identity", Format: FormatLV, Presence: Mandatory, Field: "Identity"},
}}

// GUTIReallocationCommand is GUTI REALLOCATION COMMAND (TS 24.301
// §8.2.16), network to UE.
type GUTIReallocationCommand struct {
	GUTI    EPSMobileIdentity
	TAIList *TAIList
	DCNID   []byte
	Extra   []RawIE
}

// gutiReallocationCommandDesc is TS 24.301 table 8.2.16.1.
var gutiReallocationCommandDesc = descOf[GUTIReallocationCommand]{Type: TypeGUTIReallocationCommand, Dir: Downlink, IEs: []IE{
	{Name: "GUTI", Format: FormatLV, Presence: Mandatory, Field: "GUTI"},
	{IEI: 0x54, Name: "TAI list", Format: FormatTLV, Presence: Optional, Field: "TAIList"},
	{IEI: 0x65, Name: "DCN-ID", Format: FormatTLV, Presence: Optional, Field: "DCNID"},
}}

// GUTIReallocationComplete is GUTI REALLOCATION COMPLETE (TS 24.301
// §8.2.17), UE to network.
type GUTIReallocationComplete struct {
	Extra []RawIE
}

// gutiReallocationCompleteDesc is TS 24.301 table 8.2.17.1.
var gutiReallocationCompleteDesc = descOf[GUTIReallocationComplete]{Type: TypeGUTIReallocationComplete, Dir: Uplink}
