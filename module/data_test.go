package module

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/udp/coder"
)

func udpPkt(t *testing.T, src, dst netip.AddrPort, payload []byte) []byte {
	t.Helper()
	b, err := (&ippkt.UDP{Src: src, Dst: dst, Payload: payload}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseUDP(t *testing.T, b []byte) *ippkt.UDP {
	t.Helper()
	u, err := ippkt.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSockets(t *testing.T) {
	h := newHarness(t)
	h.expect("AT+CMEE=1\r", okS)
	h.expect("AT+NSOCR=DGRAM,17,4000,1\r", info("0"))
	h.expect("AT+NSOST=0,192.0.2.1,9,2,AB30\r", cme30) // not registered
	h.registered()
	remote := netip.MustParseAddrPort("192.0.2.1:5000")
	run(t, h, []step{
		{"AT+NSOCR=\"DGRAM\",17,4001\r", info("1")},
		{"AT+NSOCR=DGRAM,17,4000\r", cme3},  // port in use
		{"AT+NSOCR=DGRAM,17,56830\r", cme3}, // the CoAP port
		{"AT+NSOCR=STREAM,6,4002\r", cme4},
		{"AT+NSOCR=DGRAM,6,4002\r", cme4},
		{"AT+NSOCR=DGRAM,17,70000\r", cme50},
		{"AT+NSOCR=DGRAM,17,0\r", info("2")},
		{"AT+NSOST=0,192.0.2.1,5000,2,AB30\r", info("0,2")},
	})
	if len(h.st.sent) != 1 {
		t.Fatalf("%d packets sent", len(h.st.sent))
	}
	u := parseUDP(t, h.st.sent[0].data)
	if u.Src != netip.AddrPortFrom(moduleAddr, 4000) || u.Dst != remote || !bytes.Equal(u.Payload, []byte{0xab, 0x30}) || h.st.sent[0].rai != nas.DDXNoInformation {
		t.Errorf("sent %+v rai %d", u, h.st.sent[0].rai)
	}
	h.expect("AT+NSOCL=2\r", okS)
	// NSOSTF flags map to the release assistance indication
	for _, g := range []struct {
		flag string
		rai  nas.ReleaseAssistanceIndication
	}{{"0x000", nas.DDXNoInformation}, {"0x100", nas.DDXNoInformation}, {"0x200", nas.DDXNoFurtherData}, {"0x400", nas.DDXSingleDownlink}, {"0X200", nas.DDXNoFurtherData}} {
		h.st.sent = nil
		h.expect("AT+NSOSTF=1,192.0.2.1,5000,"+g.flag+",1,FF\r", info("1,1"))
		if len(h.st.sent) != 1 || h.st.sent[0].rai != g.rai {
			t.Errorf("flag %s: %+v", g.flag, h.st.sent)
		}
	}
	h.st.sent = nil
	max := strings.Repeat("5A", 512)
	run(t, h, []step{
		{"AT+NSOSTF=1,192.0.2.1,5000,0x600,1,FF\r", cme50},
		{"AT+NSOSTF=1,192.0.2.1,5000,0x800,1,FF\r", cme50},
		{"AT+NSOST=0,192.0.2.1,5000,512," + max + "\r", info("0,512")},
		{"AT+NSOST=0,192.0.2.1,5000,513," + max + "5A\r", cme50}, // over the limit
		{"AT+NSOST=0,192.0.2.1,5000,3,AB30\r", cme50},            // length mismatch
		{"AT+NSOST=0,192.0.2.1,5000,2,AB3\r", cme50},             // odd
		{"AT+NSOST=0,192.0.2.1,5000,2,AB3G\r", cme50},            // not hex
		{"AT+NSOST=0,192.0.2.300,5000,2,AB30\r", cme50},
		{"AT+NSOST=0,2001:db8::1,5000,2,AB30\r", cme50},
		{"AT+NSOST=0,192.0.2.1,0,2,AB30\r", cme50},
		{"AT+NSOST=5,192.0.2.1,5000,2,AB30\r", cme50}, // not open
		{"AT+NSOST=7,192.0.2.1,5000,2,AB30\r", cme50},
		{"AT+NSOST=0,192.0.2.1,5000,2,AB30,1\r", info("0,2")},
		{"AT+NSOST=0,192.0.2.1,5000,2,AB30,256\r", cme50},
	})
	if len(h.st.sent) != 2 || len(parseUDP(t, h.st.sent[0].data).Payload) != 512 {
		t.Fatalf("nothing may be sent by a refused command: %d sent", len(h.st.sent))
	}
	// downlink → +NSONMI, read in parts
	h.expectEv(Downlink{Data: udpPkt(t, remote, netip.AddrPortFrom(moduleAddr, 4000), []byte("hello"))}, "\r\n+NSONMI:0,5\r\n")
	h.expectEv(Downlink{Data: udpPkt(t, remote, netip.AddrPortFrom(moduleAddr, 4001), []byte{1, 2})}, "\r\n+NSONMI:1,2\r\n")
	h.expectEv(Downlink{Data: udpPkt(t, netip.MustParseAddrPort("198.51.100.2:7"), netip.AddrPortFrom(moduleAddr, 4000), []byte{9})}, "\r\n+NSONMI:0,1\r\n")
	run(t, h, []step{
		{"AT+NSORF=0,3\r", info("0,192.0.2.1,5000,3,68656C,2")},
		{"AT+NSORF=0,10\r", info("0,192.0.2.1,5000,2,6C6F,0")},
		{"AT+NSORF=0,10\r", info("0,198.51.100.2,7,1,09,0")},
		{"AT+NSORF=0,10\r", okS},
		{"AT+NSORF=1,512\r", info("1,192.0.2.1,5000,2,0102,0")},
		{"AT+NSORF=3,10\r", cme50},
		{"AT+NSOCL=0\r", okS},
		{"AT+NSOCL=0\r", cme50},
	})
	// no socket on the port: dropped and counted
	h.expectEv(Downlink{Data: udpPkt(t, remote, netip.AddrPortFrom(moduleAddr, 4000), []byte("x"))}, "")
	if h.m.Dropped() != 1 {
		t.Errorf("dropped %d", h.m.Dropped())
	}
	h.expectEv(Downlink{Data: []byte{0x45, 0}}, "")
	if h.m.Dropped() != 2 {
		t.Errorf("dropped %d", h.m.Dropped())
	}
	// receive control 0 drops
	h.expect("AT+NSOCR=DGRAM,17,4005,0\r", info("0"))
	h.expectEv(Downlink{Data: udpPkt(t, remote, netip.AddrPortFrom(moduleAddr, 4005), []byte("x"))}, "")
	// seven sockets at most
	for i := 2; i < MaxSockets; i++ {
		h.expect(fmt.Sprintf("AT+NSOCR=DGRAM,17,%d\r", 5000+i), info(fmt.Sprint(i)))
	}
	h.expect("AT+NSOCR=DGRAM,17,6000\r", cme3)
	// receive buffers are bounded
	for i := range maxSocketQueue + 3 {
		out := h.ev(Downlink{Data: udpPkt(t, remote, netip.AddrPortFrom(moduleAddr, 4001), []byte{byte(i)})})
		if (i < maxSocketQueue) != (out != "") {
			t.Fatalf("datagram %d: %q", i, out)
		}
	}
	// a Non-IP PDN has no sockets
	h.st.status.PDNType, h.st.status.Addr = PDNNonIP, netip.Addr{}
	h.expect("AT+NSOST=1,192.0.2.1,5000,1,FF\r", cme3)
}

func TestSocketURCDuringCommand(t *testing.T) {
	h := newHarness(t)
	h.registered()
	h.expect("AT+NSOCR=DGRAM,17,4000\r", info("0"))
	h.expect("AT+CFUN=0\r", "")
	h.expectEv(Downlink{Data: udpPkt(t, platformAddr, netip.AddrPortFrom(moduleAddr, 4000), []byte("x"))}, "")
	h.st.status.RadioOn = false
	h.expectEv(Radio{On: false}, okS+"\r\n+NSONMI:0,1\r\n")
}

func TestCSODCP(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+CGDCONT=1,\"NONIP\",\"iot\"\r", okS},
		{"AT+CSODCP=?\r", info("+CSODCP:(0-10),(512),(0-2),(0,1)")},
		{"AT+CSODCP=1,2,\"ABCD\"\r", cme30},
	})
	h.registered()
	h.st.status.PDNType, h.st.status.Addr = PDNNonIP, netip.Addr{}
	for rai, want := range []nas.ReleaseAssistanceIndication{nas.DDXNoInformation, nas.DDXNoFurtherData, nas.DDXSingleDownlink} {
		h.st.sent = nil
		h.expect(fmt.Sprintf("AT+CSODCP=1,2,\"ABCD\",%d,0\r", rai), okS)
		if len(h.st.sent) != 1 || !bytes.Equal(h.st.sent[0].data, []byte{0xab, 0xcd}) || h.st.sent[0].rai != want {
			t.Errorf("RAI %d: %+v", rai, h.st.sent)
		}
	}
	h.st.sent = nil
	run(t, h, []step{
		{"AT+CSODCP=1,2,ABCD\r", okS},
		{"AT+CSODCP=1,3,\"ABCD\"\r", cme50},
		{"AT+CSODCP=1,2,\"ABCD\",3\r", cme50},
		{"AT+CSODCP=1,2,\"ABCD\",0,2\r", cme50},
		{"AT+CSODCP=1,513,\"" + strings.Repeat("00", 513) + "\"\r", cme50},
		{"AT+CSODCP=2,2,\"ABCD\"\r", cme50},
		{"AT+CGDCONT=2,\"IP\"\r", okS},
		{"AT+CSODCP=2,2,\"ABCD\"\r", cme3},
		{"AT+CRTDCP?\r", info("+CRTDCP:0")},
		{"AT+CRTDCP=?\r", info("+CRTDCP:(0,1),(0-10),(512)")},
	})
	if len(h.st.sent) != 1 {
		t.Errorf("%d sent", len(h.st.sent))
	}
	h.expectEv(Downlink{Data: []byte{1, 2, 0xfe}}, "")
	h.expect("AT+CRTDCP=1\r", okS)
	h.expectEv(Downlink{Data: []byte{1, 2, 0xfe}}, "\r\n+CRTDCP:1,3,\"0102FE\"\r\n")
	h.expect("AT+CRTDCP?\r", info("+CRTDCP:1"))
	h.expect("AT+CRTDCP=2\r", cme50)
}

// platform is a CoAP request from the platform to the module.
func platformReq(t *testing.T, typ message.Type, mid int32, code codes.Code, path string, payload []byte) []byte {
	t.Helper()
	msg := message.Message{Type: typ, Code: code, MessageID: mid, Token: []byte{0xde, 0xad}, Payload: payload}
	if path != "" {
		buf := make([]byte, 32)
		opts, _, err := message.Options{}.SetPath(buf, path)
		if err != nil {
			t.Fatal(err)
		}
		msg.Options = opts
	}
	size, _ := coder.DefaultCoder.Size(msg)
	b := make([]byte, size)
	if _, err := coder.DefaultCoder.Encode(msg, b); err != nil {
		t.Fatal(err)
	}
	return udpPkt(t, platformAddr, netip.AddrPortFrom(moduleAddr, CoAPPort), b)
}

func decodeCoAP(t *testing.T, b []byte) (*ippkt.UDP, message.Message) {
	t.Helper()
	u := parseUDP(t, b)
	msg := message.Message{Options: make(message.Options, 0, 16)}
	if _, err := coder.DefaultCoder.Decode(u.Payload, &msg); err != nil {
		t.Fatal(err)
	}
	return u, msg
}

func TestNMGS(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+NCDP?\r", info("+NCDP:192.0.2.10,5683")},
		{"AT+NMSTATUS?\r", info("+NMSTATUS:UNINITIALISED")},
		{"AT+NMGS=2,ABCD\r", cme30},
	})
	h.registered()
	run(t, h, []step{
		{"AT+NMSTATUS?\r", info("+NMSTATUS:REGISTERED")},
		{"AT+NMGS=3,010203\r", okS},
		{"AT+NQMGS\r", info("PENDING=1,SENT=0,ERROR=0")},
	})
	if len(h.st.sent) != 1 {
		t.Fatalf("%d sent", len(h.st.sent))
	}
	u, msg := decodeCoAP(t, h.st.sent[0].data)
	if u.Src != netip.AddrPortFrom(moduleAddr, CoAPPort) || u.Dst != platformAddr {
		t.Errorf("NMGS from %v to %v", u.Src, u.Dst)
	}
	path, _ := msg.Options.Path()
	q, _ := msg.Options.Queries()
	cf, _ := msg.Options.ContentFormat()
	if msg.Type != message.Confirmable || msg.Code != codes.POST || path != "/t/d" || len(q) != 1 || q[0] != "ep="+testIMEI ||
		cf != message.AppOctets || !bytes.Equal(msg.Payload, []byte{1, 2, 3}) || len(msg.Token) == 0 {
		t.Errorf("NMGS message %v path %q query %q", msg.String(), path, q)
	}
	// the ACK from the platform
	ack := message.Message{Type: message.Acknowledgement, Code: codes.Changed, MessageID: msg.MessageID, Token: msg.Token}
	b := make([]byte, 32)
	n, _ := coder.DefaultCoder.Encode(ack, b)
	h.expectEv(Downlink{Data: udpPkt(t, platformAddr, u.Src, b[:n])}, "")
	run(t, h, []step{
		{"AT+NQMGS\r", info("PENDING=0,SENT=1,ERROR=0")},
		{"AT+NMSTATUS?\r", info("+NMSTATUS:MO_DATA_ENABLED")},
		{"AT+NMGS=512," + strings.Repeat("00", 512) + "\r", okS},
		{"AT+NMGS=513," + strings.Repeat("00", 513) + "\r", cme50},
		{"AT+NMGS=2,ABC\r", cme50},
		{"AT+NMGS=2,ABCDEF\r", cme50},
		{"AT+NMGS=2,XYZW\r", cme50},
		{"AT+NMGS=2\r", cme50},
		{"AT+NCDP=10.0.0.1\r", okS},
		{"AT+NCDP?\r", info("+NCDP:10.0.0.1,5683")},
		{"AT+NCDP=10.0.0.1,5684\r", okS},
		{"AT+NCDP?\r", info("+NCDP:10.0.0.1,5684")},
		{"AT+NCDP=nowhere\r", cme50},
		{"AT+NCDP=10.0.0.1,0\r", cme50},
	})
	if len(h.st.sent) != 2 {
		t.Errorf("%d sent", len(h.st.sent))
	}
	_, m2 := decodeCoAP(t, h.st.sent[1].data)
	if m2.MessageID == msg.MessageID || bytes.Equal(m2.Token, msg.Token) {
		t.Errorf("message ID or token reused")
	}
	// RST → error
	rst := message.Message{Type: message.Reset, Code: codes.Empty, MessageID: m2.MessageID}
	n, _ = coder.DefaultCoder.Encode(rst, b)
	h.expectEv(Downlink{Data: udpPkt(t, platformAddr, u.Src, b[:n])}, "")
	h.expect("AT+NQMGS\r", info("PENDING=0,SENT=1,ERROR=1"))
	h.expect("AT+NMSTATUS?\r", info("+NMSTATUS:REJECTED_BY_SERVER"))
	// Non-IP: no platform
	h.st.status.PDNType, h.st.status.Addr = PDNNonIP, netip.Addr{}
	h.expect("AT+NMGS=1,00\r", cme3)
	h.expect("AT+NMSTATUS?\r", info("+NMSTATUS:UNINITIALISED"))
	// no platform configured
	h2 := newHarness(t, func(c *Config) { c.Platform = netip.AddrPort{} })
	h2.registered()
	h2.expect("AT+CMEE=1\r", okS)
	h2.expect("AT+NCDP?\r", okS)
	h2.expect("AT+NMGS=1,00\r", "\r\n+CME ERROR: 512\r\n")
}

func TestPlatformDownlink(t *testing.T) {
	for _, g := range []struct {
		nnmi     int
		urc      string
		buffered bool
	}{
		{0, "", true},
		{1, "\r\n+NNMI:3,AABBCC\r\n", false},
		{2, "\r\n+NNMI\r\n", true},
	} {
		t.Run(fmt.Sprint("NNMI=", g.nnmi), func(t *testing.T) {
			h := newHarness(t)
			h.registered()
			h.expect(fmt.Sprintf("AT+NNMI=%d\r", g.nnmi), okS)
			h.expect("AT+NNMI?\r", info(fmt.Sprintf("+NNMI:%d", g.nnmi)))
			req := platformReq(t, message.Confirmable, 0x1234, codes.POST, "/t/d", []byte{0xaa, 0xbb, 0xcc})
			h.expectEv(Downlink{Data: req}, g.urc)
			if len(h.st.sent) != 1 {
				t.Fatalf("%d sent, want the ACK", len(h.st.sent))
			}
			u, ack := decodeCoAP(t, h.st.sent[0].data)
			if u.Src != netip.AddrPortFrom(moduleAddr, CoAPPort) || u.Dst != platformAddr ||
				ack.Type != message.Acknowledgement || ack.Code != codes.Changed || ack.MessageID != 0x1234 || !bytes.Equal(ack.Token, []byte{0xde, 0xad}) {
				t.Errorf("ACK %v from %v to %v", ack.String(), u.Src, u.Dst)
			}
			// a retransmission is acknowledged again, not delivered again
			h.expectEv(Downlink{Data: req}, "")
			if len(h.st.sent) != 2 || !bytes.Equal(h.st.sent[1].data, h.st.sent[0].data) {
				t.Errorf("duplicate not re-acknowledged: %d sent", len(h.st.sent))
			}
			if g.buffered {
				h.expect("AT+NQMGR\r", info("BUFFERED=1,RECEIVED=1,DROPPED=0"))
				h.expect("AT+NMGR\r", info("3,AABBCC"))
			}
			h.expect("AT+NMGR\r", okS)
			h.expect("AT+NQMGR\r", info("BUFFERED=0,RECEIVED=1,DROPPED=0"))
		})
	}
}

func TestPlatformDownlinkOther(t *testing.T) {
	h := newHarness(t)
	h.registered()
	// NON: delivered, not acknowledged
	h.expect("AT+NNMI=1\r", okS)
	h.expectEv(Downlink{Data: platformReq(t, message.NonConfirmable, 7, codes.POST, "/t/d", []byte{1})}, "\r\n+NNMI:1,01\r\n")
	if len(h.st.sent) != 0 {
		t.Errorf("NON answered")
	}
	// another path: 4.04, not delivered
	h.expectEv(Downlink{Data: platformReq(t, message.Confirmable, 8, codes.POST, "/x", []byte{1})}, "")
	if _, m := decodeCoAP(t, h.st.sent[0].data); m.Code != codes.NotFound {
		t.Errorf("answer %v", m.String())
	}
	h.expectEv(Downlink{Data: platformReq(t, message.Confirmable, 9, codes.GET, "/t/d", nil)}, "")
	if _, m := decodeCoAP(t, h.st.sent[1].data); m.Code != codes.MethodNotAllowed {
		t.Errorf("answer %v", m.String())
	}
	// CoAP ping → RST
	h.expectEv(Downlink{Data: platformReq(t, message.Confirmable, 10, codes.Empty, "", nil)}, "")
	if _, m := decodeCoAP(t, h.st.sent[2].data); m.Type != message.Reset || m.MessageID != 10 {
		t.Errorf("answer %v", m.String())
	}
	// not CoAP
	h.expectEv(Downlink{Data: udpPkt(t, platformAddr, netip.AddrPortFrom(moduleAddr, CoAPPort), []byte{0xff})}, "")
	if h.m.Dropped() != 1 {
		t.Errorf("dropped %d", h.m.Dropped())
	}
	// the buffer keeps the newest messages
	h.expect("AT+NNMI=0\r", okS)
	for i := range maxBuffered + 2 {
		h.ev(Downlink{Data: platformReq(t, message.NonConfirmable, int32(100+i), codes.POST, "/t/d", []byte{byte(i)})})
	}
	h.expect("AT+NQMGR\r", info(fmt.Sprintf("BUFFERED=%d,RECEIVED=%d,DROPPED=2", maxBuffered, maxBuffered+3)))
	h.expect("AT+NMGR\r", info("1,02"))
	h.expect("AT+NNMI=3\r", errS)
	h.expect("AT+NNMI=?\r", info("+NNMI:(0-2)"))
}

func TestNUESTATS(t *testing.T) {
	h := newHarness(t)
	h.registered()
	radio := []string{"Signal power:-953", "Total power:-802", "TX power:125", "TX time:1500", "RX time:7353",
		"Cell ID:1223629", "ECL:1", "SNR:31", "EARFCN:3740", "PCI:380", "RSRQ:-108"}
	h.expect("AT+NUESTATS\r", info(radio...))
	var rl []string
	for _, l := range radio {
		rl = append(rl, "NUESTATS:RADIO,"+l)
	}
	if rl[0] != "NUESTATS:RADIO,Signal power:-953" {
		t.Fatalf("RADIO line %q", rl[0])
	}
	h.expect("AT+NUESTATS=RADIO\r", info(rl...))
	cell := "NUESTATS:CELL,3740,380,1,-953,-108,-802,31"
	h.expect("AT+NUESTATS=CELL\r", info(cell))
	bler := []string{"NUESTATS:BLER,RLC UL BLER,12", "NUESTATS:BLER,MAC UL BLER,12", "NUESTATS:BLER,Total TX bytes,300", "NUESTATS:BLER,Total RX bytes,120"}
	h.expect("AT+NUESTATS=BLER\r", info(bler...))
	thp := []string{"NUESTATS:THP,RLC UL,1600", "NUESTATS:THP,RLC DL,130", "NUESTATS:THP,MAC UL,1600", "NUESTATS:THP,MAC DL,130"}
	h.expect("AT+NUESTATS=thp\r", info(thp...))
	all := append(append(append(rl, cell), bler...), thp...)
	h.expect("AT+NUESTATS=ALL\r", info(all...))
	h.st.status.Energy = Energy{
		Time:   map[string]time.Duration{"psm": 3 * time.Hour, "idle": 20 * time.Second, "connected-tx": 1500 * time.Millisecond},
		Charge: 0.1234, Messages: 4, PerMessage: 0.03085, BatteryYears: 12.345, BatteryMAh: 5000,
	}
	h.expect("AT+NUESTATS=ENERGY\r", info(
		"NUESTATS:ENERGY,PSM time,10800000", "NUESTATS:ENERGY,Idle time,20000", "NUESTATS:ENERGY,Connected RX time,0",
		"NUESTATS:ENERGY,Connected TX time,1500", "NUESTATS:ENERGY,Off time,0", "NUESTATS:ENERGY,Charge uAh,123",
		"NUESTATS:ENERGY,Messages,4", "NUESTATS:ENERGY,Charge per message uAh,31", "NUESTATS:ENERGY,Battery mAh,5000",
		"NUESTATS:ENERGY,Battery years,12.35"))
	h.expect("AT+NUESTATS=?\r", info("+NUESTATS:(RADIO,CELL,BLER,THP,ALL,ENERGY)"))
	h.expect("AT+NUESTATS=FOO\r", errS)
	// before any transmission and without a cell
	h.st.status = Status{}
	h.expect("AT+NUESTATS\r", info("Signal power:-32768", "Total power:-32768", "TX power:-32768", "TX time:0", "RX time:0",
		"Cell ID:0", "ECL:0", "SNR:-32768", "EARFCN:0", "PCI:0", "RSRQ:-32768"))
	h.expect("AT+NUESTATS=CELL\r", okS)
}

func TestBC95Config(t *testing.T) {
	h := newHarness(t)
	run(t, h, []step{
		{"AT+CMEE=1\r", okS},
		{"AT+NBAND?\r", info("+NBAND:8")},
		{"AT+NBAND=?\r", info("+NBAND:(1,3,5,8,20,28)")},
		{"AT+NBAND=8,20\r", okS},
		{"AT+NBAND?\r", info("+NBAND:8,20")},
		{"AT+NBAND=7\r", cme50},
		{"AT+NBAND=20\r", okS},
		{"AT+NCONFIG?\r", info("+NCONFIG:AUTOCONNECT,FALSE", "+NCONFIG:CR_0354_0338_SCRAMBLING,TRUE", "+NCONFIG:CR_0859_SI_AVOID,TRUE", "+NCONFIG:COMBINE_ATTACH,FALSE", "+NCONFIG:ENABLE_BIP,FALSE")},
		{"AT+NCONFIG=?\r", info("+NCONFIG:(AUTOCONNECT,(FALSE,TRUE))", "+NCONFIG:(CR_0354_0338_SCRAMBLING,(TRUE))", "+NCONFIG:(CR_0859_SI_AVOID,(TRUE))", "+NCONFIG:(COMBINE_ATTACH,(FALSE))", "+NCONFIG:(ENABLE_BIP,(FALSE))")},
		{"AT+NCONFIG=AUTOCONNECT,TRUE\r", okS},
		{"AT+NCONFIG=CR_0354_0338_SCRAMBLING,FALSE\r", cme4},
		{"AT+NCONFIG=CR_0354_0338_SCRAMBLING,TRUE\r", okS},
		{"AT+NCONFIG=FOO,TRUE\r", cme50},
		{"AT+NCONFIG=AUTOCONNECT,MAYBE\r", cme50},
		{"AT+NEARFCN=0,3741\r", okS},
		{"AT+NEARFCN?\r", info("+NEARFCN:0,3741")},
		{"AT+NEARFCN=1,3741\r", cme50},
	})
	// band 20 and EARFCN 3741 exclude the network (band 8, EARFCN 3740)
	h.st.status.RadioOn = true
	h.st.takeCalls()
	h.expect("AT+CGATT=1\r", okS)
	if c := h.st.takeCalls(); c != "" {
		t.Fatalf("attached outside the selected band: %q", c)
	}
	h.expect("AT+CEER\r", info("+CEER:no cell: the network is on band 8, not in AT+NBAND"))
	run(t, h, []step{
		{"AT+NBAND=8\r", cme3}, // radio on
		{"AT+NEARFCN=0,0\r", cme3},
	})
	h.st.status.RadioOn = false
	run(t, h, []step{{"AT+NBAND=8\r", okS}})
	h.st.status.RadioOn = true
	h.expect("AT+CGATT=1\r", okS)
	if c := h.st.takeCalls(); c != "" {
		t.Fatalf("attached on a locked-out EARFCN: %q", c)
	}
	h.st.status.RadioOn = false
	h.expect("AT+NEARFCN=0,0\r", okS)
	h.st.status.RadioOn = true
	h.expect("AT+CGATT=1\r", okS)
	if c := h.st.takeCalls(); c != `Attach(IP,"")` {
		t.Fatalf("calls %q", c)
	}
}

func TestNRB(t *testing.T) {
	h := newHarness(t)
	h.registered()
	run(t, h, []step{
		{"AT+CMEE=1;+CEREG=2;+NNMI=1\r", okS},
		{"AT+NSOCR=DGRAM,17,4000\r", info("0")},
		{"AT+NCONFIG=AUTOCONNECT,TRUE\r", okS},
		{"AT+NRB\r", "\r\nREBOOTING\r\n"},
	})
	if c := h.st.takeCalls(); c != "Power(false)" {
		t.Fatalf("calls %q", c)
	}
	h.expect("AT\r", "") // held, then lost in the reboot
	h.st.status = Status{}
	h.expectEv(Registration{State: NotRegistered}, "")
	h.expectEv(Radio{On: false}, "\r\nREBOOT_CAUSE_APPLICATION_AT\r\nnbsim NBSIM-BC95\r\n"+okS)
	if c := h.st.takeCalls(); c != "Power(true)" {
		t.Fatalf("AUTOCONNECT after reboot: %q", c)
	}
	// volatile settings are back to their defaults: echo on, CMEE 0, …
	run(t, h, []step{
		{"AT+CMEE?\r", "AT+CMEE?\r" + info("+CMEE:0")},
		{"ATE0\r", "ATE0\r" + okS},
		{"AT+CEREG?\r", info("+CEREG:0,0")},
		{"AT+NNMI?\r", info("+NNMI:0")},
		{"AT+NSOCL=0\r", errS},
		// … non-volatile ones are kept
		{"AT+NCONFIG?\r", info("+NCONFIG:AUTOCONNECT,TRUE", "+NCONFIG:CR_0354_0338_SCRAMBLING,TRUE", "+NCONFIG:CR_0859_SI_AVOID,TRUE", "+NCONFIG:COMBINE_ATTACH,FALSE", "+NCONFIG:ENABLE_BIP,FALSE")},
	})
	// radio already off: at once
	h.st.status = Status{}
	h.expect("AT+NRB\r", "\r\nREBOOTING\r\n\r\nREBOOT_CAUSE_APPLICATION_AT\r\nnbsim NBSIM-BC95\r\n"+okS)
}

func TestTrace(t *testing.T) {
	var tr []string
	h := newHarness(t, func(c *Config) {
		c.Trace = func(dir, text string) { tr = append(tr, dir+" "+text) }
	})
	h.expect("AT+CGMI\r", info("nbsim"))
	want := []string{"in ATE0", "out OK", "in AT+CGMI", "out nbsim", "out OK"}
	if strings.Join(tr, "|") != strings.Join(want, "|") {
		t.Errorf("trace %q", tr)
	}
}
