package emulate

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/apiauth"
	"github.com/nbsim/nbsim/scenarios"
)

// The control API's state-changing routes, picked by the fuzzer's first
// argument (module 2 does not exist: 404).
var fuzzRoutes = []string{
	"/api/network",
	"/api/modules/0/coverage",
	"/api/modules/1/faults",
	"/api/modules/1/coverage",
	"/api/modules/0/faults",
	"/api/modules/2/coverage",
}

// FuzzControlAPI feeds arbitrary JSON bodies to every state-changing route
// of the control API, through the token guard as nbsim emulate serves it.
// Invariants: no panic; every answer is 200, 400 or 404 with a JSON body
// (an error names what is wrong); a refused request changes nothing; after
// any request the network's policies stay valid (bounds non-negative,
// min ≤ max, within the timers' ranges), the inactivity timer in [1s, 1h]
// and every module's coupling loss in
// [40, 250] dB.
func FuzzControlAPI(f *testing.F) {
	for _, s := range []struct {
		route uint8
		body  string
	}{
		{0, `{"psm": {"policy": "clamp", "min": "2s", "max": "4s", "t3412_min": "1m", "t3412_max": "1h"}}`},
		{0, `{"psm": {"policy": "clamp", "min": "10h", "max": "1s"}}`},
		{0, `{"psm": {"policy": "clamp", "min": "-5s"}}`},
		{0, `{"edrx": {"policy": "clamp", "min": "20.48s", "max": "163.84s"}}`},
		{0, `{"edrx": {"policy": "refuse"}}`},
		{0, `{"inactivity_timer": "5s", "honour_rai": false}`},
		{0, `{"inactivity_timer": "2h"}`},
		{0, `{"attach_reject_cause": 15}`},
		{0, `{"attach_reject_cause": 256}`},
		{0, `{"core_reachable": false}`},
		{0, `{"core_reachable": true, "psm": {"policy": "grant"}}`},
		{0, `{"bogus": 1}`},
		{1, `{"coupling_loss_db": 150}`},
		{1, `{"rsrp_dbm": -120}`},
		{3, `{"rsrp_dbm": -120, "coupling_loss_db": 140}`},
		{3, `{"coupling_loss_db": 1e308}`},
		{2, `{"access_failures": 3}`},
		{4, `{"access_failures": -1}`},
		{5, `{"coupling_loss_db": 150}`},
		{0, `null`},
		{0, `[]`},
		{0, `{"psm": null}`},
		{0, `{"psm": {"policy": "clamp"}}{"psm": {"policy": "refuse"}}`},
	} {
		f.Add(s.route, []byte(s.body))
	}
	sc, err := scenarios.Load("lab", nil)
	if err != nil {
		f.Fatal(err)
	}
	e, err := New(Config{Scenario: sc, Modules: 2, Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	g, err := apiauth.New(testToken)
	if err != nil {
		f.Fatal(err)
	}
	mux := http.NewServeMux()
	e.RegisterAPI(mux)
	h := g.Wrap(mux)
	snapshot := func() []byte {
		var mods []ModuleState
		for i := 0; i < e.Modules(); i++ {
			var s ModuleState
			e.Do(func() { s = e.state(i, false) })
			mods = append(mods, s)
		}
		b, _ := json.Marshal(struct {
			N NetworkState
			M []ModuleState
		}{e.network(), mods})
		return b
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		path := fuzzRoutes[int(route)%len(fuzzRoutes)]
		before := snapshot()
		req := httptest.NewRequest("POST", "http://127.0.0.1"+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case 200, 400, 404:
		default:
			t.Fatalf("POST %s %q: status %d %s", path, body, w.Code, w.Body)
		}
		var ans map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil && w.Code != 200 {
			t.Fatalf("POST %s %q: %d, not JSON: %q", path, body, w.Code, w.Body)
		}
		if w.Code != 200 {
			if msg, _ := ans["error"].(string); msg == "" {
				t.Fatalf("POST %s %q: %d without an error message: %q", path, body, w.Code, w.Body)
			}
			if after := snapshot(); !bytes.Equal(before, after) {
				t.Fatalf("POST %s %q refused (%d) but the state changed:\n%s\n%s", path, body, w.Code, before, after)
			}
		}
		checkState(t, e)
	})
}

// checkState fails t if the network's policies or a module's coverage are
// out of their valid ranges.
func checkState(t *testing.T, e *Emulator) {
	t.Helper()
	e.Do(func() {
		pc, ok := e.net.Core().(policyCore)
		if !ok {
			return
		}
		p, x := pc.Policy()
		for _, b := range []struct {
			name         string
			lo, hi, top  time.Duration
			policyString string
		}{
			{"psm T3324", p.T3324Min, p.T3324Max, scenarios.MaxT3324.D(), p.Policy.String()},
			{"psm T3412", p.T3412Min, p.T3412Max, scenarios.MaxT3412.D(), p.Policy.String()},
			{"edrx", x.Min, x.Max, scenarios.EDRXCycles[len(scenarios.EDRXCycles)-1], x.Policy.String()},
		} {
			if b.lo < 0 || b.hi < 0 || b.hi > b.top || (b.hi > 0 && b.lo > b.hi) {
				t.Fatalf("%s policy %s: bounds [%v, %v] (top %v)", b.name, b.policyString, b.lo, b.hi, b.top)
			}
		}
		inact, _ := e.net.RRC()
		if inact < time.Second || inact > time.Hour {
			t.Fatalf("inactivity timer %v", inact)
		}
		for i, md := range e.mods {
			in, _ := e.net.Info(md.id)
			if in.CouplingLoss < 40 || in.CouplingLoss > 250 {
				t.Fatalf("module %d: coupling loss %v", i, in.CouplingLoss)
			}
		}
	})
}
