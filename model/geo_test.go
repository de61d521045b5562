package model

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/nbsim/nbsim/scenarios"
)

// TestSectorSpan: a sector spans from the bisector with its
// anticlockwise neighbour to the bisector with its clockwise one.
func TestSectorSpan(t *testing.T) {
	for _, c := range []struct {
		az       []float64
		k        int
		from, to float64
	}{
		{[]float64{0, 120, 240}, 0, 300, 60},
		{[]float64{0, 120, 240}, 2, 180, 300},
		{[]float64{10, 130, 250}, 1, 70, 190},
		// 0 has its clockwise neighbour at 90 (bisector 45) and its
		// anticlockwise one at 200 (160° away: bisector 280).
		{[]float64{0, 90, 200}, 0, 280, 45},
		{[]float64{0, 90, 200}, 2, 145, 280},
	} {
		from, to := sectorSpan(c.az, c.k)
		if math.Abs(from-c.from) > 1e-9 || math.Abs(to-c.to) > 1e-9 {
			t.Errorf("%v sector %d: %g..%g, want %g..%g", c.az, c.k, from, to, c.from, c.to)
		}
	}
}

func TestNearestSiteDistances(t *testing.T) {
	sites := []scenarios.Site{{XM: 0, YM: 0}, {XM: 3000, YM: 4000}, {XM: -100, YM: 5000}, {XM: 10000, YM: 0}}
	got := nearestSiteDistances(sites)
	// 0: 5000 (to 1) vs 5001 (to 2); 1: hypot(3100, 1000) = 3257.3; 3: hypot(7000, 4000) = 8062.3.
	want := []float64{5000, math.Hypot(3100, 1000), math.Hypot(3100, 1000), math.Hypot(7000, 4000)}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Errorf("site %d: %g, want %g", i, got[i], want[i])
		}
	}
	if d := nearestSiteDistances(sites[:1]); !math.IsInf(d[0], 1) {
		t.Errorf("lone site: %g", d[0])
	}
}

// TestMedianLoss: free space from an omni site 30 m above the device,
// 1 km away on the ground, at B20's 847 MHz uplink: L = 20·log10(4π·d·f/c)
// with d = √(1000² + 30²) = 1000.45 m: 91.009 dB; + 2 dB cable − 15 dBi
// eNB antenna + 20 dB penetration − 0 dBi device = 98.009 dB.
func TestMedianLoss(t *testing.T) {
	n := buildYAML(t, "s.yaml", `
radio: {pathloss: free-space, enb_height_m: 31.5, ue_height_m: 1.5}
sites: [{name: a, x_m: 0, y_m: 0, sectors: 1}]
groups:
  g: {count: 1, penetration_loss_db: 20}
`)
	fspl := 20 * math.Log10(4*math.Pi*math.Hypot(1000, 30)*847e6/299792458)
	if math.Abs(fspl-91.009) > 0.001 {
		t.Fatalf("hand free-space loss %.3f, want 91.009", fspl)
	}
	sites := n.sc.Sites()
	got := n.medianLoss(1000, 0, sites, [][]int{{0}}, make([]int, 1), make([]float64, 1), 20)
	if want := fspl + 2 - 15 + 20; math.Abs(got-want) > 1e-9 {
		t.Errorf("median loss %.4f, want %.4f", got, want)
	}
	// Next to the site: the minimum coupling loss.
	if got := n.medianLoss(1, 0, sites, [][]int{{0}}, make([]int, 1), make([]float64, 1), 0); got != 70 {
		t.Errorf("at 1 m: %g, want the 70 dB floor", got)
	}
}

// TestGeoDevices: the sample is every Stride-th device with the position
// the placement gave it (a placement CSV's rows, here), its CE level and
// coupling loss; devices beyond the maximum coupling loss drop every
// report and have no battery life.
func TestGeoDevices(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "xy.csv"), []byte("x_m,y_m\n100,0\n0,-200\n30000,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n := buildYAML(t, filepath.Join(dir, "s.yaml"), `
duration: 6h
sites: [{name: a, x_m: 0, y_m: 0, sectors: 3}]
groups:
  g:
    placement: {shape: csv, file: xy.csv}
    report: {period: 1h}
`)
	out, err := n.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := out.Samples.Geo()
	if err != nil {
		t.Fatal(err)
	}
	if g.Stride != 1 || len(g.Devices) != 3 || g.DevicesTotal != 3 || g.Origin != nil {
		t.Fatalf("stride %d, %d of %d devices, origin %v", g.Stride, len(g.Devices), g.DevicesTotal, g.Origin)
	}
	for i, want := range [][2]float64{{100, 0}, {0, -200}, {30000, 0}} {
		d := g.Devices[i]
		u := &n.ues[i]
		if !d.HasPos || d.X != want[0] || d.Y != want[1] || d.CouplingLossDb != float64(u.cl) || d.CELevel != int(u.ceBase) || d.Cell != n.cells[u.cell].name {
			t.Errorf("device %d: %+v (cl %g CE%d)", i, d, u.cl, u.ceBase)
		}
	}
	// 100 m east is in sector 2 (azimuth 120, the nearest to 90°).
	if g.Devices[0].Cell != "a/2" {
		t.Errorf("device 0 in %s, want a/2", g.Devices[0].Cell)
	}
	far := g.Devices[2]
	gr := out.Results.Groups["g"].KPI
	if !far.OutOfCoverage || !math.IsNaN(far.BatteryYears) || far.Dropped == 0 || far.Dropped != gr.ReportsDropped {
		t.Errorf("device 30 km away: %+v (group dropped %d)", far, gr.ReportsDropped)
	}
	if g.Devices[0].Dropped != 0 || !(g.Devices[0].BatteryYears > 0) {
		t.Errorf("device 0: %+v", g.Devices[0])
	}
	// Three sectors of a lone site: wedges of ±60° around 0, 120, 240,
	// their radius the 95th percentile distance of its sampled devices
	// (30 km: the third of three).
	if len(g.Cells) != 3 || g.Cells[1].FromDeg != 60 || g.Cells[1].ToDeg != 180 || g.Cells[0].RadiusM != 30000 {
		t.Errorf("cells %+v", g.Cells)
	}
	cv := g.Coverage
	if cv.NX != 160 || cv.NY != 160 || len(cv.LossDb) != 160*160 {
		t.Errorf("coverage grid %d × %d", cv.NX, cv.NY)
	}
}

// TestGeoSampleStride: 25,000 devices give every third one (8,334).
func TestGeoSampleStride(t *testing.T) {
	n := buildYAML(t, "s.yaml", "groups:\n  a: {count: 10000}\n  b: {count: 15000}\n")
	gd, err := n.geoData()
	if err != nil {
		t.Fatal(err)
	}
	if gd.Stride != 3 || len(gd.Devices) != 8334 {
		t.Fatalf("stride %d, %d devices", gd.Stride, len(gd.Devices))
	}
	// Group b starts at device 10,000: its first sampled device is 10,002,
	// its index 2.
	for _, d := range gd.Devices {
		if d.Group == "b" {
			if d.Index != 2 {
				t.Errorf("b's first sampled index %d, want 2", d.Index)
			}
			break
		}
	}
	// The disc placement: every sampled device within 2 km of the site.
	for _, d := range gd.Devices {
		if math.Hypot(d.X, d.Y) > 2000 {
			t.Fatalf("device %+v outside the 2 km disc", d)
		}
	}
}
