package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// free makes every listener of nbsim emulate pick a free port, so that
// the tests neither collide with each other nor with a running nbsim.
var free = []string{"--at-listen", "127.0.0.1:0", "--api", "127.0.0.1:0", "--coap", "127.0.0.1:0"}

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
	var at, api string
	deadline := time.Now().Add(5 * time.Second)
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
	resp, err := http.Get("http://" + api + "/api/modules")
	if err != nil {
		t.Fatal(err)
	}
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
