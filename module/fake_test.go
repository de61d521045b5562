package module

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
)

// fakeStack records what the module asks of it; tests set its Status and
// pass events to the module by hand.
type fakeStack struct {
	now     time.Time
	status  Status
	calls   []string
	sent    []sent
	psm     []epc.PSMRequest
	edrx    []epc.EDRXRequest
	sendErr error
	timers  []timer
}

// timer is an After the module asked for; tests fire it by hand.
type timer struct {
	at time.Time
	ev any
}

type sent struct {
	data []byte
	rai  nas.ReleaseAssistanceIndication
}

func (f *fakeStack) Now() time.Time { return f.now }
func (f *fakeStack) After(d time.Duration, ev any) {
	f.timers = append(f.timers, timer{f.now.Add(d), ev})
}
func (f *fakeStack) Power(on bool) { f.calls = append(f.calls, fmt.Sprintf("Power(%v)", on)) }
func (f *fakeStack) Attach(p PDN) {
	f.calls = append(f.calls, fmt.Sprintf("Attach(%v,%q)", p.Type, p.APN))
}
func (f *fakeStack) Detach() { f.calls = append(f.calls, "Detach") }
func (f *fakeStack) SetPSM(r epc.PSMRequest) {
	f.calls = append(f.calls, "SetPSM")
	f.psm = append(f.psm, r)
}
func (f *fakeStack) SetEDRX(r epc.EDRXRequest) {
	f.calls = append(f.calls, "SetEDRX")
	f.edrx = append(f.edrx, r)
}
func (f *fakeStack) Send(data []byte, rai nas.ReleaseAssistanceIndication) error {
	if f.sendErr != nil {
		return f.sendErr
	}
	f.sent = append(f.sent, sent{append([]byte(nil), data...), rai})
	return nil
}
func (f *fakeStack) Status() Status { return f.status }

// takeCalls returns the calls since the last take.
func (f *fakeStack) takeCalls() string {
	s := strings.Join(f.calls, " ")
	f.calls = nil
	return s
}

var (
	moduleAddr   = netip.MustParseAddr("10.45.0.7")
	platformAddr = netip.MustParseAddrPort("192.0.2.10:5683")
	testIMEI     = "490154203237518"
)

type harness struct {
	t   *testing.T
	st  *fakeStack
	m   *Module
	out strings.Builder
}

// newHarness is a module with echo off and AUTOCONNECT off, radio off.
func newHarness(t *testing.T, opts ...func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, st: &fakeStack{now: time.Date(2024, 3, 9, 14, 5, 7, 0, time.FixedZone("CET", 3600))}}
	cfg := DefaultConfig()
	cfg.IMEI, cfg.IMSI, cfg.ICCID = testIMEI, "001010123456789", "89860000000000000001"
	cfg.Band, cfg.EARFCN = 8, 3740
	cfg.Platform = platformAddr
	cfg.AutoConnect = false
	cfg.Out = func(b []byte) { h.out.Write(b) }
	for _, o := range opts {
		o(&cfg)
	}
	h.m = New(cfg, h.st)
	if cfg.AutoConnect {
		return h
	}
	h.expect("ATE0\r", "ATE0\r\r\nOK\r\n")
	return h
}

// take returns the output since the last take.
func (h *harness) take() string {
	s := h.out.String()
	h.out.Reset()
	return s
}

func (h *harness) in(s string) string {
	h.m.Input([]byte(s))
	return h.take()
}

func (h *harness) ev(e any) string {
	h.m.Handle(e)
	return h.take()
}

func (h *harness) expect(in, want string) {
	h.t.Helper()
	if got := h.in(in); got != want {
		h.t.Errorf("%q:\n got %q\nwant %q", in, got, want)
	}
}

func (h *harness) expectEv(e any, want string) {
	h.t.Helper()
	if got := h.ev(e); got != want {
		h.t.Errorf("%#v:\n got %q\nwant %q", e, got, want)
	}
}

// registered puts the stack into a registered state on an IP PDN.
func (h *harness) registered() {
	h.st.status = Status{
		RadioOn: true, Reg: Registered, PDNType: PDNIP, Addr: moduleAddr,
		MCC: "001", MNC: "01", TAC: 0x00C3, CellID: 0x12ABCD, PCI: 380, EARFCN: 3740, Band: 8,
		RSRP: -95.3, RSRQ: -10.8, SINR: 3.1, RSSI: -80.2, CELevel: 1, TxPower: 12.5,
		TxTime: 1500 * time.Millisecond, RxTime: 7353 * time.Millisecond, TxBytes: 300, RxBytes: 120, BLER: 0.012,
	}
}

// ok is "\r\nOK\r\n"; info frames response lines and OK.
const okS = "\r\nOK\r\n"

func info(lines ...string) string { return "\r\n" + strings.Join(lines, "\r\n") + "\r\n" + okS }

// bc95Description is ATI's profile line of the bc95 profile.
const bc95Description = "BC95-class AT command set (Quectel BC95/BC28/BC35-G), 3GPP TS 27.007 core"
