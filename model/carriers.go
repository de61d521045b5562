package model

import (
	"fmt"

	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/sim"
)

// Multi-carrier cells (docs/model.md, Multi-carrier). A cell has the
// anchor carrier and radio.carriers-1 non-anchor carriers (TS 36.331
// SystemInformationBlockType22-NB dl-ConfigList-r14 / ul-ConfigList-r14).
// Each carrier has its own books, kept in a cell value of its own: the
// anchor's are the cell's (n.cells[c]), a non-anchor carrier's are in
// n.nonAnchor. Its NPRACH (the anchor's configuration on every carrier),
// its NPDCCH/NPDSCH and its NPUSCH are booked there, its collisions,
// interference and preamble counts too. Every cell uses the same carrier
// frequencies (reuse 1): carrier k of one cell meets carrier k of the
// others, and no other.

// buildCarriers reads the multi-carrier keys and builds the non-anchor
// carriers' books of every cell. A non-anchor carrier's uplink has the
// anchor's NPRACH configuration (the same stretch ulStretch); its
// downlink carries no NPSS, NSSS, NPBCH or SIB1-NB (TS 36.211 §10.2.4.1,
// §10.2.7: those are on the anchor carrier only), so every subframe is
// left for NPDCCH/NPDSCH (stretch 1).
func (n *Network) buildCarriers(ulStretch float64) error {
	r := &n.sc.Radio
	n.carriers = max(1, r.Carriers)
	p, ok := r.AnchorProbability()
	if !ok {
		return fmt.Errorf("radio.nprach_probability_anchor: %q is not a value of nprach-ProbabilityAnchor-r14", r.NPRACHProbabilityAnchor)
	}
	n.pAnchor = p
	if len(r.PagingWeights) > 0 {
		n.pagingW = r.PagingWeights
	}
	if n.carriers == 1 {
		return nil
	}
	n.nonAnchor = make([]cell, 0, len(n.cells)*(n.carriers-1))
	for i := range n.cells {
		c := &n.cells[i]
		for k := 1; k < n.carriers; k++ {
			n.nonAnchor = append(n.nonAnchor, cell{
				name: c.name, site: c.site, x: c.x, y: c.y, azimuth: c.azimuth,
				ul: mac.NewCarrier(12*n.radio.ulLaneScale, ulStretch), dl: mac.NewCarrier(1, 1),
			})
			n.nonAnchor[len(n.nonAnchor)-1].ul.SetFirstLane(c.ul.FirstLane()) // the anchor's rule (ulFirstLane)
		}
	}
	return nil
}

// on is carrier k of cell c: the cell itself for the anchor (k = 0).
func (n *Network) on(c int32, k uint8) *cell {
	if k == 0 {
		return &n.cells[c]
	}
	return &n.nonAnchor[int(c)*(n.carriers-1)+int(k)-1]
}

// pickCarrier is the carrier of device id's preamble at now (TS 36.321
// §5.1.2, Random Access Resource selection, for each preamble): the
// anchor with probability pAnchor, else one of the non-anchor carriers
// with equal probability. Its own stream per (device, time), so no other
// draw moves.
func (n *Network) pickCarrier(id int32, now sim.Time) uint8 {
	if n.carriers == 1 {
		return 0
	}
	s := sim.NewStream(n.seed, "ra-carrier", uint64(n.gid(id))<<40^uint64(now), "carrier")
	return selectCarrier(s.Float64(), n.pAnchor, n.carriers)
}

// selectCarrier maps a uniform draw x in [0, 1) to a carrier: the anchor
// (0) when x < pAnchor, else carrier 1 + ⌊(x−pAnchor)/(1−pAnchor)·(carriers−1)⌋.
func selectCarrier(x, pAnchor float64, carriers int) uint8 {
	if x < pAnchor || carriers < 2 {
		return 0
	}
	k := 1 + int((x-pAnchor)/(1-pAnchor)*float64(carriers-1))
	return uint8(min(k, carriers-1))
}

// pagingCarrier is the paging carrier of a device with identity ueID
// (TS 36.304 §7.1, Rel-14): with the carriers' paging weights w (anchor
// first) and W their sum, the smallest n with
//
//	floor(UE_ID/(N·Ns)) mod W < W(0) + … + W(n),
//
// where UE_ID = IMSI mod 16384 when paging on non-anchor carriers is
// configured, N = min(T, nB) and Ns = max(1, nB/T). The model's paging
// frames have nB = T (epc.UEIDOffset: UE_ID mod T), so N·Ns = T, the
// paging cycle in frames. nil w is w1 for each of carriers.
func pagingCarrier(imsi uint64, tFrames int64, w []int, carriers int) int {
	if carriers <= 1 || tFrames <= 0 {
		return 0
	}
	weight := func(i int) int {
		if w == nil {
			return 1
		}
		return w[i]
	}
	total := 0
	for i := 0; i < carriers; i++ {
		total += weight(i)
	}
	if total <= 0 {
		return 0
	}
	ueID := int64(imsi % 16384)
	x := int((ueID / tFrames) % int64(total))
	sum := 0
	for i := 0; i < carriers; i++ {
		sum += weight(i)
		if x < sum {
			return i
		}
	}
	return carriers - 1
}

// carrierResults sums cell ci's carriers into its figures (counts summed,
// utilisations averaged, the IoT distributions merged) and lists each
// carrier; the resources and the bottleneck come later (resourceResults).
// It returns the merged IoT distributions.
func (n *Network) carrierResults(ci int32, ck *report.CellKPI) report.CellState {
	end := n.end.D()
	noise := n.noise15 / float64(n.radio.ulLaneScale)
	ck.Preambles, ck.Collisions, ck.BlockedOccasions = 0, 0, 0
	var ul, dl float64
	var iot, npusch report.DBHist
	for k := 0; k < n.carriers; k++ {
		c := n.on(ci, uint8(k))
		ck.Preambles += c.preambles
		ck.Collisions += c.collided
		ck.BlockedOccasions += c.blocked
		cu, cd := c.ul.Utilisation(end), c.dl.Utilisation(end)
		ul += cu
		dl += cd
		iot.Merge(&c.iot)
		own := c.ulb.withOpen(&c.npuschIoT, noise)
		npusch.Merge(&own)
		ck.Carriers = append(ck.Carriers, report.CarrierKPI{
			Carrier: k, Preambles: c.preambles, Collisions: c.collided, Pages: c.pages,
			ULUtilisation: cu, DLUtilisation: cd,
		})
	}
	ck.ULUtilisation, ck.DLUtilisation = ul/float64(n.carriers), dl/float64(n.carriers)
	ck.IoT, ck.NPUSCHIoT = iot.Dist(), npusch.Dist()
	return report.CellState{IoT: iot, NPUSCHIoT: npusch}
}
