package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// Two parts' rows, hand-computed: counts add, each resource column is the
// higher, the limit the one of the higher figure (none never wins).
func TestMergeSeries(t *testing.T) {
	res := []string{"nprach_ce0", "npusch"}
	a := &TimeSeries{Step: time.Minute, Resources: res, Rows: []Row{
		{Minute: 0, Arrivals: 2, Preambles: 3, Connected: 1, Utilisation: []float64{0.9, 0.1}, Limit: "nprach_ce0"},
		{Minute: 1, Arrivals: 1, Utilisation: []float64{0.2, 0.3}, Limit: ResNone},
	}}
	b := &TimeSeries{Step: time.Minute, Resources: res, Rows: []Row{
		{Minute: 0, Arrivals: 5, Collisions: 1, Connected: 4, Utilisation: []float64{0.1, 0.95}, Limit: "npusch"},
		{Minute: 1, Successes: 7, Utilisation: []float64{0.5, 0.1}, Limit: ResNone},
	}}
	parts := []Part{{Series: a, State: &State{LimitFigures: []float64{0.9, 0}}}, {Series: b, State: &State{LimitFigures: []float64{0.95, 0}}}}
	ts, figs, err := mergeSeries(parts)
	if err != nil {
		t.Fatal(err)
	}
	r0, r1 := ts.Rows[0], ts.Rows[1]
	if r0.Arrivals != 7 || r0.Preambles != 3 || r0.Collisions != 1 || r0.Connected != 5 || r0.Limit != "npusch" ||
		r0.Utilisation[0] != 0.9 || r0.Utilisation[1] != 0.95 || figs[0] != 0.95 {
		t.Errorf("row 0 = %+v (figure %v)", r0, figs[0])
	}
	if r1.Arrivals != 1 || r1.Successes != 7 || r1.Limit != ResNone || r1.Utilisation[0] != 0.5 || r1.Utilisation[1] != 0.3 {
		t.Errorf("row 1 = %+v", r1)
	}
	// The CSV reads back.
	var csv bytes.Buffer
	if err := TimeSeriesCSV(&csv, ts); err != nil {
		t.Fatal(err)
	}
	back, err := ParseTimeSeriesCSV(csv.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	TimeSeriesCSV(&again, back)
	if again.String() != csv.String() {
		t.Errorf("CSV round trip:\n%s\n%s", csv.String(), again.String())
	}
	if _, err := ParseTimeSeriesCSV([]byte("minute,x\n")); err == nil {
		t.Error("a foreign header accepted")
	}
}

// The rule among bottlenecks: saturated first, then the earliest, then the
// highest figure, then the first.
func TestBestBottleneck(t *testing.T) {
	bs := []Bottleneck{
		{Resource: ResNone, Saturation: 0.7},
		{Resource: ResNPUSCH, TimeS: 20, Saturation: 0.9},
		{Resource: ResNPDSCH, TimeS: 10, Saturation: 0.85},
		{Resource: "nprach_ce0", TimeS: 10, Saturation: 3},
		{Resource: ResNPDCCH, TimeS: 10, Saturation: 3},
	}
	if got := bestBottleneck(bs); got != 3 {
		t.Errorf("best = %d, want 3 (saturated at 10 s with the highest figure, first of the tie)", got)
	}
	if got := bestBottleneck([]Bottleneck{{Resource: ResNone, Saturation: 0.2}, {Resource: ResNone, Saturation: 0.5}}); got != 1 {
		t.Errorf("best of none = %d, want 1 (the closest)", got)
	}
	cells := []CellKPI{{Name: "a", Bottleneck: bs[1]}, {Name: "b", Bottleneck: bs[2]}}
	if b := networkBottleneck(cells); b.Cell != "b" || b.Resource != ResNPDSCH {
		t.Errorf("network bottleneck %+v, want npdsch in b", b)
	}
}

func TestDBHistJSON(t *testing.T) {
	var h DBHist
	for _, v := range []float64{0, 0.05, 7.3, 7.3, 150} {
		h.Add(v)
	}
	b, err := json.Marshal(&h)
	if err != nil {
		t.Fatal(err)
	}
	var back DBHist
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != h {
		t.Errorf("round trip %s: %+v, want %+v", b, back.Dist(), h.Dist())
	}
	for _, bad := range []string{`{"n":1,"sum":0,"max":0,"bins":[[1000,1]]}`, `{"n":2,"sum":0,"max":0,"bins":[[3,1]]}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// The shards' NAS series add before the peak: 3+1 in second 1 beats
// either shard's own peak (3, 2).
func TestNASPeak(t *testing.T) {
	parts := []Part{{State: &State{NASPerSecond: []int64{2, 3, 0}}}, {State: &State{NASPerSecond: []int64{0, 1, 2}}}}
	if p, ok := nasPeak(parts); !ok || p != 4 {
		t.Errorf("peak %v, %v; want 4", p, ok)
	}
	parts[1].State.NASPerSecond = nil
	if _, ok := nasPeak(parts); ok {
		t.Error("a part without a series: the peaks cannot add")
	}
}
