package nas

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/gpp"
)

// golden is a message and its encoding.
type golden struct {
	name string
	hex  string
	dir  Direction
	want Message
}

func h(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

// testGolden is the shared golden-vector helper: for each vector, the
// message's own UnmarshalBinary gives want (Parse), want encodes to the
// octets (Marshal), MarshalLen is their length (Len) and the generic Parse
// gives want too (Parse agrees).
func testGolden(t *testing.T, cases []golden) {
	t.Helper()
	for _, c := range cases {
		b := h(c.hex)
		t.Run(c.name, func(t *testing.T) {
			t.Run("Parse", func(t *testing.T) {
				got := reflect.New(reflect.TypeOf(c.want).Elem()).Interface().(Message)
				if err := got.UnmarshalBinary(b); err != nil {
					t.Fatalf("UnmarshalBinary: %v", err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("got  %+v\nwant %+v", got, c.want)
				}
			})
			t.Run("Marshal", func(t *testing.T) {
				got, err := c.want.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, b) {
					t.Errorf("got  %x\nwant %x", got, b)
				}
				buf := make([]byte, len(b)+3)
				n, err := c.want.MarshalTo(buf)
				if err != nil || n != len(b) || !bytes.Equal(buf[:n], b) {
					t.Errorf("MarshalTo: %d %v %x", n, err, buf[:n])
				}
				if _, err := c.want.MarshalTo(buf[:len(b)-1]); err != ErrShortBuffer {
					t.Errorf("MarshalTo short buffer: %v", err)
				}
			})
			t.Run("Len", func(t *testing.T) {
				if n := c.want.MarshalLen(); n != len(b) {
					t.Errorf("MarshalLen %d, want %d", n, len(b))
				}
			})
			t.Run("Parse agrees", func(t *testing.T) {
				got, err := ParseDirection(b, c.dir)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("got  %#v\nwant %#v", got, c.want)
				}
			})
		})
	}
}

var (
	plmn00101 = gpp.MustPLMN("001", "01")
	plmn20810 = gpp.MustPLMN("208", "10")
	testGUTI  = GUTI{PLMN: plmn00101, MMEGroupID: 0x8001, MMECode: 0x01, MTMSI: 0xc0000001}
)

// Vectors built by hand from TS 24.301 §8 and §9 (NB-IoT flavoured:
// control plane CIoT, PSM and eDRX IEs, ESM data transport).
func TestGoldenSpec(t *testing.T) {
	adbcr := h("52 01 c1 01 09 05 04 6e 62 69 6f 05 01 0a 2d 00 02 91 6e 02 00 0a")
	dataTransport := h("52 00 eb 00 04 de ad be ef f1")
	testGolden(t, []golden{
		{name: "attach request IMSI CIoT PSM eDRX", want: &AttachRequest{
			AttachType: EPSAttach, KSI: NoKeyAvailable,
			Identity:              NewIMSI("001010000000001"),
			UENetworkCapability:   UENetworkCapability{0xe0, 0xe0, 0, 0, 0, 0x2c},
			ESMMessageContainer:   h("02 01 d0 51"),
			AdditionalUpdateType:  ptr(AdditionalUpdateType(0x4)),
			T3324:                 ptr(GPRSTimer2(0x21)),
			T3412Extended:         ptr(GPRSTimer3(0x22)),
			ExtendedDRXParameters: &ExtendedDRXParameters{PagingTimeWindow: 3, EDRXValue: 5},
		}, hex: `07 41 71 08 09 10 10 00 00 00 00 10 06 e0 e0 00 00 00 2c 00 04 02 01 d0 51
			f4 6a 01 21 5e 01 22 6e 01 35`},
		{name: "PDN connectivity request non-IP", want: &PDNConnectivityRequest{
			ESMHeader: ESMHeader{PTI: 1}, RequestType: RequestInitial, PDNType: PDNTypeNonIP,
		}, hex: "02 01 d0 51"},
		{name: "attach accept three TAI list types", want: &AttachAccept{
			AttachResult: EPSOnly, T3412: 0x49,
			TAIList: TAIList{
				{Type: TAIListOnePLMN, PLMN: plmn00101, TACs: []uint16{1, 5}},
				{Type: TAIListOnePLMNConsecutive, PLMN: plmn00101, TACs: []uint16{0x10, 0x11, 0x12}},
				{Type: TAIListMultiplePLMNs, TAIs: []TAI{{plmn00101, 0x20}, {plmn20810, 0x21}}},
			},
			ESMMessageContainer:      adbcr,
			GUTI:                     ptr(NewGUTI(testGUTI)),
			EPSNetworkFeatureSupport: EPSNetworkFeatureSupport{0x80, 0x01},
			T3412Extended:            ptr(GPRSTimer3(0xa5)),
			T3324:                    ptr(GPRSTimer2(0x02)),
		}, hex: `07 42 01 49 19 01 00 f1 10 00 01 00 05 22 00 f1 10 00 10 41 00 f1 10 00 20 02 f8 01 00 21
			00 16 52 01 c1 01 09 05 04 6e 62 69 6f 05 01 0a 2d 00 02 91 6e 02 00 0a
			50 0b f6 00 f1 10 80 01 01 c0 00 00 01 64 02 80 01 5e 01 a5 6a 01 02`},
		{name: "activate default EPS bearer context request CP only", want: &ActivateDefaultEPSBearerContextRequest{
			ESMHeader: ESMHeader{EBI: 5, PTI: 1}, QoS: EPSQoS{9}, APN: AccessPointName("\x04nbio"),
			PDNAddress:                 PDNAddress{Type: PDNTypeIPv4, Address: []byte{10, 45, 0, 2}},
			ControlPlaneOnlyIndication: ptr(uint8(1)),
			ServingPLMNRateControl:     []byte{0, 10},
		}, hex: "52 01 c1 01 09 05 04 6e 62 69 6f 05 01 0a 2d 00 02 91 6e 02 00 0a"},
		{name: "ESM data transport with release assistance", want: &ESMDataTransport{
			ESMHeader: ESMHeader{EBI: 5}, UserData: h("de ad be ef"),
			ReleaseAssistanceIndication: ptr(DDXNoFurtherData),
		}, hex: "52 00 eb 00 04 de ad be ef f1"},
		{name: "ESM data transport empty, no RAI", want: &ESMDataTransport{
			ESMHeader: ESMHeader{EBI: 6, PTI: 0}, UserData: []byte{},
		}, hex: "62 00 eb 00 00"},
		{name: "control plane service request", want: &ControlPlaneServiceRequest{
			ServiceType: CPServiceMobileOriginating, KSI: 1,
			ESMMessageContainer:    dataTransport,
			EPSBearerContextStatus: ptr(EPSBearerContextStatus(1 << 5)),
			DeviceProperties:       ptr(uint8(1)),
		}, hex: "07 4d 10 78 00 0a 52 00 eb 00 04 de ad be ef f1 57 02 20 00 d1"},
		{name: "control plane service request MT active SMS", want: &ControlPlaneServiceRequest{
			ServiceType: CPServiceMobileTerminating | CPServiceActiveFlag, KSI: 2,
			NASMessageContainer: h("09 01 02 03"),
		}, hex: "07 4d 29 67 04 09 01 02 03"},
		{name: "service request", want: &ServiceRequest{HeaderType: ServiceRequestHeader, KSI: 2, SequenceNumber: 5, ShortMAC: 0x1234},
			hex: "c7 45 12 34"},
		{name: "service request header 1111", want: &ServiceRequest{HeaderType: 15, KSI: 7, SequenceNumber: 31, ShortMAC: 0xffff},
			hex: "f7 ff ff ff"},
		{name: "detach request UE switch off GUTI", dir: Uplink, want: &DetachRequest{
			DetachType: DetachSwitchOff | DetachEPS, Identity: NewGUTI(testGUTI),
		}, hex: "07 45 09 0b f6 00 f1 10 80 01 01 c0 00 00 01"},
		{name: "detach request network with cause", want: &NetworkDetachRequest{
			DetachType: DetachIMSI, EMMCause: ptr(EMMCause(7)),
		}, hex: "07 45 02 53 07"},
		{name: "detach request network bare", dir: Downlink, want: &NetworkDetachRequest{DetachType: DetachEPS},
			hex: "07 45 01"},
		{name: "detach accept", want: &DetachAccept{}, hex: "07 46"},
		{name: "protected EMM status EEA0", want: &SecurityProtected{
			HeaderType: IntegrityProtectedCiphered, MAC: 0x11223344, SequenceNumber: 5,
			Payload: h("07 60 6f"), Message: &EMMStatus{Cause: 111},
		}, hex: "27 11 22 33 44 05 07 60 6f"},
		{name: "protected ciphered", want: &SecurityProtected{
			HeaderType: IntegrityProtectedCipheredNew, MAC: 0xdeadbeef, SequenceNumber: 0, Payload: h("8c 71"),
		}, hex: "47 de ad be ef 00 8c 71"},
		{name: "authentication request", want: &AuthenticationRequest{
			KSI: 1, RAND: [16]byte(h("000102030405060708090a0b0c0d0e0f")), AUTN: h("101112131415161718191a1b1c1d1e1f"),
		}, hex: "07 52 01 000102030405060708090a0b0c0d0e0f 10 101112131415161718191a1b1c1d1e1f"},
		{name: "authentication response", want: &AuthenticationResponse{RES: h("0102030405060708")},
			hex: "07 53 08 0102030405060708"},
		{name: "authentication failure synch", want: &AuthenticationFailure{Cause: 21, AUTS: h("0102030405060708090a0b0c0d0e")},
			hex: "07 5c 15 30 0e 0102030405060708090a0b0c0d0e"},
		{name: "authentication reject", want: &AuthenticationReject{}, hex: "07 54"},
		{name: "security mode command EIA2 IMEISV", want: &SecurityModeCommand{
			Algorithms: NewSecurityAlgorithms(0, 2), KSI: 0,
			ReplayedUESecurityCapability: UESecurityCapability{0xe0, 0xe0},
			IMEISVRequest:                ptr(uint8(1)),
		}, hex: "07 5d 02 00 02 e0 e0 c1"},
		{name: "security mode complete IMEISV", want: &SecurityModeComplete{
			IMEISV: &MobileIdentity{Type: MobileIdentityIMEISV, Digits: "3539350820041301"},
		}, hex: "07 5e 23 09 33 35 39 05 28 00 14 03 f1"},
		{name: "security mode reject", want: &SecurityModeReject{Cause: 23}, hex: "07 5f 17"},
		{name: "identity request IMSI", want: &IdentityRequest{IdentityType: IdentityTypeIMSI}, hex: "07 55 01"},
		{name: "identity response IMSI", want: &IdentityResponse{
			Identity: MobileIdentity{Type: MobileIdentityIMSI, Digits: "001010000000001"},
		}, hex: "07 56 08 09 10 10 00 00 00 00 10"},
		{name: "TAU request NB-IoT PSM", want: &TrackingAreaUpdateRequest{
			UpdateType: TAUpdating, KSI: 1, OldGUTI: NewGUTI(testGUTI),
			EPSBearerContextStatus: ptr(EPSBearerContextStatus(1 << 5)),
			T3324:                  ptr(GPRSTimer2(0x21)),
			T3412Extended:          ptr(GPRSTimer3(0x22)),
		}, hex: "07 48 10 0b f6 00 f1 10 80 01 01 c0 00 00 01 57 02 20 00 6a 01 21 5e 01 22"},
		{name: "TAU accept", want: &TrackingAreaUpdateAccept{
			UpdateResult: TAUpdated, T3412: ptr(GPRSTimer(0x49)),
			TAIList:                &TAIList{{Type: TAIListOnePLMN, PLMN: plmn00101, TACs: []uint16{1}}},
			EPSBearerContextStatus: ptr(EPSBearerContextStatus(1 << 5)),
			T3412Extended:          ptr(GPRSTimer3(0x22)),
			T3324:                  ptr(GPRSTimer2(0x21)),
		}, hex: "07 49 00 5a 49 54 06 00 00 f1 10 00 01 57 02 20 00 5e 01 22 6a 01 21"},
		{name: "TAU complete", want: &TrackingAreaUpdateComplete{}, hex: "07 4a"},
		{name: "TAU reject", want: &TrackingAreaUpdateReject{Cause: 10, T3346: ptr(GPRSTimer2(0x21))},
			hex: "07 4b 0a 5f 01 21"},
		{name: "attach reject", want: &AttachReject{Cause: 15, T3346: ptr(GPRSTimer2(0x22)), ExtendedEMMCause: ptr(uint8(1))},
			hex: "07 44 0f 5f 01 22 a1"},
		{name: "attach complete", want: &AttachComplete{ESMMessageContainer: h("52 01 c2")},
			hex: "07 43 00 03 52 01 c2"},
		{name: "service reject", want: &ServiceReject{Cause: 22, T3442: ptr(GPRSTimer(0x21)), T3448: ptr(GPRSTimer2(0x05))},
			hex: "07 4e 16 5b 21 6b 01 05"},
		{name: "service accept", want: &ServiceAccept{EPSBearerContextStatus: ptr(EPSBearerContextStatus(1 << 5))},
			hex: "07 4f 57 02 20 00"},
		{name: "EMM status", want: &EMMStatus{Cause: 97}, hex: "07 60 61"},
		{name: "downlink NAS transport", want: &DownlinkNASTransport{NASMessageContainer: h("09 04")},
			hex: "07 62 02 09 04"},
		{name: "activate default EPS bearer context accept", want: &ActivateDefaultEPSBearerContextAccept{ESMHeader: ESMHeader{EBI: 5, PTI: 1}},
			hex: "52 01 c2"},
		{name: "activate default EPS bearer context reject", want: &ActivateDefaultEPSBearerContextReject{
			ESMHeader: ESMHeader{EBI: 5, PTI: 1}, Cause: 31,
		}, hex: "52 01 c3 1f"},
		{name: "PDN connectivity reject back-off", want: &PDNConnectivityReject{
			ESMHeader: ESMHeader{PTI: 1}, Cause: 27, BackOffTimer: ptr(GPRSTimer3(0x21)),
		}, hex: "02 01 d1 1b 37 01 21"},
		{name: "ESM information request", want: &ESMInformationRequest{ESMHeader: ESMHeader{PTI: 1}}, hex: "02 01 d9"},
		{name: "ESM information response", want: &ESMInformationResponse{
			ESMHeader: ESMHeader{PTI: 1}, APN: AccessPointName("\x08internet"),
		}, hex: "02 01 da 28 09 08 69 6e 74 65 72 6e 65 74"},
		{name: "ESM status", want: &ESMStatus{ESMHeader: ESMHeader{EBI: 5, PTI: 1}, Cause: 81}, hex: "52 01 e8 51"},
		{name: "unknown IEs skipped and kept", want: &AttachComplete{
			ESMMessageContainer: h("52 01 c2"),
			Extra:               []RawIE{{Type: 0xb3}, {Type: 0x21, Value: h("aa")}, {Type: 0x7f, Value: h("bbcc")}},
		}, hex: "07 43 00 03 52 01 c2 b3 21 01 aa 7f 00 02 bb cc"},
		{name: "repeated IE kept raw", want: &NetworkDetachRequest{
			DetachType: DetachEPS, EMMCause: ptr(EMMCause(7)), Extra: []RawIE{{Type: 0x53, Value: h("08")}},
		}, hex: "07 45 01 53 07 53 08"},
		{name: "bad optional IE kept raw", want: &TrackingAreaUpdateAccept{
			UpdateResult: TAUpdated, Extra: []RawIE{{Type: 0x54, Value: h("60 00 f1 10 00 01")}},
		}, hex: "07 49 00 54 06 60 00 f1 10 00 01"},
		{name: "raw message (CS service notification)", want: &RawMessage{Type: TypeCSServiceNotification, Body: h("01")},
			hex: "07 64 01"},
		{name: "raw ESM message (notification)", want: &RawMessage{Type: TypeNotification, ESMHeader: ESMHeader{EBI: 5}, Body: h("01 01")},
			hex: "52 00 db 01 01"},
	})
}

// Vectors from real traffic (testdata/nas/captures.txt), decoded by hand
// and checked against tshark's decoding of the same frames.
func TestGoldenCaptures(t *testing.T) {
	testGolden(t, []golden{
		// open5gs-srsenb-real-ue-attach-detach-2022.pcapng frame 36.
		{name: "srsenb authentication request", want: &AuthenticationRequest{
			RAND: [16]byte(h("8056a141f74abc09f62035366e205d6d")), AUTN: h("70ede1af42488000ddc49e88dd342753"),
		}, hex: "0752008056a141f74abc09f62035366e205d6d1070ede1af42488000ddc49e88dd342753"},
		// same file, frame 33: IMSI 901700000021309.
		{name: "srsenb identity response (integrity protected)", dir: Uplink, want: &SecurityProtected{
			HeaderType: IntegrityProtected, MAC: 0x36856929, SequenceNumber: 0x0a, Payload: h("0756089910070000203190"),
			Message: &IdentityResponse{Identity: MobileIdentity{Type: MobileIdentityIMSI, Digits: "901700000021309"}},
		}, hex: "17368569290a0756089910070000203190"},
		// same file, frame 38: EEA0/EIA2, replayed capabilities, IMEISV request, HashMME.
		{name: "srsenb security mode command", want: &SecurityProtected{
			HeaderType: IntegrityProtectedNewContext, MAC: 0x6fdc545a, Payload: h("075d020005f0f0c04010c14f0879bca4dd82d9d412"),
			Message: &SecurityModeCommand{Algorithms: NewSecurityAlgorithms(0, 2),
				ReplayedUESecurityCapability: UESecurityCapability(h("f0f0c04010")),
				IMEISVRequest:                ptr(uint8(1)), HashMME: h("79bca4dd82d9d412")},
		}, hex: "376fdc545a00075d020005f0f0c04010c14f0879bca4dd82d9d412"},
		// same file, frame 1916: switch-off detach with GUTI 901-70.
		{name: "srsenb detach request", dir: Uplink, want: &SecurityProtected{
			HeaderType: IntegrityProtectedCiphered, MAC: 0x6ded773a, SequenceNumber: 2, Payload: h("07450b0bf609f107000201dd0094ac"),
			Message: &DetachRequest{DetachType: DetachSwitchOff | DetachCombined,
				Identity: NewGUTI(GUTI{PLMN: gpp.MustPLMN("901", "70"), MMEGroupID: 2, MMECode: 1, MTMSI: 0xdd0094ac})},
		}, hex: "276ded773a0207450b0bf609f107000201dd0094ac"},
		// qcsuper-xperia-commercial-lte-nas-gsmtap.pcap frame 1856: TAU accept
		// of a commercial network (208-10), T3412 = 30 decihours, T3423 = 9.
		{name: "xperia TAU accept", want: &TrackingAreaUpdateAccept{
			UpdateResult: CombinedTALAUpdated, T3412: ptr(GPRSTimer(0x5e)),
			GUTI:                     ptr(NewGUTI(GUTI{PLMN: plmn20810, MMEGroupID: 0x80e8, MMECode: 0xa4, MTMSI: 0xedee7233})),
			TAIList:                  &TAIList{{Type: TAIListOnePLMNConsecutive, PLMN: plmn20810, TACs: []uint16{0xb5ad}}},
			EPSBearerContextStatus:   ptr(EPSBearerContextStatus(1 << 5)),
			LAI:                      &LAI{PLMN: plmn20810, LAC: 0x2f46},
			MSIdentity:               &MobileIdentity{Type: MobileIdentityTMSI, TMSI: 0x084e7d5c},
			T3423:                    ptr(GPRSTimer(0x49)),
			EPSNetworkFeatureSupport: EPSNetworkFeatureSupport{0x01},
			AdditionalUpdateResult:   ptr(AdditionalUpdateResult(0)),
		}, hex: "0749015a5e500bf602f80180e8a4edee723354062002f801b5ad570220001302f8012f462305f4084e7d5c5949640101f0"},
		// same file, frame 1843: QCSuper pads uplink NAS records with 6 zero
		// octets, which §7.6.1 skips as three empty unknown IEs.
		{name: "xperia authentication response with padding", want: &AuthenticationResponse{
			RES: h("e38b4dd7ecffb301"), Extra: []RawIE{{0, []byte{}}, {0, []byte{}}, {0, []byte{}}},
		}, hex: "075308e38b4dd7ecffb301000000000000"},
		// same file, frame 1902: SERVICE REQUEST.
		{name: "xperia service request", want: &ServiceRequest{HeaderType: 12, KSI: 6, SequenceNumber: 1, ShortMAC: 0x8a41},
			hex: "c7c18a41"},
	})
}
