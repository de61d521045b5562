package nas

// DownlinkNASTransport is DOWNLINK NAS TRANSPORT (TS 24.301 §8.2.12),
// network to UE: an SMS (TS 24.011 CP message) in the NAS message
// container.
type DownlinkNASTransport struct {
	NASMessageContainer []byte // §9.9.3.22, LV 2-251
	Extra               []RawIE
}

// downlinkNASTransportDesc is TS 24.301 table 8.2.12.1.
var downlinkNASTransportDesc = descOf[DownlinkNASTransport]{Type: TypeDownlinkNASTransport, Dir: Downlink, IEs: []IE{
	{Name: "NAS message container", Format: FormatLV, Presence: Mandatory, Field: "NASMessageContainer"},
}}

// UplinkNASTransport is UPLINK NAS TRANSPORT (TS 24.301 §8.2.30), UE to
// network.
type UplinkNASTransport struct {
	NASMessageContainer []byte // §9.9.3.22, LV 2-251
	Extra               []RawIE
}

// uplinkNASTransportDesc is TS 24.301 table 8.2.30.1.
var uplinkNASTransportDesc = descOf[UplinkNASTransport]{Type: TypeUplinkNASTransport, Dir: Uplink, IEs: []IE{
	{Name: "NAS message container", Format: FormatLV, Presence: Mandatory, Field: "NASMessageContainer"},
}}
