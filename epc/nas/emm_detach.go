package nas

// DetachRequest is DETACH REQUEST sent by the UE (TS 24.301 §8.2.11.1).
// The network-originating form is NetworkDetachRequest; both have message
// type 0x45 (see ParseDirection).
type DetachRequest struct {
	DetachType DetachType          // half octet, bits 4-1 (bit 4 switch off)
	KSI        NASKeySetIdentifier // half octet, bits 8-5
	Identity   EPSMobileIdentity
	Extra      []RawIE
}

func (m *DetachRequest) encode(e *encoder) {
	encodeEMMHeader(e, TypeDetachRequest)
	e.u8(uint8(m.KSI)<<4 | uint8(m.DetachType)&0x0f)
	e.lv(&m.Identity)
	e.extra(m.Extra, nil)
}

func (m *DetachRequest) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeDetachRequest) {
		return
	}
	o := d.v1("detach type")
	m.DetachType, m.KSI = DetachType(o&0x0f), NASKeySetIdentifier(o>>4)
	d.lvIE("EPS mobile identity", &m.Identity)
	m.Extra = d.options(nil, refuse)
}

// NetworkDetachRequest is DETACH REQUEST sent by the network
// (TS 24.301 §8.2.11.2).
type NetworkDetachRequest struct {
	DetachType DetachType // half octet, bits 4-1 (bits 8-5 spare)
	EMMCause   *EMMCause  // 0x53 TV 2
	Extra      []RawIE
}

var networkDetachTV = []tvDef{{0x53, 2}}

func (m *NetworkDetachRequest) encode(e *encoder) {
	encodeEMMHeader(e, TypeDetachRequest)
	e.u8(uint8(m.DetachType) & 0x0f)
	tv(e, 0x53, m.EMMCause)
	e.extra(m.Extra, networkDetachTV)
}

func (m *NetworkDetachRequest) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeDetachRequest) {
		return
	}
	m.DetachType = DetachType(d.v1("detach type") & 0x0f)
	m.Extra = d.options(networkDetachTV, func(iei byte, v []byte) bool {
		if iei == 0x53 {
			return setIE(&m.EMMCause, v)
		}
		return false
	})
}

// DetachAccept is DETACH ACCEPT (TS 24.301 §8.2.10.1 and §8.2.10.2; the
// same in both directions).
type DetachAccept struct {
	Extra []RawIE
}

func (m *DetachAccept) encode(e *encoder) {
	encodeEMMHeader(e, TypeDetachAccept)
	e.extra(m.Extra, nil)
}

func (m *DetachAccept) decode(d *decoder) {
	if decodeEMMHeader(d, TypeDetachAccept) {
		m.Extra = d.options(nil, refuse)
	}
}
