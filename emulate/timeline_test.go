package emulate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nbsim/nbsim/internal/inputerr"
)

const exampleTimeline = `# a firmware test's network
timeline:
  - at: 2m
    for: 3m
    do: {drop_uplink: {probability: 0.5}}
  - at: 6m
    for: 1m
    modules: [0]
    do:
      coverage: {coupling_loss_db: 175}
  - at: 8m
    for: 30s
    do: core_unreachable
  - at: 9m
    do: core_restart
  - at: 9m
    for: 2m
    do: {reject_attach: {cause: 15}}
  - at: 10m
    do: nat_rebind
  - at: 30s
    do: {grant_psm: {t3324: 10s, t3412: 24h}}
`

func TestParseTimeline(t *testing.T) {
	tl, err := ParseTimeline([]byte(exampleTimeline), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Entries) != 7 {
		t.Fatalf("%d entries", len(tl.Entries))
	}
	e := tl.Entries[1]
	if e.Line != 6 || e.At != 6*time.Minute || e.For != time.Minute || e.Do != ActCoverage || fmt.Sprint(e.Modules) != "[0]" || *e.Args.CouplingLoss != 175 {
		t.Errorf("entry 1: %+v", e)
	}
	if g := tl.Entries[6].Args; g.T3324 != "10s" || g.T3412 != "24h" {
		t.Errorf("grant_psm: %+v", g)
	}
	// A bare list is a timeline too.
	if tl, err := ParseTimeline([]byte("- {at: 0, do: nat_rebind, modules: 1}\n"), "g"); err != nil || fmt.Sprint(tl.Entries[0].Modules) != "[1]" {
		t.Fatalf("%v %+v", err, tl)
	}
}

// Long module lists and many entries (a timeline file may be up to 1 MiB)
// are read and compared in time about linear in their length: two entries of 60,000 modules
// each took 4 to 18 s here (their YAML decoding: under 1 s) when
// duplicates were looked for by scanning the list so far; and a list
// against an emulation with fewer modules
// gives at most 100 errors, not one a module.
func TestParseTimelineLongModuleLists(t *testing.T) {
	var b strings.Builder
	for k := range 2 {
		fmt.Fprintf(&b, "- at: %dm\n  modules: [", k)
		for i := range 60000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, i)
		}
		b.WriteString("]\n  do: {coverage: {coupling_loss_db: 170}}\n")
	}
	tl, err := parseQuickly(t, b.String())
	if err != nil {
		t.Fatalf("%.200v", err)
	}
	if len(tl.Entries) != 2 || len(tl.Entries[1].Modules) != 60000 {
		t.Fatalf("%d entries", len(tl.Entries))
	}
	var errs inputerr.Errors
	if !errors.As(tl.Check(1), &errs) || len(errs) != 100 {
		t.Fatalf("Check against 1 module: %d errors, want 100", len(errs))
	}
	// 10,000 entries on one resource (the most a timeline has) are
	// compared with the entries and windows open at their time only, not
	// with every other (5 s here when they were).
	b.Reset()
	for i := range maxTimelineEntries {
		fmt.Fprintf(&b, "- at: %ds\n  do: nat_rebind\n", i)
	}
	if _, err := parseQuickly(t, b.String()); err != nil {
		t.Fatalf("%.200v", err)
	}
	if !sharesModule([]int{1, 5, 9}, []int{2, 9}) || sharesModule([]int{1, 5}, []int{2, 6}) || moduleWords([]int{1, 5, 9}, []int{5, 9, 11}) != " (modules [5 9])" {
		t.Fatal("sharesModule or moduleWords")
	}
}

// parseQuickly parses a timeline and fails unless that took at most
// three times the YAML decoding of the same text (and 0.2 s): measured
// against it, so that a loaded machine slows both, and the best of three
// tries, so that a burst of load during one does not decide.
func parseQuickly(t *testing.T, text string) (*Timeline, error) {
	t.Helper()
	var tl *Timeline
	var err error
	var decode, parse time.Duration
	for range 3 {
		t0 := time.Now()
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		decode = time.Since(t0)
		t0 = time.Now()
		tl, err = ParseTimeline([]byte(text), "long.yaml")
		if parse = time.Since(t0); parse <= 3*decode+200*time.Millisecond {
			return tl, err
		}
	}
	t.Fatalf("%d bytes parsed in %v, their YAML decoded in %v", len(text), parse, decode)
	return nil, nil
}

// Several bad arguments of one entry are reported in the same order on
// every run (they were in map order).
func TestParseTimelineErrorOrder(t *testing.T) {
	in := "- at: 1m\n  do: {grant_psm: {t3324: x, t3412: y}}\n"
	_, first := ParseTimeline([]byte(in), "f")
	for range 30 {
		if _, err := ParseTimeline([]byte(in), "f"); err == nil || first == nil || err.Error() != first.Error() {
			t.Fatalf("errors differ between runs:\n%v\n%v", first, err)
		}
	}
	if !strings.Contains(first.Error(), "t3324") || strings.Index(first.Error(), "t3324") > strings.Index(first.Error(), "t3412") {
		t.Fatalf("t3324's error, then t3412's: %v", first)
	}
}

// Each mistake is reported with the file, the line, the key and what is
// allowed.
func TestParseTimelineErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"x: 1", "f:1: x: unknown key (allowed: timeline)"},
		{"timeline: 3", "f:1: timeline: a list of entries is required"},
		{"- at: 1m\n  do: flood", `f:2: timeline[0].do: unknown action "flood" (allowed: access_failures, core_restart, core_unreachable, coverage, drop_downlink, drop_uplink, grant_psm, nat_rebind, reject_attach)`},
		{"- do: nat_rebind", "f:1: timeline[0].at: missing"},
		{"- at: 1m", "f:1: timeline[0].do: missing: the action"},
		{"- at: soon\n  do: nat_rebind", `f:1: timeline[0].at: invalid duration "soon"`},
		{"- at: -1m\n  do: nat_rebind", "f:1: timeline[0].at: -1m: between 0 and 3650d"},
		{"- at: 1m\n  when: 2m\n  do: nat_rebind", "f:2: timeline[0].when: unknown key (allowed: at, for, do, modules)"},
		{"- at: 1m\n  do: {coverage: {coupling_loss_db: 300}}", `f:2: timeline[0].do.coverage.coupling_loss_db: "300": a coupling loss in dB, 40..250`},
		{"- at: 1m\n  do: {coverage: {loss: 170}}", "timeline[0].do.coverage.loss: unknown argument (allowed: coupling_loss_db, rsrp_dbm)"},
		{"- at: 1m\n  do: coverage", "timeline[0].do.coverage: give one of coupling_loss_db and rsrp_dbm"},
		{"- at: 1m\n  do: {coverage: {coupling_loss_db: 170, rsrp_dbm: -120}}", "give one of coupling_loss_db and rsrp_dbm"},
		{"- at: 1m\n  do: reject_attach", "timeline[0].do.reject_attach.cause: missing"},
		{"- at: 1m\n  do: {reject_attach: {cause: 300}}", `"300": an EMM cause 1..255`},
		{"- at: 1m\n  do: {reject_attach: {cause: 15, t3346: 1m}}", "f:2: timeline[0].do.reject_attach.t3346: only with cause 22"},
		{"- at: 1m\n  do: {reject_attach: {cause: 22, t3346: 4h}}", `"4h": a duration of 2s to 3h6m`},
		{"- at: 1m\n  modules: [0]\n  do: {grant_psm: {t3324: 10s, t3412: 1h}}", "f:2: timeline[0].modules: grant_psm acts on the whole network (the core): modules is not allowed"},
		{"- {at: 1m, for: 2m, do: {reject_attach: {cause: 15}}}\n- {at: 2m, modules: [1], do: {reject_attach: {cause: 11}}}", "reject_attach at 2m overlaps reject_attach at 1m–3m (line 1) on the same attach-reject (modules [1])"},
		{"- at: 1m\n  for: 1m\n  do: nat_rebind", "f:2: timeline[0].for: nat_rebind is instantaneous: for is not allowed"},
		{"- at: 1m\n  for: 0s\n  do: core_unreachable", "f:2: timeline[0].for: must be more than 0"},
		{"- at: 1m\n  do: {drop_downlink: {probability: 1.5}}", `"1.5": a probability, 0..1`},
		{"- at: 1m\n  do: {nat_rebind: {port: 1}}", "timeline[0].do.nat_rebind.port: unknown argument (allowed: none)"},
		{"- at: 1m\n  do: {grant_psm: {t3324: 10s, t3412: 10000h}}", `"10000h": a duration of 2s to 9920h (the T3412 maximum`},
		{"- at: 1m\n  do: {grant_psm: {t3324: 10s}}", "timeline[0].do.grant_psm.t3412: missing"},
		{"- at: 1m\n  modules: [0, 0]\n  do: nat_rebind", "f:2: timeline[0].modules: module 0 given twice"},
		{"- at: 1m\n  modules: [x]\n  do: nat_rebind", `"x": a module number 0..59999`},
		{"- at: 1m\n  do: {coverage: {coupling_loss_db: 170}, nat_rebind: {}}", "one action per entry"},
		{"- at: 1m\n  for: 2m\n  do: {coverage: {coupling_loss_db: 170}}\n- at: 2m\n  modules: [3]\n  do: {coverage: {coupling_loss_db: 120}}",
			"f:4: timeline[1]: coverage at 2m overlaps coverage at 1m–3m (line 1) on the same coverage (modules [3]): one would undo the other"},
		{"- at: 1m\n  for: 2m\n  do: core_unreachable\n- at: 2m\n  do: core_restart", "core_restart at 2m overlaps core_unreachable at 1m–3m (line 1) on the same core"},
		{"- at: 1m\n  do: nat_rebind\n- at: 1m\n  modules: 2\n  do: nat_rebind", "nat_rebind at 1m overlaps nat_rebind at 1m (line 1) on the same nat (modules [2])"},
		{"- at: 1m\n  at: 2m\n  do: nat_rebind", "f:2: timeline[0].at: given twice"},
		{"- 3", "f:1: timeline[0]: an entry is a map"},
		{"{", "f: YAML:"},
	} {
		_, err := ParseTimeline([]byte(c.in), "f")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.in, err, c.want)
		}
		var ie inputerr.Errors
		if err != nil && !errors.As(err, &ie) {
			t.Errorf("%q: %T is not inputerr.Errors", c.in, err)
		}
	}
	// Windows that touch (one ends as the next begins) and values that
	// replace each other are no conflict.
	ok := "- {at: 1m, for: 1m, do: {coverage: {coupling_loss_db: 170}}}\n- {at: 2m, for: 1m, do: {coverage: {coupling_loss_db: 160}}}\n" +
		"- {at: 5m, do: {coverage: {coupling_loss_db: 150}}}\n- {at: 6m, do: {coverage: {coupling_loss_db: 140}}}\n" +
		"- {at: 1m, modules: [1], do: nat_rebind}\n- {at: 1m, modules: [2], do: nat_rebind}\n"
	if _, err := ParseTimeline([]byte(ok), "f"); err != nil {
		t.Error(err)
	}
	tl, err := ParseTimeline([]byte("- {at: 1m, modules: [0, 4], do: nat_rebind}\n"), "f")
	if err != nil {
		t.Fatal(err)
	}
	if err := tl.Check(2); err == nil || !strings.Contains(err.Error(), "f:1: timeline[0].modules: module 4: the emulation has modules 0..1 (--ues 2)") {
		t.Errorf("Check: %v", err)
	}
	if _, err := New(Config{Modules: 2, Timeline: tl}); err == nil || !strings.Contains(err.Error(), "module 4") {
		t.Errorf("New: %v", err)
	}
}

// firmware is a scripted firmware: AT lines given to the module at fixed
// network times (engine events), so that a run depends on nothing but the
// seed and the timeline.
func firmware(e *Emulator, n int, script map[time.Duration]string) {
	e.Do(func() {
		for at, line := range script {
			e.net.Engine().AfterFunc(at, func() { e.mods[n].m.Input([]byte(line + "\r")) })
		}
	})
}

var hostPort = regexp.MustCompile(`127\.0\.0\.\d+:\d+`)

// replay runs one module for d of network time under a clock that jumps
// to the next timer, with firmware script and timeline tl; it returns the
// trace (host ports masked: the host picks them) and the timeline state.
func replay(t *testing.T, tl *Timeline, script map[time.Duration]string, d time.Duration, cfg Config) (string, TimelineState, *Emulator) {
	t.Helper()
	var trace strings.Builder
	tw := &lockedWriter{b: &trace}
	cfg.Trace, cfg.Timeline, cfg.Modules, cfg.AutoConnect = tw, tl, 1, true
	cfg.Clock = &jumpClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if cfg.Scenario == nil {
		cfg.Scenario = labScenario(t, "rrc.inactivity_timer=5s")
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	firmware(e, 0, script)
	if err := e.RunFor(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return hostPort.ReplaceAllString(trace.String(), "HOST:PORT"), e.TimelineState(), e
}

// The same timeline and seed give the same network events, line for line,
// and each action shows its effect.
func TestTimelineReplay(t *testing.T) {
	sink := newSinkUDP(t)
	tl, err := ParseTimeline([]byte(exampleTimeline), "example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	script := map[time.Duration]string{
		1 * time.Second:  "ATE0",
		2 * time.Second:  "AT+CEREG=3",
		3 * time.Second:  "AT+NSOCR=DGRAM,17,5000,1",
		4 * time.Second:  "AT+CPSMS=1",
		12 * time.Minute: "AT+CGATT=1", // after the rejects end
	}
	for k := time.Duration(1); k <= 26; k++ {
		script[k*30*time.Second+5*time.Second] = fmt.Sprintf("AT+NSOST=0,%s,%d,4,%08X", sink.addr.IP, sink.addr.Port, int(k))
	}
	var traces [2]string
	var st TimelineState
	var e *Emulator
	for i := range traces {
		traces[i], st, e = replay(t, tl, script, 14*time.Minute, Config{Seed: 5})
	}
	if traces[0] != traces[1] {
		a, b := strings.Split(traces[0], "\n"), strings.Split(traces[1], "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("the runs differ at line %d:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("the runs differ in length: %d and %d lines", len(a), len(b))
	}
	tr := traces[0]
	for _, want := range []string{
		"net timeline example.yaml:3 drop_uplink: probability 0.5 on every module, for 3m",
		"uplink 32 bytes lost (drop_uplink 0.5)",
		"m0 timeline coupling loss 175.0 dB",
		"net timeline core reachable false",
		"net timeline core restart: every UE context lost",
		"deregistered: rejected: UE identity cannot be derived by the network",
		"+CEREG:3,,,,0,15", // the re-attach rejected with #15 (AT+CEREG=3 shows the cause)
		"net timeline example.yaml:16 reject_attach: ends",
		"m0 timeline nat rebinding",
		"psm=true t3324=10s t3412=24h0m0s",
	} {
		if !strings.Contains(tr, want) {
			t.Errorf("the trace lacks %q", want)
		}
	}
	for _, en := range st.Entries {
		if en.State != "done" {
			t.Errorf("entry at line %d: %s", en.Line, en.State)
		}
	}
	if len(st.Events) != 11 {
		t.Errorf("%d timeline events: %+v", len(st.Events), st.Events)
	}
	s := e.States()[0]
	if s.Registration != "registered" || s.Stats.LostCauses["uplink-fault-dropped"] == 0 {
		t.Errorf("module at the end: %+v", s)
	}
	if t.Failed() {
		t.Log(tr)
	}
}

// FuzzParseTimeline: any input gives a timeline or input errors with a
// line, never a panic; what parses is well formed.
func FuzzParseTimeline(f *testing.F) {
	f.Add([]byte(exampleTimeline))
	f.Add([]byte("- {at: 0, do: nat_rebind, modules: all}\n"))
	f.Add([]byte("- {at: 1m, for: 2m, do: {coverage: {rsrp_dbm: -130}}}\n- {at: 3m, do: {access_failures: {count: 2}}}\n"))
	f.Add([]byte("timeline:\n  - at: 1d\n    do: {drop_downlink: {probability: 0.3}}\n"))
	f.Add([]byte("- at: [1]\n  do: {x: [1, 2]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tl, err := ParseTimeline(data, "f")
		if err != nil {
			var ie inputerr.Errors
			if !errors.As(err, &ie) || len(ie) == 0 {
				t.Fatalf("%T %v", err, err)
			}
			return
		}
		for _, en := range tl.Entries {
			spec, ok := actionSpecs[en.Do]
			if !ok || en.At < 0 || en.For < 0 || (en.For > 0 && !spec.window) || (spec.network && en.Modules != nil) {
				t.Fatalf("entry %+v", en)
			}
			for i, m := range en.Modules {
				if m < 0 || (i > 0 && en.Modules[i-1] >= m) {
					t.Fatalf("modules %v", en.Modules)
				}
			}
		}
		if err := tl.Check(60000); err != nil {
			t.Fatalf("Check: %v", err)
		}
	})
}

// The timeline in docs/emulate.md is the one TestTimelineReplay plays.
func TestTimelineDocs(t *testing.T) {
	b, err := os.ReadFile("../docs/emulate.md")
	if err != nil {
		t.Fatal(err)
	}
	want := "```yaml\n" + strings.SplitN(exampleTimeline, "\n", 2)[1] + "```\n"
	if !strings.Contains(string(b), want) {
		t.Errorf("docs/emulate.md lacks the example timeline:\n%s", want)
	}
}

// Attach reject #22 (congestion): with T3346 the module attaches again
// when it expires, and not before even when the firmware asks; without it,
// after T3411, and after T3402 once five attempts failed (TS 24.301
// §5.5.1.2.5, §5.5.1.2.6).
func TestTimelineCongestion(t *testing.T) {
	count := func(tr, s string) int { return strings.Count(tr, s) }
	tl, err := ParseTimeline([]byte("- {at: 0s, for: 3m, do: {reject_attach: {cause: 22, t3346: 1m}}}\n"), "t3346.yaml")
	if err != nil {
		t.Fatal(err)
	}
	script := map[time.Duration]string{100 * time.Millisecond: "AT+CEREG=3", 30 * time.Second: "AT+CFUN=0", 31 * time.Second: "AT+CFUN=1"}
	tr, _, e := replay(t, tl, script, 4*time.Minute, Config{Seed: 3})
	if n := count(tr, "congestion: attach again in 1m0s"); n != 3 {
		t.Errorf("%d rejects with T3346, want 3 (at 0, 1m, 2m)", n)
	}
	for _, want := range []string{"+CEREG:2,,,,0,22", "attach deferred: T3346 runs for 29.4", "  180.", "net timeline t3346.yaml:1 reject_attach: every attach rejected with EMM cause #22 and T3346 1m0s"} {
		if !strings.Contains(tr, want) {
			t.Errorf("the trace lacks %q", want)
		}
	}
	if s := e.States()[0]; s.Registration != "registered" {
		t.Errorf("after the window: %s", s.Registration)
	}
	if t.Failed() {
		t.Log(tr)
	}

	tl, err = ParseTimeline([]byte("- {at: 0s, for: 2m, do: {reject_attach: {cause: 22}}}\n"), "noT3346.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr, _, e = replay(t, tl, script, 14*time.Minute, Config{Seed: 3})
	if n, m := count(tr, "congestion: attach again in 10s"), count(tr, "congestion: attach again in 12m0s"); n != 4 || m != 1 {
		t.Errorf("without T3346: %d retries after T3411 (want 4), %d after T3402 (want 1)", n, m)
	}
	if s := e.States()[0]; s.Registration != "registered" {
		t.Errorf("after T3402: %s", s.Registration)
	}
	if t.Failed() {
		t.Log(tr)
	}
}

// The API's attach_reject_t3346: only with cause 22, a GPRS timer 2 value
// (the nearest one is sent and shown).
func TestNetworkT3346(t *testing.T) {
	e, err := New(Config{Modules: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := func(v string) *string { return &v }
	c := func(v int) *int { return &v }
	for _, bad := range []struct {
		b    NetworkState
		want string
	}{
		{NetworkState{AttachRejectT3346: s("1m")}, "attach_reject_t3346: only with attach_reject_cause 22"},
		{NetworkState{AttachRejectCause: c(15), AttachRejectT3346: s("1m")}, "only with attach_reject_cause 22"},
		{NetworkState{AttachRejectCause: c(22), AttachRejectT3346: s("1s")}, "attach_reject_t3346: 1s: between 2s and 186m"},
		{NetworkState{NAT: &NATCounters{}}, "nat, core_restarts: counters, not settings"},
	} {
		if err := e.SetNetwork(bad.b); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: %v, want %s", bad.b, err, bad.want)
		}
	}
	if err := e.SetNetwork(NetworkState{AttachRejectCause: c(22), AttachRejectT3346: s("70s")}); err != nil {
		t.Fatal(err)
	}
	if n := e.network(); *n.AttachRejectCause != 22 || n.AttachRejectT3346 == nil || *n.AttachRejectT3346 != "1m2s" {
		t.Errorf("after setting 70s: %+v", n)
	}
	if err := e.SetNetwork(NetworkState{AttachRejectCause: c(0)}); err != nil {
		t.Fatal(err)
	}
	if n := e.network(); n.AttachRejectT3346 != nil {
		t.Errorf("cause 0 keeps T3346 %s", *n.AttachRejectT3346)
	}
}

// reject_attach on some modules: only theirs are rejected; at the end of
// the window they are accepted again when the firmware asks.
func TestTimelineRejectModule(t *testing.T) {
	tl, err := ParseTimeline([]byte("- {at: 0s, for: 1m, modules: [1], do: {reject_attach: {cause: 15}}}\n"), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var trace strings.Builder
	tw := &lockedWriter{b: &trace}
	e, err := New(Config{Scenario: labScenario(t), Modules: 2, Seed: 4, AutoConnect: true, Timeline: tl, Trace: tw,
		Clock: &jumpClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	firmware(e, 1, map[time.Duration]string{90 * time.Second: "AT+CGATT=1"})
	var mid []ModuleState
	e.Do(func() {
		e.net.Engine().AfterFunc(30*time.Second, func() { mid = []ModuleState{e.state(0, false), e.state(1, false)} })
	})
	if err := e.RunFor(context.Background(), 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	if mid[0].Registration != "registered" || mid[1].Registration != "denied" || mid[1].RejectCause != 15 || mid[0].RejectCause != 0 {
		t.Errorf("at 30 s: %s / %s (cause %d)", mid[0].Registration, mid[1].Registration, mid[1].RejectCause)
	}
	end := e.States()
	if end[1].Registration != "registered" || end[1].RejectCause != 0 {
		t.Errorf("at the end: module 1 %s, cause %d", end[1].Registration, end[1].RejectCause)
	}
	if t.Failed() {
		tw.mu.Lock()
		t.Log(trace.String())
		tw.mu.Unlock()
	}
}
