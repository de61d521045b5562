package s1

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
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/gpp"
	"github.com/nbsim/nbsim/pcap"
)

// attachIdle attaches d through f as eNB UE S1AP ID enbUE, then has the
// eNB release the connection: d ends registered and idle.
func attachIdle(t *testing.T, f *fakeENB, d *uenas.Device, enbUE uint32) {
	t.Helper()
	b, err := d.AttachRequest()
	if err != nil {
		t.Fatal(err)
	}
	if rest := f.initial(enbUE, d, b, nil); len(rest) != 0 {
		t.Fatalf("attach: unexpected %#v", rest)
	}
	if !d.Registered {
		t.Fatalf("%s not registered: %v", d.IMSI, d.Rejected)
	}
	one[*s1ap.UEContextReleaseCommand](t, f.send(&s1ap.UEContextReleaseRequest{MMEUES1APID: f.mme[enbUE], ENBUES1APID: enbUE,
		Cause: s1ap.CauseRadioNetworkUserInactivity}))
	f.send(&s1ap.UEContextReleaseComplete{MMEUES1APID: f.mme[enbUE], ENBUES1APID: enbUE})
}

// pagings parses the Paging PDUs of outs by eNB.
func pagings(t *testing.T, outs []Out) map[EnbID]*s1ap.Paging {
	t.Helper()
	ps := map[EnbID]*s1ap.Paging{}
	for _, o := range outs {
		m, err := s1ap.Parse(o.PDU)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := m.(*s1ap.Paging)
		if !ok || o.Stream != StreamNonUE {
			t.Fatalf("%T on stream %d, want Paging on %d", m, o.Stream, StreamNonUE)
		}
		ps[o.Enb] = p
	}
	return ps
}

// TestPagingDRXAndEDRX: every Paging carries the MME's Paging DRX (2.56 s,
// v256); one to an NB-IoT eNB for a UE granted eDRX also carries the
// NB-IoT Paging eDRX Information of the grant, one for a UE without eDRX
// does not. An eNB without NB-IoT tracking areas gets no NB-IoT IEs. tshark
// (when installed) decodes the PDUs without error and shows the IEs.
func TestPagingDRXAndEDRX(t *testing.T) {
	s, h, _ := newTestServer(t)
	nb := newFakeENB(t, s, 1, 1)
	one[*s1ap.S1SetupResponse](t, nb.setup(testPLMN))
	wb := newFakeENB(t, s, 2, 1) // same TAC, no RAT Type: WB-E-UTRAN
	one[*s1ap.S1SetupResponse](t, wb.send(&s1ap.S1SetupRequest{
		GlobalENBID:      s1ap.GlobalENBID{PLMN: testPLMN, Kind: s1ap.MacroENB, ID: 2},
		SupportedTAs:     []s1ap.SupportedTA{{TAC: 1, BroadcastPLMNs: []s1ap.PLMN{testPLMN}}},
		DefaultPagingDRX: s1ap.PagingDRX128,
	}))

	plain := newDevice(t, h, 51)
	attachIdle(t, nb, plain, 1)
	edrx := newDevice(t, h, 52)
	edrx.EDRX = epc.EDRXRequest{Enabled: true, Cycle: 81920 * time.Millisecond, PTW: 5120 * time.Millisecond}
	attachIdle(t, nb, edrx, 2)
	if u, ok := s.MME.UE(edrx.IMSI); !ok || !u.EDRX.Enabled || u.EDRX.Cycle != 81920*time.Millisecond || u.EDRX.PTW != 5120*time.Millisecond {
		t.Fatalf("eDRX grant %+v", u)
	}
	if u, ok := s.MME.UE(plain.IMSI); !ok || u.EDRX.Enabled {
		t.Fatalf("eDRX grant %+v", u)
	}

	var all [][]byte
	check := func(d *uenas.Device, wantEDRX *s1ap.NBIoTPagingEDRXInformation) {
		t.Helper()
		outs := s.HandleDownlink(d.IMSI, []byte("cmd"), 10*time.Second)
		for _, o := range outs {
			all = append(all, o.PDU)
		}
		ps := pagings(t, outs)
		if len(ps) != 2 || ps[nb.id] == nil || ps[wb.id] == nil {
			t.Fatalf("%s: pagings %v, want one to each eNB", d.IMSI, ps)
		}
		for enb, p := range ps {
			if p.PagingDRX == nil || *p.PagingDRX != s1ap.PagingDRX256 {
				t.Errorf("%s eNB %d: Paging DRX %v, want v256", d.IMSI, enb, p.PagingDRX)
			}
			if p.PagingEDRX != nil || p.NBIoTPagingDRX != nil || p.ExtendedUEIdentityIndex != nil || len(p.Other) != 0 {
				t.Errorf("%s eNB %d: unexpected IEs in %+v", d.IMSI, enb, p)
			}
		}
		if p := ps[wb.id]; p.NBIoTPagingEDRX != nil || p.NBIoTUEIdentityIndex != nil {
			t.Errorf("%s: WB-E-UTRAN eNB paged with NB-IoT IEs %+v", d.IMSI, p)
		}
		p := ps[nb.id]
		if p.NBIoTUEIdentityIndex == nil || *p.NBIoTUEIdentityIndex != uint16(MTMSI(d.IMSI)%4096) {
			t.Errorf("%s: NB-IoT UE identity index %v", d.IMSI, p.NBIoTUEIdentityIndex)
		}
		got := p.NBIoTPagingEDRX
		switch {
		case wantEDRX == nil && got != nil:
			t.Errorf("%s: NB-IoT Paging eDRX %+v, want none", d.IMSI, got)
		case wantEDRX != nil && (got == nil || got.Cycle != wantEDRX.Cycle || got.TimeWindow == nil ||
			*got.TimeWindow != *wantEDRX.TimeWindow || len(got.Ext) != 0):
			t.Errorf("%s: NB-IoT Paging eDRX %+v, want %+v", d.IMSI, got, wantEDRX)
		}
	}
	check(plain, nil)
	s2 := uint8(1)                                                                           // s2: 5.12 s
	check(edrx, &s1ap.NBIoTPagingEDRXInformation{Cycle: s1ap.NBIoTEDRXhf8, TimeWindow: &s2}) // 81.92 s = 8 hyperframes

	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	var buf bytes.Buffer
	w, err := pcap.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	mmeAddr := netip.MustParseAddrPort("127.0.0.1:36412")
	enbAddr := netip.MustParseAddrPort("127.0.0.2:36412")
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, b := range all {
		if err := w.WriteSCTP(t0.Add(time.Duration(i)*time.Millisecond), mmeAddr, enbAddr, 18, StreamNonUE, b); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "paging.pcap")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("S1AP_PCAP_OUT"); d != "" {
		_ = os.WriteFile(d, buf.Bytes(), 0o644)
	}
	// One tshark run (it is slow to start): the Paging IEs and, last, the
	// severities of any expert info (malformed packets are errors).
	fields := []string{"_ws.col.Info", "s1ap.PagingDRX", "s1ap.NB_IoT_UEIdentityIndexValue",
		"s1ap.nB_IoT_paging_eDRX_Cycle", "s1ap.nB_IoT_pagingTimeWindow", "_ws.expert.severity"}
	args := []string{"-r", file, "-o", "sctp.checksum:CRC-32C", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	// Pagings in order: plain to eNBs 1, 2; eDRX to eNBs 1, 2 (sortedKeys).
	want := []string{
		"Paging\t3\t" + bitsField(MTMSI(plain.IMSI)%4096) + "\t\t",
		"Paging\t3\t\t\t",
		"Paging\t3\t" + bitsField(MTMSI(edrx.IMSI)%4096) + "\t3\t1",
		"Paging\t3\t\t\t",
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
		if g := strings.Join(f[:len(f)-1], "\t"); g != want[i] {
			t.Errorf("frame %d: tshark %q, want %q", i+1, g, want[i])
		}
	}
}

// bitsField is tshark's rendering of a 12-bit BIT STRING field: its two
// octets, left-aligned, in hex.
func bitsField(v uint32) string {
	const hex = "0123456789abcdef"
	b := v << 4
	return string([]byte{hex[b>>12&15], hex[b>>8&15], hex[b>>4&15], hex[b&15]})
}

// TestPagingDRXValues: the Paging DRX nearest to the configured cycle, and
// the NB-IoT Paging eDRX Information of every NB-S1 eDRX cycle (TS 24.008
// Table 10.5.5.32) and paging time window.
func TestPagingDRXValues(t *testing.T) {
	ms := time.Millisecond
	for d, want := range map[time.Duration]s1ap.PagingDRX{
		10 * ms: s1ap.PagingDRX32, 320 * ms: s1ap.PagingDRX32, 640 * ms: s1ap.PagingDRX64, 1280 * ms: s1ap.PagingDRX128,
		2560 * ms: s1ap.PagingDRX256, 2 * time.Second: s1ap.PagingDRX256, time.Hour: s1ap.PagingDRX256,
	} {
		if got := pagingDRXFor(d); got != want {
			t.Errorf("Paging DRX for %v: %d, want %d", d, got, want)
		}
	}
	hf := map[time.Duration]s1ap.NBIoTPagingEDRXCycle{
		20480 * ms: s1ap.NBIoTEDRXhf2, 40960 * ms: s1ap.NBIoTEDRXhf4, 81920 * ms: s1ap.NBIoTEDRXhf8,
		163840 * ms: s1ap.NBIoTEDRXhf16, 327680 * ms: s1ap.NBIoTEDRXhf32, 655360 * ms: s1ap.NBIoTEDRXhf64,
		1310720 * ms: s1ap.NBIoTEDRXhf128, 2621440 * ms: s1ap.NBIoTEDRXhf256, 5242880 * ms: s1ap.NBIoTEDRXhf512,
		10485760 * ms: s1ap.NBIoTEDRXhf1024,
	}
	if len(hf) != len(gpp.EDRXCyclesNB()) {
		t.Fatalf("%d NB-S1 cycles, want %d", len(gpp.EDRXCyclesNB()), len(hf))
	}
	for _, c := range gpp.EDRXCyclesNB() {
		want, ok := hf[c.Cycle]
		if !ok {
			t.Fatalf("NB-S1 cycle %v not expected", c.Cycle)
		}
		for w := uint8(0); w < 16; w++ {
			e := nbIoTPagingEDRX(c.Cycle, time.Duration(w+1)*2560*ms)
			if e.Cycle != want || e.TimeWindow == nil || *e.TimeWindow != w || e.Ext != nil {
				t.Errorf("eDRX %v PTW s%d: %+v", c.Cycle, w+1, e)
			}
		}
	}
	if e := nbIoTPagingEDRX(61440*ms, 0); e.Cycle != s1ap.NBIoTEDRXhf6 || e.TimeWindow != nil {
		t.Errorf("eDRX 61.44 s, no PTW: %+v", e)
	}
	if e := nbIoTPagingEDRX(time.Second, time.Minute); e.Cycle != s1ap.NBIoTEDRXhf2 || *e.TimeWindow != 15 {
		t.Errorf("eDRX 1 s, PTW 60 s: %+v", e)
	}
}
