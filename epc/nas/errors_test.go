package nas

import (
	"errors"
	"testing"
	"time"

	"github.com/nbsim/nbsim/gpp"
)

func TestErrors(t *testing.T) {
	var (
		trunc   *TruncatedError
		missing *MissingIEError
		invalid *InvalidIEError
		unknown UnknownMessageError
		proto   ProtocolError
	)
	for _, c := range []struct {
		name string
		hex  string
		as   any
		is   error
	}{
		{"empty", "", nil, ErrEmpty},
		{"EMM header only", "07", &trunc, nil},
		{"ESM header cut", "52 01", &trunc, nil},
		{"attach request without identity", "07 41 71", &missing, nil},
		{"attach request identity cut", "07 41 71 08 09 10", &trunc, nil},
		{"attach request without UE network capability", "07 41 71 08 09 10 10 00 00 00 00 10", &missing, nil},
		{"attach request bad IMSI digit", "07 41 71 08 09 10 1a 00 00 00 00 10 02 e0 e0 00 00", &invalid, ErrInvalidValue},
		{"attach accept reserved TAI list type", "07 42 01 49 06 60 00 f1 10 00 01 00 00", &invalid, ErrInvalidValue},
		{"optional TLV cut", "07 49 00 54 06 00", &trunc, nil},
		{"optional TLV-E cut", "07 4d 10 78 00 0a 52", &trunc, nil},
		{"unknown EMM type", "07 47", &unknown, nil},
		{"ESM type in EMM", "07 c1", &unknown, nil},
		{"unknown ESM type", "52 01 ff", &unknown, nil},
		{"not EPS NAS", "09 01", &proto, nil},
		{"reserved security header", "67 00 00 00 00 00 07 46", &proto, nil},
		{"protected without message", "27 00 00 00 00 00", &missing, nil},
		{"service request cut", "c7 45 12", &trunc, nil},
		{"service request trailing", "c7 45 12 34 00", nil, ErrTrailingData},
		{"detach request uplink without identity", "07 45 01", &missing, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := DirectionUnknown
			if c.name == "detach request uplink without identity" {
				dir = Uplink
			}
			m, err := ParseDirection(h(c.hex), dir)
			if err == nil || m != nil {
				t.Fatalf("got %T, %v", m, err)
			}
			if c.as != nil && !errors.As(err, c.as) {
				t.Errorf("error %v (%T) is not %T", err, err, c.as)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
			if err.Error() == "" {
				t.Error("empty message")
			}
		})
	}
	// type mismatch when decoding into a specific message
	if err := new(AttachAccept).UnmarshalBinary(h("07 41 71")); !errors.Is(err, ErrMessageMismatch) {
		t.Errorf("mismatch: %v", err)
	}
	// encoding errors
	if _, err := (&AttachRequest{Identity: NewIMSI("12a")}).Marshal(); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("bad digit: %v", err)
	}
	if _, err := (&DownlinkNASTransport{NASMessageContainer: make([]byte, 256)}).Marshal(); !errors.Is(err, ErrTooLong) {
		t.Errorf("too long: %v", err)
	}
	if _, err := (&SecurityProtected{HeaderType: 1, MAC: 1}).Marshal(); !errors.As(err, &missing) {
		t.Errorf("protected without message: %v", err)
	}
}

func TestIEs(t *testing.T) {
	p := gpp.MustPLMN("310", "260")
	if p.MCC() != "310" || p.MNC() != "260" || p != (PLMN{0x13, 0x00, 0x62}) || p.String() != "310-260" {
		t.Errorf("PLMN %x %s", p[:], p)
	}
	if p := gpp.MustPLMN("208", "10"); p.MNC() != "10" || p != (PLMN{0x02, 0xf8, 0x01}) {
		t.Errorf("PLMN %x", p[:])
	}
	for _, c := range []struct {
		d    time.Duration
		ok   bool
		got  func() (time.Duration, bool)
		name string
	}{
		{54 * time.Minute, true, GPRSTimer(0x49).Duration, "T3412 9 decihours"},
		{180 * time.Minute, true, GPRSTimer(0x5e).Duration, "T3412 30 decihours"},
		{0, false, GPRSTimer(TimerDeactivated).Duration, "deactivated"},
		{2 * time.Minute, true, GPRSTimer2(0x22).Duration, "T3324 2 min"},
		{4 * time.Second, true, GPRSTimer2(0x02).Duration, "T3324 4 s"},
		{2 * time.Hour, true, GPRSTimer3(0x22).Duration, "T3412ext 2 h"},
		{5 * time.Minute, true, GPRSTimer3(0xa5).Duration, "T3412ext 5 min"},
		{310 * time.Hour, true, GPRSTimer3(0x5f).Duration, "T3412ext 31 x 10 h"},
		{320 * time.Hour, true, GPRSTimer3(0xc1).Duration, "T3412ext 320 h"},
		{60 * time.Second, true, GPRSTimer3(0x82).Duration, "T3412ext 2 x 30 s"},
	} {
		if d, ok := c.got(); d != c.d || ok != c.ok {
			t.Errorf("%s: %v %v", c.name, d, ok)
		}
	}
	apn, err := NewAPN("ims.mnc070.mcc901.gprs")
	if err != nil || apn.String() != "ims.mnc070.mcc901.gprs" || apn[0] != 3 {
		t.Errorf("APN %q %v", apn, err)
	}
	var c UENetworkCapability
	c.Set(UECapCPCIoT, true)
	c.Set(UECapERwoPDN, true)
	if len(c) != 6 || c[5] != 0x24 || !c.Has(UECapCPCIoT) || c.Has(UECapUPCIoT) || c.Has(UECap15Bearers) {
		t.Errorf("UE network capability %x", []byte(c))
	}
	nfs := EPSNetworkFeatureSupport{0x80, 0x01}
	if !nfs.Has(NFSCPCIoT) || !nfs.Has(NFSUPCIoT) || nfs.Has(NFSS1UData) || nfs.Has(NFSIMSVoPS) {
		t.Errorf("EPS NFS %x", []byte(nfs))
	}
	l := TAIList{{Type: TAIListOnePLMNConsecutive, PLMN: p, TACs: []uint16{0xfffe, 0xffff, 0}}}
	b, err := l.MarshalBinary()
	if err != nil || len(b) != 6 || b[0] != 0x22 {
		t.Errorf("TAI list %x %v", b, err)
	}
	var l2 TAIList
	if err := l2.UnmarshalBinary(b); err != nil || len(l2.TAIs()) != 3 || l2.TAIs()[2].TAC != 0 {
		t.Errorf("TAI list %v %v", l2, err)
	}
	l[0].TACs[2] = 5
	if _, err := l.MarshalBinary(); err == nil {
		t.Error("non-consecutive type 1 list accepted")
	}
	a := PDNAddress{Type: PDNTypeIPv4v6, Address: h("0001020304050607 0a2d0002")}
	if ip, ok := a.IPv4(); !ok || ip.String() != "10.45.0.2" {
		t.Errorf("IPv4 %v", ip)
	}
	if id, ok := a.IPv6InterfaceID(); !ok || id[7] != 7 {
		t.Errorf("IPv6 IID %x", id)
	}
	if s := NewSecurityAlgorithms(2, 1); s != 0x21 || s.String() != "EEA2/EIA1" {
		t.Errorf("algorithms %v", s)
	}
	if EMMCause(7).String() != "#7 EPS services not allowed" || ESMCause(27).String() != "#27 Missing or unknown APN" {
		t.Error("cause names")
	}
	if TypeESMDataTransport.String() != "ESM data transport" || MessageType(0x47).Defined() {
		t.Error("message type names")
	}
}
