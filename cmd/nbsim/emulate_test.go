package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// free makes every listener of nbsim emulate pick a free port, so that
// the tests neither collide with each other nor with a running nbsim.
// They give the API token, so that no test writes the user's token file.
var free = []string{"--at-listen", "127.0.0.1:0", "--api", "127.0.0.1:0", "--coap", "127.0.0.1:0", "--api-token", testToken}

// testToken is the API token of the tests.
const testToken = "test-token-0123456789abcdef"

// apiGet makes an authenticated GET of the API.
func apiGet(t *testing.T, url string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// badProfile is a module profile file with an unknown key.
func badProfile(t *testing.T) string {
	f := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(f, []byte("name: bad\ncolour: red\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// Bad flags and arguments: exit status 2 with a message naming the
// problem, at once, without running anything.
func TestEmulateBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--ues", "0"}, "--ues 0: between 1 and 60000"},
		{[]string{"--ues", "60001"}, "--ues 60001"},
		{[]string{"--ues", "many"}, "--ues"},
		{[]string{"--at-listen", "garbage"}, `--at-listen "garbage": want IP:PORT`},
		{[]string{"--at-listen", "localhost:7000"}, `--at-listen "localhost:7000"`},
		{[]string{"--platform", "http://x"}, `--platform "http://x": want coap://HOST:PORT`},
		{[]string{"--platform", "coap://no-port"}, "--platform"},
		{[]string{"--duration", "-1s"}, `--duration "-1s": want a positive duration`},
		{[]string{"--duration=-1s"}, `--duration "-1s"`},
		{[]string{"--duration", "0"}, `--duration "0"`},
		{[]string{"--duration", "soon"}, `--duration "soon"`},
		{[]string{"--nonip-server", "nohost"}, "--nonip-server"},
		{[]string{"--set", "nosuch.key=1"}, `unknown key "nosuch"`},
		{[]string{"--set", "radio.max_coupling_loss_db=abc"}, "radio.max_coupling_loss_db"},
		{[]string{"--coap", "garbage"}, "garbage"},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"no-such-scenario"}, "no-such-scenario: no such scenario"},
		{[]string{"lab", "extra"}, "accepts at most 1 arg"},
		{[]string{"--module", "bc96x"}, `--module: unknown module "bc96x" (allowed: bc66, bc95`},
		{[]string{"--module-file", "/nonexistent/p.yaml"}, "--module-file: open /nonexistent/p.yaml"},
		{[]string{"--module-file", badProfile(t)}, `bad.yaml:2: unknown key "colour" (allowed: name, vendor`},
	} {
		args := append(append([]string{"emulate"}, free...), c.args...)
		t0 := time.Now()
		code, stdout, stderr := run(t, args...)
		mustExit(t, 2, code, stdout, stderr)
		mustContain(t, fmt.Sprintf("stderr of %q", c.args), stderr, c.want)
		if strings.Contains(stdout, "mAh") {
			t.Errorf("%q: an energy summary after bad flags:\n%s", c.args, stdout)
		}
		if d := time.Since(t0); d > 3*time.Second {
			t.Errorf("%q: took %v to fail", c.args, d)
		}
	}
}

var (
	atPortsLine = regexp.MustCompile(`AT ports: tcp://(\S+)`)
	apiLine     = regexp.MustCompile(`API http://(\S+)/api/devices`)
)

// printedAddrs waits up to timeout for nbsim emulate to print its first AT
// port and its API address, and returns them.
func printedAddrs(t *testing.T, stdout, stderr *lockedBuffer, timeout time.Duration) (at, api string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for at == "" || api == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no addresses printed:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
		if m := atPortsLine.FindStringSubmatch(stdout.String()); m != nil {
			at = m[1]
		}
		if m := apiLine.FindStringSubmatch(stdout.String()); m != nil {
			api = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	return at, api
}

// --module gives each module its profile: module i the (i mod n)th;
// each boots and identifies itself as that module.
func TestEmulateModules(t *testing.T) {
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(append([]string{"emulate", "--duration", "4s", "--ues", "2", "--module", "nrf91-slm,sara-r4"}, free...), &stdout, &stderr)
	}()
	printedAddrs(t, &stdout, &stderr, 5*time.Second)
	m := regexp.MustCompile(`AT ports: tcp://(\S+) … tcp://(\S+)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("AT ports:\n%s", stdout.String())
	}
	for i, want := range []string{"nRF9160-SICA", "SARA-R410M-02B"} {
		c, err := net.Dial("tcp", m[1+i])
		if err != nil {
			t.Fatal(err)
		}
		rd := bufio.NewReader(c)
		var got []string
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		for tries := 0; ; tries++ {
			fmt.Fprint(c, "AT+CGMM\r") // lost while the module boots
			l, err := rd.ReadString('\n')
			if err != nil && tries > 20 {
				t.Fatalf("module %d: %v after %q", i, err, got)
			}
			if l = strings.TrimSpace(l); l == want {
				break
			}
			got = append(got, l)
			time.Sleep(100 * time.Millisecond)
		}
		c.Close()
	}
	code := <-done
	so := stdout.String()
	mustExit(t, 0, code, so, stderr.String())
	mustContain(t, "stdout", so, "modules: nrf91-slm (Nordic Semiconductor ASA nRF9160-SICA), sara-r4 (u-blox SARA-R410M-02B) (module i is the (i mod 2)th)")
}

// A short run on free ports: it prints where its ports are, a module
// answers AT commands over TCP and registers by itself (AUTOCONNECT), a
// message goes to the built-in platform, the control API shows the
// module; at the end of --duration it exits 0 with each module's energy.
func TestEmulateShortRun(t *testing.T) {
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	start := time.Now()
	go func() {
		done <- Main(append([]string{"emulate", "--duration", "5s", "--ues", "2"}, free...), &stdout, &stderr)
	}()
	at, api := printedAddrs(t, &stdout, &stderr, 5*time.Second)
	c, err := net.Dial("tcp", at)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rd := bufio.NewReader(c)
	cmd := func(s string) []string {
		t.Helper()
		fmt.Fprintf(c, "%s\r", s)
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		var out []string
		for {
			l, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: %v after %q", s, err, out)
			}
			if l = strings.TrimSpace(l); l == "" || l == s {
				continue
			}
			out = append(out, l)
			if l == "OK" || strings.Contains(l, "ERROR") {
				return out
			}
		}
	}
	cmd("ATE0")
	out := cmd("AT+CGSN=1")
	imei, ok := strings.CutPrefix(out[0], "+CGSN:")
	if !ok || len(imei) != 15 {
		t.Fatalf("AT+CGSN=1: %q", out)
	}
	for {
		if out := cmd("AT+CGATT?"); out[0] == "+CGATT:1" {
			break
		}
		if time.Since(start) > 4*time.Second {
			t.Fatal("not registered by itself")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if out := cmd("AT+NMGS=5,48656C6C6F"); out[len(out)-1] != "OK" {
		t.Fatalf("AT+NMGS: %q", out)
	}
	// The control API, on the platform's HTTP server.
	resp := apiGet(t, "http://"+api+"/api/modules")
	var mods []struct {
		Module       int    `json:"module"`
		IMEI         string `json:"imei"`
		Registration string `json:"registration"`
	}
	err = json.NewDecoder(resp.Body).Decode(&mods)
	resp.Body.Close()
	if err != nil || len(mods) != 2 || mods[0].IMEI != imei || mods[0].Registration != "registered" {
		t.Errorf("GET /api/modules: %+v (%v)", mods, err)
	}

	var code int
	select {
	case code = <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("still running long after --duration 5s:\n%s", stdout.String())
	}
	if d := time.Since(start); d < 5*time.Second {
		t.Errorf("stopped after %v, before --duration 5s", d)
	}
	so := stdout.String()
	mustExit(t, 0, code, so, stderr.String())
	mustContain(t, "stdout", so, "nbsim emulate: 2 module(s) on scenario lab", "nbsim emulate: stopped; scheduling delay")
	lines := regexp.MustCompile(`(?m)^module (\d) (\d{15}): (\S+), (\d+) sent, (\d+) received, ([0-9.]+) mAh \(([0-9.]+) mAh/message\), battery ([0-9.]+) years at this rate \((\d+) mAh\)$`).FindAllStringSubmatch(so, -1)
	if len(lines) != 2 {
		t.Fatalf("want 2 energy lines:\n%s", so)
	}
	if m := lines[0]; m[1] != "0" || m[2] != imei || m[3] != "registered" || m[4] != "1" {
		t.Errorf("module 0: %q: want registered with the 1 message sent", m[0])
	}
	if m := lines[1]; m[1] != "1" || m[2] == imei || m[6] == "0.0000" {
		t.Errorf("module 1: %q", m[0])
	}
}

var (
	ctlLine   = regexp.MustCompile(`control API: http://(\S+)/api/modules`)
	tokenLine = regexp.MustCompile(`API token \(send Authorization: Bearer TOKEN\): in (\S+)`)
)

// startEmulate runs nbsim emulate with args in this process and waits
// until it has printed the lines that match res; it returns their first
// submatches and a channel that receives the exit status.
func startEmulate(t *testing.T, args []string, res ...*regexp.Regexp) ([]string, *lockedBuffer, <-chan int) {
	t.Helper()
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(append([]string{"emulate"}, args...), &stdout, &stderr) }()
	got := make([]string, len(res))
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; i < len(res); {
		if m := res[i].FindStringSubmatch(stdout.String()); m != nil {
			got[i] = m[1]
			i++
			continue
		}
		select {
		case code := <-done:
			t.Fatalf("exited %d:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line %v:\n%s\nstderr:\n%s", res[i], stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return got, &stdout, done
}

// The control API and the platform's API on one server, behind the token:
// without it 401 and nothing changes; a text/plain POST (what a web page
// can send without asking), a foreign Host (DNS rebinding) or a foreign
// Origin are refused. A generated token is in a file only the user can
// read, whose path (never the token) is printed; the file goes at exit.
func TestEmulateAPIAuth(t *testing.T) {
	t.Setenv("NBSIM_API_TOKEN", "")
	file := filepath.Join(t.TempDir(), "tok", "api-token")
	args := []string{"--duration", "6s", "--api-token-file", file}
	args = append(args, free[:6]...) // the ports, without --api-token
	got, stdout, done := startEmulate(t, args, ctlLine, tokenLine)
	api := "http://" + got[0]
	if got[1] != file {
		t.Errorf("token file %q printed, want %q", got[1], file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(b))
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 || len(token) != 64 {
		t.Errorf("token file: %v (%v), token of %d characters", fi.Mode(), err, len(token))
	}
	if strings.Contains(stdout.String(), token) {
		t.Errorf("the token is printed:\n%s", stdout.String())
	}
	call := func(method, path, body string, hdr ...string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, api+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			if hdr[i] == "Host" {
				req.Host = hdr[i+1]
			} else {
				req.Header.Set(hdr[i], hdr[i+1])
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		rb, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s: 401 without WWW-Authenticate", method, path)
		}
		if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("%s %s: Access-Control-Allow-Origin %q", method, path, v)
		}
		return resp.StatusCode, string(rb)
	}
	auth := []string{"Authorization", "Bearer " + token}
	js := append([]string{"Content-Type", "application/json"}, auth...)
	change := `{"inactivity_timer": "7s"}`
	for _, c := range []struct {
		method, path, body string
		hdr                []string
		want               int
	}{
		{"GET", "/api/modules", "", nil, 401},
		{"GET", "/api/devices", "", nil, 401},
		{"GET", "/api/health", "", nil, 401},
		{"GET", "/api/modules", "", []string{"Authorization", "Bearer " + testToken}, 401},
		{"POST", "/api/network", change, []string{"Content-Type", "application/json"}, 401},
		{"POST", "/api/modules/0/coverage", `{"coupling_loss_db": 200}`, []string{"Content-Type", "application/json"}, 401},
		{"POST", "/api/devices/860000000000009/commands", `{"payload":"x"}`, []string{"Content-Type", "application/json"}, 401},
		{"POST", "/api/network", change, append([]string{"Content-Type", "text/plain"}, auth...), 415},
		{"POST", "/api/network", change, auth, 415},
		{"POST", "/api/network", change, append([]string{"Host", "evil.example:80"}, js...), 421},
		{"POST", "/api/network", change, append([]string{"Origin", "http://evil.example"}, js...), 403},
		{"GET", "/api/network", "", append([]string{"Host", "rebind.example"}, auth...), 421},
	} {
		if code, body := call(c.method, c.path, c.body, c.hdr...); code != c.want {
			t.Errorf("%s %s %v: %d %s, want %d", c.method, c.path, c.hdr, code, body, c.want)
		}
	}
	if code, body := call("GET", "/api/network", "", auth...); code != 200 || !strings.Contains(body, `"inactivity_timer": "20s"`) {
		t.Errorf("after refused requests: %d %s", code, body)
	}
	if code, body := call("GET", "/api/modules/0", "", auth...); code != 200 || strings.Contains(body, `"coupling_loss_db": 200`) {
		t.Errorf("after refused requests: %d %s", code, body)
	}
	if code, body := call("POST", "/api/network", change, append([]string{"Host", "localhost"}, js...)...); code != 200 || !strings.Contains(body, `"inactivity_timer": "7s"`) {
		t.Errorf("an authorised change: %d %s", code, body)
	}
	if code, _ := call("GET", "/api/health", "", auth...); code != 200 {
		t.Errorf("GET /api/health with the token: %d", code)
	}
	select {
	case code := <-done:
		mustExit(t, 0, code, stdout.String(), "")
	case <-time.After(20 * time.Second):
		t.Fatal("still running long after --duration")
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("the token file is left after exit")
	}
}

// The standalone control API (--platform elsewhere) is guarded too.
func TestEmulateStandaloneAPIAuth(t *testing.T) {
	args := append([]string{"--duration", "3s", "--platform", "coap://127.0.0.1:9"}, free...)
	got, stdout, done := startEmulate(t, args, ctlLine)
	resp, err := http.Get("http://" + got[0] + "/api/modules")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("without the token: %d", resp.StatusCode)
	}
	resp = apiGet(t, "http://"+got[0]+"/api/modules")
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("with the token: %d", resp.StatusCode)
	}
	mustContain(t, "stdout", stdout.String(), "API token (send Authorization: Bearer TOKEN): the one given by --api-token")
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
}

// An address in use: exit 2, and the error names the flag, not a Go field.
func TestEmulateBindErrors(t *testing.T) {
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	ul, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ul.Close()
	tcp, udp := tl.Addr().String(), ul.LocalAddr().String()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--api", tcp}, "--api " + tcp + ": bind: address already in use"},
		{[]string{"--coap", udp}, "--coap " + udp + ": bind: address already in use"},
		{[]string{"--api", tcp, "--platform", "coap://127.0.0.1:9"}, "--api " + tcp + ": bind: address already in use"},
		{[]string{"--at-listen", tcp}, "--at-listen"},
		{[]string{"--sgi-bind", "::1"}, `--sgi-bind "::1": want an IPv4 address`},
		{[]string{"--sgi-bind", "192.0.2.77"}, "--sgi-bind 192.0.2.77: "}, // not an address of this host
		{[]string{"--nat-timeout", "30s", "--nat-public", "192.0.2.77"}, "--nat-public: 192.0.2.77: "},
	} {
		args := append(append([]string{"emulate"}, free...), c.args...)
		code, stdout, stderr := run(t, args...)
		mustExit(t, 2, code, stdout, stderr)
		mustContain(t, fmt.Sprintf("stderr of %q", c.args), stderr, c.want)
		if strings.Contains(stderr, "Config.") {
			t.Errorf("%q: a Go field in the error: %s", c.args, stderr)
		}
	}
}

// TestHelperEmulate is not a test: run by TestEmulateSignals as a
// subprocess (the test binary standing in for the nbsim binary), it is
// "nbsim emulate" on free ports.
func TestHelperEmulate(t *testing.T) {
	if os.Getenv("NBSIM_HELPER_EMULATE") != "1" {
		t.Skip("helper process")
	}
	os.Exit(Main(append([]string{"emulate", "--ues", "2"}, free...), os.Stdout, os.Stderr))
}

// SIGINT and SIGTERM stop nbsim emulate within 5 s even while peers
// misbehave: an AT client that sends and never reads, clients waiting to
// be refused, HTTP clients that never finish their request, and one that
// never reads its answer.
func TestEmulateSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperEmulate$")
			cmd.Env = append(os.Environ(), "NBSIM_HELPER_EMULATE=1")
			var stdout, stderr lockedBuffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			stopped := false
			defer func() {
				if !stopped {
					cmd.Process.Kill()
					<-exited
				}
			}()
			at, api := printedAddrs(t, &stdout, &stderr, 20*time.Second)
			var peers []net.Conn
			defer func() {
				for _, c := range peers {
					c.Close()
				}
			}()
			dial := func(addr string) net.Conn {
				t.Helper()
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				peers = append(peers, c)
				return c
			}
			// An AT client that sends commands and reads nothing: its
			// answers fill both sockets' buffers.
			hog := dial(at).(*net.TCPConn)
			hog.SetReadBuffer(4096)
			flood := []byte(strings.Repeat("AT+CGSN=1\r", 1000))
			for i := 0; i < 200; i++ {
				hog.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
				if _, err := hog.Write(flood); err != nil {
					break
				}
			}
			for i := 0; i < 20; i++ {
				dial(at) // waiting to be refused, or closed at once
			}
			for i := 0; i < 20; i++ {
				fmt.Fprintf(dial(api), "GET /api/modules HTTP/1.1\r\nHost: 127.0.0.1\r\n") // never ends
			}
			big := dial(api) // asks, and never reads the answer
			for i := 0; i < 50; i++ {
				fmt.Fprintf(big, "GET /api/modules HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n", testToken)
			}
			time.Sleep(200 * time.Millisecond)
			t0 := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				stopped = true
				d := time.Since(t0)
				if err != nil {
					t.Errorf("exit: %v\nstderr:\n%s", err, stderr.String())
				}
				if d > 5*time.Second {
					t.Errorf("stopped %v after %v, want within 5 s", d, sig)
				}
				mustContain(t, "stdout", stdout.String(), "nbsim emulate: stopped")
				t.Logf("stopped %v after %v", d.Round(time.Millisecond), sig)
			case <-time.After(15 * time.Second):
				t.Fatalf("still running 15 s after %v:\n%s\nstderr:\n%s", sig, stdout.String(), stderr.String())
			}
		})
	}
}
