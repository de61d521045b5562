package s1ap

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/gpp"
)

// TestTypedNames: every typed message (newTyped, from the tables of
// internal/s1apgen) is the Go name of the message TS 36.413 gives its
// procedure code and PDU type (gpp.S1APMessageName, without hyphens), and
// reports that procedure and type.
func TestTypedNames(t *testing.T) {
	n := 0
	for pt := InitiatingMessage; pt <= UnsuccessfulOutcome; pt++ {
		for c := 0; c < 256; c++ {
			m := newTyped(pt, ProcedureCode(c))
			if m == nil {
				continue
			}
			n++
			want, ok := gpp.S1APMessageName(uint8(c), uint8(pt))
			got := reflect.TypeOf(m).Elem().Name()
			if !ok || got != strings.ReplaceAll(want, "-", "") {
				t.Errorf("procedure %d %v: %s, want %q", c, pt, got, want)
			}
			if m.Procedure() != ProcedureCode(c) || m.PDUType() != pt {
				t.Errorf("%s reports procedure %d %v", got, m.Procedure(), m.PDUType())
			}
		}
	}
	if n < 28 {
		t.Errorf("%d typed messages", n)
	}
}
