package devtest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbsim/nbsim/emulate"
	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/report"
)

var (
	buildOnce sync.Map // name → func() (string, error)
	binDir    string
)

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "nbsim-devtest-fw-")
	if err != nil {
		panic(err)
	}
	binDir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}

// buildFirmware builds a reference firmware (testdata/firmware/NAME) once
// per test binary.
func buildFirmware(t testing.TB, name string) string {
	t.Helper()
	f, _ := buildOnce.LoadOrStore(name, sync.OnceValues(func() (string, error) {
		bin := filepath.Join(binDir, name)
		out, err := exec.Command("go", "build", "-o", bin, "../testdata/firmware/"+name).CombinedOutput()
		if err != nil {
			return "", errors.New(err.Error() + "\n" + string(out))
		}
		return bin, nil
	}))
	bin, err := f.(func() (string, error))()
	if err != nil {
		t.Fatalf("building %s: %v", name, err)
	}
	return bin
}

const fwArgs = " -port {port} -server {server} -speed {speed} -period {period}s"

// A firmware command that exits before it writes to the AT port is bad
// input, with an error naming the cases of its group; the other groups
// do not run.
func TestFirmwareExitsAtOnce(t *testing.T) {
	cmd := buildFirmware(t, "buggy") + " -bug exit" + fwArgs
	var progress bytes.Buffer
	_, err := Run(context.Background(), Config{Firmware: cmd, Speed: testSpeed, Period: 2 * time.Minute, Progress: &progress})
	var bad *BadInputError
	if !errors.As(err, &bad) {
		t.Fatalf("error %v (%T), want a BadInputError", err, err)
	}
	for _, want := range []string{"cases attach, reports, psm, downlink, energy:", "exited at once", "exit status 3", "buggy: exiting at once"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if n := strings.Count(progress.String(), "starting"); n != 1 {
		t.Errorf("%d groups started after the first one's bad input:\n%s", n, progress.String())
	}
	// The same with a module that has a boot sequence (network time
	// starts with the process there, not with its first command line).
	bg95, err := module.LookupProfile("bg95")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	_, err = Run(context.Background(), Config{Firmware: cmd, Profile: bg95, Cases: []string{"attach"}, Speed: testSpeed, Period: 2 * time.Minute})
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "case attach:") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("bg95: error %v (%T), want a BadInputError naming the case", err, err)
	}
	if d := time.Since(t0); d > 20*time.Second {
		t.Errorf("bg95: %v before the error (the group ran on without its firmware)", d)
	}
	// A command that does not exist at all.
	_, err = Run(context.Background(), Config{Firmware: "/nonexistent/firmware {port}", Cases: []string{"backoff"}})
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "case backoff:") || !strings.Contains(err.Error(), "not found") {
		t.Errorf("a missing command: %v", err)
	}
}

// Bad configuration: a BadInputError naming the flag and what is allowed.
func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "give --firmware"},
		{Config{Firmware: "x", Wait: true}, "give --firmware"},
		{Config{Firmware: "x", Speed: 5000}, "--speed 5000: between 0.1 and 1000"},
		{Config{Firmware: "x", Period: time.Second}, "--period 1s: between 10s and 24h"},
		{Config{Firmware: "x", AttachWithin: 2 * time.Hour}, "--attach-within 2h0m0s: between 1s and 1h"},
		{Config{Firmware: "x", EnergyBudget: -1}, "--energy-budget -1"},
		{Config{Firmware: "x", EnergyBudget: math.NaN()}, "--energy-budget NaN"},
		{Config{Firmware: "x", Speed: math.NaN()}, "--speed NaN"},
		{Config{Firmware: "x", Cases: []string{"attach", "nope"}}, `--case "nope": one of attach, reports, psm,`},
		{Config{Wait: true, Parallel: 2}, "--wait runs one session at a time"},
		{Config{Firmware: "x", Parallel: 2, ATListen: netip.MustParseAddrPort("127.0.0.1:7000")}, "--at-listen 127.0.0.1:7000 with --parallel 2: groups running at once need port 0"},
	} {
		_, err := Run(context.Background(), c.cfg)
		var bad *BadInputError
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want a BadInputError with %q", c.cfg, err, c.want)
		}
	}
}

// The report: text with each case's verdict, reasons and figures; JUnit
// with a failure per failed case, a skipped case for the energy case
// without a budget, and the figures in system-out.
func TestReportOutputs(t *testing.T) {
	rec := &record{end: 10 * time.Minute}
	add := func(at time.Duration, k emulate.EventKind, charge float64) {
		rec.events = append(rec.events, emulate.Event{At: at, Kind: k, Charge: charge})
	}
	add(2*time.Second, emulate.EvAttached, 0.01)
	for i := range 5 {
		add(time.Duration(i+1)*time.Minute, emulate.EvUplink, 0.1+0.05*float64(i))
		rec.rx = append(rec.rx, datagram{at: time.Duration(i+1) * time.Minute, data: []byte("r")})
	}
	rep := &Report{Start: time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC), Config: Config{Speed: 1, Period: time.Minute, AttachWithin: time.Minute}}
	for _, name := range []string{"attach", "psm", "energy"} {
		c := caseByName(name)
		v := c.judge(rec, &rep.Config)
		rep.Results = append(rep.Results, Result{Case: c, Failures: v.failures, Figures: v.figures, Skipped: v.skip, Wall: time.Second})
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PASS  attach", "attach time 2 s", "FAIL  psm", "never entered PSM", "SKIP  energy", "energy per report 50", "1 passed, 1 failed, 1 skipped"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	if !rep.Failed() {
		t.Error("Failed() is false with a failed case")
	}
	var j bytes.Buffer
	if err := rep.WriteJUnit(&j); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []report.JUnitSuite `xml:"testsuite"`
	}
	if err := xml.Unmarshal(j.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Suites[0]
	if s.Tests != 3 || s.Failures != 1 || s.Skipped != 1 || s.Cases[1].Failure == nil || !strings.Contains(s.Cases[1].Failure.Message, "never entered PSM") ||
		!strings.Contains(s.SystemOut, "energy: energy per report 50") {
		t.Errorf("JUnit:\n%s", j.String())
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed (Debian libxml2-utils): the JUnit report is not validated")
	}
	f := filepath.Join(t.TempDir(), "devtest.xml")
	if err := os.WriteFile(f, j.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", "--schema", "../report/testdata/junit.xsd", f).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, out)
	}
	// The energy case fails over the budget and passes under it.
	rep.Config.EnergyBudget = 0.049
	if v := judgeEnergy(rec, &rep.Config); len(v.failures) != 1 || !strings.Contains(v.failures[0], "over the budget of 49.0 µAh") {
		t.Errorf("energy over the budget: %+v", v)
	}
	rep.Config.EnergyBudget = 0.051
	if v := judgeEnergy(rec, &rep.Config); len(v.failures) != 0 || v.skip != "" {
		t.Errorf("energy within the budget: %+v", v)
	}
}

// lineWriter hands every complete line written to it to a channel.
type lineWriter struct {
	mu  sync.Mutex
	buf []byte
	ch  chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.ch <- string(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}

// --wait: no command; the group prints its port and server and waits for
// a device, here the good reference firmware started by the test.
func TestWait(t *testing.T) {
	t.Parallel()
	good := buildFirmware(t, "good")
	lines := &lineWriter{ch: make(chan string, 16)}
	done := make(chan struct{})
	var rep *Report
	var err error
	go func() {
		defer close(done)
		rep, err = Run(context.Background(), Config{Wait: true, Cases: []string{"reject-15"}, Speed: testSpeed,
			Period: 2 * time.Minute, AttachWithin: testAttachWithin, Progress: lines})
	}()
	var port, server string
	for port == "" {
		select {
		case l := <-lines.ch:
			if _, after, ok := strings.Cut(l, "waiting for the device on "); ok {
				f := strings.Fields(strings.NewReplacer("(", "", ")", "").Replace(after))
				if len(f) != 3 || f[1] != "server" {
					t.Fatalf("%q: want PORT (server HOST:PORT)", l)
				}
				port, server = f[0], f[2]
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no 'waiting for the device' line")
		}
	}
	fw := exec.Command(good, "-port", port, "-server", server, "-speed", fmt.Sprint(testSpeed), "-period", "120s")
	if err := fw.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range lines.ch {
		}
	}()
	<-done
	fw.Process.Kill()
	fw.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || !rep.Results[0].Passed() {
		var b strings.Builder
		rep.WriteText(&b)
		t.Errorf("report:\n%s", b.String())
	}
}

// The placeholders' values reach the firmware's command as one word each,
// whatever they hold: sh gives them back as they were.
func TestExpandQuotes(t *testing.T) {
	c := &Config{Speed: 2.5, Period: 90 * time.Second}
	for _, port := range []string{"127.0.0.1:7000", "/tmp/nbsim/nbsim-at0", "/tmp/a b/pty", "/tmp/it's", `/tmp/$(touch x);"q"`, ""} {
		out, err := exec.Command("/bin/sh", "-c", expand("printf '%s|' {port} {server} {speed} {period}", port, "127.0.0.1:9", c)).Output()
		if err != nil {
			t.Fatal(err)
		}
		if want := port + "|127.0.0.1:9|2.5|90|"; string(out) != want {
			t.Errorf("port %q: sh got %q, want %q", port, out, want)
		}
	}
}

// A module with a boot sequence (bg95: RDY after 4.8 s) answers nothing
// before it, so the group's network time starts with the firmware, and
// the attach time holds the boot: the good firmware (which waits for its
// AT to be answered) attaches after RDY.
func TestProfileBoot(t *testing.T) {
	t.Parallel()
	p, err := module.LookupProfile("bg95")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Config{Firmware: buildFirmware(t, "good") + fwArgs, Profile: p, Cases: []string{"attach"},
		Speed: testSpeed, Period: 2 * time.Minute, AttachWithin: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	var b strings.Builder
	rep.WriteText(&b)
	if !r.Passed() || len(r.Figures) == 0 || r.Figures[0].Name != "attach time" || r.Figures[0].Value < 4.8 {
		t.Errorf("attach after the bg95's boot (RDY at 4.8 s):\n%s", b.String())
	}
	t.Logf("\n%s", b.String())
}
