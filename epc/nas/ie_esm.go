package nas

import (
	"fmt"
	"net/netip"
	"strings"
)

// PDNType is TS 24.301 §9.9.4.10 (bits 3-1; bit 4 spare).
type PDNType uint8

// PDN types.
const (
	PDNTypeIPv4     PDNType = 1
	PDNTypeIPv6     PDNType = 2
	PDNTypeIPv4v6   PDNType = 3
	PDNTypeNonIP    PDNType = 5
	PDNTypeEthernet PDNType = 6
)

func (t PDNType) String() string {
	switch t & 0x07 {
	case PDNTypeIPv4:
		return "IPv4"
	case PDNTypeIPv6:
		return "IPv6"
	case PDNTypeIPv4v6:
		return "IPv4v6"
	case PDNTypeNonIP:
		return "non-IP"
	case PDNTypeEthernet:
		return "Ethernet"
	}
	return fmt.Sprintf("PDN type %d", uint8(t))
}

// RequestType is TS 24.008 §10.5.6.17 as TS 24.301 §9.9.4.14 uses it
// (bits 3-1; bit 4 spare).
type RequestType uint8

// Request types.
const (
	RequestInitial             RequestType = 1
	RequestHandover            RequestType = 2
	RequestEmergency           RequestType = 4
	RequestHandoverOfEmergency RequestType = 6
)

// PDNAddress is TS 24.301 §9.9.4.9: the PDN type (bits 3-1 of octet 3;
// bits 8-4 spare) and the address information as sent: IPv4 (4 octets),
// IPv6 interface identifier (8), IPv4v6 (8 then 4) or, for non-IP, 4 spare
// octets.
type PDNAddress struct {
	Type    PDNType
	Address []byte
}

// IPv4 returns the IPv4 address of an IPv4 or IPv4v6 PDN address.
func (a *PDNAddress) IPv4() (netip.Addr, bool) {
	switch {
	case a.Type == PDNTypeIPv4 && len(a.Address) >= 4:
		return netip.AddrFrom4([4]byte(a.Address[:4])), true
	case a.Type == PDNTypeIPv4v6 && len(a.Address) >= 12:
		return netip.AddrFrom4([4]byte(a.Address[8:12])), true
	}
	return netip.Addr{}, false
}

// IPv6InterfaceID returns the interface identifier of an IPv6 or IPv4v6
// PDN address.
func (a *PDNAddress) IPv6InterfaceID() ([8]byte, bool) {
	if (a.Type == PDNTypeIPv6 || a.Type == PDNTypeIPv4v6) && len(a.Address) >= 8 {
		return [8]byte(a.Address[:8]), true
	}
	return [8]byte{}, false
}

func (a *PDNAddress) encodeValue(e *encoder) {
	e.u8(uint8(a.Type) & 0x07)
	e.raw(a.Address)
}

func (a *PDNAddress) decodeValue(v []byte) error {
	if len(v) == 0 {
		return invalidf("empty PDN address")
	}
	a.Type = PDNType(v[0] & 0x07)
	a.Address = v[1:]
	return nil
}

// AccessPointName is TS 24.008 §10.5.6.1: the APN in the label encoding of
// TS 23.003 §9.1 (a length octet before each label), kept as sent.
type AccessPointName []byte

// NewAPN encodes a dotted APN ("internet", "ims.mnc070.mcc901.gprs").
func NewAPN(name string) (AccessPointName, error) {
	var b []byte
	for _, l := range strings.Split(name, ".") {
		if len(l) == 0 || len(l) > 63 {
			return nil, invalidf("APN label %q", l)
		}
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	if len(b) > 100 {
		return nil, invalidf("APN of %d octets", len(b))
	}
	return b, nil
}

// String decodes the labels into the dotted form. An APN that is not in
// the label encoding is returned as it is.
func (a AccessPointName) String() string {
	var b strings.Builder
	for i := 0; i < len(a); {
		n := int(a[i])
		if n == 0 || i+1+n > len(a) {
			return string(a)
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.Write(a[i+1 : i+1+n])
		i += 1 + n
	}
	return b.String()
}

// ESMCause is TS 24.301 §9.9.4.4.
type ESMCause uint8

var esmCauses = map[ESMCause]string{
	8: "Operator Determined Barring", 26: "Insufficient resources",
	27: "Missing or unknown APN", 28: "Unknown PDN type", 29: "User authentication failed",
	30: "Request rejected by Serving GW or PDN GW", 31: "Request rejected, unspecified",
	32: "Service option not supported", 33: "Requested service option not subscribed",
	34: "Service option temporarily out of order", 35: "PTI already in use",
	36: "Regular deactivation", 37: "EPS QoS not accepted", 38: "Network failure",
	39: "Reactivation requested", 41: "Semantic error in the TFT operation",
	42: "Syntactical error in the TFT operation", 43: "Invalid EPS bearer identity",
	44: "Semantic errors in packet filter(s)", 45: "Syntactical errors in packet filter(s)",
	47: "PTI mismatch", 49: "Last PDN disconnection not allowed",
	50: "PDN type IPv4 only allowed", 51: "PDN type IPv6 only allowed",
	52: "Single address bearers only allowed", 53: "ESM information not received",
	54: "PDN connection does not exist", 55: "Multiple PDN connections for a given APN not allowed",
	56: "Collision with network initiated request", 57: "PDN type IPv4v6 only allowed",
	58: "PDN type non IP only allowed", 59: "Unsupported QCI value", 60: "Bearer handling not supported",
	61: "PDN type Ethernet only allowed", 65: "Maximum number of EPS bearers reached",
	66: "Requested APN not supported in current RAT and PLMN combination",
	81: "Invalid PTI value", 95: "Semantically incorrect message", 96: "Invalid mandatory information",
	97: "Message type non-existent or not implemented",
	98: "Message type not compatible with the protocol state",
	99: "Information element non-existent or not implemented", 100: "Conditional IE error",
	101: "Message not compatible with the protocol state", 111: "Protocol error, unspecified",
	112: "APN restriction value incompatible with active EPS bearer context",
	113: "Multiple accesses to a PDN connection not allowed",
}

func (c ESMCause) String() string {
	if s, ok := esmCauses[c]; ok {
		return fmt.Sprintf("#%d %s", uint8(c), s)
	}
	return fmt.Sprintf("#%d", uint8(c))
}

func (c *ESMCause) encodeValue(e *encoder) { e.u8(uint8(*c)) }

func (c *ESMCause) decodeValue(v []byte) error {
	if len(v) != 1 {
		return invalidf("ESM cause of %d octets", len(v))
	}
	*c = ESMCause(v[0])
	return nil
}

// EPSQoS is TS 24.301 §9.9.4.3, kept as sent (1 to 13 octets of value).
type EPSQoS []byte

// QCI is octet 3.
func (q EPSQoS) QCI() uint8 { return octet(q, 0) }

// ReleaseAssistanceIndication is TS 24.301 §9.9.4.25: bits 2-1 DDX
// (downlink data expected); bits 4-3 spare.
type ReleaseAssistanceIndication uint8

// DDX values.
const (
	// DDXNoInformation: no information available.
	DDXNoInformation ReleaseAssistanceIndication = 0
	// DDXNoFurtherData: no further uplink or downlink data transmission
	// subsequent to the uplink data transmission is expected.
	DDXNoFurtherData ReleaseAssistanceIndication = 1
	// DDXSingleDownlink: only a single downlink data transmission and no
	// further uplink data transmission subsequent to the uplink data
	// transmission is expected.
	DDXSingleDownlink ReleaseAssistanceIndication = 2
)

// DDX is bits 2-1.
func (r ReleaseAssistanceIndication) DDX() uint8 { return uint8(r) & 0x03 }
