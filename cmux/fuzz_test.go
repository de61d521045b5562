package cmux

import "testing"

// FuzzMux feeds random port bytes to the multiplexer: no panic, output
// bounded by the input, and frames it accepts parse again the same way.
func FuzzMux(f *testing.F) {
	var seed []byte
	for _, fr := range []Frame{{CR: true, PF: true, Type: SABM}, {DLCI: 1, CR: true, PF: true, Type: SABM},
		{DLCI: 1, CR: true, Type: UIH, Info: []byte("AT\r")},
		{CR: true, Type: UIH, Info: Msg{Type: MsgMSC, Command: true, Value: []byte{7, 1}}.Append(nil)},
		{CR: true, Type: UIH, Info: Msg{Type: MsgTest, Command: true, Value: []byte("x")}.Append(nil)},
		{DLCI: 1, CR: true, PF: true, Type: DISC}, {CR: true, Type: UIH, Info: Msg{Type: MsgCLD, Command: true}.Append(nil)}} {
		seed = fr.Append(seed)
		f.Add(seed)
	}
	f.Add([]byte{0xf9, 0xf9, 0x03, 0xef, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		m := New(Config{N1: 64})
		out := 0
		for i := 0; i < len(in); i += 5 {
			m.Input(in[i:min(i+5, len(in))])
			for _, e := range m.TakeEvents() {
				if e.Kind == Data {
					m.Send(e.DLCI, e.Data)
				}
			}
			out += len(m.TakeOut())
		}
		if out > 64+8*len(in) {
			t.Fatalf("%d bytes out for %d in", out, len(in))
		}
		var d Deframer
		for _, fr := range d.Feed(in, nil) {
			var d2 Deframer
			got := d2.Feed(fr.Append(nil), nil)
			if len(got) != 1 || got[0].DLCI != fr.DLCI || got[0].Type != fr.Type || string(got[0].Info) != string(fr.Info) {
				t.Fatalf("%v re-framed as %v", fr, got)
			}
		}
	})
}
