package nas

// ActivateDefaultEPSBearerContextRequest is ACTIVATE DEFAULT EPS BEARER
// CONTEXT REQUEST (TS 24.301 §8.3.6), network to UE.
type ActivateDefaultEPSBearerContextRequest struct {
	ESMHeader
	QoS        EPSQoS
	APN        AccessPointName
	PDNAddress PDNAddress

	TransactionIdentifier          []byte
	NegotiatedQoS                  []byte
	NegotiatedLLCSAPI              []byte
	RadioPriority                  *uint8
	PacketFlowIdentifier           []byte
	APNAMBR                        []byte
	ESMCause                       *ESMCause
	PCO                            []byte // protocol configuration options
	ConnectivityType               *uint8
	WLANOffloadIndication          *uint8
	NBIFOMContainer                []byte
	HeaderCompressionConfiguration []byte
	ControlPlaneOnlyIndication     *uint8
	EPCO                           []byte // extended PCO
	ServingPLMNRateControl         []byte
	ExtendedAPNAMBR                []byte
	Extra                          []RawIE
}

// activateDefaultEPSBearerContextRequestDesc is TS 24.301 table 8.3.6.1.
var activateDefaultEPSBearerContextRequestDesc = descOf[ActivateDefaultEPSBearerContextRequest]{Type: TypeActivateDefaultEPSBearerContextRequest, Dir: Downlink, IEs: []IE{
	{Name: "EPS QoS", Format: FormatLV, Presence: Mandatory, Field: "QoS"},
	{Name: "access point name", Format: FormatLV, Presence: Mandatory, Field: "APN"},
	{Name: "PDN address", Format: FormatLV, Presence: Mandatory, Field: "PDNAddress"},
	{IEI: 0x5d, Name: "transaction identifier", Format: FormatTLV, Presence: Optional, Field: "TransactionIdentifier"},
	{IEI: 0x30, Name: "negotiated QoS", Format: FormatTLV, Presence: Optional, Field: "NegotiatedQoS"},
	{IEI: 0x32, Name: "negotiated LLC SAPI", Format: FormatTV, Presence: Optional, Len: 2, Field: "NegotiatedLLCSAPI"},
	{IEI: 0x80, Name: "radio priority", Format: FormatTV, Presence: Optional, Len: 1, Field: "RadioPriority"},
	{IEI: 0x34, Name: "packet flow identifier", Format: FormatTLV, Presence: Optional, Field: "PacketFlowIdentifier"},
	{IEI: 0x5e, Name: "APN-AMBR", Format: FormatTLV, Presence: Optional, Field: "APNAMBR"},
	{IEI: 0x58, Name: "ESM cause", Format: FormatTV, Presence: Optional, Len: 2, Field: "ESMCause"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0xb0, Name: "connectivity type", Format: FormatTV, Presence: Optional, Len: 1, Field: "ConnectivityType"},
	{IEI: 0xc0, Name: "WLAN offload indication", Format: FormatTV, Presence: Optional, Len: 1, Field: "WLANOffloadIndication"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x66, Name: "header compression configuration", Format: FormatTLV, Presence: Optional, Field: "HeaderCompressionConfiguration"},
	{IEI: 0x90, Name: "control plane only indication", Format: FormatTV, Presence: Optional, Len: 1, Field: "ControlPlaneOnlyIndication"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
	{IEI: 0x6e, Name: "serving PLMN rate control", Format: FormatTLV, Presence: Optional, Field: "ServingPLMNRateControl"},
	{IEI: 0x5f, Name: "extended APN-AMBR", Format: FormatTLV, Presence: Optional, Field: "ExtendedAPNAMBR"},
}}

// pcoOptions is the optional part shared by many ESM messages: protocol
// configuration options, NBIFOM container and extended protocol
// configuration options. A message whose descriptor does not list the
// NBIFOM container neither writes nor reads NBIFOMContainer (0x33 goes to
// Extra).
type pcoOptions struct {
	PCO             []byte
	NBIFOMContainer []byte
	EPCO            []byte
	Extra           []RawIE
}

// ActivateDefaultEPSBearerContextAccept is ACTIVATE DEFAULT EPS BEARER
// CONTEXT ACCEPT (TS 24.301 §8.3.4), UE to network. NBIFOMContainer is
// not part of this message.
type ActivateDefaultEPSBearerContextAccept struct {
	ESMHeader
	pcoOptions
}

// activateDefaultEPSBearerContextAcceptDesc is TS 24.301 table 8.3.4.1.
var activateDefaultEPSBearerContextAcceptDesc = descOf[ActivateDefaultEPSBearerContextAccept]{Type: TypeActivateDefaultEPSBearerContextAccept, Dir: Uplink, IEs: []IE{
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// ActivateDefaultEPSBearerContextReject is ACTIVATE DEFAULT EPS BEARER
// CONTEXT REJECT (TS 24.301 §8.3.5), UE to network. NBIFOMContainer is
// not part of this message.
type ActivateDefaultEPSBearerContextReject struct {
	ESMHeader
	Cause ESMCause
	pcoOptions
}

// activateDefaultEPSBearerContextRejectDesc is TS 24.301 table 8.3.5.1.
var activateDefaultEPSBearerContextRejectDesc = descOf[ActivateDefaultEPSBearerContextReject]{Type: TypeActivateDefaultEPSBearerContextReject, Dir: Uplink, IEs: []IE{
	{Name: "ESM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// ActivateDedicatedEPSBearerContextRequest is ACTIVATE DEDICATED EPS
// BEARER CONTEXT REQUEST (TS 24.301 §8.3.3), network to UE.
type ActivateDedicatedEPSBearerContextRequest struct {
	ESMHeader
	LinkedEBI uint8 // bits 4-1 (bits 8-5 spare)
	QoS       EPSQoS
	TFT       []byte // traffic flow template, TS 24.008 §10.5.6.12

	TransactionIdentifier []byte
	NegotiatedQoS         []byte
	NegotiatedLLCSAPI     []byte
	RadioPriority         *uint8
	PacketFlowIdentifier  []byte
	PCO                   []byte
	WLANOffloadIndication *uint8
	NBIFOMContainer       []byte
	EPCO                  []byte
	ExtendedEPSQoS        []byte
	Extra                 []RawIE
}

// activateDedicatedEPSBearerContextRequestDesc is TS 24.301 table 8.3.3.1.
var activateDedicatedEPSBearerContextRequestDesc = descOf[ActivateDedicatedEPSBearerContextRequest]{Type: TypeActivateDedicatedEPSBearerContextRequest, Dir: Downlink, IEs: []IE{
	{Name: "linked EPS bearer identity", Format: FormatV, Presence: Mandatory, Field: "LinkedEBI"},
	{Name: "spare half octet", Format: FormatV, Presence: Mandatory},
	{Name: "EPS QoS", Format: FormatLV, Presence: Mandatory, Field: "QoS"},
	{Name: "TFT", Format: FormatLV, Presence: Mandatory, Field: "TFT"},
	{IEI: 0x5d, Name: "transaction identifier", Format: FormatTLV, Presence: Optional, Field: "TransactionIdentifier"},
	{IEI: 0x30, Name: "negotiated QoS", Format: FormatTLV, Presence: Optional, Field: "NegotiatedQoS"},
	{IEI: 0x32, Name: "negotiated LLC SAPI", Format: FormatTV, Presence: Optional, Len: 2, Field: "NegotiatedLLCSAPI"},
	{IEI: 0x80, Name: "radio priority", Format: FormatTV, Presence: Optional, Len: 1, Field: "RadioPriority"},
	{IEI: 0x34, Name: "packet flow identifier", Format: FormatTLV, Presence: Optional, Field: "PacketFlowIdentifier"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0xc0, Name: "WLAN offload indication", Format: FormatTV, Presence: Optional, Len: 1, Field: "WLANOffloadIndication"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
	{IEI: 0x5c, Name: "extended EPS QoS", Format: FormatTLV, Presence: Optional, Field: "ExtendedEPSQoS"},
}}

// ActivateDedicatedEPSBearerContextAccept is ACTIVATE DEDICATED EPS BEARER
// CONTEXT ACCEPT (TS 24.301 §8.3.1), UE to network.
type ActivateDedicatedEPSBearerContextAccept struct {
	ESMHeader
	pcoOptions
}

// activateDedicatedEPSBearerContextAcceptDesc is TS 24.301 table 8.3.1.1.
var activateDedicatedEPSBearerContextAcceptDesc = descOf[ActivateDedicatedEPSBearerContextAccept]{Type: TypeActivateDedicatedEPSBearerContextAccept, Dir: Uplink, IEs: []IE{
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// ActivateDedicatedEPSBearerContextReject is ACTIVATE DEDICATED EPS BEARER
// CONTEXT REJECT (TS 24.301 §8.3.2), UE to network.
type ActivateDedicatedEPSBearerContextReject struct {
	ESMHeader
	Cause ESMCause
	pcoOptions
}

// activateDedicatedEPSBearerContextRejectDesc is TS 24.301 table 8.3.2.1.
var activateDedicatedEPSBearerContextRejectDesc = descOf[ActivateDedicatedEPSBearerContextReject]{Type: TypeActivateDedicatedEPSBearerContextReject, Dir: Uplink, IEs: []IE{
	{Name: "ESM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// ModifyEPSBearerContextRequest is MODIFY EPS BEARER CONTEXT REQUEST
// (TS 24.301 §8.3.18), network to UE.
type ModifyEPSBearerContextRequest struct {
	ESMHeader
	NewEPSQoS                      EPSQoS
	TFT                            []byte
	NewQoS                         []byte
	NegotiatedLLCSAPI              []byte
	RadioPriority                  *uint8
	PacketFlowIdentifier           []byte
	APNAMBR                        []byte
	PCO                            []byte
	WLANOffloadIndication          *uint8
	NBIFOMContainer                []byte
	HeaderCompressionConfiguration []byte
	EPCO                           []byte
	ExtendedAPNAMBR                []byte
	ExtendedEPSQoS                 []byte
	Extra                          []RawIE
}

// modifyEPSBearerContextRequestDesc is TS 24.301 table 8.3.18.1.
var modifyEPSBearerContextRequestDesc = descOf[ModifyEPSBearerContextRequest]{Type: TypeModifyEPSBearerContextRequest, Dir: Downlink, IEs: []IE{
	{IEI: 0x5b, Name: "new EPS QoS", Format: FormatTLV, Presence: Optional, Field: "NewEPSQoS"},
	{IEI: 0x36, Name: "TFT", Format: FormatTLV, Presence: Optional, Field: "TFT"},
	{IEI: 0x30, Name: "new QoS", Format: FormatTLV, Presence: Optional, Field: "NewQoS"},
	{IEI: 0x32, Name: "negotiated LLC SAPI", Format: FormatTV, Presence: Optional, Len: 2, Field: "NegotiatedLLCSAPI"},
	{IEI: 0x80, Name: "radio priority", Format: FormatTV, Presence: Optional, Len: 1, Field: "RadioPriority"},
	{IEI: 0x34, Name: "packet flow identifier", Format: FormatTLV, Presence: Optional, Field: "PacketFlowIdentifier"},
	{IEI: 0x5e, Name: "APN-AMBR", Format: FormatTLV, Presence: Optional, Field: "APNAMBR"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0xc0, Name: "WLAN offload indication", Format: FormatTV, Presence: Optional, Len: 1, Field: "WLANOffloadIndication"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x66, Name: "header compression configuration", Format: FormatTLV, Presence: Optional, Field: "HeaderCompressionConfiguration"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
	{IEI: 0x5f, Name: "extended APN-AMBR", Format: FormatTLV, Presence: Optional, Field: "ExtendedAPNAMBR"},
	{IEI: 0x5c, Name: "extended EPS QoS", Format: FormatTLV, Presence: Optional, Field: "ExtendedEPSQoS"},
}}

// ModifyEPSBearerContextAccept is MODIFY EPS BEARER CONTEXT ACCEPT
// (TS 24.301 §8.3.16), UE to network.
type ModifyEPSBearerContextAccept struct {
	ESMHeader
	pcoOptions
}

// modifyEPSBearerContextAcceptDesc is TS 24.301 table 8.3.16.1.
var modifyEPSBearerContextAcceptDesc = descOf[ModifyEPSBearerContextAccept]{Type: TypeModifyEPSBearerContextAccept, Dir: Uplink, IEs: []IE{
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// ModifyEPSBearerContextReject is MODIFY EPS BEARER CONTEXT REJECT
// (TS 24.301 §8.3.17), UE to network.
type ModifyEPSBearerContextReject struct {
	ESMHeader
	Cause ESMCause
	pcoOptions
}

// modifyEPSBearerContextRejectDesc is TS 24.301 table 8.3.17.1.
var modifyEPSBearerContextRejectDesc = descOf[ModifyEPSBearerContextReject]{Type: TypeModifyEPSBearerContextReject, Dir: Uplink, IEs: []IE{
	{Name: "ESM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// DeactivateEPSBearerContextRequest is DEACTIVATE EPS BEARER CONTEXT
// REQUEST (TS 24.301 §8.3.12), network to UE.
type DeactivateEPSBearerContextRequest struct {
	ESMHeader
	Cause                 ESMCause
	PCO                   []byte
	T3396                 *GPRSTimer3
	WLANOffloadIndication *uint8
	NBIFOMContainer       []byte
	EPCO                  []byte
	Extra                 []RawIE
}

// deactivateEPSBearerContextRequestDesc is TS 24.301 table 8.3.12.1.
var deactivateEPSBearerContextRequestDesc = descOf[DeactivateEPSBearerContextRequest]{Type: TypeDeactivateEPSBearerContextRequest, Dir: Downlink, IEs: []IE{
	{Name: "ESM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x37, Name: "T3396 value", Format: FormatTLV, Presence: Optional, Field: "T3396"},
	{IEI: 0xc0, Name: "WLAN offload indication", Format: FormatTV, Presence: Optional, Len: 1, Field: "WLANOffloadIndication"},
	{IEI: 0x33, Name: "NBIFOM container", Format: FormatTLV, Presence: Optional, Field: "NBIFOMContainer"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}

// DeactivateEPSBearerContextAccept is DEACTIVATE EPS BEARER CONTEXT
// ACCEPT (TS 24.301 §8.3.11), UE to network. NBIFOMContainer is not part
// of this message.
type DeactivateEPSBearerContextAccept struct {
	ESMHeader
	pcoOptions
}

// deactivateEPSBearerContextAcceptDesc is TS 24.301 table 8.3.11.1.
var deactivateEPSBearerContextAcceptDesc = descOf[DeactivateEPSBearerContextAccept]{Type: TypeDeactivateEPSBearerContextAccept, Dir: Uplink, IEs: []IE{
	{IEI: 0x27, Name: "protocol configuration options", Format: FormatTLV, Presence: Optional, Field: "PCO"},
	{IEI: 0x7b, Name: "extended protocol configuration options", Format: FormatTLVE, Presence: Optional, Field: "EPCO"},
}}
