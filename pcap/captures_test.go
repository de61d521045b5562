package pcap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/internal/testutil"
)

// captureDir holds the real captures: shared/captures beside the
// repository ("" when there is no repository root above).
var captureDir = testutil.Captures()

// counts are what a capture holds, as tshark 4.0.17 counts it.
type counts struct {
	Frames     int // frame.number
	S1APChunks int // SCTP DATA chunks with PPID 18 (occurrences of sctp.data_payload_proto_id == 18)
	S1APMsgs   int // S1AP PDUs (occurrences of s1ap.procedureCode): reassembled user messages with PPID 18
	GSMTAPNAS  int // GSMTAP LTE NAS datagrams (gsmtap.type == 0x12)
	GSMTAPRRC  int // GSMTAP LTE RRC datagrams (gsmtap.type == 0x0d)
	CoAP       int // UDP datagrams from or to port 5683 (frames dissected as CoAP)
	SCTPBadSum int // SCTP packets whose CRC32c is wrong (sctp.checksum.status == 0; offloaded checksums)
	First      string
	Last       string // frame.time_epoch of the first and last frames
}

// knownCaptures were counted with tshark 4.0.17 (see TestCaptures for the
// fields), so that the test checks the reader where tshark is absent.
var knownCaptures = map[string]counts{
	"fasferraz-enb-emulator-open5gs-attach-detach.pcapng": {
		Frames: 370, S1APChunks: 17, S1APMsgs: 17, SCTPBadSum: 50,
		First: "1630334954.309124798", Last: "1630334981.586853607"},
	"leshan-thermostat-lwm2m-coap-observe.pcapng": {
		Frames: 10000, CoAP: 10000,
		First: "1694161756.502612000", Last: "1694167656.494347000"},
	"open5gs-srsenb-real-ue-attach-detach-2022.pcapng": {
		Frames: 1928, S1APChunks: 17, S1APMsgs: 17, SCTPBadSum: 32,
		First: "1670723461.906315209", Last: "1670723490.227977140"},
	"open5gs-testsuite-epc-2019.pcapng": {
		Frames: 644, S1APChunks: 310, S1APMsgs: 310, SCTPBadSum: 310,
		First: "1518334413.244954000", Last: "1518334448.335076000"},
	"open5gs-testsuite-epc-cups-2020.pcapng": {
		Frames: 854, S1APChunks: 336, S1APMsgs: 336, SCTPBadSum: 454,
		First: "1597275637.242573396", Last: "1597275642.871445021"},
	// Here one S1AP PDU is split over two DATA chunks twice, and one of the
	// SCTP packets is IP-fragmented (frames 32 and 33).
	"open5gs-volte-real-ue-attach-ims-reg.pcapng": {
		Frames: 873, S1APChunks: 14, S1APMsgs: 12, SCTPBadSum: 26,
		First: "1587110432.370372137", Last: "1587110440.415389769"},
	"qcsuper-swisscom-tram-ride-lte-rrc-nas-gsmtap.pcapng": {
		Frames: 1723, GSMTAPRRC: 1706,
		First: "1758616725.802025000", Last: "1758617443.432435000"},
	"qcsuper-xperia-commercial-lte-nas-gsmtap.pcap": {
		Frames: 2040, GSMTAPNAS: 23, GSMTAPRRC: 141,
		First: "1521877082.287500000", Last: "1521877408.487500000"},
}

// frameFacts are the per-frame facts compared with tshark.
type frameFacts struct {
	time       string
	transport  string // outermost transport over IP: "sctp", "udp" or ""
	s1apChunks int
	s1apMsgs   int
	csumOK     string // "1" good, "0" bad, "" no SCTP
	udpPorts   string // "src,dst" of the outer UDP
	gsmtapType string
	coap       bool
}

func epoch(p Packet) string {
	return fmt.Sprintf("%d.%09d", p.Time.Unix(), p.Time.Nanosecond())
}

// ourFacts reads and decodes a capture.
func ourFacts(t *testing.T, path string) ([]frameFacts, counts) {
	t.Helper()
	pkts, err := ReadFile(path)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	// The streaming reader must give the same packets.
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := NewReader(fh)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	for i := 0; ; i++ {
		p, err := r.Next()
		if err == io.EOF {
			if i != len(pkts) {
				t.Errorf("streaming reader: %d packets, ReadFile %d", i, len(pkts))
			}
			break
		}
		if err != nil {
			t.Fatalf("streaming reader: %v", err)
		}
		if i >= len(pkts) || p.Index != pkts[i].Index || !p.Time.Equal(pkts[i].Time) || !bytes.Equal(p.Data, pkts[i].Data) || p.LinkType != pkts[i].LinkType {
			t.Fatalf("streaming reader: packet %d differs from ReadFile's", i+1)
		}
	}

	var c counts
	facts := make([]frameFacts, len(pkts))
	d := NewDecoder()
	for i, p := range pkts {
		if p.Index != i+1 {
			t.Fatalf("packet %d has Index %d", i+1, p.Index)
		}
		ff := &facts[i]
		ff.time = epoch(p)
		f, err := d.Decode(p)
		if err != nil && !errors.Is(err, ErrFragment) {
			t.Errorf("Decode: %v", err)
		}
		if f.Index != p.Index || !f.Time.Equal(p.Time) {
			t.Errorf("frame %d: Decode gave Index %d, Time %v", p.Index, f.Index, f.Time)
		}
		switch {
		case f.SCTPHeader != nil:
			ff.transport = "sctp"
			ff.csumOK = "0"
			if VerifySCTPChecksum(f.IPPayload) {
				ff.csumOK = "1"
			} else {
				c.SCTPBadSum++
			}
		case f.UDP != nil:
			ff.transport = "udp"
			ff.udpPorts = fmt.Sprintf("%d,%d", f.UDP.SrcPort, f.UDP.DstPort)
			if f.UDP.SrcPort == PortCoAP || f.UDP.DstPort == PortCoAP {
				ff.coap = true
				c.CoAP++
			}
		}
		for _, ch := range f.SCTPChunks {
			if ch.Type == 0 && ch.PPID == PPIDS1AP {
				ff.s1apChunks++
			}
		}
		for _, m := range f.SCTP {
			if m.PPID == PPIDS1AP {
				ff.s1apMsgs++
			}
		}
		if g := f.GSMTAP; g != nil {
			ff.gsmtapType = strconv.Itoa(int(g.Type))
			switch g.Type {
			case GSMTAPTypeLTENAS:
				c.GSMTAPNAS++
			case GSMTAPTypeLTERRC:
				c.GSMTAPRRC++
			}
		}
		c.S1APChunks += ff.s1apChunks
		c.S1APMsgs += ff.s1apMsgs
	}
	c.Frames = len(pkts)
	if len(pkts) > 0 {
		c.First, c.Last = facts[0].time, facts[len(facts)-1].time
	}
	return facts, c
}

var tsharkFields = []string{
	"frame.number", "frame.time_epoch", "frame.protocols",
	"sctp.data_payload_proto_id", "s1ap.procedureCode", "sctp.checksum.status",
	"udp.srcport", "udp.dstport", "gsmtap.type",
}

// tsharkFacts runs tshark once over a capture.
func tsharkFacts(t *testing.T, path string) ([]frameFacts, counts) {
	t.Helper()
	args := []string{"-n", "-r", path, "-o", "sctp.checksum:CRC-32c", "-T", "fields",
		"-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range tsharkFields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		t.Fatalf("tshark %v: %v", args, err)
	}
	var c counts
	var facts []frameFacts
	for line := range strings.Lines(string(out)) {
		col := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(col) != len(tsharkFields) {
			t.Fatalf("tshark line %q: %d fields, want %d", line, len(col), len(tsharkFields))
		}
		var ff frameFacts
		ff.time = col[1]
		protos := strings.Split(col[2], ":")
		i := slices.IndexFunc(protos, func(p string) bool { return p == "ip" || p == "ipv6" })
		if i >= 0 && i+1 < len(protos) {
			switch protos[i+1] {
			case "sctp", "udp":
				ff.transport = protos[i+1]
			}
		}
		list := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ",")
		}
		first := func(s string) string { return strings.Split(s, ",")[0] }
		switch ff.transport {
		case "sctp":
			for _, p := range list(col[3]) {
				if p == "18" {
					ff.s1apChunks++
				}
			}
			ff.s1apMsgs = len(list(col[4]))
			ff.csumOK = first(col[5])
			if ff.csumOK == "0" {
				c.SCTPBadSum++
			}
		case "udp":
			ff.udpPorts = first(col[6]) + "," + first(col[7])
			ff.gsmtapType = first(col[8])
			ff.coap = len(protos) > i+2 && protos[i+2] == "coap"
			if ff.coap {
				c.CoAP++
			}
			switch ff.gsmtapType {
			case "18":
				c.GSMTAPNAS++
			case "13":
				c.GSMTAPRRC++
			}
		}
		c.S1APChunks += ff.s1apChunks
		c.S1APMsgs += ff.s1apMsgs
		facts = append(facts, ff)
	}
	c.Frames = len(facts)
	if len(facts) > 0 {
		c.First, c.Last = facts[0].time, facts[len(facts)-1].time
	}
	return facts, c
}

// captureFiles returns the file names of the real captures, or skips t.
func captureFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, path := range testutil.CaptureFiles(t) {
		files = append(files, filepath.Base(path))
	}
	return files
}

func TestCaptures(t *testing.T) {
	files := captureFiles(t)
	_, lookErr := exec.LookPath("tshark")
	if lookErr != nil {
		t.Logf("tshark not on PATH: comparing with the checked-in counts only (%v)", lookErr)
	}
	for name := range knownCaptures {
		if !slices.Contains(files, name) {
			t.Errorf("checked-in capture %s is missing from %s", name, captureDir)
		}
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // tshark's start-up dominates: use both cores
			path := filepath.Join(captureDir, name)
			ours, got := ourFacts(t, path)
			t.Logf("reader: %+v", got)
			if want, ok := knownCaptures[name]; ok {
				if got != want {
					t.Errorf("counts:\n got  %+v\n want %+v (checked-in, from tshark 4.0.17)", got, want)
				}
			} else {
				t.Logf("no checked-in counts for %s", name)
			}
			if lookErr != nil {
				t.Log("tshark not on PATH: per-frame comparison with tshark skipped")
				return
			}
			theirs, tc := tsharkFacts(t, path)
			if got != tc {
				t.Errorf("counts:\n ours   %+v\n tshark %+v", got, tc)
			}
			if len(ours) != len(theirs) {
				return
			}
			bad := 0
			for i := range ours {
				if ours[i] != theirs[i] {
					if bad++; bad <= 10 {
						t.Errorf("frame %d:\n ours   %+v\n tshark %+v", i+1, ours[i], theirs[i])
					}
				}
			}
			if bad > 10 {
				t.Errorf("... %d frames differ from tshark", bad)
			}
		})
	}
}
