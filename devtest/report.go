package devtest

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nbsim/nbsim/report"
)

// WriteText writes the readable report: one block per case with its
// verdict, why it failed, its figures; then the totals.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	pass, fail, skip := 0, 0, 0
	for _, res := range r.Results {
		verdict := "PASS"
		switch {
		case res.Error != "":
			verdict, fail = "ERROR", fail+1
		case len(res.Failures) > 0:
			verdict, fail = "FAIL", fail+1
		case res.Skipped != "":
			verdict, skip = "SKIP", skip+1
		default:
			pass++
		}
		fmt.Fprintf(&b, "%-5s %-10s %s\n", verdict, res.Case.Name, res.Case.Purpose)
		for _, f := range res.Failures {
			fmt.Fprintf(&b, "      - %s\n", f)
		}
		if res.Error != "" {
			fmt.Fprintf(&b, "      - %s\n", strings.ReplaceAll(res.Error, "\n", "\n        "))
		}
		if res.Skipped != "" {
			fmt.Fprintf(&b, "      skipped: %s\n", res.Skipped)
		}
		if len(res.Figures) > 0 {
			var fs []string
			for _, f := range res.Figures {
				fs = append(fs, f.String())
			}
			fmt.Fprintf(&b, "      %s\n", strings.Join(fs, "; "))
		}
		if res.Network > 0 {
			fmt.Fprintf(&b, "      %s\n", res.energyLine())
		}
	}
	fmt.Fprintf(&b, "%d passed, %d failed, %d skipped (speed %gx, period %v)\n", pass, fail, skip, r.Config.Speed, r.Config.Period)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJUnit writes the report as JUnit XML: one suite, a test case per
// case (classname nbsim.devtest.SESSION), with the failure's reasons and
// the figures in its text, skipped cases marked skipped and a firmware
// that exited during its session as an error.
func (r *Report) WriteJUnit(w io.Writer) error {
	host, _ := os.Hostname()
	s := report.JUnitSuite{Package: "nbsim.devtest", Name: "devtest", Hostname: host,
		Timestamp: r.Start.UTC().Format("2006-01-02T15:04:05"),
		Properties: []report.JUnitProperty{{Name: "firmware", Value: r.Config.Firmware},
			{Name: "speed", Value: strconv.FormatFloat(r.Config.Speed, 'g', -1, 64)},
			{Name: "period", Value: r.Config.Period.String()},
			{Name: "seed", Value: strconv.FormatUint(r.Config.Seed, 10)}}}
	var total float64
	seen := map[string]bool{}
	var out strings.Builder
	for _, res := range r.Results {
		if !seen[res.Case.Session] {
			seen[res.Case.Session] = true
			total += res.Wall.Seconds()
		}
		c := report.JUnitCase{Name: res.Case.Name, Classname: "nbsim.devtest." + res.Case.Session,
			Time: strconv.FormatFloat(res.Wall.Seconds(), 'f', 3, 64)}
		var figs []string
		for _, f := range res.Figures {
			figs = append(figs, f.String())
		}
		fmt.Fprintf(&out, "%s: %s\n", res.Case.Name, strings.Join(append(figs, res.energyLine()), "; "))
		switch {
		case res.Error != "":
			c.Error = &report.JUnitFailure{Type: "firmware", Message: firstLine(res.Error), Text: res.Error}
		case len(res.Failures) > 0:
			text := strings.Join(res.Failures, "\n") + "\n" + strings.Join(figs, "\n")
			c.Failure = &report.JUnitFailure{Type: "case", Message: res.Failures[0], Text: text}
		case res.Skipped != "":
			c.Skipped = &report.JUnitSkipped{Message: res.Skipped}
		}
		s.Cases = append(s.Cases, c)
	}
	s.Time = strconv.FormatFloat(total, 'f', 3, 64)
	s.SystemOut = out.String()
	return report.WriteJUnitSuites(w, []report.JUnitSuite{s})
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// energyLine is the module's energy over the case's group: its charge,
// the group's network time and the reports that reached the server.
func (r *Result) energyLine() string {
	s := fmt.Sprintf("energy %s µAh over %v, %d reports", trimFloat(r.ChargeMAh*1000), r.Network.Round(time.Second), r.Reports)
	if r.Reports > 0 {
		s += fmt.Sprintf(" (%s µAh each)", trimFloat(r.ChargeMAh*1000/float64(r.Reports)))
	}
	return s
}
