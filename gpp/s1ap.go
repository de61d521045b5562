package gpp

// S1AP names, TS 36.413.

// s1apProcMessages are the message names of each elementary procedure
// (TS 36.413 §9.1, Tables 9.1-1 and 9.1-2, as Wireshark writes them),
// indexed by procedure code (§9.3.6, S1AP-Constants): initiating message,
// successful outcome, unsuccessful outcome.
var s1apProcMessages = [...][3]string{
	0:  {"HandoverRequired", "HandoverCommand", "HandoverPreparationFailure"},
	1:  {"HandoverRequest", "HandoverRequestAcknowledge", "HandoverFailure"},
	2:  {"HandoverNotify"},
	3:  {"PathSwitchRequest", "PathSwitchRequestAcknowledge", "PathSwitchRequestFailure"},
	4:  {"HandoverCancel", "HandoverCancelAcknowledge"},
	5:  {"E-RABSetupRequest", "E-RABSetupResponse"},
	6:  {"E-RABModifyRequest", "E-RABModifyResponse"},
	7:  {"E-RABReleaseCommand", "E-RABReleaseResponse"},
	8:  {"E-RABReleaseIndication"},
	9:  {"InitialContextSetupRequest", "InitialContextSetupResponse", "InitialContextSetupFailure"},
	10: {"Paging"},
	11: {"DownlinkNASTransport"},
	12: {"InitialUEMessage"},
	13: {"UplinkNASTransport"},
	14: {"Reset", "ResetAcknowledge"},
	15: {"ErrorIndication"},
	16: {"NASNonDeliveryIndication"},
	17: {"S1SetupRequest", "S1SetupResponse", "S1SetupFailure"},
	18: {"UEContextReleaseRequest"},
	19: {"DownlinkS1cdma2000tunnelling"},
	20: {"UplinkS1cdma2000tunnelling"},
	21: {"UEContextModificationRequest", "UEContextModificationResponse", "UEContextModificationFailure"},
	22: {"UECapabilityInfoIndication"},
	23: {"UEContextReleaseCommand", "UEContextReleaseComplete"},
	24: {"ENBStatusTransfer"},
	25: {"MMEStatusTransfer"},
	26: {"DeactivateTrace"},
	27: {"TraceStart"},
	28: {"TraceFailureIndication"},
	29: {"ENBConfigurationUpdate", "ENBConfigurationUpdateAcknowledge", "ENBConfigurationUpdateFailure"},
	30: {"MMEConfigurationUpdate", "MMEConfigurationUpdateAcknowledge", "MMEConfigurationUpdateFailure"},
	31: {"LocationReportingControl"},
	32: {"LocationReportingFailureIndication"},
	33: {"LocationReport"},
	34: {"OverloadStart"},
	35: {"OverloadStop"},
	36: {"WriteReplaceWarningRequest", "WriteReplaceWarningResponse"},
	37: {"ENBDirectInformationTransfer"},
	38: {"MMEDirectInformationTransfer"},
	39: {"PrivateMessage"},
	40: {"ENBConfigurationTransfer"},
	41: {"MMEConfigurationTransfer"},
	42: {"CellTrafficTrace"},
	43: {"KillRequest", "KillResponse"},
	44: {"DownlinkUEAssociatedLPPaTransport"},
	45: {"UplinkUEAssociatedLPPaTransport"},
	46: {"DownlinkNonUEAssociatedLPPaTransport"},
	47: {"UplinkNonUEAssociatedLPPaTransport"},
	48: {"UERadioCapabilityMatchRequest", "UERadioCapabilityMatchResponse"},
	49: {"PWSRestartIndication"},
	50: {"E-RABModificationIndication", "E-RABModificationConfirm"},
	51: {"PWSFailureIndication"},
	52: {"RerouteNASRequest"},
	53: {"UEContextModificationIndication", "UEContextModificationConfirm"},
	54: {"ConnectionEstablishmentIndication"},
	55: {"UEContextSuspendRequest", "UEContextSuspendResponse"},
	56: {"UEContextResumeRequest", "UEContextResumeResponse", "UEContextResumeFailure"},
	57: {"NASDeliveryIndication"},
	58: {"RetrieveUEInformation"},
	59: {"UEInformationTransfer"},
	60: {"ENBCPRelocationIndication"},
	61: {"MMECPRelocationIndication"},
	62: {"SecondaryRATDataUsageReport"},
	63: {"UERadioCapabilityIDMappingRequest", "UERadioCapabilityIDMappingResponse"},
	64: {"HandoverSuccess"},
	65: {"ENBEarlyStatusTransfer"},
	66: {"MMEEarlyStatusTransfer"},
}

// S1APMessageName is the name of the message of elementary procedure code
// in S1AP-PDU alternative pdu (0 initiating message, 1 successful outcome,
// 2 unsuccessful outcome, §9.3.2); ok is false when TS 36.413 defines no
// such message.
func S1APMessageName(code, pdu uint8) (name string, ok bool) {
	if int(code) < len(s1apProcMessages) && pdu < 3 {
		name = s1apProcMessages[code][pdu]
	}
	return name, name != ""
}

// s1apCauseGroups are the Cause CHOICE alternatives (§9.2.1.3).
var s1apCauseGroups = [...]string{"radioNetwork", "transport", "nas", "protocol", "misc"}

// s1apCauses are the ENUMERATED values of each Cause group (§9.2.1.3,
// extension values included), indexed by group then value.
var s1apCauses = [len(s1apCauseGroups)][]string{
	{"unspecified", "tx2relocoverall-expiry", "successful-handover", "release-due-to-eutran-generated-reason",
		"handover-cancelled", "partial-handover", "ho-failure-in-target-EPC-eNB-or-target-system", "ho-target-not-allowed",
		"tS1relocoverall-expiry", "tS1relocprep-expiry", "cell-not-available", "unknown-targetID",
		"no-radio-resources-available-in-target-cell", "unknown-mme-ue-s1ap-id", "unknown-enb-ue-s1ap-id",
		"unknown-pair-ue-s1ap-id", "handover-desirable-for-radio-reason", "time-critical-handover",
		"resource-optimisation-handover", "reduce-load-in-serving-cell", "user-inactivity",
		"radio-connection-with-ue-lost", "load-balancing-tau-required", "cs-fallback-triggered",
		"ue-not-available-for-ps-service", "radio-resources-not-available", "failure-in-radio-interface-procedure",
		"invalid-qos-combination", "interrat-redirection", "interaction-with-other-procedure", "unknown-E-RAB-ID",
		"multiple-E-RAB-ID-instances", "encryption-and-or-integrity-protection-algorithms-not-supported",
		"s1-intra-system-handover-triggered", "s1-inter-system-handover-triggered", "x2-handover-triggered"},
	{"transport-resource-unavailable", "unspecified"},
	{"normal-release", "authentication-failure", "detach", "unspecified", "csg-subscription-expiry"},
	{"transfer-syntax-error", "abstract-syntax-error-reject", "abstract-syntax-error-ignore-and-notify",
		"message-not-compatible-with-receiver-state", "semantic-error",
		"abstract-syntax-error-falsely-constructed-message", "unspecified"},
	{"control-processing-overload", "not-enough-user-plane-processing-resources", "hardware-failure",
		"om-intervention", "unspecified", "unknown-PLMN"},
}

// S1APCauseGroupName is the name of Cause group g (radioNetwork,
// transport, nas, protocol, misc); ok is false beyond them.
func S1APCauseGroupName(g uint8) (string, bool) {
	if int(g) < len(s1apCauseGroups) {
		return s1apCauseGroups[g], true
	}
	return "", false
}

// S1APCauseName is the name of value v of Cause group g, e.g.
// "user-inactivity" for radioNetwork 20; ok is false when the group or the
// value is unknown.
func S1APCauseName(g, v uint8) (string, bool) {
	if int(g) < len(s1apCauses) && int(v) < len(s1apCauses[g]) {
		return s1apCauses[g][v], true
	}
	return "", false
}
