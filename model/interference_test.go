package model

import (
	"math"
	"testing"
	"time"

	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/report"
)

// interferenceNet is one 3-sector site (cells 0, 1, 2) with 6 devices
// whose links the tests set by hand; CE0's resource is 24 subcarriers
// (hopping groups 0: preambles 0..11, 1: 12..23).
func interferenceNet(t *testing.T) *Network {
	return buildYAML(t, "i.yaml", `
site_layout: {count: 1, sectors: 3}
random_access:
  ce:
    - {periodicity: 80ms, start_time: 8ms, subcarrier_offset: 0, num_subcarriers: 24}
    - {periodicity: 320ms, start_time: 8ms, subcarrier_offset: 24, num_subcarriers: 12, repetitions_per_attempt: 8}
    - {periodicity: 640ms, start_time: 8ms, subcarrier_offset: 36, num_subcarriers: 12, repetitions_per_attempt: 32, format: 1}
groups:
  d: {count: 6}
`)
}

// link sets device id's serving cell and coupling losses by hand: to
// cells nb at losses nbcl, to no other.
func link(n *Network, id int32, cell int32, cl float32, nb []int32, nbcl []float32) {
	u := &n.ues[id]
	u.cell, u.cl = cell, cl
	for j := range u.nb {
		u.nb[j], u.nbcl[j] = -1, 0
		if j < len(nb) {
			u.nb[j], u.nbcl[j] = nb[j], nbcl[j]
		}
	}
}

func mw(dbm float64) float64 { return math.Pow(10, dbm/10) }

// TestNPRACHInterferenceClosedForm: four devices of cells 0 and 1 at given
// powers and losses to cell 2, one occasion, hopping group 0. Cell 2's
// noise rise must be the closed-form linear sum
//
//	IoT = 10·log10(1 + Σ 10^((P_i − L_i)/10) / 12 / N),  N = −174 + 10·log10(3750) + NF,
//
// its own preamble (group 0) must see it in its SNR, a preamble of group 1
// (other subcarriers) must see none, and a device's power never
// interferes with its own cell.
func TestNPRACHInterferenceClosedForm(t *testing.T) {
	n := interferenceNet(t)
	P := []float64{23, 23, 10, 0}
	L := []float64{120, 125, 110, 100} // to cell 2
	for i := range 4 {
		link(n, int32(i), int32(i%2), 130, []int32{2, int32(1 - i%2)}, []float32{float32(L[i]), 200})
	}
	link(n, 4, 2, 140, []int32{0, 1}, []float32{200, 200})
	link(n, 5, 2, 140, []int32{0, 1}, []float32{200, 200})
	b := &bucket{ce: 0, end: 100e6}
	for i := range 4 {
		b.picks = append(b.picks, mac.Pick{Dev: int32(i), Cell: int32(i % 2), Preamble: int32(i)}) // group 0
		b.power = append(b.power, float32(P[i]))
	}
	b.picks = append(b.picks, mac.Pick{Dev: 4, Cell: 2, Preamble: 5}, mac.Pick{Dev: 5, Cell: 2, Preamble: 17}) // groups 0 and 1
	b.power = append(b.power, 20, 20)
	n.detectPreambles(b, &n.ce[0])

	nf := n.sc.Radio.EnbNoiseFigureDb
	noise := mw(-174 + 10*math.Log10(3750) + nf)
	sum := 0.0
	for i := range 4 {
		sum += mw(P[i]-L[i]) / 12
	}
	want := 10 * math.Log10(1+sum/noise)
	c := &n.cells[2]
	d := c.iot.Dist()
	if math.Abs(d.Max-want) > 1e-6 || c.iot.N() != 2 || c.blocked != 0 {
		t.Fatalf("cell 2: IoT %+v over %d samples (blocked %d), want max %.6f dB (group 0) and 0 dB (group 1), 2 samples", d, c.iot.N(), c.blocked, want)
	}
	if math.Abs(d.Mean-want/2) > 1e-6 {
		t.Errorf("cell 2 mean IoT %.6f, want %.6f (group 1 has none)", d.Mean, want/2)
	}
	if got, w := b.picks[4].SNRdB, 20-140-10*math.Log10(noise)-want; math.Abs(got-w) > 1e-4 {
		t.Errorf("group-0 preamble at cell 2: SNR %.4f, want %.4f", got, w)
	}
	if got, w := b.picks[5].SNRdB, 20-140-10*math.Log10(noise); math.Abs(got-w) > 1e-4 {
		t.Errorf("group-1 preamble at cell 2: SNR %.4f, want %.4f (no interference)", got, w)
	}
	// Cells 0 and 1 receive cell 2's devices at 200 dB: a noise rise of
	// ~2e-5 dB, and nothing from their own devices.
	for ci := 0; ci < 2; ci++ {
		if m := n.cells[ci].iot.Dist().Max; m > 1e-4 {
			t.Errorf("cell %d IoT %g dB, want ~0 (own preambles never interfere)", ci, m)
		}
	}
}

// TestNPRACHBlocking: the total power at cell 2's input passes
// phy.ReceiverBlockingDbm (−43 dBm): two neighbours' preambles at
// 23 − 70 = −47 dBm each sum to −44 dBm, the cell's own preamble at
// 23 − 70 adds −47: −42.2 dBm. Every preamble of cell 2 is lost, the
// occasion is counted blocked and its IoT sample is the ceiling; with one
// neighbour preamble fewer (−44.0 dBm total) nothing is blocked.
func TestNPRACHBlocking(t *testing.T) {
	for _, tc := range []struct {
		nbs     int
		blocked bool
	}{{2, true}, {1, false}} {
		n := interferenceNet(t)
		b := &bucket{ce: 0, end: 100e6}
		for i := 0; i < tc.nbs; i++ {
			link(n, int32(i), 0, 70, []int32{2, 1}, []float32{70, 200})
			b.picks = append(b.picks, mac.Pick{Dev: int32(i), Cell: 0, Preamble: int32(i)})
			b.power = append(b.power, 23)
		}
		link(n, 5, 2, 70, []int32{0, 1}, []float32{200, 200})
		b.picks = append(b.picks, mac.Pick{Dev: 5, Cell: 2, Preamble: 3})
		b.power = append(b.power, 23)
		n.detectPreambles(b, &n.ce[0])
		total := 10 * math.Log10(float64(tc.nbs+1)*mw(23-70))
		own := b.picks[len(b.picks)-1]
		c := &n.cells[2]
		if (c.blocked == 1) != tc.blocked || (own.DetectP == 0) != tc.blocked {
			t.Fatalf("%d neighbour preambles (%.2f dBm at the input): blocked %d, own preamble detection %g; want blocked %v",
				tc.nbs, total, c.blocked, own.DetectP, tc.blocked)
		}
		ceiling := 10 * math.Log10(1+mw(phy.ReceiverBlockingDbm)/12/n.noise375)
		if got := c.iot.Dist().Max; tc.blocked && math.Abs(got-ceiling) > 1e-9 || !tc.blocked && got >= ceiling {
			t.Errorf("%d neighbour preambles: IoT max %.3f dB, ceiling %.3f dB", tc.nbs, got, ceiling)
		}
	}
}

// TestNPRACHPowerRamping: CE0 ramps its target by powerRampingStep at each
// transmission (TS 36.321 §5.1.3) and open-loop compensates the loss
// (TS 36.213 §16.3.1): −112 dBm target, 2 dB step, 120 dB loss gives 8,
// 10, 12 dBm; at 135 dB loss the third is capped at P_CMAX 23 dBm; CE1
// transmits at P_CMAX whatever the counter.
func TestNPRACHPowerRamping(t *testing.T) {
	n := interferenceNet(t)
	n.sc.Radio.NPRACHTargetPowerDbm, n.sc.Radio.NPRACHRampStepDb = -112, 2
	u := &n.ues[0]
	for _, tc := range []struct {
		ce   uint8
		cl   float32
		want []float64
	}{
		{0, 120, []float64{8, 10, 12}},
		{0, 131, []float64{19, 21, 23}},
		{0, 135, []float64{23, 23, 23}},
		{1, 100, []float64{23, 23, 23}},
	} {
		u.cl = tc.cl
		u.att = mac.Attempt{CE: tc.ce, MaxCE: 2}
		for k, w := range tc.want {
			n.sendPreamble(0, u)
			b := &n.occ.b[len(n.occ.b)-1]
			if got := float64(b.power[len(b.power)-1]); math.Abs(got-w) > 1e-5 {
				t.Errorf("CE%d, %g dB, transmission %d: %g dBm, want %g", tc.ce, tc.cl, k+1, got, w)
			}
		}
	}
}

// TestULBookOverlap: the interference a transmission meets is each
// other cell's transmission's power times its overlap in lanes and time,
// over the transmission's lanes × time, whether that transmission was
// recorded before it or after. A: lanes 0–2, 0–10 ms, 1 mW per lane; B:
// lanes 2–5, 5–15 ms, 2 mW per lane. On lanes 2–3 over 0–10 ms: A 1 lane ×
// 10 ms × 1 + B 2 lanes × 5 ms × 2 = 30 over 2 lanes × 10 ms: 1.5 mW. On
// lanes 6–11 nothing; after 15 ms nothing.
func TestULBookOverlap(t *testing.T) {
	const ms = int64(1e6)
	A := ulHit{start: 0, end: 10 * ms, lo: 0, hi: 3, mw: 1}
	B := ulHit{start: 5 * ms, end: 15 * ms, lo: 2, hi: 6, mw: 2}
	for _, order := range []string{"before", "after", "between"} {
		var b ulBook
		own := []ulRx{
			{id: 1, start: 0, end: 10 * ms, due: 10 * ms, lo: 2, hi: 4},
			{id: 2, start: 0, end: 10 * ms, due: 10 * ms, lo: 6, hi: 12},
			{id: 3, start: 15 * ms, end: 20 * ms, due: 20 * ms, lo: 0, hi: 12},
		}
		switch order {
		case "before":
			b.hit(A)
			b.hit(B)
			for _, r := range own {
				b.place(r)
			}
		case "after":
			for _, r := range own {
				b.place(r)
			}
			b.hit(A)
			b.hit(B)
		default:
			b.hit(A)
			for _, r := range own {
				b.place(r)
			}
			b.hit(B)
		}
		var d report.DBHist
		for _, c := range []struct {
			id  int32
			end int64
			mw  float64
		}{{1, 10 * ms, 1.5}, {2, 10 * ms, 0}, {3, 20 * ms, 0}} {
			r, _, ok := b.take(c.id, c.end, &d, 1)
			if !ok || math.Abs(r.mw-c.mw) > 1e-12 {
				t.Errorf("hits %s: transmission %d met %g mW (found %v), want %g", order, c.id, r.mw, ok, c.mw)
			}
		}
		if len(b.rx) != 0 {
			t.Errorf("hits %s: %d records left after taking all", order, len(b.rx))
		}
		if got := d.Dist(); math.Abs(got.Max-10*math.Log10(2.5)) > 0.1 {
			t.Errorf("hits %s: IoT samples %+v, want max 10·log10(1 + 1.5) dB", order, got)
		}
	}
	// Pruning drops hits that ended; a transmission placed later does not
	// see them.
	var b ulBook
	var d report.DBHist
	b.hit(A)
	b.prune(10*ms, &d, 1)
	if len(b.hits) != 0 {
		t.Errorf("after prune at 10 ms: %d hits, want 0", len(b.hits))
	}
}

// npuschNet is interferenceNet with every cell's lane order starting at
// lane 0 (so same-shaped transmissions at one time overlap) and devices
// 0, 1, 2 served by cells 0, 1, 2 at 120 dB; device 0 is at 100 dB from
// cell 1, and no other device reaches another cell.
func npuschNet(t *testing.T) *Network {
	n := interferenceNet(t)
	for i := range n.cells {
		n.cells[i].ul.SetFirstLane(0)
	}
	link(n, 0, 0, 120, []int32{1}, []float32{100})
	link(n, 1, 1, 120, nil, nil)
	link(n, 2, 2, 120, nil, nil)
	return n
}

// TestNPUSCHInterferencePerLane: device 0 (cell 0) transmits; cell 1, its
// neighbour at 100 dB, records it on the lanes and for the time it used,
// at its power-controlled power spread over them, minus 100 dB. Device 1
// of cell 1 then transmits on the same lanes at the same time (both
// cells' lane orders start at lane 0 here; from 10 ms) and meets exactly
// that (over thermal per lane); device 2 of cell 2, which nobody
// interferes with, meets nothing.
func TestNPUSCHInterferencePerLane(t *testing.T) {
	n := npuschNet(t)
	u0 := &n.ues[0]
	n.ulTransmit(0, u0, 0, 20, 10e6, 1, false, 0)
	h := n.cells[1].ulb.hits[0]
	tx := n.linkAdapt(true, phy.ULSNRdB(n.sc.Radio.UeTxPowerDbm, 120, 15000, n.sc.Radio.EnbNoiseFigureDb, 0), 20, 1)[0]
	w := n.radio.ulLanes(&tx)
	r := &n.sc.Radio
	pw := phy.NPUSCHTxPowerDbm(tx.Reps, tx.Tones, r.UeTxPowerDbm, r.NPUSCHP0Dbm, r.NPUSCHAlpha, 120)
	wantMW := mw(pw - 10*math.Log10(float64(w)) - 100)
	if h.start != 10e6 || h.end <= 10e6 || int(h.lo) != 0 || int(h.hi) != w || math.Abs(float64(h.mw)-wantMW)/wantMW > 1e-6 {
		t.Fatalf("cell 1 recorded %+v, want lanes [0, %d) from 10 ms at %g mW", h, w, wantMW)
	}
	if len(n.cells[2].ulb.hits) != 0 {
		t.Fatalf("cell 2 (not a neighbour) recorded %+v", n.cells[2].ulb.hits)
	}
	n.ulTransmit(1, &n.ues[1], 1, 20, 10e6, 1, false, 0)
	n.ulTransmit(2, &n.ues[2], 2, 20, 10e6, 1, false, 0)
	want := 10 * math.Log10(1+wantMW/n.laneNoise())
	noise := n.laneNoise()
	if got := n.cells[1].ulb.dist(&n.cells[1].npuschIoT, noise); math.Abs(got.Max-want) > 1e-4 || got.Mean != got.Max {
		t.Errorf("cell 1 NPUSCH IoT %+v, want %g dB", got, want)
	}
	if got := n.cells[2].ulb.dist(&n.cells[2].npuschIoT, noise).Max; got != 0 {
		t.Errorf("cell 2 NPUSCH IoT %g, want 0", got)
	}

	// The other order: cell 1's device scheduled first, cell 0's after, on
	// the same lanes and time: cell 1's transmission still meets it.
	n = npuschNet(t)
	n.ulTransmit(1, &n.ues[1], 1, 20, 10e6, 1, false, 0)
	n.ulTransmit(0, &n.ues[0], 0, 20, 10e6, 1, false, 0)
	if got := n.cells[1].ulb.dist(&n.cells[1].npuschIoT, noise); math.Abs(got.Max-want) > 1e-4 || got.Mean != got.Max {
		t.Errorf("scheduled first: cell 1 NPUSCH IoT %+v, want %g dB", got, want)
	}
}

// TestULBLERClosedForm: device 1 (cell 1, 120 dB) sends a Msg3-size
// transmission from 10 ms; device 0 (cell 0, at 118 dB from cell 1) sends
// the same format on the same lanes from half-way through it, scheduled
// after it. At its end device 1's transmission has met device 0's power
// per lane for half its time:
//
//	I = 10^((P0 − 10·log10(w) − 118)/10) / 2 per lane,
//	SINR = S − 10·log10(1 + I/N)  (N per lane),
//
// where S is link adaptation's SNR for the format moved to device 1's
// power-controlled power (P1 − P_CMAX): its BLER is the link model's
// curve at that SINR after repetition combining. Device 2 (cell 2, no
// interferer) gets the curve at S. (118 dB puts the SINR near the
// format's required SNR, where the curve is steep: BLER about 0.28.)
func TestULBLERClosedForm(t *testing.T) {
	n := npuschNet(t)
	link(n, 0, 0, 120, []int32{1}, []float32{118})
	r := &n.sc.Radio
	snrLA := phy.ULSNRdB(r.UeTxPowerDbm, 120, 15000, r.EnbNoiseFigureDb, 0)
	tx := n.linkAdapt(true, snrLA, msg3Bytes, 1)[0]
	w := n.radio.ulLanes(&tx)
	pw := phy.NPUSCHTxPowerDbm(tx.Reps, tx.Tones, r.UeTxPowerDbm, r.NPUSCHP0Dbm, r.NPUSCHAlpha, 120)
	end1 := n.ulTransmit(1, &n.ues[1], 1, msg3Bytes, 10e6, 1, false, 0)
	half := (end1 - 10e6) / 2
	n.ulTransmit(0, &n.ues[0], 0, msg3Bytes, 10e6+half, 1, false, 0)
	end2 := n.ulTransmit(2, &n.ues[2], 2, msg3Bytes, 10e6, 1, false, 0)

	// Closed form. Link adaptation's format SNR is for its input in 0.1 dB
	// steps; the transmission's own SNR is the format's moved by the
	// difference of the actual SNR (at pw) from that input.
	S := tx.SNRdB + (snrLA + pw - r.UeTxPowerDbm - math.Round(snrLA*10)/10) + phy.RepetitionGainDb(tx.Reps)
	I := mw(pw-10*math.Log10(float64(w))-118) * float64(half) / float64(end1-10e6)
	sinr := S - 10*math.Log10(1+I/n.laneNoise())
	want := phy.BLER(sinr, tx.RequiredSNRdB)
	var d report.DBHist
	got, iot, ok := n.cells[1].ulb.take(1, end1, &d, n.laneNoise())
	if b := ulBLER(&got, iot); !ok || math.Abs(b-want) > 1e-4*want {
		t.Errorf("interfered half the time: BLER %g (found %v), want %g at SINR %.3f dB", b, ok, want, sinr)
	}
	if want < 0.1 || want > 0.9 {
		t.Errorf("the case is off the curve's slope: BLER %g with interference (%g without)", want, phy.BLER(S, tx.RequiredSNRdB))
	}
	got, iot, ok = n.cells[2].ulb.take(2, end2, &d, n.laneNoise())
	if b, want := ulBLER(&got, iot), phy.BLER(S, tx.RequiredSNRdB); !ok || iot != 0 || math.Abs(b-want) > 1e-4*want {
		t.Errorf("no interferer: BLER %g, want %g at %.3f dB", b, want, S)
	}
	// At P_CMAX and the interference link adaptation assumed, the BLER is
	// the one it predicted.
	rx := ulRx{snr0: float32(tx.SNRdB + phy.RepetitionGainDb(tx.Reps)), req: float32(tx.RequiredSNRdB)}
	if b := ulBLER(&rx, 0); math.Abs(b-tx.BLER) > 1e-4*tx.BLER {
		t.Errorf("as assumed: BLER %g, want link adaptation's %g", b, tx.BLER)
	}
}

// TestULFirstLaneSectors: a site's three sectors start their uplink lane
// orders a third of the carrier apart (lanes 0, 4, 8), so their first
// single-tone transmissions at one time (Msg3s answering one NPRACH
// occasion) do not overlap and meet no interference from one another; an
// omni site starts at 0; 3.75 kHz lanes (48) at 0, 16, 32.
func TestULFirstLaneSectors(t *testing.T) {
	for _, c := range []struct{ sector, sectors, lanes, want int }{
		{0, 3, 12, 0}, {1, 3, 12, 4}, {2, 3, 12, 8}, {0, 1, 12, 0}, {1, 3, 48, 16}, {2, 3, 48, 32}, {4, 6, 12, 4},
	} {
		if got := ulFirstLane(c.sector, c.sectors, c.lanes); got != c.want {
			t.Errorf("sector %d of %d, %d lanes: first lane %d, want %d", c.sector, c.sectors, c.lanes, got, c.want)
		}
	}
	n := interferenceNet(t)
	noise := n.laneNoise()
	for i := range 3 {
		c := &n.cells[i]
		_, e := c.ul.Reserve(10e6, 1, time.Millisecond)
		if got := c.ul.LastLane(); got != 4*i {
			t.Errorf("cell %d: single tone on lane %d, want %d", i, got, 4*i)
		}
		c.ulb.place(ulRx{id: int32(i), start: 10e6, end: e, lo: uint8(4 * i), hi: uint8(4*i + 1)})
	}
	// Each one's transmission as the two others receive it (full power).
	for i := range 3 {
		for j := range 3 {
			if j != i {
				n.cells[j].ulb.hit(ulHit{start: 10e6, end: 11e6, lo: uint8(4 * i), hi: uint8(4*i + 1), mw: 1})
			}
		}
	}
	for i := range 3 {
		if got := n.cells[i].ulb.dist(&n.cells[i].npuschIoT, noise).Max; got != 0 {
			t.Errorf("cell %d met %g dB over thermal from its co-sited sectors, want 0", i, got)
		}
	}
}

// TestRepGainDb: the table gives phy.RepetitionGainDb for every power of 2
// it holds, and the call for other counts.
func TestRepGainDb(t *testing.T) {
	for _, r := range []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3, 4096, 0} {
		if got, want := repGainDb(r), phy.RepetitionGainDb(r); got != want {
			t.Errorf("%d repetitions: %g dB, want %g", r, got, want)
		}
	}
}

// TestNPUSCHEstimateFromHit: the interference estimate a neighbour gets
// from an NPUSCH transmission is its power per 15 kHz subcarrier at the
// neighbour spread over the averaging time, P − 10·log10(tones) − CL in
// mW times airtime/τ, whatever the carrier's lanes (interfere derives it
// from the per-lane power: ×4 on 3.75 kHz lanes for a 15 kHz tone). By
// hand at 100 dB from cell 1, on both lane grids.
func TestNPUSCHEstimateFromHit(t *testing.T) {
	for _, scs := range []string{"15khz", "adaptive"} {
		n := npuschNet(t)
		n.sc.Radio.ULSubcarrierSpacing = scs
		n.radio = newRadioOpts(&n.sc.Radio)
		u0 := &n.ues[0]
		n.ulTransmit(0, u0, 0, 20, 10e6, 1, false, 0)
		r := &n.sc.Radio
		tx := n.linkAdapt(true, phy.ULSNRdB(r.UeTxPowerDbm, 120, 15000, r.EnbNoiseFigureDb, 0), 20, 1)[0]
		pw := phy.NPUSCHTxPowerDbm(tx.Reps, tx.Tones, r.UeTxPowerDbm, r.NPUSCHP0Dbm, r.NPUSCHAlpha, 120)
		if tx.SCSHz == phy.SCS3750 {
			pw = n.npusch375Power(tx.Reps, 120)
		}
		want := mw(pw-10*math.Log10(float64(tx.Tones))-100) * float64(tx.Airtime) / float64(iotTau)
		c := &n.cells[1]
		if math.Abs(c.iLin-want)/want > 1e-12 || c.iTime != 0 {
			t.Errorf("%s, %d tones at %d Hz: cell 1's estimate %g at %d, want %g at 0", scs, tx.Tones, tx.SCSHz, c.iLin, c.iTime, want)
		}
		if h := c.ulb.hits[0]; int(h.hi-h.lo) != n.radio.ulLanes(&tx) {
			t.Errorf("%s: hit on %d lanes, want %d", scs, h.hi-h.lo, n.radio.ulLanes(&tx))
		}
	}
}
