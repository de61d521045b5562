package mac

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/nbsim/nbsim/sim"
)

// within reports whether an observed frequency hits out of n trials is
// within z binomial standard deviations of p.
func within(t *testing.T, what string, hits, n int, p, z float64) {
	t.Helper()
	got := float64(hits) / float64(n)
	se := math.Sqrt(p * (1 - p) / float64(n))
	if math.Abs(got-p) > z*se+1e-12 {
		t.Errorf("%s: observed %.5f (%d/%d), want %.5f ± %.5f (%.0fσ)", what, got, hits, n, p, z*se, z)
	}
}

func byDev(picks []Pick) map[int32]Pick {
	m := make(map[int32]Pick, len(picks))
	for _, p := range picks {
		m[p.Dev] = p
	}
	return m
}

// TestCollisionRateMatchesExact is the single-occasion check of the whole
// occasion model: K devices pick uniformly among N preambles, every preamble
// is detected and every group granted; the share of a tagged device's picks
// that are alone must be (1 − 1/N)^(K−1) and the number of collided
// preambles must average ExpectedCollidedPreambles(N, K).
func TestCollisionRateMatchesExact(t *testing.T) {
	cases := []struct{ n, k, trials int }{
		{12, 1, 2000},
		{12, 2, 50000},
		{12, 5, 50000},
		{48, 30, 100000},
		{54, 100, 40000},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("N%d_K%d", c.n, c.k), func(t *testing.T) {
			trials := c.trials
			if testing.Short() {
				trials /= 5
			}
			choose := sim.NewStream(7, "collision", uint64(c.n*1000+c.k), "pick")
			rng := sim.NewStream(7, "collision", uint64(c.n*1000+c.k), "resolve")
			picks := make([]Pick, 0, c.k)
			alone := 0
			var sum, sum2 float64
			for tr := 0; tr < trials; tr++ {
				picks = picks[:0]
				for d := 0; d < c.k; d++ {
					picks = append(picks, Pick{Dev: int32(d), Cell: 0, Preamble: int32(choose.IntN(c.n)), DetectP: 1})
				}
				st := Resolve(picks, ResolveConfig{Handling: Contention}, &rng)
				if st.Picks != c.k || st.NotGrants != 0 || st.Granted != st.Detected {
					t.Fatalf("trial %d: stats %+v", tr, st)
				}
				i := slices.IndexFunc(picks, func(p Pick) bool { return p.Dev == 0 })
				tagged := picks[i]
				if tagged.GroupSize == 1 {
					alone++
					if tagged.Outcome != Granted {
						t.Fatalf("trial %d: alone tagged pick outcome %v, want granted", tr, tagged.Outcome)
					}
				} else if tagged.Outcome != GrantedCollided {
					t.Fatalf("trial %d: collided tagged pick outcome %v, want granted-collided", tr, tagged.Outcome)
				}
				x := float64(st.Collided)
				sum += x
				sum2 += x * x
			}
			exact := math.Pow(1-1/float64(c.n), float64(c.k-1))
			if got := CollisionFree(c.n, c.k); math.Abs(got-exact) > 1e-15 {
				t.Errorf("CollisionFree(%d,%d) = %v, want %v", c.n, c.k, got, exact)
			}
			within(t, "tagged device alone", alone, trials, exact, 4)

			mean := sum / float64(trials)
			variance := sum2/float64(trials) - mean*mean
			se := math.Sqrt(math.Max(variance, 0) / float64(trials))
			want := ExpectedCollidedPreambles(c.n, c.k)
			if math.Abs(mean-want) > 4*se+1e-12 {
				t.Errorf("collided preambles per occasion: mean %.4f, want %.4f ± %.4f", mean, want, 4*se)
			}
		})
	}
}

// randomPicks builds n picks with unique devices over a few cells and
// preambles, random SNRs and detection probabilities (with 0 and 1 common).
func randomPicks(rng *sim.Stream, n, cells, preambles int) []Pick {
	picks := make([]Pick, n)
	for i := range picks {
		dp := rng.Float64()
		switch rng.IntN(4) {
		case 0:
			dp = 1
		case 1:
			dp = 0
		}
		picks[i] = Pick{
			Dev:      int32(i*7 + 3),
			Cell:     int32(rng.IntN(cells)),
			Preamble: int32(rng.IntN(preambles)),
			SNRdB:    -10 + 20*rng.Float64(),
			DetectP:  dp,
		}
	}
	return picks
}

func TestResolveOrderIndependent(t *testing.T) {
	cfgs := []ResolveConfig{
		{Handling: Contention},
		{Handling: Undetected},
		{Handling: Contention, CaptureDb: 3},
		{Handling: Undetected, CaptureDb: 3},
		{Handling: Contention, Grants: 3},
		{Handling: Undetected, CaptureDb: 1, Grants: 2},
	}
	for ci, cfg := range cfgs {
		for seed := uint64(0); seed < 20; seed++ {
			gen := sim.NewStream(seed, "order", uint64(ci), "gen")
			a := randomPicks(&gen, 60, 3, 8)
			b := slices.Clone(a)
			for i := len(b) - 1; i > 0; i-- { // shuffle
				j := gen.IntN(i + 1)
				b[i], b[j] = b[j], b[i]
			}
			slices.Reverse(a) // a different order again
			ra := sim.NewStream(seed, "order", uint64(ci), "resolve")
			rb := ra
			sa := Resolve(a, cfg, &ra)
			sb := Resolve(b, cfg, &rb)
			if sa != sb {
				t.Fatalf("cfg %+v seed %d: stats differ %+v vs %+v", cfg, seed, sa, sb)
			}
			ma, mb := byDev(a), byDev(b)
			for d, pa := range ma {
				if pa != mb[d] {
					t.Fatalf("cfg %+v seed %d: dev %d: %+v vs %+v", cfg, seed, d, pa, mb[d])
				}
			}
		}
	}
}

func TestResolveGrouping(t *testing.T) {
	picks := []Pick{
		{Dev: 5, Cell: 1, Preamble: 3, DetectP: 1},
		{Dev: 1, Cell: 0, Preamble: 3, DetectP: 1},
		{Dev: 2, Cell: 0, Preamble: 3, DetectP: 1},
		{Dev: 3, Cell: 0, Preamble: 7, DetectP: 1},
		{Dev: 4, Cell: 1, Preamble: 7, DetectP: 1},
		{Dev: 6, Cell: 1, Preamble: 7, DetectP: 1},
		{Dev: 7, Cell: 1, Preamble: 7, DetectP: 1},
	}
	rng := sim.NewStream(1, "group", 0, "")
	st := Resolve(picks, ResolveConfig{Handling: Contention}, &rng)
	// Sorted by (cell, preamble, dev).
	wantDevs := []int32{1, 2, 3, 5, 4, 6, 7}
	wantGroup := []int32{0, 0, 2, 3, 4, 4, 4}
	wantSize := []int32{2, 2, 1, 1, 3, 3, 3}
	wantOut := []Outcome{GrantedCollided, GrantedCollided, Granted, Granted, GrantedCollided, GrantedCollided, GrantedCollided}
	for i, p := range picks {
		if p.Dev != wantDevs[i] || p.Group != wantGroup[i] || p.GroupSize != wantSize[i] || p.Outcome != wantOut[i] {
			t.Errorf("pick %d = dev %d group %d size %d %v, want dev %d group %d size %d %v", i,
				p.Dev, p.Group, p.GroupSize, p.Outcome, wantDevs[i], wantGroup[i], wantSize[i], wantOut[i])
		}
	}
	// Same preamble in two cells is not a collision.
	want := OccasionStats{Picks: 7, Collided: 2, Detected: 4, Granted: 4}
	if st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
}

// TestResolveExtremeIDs: the sort must be a total order for any int32 ids
// (a subtraction comparator overflows and splits groups).
func TestResolveExtremeIDs(t *testing.T) {
	const lo, hi = math.MinInt32, math.MaxInt32
	picks := []Pick{
		{Dev: hi, Cell: -1, Preamble: hi, DetectP: 1},
		{Dev: lo, Cell: hi, Preamble: lo, DetectP: 1},
		{Dev: 0, Cell: -1, Preamble: hi, DetectP: 1},
		{Dev: 1, Cell: lo, Preamble: 0, DetectP: 1},
		{Dev: -1, Cell: hi, Preamble: lo, DetectP: 1},
		{Dev: 2, Cell: -1, Preamble: -1, DetectP: 1},
		{Dev: lo, Cell: -1, Preamble: hi, DetectP: 1},
	}
	rng := sim.NewStream(1, "extreme", 0, "")
	st := Resolve(picks, ResolveConfig{Handling: Contention}, &rng)
	if !slices.IsSortedFunc(picks, func(a, b Pick) int {
		return cmp.Or(cmp.Compare(a.Cell, b.Cell), cmp.Compare(a.Preamble, b.Preamble), cmp.Compare(a.Dev, b.Dev))
	}) {
		t.Errorf("not sorted by (cell, preamble, dev): %+v", picks)
	}
	size := map[[2]int32]int32{{-1, hi}: 3, {hi, lo}: 2, {lo, 0}: 1, {-1, -1}: 1}
	for _, p := range picks {
		if w := size[[2]int32{p.Cell, p.Preamble}]; p.GroupSize != w {
			t.Errorf("dev %d (cell %d, preamble %d): group size %d, want %d", p.Dev, p.Cell, p.Preamble, p.GroupSize, w)
		}
	}
	if st.Collided != 2 {
		t.Errorf("collided %d, want 2", st.Collided)
	}
}

func TestResolveUndetectedHandling(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		gen := sim.NewStream(seed, "undetected", 0, "gen")
		picks := randomPicks(&gen, 40, 2, 12)
		for i := range picks {
			picks[i].DetectP = 1
		}
		rng := sim.NewStream(seed, "undetected", 0, "resolve")
		st := Resolve(picks, ResolveConfig{Handling: Undetected}, &rng)
		singles := 0
		for _, p := range picks {
			switch {
			case p.GroupSize > 1 && p.Outcome != NoRAR:
				t.Fatalf("seed %d: collided pick %+v got %v, want no-rar", seed, p, p.Outcome)
			case p.GroupSize == 1 && p.Outcome != Granted:
				t.Fatalf("seed %d: lone pick with DetectP 1 got %v", seed, p.Outcome)
			case p.Winner:
				t.Fatalf("seed %d: winner without capture: %+v", seed, p)
			}
			if p.GroupSize == 1 {
				singles++
			}
		}
		if st.Detected != singles || st.Granted != singles {
			t.Fatalf("seed %d: stats %+v, want %d singles detected and granted", seed, st, singles)
		}
	}
}

func TestResolveContentionHandling(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		gen := sim.NewStream(seed, "contention", 0, "gen")
		picks := randomPicks(&gen, 40, 2, 12)
		for i := range picks {
			if i%2 == 0 {
				picks[i].DetectP = 1
			} else {
				picks[i].DetectP = 0
			}
		}
		rng := sim.NewStream(seed, "contention", 0, "resolve")
		Resolve(picks, ResolveConfig{Handling: Contention}, &rng)
		for i, p := range picks {
			// A group with at least one DetectP=1 member is always detected.
			sure := false
			for _, q := range picks[p.Group : p.Group+p.GroupSize] {
				sure = sure || q.DetectP == 1
			}
			var want Outcome
			switch {
			case !sure:
				want = NoRAR
			case p.GroupSize == 1:
				want = Granted
			default:
				want = GrantedCollided
			}
			if p.Outcome != want {
				t.Fatalf("seed %d pick %d %+v: outcome %v, want %v", seed, i, p, p.Outcome, want)
			}
		}
	}
}

// TestResolveDetectionProbability: a lone preamble is detected with its
// DetectP; a collided preamble under contention with 1 − Π(1 − p_i); a
// captured preamble under undetected handling with the strongest's DetectP.
func TestResolveDetectionProbability(t *testing.T) {
	cases := []struct {
		name string
		cfg  ResolveConfig
		snr  []float64
		dp   []float64
		want float64
	}{
		{"lone 0.3", ResolveConfig{}, []float64{0}, []float64{0.3}, 0.3},
		{"lone 0.9", ResolveConfig{Handling: Undetected}, []float64{0}, []float64{0.9}, 0.9},
		{"contention 2×0.5", ResolveConfig{}, []float64{0, 0}, []float64{0.5, 0.5}, 0.75},
		{"contention 3×0.2", ResolveConfig{}, []float64{0, 1, 2}, []float64{0.2, 0.2, 0.2}, 1 - 0.8*0.8*0.8},
		{"contention 0.1+0.6", ResolveConfig{}, []float64{0, 0}, []float64{0.1, 0.6}, 1 - 0.9*0.4},
		{"undetected captured strongest 0.4", ResolveConfig{Handling: Undetected, CaptureDb: 3}, []float64{10, 0}, []float64{0.4, 1}, 0.4},
		{"undetected captured strongest last", ResolveConfig{Handling: Undetected, CaptureDb: 3}, []float64{0, 2, 10}, []float64{1, 1, 0.25}, 0.25},
		{"undetected not captured", ResolveConfig{Handling: Undetected, CaptureDb: 3}, []float64{10, 8}, []float64{1, 1}, 0},
	}
	const trials = 40000
	for ci, c := range cases {
		rng := sim.NewStream(3, "detect", uint64(ci), "")
		hits := 0
		for tr := 0; tr < trials; tr++ {
			picks := make([]Pick, len(c.dp))
			for i := range picks {
				picks[i] = Pick{Dev: int32(i), Preamble: 5, SNRdB: c.snr[i], DetectP: c.dp[i]}
			}
			st := Resolve(picks, c.cfg, &rng)
			if st.Detected > 0 {
				hits++
			}
		}
		within(t, c.name, hits, trials, c.want, 4)
	}
}

func TestResolveCapture(t *testing.T) {
	cases := []struct {
		name    string
		capture float64
		snr     []float64
		winner  int // index in snr (= Dev), -1 for none
	}{
		{"clear winner first", 3, []float64{10, 5, 2}, 0},
		{"clear winner middle", 3, []float64{5, 10, 2}, 1},
		{"clear winner last", 3, []float64{2, 5, 10}, 2},
		{"margin exactly threshold", 3, []float64{7, 10}, 1},
		{"margin just below", 3, []float64{10, 7.01}, -1},
		{"second found after strongest", 3, []float64{10, 2, 8}, -1},
		{"second found before strongest", 3, []float64{2, 8, 10}, -1},
		{"strongest then second later", 3, []float64{1, 10, 0, 6.5}, 1},
		{"tie at top", 3, []float64{10, 10, 0}, -1},
		{"capture off", 0, []float64{30, 0}, -1},
		{"negative capture is off", -3, []float64{30, 0}, -1},
		{"large margin", 20, []float64{-10, 15, -6}, 1},
	}
	for _, c := range cases {
		for _, h := range []Handling{Contention, Undetected} {
			t.Run(fmt.Sprintf("%s/%d", c.name, h), func(t *testing.T) {
				picks := make([]Pick, len(c.snr))
				for i, s := range c.snr {
					picks[i] = Pick{Dev: int32(i), Preamble: 1, SNRdB: s, DetectP: 1}
				}
				picks = append(picks, Pick{Dev: 99, Preamble: 2, SNRdB: 50, DetectP: 1}) // alone: never a winner
				rng := sim.NewStream(1, "capture", 0, "")
				Resolve(picks, ResolveConfig{Handling: h, CaptureDb: c.capture}, &rng)
				for _, p := range picks {
					if p.Dev == 99 {
						if p.Winner || p.Outcome != Granted {
							t.Errorf("lone pick: %+v", p)
						}
						continue
					}
					isW := int(p.Dev) == c.winner
					if p.Winner != isW {
						t.Errorf("dev %d: winner %v, want %v", p.Dev, p.Winner, isW)
					}
					var want Outcome
					switch {
					case h == Contention:
						want = GrantedCollided
					case isW:
						want = Granted
					default:
						want = NoRAR
					}
					if p.Outcome != want {
						t.Errorf("dev %d: outcome %v, want %v", p.Dev, p.Outcome, want)
					}
				}
			})
		}
	}
}

func TestResolveGrantLimitPerCell(t *testing.T) {
	// Cell 0: five lone preambles. Cell 1: one lone preamble and one
	// collided group of three. Cell 2: one lone preamble.
	mk := func() []Pick {
		var p []Pick
		for i := 0; i < 5; i++ {
			p = append(p, Pick{Dev: int32(i), Cell: 0, Preamble: int32(i), DetectP: 1})
		}
		p = append(p, Pick{Dev: 10, Cell: 1, Preamble: 0, DetectP: 1})
		for i := 0; i < 3; i++ {
			p = append(p, Pick{Dev: int32(11 + i), Cell: 1, Preamble: 4, DetectP: 1})
		}
		p = append(p, Pick{Dev: 20, Cell: 2, Preamble: 0, DetectP: 1})
		return p
	}
	const runs = 5000
	granted := map[int32]int{}
	for r := 0; r < runs; r++ {
		picks := mk()
		rng := sim.NewStream(uint64(r), "grants", 0, "")
		st := Resolve(picks, ResolveConfig{Handling: Contention, Grants: 2}, &rng)
		want := OccasionStats{Picks: 10, Collided: 1, Detected: 8, Granted: 5, NotGrants: 3}
		if st != want {
			t.Fatalf("run %d: stats %+v, want %+v", r, st, want)
		}
		groups := map[int32]map[int32]bool{} // cell → granted groups
		for _, p := range picks {
			if p.Outcome != NoRAR {
				if groups[p.Cell] == nil {
					groups[p.Cell] = map[int32]bool{}
				}
				groups[p.Cell][p.Group] = true
				granted[p.Dev]++
			}
		}
		if len(groups[0]) != 2 || len(groups[1]) != 2 || len(groups[2]) != 1 {
			t.Fatalf("run %d: granted groups per cell %d, %d, %d; want 2, 2, 1", r, len(groups[0]), len(groups[1]), len(groups[2]))
		}
	}
	// Which of cell 0's five preambles get the two grants is uniform.
	for d := int32(0); d < 5; d++ {
		within(t, fmt.Sprintf("cell 0 dev %d granted", d), granted[d], runs, 2.0/5, 4)
	}
	if granted[10] != runs || granted[20] != runs {
		t.Errorf("cell 1/2 groups within the limit not always granted: %d, %d", granted[10], granted[20])
	}
	// The collided group is granted as a whole.
	if granted[11] != runs || granted[12] != runs || granted[13] != runs {
		t.Errorf("collided group grants %d %d %d, want %d each", granted[11], granted[12], granted[13], runs)
	}
}

func TestResolveNoDetection(t *testing.T) {
	cases := []struct {
		name string
		dp   float64
	}{
		{"zero", 0},
		{"negative", -0.5},
		{"NaN", math.NaN()},
		{"-Inf", math.Inf(-1)},
	}
	for _, c := range cases {
		for _, cfg := range []ResolveConfig{{Handling: Contention}, {Handling: Undetected, CaptureDb: 1}, {Handling: Contention, CaptureDb: 1, Grants: 1}} {
			gen := sim.NewStream(5, "nodetect", 0, "")
			picks := randomPicks(&gen, 50, 2, 6)
			for i := range picks {
				picks[i].DetectP = c.dp
			}
			rng := sim.NewStream(5, "nodetect", 1, "")
			st := Resolve(picks, cfg, &rng)
			if st.Detected != 0 || st.Granted != 0 || st.NotGrants != 0 {
				t.Errorf("%s %+v: stats %+v, want nothing detected", c.name, cfg, st)
			}
			for _, p := range picks {
				if p.Outcome != NoRAR || p.Winner {
					t.Errorf("%s %+v: %+v granted", c.name, cfg, p)
				}
			}
		}
	}
	// DetectP above 1 or +Inf is certain detection.
	for _, dp := range []float64{1, 1.5, math.Inf(1)} {
		picks := []Pick{{Dev: 1, Preamble: 0, DetectP: dp}, {Dev: 2, Preamble: 1, DetectP: dp}, {Dev: 3, Preamble: 1, DetectP: dp}}
		rng := sim.NewStream(5, "sure", 0, "")
		for r := 0; r < 100; r++ {
			if st := Resolve(picks, ResolveConfig{}, &rng); st.Detected != 2 {
				t.Fatalf("DetectP %v: detected %d, want 2", dp, st.Detected)
			}
		}
	}
}

func TestResolveEmpty(t *testing.T) {
	rng := sim.NewStream(1, "empty", 0, "")
	if st := Resolve(nil, ResolveConfig{Grants: 3}, &rng); st != (OccasionStats{}) {
		t.Errorf("Resolve(nil) = %+v", st)
	}
}

func TestResolveResetsOutputs(t *testing.T) {
	// Stale outputs from a previous occasion must not survive.
	picks := []Pick{
		{Dev: 1, Preamble: 0, DetectP: 0, Outcome: Granted, Winner: true, Group: 9, GroupSize: 9},
		{Dev: 2, Preamble: 1, DetectP: 0, Outcome: GrantedCollided, Winner: true},
	}
	rng := sim.NewStream(1, "reset", 0, "")
	Resolve(picks, ResolveConfig{CaptureDb: 3}, &rng)
	for i, p := range picks {
		if p.Outcome != NoRAR || p.Winner || p.GroupSize != 1 || p.Group != int32(i) {
			t.Errorf("pick %d not reset: %+v", i, p)
		}
	}
}

func TestOutcomeString(t *testing.T) {
	for o, want := range map[Outcome]string{NoRAR: "no-rar", Granted: "granted", GrantedCollided: "granted-collided", 3: "unknown", 255: "unknown"} {
		if got := o.String(); got != want {
			t.Errorf("Outcome(%d).String() = %q, want %q", o, got, want)
		}
	}
}

// checkResolved verifies the invariants of a resolved occasion.
func checkResolved(t *testing.T, picks []Pick, cfg ResolveConfig, st OccasionStats) {
	t.Helper()
	if st.Picks != len(picks) {
		t.Fatalf("Picks %d, want %d", st.Picks, len(picks))
	}
	if !slices.IsSortedFunc(picks, func(a, b Pick) int {
		return cmp.Or(cmp.Compare(a.Cell, b.Cell), cmp.Compare(a.Preamble, b.Preamble), cmp.Compare(a.Dev, b.Dev))
	}) {
		t.Fatalf("picks not sorted by (cell, preamble, dev)")
	}
	collided, groups := 0, 0
	grantedPerCell := map[int32]int{}
	grantedGroups := 0
	for i := 0; i < len(picks); {
		j := i
		for j < len(picks) && picks[j].Cell == picks[i].Cell && picks[j].Preamble == picks[i].Preamble {
			j++
		}
		n := int32(j - i)
		groups++
		if n > 1 {
			collided++
		}
		anyGranted, winners := false, 0
		allZero := true
		for k := i; k < j; k++ {
			p := picks[k]
			if p.Group != int32(i) || p.GroupSize != n {
				t.Fatalf("pick %d: group %d size %d, want %d size %d", k, p.Group, p.GroupSize, i, n)
			}
			if p.Winner {
				winners++
				if n == 1 || !(cfg.CaptureDb > 0) {
					t.Fatalf("pick %d: winner alone or without capture: %+v", k, p)
				}
			}
			switch p.Outcome {
			case NoRAR:
			case Granted:
				anyGranted = true
				if n > 1 && !(cfg.Handling == Undetected && p.Winner) {
					t.Fatalf("pick %d: granted in a collided group: %+v", k, p)
				}
			case GrantedCollided:
				anyGranted = true
				if n == 1 || cfg.Handling != Contention {
					t.Fatalf("pick %d: granted-collided %+v under %+v", k, p, cfg)
				}
			default:
				t.Fatalf("pick %d: outcome %d", k, p.Outcome)
			}
			if clamp01(p.DetectP) > 0 {
				allZero = false
			}
		}
		if winners > 1 {
			t.Fatalf("group at %d: %d winners", i, winners)
		}
		if anyGranted {
			grantedGroups++
			grantedPerCell[picks[i].Cell]++
			if allZero {
				t.Fatalf("group at %d granted though no member can be detected", i)
			}
			// Contention: all members share the grant.
			if cfg.Handling == Contention {
				for k := i; k < j; k++ {
					if picks[k].Outcome == NoRAR {
						t.Fatalf("group at %d partly granted under contention", i)
					}
				}
			}
		}
		i = j
	}
	if st.Collided != collided {
		t.Fatalf("Collided %d, counted %d", st.Collided, collided)
	}
	if st.Granted+st.NotGrants != st.Detected || st.Detected > groups {
		t.Fatalf("stats don't add up: %+v (%d groups)", st, groups)
	}
	if st.Granted != grantedGroups {
		t.Fatalf("Granted %d, but %d groups hold a grant", st.Granted, grantedGroups)
	}
	if cfg.Grants > 0 {
		for c, n := range grantedPerCell {
			if n > cfg.Grants {
				t.Fatalf("cell %d: %d groups granted, limit %d", c, n, cfg.Grants)
			}
		}
	} else if st.NotGrants != 0 {
		t.Fatalf("NotGrants %d without a limit", st.NotGrants)
	}
}

// fuzzPicks decodes a configuration and picks from arbitrary bytes: ids
// include the int32 extremes, DetectP covers NaN, 0, 1 and > 1.
func fuzzPicks(data []byte) ([]Pick, ResolveConfig) {
	var cfg ResolveConfig
	if len(data) > 0 {
		b := data[0]
		cfg.Handling = Handling(b & 1)
		cfg.CaptureDb = []float64{0, 1, 3, math.NaN()}[(b>>1)&3]
		cfg.Grants = int((b>>3)&7) - 1
		data = data[1:]
	}
	id := func(b byte) int32 {
		switch b {
		case 255:
			return math.MaxInt32
		case 254:
			return math.MinInt32
		case 253:
			return -1
		}
		return int32(b % 5)
	}
	var picks []Pick
	for i := 0; len(data) >= 5 && i < 512; i++ {
		c := data[:5]
		data = data[5:]
		dev := int32(math.MaxInt32 - i)
		if c[2]&1 != 0 {
			dev = int32(math.MinInt32 + i)
		}
		p := Pick{Dev: dev, Cell: id(c[0]), Preamble: id(c[1])}
		switch c[3] {
		case 255:
			p.DetectP = math.NaN()
		case 254:
			p.DetectP = 1.5
		default:
			p.DetectP = float64(c[3]%101) / 100
		}
		p.SNRdB = float64(int8(c[4])) / 4
		if c[4] == 0x80 {
			p.SNRdB = math.NaN()
		}
		picks = append(picks, p)
	}
	return picks, cfg
}

func FuzzResolve(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 1, 0, 100, 10, 1, 1, 1, 100, 0})
	f.Add([]byte{3, 255, 254, 1, 255, 40, 254, 255, 0, 254, 0x80, 255, 254, 1, 50, 20})
	f.Add([]byte{0x12, 0, 0, 0, 100, 40, 0, 0, 1, 100, 0, 0, 1, 0, 100, 1, 1, 1, 0, 60, 2})
	seed := make([]byte, 1+5*64)
	binary.LittleEndian.PutUint64(seed, 0x0123456789abcdef)
	for i := range seed {
		seed[i] ^= byte(i * 37)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		picks, cfg := fuzzPicks(data)
		rev := slices.Clone(picks)
		slices.Reverse(rev)
		r1 := sim.NewStream(11, "fuzz", uint64(len(data)), "")
		r2 := r1
		st := Resolve(picks, cfg, &r1)
		checkResolved(t, picks, cfg, st)
		// Same result whatever the input order (devices are unique).
		st2 := Resolve(rev, cfg, &r2)
		if st2 != st {
			t.Fatalf("stats depend on input order: %+v vs %+v", st, st2)
		}
		for i := range picks {
			a, b := picks[i], rev[i]
			if a.Dev != b.Dev || a.Outcome != b.Outcome || a.Group != b.Group || a.Winner != b.Winner || a.GroupSize != b.GroupSize {
				t.Fatalf("pick %d depends on input order: %+v vs %+v", i, a, b)
			}
		}
	})
}

func BenchmarkResolve(b *testing.B) {
	gen := sim.NewStream(1, "bench", 0, "")
	base := randomPicks(&gen, 200, 4, 48)
	picks := make([]Pick, len(base))
	rng := sim.NewStream(1, "bench", 1, "")
	b.ReportAllocs()
	for b.Loop() {
		copy(picks, base)
		Resolve(picks, ResolveConfig{Handling: Contention, CaptureDb: 3, Grants: 8}, &rng)
	}
}
