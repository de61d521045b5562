package nas

// ServiceRequest is SERVICE REQUEST (TS 24.301 §8.2.25): the 4-octet
// message identified by security header type 1100 instead of a message
// type (§9.3.1); it has no IE grammar, so it takes no optional IEs.
type ServiceRequest struct {
	// HeaderType is the security header type as received, 12 to 15
	// (1101-1111 are "interpreted as 1100"); 0 is written as 12.
	HeaderType     SecurityHeaderType
	KSI            uint8  // bits 8-6 of octet 2 (§9.9.3.19)
	SequenceNumber uint8  // bits 5-1 of octet 2: the 5 LSBs of the NAS COUNT
	ShortMAC       uint16 // §9.9.3.28
}

// serviceRequestDesc is TS 24.301 table 8.2.25.1.
var serviceRequestDesc = descOf[ServiceRequest]{Name: "Service request", Dir: Uplink, Custom: true, IEs: []IE{
	{Name: "KSI and sequence number", Format: FormatV, Presence: Mandatory, Len: 1},
	{Name: "short MAC", Format: FormatV, Presence: Mandatory, Len: 2, Field: "ShortMAC"},
}}

func (m *ServiceRequest) encode(e *encoder) {
	h := m.HeaderType
	if h == 0 {
		h = ServiceRequestHeader
	}
	if h < ServiceRequestHeader || h > 15 {
		e.fail(invalidf("service request security header type %d", h))
	}
	if m.KSI > 7 || m.SequenceNumber > 31 {
		e.fail(invalidf("service request KSI %d / sequence number %d", m.KSI, m.SequenceNumber))
	}
	e.u8(uint8(h)<<4 | uint8(PDEMM))
	e.u8(m.KSI<<5 | m.SequenceNumber&0x1f)
	e.u16(m.ShortMAC)
}

func (m *ServiceRequest) decode(d *decoder) {
	if !d.need(1) {
		return
	}
	h := d.b[d.off]
	if h&0x0f != uint8(PDEMM) || SecurityHeaderType(h>>4) < ServiceRequestHeader {
		d.fail(ErrMessageMismatch)
		return
	}
	d.off++
	m.HeaderType = SecurityHeaderType(h >> 4)
	o := d.v1("KSI and sequence number")
	m.KSI, m.SequenceNumber = o>>5, o&0x1f
	if d.err == nil && d.left() == 0 {
		d.fail(&MissingIEError{Name: "short MAC"})
	}
	m.ShortMAC = d.u16()
	if d.err == nil && d.left() > 0 {
		d.fail(ErrTrailingData)
	}
}

// ExtendedServiceRequest is EXTENDED SERVICE REQUEST (TS 24.301 §8.2.15),
// UE to network.
type ExtendedServiceRequest struct {
	ServiceType            ServiceType         // half octet, bits 4-1
	KSI                    NASKeySetIdentifier // half octet, bits 8-5
	MTMSI                  MobileIdentity      // M-TMSI
	CSFBResponse           *uint8
	EPSBearerContextStatus *EPSBearerContextStatus
	DeviceProperties       *uint8
	Extra                  []RawIE
}

// extendedServiceRequestDesc is TS 24.301 table 8.2.15.1.
var extendedServiceRequestDesc = descOf[ExtendedServiceRequest]{Type: TypeExtendedServiceRequest, Dir: Uplink, IEs: []IE{
	{Name: "service type", Format: FormatV, Presence: Mandatory, Field: "ServiceType"},
	{Name: "NAS key set identifier", Format: FormatV, Presence: Mandatory, Field: "KSI"},
	{Name: "M-TMSI", Format: FormatLV, Presence: Mandatory, Field: "MTMSI"},
	{IEI: 0xb0, Name: "CSFB response", Format: FormatTV, Presence: Optional, Len: 1, Field: "CSFBResponse"},
	{IEI: 0x57, Name: "EPS bearer context status", Format: FormatTLV, Presence: Optional, Field: "EPSBearerContextStatus"},
	{IEI: 0xd0, Name: "device properties", Format: FormatTV, Presence: Optional, Len: 1, Field: "DeviceProperties"},
}}

// ControlPlaneServiceRequest is CONTROL PLANE SERVICE REQUEST
// (TS 24.301 §8.2.33), UE to network: the control plane CIoT EPS
// optimization's way to send data (in an ESM DATA TRANSPORT inside the ESM
// message container) or SMS (NAS message container) from idle mode.
type ControlPlaneServiceRequest struct {
	ServiceType ControlPlaneServiceType // half octet, bits 4-1 (bit 4 active flag)
	KSI         NASKeySetIdentifier     // half octet, bits 8-5

	ESMMessageContainer    []byte
	NASMessageContainer    []byte
	EPSBearerContextStatus *EPSBearerContextStatus
	DeviceProperties       *uint8
	Extra                  []RawIE
}

// controlPlaneServiceRequestDesc is TS 24.301 table 8.2.33.1.
var controlPlaneServiceRequestDesc = descOf[ControlPlaneServiceRequest]{Type: TypeControlPlaneServiceRequest, Dir: Uplink, IEs: []IE{
	{Name: "control plane service type", Format: FormatV, Presence: Mandatory, Field: "ServiceType"},
	{Name: "NAS key set identifier", Format: FormatV, Presence: Mandatory, Field: "KSI"},
	{IEI: 0x78, Name: "ESM message container", Format: FormatTLVE, Presence: Optional, Field: "ESMMessageContainer"},
	{IEI: 0x67, Name: "NAS message container", Format: FormatTLV, Presence: Optional, Field: "NASMessageContainer"},
	{IEI: 0x57, Name: "EPS bearer context status", Format: FormatTLV, Presence: Optional, Field: "EPSBearerContextStatus"},
	{IEI: 0xd0, Name: "device properties", Format: FormatTV, Presence: Optional, Len: 1, Field: "DeviceProperties"},
}}

// ServiceReject is SERVICE REJECT (TS 24.301 §8.2.24), network to UE.
type ServiceReject struct {
	Cause EMMCause
	T3442 *GPRSTimer
	T3346 *GPRSTimer2
	T3448 *GPRSTimer2
	Extra []RawIE
}

// serviceRejectDesc is TS 24.301 table 8.2.24.1.
var serviceRejectDesc = descOf[ServiceReject]{Type: TypeServiceReject, Dir: Downlink, IEs: []IE{
	{Name: "EMM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x5b, Name: "T3442 value", Format: FormatTV, Presence: Optional, Len: 2, Field: "T3442"},
	{IEI: 0x5f, Name: "T3346 value", Format: FormatTLV, Presence: Optional, Field: "T3346"},
	{IEI: 0x6b, Name: "T3448 value", Format: FormatTLV, Presence: Optional, Field: "T3448"},
}}

// ServiceAccept is SERVICE ACCEPT (TS 24.301 §8.2.34), network to UE (the
// answer to a CONTROL PLANE SERVICE REQUEST or EXTENDED SERVICE REQUEST
// for packet services).
type ServiceAccept struct {
	EPSBearerContextStatus *EPSBearerContextStatus
	T3448                  *GPRSTimer2
	Extra                  []RawIE
}

// serviceAcceptDesc is TS 24.301 table 8.2.34.1.
var serviceAcceptDesc = descOf[ServiceAccept]{Type: TypeServiceAccept, Dir: Downlink, IEs: []IE{
	{IEI: 0x57, Name: "EPS bearer context status", Format: FormatTLV, Presence: Optional, Field: "EPSBearerContextStatus"},
	{IEI: 0x6b, Name: "T3448 value", Format: FormatTLV, Presence: Optional, Field: "T3448"},
}}
