package device

import (
	"math"
	"time"

	"github.com/nbsim/nbsim/phy"
)

// State is a radio power state.
type State uint8

// Power states. Tx and Rx are the active intervals inside a connection.
const (
	PSM       State = iota // power saving mode: radio off, still registered
	Idle                   // RRC idle: light sleep with paging occasions (DRX or eDRX)
	Connected              // RRC connected, monitoring NPDCCH continuously
	CDRX                   // RRC connected in C-DRX: on-durations and sleep
	Tx                     // transmitting
	Rx                     // receiving (NPDCCH/NPDSCH decoding, RAR window)
	Off                    // not powered on yet (no radio energy)
	NumStates
)

var stateNames = [...]string{"psm", "idle", "connected", "cdrx", "tx", "rx", "off"}

func (s State) String() string { return nameOf(stateNames[:], s, "unknown") }

// Profile is a device's power draw, in milliwatts (mJ/s).
type Profile struct {
	BaselineMW  float64 // MCU and sensors: always drawn, whatever the radio does
	PSMMW       float64
	IdleSleepMW float64
	// PagingOccasionMJ is the energy of one paging-occasion wake-up.
	PagingOccasionMJ   float64
	ReceiveMW          float64
	ConnectedMonitorMW float64
	CDRXSleepMW        float64
	TxBaseMW           float64
	PAEfficiency       float64
	// FlatTxMW, if > 0, is drawn while transmitting whatever the output
	// power (the flat model of TR 45.820 §5.4: 500 mW); TxBaseMW and
	// PAEfficiency are then unused.
	FlatTxMW float64
}

// TxMW is the power drawn while transmitting at outDbm: FlatTxMW if set,
// else the transmit chain's fixed draw plus the RF output power over the
// power amplifier efficiency.
func (p Profile) TxMW(outDbm float64) float64 {
	if p.FlatTxMW > 0 {
		return p.FlatTxMW
	}
	eff := p.PAEfficiency
	if !(eff > 0) {
		eff = 1
	}
	return p.TxBaseMW + phy.Exp(outDbm*(math.Ln10/10))/eff // phy.Exp: math.Exp within 4e-16
}

// IdleMW is the average radio power in idle mode with paging occasions at
// poPerSecond (see epc.Reach.PagingOccasionsPerSecond).
func (p Profile) IdleMW(poPerSecond float64) float64 {
	return p.IdleSleepMW + p.PagingOccasionMJ*poPerSecond
}

// CDRXMW is the average power in C-DRX: monitoring during the on-duration,
// sleeping for the rest of the cycle (TS 36.321 §5.7).
func (p Profile) CDRXMW(onDuration, cycle time.Duration) float64 {
	if cycle <= 0 || onDuration >= cycle {
		return p.ConnectedMonitorMW
	}
	f := onDuration.Seconds() / cycle.Seconds()
	return f*p.ConnectedMonitorMW + (1-f)*p.CDRXSleepMW
}

// Battery is an energy store.
type Battery struct {
	CapacityMAh          float64
	VoltageV             float64
	SelfDischargePerYear float64 // fraction of nominal capacity lost per year
	UsableFraction       float64 // share usable before the cut-off voltage
}

// SecondsPerYear is a Julian year.
const SecondsPerYear = 365.25 * 24 * 3600

// NominalJ is the nominal energy in joules.
func (b Battery) NominalJ() float64 { return b.CapacityMAh * 3.6 * b.VoltageV }

// Years projects battery life for a device that draws avgMW on average:
// usable energy ÷ (energy used per year + self-discharge per year), where
// self-discharge is a fixed share of nominal capacity per year (as cell
// datasheets state it). It returns +Inf when nothing is drawn.
func (b Battery) Years(avgMW float64) float64 {
	u := b.UsableFraction
	if !(u > 0) {
		u = 1
	}
	perYear := avgMW/1000*SecondsPerYear + b.SelfDischargePerYear*b.NominalJ()
	if !(perYear > 0) {
		return math.Inf(1)
	}
	return u * b.NominalJ() / perYear
}

// nameOf is names[v], or unknown when v has no name.
func nameOf[T ~uint8](names []string, v T, unknown string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return unknown
}
