package emulate

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/scenarios"
)

// Mux is where the control API's routes go (an http.ServeMux, or the
// built-in platform's API).
type Mux interface {
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// RegisterAPI adds the control API (see docs/emulate.md):
//
//	GET  /api/modules                 every module's state
//	GET  /api/modules/{n}             one module, with its energy
//	POST /api/modules/{n}/coverage    {"coupling_loss_db": 150} or {"rsrp_dbm": -120}
//	POST /api/modules/{n}/faults      {"access_failures": 3, "drop_downlink": 0.3, "drop_uplink": 0.1, "nat_rebind": true}
//	GET  /api/network                 the network's policies and faults
//	POST /api/network                 change them (any subset of the fields)
//	GET  /api/timeline                the fault timeline and what it did so far
//
// The fault timeline (timeline.go) acts through the same functions.
func (e *Emulator) RegisterAPI(m Mux) {
	m.HandleFunc("GET /api/modules", e.apiModules)
	m.HandleFunc("GET /api/modules/{n}", e.apiModule)
	m.HandleFunc("POST /api/modules/{n}/coverage", e.apiCoverage)
	m.HandleFunc("POST /api/modules/{n}/faults", e.apiFaults)
	m.HandleFunc("GET /api/network", e.apiNetwork)
	m.HandleFunc("POST /api/network", e.apiSetNetwork)
	m.HandleFunc("GET /api/timeline", e.apiTimeline)
}

// ModuleState is a module as the API shows it.
type ModuleState struct {
	Module       int          `json:"module"`
	IMSI         string       `json:"imsi"`
	IMEI         string       `json:"imei"`
	Radio        bool         `json:"radio_on"`
	Registration string       `json:"registration"`
	Connected    bool         `json:"connected"`
	PSM          bool         `json:"psm"`
	Address      string       `json:"address,omitempty"`
	T3324        string       `json:"t3324,omitempty"`
	T3412        string       `json:"t3412,omitempty"`
	EDRXCycle    string       `json:"edrx_cycle,omitempty"`
	CouplingLoss float64      `json:"coupling_loss_db"`
	RSRP         float64      `json:"rsrp_dbm"`
	CELevel      int          `json:"ce_level"`
	LastError    string       `json:"last_error,omitempty"`
	DropDownlink float64      `json:"drop_downlink,omitempty"`       // fault: the probability a downlink packet is lost
	DropUplink   float64      `json:"drop_uplink,omitempty"`         // fault: the probability an uplink packet is lost after the core
	RejectCause  int          `json:"attach_reject_cause,omitempty"` // fault: this module's attaches are rejected with this cause
	Stats        ModStats     `json:"data"`
	Energy       *EnergyState `json:"energy,omitempty"`
}

// EnergyState is a module's energy as the API shows it.
type EnergyState struct {
	StateSeconds  map[string]float64 `json:"state_seconds"`
	ChargeMAh     float64            `json:"charge_mah"`
	Messages      int64              `json:"messages"`
	MAhPerMessage float64            `json:"mah_per_message"`
	BatteryMAh    float64            `json:"battery_mah"`
	BatteryYears  float64            `json:"battery_years"`
}

var regNames = map[uint8]string{0: "not-registered", 1: "registered", 2: "searching", 3: "denied", 4: "unknown", 5: "roaming"}

// State returns module i's state (engine goroutine).
func (e *Emulator) state(i int, withEnergy bool) ModuleState {
	md := e.mods[i]
	st := md.Status()
	in, _ := e.net.Info(md.id)
	s := ModuleState{Module: i, IMSI: md.imsi, IMEI: md.imei, Radio: md.radioOn, Registration: regNames[uint8(md.reg)],
		Connected: st.Connected, PSM: st.PSM, CouplingLoss: in.CouplingLoss, RSRP: in.RSRP, CELevel: in.CELevel,
		LastError: md.lastErr, Stats: md.stats, DropDownlink: md.dropDown, DropUplink: md.dropUp, RejectCause: int(md.rejectCause)}
	s.Stats.LostCauses = maps.Clone(md.stats.LostCauses) // encoded off the engine goroutine
	s.Stats.UplinkPending = in.Pending
	if st.Addr.IsValid() {
		s.Address = st.Addr.String()
	}
	if st.PSMGrant.Enabled {
		s.T3324, s.T3412 = st.PSMGrant.T3324.String(), st.PSMGrant.T3412.String()
	}
	if st.EDRXGrant.Enabled {
		s.EDRXCycle = st.EDRXGrant.Cycle.String()
	}
	if withEnergy {
		en := st.Energy
		es := &EnergyState{StateSeconds: map[string]float64{}, ChargeMAh: en.Charge, Messages: en.Messages,
			MAhPerMessage: en.PerMessage, BatteryMAh: en.BatteryMAh, BatteryYears: en.BatteryYears}
		for k, v := range en.Time {
			es.StateSeconds[k] = v.Seconds()
		}
		s.Energy = es
	}
	return s
}

// States returns every module's state, with energy.
func (e *Emulator) States() []ModuleState {
	var out []ModuleState
	e.Do(func() {
		for i := range e.mods {
			out = append(out, e.state(i, true))
		}
	})
	return out
}

func (e *Emulator) apiModules(w http.ResponseWriter, r *http.Request) {
	var out []ModuleState
	e.Do(func() {
		for i := range e.mods {
			out = append(out, e.state(i, false))
		}
	})
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) module(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(e.mods) {
		writeErr(w, http.StatusNotFound, fmt.Sprintf("module %q: modules are 0..%d", r.PathValue("n"), len(e.mods)-1))
		return 0, false
	}
	return n, true
}

func (e *Emulator) apiModule(w http.ResponseWriter, r *http.Request) {
	n, ok := e.module(w, r)
	if !ok {
		return
	}
	var s ModuleState
	e.Do(func() { s = e.state(n, true) })
	writeJSON(w, http.StatusOK, s)
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	d := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		writeErr(w, http.StatusBadRequest, "body: "+err.Error())
		return false
	}
	return true
}

func (e *Emulator) apiCoverage(w http.ResponseWriter, r *http.Request) {
	n, ok := e.module(w, r)
	if !ok {
		return
	}
	var body struct {
		CouplingLoss *float64 `json:"coupling_loss_db"`
		RSRP         *float64 `json:"rsrp_dbm"`
	}
	if !decode(w, r, &body) {
		return
	}
	cl, err := e.couplingLoss(body.CouplingLoss, body.RSRP)
	if err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	e.Do(func() { e.setCoverage(n, cl, "control") })
	e.apiModule(w, r)
}

// couplingLoss is the coupling loss that a coverage request gives, as a
// coupling loss or an RSRP (one of them).
func (e *Emulator) couplingLoss(cl, rsrp *float64) (float64, error) {
	if rsrp != nil {
		if cl != nil {
			return 0, errors.New("coupling_loss_db and rsrp_dbm: give one of them")
		}
		if *rsrp < -180 || *rsrp > -40 {
			return 0, errors.New("rsrp_dbm: a number of dBm in [-180, -40] is required")
		}
		// RSRP is the cell's power per resource element less the coupling
		// loss (TS 36.214 §5.1.1).
		v := phy.RSRPdBm(e.net.Scenario().Radio.EnbTxPowerDbm, 0) - *rsrp
		return v, nil
	}
	if cl == nil || *cl < MinCouplingLoss || *cl > MaxCouplingLoss {
		return 0, fmt.Errorf("coupling_loss_db: a number of dB in [%d, %d] is required, or rsrp_dbm (164 dB is the NB-IoT MCL; above the scenario's radio.max_coupling_loss_db the module is out of coverage)", MinCouplingLoss, MaxCouplingLoss)
	}
	return *cl, nil
}

// setCoverage moves module n to coupling loss cl (engine goroutine): the
// control API's coverage and the timeline's. who names the source in the
// trace. Above radio.max_coupling_loss_db the module loses service as
// coverage.go says, below it it finds its cell again.
func (e *Emulator) setCoverage(n int, cl float64, who string) {
	_ = e.net.SetCouplingLoss(e.mods[n].id, cl)
	e.trace(n, who, fmt.Sprintf("coupling loss %.1f dB", cl)) // reads the engine's time
	e.mods[n].checkCoverage(false)
}

// failAccess makes module n's next k access procedures fail (engine
// goroutine).
func (e *Emulator) failAccess(n, k int, who string) {
	_ = e.net.FailAccess(e.mods[n].id, k)
	e.trace(n, who, fmt.Sprintf("next %d access procedures fail", k))
}

// setDrop sets the probability that module n's downlink (down) or uplink
// packets are lost (engine goroutine). The draws come from the module's
// own random streams, so a run with the same seed and the same packets
// loses the same ones.
func (e *Emulator) setDrop(n int, down bool, p float64, who string) {
	md := e.mods[n]
	if down {
		md.dropDown = p
	} else {
		md.dropUp = p
	}
	e.trace(n, who, fmt.Sprintf("%s packets lost with probability %g", map[bool]string{true: "downlink", false: "uplink"}[down], p))
}

// natRebind forgets module n's NAT bindings (engine goroutine): its next
// datagrams leave from new public ports, and downlink to the old ones is
// dropped.
func (e *Emulator) natRebind(n int, who string) {
	k := e.nat.rebind(e.mods[n].id)
	e.trace(n, who, fmt.Sprintf("nat rebinding: %d bindings forgotten", k))
}

func (e *Emulator) apiFaults(w http.ResponseWriter, r *http.Request) {
	n, ok := e.module(w, r)
	if !ok {
		return
	}
	var body ModuleFaults
	if !decode(w, r, &body) {
		return
	}
	if err := body.check(); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	e.Do(func() { e.applyFaults(n, body, "control") })
	writeJSON(w, http.StatusOK, body)
}

// ModuleFaults are the faults POST /api/modules/{n}/faults sets (any
// subset, at least one).
type ModuleFaults struct {
	AccessFailures *int     `json:"access_failures,omitempty"`
	DropDownlink   *float64 `json:"drop_downlink,omitempty"`
	DropUplink     *float64 `json:"drop_uplink,omitempty"`
	NATRebind      bool     `json:"nat_rebind,omitempty"`
	// AttachRejectCause rejects this module's attaches (0: no longer),
	// with AttachRejectT3346 for cause 22, as POST /api/network's fields
	// do for every module.
	AttachRejectCause *int    `json:"attach_reject_cause,omitempty"`
	AttachRejectT3346 *string `json:"attach_reject_t3346,omitempty"`
}

func (f ModuleFaults) check() error {
	if f.AccessFailures == nil && f.DropDownlink == nil && f.DropUplink == nil && !f.NATRebind && f.AttachRejectCause == nil {
		return errors.New("give at least one of access_failures, drop_downlink, drop_uplink, nat_rebind, attach_reject_cause")
	}
	if _, err := (NetworkState{AttachRejectCause: f.AttachRejectCause, AttachRejectT3346: f.AttachRejectT3346}).change(); err != nil {
		return err
	}
	if a := f.AccessFailures; a != nil && (*a < 0 || *a > 1000) {
		return errors.New("access_failures: an integer in [0, 1000] is required (how many access procedures fail)")
	}
	for _, p := range []struct {
		name string
		v    *float64
	}{{"drop_downlink", f.DropDownlink}, {"drop_uplink", f.DropUplink}} {
		if p.v != nil && !(*p.v >= 0 && *p.v <= 1) {
			return fmt.Errorf("%s: %v: a probability in [0, 1] is required", p.name, *p.v)
		}
	}
	return nil
}

// applyFaults sets checked faults on module n (engine goroutine).
func (e *Emulator) applyFaults(n int, f ModuleFaults, who string) {
	if f.AccessFailures != nil {
		e.failAccess(n, *f.AccessFailures, who)
	}
	if f.DropDownlink != nil {
		e.setDrop(n, true, *f.DropDownlink, who)
	}
	if f.DropUplink != nil {
		e.setDrop(n, false, *f.DropUplink, who)
	}
	if f.NATRebind {
		e.natRebind(n, who)
	}
	if f.AttachRejectCause != nil {
		var t3346 time.Duration
		if f.AttachRejectT3346 != nil {
			t3346, _ = t3346Value("attach_reject_t3346", *f.AttachRejectT3346) // checked
		}
		e.rejectModule(n, nas.EMMCause(*f.AttachRejectCause), t3346, who)
	}
}

// rejectModule makes the core reject module n's attaches with cause c
// (0: no longer) and T3346 t3346 (engine goroutine).
func (e *Emulator) rejectModule(n int, c nas.EMMCause, t3346 time.Duration, who string) {
	md := e.mods[n]
	bc, ok := e.net.Core().(interface {
		RejectIMSI(string, nas.EMMCause, time.Duration) time.Duration
	})
	if !ok {
		e.trace(n, who, "the core cannot reject one module's attaches")
		return
	}
	md.rejectCause, md.rejectT3346 = c, bc.RejectIMSI(md.imsi, c, t3346)
	e.trace(n, who, fmt.Sprintf("attach reject cause %d t3346 %v", c, md.rejectT3346))
}

// NetworkState is the network's policies and faults.
type NetworkState struct {
	PSM               *PolicyState `json:"psm,omitempty"`
	EDRX              *PolicyState `json:"edrx,omitempty"`
	InactivityTimer   *string      `json:"inactivity_timer,omitempty"`
	HonourRAI         *bool        `json:"honour_rai,omitempty"`
	CoreReachable     *bool        `json:"core_reachable,omitempty"`
	AttachRejectCause *int         `json:"attach_reject_cause,omitempty"`
	// AttachRejectT3346 is the T3346 value sent with cause #22 (POST: only
	// with attach_reject_cause 22).
	AttachRejectT3346 *string `json:"attach_reject_t3346,omitempty"`
	// CoreRestart (POST only): the MME restarts now and loses every UE
	// context; CoreRestarts (GET) counts the restarts so far.
	CoreRestart  *bool `json:"core_restart,omitempty"`
	CoreRestarts *int  `json:"core_restarts,omitempty"`
	// NATTimeout is the NAT binding timeout at SGi ("0s": none); NAT (GET
	// only) its counters.
	NATTimeout *string      `json:"nat_timeout,omitempty"`
	NAT        *NATCounters `json:"nat,omitempty"`
}

// PolicyState is a PSM or eDRX policy: grant, clamp (into [min, max]) or
// refuse; for PSM min/max bound T3324 and t3412_min/max T3412.
type PolicyState struct {
	Policy   string `json:"policy"`
	Min      string `json:"min,omitempty"`
	Max      string `json:"max,omitempty"`
	T3412Min string `json:"t3412_min,omitempty"`
	T3412Max string `json:"t3412_max,omitempty"`
}

type policyCore interface {
	SetPolicy(epc.PSMPolicy, epc.EDRXPolicy)
	Policy() (epc.PSMPolicy, epc.EDRXPolicy)
	RejectAttaches(nas.EMMCause)
}

// backOffCore sends T3346 with its attach rejects (mme.MME).
type backOffCore interface {
	RejectAttachesBackOff(nas.EMMCause, time.Duration) time.Duration
}

// t3346Value checks a T3346 value: a GPRS timer 2 (TS 24.008 §10.5.7.4),
// 2 s to 3 h 6 min.
func t3346Value(field, s string) (time.Duration, error) {
	d, err := dur(field, s)
	if err != nil {
		return 0, err
	}
	if d < 2*time.Second || d > scenarios.MaxT3324.D() {
		return 0, fmt.Errorf("%s: %s: between 2s and %s (a GPRS timer 2, TS 24.008 §10.5.7.4)", field, s, scenarios.FormatDuration(scenarios.MaxT3324.D()))
	}
	return d, nil
}

func (e *Emulator) apiNetwork(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, e.network())
}

func (e *Emulator) network() NetworkState {
	var s NetworkState
	e.Do(func() { s = e.networkState() })
	return s
}

// networkState is the network's policies and faults (engine goroutine).
func (e *Emulator) networkState() NetworkState {
	var s NetworkState
	inact, rai := e.net.RRC()
	is := inact.String()
	s.InactivityTimer, s.HonourRAI = &is, &rai
	reach := !e.coreDown
	s.CoreReachable = &reach
	c := int(e.rejectCause)
	s.AttachRejectCause = &c
	if e.rejectT3346 > 0 {
		t := e.rejectT3346.String()
		s.AttachRejectT3346 = &t
	}
	if pc, ok := e.net.Core().(policyCore); ok {
		p, x := pc.Policy()
		s.PSM = &PolicyState{Policy: p.Policy.String(), Min: p.T3324Min.String(), Max: p.T3324Max.String(),
			T3412Min: p.T3412Min.String(), T3412Max: p.T3412Max.String()}
		s.EDRX = &PolicyState{Policy: x.Policy.String(), Min: x.Min.String(), Max: x.Max.String()}
	}
	if e.core != nil {
		r := e.core.restarts
		s.CoreRestarts = &r
	}
	nt := e.nat.cfg.Timeout.String()
	nc := e.nat.counters(e.net.Engine().Now().D())
	s.NATTimeout, s.NAT = &nt, &nc
	return s
}

func dur(field, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := scenarios.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %v", field, err)
	}
	return d.D(), nil
}

// bounds checks a policy's [min, max]: neither negative (0: no bound),
// max at most top (the largest value the timer's encoding carries), and
// min ≤ max when both are set.
func bounds(minName, maxName string, lo, hi, top time.Duration) error {
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{minName, lo}, {maxName, hi}} {
		if f.d < 0 {
			return fmt.Errorf("%s: %s: a duration of 0 (no bound) or more is required", f.name, scenarios.FormatDuration(f.d))
		}
		if f.d > top {
			return fmt.Errorf("%s: %s: at most %s", f.name, scenarios.FormatDuration(f.d), scenarios.FormatDuration(top))
		}
	}
	if hi > 0 && lo > hi {
		return fmt.Errorf("%s: %s is greater than %s %s", minName, scenarios.FormatDuration(lo), maxName, scenarios.FormatDuration(hi))
	}
	return nil
}

func (e *Emulator) apiSetNetwork(w http.ResponseWriter, r *http.Request) {
	var b NetworkState
	if !decode(w, r, &b) {
		return
	}
	if err := e.SetNetwork(b); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, e.network())
}

// SetNetwork changes the policies and faults that b sets; on an error
// nothing is changed.
func (e *Emulator) SetNetwork(b NetworkState) error {
	ch, err := b.change()
	if err != nil {
		return err
	}
	e.Do(func() { err = e.applyNetwork(ch, "control") })
	return err
}

// netChange is a checked SetNetwork body: nil fields stay as they are.
type netChange struct {
	psm        *epc.PSMPolicy
	edrx       *epc.EDRXPolicy
	inact      time.Duration // 0: unchanged
	honourRAI  *bool
	reject     *nas.EMMCause
	t3346      time.Duration // with reject: the back-off timer sent with it (0: none)
	reachable  *bool
	restart    bool
	natTimeout *time.Duration
}

// change checks b.
func (b NetworkState) change() (netChange, error) {
	var ch netChange
	var err error
	if ch.psm, err = psmPolicy(b.PSM); err != nil {
		return ch, err
	}
	if ch.edrx, err = edrxPolicy(b.EDRX); err != nil {
		return ch, err
	}
	if b.InactivityTimer != nil {
		d, err := dur("inactivity_timer", *b.InactivityTimer)
		if err != nil {
			return ch, err
		}
		if d < time.Second || d > time.Hour {
			return ch, fmt.Errorf("inactivity_timer: %v: between 1s and 1h", d)
		}
		ch.inact = d
	}
	if c := b.AttachRejectCause; c != nil {
		if *c < 0 || *c > 255 {
			return ch, fmt.Errorf("attach_reject_cause: %d: an EMM cause 1..255 (TS 24.301 §9.9.3.9), or 0 for none", *c)
		}
		v := nas.EMMCause(*c)
		ch.reject = &v
	}
	if b.AttachRejectT3346 != nil {
		if ch.reject == nil || *ch.reject != 22 {
			return ch, errors.New("attach_reject_t3346: only with attach_reject_cause 22 (congestion, TS 24.301 §5.5.1.2.5)")
		}
		if ch.t3346, err = t3346Value("attach_reject_t3346", *b.AttachRejectT3346); err != nil {
			return ch, err
		}
	}
	if b.NATTimeout != nil {
		d, err := dur("nat_timeout", *b.NATTimeout)
		if err != nil {
			return ch, err
		}
		if err := (NATConfig{Timeout: d}).Check("nat_timeout"); err != nil {
			return ch, err
		}
		ch.natTimeout = &d
	}
	if b.NAT != nil || b.CoreRestarts != nil {
		return ch, errors.New("nat, core_restarts: counters, not settings (GET only)")
	}
	ch.honourRAI, ch.reachable = b.HonourRAI, b.CoreReachable
	ch.restart = b.CoreRestart != nil && *b.CoreRestart
	return ch, nil
}

// applyNetwork makes a checked change (engine goroutine): the control
// API's and the timeline's network actions.
func (e *Emulator) applyNetwork(ch netChange, who string) error {
	pc, ok := e.net.Core().(policyCore)
	if (ch.psm != nil || ch.edrx != nil || ch.reject != nil) && !ok {
		return fmt.Errorf("the core does not take policy changes")
	}
	if ch.restart && e.core == nil {
		return fmt.Errorf("core_restart: the core cannot restart")
	}
	if ch.psm != nil || ch.edrx != nil {
		p, x := pc.Policy()
		if ch.psm != nil {
			p = *ch.psm
		}
		if ch.edrx != nil {
			x = *ch.edrx
		}
		pc.SetPolicy(p, x)
		e.traceAll(who, fmt.Sprintf("psm policy %s t3324 [%v, %v] t3412 [%v, %v]; edrx policy %s [%v, %v]",
			p.Policy, p.T3324Min, p.T3324Max, p.T3412Min, p.T3412Max, x.Policy, x.Min, x.Max))
	}
	if ch.reject != nil {
		e.rejectCause, e.rejectT3346 = *ch.reject, 0
		if bc, ok := pc.(backOffCore); ok && ch.t3346 > 0 {
			e.rejectT3346 = bc.RejectAttachesBackOff(e.rejectCause, ch.t3346)
		} else {
			pc.RejectAttaches(e.rejectCause)
		}
		e.traceAll(who, fmt.Sprintf("attach reject cause %d t3346 %v", e.rejectCause, e.rejectT3346))
	}
	cur, rai := e.net.RRC()
	inact := ch.inact
	if inact == 0 {
		inact = cur
	}
	if ch.honourRAI != nil {
		rai = *ch.honourRAI
	}
	e.net.SetRRC(inact, rai)
	if ch.reachable != nil {
		e.coreDown = !*ch.reachable
		_ = e.net.SetCoreReachable(*ch.reachable)
		e.traceAll(who, fmt.Sprintf("core reachable %v", *ch.reachable))
	}
	if ch.restart {
		e.core.restart() // after the policy: the restarted MME keeps it
		e.traceAll(who, "core restart: every UE context lost")
	}
	if ch.natTimeout != nil {
		e.nat.cfg.Timeout = *ch.natTimeout
		e.traceAll(who, fmt.Sprintf("nat binding timeout %v", *ch.natTimeout))
	}
	return nil
}

// psmPolicy is the PSM policy of a SetNetwork body (nil: unchanged).
func psmPolicy(b *PolicyState) (*epc.PSMPolicy, error) {
	if b == nil {
		return nil, nil
	}
	pol, err := epc.ParsePolicy(b.Policy)
	if err != nil {
		return nil, fmt.Errorf("psm.policy: %v", err)
	}
	p := epc.PSMPolicy{Policy: pol}
	for _, f := range []struct {
		name string
		s    string
		d    *time.Duration
	}{{"psm.min", b.Min, &p.T3324Min}, {"psm.max", b.Max, &p.T3324Max}, {"psm.t3412_min", b.T3412Min, &p.T3412Min}, {"psm.t3412_max", b.T3412Max, &p.T3412Max}} {
		d, err := dur(f.name, f.s)
		if err != nil {
			return nil, err
		}
		*f.d = d
	}
	if err := bounds("psm.min", "psm.max", p.T3324Min, p.T3324Max, scenarios.MaxT3324.D()); err != nil {
		return nil, err
	}
	if err := bounds("psm.t3412_min", "psm.t3412_max", p.T3412Min, p.T3412Max, scenarios.MaxT3412.D()); err != nil {
		return nil, err
	}
	return &p, nil
}

// edrxPolicy is the eDRX policy of a SetNetwork body (nil: unchanged).
func edrxPolicy(b *PolicyState) (*epc.EDRXPolicy, error) {
	if b == nil {
		return nil, nil
	}
	pol, err := epc.ParsePolicy(b.Policy)
	if err != nil {
		return nil, fmt.Errorf("edrx.policy: %v", err)
	}
	x := epc.EDRXPolicy{Policy: pol}
	if x.Min, err = dur("edrx.min", b.Min); err != nil {
		return nil, err
	}
	if x.Max, err = dur("edrx.max", b.Max); err != nil {
		return nil, err
	}
	if err := bounds("edrx.min", "edrx.max", x.Min, x.Max, scenarios.EDRXCycles[len(scenarios.EDRXCycles)-1]); err != nil {
		return nil, err
	}
	return &x, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeErr(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
