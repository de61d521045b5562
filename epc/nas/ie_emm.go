package nas

import (
	"fmt"

	"github.com/nbsim/nbsim/gpp"
)

// Half-octet IEs keep the whole half octet (spare bits included) so that
// they re-encode unchanged; methods pick the fields.

// NASKeySetIdentifier is TS 24.301 §9.9.3.21: bit 4 type of security
// context flag (TSC), bits 3-1 the key set identifier (7: no key available).
type NASKeySetIdentifier uint8

// NoKeyAvailable is the KSI value 111.
const NoKeyAvailable NASKeySetIdentifier = 7

// Mapped reports TSC = 1 (mapped security context).
func (k NASKeySetIdentifier) Mapped() bool { return k&0x08 != 0 }

// Value is the key set identifier (bits 3-1).
func (k NASKeySetIdentifier) Value() uint8 { return uint8(k) & 0x07 }

// EPSAttachType is TS 24.301 §9.9.3.11 (bits 3-1; bit 4 spare).
type EPSAttachType uint8

// EPS attach types.
const (
	EPSAttach          EPSAttachType = 1
	CombinedAttach     EPSAttachType = 2
	EPSEmergencyAttach EPSAttachType = 6
)

// EPSAttachResult is TS 24.301 §9.9.3.10 (bits 3-1; bit 4 spare).
type EPSAttachResult uint8

// EPS attach results.
const (
	EPSOnly         EPSAttachResult = 1
	CombinedEPSIMSI EPSAttachResult = 2
)

// EPSUpdateType is TS 24.301 §9.9.3.14: bit 4 active flag, bits 3-1 value.
type EPSUpdateType uint8

// EPS update type values.
const (
	TAUpdating             EPSUpdateType = 0
	CombinedTAUpdating     EPSUpdateType = 1
	CombinedTAUpdatingIMSI EPSUpdateType = 2
	PeriodicUpdating       EPSUpdateType = 3
	EPSUpdateActiveFlag    EPSUpdateType = 0x08
)

// Active reports the active flag (bearer establishment requested).
func (t EPSUpdateType) Active() bool { return t&0x08 != 0 }

// Value is the EPS update type value (bits 3-1).
func (t EPSUpdateType) Value() uint8 { return uint8(t) & 0x07 }

// EPSUpdateResult is TS 24.301 §9.9.3.13 (bits 3-1; bit 4 spare).
type EPSUpdateResult uint8

// EPS update results.
const (
	TAUpdated              EPSUpdateResult = 0
	CombinedTALAUpdated    EPSUpdateResult = 1
	TAUpdatedISRActivated  EPSUpdateResult = 4
	CombinedTALAUpdatedISR EPSUpdateResult = 5
)

// DetachType is TS 24.301 §9.9.3.7: bit 4 switch off (UE to network only),
// bits 3-1 type of detach.
type DetachType uint8

// Types of detach (the values mean different things in each direction).
const (
	DetachEPS       DetachType = 1 // UE: EPS detach; network: re-attach required
	DetachIMSI      DetachType = 2 // UE: IMSI detach; network: re-attach not required
	DetachCombined  DetachType = 3 // UE: combined EPS/IMSI detach; network: IMSI detach
	DetachSwitchOff DetachType = 0x08
)

// SwitchOff reports the switch off bit.
func (t DetachType) SwitchOff() bool { return t&0x08 != 0 }

// Value is the type of detach (bits 3-1).
func (t DetachType) Value() uint8 { return uint8(t) & 0x07 }

// ServiceType is TS 24.301 §9.9.3.27 (4 bits).
type ServiceType uint8

// ControlPlaneServiceType is TS 24.301 §9.9.3.47: bit 4 active flag,
// bits 3-1 the control plane service type value.
type ControlPlaneServiceType uint8

// Control plane service type values.
const (
	CPServiceMobileOriginating ControlPlaneServiceType = 0
	CPServiceMobileTerminating ControlPlaneServiceType = 1
	CPServiceActiveFlag        ControlPlaneServiceType = 0x08
)

// Active reports the active flag (radio bearer establishment requested).
func (t ControlPlaneServiceType) Active() bool { return t&0x08 != 0 }

// Value is the control plane service type value (bits 3-1).
func (t ControlPlaneServiceType) Value() uint8 { return uint8(t) & 0x07 }

// IdentityType2 is TS 24.008 §10.5.5.9 as TS 24.301 §9.9.3.29 uses it.
type IdentityType2 uint8

// Identity types for IDENTITY REQUEST.
const (
	IdentityTypeIMSI   IdentityType2 = 1
	IdentityTypeIMEI   IdentityType2 = 2
	IdentityTypeIMEISV IdentityType2 = 3
	IdentityTypeTMSI   IdentityType2 = 4
)

// AdditionalUpdateType is TS 24.301 §9.9.3.0B: bits 4-3 PNB-CIoT
// (preferred CIoT network behaviour), bit 2 SAF, bit 1 AUTV (SMS only).
type AdditionalUpdateType uint8

// PNBCIoT is bits 4-3: 0 no additional information, 1 control plane CIoT
// EPS optimization, 2 user plane CIoT EPS optimization.
func (t AdditionalUpdateType) PNBCIoT() uint8 { return uint8(t) >> 2 & 0x3 }

// SAF reports the signalling active flag.
func (t AdditionalUpdateType) SAF() bool { return t&0x02 != 0 }

// SMSOnly reports AUTV = 1.
func (t AdditionalUpdateType) SMSOnly() bool { return t&0x01 != 0 }

// AdditionalUpdateResult is TS 24.301 §9.9.3.0A: bits 2-1 AURV.
type AdditionalUpdateResult uint8

// EMMCause is TS 24.301 §9.9.3.9.
type EMMCause uint8

func (c EMMCause) String() string { return gpp.EMMCauseString(uint8(c)) }

func (c *EMMCause) encodeValue(e *encoder) { e.u8(uint8(*c)) }

func (c *EMMCause) decodeValue(v []byte) error {
	if len(v) != 1 {
		return invalidf("EMM cause of %d octets", len(v))
	}
	*c = EMMCause(v[0])
	return nil
}

// SecurityAlgorithms is TS 24.301 §9.9.3.23 (NAS security algorithms):
// type of ciphering algorithm in bits 7-5, of integrity algorithm in bits
// 3-1 (0 = EEA0 / EIA0, 1 = 128-EEA1 / 128-EIA1, ...).
type SecurityAlgorithms uint8

// NewSecurityAlgorithms codes EEAn and EIAn.
func NewSecurityAlgorithms(eea, eia uint8) SecurityAlgorithms {
	return SecurityAlgorithms(eea&0x07<<4 | eia&0x07)
}

// Ciphering is the EEA number.
func (a SecurityAlgorithms) Ciphering() uint8 { return uint8(a) >> 4 & 0x07 }

// Integrity is the EIA number.
func (a SecurityAlgorithms) Integrity() uint8 { return uint8(a) & 0x07 }

func (a SecurityAlgorithms) String() string {
	return fmt.Sprintf("EEA%d/EIA%d", a.Ciphering(), a.Integrity())
}

// EPSBearerContextStatus is TS 24.301 §9.9.2.1: bit n is set when the EPS
// bearer context of EBI n is active (octet 3 holds EBI 7..0, octet 4 EBI
// 15..8).
type EPSBearerContextStatus uint16

// Active reports EBI ebi.
func (s EPSBearerContextStatus) Active(ebi uint8) bool { return ebi < 16 && s>>ebi&1 != 0 }

func (s *EPSBearerContextStatus) encodeValue(e *encoder) {
	e.u8(uint8(*s))
	e.u8(uint8(*s >> 8))
}

func (s *EPSBearerContextStatus) decodeValue(v []byte) error {
	if len(v) != 2 {
		return invalidf("EPS bearer context status of %d octets", len(v))
	}
	*s = EPSBearerContextStatus(v[0]) | EPSBearerContextStatus(v[1])<<8
	return nil
}
