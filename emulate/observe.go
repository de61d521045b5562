package emulate

import (
	"time"

	"github.com/nbsim/nbsim/epc/nas"
)

// EventKind is what happened to a module, as the network saw it.
type EventKind uint8

// The events Config.Observe receives.
const (
	EvRadioOn      EventKind = iota + 1 // the firmware switched the radio on
	EvAttached                          // an attach completed (registered from not registered)
	EvTAU                               // a tracking area update completed (registered while registered)
	EvAttachFailed                      // an attach attempt failed (Reason, Cause)
	EvDeregistered                      // the network dropped the registration (Reason, Cause)
	EvConnected                         // an RRC connection came up (an access)
	EvIdle                              // the RRC connection was released
	EvPSMEntered                        // the module entered PSM
	EvPSMLeft                           // the module left PSM
	EvUplink                            // uplink data left the core at SGi (Size)
	EvUplinkLost                        // uplink data was lost before the core (Reason)
	EvDownlink                          // downlink data reached the module (Size)
	EvDownlinkLost                      // the core dropped downlink data (Reason)
	EvPoweredOff                        // the module's radio is off
)

var eventNames = [...]string{EvRadioOn: "radio-on", EvAttached: "attached", EvTAU: "tau",
	EvAttachFailed: "attach-failed", EvDeregistered: "deregistered", EvConnected: "connected",
	EvIdle: "idle", EvPSMEntered: "psm-entered", EvPSMLeft: "psm-left", EvUplink: "uplink",
	EvUplinkLost: "uplink-lost", EvDownlink: "downlink", EvDownlinkLost: "downlink-lost",
	EvPoweredOff: "powered-off"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) && eventNames[k] != "" {
		return eventNames[k]
	}
	return "event?"
}

// Event is one thing the network did with a module: what `nbsim devtest`
// judges firmware by.
type Event struct {
	At     time.Duration // network time since the start
	Module int
	Kind   EventKind
	Cause  nas.EMMCause // EvAttachFailed, EvDeregistered: the EMM cause (0: none)
	Reason string       // EvAttachFailed, EvDeregistered, EvUplinkLost, EvDownlinkLost
	Size   int          // EvUplink, EvDownlink: the packet's size
	Charge float64      // the module's charge used since the start, mAh (as AT+NUESTATS=ENERGY)
}

// observe tells Config.Observe of an event of module md (engine goroutine).
func (md *mod) observe(ev Event) {
	if md.e.cfg.Observe == nil {
		return
	}
	ev.At, ev.Module = md.e.net.Engine().Now().D(), md.n
	if in, err := md.e.net.Info(md.id); err == nil {
		ev.Charge = energy(in, md.e.cfg.BatteryMAh).Charge
	}
	md.e.cfg.Observe(ev)
}
