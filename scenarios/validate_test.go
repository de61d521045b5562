package scenarios

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestValidateCollectsAll(t *testing.T) {
	s := Default()
	s.Duration = 0
	s.Radio.Band = "B1"
	s.RandomAccess.CE[0].Periodicity = Duration(50 * time.Millisecond)
	s.RandomAccess.CE[1].SubcarrierOffset = 0 // overlaps CE0
	s.RandomAccess.CE[2].NPDCCHOffsetRA = 0.5 // not an α_offset
	s.RandomAccess.BackoffIndex = -1
	s.RandomAccess.LTE.Msg4HARQRTT = 0
	s.RandomAccess.LTE.PreambleProcessing = Duration(-time.Millisecond)
	g := DefaultGroup()
	g.Count = -5
	g.Report.ReplyProbability = math.NaN()
	g.Placement.Site = "nowhere"
	s.Groups["g"] = &g
	s.Groups["nil"] = nil
	s.Expect = []string{"x >> 1"}

	err := s.Validate()
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Validate() = %v, want Errors", err)
	}
	want := map[string]string{
		"duration":                              "greater than 0",
		"radio.band":                            "not allowed",
		"random_access.ce.0.periodicity":        "not a 3GPP value",
		"random_access.ce.1.subcarrier_offset":  "overlap",
		"random_access.ce.2.npdcch_offset_ra":   "not a 3GPP value",
		"random_access.backoff_index":           "must not be negative",
		"random_access.lte.msg4_harq_rtt":       "greater than 0",
		"random_access.lte.preamble_processing": "must not be negative",
		"groups.g.count":                        "must not be negative",
		"groups.g.report.reply_probability":     "finite number",
		"groups.g.placement.site":               "no site named",
		"groups.nil":                            "empty group",
		"expect.0":                              "PATH OP NUMBER",
	}
	for p, msg := range want {
		e := findErr(es, p)
		if e == nil {
			t.Errorf("no error at %s", p)
			continue
		}
		if !strings.Contains(e.Msg, msg) {
			t.Errorf("%s: %q does not contain %q", p, e.Msg, msg)
		}
		if e.File != "" || e.Line != 0 {
			t.Errorf("%s: Validate gave a position %s:%d", p, e.File, e.Line)
		}
	}
	// One error per path.
	seen := map[string]bool{}
	for _, e := range es {
		if seen[e.Path] {
			t.Errorf("two errors at %s", e.Path)
		}
		seen[e.Path] = true
	}
	var nilScenario *Scenario
	if nilScenario.Validate() == nil {
		t.Error("nil scenario validated")
	}
}

func TestValidationBoundaries(t *testing.T) {
	ok := func(name string, f func(*Scenario)) {
		t.Helper()
		s := Default()
		g := DefaultGroup()
		s.Groups["g"] = &g
		f(&s)
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	ok("npdcch_offset_ra 3/8", func(s *Scenario) { s.RandomAccess.CE[1].NPDCCHOffsetRA = 0.375 })
	ok("every NPRACH periodicity", func(s *Scenario) { s.RandomAccess.CE[2].Periodicity = Duration(2560 * time.Millisecond) })
	ok("one CE level", func(s *Scenario) { s.RandomAccess.CE = s.RandomAccess.CE[:1]; s.Radio.CERSRPThresholdsDbm = nil })
	ok("offset 36 + 12 = 48", func(s *Scenario) { s.RandomAccess.CE[2].SubcarrierOffset = 36 })
	ok("cbra 12 of 12", func(s *Scenario) { s.RandomAccess.CE[0].NumCBRAStart = 12 })
	ok("T3324 186m", func(s *Scenario) { s.Groups["g"].PSM.T3324 = Duration(186 * time.Minute) })
	ok("T3412 9920h", func(s *Scenario) { s.Groups["g"].PSM.T3412 = Duration(9920 * time.Hour) })
	ok("eDRX 10485.76s, PTW 40.96s", func(s *Scenario) {
		s.Groups["g"].EDRX = EDRXRequest{Enabled: true, Cycle: Duration(10485760 * time.Millisecond), PTW: Duration(40960 * time.Millisecond)}
	})
	ok("C-DRX sf9216", func(s *Scenario) { s.RRC.CDRX.Cycle = Duration(9216 * time.Millisecond) })
	ok("100,000,000 devices", func(s *Scenario) {
		s.Groups["g"].Count = 60000000
		h := DefaultGroup()
		h.Count = 40000000
		s.Groups["h"] = &h
	})
	ok("400 days", func(s *Scenario) { s.Duration = Duration(400 * 24 * time.Hour) })
	ok("probabilities 0 and 1", func(s *Scenario) { s.Groups["g"].Report.ReplyProbability = 1; s.RandomAccess.LTE.HARQErrorRate = 0 })
	ok("1600 bytes", func(s *Scenario) { s.Groups["g"].Report.UplinkBytes = 1600 })
	ok("barring p50 s512", func(s *Scenario) {
		s.RandomAccess.Barring = Barring{Factor: 0.5, Time: Duration(512 * time.Second)}
	})
	ok("layout names for placement", func(s *Scenario) {
		s.SiteLayout = &SiteLayout{Count: 7, ISDM: 500, Sectors: 1}
		s.SiteList = nil
		s.Groups["g"].Placement.Site = "site7"
	})
	ok("at-once arrivals need no window", func(s *Scenario) {
		s.Groups["g"].Arrivals = &Arrival{Model: "at-once"}
	})
	ok("expectations", func(s *Scenario) {
		s.Expect = []string{"access_success_probability >= 0.99", "groups.collars.battery_years.p5>=5", "x != -1e-3", "a.b == 2"}
	})
}

func TestCheckExpect(t *testing.T) {
	for _, bad := range []string{"", "x", "x = 1", "x >= ", ">= 1", "x >= NaN", "x >= inf", ".x >= 1", "x. >= 1", "a..b < 1", "x >= 1 2", "x => 1"} {
		if checkExpect(bad) == nil {
			t.Errorf("checkExpect(%q) = nil", bad)
		}
	}
	if err := checkExpect("x = 1"); err == nil || !strings.Contains(err.Error(), "use ==") {
		t.Errorf("checkExpect(x = 1) = %v, want a hint", err)
	}
}

func TestSitesLayout(t *testing.T) {
	for _, n := range []int{1, 3, 7, 19, 50, 61} {
		s := Default()
		s.SiteLayout = &SiteLayout{Count: n, ISDM: 1000, Sectors: 3}
		sites := s.Sites()
		if len(sites) != n {
			t.Fatalf("count %d: %d sites", n, len(sites))
		}
		if sites[0].XM != 0 || sites[0].YM != 0 || sites[0].Name != "site1" {
			t.Errorf("first site %+v", sites[0])
		}
		for i, a := range sites {
			if a.Name != "site"+strconv.Itoa(i+1) || a.Sectors != 3 {
				t.Errorf("site %d: %+v", i, a)
			}
			// Ring k sites are between k·ISD·√3/2 and k·ISD from the centre.
			k := ringOf(i)
			r := math.Hypot(a.XM, a.YM)
			if r < float64(k)*1000*math.Sqrt(3)/2-1 || r > float64(k)*1000+1 {
				t.Errorf("site %d (ring %d) at distance %.1f", i+1, k, r)
			}
			for _, b := range sites[:i] {
				if d := math.Hypot(a.XM-b.XM, a.YM-b.YM); d < 1000-0.01 {
					t.Errorf("%s and %s only %.1f m apart", a.Name, b.Name, d)
				}
			}
		}
		if n >= 7 {
			for _, a := range sites[1:7] {
				if d := math.Hypot(a.XM, a.YM); math.Abs(d-1000) > 0.01 {
					t.Errorf("ring-1 %s at %.3f m", a.Name, d)
				}
			}
		}
	}
	// Explicit sites are returned as a copy; the layout wins over them.
	s := Default()
	got := s.Sites()
	got[0].Name = "changed"
	if s.SiteList[0].Name != "site1" {
		t.Error("Sites() returned the scenario's own slice")
	}
	s.SiteLayout = &SiteLayout{Count: 2, ISDM: 10, Sectors: 1}
	if got := s.Sites(); len(got) != 2 || got[1].Name != "site2" || got[1].XM != 10 {
		t.Errorf("layout sites %+v", got)
	}
	// Absurd counts neither panic nor allocate without bound.
	s.SiteLayout.Count = math.MaxInt
	if got := len(s.Sites()); got != MaxSites {
		t.Errorf("%d sites for MaxInt", got)
	}
	s.SiteLayout.Count = -1
	if got := s.Sites(); len(got) != 0 {
		t.Errorf("%d sites for -1", len(got))
	}
}

func ringOf(i int) int {
	k, n := 0, 1
	for i >= n {
		k++
		n += 6 * k
	}
	return k
}

func TestGroupNamesSorted(t *testing.T) {
	s := Default()
	for _, n := range []string{"zeta", "alpha", "Mid", "beta"} {
		g := DefaultGroup()
		s.Groups[n] = &g
	}
	got := strings.Join(s.GroupNames(), ",")
	if got != "Mid,alpha,beta,zeta" {
		t.Errorf("GroupNames = %s", got)
	}
}

func TestDurations(t *testing.T) {
	cases := map[string]time.Duration{
		"40ms": 40 * time.Millisecond, "10.24s": 10240 * time.Millisecond, "7d": 7 * 24 * time.Hour,
		"1.5d": 36 * time.Hour, "3600": time.Hour, "20.48": 20480 * time.Millisecond,
		"10485.76": 10485760 * time.Millisecond, "0.256": 256 * time.Millisecond, "186m": 186 * time.Minute,
	}
	for in, want := range cases {
		got, err := ParseDuration(in)
		if err != nil || got.D() != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got.D(), err, want)
		}
	}
	for _, bad := range []string{"", "d", "7x", "1e10", "-1e10", "NaN", "infd", "1e6d"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
	// FormatDuration output parses back to the same value.
	for _, d := range append(append(append([]time.Duration{0, time.Nanosecond, 1500 * time.Microsecond, 9920 * time.Hour, 186 * time.Minute},
		EDRXCycles...), CDRXCycles...), PTWs...) {
		back, err := ParseDuration(FormatDuration(d))
		if err != nil || back.D() != d {
			t.Errorf("FormatDuration(%v) = %q → %v, %v", d, FormatDuration(d), back.D(), err)
		}
	}
	// A YAML number of seconds reaches the eDRX set exactly.
	s := mustParse(t, "groups:\n  g:\n    edrx: {enabled: true, cycle: 20.48, ptw: 2.56}\n")
	if s.Groups["g"].EDRX.Cycle.D() != 20480*time.Millisecond {
		t.Errorf("cycle %v", s.Groups["g"].EDRX.Cycle.D())
	}
}

// TestRadioOptionKeys: the uplink shape, sync time and transmit-model keys
// are accepted in their value sets and refused outside them, with the key
// path, the file position and the allowed values.
func TestRadioOptionKeys(t *testing.T) {
	base := "duration: 1h\ngroups:\n  g:\n    count: 1\n"
	for _, sets := range [][]string{
		{"radio.ul_subcarrier_spacing=3.75khz", "radio.ul_tones=single"},
		{"radio.ul_subcarrier_spacing=adaptive", "radio.ul_tones=multi"},
		{"radio.sync_time.2=0s"},
		{"groups.g.power.tx_model=flat", "groups.g.power.tx_flat_mw=500"},
	} {
		if _, err := Parse([]byte(base), "x.yaml", sets); err != nil {
			t.Errorf("%v: %v", sets, err)
		}
	}
	bad := []refusal{
		{"radio:\n  ul_subcarrier_spacing: 7.5khz\n", "radio.ul_subcarrier_spacing", "not allowed", "15khz, 3.75khz, adaptive"},
		{"radio:\n  ul_tones: two\n", "radio.ul_tones", "not allowed", "single, multi, adaptive"},
		{"radio:\n  ul_subcarrier_spacing: 3.75khz\n  ul_tones: multi\n", "radio.ul_tones", "3.75 kHz", "single, adaptive"},
		{"radio:\n  sync_time: [1s, 2s, 3s, 4s]\n", "radio.sync_time", "4 entries", "at most 3"},
		{"radio:\n  sync_time: [1s]\n", "radio.sync_time", "1 entries", "at least 3"},
		{"radio:\n  sync_time: [1s, 2m, 3s]\n", "radio.sync_time.1", "out of range", "0s..1m"},
		{"groups:\n  g:\n    count: 1\n    power:\n      tx_model: flat\n      tx_flat_mw: 0\n", "groups.g.power.tx_flat_mw", "", ""},
		{"groups:\n  g:\n    count: 1\n    power:\n      tx_model: linear\n", "groups.g.power.tx_model", "not allowed", "per-output-level, flat"},
		{"groups:\n  g:\n    count: 1\n    power:\n      tx_flat_mw: 400\n", "groups.g.power.tx_flat_mw", "tx_model is \"per-output-level\"", "only with tx_model flat"},
	}
	expectRefused(t, bad)
}

// TestCarrierKeys: radio.carriers, radio.nprach_probability_anchor and
// radio.paging_weights take TS 36.331's values and name what is wrong.
func TestCarrierKeys(t *testing.T) {
	base := "duration: 1h\ngroups:\n  g:\n    count: 1\n"
	for _, sets := range [][]string{
		{"radio.carriers=16"},
		{"radio.carriers=4", "radio.nprach_probability_anchor=0"},
		{"radio.carriers=2", "radio.nprach_probability_anchor=1/16", "radio.paging_weights=[0, 16]"},
	} {
		if _, err := Parse([]byte(base), "x.yaml", sets); err != nil {
			t.Errorf("%v: %v", sets, err)
		}
	}
	bad := []refusal{
		{"radio:\n  carriers: 17\n", "radio.carriers", "out of range", "1..16"},
		{"radio:\n  carriers: 0\n", "radio.carriers", "out of range", "1..16"},
		{"radio:\n  carriers: 2\nrandom_access:\n  mode: lte\n", "radio.carriers", "NB-IoT", "mode lte"},
		{"radio:\n  carriers: 2\n  nprach_probability_anchor: 1/17\n", "radio.nprach_probability_anchor", "not a value", "1/16, 1/15"},
		{"radio:\n  carriers: 2\n  nprach_probability_anchor: \"1\"\n", "radio.nprach_probability_anchor", "not a value", "equal, 0,"},
		{"radio:\n  nprach_probability_anchor: 1/2\n", "radio.nprach_probability_anchor", "radio.carriers is 1", "equal"},
		{"radio:\n  carriers: 3\n  paging_weights: [1, 1]\n", "radio.paging_weights", "2 weights for 3 carriers", "3 weights"},
		{"radio:\n  carriers: 2\n  paging_weights: [1, 17]\n", "radio.paging_weights.1", "out of range", "0..16"},
		{"radio:\n  carriers: 2\n  paging_weights: [0, 0]\n", "radio.paging_weights", "no carrier", "1..16"},
	}
	expectRefused(t, bad)
	r := Radio{Carriers: 4, NPRACHProbabilityAnchor: "equal"}
	for p, want := range map[string]float64{"equal": 0.25, "": 0.25, "0": 0, "1/16": 1.0 / 16, "1/2": 0.5} {
		r.NPRACHProbabilityAnchor = p
		if got, ok := r.AnchorProbability(); !ok || got != want {
			t.Errorf("AnchorProbability(%q) = %g, %v; want %g", p, got, ok, want)
		}
	}
}

// refusal is a scenario fragment Parse must refuse: an error at path whose
// message holds msg and whose allowed values hold allowed.
type refusal struct {
	yaml, path, msg, allowed string
}

// expectRefused parses each fragment after "duration: 1h" and checks its
// error, positioned in x.yaml.
func expectRefused(t *testing.T, bad []refusal) {
	t.Helper()
	for _, c := range bad {
		_, err := Parse([]byte("duration: 1h\n"+c.yaml), "x.yaml", nil)
		var es Errors
		if !errors.As(err, &es) {
			t.Errorf("%q: %v, want Errors", c.yaml, err)
			continue
		}
		e := findErr(es, c.path)
		if e == nil {
			t.Errorf("%q: no error at %s: %v", c.yaml, c.path, err)
			continue
		}
		if !strings.Contains(e.Msg, c.msg) || !strings.Contains(e.Allowed, c.allowed) || e.File != "x.yaml" || e.Line == 0 {
			t.Errorf("%q: %+v, want %q allowed %q at x.yaml:LINE", c.yaml, *e, c.msg, c.allowed)
		}
	}
}
