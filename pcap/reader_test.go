package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// ngFile builds pcapng files for tests.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

type ngFile struct {
	bo  order
	buf []byte
	// offsets of the packet blocks (EPB, SPB, PB), in file order
	pktOffsets []int
}

func (f *ngFile) block(typ uint32, body []byte) {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	n := uint32(12 + len(body))
	f.buf = f.bo.AppendUint32(f.buf, typ)
	f.buf = f.bo.AppendUint32(f.buf, n)
	f.buf = append(f.buf, body...)
	f.buf = f.bo.AppendUint32(f.buf, n)
}

// frameBlock adds a non-packet block that Wireshark shows as a frame.
func (f *ngFile) frameBlock(typ uint32, body []byte) {
	f.pktOffsets = append(f.pktOffsets, len(f.buf))
	f.block(typ, body)
}

func (f *ngFile) shb(bo order) {
	f.bo = bo
	var b []byte
	b = bo.AppendUint32(b, bomPcapng)
	b = bo.AppendUint16(b, 1)
	b = bo.AppendUint16(b, 0)
	b = bo.AppendUint64(b, ^uint64(0))
	b = f.opt(b, 4, []byte("nbsim test")) // shb_userappl
	b = f.opt(b, 0, nil)
	f.block(blockSHB, b)
}

func (f *ngFile) opt(b []byte, code uint16, v []byte) []byte {
	b = f.bo.AppendUint16(b, code)
	b = f.bo.AppendUint16(b, uint16(len(v)))
	b = append(b, v...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// idb adds an interface; tsresol < 0 leaves the option out (microseconds).
func (f *ngFile) idb(linkType uint16, snap uint32, tsresol int, tsoffset int64) {
	var b []byte
	b = f.bo.AppendUint16(b, linkType)
	b = f.bo.AppendUint16(b, 0)
	b = f.bo.AppendUint32(b, snap)
	b = f.opt(b, 2, []byte("if")) // if_name
	if tsresol >= 0 {
		b = f.opt(b, 9, []byte{byte(tsresol)})
	}
	if tsoffset != 0 {
		b = f.opt(b, 14, f.bo.AppendUint64(nil, uint64(tsoffset)))
	}
	b = f.opt(b, 0, nil)
	f.block(blockIDB, b)
}

func (f *ngFile) epb(ifc uint32, ts uint64, data []byte, origLen uint32) {
	f.pktOffsets = append(f.pktOffsets, len(f.buf))
	var b []byte
	b = f.bo.AppendUint32(b, ifc)
	b = f.bo.AppendUint32(b, uint32(ts>>32))
	b = f.bo.AppendUint32(b, uint32(ts))
	b = f.bo.AppendUint32(b, uint32(len(data)))
	b = f.bo.AppendUint32(b, origLen)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	b = f.opt(b, 1, []byte("comment")) // opt_comment
	b = f.opt(b, 0, nil)
	f.block(blockEPB, b)
}

func (f *ngFile) pb(ifc uint16, ts uint64, data []byte) {
	f.pktOffsets = append(f.pktOffsets, len(f.buf))
	var b []byte
	b = f.bo.AppendUint16(b, ifc)
	b = f.bo.AppendUint16(b, 0)
	b = f.bo.AppendUint32(b, uint32(ts>>32))
	b = f.bo.AppendUint32(b, uint32(ts))
	b = f.bo.AppendUint32(b, uint32(len(data)))
	b = f.bo.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	f.block(blockPB, b)
}

func (f *ngFile) spb(data []byte, origLen uint32) {
	f.pktOffsets = append(f.pktOffsets, len(f.buf))
	f.block(blockSPB, append(f.bo.AppendUint32(nil, origLen), data...))
}

// pcapFile builds a classic pcap file.
func pcapFile(bo order, magic uint32, linkType uint32, recs []Packet) ([]byte, []int) {
	var b []byte
	b = bo.AppendUint32(b, magic)
	b = bo.AppendUint16(b, 2)
	b = bo.AppendUint16(b, 4)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 65535)
	b = bo.AppendUint32(b, linkType)
	var offs []int
	for _, p := range recs {
		offs = append(offs, len(b))
		frac := p.Time.Nanosecond()
		if magic != magicNano {
			frac /= 1000
		}
		b = bo.AppendUint32(b, uint32(p.Time.Unix()))
		b = bo.AppendUint32(b, uint32(frac))
		b = bo.AppendUint32(b, uint32(len(p.Data)))
		b = bo.AppendUint32(b, uint32(p.OrigLen))
		if magic == magicModified {
			b = append(b, 0, 0, 0, 1, 0, 8, 0, 0) // ifindex, protocol, pkt_type, pad
		}
		b = append(b, p.Data...)
	}
	return b, offs
}

func payload(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i)
	}
	return b
}

type readerCase struct {
	name  string
	file  []byte
	offs  []int    // offsets of the packet records/blocks
	want  []Packet // Index is filled in by the test
	shark bool     // compare with tshark too
}

func readerCases() []readerCase {
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	var cases []readerCase

	// pcapng: two sections of different byte orders; several interfaces
	// with their own link types and resolutions; SPB, PB and skipped blocks.
	var f ngFile
	f.shb(binary.LittleEndian)
	f.idb(LinkTypeEthernet, 0, -1, 0)                                     // microseconds (default)
	f.idb(LinkTypeRaw, 96, 9, 0)                                          // nanoseconds
	f.idb(LinkTypeLinuxSLL, 0, 3, 1000)                                   // milliseconds, if_tsoffset +1000 s
	f.block(4, []byte{1, 0, 8, 0, 10, 0, 0, 1, 'h', 0, 0, 0, 0, 0, 0, 0}) // NRB
	f.epb(0, uint64(t0.UnixMicro()), payload(60, 1), 60)
	f.epb(1, uint64(t0.UnixNano()), payload(33, 2), 1500)
	f.block(5, make([]byte, 20)) // ISB
	f.epb(2, uint64(t0.Add(-1000*time.Second).UnixMilli()), payload(20, 3), 20)
	f.frameBlock(0x40000bad, []byte{1, 0, 0, 0, 9, 9}) // custom: a frame
	f.block(0x80001234, []byte{1, 2, 3})               // local use: skipped
	f.pb(1, uint64(t0.UnixNano()+1), payload(7, 4))
	f.spb(payload(100, 5), 100) // interface 0 has no snaplen
	f.frameBlock(blockSJE, []byte("__CURSOR=s=1\n__REALTIME_TIMESTAMP=1700000000123456\nMESSAGE=hi\n\n"))
	f.shb(binary.BigEndian)
	f.idb(LinkTypeIPv4, 0, 0x80|20, 0) // 2^-20 s
	f.idb(LinkTypeLinuxSLL2, 16, 6, 0)
	f.epb(1, uint64(t0.UnixMicro()), payload(16, 6), 16)
	f.epb(0, uint64(t0.Unix())<<20|1<<19, payload(1, 7), 1) // .5 s
	f.spb(payload(40, 8), 40)                               // snaplen 0 on if 0
	cases = append(cases, readerCase{
		name: "pcapng sections interfaces resolutions", file: f.buf, offs: f.pktOffsets, shark: true,
		want: []Packet{
			{Time: t0.Truncate(time.Microsecond), LinkType: LinkTypeEthernet, Data: payload(60, 1), OrigLen: 60},
			{Time: t0, LinkType: LinkTypeRaw, Data: payload(33, 2), OrigLen: 1500, Interface: 1},
			{Time: t0.Truncate(time.Millisecond), LinkType: LinkTypeLinuxSLL, Data: payload(20, 3), OrigLen: 20, Interface: 2},
			{LinkType: LinkTypeNone, Data: []byte{9, 9, 0, 0}, OrigLen: 4, Block: blockCustomNoCopy},
			{Time: t0.Add(1), LinkType: LinkTypeRaw, Data: payload(7, 4), OrigLen: 7, Interface: 1, Block: blockPB},
			{LinkType: LinkTypeEthernet, Data: payload(100, 5), OrigLen: 100, Block: blockSPB},
			{Time: time.UnixMicro(1700000000123456).UTC(), LinkType: LinkTypeNone, OrigLen: 63, Block: blockSJE,
				Data: []byte("__CURSOR=s=1\n__REALTIME_TIMESTAMP=1700000000123456\nMESSAGE=hi\n\n")},
			{Time: t0.Truncate(time.Microsecond), LinkType: LinkTypeLinuxSLL2, Data: payload(16, 6), OrigLen: 16, Interface: 1},
			{Time: t0.Truncate(time.Second).Add(500 * time.Millisecond), LinkType: LinkTypeIPv4, Data: payload(1, 7), OrigLen: 1},
			{LinkType: LinkTypeIPv4, Data: payload(40, 8), OrigLen: 40, Block: blockSPB},
		},
	})

	// SPB limited by the interface snaplen.
	var g ngFile
	g.shb(binary.BigEndian)
	g.idb(LinkTypeRaw, 24, -1, 0)
	g.spb(payload(24, 9), 32)
	g.epb(0, 1, nil, 0) // empty packet
	cases = append(cases, readerCase{
		name: "pcapng SPB snaplen", file: g.buf, offs: g.pktOffsets, shark: true,
		want: []Packet{
			{LinkType: LinkTypeRaw, Data: payload(24, 9), OrigLen: 32, Block: blockSPB},
			{Time: time.Unix(0, 1000).UTC(), LinkType: LinkTypeRaw, Data: []byte{}, OrigLen: 0},
		},
	})

	recs := []Packet{
		{Time: t0, Data: payload(42, 1), OrigLen: 42},
		{Time: t0.Add(time.Hour), Data: payload(5, 2), OrigLen: 1000},
		{Time: time.Unix(0xfffffff0, 999999999).UTC(), Data: []byte{}, OrigLen: 0},
	}
	for _, c := range []struct {
		name  string
		bo    order
		magic uint32
		lt    uint32
		shark bool
	}{
		{"pcap LE usec", binary.LittleEndian, magicMicro, LinkTypeEthernet, true},
		{"pcap BE usec", binary.BigEndian, magicMicro, LinkTypeLinuxSLL, true},
		{"pcap LE nsec", binary.LittleEndian, magicNano, LinkTypeIPv4, true},
		{"pcap BE nsec", binary.BigEndian, magicNano, LinkTypeRaw, true},
		{"pcap modified", binary.LittleEndian, magicModified, LinkTypeEthernet, false},
	} {
		file, offs := pcapFile(c.bo, c.magic, c.lt, recs)
		var want []Packet
		for _, p := range recs {
			p.LinkType = c.lt
			if c.magic != magicNano {
				p.Time = p.Time.Truncate(time.Microsecond)
			}
			want = append(want, p)
		}
		cases = append(cases, readerCase{name: c.name, file: file, offs: offs, want: want, shark: c.shark})
	}
	return cases
}

func samePacket(a, b Packet) bool {
	return a.Index == b.Index && a.Time.Equal(b.Time) && a.LinkType == b.LinkType &&
		bytes.Equal(a.Data, b.Data) && a.OrigLen == b.OrigLen && a.Interface == b.Interface && a.Block == b.Block
}

func readAll(r *Reader) ([]Packet, error) {
	var ps []Packet
	for {
		p, err := r.Next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return ps, err
		}
		ps = append(ps, p)
	}
}

func TestReader(t *testing.T) {
	for _, c := range readerCases() {
		for i := range c.want {
			c.want[i].Index = i + 1
			if c.want[i].Block == 0 && strings.HasPrefix(c.name, "pcapng") {
				c.want[i].Block = blockEPB
			}
		}
		sources := map[string]func() (*Reader, error){
			"bytes":   func() (*Reader, error) { return NewReaderBytes(c.file) },
			"stream":  func() (*Reader, error) { return NewReader(bytes.NewReader(c.file)) },
			"onebyte": func() (*Reader, error) { return NewReader(iotest.OneByteReader(bytes.NewReader(c.file))) },
			"dataerr": func() (*Reader, error) { return NewReader(iotest.DataErrReader(bytes.NewReader(c.file))) },
		}
		for sname, open := range sources {
			t.Run(c.name+"/"+sname, func(t *testing.T) {
				r, err := open()
				if err != nil {
					t.Fatal(err)
				}
				got, err := readAll(r)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(c.want) {
					t.Fatalf("%d packets, want %d", len(got), len(c.want))
				}
				for i := range got {
					if !samePacket(got[i], c.want[i]) {
						t.Errorf("packet %d:\n got  %+v\n want %+v", i+1, got[i], c.want[i])
					}
				}
				if _, err := r.Next(); err != io.EOF {
					t.Errorf("Next after the end: %v, want io.EOF", err)
				}
			})
		}
		if c.shark {
			t.Run(c.name+"/tshark", func(t *testing.T) {
				t.Parallel()
				compareTshark(t, c.file, c.want)
			})
		}
	}
}

// compareTshark checks frame count, times and lengths against tshark.
func compareTshark(t *testing.T, file []byte, want []Packet) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skipf("tshark not on PATH: %v", err)
	}
	path := filepath.Join(t.TempDir(), "f.pcapng")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number",
		"-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	var lines []string
	for l := range strings.Lines(string(out)) {
		if !strings.HasPrefix(l, "Running as user") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	if len(lines) != len(want) {
		t.Fatalf("tshark sees %d frames, want %d:\n%s", len(lines), len(want), out)
	}
	for i, p := range want {
		w := fmt.Sprintf("%d\t%s\t%d\t%d", i+1, epoch(p), len(p.Data), p.OrigLen)
		if p.Time.IsZero() {
			// tshark shows no time for records without one
			w = fmt.Sprintf("%d\t\t%d\t%d", i+1, len(p.Data), p.OrigLen)
		}
		if lines[i] != w {
			t.Errorf("frame %d: tshark %q, reader %q", i+1, lines[i], w)
		}
	}
}

// blockStarts lists where the file header and every record or block starts,
// and the file's end.
func blockStarts(c readerCase) []int {
	if strings.HasPrefix(c.name, "pcap ") {
		return append(append([]int{0}, c.offs...), len(c.file))
	}
	var starts []int
	bo := binary.ByteOrder(binary.LittleEndian)
	for off := 0; off < len(c.file); {
		starts = append(starts, off)
		if binary.BigEndian.Uint32(c.file[off:]) == blockSHB {
			if binary.LittleEndian.Uint32(c.file[off+8:]) == bomPcapng {
				bo = binary.LittleEndian
			} else {
				bo = binary.BigEndian
			}
		}
		off += int(bo.Uint32(c.file[off+4:]))
	}
	return append(starts, len(c.file))
}

// TestReaderTruncated cuts files at every byte: reading must give the
// complete packets and then, unless the cut falls between blocks, an error
// naming the next frame and the offset of the partial record or block.
func TestReaderTruncated(t *testing.T) {
	for _, c := range readerCases() {
		t.Run(c.name, func(t *testing.T) {
			starts := blockStarts(c)
			for cut := 0; cut < len(c.file); cut++ {
				k := 0 // the block the cut falls in
				for starts[k+1] <= cut {
					k++
				}
				n := 0 // complete packets
				for n < len(c.offs) && c.offs[n] < starts[k] {
					n++
				}
				var got []Packet
				r, err := NewReaderBytes(c.file[:cut])
				if err == nil {
					got, err = readAll(r)
				}
				if len(got) != n {
					t.Fatalf("cut %d: %d packets, want %d", cut, len(got), n)
				}
				for i := range got {
					if !bytes.Equal(got[i].Data, c.want[i].Data) {
						t.Fatalf("cut %d: packet %d data differs", cut, i+1)
					}
				}
				if cut == starts[k] && k > 0 {
					if err != nil {
						t.Fatalf("cut %d between blocks: %v", cut, err)
					}
					continue
				}
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("cut %d: err %v, want a *FormatError", cut, err)
				}
				if fe.Frame != n+1 || fe.Offset != int64(starts[k]) {
					t.Errorf("cut %d: error names frame %d at offset %d, want frame %d at %d: %v", cut, fe.Frame, fe.Offset, n+1, starts[k], err)
				}
				if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("frame %d at byte offset %d:", n+1, starts[k])) {
					t.Errorf("cut %d: message %q does not name the frame and offset", cut, msg)
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("cut %d: %v does not wrap io.ErrUnexpectedEOF", cut, err)
				}
			}
		})
	}
}

// TestReaderTruncatedCapture truncates a real capture inside a packet.
func TestReaderTruncatedCapture(t *testing.T) {
	files := captureFiles(t)
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(captureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		full, err := NewReaderBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		for ; n < 5; n++ {
			if _, err := full.Next(); err != nil {
				t.Fatal(err)
			}
		}
		cut := len(data) / 2
		r, err := NewReader(bytes.NewReader(data[:cut]))
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAll(r)
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s cut at %d: err %v, want a *FormatError", name, cut, err)
			continue
		}
		if fe.Frame != len(got)+1 || fe.Offset >= int64(cut) || fe.Offset < int64(cut)-maxRecord {
			t.Errorf("%s cut at %d after %d packets: %v", name, cut, len(got), err)
		}
		t.Logf("%s cut at %d: %v", name, cut, err)
	}
}

func TestReaderErrors(t *testing.T) {
	le := binary.LittleEndian
	withIDB := func() *ngFile {
		var f ngFile
		f.shb(le)
		f.idb(LinkTypeEthernet, 0, -1, 0)
		return &f
	}
	cases := []struct {
		name   string
		file   func() []byte
		frame  int
		offset int64
		msg    string
	}{
		{"unknown magic", func() []byte { return []byte("GIF89a..................") }, 0, 0, "not a pcap"},
		{"empty", func() []byte { return nil }, 1, 0, "magic"},
		{"pcap short header", func() []byte { return le.AppendUint32(nil, magicMicro) }, 1, 0, "file header"},
		{"pcap version", func() []byte {
			b, _ := pcapFile(le, magicMicro, 1, nil)
			b[4] = 3
			return b
		}, 1, 0, "version 3"},
		{"pcap huge record", func() []byte {
			b, _ := pcapFile(le, magicMicro, 1, []Packet{{Data: []byte{1}}, {Data: []byte{2}}})
			le.PutUint32(b[24+17+8:], 0xffffffff)
			return b
		}, 2, 24 + 17, "too large"},
		{"pcapng bad byte-order magic", func() []byte {
			f := withIDB()
			f.buf[8] = 0
			return f.buf
		}, 1, 0, "byte-order"},
		{"pcapng version 2", func() []byte {
			f := withIDB()
			f.buf[12] = 2
			return f.buf
		}, 1, 0, "version 2"},
		{"pcapng undefined interface", func() []byte {
			f := withIDB()
			f.epb(1, 0, []byte{1}, 1)
			return f.buf
		}, 1, 80, "interface 1"},
		{"pcapng packet before IDB", func() []byte {
			var f ngFile
			f.shb(le)
			f.spb([]byte{1}, 1)
			return f.buf
		}, 1, 48, "interface 0"},
		{"pcapng trailing length differs", func() []byte {
			f := withIDB()
			f.epb(0, 0, []byte{1, 2, 3, 4}, 4)
			f.buf[len(f.buf)-4]++
			return f.buf
		}, 1, 80, "lengths differ"},
		{"pcapng length not a multiple of 4", func() []byte {
			f := withIDB()
			f.epb(0, 0, []byte{1, 2, 3, 4}, 4)
			f.buf[f.pktOffsets[0]+4]++
			return f.buf
		}, 1, 80, "bad block length"},
		{"pcapng block shorter than its header", func() []byte {
			f := withIDB()
			f.epb(0, 0, nil, 0)
			le.PutUint32(f.buf[f.pktOffsets[0]+4:], 8)
			return f.buf
		}, 1, 80, "bad block length"},
		{"pcapng captured length past the block", func() []byte {
			f := withIDB()
			f.epb(0, 0, []byte{1, 2, 3, 4}, 4)
			le.PutUint32(f.buf[f.pktOffsets[0]+20:], 400)
			return f.buf
		}, 1, 80, "exceeds the block"},
		{"pcapng bad tsresol", func() []byte {
			var f ngFile
			f.shb(le)
			f.idb(LinkTypeEthernet, 0, 20, 0)
			return f.buf
		}, 1, 48, "if_tsresol"},
		{"pcapng huge block", func() []byte {
			f := withIDB()
			f.buf = le.AppendUint32(f.buf, blockEPB)
			f.buf = le.AppendUint32(f.buf, 0xfffffff0)
			return f.buf
		}, 1, 80, "bad block length"},
		{"pcapng truncated huge block", func() []byte {
			f := withIDB()
			f.buf = le.AppendUint32(f.buf, blockEPB)
			f.buf = le.AppendUint32(f.buf, maxRecord)
			return append(f.buf, make([]byte, 3<<20)...)
		}, 1, 80, "truncated block"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := c.file()
			for _, mode := range []string{"bytes", "stream"} {
				var r *Reader
				var err error
				if mode == "bytes" {
					r, err = NewReaderBytes(file)
				} else {
					r, err = NewReader(bytes.NewReader(file))
				}
				if err == nil {
					var got []Packet
					got, err = readAll(r)
					if len(got) != c.frame-1 {
						t.Errorf("%s: %d packets before the error, want %d", mode, len(got), c.frame-1)
					}
					if _, err2 := r.Next(); err2 != err {
						t.Errorf("%s: error not sticky: %v then %v", mode, err, err2)
					}
				}
				if err == nil || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("%s: err %v, want one containing %q", mode, err, c.msg)
				}
				var fe *FormatError
				if errors.As(err, &fe) {
					if fe.Frame != c.frame || fe.Offset != c.offset {
						t.Errorf("%s: frame %d at offset %d, want %d at %d (%v)", mode, fe.Frame, fe.Offset, c.frame, c.offset, err)
					}
				} else if c.frame != 0 {
					t.Errorf("%s: %v is not a *FormatError", mode, err)
				}
			}
		})
	}
}

// failingReader returns data and then a non-EOF error.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReaderIOError(t *testing.T) {
	file, offs := pcapFile(binary.LittleEndian, magicMicro, 1, []Packet{{Data: payload(100, 0)}, {Data: payload(100, 1)}})
	boom := errors.New("disk on fire")
	r, err := NewReader(&failingReader{data: file[:offs[1]+50], err: boom})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(r)
	if len(got) != 1 || !errors.Is(err, boom) {
		t.Fatalf("%d packets, err %v; want 1 and %v", len(got), err, boom)
	}
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Frame != 2 || fe.Offset != int64(offs[1]) {
		t.Errorf("err %v, want frame 2 at offset %d", err, offs[1])
	}
}

// TestReaderKeepsData checks that streamed packets do not share buffers.
func TestReaderKeepsData(t *testing.T) {
	file, _ := pcapFile(binary.LittleEndian, magicMicro, 1, []Packet{{Data: payload(10, 0)}, {Data: payload(10, 100)}})
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := r.Next()
	b, _ := r.Next()
	if !bytes.Equal(a.Data, payload(10, 0)) || !bytes.Equal(b.Data, payload(10, 100)) {
		t.Fatal("first packet's data overwritten by the second")
	}
	if r.LinkType() != LinkTypeEthernet {
		t.Errorf("LinkType %d", r.LinkType())
	}
}
