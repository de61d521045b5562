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
	sec, inSec, peak int64   // NAS messages in the current second, and the peak
	perSec           []int64 // a cluster's NAS messages by second (merged for the peak; nil unless split)
}

// signaller is how the core network's side of the signalling is made: in
// typed signalling from size tables (typed), in encoded signalling by real
// NAS and S1AP messages through an MME (*encoded). Build wires one; the
// rest of the model does not ask which.
type signaller interface {
	// start books what precedes any device (S1 Setup).
	start(n *Network) error
	// preattach registers device id before the run (initially attached).
	preattach(n *Network, id int32) error
	// entry returns the legs of the signalling of the device's access
	// purpose (u.step 0: the procedure starts now).
	entry(n *Network, id int32, u *ue, now sim.Time) ([]leg, error)
	// uplink sizes (and encodes) one control-plane report of payload
	// bytes; size is the typed size.
	uplink(n *Network, id int32, u *ue, payload, size int) (int, []byte, error)
	// downlink sizes (and encodes) one control-plane downlink packet.
	downlink(n *Network, id int32, u *ue, payload, size int) (int, []byte, error)
	// nas books the S1AP message around one NAS message (bytes long, or
	// pdu in encoded signalling) and returns its size.
	nas(n *Network, id int32, u *ue, up bool, bytes int, pdu []byte, now sim.Time) (int64, error)
	// page books the S1AP Paging of device id.
	page(n *Network, id int32, u *ue) error
	// release books the S1 release of the device's connection.
	release(n *Network, id int32, u *ue, byENB bool) error
	// released tells the core the connection is gone.
	released(id int32, now sim.Time)
	// detach sends the device's DETACH REQUEST (switch off).
	detach(n *Network, id int32)
	// report fills the mode and failure counts of results.json's block.
	report(s *report.Signalling)
}

// typed is typed signalling: sizes from TS 36.413-based tables, no core.
type typed struct{}

func (typed) start(*Network) error                  { return nil }
func (typed) preattach(*Network, int32) error       { return nil }
func (typed) released(int32, sim.Time)              {}
func (typed) detach(*Network, int32)                {}
func (typed) report(s *report.Signalling)           { s.Mode = "typed" }
func (typed) page(n *Network, _ int32, _ *ue) error { n.s1ap(1, s1apPagingMsg); return nil }

func (typed) entry(n *Network, _ int32, u *ue, _ sim.Time) ([]leg, error) {
	return n.legs[u.dev.Purpose][b2i(n.groups[u.group].cp)], nil
}

func (typed) uplink(_ *Network, _ int32, _ *ue, _, size int) (int, []byte, error) {
	return size, nil, nil
}

func (typed) downlink(_ *Network, _ int32, _ *ue, _, size int) (int, []byte, error) {
	return size, nil, nil
}

func (typed) nas(_ *Network, _ int32, u *ue, up bool, bytes int, _ []byte, _ sim.Time) (int64, error) {
	over := s1apDLNASOverhead
	switch {
	case up && u.flags&fFirstUL != 0:
		over = s1apInitialUEOverhead
	case up:
		over = s1apULNASOverhead
	}
	return int64(bytes + over), nil
}

func (typed) release(n *Network, _ int32, _ *ue, byENB bool) error {
	if byENB {
		n.s1ap(3, 3*s1apReleaseMsg)
	} else {
		n.s1ap(2, 2*s1apReleaseMsg)
	}
	return nil
}

// countNAS books one message of a connection: NAS messages also cross
// S1-MME in an S1AP message (the first of a connection in Initial UE
// Message); radio-only ones count nothing.
func (n *Network) countNAS(id int32, u *ue, nas, up bool, bytes int, pdu []byte, now sim.Time) {
	if !nas {
		return
	}
	size, err := n.signal.nas(n, id, u, up, bytes, pdu, now)
	if err != nil {
		n.failEncoded(err)
		return
	}
	n.s1ap(1, size)
	n.sigs.nas++
	s := int64(now / sim.Time(1e9))
	if s != n.sigs.sec {
		n.sigs.sec, n.sigs.inSec = s, 0
	}
	n.sigs.inSec++
	if n.sigs.perSec != nil {
		n.sigs.perSec[min(int(s), len(n.sigs.perSec)-1)]++
	}
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
		NASMessages:             n.sigs.nas,
		S1APMessages:            n.sigs.s1ap,
		S1APBytes:               n.sigs.bytes,
		MessagesPerReport:       report.Ratio(n.sigs.s1ap, delivered),
		MMETransactionsPerSPeak: float64(n.sigs.peak),
	}
	n.signal.report(&s)
	return s
}
