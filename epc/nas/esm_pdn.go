package nas

// PDNConnectivityRequest is PDN CONNECTIVITY REQUEST (TS 24.301 §8.3.20),
// UE to network; in an ATTACH REQUEST's ESM message container at attach.
type PDNConnectivityRequest struct {
	ESMHeader
	RequestType RequestType // half octet, bits 4-1
	PDNType     PDNType     // half octet, bits 8-5

	ESMInformationTransferFlag     *uint8          // 0xD- TV 1
	APN                            AccessPointName // 0x28 TLV
	PCO                            []byte          // 0x27 TLV
	DeviceProperties               *uint8          // 0xC- TV 1
	NBIFOMContainer                []byte          // 0x33 TLV
	HeaderCompressionConfiguration []byte          // 0x66 TLV
	EPCO                           []byte          // 0x7B TLV-E
	Extra                          []RawIE
}

func (m *PDNConnectivityRequest) encode(e *encoder) {
	m.encodeHeader(e, TypePDNConnectivityRequest)
	e.u8(uint8(m.PDNType)<<4 | uint8(m.RequestType)&0x0f)
	tv1(e, 0xd0, m.ESMInformationTransferFlag)
	e.tlvBytes(0x28, m.APN)
	e.tlvBytes(0x27, m.PCO)
	tv1(e, 0xc0, m.DeviceProperties)
	e.tlvBytes(0x33, m.NBIFOMContainer)
	e.tlvBytes(0x66, m.HeaderCompressionConfiguration)
	e.tlveBytes(0x7b, m.EPCO)
	e.extra(m.Extra, nil)
}

func (m *PDNConnectivityRequest) decode(d *decoder) {
	if !m.decodeHeader(d, TypePDNConnectivityRequest) {
		return
	}
	o := d.v1("request type")
	m.RequestType, m.PDNType = RequestType(o&0x0f), PDNType(o>>4)
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0xd0:
			return setHalf(&m.ESMInformationTransferFlag, v)
		case 0x28:
			return setBytes(&m.APN, v)
		case 0x27:
			return setBytes(&m.PCO, v)
		case 0xc0:
			return setHalf(&m.DeviceProperties, v)
		case 0x33:
			return setBytes(&m.NBIFOMContainer, v)
		case 0x66:
			return setBytes(&m.HeaderCompressionConfiguration, v)
		case 0x7b:
			return setBytes(&m.EPCO, v)
		}
		return false
	})
}

// PDNConnectivityReject is PDN CONNECTIVITY REJECT (TS 24.301 §8.3.19),
// network to UE.
type PDNConnectivityReject struct {
	ESMHeader
	Cause              ESMCause
	PCO                []byte      // 0x27 TLV
	BackOffTimer       *GPRSTimer3 // 0x37 TLV
	ReAttemptIndicator []byte      // 0x6B TLV
	NBIFOMContainer    []byte      // 0x33 TLV
	EPCO               []byte      // 0x7B TLV-E
	Extra              []RawIE
}

func (m *PDNConnectivityReject) encode(e *encoder) {
	m.encodeHeader(e, TypePDNConnectivityReject)
	e.u8(uint8(m.Cause))
	e.tlvBytes(0x27, m.PCO)
	tlv(e, 0x37, m.BackOffTimer)
	e.tlvBytes(0x6b, m.ReAttemptIndicator)
	e.tlvBytes(0x33, m.NBIFOMContainer)
	e.tlveBytes(0x7b, m.EPCO)
	e.extra(m.Extra, nil)
}

func (m *PDNConnectivityReject) decode(d *decoder) {
	if !m.decodeHeader(d, TypePDNConnectivityReject) {
		return
	}
	m.Cause = ESMCause(d.v1("ESM cause"))
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x27:
			return setBytes(&m.PCO, v)
		case 0x37:
			return setIE(&m.BackOffTimer, v)
		case 0x6b:
			return setBytes(&m.ReAttemptIndicator, v)
		case 0x33:
			return setBytes(&m.NBIFOMContainer, v)
		case 0x7b:
			return setBytes(&m.EPCO, v)
		}
		return false
	})
}

// PDNDisconnectRequest is PDN DISCONNECT REQUEST (TS 24.301 §8.3.22), UE
// to network. NBIFOMContainer is not part of this message.
type PDNDisconnectRequest struct {
	ESMHeader
	LinkedEBI uint8 // bits 4-1 (bits 8-5 spare)
	pcoOptions
}

func (m *PDNDisconnectRequest) encode(e *encoder) {
	m.encodeHeader(e, TypePDNDisconnectRequest)
	e.u8(m.LinkedEBI & 0x0f)
	m.encodeOptions(e)
}

func (m *PDNDisconnectRequest) decode(d *decoder) {
	if m.decodeHeader(d, TypePDNDisconnectRequest) {
		m.LinkedEBI = d.v1("linked EPS bearer identity") & 0x0f
		m.decodeOptions(d, false)
	}
}

// PDNDisconnectReject is PDN DISCONNECT REJECT (TS 24.301 §8.3.21),
// network to UE. NBIFOMContainer is not part of this message.
type PDNDisconnectReject struct {
	ESMHeader
	Cause ESMCause
	pcoOptions
}

func (m *PDNDisconnectReject) encode(e *encoder) {
	m.encodeHeader(e, TypePDNDisconnectReject)
	e.u8(uint8(m.Cause))
	m.encodeOptions(e)
}

func (m *PDNDisconnectReject) decode(d *decoder) {
	if m.decodeHeader(d, TypePDNDisconnectReject) {
		m.Cause = ESMCause(d.v1("ESM cause"))
		m.decodeOptions(d, false)
	}
}
