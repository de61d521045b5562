package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Dist summarises a distribution of samples (see Quantiles for the exact
// quantile definition).
type Dist struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
}

// BatteryDist summarises the per-device battery lifetimes, in years.
type BatteryDist struct {
	Mean float64 `json:"mean"`
	P5   float64 `json:"p5"` // 5th percentile: the short-lived tail
	Min  float64 `json:"min"`
}

// Power-state names used as keys of KPI.TimeInStateS and KPI.EnergyByStateJ.
const (
	StatePSM       = "psm"
	StateIdle      = "idle"
	StateConnected = "connected"
	StateCDRX      = "cdrx"
	StateTx        = "tx"
	StateRx        = "rx"
)

// States returns the power-state names, in the order the summary prints
// them (a fresh slice on each call).
func States() []string {
	return []string{StatePSM, StateIdle, StateConnected, StateCDRX, StateTx, StateRx}
}

// KPI is the set of key performance indicators of a run, either over all
// devices (Results.KPI) or over one device group (Results.Groups).
// docs/results.md gives the exact definition and unit of every field.
type KPI struct {
	// Uplink reports. Every generated report ends delivered, dropped (with a
	// cause, see Results.DropsByCause) or still in flight when the run
	// stops: generated = delivered + dropped + in_flight.
	ReportsGenerated int64 `json:"reports_generated"`
	ReportsDelivered int64 `json:"reports_delivered"`
	ReportsDropped   int64 `json:"reports_dropped"`
	ReportsInFlight  int64 `json:"reports_in_flight"`

	// AccessAttempts counts random-access procedures started;
	// AccessSuccesses those that reached contention-resolution success;
	// AccessFailures those abandoned (preambleTransMax reached, Msg3/Msg4
	// failure...). Procedures still running when the run stops are neither.
	AccessAttempts  int64 `json:"access_attempts"`
	AccessSuccesses int64 `json:"access_successes"`
	AccessFailures  int64 `json:"access_failures"`
	// AccessSuccessProbability = AccessSuccesses / AccessAttempts, 0 when
	// no procedure was started (use Ratio).
	AccessSuccessProbability float64 `json:"access_success_probability"`
	// CollisionProbability = (NPRACH occasion, preamble) pairs picked by two
	// or more devices / all (occasion, preamble) pairs offered; 0 if none.
	CollisionProbability float64 `json:"collision_probability"`
	// PreambleTransmissionsMean: mean number of preamble transmissions per
	// successful access procedure (≥ 1), 0 if none succeeded.
	PreambleTransmissionsMean float64 `json:"preamble_transmissions_mean"`
	// PreambleTransmissionsCDF[i]: the share of successful access
	// procedures that needed at most i+1 preamble transmissions (the CDF
	// TR 37.868 §6.2.2.1 plots); its length is the most any needed, [] if
	// none succeeded.
	PreambleTransmissionsCDF []float64 `json:"preamble_transmissions_cdf"`
	// AccessDelayMs: start of the procedure's first preamble transmission →
	// contention-resolution success, over successful procedures (the access
	// delay of TR 37.868 §6.2.2.1, in every random-access mode).
	AccessDelayMs Dist `json:"access_delay_ms"`
	// AccessDelayFromTriggerMs: the access trigger (the device decides to
	// access) → contention-resolution success, over successful procedures:
	// AccessDelayMs plus access barring and the wait for the first occasion.
	AccessDelayFromTriggerMs Dist `json:"access_delay_from_trigger_ms"`
	// AttachTimeMs: the first attempt of an attach (power-on, or the need
	// to attach again) → registered, over completed attaches: it includes
	// synchronisation, random access, backoff, retries after a failed
	// attempt (T3411/T3402) and the NAS exchange.
	AttachTimeMs Dist `json:"attach_time_ms"`
	// LatencyMs: report generated → delivered to the application server,
	// over delivered reports.
	LatencyMs Dist `json:"uplink_latency_ms"`
	// EnergyPerReportMJ: device radio energy (all states, excluding the
	// baseline/sleep floor) / reports delivered, in millijoules; 0 if none
	// was delivered (use Div).
	EnergyPerReportMJ float64 `json:"energy_per_report_mj"`
	// BatteryYears: projected battery lifetime per device.
	BatteryYears BatteryDist `json:"battery_years"`

	// Devices simulated; OutOfCoverage of them had a coupling loss beyond
	// the maximum and never attached. CELevels[i] counts the in-coverage
	// devices in coverage-enhancement level i, so
	// sum(CELevels) + OutOfCoverage = Devices.
	Devices       int64   `json:"devices"`
	OutOfCoverage int64   `json:"out_of_coverage"`
	CELevels      []int64 `json:"ce_levels"`

	// Mobile-terminated (downlink, paged) data, same accounting as the
	// uplink reports: mt_generated = mt_delivered + mt_dropped + mt_in_flight.
	MTGenerated int64 `json:"mt_generated"`
	MTDelivered int64 `json:"mt_delivered"`
	MTDropped   int64 `json:"mt_dropped"`
	MTInFlight  int64 `json:"mt_in_flight"`
	// MTLatencyMs: downlink data arrival at the core → delivered to the
	// device, over delivered MT data.
	MTLatencyMs Dist `json:"mt_latency_ms"`

	// TimeInStateS: device-seconds spent in each power state (keys: see
	// States), summed over devices. EnergyByStateJ: energy in each state,
	// in joules, summed over devices (baseline included).
	TimeInStateS   map[string]float64 `json:"time_in_state_s"`
	EnergyByStateJ map[string]float64 `json:"energy_by_state_j"`
}

// CellKPI is the load of one cell.
type CellKPI struct {
	Name       string `json:"name"`
	Devices    int64  `json:"devices"`    // devices camped on the cell
	Preambles  int64  `json:"preambles"`  // preamble transmissions received
	Collisions int64  `json:"collisions"` // collided (occasion, preamble) pairs
	// ULUtilisation / DLUtilisation: fraction (0..1) of NPUSCH / NPDSCH
	// resources used over the run.
	ULUtilisation float64 `json:"ul_utilisation"`
	DLUtilisation float64 `json:"dl_utilisation"`
	// IoT: interference over thermal (noise rise, dB) on the cell's NPRACH
	// receptions, one value per (occasion, hopping group of 12 subcarriers)
	// in which the cell received a preamble, its own or a neighbour's.
	IoT IoTDist `json:"iot_db"`
	// BlockedOccasions: of those, the ones in which the total power at the
	// receiver input passed the blocking level (phy.ReceiverBlockingDbm):
	// every preamble of the cell in them was lost.
	BlockedOccasions int64 `json:"blocked_occasions"`
	// NPUSCHIoT: interference over thermal met by each NPUSCH transmission
	// (and HARQ retransmission) of the cell, on its own subcarriers during
	// its own time.
	NPUSCHIoT IoTDist `json:"npusch_iot_db"`
	// Resources: the use of each radio resource (keys: NPRACHResource(k),
	// ResNPDCCH, ResNPDSCH, ResNPUSCH).
	Resources map[string]ResourceUse `json:"resources"`
	// Bottleneck: the resource that saturated first in this cell (Cell
	// empty), by the rule of Limit.
	Bottleneck Bottleneck `json:"bottleneck"`
	// Carriers: each carrier of a multi-carrier cell (radio.carriers > 1;
	// absent with one carrier), the anchor first. The cell's own figures
	// are over all its carriers: counts summed, utilisations and
	// resources pooled (docs/results.md, Multi-carrier cells).
	Carriers []CarrierKPI `json:"carriers,omitempty"`
}

// CarrierKPI is one carrier of a multi-carrier cell.
type CarrierKPI struct {
	Carrier    int   `json:"carrier"`    // 0: the anchor, 1..15: non-anchor carriers
	Preambles  int64 `json:"preambles"`  // preamble transmissions received on its NPRACH
	Collisions int64 `json:"collisions"` // collided (occasion, preamble) pairs
	Pages      int64 `json:"pages"`      // pages sent on it (TS 36.304 §7.1 paging carrier)
	// ULUtilisation / DLUtilisation: fraction of its NPUSCH / NPDSCH used.
	ULUtilisation float64 `json:"ul_utilisation"`
	DLUtilisation float64 `json:"dl_utilisation"`
	// Resources: its use of each radio resource (the keys of CellKPI's;
	// Peak and LimitS are the cell's only).
	Resources map[string]ResourceUse `json:"resources"`
}

// GroupResult holds the results of one device group.
type GroupResult struct {
	KPI KPI `json:"kpi"`
}

// ExpectResult is one evaluated expectation.
type ExpectResult struct {
	Expr  string  `json:"expr"`  // the expression as written (trimmed)
	Value float64 `json:"value"` // the value PATH resolved to
	OK    bool    `json:"ok"`
}

// Perf is the simulator's speed. It depends on the machine and the wall
// clock, so it is the one block of results.json that is not reproducible.
type Perf struct {
	Events      int64   `json:"events"`        // discrete events processed
	WallS       float64 `json:"wall_s"`        // wall-clock seconds of the run
	EventsPerS  float64 `json:"events_per_s"`  // events / wall_s
	ReportsPerS float64 `json:"reports_per_s"` // reports generated / wall_s
}

// Signalling counts the core network's signalling load.
type Signalling struct {
	// Mode is the signalling fidelity: "typed" (message sizes from tables)
	// or "encoded" (every message marshalled and parsed).
	Mode         string `json:"mode"`
	NASMessages  int64  `json:"nas_messages"`  // EMM/ESM messages between devices and the MME
	S1APMessages int64  `json:"s1ap_messages"` // S1AP PDUs between eNodeBs and the MME
	S1APBytes    int64  `json:"s1ap_bytes"`    // their size (SCTP/IP headers excluded)
	// MessagesPerReport is S1AP messages per delivered uplink report.
	MessagesPerReport float64 `json:"messages_per_report"`
	// MMETransactionsPerSPeak is the largest number of NAS messages the MME
	// handled within one second of simulated time.
	MMETransactionsPerSPeak float64 `json:"mme_transactions_per_s_peak"`
	// FailuresByCause counts, in encoded signalling, the core's rejects
	// (rejected_CAUSE) and the NAS messages it discarded (discarded_CAUSE:
	// unprotected, integrity, replay, malformed, unexpected). Absent in typed.
	FailuresByCause map[string]int64 `json:"failures_by_cause,omitempty"`
}

// Results is everything a run produces that goes into results.json.
type Results struct {
	Scenario  string                 `json:"scenario"`
	Seed      uint64                 `json:"seed"`
	DurationS float64                `json:"duration_s"` // simulated time
	KPI       KPI                    `json:"kpi"`
	Groups    map[string]GroupResult `json:"groups"`
	Cells     []CellKPI              `json:"cells"`
	// Bottleneck: the resource that saturated first in any cell.
	Bottleneck   Bottleneck       `json:"bottleneck"`
	DropsByCause map[string]int64 `json:"drops_by_cause"` // uplink reports; sums to kpi.reports_dropped
	Signalling   Signalling       `json:"signalling"`
	// EvaluationOnly notes each evaluation-only value the scenario uses
	// (one no 3GPP network can signal, e.g. preamble_trans_max_ce 1):
	// absent when it uses none.
	EvaluationOnly []string       `json:"evaluation_only,omitempty"`
	Expectations   []ExpectResult `json:"expectations"`
	Perf           Perf           `json:"perf"`
	// Shard: present only in the results of one shard of a sharded run
	// (nbsim run --shard i/N), which reports its own cells only; nbsim
	// merge joins the N shards into the whole run's results.
	Shard *Shard `json:"shard,omitempty"`
	// Merged: present only in the results nbsim merge wrote (what it
	// merged).
	Merged *Merged `json:"merged,omitempty"`
}

// Shard identifies one shard of a sharded run: its index (0 ≤ Index <
// Count), the number of shards, and the site clusters it reports (the
// model's cluster indices, ascending; its halo is not listed). The shards
// of one run report disjoint clusters whose union is every cluster.
type Shard struct {
	Index    int   `json:"index"`
	Count    int   `json:"count"`
	Clusters []int `json:"clusters"`
}

// Samples are the raw data behind the plots; they are not written to JSON.
type Samples struct {
	AccessDelaysMs []float64 // one per successful access procedure
	BatteryYears   []float64 // one per device
	// Geo, if set, computes what the geographic outputs show (cells.geojson,
	// devices.geojson, coverage.png): called only when they are written.
	Geo func() (*Geo, error)
}

// Row is one row of timeseries.csv: counts over [Minute, Minute+1) minutes
// of simulated time.
type Row struct {
	Minute     int
	Arrivals   int64 // reports generated
	Preambles  int64 // preamble transmissions
	Collisions int64 // collided (occasion, preamble) pairs
	Successes  int64 // access procedures that succeeded
	Failures   int64 // access procedures that failed
	Connected  int64 // devices in RRC connected at the end of the minute (snapshot)
	// Utilisation[i]: the highest utilisation of resource
	// TimeSeries.Resources[i] over the cells in the interval.
	Utilisation []float64
	// Limit: the resource the bottleneck rule names in the interval (over
	// all cells, the highest figure), or "none".
	Limit string
	// LimitFigure: that figure (0 with none; not a column of
	// timeseries.csv, kept in merge.json to merge rows).
	LimitFigure float64
}

// TimeSeries is the per-interval activity of a run. Step is the interval
// (one minute); Rows are in time order. Resources names the radio
// resources of Row.Utilisation (none: the resource columns are left out).
type TimeSeries struct {
	Step      time.Duration
	Rows      []Row
	Resources []string
}

// Header returns the header line of the time series' CSV:
// TimeSeriesHeader, then, with resources, "limit" and one column per
// resource (its name).
func (ts *TimeSeries) Header() string {
	if ts == nil || len(ts.Resources) == 0 {
		return TimeSeriesHeader
	}
	return TimeSeriesHeader + ",limit," + strings.Join(ts.Resources, ",")
}

// SetPerf fills r.Perf from the run's event count and wall time (s): the
// rates are per wall second, 0 when no time was measured.
func (r *Results) SetPerf(events int64, wall float64) {
	r.Perf = Perf{Events: events, WallS: wall}
	if wall > 0 {
		r.Perf.EventsPerS = float64(events) / wall
		r.Perf.ReportsPerS = float64(r.KPI.ReportsGenerated) / wall
	}
}

// Ratio returns a/b, or 0 when b == 0 (never NaN or Inf).
func Ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Div returns a/b, or 0 when b == 0 or the quotient is not finite.
func Div(a float64, b int64) float64 {
	if b == 0 {
		return 0
	}
	q := a / float64(b)
	if math.IsNaN(q) || math.IsInf(q, 0) {
		return 0
	}
	return q
}

// WithoutPerf returns a copy of r with the Perf block zeroed: the part of
// the results that must be identical for the same scenario and seed.
// The copy shares slices and maps with r.
func (r *Results) WithoutPerf() Results {
	c := *r
	c.Perf = Perf{}
	return c
}

// Marshal returns the exact bytes of results.json: indented JSON with a
// trailing newline, map keys sorted, nil slices/maps written as []/{}.
// It fails, naming the field, if a float is NaN or infinite.
func Marshal(r *Results) ([]byte, error) {
	if r == nil {
		return nil, errors.New("results: nil")
	}
	if bad := nonFinite(r); len(bad) > 0 {
		return nil, fmt.Errorf("results: non-finite value (JSON cannot encode it) at %s", strings.Join(bad, ", "))
	}
	n := normalised(r)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&n); err != nil { // Encode appends the newline
		return nil, fmt.Errorf("results: %w", err)
	}
	return buf.Bytes(), nil
}

// normalised returns a shallow copy of r in which nil slices and maps are
// empty ones, so the schema never shows null.
func normalised(r *Results) Results {
	c := *r
	c.KPI = normalisedKPI(c.KPI)
	g := make(map[string]GroupResult, len(r.Groups))
	for name, gr := range r.Groups {
		g[name] = GroupResult{KPI: normalisedKPI(gr.KPI)}
	}
	c.Groups = g
	if c.Cells == nil {
		c.Cells = []CellKPI{}
	} else {
		c.Cells = slices.Clone(c.Cells)
		for i := range c.Cells {
			if c.Cells[i].Resources == nil {
				c.Cells[i].Resources = map[string]ResourceUse{}
			}
			c.Cells[i].Bottleneck = normalisedBottleneck(c.Cells[i].Bottleneck)
		}
	}
	c.Bottleneck = normalisedBottleneck(c.Bottleneck)
	if c.DropsByCause == nil {
		c.DropsByCause = map[string]int64{}
	}
	if c.Expectations == nil {
		c.Expectations = []ExpectResult{}
	}
	if c.Shard != nil && c.Shard.Clusters == nil {
		sh := *c.Shard
		sh.Clusters = []int{}
		c.Shard = &sh
	}
	return c
}

func normalisedBottleneck(b Bottleneck) Bottleneck {
	if b.Resource == "" {
		b.Resource = ResNone
	}
	if b.Utilisation == nil {
		b.Utilisation = map[string]float64{}
	}
	return b
}

func normalisedKPI(k KPI) KPI {
	if k.CELevels == nil {
		k.CELevels = []int64{}
	}
	if k.PreambleTransmissionsCDF == nil {
		k.PreambleTransmissionsCDF = []float64{}
	}
	if k.TimeInStateS == nil {
		k.TimeInStateS = map[string]float64{}
	}
	if k.EnergyByStateJ == nil {
		k.EnergyByStateJ = map[string]float64{}
	}
	return k
}

// nonFinite returns the JSON paths of the NaN or infinite floats in r,
// sorted.
func nonFinite(r *Results) []string {
	var bad []string
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Float32, reflect.Float64:
			if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
				bad = append(bad, fmt.Sprintf("%s (%v)", path, f))
			}
		case reflect.Struct:
			t := v.Type()
			for i := range t.NumField() {
				name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
				if name == "" || name == "-" {
					continue
				}
				walk(v.Field(i), joinPath(path, name))
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), joinPath(path, fmt.Sprint(i)))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k), joinPath(path, k.String()))
			}
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		}
	}
	walk(reflect.ValueOf(*r), "")
	slices.Sort(bad)
	return bad
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// Validate checks the accounting identities documented in docs/results.md
// and that every float is finite. It returns all violations joined, or nil.
// WriteDir does not call it (only finiteness is required to write JSON); the
// model's tests should.
func (r *Results) Validate() error {
	var errs []error
	for _, p := range nonFinite(r) {
		errs = append(errs, fmt.Errorf("non-finite value at %s", p))
	}
	check := func(where string, k *KPI) {
		if k.ReportsGenerated != k.ReportsDelivered+k.ReportsDropped+k.ReportsInFlight {
			errs = append(errs, fmt.Errorf("%s: reports_generated %d != delivered %d + dropped %d + in_flight %d",
				where, k.ReportsGenerated, k.ReportsDelivered, k.ReportsDropped, k.ReportsInFlight))
		}
		if k.MTGenerated != k.MTDelivered+k.MTDropped+k.MTInFlight {
			errs = append(errs, fmt.Errorf("%s: mt_generated %d != delivered %d + dropped %d + in_flight %d",
				where, k.MTGenerated, k.MTDelivered, k.MTDropped, k.MTInFlight))
		}
		if k.AccessSuccesses+k.AccessFailures > k.AccessAttempts {
			errs = append(errs, fmt.Errorf("%s: access_successes %d + access_failures %d > access_attempts %d",
				where, k.AccessSuccesses, k.AccessFailures, k.AccessAttempts))
		}
		if len(k.CELevels) > 0 {
			var s int64
			for _, n := range k.CELevels {
				s += n
			}
			if s+k.OutOfCoverage != k.Devices {
				errs = append(errs, fmt.Errorf("%s: sum(ce_levels) %d + out_of_coverage %d != devices %d",
					where, s, k.OutOfCoverage, k.Devices))
			}
		}
		for _, p := range []struct {
			name string
			v    float64
		}{
			{"access_success_probability", k.AccessSuccessProbability},
			{"collision_probability", k.CollisionProbability},
		} {
			if p.v < 0 || p.v > 1 {
				errs = append(errs, fmt.Errorf("%s: %s %v outside [0, 1]", where, p.name, p.v))
			}
		}
	}
	check("kpi", &r.KPI)
	errs = append(errs, checkBottleneck("bottleneck", r.Bottleneck))
	for _, c := range r.Cells {
		errs = append(errs, checkBottleneck("cells."+c.Name+".bottleneck", c.Bottleneck))
	}
	if len(r.DropsByCause) > 0 || r.KPI.ReportsDropped != 0 {
		var s int64
		for _, n := range r.DropsByCause {
			s += n
		}
		if s != r.KPI.ReportsDropped {
			errs = append(errs, fmt.Errorf("sum(drops_by_cause) %d != kpi.reports_dropped %d", s, r.KPI.ReportsDropped))
		}
	}
	if len(r.Groups) > 0 {
		var sum KPI
		for _, name := range sortedKeys(r.Groups) {
			g := r.Groups[name].KPI
			check("groups."+name+".kpi", &g)
			sum.Devices += g.Devices
			sum.ReportsGenerated += g.ReportsGenerated
			sum.ReportsDelivered += g.ReportsDelivered
			sum.ReportsDropped += g.ReportsDropped
			sum.ReportsInFlight += g.ReportsInFlight
			sum.AccessAttempts += g.AccessAttempts
			sum.AccessSuccesses += g.AccessSuccesses
		}
		k := r.KPI
		if sum.Devices != k.Devices || sum.ReportsGenerated != k.ReportsGenerated ||
			sum.ReportsDelivered != k.ReportsDelivered || sum.ReportsDropped != k.ReportsDropped ||
			sum.ReportsInFlight != k.ReportsInFlight || sum.AccessAttempts != k.AccessAttempts ||
			sum.AccessSuccesses != k.AccessSuccesses {
			errs = append(errs, errors.New("groups: devices, reports_* and access_attempts/successes do not sum to the kpi totals"))
		}
	}
	return errors.Join(errs...)
}

// checkBottleneck: a named resource is one of the figures and saturated;
// none is below the threshold. An empty (unset) bottleneck passes.
func checkBottleneck(where string, b Bottleneck) error {
	switch {
	case b.Resource == "":
		return nil
	case b.Resource == ResNone && b.Saturation >= Saturated:
		return fmt.Errorf("%s: none with saturation %v ≥ %v", where, b.Saturation, Saturated)
	case b.Resource == ResNone:
		return nil
	case b.Saturation < Saturated:
		return fmt.Errorf("%s: %s with saturation %v < %v", where, b.Resource, b.Saturation, Saturated)
	}
	if _, ok := b.Utilisation[b.Resource]; !ok {
		return fmt.Errorf("%s: %s is not among its figures", where, b.Resource)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
