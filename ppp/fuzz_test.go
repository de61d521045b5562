package ppp

import (
	"net/netip"
	"testing"
	"time"
)

// FuzzLink feeds random port bytes, with timer ticks between chunks, to
// the module's side of a link: no panic, output bounded by the input.
func FuzzLink(f *testing.F) {
	lcpReq := Packet{Code: ConfReq, ID: 1, Data: AppendOptions(nil, []Option{{optACCM, u32(0)}, {optMagic, u32(9)}, {Type: optPFC}, {Type: optACFC}, {optMRU, u16(1500)}, {optFCSAlt, []byte{4}}})}.Append(nil)
	ipcpReq := Packet{Code: ConfReq, ID: 1, Data: AppendOptions(nil, []Option{{optIPAddress, []byte{0, 0, 0, 0}}, {optPrimaryDNS, []byte{0, 0, 0, 0}}, {2, []byte{0, 0x2d, 15, 1}}})}.Append(nil)
	for _, seed := range [][]byte{
		DefaultFraming.AppendFrame(nil, ProtoLCP, lcpReq),
		append(DefaultFraming.AppendFrame(nil, ProtoLCP, lcpReq), DefaultFraming.AppendFrame(nil, ProtoIPCP, ipcpReq)...),
		DefaultFraming.AppendFrame(nil, ProtoLCP, Packet{Code: EchoReq, ID: 3, Data: []byte{0, 0, 0, 9}}.Append(nil)),
		DefaultFraming.AppendFrame(nil, ProtoLCP, Packet{Code: 99, ID: 3}.Append(nil)),
		DefaultFraming.AppendFrame(nil, ProtoIPv6CP, Packet{Code: ConfReq, ID: 3}.Append(nil)),
		Framing{ACFC: true, PFC: true}.AppendFrame(nil, ProtoIPv4, []byte{0x45, 0, 0, 20}),
		{0x7e, 0x7d, 0x7e, 0x7e, 0xff, 0x03, 0x7e},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		now := time.Unix(1.7e9, 0)
		for _, auth := range []Auth{AuthNone, AuthCHAP, AuthPAP} {
			l := New(now, Config{Addr: netip.MustParseAddr("10.45.0.1"), Magic: 5, Auth: auth})
			out := len(l.Ready().Out)
			for i := 0; i < len(in); i += 7 {
				l.Input(now, in[i:min(i+7, len(in))])
				now = now.Add(time.Second)
				l.Tick(now)
				r := l.Ready()
				out += len(r.Out)
				l.Send([]byte{0x45, 0, 0, 20})
			}
			if bound := 4096 + 300*len(in); out > bound {
				t.Fatalf("%d bytes out for %d in", out, len(in))
			}
		}
	})
}

// FuzzDeframer: frames the Deframer accepts parse again the same way.
func FuzzDeframer(f *testing.F) {
	f.Add(DefaultFraming.AppendFrame(nil, ProtoLCP, []byte{1, 1, 0, 4}))
	f.Add([]byte{0x7e, 0x21, 0x45, 0x7d, 0x5e, 0x00, 0x00, 0x7e})
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, f32 := range []bool{false, true} {
			d := Deframer{FCS32: f32}
			for _, fr := range d.Feed(in, nil) {
				b := Framing{ACCM: 0xffffffff, FCS32: f32}.AppendFrame(nil, fr.Proto, fr.Info)
				d2 := Deframer{FCS32: f32}
				got := d2.Feed(b, nil)
				if len(got) != 1 || got[0].Proto != fr.Proto || string(got[0].Info) != string(fr.Info) {
					t.Fatalf("%x: %v re-framed as %x gave %v", in, fr, b, got)
				}
			}
		}
	})
}
