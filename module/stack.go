package module

import (
	"net/netip"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
)

// PDNType is the PDN type a module asks for with AT+CGDCONT.
type PDNType uint8

// PDN types (TS 27.007 §10.1.1 <PDP_type>: "IP", "NONIP").
const (
	PDNIP PDNType = iota
	PDNNonIP
)

func (t PDNType) String() string {
	if t == PDNNonIP {
		return "NONIP"
	}
	return "IP"
}

// PDN is the default PDN connection a module asks for at attach.
type PDN struct {
	Type PDNType
	APN  string
}

// Stack is the module's protocol stack below the AT layer — radio, access,
// RRC and NAS — run by the network emulator. The module calls it on the
// engine goroutine; calls never block: outcomes come back later as events
// passed to Module.Handle (on the same goroutine).
type Stack interface {
	// Now is network time (NITZ), for AT+CCLK.
	Now() time.Time
	// After passes ev to Module.Handle once d of network time has passed:
	// the module's own timers (a profile's boot sequence), never a sleep.
	After(d time.Duration, ev any)
	// Power switches the radio on (AT+CFUN=1) or off (AT+CFUN=0, which
	// detaches first if registered). Outcome: a Radio event.
	Power(on bool)
	// Attach searches for the cell and attaches (EPS attach with the PDN
	// connection, TS 24.301 §5.5.1). Outcome: Registration events
	// (searching, then registered or denied).
	Attach(pdn PDN)
	// Detach deregisters (TS 24.301 §5.5.2.2). Outcome: a Registration
	// event (not registered).
	Detach()
	// SetPSM and SetEDRX set what the module will request at its next
	// attach or TAU (AT+CPSMS, AT+CEDRXS). If the module is registered,
	// the stack starts a TAU to renegotiate (TS 24.301 §5.5.3.2.2).
	SetPSM(req epc.PSMRequest)
	SetEDRX(req epc.EDRXRequest)
	// Send sends one uplink packet over the PDN: a whole IPv4 packet on an
	// IP PDN (build it with internal/ippkt), the bytes themselves on a
	// Non-IP PDN. It brings the connection up if idle (CONTROL PLANE
	// SERVICE REQUEST) and carries rai in the ESM DATA TRANSPORT. The
	// returned error says why nothing was sent (not registered, radio
	// off, too large); a later failure (access failure, coverage) comes as
	// a SendFailed event.
	Send(data []byte, rai nas.ReleaseAssistanceIndication) error
	// Status is the module's radio, registration and energy state now.
	Status() Status
}

// RegState is the EPS registration status of +CEREG (TS 27.007 §10.1.22).
type RegState uint8

// +CEREG <stat> values.
const (
	NotRegistered RegState = 0
	Registered    RegState = 1
	Searching     RegState = 2
	Denied        RegState = 3
	Unknown       RegState = 4 // e.g. out of E-UTRAN coverage
	Roaming       RegState = 5
)

// Status is what the stack reports of itself.
type Status struct {
	RadioOn bool
	Reg     RegState
	// NoService: registered but no suitable cell (out of coverage): no
	// serving cell is measured (+CSQ 99,99), sends fail. Reg is then
	// Searching or Unknown.
	NoService bool
	// RejectCause is the EMM cause of the last attach/TAU reject (0: none),
	// for +CEREG modes 3/5 and AT+CEER.
	RejectCause nas.EMMCause
	// LastError describes the last failed procedure for AT+CEER, e.g.
	// "access failure: random access failed after 10 preamble attempts".
	LastError string
	Connected bool // RRC connected (+CSCON)
	PSM       bool // in power saving mode (+NPSMR)
	PDNType   PDNType
	Addr      netip.Addr // the PDN address (invalid on Non-IP or unregistered)
	// PSMGrant and EDRXGrant are what the network granted at the last
	// attach or TAU (for +CEREG modes 4/5, AT+CEDRXRDP).
	PSMGrant  epc.PSMGrant
	EDRXGrant epc.EDRXGrant
	// Cell and radio.
	MCC, MNC string
	TAC      uint16
	CellID   uint32
	PCI      uint16
	EARFCN   uint32
	Band     int
	RSRP     float64 // dBm
	RSRQ     float64 // dB
	SINR     float64 // dB
	RSSI     float64 // dBm
	CELevel  int     // coverage enhancement level (ECL) 0..2
	TxPower  float64 // dBm, of the last uplink transmission
	// Counters since power on.
	TxTime, RxTime time.Duration
	TxBytes        int64 // user data
	RxBytes        int64
	BLER           float64 // uplink block error rate of the link model
	// Energy, from what the module actually did since power on.
	Energy Energy
}

// Energy is the module's consumption by power state and its projection.
type Energy struct {
	// Time in each state: "psm", "idle" (incl. eDRX/paging), "connected-rx",
	// "connected-tx", "off"; keys are stable and documented.
	Time       map[string]time.Duration
	Charge     float64 // mAh used so far
	Messages   int64   // uplink messages sent
	PerMessage float64 // mAh per uplink message (Charge/Messages)
	// BatteryYears is the projected battery life if the firmware kept
	// doing what it did (average current over the time observed) with the
	// configured battery.
	BatteryYears float64
	BatteryMAh   float64
}

// Events the stack passes to Module.Handle.
type (
	// Radio says the radio is now on or off (answers Power).
	Radio struct{ On bool }
	// Registration is a change of registration state (+CEREG). On
	// Registered it carries the grants; on Denied the reject cause.
	Registration struct {
		State  RegState
		Cause  nas.EMMCause
		Reason string
	}
	// Connection is an RRC state change (+CSCON): connected or idle.
	Connection struct{ Connected bool }
	// PowerSaving says the module entered (true) or left (false) PSM
	// (+NPSMR).
	PowerSaving struct{ Entered bool }
	// Downlink is a packet that reached the module: an IPv4 packet on an
	// IP PDN, bytes on Non-IP.
	Downlink struct{ Data []byte }
	// SendFailed says uplink data given to Send was lost, with why.
	SendFailed struct{ Reason string }
)
