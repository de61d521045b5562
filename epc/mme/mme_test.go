package mme

import (
	"bytes"
	"encoding/hex"
	"errors"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/uenas"
)

// TS 35.208 test set 1 keys, as in testdata/hss/subscribers.yaml.
const (
	imsi1 = "001010123456789"
	k1    = "465b5ce8b199b49faa5f0a2ee238a6bc"
	opc1  = "cd63cb71954a9f4e48a5994e37a02baf"
)

func key(t *testing.T, s string) [16]byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 16 {
		t.Fatalf("bad key %q", s)
	}
	return [16]byte(b)
}

type seeded struct{ r *mrand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

func newMME(t testing.TB, cfg Config) *MME {
	t.Helper()
	h, err := hss.Load("../../testdata/hss/subscribers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cfg, h, seeded{mrand.NewChaCha8([32]byte{1})})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// link runs messages between a device and the MME until neither has more
// to say, and returns the effects other than SendNAS.
type link struct {
	t   *testing.T
	m   *MME
	d   *uenas.Device
	id  UEID
	now time.Duration
}

func (l *link) up(b []byte) []Effect {
	l.t.Helper()
	var other []Effect
	queue := [][]byte{b}
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		for _, e := range l.m.HandleNAS(l.id, msg, l.now) {
			other = append(other, l.effect(e, &queue)...)
		}
	}
	return other
}

func (l *link) effect(e Effect, queue *[][]byte) []Effect {
	l.t.Helper()
	s, ok := e.(SendNAS)
	if !ok {
		return []Effect{e}
	}
	reply, err := l.d.Handle(s.NAS)
	if err != nil {
		l.t.Fatalf("device on %s: %v", s.Msg, err)
	}
	if reply != nil {
		*queue = append(*queue, reply)
	}
	return nil
}

func attach(t *testing.T, m *MME, d *uenas.Device) *link {
	t.Helper()
	l := &link{t: t, m: m, d: d, id: m.Connect()}
	req, err := d.AttachRequest()
	if err != nil {
		t.Fatal(err)
	}
	l.up(req)
	return l
}

// The full life of an NB-IoT device: attach with AKA and security mode,
// PSM granted differently from the request, data over NAS with RAI ending
// the connection, downlink held while the device is in PSM and delivered
// when it next connects; and a page when it is still reachable.
func TestAttachDataPSMDownlink(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PSM = epc.PSMPolicy{Policy: epc.Clamp, T3324Max: 60 * time.Second, T3412Max: 12 * time.Hour}
	m := newMME(t, cfg)
	d, err := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	if err != nil {
		t.Fatal(err)
	}
	d.PSM = epc.PSMRequest{Enabled: true, T3324: 5 * time.Minute, T3412: 24 * time.Hour}
	l := attach(t, m, d)
	if !d.Registered || d.Rejected != nil {
		t.Fatalf("not registered: %v", d.Rejected)
	}
	if d.T3324 != time.Minute || d.T3412 != 12*time.Hour {
		t.Errorf("granted T3324 %v T3412 %v, want the clamped 1m and 12h", d.T3324, d.T3412)
	}
	if !d.Addr.IsValid() {
		t.Error("no PDN address")
	}
	if m.C.Attaches != 1 {
		t.Errorf("attaches %d", m.C.Attaches)
	}

	// Uplink data with RAI "no further data": delivered, then released.
	b, err := d.Data([]byte("temp=21.5"), nas.DDXNoFurtherData)
	if err != nil {
		t.Fatal(err)
	}
	eff := l.up(b)
	var delivered, released bool
	for _, e := range eff {
		switch x := e.(type) {
		case Deliver:
			delivered = bytes.Equal(x.Data, []byte("temp=21.5")) && x.Src == d.Addr && x.IMSI == imsi1
		case Release:
			released = true
		}
	}
	if !delivered || !released {
		t.Fatalf("effects %#v: want the data delivered and the connection released", eff)
	}
	m.Released(l.id, l.now)

	// Within the active time the device is paged for downlink data.
	l.now = 30 * time.Second
	if eff := m.HandleDownlink(imsi1, []byte("cmd1"), l.now); len(eff) != 1 {
		t.Fatalf("downlink while reachable: %#v, want a page", eff)
	} else if _, ok := eff[0].(Page); !ok {
		t.Fatalf("downlink while reachable: %#v, want a page", eff)
	}
	// The device answers the page with a control-plane service request and
	// gets the data.
	l.id2(t)
	sr, _ := d.ServiceRequest(nil, 0)
	l.up(sr)
	if len(d.Received) != 1 || string(d.Received[0]) != "cmd1" {
		t.Fatalf("received %q", d.Received)
	}
	m.Released(l.id, l.now)

	// In PSM (after T3324) nothing is paged: the data waits.
	l.now = 10 * time.Minute
	if eff := m.HandleDownlink(imsi1, []byte("cmd2"), l.now); len(eff) != 0 {
		t.Fatalf("downlink in PSM: %#v, want it held", eff)
	}
	if len(d.Received) != 1 {
		t.Fatal("delivered while in PSM")
	}
	// Next report from idle: a control plane service request with data; the
	// held downlink is delivered after it.
	l.now = time.Hour
	l.id2(t)
	sr, err = d.ServiceRequest([]byte("temp=22.0"), nas.DDXSingleDownlink)
	if err != nil {
		t.Fatal(err)
	}
	eff = l.up(sr)
	if len(d.Received) != 2 || string(d.Received[1]) != "cmd2" {
		t.Fatalf("received %q: the held downlink should follow the next uplink", d.Received)
	}
	released = false
	for _, e := range eff {
		if _, ok := e.(Release); ok {
			released = true
		}
	}
	if !released {
		t.Error("RAI single downlink: no release after the downlink")
	}
	m.Released(l.id, l.now)

	// Data held longer than the buffer time is dropped with a cause.
	m.HandleDownlink(imsi1, []byte("cmd3"), l.now+10*time.Minute)
	l.now += 3 * time.Hour
	l.id2(t)
	sr, _ = d.ServiceRequest([]byte("temp=23.0"), nas.DDXNoFurtherData)
	var expired bool
	for _, e := range l.up(sr) {
		if x, ok := e.(Dropped); ok && x.Cause == "mt_buffer_expired" {
			expired = true
		}
	}
	if !expired || len(d.Received) != 2 {
		t.Errorf("expired %v, received %q", expired, d.Received)
	}
}

// id2 opens a new S1 association for the same device (a new connection).
func (l *link) id2(t *testing.T) {
	t.Helper()
	u, ok := l.m.UE(imsi1)
	if !ok {
		t.Fatal("no context")
	}
	// The MME finds the device's context again through its identity; the
	// test keeps the MME UE S1AP ID (the S1AP layer maps S-TMSI to it).
	l.id = u.ID
}

// An IMSI the HSS does not know is rejected (EMM cause #8).
func TestUnknownIMSIRejected(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New("999990000000001", key(t, k1), key(t, opc1), "001", "01")
	attach(t, m, d)
	if d.Registered || !errors.Is(d.Rejected, uenas.ErrRejected) {
		t.Fatalf("registered %v, rejected %v", d.Registered, d.Rejected)
	}
	if m.C.Rejected["unknown_imsi"] != 1 {
		t.Errorf("counters %v", m.C.Rejected)
	}
}

// A device with the wrong key fails authentication: the network's AUTN does
// not verify (MAC failure, #20) and the MME sends Authentication Reject.
func TestWrongKeyFailsAuthentication(t *testing.T) {
	m := newMME(t, DefaultConfig())
	wrong := key(t, k1)
	wrong[0] ^= 1
	d, _ := uenas.New(imsi1, wrong, key(t, opc1), "001", "01")
	attach(t, m, d)
	if d.Registered || d.Rejected == nil {
		t.Fatalf("registered %v, rejected %v", d.Registered, d.Rejected)
	}
	if m.C.Rejected["auth_failure_20"] != 1 {
		t.Errorf("counters %v, want one MAC failure", m.C.Rejected)
	}
}

// After security mode, unprotected, tampered and replayed messages are
// discarded and counted, and change nothing.
func TestSecurityDiscards(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	l := attach(t, m, d)
	if !d.Registered {
		t.Fatal("attach failed")
	}
	good, err := d.Data([]byte("x"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if eff := l.up(good); len(eff) != 1 {
		t.Fatalf("first copy: %#v", eff)
	}
	// Replay of the same protected message.
	if eff := l.up(good); len(eff) != 0 {
		t.Fatalf("replay accepted: %#v", eff)
	}
	// Tampered payload.
	next, _ := d.Data([]byte("y"), 0)
	next[len(next)-1] ^= 0xff
	if eff := l.up(next); len(eff) != 0 {
		t.Fatalf("tampered message accepted: %#v", eff)
	}
	// Unprotected ESM data.
	plain, _ := (&nas.ESMDataTransport{ESMHeader: nas.ESMHeader{EBI: 5}, UserData: []byte("z")}).Marshal()
	if eff := l.up(plain); len(eff) != 0 {
		t.Fatalf("unprotected message accepted: %#v", eff)
	}
	want := map[string]int64{"replay": 1, "integrity": 1, "unprotected": 1}
	for k, v := range want {
		if m.C.Discarded[k] != v {
			t.Errorf("discarded[%s] = %d, want %d (all: %v)", k, m.C.Discarded[k], v, m.C.Discarded)
		}
	}
}

// The network refuses PSM under a refuse policy: the device learns it from
// the accept (no T3324).
func TestPSMRefused(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PSM.Policy = epc.Refuse
	m := newMME(t, cfg)
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	d.PSM = epc.PSMRequest{Enabled: true, T3324: 10 * time.Second, T3412: 24 * time.Hour}
	d.EDRX = epc.EDRXRequest{Enabled: true, Cycle: 81920 * time.Millisecond, PTW: 5120 * time.Millisecond}
	attach(t, m, d)
	if !d.Registered || d.PSMGranted {
		t.Fatalf("registered %v, PSM granted %v", d.Registered, d.PSMGranted)
	}
	if d.EDRXCycle != 81920*time.Millisecond || d.PTW != 5120*time.Millisecond {
		t.Errorf("eDRX %v / %v", d.EDRXCycle, d.PTW)
	}
}

// Attaches per second through the MME, encoded (every NAS message marshalled
// and parsed, AKA and security mode included); the device side's work is in
// the loop too.
func BenchmarkAttach(b *testing.B) {
	m := newMME(&testing.T{}, DefaultConfig())
	d, _ := uenas.New(imsi1, key(&testing.T{}, k1), key(&testing.T{}, opc1), "001", "01")
	t := &testing.T{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := attach(t, m, d)
		if !d.Registered {
			b.Fatal("attach failed")
		}
		m.ues.drop(l.id)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "attaches/s")
}

// Data-over-NAS messages per second through the MME (unprotect, parse,
// deliver); the messages are protected beforehand.
func BenchmarkUplinkData(b *testing.B) {
	t := &testing.T{}
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	l := attach(t, m, d)
	msgs := make([][]byte, b.N)
	payload := bytes.Repeat([]byte{0x42}, 50)
	for i := range msgs {
		msgs[i], _ = d.Data(payload, 0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if eff := m.HandleNAS(l.id, msgs[i], 0); len(eff) != 1 {
			b.Fatalf("effects %v", eff)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// A user-plane SERVICE REQUEST: the short MAC is checked, the eNodeB is
// asked to set up the bearer, and a replay is discarded.
func TestServiceRequestUserPlane(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	l := attach(t, m, d)
	m.Released(l.id, 0)
	sr, err := d.ServiceRequestUP()
	if err != nil {
		t.Fatal(err)
	}
	eff := m.HandleNAS(l.id, sr, time.Second)
	if len(eff) != 1 {
		t.Fatalf("effects %#v", eff)
	}
	if _, ok := eff[0].(SetupContext); !ok {
		t.Fatalf("effects %#v, want SetupContext", eff)
	}
	if eff := m.HandleNAS(l.id, sr, 2*time.Second); len(eff) != 0 || m.C.Discarded["replay"] != 1 {
		t.Fatalf("replayed service request: %#v, discarded %v", eff, m.C.Discarded)
	}
}

// A periodic TAU repeats the grants, eDRX included (the device keeps them).
func TestTAUKeepsGrants(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	d.PSM = epc.PSMRequest{Enabled: true, T3324: 10 * time.Second, T3412: 24 * time.Hour}
	d.EDRX = epc.EDRXRequest{Enabled: true, Cycle: 81920 * time.Millisecond, PTW: 5120 * time.Millisecond}
	l := attach(t, m, d)
	m.Released(l.id, 0)
	tau, err := d.TAURequest()
	if err != nil {
		t.Fatal(err)
	}
	l.up(tau)
	if !d.PSMGranted || d.T3324 != 10*time.Second || d.T3412 != 24*time.Hour || d.EDRXCycle != 81920*time.Millisecond {
		t.Errorf("after TAU: PSM %v T3324 %v T3412 %v eDRX %v", d.PSMGranted, d.T3324, d.T3412, d.EDRXCycle)
	}
}

// Downlink data that arrives after the MME asked for the release (RAI) but
// before the release completes is not sent into the dying connection: it
// is held and paged for once the UE is idle.
func TestDownlinkDuringRelease(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	l := attach(t, m, d)
	b, _ := d.Data([]byte("x"), nas.DDXNoFurtherData)
	l.up(b)
	if eff := m.HandleDownlink(imsi1, []byte("reply"), l.now); len(eff) != 0 {
		t.Fatalf("downlink during release: %v, want it held", eff)
	}
	if eff := m.AfterRelease(l.id, l.now); len(eff) != 0 {
		t.Fatalf("AfterRelease before the release completed: %v", eff)
	}
	m.Released(l.id, l.now)
	eff := m.AfterRelease(l.id, l.now)
	if len(eff) != 1 || eff[0] != (Page{imsi1}) {
		t.Fatalf("after release: %v, want a page", eff)
	}
	// The UE answers the page; the held data is delivered.
	sr, _ := d.ServiceRequest(nil, 0)
	l.up(sr)
	if len(d.Received) != 1 || string(d.Received[0]) != "reply" {
		t.Fatalf("received %q", d.Received)
	}
}

// A UE the MME has lost (here: a new MME, as after a restart) asks for
// service: SERVICE REJECT #9, and the device, deregistered, attaches again.
func TestUnknownUEServiceReject(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	attach(t, m, d)
	restarted := newMME(t, DefaultConfig())
	l := &link{t: t, m: restarted, d: d, id: restarted.Connect()}
	for _, tc := range []struct {
		name string
		msg  func() ([]byte, error)
	}{
		{"control plane service request", func() ([]byte, error) { return d.ServiceRequest([]byte("x"), 0) }},
		{"tracking area update", d.TAURequest},
		{"service request", d.ServiceRequestUP},
	} {
		d.Registered, d.Reattach = true, false
		b, err := tc.msg()
		if err != nil {
			t.Fatal(err)
		}
		eff := l.up(b)
		if len(eff) != 1 {
			t.Fatalf("%s: effects %v, want one release", tc.name, eff)
		}
		if _, ok := eff[0].(Release); !ok {
			t.Fatalf("%s: effects %v, want one release", tc.name, eff)
		}
		if d.Registered || !d.Reattach || d.LastReject == nil || !strings.Contains(d.LastReject.Error(), "#9") {
			t.Fatalf("%s: device registered=%v reattach=%v reject=%v", tc.name, d.Registered, d.Reattach, d.LastReject)
		}
		if err := m.C.Rejected["ue_identity_cannot_be_derived"]; err != 0 {
			t.Fatal("the old MME counted it")
		}
		// Keep the device's security context for the next message.
		d2, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
		*d = *d2
		attach(t, m, d)
	}
	if n := restarted.C.Rejected["ue_identity_cannot_be_derived"]; n != 3 {
		t.Fatalf("counted %d rejects, want 3", n)
	}
	// The device attaches again at the new MME.
	attach(t, restarted, d)
	if !d.Registered {
		t.Fatal("re-attach failed")
	}
}
