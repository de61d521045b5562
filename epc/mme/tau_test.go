package mme

import (
	"bytes"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/pcap"
)

// tauExchange sends the device's TAU REQUEST and hands it the MME's
// answer; it returns both NAS PDUs.
func tauExchange(t *testing.T, l *link) (req, acc []byte) {
	t.Helper()
	req, err := l.d.TAURequest()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range l.m.HandleNAS(l.id, req, l.now) {
		if s, ok := e.(SendNAS); ok {
			if acc != nil {
				t.Fatalf("two answers to the TAU: %s", s.Msg)
			}
			acc = s.NAS
			if _, err := l.d.Handle(s.NAS); err != nil {
				t.Fatalf("device on %s: %v", s.Msg, err)
			}
		}
	}
	if acc == nil {
		t.Fatal("no answer to the TAU")
	}
	l.m.Released(l.id, l.now)
	return req, acc
}

// plainTAU is the TAU REQUEST inside its security header.
func plainTAU(t *testing.T, b []byte) *nas.TrackingAreaUpdateRequest {
	t.Helper()
	m, err := nas.ParseDirection(b, nas.Uplink)
	if err != nil {
		t.Fatal(err)
	}
	sp, ok := m.(*nas.SecurityProtected)
	if !ok {
		t.Fatalf("TAU REQUEST not protected: %T", m)
	}
	r, ok := sp.Message.(*nas.TrackingAreaUpdateRequest)
	if !ok {
		t.Fatalf("%T, want TRACKING AREA UPDATE REQUEST", sp.Message)
	}
	return r
}

// A changed PSM or eDRX request is renegotiated by a normal TAU ("TA
// updating", TS 24.301 §5.5.3.2.2) with the new IEs; TAU ACCEPT grants
// them (§5.5.3.2.4); a TAU without T3324 turns PSM off, one without the
// eDRX parameters eDRX. An unchanged request makes the next TAU a
// periodic one.
func TestTAURenegotiates(t *testing.T) {
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	d.PSM = epc.PSMRequest{Enabled: true, T3324: 10 * time.Second, T3412: time.Hour}
	l := attach(t, m, d)
	m.Released(l.id, 0)
	if d.UpdateNeeded {
		t.Fatal("update needed right after the attach")
	}
	steps := []struct {
		name       string
		psm        epc.PSMRequest
		edrx       epc.EDRXRequest
		update     nas.EPSUpdateType
		psmOn      bool
		t3324      time.Duration
		t3412      time.Duration
		edrxCycle  time.Duration
		reqT3324   bool
		reqEDRXSet bool
	}{
		{name: "new timers", psm: epc.PSMRequest{Enabled: true, T3324: 12 * time.Second, T3412: 2 * time.Hour},
			update: nas.TAUpdating, psmOn: true, t3324: 12 * time.Second, t3412: 2 * time.Hour, reqT3324: true},
		{name: "unchanged: periodic", psm: epc.PSMRequest{Enabled: true, T3324: 12 * time.Second, T3412: 2 * time.Hour},
			update: nas.PeriodicUpdating, psmOn: true, t3324: 12 * time.Second, t3412: 2 * time.Hour, reqT3324: true},
		{name: "eDRX on", psm: epc.PSMRequest{Enabled: true, T3324: 12 * time.Second, T3412: 2 * time.Hour},
			edrx:   epc.EDRXRequest{Enabled: true, Cycle: 20480 * time.Millisecond, PTW: 2560 * time.Millisecond},
			update: nas.TAUpdating, psmOn: true, t3324: 12 * time.Second, t3412: 2 * time.Hour, edrxCycle: 20480 * time.Millisecond,
			reqT3324: true, reqEDRXSet: true},
		// No T3412 asked for: the default 54 min, in the T3412 value IE (not
		// a GPRS timer 3 value: that IE would have made it 50 min).
		{name: "PSM and eDRX off", update: nas.TAUpdating, t3412: 54 * time.Minute},
	}
	for _, s := range steps {
		d.Request(s.psm, s.edrx)
		req, _ := tauExchange(t, l)
		r := plainTAU(t, req)
		if r.UpdateType != s.update || (r.T3324 != nil) != s.reqT3324 || (r.ExtendedDRXParameters != nil) != s.reqEDRXSet {
			t.Errorf("%s: TAU REQUEST update type %d, T3324 %v, eDRX %v", s.name, r.UpdateType, r.T3324, r.ExtendedDRXParameters)
		}
		if d.PSMGranted != s.psmOn || d.T3324 != s.t3324 || d.T3412 != s.t3412 || d.EDRXCycle != s.edrxCycle || d.UpdateNeeded {
			t.Errorf("%s: granted PSM %v T3324 %v T3412 %v eDRX %v (update needed %v), want %v %v %v %v", s.name,
				d.PSMGranted, d.T3324, d.T3412, d.EDRXCycle, d.UpdateNeeded, s.psmOn, s.t3324, s.t3412, s.edrxCycle)
		}
		u, _ := m.UE(imsi1)
		if u.PSM.Enabled != s.psmOn || u.EDRX.Cycle != s.edrxCycle {
			t.Errorf("%s: the MME keeps PSM %+v eDRX %+v", s.name, u.PSM, u.EDRX)
		}
	}
}

// The TAU REQUEST with the PSM and eDRX IEs and its TAU ACCEPT, in S1AP
// on SCTP in a pcap, as tshark's nas-eps dissector reads them: no
// malformed field, the EPS update type, T3324 (GPRS timer 2), T3412
// extended (GPRS timer 3) and eDRX value as coded.
func TestTAUTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not on PATH")
	}
	m := newMME(t, DefaultConfig())
	d, _ := uenas.New(imsi1, key(t, k1), key(t, opc1), "001", "01")
	l := attach(t, m, d)
	m.Released(l.id, 0)
	// 12 s = GPRS timer 2 unit 000 (2 s) value 6; 2 h = GPRS timer 3 unit
	// 000 (10 min) value 12 (the encoder's choice; 001 × 2 is the same);
	// eDRX 20.48 s = NB-S1 value 0010 (TS 24.008 §10.5.5.32).
	d.Request(epc.PSMRequest{Enabled: true, T3324: 12 * time.Second, T3412: 2 * time.Hour},
		epc.EDRXRequest{Enabled: true, Cycle: 20480 * time.Millisecond, PTW: 2560 * time.Millisecond})
	req, acc := tauExchange(t, l)

	var buf bytes.Buffer
	w, err := pcap.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	enb, mme := netip.MustParseAddrPort("10.0.0.2:36412"), netip.MustParseAddrPort("10.0.0.1:36412")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, msg := range []s1ap.Message{
		&s1ap.UplinkNASTransport{MMEUES1APID: 1, ENBUES1APID: 1, NASPDU: req, TAI: s1ap.TAI{TAC: 1}},
		&s1ap.DownlinkNASTransport{MMEUES1APID: 1, ENBUES1APID: 1, NASPDU: acc},
	} {
		b, err := s1ap.Append(nil, msg)
		if err != nil {
			t.Fatal(err)
		}
		src, dst := enb, mme
		if i == 1 {
			src, dst = mme, enb
		}
		if err := w.WriteSCTP(t0.Add(time.Duration(i)*time.Millisecond), src, dst, 18, 1, b); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "tau.pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []string {
		t.Helper()
		args = append([]string{"-n", "-r", path, "-o", "nas-eps.null_decipher:TRUE"}, args...)
		out, err := exec.Command("tshark", args...).Output()
		if err != nil {
			t.Fatalf("tshark %v: %v", args, err)
		}
		return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	}
	if bad := run("-Y", "_ws.malformed || _ws.expert.severity >= warning"); len(bad) != 1 || bad[0] != "" {
		t.Errorf("tshark finds malformed or warned frames:\n%s", strings.Join(bad, "\n"))
	}
	rows := run("-T", "fields", "-E", "separator=|", "-e", "nas_eps.nas_msg_emm_type", "-e", "nas_eps.emm.update_type_value",
		"-e", "gsm_a.gm.gmm.gprs_timer2_unit", "-e", "gsm_a.gm.gmm.gprs_timer2_value",
		"-e", "gsm_a.gm.gmm.gprs_timer3_unit", "-e", "gsm_a.gm.gmm.gprs_timer3_value", "-e", "gsm_a.gm.gmm.edrx_value")
	// 0x48 TRACKING AREA UPDATE REQUEST, 0x49 TRACKING AREA UPDATE ACCEPT
	// (TS 24.301 Table 9.8.1); update type 0 "TA updating".
	want := []string{"0x48|0|0|6|0|12|0x02", "0x49||0|6|0|12|0x02"}
	if len(rows) != len(want) {
		t.Fatalf("tshark shows %d frames: %q", len(rows), rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("frame %d: tshark %q, want %q (message type|update type|T3324 unit|value|T3412 ext unit|value|eDRX)", i+1, rows[i], want[i])
		}
	}
}
