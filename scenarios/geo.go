package scenarios

// Geographic input: an origin anchoring the local frame on the ground, and
// sites from a CSV of WGS84 positions (sites_file), projected on that
// frame with PROJ (package geo).

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/nbsim/nbsim/geo"
)

// Origin is a WGS84 position, degrees.
type Origin struct {
	Lat float64 `yaml:"lat" json:"lat"`
	Lon float64 `yaml:"lon" json:"lon"`
}

// Frame is the scenario's local frame on the ground: ok is false when the
// scenario has no geographic anchor (no origin, no sites_file).
func (s *Scenario) Frame() (f geo.Frame, ok bool) {
	if s.Origin == nil {
		return geo.Frame{}, false
	}
	return geo.Frame{Origin: geo.LatLon{Lat: s.Origin.Lat, Lon: s.Origin.Lon}}, true
}

// SitesFileColumns are the columns a sites_file may have; name, lat and
// lon are required.
var SitesFileColumns = []string{"name", "lat", "lon", "azimuths", "sectors", "azimuth_deg", "tilt_deg", "height_m", "tx_power_dbm", "band"}

// origin checks the origin's range (validator).
func (v *validator) origin(s *Scenario) {
	o := s.Origin
	if o == nil {
		return
	}
	if math.IsNaN(o.Lat) || o.Lat < -89 || o.Lat > 89 {
		v.add("origin.lat", "-89..89 degrees (WGS84)", "%g is out of range", o.Lat)
	}
	if math.IsNaN(o.Lon) || o.Lon < -180 || o.Lon > 180 {
		v.add("origin.lon", "-180..180 degrees (WGS84)", "%g is out of range", o.Lon)
	}
}

// cellErr is a problem in row i, column col of t.
func (t *csvTable) cellErr(i int, col, key, allowed, format string, a ...any) *Error {
	return &Error{File: t.file, Line: t.lines[i], Path: key,
		Msg:     fmt.Sprintf("column %d (%s): ", t.cols[col]+1, col) + fmt.Sprintf(format, a...),
		Allowed: allowed}
}

// text is row i's column col, trimmed ("" when the file has no such column).
func (t *csvTable) text(i int, col string) string {
	c, ok := t.cols[col]
	if !ok || c >= len(t.rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.rows[i][c])
}

// number reads row i's column col as a finite number in [lo, hi]; empty
// gives ok false.
func (t *csvTable) number(i int, col, key string, lo, hi float64, allowed string) (x float64, ok bool, e *Error) {
	s := t.text(i, col)
	if s == "" {
		return 0, false, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false, t.cellErr(i, col, key, allowed, "%q is not a finite number", s)
	}
	if x < lo || x > hi {
		return 0, false, t.cellErr(i, col, key, allowed, "%g is out of range", x)
	}
	return x, true, nil
}

// latLon reads row i's lat and lon (both required).
func (t *csvTable) latLon(i int, key string) (geo.LatLon, *Error) {
	var p geo.LatLon
	var ok bool
	var e *Error
	if p.Lat, ok, e = t.number(i, "lat", key, -90, 90, "-90..90 degrees (WGS84)"); e != nil {
		return p, e
	} else if !ok {
		return p, t.cellErr(i, "lat", key, "-90..90 degrees (WGS84)", "empty")
	}
	if p.Lon, ok, e = t.number(i, "lon", key, -180, 180, "-180..180 degrees (WGS84)"); e != nil {
		return p, e
	} else if !ok {
		return p, t.cellErr(i, "lon", key, "-180..180 degrees (WGS84)", "empty")
	}
	return p, nil
}

// projectRows projects the rows' positions on f; a row farther than
// geo.MaxRadiusM from the origin is refused.
func projectRows(f geo.Frame, ll []geo.LatLon, t *csvTable, key string) ([]geo.XY, *Error) {
	xy, err := f.ToLocal(ll)
	if err != nil {
		return nil, &Error{File: t.file, Path: key, Msg: err.Error()}
	}
	for i, p := range xy {
		if d := math.Hypot(p.X, p.Y); d > geo.MaxRadiusM {
			return nil, &Error{File: t.file, Line: t.lines[i], Path: key,
				Msg: fmt.Sprintf("%.0f km from the origin (%g, %g): the local plane holds positions within %.0f km of it", d/1000, f.Origin.Lat, f.Origin.Lon, geo.MaxRadiusM/1000)}
		}
		xy[i] = geo.XY{X: roundMM(p.X), Y: roundMM(p.Y)}
	}
	return xy, nil
}

// siteRadio is a sites_file column the model has one value of for all
// sites (a radio key): the rows must agree.
type siteRadio struct {
	col, radioKey string
	val           string // the agreed value ("" until a row gives one)
	line          int    // the row that gave it
}

// loadSitesFile reads sites_file (when given) into SiteList, sets the
// origin to the sites' centroid when the scenario has none, and takes the
// radio values the rows give (height_m, tx_power_dbm, band).
func loadSitesFile(s *Scenario, src source, pos map[string]position) Errors {
	if s.SitesFile == "" {
		if s.SitesFileRows != 0 {
			at := pos["sites_file_rows"]
			return Errors{{File: at.file, Line: at.line, Path: "sites_file_rows", Msg: "set without a sites_file"}}
		}
		return nil
	}
	const key = "sites_file"
	at := pos[key]
	switch {
	case s.SiteLayout != nil:
		return Errors{{File: at.file, Line: at.line, Path: key, Msg: "sites_file and site_layout exclude each other: give one"}}
	case hasPrefixKey(pos, "sites."):
		return Errors{{File: at.file, Line: at.line, Path: key, Msg: "sites_file and sites exclude each other: give one"}}
	}
	t, e := readCSV(src, s.SitesFile, key, SitesFileColumns)
	if e != nil {
		return Errors{e}
	}
	for _, c := range []string{"name", "lat", "lon"} {
		if _, ok := t.cols[c]; !ok {
			return Errors{{File: t.file, Line: 1, Path: key, Msg: "the header has no " + c + " column", Allowed: "name, lat, lon, and optionally " + strings.Join(SitesFileColumns[3:], ", ")}}
		}
	}
	_, hasAz := t.cols["azimuths"]
	_, hasSec := t.cols["sectors"]
	_, hasAz1 := t.cols["azimuth_deg"]
	if hasAz && (hasSec || hasAz1) {
		return Errors{{File: t.file, Line: 1, Path: key, Msg: "azimuths and sectors/azimuth_deg exclude each other: give the sectors' azimuths (azimuths) or their count and the first one (sectors, azimuth_deg)"}}
	}
	if len(t.rows) > MaxSites {
		return Errors{{File: t.file, Line: t.lines[MaxSites], Path: key, Msg: fmt.Sprintf("more than %d sites", MaxSites)}}
	}
	sites := make([]Site, len(t.rows))
	ll := make([]geo.LatLon, len(t.rows))
	seen := map[string]int{}
	radio := []*siteRadio{{col: "height_m", radioKey: "radio.enb_height_m"}, {col: "tx_power_dbm", radioKey: "radio.enb_tx_power_dbm"}, {col: "band", radioKey: "radio.band"}}
	for i := range t.rows {
		st, e := siteRow(t, i, key, seen)
		if e != nil {
			return Errors{e}
		}
		if ll[i], e = t.latLon(i, key); e != nil {
			return Errors{e}
		}
		for _, r := range radio {
			if e := r.row(t, i, key); e != nil {
				return Errors{e}
			}
		}
		sites[i] = st
	}
	if err := applySiteRadio(s, radio, t, pos); err != nil {
		return Errors{err}
	}
	if s.Origin == nil {
		c := geo.Centroid(ll)
		s.Origin = &Origin{Lat: math.Round(c.Lat*1e7) / 1e7, Lon: math.Round(c.Lon*1e7) / 1e7}
	}
	f, _ := s.Frame()
	xy, e := projectRows(f, ll, t, key)
	if e != nil {
		return Errors{e}
	}
	for i := range sites {
		sites[i].XM, sites[i].YM = xy[i].X, xy[i].Y
	}
	if n := s.SitesFileRows; n != 0 {
		if n < 0 || n > len(sites) {
			at := pos["sites_file_rows"]
			return Errors{{File: at.file, Line: at.line, Path: "sites_file_rows", Msg: fmt.Sprintf("%d: %s has %d sites", n, s.SitesFile, len(sites)), Allowed: fmt.Sprintf("0 (all) or 1..%d", len(sites))}}
		}
		sites = sites[:n] // the origin above is that of every row
	}
	s.SiteList = sites
	return nil
}

// hasPrefixKey says whether the scenario gave a key under prefix.
func hasPrefixKey(pos map[string]position, prefix string) bool {
	for p := range pos {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// siteRow reads row i's name, sectors and azimuths, and tilt.
func siteRow(t *csvTable, i int, key string, seen map[string]int) (Site, *Error) {
	st := Site{Name: t.text(i, "name"), Sectors: 3}
	switch j, dup := seen[st.Name]; {
	case st.Name == "":
		return st, t.cellErr(i, "name", key, "a unique site name without /", "empty")
	case strings.Contains(st.Name, "/"):
		return st, t.cellErr(i, "name", key, "a unique site name without /", "%q has a / (cells are named SITE/1..SITE/3)", st.Name)
	case dup:
		return st, t.cellErr(i, "name", key, "a unique site name without /", "%q is also the site of line %d", st.Name, j)
	}
	seen[st.Name] = t.lines[i]
	const azAllowed = "omni (or empty), or three azimuths separated by ; (0;120;240), degrees 0..360 clockwise from north"
	if _, ok := t.cols["azimuths"]; ok {
		az, e := azimuths(t, i, key, azAllowed)
		if e != nil {
			return st, e
		}
		if az == nil {
			st.Sectors = 1
		} else {
			st.Azimuths, st.AzimuthDeg = az, az[0]
		}
	}
	if n, ok, e := t.number(i, "sectors", key, 1, 3, "1, 3"); e != nil {
		return st, e
	} else if ok {
		if n != 1 && n != 3 {
			return st, t.cellErr(i, "sectors", key, "1, 3", "%g sectors", n)
		}
		st.Sectors = int(n)
	}
	if a, ok, e := t.number(i, "azimuth_deg", key, 0, 360, "0..360 degrees clockwise from north"); e != nil {
		return st, e
	} else if ok {
		st.AzimuthDeg = math.Mod(a, 360)
	}
	if a, ok, e := t.number(i, "tilt_deg", key, -90, 90, "-90..90 degrees (downtilt positive)"); e != nil {
		return st, e
	} else if ok {
		st.TiltDeg = a
	}
	return st, nil
}

// azimuths reads row i's azimuths: nil for an omni site.
func azimuths(t *csvTable, i int, key, allowed string) ([]float64, *Error) {
	s := t.text(i, "azimuths")
	if s == "" || strings.EqualFold(s, "omni") {
		return nil, nil
	}
	parts := strings.Split(s, ";")
	if len(parts) != 3 {
		return nil, t.cellErr(i, "azimuths", key, allowed, "%d azimuths in %q: the model has omni and three-sector sites", len(parts), s)
	}
	out := make([]float64, 3)
	for k, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || x < 0 || x > 360 {
			return nil, t.cellErr(i, "azimuths", key, allowed, "%q is not an azimuth", strings.TrimSpace(p))
		}
		out[k] = math.Mod(x, 360)
	}
	for a := 0; a < 3; a++ {
		for b := a + 1; b < 3; b++ {
			if d := math.Abs(math.Remainder(out[a]-out[b], 360)); d < 10 {
				return nil, t.cellErr(i, "azimuths", key, allowed, "sectors %d and %d point %g° apart: at least 10° apart", a+1, b+1, d)
			}
		}
	}
	return out, nil
}

// row checks that row i's value of r's column (if any) agrees with the
// rows before.
func (r *siteRadio) row(t *csvTable, i int, key string) *Error {
	v := t.text(i, r.col)
	if v == "" {
		return nil
	}
	var allowed string
	switch r.col {
	case "band":
		allowed = strings.Join(Bands, ", ")
		v = strings.ToUpper(v)
		if !slices.Contains(Bands, v) {
			return t.cellErr(i, r.col, key, allowed, "unknown band %q", v)
		}
	case "height_m":
		allowed = "0.5..500 m"
		if _, _, e := t.number(i, r.col, key, 0.5, 500, allowed); e != nil {
			return e
		}
	case "tx_power_dbm":
		allowed = "0..60 dBm per carrier"
		if _, _, e := t.number(i, r.col, key, 0, 60, allowed); e != nil {
			return e
		}
	}
	if r.val == "" {
		r.val, r.line = v, t.lines[i]
		return nil
	}
	if !sameValue(r.val, v) {
		return t.cellErr(i, r.col, key, "the same "+r.col+" on every row (or empty)",
			"%s but line %d has %s: the model has one %s for all sites (%s); mixed values are refused", v, r.line, r.val, r.col, r.radioKey)
	}
	return nil
}

func sameValue(a, b string) bool {
	x, errX := strconv.ParseFloat(a, 64)
	y, errY := strconv.ParseFloat(b, 64)
	if errX == nil && errY == nil {
		return x == y
	}
	return a == b
}

// applySiteRadio sets the radio keys the rows agreed on; one the scenario
// also sets (file or --set) to another value is refused.
func applySiteRadio(s *Scenario, radio []*siteRadio, t *csvTable, pos map[string]position) *Error {
	for _, r := range radio {
		if r.val == "" {
			continue
		}
		var cur string
		switch r.col {
		case "band":
			cur = s.Radio.Band
		case "height_m":
			cur = strconv.FormatFloat(s.Radio.EnbHeightM, 'g', -1, 64)
		case "tx_power_dbm":
			cur = strconv.FormatFloat(s.Radio.EnbTxPowerDbm, 'g', -1, 64)
		}
		if at, given := pos[r.radioKey]; given && !sameValue(cur, r.val) {
			return &Error{File: t.file, Line: r.line, Path: "sites_file",
				Msg: fmt.Sprintf("column %d (%s): %s but %s is %s (%s:%d): give one of them", t.cols[r.col]+1, r.col, r.val, r.radioKey, cur, at.file, at.line)}
		}
		x, _ := strconv.ParseFloat(r.val, 64)
		switch r.col {
		case "band":
			s.Radio.Band = r.val
		case "height_m":
			s.Radio.EnbHeightM = x
		case "tx_power_dbm":
			s.Radio.EnbTxPowerDbm = x
		}
	}
	return nil
}
