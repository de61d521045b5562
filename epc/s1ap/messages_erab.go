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

func (m *ERABSetupRequest) encERABs(w *ieWriter, id ProtocolIEID, c Criticality) {
	w.singles(id, c, IDERABToBeSetupItemBearerSUReq, Reject, len(m.ERABs), func(i int) (any, error) {
		e := m.ERABs[i]
		q, err := e.QoS.toASN()
		return &asnERABToBeSetupBearer{ERABID: int64(e.ERABID), QoS: q, TLA: tlaToASN(e.TransportLayerAddress),
			GTPTEID: u32b(e.GTPTEID), NASPDU: nonNil(e.NASPDU), IEExtensions: extsToASN(e.Ext)}, err
	})
}

func (m *ERABSetupRequest) decERABs(id ProtocolIEID, b []byte) error {
	var list []ERABToBeSetupItem
	err := singlesInto(&m.Wire, id, b, IDERABToBeSetupItemBearerSUReq, Reject, func(v []byte) error {
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
	return err
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

// ERABModifyRequest (§9.1.3, MME -> eNB).
type ERABModifyRequest struct {
	MMEUES1APID               uint32
	ENBUES1APID               uint32
	UEAggregateMaximumBitrate *UEAggregateMaximumBitrate
	ERABs                     []ERABToBeModifiedItem
	Other                     []IE
	Wire
}

func (m *ERABModifyRequest) encERABs(w *ieWriter, id ProtocolIEID, c Criticality) {
	w.singles(id, c, IDERABToBeModifiedItemBearerModReq, Reject, len(m.ERABs), func(i int) (any, error) {
		e := m.ERABs[i]
		q, err := e.QoS.toASN()
		return &asnERABToBeModified{ERABID: int64(e.ERABID), QoS: q, NASPDU: nonNil(e.NASPDU), IEExtensions: extsToASN(e.Ext)}, err
	})
}

func (m *ERABModifyRequest) decERABs(id ProtocolIEID, b []byte) error {
	var list []ERABToBeModifiedItem
	err := singlesInto(&m.Wire, id, b, IDERABToBeModifiedItemBearerModReq, Reject, func(v []byte) error {
		a, err := get[asnERABToBeModified](v, pSeqExt)
		list = append(list, ERABToBeModifiedItem{ERABID: uint8(a.ERABID), QoS: qosFromASN(a.QoS), NASPDU: nonNil(a.NASPDU), Ext: extsFromASN(a.IEExtensions)})
		return err
	})
	if err == nil {
		m.ERABs = list
	}
	return err
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

// HandoverNotify (§9.1.5, target eNB -> MME).
type HandoverNotify struct {
	MMEUES1APID uint32
	ENBUES1APID uint32
	EUTRANCGI   EUTRANCGI
	TAI         TAI
	Other       []IE
	Wire
}

// HandoverCancel (§9.1.5, source eNB -> MME).
type HandoverCancel struct {
	MMEUES1APID uint32
	ENBUES1APID uint32
	Cause       Cause
	Other       []IE
	Wire
}

// HandoverCancelAcknowledge (§9.1.5, MME -> source eNB).
type HandoverCancelAcknowledge struct {
	MMEUES1APID            uint32
	ENBUES1APID            uint32
	CriticalityDiagnostics *CriticalityDiagnostics
	Other                  []IE
	Wire
}

// newTyped returns an empty typed message for (type, procedure), or nil.
