package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"reflect"
	"testing"
	"time"
)

// Packet builders. Checksums are left 0 except SCTP's, which Decode does
// not check anyway.

func ipv4Pkt(src, dst string, proto uint8, payload []byte) []byte {
	s, d := netip.MustParseAddr(src).As4(), netip.MustParseAddr(dst).As4()
	b := []byte{0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(20+len(payload)))
	b = append(b, s[:]...)
	b = append(b, d[:]...)
	return append(b, payload...)
}

func ipv6Pkt(src, dst string, next uint8, payload []byte) []byte {
	s, d := netip.MustParseAddr(src).As16(), netip.MustParseAddr(dst).As16()
	b := []byte{0x60, 0, 0, 0, 0, 0, next, 64}
	binary.BigEndian.PutUint16(b[4:], uint16(len(payload)))
	b = append(b, s[:]...)
	b = append(b, d[:]...)
	return append(b, payload...)
}

func udpSeg(sport, dport uint16, payload []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, sport)
	b = binary.BigEndian.AppendUint16(b, dport)
	b = binary.BigEndian.AppendUint16(b, uint16(8+len(payload)))
	b = append(b, 0, 0)
	return append(b, payload...)
}

func chunk(typ, flags uint8, value []byte) []byte {
	b := []byte{typ, flags, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(4+len(value)))
	b = append(b, value...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func dataChunk(flags uint8, tsn uint32, sid, ssn uint16, ppid uint32, data []byte) []byte {
	v := binary.BigEndian.AppendUint32(nil, tsn)
	v = binary.BigEndian.AppendUint16(v, sid)
	v = binary.BigEndian.AppendUint16(v, ssn)
	v = binary.BigEndian.AppendUint32(v, ppid)
	return chunk(0, flags, append(v, data...))
}

func sctpPkt(sport, dport uint16, chunks ...[]byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, sport)
	b = binary.BigEndian.AppendUint16(b, dport)
	b = append(b, 0, 0, 0, 7, 0, 0, 0, 0)
	for _, c := range chunks {
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint32(b[8:], CRC32c(b))
	return b
}

func ether(etype uint16, payload []byte) []byte {
	b := []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}
	b = binary.BigEndian.AppendUint16(b, etype)
	return append(b, payload...)
}

func gsmtapHdr(typ, sub uint8, arfcn uint16, payload []byte) []byte {
	b := []byte{2, 4, typ, 3, 0, 0, 0xb0, 20, 0, 0, 1, 2, sub, 0, 0, 0}
	binary.BigEndian.PutUint16(b[4:], arfcn)
	return append(b, payload...)
}

const (
	a4, b4 = "192.0.2.1", "192.0.2.2"
	a6, b6 = "2001:db8::1", "2001:db8::2"
)

func TestDecodeLinkTypes(t *testing.T) {
	coap := []byte{0x40, 0x01, 0x00, 0x01}
	u4 := ipv4Pkt(a4, b4, ProtoUDP, udpSeg(40000, PortCoAP, coap))
	u6 := ipv6Pkt(a6, b6, ProtoUDP, udpSeg(40000, PortCoAP, coap))
	sll := func(hatype, proto uint16, p []byte) []byte {
		b := []byte{0, 0, 0, 0, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0}
		binary.BigEndian.PutUint16(b[2:], hatype)
		return append(binary.BigEndian.AppendUint16(b, proto), p...)
	}
	sll2 := func(proto, hatype uint16, p []byte) []byte {
		b := binary.BigEndian.AppendUint16(nil, proto)
		b = append(b, 0, 0, 0, 0, 0, 3)
		b = binary.BigEndian.AppendUint16(b, hatype)
		b = append(b, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0)
		return append(b, p...)
	}
	le32 := func(v uint32, p []byte) []byte { return append(binary.LittleEndian.AppendUint32(nil, v), p...) }
	be32 := func(v uint32, p []byte) []byte { return append(binary.BigEndian.AppendUint32(nil, v), p...) }
	vlan := func(tci, etype uint16) []byte {
		return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16(nil, tci), etype)
	}
	padded := append(ether(0x0800, u4), make([]byte, 20)...) // Ethernet trailer
	withOpts := append([]byte{0x46}, u4[1:20]...)            // IHL 6: one option word
	withOpts[3] += 4
	withOpts = append(append(withOpts, 1, 1, 1, 0), u4[20:]...)

	cases := []struct {
		name     string
		linkType uint32
		data     []byte
		ip       uint8 // expected IP version; 0: no IP
		err      error
	}{
		{"ethernet ipv4", LinkTypeEthernet, ether(0x0800, u4), 4, nil},
		{"ethernet ipv6", LinkTypeEthernet, ether(0x86dd, u6), 6, nil},
		{"ethernet padding", LinkTypeEthernet, padded, 4, nil},
		{"ethernet 802.1Q", LinkTypeEthernet, ether(0x8100, append(vlan(100, 0x0800), u4...)), 4, nil},
		{"ethernet QinQ", LinkTypeEthernet, ether(0x88a8, append(append(vlan(1, 0x8100), vlan(2, 0x86dd)...), u6...)), 6, nil},
		{"ethernet LLC SNAP", LinkTypeEthernet, ether(uint16(8+len(u4)), append([]byte{0xaa, 0xaa, 3, 0, 0, 0, 8, 0}, u4...)), 4, nil},
		{"ethernet LLC", LinkTypeEthernet, ether(40, append([]byte{0x42, 0x42, 3}, make([]byte, 37)...)), 0, nil},
		{"ethernet ARP", LinkTypeEthernet, ether(0x0806, make([]byte, 28)), 0, nil},
		{"ethernet short", LinkTypeEthernet, make([]byte, 13), 0, ErrTruncated},
		{"ethernet VLAN short", LinkTypeEthernet, ether(0x8100, []byte{0, 1}), 0, ErrTruncated},
		{"sll ipv4", LinkTypeLinuxSLL, sll(1, 0x0800, u4), 4, nil},
		{"sll ipv6", LinkTypeLinuxSLL, sll(772, 0x86dd, u6), 6, nil},
		{"sll vlan", LinkTypeLinuxSLL, sll(1, 0x8100, append(vlan(5, 0x0800), u4...)), 4, nil},
		{"sll netlink", LinkTypeLinuxSLL, sll(824, 0x0800, u4), 0, nil},
		{"sll short", LinkTypeLinuxSLL, make([]byte, 15), 0, ErrTruncated},
		{"sll2 ipv6", LinkTypeLinuxSLL2, sll2(0x86dd, 1, u6), 6, nil},
		{"sll2 ipv4", LinkTypeLinuxSLL2, sll2(0x0800, 1, u4), 4, nil},
		{"sll2 short", LinkTypeLinuxSLL2, make([]byte, 19), 0, ErrTruncated},
		{"raw ipv4", LinkTypeRaw, u4, 4, nil},
		{"raw ipv6", LinkTypeRaw, u6, 6, nil},
		{"raw dlt12", LinkTypeRawDLT12, u4, 4, nil},
		{"raw dlt14", LinkTypeRawDLT14, u6, 6, nil},
		{"raw bad version", LinkTypeRaw, append([]byte{0x55}, u4[1:]...), 0, ErrMalformed},
		{"raw empty", LinkTypeRaw, nil, 0, ErrTruncated},
		{"ipv4", LinkTypeIPv4, u4, 4, nil},
		{"ipv4 options", LinkTypeIPv4, withOpts, 4, nil},
		{"ipv6", LinkTypeIPv6, u6, 6, nil},
		{"ipv4 on 229", LinkTypeIPv6, append(u4, make([]byte, 20)...), 0, ErrMalformed},
		{"null LE ipv4", LinkTypeNull, le32(2, u4), 4, nil},
		{"null BE ipv4", LinkTypeNull, be32(2, u4), 4, nil},
		{"null linux ipv6", LinkTypeNull, le32(10, u6), 6, nil},
		{"null BSD ipv6", LinkTypeNull, be32(24, u6), 6, nil},
		{"null FreeBSD ipv6", LinkTypeNull, le32(28, u6), 6, nil},
		{"null Darwin ipv6", LinkTypeNull, le32(30, u6), 6, nil},
		{"null other family", LinkTypeNull, le32(7, u4), 0, nil},
		{"null short", LinkTypeNull, []byte{2, 0}, 0, ErrTruncated},
		{"loop ipv4", LinkTypeLoop, be32(2, u4), 4, nil},
		{"loop is big-endian", LinkTypeLoop, le32(2, u4), 0, nil},
		{"no link layer", LinkTypeNone, []byte("custom"), 0, nil},
		{"unsupported", 147, u4, 0, ErrUnsupportedLinkType},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := time.Unix(1700000000, 5)
			f, err := Decode(Packet{Index: 9, Time: tm, LinkType: c.linkType, Data: c.data})
			if !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if f.Index != 9 || !f.Time.Equal(tm) || f.LinkType != c.linkType {
				t.Errorf("frame %d %v %d", f.Index, f.Time, f.LinkType)
			}
			if f.IPVersion != c.ip {
				t.Fatalf("IP version %d, want %d", f.IPVersion, c.ip)
			}
			if c.ip == 0 {
				if f.UDP != nil || f.Src.IsValid() {
					t.Errorf("decoded %+v", f)
				}
				return
			}
			src, dst := a4, b4
			if c.ip == 6 {
				src, dst = a6, b6
			}
			if f.Src != netip.MustParseAddr(src) || f.Dst != netip.MustParseAddr(dst) || f.Protocol != ProtoUDP {
				t.Errorf("%v -> %v proto %d", f.Src, f.Dst, f.Protocol)
			}
			if f.UDP == nil || f.UDP.SrcPort != 40000 || f.UDP.DstPort != PortCoAP || !bytes.Equal(f.UDP.Payload, coap) {
				t.Errorf("UDP %+v", f.UDP)
			}
			if f.GSMTAP != nil || f.SCTP != nil {
				t.Errorf("GSMTAP %v SCTP %v", f.GSMTAP, f.SCTP)
			}
		})
	}
}

func TestDecodeIP(t *testing.T) {
	udp := udpSeg(1, 2, []byte("hello"))
	ext := func(next uint8, n int) []byte { // an extension header of n*8 bytes
		b := make([]byte, n*8)
		b[0], b[1] = next, byte(n-1)
		return b
	}
	var hopDestRouting []byte
	hopDestRouting = append(hopDestRouting, ext(60, 1)...)        // hop-by-hop -> destination
	hopDestRouting = append(hopDestRouting, ext(43, 2)...)        // destination -> routing
	hopDestRouting = append(hopDestRouting, ext(17, 1)...)        // routing -> UDP
	ah := []byte{17, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0} // AH: (2+2)*4 = 16 bytes
	atomic := []byte{17, 0, 0, 0, 0, 0, 0, 9}                     // fragment header, offset 0, M 0

	v4 := ipv4Pkt(a4, b4, ProtoUDP, udp)
	short := append([]byte(nil), v4...)
	binary.BigEndian.PutUint16(short[2:], uint16(len(v4)+10)) // claims more than captured
	tiny := append([]byte(nil), v4...)
	binary.BigEndian.PutUint16(tiny[2:], 12) // total length below the header
	tso := append([]byte(nil), v4...)
	binary.BigEndian.PutUint16(tso[2:], 0) // offloaded: length 0
	badIHL := append([]byte(nil), v4...)
	badIHL[0] = 0x44
	bigIHL := append([]byte(nil), v4[:24]...)
	bigIHL[0] = 0x4f
	frag := append([]byte(nil), v4...)
	frag[6] = 0x20 // MF
	badUDPLen := ipv4Pkt(a4, b4, ProtoUDP, []byte{0, 1, 0, 2, 0, 4, 0, 0})
	longUDP := ipv4Pkt(a4, b4, ProtoUDP, []byte{0, 1, 0, 2, 0, 40, 0, 0, 1, 2})
	tcp := ipv4Pkt(a4, b4, ProtoTCP, make([]byte, 20))
	v6jumbo := ipv6Pkt(a6, b6, ProtoUDP, udp)
	v6jumbo[4], v6jumbo[5] = 0, 0

	cases := []struct {
		name    string
		lt      uint32
		data    []byte
		err     error
		udp     bool
		proto   uint8
		payload int // len(IPPayload)
	}{
		{"ipv4 udp", LinkTypeIPv4, v4, nil, true, ProtoUDP, len(udp)},
		{"ipv4 length 0 (offload)", LinkTypeIPv4, tso, nil, true, ProtoUDP, len(udp)},
		{"ipv4 truncated", LinkTypeIPv4, short, ErrTruncated, true, ProtoUDP, len(udp)},
		{"ipv4 total below header", LinkTypeIPv4, tiny, ErrMalformed, false, ProtoUDP, 0},
		{"ipv4 IHL 4", LinkTypeIPv4, badIHL, ErrMalformed, false, 0, 0},
		{"ipv4 IHL past data", LinkTypeIPv4, bigIHL, ErrTruncated, false, 0, 0},
		{"ipv4 short", LinkTypeIPv4, v4[:19], ErrTruncated, false, 0, 0},
		{"ipv4 fragment", LinkTypeIPv4, frag, ErrFragment, false, ProtoUDP, len(udp)},
		{"ipv4 tcp", LinkTypeIPv4, tcp, nil, false, ProtoTCP, 20},
		{"udp length 4", LinkTypeIPv4, badUDPLen, ErrMalformed, false, ProtoUDP, 8},
		{"udp length past data", LinkTypeIPv4, longUDP, ErrTruncated, true, ProtoUDP, 10},
		{"udp short", LinkTypeIPv4, ipv4Pkt(a4, b4, ProtoUDP, []byte{1, 2, 3}), ErrTruncated, false, ProtoUDP, 3},
		{"ipv6 udp", LinkTypeIPv6, ipv6Pkt(a6, b6, ProtoUDP, udp), nil, true, ProtoUDP, len(udp)},
		{"ipv6 jumbo/offload length 0", LinkTypeIPv6, v6jumbo, nil, true, ProtoUDP, len(udp)},
		{"ipv6 extension headers", LinkTypeIPv6, ipv6Pkt(a6, b6, 0, append(hopDestRouting, udp...)), nil, true, ProtoUDP, len(udp)},
		{"ipv6 AH", LinkTypeIPv6, ipv6Pkt(a6, b6, 51, append(ah, udp...)), nil, true, ProtoUDP, len(udp)},
		{"ipv6 atomic fragment", LinkTypeIPv6, ipv6Pkt(a6, b6, 44, append(atomic, udp...)), nil, true, ProtoUDP, len(udp)},
		{"ipv6 no next header", LinkTypeIPv6, ipv6Pkt(a6, b6, 59, nil), nil, false, 59, 0},
		{"ipv6 ESP", LinkTypeIPv6, ipv6Pkt(a6, b6, 50, make([]byte, 16)), nil, false, 50, 16},
		{"ipv6 extension past data", LinkTypeIPv6, ipv6Pkt(a6, b6, 0, ext(17, 3)[:16]), ErrTruncated, false, 0, 0},
		{"ipv6 short extension", LinkTypeIPv6, ipv6Pkt(a6, b6, 60, []byte{17, 0}), ErrTruncated, false, 60, 0},
		{"ipv6 payload past data", LinkTypeIPv6, ipv6Pkt(a6, b6, ProtoUDP, udp)[:50], ErrTruncated, true, ProtoUDP, 10},
		{"ipv6 short", LinkTypeIPv6, make([]byte, 39), ErrTruncated, false, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Decode(Packet{LinkType: c.lt, Data: c.data})
			if !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if (f.UDP != nil) != c.udp {
				t.Errorf("UDP %+v, want present %v", f.UDP, c.udp)
			}
			if f.Protocol != c.proto || len(f.IPPayload) != c.payload {
				t.Errorf("protocol %d, IP payload %d bytes; want %d, %d", f.Protocol, len(f.IPPayload), c.proto, c.payload)
			}
			if c.udp && c.err == nil && !bytes.Equal(f.UDP.Payload, []byte("hello")) {
				t.Errorf("UDP payload %q", f.UDP.Payload)
			}
		})
	}
}

func TestDecodeGSMTAP(t *testing.T) {
	nas := []byte{0x07, 0x41, 0x71} // Attach request (start)
	cases := []struct {
		name    string
		udp     []byte
		want    *GSMTAP
		err     error
		payload []byte
	}{
		{"LTE NAS uplink", udpSeg(PortGSMTAP, PortGSMTAP, gsmtapHdr(GSMTAPTypeLTENAS, GSMTAPLTENASPlain, 0x4000|1234, nas)),
			&GSMTAP{Version: 2, Type: GSMTAPTypeLTENAS, SubType: 0, Uplink: true, ARFCN: 1234, Timeslot: 3, SignalDBm: -80, SNRdB: 20, FrameNumber: 0x102}, nil, nas},
		{"LTE RRC PCS downlink", udpSeg(50000, PortGSMTAP, gsmtapHdr(GSMTAPTypeLTERRC, 6, 0x8000|512, nas)),
			&GSMTAP{Version: 2, Type: GSMTAPTypeLTERRC, SubType: 6, PCS: true, ARFCN: 512, Timeslot: 3, SignalDBm: -80, SNRdB: 20, FrameNumber: 0x102}, nil, nas},
		{"secured NAS from source port", udpSeg(PortGSMTAP, 50000, gsmtapHdr(GSMTAPTypeLTENAS, GSMTAPLTENASSecured, 0, nas)),
			&GSMTAP{Version: 2, Type: GSMTAPTypeLTENAS, SubType: 1, Timeslot: 3, SignalDBm: -80, SNRdB: 20, FrameNumber: 0x102}, nil, nas},
		{"longer header", udpSeg(PortGSMTAP, PortGSMTAP, append([]byte{2, 5, 13, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9}, nas...)),
			&GSMTAP{Version: 2, Type: 13, ARFCN: 1}, nil, nas},
		{"version 3 ignored", udpSeg(PortGSMTAP, PortGSMTAP, append([]byte{3, 4}, make([]byte, 14)...)), nil, nil, nil},
		{"empty ignored", udpSeg(PortGSMTAP, PortGSMTAP, nil), nil, nil, nil},
		{"header length 3", udpSeg(PortGSMTAP, PortGSMTAP, append([]byte{2, 3}, make([]byte, 14)...)), nil, ErrMalformed, nil},
		{"header past data", udpSeg(PortGSMTAP, PortGSMTAP, append([]byte{2, 4}, make([]byte, 10)...)), nil, ErrTruncated, nil},
		{"other port", udpSeg(1, 2, gsmtapHdr(GSMTAPTypeLTENAS, 0, 0, nas)), nil, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt("0.0.0.0", "0.0.0.0", ProtoUDP, c.udp)})
			if !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if c.want == nil {
				if f.GSMTAP != nil {
					t.Errorf("GSMTAP %+v", f.GSMTAP)
				}
				return
			}
			g := *f.GSMTAP
			if !bytes.Equal(g.Payload, c.payload) {
				t.Errorf("payload %x, want %x", g.Payload, c.payload)
			}
			g.Payload = nil
			if !reflect.DeepEqual(g, *c.want) {
				t.Errorf("\n got  %+v\n want %+v", g, *c.want)
			}
		})
	}
}

func TestDecodeSCTPChunks(t *testing.T) {
	sack := chunk(3, 0, make([]byte, 12))
	d1 := dataChunk(3, 10, 0, 0, PPIDS1AP, []byte{1, 2, 3})
	d2 := dataChunk(3|SCTPFlagUnordered, 11, 1, 0, 46, []byte{4, 5, 6, 7, 8})
	noPad := dataChunk(3, 12, 0, 1, PPIDS1AP, []byte{9})[:17] // last chunk without padding
	cases := []struct {
		name   string
		chunks [][]byte
		msgs   []SCTPData
		nchunk int
		err    error
	}{
		{"bundled SACK DATA DATA", [][]byte{sack, d1, d2}, []SCTPData{
			{Stream: 0, TSN: 10, PPID: 18, Payload: []byte{1, 2, 3}, Fragments: 1},
			{Stream: 1, TSN: 11, PPID: 46, Payload: []byte{4, 5, 6, 7, 8}, Unordered: true, Fragments: 1},
		}, 3, nil},
		{"missing final padding", [][]byte{d1, noPad}, []SCTPData{
			{TSN: 10, PPID: 18, Payload: []byte{1, 2, 3}, Fragments: 1},
			{TSN: 12, PPID: 18, SSN: 1, Payload: []byte{9}, Fragments: 1},
		}, 2, nil},
		{"fragments in one packet", [][]byte{
			dataChunk(SCTPFlagBegin, 5, 2, 7, 18, []byte("ab")),
			dataChunk(0, 6, 2, 7, 18, []byte("cd")),
			dataChunk(SCTPFlagEnd, 7, 2, 7, 18, []byte("e")),
		}, []SCTPData{{Stream: 2, TSN: 5, SSN: 7, PPID: 18, Payload: []byte("abcde"), Fragments: 3}}, 3, nil},
		{"empty DATA", [][]byte{dataChunk(3, 1, 0, 0, 18, nil)}, []SCTPData{{TSN: 1, PPID: 18, Payload: []byte{}, Fragments: 1}}, 1, nil},
		{"control chunks only", [][]byte{chunk(1, 0, make([]byte, 16)), chunk(0xc0, 0, []byte{1})}, nil, 2, nil},
		{"chunk length 3", [][]byte{d1, {3, 0, 0, 3}}, []SCTPData{{TSN: 10, PPID: 18, Payload: []byte{1, 2, 3}, Fragments: 1}}, 1, ErrMalformed},
		{"chunk past packet", [][]byte{d1, {0, 3, 0, 40, 1, 2}}, []SCTPData{{TSN: 10, PPID: 18, Payload: []byte{1, 2, 3}, Fragments: 1}}, 1, ErrTruncated},
		{"chunk header cut", [][]byte{{0, 3}}, nil, 0, ErrTruncated},
		{"DATA shorter than its header", [][]byte{chunk(0, 3, make([]byte, 8))}, nil, 0, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt(a4, b4, ProtoSCTP, sctpPkt(36412, 36413, c.chunks...))})
			if !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if f.SCTPHeader == nil || f.SCTPHeader.SrcPort != 36412 || f.SCTPHeader.DstPort != 36413 || f.SCTPHeader.VerificationTag != 7 {
				t.Fatalf("header %+v", f.SCTPHeader)
			}
			if c.err == nil && !VerifySCTPChecksum(f.IPPayload) {
				t.Error("checksum")
			}
			if len(f.SCTPChunks) != c.nchunk {
				t.Errorf("%d chunks, want %d", len(f.SCTPChunks), c.nchunk)
			}
			if len(f.SCTP) != len(c.msgs) {
				t.Fatalf("%d messages, want %d: %+v", len(f.SCTP), len(c.msgs), f.SCTP)
			}
			for i, m := range f.SCTP {
				w := c.msgs[i]
				w.SrcPort, w.DstPort = 36412, 36413
				if !sameData(m, w) {
					t.Errorf("message %d:\n got  %+v\n want %+v", i, m, w)
				}
			}
		})
	}
	// The chunk view of a DATA chunk.
	f, _ := Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt(a4, b4, ProtoSCTP, sctpPkt(1, 2, sack, d2))})
	c := f.SCTPChunks[1]
	if c.Type != 0 || c.Flags != 7 || c.TSN != 11 || c.Stream != 1 || c.SSN != 0 || c.PPID != 46 ||
		!bytes.Equal(c.UserData, []byte{4, 5, 6, 7, 8}) || len(c.Value) != 17 {
		t.Errorf("DATA chunk %+v", c)
	}
	if s := f.SCTPChunks[0]; s.Type != 3 || len(s.Value) != 12 || s.UserData != nil {
		t.Errorf("SACK chunk %+v", s)
	}
}

// step is one frame of a multi-frame test: the chunks sent in it and the
// messages (payloads) it must complete.
type step struct {
	src, dst string
	chunks   [][]byte
	want     []string
}

func runSteps(t *testing.T, d *Decoder, steps []step) {
	t.Helper()
	for i, s := range steps {
		f, err := d.Decode(Packet{Index: i + 1, LinkType: LinkTypeIPv4, Data: ipv4Pkt(s.src, s.dst, ProtoSCTP, sctpPkt(36412, 36412, s.chunks...))})
		if err != nil {
			t.Fatalf("frame %d: %v", i+1, err)
		}
		var got []string
		for _, m := range f.SCTP {
			got = append(got, string(m.Payload))
		}
		if len(got) != len(s.want) {
			t.Fatalf("frame %d: messages %q, want %q", i+1, got, s.want)
		}
		for j := range got {
			if got[j] != s.want[j] {
				t.Fatalf("frame %d: messages %q, want %q", i+1, got, s.want)
			}
		}
	}
}

func TestDecoderSCTPReassembly(t *testing.T) {
	const B, E, BE = SCTPFlagBegin, SCTPFlagEnd, SCTPFlagBegin | SCTPFlagEnd
	dc := func(flags uint8, tsn uint32, sid uint16, s string) []byte {
		return dataChunk(flags, tsn, sid, 0, PPIDS1AP, []byte(s))
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"in order", []step{
			{a4, b4, [][]byte{dc(B, 1, 0, "he")}, nil},
			{a4, b4, [][]byte{dc(0, 2, 0, "ll")}, nil},
			{a4, b4, [][]byte{dc(E, 3, 0, "o")}, []string{"hello"}},
		}},
		{"out of order", []step{
			{a4, b4, [][]byte{dc(E, 3, 0, "o")}, nil},
			{a4, b4, [][]byte{dc(B, 1, 0, "he")}, nil},
			{a4, b4, [][]byte{dc(0, 2, 0, "ll")}, []string{"hello"}},
		}},
		{"duplicates and retransmission", []step{
			{a4, b4, [][]byte{dc(B, 1, 0, "he")}, nil},
			{a4, b4, [][]byte{dc(B, 1, 0, "XX")}, nil}, // retransmitted: the first copy is kept
			{a4, b4, [][]byte{dc(E, 2, 0, "llo")}, []string{"hello"}},
			{a4, b4, [][]byte{dc(E, 2, 0, "llo")}, nil}, // late duplicate: held, completes nothing
		}},
		{"bundled with unfragmented", []step{
			{a4, b4, [][]byte{dc(BE, 1, 1, "one"), dc(B, 2, 0, "tw")}, []string{"one"}},
			{a4, b4, [][]byte{dc(E, 3, 0, "o"), dc(BE, 4, 1, "three")}, []string{"two", "three"}},
		}},
		{"directions have their own TSNs", []step{
			{a4, b4, [][]byte{dc(B, 1, 0, "up-")}, nil},
			{b4, a4, [][]byte{dc(B, 1, 0, "down-")}, nil},
			{b4, a4, [][]byte{dc(E, 2, 0, "link")}, []string{"down-link"}},
			{a4, b4, [][]byte{dc(E, 2, 0, "link")}, []string{"up-link"}},
		}},
		{"other stream in the gap", []step{
			{a4, b4, [][]byte{dc(B, 1, 0, "a")}, nil},
			{a4, b4, [][]byte{dc(E, 2, 5, "b")}, nil}, // E on stream 5: not part of it
			{a4, b4, [][]byte{dc(E, 3, 0, "c")}, nil}, // TSN 2 is not stream 0's
		}},
		{"two messages", []step{
			{a4, b4, [][]byte{dc(B, 1, 0, "a"), dc(E, 2, 0, "b"), dc(B, 3, 0, "c")}, []string{"ab"}},
			{a4, b4, [][]byte{dc(E, 4, 0, "d")}, []string{"cd"}},
		}},
		{"E before a lone B", []step{
			{a4, b4, [][]byte{dc(E, 5, 0, "x")}, nil},
			{a4, b4, [][]byte{dc(B, 6, 0, "y")}, nil}, // TSN 5 ends an earlier message
		}},
		{"TSN wraparound", []step{
			{a4, b4, [][]byte{dc(B, 0xfffffffe, 0, "w")}, nil},
			{a4, b4, [][]byte{dc(E, 0, 0, "p")}, nil},
			{a4, b4, [][]byte{dc(0, 0xffffffff, 0, "ra")}, []string{"wrap"}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runSteps(t, NewDecoder(), c.steps) })
	}

	// Decode alone does not reassemble across frames.
	f, err := Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt(a4, b4, ProtoSCTP, sctpPkt(1, 2, dc(E, 3, 0, "o")))})
	if err != nil || len(f.SCTP) != 0 || len(f.SCTPChunks) != 1 {
		t.Errorf("Decode of a lone fragment: %v, %d messages", err, len(f.SCTP))
	}
	// The reassembled message has the first fragment's TSN and fields.
	var d Decoder
	d.Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt(a4, b4, ProtoSCTP, sctpPkt(1, 2, dataChunk(B|SCTPFlagUnordered, 7, 3, 9, 46, []byte("x"))))})
	f, _ = d.Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt(a4, b4, ProtoSCTP, sctpPkt(1, 2, dataChunk(E|SCTPFlagUnordered, 8, 3, 9, 46, []byte("y"))))})
	want := SCTPData{SrcPort: 1, DstPort: 2, Stream: 3, TSN: 7, PPID: 46, SSN: 9, Unordered: true, Fragments: 2, Payload: []byte("xy")}
	if len(f.SCTP) != 1 || !sameData(f.SCTP[0], want) {
		t.Errorf("reassembled %+v, want %+v", f.SCTP, want)
	}
	if len(d.flows) != 0 || d.pending != 0 || d.nfrags != 0 {
		t.Errorf("state left: %d flows, %d bytes, %d fragments", len(d.flows), d.pending, d.nfrags)
	}
}

// TestDecoderBounded floods a Decoder with fragments that never complete.
func TestDecoderBounded(t *testing.T) {
	d := NewDecoder()
	big := make([]byte, 60000)
	for i := range 2000 {
		src := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}).String()
		var chunks [][]byte
		for j := range 3 {
			chunks = append(chunks, dataChunk(SCTPFlagBegin, uint32(i*10+j), 0, 0, 18, big[:5000+i]))
		}
		_, err := d.Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt(src, b4, ProtoSCTP, sctpPkt(1, 2, chunks...))})
		if err != nil {
			t.Fatal(err)
		}
		if d.pending > maxPendingBytes || d.nfrags > maxFragments {
			t.Fatalf("holding %d bytes in %d fragments", d.pending, d.nfrags)
		}
	}
	for i := range maxFlowFragments + 10 {
		d.Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt(a4, b4, ProtoSCTP, sctpPkt(1, 2, dataChunk(0, uint32(i*2), 0, 0, 18, []byte{1})))})
	}
	if n := len(d.flows[flowKey{netip.MustParseAddr(a4), netip.MustParseAddr(b4), 1, 2}].frags); n > maxFlowFragments {
		t.Errorf("one flow holds %d fragments", n)
	}
	// Still works afterwards.
	f, _ := d.Decode(Packet{LinkType: LinkTypeIPv4, Data: ipv4Pkt(a4, b4, ProtoSCTP, sctpPkt(1, 2, dataChunk(SCTPFlagBegin, 1e6, 0, 0, 18, []byte("a")), dataChunk(SCTPFlagEnd, 1e6+1, 0, 0, 18, []byte("b"))))})
	if len(f.SCTP) != 1 || string(f.SCTP[0].Payload) != "ab" {
		t.Errorf("after the flood: %+v", f.SCTP)
	}
	// IP fragments are bounded too.
	for i := range 5000 {
		p := ipv4Pkt(a4, b4, ProtoUDP, big[:1480])
		binary.BigEndian.PutUint16(p[4:], uint16(i))
		p[6] = 0x20 // MF, offset 0
		if _, err := d.Decode(Packet{LinkType: LinkTypeIPv4, Data: p}); !errors.Is(err, ErrFragment) {
			t.Fatal(err)
		}
		if d.ipPending > maxIPPendingBytes || len(d.ipFrags) > maxIPDatagrams {
			t.Fatalf("holding %d bytes in %d datagrams", d.ipPending, len(d.ipFrags))
		}
	}
}

// fragmentIPv4 splits an IPv4 packet (20-byte header) into fragments
// carrying size bytes (a multiple of 8) of payload each.
func fragmentIPv4(p []byte, id uint16, size int) [][]byte {
	hdr, payload := p[:20], p[20:]
	var frags [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		f := append(append([]byte(nil), hdr...), payload[off:end]...)
		binary.BigEndian.PutUint16(f[2:], uint16(len(f)))
		binary.BigEndian.PutUint16(f[4:], id)
		fo := uint16(off / 8)
		if end < len(payload) {
			fo |= 0x2000
		}
		binary.BigEndian.PutUint16(f[6:], fo)
		frags = append(frags, f)
	}
	return frags
}

// fragmentIPv6 splits an IPv6 packet (no extension headers) into fragments.
func fragmentIPv6(p []byte, id uint32, size int) [][]byte {
	next, payload := p[6], p[40:]
	var frags [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		fh := []byte{next, 0, 0, 0}
		fo := uint16(off)
		if end < len(payload) {
			fo |= 1
		}
		binary.BigEndian.PutUint16(fh[2:], fo)
		fh = binary.BigEndian.AppendUint32(fh, id)
		f := append(append(append([]byte(nil), p[:40]...), fh...), payload[off:end]...)
		f[6] = 44
		binary.BigEndian.PutUint16(f[4:], uint16(len(f)-40))
		frags = append(frags, f)
	}
	return frags
}

func TestDecoderIPReassembly(t *testing.T) {
	msg := make([]byte, 3000)
	for i := range msg {
		msg[i] = byte(i * 7)
	}
	sctp := sctpPkt(36412, 36412, dataChunk(3, 1, 0, 0, PPIDS1AP, msg))
	udp := udpSeg(5683, 5683, msg)
	v4s := fragmentIPv4(ipv4Pkt(a4, b4, ProtoSCTP, sctp), 77, 1480)
	v4u := fragmentIPv4(ipv4Pkt(a4, b4, ProtoUDP, udp), 78, 1200)
	v6s := fragmentIPv6(ipv6Pkt(a6, b6, ProtoSCTP, sctp), 0x01020304, 1448)
	if len(v4s) != 3 || len(v4u) != 3 || len(v6s) != 3 {
		t.Fatal("fragment counts")
	}
	type in struct {
		lt   uint32
		data []byte
	}
	cases := []struct {
		name     string
		frames   []in
		complete int // index of the frame that completes the datagram; -1: none
	}{
		{"v4 sctp in order", []in{{LinkTypeIPv4, v4s[0]}, {LinkTypeIPv4, v4s[1]}, {LinkTypeIPv4, v4s[2]}}, 2},
		{"v4 sctp reversed", []in{{LinkTypeIPv4, v4s[2]}, {LinkTypeIPv4, v4s[1]}, {LinkTypeIPv4, v4s[0]}}, 2},
		{"v4 duplicate", []in{{LinkTypeIPv4, v4s[0]}, {LinkTypeIPv4, v4s[0]}, {LinkTypeIPv4, v4s[2]}, {LinkTypeIPv4, v4s[1]}}, 3},
		{"v4 udp interleaved with sctp", []in{{LinkTypeIPv4, v4u[0]}, {LinkTypeIPv4, v4s[0]}, {LinkTypeIPv4, v4u[2]}, {LinkTypeIPv4, v4u[1]}}, 3},
		{"v4 missing middle", []in{{LinkTypeIPv4, v4s[0]}, {LinkTypeIPv4, v4s[2]}}, -1},
		{"v6 sctp out of order", []in{{LinkTypeIPv6, v6s[1]}, {LinkTypeIPv6, v6s[0]}, {LinkTypeIPv6, v6s[2]}}, 2},
		{"v4 over ethernet", []in{{LinkTypeEthernet, ether(0x0800, v4s[1])}, {LinkTypeEthernet, ether(0x0800, v4s[0])}, {LinkTypeEthernet, append(ether(0x0800, v4s[2]), 0, 0)}}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := NewDecoder()
			for i, fr := range c.frames {
				f, err := d.Decode(Packet{Index: i + 1, LinkType: fr.lt, Data: fr.data})
				if i != c.complete {
					if !errors.Is(err, ErrFragment) || f.SCTPHeader != nil || f.UDP != nil {
						t.Fatalf("frame %d: err %v", i+1, err)
					}
					if !f.Src.IsValid() || f.Protocol == 0 {
						t.Errorf("frame %d: fragment without addresses or protocol", i+1)
					}
					continue
				}
				if err != nil {
					t.Fatalf("frame %d: %v", i+1, err)
				}
				if f.IPFrags != 3 {
					t.Errorf("frame %d: IPFrags %d", i+1, f.IPFrags)
				}
				switch {
				case len(f.SCTP) == 1:
					if !bytes.Equal(f.SCTP[0].Payload, msg) || !VerifySCTPChecksum(f.IPPayload) {
						t.Errorf("frame %d: reassembled SCTP differs", i+1)
					}
				case f.UDP != nil:
					if !bytes.Equal(f.UDP.Payload, msg) {
						t.Errorf("frame %d: reassembled UDP differs", i+1)
					}
				default:
					t.Errorf("frame %d: nothing reassembled", i+1)
				}
			}
			// Decode alone reports each fragment.
			for i, fr := range c.frames {
				if _, err := Decode(Packet{LinkType: fr.lt, Data: fr.data}); !errors.Is(err, ErrFragment) {
					t.Errorf("Decode of fragment %d: %v", i+1, err)
				}
			}
		})
	}
	// Inconsistent fragments do not panic or complete.
	d := NewDecoder()
	last := append([]byte(nil), v4s[2]...)
	binary.BigEndian.PutUint16(last[6:], 1) // last fragment at offset 8: ends before the others
	for _, fr := range [][]byte{v4s[0], v4s[1], last} {
		if _, err := d.Decode(Packet{LinkType: LinkTypeIPv4, Data: fr}); !errors.Is(err, ErrFragment) {
			t.Errorf("inconsistent fragment: %v", err)
		}
	}
}
