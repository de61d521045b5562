package model

import (
	"bytes"
	"context"
	"math"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sim"
)

// The Hilbert order of a 2×2 grid is (0,0), (0,1), (1,1), (1,0); of a 4×4
// grid it starts (0,0), (1,0), (1,1), (0,1) (the first quadrant turned).
func TestHilbert(t *testing.T) {
	for _, c := range []struct{ side, x, y, d int }{
		{2, 0, 0, 0}, {2, 0, 1, 1}, {2, 1, 1, 2}, {2, 1, 0, 3},
		{4, 0, 0, 0}, {4, 1, 0, 1}, {4, 1, 1, 2}, {4, 0, 1, 3}, {4, 0, 2, 4}, {4, 3, 0, 15},
	} {
		if got := hilbert(c.side, c.x, c.y); got != c.d {
			t.Errorf("hilbert(%d, %d, %d) = %d, want %d", c.side, c.x, c.y, got, c.d)
		}
	}
}

// Four sites, two in the lower-left 1-km tile: three clusters, numbered
// along the curve (lower-left, upper-left, lower-right).
func TestTileClusters(t *testing.T) {
	sites := []scenarios.Site{{XM: 100, YM: 100}, {XM: 1500, YM: 200}, {XM: 300, YM: 900}, {XM: 200, YM: 1200}}
	got, k := tileClusters(sites, 1000)
	want := []int32{0, 2, 0, 1}
	if k != 3 || !reflect.DeepEqual(got, want) {
		t.Errorf("tileClusters = %v, %d; want %v, 3", got, k, want)
	}
	// Nearest-neighbour distances: site 0 824.6 (to 2), site 1 1389.2
	// (to 2), sites 2 and 3 316.2 (to each other); the median of the
	// four, sorted, is the third: 824.6 = |(200, 800)|.
	if d := medianNearest(sites); math.Abs(d-math.Hypot(200, 800)) > 1e-9 {
		t.Errorf("medianNearest = %g, want %g", d, math.Hypot(200, 800))
	}
	if d := medianNearest(sites[:1]); d != 0 {
		t.Errorf("one site: medianNearest = %g, want 0", d)
	}
}

// A single site is one cluster (the network is not split: today's run);
// scale-1m's 50 sites at 1 km make tiles of 3 km.
func TestPartitionShipped(t *testing.T) {
	for _, c := range []struct {
		name     string
		clusters int
	}{{"cow-collars", 1}, {"smart-meters", 1}, {"scale-1m", 9}} {
		sc, err := scenarios.Load(c.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		sites := sc.Sites()
		if got := len(tileClustersOf(sc, sites)); got != c.clusters {
			t.Errorf("%s: %d clusters, want %d", c.name, got, c.clusters)
		}
	}
}

// tileClustersOf lists the clusters of sc's sites (one when not split).
func tileClustersOf(sc *scenarios.Scenario, sites []scenarios.Site) map[int32]bool {
	tile := tileSide(sc, sites)
	out := map[int32]bool{}
	if tile <= 0 {
		out[0] = true
		return out
	}
	of, _ := tileClusters(sites, tile)
	for _, k := range of {
		out[k] = true
	}
	return out
}

// splitMeters is smart-meters cut into its three sites' clusters, short.
func splitMeters(t *testing.T) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load("smart-meters", []string{"partition.tile_m=1000", "duration=\"40m\"", "groups.meters.count=3000"})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Results are byte-identical for every number of workers.
func TestClustersWorkers(t *testing.T) {
	sc := splitMeters(t)
	var first []byte
	var firstTS string
	for _, w := range []int{1, 2, 3, 8} {
		n, err := Build(sc, sc.Seed)
		if err != nil {
			t.Fatal(err)
		}
		if n.Clusters() != 3 {
			t.Fatalf("%d clusters, want 3", n.Clusters())
		}
		o, err := n.Run(context.Background(), Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		r := o.Results.WithoutPerf()
		b, err := report.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		var ts bytes.Buffer
		if err := report.TimeSeriesCSV(&ts, o.Series); err != nil {
			t.Fatal(err)
		}
		if w == 1 {
			first, firstTS = b, ts.String()
			if o.Results.KPI.ReportsDelivered == 0 {
				t.Fatal("nothing delivered")
			}
			continue
		}
		if !bytes.Equal(b, first) {
			t.Errorf("workers %d: results differ from 1 worker", w)
		}
		if ts.String() != firstTS {
			t.Errorf("workers %d: time series differs from 1 worker", w)
		}
	}
}

// What a cluster's devices put into another cluster's cell crosses at the
// window's end: a preamble to its occasion, or, when that occasion has
// been resolved, one window later; an NPUSCH transmission into the cell's
// book, with a copy one window later that the pending transmissions meet;
// an estimate contribution decayed to the window's end.
func TestClusterExchange(t *testing.T) {
	sc := splitMeters(t)
	n, err := Build(sc, sc.Seed)
	if err != nil {
		t.Fatal(err)
	}
	n.trackResources()
	p := n.split
	cs := []*Network{n.newCluster(0), n.newCluster(1), n.newCluster(2)}
	var far int32 = -1 // a cell of cluster 1
	for c := range n.cells {
		if p.cellOf[c] == 1 {
			far = int32(c)
			break
		}
	}
	src := cs[0].cl
	if !src.foreign(far) || cs[1].cl.foreign(far) {
		t.Fatal("cell's cluster")
	}
	W := int64(p.window)
	for _, c := range cs {
		c.cl.begin(W, 0)
	}
	ce := n.ce[1].occ
	m := uint64(W / int64(ce.Period))
	resolved := &bucket{key: 1<<56 | 3, end: sim.Time(W - int64(ce.Period))}
	ahead := &bucket{key: 1<<56 | m + 1, end: sim.Time(W + 1)}
	src.prachOut(far, resolved, 2, 6)
	src.prachOut(far, resolved, 2, 4)
	src.prachOut(far, ahead, 1, 5)
	h := ulHit{start: 5, end: 9, mw: 2, lo: 0, hi: 1}
	src.hitOut(far, 0, h)
	book := &n.cells[far].ulb
	book.rx = append(book.rx, ulRx{start: W + 5, end: W + 9, due: W + 9, lo: 0, hi: 1}, ulRx{start: 5, end: 9, due: W + 20, lo: 0, hi: 1})
	now := W - int64(iotTau)
	src.estOut(far, 0, 3, now)
	p.exchange(n, cs)

	in := cs[1].cl.in
	if o := in[1<<56|3+m]; o == nil || len(o.cells) != 1 || o.cells[0].cell != far || o.cells[0].mw[2] != 10 ||
		o.end != resolved.end+sim.Time(int64(m)*int64(ce.Period)) {
		t.Errorf("resolved occasion's preambles: %+v, want 10 mW in group 2 one window later", o)
	}
	if o := in[ahead.key]; o == nil || o.cells[0].mw[1] != 5 || o.end != ahead.end {
		t.Errorf("occasion ahead: %+v, want 5 mW in group 1", o)
	}
	if len(book.hits) != 2 || book.hits[0] != h || !book.hits[1].proxy || book.hits[1].start != W+5 {
		t.Errorf("hits %+v, want the transmission and its copy a window later", book.hits)
	}
	if book.rx[0].mw != 2 || book.rx[1].mw != 0 {
		t.Errorf("pending transmissions met %g and %g mW, want the copy's 2 and nothing", book.rx[0].mw, book.rx[1].mw)
	}
	c := &n.cells[far]
	if c.iTime != W || math.Abs(c.iLin-3*math.Exp(-1)) > 1e-12 {
		t.Errorf("estimate %g at %d, want 3/e at %d", c.iLin, c.iTime, W)
	}
	// The next window: the copies leave the book; the occasions passed unreceived are dropped.
	for _, c := range cs {
		c.cl.begin(3*W, 1)
	}
	p.exchange(n, cs)
	if len(book.hits) != 1 || book.hits[0].proxy {
		t.Errorf("hits %+v after the next window, want the original only", book.hits)
	}
	if len(in) != 0 {
		t.Errorf("%d occasions left, want none", len(in))
	}
	if o := &src.out[0]; len(o.prach[1]) != 0 || len(o.dirty[1]) != 0 || len(o.hits[0]) != 0 || o.est[0] != 0 {
		t.Error("outbound not cleared")
	}
	// The window holds whole NPRACH periods of every CE level and lasts a second at least.
	if p.window < sim.Time(time.Second) {
		t.Errorf("window %v", p.window.D())
	}
	for _, ce := range n.ce {
		if int64(p.window)%int64(ce.occ.Period) != 0 {
			t.Errorf("window %v is not a multiple of period %v", p.window.D(), ce.occ.Period)
		}
	}
}

// settable is f, an unexported field, made settable.
func settable(f reflect.Value) reflect.Value {
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// groupStats.add adds every field: each set to 1 (or one sample / one
// key), twice added to the zero value, gives 2 of each.
func TestGroupStatsAdd(t *testing.T) {
	var one groupStats
	v := reflect.ValueOf(&one).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := settable(v.Field(i))
		switch f.Kind() {
		case reflect.Int64:
			f.SetInt(1)
		case reflect.Slice:
			s := reflect.MakeSlice(f.Type(), 1, 1)
			s.Index(0).Set(reflect.ValueOf(1).Convert(f.Type().Elem()))
			f.Set(s)
		case reflect.Map:
			m := reflect.MakeMap(f.Type())
			m.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf(int64(1)))
			f.Set(m)
		case reflect.Array:
			for j := 0; j < f.Len(); j++ {
				if x, ok := f.Index(j).Addr().Interface().(*exactSum); ok {
					x.add(1)
					continue
				}
				f.Index(j).Set(reflect.ValueOf(1).Convert(f.Type().Elem()))
			}
		case reflect.Struct:
			if f.Type() != reflect.TypeOf(samples{}) {
				t.Fatalf("field %s: struct %s not covered by this test", v.Type().Field(i).Name, f.Type())
			}
			var d samples
			d.add(1, false)
			f.Set(reflect.ValueOf(d))
		default:
			t.Fatalf("field %s: kind %s not covered by this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	var sum groupStats
	sum.add(&one)
	sum.add(&one)
	s := reflect.ValueOf(&sum).Elem()
	for i := 0; i < s.NumField(); i++ {
		f, name := s.Field(i), v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.Int64:
			if f.Int() != 2 {
				t.Errorf("%s = %d, want 2", name, f.Int())
			}
		case reflect.Slice:
			if name == "preTxHist" {
				if f.Len() != 1 || f.Index(0).Int() != 2 {
					t.Errorf("%s = %v, want [2]", name, f)
				}
			} else if f.Len() != 2 {
				t.Errorf("%s has %d samples, want 2", name, f.Len())
			}
		case reflect.Map:
			if f.MapIndex(reflect.ValueOf("k")).Int() != 2 {
				t.Errorf("%s[k] = %v, want 2", name, f.MapIndex(reflect.ValueOf("k")))
			}
		case reflect.Array:
			if x, ok := settable(f).Index(0).Addr().Interface().(*exactSum); ok {
				if x.value() != 2 {
					t.Errorf("%s[0] = %v, want 2", name, x.value())
				}
			} else if f.Index(0).Convert(reflect.TypeOf(0.0)).Float() != 2 {
				t.Errorf("%s[0] = %v, want 2", name, f.Index(0))
			}
		case reflect.Struct:
			d := settable(f).Addr().Interface().(*samples)
			if len(d.xs) != 2 || d.sketch().N() != 2 || d.over {
				t.Errorf("%s: %d samples, sketch of %d, want 2 and 2", name, len(d.xs), d.sketch().N())
			}
		}
	}
}

// A distribution keeps its samples exactly up to exactCap (results as
// report.SketchOf of them), then only its sketch, whose percentiles stay
// within the sketch's accuracy of the exact ones; a merge past the cap
// keeps the sketch of both; a live run keeps every sample.
func TestSamplesCap(t *testing.T) {
	var d, live samples
	exact := make([]float32, 0, exactCap+10)
	for i := range exactCap + 10 {
		v := float32(1 + i%5000)
		exact = append(exact, v)
		d.add(v, false)
		live.add(v, true)
		if i == exactCap-1 {
			if d.over || len(d.xs) != exactCap {
				t.Fatalf("at the cap: over %v, %d samples", d.over, len(d.xs))
			}
			a, _ := report.SketchOf(d.xs).MarshalJSON()
			b, _ := d.sketch().MarshalJSON()
			if string(a) != string(b) {
				t.Errorf("under the cap the sketch is not SketchOf the samples")
			}
		}
	}
	if !d.over || d.xs != nil || len(live.xs) != exactCap+10 {
		t.Fatalf("past the cap: over %v, %d samples kept; live kept %d", d.over, len(d.xs), len(live.xs))
	}
	want, got := report.SketchOf(exact), d.sketch()
	if got.N() != int64(len(exact)) {
		t.Fatalf("sketch of %d, want %d", got.N(), len(exact))
	}
	for _, q := range []int{500, 950, 990} {
		if w, g := want.Quantile(q), got.Quantile(q); math.Abs(g-w) > 0.002*w {
			t.Errorf("p%d %v, exact sketch %v", q/10, g, w)
		}
	}
	if math.Abs(got.Mean()-want.Mean()) > 1e-9*want.Mean() {
		t.Errorf("mean %v, want %v", got.Mean(), want.Mean())
	}
	var a, b samples
	for range exactCap/2 + 1 {
		a.add(2, false)
		b.add(3, false)
	}
	a.merge(&b)
	if !a.over || a.xs != nil || a.sk.N() != 2*(exactCap/2+1) {
		t.Errorf("merge past the cap: over %v, %d samples, sketch of %d", a.over, len(a.xs), a.sk.N())
	}
}

// The share of the interference power scale-1m's devices put into other
// cells that crosses clusters (docs/model.md, Clusters: 9.1 %).
func TestClusterBorderShare(t *testing.T) {
	sc, err := scenarios.Load("scale-1m", []string{"groups.devices.count=100000"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(sc, sc.Seed)
	if err != nil {
		t.Fatal(err)
	}
	var in, out float64
	for i := range n.ues {
		u := &n.ues[i]
		for j, c := range u.nb {
			if c < 0 {
				continue
			}
			w := math.Pow(10, -float64(u.nbcl[j])/10)
			if n.split.cellOf[c] != n.split.cellOf[u.cell] {
				out += w
			} else {
				in += w
			}
		}
	}
	if share := out / (in + out); math.Abs(share-0.091) > 0.0005 {
		t.Errorf("share crossing clusters %.4f, docs/model.md says 0.091", share)
	}
	if n.split.window != sim.Time(1280*time.Millisecond) {
		t.Errorf("window %v, docs/model.md says 1.28 s", n.split.window.D())
	}
}
