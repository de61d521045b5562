package nas

// AuthenticationRequest is AUTHENTICATION REQUEST (TS 24.301 §8.2.7),
// network to UE.
type AuthenticationRequest struct {
	KSI   NASKeySetIdentifier // NAS key set identifierASME, bits 4-1 (bits 8-5 spare)
	RAND  [16]byte            // §9.9.3.3 (TS 24.008 §10.5.3.1), V 16
	AUTN  []byte              // §9.9.3.2 (TS 24.008 §10.5.3.1.1), LV, 16 octets
	Extra []RawIE
}

func (m *AuthenticationRequest) encode(e *encoder) {
	encodeEMMHeader(e, TypeAuthenticationRequest)
	e.u8(uint8(m.KSI) & 0x0f)
	e.raw(m.RAND[:])
	e.lvBytes(m.AUTN)
	e.extra(m.Extra, nil)
}

func (m *AuthenticationRequest) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeAuthenticationRequest) {
		return
	}
	m.KSI = NASKeySetIdentifier(d.v1("NAS key set identifier") & 0x0f)
	copy(m.RAND[:], d.v("authentication parameter RAND", 16))
	m.AUTN = d.lv("authentication parameter AUTN")
	m.Extra = d.options(nil, refuse)
}

// AuthenticationResponse is AUTHENTICATION RESPONSE (TS 24.301 §8.2.8),
// UE to network.
type AuthenticationResponse struct {
	RES   []byte // authentication response parameter, §9.9.3.4, LV 4-16 octets
	Extra []RawIE
}

func (m *AuthenticationResponse) encode(e *encoder) {
	encodeEMMHeader(e, TypeAuthenticationResponse)
	e.lvBytes(m.RES)
	e.extra(m.Extra, nil)
}

func (m *AuthenticationResponse) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeAuthenticationResponse) {
		return
	}
	m.RES = d.lv("authentication response parameter")
	m.Extra = d.options(nil, refuse)
}

// AuthenticationReject is AUTHENTICATION REJECT (TS 24.301 §8.2.6),
// network to UE.
type AuthenticationReject struct {
	Extra []RawIE
}

func (m *AuthenticationReject) encode(e *encoder) {
	encodeEMMHeader(e, TypeAuthenticationReject)
	e.extra(m.Extra, nil)
}

func (m *AuthenticationReject) decode(d *decoder) {
	if decodeEMMHeader(d, TypeAuthenticationReject) {
		m.Extra = d.options(nil, refuse)
	}
}

// AuthenticationFailure is AUTHENTICATION FAILURE (TS 24.301 §8.2.5), UE
// to network.
type AuthenticationFailure struct {
	Cause EMMCause
	// AUTS is the authentication failure parameter (0x30 TLV, TS 24.008
	// §10.5.3.2.2), sent with cause #21 synch failure.
	AUTS  []byte
	Extra []RawIE
}

func (m *AuthenticationFailure) encode(e *encoder) {
	encodeEMMHeader(e, TypeAuthenticationFailure)
	e.u8(uint8(m.Cause))
	e.tlvBytes(0x30, m.AUTS)
	e.extra(m.Extra, nil)
}

func (m *AuthenticationFailure) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeAuthenticationFailure) {
		return
	}
	m.Cause = EMMCause(d.v1("EMM cause"))
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		if iei == 0x30 {
			return setBytes(&m.AUTS, v)
		}
		return false
	})
}
