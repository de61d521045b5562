package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// mustParse parses src (plus overrides) and fails the test on any error.
func mustParse(t *testing.T, src string, sets ...string) *Scenario {
	t.Helper()
	s, err := Parse([]byte(src), "test.yaml", sets)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

// parseErrs parses src and returns its problems (failing if there are none).
func parseErrs(t *testing.T, src string, sets ...string) Errors {
	t.Helper()
	s, err := Parse([]byte(src), "test.yaml", sets)
	if err == nil {
		t.Fatalf("Parse succeeded, want an error (scenario %+v)", s)
	}
	if s != nil {
		t.Errorf("Parse returned a scenario with an error")
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error is %T, want Errors: %v", err, err)
	}
	return es
}

func findErr(es Errors, path string) *Error {
	for _, e := range es {
		if e.Path == path {
			return e
		}
	}
	return nil
}

func TestShippedScenarios(t *testing.T) {
	infos := Shipped()
	if len(infos) < 9 {
		t.Fatalf("Shipped() = %d scenarios, want at least 9", len(infos))
	}
	for i, in := range infos {
		if i > 0 && infos[i-1].Name >= in.Name {
			t.Errorf("Shipped() not sorted: %q before %q", infos[i-1].Name, in.Name)
		}
		t.Run(in.Name, func(t *testing.T) {
			if in.Description == "" {
				t.Error("no description")
			}
			data, ok := ShippedFile(in.Name)
			if !ok {
				t.Fatal("ShippedFile: not found")
			}
			if !strings.HasPrefix(string(data), "#") {
				t.Error("the file does not start with a # comment")
			}
			s, err := Load(in.Name, nil)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if s.Name != in.Name {
				t.Errorf("Name = %q, want %q", s.Name, in.Name)
			}
			if err := s.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if len(s.Groups) == 0 {
				t.Error("no device groups")
			}
			if strings.HasPrefix(in.Name, "cow-collars") && s.Groups["collars"] == nil {
				t.Errorf("groups = %v, want a group named collars", s.GroupNames())
			}
			if _, err := Load(in.Name+".yaml", nil); err != nil {
				t.Errorf("Load(%q): %v", in.Name+".yaml", err)
			}
		})
	}
}

func TestShippedContents(t *testing.T) {
	load := func(name string) *Scenario {
		s, err := Load(name, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s
	}
	cc := load("cow-collars")
	c := cc.Groups["collars"]
	if c.Count != 20000 || c.Report.Period.D() != 3*time.Hour || !c.RAI || !cc.RRC.CDRX.Enabled || c.AntennaGainDbi != -5 {
		t.Errorf("cow-collars: %+v", c)
	}
	if ce := cc.RandomAccess.CE; len(ce) != 3 || ce[0].Periodicity.D() != 40*time.Millisecond || ce[0].NumSubcarriers != 24 ||
		ce[1].SubcarrierOffset != 24 || ce[2].SubcarrierOffset != 36 || ce[2].Format != 1 || ce[2].RepetitionsPerAttempt != 32 {
		t.Errorf("cow-collars CE levels: %+v", ce)
	}
	for name, want := range map[string][2]bool{ // cdrx, rai
		"cow-collars-psm": {false, false}, "cow-collars-cdrx": {true, false}, "cow-collars-rai": {true, true}, "cow-collars-sync": {false, false},
	} {
		s := load(name)
		if s.RRC.CDRX.Enabled != want[0] || s.Groups["collars"].RAI != want[1] {
			t.Errorf("%s: cdrx %v rai %v, want %v", name, s.RRC.CDRX.Enabled, s.Groups["collars"].RAI, want)
		}
	}
	if s := load("cow-collars-sync"); s.Groups["collars"].Report.Phase != "synchronised" || !reflect.DeepEqual(s.RandomAccess, Default().RandomAccess) {
		t.Errorf("cow-collars-sync: phase %q, random access %+v", s.Groups["collars"].Report.Phase, s.RandomAccess)
	}
	tr := load("tr37868")
	if tr.RandomAccess.Mode != "lte" || tr.RandomAccess.CollisionHandling != "undetected" || tr.Groups["devices"].Arrivals == nil ||
		tr.Groups["devices"].Arrivals.Model != "beta" || len(tr.Sites()) != 1 || tr.Sites()[0].Sectors != 1 || tr.Radio.NeighbourInterference {
		t.Errorf("tr37868: %+v", tr)
	}
	if s := load("scale-1m"); len(s.Sites()) != 50 || s.Groups["devices"].Count != 1000000 {
		t.Errorf("scale-1m: %d sites", len(s.Sites()))
	}
}

func TestDefaultsValidate(t *testing.T) {
	d := Default()
	if err := d.Validate(); err != nil {
		t.Fatalf("Default().Validate(): %v", err)
	}
	// With a default group, a layout, arrivals and an event.
	g := DefaultGroup()
	a := defaultArrival()
	g.Arrivals = &a
	g.Events = []Burst{defaultBurst()}
	g.EDRX.Enabled = true
	d.Groups["g"] = &g
	l := defaultSiteLayout()
	d.SiteLayout = &l
	if err := d.Validate(); err != nil {
		t.Fatalf("defaults with a group: %v", err)
	}
	// Default() returns a fresh value every time.
	d1, d2 := Default(), Default()
	d1.RandomAccess.CE[0].Periodicity = 0
	d1.Radio.CERSRPThresholdsDbm[0] = 0
	if d2.RandomAccess.CE[0].Periodicity == 0 || d2.Radio.CERSRPThresholdsDbm[0] == 0 {
		t.Error("Default() shares slices between calls")
	}
}

func TestDefaultValues(t *testing.T) {
	d := Default()
	g := DefaultGroup()
	checks := []struct {
		name      string
		got, want any
	}{
		{"seed", d.Seed, uint64(1)},
		{"duration", d.Duration.D(), 24 * time.Hour},
		{"band", d.Radio.Band, "B20"},
		{"mcl", d.Radio.MaxCouplingLossDb, 164.0},
		{"thresholds", d.Radio.CERSRPThresholdsDbm, []float64{-110, -120}},
		{"sites", d.Sites(), []Site{{Name: "site1", Sectors: 3}}},
		{"preamble_trans_max_ce", d.RandomAccess.PreambleTransMaxCE, 10},
		{"barring", d.RandomAccess.Barring, Barring{Factor: 1, Time: Duration(4 * time.Second)}},
		{"ce2 npdsch", d.RandomAccess.CE[2].NPDSCHMaxRepetitions, 256},
		{"lte cr", d.RandomAccess.LTE.CRTimer.D(), 48 * time.Millisecond},
		{"cdrx cycle", d.RRC.CDRX.Cycle.D(), 2048 * time.Millisecond},
		{"t3324 max", d.Core.PSM.Max.D(), 186 * time.Minute},
		{"t3412 max", d.Core.PSM.T3412Max.D(), 9920 * time.Hour},
		{"edrx max", d.Core.EDRX.Max.D(), 10485760 * time.Millisecond},
		{"group count", g.Count, 100},
		{"power_on", g.PowerOn, Arrival{Model: "uniform", Window: Duration(time.Minute)}},
		{"receive", g.Power.ReceiveMW, 194.0},
		{"battery", g.Battery.CapacityMAh, 7700.0},
		{"data path", g.DataPath, "control-plane"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestParseEmptyAndName(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "~\n", "---\n"} {
		s := mustParse(t, src)
		if s.Name != "test" {
			t.Errorf("%q: Name = %q, want test (from the file name)", src, s.Name)
		}
		want := Default()
		want.Name = "test"
		if !reflect.DeepEqual(*s, want) {
			t.Errorf("%q: not the defaults:\n%+v", src, *s)
		}
	}
	s, err := Parse([]byte("name: mine\n"), "x.yaml", nil)
	if err != nil || s.Name != "mine" {
		t.Errorf("name: mine → %v, %v", s, err)
	}
	if s, err := Parse(nil, "", nil); err != nil || s.Name != "" {
		t.Errorf("no file name → %v, %v", s, err)
	}
}

func TestGroupDefaults(t *testing.T) {
	s := mustParse(t, `
groups:
  a:
    count: 5
    report: {period: 1h}
    placement: {radius_m: 300}
  b:
`)
	if got := s.GroupNames(); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("GroupNames = %v", got)
	}
	want := DefaultGroup()
	want.Count = 5
	want.Report.Period = Duration(time.Hour)
	want.Placement.RadiusM = 300
	if !reflect.DeepEqual(*s.Groups["a"], want) {
		t.Errorf("group a:\n got %+v\nwant %+v", *s.Groups["a"], want)
	}
	if !reflect.DeepEqual(*s.Groups["b"], DefaultGroup()) {
		t.Errorf("group b (null) is not the default group: %+v", *s.Groups["b"])
	}
}

func TestListEntriesStartFromDefaults(t *testing.T) {
	s := mustParse(t, `
random_access:
  ce:
    - {periodicity: 40ms, num_subcarriers: 24}
    - {subcarrier_offset: 24}
    - {subcarrier_offset: 36}
sites:
  - {name: a}
  - {name: b, x_m: 1000}
`)
	ce := s.RandomAccess.CE
	def := defaultCE()
	def[0].Periodicity, def[0].NumSubcarriers = Duration(40*time.Millisecond), 24
	def[1].SubcarrierOffset = 24
	def[2].SubcarrierOffset = 36
	if !reflect.DeepEqual(ce, def) {
		t.Errorf("CE:\n got %+v\nwant %+v", ce, def)
	}
	want := []Site{{Name: "a", Sectors: 3}, {Name: "b", XM: 1000, Sectors: 3}}
	if !reflect.DeepEqual(s.Sites(), want) {
		t.Errorf("sites = %+v", s.Sites())
	}
	one := mustParse(t, "random_access:\n  ce: [{}]\nradio:\n  ce_rsrp_thresholds_dbm: []\n")
	if len(one.RandomAccess.CE) != 1 || one.RandomAccess.CE[0] != defaultCE()[0] {
		t.Errorf("ce: [{}] → %+v", one.RandomAccess.CE)
	}
}

func TestOptionalSections(t *testing.T) {
	s := mustParse(t, "site_layout: {count: 7}\ngroups:\n  g:\n    arrivals: {}\n")
	if s.SiteLayout == nil || *s.SiteLayout != (SiteLayout{Count: 7, ISDM: 1732, Sectors: 3}) {
		t.Errorf("site_layout = %+v", s.SiteLayout)
	}
	if a := s.Groups["g"].Arrivals; a == nil || *a != defaultArrival() {
		t.Errorf("arrivals = %+v", a)
	}
	s = mustParse(t, "site_layout: ~\n")
	if s.SiteLayout != nil {
		t.Error("site_layout: ~ did not remove the layout")
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	s := mustParse(t, `
groups:
  a: &a
    count: 10
    report: {period: 1h, uplink_bytes: 20}
  b:
    <<: *a
    count: 20
`, "groups.a.count=11")
	if s.Groups["a"].Count != 11 || s.Groups["b"].Count != 20 || s.Groups["b"].Report.UplinkBytes != 20 {
		t.Errorf("a %+v\nb %+v", s.Groups["a"], s.Groups["b"])
	}
	// An override through an alias changes only the aliased use.
	s = mustParse(t, "groups:\n  a: &a {count: 10}\n  b: *a\n", "groups.b.count=30")
	if s.Groups["a"].Count != 10 || s.Groups["b"].Count != 30 {
		t.Errorf("a %d b %d, want 10 30", s.Groups["a"].Count, s.Groups["b"].Count)
	}
}

func TestSet(t *testing.T) {
	base := "groups:\n  collars:\n    count: 10\n"
	s := mustParse(t, base,
		"groups.collars.count=40000",
		"random_access.ce.0.periodicity=160ms",
		"radio.band=B8",
		"radio.ce_rsrp_thresholds_dbm=[-100,-115]",
		"duration=7d",
		"signalling=encoded",
		"seed=42",
		"groups.collars.report.period=1h",
		"groups.collars.events.0.at=2h",
		"expect.0=access_success_probability >= 0.9",
		"site_layout.count=19",
		"groups.collars.placement={shape: ring, min_m: 100, max_m: 900}",
		"description=",
	)
	g := s.Groups["collars"]
	switch {
	case g.Count != 40000:
		t.Errorf("count %d", g.Count)
	case len(s.RandomAccess.CE) != 3 || s.RandomAccess.CE[0].Periodicity.D() != 160*time.Millisecond || s.RandomAccess.CE[1] != defaultCE()[1]:
		t.Errorf("CE %+v", s.RandomAccess.CE)
	case s.Radio.Band != "B8" || !reflect.DeepEqual(s.Radio.CERSRPThresholdsDbm, []float64{-100, -115}):
		t.Errorf("radio %+v", s.Radio)
	case s.Duration.D() != 7*24*time.Hour || s.Signalling != "encoded" || s.Seed != 42:
		t.Errorf("duration %v signalling %q seed %d", s.Duration, s.Signalling, s.Seed)
	case g.Report.Period.D() != time.Hour || g.Report.UplinkBytes != 50:
		t.Errorf("report %+v", g.Report)
	case len(g.Events) != 1 || g.Events[0].At.D() != 2*time.Hour || g.Events[0].Model != "uniform":
		t.Errorf("events %+v", g.Events)
	case !reflect.DeepEqual(s.Expect, []string{"access_success_probability >= 0.9"}):
		t.Errorf("expect %q", s.Expect)
	case s.SiteLayout == nil || s.SiteLayout.Count != 19 || s.SiteLayout.ISDM != 1732 || len(s.Sites()) != 19:
		t.Errorf("site_layout %+v", s.SiteLayout)
	case g.Placement.Shape != "ring" || g.Placement.MaxM != 900 || g.Placement.RadiusM != 2000:
		t.Errorf("placement %+v", g.Placement)
	}
	// Later overrides win; an override replaces a file value.
	s = mustParse(t, "duration: 2h\n", "duration=3h", "duration=4h")
	if s.Duration.D() != 4*time.Hour {
		t.Errorf("duration %v, want 4h", s.Duration)
	}
	// Overrides into null sections.
	s = mustParse(t, "radio:\nrandom_access:\n  ce:\n", "radio.band=B3", "random_access.ce.0.format=1", "radio.ce_rsrp_thresholds_dbm=[]")
	if s.Radio.Band != "B3" || len(s.RandomAccess.CE) != 1 || s.RandomAccess.CE[0].Format != 1 {
		t.Errorf("band %q CE %+v", s.Radio.Band, s.RandomAccess.CE)
	}
}

func TestSetErrors(t *testing.T) {
	base := "groups:\n  collars: {count: 10}\n  meters: {count: 10}\n"
	cases := []struct {
		set, path, msg, allowed string
	}{
		{"radio.bandd=B8", "radio.bandd", `unknown key "bandd"`, "band, deployment"},
		{"nope=1", "nope", `unknown key "nope"`, "name, description"},
		{"groups.cows.count=1", "groups.cows", `no group "cows"`, "collars, meters"},
		{"groups.collars.count=abc", "groups.collars.count", `expected an integer, got "abc"`, ""},
		{"groups.collars.count=-3", "groups.collars.count", "must not be negative", ""},
		{"random_access.ce.0.periodicity=50ms", "random_access.ce.0.periodicity", "50ms is not a 3GPP value", "40ms, 80ms"},
		{"random_access.ce.5.format=1", "random_access.ce.5", "index 5 out of range", ""},
		{"random_access.ce.x.format=1", "random_access.ce.x", "expected an index", ""},
		{"duration.days=1", "duration.days", `no key "days"`, ""},
		{"duration=soon", "duration", `invalid duration "soon"`, ""},
		{"radio.band", "radio.band", "expected key.path=value", ""},
		{"=B8", "", "expected key.path=value", ""},
		{"radio..band=B8", "radio..band", "empty key", ""},
		{"radio.band=[B8", "radio.band", "invalid value", ""},
	}
	for _, c := range cases {
		t.Run(c.set, func(t *testing.T) {
			es := parseErrs(t, base, c.set)
			e := es[0]
			if e.File != SetFile || e.Line != 0 {
				t.Errorf("position %s:%d, want --set:0", e.File, e.Line)
			}
			if !strings.HasSuffix(e.Path, c.path) || !strings.Contains(e.Msg, c.msg) || !strings.Contains(e.Allowed, c.allowed) {
				t.Errorf("got %v\nwant path %q msg %q allowed %q", e, c.path, c.msg, c.allowed)
			}
			if !strings.HasPrefix(e.Error(), "--set: ") {
				t.Errorf("Error() = %q", e.Error())
			}
		})
	}
	// No groups at all.
	es := parseErrs(t, "", "groups.collars.count=1")
	if !strings.Contains(es[0].Msg, "it has no groups") {
		t.Errorf("got %v", es)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		path, msg string
		allowed   string
	}{
		{"periodicity", "random_access:\n  ce:\n    - periodicity: 50ms\n", 3, "random_access.ce.0.periodicity", "50ms is not a 3GPP value", "40ms, 80ms, 160ms, 240ms, 320ms, 640ms, 1.28s, 2.56s"},
		{"unknown key", "radio:\n  band: B8\n  bnad: B8\n", 3, "radio.bnad", `unknown key "bnad"`, "band, deployment, pathloss"},
		{"unknown top key", "durration: 7d\n", 1, "durration", `unknown key "durration"`, "name, description, seed, duration"},
		{"wrong type int", "groups:\n  g:\n    count: many\n", 3, "groups.g.count", `expected an integer, got "many"`, ""},
		{"wrong type float", "radio:\n  enb_height_m: high\n", 2, "radio.enb_height_m", `expected a number, got "high"`, ""},
		{"wrong type bool", "rrc:\n  honour_rai: yes please\n", 2, "rrc.honour_rai", "expected true or false", ""},
		{"wrong type mapping", "radio: [1, 2]\n", 1, "radio", "expected a mapping of keys, got a list", ""},
		{"wrong type list", "expect: x > 1\n", 1, "expect", "expected a list", ""},
		{"fraction count", "groups:\n  g:\n    count: 1.5\n", 3, "groups.g.count", "expected an integer", ""},
		{"negative count", "groups:\n  g:\n    count: -5\n", 3, "groups.g.count", "must not be negative", ""},
		{"zero count", "groups:\n  g:\n    count: 0\n", 3, "groups.g.count", "at least 1", ""},
		{"bad duration", "duration: 7x\n", 1, "duration", `invalid duration "7x"`, ""},
		{"negative duration", "rrc:\n  inactivity_timer: -1s\n", 2, "rrc.inactivity_timer", "must not be negative", ""},
		{"zero duration", "duration: 0\n", 1, "duration", "greater than 0", ""},
		{"long duration", "duration: 401d\n", 1, "duration", "longer than the maximum of 400d", ""},
		{"null value", "seed:\n", 1, "seed", "got nothing (null)", ""},
		{"yaml syntax", "radio:\n  band: B8\n bad\n", 3, "", "invalid YAML", ""},
		{"top-level list", "- a\n- b\n", 1, "", "must be a mapping", ""},
		{"band", "radio: {band: B9}\n", 1, "radio.band", `"B9" is not allowed`, "B3, B5, B8, B20, B28"},
		{"signalling", "signalling: exact\n", 1, "signalling", "not allowed", "typed, encoded"},
		{"mode", "random_access:\n  mode: 5g\n", 2, "random_access.mode", "not allowed", "nbiot, lte"},
		{"backoff", "random_access:\n  backoff_index: 13\n", 2, "random_access.backoff_index", "out of range", "0..12"},
		{"harq", "random_access:\n  max_harq_msg3_tx: 9\n", 2, "random_access.max_harq_msg3_tx", "out of range", "1..8"},
		{"barring factor", "random_access:\n  barring: {factor: 0.33}\n", 2, "random_access.barring.factor", "not a 3GPP value", "0, 0.05"},
		{"barring time", "random_access:\n  barring:\n    time: 5s\n", 3, "random_access.barring.time", "not a 3GPP value", "4s, 8s"},
		{"ce count", "random_access:\n  ce: []\n", 2, "random_access.ce", "0 CE levels", ""},
		{"ce overlap", "random_access:\n  ce:\n    - {}\n    - {subcarrier_offset: 0}\n    - {}\n", 4, "random_access.ce.1.subcarrier_offset", "overlap", ""},
		{"ce beyond 48", "random_access:\n  ce:\n    - {}\n    - {}\n    - {subcarrier_offset: 36, num_subcarriers: 24}\n", 5, "random_access.ce.2.num_subcarriers", "exceeds the 48", ""},
		{"cbra", "random_access:\n  ce:\n    - {num_cbra_start_subcarriers: 24}\n    - {}\n    - {}\n", 3, "random_access.ce.0.num_cbra_start_subcarriers", "more than num_subcarriers 12", ""},
		{"cbra set", "random_access:\n  ce:\n    - {num_cbra_start_subcarriers: 9}\n    - {}\n    - {}\n", 3, "random_access.ce.0.num_cbra_start_subcarriers", "not a 3GPP value", "8, 10, 11"},
		{"format", "random_access:\n  ce:\n    - {format: 2}\n    - {}\n    - {}\n", 3, "random_access.ce.0.format", "not a 3GPP value", "0, 1"},
		{"npusch reps", "random_access:\n  ce:\n    - {npusch_max_repetitions: 3}\n    - {}\n    - {}\n", 3, "random_access.ce.0.npusch_max_repetitions", "not a 3GPP value", "1, 2, 4, 8, 16, 32, 64, 128"},
		{"npdsch reps", "random_access:\n  ce:\n    - {npdsch_max_repetitions: 100}\n    - {}\n    - {}\n", 3, "random_access.ce.0.npdsch_max_repetitions", "not a 3GPP value", "192, 256, 384"},
		{"nprach fit", "random_access:\n  ce:\n    - {}\n    - {}\n    - {repetitions_per_attempt: 128}\n", 5, "random_access.ce.2.repetitions_per_attempt", "does not fit in the periodicity 640ms", ""},
		{"thresholds count", "radio:\n  ce_rsrp_thresholds_dbm: [-110]\n", 2, "radio.ce_rsrp_thresholds_dbm", "1 thresholds but 3 CE levels", ""},
		{"thresholds order", "radio:\n  ce_rsrp_thresholds_dbm: [-120, -110]\n", 2, "radio.ce_rsrp_thresholds_dbm.1", "strictly descending", ""},
		{"alpha", "radio: {npusch_alpha: 0.3}\n", 1, "radio.npusch_alpha", "not a 3GPP value", "0, 0.4"},
		{"cdrx cycle", "rrc:\n  cdrx:\n    cycle: 2s\n", 3, "rrc.cdrx.cycle", "not a 3GPP value", "256ms, 512ms, 1.024s, 1.536s, 2.048s"},
		{"paging cycle", "rrc:\n  default_paging_cycle: 2s\n", 2, "rrc.default_paging_cycle", "not a 3GPP value", "1.28s, 2.56s, 5.12s, 10.24s"},
		{"paging rmax", "rrc:\n  npdcch_num_repetition_paging: 3\n", 2, "rrc.npdcch_num_repetition_paging", "not a 3GPP value", "1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048"},
		{"policy", "core:\n  psm: {policy: maybe}\n", 2, "core.psm.policy", "not allowed", "grant, clamp, refuse"},
		{"policy range", "core:\n  psm:\n    min: 1h\n    max: 10m\n", 3, "core.psm.min", "greater than max", ""},
		{"t3324 max", "core:\n  psm:\n    max: 200m\n", 3, "core.psm.max", "more than the T3324 maximum of 186m", ""},
		{"t3324", "groups:\n  g:\n    psm: {t3324: 4h}\n", 3, "groups.g.psm.t3324", "T3324 maximum", ""},
		{"t3412", "groups:\n  g:\n    psm:\n      t3412: 500d\n", 4, "groups.g.psm.t3412", "T3412 maximum of 9920h", ""},
		{"edrx cycle", "groups:\n  g:\n    edrx: {cycle: 30s}\n", 3, "groups.g.edrx.cycle", "not a 3GPP value", "20.48s, 40.96s"},
		{"edrx ptw", "groups:\n  g:\n    edrx: {ptw: 3s}\n", 3, "groups.g.edrx.ptw", "not a 3GPP value", "2.56s, 5.12s"},
		{"probability", "groups:\n  g:\n    report: {reply_probability: 1.5}\n", 3, "groups.g.report.reply_probability", "not a probability", "0..1"},
		{"uplink bytes", "groups:\n  g:\n    report: {uplink_bytes: 0}\n", 3, "groups.g.report.uplink_bytes", "out of range", "1..1600"},
		{"reply bytes", "groups:\n  g:\n    report: {reply_bytes: 2000}\n", 3, "groups.g.report.reply_bytes", "out of range", "0..1600"},
		{"phase", "groups:\n  g:\n    report: {phase: random}\n", 3, "groups.g.report.phase", "not allowed", "staggered, synchronised"},
		{"arrival model", "groups:\n  g:\n    power_on: {model: poisson}\n", 3, "groups.g.power_on.model", "not allowed", "uniform, beta, at-once"},
		{"arrival window", "groups:\n  g:\n    arrivals: {window: 0s}\n", 3, "groups.g.arrivals.window", "greater than 0", ""},
		{"data path", "groups:\n  g:\n    data_path: sms\n", 3, "groups.g.data_path", "not allowed", "control-plane, user-plane"},
		{"shape", "groups:\n  g:\n    placement: {shape: square}\n", 3, "groups.g.placement.shape", "not allowed", "disc, ring, rectangle, area"},
		{"disc radius", "groups:\n  g:\n    placement: {radius_m: 0}\n", 3, "groups.g.placement.radius_m", "greater than 0", ""},
		{"rectangle size", "groups:\n  g:\n    placement: {shape: rectangle, width_m: 10}\n", 3, "groups.g.placement.height_m", "greater than 0", ""},
		{"ring", "groups:\n  g:\n    placement: {shape: ring, min_m: 500, max_m: 100}\n", 3, "groups.g.placement.max_m", "greater than min_m", ""},
		{"placement site", "groups:\n  g:\n    placement: {site: farm}\n", 3, "groups.g.placement.site", `no site named "farm"`, "site1"},
		{"group name", "groups:\n  a.b: {}\n", 2, "groups.a.b", "invalid group name", ""},
		{"sectors", "sites:\n  - {name: a, sectors: 2}\n", 2, "sites.0.sectors", "not a 3GPP value", "1, 3"},
		{"duplicate site", "sites:\n  - {name: a}\n  - {name: a}\n", 3, "sites.1.name", "duplicate site name", ""},
		{"unnamed site", "sites:\n  - {}\n  - {x_m: 5}\n", 3, "sites.1.name", "needs a name", ""},
		{"no sites", "sites: []\n", 1, "sites", "at least one site", ""},
		{"layout count", "site_layout: {count: 0}\n", 1, "site_layout.count", "at least 1", ""},
		{"layout isd", "site_layout:\n  isd_m: 0\n", 2, "site_layout.isd_m", "greater than 0", ""},
		{"pa efficiency", "groups:\n  g:\n    power: {pa_efficiency: 0}\n", 3, "groups.g.power.pa_efficiency", "out of range", ""},
		{"negative power", "groups:\n  g:\n    power: {receive_mw: -1}\n", 3, "groups.g.power.receive_mw", "must not be negative", ""},
		{"battery", "groups:\n  g:\n    battery: {capacity_mah: 0}\n", 3, "groups.g.battery.capacity_mah", "greater than 0", ""},
		{"total devices", "groups:\n  a: {count: 60000000}\n  b: {count: 60000000}\n", 1, "groups", "120000000 devices in all", ""},
		{"too many devices", "groups:\n  a: {count: 100000001}\n", 2, "groups.a.count", "more than the maximum", ""},
		{"expect syntax", "expect:\n  - access_success_probability => 0.9\n", 2, "expect.0", "expected PATH OP NUMBER", ""},
		{"expect number", "expect:\n  - x >= high\n", 2, "expect.0", "not a finite number", ""},
		{"infinite", "radio: {enb_height_m: .inf}\n", 1, "radio.enb_height_m", "finite number", ""},
		{"lte rar window", "random_access:\n  lte: {rar_window: 11ms}\n", 2, "random_access.lte.rar_window", "not a 3GPP value", "2ms, 3ms"},
		{"merge of scalar", "radio:\n  <<: 5\n", 2, "radio", "merge key", ""},
		{"events fraction", "groups:\n  g:\n    events:\n      - {fraction: 2}\n", 4, "groups.g.events.0.fraction", "not a probability", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es := parseErrs(t, c.src)
			e := findErr(es, c.path)
			if e == nil {
				t.Fatalf("no error at path %q; got:\n%v", c.path, es)
			}
			if e.File != "test.yaml" || e.Line != c.line {
				t.Errorf("position %s:%d, want test.yaml:%d (%v)", e.File, e.Line, c.line, e)
			}
			if !strings.Contains(e.Msg, c.msg) {
				t.Errorf("message %q does not contain %q", e.Msg, c.msg)
			}
			if !strings.Contains(e.Allowed, c.allowed) {
				t.Errorf("allowed %q does not contain %q", e.Allowed, c.allowed)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "f.yaml", Line: 3, Path: "a.b", Msg: "bad", Allowed: "x, y"}
	if got, want := e.Error(), "f.yaml:3: a.b: bad (allowed: x, y)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = &Error{File: SetFile, Path: "radio.band", Msg: "bad"}
	if got, want := e.Error(), "--set: radio.band: bad"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = &Error{Path: "duration", Msg: "bad"}
	if got, want := e.Error(), "duration: bad"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	es := Errors{{Path: "a", Msg: "x"}, {Path: "b", Msg: "y"}}
	if got := es.Error(); got != "a: x\nb: y" {
		t.Errorf("Errors.Error() = %q", got)
	}
	var target *Error
	if !errors.As(error(es), &target) || target.Path != "a" {
		t.Errorf("errors.As found %v", target)
	}
}

func TestParseCollectsErrors(t *testing.T) {
	src := `
duration: -1h
radio:
  band: B99
  nonsense: 1
random_access:
  ce:
    - periodicity: 50ms
groups:
  g:
    count: -5
    report: {reply_probability: 2}
`
	es := parseErrs(t, src, "radio.pathloss=indoor")
	for _, p := range []string{"duration", "radio.band", "radio.nonsense", "random_access.ce.0.periodicity", "groups.g.count", "groups.g.report.reply_probability", "radio.pathloss"} {
		if findErr(es, p) == nil {
			t.Errorf("no error at %s", p)
		}
	}
	// File errors come first in line order, then the overrides.
	for i := 1; i < len(es); i++ {
		if es[i].Line > 0 && (es[i-1].Line > es[i].Line || es[i-1].Line == 0) {
			t.Errorf("errors out of order:\n%v", es)
			break
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "farm.yaml")
	if err := os.WriteFile(p, []byte("groups:\n  cows: {count: 7}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(p, []string{"groups.cows.count=8"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "farm" || s.Groups["cows"].Count != 8 {
		t.Errorf("name %q count %d", s.Name, s.Groups["cows"].Count)
	}
	// A file with an error reports the path given.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("seed: -1\n"), 0o644)
	_, err = Load(bad, nil)
	if err == nil || !strings.HasPrefix(err.Error(), bad+":1: seed: expected a non-negative integer") {
		t.Errorf("Load(bad) = %v", err)
	}
}

func TestLoadUnknownScenario(t *testing.T) {
	_, err := Load("no-such-scenario", nil)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Load: %v", err)
	}
	if !strings.Contains(e.Msg, "no such scenario file or shipped scenario") || !strings.Contains(e.Allowed, "cow-collars, cow-collars-cdrx") {
		t.Errorf("got %v", err)
	}
	if !strings.HasPrefix(err.Error(), "no-such-scenario: ") {
		t.Errorf("Error() = %q", err.Error())
	}
	for _, bad := range []string{"", ".", "../scenarios/cow-collars", "cow-collars/x"} {
		if _, ok := ShippedFile(bad); ok {
			t.Errorf("ShippedFile(%q) found something", bad)
		}
	}
}
