package s1ap

import "fmt"

// PDUType is the S1AP-PDU CHOICE alternative (TS 36.413 §9.3.2).
type PDUType uint8

// S1AP-PDU alternatives.
const (
	InitiatingMessage   PDUType = 0
	SuccessfulOutcome   PDUType = 1
	UnsuccessfulOutcome PDUType = 2
)

func (t PDUType) String() string {
	switch t {
	case InitiatingMessage:
		return "initiatingMessage"
	case SuccessfulOutcome:
		return "successfulOutcome"
	case UnsuccessfulOutcome:
		return "unsuccessfulOutcome"
	}
	return fmt.Sprintf("PDUType(%d)", uint8(t))
}

// Criticality (TS 36.413 §9.3.5 / §10.3.4.2): how a receiver treats what it
// does not understand.
type Criticality uint8

// Criticality values.
const (
	Reject Criticality = 0
	Ignore Criticality = 1
	Notify Criticality = 2
)

func (c Criticality) String() string {
	switch c {
	case Reject:
		return "reject"
	case Ignore:
		return "ignore"
	case Notify:
		return "notify"
	}
	return fmt.Sprintf("Criticality(%d)", uint8(c))
}

// ProcedureCode identifies an elementary procedure (TS 36.413 §9.3.6).
type ProcedureCode uint8

// Elementary procedure codes (S1AP-Constants).
const (
	ProcHandoverPreparation                  ProcedureCode = 0
	ProcHandoverResourceAllocation           ProcedureCode = 1
	ProcHandoverNotification                 ProcedureCode = 2
	ProcPathSwitchRequest                    ProcedureCode = 3
	ProcHandoverCancel                       ProcedureCode = 4
	ProcERABSetup                            ProcedureCode = 5
	ProcERABModify                           ProcedureCode = 6
	ProcERABRelease                          ProcedureCode = 7
	ProcERABReleaseIndication                ProcedureCode = 8
	ProcInitialContextSetup                  ProcedureCode = 9
	ProcPaging                               ProcedureCode = 10
	ProcDownlinkNASTransport                 ProcedureCode = 11
	ProcInitialUEMessage                     ProcedureCode = 12
	ProcUplinkNASTransport                   ProcedureCode = 13
	ProcReset                                ProcedureCode = 14
	ProcErrorIndication                      ProcedureCode = 15
	ProcNASNonDeliveryIndication             ProcedureCode = 16
	ProcS1Setup                              ProcedureCode = 17
	ProcUEContextReleaseRequest              ProcedureCode = 18
	ProcDownlinkS1cdma2000tunnelling         ProcedureCode = 19
	ProcUplinkS1cdma2000tunnelling           ProcedureCode = 20
	ProcUEContextModification                ProcedureCode = 21
	ProcUECapabilityInfoIndication           ProcedureCode = 22
	ProcUEContextRelease                     ProcedureCode = 23
	ProcENBStatusTransfer                    ProcedureCode = 24
	ProcMMEStatusTransfer                    ProcedureCode = 25
	ProcDeactivateTrace                      ProcedureCode = 26
	ProcTraceStart                           ProcedureCode = 27
	ProcTraceFailureIndication               ProcedureCode = 28
	ProcENBConfigurationUpdate               ProcedureCode = 29
	ProcMMEConfigurationUpdate               ProcedureCode = 30
	ProcLocationReportingControl             ProcedureCode = 31
	ProcLocationReportingFailureIndication   ProcedureCode = 32
	ProcLocationReport                       ProcedureCode = 33
	ProcOverloadStart                        ProcedureCode = 34
	ProcOverloadStop                         ProcedureCode = 35
	ProcWriteReplaceWarning                  ProcedureCode = 36
	ProcENBDirectInformationTransfer         ProcedureCode = 37
	ProcMMEDirectInformationTransfer         ProcedureCode = 38
	ProcPrivateMessage                       ProcedureCode = 39
	ProcENBConfigurationTransfer             ProcedureCode = 40
	ProcMMEConfigurationTransfer             ProcedureCode = 41
	ProcCellTrafficTrace                     ProcedureCode = 42
	ProcKill                                 ProcedureCode = 43
	ProcDownlinkUEAssociatedLPPaTransport    ProcedureCode = 44
	ProcUplinkUEAssociatedLPPaTransport      ProcedureCode = 45
	ProcDownlinkNonUEAssociatedLPPaTransport ProcedureCode = 46
	ProcUplinkNonUEAssociatedLPPaTransport   ProcedureCode = 47
	ProcUERadioCapabilityMatch               ProcedureCode = 48
	ProcPWSRestartIndication                 ProcedureCode = 49
	ProcERABModificationIndication           ProcedureCode = 50
	ProcPWSFailureIndication                 ProcedureCode = 51
	ProcRerouteNASRequest                    ProcedureCode = 52
	ProcUEContextModificationIndication      ProcedureCode = 53
	ProcConnectionEstablishmentIndication    ProcedureCode = 54
	ProcUEContextSuspend                     ProcedureCode = 55
	ProcUEContextResume                      ProcedureCode = 56
	ProcNASDeliveryIndication                ProcedureCode = 57
	ProcRetrieveUEInformation                ProcedureCode = 58
	ProcUEInformationTransfer                ProcedureCode = 59
	ProcENBCPRelocationIndication            ProcedureCode = 60
	ProcMMECPRelocationIndication            ProcedureCode = 61
	ProcSecondaryRATDataUsageReport          ProcedureCode = 62
	ProcUERadioCapabilityIDMapping           ProcedureCode = 63
	ProcHandoverSuccess                      ProcedureCode = 64
	ProcENBEarlyStatusTransfer               ProcedureCode = 65
	ProcMMEEarlyStatusTransfer               ProcedureCode = 66
)

// ProtocolIEID identifies a protocol IE or protocol extension (§9.3.6).
type ProtocolIEID uint16

// Protocol IE identifiers used by this package (S1AP-Constants). Others are
// carried as raw IEs.
const (
	IDMMEUES1APID                      ProtocolIEID = 0
	IDHandoverType                     ProtocolIEID = 1
	IDCause                            ProtocolIEID = 2
	IDTargetID                         ProtocolIEID = 4
	IDENBUES1APID                      ProtocolIEID = 8
	IDERABSubjecttoDataForwardingList  ProtocolIEID = 12
	IDERABtoReleaseListHOCmd           ProtocolIEID = 13
	IDERABReleaseItemBearerRelComp     ProtocolIEID = 15
	IDERABToBeSetupListBearerSUReq     ProtocolIEID = 16
	IDERABToBeSetupItemBearerSUReq     ProtocolIEID = 17
	IDERABToBeSwitchedDLList           ProtocolIEID = 22
	IDERABToBeSwitchedDLItem           ProtocolIEID = 23
	IDERABToBeSetupListCtxtSUReq       ProtocolIEID = 24
	IDTraceActivation                  ProtocolIEID = 25
	IDNASPDU                           ProtocolIEID = 26
	IDERABSetupListBearerSURes         ProtocolIEID = 28
	IDERABFailedToSetupListBearerSURes ProtocolIEID = 29
	IDERABToBeModifiedListBearerModReq ProtocolIEID = 30
	IDERABModifyListBearerModRes       ProtocolIEID = 31
	IDERABFailedToModifyList           ProtocolIEID = 32
	IDERABToBeReleasedList             ProtocolIEID = 33
	IDERABFailedToReleaseList          ProtocolIEID = 34
	IDERABItem                         ProtocolIEID = 35
	IDERABToBeModifiedItemBearerModReq ProtocolIEID = 36
	IDERABModifyItemBearerModRes       ProtocolIEID = 37
	IDERABSetupItemBearerSURes         ProtocolIEID = 39
	IDSecurityContext                  ProtocolIEID = 40
	IDHandoverRestrictionList          ProtocolIEID = 41
	IDUEPagingID                       ProtocolIEID = 43
	IDPagingDRX                        ProtocolIEID = 44
	IDTAIList                          ProtocolIEID = 46
	IDTAIItem                          ProtocolIEID = 47
	IDERABFailedToSetupListCtxtSURes   ProtocolIEID = 48
	IDERABSetupItemCtxtSURes           ProtocolIEID = 50
	IDERABSetupListCtxtSURes           ProtocolIEID = 51
	IDERABToBeSetupItemCtxtSUReq       ProtocolIEID = 52
	IDCriticalityDiagnostics           ProtocolIEID = 58
	IDGlobalENBID                      ProtocolIEID = 59
	IDENBname                          ProtocolIEID = 60
	IDMMEname                          ProtocolIEID = 61
	IDServedPLMNs                      ProtocolIEID = 63
	IDSupportedTAs                     ProtocolIEID = 64
	IDTimeToWait                       ProtocolIEID = 65
	IDUEAggregateMaximumBitrate        ProtocolIEID = 66
	IDTAI                              ProtocolIEID = 67
	IDERABReleaseListBearerRelComp     ProtocolIEID = 69
	IDSecurityKey                      ProtocolIEID = 73
	IDUERadioCapability                ProtocolIEID = 74
	IDGUMMEIID                         ProtocolIEID = 75
	IDUEIdentityIndexValue             ProtocolIEID = 80
	IDRelativeMMECapacity              ProtocolIEID = 87
	IDSourceMMEUES1APID                ProtocolIEID = 88
	IDENBStatusTransferContainer       ProtocolIEID = 90
	IDUEAssociatedLogicalS1ConnItem    ProtocolIEID = 91
	IDResetType                        ProtocolIEID = 92
	IDUEAssociatedLogicalS1ConnListAck ProtocolIEID = 93
	IDERABToBeSwitchedULItem           ProtocolIEID = 94
	IDERABToBeSwitchedULList           ProtocolIEID = 95
	IDSTMSI                            ProtocolIEID = 96
	IDUES1APIDs                        ProtocolIEID = 99
	IDEUTRANCGI                        ProtocolIEID = 100
	IDServedGUMMEIs                    ProtocolIEID = 105
	IDSubscriberProfileIDforRFP        ProtocolIEID = 106
	IDUESecurityCapabilities           ProtocolIEID = 107
	IDCSFallbackIndicator              ProtocolIEID = 108
	IDCNDomain                         ProtocolIEID = 109
	IDSRVCCOperationPossible           ProtocolIEID = 124
	IDCSGIdList                        ProtocolIEID = 128
	IDRRCEstablishmentCause            ProtocolIEID = 134
	IDDefaultPagingDRX                 ProtocolIEID = 137
	IDPagingPriority                   ProtocolIEID = 151
	IDGWTransportLayerAddress          ProtocolIEID = 155
	IDMMEUES1APID2                     ProtocolIEID = 158
	IDRelayNodeIndicator               ProtocolIEID = 160
	IDMMERelaySupportIndicator         ProtocolIEID = 163
	IDGWContextReleaseIndication       ProtocolIEID = 164
	IDGUMMEIType                       ProtocolIEID = 170
	IDUserLocationInformation          ProtocolIEID = 189
	IDMaskedIMEISV                     ProtocolIEID = 192
	IDUERadioCapabilityForPaging       ProtocolIEID = 198
	IDCellIdentifierAndCELevelForCEUEs ProtocolIEID = 212
	IDMMEGroupID                       ProtocolIEID = 223
	IDPagingEDRXInformation            ProtocolIEID = 227
	IDUERetentionInformation           ProtocolIEID = 228
	IDUEUsageType                      ProtocolIEID = 230
	IDExtendedUEIdentityIndexValue     ProtocolIEID = 231
	IDRATType                          ProtocolIEID = 232
	IDBearerType                       ProtocolIEID = 233
	IDNBIoTDefaultPagingDRX            ProtocolIEID = 234
	IDNBIoTPagingEDRXInformation       ProtocolIEID = 239
	IDUEUserPlaneCIoTSupportIndicator  ProtocolIEID = 241
	IDCEModeBSupportIndicator          ProtocolIEID = 242
	IDNBIoTUEIdentityIndexValue        ProtocolIEID = 244
	IDDCNID                            ProtocolIEID = 246
	IDDLNASPDUDeliveryAckRequest       ProtocolIEID = 249
	IDCoverageLevel                    ProtocolIEID = 250
	IDEnhancedCoverageRestricted       ProtocolIEID = 251
	IDUELevelQoSParameters             ProtocolIEID = 252
	IDDLCPSecurityInformation          ProtocolIEID = 253
	IDCEModeBRestricted                ProtocolIEID = 271
	IDLTEMIndication                   ProtocolIEID = 272
	IDUECapabilityInfoRequest          ProtocolIEID = 275
	IDEndIndication                    ProtocolIEID = 280
	IDEDTSession                       ProtocolIEID = 281
	IDPendingDataIndication            ProtocolIEID = 283
	IDNBIoTPagingDRX                   ProtocolIEID = 324
)
