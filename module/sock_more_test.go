package module

import (
	"net/netip"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
)

var echoAddr = netip.MustParseAddrPort("192.0.2.1:5000")

// lastUplink is the last datagram the module sent.
func (h *harness) lastUplink() *ippkt.UDP {
	h.t.Helper()
	if len(h.st.sent) == 0 {
		h.t.Fatal("nothing sent")
	}
	u, err := ippkt.Parse(h.st.sent[len(h.st.sent)-1].data)
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

// The SARA-R4 as Zephyr's init script and TinyGSM's SaraR4 driver use
// it (UDP: AT+USOCR=17, AT+USOST, +UUSORF, AT+USORF, AT+USOCL).
func TestSARAR4Transcript(t *testing.T) {
	h := profileHarness(t, "sara-r4")
	run(t, h, []step{
		{"ATE0\r", "ATE0\r" + okS},
		{"AT+CFUN=4\r", okS},
		{"AT+CMEE=1\r", okS},
		{"AT+CREG=1;+CGREG=1;+CEREG=1\r", okS},
		{"AT+CGMM\r", info("SARA-R410M-02B")},
		{"AT+USOCR=6\r", "\r\n+CME ERROR: 4\r\n"},
	})
	h.registered()
	run(t, h, []step{
		{"AT+USOCR=17\r", info("+USOCR: 0")},
		{"AT+USOCR=17,4000\r", info("+USOCR: 1")},
		{`AT+USOST=0,"192.0.2.1",5000,4,"ABCD"` + "\r", info("+USOST: 0,4")},
		{`AT+USOST=0,"192.0.2.1",5000,5,"ABCD"` + "\r", "\r\n+CME ERROR: 50\r\n"},
		{`AT+USOST=0,"192.0.2.1",5000,4` + "\r", "\r\n+CME ERROR: 4\r\n"},
	})
	u := h.lastUplink()
	if string(u.Payload) != "ABCD" || u.Dst != echoAddr {
		t.Fatalf("uplink %+v", u)
	}
	h.expectEv(downlinkTo(t, echoAddr, u.Src.Port(), "re:ABCD"), "\r\n+UUSORF: 0,7\r\n")
	run(t, h, []step{
		{"AT+USORF=0,0\r", info("+USORF: 0,7")},
		{"AT+USORF=0,100\r", info(`+USORF: 0,"192.0.2.1",5000,7,"re:ABCD"`)},
		{"AT+USORF=0,100\r", info("+USORF: 0,0")},
		{"AT+UDCONF=1,1\r", okS},
		{"AT+UDCONF=1\r", info("+UDCONF: 1,1")},
		{`AT+USOST=1,"192.0.2.1",5000,2,"0102"` + "\r", info("+USOST: 1,2")},
	})
	h.expectEv(downlinkTo(t, echoAddr, 4000, "\x01\x02"), "\r\n+UUSORF: 1,2\r\n")
	run(t, h, []step{
		{"AT+USORF=1,10\r", info(`+USORF: 1,"192.0.2.1",5000,2,"0102"`)},
		{"AT+USOCL=1\r", okS},
		{"AT+USOCL=1\r", "\r\n+CME ERROR: 3\r\n"},
	})
}

// The SIM7080 as Zephyr's init script and TinyGSM's SIM7080 driver use
// it (AT+CNACT, AT+CAOPEN "UDP", AT+CASEND with ">", +CADATAIND,
// AT+CARECV, AT+CACLOSE).
func TestSIM7080Transcript(t *testing.T) {
	h := profileHarness(t, "sim7080")
	run(t, h, []step{
		{"ATE0\r", "ATE0\r" + okS},
		{"AT+CFUN=4;+CMEE=1;+CREG=1;+CGREG=1;+CEREG=1\r", okS},
		{"AT+CGMM\r", info("SIMCOM_SIM7080G")},
	})
	h.registered()
	run(t, h, []step{
		{`AT+CAOPEN=0,0,"UDP","192.0.2.1",5000` + "\r", info("+CAOPEN: 0,21")}, // network not active
		{"AT+CNACT=0,1\r", okS + "\r\n+APP PDP: 0,ACTIVE\r\n"},
		{"AT+CNACT?\r", info(`+CNACT: 0,1,"10.45.0.7"`, `+CNACT: 1,0,"0.0.0.0"`, `+CNACT: 2,0,"0.0.0.0"`, `+CNACT: 3,0,"0.0.0.0"`)},
		{`AT+CAOPEN=0,0,"TCP","192.0.2.1",5000` + "\r", "\r\n+CME ERROR: 4\r\n"},
		{`AT+CAOPEN=0,0,"UDP","192.0.2.1",5000` + "\r", info("+CAOPEN: 0,0")},
		{"AT+CASEND=0,4\r", "\r\n> "},
		{"ABCD", okS},
		{"AT+CASTATE?\r", info("+CASTATE: 0,1")},
	})
	u := h.lastUplink()
	h.expectEv(downlinkTo(t, echoAddr, u.Src.Port(), "re:ABCD"), "\r\n+CADATAIND: 0\r\n")
	run(t, h, []step{
		{"AT+CARECV=0,100\r", info("+CARECV: 7,re:ABCD")},
		{"AT+CARECV=0,100\r", info("+CARECV: 0")},
		{"AT+CACLOSE=0\r", okS},
		{"AT+CNACT=0,0\r", okS + "\r\n+APP PDP: 0,DEACTIVE\r\n"},
	})
}

// The nRF91 SLM as Zephyr's init script (AT, AT+CMEE=1, AT+CEREG=1,
// AT+CGEREP=1, identification) and an SLM host use it (AT#XSOCKET,
// AT#XSENDTO, AT#XRECVFROM with its timeout, AT%CONEVAL).
func TestNRF91SLMTranscript(t *testing.T) {
	h := profileHarness(t, "nrf91-slm")
	run(t, h, []step{
		{"AT\r", okS}, // no echo
		{"AT+CMEE=1\r", okS},
		{"AT+CEREG=1\r", okS},
		{"AT+CGEREP=1\r", okS},
		{"AT+CGMI\r", info("Nordic Semiconductor ASA")},
		{"AT%XSYSTEMMODE?\r", info("%XSYSTEMMODE: 1,1,0,0")},
		{"AT%XSYSTEMMODE=0,1,0,0\r", okS},
		{"AT%XSYSTEMMODE=0,0,0,0\r", "\r\n+CME ERROR: 50\r\n"},
		{"AT%CONEVAL\r", info("%CONEVAL: 1")},
		{"AT#XSENDTO=\"192.0.2.1\",5000,\"hi\"\r", "\r\n+CME ERROR: 3\r\n"},
	})
	h.registered()
	run(t, h, []step{
		{"AT%XSYSTEMMODE=1,1,0,0\r", "\r\n+CME ERROR: 3\r\n"}, // radio on
		{"AT%CONEVAL\r", info(`%CONEVAL: 0,0,6,45,18,27,"0012ABCD","00101",380,3740,8,0,1,13,4,4,95`)},
		{"AT#XSOCKET=1,1,0\r", "\r\n+CME ERROR: 4\r\n"},
		{"AT#XSOCKET=1,2,0\r", info("#XSOCKET: 0,2,17")},
		{"AT#XSOCKET?\r", info("#XSOCKET: 0,1,0,2,0")},
		{"AT#XSENDTO=\"192.0.2.1\",5000,\"ABCD\"\r", info("#XSENDTO: 4")},
		{"AT#XRECVFROM=10,64\r", "\r\n+CME ERROR: 3\r\n"},
	})
	u := h.lastUplink()
	if string(u.Payload) != "ABCD" {
		t.Fatalf("uplink %q", u.Payload)
	}
	// AT#XRECVFROM waits for the datagram
	h.expect("AT#XRECVFROM=10\r", "")
	h.expectEv(downlinkTo(t, echoAddr, u.Src.Port(), "re:ABCD"), "\r\n#XRECVFROM: 7,\"192.0.2.1\",5000\r\nre:ABCD\r\n"+okS)
	// … or its timeout
	h.expect("AT#XRECVFROM=2\r", "")
	if len(h.st.timers) == 0 || h.st.timers[len(h.st.timers)-1].at.Sub(h.st.now) != 2*time.Second {
		t.Fatalf("timers %+v", h.st.timers)
	}
	h.expectEv(h.st.timers[len(h.st.timers)-1].ev, "\r\n+CME ERROR: 100\r\n")
	// a stale timeout of an earlier receive ends nothing
	h.expect("AT#XRECVFROM=0\r", "")
	h.expectEv(h.st.timers[len(h.st.timers)-1].ev, "")
	h.expectEv(downlinkTo(t, echoAddr, u.Src.Port(), "x"), "\r\n#XRECVFROM: 1,\"192.0.2.1\",5000\r\nx\r\n"+okS)
	run(t, h, []step{
		{"AT#XCONNECT=\"192.0.2.1\",5001\r", info("#XCONNECT: 1")},
		{"AT#XSEND=\"yz\"\r", info("#XSEND: 2")},
		{"AT#XSOCKET=0\r", info(`#XSOCKET: 0,"closed"`)},
		{"AT#XSOCKET=0\r", "\r\n+CME ERROR: 3\r\n"},
	})
	if u := h.lastUplink(); u.Dst.Port() != 5001 || string(u.Payload) != "yz" {
		t.Fatalf("AT#XSEND went to %v: %q", u.Dst, u.Payload)
	}
}
