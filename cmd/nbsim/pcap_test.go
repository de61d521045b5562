package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/pcap"
)

// pcapArgs runs the small scenario (its trackers on the control plane, so
// they attach during the run) for 6 simulated hours.
func pcapArgs(out string) []string {
	return []string{"run", "../../testdata/small.yaml", "--set", "groups.trackers.data_path=control-plane",
		"--duration", "6h", "--pcap", out, "-q"}
}

// --pcap writes every S1AP message (NAS inside) and the user data; our own
// codecs read all of it back, and tshark dissects it with no malformed
// packet and finds the procedures.
func TestPcapOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run.pcap")
	var so, se bytes.Buffer
	if code := Main(pcapArgs(out), &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	pkts, err := pcap.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	dec := pcap.NewDecoder()
	var nS1AP, nNAS, nUDP int
	for _, p := range pkts {
		f, err := dec.Decode(p)
		if err != nil {
			t.Fatalf("frame %d: %v", p.Index, err)
		}
		if f.UDP != nil {
			nUDP++
		}
		for _, d := range f.SCTP {
			m, err := s1ap.Parse(d.Payload)
			if err != nil {
				t.Fatalf("frame %d: S1AP: %v", p.Index, err)
			}
			nS1AP++
			var pdu []byte
			dir := nas.Uplink
			switch x := m.(type) {
			case *s1ap.InitialUEMessage:
				pdu = x.NASPDU
			case *s1ap.UplinkNASTransport:
				pdu = x.NASPDU
			case *s1ap.DownlinkNASTransport:
				pdu, dir = x.NASPDU, nas.Downlink
			}
			if pdu != nil {
				if _, err := nas.ParseDirection(pdu, dir); err != nil {
					t.Fatalf("frame %d: NAS: %v", p.Index, err)
				}
				nNAS++
			}
		}
	}
	if nS1AP == 0 || nNAS == 0 || nUDP == 0 {
		t.Fatalf("S1AP %d, NAS %d, UDP %d", nS1AP, nNAS, nUDP)
	}
	t.Logf("%d frames: %d S1AP, %d with NAS, %d CoAP", len(pkts), nS1AP, nNAS, nUDP)

	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed: the independent check is skipped (.ci/run installs it)")
	}
	bad, err := exec.Command("tshark", "-r", out, "-Y", "_ws.malformed || _ws.expert.severity >= warning").Output()
	if err != nil {
		t.Fatal(err)
	}
	if len(bytes.TrimSpace(bad)) != 0 {
		t.Errorf("tshark finds malformed packets or warnings:\n%s", firstLines(string(bad), 10))
	}
	info, err := exec.Command("tshark", "-r", out, "-T", "fields", "-e", "_ws.col.Info").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"S1SetupRequest", "S1SetupResponse", "InitialUEMessage, Attach request", "Authentication request", "Security mode command",
		"Attach accept", "Attach complete", "Control plane service request, ESM data transport",
		"DownlinkNASTransport, ESM data transport", "UEContextReleaseCommand", "UEContextReleaseComplete",
		"Tracking area update request", "Paging", "POST, /r"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("tshark shows no %q", want)
		}
	}
}

// Same run, same capture, byte for byte.
func TestPcapDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.pcap"), filepath.Join(dir, "b.pcap")
	for _, p := range []string{a, b} {
		var so, se bytes.Buffer
		if code := Main(pcapArgs(p), &so, &se); code != 0 {
			t.Fatalf("exit %d: %s", code, se.String())
		}
	}
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if !bytes.Equal(x, y) {
		t.Error("two runs wrote different captures")
	}
}

// An unwritable --pcap is bad input: exit 2, nothing written.
func TestPcapUnwritable(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	var so, se bytes.Buffer
	if code := Main(pcapArgs(filepath.Join(f, "x.pcap")), &so, &se); code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, se.String())
	}
	if !strings.Contains(se.String(), "--pcap") {
		t.Errorf("message does not name --pcap: %s", se.String())
	}
}

func firstLines(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	if len(l) > n {
		l = l[:n]
	}
	return strings.Join(l, "\n")
}
