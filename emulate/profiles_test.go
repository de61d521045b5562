package emulate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/module"
)

// profileModule starts one emulated module of a shipped profile and
// returns its AT client after the profile's boot lines.
func profileModule(t *testing.T, name string) *atClient {
	t.Helper()
	p, err := module.LookupProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	_, addrs := startTraced(t, Config{Modules: 1, Seed: 1, AutoConnect: true, Profiles: []*module.Profile{p}})
	a := dialAT(t, addrs[0])
	if len(p.Boot) > 0 {
		a.wait(strings.ReplaceAll(p.Boot[len(p.Boot)-1].Line, ": ", ":"), 30*time.Second)
	}
	return a
}

// registered polls AT+CEREG? until the module is registered.
func (a *atClient) registered() {
	a.t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if out := a.must("AT+CEREG?"); strings.HasSuffix(strings.ReplaceAll(out[0], " ", ""), ",1") {
			return
		}
	}
	a.t.Fatal("not registered within 30 s")
}

// sendData answers a "> " prompt with data and returns the lines up to
// the final result.
func (a *atClient) sendData(cmd, data, final string) []string {
	a.t.Helper()
	fmt.Fprintf(a.c, "%s\r", cmd)
	a.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var got []byte
	for !strings.HasSuffix(string(got), "> ") && !strings.HasSuffix(string(got), ">") {
		b, err := a.rd.ReadByte()
		if err != nil {
			a.t.Fatalf("%s: no prompt (%q): %v", cmd, got, err)
		}
		got = append(got, b)
	}
	fmt.Fprint(a.c, data)
	var out []string
	for {
		l := a.line(10 * time.Second)
		out = append(out, l)
		if l == final || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR") {
			return out
		}
	}
}

// The Quectel BG95 and BC66 as their drivers use them: boot, Zephyr's
// init commands, registration, a UDP socket to a real echo server on
// this host (AT+QIOPEN, AT+QISEND with the prompt), the answer's
// +QIURC "recv" and AT+QIRD, AT+QICLOSE.
func TestQuectelProfilesUDP(t *testing.T) {
	for _, name := range []string{"bg95", "bc66"} {
		t.Run(name, func(t *testing.T) {
			echo := udpEcho(t)
			a := profileModule(t, name)
			a.must("ATE0")
			a.must("AT+CMEE=1")
			a.must("AT+CEREG=1")
			a.must("AT+CREG?")
			a.registered()
			a.must("AT+QIACT=1")
			out := a.cmd(fmt.Sprintf(`AT+QIOPEN=1,0,"UDP","%s",%d,0,0`, echo.Addr(), echo.Port()))
			if out[len(out)-1] != "OK" {
				t.Fatalf("QIOPEN: %q", out)
			}
			a.wait("+QIOPEN:0,0", 10*time.Second)
			if out := a.sendData("AT+QISEND=0,4", "ABCD", "SEND OK"); out[len(out)-1] != "SEND OK" {
				t.Fatalf("QISEND: %q", out)
			}
			a.wait(`+QIURC:"recv",0`, 30*time.Second)
			out = a.must("AT+QIRD=0,1500")
			if len(out) != 3 || out[0] != "+QIRD: 7" || out[1] != "re:ABCD" {
				t.Fatalf("QIRD: %q", out)
			}
			a.must("AT+QICLOSE=0")
		})
	}
}
