package report

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

// SketchAccuracy is the relative accuracy of every quantile results.json
// gives (access delay, latency, attach time, battery years): the value
// reported is within 0.1 % of the exact nearest-rank sample (DDSketch's
// guarantee, Masson, Rim and Lee, VLDB 2019).
const SketchAccuracy = 0.001

// sketchMapping is the one index mapping of every Sketch: sketches merge
// only with the same mapping, so it is fixed (and checked on decoding).
var sketchMapping = func() mapping.IndexMapping {
	m, err := mapping.NewLogarithmicMapping(SketchAccuracy)
	if err != nil {
		panic(err)
	}
	return m
}()

// Sketch is a mergeable summary of a distribution: the count, sum, minimum
// and maximum exactly, and the quantiles from a DDSketch (logarithmic
// bins of relative width 2·SketchAccuracy, github.com/DataDog/sketches-go).
// Two sketches merge into the sketch of the union of their samples: the
// same bins, hence the same quantiles, as one sketch of all the samples.
// The zero value is empty and ready; a Sketch is not safe for concurrent
// use.
type Sketch struct {
	n        int64
	sum      float64
	min, max float64
	dd       *ddsketch.DDSketch
}

func newDD() *ddsketch.DDSketch {
	return ddsketch.NewDDSketch(sketchMapping, store.NewDenseStore(), store.NewDenseStore())
}

// SketchOf is the sketch of the finite values of xs (NaN and ±Inf are
// ignored; xs is not modified). The sum is taken in ascending order, so the
// mean does not depend on the order of xs.
func SketchOf[T ~float32 | ~float64](xs []T) *Sketch {
	s := finiteSorted(xs)
	k := &Sketch{}
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		k.addN(float64(s[i]), j-i)
		i = j
	}
	k.sum = 0
	for _, x := range s { // ascending: the order of xs does not matter
		k.sum += float64(x)
	}
	return k
}

// Add counts one value; NaN and ±Inf are ignored.
func (k *Sketch) Add(x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return
	}
	k.addN(x, 1)
	k.sum += x
}

// addN counts x c times in the bins, the count, minimum and maximum (not
// the sum).
func (k *Sketch) addN(x float64, c int) {
	if k.dd == nil {
		k.dd = newDD()
	}
	if err := k.dd.AddWithCount(x, float64(c)); err != nil {
		// Only a value beyond the mapping's range (|x| > 1e307) fails:
		// it counts at the range's end.
		k.dd.AddWithCount(math.Copysign(sketchMapping.MaxIndexableValue(), x), float64(c))
	}
	if k.n == 0 || x < k.min {
		k.min = x
	}
	if k.n == 0 || x > k.max {
		k.max = x
	}
	k.n += int64(c)
}

// N is the number of values counted.
func (k *Sketch) N() int64 { return k.n }

// Merge adds o's values to k (o is not modified). It is exact: the bins,
// count, minimum and maximum are those of one sketch of both sets of
// values; the sum is k's plus o's (so merging in a fixed order gives the
// same bytes).
func (k *Sketch) Merge(o *Sketch) {
	if o == nil || o.n == 0 {
		return
	}
	if k.dd == nil {
		k.dd = newDD()
	}
	if err := k.dd.MergeWith(o.dd); err != nil {
		panic(err) // one mapping for every Sketch: cannot fail
	}
	if k.n == 0 || o.min < k.min {
		k.min = o.min
	}
	if k.n == 0 || o.max > k.max {
		k.max = o.max
	}
	k.n += o.n
	k.sum += o.sum
}

// Quantile is the nearest-rank quantile, q in per-mille (950: the 95th
// percentile): the representative of the bin holding the sample of
// 1-based rank ceil(q/1000 · n), within SketchAccuracy of that sample
// (relative), clamped to the exact minimum and maximum; the first and
// the last rank are the exact minimum and maximum. 0 when empty.
func (k *Sketch) Quantile(perMille int) float64 {
	if k.n == 0 {
		return 0
	}
	rank := max(1, (int64(perMille)*k.n+999)/1000)
	return k.quantileRank(min(rank, k.n))
}

// Mean is the exact arithmetic mean (0 when empty).
func (k *Sketch) Mean() float64 {
	if k.n == 0 {
		return 0
	}
	return k.sum / float64(k.n)
}

// Dist is the summary results.json gives: the mean and the 50th, 95th and
// 99th percentiles (see Quantile); all zeros when empty.
func (k *Sketch) Dist() Dist {
	if k == nil || k.n == 0 {
		return Dist{}
	}
	return Dist{Mean: k.Mean(), P50: k.Quantile(500), P95: k.Quantile(950), P99: k.Quantile(990)}
}

// Battery is the battery summary: the mean, the 5th percentile (see
// Quantile) and the exact minimum; all zeros when empty.
func (k *Sketch) Battery() BatteryDist {
	if k == nil || k.n == 0 {
		return BatteryDist{}
	}
	return BatteryDist{Mean: k.Mean(), P5: k.Quantile(50), Min: k.min}
}

// CDFSample returns at most limit values tracing the sketch's CDF (what
// a plot needs): the quantiles of limit evenly spaced ranks from the
// first to the last (every value, to its bin, when there are at most
// limit).
func (k *Sketch) CDFSample(limit int) []float64 {
	if k == nil || k.n == 0 {
		return []float64{}
	}
	m := min(int64(max(limit, 2)), k.n)
	out := make([]float64, m)
	for i := range out {
		rank := 1 + int64(i)*(k.n-1)/max(m-1, 1) // 1-based
		out[i] = k.quantileRank(rank)
	}
	return out
}

// quantileRank is the value of 1-based rank (as Quantile).
func (k *Sketch) quantileRank(rank int64) float64 {
	switch rank {
	case 1:
		return k.min
	case k.n:
		return k.max
	}
	r := float64(rank - 1) // 0-based: the stores' KeyAtRank
	neg := k.dd.GetNegativeValueStore().TotalCount()
	zero := k.dd.GetZeroCount()
	var v float64
	switch {
	case r < neg:
		v = -sketchMapping.Value(k.dd.GetNegativeValueStore().KeyAtRank(neg - 1 - r))
	case r < neg+zero:
		v = 0
	default:
		v = sketchMapping.Value(k.dd.GetPositiveValueStore().KeyAtRank(r - neg - zero))
	}
	return math.Min(math.Max(v, k.min), k.max)
}

// sketchJSON is a Sketch in merge.json: the exact statistics and the
// DDSketch in sketches-go's binary encoding (with its index mapping, so a
// sketch of another accuracy is refused), base64.
type sketchJSON struct {
	N        int64   `json:"n"`
	Sum      float64 `json:"sum"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	DDSketch string  `json:"ddsketch"`
}

// MarshalJSON writes the sketch (an empty one with an empty ddsketch).
func (k *Sketch) MarshalJSON() ([]byte, error) {
	j := sketchJSON{N: k.n, Sum: k.sum, Min: k.min, Max: k.max}
	if k.dd != nil {
		var b []byte
		k.dd.Encode(&b, false)
		j.DDSketch = base64.StdEncoding.EncodeToString(b)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote; a sketch of another
// accuracy, or whose bins do not hold its count, is refused.
func (k *Sketch) UnmarshalJSON(data []byte) error {
	var j sketchJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*k = Sketch{n: j.N, sum: j.Sum, min: j.Min, max: j.Max}
	if j.DDSketch == "" {
		if j.N != 0 {
			return fmt.Errorf("sketch: n %d without bins", j.N)
		}
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(j.DDSketch)
	if err != nil {
		return fmt.Errorf("sketch: %w", err)
	}
	dd, err := ddsketch.DecodeDDSketch(b, store.DenseStoreConstructor, nil)
	if err != nil {
		return fmt.Errorf("sketch: %w", err)
	}
	if dd.IndexMapping == nil || !dd.IndexMapping.Equals(sketchMapping) {
		return errors.New("sketch: not of nbsim's index mapping (logarithmic, relative accuracy 0.001)")
	}
	if c := dd.GetCount(); c != float64(j.N) {
		return fmt.Errorf("sketch: bins hold %v values, n is %d", c, j.N)
	}
	k.dd = ddsketch.NewDDSketch(sketchMapping, store.NewDenseStore(), store.NewDenseStore())
	if err := k.dd.MergeWith(dd); err != nil {
		return fmt.Errorf("sketch: %w", err)
	}
	return nil
}
