package security

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"
)

// Security header types (TS 24.301 §9.3.1, Table 9.3.1).
const (
	HeaderPlain                       = 0x0
	HeaderIntegrity                   = 0x1
	HeaderIntegrityCiphered           = 0x2
	HeaderIntegrityNewContext         = 0x3 // SECURITY MODE COMMAND
	HeaderIntegrityCipheredNewContext = 0x4 // SECURITY MODE COMPLETE
)

// PDEMM is the EPS mobility management protocol discriminator, which every
// security protected NAS message carries (TS 24.301 §9.2, TS 24.007 §11.2.3.1.1).
const PDEMM = 0x7

// NASBearer is the BEARER input of the NAS algorithms in EPS (TS 33.401
// §8.1, TS 24.301 §4.4.3.3): the constant 0.
const NASBearer = 0

// MaxNASCount is the largest NAS COUNT: 16-bit overflow ‖ 8-bit sequence
// number (TS 24.301 §4.4.3.1).
const MaxNASCount = 1<<24 - 1

// NAS security errors. Unprotect wraps them in a *NASError.
var (
	ErrIntegrity     = errors.New("NAS MAC verification failed")
	ErrReplay        = errors.New("NAS COUNT already accepted (replay)")
	ErrUnprotected   = errors.New("unprotected NAS message with a security context in use")
	ErrMalformed     = errors.New("malformed NAS message")
	ErrCountOverflow = errors.New("NAS COUNT exhausted")
)

// NASError is an Unprotect or Protect failure: errors.Is(err, ErrIntegrity),
// ErrReplay, ErrUnprotected, ErrMalformed or ErrCountOverflow tells which.
type NASError struct {
	Err        error
	HeaderType uint8
	Downlink   bool
	Count      uint32 // the NAS COUNT the message was checked against
	Detail     string
}

func (e *NASError) Error() string {
	dir := "uplink"
	if e.Downlink {
		dir = "downlink"
	}
	s := fmt.Sprintf("%s %v (security header type %d, NAS COUNT %d)", dir, e.Err, e.HeaderType, e.Count)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *NASError) Unwrap() error { return e.Err }

// Context is one UE's EPS NAS security context (TS 33.401 §3.1, §7.2.5;
// TS 24.301 §4.4.2): K_ASME with its key set identifier, the selected
// algorithms, the NAS keys and the two NAS COUNTs. The same type serves the
// MME (Protect downlink, Unprotect uplink) and the UE (the reverse).
//
// ULCount and DLCount are the NAS COUNT of the next message sent in that
// direction, or on the receiving side the smallest NAS COUNT that will be
// accepted (one more than the last accepted). Active marks the context as
// taken into use (after SECURITY MODE COMMAND/COMPLETE); from then on a
// plain NAS message is reported as ErrUnprotected.
//
// The fields may be set directly; the cached AES keys follow the key
// fields. A Context is not safe for concurrent use.
type Context struct {
	// The fields every protected message reads come first, so that they
	// share two cache lines (a simulator holds thousands of contexts and
	// reaches each one cold).
	EncAlg           CipheringAlg
	IntAlg           IntegrityAlg
	KSI              uint8 // NAS key set identifier (eKSI value 0..6)
	Active           bool
	ULCount, DLCount uint32
	intKey           cmacKey
	KNASint          [16]byte

	KNASenc  [16]byte
	KASME    [32]byte
	encKey   [16]byte
	encBlock cipher.Block
}

// NewContext creates a context from K_ASME and derives the NAS keys for the
// algorithms (TS 33.401 A.7). Both NAS COUNTs start at 0.
func NewContext(kasme [32]byte, ksi uint8, enc CipheringAlg, integ IntegrityAlg) (*Context, error) {
	c := &Context{KASME: kasme, KSI: ksi}
	if err := c.SetAlgorithms(enc, integ); err != nil {
		return nil, err
	}
	return c, nil
}

// SetAlgorithms selects the algorithms and re-derives K_NASenc and
// K_NASint from K_ASME.
func (c *Context) SetAlgorithms(enc CipheringAlg, integ IntegrityAlg) error {
	if enc > EEA3 {
		return fmt.Errorf("security: unknown ciphering algorithm %d", enc)
	}
	if integ > EIA3 {
		return fmt.Errorf("security: unknown integrity algorithm %d", integ)
	}
	c.EncAlg, c.IntAlg = enc, integ
	c.KNASenc, c.KNASint = DeriveNASKeys(c.KASME, enc, integ)
	return nil
}

// Clone returns a copy of c (keys, algorithms, NAS COUNTs) for the other
// end of the same security context: the device's after an attach, say.
// The copy shares c's expanded AES keys, which are never modified (a key
// change makes new ones), so the two use the same key schedule.
func (c *Context) Clone() *Context {
	c.expandKeys()
	x := *c
	return &x
}

// expandKeys sets up the AES key schedules the selected algorithms use.
func (c *Context) expandKeys() {
	if c.IntAlg == EIA2 && (c.intKey.blk == nil || c.intKey.key != c.KNASint) {
		c.intKey.init(c.KNASint)
	}
	if c.EncAlg == EEA2 && (c.encBlock == nil || c.encKey != c.KNASenc) {
		c.setEncBlock()
	}
}

func (c *Context) setEncBlock() {
	blk, err := aes.NewCipher(c.KNASenc[:])
	if err != nil {
		panic(err)
	}
	c.encBlock, c.encKey = blk, c.KNASenc
}

// KeNB derives K_eNB from K_ASME and the given uplink NAS COUNT (TS 33.401
// A.3).
func (c *Context) KeNB(ulNASCount uint32) [32]byte { return DeriveKeNB(c.KASME, ulNASCount) }

func direction(downlink bool) uint8 {
	if downlink {
		return Downlink
	}
	return Uplink
}

// mac computes the NAS MAC over b (sequence number ‖ NAS message).
func (c *Context) mac(b []byte, count uint32, dir uint8) [4]byte {
	switch c.IntAlg {
	case EIA0:
		return [4]byte{}
	case EIA2:
		if c.intKey.blk == nil || c.intKey.key != c.KNASint {
			c.intKey.init(c.KNASint)
		}
		return c.intKey.eia2(count, NASBearer, dir, b, 8*len(b))
	case EIA1:
		return eia1(&c.KNASint, count, NASBearer, dir, b, 8*len(b))
	default:
		return eia3(&c.KNASint, count, NASBearer, dir, b, 8*len(b))
	}
}

// cipher en- or deciphers b in place.
func (c *Context) cipher(b []byte, count uint32, dir uint8) {
	switch c.EncAlg {
	case EEA0:
	case EEA2:
		if c.encBlock == nil || c.encKey != c.KNASenc {
			c.setEncBlock()
		}
		eea2(c.encBlock, count, NASBearer, dir, b)
	case EEA1:
		eea1(&c.KNASenc, count, NASBearer, dir, b, 8*len(b))
	default:
		eea3(&c.KNASenc, count, NASBearer, dir, b, 8*len(b))
	}
}

func (c *Context) checkAlgorithms() error {
	if c.EncAlg > EEA3 || c.IntAlg > EIA3 {
		return fmt.Errorf("security: unknown NAS algorithms %v/%v", c.EncAlg, c.IntAlg)
	}
	return nil
}

func ciphered(headerType uint8) bool {
	return headerType == HeaderIntegrityCiphered || headerType == HeaderIntegrityCipheredNewContext
}

// Protect builds the security protected NAS message (TS 24.301 §9.1,
// §4.4.3–4.4.5) carrying plain: octet 1 is the security header type and
// the EMM protocol discriminator, octets 2–5 the MAC, octet 6 the NAS
// sequence number and then the NAS message, ciphered for header types 2
// and 4 (with 128-EEA0 it stays as is). The MAC is computed over octets 6
// to n after ciphering, with the NAS COUNT of the direction as COUNT,
// BEARER 0 and DIRECTION 0 uplink, 1 downlink. The direction's NAS COUNT is
// then incremented. headerType must be 1 to 4.
func (c *Context) Protect(plain []byte, downlink bool, headerType byte) ([]byte, error) {
	out := make([]byte, ProtectOverhead+len(plain))
	copy(out[ProtectOverhead:], plain)
	if err := c.Seal(out, downlink, headerType); err != nil {
		return nil, err
	}
	return out, nil
}

// ProtectOverhead is what protection adds in front of a NAS message:
// security header type and protocol discriminator, MAC, sequence number.
const ProtectOverhead = 6

// Seal is Protect in place: msg holds ProtectOverhead free octets, then
// the plain NAS message, which it ciphers (header types 2 and 4) and
// protects as Protect does. On error msg is left as it was and the NAS
// COUNT is not used.
func (c *Context) Seal(msg []byte, downlink bool, headerType byte) error {
	if headerType < HeaderIntegrity || headerType > HeaderIntegrityCipheredNewContext {
		return &NASError{Err: ErrMalformed, HeaderType: headerType, Downlink: downlink,
			Detail: "Protect needs security header type 1, 2, 3 or 4"}
	}
	if len(msg) <= ProtectOverhead {
		return &NASError{Err: ErrMalformed, HeaderType: headerType, Downlink: downlink, Detail: "empty NAS message"}
	}
	if err := c.checkAlgorithms(); err != nil {
		return err
	}
	cnt := &c.ULCount
	if downlink {
		cnt = &c.DLCount
	}
	count := *cnt
	if count > MaxNASCount {
		return &NASError{Err: ErrCountOverflow, HeaderType: headerType, Downlink: downlink, Count: count}
	}
	dir := direction(downlink)
	msg[0] = headerType<<4 | PDEMM
	msg[5] = byte(count)
	if ciphered(headerType) {
		c.cipher(msg[6:], count, dir)
	}
	mac := c.mac(msg[5:], count, dir)
	copy(msg[1:5], mac[:])
	*cnt = count + 1
	return nil
}

// EstimateCount is the receiver's NAS COUNT for a message with sequence
// number sqn when next is the smallest acceptable NAS COUNT (TS 24.301
// §4.4.3.1): the overflow counter of next, incremented when sqn is below
// next's sequence number.
func EstimateCount(next uint32, sqn uint8) uint32 {
	c := next&^0xff | uint32(sqn)
	if c < next {
		c += 0x100
	}
	return c
}

// Unprotect checks and opens a NAS message received in the given direction
// (TS 24.301 §4.4.3–4.4.4). For a security protected message it estimates
// the NAS COUNT from the sequence number, verifies the MAC (ErrIntegrity),
// rejects a NAS COUNT that is not larger than the last accepted one
// (ErrReplay: the MAC verifies with an already accepted COUNT), deciphers
// (header types 2 and 4) and returns the plain NAS message; the accepted
// COUNT becomes the last one of the direction. With 128-EIA0 no MAC is
// checked, and so no replay is detected (TS 33.401 §5.1.4.1).
//
// A plain NAS message (header type 0) is returned as is; once the context
// is Active it is also reported as ErrUnprotected, so that the caller can
// apply the exceptions of TS 24.301 §4.4.4.2–4.4.4.3 (e.g. ATTACH REQUEST,
// IDENTITY RESPONSE) and otherwise discard it.
func (c *Context) Unprotect(b []byte, downlink bool) ([]byte, error) {
	return c.UnprotectTo(nil, b, downlink)
}

// UnprotectTo is Unprotect appending the plain NAS message to dst (which
// may be a buffer the caller reuses) and returning the extended slice;
// errors are those of Unprotect.
func (c *Context) UnprotectTo(dst, b []byte, downlink bool) ([]byte, error) {
	if len(b) < 2 {
		return nil, &NASError{Err: ErrMalformed, Downlink: downlink, Detail: fmt.Sprintf("%d octets", len(b))}
	}
	sht := b[0] >> 4
	if sht == HeaderPlain {
		plain := append(dst, b...)
		if c.Active {
			return plain, &NASError{Err: ErrUnprotected, Downlink: downlink}
		}
		return plain, nil
	}
	if sht > HeaderIntegrityCipheredNewContext {
		return nil, &NASError{Err: ErrMalformed, HeaderType: sht, Downlink: downlink,
			Detail: "security header type not supported (allowed: 0 to 4)"}
	}
	if b[0]&0x0f != PDEMM {
		return nil, &NASError{Err: ErrMalformed, HeaderType: sht, Downlink: downlink,
			Detail: fmt.Sprintf("protocol discriminator %d, a security protected NAS message has 7 (EMM)", b[0]&0x0f)}
	}
	if len(b) < 7 {
		return nil, &NASError{Err: ErrMalformed, HeaderType: sht, Downlink: downlink,
			Detail: fmt.Sprintf("%d octets, at least 7 needed", len(b))}
	}
	if err := c.checkAlgorithms(); err != nil {
		return nil, err
	}
	next := &c.ULCount
	if downlink {
		next = &c.DLCount
	}
	dir := direction(downlink)
	count := EstimateCount(*next, b[5])
	if count > MaxNASCount {
		return nil, &NASError{Err: ErrCountOverflow, HeaderType: sht, Downlink: downlink, Count: count}
	}
	if c.IntAlg != EIA0 {
		mac := c.mac(b[5:], count, dir)
		if subtle.ConstantTimeCompare(mac[:], b[1:5]) != 1 {
			if count >= 0x100 {
				if old := c.mac(b[5:], count-0x100, dir); subtle.ConstantTimeCompare(old[:], b[1:5]) == 1 {
					return nil, &NASError{Err: ErrReplay, HeaderType: sht, Downlink: downlink, Count: count - 0x100}
				}
			}
			return nil, &NASError{Err: ErrIntegrity, HeaderType: sht, Downlink: downlink, Count: count}
		}
	}
	plain := append(dst, b[6:]...)
	if ciphered(sht) {
		c.cipher(plain[len(dst):], count, dir)
	}
	*next = count + 1
	return plain, nil
}

// ServiceRequest builds the 4-octet SERVICE REQUEST (TS 24.301 §8.2.25) of
// the UE: security header type 1100, KSI and the 5 least significant bits of
// the uplink NAS COUNT (§9.9.3.19), and the short MAC: the 2 least
// significant octets of the NAS-MAC computed over the first two octets with
// that NAS COUNT (§9.9.3.28, TS 33.401 §8.2). It uses one uplink NAS COUNT.
func (c *Context) ServiceRequest() ([4]byte, error) {
	var b [4]byte
	if err := c.checkAlgorithms(); err != nil {
		return b, err
	}
	count := c.ULCount
	if count > MaxNASCount {
		return b, &NASError{Err: ErrCountOverflow, HeaderType: 12, Count: count}
	}
	b[0] = 12<<4 | PDEMM
	b[1] = (c.KSI&0x07)<<5 | byte(count)&0x1f
	mac := c.mac(b[:2], count, Uplink)
	b[2], b[3] = mac[2], mac[3]
	c.ULCount = count + 1
	return b, nil
}

// CheckServiceRequest verifies a SERVICE REQUEST on the network side: it
// estimates the uplink NAS COUNT from the 5-bit sequence number (as
// EstimateCount does for 8 bits), checks the short MAC (ErrIntegrity) and
// rejects a COUNT already accepted (ErrReplay).
func (c *Context) CheckServiceRequest(b []byte) error {
	if len(b) != 4 || b[0]&0x0f != PDEMM || b[0]>>4 < 12 {
		return &NASError{Err: ErrMalformed, HeaderType: 12, Detail: "not a 4-octet SERVICE REQUEST"}
	}
	if err := c.checkAlgorithms(); err != nil {
		return err
	}
	seq := uint32(b[1] & 0x1f)
	next := c.ULCount
	count := next&^0x1f | seq
	if count < next {
		count += 0x20
	}
	if c.IntAlg != EIA0 {
		mac := c.mac(b[:2], count, Uplink)
		if mac[2] != b[2] || mac[3] != b[3] {
			// A match one window back is a replay of an accepted message.
			if count >= 0x20 {
				if old := c.mac(b[:2], count-0x20, Uplink); old[2] == b[2] && old[3] == b[3] {
					return &NASError{Err: ErrReplay, HeaderType: 12, Count: count - 0x20}
				}
			}
			return &NASError{Err: ErrIntegrity, HeaderType: 12, Count: count}
		}
	}
	c.ULCount = count + 1
	return nil
}
