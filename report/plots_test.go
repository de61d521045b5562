package report

import (
	"bytes"
	"math"
	"math/rand/v2"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// labels are the non-empty tick labels of a ticker over [lo, hi].
func labels(tk plot.Ticker, lo, hi float64) []string {
	var out []string
	for _, t := range tk.Ticks(lo, hi) {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func distinct(ls []string) bool {
	seen := map[string]bool{}
	for _, l := range ls {
		if seen[l] {
			return false
		}
		seen[l] = true
	}
	return true
}

// TestNiceTicks: the battery histogram of issue #11 (6.58 to 6.72 years)
// has distinct labels at a 0.02 step (gonum's default labels read 6.6,
// 6.6, 6.6, 6.7 in the issue; here, two labels for the whole axis).
func TestNiceTicks(t *testing.T) {
	if def := labels(plot.DefaultTicks{}, 6.58, 6.72); distinct(def) {
		t.Logf("gonum's default ticks now read %v: distinct", def)
	}
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{6.58, 6.72, "6.58 6.60 6.62 6.64 6.66 6.68 6.70 6.72"},
		{0, 6500, "0 1000 2000 3000 4000 5000 6000"},
		{0, 83, "0 20 40 60 80"},
		{4.9996, 5.0004, "4.9996 4.9997 4.9998 4.9999 5.0000 5.0001 5.0002 5.0003 5.0004"},
		{-1, 1, "-1.0 -0.5 0.0 0.5 1.0"},
	} {
		got := labels(niceTicks{}, c.lo, c.hi)
		if strings.Join(got, " ") != c.want {
			t.Errorf("[%g, %g]: %v, want %s", c.lo, c.hi, got, c.want)
		}
	}
	// A degenerate range: one tick.
	if got := labels(niceTicks{}, 1, 1); len(got) != 1 || got[0] != "1" {
		t.Errorf("[1, 1]: %v", got)
	}
}

// TestAccessDelayPlotAxisAndN: a sample of 20,000 of 421,497 delays, 99.9 %
// of them 60–100 ms and a tail to 6,500 ms: the x axis is logarithmic (the
// body, 60–100 ms, spans a fifth of it, not 1/160 of a linear axis to
// 6,500) and the title gives the run's n.
func TestAccessDelayPlotAxisAndN(t *testing.T) {
	const n = 20000
	s := make([]float64, n)
	for i := range s {
		s[i] = 60 + 40*float64(i)/n
	}
	for i := n - 10; i < n; i++ {
		s[i] = 6500 - float64(n-1-i)*100 // the last 0.05 %: 5,600 to 6,500 ms
	}
	p, err := accessDelayPlot(s, 421497)
	if err != nil {
		t.Fatal(err)
	}
	if _, log := p.X.Scale.(plot.LogScale); !log || p.X.Min != 60 || p.X.Max != 6500 {
		t.Errorf("x axis %T [%g, %g], want logarithmic over [60, 6500]", p.X.Scale, p.X.Min, p.X.Max)
	}
	if body := p.X.Scale.Normalize(p.X.Min, p.X.Max, 100) - p.X.Scale.Normalize(p.X.Min, p.X.Max, 60); body < 0.1 {
		t.Errorf("the body of the curve spans %.3f of the axis", body)
	}
	for _, want := range []string{"n = 421,497", "curve from 20,000", "max 6500 ms"} {
		if !strings.Contains(p.Title.Text, want) {
			t.Errorf("title %q lacks %q", p.Title.Text, want)
		}
	}
	// Few delays, none far out: the whole range, n as given.
	p, err = accessDelayPlot([]float64{10, 20, 30}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, log := p.X.Scale.(plot.LogScale); log || !strings.Contains(p.Title.Text, "n = 3\n") || strings.Contains(p.Title.Text, "curve from") {
		t.Errorf("title %q, scale %T", p.Title.Text, p.X.Scale)
	}
}

func TestBatteryPlotTicks(t *testing.T) {
	ys := make([]float64, 20000)
	for i := range ys {
		ys[i] = 6.58 + 0.14*float64(i)/float64(len(ys)-1)
	}
	p, err := batteryPlot(ys)
	if err != nil {
		t.Fatal(err)
	}
	if ls := labels(p.X.Tick.Marker, p.X.Min, p.X.Max); !distinct(ls) || len(ls) < 4 {
		t.Errorf("battery ticks %v: want at least 4 distinct labels", ls)
	}
	if !strings.Contains(p.Title.Text, "n = 20,000") {
		t.Errorf("title %q", p.Title.Text)
	}
}

func TestGroupDigits(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 421497: "421,497", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := groupDigits(in); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", in, got, want)
		}
	}
}

// TestLineFewSameImage: a plot of lineFew lines is the same PNG as of
// plotter.Line lines (the padding comes from the outermost glyph boxes
// only), with ties at the extremes, points outside a clipped axis and
// lines of two widths; and a lineFew keeps a handful of boxes.
func TestLineFewSameImage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	mk := func(n int) plotter.XYs {
		xys := make(plotter.XYs, n)
		for i := range xys {
			y := math.Round(rng.Float64()*20) / 10 // many ties, 0 and 2 among them
			if i%97 == 0 {
				y = 2.4 // above the clipped axis
			}
			xys[i] = plotter.XY{X: float64(i % (n - 3)), Y: y} // repeated X at the end
		}
		return xys
	}
	a, b := mk(5000), mk(3000)
	render := func(few bool) []byte {
		p := newPlot("t", "x", "y")
		p.Y.Max = 2.2
		for i, xys := range []plotter.XYs{a, b} {
			var pl plot.Plotter
			var l *plotter.Line
			if few {
				lf, err := newLine(xys)
				if err != nil {
					t.Fatal(err)
				}
				pl, l = lf, lf.Line
			} else {
				var err error
				if l, err = plotter.NewLine(xys); err != nil {
					t.Fatal(err)
				}
				pl = l
			}
			l.Width = vg.Points(float64(1 + 3*i))
			p.Add(pl)
		}
		p.Y.Max = 2.2
		png, err := pngBytes(p)
		if err != nil {
			t.Fatal(err)
		}
		return png
	}
	if !bytes.Equal(render(false), render(true)) {
		t.Error("lineFew changes the image")
	}
	p := newPlot("t", "x", "y")
	lf, _ := newLine(a)
	p.Add(lf)
	if n := len(lf.GlyphBoxes(p)); n == 0 || n > 20 {
		t.Errorf("%d glyph boxes of %d points, want a handful", n, len(a))
	}
}
