package decode

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/gpp"
	"github.com/nbsim/nbsim/internal/testutil"
)

// lines reads a tab-separated testdata file, skipping # comments.
func lines(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		out = append(out, strings.Split(sc.Text(), "\t"))
	}
	return out
}

// TestCaptures decodes every shared capture and checks what it finds
// against tshark's extraction: the S1AP PDUs (with their message names) of
// testdata/s1ap/captures.txt and the NAS-PDUs (octet for octet) of
// testdata/nas/captures.txt.
func TestCaptures(t *testing.T) {
	wantS1AP := map[string][]string{} // file -> "frame name" in order
	for _, l := range lines(t, "../testdata/s1ap/captures.txt") {
		wantS1AP[l[0]] = append(wantS1AP[l[0]], l[1]+" "+strings.ReplaceAll(l[5], "_", "-"))
	}
	wantNAS := map[string][]string{} // file -> "frame dir hex"
	for _, l := range lines(t, "../testdata/nas/captures.txt") {
		wantNAS[l[0]] = append(wantNAS[l[0]], l[1]+" "+l[2]+" "+l[3])
	}
	table := map[string]int{
		"fasferraz-enb-emulator-open5gs-attach-detach.pcapng": 17,
		"open5gs-srsenb-real-ue-attach-detach-2022.pcapng":    17,
		"open5gs-testsuite-epc-2019.pcapng":                   310,
		"open5gs-testsuite-epc-cups-2020.pcapng":              336,
		"open5gs-volte-real-ue-attach-ims-reg.pcapng":         12,
	}
	totalNAS, unextracted := 0, 0
	for _, path := range testutil.CaptureFiles(t) {
		file := filepath.Base(path)
		res, err := File(path, Options{})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		var s1, nasGot []string
		var missing []string // frames where a NAS-PDU was seen but not extracted
		for _, r := range res.Records {
			if r.Proto == ProtoS1AP {
				s1 = append(s1, fmt.Sprintf("%d %s", r.Frame, r.Message))
			}
			if r.Error != "" && len(r.NAS) == 0 && strings.HasPrefix(r.Via, "LTE-RRC") {
				missing = append(missing, fmt.Sprint(r.Frame))
				continue
			}
			if r.Error != "" && r.Proto == ProtoS1AP {
				t.Errorf("%s: %s", file, r.Error)
			}
			for _, n := range r.NAS {
				if n.Error != "" {
					t.Errorf("%s: %s", file, n.Error)
				}
				if n.In != "" {
					continue
				}
				d := "UL"
				if r.Dir == Downlink {
					d = "DL"
				}
				nasGot = append(nasGot, fmt.Sprintf("%d %s %x", r.Frame, d, n.raw))
			}
		}
		if want, ok := table[file]; ok && res.S1AP != want {
			t.Errorf("%s: %d S1AP messages, want %d", file, res.S1AP, want)
		}
		if !slices.Equal(s1, wantS1AP[file]) {
			t.Errorf("%s: S1AP messages differ from tshark's:\n got %q\nwant %q", file, s1, wantS1AP[file])
		}
		// Every NAS-PDU found is one of tshark's; those not found are
		// reported as not extracted in their frame.
		want := slices.Clone(wantNAS[file])
		for _, g := range nasGot {
			i := slices.Index(want, g)
			if i < 0 {
				t.Errorf("%s: NAS-PDU %s not in tshark's list", file, g)
				continue
			}
			want = slices.Delete(want, i, i+1)
		}
		for _, w := range want {
			if !slices.Contains(missing, strings.Fields(w)[0]) {
				t.Errorf("%s: tshark's NAS-PDU %.60s not found", file, w)
			}
		}
		if res.NAS != len(nasGot) {
			t.Errorf("%s: Result.NAS %d, found %d", file, res.NAS, len(nasGot))
		}
		totalNAS += res.NAS
		unextracted += len(missing)
		t.Logf("%s: %d packets, %d S1AP, %d NAS (+%d not extracted), %d UEs", file, res.Packets, res.S1AP, res.NAS, len(missing), len(res.UEs))
	}
	nLines := 0
	for _, v := range wantNAS {
		nLines += len(v)
	}
	if totalNAS != 467 || unextracted != 0 || nLines != 467 {
		t.Errorf("NAS-PDUs: %d found + %d not extracted, tshark %d (want all 467 found)", totalNAS, unextracted, nLines)
	}
}

func TestFasferrazSummary(t *testing.T) {
	path := testutil.CaptureFile(t, "fasferraz-enb-emulator-open5gs-attach-detach.pcapng")
	res, err := File(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.UEs) != 1 {
		t.Fatalf("%d UEs, want 1", len(res.UEs))
	}
	u := res.UEs[0]
	if u.IMSI != "901700000050900" {
		t.Errorf("IMSI %q", u.IMSI)
	}
	if len(u.Attaches) != 1 || u.Attaches[0].Result != "complete" || u.Attaches[0].MS == nil ||
		u.Attaches[0].Frame != 120 || u.Attaches[0].End != 175 {
		t.Fatalf("attach %+v", u.Attaches)
	}
	if ms := *u.Attaches[0].MS; ms < 964 || ms > 965 {
		t.Errorf("attach took %g ms, want 964.4 (frames 120 to 175)", ms)
	}
	if u.Auth != "ok" || u.Security != "EEA0/EIA2" || u.Granted.T3412 != "54m" {
		t.Errorf("auth %q security %q t3412 %q", u.Auth, u.Security, u.Granted.T3412)
	}
	if len(u.Detaches) != 1 || u.Detaches[0].Result != "accepted" {
		t.Errorf("detach %+v", u.Detaches)
	}
	if len(u.Releases) != 1 || u.Releases[0].Cause != "nas:detach" {
		t.Errorf("releases %+v", u.Releases)
	}
	if len(u.S1) != 1 || u.S1[0].ENBUEID != 1000 || u.S1[0].MMEUEID == nil || *u.S1[0].MMEUEID != 9 || !u.S1[0].Released {
		t.Errorf("s1 %+v", u.S1)
	}
}

// TestSrsenbGUTIAttach: a GUTI attach whose IMSI comes in the identity
// response is one UE.
func TestSrsenbGUTIAttach(t *testing.T) {
	path := testutil.CaptureFile(t, "open5gs-srsenb-real-ue-attach-detach-2022.pcapng")
	res, err := File(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.UEs) != 1 || res.UEs[0].IMSI != "901700000021309" || len(res.UEs[0].Attaches) != 1 ||
		res.UEs[0].Attaches[0].Result != "complete" || res.UEs[0].Detaches[0].Type != "ue switch-off" {
		t.Errorf("UEs %+v", res.UEs)
	}
}

func mustHex(t *testing.T, m nas.Message) string {
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestHexPSM: hex input, S1AP and NAS lines, and PSM/eDRX timers requested
// and granted.
func TestHexPSM(t *testing.T) {
	t3324, t3412e := nas.GPRSTimer2(0x05), nas.GPRSTimer3(0x01) // 10 s, 1 h... see below
	edrx := nas.ExtendedDRXParameters{PagingTimeWindow: 1, EDRXValue: 5}
	req := &nas.AttachRequest{AttachType: nas.EPSAttach, KSI: nas.NoKeyAvailable, Identity: nas.NewIMSI("001010123456789"),
		UENetworkCapability: nas.UENetworkCapability{0xe0, 0xe0}, ESMMessageContainer: []byte{0x02, 0x01, 0xd0, 0x11, 0xd1},
		T3324: &t3324, T3412Extended: &t3412e, ExtendedDRXParameters: &edrx}
	g3324 := nas.GPRSTimer2(0x21) // 1 minute
	acc := &nas.AttachAccept{AttachResult: nas.EPSOnly, T3412: nas.GPRSTimer(0x49),
		TAIList:             nas.TAIList{{Type: nas.TAIListOnePLMN, PLMN: gpp.MustPLMN("001", "01"), TACs: []uint16{1}}},
		ESMMessageContainer: []byte{0x52, 0x01, 0xc1, 0x01, 0x09, 0x01, 0x00, 0x05, 0x01, 0x0a, 0x00, 0x00, 0x01},
		T3412Extended:       &t3412e, T3324: &g3324}
	in := "# attach with PSM\n" + mustHex(t, req) + "\n\n  " + mustHex(t, acc) + "  # accept\n" +
		mustHex(t, &nas.AttachComplete{ESMMessageContainer: []byte{0x52, 0x01, 0xc2}}) + "\nzz\n"
	res, err := Hex(strings.NewReader(in), Options{ForceNAS: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 4 || res.Records[0].Frame != 2 || res.Records[3].Error == "" {
		t.Fatalf("records %+v", res.Records)
	}
	r := res.Records[0]
	if r.Dir != Uplink || r.Message != "Attach request" || r.NAS[0].Fields.Get("imsi") != "001010123456789" ||
		r.NAS[0].Fields.Get("t3324") != "10s" {
		t.Errorf("record %+v", r)
	}
	if len(res.UEs) != 1 {
		t.Fatalf("UEs %+v", res.UEs)
	}
	u := res.UEs[0]
	if u.IMSI != "001010123456789" || u.Requested.T3324 != "10s" || u.Granted.T3324 != "1m" ||
		u.Requested.T3412Ext != u.Granted.T3412Ext || u.Requested.EDRX == "" || u.Granted.EDRX != "" {
		t.Errorf("UE %+v requested %+v granted %+v", u, u.Requested, u.Granted)
	}
	if len(u.Attaches) != 1 || u.Attaches[0].Result != "complete" {
		t.Errorf("attach %+v", u.Attaches)
	}

	// S1AP first: a line of the S1AP capture list decodes as S1AP.
	var s1 string
	for _, l := range lines(t, "../testdata/s1ap/captures.txt") {
		if l[5] == "InitialUEMessage" {
			s1 = l[6]
			break
		}
	}
	res, err = Hex(strings.NewReader(s1+"\n"+mustHex(t, req)+"\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Records[0].Proto != ProtoS1AP || res.Records[0].Message != "InitialUEMessage" || len(res.Records[0].NAS) == 0 ||
		res.Records[1].Proto != ProtoNAS || res.Records[1].Message != "Attach request" {
		t.Errorf("records %+v", res.Records)
	}
}

func TestTruncatedAndBad(t *testing.T) {
	path := testutil.CaptureFile(t, "fasferraz-enb-emulator-open5gs-attach-detach.pcapng")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.pcapng")
	os.WriteFile(cut, data[:len(data)*2/3], 0o644)
	res, err := File(cut, Options{})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Frame == 0 || fe.Offset == 0 {
		t.Fatalf("err %v", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("cut.pcapng: frame %d at byte offset %d: ", fe.Frame, fe.Offset)) {
		t.Errorf("error %q", err)
	}
	if res == nil || len(res.Records) == 0 {
		t.Errorf("nothing decoded before the cut")
	}
	junk := filepath.Join(dir, "junk")
	os.WriteFile(junk, []byte("hello world"), 0o644)
	if _, err := File(junk, Options{}); err == nil || !strings.Contains(err.Error(), "not a pcap") {
		t.Errorf("junk: %v", err)
	}
	// A bad S1AP PDU inside a good file is a record with an error.
	res, err = Hex(strings.NewReader("00 0c 40 ff 00\n07 41\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Records {
		if r.Error == "" || !strings.Contains(r.Error, "line") && !strings.Contains(r.Error, "frame") {
			t.Errorf("record %+v", r)
		}
	}
}

func TestJSON(t *testing.T) {
	path := testutil.CaptureFile(t, "open5gs-testsuite-epc-2019.pcapng")
	res, err := File(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b strings.Builder
	if err := WriteJSON(&a, res); err != nil {
		t.Fatal(err)
	}
	res2, _ := File(path, Options{})
	WriteJSON(&b, res2)
	if a.String() != b.String() {
		t.Error("JSON output not deterministic")
	}
	var doc struct {
		Records []map[string]any `json:"records"`
		UEs     []map[string]any `json:"ues"`
	}
	if err := json.Unmarshal([]byte(a.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Records) != len(res.Records) || len(doc.UEs) != len(res.UEs) || len(doc.UEs) == 0 {
		t.Errorf("%d records %d UEs", len(doc.Records), len(doc.UEs))
	}
}
