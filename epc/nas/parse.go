package nas

// Direction tells Parse which way a message travels. Only DETACH REQUEST
// needs it (the same message type has a UE form and a network form).
type Direction uint8

// Directions.
const (
	DirectionUnknown Direction = iota
	Uplink                     // UE to network
	Downlink                   // network to UE
)

// message is what every decoded message implements.
type message interface {
	Message
	encodable
	decode(d *decoder)
}

// Parse decodes an EPS NAS message of unknown direction: a plain EMM or
// ESM message (TS 24.301 §8), a security protected NAS message (§9.1) or
// a SERVICE REQUEST (§8.2.25). It dispatches on the protocol
// discriminator, the security header type and the message type. A DETACH
// REQUEST is taken as sent by the UE when it decodes as such, else as
// sent by the network. b is copied; slices in the message alias the copy.
func Parse(b []byte) (Message, error) { return ParseDirection(b, DirectionUnknown) }

// ParseDirection is Parse for a known direction.
func ParseDirection(b []byte, dir Direction) (Message, error) {
	if len(b) == 0 {
		return nil, ErrEmpty
	}
	b = append(make([]byte, 0, len(b)), b...)
	pd := ProtocolDiscriminator(b[0] & 0x0f)
	if pd == PDEMM {
		h := SecurityHeaderType(b[0] >> 4)
		var m message
		switch {
		case h == PlainNAS:
			return parsePlain(b, dir)
		case h <= IntegrityProtectedPartlyCiphered:
			m = new(SecurityProtected)
		case h >= ServiceRequestHeader:
			m = new(ServiceRequest)
		default:
			return nil, ProtocolError{PD: pd, SecurityHeader: h}
		}
		return decodeMessage(m, b, dir)
	}
	return parsePlain(b, dir)
}

// parsePlain decodes a plain EMM or ESM message in place (b is not copied).
func parsePlain(b []byte, dir Direction) (Message, error) {
	if len(b) == 0 {
		return nil, ErrEmpty
	}
	pd := ProtocolDiscriminator(b[0] & 0x0f)
	var t MessageType
	switch pd {
	case PDEMM:
		if h := SecurityHeaderType(b[0] >> 4); h != PlainNAS {
			return nil, ProtocolError{PD: pd, SecurityHeader: h}
		}
		if len(b) < 2 {
			return nil, &TruncatedError{Offset: 1, Want: 1}
		}
		t = MessageType(b[1])
	case PDESM:
		if len(b) < 3 {
			return nil, &TruncatedError{Offset: len(b), Want: 3 - len(b)}
		}
		t = MessageType(b[2])
	default:
		return nil, ProtocolError{PD: pd}
	}
	if !t.Defined() || t.PD() != pd {
		return nil, UnknownMessageError{PD: pd, Type: t}
	}
	if t == TypeDetachRequest {
		switch dir {
		case Uplink:
			return decodeMessage(new(DetachRequest), b, dir)
		case Downlink:
			return decodeMessage(new(NetworkDetachRequest), b, dir)
		}
		if m, err := decodeMessage(new(DetachRequest), b, dir); err == nil {
			return m, nil
		}
		return decodeMessage(new(NetworkDetachRequest), b, dir)
	}
	return decodeMessage(newMessage(t), b, dir)
}

func decodeMessage(m message, b []byte, dir Direction) (Message, error) {
	if err := runDecode(m, b, dir); err != nil {
		return nil, err
	}
	return m, nil
}

// newMessage returns the model of a defined plain message type, or a
// RawMessage.
func newMessage(t MessageType) message {
	switch t {
	case TypeAttachRequest:
		return new(AttachRequest)
	case TypeAttachAccept:
		return new(AttachAccept)
	case TypeAttachComplete:
		return new(AttachComplete)
	case TypeAttachReject:
		return new(AttachReject)
	case TypeDetachAccept:
		return new(DetachAccept)
	case TypeTrackingAreaUpdateRequest:
		return new(TrackingAreaUpdateRequest)
	case TypeTrackingAreaUpdateAccept:
		return new(TrackingAreaUpdateAccept)
	case TypeTrackingAreaUpdateComplete:
		return new(TrackingAreaUpdateComplete)
	case TypeTrackingAreaUpdateReject:
		return new(TrackingAreaUpdateReject)
	case TypeExtendedServiceRequest:
		return new(ExtendedServiceRequest)
	case TypeControlPlaneServiceRequest:
		return new(ControlPlaneServiceRequest)
	case TypeServiceReject:
		return new(ServiceReject)
	case TypeServiceAccept:
		return new(ServiceAccept)
	case TypeGUTIReallocationCommand:
		return new(GUTIReallocationCommand)
	case TypeGUTIReallocationComplete:
		return new(GUTIReallocationComplete)
	case TypeAuthenticationRequest:
		return new(AuthenticationRequest)
	case TypeAuthenticationResponse:
		return new(AuthenticationResponse)
	case TypeAuthenticationReject:
		return new(AuthenticationReject)
	case TypeAuthenticationFailure:
		return new(AuthenticationFailure)
	case TypeIdentityRequest:
		return new(IdentityRequest)
	case TypeIdentityResponse:
		return new(IdentityResponse)
	case TypeSecurityModeCommand:
		return new(SecurityModeCommand)
	case TypeSecurityModeComplete:
		return new(SecurityModeComplete)
	case TypeSecurityModeReject:
		return new(SecurityModeReject)
	case TypeEMMStatus:
		return new(EMMStatus)
	case TypeEMMInformation:
		return new(EMMInformation)
	case TypeDownlinkNASTransport:
		return new(DownlinkNASTransport)
	case TypeUplinkNASTransport:
		return new(UplinkNASTransport)
	case TypeActivateDefaultEPSBearerContextRequest:
		return new(ActivateDefaultEPSBearerContextRequest)
	case TypeActivateDefaultEPSBearerContextAccept:
		return new(ActivateDefaultEPSBearerContextAccept)
	case TypeActivateDefaultEPSBearerContextReject:
		return new(ActivateDefaultEPSBearerContextReject)
	case TypeActivateDedicatedEPSBearerContextRequest:
		return new(ActivateDedicatedEPSBearerContextRequest)
	case TypeActivateDedicatedEPSBearerContextAccept:
		return new(ActivateDedicatedEPSBearerContextAccept)
	case TypeActivateDedicatedEPSBearerContextReject:
		return new(ActivateDedicatedEPSBearerContextReject)
	case TypeModifyEPSBearerContextRequest:
		return new(ModifyEPSBearerContextRequest)
	case TypeModifyEPSBearerContextAccept:
		return new(ModifyEPSBearerContextAccept)
	case TypeModifyEPSBearerContextReject:
		return new(ModifyEPSBearerContextReject)
	case TypeDeactivateEPSBearerContextRequest:
		return new(DeactivateEPSBearerContextRequest)
	case TypeDeactivateEPSBearerContextAccept:
		return new(DeactivateEPSBearerContextAccept)
	case TypePDNConnectivityRequest:
		return new(PDNConnectivityRequest)
	case TypePDNConnectivityReject:
		return new(PDNConnectivityReject)
	case TypePDNDisconnectRequest:
		return new(PDNDisconnectRequest)
	case TypePDNDisconnectReject:
		return new(PDNDisconnectReject)
	case TypeESMInformationRequest:
		return new(ESMInformationRequest)
	case TypeESMInformationResponse:
		return new(ESMInformationResponse)
	case TypeESMStatus:
		return new(ESMStatus)
	case TypeESMDataTransport:
		return new(ESMDataTransport)
	}
	return new(RawMessage)
}
