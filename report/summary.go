package report

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// summaryCells is how many cells the summary lists (the most loaded).
const summaryCells = 5

// Summary writes a short human-readable summary of r to w: the run, the
// device and report accounting, random access, delays, energy and battery,
// drops by cause, one line per group, the most loaded cells and the
// expectations with PASS/FAIL. Numbers are those of results.json, rounded
// for reading. Write errors are ignored (w is a terminal or a buffer).
func Summary(w io.Writer, r *Results) {
	if r == nil {
		fmt.Fprintln(w, "no results")
		return
	}
	k := &r.KPI
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(label string, fields ...string) {
		fmt.Fprintf(tw, "%s\t%s\n", label, strings.Join(fields, "  "))
	}

	line("scenario", fmt.Sprintf("%s  seed %d  duration %s", r.Scenario, r.Seed, fmtDuration(r.DurationS)))
	if part := partLine(r); part != "" {
		line("part", part)
	}
	dev := fmt.Sprintf("%d (out of coverage %d)", k.Devices, k.OutOfCoverage)
	if len(k.CELevels) > 0 {
		lv := make([]string, len(k.CELevels))
		for i, n := range k.CELevels {
			lv[i] = fmt.Sprintf("CE%d %d", i, n)
		}
		dev += "  " + strings.Join(lv, ", ")
	}
	line("devices", dev)
	line("reports", fmt.Sprintf("generated %d", k.ReportsGenerated),
		fmt.Sprintf("delivered %d (%s)", k.ReportsDelivered, pct(Ratio(k.ReportsDelivered, k.ReportsGenerated))),
		fmt.Sprintf("dropped %d", k.ReportsDropped), fmt.Sprintf("in flight %d", k.ReportsInFlight))
	line("access", fmt.Sprintf("attempts %d", k.AccessAttempts),
		fmt.Sprintf("success probability %.4f", k.AccessSuccessProbability),
		fmt.Sprintf("collision probability %.4f", k.CollisionProbability),
		fmt.Sprintf("preamble tx mean %.3f", k.PreambleTransmissionsMean))
	line("access delay (ms)", fmtDist(k.AccessDelayMs))
	if k.AttachTimeMs != (Dist{}) {
		line("attach time (ms)", fmtDist(k.AttachTimeMs))
	}
	line("uplink latency (ms)", fmtDist(k.LatencyMs))
	if k.MTGenerated > 0 {
		line("MT data", fmt.Sprintf("generated %d", k.MTGenerated), fmt.Sprintf("delivered %d", k.MTDelivered),
			fmt.Sprintf("dropped %d", k.MTDropped), fmt.Sprintf("in flight %d", k.MTInFlight),
			"latency ms p50 "+fmtG(k.MTLatencyMs.P50)+" p95 "+fmtG(k.MTLatencyMs.P95))
	}
	line("energy", fmt.Sprintf("%s mJ per delivered report", fmtG(k.EnergyPerReportMJ)))
	if share := stateShares(k.EnergyByStateJ); share != "" {
		line("energy by state", share)
	}
	line("battery (years)", "mean "+fmtG(k.BatteryYears.Mean), "p5 "+fmtG(k.BatteryYears.P5), "min "+fmtG(k.BatteryYears.Min))
	if len(r.DropsByCause) > 0 {
		var d []string
		for _, c := range sortedKeys(r.DropsByCause) {
			d = append(d, fmt.Sprintf("%s %d", c, r.DropsByCause[c]))
		}
		line("drops by cause", strings.Join(d, ", "))
	} else {
		line("drops by cause", "none")
	}
	line("bottleneck", fmtBottleneck(r.Bottleneck))
	if s := r.Signalling; s.Mode != "" {
		line("signalling ("+s.Mode+")", fmt.Sprintf("NAS %d", s.NASMessages), fmt.Sprintf("S1AP %d (%s bytes)", s.S1APMessages, fmtG(float64(s.S1APBytes))),
			fmt.Sprintf("%s S1AP/report", fmtG(s.MessagesPerReport)), fmt.Sprintf("MME peak %s NAS/s", fmtG(s.MMETransactionsPerSPeak)))
	}
	tw.Flush()

	if len(r.Groups) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "group\tdevices\treports\tdelivered\tdropped\taccess ok\tdelay p95 ms\tlatency p95 ms\tmJ/report\tbattery p5 y\t")
		for _, name := range sortedKeys(r.Groups) {
			g := r.Groups[name].KPI
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.4f\t%s\t%s\t%s\t%s\t\n", name, g.Devices,
				g.ReportsGenerated, g.ReportsDelivered, g.ReportsDropped, g.AccessSuccessProbability,
				fmtG(g.AccessDelayMs.P95), fmtG(g.LatencyMs.P95),
				fmtG(g.EnergyPerReportMJ), fmtG(g.BatteryYears.P5))
		}
		tw.Flush()
	}

	if len(r.Cells) > 0 {
		cells := slices.Clone(r.Cells)
		slices.SortStableFunc(cells, func(a, b CellKPI) int {
			if c := cmp.Compare(b.ULUtilisation, a.ULUtilisation); c != 0 {
				return c
			}
			if c := cmp.Compare(b.Preambles, a.Preambles); c != 0 {
				return c
			}
			return strings.Compare(a.Name, b.Name)
		})
		fmt.Fprintln(w)
		if len(cells) > summaryCells {
			fmt.Fprintf(w, "cells: %d, the %d most loaded (UL utilisation):\n", len(cells), summaryCells)
			cells = cells[:summaryCells]
		}
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "cell\tdevices\tpreambles\tcollisions\tUL util\tDL util\tIoT p99 dB\tIoT max dB\tlimit\t")
		for _, c := range cells {
			lim := c.Bottleneck.Resource
			if lim == "" {
				lim = ResNone
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%.1f\t%.1f\t%s\t\n", c.Name, c.Devices, c.Preambles,
				c.Collisions, pct(c.ULUtilisation), pct(c.DLUtilisation), c.IoT.P99, c.IoT.Max, lim)
		}
		tw.Flush()
	}

	if len(r.Expectations) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		pass := 0
		for _, e := range r.Expectations {
			verdict := "FAIL"
			if e.OK {
				verdict = "PASS"
				pass++
			}
			fmt.Fprintf(tw, "%s\t%s\t(value %s)\n", verdict, e.Expr, strconv.FormatFloat(e.Value, 'g', 6, 64))
		}
		tw.Flush()
		fmt.Fprintf(w, "expectations: %d/%d passed\n", pass, len(r.Expectations))
	}

	if r.Perf.Events > 0 {
		fmt.Fprintf(w, "perf: %d events in %.2f s wall (%.0f events/s, %.0f reports/s)\n",
			r.Perf.Events, r.Perf.WallS, r.Perf.EventsPerS, r.Perf.ReportsPerS)
	}
}

func fmtDist(d Dist) string {
	return "mean " + fmtG(d.Mean) + "  p50 " + fmtG(d.P50) + "  p95 " + fmtG(d.P95) + "  p99 " + fmtG(d.P99)
}

func pct(x float64) string {
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

// stateShares formats the share of each power state in m, known states
// first in States order, then any others sorted.
func stateShares(m map[string]float64) string {
	var total float64
	for _, v := range m {
		total += v
	}
	if total <= 0 || math.IsNaN(total) || math.IsInf(total, 0) {
		return ""
	}
	order := States()
	for _, k := range sortedKeys(m) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	var parts []string
	for _, s := range order {
		if v, ok := m[s]; ok {
			parts = append(parts, s+" "+pct(v/total))
		}
	}
	return strings.Join(parts, ", ")
}

// fmtDuration prints simulated seconds as days/hours/minutes/seconds, e.g.
// "1d12h (129600 s)".
func fmtDuration(s float64) string {
	if s <= 0 || math.IsNaN(s) || math.IsInf(s, 0) {
		return strconv.FormatFloat(s, 'g', -1, 64) + " s"
	}
	d := time.Duration(s * float64(time.Second))
	var b strings.Builder
	if days := d / (24 * time.Hour); days > 0 {
		fmt.Fprintf(&b, "%dd", days)
		d -= days * 24 * time.Hour
	}
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
		d -= m * time.Minute
	}
	if d > 0 || b.Len() == 0 {
		b.WriteString(strconv.FormatFloat(d.Seconds(), 'g', -1, 64) + "s")
	}
	return b.String() + " (" + strconv.FormatFloat(s, 'g', -1, 64) + " s)"
}

// partLine says what part of a run r is (one shard) or what it joins (a
// merge); "" for a plain run.
func partLine(r *Results) string {
	switch {
	case r.Shard != nil:
		return fmt.Sprintf("shard %d of %d (its own cells only; nbsim merge joins the %d)", r.Shard.Index, r.Shard.Count, r.Shard.Count)
	case r.Merged != nil && r.Merged.Shards > 0:
		return fmt.Sprintf("merged from %d shards", r.Merged.Shards)
	case r.Merged != nil:
		seeds := make([]string, len(r.Merged.Seeds))
		for i, s := range r.Merged.Seeds {
			seeds[i] = fmt.Sprint(s)
		}
		return fmt.Sprintf("merged from %d runs, seeds %s (pooled: counts are their sum)", len(seeds), strings.Join(seeds, ", "))
	}
	return ""
}
