package model

// What the geographic outputs show (report.Geo): the sites and cells with
// their outlines, a sample of the devices with their position, CE level,
// coupling loss, battery life and dropped reports, and a grid of the
// best-server coupling loss. Computed after a run, only when the outputs
// are written (report.Samples.Geo).

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sim"
)

// coverageCells is the coverage grid's size along its longer side.
const coverageCells = 160

// geoData computes the report.Geo of a finished run.
func (n *Network) geoData() (*report.Geo, error) {
	sc := n.sc
	g := &report.Geo{MaxCouplingLossDb: sc.Radio.MaxCouplingLossDb}
	if f, ok := sc.Frame(); ok {
		o := f.Origin
		g.Origin = &o
	}
	p0 := phy.RSRPdBm(sc.Radio.EnbTxPowerDbm, 0)
	for k, th := range sc.Radio.CERSRPThresholdsDbm {
		if k+1 < len(n.ce) {
			// NRSRP below th (TS 36.321 §5.1.1): coupling loss above p0 − th.
			g.CEStartDb = append(g.CEStartDb, p0-th)
		}
	}
	sites := sc.Sites()
	for _, s := range sites {
		g.Sites = append(g.Sites, report.GeoSite{Name: s.Name, X: s.XM, Y: s.YM, TiltDeg: s.TiltDeg})
	}
	if err := n.geoDevices(g); err != nil {
		return nil, err
	}
	n.geoCells(g, sites)
	n.coverageGrid(g, sites)
	return g, nil
}

// geoDevices samples every Stride-th device, Stride = ⌈devices/10,000⌉.
func (n *Network) geoDevices(g *report.Geo) error {
	total := len(n.ues)
	g.DevicesTotal = total
	g.Stride = max(1, (total+report.MaxGeoDevices-1)/report.MaxGeoDevices)
	T := n.end.Seconds()
	for _, gr := range n.groups {
		var pl *placer
		if gr.cfg.Coverage == nil {
			var err error
			if pl, err = n.newPlacer(gr); err != nil {
				return err
			}
		}
		// The first sampled index of the group.
		first := (int(gr.first) + g.Stride - 1) / g.Stride * g.Stride
		for id := first; id < int(gr.first+gr.count); id += g.Stride {
			u := &n.ues[id]
			if !n.reported(u) {
				continue // a shard's halo
			}
			i := int(n.inGroup(gr, int32(id)))
			d := report.GeoDevice{Group: gr.name, Index: i, Cell: n.cells[u.cell].name, CELevel: int(u.ceBase),
				CouplingLossDb: float64(u.cl), BatteryYears: math.NaN()}
			if pl != nil {
				// The position placeGroup drew: the same stream, first draws.
				place := sim.NewStream(n.seed, "group/"+gr.name, uint64(i), "placement")
				d.X, d.Y = pl.position(i, &place)
				d.HasPos = true
			}
			d.OutOfCoverage = u.dev.Any(device.OutOfCoverage)
			if !d.OutOfCoverage && T > 0 {
				d.BatteryYears = gr.batt.Years(u.dev.Energy/T + gr.prof.BaselineMW)
			}
			if id < len(n.devDrops) {
				d.Dropped = int64(n.devDrops[id])
			}
			g.Devices = append(g.Devices, d)
		}
	}
	return nil
}

// geoCells gives each cell its outline: a sector spans from the bisector
// with the previous sector of its site to the bisector with the next (±60°
// for three evenly spread sectors); the radius is 2/3 of the distance to
// the nearest other site (the far corner of a sector's hexagon in a
// regular three-sector layout), or, for a lone site, the distance within
// which 95 % of its sampled devices lie (1 km when it has none).
func (n *Network) geoCells(g *report.Geo, sites []scenarios.Site) {
	nearest := nearestSiteDistances(sites)
	lone := map[int]float64{}
	bySite := make([][]int, len(sites))
	for c := range n.cells {
		bySite[n.cells[c].site] = append(bySite[n.cells[c].site], c)
	}
	for si, s := range sites {
		r := 2 * nearest[si] / 3
		if math.IsInf(nearest[si], 1) {
			if _, ok := lone[si]; !ok {
				lone[si] = loneRadius(g, n, bySite[si], s)
			}
			r = lone[si]
		}
		az := make([]float64, 0, len(bySite[si]))
		for _, c := range bySite[si] {
			az = append(az, n.cells[c].azimuth)
		}
		for k, c := range bySite[si] {
			cl := &n.cells[c]
			gc := report.GeoCell{Name: cl.name, Site: s.Name, X: s.XM, Y: s.YM, AzimuthDeg: cl.azimuth, RadiusM: r, TiltDeg: s.TiltDeg}
			if !math.IsNaN(cl.azimuth) {
				gc.FromDeg, gc.ToDeg = sectorSpan(az, k)
			}
			g.Cells = append(g.Cells, gc)
		}
	}
}

// sectorSpan is sector k's span among the site's azimuths az: from the
// bisector with the nearest azimuth anticlockwise to the bisector with the
// nearest clockwise (bearings, degrees).
func sectorSpan(az []float64, k int) (from, to float64) {
	a := az[k]
	prev, next := 360.0, 360.0 // angular distance to the neighbours
	for j, b := range az {
		if j == k || math.IsNaN(b) {
			continue
		}
		d := math.Mod(b-a+720, 360)
		if d > 0 && d < next {
			next = d
		}
		if d2 := 360 - d; d > 0 && d2 < prev {
			prev = d2
		}
	}
	return math.Mod(a-prev/2+720, 360), math.Mod(a+next/2+720, 360)
}

// loneRadius is the 95th percentile of the distance from site s of the
// sampled devices with a position served by cells.
func loneRadius(g *report.Geo, n *Network, cells []int, s scenarios.Site) float64 {
	names := map[string]bool{}
	for _, c := range cells {
		names[n.cells[c].name] = true
	}
	var d []float64
	for _, dv := range g.Devices {
		if dv.HasPos && names[dv.Cell] {
			d = append(d, math.Hypot(dv.X-s.XM, dv.Y-s.YM))
		}
	}
	if len(d) == 0 {
		return 1000
	}
	sort.Float64s(d)
	return math.Max(1, d[int(math.Ceil(0.95*float64(len(d))))-1])
}

// nearestSiteDistances is each site's distance to its nearest other site
// (+Inf for a lone site): a sweep over the sites sorted by x.
func nearestSiteDistances(sites []scenarios.Site) []float64 {
	idx := make([]int, len(sites))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case sites[a].XM < sites[b].XM:
			return -1
		case sites[a].XM > sites[b].XM:
			return 1
		}
		return a - b
	})
	out := make([]float64, len(sites))
	for k, i := range idx {
		best := math.Inf(1)
		for _, step := range []int{-1, 1} {
			for m := k + step; m >= 0 && m < len(idx); m += step {
				j := idx[m]
				if math.Abs(sites[j].XM-sites[i].XM) >= best {
					break
				}
				if d := math.Hypot(sites[j].XM-sites[i].XM, sites[j].YM-sites[i].YM); d < best && d > 0 {
					best = d
				}
			}
		}
		out[i] = best
	}
	return out
}

// coverageGrid fills g.Coverage over the cells' outlines and the sampled
// devices, with a margin of a twentieth of the span: at each square's
// centre the best cell's median coupling loss from the cells of the 7
// nearest sites, for a device of the largest group (the first by name on
// a tie): serveNearest's loss with the group's mean penetration loss and
// its antenna gain, without shadowing.
func (n *Network) coverageGrid(g *report.Geo, sites []scenarios.Site) {
	var big *group
	for _, gr := range n.groups {
		if big == nil || gr.count > big.count {
			big = gr
		}
	}
	extra := 0.0 // penetration loss − device antenna gain
	g.MapNote = "no device group: outdoor, 0 dBi device antenna"
	if big != nil {
		extra = big.cfg.PenetrationLossDb - big.cfg.AntennaGainDbi
		g.MapNote = fmt.Sprintf("devices of group %s: %g dB penetration loss, %g dBi antenna, no shadowing", big.name, big.cfg.PenetrationLossDb, big.cfg.AntennaGainDbi)
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	grow := func(x, y float64) {
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	for _, c := range g.Cells {
		grow(c.X-c.RadiusM, c.Y-c.RadiusM)
		grow(c.X+c.RadiusM, c.Y+c.RadiusM)
	}
	for _, d := range g.Devices {
		if d.HasPos {
			grow(d.X, d.Y)
		}
	}
	span := math.Max(maxX-minX, maxY-minY) * 1.1
	if !(span > 0) || math.IsInf(span, 0) {
		return
	}
	step := span / coverageCells
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	nx := int(math.Ceil((maxX - minX) * 1.1 / step))
	ny := int(math.Ceil((maxY - minY) * 1.1 / step))
	nx, ny = max(1, min(nx, coverageCells)), max(1, min(ny, coverageCells))
	cv := &g.Coverage
	cv.Step, cv.NX, cv.NY = step, nx, ny
	cv.X0 = cx - float64(nx-1)*step/2
	cv.Y0 = cy - float64(ny-1)*step/2
	cv.LossDb = make([]float64, nx*ny)
	bySite := make([][]int, len(sites))
	for c := range n.cells {
		bySite[n.cells[c].site] = append(bySite[n.cells[c].site], c)
	}
	near := make([]int, len(sites))
	dist := make([]float64, len(sites))
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			x, y := cv.X0+float64(i)*step, cv.Y0+float64(j)*step
			cv.LossDb[j*nx+i] = n.medianLoss(x, y, sites, bySite, near, dist, extra)
		}
	}
}

// medianLoss is the best cell's median coupling loss at (x, y) among the
// 7 nearest sites (near and dist are scratch).
func (n *Network) medianLoss(x, y float64, sites []scenarios.Site, bySite [][]int, near []int, dist []float64, extra float64) float64 {
	r := &n.sc.Radio
	for s := range sites {
		near[s], dist[s] = s, math.Hypot(x-sites[s].XM, y-sites[s].YM)
	}
	k := selectNearest(near, dist, 7)
	best := math.Inf(1)
	for a := 0; a < k; a++ {
		s := near[a]
		base := n.pl.Loss(math.Max(dist[a], 1), n.band.ULMHz) + extra + r.EnbCableLossDb - r.EnbAntennaGainDbi
		bearing := math.Atan2(x-sites[s].XM, y-sites[s].YM) * 180 / math.Pi
		for _, c := range bySite[s] {
			cl := base
			if az := n.cells[c].azimuth; !math.IsNaN(az) {
				cl -= phy.SectorGainDb(bearing - az)
			}
			best = math.Min(best, cl)
		}
	}
	return math.Max(best, phy.MinCouplingLossDb)
}

// dropAt counts k reports dropped by device id (devices.geojson).
func (n *Network) dropAt(id, k int32) {
	if n.devDrops == nil {
		n.devDrops = make([]uint32, len(n.ues))
	}
	n.devDrops[id] += uint32(k)
}
