package s1ap

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/gpp"
)

type golden struct {
	name   string  // tshark's name of the message (Info column)
	msg    Message // built in Go
	want   string  // expected encoding (hex), from a capture; "" = checked by tshark only
	fields map[string]string
}

func u32p(v uint32) *uint32 { return &v }
func u16p(v uint16) *uint16 { return &v }
func u8p(v uint8) *uint8    { return &v }
func strp(s string) *string { return &s }

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// goldens: the first ones rebuild, from their decoded values, PDUs of the
// fasferraz capture (Open5GS MME and the fasferraz eNB emulator) and must
// match them byte for byte; the others exercise the NB-IoT IEs and are
// checked against tshark.
func goldens() []golden {
	plmn := gpp.MustPLMN("208", "93")
	tai := TAI{PLMN: plmn, TAC: 1}
	cgi := EUTRANCGI{PLMN: plmn, CellID: 1000000}
	nb := gpp.MustPLMN("001", "01")
	nbTAI := TAI{PLMN: nb, TAC: 0x3039}
	nbCGI := EUTRANCGI{PLMN: nb, CellID: 0x0abcdef}
	rat := RATTypeNBIoT
	ndrx := NBIoTDefaultPagingDRX256
	pdrx := NBIoTPagingDRX256
	tw := uint8(3)
	ttw := TimeToWait(2)
	cause := CauseRadioNetworkUnknownENBUEID
	pc := ProcInitialUEMessage
	trig := InitiatingMessage
	var key SecurityKey
	copy(key[:], mustHex("9d7cc26d72ea4dd41cbd50a9123c027500059a9ba017053dc9042846351c3c66"))
	imeisv := uint64(0x1234567890ffff56)
	attach := mustHex("07410108991007000050900005f0f0c04009002d0201d011d127268080211c0100001c810600000000820600000000830600000000840600000000000c00000e00c1")
	nas := mustHex("27c2231c68010201d9")
	accept := mustHex("2762367f5c0207420149062002f839000100335201c101090908696e7465726e657405010a2d00105e06fefefafa030327148080211002000010810608080808830608080404500bf602f839000201d5006ee6594964020108")
	return []golden{
		{name: "S1SetupResponse", want: "20110029000003003d400e05806f70656e3567732d6d6d65300069000b000002f83900000002000100574001ff",
			msg: &S1SetupResponse{MMEName: strp("open5gs-mme0"), RelativeMMECapacity: 255,
				ServedGUMMEIs: []ServedGUMMEI{{PLMNs: []PLMN{plmn}, GroupIDs: []uint16{2}, MMECs: []uint8{1}}}}},
		{name: "InitialUEMessage", want: "000c406c000005000800034003e8001a00434207410108991007000050900005f0f0c04009002d0201d011d127268080211c0100001c810600000000820600000000830600000000840600000000000c00000e00c1004300060002f8390001006440080002f83900f424000086400130",
			msg: &InitialUEMessage{ENBUES1APID: 1000, TAI: tai, EUTRANCGI: cgi, RRCEstablishmentCause: RRCMOSignalling,
				NASPDU: mustHex("07410108991007000050900005f0f0c04009002d0201d011d127268080211c0100001c810600000000820600000000830600000000840600000000000c00000e00c1")}},
		{name: "DownlinkNASTransport", want: "000b401e000003000000020009000800034003e8001a000a0927c2231c68010201d9",
			msg: &DownlinkNASTransport{MMEUES1APID: 9, ENBUES1APID: 1000, NASPDU: mustHex("27c2231c68010201d9")}},
		{name: "UplinkNASTransport", want: "000d4036000005000000020009000800034003e8001a000c0b0753084113fcbc78ff6cb5006440080002f83900f42400004340060002f8390001",
			msg: &UplinkNASTransport{MMEUES1APID: 9, ENBUES1APID: 1000, NASPDU: mustHex("0753084113fcbc78ff6cb5"), EUTRANCGI: cgi, TAI: tai}},
		{name: "InitialContextSetupRequest", want: "00090080c8000007000000020009000800034003e80042000a184000000060400000000018006d0000340068450009200f80ac10a88300000008592762367f5c0207420149062002f839000100335201c101090908696e7465726e657405010a2d00105e06fefefafa030327148080211002000010810608080808830608080404500bf602f839000201d5006ee6594964020108006b00051c000e0000004900209d7cc26d72ea4dd41cbd50a9123c027500059a9ba017053dc9042846351c3c6600c040081234567890ffff56",
			msg: &InitialContextSetupRequest{MMEUES1APID: 9, ENBUES1APID: 1000,
				UEAggregateMaximumBitrate: UEAggregateMaximumBitrate{DL: 1 << 30, UL: 1 << 30},
				ERABs: []ERABToBeSetupItem{{ERABID: 5, QoS: ERABLevelQoSParameters{QCI: 9, ARP: AllocationRetentionPriority{PriorityLevel: 8}},
					TransportLayerAddress: []byte{172, 16, 168, 131}, GTPTEID: 8,
					NASPDU: mustHex("2762367f5c0207420149062002f839000100335201c101090908696e7465726e657405010a2d00105e06fefefafa030327148080211002000010810608080808830608080404500bf602f839000201d5006ee6594964020108")}},
				UESecurityCapabilities: UESecurityCapabilities{EncryptionAlgorithms: 0xe000, IntegrityProtectionAlgorithms: 0xe000},
				SecurityKey:            key, MaskedIMEISV: &imeisv}},
		{name: "UEContextReleaseCommand", want: "001700110000020063000500094003e80002400124",
			msg: &UEContextReleaseCommand{UES1APIDs: UES1APIDs{MMEUES1APID: 9, ENBUES1APID: u32p(1000)}, Cause: CauseNASDetach}},

		// NB-IoT and the rest of the typed set: checked with tshark.
		{name: "S1SetupRequest", fields: map[string]string{"s1ap.RAT_Type": "0", "s1ap.NB_IoT_DefaultPagingDRX": "1", "s1ap.macroENB_ID": "030390"},
			msg: &S1SetupRequest{GlobalENBID: GlobalENBID{PLMN: nb, Kind: MacroENB, ID: 12345}, ENBName: strp("nbsim-eNB"),
				SupportedTAs:     []SupportedTA{{TAC: 0x3039, BroadcastPLMNs: []PLMN{nb}, RATType: &rat}, {TAC: 0x3040, BroadcastPLMNs: []PLMN{nb}}},
				DefaultPagingDRX: PagingDRX128, NBIoTDefaultPagingDRX: &ndrx}},
		{name: "S1SetupFailure", msg: &S1SetupFailure{Cause: CauseMiscUnknownPLMN, TimeToWait: &ttw}},
		{name: "InitialUEMessage", fields: map[string]string{"s1ap.RRC_Establishment_Cause": "7", "s1ap.ENB_UE_S1AP_ID": "16777215", "s1ap.tAC": "12345"},
			msg: &InitialUEMessage{ENBUES1APID: 1<<24 - 1, NASPDU: attach, TAI: nbTAI, EUTRANCGI: nbCGI,
				RRCEstablishmentCause: RRCMOExceptionData, STMSI: &STMSI{MMEC: 1, MTMSI: 0xc0ffee01},
				GUMMEI: &GUMMEI{PLMN: nb, MMEGroupID: 2, MMEC: 1}, UEUsageType: u8p(7), DCNID: u16p(5), CoverageLevelExtended: true, EDTSession: true}},
		{name: "DownlinkNASTransport", fields: map[string]string{"s1ap.MME_UE_S1AP_ID": "4294967295"},
			msg: &DownlinkNASTransport{MMEUES1APID: 1<<32 - 1, ENBUES1APID: 0, NASPDU: nas, DLNASPDUDeliveryAckRequest: true,
				EndIndication: u8p(NoFurtherData), PendingDataIndication: true, SubscriberProfileIDforRFP: u16p(256)}},
		{name: "NASDeliveryIndication", msg: &NASDeliveryIndication{MMEUES1APID: 77, ENBUES1APID: 66}},
		{name: "NASNonDeliveryIndication", msg: &NASNonDeliveryIndication{MMEUES1APID: 1, ENBUES1APID: 2, NASPDU: nas, Cause: CauseRadioNetworkRadioConnLost}},
		{name: "ConnectionEstablishmentIndication",
			msg: &ConnectionEstablishmentIndication{MMEUES1APID: 3, ENBUES1APID: 4, DLNASMAC: u16p(0xbeef), EndIndication: u8p(FurtherDataExists),
				UELevelQoS: &ERABLevelQoSParameters{QCI: 9, ARP: AllocationRetentionPriority{PriorityLevel: 15, PreemptionCapability: 1, PreemptionVulnerability: 1}}}},
		{name: "Paging", fields: map[string]string{"s1ap.nB_IoT_paging_eDRX_Cycle": "7", "s1ap.nB_IoT_pagingTimeWindow": "3", "s1ap.CNDomain": "0", "s1ap.NB_IoT_PagingDRX": "3"},
			msg: &Paging{UEIdentityIndexValue: 0x3ff, UEPagingID: UEPagingID{STMSI: &STMSI{MMEC: 1, MTMSI: 0xc0ffee01}}, CNDomain: CNDomainPS,
				TAIs: []TAI{nbTAI, {PLMN: nb, TAC: 0x3040}}, PagingPriority: u8p(3),
				NBIoTPagingEDRX: &NBIoTPagingEDRXInformation{Cycle: NBIoTEDRXhf16, TimeWindow: &tw}, NBIoTUEIdentityIndex: u16p(0xabc),
				NBIoTPagingDRX: &pdrx}},
		{name: "Paging", fields: map[string]string{"s1ap.paging_eDRX_Cycle": "4"},
			msg: &Paging{UEIdentityIndexValue: 1, UEPagingID: UEPagingID{IMSI: mustHex("00010121436587f9")}, CNDomain: CNDomainPS, TAIs: []TAI{tai},
				PagingDRX: func() *PagingDRX { v := PagingDRX256; return &v }(), PagingEDRX: &PagingEDRXInformation{Cycle: 4}, ExtendedUEIdentityIndex: u16p(0x3fff)}},
		// As nbsim's MME pages an NB-IoT UE granted eDRX (epc/s1): Paging
		// DRX v256 and NB-IoT eDRX hf8 / s2 (81.92 s, 5.12 s); then the
		// longest cycle with no paging time window.
		{name: "Paging", fields: map[string]string{"s1ap.PagingDRX": "3", "s1ap.nB_IoT_paging_eDRX_Cycle": "3", "s1ap.nB_IoT_pagingTimeWindow": "1",
			"s1ap.NB_IoT_UEIdentityIndexValue": "4350"},
			msg: &Paging{UEIdentityIndexValue: 1077 % 1024, UEPagingID: UEPagingID{STMSI: &STMSI{MMEC: 1, MTMSI: 0x28b0f435}}, CNDomain: CNDomainPS,
				TAIs: []TAI{{PLMN: nb, TAC: 1}}, PagingDRX: func() *PagingDRX { v := PagingDRX256; return &v }(),
				NBIoTPagingEDRX: &NBIoTPagingEDRXInformation{Cycle: NBIoTEDRXhf8, TimeWindow: u8p(1)}, NBIoTUEIdentityIndex: u16p(1077)}},
		{name: "Paging", fields: map[string]string{"s1ap.PagingDRX": "0", "s1ap.nB_IoT_paging_eDRX_Cycle": "13"},
			msg: &Paging{UEIdentityIndexValue: 0, UEPagingID: UEPagingID{IMSI: mustHex("00010121436587f9")}, CNDomain: CNDomainPS,
				TAIs: []TAI{nbTAI}, PagingDRX: func() *PagingDRX { v := PagingDRX32; return &v }(),
				NBIoTPagingEDRX: &NBIoTPagingEDRXInformation{Cycle: NBIoTEDRXhf1024}, NBIoTUEIdentityIndex: u16p(0)}},
		{name: "InitialContextSetupResponse",
			msg: &InitialContextSetupResponse{MMEUES1APID: 1, ENBUES1APID: 2,
				ERABSetup:         []ERABSetupItem{{ERABID: 5, TransportLayerAddress: []byte{10, 0, 0, 1}, GTPTEID: 0x01020304}},
				ERABFailedToSetup: []ERABItem{{ERABID: 6, Cause: CauseRadioNetworkUnspecified}}}},
		{name: "InitialContextSetupFailure", msg: &InitialContextSetupFailure{MMEUES1APID: 1, ENBUES1APID: 2, Cause: Cause{CauseGroupRadioNetwork, 26},
			CriticalityDiagnostics: &CriticalityDiagnostics{ProcedureCode: func() *ProcedureCode { v := ProcInitialContextSetup; return &v }(), TriggeringMessage: &trig,
				IEs: []CriticalityDiagnosticsIE{{Criticality: Reject, ID: IDSecurityKey, TypeOfError: Missing}}}}},
		{name: "UEContextReleaseRequest", msg: &UEContextReleaseRequest{MMEUES1APID: 1, ENBUES1APID: 2, Cause: CauseRadioNetworkUserInactivity}},
		{name: "UEContextReleaseCommand", msg: &UEContextReleaseCommand{UES1APIDs: UES1APIDs{MMEUES1APID: 12}, Cause: CauseNASNormalRelease}},
		{name: "UEContextReleaseComplete",
			msg: &UEContextReleaseComplete{MMEUES1APID: 1, ENBUES1APID: 2, UserLocationInformation: &UserLocationInformation{EUTRANCGI: nbCGI, TAI: nbTAI},
				CellCELevel: &CellIdentifierAndCELevel{Cell: nbCGI, CELevel: []byte{0x40}}}},
		{name: "ErrorIndication", msg: &ErrorIndication{ENBUES1APID: u32p(5), Cause: &cause,
			CriticalityDiagnostics: &CriticalityDiagnostics{ProcedureCode: &pc, TriggeringMessage: &trig}}},
		{name: "Reset", msg: &Reset{Cause: CauseMiscUnspecified, ResetType: ResetType{Connections: []UEAssociatedLogicalS1Connection{{MMEUES1APID: u32p(1)}, {ENBUES1APID: u32p(2)}}}}},
		{name: "Reset", msg: &Reset{Cause: CauseMiscUnspecified, ResetType: ResetType{All: true}}},
		{name: "ResetAcknowledge", msg: &ResetAcknowledge{Connections: []UEAssociatedLogicalS1Connection{{MMEUES1APID: u32p(1), ENBUES1APID: u32p(2)}}}},
		{name: "E-RABSetupRequest", msg: &ERABSetupRequest{MMEUES1APID: 1, ENBUES1APID: 2, UEAggregateMaximumBitrate: &UEAggregateMaximumBitrate{DL: 10000000000, UL: 1},
			ERABs: []ERABToBeSetupItem{{ERABID: 15, TransportLayerAddress: mustHex("20010db8000000000000000000000001"), GTPTEID: 1, NASPDU: accept,
				QoS: ERABLevelQoSParameters{QCI: 1, ARP: AllocationRetentionPriority{PriorityLevel: 2},
					GBR: &GBRQosInformation{MaxBitrateDL: 128000, MaxBitrateUL: 128000, GuaranteedBitrateDL: 64000, GuaranteedBitrateUL: 64000}}}}}},
		{name: "E-RABSetupResponse", msg: &ERABSetupResponse{MMEUES1APID: 1, ENBUES1APID: 2, ERABSetup: []ERABSetupItem{{ERABID: 15, TransportLayerAddress: []byte{1, 2, 3, 4}, GTPTEID: 9}}}},
		{name: "E-RABModifyRequest", msg: &ERABModifyRequest{MMEUES1APID: 1, ENBUES1APID: 2, ERABs: []ERABToBeModifiedItem{{ERABID: 5, NASPDU: accept, QoS: ERABLevelQoSParameters{QCI: 8}}}}},
		{name: "E-RABModifyResponse", msg: &ERABModifyResponse{MMEUES1APID: 1, ENBUES1APID: 2, ERABModified: []ERABIDItem{{ERABID: 5}}}},
		{name: "E-RABReleaseCommand", msg: &ERABReleaseCommand{MMEUES1APID: 1, ENBUES1APID: 2, ERABs: []ERABItem{{ERABID: 6, Cause: CauseNASNormalRelease}}, NASPDU: nas}},
		{name: "E-RABReleaseResponse", msg: &ERABReleaseResponse{MMEUES1APID: 1, ENBUES1APID: 2, ERABReleased: []ERABIDItem{{ERABID: 6}}}},
		{name: "UECapabilityInfoIndication", msg: &UECapabilityInfoIndication{MMEUES1APID: 1, ENBUES1APID: 2, UERadioCapability: mustHex("00b801014c5980809c000bf06ec4d00140302c000000000000"), LTEMIndication: true}},
		{name: "HandoverNotify", msg: &HandoverNotify{MMEUES1APID: 1, ENBUES1APID: 2, EUTRANCGI: cgi, TAI: tai}},
		{name: "HandoverCancel", msg: &HandoverCancel{MMEUES1APID: 1, ENBUES1APID: 2, Cause: Cause{CauseGroupRadioNetwork, 9}}},
		{name: "HandoverCancelAcknowledge", msg: &HandoverCancelAcknowledge{MMEUES1APID: 1, ENBUES1APID: 2}},
	}
}

// checkRoundTrip is the one helper every golden vector goes through:
// Marshal, the expected bytes and length, typed Parse back to an equal
// message of the same type, generic ParsePDU agreeing on procedure, type,
// criticality and length, and a byte-identical re-encoding.
func checkRoundTrip(t *testing.T, name string, m Message, want []byte) []byte {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatalf("%s: marshal: %v", name, err)
	}
	if want != nil && !bytes.Equal(b, want) {
		t.Errorf("%s: encoding\n got %x\nwant %x", name, b, want)
	}
	if want != nil && len(b) != len(want) {
		t.Errorf("%s: length %d, want %d", name, len(b), len(want))
	}
	p, err := ParsePDU(b)
	if err != nil {
		t.Fatalf("%s: ParsePDU: %v", name, err)
	}
	if p.Code != m.Procedure() || p.Type != m.PDUType() || p.Criticality != procedureCriticality(m.Procedure()) {
		t.Errorf("%s: generic PDU %v/%d/%v", name, p.Type, p.Code, p.Criticality)
	}
	if n := 3 + openTypeLen(len(p.Value)); n != len(b) || len(p.Trailing) != 0 {
		t.Errorf("%s: PDU length %d, encoded %d", name, n, len(b))
	}
	m2, err := Parse(b)
	if err != nil {
		t.Fatalf("%s: Parse: %v", name, err)
	}
	if reflect.TypeOf(m2) != reflect.TypeOf(m) {
		t.Fatalf("%s: parsed as %T", name, m2)
	}
	if tm, ok := m2.(typed); ok {
		if len(*tm.others()) != 0 || len(tm.wire().MissingIEs()) != 0 {
			t.Errorf("%s: unexpected Other %v / missing %v", name, *tm.others(), tm.wire().MissingIEs())
		}
		c := clone(m2)
		c.(typed).wire().ResetWire()
		if !reflect.DeepEqual(normalize(c), normalize(m)) {
			t.Errorf("%s: parsed\n%+v\nwant\n%+v", name, c, m)
		}
	}
	b2, err := m2.Marshal()
	if err != nil || !bytes.Equal(b2, b) {
		t.Errorf("%s: re-encode %x, %v", name, b2, err)
	}
	return b
}

// normalize maps empty slices to nil (a decoded absent list is nil, a
// decoded empty OCTET STRING is empty) so that DeepEqual compares values.
func normalize(m Message) Message {
	c := clone(m)
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			if v.Len() == 0 && v.CanSet() {
				v.Set(reflect.Zero(v.Type()))
				return
			}
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	// deep-copy first so the caller's message is not modified
	cp := reflect.New(reflect.TypeOf(c).Elem())
	deepCopy(cp.Elem(), reflect.ValueOf(c).Elem())
	walk(cp)
	return cp.Interface().(Message)
}

func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Struct:
		for i := 0; i < src.NumField(); i++ {
			if src.Type().Field(i).IsExported() {
				deepCopy(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		// none in the exported API
	default:
		dst.Set(src)
	}
}

func TestGolden(t *testing.T) {
	for _, g := range goldens() {
		var want []byte
		if g.want != "" {
			want = mustHex(g.want)
		}
		checkRoundTrip(t, g.name, g.msg, want)
	}
}

// TestGoldenTshark writes every golden PDU into a pcap (IPv4/SCTP DATA
// chunk, PPID 18) and has tshark decode it: no malformed field, a good
// SCTP CRC32c, the intended procedure code and message, and the NB-IoT IEs
// with the intended values.
func TestGoldenTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	gs := goldens()
	var pdus [][]byte
	for _, g := range gs {
		b, err := g.msg.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		pdus = append(pdus, b)
	}
	file := filepath.Join(t.TempDir(), "s1ap.pcap")
	if err := os.WriteFile(file, pcapS1AP(pdus), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("S1AP_PCAP_OUT"); d != "" {
		_ = os.WriteFile(d, pcapS1AP(pdus), 0o644)
	}

	run := func(args ...string) string {
		out, err := exec.Command(tshark, append([]string{"-r", file, "-o", "sctp.checksum:CRC-32C"}, args...)...).Output()
		if err != nil {
			t.Fatalf("tshark %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if out := run("-Y", "_ws.malformed || _ws.expert.severity >= error || sctp.checksum.status != 1"); out != "" {
		t.Errorf("tshark reports malformed or bad packets:\n%s", out)
	}
	names := []string{"frame.number", "s1ap.procedureCode", "_ws.col.Info"}
	seen := map[string]bool{}
	for _, g := range gs {
		for f := range g.fields {
			if !seen[f] {
				seen[f] = true
				names = append(names, f)
			}
		}
	}
	args := []string{"-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"}
	for _, n := range names {
		args = append(args, "-e", n)
	}
	lines := strings.Split(run(args...), "\n")
	if len(lines) != len(gs) {
		t.Fatalf("tshark decoded %d frames, want %d", len(lines), len(gs))
	}
	for i, g := range gs {
		f := strings.Split(lines[i], "\t")
		if f[1] != strconv.Itoa(int(g.msg.Procedure())) {
			t.Errorf("frame %d (%s): procedureCode %q, want %d", i+1, g.name, f[1], g.msg.Procedure())
		}
		if info := f[2]; !strings.HasPrefix(strings.TrimPrefix(info, "SACK , "), g.name) {
			t.Errorf("frame %d: tshark Info %q, want %s", i+1, info, g.name)
		}
		for k, want := range g.fields {
			for j, n := range names {
				if n == k && (j >= len(f) || f[j] != want) {
					got := ""
					if j < len(f) {
						got = f[j]
					}
					t.Errorf("frame %d (%s): %s = %q, want %q", i+1, g.name, k, got, want)
				}
			}
		}
	}
	t.Logf("tshark decoded %d golden PDUs: no malformed/expert-error, CRC32c good, names, procedure codes and NB-IoT fields as intended", len(gs))
}

// pcapS1AP returns a pcap file (link type 228, raw IPv4) with one packet per
// S1AP PDU: IPv4 + SCTP common header + one DATA chunk (PPID 18), with a
// correct CRC32c. (Self-contained on purpose: no dependency on the pcap
// package being written in parallel.)
func pcapS1AP(pdus [][]byte) []byte {
	var f bytes.Buffer
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 65535)
	binary.LittleEndian.PutUint32(hdr[20:], 228) // LINKTYPE_IPV4
	f.Write(hdr)
	ts := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, pdu := range pdus {
		pad := (4 - len(pdu)%4) % 4
		chunk := make([]byte, 16+len(pdu)+pad)
		chunk[0], chunk[1] = 0, 0x03 // DATA, B+E
		binary.BigEndian.PutUint16(chunk[2:], uint16(16+len(pdu)))
		binary.BigEndian.PutUint32(chunk[4:], uint32(i+1)) // TSN
		binary.BigEndian.PutUint16(chunk[8:], 1)           // stream
		binary.BigEndian.PutUint16(chunk[10:], uint16(i))  // SSN
		binary.BigEndian.PutUint32(chunk[12:], 18)         // PPID S1AP
		copy(chunk[16:], pdu)
		sctp := make([]byte, 12, 12+len(chunk))
		binary.BigEndian.PutUint16(sctp[0:], 36412)
		binary.BigEndian.PutUint16(sctp[2:], 36412)
		binary.BigEndian.PutUint32(sctp[4:], 0x5ca1ab1e)
		sctp = append(sctp, chunk...)
		binary.LittleEndian.PutUint32(sctp[8:], crc32.Checksum(sctp, crc32.MakeTable(crc32.Castagnoli)))
		ip := make([]byte, 20)
		ip[0], ip[8], ip[9] = 0x45, 64, 132
		binary.BigEndian.PutUint16(ip[2:], uint16(20+len(sctp)))
		binary.BigEndian.PutUint16(ip[4:], uint16(i))
		copy(ip[12:], []byte{127, 0, 0, 1})
		copy(ip[16:], []byte{127, 0, 0, 2})
		var sum uint32
		for j := 0; j < 20; j += 2 {
			sum += uint32(binary.BigEndian.Uint16(ip[j:]))
		}
		for sum > 0xffff {
			sum = sum&0xffff + sum>>16
		}
		binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
		pkt := append(ip, sctp...)
		rec := make([]byte, 16)
		t := ts.Add(time.Duration(i) * time.Millisecond)
		binary.LittleEndian.PutUint32(rec[0:], uint32(t.Unix()))
		binary.LittleEndian.PutUint32(rec[4:], uint32(t.Nanosecond()/1000))
		binary.LittleEndian.PutUint32(rec[8:], uint32(len(pkt)))
		binary.LittleEndian.PutUint32(rec[12:], uint32(len(pkt)))
		f.Write(rec)
		f.Write(pkt)
	}
	return f.Bytes()
}
