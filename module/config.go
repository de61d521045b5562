package module

import (
	"net/netip"
)

// The BC95 values of the bc95 profile (profiles/bc95.yaml; a test
// keeps them equal).
const (
	DefaultManufacturer = "nbsim"
	DefaultModel        = "NBSIM-BC95"
	DefaultRevision     = "nbsim-1.0"
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
	// AT+CGMR; empty means the profile's.
	Manufacturer, Model, Revision string
	// Band and EARFCN are where the module finds the network; AT+NBAND and
	// AT+NEARFCN selections that exclude them keep it from attaching.
	Band   int
	EARFCN uint32
	// MaxSocketPayload is the largest datagram (0: the profile's).
	MaxSocketPayload int
	// Platform is the IoT platform (AT+NCDP default).
	Platform netip.AddrPort
	// Out receives responses and unsolicited result codes.
	Out func([]byte)
	// Trace, if set, receives each AT line: dir "in" for a command line,
	// "out" for a response or URC line.
	Trace func(dir, text string)
	// Profile is the module emulated (nil: the shipped DefaultProfile).
	Profile *Profile
	// AutoConnect is BC95 NCONFIG AUTOCONNECT: the module switches its
	// radio on when created (and after AT+NRB) and attaches once the radio
	// is on. DefaultConfig sets it.
	AutoConnect bool
}

// DefaultConfig is a module of the default profile as shipped:
// AUTOCONNECT on.
func DefaultConfig() Config {
	return Config{AutoConnect: true}
}
