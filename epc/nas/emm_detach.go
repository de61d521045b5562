package nas

// DetachRequest is DETACH REQUEST sent by the UE (TS 24.301 §8.2.11.1).
// The network-originating form is NetworkDetachRequest; both have message
// type 0x45 (see ParseDirection).
type DetachRequest struct {
	DetachType DetachType          // half octet, bits 4-1 (bit 4 switch off)
	KSI        NASKeySetIdentifier // half octet, bits 8-5
	Identity   EPSMobileIdentity
	Extra      []RawIE
}

// detachRequestDesc is TS 24.301 table 8.2.11.1.1 (UE originating detach).
var detachRequestDesc = descOf[DetachRequest]{Type: TypeDetachRequest, Dir: Uplink, IEs: []IE{
	{Name: "detach type", Format: FormatV, Presence: Mandatory, Field: "DetachType"},
	{Name: "NAS key set identifier", Format: FormatV, Presence: Mandatory, Field: "KSI"},
	{Name: "EPS mobile identity", Format: FormatLV, Presence: Mandatory, Field: "Identity"},
}}

// NetworkDetachRequest is DETACH REQUEST sent by the network
// (TS 24.301 §8.2.11.2).
type NetworkDetachRequest struct {
	DetachType DetachType // half octet, bits 4-1 (bits 8-5 spare)
	EMMCause   *EMMCause
	Extra      []RawIE
}

// networkDetachRequestDesc is TS 24.301 table 8.2.11.2.1 (UE terminated detach).
var networkDetachRequestDesc = descOf[NetworkDetachRequest]{Type: TypeDetachRequest, Dir: Downlink, IEs: []IE{
	{Name: "detach type", Format: FormatV, Presence: Mandatory, Field: "DetachType"},
	{Name: "spare half octet", Format: FormatV, Presence: Mandatory},
	{IEI: 0x53, Name: "EMM cause", Format: FormatTV, Presence: Optional, Len: 2, Field: "EMMCause"},
}}

// DetachAccept is DETACH ACCEPT (TS 24.301 §8.2.10.1 and §8.2.10.2; the
// same in both directions).
type DetachAccept struct {
	Extra []RawIE
}

// detachAcceptDesc is TS 24.301 tables 8.2.10.1.1 and 8.2.10.2.1.
var detachAcceptDesc = descOf[DetachAccept]{Type: TypeDetachAccept, Dir: DirectionUnknown}
