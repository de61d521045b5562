package scenarios

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nbsim/nbsim/gpp"
	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/report/expect"
)

// Value sets that are not in mac (names are this package's own; the band,
// deployment and path-loss names must match the phy package).
var (
	Bands              = []string{"B3", "B5", "B8", "B20", "B28"}
	Deployments        = []string{"standalone", "guard-band", "in-band"}
	PathLossModels     = []string{"urban-macro", "rural-macro", "free-space"}
	SignallingModes    = []string{"typed", "encoded"}
	AccessModes        = []string{"nbiot", "lte"}
	CollisionHandlings = []string{"contention", "undetected"}
	PlacementShapes    = []string{"disc", "ring", "rectangle", "area", "per-site", "csv"}
	SizeModels         = []string{"fixed", "uniform", "pareto"}
	ArrivalModels      = []string{"uniform", "beta", "at-once"}
	BurstModels        = []string{"uniform", "beta"}
	ReportPhases       = []string{"staggered", "synchronised"}
	DataPaths          = []string{"control-plane", "user-plane"}
	TimerPolicies      = []string{"grant", "clamp", "refuse"}
	// ULSubcarrierSpacings: NPUSCH subcarrier spacing policies (TS 36.211 §10.1).
	ULSubcarrierSpacings = []string{"15khz", "3.75khz", "adaptive"}
	// ULToneModes: NPUSCH tone allocation policies (TS 36.213 Table 16.5.1.1-1).
	ULToneModes = []string{"single", "multi", "adaptive"}
	// TxModels: transmit power draw models of a device.
	TxModels = []string{"per-output-level", "flat"}

	// NPUSCHMaxRepetitions: NPUSCH repetition numbers, TS 36.213 Table 16.5.1.1-3.
	NPUSCHMaxRepetitions = []int{1, 2, 4, 8, 16, 32, 64, 128}
	// NPDSCHMaxRepetitions: NPDSCH repetition numbers, TS 36.213 Table 16.4.1.3-2.
	NPDSCHMaxRepetitions = []int{1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048}
	// NPRACHPowerRampingStepsDb: powerRampingStep, TS 36.331 PowerRampingParameters.
	NPRACHPowerRampingStepsDb = []float64{0, 2, 4, 6}
	// NPUSCHAlphas: alpha-r13, TS 36.331 UplinkPowerControlCommon-NB.
	NPUSCHAlphas = []float64{0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	// EDRXCycles: NB-S1 mode eDRX cycles, TS 24.008 Table 10.5.5.32 (gpp).
	EDRXCycles = edrxCycles()
	// PTWs: NB-S1 mode paging time windows, 2.56 s × 1..16, TS 24.008 Table 10.5.5.32 (gpp).
	PTWs = gpp.PTWsNB()
	// CDRXCycles: drx-Cycle-r13, TS 36.331 DRX-Config-NB (sf256..sf9216).
	CDRXCycles = msList(256, 512, 1024, 1536, 2048, 3072, 4096, 4608, 6144, 7680, 8192, 9216)
	// PagingCycles: defaultPagingCycle-r13 rf128..rf1024, TS 36.331 PCCH-Config-NB.
	PagingCycles = msList(1280, 2560, 5120, 10240)
	// LTERARWindows: ra-ResponseWindowSize sf2..sf10, TS 36.331 RACH-ConfigCommon.
	LTERARWindows = msList(2, 3, 4, 5, 6, 7, 8, 10)
	// LTECRTimers: mac-ContentionResolutionTimer sf8..sf64, TS 36.331 RACH-ConfigCommon.
	LTECRTimers = msList(8, 16, 24, 32, 40, 48, 56, 64)
)

// Limits of the configuration.
const (
	MaxDevices        = 100000000                      // all groups together (the scale issue's country projection; beyond one machine's memory, run shards: docs/scale.md)
	MaxDuration       = Duration(400 * 24 * time.Hour) // simulated time
	MaxSites          = 100000                         // sites of a scenario
	MaxT3324          = Duration(gpp.GPRSTimer2Max)    // GPRS timer 2 maximum, 186 min, TS 24.008 §10.5.7.4
	MaxT3412          = Duration(gpp.GPRSTimer3Max)    // GPRS timer 3 maximum, 9920 h, TS 24.008 §10.5.7.4a
	MaxPayload        = 1600                           // bytes per packet (NB-IoT PDCP SDU limit)
	NPRACHSubcarriers = 48                             // NPRACH subcarriers in the 180 kHz carrier
)

func msList(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func edrxCycles() []time.Duration {
	var out []time.Duration
	for _, c := range gpp.EDRXCyclesNB() {
		out = append(out, c.Cycle)
	}
	return out
}

// FormatDuration prints a duration the way scenario files write it
// (40ms, 10.24s, 186m, 24h); the result parses back with ParseDuration.
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Millisecond == 0 && d < time.Second && d > -time.Second:
		return strconv.FormatInt(int64(d/time.Millisecond), 10) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

func fmtDurs(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = FormatDuration(d)
	}
	return strings.Join(s, ", ")
}

func fmtInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

func fmtFloats(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}

// Validate checks the scenario against the 3GPP value sets and the limits
// of the simulator. It returns nil or Errors with every problem found
// (paths but no lines: lines are known only to Parse and Load).
func (s *Scenario) Validate() error {
	if s == nil {
		return Errors{{Msg: "nil scenario"}}
	}
	v := &validator{seen: map[string]bool{}}
	v.scenario(s)
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

type validator struct {
	pos  map[string]position
	file string
	errs Errors
	seen map[string]bool // paths that already have an error
}

// add reports one problem at path, once per path, positioned at the
// nearest enclosing key the source gave.
func (v *validator) add(path, allowed, format string, args ...any) {
	if v.seen[path] || len(v.errs) > maxErrors {
		return
	}
	v.seen[path] = true
	e := &Error{File: v.file, Path: path, Msg: fmt.Sprintf(format, args...), Allowed: allowed}
	for p := path; v.pos != nil; {
		if at, ok := v.pos[p]; ok {
			e.File, e.Line = at.file, at.line
			break
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	v.errs = append(v.errs, e)
}

func (v *validator) oneOf(path, x string, set []string) {
	for _, s := range set {
		if x == s {
			return
		}
	}
	v.add(path, strings.Join(set, ", "), "%q is not allowed", x)
}

func (v *validator) intIn(path string, x int, set []int) bool {
	for _, s := range set {
		if x == s {
			return true
		}
	}
	v.add(path, fmtInts(set), "%d is not a 3GPP value", x)
	return false
}

func (v *validator) floatIn(path string, x float64, set []float64) bool {
	for _, s := range set {
		if math.Abs(x-s) < 1e-9 {
			return true
		}
	}
	v.add(path, fmtFloats(set), "%g is not a 3GPP value", x)
	return false
}

func (v *validator) durIn(path string, x Duration, set []time.Duration) bool {
	for _, s := range set {
		if time.Duration(x) == s {
			return true
		}
	}
	v.add(path, fmtDurs(set), "%s is not a 3GPP value", FormatDuration(time.Duration(x)))
	return false
}

func (v *validator) intRange(path string, x, lo, hi int) bool {
	if x < lo || x > hi {
		v.add(path, fmt.Sprintf("%d..%d", lo, hi), "%d is out of range", x)
		return false
	}
	return true
}

func (v *validator) prob(path string, x float64) {
	if !(x >= 0 && x <= 1) {
		v.add(path, "0..1", "%g is not a probability", x)
	}
}

func (v *validator) positive(path string, x float64) {
	if !(x > 0) {
		v.add(path, "", "must be greater than 0, got %g", x)
	}
}

func (v *validator) nonNeg(path string, x float64) {
	if !(x >= 0) {
		v.add(path, "", "must not be negative, got %g", x)
	}
}

// generic reports negative integers and durations and non-finite numbers
// anywhere in the scenario (no count, size or time may be negative).
func (v *validator) generic(path string, x reflect.Value) {
	if x.Type() == durationType {
		if x.Int() < 0 {
			v.add(path, "", "must not be negative, got %s", FormatDuration(time.Duration(x.Int())))
		}
		return
	}
	switch x.Kind() {
	case reflect.Int, reflect.Int64:
		if x.Int() < 0 {
			v.add(path, "", "must not be negative, got %d", x.Int())
		}
	case reflect.Float64:
		if f := x.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			v.add(path, "", "must be a finite number, got %g", f)
		}
	case reflect.Pointer:
		if !x.IsNil() {
			v.generic(path, x.Elem())
		}
	case reflect.Struct:
		for _, f := range fieldsOf(x.Type()) {
			v.generic(joinPath(path, f.name), x.Field(f.index))
		}
	case reflect.Slice:
		for i := 0; i < x.Len() && i < 1000; i++ {
			v.generic(joinPath(path, strconv.Itoa(i)), x.Index(i))
		}
	case reflect.Map:
		keys := x.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			e := x.MapIndex(k)
			p := joinPath(path, k.String())
			if e.Kind() == reflect.Pointer && e.IsNil() {
				v.add(p, "", "empty group (nil)")
				continue
			}
			v.generic(p, e)
		}
	}
}

func (v *validator) scenario(s *Scenario) {
	v.generic("", reflect.ValueOf(s).Elem())

	if s.Duration <= 0 {
		v.add("duration", "", "must be greater than 0")
	} else if s.Duration > MaxDuration {
		v.add("duration", "", "%s is longer than the maximum of %s", s.Duration, MaxDuration)
	}
	v.oneOf("signalling", s.Signalling, SignallingModes)

	v.radio(s)
	v.origin(s)
	names := v.sites(s)
	v.randomAccess(&s.RandomAccess)
	v.rrc(&s.RRC)
	v.core(&s.Core)
	v.groups(s, names)
	v.nonNeg("partition.tile_m", s.Partition.TileM)
	v.nonNeg("partition.halo_m", s.Partition.HaloM)
	for i, e := range s.Expect {
		if err := checkExpect(e); err != nil {
			v.add(joinPath("expect", strconv.Itoa(i)), "", "%v", err)
		}
	}
}

func (v *validator) radio(s *Scenario) {
	r := &s.Radio
	v.oneOf("radio.band", r.Band, Bands)
	v.oneOf("radio.deployment", r.Deployment, Deployments)
	v.oneOf("radio.pathloss", r.PathLoss, PathLossModels)
	v.nonNeg("radio.enb_cable_loss_db", r.EnbCableLossDb)
	v.nonNeg("radio.enb_noise_figure_db", r.EnbNoiseFigureDb)
	v.positive("radio.enb_height_m", r.EnbHeightM)
	if r.UeTxPowerDbm < -30 || r.UeTxPowerDbm > 33 {
		v.add("radio.ue_tx_power_dbm", "-30..33 (P-Max)", "%g dBm is out of range", r.UeTxPowerDbm)
	}
	v.nonNeg("radio.ue_noise_figure_db", r.UeNoiseFigureDb)
	v.positive("radio.ue_height_m", r.UeHeightM)
	v.nonNeg("radio.shadowing_std_db", r.ShadowingStdDb)
	v.positive("radio.max_coupling_loss_db", r.MaxCouplingLossDb)
	v.nonNeg("radio.capture_threshold_db", r.CaptureThresholdDb)
	v.ulShape(r)
	v.syncTime(r, len(s.RandomAccess.CE))
	v.carriers(r, s.RandomAccess.Mode)

	th := r.CERSRPThresholdsDbm
	if n := len(s.RandomAccess.CE); n >= 1 && n <= 3 && len(th) != n-1 {
		v.add("radio.ce_rsrp_thresholds_dbm", "", "%d thresholds but %d CE levels: give %d (one fewer than the CE levels)", len(th), n, n-1)
	}
	for i, x := range th {
		p := joinPath("radio.ce_rsrp_thresholds_dbm", strconv.Itoa(i))
		if x < -140 || x > -44 {
			v.add(p, "-140..-44 dBm (RSRP-Range)", "%g dBm is out of range", x)
		} else if i > 0 && x >= th[i-1] {
			v.add(p, "", "thresholds must be strictly descending (%g is not below %g)", x, th[i-1])
		}
	}
	if x := r.NPRACHTargetPowerDbm; x < -120 || x > -90 || x != math.Trunc(x) || int(x)%2 != 0 {
		v.add("radio.nprach_target_power_dbm", "-120, -118, ..., -90 dBm (preambleInitialReceivedTargetPower)", "%g dBm is not a 3GPP value", x)
	}
	v.floatIn("radio.nprach_ramp_step_db", r.NPRACHRampStepDb, NPRACHPowerRampingStepsDb)
	if x := r.NPUSCHP0Dbm; x < -126 || x > 24 || x != math.Trunc(x) {
		v.add("radio.npusch_p0_dbm", "integers -126..24 dBm (p0-NominalNPUSCH)", "%g dBm is not a 3GPP value", x)
	}
	v.floatIn("radio.npusch_alpha", r.NPUSCHAlpha, NPUSCHAlphas)
	if !(r.TargetBLER > 0 && r.TargetBLER < 1) {
		v.add("radio.target_bler", "between 0 and 1, exclusive", "%g is out of range", r.TargetBLER)
	}
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// sites checks the explicit sites or the layout and returns the site names.
// ulShape checks the NPUSCH subcarrier spacing and tone policies: 3.75 kHz
// NPUSCH is single-tone only (TS 36.211 §10.1.2.3), so 3.75khz with multi
// cannot be met.
func (v *validator) ulShape(r *Radio) {
	v.oneOf("radio.ul_subcarrier_spacing", r.ULSubcarrierSpacing, ULSubcarrierSpacings)
	v.oneOf("radio.ul_tones", r.ULTones, ULToneModes)
	if r.ULSubcarrierSpacing == "3.75khz" && r.ULTones == "multi" {
		v.add("radio.ul_tones", "single, adaptive (with ul_subcarrier_spacing 3.75khz)", "multi-tone NPUSCH does not exist at 3.75 kHz (TS 36.211 §10.1.2.3)")
	}
}

// carriers checks radio.carriers, radio.nprach_probability_anchor and
// radio.paging_weights: 1..16 carriers (the anchor and up to
// maxNonAnchorCarriers-NB-r14 = 15, TS 36.331), NB-IoT random access only;
// a probability of TS 36.331's NPRACH-ProbabilityAnchor-NB-r14, and none but
// "equal" for one carrier; one weight per carrier, each 0 (not used for
// paging) or w1..w16, not all 0.
func (v *validator) carriers(r *Radio, mode string) {
	if !v.intRange("radio.carriers", r.Carriers, 1, MaxCarriers) {
		return
	}
	if r.Carriers > 1 && mode == "lte" {
		v.add("radio.carriers", "1 with random_access.mode lte", "non-anchor carriers are NB-IoT's (TS 36.331 Rel-14): %d carriers with the LTE PRACH model", r.Carriers)
	}
	if _, ok := r.AnchorProbability(); !ok {
		v.add("radio.nprach_probability_anchor", strings.Join(AnchorProbabilityValues, ", "), "%q is not a value of nprach-ProbabilityAnchor-r14", r.NPRACHProbabilityAnchor)
	} else if r.Carriers == 1 && r.NPRACHProbabilityAnchor != "equal" && r.NPRACHProbabilityAnchor != "" {
		v.add("radio.nprach_probability_anchor", "equal (with radio.carriers 1)", "%q needs non-anchor carriers: radio.carriers is 1", r.NPRACHProbabilityAnchor)
	}
	w := r.PagingWeights
	if len(w) == 0 {
		return
	}
	if len(w) != r.Carriers {
		v.add("radio.paging_weights", fmt.Sprintf("%d weights (one per carrier, anchor first)", r.Carriers), "%d weights for %d carriers", len(w), r.Carriers)
		return
	}
	sum := 0
	for i, x := range w {
		if v.intRange(joinPath("radio.paging_weights", strconv.Itoa(i)), x, 0, 16) {
			sum += x
		}
	}
	if sum == 0 {
		v.add("radio.paging_weights", "at least one weight of 1..16", "no carrier is used for paging")
	}
}

// MaxSyncTime bounds each entry of radio.sync_time.
const MaxSyncTime = Duration(time.Minute)

// syncTime checks radio.sync_time: one entry per CE level (at most 3; more
// than the CE levels are allowed, as the defaults give 3), each 0..1 min.
func (v *validator) syncTime(r *Radio, levels int) {
	n := len(r.SyncTime)
	if n > 3 || n < max(1, min(levels, 3)) {
		v.add("radio.sync_time", fmt.Sprintf("at least %d (one per CE level), at most 3 durations, CE0 first", max(1, min(levels, 3))), "%d entries", n)
	}
	for i, d := range r.SyncTime {
		if d < 0 || d > MaxSyncTime {
			v.add(joinPath("radio.sync_time", strconv.Itoa(i)), "0s..1m", "%s is out of range", FormatDuration(d.D()))
		}
	}
}

func (v *validator) sites(s *Scenario) map[string]bool {
	names := map[string]bool{}
	if l := s.SiteLayout; l != nil {
		if l.Count < 1 {
			v.add("site_layout.count", "", "must be at least 1")
		} else if l.Count > MaxSites {
			v.add("site_layout.count", "", "%d sites is more than the maximum of %d", l.Count, MaxSites)
		}
		v.positive("site_layout.isd_m", l.ISDM)
		v.intIn("site_layout.sectors", l.Sectors, []int{1, 3})
		for _, st := range s.Sites() {
			names[st.Name] = true
		}
		return names
	}
	if len(s.SiteList) == 0 {
		v.add("sites", "", "at least one site is needed (or a site_layout)")
	}
	if len(s.SiteList) > MaxSites {
		v.add("sites", "", "%d sites is more than the maximum of %d", len(s.SiteList), MaxSites)
	}
	first := map[string]int{}
	for i, st := range s.SiteList {
		p := "sites." + strconv.Itoa(i)
		switch j, dup := first[st.Name]; {
		case st.Name == "":
			v.add(p+".name", "", "every site needs a name")
		case dup:
			v.add(p+".name", "", "duplicate site name %q (also sites.%d)", st.Name, j)
		default:
			first[st.Name] = i
		}
		v.intIn(p+".sectors", st.Sectors, []int{1, 3})
		names[st.Name] = true
	}
	return names
}

func (v *validator) randomAccess(ra *RandomAccess) {
	v.oneOf("random_access.mode", ra.Mode, AccessModes)
	v.oneOf("random_access.collision_handling", ra.CollisionHandling, CollisionHandlings)
	v.preambleTransMax("random_access.preamble_trans_max_ce", ra.PreambleTransMaxCE)
	v.intRange("random_access.backoff_index", ra.BackoffIndex, 0, 12)
	if ra.GrantsPerRAR < 1 {
		v.add("random_access.grants_per_rar", "", "must be at least 1")
	}
	v.intRange("random_access.max_harq_msg3_tx", ra.MaxHARQMsg3Tx, mac.MaxHARQMsg3TxMin, mac.MaxHARQMsg3TxMax)
	v.intRange("random_access.max_harq_msg4_tx", ra.MaxHARQMsg4Tx, 1, 8)
	v.floatIn("random_access.barring.factor", ra.Barring.Factor, mac.ACBarringFactors)
	v.durIn("random_access.barring.time", ra.Barring.Time, mac.ACBarringTimes)

	if n := len(ra.CE); n < 1 || n > 3 {
		v.add("random_access.ce", "", "%d CE levels: give 1 to 3", n)
	}
	for i := range ra.CE {
		if i >= 3 {
			break
		}
		v.nprach(i, &ra.CE[i])
	}
	for j := 1; j < len(ra.CE) && j < 3; j++ {
		for i := 0; i < j; i++ {
			a, b := &ra.CE[i], &ra.CE[j]
			if a.SubcarrierOffset < b.SubcarrierOffset+b.NumSubcarriers && b.SubcarrierOffset < a.SubcarrierOffset+a.NumSubcarriers {
				v.add(fmt.Sprintf("random_access.ce.%d.subcarrier_offset", j),
					"subcarriers no other CE level uses: CE levels' NPRACH resources are frequency-multiplexed (TS 36.211 §10.1.6, TS 36.331 NPRACH-Parameters-NB), and nbsim's collisions and interference count a preamble only against its own level's resource",
					"subcarriers %d..%d of CE%d overlap subcarriers %d..%d of CE%d",
					b.SubcarrierOffset, b.SubcarrierOffset+b.NumSubcarriers-1, j,
					a.SubcarrierOffset, a.SubcarrierOffset+a.NumSubcarriers-1, i)
			}
		}
	}

	l := &ra.LTE
	v.intRange("random_access.lte.preambles", l.Preambles, 1, 64)
	v.positive("random_access.lte.occasion_period", l.OccasionPeriod.Seconds())
	v.positive("random_access.lte.preamble_length", l.PreambleLength.Seconds())
	if l.PreambleLength > l.OccasionPeriod && l.OccasionPeriod > 0 {
		v.add("random_access.lte.preamble_length", "", "%s is longer than the occasion period %s", FormatDuration(l.PreambleLength.D()), FormatDuration(l.OccasionPeriod.D()))
	}
	v.durIn("random_access.lte.rar_window", l.RARWindow, LTERARWindows)
	if l.GrantsPerRAR < 1 {
		v.add("random_access.lte.grants_per_rar", "", "must be at least 1")
	}
	v.preambleTransMax("random_access.lte.max_preamble_tx", l.MaxPreambleTx)
	v.prob("random_access.lte.harq_error_rate", l.HARQErrorRate)
	v.intRange("random_access.lte.max_harq_tx", l.MaxHARQTx, 1, 8)
	v.durIn("random_access.lte.cr_timer", l.CRTimer, LTECRTimers)
	v.positive("random_access.lte.harq_rtt", l.HARQRTT.Seconds())
	v.positive("random_access.lte.msg4_harq_rtt", l.Msg4HARQRTT.Seconds())
}

// PreambleTransMaxEvaluationOnly are preamble-transmission limits below
// the smallest PreambleTransMax of TS 36.331 §6.3.2 (n3, the type of
// preambleTransMax-CE-r13 in RACH-ConfigCommon-NB): 1 is single-shot
// access (no retransmission), 2 one retransmission, as evaluations of
// random access without or with little retransmission assume. No network
// can signal them: a run that uses one says so (Scenario.EvaluationOnly).
var PreambleTransMaxEvaluationOnly = []int{1, 2}

// preambleTransMax checks a preamble-transmission limit: a TS 36.331
// value, or an evaluation-only one.
func (v *validator) preambleTransMax(path string, x int) {
	if slices.Contains(mac.PreambleTransMaxCE, x) || slices.Contains(PreambleTransMaxEvaluationOnly, x) {
		return
	}
	v.add(path, fmtInts(mac.PreambleTransMaxCE)+" (TS 36.331 PreambleTransMax); "+fmtInts(PreambleTransMaxEvaluationOnly)+" (evaluation-only)",
		"%d is neither a 3GPP value nor an evaluation-only one", x)
}

// EvaluationOnly lists the evaluation-only values the scenario uses (values
// no 3GPP network can signal, offered to reproduce evaluations), one note
// each; nil when it uses none.
func (s *Scenario) EvaluationOnly() []string {
	ra := &s.RandomAccess
	path, x := "random_access.preamble_trans_max_ce", ra.PreambleTransMaxCE
	if ra.Mode == "lte" {
		path, x = "random_access.lte.max_preamble_tx", ra.LTE.MaxPreambleTx
	}
	if slices.Contains(PreambleTransMaxEvaluationOnly, x) {
		return []string{fmt.Sprintf("%s %d is evaluation-only: TS 36.331 PreambleTransMax allows %s", path, x, fmtInts(mac.PreambleTransMaxCE))}
	}
	return nil
}

// preambleRepetition is the duration of one NPRACH preamble repetition
// (4 symbol groups), TS 36.211 Table 10.1.6.1-1: 1.4 ms (format 0) or
// 1.6 ms (format 1) per symbol group.
func preambleRepetition(format int) time.Duration {
	if format == 1 {
		return 6400 * time.Microsecond
	}
	return 5600 * time.Microsecond
}

func (v *validator) nprach(i int, c *NPRACH) {
	p := "random_access.ce." + strconv.Itoa(i) + "."
	okP := v.durIn(p+"periodicity", c.Periodicity, mac.NPRACHPeriodicities)
	okS := v.durIn(p+"start_time", c.StartTime, mac.NPRACHStartTimes)
	okO := v.intIn(p+"subcarrier_offset", c.SubcarrierOffset, mac.NPRACHSubcarrierOffsets)
	okN := v.intIn(p+"num_subcarriers", c.NumSubcarriers, mac.NPRACHNumSubcarriers)
	if okO && okN && c.SubcarrierOffset+c.NumSubcarriers > NPRACHSubcarriers {
		v.add(p+"num_subcarriers", "", "subcarrier_offset %d + num_subcarriers %d = %d exceeds the %d NPRACH subcarriers",
			c.SubcarrierOffset, c.NumSubcarriers, c.SubcarrierOffset+c.NumSubcarriers, NPRACHSubcarriers)
	}
	if c.NumCBRAStart != 0 {
		if v.intIn(p+"num_cbra_start_subcarriers", c.NumCBRAStart, mac.NPRACHNumCBRAStartSubcarriers) && okN && c.NumCBRAStart > c.NumSubcarriers {
			v.add(p+"num_cbra_start_subcarriers", "", "%d is more than num_subcarriers %d", c.NumCBRAStart, c.NumSubcarriers)
		}
	}
	okR := v.intIn(p+"repetitions_per_attempt", c.RepetitionsPerAttempt, mac.NPRACHRepetitionsPerAttempt)
	v.intIn(p+"max_num_preamble_attempt_ce", c.MaxNumPreambleAttemptCE, mac.MaxNumPreambleAttemptCE)
	v.intIn(p+"npdcch_num_repetitions_ra", c.NPDCCHNumRepetitionsRA, mac.NPDCCHNumRepetitionsRA)
	v.floatIn(p+"npdcch_start_sf_css_ra", c.NPDCCHStartSFCSSRA, mac.NPDCCHStartSFCSSRA)
	v.floatIn(p+"npdcch_offset_ra", c.NPDCCHOffsetRA, mac.NPDCCHOffsetRA)
	v.intIn(p+"ra_response_window_size", c.RAResponseWindowSize, mac.RAResponseWindowSizes)
	v.intIn(p+"mac_contention_resolution_timer", c.MacContentionResolutionTimer, mac.MacContentionResolutionTimers)
	okF := v.intIn(p+"format", c.Format, []int{0, 1})
	v.intIn(p+"npusch_max_repetitions", c.NPUSCHMaxRepetitions, NPUSCHMaxRepetitions)
	v.intIn(p+"npdsch_max_repetitions", c.NPDSCHMaxRepetitions, NPDSCHMaxRepetitions)
	if okP && okS && okR && okF {
		end := c.StartTime.D() + time.Duration(c.RepetitionsPerAttempt)*preambleRepetition(c.Format)
		if end > c.Periodicity.D() {
			v.add(p+"repetitions_per_attempt", "", "start_time %s + %d repetitions × %s (format %d) = %s does not fit in the periodicity %s",
				FormatDuration(c.StartTime.D()), c.RepetitionsPerAttempt, preambleRepetition(c.Format), c.Format, end, FormatDuration(c.Periodicity.D()))
		}
	}
}

func (v *validator) rrc(r *RRC) {
	c := &r.CDRX
	if v.durIn("rrc.cdrx.cycle", c.Cycle, CDRXCycles) {
		if c.OnDuration <= 0 || c.OnDuration >= c.Cycle {
			v.add("rrc.cdrx.on_duration", "", "must be greater than 0 and shorter than the cycle %s", FormatDuration(c.Cycle.D()))
		}
	}
	v.durIn("rrc.default_paging_cycle", r.DefaultPagingCycle, PagingCycles)
	v.intIn("rrc.npdcch_num_repetition_paging", r.NPDCCHNumRepetitionPaging, mac.NPDCCHNumRepetitionsPaging)
}

func (v *validator) core(c *Core) {
	v.timerPolicy("core.psm", &c.PSM)
	if c.PSM.Max > MaxT3324 {
		v.add("core.psm.max", "", "%s is more than the T3324 maximum of %s", FormatDuration(c.PSM.Max.D()), FormatDuration(MaxT3324.D()))
	}
	if c.PSM.T3412Max > MaxT3412 {
		v.add("core.psm.t3412_max", "", "%s is more than the T3412 maximum of %s", FormatDuration(c.PSM.T3412Max.D()), FormatDuration(MaxT3412.D()))
	}
	v.timerPolicy("core.edrx", &c.EDRX)
	v.durIn("core.edrx.min", c.EDRX.Min, EDRXCycles)
	v.durIn("core.edrx.max", c.EDRX.Max, EDRXCycles)
	if c.AttachRoundTrips < 1 {
		v.add("core.attach_round_trips", "", "must be at least 1")
	}
	if c.NATTimeout < 0 || c.NATTimeout.D() > 24*time.Hour {
		v.add("core.nat_timeout", "0 (none) to 24h", "%s is out of range", FormatDuration(c.NATTimeout.D()))
	}
}

func (v *validator) timerPolicy(p string, t *TimerPolicy) {
	v.oneOf(p+".policy", t.Policy, TimerPolicies)
	if t.Min > t.Max {
		v.add(p+".min", "", "min %s is greater than max %s", FormatDuration(t.Min.D()), FormatDuration(t.Max.D()))
	}
	if t.T3412Min > t.T3412Max {
		v.add(p+".t3412_min", "", "t3412_min %s is greater than t3412_max %s", FormatDuration(t.T3412Min.D()), FormatDuration(t.T3412Max.D()))
	}
}

func (v *validator) groups(s *Scenario, sites map[string]bool) {
	total := 0
	for _, name := range s.GroupNames() {
		g := s.Groups[name]
		p := "groups." + name
		if !nameRE.MatchString(name) {
			v.add(p, "letters, digits, _ and -", "invalid group name %q", name)
		}
		if g == nil {
			v.add(p, "", "empty group (nil)")
			continue
		}
		if g.Count < 1 {
			v.add(p+".count", "", "must be at least 1")
		} else if g.Count > MaxDevices {
			v.add(p+".count", "", "%d devices is more than the maximum of %d", g.Count, MaxDevices)
		} else {
			total += g.Count
		}
		v.group(p, g, sites)
	}
	if total > MaxDevices {
		v.add("groups", "", "%d devices in all is more than the maximum of %d", total, MaxDevices)
	}
}

func siteList(sites map[string]bool) string {
	names := make([]string, 0, len(sites))
	for n := range sites {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) < len(names[j])
		}
		return names[i] < names[j]
	})
	if len(names) > 12 {
		names = append(names[:12], "…")
	}
	return strings.Join(names, ", ")
}

func (v *validator) group(p string, g *Group, sites map[string]bool) {
	pl := &g.Placement
	v.oneOf(p+".placement.shape", pl.Shape, PlacementShapes)
	switch pl.Shape {
	case "disc", "per-site":
		v.positive(p+".placement.radius_m", pl.RadiusM)
	case "ring":
		v.nonNeg(p+".placement.min_m", pl.MinM)
		if !(pl.MaxM > pl.MinM) {
			v.add(p+".placement.max_m", "", "max_m %g must be greater than min_m %g", pl.MaxM, pl.MinM)
		}
	case "rectangle":
		v.positive(p+".placement.width_m", pl.WidthM)
		v.positive(p+".placement.height_m", pl.HeightM)
	case "area":
		v.nonNeg(p+".placement.margin_m", pl.MarginM)
	case "csv":
		if pl.File == "" {
			v.add(p+".placement.file", "a CSV file of x_m,y_m rows", "shape csv needs a file")
		}
	}
	if pl.File != "" && pl.Shape != "csv" {
		v.add(p+".placement.file", "", "a file is read only with shape csv, not %q", pl.Shape)
	}
	if g.Coverage != nil {
		v.coverage(p, g)
	}
	if pl.Site != "" && !sites[pl.Site] {
		v.add(p+".placement.site", siteList(sites), "no site named %q", pl.Site)
	}
	v.nonNeg(p+".penetration_loss_db", g.PenetrationLossDb)
	v.nonNeg(p+".penetration_std_db", g.PenetrationStdDb)

	v.arrival(p+".power_on", &g.PowerOn, ArrivalModels)
	if g.Arrivals != nil {
		v.arrival(p+".arrivals", g.Arrivals, ArrivalModels)
	}

	r := &g.Report
	v.oneOf(p+".report.phase", r.Phase, ReportPhases)
	v.intRange(p+".report.uplink_bytes", r.UplinkBytes, 1, MaxPayload)
	if r.UplinkSize != nil {
		v.sizeDist(p+".report.uplink_size", r.UplinkSize)
	}
	v.prob(p+".report.reply_probability", r.ReplyProbability)
	// A 0-byte reply is an application ack with no payload: only the
	// overheads are sent.
	v.intRange(p+".report.reply_bytes", r.ReplyBytes, 0, MaxPayload)

	for i := range g.Events {
		if i >= 1000 {
			break
		}
		e := &g.Events[i]
		ep := p + ".events." + strconv.Itoa(i)
		v.prob(ep+".fraction", e.Fraction)
		v.oneOf(ep+".model", e.Model, BurstModels)
		if e.Window <= 0 {
			v.add(ep+".window", "", "must be greater than 0")
		}
	}

	v.intRange(p+".downlink.bytes", g.Downlink.Bytes, 0, MaxPayload)
	if g.Downlink.MeanInterval > 0 && g.Downlink.Bytes < 1 {
		v.add(p+".downlink.bytes", "", "must be at least 1 when mean_interval > 0")
	}

	if g.PSM.T3324 > MaxT3324 {
		v.add(p+".psm.t3324", "", "%s is more than the T3324 maximum of %s", FormatDuration(g.PSM.T3324.D()), FormatDuration(MaxT3324.D()))
	}
	if g.PSM.T3412 > MaxT3412 {
		v.add(p+".psm.t3412", "", "%s is more than the T3412 maximum of %s", FormatDuration(g.PSM.T3412.D()), FormatDuration(MaxT3412.D()))
	}
	v.durIn(p+".edrx.cycle", g.EDRX.Cycle, EDRXCycles)
	v.durIn(p+".edrx.ptw", g.EDRX.PTW, PTWs)
	v.oneOf(p+".data_path", g.DataPath, DataPaths)

	pw := &g.Power
	for _, f := range []struct {
		k string
		x float64
	}{
		{"baseline_mw", pw.BaselineMW}, {"psm_mw", pw.PSMMW}, {"idle_sleep_mw", pw.IdleSleepMW},
		{"paging_occasion_mj", pw.PagingOccasionMJ}, {"receive_mw", pw.ReceiveMW},
		{"connected_monitor_mw", pw.ConnectedMonitorMW}, {"cdrx_sleep_mw", pw.CDRXSleepMW}, {"tx_base_mw", pw.TxBaseMW},
	} {
		v.nonNeg(p+".power."+f.k, f.x)
	}
	if !(pw.PAEfficiency > 0 && pw.PAEfficiency <= 1) {
		v.add(p+".power.pa_efficiency", "greater than 0, at most 1", "%g is out of range", pw.PAEfficiency)
	}
	v.oneOf(p+".power.tx_model", pw.TxModel, TxModels)
	if pw.TxModel == "flat" {
		v.positive(p+".power.tx_flat_mw", pw.TxFlatMW)
	} else if pw.TxFlatMW != defaultTxFlatMW {
		// Set without the flat model it would be ignored: say so.
		v.add(p+".power.tx_flat_mw", fmt.Sprintf("only with tx_model flat (default %g)", float64(defaultTxFlatMW)),
			"%g is set but tx_model is %q, which does not use it", pw.TxFlatMW, pw.TxModel)
	}
	b := &g.Battery
	v.positive(p+".battery.capacity_mah", b.CapacityMAh)
	v.positive(p+".battery.voltage_v", b.VoltageV)
	v.prob(p+".battery.self_discharge_per_year", b.SelfDischargePerYear)
	if !(b.UsableFraction > 0 && b.UsableFraction <= 1) {
		v.add(p+".battery.usable_fraction", "greater than 0, at most 1", "%g is out of range", b.UsableFraction)
	}
}

// Coupling-loss limits of coverage data (dB): a planning tool's export
// outside them is a unit or column mistake.
const (
	MinCouplingLossDb = 0
	MaxCouplingLossDb = 250
	// MaxLossTable: rows of a coupling-loss table or CDF.
	MaxLossTable = 1000
)

func (v *validator) lossDb(path string, x float64) bool {
	if !(x > MinCouplingLossDb && x <= MaxCouplingLossDb) {
		v.add(path, fmt.Sprintf("greater than %d, at most %d dB", MinCouplingLossDb, MaxCouplingLossDb), "%g dB is out of range", x)
		return false
	}
	return true
}

// coverage checks a group's coverage section: exactly one source, and
// no geometric loss keys beside it (the planning value is the whole
// coupling loss).
func (v *validator) coverage(p string, g *Group) {
	c := g.Coverage
	cp := p + ".coverage"
	given := 0
	for _, b := range []bool{c.CouplingLossDb != 0, len(c.Distribution) > 0, len(c.CDF) > 0, c.CSV != ""} {
		if b {
			given++
		}
	}
	if given != 1 {
		v.add(cp, "one of coupling_loss_db, coupling_loss_distribution, coupling_loss_cdf, coupling_loss_csv", "%d coverage sources given: give exactly one", given)
		return
	}
	for _, k := range []struct {
		key string
		x   float64
	}{{"penetration_loss_db", g.PenetrationLossDb}, {"penetration_std_db", g.PenetrationStdDb}, {"antenna_gain_dbi", g.AntennaGainDbi}} {
		if k.x != 0 {
			v.add(p+"."+k.key, "0 (or no coverage section)", "%g with coverage: the coverage coupling loss already includes it", k.x)
		}
	}
	if g.Placement.Shape == "csv" {
		v.add(p+".placement.shape", "any but csv with coverage", "coverage replaces the geometry: a placement CSV would not be used")
	}
	switch {
	case c.CouplingLossDb != 0:
		v.lossDb(cp+".coupling_loss_db", c.CouplingLossDb)
	case len(c.Distribution) > 0:
		v.lossTable(cp+".coupling_loss_distribution", c.Distribution)
	case len(c.CDF) > 0:
		v.lossCDF(cp+".coupling_loss_cdf", c.CDF)
	}
}

func (v *validator) lossTable(p string, t []LossShare) {
	if len(t) > MaxLossTable {
		v.add(p, "", "%d rows is more than the maximum of %d", len(t), MaxLossTable)
		return
	}
	sum := 0.0
	for i, r := range t {
		ip := joinPath(p, strconv.Itoa(i))
		v.lossDb(ip+".loss_db", r.LossDb)
		if !(r.Share >= 0 && r.Share <= 1) {
			v.add(ip+".share", "0..1", "%g is not a share", r.Share)
		}
		sum += r.Share
	}
	if math.Abs(sum-1) > 1e-6 {
		v.add(p, "shares summing to 1", "the shares sum to %g", sum)
	}
}

func (v *validator) lossCDF(p string, t []LossProb) {
	if len(t) > MaxLossTable {
		v.add(p, "", "%d points is more than the maximum of %d", len(t), MaxLossTable)
		return
	}
	for i, r := range t {
		ip := joinPath(p, strconv.Itoa(i))
		v.lossDb(ip+".loss_db", r.LossDb)
		if !(r.P >= 0 && r.P <= 1) {
			v.add(ip+".p", "0..1", "%g is not a probability", r.P)
		}
		if i > 0 && !(r.LossDb > t[i-1].LossDb) {
			v.add(ip+".loss_db", "strictly ascending losses", "%g dB is not above the previous point's %g dB", r.LossDb, t[i-1].LossDb)
		}
		if i > 0 && r.P < t[i-1].P {
			v.add(ip+".p", "non-decreasing probabilities", "%g is below the previous point's %g", r.P, t[i-1].P)
		}
	}
	if last := t[len(t)-1].P; last != 1 {
		v.add(joinPath(p, strconv.Itoa(len(t)-1))+".p", "1 at the last point", "the CDF ends at %g", last)
	}
}

// sizeDist checks a packet-size distribution.
func (v *validator) sizeDist(p string, d *SizeDist) {
	v.oneOf(p+".model", d.Model, SizeModels)
	switch d.Model {
	case "fixed":
		v.intRange(p+".bytes", d.Bytes, 1, MaxPayload)
	case "uniform", "pareto":
		okMin := v.intRange(p+".min_bytes", d.MinBytes, 1, MaxPayload)
		okMax := v.intRange(p+".max_bytes", d.MaxBytes, 1, MaxPayload)
		if okMin && okMax && d.MaxBytes < d.MinBytes {
			v.add(p+".max_bytes", "", "max_bytes %d is below min_bytes %d", d.MaxBytes, d.MinBytes)
		}
		if d.Model == "pareto" {
			v.positive(p+".alpha", d.Alpha)
		}
	}
}

func (v *validator) arrival(p string, a *Arrival, models []string) {
	v.oneOf(p+".model", a.Model, models)
	if a.Model != "at-once" && a.Window <= 0 {
		v.add(p+".window", "", "must be greater than 0 for model %q", a.Model)
	}
}

// checkExpect checks the syntax of one `expect:` entry (package expect's,
// shared with the report package, which also resolves the path after the
// run; scenarios checks the syntax so that a typo fails before a long run).
func checkExpect(expr string) error {
	_, _, _, err := expect.Parse(expr)
	var se *expect.SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	switch se.Problem {
	case expect.BadNumber:
		return fmt.Errorf("%q is not a finite number", se.Text)
	case expect.BadPath:
		return fmt.Errorf("malformed KPI path %q", se.Text)
	}
	return fmt.Errorf("expected PATH OP NUMBER with OP one of < <= > >= == !=%s, got %q", se.Hint(), expr)
}
