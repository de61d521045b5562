package scenarios

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestSitesFile: a site 0.0089983263° north of the origin at 45° N is
// 1 km north (the meridian's radius of curvature there is 6,367,381.8 m,
// by hand: a(1−e²)/(1−e²/2)^{3/2}); azimuths, omni, tilt and the agreed
// radio values are taken.
func TestSitesFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "sites.csv", "# district\nname,lat,lon,azimuths,tilt_deg,height_m,tx_power_dbm,band\n"+
		"A,45,7,10;130;250,6,25,43,b8\n"+
		"B,45.0089983263,7,omni,,25,,B8\n")
	s, err := Parse([]byte("origin: {lat: 45, lon: 7}\nsites_file: sites.csv\n"), filepath.Join(dir, "s.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.SiteList) != 2 {
		t.Fatalf("%d sites", len(s.SiteList))
	}
	a, b := s.SiteList[0], s.SiteList[1]
	if a.XM != 0 || a.YM != 0 || a.Sectors != 3 || a.SectorAzimuth(1, 3) != 130 || a.TiltDeg != 6 {
		t.Errorf("site A %+v", a)
	}
	if math.Abs(b.XM) > 0.01 || math.Abs(b.YM-1000) > 0.01 || b.Sectors != 1 {
		t.Errorf("site B %+v, want 1000 m north ± 1 cm, omni", b)
	}
	if s.Radio.EnbHeightM != 25 || s.Radio.EnbTxPowerDbm != 43 || s.Radio.Band != "B8" {
		t.Errorf("radio %+v", s.Radio)
	}
	if got := s.CellNames(); strings.Join(got, " ") != "A/1 A/2 A/3 B" {
		t.Errorf("cells %v", got)
	}
}

// TestSitesFileCentroid: without an origin, the sites' centroid is one.
func TestSitesFileCentroid(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "sites.csv", "name,lat,lon\nA,52.0,4.0\nB,52.02,4.04\n")
	s, err := Parse([]byte("sites_file: sites.csv\n"), filepath.Join(dir, "s.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Origin == nil || s.Origin.Lat != 52.01 || s.Origin.Lon != 4.02 {
		t.Fatalf("origin %+v, want the centroid 52.01, 4.02", s.Origin)
	}
	a, b := s.SiteList[0], s.SiteList[1]
	// Symmetric about the centroid to within the ellipsoid's asymmetry.
	if math.Abs(a.XM+b.XM) > 1 || math.Abs(a.YM+b.YM) > 1 || a.XM > -1300 || a.YM > -1100 {
		t.Errorf("sites %+v %+v", a, b)
	}
	if a.Sectors != 3 || a.AzimuthDeg != 0 {
		t.Errorf("default sectors: %+v", a)
	}
}

func TestSitesFileErrors(t *testing.T) {
	for _, c := range []struct {
		name, csv, yaml, want string
		line                  int
	}{
		{"no lat", "name,lon\nA,4\n", "", "the header has no lat column", 1},
		{"unknown column", "name,lat,lon,power\nA,52,4,43\n", "", `unknown column "power"`, 1},
		{"lat range", "name,lat,lon\nA,52,4\nB,92,4\n", "", "column 2 (lat): 92 is out of range (allowed: -90..90", 3},
		{"lon text", "name,lat,lon\nA,52,east\n", "", `column 3 (lon): "east" is not a finite number`, 2},
		{"empty name", "name,lat,lon\n,52,4\n", "", "column 1 (name): empty", 2},
		{"duplicate", "name,lat,lon\nA,52,4\nA,52.01,4\n", "", `"A" is also the site of line 2`, 3},
		{"slash", "name,lat,lon\nA/1,52,4\n", "", "has a /", 2},
		{"two azimuths", "name,lat,lon,azimuths\nA,52,4,0;180\n", "", "column 4 (azimuths): 2 azimuths", 2},
		{"azimuth range", "name,lat,lon,azimuths\nA,52,4,0;120;400\n", "", `"400" is not an azimuth`, 2},
		{"azimuths close", "name,lat,lon,azimuths\nA,52,4,0;5;240\n", "", "at least 10° apart", 2},
		{"sectors", "name,lat,lon,sectors\nA,52,4,2\n", "", "column 4 (sectors): 2 sectors (allowed: 1, 3)", 2},
		{"both azimuth forms", "name,lat,lon,azimuths,sectors\nA,52,4,omni,1\n", "", "exclude each other", 1},
		{"mixed height", "name,lat,lon,height_m\nA,52,4,30\nB,52.01,4,\nC,52.02,4,25\n", "", "column 4 (height_m): 25 but line 2 has 30: the model has one height_m for all sites (radio.enb_height_m)", 4},
		{"radio conflict", "name,lat,lon,tx_power_dbm\nA,52,4,46\n", "radio: {enb_tx_power_dbm: 43}\n", "46 but radio.enb_tx_power_dbm is 43", 2},
		{"band", "name,lat,lon,band\nA,52,4,B99\n", "", `unknown band "B99"`, 2},
		{"far", "name,lat,lon\nA,52,4\nB,54,4\n", "origin: {lat: 52, lon: 4}\n", "223 km from the origin", 3},
		{"tilt", "name,lat,lon,tilt_deg\nA,52,4,95\n", "", "column 4 (tilt_deg): 95 is out of range", 2},
		{"with sites", "name,lat,lon\nA,52,4\n", "sites: [{name: x, x_m: 0, y_m: 0}]\n", "sites_file and sites exclude each other", 0},
		{"unterminated quote", "\"name,lat,lon\n", "", "invalid CSV", 1},
		{"with layout", "name,lat,lon\nA,52,4\n", "site_layout: {count: 3}\n", "sites_file and site_layout exclude each other", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "sites.csv", c.csv)
			es := parseErrsAt(t, c.yaml+"sites_file: sites.csv\n", filepath.Join(dir, "s.yaml"))
			e := findErr(es, "sites_file")
			if e == nil || !strings.Contains(e.Error(), c.want) {
				t.Fatalf("errors %v, want one at sites_file with %q", es, c.want)
			}
			if c.line > 0 && (e.Line != c.line || e.File != filepath.Join(dir, "sites.csv")) {
				t.Errorf("at %s:%d, want sites.csv:%d", e.File, e.Line, c.line)
			}
		})
	}
}

// TestPlacementLatLon: a placement CSV in WGS84 is projected on the
// origin's frame; without an anchor it is refused.
func TestPlacementLatLon(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ll.csv", "lat,lon\n45.0089983263,7\n45,7\n")
	s, err := Parse([]byte("origin: {lat: 45, lon: 7}\ngroups:\n  g:\n    placement: {shape: csv, file: ll.csv}\n"), filepath.Join(dir, "s.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := s.Groups["g"].Placement.Points
	if len(p) != 2 || math.Abs(p[0].YM-1000) > 0.01 || math.Abs(p[0].XM) > 0.01 || p[1] != (Point{}) {
		t.Errorf("points %+v", p)
	}
	es := parseErrsAt(t, "groups:\n  g:\n    placement: {shape: csv, file: ll.csv}\n", filepath.Join(dir, "s.yaml"))
	if e := findErr(es, "groups.g.placement.file"); e == nil || !strings.Contains(e.Msg, "geographic anchor") {
		t.Errorf("no anchor: %v", es)
	}
	es = parseErrsAt(t, "origin: {lat: 95, lon: 7}\n", "s.yaml")
	if e := findErr(es, "origin.lat"); e == nil {
		t.Errorf("origin 95: %v", es)
	}
}

// TestShippedDistrict: the shipped district scenario reads its sites and
// parking sensors from the embedded CSVs wherever nbsim runs; an absolute
// --set path still reads the file system.
func TestShippedDistrict(t *testing.T) {
	t.Chdir(t.TempDir())
	s, err := Load("district", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.SiteList) != 7 || s.Origin == nil || s.Groups["parking"].Count != 240 || len(s.Groups["parking"].Placement.Points) != 240 {
		t.Fatalf("%d sites, origin %v, parking %d", len(s.SiteList), s.Origin, s.Groups["parking"].Count)
	}
	if got := len(s.CellNames()); got != 19 {
		t.Errorf("%d cells, want 6 × 3 + 1", got)
	}
	dir := t.TempDir()
	writeFile(t, dir, "two.csv", "name,lat,lon\nx,52.37,4.89\ny,52.38,4.89\n")
	s, err = Load("district", []string{"sites_file=" + filepath.Join(dir, "two.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.SiteList) != 2 || s.SiteList[0].Name != "x" {
		t.Errorf("sites %+v", s.SiteList)
	}
	// A relative path that is not shipped is looked up in the working
	// directory, as for any shipped scenario.
	writeFile(t, ".", "mine.csv", "name,lat,lon\nz,52.37,4.89\n")
	if s, err = Load("district", []string{"sites_file=mine.csv"}); err != nil || s.SiteList[0].Name != "z" {
		t.Errorf("mine.csv: %v", err)
	}
}

// FuzzSitesFile: no sites CSV makes Parse panic; whatever it accepts has
// valid sites (unique names, 1 or 3 sectors, finite positions within the
// frame's reach) and passes Validate.
func FuzzSitesFile(f *testing.F) {
	f.Add("name,lat,lon,azimuths,tilt_deg,height_m,tx_power_dbm,band\nA,52.37,4.89,30;150;270,4,30,43,B20\nB,52.38,4.90,omni,,30,,b20\n")
	f.Add("name,lat,lon,sectors,azimuth_deg\nA,-33.9,18.4,1,\nB,-33.91,18.41,3,350\n")
	f.Add("name,lat,lon\nA,89,180\n")
	f.Add("lat,lon,name\n\"52\",\"4\",\"x,y\"\n")
	f.Fuzz(func(t *testing.T, csv string) {
		dir := t.TempDir()
		writeFile(t, dir, "s.csv", csv)
		s, err := Parse([]byte("sites_file: s.csv\n"), filepath.Join(dir, "s.yaml"), nil)
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted sites fail Validate: %v", err)
		}
		seen := map[string]bool{}
		for _, st := range s.SiteList {
			if st.Name == "" || seen[st.Name] || (st.Sectors != 1 && st.Sectors != 3) || math.Hypot(st.XM, st.YM) > 200e3 || math.IsNaN(st.XM+st.YM) {
				t.Fatalf("bad site accepted: %+v", st)
			}
			seen[st.Name] = true
		}
	})
}
