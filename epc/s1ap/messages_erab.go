package s1ap

// --- E-RAB management (§9.1.3) ----------------------------------------------

// ERABSetupRequest (§9.1.3, MME -> eNB). Every item carries a NAS-PDU.
type ERABSetupRequest struct {
	MMEUES1APID               uint32
	ENBUES1APID               uint32
	UEAggregateMaximumBitrate *UEAggregateMaximumBitrate
	ERABs                     []ERABToBeSetupItem
	Other                     []IE
	Wire
}

func (*ERABSetupRequest) Procedure() ProcedureCode   { return ProcERABSetup }
func (*ERABSetupRequest) PDUType() PDUType           { return InitiatingMessage }
func (m *ERABSetupRequest) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ERABSetupRequest) others() *[]IE            { return &m.Other }

var mandatoryERABSetupRequest = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDERABToBeSetupListBearerSUReq}

func (*ERABSetupRequest) mandatory() []ProtocolIEID { return mandatoryERABSetupRequest }

func (m *ERABSetupRequest) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.ambr(Reject, m.UEAggregateMaximumBitrate)
	w.singles(IDERABToBeSetupListBearerSUReq, Reject, IDERABToBeSetupItemBearerSUReq, Reject, len(m.ERABs), func(i int) (any, error) {
		e := m.ERABs[i]
		q, err := e.QoS.toASN()
		return &asnERABToBeSetupBearer{ERABID: int64(e.ERABID), QoS: q, TLA: tlaToASN(e.TransportLayerAddress),
			GTPTEID: u32b(e.GTPTEID), NASPDU: nonNil(e.NASPDU), IEExtensions: extsToASN(e.Ext)}, err
	})
}

func (m *ERABSetupRequest) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDMMEUES1APID, IDENBUES1APID:
		return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
	case IDUEAggregateMaximumBitrate:
		return true, intoP(&m.UEAggregateMaximumBitrate, ie.Value, pSeqExt, noErr(ambrFromASN))
	case IDERABToBeSetupListBearerSUReq:
		var list []ERABToBeSetupItem
		err := singlesInto(&m.Wire, ie.ID, ie.Value, IDERABToBeSetupItemBearerSUReq, Reject, func(v []byte) error {
			a, err := get[asnERABToBeSetupBearer](v, pSeqExt)
			if err != nil {
				return err
			}
			e, err := erabToBeSetupFromCtxt(asnERABToBeSetupCtxt{ERABID: a.ERABID, QoS: a.QoS, TLA: a.TLA,
				GTPTEID: a.GTPTEID, NASPDU: nonNil(a.NASPDU), IEExtensions: a.IEExtensions})
			list = append(list, e)
			return err
		})
		if err == nil {
			m.ERABs = list
		}
		return true, err
	}
	return false, nil
}

// ERABSetupResponse (§9.1.3, eNB -> MME).
type ERABSetupResponse struct {
	MMEUES1APID            uint32
	ENBUES1APID            uint32
	ERABSetup              []ERABSetupItem
	ERABFailedToSetup      []ERABItem
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

func (*ERABSetupResponse) Procedure() ProcedureCode   { return ProcERABSetup }
func (*ERABSetupResponse) PDUType() PDUType           { return SuccessfulOutcome }
func (m *ERABSetupResponse) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ERABSetupResponse) others() *[]IE            { return &m.Other }

var mandatoryERABSetupResponse = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID}

func (*ERABSetupResponse) mandatory() []ProtocolIEID { return mandatoryERABSetupResponse }
func (m *ERABSetupResponse) encodeIEs(w *ieWriter) {
	w.mmeID(Ignore, m.MMEUES1APID)
	w.enbID(Ignore, m.ENBUES1APID)
	w.erabSetupList(IDERABSetupListBearerSURes, IDERABSetupItemBearerSURes, m.ERABSetup)
	w.erabList(IDERABFailedToSetupListBearerSURes, Ignore, m.ERABFailedToSetup, false)
	w.critDiag(m.CriticalityDiagnostics)
}
func (m *ERABSetupResponse) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDERABSetupListBearerSURes:
		return true, erabSetupListInto(&m.Wire, ie.ID, &m.ERABSetup, ie.Value, IDERABSetupItemBearerSURes)
	case IDERABFailedToSetupListBearerSURes:
		return true, erabListInto(&m.Wire, ie.ID, &m.ERABFailedToSetup, ie.Value)
	}
	return decodeIDsCauseDiag(ie, &m.MMEUES1APID, &m.ENBUES1APID, nil, &m.CriticalityDiagnostics)
}

// ERABModifyRequest (§9.1.3, MME -> eNB).
type ERABModifyRequest struct {
	MMEUES1APID               uint32
	ENBUES1APID               uint32
	UEAggregateMaximumBitrate *UEAggregateMaximumBitrate
	ERABs                     []ERABToBeModifiedItem
	Other                     []IE
	Wire
}

func (*ERABModifyRequest) Procedure() ProcedureCode   { return ProcERABModify }
func (*ERABModifyRequest) PDUType() PDUType           { return InitiatingMessage }
func (m *ERABModifyRequest) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ERABModifyRequest) others() *[]IE            { return &m.Other }

var mandatoryERABModifyRequest = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDERABToBeModifiedListBearerModReq}

func (*ERABModifyRequest) mandatory() []ProtocolIEID { return mandatoryERABModifyRequest }
func (m *ERABModifyRequest) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.ambr(Reject, m.UEAggregateMaximumBitrate)
	w.singles(IDERABToBeModifiedListBearerModReq, Reject, IDERABToBeModifiedItemBearerModReq, Reject, len(m.ERABs), func(i int) (any, error) {
		e := m.ERABs[i]
		q, err := e.QoS.toASN()
		return &asnERABToBeModified{ERABID: int64(e.ERABID), QoS: q, NASPDU: nonNil(e.NASPDU), IEExtensions: extsToASN(e.Ext)}, err
	})
}
func (m *ERABModifyRequest) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDMMEUES1APID, IDENBUES1APID:
		return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
	case IDUEAggregateMaximumBitrate:
		return true, intoP(&m.UEAggregateMaximumBitrate, ie.Value, pSeqExt, noErr(ambrFromASN))
	case IDERABToBeModifiedListBearerModReq:
		var list []ERABToBeModifiedItem
		err := singlesInto(&m.Wire, ie.ID, ie.Value, IDERABToBeModifiedItemBearerModReq, Reject, func(v []byte) error {
			a, err := get[asnERABToBeModified](v, pSeqExt)
			list = append(list, ERABToBeModifiedItem{ERABID: uint8(a.ERABID), QoS: qosFromASN(a.QoS), NASPDU: nonNil(a.NASPDU), Ext: extsFromASN(a.IEExtensions)})
			return err
		})
		if err == nil {
			m.ERABs = list
		}
		return true, err
	}
	return false, nil
}

// ERABModifyResponse (§9.1.3, eNB -> MME).
type ERABModifyResponse struct {
	MMEUES1APID            uint32
	ENBUES1APID            uint32
	ERABModified           []ERABIDItem
	ERABFailedToModify     []ERABItem
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

func (*ERABModifyResponse) Procedure() ProcedureCode   { return ProcERABModify }
func (*ERABModifyResponse) PDUType() PDUType           { return SuccessfulOutcome }
func (m *ERABModifyResponse) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ERABModifyResponse) others() *[]IE            { return &m.Other }

var mandatoryERABModifyResponse = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID}

func (*ERABModifyResponse) mandatory() []ProtocolIEID { return mandatoryERABModifyResponse }
func (m *ERABModifyResponse) encodeIEs(w *ieWriter) {
	w.mmeID(Ignore, m.MMEUES1APID)
	w.enbID(Ignore, m.ENBUES1APID)
	w.erabIDList(IDERABModifyListBearerModRes, IDERABModifyItemBearerModRes, m.ERABModified)
	w.erabList(IDERABFailedToModifyList, Ignore, m.ERABFailedToModify, false)
	w.critDiag(m.CriticalityDiagnostics)
}
func (m *ERABModifyResponse) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDERABModifyListBearerModRes:
		return true, erabIDListInto(&m.Wire, ie.ID, &m.ERABModified, ie.Value, IDERABModifyItemBearerModRes)
	case IDERABFailedToModifyList:
		return true, erabListInto(&m.Wire, ie.ID, &m.ERABFailedToModify, ie.Value)
	}
	return decodeIDsCauseDiag(ie, &m.MMEUES1APID, &m.ENBUES1APID, nil, &m.CriticalityDiagnostics)
}

// ERABReleaseCommand (§9.1.3, MME -> eNB).
type ERABReleaseCommand struct {
	MMEUES1APID               uint32
	ENBUES1APID               uint32
	UEAggregateMaximumBitrate *UEAggregateMaximumBitrate
	ERABs                     []ERABItem
	NASPDU                    []byte
	Other                     []IE
	Wire
}

func (*ERABReleaseCommand) Procedure() ProcedureCode   { return ProcERABRelease }
func (*ERABReleaseCommand) PDUType() PDUType           { return InitiatingMessage }
func (m *ERABReleaseCommand) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ERABReleaseCommand) others() *[]IE            { return &m.Other }

var mandatoryERABReleaseCommand = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDERABToBeReleasedList}

func (*ERABReleaseCommand) mandatory() []ProtocolIEID { return mandatoryERABReleaseCommand }
func (m *ERABReleaseCommand) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.ambr(Reject, m.UEAggregateMaximumBitrate)
	w.erabList(IDERABToBeReleasedList, Ignore, m.ERABs, true)
	w.optOctets(IDNASPDU, Ignore, m.NASPDU)
}
func (m *ERABReleaseCommand) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDMMEUES1APID, IDENBUES1APID:
		return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
	case IDUEAggregateMaximumBitrate:
		return true, intoP(&m.UEAggregateMaximumBitrate, ie.Value, pSeqExt, noErr(ambrFromASN))
	case IDERABToBeReleasedList:
		return true, erabListInto(&m.Wire, ie.ID, &m.ERABs, ie.Value)
	case IDNASPDU:
		return true, octetsInto(&m.NASPDU, ie.Value)
	}
	return false, nil
}

// ERABReleaseResponse (§9.1.3, eNB -> MME).
type ERABReleaseResponse struct {
	MMEUES1APID             uint32
	ENBUES1APID             uint32
	ERABReleased            []ERABIDItem
	ERABFailedToRelease     []ERABItem
	CriticalityDiagnostics  *CriticalityDiagnostics
	UserLocationInformation *UserLocationInformation
	Other                   []IE
	Wire
}

func (*ERABReleaseResponse) Procedure() ProcedureCode   { return ProcERABRelease }
func (*ERABReleaseResponse) PDUType() PDUType           { return SuccessfulOutcome }
func (m *ERABReleaseResponse) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *ERABReleaseResponse) others() *[]IE            { return &m.Other }

var mandatoryERABReleaseResponse = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID}

func (*ERABReleaseResponse) mandatory() []ProtocolIEID { return mandatoryERABReleaseResponse }
func (m *ERABReleaseResponse) encodeIEs(w *ieWriter) {
	w.mmeID(Ignore, m.MMEUES1APID)
	w.enbID(Ignore, m.ENBUES1APID)
	w.erabIDList(IDERABReleaseListBearerRelComp, 15 /* id-E-RABReleaseItemBearerRelComp */, m.ERABReleased)
	w.erabList(IDERABFailedToReleaseList, Ignore, m.ERABFailedToRelease, false)
	w.critDiag(m.CriticalityDiagnostics)
	w.uli(m.UserLocationInformation)
}
func (m *ERABReleaseResponse) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDERABReleaseListBearerRelComp:
		return true, erabIDListInto(&m.Wire, ie.ID, &m.ERABReleased, ie.Value, 15)
	case IDERABFailedToReleaseList:
		return true, erabListInto(&m.Wire, ie.ID, &m.ERABFailedToRelease, ie.Value)
	case IDUserLocationInformation:
		return true, intoP(&m.UserLocationInformation, ie.Value, pSeqExt, uliFromASN)
	}
	return decodeIDsCauseDiag(ie, &m.MMEUES1APID, &m.ENBUES1APID, nil, &m.CriticalityDiagnostics)
}

// UECapabilityInfoIndication (§9.1.10, eNB -> MME).
type UECapabilityInfoIndication struct {
	MMEUES1APID                uint32
	ENBUES1APID                uint32
	UERadioCapability          []byte
	UERadioCapabilityForPaging []byte
	LTEMIndication             bool // Rel-14: the UE is a category M1 UE
	Other                      []IE
	Wire
}

func (*UECapabilityInfoIndication) Procedure() ProcedureCode   { return ProcUECapabilityInfoIndication }
func (*UECapabilityInfoIndication) PDUType() PDUType           { return InitiatingMessage }
func (m *UECapabilityInfoIndication) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *UECapabilityInfoIndication) others() *[]IE            { return &m.Other }

var mandatoryUECapabilityInfoIndication = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDUERadioCapability}

func (*UECapabilityInfoIndication) mandatory() []ProtocolIEID {
	return mandatoryUECapabilityInfoIndication
}
func (m *UECapabilityInfoIndication) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.octets(IDUERadioCapability, Ignore, m.UERadioCapability)
	w.optOctets(IDUERadioCapabilityForPaging, Ignore, m.UERadioCapabilityForPaging)
	w.flag(IDLTEMIndication, Ignore, m.LTEMIndication)
}
func (m *UECapabilityInfoIndication) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDUERadioCapability:
		return true, octetsInto(&m.UERadioCapability, ie.Value)
	case IDUERadioCapabilityForPaging:
		return true, octetsInto(&m.UERadioCapabilityForPaging, ie.Value)
	case IDLTEMIndication:
		return true, flagInto(&m.LTEMIndication, ie.Value)
	}
	return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
}

// HandoverNotify (§9.1.5, target eNB -> MME).
type HandoverNotify struct {
	MMEUES1APID uint32
	ENBUES1APID uint32
	EUTRANCGI   EUTRANCGI
	TAI         TAI
	Other       []IE
	Wire
}

func (*HandoverNotify) Procedure() ProcedureCode   { return ProcHandoverNotification }
func (*HandoverNotify) PDUType() PDUType           { return InitiatingMessage }
func (m *HandoverNotify) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *HandoverNotify) others() *[]IE            { return &m.Other }

var mandatoryHandoverNotify = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDEUTRANCGI, IDTAI}

func (*HandoverNotify) mandatory() []ProtocolIEID { return mandatoryHandoverNotify }
func (m *HandoverNotify) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.cgi(IDEUTRANCGI, Ignore, m.EUTRANCGI)
	w.tai(IDTAI, Ignore, m.TAI)
}
func (m *HandoverNotify) decodeIE(ie IE) (bool, error) {
	switch ie.ID {
	case IDEUTRANCGI:
		return true, cgiInto(&m.EUTRANCGI, ie.Value)
	case IDTAI:
		return true, taiInto(&m.TAI, ie.Value)
	}
	return decodeIDs(ie, &m.MMEUES1APID, &m.ENBUES1APID)
}

// HandoverCancel (§9.1.5, source eNB -> MME).
type HandoverCancel struct {
	MMEUES1APID uint32
	ENBUES1APID uint32
	Cause       Cause
	Other       []IE
	Wire
}

func (*HandoverCancel) Procedure() ProcedureCode   { return ProcHandoverCancel }
func (*HandoverCancel) PDUType() PDUType           { return InitiatingMessage }
func (m *HandoverCancel) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *HandoverCancel) others() *[]IE            { return &m.Other }

var mandatoryHandoverCancel = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID, IDCause}

func (*HandoverCancel) mandatory() []ProtocolIEID { return mandatoryHandoverCancel }
func (m *HandoverCancel) encodeIEs(w *ieWriter) {
	w.mmeID(Reject, m.MMEUES1APID)
	w.enbID(Reject, m.ENBUES1APID)
	w.cause(Ignore, m.Cause)
}
func (m *HandoverCancel) decodeIE(ie IE) (bool, error) {
	return decodeIDsCauseDiag(ie, &m.MMEUES1APID, &m.ENBUES1APID, &m.Cause, nil)
}

// HandoverCancelAcknowledge (§9.1.5, MME -> source eNB).
type HandoverCancelAcknowledge struct {
	MMEUES1APID            uint32
	ENBUES1APID            uint32
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

func (*HandoverCancelAcknowledge) Procedure() ProcedureCode   { return ProcHandoverCancel }
func (*HandoverCancelAcknowledge) PDUType() PDUType           { return SuccessfulOutcome }
func (m *HandoverCancelAcknowledge) Marshal() ([]byte, error) { return marshalTyped(m) }
func (m *HandoverCancelAcknowledge) others() *[]IE            { return &m.Other }

var mandatoryHandoverCancelAcknowledge = []ProtocolIEID{IDMMEUES1APID, IDENBUES1APID}

func (*HandoverCancelAcknowledge) mandatory() []ProtocolIEID {
	return mandatoryHandoverCancelAcknowledge
}
func (m *HandoverCancelAcknowledge) encodeIEs(w *ieWriter) {
	w.mmeID(Ignore, m.MMEUES1APID)
	w.enbID(Ignore, m.ENBUES1APID)
	w.critDiag(m.CriticalityDiagnostics)
}
func (m *HandoverCancelAcknowledge) decodeIE(ie IE) (bool, error) {
	return decodeIDsCauseDiag(ie, &m.MMEUES1APID, &m.ENBUES1APID, nil, &m.CriticalityDiagnostics)
}

// newTyped returns an empty typed message for (type, procedure), or nil.
func newTyped(t PDUType, c ProcedureCode) typed {
	switch t {
	case InitiatingMessage:
		switch c {
		case ProcS1Setup:
			return &S1SetupRequest{}
		case ProcInitialUEMessage:
			return &InitialUEMessage{}
		case ProcDownlinkNASTransport:
			return &DownlinkNASTransport{}
		case ProcUplinkNASTransport:
			return &UplinkNASTransport{}
		case ProcNASNonDeliveryIndication:
			return &NASNonDeliveryIndication{}
		case ProcNASDeliveryIndication:
			return &NASDeliveryIndication{}
		case ProcConnectionEstablishmentIndication:
			return &ConnectionEstablishmentIndication{}
		case ProcInitialContextSetup:
			return &InitialContextSetupRequest{}
		case ProcUEContextReleaseRequest:
			return &UEContextReleaseRequest{}
		case ProcUEContextRelease:
			return &UEContextReleaseCommand{}
		case ProcPaging:
			return &Paging{}
		case ProcErrorIndication:
			return &ErrorIndication{}
		case ProcReset:
			return &Reset{}
		case ProcERABSetup:
			return &ERABSetupRequest{}
		case ProcERABModify:
			return &ERABModifyRequest{}
		case ProcERABRelease:
			return &ERABReleaseCommand{}
		case ProcUECapabilityInfoIndication:
			return &UECapabilityInfoIndication{}
		case ProcHandoverNotification:
			return &HandoverNotify{}
		case ProcHandoverCancel:
			return &HandoverCancel{}
		}
	case SuccessfulOutcome:
		switch c {
		case ProcS1Setup:
			return &S1SetupResponse{}
		case ProcInitialContextSetup:
			return &InitialContextSetupResponse{}
		case ProcUEContextRelease:
			return &UEContextReleaseComplete{}
		case ProcReset:
			return &ResetAcknowledge{}
		case ProcERABSetup:
			return &ERABSetupResponse{}
		case ProcERABModify:
			return &ERABModifyResponse{}
		case ProcERABRelease:
			return &ERABReleaseResponse{}
		case ProcHandoverCancel:
			return &HandoverCancelAcknowledge{}
		}
	case UnsuccessfulOutcome:
		switch c {
		case ProcS1Setup:
			return &S1SetupFailure{}
		case ProcInitialContextSetup:
			return &InitialContextSetupFailure{}
		}
	}
	return nil
}
