package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Radio resources of a cell, as named in results.json (cells.N.resources,
// bottleneck) and timeseries.csv. NPRACH has one resource per CE level:
// NPRACHResource(k).
const (
	ResNPDCCH = "npdcch"
	ResNPDSCH = "npdsch"
	ResNPUSCH = "npusch"
	// ResDLGap is the downlink time held idle inside transmissions (the
	// NPDCCH → NPDSCH scheduling delay no other transmission may use): part
	// of the downlink's figure, never named the limit itself.
	ResDLGap = "dl_gap"
	// ResNone names no resource: nothing saturated.
	ResNone = "none"
)

// NPRACHResource names CE level ce's NPRACH resource: "nprach_ce0", …
func NPRACHResource(ce int) string { return "nprach_ce" + strconv.Itoa(ce) }

// Saturated is the saturation threshold of the bottleneck rule: a resource
// limits access or data from the first minute its figure reaches it (see
// docs/results.md, "Bottleneck").
const Saturated = 0.8

// ResourceUse is one radio resource's use in one cell.
type ResourceUse struct {
	// Utilisation over the run: busy share of the resource (NPDCCH,
	// NPDSCH, NPUSCH), or the NPRACH load, preamble transmissions per
	// (occasion, preamble) pair offered (1 = the Poisson knee, where
	// successful preambles per occasion peak).
	Utilisation float64 `json:"utilisation"`
	// Peak is the highest utilisation over one step of the rule (10 s).
	Peak float64 `json:"peak"`
	// LimitS is the time (s) the rule named this resource the cell's
	// limit: the steps in which it was saturated and the highest.
	LimitS float64 `json:"limit_s"`
	// CollisionProbability (NPRACH only): the cell's collided
	// (occasion, preamble) pairs of this CE level / pairs offered.
	CollisionProbability *float64 `json:"collision_probability,omitempty"`
}

// Bottleneck names the resource whose saturation first limited a cell or
// the network, with the figures the rule used.
type Bottleneck struct {
	// Resource is the limiting resource, or "none" when none saturated.
	Resource string `json:"resource"`
	// Cell (network-wide only) is the cell where it saturated first, or,
	// with "none", the cell that came closest.
	Cell string `json:"cell,omitempty"`
	// TimeS is the start (s) of the first step (10 s) in which the
	// resource was saturated, or, with "none", of the step that came
	// closest (the highest saturation).
	TimeS float64 `json:"time_s"`
	// Saturation is the figure the rule compared with the threshold in
	// that step: the resource's utilisation, or for the downlink the
	// carrier's (NPDCCH + NPDSCH).
	Saturation float64 `json:"saturation"`
	// Utilisation is every resource's utilisation in that cell and step.
	Utilisation map[string]float64 `json:"utilisation"`
}

// Limit applies the bottleneck rule to one cell's resources in one step:
// names[i] has utilisation util[i]. The carriers' figures are NPUSCH's
// utilisation and the downlink's, NPDCCH + NPDSCH + the idle time held
// inside transmissions (ResDLGap) (they share the downlink carrier),
// named after the one of NPDCCH and NPDSCH taking more of it (NPDCCH on a
// tie); NPRACH's figures are each CE level's load.
//
//  1. A saturated carrier (figure ≥ Saturated) is named first, the highest
//     if both are: it makes RARs miss their window and Msg4 the
//     contention-resolution timer, so devices send preambles again and
//     move up CE levels (TS 36.321 §5.1.4–5.1.5): load on NPRACH the
//     carrier caused. A saturated NPRACH does not load the carriers beyond
//     the grants of its occasions.
//  2. Otherwise the lowest saturated NPRACH level: devices move up a CE
//     level after maxNumPreambleAttemptCE failed attempts, never down
//     (TS 36.321 §5.1.4), so a saturated level loads the ones above it.
//  3. Otherwise nothing is saturated: the highest figure of all is
//     returned, not saturated.
//
// It returns the index in names of the resource named, its figure and
// whether it is saturated; the first resource wins a tie. With no
// resource it returns -1, 0, false.
func Limit(names []string, util []float64) (best int, figure float64, saturated bool) {
	dcch, dsch, gap := -1, -1, 0.0
	for i, n := range names {
		switch n {
		case ResNPDCCH:
			dcch = i
		case ResNPDSCH:
			dsch = i
		case ResDLGap:
			gap = util[i]
		}
	}
	best = -1
	carrier, rach := -1, -1 // best saturated carrier, lowest saturated NPRACH level
	var carrierFig float64
	for i, n := range names {
		v := util[i]
		if n == ResDLGap {
			continue
		}
		if dcch >= 0 && dsch >= 0 && (i == dcch || i == dsch) {
			named := dcch
			if util[dsch] > util[dcch] {
				named = dsch
			}
			if i != named {
				continue // the other one carries the downlink's figure
			}
			v = util[dcch] + util[dsch] + gap
		}
		if best < 0 || v > figure {
			best, figure = i, v
		}
		switch {
		case v < Saturated:
		case isNPRACH(n):
			if rach < 0 {
				rach = i
			}
		case carrier < 0 || v > carrierFig:
			carrier, carrierFig = i, v
		}
	}
	if carrier >= 0 {
		return carrier, carrierFig, true
	}
	if rach >= 0 {
		return rach, util[rach], true
	}
	return best, figure, false
}

func isNPRACH(name string) bool { return strings.HasPrefix(name, "nprach_ce") }

// fmtBottleneck is the summary's bottleneck line: the resource, where and
// when, and the step's non-zero figures; for none, the highest figure.
func fmtBottleneck(b Bottleneck) string {
	where := ""
	if b.Cell != "" {
		where = " in cell " + b.Cell
	}
	if b.Resource == "" || b.Resource == ResNone {
		if b.Utilisation == nil {
			return ResNone
		}
		return fmt.Sprintf("none (highest figure %s%s at %s; saturated from %s)", pct(b.Saturation), where, fmtAt(b.TimeS), pct(Saturated))
	}
	var figs []string
	for _, k := range sortedKeys(b.Utilisation) {
		if v := b.Utilisation[k]; v != 0 {
			figs = append(figs, k+" "+fmtFigure(k, v))
		}
	}
	th := pct(Saturated)
	if isNPRACH(b.Resource) {
		th = fmtG(Saturated)
	}
	return fmt.Sprintf("%s%s from %s (%s ≥ %s: %s)", b.Resource, where, fmtAt(b.TimeS), fmtFigure(b.Resource, b.Saturation),
		th, strings.Join(figs, ", "))
}

// fmtFigure prints a resource's figure: NPRACH's load as a number
// ("load 17.86"), a carrier's share in percent.
func fmtFigure(name string, v float64) string {
	if isNPRACH(name) {
		return "load " + fmtG(v)
	}
	return pct(v)
}

// fmtAt prints a time of the run, e.g. "3h0m10s".
func fmtAt(s float64) string {
	return (time.Duration(s) * time.Second).String()
}
