package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot size: 6 × 4 in (576 × 384 px at the PNG canvas's 96 dpi).
const (
	plotW = 6 * vg.Inch
	plotH = 4 * vg.Inch
	// maxCDFPoints bounds the points drawn for a CDF: larger samples are
	// thinned to evenly spaced ranks (always keeping the first and last).
	maxCDFPoints = 2000
)

// pngBytes renders p as PNG, turning a panic inside gonum/plot into an
// error so a plot can never bring the run down.
func pngBytes(p *plot.Plot) ([]byte, error) { return pngSized(p, plotW, plotH) }

// pngSized is pngBytes at w × h.
func pngSized(p *plot.Plot, w, h vg.Length) (b []byte, err error) {
	defer func() {
		if e := recover(); e != nil {
			b, err = nil, fmt.Errorf("rendering plot: %v", e)
		}
	}()
	wt, err := p.WriterTo(w, h, "png")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// noData turns p into an empty plot with a centred note.
func noData(p *plot.Plot, note string) error {
	l, err := plotter.NewLabels(plotter.XYLabels{
		XYs:    plotter.XYs{{X: 0.5, Y: 0.5}},
		Labels: []string{note},
	})
	if err != nil {
		return err
	}
	l.TextStyle[0].XAlign = draw.XCenter
	l.TextStyle[0].YAlign = draw.YCenter
	p.Add(l)
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min, p.Y.Max = 0, 1
	return nil
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Add(plotter.NewGrid())
	return p
}

// cdfLogSpread is the spread (maximum / median) of the access delays above
// which access_delay_cdf.png has a logarithmic x axis: the longest delays
// (a backoff, a CE escalation: seconds) would otherwise squeeze the body of
// the curve, tens of ms, into a vertical line at the left edge (issue #11:
// an axis to 6,500 ms for a p99 of 83 ms).
const cdfLogSpread = 20

// AccessDelayCDFPNG renders access_delay_cdf.png: the empirical CDF of the
// access delays of successful procedures, in ms. delaysMs may be a sample
// (evenly spaced ranks) of the n delays of the run: the title gives n, and
// the sample size when it is smaller. The x axis is logarithmic when the
// maximum is more than cdfLogSpread times the median (the title says so),
// so both the body and the tail show. Empty input gives an empty plot
// saying so.
func AccessDelayCDFPNG(delaysMs []float64, n int64) ([]byte, error) {
	p, err := accessDelayPlot(delaysMs, n)
	if err != nil {
		return nil, err
	}
	return pngBytes(p)
}

func accessDelayPlot(delaysMs []float64, total int64) (*plot.Plot, error) {
	s := finiteSorted(delaysMs)
	p := newPlot("Access delay CDF", "access delay (ms)", "fraction of successful access procedures")
	if len(s) == 0 {
		return p, noData(p, "no successful access procedure")
	}
	d := Quantiles(s)
	n := len(s)
	count := fmt.Sprintf("n = %s", groupDigits(max(total, int64(n))))
	if total > int64(n) {
		count += fmt.Sprintf(" (curve from %s)", groupDigits(int64(n)))
	}
	p.Title.Text = fmt.Sprintf("Access delay CDF, %s\np50 %s, p95 %s, p99 %s, max %s ms",
		count, fmtG(d.P50), fmtG(d.P95), fmtG(d.P99), fmtG(s[n-1]))
	m := min(n, maxCDFPoints)
	xys := make(plotter.XYs, 0, m+1)
	xys = append(xys, plotter.XY{X: s[0], Y: 0})
	for k := range m {
		i := n - 1
		if m > 1 {
			i = k * (n - 1) / (m - 1)
		}
		xys = append(xys, plotter.XY{X: s[i], Y: float64(i+1) / float64(n)})
	}
	line, err := newLine(xys)
	if err != nil {
		return nil, err
	}
	line.StepStyle = plotter.PostStep
	line.Color = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	line.Width = vg.Points(1.5)
	p.Add(line)
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Tick.Marker = niceTicks{}
	if s[0] > 0 && s[n-1] > cdfLogSpread*d.P50 {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		p.X.Min, p.X.Max = s[0], s[n-1]
		p.X.Label.Text = "access delay (ms, logarithmic)"
	}
	return p, nil
}

// groupDigits writes n with thin spaces between groups of three digits
// (421 497), as the README's figures.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// RandomAccessLoadPNG renders random_access_load.png: preamble
// transmissions and collided (occasion, preamble) pairs per interval over
// simulated time (minutes, or hours for runs longer than 6 h). A nil or
// empty ts gives an empty plot saying so.
func RandomAccessLoadPNG(ts *TimeSeries) ([]byte, error) {
	step := time.Minute
	if ts != nil && ts.Step > 0 {
		step = ts.Step
	}
	per := "minute"
	if step != time.Minute {
		per = step.String()
	}
	p := newPlot("Random-access load", "simulated time (min)", "count per "+per)
	if ts == nil || len(ts.Rows) == 0 {
		if err := noData(p, "no time series"); err != nil {
			return nil, err
		}
		return pngBytes(p)
	}
	scale := timeAxis(p, ts)
	pre := make(plotter.XYs, len(ts.Rows))
	col := make(plotter.XYs, len(ts.Rows))
	top := 1.0
	for i, row := range ts.Rows {
		x := float64(row.Minute) * scale
		pre[i] = plotter.XY{X: x, Y: float64(row.Preambles)}
		col[i] = plotter.XY{X: x, Y: float64(row.Collisions)}
		top = max(top, float64(row.Preambles), float64(row.Collisions))
	}
	lp, err := newLine(pre)
	if err != nil {
		return nil, err
	}
	lp.Color = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	lc, err := newLine(col)
	if err != nil {
		return nil, err
	}
	lc.Color = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	p.Add(lp, lc)
	p.Legend.Add("preamble transmissions", lp)
	p.Legend.Add("collisions", lc)
	p.Legend.Top = true
	p.Y.Min, p.Y.Max = 0, top*1.25 // headroom for the legend
	return pngBytes(p)
}

// timeAxis returns the factor from minutes to the x axis of a plot over
// the non-empty ts: minutes, or hours (labelled so) past 6 h.
func timeAxis(p *plot.Plot, ts *TimeSeries) float64 {
	if last := ts.Rows[len(ts.Rows)-1].Minute; last > 6*60 {
		p.X.Label.Text = "simulated time (h)"
		return 1.0 / 60
	}
	return 1
}

// BatteryLifeHistPNG renders battery_life_hist.png: a histogram of the
// projected battery lifetimes of the devices, in years, with tick labels
// that tell the ticks apart (niceTicks). Empty input gives an empty plot
// saying so.
func BatteryLifeHistPNG(years []float64) ([]byte, error) {
	p, err := batteryPlot(years)
	if err != nil {
		return nil, err
	}
	return pngBytes(p)
}

func batteryPlot(years []float64) (*plot.Plot, error) {
	s := finiteSorted(years)
	p := newPlot("Battery life", "battery life (years)", "devices")
	if len(s) == 0 {
		return p, noData(p, "no battery data")
	}
	b := BatteryStats(s)
	p.Title.Text = fmt.Sprintf("Battery life (n = %s; mean %s, p5 %s, min %s years)",
		groupDigits(int64(len(s))), fmtG(b.Mean), fmtG(b.P5), fmtG(b.Min))
	bins := min(max(int(math.Ceil(math.Sqrt(float64(len(s))))), 1), 50)
	h, err := plotter.NewHist(plotter.Values(s), bins)
	if err != nil {
		return nil, err
	}
	h.FillColor = color.RGBA{R: 44, G: 160, B: 44, A: 255}
	p.Add(h)
	p.X.Tick.Marker = niceTicks{}
	return p, nil
}

// niceTicks puts 4 to 9 major ticks at a 1, 2 or 5 × 10^k step (the
// smallest at least an eighth of the range) and labels
// them with as many decimals as the step needs, so that no two labels read
// the same (gonum's default ticks labelled a histogram from 6.58 to 6.72
// years "6.6, 6.6, 6.6, 6.7").
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) || math.IsNaN(hi-lo) {
		// One value (or none that is finite): one tick.
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 6, 64)}}
	}
	raw := (hi - lo) / 8
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, f := range []float64{1, 2, 5, 10} {
		if f*mag >= raw {
			step = f * mag
			break
		}
	}
	dec := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	var ticks []plot.Tick
	first := math.Ceil(lo/step-1e-9) * step
	for k := 0; ; k++ {
		v := first + float64(k)*step
		if v > hi+step*1e-9 || k > 100 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', dec, 64)})
		// A minor tick half way.
		if mid := v + step/2; mid <= hi {
			ticks = append(ticks, plot.Tick{Value: mid})
		}
	}
	return ticks
}

// fmtG formats x with 4 significant digits, without exponent for ordinary
// magnitudes.
func fmtG(x float64) string {
	return fmt.Sprintf("%.4g", x)
}

// resourceColours are the lines of resource_utilisation.png, by resource.
var resourceColours = map[string]color.RGBA{
	"nprach_ce0": {R: 31, G: 119, B: 180, A: 255},
	"nprach_ce1": {R: 23, G: 190, B: 207, A: 255},
	"nprach_ce2": {R: 148, G: 103, B: 189, A: 255},
	ResNPDCCH:    {R: 255, G: 127, B: 14, A: 255},
	ResNPDSCH:    {R: 214, G: 39, B: 40, A: 255},
	ResNPUSCH:    {R: 44, G: 160, B: 44, A: 255},
}

// utilisationTop is where the y axis of resource_utilisation.png stops at
// most: NPRACH loads of a burst reach tens, which would flatten the rest.
const utilisationTop = 2.0

// ResourceUtilisationPNG renders resource_utilisation.png: per interval,
// each radio resource's highest utilisation over the cells (ts.Resources,
// Row.Utilisation), the downlink carrier's figure (NPDCCH + NPDSCH + held
// gaps, dashed) and the saturation threshold (dotted), over simulated time
// (minutes, or hours for runs longer than 6 h). The y axis stops at 2
// (NPRACH loads above are clipped, the title says so). A time series
// without resources gives an empty plot saying so.
func ResourceUtilisationPNG(ts *TimeSeries) ([]byte, error) {
	p := newPlot("Resource utilisation (highest cell each minute)", "simulated time (min)", "utilisation (NPRACH: load)")
	if ts == nil || len(ts.Rows) == 0 || len(ts.Resources) == 0 {
		if err := noData(p, "no resource figures"); err != nil {
			return nil, err
		}
		return pngBytes(p)
	}
	scale := timeAxis(p, ts)
	col := func(name string) int {
		for i, n := range ts.Resources {
			if n == name {
				return i
			}
		}
		return -1
	}
	series := make([]plotter.XYs, len(ts.Resources))
	var dl plotter.XYs
	top := 1.0
	for _, row := range ts.Rows {
		x := float64(row.Minute) * scale
		sum := 0.0
		for i, name := range ts.Resources {
			v := 0.0
			if i < len(row.Utilisation) && !math.IsNaN(row.Utilisation[i]) && !math.IsInf(row.Utilisation[i], 0) {
				v = row.Utilisation[i] // a missing or non-finite figure plots as 0
			}
			series[i] = append(series[i], plotter.XY{X: x, Y: v})
			top = max(top, v)
			if name == ResNPDCCH || name == ResNPDSCH || name == ResDLGap {
				sum += v
			}
		}
		dl = append(dl, plotter.XY{X: x, Y: sum})
		top = max(top, sum)
	}
	for i, name := range ts.Resources {
		if name == ResDLGap {
			continue // in the downlink's line
		}
		l, err := newLine(series[i])
		if err != nil {
			return nil, err
		}
		if c, ok := resourceColours[name]; ok {
			l.Color = c
		}
		p.Add(l)
		p.Legend.Add(name, l)
	}
	if col(ResNPDCCH) >= 0 {
		l, err := newLine(dl)
		if err != nil {
			return nil, err
		}
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(l)
		p.Legend.Add("downlink (npdcch+npdsch+gaps)", l)
	}
	first, last := ts.Rows[0].Minute, ts.Rows[len(ts.Rows)-1].Minute
	th, err := newLine(plotter.XYs{{X: float64(first) * scale, Y: Saturated}, {X: float64(last) * scale, Y: Saturated}})
	if err != nil {
		return nil, err
	}
	th.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
	p.Add(th)
	p.Legend.Add("saturation threshold", th)
	p.Legend.Top = true
	if top > utilisationTop {
		p.Title.Text += fmt.Sprintf(" (y clipped at %g; highest %s)", utilisationTop, fmtG(top))
		top = utilisationTop
	}
	p.Y.Min, p.Y.Max = 0, top*1.4 // headroom for the legend
	return pngBytes(p)
}
