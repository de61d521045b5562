package model

import (
	"math"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/phy"
)

// Paging on the downlink (docs/model.md, Paging). A page is a DCI format
// N2 on the Type-1 common search space of its paging carrier and the
// NPDSCH carrying the Paging-NB message it schedules:
//
//   - the DCI starts at the paging occasion's subframe: every Type-1
//     candidate starts there (TS 36.213 §16.6, k = k0), with R from Table
//     16.6-3 for Rmax = npdcch-NumRepetitionPaging (TS 36.331
//     PCCH-Config-NB); a PO whose subframe is taken cannot carry the page,
//     which waits for the device's next PO (TS 36.304 §7.1);
//   - the NPDSCH follows within the scheduling delay of TS 36.213 §16.4.1,
//     with the repetitions the DCI indicates (§16.4.1.3), chosen for the
//     device's CE level (its RSRP level: the MME's paging assistance data,
//     TS 36.413 Assistance Data for Paging) as the link adaptation does for
//     any NPDSCH;
//   - pages of one PO on one carrier share one DCI and one Paging-NB (up to
//     maxPageRec records, TS 36.331): a page joins the PO's message when the
//     message as booked also reaches it (its DCI and NPDSCH at least as
//     long as the device needs, with one more record); otherwise, as the
//     PO's subframe is taken, it waits for the device's next PO.
//
// Priority: the eNodeB knows a PO's pages from the S1 Paging, at least the
// signalling delay before the PO, and a device monitors the Type-1 search
// space at its PO only, so the page is booked when the S1 Paging arrives:
// RARs, Msg4 and data requested after that go around it (paging before
// random access and user data); what was booked earlier keeps its place (a
// DCI sent is not recalled).

// maxPageRec is maxPageRec-NB (TS 36.331 §6.7.3.2... Paging-NB's
// pagingRecordList, SIZE (1..maxPageRec)): 16 records per message.
const maxPageRec = 16

// Paging-NB's size (TS 36.331 §6.2.2, PCCH-Message-NB, unaligned PER):
// pagingHeaderBits for the message type, Paging-NB's optional-field bits
// and the list's length; pageRecordBits per PagingRecord-NB with an S-TMSI
// (extension and choice bits, MMEC 8 + M-TMSI 32). One record: 7 bytes.
const (
	pagingHeaderBits = 9
	pageRecordBits   = 43
)

// pagingBytes is the size of a Paging-NB message with records records.
func pagingBytes(records int) int {
	return (pagingHeaderBits + pageRecordBits*records + 7) / 8
}

// dciN2Bits is the size of DCI format N2 for paging (TS 36.212 §6.4.3.3:
// flag 1, resource assignment 3, MCS 4, repetition number 4, DCI subframe
// repetition number 3).
const dciN2Bits = 15

// pageMsg is the paging message booked for one PO on one carrier.
type pageMsg struct {
	po, end    int64         // the PO (the DCI's start) and the NPDSCH's end
	records    int           // pages it carries
	dci, pdsch time.Duration // the DCI's airtime and the NPDSCH's (booked)
}

// pagingDCITime is the airtime of a paging DCI for a device at downlink
// SNR snrDb: the smallest R of the Type-1 set (TS 36.213 Table 16.6-3) for
// Rmax npdcch-NumRepetitionPaging whose BLER is at most 1 %, as dciTime.
func (n *Network) pagingDCITime(snrDb float64) time.Duration {
	snr := int32(math.Round(max(-400, min(400, snrDb)) * 2))
	k := dciKey(snr, -1) // the Type-1 set: no Rmax of another search space has this key
	if d, ok := n.dci.get(k); ok {
		return d
	}
	d := phy.NPDCCHAirtime(decodableR(float64(snr)/2, n.pagingRs, dciN2Bits))
	n.dci.put(k, d)
	return d
}

// pageAirtime is the NPDSCH airtime of a Paging-NB of records records for
// a device at snr in CE level ce (its transport blocks back to back).
func (n *Network) pageAirtime(snr float64, records int, ce *ceParams) time.Duration {
	var d time.Duration
	for _, t := range n.linkAdapt(false, snr, pagingBytes(records), ce.pdschReps) {
		d += t.Airtime
	}
	return d
}

// maxPageTries bounds the POs a page tries before it is booked at the
// first it fits from (its DCI then after the PO's subframe: a downlink
// booked that far ahead is saturated anyway).
const maxPageTries = 256

// bookPage books the page of device u, whose first PO at or after the
// S1 Paging is po (r its paging reach), on carrier c's downlink, and
// returns when the device has received it (the NPDSCH's end).
func (n *Network) bookPage(c *cell, u *ue, r epc.Reach, po int64) int64 {
	c.prune(n.eng.Now())
	snr := n.dlSNR(u)
	ce := &n.ce[u.ceBase]
	dt := n.pagingDCITime(snr)
	one := n.pageAirtime(snr, 1, ce)
	dmax := pdschDelayMax(n.pagingRmax)
	sdt := int64(float64(dt) * c.dl.Stretch)
	c.dropPages(int64(n.eng.Now()))
	for try := 0; ; try++ {
		if m := c.pageAt(po); m != nil {
			if m.records < maxPageRec && dt <= m.dci && n.pageAirtime(snr, m.records+1, ce) <= m.pdsch {
				m.records++
				n.spend(u, device.Rx, m.pdsch, n.groups[u.group].prof.ReceiveMW)
				return m.end
			}
		} else {
			// The DCI on the PO only (a grid whose one candidate a
			// period is the PO): FitPair tells whether it fits there.
			g := mac.Grid{Period: n.pagingDRX, Offset: time.Duration(po % int64(n.pagingDRX)), Step: dt, Count: 1}
			dciEnd, _, _ := c.dl.FitPair(po, g, dt, pdschDelayMin, dmax, one)
			if dciEnd-sdt == po || try >= maxPageTries {
				if dciEnd-sdt != po {
					g = mac.Grid{}
				}
				dciEnd, _, end := c.dl.ReservePair(po, g, dt, pdschDelayMin, dmax, one)
				c.pagesAt = append(c.pagesAt, pageMsg{po: dciEnd - sdt, end: end, records: 1, dci: dt, pdsch: one})
				n.spend(u, device.Rx, one, n.groups[u.group].prof.ReceiveMW)
				return end
			}
		}
		po = r.NextPO(po + 1)
	}
}

// pageAt is the paging message booked for PO po on c, if any.
func (c *cell) pageAt(po int64) *pageMsg {
	for i := range c.pagesAt {
		if c.pagesAt[i].po == po {
			return &c.pagesAt[i]
		}
	}
	return nil
}

// dropPages forgets the paging messages of POs before now (no page can
// join them any more).
func (c *cell) dropPages(now int64) {
	k := 0
	for _, m := range c.pagesAt {
		if m.po >= now {
			c.pagesAt[k] = m
			k++
		}
	}
	c.pagesAt = c.pagesAt[:k]
}
