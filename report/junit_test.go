package report

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func junitSample(t *testing.T) []byte {
	t.Helper()
	r := sample()
	ex, err := Evaluate(r, []string{"access_success_probability >= 0.99", "battery_years.p5 >= 8", "cells.site1/2.iot_db.max < 4"})
	if err != nil {
		t.Fatal(err)
	}
	r.Expectations = ex
	var b bytes.Buffer
	start := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	if err := WriteJUnit(&b, []JUnitRun{{Results: r, Start: start, Hostname: "ci", Properties: [][2]string{{"nbsim", "nbsim (devel)"}}}}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestJUnitContent: one testcase per expectation, a failure with the
// expression and the value for each that does not hold, the counts.
func TestJUnitContent(t *testing.T) {
	out := junitSample(t)
	var doc junitSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d suites", len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Name != "test" || s.Tests != 3 || s.Failures != 2 || s.Errors != 0 || s.Timestamp != "2026-12-07T18:00:00" || s.Hostname != "ci" {
		t.Errorf("suite %+v", s)
	}
	if s.Cases[0].Failure != nil || s.Cases[1].Failure == nil || s.Cases[2].Failure == nil {
		t.Errorf("cases %+v", s.Cases)
	}
	if f := s.Cases[1].Failure; f.Message != "battery_years.p5 >= 8 does not hold: the value is 7.6" || f.Type != "expectation" {
		t.Errorf("failure %+v", f)
	}
	if s.Cases[2].Name != "cells.site1/2.iot_db.max < 4" || !strings.Contains(s.Cases[2].Failure.Message, "4.5") {
		t.Errorf("case %+v", s.Cases[2])
	}
}

// TestJUnitSchema validates the report against the JUnit schema
// (testdata/junit.xsd) with xmllint (Debian libxml2-utils), and checks
// that the schema can fail: a report without a testcase's classname is
// refused.
func TestJUnitSchema(t *testing.T) {
	out := junitSample(t)
	validJUnit(t, out)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(bad, bytes.Replace(out, []byte(` classname="nbsim.test"`), nil, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", bad).CombinedOutput(); err == nil {
		t.Errorf("xmllint accepted a testcase without classname:\n%s", b)
	}
}

// TestJUnitSuites: WriteJUnitSuites counts each suite's tests, failures,
// errors and skipped cases, and its output (one case of each kind) passes
// the JUnit schema.
func TestJUnitSuites(t *testing.T) {
	s := JUnitSuite{Package: "nbsim.devtest", Name: "fw", Timestamp: "2026-12-08T02:00:00", Time: "1.5",
		Cases: []JUnitCase{
			{Name: "attach", Classname: "devtest", Time: "0.5"},
			{Name: "psm", Classname: "devtest", Time: "0.5", Failure: &JUnitFailure{Type: "case", Message: "m", Text: "t"}},
			{Name: "energy", Classname: "devtest", Time: "0", Skipped: &JUnitSkipped{Message: "no budget"}},
			{Name: "reject", Classname: "devtest", Time: "0.1", Error: &JUnitFailure{Type: "firmware", Message: "exited"}},
		}}
	var b bytes.Buffer
	if err := WriteJUnitSuites(&b, []JUnitSuite{s, s}); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for i, g := range doc.Suites {
		if g.ID != i || g.Tests != 4 || g.Failures != 1 || g.Errors != 1 || g.Skipped != 1 || g.Hostname != "localhost" {
			t.Errorf("suite %d: id %d tests %d failures %d errors %d skipped %d host %q", i, g.ID, g.Tests, g.Failures, g.Errors, g.Skipped, g.Hostname)
		}
	}
	validJUnit(t, b.Bytes())
}

// validJUnit validates a JUnit report against testdata/junit.xsd with
// xmllint (Debian libxml2-utils); the test is skipped without xmllint.
func validJUnit(t *testing.T, b []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed (Debian libxml2-utils; .ci/run installs it): the JUnit output is not validated")
	}
	f := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", f).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s\n%s", err, out, b)
	}
}
