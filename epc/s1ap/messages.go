package s1ap

import "github.com/free5gc/aper"

// Typed messages (TS 36.413 §9.1, ASN.1 §9.3.3). Each struct lists the IEs
// of its table; the criticality written next to each IE on encoding is the
// one of the table. Fields of pointer or slice type are optional IEs (nil
// means absent). IEs a struct does not model are kept raw in Other, in wire
// order when parsed, and appended after the modelled IEs when encoded.

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

func (*S1SetupRequest) Procedure() ProcedureCode { return ProcS1Setup }
func (*S1SetupRequest) PDUType() PDUType         { return InitiatingMessage }
func (m *S1SetupRequest) Marshal() ([]byte, error) {
	return marshalTyped(m)
}
func (m *S1SetupRequest) others() *[]IE { return &m.Other }

var mandatoryS1SetupRequest = []ProtocolIEID{IDGlobalENBID, IDSupportedTAs, IDDefaultPagingDRX}

func (*S1SetupRequest) mandatory() []ProtocolIEID { return mandatoryS1SetupRequest }

func (m *S1SetupRequest) encodeIEs(w *ieWriter) {
	if g, err := m.GlobalENBID.toASN(); err != nil {
		w.fail(IDGlobalENBID, err)
	} else {
		w.put(IDGlobalENBID, Reject, &g, pSeqExt)
	}
	if m.ENBName != nil {
		w.put(IDENBname, Ignore, *m.ENBName, pMMEname)
	}
	if tas, err := supportedTAsToASN(m.SupportedTAs); err != nil {
		w.fail(IDSupportedTAs, err)
	} else {
		w.put(IDSupportedTAs, Reject, tas, pSupportedTAs)
	}
	w.enum(IDDefaultPagingDRX, Ignore, uint64(m.DefaultPagingDRX), pPagingDRX)
	w.flag(IDUERetentionInformation, Ignore, m.UERetention)
	if m.NBIoTDefaultPagingDRX != nil {
		w.enum(IDNBIoTDefaultPagingDRX, Ignore, uint64(*m.NBIoTDefaultPagingDRX), pNBDefDRX)
	}
}

func (m *S1SetupRequest) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDGlobalENBID:
		return true, into(&m.GlobalENBID, b, pSeqExt, globalENBIDFromASN)
	case IDENBname:
		return true, intoP(&m.ENBName, b, pMMEname, func(s string) (string, error) { return s, nil })
	case IDSupportedTAs:
		return true, into(&m.SupportedTAs, b, pSupportedTAs, supportedTAsFromASN)
	case IDDefaultPagingDRX:
		return true, enumInto(&m.DefaultPagingDRX, b, pPagingDRX)
	case IDUERetentionInformation:
		return true, flagInto(&m.UERetention, b)
	case IDNBIoTDefaultPagingDRX:
		return true, enumIntoP(&m.NBIoTDefaultPagingDRX, b, pNBDefDRX)
	}
	return false, nil
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

func (*S1SetupResponse) Procedure() ProcedureCode   { return ProcS1Setup }
func (*S1SetupResponse) PDUType() PDUType           { return SuccessfulOutcome }
func (m *S1SetupResponse) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *S1SetupResponse) others() *[]IE            { return &m.Other }

var mandatoryS1SetupResponse = []ProtocolIEID{IDServedGUMMEIs, IDRelativeMMECapacity}

func (*S1SetupResponse) mandatory() []ProtocolIEID { return mandatoryS1SetupResponse }

func (m *S1SetupResponse) encodeIEs(w *ieWriter) {
	if m.MMEName != nil {
		w.put(IDMMEname, Ignore, *m.MMEName, pMMEname)
	}
	w.put(IDServedGUMMEIs, Reject, servedGUMMEIsToASN(m.ServedGUMMEIs), pServedGUMMEIs)
	w.uint(IDRelativeMMECapacity, Ignore, uint64(m.RelativeMMECapacity), pRelCap)
	w.flag(IDMMERelaySupportIndicator, Ignore, m.MMERelaySupport)
	w.critDiag(m.CriticalityDiagnostics)
	w.flag(IDUERetentionInformation, Ignore, m.UERetention)
}

func (m *S1SetupResponse) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDMMEname:
		return true, intoP(&m.MMEName, b, pMMEname, func(s string) (string, error) { return s, nil })
	case IDServedGUMMEIs:
		return true, into(&m.ServedGUMMEIs, b, pServedGUMMEIs, servedGUMMEIsFromASN)
	case IDRelativeMMECapacity:
		return true, uintInto(&m.RelativeMMECapacity, b, pRelCap)
	case IDMMERelaySupportIndicator:
		return true, flagInto(&m.MMERelaySupport, b)
	case IDCriticalityDiagnostics:
		return true, critDiagInto(&m.CriticalityDiagnostics, b)
	case IDUERetentionInformation:
		return true, flagInto(&m.UERetention, b)
	}
	return false, nil
}

// S1SetupFailure (§9.1.8).
type S1SetupFailure struct {
	Cause                  Cause
	TimeToWait             *TimeToWait
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

func (*S1SetupFailure) Procedure() ProcedureCode   { return ProcS1Setup }
func (*S1SetupFailure) PDUType() PDUType           { return UnsuccessfulOutcome }
func (m *S1SetupFailure) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *S1SetupFailure) others() *[]IE            { return &m.Other }

var mandatoryS1SetupFailure = []ProtocolIEID{IDCause}

func (*S1SetupFailure) mandatory() []ProtocolIEID { return mandatoryS1SetupFailure }

func (m *S1SetupFailure) encodeIEs(w *ieWriter) {
	w.cause(Ignore, m.Cause)
	if m.TimeToWait != nil {
		w.enum(IDTimeToWait, Ignore, uint64(*m.TimeToWait), pTimeToWait)
	}
	w.critDiag(m.CriticalityDiagnostics)
}

func (m *S1SetupFailure) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDCause:
		return true, causeInto(&m.Cause, ie.Value)
	case IDTimeToWait:
		return true, enumIntoP(&m.TimeToWait, ie.Value, pTimeToWait)
	case IDCriticalityDiagnostics:
		return true, critDiagInto(&m.CriticalityDiagnostics, ie.Value)
	}
	return false, nil
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

func (*InitialUEMessage) Procedure() ProcedureCode   { return ProcInitialUEMessage }
func (*InitialUEMessage) PDUType() PDUType           { return InitiatingMessage }
func (m *InitialUEMessage) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *InitialUEMessage) others() *[]IE            { return &m.Other }

var mandatoryInitialUEMessage = []ProtocolIEID{IDENBUES1APID, IDNASPDU, IDTAI, IDEUTRANCGI, IDRRCEstablishmentCause}

func (*InitialUEMessage) mandatory() []ProtocolIEID { return mandatoryInitialUEMessage }

func (m *InitialUEMessage) encodeIEs(w *ieWriter) {
	w.enbID(Reject, m.ENBUES1APID)
	w.octets(IDNASPDU, Reject, m.NASPDU)
	w.tai(IDTAI, Reject, m.TAI)
	w.cgi(IDEUTRANCGI, Ignore, m.EUTRANCGI)
	w.enum(IDRRCEstablishmentCause, Ignore, uint64(m.RRCEstablishmentCause), pRRCCause)
	w.stmsi(IDSTMSI, Reject, m.STMSI)
	w.gummei(IDGUMMEIID, Reject, m.GUMMEI)
	if m.GWTransportLayerAddr != nil {
		w.put(IDGWTransportLayerAddress, Ignore, tlaToASN(m.GWTransportLayerAddr), pTLA)
	}
	w.flag(160, Reject, m.RelayNode) // id-RelayNode-Indicator
	if m.GUMMEIType != nil {
		w.enum(IDGUMMEIType, Ignore, uint64(*m.GUMMEIType), pGUMMEIType)
	}
	if m.MMEGroupID != nil {
		w.put(IDMMEGroupID, Ignore, u16b(*m.MMEGroupID), pMMEGroupID)
	}
	if m.UEUsageType != nil {
		w.uint(IDUEUsageType, Ignore, uint64(*m.UEUsageType), pByte)
	}
	w.flag(IDCEModeBSupportIndicator, Ignore, m.CEModeBSupport)
	if m.DCNID != nil {
		w.uint(IDDCNID, Ignore, uint64(*m.DCNID), pU16)
	}
	w.flag(IDCoverageLevel, Ignore, m.CoverageLevelExtended)
	w.flag(IDEDTSession, Ignore, m.EDTSession)
}

func (m *InitialUEMessage) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDENBUES1APID:
		return true, enbIDInto(&m.ENBUES1APID, b)
	case IDNASPDU:
		return true, octetsInto(&m.NASPDU, b)
	case IDTAI:
		return true, taiInto(&m.TAI, b)
	case IDEUTRANCGI:
		return true, cgiInto(&m.EUTRANCGI, b)
	case IDRRCEstablishmentCause:
		return true, enumInto(&m.RRCEstablishmentCause, b, pRRCCause)
	case IDSTMSI:
		return true, intoP(&m.STMSI, b, pSeqExt, stmsiFromASN)
	case IDGUMMEIID:
		return true, intoP(&m.GUMMEI, b, pSeqExt, gummeiFromASN)
	case IDGWTransportLayerAddress:
		return true, into(&m.GWTransportLayerAddr, b, pTLA, tlaFromASN)
	case 160:
		return true, flagInto(&m.RelayNode, b)
	case IDGUMMEIType:
		return true, enumIntoP(&m.GUMMEIType, b, pGUMMEIType)
	case IDMMEGroupID:
		return true, intoP(&m.MMEGroupID, b, pMMEGroupID, octets2ToU16)
	case IDUEUsageType:
		return true, uintIntoP(&m.UEUsageType, b, pByte)
	case IDCEModeBSupportIndicator:
		return true, flagInto(&m.CEModeBSupport, b)
	case IDDCNID:
		return true, uintIntoP(&m.DCNID, b, pU16)
	case IDCoverageLevel:
		return true, flagInto(&m.CoverageLevelExtended, b)
	case IDEDTSession:
		return true, flagInto(&m.EDTSession, b)
	}
	return false, nil
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

func (*DownlinkNASTransport) Procedure() ProcedureCode   { return ProcDownlinkNASTransport }
func (*DownlinkNASTransport) PDUType() PDUType           { return InitiatingMessage }
func (m *DownlinkNASTransport) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *DownlinkNASTransport) others() *[]IE            { return &m.Other }

var mandatoryDownlinkNASTransport = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDNASPDU}

func (*DownlinkNASTransport) mandatory() []ProtocolIEID { return mandatoryDownlinkNASTransport }

func (m *DownlinkNASTransport) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.octets(IDNASPDU, Reject, m.NASPDU)
	if m.SubscriberProfileIDforRFP != nil {
		w.uint(IDSubscriberProfileIDforRFP, Ignore, uint64(*m.SubscriberProfileIDforRFP), pSPID)
	}
	w.flag(IDSRVCCOperationPossible, Ignore, m.SRVCCOperationPossible)
	w.optOctets(IDUERadioCapability, Ignore, m.UERadioCapability)
	w.flag(IDDLNASPDUDeliveryAckRequest, Ignore, m.DLNASPDUDeliveryAckRequest)
	w.flag(IDEnhancedCoverageRestricted, Ignore, m.EnhancedCoverageRestricted)
	if m.CEModeBRestricted != nil {
		w.enum(IDCEModeBRestricted, Ignore, uint64(*m.CEModeBRestricted), pCEModeB)
	}
	w.flag(IDUECapabilityInfoRequest, Ignore, m.UECapabilityInfoRequest)
	if m.EndIndication != nil {
		w.enum(IDEndIndication, Ignore, uint64(*m.EndIndication), pEndInd)
	}
	w.flag(IDPendingDataIndication, Ignore, m.PendingDataIndication)
}

func (m *DownlinkNASTransport) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDMMEUES1APID:
		return true, mmeIDInto(&m.MMEUES1APID, b)
	case IDENBUES1APID:
		return true, enbIDInto(&m.ENBUES1APID, b)
	case IDNASPDU:
		return true, octetsInto(&m.NASPDU, b)
	case IDSubscriberProfileIDforRFP:
		return true, uintIntoP(&m.SubscriberProfileIDforRFP, b, pSPID)
	case IDSRVCCOperationPossible:
		return true, flagInto(&m.SRVCCOperationPossible, b)
	case IDUERadioCapability:
		return true, octetsInto(&m.UERadioCapability, b)
	case IDDLNASPDUDeliveryAckRequest:
		return true, flagInto(&m.DLNASPDUDeliveryAckRequest, b)
	case IDEnhancedCoverageRestricted:
		return true, flagInto(&m.EnhancedCoverageRestricted, b)
	case IDCEModeBRestricted:
		return true, enumIntoP(&m.CEModeBRestricted, b, pCEModeB)
	case IDUECapabilityInfoRequest:
		return true, flagInto(&m.UECapabilityInfoRequest, b)
	case IDEndIndication:
		return true, enumIntoP(&m.EndIndication, b, pEndInd)
	case IDPendingDataIndication:
		return true, flagInto(&m.PendingDataIndication, b)
	}
	return false, nil
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

func (*UplinkNASTransport) Procedure() ProcedureCode   { return ProcUplinkNASTransport }
func (*UplinkNASTransport) PDUType() PDUType           { return InitiatingMessage }
func (m *UplinkNASTransport) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *UplinkNASTransport) others() *[]IE            { return &m.Other }

var mandatoryUplinkNASTransport = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDNASPDU, IDEUTRANCGI, IDTAI}

func (*UplinkNASTransport) mandatory() []ProtocolIEID { return mandatoryUplinkNASTransport }

func (m *UplinkNASTransport) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.octets(IDNASPDU, Reject, m.NASPDU)
	w.cgi(IDEUTRANCGI, Ignore, m.EUTRANCGI)
	w.tai(IDTAI, Ignore, m.TAI)
	if m.GWTransportLayerAddr != nil {
		w.put(IDGWTransportLayerAddress, Ignore, tlaToASN(m.GWTransportLayerAddr), pTLA)
	}
}

func (m *UplinkNASTransport) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDMMEUES1APID:
		return true, mmeIDInto(&m.MMEUES1APID, b)
	case IDENBUES1APID:
		return true, enbIDInto(&m.ENBUES1APID, b)
	case IDNASPDU:
		return true, octetsInto(&m.NASPDU, b)
	case IDEUTRANCGI:
		return true, cgiInto(&m.EUTRANCGI, b)
	case IDTAI:
		return true, taiInto(&m.TAI, b)
	case IDGWTransportLayerAddress:
		return true, into(&m.GWTransportLayerAddr, b, pTLA, tlaFromASN)
	}
	return false, nil
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

func (*NASNonDeliveryIndication) Procedure() ProcedureCode   { return ProcNASNonDeliveryIndication }
func (*NASNonDeliveryIndication) PDUType() PDUType           { return InitiatingMessage }
func (m *NASNonDeliveryIndication) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *NASNonDeliveryIndication) others() *[]IE            { return &m.Other }

var mandatoryNASNonDeliveryIndication = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDNASPDU, IDCause}

func (*NASNonDeliveryIndication) mandatory() []ProtocolIEID { return mandatoryNASNonDeliveryIndication }

func (m *NASNonDeliveryIndication) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.octets(IDNASPDU, Ignore, m.NASPDU)
	w.cause(Ignore, m.Cause)
}

func (m *NASNonDeliveryIndication) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDMMEUES1APID:
		return true, mmeIDInto(&m.MMEUES1APID, ie.Value)
	case IDENBUES1APID:
		return true, enbIDInto(&m.ENBUES1APID, ie.Value)
	case IDNASPDU:
		return true, octetsInto(&m.NASPDU, ie.Value)
	case IDCause:
		return true, causeInto(&m.Cause, ie.Value)
	}
	return false, nil
}

// NASDeliveryIndication (§9.1.7, Rel-14, eNB -> MME): acknowledges a
// Downlink NAS Transport that had DLNASPDUDeliveryAckRequest set.
type NASDeliveryIndication struct {
	MMEUES1APID uint32
	ENBUES1APID uint32
	Other       []IE
	Wire
}

func (*NASDeliveryIndication) Procedure() ProcedureCode   { return ProcNASDeliveryIndication }
func (*NASDeliveryIndication) PDUType() PDUType           { return InitiatingMessage }
func (m *NASDeliveryIndication) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *NASDeliveryIndication) others() *[]IE            { return &m.Other }

var mandatoryNASDeliveryIndication = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID}

func (*NASDeliveryIndication) mandatory() []ProtocolIEID { return mandatoryNASDeliveryIndication }
func (m *NASDeliveryIndication) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
}
func (m *NASDeliveryIndication) decodeIE(ie IE) (bool, error) {
	return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
}

// decodeIDs decodes the MME and eNB UE S1AP IDs, the first two IEs of most
// UE-associated messages.
func decodeIDs(ie IE, mme, enb *uint32) (bool, error) {
	switch ie.ID {
	case IDMMEUES1APID:
		return true, mmeIDInto(mme, ie.Value)
	case IDENBUES1APID:
		return true, enbIDInto(enb, ie.Value)
	}
	return false, nil
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

func (*ConnectionEstablishmentIndication) Procedure() ProcedureCode {
	return ProcConnectionEstablishmentIndication
}
func (*ConnectionEstablishmentIndication) PDUType() PDUType           { return InitiatingMessage }
func (m *ConnectionEstablishmentIndication) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ConnectionEstablishmentIndication) others() *[]IE            { return &m.Other }

var mandatoryConnectionEstablishmentIndication = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID}

func (*ConnectionEstablishmentIndication) mandatory() []ProtocolIEID {
	return mandatoryConnectionEstablishmentIndication
}

func (m *ConnectionEstablishmentIndication) encodeIEs(w *ieWriter) {
	w.mmeID(Ignore, m.MMEUES1APID)
	w.enbID(Ignore, m.ENBUES1APID)
	w.optOctets(IDUERadioCapability, Ignore, m.UERadioCapability)
	w.flag(IDEnhancedCoverageRestricted, Ignore, m.EnhancedCoverageRestricted)
	if m.DLNASMAC != nil {
		a := asnDLCPSecInfo{DLNASMAC: bits(uint64(*m.DLNASMAC), 16)}
		w.put(IDDLCPSecurityInformation, Ignore, &a, pSeqExt)
	}
	if m.CEModeBRestricted != nil {
		w.enum(IDCEModeBRestricted, Ignore, uint64(*m.CEModeBRestricted), pCEModeB)
	}
	if m.EndIndication != nil {
		w.enum(IDEndIndication, Ignore, uint64(*m.EndIndication), pEndInd)
	}
	if m.UELevelQoS != nil {
		a, err := m.UELevelQoS.toASN()
		if err != nil {
			w.fail(IDUELevelQoSParameters, err)
			return
		}
		w.put(IDUELevelQoSParameters, Ignore, &a, pSeqExt)
	}
}

func (m *ConnectionEstablishmentIndication) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDMMEUES1APID, IDENBUES1APID:
		return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
	case IDUERadioCapability:
		return true, octetsInto(&m.UERadioCapability, b)
	case IDEnhancedCoverageRestricted:
		return true, flagInto(&m.EnhancedCoverageRestricted, b)
	case IDDLCPSecurityInformation:
		return true, intoP(&m.DLNASMAC, b, pSeqExt, func(a asnDLCPSecInfo) (uint16, error) {
			if a.IEExtensions != nil {
				return 0, errNotRepresentable
			}
			v, err := bitsValue(a.DLNASMAC, 16)
			return uint16(v), err
		})
	case IDCEModeBRestricted:
		return true, enumIntoP(&m.CEModeBRestricted, b, pCEModeB)
	case IDEndIndication:
		return true, enumIntoP(&m.EndIndication, b, pEndInd)
	case IDUELevelQoSParameters:
		return true, intoP(&m.UELevelQoS, b, pSeqExt, noErr(qosFromASN))
	}
	return false, nil
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

func (*InitialContextSetupRequest) Procedure() ProcedureCode   { return ProcInitialContextSetup }
func (*InitialContextSetupRequest) PDUType() PDUType           { return InitiatingMessage }
func (m *InitialContextSetupRequest) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *InitialContextSetupRequest) others() *[]IE            { return &m.Other }

var mandatoryInitialContextSetupRequest = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDUEAggregateMaximumBitrate,
	IDERABToBeSetupListCtxtSUReq, IDUESecurityCapabilities, IDSecurityKey}

func (*InitialContextSetupRequest) mandatory() []ProtocolIEID {
	return mandatoryInitialContextSetupRequest
}

func (m *InitialContextSetupRequest) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.ambr(Reject, &m.UEAggregateMaximumBitrate)
	w.singles(IDERABToBeSetupListCtxtSUReq, Reject, IDERABToBeSetupItemCtxtSUReq, Reject, len(m.ERABs), func(i int) (any, error) {
		e := m.ERABs[i]
		q, err := e.QoS.toASN()
		return &asnERABToBeSetupCtxt{ERABID: int64(e.ERABID), QoS: q, TLA: tlaToASN(e.TransportLayerAddress),
			GTPTEID: u32b(e.GTPTEID), NASPDU: e.NASPDU, IEExtensions: extsToASN(e.Ext)}, err
	})
	s := m.UESecurityCapabilities.toASN()
	w.put(IDUESecurityCapabilities, Reject, &s, pSeqExt)
	w.put(IDSecurityKey, Reject, aper.BitString{Bytes: append([]byte(nil), m.SecurityKey[:]...), BitLength: 256}, pSecurityKey)
	w.optOctets(IDUERadioCapability, Ignore, m.UERadioCapability)
	if m.SubscriberProfileIDforRFP != nil {
		w.uint(IDSubscriberProfileIDforRFP, Ignore, uint64(*m.SubscriberProfileIDforRFP), pSPID)
	}
	if m.CSFallbackIndicator != nil {
		w.enum(IDCSFallbackIndicator, Reject, uint64(*m.CSFallbackIndicator), pCSFB)
	}
	w.flag(IDSRVCCOperationPossible, Ignore, m.SRVCCOperationPossible)
	w.gummei(IDGUMMEIID, Ignore, m.GUMMEI)
	if m.MMEUES1APID2 != nil {
		w.uint(IDMMEUES1APID2, Ignore, uint64(*m.MMEUES1APID2), pMMEUEID)
	}
	if m.MaskedIMEISV != nil {
		w.put(IDMaskedIMEISV, Ignore, bits(*m.MaskedIMEISV, 64), pMaskedIMEISV)
	}
	w.flag(IDUEUserPlaneCIoTSupportIndicator, Ignore, m.UEUserPlaneCIoTSupportIndicator)
	w.flag(IDEnhancedCoverageRestricted, Ignore, m.EnhancedCoverageRestricted)
	if m.CEModeBRestricted != nil {
		w.enum(IDCEModeBRestricted, Ignore, uint64(*m.CEModeBRestricted), pCEModeB)
	}
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

func (m *InitialContextSetupRequest) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDMMEUES1APID, IDENBUES1APID:
		return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
	case IDUEAggregateMaximumBitrate:
		return true, into(&m.UEAggregateMaximumBitrate, b, pSeqExt, noErr(ambrFromASN))
	case IDERABToBeSetupListCtxtSUReq:
		var list []ERABToBeSetupItem
		err := singlesInto(&m.Wire, ie.ID, b, IDERABToBeSetupItemCtxtSUReq, Reject, func(v []byte) error {
			var e ERABToBeSetupItem
			err := into(&e, v, pSeqExt, erabToBeSetupFromCtxt)
			list = append(list, e)
			return err
		})
		if err == nil {
			m.ERABs = list
		}
		return true, err
	case IDUESecurityCapabilities:
		return true, into(&m.UESecurityCapabilities, b, pSeqExt, uesecFromASN)
	case IDSecurityKey:
		return true, into(&m.SecurityKey, b, pSecurityKey, func(bs aper.BitString) (SecurityKey, error) {
			var k SecurityKey
			if bs.BitLength != 256 || len(bs.Bytes) < 32 {
				return k, decodeErr("SecurityKey of %d bits", bs.BitLength)
			}
			copy(k[:], bs.Bytes)
			return k, nil
		})
	case IDUERadioCapability:
		return true, octetsInto(&m.UERadioCapability, b)
	case IDSubscriberProfileIDforRFP:
		return true, uintIntoP(&m.SubscriberProfileIDforRFP, b, pSPID)
	case IDCSFallbackIndicator:
		return true, enumIntoP(&m.CSFallbackIndicator, b, pCSFB)
	case IDSRVCCOperationPossible:
		return true, flagInto(&m.SRVCCOperationPossible, b)
	case IDGUMMEIID:
		return true, intoP(&m.GUMMEI, b, pSeqExt, gummeiFromASN)
	case IDMMEUES1APID2:
		return true, uintIntoP(&m.MMEUES1APID2, b, pMMEUEID)
	case IDMaskedIMEISV:
		return true, intoP(&m.MaskedIMEISV, b, pMaskedIMEISV, func(bs aper.BitString) (uint64, error) { return bitsValue(bs, 64) })
	case IDUEUserPlaneCIoTSupportIndicator:
		return true, flagInto(&m.UEUserPlaneCIoTSupportIndicator, b)
	case IDEnhancedCoverageRestricted:
		return true, flagInto(&m.EnhancedCoverageRestricted, b)
	case IDCEModeBRestricted:
		return true, enumIntoP(&m.CEModeBRestricted, b, pCEModeB)
	}
	return false, nil
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

func (*InitialContextSetupResponse) Procedure() ProcedureCode   { return ProcInitialContextSetup }
func (*InitialContextSetupResponse) PDUType() PDUType           { return SuccessfulOutcome }
func (m *InitialContextSetupResponse) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *InitialContextSetupResponse) others() *[]IE            { return &m.Other }

var mandatoryInitialContextSetupResponse = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDERABSetupListCtxtSURes}

func (*InitialContextSetupResponse) mandatory() []ProtocolIEID {
	return mandatoryInitialContextSetupResponse
}

func (m *InitialContextSetupResponse) encodeIEs(w *ieWriter) {
	w.mmeID(Ignore, m.MMEUES1APID)
	w.enbID(Ignore, m.ENBUES1APID)
	w.erabSetupList(IDERABSetupListCtxtSURes, IDERABSetupItemCtxtSURes, m.ERABSetup)
	w.erabList(IDERABFailedToSetupListCtxtSURes, Ignore, m.ERABFailedToSetup, false)
	w.critDiag(m.CriticalityDiagnostics)
}

func (m *InitialContextSetupResponse) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDMMEUES1APID, IDENBUES1APID:
		return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
	case IDERABSetupListCtxtSURes:
		return true, erabSetupListInto(&m.Wire, ie.ID, &m.ERABSetup, ie.Value, IDERABSetupItemCtxtSURes)
	case IDERABFailedToSetupListCtxtSURes:
		return true, erabListInto(&m.Wire, ie.ID, &m.ERABFailedToSetup, ie.Value)
	case IDCriticalityDiagnostics:
		return true, critDiagInto(&m.CriticalityDiagnostics, ie.Value)
	}
	return false, nil
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

func (*InitialContextSetupFailure) Procedure() ProcedureCode   { return ProcInitialContextSetup }
func (*InitialContextSetupFailure) PDUType() PDUType           { return UnsuccessfulOutcome }
func (m *InitialContextSetupFailure) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *InitialContextSetupFailure) others() *[]IE            { return &m.Other }

var mandatoryInitialContextSetupFailure = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDCause}

func (*InitialContextSetupFailure) mandatory() []ProtocolIEID {
	return mandatoryInitialContextSetupFailure
}
func (m *InitialContextSetupFailure) encodeIEs(w *ieWriter) {
	w.mmeID(Ignore, m.MMEUES1APID)
	w.enbID(Ignore, m.ENBUES1APID)
	w.cause(Ignore, m.Cause)
	w.critDiag(m.CriticalityDiagnostics)
}
func (m *InitialContextSetupFailure) decodeIE(ie IE) (bool, error) {
	return decodeIDsCauseDiag(ie, &m.MMEUES1APID, &m.ENBUES1APID, &m.Cause, &m.CriticalityDiagnostics)
}

func decodeIDsCauseDiag(ie IE, mme, enb *uint32, cause *Cause, diag **CriticalityDiagnostics) (bool, error) {
	switch ie.ID {
	case IDMMEUES1APID, IDENBUES1APID:
		return decodeIDs(ie, mme, enb)
	case IDCause:
		if cause != nil {
			return true, causeInto(cause, ie.Value)
		}
	case IDCriticalityDiagnostics:
		if diag != nil {
			return true, critDiagInto(diag, ie.Value)
		}
	}
	return false, nil
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

func (*UEContextReleaseRequest) Procedure() ProcedureCode   { return ProcUEContextReleaseRequest }
func (*UEContextReleaseRequest) PDUType() PDUType           { return InitiatingMessage }
func (m *UEContextReleaseRequest) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *UEContextReleaseRequest) others() *[]IE            { return &m.Other }

var mandatoryUEContextReleaseRequest = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDCause}

func (*UEContextReleaseRequest) mandatory() []ProtocolIEID { return mandatoryUEContextReleaseRequest }
func (m *UEContextReleaseRequest) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.cause(Ignore, m.Cause)
	w.flag(IDGWContextReleaseIndication, Reject, m.GWContextReleaseIndication)
}
func (m *UEContextReleaseRequest) decodeIE(ie IE) (bool, error) {
	if ie.ID == IDGWContextReleaseIndication {
		return true, flagInto(&m.GWContextReleaseIndication, ie.Value)
	}
	return decodeIDsCauseDiag(ie, &m.MMEUES1APID, &m.ENBUES1APID, &m.Cause, nil)
}

// UEContextReleaseCommand (§9.1.4, MME -> eNB).
type UEContextReleaseCommand struct {
	UES1APIDs UES1APIDs
	Cause     Cause
	Other     []IE
	Wire
}

func (*UEContextReleaseCommand) Procedure() ProcedureCode   { return ProcUEContextRelease }
func (*UEContextReleaseCommand) PDUType() PDUType           { return InitiatingMessage }
func (m *UEContextReleaseCommand) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *UEContextReleaseCommand) others() *[]IE            { return &m.Other }

var mandatoryUEContextReleaseCommand = []ProtocolIEID{IDUES1APIDs, IDCause}

func (*UEContextReleaseCommand) mandatory() []ProtocolIEID { return mandatoryUEContextReleaseCommand }
func (m *UEContextReleaseCommand) encodeIEs(w *ieWriter) {
	start := len(w.buf)
	if b, ok := appendUES1APIDs(w.buf, m.UES1APIDs); ok {
		w.buf = b
		w.value(IDUES1APIDs, Reject, start)
	} else {
		a := m.UES1APIDs.toASN()
		w.put(IDUES1APIDs, Reject, &a, pChoice2X)
	}
	w.cause(Ignore, m.Cause)
}
func (m *UEContextReleaseCommand) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDUES1APIDs:
		if v, ok := decUES1APIDs(ie.Value); ok {
			m.UES1APIDs = v
			return true, nil
		}
		return true, into(&m.UES1APIDs, ie.Value, pChoice2X, ues1apidsFromASN)
	case IDCause:
		return true, causeInto(&m.Cause, ie.Value)
	}
	return false, nil
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

func (*UEContextReleaseComplete) Procedure() ProcedureCode   { return ProcUEContextRelease }
func (*UEContextReleaseComplete) PDUType() PDUType           { return SuccessfulOutcome }
func (m *UEContextReleaseComplete) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *UEContextReleaseComplete) others() *[]IE            { return &m.Other }

var mandatoryUEContextReleaseComplete = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID}

func (*UEContextReleaseComplete) mandatory() []ProtocolIEID { return mandatoryUEContextReleaseComplete }
func (m *UEContextReleaseComplete) encodeIEs(w *ieWriter) {
	w.mmeID(Ignore, m.MMEUES1APID)
	w.enbID(Ignore, m.ENBUES1APID)
	w.critDiag(m.CriticalityDiagnostics)
	w.uli(m.UserLocationInformation)
	if c := m.CellCELevel; c != nil {
		a := asnCellCELevel{CellID: c.Cell.toASN(), CELevel: c.CELevel, IEExtensions: extsToASN(c.Ext)}
		w.put(IDCellIdentifierAndCELevelForCEUEs, Ignore, &a, pSeqExt)
	}
}
func (m *UEContextReleaseComplete) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDUserLocationInformation:
		return true, intoP(&m.UserLocationInformation, ie.Value, pSeqExt, uliFromASN)
	case IDCellIdentifierAndCELevelForCEUEs:
		return true, intoP(&m.CellCELevel, ie.Value, pSeqExt, func(a asnCellCELevel) (CellIdentifierAndCELevel, error) {
			c, err := cgiFromASN(a.CellID)
			return CellIdentifierAndCELevel{Cell: c, CELevel: nonNil(a.CELevel), Ext: extsFromASN(a.IEExtensions)}, err
		})
	}
	return decodeIDsCauseDiag(ie, &m.MMEUES1APID, &m.ENBUES1APID, nil, &m.CriticalityDiagnostics)
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

func (*Paging) Procedure() ProcedureCode   { return ProcPaging }
func (*Paging) PDUType() PDUType           { return InitiatingMessage }
func (m *Paging) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *Paging) others() *[]IE            { return &m.Other }

var mandatoryPaging = []ProtocolIEID{IDUEIdentityIndexValue, IDUEPagingID, IDCNDomain, IDTAIList}

func (*Paging) mandatory() []ProtocolIEID { return mandatoryPaging }

func (m *Paging) encodeIEs(w *ieWriter) {
	if b, ok := encBits16(m.UEIdentityIndexValue, 10); ok {
		w.raw(IDUEIdentityIndexValue, Ignore, b)
	} else {
		w.put(IDUEIdentityIndexValue, Ignore, bits(uint64(m.UEIdentityIndexValue), 10), pUEIdxValue)
	}
	if b, ok := encPagingID(m.UEPagingID); ok {
		w.raw(IDUEPagingID, Ignore, b)
	} else if pid, err := m.UEPagingID.toASN(); err != nil {
		w.fail(IDUEPagingID, err)
	} else {
		w.put(IDUEPagingID, Ignore, &pid, pUEPagingID)
	}
	if m.PagingDRX != nil {
		w.enum(IDPagingDRX, Ignore, uint64(*m.PagingDRX), pPagingDRX)
	}
	if m.CNDomain <= CNDomainCS {
		w.raw(IDCNDomain, Ignore, []byte{byte(m.CNDomain) << 7})
	} else {
		w.enum(IDCNDomain, Ignore, uint64(m.CNDomain), pCNDomain)
	}
	if b, ok := encTAIList(m.TAIs, func(i int) Criticality { return w.itemCrit(IDTAIList, i, len(m.TAIs), Ignore) }); ok {
		w.raw(IDTAIList, Ignore, b)
	} else {
		w.singles(IDTAIList, Ignore, IDTAIItem, Ignore, len(m.TAIs), func(i int) (any, error) {
			return &asnTAIItem{TAI: m.TAIs[i].toASN()}, nil
		})
	}
	if m.PagingPriority != nil {
		w.enum(IDPagingPriority, Ignore, uint64(*m.PagingPriority), pPagingPrio)
	}
	w.optOctets(IDUERadioCapabilityForPaging, Ignore, m.UERadioCapabilityForPaging)
	if e := m.PagingEDRX; e != nil {
		a := asnPagingEDRX{Cycle: aper.Enumerated(e.Cycle), IEExtensions: extsToASN(e.Ext)}
		if e.TimeWindow != nil {
			t := aper.Enumerated(*e.TimeWindow)
			a.TimeWindow = &t
		}
		w.put(IDPagingEDRXInformation, Ignore, &a, pSeqExt)
	}
	if m.ExtendedUEIdentityIndex != nil {
		w.put(IDExtendedUEIdentityIndexValue, Ignore, bits(uint64(*m.ExtendedUEIdentityIndex), 14), pExtUEIdx)
	}
	if e := m.NBIoTPagingEDRX; e != nil {
		a := asnPagingEDRX{Cycle: aper.Enumerated(e.Cycle), IEExtensions: extsToASN(e.Ext)}
		if e.TimeWindow != nil {
			t := aper.Enumerated(*e.TimeWindow)
			a.TimeWindow = &t
		}
		w.put(IDNBIoTPagingEDRXInformation, Ignore, &a, pSeqExt)
	}
	if m.NBIoTUEIdentityIndex != nil {
		if b, ok := encBits16(*m.NBIoTUEIdentityIndex, 12); ok {
			w.raw(IDNBIoTUEIdentityIndexValue, Ignore, b)
		} else {
			w.put(IDNBIoTUEIdentityIndexValue, Ignore, bits(uint64(*m.NBIoTUEIdentityIndex), 12), pNBUEIdx)
		}
	}
	w.flag(IDEnhancedCoverageRestricted, Ignore, m.EnhancedCoverageRestricted)
	if m.CEModeBRestricted != nil {
		w.enum(IDCEModeBRestricted, Ignore, uint64(*m.CEModeBRestricted), pCEModeB)
	}
	if m.NBIoTPagingDRX != nil {
		w.enum(IDNBIoTPagingDRX, Ignore, uint64(*m.NBIoTPagingDRX), pNBDRX)
	}
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

func (m *Paging) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDUEIdentityIndexValue:
		if v, ok := decBits16(b, 10); ok {
			m.UEIdentityIndexValue = v
			return true, nil
		}
		return true, bitsInto(&m.UEIdentityIndexValue, b, pUEIdxValue, 10)
	case IDUEPagingID:
		if v, ok := decPagingID(b); ok {
			m.UEPagingID = v
			return true, nil
		}
		return true, into(&m.UEPagingID, b, pUEPagingID, pagingIDFromASN)
	case IDPagingDRX:
		return true, enumIntoP(&m.PagingDRX, b, pPagingDRX)
	case IDCNDomain:
		if len(b) == 1 && b[0]&0x7f == 0 {
			m.CNDomain = CNDomain(b[0] >> 7)
			return true, nil
		}
		return true, enumInto(&m.CNDomain, b, pCNDomain)
	case IDTAIList:
		if tais, crits, ok := decTAIList(b); ok {
			m.TAIs = tais
			for _, c := range crits {
				if c != Ignore {
					if m.Wire.items == nil {
						m.Wire.items = map[ProtocolIEID][]Criticality{}
					}
					m.Wire.items[ie.ID] = crits
					break
				}
			}
			return true, nil
		}
		var list []TAI
		err := singlesInto(&m.Wire, ie.ID, b, IDTAIItem, Ignore, func(v []byte) error {
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
		return true, err
	case IDPagingPriority:
		return true, enumIntoP(&m.PagingPriority, b, pPagingPrio)
	case IDUERadioCapabilityForPaging:
		return true, octetsInto(&m.UERadioCapabilityForPaging, b)
	case IDPagingEDRXInformation:
		return true, intoP(&m.PagingEDRX, b, pSeqExt, func(a asnPagingEDRX) (PagingEDRXInformation, error) {
			e := PagingEDRXInformation{Cycle: uint8(a.Cycle), Ext: extsFromASN(a.IEExtensions)}
			if a.TimeWindow != nil {
				t := uint8(*a.TimeWindow)
				e.TimeWindow = &t
			}
			return e, nil
		})
	case IDExtendedUEIdentityIndexValue:
		return true, bitsIntoP(&m.ExtendedUEIdentityIndex, b, pExtUEIdx, 14)
	case IDNBIoTPagingEDRXInformation:
		return true, intoP(&m.NBIoTPagingEDRX, b, pSeqExt, func(a asnPagingEDRX) (NBIoTPagingEDRXInformation, error) {
			e := NBIoTPagingEDRXInformation{Cycle: NBIoTPagingEDRXCycle(a.Cycle), Ext: extsFromASN(a.IEExtensions)}
			if a.TimeWindow != nil {
				t := uint8(*a.TimeWindow)
				e.TimeWindow = &t
			}
			return e, nil
		})
	case IDNBIoTUEIdentityIndexValue:
		if v, ok := decBits16(b, 12); ok {
			m.NBIoTUEIdentityIndex = &v
			return true, nil
		}
		return true, bitsIntoP(&m.NBIoTUEIdentityIndex, b, pNBUEIdx, 12)
	case IDEnhancedCoverageRestricted:
		return true, flagInto(&m.EnhancedCoverageRestricted, b)
	case IDCEModeBRestricted:
		return true, enumIntoP(&m.CEModeBRestricted, b, pCEModeB)
	case IDNBIoTPagingDRX:
		return true, enumIntoP(&m.NBIoTPagingDRX, b, pNBDRX)
	}
	return false, nil
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

func (*ErrorIndication) Procedure() ProcedureCode   { return ProcErrorIndication }
func (*ErrorIndication) PDUType() PDUType           { return InitiatingMessage }
func (m *ErrorIndication) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ErrorIndication) others() *[]IE            { return &m.Other }
func (*ErrorIndication) mandatory() []ProtocolIEID  { return nil }
func (m *ErrorIndication) encodeIEs(w *ieWriter) {
	if m.MMEUES1APID != nil {
		w.mmeID(Ignore, *m.MMEUES1APID)
	}
	if m.ENBUES1APID != nil {
		w.enbID(Ignore, *m.ENBUES1APID)
	}
	if m.Cause != nil {
		w.cause(Ignore, *m.Cause)
	}
	w.critDiag(m.CriticalityDiagnostics)
	w.stmsi(IDSTMSI, Ignore, m.STMSI)
}
func (m *ErrorIndication) decodeIE(ie IE) (bool, error) {
	b := ie.Value
	switch ie.ID {
	case IDMMEUES1APID:
		return true, uintIntoP(&m.MMEUES1APID, b, pMMEUEID)
	case IDENBUES1APID:
		return true, uintIntoP(&m.ENBUES1APID, b, pENBUEID)
	case IDCause:
		return true, intoP(&m.Cause, b, pCauseX, causeFromASN)
	case IDCriticalityDiagnostics:
		return true, critDiagInto(&m.CriticalityDiagnostics, b)
	case IDSTMSI:
		return true, intoP(&m.STMSI, b, pSeqExt, stmsiFromASN)
	}
	return false, nil
}

// Reset (§9.1.8, both directions).
type Reset struct {
	Cause     Cause
	ResetType ResetType
	Other     []IE
	Wire
}

func (*Reset) Procedure() ProcedureCode   { return ProcReset }
func (*Reset) PDUType() PDUType           { return InitiatingMessage }
func (m *Reset) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *Reset) others() *[]IE            { return &m.Other }

var mandatoryReset = []ProtocolIEID{IDCause, IDResetType}

func (*Reset) mandatory() []ProtocolIEID { return mandatoryReset }
func (m *Reset) encodeIEs(w *ieWriter) {
	w.cause(Ignore, m.Cause)
	if m.ResetType.All {
		v := aper.Enumerated(0)
		w.put(IDResetType, Reject, &asnResetType{Present: 1, All: &v}, pResetType)
		return
	}
	list, err := s1connList(w, IDResetType, m.ResetType.Connections, Reject)
	if err != nil {
		w.fail(IDResetType, err)
		return
	}
	w.put(IDResetType, Reject, &asnResetType{Present: 2, Part: list}, pResetType)
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

func (m *Reset) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDCause:
		return true, causeInto(&m.Cause, ie.Value)
	case IDResetType:
		return true, into(&m.ResetType, ie.Value, pResetType, func(a asnResetType) (ResetType, error) {
			switch {
			case a.Present == 1 && a.All != nil && *a.All == 0:
				return ResetType{All: true}, nil
			case a.Present == 2:
				l, err := s1connsFromList(&m.Wire, IDResetType, a.Part, Reject)
				return ResetType{Connections: l}, err
			}
			return ResetType{}, decodeErr("ResetType alternative %d", a.Present)
		})
	}
	return false, nil
}

// ResetAcknowledge (§9.1.8).
type ResetAcknowledge struct {
	Connections            []UEAssociatedLogicalS1Connection
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

func (*ResetAcknowledge) Procedure() ProcedureCode   { return ProcReset }
func (*ResetAcknowledge) PDUType() PDUType           { return SuccessfulOutcome }
func (m *ResetAcknowledge) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ResetAcknowledge) others() *[]IE            { return &m.Other }
func (*ResetAcknowledge) mandatory() []ProtocolIEID  { return nil }
func (m *ResetAcknowledge) encodeIEs(w *ieWriter) {
	if m.Connections != nil {
		list, err := s1connList(w, IDUEAssociatedLogicalS1ConnListAck, m.Connections, Ignore)
		if err != nil {
			w.fail(IDUEAssociatedLogicalS1ConnListAck, err)
			return
		}
		w.put(IDUEAssociatedLogicalS1ConnListAck, Ignore, list, pERABList)
	}
	w.critDiag(m.CriticalityDiagnostics)
}
func (m *ResetAcknowledge) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDUEAssociatedLogicalS1ConnListAck:
		return true, into(&m.Connections, ie.Value, pERABList, func(l []asnIEField) ([]UEAssociatedLogicalS1Connection, error) {
			return s1connsFromList(&m.Wire, ie.ID, l, Ignore)
		})
	case IDCriticalityDiagnostics:
		return true, critDiagInto(&m.CriticalityDiagnostics, ie.Value)
	}
	return false, nil
}
