package nas

// DownlinkNASTransport is DOWNLINK NAS TRANSPORT (TS 24.301 §8.2.12),
// network to UE: an SMS (TS 24.011 CP message) in the NAS message
// container.
type DownlinkNASTransport struct {
	NASMessageContainer []byte // §9.9.3.22, LV 2-251
	Extra               []RawIE
}

func (m *DownlinkNASTransport) encode(e *encoder) {
	encodeEMMHeader(e, TypeDownlinkNASTransport)
	e.lvBytes(m.NASMessageContainer)
	e.extra(m.Extra, nil)
}

func (m *DownlinkNASTransport) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeDownlinkNASTransport) {
		return
	}
	m.NASMessageContainer = d.lv("NAS message container")
	m.Extra = d.options(nil, refuse)
}

// UplinkNASTransport is UPLINK NAS TRANSPORT (TS 24.301 §8.2.30), UE to
// network.
type UplinkNASTransport struct {
	NASMessageContainer []byte // §9.9.3.22, LV 2-251
	Extra               []RawIE
}

func (m *UplinkNASTransport) encode(e *encoder) {
	encodeEMMHeader(e, TypeUplinkNASTransport)
	e.lvBytes(m.NASMessageContainer)
	e.extra(m.Extra, nil)
}

func (m *UplinkNASTransport) decode(d *decoder) {
	if !decodeEMMHeader(d, TypeUplinkNASTransport) {
		return
	}
	m.NASMessageContainer = d.lv("NAS message container")
	m.Extra = d.options(nil, refuse)
}
