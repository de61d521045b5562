package report

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		t.Errorf("%s: tiny image %v", path, b)
	}
}

func TestWriteDirNewNestedDir(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "a", "b", "out")
	r := sample()
	if err := WriteDir(dir, Outputs{Results: r, Series: sampleTS(), Samples: sampleSamples()}); err != nil {
		t.Fatal(err)
	}
	want := Files()
	slices.Sort(want)
	if got := listDir(t, dir); !slices.Equal(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	if got := listDir(t, base); !slices.Equal(got, []string{"a", "a/b", "a/b/out", "a/b/out/access_delay_cdf.png", "a/b/out/battery_life_hist.png", "a/b/out/random_access_load.png", "a/b/out/report.html", "a/b/out/resource_utilisation.png", "a/b/out/results.json", "a/b/out/timeseries.csv"}) {
		t.Errorf("staging left behind? %v", got)
	}

	// results.json round-trips, ends with a newline and equals Marshal.
	b, err := os.ReadFile(filepath.Join(dir, FileResults))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("}\n")) || !bytes.HasPrefix(b, []byte("{\n  \"")) {
		t.Errorf("results.json not indented with trailing newline: %q...", b[:min(len(b), 20)])
	}
	var back Results
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if want := normalised(r); !reflect.DeepEqual(back, want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", back, want)
	}
	m, _ := Marshal(r)
	if !bytes.Equal(b, m) {
		t.Error("results.json != Marshal(r)")
	}

	csv, err := os.ReadFile(filepath.Join(dir, FileTimeSeries))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(csv), "\n"), "\n")
	if lines[0] != "minute,arrivals,preambles,collisions,successes,failures,connected" {
		t.Errorf("header = %q", lines[0])
	}
	if len(lines) != 31 || lines[4] != "3,3,4,0,3,1,3" {
		t.Errorf("csv: %d lines, line 4 = %q", len(lines), lines[4])
	}
	for _, f := range []string{FileAccessDelayCDF, FileRandomAccessLoad, FileBatteryLifeHist, FileResourceUtil} {
		checkPNG(t, filepath.Join(dir, f))
	}
}

func TestWriteDirExistingDirReplaces(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, FileResults), []byte("old"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep me"), 0o644)
	if err := WriteDir(dir, Outputs{Results: sample()}); err != nil {
		t.Fatal(err)
	}
	want := append(Files(), "notes.txt")
	slices.Sort(want)
	if got := listDir(t, dir); !slices.Equal(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, FileResults)); bytes.Equal(b, []byte("old")) {
		t.Error("results.json not replaced")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "keep me" {
		t.Error("unrelated file touched")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, FileTimeSeries)); string(b) != TimeSeriesHeader+"\n" {
		t.Errorf("nil time series: %q", b)
	}
}

func TestWriteDirEmptyData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteDir(dir, Outputs{Results: &Results{}, Series: &TimeSeries{}, Samples: &Samples{}}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{FileAccessDelayCDF, FileRandomAccessLoad, FileBatteryLifeHist, FileResourceUtil} {
		checkPNG(t, filepath.Join(dir, f))
	}
	b, _ := os.ReadFile(filepath.Join(dir, FileResults))
	if bytes.Contains(b, []byte("null")) {
		t.Errorf("empty results contain null:\n%s", b)
	}
}

func TestPlotsDegenerateData(t *testing.T) {
	// Single values, identical values, zeros, non-finite: no error, no panic.
	for _, xs := range [][]float64{nil, {5}, {3, 3, 3}, {0, 0}, {1e9, -1}, {nanF(), infF()}} {
		if _, err := AccessDelayCDFPNG(xs, 0); err != nil {
			t.Errorf("AccessDelayCDFPNG(%v): %v", xs, err)
		}
		if _, err := BatteryLifeHistPNG(xs); err != nil {
			t.Errorf("BatteryLifeHistPNG(%v): %v", xs, err)
		}
	}
	for _, ts := range []*TimeSeries{nil, {}, {Rows: []Row{{Minute: 0}}}, {Rows: []Row{{Minute: 0}, {Minute: 1}}},
		{Step: 10 * 60e9, Rows: []Row{{Minute: 0, Preambles: 3}, {Minute: 10000, Preambles: 1}}}} {
		if _, err := RandomAccessLoadPNG(ts); err != nil {
			t.Errorf("RandomAccessLoadPNG(%+v): %v", ts, err)
		}
		if _, err := ResourceUtilisationPNG(ts); err != nil {
			t.Errorf("ResourceUtilisationPNG(%+v): %v", ts, err)
		}
	}
	// Resources: short rows, a load far above the axis, no downlink pair.
	res := []string{"nprach_ce0", ResNPDCCH, ResNPDSCH, ResDLGap, ResNPUSCH}
	for _, ts := range []*TimeSeries{
		{Resources: res, Rows: []Row{{Minute: 0}, {Minute: 1, Utilisation: []float64{40, 0.5, 0.2, 0.1, 0.9}}}},
		{Resources: []string{"nprach_ce0"}, Rows: []Row{{Minute: 0, Utilisation: []float64{nanF()}}, {Minute: 500}}},
	} {
		if _, err := ResourceUtilisationPNG(ts); err != nil {
			t.Errorf("ResourceUtilisationPNG(%+v): %v", ts, err)
		}
	}
	// Large sample: the CDF is thinned.
	big := make([]float64, 100000)
	for i := range big {
		big[i] = float64(i % 977)
	}
	if _, err := AccessDelayCDFPNG(big, 0); err != nil {
		t.Error(err)
	}
}

func TestWriteDirUnderRegularFile(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{file, filepath.Join(file, "out"), filepath.Join(file, "a", "out")} {
		err := WriteDir(dir, Outputs{Results: sample(), Series: sampleTS(), Samples: sampleSamples()})
		if err == nil {
			t.Errorf("WriteDir(%s) succeeded", dir)
			continue
		}
		if !strings.HasPrefix(err.Error(), "--out "+dir+": ") {
			t.Errorf("error %q does not start with --out DIR", err)
		}
		if !strings.Contains(err.Error(), "not a directory") {
			t.Errorf("error %q should say not a directory", err)
		}
		if got := listDir(t, base); !slices.Equal(got, []string{"file"}) {
			t.Errorf("left behind: %v", got)
		}
	}
}

func TestWriteDirReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	base := t.TempDir()
	ro := filepath.Join(base, "ro")
	os.Mkdir(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	for _, dir := range []string{ro, filepath.Join(ro, "out")} {
		if err := WriteDir(dir, Outputs{Results: sample()}); err == nil || !strings.HasPrefix(err.Error(), "--out "+dir+": ") {
			t.Errorf("WriteDir(%s) = %v", dir, err)
		}
		if got := listDir(t, ro); len(got) != 0 {
			t.Errorf("left behind: %v", got)
		}
	}
}

func TestWriteDirTargetIsDirectory(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, FileBatteryLifeHist), 0o755)
	os.WriteFile(filepath.Join(dir, FileResults), []byte("old"), 0o644)
	err := WriteDir(dir, Outputs{Results: sample()})
	if err == nil || !strings.Contains(err.Error(), FileBatteryLifeHist) {
		t.Fatalf("err = %v", err)
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{FileBatteryLifeHist, FileResults}) {
		t.Errorf("dir changed: %v", got)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, FileResults)); string(b) != "old" {
		t.Error("old results.json overwritten")
	}
}

func TestWriteDirBadResults(t *testing.T) {
	base := t.TempDir()
	r := sample()
	r.KPI.LatencyMs.P95 = nanF()
	dir := filepath.Join(base, "out")
	err := WriteDir(dir, Outputs{Results: r})
	if err == nil || !strings.Contains(err.Error(), "kpi.uplink_latency_ms.p95") {
		t.Errorf("err = %v", err)
	}
	if err := WriteDir(dir, Outputs{Results: nil}); err == nil {
		t.Error("nil results accepted")
	}
	if err := WriteDir("", Outputs{Results: sample()}); err == nil {
		t.Error("empty dir accepted")
	}
	if got := listDir(t, base); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

// TestTimeSeriesCSVResources: the resource columns follow the fixed ones:
// the limit ("none" when unset), then one figure per resource with 4
// decimals (0 for a short row).
func TestTimeSeriesCSVResources(t *testing.T) {
	ts := &TimeSeries{Step: time.Minute, Resources: []string{"nprach_ce0", ResNPUSCH}, Rows: []Row{
		{Minute: 0, Arrivals: 3, Preambles: 4, Collisions: 1, Successes: 2, Failures: 1, Connected: 5, Limit: ResNPUSCH, Utilisation: []float64{0.25, 0.91234}},
		{Minute: 1, Utilisation: []float64{1.5}},
	}}
	var b bytes.Buffer
	if err := TimeSeriesCSV(&b, ts); err != nil {
		t.Fatal(err)
	}
	want := TimeSeriesHeader + ",limit,nprach_ce0,npusch\n" +
		"0,3,4,1,2,1,5,npusch,0.2500,0.9123\n" +
		"1,0,0,0,0,0,0,none,1.5000,0.0000\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if h := (&TimeSeries{}).Header(); h != TimeSeriesHeader {
		t.Errorf("header without resources %q", h)
	}
}
