package nas

// ESMInformationRequest is ESM INFORMATION REQUEST (TS 24.301 §8.3.13),
// network to UE.
type ESMInformationRequest struct {
	ESMHeader
	Extra []RawIE
}

func (m *ESMInformationRequest) encode(e *encoder) {
	m.encodeHeader(e, TypeESMInformationRequest)
	e.extra(m.Extra, nil)
}

func (m *ESMInformationRequest) decode(d *decoder) {
	if m.decodeHeader(d, TypeESMInformationRequest) {
		m.Extra = d.options(nil, refuse)
	}
}

// ESMInformationResponse is ESM INFORMATION RESPONSE (TS 24.301 §8.3.14),
// UE to network.
type ESMInformationResponse struct {
	ESMHeader
	APN   AccessPointName // 0x28 TLV
	PCO   []byte          // 0x27 TLV
	EPCO  []byte          // 0x7B TLV-E
	Extra []RawIE
}

func (m *ESMInformationResponse) encode(e *encoder) {
	m.encodeHeader(e, TypeESMInformationResponse)
	e.tlvBytes(0x28, m.APN)
	e.tlvBytes(0x27, m.PCO)
	e.tlveBytes(0x7b, m.EPCO)
	e.extra(m.Extra, nil)
}

func (m *ESMInformationResponse) decode(d *decoder) {
	if !m.decodeHeader(d, TypeESMInformationResponse) {
		return
	}
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x28:
			return setBytes(&m.APN, v)
		case 0x27:
			return setBytes(&m.PCO, v)
		case 0x7b:
			return setBytes(&m.EPCO, v)
		}
		return false
	})
}
