package s1ap

import (
	"encoding/hex"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/internal/testutil"
)

// TestCaptureFieldsVsTshark compares, for every single-PDU S1AP frame of
// the captures, the fields decoded here with tshark's: eNB UE S1AP ID, MME
// UE S1AP ID, TAC and PLMN of the TAI, and the NAS-PDU length.
func TestCaptureFieldsVsTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	byFrame := map[string]capturePDU{}
	files := map[string]bool{}
	for _, c := range loadCaptures(t) {
		if c.Index == "0" {
			byFrame[c.File+"#"+c.Frame] = c
			files[c.File] = true
		}
	}
	counts := map[string]int{}
	for file := range files {
		for _, f := range tsharkFields(t, tshark, file) {
			c, ok := byFrame[file+"#"+f[0]]
			if !ok {
				t.Errorf("%s#%s: not in captures.txt", file, f[0])
				continue
			}
			compareTshark(t, c, f, counts)
		}
	}
	t.Logf("fields compared with tshark: %v", counts)
	if counts["eNB-UE-S1AP-ID"] < 100 || counts["TAC"] < 50 || counts["NAS-PDU length"] < 100 {
		t.Errorf("too few comparisons: %v", counts)
	}
}

// tsharkFields returns tshark's fields of the single-PDU S1AP frames of a
// capture: frame number, procedure code, eNB and MME UE S1AP IDs, TAC,
// PLMN, NAS-PDU and the PDU.
func tsharkFields(t *testing.T, tshark, file string) [][]string {
	path := testutil.CaptureFile(t, file)
	out, err := exec.Command(tshark, "-r", path, "-Y", "s1ap", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
		"-e", "frame.number", "-e", "s1ap.procedureCode", "-e", "s1ap.ENB_UE_S1AP_ID", "-e", "s1ap.MME_UE_S1AP_ID",
		"-e", "s1ap.tAC", "-e", "s1ap.pLMNidentity", "-e", "s1ap.NAS_PDU", "-e", "s1ap.S1AP_PDU").Output()
	if err != nil {
		t.Fatalf("tshark %s: %v", file, err)
	}
	all, err := exec.Command(tshark, "-r", path, "-Y", "s1ap", "-T", "fields", "-e", "s1ap.procedureCode").Output()
	if err != nil {
		t.Fatal(err)
	}
	multi := map[int]bool{}
	for i, l := range strings.Split(strings.TrimSpace(string(all)), "\n") {
		multi[i] = strings.Contains(l, ",")
	}
	var rows [][]string
	for i, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 8 || multi[i] {
			continue // several PDUs in the frame: tshark's first occurrences mix them
		}
		rows = append(rows, f)
	}
	return rows
}

// compareTshark compares the fields of capture PDU c with tshark's f,
// counting the comparisons by field in counts.
func compareTshark(t *testing.T, c capturePDU, f []string, counts map[string]int) {
	t.Helper()
	m, err := Parse(c.Bytes)
	if err != nil {
		t.Errorf("%s: %v", c.where(), err)
		return
	}
	if strconv.Itoa(int(m.Procedure())) != f[1] {
		t.Errorf("%s: procedure %d, tshark %s", c.where(), m.Procedure(), f[1])
	}
	if _, raw := m.(*PDU); raw {
		return
	}
	v := reflect.ValueOf(m).Elem()
	check := func(what, got, want string) {
		counts[what]++
		if got != want {
			t.Errorf("%s: %s = %s, tshark %s", c.where(), what, got, want)
		}
	}
	if fv := v.FieldByName("ENBUES1APID"); fv.IsValid() && fv.Kind() == reflect.Uint32 && f[2] != "" {
		check("eNB-UE-S1AP-ID", strconv.FormatUint(fv.Uint(), 10), f[2])
	}
	if fv := v.FieldByName("MMEUES1APID"); fv.IsValid() && fv.Kind() == reflect.Uint32 && f[3] != "" {
		check("MME-UE-S1AP-ID", strconv.FormatUint(fv.Uint(), 10), f[3])
	}
	if fv := v.FieldByName("TAI"); fv.IsValid() && f[4] != "" {
		tai := fv.Interface().(TAI)
		check("TAC", strconv.Itoa(int(tai.TAC)), f[4])
		check("PLMN", hex.EncodeToString(tai.PLMN[:]), f[5])
	}
	if f[6] != "" {
		check("NAS-PDU length", strconv.Itoa(len(firstNAS(m, v))), strconv.Itoa(len(f[6])/2))
	}
}

// firstNAS is the message's NAS-PDU, or its first E-RAB's.
func firstNAS(m Message, v reflect.Value) []byte {
	if fv := v.FieldByName("NASPDU"); fv.IsValid() {
		return fv.Bytes()
	} else if ic, ok := m.(*InitialContextSetupRequest); ok && len(ic.ERABs) > 0 {
		return ic.ERABs[0].NASPDU
	} else if es, ok := m.(*ERABSetupRequest); ok && len(es.ERABs) > 0 {
		return es.ERABs[0].NASPDU
	}
	return nil
}
