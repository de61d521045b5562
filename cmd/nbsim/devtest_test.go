package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildRefFirmware builds a reference firmware of testdata/firmware.
func buildRefFirmware(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command("go", "build", "-o", bin, "../../testdata/firmware/"+name).CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", name, err, out)
	}
	return bin
}

// devtestArgs runs the reference firmware CMD 100 times faster than real
// time, with a 2-minute period, on the cases given.
func devtestArgs(cmd, cases string, more ...string) []string {
	return append([]string{"devtest", "--firmware", cmd + " -port {port} -server {server} -speed {speed} -period {period}s",
		"--speed", "100", "--period", "2m", "--attach-within", "5m", "--case", cases}, more...)
}

// nbsim devtest's exit statuses: 0 when every case passes (with the JUnit
// report written), 1 when one fails (saying which and why), 2 on bad
// input, a firmware command that exits at once included.
func TestDevtestCLI(t *testing.T) {
	good, buggy := buildRefFirmware(t, "good"), buildRefFirmware(t, "buggy")
	t.Run("pass", func(t *testing.T) {
		t.Parallel()
		junit := filepath.Join(t.TempDir(), "devtest.xml")
		var out, errb bytes.Buffer
		// On a pseudo-terminal ({port} is its path).
		if code := Main(devtestArgs(good, "psm,energy", "--pty", "--energy-budget", "74uAh", "--junit", junit), &out, &errb); code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
		}
		for _, want := range []string{"PASS  psm", "PASS  energy", "energy per report", "2 passed, 0 failed"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("report lacks %q:\n%s", want, out.String())
			}
		}
		b, err := os.ReadFile(junit)
		if err != nil || !bytes.Contains(b, []byte(`<testcase name="psm" classname="nbsim.devtest.nominal"`)) {
			t.Errorf("JUnit (%v):\n%s", err, b)
		}
		if _, err := exec.LookPath("xmllint"); err == nil {
			if o, err := exec.Command("xmllint", "--noout", "--schema", "../../report/testdata/junit.xsd", junit).CombinedOutput(); err != nil {
				t.Errorf("xmllint: %v\n%s", err, o)
			}
		}
	})
	t.Run("fail", func(t *testing.T) {
		t.Parallel()
		var out, errb bytes.Buffer
		if code := Main(devtestArgs(buggy+" -bug psm", "psm"), &out, &errb); code != 1 {
			t.Fatalf("exit %d, want 1\n%s%s", code, out.String(), errb.String())
		}
		if !strings.Contains(out.String(), "FAIL  psm") || !strings.Contains(out.String(), "never entered PSM") {
			t.Errorf("report:\n%s", out.String())
		}
	})
	t.Run("bad input", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			want string
		}{
			{devtestArgs(buggy+" -bug exit", "backoff"), "case backoff: the firmware command exited at once"},
			{devtestArgs(good, "nope"), `--case "nope": one of attach,`},
			{devtestArgs(good, "psm", "--energy-budget", "lots"), `--energy-budget "lots": a positive charge`},
			{devtestArgs(good, "psm", "--at-listen", "localhost"), `--at-listen "localhost"`},
			{devtestArgs(good, "psm", "--junit", "/nonexistent/x.xml"), "--junit /nonexistent/x.xml"},
			{devtestArgs(good, "psm", "--speed", "0.01"), "--speed 0.01: between 0.1 and 1000"},
			{[]string{"devtest"}, "give --firmware"},
			{devtestArgs(good, "psm", "--module", "nosuch"), "--module: "},
			{devtestArgs(good, "psm", "--module", "bg95", "--module-file", "x.yaml"), "--module and --module-file: give one of them"},
			{devtestArgs(good, "psm", "--module-file", "/nonexistent.yaml"), "--module-file: "},
			{[]string{"devtest", "nosuchscenario", "--wait"}, "nosuchscenario"},
		} {
			var out, errb bytes.Buffer
			if code := Main(c.args, &out, &errb); code != 2 || !strings.Contains(errb.String(), c.want) {
				t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, code, errb.String(), c.want)
			}
		}
	})
	t.Run("list", func(t *testing.T) {
		var out, errb bytes.Buffer
		if code := Main([]string{"devtest", "--list"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "reject-22 (group reject-22)") ||
			!strings.Contains(out.String(), "TS 24.301 §5.5.1.2.6") {
			t.Errorf("exit %d:\n%s", code, out.String())
		}
	})
}

// FuzzParseCharge: --energy-budget's parser takes any string without
// panicking and returns either an error or a positive charge that the
// same number in mAh gives.
func FuzzParseCharge(f *testing.F) {
	for _, s := range []string{"50uAh", "50µAh", "0.05mAh", "0.05", " 7 mAh ", "", "-1", "1e400", "NaNmAh", "0x10uAh", "uAh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseCharge(s)
		if err != nil {
			if !strings.Contains(err.Error(), "--energy-budget") {
				t.Errorf("%q: error %q does not name the flag", s, err)
			}
			return
		}
		if !(v > 0) || v > 1e6 {
			t.Errorf("%q: %g mAh", s, v)
		}
	})
}
