package geo

import (
	"math"
	"testing"
)

// WGS84 ellipsoid (NIMA TR8350.2 §3): semi-major axis and flattening.
const (
	wgsA = 6378137.0
	wgsF = 1 / 298.257223563
)

// meridianRadius is the radius of curvature in the meridian at latitude
// phi (degrees): M = a(1−e²)/(1−e² sin²φ)^{3/2}.
func meridianRadius(phi float64) float64 {
	e2 := wgsF * (2 - wgsF)
	s := math.Sin(phi * math.Pi / 180)
	return wgsA * (1 - e2) / math.Pow(1-e2*s*s, 1.5)
}

// primeVerticalRadius is N = a/√(1−e² sin²φ); a parallel has radius N·cos φ.
func primeVerticalRadius(phi float64) float64 {
	e2 := wgsF * (2 - wgsF)
	s := math.Sin(phi * math.Pi / 180)
	return wgsA / math.Sqrt(1-e2*s*s)
}

// TestMeridianKilometre: a point 1 km north of the origin along its
// meridian (Δφ = 1000 m / M, M by hand at 45°: 6,367,381.8 m) is at
// (0, 1000) in the plane, to a millimetre.
func TestMeridianKilometre(t *testing.T) {
	o := LatLon{Lat: 45, Lon: 7}
	m := meridianRadius(45)
	if math.Abs(m-6367381.8) > 0.1 {
		t.Fatalf("hand-computed M = %.1f, want 6367381.8", m)
	}
	dphi := 1000 / m * 180 / math.Pi
	xy, err := Frame{Origin: o}.ToLocal([]LatLon{o, {Lat: 45 + dphi, Lon: 7}, {Lat: 45 - dphi, Lon: 7}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Hypot(xy[0].X, xy[0].Y) > 1e-6 {
		t.Errorf("origin at %v, want (0, 0)", xy[0])
	}
	// The arc over Δφ is ∫M dφ; M varies by 1e-6 of itself over 1 km, so
	// the hand value holds to a millimetre.
	if math.Abs(xy[1].X) > 1e-3 || math.Abs(xy[1].Y-1000) > 1e-3 {
		t.Errorf("1 km north at %v, want (0, 1000) ± 1 mm", xy[1])
	}
	if math.Abs(xy[2].X) > 1e-3 || math.Abs(xy[2].Y+1000) > 1e-3 {
		t.Errorf("1 km south at %v, want (0, -1000) ± 1 mm", xy[2])
	}
}

// TestParallelEast: a point Δλ east on the origin's parallel is
// N·cos φ·Δλ east (to first order; the geodesic and the parallel differ by
// far less than a millimetre over 500 m) and bends north by d²·tan φ/(2N)
// (the parallel curves away from the geodesic: 14 mm at 500 m, 52°).
func TestParallelEast(t *testing.T) {
	o := LatLon{Lat: 52, Lon: 4.9}
	r := primeVerticalRadius(52) * math.Cos(52*math.Pi/180)
	dl := 500 / r * 180 / math.Pi
	xy, err := Frame{Origin: o}.ToLocal([]LatLon{{Lat: 52, Lon: 4.9 + dl}})
	if err != nil {
		t.Fatal(err)
	}
	wantY := 500.0 * 500 * math.Tan(52*math.Pi/180) / (2 * primeVerticalRadius(52))
	if math.Abs(xy[0].X-500) > 1e-3 || math.Abs(xy[0].Y-wantY) > 1e-3 {
		t.Errorf("500 m east at %v, want (500, %.4f) ± 1 mm", xy[0], wantY)
	}
}

// TestRoundTrip: plane → WGS84 → plane returns every point to a
// micrometre, across 30 km.
func TestRoundTrip(t *testing.T) {
	f := Frame{Origin: LatLon{Lat: -33.9, Lon: 18.4}}
	var pts []XY
	for x := -30e3; x <= 30e3; x += 7.5e3 {
		for y := -30e3; y <= 30e3; y += 10e3 {
			pts = append(pts, XY{x, y})
		}
	}
	ll, err := f.ToWGS84(pts)
	if err != nil {
		t.Fatal(err)
	}
	back, err := f.ToLocal(ll)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		if math.Hypot(back[i].X-pts[i].X, back[i].Y-pts[i].Y) > 1e-6 {
			t.Errorf("%v → %v → %v", pts[i], ll[i], back[i])
		}
	}
	// South of the equator, y < 0 is further south.
	if !(ll[0].Lat < -33.9 && ll[0].Lon < 18.4) {
		t.Errorf("(-30 km, -30 km) at %v: not south-west of the origin", ll[0])
	}
}

func TestBadInput(t *testing.T) {
	f := Frame{Origin: LatLon{Lat: 10, Lon: 10}}
	for _, p := range []LatLon{{91, 0}, {0, 181}, {math.NaN(), 0}, {0, math.Inf(1)}} {
		if _, err := f.ToLocal([]LatLon{p}); err == nil {
			t.Errorf("%v accepted", p)
		}
	}
	if _, err := (Frame{Origin: LatLon{Lat: 95}}).ToLocal(nil); err == nil {
		t.Error("origin latitude 95 accepted")
	}
}

func TestCentroid(t *testing.T) {
	c := Centroid([]LatLon{{50, 8}, {52, 10}})
	if c != (LatLon{51, 9}) {
		t.Errorf("centroid %v, want {51 9}", c)
	}
}
