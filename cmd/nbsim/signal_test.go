//go:build linux

package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildNbsim builds the command into a temporary directory.
func buildNbsim(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not in PATH")
	}
	bin := filepath.Join(t.TempDir(), "nbsim")
	if b, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

// snapshot returns the names and contents of the regular files in dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range entries {
		if e.Type().IsRegular() {
			m[e.Name()] = string(readFile(t, filepath.Join(dir, e.Name())))
		} else {
			m[e.Name()] = e.Type().String()
		}
	}
	return m
}

var interruptedAt = regexp.MustCompile(`^nbsim: interrupted at simulated time ((\d+)d)?(\S*)\n$`)

// interruptRun starts the binary with args (a run that takes far longer
// than the test), sends sig as soon as ready says so and returns
// the exit status and stderr. The run must end within 10 s of the signal
// (a test timeout, not a measurement).
func interruptRun(t *testing.T, bin string, sig syscall.Signal, ready func() bool, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir, _ = os.Getwd()
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for !ready() {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			t.Fatalf("nbsim %s did not get going; stderr:\n%s", strings.Join(args, " "), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("nbsim %s: still running 10 s after %v", strings.Join(args, " "), sig)
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode() // -1 when the signal killed it
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stderr.String()
}

// tempExists reports whether dir holds a temporary of a run, 300 ms after
// it first did (the simulation is then under way).
func tempExists(dir, prefix string) func() bool {
	return func() bool {
		if hasTemp(dir, prefix) {
			time.Sleep(300 * time.Millisecond)
			return true
		}
		return false
	}
}

// hasTemp reports whether dir holds an entry whose name starts with prefix.
func hasTemp(dir, prefix string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			return true
		}
	}
	return false
}

// TestRunProcess runs the nbsim binary (built once) as a process: stopped
// by signals, by SIGKILL.
func TestRunProcess(t *testing.T) {
	bin := buildNbsim(t)
	t.Run("signals", func(t *testing.T) { testRunSignals(t, bin) })
	t.Run("signal-mme", func(t *testing.T) { testRunSignalExternalMME(t, bin) })
	t.Run("signal-build", func(t *testing.T) { testRunSignalDuringBuild(t, bin) })
	t.Run("second-signal", func(t *testing.T) { testRunSecondSignal(t, bin) })
	t.Run("kill", func(t *testing.T) { testKillDuringOutput(t, bin) })
}

// SIGINT and SIGTERM stop `nbsim run`: exit status 130 or 143, the
// simulated time reached on stderr, --out DIR and --pcap FILE as they
// were, no temporary left.
func testRunSignals(t *testing.T, bin string) {
	for _, tc := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			capture := filepath.Join(parent, "x.pcap")
			// A previous output and capture.
			code, out, errOut := runCollars(t, "-q", "--out", dir)
			mustExit(t, 0, code, out, errOut)
			os.WriteFile(capture, []byte("previous capture"), 0o644)
			before := snapshot(t, dir)

			code, stderr := interruptRun(t, bin, tc.sig, tempExists(parent, ".nbsim-pcap-"),
				"run", "../../testdata/small.yaml", "--duration", "365d", "--out", dir, "--pcap", capture)
			if code != tc.want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
			m := interruptedAt.FindStringSubmatch(stderr)
			if m == nil {
				t.Fatalf("stderr %q, want one line 'nbsim: interrupted at simulated time T'", stderr)
			}
			var at time.Duration
			if rest, err := time.ParseDuration(m[3]); err == nil || m[3] == "" {
				at = rest
				if m[2] != "" {
					var days int
					for _, c := range m[2] {
						days = days*10 + int(c-'0')
					}
					at += time.Duration(days) * 24 * time.Hour
				}
			} else {
				t.Errorf("simulated time %q: %v", m[1]+m[3], err)
			}
			if at <= 0 || at >= 365*24*time.Hour {
				t.Errorf("interrupted at %v: want within the run (0, 365d)", at)
			}
			if after := snapshot(t, dir); !equalMaps(before, after) {
				t.Errorf("--out DIR changed by an interrupted run")
			}
			if b := readFile(t, capture); string(b) != "previous capture" {
				t.Errorf("--pcap FILE changed by an interrupted run (%d bytes)", len(b))
			}
			noLeftovers(t, parent)
			noLeftovers(t, dir)
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v != w {
			return false
		}
	}
	return true
}

// mmeRun is a run against an external MME that takes far longer than the
// test (the scenario has no downlink data, as --mme requires).
func mmeRun(url, dir string) []string {
	return []string{"run", "../../testdata/small.yaml", "-q",
		"--set", "groups.trackers.data_path=control-plane",
		"--set", "groups.meters.report.reply_probability=0",
		"--set", "groups.meters.downlink.mean_interval=0s",
		"--duration", "365d", "--mme", url, "--out", dir}
}

// A run against an external MME (--mme) stops on SIGINT the same way:
// with an MME that answers, and with one that has stopped answering
// (SIGSTOP: every message would wait for its reply timeout).
func testRunSignalExternalMME(t *testing.T, bin string) {
	for _, silent := range []bool{false, true} {
		t.Run(map[bool]string{false: "answering", true: "silent"}[silent], func(t *testing.T) {
			url, freeze := stoppableCore(t)
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			os.Mkdir(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "results.json"), []byte("{}"), 0o644)
			before := snapshot(t, dir)
			started := time.Now()
			var signalled time.Time
			code, stderr := interruptRun(t, bin, syscall.SIGINT, func() bool {
				if time.Since(started) < 2*time.Second {
					return false
				}
				if silent {
					freeze()
				}
				signalled = time.Now()
				return true
			}, mmeRun(url, dir)...)
			t.Logf("stopped %v after SIGINT: %s", time.Since(signalled).Round(time.Millisecond), stderr)
			if code != 130 || !interruptedAt.MatchString(stderr) {
				t.Errorf("exit status %d, want 130; stderr %q", code, stderr)
			}
			if !equalMaps(before, snapshot(t, dir)) {
				t.Errorf("--out DIR changed by an interrupted run")
			}
			noLeftovers(t, parent)
		})
	}
}

// stoppableCore runs nbsim core in a subprocess (the test binary as
// TestHelperCore) and returns its address and a function that stops it
// answering (SIGSTOP). The core ends with the test.
func stoppableCore(t *testing.T) (url string, freeze func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCore$")
	cmd.Env = append(os.Environ(), "NBSIM_HELPER_CORE=1")
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGCONT)
		cmd.Process.Kill()
		cmd.Wait()
	})
	urlCh := make(chan string, 1)
	go func() {
		rd := bufio.NewReader(pipe)
		sent := false
		for {
			line, err := rd.ReadString('\n')
			if m := coreListening.FindStringSubmatch(line); m != nil && !sent {
				urlCh <- m[1]
				sent = true
			}
			if err != nil {
				if !sent {
					close(urlCh)
				}
				return
			}
		}
	}()
	select {
	case u, ok := <-urlCh:
		if !ok {
			t.Fatal("core printed no address")
		}
		url = u
	case <-time.After(20 * time.Second):
		t.Fatal("core printed no address")
	}
	return url, func() { cmd.Process.Signal(syscall.SIGSTOP) }
}

// A signal while a very large scenario is being built (which cannot be
// interrupted: a million devices take seconds) ends the process after
// interruptGrace all the same, with the capture's temporary removed.
func testRunSignalDuringBuild(t *testing.T, bin string) {
	if testing.Short() {
		t.Skip("builds a million devices")
	}
	parent := t.TempDir()
	capture := filepath.Join(parent, "x.pcap")
	var signalled time.Time
	code, stderr := interruptRun(t, bin, syscall.SIGTERM, func() bool {
		if !hasTemp(parent, ".nbsim-pcap-") {
			return false
		}
		signalled = time.Now()
		return true
	}, "run", "scale-1m", "-q", "--pcap", capture)
	t.Logf("stopped %v after SIGTERM: %s", time.Since(signalled).Round(time.Millisecond), stderr)
	if code != 143 || stderr != "nbsim: interrupted at simulated time 0s\n" {
		t.Errorf("exit status %d, want 143; stderr %q", code, stderr)
	}
	if _, err := os.Stat(capture); err == nil {
		t.Error("a capture was written")
	}
	noLeftovers(t, parent)
}

// A second SIGINT, while the run is stopping after the first (here: during
// a build that cannot be interrupted), ends the process at once by the
// signal's default action.
func testRunSecondSignal(t *testing.T, bin string) {
	if testing.Short() {
		t.Skip("builds a million devices")
	}
	parent := t.TempDir()
	cmd := exec.Command(bin, "run", "scale-1m", "-q", "--pcap", filepath.Join(parent, "x.pcap"))
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !hasTemp(parent, ".nbsim-pcap-") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("no capture started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(50 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("wait: %v", err)
	}
	st, ok := ee.Sys().(syscall.WaitStatus)
	if !ok || !st.Signaled() || st.Signal() != syscall.SIGINT {
		t.Errorf("ended with %v, want killed by the second SIGINT; stderr %q", err, stderr.String())
	}
	// What it left is removed by the next run into the same directory.
	code, out, errOut := run(t, "run", "cow-collars", "-q", "--set", "groups.collars.count=20", "--duration", "1h", "--pcap", filepath.Join(parent, "x.pcap"))
	mustExit(t, 0, code, out, errOut)
	noLeftovers(t, parent)
}
