package nas

// Marshal/Parse methods every message has (go-gtp style).

// MarshalLen is the length of the encoding in octets.
func (m *AttachRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *AttachRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *AttachRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *AttachRequest) UnmarshalBinary(b []byte) error { *m = AttachRequest{}; return unmarshal(m, b) }

// ParseAttachRequest decodes a AttachRequest (b is copied).
func ParseAttachRequest(b []byte) (*AttachRequest, error) {
	m := new(AttachRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeAttachRequest.
func (m *AttachRequest) MessageType() MessageType { return TypeAttachRequest }

// MessageTypeName is the message's name.
func (m *AttachRequest) MessageTypeName() string { return TypeAttachRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *AttachAccept) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *AttachAccept) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *AttachAccept) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *AttachAccept) UnmarshalBinary(b []byte) error { *m = AttachAccept{}; return unmarshal(m, b) }

// ParseAttachAccept decodes a AttachAccept (b is copied).
func ParseAttachAccept(b []byte) (*AttachAccept, error) {
	m := new(AttachAccept)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeAttachAccept.
func (m *AttachAccept) MessageType() MessageType { return TypeAttachAccept }

// MessageTypeName is the message's name.
func (m *AttachAccept) MessageTypeName() string { return TypeAttachAccept.String() }

// MarshalLen is the length of the encoding in octets.
func (m *AttachComplete) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *AttachComplete) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *AttachComplete) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *AttachComplete) UnmarshalBinary(b []byte) error {
	*m = AttachComplete{}
	return unmarshal(m, b)
}

// ParseAttachComplete decodes a AttachComplete (b is copied).
func ParseAttachComplete(b []byte) (*AttachComplete, error) {
	m := new(AttachComplete)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeAttachComplete.
func (m *AttachComplete) MessageType() MessageType { return TypeAttachComplete }

// MessageTypeName is the message's name.
func (m *AttachComplete) MessageTypeName() string { return TypeAttachComplete.String() }

// MarshalLen is the length of the encoding in octets.
func (m *AttachReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *AttachReject) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *AttachReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *AttachReject) UnmarshalBinary(b []byte) error { *m = AttachReject{}; return unmarshal(m, b) }

// ParseAttachReject decodes a AttachReject (b is copied).
func ParseAttachReject(b []byte) (*AttachReject, error) {
	m := new(AttachReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeAttachReject.
func (m *AttachReject) MessageType() MessageType { return TypeAttachReject }

// MessageTypeName is the message's name.
func (m *AttachReject) MessageTypeName() string { return TypeAttachReject.String() }

// MarshalLen is the length of the encoding in octets.
func (m *DetachRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *DetachRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *DetachRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *DetachRequest) UnmarshalBinary(b []byte) error { *m = DetachRequest{}; return unmarshal(m, b) }

// ParseDetachRequest decodes a DetachRequest (b is copied).
func ParseDetachRequest(b []byte) (*DetachRequest, error) {
	m := new(DetachRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeDetachRequest.
func (m *DetachRequest) MessageType() MessageType { return TypeDetachRequest }

// MessageTypeName is the message's name.
func (m *DetachRequest) MessageTypeName() string { return TypeDetachRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *NetworkDetachRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *NetworkDetachRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *NetworkDetachRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *NetworkDetachRequest) UnmarshalBinary(b []byte) error {
	*m = NetworkDetachRequest{}
	return unmarshal(m, b)
}

// ParseNetworkDetachRequest decodes a NetworkDetachRequest (b is copied).
func ParseNetworkDetachRequest(b []byte) (*NetworkDetachRequest, error) {
	m := new(NetworkDetachRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeDetachRequest.
func (m *NetworkDetachRequest) MessageType() MessageType { return TypeDetachRequest }

// MessageTypeName is the message's name.
func (m *NetworkDetachRequest) MessageTypeName() string { return TypeDetachRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *DetachAccept) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *DetachAccept) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *DetachAccept) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *DetachAccept) UnmarshalBinary(b []byte) error { *m = DetachAccept{}; return unmarshal(m, b) }

// ParseDetachAccept decodes a DetachAccept (b is copied).
func ParseDetachAccept(b []byte) (*DetachAccept, error) {
	m := new(DetachAccept)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeDetachAccept.
func (m *DetachAccept) MessageType() MessageType { return TypeDetachAccept }

// MessageTypeName is the message's name.
func (m *DetachAccept) MessageTypeName() string { return TypeDetachAccept.String() }

// MarshalLen is the length of the encoding in octets.
func (m *TrackingAreaUpdateRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *TrackingAreaUpdateRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *TrackingAreaUpdateRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *TrackingAreaUpdateRequest) UnmarshalBinary(b []byte) error {
	*m = TrackingAreaUpdateRequest{}
	return unmarshal(m, b)
}

// ParseTrackingAreaUpdateRequest decodes a TrackingAreaUpdateRequest (b is copied).
func ParseTrackingAreaUpdateRequest(b []byte) (*TrackingAreaUpdateRequest, error) {
	m := new(TrackingAreaUpdateRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeTrackingAreaUpdateRequest.
func (m *TrackingAreaUpdateRequest) MessageType() MessageType { return TypeTrackingAreaUpdateRequest }

// MessageTypeName is the message's name.
func (m *TrackingAreaUpdateRequest) MessageTypeName() string {
	return TypeTrackingAreaUpdateRequest.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *TrackingAreaUpdateAccept) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *TrackingAreaUpdateAccept) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *TrackingAreaUpdateAccept) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *TrackingAreaUpdateAccept) UnmarshalBinary(b []byte) error {
	*m = TrackingAreaUpdateAccept{}
	return unmarshal(m, b)
}

// ParseTrackingAreaUpdateAccept decodes a TrackingAreaUpdateAccept (b is copied).
func ParseTrackingAreaUpdateAccept(b []byte) (*TrackingAreaUpdateAccept, error) {
	m := new(TrackingAreaUpdateAccept)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeTrackingAreaUpdateAccept.
func (m *TrackingAreaUpdateAccept) MessageType() MessageType { return TypeTrackingAreaUpdateAccept }

// MessageTypeName is the message's name.
func (m *TrackingAreaUpdateAccept) MessageTypeName() string {
	return TypeTrackingAreaUpdateAccept.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *TrackingAreaUpdateComplete) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *TrackingAreaUpdateComplete) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *TrackingAreaUpdateComplete) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *TrackingAreaUpdateComplete) UnmarshalBinary(b []byte) error {
	*m = TrackingAreaUpdateComplete{}
	return unmarshal(m, b)
}

// ParseTrackingAreaUpdateComplete decodes a TrackingAreaUpdateComplete (b is copied).
func ParseTrackingAreaUpdateComplete(b []byte) (*TrackingAreaUpdateComplete, error) {
	m := new(TrackingAreaUpdateComplete)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeTrackingAreaUpdateComplete.
func (m *TrackingAreaUpdateComplete) MessageType() MessageType { return TypeTrackingAreaUpdateComplete }

// MessageTypeName is the message's name.
func (m *TrackingAreaUpdateComplete) MessageTypeName() string {
	return TypeTrackingAreaUpdateComplete.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *TrackingAreaUpdateReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *TrackingAreaUpdateReject) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *TrackingAreaUpdateReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *TrackingAreaUpdateReject) UnmarshalBinary(b []byte) error {
	*m = TrackingAreaUpdateReject{}
	return unmarshal(m, b)
}

// ParseTrackingAreaUpdateReject decodes a TrackingAreaUpdateReject (b is copied).
func ParseTrackingAreaUpdateReject(b []byte) (*TrackingAreaUpdateReject, error) {
	m := new(TrackingAreaUpdateReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeTrackingAreaUpdateReject.
func (m *TrackingAreaUpdateReject) MessageType() MessageType { return TypeTrackingAreaUpdateReject }

// MessageTypeName is the message's name.
func (m *TrackingAreaUpdateReject) MessageTypeName() string {
	return TypeTrackingAreaUpdateReject.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ExtendedServiceRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ExtendedServiceRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ExtendedServiceRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ExtendedServiceRequest) UnmarshalBinary(b []byte) error {
	*m = ExtendedServiceRequest{}
	return unmarshal(m, b)
}

// ParseExtendedServiceRequest decodes a ExtendedServiceRequest (b is copied).
func ParseExtendedServiceRequest(b []byte) (*ExtendedServiceRequest, error) {
	m := new(ExtendedServiceRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeExtendedServiceRequest.
func (m *ExtendedServiceRequest) MessageType() MessageType { return TypeExtendedServiceRequest }

// MessageTypeName is the message's name.
func (m *ExtendedServiceRequest) MessageTypeName() string { return TypeExtendedServiceRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *ControlPlaneServiceRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ControlPlaneServiceRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ControlPlaneServiceRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ControlPlaneServiceRequest) UnmarshalBinary(b []byte) error {
	*m = ControlPlaneServiceRequest{}
	return unmarshal(m, b)
}

// ParseControlPlaneServiceRequest decodes a ControlPlaneServiceRequest (b is copied).
func ParseControlPlaneServiceRequest(b []byte) (*ControlPlaneServiceRequest, error) {
	m := new(ControlPlaneServiceRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeControlPlaneServiceRequest.
func (m *ControlPlaneServiceRequest) MessageType() MessageType { return TypeControlPlaneServiceRequest }

// MessageTypeName is the message's name.
func (m *ControlPlaneServiceRequest) MessageTypeName() string {
	return TypeControlPlaneServiceRequest.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ServiceReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ServiceReject) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ServiceReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ServiceReject) UnmarshalBinary(b []byte) error { *m = ServiceReject{}; return unmarshal(m, b) }

// ParseServiceReject decodes a ServiceReject (b is copied).
func ParseServiceReject(b []byte) (*ServiceReject, error) {
	m := new(ServiceReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeServiceReject.
func (m *ServiceReject) MessageType() MessageType { return TypeServiceReject }

// MessageTypeName is the message's name.
func (m *ServiceReject) MessageTypeName() string { return TypeServiceReject.String() }

// MarshalLen is the length of the encoding in octets.
func (m *ServiceAccept) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ServiceAccept) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ServiceAccept) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ServiceAccept) UnmarshalBinary(b []byte) error { *m = ServiceAccept{}; return unmarshal(m, b) }

// ParseServiceAccept decodes a ServiceAccept (b is copied).
func ParseServiceAccept(b []byte) (*ServiceAccept, error) {
	m := new(ServiceAccept)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeServiceAccept.
func (m *ServiceAccept) MessageType() MessageType { return TypeServiceAccept }

// MessageTypeName is the message's name.
func (m *ServiceAccept) MessageTypeName() string { return TypeServiceAccept.String() }

// MarshalLen is the length of the encoding in octets.
func (m *GUTIReallocationCommand) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *GUTIReallocationCommand) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *GUTIReallocationCommand) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *GUTIReallocationCommand) UnmarshalBinary(b []byte) error {
	*m = GUTIReallocationCommand{}
	return unmarshal(m, b)
}

// ParseGUTIReallocationCommand decodes a GUTIReallocationCommand (b is copied).
func ParseGUTIReallocationCommand(b []byte) (*GUTIReallocationCommand, error) {
	m := new(GUTIReallocationCommand)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeGUTIReallocationCommand.
func (m *GUTIReallocationCommand) MessageType() MessageType { return TypeGUTIReallocationCommand }

// MessageTypeName is the message's name.
func (m *GUTIReallocationCommand) MessageTypeName() string {
	return TypeGUTIReallocationCommand.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *GUTIReallocationComplete) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *GUTIReallocationComplete) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *GUTIReallocationComplete) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *GUTIReallocationComplete) UnmarshalBinary(b []byte) error {
	*m = GUTIReallocationComplete{}
	return unmarshal(m, b)
}

// ParseGUTIReallocationComplete decodes a GUTIReallocationComplete (b is copied).
func ParseGUTIReallocationComplete(b []byte) (*GUTIReallocationComplete, error) {
	m := new(GUTIReallocationComplete)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeGUTIReallocationComplete.
func (m *GUTIReallocationComplete) MessageType() MessageType { return TypeGUTIReallocationComplete }

// MessageTypeName is the message's name.
func (m *GUTIReallocationComplete) MessageTypeName() string {
	return TypeGUTIReallocationComplete.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *AuthenticationRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *AuthenticationRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *AuthenticationRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *AuthenticationRequest) UnmarshalBinary(b []byte) error {
	*m = AuthenticationRequest{}
	return unmarshal(m, b)
}

// ParseAuthenticationRequest decodes a AuthenticationRequest (b is copied).
func ParseAuthenticationRequest(b []byte) (*AuthenticationRequest, error) {
	m := new(AuthenticationRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeAuthenticationRequest.
func (m *AuthenticationRequest) MessageType() MessageType { return TypeAuthenticationRequest }

// MessageTypeName is the message's name.
func (m *AuthenticationRequest) MessageTypeName() string { return TypeAuthenticationRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *AuthenticationResponse) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *AuthenticationResponse) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *AuthenticationResponse) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *AuthenticationResponse) UnmarshalBinary(b []byte) error {
	*m = AuthenticationResponse{}
	return unmarshal(m, b)
}

// ParseAuthenticationResponse decodes a AuthenticationResponse (b is copied).
func ParseAuthenticationResponse(b []byte) (*AuthenticationResponse, error) {
	m := new(AuthenticationResponse)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeAuthenticationResponse.
func (m *AuthenticationResponse) MessageType() MessageType { return TypeAuthenticationResponse }

// MessageTypeName is the message's name.
func (m *AuthenticationResponse) MessageTypeName() string { return TypeAuthenticationResponse.String() }

// MarshalLen is the length of the encoding in octets.
func (m *AuthenticationReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *AuthenticationReject) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *AuthenticationReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *AuthenticationReject) UnmarshalBinary(b []byte) error {
	*m = AuthenticationReject{}
	return unmarshal(m, b)
}

// ParseAuthenticationReject decodes a AuthenticationReject (b is copied).
func ParseAuthenticationReject(b []byte) (*AuthenticationReject, error) {
	m := new(AuthenticationReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeAuthenticationReject.
func (m *AuthenticationReject) MessageType() MessageType { return TypeAuthenticationReject }

// MessageTypeName is the message's name.
func (m *AuthenticationReject) MessageTypeName() string { return TypeAuthenticationReject.String() }

// MarshalLen is the length of the encoding in octets.
func (m *AuthenticationFailure) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *AuthenticationFailure) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *AuthenticationFailure) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *AuthenticationFailure) UnmarshalBinary(b []byte) error {
	*m = AuthenticationFailure{}
	return unmarshal(m, b)
}

// ParseAuthenticationFailure decodes a AuthenticationFailure (b is copied).
func ParseAuthenticationFailure(b []byte) (*AuthenticationFailure, error) {
	m := new(AuthenticationFailure)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeAuthenticationFailure.
func (m *AuthenticationFailure) MessageType() MessageType { return TypeAuthenticationFailure }

// MessageTypeName is the message's name.
func (m *AuthenticationFailure) MessageTypeName() string { return TypeAuthenticationFailure.String() }

// MarshalLen is the length of the encoding in octets.
func (m *IdentityRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *IdentityRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *IdentityRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *IdentityRequest) UnmarshalBinary(b []byte) error {
	*m = IdentityRequest{}
	return unmarshal(m, b)
}

// ParseIdentityRequest decodes a IdentityRequest (b is copied).
func ParseIdentityRequest(b []byte) (*IdentityRequest, error) {
	m := new(IdentityRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeIdentityRequest.
func (m *IdentityRequest) MessageType() MessageType { return TypeIdentityRequest }

// MessageTypeName is the message's name.
func (m *IdentityRequest) MessageTypeName() string { return TypeIdentityRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *IdentityResponse) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *IdentityResponse) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *IdentityResponse) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *IdentityResponse) UnmarshalBinary(b []byte) error {
	*m = IdentityResponse{}
	return unmarshal(m, b)
}

// ParseIdentityResponse decodes a IdentityResponse (b is copied).
func ParseIdentityResponse(b []byte) (*IdentityResponse, error) {
	m := new(IdentityResponse)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeIdentityResponse.
func (m *IdentityResponse) MessageType() MessageType { return TypeIdentityResponse }

// MessageTypeName is the message's name.
func (m *IdentityResponse) MessageTypeName() string { return TypeIdentityResponse.String() }

// MarshalLen is the length of the encoding in octets.
func (m *SecurityModeCommand) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *SecurityModeCommand) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *SecurityModeCommand) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *SecurityModeCommand) UnmarshalBinary(b []byte) error {
	*m = SecurityModeCommand{}
	return unmarshal(m, b)
}

// ParseSecurityModeCommand decodes a SecurityModeCommand (b is copied).
func ParseSecurityModeCommand(b []byte) (*SecurityModeCommand, error) {
	m := new(SecurityModeCommand)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeSecurityModeCommand.
func (m *SecurityModeCommand) MessageType() MessageType { return TypeSecurityModeCommand }

// MessageTypeName is the message's name.
func (m *SecurityModeCommand) MessageTypeName() string { return TypeSecurityModeCommand.String() }

// MarshalLen is the length of the encoding in octets.
func (m *SecurityModeComplete) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *SecurityModeComplete) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *SecurityModeComplete) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *SecurityModeComplete) UnmarshalBinary(b []byte) error {
	*m = SecurityModeComplete{}
	return unmarshal(m, b)
}

// ParseSecurityModeComplete decodes a SecurityModeComplete (b is copied).
func ParseSecurityModeComplete(b []byte) (*SecurityModeComplete, error) {
	m := new(SecurityModeComplete)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeSecurityModeComplete.
func (m *SecurityModeComplete) MessageType() MessageType { return TypeSecurityModeComplete }

// MessageTypeName is the message's name.
func (m *SecurityModeComplete) MessageTypeName() string { return TypeSecurityModeComplete.String() }

// MarshalLen is the length of the encoding in octets.
func (m *SecurityModeReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *SecurityModeReject) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *SecurityModeReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *SecurityModeReject) UnmarshalBinary(b []byte) error {
	*m = SecurityModeReject{}
	return unmarshal(m, b)
}

// ParseSecurityModeReject decodes a SecurityModeReject (b is copied).
func ParseSecurityModeReject(b []byte) (*SecurityModeReject, error) {
	m := new(SecurityModeReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeSecurityModeReject.
func (m *SecurityModeReject) MessageType() MessageType { return TypeSecurityModeReject }

// MessageTypeName is the message's name.
func (m *SecurityModeReject) MessageTypeName() string { return TypeSecurityModeReject.String() }

// MarshalLen is the length of the encoding in octets.
func (m *EMMStatus) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *EMMStatus) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *EMMStatus) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *EMMStatus) UnmarshalBinary(b []byte) error { *m = EMMStatus{}; return unmarshal(m, b) }

// ParseEMMStatus decodes a EMMStatus (b is copied).
func ParseEMMStatus(b []byte) (*EMMStatus, error) {
	m := new(EMMStatus)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeEMMStatus.
func (m *EMMStatus) MessageType() MessageType { return TypeEMMStatus }

// MessageTypeName is the message's name.
func (m *EMMStatus) MessageTypeName() string { return TypeEMMStatus.String() }

// MarshalLen is the length of the encoding in octets.
func (m *EMMInformation) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *EMMInformation) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *EMMInformation) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *EMMInformation) UnmarshalBinary(b []byte) error {
	*m = EMMInformation{}
	return unmarshal(m, b)
}

// ParseEMMInformation decodes a EMMInformation (b is copied).
func ParseEMMInformation(b []byte) (*EMMInformation, error) {
	m := new(EMMInformation)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeEMMInformation.
func (m *EMMInformation) MessageType() MessageType { return TypeEMMInformation }

// MessageTypeName is the message's name.
func (m *EMMInformation) MessageTypeName() string { return TypeEMMInformation.String() }

// MarshalLen is the length of the encoding in octets.
func (m *DownlinkNASTransport) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *DownlinkNASTransport) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *DownlinkNASTransport) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *DownlinkNASTransport) UnmarshalBinary(b []byte) error {
	*m = DownlinkNASTransport{}
	return unmarshal(m, b)
}

// ParseDownlinkNASTransport decodes a DownlinkNASTransport (b is copied).
func ParseDownlinkNASTransport(b []byte) (*DownlinkNASTransport, error) {
	m := new(DownlinkNASTransport)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeDownlinkNASTransport.
func (m *DownlinkNASTransport) MessageType() MessageType { return TypeDownlinkNASTransport }

// MessageTypeName is the message's name.
func (m *DownlinkNASTransport) MessageTypeName() string { return TypeDownlinkNASTransport.String() }

// MarshalLen is the length of the encoding in octets.
func (m *UplinkNASTransport) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *UplinkNASTransport) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *UplinkNASTransport) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *UplinkNASTransport) UnmarshalBinary(b []byte) error {
	*m = UplinkNASTransport{}
	return unmarshal(m, b)
}

// ParseUplinkNASTransport decodes a UplinkNASTransport (b is copied).
func ParseUplinkNASTransport(b []byte) (*UplinkNASTransport, error) {
	m := new(UplinkNASTransport)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeUplinkNASTransport.
func (m *UplinkNASTransport) MessageType() MessageType { return TypeUplinkNASTransport }

// MessageTypeName is the message's name.
func (m *UplinkNASTransport) MessageTypeName() string { return TypeUplinkNASTransport.String() }

// MarshalLen is the length of the encoding in octets.
func (m *ActivateDefaultEPSBearerContextRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ActivateDefaultEPSBearerContextRequest) MarshalTo(b []byte) (int, error) {
	return marshalTo(m, b)
}

// Marshal returns the encoding.
func (m *ActivateDefaultEPSBearerContextRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ActivateDefaultEPSBearerContextRequest) UnmarshalBinary(b []byte) error {
	*m = ActivateDefaultEPSBearerContextRequest{}
	return unmarshal(m, b)
}

// ParseActivateDefaultEPSBearerContextRequest decodes a ActivateDefaultEPSBearerContextRequest (b is copied).
func ParseActivateDefaultEPSBearerContextRequest(b []byte) (*ActivateDefaultEPSBearerContextRequest, error) {
	m := new(ActivateDefaultEPSBearerContextRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeActivateDefaultEPSBearerContextRequest.
func (m *ActivateDefaultEPSBearerContextRequest) MessageType() MessageType {
	return TypeActivateDefaultEPSBearerContextRequest
}

// MessageTypeName is the message's name.
func (m *ActivateDefaultEPSBearerContextRequest) MessageTypeName() string {
	return TypeActivateDefaultEPSBearerContextRequest.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ActivateDefaultEPSBearerContextAccept) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ActivateDefaultEPSBearerContextAccept) MarshalTo(b []byte) (int, error) {
	return marshalTo(m, b)
}

// Marshal returns the encoding.
func (m *ActivateDefaultEPSBearerContextAccept) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ActivateDefaultEPSBearerContextAccept) UnmarshalBinary(b []byte) error {
	*m = ActivateDefaultEPSBearerContextAccept{}
	return unmarshal(m, b)
}

// ParseActivateDefaultEPSBearerContextAccept decodes a ActivateDefaultEPSBearerContextAccept (b is copied).
func ParseActivateDefaultEPSBearerContextAccept(b []byte) (*ActivateDefaultEPSBearerContextAccept, error) {
	m := new(ActivateDefaultEPSBearerContextAccept)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeActivateDefaultEPSBearerContextAccept.
func (m *ActivateDefaultEPSBearerContextAccept) MessageType() MessageType {
	return TypeActivateDefaultEPSBearerContextAccept
}

// MessageTypeName is the message's name.
func (m *ActivateDefaultEPSBearerContextAccept) MessageTypeName() string {
	return TypeActivateDefaultEPSBearerContextAccept.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ActivateDefaultEPSBearerContextReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ActivateDefaultEPSBearerContextReject) MarshalTo(b []byte) (int, error) {
	return marshalTo(m, b)
}

// Marshal returns the encoding.
func (m *ActivateDefaultEPSBearerContextReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ActivateDefaultEPSBearerContextReject) UnmarshalBinary(b []byte) error {
	*m = ActivateDefaultEPSBearerContextReject{}
	return unmarshal(m, b)
}

// ParseActivateDefaultEPSBearerContextReject decodes a ActivateDefaultEPSBearerContextReject (b is copied).
func ParseActivateDefaultEPSBearerContextReject(b []byte) (*ActivateDefaultEPSBearerContextReject, error) {
	m := new(ActivateDefaultEPSBearerContextReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeActivateDefaultEPSBearerContextReject.
func (m *ActivateDefaultEPSBearerContextReject) MessageType() MessageType {
	return TypeActivateDefaultEPSBearerContextReject
}

// MessageTypeName is the message's name.
func (m *ActivateDefaultEPSBearerContextReject) MessageTypeName() string {
	return TypeActivateDefaultEPSBearerContextReject.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ActivateDedicatedEPSBearerContextRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ActivateDedicatedEPSBearerContextRequest) MarshalTo(b []byte) (int, error) {
	return marshalTo(m, b)
}

// Marshal returns the encoding.
func (m *ActivateDedicatedEPSBearerContextRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ActivateDedicatedEPSBearerContextRequest) UnmarshalBinary(b []byte) error {
	*m = ActivateDedicatedEPSBearerContextRequest{}
	return unmarshal(m, b)
}

// ParseActivateDedicatedEPSBearerContextRequest decodes a ActivateDedicatedEPSBearerContextRequest (b is copied).
func ParseActivateDedicatedEPSBearerContextRequest(b []byte) (*ActivateDedicatedEPSBearerContextRequest, error) {
	m := new(ActivateDedicatedEPSBearerContextRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeActivateDedicatedEPSBearerContextRequest.
func (m *ActivateDedicatedEPSBearerContextRequest) MessageType() MessageType {
	return TypeActivateDedicatedEPSBearerContextRequest
}

// MessageTypeName is the message's name.
func (m *ActivateDedicatedEPSBearerContextRequest) MessageTypeName() string {
	return TypeActivateDedicatedEPSBearerContextRequest.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ActivateDedicatedEPSBearerContextAccept) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ActivateDedicatedEPSBearerContextAccept) MarshalTo(b []byte) (int, error) {
	return marshalTo(m, b)
}

// Marshal returns the encoding.
func (m *ActivateDedicatedEPSBearerContextAccept) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ActivateDedicatedEPSBearerContextAccept) UnmarshalBinary(b []byte) error {
	*m = ActivateDedicatedEPSBearerContextAccept{}
	return unmarshal(m, b)
}

// ParseActivateDedicatedEPSBearerContextAccept decodes a ActivateDedicatedEPSBearerContextAccept (b is copied).
func ParseActivateDedicatedEPSBearerContextAccept(b []byte) (*ActivateDedicatedEPSBearerContextAccept, error) {
	m := new(ActivateDedicatedEPSBearerContextAccept)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeActivateDedicatedEPSBearerContextAccept.
func (m *ActivateDedicatedEPSBearerContextAccept) MessageType() MessageType {
	return TypeActivateDedicatedEPSBearerContextAccept
}

// MessageTypeName is the message's name.
func (m *ActivateDedicatedEPSBearerContextAccept) MessageTypeName() string {
	return TypeActivateDedicatedEPSBearerContextAccept.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ActivateDedicatedEPSBearerContextReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ActivateDedicatedEPSBearerContextReject) MarshalTo(b []byte) (int, error) {
	return marshalTo(m, b)
}

// Marshal returns the encoding.
func (m *ActivateDedicatedEPSBearerContextReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ActivateDedicatedEPSBearerContextReject) UnmarshalBinary(b []byte) error {
	*m = ActivateDedicatedEPSBearerContextReject{}
	return unmarshal(m, b)
}

// ParseActivateDedicatedEPSBearerContextReject decodes a ActivateDedicatedEPSBearerContextReject (b is copied).
func ParseActivateDedicatedEPSBearerContextReject(b []byte) (*ActivateDedicatedEPSBearerContextReject, error) {
	m := new(ActivateDedicatedEPSBearerContextReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeActivateDedicatedEPSBearerContextReject.
func (m *ActivateDedicatedEPSBearerContextReject) MessageType() MessageType {
	return TypeActivateDedicatedEPSBearerContextReject
}

// MessageTypeName is the message's name.
func (m *ActivateDedicatedEPSBearerContextReject) MessageTypeName() string {
	return TypeActivateDedicatedEPSBearerContextReject.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ModifyEPSBearerContextRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ModifyEPSBearerContextRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ModifyEPSBearerContextRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ModifyEPSBearerContextRequest) UnmarshalBinary(b []byte) error {
	*m = ModifyEPSBearerContextRequest{}
	return unmarshal(m, b)
}

// ParseModifyEPSBearerContextRequest decodes a ModifyEPSBearerContextRequest (b is copied).
func ParseModifyEPSBearerContextRequest(b []byte) (*ModifyEPSBearerContextRequest, error) {
	m := new(ModifyEPSBearerContextRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeModifyEPSBearerContextRequest.
func (m *ModifyEPSBearerContextRequest) MessageType() MessageType {
	return TypeModifyEPSBearerContextRequest
}

// MessageTypeName is the message's name.
func (m *ModifyEPSBearerContextRequest) MessageTypeName() string {
	return TypeModifyEPSBearerContextRequest.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ModifyEPSBearerContextAccept) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ModifyEPSBearerContextAccept) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ModifyEPSBearerContextAccept) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ModifyEPSBearerContextAccept) UnmarshalBinary(b []byte) error {
	*m = ModifyEPSBearerContextAccept{}
	return unmarshal(m, b)
}

// ParseModifyEPSBearerContextAccept decodes a ModifyEPSBearerContextAccept (b is copied).
func ParseModifyEPSBearerContextAccept(b []byte) (*ModifyEPSBearerContextAccept, error) {
	m := new(ModifyEPSBearerContextAccept)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeModifyEPSBearerContextAccept.
func (m *ModifyEPSBearerContextAccept) MessageType() MessageType {
	return TypeModifyEPSBearerContextAccept
}

// MessageTypeName is the message's name.
func (m *ModifyEPSBearerContextAccept) MessageTypeName() string {
	return TypeModifyEPSBearerContextAccept.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *ModifyEPSBearerContextReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ModifyEPSBearerContextReject) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ModifyEPSBearerContextReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ModifyEPSBearerContextReject) UnmarshalBinary(b []byte) error {
	*m = ModifyEPSBearerContextReject{}
	return unmarshal(m, b)
}

// ParseModifyEPSBearerContextReject decodes a ModifyEPSBearerContextReject (b is copied).
func ParseModifyEPSBearerContextReject(b []byte) (*ModifyEPSBearerContextReject, error) {
	m := new(ModifyEPSBearerContextReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeModifyEPSBearerContextReject.
func (m *ModifyEPSBearerContextReject) MessageType() MessageType {
	return TypeModifyEPSBearerContextReject
}

// MessageTypeName is the message's name.
func (m *ModifyEPSBearerContextReject) MessageTypeName() string {
	return TypeModifyEPSBearerContextReject.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *DeactivateEPSBearerContextRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *DeactivateEPSBearerContextRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *DeactivateEPSBearerContextRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *DeactivateEPSBearerContextRequest) UnmarshalBinary(b []byte) error {
	*m = DeactivateEPSBearerContextRequest{}
	return unmarshal(m, b)
}

// ParseDeactivateEPSBearerContextRequest decodes a DeactivateEPSBearerContextRequest (b is copied).
func ParseDeactivateEPSBearerContextRequest(b []byte) (*DeactivateEPSBearerContextRequest, error) {
	m := new(DeactivateEPSBearerContextRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeDeactivateEPSBearerContextRequest.
func (m *DeactivateEPSBearerContextRequest) MessageType() MessageType {
	return TypeDeactivateEPSBearerContextRequest
}

// MessageTypeName is the message's name.
func (m *DeactivateEPSBearerContextRequest) MessageTypeName() string {
	return TypeDeactivateEPSBearerContextRequest.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *DeactivateEPSBearerContextAccept) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *DeactivateEPSBearerContextAccept) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *DeactivateEPSBearerContextAccept) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *DeactivateEPSBearerContextAccept) UnmarshalBinary(b []byte) error {
	*m = DeactivateEPSBearerContextAccept{}
	return unmarshal(m, b)
}

// ParseDeactivateEPSBearerContextAccept decodes a DeactivateEPSBearerContextAccept (b is copied).
func ParseDeactivateEPSBearerContextAccept(b []byte) (*DeactivateEPSBearerContextAccept, error) {
	m := new(DeactivateEPSBearerContextAccept)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeDeactivateEPSBearerContextAccept.
func (m *DeactivateEPSBearerContextAccept) MessageType() MessageType {
	return TypeDeactivateEPSBearerContextAccept
}

// MessageTypeName is the message's name.
func (m *DeactivateEPSBearerContextAccept) MessageTypeName() string {
	return TypeDeactivateEPSBearerContextAccept.String()
}

// MarshalLen is the length of the encoding in octets.
func (m *PDNConnectivityRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *PDNConnectivityRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *PDNConnectivityRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *PDNConnectivityRequest) UnmarshalBinary(b []byte) error {
	*m = PDNConnectivityRequest{}
	return unmarshal(m, b)
}

// ParsePDNConnectivityRequest decodes a PDNConnectivityRequest (b is copied).
func ParsePDNConnectivityRequest(b []byte) (*PDNConnectivityRequest, error) {
	m := new(PDNConnectivityRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypePDNConnectivityRequest.
func (m *PDNConnectivityRequest) MessageType() MessageType { return TypePDNConnectivityRequest }

// MessageTypeName is the message's name.
func (m *PDNConnectivityRequest) MessageTypeName() string { return TypePDNConnectivityRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *PDNConnectivityReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *PDNConnectivityReject) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *PDNConnectivityReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *PDNConnectivityReject) UnmarshalBinary(b []byte) error {
	*m = PDNConnectivityReject{}
	return unmarshal(m, b)
}

// ParsePDNConnectivityReject decodes a PDNConnectivityReject (b is copied).
func ParsePDNConnectivityReject(b []byte) (*PDNConnectivityReject, error) {
	m := new(PDNConnectivityReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypePDNConnectivityReject.
func (m *PDNConnectivityReject) MessageType() MessageType { return TypePDNConnectivityReject }

// MessageTypeName is the message's name.
func (m *PDNConnectivityReject) MessageTypeName() string { return TypePDNConnectivityReject.String() }

// MarshalLen is the length of the encoding in octets.
func (m *PDNDisconnectRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *PDNDisconnectRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *PDNDisconnectRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *PDNDisconnectRequest) UnmarshalBinary(b []byte) error {
	*m = PDNDisconnectRequest{}
	return unmarshal(m, b)
}

// ParsePDNDisconnectRequest decodes a PDNDisconnectRequest (b is copied).
func ParsePDNDisconnectRequest(b []byte) (*PDNDisconnectRequest, error) {
	m := new(PDNDisconnectRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypePDNDisconnectRequest.
func (m *PDNDisconnectRequest) MessageType() MessageType { return TypePDNDisconnectRequest }

// MessageTypeName is the message's name.
func (m *PDNDisconnectRequest) MessageTypeName() string { return TypePDNDisconnectRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *PDNDisconnectReject) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *PDNDisconnectReject) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *PDNDisconnectReject) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *PDNDisconnectReject) UnmarshalBinary(b []byte) error {
	*m = PDNDisconnectReject{}
	return unmarshal(m, b)
}

// ParsePDNDisconnectReject decodes a PDNDisconnectReject (b is copied).
func ParsePDNDisconnectReject(b []byte) (*PDNDisconnectReject, error) {
	m := new(PDNDisconnectReject)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypePDNDisconnectReject.
func (m *PDNDisconnectReject) MessageType() MessageType { return TypePDNDisconnectReject }

// MessageTypeName is the message's name.
func (m *PDNDisconnectReject) MessageTypeName() string { return TypePDNDisconnectReject.String() }

// MarshalLen is the length of the encoding in octets.
func (m *ESMInformationRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ESMInformationRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ESMInformationRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ESMInformationRequest) UnmarshalBinary(b []byte) error {
	*m = ESMInformationRequest{}
	return unmarshal(m, b)
}

// ParseESMInformationRequest decodes a ESMInformationRequest (b is copied).
func ParseESMInformationRequest(b []byte) (*ESMInformationRequest, error) {
	m := new(ESMInformationRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeESMInformationRequest.
func (m *ESMInformationRequest) MessageType() MessageType { return TypeESMInformationRequest }

// MessageTypeName is the message's name.
func (m *ESMInformationRequest) MessageTypeName() string { return TypeESMInformationRequest.String() }

// MarshalLen is the length of the encoding in octets.
func (m *ESMInformationResponse) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ESMInformationResponse) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ESMInformationResponse) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ESMInformationResponse) UnmarshalBinary(b []byte) error {
	*m = ESMInformationResponse{}
	return unmarshal(m, b)
}

// ParseESMInformationResponse decodes a ESMInformationResponse (b is copied).
func ParseESMInformationResponse(b []byte) (*ESMInformationResponse, error) {
	m := new(ESMInformationResponse)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeESMInformationResponse.
func (m *ESMInformationResponse) MessageType() MessageType { return TypeESMInformationResponse }

// MessageTypeName is the message's name.
func (m *ESMInformationResponse) MessageTypeName() string { return TypeESMInformationResponse.String() }

// MarshalLen is the length of the encoding in octets.
func (m *ESMStatus) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ESMStatus) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ESMStatus) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ESMStatus) UnmarshalBinary(b []byte) error { *m = ESMStatus{}; return unmarshal(m, b) }

// ParseESMStatus decodes a ESMStatus (b is copied).
func ParseESMStatus(b []byte) (*ESMStatus, error) {
	m := new(ESMStatus)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeESMStatus.
func (m *ESMStatus) MessageType() MessageType { return TypeESMStatus }

// MessageTypeName is the message's name.
func (m *ESMStatus) MessageTypeName() string { return TypeESMStatus.String() }

// MarshalLen is the length of the encoding in octets.
func (m *ESMDataTransport) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ESMDataTransport) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ESMDataTransport) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ESMDataTransport) UnmarshalBinary(b []byte) error {
	*m = ESMDataTransport{}
	return unmarshal(m, b)
}

// ParseESMDataTransport decodes a ESMDataTransport (b is copied).
func ParseESMDataTransport(b []byte) (*ESMDataTransport, error) {
	m := new(ESMDataTransport)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageType is TypeESMDataTransport.
func (m *ESMDataTransport) MessageType() MessageType { return TypeESMDataTransport }

// MessageTypeName is the message's name.
func (m *ESMDataTransport) MessageTypeName() string { return TypeESMDataTransport.String() }

// MarshalLen is the length of the encoding in octets.
func (m *ServiceRequest) MarshalLen() int { return marshalLen(m) }

// MarshalTo writes the encoding into b and returns the octets written.
func (m *ServiceRequest) MarshalTo(b []byte) (int, error) { return marshalTo(m, b) }

// Marshal returns the encoding.
func (m *ServiceRequest) Marshal() ([]byte, error) { return marshal(m) }

// UnmarshalBinary decodes a copy of b into m.
func (m *ServiceRequest) UnmarshalBinary(b []byte) error {
	*m = ServiceRequest{}
	return unmarshal(m, b)
}

// ParseServiceRequest decodes a ServiceRequest (b is copied).
func ParseServiceRequest(b []byte) (*ServiceRequest, error) {
	m := new(ServiceRequest)
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageTypeName is "Service request" (the message has no message type octet).
func (m *ServiceRequest) MessageTypeName() string { return "Service request" }
