package nas

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestAppendMatchesMarshal: Append gives Marshal's octets after the
// prefix it is given, for every message type, whether the buffer has room
// (one pass), exactly enough, one octet too few or none (two passes), and
// its one-pass write never reaches past the room it has.
func TestAppendMatchesMarshal(t *testing.T) {
	for _, name := range generatorNames {
		r := rand.New(rand.NewPCG(3, uint64(len(name))))
		for i := range 100 {
			m := generators[name](&gen{r: r, full: i%4 != 0})
			want, err := m.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			prefix := []byte{0xde, 0xad, 0xbe}
			for _, room := range []int{0, len(want) - 1, len(want), len(want) + 50} {
				if room < 0 {
					continue
				}
				arr := make([]byte, len(prefix)+room+8)
				for j := range arr {
					arr[j] = 0x5a
				}
				buf := append(arr[:0], prefix...)[: len(prefix) : len(prefix)+room]
				got, err := Append(buf, m)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !bytes.Equal(got[:len(prefix)], prefix) || !bytes.Equal(got[len(prefix):], want) {
					t.Fatalf("%s room %d: Append %x, want %x after %x", name, room, got, want, prefix)
				}
				for j := len(prefix) + room; j < len(arr); j++ {
					if arr[j] != 0x5a {
						t.Fatalf("%s room %d: wrote past the buffer's capacity at %d", name, room, j)
					}
				}
			}
		}
	}
}

// TestUnmarshalAliasing: decoding in place gives what
// ParseESMDataTransport gives (message or error) on random messages and
// their prefixes, with the user data aliasing the input.
func TestUnmarshalAliasing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var m ESMDataTransport
	for i := range 300 {
		g := generators["ESMDataTransport"](&gen{r: r, full: i%2 == 0})
		b, err := g.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n <= len(b); n++ {
			want, werr := ParseESMDataTransport(b[:n])
			err := m.UnmarshalAliasing(b[:n])
			if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
				t.Fatalf("%x: error %v, ParseESMDataTransport %v", b[:n], err, werr)
			}
			if err != nil {
				continue
			}
			if !reflect.DeepEqual(&m, want) {
				t.Fatalf("%x: %+v, want %+v", b[:n], m, *want)
			}
			if len(m.UserData) > 0 && &m.UserData[0] != &b[5] {
				t.Fatalf("%x: user data not aliased", b[:n])
			}
		}
	}
}
