package nas

import "testing"

var (
	benchAttachRequest = &AttachRequest{
		AttachType: EPSAttach, KSI: NoKeyAvailable,
		Identity:              NewIMSI("001010000000001"),
		UENetworkCapability:   UENetworkCapability{0xe0, 0xe0, 0, 0, 0, 0x2c},
		ESMMessageContainer:   h("02 01 d0 51"),
		DRXParameter:          &DRXParameter{CNCoefficient: 6},
		AdditionalUpdateType:  ptr(AdditionalUpdateType(0x4)),
		T3324:                 ptr(GPRSTimer2(0x21)),
		T3412Extended:         ptr(GPRSTimer3(0x22)),
		ExtendedDRXParameters: &ExtendedDRXParameters{PagingTimeWindow: 3, EDRXValue: 5},
	}
	benchDataTransport = &ESMDataTransport{
		ESMHeader: ESMHeader{EBI: 5}, UserData: make([]byte, 100),
		ReleaseAssistanceIndication: ptr(DDXNoFurtherData),
	}
)

func benchMarshalParse(b *testing.B, m Message) {
	buf := make([]byte, m.MarshalLen())
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		n, err := m.MarshalTo(buf)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Parse(buf[:n]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAttachRequest is Marshal+Parse of an NB-IoT ATTACH REQUEST.
func BenchmarkAttachRequest(b *testing.B) { benchMarshalParse(b, benchAttachRequest) }

// BenchmarkESMDataTransport is Marshal+Parse of an ESM DATA TRANSPORT with
// 100 octets of user data (data over NAS).
func BenchmarkESMDataTransport(b *testing.B) { benchMarshalParse(b, benchDataTransport) }

// BenchmarkProtectedCPServiceRequest is Marshal+Parse of the mobile
// originated data-over-NAS path: a security protected CONTROL PLANE
// SERVICE REQUEST carrying an ESM DATA TRANSPORT (the inner messages are
// decoded too).
func BenchmarkProtectedCPServiceRequest(b *testing.B) {
	esm, _ := benchDataTransport.Marshal()
	cpsr := &ControlPlaneServiceRequest{KSI: 1, ESMMessageContainer: esm}
	p, err := NewSecurityProtected(IntegrityProtectedPartlyCiphered, 0x01020304, 7, cpsr)
	if err != nil {
		b.Fatal(err)
	}
	benchMarshalParse(b, p)
}
