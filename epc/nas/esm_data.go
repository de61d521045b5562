package nas

// ESMDataTransport is ESM DATA TRANSPORT (TS 24.301 §8.3.25), both
// directions: user data over the control plane (control plane CIoT EPS
// optimization). UserData is the user data container (§9.9.4.24, LV-E):
// an IP packet, or non-IP data.
type ESMDataTransport struct {
	ESMHeader
	UserData                    []byte
	ReleaseAssistanceIndication *ReleaseAssistanceIndication // 0xF- TV 1 (UE to network)
	Extra                       []RawIE
}

func (m *ESMDataTransport) encode(e *encoder) {
	m.encodeHeader(e, TypeESMDataTransport)
	e.lveBytes(m.UserData)
	tv1(e, 0xf0, m.ReleaseAssistanceIndication)
	e.extra(m.Extra, nil)
}

func (m *ESMDataTransport) decode(d *decoder) {
	if !m.decodeHeader(d, TypeESMDataTransport) {
		return
	}
	m.UserData = d.lve("user data container")
	if d.err != nil || d.left() == 0 {
		return
	}
	m.Extra = d.options(nil, func(iei byte, v []byte) bool {
		return iei == 0xf0 && setHalf(&m.ReleaseAssistanceIndication, v)
	})
}

// UnmarshalAliasing decodes b into m without copying it: m's slices alias
// b, which must stay unchanged while m is used (an ESM message container
// inside a message that is itself a private copy, say).
func (m *ESMDataTransport) UnmarshalAliasing(b []byte) error {
	*m = ESMDataTransport{}
	return runDecode(m, b, DirectionUnknown)
}
