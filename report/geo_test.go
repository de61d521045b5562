package report

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/geo"
)

// sampleGeo: a three-sector site and an omni site 1 km apart near
// Amsterdam, two devices (one without a position, out of coverage).
func sampleGeo(origin *geo.LatLon) *Geo {
	nan := math.NaN()
	g := &Geo{
		Origin: origin,
		Sites:  []GeoSite{{Name: "a", X: 0, Y: 0}, {Name: "b", X: 1000, Y: 0}},
		Cells: []GeoCell{
			{Name: "a/1", Site: "a", AzimuthDeg: 0, FromDeg: 300, ToDeg: 60, RadiusM: 667},
			{Name: "a/2", Site: "a", AzimuthDeg: 120, FromDeg: 60, ToDeg: 180, RadiusM: 667},
			{Name: "a/3", Site: "a", AzimuthDeg: 240, FromDeg: 180, ToDeg: 300, RadiusM: 667},
			{Name: "b", Site: "b", X: 1000, AzimuthDeg: nan, RadiusM: 667},
		},
		Devices: []GeoDevice{
			{Group: "g", Index: 0, X: 300, Y: 400, HasPos: true, Cell: "a/1", CELevel: 1, CouplingLossDb: 145.25, BatteryYears: 6.5},
			{Group: "h", Index: 3, Cell: "b", CELevel: 2, CouplingLossDb: 170, OutOfCoverage: true, BatteryYears: nan, Dropped: 8},
		},
		DevicesTotal: 2, Stride: 1, MaxCouplingLossDb: 164, CEStartDb: []float64{142, 152},
		Coverage: CoverageGrid{X0: -1000, Y0: -1000, Step: 100, NX: 31, NY: 21},
	}
	for j := 0; j < 21; j++ {
		for i := 0; i < 31; i++ {
			x, y := -1000+100*float64(i), -1000+100*float64(j)
			g.Coverage.LossDb = append(g.Coverage.LossDb, 120+20*math.Log10(1+math.Min(math.Hypot(x, y), math.Hypot(x-1000, y))/10))
		}
	}
	return g
}

func sampleResultsCells() *Results {
	r := sample()
	r.Cells = []CellKPI{{Name: "a/1", Devices: 7, ULUtilisation: 0.25, Bottleneck: Bottleneck{Resource: "npusch", TimeS: 60, Saturation: 0.9},
		Resources: map[string]ResourceUse{"npusch": {Utilisation: 0.25, Peak: 0.9}}}}
	return r
}

type fc struct {
	Type     string `json:"type"`
	Frame    string `json:"nbsim_frame"`
	Features []struct {
		Type     string `json:"type"`
		Geometry *struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
}

func parseFC(t *testing.T, b []byte) *fc {
	t.Helper()
	var f fc
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if f.Type != "FeatureCollection" {
		t.Fatalf("type %q", f.Type)
	}
	return &f
}

// checkRing: RFC 7946 §3.1.6: at least four positions, closed, the
// exterior ring counter-clockwise (positive shoelace area in x = lon,
// y = lat).
func checkRing(t *testing.T, name string, ring [][]float64) {
	t.Helper()
	if len(ring) < 4 {
		t.Fatalf("%s: %d positions", name, len(ring))
	}
	if a, b := ring[0], ring[len(ring)-1]; a[0] != b[0] || a[1] != b[1] {
		t.Errorf("%s: ring not closed: %v … %v", name, a, b)
	}
	area := 0.0
	for i := 0; i+1 < len(ring); i++ {
		area += ring[i][0]*ring[i+1][1] - ring[i+1][0]*ring[i][1]
	}
	if !(area > 0) {
		t.Errorf("%s: exterior ring clockwise (area %g)", name, area/2)
	}
}

func TestCellsGeoJSONWGS84(t *testing.T) {
	o := &geo.LatLon{Lat: 52.37, Lon: 4.9}
	b, err := CellsGeoJSON(sampleGeo(o), sampleResultsCells())
	if err != nil {
		t.Fatal(err)
	}
	f := parseFC(t, b)
	if f.Frame != "" || len(f.Features) != 4 {
		t.Fatalf("frame %q, %d features", f.Frame, len(f.Features))
	}
	for _, ft := range f.Features {
		name, _ := ft.Properties["name"].(string)
		if ft.Type != "Feature" || ft.Geometry == nil || ft.Geometry.Type != "Polygon" {
			t.Fatalf("%s: %+v", name, ft)
		}
		var rings [][][]float64
		if err := json.Unmarshal(ft.Geometry.Coordinates, &rings); err != nil || len(rings) != 1 {
			t.Fatalf("%s: coordinates %s", name, ft.Geometry.Coordinates)
		}
		checkRing(t, name, rings[0])
		for _, p := range rings[0] {
			// Longitude first (RFC 7946 §3.1.1): within 2 km of 4.9° E, 52.37° N.
			if len(p) != 2 || math.Abs(p[0]-4.9) > 0.03 || math.Abs(p[1]-52.37) > 0.01 {
				t.Fatalf("%s: position %v is not lon, lat near the origin", name, p)
			}
		}
	}
	// The sector a/1 points north: its far point (bearing 0, 667 m) is
	// north of the site by 667 m / 111.26 km per degree = 0.005995°.
	var rings [][][]float64
	_ = json.Unmarshal(f.Features[0].Geometry.Coordinates, &rings)
	maxLat := -90.0
	for _, p := range rings[0] {
		maxLat = math.Max(maxLat, p[1])
	}
	if math.Abs(maxLat-52.37-667/111260.0) > 2e-5 {
		t.Errorf("a/1 reaches %.6f° N, want %.6f", maxLat, 52.37+667/111260.0)
	}
	p := f.Features[0].Properties
	if p["devices"] != 7.0 || p["bottleneck"] != "npusch" || p["npusch_peak"] != 0.9 || p["azimuth_deg"] != 0.0 || p["site"] != "a" {
		t.Errorf("a/1 properties %v", p)
	}
	if v, ok := f.Features[3].Properties["azimuth_deg"]; !ok || v != nil {
		t.Errorf("omni azimuth %v (present %v), want null", v, ok)
	}
}

func TestDevicesGeoJSON(t *testing.T) {
	b, err := DevicesGeoJSON(sampleGeo(nil))
	if err != nil {
		t.Fatal(err)
	}
	f := parseFC(t, b)
	if f.Frame != LocalNote || len(f.Features) != 2 {
		t.Fatalf("frame %q, %d features", f.Frame, len(f.Features))
	}
	d0, d1 := f.Features[0], f.Features[1]
	if d0.Geometry == nil || d0.Geometry.Type != "Point" || string(d0.Geometry.Coordinates) != "[300,400]" {
		t.Errorf("device 0 geometry %+v", d0.Geometry)
	}
	if d1.Geometry != nil {
		t.Errorf("device without a position has geometry %+v", d1.Geometry)
	}
	p0, p1 := d0.Properties, d1.Properties
	if p0["ce_level"] != 1.0 || p0["coupling_loss_db"] != 145.25 || p0["battery_years"] != 6.5 || p0["out_of_coverage"] != false || p0["group"] != "g" {
		t.Errorf("device 0 %v", p0)
	}
	if p1["battery_years"] != nil || p1["dropped_reports"] != 8.0 || p1["out_of_coverage"] != true || p1["index"] != 3.0 {
		t.Errorf("device 1 %v", p1)
	}
}

// TestGeoJSONOgrinfo: GDAL (what QGIS reads GeoJSON with) opens both
// files, finds the features and their geometry type, and reads WGS84.
func TestGeoJSONOgrinfo(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo (Debian gdal-bin) not installed: .ci/run installs it")
	}
	dir := t.TempDir()
	g := sampleGeo(&geo.LatLon{Lat: 52.37, Lon: 4.9})
	cells, err := CellsGeoJSON(g, sampleResultsCells())
	if err != nil {
		t.Fatal(err)
	}
	devs, err := DevicesGeoJSON(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want []string
	}{
		{FileCellsGeoJSON, cells, []string{"Geometry: Polygon", "Feature Count: 4", "WGS 84", "bottleneck: String", "devices: Integer", "ul_utilisation: Real"}},
		{FileDevicesGeoJSON, devs, []string{"Geometry: Point", "Feature Count: 2", "WGS 84", "battery_years: Real", "ce_level: Integer", "out_of_coverage: Integer(Boolean)"}},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", path).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", c.name, err, out)
		}
		for _, w := range c.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("ogrinfo %s: no %q in\n%s", c.name, w, out)
			}
		}
		if strings.Contains(string(out), "ERROR") || strings.Contains(string(out), "Warning") {
			t.Errorf("ogrinfo %s complains:\n%s", c.name, out)
		}
	}
}

// TestCoverageMapPNG: a PNG, square map plus the legend band; a grid of
// the wrong size gives the "no coverage grid" plot.
func TestCoverageMapPNG(t *testing.T) {
	g := sampleGeo(nil)
	b, err := CoverageMapPNG(g)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// 31 × 21 squares: the map is 21/31 of the width high, plus a fifth of
	// the width for the legend.
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if want := float64(w) * (21.0/31 + legendBand); math.Abs(float64(h)-want) > 2 {
		t.Errorf("%d × %d px, want height %.0f", w, h, want)
	}
	g.Coverage.LossDb = nil
	if _, err := CoverageMapPNG(g); err != nil {
		t.Errorf("empty grid: %v", err)
	}
	// CE levels by coupling loss: above 142 CE1, above 152 CE2, above
	// 164 out of coverage (TS 36.321 §5.1.1 thresholds in coupling loss).
	for cl, want := range map[float64]int{120: 0, 142: 0, 142.1: 1, 152.5: 2, 164: 2, 164.5: 3} {
		if got := g.ceLevelAt(cl); got != want {
			t.Errorf("CE level at %g dB: %d, want %d", cl, got, want)
		}
	}
}

// TestWriteDirGeo: with Samples.Geo the three files are written beside
// the others.
func TestWriteDirGeo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	s := sampleSamples()
	s.Geo = func() (*Geo, error) { return sampleGeo(nil), nil }
	if err := WriteDir(dir, Outputs{Results: sampleResultsCells(), Series: sampleTS(), Samples: s}); err != nil {
		t.Fatal(err)
	}
	for _, f := range GeoFiles() {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// A run without them removes the previous ones (they are outputs,
	// not the user's files to carry over).
	if err := WriteDir(dir, Outputs{Results: sampleResultsCells(), Series: sampleTS(), Samples: sampleSamples()}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileCellsGeoJSON)); err == nil {
		t.Errorf("stale %s kept", FileCellsGeoJSON)
	}
}
