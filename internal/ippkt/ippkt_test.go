package ippkt

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// A real handset's DNS query (10.45.0.2:63194 → 8.8.8.8:53), taken from
// the GTP-U tunnel of frame 62 of
// ../shared/captures/open5gs-srsenb-real-ue-attach-detach-2022.pcapng,
// with the checksums the handset computed: an independent vector.
const golden = "45000040d09b000040118fd30a2d000208080808f6da0035002c56ad2af3" +
	"01000001000000000000045f646e73087265736f6c76657204617270610000400001"

func TestGolden(t *testing.T) {
	b, _ := hex.DecodeString(golden)
	u, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if u.Src.String() != "10.45.0.2:63194" || u.Dst.String() != "8.8.8.8:53" || len(u.Payload) != 36 {
		t.Fatalf("parsed %v → %v, %d bytes", u.Src, u.Dst, len(u.Payload))
	}
	out, err := u.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, b) {
		t.Fatalf("re-encoded\n%x\nwant\n%x", out, b)
	}
	if u.Len() != len(b) {
		t.Fatalf("Len %d, want %d", u.Len(), len(b))
	}
}

func TestRoundTripAndPrefixes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		p := make([]byte, r.IntN(300))
		for j := range p {
			p[j] = byte(r.Uint32())
		}
		u := &UDP{
			Src:     netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 45, byte(i), 1}), uint16(r.Uint32())),
			Dst:     netip.AddrPortFrom(netip.AddrFrom4([4]byte{203, 0, 113, byte(i)}), uint16(r.Uint32())),
			Payload: p, ID: uint16(i), TTL: uint8(r.IntN(256)), DF: i%2 == 0,
		}
		b, err := u.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(b)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if got.Src != u.Src || got.Dst != u.Dst || !bytes.Equal(got.Payload, p) || got.ID != u.ID || got.DF != u.DF || (u.TTL != 0 && got.TTL != u.TTL) {
			t.Fatalf("%d: round trip %+v, want %+v", i, got, u)
		}
		for n := range len(b) {
			if _, err := Parse(b[:n]); err == nil {
				t.Fatalf("%d: prefix of %d/%d bytes parsed", i, n, len(b))
			}
		}
		// Any single flipped bit in the headers is caught (checksum or field check).
		k := r.IntN(IPv4HeaderLen + UDPHeaderLen)
		c := bytes.Clone(b)
		c[k] ^= 1 << r.IntN(8)
		if _, err := Parse(c); err == nil {
			t.Fatalf("%d: flipped bit in byte %d not detected", i, k)
		}
	}
}

func TestErrors(t *testing.T) {
	b, _ := hex.DecodeString(golden)
	cases := map[string]struct {
		mod  func([]byte) []byte
		want error
	}{
		"v6":     {func(b []byte) []byte { b[0] = 0x65; return b }, ErrVersion},
		"tcp":    {func(b []byte) []byte { b[9] = 6; b[10], b[11] = 0, 0; return fixIP(b) }, ErrProtocol},
		"frag":   {func(b []byte) []byte { b[6] = 0x20; return fixIP(b) }, ErrFragment},
		"ipsum":  {func(b []byte) []byte { b[10] ^= 1; return b }, ErrChecksum},
		"udpsum": {func(b []byte) []byte { b[len(b)-1] ^= 1; return b }, ErrChecksum},
		"long":   {func(b []byte) []byte { b[3] += 1; return fixIP(b) }, ErrLength},
		"udplen": {func(b []byte) []byte { b[25] = 4; return b }, ErrLength},
		"short":  {func(b []byte) []byte { return b[:10] }, ErrShort},
	}
	for name, c := range cases {
		_, err := Parse(c.mod(bytes.Clone(b)))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if _, err := (&UDP{Src: netip.MustParseAddrPort("[::1]:1"), Dst: netip.MustParseAddrPort("10.0.0.1:2")}).Marshal(); err == nil {
		t.Error("IPv6 source accepted")
	}
}

func fixIP(b []byte) []byte {
	b[10], b[11] = 0, 0
	c := ^Fold(Sum(0, b[:IPv4HeaderLen]))
	b[10], b[11] = byte(c>>8), byte(c)
	return b
}

func FuzzParse(f *testing.F) {
	b, _ := hex.DecodeString(golden)
	f.Add(b)
	f.Add([]byte{0x45})
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := Parse(b)
		if err != nil {
			return
		}
		out, err := u.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out)
		if err != nil || again.Src != u.Src || again.Dst != u.Dst || !bytes.Equal(again.Payload, u.Payload) {
			t.Fatalf("re-encoding of a parsed packet does not parse back: %v", err)
		}
	})
}
