package decode

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/pcap"
)

// The three RRCConnectionReconfiguration messages of the shared captures
// whose NAS-PDU follows a measConfig (GSMTAP DL-DCCH payloads), with that
// NAS-PDU as tshark extracts it (testdata/nas/captures.txt).
var reconfigsWithMeasConfig = []struct {
	name, rrc, nas string
}{
	{"swisscom frame 976",
		"201695888004126dcc10032017644224028adc1048a41f8c0340018010900197700142886800300500290285970811920a1b880cb1c61b8c08508505c800284282e510003202859740000080220086119024284a610ce22204542a04050138518dc3f8094e451261f01924790a55041ab72e03eae8004206f459f90f28e48f0cb4d5c73cb851a018da85998a4cd800053556acbbbf7da2b65be5c291e57104635381ada885b336b33894523aca2b8e0393a4be5f481c32689a9d735ed695d3cd0d06cd472444e323d2b3f791db049e1cc45a15ac0fe4392c3ade5df33c59a10d8350bad0a0b01ef229b1ed5d4d3f821600aadac2006b99fd142aadd33ee35380ffb9c083ea2e60740018007aee5003711ab771936b9f0e80030100072040101419b40a034078390a12160a02a0b02e04010017004a5c48814542aa18b9901682232e68401965508640340145573202cc4464",
		"270a31b87f0129c8a24c3e03248f214aa08356e5c07d5d000840de8b3f21e51c91e1969ab8e7970a34031b50b331499b0000a6aad59777efb456cb7cb8523cae208c6a7035b510b666d667128a47594571c0727497cbe903864d1353ae6bdad2ba79a1a0d9a8e4889c647a567ef23b6093c3988b42b581fc8725875bcbbe678b3421b06a175a141603de45363daba9a7f042c0155b58400d733fa28555ba67dc"},
	{"xperia frame 1854",
		"221615e8400402eed8203a0e1749c593384000b099080052050f3e10830340879f1010f039f00c089824f8084f224000010046011803684889114016c4d40dc9cdbecace4069e8a75d90f2601b15bae74a6af33f5e191347f80178b550924bf87c5821680cca402abb0031a89d4cdf1eaf0c52f131665a9c13fd94041f51b58631f58a0e49e5443484076ce08094003c42061286",
		"2736fb2b3901a7a29d7643c9806c56eb9d29abccfd78644d1fe005e2d542492fe1f16085a0332900aaec00c6a275337c7abc314bc4c599"},
	{"xperia frame 1987",
		"221615e8000402eed8203a0e1749c59338c00a40a1e7c210606810f3e2021e073e018113049f00c00004011804600d1211ad89a81b93953fb69681c12b5676be6d2d6efd0a99040129136574350ec612a702579bbf1023d1581255a9146896eee4860c14edcf26c1ffd167b4353827fb28083ea36b0c63eb141c93ce886ebb27493d2101db381e1c800f0c80e4a180",
		"272a7f6d2d038256aced7cda5addfa153208025226cae86a1d8c254e04af377e2047a2b024ab5228d12dddc90c1829db9e4d83ffa2cf68"},
}

// TestRRCReconfigurationMeasConfig: the NAS-PDU of a reconfiguration with
// measConfig is found after the measurement configuration is walked.
func TestRRCReconfigurationMeasConfig(t *testing.T) {
	for _, c := range reconfigsWithMeasConfig {
		b := mustHexT(t, c.rrc)
		got := rrcNAS(gsmtapRRCDLDCCH, b)
		if len(got) != 1 || got[0].err != nil {
			t.Fatalf("%s: %+v", c.name, got)
		}
		if g := hex.EncodeToString(got[0].nas); g != c.nas || got[0].where != "DL-DCCH RRCConnectionReconfiguration" {
			t.Errorf("%s: %s NAS %s, want %s", c.name, got[0].where, g, c.nas)
		}
		if off := got[0].off; off >= 0 && !bytes.Equal(b[off:off+len(got[0].nas)], got[0].nas) {
			t.Errorf("%s: offset %d does not point at the NAS-PDU", c.name, off)
		}
		// A truncation gives an error or the NAS-PDU (when what follows
		// the list is cut), never a panic nor a wrong NAS-PDU.
		for n := 0; n < len(b); n++ {
			for _, x := range rrcNAS(gsmtapRRCDLDCCH, b[:n]) {
				if x.err == nil && hex.EncodeToString(x.nas) != c.nas {
					t.Fatalf("%s cut to %d octets: NAS %x", c.name, n, x.nas)
				}
			}
		}
	}
}

func mustHexT(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bitWriter writes unaligned PER for the tests.
type bitWriter struct {
	b []byte
	n int
}

func (w *bitWriter) put(v uint64, n int) {
	for i := n - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.b = append(w.b, 0)
		}
		if v>>uint(i)&1 == 1 {
			w.b[len(w.b)-1] |= 0x80 >> uint(w.n%8)
		}
		w.n++
	}
}

// octets writes an OCTET STRING (below 16K).
func (w *bitWriter) octets(b []byte) {
	if len(b) < 128 {
		w.put(uint64(len(b)), 8)
	} else {
		w.put(0x8000|uint64(len(b)), 16)
	}
	for _, c := range b {
		w.put(uint64(c), 8)
	}
}

// open writes an open type: f's encoding, one octet at least.
func (w *bitWriter) open(f func(p func(uint64, int))) {
	var x bitWriter
	f(x.put)
	if x.n == 0 {
		x.put(0, 8)
	}
	w.octets(x.b)
}

// synthReconfiguration is a DL-DCCH RRCConnectionReconfiguration whose
// measConfig takes every branch of the walk: each kind of measurement
// object and report configuration, every optional field, extension
// additions and extension alternatives; then nas as its
// dedicatedInfoNASList. Each field is commented with its value.
func synthReconfiguration(mobility bool, nas ...[]byte) []byte {
	w := &bitWriter{}
	p := w.put
	p(0, 1)
	p(4, 4) // DL-DCCH c1: rrcConnectionReconfiguration
	p(2, 2) // rrc-TransactionIdentifier
	p(0, 1)
	p(0, 3) // criticalExtensions: c1: r8
	if mobility {
		p(0b111000, 6) // measConfig, mobilityControlInfo, dedicatedInfoNASList
	} else {
		p(0b101000, 6) // measConfig, dedicatedInfoNASList
	}
	// MeasConfig
	p(1, 1)      // extensions
	p(0x7ff, 11) // every optional field
	// measObjectToRemoveList: 1, 7
	p(1, 5)
	p(0, 5)
	p(6, 5)
	// measObjectToAddModList: 8 objects
	p(7, 5)
	// 1: EUTRA, every field, extension additions 1 and 3
	p(0, 5)
	p(0, 1)
	p(0, 2)
	p(1, 1)
	p(0x3f, 6)
	p(6300, 16) // carrierFreq
	p(5, 3)     // mbw100
	p(1, 1)     // presenceAntennaPort1
	p(1, 2)     // neighCellConfig 01
	p(17, 5)    // offsetFreq dB2
	p(2, 5)     // cellsToRemoveList: 1, 2, 3
	p(0, 5)
	p(1, 5)
	p(2, 5)
	p(0, 5) // cellsToAddModList: cell 5, PCI 301, dB-1
	p(4, 5)
	p(301, 9)
	p(14, 5)
	p(0, 5) // blackCellsToRemoveList: 1
	p(0, 5)
	p(1, 5) // blackCellsToAddModList: 1 → 100 (n16), 2 → 200
	p(0, 5)
	p(1, 1)
	p(100, 9)
	p(3, 4)
	p(1, 5)
	p(0, 1)
	p(200, 9)
	p(503, 9) // cellForWhichToReportCGI
	p(0, 1)   // 3 extension additions, 1 and 3 present
	p(2, 6)
	p(0b101, 3)
	w.open(func(p func(uint64, int)) { p(0b10, 2); p(2, 3) })    // measCycleSCell-r10 sf320
	w.open(func(p func(uint64, int)) { p(0b00010, 5); p(1, 1) }) // reducedMeasPerformance-r12 true
	// 2: UTRA FDD, every field
	p(1, 5)
	p(0, 1)
	p(1, 2)
	p(0, 1)
	p(0xf, 4)
	p(10700, 14) // carrierFreq
	p(30, 5)     // offsetFreq +15
	p(0, 5)      // cellsToRemoveList: 1
	p(0, 5)
	p(0, 1) // cellsToAddModListUTRA-FDD: 1 → 100, 2 → 511
	p(1, 5)
	p(0, 5)
	p(100, 9)
	p(1, 5)
	p(511, 9)
	p(1, 1) // cellForWhichToReportCGI: utra-TDD 127
	p(127, 7)
	// 3: UTRA TDD cells
	p(2, 5)
	p(0, 1)
	p(1, 2)
	p(0, 1)
	p(0b0010, 4)
	p(9000, 14)
	p(1, 1) // cellsToAddModListUTRA-TDD: 1 → 64
	p(0, 5)
	p(0, 5)
	p(64, 7)
	// 4: GERAN, explicit ARFCNs, every field
	p(3, 5)
	p(0, 1)
	p(2, 2)
	p(0, 1)
	p(0b111, 3)
	p(512, 10) // startingARFCN
	p(1, 1)    // pcs1900
	p(0, 2)    // explicitListOfARFCNs: 3
	p(3, 5)
	p(513, 10)
	p(520, 10)
	p(600, 10)
	p(10, 5)   // offsetFreq -5
	p(0xaa, 8) // ncc-Permitted
	p(5, 3)    // cellForWhichToReportCGI
	p(2, 3)
	// 5: GERAN, equally spaced ARFCNs
	p(4, 5)
	p(0, 1)
	p(2, 2)
	p(0, 1)
	p(0, 3)
	p(1, 10)
	p(0, 1)
	p(1, 2)
	p(7, 3)
	p(31, 5)
	// 6: GERAN, ARFCN bitmap
	p(5, 5)
	p(0, 1)
	p(2, 2)
	p(0, 1)
	p(0b001, 3)
	p(1000, 10)
	p(1, 1)
	p(2, 2)
	p(2, 4) // 3 octets
	p(0xff, 8)
	p(0x0f, 8)
	p(0xf0, 8)
	p(7, 3)
	p(7, 3)
	// 7: CDMA2000, every field
	p(6, 5)
	p(0, 1)
	p(3, 2)
	p(0, 1)
	p(0x1f, 5)
	p(1, 1)     // typeHRPD
	p(0, 1)     // bandClass bc21
	p(21, 5)    //
	p(2047, 11) // arfcn
	p(15, 4)    // searchWindowSize
	p(0, 5)     // offsetFreq -15
	p(0, 5)     // cellsToRemoveList: 32
	p(31, 5)
	p(0, 5) // cellsToAddModList: 32 → 511
	p(31, 5)
	p(511, 9)
	p(10, 9) // cellForWhichToReportCGI
	// 8: extension alternative measObjectWLAN-r13, empty
	p(31, 5)
	p(1, 1)
	p(0, 1)
	p(0, 6)
	w.open(func(p func(uint64, int)) { p(0, 4) })
	// reportConfigToRemoveList: 1, 32
	p(1, 5)
	p(0, 5)
	p(31, 5)
	// reportConfigToAddModList: 12
	p(11, 5)
	eutraTail := func() { p(1, 1); p(1, 1); p(7, 3); p(15, 4); p(7, 3) }
	interTail := func() { p(0, 3); p(0, 4); p(0, 3) }
	for i, ev := range []func(){
		func() { p(0, 3); p(0, 1); p(97, 7) },                                       // A1, RSRP 97
		func() { p(1, 3); p(1, 1); p(34, 6) },                                       // A2, RSRQ 34
		func() { p(2, 3); p(60, 6); p(1, 1) },                                       // A3 +30, reportOnLeave
		func() { p(3, 3); p(0, 1); p(0, 7) },                                        // A4
		func() { p(4, 3); p(0, 1); p(50, 7); p(1, 1); p(20, 6) },                    // A5
		func() { p(0, 6); w.open(func(p func(uint64, int)) { p(36, 6); p(1, 1) }) }, // A6-r10 (after the extension bit)
	} {
		p(uint64(i), 5) // reportConfigId
		p(0, 1)         // reportConfigEUTRA
		p(0, 1)         // no extension additions
		p(0, 1)         // event
		if i == 5 {
			p(1, 1) // extension alternative 0
			p(0, 1)
		} else {
			p(0, 1)
		}
		ev()
		p(30, 5) // hysteresis
		p(15, 4) // timeToTrigger
		eutraTail()
	}
	// 7: EUTRA periodical reportCGI, extension addition si-RequestForHO-r9
	p(6, 5)
	p(0, 1)
	p(1, 1)
	p(1, 1)
	p(1, 1)
	eutraTail()
	p(0, 1)
	p(0, 6)
	p(1, 1)
	w.open(func(p func(uint64, int)) { p(0b10, 2) })
	for i, ev := range []func(){
		func() { p(0, 1); p(0, 2); p(0, 1); p(96, 7) },          // B1 UTRA RSCP 91
		func() { p(0, 1); p(0, 2); p(1, 1); p(49, 6) },          // B1 UTRA EcN0 49
		func() { p(0, 1); p(1, 2); p(63, 6) },                   // B1 GERAN 63
		func() { p(1, 1); p(0, 1); p(50, 7); p(2, 2); p(0, 6) }, // B2 EUTRA RSRP, CDMA2000 0
	} {
		p(uint64(7+i), 5)
		p(1, 1) // reportConfigInterRAT
		p(0, 1)
		p(0, 1) // event
		p(0, 1) // eventId in the root
		ev()
		p(3, 5)
		p(8, 4)
		interTail()
	}
	// 12: InterRAT periodical, reportStrongestCellsForSON
	p(11, 5)
	p(1, 1)
	p(0, 1)
	p(1, 1)
	p(1, 2)
	interTail()
	// measIdToRemoveList: 1, 32
	p(1, 5)
	p(0, 5)
	p(31, 5)
	// measIdToAddModList: (1, 1, 1), (32, 7, 12)
	p(1, 5)
	p(0, 15)
	p(31, 5)
	p(6, 5)
	p(11, 5)
	// quantityConfig: all four
	p(0, 1)
	p(0xf, 4)
	p(3, 2) // EUTRA: fc4, fc11
	p(0, 1)
	p(4, 4)
	p(0, 1)
	p(10, 4)
	p(1, 1) // UTRA: cpich-EcN0, fc3
	p(1, 1)
	p(0, 1)
	p(3, 4)
	p(1, 1) // GERAN: fc2
	p(0, 1)
	p(2, 4)
	p(1, 1) // CDMA2000: pilotPnPhaseAndPilotStrength
	// measGapConfig: setup gp1 79
	p(1, 1)
	p(0, 1)
	p(1, 1)
	p(79, 7)
	// s-Measure 50
	p(50, 7)
	// preRegistrationInfoHRPD: allowed, zone 255, secondary 1, 2
	p(3, 2)
	p(1, 1)
	p(255, 8)
	p(1, 1)
	p(1, 8)
	p(2, 8)
	// speedStatePars: setup
	p(1, 1)
	p(4, 3)
	p(2, 3)
	p(15, 4)
	p(0, 4)
	p(3, 2)
	p(0, 2)
	// extension additions: allowInterruptions-r11 true (group 2 of 2)
	p(0, 1)
	p(1, 6)
	p(0b01, 2)
	w.open(func(p func(uint64, int)) { p(1, 1); p(1, 1) })
	if mobility { // MobilityControlInfo: not walked; any octets
		p(0, 32)
	}
	// dedicatedInfoNASList
	p(uint64(len(nas)-1), 4)
	for _, n := range nas {
		w.octets(n)
	}
	return w.b
}

// TestRRCMeasConfigEverything: every branch of the measConfig walk, in a
// message made here and, when tshark is installed, checked against tshark:
// it decodes the message without error and finds the same NAS-PDUs.
func TestRRCMeasConfigEverything(t *testing.T) {
	nas1 := mustHexT(t, "0762020000") // small
	nas2 := bytes.Repeat([]byte{0x27, 0x11}, 100)
	b := synthReconfiguration(false, nas1, nas2)
	got := rrcNAS(gsmtapRRCDLDCCH, b)
	if len(got) != 2 || got[0].err != nil || got[1].err != nil || !bytes.Equal(got[0].nas, nas1) || !bytes.Equal(got[1].nas, nas2) {
		t.Fatalf("got %+v", got)
	}
	for n := 0; n < len(b); n++ {
		for _, x := range rrcNAS(gsmtapRRCDLDCCH, b[:n]) {
			if x.err == nil && !bytes.Equal(x.nas, nas1) {
				t.Fatalf("cut to %d octets: NAS %x", n, x.nas)
			}
		}
	}
	// After mobilityControlInfo the list is not looked for.
	if got := rrcNAS(gsmtapRRCDLDCCH, synthReconfiguration(true, nas1)); len(got) != 1 || got[0].err == nil ||
		!strings.Contains(got[0].err.Error(), "mobilityControlInfo") {
		t.Errorf("with mobilityControlInfo: %+v", got)
	}

	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	var buf bytes.Buffer
	w, err := pcap.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range append([][]byte{b}, func() (m [][]byte) {
		for _, c := range reconfigsWithMeasConfig {
			m = append(m, mustHexT(t, c.rrc))
		}
		return m
	}()...) {
		g := make([]byte, 16, 16+len(c))
		g[0], g[1], g[2] = 2, 4, 0x0d // GSMTAP v2, 16 octets, LTE RRC
		binary.BigEndian.PutUint16(g[4:], 6300)
		g[12] = gsmtapRRCDLDCCH
		err := w.WriteUDP(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), netip.MustParseAddrPort("127.0.0.1:4729"),
			netip.MustParseAddrPort("127.0.0.1:4729"), append(g, c...))
		if err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "rrc.pcap")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("RRC_PCAP_OUT"); d != "" {
		_ = os.WriteFile(d, buf.Bytes(), 0o644)
	}
	out, err := exec.Command(tshark, "-r", file, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
		"-e", "lte-rrc.DedicatedInfoNAS", "-e", "_ws.expert.severity").Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	want := []string{hex.EncodeToString(nas1) + "," + hex.EncodeToString(nas2)}
	for _, c := range reconfigsWithMeasConfig {
		want = append(want, c.nas)
	}
	if len(lines) != len(want) {
		t.Fatalf("tshark: %d frames %q, want %d", len(lines), lines, len(want))
	}
	for i, l := range lines {
		f := strings.Split(l, "\t")
		if f[0] != want[i] {
			t.Errorf("frame %d: tshark's NAS %s, want %s", i+1, f[0], want[i])
		}
		// Errors (malformed packets among them); the captured messages'
		// NAS-PDUs, ciphered, give warnings.
		for _, sev := range strings.Split(f[len(f)-1], ",") {
			if v, _ := strconv.ParseInt(sev, 0, 64); v >= 0x800000 {
				t.Errorf("frame %d: tshark expert info of severity %s (error)", i+1, sev)
			}
		}
	}
}

// FuzzRRCNAS: any GSMTAP LTE RRC payload is walked without a panic, and a
// NAS-PDU found lies inside the message.
func FuzzRRCNAS(f *testing.F) {
	for _, c := range reconfigsWithMeasConfig {
		b, _ := hex.DecodeString(c.rrc)
		f.Add(uint8(gsmtapRRCDLDCCH), b)
	}
	f.Add(uint8(gsmtapRRCDLDCCH), synthReconfiguration(false, []byte{7, 0x62}, []byte{0x27}))
	f.Add(uint8(gsmtapRRCULDCCH), []byte{0x48, 0x02, 0x07, 0x41})
	f.Fuzz(func(t *testing.T, sub uint8, b []byte) {
		for _, x := range rrcNAS(sub, b) {
			if x.err == nil && len(x.nas) > len(b) {
				t.Fatalf("NAS-PDU of %d octets in %d", len(x.nas), len(b))
			}
			if x.off >= 0 && x.err == nil && !bytes.Equal(b[x.off:x.off+len(x.nas)], x.nas) {
				t.Fatalf("offset %d does not point at the NAS-PDU", x.off)
			}
		}
	})
}
