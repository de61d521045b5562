package emulate

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/scenarios"
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

// Every shipped profile as its drivers use it: boot, the init commands
// of Zephyr's modem_cellular, registration, then the profile's socket
// family to a real UDP echo server on this host and back through the
// simulated network: open, send, the arrival URC (or a blocking
// receive), read, close.
func TestProfilesUDP(t *testing.T) {
	flows := map[string]func(t *testing.T, a *atClient, echo netip.AddrPort){
		"bc95": func(t *testing.T, a *atClient, echo netip.AddrPort) {
			a.must("AT+NSOCR=DGRAM,17,0,1")
			a.must(fmt.Sprintf("AT+NSOST=0,%s,%d,4,41424344", echo.Addr(), echo.Port()))
			a.wait("+NSONMI:0,7", 30*time.Second)
			want := fmt.Sprintf("0,%s,%d,7,72653A41424344,0", echo.Addr(), echo.Port())
			if out := a.must("AT+NSORF=0,100"); out[0] != want {
				t.Fatalf("NSORF: %q, want %q", out, want)
			}
			a.must("AT+NSOCL=0")
		},
		"bg95": quectelFlow, "bc66": quectelFlow,
		"sara-r4": func(t *testing.T, a *atClient, echo netip.AddrPort) {
			a.must("AT+USOCR=17")
			a.must(fmt.Sprintf(`AT+USOST=0,"%s",%d,4,"ABCD"`, echo.Addr(), echo.Port()))
			a.wait("+UUSORF:0,7", 30*time.Second)
			want := fmt.Sprintf(`+USORF: 0,"%s",%d,7,"re:ABCD"`, echo.Addr(), echo.Port())
			if out := a.must("AT+USORF=0,100"); out[0] != want {
				t.Fatalf("USORF: %q, want %q", out, want)
			}
			a.must("AT+USOCL=0")
		},
		"sim7080": func(t *testing.T, a *atClient, echo netip.AddrPort) {
			a.must("AT+CNACT=0,1")
			a.wait("+APP PDP:0,ACTIVE", 10*time.Second)
			a.must(fmt.Sprintf(`AT+CAOPEN=0,0,"UDP","%s",%d`, echo.Addr(), echo.Port()))
			if out := a.sendData("AT+CASEND=0,4", "ABCD", "OK"); out[len(out)-1] != "OK" {
				t.Fatalf("CASEND: %q", out)
			}
			a.wait("+CADATAIND:0", 30*time.Second)
			if out := a.must("AT+CARECV=0,100"); out[0] != "+CARECV: 7,re:ABCD" {
				t.Fatalf("CARECV: %q", out)
			}
			a.must("AT+CACLOSE=0")
		},
		"nrf91-slm": func(t *testing.T, a *atClient, echo netip.AddrPort) {
			a.must("AT#XSOCKET=1,2,0")
			a.must(fmt.Sprintf(`AT#XSENDTO="%s",%d,"ABCD"`, echo.Addr(), echo.Port()))
			out := a.must("AT#XRECVFROM=30")
			if len(out) != 3 || out[0] != fmt.Sprintf(`#XRECVFROM: 7,"%s",%d`, echo.Addr(), echo.Port()) || out[1] != "re:ABCD" {
				t.Fatalf("XRECVFROM: %q", out)
			}
			if out := a.must("AT%CONEVAL"); !strings.HasPrefix(out[0], "%CONEVAL: 0,") {
				t.Fatalf("CONEVAL: %q", out)
			}
			a.must("AT#XSOCKET=0")
		},
	}
	for _, name := range module.ProfileNames() {
		flow := flows[name]
		if flow == nil {
			t.Errorf("profile %s has no flow in this test", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			echo := udpEcho(t)
			a := profileModule(t, name)
			a.must("ATE0")
			a.must("AT+CMEE=1")
			a.must("AT+CEREG=1")
			a.registered()
			a.must("AT+CGSN")
			a.must("AT+CGMM")
			flow(t, a, echo)
		})
	}
}

// quectelFlow is a QI socket: AT+QIACT, AT+QIOPEN, AT+QISEND with the
// prompt, +QIURC "recv", AT+QIRD, AT+QICLOSE.
func quectelFlow(t *testing.T, a *atClient, echo netip.AddrPort) {
	a.must("AT+CREG?")
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
}

// A profile's power table becomes the modules' power model: current ×
// voltage per state, transmission flat at the datasheet's figure; the
// rest stays the scenario's.
func TestModulePower(t *testing.T) {
	base := scenarios.Power{BaselineMW: 0.1, PSMMW: 0.011, PagingOccasionMJ: 1.2, CDRXSleepMW: 3, TxModel: "per-output-level"}
	p, err := module.LookupProfile("bg95")
	if err != nil {
		t.Fatal(err)
	}
	got := modulePower(base, p.Power)
	v := p.Power.VoltageV
	if got.PSMMW != p.Power.PSMUA/1000*v || got.IdleSleepMW != p.Power.IdleMA*v || got.ReceiveMW != p.Power.RxMA*v ||
		got.ConnectedMonitorMW != p.Power.RxMA*v || got.TxModel != "flat" || got.TxFlatMW != p.Power.TxMA*v ||
		got.BaselineMW != 0.1 || got.PagingOccasionMJ != 1.2 || got.CDRXSleepMW != 3 {
		t.Errorf("modulePower: %+v", got)
	}
	// and the emulator uses it for that profile's modules only
	bc95, _ := module.LookupProfile("bc95")
	sc, err := perModule(mustLab(t), 2, []*module.Profile{p, bc95})
	if err != nil {
		t.Fatal(err)
	}
	if g := sc.Groups["m00000"]; g.Power.TxModel != "flat" || g.Power.TxFlatMW != p.Power.TxMA*v {
		t.Errorf("bg95 module power %+v", g.Power)
	}
	if g := sc.Groups["m00001"]; g.Power.TxModel == "flat" {
		t.Errorf("bc95 module (no power table) got %+v", g.Power)
	}
}

func mustLab(t *testing.T) *scenarios.Scenario {
	sc, err := scenarios.Load("lab", nil)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}
