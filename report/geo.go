package report

// The geographic outputs of a run: cells.geojson (a polygon per cell with
// its KPIs), devices.geojson (a sample of the devices) and coverage.png (a
// map of the best-server coupling loss with the sites and sectors). The
// model fills Geo; this file renders it.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/nbsim/nbsim/geo"
)

// The geographic files WriteDir writes when Samples.Geo is set.
const (
	FileCellsGeoJSON   = "cells.geojson"
	FileDevicesGeoJSON = "devices.geojson"
	FileCoverageMap    = "coverage.png"
)

// GeoFiles returns the names of the geographic files.
func GeoFiles() []string {
	return []string{FileCellsGeoJSON, FileDevicesGeoJSON, FileCoverageMap}
}

// MaxGeoDevices bounds the devices of devices.geojson.
const MaxGeoDevices = 10000

// Geo is what the geographic outputs show, in the scenario's local frame
// (x east, y north, metres).
type Geo struct {
	// Origin is the frame's WGS84 anchor; nil when the scenario has none:
	// the GeoJSON files are then in local metres (LocalNote says so).
	Origin *geo.LatLon
	Sites  []GeoSite
	Cells  []GeoCell
	// Devices is the sample: every Stride-th device (by index over all
	// groups in name order) of the DevicesTotal.
	Devices      []GeoDevice
	DevicesTotal int
	Stride       int
	Coverage     CoverageGrid
	// MaxCouplingLossDb and CEStartDb (the coupling loss from which CE1,
	// CE2 start, from the RSRP thresholds) draw the map's contours.
	MaxCouplingLossDb float64
	CEStartDb         []float64
	// MapNote says for which devices the coverage grid holds (the map's
	// subtitle).
	MapNote string
}

// GeoSite is one site.
type GeoSite struct {
	Name    string
	X, Y    float64
	TiltDeg float64
}

// GeoCell is one cell: a wedge of its site from bearing FromDeg clockwise
// to ToDeg (degrees from north) of radius RadiusM, or for an omni cell
// (AzimuthDeg NaN) a disc.
type GeoCell struct {
	Name, Site     string
	X, Y           float64
	AzimuthDeg     float64
	FromDeg, ToDeg float64
	RadiusM        float64
	TiltDeg        float64
}

// GeoDevice is one sampled device. HasPos is false for devices whose
// coupling loss came from planning data (a coverage section): they have
// no position.
type GeoDevice struct {
	Group          string
	Index          int // within the group
	X, Y           float64
	HasPos         bool
	Cell           string
	CELevel        int
	CouplingLossDb float64
	OutOfCoverage  bool
	BatteryYears   float64 // NaN when out of coverage
	Dropped        int64   // reports dropped
}

// CoverageGrid is the best-server median coupling loss (dB) at the centres
// of NX × NY squares of Step metres, the first at (X0, Y0), row by row
// from the south.
type CoverageGrid struct {
	X0, Y0, Step float64
	NX, NY       int
	LossDb       []float64
}

// LocalNote is the foreign member of a GeoJSON file in local metres.
const LocalNote = "coordinates are metres east and north of the scenario's local origin, not WGS84: give the scenario an origin or a sites_file to have WGS84"

// geoJSON is a FeatureCollection (RFC 7946 §3.3).
type geoJSON struct {
	Type     string       `json:"type"`
	Frame    string       `json:"nbsim_frame,omitempty"` // foreign member (RFC 7946 §6.1)
	Features []geoFeature `json:"features"`
}

type geoFeature struct {
	Type       string         `json:"type"`
	Geometry   *geoGeometry   `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type geoGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// project converts local positions to the files' coordinates: WGS84
// (longitude, latitude: RFC 7946 §3.1.1) rounded to 1e-7° (1 cm), or
// local metres rounded to 1 cm.
func (g *Geo) project(pts []geo.XY) ([][2]float64, error) {
	out := make([][2]float64, len(pts))
	if g.Origin == nil {
		for i, p := range pts {
			out[i] = [2]float64{round(p.X, 2), round(p.Y, 2)}
		}
		return out, nil
	}
	ll, err := geo.Frame{Origin: *g.Origin}.ToWGS84(pts)
	if err != nil {
		return nil, err
	}
	for i, p := range ll {
		out[i] = [2]float64{round(p.Lon, 7), round(p.Lat, 7)}
	}
	return out, nil
}

func round(x float64, digits int) float64 {
	s := math.Pow(10, float64(digits))
	r := math.Round(x*s) / s
	if r == 0 {
		return 0
	}
	return r
}

// arcPoints is the number of points of a full circle's outline.
const arcPoints = 72

// ring is a cell's outline in the local frame, counter-clockwise (RFC 7946
// §3.1.6: exterior rings counter-clockwise), closed.
func (c *GeoCell) ring() []geo.XY {
	var pts []geo.XY
	at := func(bearing float64) geo.XY {
		b := bearing * math.Pi / 180
		return geo.XY{X: c.X + c.RadiusM*math.Sin(b), Y: c.Y + c.RadiusM*math.Cos(b)}
	}
	if math.IsNaN(c.AzimuthDeg) {
		// Bearings clockwise are angles counter-clockwise backwards.
		for k := 0; k < arcPoints; k++ {
			pts = append(pts, at(-float64(k)*360/arcPoints))
		}
		return append(pts, pts[0])
	}
	span := math.Mod(c.ToDeg-c.FromDeg+720, 360)
	if span == 0 {
		span = 360
	}
	n := max(2, int(math.Ceil(span/360*arcPoints)))
	pts = append(pts, geo.XY{X: c.X, Y: c.Y})
	for k := 0; k <= n; k++ {
		pts = append(pts, at(c.ToDeg-span*float64(k)/float64(n)))
	}
	return append(pts, pts[0])
}

// CellsGeoJSON renders cells.geojson: one Polygon feature per cell with
// the cell's KPIs of r (by name).
func CellsGeoJSON(g *Geo, r *Results) ([]byte, error) {
	kpis := map[string]*CellKPI{}
	for i := range r.Cells {
		kpis[r.Cells[i].Name] = &r.Cells[i]
	}
	fc := g.collection()
	for i := range g.Cells {
		c := &g.Cells[i]
		ring, err := g.project(c.ring())
		if err != nil {
			return nil, err
		}
		coords, _ := json.Marshal([][][2]float64{ring})
		props := map[string]any{
			"name": c.Name, "site": c.Site, "radius_m": round(c.RadiusM, 1), "tilt_deg": c.TiltDeg,
			"azimuth_deg": nil,
		}
		if !math.IsNaN(c.AzimuthDeg) {
			props["azimuth_deg"] = round(c.AzimuthDeg, 3)
		}
		if k := kpis[c.Name]; k != nil {
			cellProps(props, k)
		}
		fc.Features = append(fc.Features, geoFeature{Type: "Feature", Geometry: &geoGeometry{Type: "Polygon", Coordinates: coords}, Properties: props})
	}
	return marshalGeo(fc)
}

// cellProps adds a cell's KPIs as flat properties (GIS tools style and
// filter on flat numbers and strings).
func cellProps(p map[string]any, k *CellKPI) {
	p["devices"] = k.Devices
	p["preambles"] = k.Preambles
	p["collisions"] = k.Collisions
	p["ul_utilisation"] = k.ULUtilisation
	p["dl_utilisation"] = k.DLUtilisation
	p["iot_p99_db"] = k.IoT.P99
	p["iot_max_db"] = k.IoT.Max
	p["npusch_iot_p99_db"] = k.NPUSCHIoT.P99
	p["blocked_occasions"] = k.BlockedOccasions
	b := k.Bottleneck
	p["bottleneck"] = b.Resource
	p["bottleneck_time_s"] = b.TimeS
	p["bottleneck_saturation"] = b.Saturation
	for name, u := range k.Resources {
		p[name+"_utilisation"] = u.Utilisation
		p[name+"_peak"] = u.Peak
	}
}

// DevicesGeoJSON renders devices.geojson: one Point feature per sampled
// device (geometry null for a device without a position).
func DevicesGeoJSON(g *Geo) ([]byte, error) {
	pts := make([]geo.XY, len(g.Devices))
	for i, d := range g.Devices {
		pts[i] = geo.XY{X: d.X, Y: d.Y}
	}
	at, err := g.project(pts)
	if err != nil {
		return nil, err
	}
	fc := g.collection()
	fc.Features = make([]geoFeature, 0, len(g.Devices))
	for i := range g.Devices {
		d := &g.Devices[i]
		var gm *geoGeometry
		if d.HasPos {
			coords, _ := json.Marshal(at[i])
			gm = &geoGeometry{Type: "Point", Coordinates: coords}
		}
		props := map[string]any{
			"group": d.Group, "index": d.Index, "cell": d.Cell, "ce_level": d.CELevel,
			"coupling_loss_db": round(d.CouplingLossDb, 2), "out_of_coverage": d.OutOfCoverage,
			"battery_years": nil, "dropped_reports": d.Dropped,
		}
		if !math.IsNaN(d.BatteryYears) && !math.IsInf(d.BatteryYears, 0) {
			props["battery_years"] = round(d.BatteryYears, 4)
		}
		fc.Features = append(fc.Features, geoFeature{Type: "Feature", Geometry: gm, Properties: props})
	}
	return marshalGeo(fc)
}

func (g *Geo) collection() *geoJSON {
	fc := &geoJSON{Type: "FeatureCollection", Features: []geoFeature{}}
	if g.Origin == nil {
		fc.Frame = LocalNote
	}
	return fc
}

// marshalGeo writes one feature a line: readable, and diffable.
func marshalGeo(fc *geoJSON) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection",`)
	if fc.Frame != "" {
		b.WriteString(`"nbsim_frame":` + strconv.Quote(fc.Frame) + ",")
	}
	b.WriteString("\"features\":[\n")
	for i := range fc.Features {
		f, err := json.Marshal(&fc.Features[i])
		if err != nil {
			return nil, fmt.Errorf("GeoJSON: %w", err)
		}
		b.Write(f)
		if i+1 < len(fc.Features) {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}
