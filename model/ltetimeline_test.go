package model_test

import (
	"math"
	"testing"
)

// The lte-mode timeline of TR 37.868, by hand. With no backoff and no HARQ
// errors, an access whose k-th preamble (starting at t0, a multiple of the
// 5-ms occasion period) is answered takes
//
//	preamble 1 ms + preamble processing 2 ms + RAR 1 ms (one grant)
//	+ UE processing 5 ms + Msg3 1 ms + eNB processing 4 ms + Msg4 1 ms = 15 ms,
//
// and each unanswered preamble before it adds 10 ms: its RAR window ends
// 1 + 2 + 5 = 8 ms after it started and the next occasion comes 2 ms later.
// The access delay counts from the first preamble (TR 37.868 §6.2.2.1), so
// every delay is 15 + 10·(k − 1) ms; access_delay_from_trigger_ms adds the
// wait for the first occasion, less than one period.
func TestLTETimelineByHand(t *testing.T) {
	sc := load(t, "tr37868",
		"groups.devices.count=300", "duration=120s",
		"groups.devices.arrivals.model=uniform", "groups.devices.arrivals.window=100s",
		"random_access.lte.backoff=0s", "random_access.lte.harq_error_rate=0")
	o := run(t, sc, 1)
	k := o.Results.KPI
	if k.AccessSuccesses != 300 {
		t.Fatalf("%d successful accesses of 300", k.AccessSuccesses)
	}
	d := o.Samples.AccessDelaysMs
	if len(d) != 300 {
		t.Fatalf("%d delay samples", len(d))
	}
	for _, x := range d {
		if r := math.Mod(x-15, 10); x < 15 || math.Abs(r) > 1e-3 {
			t.Fatalf("access delay %g ms is not 15 + 10·(k−1)", x)
		}
	}
	want := 15 + 10*(k.PreambleTransmissionsMean-1)
	if math.Abs(k.AccessDelayMs.Mean-want) > 1e-6 {
		t.Errorf("mean access delay %.6f ms, want 15 + 10·(%.4f − 1) = %.6f", k.AccessDelayMs.Mean, k.PreambleTransmissionsMean, want)
	}
	if k.PreambleTransmissionsMean <= 1 {
		t.Errorf("preamble transmissions mean %.3f: the 1 − e^-n detection should miss some first preambles", k.PreambleTransmissionsMean)
	}
	// The preamble-transmission CDF from the delays: k transmissions ⇔ a
	// delay of 15 + 10·(k − 1) ms.
	cdf := k.PreambleTransmissionsCDF
	for i, p := range cdf {
		n := 0
		for _, x := range d {
			if x <= 15+10*float64(i)+1e-3 {
				n++
			}
		}
		if want := float64(n) / float64(len(d)); math.Abs(p-want) > 1e-12 {
			t.Errorf("preamble_transmissions_cdf[%d] = %v, the delays give %v", i, p, want)
		}
	}
	if len(cdf) == 0 || cdf[len(cdf)-1] != 1 {
		t.Errorf("preamble_transmissions_cdf %v does not end at 1", cdf)
	}
	if w := k.AccessDelayFromTriggerMs.Mean - k.AccessDelayMs.Mean; !(w > 0 && w < 5) {
		t.Errorf("wait for the first occasion %.3f ms, want within one 5-ms period", w)
	}
}
