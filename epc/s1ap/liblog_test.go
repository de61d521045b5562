package s1ap

import (
	"io"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	aperlog "github.com/free5gc/aper/logger"

	"github.com/nbsim/nbsim/epc"
)

// badPDUs returns n corrupted encodings of the golden messages: a few
// octets of each overwritten or the PDU cut short.
func badPDUs(t *testing.T, n int) [][]byte {
	t.Helper()
	r := mrand.New(mrand.NewPCG(8, 8))
	var seeds [][]byte
	for _, g := range goldens() {
		if b, err := g.msg.Marshal(); err == nil {
			seeds = append(seeds, b)
		}
	}
	out := make([][]byte, n)
	for i := range out {
		b := append([]byte(nil), seeds[r.IntN(len(seeds))]...)
		for range 1 + r.IntN(3) {
			b[r.IntN(len(b))] = byte(r.Uint32())
		}
		if r.IntN(4) == 0 {
			b = b[:r.IntN(len(b))]
		}
		out[i] = b
	}
	return out
}

// TestLibraryLog: what the ASN.1 library logs about bad PDUs is discarded
// by default (it wrote a line to stderr for many of them: 3,324 lines for
// 40,000 inputs), and routed through a rate-limited log it is bounded:
// 1,000 bad PDUs within one interval give at most Burst lines and a
// count of the rest.
func TestLibraryLog(t *testing.T) {
	if out := aperlog.GetLogger().Out; out != io.Discard {
		t.Errorf("the ASN.1 library logs to %T by default, want io.Discard", out)
	}
	var lines []string
	rl := epc.NewRateLog(func(s string) { lines = append(lines, s) })
	frozen := time.Unix(0, 0)
	rl.Now = func() time.Time { return frozen }
	SetLibraryLog(rl)
	defer SetLibraryLog(nil)
	for _, b := range badPDUs(t, 1000) {
		Parse(b)
	}
	if len(lines) == 0 || len(lines) > rl.Burst {
		t.Fatalf("%d lines for 1,000 bad PDUs, want 1..%d", len(lines), rl.Burst)
	}
	t.Logf("%d lines passed, %d suppressed; first: %s", len(lines), rl.Suppressed(), lines[0])
	if !strings.Contains(lines[0], "[LIB][Aper]") || strings.Contains(lines[0], "\x1b") {
		t.Errorf("line %q is not the library's", lines[0])
	}
}
