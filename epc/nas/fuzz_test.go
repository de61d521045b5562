package nas

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
)

// FuzzParse: no input makes Parse panic; when a message parses and
// re-encodes, the re-encoding parses to an equal message, and MarshalLen
// is its length.
func FuzzParse(f *testing.F) {
	for _, c := range allGoldenHex() {
		f.Add(c)
	}
	for _, p := range loadCaptures(f) {
		f.Add(p.b)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, name := range generatorNames {
		if b, err := generators[name](&gen{r: r, full: true}).Marshal(); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			if m != nil {
				t.Fatalf("error %v with a message", err)
			}
			return
		}
		out, err := m.Marshal()
		if err != nil {
			return
		}
		if n := m.MarshalLen(); n != len(out) {
			t.Fatalf("MarshalLen %d, encoding %d", n, len(out))
		}
		// Re-parse in the direction the first parse chose for a DETACH
		// REQUEST (its form is guessed when the direction is unknown).
		dir := DirectionUnknown
		walk(m, func(x Message) {
			switch x.(type) {
			case *DetachRequest:
				dir = Uplink
			case *NetworkDetachRequest:
				dir = Downlink
			}
		})
		m2, err := ParseDirection(out, dir)
		if err != nil {
			t.Fatalf("re-encoding %x of %x does not parse: %v", out, b, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("re-encoding differs:\n in  %x\n out %x\n %#v\n %#v", b, out, m, m2)
		}
		if out2, err := m2.Marshal(); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("second re-encoding %x differs from %x (%v)", out2, out, err)
		}
	})
}

func allGoldenHex() [][]byte {
	// the golden vectors, without running them as tests
	var out [][]byte
	for _, s := range []string{
		"07 41 71 08 09 10 10 00 00 00 00 10 06 e0 e0 00 00 00 2c 00 04 02 01 d0 51 f4 6a 01 21 5e 01 22 6e 01 35",
		"07 4d 10 78 00 0a 52 00 eb 00 04 de ad be ef f1 57 02 20 00 d1",
		"52 00 eb 00 04 de ad be ef f1", "c7 45 12 34", "07 45 02 53 07", "27 11 22 33 44 05 07 60 6f",
		"07 49 00 54 06 60 00 f1 10 00 01", "07 43 00 03 52 01 c2 b3 21 01 aa 7f 00 02 bb cc",
	} {
		out = append(out, h(s))
	}
	return out
}
