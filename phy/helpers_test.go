package phy

import "math"

func approx(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// specials are float inputs every function must survive.
var specials = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1e308, -1e308, 5e-324, -200, 200}
