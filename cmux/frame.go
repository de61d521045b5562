package cmux

import (
	"errors"
	"fmt"
)

// Frame types: the control field with the P/F bit clear (TS 27.010
// §5.2.1.3).
const (
	SABM uint8 = 0x2f
	UA   uint8 = 0x63
	DM   uint8 = 0x0f
	DISC uint8 = 0x43
	UIH  uint8 = 0xef
	UI   uint8 = 0x03
	pf   uint8 = 0x10
)

// Flag is the basic option's opening and closing flag (§5.2.6.1).
const Flag = 0xf9

// MaxN1 is the largest information field (§5.7.2: N1 up to 32768 with
// the two-octet length).
const MaxN1 = 32768

// maxLength is the longest information field the length indicator can
// say: 15 bits (§5.2.1.5). A frame carries at most this much, even with
// N1 = MaxN1.
const maxLength = 1<<15 - 1

// ErrMalformed is what parse errors wrap.
var ErrMalformed = errors.New("malformed")

// Frame is one frame of the basic option:
//
//	Flag | Address | Control | Length (1 or 2) | Information | FCS | Flag
//
// Address: EA (1), C/R, DLCI (6 bits); Length: EA, 7 or 15 bits.
type Frame struct {
	DLCI uint8
	CR   bool
	PF   bool
	Type uint8 // SABM, UA, DM, DISC, UIH, UI
	Info []byte
}

func (f Frame) String() string {
	name := map[uint8]string{SABM: "SABM", UA: "UA", DM: "DM", DISC: "DISC", UIH: "UIH", UI: "UI"}[f.Type]
	if name == "" {
		name = fmt.Sprintf("type %#02x", f.Type)
	}
	return fmt.Sprintf("%s DLC %d C/R %v P/F %v %d octets", name, f.DLCI, f.CR, f.PF, len(f.Info))
}

// fcsTable is the FCS of §5.2.1.6: CRC-8 with x^8 + x^2 + x + 1, bits
// reflected (so 0xe0), over the address, control and length fields (and
// the information field of every frame type but UIH), initial 0xff, sent
// as 0xff minus the CRC.
var fcsTable = func() (t [256]uint8) {
	for b := range t {
		v := uint8(b)
		for range 8 {
			if v&1 != 0 {
				v = v>>1 ^ 0xe0
			} else {
				v >>= 1
			}
		}
		t[b] = v
	}
	return t
}()

func crc8(c uint8, b []byte) uint8 {
	for _, x := range b {
		c = fcsTable[c^x]
	}
	return c
}

// FCS is the FCS octet of a frame whose address, control and length
// fields are hdr.
func FCS(hdr, info []byte, typ uint8) uint8 {
	c := crc8(0xff, hdr)
	if typ != UIH {
		c = crc8(c, info)
	}
	return 0xff - c
}

// header appends the address, control and length fields.
func (f Frame) header(dst []byte) []byte {
	a := f.DLCI<<2 | 1
	if f.CR {
		a |= 2
	}
	c := f.Type
	if f.PF {
		c |= pf
	}
	dst = append(dst, a, c)
	if n := len(f.Info); n > 127 {
		return append(dst, byte(n<<1), byte(n>>7))
	}
	return append(dst, byte(len(f.Info)<<1|1))
}

// Append appends the frame with its flags.
func (f Frame) Append(dst []byte) []byte {
	dst = append(dst, Flag)
	start := len(dst)
	dst = f.header(dst)
	fcs := FCS(dst[start:], f.Info, f.Type)
	dst = append(dst, f.Info...)
	return append(dst, fcs, Flag)
}

// Deframer cuts the bytes from the port into frames: a flag, a header
// whose length says where the FCS and closing flag are, a good FCS. After
// anything else it hunts for the next flag (§5.2.6.1: no transparency in
// the basic option, so a bad frame costs the bytes up to the next flag).
type Deframer struct {
	// N1 is the largest information field accepted (0: MaxN1).
	N1    int
	buf   []byte
	Stats Stats
}

// Stats counts what a Deframer found.
type Stats struct {
	Frames  int64
	BadFCS  int64
	TooLong int64 // over N1
	BadHdr  int64 // no closing flag, address EA 0
	Skipped int64 // octets outside frames
}

// Feed takes bytes from the port and appends the good frames to frames.
func (d *Deframer) Feed(b []byte, frames []Frame) []Frame {
	d.buf = append(d.buf, b...)
	for {
		f, n, ok := d.next()
		if n == 0 {
			break
		}
		d.buf = d.buf[n:]
		if ok {
			frames = append(frames, f)
		}
	}
	if len(d.buf) == 0 {
		d.buf = nil
	}
	return frames
}

// next looks at the start of the buffer: it returns a frame and the
// octets it used (the closing flag is left: it may open the next frame),
// or octets to drop, or 0 when more input is needed.
func (d *Deframer) next() (Frame, int, bool) {
	b := d.buf
	if len(b) == 0 {
		return Frame{}, 0, false
	}
	if b[0] != Flag {
		i := 1
		for i < len(b) && b[i] != Flag {
			i++
		}
		d.Stats.Skipped += int64(i)
		return Frame{}, i, false
	}
	if len(b) > 1 && b[1] == Flag {
		return Frame{}, 1, false // repeated flags
	}
	if len(b) < 4 {
		return Frame{}, 0, false
	}
	if b[1]&1 == 0 {
		d.Stats.BadHdr++
		return Frame{}, 1, false
	}
	hl, n := 4, int(b[3]>>1)
	if b[3]&1 == 0 {
		if len(b) < 5 {
			return Frame{}, 0, false
		}
		hl, n = 5, n|int(b[4])<<7
	}
	max := d.N1
	if max <= 0 {
		max = MaxN1
	}
	if n > max {
		d.Stats.TooLong++
		return Frame{}, 1, false
	}
	end := hl + n + 2 // FCS and closing flag
	if len(b) < end {
		return Frame{}, 0, false
	}
	if b[end-1] != Flag {
		d.Stats.BadHdr++
		return Frame{}, 1, false
	}
	f := Frame{DLCI: b[1] >> 2, CR: b[1]&2 != 0, PF: b[2]&pf != 0, Type: b[2] &^ pf}
	info := b[hl : hl+n]
	if FCS(b[1:hl], info, f.Type) != b[end-2] {
		d.Stats.BadFCS++
		return Frame{}, 1, false
	}
	f.Info = append([]byte(nil), info...)
	d.Stats.Frames++
	return f, end - 1, true
}
