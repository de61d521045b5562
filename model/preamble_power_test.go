package model

import (
	"math"
	"testing"

	"github.com/nbsim/nbsim/mac"
)

// TestNPRACHPowerRepetitions: CE0's target shares the repetitions' energy
// (TS 36.321 §5.1.3: NARROWBAND_PREAMBLE_RECEIVED_TARGET_POWER =
// PREAMBLE_RECEIVED_TARGET_POWER − 10·log10(numRepetitionPerPreambleAttempt)
// for enhanced coverage level 0), and the model must pass the level's own
// repetitions. By hand, 4 repetitions, −112 dBm target, 2 dB step, 120 dB
// loss: −112 − 6.0206 + 120 = 1.9794 dBm, then 3.9794 and 5.9794 dBm.
// TestNPRACHPowerRamping runs CE0 at 1 repetition, where a model that
// dropped the term would pass.
func TestNPRACHPowerRepetitions(t *testing.T) {
	n := buildYAML(t, "r.yaml", `
site_layout: {count: 1, sectors: 1}
radio: {nprach_target_power_dbm: -112, nprach_ramp_step_db: 2}
random_access:
  ce:
    - {periodicity: 80ms, start_time: 8ms, subcarrier_offset: 0, num_subcarriers: 12, repetitions_per_attempt: 4}
    - {periodicity: 320ms, start_time: 8ms, subcarrier_offset: 12, num_subcarriers: 12, repetitions_per_attempt: 8}
    - {periodicity: 640ms, start_time: 8ms, subcarrier_offset: 24, num_subcarriers: 12, repetitions_per_attempt: 32, format: 1}
groups:
  d: {count: 1}
`)
	if n.ce[0].reps != 4 {
		t.Fatalf("CE0 repetitions %d, want 4", n.ce[0].reps)
	}
	u := &n.ues[0]
	u.cl = 120
	u.att = mac.Attempt{CE: 0, MaxCE: 2}
	want := -112 - 10*math.Log10(4) + 120
	for k := range 3 {
		n.sendPreamble(0, u)
		b := &n.occ.b[len(n.occ.b)-1]
		if got, w := float64(b.power[len(b.power)-1]), want+2*float64(k); math.Abs(got-w) > 1e-4 {
			t.Errorf("CE0, 4 repetitions, transmission %d: %.4f dBm, want %.4f", k+1, got, w)
		}
	}
}
