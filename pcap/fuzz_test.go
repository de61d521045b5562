package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// captureSeeds returns the first bytes of each real capture (when present),
// whole and cut inside a record.
func captureSeeds() [][]byte {
	var seeds [][]byte
	ents, err := os.ReadDir(captureDir)
	if err != nil {
		return nil
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(captureDir, e.Name()))
		if err != nil || len(data) < 4 {
			continue
		}
		seeds = append(seeds, data[:min(len(data), 4096)], data[:min(len(data), 700)], data[:min(len(data), 30)])
	}
	return seeds
}

func writtenSeed() []byte {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf)
	t := time.Unix(1700000000, 0)
	w.WriteSCTP(t, netip.MustParseAddrPort("10.0.0.1:36412"), netip.MustParseAddrPort("10.0.0.2:36412"), PPIDS1AP, 0, s1SetupRequest)
	w.WriteUDP(t, netip.MustParseAddrPort("[2001:db8::1]:1"), netip.MustParseAddrPort("[2001:db8::2]:5683"), []byte{0x40, 1, 0, 1})
	return buf.Bytes()
}

func FuzzReader(f *testing.F) {
	for _, c := range readerCases() {
		f.Add(c.file)
		f.Add(c.file[:len(c.file)/2])
	}
	f.Add(writtenSeed())
	for _, s := range captureSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var results [2][]Packet
		var errs [2]error
		for mode := range 2 {
			var r *Reader
			var err error
			if mode == 0 {
				r, err = NewReaderBytes(data)
			} else {
				r, err = NewReader(bytes.NewReader(data))
			}
			if err != nil {
				var fe *FormatError
				if !errors.As(err, &fe) && !errors.Is(err, ErrUnknownFormat) {
					t.Fatalf("NewReader: unexpected error type %T: %v", err, err)
				}
				errs[mode] = err
				continue
			}
			d := NewDecoder()
			for i := 0; ; i++ {
				// Every record takes at least 12 bytes of input.
				if i > len(data)/12 {
					t.Fatalf("%d packets from %d bytes", i, len(data))
				}
				p, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					var fe *FormatError
					if !errors.As(err, &fe) || fe.Frame != i+1 || fe.Offset < 0 || fe.Offset > int64(len(data)) {
						t.Fatalf("packet %d: %v", i+1, err)
					}
					errs[mode] = err
					break
				}
				if p.Index != i+1 || len(p.Data) > len(data) {
					t.Fatalf("packet %d: Index %d, %d bytes", i+1, p.Index, len(p.Data))
				}
				results[mode] = append(results[mode], p)
				d.Decode(p)
			}
		}
		if len(results[0]) != len(results[1]) || (errs[0] == nil) != (errs[1] == nil) {
			t.Fatalf("bytes and stream readers differ: %d packets (%v) vs %d (%v)", len(results[0]), errs[0], len(results[1]), errs[1])
		}
		if errs[0] != nil && errs[0].Error() != errs[1].Error() {
			t.Fatalf("errors differ: %v vs %v", errs[0], errs[1])
		}
		for i := range results[0] {
			if !samePacket(results[0][i], results[1][i]) {
				t.Fatalf("packet %d differs between bytes and stream readers", i+1)
			}
		}
	})
}

// decodeSeeds are packets from the captures and from the decode tests.
func decodeSeeds() []Packet {
	var seeds []Packet
	ents, _ := os.ReadDir(captureDir)
	for _, e := range ents {
		pkts, err := ReadFile(filepath.Join(captureDir, e.Name()))
		if err != nil {
			continue
		}
		seeds = append(seeds, pkts[:min(len(pkts), 40)]...)
	}
	msg := make([]byte, 100)
	sctp := sctpPkt(36412, 36412, dataChunk(SCTPFlagBegin, 1, 0, 0, PPIDS1AP, msg), dataChunk(SCTPFlagEnd, 2, 0, 0, PPIDS1AP, msg))
	for _, fr := range fragmentIPv4(ipv4Pkt(a4, b4, ProtoSCTP, sctp), 1, 64) {
		seeds = append(seeds, Packet{LinkType: LinkTypeIPv4, Data: fr})
	}
	for _, fr := range fragmentIPv6(ipv6Pkt(a6, b6, ProtoSCTP, sctp), 1, 64) {
		seeds = append(seeds, Packet{LinkType: LinkTypeRaw, Data: fr})
	}
	seeds = append(seeds,
		Packet{LinkType: LinkTypeEthernet, Data: ether(0x8100, append([]byte{0, 1, 0x86, 0xdd}, ipv6Pkt(a6, b6, 0, append([]byte{17, 0, 0, 0, 0, 0, 0, 0}, udpSeg(PortGSMTAP, PortGSMTAP, gsmtapHdr(GSMTAPTypeLTENAS, 0, 0x4001, []byte{7, 0x41}))...))...))},
		Packet{LinkType: LinkTypeNull, Data: append([]byte{2, 0, 0, 0}, ipv4Pkt(a4, b4, ProtoUDP, udpSeg(1, 5683, []byte{0x40, 1, 0, 1}))...)},
	)
	return seeds
}

func FuzzDecode(f *testing.F) {
	for _, p := range decodeSeeds() {
		f.Add(p.LinkType, p.Data)
	}
	f.Fuzz(func(t *testing.T, linkType uint32, data []byte) {
		p := Packet{Index: 1, LinkType: linkType, Data: data}
		fr, err := Decode(p)
		checkFrame(t, fr, err, data)
		// Statefully, the same bytes several times and cut.
		d := NewDecoder()
		for _, b := range [][]byte{data, data, data[:len(data)/2], data} {
			fr, err := d.Decode(Packet{Index: 2, LinkType: linkType, Data: b})
			checkFrame(t, fr, err, b)
		}
	})
}

// FuzzDecoder feeds a Decoder a sequence of packets (each: link type byte,
// 2-byte length, data) to reach the reassembly paths.
func FuzzDecoder(f *testing.F) {
	var seed []byte
	for _, p := range decodeSeeds() {
		if len(p.Data) > 0xffff {
			continue
		}
		one := append([]byte{byte(p.LinkType)}, binary.BigEndian.AppendUint16(nil, uint16(len(p.Data)))...)
		one = append(one, p.Data...)
		f.Add(one)
		seed = append(seed, one...)
		if len(seed) > 8000 {
			f.Add(seed)
			seed = nil
		}
	}
	f.Add(seed)
	lts := []uint32{LinkTypeNull, LinkTypeEthernet, LinkTypeRaw, LinkTypeLinuxSLL, LinkTypeIPv4, LinkTypeIPv6, LinkTypeLinuxSLL2, LinkTypeLoop}
	f.Fuzz(func(t *testing.T, in []byte) {
		d := NewDecoder()
		for i := 1; len(in) >= 3; i++ {
			lt := uint32(in[0])
			for _, l := range lts {
				if uint32(byte(l)) == lt {
					lt = l
				}
			}
			n := min(int(binary.BigEndian.Uint16(in[1:])), len(in)-3)
			data := in[3 : 3+n]
			in = in[3+n:]
			fr, err := d.Decode(Packet{Index: i, LinkType: lt, Data: data})
			checkFrame(t, fr, err, data)
		}
		if d.pending > maxPendingBytes || d.nfrags > maxFragments || d.ipPending > maxIPPendingBytes || len(d.ipFrags) > maxIPDatagrams {
			t.Fatalf("decoder holds %d bytes in %d SCTP fragments, %d bytes in %d IP datagrams", d.pending, d.nfrags, d.ipPending, len(d.ipFrags))
		}
	})
}

func checkFrame(t *testing.T, fr Frame, err error, data []byte) {
	t.Helper()
	if err != nil {
		for _, e := range []error{ErrUnsupportedLinkType, ErrFragment, ErrTruncated, ErrMalformed} {
			if errors.Is(err, e) {
				return
			}
		}
		t.Fatalf("error %v wraps none of the Err values", err)
	}
	if fr.IPFrags == 0 {
		// Without IP reassembly everything decoded is inside the packet.
		if len(fr.IPPayload) > len(data) || (fr.UDP != nil && len(fr.UDP.Payload) > len(data)) {
			t.Fatal("payload longer than the packet")
		}
	}
	if fr.UDP != nil && fr.SCTPHeader != nil {
		t.Fatal("both UDP and SCTP")
	}
}
