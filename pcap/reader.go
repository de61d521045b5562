package pcap

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"slices"
	"time"
)

// Link types (https://www.tcpdump.org/linktypes.html) understood by [Decode]
// and the [Writer].
const (
	LinkTypeNull      = 0   // BSD loopback: 4-byte address family in host byte order
	LinkTypeEthernet  = 1   // Ethernet II / 802.3
	LinkTypeRawDLT12  = 12  // raw IP (DLT_RAW on some BSDs)
	LinkTypeRawDLT14  = 14  // raw IP (DLT_RAW on OpenBSD)
	LinkTypePPPHDLC   = 50  // PPP in HDLC-like framing (RFC 1662): a frame a record, unescaped, without flags, with its FCS (written only)
	LinkTypeRaw       = 101 // raw IPv4 or IPv6
	LinkTypeLoop      = 108 // OpenBSD loopback: address family in network byte order
	LinkTypeLinuxSLL  = 113 // Linux cooked capture v1
	LinkTypeIPv4      = 228 // raw IPv4
	LinkTypeIPv6      = 229 // raw IPv6
	LinkTypeMUX27010  = 236 // 3GPP TS 27.010 multiplexer frames (written only)
	LinkTypeLinuxSLL2 = 276 // Linux cooked capture v2

	// LinkTypeNone marks pcapng records that are not packets but that
	// Wireshark shows as frames: Custom Blocks and systemd Journal Export
	// Blocks. Decode leaves them undecoded, without error.
	LinkTypeNone = 0xffffffff
)

// Packet is one captured frame.
type Packet struct {
	Index    int       // 1-based frame number, as Wireshark counts
	Time     time.Time // capture time (UTC); zero for records without one (pcapng Simple Packet and Custom Blocks)
	LinkType uint32    // link type of the packet's interface
	Data     []byte    // captured bytes (may be shorter than OrigLen)

	OrigLen   int    // length of the packet on the wire
	Interface int    // pcapng interface index within its section (0 for pcap)
	Block     uint32 // pcapng block type it came from (6 EPB, 3 SPB, 2 PB, 9 journal, 0xbad/0x40000bad custom); 0 for pcap
}

// FormatError reports malformed or truncated capture input.
type FormatError struct {
	Frame  int   // 1-based number of the frame being read (one past the last frame returned)
	Offset int64 // byte offset of the record or block in the input
	Msg    string
	Err    error // underlying error, e.g. io.ErrUnexpectedEOF; may be nil
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("pcap: frame %d at byte offset %d: %s", e.Frame, e.Offset, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

// ErrUnknownFormat is returned by NewReader when the input starts with
// neither a pcap nor a pcapng magic number.
var ErrUnknownFormat = errors.New("pcap: not a pcap or pcapng file")

const (
	magicMicro    = 0xa1b2c3d4
	magicNano     = 0xa1b23c4d
	magicModified = 0xa1b2cd34 // Kuznetzov's patched libpcap: 8 more bytes per record header
	blockSHB      = 0x0a0d0d0a
	bomPcapng     = 0x1a2b3c4d

	blockIDB = 1
	blockPB  = 2 // obsolete Packet Block
	blockSPB = 3
	blockEPB = 6
	blockSJE = 9 // systemd Journal Export Block

	blockCustom       = 0x00000bad
	blockCustomNoCopy = 0x40000bad

	// maxRecord bounds one pcap record or pcapng block. Wireshark's own
	// limits are lower for the link types handled here; the bound only keeps
	// garbage lengths from asking for gigabytes.
	maxRecord = 64 << 20
	// readChunk is how much is allocated at a time while reading a large
	// record from a stream, so that a bogus length in a truncated file does
	// not allocate its full claim.
	readChunk = 1 << 20
)

type iface struct {
	linkType uint32
	snapLen  uint32
	// timestamp resolution: units per second is 10^exp10 (pow2 false) or
	// 2^exp2 (pow2 true).
	pow2     bool
	exp      uint8
	tsOffset int64 // seconds added to every timestamp (if_tsoffset)
}

// Reader reads packets from a pcap or pcapng stream.
type Reader struct {
	src   source
	frame int   // frames returned so far
	err   error // sticky

	ng bool
	bo binary.ByteOrder

	// pcap
	pcapNano     bool
	pcapModified bool
	pcapLink     uint32
	pcapSnap     uint32

	// pcapng: interfaces of the current section
	ifaces []iface
}

// source is where the Reader's bytes come from: a stream (copying) or an
// in-memory slice (aliasing).
type source interface {
	// read returns the next n bytes, valid until the next call. On short
	// input it returns the bytes there were and io.ErrUnexpectedEOF (or
	// io.EOF when there were none).
	read(n int) ([]byte, error)
	// own returns b (from the last read) as a slice the caller may keep.
	own(b []byte) []byte
	offset() int64
}

type memSource struct {
	data []byte
	pos  int
}

func (m *memSource) read(n int) ([]byte, error) {
	rest := len(m.data) - m.pos
	if n > rest {
		b := m.data[m.pos:]
		m.pos = len(m.data)
		if rest == 0 {
			return b, io.EOF
		}
		return b, io.ErrUnexpectedEOF
	}
	b := m.data[m.pos : m.pos+n : m.pos+n]
	m.pos += n
	return b, nil
}

func (m *memSource) own(b []byte) []byte { return b[:len(b):len(b)] }
func (m *memSource) offset() int64       { return int64(m.pos) }

type streamSource struct {
	r   *bufio.Reader
	off int64
	buf []byte
}

func (s *streamSource) read(n int) ([]byte, error) {
	if n <= readChunk {
		if cap(s.buf) < n {
			s.buf = make([]byte, n, max(n, 4096))
		}
		b := s.buf[:n]
		m, err := io.ReadFull(s.r, b)
		s.off += int64(m)
		return b[:m], err
	}
	// Large record: grow as data actually arrives.
	b := s.buf[:0]
	for len(b) < n {
		k := min(n-len(b), readChunk)
		b = slices.Grow(b, k)[:len(b)+k]
		m, err := io.ReadFull(s.r, b[len(b)-k:])
		s.off += int64(m)
		b = b[:len(b)-k+m]
		if err != nil {
			s.buf = b[:0]
			if err == io.EOF && len(b) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return b, err
		}
	}
	s.buf = b[:0]
	return b, nil
}

func (s *streamSource) own(b []byte) []byte { return append([]byte(nil), b...) }
func (s *streamSource) offset() int64       { return s.off }

// NewReader reads the file header (pcap) or first Section Header Block
// (pcapng) from r and returns a Reader positioned at the first packet.
// Packet data returned by Next are new slices that the caller may keep.
func NewReader(r io.Reader) (*Reader, error) {
	return newReader(&streamSource{r: bufio.NewReaderSize(r, 64<<10)})
}

// NewReaderBytes is like NewReader on an in-memory capture; the Data of the
// packets it returns alias data.
func NewReaderBytes(data []byte) (*Reader, error) {
	return newReader(&memSource{data: data})
}

// ReadFile reads every packet of the capture file at path.
func ReadFile(path string) ([]Packet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := NewReaderBytes(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var pkts []Packet
	for {
		p, err := r.Next()
		if err == io.EOF {
			return pkts, nil
		}
		if err != nil {
			return pkts, fmt.Errorf("%s: %w", path, err)
		}
		pkts = append(pkts, p)
	}
}

func newReader(src source) (*Reader, error) {
	r := &Reader{src: src}
	b, err := src.read(4)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, r.errorf(0, err, "reading the file magic")
	}
	le := binary.LittleEndian.Uint32(b)
	be := binary.BigEndian.Uint32(b)
	if be == blockSHB {
		r.ng = true
		if err := r.readSHB(0); err != nil {
			return nil, err
		}
		return r, nil
	}
	switch {
	case le == magicMicro || le == magicNano || le == magicModified:
		r.bo = binary.LittleEndian
	case be == magicMicro || be == magicNano || be == magicModified:
		r.bo = binary.BigEndian
	default:
		return nil, ErrUnknownFormat
	}
	magic := r.bo.Uint32(b)
	r.pcapNano = magic == magicNano
	r.pcapModified = magic == magicModified
	h, err := src.read(20)
	if err != nil {
		return nil, r.errorf(0, unexpected(err), "reading the pcap file header")
	}
	if major := r.bo.Uint16(h[0:]); major != 2 {
		return nil, r.errorf(0, nil, "unsupported pcap version %d.%d", major, r.bo.Uint16(h[2:]))
	}
	r.pcapSnap = r.bo.Uint32(h[12:])
	// The upper bits of the link-type field carry FCS information.
	r.pcapLink = r.bo.Uint32(h[16:]) & 0x03ffffff
	return r, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (r *Reader) errorf(off int64, err error, format string, args ...any) *FormatError {
	return &FormatError{Frame: r.frame + 1, Offset: off, Msg: fmt.Sprintf(format, args...), Err: err}
}

// LinkType is the link type of the pcap file, or of the first interface of
// the current pcapng section (0 when it has none yet).
func (r *Reader) LinkType() uint32 {
	if !r.ng {
		return r.pcapLink
	}
	if len(r.ifaces) > 0 {
		return r.ifaces[0].linkType
	}
	return 0
}

// Next returns the next packet, or io.EOF after the last one. Any other error
// is a *FormatError (or the underlying reader's error) and is returned again
// by every later call.
func (r *Reader) Next() (Packet, error) {
	if r.err != nil {
		return Packet{}, r.err
	}
	var p Packet
	var err error
	if r.ng {
		p, err = r.nextPcapng()
	} else {
		p, err = r.nextPcap()
	}
	if err != nil {
		r.err = err
		return Packet{}, err
	}
	r.frame++
	p.Index = r.frame
	return p, nil
}

func (r *Reader) nextPcap() (Packet, error) {
	off := r.src.offset()
	hlen := 16
	if r.pcapModified {
		hlen = 24
	}
	h, err := r.src.read(hlen)
	if err == io.EOF {
		return Packet{}, io.EOF
	}
	if err != nil {
		return Packet{}, r.errorf(off, err, "truncated record header (%d of %d bytes)", len(h), hlen)
	}
	sec := r.bo.Uint32(h[0:])
	frac := r.bo.Uint32(h[4:])
	capLen := r.bo.Uint32(h[8:])
	origLen := r.bo.Uint32(h[12:])
	if capLen > maxRecord {
		return Packet{}, r.errorf(off, nil, "captured length %d too large", capLen)
	}
	data, err := r.src.read(int(capLen))
	if err != nil {
		return Packet{}, r.errorf(off, unexpected(err), "truncated packet data (%d of %d bytes)", len(data), capLen)
	}
	ns := int64(frac)
	if !r.pcapNano {
		ns *= 1000
	}
	return Packet{
		Time:     time.Unix(int64(sec), ns).UTC(),
		LinkType: r.pcapLink,
		Data:     r.src.own(data),
		OrigLen:  int(origLen),
	}, nil
}

// readSHB reads a Section Header Block whose 4-byte type has already been
// read at offset off.
func (r *Reader) readSHB(off int64) error {
	h, err := r.src.read(8)
	if err != nil {
		return r.errorf(off, unexpected(err), "truncated section header block")
	}
	switch binary.LittleEndian.Uint32(h[4:]) {
	case bomPcapng:
		r.bo = binary.LittleEndian
	case bswap(bomPcapng):
		r.bo = binary.BigEndian
	default:
		return r.errorf(off, nil, "bad section header byte-order magic %#x", binary.BigEndian.Uint32(h[4:]))
	}
	total := r.bo.Uint32(h[0:])
	if total < 28 || total%4 != 0 || total > maxRecord {
		return r.errorf(off, nil, "bad section header block length %d", total)
	}
	body, err := r.src.read(int(total) - 12)
	if err != nil {
		return r.errorf(off, unexpected(err), "truncated section header block (%d of %d bytes)", 12+len(body), total)
	}
	if major := r.bo.Uint16(body[0:]); major != 1 {
		return r.errorf(off, nil, "unsupported pcapng version %d.%d", major, r.bo.Uint16(body[2:]))
	}
	if trail := r.bo.Uint32(body[len(body)-4:]); trail != total {
		return r.errorf(off, nil, "block lengths differ (%d at the start, %d at the end)", total, trail)
	}
	r.ifaces = r.ifaces[:0]
	return nil
}

func bswap(v uint32) uint32 { return bits.ReverseBytes32(v) }

func (r *Reader) nextPcapng() (Packet, error) {
	for {
		off := r.src.offset()
		h, err := r.src.read(4)
		if err == io.EOF {
			return Packet{}, io.EOF
		}
		if err != nil {
			return Packet{}, r.errorf(off, err, "truncated block header")
		}
		if binary.BigEndian.Uint32(h) == blockSHB {
			if err := r.readSHB(off); err != nil {
				return Packet{}, err
			}
			continue
		}
		typ := r.bo.Uint32(h)
		h, err = r.src.read(4)
		if err != nil {
			return Packet{}, r.errorf(off, unexpected(err), "truncated block header")
		}
		total := r.bo.Uint32(h)
		if total < 12 || total%4 != 0 || total > maxRecord {
			return Packet{}, r.errorf(off, nil, "bad block length %d (block type %#x)", total, typ)
		}
		blk, err := r.src.read(int(total) - 8)
		if err != nil {
			return Packet{}, r.errorf(off, unexpected(err), "truncated block (type %#x, %d of %d bytes)", typ, 8+len(blk), total)
		}
		if trail := r.bo.Uint32(blk[len(blk)-4:]); trail != total {
			return Packet{}, r.errorf(off, nil, "block lengths differ (%d at the start, %d at the end; block type %#x)", total, trail, typ)
		}
		body := blk[:len(blk)-4]
		switch typ {
		case blockIDB:
			if err := r.readIDB(off, body); err != nil {
				return Packet{}, err
			}
		case blockEPB:
			return r.readEPB(off, body)
		case blockPB:
			return r.readPB(off, body)
		case blockSPB:
			return r.readSPB(off, body)
		case blockCustom, blockCustomNoCopy:
			// Wireshark shows custom blocks as frames.
			if len(body) < 4 {
				return Packet{}, r.errorf(off, nil, "custom block too short (%d bytes)", len(body))
			}
			return Packet{LinkType: LinkTypeNone, Data: r.src.own(body[4:]), OrigLen: len(body) - 4, Block: typ}, nil
		case blockSJE:
			return r.readSJE(off, body)
		default:
			// NRB, ISB, DSB and unknown blocks: skipped.
		}
	}
}

func (r *Reader) readIDB(off int64, body []byte) error {
	if len(body) < 8 {
		return r.errorf(off, nil, "interface description block too short (%d bytes)", len(body))
	}
	ifc := iface{
		linkType: uint32(r.bo.Uint16(body[0:])),
		snapLen:  r.bo.Uint32(body[4:]),
		exp:      6,
	}
	opts := body[8:]
	for len(opts) >= 4 {
		code := r.bo.Uint16(opts[0:])
		n := int(r.bo.Uint16(opts[2:]))
		if code == 0 || 4+n > len(opts) {
			break
		}
		v := opts[4 : 4+n]
		switch {
		case code == 9 && n >= 1: // if_tsresol
			ifc.pow2 = v[0]&0x80 != 0
			ifc.exp = v[0] & 0x7f
			if (!ifc.pow2 && ifc.exp > 19) || (ifc.pow2 && ifc.exp > 63) {
				return r.errorf(off, nil, "unsupported if_tsresol %#x", v[0])
			}
		case code == 14 && n >= 8: // if_tsoffset
			ifc.tsOffset = int64(r.bo.Uint64(v))
		}
		adv := 4 + (n+3)&^3
		if adv > len(opts) {
			break
		}
		opts = opts[adv:]
	}
	r.ifaces = append(r.ifaces, ifc)
	return nil
}

var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return
}()

// timestamp converts a pcapng timestamp in the interface's units.
func (ifc *iface) timestamp(ts uint64) time.Time {
	var sec, ns uint64
	if ifc.pow2 {
		sec = ts >> ifc.exp
		frac := ts & (1<<ifc.exp - 1)
		hi, lo := bits.Mul64(frac, 1e9)
		ns, _ = bits.Div64(hi, lo, 1<<ifc.exp) // hi < 2^exp: no panic
	} else {
		unit := pow10[ifc.exp]
		sec = ts / unit
		frac := ts % unit
		if ifc.exp <= 9 {
			ns = frac * pow10[9-ifc.exp]
		} else {
			ns = frac / pow10[ifc.exp-9]
		}
	}
	return time.Unix(int64(sec)+ifc.tsOffset, int64(ns)).UTC()
}

func (r *Reader) iface(off int64, id uint32) (*iface, error) {
	if uint64(id) >= uint64(len(r.ifaces)) {
		return nil, r.errorf(off, nil, "packet on interface %d, but the section describes %d interfaces", id, len(r.ifaces))
	}
	return &r.ifaces[id], nil
}

func (r *Reader) readEPB(off int64, body []byte) (Packet, error) {
	if len(body) < 20 {
		return Packet{}, r.errorf(off, nil, "enhanced packet block too short (%d bytes)", len(body))
	}
	id := r.bo.Uint32(body[0:])
	ifc, err := r.iface(off, id)
	if err != nil {
		return Packet{}, err
	}
	ts := uint64(r.bo.Uint32(body[4:]))<<32 | uint64(r.bo.Uint32(body[8:]))
	capLen := r.bo.Uint32(body[12:])
	origLen := r.bo.Uint32(body[16:])
	if uint64(capLen) > uint64(len(body)-20) {
		return Packet{}, r.errorf(off, nil, "captured length %d exceeds the block (%d bytes of data)", capLen, len(body)-20)
	}
	return Packet{
		Time:      ifc.timestamp(ts),
		LinkType:  ifc.linkType,
		Data:      r.src.own(body[20 : 20+capLen]),
		OrigLen:   int(origLen),
		Interface: int(id),
		Block:     blockEPB,
	}, nil
}

func (r *Reader) readPB(off int64, body []byte) (Packet, error) {
	if len(body) < 20 {
		return Packet{}, r.errorf(off, nil, "packet block too short (%d bytes)", len(body))
	}
	id := uint32(r.bo.Uint16(body[0:]))
	ifc, err := r.iface(off, id)
	if err != nil {
		return Packet{}, err
	}
	ts := uint64(r.bo.Uint32(body[4:]))<<32 | uint64(r.bo.Uint32(body[8:]))
	capLen := r.bo.Uint32(body[12:])
	origLen := r.bo.Uint32(body[16:])
	if uint64(capLen) > uint64(len(body)-20) {
		return Packet{}, r.errorf(off, nil, "captured length %d exceeds the block (%d bytes of data)", capLen, len(body)-20)
	}
	return Packet{
		Time:      ifc.timestamp(ts),
		LinkType:  ifc.linkType,
		Data:      r.src.own(body[20 : 20+capLen]),
		OrigLen:   int(origLen),
		Interface: int(id),
		Block:     blockPB,
	}, nil
}

func (r *Reader) readSPB(off int64, body []byte) (Packet, error) {
	if len(body) < 4 {
		return Packet{}, r.errorf(off, nil, "simple packet block too short (%d bytes)", len(body))
	}
	ifc, err := r.iface(off, 0)
	if err != nil {
		return Packet{}, err
	}
	origLen := r.bo.Uint32(body[0:])
	capLen := uint64(origLen)
	if ifc.snapLen != 0 && uint64(ifc.snapLen) < capLen {
		capLen = uint64(ifc.snapLen)
	}
	if capLen > uint64(len(body)-4) {
		return Packet{}, r.errorf(off, nil, "simple packet block of %d bytes of data is too short for %d bytes", len(body)-4, capLen)
	}
	return Packet{
		LinkType: ifc.linkType,
		Data:     r.src.own(body[4 : 4+capLen]),
		OrigLen:  int(origLen),
		Block:    blockSPB,
	}, nil
}

// readSJE reads a systemd Journal Export Block: the entry, without its
// padding, timed by its __REALTIME_TIMESTAMP field (microseconds).
func (r *Reader) readSJE(off int64, body []byte) (Packet, error) {
	if len(body) < 23 { // Wireshark's minimum entry size
		return Packet{}, r.errorf(off, nil, "systemd journal export block too short (%d bytes)", len(body))
	}
	for len(body) > 0 && body[len(body)-1] == 0 {
		body = body[:len(body)-1]
	}
	p := Packet{LinkType: LinkTypeNone, Data: r.src.own(body), OrigLen: len(body), Block: blockSJE}
	const field = "__REALTIME_TIMESTAMP="
	for line := range bytes.Lines(body) {
		if v, ok := bytes.CutPrefix(line, []byte(field)); ok {
			var us uint64
			n := 0
			for _, c := range v {
				if c < '0' || c > '9' || n == 19 {
					break
				}
				us = us*10 + uint64(c-'0')
				n++
			}
			if n > 0 {
				p.Time = time.Unix(int64(us/1e6), int64(us%1e6)*1000).UTC()
			}
			break
		}
	}
	return p, nil
}
