package s1ap

import "testing"

func benchMessages() (*InitialUEMessage, *DownlinkNASTransport) {
	g := goldens()
	return g[1].msg.(*InitialUEMessage), g[2].msg.(*DownlinkNASTransport)
}

func BenchmarkMarshalInitialUEMessage(b *testing.B) {
	m, _ := benchMessages()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseInitialUEMessage(b *testing.B) {
	m, _ := benchMessages()
	enc, _ := m.Marshal()
	b.ReportAllocs()
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, err := Parse(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalDownlinkNASTransport(b *testing.B) {
	_, m := benchMessages()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDownlinkNASTransport(b *testing.B) {
	_, m := benchMessages()
	enc, _ := m.Marshal()
	b.ReportAllocs()
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, err := Parse(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePDUGeneric(b *testing.B) {
	_, m := benchMessages()
	enc, _ := m.Marshal()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePDU(enc); err != nil {
			b.Fatal(err)
		}
	}
}
