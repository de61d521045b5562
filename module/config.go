package module

import (
	"net/netip"
)

// Defaults of a Config.
const (
	DefaultManufacturer = "nbsim"
	DefaultModel        = "NBSIM-BC95"
	DefaultRevision     = "nbsim-1.0"
	// Profile names the command set the module emulates (ATI).
	Profile = "BC95-class AT command set (Quectel BC95/BC28/BC35-G), 3GPP TS 27.007 core"
	// DefaultMaxSocketPayload is the BC95 limit of one datagram
	// (AT+NSOST, AT+NSORF, AT+CSODCP).
	DefaultMaxSocketPayload = 512
	// MaxNMGSPayload is the BC95 limit of one AT+NMGS message.
	MaxNMGSPayload = 512
	// CoAPPort is the local UDP port of the module's CoAP endpoint for
	// the IoT platform (AT+NMGS uplinks, platform downlinks).
	CoAPPort = 56830
	// DefaultPlatformPort is the CoAP port of AT+NCDP when none is given.
	DefaultPlatformPort = 5683
	// MaxSockets is the number of UDP sockets (BC95: 7).
	MaxSockets = 7
)

// Config is one emulated module.
type Config struct {
	IMEI, IMSI, ICCID string
	// Manufacturer, Model, Revision are printed by ATI, AT+CGMI, AT+CGMM,
	// AT+CGMR; empty means DefaultManufacturer etc.
	Manufacturer, Model, Revision string
	// Band and EARFCN are where the module finds the network; AT+NBAND and
	// AT+NEARFCN selections that exclude them keep it from attaching.
	Band   int
	EARFCN uint32
	// MaxSocketPayload is the largest datagram (0: 512, the BC95 limit).
	MaxSocketPayload int
	// Platform is the IoT platform (AT+NCDP default).
	Platform netip.AddrPort
	// Out receives responses and unsolicited result codes.
	Out func([]byte)
	// Trace, if set, receives each AT line: dir "in" for a command line,
	// "out" for a response or URC line.
	Trace func(dir, text string)
	// AutoConnect is BC95 NCONFIG AUTOCONNECT: the module switches its
	// radio on when created (and after AT+NRB) and attaches once the radio
	// is on. DefaultConfig sets it.
	AutoConnect bool
}

// DefaultConfig is a module with the defaults of a BC95 as shipped:
// AUTOCONNECT on.
func DefaultConfig() Config {
	return Config{
		Manufacturer:     DefaultManufacturer,
		Model:            DefaultModel,
		Revision:         DefaultRevision,
		MaxSocketPayload: DefaultMaxSocketPayload,
		AutoConnect:      true,
	}
}
