package nas

// SecurityModeCommand is SECURITY MODE COMMAND (TS 24.301 §8.2.20),
// network to UE.
type SecurityModeCommand struct {
	Algorithms SecurityAlgorithms  // selected NAS security algorithms
	KSI        NASKeySetIdentifier // bits 4-1 (bits 8-5 spare)
	// ReplayedUESecurityCapability is the UE security capability replayed.
	ReplayedUESecurityCapability UESecurityCapability

	IMEISVRequest                          *uint8 // 0xC- TV 1
	ReplayedNonceUE                        []byte // 0x55 TV 5
	NonceMME                               []byte // 0x56 TV 5
	HashMME                                []byte // 0x4F TLV
	ReplayedUEAdditionalSecurityCapability []byte // 0x6F TLV
	UERadioCapabilityIDRequest             *uint8 // 0xD- TV 1
	Extra                                  []RawIE
}

var smcTV = []tvDef{{0x55, 5}, {0x56, 5}}

func (m *SecurityModeCommand) encode(e *encoder) {
	encodeEMMHeader(e, TypeSecurityModeCommand)
	e.u8(uint8(m.Algorithms))
	e.u8(uint8(m.KSI) & 0x0f)
	e.lvBytes(m.ReplayedUESecurityCapability)
	tv1(e, 0xc0, m.IMEISVRequest)
	e.tvBytes(0x55, 5, m.ReplayedNonceUE)
	e.tvBytes(0x56, 5, m.NonceMME)
	e.tlvBytes(0x4f, m.HashMME)
	e.tlvBytes(0x6f, m.ReplayedUEAdditionalSecurityCapability)
	tv1(e, 0xd0, m.UERadioCapabilityIDRequest)
	e.extra(m.Extra, smcTV)
}

func (m *SecurityModeCommand) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeSecurityModeCommand) {
		return
	}
	m.Algorithms = SecurityAlgorithms(d.v1("selected NAS security algorithms"))
	m.KSI = NASKeySetIdentifier(d.v1("NAS key set identifier") & 0x0f)
	m.ReplayedUESecurityCapability = d.lv("replayed UE security capabilities")
	m.Extra = d.options(smcTV, func(iei byte, v []byte) bool {
		switch iei {
		case 0xc0:
			return setHalf(&m.IMEISVRequest, v)
		case 0x55:
			return setBytes(&m.ReplayedNonceUE, v)
		case 0x56:
			return setBytes(&m.NonceMME, v)
		case 0x4f:
			return setBytes(&m.HashMME, v)
		case 0x6f:
			return setBytes(&m.ReplayedUEAdditionalSecurityCapability, v)
		case 0xd0:
			return setHalf(&m.UERadioCapabilityIDRequest, v)
		}
		return false
	})
}

// SecurityModeComplete is SECURITY MODE COMPLETE (TS 24.301 §8.2.21), UE
// to network.
type SecurityModeComplete struct {
	IMEISV                      *MobileIdentity // 0x23 TLV
	ReplayedNASMessageContainer []byte          // 0x79 TLV-E
	UERadioCapabilityID         []byte          // 0x66 TLV
	Extra                       []RawIE
}

func (m *SecurityModeComplete) encode(e *encoder) {
	encodeEMMHeader(e, TypeSecurityModeComplete)
	tlv(e, 0x23, m.IMEISV)
	e.tlveBytes(0x79, m.ReplayedNASMessageContainer)
	e.tlvBytes(0x66, m.UERadioCapabilityID)
	e.extra(m.Extra, nil)
}

func (m *SecurityModeComplete) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeSecurityModeComplete) {
		return
	}
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x23:
			return setIE(&m.IMEISV, v)
		case 0x79:
			return setBytes(&m.ReplayedNASMessageContainer, v)
		case 0x66:
			return setBytes(&m.UERadioCapabilityID, v)
		}
		return false
	})
}

// SecurityModeReject is SECURITY MODE REJECT (TS 24.301 §8.2.22), UE to
// network.
type SecurityModeReject struct {
	Cause EMMCause
	Extra []RawIE
}

func (m *SecurityModeReject) encode(e *encoder) {
	encodeEMMHeader(e, TypeSecurityModeReject)
	e.u8(uint8(m.Cause))
	e.extra(m.Extra, nil)
}

func (m *SecurityModeReject) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeSecurityModeReject) {
		return
	}
	m.Cause = EMMCause(d.v1("EMM cause"))
	m.Extra = d.options(nil, refuse)
}
