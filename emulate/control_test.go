package emulate

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
)

// Coverage by RSRP: the coupling loss follows from the cell's power per
// resource element (TS 36.214 §5.1.1); asking both ways is an error.
func TestCoverageByRSRP(t *testing.T) {
	e, err := New(Config{Modules: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv := apiServer(t, e)
	post := func(body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/modules/0/coverage", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	code, m := post(`{"rsrp_dbm": -120}`)
	if code != 200 {
		t.Fatalf("status %d: %v", code, m)
	}
	tx := e.net.Scenario().Radio.EnbTxPowerDbm
	if rsrp := m["rsrp_dbm"].(float64); math.Abs(rsrp+120) > 0.01 {
		t.Errorf("rsrp %.2f dBm, want -120 (coupling loss %.2f dB, cell %.1f dBm)", rsrp, m["coupling_loss_db"], tx)
	}
	if ce := m["ce_level"].(float64); ce < 1 {
		t.Errorf("CE level %v at -120 dBm, want CE1 or CE2 (thresholds %v)", ce, e.net.Scenario().Radio.CERSRPThresholdsDbm)
	}
	for _, bad := range []string{`{"rsrp_dbm": -120, "coupling_loss_db": 140}`, `{"rsrp_dbm": -20}`, `{"rsrp_dbm": "x"}`} {
		if code, m := post(bad); code != 400 || m["error"] == nil {
			t.Errorf("%s: status %d, %v", bad, code, m)
		}
	}
}
