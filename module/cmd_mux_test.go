package module

import (
	"strings"
	"testing"

	"github.com/nbsim/nbsim/cmux"
)

// muxIn sends frames to the module and returns what it sent per DLC (the
// text of UIH frames) and the other frames.
func (h *harness) muxIn(fs ...cmux.Frame) (map[uint8]string, []cmux.Frame) {
	var b []byte
	for _, f := range fs {
		b = f.Append(b)
	}
	h.m.Input(b)
	return h.muxOut()
}

func (h *harness) muxOut() (map[uint8]string, []cmux.Frame) {
	var d cmux.Deframer
	text := map[uint8]string{}
	var other []cmux.Frame
	for _, f := range d.Feed([]byte(h.take()), nil) {
		if f.Type == cmux.UIH && f.DLCI > 0 {
			text[f.DLCI] += string(f.Info)
			continue
		}
		other = append(other, f)
	}
	return text, other
}

func uih(d uint8, s string) cmux.Frame {
	return cmux.Frame{DLCI: d, CR: true, Type: cmux.UIH, Info: []byte(s)}
}

func TestCMUXCommand(t *testing.T) {
	h := newHarness(t, withData)
	h.expect("AT+CMEE=1\r", okS)
	h.expect("AT+CMUX=?\r", info("+CMUX: (0),(0),(1-6),(1-32768),(1-255),(0-100),(2-255),(0-255),(1-7)"))
	h.expect("AT+CMUX?\r", info("+CMUX: 0,0,5,31,10,3,30,10"))
	h.expect("AT+CMUX=1\r", "\r\n+CME ERROR: 4\r\n")   // advanced option
	h.expect("AT+CMUX=0,1\r", "\r\n+CME ERROR: 4\r\n") // UI frames
	h.expect("AT+CMUX=0,0,7\r", "\r\n+CME ERROR: 50\r\n")
	h.expect("AT+CMUX=0,0,5,127\r", okS)
	sabm := func(d uint8) cmux.Frame { return cmux.Frame{DLCI: d, CR: true, PF: true, Type: cmux.SABM} }
	text, other := h.muxIn(sabm(0), sabm(1), sabm(2))
	if len(other) != 5 || other[0].Type != cmux.UA || other[1].Type != cmux.UA || other[3].Type != cmux.UA || len(text) != 0 {
		t.Fatalf("SABMs: %v %q", other, text)
	}
	// each DLC its own interpreter (echo as the port had it, off): ATE1
	// on DLC 2 leaves DLC 1 without echo
	if text, _ = h.muxIn(uih(2, "ATE1\r")); text[2] != okS {
		t.Fatalf("DLC 2: %q", text)
	}
	if text, _ = h.muxIn(uih(1, "AT+CMUX?\r"), uih(2, "AT\r")); text[1] != info("+CMUX: 0,0,5,127,10,3,30,10") || text[2] != "AT\r"+okS {
		t.Fatalf("DLC 1 and 2: %q", text)
	}
	if text, _ = h.muxIn(uih(1, "AT+CMUX=0\r")); text[1] != "\r\n+CME ERROR: 3\r\n" {
		t.Fatalf("AT+CMUX in the multiplexer: %q", text)
	}
	// URCs go to DLC 1
	h.muxIn(uih(1, "ATE0;+NPSMR=1\r"))
	h.m.Handle(PowerSaving{Entered: true})
	if text, _ = h.muxOut(); text[1] != "\r\n+NPSMR: 1\r\n" || len(text) != 1 {
		t.Fatalf("URC: %q", text)
	}
	// a call on DLC 2; the host drops DTR (MSC with RTC clear): NO CARRIER
	h.registered()
	if text, _ = h.muxIn(uih(2, "ATD*99***1#\r")); !strings.HasPrefix(text[2], "ATD*99***1#\r\r\nCONNECT\r\n~") {
		t.Fatalf("ATD on DLC 2: %q", text)
	}
	if text, _ = h.muxIn(uih(1, "AT\r")); text[1] != okS {
		t.Fatalf("DLC 1 during the call: %q", text)
	}
	msc := cmux.Msg{Type: cmux.MsgMSC, Command: true, Value: []byte{2<<2 | 3, cmux.SigRTR | 1}}.Append(nil)
	text, _ = h.muxIn(cmux.Frame{CR: true, Type: cmux.UIH, Info: msc})
	if text[2] != "\r\nNO CARRIER\r\n" {
		t.Fatalf("DTR drop on DLC 2: %q", text)
	}
	// close down: AT on the port again
	cld := cmux.Msg{Type: cmux.MsgCLD, Command: true}.Append(nil)
	h.muxIn(cmux.Frame{CR: true, Type: cmux.UIH, Info: cld})
	h.expect("AT\r", okS)
}

// A new client on the port (emulate's TCP port taken over) finds AT
// commands, as after a DTR drop with AT&D2 (V.250 §6.2.9): the previous
// host's PPP call or multiplexer, which nothing else would end, is gone.
func TestNewClientDropsDataMode(t *testing.T) {
	h := newHarness(t, withData)
	h.registered()
	if out := h.in("ATD*99#\r"); !strings.HasPrefix(out, "\r\nCONNECT\r\n") {
		t.Fatalf("ATD*99#: %q", out)
	}
	h.m.NewClient()
	h.expect("AT\r", okS)
	h.expect("AT+CMUX=0\r", okS)
	h.muxIn(cmux.Frame{CR: true, PF: true, Type: cmux.SABM}, cmux.Frame{DLCI: 1, CR: true, PF: true, Type: cmux.SABM})
	if text, _ := h.muxIn(uih(1, "ATD*99#\r")); !strings.Contains(text[1], "CONNECT") {
		t.Fatalf("ATD*99# on DLC 1: %q", text)
	}
	h.m.NewClient()
	h.expect("AT\r", okS)
	h.expect("ATO\r", "\r\nNO CARRIER\r\n") // no call held either
}
