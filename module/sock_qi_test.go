package module

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
)

// profileHarness is a module of a shipped profile, booted (its boot
// timers fired), echo as the profile has it, AUTOCONNECT off.
func profileHarness(t *testing.T, name string) *harness {
	t.Helper()
	p, err := LookupProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, st: &fakeStack{now: testNow}}
	cfg := DefaultConfig()
	cfg.Profile = p
	cfg.IMEI, cfg.IMSI, cfg.ICCID = testIMEI, "001010123456789", "89860000000000000001"
	cfg.AutoConnect = false
	cfg.Out = func(b []byte) { h.out.Write(b) }
	h.m = New(cfg, h.st)
	for _, tm := range h.st.timers {
		h.m.Handle(tm.ev)
	}
	h.st.timers = nil
	h.take()
	return h
}

// downlinkTo is a UDP datagram from src to the module's port.
func downlinkTo(t *testing.T, src netip.AddrPort, port uint16, payload string) Downlink {
	t.Helper()
	b, err := (&ippkt.UDP{Src: src, Dst: netip.AddrPortFrom(moduleAddr, port), Payload: []byte(payload)}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return Downlink{Data: b}
}

// The BG95 as Zephyr's modem_cellular initialises it (boot lines, ATE0,
// AT+CFUN=4, AT+CMEE=1, AT+CREG/CGREG/CEREG, identification, AT+QCCID)
// and as a TinyGSM-style driver then uses its sockets (AT+QIOPEN,
// AT+QISEND with the "> " prompt, +QIURC "recv", AT+QIRD, AT+QICLOSE),
// with UDP instead of TCP.
func TestBG95Transcript(t *testing.T) {
	p, _ := LookupProfile("bg95")
	h := &harness{t: t, st: &fakeStack{now: testNow}}
	cfg := DefaultConfig()
	cfg.Profile = p
	cfg.ICCID, cfg.IMSI, cfg.IMEI = "89860000000000000001", "001010123456789", testIMEI
	cfg.AutoConnect = false
	cfg.Out = func(b []byte) { h.out.Write(b) }
	h.m = New(cfg, h.st)
	h.expect("AT\r", "") // before RDY: lost
	var boot string
	for _, tm := range h.st.timers {
		boot += h.ev(tm.ev)
	}
	if want := "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QUSIM: 1\r\n\r\n+QIND: SMS DONE\r\n\r\nAPP RDY\r\n"; boot != want {
		t.Errorf("boot %q, want %q", boot, want)
	}
	run(t, h, []step{
		{"ATE0\r", "ATE0\r" + okS},
		{"AT+CFUN=4\r", okS},
		{"AT+CFUN?\r", info("+CFUN: 4")},
		{"AT+CMEE=1\r", okS},
		{"AT+CREG=1\r", okS},
		{"AT+CGREG=1\r", okS},
		{"AT+CEREG=1\r", okS},
		{"AT+CREG?\r", info("+CREG: 1,0")},
		{"AT+CEREG?\r", info("+CEREG: 1,0")},
		{"AT+CGREG?\r", info("+CGREG: 1,0")},
		{"AT+CGSN\r", info(testIMEI)},
		{"AT+CGMM\r", info("BG95-M3")},
		{"AT+CGMI\r", info("Quectel")},
		{"AT+QGMR\r", info("BG95M3LAR02A03 (nbsim)")},
		{"AT+CIMI\r", info("001010123456789")},
		{"AT+QCCID\r", info("+QCCID: 89860000000000000001")},
		{`AT+QCFG="iotopmode"` + "\r", info(`+QCFG: "iotopmode",2`)},
		{`AT+QCFG="iotopmode",1,1;+QCFG="nwscanseq",03` + "\r", okS},
		{`AT+QCFG="nwscanseq"` + "\r", info(`+QCFG: "nwscanseq",03`)},
		{`AT+QCFG="nwscanseq",04` + "\r", "\r\n+CME ERROR: 50\r\n"},
		{`AT+QCFG="band"` + "\r", "\r\n+CME ERROR: 4\r\n"},
		{`AT+QIOPEN=1,0,"UDP","192.0.2.1",5000,0,0` + "\r", "\r\n+CME ERROR: 30\r\n"}, // not registered
		{"AT+NSOCR=DGRAM,17,0\r", "\r\nERROR\r\n"},                                    // not a BG95 command
	})
	h.in("AT+CFUN=1\r")
	h.registered()
	h.expectEv(Radio{On: true}, okS)
	run(t, h, []step{
		{`AT+QICSGP=1,1,"iot.example","","",1` + "\r", okS},
		{"AT+QIACT=1\r", okS},
		{"AT+QIACT?\r", info(`+QIACT: 1,1,1,"10.45.0.7"`)},
		{`AT+QIOPEN=1,0,"UDP","192.0.2.1",5000,0,0` + "\r", okS + "\r\n+QIOPEN: 0,0\r\n"},
		{`AT+QIOPEN=1,0,"UDP","192.0.2.1",5000` + "\r", "\r\n+CME ERROR: 3\r\n"},
		{`AT+QIOPEN=1,1,"TCP","192.0.2.1",5000` + "\r", "\r\n+CME ERROR: 4\r\n"},
		{"AT+QISEND=0,4\r", "\r\n> "},
		{"ABCD", "\r\nSEND OK\r\n"},
		{"AT+QISENDEX=0,\"3132\"\r", "\r\nSEND OK\r\n"},
		{"AT+QISEND=0,0\r", info("+QISEND: 6,6,0")},
		{"AT+QIRD=0\r", info("+QIRD: 0")},
	})
	if len(h.st.sent) != 2 {
		t.Fatalf("sent %d packets", len(h.st.sent))
	}
	u, err := ippkt.Parse(h.st.sent[0].data)
	if err != nil || string(u.Payload) != "ABCD" || u.Dst.String() != "192.0.2.1:5000" {
		t.Fatalf("uplink %+v %v", u, err)
	}
	echo := netip.MustParseAddrPort("192.0.2.1:5000")
	h.expectEv(downlinkTo(t, echo, u.Src.Port(), "re:ABCD"), "\r\n+QIURC: \"recv\",0\r\n")
	run(t, h, []step{
		{"AT+QIRD=0,0\r", info("+QIRD: 7,0,7")},
		{"AT+QIRD=0,1500\r", "\r\n+QIRD: 7\r\nre:ABCD\r\n" + okS},
		{"AT+QIRD=0\r", info("+QIRD: 0")},
		{"AT+QISTATE?\r", info(`+QISTATE: 0,"UDP","192.0.2.1",5000,49152,2,1,0,0,"uart1"`)},
		{"AT+QICLOSE=0\r", okS},
		{"AT+QISEND=0,4\r", "\r\n+CME ERROR: 3\r\n"},
		// a UDP SERVICE socket: the remote per send, and in AT+QIRD
		{`AT+QIOPEN=1,2,"UDP SERVICE","127.0.0.1",0,3030,0` + "\r", okS + "\r\n+QIOPEN: 2,0\r\n"},
		{"AT+QISEND=2,2\r", "\r\n+CME ERROR: 50\r\n"},
		{`AT+QISEND=2,2,"192.0.2.1",5000` + "\r", "\r\n> "},
		{"hi", "\r\nSEND OK\r\n"},
	})
	h.expectEv(downlinkTo(t, echo, 3030, "re:hi"), "\r\n+QIURC: \"recv\",2\r\n")
	h.expect("AT+QIRD=2\r", "\r\n+QIRD: 5,\"192.0.2.1\",5000\r\nre:hi\r\n"+okS)
	// the data after the prompt may come in pieces, and with the next
	// command in the same write
	h.expect("AT+QISEND=2,3,\"192.0.2.1\",5000\r", "\r\n> ")
	h.expect("x", "")
	h.expect("yzAT\r", "\r\nSEND OK\r\n"+okS)
	// sending fails when the stack refuses
	h.st.sendErr = errTestSend
	h.expect("AT+QISENDEX=2,\"00\"\r", "\r\n+CME ERROR: 50\r\n") // UDP SERVICE: no remote
}

// The BC66: the same family without AT+QCFG, and no boot output.
func TestBC66Transcript(t *testing.T) {
	h := profileHarness(t, "bc66")
	if len(h.m.prof.Boot) != 0 {
		t.Error("the BC66 prints at boot")
	}
	run(t, h, []step{
		{"ATE0\r", "ATE0\r" + okS},
		{"AT+CMEE?\r", info("+CMEE: 1")},
		{"AT+CFUN=4\r", "\r\n+CME ERROR: 50\r\n"},
		{`AT+QCFG="iotopmode"` + "\r", "\r\nERROR\r\n"},
		{"AT+CGMM\r", info("Quectel_BC66")},
		{`AT+QIOPEN=1,5,"UDP","192.0.2.1",5000` + "\r", "\r\n+CME ERROR: 50\r\n"}, // ids 0..4
	})
	h.registered()
	run(t, h, []step{
		{`AT+QIOPEN=1,4,"UDP","192.0.2.1",5000` + "\r", okS + "\r\n+QIOPEN: 4,0\r\n"},
		{"AT+QISEND=4,2\r", "\r\n> "},
		{"ok", "\r\nSEND OK\r\n"},
	})
	h.st.sendErr = errTestSend
	h.expect("AT+QISEND=4,1\r", "\r\n> ")
	h.expect("z", "\r\nSEND FAIL\r\n")
}

var (
	testNow     = time.Date(2024, 3, 9, 14, 5, 7, 0, time.UTC)
	errTestSend = errors.New("not registered")
)
