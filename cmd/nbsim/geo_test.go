package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/report"
)

// TestRunDistrictGeo: the shipped district scenario (sites and parking
// sensors from embedded WGS84 CSVs) writes cells.geojson in WGS84 near
// its sites, devices.geojson and coverage.png.
func TestRunDistrictGeo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errOut := run(t, "run", "district", "--duration", "30m", "--set", "groups.meters.count=300", "--out", dir, "--quiet")
	mustExit(t, 0, code, out, errOut)
	b, err := os.ReadFile(filepath.Join(dir, report.FileCellsGeoJSON))
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Frame    string `json:"nbsim_frame"`
		Features []struct {
			Geometry struct {
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Frame != "" || len(fc.Features) != 19 {
		t.Fatalf("frame %q, %d cells", fc.Frame, len(fc.Features))
	}
	// The site centrum (52.3702° N, 4.8951° E) is the apex of its sectors.
	for _, f := range fc.Features {
		if f.Properties["name"] == "centrum/1" {
			apex := f.Geometry.Coordinates[0][0]
			if d := apex[0] - 4.8951; d*d > 1e-14 || (apex[1]-52.3702)*(apex[1]-52.3702) > 1e-14 {
				t.Errorf("centrum/1 apex at %v, want [4.8951, 52.3702]", apex)
			}
			if f.Properties["azimuth_deg"] != 30.0 {
				t.Errorf("centrum/1 azimuth %v, want 30", f.Properties["azimuth_deg"])
			}
		}
	}
	for _, name := range []string{report.FileDevicesGeoJSON, report.FileCoverageMap} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestRunBadSitesFile: a bad row is refused before the run with its file,
// line and column: exit 2, nothing written.
func TestRunBadSitesFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sites.csv"), []byte("name,lat,lon,azimuths\nA,52.37,4.89,0;120;240\nB,52.38,4.89,0;120\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := filepath.Join(dir, "d.yaml")
	if err := os.WriteFile(sc, []byte("sites_file: sites.csv\ngroups: {g: {count: 10}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	code, out, errOut := run(t, "run", sc, "--out", outDir)
	mustExit(t, 2, code, out, errOut)
	want := filepath.Join(dir, "sites.csv") + ":3: sites_file: column 4 (azimuths): 2 azimuths"
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if _, err := os.Stat(outDir); err == nil {
		t.Error("--out written")
	}
}
