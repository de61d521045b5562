package module

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/gpp"
)

// step is one exchange of a transcript: bytes in, exact bytes out.
type step struct{ in, want string }

func run(t *testing.T, h *harness, steps []step) {
	t.Helper()
	for _, s := range steps {
		h.expect(s.in, s.want)
	}
}

const (
	errS  = "\r\nERROR\r\n"
	cme3  = "\r\n+CME ERROR: 3\r\n"
	cme4  = "\r\n+CME ERROR: 4\r\n"
	cme10 = "\r\n+CME ERROR: 10\r\n"
	cme30 = "\r\n+CME ERROR: 30\r\n"
	cme50 = "\r\n+CME ERROR: 50\r\n"
)

func TestIdentification(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT\r", okS},
		{"at\r\n", okS},
		{"AT+CGMI\r", info("nbsim")},
		{"AT+CGMI=?\r", okS},
		{"AT+CGMM\r", info("NBSIM-BC95")},
		{"AT+CGMR\r", info("nbsim-1.0")},
		{"ATI\r", info("nbsim", "NBSIM-BC95", "Revision:nbsim-1.0", "Profile:"+bc95Description)},
		{"ATI0\r", info("nbsim", "NBSIM-BC95", "Revision:nbsim-1.0", "Profile:"+bc95Description)},
		{"AT+CGSN\r", info(testIMEI)},
		{"AT+CGSN=0\r", info(testIMEI)},
		{"AT+CGSN=1\r", info("+CGSN:" + testIMEI)},
		{"AT+CGSN=2\r", info("+CGSN:4901542032375101")},
		{"AT+CGSN=3\r", info("+CGSN:01")},
		{"AT+CGSN=?\r", info("+CGSN:(0-3)")},
		{"AT+CGSN=4\r", errS},
		{"AT+CIMI\r", info("001010123456789")},
		{"AT+NCCID\r", info("+NCCID:89860000000000000001")},
		{"AT+NCCID?\r", info("+NCCID:89860000000000000001")},
		{"AT+CGMI?\r", errS}, // CMEE=0: +CME ERROR 4 is plain ERROR
		{"AT+NOSUCH\r", errS},
		{"garbage\r", ""},
		{"AT+CGMI+CGMM\r", errS},
	})
	h2 := newHarness(t, func(c *Config) { c.IMSI, c.ICCID = "", "" })
	run(t, h2, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+CIMI\r", cme10},
		{"AT+NCCID\r", cme10},
	})
	h3 := newHarness(t, func(c *Config) { c.Manufacturer, c.Model, c.Revision = "acme", "X1", "r9" })
	run(t, h3, []step{{"AT+CGMI;+CGMM;+CGMR\r", "\r\nacme\r\n\r\nX1\r\n\r\nr9\r\n" + okS}})
}

func TestEchoAndFormats(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"ATE1\r", okS},
		{"AT\r", "AT\r" + okS},
		{"AT+CGMI\r\n", "AT+CGMI\r\n" + info("nbsim")},
		// partial input is echoed as it comes
		{"AT+CG", "AT+CG"},
		{"MI\r", "MI\r" + info("nbsim")},
		{"AT+CGMX\bI\r", "AT+CGMX\bI\r" + info("nbsim")},
		{"A/", "A/" + info("nbsim")},
		{"ATE0\r", "ATE0\r" + okS},
		{"AT\r", okS},
		{"ATV0\r", "0\r"},
		{"AT+CGMI\r", "nbsim\r\n0\r"},
		{"AT+NOSUCH\r", "4\r"},
		{"ATV1\r", okS},
		{"ATQ1\r", ""},
		{"AT+CGMI\r", info("nbsim")[:len(info("nbsim"))-len(okS)]},
		{"ATQ0\r", okS},
		{"ATS3?\r", info("013")},
		{"ATS4?\r", info("010")},
		{"ATS5?\r", info("008")},
		{"ATS3=13\r", okS},
		{"ATS3=10\r", errS},
		{"ATE1V0\r", "0\r"},
		{"ATZ\r", "ATZ\r" + okS},
		{"ATE0\r", "ATE0\r" + okS},
		{"AT&F\r", okS},
		{"AT&F0;E0\r", "AT&F0;E0\r" + okS},
		{"ATE2\r", errS},
	})
}

func TestCMEE(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CMEE?\r", info("+CMEE:0")},
		{"AT+CMEE=?\r", info("+CMEE:(0-2)")},
		{"AT+CFUN=7\r", errS},
		{"AT+CMEE=1\r", okS},
		{"AT+CMEE?\r", info("+CMEE:1")},
		{"AT+CFUN=7\r", cme50},
		{"AT+CGMI?\r", cme4},
		{"AT+NOSUCH\r", errS}, // unknown commands are plain ERROR in every mode
		{"AT+CMEE=2\r", okS},
		{"AT+CFUN=7\r", "\r\n+CME ERROR: incorrect parameters\r\n"},
		{"AT+CGATT=1\r", "\r\n+CME ERROR: operation not allowed\r\n"},
		{"AT+CGMI?\r", "\r\n+CME ERROR: operation not supported\r\n"},
		{"AT+CMEE=3\r", "\r\n+CME ERROR: incorrect parameters\r\n"},
		{"AT+CMEE=\r", okS},
		{"AT+CMEE?\r", info("+CMEE:0")},
		{"AT+CMEE=1,2\r", errS},
	})
}

func TestTooLongLine(t *testing.T) {
	h := newHarness(t)
	long := "AT+NMGS=1," + strings.Repeat("A", 3000) + "\r"
	h.expect(long, errS)
	h.expect("AT\r", okS)
}

func TestConcatenation(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CMEE=1;+CGMI;+CMEE?\r", "\r\nnbsim\r\n\r\n+CMEE:1\r\n" + okS},
		// the line stops at the first error; what ran stays done
		{"AT+CMEE=0;+CFUN=9;+CMEE=2\r", errS},
		{"AT+CMEE?\r", info("+CMEE:0")},
	})
}

func TestCFUN(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CFUN?\r", info("+CFUN:0")},
		{"AT+CFUN=?\r", info("+CFUN:(0,1),(0)")},
		{"AT+CFUN=0\r", okS}, // already off
		{"AT+CFUN=1\r", ""},  // pending until the radio is on
	})
	if c := h.st.takeCalls(); c != "Power(true)" {
		t.Fatalf("calls %q", c)
	}
	// input while pending is held, then run in order
	h.expect("AT+CGMI\r", "")
	h.st.status.RadioOn = true
	h.expectEv(Radio{On: true}, okS+info("nbsim"))
	if c := h.st.takeCalls(); c != "" {
		t.Fatalf("AUTOCONNECT off, yet %q", c)
	}
	run(t, h, []step{
		{"AT+CFUN?\r", info("+CFUN:1")},
		{"AT+CFUN=1\r", okS},
		{"AT+CFUN=0\r", ""},
	})
	h.st.status.RadioOn = false
	h.expectEv(Radio{On: false}, okS)
	run(t, h, []step{
		{"AT+CFUN=1,1\r", errS},
		{"AT+CFUN=2\r", errS},
		{"AT+CFUN\r", errS},
	})
}

func TestAutoConnect(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AutoConnect = true })
	if c := h.st.takeCalls(); c != "Power(true)" {
		t.Fatalf("boot calls %q", c)
	}
	h.st.status.RadioOn = true
	h.expectEv(Radio{On: true}, "")
	if c := h.st.takeCalls(); c != `Attach(IP,"")` {
		t.Fatalf("calls %q", c)
	}
	// echo is on as shipped
	h.expect("AT\r", "AT\r"+okS)
}

func TestPendingTimeout(t *testing.T) {
	h := newHarness(t)
	h.expect("AT+CFUN=1\r", "")
	h.expect("AT\r", "")
	h.st.now = h.st.now.Add(4 * time.Minute)
	h.expect("AT+CMEE=1\r", errS+okS+okS)
	// held input runs before newer input
	h.expect("AT+CFUN=1\r", "")
	h.expect("AT+CGMI\r", "")
	h.st.now = h.st.now.Add(4 * time.Minute)
	h.expect("AT+CGMM\r", "\r\n+CME ERROR: 100\r\n"+info("nbsim")+info("NBSIM-BC95"))
}

func TestURCHeldDuringPendingCommand(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CSCON=1\r", okS},
		{"AT+NPSMR=1\r", okS},
		{"AT+CFUN=1\r", ""},
	})
	// URCs arriving while AT+CFUN=1 is pending wait for its OK
	h.expectEv(Connection{Connected: true}, "")
	h.expectEv(PowerSaving{Entered: false}, "")
	h.st.status.RadioOn = true
	h.expectEv(Radio{On: true}, okS+"\r\n+CSCON:1\r\n\r\n+NPSMR:0\r\n")
	// and go out at once otherwise
	h.expectEv(Connection{Connected: false}, "\r\n+CSCON:0\r\n")
	h.expectEv(PowerSaving{Entered: true}, "\r\n+NPSMR:1\r\n")
	run(t, h, []step{
		{"AT+NPSMR?\r", info("+NPSMR:1,0")},
		{"AT+NPSMR=?\r", info("+NPSMR:(0,1)")},
		{"AT+CSCON?\r", info("+CSCON:1,0")},
		{"AT+CSCON=?\r", info("+CSCON:(0,1)")},
		{"AT+CSCON=0\r", okS},
		{"AT+NPSMR=0\r", okS},
		{"AT+NPSMR?\r", info("+NPSMR:0")},
		{"AT+CSCON=2\r", errS},
	})
	h.expectEv(Connection{Connected: true}, "")
	h.expectEv(PowerSaving{Entered: false}, "")
}

func TestAttachDetach(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+CGATT?\r", info("+CGATT:0")},
		{"AT+CGATT=?\r", info("+CGATT:(0,1)")},
		{"AT+CGATT=1\r", cme3}, // radio off
		{"AT+COPS=0\r", cme3},
		{"AT+CGDCONT=1,\"NONIP\",\"iot.nbsim\"\r", okS},
	})
	h.st.status.RadioOn = true
	h.st.takeCalls()
	h.expect("AT+CGATT=1\r", okS)
	if c := h.st.takeCalls(); c != `Attach(NONIP,"iot.nbsim")` {
		t.Fatalf("calls %q", c)
	}
	h.st.status.Reg = Searching
	h.expect("AT+CGATT=1\r", okS)
	if c := h.st.takeCalls(); c != "" {
		t.Fatalf("attach again while searching: %q", c)
	}
	h.registered()
	h.expectEv(Registration{State: Registered}, "")
	run(t, h, []step{
		{"AT+CGATT?\r", info("+CGATT:1")},
		{"AT+COPS?\r", info(`+COPS:0,2,"00101",9`)},
		{"AT+COPS=?\r", info(`+COPS:(2,"","","00101",9),,(0-3),(2)`)},
		{"AT+CGDCONT=1,\"IP\"\r", cme3},                 // in use
		{"AT+CGDCONT=1,\"NONIP\",\"iot.nbsim\"\r", okS}, // in use, unchanged
		{"AT+CGATT=0\r", ""},
	})
	if c := h.st.takeCalls(); c != "Detach" {
		t.Fatalf("calls %q", c)
	}
	h.expectEv(Registration{State: Searching}, "")
	h.st.status.Reg = NotRegistered
	h.expectEv(Registration{State: NotRegistered}, okS)
	run(t, h, []step{
		{"AT+CGATT?\r", info("+CGATT:0")},
		{"AT+COPS?\r", info("+COPS:2")},
		{"AT+CGATT=0\r", okS}, // already detached
		{"AT+COPS=0\r", okS},
	})
	if c := h.st.takeCalls(); c != `Attach(NONIP,"iot.nbsim")` {
		t.Fatalf("calls %q", c)
	}
	h.registered()
	run(t, h, []step{
		{"AT+COPS=2\r", ""},
	})
	h.st.status.Reg = NotRegistered
	h.expectEv(Registration{State: NotRegistered}, okS)
	run(t, h, []step{
		{"AT+COPS=1,2,\"00101\"\r", cme4},
		{"AT+COPS=0,0\r", cme50},
		{"AT+COPS=3,2\r", okS},
		{"AT+COPS=5\r", cme50},
	})
	h.st.status = Status{}
	h.expect("AT+COPS=?\r", info("+COPS:,,(0-3),(2)"))
	// CFUN=0 while attached: pending until the radio is off
	h.registered()
	h.expect("AT+CFUN=0\r", "")
	h.st.status = Status{}
	h.expectEv(Registration{State: NotRegistered}, "")
	h.expectEv(Radio{On: false}, okS)
}

func TestCGDCONT(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+CGDCONT?\r", info(`+CGDCONT:1,"IP","",,0,0`)},
		{"AT+CGDCONT=?\r", info(`+CGDCONT:(0-10),("IP","NONIP"),,,(0),(0)`)},
		{"AT+CGDCONT=2,\"NONIP\",\"a.b\"\r", okS},
		{"AT+CGDCONT=1\r", okS},
		{"AT+CGDCONT?\r", info(`+CGDCONT:2,"NONIP","a.b",,0,0`)},
		{"AT+CGDCONT=0,\"ip\",\"x\"\r", okS},
		{"AT+CGDCONT?\r", info(`+CGDCONT:0,"IP","x",,0,0`, `+CGDCONT:2,"NONIP","a.b",,0,0`)},
		{"AT+CGDCONT=11,\"IP\"\r", cme50},
		{"AT+CGDCONT=1,\"IPV6\"\r", cme4},
		{"AT+CGDCONT=1,\"FOO\"\r", cme50},
		{"AT+CGDCONT=1,\"IP\",\"" + strings.Repeat("a", 101) + "\"\r", cme50},
		{"AT+CGDCONT\r", cme4},
		{"AT+CGPADDR=?\r", info("+CGPADDR:(0,2)")},
		{"AT+CGPADDR\r", info("+CGPADDR:0", "+CGPADDR:2")},
		{"AT+CGACT?\r", info("+CGACT:0,0", "+CGACT:2,0")},
		{"AT+CGACT=?\r", info("+CGACT:(0,1)")},
		{"AT+CGACT=1,0\r", cme3}, // radio off
		{"AT+CGACT=1,2\r", cme4}, // not the default context
		{"AT+CGACT=1,5\r", cme50},
		{"AT+CGACT=0\r", cme3},
	})
	h.registered()
	h.st.takeCalls()
	run(t, h, []step{
		{"AT+CGACT=1,0\r", okS},
		{"AT+CGACT?\r", info("+CGACT:0,1", "+CGACT:2,0")},
		{"AT+CGPADDR\r", info("+CGPADDR:0,10.45.0.7", "+CGPADDR:2")},
		{"AT+CGPADDR=0\r", info("+CGPADDR:0,10.45.0.7")},
		{"AT+CGPADDR=11\r", cme50},
	})
	if c := h.st.takeCalls(); c != "" {
		t.Errorf("CGACT=1 while attached called %q", c)
	}
	h.st.status.Reg = NotRegistered
	h.expect("AT+CGACT=1\r", okS)
	if c := h.st.takeCalls(); c != `Attach(IP,"x")` {
		t.Errorf("CGACT=1 detached called %q", c)
	}
}

func TestSignal(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CSQ\r", info("+CSQ:99,99")},
		{"AT+CSQ=?\r", info("+CSQ:(0-31,99),(99)")},
		{"AT+CESQ\r", info("+CESQ:99,99,255,255,255,255")},
		{"AT+CESQ=?\r", info("+CESQ:(0-63,99),(0-7,99),(0-96,255),(0-49,255),(0-34,255),(0-97,255)")},
	})
	h.registered()
	for _, g := range []struct {
		rssi, rsrq, rsrp float64
		csq, cesq        string
	}{
		{-80.2, -10.8, -95.3, "+CSQ:16,99", "+CESQ:99,99,255,255,18,45"},
		{-113, -20, -141, "+CSQ:0,99", "+CESQ:99,99,255,255,0,0"},
		{-120, -25, -150, "+CSQ:0,99", "+CESQ:99,99,255,255,0,0"},
		{-111, -19.5, -140, "+CSQ:1,99", "+CESQ:99,99,255,255,1,1"},
		{-109.5, -19.1, -139.5, "+CSQ:1,99", "+CESQ:99,99,255,255,1,1"},
		{-53, -3.5, -45, "+CSQ:30,99", "+CESQ:99,99,255,255,33,96"},
		{-51, -3, -44, "+CSQ:31,99", "+CESQ:99,99,255,255,34,97"},
		{-30, 0, -20, "+CSQ:31,99", "+CESQ:99,99,255,255,34,97"},
	} {
		h.st.status.RSSI, h.st.status.RSRQ, h.st.status.RSRP = g.rssi, g.rsrq, g.rsrp
		h.expect("AT+CSQ\r", info(g.csq))
		h.expect("AT+CESQ\r", info(g.cesq))
	}
}

func TestCCLKAndCEER(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CCLK?\r", info("+CCLK:24/03/09,14:05:07+04")},
		{"AT+CCLK=?\r", okS},
		{"AT+CCLK=\"24/01/01,00:00:00+00\"\r", errS},
		{"AT+CEER\r", info("+CEER:AT+CCLK: set form not supported")},
	})
	h.st.now = time.Date(2031, 12, 31, 23, 59, 59, 0, time.FixedZone("X", -(5*3600+1800)))
	h.expect("AT+CCLK?\r", info("+CCLK:31/12/31,23:59:59-22"))
	h2 := newHarness(t)
	h2.expect("AT+CEER\r", info("+CEER:no error"))
	h2.st.status.LastError = "access failure: random access failed after 10 preamble attempts"
	h2.expect("AT+CEER\r", info("+CEER:access failure: random access failed after 10 preamble attempts"))
	h2.expectEv(SendFailed{Reason: "radio link failure"}, "")
	h2.expect("AT+CEER\r", info("+CEER:uplink lost: radio link failure"))
	h2.expectEv(Registration{State: Denied, Cause: 15}, "")
	h2.expect("AT+CEER\r", info("+CEER:registration denied: EMM cause "+nas.EMMCause(15).String()))
}

func TestCEREG(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CEREG?\r", info("+CEREG:0,0")},
		{"AT+CEREG=?\r", info("+CEREG:(0-5)")},
		{"AT+CEREG=6\r", errS},
		{"AT+CEREG=1\r", okS},
	})
	h.expectEv(Registration{State: Searching}, "\r\n+CEREG:2\r\n")
	h.expectEv(Registration{State: Searching}, "") // no change, no URC
	h.registered()
	h.st.status.PSMGrant = epc.PSMGrant{Enabled: true, T3324: 60 * time.Second, T3412: 7 * time.Hour}
	h.expectEv(Registration{State: Registered}, "\r\n+CEREG:1\r\n")
	run(t, h, []step{
		{"AT+CEREG?\r", info("+CEREG:1,1")},
		{"AT+CEREG=2\r", okS},
		{"AT+CEREG?\r", info(`+CEREG:2,1,"00C3","0012ABCD",9`)},
		{"AT+CEREG=3\r", okS},
		{"AT+CEREG?\r", info(`+CEREG:3,1,"00C3","0012ABCD",9`)},
		{"AT+CEREG=4\r", okS},
		// T3324 60 s = 30 × 2 s: 000 11110; T3412 7 h = 7 × 1 h: 001 00111
		{"AT+CEREG?\r", info(`+CEREG:4,1,"00C3","0012ABCD",9,,,"00011110","00100111"`)},
		{"AT+CEREG=5\r", okS},
		{"AT+CEREG?\r", info(`+CEREG:5,1,"00C3","0012ABCD",9,,,"00011110","00100111"`)},
	})
	// a new cell and new grants after a TAU
	h.st.status.CellID = 0x12ABCE
	h.st.status.PSMGrant = epc.PSMGrant{Enabled: true, T3324: 12 * time.Minute, T3412: 320 * time.Hour}
	h.expectEv(Registration{State: Registered}, "\r\n"+`+CEREG:1,"00C3","0012ABCE",9,,,"00101100","11000001"`+"\r\n")
	// PSM refused: no Active-Time, the periodic TAU still
	h.st.status.PSMGrant = epc.PSMGrant{T3412: 54 * time.Minute}
	h.expectEv(Registration{State: Registered}, "\r\n"+`+CEREG:1,"00C3","0012ABCE",9,,,,"00000101"`+"\r\n")
	// denied: the reject cause (mode 5), no location
	h.st.status = Status{RadioOn: true, Reg: Denied, RejectCause: nas.EMMCause(15)}
	h.expectEv(Registration{State: Denied, Cause: 15}, "\r\n+CEREG:3,,,,0,15\r\n")
	h.expect("AT+CEREG?\r", info("+CEREG:5,3,,,,0,15"))
	h.expect("AT+CEREG=3\r", okS)
	h.expectEv(Registration{State: Searching}, "\r\n+CEREG:2\r\n")
	h.expectEv(Registration{State: Denied, Cause: 11}, "\r\n+CEREG:3,,,,0,11\r\n")
	h.expect("AT+CEREG=4\r", okS)
	h.expectEv(Registration{State: Searching}, "\r\n+CEREG:2\r\n")
	h.expectEv(Registration{State: Denied, Cause: 11}, "\r\n+CEREG:3\r\n")
	h.expect("AT+CEREG=2\r", okS)
	h.expectEv(Registration{State: Unknown}, "\r\n+CEREG:4\r\n")
	// a stale reject cause is not shown once registered
	h.registered()
	h.st.status.RejectCause = 11
	h.expect("AT+CEREG=3\r", okS)
	h.expect("AT+CEREG?\r", info(`+CEREG:3,1,"00C3","0012ABCD",9`))
	h.expect("AT+CEREG=0\r", okS)
	h.expectEv(Registration{State: NotRegistered}, "")
}

// The binary strings +CEREG=5 prints decode to the granted timers.
func TestCEREGGrantStrings(t *testing.T) {
	for _, g := range []epc.PSMGrant{
		{Enabled: true, T3324: 10 * time.Second, T3412: 24 * time.Hour},
		{Enabled: true, T3324: 31 * 6 * time.Minute, T3412: 40 * time.Second},
		{Enabled: true, T3324: 0, T3412: 960 * time.Hour},
	} {
		h := newHarness(t)
		h.expect("AT+CEREG=5\r", okS)
		h.registered()
		h.st.status.PSMGrant = g
		out := h.ev(Registration{State: Registered})
		f := strings.Split(strings.Trim(out, "\r\n"), ",")
		if len(f) != 8 {
			t.Fatalf("%q", out)
		}
		at3324, _ := bitsOf(t, f[6])
		tau, _ := bitsOf(t, f[7])
		if d, ok := gpp.GPRSTimerDuration(at3324); !ok || d != g.T3324 {
			t.Errorf("Active-Time %s = %v, want %v", f[6], d, g.T3324)
		}
		if d, ok := gpp.GPRSTimer3Duration(tau); !ok || d != g.T3412 {
			t.Errorf("Periodic-TAU %s = %v, want %v", f[7], d, g.T3412)
		}
	}
}

func bitsOf(t *testing.T, s string) (uint8, error) {
	t.Helper()
	s = strings.Trim(s, `"`)
	if len(s) != 8 {
		t.Fatalf("%q is not 8 bits", s)
	}
	var v uint8
	for _, c := range s {
		v = v<<1 | uint8(c-'0')
	}
	return v, nil
}

func TestCPSMS(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CPSMS?\r", info("+CPSMS:0")},
		{"AT+CPSMS=?\r", info(`+CPSMS:(0-2),,,("00000000"-"11111111"),("00000000"-"11111111")`)},
		// TAU 01000011 = 3 × 10 h; Active-Time 00100010 = 2 min
		{"AT+CPSMS=1,,,\"01000011\",\"00100010\"\r", okS},
		{"AT+CPSMS?\r", info(`+CPSMS:1,,,"01000011","00100010"`)},
	})
	want := epc.PSMRequest{Enabled: true, T3412: 30 * time.Hour, T3324: 2 * time.Minute}
	if len(h.st.psm) != 1 || h.st.psm[0] != want {
		t.Fatalf("SetPSM %+v, want %+v", h.st.psm, want)
	}
	for _, c := range []struct{ tau, act string }{{"00000001", "00000001"}, {"10100101", "01011111"}, {"11000010", "00111111"}} {
		h.st.psm = nil
		h.expect("AT+CPSMS=1,,,\""+c.tau+"\",\""+c.act+"\"\r", okS)
		tb, _ := bitsOf(t, c.tau)
		ab, _ := bitsOf(t, c.act)
		d3, _ := gpp.GPRSTimer3Duration(tb)
		d2, _ := gpp.GPRSTimerDuration(ab)
		if h.st.psm[0].T3412 != d3 || h.st.psm[0].T3324 != d2 {
			t.Errorf("%s/%s → %+v", c.tau, c.act, h.st.psm[0])
		}
	}
	run(t, h, []step{
		{"AT+CPSMS=0\r", okS},
		{"AT+CPSMS?\r", info(`+CPSMS:0,,,"11000010","00111111"`)},
		{"AT+CPSMS=2\r", okS},
		{"AT+CPSMS?\r", info("+CPSMS:0")},
		{"AT+CPSMS=1,\"00000000\",\"00000000\",01000011,00100010\r", okS}, // unquoted, as the BC95 manual writes them
		{"AT+CPSMS?\r", info(`+CPSMS:1,,,"01000011","00100010"`)},
		{"AT+CPSMS=\r", okS},
		{"AT+CPSMS?\r", info(`+CPSMS:0,,,"01000011","00100010"`)},
		{"AT+CMEE=1\r", okS},
		{"AT+CPSMS=3\r", cme50},
		{"AT+CPSMS=1,,,\"0100001\"\r", cme50},
		{"AT+CPSMS=1,,,\"01000012\"\r", cme50},
		{"AT+CPSMS=1,,,,\"00100010\",1\r", cme50},
		{"AT+CPSMS=1,\"2\"\r", cme50},
	})
	if last := h.st.psm[len(h.st.psm)-1]; last.Enabled {
		t.Errorf("AT+CPSMS= left PSM on: %+v", last)
	}
	// deactivated timers request nothing
	h.st.psm = nil
	h.expect("AT+CPSMS=1,,,\"11100000\",\"11100000\"\r", okS)
	if r := h.st.psm[0]; r != (epc.PSMRequest{Enabled: true}) {
		t.Errorf("deactivated timers: %+v", r)
	}
}

func TestCEDRXS(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+CEDRXS?\r", okS},
		{"AT+CEDRXS=?\r", info(`+CEDRXS:(0-3),(5),("0000"-"1111")`)},
		{"AT+CEDRXRDP\r", info("+CEDRXRDP:0")},
		{"AT+CEDRXS=1,5,\"0101\"\r", okS},
		{"AT+CEDRXS?\r", info(`+CEDRXS:5,"0101"`)},
		{"AT+CEDRXS=1,4,\"0101\"\r", cme50},
		{"AT+CEDRXS=1,5,\"0100\"\r", cme50}, // not an NB-S1 value
		{"AT+CEDRXS=1,5,\"01\"\r", cme50},
		{"AT+CEDRXS=4\r", cme50},
	})
	want := epc.EDRXRequest{Enabled: true, Cycle: 81920 * time.Millisecond}
	if len(h.st.edrx) != 1 || h.st.edrx[0] != want {
		t.Fatalf("SetEDRX %+v, want %+v", h.st.edrx, want)
	}
	h.registered()
	h.st.status.EDRXGrant = epc.EDRXGrant{Enabled: true, Cycle: 40960 * time.Millisecond, PTW: 5120 * time.Millisecond}
	h.expect("AT+CEDRXRDP\r", info(`+CEDRXRDP:5,"0101","0011","0001"`))
	h.expect("AT+CEDRXS=2,5,\"1001\"\r", okS)
	h.expectEv(Registration{State: Registered}, "\r\n"+`+CEDRXP:5,"1001","0011","0001"`+"\r\n")
	h.expectEv(Registration{State: Registered}, "") // unchanged
	h.st.status.EDRXGrant = epc.EDRXGrant{}
	h.expectEv(Registration{State: Registered}, "\r\n"+`+CEDRXP:5,"1001","",""`+"\r\n")
	run(t, h, []step{
		{"AT+CEDRXS=0\r", okS},
		{"AT+CEDRXS?\r", okS},
		{"AT+CEDRXS=3\r", okS},
		{"AT+NPTWEDRXS=?\r", info(`+NPTWEDRXS:(0-3),(5),("0000"-"1111"),("0000"-"1111")`)},
		{"AT+NPTWEDRXS=2,5,\"0011\",\"0010\"\r", okS},
		{"AT+NPTWEDRXS?\r", info(`+NPTWEDRXS:5,"0011","0010"`)},
		{"AT+CEDRXS?\r", info(`+CEDRXS:5,"0010"`)},
		{"AT+NPTWEDRXS=1,5,\"00111\"\r", cme50},
	})
	if r := h.st.edrx[len(h.st.edrx)-1]; r != (epc.EDRXRequest{Enabled: true, Cycle: 20480 * time.Millisecond, PTW: 4 * 2560 * time.Millisecond}) {
		t.Errorf("NPTWEDRXS request %+v", r)
	}
	h.st.status.EDRXGrant = epc.EDRXGrant{Enabled: true, Cycle: 20480 * time.Millisecond, PTW: 10240 * time.Millisecond}
	h.expectEv(Registration{State: Registered}, "\r\n"+`+NPTWEDRXP:5,"0011","0010","0010","0011"`+"\r\n")
	h.expect("AT+CEDRXS=0\r", okS)
	if r := h.st.edrx[len(h.st.edrx)-1]; r.Enabled {
		t.Errorf("CEDRXS=0 request %+v", r)
	}
}

func TestSendErrors(t *testing.T) {
	h := newHarness(t)
	h.registered()
	h.st.sendErr = errors.New("not registered")
	run(t, h, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+NSOCR=DGRAM,17,4000\r", info("0")},
		{"AT+NSOST=0,192.0.2.1,9,1,AA\r", cme30},
		{"AT+CEER\r", info("+CEER:send: not registered")},
	})
}

// While a command waits, URCs and input are held, both bounded.
func TestHeldBounds(t *testing.T) {
	h := newHarness(t)
	h.expect("AT+CSCON=1\r", okS)
	h.expect("AT+CFUN=1\r", "")
	for i := range maxURCs + 10 {
		h.ev(Connection{Connected: i%2 == 0})
	}
	h.in(strings.Repeat("AT\r", maxHeld)) // 3 × maxHeld bytes
	h.st.status.RadioOn = true
	out := h.ev(Radio{On: true})
	if n := strings.Count(out, "+CSCON:"); n != maxURCs {
		t.Errorf("%d URCs after the pending command, want %d", n, maxURCs)
	}
	if n := strings.Count(out, "OK"); n != 1+maxHeld/3 {
		t.Errorf("%d OKs: held input not bounded to %d bytes", n, maxHeld)
	}
	if !strings.HasPrefix(out, okS+"\r\n+CSCON:1\r\n") {
		t.Errorf("output starts %q", out[:40])
	}
}

// Out of coverage (the stack's Status.NoService, Reg searching then
// unknown): +CEREG URCs, +CSQ/+CESQ without a measurement, sends refused
// with +CME ERROR: 30 and AT+CEER naming the coverage; back, +CEREG: 1.
func TestNoService(t *testing.T) {
	h := newHarness(t)
	h.registered()
	run(t, h, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+CEREG=1\r", okS},
		{"AT+NSOCR=DGRAM,17,4000\r", info("0")},
	})
	h.st.status.RSRP, h.st.status.RSSI = -120, -110
	h.st.status.Reg, h.st.status.NoService = Searching, true
	h.expectEv(Registration{State: Searching, Reason: "no service"}, "\r\n+CEREG:2\r\n")
	run(t, h, []step{
		{"AT+CSQ\r", info("+CSQ:99,99")},
		{"AT+CESQ\r", info("+CESQ:99,99,255,255,255,255")},
		{"AT+NSOST=0,192.0.2.1,9,1,AA\r", cme30},
		{"AT+CEER\r", info("+CEER:no service: no suitable cell (out of coverage)")},
		{"AT+CSODCP=1,1,AA\r", cme30},
	})
	h.st.status.Reg = Unknown
	h.expectEv(Registration{State: Unknown}, "\r\n+CEREG:4\r\n")
	h.st.status.Reg, h.st.status.NoService = Registered, false
	h.expectEv(Registration{State: Registered}, "\r\n+CEREG:1\r\n")
	if len(h.st.sent) != 0 {
		t.Errorf("sent out of coverage: %v", h.st.sent)
	}
	run(t, h, []step{{"AT+NSOST=0,192.0.2.1,9,1,AA\r", info("0,1")}})
}

// AT+CPSMS while registered: the module hands the stack the new request
// at once (Stack.SetPSM, which renegotiates by TAU), AT+CPSMS? shows the
// request, and when the TAU's grant comes (a Registration event with the
// new grants in Status) +CEREG mode 4 reports it; AT+CPSMS=0 asks for PSM
// off and the grant without T3324 drops the Active-Time.
func TestCPSMSWhileRegistered(t *testing.T) {
	h := newHarness(t)
	h.registered()
	h.st.status.PSMGrant = epc.PSMGrant{Enabled: true, T3324: 10 * time.Second, T3412: time.Hour}
	run(t, h, []step{
		{"AT+CEREG=4\r", okS},
		{`AT+CPSMS=1,,,"00100010","00000110"` + "\r", okS},
		{"AT+CPSMS?\r", info(`+CPSMS:1,,,"00100010","00000110"`)},
	})
	if r := h.st.psm[len(h.st.psm)-1]; !r.Enabled || r.T3324 != 12*time.Second || r.T3412 != 2*time.Hour {
		t.Errorf("request %+v, want 12 s / 2 h", r)
	}
	h.st.status.PSMGrant = epc.PSMGrant{Enabled: true, T3324: 12 * time.Second, T3412: 2 * time.Hour}
	h.expectEv(Registration{State: Registered}, "\r\n"+`+CEREG:1,"00C3","0012ABCD",9,,,"00000110","00001100"`+"\r\n")
	h.expect("AT+CPSMS=0\r", okS)
	if r := h.st.psm[len(h.st.psm)-1]; r.Enabled {
		t.Errorf("AT+CPSMS=0 request %+v", r)
	}
	h.st.status.PSMGrant = epc.PSMGrant{T3412: 54 * time.Minute}
	h.expectEv(Registration{State: Registered}, "\r\n"+`+CEREG:1,"00C3","0012ABCD",9,,,,"00000101"`+"\r\n")
}
