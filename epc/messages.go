package epc

import "fmt"

// Msg is a NAS (or AS) message type at the level the core works on in
// typed signalling: which message, in which direction, and how many bytes
// it takes on the air. The encoded fidelity (real TS 24.301 / TS 36.413
// codecs) plugs in behind Signalling with the same message types.
type Msg uint8

// Messages of the procedures nbsim runs (TS 24.301 §8; AS messages of
// TS 36.331 §6.7 where the procedure needs them).
const (
	AttachRequest              Msg = iota // with PDN CONNECTIVITY REQUEST, in RRCConnectionSetupComplete-NB
	AuthenticationRequest                 // TS 24.301 §8.2.7
	AuthenticationResponse                // §8.2.8
	SecurityModeCommand                   // §8.2.20
	SecurityModeComplete                  // §8.2.21
	AttachAccept                          // §8.2.1, with ACTIVATE DEFAULT EPS BEARER CONTEXT REQUEST
	AttachComplete                        // §8.2.4
	TrackingAreaUpdateRequest             // §8.2.29
	TrackingAreaUpdateAccept              // §8.2.26
	ServiceRequest                        // §8.2.25
	ControlPlaneServiceRequest            // §8.2.33
	ASSecuritySetup                       // SecurityModeCommand + RRCConnectionReconfiguration (user plane)
	ASSetupComplete                       // their completes
	RRCConnectionRelease                  // TS 36.331 RRCConnectionRelease-NB
	IdentityRequest                       // TS 24.301 §8.2.18
	IdentityResponse                      // §8.2.19
	numMsgs
)

var msgInfo = [numMsgs]struct {
	name string
	up   bool
	size int // bytes on the air, RRC/PDCP/RLC/MAC headers included (approximate)
}{
	AttachRequest:              {"Attach request", true, 60},
	AuthenticationRequest:      {"Authentication request", false, 40},
	AuthenticationResponse:     {"Authentication response", true, 20},
	SecurityModeCommand:        {"Security mode command", false, 40},
	SecurityModeComplete:       {"Security mode complete", true, 20},
	AttachAccept:               {"Attach accept", false, 40},
	AttachComplete:             {"Attach complete", true, 20},
	TrackingAreaUpdateRequest:  {"Tracking area update request", true, 35},
	TrackingAreaUpdateAccept:   {"Tracking area update accept", false, 40},
	ServiceRequest:             {"Service request", true, 20},
	ControlPlaneServiceRequest: {"Control plane service request", true, 20},
	ASSecuritySetup:            {"AS security mode command + RRC connection reconfiguration", false, 60},
	ASSetupComplete:            {"AS security mode complete + RRC connection reconfiguration complete", true, 20},
	RRCConnectionRelease:       {"RRC connection release", false, 10},
	IdentityRequest:            {"Identity request", false, 20},
	IdentityResponse:           {"Identity response", true, 25},
}

func (m Msg) String() string {
	if m < numMsgs {
		return msgInfo[m].name
	}
	return fmt.Sprintf("msg(%d)", uint8(m))
}

// NAS reports whether m is a NAS message (carried in S1AP between the eNodeB
// and the MME); the others are radio-only (RRC) messages.
func (m Msg) NAS() bool {
	switch m {
	case ASSecuritySetup, ASSetupComplete, RRCConnectionRelease:
		return false
	}
	return m < numMsgs
}

// Uplink reports whether the UE sends m.
func (m Msg) Uplink() bool { return m < numMsgs && msgInfo[m].up }

// Signalling gives the on-air size of each message. Typed is the fast
// fidelity; an encoded one sizes messages by marshalling them.
type Signalling interface {
	Size(m Msg) int
}

// Typed sizes messages from the table above.
type Typed struct{}

// Size returns m's approximate size on the air in bytes.
func (Typed) Size(m Msg) int {
	if m < numMsgs {
		return msgInfo[m].size
	}
	return 0
}

// Attach is the attach procedure: the Attach Request, then roundTrips
// network/UE exchanges ending with Attach Accept/Complete (TS 24.301
// §5.5.1): with 3 (the default) authentication (§5.4.2), security mode
// (§5.4.3) and accept; with 2 no security mode (a reused context); with 1
// accept only; above 3 an identity request first (§5.4.4, unknown GUTI).
func Attach(roundTrips int) []Msg {
	out := []Msg{AttachRequest}
	for i := roundTrips; i > 3; i-- {
		out = append(out, IdentityRequest, IdentityResponse)
	}
	if roundTrips >= 2 {
		out = append(out, AuthenticationRequest, AuthenticationResponse)
	}
	if roundTrips >= 3 {
		out = append(out, SecurityModeCommand, SecurityModeComplete)
	}
	return append(out, AttachAccept, AttachComplete)
}

// TAU is a periodic tracking area update (TS 24.301 §5.5.3.2).
func TAU() []Msg { return []Msg{TrackingAreaUpdateRequest, TrackingAreaUpdateAccept} }

// Service is what a device sends to (re)establish its connection for data:
// with the control-plane CIoT optimisation (TS 24.301 §5.6.1) nothing
// before the data when the device has data to send (the first packet rides
// with the Control Plane Service Request in Msg5), a bare Control Plane
// Service Request when answering a page; on the user plane a Service Request
// followed by AS security and radio bearer set-up (TS 23.401 §5.3.4.1).
func Service(controlPlane, paged bool) []Msg {
	switch {
	case controlPlane && paged:
		return []Msg{ControlPlaneServiceRequest}
	case controlPlane:
		return nil
	}
	return []Msg{ServiceRequest, ASSecuritySetup, ASSetupComplete}
}
