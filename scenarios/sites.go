package scenarios

import (
	"math"
	"sort"
	"strconv"
)

// Sites returns the scenario's sites: the hexagonal layout when SiteLayout
// is set (explicit sites are then ignored), otherwise a copy of Sites.
//
// The layout puts site1 at the origin, then ring 1 (6 sites), ring 2 (12
// sites) and so on outwards, each ring walked anticlockwise; neighbouring
// sites are ISDM apart. At most MaxSites sites are generated.
func (s *Scenario) Sites() []Site {
	l := s.SiteLayout
	if l == nil {
		return append([]Site(nil), s.SiteList...)
	}
	n := min(l.Count, MaxSites)
	if n < 1 {
		return nil
	}
	out := make([]Site, 0, n)
	add := func(q, r int) {
		x := l.ISDM * (float64(q) + float64(r)/2)
		y := l.ISDM * math.Sqrt(3) / 2 * float64(r)
		out = append(out, Site{
			Name:    "site" + strconv.Itoa(len(out)+1),
			XM:      roundMM(x),
			YM:      roundMM(y),
			Sectors: l.Sectors,
		})
	}
	add(0, 0)
	// Axial hex directions, anticlockwise from east.
	dirs := [6][2]int{{1, 0}, {0, 1}, {-1, 1}, {-1, 0}, {0, -1}, {1, -1}}
	for k := 1; len(out) < n; k++ {
		// Start east of the centre, then walk the ring's six sides.
		q, r := k, 0
		for side := 0; side < 6; side++ {
			d := dirs[(side+2)%6]
			for j := 0; j < k && len(out) < n; j++ {
				add(q, r)
				q, r = q+d[0], r+d[1]
			}
		}
	}
	return out
}

func roundMM(x float64) float64 {
	x = math.Round(x*1000) / 1000
	if x == 0 {
		return 0 // no -0
	}
	return x
}

// GroupNames returns the group names sorted, the order in which the model
// builds groups (never range over the map).
func (s *Scenario) GroupNames() []string {
	names := make([]string, 0, len(s.Groups))
	for n := range s.Groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
