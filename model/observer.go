package model

import (
	"net/netip"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc/nas"
)

// observer is what a live driver sees of, and injects into, the simulated
// devices: nbsim emulate plugs in its liveState (StartLive); a scenario run
// has noObserver. The model calls it at the points where a device's
// application or the emulator's fault injection is involved.
type observer interface {
	// lost: k uplink packets of device id are lost for cause (attach: the
	// access that failed was an attach).
	lost(id int32, cause device.DropCause, k int32, attach bool)
	// downlinkLost: k downlink packets for device id were dropped.
	downlinkLost(id int32, cause device.DropCause, k int32)
	connection(id int32, up bool)
	powerSaving(id int32, entered bool)
	// registered: an attach or TAU completed (the grants may have changed).
	registered(id int32)
	deregistered(id int32)
	// sent: the oldest pending packet went out; its release assistance.
	sent(id int32) device.RAIValue
	// received: the oldest downlink packet reached the device.
	received(id int32)
	poweredOff(id int32)
	// accessFailed: an access procedure of device id failed.
	accessFailed(id int32)
	// deaf: device id's preamble must go undetected (fault injection).
	deaf(id int32) bool
	// coreDown: the core does not answer (fault injection).
	coreDown() bool
	// rejected: the core rejected device id's attach; true if handled.
	rejected(id int32, u *ue, cause nas.EMMCause, why string) bool
	// uplink and downlink: the content of the oldest packet each way.
	uplink(id int32) ([]byte, nas.ReleaseAssistanceIndication, bool)
	downlink(id int32) ([]byte, bool)
	// sgi: uplink data of device id leaves the core.
	sgi(id int32, src netip.Addr, data []byte)
}

// noObserver is a scenario run's observer: nothing to tell, nothing injected.
type noObserver struct{}

func (noObserver) lost(int32, device.DropCause, int32, bool)   {}
func (noObserver) downlinkLost(int32, device.DropCause, int32) {}
func (noObserver) connection(int32, bool)                      {}
func (noObserver) powerSaving(int32, bool)                     {}
func (noObserver) registered(int32)                            {}
func (noObserver) deregistered(int32)                          {}
func (noObserver) sent(int32) device.RAIValue                  { return device.RAINone }
func (noObserver) received(int32)                              {}
func (noObserver) poweredOff(int32)                            {}
func (noObserver) accessFailed(int32)                          {}
func (noObserver) deaf(int32) bool                             { return false }
func (noObserver) coreDown() bool                              { return false }
func (noObserver) rejected(int32, *ue, nas.EMMCause, string) bool {
	return false
}
func (noObserver) uplink(int32) ([]byte, nas.ReleaseAssistanceIndication, bool) {
	return nil, 0, false
}
func (noObserver) downlink(int32) ([]byte, bool) { return nil, false }
func (noObserver) sgi(int32, netip.Addr, []byte) {}
