package s1ap

import (
	"encoding/binary"
	mbits "math/bits"
	"strconv"
	"strings"
)

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
	p, ok := parsePDUFastIn(in, nil, true)
	if !ok {
		return nil, false
	}
	return &p, true
}

// parsePDUFastIn is parsePDUFast with the IEs in ies when it has room for
// them (so that a caller can keep PDU and IEs on its stack); with copyIn
// false the PDU's slices alias in itself.
func parsePDUFastIn(in []byte, ies []IE, copyIn bool) (PDU, bool) {
	if len(in) < 4 || in[0]&0x9f != 0 || in[2]&0x3f != 0 {
		return PDU{}, false
	}
	t, c := PDUType(in[0]>>5), Criticality(in[2]>>6)
	if t > UnsuccessfulOutcome || c > Notify {
		return PDU{}, false
	}
	n, h, ok := readLen(in[3:])
	if !ok || 3+h+n > len(in) {
		return PDU{}, false
	}
	b := in
	if copyIn {
		b = make([]byte, len(in)) // one copy: the PDU's slices alias it
		copy(b, in)
	}
	val := b[3+h : 3+h+n]
	p := PDU{Type: t, Code: ProcedureCode(b[1]), Criticality: c, Value: val}
	if end := 3 + h + n; end < len(b) {
		p.Trailing = b[end:]
	}
	if p.Code == ProcPrivateMessage {
		return p, true
	}
	ies, ok = parseContainerFast(val, ies) // (val, not p.Value: p stays on the caller's stack)
	if !ok {
		return PDU{}, false
	}
	p.IEs, p.HasIEs = ies, true
	return p, true
}

// parseContainerFast appends the IEs of a container to ies.
func parseContainerFast(v []byte, ies []IE) ([]IE, bool) {
	if len(v) < 3 || v[0] != 0 {
		return nil, false
	}
	count := int(binary.BigEndian.Uint16(v[1:]))
	if count > (len(v)-3)/4 {
		return nil, false
	}
	if cap(ies) < count {
		ies = make([]IE, count)
	} else {
		ies = ies[:count]
	}
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
func marshalPDUFast(p *PDU) ([]byte, bool) { return appendPDUFast(nil, p) }

// appendPDUFast is marshalPDUFast appending to dst.
func appendPDUFast(dst []byte, p *PDU) ([]byte, bool) {
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
	b := dst
	if cap(b)-len(b) < 5+size {
		b = make([]byte, len(dst), len(dst)+5+size)
		copy(b, dst)
	}
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
func encUEID(v uint32) []byte { return appendUEID(make([]byte, 0, 5), v) }

// appendUEID appends encUEID(v) to b.
func appendUEID(b []byte, v uint32) []byte {
	switch {
	case v < 1<<8:
		return append(b, 0x00, byte(v))
	case v < 1<<16:
		return append(b, 0x40, byte(v>>8), byte(v))
	case v < 1<<24:
		return append(b, 0x80, byte(v>>16), byte(v>>8), byte(v))
	}
	return append(b, 0xc0, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
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
	return appendOctets(make([]byte, 0, 2+len(v)), v), true
}

// appendOctets appends the encoding of an unconstrained OCTET STRING of
// fewer than 16384 octets (the caller checks).
func appendOctets(b, v []byte) []byte { return append(appendLen(b, len(v)), v...) }

func decOctets(b []byte) ([]byte, bool) {
	v, ok := octetsValue(b)
	if !ok {
		return nil, false
	}
	return append([]byte{}, v...), true
}

// octetsValue is the contents of an OCTET STRING of canonical length
// (aliasing b).
func octetsValue(b []byte) ([]byte, bool) {
	n, h, ok := readLen(b)
	if !ok || h+n > len(b) {
		return nil, false
	}
	return b[h : h+n], true
}

func encTAI(t TAI) ([]byte, bool) { return appendTAI(make([]byte, 0, 6), t) }

func appendTAI(b []byte, t TAI) ([]byte, bool) {
	if t.Ext != nil {
		return b, false
	}
	return append(b, 0, t.PLMN[0], t.PLMN[1], t.PLMN[2], byte(t.TAC>>8), byte(t.TAC)), true
}

func decTAI(b []byte) (TAI, bool) {
	if len(b) != 6 || b[0] != 0 {
		return TAI{}, false
	}
	return TAI{PLMN: PLMN{b[1], b[2], b[3]}, TAC: binary.BigEndian.Uint16(b[4:])}, true
}

func encCGI(c EUTRANCGI) ([]byte, bool) { return appendCGI(make([]byte, 0, 8), c) }

func appendCGI(b []byte, c EUTRANCGI) ([]byte, bool) {
	if c.Ext != nil || c.CellID >= 1<<28 {
		return b, false
	}
	v := c.CellID << 4
	return append(b, 0, c.PLMN[0], c.PLMN[1], c.PLMN[2], byte(v>>24), byte(v>>16), byte(v>>8), byte(v)), true
}

func decCGI(b []byte) (EUTRANCGI, bool) {
	if len(b) != 8 || b[0] != 0 {
		return EUTRANCGI{}, false
	}
	return EUTRANCGI{PLMN: PLMN{b[1], b[2], b[3]}, CellID: binary.BigEndian.Uint32(b[4:]) >> 4}, true
}

// causeRoot is the number of root values of each Cause group's ENUMERATED
// (asnCause in asn.go): radioNetwork 36, transport 2, nas 4, protocol 7,
// misc 6, and causeBits the bits of its constrained index.
var (
	causeRoot = [5]uint8{36, 2, 4, 7, 6}
	causeBits = [5]uint{6, 1, 2, 3, 3}
)

// encCause encodes a Cause in a root value: CHOICE extension bit, 3-bit
// group index, ENUMERATED extension bit, then the index, padded to octets.
func encCause(c Cause) ([]byte, bool) { return appendCause(make([]byte, 0, 2), c) }

func appendCause(b []byte, c Cause) ([]byte, bool) {
	if c.Group > CauseGroupMisc || c.Value >= causeRoot[c.Group] {
		return b, false
	}
	n := causeBits[c.Group]
	v := uint16(c.Group)<<12 | uint16(c.Value)<<(11-n)
	if n <= 3 {
		return append(b, byte(v>>8)), true
	}
	return append(b, byte(v>>8), byte(v)), true
}

func decCause(b []byte) (Cause, bool) {
	if len(b) == 0 || b[0]&0x88 != 0 {
		return Cause{}, false
	}
	g := CauseGroup(b[0] >> 4)
	if g > CauseGroupMisc {
		return Cause{}, false
	}
	n := causeBits[g]
	var v uint16
	if n <= 3 {
		if len(b) != 1 {
			return Cause{}, false
		}
		v = uint16(b[0]) << 8
	} else {
		if len(b) != 2 {
			return Cause{}, false
		}
		v = uint16(b[0])<<8 | uint16(b[1])
	}
	x := v >> (11 - n) & (1<<n - 1)
	if v&(1<<(11-n)-1) != 0 || x >= uint16(causeRoot[g]) {
		return Cause{}, false
	}
	return Cause{Group: g, Value: uint8(x)}, true
}

// appendID appends the 2-bit length (at bit offset shift of the current
// octet, already appended) and the octets of a UE S1AP ID.
func appendID(b []byte, shift uint, v uint32) []byte {
	n := ueIDLen(v) - 1
	b[len(b)-1] |= byte(n-1) << shift
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// encUES1APIDs encodes UE-S1AP-IDs: CHOICE extension bit and index; the
// pair has its SEQUENCE extension bit, the iE-Extensions presence bit and
// the two IDs; the other alternative only the MME UE S1AP ID.
func encUES1APIDs(u UES1APIDs) ([]byte, bool) { return appendUES1APIDs(make([]byte, 0, 10), u) }

func appendUES1APIDs(b []byte, u UES1APIDs) ([]byte, bool) {
	if u.ENBUES1APID == nil {
		if u.Ext != nil {
			return b, false
		}
		b = append(b, 0x40)
		return appendID(b, 4, u.MMEUES1APID), true
	}
	if u.Ext != nil || *u.ENBUES1APID >= 1<<24 {
		return b, false
	}
	b = appendID(append(b, 0), 2, u.MMEUES1APID)
	b = append(b, 0)
	return appendID(b, 6, *u.ENBUES1APID), true
}

// readID reads a UE S1AP ID of at most max octets whose length-1 is in
// the two bits at shift of b[0], the value in the following octets.
func readID(b []byte, shift uint, max int) (uint32, []byte, bool) {
	n := int(b[0]>>shift&3) + 1
	if n > max || len(b) < 1+n {
		return 0, nil, false
	}
	var v uint32
	for _, c := range b[1 : 1+n] {
		v = v<<8 | uint32(c)
	}
	return v, b[1+n:], true
}

// decUES1APIDs accepts only the encoding encUES1APIDs produces.
func decUES1APIDs(b []byte) (UES1APIDs, bool) {
	if len(b) < 2 {
		return UES1APIDs{}, false
	}
	var u UES1APIDs
	switch {
	case b[0]&0xcf == 0x40:
		v, rest, ok := readID(b, 4, 4)
		if !ok || len(rest) != 0 {
			return UES1APIDs{}, false
		}
		u.MMEUES1APID = v
	case b[0]&0xf3 == 0:
		v, rest, ok := readID(b, 2, 4)
		if !ok || len(rest) < 2 || rest[0]&0x3f != 0 {
			return UES1APIDs{}, false
		}
		e, rest2, ok := readID(rest, 6, 3)
		if !ok || len(rest2) != 0 {
			return UES1APIDs{}, false
		}
		u.MMEUES1APID, u.ENBUES1APID = v, &e
	default:
		return UES1APIDs{}, false
	}
	var buf [10]byte
	if c, ok := appendUES1APIDs(buf[:0], u); !ok || string(c) != string(b) {
		return UES1APIDs{}, false // a non-minimal length: leave it to aper
	}
	return u, true
}

// encBits16 encodes a fixed-size BIT STRING of n <= 16 bits (not octet
// aligned, padded to octets).
func encBits16(v uint16, n uint) ([]byte, bool) {
	if v >= 1<<n {
		return nil, false
	}
	v <<= 16 - n
	if n <= 8 {
		return []byte{byte(v >> 8)}, true
	}
	return []byte{byte(v >> 8), byte(v)}, true
}

func decBits16(b []byte, n uint) (uint16, bool) {
	if len(b) != int(n+7)/8 || len(b) == 0 {
		return 0, false
	}
	v := uint16(b[0]) << 8
	if len(b) == 2 {
		v |= uint16(b[1])
	}
	if v&(1<<(16-n)-1) != 0 {
		return 0, false
	}
	return v >> (16 - n), true
}

// encPagingID encodes UEPagingID: CHOICE extension bit and index; s-TMSI
// is a SEQUENCE (extension bit, iE-Extensions bit, MMEC in 8 unaligned
// bits, m-TMSI aligned), iMSI an OCTET STRING (SIZE(3..8)): 3-bit length-3,
// then the aligned octets.
func encPagingID(p UEPagingID) ([]byte, bool) {
	switch {
	case p.STMSI != nil && p.IMSI == nil:
		s := p.STMSI
		if s.Ext != nil {
			return nil, false
		}
		return []byte{s.MMEC >> 4, s.MMEC << 4, byte(s.MTMSI >> 24), byte(s.MTMSI >> 16), byte(s.MTMSI >> 8), byte(s.MTMSI)}, true
	case p.STMSI == nil && len(p.IMSI) >= 3 && len(p.IMSI) <= 8:
		b := make([]byte, 1, 1+len(p.IMSI))
		b[0] = 0x40 | byte(len(p.IMSI)-3)<<3
		return append(b, p.IMSI...), true
	}
	return nil, false
}

func decPagingID(b []byte) (UEPagingID, bool) {
	if len(b) == 0 {
		return UEPagingID{}, false
	}
	switch {
	case b[0]&0xf0 == 0 && len(b) == 6 && b[1]&0x0f == 0:
		return UEPagingID{STMSI: &STMSI{MMEC: b[0]<<4 | b[1]>>4, MTMSI: binary.BigEndian.Uint32(b[2:])}}, true
	case b[0]&0xc7 == 0x40:
		n := int(b[0]>>3&7) + 3
		if n <= 8 && len(b) == 1+n {
			return UEPagingID{IMSI: append([]byte{}, b[1:]...)}, true
		}
	}
	return UEPagingID{}, false
}

// encTAIList encodes the TAI List, a SEQUENCE (SIZE(1..256)) OF
// ProtocolIE-SingleContainer {TAIItem}: count-1 in an octet, then each item
// as id, criticality, open type holding TAIItem (no iE-Extensions), which
// has the same encoding as its TAI.
func encTAIList(tais []TAI, crit func(i int) Criticality) ([]byte, bool) {
	if len(tais) == 0 || len(tais) > 256 {
		return nil, false
	}
	b := make([]byte, 1, 1+10*len(tais))
	b[0] = byte(len(tais) - 1)
	for i, t := range tais {
		c := crit(i)
		if t.Ext != nil || c > Notify {
			return nil, false
		}
		b = append(b, byte(IDTAIItem>>8), byte(IDTAIItem), byte(c)<<6, 6, 0, t.PLMN[0], t.PLMN[1], t.PLMN[2], byte(t.TAC>>8), byte(t.TAC))
	}
	return b, true
}

// decTAIList decodes what encTAIList produces; crits are the item
// criticalities.
func decTAIList(b []byte) ([]TAI, []Criticality, bool) {
	if len(b) == 0 {
		return nil, nil, false
	}
	n := int(b[0]) + 1
	if len(b) != 1+10*n {
		return nil, nil, false
	}
	tais := make([]TAI, n)
	crits := make([]Criticality, n)
	for i := range tais {
		e := b[1+10*i : 11+10*i]
		if ProtocolIEID(binary.BigEndian.Uint16(e)) != IDTAIItem || e[2]&0x3f != 0 || e[2]>>6 > 2 || e[3] != 6 || e[4] != 0 {
			return nil, nil, false
		}
		crits[i] = Criticality(e[2] >> 6)
		tais[i] = TAI{PLMN: PLMN{e[5], e[6], e[7]}, TAC: binary.BigEndian.Uint16(e[8:])}
	}
	return tais, crits, true
}

// enumShape reads the aper parameters of an ENUMERATED with a root of
// 0..ub ("valueLB:0,valueUB:ub", optionally preceded by "valueExt,"):
// whether it has an extension marker and the bits of its constrained index
// (X.691 §11.5.7.2, a bit-field for ranges up to 255). ok is false for
// other shapes and for encodings of no bits at all.
func enumShape(params string) (ext bool, nbits uint, ub uint64, ok bool) {
	s, ext := strings.CutPrefix(params, "valueExt,")
	s, ok = strings.CutPrefix(s, "valueLB:0,valueUB:")
	if !ok {
		return false, 0, 0, false
	}
	ub, err := strconv.ParseUint(s, 10, 8)
	if err != nil || ub > 254 || (ub == 0 && !ext) {
		return false, 0, 0, false
	}
	return ext, uint(mbits.Len64(ub)), ub, true
}

// appendEnum appends root value v (≤ ub) of an ENUMERATED of that shape:
// the extension bit (0) when there is a marker, then the index, padded to
// octets.
func appendEnum(b []byte, ext bool, nbits uint, v uint64) []byte {
	total := nbits
	if ext {
		total++
	}
	w := uint16(v) << (16 - total)
	if total <= 8 {
		return append(b, byte(w>>8))
	}
	return append(b, byte(w>>8), byte(w))
}

// decEnum decodes what appendEnum produces for params, and nothing else.
func decEnum(b []byte, params string) (uint64, bool) {
	ext, nbits, ub, ok := enumShape(params)
	if !ok {
		return 0, false
	}
	total := nbits
	if ext {
		total++
	}
	if len(b) != int(total+7)/8 {
		return 0, false
	}
	w := uint16(b[0]) << 8
	if len(b) == 2 {
		w |= uint16(b[1])
	}
	if ext && w&0x8000 != 0 || w&(1<<(16-total)-1) != 0 {
		return 0, false
	}
	v := uint64(w>>(16-total)) & (1<<nbits - 1)
	if v > ub {
		return 0, false
	}
	return v, true
}
