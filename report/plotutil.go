package report

import "gonum.org/v1/plot"

// NewPlot is a plot in nbsim's style (title, axis labels, grid), for
// commands that draw their own (nbsim capacity).
func NewPlot(title, x, y string) *plot.Plot { return newPlot(title, x, y) }

// PlotPNG renders p as nbsim's plots are rendered (same size; a panic in
// gonum/plot becomes an error).
func PlotPNG(p *plot.Plot) ([]byte, error) { return pngBytes(p) }
