package model

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/scenarios"
)

// The radio options reach the model: sync time per CE level, NPUSCH shape
// options, lanes of a 3.75 kHz-capable uplink and the 3.75 kHz NPUSCH power.
func TestRadioOpts(t *testing.T) {
	r := scenarios.Default().Radio
	o := newRadioOpts(&r)
	if o.syncTime(0) != 400*time.Millisecond || o.syncTime(2) != 3600*time.Millisecond || o.ulLaneScale != 1 {
		t.Errorf("defaults: %+v", o)
	}
	r.SyncTime = []scenarios.Duration{scenarios.Duration(time.Second), scenarios.Duration(2 * time.Second)}
	r.ULSubcarrierSpacing, r.ULTones = "3.75khz", "single"
	o = newRadioOpts(&r)
	// Two entries: CE2 takes the last one.
	if o.syncTime(0) != time.Second || o.syncTime(1) != 2*time.Second || o.syncTime(2) != 2*time.Second {
		t.Errorf("sync times %v", o.sync)
	}
	var l phy.LinkAdaptOptions
	o.ulShape(&l)
	if !l.Only3750Hz || !l.Allow3750Hz || !l.SingleToneOnly || l.MultiToneOnly {
		t.Errorf("3.75khz single: %+v", l)
	}
	// 48 lanes of 3.75 kHz: a 3.75 kHz tone takes 1, a 15 kHz 3-tone
	// allocation 12 (three subcarriers of four quarter-lanes).
	if o.ulLaneScale != 4 || o.ulLanes(&phy.Transmission{SCSHz: phy.SCS3750, Tones: 1}) != 1 ||
		o.ulLanes(&phy.Transmission{SCSHz: phy.SCS15000, Tones: 3}) != 12 {
		t.Errorf("lanes: scale %d", o.ulLaneScale)
	}
	r.ULSubcarrierSpacing, r.ULTones = "adaptive", "multi"
	o = newRadioOpts(&r)
	o.ulShape(&l)
	if l.Only3750Hz || !l.Allow3750Hz || l.SingleToneOnly || !l.MultiToneOnly || o.ulLaneScale != 4 {
		t.Errorf("adaptive multi: %+v, scale %d", l, o.ulLaneScale)
	}
}

// NPUSCH power at 3.75 kHz (TS 36.213 §16.2.1.1.1, M = 1/4): with P0 −100
// dBm, α 1 and CL 110 dB, 1 repetition: −6.02 − 100 + 110 = 3.98 dBm; the
// 15 kHz single tone would give 10 dBm; above 2 repetitions P_CMAX.
func TestNPUSCHPower375(t *testing.T) {
	sc := scenarios.Default()
	n := &Network{sc: &sc}
	if p := n.npusch375Power(1, 110); math.Abs(p-3.9794) > 1e-3 {
		t.Errorf("3.75 kHz, 1 rep: %v dBm, want 3.98", p)
	}
	if p := n.npusch375Power(4, 110); p != 23 {
		t.Errorf("3.75 kHz, 4 reps: %v dBm, want P_CMAX 23", p)
	}
}

// A flat transmit model books every transmission at tx_flat_mw: the
// transmit energy of a run is exactly 500 mW × the transmit time.
func TestFlatTransmitEnergy(t *testing.T) {
	n := buildSmall(t, "groups.meters.power.tx_model=flat", "groups.meters.power.tx_flat_mw=500", "duration=1h")
	if _, err := n.Run(context.Background(), Options{}); err != nil {
		t.Fatal(err)
	}
	var g *group
	for _, x := range n.groups {
		if x.name == "meters" {
			g = x
		}
	}
	s := &g.stats
	tx := float64(s.stateNS[device.Tx]) / 1e9
	if tx <= 0 {
		t.Fatal("no transmit time")
	}
	if got, want := s.stateMJ[device.Tx].value(), 500*tx; math.Abs(got-want) > 1e-6*want {
		t.Errorf("tx energy %v mJ, want 500 mW × %v s = %v", got, tx, want)
	}
}

// A carrier that may grant 3.75 kHz NPUSCH has 48 lanes of 3.75 kHz; a
// 15 kHz-only one keeps its 12 (and books exactly as before).
func TestUplinkLanes(t *testing.T) {
	for sets, want := range map[string]int{"radio.ul_subcarrier_spacing=15khz": 12, "radio.ul_subcarrier_spacing=3.75khz": 48, "radio.ul_subcarrier_spacing=adaptive": 48} {
		n := buildSmall(t, sets)
		for i := range n.cells {
			if got := n.cells[i].ul.Lanes(); got != want {
				t.Errorf("%s: cell %d has %d uplink lanes, want %d", sets, i, got, want)
			}
		}
	}
}
