package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startCore runs nbsim core on SCTP over UDP through its command and
// returns its address, its stdout and a stop function.
func startCore(t *testing.T, args ...string) (string, *lockedBuffer, func()) {
	t.Helper()
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	cmd := newCore(&stdout, &stderr)
	cmd.SetArgs(append([]string{"--listen", "udp://127.0.0.1:0"}, args...))
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("core: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("core did not stop")
		}
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := coreListening.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], &stdout, stop
		}
		if time.Now().After(deadline) {
			t.Fatalf("no listen address printed; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func counter(t *testing.T, out, name string) int {
	t.Helper()
	m := regexp.MustCompile(`\b` + name + `=(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s in core output:\n%s", name, out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// A simulator run against nbsim core (two commands in one process, over
// SCTP over UDP): every device attaches over the air at the external MME
// and the reports reach its SGi.
func TestRunWithExternalMME(t *testing.T) {
	url, coreOut, stop := startCore(t)
	var stdout, stderr bytes.Buffer
	code := Main([]string{"run", "../../testdata/small.yaml",
		"--set", "groups.trackers.data_path=control-plane",
		"--set", "groups.meters.report.reply_probability=0",
		"--set", "groups.meters.downlink.mean_interval=0s",
		"--duration", "1h", "--mme", url, "--out", t.TempDir()}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	t.Logf("run:\n%s", stdout.String())
	stop()
	out := coreOut.String()
	t.Logf("core:\n%s", out)
	if a := counter(t, out, "attaches"); a != 300 {
		t.Errorf("attaches=%d, want 300 (every device once)", a)
	}
	if d := counter(t, out, "delivered"); d != 400 {
		t.Errorf("delivered=%d, want 400 (every report once)", d)
	}
	if strings.Contains(out, "rejected_") || strings.Contains(out, "discarded_") {
		t.Errorf("the core rejected or discarded messages:\n%s", out)
	}
}

func TestRunExternalMMENeedsNoDownlink(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main([]string{"run", "../../testdata/small.yaml", "--duration", "1h", "--mme", "udp://127.0.0.1:9"}, &stdout, &stderr)
	if code != exitBadInput || !strings.Contains(stderr.String(), "SGi") {
		t.Errorf("exit %d, stderr %s", code, stderr.String())
	}
}

// TestHelperCore is not a test: run by TestRunWithExternalMMEProcess as a
// subprocess (the test binary standing in for the nbsim binary), it is
// "nbsim core --listen udp://127.0.0.1:0".
func TestHelperCore(t *testing.T) {
	if os.Getenv("NBSIM_HELPER_CORE") != "1" {
		t.Skip("helper process")
	}
	args := []string{"core", "--listen", "udp://127.0.0.1:0"}
	if extra := os.Getenv("NBSIM_HELPER_CORE_ARGS"); extra != "" {
		args = append(args, strings.Fields(extra)...)
	}
	os.Exit(Main(args, os.Stdout, os.Stderr))
}

// coreSubprocess is nbsim core in a subprocess: the test binary re-executed as
// TestHelperCore.
type coreSubprocess struct {
	cmd    *exec.Cmd
	url    string
	stdout *lockedBuffer
	stderr *lockedBuffer
	done   chan error // the process's exit
}

// startCoreSubprocess starts nbsim core --listen udp://127.0.0.1:0 with args
// in a subprocess and waits for its address; the process is killed at the
// end of the test if it still runs.
func startCoreSubprocess(t *testing.T, args ...string) *coreSubprocess {
	t.Helper()
	p := &coreSubprocess{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(os.Args[0], "-test.run=^TestHelperCore$")
	p.cmd.Env = append(os.Environ(), "NBSIM_HELPER_CORE=1", "NBSIM_HELPER_CORE_ARGS="+strings.Join(args, " "))
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := coreListening.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1]
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("core printed no address; stderr:\n%s", p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Two processes: nbsim core in a subprocess, a simulator run against it
// here; the core stops on SIGINT and prints its counters.
func TestRunWithExternalMMEProcess(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCore$")
	cmd.Env = append(os.Environ(), "NBSIM_HELPER_CORE=1")
	var stderrBuf lockedBuffer
	cmd.Stderr = &stderrBuf
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	rd := bufio.NewReader(pipe)
	urlCh := make(chan string, 1)
	go func() {
		for {
			line, err := rd.ReadString('\n')
			if m := coreListening.FindStringSubmatch(line); m != nil {
				urlCh <- m[1]
				return
			}
			if err != nil {
				close(urlCh)
				return
			}
		}
	}()
	var url string
	select {
	case u, ok := <-urlCh:
		if !ok {
			t.Fatalf("core printed no address; stderr:\n%s", stderrBuf.String())
		}
		url = u
	case <-time.After(20 * time.Second):
		t.Fatalf("core printed no address; stderr:\n%s", stderrBuf.String())
	}

	var stdout, stderr bytes.Buffer
	code := Main([]string{"run", "../../testdata/small.yaml",
		"--set", "groups.trackers.data_path=control-plane",
		"--set", "groups.meters.report.reply_probability=0",
		"--set", "groups.meters.downlink.mean_interval=0s",
		"--duration", "1h", "--quiet", "--mme", url}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(rd)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("core: %v; stderr:\n%s", err, stderrBuf.String())
	}
	out := string(rest)
	if a := counter(t, out, "attaches"); a != 300 {
		t.Errorf("attaches=%d, want 300 (every device once)\n%s", a, out)
	}
	if d := counter(t, out, "delivered"); d != 400 {
		t.Errorf("delivered=%d, want 400 (every report once)\n%s", d, out)
	}
	if c := counter(t, out, "connected"); c != 0 {
		t.Errorf("connected=%d at the end\n%s", c, out)
	}
}

// A run waits long enough for a loaded MME's answers (RemoteCore's 200 ms
// default made the 7th consecutive run against one core fail).
func TestDialMMEReplyWait(t *testing.T) {
	url, _, stop := startCore(t)
	defer stop()
	r, err := dialMME(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.ReplyWait < time.Second {
		t.Errorf("ReplyWait %s: a loaded MME's answers would count as none", r.ReplyWait)
	}
}
