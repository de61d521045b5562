package module

import (
	"strings"
	"testing"
	"time"
)

// withData is a harness option: the sara-r4 profile, which has the data
// family (ATD*99#, AT+CGDATA, AT+CMUX; the default bc95 has not).
func withData(c *Config) {
	p, err := LookupProfile("sara-r4")
	if err != nil {
		panic(err)
	}
	c.Profile = p
}

// TestNoDataFamily: a module whose manual has no PPP or multiplexer
// answers ERROR to the data commands, as to an unknown command.
func TestNoDataFamily(t *testing.T) {
	for _, name := range []string{"bc95", "nrf91-slm"} {
		h := profileHarness(t, name)
		h.registered()
		for _, c := range []string{"ATD*99#", "AT+CMUX=0", `AT+CGDATA="PPP",1`, "ATO", "ATH"} {
			if got := h.in(c + "\r"); !strings.HasSuffix(got, "\r\nERROR\r\n") {
				t.Errorf("%s: %s: %q, want ERROR", name, c, got)
			}
		}
	}
}

// fire advances the fake clock by d and passes the module the timers due.
func (h *harness) fire(d time.Duration) string {
	h.st.now = h.st.now.Add(d)
	var due []any
	keep := h.st.timers[:0]
	for _, tm := range h.st.timers {
		if !tm.at.After(h.st.now) {
			due = append(due, tm.ev)
		} else {
			keep = append(keep, tm)
		}
	}
	h.st.timers = keep
	for _, ev := range due {
		h.m.Handle(ev)
	}
	return noFrames(h.take())
}

// noFrames drops PPP frames (the LCP restarts) from the port's output.
func noFrames(s string) string {
	for {
		i := strings.IndexByte(s, 0x7e)
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i+1:], 0x7e)
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+j+2:]
	}
}

func TestDialRefused(t *testing.T) {
	h := newHarness(t, withData)
	h.expect("AT+CMEE=1\r", okS)
	h.expect("ATD*99#\r", "\r\nNO CARRIER\r\n") // not registered
	h.registered()
	h.expect("ATD123;\r", "\r\nNO CARRIER\r\n")     // no voice calls
	h.expect("ATD*98#\r", "\r\nNO CARRIER\r\n")     // not the packet domain
	h.expect("ATD*99***5#\r", "\r\nNO CARRIER\r\n") // not the PDN that is up
	h.expect("ATD*99**X25*1#\r", "\r\nNO CARRIER\r\n")
	h.expect(`AT+CGDATA="M-RAW_IP",1`+"\r", "\r\n+CME ERROR: 4\r\n")
	h.expect("AT+CGDATA=?\r", info(`+CGDATA: ("PPP")`))
	h.expect("ATO\r", "\r\nNO CARRIER\r\n") // no call to return to
	h.expect("ATH\r", okS)
}

func TestDataModeEscape(t *testing.T) {
	h := newHarness(t, withData)
	h.registered()
	h.expect("AT+NPSMR=1\r", okS)
	out := h.in("ATD*99***1#\r")
	if !strings.HasPrefix(out, "\r\nCONNECT\r\n\x7e\xff\x7d\x23\xc0\x21") {
		t.Fatalf("ATD*99***1#: %q, want CONNECT and an LCP frame", out)
	}
	// A URC while in data mode waits for command mode.
	if got := h.ev(PowerSaving{Entered: false}); got != "" {
		t.Fatalf("URC in data mode: %q", got)
	}
	// "+++" right after data is data: no escape.
	h.fire(2 * time.Second)
	h.expect("x", "")
	h.expect("+++", "")
	if got := h.fire(escapeGuard); got != "" {
		t.Fatalf("+++ without the guard time before it: %q", got)
	}
	// after a second of silence, "+" "+" "+" then a second more: command mode
	h.fire(escapeGuard)
	h.expect("+", "")
	h.expect("++", "")
	if got := h.fire(escapeGuard); got != okS+"\r\n+NPSMR: 0\r\n" {
		t.Fatalf("after +++: %q", got)
	}
	h.expect("AT\r", okS)
	if out := h.in("ATO\r"); !strings.HasPrefix(out, "\r\nCONNECT\r\n") {
		t.Fatalf("ATO: %q", out)
	}
	h.fire(escapeGuard)
	h.expect("+++", "")
	h.expect("a", "") // data within the guard time after: no escape
	if got := h.fire(escapeGuard); got != "" {
		t.Fatalf("+++ followed by data: %q", got)
	}
	h.fire(escapeGuard)
	h.expect("+++", "")
	h.fire(escapeGuard)
	h.expect("ATH\r", okS)
	h.expect("ATO\r", "\r\nNO CARRIER\r\n")
}

// The PDN goes while the port is in data mode: LCP Terminate-Request,
// then NO CARRIER once the link is down (no Terminate-Ack: after
// Max-Terminate restarts).
func TestDataModeNetworkLost(t *testing.T) {
	h := newHarness(t, withData)
	h.registered()
	if out := h.in("ATD*99#\r"); !strings.HasPrefix(out, "\r\nCONNECT\r\n") {
		t.Fatalf("ATD*99#: %q", out)
	}
	h.st.status.Reg = NotRegistered
	if out := h.ev(Registration{State: NotRegistered}); !strings.Contains(out, "\xc0\x21\x7d\x25") {
		t.Fatalf("no LCP Terminate-Request: %q", out)
	}
	var out string
	for i := 0; i < 3 && !strings.Contains(out, "NO CARRIER"); i++ {
		out = h.fire(3 * time.Second)
	}
	if !strings.HasSuffix(out, "\r\nNO CARRIER\r\n") {
		t.Fatalf("end of the call: %q", out)
	}
	h.expect("AT\r", okS)
}

// Out of coverage the module stays registered (EMM-REGISTERED.NO-CELL-
// AVAILABLE, TS 24.301 §5.2.3.2) and keeps its PDN connection: +CEREG
// says 2, packets fail meanwhile, but the call goes on (no LCP
// Terminate-Request, no NO CARRIER) and carries packets once the cell is
// back.
func TestDataModeCoverageLoss(t *testing.T) {
	h := newHarness(t, withData)
	h.registered()
	if out := h.in("ATD*99#\r"); !strings.HasPrefix(out, "\r\nCONNECT\r\n") {
		t.Fatalf("ATD*99#: %q", out)
	}
	h.st.status.Reg, h.st.status.NoService = Searching, true
	if out := h.ev(Registration{State: Searching}); strings.Contains(out, "\xc0\x21\x7d\x25") {
		t.Fatalf("LCP Terminate-Request on a coverage loss: %q", out)
	}
	for range 3 {
		if out := h.fire(3 * time.Second); strings.Contains(out, "NO CARRIER") {
			t.Fatalf("the call ended on a coverage loss: %q", out)
		}
	}
	h.st.status.Reg, h.st.status.NoService = Registered, false
	h.ev(Registration{State: Registered})
	if h.m.call == nil || !h.m.call.online {
		t.Fatal("no call in data mode after the cell came back")
	}
}
