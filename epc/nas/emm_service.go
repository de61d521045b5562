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
	ServiceType            ServiceType             // half octet, bits 4-1
	KSI                    NASKeySetIdentifier     // half octet, bits 8-5
	MTMSI                  MobileIdentity          // M-TMSI
	CSFBResponse           *uint8                  // 0xB- TV 1
	EPSBearerContextStatus *EPSBearerContextStatus // 0x57 TLV
	DeviceProperties       *uint8                  // 0xD- TV 1
	Extra                  []RawIE
}

func (m *ExtendedServiceRequest) encode(e *encoder) {
	encodeEMMHeader(e, TypeExtendedServiceRequest)
	e.u8(uint8(m.KSI)<<4 | uint8(m.ServiceType)&0x0f)
	e.lv(&m.MTMSI)
	tv1(e, 0xb0, m.CSFBResponse)
	tlv(e, 0x57, m.EPSBearerContextStatus)
	tv1(e, 0xd0, m.DeviceProperties)
	e.extra(m.Extra, nil)
}

func (m *ExtendedServiceRequest) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeExtendedServiceRequest) {
		return
	}
	o := d.v1("service type")
	m.ServiceType, m.KSI = ServiceType(o&0x0f), NASKeySetIdentifier(o>>4)
	d.lvIE("M-TMSI", &m.MTMSI)
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0xb0:
			return setHalf(&m.CSFBResponse, v)
		case 0x57:
			return setIE(&m.EPSBearerContextStatus, v)
		case 0xd0:
			return setHalf(&m.DeviceProperties, v)
		}
		return false
	})
}

// ControlPlaneServiceRequest is CONTROL PLANE SERVICE REQUEST
// (TS 24.301 §8.2.33), UE to network: the control plane CIoT EPS
// optimization's way to send data (in an ESM DATA TRANSPORT inside the ESM
// message container) or SMS (NAS message container) from idle mode.
type ControlPlaneServiceRequest struct {
	ServiceType ControlPlaneServiceType // half octet, bits 4-1 (bit 4 active flag)
	KSI         NASKeySetIdentifier     // half octet, bits 8-5

	ESMMessageContainer    []byte                  // 0x78 TLV-E
	NASMessageContainer    []byte                  // 0x67 TLV
	EPSBearerContextStatus *EPSBearerContextStatus // 0x57 TLV
	DeviceProperties       *uint8                  // 0xD- TV 1
	Extra                  []RawIE
}

func (m *ControlPlaneServiceRequest) encode(e *encoder) {
	encodeEMMHeader(e, TypeControlPlaneServiceRequest)
	e.u8(uint8(m.KSI)<<4 | uint8(m.ServiceType)&0x0f)
	e.tlveBytes(0x78, m.ESMMessageContainer)
	e.tlvBytes(0x67, m.NASMessageContainer)
	tlv(e, 0x57, m.EPSBearerContextStatus)
	tv1(e, 0xd0, m.DeviceProperties)
	e.extra(m.Extra, nil)
}

func (m *ControlPlaneServiceRequest) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeControlPlaneServiceRequest) {
		return
	}
	o := d.v1("control plane service type")
	m.ServiceType, m.KSI = ControlPlaneServiceType(o&0x0f), NASKeySetIdentifier(o>>4)
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x78:
			return setBytes(&m.ESMMessageContainer, v)
		case 0x67:
			return setBytes(&m.NASMessageContainer, v)
		case 0x57:
			return setIE(&m.EPSBearerContextStatus, v)
		case 0xd0:
			return setHalf(&m.DeviceProperties, v)
		}
		return false
	})
}

// ServiceReject is SERVICE REJECT (TS 24.301 §8.2.24), network to UE.
type ServiceReject struct {
	Cause EMMCause
	T3442 *GPRSTimer  // 0x5B TV 2
	T3346 *GPRSTimer2 // 0x5F TLV
	T3448 *GPRSTimer2 // 0x6B TLV
	Extra []RawIE
}

var serviceRejectTV = []tvDef{{0x5b, 2}}

func (m *ServiceReject) encode(e *encoder) {
	encodeEMMHeader(e, TypeServiceReject)
	e.u8(uint8(m.Cause))
	tv(e, 0x5b, m.T3442)
	tlv(e, 0x5f, m.T3346)
	tlv(e, 0x6b, m.T3448)
	e.extra(m.Extra, serviceRejectTV)
}

func (m *ServiceReject) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeServiceReject) {
		return
	}
	m.Cause = EMMCause(d.v1("EMM cause"))
	m.Extra = d.options(serviceRejectTV, func(iei byte, v []byte) bool {
		switch iei {
		case 0x5b:
			return setIE(&m.T3442, v)
		case 0x5f:
			return setIE(&m.T3346, v)
		case 0x6b:
			return setIE(&m.T3448, v)
		}
		return false
	})
}

// ServiceAccept is SERVICE ACCEPT (TS 24.301 §8.2.34), network to UE (the
// answer to a CONTROL PLANE SERVICE REQUEST or EXTENDED SERVICE REQUEST
// for packet services).
type ServiceAccept struct {
	EPSBearerContextStatus *EPSBearerContextStatus // 0x57 TLV
	T3448                  *GPRSTimer2             // 0x6B TLV
	Extra                  []RawIE
}

func (m *ServiceAccept) encode(e *encoder) {
	encodeEMMHeader(e, TypeServiceAccept)
	tlv(e, 0x57, m.EPSBearerContextStatus)
	tlv(e, 0x6b, m.T3448)
	e.extra(m.Extra, nil)
}

func (m *ServiceAccept) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeServiceAccept) {
		return
	}
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x57:
			return setIE(&m.EPSBearerContextStatus, v)
		case 0x6b:
			return setIE(&m.T3448, v)
		}
		return false
	})
}
