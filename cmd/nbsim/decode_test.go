package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/internal/testutil"
)

// fasferraz returns the path of the real capture the decode tests read, or
// skips the test when the shared captures are absent.
func fasferraz(t *testing.T) string {
	t.Helper()
	return testutil.CaptureFile(t, "fasferraz-enb-emulator-open5gs-attach-detach.pcapng")
}

func runMain(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDecodeText(t *testing.T) {
	code, out, errs := runMain("decode", fasferraz(t))
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"#120      9.954s  eNB→MME  S1AP InitialUEMessage enb-ue=1000 tai=208-93/0001 cell=00f4240 cause=mo-Signalling | NAS Attach request type=eps imsi=901700000050900 | ESM PDN connectivity request",
		"NAS [integrity,new-context] Security mode command algorithms=EEA0/EIA2",
		"S1AP UEContextReleaseCommand mme-ue=9 enb-ue=1000 cause=nas:detach",
		"\n\n370 packets, 17 S1AP messages, 12 NAS messages, 0 decoding errors, 1 UEs\n",
		"UE 1: imsi=901700000050900 guti=208-93/0002/01/d5006ee6",
		"  attach: eps, frame 120→175 complete in 964.399 ms\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^#\d+ .* S1AP `).FindAllString(out, -1)); n != 17 {
		t.Errorf("%d S1AP lines, want 17", n)
	}
}

func TestDecodeJSON(t *testing.T) {
	code, out, _ := runMain("decode", "--json", fasferraz(t))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Records []struct {
			Frame   int               `json:"frame"`
			Proto   string            `json:"proto"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"records"`
		UEs []struct {
			IMSI     string `json:"imsi"`
			Attaches []struct {
				MS float64 `json:"ms"`
			} `json:"attaches"`
		} `json:"ues"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if len(doc.Records) != 17 || doc.Records[2].Message != "InitialUEMessage" || doc.Records[2].Fields["enb-ue"] != "1000" {
		t.Errorf("records %+v", doc.Records)
	}
	if len(doc.UEs) != 1 || doc.UEs[0].IMSI != "901700000050900" || len(doc.UEs[0].Attaches) != 1 || doc.UEs[0].Attaches[0].MS < 964 {
		t.Errorf("ues %+v", doc.UEs)
	}
	// key order is fixed
	if !regexp.MustCompile(`(?s)^\{\s*"records".*"ues"`).MatchString(out) {
		t.Error("records do not come before ues")
	}
}

func TestDecodeBadInput(t *testing.T) {
	data, _ := os.ReadFile(fasferraz(t))
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.pcapng")
	os.WriteFile(cut, data[:len(data)/2], 0o644)
	code, out, errs := runMain("decode", cut)
	if code != 2 {
		t.Errorf("truncated: exit %d", code)
	}
	if !regexp.MustCompile(`^nbsim: \S+cut\.pcapng: frame \d+ at byte offset \d+: `).MatchString(errs) {
		t.Errorf("truncated: stderr %q", errs)
	}
	if !strings.Contains(out, "S1SetupRequest") {
		t.Errorf("truncated: what came before the cut is not printed:\n%s", out)
	}
	code, _, errs = runMain("decode", filepath.Join(dir, "missing.pcap"))
	if code != 2 || !strings.Contains(errs, "missing.pcap") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
	junk := filepath.Join(dir, "junk.pcap")
	os.WriteFile(junk, []byte("not a capture"), 0o644)
	code, _, errs = runMain("decode", junk)
	if code != 2 || !strings.Contains(errs, "junk.pcap: not a pcap or pcapng file") {
		t.Errorf("junk: exit %d, %q", code, errs)
	}
	if code, _, _ = runMain("decode", "a", "b"); code != 2 {
		t.Errorf("two files: exit %d", code)
	}
}

func TestDecodeHexStdin(t *testing.T) {
	in := "# hex PDUs\n" +
		"000c406c000005000800034003e8001a00434207410108991007000050900005f0f0c04009002d0201d011d127268080211c0100001c810600000000820600000000830600000000840600000000000c00000e00c1004300060002f8390001006440080002f83900f424000086400130 # S1AP\n" +
		"07 5d 02 01 02 e0 e0\n" + // security mode command, plain
		"0746\n" +
		"xyz\n"
	f, err := os.CreateTemp(t.TempDir(), "hex")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(in)
	f.Seek(0, 0)
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	code, out, errs := runMain("decode", "-")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errs)
	}
	for _, want := range []string{
		"#2 ", "S1AP InitialUEMessage enb-ue=1000", "NAS Attach request type=eps imsi=901700000050900",
		"#3 ", "Security mode command algorithms=EEA0/EIA2",
		"#4 ", "NAS Detach accept",
		"#5 ", "ERROR line 5: not hex",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	f.Seek(0, 0)
	code, out, _ = runMain("decode", "--nas", "--json")
	if code != 0 || !json.Valid([]byte(out)) {
		t.Errorf("--nas --json: exit %d, %s", code, out)
	}
}
