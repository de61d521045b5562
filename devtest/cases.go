package devtest

import (
	"fmt"
	"math"
	"time"

	"github.com/nbsim/nbsim/emulate"
)

// Case is one test case of the suite.
type Case struct {
	Name    string
	Session string // the cases of a session are judged from one emulation run
	Purpose string
	Pass    string // the pass criteria, in words
	Source  string // where the expected behaviour comes from
	judge   func(r *record, c *Config) verdict
}

// verdict is a case's outcome: what failed (nothing: passed), figures,
// and a reason it was skipped.
type verdict struct {
	failures []string
	figures  []Figure
	skip     string
}

// Figure is one measured value of a case.
type Figure struct {
	Name  string
	Value float64
	Unit  string
}

func (f Figure) String() string {
	return fmt.Sprintf("%s %s%s", f.Name, trimFloat(f.Value), f.Unit)
}

func trimFloat(v float64) string {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1e9:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

func (v *verdict) fail(format string, args ...any) {
	v.failures = append(v.failures, fmt.Sprintf(format, args...))
}

func (v *verdict) fig(name string, value float64, unit string) {
	v.figures = append(v.figures, Figure{name, value, unit})
}

// attemptMax is the attach attempt counter's limit (TS 24.301
// §5.5.1.2.6): after five failed attempts in a row the UE waits T3402
// (12 min) instead of T3411 (10 s).
const attemptMax = 5

// Cases is the suite, in the order it runs and reports.
var Cases = []*Case{
	{
		Name: "attach", Session: "nominal",
		Purpose: "the firmware gets the module registered after power-on",
		Pass:    "the first attach completes within --attach-within of the start",
		Source:  "TS 24.301 §5.5.1.2 (attach procedure); TS 27.007 §10.1.22 (+CEREG)",
		judge:   judgeAttach,
	},
	{
		Name: "reports", Session: "nominal",
		Purpose: "the firmware's reports reach the server, one every reporting period",
		Pass:    "the server receives a report within one --period of the attach and then at least one per --period (one may be missing at the end)",
		Source:  "the application contract (docs/firmware.md)",
		judge:   judgeReports,
	},
	{
		Name: "psm", Session: "nominal",
		Purpose: "the firmware asks for PSM and lets the module sleep between reports as long as its reporting period allows",
		Pass: fmt.Sprintf("from its first report on, the module is in PSM for at least the share of each period that the RRC inactivity timer (%v) and the granted active time (T3324 %v) leave, less 10 s",
			inactivity, grantT3324),
		Source: "TS 23.682 §4.5.4 (UE power saving mode); TS 24.301 §5.3.11; TS 27.007 §7.38 (+CPSMS)",
		judge:  judgePSM,
	},
	{
		Name: "downlink", Session: "nominal",
		Purpose: "downlink sent while the module sleeps is held by the network, delivered after the module wakes, and read by the firmware",
		Pass:    "the server's datagram, sent when the module enters PSM after its second report (or half a period after that report when it never does), comes back to the server within two periods",
		Source:  "TS 23.682 §5.13.3 (high latency communication: buffering in the core); TS 23.401 §5.3.4.3",
		judge:   judgeDownlink,
	},
	{
		Name: "energy", Session: "nominal",
		Purpose: "the energy the module spends per report is within the developer's budget",
		Pass:    "the module's charge from its first report to its last, divided by the reports after the first, is at most --energy-budget (skipped without one)",
		Source:  "the module's power model (docs/model.md) over the states the network saw",
		judge:   judgeEnergy,
	},
	{
		Name: "backoff", Session: "no-coverage",
		Purpose: "when coverage is lost the firmware lets the module retry with its backoff instead of forcing attaches (no retry storm), and reports again once coverage returns",
		Pass: fmt.Sprintf("while coverage is lost (%v, from --attach-within + 1.5 periods) at most %d attach attempts, the count of TS 24.301's attach attempt counter before T3402 (12 min); a report reaches the server within two periods of coverage's return",
			outage, attemptMax+1),
		Source: "TS 24.301 §5.5.1.2.6 (attach attempt counter 5, T3411 10 s, T3402 12 min), §5.5.3.2.6 for TAU; TS 36.304 §5.2.3.2 (out of coverage)",
		judge:  judgeBackoff,
	},
	{
		Name: "core-restart", Session: "core-restart",
		Purpose: "the firmware survives a core restart that loses its context: the module attaches again and the reports go on",
		Pass:    fmt.Sprintf("the core restarts at --attach-within + 1.5 periods and answers nothing for %v; the module attaches again and a report reaches the server within two periods of the core's return", coreDown),
		Source:  "TS 24.301 §5.6.1.5 (service request rejected, #9 UE identity cannot be derived), §5.5.3.2.5 (TAU rejected: attach again); TS 23.007 (MME restart)",
		judge:   judgeCoreRestart,
	},
	{
		Name: "nat-rebind", Session: "nat-rebind",
		Purpose: "the firmware survives the operator's NAT giving it a new public port: its reports go on and a downlink to the new port reaches it",
		Pass:    "after the NAT rebinds at --attach-within + 1.5 periods, reports reach the server and the server's datagram to the new source, sent once the module sleeps after the first report that follows, comes back within two periods",
		Source:  "RFC 4787 (NAT behaviour for UDP); RFC 9146 (DTLS connection ID, for firmware with DTLS sessions)",
		judge:   judgeNATRebind,
	},
	rejectCase(15, "no suitable cells in tracking area", "the UE stores the TAI as forbidden and does not attach in it again before it is switched off or the list is reset (12-24 h)"),
	rejectCase(11, "PLMN not allowed", "the UE stores the PLMN as forbidden and does not attach to it again before it is switched off or the SIM is removed"),
	rejectCase(22, "congestion", "the UE waits for T3346 before it attaches again"),
}

func rejectCase(cause int, name, rule string) *Case {
	allowed := 2
	pass := fmt.Sprintf("while the network rejects attaches with cause #%d (%v), at most %d attach attempts (the rejected one and one more, e.g. after a deliberate power cycle)", cause, rejectWindow, allowed)
	if cause == 22 {
		pass = fmt.Sprintf("while the network rejects attaches with cause #22 and T3346 %v (for %v), no attempt sooner than T3346 after the previous one and at most %d attempts; the module registers once the congestion ends", rejectT3346, rejectWindow, attemptMax)
	}
	return &Case{
		Name: fmt.Sprintf("reject-%d", cause), Session: fmt.Sprintf("reject-%d", cause),
		Purpose: fmt.Sprintf("the firmware handles attach reject cause #%d (%s) as the specification requires: %s", cause, name, rule),
		Pass:    pass,
		Source:  "TS 24.301 §5.5.1.2.5 (attach not accepted by the network), §9.9.3.9 (EMM cause)",
		judge:   func(r *record, c *Config) verdict { return judgeReject(r, c, cause) },
	}
}

func judgeAttach(r *record, c *Config) verdict {
	var v verdict
	at, ok := r.first(emulate.EvAttached, 0)
	if !ok {
		v.fail("the module never attached (%d attempts failed)", r.count(emulate.EvAttachFailed, 0, r.end))
		return v
	}
	v.fig("attach time", at.Seconds(), " s")
	if at > c.AttachWithin {
		v.fail("attached at %v, after --attach-within %v", at.Round(time.Millisecond), c.AttachWithin)
	}
	return v
}

// reports are the datagrams the server received that are not answers to
// its own downlink.
func (r *record) reports() []datagram {
	var out []datagram
	for _, d := range r.rx {
		if !r.isEcho(d.data) {
			out = append(out, d)
		}
	}
	return out
}

func judgeReports(r *record, c *Config) verdict {
	var v verdict
	att, ok := r.first(emulate.EvAttached, 0)
	reps := r.reports()
	v.fig("reports received", float64(len(reps)), "")
	if !ok {
		v.fail("the module never attached")
		return v
	}
	if len(reps) == 0 {
		v.fail("no report reached the server")
		return v
	}
	if first := reps[0].at; first > att+c.Period+slack(c) {
		v.fail("the first report came %v after the attach, more than a period (%v)", (first - att).Round(time.Second), c.Period)
	}
	span := r.end - reps[0].at
	want := int(span/c.Period) + 1 - 1 // one may be missing at the end
	if len(reps) < want {
		v.fail("%d reports in the %v after the first, %d expected at one per %v", len(reps), span.Round(time.Second), want, c.Period)
	}
	if len(reps) > 1 {
		v.fig("mean interval", (reps[len(reps)-1].at-reps[0].at).Seconds()/float64(len(reps)-1), " s")
	}
	return v
}

// slack is the allowance for scheduling when network time runs fast: a
// tenth of a second of wall time at the configured speed, at least 2 s.
func slack(c *Config) time.Duration {
	return max(2*time.Second, time.Duration(float64(100*time.Millisecond)*c.Speed))
}

func judgePSM(r *record, c *Config) verdict {
	var v verdict
	reps := r.uplinks()
	if len(reps) < 2 {
		v.fail("fewer than two uplinks: nothing to judge the sleep by")
		return v
	}
	from := reps[0]
	asleep := r.psmTime(from, r.end)
	share := asleep.Seconds() / (r.end - from).Seconds()
	v.fig("asleep", 100*share, " %")
	v.fig("PSM entries", float64(r.count(emulate.EvPSMEntered, from, r.end)), "")
	need := (c.Period - inactivity - grantT3324 - 10*time.Second).Seconds() / c.Period.Seconds()
	if need < 0 {
		v.skip = fmt.Sprintf("--period %v leaves no time to sleep after the inactivity timer (%v) and the active time (%v)", c.Period, inactivity, grantT3324)
		return v
	}
	if r.count(emulate.EvPSMEntered, 0, r.end) == 0 {
		v.fail("the module never entered PSM (did the firmware ask for it, AT+CPSMS=1?)")
		return v
	}
	if share < need {
		v.fail("asleep %.0f %% of the time from the first report, less than the %.0f %% the period allows", 100*share, 100*need)
	}
	return v
}

func judgeDownlink(r *record, c *Config) verdict {
	var v verdict
	if len(r.tx) == 0 {
		v.fail("no downlink was sent: the firmware sent fewer than two reports")
		return v
	}
	judgeAnswered(r, c, &v)
	return v
}

// judgeAnswered checks that the server's downlink came back.
func judgeAnswered(r *record, c *Config, v *verdict) {
	sent := r.tx[0]
	v.fig("downlink sent at", sent.at.Seconds(), " s")
	if sent.asleep {
		v.fig("held while asleep", 1, "")
	}
	for _, d := range r.rx {
		if string(d.data) == string(sent.data) && d.at >= sent.at {
			v.fig("answered after", (d.at - sent.at).Seconds(), " s")
			if d.at-sent.at > 2*c.Period {
				v.fail("the answer came %v after the downlink was sent, more than two periods", (d.at - sent.at).Round(time.Second))
			}
			return
		}
	}
	if at, ok := r.first(emulate.EvDownlink, sent.at); ok {
		v.fail("the module got the downlink at %v but the firmware never sent it back (not read?)", at.Round(time.Millisecond))
	} else {
		v.fail("the downlink never reached the module")
	}
}

func judgeEnergy(r *record, c *Config) verdict {
	var v verdict
	// From the first uplink to the last: whole reporting periods. Each
	// uplink is a report but the firmware's answers to the downlink.
	var ups []emulate.Event
	for _, ev := range r.events {
		if ev.Kind == emulate.EvUplink {
			ups = append(ups, ev)
		}
	}
	n := len(ups) - 1
	for _, d := range r.rx {
		if r.isEcho(d.data) {
			n--
		}
	}
	if n < 1 {
		v.fail("fewer than two reports: no energy per report")
		return v
	}
	per := (ups[len(ups)-1].Charge - ups[0].Charge) / float64(n)
	v.fig("energy per report", per*1000, " µAh")
	if r.energyEnd != nil {
		v.fig("battery", r.energyEnd.years, " years")
	}
	if c.EnergyBudget <= 0 {
		v.skip = "no --energy-budget"
		return v
	}
	if per > c.EnergyBudget {
		v.fail("%.1f µAh per report, over the budget of %.1f µAh", per*1000, c.EnergyBudget*1000)
	}
	return v
}

func judgeBackoff(r *record, c *Config) verdict {
	var v verdict
	from := faultAt(c)
	if _, ok := r.first(emulate.EvAttached, 0); !ok {
		v.fail("the module never attached")
		return v
	}
	n := r.attempts(from, from+outage)
	v.fig("attach attempts without coverage", float64(n), "")
	v.fig("attempts per hour", float64(n)/outage.Hours(), "")
	v.fig("RRC connections without coverage", float64(r.count(emulate.EvConnected, from, from+outage)), "")
	if n > attemptMax+1 {
		v.fail("%d attach attempts in the %v without coverage: more than the %d TS 24.301 allows before T3402 (a retry storm: the firmware forces attaches)", n, outage, attemptMax+1)
	}
	reportAfter(r, c, &v, from+outage, "coverage returned")
	return v
}

// reportAfter checks that a report reached the server within two periods
// after t.
func reportAfter(r *record, c *Config, v *verdict, t time.Duration, what string) {
	for _, d := range r.reports() {
		if d.at >= t {
			v.fig("report after "+what+" in", (d.at - t).Seconds(), " s")
			if d.at-t > 2*c.Period+slack(c) {
				v.fail("the first report after %s came %v later, more than two periods", what, (d.at - t).Round(time.Second))
			}
			return
		}
	}
	v.fail("no report reached the server after %s", what)
}

func judgeCoreRestart(r *record, c *Config) verdict {
	var v verdict
	at := faultAt(c)
	if _, ok := r.first(emulate.EvAttached, 0); !ok {
		v.fail("the module never attached")
		return v
	}
	again, ok := r.first(emulate.EvAttached, at)
	if !ok {
		v.fail("the module did not attach again after the core restarted")
	} else {
		v.fig("attached again after", (again - at).Seconds(), " s")
	}
	v.fig("attach attempts after the restart", float64(r.attempts(at, r.end)), "")
	reportAfter(r, c, &v, at+coreDown, "the core came back")
	return v
}

func judgeNATRebind(r *record, c *Config) verdict {
	var v verdict
	at := faultAt(c)
	var before, after []datagram
	for _, d := range r.reports() {
		if d.at < at {
			before = append(before, d)
		} else {
			after = append(after, d)
		}
	}
	if len(before) == 0 || len(after) == 0 {
		v.fail("%d reports before the rebinding and %d after: both are needed", len(before), len(after))
		return v
	}
	if before[len(before)-1].from != after[0].from {
		v.fig("new public port", 1, "")
	}
	if len(r.tx) == 0 {
		v.fail("no downlink was sent after the rebinding")
		return v
	}
	judgeAnswered(r, c, &v)
	return v
}

func judgeReject(r *record, c *Config, cause int) verdict {
	var v verdict
	ats := r.attemptTimes(0, rejectWindow)
	v.fig("attach attempts while rejecting", float64(len(ats)), "")
	v.fig("attempts per hour", float64(len(ats))/rejectWindow.Hours(), "")
	rejected := 0
	for _, ev := range r.events {
		if ev.Kind == emulate.EvAttachFailed && int(ev.Cause) == cause {
			rejected++
		}
	}
	if rejected == 0 {
		v.fail("no attach was rejected with cause #%d: the firmware never attached", cause)
		return v
	}
	if cause != 22 {
		if len(ats) > 2 {
			v.fail("%d attach attempts after reject #%d in %v: the firmware retries a PLMN or tracking area it must treat as forbidden", len(ats), cause, rejectWindow)
		}
		return v
	}
	for i := 1; i < len(ats); i++ {
		if ats[i]-ats[i-1] < rejectT3346-slack(c) {
			v.fail("attach attempts %v apart after reject #22: sooner than T3346 (%v)", (ats[i] - ats[i-1]).Round(time.Millisecond), rejectT3346)
			break
		}
	}
	if len(ats) > attemptMax {
		v.fail("%d attach attempts while congested: more than %d", len(ats), attemptMax)
	}
	if _, ok := r.first(emulate.EvAttached, rejectWindow); !ok {
		v.fail("not registered after the congestion ended")
	}
	return v
}
