package model

import (
	"testing"
	"time"

	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/sim"
)

// TestRARPriority: user data requested after a cell received a preamble
// does not push the RAR out of its window: the RAR's slot, held at the
// preamble, is the first search-space candidate of the window. Without
// the hold, the same data takes the window and the RAR is not sent.
func TestRARPriority(t *testing.T) {
	for _, hold := range []bool{true, false} {
		n := buildSmall(t)
		u := &n.ues[0]
		c := &n.cells[u.cell]
		cp := &n.ce[0]
		k, start := cp.occ.Next(1)
		end := sim.Time(start) + sim.Time(cp.occ.Length)
		b := n.bucketFor(0, k, end)
		b.picks = append(b.picks, mac.Pick{Dev: 0, Cell: u.cell, Outcome: mac.Granted})
		if hold {
			n.holdRAR(b, u)
			if len(b.holds) != 1 {
				t.Fatalf("holds %v, want one", b.holds)
			}
		}
		winStart := end + sim.Time(n.rarProc)
		winEnd := winStart + sim.Time(cp.rarWindow)
		// Data queued now: a DCI at the first candidate and an NPDSCH as
		// long as the window, which would cover the whole window.
		snr := n.dlSNR(u)
		dt := n.dciTime(snr, cp.rmax)
		c.dl.ReservePair(0, cp.grid(dt), dt, pdschDelayMin, pdschDelayMax(cp.rmax), 2*cp.rarWindow)
		for _, h := range b.holds {
			c.dl.Release(h.start, h.end)
		}
		rarEnd := n.sendRAR(u.cell, 0, b.picks, 1, winStart, winEnd)
		if hold {
			// The RAR's DCI starts at the first candidate from the window's
			// start (offset 0: the first multiple of the period).
			T := int64(cp.pdcch)
			want := (int64(winStart) + T - 1) / T * T
			if b.holds[0].start != want {
				t.Errorf("held at %v, want the first candidate %v", time.Duration(b.holds[0].start), time.Duration(want))
			}
			if rarEnd > winEnd {
				t.Errorf("with the hold the RAR ends at %v, after its window %v", rarEnd.D(), winEnd.D())
			}
		} else if rarEnd <= winEnd {
			t.Errorf("without the hold the RAR ends at %v within its window %v: the test's data does not block it", rarEnd.D(), winEnd.D())
		}
	}
}
