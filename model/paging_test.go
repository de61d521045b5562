package model

import (
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/mac"
)

// pagingSetup builds testdata/small.yaml (sets applied) and returns device
// id, its paging reach and its first PO at or after 1 s.
func pagingSetup(t *testing.T, id int32, sets ...string) (*Network, *ue, epc.Reach, int64) {
	t.Helper()
	n := buildSmall(t, sets...)
	u := &n.ues[id]
	r := epc.Reach{DRX: n.pagingDRX, Offset: epc.UEIDOffset(uint64(id), n.pagingDRX)}
	return n, u, r, r.NextPO(int64(time.Second))
}

// busy is the lane-time carrier c's downlink booked to ch.
func busy(c *cell, ch mac.Channel) time.Duration {
	const d = time.Hour
	return time.Duration(c.dl.UtilisationOf(ch, d) * float64(d))
}

// TestPagingDCITime: the paging DCI's repetitions come from TS 36.213
// Table 16.6-3 for Rmax = npdcch-NumRepetitionPaging (default r256:
// {1, 4, 8, …, 256}): one subframe for a device at 30 dB, Rmax for one at
// −30 dB; with r2048 the smallest above 1 is 8.
func TestPagingDCITime(t *testing.T) {
	n := buildSmall(t)
	if got := n.pagingDCITime(30); got != time.Millisecond {
		t.Errorf("30 dB: %v, want 1ms", got)
	}
	if got := n.pagingDCITime(-30); got != 256*time.Millisecond {
		t.Errorf("−30 dB: %v, want Rmax 256ms", got)
	}
	n = buildSmall(t, "rrc.npdcch_num_repetition_paging=2048")
	if got := n.pagingDCITime(-3); got%(8*time.Millisecond) != 0 {
		t.Errorf("r2048, −3 dB: %v, not one of {1, 8, 64, …} ms above 1", got)
	}
	if got := pagingBytes(1); got != 7 {
		t.Errorf("Paging-NB with one record: %d bytes, want ⌈(9+43)/8⌉ = 7", got)
	}
	if got := pagingBytes(16); got != 88 {
		t.Errorf("Paging-NB with 16 records: %d bytes, want ⌈(9+688)/8⌉ = 88", got)
	}
}

// TestPageStartsAtPO: on a free downlink a page's DCI starts at the PO's
// subframe (the Type-1 common search space's only start, TS 36.213 §16.6)
// and its NPDSCH 4 subframes after the DCI (the least delay, §16.4.1): the
// device has the page at PO + R·s + 4 ms + NPDSCH·s, s the anchor's
// stretch; the DCI and the NPDSCH are booked as NPDCCH and NPDSCH. A second
// page in the same PO, for a device the message as booked reaches, joins
// it: no new DCI.
func TestPageStartsAtPO(t *testing.T) {
	n, u, r, po := pagingSetup(t, 0)
	c := &n.cells[u.cell]
	snr := n.dlSNR(u)
	dt := n.pagingDCITime(snr)
	one := n.pageAirtime(snr, 1, &n.ce[u.ceBase])
	s := c.dl.Stretch
	want := po + int64(float64(dt)*s) + int64(pdschDelayMin) + int64(float64(one)*s)
	if got := n.bookPage(c, u, r, po); got != want {
		t.Errorf("page received at %v, want %v (PO %v, DCI %v, NPDSCH %v, stretch %.4f)",
			time.Duration(got), time.Duration(want), time.Duration(po), dt, one, s)
	}
	if len(c.pagesAt) != 1 || c.pagesAt[0].po != po || c.pagesAt[0].records != 1 {
		t.Fatalf("messages %+v, want one at the PO %d with one record", c.pagesAt, po)
	}
	ctl, sh := busy(c, mac.Control), busy(c, mac.Shared)
	if d := ctl - time.Duration(float64(dt)*s); d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("NPDCCH booked %v, want the DCI's %v", ctl, time.Duration(float64(dt)*s))
	}
	if d := sh - time.Duration(float64(one)*s); d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("NPDSCH booked %v, want the page's %v", sh, time.Duration(float64(one)*s))
	}
	// The same device again (the same SNR and CE level): it joins.
	if got := n.bookPage(c, u, r, po); got != want || c.pagesAt[0].records != 2 {
		t.Errorf("second page: received at %v with %d records, want %v and 2", time.Duration(got), c.pagesAt[0].records, time.Duration(want))
	}
	if busy(c, mac.Control) != ctl {
		t.Errorf("second page of the PO booked another DCI")
	}
}

// TestPageJoinNeedsReach: a page for a device that needs a longer DCI than
// the one its PO's message has does not join it: it takes the next PO.
func TestPageJoinNeedsReach(t *testing.T) {
	n := buildSmall(t, "groups.meters.penetration_loss_db=40") // some devices deep enough for R > 1
	dci := func(id int) time.Duration { return n.pagingDCITime(n.dlSNR(&n.ues[id])) }
	for a := range n.ues {
		for b := range n.ues {
			if n.ues[a].cell != n.ues[b].cell || dci(a) >= dci(b) {
				continue
			}
			c := &n.cells[n.ues[a].cell]
			r := epc.Reach{DRX: n.pagingDRX, Offset: epc.UEIDOffset(uint64(a), n.pagingDRX)}
			po := r.NextPO(int64(time.Second))
			n.bookPage(c, &n.ues[a], r, po)
			n.bookPage(c, &n.ues[b], r, po)
			if len(c.pagesAt) != 2 || c.pagesAt[0].records != 1 || c.pagesAt[1].po != po+int64(n.pagingDRX) {
				t.Errorf("device %d (DCI %v) after device %d (DCI %v) in PO %d: messages %+v, want it alone at the next PO",
					b, dci(b), a, dci(a), po, c.pagesAt)
			}
			return
		}
	}
	t.Fatal("no two devices of one cell need different paging DCIs")
}

// TestPagePriority: a page is booked when the S1 Paging arrives, so a RAR
// requested afterwards for the same subframes goes around it (no overlap
// with the page's DCI or NPDSCH); data booked before over the PO keeps its
// place and the page takes the device's next PO, one paging cycle later.
func TestPagePriority(t *testing.T) {
	// A RAR with a 200 ms NPDSCH from a search-space period before the
	// PO: on a free downlink it covers the PO.
	rar := func(n *Network, c *cell, u *ue, po int64) [2][2]int64 {
		cp := &n.ce[0]
		rdt := n.dciTime(n.dlSNR(u), cp.rmax)
		rde, rs, re := c.dl.ReservePair(po-int64(cp.pdcch), cp.grid(rdt), rdt, pdschDelayMin, pdschDelayMax(cp.rmax), 200*time.Millisecond)
		return [2][2]int64{{rde - int64(float64(rdt)*c.dl.Stretch), rde}, {rs, re}}
	}
	overlap := func(a, b, x, y int64) bool { return a < y && x < b }
	n, u, _, po := pagingSetup(t, 0)
	c := &n.cells[u.cell]
	if iv := rar(n, c, u, po); !overlap(iv[1][0], iv[1][1], po, po+1) {
		t.Fatalf("alone, the RAR's NPDSCH [%v, %v) does not cover the PO %v: the test shows nothing",
			time.Duration(iv[1][0]), time.Duration(iv[1][1]), time.Duration(po))
	}
	n, u, r, po := pagingSetup(t, 0)
	c = &n.cells[u.cell]
	end := n.bookPage(c, u, r, po)
	s := c.dl.Stretch
	dciEnd := po + int64(float64(c.pagesAt[0].dci)*s)
	pdschStart := end - int64(float64(c.pagesAt[0].pdsch)*s)
	for _, iv := range rar(n, c, u, po) {
		if overlap(iv[0], iv[1], po, dciEnd) || overlap(iv[0], iv[1], pdschStart, end) {
			t.Errorf("RAR part [%v, %v) overlaps the page (DCI [%v, %v), NPDSCH [%v, %v))",
				time.Duration(iv[0]), time.Duration(iv[1]), time.Duration(po), time.Duration(dciEnd),
				time.Duration(pdschStart), time.Duration(end))
		}
	}

	// Data over the PO first: the page moves to the next PO.
	n, u, r, po = pagingSetup(t, 0)
	c = &n.cells[u.cell]
	c.dl.Reserve(po-int64(time.Millisecond), 1, 10*time.Millisecond)
	n.bookPage(c, u, r, po)
	if len(c.pagesAt) != 1 || c.pagesAt[0].po != po+int64(n.pagingDRX) {
		t.Errorf("page with the PO %v taken: messages %+v, want one at the next PO %v",
			time.Duration(po), c.pagesAt, time.Duration(po+int64(n.pagingDRX)))
	}
}

// TestPagesOnTheirCarriers: with two carriers of equal paging weight,
// device 0 pages on the anchor (⌊0/256⌋ mod 2 = 0) and device 256 on the
// non-anchor carrier (⌊256/256⌋ mod 2 = 1, TS 36.304 §7.1, T = 256
// frames): each page's DCI and NPDSCH are booked on its carrier's
// downlink only.
func TestPagesOnTheirCarriers(t *testing.T) {
	n := buildSmall(t, "radio.carriers=2")
	for _, id := range []int32{0, 256} {
		u := &n.ues[id]
		before := [2]time.Duration{busy(n.on(u.cell, 0), mac.Control), busy(n.on(u.cell, 1), mac.Control)}
		msgs := [2]int{len(n.on(u.cell, 0).pagesAt), len(n.on(u.cell, 1).pagesAt)}
		n.page(id, u, 0)
		want := 0
		if id == 256 {
			want = 1
		}
		for k := 0; k < 2; k++ {
			c := n.on(u.cell, uint8(k))
			grew := busy(c, mac.Control) > before[k]
			added := len(c.pagesAt) - msgs[k]
			if grew != (k == want) || (added == 1) != (k == want) {
				t.Errorf("device %d, carrier %d: DCI booked %v, messages added %d; want the page on carrier %d only",
					id, k, grew, added, want)
			}
		}
	}
}
