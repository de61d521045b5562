package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"
)

// JUnit XML: the Apache Ant JUnit report format that CI servers (Jenkins,
// GitLab, GitHub test reporters) read, with the elements and attributes
// the Windy Road JUnit.xsd (github.com/windyroad/JUnit-Schema, Apache
// License 2.0) requires: testsuites holds testsuite elements (package, id,
// name, timestamp, hostname, tests, failures, errors, time; skipped
// optional), each with properties, its testcase elements (name,
// classname, time; at most one failure with a type and a message) and
// system-out and system-err. testdata/junit.xsd restates those rules for
// the test that validates the output with xmllint.

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one testsuite of a JUnit report (WriteJUnitSuites); ID,
// Tests and Failures are counted by the writer.
type JUnitSuite struct {
	Package    string          `xml:"package,attr"`
	ID         int             `xml:"id,attr"`
	Name       string          `xml:"name,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []JUnitProperty `xml:"properties>property"`
	Cases      []JUnitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

// JUnitProperty is a name/value pair recorded with a suite.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one testcase: at most one of Skipped (not run), Error (it
// could not be run to the end) and Failure (it ran and failed).
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *JUnitSkipped `xml:"skipped"`
	Error     *JUnitFailure `xml:"error"`
	Failure   *JUnitFailure `xml:"failure"`
}

// JUnitFailure is a failed testcase's (or an error's) type, message and
// text.
type JUnitFailure struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// JUnitSkipped marks a testcase that was not run, and why.
type JUnitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// JUnitRun is one scenario run for a JUnit report: its results (their
// expectations become the test cases), when it started and on which host.
type JUnitRun struct {
	Results  *Results
	Start    time.Time
	Hostname string
	// Properties are name/value pairs recorded with the suite (the nbsim
	// version, the scenario file, the overrides).
	Properties [][2]string
}

// WriteJUnit writes a JUnit XML report: one testsuite per run, named after
// its scenario, and one testcase per expectation, named by the expression,
// with a failure (type "expectation", the expression and the value found)
// where it does not hold. A run without expectations is a suite of no
// tests. Suite time is the run's wall time (perf.wall_s); the cases' time
// is 0 (an expectation is checked at the end, at no cost).
func WriteJUnit(w io.Writer, runs []JUnitRun) error {
	doc := junitSuites{Suites: make([]JUnitSuite, 0, len(runs))}
	for i, run := range runs {
		r := run.Results
		host := run.Hostname
		if host == "" {
			host = "localhost"
		}
		s := JUnitSuite{
			Package:   "nbsim",
			ID:        i,
			Name:      r.Scenario,
			Timestamp: run.Start.UTC().Format("2006-01-02T15:04:05"),
			Hostname:  host,
			Time:      strconv.FormatFloat(r.Perf.WallS, 'f', 3, 64),
			Cases:     make([]JUnitCase, 0, len(r.Expectations)),
			SystemOut: fmt.Sprintf("scenario %s, seed %d, %g s simulated", r.Scenario, r.Seed, r.DurationS),
		}
		s.Properties = append(s.Properties, JUnitProperty{"seed", strconv.FormatUint(r.Seed, 10)},
			JUnitProperty{"duration_s", strconv.FormatFloat(r.DurationS, 'g', -1, 64)})
		for _, p := range run.Properties {
			s.Properties = append(s.Properties, JUnitProperty{p[0], p[1]})
		}
		for _, e := range r.Expectations {
			c := JUnitCase{Name: e.Expr, Classname: "nbsim." + r.Scenario, Time: "0"}
			if !e.OK {
				msg := fmt.Sprintf("%s does not hold: the value is %s", e.Expr, strconv.FormatFloat(e.Value, 'g', -1, 64))
				c.Failure = &JUnitFailure{Type: "expectation", Message: msg, Text: msg}
				s.Failures++
			}
			s.Cases = append(s.Cases, c)
			s.Tests++
		}
		doc.Suites = append(doc.Suites, s)
	}
	return writeJUnit(w, doc)
}

// WriteJUnitSuites writes a JUnit XML report of the given suites (nbsim
// devtest's): each suite's id is its index and its tests, failures,
// errors and skipped counts are those of its cases.
func WriteJUnitSuites(w io.Writer, suites []JUnitSuite) error {
	doc := junitSuites{Suites: make([]JUnitSuite, len(suites))}
	for i, s := range suites {
		s.ID, s.Tests, s.Failures, s.Errors, s.Skipped = i, len(s.Cases), 0, 0, 0
		for _, c := range s.Cases {
			if c.Failure != nil {
				s.Failures++
			}
			if c.Error != nil {
				s.Errors++
			}
			if c.Skipped != nil {
				s.Skipped++
			}
		}
		if s.Hostname == "" {
			s.Hostname = "localhost"
		}
		doc.Suites[i] = s
	}
	return writeJUnit(w, doc)
}

func writeJUnit(w io.Writer, doc junitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
