package device

import (
	"time"

	"github.com/nbsim/nbsim/sim"
)

// Mode is where a device is in its life cycle; each maps to a power State.
type Mode uint8

const (
	ModeOff    Mode = iota // not powered on (or switched off)
	ModePSM                // registered, in power saving mode (or waiting for an attach retry)
	ModeIdle               // RRC idle, paging occasions at the granted (e)DRX
	ModeRAWait             // waking up / waiting for an NPRACH occasion or backoff
	ModeRAMon              // monitoring NPDCCH during the RAR window / contention resolution
	ModeActive             // RRC connected, a procedure leg under way
	ModeTail               // RRC connected, nothing to do: inactivity timer (and C-DRX)
	numModes
)

var modeNames = [...]string{"off", "psm", "idle", "ra-wait", "ra-monitor", "active", "tail"}

func (m Mode) String() string { return nameOf(modeNames[:], m, "mode?") }

// modeState is the power state each mode is booked in.
var modeState = [numModes]State{
	ModeOff: Off, ModePSM: PSM, ModeIdle: Idle, ModeRAWait: Idle,
	ModeRAMon: Connected, ModeActive: Connected, ModeTail: Connected,
}

// Purpose is why a device accesses the network.
type Purpose uint8

const (
	PurposeNone   Purpose = iota
	PurposeAttach         // initial attach (TS 24.301 §5.5.1)
	PurposeData           // mobile-originated report
	PurposeTAU            // periodic tracking area update (TS 24.301 §5.5.3)
	PurposeMT             // answer to paging for mobile-terminated data
	NumPurposes
)

var purposeNames = [...]string{"none", "attach", "data", "tau", "mt"}

func (p Purpose) String() string { return nameOf(purposeNames[:], p, "purpose?") }

// Flags are a device's boolean states.
type Flags uint16

const (
	OutOfCoverage     Flags = 1 << iota // coupling loss above the maximum: no cell
	Registered                          // EMM-REGISTERED
	InAccess                            // an access procedure (sync, RA) is under way
	RRCConnected                        // RRC connected
	RAI                                 // release assistance sent with the last uplink packet
	TAUArmed                            // a T3412 expiry is pending (it may be stale: see onTAU)
	PoweredOff                          // switched off (live: AT+CFUN=0; scenarios: before power-on)
	Offing                              // switch-off asked: done when the connection ends
	Rejected                            // attach rejected: no retry until powered on again
	T3324Running                        // T3324 armed and not expired: a cancel has something to stop
	InactivityRunning                   // the inactivity timer armed and not expired
	// TAUPending: a periodic TAU is owed: T3412 expired while an access was
	// under way (the TAU waits for EMM-REGISTERED.NORMAL-SERVICE, TS 24.301
	// §5.3.5), or a TAU failed in the lower layers and T3411/T3402 will
	// retry it (§5.5.3.2.6 a).
	TAUPending
)

// Timer names the device's timers; the model keeps their handles.
type Timer uint8

const (
	TimerNone       Timer = iota
	T3324                 // active time: idle → PSM (TS 24.301 §5.3.11)
	T3412                 // periodic TAU (TS 24.301 §5.3.5)
	TimerRetry            // T3411 / T3402 before the next attach attempt (TS 24.301 §5.5.1.2.6)
	TimerInactivity       // the eNodeB's RRC inactivity timer (connected, nothing to do)
)

var timerNames = [...]string{"none", "T3324", "T3412", "retry", "inactivity"}

func (t Timer) String() string { return nameOf(timerNames[:], t, "timer?") }

// Attach retry timers (TS 24.301 §5.5.1.2.6, default values of §10.2):
// T3411 after a failed attempt, T3402 after the fifth in a row.
const (
	T3411Default     = 10 * time.Second
	T3402Default     = 12 * time.Minute
	AttachAttemptMax = 5
)

// MaxPending is how many reports a device buffers; the oldest is dropped
// when a new one arrives to a full buffer.
const MaxPending = 16

// Powers are the average radio power of each mode's state, mW.
type Powers struct {
	PSM       float64 // PSM (and waiting for an attach retry)
	Idle      float64 // idle with the granted paging (Profile.IdleMW)
	Sleep     float64 // waiting for an access opportunity (Profile.IdleSleepMW)
	Connected float64 // monitoring NPDCCH (Profile.ConnectedMonitorMW)
	CDRX      float64 // C-DRX average (Profile.CDRXMW)
}

// Config is what a device's behaviour depends on besides its state: the
// granted timers, its release-assistance habit, the network's RRC and
// buffering settings and the power table. The model keeps one per group.
type Config struct {
	PSM           bool          // PSM granted
	T3324, T3412  time.Duration // granted active time and periodic TAU timer (0: none)
	AutoRAI       bool          // send RAI with the last pending report (scenario key rai)
	HonourRAI     bool          // the eNodeB releases at once on RAI
	Inactivity    time.Duration // the eNodeB's RRC inactivity timer
	CDRX          bool          // C-DRX after DRXInactivity in the tail (TS 36.321 §5.7)
	DRXInactivity time.Duration
	BufferTime    time.Duration // how long the core holds downlink for a sleeping device (0: for ever)
	BufferMax     int           // how many packets it holds
	Power         Powers
	// Queues holds the devices' Pend and DLQ (made on first use): the
	// devices that share a Config share it, and a device always steps
	// with the same Config.
	Queues *Queues
}

// Q is c's queue store, made on first use.
func (c *Config) Q() *Queues {
	if c.Queues == nil {
		c.Queues = &Queues{}
	}
	return c.Queues
}

// UE is one device's life-cycle state: registration, RRC and power mode,
// the NAS timers' deadlines, the reports and downlink waiting for it, and
// its energy ledger. It is a pure state machine: Step takes one input and
// appends the effects; there is no engine, clock or I/O inside. Kept small:
// a million of them must fit.
type UE struct {
	// Pend and DLQ hold the generation times of reports waiting to be
	// sent and the arrival times of downlink packets held for the device
	// (in the core while it sleeps), oldest first, in Config.Queues.
	Pend, DLQ Queue
	// Energy is the radio energy booked so far, mJ.
	Energy float64
	since  sim.Time // start of the interval not yet booked
	excl   int64    // active (tx/rx) time inside that interval already booked, ns
	// modeAt is when the current tail began (ModeTail), or when T3324
	// expires (ModeIdle with T3324Running): a device is never in both.
	modeAt   sim.Time
	AttachAt sim.Time // first attempt of the attach under way, +1 (0: none)
	TAUDue   sim.Time // when T3412 expires; 0 while it is stopped
	NextRep  sim.Time // when the next periodic report is due (sim.Forever: none)
	Flags    Flags
	Mode     Mode
	Purpose  Purpose
	AttachN  uint8 // failed attach or TAU attempts in a row (the attempt counters of TS 24.301 §5.5.1.2.6, §5.5.3.2.6)
	Await    uint8 // downlink packets the application waits for (RAI single downlink)
}

// Has reports whether all of f are set.
func (d *UE) Has(f Flags) bool { return d.Flags&f == f }

// Any reports whether any of f is set.
func (d *UE) Any(f Flags) bool { return d.Flags&f != 0 }

// ReleasedByENB reports whether the eNodeB, rather than the MME, would
// start the release of the current connection now: the MME does after RAI
// or a TAU without the active flag (TS 36.413 §8.3.2–8.3.3, TS 23.401
// §5.3.3.1). A live driver's releases (a NAS timeout, a reject) use it.
func (d *UE) ReleasedByENB() bool { return d.Flags&RAI == 0 && d.Purpose != PurposeTAU }

// Start sets the state a device begins the run in (before any Step): off
// until powered on, or registered and idle or in PSM (attached before the
// run: ArmTAU then starts its T3412); nextRep is when its first periodic
// report is due (sim.Forever: none).
func (d *UE) Start(m Mode, f Flags, nextRep sim.Time) {
	d.Mode, d.NextRep = m, nextRep
	d.Flags |= f
}

// SetNextReport tells when the application's next periodic report is due
// (sim.Forever: none): T3412 needs no expiry pending when a report, whose
// access restarts it, comes first (see armTAU). It is the application's
// schedule, not an event of the device, so it is not a Step input.
func (d *UE) SetNextReport(t sim.Time) { d.NextRep = t }
