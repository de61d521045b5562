package model

import (
	"context"
	"testing"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/scenarios"
)

// buildSmall builds testdata/small.yaml with sets, seed 1, legs ready.
func buildSmall(t *testing.T, sets ...string) *Network {
	t.Helper()
	sc, err := scenarios.Load("../testdata/small.yaml", sets)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	n.buildLegs()
	return n
}

// Each procedure's encoded exchange has exactly the messages, in the
// directions, of the typed procedure.
func TestEncodedProceduresMatchTyped(t *testing.T) {
	n := buildSmall(t, "groups.trackers.data_path=control-plane", "signalling=encoded")
	// A tracker (not attached yet): attach, then TAU, then a paging answer.
	id := int32(len(n.ues) - 1)
	for _, p := range []device.Purpose{pAttach, pTAU, pMT} {
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
	nu := buildSmall(t, "signalling=encoded")
	tr := int32(len(nu.ues) - 1)
	if _, err := nu.enc.entryLegs(nu, tr, pAttach, 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range []device.Purpose{pData, pMT} {
		legs, err := nu.enc.entryLegs(nu, tr, p, 0)
		if err != nil {
			t.Fatalf("user plane, purpose %d: %v", p, err)
		}
		want := nu.legs[p][0]
		if len(legs) != len(want) || !legs[0].nas || !legs[0].up || legs[0].bytes != 4+radioOverhead {
			t.Fatalf("user plane, purpose %d: encoded %+v, typed %+v", p, legs, want)
		}
	}
	if len(nu.enc.mme.Failures()) != 0 {
		t.Errorf("user plane: failures %v", nu.enc.mme.Failures())
	}
	if n.enc.mme.(*mme.MME).C.Attaches != 1 || len(n.enc.mme.Failures()) != 0 {
		t.Errorf("attaches %d, failures %v", n.enc.mme.(*mme.MME).C.Attaches, n.enc.mme.Failures())
	}
}

// restarting is an in-process core that restarts (loses every context) at
// a given time: as nbsim core does when it is restarted under a run.
// After the restart, a UE ID the new MME never issued is taken as a new S1
// connection (as the S1 layer does for an unknown S-TMSI).
type restarting struct {
	*mme.MME
	at    time.Duration
	fresh func() *mme.MME
	done  bool
	ids   map[mme.UEID]mme.UEID
}

func (r *restarting) id(id mme.UEID) mme.UEID {
	if !r.done {
		return id
	}
	if v, ok := r.ids[id]; ok {
		return v
	}
	v := r.MME.Connect()
	r.ids[id] = v
	return v
}

func (r *restarting) Connect() mme.UEID {
	id := r.MME.Connect()
	if r.done {
		r.ids[id] = id
	}
	return id
}

func (r *restarting) HandleNAS(id mme.UEID, b []byte, now time.Duration) []mme.Effect {
	if !r.done && now >= r.at {
		r.MME, r.done, r.ids = r.fresh(), true, map[mme.UEID]mme.UEID{}
	}
	return r.MME.HandleNAS(r.id(id), b, now)
}

func (r *restarting) Released(id mme.UEID, now time.Duration) { r.MME.Released(r.id(id), now) }

// A core that restarts mid-run: the devices it lost are told so (SERVICE
// REJECT / TAU REJECT #9), attach again and send their reports once.
func TestCoreRestartReattach(t *testing.T) {
	sc, err := scenarios.Load("../testdata/small.yaml", []string{"groups.trackers.data_path=control-plane",
		"signalling=encoded", "duration=3h"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hss.Default()
	if err != nil {
		t.Fatal(err)
	}
	core := &restarting{MME: n.enc.mme.(*mme.MME), at: 90 * time.Minute, fresh: func() *mme.MME {
		cfg := mme.DefaultConfig()
		cfg.DeliverDuringRelease = true // as the model's own core
		m, err := mme.New(cfg, h, nil)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}}
	out, err := n.Run(context.Background(), Options{Core: core})
	if err != nil {
		t.Fatal(err)
	}
	if !core.done {
		t.Fatal("the core did not restart")
	}
	rejects := core.MME.C.Rejected["ue_identity_cannot_be_derived"]
	if rejects == 0 {
		t.Fatal("no device was told it was lost")
	}
	if core.MME.C.Attaches < rejects {
		t.Fatalf("%d re-attaches for %d rejects", core.MME.C.Attaches, rejects)
	}
	for name, g := range out.Results.Groups {
		k := g.KPI
		if k.ReportsGenerated != k.ReportsDelivered+k.ReportsDropped+k.ReportsInFlight {
			t.Errorf("%s: generated %d ≠ delivered %d + dropped %d + in flight %d", name,
				k.ReportsGenerated, k.ReportsDelivered, k.ReportsDropped, k.ReportsInFlight)
		}
		if k.ReportsDelivered == 0 {
			t.Errorf("%s: nothing delivered", name)
		}
	}
}
