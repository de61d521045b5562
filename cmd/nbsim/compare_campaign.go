package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/nbsim/nbsim/report"
)

// campaignTable is the part of a campaign's sweep.json (nbsim sweep,
// docs/planning.md) that compare reads: one row per point with each KPI's
// statistics over the point's seeds.
type campaignTable struct {
	Name   string   `json:"campaign"`
	KPIs   []string `json:"kpis"`
	Points []struct {
		Point  int               `json:"point"`
		Params map[string]string `json:"params"`
		Failed int               `json:"failed"`
		KPIs   map[string]struct {
			N    int      `json:"n"`
			Mean *float64 `json:"mean"`
			SD   *float64 `json:"sd"`
		} `json:"kpis"`
	} `json:"points"`
}

// isCampaign reports whether path is a campaign directory of nbsim sweep:
// one with its sweep.json table. A directory with sweep's databases but no
// table is an error (the table is built by nbsim sweep --collect).
func isCampaign(path string) (bool, error) {
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return false, nil
	}
	if fileExists(filepath.Join(path, "sweep.json")) {
		return true, nil
	}
	if dbs, _ := filepath.Glob(filepath.Join(path, "sweep*.db")); len(dbs) > 0 {
		return false, fmt.Errorf("%s: a campaign directory of nbsim sweep without its table sweep.json: build it with 'nbsim sweep --collect %s'", path, path)
	}
	return false, nil
}

func readCampaign(dir string) (*campaignTable, error) {
	p := filepath.Join(dir, "sweep.json")
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var t campaignTable
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if len(t.Points) == 0 {
		return nil, fmt.Errorf("%s: no points", p)
	}
	return &t, nil
}

// paramsKey is a point's parameters in one string, for matching points.
func paramsKey(ps map[string]string) string {
	keys := slices.Sorted(maps.Keys(ps))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + ps[k]
	}
	return strings.Join(parts, " ")
}

// campaignSpecs are the KPIs to compare: those given, or those both
// campaigns collected (with the default tolerance and direction where
// there is one).
func campaignSpecs(a, b *campaignTable, given []report.KPISpec) ([]report.KPISpec, error) {
	if len(given) > 0 {
		return given, nil
	}
	var specs []report.KPISpec
	for _, k := range a.KPIs {
		if !slices.Contains(b.KPIs, k) {
			continue
		}
		s, err := report.ParseKPISpec(k)
		if err != nil {
			return nil, err
		}
		specs = append(specs, s)
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("the campaigns have no KPI in common (%s; %s)", strings.Join(a.KPIs, ", "), strings.Join(b.KPIs, ", "))
	}
	return specs, nil
}

// compareCampaigns compares two campaigns point by point: a candidate
// point is matched to the baseline point with the same parameters, and
// each KPI compared from the two points' statistics over seeds (Welch, as
// for results). A point whose runs failed in the candidate but not in the
// baseline is a regression too.
func compareCampaigns(w io.Writer, baseDir, candDir string, given []report.KPISpec, conf float64) error {
	a, err := readCampaign(baseDir)
	if err != nil {
		return usageError{err}
	}
	b, err := readCampaign(candDir)
	if err != nil {
		return usageError{err}
	}
	specs, err := campaignSpecs(a, b, given)
	if err != nil {
		return usageError{err}
	}
	byParams := map[string]int{}
	for i, p := range a.Points {
		byParams[paramsKey(p.Params)] = i
	}
	fmt.Fprintf(w, "baseline:  %s (campaign %s, %d points)\ncandidate: %s (campaign %s, %d points)\n\n", baseDir, a.Name, len(a.Points), candDir, b.Name, len(b.Points))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "point\tKPI\tbaseline (sd, n)\tcandidate (sd, n)\tchange\ttolerance\tnoise\tbetter\tverdict")
	regressions, unmatched := 0, 0
	for _, cp := range b.Points {
		i, ok := byParams[paramsKey(cp.Params)]
		if !ok {
			unmatched++
			continue
		}
		bp := a.Points[i]
		name := paramsKey(cp.Params)
		if cp.Failed > 0 && bp.Failed == 0 {
			fmt.Fprintf(tw, "%s\truns\t0 failed\t%d failed\t\t\t\t\t%s\n", name, cp.Failed, report.Regression)
			regressions++
		}
		for _, k := range specs {
			sa, oka := bp.KPIs[k.Path]
			sb, okb := cp.KPIs[k.Path]
			if !oka || !okb {
				return usageError{fmt.Errorf("point %s: KPI %s is not in both campaigns (they collected %s; %s)", name, k.Path, strings.Join(a.KPIs, ", "), strings.Join(b.KPIs, ", "))}
			}
			if sa.Mean == nil || sb.Mean == nil {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\t\t\t\tno data\n", name, k.Path, meanOrNone(sa.Mean), meanOrNone(sb.Mean))
				continue
			}
			d := report.CompareSummaries(k, report.KPISummary{Mean: *sa.Mean, SD: orZero(sa.SD), N: sa.N}, report.KPISummary{Mean: *sb.Mean, SD: orZero(sb.SD), N: sb.N}, conf)
			if d.Verdict == report.Regression {
				regressions++
			}
			fmt.Fprintf(tw, "%s\t%s\t%s (%s, %d)\t%s (%s, %d)\t%s\t%s\t%s\t%s\t%s\n", name, k.Path, fmtG(d.Base), fmtG(d.BaseSD), sa.N,
				fmtG(d.New), fmtG(d.NewSD), sb.N, fmtChange(d), fmtG(d.Tol), fmtG(d.Noise), d.Dir, d.Verdict)
		}
	}
	tw.Flush()
	if unmatched > 0 {
		what := "1 candidate point has"
		if unmatched > 1 {
			what = fmt.Sprintf("%d candidate points have", unmatched)
		}
		fmt.Fprintf(w, "\n%s no baseline point with the same parameters (not compared)\n", what)
	}
	if regressions > 0 {
		return errRegression{regressions}
	}
	return nil
}

func meanOrNone(m *float64) string {
	if m == nil {
		return "none"
	}
	return fmtG(*m)
}

func orZero(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
