package model

import (
	"github.com/nbsim/nbsim/epc/mme"
	"testing"

	"github.com/nbsim/nbsim/scenarios"
)

// Each procedure's encoded exchange has exactly the messages, in the
// directions, of the typed procedure.
func TestEncodedProceduresMatchTyped(t *testing.T) {
	sc, err := scenarios.Load("../testdata/small.yaml", []string{"groups.trackers.data_path=control-plane", "signalling=encoded"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	n.buildLegs()
	// A tracker (not attached yet): attach, then TAU, then a paging answer.
	id := int32(len(n.ues) - 1)
	for _, p := range []purpose{pAttach, pTAU, pMT} {
		legs, err := n.enc.entryLegs(n, id, p, 0)
		if err != nil {
			t.Fatalf("purpose %d: %v", p, err)
		}
		want := n.legs[p][1]
		if len(legs) != len(want) {
			t.Fatalf("purpose %d: %d encoded legs, %d typed", p, len(legs), len(want))
		}
		for i := range legs {
			if legs[i].up != want[i].up || !legs[i].nas {
				t.Errorf("purpose %d leg %d: encoded %+v, typed %+v", p, i, legs[i], want[i])
			}
			if legs[i].bytes <= radioOverhead {
				t.Errorf("purpose %d leg %d: %d bytes", p, i, legs[i].bytes)
			}
		}
	}
	// A user-plane device (the trackers of small.yaml are user plane
	// without the override): SERVICE REQUEST and the AS set-up.
	up, err := scenarios.Load("../testdata/small.yaml", []string{"signalling=encoded"})
	if err != nil {
		t.Fatal(err)
	}
	nu, err := Build(up, 1)
	if err != nil {
		t.Fatal(err)
	}
	nu.buildLegs()
	tr := int32(len(nu.ues) - 1)
	if _, err := nu.enc.entryLegs(nu, tr, pAttach, 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range []purpose{pData, pMT} {
		legs, err := nu.enc.entryLegs(nu, tr, p, 0)
		if err != nil {
			t.Fatalf("user plane, purpose %d: %v", p, err)
		}
		want := nu.legs[p][0]
		if len(legs) != len(want) || !legs[0].nas || !legs[0].up || legs[0].bytes != 4+radioOverhead {
			t.Fatalf("user plane, purpose %d: encoded %+v, typed %+v", p, legs, want)
		}
	}
	if len(nu.enc.failures()) != 0 {
		t.Errorf("user plane: failures %v", nu.enc.failures())
	}
	if n.enc.mme.(*mme.MME).C.Attaches != 1 || len(n.enc.failures()) != 0 {
		t.Errorf("attaches %d, failures %v", n.enc.mme.(*mme.MME).C.Attaches, n.enc.failures())
	}
}
