package module

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
)

// FuzzModuleInput feeds random port bytes, with stack events between
// chunks, into a registered module: no panic, output and state bounded.
func FuzzModuleInput(f *testing.F) {
	for _, s := range []string{
		"AT\r", "ATE1\rAT+CGMI;+CGMM\r\nA/", "AT+CFUN=1\r\x00AT+CSQ\r",
		"AT+CMEE=2;+CEREG=5;+CSCON=1;+NPSMR=1;+NNMI=1\r\x00\x00\x00",
		"AT+NSOCR=DGRAM,17,4000\rAT+NSOST=0,192.0.2.1,5000,2,AB30\r\x00AT+NSORF=0,10\r",
		"AT+NMGS=3,010203\r\x00\x00AT+NMGR\rAT+NQMGS;+NQMGR\r",
		"AT+CGATT=0\r\x00AT+CGATT=1\r", "AT+NRB\r\x00AT\r", "AT+CPSMS=1,,,\"01000011\",\"00100010\"\r",
		"AT+CEDRXS=2,5,\"0101\"\r\x00", "AT+NUESTATS=ALL;+NUESTATS=ENERGY\r", "AT+CSODCP=1,1,\"00\"\r",
		`AT+X="\22"` + "\r", "ATS3?;S4=?\r", "AT+CGDCONT=1,\"NONIP\"\r\x00\x00",
		// data mode: an LCP Configure-Request, IPv4, +++, ATO, ATH
		"\x04ATD*99#\r~\xff}#\xc0!}!}!} }.}\"}&} } } } }%}&}!}\"}#}$}'}\"}(}\"\x95\xa6~\x00~!E\x00~\x00+++\x00ATO\r\x00+++\x00ATH\r",
		// the multiplexer: DLC 0, 1 (AT+CSQ), 2 (ATD*99#), MSC (DTR off), CLD
		"\x04AT+CMUX=0,0,5,64\x0d\xf9\x03?\x01\x1c\xf9\xf9\x07?\x01\xde\xf9\xf9\x07\xef\x0fAT+CSQ\x0d\xdd\xf9\xf9\x0b?\x01Y\xf9\xf9\x0b\xef\x11ATD*99#\x0d\xac\xf9\xf9\x03\xef\x09\xe3\x05\x0b\x09\xfb\xf9\xf9\x03\xef\x05\xc3\x01\xf2\xf9",
		"AT+CGDATA=\"PPP\",1\r\x7e\x7d\x7e\x00\x00+\x00++\x00\x00AT+CGDATA\r",
		// a first byte below 8 picks the shipped profile of that index
		"\x02AT+QIOPEN=1,0,\"UDP\",\"192.0.2.1\",5000\r\x00AT+QISEND=0,3\rab\x00cAT+QIRD=0\r\x00AT+QICLOSE=0\r",
		"\x00AT+QISEND=0,5\rAT\r\x00\x00AT+QCFG=\"nwscanseq\",0302\r",
		"\x01AT+QIOPEN=1,1,\"UDP SERVICE\",\"127.0.0.1\",0,4000\r\x00AT+QIRD=1,0;+QIRD=1\r",
		"\x04AT+USOCR=17,4000\r\x00AT+USOST=0,\"192.0.2.1\",5000,2,\"hi\"\rAT+UDCONF=1,1\r\x00AT+USORF=0,9\r",
		"\x05AT+CNACT=0,1\r\x00AT+CAOPEN=0,0,\"UDP\",\"192.0.2.1\",5000\r\x00AT+CASEND=0,2\rx\x00yAT+CARECV=0,9\r",
		"\x03AT#XSOCKET=1,2,0\r\x00AT#XBIND=4000;#XSENDTO=\"192.0.2.1\",7,\"a\"\r\x00AT#XRECVFROM=1\r\x00AT%CONEVAL\r",
	} {
		f.Add([]byte(s))
	}
	names := ProfileNames()
	f.Fuzz(func(t *testing.T, in []byte) {
		h := &harness{t: t, st: &fakeStack{now: time.Unix(1.7e9, 0)}}
		var outLen int
		cfg := DefaultConfig()
		if len(in) > 0 && in[0] < 8 {
			cfg.Profile, _ = LookupProfile(names[int(in[0])%len(names)])
			in = in[1:]
		}
		cfg.IMEI, cfg.IMSI, cfg.ICCID, cfg.Platform, cfg.Band = testIMEI, "001010000000001", "8986", platformAddr, 8
		cfg.Out = func(b []byte) { outLen += len(b) }
		h.m = New(cfg, h.st)
		h.registered()
		coapReq := platformReq(t, message.Confirmable, 1, codes.POST, "/t/d", []byte("cmd"))
		sock := udpPkt(t, platformAddr, netip.AddrPortFrom(moduleAddr, 4000), []byte("dl"))
		events := []any{
			Radio{On: true}, Radio{On: false}, Registration{State: Registered}, Registration{State: NotRegistered},
			Registration{State: Denied, Cause: 15}, Connection{Connected: true}, Connection{}, PowerSaving{Entered: true},
			SendFailed{Reason: "x"}, Downlink{Data: coapReq}, Downlink{Data: sock}, Downlink{Data: []byte{0x45}},
		}
		for i, chunk := range bytes.Split(in, []byte{0}) {
			h.m.Input(chunk)
			h.m.Handle(events[(len(chunk)+i)%len(events)])
			h.st.now = h.st.now.Add(time.Minute)
			timers := h.st.timers
			h.st.timers = nil
			for _, tm := range timers {
				h.m.Handle(tm.ev)
			}
			if len(h.m.held) > maxHeld || len(h.m.urcs) > maxURCs || len(h.m.plat.buf) > maxBuffered || len(h.m.plat.seen) > dedupWindow {
				t.Fatalf("unbounded state: held %d urcs %d buf %d seen %d", len(h.m.held), len(h.m.urcs), len(h.m.plat.buf), len(h.m.plat.seen))
			}
			for _, s := range h.m.socks {
				if s != nil && (len(s.q) > maxSocketQueue || s.bytes > maxSocketBytes) {
					t.Fatalf("socket queue %d datagrams %d bytes", len(s.q), s.bytes)
				}
			}
		}
		if bound := 8192 + 400*len(in); outLen > bound {
			t.Fatalf("%d bytes of output for %d bytes of input", outLen, len(in))
		}
	})
}
