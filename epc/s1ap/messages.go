package s1ap

import "github.com/free5gc/aper"

// Typed messages (TS 36.413 §9.1, ASN.1 §9.3.3). Each struct holds the IEs
// of its table. The tables themselves (IE id, criticality, presence, field
// and how it is coded) are in internal/s1apgen/tables.go: s1apgen writes
// from them each message's encodeIEs (table order, table criticalities),
// decodeIE, mandatory IE list, Procedure, PDUType and newTyped into
// messages_gen.go; the IEs coded by hand are the enc<Field>/dec<Field>
// methods next to their struct here. Fields of pointer or slice type are
// optional IEs (nil means absent). IEs a struct does not model are kept raw
// in Other, in wire order when parsed, and appended after the modelled IEs
// when encoded.

//go:generate go run ./internal/s1apgen

// RRCEstablishmentCause (§9.2.1).
type RRCEstablishmentCause uint8

// RRC-Establishment-Cause values (the last three are extension values).
const (
	RRCEmergency           RRCEstablishmentCause = 0
	RRCHighPriorityAccess  RRCEstablishmentCause = 1
	RRCMTAccess            RRCEstablishmentCause = 2
	RRCMOSignalling        RRCEstablishmentCause = 3
	RRCMOData              RRCEstablishmentCause = 4
	RRCDelayTolerantAccess RRCEstablishmentCause = 5
	RRCMOVoiceCall         RRCEstablishmentCause = 6
	RRCMOExceptionData     RRCEstablishmentCause = 7 // Rel-13, NB-IoT exception reporting
)

// PagingDRX (§9.2.1): v32, v64, v128, v256 radio frames.
type PagingDRX uint8

// PagingDRX values.
const (
	PagingDRX32 PagingDRX = iota
	PagingDRX64
	PagingDRX128
	PagingDRX256
)

// NBIoTDefaultPagingDRX: v128, v256, v512, v1024.
type NBIoTDefaultPagingDRX uint8

// NB-IoT-DefaultPagingDRX values.
const (
	NBIoTDefaultPagingDRX128 NBIoTDefaultPagingDRX = iota
	NBIoTDefaultPagingDRX256
	NBIoTDefaultPagingDRX512
	NBIoTDefaultPagingDRX1024
)

// NBIoTPagingDRX (Rel-16 UE specific DRX for NB-IoT): v32 .. v1024.
type NBIoTPagingDRX uint8

// NB-IoT-PagingDRX values.
const (
	NBIoTPagingDRX32 NBIoTPagingDRX = iota
	NBIoTPagingDRX64
	NBIoTPagingDRX128
	NBIoTPagingDRX256
	NBIoTPagingDRX512
	NBIoTPagingDRX1024
)

// CNDomain (§9.2.3).
type CNDomain uint8

// CNDomain values.
const (
	CNDomainPS CNDomain = 0
	CNDomainCS CNDomain = 1
)

// TimeToWait (§9.2.1): v1s, v2s, v5s, v10s, v20s, v60s.
type TimeToWait uint8

// EndIndication values (Rel-14 CP CIoT).
const (
	NoFurtherData     uint8 = 0
	FurtherDataExists uint8 = 1
)

const (
	pPagingPrio   = "valueExt,valueLB:0,valueUB:7"
	pNBDefDRX     = "valueExt,valueLB:0,valueUB:3"
	pNBDRX        = "valueExt,valueLB:0,valueUB:5"
	pCNDomain     = "valueLB:0,valueUB:1"
	pTimeToWait   = "valueExt,valueLB:0,valueUB:5"
	pGUMMEIType   = "valueExt,valueLB:0,valueUB:1"
	pCSFB         = "valueExt,valueLB:0,valueUB:0"
	pEndInd       = "valueExt,valueLB:0,valueUB:1"
	pCEModeB      = "valueExt,valueLB:0,valueUB:1"
	pSPID         = "valueLB:1,valueUB:256"
	pRelCap       = "valueLB:0,valueUB:255"
	pSecurityKey  = "sizeLB:256,sizeUB:256"
	pUEIdxValue   = "sizeLB:10,sizeUB:10"
	pExtUEIdx     = "sizeLB:14,sizeUB:14"
	pNBUEIdx      = "sizeLB:12,sizeUB:12"
	pMaskedIMEISV = "sizeLB:64,sizeUB:64"
	pMMEGroupID   = "sizeLB:2,sizeUB:2"
	pResetType    = "valueExt,valueLB:0,valueUB:1"
	pUEPagingID   = "valueExt,valueLB:0,valueUB:1"
	pResetAll     = "valueExt,valueLB:0,valueUB:0"
)

// --- S1 Setup (§9.1.8) ---------------------------------------------------

// S1SetupRequest (§9.1.8, eNB -> MME).
type S1SetupRequest struct {
	GlobalENBID           GlobalENBID
	ENBName               *string
	SupportedTAs          []SupportedTA
	DefaultPagingDRX      PagingDRX
	UERetention           bool                   // UE-RetentionInformation ues-retained
	NBIoTDefaultPagingDRX *NBIoTDefaultPagingDRX // Rel-13
	Other                 []IE
	Wire
}

func (m *S1SetupRequest) encGlobalENBID(w *ieWriter, id ProtocolIEID, c Criticality) {
	if g, err := m.GlobalENBID.toASN(); err != nil {
		w.fail(id, err)
	} else {
		w.put(id, c, &g, pSeqExt)
	}
}

func (m *S1SetupRequest) decGlobalENBID(_ ProtocolIEID, b []byte) error {
	return into(&m.GlobalENBID, b, pSeqExt, globalENBIDFromASN)
}

func (m *S1SetupRequest) encENBName(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.ENBName != nil {
		w.put(id, c, *m.ENBName, pMMEname)
	}
}

func (m *S1SetupRequest) decENBName(_ ProtocolIEID, b []byte) error {
	return stringIntoP(&m.ENBName, b)
}

func (m *S1SetupRequest) encSupportedTAs(w *ieWriter, id ProtocolIEID, c Criticality) {
	if tas, err := supportedTAsToASN(m.SupportedTAs); err != nil {
		w.fail(id, err)
	} else {
		w.put(id, c, tas, pSupportedTAs)
	}
}

func (m *S1SetupRequest) decSupportedTAs(_ ProtocolIEID, b []byte) error {
	return into(&m.SupportedTAs, b, pSupportedTAs, supportedTAsFromASN)
}

// stringIntoP decodes a PrintableString of 1..150 characters (ENBname,
// MMEname).
func stringIntoP(dst **string, b []byte) error {
	return intoP(dst, b, pMMEname, func(s string) (string, error) { return s, nil })
}

// S1SetupResponse (§9.1.8, MME -> eNB).
type S1SetupResponse struct {
	MMEName                *string
	ServedGUMMEIs          []ServedGUMMEI
	RelativeMMECapacity    uint8
	MMERelaySupport        bool
	CriticalityDiagnostics *CriticalityDiagnostics
	UERetention            bool
	Other                  []IE
	Wire
}

func (m *S1SetupResponse) encMMEName(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.MMEName != nil {
		w.put(id, c, *m.MMEName, pMMEname)
	}
}

func (m *S1SetupResponse) decMMEName(_ ProtocolIEID, b []byte) error {
	return stringIntoP(&m.MMEName, b)
}

func (m *S1SetupResponse) encServedGUMMEIs(w *ieWriter, id ProtocolIEID, c Criticality) {
	w.put(id, c, servedGUMMEIsToASN(m.ServedGUMMEIs), pServedGUMMEIs)
}

func (m *S1SetupResponse) decServedGUMMEIs(_ ProtocolIEID, b []byte) error {
	return into(&m.ServedGUMMEIs, b, pServedGUMMEIs, servedGUMMEIsFromASN)
}

// S1SetupFailure (§9.1.8).
type S1SetupFailure struct {
	Cause                  Cause
	TimeToWait             *TimeToWait
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

// --- NAS transport (§9.1.7) ------------------------------------------------

// InitialUEMessage (§9.1.7, eNB -> MME). The RAT of an NB-IoT cell is not
// an IE of this message: the MME derives it from the TAI, whose TAC the eNB
// declared with RAT-Type nbiot in S1 Setup (SupportedTA.RATType).
type InitialUEMessage struct {
	ENBUES1APID           uint32
	NASPDU                []byte
	TAI                   TAI
	EUTRANCGI             EUTRANCGI
	RRCEstablishmentCause RRCEstablishmentCause
	STMSI                 *STMSI
	GUMMEI                *GUMMEI
	GWTransportLayerAddr  []byte // L-GW address (LIPA)
	RelayNode             bool
	GUMMEIType            *uint8 // 0 native, 1 mapped, 2 mappedFrom5G
	MMEGroupID            *uint16
	UEUsageType           *uint8
	CEModeBSupport        bool // CE-mode-B-SupportIndicator supported
	DCNID                 *uint16
	CoverageLevelExtended bool // Coverage-Level extendedcoverage
	EDTSession            bool // Rel-15 early data transmission
	Other                 []IE
	Wire
}

func (m *InitialUEMessage) encMMEGroupID(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.MMEGroupID != nil {
		w.put(id, c, u16b(*m.MMEGroupID), pMMEGroupID)
	}
}

func (m *InitialUEMessage) decMMEGroupID(_ ProtocolIEID, b []byte) error {
	return intoP(&m.MMEGroupID, b, pMMEGroupID, octets2ToU16)
}

func octets2ToU16(o aper.OctetString) (uint16, error) {
	if len(o) != 2 {
		return 0, decodeErr("want 2 octets")
	}
	return uint16(o[0])<<8 | uint16(o[1]), nil
}

// DownlinkNASTransport (§9.1.7, MME -> eNB).
type DownlinkNASTransport struct {
	MMEUES1APID                uint32
	ENBUES1APID                uint32
	NASPDU                     []byte
	SubscriberProfileIDforRFP  *uint16 // 1..256
	SRVCCOperationPossible     bool
	UERadioCapability          []byte
	DLNASPDUDeliveryAckRequest bool // Rel-14: ask for NAS Delivery Indication
	EnhancedCoverageRestricted bool
	CEModeBRestricted          *uint8 // 0 restricted, 1 not-restricted
	UECapabilityInfoRequest    bool   // Rel-14
	EndIndication              *uint8 // NoFurtherData / FurtherDataExists
	PendingDataIndication      bool   // Rel-15
	Other                      []IE
	Wire
}

// UplinkNASTransport (§9.1.7, eNB -> MME).
type UplinkNASTransport struct {
	MMEUES1APID          uint32
	ENBUES1APID          uint32
	NASPDU               []byte
	EUTRANCGI            EUTRANCGI
	TAI                  TAI
	GWTransportLayerAddr []byte
	Other                []IE
	Wire
}

// NASNonDeliveryIndication (§9.1.7, eNB -> MME).
type NASNonDeliveryIndication struct {
	MMEUES1APID uint32
	ENBUES1APID uint32
	NASPDU      []byte
	Cause       Cause
	Other       []IE
	Wire
}

// NASDeliveryIndication (§9.1.7, Rel-14, eNB -> MME): acknowledges a
// Downlink NAS Transport that had DLNASPDUDeliveryAckRequest set.
type NASDeliveryIndication struct {
	MMEUES1APID uint32
	ENBUES1APID uint32
	Other       []IE
	Wire
}

// ConnectionEstablishmentIndication (§9.1.4, Rel-13, MME -> eNB): ends
// the establishment of a UE-associated logical S1 connection without
// Initial Context Setup (Control Plane CIoT EPS optimisation).
type ConnectionEstablishmentIndication struct {
	MMEUES1APID                uint32
	ENBUES1APID                uint32
	UERadioCapability          []byte
	EnhancedCoverageRestricted bool
	DLNASMAC                   *uint16 // DL-CP-SecurityInformation (Rel-14)
	CEModeBRestricted          *uint8
	EndIndication              *uint8
	UELevelQoS                 *ERABLevelQoSParameters // Rel-15
	Other                      []IE
	Wire
}

func (m *ConnectionEstablishmentIndication) encDLNASMAC(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.DLNASMAC != nil {
		a := asnDLCPSecInfo{DLNASMAC: bits(uint64(*m.DLNASMAC), 16)}
		w.put(id, c, &a, pSeqExt)
	}
}

func (m *ConnectionEstablishmentIndication) decDLNASMAC(_ ProtocolIEID, b []byte) error {
	return intoP(&m.DLNASMAC, b, pSeqExt, func(a asnDLCPSecInfo) (uint16, error) {
		if a.IEExtensions != nil {
			return 0, errNotRepresentable
		}
		v, err := bitsValue(a.DLNASMAC, 16)
		return uint16(v), err
	})
}

func (m *ConnectionEstablishmentIndication) encUELevelQoS(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.UELevelQoS != nil {
		a, err := m.UELevelQoS.toASN()
		if err != nil {
			w.fail(id, err)
			return
		}
		w.put(id, c, &a, pSeqExt)
	}
}

func (m *ConnectionEstablishmentIndication) decUELevelQoS(_ ProtocolIEID, b []byte) error {
	return intoP(&m.UELevelQoS, b, pSeqExt, noErr(qosFromASN))
}

// --- Initial Context Setup (§9.1.4) ------------------------------------

// InitialContextSetupRequest (§9.1.4, MME -> eNB).
type InitialContextSetupRequest struct {
	MMEUES1APID                     uint32
	ENBUES1APID                     uint32
	UEAggregateMaximumBitrate       UEAggregateMaximumBitrate
	ERABs                           []ERABToBeSetupItem // NASPDU optional per item
	UESecurityCapabilities          UESecurityCapabilities
	SecurityKey                     SecurityKey
	UERadioCapability               []byte
	SubscriberProfileIDforRFP       *uint16
	CSFallbackIndicator             *uint8 // 0 cs-fallback-required, 1 cs-fallback-high-priority
	SRVCCOperationPossible          bool
	GUMMEI                          *GUMMEI
	MMEUES1APID2                    *uint32
	MaskedIMEISV                    *uint64
	UEUserPlaneCIoTSupportIndicator bool
	EnhancedCoverageRestricted      bool
	CEModeBRestricted               *uint8
	Other                           []IE
	Wire
}

func (m *InitialContextSetupRequest) encERABs(w *ieWriter, id ProtocolIEID, c Criticality) {
	w.singles(id, c, IDERABToBeSetupItemCtxtSUReq, Reject, len(m.ERABs), func(i int) (any, error) {
		e := m.ERABs[i]
		q, err := e.QoS.toASN()
		return &asnERABToBeSetupCtxt{ERABID: int64(e.ERABID), QoS: q, TLA: tlaToASN(e.TransportLayerAddress),
			GTPTEID: u32b(e.GTPTEID), NASPDU: e.NASPDU, IEExtensions: extsToASN(e.Ext)}, err
	})
}

func (m *InitialContextSetupRequest) decERABs(id ProtocolIEID, b []byte) error {
	var list []ERABToBeSetupItem
	err := singlesInto(&m.Wire, id, b, IDERABToBeSetupItemCtxtSUReq, Reject, func(v []byte) error {
		var e ERABToBeSetupItem
		err := into(&e, v, pSeqExt, erabToBeSetupFromCtxt)
		list = append(list, e)
		return err
	})
	if err == nil {
		m.ERABs = list
	}
	return err
}

func (m *InitialContextSetupRequest) encUESecurityCapabilities(w *ieWriter, id ProtocolIEID, c Criticality) {
	s := m.UESecurityCapabilities.toASN()
	w.put(id, c, &s, pSeqExt)
}

func (m *InitialContextSetupRequest) decUESecurityCapabilities(_ ProtocolIEID, b []byte) error {
	return into(&m.UESecurityCapabilities, b, pSeqExt, uesecFromASN)
}

func (m *InitialContextSetupRequest) encSecurityKey(w *ieWriter, id ProtocolIEID, c Criticality) {
	w.put(id, c, aper.BitString{Bytes: append([]byte(nil), m.SecurityKey[:]...), BitLength: 256}, pSecurityKey)
}

func (m *InitialContextSetupRequest) decSecurityKey(_ ProtocolIEID, b []byte) error {
	return into(&m.SecurityKey, b, pSecurityKey, func(bs aper.BitString) (SecurityKey, error) {
		var k SecurityKey
		if bs.BitLength != 256 || len(bs.Bytes) < 32 {
			return k, decodeErr("SecurityKey of %d bits", bs.BitLength)
		}
		copy(k[:], bs.Bytes)
		return k, nil
	})
}

func (m *InitialContextSetupRequest) encMaskedIMEISV(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.MaskedIMEISV != nil {
		w.put(id, c, bits(*m.MaskedIMEISV, 64), pMaskedIMEISV)
	}
}

func (m *InitialContextSetupRequest) decMaskedIMEISV(_ ProtocolIEID, b []byte) error {
	return intoP(&m.MaskedIMEISV, b, pMaskedIMEISV, func(bs aper.BitString) (uint64, error) { return bitsValue(bs, 64) })
}

func erabToBeSetupFromCtxt(a asnERABToBeSetupCtxt) (ERABToBeSetupItem, error) {
	tla, err := tlaFromASN(a.TLA)
	if err != nil || len(a.GTPTEID) != 4 {
		return ERABToBeSetupItem{}, decodeErr("E-RAB %d transport address/TEID", a.ERABID)
	}
	return ERABToBeSetupItem{ERABID: uint8(a.ERABID), QoS: qosFromASN(a.QoS), TransportLayerAddress: tla,
		GTPTEID: be32(a.GTPTEID), NASPDU: []byte(a.NASPDU), Ext: extsFromASN(a.IEExtensions)}, nil
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// InitialContextSetupResponse (§9.1.4, eNB -> MME).
type InitialContextSetupResponse struct {
	MMEUES1APID            uint32
	ENBUES1APID            uint32
	ERABSetup              []ERABSetupItem
	ERABFailedToSetup      []ERABItem
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

func (w *ieWriter) erabSetupList(id, itemID ProtocolIEID, l []ERABSetupItem) {
	if l == nil && id != IDERABSetupListCtxtSURes {
		return
	}
	w.singles(id, Ignore, itemID, Ignore, len(l), func(i int) (any, error) {
		e := l[i]
		return &asnERABSetupItem{ERABID: int64(e.ERABID), TLA: tlaToASN(e.TransportLayerAddress), GTPTEID: u32b(e.GTPTEID), IEExtensions: extsToASN(e.Ext)}, nil
	})
}

func erabSetupListInto(wi *Wire, listID ProtocolIEID, dst *[]ERABSetupItem, b []byte, itemID ProtocolIEID) error {
	var list []ERABSetupItem
	err := singlesInto(wi, listID, b, itemID, Ignore, func(v []byte) error {
		a, err := get[asnERABSetupItem](v, pSeqExt)
		if err != nil {
			return err
		}
		tla, err := tlaFromASN(a.TLA)
		if err != nil || len(a.GTPTEID) != 4 {
			return decodeErr("E-RAB %d transport address/TEID", a.ERABID)
		}
		list = append(list, ERABSetupItem{ERABID: uint8(a.ERABID), TransportLayerAddress: tla, GTPTEID: be32(a.GTPTEID), Ext: extsFromASN(a.IEExtensions)})
		return nil
	})
	if err == nil {
		*dst = list
	}
	return err
}

// erabList encodes an E-RABList (items id-E-RABItem, criticality ignore);
// an optional one only when non-nil.
func (w *ieWriter) erabList(id ProtocolIEID, c Criticality, l []ERABItem, mandatory bool) {
	if l == nil && !mandatory {
		return
	}
	w.singles(id, c, IDERABItem, Ignore, len(l), func(i int) (any, error) {
		ca, err := l[i].Cause.toASN()
		return &asnERABItem{ERABID: int64(l[i].ERABID), Cause: ca, IEExtensions: extsToASN(l[i].Ext)}, err
	})
}

func erabListInto(wi *Wire, listID ProtocolIEID, dst *[]ERABItem, b []byte) error {
	var list []ERABItem
	err := singlesInto(wi, listID, b, IDERABItem, Ignore, func(v []byte) error {
		a, err := get[asnERABItem](v, pSeqExt)
		if err != nil {
			return err
		}
		c, err := causeFromASN(a.Cause)
		list = append(list, ERABItem{ERABID: uint8(a.ERABID), Cause: c, Ext: extsFromASN(a.IEExtensions)})
		return err
	})
	if err == nil {
		*dst = list
	}
	return err
}

func (w *ieWriter) erabIDList(id, itemID ProtocolIEID, l []ERABIDItem) {
	if l == nil {
		return
	}
	w.singles(id, Ignore, itemID, Ignore, len(l), func(i int) (any, error) {
		return &asnERABIDItem{ERABID: int64(l[i].ERABID), IEExtensions: extsToASN(l[i].Ext)}, nil
	})
}

func erabIDListInto(wi *Wire, listID ProtocolIEID, dst *[]ERABIDItem, b []byte, itemID ProtocolIEID) error {
	var list []ERABIDItem
	err := singlesInto(wi, listID, b, itemID, Ignore, func(v []byte) error {
		a, err := get[asnERABIDItem](v, pSeqExt)
		list = append(list, ERABIDItem{ERABID: uint8(a.ERABID), Ext: extsFromASN(a.IEExtensions)})
		return err
	})
	if err == nil {
		*dst = list
	}
	return err
}

// InitialContextSetupFailure (§9.1.4, eNB -> MME).
type InitialContextSetupFailure struct {
	MMEUES1APID            uint32
	ENBUES1APID            uint32
	Cause                  Cause
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

// --- UE Context Release (§9.1.4) ---------------------------------------

// UEContextReleaseRequest (§9.1.4, eNB -> MME).
type UEContextReleaseRequest struct {
	MMEUES1APID                uint32
	ENBUES1APID                uint32
	Cause                      Cause
	GWContextReleaseIndication bool
	Other                      []IE
	Wire
}

// UEContextReleaseCommand (§9.1.4, MME -> eNB).
type UEContextReleaseCommand struct {
	UES1APIDs UES1APIDs
	Cause     Cause
	Other     []IE
	Wire
}

func (m *UEContextReleaseCommand) encUES1APIDs(w *ieWriter, id ProtocolIEID, c Criticality) {
	start := len(w.buf)
	if b, ok := appendUES1APIDs(w.buf, m.UES1APIDs); ok {
		w.buf = b
		w.value(id, c, start)
	} else {
		a := m.UES1APIDs.toASN()
		w.put(id, c, &a, pChoice2X)
	}
}

func (m *UEContextReleaseCommand) decUES1APIDs(_ ProtocolIEID, b []byte) error {
	if v, ok := decUES1APIDs(b); ok {
		m.UES1APIDs = v
		return nil
	}
	return into(&m.UES1APIDs, b, pChoice2X, ues1apidsFromASN)
}

// UEContextReleaseComplete (§9.1.4, eNB -> MME).
type UEContextReleaseComplete struct {
	MMEUES1APID             uint32
	ENBUES1APID             uint32
	CriticalityDiagnostics  *CriticalityDiagnostics
	UserLocationInformation *UserLocationInformation
	CellCELevel             *CellIdentifierAndCELevel // Rel-13 CE paging assistance
	Other                   []IE
	Wire
}

func (m *UEContextReleaseComplete) encCellCELevel(w *ieWriter, id ProtocolIEID, c Criticality) {
	if x := m.CellCELevel; x != nil {
		a := asnCellCELevel{CellID: x.Cell.toASN(), CELevel: x.CELevel, IEExtensions: extsToASN(x.Ext)}
		w.put(id, c, &a, pSeqExt)
	}
}

func (m *UEContextReleaseComplete) decCellCELevel(_ ProtocolIEID, b []byte) error {
	return intoP(&m.CellCELevel, b, pSeqExt, func(a asnCellCELevel) (CellIdentifierAndCELevel, error) {
		c, err := cgiFromASN(a.CellID)
		return CellIdentifierAndCELevel{Cell: c, CELevel: nonNil(a.CELevel), Ext: extsFromASN(a.IEExtensions)}, err
	})
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// --- Paging (§9.1.6) -------------------------------------------------------

// Paging (§9.1.6, MME -> eNB), with the Rel-13/14 NB-IoT and eDRX IEs.
type Paging struct {
	UEIdentityIndexValue       uint16 // 10 bits: IMSI mod 1024
	UEPagingID                 UEPagingID
	PagingDRX                  *PagingDRX
	CNDomain                   CNDomain
	TAIs                       []TAI
	PagingPriority             *uint8 // 0 = priolevel1 .. 7 = priolevel8
	UERadioCapabilityForPaging []byte
	PagingEDRX                 *PagingEDRXInformation      // WB-E-UTRAN eDRX (id 227)
	ExtendedUEIdentityIndex    *uint16                     // 14 bits (id 231)
	NBIoTPagingEDRX            *NBIoTPagingEDRXInformation // id 239
	NBIoTUEIdentityIndex       *uint16                     // 12 bits: IMSI mod 4096 (id 244)
	EnhancedCoverageRestricted bool
	CEModeBRestricted          *uint8
	NBIoTPagingDRX             *NBIoTPagingDRX // Rel-16 (id 324)
	Other                      []IE
	Wire
}

func (m *Paging) encUEIdentityIndexValue(w *ieWriter, id ProtocolIEID, c Criticality) {
	if b, ok := encBits16(m.UEIdentityIndexValue, 10); ok {
		w.raw(id, c, b)
	} else {
		w.put(id, c, bits(uint64(m.UEIdentityIndexValue), 10), pUEIdxValue)
	}
}

func (m *Paging) decUEIdentityIndexValue(_ ProtocolIEID, b []byte) error {
	if v, ok := decBits16(b, 10); ok {
		m.UEIdentityIndexValue = v
		return nil
	}
	return bitsInto(&m.UEIdentityIndexValue, b, pUEIdxValue, 10)
}

func (m *Paging) encUEPagingID(w *ieWriter, id ProtocolIEID, c Criticality) {
	if b, ok := encPagingID(m.UEPagingID); ok {
		w.raw(id, c, b)
	} else if pid, err := m.UEPagingID.toASN(); err != nil {
		w.fail(id, err)
	} else {
		w.put(id, c, &pid, pUEPagingID)
	}
}

func (m *Paging) decUEPagingID(_ ProtocolIEID, b []byte) error {
	if v, ok := decPagingID(b); ok {
		m.UEPagingID = v
		return nil
	}
	return into(&m.UEPagingID, b, pUEPagingID, pagingIDFromASN)
}

func (m *Paging) encCNDomain(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.CNDomain <= CNDomainCS {
		w.raw(id, c, []byte{byte(m.CNDomain) << 7})
	} else {
		w.enum(id, c, uint64(m.CNDomain), pCNDomain)
	}
}

func (m *Paging) decCNDomain(_ ProtocolIEID, b []byte) error {
	if len(b) == 1 && b[0]&0x7f == 0 {
		m.CNDomain = CNDomain(b[0] >> 7)
		return nil
	}
	return enumInto(&m.CNDomain, b, pCNDomain)
}

func (m *Paging) encTAIs(w *ieWriter, id ProtocolIEID, c Criticality) {
	if b, ok := encTAIList(m.TAIs, func(i int) Criticality { return w.itemCrit(id, i, len(m.TAIs), Ignore) }); ok {
		w.raw(id, c, b)
	} else {
		w.singles(id, c, IDTAIItem, Ignore, len(m.TAIs), func(i int) (any, error) {
			return &asnTAIItem{TAI: m.TAIs[i].toASN()}, nil
		})
	}
}

func (m *Paging) decTAIs(id ProtocolIEID, b []byte) error {
	if tais, crits, ok := decTAIList(b); ok {
		m.TAIs = tais
		for _, c := range crits {
			if c != Ignore {
				if m.Wire.items == nil {
					m.Wire.items = map[ProtocolIEID][]Criticality{}
				}
				m.Wire.items[id] = crits
				break
			}
		}
		return nil
	}
	var list []TAI
	err := singlesInto(&m.Wire, id, b, IDTAIItem, Ignore, func(v []byte) error {
		a, err := get[asnTAIItem](v, pSeqExt)
		if err != nil {
			return err
		}
		if a.IEExtensions != nil {
			return errNotRepresentable
		}
		t, err := taiFromASN(a.TAI)
		list = append(list, t)
		return err
	})
	if err == nil {
		m.TAIs = list
	}
	return err
}

func (m *Paging) encPagingEDRX(w *ieWriter, id ProtocolIEID, c Criticality) {
	if e := m.PagingEDRX; e != nil {
		a := edrxToASN(e.Cycle, e.TimeWindow, e.Ext)
		w.put(id, c, &a, pSeqExt)
	}
}

func (m *Paging) decPagingEDRX(_ ProtocolIEID, b []byte) error {
	return intoP(&m.PagingEDRX, b, pSeqExt, func(a asnPagingEDRX) (PagingEDRXInformation, error) {
		e := PagingEDRXInformation{Cycle: uint8(a.Cycle)}
		e.TimeWindow, e.Ext = edrxFromASN(a)
		return e, nil
	})
}

// edrxToASN and edrxFromASN code the Paging-eDRX-Information and
// NB-IoT-Paging-eDRX-Information SEQUENCEs (§9.2.1), which have the same
// shape.
func edrxToASN[C ~uint8](cycle C, tw *uint8, ext []IE) asnPagingEDRX {
	a := asnPagingEDRX{Cycle: aper.Enumerated(cycle), IEExtensions: extsToASN(ext)}
	if tw != nil {
		t := aper.Enumerated(*tw)
		a.TimeWindow = &t
	}
	return a
}

func edrxFromASN(a asnPagingEDRX) (tw *uint8, ext []IE) {
	if a.TimeWindow != nil {
		t := uint8(*a.TimeWindow)
		tw = &t
	}
	return tw, extsFromASN(a.IEExtensions)
}

func (m *Paging) encExtendedUEIdentityIndex(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.ExtendedUEIdentityIndex != nil {
		w.put(id, c, bits(uint64(*m.ExtendedUEIdentityIndex), 14), pExtUEIdx)
	}
}

func (m *Paging) decExtendedUEIdentityIndex(_ ProtocolIEID, b []byte) error {
	return bitsIntoP(&m.ExtendedUEIdentityIndex, b, pExtUEIdx, 14)
}

func (m *Paging) encNBIoTPagingEDRX(w *ieWriter, id ProtocolIEID, c Criticality) {
	if e := m.NBIoTPagingEDRX; e != nil {
		a := edrxToASN(e.Cycle, e.TimeWindow, e.Ext)
		w.put(id, c, &a, pSeqExt)
	}
}

func (m *Paging) decNBIoTPagingEDRX(_ ProtocolIEID, b []byte) error {
	return intoP(&m.NBIoTPagingEDRX, b, pSeqExt, func(a asnPagingEDRX) (NBIoTPagingEDRXInformation, error) {
		e := NBIoTPagingEDRXInformation{Cycle: NBIoTPagingEDRXCycle(a.Cycle)}
		e.TimeWindow, e.Ext = edrxFromASN(a)
		return e, nil
	})
}

func (m *Paging) encNBIoTUEIdentityIndex(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.NBIoTUEIdentityIndex != nil {
		if b, ok := encBits16(*m.NBIoTUEIdentityIndex, 12); ok {
			w.raw(id, c, b)
		} else {
			w.put(id, c, bits(uint64(*m.NBIoTUEIdentityIndex), 12), pNBUEIdx)
		}
	}
}

func (m *Paging) decNBIoTUEIdentityIndex(_ ProtocolIEID, b []byte) error {
	if v, ok := decBits16(b, 12); ok {
		m.NBIoTUEIdentityIndex = &v
		return nil
	}
	return bitsIntoP(&m.NBIoTUEIdentityIndex, b, pNBUEIdx, 12)
}

func bitsInto(dst *uint16, b []byte, params string, n int) error {
	return into(dst, b, params, func(bs aper.BitString) (uint16, error) {
		v, err := bitsValue(bs, n)
		return uint16(v), err
	})
}

func bitsIntoP(dst **uint16, b []byte, params string, n int) error {
	var v uint16
	err := bitsInto(&v, b, params, n)
	if err == nil {
		*dst = &v
	}
	return err
}

// --- Management (§9.1.8) ---------------------------------------------------

// ErrorIndication (§9.1.8, both directions). All IEs are optional.
type ErrorIndication struct {
	MMEUES1APID            *uint32
	ENBUES1APID            *uint32
	Cause                  *Cause
	CriticalityDiagnostics *CriticalityDiagnostics
	STMSI                  *STMSI
	Other                  []IE
	Wire
}

// Reset (§9.1.8, both directions).
type Reset struct {
	Cause     Cause
	ResetType ResetType
	Other     []IE
	Wire
}

func (m *Reset) encResetType(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.ResetType.All {
		v := aper.Enumerated(0)
		w.put(id, c, &asnResetType{Present: 1, All: &v}, pResetType)
		return
	}
	list, err := s1connList(w, id, m.ResetType.Connections, Reject)
	if err != nil {
		w.fail(id, err)
		return
	}
	w.put(id, c, &asnResetType{Present: 2, Part: list}, pResetType)
}

func (m *Reset) decResetType(id ProtocolIEID, b []byte) error {
	return into(&m.ResetType, b, pResetType, func(a asnResetType) (ResetType, error) {
		switch {
		case a.Present == 1 && a.All != nil && *a.All == 0:
			return ResetType{All: true}, nil
		case a.Present == 2:
			l, err := s1connsFromList(&m.Wire, id, a.Part, Reject)
			return ResetType{Connections: l}, err
		}
		return ResetType{}, decodeErr("ResetType alternative %d", a.Present)
	})
}

func s1connList(w *ieWriter, listID ProtocolIEID, l []UEAssociatedLogicalS1Connection, c Criticality) ([]asnIEField, error) {
	out := make([]asnIEField, len(l))
	for i, conn := range l {
		a := conn.toASN()
		b, err := marshal(&a, pSeqExt)
		if err != nil {
			return nil, err
		}
		out[i] = asnIEField{ID: int64(IDUEAssociatedLogicalS1ConnItem), Criticality: aper.Enumerated(w.itemCrit(listID, i, len(l), c)), Value: b}
	}
	return out, nil
}

func s1connsFromList(wi *Wire, listID ProtocolIEID, list []asnIEField, c Criticality) ([]UEAssociatedLogicalS1Connection, error) {
	var out []UEAssociatedLogicalS1Connection
	err := itemsInto(wi, listID, list, IDUEAssociatedLogicalS1ConnItem, c, func(v []byte) error {
		a, err := get[asnUEAssocS1Conn](v, pSeqExt)
		if err == nil {
			out = append(out, s1connFromASN(a))
		}
		return err
	})
	return out, err
}

// ResetAcknowledge (§9.1.8).
type ResetAcknowledge struct {
	Connections            []UEAssociatedLogicalS1Connection
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

func (m *ResetAcknowledge) encConnections(w *ieWriter, id ProtocolIEID, c Criticality) {
	if m.Connections != nil {
		list, err := s1connList(w, id, m.Connections, Ignore)
		if err != nil {
			w.fail(id, err)
			return
		}
		w.put(id, c, list, pERABList)
	}
}

func (m *ResetAcknowledge) decConnections(id ProtocolIEID, b []byte) error {
	return into(&m.Connections, b, pERABList, func(l []asnIEField) ([]UEAssociatedLogicalS1Connection, error) {
		return s1connsFromList(&m.Wire, id, l, Ignore)
	})
}
