package nas

// EMMStatus is EMM STATUS (TS 24.301 §8.2.14), both directions.
type EMMStatus struct {
	Cause EMMCause
	Extra []RawIE
}

func (m *EMMStatus) encode(e *encoder) {
	encodeEMMHeader(e, TypeEMMStatus)
	e.u8(uint8(m.Cause))
	e.extra(m.Extra, nil)
}

func (m *EMMStatus) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeEMMStatus) {
		return
	}
	m.Cause = EMMCause(d.v1("EMM cause"))
	m.Extra = d.options(nil, refuse)
}

// EMMInformation is EMM INFORMATION (TS 24.301 §8.2.13), network to UE.
// The network names and times are kept as their octets (TS 24.008
// §10.5.3.5a, §10.5.3.8, §10.5.3.9, §10.5.3.12).
type EMMInformation struct {
	FullNetworkName               []byte // 0x43 TLV
	ShortNetworkName              []byte // 0x45 TLV
	LocalTimeZone                 []byte // 0x46 TV 2
	UniversalTimeAndLocalTimeZone []byte // 0x47 TV 8
	NetworkDaylightSavingTime     []byte // 0x49 TLV
	Extra                         []RawIE
}

var emmInformationTV = []tvDef{{0x46, 2}, {0x47, 8}}

func (m *EMMInformation) encode(e *encoder) {
	encodeEMMHeader(e, TypeEMMInformation)
	e.tlvBytes(0x43, m.FullNetworkName)
	e.tlvBytes(0x45, m.ShortNetworkName)
	e.tvBytes(0x46, 2, m.LocalTimeZone)
	e.tvBytes(0x47, 8, m.UniversalTimeAndLocalTimeZone)
	e.tlvBytes(0x49, m.NetworkDaylightSavingTime)
	e.extra(m.Extra, emmInformationTV)
}

func (m *EMMInformation) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeEMMInformation) {
		return
	}
	m.Extra = d.options(emmInformationTV, func(iei byte, v []byte) bool {
		switch iei {
		case 0x43:
			return setBytes(&m.FullNetworkName, v)
		case 0x45:
			return setBytes(&m.ShortNetworkName, v)
		case 0x46:
			return setBytes(&m.LocalTimeZone, v)
		case 0x47:
			return setBytes(&m.UniversalTimeAndLocalTimeZone, v)
		case 0x49:
			return setBytes(&m.NetworkDaylightSavingTime, v)
		}
		return false
	})
}
