package report

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FileMergeState is the file beside results.json that holds what nbsim
// merge needs beyond it (State).
const FileMergeState = "merge.json"

// StateSchema names the layout of merge.json.
const StateSchema = "nbsim-merge/1"

// State is what a run's results.json does not hold but merging runs needs:
// the distributions as sketches, the counts behind its ratios, and where
// the run came from (to refuse merging runs of different scenarios or
// versions). WriteDir writes it as merge.json (docs/results.md).
type State struct {
	Schema string `json:"schema"` // StateSchema
	// Version is what nbsim --version printed for the run.
	Version string `json:"version"`
	// ScenarioSHA256 is the SHA-256 (hex) of the scenario as run, in
	// YAML, with its seed set to 0: equal for the shards and the
	// replications (other seeds) of one scenario.
	ScenarioSHA256 string `json:"scenario_sha256"`
	// Scenario is the scenario as run, in YAML (its seed included): what
	// a merged report.html shows.
	Scenario string `json:"scenario_yaml"`
	// Offered is the (occasion, preamble) pairs offered over the reported
	// cells (the denominator of collision_probability).
	Offered int64               `json:"offered_pairs"`
	KPI     KPIState            `json:"kpi"`
	Groups  map[string]KPIState `json:"groups"`
	// Cells are in results.json's cell order.
	Cells []CellState `json:"cells"`
	// NASPerSecond[s], when set (a shard's), is the NAS messages its core
	// handled in second s of the run: the shards' series add, so the
	// merged mme_transactions_per_s_peak is exact.
	NASPerSecond []int64 `json:"nas_per_second,omitempty"`
	// LimitFigures[i] is the figure of timeseries.csv row i's limit (the
	// highest saturated figure over the cells; 0 with none).
	LimitFigures []float64 `json:"limit_figures"`
}

// KPIState is the mergeable form of a KPI block's distributions and
// ratios.
type KPIState struct {
	AccessDelayMs            *Sketch `json:"access_delay_ms"`
	AccessDelayFromTriggerMs *Sketch `json:"access_delay_from_trigger_ms"`
	AttachTimeMs             *Sketch `json:"attach_time_ms"`
	LatencyMs                *Sketch `json:"uplink_latency_ms"`
	MTLatencyMs              *Sketch `json:"mt_latency_ms"`
	BatteryYears             *Sketch `json:"battery_years"`
	// PreambleTransmissions[i]: successful procedures that needed i+1
	// preamble transmissions.
	PreambleTransmissions []int64 `json:"preamble_transmissions"`
	// Collided: (occasion, preamble) pairs picked by two or more of the
	// block's devices.
	Collided int64 `json:"collided_pairs"`
	// RadioMJ: the devices' radio energy (energy_per_report_mj's
	// numerator), mJ.
	RadioMJ float64 `json:"radio_energy_mj"`
}

// CellState is the mergeable form of a cell's distributions.
type CellState struct {
	IoT       DBHist `json:"iot_db"`
	NPUSCHIoT DBHist `json:"npusch_iot_db"`
}

// Dists fills k's distributions from the state's sketches.
func (s *KPIState) Dists(k *KPI) {
	k.AccessDelayMs = s.AccessDelayMs.Dist()
	k.AccessDelayFromTriggerMs = s.AccessDelayFromTriggerMs.Dist()
	k.AttachTimeMs = s.AttachTimeMs.Dist()
	k.LatencyMs = s.LatencyMs.Dist()
	k.MTLatencyMs = s.MTLatencyMs.Dist()
	k.BatteryYears = s.BatteryYears.Battery()
	k.PreambleTransmissionsCDF = CountCDF(s.PreambleTransmissions)
}

// Merge adds o to s (sketches merged, counts added).
func (s *KPIState) Merge(o *KPIState) {
	for _, p := range []struct{ dst **Sketch }{
		{&s.AccessDelayMs}, {&s.AccessDelayFromTriggerMs}, {&s.AttachTimeMs}, {&s.LatencyMs}, {&s.MTLatencyMs}, {&s.BatteryYears},
	} {
		if *p.dst == nil {
			*p.dst = &Sketch{}
		}
	}
	s.AccessDelayMs.Merge(o.AccessDelayMs)
	s.AccessDelayFromTriggerMs.Merge(o.AccessDelayFromTriggerMs)
	s.AttachTimeMs.Merge(o.AttachTimeMs)
	s.LatencyMs.Merge(o.LatencyMs)
	s.MTLatencyMs.Merge(o.MTLatencyMs)
	s.BatteryYears.Merge(o.BatteryYears)
	s.PreambleTransmissions = AddCounts(s.PreambleTransmissions, o.PreambleTransmissions)
	s.Collided += o.Collided
	s.RadioMJ += o.RadioMJ
}

// AddCounts returns a with b added element by element, grown to b's
// length.
func AddCounts(a, b []int64) []int64 {
	if len(b) > len(a) {
		a = append(a, make([]int64, len(b)-len(a))...)
	}
	for i, v := range b {
		a[i] += v
	}
	return a
}

// MarshalState returns merge.json's bytes: indented JSON, a trailing
// newline, map keys sorted.
func MarshalState(s *State) ([]byte, error) {
	c := *s
	c.Schema = StateSchema
	if c.Groups == nil {
		c.Groups = map[string]KPIState{}
	}
	if c.Cells == nil {
		c.Cells = []CellState{}
	}
	if c.LimitFigures == nil {
		c.LimitFigures = []float64{}
	}
	b, err := json.MarshalIndent(&c, "", " ")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileMergeState, err)
	}
	return append(b, '\n'), nil
}

// UnmarshalState reads merge.json, refusing another schema.
func UnmarshalState(b []byte) (*State, error) {
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	if s.Schema != StateSchema {
		return nil, fmt.Errorf("schema %q, want %q", s.Schema, StateSchema)
	}
	return &s, nil
}

// dbHistJSON is a DBHist in merge.json: the count, sum and maximum, and
// the non-empty bins as [bin, count] pairs, ascending.
type dbHistJSON struct {
	N    int64      `json:"n"`
	Sum  float64    `json:"sum"`
	Max  float64    `json:"max"`
	Bins [][2]int64 `json:"bins"`
}

// MarshalJSON writes the histogram's non-empty bins.
func (h *DBHist) MarshalJSON() ([]byte, error) {
	j := dbHistJSON{N: h.n, Sum: h.sum, Max: h.max, Bins: [][2]int64{}}
	for b, c := range h.bins {
		if c != 0 {
			j.Bins = append(j.Bins, [2]int64{int64(b), c})
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote; bins out of range or not
// holding the count are refused.
func (h *DBHist) UnmarshalJSON(data []byte) error {
	var j dbHistJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*h = DBHist{n: j.N, sum: j.Sum, max: j.Max}
	var n int64
	for _, bc := range j.Bins {
		if bc[0] < 0 || bc[0] >= DBHistBins || bc[1] < 0 {
			return fmt.Errorf("dB histogram: bin %v out of range", bc)
		}
		h.bins[bc[0]] += bc[1]
		n += bc[1]
	}
	if n != j.N {
		return fmt.Errorf("dB histogram: bins hold %d values, n is %d", n, j.N)
	}
	return nil
}

// ParseTimeSeriesCSV reads what TimeSeriesCSV wrote (a minute step).
func ParseTimeSeriesCSV(data []byte) (*TimeSeries, error) {
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	head := strings.Split(lines[0], ",")
	base := strings.Split(TimeSeriesHeader, ",")
	if len(head) < len(base) || strings.Join(head[:len(base)], ",") != TimeSeriesHeader ||
		(len(head) > len(base) && head[len(base)] != "limit") {
		return nil, fmt.Errorf("line 1: header %q, want %q and optionally limit and resource columns", lines[0], TimeSeriesHeader)
	}
	ts := &TimeSeries{Step: time.Minute}
	if len(head) > len(base) {
		ts.Resources = head[len(base)+1:]
	}
	for i, line := range lines[1:] {
		f := strings.Split(line, ",")
		if len(f) != len(head) {
			return nil, fmt.Errorf("line %d: %d fields, the header has %d", i+2, len(f), len(head))
		}
		var ints [7]int64
		for k := range ints {
			v, err := strconv.ParseInt(f[k], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d, %s: %w", i+2, head[k], err)
			}
			ints[k] = v
		}
		r := Row{Minute: int(ints[0]), Arrivals: ints[1], Preambles: ints[2], Collisions: ints[3],
			Successes: ints[4], Failures: ints[5], Connected: ints[6]}
		if ts.Resources != nil {
			r.Limit = f[len(base)]
			for k, s := range f[len(base)+1:] {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return nil, fmt.Errorf("line %d, %s: %w", i+2, ts.Resources[k], err)
				}
				r.Utilisation = append(r.Utilisation, v)
			}
		}
		ts.Rows = append(ts.Rows, r)
	}
	return ts, nil
}
