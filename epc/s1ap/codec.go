package s1ap

import (
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/free5gc/aper"
)

// Message is an S1AP message: one of the typed messages of this package
// (*InitialUEMessage, *DownlinkNASTransport, ...) or, for procedures and
// message types it does not model, the generic *PDU.
type Message interface {
	Procedure() ProcedureCode
	PDUType() PDUType
	Marshal() ([]byte, error)
}

// IEError reports an IE whose value could not be decoded or encoded.
type IEError struct {
	ID  ProtocolIEID
	Err error
}

func (e *IEError) Error() string { return fmt.Sprintf("s1ap: IE %d: %v", e.ID, e.Err) }
func (e *IEError) Unwrap() error { return e.Err }

// Parse decodes an S1AP-PDU. For the procedures this package models it
// returns the typed message (e.g. *InitialUEMessage); for any other it
// returns the generic *PDU, whose IEs are kept encoded. It never panics: a
// panic inside aper is recovered and returned as an error wrapping
// ErrDecode.
func Parse(b []byte) (Message, error) {
	// The fast path decodes the envelope into a PDU on the stack, which
	// the typed message does not keep.
	var ies [16]IE
	p, ok := parsePDUFastIn(b, ies[:0], true)
	if !ok {
		q, err := parsePDUAper(b)
		if err != nil {
			return nil, err
		}
		return q.Message()
	}
	if p.HasIEs {
		if m := newTyped(p.Type, p.Code); m != nil {
			if err := decodeTyped(m, p.Criticality, p.IEs); err != nil {
				return nil, err
			}
			return m, nil
		}
	}
	// A procedure without a typed message (rare): decode it again on the
	// heap (anything taken from p would move p and ies there).
	q, _ := parsePDUFast(b)
	return q, nil
}

// Check decodes b as Parse does and returns the error Parse would return,
// keeping nothing of the message: the envelope is decoded where it lies
// (not copied) and a typed message into a recycled struct. It is for a
// sender that checks that every PDU it builds parses back.
func Check(b []byte) error {
	var ies [16]IE
	p, ok := parsePDUFastIn(b, ies[:0], false)
	if !ok {
		_, err := Parse(b)
		return err
	}
	if !p.HasIEs {
		return nil
	}
	pool := &typedPools[p.Type][p.Code]
	m, _ := pool.Get().(typed)
	if m == nil {
		if m = newTyped(p.Type, p.Code); m == nil {
			return nil // a generic PDU, as Parse returns
		}
	}
	err := decodeTyped(m, p.Criticality, p.IEs)
	// Zero the message for its next use, keeping the IE header array and
	// the NAS-PDU's buffer (octetsInto always copies into it).
	w := m.wire()
	hdr := w.hdr[:cap(w.hdr)]
	clear(hdr)
	var nasBuf []byte
	h, hasNAS := m.(nasHolder)
	if hasNAS {
		nasBuf = (*h.nasPDU())[:0]
	}
	reflect.ValueOf(m).Elem().SetZero()
	w.hdr = hdr[:0]
	if hasNAS {
		*h.nasPDU() = nasBuf
	}
	pool.Put(m)
	return err
}

// nasHolder is a message with a NAS-PDU (the ones Check sees most).
type nasHolder interface{ nasPDU() *[]byte }

func (m *InitialUEMessage) nasPDU() *[]byte     { return &m.NASPDU }
func (m *UplinkNASTransport) nasPDU() *[]byte   { return &m.NASPDU }
func (m *DownlinkNASTransport) nasPDU() *[]byte { return &m.NASPDU }

// typedPools recycles the typed messages Check decodes, by PDU type and
// procedure code.
var typedPools [UnsuccessfulOutcome + 1][256]sync.Pool

// Message converts a generic PDU to its typed message, or returns p itself
// when the procedure/message type is not modelled. Unknown IEs are kept raw
// in the typed message's Other field. An optional IE that fails to decode
// is kept raw there too; a mandatory one is an *IEError. Absent mandatory
// IEs are not an error: MissingIEs reports them (the receiver answers with
// an Error Indication or a failure carrying criticality diagnostics).
func (p *PDU) Message() (Message, error) {
	if !p.HasIEs {
		return p, nil
	}
	m := newTyped(p.Type, p.Code)
	if m == nil {
		return p, nil
	}
	if err := decodeTyped(m, p.Criticality, p.IEs); err != nil {
		return nil, err
	}
	return m, nil
}

// Marshal encodes any Message.
func Marshal(m Message) ([]byte, error) { return m.Marshal() }

// typed is implemented by every typed message.
type typed interface {
	Message
	encodeIEs(w *ieWriter)
	decodeIE(ie IE) (known bool, err error)
	mandatory() []ProtocolIEID
	wire() *Wire
	others() *[]IE
}

type ieHdr struct {
	id   ProtocolIEID
	crit Criticality
	orig []byte // received value of a UE S1AP ID (see apply)
}

// Wire is embedded in every typed message. For a parsed message it
// remembers how the message was encoded on the wire (procedure
// criticality, IE order and criticalities, absent mandatory IEs), so that
// Marshal reproduces the received bytes even when the peer deviates from
// the TS 36.413 tables. A message built in Go has a zero Wire and is
// encoded with the table order and criticalities.
type Wire struct {
	parsed  bool
	crit    Criticality
	hdr     []ieHdr
	missing []ProtocolIEID
	// items holds the item criticalities of the lists of
	// ProtocolIE-SingleContainer whose items deviate from the table.
	items map[ProtocolIEID][]Criticality
}

// MissingIEs lists the mandatory IEs absent from a parsed message.
func (w *Wire) MissingIEs() []ProtocolIEID { return w.missing }

// ResetWire forgets the received encoding: Marshal then uses the table IE
// order and criticalities and includes every mandatory IE.
func (w *Wire) ResetWire() { *w = Wire{} }

func (w *Wire) wire() *Wire { return w }

// apply puts the IEs in wire order with wire criticalities; IEs added since
// parsing follow in table order. (Mandatory IEs that were absent are not
// produced at all: see ieWriter.skip.)
func (w *Wire) apply(ies []IE) []IE {
	if !w.parsed {
		return ies
	}
	used := make([]bool, len(ies))
	out := make([]IE, 0, len(ies))
	for _, h := range w.hdr {
		for i := range ies {
			if !used[i] && ies[i].ID == h.id {
				used[i] = true
				ie := ies[i]
				ie.Criticality = h.crit
				if h.orig != nil && sameUEID(h.orig, ie.Value) {
					// keep a peer's non-canonical encoding of
					// an unchanged ID
					ie.Value = h.orig
				}
				out = append(out, ie)
				break
			}
		}
	}
	for i := range ies {
		if !used[i] {
			out = append(out, ies[i])
		}
	}
	return out
}

// ueIDLen is the length of encUEID(v).
func ueIDLen(v uint32) int {
	switch {
	case v < 1<<8:
		return 2
	case v < 1<<16:
		return 3
	case v < 1<<24:
		return 4
	}
	return 5
}

func sameUEID(a, b []byte) bool {
	x, ok1 := decUEID(a, 4)
	y, ok2 := decUEID(b, 4)
	return ok1 && ok2 && x == y
}

// decodeTyped decodes the IEs of a message of criticality crit into m.
func decodeTyped(m typed, crit Criticality, ies []IE) error {
	w := m.wire()
	w.parsed, w.crit = true, crit
	if cap(w.hdr) >= len(ies) {
		w.hdr = w.hdr[:len(ies)] // a recycled message (Check)
	} else {
		w.hdr = make([]ieHdr, len(ies))
	}
	other := m.others()
	var seen [8]uint64 // bitmap of ids < 512 already decoded
	for i, ie := range ies {
		w.hdr[i] = ieHdr{id: ie.ID, crit: ie.Criticality}
		if ie.ID == IDMMEUES1APID || ie.ID == IDENBUES1APID {
			// keep a non-canonical encoding (more octets than needed,
			// or padding after the value)
			if v, ok := decUEID(ie.Value, 4); ok && len(ie.Value) != ueIDLen(v) {
				w.hdr[i].orig = ie.Value
			}
		}
		dup := false
		if ie.ID < 512 {
			bit := uint64(1) << (ie.ID % 64)
			dup = seen[ie.ID/64]&bit != 0
			seen[ie.ID/64] |= bit
		}
		if dup {
			*other = append(*other, ie)
			continue
		}
		known, err := m.decodeIE(ie)
		if err != nil {
			if isMandatory(m, ie.ID) {
				return &IEError{ID: ie.ID, Err: err}
			}
			known = false
		}
		if !known {
			*other = append(*other, ie)
		}
	}
	for _, id := range m.mandatory() {
		if id >= 512 || seen[id/64]&(uint64(1)<<(id%64)) == 0 {
			w.missing = append(w.missing, id)
		}
	}
	return nil
}

func isMandatory(m typed, id ProtocolIEID) bool {
	for _, x := range m.mandatory() {
		if x == id {
			return true
		}
	}
	return false
}

func marshalTyped(m typed) ([]byte, error) { return appendTyped(nil, m) }

// appendTyped is marshalTyped appending to dst.
func appendTyped(dst []byte, m typed) ([]byte, error) {
	wi := m.wire()
	w := writers.Get().(*ieWriter)
	defer w.release()
	w.skip, w.items = wi.missing, wi.items
	m.encodeIEs(w)
	if w.err != nil {
		return nil, w.err
	}
	w.ies = append(w.ies, *m.others()...)
	ies := wi.apply(w.ies)
	crit := procedureCriticality(m.Procedure())
	if wi.parsed {
		crit = wi.crit
	}
	p := PDU{Type: m.PDUType(), Code: m.Procedure(), Criticality: crit, IEs: ies, HasIEs: true}
	return p.appendTo(dst)
}

// Append appends the encoding of m to b and returns the extended slice
// (Marshal into a buffer the caller may reuse).
func Append(b []byte, m Message) ([]byte, error) {
	switch x := m.(type) {
	case typed:
		return appendTyped(b, x)
	case *PDU:
		return x.appendTo(b)
	}
	e, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	return append(b, e...), nil
}

// procedureCriticality is the CRITICALITY of each elementary procedure in
// S1AP-PDU-Descriptions (§9.3.2): reject for class 1, ignore for class 2
// except the ones listed.
func procedureCriticality(c ProcedureCode) Criticality {
	switch c {
	case ProcHandoverPreparation, ProcHandoverResourceAllocation, ProcPathSwitchRequest, ProcERABSetup,
		ProcERABModify, ProcERABRelease, ProcInitialContextSetup, ProcHandoverCancel, ProcKill, ProcReset,
		ProcS1Setup, ProcUEContextModification, ProcUEContextRelease, ProcENBConfigurationUpdate,
		ProcMMEConfigurationUpdate, ProcWriteReplaceWarning, ProcUERadioCapabilityMatch,
		ProcERABModificationIndication, ProcUEContextModificationIndication, ProcUEContextSuspend,
		ProcUEContextResume, ProcUERadioCapabilityIDMapping,
		// class 2 with criticality reject
		ProcOverloadStop, ProcRerouteNASRequest, ProcConnectionEstablishmentIndication,
		ProcRetrieveUEInformation, ProcUEInformationTransfer, ProcENBCPRelocationIndication,
		ProcMMECPRelocationIndication, ProcENBEarlyStatusTransfer:
		return Reject
	}
	return Ignore
}

// --- encoding helpers ------------------------------------------------------

type ieWriter struct {
	ies   []IE
	err   error
	skip  []ProtocolIEID // mandatory IEs absent from the parsed message
	items map[ProtocolIEID][]Criticality
	// buf holds the values the fast paths encode. An IE value is a
	// full slice of it (capacity = length), so that later appends never
	// write into it; when buf grows, earlier values keep the old array.
	buf []byte
}

// writers recycles ieWriters and their buffers: the IE values only live
// until marshalTyped has copied them into the PDU.
var writers = sync.Pool{New: func() any { return &ieWriter{buf: make([]byte, 0, 256)} }}

func (w *ieWriter) release() {
	clear(w.ies)
	if cap(w.ies) > 64 || cap(w.buf) > 64<<10 {
		return // an unusual message: let the collector have it
	}
	*w = ieWriter{ies: w.ies[:0], buf: w.buf[:0]}
	writers.Put(w)
}

// value appends an IE whose value is buf[start:].
func (w *ieWriter) value(id ProtocolIEID, c Criticality, start int) {
	w.raw(id, c, w.buf[start:len(w.buf):len(w.buf)])
}

// itemCrit is the criticality of item i of list id: the table's, unless
// the parsed message had others.
func (w *ieWriter) itemCrit(id ProtocolIEID, i, n int, table Criticality) Criticality {
	if c, ok := w.items[id]; ok && len(c) == n {
		return c[i]
	}
	return table
}

func (w *ieWriter) skipped(id ProtocolIEID) bool {
	for _, s := range w.skip {
		if s == id {
			return true
		}
	}
	return false
}

func (w *ieWriter) put(id ProtocolIEID, c Criticality, v any, params string) {
	if w.err != nil || w.skipped(id) {
		return
	}
	b, err := marshal(v, params)
	if err != nil {
		w.err = &IEError{ID: id, Err: err}
		return
	}
	w.ies = append(w.ies, IE{ID: id, Criticality: c, Value: b})
}

func (w *ieWriter) fail(id ProtocolIEID, err error) {
	if w.err == nil && !w.skipped(id) {
		w.err = &IEError{ID: id, Err: err}
	}
}

func (w *ieWriter) uint(id ProtocolIEID, c Criticality, v uint64, params string) {
	w.put(id, c, int64(v), params)
}

func (w *ieWriter) enum(id ProtocolIEID, c Criticality, v uint64, params string) {
	if ext, n, ub, ok := enumShape(params); ok && v <= ub {
		start := len(w.buf)
		w.buf = appendEnum(w.buf, ext, n, v)
		w.value(id, c, start)
		return
	}
	w.put(id, c, aper.Enumerated(v), params)
}

func (w *ieWriter) flag(id ProtocolIEID, c Criticality, set bool) {
	if set {
		w.raw(id, c, []byte{0}) // ENUMERATED { true, ... }: extension bit 0
	}
}

func (w *ieWriter) octets(id ProtocolIEID, c Criticality, b []byte) {
	if len(b) < 16384 {
		start := len(w.buf)
		w.buf = appendOctets(w.buf, b)
		w.value(id, c, start)
		return
	}
	w.put(id, c, aper.OctetString(b), pOctets)
}

// raw appends an IE whose value the fast path encoded.
func (w *ieWriter) raw(id ProtocolIEID, c Criticality, v []byte) {
	if w.err == nil && !w.skipped(id) {
		w.ies = append(w.ies, IE{ID: id, Criticality: c, Value: v})
	}
}

func (w *ieWriter) optOctets(id ProtocolIEID, c Criticality, b []byte) {
	if b != nil {
		w.octets(id, c, b)
	}
}

func (w *ieWriter) mmeID(c Criticality, v uint32) {
	start := len(w.buf)
	w.buf = appendUEID(w.buf, v)
	w.value(IDMMEUES1APID, c, start)
}

func (w *ieWriter) enbID(c Criticality, v uint32) {
	if v < 1<<24 {
		start := len(w.buf)
		w.buf = appendUEID(w.buf, v)
		w.value(IDENBUES1APID, c, start)
		return
	}
	w.uint(IDENBUES1APID, c, uint64(v), pENBUEID) // aper reports the range error
}

func (w *ieWriter) tai(id ProtocolIEID, c Criticality, t TAI) {
	start := len(w.buf)
	if b, ok := appendTAI(w.buf, t); ok {
		w.buf = b
		w.value(id, c, start)
		return
	}
	a := t.toASN()
	w.put(id, c, &a, pSeqExt)
}

func (w *ieWriter) cgi(id ProtocolIEID, c Criticality, g EUTRANCGI) {
	start := len(w.buf)
	if b, ok := appendCGI(w.buf, g); ok {
		w.buf = b
		w.value(id, c, start)
		return
	}
	a := g.toASN()
	w.put(id, c, &a, pSeqExt)
}

func (w *ieWriter) cause(c Criticality, v Cause) {
	start := len(w.buf)
	if b, ok := appendCause(w.buf, v); ok {
		w.buf = b
		w.value(IDCause, c, start)
		return
	}
	a, err := v.toASN()
	if err != nil {
		w.fail(IDCause, err)
		return
	}
	w.put(IDCause, c, &a, pCauseX)
}

func (w *ieWriter) critDiag(d *CriticalityDiagnostics) {
	if d != nil {
		a := d.toASN()
		w.put(IDCriticalityDiagnostics, Ignore, &a, pCritDiag)
	}
}

func (w *ieWriter) stmsi(id ProtocolIEID, c Criticality, s *STMSI) {
	if s != nil {
		a := s.toASN()
		w.put(id, c, &a, pSeqExt)
	}
}

func (w *ieWriter) gummei(id ProtocolIEID, c Criticality, g *GUMMEI) {
	if g != nil {
		a := g.toASN()
		w.put(id, c, &a, pSeqExt)
	}
}

func (w *ieWriter) ambr(c Criticality, u *UEAggregateMaximumBitrate) {
	if u == nil {
		return
	}
	a, err := u.toASN()
	if err != nil {
		w.fail(IDUEAggregateMaximumBitrate, err)
		return
	}
	w.put(IDUEAggregateMaximumBitrate, c, &a, pSeqExt)
}

func (w *ieWriter) uli(u *UserLocationInformation) {
	if u != nil {
		a := u.toASN()
		w.put(IDUserLocationInformation, Ignore, &a, pSeqExt)
	}
}

// singles encodes a list of ProtocolIE-SingleContainer (SIZE(1..256)), each
// holding an item of type itemID.
func (w *ieWriter) singles(id ProtocolIEID, c Criticality, itemID ProtocolIEID, itemCrit Criticality, n int, item func(i int) (any, error)) {
	if w.err != nil || w.skipped(id) {
		return
	}
	list := make([]asnIEField, n)
	for i := range list {
		v, err := item(i)
		if err != nil {
			w.fail(id, err)
			return
		}
		b, err := marshal(v, pSeqExt)
		if err != nil {
			w.fail(id, err)
			return
		}
		list[i] = asnIEField{ID: int64(itemID), Criticality: aper.Enumerated(w.itemCrit(id, i, n, itemCrit)), Value: b}
	}
	w.put(id, c, list, pERABList)
}

// --- decoding helpers ------------------------------------------------------

func get[T any](b []byte, params string) (T, error) {
	var v T
	err := unmarshal(b, &v, params)
	return v, err
}

type unsigned interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64
}

// uintInto decodes an INTEGER into *dst.
func uintInto[T unsigned](dst *T, b []byte, params string) error {
	v, err := get[int64](b, params)
	if err == nil {
		if v < 0 || uint64(v) != uint64(T(v)) {
			return decodeErr("INTEGER %d out of range", v)
		}
		*dst = T(v)
	}
	return err
}

func uintIntoP[T unsigned](dst **T, b []byte, params string) error {
	var v T
	err := uintInto(&v, b, params)
	if err == nil {
		*dst = &v
	}
	return err
}

// enumInto decodes an ENUMERATED into *dst.
func enumInto[T unsigned](dst *T, b []byte, params string) error {
	if v, ok := decEnum(b, params); ok && v == uint64(T(v)) {
		*dst = T(v)
		return nil
	}
	v, err := get[aper.Enumerated](b, params)
	if err == nil {
		if uint64(v) != uint64(T(v)) {
			return decodeErr("ENUMERATED %d out of range", v)
		}
		*dst = T(v)
	}
	return err
}

func enumIntoP[T unsigned](dst **T, b []byte, params string) error {
	var v T
	err := enumInto(&v, b, params)
	if err == nil {
		*dst = &v
	}
	return err
}

// flagInto decodes ENUMERATED { true, ... } (or any single-root-value
// ENUMERATED) into a bool; extension values are not representable.
func flagInto(dst *bool, b []byte) error {
	if len(b) == 1 && b[0] == 0 {
		*dst = true
		return nil
	}
	v, err := get[aper.Enumerated](b, pOneTrue)
	if err != nil {
		return err
	}
	if v != 0 {
		return decodeErr("ENUMERATED extension value %d", v)
	}
	*dst = true
	return nil
}

// octetsInto decodes an OCTET STRING into a copy the message owns (in
// the buffer *dst already has, for a message Check recycles).
func octetsInto(dst *[]byte, b []byte) error {
	v, ok := octetsValue(b)
	if !ok {
		a, err := get[aper.OctetString](b, pOctets)
		if err != nil {
			return err
		}
		v = a
	}
	if *dst == nil {
		*dst = append([]byte{}, v...)
	} else {
		*dst = append((*dst)[:0], v...)
	}
	return nil
}

// into decodes an aper value of type A and converts it with conv.
func into[A, T any](dst *T, b []byte, params string, conv func(A) (T, error)) error {
	a, err := get[A](b, params)
	if err != nil {
		return err
	}
	v, err := conv(a)
	if err == nil {
		*dst = v
	}
	return err
}

func intoP[A, T any](dst **T, b []byte, params string, conv func(A) (T, error)) error {
	var v T
	err := into(&v, b, params, conv)
	if err == nil {
		*dst = &v
	}
	return err
}

func noErr[A, T any](f func(A) T) func(A) (T, error) {
	return func(a A) (T, error) { return f(a), nil }
}

func taiInto(dst *TAI, b []byte) error {
	if v, ok := decTAI(b); ok {
		*dst = v
		return nil
	}
	return into(dst, b, pSeqExt, taiFromASN)
}

func cgiInto(dst *EUTRANCGI, b []byte) error {
	if v, ok := decCGI(b); ok {
		*dst = v
		return nil
	}
	return into(dst, b, pSeqExt, cgiFromASN)
}

// mmeIDInto and enbIDInto decode the UE S1AP IDs.
func mmeIDInto(dst *uint32, b []byte) error {
	if v, ok := decUEID(b, 4); ok {
		*dst = v
		return nil
	}
	return uintInto(dst, b, pMMEUEID)
}

func enbIDInto(dst *uint32, b []byte) error {
	if v, ok := decUEID(b, 3); ok {
		*dst = v
		return nil
	}
	return uintInto(dst, b, pENBUEID)
}

func causeInto(dst *Cause, b []byte) error {
	if v, ok := decCause(b); ok {
		*dst = v
		return nil
	}
	return into(dst, b, pCauseX, causeFromASN)
}

func critDiagInto(dst **CriticalityDiagnostics, b []byte) error {
	return into(dst, b, pCritDiag, critDiagFromASN)
}

// singlesInto decodes the list of ProtocolIE-SingleContainer of IE listID,
// whose items all have id itemID, and decodes each item value with item.
// Item criticalities other than the table's (itemCrit) are remembered in wi.
func singlesInto(wi *Wire, listID ProtocolIEID, b []byte, itemID ProtocolIEID, itemCrit Criticality, item func(v []byte) error) error {
	list, err := get[[]asnIEField](b, pERABList)
	if err != nil {
		return err
	}
	return itemsInto(wi, listID, list, itemID, itemCrit, item)
}

func itemsInto(wi *Wire, listID ProtocolIEID, list []asnIEField, itemID ProtocolIEID, itemCrit Criticality, item func(v []byte) error) error {
	var crits []Criticality
	for _, f := range list {
		if ProtocolIEID(f.ID) != itemID {
			return decodeErr("list item id %d, want %d", f.ID, itemID)
		}
		if c := Criticality(f.Criticality); c != itemCrit && crits == nil {
			crits = make([]Criticality, len(list))
			for j := range crits {
				crits[j] = Criticality(list[j].Criticality)
			}
		}
		if err := item(f.Value); err != nil {
			return err
		}
	}
	if crits != nil {
		if wi.items == nil {
			wi.items = map[ProtocolIEID][]Criticality{}
		}
		wi.items[listID] = crits
	}
	return nil
}

var errNotRepresentable = errors.New("value not representable")
