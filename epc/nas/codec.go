package nas

import "sync"

// Encoding and decoding machinery shared by every message: the IE formats
// of TS 24.007 §11.2.1 (V, LV, LV-E, TV, TLV, TLV-E) and the handling of
// the non-imperative part (optional IEs) of TS 24.301 §7.6.

// ieValue is an IE whose value part (no IEI, no length) we can write.
type ieValue interface {
	encodeValue(e *encoder)
}

// ieDecoder is an IE whose value part we can read.
type ieDecoder interface {
	decodeValue(v []byte) error
}

// encoder writes a message into b, or only counts its length when b is nil
// (MarshalLen runs the same code as MarshalTo). Writes past the end of b
// are dropped and only counted, so that MarshalTo needs a single pass and
// reports ErrShortBuffer afterwards. The first error sticks.
type encoder struct {
	b   []byte
	n   int
	err error
}

func (e *encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *encoder) u8(v byte) {
	if e.n < len(e.b) {
		e.b[e.n] = v
	}
	e.n++
}

func (e *encoder) u16(v uint16) { e.u8(byte(v >> 8)); e.u8(byte(v)) }

func (e *encoder) u32(v uint32) { e.u16(uint16(v >> 16)); e.u16(uint16(v)) }

func (e *encoder) raw(p []byte) {
	if e.n < len(e.b) {
		copy(e.b[e.n:], p)
	}
	e.n += len(p)
}

// lenStart reserves a w-octet length field (1 for LV/TLV, 2 for LV-E/TLV-E).
func (e *encoder) lenStart(w int) int {
	at := e.n
	e.n += w
	return at
}

// lenEnd fills in the length reserved at at.
func (e *encoder) lenEnd(at, w int) {
	l := e.n - at - w
	if (w == 1 && l > 0xff) || l > 0xffff {
		e.fail(ErrTooLong)
		return
	}
	if at+w <= len(e.b) {
		if w == 1 {
			e.b[at] = byte(l)
		} else {
			e.b[at], e.b[at+1] = byte(l>>8), byte(l)
		}
	}
}

func (e *encoder) lv(v ieValue) {
	at := e.lenStart(1)
	v.encodeValue(e)
	e.lenEnd(at, 1)
}

func (e *encoder) lvBytes(p []byte) {
	if len(p) > 0xff {
		e.fail(ErrTooLong)
	}
	e.u8(byte(len(p)))
	e.raw(p)
}

func (e *encoder) lveBytes(p []byte) {
	if len(p) > 0xffff {
		e.fail(ErrTooLong)
	}
	e.u16(uint16(len(p)))
	e.raw(p)
}

// tlvBytes writes an optional TLV IE; nil means absent.
func (e *encoder) tlvBytes(iei byte, p []byte) {
	if p != nil {
		e.u8(iei)
		e.lvBytes(p)
	}
}

// tlveBytes writes an optional TLV-E IE; nil means absent.
func (e *encoder) tlveBytes(iei byte, p []byte) {
	if p != nil {
		e.u8(iei)
		e.lveBytes(p)
	}
}

// tvBytes writes an optional TV IE of fixed length n octets (IEI included);
// nil means absent.
func (e *encoder) tvBytes(iei byte, n int, p []byte) {
	if p != nil {
		if len(p) != n-1 {
			e.fail(invalidf("IE 0x%02x: value of %d octets, want %d", iei, len(p), n-1))
		}
		e.u8(iei)
		e.raw(p)
	}
}

// tv1 writes an optional type 1 IE (IEI in bits 8-5, value in bits 4-1).
func tv1[T ~uint8](e *encoder, iei byte, v *T) {
	if v != nil {
		e.u8(iei&0xf0 | uint8(*v)&0x0f)
	}
}

// tlv writes an optional TLV IE from a typed value; nil means absent.
func tlv[P interface {
	*T
	ieValue
}, T any](e *encoder, iei byte, v P) {
	if v != nil {
		e.u8(iei)
		e.lv(v)
	}
}

// tv writes an optional TV IE from a typed fixed-length value.
func tv[P interface {
	*T
	ieValue
}, T any](e *encoder, iei byte, v P) {
	if v != nil {
		e.u8(iei)
		v.encodeValue(e)
	}
}

// extra writes the IEs a message keeps raw, with the formats the message's
// table gives their IEIs.
func (e *encoder) extra(ies []RawIE, tvs []tvDef) {
	for _, ie := range ies {
		switch {
		case ie.Type >= 0x80:
			if len(ie.Value) != 0 {
				e.fail(invalidf("type 1 IE 0x%02x has a value part", ie.Type))
			}
			e.u8(ie.Type)
		case tvLen(tvs, ie.Type) > 0:
			e.tvBytes(ie.Type, tvLen(tvs, ie.Type), nonNil(ie.Value))
		case ie.Type&0xf0 == 0x70:
			e.u8(ie.Type)
			e.lveBytes(ie.Value)
		default:
			e.u8(ie.Type)
			e.lvBytes(ie.Value)
		}
	}
}

func nonNil(p []byte) []byte {
	if p == nil {
		return []byte{}
	}
	return p
}

// encodable is implemented by every message.
type encodable interface {
	encode(e *encoder)
}

// encoders recycles encoders: one passed to a message's encode method (an
// interface call) escapes, and would otherwise be allocated per call.
var encoders = sync.Pool{New: func() any { return new(encoder) }}

func getEncoder(b []byte) *encoder {
	e := encoders.Get().(*encoder)
	e.b = b
	return e
}

func putEncoder(e *encoder) {
	*e = encoder{}
	encoders.Put(e)
}

func marshalLen(m encodable) int {
	e := getEncoder(nil)
	m.encode(e)
	n := e.n
	putEncoder(e)
	return n
}

// marshalTo encodes in one pass; on ErrShortBuffer b holds a partial
// encoding.
func marshalTo(m encodable, b []byte) (int, error) {
	e := getEncoder(b)
	defer putEncoder(e)
	m.encode(e)
	if e.err != nil {
		return 0, e.err
	}
	if e.n > len(b) {
		return 0, ErrShortBuffer
	}
	return e.n, nil
}

func marshal(m encodable) ([]byte, error) {
	return appendMessage(nil, m)
}

// appendMessage appends the encoding of m to b: in one pass when b has
// room for it, else in two (length, then into a grown buffer).
func appendMessage(b []byte, m encodable) ([]byte, error) {
	e := getEncoder(b[len(b):cap(b)])
	defer putEncoder(e)
	m.encode(e)
	if e.err != nil {
		return nil, e.err
	}
	if e.n <= len(e.b) {
		return b[:len(b)+e.n], nil
	}
	out := make([]byte, len(b)+e.n)
	copy(out, b)
	*e = encoder{b: out[len(b):]}
	m.encode(e)
	if e.err != nil {
		return nil, e.err
	}
	return out, nil
}

// Append appends the encoding of m (any message of this package) to b
// and returns the extended slice: in b's spare capacity when it has room,
// so that a caller can encode into a buffer with space in front (for the
// security header, say) without copying.
func Append(b []byte, m Message) ([]byte, error) {
	if x, ok := m.(encodable); ok {
		return appendMessage(b, x)
	}
	n := m.MarshalLen()
	out := append(b, make([]byte, n)...)
	if _, err := m.MarshalTo(out[len(b):]); err != nil {
		return nil, err
	}
	return out, nil
}

// marshalValue encodes the value part of an IE.
func marshalValue(v ieValue) ([]byte, error) {
	var c encoder
	v.encodeValue(&c)
	if c.err != nil {
		return nil, c.err
	}
	e := encoder{b: make([]byte, c.n)}
	v.encodeValue(&e)
	return e.b, e.err
}

// decoder reads a message from b. Slices it returns alias b. The first
// error sticks and every later read returns zero values.
type decoder struct {
	b   []byte
	off int
	err error
	dir Direction // for the DETACH REQUEST inside a protected message
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *decoder) left() int { return len(d.b) - d.off }

func (d *decoder) need(n int) bool {
	if d.err != nil {
		return false
	}
	if d.left() < n {
		d.err = &TruncatedError{Offset: d.off, Want: n}
		return false
	}
	return true
}

// mandatory checks that a mandatory IE starts here.
func (d *decoder) mandatory(name string) bool {
	if d.err != nil {
		return false
	}
	if d.left() == 0 {
		d.err = &MissingIEError{Name: name}
		return false
	}
	return true
}

func (d *decoder) u8() byte {
	if !d.need(1) {
		return 0
	}
	d.off++
	return d.b[d.off-1]
}

func (d *decoder) u16() uint16 {
	if !d.need(2) {
		return 0
	}
	d.off += 2
	return uint16(d.b[d.off-2])<<8 | uint16(d.b[d.off-1])
}

func (d *decoder) u32() uint32 { return uint32(d.u16())<<16 | uint32(d.u16()) }

func (d *decoder) bytes(n int) []byte {
	if !d.need(n) {
		return nil
	}
	d.off += n
	return d.b[d.off-n : d.off : d.off]
}

// v reads a mandatory V IE of n octets.
func (d *decoder) v(name string, n int) []byte {
	if !d.mandatory(name) {
		return nil
	}
	return d.bytes(n)
}

// v1 reads a mandatory one-octet V IE (or two half-octet V IEs).
func (d *decoder) v1(name string) byte {
	if !d.mandatory(name) {
		return 0
	}
	return d.u8()
}

// lv reads a mandatory LV IE's value.
func (d *decoder) lv(name string) []byte {
	if !d.mandatory(name) {
		return nil
	}
	return d.bytes(int(d.u8()))
}

// lve reads a mandatory LV-E IE's value.
func (d *decoder) lve(name string) []byte {
	if !d.mandatory(name) {
		return nil
	}
	if !d.need(2) {
		return nil
	}
	return d.bytes(int(d.u16()))
}

// lvIE reads a mandatory LV IE into a typed value.
func (d *decoder) lvIE(name string, v ieDecoder) {
	p := d.lv(name)
	d.value(name, p, v)
}

// value decodes a mandatory IE's value.
func (d *decoder) value(name string, p []byte, v ieDecoder) {
	if d.err != nil {
		return
	}
	if err := v.decodeValue(p); err != nil {
		d.err = &InvalidIEError{Name: name, Err: err}
	}
}

// tvDef gives the total length (IEI included) of a TV IE with a full-octet
// IEI (type 3). Every other optional IE's format follows from its IEI: bit 8
// set means a one-octet type 1/2 IE, 0x7X a TLV-E IE and the rest TLV
// (TS 24.007 §11.2.4, TS 24.301 §7.6.1).
type tvDef struct{ iei, n byte }

func tvLen(tvs []tvDef, iei byte) int {
	for _, t := range tvs {
		if t.iei == iei {
			return int(t.n)
		}
	}
	return 0
}

// RawIE is an optional IE kept as octets: an IE this package does not know
// in the message (skipped as TS 24.301 §7.6.1 requires), a repeated IE
// (§7.6.3) or a syntactically incorrect optional IE (§7.5.2). Type is the
// IEI octet; for a type 1 IE (Type ≥ 0x80) it is the whole octet, value
// included, and Value is nil. Value is the value part (without the length
// field) for TV, TLV and TLV-E IEs. Marshal writes them after the modelled
// IEs, in order.
type RawIE struct {
	Type  uint8
	Value []byte
}

// options reads the non-imperative part: set is called with the IEI (bits
// 8-5 only, for type 1 IEs) and the value (for a type 1 IE: the octet
// itself). set returns false for an IE it does not take, which is then kept
// in the returned list.
func (d *decoder) options(tvs []tvDef, set func(iei byte, v []byte) bool) []RawIE {
	var extra []RawIE
	for d.err == nil && d.off < len(d.b) {
		iei := d.b[d.off]
		var v []byte
		key := iei
		switch {
		case iei >= 0x80:
			key = iei & 0xf0
			v = d.bytes(1)
		case tvLen(tvs, iei) > 0:
			d.off++
			v = d.bytes(tvLen(tvs, iei) - 1)
		case iei&0xf0 == 0x70:
			d.off++
			if d.need(2) {
				v = d.bytes(int(d.u16()))
			}
		default:
			d.off++
			if d.need(1) {
				v = d.bytes(int(d.u8()))
			}
		}
		if d.err != nil {
			break
		}
		if !set(key, v) {
			if iei >= 0x80 {
				v = nil
			}
			extra = append(extra, RawIE{Type: iei, Value: v})
		}
	}
	return extra
}

// refuse is the options callback of a message without optional IEs.
func refuse(byte, []byte) bool { return false }

// Setters for options callbacks. Each refuses (returns false) an IE already
// set, so that a repeated IE goes to the raw list (§7.6.3).

func setBytes[T ~[]byte](dst *T, v []byte) bool {
	if *dst != nil {
		return false
	}
	*dst = v
	return true
}

func setHalf[T ~uint8](dst **T, v []byte) bool {
	if *dst != nil {
		return false
	}
	x := T(v[0] & 0x0f)
	*dst = &x
	return true
}

func setIE[P interface {
	*T
	ieDecoder
}, T any](dst *P, v []byte) bool {
	if *dst != nil {
		return false
	}
	p := P(new(T))
	if p.decodeValue(v) != nil {
		return false
	}
	*dst = p
	return true
}

// unmarshal decodes a whole message from a private copy of b.
func unmarshal(m interface{ decode(d *decoder) }, b []byte) error {
	return runDecode(m, append(make([]byte, 0, len(b)), b...), DirectionUnknown)
}

// decoders recycles decoders, which escape through the decode interface
// call as encoders do.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// runDecode decodes b into m with a recycled decoder and returns its error.
func runDecode(m interface{ decode(d *decoder) }, b []byte, dir Direction) error {
	d := decoders.Get().(*decoder)
	*d = decoder{b: b, dir: dir}
	m.decode(d)
	err := d.err
	*d = decoder{}
	decoders.Put(d)
	return err
}
