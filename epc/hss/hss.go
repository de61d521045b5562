package hss

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/security"
)

// PDNType is a PDN type a subscriber may use, with its TS 24.301 §9.9.4.10
// value.
type PDNType uint8

// PDN types.
const (
	IPv4   PDNType = 1
	IPv6   PDNType = 2
	IPv4v6 PDNType = 3
	NonIP  PDNType = 5
)

var pdnNames = map[PDNType]string{IPv4: "ipv4", IPv6: "ipv6", IPv4v6: "ipv4v6", NonIP: "non-ip"}

const pdnAllowed = "ipv4, ipv6, ipv4v6, non-ip"

func (t PDNType) String() string {
	if n, ok := pdnNames[t]; ok {
		return n
	}
	return "pdn-type(" + strconv.Itoa(int(t)) + ")"
}

// ParsePDNType reads ipv4, ipv6, ipv4v6 or non-ip.
func ParsePDNType(s string) (PDNType, error) {
	for t, n := range pdnNames {
		if n == s {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown PDN type %q (allowed: %s)", s, pdnAllowed)
}

// Subscriber is one subscription as the HSS holds it.
type Subscriber struct {
	IMSI string
	K    [16]byte
	// OPc is the operator variant value MILENAGE uses; when the file gave
	// OP, HasOP is set and OPc = OP ⊕ E_K(OP).
	OPc   [16]byte
	OP    [16]byte
	HasOP bool
	AMF   [2]byte
	// SQN is the sequence number configured in the file (the first one the
	// HSS uses); NextSQN on the Store tells the current one.
	SQN      uint64
	PDNTypes []PDNType
	// PSM and EDRX are the subscriber's timer policies; nil means the
	// MME's default policy applies.
	PSM  *epc.PSMPolicy
	EDRX *epc.EDRXPolicy
	// Source is FILE:LINE of the entry that defines the subscriber.
	Source string
}

// Allows reports whether the subscriber may use PDN type t. An IPv4v6
// subscription also allows IPv4 and IPv6 (TS 23.401 §5.3.1.1).
func (s Subscriber) Allows(t PDNType) bool {
	for _, a := range s.PDNTypes {
		if a == t || (a == IPv4v6 && (t == IPv4 || t == IPv6)) {
			return true
		}
	}
	return false
}

// KRule says how a range entry gives each IMSI its K.
type KRule uint8

// K rules of a range entry.
const (
	// KDerived: K_IMSI = AES-128 encryption, under the entry's k, of the
	// 16 ASCII characters "0" followed by the 15 IMSI digits (so IMSI
	// 001010000000001 encrypts "0001010000000001"). Every device has its own
	// key; when the entry gives OP, OPc is computed per IMSI from that K.
	KDerived KRule = iota
	// KShared: every IMSI of the range has the entry's k.
	KShared
)

// DeriveK is the KDerived rule: AES-128_k0("0" ‖ IMSI), the IMSI being 15
// ASCII digits.
func DeriveK(k0 [16]byte, imsi string) ([16]byte, error) {
	if !validIMSI(imsi) {
		return [16]byte{}, fmt.Errorf("IMSI %q is not 15 digits", imsi)
	}
	b, _ := aes.NewCipher(k0[:])
	var out [16]byte
	deriveK(b, imsi, &out)
	return out, nil
}

func deriveK(b cipher.Block, imsi string, out *[16]byte) {
	var in [16]byte
	in[0] = '0'
	copy(in[1:], imsi)
	b.Encrypt(out[:], in[:])
}

// entry is one line of the file: a subscriber, or a range of them.
type entry struct {
	sub   Subscriber // IMSI empty for a range
	from  uint64     // range: first IMSI
	count uint64     // range: number of IMSIs (0 for a single subscriber)
	kRule KRule
	kBlk  cipher.Block // range with KDerived: AES keyed with k
	line  int
}

// Store is the HSS subscriber data: subscribers, IMSI ranges and the
// sequence number state of each subscriber. It is safe for concurrent use.
type Store struct {
	single map[uint64]*entry
	ranges []*entry // sorted by from, not overlapping
	total  uint64

	mu   sync.Mutex
	sqn  map[uint64]uint64 // next SQN of subscribers that have been used
	rand io.Reader
}

// ErrUnknownIMSI is returned for an IMSI the store does not hold.
var ErrUnknownIMSI = errors.New("unknown IMSI")

// Load reads a subscriber file (see Parse).
func Load(path string) (*Store, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Errors{{File: path, Msg: err.Error()}}
	}
	return Parse(data, path)
}

// SetRand sets the source of RAND values (crypto/rand by default); a seeded
// reader makes a simulation's authentication vectors reproducible.
func (s *Store) SetRand(r io.Reader) {
	s.mu.Lock()
	s.rand = r
	s.mu.Unlock()
}

// Count is the number of subscribers (an IMSI in a range and in a single
// entry counts once).
func (s *Store) Count() uint64 { return s.total }

func validIMSI(imsi string) bool {
	if len(imsi) != 15 {
		return false
	}
	for i := 0; i < len(imsi); i++ {
		if imsi[i] < '0' || imsi[i] > '9' {
			return false
		}
	}
	return true
}

func imsiNumber(imsi string) (uint64, bool) {
	if !validIMSI(imsi) {
		return 0, false
	}
	n, err := strconv.ParseUint(imsi, 10, 64)
	return n, err == nil
}

func imsiString(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for len(s) < 15 {
		s = "0" + s
	}
	return s
}

// find returns the entry holding IMSI n: a single entry takes precedence
// over a range that contains the IMSI.
func (s *Store) find(n uint64) *entry {
	if e, ok := s.single[n]; ok {
		return e
	}
	return s.inRange(n)
}

// inRange returns the range holding IMSI n.
func (s *Store) inRange(n uint64) *entry {
	i := sort.Search(len(s.ranges), func(i int) bool { return s.ranges[i].from+s.ranges[i].count > n })
	if i < len(s.ranges) && s.ranges[i].from <= n {
		return s.ranges[i]
	}
	return nil
}

// subscriber materialises the subscription of IMSI n from its entry.
func (e *entry) subscriber(n uint64) Subscriber {
	sub := e.sub
	sub.PDNTypes = slices.Clone(e.sub.PDNTypes)
	if e.count == 0 {
		return sub
	}
	sub.IMSI = imsiString(n)
	if e.kRule == KDerived {
		deriveK(e.kBlk, sub.IMSI, &sub.K)
		if sub.HasOP {
			sub.OPc = security.OPc(sub.K, sub.OP)
		}
	}
	return sub
}

// Lookup returns the subscription of an IMSI (15 digits).
func (s *Store) Lookup(imsi string) (Subscriber, bool) {
	n, ok := imsiNumber(imsi)
	if !ok {
		return Subscriber{}, false
	}
	e := s.find(n)
	if e == nil {
		return Subscriber{}, false
	}
	return e.subscriber(n), true
}

// NextSQN is the sequence number the next authentication vector for imsi
// will carry.
func (s *Store) NextSQN(imsi string) (uint64, bool) {
	n, ok := imsiNumber(imsi)
	if !ok {
		return 0, false
	}
	e := s.find(n)
	if e == nil {
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.sqn[n]; ok {
		return v, true
	}
	return e.sub.SQN, true
}

// seqStep advances SEQ by one and keeps IND (TS 33.102 C.1.1, C.3.2).
const seqStep = 1 << security.INDBits

// NextAuthVector generates an EPS authentication vector for imsi and the
// serving network snid (TS 33.401 §6.1.1): a fresh RAND, the subscriber's
// next SQN and AMF, K_ASME for snid. The SQN then advances per TS 33.102
// Annex C: SQN = SEQ ‖ IND with a 5-bit IND; the HSS keeps IND and adds 1
// to SEQ for each vector (SQN += 32), so consecutive vectors are accepted by
// a USIM that checks freshness with the Annex C.2 array.
func (s *Store) NextAuthVector(imsi string, snid security.SNID) (security.AV, error) {
	n, ok := imsiNumber(imsi)
	if !ok {
		return security.AV{}, fmt.Errorf("hss: IMSI %q: want 15 digits", imsi)
	}
	e := s.find(n)
	if e == nil {
		return security.AV{}, fmt.Errorf("hss: IMSI %s: %w", imsi, ErrUnknownIMSI)
	}
	sub := e.subscriber(n)
	var rnd [16]byte
	s.mu.Lock()
	sqn, used := s.sqn[n]
	if !used {
		sqn = sub.SQN
	}
	if sqn > security.MaxSQN {
		s.mu.Unlock()
		return security.AV{}, fmt.Errorf("hss: IMSI %s: sequence numbers exhausted", imsi)
	}
	s.sqn[n] = sqn + seqStep
	r := s.rand
	var err error
	if r == nil {
		_, err = rand.Read(rnd[:])
	} else {
		_, err = io.ReadFull(r, rnd[:])
	}
	s.mu.Unlock()
	if err != nil {
		return security.AV{}, fmt.Errorf("hss: RAND: %w", err)
	}
	return security.GenerateAV(security.NewMilenage(sub.K, sub.OPc), rnd, sqn, sub.AMF, snid)
}

// Resync handles a synchronisation failure (TS 33.102 §6.3.5): RAND is the
// one of the rejected vector and AUTS the UE's token. The HSS recovers
// SQN_MS and checks MAC-S (an error wrapping security.ErrMACFailure when it
// does not verify; the SQN is then left alone). If the next vector would
// not be accepted (SEQ not above SEQ_MS, or more than Δ above it) the next
// SQN becomes SEQ_MS + 1 with the HSS's IND.
func (s *Store) Resync(imsi string, rand [16]byte, auts [14]byte) error {
	n, ok := imsiNumber(imsi)
	if !ok {
		return fmt.Errorf("hss: IMSI %q: want 15 digits", imsi)
	}
	e := s.find(n)
	if e == nil {
		return fmt.Errorf("hss: IMSI %s: %w", imsi, ErrUnknownIMSI)
	}
	sub := e.subscriber(n)
	sqnMS, err := security.NewMilenage(sub.K, sub.OPc).ResyncSQN(rand, auts)
	if err != nil {
		return fmt.Errorf("hss: IMSI %s: resynchronisation: %w", imsi, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next, used := s.sqn[n]
	if !used {
		next = sub.SQN
	}
	seq, seqMS := next>>security.INDBits, sqnMS>>security.INDBits
	if seq > seqMS && seq-seqMS <= security.DefaultDelta {
		return nil
	}
	ind := next & (seqStep - 1)
	if seqMS+1 > security.MaxSQN>>security.INDBits {
		return fmt.Errorf("hss: IMSI %s: SQN_MS %#x leaves no sequence numbers", imsi, sqnMS)
	}
	s.sqn[n] = (seqMS+1)<<security.INDBits | ind
	return nil
}
