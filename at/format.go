package at

import (
	"strconv"
	"strings"
)

// CME is a +CME ERROR code (TS 27.007 §9.2).
type CME int

// +CME ERROR codes used by the emulated module: TS 27.007 §9.2.1 (general)
// and §9.2.2 (GPRS/EPS), and codes of the BC95-class (Neul/Huawei
// Boudica) firmware, which uses the 5xx range for its own conditions.
const (
	CMEPhoneFailure        CME = 0
	CMEOperationNotAllowed CME = 3
	CMEOperationNotSupp    CME = 4
	CMESIMNotInserted      CME = 10
	CMEMemoryFull          CME = 20
	CMEInvalidIndex        CME = 21
	CMENotFound            CME = 22
	CMEMemoryFailure       CME = 23
	CMETextTooLong         CME = 24
	CMEInvalidChars        CME = 25
	CMENoNetworkService    CME = 30
	CMENetworkTimeout      CME = 31
	CMEIncorrectParameters CME = 50
	CMEUnknown             CME = 100
	CMEIllegalMS           CME = 103
	CMEIllegalME           CME = 106
	CMEGPRSNotAllowed      CME = 107
	CMEPLMNNotAllowed      CME = 111
	CMETANotAllowed        CME = 112
	CMERoamingNotAllowed   CME = 113
	CMEServiceNotSupported CME = 132
	CMEServiceNotSubscr    CME = 133
	CMEServiceOutOfOrder   CME = 134
	CMEUnspecifiedGPRS     CME = 148
	// BC95-class codes.
	CMEUplinkBusy       CME = 159 // uplink busy / flow control
	CMENotConfigured    CME = 512 // required parameter not configured
	CMETUPNotRegistered CME = 513 // IoT platform (TUP) not registered
	CMEInternal         CME = 514 // AT internal error
	CMECIDActive        CME = 515 // CID is active
	CMEIncorrectState   CME = 516 // incorrect state for command
	CMECIDInvalid       CME = 517 // CID is invalid
	CMECIDNotActive     CME = 518 // CID is not active
	CMELastCID          CME = 520 // deactivate last active CID
	CMECIDNotDefined    CME = 521 // CID is not defined
)

var cmeText = map[CME]string{
	0: "phone failure", 3: "operation not allowed", 4: "operation not supported",
	10: "SIM not inserted", 20: "memory full", 21: "invalid index", 22: "not found",
	23: "memory failure", 24: "text string too long", 25: "invalid characters in text string",
	30: "no network service", 31: "network timeout", 50: "incorrect parameters", 100: "unknown",
	103: "Illegal MS", 106: "Illegal ME", 107: "GPRS services not allowed",
	111: "PLMN not allowed", 112: "Location area not allowed", 113: "Roaming not allowed in this location area",
	132: "service option not supported", 133: "requested service option not subscribed",
	134: "service option temporarily out of order", 148: "unspecified GPRS error",
	159: "Uplink busy/flow control", 512: "Required parameter not configured",
	513: "TUP not registered", 514: "AT internal error", 515: "CID is active",
	516: "Incorrect state for command", 517: "CID is invalid", 518: "CID is not active",
	520: "Deactivate last active CID", 521: "CID is not defined",
}

// String is the verbose text of the code (+CMEE=2).
func (c CME) String() string {
	if s, ok := cmeText[c]; ok {
		return s
	}
	return "unknown"
}

// Format renders responses per the settings of V.250 (ATV, ATQ) and
// TS 27.007 +CMEE. The zero value is ATV0: use Verbose: true for the
// ATV1 default.
type Format struct {
	// Verbose is ATV1: responses framed by CR LF, result codes as words.
	Verbose bool
	// Quiet is ATQ1: no final result codes.
	Quiet bool
	// CMEE is the +CMEE mode: 0 plain ERROR, 1 numeric, 2 verbose.
	CMEE int
}

// Info frames information text, one element per line: with ATV1
// "\r\n<line>\r\n<line>\r\n", with ATV0 "<line>\r\n<line>\r\n".
func (f Format) Info(lines ...string) []byte {
	if len(lines) == 0 {
		return nil
	}
	var b strings.Builder
	if f.Verbose {
		b.WriteString("\r\n")
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

// URC frames an unsolicited result code like information text.
func (f Format) URC(text string) []byte { return f.Info(text) }

// OK is the final result code OK (numeric 0).
func (f Format) OK() []byte { return f.final("OK", "0") }

// Error is the final result code ERROR (numeric 4).
func (f Format) Error() []byte { return f.final("ERROR", "4") }

// CMEError is +CME ERROR per +CMEE: "+CME ERROR: 50" (1), "+CME ERROR:
// incorrect parameters" (2), or plain ERROR (0).
func (f Format) CMEError(c CME) []byte {
	if f.Quiet {
		return nil
	}
	var s string
	switch f.CMEE {
	case 1:
		s = "+CME ERROR: " + strconv.Itoa(int(c))
	case 2:
		s = "+CME ERROR: " + c.String()
	default:
		return f.Error()
	}
	if f.Verbose {
		return []byte("\r\n" + s + "\r\n")
	}
	return []byte(s + "\r\n")
}

func (f Format) final(word, num string) []byte {
	switch {
	case f.Quiet:
		return nil
	case f.Verbose:
		return []byte("\r\n" + word + "\r\n")
	}
	return []byte(num + "\r")
}

// Connect is the result code CONNECT (numeric 1) that starts the online
// data state (V.250 §5.7.1, Table 1).
func (f Format) Connect() []byte { return f.final("CONNECT", "1") }

// NoCarrier is the result code NO CARRIER (numeric 3): the connection
// ended, or could not be made (V.250 §5.7.1, Table 1).
func (f Format) NoCarrier() []byte { return f.final("NO CARRIER", "3") }
