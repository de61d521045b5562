package nas

// IdentityRequest is IDENTITY REQUEST (TS 24.301 §8.2.18), network to UE.
type IdentityRequest struct {
	IdentityType IdentityType2 // bits 4-1 (bits 8-5 spare)
	Extra        []RawIE
}

func (m *IdentityRequest) encode(e *encoder) {
	encodeEMMHeader(e, TypeIdentityRequest)
	e.u8(uint8(m.IdentityType) & 0x0f)
	e.extra(m.Extra, nil)
}

func (m *IdentityRequest) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeIdentityRequest) {
		return
	}
	m.IdentityType = IdentityType2(d.v1("identity type") & 0x0f)
	m.Extra = d.options(nil, refuse)
}

// IdentityResponse is IDENTITY RESPONSE (TS 24.301 §8.2.19), UE to network.
type IdentityResponse struct {
	Identity MobileIdentity
	Extra    []RawIE
}

func (m *IdentityResponse) encode(e *encoder) {
	encodeEMMHeader(e, TypeIdentityResponse)
	e.lv(&m.Identity)
	e.extra(m.Extra, nil)
}

func (m *IdentityResponse) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeIdentityResponse) {
		return
	}
	d.lvIE("mobile identity", &m.Identity)
	m.Extra = d.options(nil, refuse)
}

// GUTIReallocationCommand is GUTI REALLOCATION COMMAND (TS 24.301
// §8.2.16), network to UE.
type GUTIReallocationCommand struct {
	GUTI    EPSMobileIdentity
	TAIList *TAIList // 0x54 TLV
	DCNID   []byte   // 0x65 TLV
	Extra   []RawIE
}

func (m *GUTIReallocationCommand) encode(e *encoder) {
	encodeEMMHeader(e, TypeGUTIReallocationCommand)
	e.lv(&m.GUTI)
	tlv(e, 0x54, m.TAIList)
	e.tlvBytes(0x65, m.DCNID)
	e.extra(m.Extra, nil)
}

func (m *GUTIReallocationCommand) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeGUTIReallocationCommand) {
		return
	}
	d.lvIE("GUTI", &m.GUTI)
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		switch iei {
		case 0x54:
			return setIE(&m.TAIList, v)
		case 0x65:
			return setBytes(&m.DCNID, v)
		}
		return false
	})
}

// GUTIReallocationComplete is GUTI REALLOCATION COMPLETE (TS 24.301
// §8.2.17), UE to network.
type GUTIReallocationComplete struct {
	Extra []RawIE
}

func (m *GUTIReallocationComplete) encode(e *encoder) {
	encodeEMMHeader(e, TypeGUTIReallocationComplete)
	e.extra(m.Extra, nil)
}

func (m *GUTIReallocationComplete) decode(d *decoder) {
	if decodeEMMHeader(d, TypeGUTIReallocationComplete) {
		m.Extra = d.options(nil, refuse)
	}
}
