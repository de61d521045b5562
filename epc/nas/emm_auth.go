package nas

// AuthenticationRequest is AUTHENTICATION REQUEST (TS 24.301 §8.2.7),
// network to UE.
type AuthenticationRequest struct {
	KSI   NASKeySetIdentifier // NAS key set identifierASME, bits 4-1 (bits 8-5 spare)
	RAND  [16]byte            // §9.9.3.3 (TS 24.008 §10.5.3.1), V 16
	AUTN  []byte              // §9.9.3.2 (TS 24.008 §10.5.3.1.1), LV, 16 octets
	Extra []RawIE
}

// authenticationRequestDesc is TS 24.301 table 8.2.7.1.
var authenticationRequestDesc = descOf[AuthenticationRequest]{Type: TypeAuthenticationRequest, Dir: Downlink, IEs: []IE{
	{Name: "NAS key set identifier", Format: FormatV, Presence: Mandatory, Field: "KSI"},
	{Name: "spare half octet", Format: FormatV, Presence: Mandatory},
	{Name: "authentication parameter RAND", Format: FormatV, Presence: Mandatory, Len: 16, Field: "RAND"},
	{Name: "authentication parameter AUTN", Format: FormatLV, Presence: Mandatory, Field: "AUTN"},
}}

// AuthenticationResponse is AUTHENTICATION RESPONSE (TS 24.301 §8.2.8),
// UE to network.
type AuthenticationResponse struct {
	RES   []byte // authentication response parameter, §9.9.3.4, LV 4-16 octets
	Extra []RawIE
}

// authenticationResponseDesc is TS 24.301 table 8.2.8.1.
var authenticationResponseDesc = descOf[AuthenticationResponse]{Type: TypeAuthenticationResponse, Dir: Uplink, IEs: []IE{
	{Name: "authentication response parameter", Format: FormatLV, Presence: Mandatory, Field: "RES"},
}}

// AuthenticationReject is AUTHENTICATION REJECT (TS 24.301 §8.2.6),
// network to UE.
type AuthenticationReject struct {
	Extra []RawIE
}

// authenticationRejectDesc is TS 24.301 table 8.2.6.1.
var authenticationRejectDesc = descOf[AuthenticationReject]{Type: TypeAuthenticationReject, Dir: Downlink}

// AuthenticationFailure is AUTHENTICATION FAILURE (TS 24.301 §8.2.5), UE
// to network.
type AuthenticationFailure struct {
	Cause EMMCause
	// AUTS is the authentication failure parameter (0x30 TLV, TS 24.008
	// §10.5.3.2.2), sent with cause #21 synch failure.
	AUTS  []byte
	Extra []RawIE
}

// authenticationFailureDesc is TS 24.301 table 8.2.5.1.
var authenticationFailureDesc = descOf[AuthenticationFailure]{Type: TypeAuthenticationFailure, Dir: Uplink, IEs: []IE{
	{Name: "EMM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x30, Name: "authentication failure parameter", Format: FormatTLV, Presence: Optional, Field: "AUTS"},
}}
