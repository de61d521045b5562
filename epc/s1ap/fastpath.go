package s1ap

import "encoding/binary"

// Hand-written aligned PER for the few fixed-shape parts that every S1AP
// message goes through: the S1AP-PDU envelope, the ProtocolIE-Container and
// the UE S1AP IDs, NAS-PDU, TAI and E-UTRAN CGI values. aper (reflection)
// costs about 2 µs and 50 allocations for the envelope alone; these paths
// take a few tens of nanoseconds. Each one handles only the canonical
// shape (no extension bits, no fragmented lengths, zero padding, no
// iE-Extensions) and reports !ok otherwise, and the caller then uses aper,
// so the result is aper's in every case. fastpath_test.go checks that both
// give the same bytes and values on all capture PDUs and on random values.

// appendLen appends an unconstrained length determinant (X.691 §11.9.3.6-7)
// for n < 16384.
func appendLen(b []byte, n int) []byte {
	if n < 128 {
		return append(b, byte(n))
	}
	return append(b, 0x80|byte(n>>8), byte(n))
}

// readLen reads a non-fragmented length determinant.
func readLen(b []byte) (n, hdr int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	switch {
	case b[0]&0x80 == 0:
		return int(b[0]), 1, true
	case b[0]&0x40 == 0 && len(b) >= 2:
		return int(b[0]&0x3f)<<8 | int(b[1]), 2, true
	}
	return 0, 0, false
}

// parsePDUFast decodes the envelope and container of a canonical PDU.
func parsePDUFast(in []byte) (*PDU, bool) {
	if len(in) < 4 || in[0]&0x9f != 0 || in[2]&0x3f != 0 {
		return nil, false
	}
	t, c := PDUType(in[0]>>5), Criticality(in[2]>>6)
	if t > UnsuccessfulOutcome || c > Notify {
		return nil, false
	}
	n, h, ok := readLen(in[3:])
	if !ok || 3+h+n > len(in) {
		return nil, false
	}
	b := make([]byte, len(in)) // one copy: the PDU's slices alias it
	copy(b, in)
	p := &PDU{Type: t, Code: ProcedureCode(b[1]), Criticality: c, Value: b[3+h : 3+h+n]}
	if end := 3 + h + n; end < len(b) {
		p.Trailing = b[end:]
	}
	if p.Code == ProcPrivateMessage {
		return p, true
	}
	ies, ok := parseContainerFast(p.Value)
	if !ok {
		return nil, false
	}
	p.IEs, p.HasIEs = ies, true
	return p, true
}

func parseContainerFast(v []byte) ([]IE, bool) {
	if len(v) < 3 || v[0] != 0 {
		return nil, false
	}
	count := int(binary.BigEndian.Uint16(v[1:]))
	if count > (len(v)-3)/4 {
		return nil, false
	}
	ies := make([]IE, count)
	off := 3
	for i := range ies {
		if off+4 > len(v) || v[off+2]&0x3f != 0 || v[off+2]>>6 > 2 {
			return nil, false
		}
		n, h, ok := readLen(v[off+3:])
		start := off + 3 + h
		if !ok || start+n > len(v) {
			return nil, false
		}
		ies[i] = IE{ID: ProtocolIEID(binary.BigEndian.Uint16(v[off:])), Criticality: Criticality(v[off+2] >> 6), Value: v[start : start+n : start+n]}
		off = start + n
	}
	return ies, true
}

func lenHdr(n int) int {
	if n < 128 {
		return 1
	}
	return 2
}

// marshalPDUFast encodes envelope and container when every length is below
// 16K and the values are non-empty.
func marshalPDUFast(p *PDU) ([]byte, bool) {
	if p.Type > UnsuccessfulOutcome || p.Criticality > Notify {
		return nil, false
	}
	size := len(p.Value)
	if p.HasIEs {
		if len(p.IEs) > 65535 {
			return nil, false
		}
		size = 3
		for _, ie := range p.IEs {
			if len(ie.Value) == 0 || len(ie.Value) >= 16384 || ie.Criticality > Notify {
				return nil, false
			}
			size += 3 + lenHdr(len(ie.Value)) + len(ie.Value)
		}
	}
	if size == 0 || size >= 16384 {
		return nil, false
	}
	b := make([]byte, 0, 5+size)
	b = append(b, byte(p.Type)<<5, byte(p.Code), byte(p.Criticality)<<6)
	b = appendLen(b, size)
	if !p.HasIEs {
		return append(b, p.Value...), true
	}
	b = append(b, 0, byte(len(p.IEs)>>8), byte(len(p.IEs)))
	for _, ie := range p.IEs {
		b = append(b, byte(ie.ID>>8), byte(ie.ID), byte(ie.Criticality)<<6)
		b = appendLen(b, len(ie.Value))
		b = append(b, ie.Value...)
	}
	return b, true
}

// encUEID encodes MME-UE-S1AP-ID (0..2^32-1, 2-bit length) or
// ENB-UE-S1AP-ID (0..2^24-1, 2-bit length): length-1 in the first two bits,
// then the value in the minimum number of octets.
func encUEID(v uint32) []byte {
	switch {
	case v < 1<<8:
		return []byte{0x00, byte(v)}
	case v < 1<<16:
		return []byte{0x40, byte(v >> 8), byte(v)}
	case v < 1<<24:
		return []byte{0x80, byte(v >> 16), byte(v >> 8), byte(v)}
	}
	return []byte{0xc0, byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// decUEID decodes a UE S1AP ID of at most maxOctets octets (non-minimal
// lengths accepted, as aper does).
func decUEID(b []byte, maxOctets int) (uint32, bool) {
	if len(b) < 2 || b[0]&0x3f != 0 {
		return 0, false
	}
	n := int(b[0]>>6) + 1
	if n > maxOctets || len(b) < 1+n {
		return 0, false
	}
	var v uint32
	for _, c := range b[1 : 1+n] {
		v = v<<8 | uint32(c)
	}
	return v, true
}

func encOctets(v []byte) ([]byte, bool) {
	if len(v) >= 16384 {
		return nil, false
	}
	b := make([]byte, 0, 2+len(v))
	return append(appendLen(b, len(v)), v...), true
}

func decOctets(b []byte) ([]byte, bool) {
	n, h, ok := readLen(b)
	if !ok || h+n > len(b) {
		return nil, false
	}
	return append([]byte{}, b[h:h+n]...), true
}

func encTAI(t TAI) ([]byte, bool) {
	if t.Ext != nil {
		return nil, false
	}
	return []byte{0, t.PLMN[0], t.PLMN[1], t.PLMN[2], byte(t.TAC >> 8), byte(t.TAC)}, true
}

func decTAI(b []byte) (TAI, bool) {
	if len(b) != 6 || b[0] != 0 {
		return TAI{}, false
	}
	return TAI{PLMN: PLMN{b[1], b[2], b[3]}, TAC: binary.BigEndian.Uint16(b[4:])}, true
}

func encCGI(c EUTRANCGI) ([]byte, bool) {
	if c.Ext != nil || c.CellID >= 1<<28 {
		return nil, false
	}
	v := c.CellID << 4
	return []byte{0, c.PLMN[0], c.PLMN[1], c.PLMN[2], byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}, true
}

func decCGI(b []byte) (EUTRANCGI, bool) {
	if len(b) != 8 || b[0] != 0 {
		return EUTRANCGI{}, false
	}
	return EUTRANCGI{PLMN: PLMN{b[1], b[2], b[3]}, CellID: binary.BigEndian.Uint32(b[4:]) >> 4}, true
}
