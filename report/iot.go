package report

import "math"

// IoTDist summarises a cell's uplink interference over thermal (noise rise,
// dB) over its receptions: mean and maximum exact, p50 and p99 to the
// 0.1 dB bin of [DBHist] (the bin's lower edge).
type IoTDist struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// DBHistBins and DBHistPerDb: [DBHist] counts values in 0.1 dB bins over
// [0, 100) dB; larger values fall in the last bin (and still count fully in
// the mean and maximum).
const (
	DBHistBins  = 1000
	DBHistPerDb = 10 // bins per dB
)

// DBHist is a bounded-memory distribution of non-negative dB values (8 kB
// whatever the number of samples). The zero value is empty and ready.
type DBHist struct {
	bins [DBHistBins]int64
	n    int64
	sum  float64
	max  float64
}

// Add counts one value; NaN and negative values count as 0.
func (h *DBHist) Add(db float64) {
	if !(db > 0) {
		db = 0
	}
	b := int(db*DBHistPerDb + 1e-9) // 1e-9: 7.3 dB is bin 73, not 72.99999
	if b >= DBHistBins || math.IsInf(db, 1) {
		b = DBHistBins - 1
	}
	h.bins[b]++
	h.n++
	h.sum += db
	h.max = max(h.max, db) // the builtin is math.Max (NaN, signed zeros), inlined
}

// N is the number of values counted.
func (h *DBHist) N() int64 { return h.n }

// Merge adds the values counted in o to h.
func (h *DBHist) Merge(o *DBHist) {
	for i := range h.bins {
		h.bins[i] += o.bins[i]
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// Dist is the summary: all zeros when empty. Quantiles by nearest rank, as
// [Quantiles].
func (h *DBHist) Dist() IoTDist {
	if h.n == 0 {
		return IoTDist{}
	}
	return IoTDist{Mean: h.sum / float64(h.n), P50: h.quantile(500), P99: h.quantile(990), Max: h.max}
}

// quantile is the lower edge of the bin holding the nearest-rank value of
// perMille (capped at the maximum, so a single value reads back exactly
// to its bin).
func (h *DBHist) quantile(perMille int64) float64 {
	rank := max(1, (perMille*h.n+999)/1000)
	var seen int64
	for b, c := range h.bins {
		seen += c
		if seen >= rank {
			return math.Min(float64(b)/DBHistPerDb, h.max)
		}
	}
	return h.max
}
