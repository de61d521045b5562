package model

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/mac"

	"github.com/nbsim/nbsim/scenarios"
)

// TestFoldRowsMerge: a split run's time-series resource columns are the
// clusters' merged: the highest utilisation of each resource, and the
// bottleneck with the highest figure, the lower cell on a tie (as one
// pass over the cells in order chooses), none only if no cluster names one.
func TestFoldRowsMerge(t *testing.T) {
	c1 := &Network{res: resources{fold: &folding{rows: &foldRows{
		util: []float64{0.1, 0.5, 0.3, 0},
		lim:  []rowLimit{{top: 0.9, res: 0, cell: 5}, {res: -1}},
	}}}}
	c2 := &Network{res: resources{fold: &folding{rows: &foldRows{
		util: []float64{0.2, 0.4, 0.3, 0.7},
		lim:  []rowLimit{{top: 0.9, res: 1, cell: 2}, {top: 0.5, res: 1, cell: 7}},
	}}}}
	n := &Network{clusters: []*Network{c1, nil, c2}}
	got := n.foldRows()
	want := &foldRows{
		util: []float64{0.2, 0.5, 0.3, 0.7},
		lim:  []rowLimit{{top: 0.9, res: 1, cell: 2}, {top: 0.5, res: 1, cell: 7}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged rows %+v, want %+v", got, want)
	}
	if c1.res.fold.rows.util[0] != 0.1 {
		t.Error("the merge wrote into a cluster's rows")
	}
}

// TestFoldDropsSteps: during a run the resource books hold only the
// minutes not yet folded (those that ended less than foldLag ago, and the
// current one); at the end every minute is folded and nothing came late.
func TestFoldDropsSteps(t *testing.T) {
	sc, err := scenarios.Load("cow-collars", []string{"duration=12m"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	_, err = n.Run(context.Background(), Options{Progress: func(done, _ float64) {
		at := time.Duration(done * float64(time.Second))
		if n.split != nil || at < 3*time.Minute {
			return
		}
		want := stepsPerMinute * int((at-foldLag)/time.Minute)
		if got := n.res.picks[n.res.at(0, 0, 0)].forgot; got != want {
			t.Errorf("at %v: steps dropped %d, want %d", at, got, want)
		}
		checked++
	}})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("nothing checked (a split network?)")
	}
	if f := n.res.fold; f == nil || f.minute != 12 || len(f.rows.lim) != 12 {
		t.Fatalf("folded %+v, want 12 minutes", f)
	}
	if err := n.checkLate(); err != nil {
		t.Error(err)
	}
}

// TestCheckLate: a booking into a step already folded, in a carrier's
// books or in the NPRACH picks, fails the run (checkLate names foldLag)
// rather than go missing; TestFoldDropsSteps only sees none come.
func TestCheckLate(t *testing.T) {
	for _, late := range []func(n *Network){
		func(n *Network) { n.on(0, 0).dl.Book(mac.Control, int64(time.Second), int64(2*time.Second), 1) },
		func(n *Network) { n.on(0, 0).ul.Book(mac.Shared, int64(time.Second), int64(2*time.Second), 1) },
		func(n *Network) { n.res.picks[n.res.at(0, 0, 0)].add(0, n.res.steps) },
	} {
		sc, err := scenarios.Load("cow-collars", []string{"duration=4m", "groups.collars.count=200"})
		if err != nil {
			t.Fatal(err)
		}
		n, err := Build(sc, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Run(context.Background(), Options{}); err != nil {
			t.Fatal(err)
		}
		if err := n.checkLate(); err != nil {
			t.Fatalf("before the late booking: %v", err)
		}
		late(n)
		if err := n.checkLate(); err == nil || !strings.Contains(err.Error(), "foldLag") {
			t.Errorf("a booking into a folded step: checkLate %v, want an error naming foldLag", err)
		}
	}
}
