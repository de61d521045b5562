package report

import "gonum.org/v1/plot"

// PNG renders p as a 6 × 4 in PNG as results' plots are (576 × 384 px), a
// panic inside gonum/plot becoming an error. nbsim sweep's plots use it.
func PNG(p *plot.Plot) ([]byte, error) { return pngBytes(p) }
