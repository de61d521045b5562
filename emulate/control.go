package emulate

import (
	"encoding/json"
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
//	POST /api/modules/{n}/faults      {"access_failures": 3}
//	GET  /api/network                 the network's policies and faults
//	POST /api/network                 change them (any subset of the fields)
func (e *Emulator) RegisterAPI(m Mux) {
	m.HandleFunc("GET /api/modules", e.apiModules)
	m.HandleFunc("GET /api/modules/{n}", e.apiModule)
	m.HandleFunc("POST /api/modules/{n}/coverage", e.apiCoverage)
	m.HandleFunc("POST /api/modules/{n}/faults", e.apiFaults)
	m.HandleFunc("GET /api/network", e.apiNetwork)
	m.HandleFunc("POST /api/network", e.apiSetNetwork)
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
		LastError: md.lastErr, Stats: md.stats}
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
	if body.RSRP != nil {
		if body.CouplingLoss != nil {
			writeErr(w, http.StatusBadRequest, "coupling_loss_db and rsrp_dbm: give one of them")
			return
		}
		if *body.RSRP < -180 || *body.RSRP > -40 {
			writeErr(w, http.StatusBadRequest, "rsrp_dbm: a number of dBm in [-180, -40] is required")
			return
		}
		// RSRP is the cell's power per resource element less the coupling
		// loss (TS 36.214 §5.1.1).
		cl := phy.RSRPdBm(e.net.Scenario().Radio.EnbTxPowerDbm, 0) - *body.RSRP
		body.CouplingLoss = &cl
	}
	if body.CouplingLoss == nil || *body.CouplingLoss < 40 || *body.CouplingLoss > 250 {
		writeErr(w, http.StatusBadRequest, "coupling_loss_db: a number of dB in [40, 250] is required, or rsrp_dbm (164 dB is the NB-IoT MCL; above the scenario's radio.max_coupling_loss_db the module is out of coverage)")
		return
	}
	e.Do(func() {
		_ = e.net.SetCouplingLoss(e.mods[n].id, *body.CouplingLoss)
		e.trace(n, "control", fmt.Sprintf("coupling loss %.1f dB", *body.CouplingLoss)) // reads the engine's time
	})
	e.apiModule(w, r)
}

func (e *Emulator) apiFaults(w http.ResponseWriter, r *http.Request) {
	n, ok := e.module(w, r)
	if !ok {
		return
	}
	var body struct {
		AccessFailures *int `json:"access_failures"`
	}
	if !decode(w, r, &body) {
		return
	}
	if body.AccessFailures == nil || *body.AccessFailures < 0 || *body.AccessFailures > 1000 {
		writeErr(w, http.StatusBadRequest, "access_failures: an integer in [0, 1000] is required (how many access procedures fail)")
		return
	}
	e.Do(func() {
		_ = e.net.FailAccess(e.mods[n].id, *body.AccessFailures)
		e.trace(n, "control", fmt.Sprintf("next %d access procedures fail", *body.AccessFailures))
	})
	writeJSON(w, http.StatusOK, map[string]int{"access_failures": *body.AccessFailures})
}

// NetworkState is the network's policies and faults.
type NetworkState struct {
	PSM               *PolicyState `json:"psm,omitempty"`
	EDRX              *PolicyState `json:"edrx,omitempty"`
	InactivityTimer   *string      `json:"inactivity_timer,omitempty"`
	HonourRAI         *bool        `json:"honour_rai,omitempty"`
	CoreReachable     *bool        `json:"core_reachable,omitempty"`
	AttachRejectCause *int         `json:"attach_reject_cause,omitempty"`
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

func (e *Emulator) apiNetwork(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, e.network())
}

func (e *Emulator) network() NetworkState {
	var s NetworkState
	e.Do(func() {
		inact, rai := e.net.RRC()
		is := inact.String()
		s.InactivityTimer, s.HonourRAI = &is, &rai
		reach := !e.coreDown
		s.CoreReachable = &reach
		c := int(e.rejectCause)
		s.AttachRejectCause = &c
		if pc, ok := e.net.Core().(policyCore); ok {
			p, x := pc.Policy()
			s.PSM = &PolicyState{Policy: p.Policy.String(), Min: p.T3324Min.String(), Max: p.T3324Max.String(),
				T3412Min: p.T3412Min.String(), T3412Max: p.T3412Max.String()}
			s.EDRX = &PolicyState{Policy: x.Policy.String(), Min: x.Min.String(), Max: x.Max.String()}
		}
	})
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
	psm, err := psmPolicy(b.PSM)
	if err != nil {
		return err
	}
	edrx, err := edrxPolicy(b.EDRX)
	if err != nil {
		return err
	}
	var inact time.Duration
	if b.InactivityTimer != nil {
		d, err := dur("inactivity_timer", *b.InactivityTimer)
		if err != nil {
			return err
		}
		if d < time.Second || d > time.Hour {
			return fmt.Errorf("inactivity_timer: %v: between 1s and 1h", d)
		}
		inact = d
	}
	if c := b.AttachRejectCause; c != nil && (*c < 0 || *c > 255) {
		return fmt.Errorf("attach_reject_cause: %d: an EMM cause 1..255 (TS 24.301 §9.9.3.9), or 0 for none", *c)
	}
	e.Do(func() {
		pc, ok := e.net.Core().(policyCore)
		if (psm != nil || edrx != nil || b.AttachRejectCause != nil) && !ok {
			err = fmt.Errorf("the core does not take policy changes")
			return
		}
		if psm != nil || edrx != nil {
			p, x := pc.Policy()
			if psm != nil {
				p = *psm
			}
			if edrx != nil {
				x = *edrx
			}
			pc.SetPolicy(p, x)
		}
		if b.AttachRejectCause != nil {
			e.rejectCause = nas.EMMCause(*b.AttachRejectCause)
			pc.RejectAttaches(e.rejectCause)
		}
		cur, rai := e.net.RRC()
		if inact == 0 {
			inact = cur
		}
		if b.HonourRAI != nil {
			rai = *b.HonourRAI
		}
		e.net.SetRRC(inact, rai)
		if b.CoreReachable != nil {
			e.coreDown = !*b.CoreReachable
			_ = e.net.SetCoreReachable(*b.CoreReachable)
		}
	})
	return err
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
