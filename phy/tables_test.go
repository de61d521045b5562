package phy

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNPUSCHTBSSpecEntries(t *testing.T) {
	// Hand-copied from TS 36.213 Table 16.5.1.2-2 (Rel-14).
	cases := []struct{ iTBS, iRU, want int }{
		{0, 0, 16}, {0, 7, 256}, {4, 7, 680}, {5, 6, 680}, {6, 7, 1000},
		{7, 5, 712}, {7, 6, 1000}, {8, 7, 1384}, {10, 5, 1000}, {11, 4, 1000},
		{12, 3, 1000}, {12, 4, 1128}, {13, 0, 224}, {13, 3, 1032}, {13, 7, 2536},
	}
	for _, c := range cases {
		got, err := NPUSCHTBS(c.iTBS, c.iRU)
		if err != nil || got != c.want {
			t.Errorf("NPUSCHTBS(%d,%d) = %d, %v; want %d", c.iTBS, c.iRU, got, err, c.want)
		}
	}
}

func TestNPDSCHTBSSpecEntries(t *testing.T) {
	// Hand-copied from TS 36.213 Table 16.4.1.5.1-1 (Rel-14).
	cases := []struct{ iTBS, iSF, want int }{
		{0, 0, 16}, {1, 7, 344}, {4, 7, 680}, {6, 7, 1032}, {7, 5, 680},
		{7, 6, 968}, {8, 7, 1352}, {10, 5, 1032}, {12, 2, 680}, {12, 3, 904},
		{13, 3, 1032}, {13, 7, 2536},
	}
	for _, c := range cases {
		got, err := NPDSCHTBS(c.iTBS, c.iSF)
		if err != nil || got != c.want {
			t.Errorf("NPDSCHTBS(%d,%d) = %d, %v; want %d", c.iTBS, c.iSF, got, err, c.want)
		}
	}
}

// The Rel-13 tables (TS 36.213 v13.2.0, 0 = not defined) must be the Rel-14
// tables truncated at the Rel-13 TBS limits.
func TestTBSRel13Consistency(t *testing.T) {
	rel13DL := [13][8]int{
		{16, 32, 56, 88, 120, 152, 208, 256},
		{24, 56, 88, 144, 176, 208, 256, 344},
		{32, 72, 144, 176, 208, 256, 328, 424},
		{40, 104, 176, 208, 256, 328, 440, 568},
		{56, 120, 208, 256, 328, 408, 552, 680},
		{72, 144, 224, 328, 424, 504, 680, 0},
		{88, 176, 256, 392, 504, 600, 0, 0},
		{104, 224, 328, 472, 584, 680, 0, 0},
		{120, 256, 392, 536, 680, 0, 0, 0},
		{136, 296, 456, 616, 0, 0, 0, 0},
		{144, 328, 504, 680, 0, 0, 0, 0},
		{176, 376, 584, 0, 0, 0, 0, 0},
		{208, 440, 680, 0, 0, 0, 0, 0},
	}
	rel13UL := [13][8]int{
		{16, 32, 56, 88, 120, 152, 208, 256},
		{24, 56, 88, 144, 176, 208, 256, 344},
		{32, 72, 144, 176, 208, 256, 328, 424},
		{40, 104, 176, 208, 256, 328, 440, 568},
		{56, 120, 208, 256, 328, 408, 552, 680},
		{72, 144, 224, 328, 424, 504, 680, 872},
		{88, 176, 256, 392, 504, 600, 808, 1000},
		{104, 224, 328, 472, 584, 712, 1000, 0},
		{120, 256, 392, 536, 680, 808, 0, 0},
		{136, 296, 456, 616, 776, 936, 0, 0},
		{144, 328, 504, 680, 872, 1000, 0, 0},
		{176, 376, 584, 776, 1000, 0, 0, 0},
		{208, 440, 680, 1000, 0, 0, 0, 0},
	}
	check := func(name string, rel13 *[13][8]int, full *[14][8]int, limit int) {
		for i := range rel13 {
			for j, v := range rel13[i] {
				switch {
				case v == 0 && full[i][j] <= limit:
					t.Errorf("%s (%d,%d): Rel-14 value %d within the Rel-13 limit but undefined in Rel-13", name, i, j, full[i][j])
				case v != 0 && v != full[i][j]:
					t.Errorf("%s (%d,%d): Rel-13 %d != Rel-14 %d", name, i, j, v, full[i][j])
				}
			}
		}
	}
	check("NPDSCH", &rel13DL, &npdschTBSTable, MaxTBSBitsRel13DL)
	check("NPUSCH", &rel13UL, &npuschTBSTable, MaxTBSBitsRel13UL)
}

func TestTBSMonotonic(t *testing.T) {
	for name, f := range map[string]func(int, int) (int, error){"NPUSCH": NPUSCHTBS, "NPDSCH": NPDSCHTBS} {
		for i := 0; i < 14; i++ {
			for j := 0; j < 8; j++ {
				v, err := f(i, j)
				if err != nil {
					t.Fatalf("%s(%d,%d): %v", name, i, j, err)
				}
				if j > 0 {
					if prev, _ := f(i, j-1); prev >= v {
						t.Errorf("%s row %d not increasing at column %d: %d >= %d", name, i, j, prev, v)
					}
				}
				if i > 0 {
					if prev, _ := f(i-1, j); prev >= v {
						t.Errorf("%s column %d not increasing at row %d: %d >= %d", name, j, i, prev, v)
					}
				}
			}
		}
	}
}

func TestTBSBadIndices(t *testing.T) {
	for _, ij := range [][2]int{{-1, 0}, {0, -1}, {14, 0}, {0, 8}, {100, 100}} {
		if _, err := NPUSCHTBS(ij[0], ij[1]); err == nil {
			t.Errorf("NPUSCHTBS(%d,%d): want error", ij[0], ij[1])
		}
		if _, err := NPDSCHTBS(ij[0], ij[1]); err == nil {
			t.Errorf("NPDSCHTBS(%d,%d): want error", ij[0], ij[1])
		}
	}
}

func TestNumRUAndSF(t *testing.T) {
	want := []int{1, 2, 3, 4, 5, 6, 8, 10} // TS 36.213 Tables 16.5.1.1-2, 16.4.1.3-1
	for i, w := range want {
		if n, err := NumRU(i); err != nil || n != w {
			t.Errorf("NumRU(%d) = %d, %v; want %d", i, n, err, w)
		}
		if n, err := NumSF(i); err != nil || n != w {
			t.Errorf("NumSF(%d) = %d, %v; want %d", i, n, err, w)
		}
	}
	if _, err := NumRU(8); err == nil {
		t.Error("NumRU(8): want error")
	}
	if _, err := NumSF(-1); err == nil {
		t.Error("NumSF(-1): want error")
	}
}

func TestRUDuration(t *testing.T) {
	cases := []struct {
		tones, scs int
		want       time.Duration
	}{
		{1, 15000, 8 * time.Millisecond}, {3, 15000, 4 * time.Millisecond},
		{6, 15000, 2 * time.Millisecond}, {12, 15000, time.Millisecond},
		{1, 3750, 32 * time.Millisecond},
	}
	for _, c := range cases {
		if got, err := RUDuration(c.tones, c.scs); err != nil || got != c.want {
			t.Errorf("RUDuration(%d,%d) = %v, %v; want %v", c.tones, c.scs, got, err, c.want)
		}
	}
	for _, c := range [][2]int{{2, 15000}, {0, 15000}, {3, 3750}, {1, 7500}, {12, 0}} {
		if _, err := RUDuration(c[0], c[1]); err == nil {
			t.Errorf("RUDuration(%d,%d): want error", c[0], c[1])
		}
	}
}

func TestHARQACKDuration(t *testing.T) {
	if d, err := HARQACKDuration(4, 15000); err != nil || d != 8*time.Millisecond {
		t.Errorf("HARQACKDuration(4, 15k) = %v, %v; want 8ms", d, err)
	}
	if d, err := HARQACKDuration(2, 3750); err != nil || d != 16*time.Millisecond {
		t.Errorf("HARQACKDuration(2, 3.75k) = %v, %v; want 16ms", d, err)
	}
	if _, err := HARQACKDuration(0, 15000); err == nil {
		t.Error("want error for 0 repetitions")
	}
	if _, err := HARQACKDuration(1, 30000); err == nil {
		t.Error("want error for 30 kHz")
	}
}

func TestRepetitionSets(t *testing.T) {
	eq := func(a, b []int) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	if want := []int{1, 2, 4, 8, 16, 32, 64, 128}; !eq(NPUSCHRepetitions, want) {
		t.Errorf("NPUSCHRepetitions = %v", NPUSCHRepetitions)
	}
	if want := []int{1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048}; !eq(NPDSCHRepetitions, want) {
		t.Errorf("NPDSCHRepetitions = %v", NPDSCHRepetitions)
	}
	if want := []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}; !eq(NPDCCHRmaxValues, want) {
		t.Errorf("NPDCCHRmaxValues = %v", NPDCCHRmaxValues)
	}
	// Callers mutating the exported slices must not affect the package.
	saved := NPUSCHRepetitions[7]
	NPUSCHRepetitions[7] = 1
	defer func() { NPUSCHRepetitions[7] = saved }()
	tx := LinkAdaptUL(-40, 10, 128, 0.1, 0)
	if tx[0].Reps != 128 {
		t.Errorf("link adaptation used a mutated exported repetition set: reps %d", tx[0].Reps)
	}
}

// TestNPDCCHType1Repetitions checks TS 36.213 Table 16.6-3 row by row.
func TestNPDCCHType1Repetitions(t *testing.T) {
	cases := map[int][]int{
		1: {1}, 2: {1, 2}, 4: {1, 2, 4}, 8: {1, 2, 4, 8}, 16: {1, 2, 4, 8, 16},
		32: {1, 2, 4, 8, 16, 32}, 64: {1, 2, 4, 8, 16, 32, 64}, 128: {1, 2, 4, 8, 16, 32, 64, 128},
		256: {1, 4, 8, 16, 32, 64, 128, 256}, 512: {1, 4, 16, 32, 64, 128, 256, 512},
		1024: {1, 8, 32, 64, 128, 256, 512, 1024}, 2048: {1, 8, 64, 128, 256, 512, 1024, 2048},
	}
	for rmax, want := range cases {
		got, err := NPDCCHType1Repetitions(rmax)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("NPDCCHType1Repetitions(%d) = %v, %v; want %v", rmax, got, err, want)
		}
	}
	for _, bad := range []int{0, 3, 4096} {
		if _, err := NPDCCHType1Repetitions(bad); err == nil {
			t.Errorf("NPDCCHType1Repetitions(%d): want error", bad)
		}
	}
}

func TestNPDCCHRepetitions(t *testing.T) {
	cases := map[int][]int{1: {1}, 2: {1, 2}, 4: {1, 2, 4}, 8: {1, 2, 4, 8}, 2048: {256, 512, 1024, 2048}}
	for rmax, want := range cases {
		got, err := NPDCCHRepetitions(rmax)
		if err != nil || len(got) != len(want) {
			t.Errorf("NPDCCHRepetitions(%d) = %v, %v; want %v", rmax, got, err, want)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("NPDCCHRepetitions(%d) = %v; want %v", rmax, got, want)
			}
		}
	}
	for _, bad := range []int{0, 3, 4096, -8} {
		if _, err := NPDCCHRepetitions(bad); err == nil {
			t.Errorf("NPDCCHRepetitions(%d): want error", bad)
		}
	}
}

func TestNPDCCHAirtime(t *testing.T) {
	cases := map[int]time.Duration{-5: 0, 0: 0, 1: time.Millisecond, 64: 64 * time.Millisecond, 2048: 2048 * time.Millisecond, 1 << 40: 2048 * time.Millisecond}
	for r, want := range cases {
		if got := NPDCCHAirtime(r); got != want {
			t.Errorf("NPDCCHAirtime(%d) = %v; want %v", r, got, want)
		}
	}
}

func TestSIB1NB(t *testing.T) {
	cases := []struct{ idx, reps, tbs int }{{0, 4, 208}, {2, 16, 208}, {4, 8, 328}, {8, 16, 440}, {9, 4, 680}, {11, 16, 680}}
	for _, c := range cases {
		r, tbs, err := SIB1NB(c.idx)
		if err != nil || r != c.reps || tbs != c.tbs {
			t.Errorf("SIB1NB(%d) = %d, %d, %v; want %d, %d", c.idx, r, tbs, err, c.reps, c.tbs)
		}
	}
	for _, bad := range []int{-1, 12, 15} {
		if _, _, err := SIB1NB(bad); err == nil {
			t.Errorf("SIB1NB(%d): want error", bad)
		}
	}
}

func TestDLAvailableFraction(t *testing.T) {
	cases := map[int]float64{
		0:  1920.0 / 2560, // NPBCH, NPSS, NSSS only
		4:  0.7375,
		8:  0.725,
		16: 0.70,
		99: 0.70, // clamped
		-3: 0.75,
	}
	for r, want := range cases {
		if got := DLAvailableFraction(r); !approx(got, want, 1e-12) {
			t.Errorf("DLAvailableFraction(%d) = %v; want %v", r, got, want)
		}
	}
}

func TestBands(t *testing.T) {
	cases := []struct {
		name     string
		ul, dl   float64
		wantName string
	}{
		{"B3", 1747.5, 1842.5, "B3"}, {"B5", 836.5, 881.5, "B5"}, {"B8", 897.5, 942.5, "B8"},
		{"B20", 847, 806, "B20"}, {"B28", 725.5, 780.5, "B28"},
		{"b20", 847, 806, "B20"}, {" band 8 ", 897.5, 942.5, "B8"}, {"28", 725.5, 780.5, "B28"},
	}
	for _, c := range cases {
		b, err := LookupBand(c.name)
		if err != nil || b.Name != c.wantName || b.ULMHz != c.ul || b.DLMHz != c.dl {
			t.Errorf("LookupBand(%q) = %+v, %v; want %s UL %v DL %v", c.name, b, err, c.wantName, c.ul, c.dl)
		}
	}
	names := BandNames()
	for _, must := range []string{"B3", "B5", "B8", "B20", "B28"} {
		found := false
		for _, n := range names {
			found = found || n == must
		}
		if !found {
			t.Errorf("BandNames() = %v lacks %s", names, must)
		}
		if _, err := LookupBand(must); err != nil {
			t.Errorf("LookupBand(%s): %v", must, err)
		}
	}
	for _, bad := range []string{"", "B4", "B999", "LTE", "B-3"} {
		_, err := LookupBand(bad)
		if err == nil || !strings.Contains(err.Error(), "B3") || !strings.Contains(err.Error(), "B28") {
			t.Errorf("LookupBand(%q) error %v should list the allowed bands", bad, err)
		}
	}
}

func TestDeployment(t *testing.T) {
	for _, d := range []Deployment{Standalone, GuardBand, InBand} {
		got, err := ParseDeployment(d.String())
		if err != nil || got != d {
			t.Errorf("ParseDeployment(%q) = %v, %v", d.String(), got, err)
		}
	}
	if Standalone.String() != "standalone" || GuardBand.String() != "guard-band" || InBand.String() != "in-band" {
		t.Error("Deployment names differ from standalone, guard-band, in-band")
	}
	for in, want := range map[string]Deployment{"GuardBand": GuardBand, "IN_BAND": InBand, " Standalone ": Standalone} {
		if got, err := ParseDeployment(in); err != nil || got != want {
			t.Errorf("ParseDeployment(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	_, err := ParseDeployment("inside")
	if err == nil || !strings.Contains(err.Error(), "guard-band") {
		t.Errorf("ParseDeployment error %v should list the allowed names", err)
	}
	if Deployment(7).String() != "Deployment(7)" {
		t.Error("unknown deployment String")
	}
	if InBand.MaxNPDSCHITBS() != 10 || Standalone.MaxNPDSCHITBS() != 13 {
		t.Error("MaxNPDSCHITBS")
	}
	if Standalone.TypicalENBTxPowerDbm() != 43 || InBand.TypicalENBTxPowerDbm() != 35 {
		t.Error("TypicalENBTxPowerDbm")
	}
}
