package nas

// ActivateDefaultEPSBearerContextRequest is ACTIVATE DEFAULT EPS BEARER
// CONTEXT REQUEST (TS 24.301 §8.3.6), network to UE.
type ActivateDefaultEPSBearerContextRequest struct {
	ESMHeader
	QoS        EPSQoS
	APN        AccessPointName
	PDNAddress PDNAddress

	TransactionIdentifier          []byte    // 0x5D TLV
	NegotiatedQoS                  []byte    // 0x30 TLV
	NegotiatedLLCSAPI              []byte    // 0x32 TV 2
	RadioPriority                  *uint8    // 0x8- TV 1
	PacketFlowIdentifier           []byte    // 0x34 TLV
	APNAMBR                        []byte    // 0x5E TLV
	ESMCause                       *ESMCause // 0x58 TV 2
	PCO                            []byte    // 0x27 TLV, protocol configuration options
	ConnectivityType               *uint8    // 0xB- TV 1
	WLANOffloadIndication          *uint8    // 0xC- TV 1
	NBIFOMContainer                []byte    // 0x33 TLV
	HeaderCompressionConfiguration []byte    // 0x66 TLV
	ControlPlaneOnlyIndication     *uint8    // 0x9- TV 1
	EPCO                           []byte    // 0x7B TLV-E, extended PCO
	ServingPLMNRateControl         []byte    // 0x6E TLV
	ExtendedAPNAMBR                []byte    // 0x5F TLV
	Extra                          []RawIE
}

var esmLLCTV = []tvDef{{0x32, 2}, {0x58, 2}}

func (m *ActivateDefaultEPSBearerContextRequest) encode(e *encoder) {
	m.encodeHeader(e, TypeActivateDefaultEPSBearerContextRequest)
	e.lvBytes(m.QoS)
	e.lvBytes(m.APN)
	e.lv(&m.PDNAddress)
	e.tlvBytes(0x5d, m.TransactionIdentifier)
	e.tlvBytes(0x30, m.NegotiatedQoS)
	e.tvBytes(0x32, 2, m.NegotiatedLLCSAPI)
	tv1(e, 0x80, m.RadioPriority)
	e.tlvBytes(0x34, m.PacketFlowIdentifier)
	e.tlvBytes(0x5e, m.APNAMBR)
	tv(e, 0x58, m.ESMCause)
	e.tlvBytes(0x27, m.PCO)
	tv1(e, 0xb0, m.ConnectivityType)
	tv1(e, 0xc0, m.WLANOffloadIndication)
	e.tlvBytes(0x33, m.NBIFOMContainer)
	e.tlvBytes(0x66, m.HeaderCompressionConfiguration)
	tv1(e, 0x90, m.ControlPlaneOnlyIndication)
	e.tlveBytes(0x7b, m.EPCO)
	e.tlvBytes(0x6e, m.ServingPLMNRateControl)
	e.tlvBytes(0x5f, m.ExtendedAPNAMBR)
	e.extra(m.Extra, esmLLCTV)
}

func (m *ActivateDefaultEPSBearerContextRequest) decode(d *decoder) {
	if !m.decodeHeader(d, TypeActivateDefaultEPSBearerContextRequest) {
		return
	}
	m.QoS = d.lv("EPS QoS")
	m.APN = d.lv("access point name")
	d.lvIE("PDN address", &m.PDNAddress)
	m.Extra = d.options(esmLLCTV, func(iei byte, v []byte) bool {
		switch iei {
		case 0x5d:
			return setBytes(&m.TransactionIdentifier, v)
		case 0x30:
			return setBytes(&m.NegotiatedQoS, v)
		case 0x32:
			return setBytes(&m.NegotiatedLLCSAPI, v)
		case 0x80:
			return setHalf(&m.RadioPriority, v)
		case 0x34:
			return setBytes(&m.PacketFlowIdentifier, v)
		case 0x5e:
			return setBytes(&m.APNAMBR, v)
		case 0x58:
			return setIE(&m.ESMCause, v)
		case 0x27:
			return setBytes(&m.PCO, v)
		case 0xb0:
			return setHalf(&m.ConnectivityType, v)
		case 0xc0:
			return setHalf(&m.WLANOffloadIndication, v)
		case 0x33:
			return setBytes(&m.NBIFOMContainer, v)
		case 0x66:
			return setBytes(&m.HeaderCompressionConfiguration, v)
		case 0x90:
			return setHalf(&m.ControlPlaneOnlyIndication, v)
		case 0x7b:
			return setBytes(&m.EPCO, v)
		case 0x6e:
			return setBytes(&m.ServingPLMNRateControl, v)
		case 0x5f:
			return setBytes(&m.ExtendedAPNAMBR, v)
		}
		return false
	})
}

// pcoOptions is the optional part shared by many ESM messages: PCO
// (0x27 TLV), NBIFOM container (0x33 TLV, where allowed) and extended PCO
// (0x7B TLV-E).
type pcoOptions struct {
	PCO             []byte // 0x27 TLV
	NBIFOMContainer []byte // 0x33 TLV
	EPCO            []byte // 0x7B TLV-E
	Extra           []RawIE
}

func (o *pcoOptions) encodeOptions(e *encoder) {
	e.tlvBytes(0x27, o.PCO)
	e.tlvBytes(0x33, o.NBIFOMContainer)
	e.tlveBytes(0x7b, o.EPCO)
	e.extra(o.Extra, nil)
}

// decodeOptions reads the optional part; nbifom says whether the message
// has the NBIFOM container.
func (o *pcoOptions) decodeOptions(d *decoder, nbifom bool) {
	o.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x27:
			return setBytes(&o.PCO, v)
		case 0x33:
			return nbifom && setBytes(&o.NBIFOMContainer, v)
		case 0x7b:
			return setBytes(&o.EPCO, v)
		}
		return false
	})
}

// ActivateDefaultEPSBearerContextAccept is ACTIVATE DEFAULT EPS BEARER
// CONTEXT ACCEPT (TS 24.301 §8.3.4), UE to network. NBIFOMContainer is
// not part of this message.
type ActivateDefaultEPSBearerContextAccept struct {
	ESMHeader
	pcoOptions
}

func (m *ActivateDefaultEPSBearerContextAccept) encode(e *encoder) {
	m.encodeHeader(e, TypeActivateDefaultEPSBearerContextAccept)
	m.encodeOptions(e)
}

func (m *ActivateDefaultEPSBearerContextAccept) decode(d *decoder) {
	if m.decodeHeader(d, TypeActivateDefaultEPSBearerContextAccept) {
		m.decodeOptions(d, false)
	}
}

// ActivateDefaultEPSBearerContextReject is ACTIVATE DEFAULT EPS BEARER
// CONTEXT REJECT (TS 24.301 §8.3.5), UE to network. NBIFOMContainer is
// not part of this message.
type ActivateDefaultEPSBearerContextReject struct {
	ESMHeader
	Cause ESMCause
	pcoOptions
}

func (m *ActivateDefaultEPSBearerContextReject) encode(e *encoder) {
	m.encodeHeader(e, TypeActivateDefaultEPSBearerContextReject)
	e.u8(uint8(m.Cause))
	m.encodeOptions(e)
}

func (m *ActivateDefaultEPSBearerContextReject) decode(d *decoder) {
	if m.decodeHeader(d, TypeActivateDefaultEPSBearerContextReject) {
		m.Cause = ESMCause(d.v1("ESM cause"))
		m.decodeOptions(d, false)
	}
}

// ActivateDedicatedEPSBearerContextRequest is ACTIVATE DEDICATED EPS
// BEARER CONTEXT REQUEST (TS 24.301 §8.3.3), network to UE.
type ActivateDedicatedEPSBearerContextRequest struct {
	ESMHeader
	LinkedEBI uint8 // bits 4-1 (bits 8-5 spare)
	QoS       EPSQoS
	TFT       []byte // traffic flow template, TS 24.008 §10.5.6.12

	TransactionIdentifier []byte // 0x5D TLV
	NegotiatedQoS         []byte // 0x30 TLV
	NegotiatedLLCSAPI     []byte // 0x32 TV 2
	RadioPriority         *uint8 // 0x8- TV 1
	PacketFlowIdentifier  []byte // 0x34 TLV
	PCO                   []byte // 0x27 TLV
	WLANOffloadIndication *uint8 // 0xC- TV 1
	NBIFOMContainer       []byte // 0x33 TLV
	EPCO                  []byte // 0x7B TLV-E
	ExtendedEPSQoS        []byte // 0x5C TLV
	Extra                 []RawIE
}

func (m *ActivateDedicatedEPSBearerContextRequest) encode(e *encoder) {
	m.encodeHeader(e, TypeActivateDedicatedEPSBearerContextRequest)
	e.u8(m.LinkedEBI & 0x0f)
	e.lvBytes(m.QoS)
	e.lvBytes(m.TFT)
	e.tlvBytes(0x5d, m.TransactionIdentifier)
	e.tlvBytes(0x30, m.NegotiatedQoS)
	e.tvBytes(0x32, 2, m.NegotiatedLLCSAPI)
	tv1(e, 0x80, m.RadioPriority)
	e.tlvBytes(0x34, m.PacketFlowIdentifier)
	e.tlvBytes(0x27, m.PCO)
	tv1(e, 0xc0, m.WLANOffloadIndication)
	e.tlvBytes(0x33, m.NBIFOMContainer)
	e.tlveBytes(0x7b, m.EPCO)
	e.tlvBytes(0x5c, m.ExtendedEPSQoS)
	e.extra(m.Extra, esmLLCTV[:1])
}

func (m *ActivateDedicatedEPSBearerContextRequest) decode(d *decoder) {
	if !m.decodeHeader(d, TypeActivateDedicatedEPSBearerContextRequest) {
		return
	}
	m.LinkedEBI = d.v1("linked EPS bearer identity") & 0x0f
	m.QoS = d.lv("EPS QoS")
	m.TFT = d.lv("TFT")
	m.Extra = d.options(esmLLCTV[:1], func(iei byte, v []byte) bool {
		switch iei {
		case 0x5d:
			return setBytes(&m.TransactionIdentifier, v)
		case 0x30:
			return setBytes(&m.NegotiatedQoS, v)
		case 0x32:
			return setBytes(&m.NegotiatedLLCSAPI, v)
		case 0x80:
			return setHalf(&m.RadioPriority, v)
		case 0x34:
			return setBytes(&m.PacketFlowIdentifier, v)
		case 0x27:
			return setBytes(&m.PCO, v)
		case 0xc0:
			return setHalf(&m.WLANOffloadIndication, v)
		case 0x33:
			return setBytes(&m.NBIFOMContainer, v)
		case 0x7b:
			return setBytes(&m.EPCO, v)
		case 0x5c:
			return setBytes(&m.ExtendedEPSQoS, v)
		}
		return false
	})
}

// ActivateDedicatedEPSBearerContextAccept is ACTIVATE DEDICATED EPS BEARER
// CONTEXT ACCEPT (TS 24.301 §8.3.1), UE to network.
type ActivateDedicatedEPSBearerContextAccept struct {
	ESMHeader
	pcoOptions
}

func (m *ActivateDedicatedEPSBearerContextAccept) encode(e *encoder) {
	m.encodeHeader(e, TypeActivateDedicatedEPSBearerContextAccept)
	m.encodeOptions(e)
}

func (m *ActivateDedicatedEPSBearerContextAccept) decode(d *decoder) {
	if m.decodeHeader(d, TypeActivateDedicatedEPSBearerContextAccept) {
		m.decodeOptions(d, true)
	}
}

// ActivateDedicatedEPSBearerContextReject is ACTIVATE DEDICATED EPS BEARER
// CONTEXT REJECT (TS 24.301 §8.3.2), UE to network.
type ActivateDedicatedEPSBearerContextReject struct {
	ESMHeader
	Cause ESMCause
	pcoOptions
}

func (m *ActivateDedicatedEPSBearerContextReject) encode(e *encoder) {
	m.encodeHeader(e, TypeActivateDedicatedEPSBearerContextReject)
	e.u8(uint8(m.Cause))
	m.encodeOptions(e)
}

func (m *ActivateDedicatedEPSBearerContextReject) decode(d *decoder) {
	if m.decodeHeader(d, TypeActivateDedicatedEPSBearerContextReject) {
		m.Cause = ESMCause(d.v1("ESM cause"))
		m.decodeOptions(d, true)
	}
}

// ModifyEPSBearerContextRequest is MODIFY EPS BEARER CONTEXT REQUEST
// (TS 24.301 §8.3.18), network to UE.
type ModifyEPSBearerContextRequest struct {
	ESMHeader
	NewEPSQoS                      EPSQoS // 0x5B TLV
	TFT                            []byte // 0x36 TLV
	NewQoS                         []byte // 0x30 TLV
	NegotiatedLLCSAPI              []byte // 0x32 TV 2
	RadioPriority                  *uint8 // 0x8- TV 1
	PacketFlowIdentifier           []byte // 0x34 TLV
	APNAMBR                        []byte // 0x5E TLV
	PCO                            []byte // 0x27 TLV
	WLANOffloadIndication          *uint8 // 0xC- TV 1
	NBIFOMContainer                []byte // 0x33 TLV
	HeaderCompressionConfiguration []byte // 0x66 TLV
	EPCO                           []byte // 0x7B TLV-E
	ExtendedAPNAMBR                []byte // 0x5F TLV
	ExtendedEPSQoS                 []byte // 0x5C TLV
	Extra                          []RawIE
}

func (m *ModifyEPSBearerContextRequest) encode(e *encoder) {
	m.encodeHeader(e, TypeModifyEPSBearerContextRequest)
	e.tlvBytes(0x5b, m.NewEPSQoS)
	e.tlvBytes(0x36, m.TFT)
	e.tlvBytes(0x30, m.NewQoS)
	e.tvBytes(0x32, 2, m.NegotiatedLLCSAPI)
	tv1(e, 0x80, m.RadioPriority)
	e.tlvBytes(0x34, m.PacketFlowIdentifier)
	e.tlvBytes(0x5e, m.APNAMBR)
	e.tlvBytes(0x27, m.PCO)
	tv1(e, 0xc0, m.WLANOffloadIndication)
	e.tlvBytes(0x33, m.NBIFOMContainer)
	e.tlvBytes(0x66, m.HeaderCompressionConfiguration)
	e.tlveBytes(0x7b, m.EPCO)
	e.tlvBytes(0x5f, m.ExtendedAPNAMBR)
	e.tlvBytes(0x5c, m.ExtendedEPSQoS)
	e.extra(m.Extra, esmLLCTV[:1])
}

func (m *ModifyEPSBearerContextRequest) decode(d *decoder) {
	if !m.decodeHeader(d, TypeModifyEPSBearerContextRequest) {
		return
	}
	m.Extra = d.options(esmLLCTV[:1], func(iei byte, v []byte) bool {
		switch iei {
		case 0x5b:
			return setBytes(&m.NewEPSQoS, v)
		case 0x36:
			return setBytes(&m.TFT, v)
		case 0x30:
			return setBytes(&m.NewQoS, v)
		case 0x32:
			return setBytes(&m.NegotiatedLLCSAPI, v)
		case 0x80:
			return setHalf(&m.RadioPriority, v)
		case 0x34:
			return setBytes(&m.PacketFlowIdentifier, v)
		case 0x5e:
			return setBytes(&m.APNAMBR, v)
		case 0x27:
			return setBytes(&m.PCO, v)
		case 0xc0:
			return setHalf(&m.WLANOffloadIndication, v)
		case 0x33:
			return setBytes(&m.NBIFOMContainer, v)
		case 0x66:
			return setBytes(&m.HeaderCompressionConfiguration, v)
		case 0x7b:
			return setBytes(&m.EPCO, v)
		case 0x5f:
			return setBytes(&m.ExtendedAPNAMBR, v)
		case 0x5c:
			return setBytes(&m.ExtendedEPSQoS, v)
		}
		return false
	})
}

// ModifyEPSBearerContextAccept is MODIFY EPS BEARER CONTEXT ACCEPT
// (TS 24.301 §8.3.16), UE to network.
type ModifyEPSBearerContextAccept struct {
	ESMHeader
	pcoOptions
}

func (m *ModifyEPSBearerContextAccept) encode(e *encoder) {
	m.encodeHeader(e, TypeModifyEPSBearerContextAccept)
	m.encodeOptions(e)
}

func (m *ModifyEPSBearerContextAccept) decode(d *decoder) {
	if m.decodeHeader(d, TypeModifyEPSBearerContextAccept) {
		m.decodeOptions(d, true)
	}
}

// ModifyEPSBearerContextReject is MODIFY EPS BEARER CONTEXT REJECT
// (TS 24.301 §8.3.17), UE to network.
type ModifyEPSBearerContextReject struct {
	ESMHeader
	Cause ESMCause
	pcoOptions
}

func (m *ModifyEPSBearerContextReject) encode(e *encoder) {
	m.encodeHeader(e, TypeModifyEPSBearerContextReject)
	e.u8(uint8(m.Cause))
	m.encodeOptions(e)
}

func (m *ModifyEPSBearerContextReject) decode(d *decoder) {
	if m.decodeHeader(d, TypeModifyEPSBearerContextReject) {
		m.Cause = ESMCause(d.v1("ESM cause"))
		m.decodeOptions(d, true)
	}
}

// DeactivateEPSBearerContextRequest is DEACTIVATE EPS BEARER CONTEXT
// REQUEST (TS 24.301 §8.3.12), network to UE.
type DeactivateEPSBearerContextRequest struct {
	ESMHeader
	Cause                 ESMCause
	PCO                   []byte      // 0x27 TLV
	T3396                 *GPRSTimer3 // 0x37 TLV
	WLANOffloadIndication *uint8      // 0xC- TV 1
	NBIFOMContainer       []byte      // 0x33 TLV
	EPCO                  []byte      // 0x7B TLV-E
	Extra                 []RawIE
}

func (m *DeactivateEPSBearerContextRequest) encode(e *encoder) {
	m.encodeHeader(e, TypeDeactivateEPSBearerContextRequest)
	e.u8(uint8(m.Cause))
	e.tlvBytes(0x27, m.PCO)
	tlv(e, 0x37, m.T3396)
	tv1(e, 0xc0, m.WLANOffloadIndication)
	e.tlvBytes(0x33, m.NBIFOMContainer)
	e.tlveBytes(0x7b, m.EPCO)
	e.extra(m.Extra, nil)
}

func (m *DeactivateEPSBearerContextRequest) decode(d *decoder) {
	if !m.decodeHeader(d, TypeDeactivateEPSBearerContextRequest) {
		return
	}
	m.Cause = ESMCause(d.v1("ESM cause"))
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x27:
			return setBytes(&m.PCO, v)
		case 0x37:
			return setIE(&m.T3396, v)
		case 0xc0:
			return setHalf(&m.WLANOffloadIndication, v)
		case 0x33:
			return setBytes(&m.NBIFOMContainer, v)
		case 0x7b:
			return setBytes(&m.EPCO, v)
		}
		return false
	})
}

// DeactivateEPSBearerContextAccept is DEACTIVATE EPS BEARER CONTEXT
// ACCEPT (TS 24.301 §8.3.11), UE to network. NBIFOMContainer is not part
// of this message.
type DeactivateEPSBearerContextAccept struct {
	ESMHeader
	pcoOptions
}

func (m *DeactivateEPSBearerContextAccept) encode(e *encoder) {
	m.encodeHeader(e, TypeDeactivateEPSBearerContextAccept)
	m.encodeOptions(e)
}

func (m *DeactivateEPSBearerContextAccept) decode(d *decoder) {
	if m.decodeHeader(d, TypeDeactivateEPSBearerContextAccept) {
		m.decodeOptions(d, false)
	}
}
