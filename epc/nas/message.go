package nas

import "fmt"

// Message is a decoded EPS NAS message: a plain EMM or ESM message, a
// security-protected NAS message or the SERVICE REQUEST.
type Message interface {
	// MarshalLen is the length of the encoding in octets.
	MarshalLen() int
	// MarshalTo writes the encoding into b and returns the octets written.
	MarshalTo(b []byte) (int, error)
	// Marshal returns the encoding.
	Marshal() ([]byte, error)
	// UnmarshalBinary decodes b (copied; slices in the message alias the
	// copy, not b).
	UnmarshalBinary(b []byte) error
	// MessageTypeName is the message's name as TS 24.301 §8 writes it.
	MessageTypeName() string
}

// ProtocolDiscriminator is bits 4-1 of the first octet (TS 24.007 §11.2.3.1.1).
type ProtocolDiscriminator uint8

// Protocol discriminators of EPS NAS.
const (
	PDESM ProtocolDiscriminator = 0x2 // EPS session management
	PDEMM ProtocolDiscriminator = 0x7 // EPS mobility management
)

func (p ProtocolDiscriminator) String() string {
	switch p {
	case PDESM:
		return "ESM"
	case PDEMM:
		return "EMM"
	}
	return fmt.Sprintf("PD(%d)", uint8(p))
}

// SecurityHeaderType is bits 8-5 of the first octet of an EMM message
// (TS 24.301 §9.3.1).
type SecurityHeaderType uint8

// Security header types (TS 24.301 table 9.3.1).
const (
	PlainNAS                         SecurityHeaderType = 0
	IntegrityProtected               SecurityHeaderType = 1
	IntegrityProtectedCiphered       SecurityHeaderType = 2
	IntegrityProtectedNewContext     SecurityHeaderType = 3
	IntegrityProtectedCipheredNew    SecurityHeaderType = 4
	IntegrityProtectedPartlyCiphered SecurityHeaderType = 5  // CONTROL PLANE SERVICE REQUEST only
	ServiceRequestHeader             SecurityHeaderType = 12 // 1101-1111 are "interpreted as 1100"
)

func (s SecurityHeaderType) String() string {
	switch s {
	case PlainNAS:
		return "plain NAS message"
	case IntegrityProtected:
		return "integrity protected"
	case IntegrityProtectedCiphered:
		return "integrity protected and ciphered"
	case IntegrityProtectedNewContext:
		return "integrity protected with new EPS security context"
	case IntegrityProtectedCipheredNew:
		return "integrity protected and ciphered with new EPS security context"
	case IntegrityProtectedPartlyCiphered:
		return "integrity protected and partially ciphered"
	}
	if s >= ServiceRequestHeader {
		return "security header for the SERVICE REQUEST message"
	}
	return fmt.Sprintf("reserved security header type %d", uint8(s))
}

// MessageType is the message type octet (TS 24.301 §9.8).
type MessageType uint8

// EMM message types (TS 24.301 table 9.8.1).
const (
	TypeAttachRequest               MessageType = 0x41
	TypeAttachAccept                MessageType = 0x42
	TypeAttachComplete              MessageType = 0x43
	TypeAttachReject                MessageType = 0x44
	TypeDetachRequest               MessageType = 0x45
	TypeDetachAccept                MessageType = 0x46
	TypeTrackingAreaUpdateRequest   MessageType = 0x48
	TypeTrackingAreaUpdateAccept    MessageType = 0x49
	TypeTrackingAreaUpdateComplete  MessageType = 0x4a
	TypeTrackingAreaUpdateReject    MessageType = 0x4b
	TypeExtendedServiceRequest      MessageType = 0x4c
	TypeControlPlaneServiceRequest  MessageType = 0x4d
	TypeServiceReject               MessageType = 0x4e
	TypeServiceAccept               MessageType = 0x4f
	TypeGUTIReallocationCommand     MessageType = 0x50
	TypeGUTIReallocationComplete    MessageType = 0x51
	TypeAuthenticationRequest       MessageType = 0x52
	TypeAuthenticationResponse      MessageType = 0x53
	TypeAuthenticationReject        MessageType = 0x54
	TypeIdentityRequest             MessageType = 0x55
	TypeIdentityResponse            MessageType = 0x56
	TypeAuthenticationFailure       MessageType = 0x5c
	TypeSecurityModeCommand         MessageType = 0x5d
	TypeSecurityModeComplete        MessageType = 0x5e
	TypeSecurityModeReject          MessageType = 0x5f
	TypeEMMStatus                   MessageType = 0x60
	TypeEMMInformation              MessageType = 0x61
	TypeDownlinkNASTransport        MessageType = 0x62
	TypeUplinkNASTransport          MessageType = 0x63
	TypeCSServiceNotification       MessageType = 0x64
	TypeDownlinkGenericNASTransport MessageType = 0x68
	TypeUplinkGenericNASTransport   MessageType = 0x69
)

// ESM message types (TS 24.301 table 9.8.2).
const (
	TypeActivateDefaultEPSBearerContextRequest   MessageType = 0xc1
	TypeActivateDefaultEPSBearerContextAccept    MessageType = 0xc2
	TypeActivateDefaultEPSBearerContextReject    MessageType = 0xc3
	TypeActivateDedicatedEPSBearerContextRequest MessageType = 0xc5
	TypeActivateDedicatedEPSBearerContextAccept  MessageType = 0xc6
	TypeActivateDedicatedEPSBearerContextReject  MessageType = 0xc7
	TypeModifyEPSBearerContextRequest            MessageType = 0xc9
	TypeModifyEPSBearerContextAccept             MessageType = 0xca
	TypeModifyEPSBearerContextReject             MessageType = 0xcb
	TypeDeactivateEPSBearerContextRequest        MessageType = 0xcd
	TypeDeactivateEPSBearerContextAccept         MessageType = 0xce
	TypePDNConnectivityRequest                   MessageType = 0xd0
	TypePDNConnectivityReject                    MessageType = 0xd1
	TypePDNDisconnectRequest                     MessageType = 0xd2
	TypePDNDisconnectReject                      MessageType = 0xd3
	TypeBearerResourceAllocationRequest          MessageType = 0xd4
	TypeBearerResourceAllocationReject           MessageType = 0xd5
	TypeBearerResourceModificationRequest        MessageType = 0xd6
	TypeBearerResourceModificationReject         MessageType = 0xd7
	TypeESMInformationRequest                    MessageType = 0xd9
	TypeESMInformationResponse                   MessageType = 0xda
	TypeNotification                             MessageType = 0xdb
	TypeESMDummyMessage                          MessageType = 0xdc
	TypeESMStatus                                MessageType = 0xe8
	TypeRemoteUEReport                           MessageType = 0xe9
	TypeRemoteUEReportResponse                   MessageType = 0xea
	TypeESMDataTransport                         MessageType = 0xeb
)

var messageNames = map[MessageType]string{
	TypeAttachRequest:                            "Attach request",
	TypeAttachAccept:                             "Attach accept",
	TypeAttachComplete:                           "Attach complete",
	TypeAttachReject:                             "Attach reject",
	TypeDetachRequest:                            "Detach request",
	TypeDetachAccept:                             "Detach accept",
	TypeTrackingAreaUpdateRequest:                "Tracking area update request",
	TypeTrackingAreaUpdateAccept:                 "Tracking area update accept",
	TypeTrackingAreaUpdateComplete:               "Tracking area update complete",
	TypeTrackingAreaUpdateReject:                 "Tracking area update reject",
	TypeExtendedServiceRequest:                   "Extended service request",
	TypeControlPlaneServiceRequest:               "Control plane service request",
	TypeServiceReject:                            "Service reject",
	TypeServiceAccept:                            "Service accept",
	TypeGUTIReallocationCommand:                  "GUTI reallocation command",
	TypeGUTIReallocationComplete:                 "GUTI reallocation complete",
	TypeAuthenticationRequest:                    "Authentication request",
	TypeAuthenticationResponse:                   "Authentication response",
	TypeAuthenticationReject:                     "Authentication reject",
	TypeIdentityRequest:                          "Identity request",
	TypeIdentityResponse:                         "Identity response",
	TypeAuthenticationFailure:                    "Authentication failure",
	TypeSecurityModeCommand:                      "Security mode command",
	TypeSecurityModeComplete:                     "Security mode complete",
	TypeSecurityModeReject:                       "Security mode reject",
	TypeEMMStatus:                                "EMM status",
	TypeEMMInformation:                           "EMM information",
	TypeDownlinkNASTransport:                     "Downlink NAS transport",
	TypeUplinkNASTransport:                       "Uplink NAS transport",
	TypeCSServiceNotification:                    "CS service notification",
	TypeDownlinkGenericNASTransport:              "Downlink generic NAS transport",
	TypeUplinkGenericNASTransport:                "Uplink generic NAS transport",
	TypeActivateDefaultEPSBearerContextRequest:   "Activate default EPS bearer context request",
	TypeActivateDefaultEPSBearerContextAccept:    "Activate default EPS bearer context accept",
	TypeActivateDefaultEPSBearerContextReject:    "Activate default EPS bearer context reject",
	TypeActivateDedicatedEPSBearerContextRequest: "Activate dedicated EPS bearer context request",
	TypeActivateDedicatedEPSBearerContextAccept:  "Activate dedicated EPS bearer context accept",
	TypeActivateDedicatedEPSBearerContextReject:  "Activate dedicated EPS bearer context reject",
	TypeModifyEPSBearerContextRequest:            "Modify EPS bearer context request",
	TypeModifyEPSBearerContextAccept:             "Modify EPS bearer context accept",
	TypeModifyEPSBearerContextReject:             "Modify EPS bearer context reject",
	TypeDeactivateEPSBearerContextRequest:        "Deactivate EPS bearer context request",
	TypeDeactivateEPSBearerContextAccept:         "Deactivate EPS bearer context accept",
	TypePDNConnectivityRequest:                   "PDN connectivity request",
	TypePDNConnectivityReject:                    "PDN connectivity reject",
	TypePDNDisconnectRequest:                     "PDN disconnect request",
	TypePDNDisconnectReject:                      "PDN disconnect reject",
	TypeBearerResourceAllocationRequest:          "Bearer resource allocation request",
	TypeBearerResourceAllocationReject:           "Bearer resource allocation reject",
	TypeBearerResourceModificationRequest:        "Bearer resource modification request",
	TypeBearerResourceModificationReject:         "Bearer resource modification reject",
	TypeESMInformationRequest:                    "ESM information request",
	TypeESMInformationResponse:                   "ESM information response",
	TypeNotification:                             "Notification",
	TypeESMDummyMessage:                          "ESM dummy message",
	TypeESMStatus:                                "ESM status",
	TypeRemoteUEReport:                           "Remote UE report",
	TypeRemoteUEReportResponse:                   "Remote UE report response",
	TypeESMDataTransport:                         "ESM data transport",
}

// messageNameTable is messageNames indexed by type (a map lookup per
// message parsed or named showed in profiles).
var messageNameTable = func() (t [256]string) {
	for k, v := range messageNames {
		t[k] = v
	}
	return t
}()

func (t MessageType) String() string {
	if s := messageNameTable[t]; s != "" {
		return s
	}
	return fmt.Sprintf("message type 0x%02x", uint8(t))
}

// Defined reports whether TS 24.301 §9.8 defines t.
func (t MessageType) Defined() bool { return messageNameTable[t] != "" }

// PD is the protocol discriminator of a defined message type (EMM types are
// below 0x80, ESM types above).
func (t MessageType) PD() ProtocolDiscriminator {
	if t >= 0x80 {
		return PDESM
	}
	return PDEMM
}

// ESMHeader is the header of every ESM message (TS 24.301 §9.3.2, §9.4).
type ESMHeader struct {
	// EBI is the EPS bearer identity (bits 8-5 of octet 1; 0 = no EPS
	// bearer identity assigned).
	EBI uint8
	// PTI is the procedure transaction identity (0 = none assigned).
	PTI uint8
}

func (h *ESMHeader) encodeHeader(e *encoder, t MessageType) {
	e.u8(h.EBI<<4 | uint8(PDESM))
	e.u8(h.PTI)
	e.u8(uint8(t))
}

func (h *ESMHeader) decodeHeader(d *decoder, t MessageType) bool {
	if !d.need(3) {
		return false
	}
	b := d.b[d.off:]
	if b[0]&0x0f != uint8(PDESM) || MessageType(b[2]) != t {
		d.fail(ErrMessageMismatch)
		return false
	}
	h.EBI, h.PTI = b[0]>>4, b[1]
	d.off += 3
	return true
}

func encodeEMMHeader(e *encoder, t MessageType) {
	e.u8(uint8(PDEMM))
	e.u8(uint8(t))
}

func decodeEMMHeader(d *decoder, t MessageType) bool {
	if !d.need(2) {
		return false
	}
	if d.b[d.off] != uint8(PDEMM) || MessageType(d.b[d.off+1]) != t {
		d.fail(ErrMessageMismatch)
		return false
	}
	d.off += 2
	return true
}
