package model

import (
	"testing"
	"time"

	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/sim"
)

// schedSmall builds testdata/small.yaml and returns device 0, its cell and
// CE level 0's parameters.
func schedSmall(t *testing.T) (*Network, *ue, *cell, *ceParams) {
	t.Helper()
	n := buildSmall(t)
	u := &n.ues[0]
	return n, u, &n.cells[u.cell], &n.ce[0]
}

// TestRARPriority: user data requested after a cell received a preamble
// does not push the RAR out of its window: the RAR's slot, held at the
// preamble, is the first search-space candidate of the window. Without
// the hold, the same data takes the window and the RAR is not sent.
func TestRARPriority(t *testing.T) {
	for _, hold := range []bool{true, false} {
		n, u, c, cp := schedSmall(t)
		k, start := cp.occ.Next(1)
		end := sim.Time(start) + sim.Time(cp.occ.Length)
		b := n.bucketFor(0, 0, k, end)
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
		rarEnd := n.sendRAR(c, 0, b.picks, 1, winStart, winEnd)
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

// TestMsg4Priority: data requested after a Msg3 was granted does not take
// the Msg4's slot: held at the grant, the Msg4 starts at the first
// candidate from 4 subframes after the Msg3; without the hold the data's
// NPDSCH sits there and the Msg4 comes after it.
func TestMsg4Priority(t *testing.T) {
	for _, hold := range []bool{true, false} {
		n, u, c, cp := schedSmall(t)
		msg3End := sim.Time(100 * time.Millisecond)
		if hold {
			n.holdMsg4(0, u, msg3End)
			if len(c.msg4) != 1 || c.msg4[0].cell != 0 {
				t.Fatalf("Msg4 holds %v, want one for device 0", c.msg4)
			}
		}
		// Data queued now, whose DCI and long NPDSCH would cover the time
		// right after the Msg3.
		snr := n.dlSNR(u)
		dt := n.dciTime(snr, cp.rmax)
		c.dl.ReservePair(int64(msg3End), cp.grid(dt), dt, pdschDelayMin, pdschDelayMax(cp.rmax), time.Second)
		// The Msg3 ends: its hold is released and the Msg4 placed.
		c.releaseMsg4(0, int64(msg3End))
		if len(c.msg4) != 0 {
			t.Fatalf("holds left after the release: %v", c.msg4)
		}
		m4 := n.linkAdapt(false, snr, msg4Bytes, cp.pdschReps)[0].Airtime
		de, _, _ := c.dl.FitPair(int64(msg3End)+int64(pdschDelayMin), cp.grid(dt), dt, pdschDelayMin, pdschDelayMax(cp.rmax), m4)
		first := c.dl.Next(int64(msg3End)+int64(pdschDelayMin), cp.grid(dt)) + int64(float64(dt)*c.dl.Stretch)
		if hold && de != first {
			t.Errorf("with the hold the Msg4's DCI ends at %v, want at its first candidate's end %v", time.Duration(de), time.Duration(first))
		}
		if !hold && de < int64(msg3End)+int64(time.Second) {
			t.Errorf("without the hold the Msg4's DCI ends at %v, before the data's second of NPDSCH: the test's data does not block it", time.Duration(de))
		}
	}
}
