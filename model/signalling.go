package model

import (
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/sim"
)

// S1AP overhead around a NAS-PDU and sizes of NAS-less S1AP messages in
// typed signalling (bytes of the aligned-PER encoding, approximate, from
// TS 36.413 §9.1: the PDU header, the UE S1AP IDs and the other mandatory IEs).
const (
	s1apInitialUEOverhead = 40 // Initial UE Message: + TAI, E-UTRAN CGI, RRC establishment cause
	s1apULNASOverhead     = 36 // Uplink NAS Transport: + E-UTRAN CGI, TAI
	s1apDLNASOverhead     = 20 // Downlink NAS Transport
	s1apReleaseMsg        = 20 // UE Context Release Request / Command / Complete
	s1apPagingMsg         = 30 // Paging (UE identity index, S-TMSI, TAI list, CN domain)
	s1apContextSetup      = 60 // Initial Context Setup Request/Response (user plane)
)

// sigStats counts signalling for results.json's "signalling" block.
type sigStats struct {
	nas, s1ap, bytes int64
	sec, inSec, peak int64 // NAS messages in the current second, and the peak
}

// countNAS books one message of a connection: NAS messages also cross
// S1-MME in an S1AP message (the first of a connection in Initial UE
// Message); radio-only ones count nothing.
func (n *Network) countNAS(id int32, u *ue, nas, up bool, bytes int, pdu []byte, now sim.Time) {
	if !nas {
		return
	}
	if n.enc != nil {
		// The real S1AP message around the real NAS message.
		b, err := n.enc.s1apNAS(n, id, u, up, pdu)
		if err != nil {
			n.failEncoded(err)
			return
		}
		n.s1ap(1, int64(len(b)))
		if n.trace != nil {
			n.trace.S1AP(now.D(), n.cells[u.cell].site, up, b)
		}
	} else {
		over := s1apDLNASOverhead
		switch {
		case up && u.flags&fFirstUL != 0:
			over = s1apInitialUEOverhead
		case up:
			over = s1apULNASOverhead
		}
		n.s1ap(1, int64(bytes+over))
	}
	n.sigs.nas++
	s := int64(now / sim.Time(1e9))
	if s != n.sigs.sec {
		n.sigs.sec, n.sigs.inSec = s, 0
	}
	n.sigs.inSec++
	if n.sigs.inSec > n.sigs.peak {
		n.sigs.peak = n.sigs.inSec
	}
}

// s1ap books S1AP messages that carry no NAS.
func (n *Network) s1ap(msgs, bytes int64) {
	n.sigs.s1ap += msgs
	n.sigs.bytes += bytes
}

func (n *Network) signalling(delivered int64) report.Signalling {
	s := report.Signalling{
		Mode:                    "typed",
		NASMessages:             n.sigs.nas,
		S1APMessages:            n.sigs.s1ap,
		S1APBytes:               n.sigs.bytes,
		MessagesPerReport:       report.Ratio(n.sigs.s1ap, delivered),
		MMETransactionsPerSPeak: float64(n.sigs.peak),
	}
	if n.enc != nil {
		s.Mode = "encoded"
		s.FailuresByCause = n.enc.failures()
	}
	return s
}
