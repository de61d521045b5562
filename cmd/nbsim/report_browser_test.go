package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/nbsim/nbsim/report"
)

// findBrowser returns a Chromium-family browser on PATH, or "".
func findBrowser() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// report.html in a real browser (headless Chromium): the page loads with
// no console error, no exception and no failed request, every plot decodes,
// and the page shows the run's key numbers as results.json has them. The
// screenshot goes to $NBSIM_SCREENSHOT_DIR when set (else the test's
// temporary directory). make test-long runs it; CI's make test (-short)
// does not start a browser.
func TestReportHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser check of report.html runs in make test-long")
	}
	browser := findBrowser()
	if browser == "" {
		t.Skip("no chromium on PATH (Debian: apt-get install chromium): report.html not checked in a browser")
	}
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errOut := runCollars(t, "-q", "--out", dir, "--set", "expect=[\"access_success_probability >= 0.9\", \"kpi.reports_dropped < 0\"]")
	if code != exitExpect {
		t.Fatalf("exit %d, want %d (one expectation fails on purpose): %s", code, exitExpect, errOut)
	}
	var res report.Results
	b, err := os.ReadFile(filepath.Join(dir, report.FileResults))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				problems = append(problems, fmt.Sprintf("console %s", e.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s %s: %s", e.Entry.Level, e.Entry.Source, e.Entry.Text))
			}
		}
	}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()

	page := "file://" + filepath.Join(dir, report.FileReportHTML)
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("chromium (%s): %v", browser, err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	imagesOK, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.images.length === 5 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 100)`))
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("the page logged problems: %v", problems)
	}
	if !imagesOK {
		t.Error("not every plot is a decoded image")
	}
	k := res.KPI
	for _, want := range []string{
		"expectations: 1/2 passed",
		fmt.Sprintf("%.4f (%d attempts)", k.AccessSuccessProbability, k.AccessAttempts),
		fmt.Sprintf("generated %d, delivered %d", k.ReportsGenerated, k.ReportsDelivered),
		"FAIL", "kpi.reports_dropped < 0",
		res.Bottleneck.Resource,
		"Scenario as run", "count: 200",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if h := img.Bounds().Dy(); h < 2000 {
		t.Errorf("screenshot %d px high: the page did not lay out its sections", h)
	}
	out := t.TempDir()
	if d := os.Getenv("NBSIM_SCREENSHOT_DIR"); d != "" {
		out = d
	}
	if err := os.WriteFile(filepath.Join(out, "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
}
