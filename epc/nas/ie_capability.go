package nas

// Capability and feature IEs are kept as their octets (their length varies
// with the sender's release and every received value must re-encode
// unchanged); methods read and set the bits TS 24.301 names.

// CapabilityBit is a named bit of a capability IE: Octet is the index in the value
// part (0 = octet 3 of the IE as TS 24.301 numbers it), Mask the bit.
type CapabilityBit struct {
	Octet int
	Mask  uint8
}

func getBit(b []byte, f CapabilityBit) bool { return f.Octet < len(b) && b[f.Octet]&f.Mask != 0 }

func setBit(b []byte, f CapabilityBit, on bool) []byte {
	for len(b) <= f.Octet {
		b = append(b, 0)
	}
	if on {
		b[f.Octet] |= f.Mask
	} else {
		b[f.Octet] &^= f.Mask
	}
	return b
}

func octet(b []byte, i int) uint8 {
	if i < len(b) {
		return b[i]
	}
	return 0
}

// UENetworkCapability is TS 24.301 §9.9.3.34 (2 to 13 octets of value).
type UENetworkCapability []byte

// UE network capability bits (TS 24.301 figure 9.9.3.34.1).
var (
	UECapEPCO      = CapabilityBit{5, 0x80} // extended protocol configuration options IE
	UECapHCCPCIoT  = CapabilityBit{5, 0x40} // header compression for control plane CIoT EPS optimization
	UECapERwoPDN   = CapabilityBit{5, 0x20} // EMM-REGISTERED without PDN connection
	UECapS1UData   = CapabilityBit{5, 0x10} // S1-U data transfer
	UECapUPCIoT    = CapabilityBit{5, 0x08} // user plane CIoT EPS optimization
	UECapCPCIoT    = CapabilityBit{5, 0x04} // control plane CIoT EPS optimization
	UECapLPP       = CapabilityBit{4, 0x08}
	UECapLCS       = CapabilityBit{4, 0x04}
	UECapNF        = CapabilityBit{4, 0x01} // notification procedure
	UECapCPBackoff = CapabilityBit{6, 0x08}
	UECapN1Mode    = CapabilityBit{6, 0x20}
	UECapDCNR      = CapabilityBit{6, 0x10}
	UECap15Bearers = CapabilityBit{6, 0x80}
)

// EEA is octet 3: bit 8 = EEA0 ... bit 1 = EEA7.
func (c UENetworkCapability) EEA() uint8 { return octet(c, 0) }

// EIA is octet 4: bit 8 = EIA0 ... bit 1 = EIA7.
func (c UENetworkCapability) EIA() uint8 { return octet(c, 1) }

// Has reports a named bit; bits beyond the IE's length are 0.
func (c UENetworkCapability) Has(f CapabilityBit) bool { return getBit(c, f) }

// Set sets or clears a named bit, growing the IE as needed.
func (c *UENetworkCapability) Set(f CapabilityBit, on bool) { *c = setBit(*c, f, on) }

// UESecurityCapability is TS 24.301 §9.9.3.36 (2 to 5 octets of value).
type UESecurityCapability []byte

// EEA is octet 3: bit 8 = EEA0 ... bit 1 = EEA7.
func (c UESecurityCapability) EEA() uint8 { return octet(c, 0) }

// EIA is octet 4: bit 8 = EIA0 ... bit 1 = EIA7.
func (c UESecurityCapability) EIA() uint8 { return octet(c, 1) }

// MSNetworkCapability is TS 24.008 §10.5.5.12, kept raw.
type MSNetworkCapability []byte

// EPSNetworkFeatureSupport is TS 24.301 §9.9.3.12A (1 or 2 octets of value).
type EPSNetworkFeatureSupport []byte

// EPS network feature support bits (TS 24.301 figure 9.9.3.12A.1).
var (
	NFSCPCIoT   = CapabilityBit{0, 0x80} // control plane CIoT EPS optimization
	NFSERwoPDN  = CapabilityBit{0, 0x40} // EMM-REGISTERED without PDN connection
	NFSESRPS    = CapabilityBit{0, 0x20} // extended service request for packet services
	NFSEPCLCS   = CapabilityBit{0, 0x04}
	NFSEMCBS    = CapabilityBit{0, 0x02} // emergency bearer services in S1 mode
	NFSIMSVoPS  = CapabilityBit{0, 0x01} // IMS voice over PS session in S1 mode
	NFSEPCO     = CapabilityBit{1, 0x08} // extended protocol configuration options IE
	NFSHCCPCIoT = CapabilityBit{1, 0x04} // header compression for control plane CIoT
	NFSS1UData  = CapabilityBit{1, 0x02} // S1-U data transfer
	NFSUPCIoT   = CapabilityBit{1, 0x01} // user plane CIoT EPS optimization
)

// Has reports a named bit; bits beyond the IE's length are 0.
func (f EPSNetworkFeatureSupport) Has(b CapabilityBit) bool { return getBit(f, b) }

// Set sets or clears a named bit, growing the IE as needed.
func (f *EPSNetworkFeatureSupport) Set(b CapabilityBit, on bool) { *f = setBit(*f, b, on) }

// CSLCS is bits 5-4 of octet 3 (location services indicator in CS).
func (f EPSNetworkFeatureSupport) CSLCS() uint8 { return octet(f, 0) >> 3 & 0x3 }
