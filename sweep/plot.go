package sweep

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// PlotFile is one rendered plot.
type PlotFile struct {
	Name string // KPI--AXIS.png
	PNG  []byte
}

// maxLines bounds the lines of one plot (the other axes' combinations).
const maxLines = 12

// Plots renders, for each KPI and each axis, the KPI's mean against the
// axis with its 95 % confidence band, one line per combination of the other
// axes' values (at most maxLines).
func (t *Table) Plots() ([]PlotFile, error) {
	var out []PlotFile
	for _, k := range t.KPIs {
		for i, a := range t.Axes {
			b, err := t.plot(k, i)
			if err != nil {
				return nil, fmt.Errorf("plot of %s against %s: %w", k, a, err)
			}
			out = append(out, PlotFile{Name: fileSafe(k) + "--" + fileSafe(a) + ".png", PNG: b})
		}
	}
	return out, nil
}

var unsafeRE = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func fileSafe(s string) string { return unsafeRE.ReplaceAllString(s, "_") }

// axisX maps an axis's values to x: numbers as they are, durations in
// seconds; other values (names) to their rank, labelled.
func axisX(values []string) (x map[string]float64, ticks []plot.Tick, unit string) {
	x = map[string]float64{}
	numeric := true
	for _, v := range values {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			numeric = false
			break
		}
		x[v] = f
	}
	if numeric {
		return x, nil, ""
	}
	durations := true
	for _, v := range values {
		d, err := scenarios.ParseDuration(strings.Trim(v, `"`))
		if err != nil {
			durations = false
			break
		}
		x[v] = d.Seconds()
	}
	if durations {
		return x, nil, " (s)"
	}
	for i, v := range values {
		x[v] = float64(i)
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: v})
	}
	return x, ticks, ""
}

func (t *Table) plot(kpi string, axis int) ([]byte, error) {
	name := t.Axes[axis]
	var values []string
	for _, p := range t.Points {
		if v := p.Params[name]; !slices.Contains(values, v) {
			values = append(values, v)
		}
	}
	xs, ticks, unit := axisX(values)
	// One line per combination of the other axes' values.
	var labels []string
	lines := map[string]plotter.XYs{}
	lo, hi := map[string]plotter.XYs{}, map[string]plotter.XYs{}
	for _, p := range t.Points {
		var other []string
		for j, q := range p.params {
			if j != axis {
				other = append(other, q.Key+"="+q.Value)
			}
		}
		label := strings.Join(other, ", ")
		if !slices.Contains(labels, label) {
			labels = append(labels, label)
		}
		s := p.KPIs[kpi]
		if s.Mean == nil {
			continue
		}
		x := xs[p.Params[name]]
		lines[label] = append(lines[label], plotter.XY{X: x, Y: *s.Mean})
		if s.CILow != nil {
			lo[label] = append(lo[label], plotter.XY{X: x, Y: *s.CILow})
			hi[label] = append(hi[label], plotter.XY{X: x, Y: *s.CIHigh})
		}
	}
	p := plot.New()
	p.Title.Text = kpi + " against " + name
	p.X.Label.Text = name + unit
	p.Y.Label.Text = "mean, 95 % CI band over seeds"
	p.Add(plotter.NewGrid())
	p.Y.Tick.Marker = distinctTicks{}
	if ticks != nil {
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	} else if logScale(xs) {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if len(labels) > maxLines {
		labels = labels[:maxLines]
	}
	for i, l := range labels {
		if err := addLine(p, i, l, lines[l], lo[l], hi[l]); err != nil {
			return nil, err
		}
	}
	// Top left, below the title: KPIs against load mostly rise to the right.
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.YOffs = -vg.Points(18)
	p.Legend.XOffs = vg.Points(8)
	return report.PNG(p)
}

// logScale: positive values spanning two decades or more.
func logScale(xs map[string]float64) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo > 0 && hi/lo >= 100
}

func addLine(p *plot.Plot, i int, label string, mean, lo, hi plotter.XYs) error {
	if len(mean) == 0 {
		return nil
	}
	sortXY := func(v plotter.XYs) {
		slices.SortStableFunc(v, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
	}
	sortXY(mean)
	sortXY(lo)
	sortXY(hi)
	c := plotutil.Color(i)
	if len(lo) >= 2 {
		band := append(plotter.XYs{}, lo...)
		for j := len(hi) - 1; j >= 0; j-- {
			band = append(band, hi[j])
		}
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return err
		}
		r, g, b, _ := c.RGBA()
		poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 60}
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	l, sc, err := plotter.NewLinePoints(mean)
	if err != nil {
		return err
	}
	l.Color, sc.Color = c, c
	l.Width = vg.Points(1.5)
	p.Add(l, sc)
	if label != "" {
		p.Legend.Add(label, l, sc)
	}
	return nil
}

// distinctTicks are gonum's default ticks labelled with as many significant
// digits as it takes to tell them apart (the default prints 6.65 twice on
// a range of 0.01).
type distinctTicks struct{}

func (distinctTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for prec := 3; prec <= 12; prec++ {
		seen := map[string]bool{}
		dup := false
		for i, t := range ts {
			if t.Label == "" {
				continue
			}
			ts[i].Label = strconv.FormatFloat(t.Value, 'g', prec, 64)
			dup = dup || seen[ts[i].Label]
			seen[ts[i].Label] = true
		}
		if !dup {
			break
		}
	}
	return ts
}
