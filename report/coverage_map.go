package report

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The coverage map's colours: CE0, CE1, CE2, beyond the maximum coupling
// loss.
var ceColours = []color.Color{
	color.RGBA{R: 0x4d, G: 0xac, B: 0x26, A: 0xff}, // CE0: green
	color.RGBA{R: 0xf1, G: 0xd3, B: 0x3c, A: 0xff}, // CE1: yellow
	color.RGBA{R: 0xf1, G: 0x8a, B: 0x2b, A: 0xff}, // CE2: orange
	color.RGBA{R: 0xa0, G: 0xa0, B: 0xa0, A: 0xff}, // out of coverage: grey
}

// ceLevelAt is the CE level (0..2, or 3 out of coverage) of coupling loss
// cl by the thresholds of g (the CE level by NRSRP of TS 36.321 §5.1.1,
// expressed in coupling loss).
func (g *Geo) ceLevelAt(cl float64) int {
	if cl > g.MaxCouplingLossDb {
		return 3
	}
	lvl := 0
	for k, s := range g.CEStartDb {
		if cl > s {
			lvl = k + 1
		}
	}
	return min(lvl, 2)
}

// ceGrid is the coverage grid's CE levels as a plotter.GridXYZ in km.
type ceGrid struct{ g *Geo }

func (c ceGrid) Dims() (int, int) { return c.g.Coverage.NX, c.g.Coverage.NY }
func (c ceGrid) Z(i, j int) float64 {
	cv := &c.g.Coverage
	return float64(c.g.ceLevelAt(cv.LossDb[j*cv.NX+i]))
}
func (c ceGrid) X(i int) float64 { cv := &c.g.Coverage; return (cv.X0 + float64(i)*cv.Step) / 1000 }
func (c ceGrid) Y(j int) float64 { cv := &c.g.Coverage; return (cv.Y0 + float64(j)*cv.Step) / 1000 }

// box is a legend entry's colour swatch.
type box struct{ c color.Color }

func (b box) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(b.c, []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
}

// CoverageMapPNG renders coverage.png: the CE level of the best-server
// median coupling loss over the area (Geo.Coverage, for the devices
// MapNote names), the sites (triangles, named when at most 30) and each
// sector's azimuth (a line).
func CoverageMapPNG(g *Geo) ([]byte, error) {
	p := newPlot("Coverage: CE level at the best-server median coupling loss\n"+g.MapNote, "km east", "km north")
	if g.Origin != nil {
		p.X.Label.Text = fmt.Sprintf("km east of %.5f°, %.5f°", g.Origin.Lat, g.Origin.Lon)
		p.Y.Label.Text = "km north"
	}
	cv := &g.Coverage
	if cv.NX < 1 || cv.NY < 1 || len(cv.LossDb) != cv.NX*cv.NY {
		if err := noData(p, "no coverage grid"); err != nil {
			return nil, err
		}
		return pngSized(p, plotW, plotW)
	}
	hm := plotter.NewHeatMap(ceGrid{g}, palette.Palette(ceLevels{}))
	hm.Min, hm.Max = 0, 3
	hm.Rasterized = true
	p.Add(hm)
	p.Add(plotter.NewGrid())
	labels := []string{
		fmt.Sprintf("CE0 (below %.0f dB)", g.ceStart(0)),
		fmt.Sprintf("CE1 (%.0f–%.0f dB)", g.ceStart(0), g.ceStart(1)),
		fmt.Sprintf("CE2 (%.0f–%.0f dB)", g.ceStart(1), g.MaxCouplingLossDb),
		fmt.Sprintf("out of coverage (above %.0f dB)", g.MaxCouplingLossDb),
	}
	for k, l := range labels {
		p.Legend.Add(l, box{ceColours[k]})
	}
	p.Legend.Top = true
	p.Legend.Left = true
	if err := drawSites(p, g); err != nil {
		return nil, err
	}
	// Equal scale: the same span on both axes, and a band above the map
	// for the legend (the image is taller by as much).
	x0, y0, h := cv.X0/1000, cv.Y0/1000, float64(cv.NY)*cv.Step/1000
	span := math.Max(float64(cv.NX), float64(cv.NY)) * cv.Step / 1000
	p.X.Min, p.X.Max = x0-cv.Step/2000, x0+span-cv.Step/2000
	p.Y.Min, p.Y.Max = y0-cv.Step/2000, y0+h+span*legendBand-cv.Step/2000
	return pngSized(p, plotW, plotW*vg.Length((h+span*legendBand)/span))
}

// legendBand is the height of the band above the map that holds the
// legend, as a share of the map's.
const legendBand = 0.2

// ceStart is where CE level k+1 starts (the maximum coupling loss when
// the scenario has fewer CE levels).
func (g *Geo) ceStart(k int) float64 {
	if k < len(g.CEStartDb) {
		return math.Min(g.CEStartDb[k], g.MaxCouplingLossDb)
	}
	return g.MaxCouplingLossDb
}

// ceLevels is the palette of the four levels.
type ceLevels struct{}

func (ceLevels) Colors() []color.Color { return ceColours }

func drawSites(p *plot.Plot, g *Geo) error {
	for i := range g.Cells {
		c := &g.Cells[i]
		if math.IsNaN(c.AzimuthDeg) {
			continue
		}
		b := c.AzimuthDeg * math.Pi / 180
		l := 0.5 * c.RadiusM
		ln, err := plotter.NewLine(plotter.XYs{{X: c.X / 1000, Y: c.Y / 1000}, {X: (c.X + l*math.Sin(b)) / 1000, Y: (c.Y + l*math.Cos(b)) / 1000}})
		if err != nil {
			return err
		}
		ln.Color = color.Black
		ln.Width = vg.Points(1.2)
		p.Add(ln)
	}
	xys := make(plotter.XYs, len(g.Sites))
	names := make([]string, len(g.Sites))
	for i, s := range g.Sites {
		xys[i] = plotter.XY{X: s.X / 1000, Y: s.Y / 1000}
		names[i] = s.Name
	}
	if len(xys) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	sc.GlyphStyle.Shape = draw.PyramidGlyph{}
	sc.GlyphStyle.Radius = vg.Points(4)
	sc.GlyphStyle.Color = color.Black
	p.Add(sc)
	if len(xys) <= 30 {
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: names})
		if err != nil {
			return err
		}
		for k := range lb.TextStyle {
			lb.TextStyle[k].YAlign = draw.YBottom
		}
		lb.Offset = vg.Point{X: vg.Points(5), Y: vg.Points(3)}
		p.Add(lb)
	}
	return nil
}
