package pcap

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// s1SetupRequest is the S1SetupRequest of frame 17 of
// open5gs-srsenb-real-ue-attach-detach-2022.pcapng (srsENB "srsenb01",
// PLMN 901/70), so that the writer test runs without the captures too.
var s1SetupRequest = mustHex("0011002d000004003b00080009f107000019b0003c400a0380737273656e62303100400007000001c009f1070089400140")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestCRC32c(t *testing.T) {
	incr := make([]byte, 32)
	decr := make([]byte, 32)
	for i := range incr {
		incr[i] = byte(i)
		decr[i] = byte(31 - i)
	}
	for _, c := range []struct {
		name string
		in   []byte
		want uint32
	}{
		{"check value", []byte("123456789"), 0xe3069283},        // CRC-32C catalogue check
		{"32 zeros", make([]byte, 32), 0x8a9136aa},              // RFC 3720 B.4
		{"32 ones", bytes.Repeat([]byte{0xff}, 32), 0x62a8ab43}, // RFC 3720 B.4
		{"incrementing", incr, 0x46dd794e},                      // RFC 3720 B.4
		{"decrementing", decr, 0x113fdb5c},                      // RFC 3720 B.4
		{"empty", nil, 0},
	} {
		if got := CRC32c(c.in); got != c.want {
			t.Errorf("%s: CRC32c = %#08x, want %#08x", c.name, got, c.want)
		}
	}
	if crc32.Checksum([]byte("123456789"), crc32.IEEETable) == CRC32c([]byte("123456789")) {
		t.Error("CRC32c is not Castagnoli")
	}
	// A bit flip anywhere but in the checksum field breaks verification.
	pkt := sctpPacket(t)
	if !VerifySCTPChecksum(pkt) {
		t.Fatal("writer's SCTP packet fails verification")
	}
	for i := range pkt {
		if i >= 8 && i < 12 {
			continue
		}
		pkt[i] ^= 0x10
		if VerifySCTPChecksum(pkt) {
			t.Errorf("flip at byte %d not detected", i)
		}
		pkt[i] ^= 0x10
	}
	if VerifySCTPChecksum(pkt[:11]) {
		t.Error("short packet verified")
	}
}

// sctpPacket returns the SCTP part of a packet written by the Writer.
func sctpPacket(t *testing.T) []byte {
	var buf bytes.Buffer
	w, err := NewWriterLinkType(&buf, LinkTypeIPv4)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteSCTP(time.Unix(1, 0), netip.MustParseAddrPort("10.0.0.1:36412"), netip.MustParseAddrPort("10.0.0.2:36412"), PPIDS1AP, 0, s1SetupRequest); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()[24+16+20:]
}

type written struct {
	t        time.Time
	src, dst netip.AddrPort
	sctp     bool
	ppid     uint32
	stream   uint16
	payload  []byte
	proto    string // tshark's protocol column
	tsn      uint32 // expected
	ssn      uint16
}

// writeTestFile writes S1AP (a real S1SetupRequest and, where the captures
// are there, the S1SetupResponse answering it) and CoAP packets.
func writeTestFile(t *testing.T, linkType uint32, v4, v6 bool) ([]byte, []written) {
	t.Helper()
	// Without the captures: an S1SetupResponse for the request's PLMN 901/70
	// (group 1, MMEC 1, capacity 10), as epc/s1ap encodes it.
	resp := mustHex("201100170000020069000b000009f107000000010001005740010a")
	if pkts, err := ReadFile(filepath.Join(captureDir, "open5gs-srsenb-real-ue-attach-detach-2022.pcapng")); err == nil {
		f17, err17 := Decode(pkts[16])
		f18, err18 := Decode(pkts[17])
		if err17 != nil || err18 != nil || len(f17.SCTP) != 1 || len(f18.SCTP) != 1 {
			t.Fatalf("frames 17 and 18: %v %v", err17, err18)
		}
		if !bytes.Equal(f17.SCTP[0].Payload, s1SetupRequest) {
			t.Fatalf("frame 17's S1AP PDU %x differs from the checked-in S1SetupRequest", f17.SCTP[0].Payload)
		}
		resp = f18.SCTP[0].Payload
	}
	coapGet := []byte{0x40, 0x01, 0x00, 0x01}          // CON GET, message ID 1
	coapObs := mustHex("5245abcd1234610560ff32322e35") // NON 2.05, token, Observe 5, Content-Format text/plain, "22.5"
	t0 := time.Date(2025, 3, 4, 5, 6, 7, 123456789, time.UTC)
	var ws []written
	add := func(w written) {
		w.t = t0.Add(time.Duration(len(ws)) * 1500 * time.Microsecond)
		ws = append(ws, w)
	}
	if v4 {
		enb := netip.MustParseAddrPort("192.168.0.10:36412")
		mme := netip.MustParseAddrPort("192.168.0.1:36412")
		add(written{src: enb, dst: mme, sctp: true, ppid: PPIDS1AP, payload: s1SetupRequest, proto: "S1AP", tsn: 1})
		add(written{src: mme, dst: enb, sctp: true, ppid: PPIDS1AP, payload: resp, proto: "S1AP", tsn: 1})
		add(written{src: enb, dst: mme, sctp: true, ppid: PPIDS1AP, stream: 1, payload: s1SetupRequest, proto: "S1AP", tsn: 2})
		add(written{src: enb, dst: mme, sctp: true, ppid: PPIDS1AP, stream: 1, payload: s1SetupRequest, proto: "S1AP", tsn: 3, ssn: 1})
		add(written{src: netip.MustParseAddrPort("10.1.2.3:56830"), dst: netip.MustParseAddrPort("10.1.2.4:5683"), payload: coapGet, proto: "CoAP"})
		add(written{src: netip.MustParseAddrPort("10.1.2.4:5683"), dst: netip.MustParseAddrPort("10.1.2.3:56830"), payload: coapObs, proto: "CoAP"})
		// odd payload length
		add(written{src: netip.MustParseAddrPort("10.1.2.3:5683"), dst: netip.MustParseAddrPort("10.1.2.4:5683"), payload: append(coapGet, 0xff, 'x'), proto: "CoAP"})
	}
	if v6 {
		enb := netip.MustParseAddrPort("[2001:db8::10]:36412")
		mme := netip.MustParseAddrPort("[2001:db8::1]:36412")
		add(written{src: enb, dst: mme, sctp: true, ppid: PPIDS1AP, payload: s1SetupRequest, proto: "S1AP", tsn: 1})
		add(written{src: mme, dst: enb, sctp: true, ppid: PPIDS1AP, payload: resp, proto: "S1AP", tsn: 1})
		add(written{src: netip.MustParseAddrPort("[2001:db8:a::3]:56830"), dst: netip.MustParseAddrPort("[2001:db8:a::20]:5683"), payload: coapGet, proto: "CoAP"})
		add(written{src: netip.MustParseAddrPort("[2001:db8:a::20]:5683"), dst: netip.MustParseAddrPort("[2001:db8:a::3]:56830"), payload: coapObs, proto: "CoAP"})
	}
	var buf bytes.Buffer
	w, err := NewWriterLinkType(&buf, linkType)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ws {
		var err error
		if x.sctp {
			err = w.WriteSCTP(x.t, x.src, x.dst, x.ppid, x.stream, x.payload)
		} else {
			err = w.WriteUDP(x.t, x.src, x.dst, x.payload)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes(), ws
}

// udpChecksumOK recomputes the UDP checksum independently of the writer.
func udpChecksumOK(f Frame) bool {
	var ph []byte
	ph = append(ph, f.Src.AsSlice()...)
	ph = append(ph, f.Dst.AsSlice()...)
	ph = append(ph, 0, ProtoUDP)
	ph = binary.BigEndian.AppendUint16(ph, uint16(len(f.IPPayload)))
	data := append(ph, f.IPPayload...)
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	var s uint32
	for i := 0; i < len(data); i += 2 {
		s += uint32(binary.BigEndian.Uint16(data[i:]))
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return s == 0xffff && binary.BigEndian.Uint16(f.IPPayload[6:]) != 0
}

func TestWriter(t *testing.T) {
	for _, c := range []struct {
		name     string
		linkType uint32
		v4, v6   bool
	}{
		{"ethernet", LinkTypeEthernet, true, true},
		{"raw", LinkTypeRaw, true, true},
		{"ipv4", LinkTypeIPv4, true, false},
		{"ipv6", LinkTypeIPv6, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			file, ws := writeTestFile(t, c.linkType, c.v4, c.v6)
			pkts := readBack(t, file, c.linkType, ws)
			tsharkCheck(t, file, ws, pkts)
		})
	}
}

// readBack re-reads a written file and checks every field.
func readBack(t *testing.T, file []byte, linkType uint32, ws []written) []Packet {
	t.Helper()
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	pkts, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkts) != len(ws) {
		t.Fatalf("read back %d packets, wrote %d", len(pkts), len(ws))
	}
	d := NewDecoder()
	for i, p := range pkts {
		x := ws[i]
		if p.LinkType != linkType || !p.Time.Equal(x.t) || p.OrigLen != len(p.Data) {
			t.Errorf("packet %d: link type %d, time %v, orig len %d", i+1, p.LinkType, p.Time, p.OrigLen)
		}
		f, err := d.Decode(p)
		if err != nil {
			t.Fatalf("packet %d: %v", i+1, err)
		}
		if f.Src != x.src.Addr() || f.Dst != x.dst.Addr() {
			t.Errorf("packet %d: %v -> %v, want %v -> %v", i+1, f.Src, f.Dst, x.src, x.dst)
		}
		if x.sctp {
			if len(f.SCTP) != 1 || len(f.SCTPChunks) != 1 || f.UDP != nil {
				t.Fatalf("packet %d: %d messages, %d chunks", i+1, len(f.SCTP), len(f.SCTPChunks))
			}
			m := f.SCTP[0]
			want := SCTPData{SrcPort: x.src.Port(), DstPort: x.dst.Port(), Stream: x.stream, TSN: x.tsn, PPID: x.ppid,
				Payload: x.payload, SSN: x.ssn, Fragments: 1}
			if !sameData(m, want) {
				t.Errorf("packet %d:\n got  %+v\n want %+v", i+1, m, want)
			}
			if f.SCTPChunks[0].Flags != SCTPFlagBegin|SCTPFlagEnd {
				t.Errorf("packet %d: DATA flags %#x", i+1, f.SCTPChunks[0].Flags)
			}
			if !VerifySCTPChecksum(f.IPPayload) {
				t.Errorf("packet %d: bad CRC32c", i+1)
			}
			if h := f.SCTPHeader; h.VerificationTag == 0 {
				t.Errorf("packet %d: verification tag 0", i+1)
			}
		} else {
			if f.UDP == nil || f.SCTPHeader != nil {
				t.Fatalf("packet %d: no UDP", i+1)
			}
			if f.UDP.SrcPort != x.src.Port() || f.UDP.DstPort != x.dst.Port() || !bytes.Equal(f.UDP.Payload, x.payload) {
				t.Errorf("packet %d: UDP %+v, want %v -> %v %x", i+1, f.UDP, x.src, x.dst, x.payload)
			}
			if !udpChecksumOK(f) {
				t.Errorf("packet %d: bad UDP checksum", i+1)
			}
		}
		if f.IPVersion == 4 {
			var s uint32
			ip := ipHeader(p)
			for j := 0; j < 20; j += 2 {
				s += uint32(binary.BigEndian.Uint16(ip[j:]))
			}
			if s = s&0xffff + s>>16; s&0xffff+s>>16 != 0xffff {
				t.Errorf("packet %d: bad IPv4 header checksum", i+1)
			}
		}
	}
	// Byte-identical: writing the decoded messages again gives the same file.
	var again bytes.Buffer
	w, err := NewWriterLinkType(&again, linkType)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		f, _ := Decode(p)
		if f.UDP != nil {
			err = w.WriteUDP(f.Time, netip.AddrPortFrom(f.Src, f.UDP.SrcPort), netip.AddrPortFrom(f.Dst, f.UDP.DstPort), f.UDP.Payload)
		} else {
			m := f.SCTP[0]
			err = w.WriteSCTP(f.Time, netip.AddrPortFrom(f.Src, m.SrcPort), netip.AddrPortFrom(f.Dst, m.DstPort), m.PPID, m.Stream, m.Payload)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(again.Bytes(), file) {
		t.Error("rewriting the decoded packets does not give the same file")
	}
	// And WritePacket copies records verbatim.
	var raw bytes.Buffer
	w, _ = NewWriterLinkType(&raw, linkType)
	for _, p := range pkts {
		if err := w.WritePacket(p.Time, p.Data); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(raw.Bytes(), file) {
		t.Error("WritePacket of the packets read does not give the same file")
	}
	return pkts
}

func ipHeader(p Packet) []byte {
	if p.LinkType == LinkTypeEthernet {
		return p.Data[14:]
	}
	return p.Data
}

func sameData(a, b SCTPData) bool {
	return a.SrcPort == b.SrcPort && a.DstPort == b.DstPort && a.Stream == b.Stream && a.TSN == b.TSN &&
		a.PPID == b.PPID && a.SSN == b.SSN && a.Unordered == b.Unordered && a.Fragments == b.Fragments &&
		bytes.Equal(a.Payload, b.Payload)
}

// tsharkCheck has tshark dissect a written file.
func tsharkCheck(t *testing.T, file []byte, ws []written, pkts []Packet) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skipf("tshark not on PATH, written file not dissected: %v", err)
	}
	path := filepath.Join(t.TempDir(), "w.pcap")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []string {
		t.Helper()
		args = append([]string{"-n", "-r", path, "-o", "sctp.checksum:CRC-32c", "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"}, args...)
		out, err := exec.Command("tshark", args...).Output()
		if err != nil {
			t.Fatalf("tshark %v: %v", args, err)
		}
		var lines []string
		for l := range strings.Lines(string(out)) {
			lines = append(lines, strings.TrimRight(l, "\n"))
		}
		return lines
	}
	if m := run("-Y", "_ws.malformed || _ws.expert.severity >= warning"); len(m) != 0 {
		t.Errorf("tshark finds malformed or warned frames:\n%s", strings.Join(m, "\n"))
	}
	lines := run("-T", "fields", "-E", "occurrence=f", "-e", "_ws.col.Protocol", "-e", "sctp.checksum.status",
		"-e", "udp.checksum.status", "-e", "ip.checksum.status", "-e", "sctp.data_tsn_raw", "-e", "sctp.data_ssn",
		"-e", "sctp.data_sid", "-e", "s1ap.procedureCode", "-e", "coap.mid", "-e", "frame.time_epoch")
	if len(lines) != len(ws) {
		t.Fatalf("tshark shows %d frames, wrote %d", len(lines), len(ws))
	}
	for i, x := range ws {
		col := strings.Split(lines[i], "\t")
		if col[0] != x.proto {
			t.Errorf("frame %d: tshark protocol %q, want %q", i+1, col[0], x.proto)
		}
		if col[9] != epoch(pkts[i]) {
			t.Errorf("frame %d: tshark time %s, want %s", i+1, col[9], epoch(pkts[i]))
		}
		v4 := x.src.Addr().Is4()
		if x.sctp {
			want := []string{"S1AP", "1", "", "", itoa(x.tsn), itoa(uint32(x.ssn)), fmt.Sprintf("0x%04x", x.stream), itoa(uint32(x.payload[1]))}
			if !v4 {
				want[3] = ""
			} else {
				want[3] = "1"
			}
			if got := col[:8]; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("frame %d: tshark %q, want %q", i+1, got, want)
			}
		} else {
			want := []string{"CoAP", "", "1", "", "", "", "", "", itoa(uint32(binary.BigEndian.Uint16(x.payload[2:])))}
			if v4 {
				want[3] = "1"
			}
			if got := col[:9]; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("frame %d: tshark %q, want %q", i+1, got, want)
			}
		}
	}
}

func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

type failWriter struct {
	n   int // writes that succeed
	err error
}

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, f.err
	}
	f.n--
	return len(p), nil
}

func TestWriterErrors(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	a4 := netip.MustParseAddrPort("10.0.0.1:1")
	b4 := netip.MustParseAddrPort("10.0.0.2:2")
	a6 := netip.MustParseAddrPort("[2001:db8::1]:1")
	mapped := netip.MustParseAddrPort("[::ffff:10.0.0.3]:3")
	cases := []struct {
		name     string
		linkType uint32
		write    func(w *Writer) error
		want     error // nil: any error
		ok       bool
	}{
		{"mixed families", LinkTypeEthernet, func(w *Writer) error { return w.WriteUDP(t0, a4, a6, []byte{1}) }, ErrAddress, false},
		{"invalid address", LinkTypeEthernet, func(w *Writer) error { return w.WriteSCTP(t0, netip.AddrPort{}, b4, 18, 0, []byte{1}) }, ErrAddress, false},
		{"IPv6 on link type 228", LinkTypeIPv4, func(w *Writer) error { return w.WriteUDP(t0, a6, a6, []byte{1}) }, ErrAddress, false},
		{"IPv4 on link type 229", LinkTypeIPv6, func(w *Writer) error { return w.WriteSCTP(t0, a4, b4, 18, 0, []byte{1}) }, ErrAddress, false},
		{"IPv4-mapped IPv6 is IPv4", LinkTypeIPv4, func(w *Writer) error { return w.WriteUDP(t0, mapped, b4, []byte{1}) }, nil, true},
		{"empty SCTP payload", LinkTypeEthernet, func(w *Writer) error { return w.WriteSCTP(t0, a4, b4, 18, 0, nil) }, nil, false},
		{"empty UDP payload", LinkTypeEthernet, func(w *Writer) error { return w.WriteUDP(t0, a4, b4, nil) }, nil, true},
		{"UDP too large", LinkTypeEthernet, func(w *Writer) error { return w.WriteUDP(t0, a4, b4, make([]byte, 65535-28+1)) }, nil, false},
		{"UDP largest", LinkTypeEthernet, func(w *Writer) error { return w.WriteUDP(t0, a4, b4, make([]byte, 65535-28)) }, nil, true},
		{"SCTP too large", LinkTypeRaw, func(w *Writer) error { return w.WriteSCTP(t0, a6, a6, 18, 0, make([]byte, 65535)) }, nil, false},
		{"time before 1970", LinkTypeEthernet, func(w *Writer) error { return w.WriteUDP(time.Time{}, a4, b4, []byte{1}) }, nil, false},
		{"time after 2106", LinkTypeEthernet, func(w *Writer) error { return w.WritePacket(time.Unix(1<<32, 0), []byte{1}) }, nil, false},
		{"packet over the snaplen", LinkTypeEthernet, func(w *Writer) error { return w.WritePacket(t0, make([]byte, 262145)) }, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriterLinkType(&buf, c.linkType)
			if err != nil {
				t.Fatal(err)
			}
			err = c.write(w)
			if c.ok {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := readAll(mustReader(t, buf.Bytes())); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			if buf.Len() != 24 {
				t.Errorf("a failed write left %d bytes after the header", buf.Len()-24)
			}
			// A failed write does not advance the TSN.
			if err := w.WriteSCTP(t0, a4, b4, 18, 0, []byte{1}); c.linkType != LinkTypeIPv6 && err == nil {
				pkts, _ := readAll(mustReader(t, buf.Bytes()))
				f, _ := Decode(pkts[0])
				if f.SCTP[0].TSN != 1 {
					t.Errorf("TSN %d after a failed write, want 1", f.SCTP[0].TSN)
				}
			}
		})
	}
	if _, err := NewWriterLinkType(io.Discard, LinkTypeLinuxSLL); !errors.Is(err, ErrUnsupportedLinkType) {
		t.Errorf("NewWriterLinkType(SLL): %v", err)
	}
	boom := errors.New("disk full")
	if _, err := NewWriter(&failWriter{err: boom}); !errors.Is(err, boom) {
		t.Errorf("NewWriter on a failing writer: %v", err)
	}
	w, err := NewWriter(&failWriter{n: 2, err: boom})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteUDP(t0, a4, b4, []byte{1}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // sticky
		if err := w.WriteUDP(t0, a4, b4, []byte{1}); !errors.Is(err, boom) {
			t.Errorf("write on a failing writer: %v", err)
		}
	}
}

func mustReader(t *testing.T, b []byte) *Reader {
	t.Helper()
	r, err := NewReaderBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestUDPZeroChecksum: a UDP checksum that computes to 0 is sent as 0xffff
// (RFC 768), as 0 would mean "no checksum".
func TestUDPZeroChecksum(t *testing.T) {
	for _, c := range []struct{ src, dst string }{
		{"10.0.0.1:1000", "10.0.0.2:2000"},
		{"[2001:db8::1]:1000", "[2001:db8::2]:2000"},
	} {
		src, dst := netip.MustParseAddrPort(c.src), netip.MustParseAddrPort(c.dst)
		payload := []byte{1, 2, 3, 4, 0, 0}
		// Choose the last two bytes so that the one's complement sum of
		// pseudo-header, header and payload is 0xffff.
		var ph []byte
		ph = append(ph, src.Addr().AsSlice()...)
		ph = append(ph, dst.Addr().AsSlice()...)
		ph = append(ph, 0, ProtoUDP, 0, byte(8+len(payload)))
		ph = binary.BigEndian.AppendUint16(ph, src.Port())
		ph = binary.BigEndian.AppendUint16(ph, dst.Port())
		ph = append(ph, 0, byte(8+len(payload)), 0, 0)
		ph = append(ph, payload...)
		var s uint32
		for i := 0; i < len(ph); i += 2 {
			s += uint32(binary.BigEndian.Uint16(ph[i:]))
		}
		for s>>16 != 0 {
			s = s&0xffff + s>>16
		}
		binary.BigEndian.PutUint16(payload[4:], 0xffff-uint16(s))
		var buf bytes.Buffer
		w, _ := NewWriterLinkType(&buf, LinkTypeRaw)
		if err := w.WriteUDP(time.Unix(1, 0), src, dst, payload); err != nil {
			t.Fatal(err)
		}
		pkts, err := readAll(mustReader(t, buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Decode(pkts[0])
		if err != nil {
			t.Fatal(err)
		}
		if f.UDP.Checksum != 0xffff || !udpChecksumOK(f) {
			t.Errorf("%s: checksum %#04x, want 0xffff", c.src, f.UDP.Checksum)
		}
	}
}
