package s1ap

import (
	"encoding/binary"
	"fmt"

	"github.com/free5gc/aper"

	"github.com/nbsim/nbsim/gpp"
)

// PLMN is a PLMN identity (TS 36.413 §9.2.3.8): the one definition in
// package gpp, shared with nas and security.
type PLMN = gpp.PLMN

// TAI is the tracking area identity (§9.2.3).
type TAI struct {
	PLMN PLMN
	TAC  uint16
	Ext  []IE // iE-Extensions, kept raw
}

// EUTRANCGI is the E-UTRAN cell global identifier (§9.2.1); CellID is
// the 28-bit cell identity.
type EUTRANCGI struct {
	PLMN   PLMN
	CellID uint32
	Ext    []IE
}

// ENBIDKind selects the eNB ID alternative of the Global eNB ID.
type ENBIDKind uint8

// ENB-ID alternatives that aper can encode (the short-macro and
// long-macro extension alternatives are not supported).
const (
	MacroENB ENBIDKind = 0 // 20 bits
	HomeENB  ENBIDKind = 1 // 28 bits
)

// GlobalENBID (§9.2.1).
type GlobalENBID struct {
	PLMN PLMN
	Kind ENBIDKind
	ID   uint32
	Ext  []IE
}

// RATType (§9.2.1, Rel-13): sent per TAC in the Supported TAs of S1 Setup
// Request / eNB Configuration Update, so that the MME knows which TAs are
// NB-IoT. It is not an IE of the Initial UE Message.
type RATType uint8

// RAT-Type values; values above RATTypeNBIoT are extension values (Rel-17
// NTN).
const (
	RATTypeNBIoT          RATType = 0
	RATTypeNBIoTLEO       RATType = 1
	RATTypeNBIoTMEO       RATType = 2
	RATTypeNBIoTGEO       RATType = 3
	RATTypeNBIoTOtherSat  RATType = 4
	RATTypeEUTRANLEO      RATType = 5
	RATTypeEUTRANMEO      RATType = 6
	RATTypeEUTRANGEO      RATType = 7
	RATTypeEUTRANOtherSat RATType = 8
)

// SupportedTA is one item of the Supported TAs IE (S1 Setup Request, eNB
// Configuration Update).
type SupportedTA struct {
	TAC            uint16
	BroadcastPLMNs []PLMN
	RATType        *RATType // iE-Extension id 232 (criticality reject)
	Ext            []IE     // other iE-Extensions, raw
}

// ServedGUMMEI is one Served GUMMEIs item (S1 Setup Response).
type ServedGUMMEI struct {
	PLMNs    []PLMN
	GroupIDs []uint16
	MMECs    []uint8
	Ext      []IE
}

// CauseGroup is the Cause CHOICE alternative (§9.2.1).
type CauseGroup uint8

// Cause groups.
const (
	CauseGroupRadioNetwork CauseGroup = 0
	CauseGroupTransport    CauseGroup = 1
	CauseGroupNAS          CauseGroup = 2
	CauseGroupProtocol     CauseGroup = 3
	CauseGroupMisc         CauseGroup = 4
)

// Cause (§9.2.1): Value is the ENUMERATED index within the group
// (extension values continue the numbering).
type Cause struct {
	Group CauseGroup
	Value uint8
}

// A few causes an MME uses.
var (
	CauseRadioNetworkUnspecified      = Cause{CauseGroupRadioNetwork, 0}
	CauseRadioNetworkUnknownMMEUEID   = Cause{CauseGroupRadioNetwork, 13}
	CauseRadioNetworkUnknownENBUEID   = Cause{CauseGroupRadioNetwork, 14}
	CauseRadioNetworkUserInactivity   = Cause{CauseGroupRadioNetwork, 20}
	CauseRadioNetworkRadioConnLost    = Cause{CauseGroupRadioNetwork, 21}
	CauseNASNormalRelease             = Cause{CauseGroupNAS, 0}
	CauseNASAuthenticationFailure     = Cause{CauseGroupNAS, 1}
	CauseNASDetach                    = Cause{CauseGroupNAS, 2}
	CauseNASUnspecified               = Cause{CauseGroupNAS, 3}
	CauseProtocolTransferSyntaxError  = Cause{CauseGroupProtocol, 0}
	CauseProtocolAbstractSyntaxReject = Cause{CauseGroupProtocol, 1}
	CauseProtocolSemanticError        = Cause{CauseGroupProtocol, 4}
	CauseMiscControlOverload          = Cause{CauseGroupMisc, 0}
	CauseMiscUnspecified              = Cause{CauseGroupMisc, 4}
	CauseMiscUnknownPLMN              = Cause{CauseGroupMisc, 5}
)

// TypeOfError in criticality diagnostics.
type TypeOfError uint8

// TypeOfError values.
const (
	NotUnderstood TypeOfError = 0
	Missing       TypeOfError = 1
)

// CriticalityDiagnosticsIE is one IE in criticality diagnostics.
type CriticalityDiagnosticsIE struct {
	Criticality Criticality
	ID          ProtocolIEID
	TypeOfError TypeOfError
	Ext         []IE
}

// CriticalityDiagnostics (§9.2.1).
type CriticalityDiagnostics struct {
	ProcedureCode        *ProcedureCode
	TriggeringMessage    *PDUType
	ProcedureCriticality *Criticality
	IEs                  []CriticalityDiagnosticsIE
	Ext                  []IE
}

// STMSI (§9.2.3).
type STMSI struct {
	MMEC  uint8
	MTMSI uint32
	Ext   []IE
}

// GUMMEI (§9.2.3).
type GUMMEI struct {
	PLMN       PLMN
	MMEGroupID uint16
	MMEC       uint8
	Ext        []IE
}

// UEAggregateMaximumBitrate in bit/s (§9.2.1).
type UEAggregateMaximumBitrate struct {
	DL, UL uint64
	Ext    []IE
}

// AllocationRetentionPriority (§9.2.1). PreemptionCapability 0 =
// shall-not-trigger-pre-emption, 1 = may-trigger; PreemptionVulnerability 0 =
// not-pre-emptable, 1 = pre-emptable.
type AllocationRetentionPriority struct {
	PriorityLevel           uint8
	PreemptionCapability    uint8
	PreemptionVulnerability uint8
	Ext                     []IE
}

// GBRQosInformation in bit/s (§9.2.1).
type GBRQosInformation struct {
	MaxBitrateDL, MaxBitrateUL               uint64
	GuaranteedBitrateDL, GuaranteedBitrateUL uint64
	Ext                                      []IE
}

// ERABLevelQoSParameters (§9.2.1).
type ERABLevelQoSParameters struct {
	QCI uint8
	ARP AllocationRetentionPriority
	GBR *GBRQosInformation
	Ext []IE
}

// ERABToBeSetupItem is an item of E-RAB To Be Setup List (Initial Context
// Setup Request: NASPDU optional; E-RAB Setup Request: NASPDU mandatory).
// TransportLayerAddress is the S-GW address (4 or 16 octets, or 20 for both).
type ERABToBeSetupItem struct {
	ERABID                uint8
	QoS                   ERABLevelQoSParameters
	TransportLayerAddress []byte
	GTPTEID               uint32
	NASPDU                []byte
	Ext                   []IE
}

// ERABSetupItem is an item of E-RAB Setup List (responses): the eNB side
// of the S1-U bearer.
type ERABSetupItem struct {
	ERABID                uint8
	TransportLayerAddress []byte
	GTPTEID               uint32
	Ext                   []IE
}

// ERABItem is an item of an E-RAB List (failed/released E-RABs with cause).
type ERABItem struct {
	ERABID uint8
	Cause  Cause
	Ext    []IE
}

// ERABToBeModifiedItem is an item of E-RAB To Be Modified List.
type ERABToBeModifiedItem struct {
	ERABID uint8
	QoS    ERABLevelQoSParameters
	NASPDU []byte
	Ext    []IE
}

// ERABIDItem is an item that carries just an E-RAB ID (E-RAB Modify List,
// E-RAB Release List in the responses).
type ERABIDItem struct {
	ERABID uint8
	Ext    []IE
}

// UESecurityCapabilities (§9.2.1): bit 0 of each 16-bit string is the
// most significant bit (128-EEA1/EIA1 = 0x8000, EEA2/EIA2 = 0x4000, ...).
type UESecurityCapabilities struct {
	EncryptionAlgorithms          uint16
	IntegrityProtectionAlgorithms uint16
	Ext                           []IE
}

// SecurityKey is KeNB (§9.2.1).
type SecurityKey [32]byte

// UES1APIDs (§9.2.3): the pair when ENBUES1APID is set, else the MME UE
// S1AP ID alone.
type UES1APIDs struct {
	MMEUES1APID uint32
	ENBUES1APID *uint32
	Ext         []IE // of the pair
}

// UEPagingID (§9.2.3): S-TMSI or IMSI (3..8 octets, TBCD).
type UEPagingID struct {
	STMSI *STMSI
	IMSI  []byte
}

// PagingEDRXInformation (§9.2.1, Rel-13 WB-E-UTRAN eDRX). Cycle is the
// Paging-eDRX-Cycle index (hfhalf, hf1, hf2, hf4, ... hf256); TimeWindow
// the PagingTimeWindow index (s1 .. s16).
type PagingEDRXInformation struct {
	Cycle      uint8
	TimeWindow *uint8
	Ext        []IE
}

// NBIoTPagingEDRXCycle indexes NB-IoT-Paging-eDRX-Cycle.
type NBIoTPagingEDRXCycle uint8

// NB-IoT-Paging-eDRX-Cycle values (hyperframes).
const (
	NBIoTEDRXhf2 NBIoTPagingEDRXCycle = iota
	NBIoTEDRXhf4
	NBIoTEDRXhf6
	NBIoTEDRXhf8
	NBIoTEDRXhf10
	NBIoTEDRXhf12
	NBIoTEDRXhf14
	NBIoTEDRXhf16
	NBIoTEDRXhf32
	NBIoTEDRXhf64
	NBIoTEDRXhf128
	NBIoTEDRXhf256
	NBIoTEDRXhf512
	NBIoTEDRXhf1024
)

// NBIoTPagingEDRXInformation (Rel-13/14 NB-IoT eDRX, id 239). TimeWindow
// is the NB-IoT-PagingTimeWindow index (s1 .. s16, in units of 2.56 s).
type NBIoTPagingEDRXInformation struct {
	Cycle      NBIoTPagingEDRXCycle
	TimeWindow *uint8
	Ext        []IE
}

// UserLocationInformation (§9.2.1).
type UserLocationInformation struct {
	EUTRANCGI EUTRANCGI
	TAI       TAI
	Ext       []IE
}

// CellIdentifierAndCELevel is CellIdentifierAndCELevelForCECapableUEs
// (Rel-13): CELevel is coded per TS 36.331.
type CellIdentifierAndCELevel struct {
	Cell    EUTRANCGI
	CELevel []byte
	Ext     []IE
}

// UEAssociatedLogicalS1Connection is UE-associatedLogicalS1-ConnectionItem.
type UEAssociatedLogicalS1Connection struct {
	MMEUES1APID *uint32
	ENBUES1APID *uint32
	Ext         []IE
}

// ResetType (§9.2.1): the whole S1 interface, or a list of connections.
type ResetType struct {
	All         bool
	Connections []UEAssociatedLogicalS1Connection
}

// --- conversions ----------------------------------------------------------

func extsToASN(ext []IE) asnExts {
	if ext == nil {
		return nil
	}
	out := make(asnExts, len(ext))
	for i, e := range ext {
		out[i] = asnIEField{ID: int64(e.ID), Criticality: aper.Enumerated(e.Criticality), Value: e.Value}
	}
	return out
}

func extsFromASN(a asnExts) []IE {
	if a == nil {
		return nil
	}
	out := make([]IE, len(a))
	for i, e := range a {
		out[i] = IE{ID: ProtocolIEID(e.ID), Criticality: Criticality(e.Criticality), Value: []byte(e.Value)}
	}
	return out
}

func plmnFrom(b []byte) PLMN {
	var p PLMN
	copy(p[:], b)
	return p
}

// bits returns an aper BIT STRING of n bits holding the n low bits of v.
func bits(v uint64, n int) aper.BitString {
	nb := (n + 7) / 8
	b := make([]byte, nb)
	v <<= uint(nb*8 - n)
	for i := nb - 1; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
	return aper.BitString{Bytes: b, BitLength: uint64(n)}
}

// bitsValue reads an n-bit BIT STRING (n <= 64) as an integer. aper aliases
// its input for long fixed-size strings without masking the last octet, so
// this reads exactly n bits.
func bitsValue(bs aper.BitString, n int) (uint64, error) {
	if int(bs.BitLength) != n || len(bs.Bytes) < (n+7)/8 {
		return 0, decodeErr("BIT STRING of %d bits, want %d", bs.BitLength, n)
	}
	nb := (n + 7) / 8
	var v uint64
	for _, c := range bs.Bytes[:nb] {
		v = v<<8 | uint64(c)
	}
	return v >> uint(nb*8-n), nil
}

func tlaToASN(b []byte) aper.BitString {
	return aper.BitString{Bytes: append([]byte(nil), b...), BitLength: uint64(8 * len(b))}
}

func tlaFromASN(bs aper.BitString) ([]byte, error) {
	if bs.BitLength%8 != 0 || len(bs.Bytes) < int(bs.BitLength/8) {
		return nil, decodeErr("TransportLayerAddress of %d bits", bs.BitLength)
	}
	return append([]byte(nil), bs.Bytes[:bs.BitLength/8]...), nil
}

func u16b(v uint16) aper.OctetString {
	return aper.OctetString{byte(v >> 8), byte(v)}
}

func u32b(v uint32) aper.OctetString {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, v)
	return b
}

func fixed(b []byte, n int, what string) error {
	if len(b) != n {
		return decodeErr("%s of %d octets, want %d", what, len(b), n)
	}
	return nil
}

func (t TAI) toASN() asnTAI {
	return asnTAI{PLMNIdentity: t.PLMN[:], TAC: u16b(t.TAC), IEExtensions: extsToASN(t.Ext)}
}

func taiFromASN(a asnTAI) (TAI, error) {
	if err := fixed(a.PLMNIdentity, 3, "PLMN"); err != nil {
		return TAI{}, err
	}
	if err := fixed(a.TAC, 2, "TAC"); err != nil {
		return TAI{}, err
	}
	return TAI{PLMN: plmnFrom(a.PLMNIdentity), TAC: binary.BigEndian.Uint16(a.TAC), Ext: extsFromASN(a.IEExtensions)}, nil
}

func (c EUTRANCGI) toASN() asnEUTRANCGI {
	return asnEUTRANCGI{PLMNIdentity: c.PLMN[:], CellID: bits(uint64(c.CellID), 28), IEExtensions: extsToASN(c.Ext)}
}

func cgiFromASN(a asnEUTRANCGI) (EUTRANCGI, error) {
	if err := fixed(a.PLMNIdentity, 3, "PLMN"); err != nil {
		return EUTRANCGI{}, err
	}
	id, err := bitsValue(a.CellID, 28)
	if err != nil {
		return EUTRANCGI{}, err
	}
	return EUTRANCGI{PLMN: plmnFrom(a.PLMNIdentity), CellID: uint32(id), Ext: extsFromASN(a.IEExtensions)}, nil
}

func (g GlobalENBID) toASN() (asnGlobalENBID, error) {
	a := asnGlobalENBID{PLMNIdentity: g.PLMN[:], IEExtensions: extsToASN(g.Ext)}
	switch g.Kind {
	case MacroENB:
		b := bits(uint64(g.ID), 20)
		a.ENBID = asnENBID{Present: 1, Macro: &b}
	case HomeENB:
		b := bits(uint64(g.ID), 28)
		a.ENBID = asnENBID{Present: 2, Home: &b}
	default:
		return a, encodeErr("eNB ID kind %d", g.Kind)
	}
	return a, nil
}

func globalENBIDFromASN(a asnGlobalENBID) (GlobalENBID, error) {
	g := GlobalENBID{PLMN: plmnFrom(a.PLMNIdentity), Ext: extsFromASN(a.IEExtensions)}
	if err := fixed(a.PLMNIdentity, 3, "PLMN"); err != nil {
		return g, err
	}
	var v uint64
	var err error
	switch {
	case a.ENBID.Present == 1 && a.ENBID.Macro != nil:
		g.Kind = MacroENB
		v, err = bitsValue(*a.ENBID.Macro, 20)
	case a.ENBID.Present == 2 && a.ENBID.Home != nil:
		g.Kind = HomeENB
		v, err = bitsValue(*a.ENBID.Home, 28)
	default:
		err = decodeErr("ENB-ID alternative %d", a.ENBID.Present)
	}
	g.ID = uint32(v)
	return g, err
}

func supportedTAsToASN(tas []SupportedTA) ([]asnSupportedTAItem, error) {
	out := make([]asnSupportedTAItem, len(tas))
	for i, t := range tas {
		it := asnSupportedTAItem{TAC: u16b(t.TAC)}
		for _, p := range t.BroadcastPLMNs {
			it.BroadcastPLMNs = append(it.BroadcastPLMNs, asnPLMN{Value: append(aper.OctetString(nil), p[:]...)})
		}
		exts := extsToASN(t.Ext)
		if t.RATType != nil {
			b, err := marshal(aper.Enumerated(*t.RATType), pOneTrue)
			if err != nil {
				return nil, err
			}
			exts = append(asnExts{{ID: int64(IDRATType), Criticality: aper.Enumerated(Reject), Value: b}}, exts...)
		}
		it.IEExtensions = exts
		out[i] = it
	}
	return out, nil
}

func supportedTAsFromASN(a []asnSupportedTAItem) ([]SupportedTA, error) {
	out := make([]SupportedTA, len(a))
	for i, it := range a {
		if err := fixed(it.TAC, 2, "TAC"); err != nil {
			return nil, err
		}
		t := SupportedTA{TAC: binary.BigEndian.Uint16(it.TAC)}
		for _, p := range it.BroadcastPLMNs {
			if err := fixed(p.Value, 3, "PLMN"); err != nil {
				return nil, err
			}
			t.BroadcastPLMNs = append(t.BroadcastPLMNs, plmnFrom(p.Value))
		}
		for j, e := range it.IEExtensions {
			// RAT-Type is modelled only as the first extension with the
			// table criticality, so that re-encoding is exact.
			if e.ID == int64(IDRATType) && j == 0 && e.Criticality == aper.Enumerated(Reject) {
				var v aper.Enumerated
				if err := unmarshal(e.Value, &v, pOneTrue); err == nil {
					r := RATType(v)
					t.RATType = &r
					continue
				}
			}
			t.Ext = append(t.Ext, IE{ID: ProtocolIEID(e.ID), Criticality: Criticality(e.Criticality), Value: []byte(e.Value)})
		}
		out[i] = t
	}
	return out, nil
}

func servedGUMMEIsToASN(s []ServedGUMMEI) []asnServedGUMMEIsItem {
	out := make([]asnServedGUMMEIsItem, len(s))
	for i, g := range s {
		var it asnServedGUMMEIsItem
		for _, p := range g.PLMNs {
			it.ServedPLMNs = append(it.ServedPLMNs, asnPLMN{Value: append(aper.OctetString(nil), p[:]...)})
		}
		for _, id := range g.GroupIDs {
			it.ServedGroupIDs = append(it.ServedGroupIDs, asnOctet2{Value: u16b(id)})
		}
		for _, c := range g.MMECs {
			it.ServedMMECs = append(it.ServedMMECs, asnOctet1{Value: aper.OctetString{c}})
		}
		it.IEExtensions = extsToASN(g.Ext)
		out[i] = it
	}
	return out
}

func servedGUMMEIsFromASN(a []asnServedGUMMEIsItem) ([]ServedGUMMEI, error) {
	out := make([]ServedGUMMEI, len(a))
	for i, it := range a {
		var g ServedGUMMEI
		for _, p := range it.ServedPLMNs {
			if err := fixed(p.Value, 3, "PLMN"); err != nil {
				return nil, err
			}
			g.PLMNs = append(g.PLMNs, plmnFrom(p.Value))
		}
		for _, id := range it.ServedGroupIDs {
			if err := fixed(id.Value, 2, "MME Group ID"); err != nil {
				return nil, err
			}
			g.GroupIDs = append(g.GroupIDs, binary.BigEndian.Uint16(id.Value))
		}
		for _, c := range it.ServedMMECs {
			if err := fixed(c.Value, 1, "MME Code"); err != nil {
				return nil, err
			}
			g.MMECs = append(g.MMECs, c.Value[0])
		}
		g.Ext = extsFromASN(it.IEExtensions)
		out[i] = g
	}
	return out, nil
}

func (c Cause) toASN() (asnCause, error) {
	v := aper.Enumerated(c.Value)
	var a asnCause
	switch c.Group {
	case CauseGroupRadioNetwork:
		a = asnCause{Present: 1, RadioNetwork: &v}
	case CauseGroupTransport:
		a = asnCause{Present: 2, Transport: &v}
	case CauseGroupNAS:
		a = asnCause{Present: 3, NAS: &v}
	case CauseGroupProtocol:
		a = asnCause{Present: 4, Protocol: &v}
	case CauseGroupMisc:
		a = asnCause{Present: 5, Misc: &v}
	default:
		return a, encodeErr("cause group %d", c.Group)
	}
	return a, nil
}

func causeFromASN(a asnCause) (Cause, error) {
	var p *aper.Enumerated
	switch a.Present {
	case 1:
		p = a.RadioNetwork
	case 2:
		p = a.Transport
	case 3:
		p = a.NAS
	case 4:
		p = a.Protocol
	case 5:
		p = a.Misc
	}
	if p == nil || *p > 255 {
		return Cause{}, decodeErr("cause alternative %d", a.Present)
	}
	return Cause{Group: CauseGroup(a.Present - 1), Value: uint8(*p)}, nil
}

func (c Cause) String() string {
	if g, ok := gpp.S1APCauseGroupName(uint8(c.Group)); ok {
		return fmt.Sprintf("%s(%d)", g, c.Value)
	}
	return fmt.Sprintf("Cause(%d,%d)", c.Group, c.Value)
}

func (d *CriticalityDiagnostics) toASN() asnCritDiag {
	var a asnCritDiag
	if d.ProcedureCode != nil {
		v := int64(*d.ProcedureCode)
		a.ProcedureCode = &v
	}
	if d.TriggeringMessage != nil {
		v := aper.Enumerated(*d.TriggeringMessage)
		a.TriggeringMessage = &v
	}
	if d.ProcedureCriticality != nil {
		v := aper.Enumerated(*d.ProcedureCriticality)
		a.ProcedureCriticality = &v
	}
	for _, ie := range d.IEs {
		a.IEs = append(a.IEs, asnCritDiagIE{IECriticality: aper.Enumerated(ie.Criticality), IEID: int64(ie.ID),
			TypeOfError: aper.Enumerated(ie.TypeOfError), IEExtensions: extsToASN(ie.Ext)})
	}
	a.IEExtensions = extsToASN(d.Ext)
	return a
}

func critDiagFromASN(a asnCritDiag) (*CriticalityDiagnostics, error) {
	d := &CriticalityDiagnostics{Ext: extsFromASN(a.IEExtensions)}
	if a.ProcedureCode != nil {
		v := ProcedureCode(*a.ProcedureCode)
		d.ProcedureCode = &v
	}
	if a.TriggeringMessage != nil {
		v := PDUType(*a.TriggeringMessage)
		d.TriggeringMessage = &v
	}
	if a.ProcedureCriticality != nil {
		v := Criticality(*a.ProcedureCriticality)
		d.ProcedureCriticality = &v
	}
	for _, ie := range a.IEs {
		if ie.TypeOfError > 255 {
			return nil, decodeErr("TypeOfError %d", ie.TypeOfError)
		}
		d.IEs = append(d.IEs, CriticalityDiagnosticsIE{Criticality: Criticality(ie.IECriticality), ID: ProtocolIEID(ie.IEID),
			TypeOfError: TypeOfError(ie.TypeOfError), Ext: extsFromASN(ie.IEExtensions)})
	}
	return d, nil
}

func (s STMSI) toASN() asnSTMSI {
	return asnSTMSI{MMEC: aper.OctetString{s.MMEC}, MTMSI: u32b(s.MTMSI), IEExtensions: extsToASN(s.Ext)}
}

func stmsiFromASN(a asnSTMSI) (STMSI, error) {
	if err := fixed(a.MMEC, 1, "MMEC"); err != nil {
		return STMSI{}, err
	}
	if err := fixed(a.MTMSI, 4, "M-TMSI"); err != nil {
		return STMSI{}, err
	}
	return STMSI{MMEC: a.MMEC[0], MTMSI: binary.BigEndian.Uint32(a.MTMSI), Ext: extsFromASN(a.IEExtensions)}, nil
}

func (g GUMMEI) toASN() asnGUMMEI {
	return asnGUMMEI{PLMNIdentity: g.PLMN[:], MMEGroupID: u16b(g.MMEGroupID), MMECode: aper.OctetString{g.MMEC}, IEExtensions: extsToASN(g.Ext)}
}

func gummeiFromASN(a asnGUMMEI) (GUMMEI, error) {
	if fixed(a.PLMNIdentity, 3, "") != nil || fixed(a.MMEGroupID, 2, "") != nil || fixed(a.MMECode, 1, "") != nil {
		return GUMMEI{}, decodeErr("GUMMEI field sizes")
	}
	return GUMMEI{PLMN: plmnFrom(a.PLMNIdentity), MMEGroupID: binary.BigEndian.Uint16(a.MMEGroupID), MMEC: a.MMECode[0], Ext: extsFromASN(a.IEExtensions)}, nil
}

const maxBitRate = 10000000000

func bitRate(v uint64) (int64, error) {
	if v > maxBitRate {
		return 0, encodeErr("bit rate %d above 10^10 (use the extended bit rate IEs)", v)
	}
	return int64(v), nil
}

func (u UEAggregateMaximumBitrate) toASN() (asnUEAMBR, error) {
	dl, err := bitRate(u.DL)
	if err != nil {
		return asnUEAMBR{}, err
	}
	ul, err := bitRate(u.UL)
	return asnUEAMBR{DL: dl, UL: ul, IEExtensions: extsToASN(u.Ext)}, err
}

func ambrFromASN(a asnUEAMBR) UEAggregateMaximumBitrate {
	return UEAggregateMaximumBitrate{DL: uint64(a.DL), UL: uint64(a.UL), Ext: extsFromASN(a.IEExtensions)}
}

func (q ERABLevelQoSParameters) toASN() (asnQoS, error) {
	a := asnQoS{QCI: int64(q.QCI), IEExtensions: extsToASN(q.Ext),
		ARP: asnARP{PriorityLevel: int64(q.ARP.PriorityLevel), PreemptionCapability: aper.Enumerated(q.ARP.PreemptionCapability),
			PreemptionVulnerability: aper.Enumerated(q.ARP.PreemptionVulnerability), IEExtensions: extsToASN(q.ARP.Ext)}}
	if q.GBR != nil {
		g := &asnGBR{IEExtensions: extsToASN(q.GBR.Ext)}
		var err error
		for _, p := range []struct {
			d *int64
			v uint64
		}{{&g.MaxDL, q.GBR.MaxBitrateDL}, {&g.MaxUL, q.GBR.MaxBitrateUL}, {&g.GuaranteedDL, q.GBR.GuaranteedBitrateDL}, {&g.GuaranteedUL, q.GBR.GuaranteedBitrateUL}} {
			if *p.d, err = bitRate(p.v); err != nil {
				return a, err
			}
		}
		a.GBR = g
	}
	return a, nil
}

func qosFromASN(a asnQoS) ERABLevelQoSParameters {
	q := ERABLevelQoSParameters{QCI: uint8(a.QCI), Ext: extsFromASN(a.IEExtensions),
		ARP: AllocationRetentionPriority{PriorityLevel: uint8(a.ARP.PriorityLevel), PreemptionCapability: uint8(a.ARP.PreemptionCapability),
			PreemptionVulnerability: uint8(a.ARP.PreemptionVulnerability), Ext: extsFromASN(a.ARP.IEExtensions)}}
	if a.GBR != nil {
		q.GBR = &GBRQosInformation{MaxBitrateDL: uint64(a.GBR.MaxDL), MaxBitrateUL: uint64(a.GBR.MaxUL),
			GuaranteedBitrateDL: uint64(a.GBR.GuaranteedDL), GuaranteedBitrateUL: uint64(a.GBR.GuaranteedUL), Ext: extsFromASN(a.GBR.IEExtensions)}
	}
	return q
}

func (u UESecurityCapabilities) toASN() asnUESecCap {
	return asnUESecCap{Encryption: bits(uint64(u.EncryptionAlgorithms), 16), Integrity: bits(uint64(u.IntegrityProtectionAlgorithms), 16), IEExtensions: extsToASN(u.Ext)}
}

func uesecFromASN(a asnUESecCap) (UESecurityCapabilities, error) {
	e, err := bitsValue(a.Encryption, 16)
	if err != nil {
		return UESecurityCapabilities{}, err
	}
	i, err := bitsValue(a.Integrity, 16)
	return UESecurityCapabilities{EncryptionAlgorithms: uint16(e), IntegrityProtectionAlgorithms: uint16(i), Ext: extsFromASN(a.IEExtensions)}, err
}

func (u UES1APIDs) toASN() asnUES1APIDs {
	if u.ENBUES1APID != nil {
		return asnUES1APIDs{Present: 1, Pair: &asnUES1APIDPair{MMEUES1APID: int64(u.MMEUES1APID), ENBUES1APID: int64(*u.ENBUES1APID), IEExtensions: extsToASN(u.Ext)}}
	}
	v := int64(u.MMEUES1APID)
	return asnUES1APIDs{Present: 2, MMEUES1APID: &v}
}

func ues1apidsFromASN(a asnUES1APIDs) (UES1APIDs, error) {
	switch {
	case a.Present == 1 && a.Pair != nil:
		e := uint32(a.Pair.ENBUES1APID)
		return UES1APIDs{MMEUES1APID: uint32(a.Pair.MMEUES1APID), ENBUES1APID: &e, Ext: extsFromASN(a.Pair.IEExtensions)}, nil
	case a.Present == 2 && a.MMEUES1APID != nil:
		return UES1APIDs{MMEUES1APID: uint32(*a.MMEUES1APID)}, nil
	}
	return UES1APIDs{}, decodeErr("UE-S1AP-IDs alternative %d", a.Present)
}

func (p UEPagingID) toASN() (asnUEPagingID, error) {
	switch {
	case p.STMSI != nil && p.IMSI == nil:
		s := p.STMSI.toASN()
		return asnUEPagingID{Present: 1, STMSI: &s}, nil
	case p.STMSI == nil && p.IMSI != nil:
		i := aper.OctetString(p.IMSI)
		return asnUEPagingID{Present: 2, IMSI: &i}, nil
	}
	return asnUEPagingID{}, encodeErr("UE paging identity: set exactly one of S-TMSI and IMSI")
}

func pagingIDFromASN(a asnUEPagingID) (UEPagingID, error) {
	switch {
	case a.Present == 1 && a.STMSI != nil:
		s, err := stmsiFromASN(*a.STMSI)
		return UEPagingID{STMSI: &s}, err
	case a.Present == 2 && a.IMSI != nil:
		return UEPagingID{IMSI: []byte(*a.IMSI)}, nil
	}
	return UEPagingID{}, decodeErr("UEPagingID alternative %d", a.Present)
}

func (u UserLocationInformation) toASN() asnULI {
	return asnULI{EUTRANCGI: u.EUTRANCGI.toASN(), TAI: u.TAI.toASN(), IEExtensions: extsToASN(u.Ext)}
}

func uliFromASN(a asnULI) (UserLocationInformation, error) {
	c, err := cgiFromASN(a.EUTRANCGI)
	if err != nil {
		return UserLocationInformation{}, err
	}
	t, err := taiFromASN(a.TAI)
	return UserLocationInformation{EUTRANCGI: c, TAI: t, Ext: extsFromASN(a.IEExtensions)}, err
}

func (c UEAssociatedLogicalS1Connection) toASN() asnUEAssocS1Conn {
	var a asnUEAssocS1Conn
	if c.MMEUES1APID != nil {
		v := int64(*c.MMEUES1APID)
		a.MMEUES1APID = &v
	}
	if c.ENBUES1APID != nil {
		v := int64(*c.ENBUES1APID)
		a.ENBUES1APID = &v
	}
	a.IEExtensions = extsToASN(c.Ext)
	return a
}

func s1connFromASN(a asnUEAssocS1Conn) UEAssociatedLogicalS1Connection {
	var c UEAssociatedLogicalS1Connection
	if a.MMEUES1APID != nil {
		v := uint32(*a.MMEUES1APID)
		c.MMEUES1APID = &v
	}
	if a.ENBUES1APID != nil {
		v := uint32(*a.ENBUES1APID)
		c.ENBUES1APID = &v
	}
	c.Ext = extsFromASN(a.IEExtensions)
	return c
}
