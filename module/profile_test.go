package module

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The bc95 profile is the module nbsim emulated before profiles: its
// values are the BC95 constants.
func TestBC95ProfileIsTodays(t *testing.T) {
	p, err := LookupProfile("bc95")
	if err != nil {
		t.Fatal(err)
	}
	if p.Manufacturer != DefaultManufacturer || p.Model != DefaultModel || p.Revision != DefaultRevision ||
		p.Sockets.Max != MaxSockets || p.Sockets.MaxPayload != DefaultMaxSocketPayload ||
		!p.Echo || p.CMEE != 0 || p.InfoSpace || len(p.Boot) != 0 || p.Power != nil || p.Description != bc95Description {
		t.Errorf("bc95 profile %+v differs from the BC95 defaults", p)
	}
	for _, c := range []string{"+NSOCR", "+NRB", "+NMGS", "+CEREG", "E"} {
		if _, ok := p.cmds[c]; !ok {
			t.Errorf("bc95 lacks %s", c)
		}
	}
}

func TestShippedProfiles(t *testing.T) {
	names := ProfileNames()
	if !slices.Contains(names, "bc95") {
		t.Fatalf("shipped profiles %v", names)
	}
	for _, n := range names {
		p, err := LookupProfile(n)
		if err != nil {
			t.Fatal(err)
		}
		if p.Manual.Version == "" {
			t.Errorf("%s: manual without a version", n)
		}
	}
	if _, err := LookupProfile("bc96x"); err == nil || !strings.Contains(err.Error(), `unknown module "bc96x" (allowed: bc66, bc95, bg95`) {
		t.Errorf("unknown name: %v", err)
	}
}

const goodProfile = `name: mine
vendor: Acme
manufacturer: Acme
model: AC-1
revision: "1.0"
manual: {title: Acme AT manual, version: "2"}
families: [nsocket]
without: [+CCLK]
echo: false
cmee: 1
info_space: true
boot:
  - {after: 2s, line: RDY}
  - {after: 3s, line: "+CPIN: READY"}
sockets: {max: 4, max_payload: 256}
urc: {socket_recv: "+DATA: {id},{len}"}
power: {source: "Acme datasheet v1 table 5", voltage_v: 3.3, psm_ua: 3, idle_ma: 1.2, rx_ma: 40, tx_ma: 200}
`

func TestParseProfile(t *testing.T) {
	p, err := ParseProfile([]byte(goodProfile), "mine.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.cmds["+CCLK"]; ok {
		t.Error("+CCLK not removed")
	}
	if _, ok := p.cmds["+NRB"]; ok {
		t.Error("+NRB of bc95 family present")
	}
	if _, ok := p.cmds["+NSOCR"]; !ok {
		t.Error("+NSOCR missing")
	}
	if time.Duration(p.Boot[1].After) != 3*time.Second || p.Power.TxMA != 200 {
		t.Errorf("decoded %+v", p)
	}
}

func TestParseProfileErrors(t *testing.T) {
	for _, c := range []struct{ edit, want string }{
		{"name: mine\n|name: Mine\n", `mine.yaml:1: name: "Mine": 1 to 32 lower-case`},
		{"echo: false\n|echo: false\necho: true\n", `mine.yaml:10: mapping key "echo" already defined at line 9`},
		{"cmee: 1\n|cmee: 1\ncolour: red\n", `mine.yaml:11: unknown key "colour" (allowed: name, vendor, manufacturer`},
		{"max_payload: 256}|max_paylod: 256}", `mine.yaml:15: unknown key "max_paylod" (allowed: max, max_payload)`},
		{"cmee: 1\n|cmee: 3\n", "mine.yaml:10: cmee: 3 (allowed: 0, 1, 2)"},
		{"families: [nsocket]|families: [nsocket, qq]", `mine.yaml:7: families: unknown command family "qq" (allowed: bc95, `},
		{"without: [+CCLK]|without: [+NOPE]", `mine.yaml:8: without: command "+NOPE" is not in the profile's families`},
		{"after: 2s|after: 2 s", `mine.yaml:13: "2 s" is not a duration`},
		{"after: 2s|after: 3m", "mine.yaml:12: boot: line 1: after 3m0s (allowed: 0s..2m)"},
		{"line: RDY|line: \"\"", `mine.yaml:12: boot: line 1: "": one line of 1..128 characters`},
		{"voltage_v: 3.3|voltage_v: 0", "mine.yaml:17: power: voltage_v 0 (allowed: above 0, at most 5)"},
		{"tx_ma: 200|tx_ma: -1", "mine.yaml:17: power: tx_ma -1 (allowed: above 0, at most 2000)"},
		{"max: 4|max: 99", "mine.yaml:15: sockets: max 99 (allowed: 0..32)"},
		{"{id},{len}|{len}", `mine.yaml:16: urc: socket_recv "+DATA: {len}": one line`},
		{"cmee: 1\n|cmee: [1\n", "mine.yaml:9: did not find expected"},
		{"echo: false|echo: maybe", `mine.yaml:9: cannot unmarshal !!str ` + "`maybe`" + ` into bool`},
		{"name: mine\n|- name: mine\n", "mine.yaml"},
	} {
		from, to, _ := strings.Cut(c.edit, "|")
		if !strings.Contains(goodProfile, from) {
			t.Fatalf("%q not in the profile", from)
		}
		_, err := ParseProfile([]byte(strings.Replace(goodProfile, from, to, 1)), "mine.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.edit, err, c.want)
		}
	}
	if _, err := ParseProfile([]byte("[]"), "x.yaml"); err == nil || !strings.Contains(err.Error(), "x.yaml:1: a profile is a mapping") {
		t.Errorf("a list: %v", err)
	}
	if _, err := ParseProfile(nil, "x.yaml"); err == nil {
		t.Error("empty file accepted")
	}
}

func TestLoadProfile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(f, []byte(goodProfile), 0o600); err != nil {
		t.Fatal(err)
	}
	if p, err := LoadProfile(f); err != nil || p.Name != "mine" {
		t.Fatalf("%v %v", p, err)
	}
	if _, err := LoadProfile(f + ".nope"); err == nil {
		t.Error("missing file loaded")
	}
}

// A profile's boot lines come after their delays (the stack's timers);
// the port takes no input before the first; echo and CMEE defaults, and
// the space after the colon, are the profile's.
func TestProfileBootAndDefaults(t *testing.T) {
	p, err := ParseProfile([]byte(goodProfile), "mine.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, st: &fakeStack{now: time.Unix(1.7e9, 0)}}
	cfg := DefaultConfig()
	cfg.Profile = p
	cfg.Out = func(b []byte) { h.out.Write(b) }
	h.m = New(cfg, h.st)
	if len(h.st.timers) != 2 || h.st.timers[0].at.Sub(h.st.now) != 2*time.Second {
		t.Fatalf("timers %+v", h.st.timers)
	}
	h.expect("AT\r", "") // lost: the UART is not up
	h.expectEv(h.st.timers[0].ev, "\r\nRDY\r\n")
	h.expect("AT\r", okS) // the UART is up from the first line
	h.expectEv(h.st.timers[1].ev, "\r\n+CPIN: READY\r\n")
	run(t, h, []step{
		{"AT\r", okS}, // no echo
		{"AT+CMEE?\r", info("+CMEE: 1")},
		{"AT+CCLK?\r", errS}, // removed
		{"AT+NSOCR=DGRAM,17,0\rAT+CFUN=7\r", info("0") + cme50},
		{"ATI\r", info("Acme", "AC-1", "Revision:1.0", "Profile:")},
	})
	// the profile's URC format for a datagram that arrived
	h.registered()
	h.expectEv(downlinkTo(t, echoAddr, firstEphemeral, "hey"), "\r\n+DATA: 0,3\r\n")
	// a stale boot timer (from before a reboot) prints nothing
	h.m.bootGen++
	h.expectEv(h.st.timers[0].ev, "")
}

func FuzzParseProfile(f *testing.F) {
	f.Add([]byte(goodProfile))
	for _, n := range ProfileNames() {
		b, _ := shippedFS.ReadFile("profiles/" + n + ".yaml")
		f.Add(b)
	}
	f.Add([]byte("name: x\nname: y\n"))
	f.Add([]byte("boot: [{after: -1s, line: x}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile(data, "f.yaml")
		if err == nil && (p.cmds == nil || p.Name == "") {
			t.Fatalf("accepted without a command set: %+v", p)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.yaml") {
			t.Fatalf("error without the file name: %v", err)
		}
	})
}
