package model

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// TestMemProfile writes heap profiles of one run (docs/scale.md, Memory):
// after a forced collection at the end of Build, at a quarter, half and
// three quarters of the run, at its end and, with MEMPROF_OUT, after the
// outputs are written there. Only when MEMPROF_SCENARIO is set:
//
//	MEMPROF_SCENARIO=scale-1m MEMPROF_SET=duration=12h MEMPROF_DIR=/tmp/p \
//	  go test ./model -run TestMemProfile -v
//	go tool pprof -sample_index=inuse_space -top -lines /tmp/p/half.pprof
func TestMemProfile(t *testing.T) {
	name := os.Getenv("MEMPROF_SCENARIO")
	if name == "" {
		t.Skip("MEMPROF_SCENARIO not set")
	}
	var sets []string
	if s := os.Getenv("MEMPROF_SET"); s != "" {
		sets = strings.Split(s, ",")
	}
	dir := os.Getenv("MEMPROF_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	snap := func(at string) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		t.Logf("%s: live heap %.1f MiB, from the OS %.1f MiB", at, float64(ms.HeapAlloc)/(1<<20), float64(ms.Sys)/(1<<20))
		f, err := os.Create(filepath.Join(dir, at+".pprof"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.WriteHeapProfile(f); err != nil {
			t.Fatal(err)
		}
	}
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(sc, sc.Seed)
	if err != nil {
		t.Fatal(err)
	}
	snap("build")
	done := map[int]bool{}
	o, err := n.Run(context.Background(), Options{Workers: 1, Progress: func(at, total float64) {
		if q := int(at / total * 4); q > 0 && q < 4 && !done[q] {
			done[q] = true
			snap([]string{"", "quarter", "half", "three-quarters"}[q])
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	snap("end")
	if out := os.Getenv("MEMPROF_OUT"); out != "" {
		if err := report.WriteDir(out, report.Outputs{Results: o.Results, Series: o.Series, Samples: o.Samples, State: o.State}); err != nil {
			t.Fatal(err)
		}
		snap("written")
	}
	runtime.KeepAlive(o)
	runtime.KeepAlive(n)
	fmt.Fprintln(os.Stderr, "profiles in", dir)
}
