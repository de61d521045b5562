package s1

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/security"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/pcap"
)

// recConn is an s1mme.Conn that records what is sent: a simulated ENB's
// answers without an association.
type recConn struct{ sent [][]byte }

func (c *recConn) Send(_ uint16, pdu []byte) error {
	c.sent = append(c.sent, append([]byte(nil), pdu...))
	return nil
}
func (c *recConn) Recv() (uint16, []byte, error) { return 0, nil, net.ErrClosed }
func (c *recConn) Close() error                  { return nil }
func (c *recConn) RemoteAddr() net.Addr          { return nil }

// pipeENB is a simulated ENB (enb.go's handle) on a recConn.
func pipeENB() (*ENB, *recConn) {
	c := &recConn{}
	return &ENB{cfg: ENBConfig{ENBID: 1, TAC: 1, PLMN: testPLMN, CellID: 0x101, S1UAddr: DefaultENBS1UAddress},
		conn: c, devs: map[*uenas.Device]*ueCtx{}, conns: map[uint32]*ueCtx{},
		changed: make(chan struct{}), done: make(chan struct{}), MMEC: 1}, c
}

// hmacKDF is TS 33.220 B.2 with crypto/hmac, independent of
// security.KDF: HMAC-SHA-256(key, FC ‖ P0 ‖ L0 ‖ …).
func hmacKDF(key []byte, fc byte, params ...[]byte) [32]byte {
	s := []byte{fc}
	for _, p := range params {
		s = append(s, p...)
		s = append(s, byte(len(p)>>8), byte(len(p)))
	}
	h := hmac.New(sha256.New, key)
	h.Write(s)
	return [32]byte(h.Sum(nil))
}

// kasmeOf derives K_ASME on the device side from the subscriber's keys and
// the AUTHENTICATION REQUEST (TS 33.401 A.2): MILENAGE CK, IK, then the
// KDF over SN id 001/01 (00 f1 10) and SQN ⊕ AK (the first 6 octets of
// AUTN).
func kasmeOf(t *testing.T, h *hss.Store, imsi string, req *nas.AuthenticationRequest) [32]byte {
	t.Helper()
	sub, ok := h.Lookup(imsi)
	if !ok || len(req.AUTN) != 16 {
		t.Fatalf("%s: subscriber %v, AUTN %x", imsi, ok, req.AUTN)
	}
	_, ck, ik, _ := security.NewMilenage(sub.K, sub.OPc).F2345(req.RAND)
	return hmacKDF(append(ck[:], ik[:]...), 0x10, []byte{0x00, 0xf1, 0x10}, req.AUTN[:6])
}

// kenbOf is TS 33.401 A.3: FC 0x11, P0 = uplink NAS COUNT (4 octets).
func kenbOf(kasme [32]byte, count uint32) [32]byte {
	return hmacKDF(kasme[:], 0x11, []byte{byte(count >> 24), byte(count >> 16), byte(count >> 8), byte(count)})
}

// TestInitialContextSetup: a device attaches (EPS attach), goes idle and
// sends a user-plane SERVICE REQUEST. nbsim core answers with Initial
// Context Setup Request (TS 36.413 §9.1.4.1) on the connection's IDs: the
// UE-AMBR, E-RAB 5 (QCI 9, ARP 8) towards the S-GW at 198.51.100.1 with a
// TEID of the UE, the UE security capabilities of its ATTACH REQUEST and
// K_eNB = KDF(K_ASME, 0x11, uplink NAS COUNT of the SERVICE REQUEST),
// checked against K_ASME derived on the device side from the HSS keys and
// the AUTHENTICATION REQUEST. The simulated eNB answers with a Response
// (its S1-U address and TEID), which the core counts. A second service
// request gets a K_eNB of the next COUNT; the eNB's Initial Context Setup
// Failure makes the core release the connection with its cause. tshark
// (when installed) dissects the PDUs without expert info and shows the IEs.
func TestInitialContextSetup(t *testing.T) {
	s, h, _ := newTestServer(t)
	f := newFakeENB(t, s, 1, 1)
	one[*s1ap.S1SetupResponse](t, f.setup(testPLMN))
	d := newDevice(t, h, 71)

	// Attach, seeing the AUTHENTICATION REQUEST on the way.
	b, err := d.AttachRequest()
	if err != nil {
		t.Fatal(err)
	}
	f.devs[1] = d
	msgs, err := f.raw(mustMarshal(t, &s1ap.InitialUEMessage{ENBUES1APID: 1, NASPDU: b, TAI: f.tai(),
		EUTRANCGI: s1ap.EUTRANCGI{PLMN: testPLMN, CellID: 0x101}, RRCEstablishmentCause: s1ap.RRCMOSignalling}))
	if err != nil {
		t.Fatal(err)
	}
	dl := one[*s1ap.DownlinkNASTransport](t, msgs)
	f.mme[1] = dl.MMEUES1APID
	m, err := nas.ParseDirection(dl.NASPDU, nas.Downlink)
	if err != nil {
		t.Fatal(err)
	}
	auth, ok := m.(*nas.AuthenticationRequest)
	if !ok {
		t.Fatalf("first downlink NAS %T, want AUTHENTICATION REQUEST", m)
	}
	kasme := kasmeOf(t, h, d.IMSI, auth)
	reply, err := d.Handle(dl.NASPDU)
	if err != nil {
		t.Fatal(err)
	}
	if rest := f.send(&s1ap.UplinkNASTransport{MMEUES1APID: dl.MMEUES1APID, ENBUES1APID: 1, NASPDU: reply, TAI: f.tai()}); len(rest) != 0 || !d.Registered {
		t.Fatalf("attach: %#v, registered %v (%v)", rest, d.Registered, d.Rejected)
	}
	u, ok := s.MME.UE(d.IMSI)
	if !ok || uint32(u.ID) != f.mme[1] {
		t.Fatalf("MME context %v", u)
	}
	if sc := u.SecurityContext(); sc == nil || sc.KASME != kasme {
		t.Fatal("the MME's K_ASME differs from the device side's")
	}
	release := func(enbUE uint32) {
		t.Helper()
		one[*s1ap.UEContextReleaseCommand](t, f.send(&s1ap.UEContextReleaseRequest{MMEUES1APID: f.mme[enbUE], ENBUES1APID: enbUE,
			Cause: s1ap.CauseRadioNetworkUserInactivity}))
		f.send(&s1ap.UEContextReleaseComplete{MMEUES1APID: f.mme[enbUE], ENBUES1APID: enbUE})
		if s.C.Connected != 0 {
			t.Fatalf("still connected: %v", s.C)
		}
	}
	release(1)

	var pdus []capturedPDU
	// serviceRequest sends a user-plane SERVICE REQUEST on eNB UE S1AP ID
	// enbUE and checks the Initial Context Setup Request it gets.
	serviceRequest := func(enbUE, wantCount uint32) *s1ap.InitialContextSetupRequest {
		t.Helper()
		sr, err := d.ServiceRequestUP()
		if err != nil {
			t.Fatal(err)
		}
		if got := uint32(sr[1] & 0x1f); got != wantCount {
			t.Fatalf("SERVICE REQUEST sequence number %d, want %d (SMC COMPLETE 0, ATTACH COMPLETE 1, ...)", got, wantCount)
		}
		f.devs[enbUE] = d
		b := mustMarshal(t, &s1ap.InitialUEMessage{ENBUES1APID: enbUE, NASPDU: sr, TAI: f.tai(),
			EUTRANCGI: s1ap.EUTRANCGI{PLMN: testPLMN, CellID: 0x101}, RRCEstablishmentCause: s1ap.RRCMOData,
			STMSI: &s1ap.STMSI{MMEC: 1, MTMSI: MTMSI(d.IMSI)}})
		outs, err := s.HandleS1AP(f.id, b, f.now)
		if err != nil || len(outs) != 1 || outs[0].Stream != StreamUE || outs[0].Enb != f.id {
			t.Fatalf("service request: %v, %d PDUs %+v", err, len(outs), outs)
		}
		pdus = append(pdus, capturedPDU{down: true, pdu: outs[0].PDU})
		msg, err := s1ap.Parse(outs[0].PDU)
		if err != nil {
			t.Fatal(err)
		}
		req, ok := msg.(*s1ap.InitialContextSetupRequest)
		if !ok {
			t.Fatalf("answer %T, want Initial Context Setup Request", msg)
		}
		f.mme[enbUE] = req.MMEUES1APID
		if req.MMEUES1APID != uint32(u.ID) || req.ENBUES1APID != enbUE {
			t.Errorf("IDs MME %d eNB %d, want %d %d", req.MMEUES1APID, req.ENBUES1APID, u.ID, enbUE)
		}
		if req.UEAggregateMaximumBitrate.DL == 0 || req.UEAggregateMaximumBitrate.UL == 0 {
			t.Errorf("UE-AMBR %+v", req.UEAggregateMaximumBitrate)
		}
		if len(req.ERABs) != 1 {
			t.Fatalf("E-RABs %+v", req.ERABs)
		}
		e := req.ERABs[0]
		if e.ERABID != 5 || e.QoS.QCI != 9 || e.QoS.GBR != nil ||
			e.QoS.ARP.PriorityLevel != 8 || e.QoS.ARP.PreemptionCapability != 0 || e.QoS.ARP.PreemptionVulnerability != 1 ||
			!bytes.Equal(e.TransportLayerAddress, []byte{198, 51, 100, 1}) || e.GTPTEID != uint32(u.ID) || e.NASPDU != nil {
			t.Errorf("E-RAB %+v", e)
		}
		// The device: EEA0-3, EIA1-3 → 128-EEA1..3, 128-EIA1..3.
		if c := req.UESecurityCapabilities; c.EncryptionAlgorithms != 0xe000 || c.IntegrityProtectionAlgorithms != 0xe000 {
			t.Errorf("UE security capabilities %+v", c)
		}
		if want := kenbOf(kasme, wantCount); req.SecurityKey != want {
			t.Errorf("K_eNB %x, want %x (COUNT %d)", req.SecurityKey, want, wantCount)
		}
		return req
	}

	// The simulated eNB answers the Request.
	req := serviceRequest(2, 2)
	enb, rec := pipeENB()
	ue := enb.ue(d)
	ue.enbUE, ue.connected = 2, true
	enb.conns[2] = ue
	enb.handle(pdus[len(pdus)-1].pdu)
	if len(rec.sent) != 1 || enb.c.ContextSetups != 1 || enb.c.Unexpected != 0 {
		t.Fatalf("eNB sent %d PDUs, counters %+v", len(rec.sent), enb.c)
	}
	if !ue.contextSetup || ue.kenb != req.SecurityKey || !ue.hasMME || ue.mmeUE != uint32(u.ID) {
		t.Errorf("eNB's UE context %+v", ue)
	}
	pdus = append(pdus, capturedPDU{pdu: rec.sent[0]})
	msgs, err = f.raw(rec.sent[0])
	if err != nil || len(msgs) != 0 {
		t.Fatalf("response answered %#v (%v)", msgs, err)
	}
	resp, err := s1ap.Parse(rec.sent[0])
	if err != nil {
		t.Fatal(err)
	}
	r := resp.(*s1ap.InitialContextSetupResponse)
	if r.MMEUES1APID != uint32(u.ID) || r.ENBUES1APID != 2 || len(r.ERABSetup) != 1 || r.ERABSetup[0].ERABID != 5 ||
		!bytes.Equal(r.ERABSetup[0].TransportLayerAddress, []byte{192, 0, 2, 1}) || r.ERABSetup[0].GTPTEID != 2<<8|5 {
		t.Errorf("response %+v", r)
	}
	if s.C.ContextSetups != 1 || s.C.ContextSetupResponses != 1 || s.C.ContextSetupFailures != 0 || len(s.C.Errors) != 0 {
		t.Errorf("counters %v", s.C)
	}
	if !strings.Contains(s.C.String(), " context_setups=1 context_setup_responses=1 context_setup_failures=0") {
		t.Errorf("counters line %q", s.C.String())
	}
	// A Response on IDs the core does not have: Error Indication.
	ei := one[*s1ap.ErrorIndication](t, f.send(&s1ap.InitialContextSetupResponse{MMEUES1APID: 999, ENBUES1APID: 2,
		ERABSetup: []s1ap.ERABSetupItem{{ERABID: 5, TransportLayerAddress: []byte{192, 0, 2, 1}, GTPTEID: 1}}}))
	if ei.Cause == nil || *ei.Cause != s1ap.CauseRadioNetworkUnknownMMEUEID {
		t.Errorf("unknown UE: %+v", ei)
	}
	delete(s.C.Errors, "unknown_ue")
	release(2)

	// The next service request: K_eNB of COUNT 3. The eNB fails the set-up:
	// the core releases the connection with the eNB's cause.
	serviceRequest(3, 3)
	cause := s1ap.Cause{Group: s1ap.CauseGroupRadioNetwork, Value: 26} // failure-in-radio-interface-procedure
	fail := mustMarshal(t, &s1ap.InitialContextSetupFailure{MMEUES1APID: uint32(u.ID), ENBUES1APID: 3, Cause: cause})
	pdus = append(pdus, capturedPDU{pdu: fail})
	msgs, err = f.raw(fail)
	if err != nil {
		t.Fatal(err)
	}
	cmd := one[*s1ap.UEContextReleaseCommand](t, msgs)
	if cmd.Cause != cause || cmd.UES1APIDs.MMEUES1APID != uint32(u.ID) || cmd.UES1APIDs.ENBUES1APID == nil || *cmd.UES1APIDs.ENBUES1APID != 3 {
		t.Errorf("release command %+v", cmd)
	}
	f.send(&s1ap.UEContextReleaseComplete{MMEUES1APID: uint32(u.ID), ENBUES1APID: 3})
	if s.C.ContextSetups != 2 || s.C.ContextSetupResponses != 1 || s.C.ContextSetupFailures != 1 || s.C.Connected != 0 || len(s.C.Errors) != 0 {
		t.Errorf("counters %v", s.C)
	}
	if d.Registered != true {
		t.Error("device deregistered")
	}

	// An eNB that has no such UE answers with a Failure (unknown eNB UE
	// S1AP ID).
	enb.handle(pdus[len(pdus)-2].pdu)
	if len(rec.sent) != 2 || enb.c.Unexpected != 1 {
		t.Fatalf("eNB sent %d PDUs, counters %+v", len(rec.sent), enb.c)
	}
	if m, err := s1ap.Parse(rec.sent[1]); err != nil {
		t.Fatal(err)
	} else if x, ok := m.(*s1ap.InitialContextSetupFailure); !ok || x.Cause != s1ap.CauseRadioNetworkUnknownENBUEID || x.ENBUES1APID != 3 {
		t.Errorf("eNB answered %#v", m)
	}

	ids := func(enbUE uint32) map[string]string {
		return map[string]string{"s1ap.MME_UE_S1AP_ID": strconv.Itoa(int(u.ID)), "s1ap.ENB_UE_S1AP_ID": strconv.Itoa(int(enbUE))}
	}
	with := func(m map[string]string, kv ...string) map[string]string {
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	// nbsim core's Request: pre-emption vulnerability 1 = pre-emptable,
	// the algorithm bit strings 1110 0000 0000 0000.
	request := func(enbUE, count uint32) map[string]string {
		kenb := kenbOf(kasme, count)
		return with(ids(enbUE), "_ws.col.Info", "InitialContextSetupRequest", "s1ap.uEaggregateMaximumBitRateDL", "1000000",
			"s1ap.e_RAB_ID", "5", "s1ap.qCI", "9", "s1ap.priorityLevel", "8", "s1ap.pre_emptionVulnerability", "1",
			"s1ap.transportLayerAddressIPv4", "198.51.100.1", "s1ap.gTP_TEID", hex.EncodeToString(be32Bytes(uint32(u.ID))),
			"s1ap.encryptionAlgorithms", "e000", "s1ap.integrityProtectionAlgorithms", "e000",
			"s1ap.SecurityKey", hex.EncodeToString(kenb[:]))
	}
	checkTshark(t, pdus, []map[string]string{
		request(2, 2),
		with(ids(2), "_ws.col.Info", "InitialContextSetupResponse", "s1ap.e_RAB_ID", "5",
			"s1ap.transportLayerAddressIPv4", "192.0.2.1", "s1ap.gTP_TEID", "00000205"),
		request(3, 3),
		with(ids(3), "_ws.col.Info", "InitialContextSetupFailure [RadioNetwork-cause=failure-in-radio-interface-procedure]",
			"s1ap.radioNetwork", "26"),
	})
}

func be32Bytes(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

// capturedPDU is one S1AP PDU for a capture: down is MME → eNB.
type capturedPDU struct {
	down bool
	pdu  []byte
}

// tsharkFields are the fields checkTshark prints: the message, the IDs,
// the E-RAB, the UE security capabilities, K_eNB, a radio network cause.
var tsharkFields = []string{"_ws.col.Info", "s1ap.MME_UE_S1AP_ID", "s1ap.ENB_UE_S1AP_ID",
	"s1ap.uEaggregateMaximumBitRateDL", "s1ap.e_RAB_ID", "s1ap.qCI", "s1ap.priorityLevel", "s1ap.pre_emptionVulnerability",
	"s1ap.transportLayerAddressIPv4", "s1ap.gTP_TEID", "s1ap.encryptionAlgorithms", "s1ap.integrityProtectionAlgorithms",
	"s1ap.SecurityKey", "s1ap.radioNetwork"}

// checkTshark writes pdus to a capture (MME 198.51.100.1, eNB 198.18.0.1),
// has tshark print tsharkFields and the severity of any expert info (a
// malformed packet is an error), and compares each frame's fields with
// want (by field name; a field not named is empty). It skips when tshark is not installed. S1AP_PCAP_OUT names a file
// to keep the capture in.
func checkTshark(t *testing.T, pdus []capturedPDU, want []map[string]string) {
	t.Helper()
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	var buf bytes.Buffer
	w, err := pcap.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	mmeAddr := netip.MustParseAddrPort("198.51.100.1:36412")
	enbAddr := netip.MustParseAddrPort("198.18.0.1:36412")
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range pdus {
		src, dst := enbAddr, mmeAddr
		if p.down {
			src, dst = mmeAddr, enbAddr
		}
		if err := w.WriteSCTP(t0.Add(time.Duration(i)*time.Millisecond), src, dst, 18, StreamUE, p.pdu); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "ics.pcap")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("S1AP_PCAP_OUT"); d != "" {
		_ = os.WriteFile(d, buf.Bytes(), 0o644)
	}
	args := []string{"-r", file, "-o", "sctp.checksum:CRC-32C", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"}
	for _, f := range append(tsharkFields, "_ws.expert.severity") {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("tshark decoded %d frames %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		f := strings.Split(got[i], "\t")
		if sev := f[len(f)-1]; sev != "" {
			t.Errorf("frame %d: tshark expert info of severity %s", i+1, sev)
		}
		if len(f) != len(tsharkFields)+1 {
			t.Fatalf("frame %d: tshark printed %d fields %q", i+1, len(f), got[i])
		}
		for j, name := range tsharkFields {
			if f[j] != want[i][name] {
				t.Errorf("frame %d: tshark %s = %q, want %q", i+1, name, f[j], want[i][name])
			}
		}
	}
}

// TestInitialContextSetupServe: the same over SCTP over UDP with Serve and
// a simulated eNB (DialENB): after a user-plane SERVICE REQUEST the eNB
// gets the Request, sets the context up with the core's K_eNB and answers;
// the core counts the Response.
func TestInitialContextSetupServe(t *testing.T) {
	s, h, _ := newTestServer(t)
	r := serveOn(t, s, "udp://127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e, err := DialENB(ctx, r.url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	d := newDevice(t, h, 72)
	if err := e.AttachDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := e.Release(d); err != nil {
		t.Fatal(err)
	}
	if err := e.WaitIdle(ctx, d); err != nil {
		t.Fatal(err)
	}
	// The eNB has no call for a user-plane service request: open the
	// connection as SendData does.
	sr, err := d.ServiceRequestUP()
	if err != nil {
		t.Fatal(err)
	}
	e.Do(func() {
		if err := e.connect(e.devs[d], sr, s1ap.RRCMOData, true); err != nil {
			t.Error(err)
		}
	})
	if err := e.Wait(ctx, d, func(d *uenas.Device) bool { return e.devs[d].contextSetup }); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the Response counted", func() bool { return r.counters().ContextSetupResponses == 1 })
	var want [32]byte
	var id uint32
	r.srv.Do(func(s *MMEServer) {
		u, _ := s.MME.UE(d.IMSI)
		id = uint32(u.ID)
		want = security.DeriveKeNB(u.SecurityContext().KASME, 2)
	})
	e.Do(func() {
		u := e.devs[d]
		if u.kenb != want || u.mmeUE != id || !u.connected {
			t.Errorf("eNB's context %+v, want K_eNB %x on MME UE S1AP ID %d", u, want, id)
		}
	})
	if c := r.counters(); c.ContextSetups != 1 || c.ContextSetupFailures != 0 || c.Connected != 1 {
		t.Errorf("core counters %v", c)
	}
	if c := e.Counters(); c.ContextSetups != 1 || c.Unexpected != 0 {
		t.Errorf("eNB counters %+v", c)
	}
}
