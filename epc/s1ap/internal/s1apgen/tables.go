package main

// The typed messages of package s1ap, one table each, as TS 36.413 §9.1
// gives them: the message's procedure and PDU type, then its IEs in the
// table's order (which is the order of encoding), each with its id (an
// s1ap constant, named after the ASN.1 id of §9.3.7), the criticality it
// is sent with (§9.1, §9.3.3), its presence, the field of the Go type that
// holds it and how that field is coded (a kind of kinds, or custom: the
// message's hand-written enc<Field>/dec<Field> methods).

const (
	M = true  // mandatory
	O = false // optional (or conditional)
)

var messages = []message{
	// §9.1.8.4-6 S1 Setup.
	{"S1SetupRequest", "ProcS1Setup", "InitiatingMessage", []ie{
		{"IDGlobalENBID", "Reject", M, "GlobalENBID", "custom", ""},
		{"IDENBname", "Ignore", O, "ENBName", "custom", ""},
		{"IDSupportedTAs", "Reject", M, "SupportedTAs", "custom", ""},
		{"IDDefaultPagingDRX", "Ignore", M, "DefaultPagingDRX", "enum", "pPagingDRX"},
		{"IDUERetentionInformation", "Ignore", O, "UERetention", "flag", ""},
		{"IDNBIoTDefaultPagingDRX", "Ignore", O, "NBIoTDefaultPagingDRX", "enumP", "pNBDefDRX"},
	}},
	{"S1SetupResponse", "ProcS1Setup", "SuccessfulOutcome", []ie{
		{"IDMMEname", "Ignore", O, "MMEName", "custom", ""},
		{"IDServedGUMMEIs", "Reject", M, "ServedGUMMEIs", "custom", ""},
		{"IDRelativeMMECapacity", "Ignore", M, "RelativeMMECapacity", "uint", "pRelCap"},
		{"IDMMERelaySupportIndicator", "Ignore", O, "MMERelaySupport", "flag", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
		{"IDUERetentionInformation", "Ignore", O, "UERetention", "flag", ""},
	}},
	{"S1SetupFailure", "ProcS1Setup", "UnsuccessfulOutcome", []ie{
		{"IDCause", "Ignore", M, "Cause", "cause", ""},
		{"IDTimeToWait", "Ignore", O, "TimeToWait", "enumP", "pTimeToWait"},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
	}},

	// §9.1.7 NAS transport.
	{"InitialUEMessage", "ProcInitialUEMessage", "InitiatingMessage", []ie{
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDNASPDU", "Reject", M, "NASPDU", "octets", ""},
		{"IDTAI", "Reject", M, "TAI", "tai", ""},
		{"IDEUTRANCGI", "Ignore", M, "EUTRANCGI", "cgi", ""},
		{"IDRRCEstablishmentCause", "Ignore", M, "RRCEstablishmentCause", "enum", "pRRCCause"},
		{"IDSTMSI", "Reject", O, "STMSI", "stmsi", ""},
		{"IDGUMMEIID", "Reject", O, "GUMMEI", "gummei", ""},
		{"IDGWTransportLayerAddress", "Ignore", O, "GWTransportLayerAddr", "tla", ""},
		{"IDRelayNodeIndicator", "Reject", O, "RelayNode", "flag", ""},
		{"IDGUMMEIType", "Ignore", O, "GUMMEIType", "enumP", "pGUMMEIType"},
		{"IDMMEGroupID", "Ignore", O, "MMEGroupID", "custom", ""},
		{"IDUEUsageType", "Ignore", O, "UEUsageType", "uintP", "pByte"},
		{"IDCEModeBSupportIndicator", "Ignore", O, "CEModeBSupport", "flag", ""},
		{"IDDCNID", "Ignore", O, "DCNID", "uintP", "pU16"},
		{"IDCoverageLevel", "Ignore", O, "CoverageLevelExtended", "flag", ""},
		{"IDEDTSession", "Ignore", O, "EDTSession", "flag", ""},
	}},
	{"DownlinkNASTransport", "ProcDownlinkNASTransport", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDNASPDU", "Reject", M, "NASPDU", "octets", ""},
		{"IDSubscriberProfileIDforRFP", "Ignore", O, "SubscriberProfileIDforRFP", "uintP", "pSPID"},
		{"IDSRVCCOperationPossible", "Ignore", O, "SRVCCOperationPossible", "flag", ""},
		{"IDUERadioCapability", "Ignore", O, "UERadioCapability", "optOctets", ""},
		{"IDDLNASPDUDeliveryAckRequest", "Ignore", O, "DLNASPDUDeliveryAckRequest", "flag", ""},
		{"IDEnhancedCoverageRestricted", "Ignore", O, "EnhancedCoverageRestricted", "flag", ""},
		{"IDCEModeBRestricted", "Ignore", O, "CEModeBRestricted", "enumP", "pCEModeB"},
		{"IDUECapabilityInfoRequest", "Ignore", O, "UECapabilityInfoRequest", "flag", ""},
		{"IDEndIndication", "Ignore", O, "EndIndication", "enumP", "pEndInd"},
		{"IDPendingDataIndication", "Ignore", O, "PendingDataIndication", "flag", ""},
	}},
	{"UplinkNASTransport", "ProcUplinkNASTransport", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDNASPDU", "Reject", M, "NASPDU", "octets", ""},
		{"IDEUTRANCGI", "Ignore", M, "EUTRANCGI", "cgi", ""},
		{"IDTAI", "Ignore", M, "TAI", "tai", ""},
		{"IDGWTransportLayerAddress", "Ignore", O, "GWTransportLayerAddr", "tla", ""},
	}},
	{"NASNonDeliveryIndication", "ProcNASNonDeliveryIndication", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDNASPDU", "Ignore", M, "NASPDU", "octets", ""},
		{"IDCause", "Ignore", M, "Cause", "cause", ""},
	}},
	{"NASDeliveryIndication", "ProcNASDeliveryIndication", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
	}},

	// §9.1.4 UE context management.
	{"ConnectionEstablishmentIndication", "ProcConnectionEstablishmentIndication", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Ignore", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Ignore", M, "ENBUES1APID", "enbID", ""},
		{"IDUERadioCapability", "Ignore", O, "UERadioCapability", "optOctets", ""},
		{"IDEnhancedCoverageRestricted", "Ignore", O, "EnhancedCoverageRestricted", "flag", ""},
		{"IDDLCPSecurityInformation", "Ignore", O, "DLNASMAC", "custom", ""},
		{"IDCEModeBRestricted", "Ignore", O, "CEModeBRestricted", "enumP", "pCEModeB"},
		{"IDEndIndication", "Ignore", O, "EndIndication", "enumP", "pEndInd"},
		{"IDUELevelQoSParameters", "Ignore", O, "UELevelQoS", "custom", ""},
	}},
	{"InitialContextSetupRequest", "ProcInitialContextSetup", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDUEAggregateMaximumBitrate", "Reject", M, "UEAggregateMaximumBitrate", "ambr", ""},
		{"IDERABToBeSetupListCtxtSUReq", "Reject", M, "ERABs", "custom", ""},
		{"IDUESecurityCapabilities", "Reject", M, "UESecurityCapabilities", "custom", ""},
		{"IDSecurityKey", "Reject", M, "SecurityKey", "custom", ""},
		{"IDUERadioCapability", "Ignore", O, "UERadioCapability", "optOctets", ""},
		{"IDSubscriberProfileIDforRFP", "Ignore", O, "SubscriberProfileIDforRFP", "uintP", "pSPID"},
		{"IDCSFallbackIndicator", "Reject", O, "CSFallbackIndicator", "enumP", "pCSFB"},
		{"IDSRVCCOperationPossible", "Ignore", O, "SRVCCOperationPossible", "flag", ""},
		{"IDGUMMEIID", "Ignore", O, "GUMMEI", "gummei", ""},
		{"IDMMEUES1APID2", "Ignore", O, "MMEUES1APID2", "uintP", "pMMEUEID"},
		{"IDMaskedIMEISV", "Ignore", O, "MaskedIMEISV", "custom", ""},
		{"IDUEUserPlaneCIoTSupportIndicator", "Ignore", O, "UEUserPlaneCIoTSupportIndicator", "flag", ""},
		{"IDEnhancedCoverageRestricted", "Ignore", O, "EnhancedCoverageRestricted", "flag", ""},
		{"IDCEModeBRestricted", "Ignore", O, "CEModeBRestricted", "enumP", "pCEModeB"},
	}},
	{"InitialContextSetupResponse", "ProcInitialContextSetup", "SuccessfulOutcome", []ie{
		{"IDMMEUES1APID", "Ignore", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Ignore", M, "ENBUES1APID", "enbID", ""},
		{"IDERABSetupListCtxtSURes", "Ignore", M, "ERABSetup", "erabSetupList", "IDERABSetupItemCtxtSURes"},
		{"IDERABFailedToSetupListCtxtSURes", "Ignore", O, "ERABFailedToSetup", "erabList", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
	}},
	{"InitialContextSetupFailure", "ProcInitialContextSetup", "UnsuccessfulOutcome", []ie{
		{"IDMMEUES1APID", "Ignore", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Ignore", M, "ENBUES1APID", "enbID", ""},
		{"IDCause", "Ignore", M, "Cause", "cause", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
	}},
	{"UEContextReleaseRequest", "ProcUEContextReleaseRequest", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDCause", "Ignore", M, "Cause", "cause", ""},
		{"IDGWContextReleaseIndication", "Reject", O, "GWContextReleaseIndication", "flag", ""},
	}},
	{"UEContextReleaseCommand", "ProcUEContextRelease", "InitiatingMessage", []ie{
		{"IDUES1APIDs", "Reject", M, "UES1APIDs", "custom", ""},
		{"IDCause", "Ignore", M, "Cause", "cause", ""},
	}},
	{"UEContextReleaseComplete", "ProcUEContextRelease", "SuccessfulOutcome", []ie{
		{"IDMMEUES1APID", "Ignore", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Ignore", M, "ENBUES1APID", "enbID", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
		{"IDUserLocationInformation", "Ignore", O, "UserLocationInformation", "uli", ""},
		{"IDCellIdentifierAndCELevelForCEUEs", "Ignore", O, "CellCELevel", "custom", ""},
	}},

	// §9.1.6 Paging.
	{"Paging", "ProcPaging", "InitiatingMessage", []ie{
		{"IDUEIdentityIndexValue", "Ignore", M, "UEIdentityIndexValue", "custom", ""},
		{"IDUEPagingID", "Ignore", M, "UEPagingID", "custom", ""},
		{"IDPagingDRX", "Ignore", O, "PagingDRX", "enumP", "pPagingDRX"},
		{"IDCNDomain", "Ignore", M, "CNDomain", "custom", ""},
		{"IDTAIList", "Ignore", M, "TAIs", "custom", ""},
		{"IDPagingPriority", "Ignore", O, "PagingPriority", "enumP", "pPagingPrio"},
		{"IDUERadioCapabilityForPaging", "Ignore", O, "UERadioCapabilityForPaging", "optOctets", ""},
		{"IDPagingEDRXInformation", "Ignore", O, "PagingEDRX", "custom", ""},
		{"IDExtendedUEIdentityIndexValue", "Ignore", O, "ExtendedUEIdentityIndex", "custom", ""},
		{"IDNBIoTPagingEDRXInformation", "Ignore", O, "NBIoTPagingEDRX", "custom", ""},
		{"IDNBIoTUEIdentityIndexValue", "Ignore", O, "NBIoTUEIdentityIndex", "custom", ""},
		{"IDEnhancedCoverageRestricted", "Ignore", O, "EnhancedCoverageRestricted", "flag", ""},
		{"IDCEModeBRestricted", "Ignore", O, "CEModeBRestricted", "enumP", "pCEModeB"},
		{"IDNBIoTPagingDRX", "Ignore", O, "NBIoTPagingDRX", "enumP", "pNBDRX"},
	}},

	// §9.1.8 management.
	{"ErrorIndication", "ProcErrorIndication", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Ignore", O, "MMEUES1APID", "mmeIDP", ""},
		{"IDENBUES1APID", "Ignore", O, "ENBUES1APID", "enbIDP", ""},
		{"IDCause", "Ignore", O, "Cause", "causeP", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
		{"IDSTMSI", "Ignore", O, "STMSI", "stmsi", ""},
	}},
	{"Reset", "ProcReset", "InitiatingMessage", []ie{
		{"IDCause", "Ignore", M, "Cause", "cause", ""},
		{"IDResetType", "Reject", M, "ResetType", "custom", ""},
	}},
	{"ResetAcknowledge", "ProcReset", "SuccessfulOutcome", []ie{
		{"IDUEAssociatedLogicalS1ConnListAck", "Ignore", O, "Connections", "custom", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
	}},

	// §9.1.3 E-RAB management.
	{"ERABSetupRequest", "ProcERABSetup", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDUEAggregateMaximumBitrate", "Reject", O, "UEAggregateMaximumBitrate", "ambrP", ""},
		{"IDERABToBeSetupListBearerSUReq", "Reject", M, "ERABs", "custom", ""},
	}},
	{"ERABSetupResponse", "ProcERABSetup", "SuccessfulOutcome", []ie{
		{"IDMMEUES1APID", "Ignore", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Ignore", M, "ENBUES1APID", "enbID", ""},
		{"IDERABSetupListBearerSURes", "Ignore", O, "ERABSetup", "erabSetupList", "IDERABSetupItemBearerSURes"},
		{"IDERABFailedToSetupListBearerSURes", "Ignore", O, "ERABFailedToSetup", "erabList", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
	}},
	{"ERABModifyRequest", "ProcERABModify", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDUEAggregateMaximumBitrate", "Reject", O, "UEAggregateMaximumBitrate", "ambrP", ""},
		{"IDERABToBeModifiedListBearerModReq", "Reject", M, "ERABs", "custom", ""},
	}},
	{"ERABModifyResponse", "ProcERABModify", "SuccessfulOutcome", []ie{
		{"IDMMEUES1APID", "Ignore", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Ignore", M, "ENBUES1APID", "enbID", ""},
		{"IDERABModifyListBearerModRes", "Ignore", O, "ERABModified", "erabIDList", "IDERABModifyItemBearerModRes"},
		{"IDERABFailedToModifyList", "Ignore", O, "ERABFailedToModify", "erabList", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
	}},
	{"ERABReleaseCommand", "ProcERABRelease", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDUEAggregateMaximumBitrate", "Reject", O, "UEAggregateMaximumBitrate", "ambrP", ""},
		{"IDERABToBeReleasedList", "Ignore", M, "ERABs", "erabList", ""},
		{"IDNASPDU", "Ignore", O, "NASPDU", "optOctets", ""},
	}},
	{"ERABReleaseResponse", "ProcERABRelease", "SuccessfulOutcome", []ie{
		{"IDMMEUES1APID", "Ignore", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Ignore", M, "ENBUES1APID", "enbID", ""},
		{"IDERABReleaseListBearerRelComp", "Ignore", O, "ERABReleased", "erabIDList", "IDERABReleaseItemBearerRelComp"},
		{"IDERABFailedToReleaseList", "Ignore", O, "ERABFailedToRelease", "erabList", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
		{"IDUserLocationInformation", "Ignore", O, "UserLocationInformation", "uli", ""},
	}},

	// §9.1.10 UE capability; §9.1.5 handover.
	{"UECapabilityInfoIndication", "ProcUECapabilityInfoIndication", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDUERadioCapability", "Ignore", M, "UERadioCapability", "octets", ""},
		{"IDUERadioCapabilityForPaging", "Ignore", O, "UERadioCapabilityForPaging", "optOctets", ""},
		{"IDLTEMIndication", "Ignore", O, "LTEMIndication", "flag", ""},
	}},
	{"HandoverNotify", "ProcHandoverNotification", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDEUTRANCGI", "Ignore", M, "EUTRANCGI", "cgi", ""},
		{"IDTAI", "Ignore", M, "TAI", "tai", ""},
	}},
	{"HandoverCancel", "ProcHandoverCancel", "InitiatingMessage", []ie{
		{"IDMMEUES1APID", "Reject", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Reject", M, "ENBUES1APID", "enbID", ""},
		{"IDCause", "Ignore", M, "Cause", "cause", ""},
	}},
	{"HandoverCancelAcknowledge", "ProcHandoverCancel", "SuccessfulOutcome", []ie{
		{"IDMMEUES1APID", "Ignore", M, "MMEUES1APID", "mmeID", ""},
		{"IDENBUES1APID", "Ignore", M, "ENBUES1APID", "enbID", ""},
		{"IDCriticalityDiagnostics", "Ignore", O, "CriticalityDiagnostics", "critDiag", ""},
	}},
}
