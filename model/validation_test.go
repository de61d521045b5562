package model_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/report"
)

// near reports whether got is within tol of want: relative when rel,
// absolute otherwise.
func near(got, want, tol float64, rel bool) bool {
	if rel {
		return math.Abs(got-want) <= tol*math.Abs(want)
	}
	return math.Abs(got-want) <= tol
}

// docFigure is one figure docs/validation.md prints, with the tolerance
// within which the run must reproduce it.
type docFigure struct {
	name      string
	got, want float64
	tol       float64
	rel       bool
}

func checkFigures(t *testing.T, where string, figs []docFigure) {
	t.Helper()
	for _, f := range figs {
		if !near(f.got, f.want, f.tol, f.rel) {
			kind := "absolute"
			if f.rel {
				kind = "relative"
			}
			t.Errorf("%s %s = %.4g, docs/validation.md prints %.4g (tolerance %g %s): re-run its command and update the table",
				where, f.name, f.got, f.want, f.tol, kind)
		}
	}
}

// TestTR37868Figures runs the three TR 37.868 cases (the 30,000-device one
// is the shipped scenario: about 30 % access success and a collision
// probability near one half, as issue #10 read the TR) of docs/validation.md
// (seed 1) and checks the figures its table prints: success probability
// and the preamble-transmission CDF points within 0.02 (absolute);
// collision probability, preamble transmissions and mean delay within 5 %,
// the delay percentiles within 10 % (relative). The
// runs are deterministic: a move means the model changed, and the table
// with it.
func TestTR37868Figures(t *testing.T) {
	cases := []struct {
		n                                       int
		success, collision, preTx               float64
		delayMean, delayP50, delayP95, delayP99 float64
		cdf                                     [4]float64 // preamble transmissions ≤ 1, 2, 3, 5
	}{
		{5000, 1, 0.0038, 1.569, 28.96, 23, 61, 81, [4]float64{0.561, 0.893, 0.982, 0.999}},
		{10000, 1, 0.0174, 1.751, 33.96, 27, 73, 101, [4]float64{0.495, 0.826, 0.948, 0.996}},
		{30000, 0.3143, 0.4461, 3.431, 68.78, 49, 183, 213, [4]float64{0.280, 0.504, 0.636, 0.790}},
	}
	for _, c := range cases {
		o := run(t, load(t, "tr37868", fmt.Sprintf("groups.devices.count=%d", c.n)), 1)
		k := o.Results.KPI
		checkFigures(t, fmt.Sprintf("tr37868 with %d devices:", c.n), []docFigure{
			{"access_success_probability", k.AccessSuccessProbability, c.success, 0.02, false},
			{"collision_probability", k.CollisionProbability, c.collision, 0.05, true},
			{"preamble_transmissions_mean", k.PreambleTransmissionsMean, c.preTx, 0.05, true},
			{"access_delay_ms.mean", k.AccessDelayMs.Mean, c.delayMean, 0.05, true},
			{"access_delay_ms.p50", k.AccessDelayMs.P50, c.delayP50, 0.10, true},
			{"access_delay_ms.p95", k.AccessDelayMs.P95, c.delayP95, 0.10, true},
			{"access_delay_ms.p99", k.AccessDelayMs.P99, c.delayP99, 0.10, true},
		})
		cdf := k.PreambleTransmissionsCDF
		for i, tx := range []int{1, 2, 3, 5} {
			got := 1.0
			if tx <= len(cdf) {
				got = cdf[tx-1]
			}
			checkFigures(t, fmt.Sprintf("tr37868 with %d devices:", c.n), []docFigure{
				{fmt.Sprintf("preamble_transmissions_cdf at %d", tx), got, c.cdf[i], 0.02, false},
			})
		}
	}
}

// TestTR45820CapacitySmall runs the shipped tr45820-capacity (3,000 devices,
// 1,000 a cell, 2 h) and checks the figures docs/validation.md prints for
// it: access success within 0.005, the delivered share of the reports that
// ended within 0.005 (both absolute), no bottleneck, and the CE split
// within 2 % (relative). The limit itself is a long search
// (scripts/capacity.sh).
func TestTR45820CapacitySmall(t *testing.T) {
	o := run(t, load(t, "tr45820-capacity"), 1)
	k := o.Results.KPI
	ended := float64(k.ReportsGenerated - k.ReportsInFlight)
	checkFigures(t, "tr45820-capacity:", []docFigure{
		{"access_success_probability", k.AccessSuccessProbability, 1, 0.005, false},
		{"delivered share", float64(k.ReportsDelivered) / ended, 0.9978, 0.005, false},
		{"ce_levels[0]", float64(k.CELevels[0]), 2856, 0.02, true},
		{"ce_levels[1]", float64(k.CELevels[1]), 115, 0.02, true},
		{"ce_levels[2]", float64(k.CELevels[2]), 25, 0.02, true},
	})
	if o.Results.Bottleneck.Resource != "none" {
		t.Errorf("tr45820-capacity: bottleneck %q at 1,000 devices a cell, docs/validation.md says none", o.Results.Bottleneck.Resource)
	}
}

// perEventMJ is the radio energy outside PSM per event, in mJ, and the time
// outside PSM per event, in s, of group g.
func perEventMJ(o *model.Output, g string, events float64) (mj, s float64) {
	k := o.Results.Groups[g].KPI
	for st, j := range k.EnergyByStateJ {
		if st != "psm" {
			mj += j * 1000
		}
	}
	for st, x := range k.TimeInStateS {
		if st != "psm" {
			s += x
		}
	}
	return mj / events, s / events
}

// TestMeasuredNRF9160DK reproduces the measured energy of an nRF9160-DK on
// NB-IoT (testdata/measured/nrf9160-dk.yaml): the wake-up from PSM, to
// which the profile's idle draw was fitted, within 1 % of the measured
// 198 mJ; the message exchange, predicted, at the 221.7 mJ that
// docs/validation.md prints (within 2 %) against the measured 274 mJ.
func TestMeasuredNRF9160DK(t *testing.T) {
	const path = "../testdata/measured/nrf9160-dk.yaml"
	wake := run(t, load(t, path, "groups.dk.report.period=0s"), 1)
	mj, s := perEventMJ(wake, "dk", 24) // T3412 = 1 h over a day
	t.Logf("wake-up: %.1f mJ over %.2f s (measured 198 mJ, 10 s)", mj, s)
	ex := run(t, load(t, path), 1)
	if d := ex.Results.KPI.ReportsDelivered; d != 24 {
		t.Fatalf("%d exchanges delivered, want 24", d)
	}
	xmj, xs := perEventMJ(ex, "dk", 24)
	t.Logf("exchange: %.1f mJ over %.2f s (measured 274 mJ, 11 s): %+.1f %%", xmj, xs, 100*(xmj-274)/274)
	checkFigures(t, "nrf9160-dk:", []docFigure{
		{"wake-up mJ", mj, 198, 0.01, true},
		{"exchange mJ", xmj, 221.7, 0.02, true},
	})
}

// capacitySets scales tr45820-capacity to perCell devices a cell with the
// shares scripts/capacity.sh uses.
func capacitySets(perCell int) []string {
	n := 3 * perCell
	return []string{
		fmt.Sprintf("groups.mar-1d.count=%d", n*32/100), fmt.Sprintf("groups.mar-2h.count=%d", n*32/100),
		fmt.Sprintf("groups.mar-1h.count=%d", n*12/100), fmt.Sprintf("groups.mar-30m.count=%d", n*4/100),
		fmt.Sprintf("groups.commands.count=%d", n*20/100),
	}
}

// TestTR45820CapacityLimit (long) pins what docs/validation.md prints of
// the limit: the band in which access or delivery falls below 99 % (at
// 70,000 devices a cell both hold for seeds 1, 2 and 3; at 79,116 they
// fail for all three; between, it depends on the seed) and seed 1's
// bracket, where scripts/capacity.sh's search ends (79,890 passes with
// NPDCCH the bottleneck, 80,663 fails).
func TestTR45820CapacityLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("eight runs of 210,000 to 241,989 devices: make test-long")
	}
	share := func(k *report.KPI) float64 {
		return float64(k.ReportsDelivered) / float64(max(1, k.ReportsGenerated-k.ReportsInFlight))
	}
	holds := func(k *report.KPI) bool { return k.AccessSuccessProbability >= 0.99 && share(k) >= 0.99 }
	for _, seed := range []uint64{1, 2, 3} {
		if k := run(t, load(t, "tr45820-capacity", capacitySets(70000)...), seed).Results.KPI; !holds(&k) {
			t.Errorf("70,000 a cell, seed %d: success %.4f, delivered %.4f; docs/validation.md: both ≥ 0.99 for seeds 1–3",
				seed, k.AccessSuccessProbability, share(&k))
		}
	}
	for _, seed := range []uint64{1, 2, 3} {
		if k := run(t, load(t, "tr45820-capacity", capacitySets(79116)...), seed).Results.KPI; holds(&k) {
			t.Errorf("79,116 a cell, seed %d: success %.4f, delivered %.4f; docs/validation.md: below 0.99 for seeds 1–3",
				seed, k.AccessSuccessProbability, share(&k))
		}
	}
	in := run(t, load(t, "tr45820-capacity", capacitySets(79890)...), 1)
	if k := in.Results.KPI; !holds(&k) || in.Results.Bottleneck.Resource != "npdcch" {
		t.Errorf("79,890 a cell, seed 1: success %.4f, delivered %.4f, bottleneck %s; docs/validation.md: ≥ 0.99, ≥ 0.99, npdcch",
			k.AccessSuccessProbability, share(&k), in.Results.Bottleneck.Resource)
	}
	if k := run(t, load(t, "tr45820-capacity", capacitySets(80663)...), 1).Results.KPI; holds(&k) {
		t.Errorf("80,663 a cell, seed 1: success %.4f, delivered %.4f; docs/validation.md says seed 1's search ends below", k.AccessSuccessProbability, share(&k))
	}
}
