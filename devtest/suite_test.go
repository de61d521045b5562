package devtest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The reference firmwares over every case: good passes them all, and
// each bug of buggy fails exactly its cases.
func TestReferenceFirmwares(t *testing.T) {
	t.Parallel()
	good, buggy := buildFirmware(t, "good"), buildFirmware(t, "buggy")
	args := fwArgs
	variants := []struct {
		name, cmd string
		fail      []string
	}{
		{"good", good + args, nil},
		{"backoff", buggy + " -bug backoff" + args, []string{"backoff"}},
		{"psm", buggy + " -bug psm" + args, []string{"psm", "energy"}},
		{"downlink", buggy + " -bug downlink" + args, []string{"downlink", "nat-rebind"}},
		// reject-22's group sends T3346: the module itself defers the
		// firmware's attaches until it expires (TS 24.301 §5.5.1.2.5), so
		// forcing them breaks nothing there.
		{"reject", buggy + " -bug reject" + args, []string{"reject-15", "reject-11"}},
	}
	var wg sync.WaitGroup
	reports := make([]*Report, len(variants))
	errs := make([]error, len(variants))
	t0 := time.Now()
	for i, v := range variants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i], errs[i] = Run(context.Background(), Config{Firmware: v.cmd, Speed: testSpeed, Period: 2 * time.Minute,
				EnergyBudget: testBudget, Parallel: len(sessions), AttachWithin: testAttachWithin})
		}()
	}
	wg.Wait()
	t.Logf("%d suites in %v", len(variants), time.Since(t0).Round(time.Millisecond))
	for i, v := range variants {
		if errs[i] != nil {
			t.Errorf("%s: %v", v.name, errs[i])
			continue
		}
		var failed []string
		for _, r := range reports[i].Results {
			if !r.Passed() {
				failed = append(failed, r.Case.Name)
			}
		}
		var b strings.Builder
		reports[i].WriteText(&b)
		if !slices.Equal(failed, v.fail) {
			t.Errorf("%s: failed %v, want %v\n%s", v.name, failed, v.fail, b.String())
		} else {
			t.Logf("%s:\n%s", v.name, b.String())
		}
	}
}

// The test's settings: network time runs 100 times faster than the wall
// clock, so each group of cases takes 5 to 7 s; the reference firmwares'
// energy per report is about 69.5 µAh with PSM and 83 µAh without (a
// 2-minute period); their nine commands before the attach take up to 2 min
// of network time (1.3 s of wall time) when the 25 groups and their
// firmware processes share a loaded machine under the race detector.
const (
	testSpeed        = 50
	testBudget       = 0.074 // mAh per report
	testAttachWithin = 3 * time.Minute
)

// The same at 10 times real time (make test-long: about 100 s), so that
// the verdicts are not an artefact of the 50 times of the short test: the
// good firmware passes every case and the psm bug fails psm and energy.
func TestReferenceFirmwaresSlow(t *testing.T) {
	if testing.Short() {
		t.Skip("about 100 s of wall time: make test-long")
	}
	t.Parallel()
	good, buggy := buildFirmware(t, "good"), buildFirmware(t, "buggy")
	for _, v := range []struct {
		name, cmd string
		fail      []string
	}{{"good", good + fwArgs, nil}, {"psm", buggy + " -bug psm" + fwArgs, []string{"psm", "energy"}}} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			rep, err := Run(context.Background(), Config{Firmware: v.cmd, Speed: 10, Period: 2 * time.Minute,
				EnergyBudget: testBudget, Parallel: len(sessions), AttachWithin: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			for _, r := range rep.Results {
				if !r.Passed() {
					failed = append(failed, r.Case.Name)
				}
			}
			var b strings.Builder
			rep.WriteText(&b)
			if !slices.Equal(failed, v.fail) {
				t.Errorf("failed %v, want %v\n%s", failed, v.fail, b.String())
			} else {
				t.Logf("\n%s", b.String())
			}
		})
	}
}
