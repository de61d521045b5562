package s1ap

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// checkInputs are capture PDUs, goldens and random messages, each whole,
// cut short and with an octet changed.
func checkInputs(t testing.TB) [][]byte {
	var in [][]byte
	for _, c := range loadCaptures(t) {
		in = append(in, c.Bytes)
	}
	for _, g := range goldens() {
		b, err := g.msg.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, b)
	}
	r := rand.New(rand.NewPCG(11, 12))
	for range 40 {
		for _, m := range append(rnd{r}.random(), randomNASMessages(r)...) {
			if b, err := m.Marshal(); err == nil && len(b) < 4000 {
				in = append(in, b)
			}
		}
	}
	whole := len(in)
	for _, b := range in[:whole] {
		if len(b) > 1 {
			in = append(in, b[:r.IntN(len(b))])
			c := bytes.Clone(b)
			c[r.IntN(len(c))] ^= byte(1 + r.IntN(255))
			in = append(in, c)
		}
	}
	return in
}

// checkAgrees fails unless Check(b) reports what Parse(b) does, and leaves
// no trace of b in the recycled message.
func checkAgrees(t *testing.T, b []byte) {
	t.Helper()
	_, perr := Parse(b)
	cerr := Check(b)
	if fmt.Sprint(perr) != fmt.Sprint(cerr) {
		t.Fatalf("%x: Parse error %v, Check error %v", b, perr, cerr)
	}
	p, ok := parsePDUFastIn(b, nil, false)
	if !ok || !p.HasIEs {
		return
	}
	pool := &typedPools[p.Type][p.Code]
	m, _ := pool.Get().(typed)
	if m == nil {
		return
	}
	defer pool.Put(m)
	w := m.wire()
	hdr := w.hdr
	w.hdr = nil
	if h, ok := m.(nasHolder); ok {
		nas := *h.nasPDU()
		if len(nas) != 0 {
			t.Fatalf("%x: recycled %T keeps a NAS-PDU", b, m)
		}
		*h.nasPDU() = nil
		defer func() { *h.nasPDU() = nas }()
	}
	for _, h := range hdr[:cap(hdr)] {
		if h.id != 0 || h.crit != 0 || h.orig != nil {
			t.Fatalf("%x: recycled %T keeps an IE header %+v", b, m, h)
		}
	}
	if fresh := newTyped(p.Type, p.Code); !reflect.DeepEqual(m, fresh) {
		t.Fatalf("%x: recycled %T not zeroed: %+v", b, m, m)
	}
	w.hdr = hdr
}

// TestCheckMatchesParse: Check and Parse agree on valid, truncated and
// corrupted PDUs of every kind, in an order that makes Check reuse its
// messages.
func TestCheckMatchesParse(t *testing.T) {
	in := checkInputs(t)
	r := rand.New(rand.NewPCG(13, 14))
	for range 3 {
		r.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		for _, b := range in {
			checkAgrees(t, b)
		}
	}
	good := 0
	for _, b := range in {
		if Check(b) == nil {
			good++
		}
	}
	if good < len(in)/3 {
		t.Errorf("only %d of %d inputs parse", good, len(in))
	}
}

// TestCheckAllocations: checking a Downlink NAS Transport makes no
// allocation once its message is recycled.
func TestCheckAllocations(t *testing.T) {
	b, err := (&DownlinkNASTransport{MMEUES1APID: 7, ENBUES1APID: 9, NASPDU: []byte{0x27, 1, 2, 3, 4, 5, 6}}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() {
		if err := Check(b); err != nil {
			t.Fatal(err)
		}
	}); n > 0 {
		t.Errorf("Check allocates %.0f times", n)
	}
}

// TestAppendMatchesMarshal: Append writes Marshal's octets after what the
// buffer holds, with and without room in it.
func TestAppendMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	var msgs []Message
	for _, g := range goldens() {
		msgs = append(msgs, g.msg)
	}
	for _, c := range loadCaptures(t) {
		if m, err := Parse(c.Bytes); err == nil {
			msgs = append(msgs, m)
		}
		if p, err := ParsePDU(c.Bytes); err == nil {
			msgs = append(msgs, p)
		}
	}
	for range 30 {
		msgs = append(msgs, rnd{r}.random()...)
		msgs = append(msgs, randomNASMessages(r)...)
	}
	buf := []byte("prefix")
	for _, m := range msgs {
		want, werr := m.Marshal()
		for _, room := range []int{0, 10, 100000} {
			dst := append(make([]byte, 0, len(buf)+room), buf...)
			got, err := Append(dst, m)
			if (err != nil) != (werr != nil) {
				t.Fatalf("%T: Append error %v, Marshal error %v", m, err, werr)
			}
			if err == nil && (!bytes.HasPrefix(got, buf) || !bytes.Equal(got[len(buf):], want)) {
				t.Fatalf("%T room %d: Append %x, Marshal %x", m, room, got, want)
			}
		}
	}
}

// FuzzCheck: Check agrees with Parse on any input.
func FuzzCheck(f *testing.F) {
	if data, err := os.ReadFile("../../testdata/s1ap/captures.txt"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if p := strings.Split(line, "\t"); len(p) == 7 && !strings.HasPrefix(line, "#") {
				f.Add(mustHex(p[6]))
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, perr := Parse(b)
		if cerr := Check(b); fmt.Sprint(perr) != fmt.Sprint(cerr) {
			t.Fatalf("Parse error %v, Check error %v", perr, cerr)
		}
	})
}
