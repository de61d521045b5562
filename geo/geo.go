// Package geo converts between WGS84 geographic coordinates (latitude,
// longitude in degrees) and the scenario's local plane (x east, y north,
// metres), with PROJ (through github.com/twpayne/go-proj, cgo).
//
// The local plane is PROJ's azimuthal equidistant projection on the WGS84
// ellipsoid centred on the frame's origin (+proj=aeqd): the distance and
// the bearing of every point from the origin are the geodesic ones, and
// other distances are off by at most (d/R)²/6 of themselves — 2·10⁻⁶
// (2 mm a km) 20 km from the origin — far below what a path-loss model
// resolves. PROJ computes the geodesics (Karney's algorithms), so the
// conversion is the reference one, not a spherical approximation.
package geo

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/twpayne/go-proj/v11"
)

// LatLon is a WGS84 position in degrees.
type LatLon struct {
	Lat, Lon float64
}

// XY is a position in the local plane, metres east and north of the origin.
type XY struct {
	X, Y float64
}

// Frame is a local plane anchored at Origin.
type Frame struct {
	Origin LatLon
}

// CheckLatLon reports a latitude outside [-90, 90] or a longitude outside
// [-180, 180] (or a non-finite one).
func CheckLatLon(p LatLon) error {
	switch {
	case math.IsNaN(p.Lat) || p.Lat < -90 || p.Lat > 90:
		return fmt.Errorf("latitude %g is out of range (-90..90 degrees)", p.Lat)
	case math.IsNaN(p.Lon) || p.Lon < -180 || p.Lon > 180:
		return fmt.Errorf("longitude %g is out of range (-180..180 degrees)", p.Lon)
	}
	return nil
}

// MaxRadiusM bounds the distance of the points of a frame from its origin:
// beyond it the plane is no longer a good stand-in for the ground (the
// scale error, (d/R)²/6, is 1.6·10⁻⁴ at 200 km: 16 m a 100 km).
const MaxRadiusM = 200e3

// pj is the transformation geographic (lon, lat in degrees, in that order
// after normalisation) → local plane. A PJ is not safe for concurrent use:
// each call makes its own.
func (f Frame) pj() (*proj.PJ, error) {
	if err := CheckLatLon(f.Origin); err != nil {
		return nil, fmt.Errorf("origin: %w", err)
	}
	if math.Abs(f.Origin.Lat) > 89 {
		return nil, errors.New("origin: within 1 degree of a pole")
	}
	def := "+proj=aeqd +lat_0=" + strconv.FormatFloat(f.Origin.Lat, 'g', -1, 64) +
		" +lon_0=" + strconv.FormatFloat(f.Origin.Lon, 'g', -1, 64) + " +datum=WGS84 +units=m +no_defs"
	t, err := proj.NewCRSToCRS("EPSG:4326", def, nil)
	if err != nil {
		return nil, fmt.Errorf("PROJ: %w", err)
	}
	n, err := t.NormalizeForVisualization()
	if err != nil {
		return nil, fmt.Errorf("PROJ: %w", err)
	}
	return n, nil
}

// ToLocal converts WGS84 positions to the local plane.
func (f Frame) ToLocal(pts []LatLon) ([]XY, error) {
	t, err := f.pj()
	if err != nil {
		return nil, err
	}
	out := make([]XY, len(pts))
	if len(pts) == 0 {
		return out, nil
	}
	cs := make([]proj.Coord, len(pts))
	for i, p := range pts {
		if err := CheckLatLon(p); err != nil {
			return nil, err
		}
		cs[i] = proj.Coord{p.Lon, p.Lat}
	}
	if err := t.ForwardArray(cs); err != nil {
		return nil, fmt.Errorf("PROJ: %w", err)
	}
	for i, c := range cs {
		if math.IsNaN(c[0]) || math.IsInf(c[0], 0) || math.IsNaN(c[1]) || math.IsInf(c[1], 0) {
			return nil, fmt.Errorf("PROJ: %g, %g has no position in the plane", pts[i].Lat, pts[i].Lon)
		}
		out[i] = XY{c[0], c[1]}
	}
	return out, nil
}

// ToWGS84 converts local-plane positions back to WGS84.
func (f Frame) ToWGS84(pts []XY) ([]LatLon, error) {
	t, err := f.pj()
	if err != nil {
		return nil, err
	}
	out := make([]LatLon, len(pts))
	if len(pts) == 0 {
		return out, nil
	}
	cs := make([]proj.Coord, len(pts))
	for i, p := range pts {
		cs[i] = proj.Coord{p.X, p.Y}
	}
	if err := t.InverseArray(cs); err != nil {
		return nil, fmt.Errorf("PROJ: %w", err)
	}
	for i, c := range cs {
		out[i] = LatLon{Lat: c[1], Lon: c[0]}
	}
	return out, nil
}

// Centroid is the mean latitude and longitude of pts (a district's
// centre: the sites of one scenario are close together and never
// straddle the antimeridian, which Centroid does not handle).
func Centroid(pts []LatLon) LatLon {
	var c LatLon
	for _, p := range pts {
		c.Lat += p.Lat
		c.Lon += p.Lon
	}
	if len(pts) > 0 {
		c.Lat /= float64(len(pts))
		c.Lon /= float64(len(pts))
	}
	return c
}
