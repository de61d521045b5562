package nas

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/nbsim/nbsim/gpp"
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

func (c ESMCause) String() string { return gpp.ESMCauseString(uint8(c)) }

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
