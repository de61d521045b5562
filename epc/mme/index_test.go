package mme

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestIndexes runs random sets, gets and drops on the IMSI index and the
// UE table next to plain maps: IMSIs around a range (dense), below and far
// above it, and of other lengths (the map).
func TestIndexes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var x imsiIndex
	var tab ueTable
	wantX := map[string]*UE{}
	wantT := map[UEID]*UE{}
	imsi := func() string {
		switch r.IntN(6) {
		case 0:
			return fmt.Sprintf("%015d", 1010000000000+r.IntN(50)) // below the first
		case 1:
			return fmt.Sprintf("%015d", 1010000000100+maxDense+r.IntN(50)) // past the dense table
		case 2:
			return fmt.Sprintf("%014d", r.IntN(1000)) // 14 digits
		case 3:
			return "00101000000x001"
		}
		return fmt.Sprintf("%015d", 1010000000100+r.IntN(3000))
	}
	x.set("001010000000100", &UE{})
	wantX["001010000000100"] = x.dense[0]
	for i := 0; i < 20000; i++ {
		s, id := imsi(), UEID(r.IntN(5000))
		switch r.IntN(3) {
		case 0:
			u := &UE{ID: id}
			x.set(s, u)
			wantX[s] = u
			tab.set(id, u)
			wantT[id] = u
		case 1:
			x.drop(s)
			delete(wantX, s)
			tab.drop(id)
			delete(wantT, id)
		}
		if u, ok := x.get(s); u != wantX[s] || ok != (wantX[s] != nil) {
			t.Fatalf("%d: IMSI %s: %p %v, want %p", i, s, u, ok, wantX[s])
		}
		if u, ok := tab.get(id); u != wantT[id] || ok != (wantT[id] != nil) {
			t.Fatalf("%d: UE %d: %p %v, want %p", i, id, u, ok, wantT[id])
		}
	}
	if len(x.dense) == 0 || len(x.other) == 0 {
		t.Errorf("dense %d, map %d: both should be used", len(x.dense), len(x.other))
	}
	if _, ok := tab.get(1 << 31); ok {
		t.Error("an ID past the table found")
	}
}
