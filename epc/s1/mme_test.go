package s1

import (
	"fmt"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/gpp"
)

type seeded struct{ r *mrand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

var testPLMN = gpp.MustPLMN("001", "01")

// newTestServer is an MMEServer on the default HSS; uplink data goes to
// the returned channel.
func newTestServer(t testing.TB) (*MMEServer, *hss.Store, chan mme.Deliver) {
	t.Helper()
	h, err := hss.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, ch := newTestServerHSS(t, h)
	return s, h, ch
}

// newTestServerHSS is newTestServer on h.
func newTestServerHSS(t testing.TB, h *hss.Store) (*MMEServer, chan mme.Deliver) {
	t.Helper()
	mcfg := mme.DefaultConfig()
	m, err := mme.New(mcfg, h, seeded{mrand.NewChaCha8([32]byte{7})})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewMMEServer(m, mcfg, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan mme.Deliver, 1000)
	s.OnDeliver = func(d mme.Deliver) { ch <- d }
	return s, ch
}

func newDevice(t testing.TB, h *hss.Store, n int) *uenas.Device {
	t.Helper()
	imsi := fmt.Sprintf("0010100%08d", 1+n)
	sub, ok := h.Lookup(imsi)
	if !ok {
		t.Fatalf("%s not in the HSS", imsi)
	}
	d, err := uenas.New(imsi, sub.K, sub.OPc, "001", "01")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fakeENB drives an MMEServer at the PDU level: it relays Downlink NAS
// Transport to devices and their answers back, and collects the rest.
type fakeENB struct {
	t    testing.TB
	s    *MMEServer
	id   EnbID
	tac  uint16
	now  time.Duration
	devs map[uint32]*uenas.Device // by eNB UE S1AP ID
	mme  map[uint32]uint32        // eNB UE S1AP ID → MME UE S1AP ID
	rec  func(pdu []byte)         // if set, sees every PDU sent
}

func newFakeENB(t testing.TB, s *MMEServer, id EnbID, tac uint16) *fakeENB {
	return &fakeENB{t: t, s: s, id: id, tac: tac, devs: map[uint32]*uenas.Device{}, mme: map[uint32]uint32{}}
}

func (f *fakeENB) tai() s1ap.TAI { return s1ap.TAI{PLMN: testPLMN, TAC: f.tac} }

// raw hands a PDU to the server and returns the parsed answers.
func (f *fakeENB) raw(pdu []byte) ([]s1ap.Message, error) {
	f.t.Helper()
	if f.rec != nil {
		f.rec(pdu)
	}
	outs, err := f.s.HandleS1AP(f.id, pdu, f.now)
	var msgs []s1ap.Message
	for _, o := range outs {
		m, perr := s1ap.Parse(o.PDU)
		if perr != nil {
			f.t.Fatalf("server sent an undecodable PDU: %v", perr)
		}
		wantStream := StreamUE
		switch m.(type) {
		case *s1ap.S1SetupResponse, *s1ap.S1SetupFailure, *s1ap.Paging, *s1ap.ResetAcknowledge:
			wantStream = StreamNonUE
		case *s1ap.ErrorIndication:
			wantStream = o.Stream
		}
		if o.Stream != wantStream {
			f.t.Errorf("%T on stream %d, want %d", m, o.Stream, wantStream)
		}
		if o.Enb != f.id {
			f.t.Errorf("%T to eNB %d, want %d", m, o.Enb, f.id)
		}
		msgs = append(msgs, m)
	}
	return msgs, err
}

// send runs m and the NAS exchanges it starts to the end; it returns the
// messages other than Downlink NAS Transport.
func (f *fakeENB) send(m s1ap.Message) []s1ap.Message {
	f.t.Helper()
	b, err := m.Marshal()
	if err != nil {
		f.t.Fatal(err)
	}
	msgs, err := f.raw(b)
	if err != nil {
		f.t.Logf("server: %v", err)
	}
	var other []s1ap.Message
	for _, m := range msgs {
		dl, ok := m.(*s1ap.DownlinkNASTransport)
		if !ok {
			other = append(other, m)
			continue
		}
		d := f.devs[dl.ENBUES1APID]
		if d == nil {
			f.t.Fatalf("downlink NAS for unknown eNB UE S1AP ID %d", dl.ENBUES1APID)
		}
		f.mme[dl.ENBUES1APID] = dl.MMEUES1APID
		reply, err := d.Handle(dl.NASPDU)
		if err != nil {
			f.t.Fatalf("device: %v", err)
		}
		if reply != nil {
			other = append(other, f.send(&s1ap.UplinkNASTransport{MMEUES1APID: dl.MMEUES1APID, ENBUES1APID: dl.ENBUES1APID,
				NASPDU: reply, TAI: f.tai(), EUTRANCGI: s1ap.EUTRANCGI{PLMN: testPLMN, CellID: 0x101}})...)
		}
	}
	return other
}

func (f *fakeENB) setup(plmn s1ap.PLMN) []s1ap.Message {
	nb := s1ap.RATTypeNBIoT
	return f.send(&s1ap.S1SetupRequest{
		GlobalENBID:      s1ap.GlobalENBID{PLMN: plmn, Kind: s1ap.MacroENB, ID: uint32(f.id)},
		SupportedTAs:     []s1ap.SupportedTA{{TAC: f.tac, BroadcastPLMNs: []s1ap.PLMN{plmn}, RATType: &nb}},
		DefaultPagingDRX: s1ap.PagingDRX128,
	})
}

func (f *fakeENB) initial(enbUE uint32, d *uenas.Device, b []byte, stmsi *s1ap.STMSI) []s1ap.Message {
	f.devs[enbUE] = d
	return f.send(&s1ap.InitialUEMessage{ENBUES1APID: enbUE, NASPDU: b, TAI: f.tai(),
		EUTRANCGI: s1ap.EUTRANCGI{PLMN: testPLMN, CellID: 0x101}, RRCEstablishmentCause: s1ap.RRCMOSignalling, STMSI: stmsi})
}

func one[T s1ap.Message](t testing.TB, msgs []s1ap.Message) T {
	t.Helper()
	var zero T
	if len(msgs) != 1 {
		t.Fatalf("got %d messages %#v, want one %T", len(msgs), msgs, zero)
	}
	m, ok := msgs[0].(T)
	if !ok {
		t.Fatalf("got %#v, want %T", msgs[0], zero)
	}
	return m
}

func TestS1Setup(t *testing.T) {
	s, _, _ := newTestServer(t)
	f := newFakeENB(t, s, 1, 1)
	resp := one[*s1ap.S1SetupResponse](t, f.setup(testPLMN))
	if len(resp.ServedGUMMEIs) != 1 || resp.ServedGUMMEIs[0].PLMNs[0] != testPLMN ||
		resp.ServedGUMMEIs[0].MMECs[0] != 1 || resp.ServedGUMMEIs[0].GroupIDs[0] != 1 || resp.RelativeMMECapacity != 127 {
		t.Errorf("response %+v", resp)
	}
	other := newFakeENB(t, s, 2, 1)
	fail := one[*s1ap.S1SetupFailure](t, other.setup(gpp.MustPLMN("999", "99")))
	if fail.Cause != s1ap.CauseMiscUnknownPLMN {
		t.Errorf("failure cause %v, want misc unknown-PLMN", fail.Cause)
	}
	if s.C.Setups != 1 || s.C.SetupFailures != 1 || s.C.ENBs != 1 {
		t.Errorf("counters %v", s.C)
	}
	// Before S1 Setup nothing else is accepted.
	_, h, _ := newTestServer(t)
	d := newDevice(t, h, 0)
	b, _ := d.AttachRequest()
	ei := one[*s1ap.ErrorIndication](t, other.initial(1, d, b, nil))
	if ei.Cause == nil || ei.Cause.Group != s1ap.CauseGroupProtocol {
		t.Errorf("error indication %+v", ei)
	}
}

// The life of a device at the PDU level: attach inside Initial UE Message
// and Uplink/Downlink NAS Transport, data with RAI ending the connection
// with a UE Context Release Command, a page for downlink data after the
// release, the service request with the S-TMSI, a release asked by the eNB.
func TestAttachDataReleasePaging(t *testing.T) {
	s, h, delivered := newTestServer(t)
	f := newFakeENB(t, s, 1, 1)
	one[*s1ap.S1SetupResponse](t, f.setup(testPLMN))
	far := newFakeENB(t, s, 2, 7) // another tracking area: not paged
	one[*s1ap.S1SetupResponse](t, far.setup(testPLMN))
	near := newFakeENB(t, s, 3, 1) // same tracking area: paged too
	one[*s1ap.S1SetupResponse](t, near.setup(testPLMN))

	d := newDevice(t, h, 41)
	b, err := d.AttachRequest()
	if err != nil {
		t.Fatal(err)
	}
	if rest := f.initial(5, d, b, nil); len(rest) != 0 {
		t.Fatalf("attach: unexpected %#v", rest)
	}
	if !d.Registered || d.Rejected != nil {
		t.Fatalf("not registered: %v", d.Rejected)
	}
	u, ok := s.MME.UE(d.IMSI)
	if !ok || uint32(u.ID) != f.mme[5] {
		t.Fatalf("MME context %v, MME UE S1AP ID %d", u, f.mme[5])
	}
	if s.MME.C.Attaches != 1 || s.C.Connected != 1 || s.C.InitialUE != 1 {
		t.Fatalf("attaches %d, counters %v", s.MME.C.Attaches, s.C)
	}

	// Data with RAI "no further data": delivered, then released.
	b, _ = d.Data([]byte("temp=21.5"), nas.DDXNoFurtherData)
	cmd := one[*s1ap.UEContextReleaseCommand](t, f.send(&s1ap.UplinkNASTransport{MMEUES1APID: f.mme[5], ENBUES1APID: 5, NASPDU: b, TAI: f.tai()}))
	if cmd.Cause != s1ap.CauseNASNormalRelease || cmd.UES1APIDs.MMEUES1APID != f.mme[5] || cmd.UES1APIDs.ENBUES1APID == nil || *cmd.UES1APIDs.ENBUES1APID != 5 {
		t.Errorf("release command %+v", cmd)
	}
	select {
	case del := <-delivered:
		if string(del.Data) != "temp=21.5" || del.IMSI != d.IMSI || del.Src != d.Addr {
			t.Errorf("delivered %+v", del)
		}
	default:
		t.Fatal("nothing delivered")
	}
	if rest := f.send(&s1ap.UEContextReleaseComplete{MMEUES1APID: f.mme[5], ENBUES1APID: 5}); len(rest) != 0 {
		t.Fatalf("release complete answered %#v", rest)
	}
	if s.C.Connected != 0 || s.C.ReleaseCompletes != 1 {
		t.Fatalf("counters after release %v", s.C)
	}
	// A late second Complete changes nothing.
	f.send(&s1ap.UEContextReleaseComplete{MMEUES1APID: f.mme[5], ENBUES1APID: 5})
	if s.C.Connected != 0 || s.C.ReleaseCompletes != 1 {
		t.Fatalf("counters after a repeated complete %v", s.C)
	}

	// Downlink data for the idle device: Paging to the eNBs of TAC 1.
	f.now = 10 * time.Second
	outs := s.HandleDownlink(d.IMSI, []byte("cmd1"), f.now)
	if len(outs) != 2 {
		t.Fatalf("paging sent %d messages, want 2 (eNBs 1 and 3)", len(outs))
	}
	for _, o := range outs {
		if o.Enb == far.id || o.Stream != StreamNonUE {
			t.Errorf("paging to eNB %d stream %d", o.Enb, o.Stream)
		}
		m, err := s1ap.Parse(o.PDU)
		if err != nil {
			t.Fatal(err)
		}
		p := m.(*s1ap.Paging)
		imsi := uint64(1010000000042)
		if p.UEPagingID.STMSI == nil || p.UEPagingID.STMSI.MTMSI != MTMSI(d.IMSI) || p.UEPagingID.STMSI.MMEC != 1 ||
			p.CNDomain != s1ap.CNDomainPS || p.UEIdentityIndexValue != uint16(imsi%1024) ||
			p.NBIoTUEIdentityIndex == nil || *p.NBIoTUEIdentityIndex != uint16(imsi%4096) ||
			len(p.TAIs) != 1 || p.TAIs[0].PLMN != testPLMN || p.TAIs[0].TAC != 1 {
			t.Errorf("paging %+v", p)
		}
	}
	// The device answers with a control plane service request carrying its
	// S-TMSI; the MME finds its context and delivers the data.
	sr, err := d.ServiceRequest(nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rest := f.initial(6, d, sr, &s1ap.STMSI{MMEC: 1, MTMSI: MTMSI(d.IMSI)}); len(rest) != 0 {
		t.Fatalf("service request: %#v", rest)
	}
	if len(d.Received) != 1 || string(d.Received[0]) != "cmd1" {
		t.Fatalf("received %q", d.Received)
	}
	if f.mme[6] != uint32(u.ID) {
		t.Errorf("service request on MME UE S1AP ID %d, want the context's %d", f.mme[6], u.ID)
	}
	// The eNB's inactivity timer: release request → command with its cause.
	cmd = one[*s1ap.UEContextReleaseCommand](t, f.send(&s1ap.UEContextReleaseRequest{MMEUES1APID: f.mme[6], ENBUES1APID: 6, Cause: s1ap.CauseRadioNetworkUserInactivity}))
	if cmd.Cause != s1ap.CauseRadioNetworkUserInactivity {
		t.Errorf("command cause %v", cmd.Cause)
	}
	f.send(&s1ap.UEContextReleaseComplete{MMEUES1APID: f.mme[6], ENBUES1APID: 6})
	if s.C.Connected != 0 || s.C.ReleaseCompletes != 2 || s.C.ReleaseCommands != 2 {
		t.Fatalf("counters %v", s.C)
	}
	// Idle uplink with data: service request with data and RAI.
	sr, _ = d.ServiceRequest([]byte("temp=22"), nas.DDXNoFurtherData)
	one[*s1ap.UEContextReleaseCommand](t, f.initial(7, d, sr, &s1ap.STMSI{MMEC: 1, MTMSI: MTMSI(d.IMSI)}))
	if d := <-delivered; string(d.Data) != "temp=22" {
		t.Errorf("delivered %q", d.Data)
	}
}

func TestErrorIndication(t *testing.T) {
	s, _, _ := newTestServer(t)
	f := newFakeENB(t, s, 1, 1)
	one[*s1ap.S1SetupResponse](t, f.setup(testPLMN))

	// Bytes that are no S1AP-PDU.
	msgs, err := f.raw([]byte{0xff, 0x00, 0x12})
	if err == nil {
		t.Error("no error for garbage")
	}
	ei := one[*s1ap.ErrorIndication](t, msgs)
	if ei.Cause == nil || *ei.Cause != s1ap.CauseProtocolTransferSyntaxError {
		t.Errorf("garbage: %+v", ei)
	}
	// A procedure the MME does not serve (eNB Configuration Update).
	unknown := &s1ap.PDU{Type: s1ap.InitiatingMessage, Code: s1ap.ProcENBConfigurationUpdate, Criticality: s1ap.Reject, HasIEs: true}
	b, err := unknown.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	msgs, err = f.raw(b)
	ei = one[*s1ap.ErrorIndication](t, msgs)
	if err == nil || ei.Cause == nil || *ei.Cause != s1ap.CauseProtocolAbstractSyntaxReject ||
		ei.CriticalityDiagnostics == nil || *ei.CriticalityDiagnostics.ProcedureCode != s1ap.ProcENBConfigurationUpdate {
		t.Errorf("unknown procedure: %+v (%v)", ei, err)
	}
	// Of criticality ignore: counted, not answered.
	unknown.Criticality = s1ap.Ignore
	b, _ = unknown.Marshal()
	if msgs, _ := f.raw(b); len(msgs) != 0 {
		t.Errorf("answered an ignorable unknown procedure: %#v", msgs)
	}
	// NAS for an MME UE S1AP ID that does not exist.
	ei = one[*s1ap.ErrorIndication](t, f.send(&s1ap.UplinkNASTransport{MMEUES1APID: 999, ENBUES1APID: 4, NASPDU: []byte{7, 0x41}, TAI: f.tai()}))
	if ei.Cause == nil || *ei.Cause != s1ap.CauseRadioNetworkUnknownMMEUEID || ei.MMEUES1APID == nil || *ei.MMEUES1APID != 999 {
		t.Errorf("unknown UE: %+v", ei)
	}
	if s.C.ErrorIndicationsSent != 3 || s.C.Errors["transfer_syntax"] != 1 || s.C.Errors["unknown_procedure"] != 2 || s.C.Errors["unknown_ue"] != 1 {
		t.Errorf("counters %v", s.C)
	}
}

// An association lost with connected UEs: they are released once; the eNB
// sets up again and its UEs attach again without doubling the counts.
func TestENBLost(t *testing.T) {
	s, h, _ := newTestServer(t)
	f := newFakeENB(t, s, 1, 1)
	one[*s1ap.S1SetupResponse](t, f.setup(testPLMN))
	devs := make([]*uenas.Device, 3)
	for i := range devs {
		devs[i] = newDevice(t, h, i)
		b, _ := devs[i].AttachRequest()
		f.initial(uint32(i+1), devs[i], b, nil)
	}
	if s.C.Connected != 3 {
		t.Fatalf("connected %d", s.C.Connected)
	}
	s.ENBLost(1, time.Second)
	s.ENBLost(1, time.Second)
	if s.C.Connected != 0 || s.C.LostUEs != 3 || s.C.Lost != 1 || s.C.ENBs != 0 {
		t.Fatalf("after loss %v", s.C)
	}
	// A late Complete from the old association is ignored.
	if msgs, _ := f.raw(mustMarshal(t, &s1ap.UEContextReleaseComplete{MMEUES1APID: f.mme[1], ENBUES1APID: 1})); len(msgs) != 1 {
		t.Errorf("late complete on a lost association: %#v (want an error indication: no S1 Setup)", msgs)
	}
	g := newFakeENB(t, s, 2, 1)
	one[*s1ap.S1SetupResponse](t, g.setup(testPLMN))
	for i, d := range devs {
		b, _ := d.AttachRequest()
		g.initial(uint32(i+1), d, b, nil)
		if !d.Registered {
			t.Fatalf("%s not registered again", d.IMSI)
		}
	}
	if s.C.Connected != 3 || s.C.LostUEs != 3 || s.C.ENBs != 1 {
		t.Fatalf("after re-attach %v", s.C)
	}
	// The same eNB (Global eNB ID) setting up on a new association while
	// the old one is not seen to end takes its place.
	h2 := newFakeENB(t, s, 3, 1)
	h2.id = 3
	nb := s1ap.RATTypeNBIoT
	one[*s1ap.S1SetupResponse](t, h2.send(&s1ap.S1SetupRequest{
		GlobalENBID:  s1ap.GlobalENBID{PLMN: testPLMN, Kind: s1ap.MacroENB, ID: 2},
		SupportedTAs: []s1ap.SupportedTA{{TAC: 1, BroadcastPLMNs: []s1ap.PLMN{testPLMN}, RATType: &nb}},
	}))
	if s.C.Connected != 0 || s.C.LostUEs != 6 || s.C.ENBs != 1 || s.C.Lost != 2 {
		t.Fatalf("after the eNB restarted %v", s.C)
	}
}

func mustMarshal(t *testing.T, m s1ap.Message) []byte {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An IMSI the HSS does not know: ATTACH REJECT in Downlink NAS Transport,
// then UE Context Release Command; the Complete ends the connection.
func TestAttachReject(t *testing.T) {
	s, _, _ := newTestServer(t)
	f := newFakeENB(t, s, 1, 1)
	one[*s1ap.S1SetupResponse](t, f.setup(testPLMN))
	d, err := uenas.New("999990000000001", [16]byte{1}, [16]byte{2}, "001", "01")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.AttachRequest()
	cmd := one[*s1ap.UEContextReleaseCommand](t, f.initial(1, d, b, nil))
	if d.Rejected == nil || d.Registered {
		t.Errorf("device not rejected: %v", d.Rejected)
	}
	if cmd.Cause != s1ap.CauseNASUnspecified {
		t.Errorf("release cause %v", cmd.Cause)
	}
	f.send(&s1ap.UEContextReleaseComplete{MMEUES1APID: cmd.UES1APIDs.MMEUES1APID, ENBUES1APID: 1})
	if s.C.Connected != 0 || s.MME.C.Rejected["unknown_imsi"] != 1 {
		t.Errorf("counters %v, MME rejects %v", s.C, s.MME.C.Rejected)
	}
}

// A service request with an S-TMSI the MME does not know is released.
func TestUnknownSTMSI(t *testing.T) {
	s, h, _ := newTestServer(t)
	f := newFakeENB(t, s, 1, 1)
	one[*s1ap.S1SetupResponse](t, f.setup(testPLMN))
	d := newDevice(t, h, 5)
	cmd := one[*s1ap.UEContextReleaseCommand](t, f.initial(1, d, []byte{0x17, 0, 0, 0, 0, 0, 0x07, 0x4d, 0}, &s1ap.STMSI{MMEC: 1, MTMSI: 12345}))
	if cmd.Cause != s1ap.CauseNASUnspecified || s.C.Errors["unknown_stmsi"] != 1 {
		t.Errorf("command %+v, counters %v", cmd, s.C)
	}
}
