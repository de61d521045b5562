package nas

// ESMStatus is ESM STATUS (TS 24.301 §8.3.15), both directions.
type ESMStatus struct {
	ESMHeader
	Cause ESMCause
	Extra []RawIE
}

func (m *ESMStatus) encode(e *encoder) {
	m.encodeHeader(e, TypeESMStatus)
	e.u8(uint8(m.Cause))
	e.extra(m.Extra, nil)
}

func (m *ESMStatus) decode(d *decoder) {
	if m.decodeHeader(d, TypeESMStatus) {
		m.Cause = ESMCause(d.v1("ESM cause"))
		m.Extra = d.options(nil, refuse)
	}
}
