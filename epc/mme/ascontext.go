package mme

import (
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/security"
)

// What the S1AP layer reads of a UE context for Initial Context Setup
// (TS 36.413 §8.3.1), after a SetupContext effect.

// UEByID returns the context of a UE by MME UE S1AP ID.
func (m *MME) UEByID(id UEID) (*UE, bool) { return m.ues.get(id) }

// SecurityCapability returns the UE security capability the UE sent in
// its ATTACH REQUEST (EEA and EIA octets of its UE network capability);
// nil for a preattached UE, which sent none.
func (u *UE) SecurityCapability() nas.UESecurityCapability { return u.secCap }

// KeNB derives K_eNB (TS 33.401 A.3) from K_ASME and the uplink NAS COUNT
// of the last uplink NAS message the MME accepted: right after a SERVICE
// REQUEST (the SetupContext effect), the COUNT of that message (TS 33.401
// §7.2.8.1). False without a security context or an accepted uplink
// message.
func (u *UE) KeNB() ([32]byte, bool) {
	if u.sec == nil || u.sec.ULCount == 0 {
		return [32]byte{}, false
	}
	return security.DeriveKeNB(u.sec.KASME, u.sec.ULCount-1), true
}
