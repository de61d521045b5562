package emulate

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/gw"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/sim"
)

// The module's stack (module.Stack): each call runs on the engine goroutine
// and outcomes come back as events, never inside the call.

// Now is network time: the epoch plus the engine's time.
func (md *mod) Now() time.Time { return md.e.epoch.Add(md.e.net.Engine().Now().D()) }

// After delivers ev to the module once d of network time has passed.
func (md *mod) After(d time.Duration, ev any) {
	md.e.net.Engine().AfterFunc(d, func() { md.handle(ev) })
}

// later delivers ev to the module after the current call returns.
func (md *mod) later(ev any) {
	md.e.net.Engine().AfterFunc(0, func() { md.handle(ev) })
}

func (md *mod) handle(ev any) {
	md.m.Handle(ev)
}

// Power switches the radio. On: the radio is up after the cell search
// (the model's synchronisation is part of the attach); Off: a detach
// (switch off) once the connection is idle.
func (md *mod) Power(on bool) {
	if on == md.radioOn {
		md.later(module.Radio{On: on})
		return
	}
	if on {
		md.radioOn = true
		md.e.trace(md.n, "radio", "on")
		md.observe(Event{Kind: EvRadioOn})
		md.later(module.Radio{On: true})
		return
	}
	md.wantAttach = false
	if err := md.e.net.PowerOff(md.id); err != nil {
		md.lastErr = err.Error()
	}
}

// Attach starts the attach: the model powers the device on (cell search,
// random access, EPS attach with AKA and security mode).
func (md *mod) Attach(pdn module.PDN) {
	md.pdn = pdn
	if !md.radioOn {
		md.setReg(module.NotRegistered, 0, "radio off")
		return
	}
	if md.noService {
		// Still registered, searching for a cell (coverage.go).
		md.later(module.Registration{State: md.reg})
		return
	}
	if md.reg == module.Registered {
		md.later(module.Registration{State: module.Registered})
		return
	}
	md.wantAttach = true
	if now := md.e.net.Engine().Now().D(); now < md.t3346Until {
		// While T3346 runs the UE starts no attach (TS 24.301 §5.5.1.2.1,
		// as TS 24.008 §4.7.3 for GPRS); it attaches when T3346 expires.
		md.e.trace(md.n, "nas", fmt.Sprintf("attach deferred: T3346 runs for %v more", md.t3346Until-now))
		md.setReg(module.Searching, 0, "") // EMM-DEREGISTERED.ATTEMPTING-TO-ATTACH
		return
	}
	md.setReg(module.Searching, 0, "")
	if err := md.e.net.PowerOn(md.id); err != nil {
		md.lastErr = err.Error()
	}
}

// Detach deregisters: the model's device goes off (DETACH REQUEST) but
// the radio stays on.
func (md *mod) Detach() {
	md.wantAttach = false
	md.detaching = true
	if err := md.e.net.PowerOff(md.id); err != nil {
		md.lastErr = err.Error()
	}
}

func (md *mod) SetPSM(req epc.PSMRequest) {
	md.psmReq = req
	md.request()
}

func (md *mod) SetEDRX(req epc.EDRXRequest) {
	md.edrxReq = req
	md.request()
}

func (md *mod) request() {
	if err := md.e.net.Request(md.id, md.psmReq, md.edrxReq); err != nil {
		md.lastErr = err.Error()
	}
}

// Send sends one packet over the PDN.
func (md *mod) Send(data []byte, rai nas.ReleaseAssistanceIndication) error {
	if !md.radioOn {
		return model.ErrOff
	}
	if md.noService || md.reg != module.Registered {
		if md.noService {
			return ErrNoService
		}
		return model.ErrNotRegistered
	}
	if in, _ := md.e.net.Info(md.id); in.OutOfCoverage {
		// Asleep when the cell went: woken to send, it finds none.
		md.checkCoverage(true)
		return ErrNoService
	}
	if len(data) > maxUserData {
		return fmt.Errorf("%d bytes: at most %d", len(data), maxUserData)
	}
	md.e.trace(md.n, "data", fmt.Sprintf("uplink %d bytes rai=%d", len(data), rai))
	return md.e.net.Send(md.id, data, rai)
}

// maxUserData bounds one packet: the ESM DATA TRANSPORT user data
// container can carry up to 65535 octets (TS 24.301 §9.9.4.24), NB-IoT
// modules far less; the module enforces its own limit first.
const maxUserData = 1600

// Status reports the radio, registration and energy state.
func (md *mod) Status() module.Status {
	in, _ := md.e.net.Info(md.id)
	st := module.Status{
		RadioOn: md.radioOn, Reg: md.reg, NoService: md.noService, RejectCause: md.cause, LastError: md.lastErr,
		Connected: in.Connected, PSM: in.PSM, PDNType: md.pdn.Type,
		PSMGrant: in.PSMGrant, EDRXGrant: in.EDRXGrant,
		MCC: "001", MNC: "01", TAC: 1, CellID: uint32(in.Cell) + 1<<8, PCI: uint16(in.Cell % 504),
		EARFCN: earfcn(bandNumber(md.e.net.Scenario().Radio.Band)), Band: bandNumber(md.e.net.Scenario().Radio.Band),
		RSRP: in.RSRP, SINR: in.SINR, CELevel: in.CELevel, TxPower: in.TxPower,
		TxTime: in.TxTime, RxTime: in.RxTime, TxBytes: in.UpBytes, RxBytes: in.DnBytes, BLER: in.BLER,
	}
	// RSRQ and RSSI of an unloaded NB-IoT carrier (12 subcarriers): RSSI is
	// the received power over the 180 kHz, RSRQ = N·RSRP/RSSI (TS 36.214
	// §5.1.3) with N = 1 resource block.
	st.RSSI = in.RSRP + 10.8 + 10*log10p(1+1/dbToLin(in.SINR))
	st.RSRQ = in.RSRP - st.RSSI
	if md.reg == module.Registered && md.pdn.Type == module.PDNIP {
		st.Addr = in.Addr
	}
	if !st.PSMGrant.Enabled {
		st.PSMGrant = epc.PSMGrant{}
	}
	st.Energy = energy(in, md.e.cfg.BatteryMAh)
	return st
}

// setReg records a registration state and tells the module.
func (md *mod) setReg(s module.RegState, cause nas.EMMCause, reason string) {
	md.reg = s
	if cause != 0 {
		md.cause = cause
	}
	if reason != "" {
		md.lastErr = reason
	}
	md.later(module.Registration{State: s, Cause: cause, Reason: reason})
}

// hooks is the Emulator seen as the model's live driver.
type hooks Emulator

func (h *hooks) mod(id int32) *mod { return h.mods[id] }

func (h *hooks) Registered(id int32) {
	md := h.mod(id)
	in, _ := h.net.Info(id)
	// A TAU: registered already, or back in coverage with a TAU owed
	// (coverage.go), when +CEREG still says searching.
	tau := md.reg == module.Registered || md.returning
	md.returning = false
	what := "registered"
	if tau {
		what = "tau accepted"
	}
	(*Emulator)(h).trace(md.n, "nas", fmt.Sprintf("%s addr=%v psm=%v t3324=%v t3412=%v edrx=%v", what, in.Addr, in.PSMGrant.Enabled, in.PSMGrant.T3324, in.PSMGrant.T3412, in.EDRXGrant.Cycle))
	md.attempts = 0
	if md.firstReg == 0 {
		md.firstReg = h.net.Engine().Now().D() + 1
	}
	if tau {
		md.observe(Event{Kind: EvTAU})
	} else {
		md.observe(Event{Kind: EvAttached})
	}
	if md.reg != module.Registered {
		md.setReg(module.Registered, 0, "")
	} else {
		md.later(module.Registration{State: module.Registered}) // TAU: new grants
	}
}

func (h *hooks) AttachFailed(id int32, reason string, cause nas.EMMCause) {
	md := h.mod(id)
	(*Emulator)(h).trace(md.n, "nas", "attach failed: "+reason)
	md.observe(Event{Kind: EvAttachFailed, Reason: reason, Cause: cause})
	state := module.Searching
	if cause == nas.EMMCause(22) {
		md.congested()
	} else if cause != 0 {
		state = module.Denied
	}
	md.setReg(state, cause, "attach failed: "+reason)
}

// congested is the UE's side of an attach reject with cause #22,
// congestion (TS 24.301 §5.5.1.2.5): with a T3346 value the UE enters
// EMM-DEREGISTERED.ATTEMPTING-TO-ATTACH, resets the attach attempt
// counter, starts T3346 and attaches again when it expires; without one
// it is the abnormal case of §5.5.1.2.6: the attempt counter goes up and
// the UE attaches again after T3411 (10 s), or after T3402 (12 min) once
// the counter reaches 5. The T3346 value is the one the MME sent
// (mme.MME.RejectAttachesBackOff returns it). The module shows +CEREG
// stat 2 (trying to attach, TS 27.007 §10.1.22) with the cause.
func (md *mod) congested() {
	e := md.e
	wait := e.rejectT3346
	if md.rejectCause != 0 {
		wait = md.rejectT3346
	}
	if wait > 0 {
		md.attempts = 0
		md.t3346Until = e.net.Engine().Now().D() + wait
	} else {
		md.attempts++
		wait = 10 * time.Second // T3411
		if md.attempts >= 5 {
			md.attempts, wait = 0, 12*time.Minute // T3402
		}
	}
	e.trace(md.n, "nas", fmt.Sprintf("congestion: attach again in %v", wait))
	e.net.Engine().Cancel(md.retry)
	md.retry = e.net.Engine().AfterFunc(wait, func() {
		md.retry = sim.Timer{}
		if md.wantAttach && md.radioOn && md.reg != module.Registered {
			md.Attach(md.pdn)
		}
	})
}

func (h *hooks) Deregistered(id int32, reason string, cause nas.EMMCause) {
	md := h.mod(id)
	(*Emulator)(h).trace(md.n, "nas", "deregistered: "+reason)
	md.observe(Event{Kind: EvDeregistered, Reason: reason, Cause: cause})
	md.noService, md.returning = false, false
	md.searchGen++
	md.setReg(module.Searching, cause, reason)
}

func (h *hooks) Connection(id int32, connected bool) {
	md := h.mod(id)
	(*Emulator)(h).trace(md.n, "rrc", map[bool]string{true: "connected", false: "idle"}[connected])
	md.observe(Event{Kind: map[bool]EventKind{true: EvConnected, false: EvIdle}[connected]})
	md.later(module.Connection{Connected: connected})
	if !connected {
		md.checkCoverage(false)
	}
}

func (h *hooks) PowerSaving(id int32, entered bool) {
	md := h.mod(id)
	(*Emulator)(h).trace(md.n, "power", map[bool]string{true: "psm", false: "wake"}[entered])
	md.observe(Event{Kind: map[bool]EventKind{true: EvPSMEntered, false: EvPSMLeft}[entered]})
	md.later(module.PowerSaving{Entered: entered})
	if !entered {
		md.checkCoverage(true) // woken (data, periodic TAU): does it find its cell?
	}
}

func (h *hooks) SGi(id int32, src netip.Addr, data []byte) {
	md := h.mod(id)
	e := (*Emulator)(h)
	if md.lose(false) {
		e.dropped(md, false, "fault-dropped", fmt.Sprintf("uplink %d bytes lost (drop_uplink %g)", len(data), md.dropUp))
		return
	}
	md.stats.UplinkSent++
	md.observe(Event{Kind: EvUplink, Size: len(data)})
	if h.cfg.Capture != nil && src.IsValid() {
		h.cfg.Capture.UserData(h.net.Engine().Now().D(), true, data)
	}
	var b gw.Binding
	var k natKey
	fresh := false
	if src.IsValid() {
		if p, err := ippkt.Parse(data); err == nil {
			k = natKey{id, p.Src}
			var nb binding
			nb, fresh = h.nat.uplink(k, h.net.Engine().Now().D())
			b = gw.Binding{Gen: nb.gen, Addr: nb.pub}
		}
	}
	if err := h.gw.UplinkVia(md.imsi, src, data, b); err != nil {
		e.trace(md.n, "sgi", err.Error())
		return
	}
	if fresh {
		pub, _ := h.gw.EndpointVia(md.imsi, k.ep, b)
		e.trace(md.n, "nat", fmt.Sprintf("new binding %s for %s (the old one expired or was replaced)", pub, k.ep))
	}
}

func (h *hooks) Received(id int32, data []byte) {
	md := h.mod(id)
	md.stats.DownlinkReceived++
	md.observe(Event{Kind: EvDownlink, Size: len(data)})
	if h.cfg.Capture != nil && md.pdn.Type == module.PDNIP {
		h.cfg.Capture.UserData(h.net.Engine().Now().D(), false, data)
	}
	(*Emulator)(h).trace(md.n, "data", fmt.Sprintf("downlink %d bytes", len(data)))
	if md.tun != nil && md.tun.downlink(data) {
		return // for a host program on the module's TUN interface (tun.go)
	}
	md.later(module.Downlink{Data: data})
}

func (h *hooks) Lost(id int32, cause string) {
	md := h.mod(id)
	md.stats.UplinkLost++
	md.observe(Event{Kind: EvUplinkLost, Reason: cause})
	md.stats.LostCauses[cause]++
	md.lastErr = "uplink data lost: " + cause
	(*Emulator)(h).trace(md.n, "data", "uplink lost: "+cause)
	md.later(module.SendFailed{Reason: cause})
}

func (h *hooks) DownlinkLost(id int32, cause string) {
	md := h.mod(id)
	md.stats.DownlinkLost++
	md.observe(Event{Kind: EvDownlinkLost, Reason: cause})
	md.stats.LostCauses["downlink-"+cause]++
	(*Emulator)(h).trace(md.n, "data", "downlink lost: "+cause)
}

func (h *hooks) PoweredOff(id int32) {
	md := h.mod(id)
	md.reg = module.NotRegistered
	md.noService, md.returning = false, false
	md.searchGen++
	if md.detaching {
		md.detaching = false
		md.setReg(module.NotRegistered, 0, "")
		return
	}
	md.radioOn = false
	(*Emulator)(h).trace(md.n, "radio", "off")
	md.observe(Event{Kind: EvPoweredOff})
	md.later(module.Registration{State: module.NotRegistered})
	md.later(module.Radio{On: false})
}

// NoCell: an access of the module found no cell (woken from PSM for data
// or its periodic TAU): it loses service if it did not know yet.
func (h *hooks) NoCell(id int32) { h.mod(id).checkCoverage(true) }
