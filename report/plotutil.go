package report

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// NewPlot is a plot in nbsim's style (title, axis labels, grid), for
// commands that draw their own (nbsim capacity).
func NewPlot(title, x, y string) *plot.Plot { return newPlot(title, x, y) }

// PlotPNG renders p as nbsim's plots are rendered (same size; a panic in
// gonum/plot becomes an error).
func PlotPNG(p *plot.Plot) ([]byte, error) { return pngBytes(p) }

// lineFew is a plotter.Line whose glyph boxes (what gonum/plot pads the
// data area with, twice a plot) are only the points that can be the
// outermost: plotter.Line gives one per point, which for a year of minutes
// is 525,600 boxes a line, hundreds of MB in all. The padding, and so the
// image, is the same: a line's boxes are all the same rectangle, so the
// outermost box on each side is one whose normalised X (or Y) is the
// extreme, the first in order on a tie, and those are kept in order (every
// distinct value within boxTol of an extreme, for rounding).
type lineFew struct{ *plotter.Line }

// boxTol is the band, in normalised units, within which a value may round
// to the extreme's position on the canvas: far above float64 rounding at
// any canvas size, far below the spacing of distinct points.
const boxTol = 1e-9

// newLine is plotter.NewLine as a lineFew.
func newLine(xys plotter.XYer) (lineFew, error) {
	l, err := plotter.NewLine(xys)
	return lineFew{l}, err
}

// GlyphBoxes implements plot.GlyphBoxer with the boxes plot.Plot keeps
// (inside the data area) that can be outermost.
func (l lineFew) GlyphBoxes(plt *plot.Plot) []plot.GlyphBox {
	r := 0.5 * l.LineStyle.Width
	rect := vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}
	kept := func(x, y float64) bool { // plot.Plot.GlyphBoxes' filter
		return !(rect.Size().X > 0 && (x < 0 || x > 1)) && !(rect.Size().Y > 0 && (y < 0 || y > 1))
	}
	n := l.XYs.Len()
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range n {
		x, y := l.XY(i)
		nx, ny := plt.X.Norm(x), plt.Y.Norm(y)
		if !kept(nx, ny) || math.IsNaN(nx) || math.IsNaN(ny) {
			continue
		}
		minX, maxX = min(minX, nx), max(maxX, nx)
		minY, maxY = min(minY, ny), max(maxY, ny)
	}
	var bs []plot.GlyphBox
	seenX, seenY := map[float64]bool{}, map[float64]bool{}
	for i := range n {
		x, y := l.XY(i)
		nx, ny := plt.X.Norm(x), plt.Y.Norm(y)
		if !kept(nx, ny) || math.IsNaN(nx) || math.IsNaN(ny) {
			continue
		}
		// A later box with a value already kept never wins (the
		// outermost is the first in order).
		onX := (nx <= minX+boxTol || nx >= maxX-boxTol) && !seenX[nx]
		onY := (ny <= minY+boxTol || ny >= maxY-boxTol) && !seenY[ny]
		if onX || onY {
			seenX[nx], seenY[ny] = seenX[nx] || onX, seenY[ny] || onY
			bs = append(bs, plot.GlyphBox{X: nx, Y: ny, Rectangle: rect})
		}
	}
	return bs
}
