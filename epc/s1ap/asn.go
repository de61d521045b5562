package s1ap

import "github.com/free5gc/aper"

// aper-tagged Go types for the IEs of TS 36.413 §9.3.4 that this package
// models. Tag conventions of github.com/free5gc/aper v1.1.0:
//   - a SEQUENCE or CHOICE with an extension marker gets "valueExt" on the
//     field (or top-level params) that holds it;
//   - a CHOICE is a struct whose first field is "Present int" (1-based) and
//     whose alternatives are pointers; its index range is "valueLB:0,valueUB:n-1";
//   - an OPTIONAL component is a pointer or slice tagged "optional";
//   - SEQUENCE OF elements inherit the slice's tags minus the size bounds, so
//     an element that needs its own size constraint is wrapped in a
//     one-field struct (a SEQUENCE of one component has the same encoding);
//   - aper cannot encode extension additions of a CHOICE (e.g. ENB-ID
//     short-macro/long-macro): decoding them fails and the IE is kept raw.

type asnExts = []asnIEField // ProtocolExtensionContainer

const (
	pExts      = "optional,sizeLB:1,sizeUB:65535"
	pMMEUEID   = "valueLB:0,valueUB:4294967295"
	pENBUEID   = "valueLB:0,valueUB:16777215"
	pERABID    = "valueExt,valueLB:0,valueUB:15"
	pBitRate   = "valueLB:0,valueUB:10000000000"
	pTLA       = "sizeExt,sizeLB:1,sizeUB:160"
	pOctets    = ""
	pByte      = "valueLB:0,valueUB:255"
	pU16       = "valueLB:0,valueUB:65535"
	pSeqExt    = "valueExt"
	pChoice2X  = "valueExt,valueLB:0,valueUB:1"
	pCauseX    = "valueExt,valueLB:0,valueUB:4"
	pERABList  = "sizeLB:1,sizeUB:256"
	pOneTrue   = "valueExt,valueLB:0,valueUB:0" // ENUMERATED { x, ... }
	pCritDiag  = "valueExt"
	pMMEname   = "sizeExt,sizeLB:1,sizeUB:150"
	pRRCCause  = "valueExt,valueLB:0,valueUB:4"
	pPagingDRX = "valueExt,valueLB:0,valueUB:3"
)

type asnPLMN struct {
	Value aper.OctetString `aper:"sizeLB:3,sizeUB:3"`
}

type asnOctet2 struct {
	Value aper.OctetString `aper:"sizeLB:2,sizeUB:2"`
}

type asnOctet1 struct {
	Value aper.OctetString `aper:"sizeLB:1,sizeUB:1"`
}

type asnTAI struct {
	PLMNIdentity aper.OctetString `aper:"sizeLB:3,sizeUB:3"`
	TAC          aper.OctetString `aper:"sizeLB:2,sizeUB:2"`
	IEExtensions asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnEUTRANCGI struct {
	PLMNIdentity aper.OctetString `aper:"sizeLB:3,sizeUB:3"`
	CellID       aper.BitString   `aper:"sizeLB:28,sizeUB:28"`
	IEExtensions asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnENBID struct {
	Present int
	Macro   *aper.BitString `aper:"sizeLB:20,sizeUB:20"`
	Home    *aper.BitString `aper:"sizeLB:28,sizeUB:28"`
}

type asnGlobalENBID struct {
	PLMNIdentity aper.OctetString `aper:"sizeLB:3,sizeUB:3"`
	ENBID        asnENBID         `aper:"valueExt,valueLB:0,valueUB:1"`
	IEExtensions asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnSupportedTAItem struct {
	TAC            aper.OctetString `aper:"sizeLB:2,sizeUB:2"`
	BroadcastPLMNs []asnPLMN        `aper:"sizeLB:1,sizeUB:6"`
	IEExtensions   asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

const pSupportedTAs = "valueExt,sizeLB:1,sizeUB:256"

type asnServedGUMMEIsItem struct {
	ServedPLMNs    []asnPLMN   `aper:"sizeLB:1,sizeUB:32"`
	ServedGroupIDs []asnOctet2 `aper:"sizeLB:1,sizeUB:65535"`
	ServedMMECs    []asnOctet1 `aper:"sizeLB:1,sizeUB:256"`
	IEExtensions   asnExts     `aper:"optional,sizeLB:1,sizeUB:65535"`
}

const pServedGUMMEIs = "valueExt,sizeLB:1,sizeUB:8"

type asnCause struct {
	Present      int
	RadioNetwork *aper.Enumerated `aper:"valueExt,valueLB:0,valueUB:35"`
	Transport    *aper.Enumerated `aper:"valueExt,valueLB:0,valueUB:1"`
	NAS          *aper.Enumerated `aper:"valueExt,valueLB:0,valueUB:3"`
	Protocol     *aper.Enumerated `aper:"valueExt,valueLB:0,valueUB:6"`
	Misc         *aper.Enumerated `aper:"valueExt,valueLB:0,valueUB:5"`
}

type asnCritDiagIE struct {
	IECriticality aper.Enumerated `aper:"valueLB:0,valueUB:2"`
	IEID          int64           `aper:"valueLB:0,valueUB:65535"`
	TypeOfError   aper.Enumerated `aper:"valueExt,valueLB:0,valueUB:1"`
	IEExtensions  asnExts         `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnCritDiag struct {
	ProcedureCode        *int64           `aper:"optional,valueLB:0,valueUB:255"`
	TriggeringMessage    *aper.Enumerated `aper:"optional,valueLB:0,valueUB:2"`
	ProcedureCriticality *aper.Enumerated `aper:"optional,valueLB:0,valueUB:2"`
	IEs                  []asnCritDiagIE  `aper:"optional,valueExt,sizeLB:1,sizeUB:256"`
	IEExtensions         asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnSTMSI struct {
	MMEC         aper.OctetString `aper:"sizeLB:1,sizeUB:1"`
	MTMSI        aper.OctetString `aper:"sizeLB:4,sizeUB:4"`
	IEExtensions asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnGUMMEI struct {
	PLMNIdentity aper.OctetString `aper:"sizeLB:3,sizeUB:3"`
	MMEGroupID   aper.OctetString `aper:"sizeLB:2,sizeUB:2"`
	MMECode      aper.OctetString `aper:"sizeLB:1,sizeUB:1"`
	IEExtensions asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnUEAMBR struct {
	DL           int64   `aper:"valueLB:0,valueUB:10000000000"`
	UL           int64   `aper:"valueLB:0,valueUB:10000000000"`
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnARP struct {
	PriorityLevel           int64           `aper:"valueLB:0,valueUB:15"`
	PreemptionCapability    aper.Enumerated `aper:"valueLB:0,valueUB:1"`
	PreemptionVulnerability aper.Enumerated `aper:"valueLB:0,valueUB:1"`
	IEExtensions            asnExts         `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnGBR struct {
	MaxDL        int64   `aper:"valueLB:0,valueUB:10000000000"`
	MaxUL        int64   `aper:"valueLB:0,valueUB:10000000000"`
	GuaranteedDL int64   `aper:"valueLB:0,valueUB:10000000000"`
	GuaranteedUL int64   `aper:"valueLB:0,valueUB:10000000000"`
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnQoS struct {
	QCI          int64   `aper:"valueLB:0,valueUB:255"`
	ARP          asnARP  `aper:"valueExt"`
	GBR          *asnGBR `aper:"optional,valueExt"`
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

// E-RABToBeSetupItemCtxtSUReq (NASPDU OPTIONAL) and
// E-RABToBeSetupItemBearerSUReq (NASPDU mandatory) differ only there.
type asnERABToBeSetupCtxt struct {
	ERABID       int64            `aper:"valueExt,valueLB:0,valueUB:15"`
	QoS          asnQoS           `aper:"valueExt"`
	TLA          aper.BitString   `aper:"sizeExt,sizeLB:1,sizeUB:160"`
	GTPTEID      aper.OctetString `aper:"sizeLB:4,sizeUB:4"`
	NASPDU       aper.OctetString `aper:"optional"`
	IEExtensions asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnERABToBeSetupBearer struct {
	ERABID       int64            `aper:"valueExt,valueLB:0,valueUB:15"`
	QoS          asnQoS           `aper:"valueExt"`
	TLA          aper.BitString   `aper:"sizeExt,sizeLB:1,sizeUB:160"`
	GTPTEID      aper.OctetString `aper:"sizeLB:4,sizeUB:4"`
	NASPDU       aper.OctetString
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnERABSetupItem struct {
	ERABID       int64            `aper:"valueExt,valueLB:0,valueUB:15"`
	TLA          aper.BitString   `aper:"sizeExt,sizeLB:1,sizeUB:160"`
	GTPTEID      aper.OctetString `aper:"sizeLB:4,sizeUB:4"`
	IEExtensions asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnERABItem struct {
	ERABID       int64    `aper:"valueExt,valueLB:0,valueUB:15"`
	Cause        asnCause `aper:"valueExt,valueLB:0,valueUB:4"`
	IEExtensions asnExts  `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnERABToBeModified struct {
	ERABID       int64  `aper:"valueExt,valueLB:0,valueUB:15"`
	QoS          asnQoS `aper:"valueExt"`
	NASPDU       aper.OctetString
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnERABIDItem struct {
	ERABID       int64   `aper:"valueExt,valueLB:0,valueUB:15"`
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnUESecCap struct {
	Encryption   aper.BitString `aper:"sizeExt,sizeLB:16,sizeUB:16"`
	Integrity    aper.BitString `aper:"sizeExt,sizeLB:16,sizeUB:16"`
	IEExtensions asnExts        `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnUES1APIDPair struct {
	MMEUES1APID  int64   `aper:"valueLB:0,valueUB:4294967295"`
	ENBUES1APID  int64   `aper:"valueLB:0,valueUB:16777215"`
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnUES1APIDs struct {
	Present     int
	Pair        *asnUES1APIDPair `aper:"valueExt"`
	MMEUES1APID *int64           `aper:"valueLB:0,valueUB:4294967295"`
}

type asnUEPagingID struct {
	Present int
	STMSI   *asnSTMSI         `aper:"valueExt"`
	IMSI    *aper.OctetString `aper:"sizeLB:3,sizeUB:8"`
}

type asnTAIItem struct {
	TAI          asnTAI  `aper:"valueExt"`
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnPagingEDRX struct {
	Cycle        aper.Enumerated  `aper:"valueExt,valueLB:0,valueUB:13"`
	TimeWindow   *aper.Enumerated `aper:"optional,valueExt,valueLB:0,valueUB:15"`
	IEExtensions asnExts          `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnULI struct {
	EUTRANCGI    asnEUTRANCGI `aper:"valueExt"`
	TAI          asnTAI       `aper:"valueExt"`
	IEExtensions asnExts      `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnCellCELevel struct {
	CellID       asnEUTRANCGI `aper:"valueExt"`
	CELevel      aper.OctetString
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnDLCPSecInfo struct {
	DLNASMAC     aper.BitString `aper:"sizeLB:16,sizeUB:16"`
	IEExtensions asnExts        `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnUEAssocS1Conn struct {
	MMEUES1APID  *int64  `aper:"optional,valueLB:0,valueUB:4294967295"`
	ENBUES1APID  *int64  `aper:"optional,valueLB:0,valueUB:16777215"`
	IEExtensions asnExts `aper:"optional,sizeLB:1,sizeUB:65535"`
}

type asnResetType struct {
	Present int
	All     *aper.Enumerated `aper:"valueExt,valueLB:0,valueUB:0"`
	Part    []asnIEField     `aper:"sizeLB:1,sizeUB:256"`
}
