package nas

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// capturePDU is one line of testdata/nas/captures.txt (written by
// testdata/nas/extract.sh with tshark).
type capturePDU struct {
	file, frame string
	dir         Direction
	b           []byte
}

func loadCaptures(tb testing.TB) []capturePDU {
	tb.Helper()
	f, err := os.Open("../../testdata/nas/captures.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []capturePDU
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 4 {
			tb.Fatalf("bad line %q", sc.Text())
		}
		b, err := hex.DecodeString(p[3])
		if err != nil {
			tb.Fatal(err)
		}
		dir := Uplink
		if p[2] == "DL" {
			dir = Downlink
		}
		out = append(out, capturePDU{p[0], p[1], dir, b})
	}
	if len(out) == 0 {
		tb.Fatal("no capture lines")
	}
	return out
}

// walk visits m, the message inside a security protected message and the
// messages in ESM message containers.
func walk(m Message, fn func(Message)) {
	if m == nil {
		return
	}
	fn(m)
	var c []byte
	switch m := m.(type) {
	case *SecurityProtected:
		walk(m.Message, fn)
	case *AttachRequest:
		c = m.ESMMessageContainer
	case *AttachAccept:
		c = m.ESMMessageContainer
	case *AttachComplete:
		c = m.ESMMessageContainer
	case *AttachReject:
		c = m.ESMMessageContainer
	case *ControlPlaneServiceRequest:
		c = m.ESMMessageContainer
	}
	if c != nil {
		if inner, err := Parse(c); err == nil {
			walk(inner, fn)
		}
	}
}

// hasExtra reports whether m (or a message inside) kept raw IEs.
func hasExtra(m Message) bool {
	found := false
	walk(m, func(x Message) {
		v := reflect.ValueOf(x).Elem()
		if f := v.FieldByName("Extra"); f.IsValid() && f.Len() > 0 {
			found = true
		}
	})
	return found
}

// TestCaptures parses every NAS PDU of the shared captures: each must
// parse (ciphered ones as opaque SecurityProtected), re-encode to the same
// octets, and so must every ESM message container inside.
func TestCaptures(t *testing.T) {
	pdus := loadCaptures(t)
	var parsed, identical, ciphered, protected, containers, withExtra int
	types := map[string]int{}
	for _, p := range pdus {
		name := fmt.Sprintf("%s#%s", p.file, p.frame)
		m, err := ParseDirection(p.b, p.dir)
		if err != nil {
			t.Errorf("%s: %x: %v", name, p.b, err)
			continue
		}
		parsed++
		if hasExtra(m) {
			withExtra++
		}
		out, err := m.Marshal()
		if err != nil || !bytes.Equal(out, p.b) {
			t.Errorf("%s: re-encoding differs (%v)\n in  %x\n out %x", name, err, p.b, out)
		} else {
			identical++
		}
		if n := m.MarshalLen(); n != len(p.b) {
			t.Errorf("%s: MarshalLen %d, want %d", name, n, len(p.b))
		}
		// Parse without direction must agree except for DETACH REQUEST
		// whose form it guesses.
		if m2, err := Parse(p.b); err != nil {
			t.Errorf("%s: Parse without direction: %v", name, err)
		} else if !reflect.DeepEqual(m, m2) {
			t.Errorf("%s: Parse without direction gives %T, with %s gives %T", name, m2, map[Direction]string{Uplink: "UL", Downlink: "DL"}[p.dir], m)
		}
		if sp, ok := m.(*SecurityProtected); ok {
			protected++
			if sp.Ciphered() {
				ciphered++
			}
		}
		walk(m, func(x Message) {
			types[fmt.Sprintf("%T", x)[5:]]++
		})
		for _, c := range containerBytes(m) {
			containers++
			cm, err := Parse(c)
			if err != nil {
				t.Errorf("%s: ESM container %x: %v", name, c, err)
				continue
			}
			if out, _ := cm.Marshal(); !bytes.Equal(out, c) {
				t.Errorf("%s: ESM container re-encoding differs\n in  %x\n out %x", name, c, out)
			}
		}
	}
	t.Logf("%d NAS PDUs: %d parsed, %d re-encoded byte-identically; %d security protected (%d opaque/ciphered); %d ESM containers; %d with raw (unmodelled) IEs",
		len(pdus), parsed, identical, protected, ciphered, containers, withExtra)
	keys := make([]string, 0, len(types))
	for k := range types {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("  %-45s %d", k, types[k])
	}
}

func containerBytes(m Message) [][]byte {
	var out [][]byte
	walk(m, func(x Message) {
		switch x := x.(type) {
		case *AttachRequest:
			out = append(out, x.ESMMessageContainer)
		case *AttachAccept:
			out = append(out, x.ESMMessageContainer)
		case *AttachComplete:
			out = append(out, x.ESMMessageContainer)
		}
	})
	return out
}

// TestCapturesAgainstTshark compares fields decoded here with tshark's own
// decoding of the same frames (testdata/nas/fields.txt): IMSI, EMM and ESM
// causes, GPRS timer values (T3412, T3402, T3423), TACs of TAIs and TAI
// lists, GUTI M-TMSIs, APNs and message types, as multisets per frame.
func TestCapturesAgainstTshark(t *testing.T) {
	pdus := loadCaptures(t)
	ours := map[string]map[string][]string{} // file#frame -> field -> values
	for _, p := range pdus {
		key := p.file + "#" + p.frame
		m, err := ParseDirection(p.b, p.dir)
		if err != nil {
			continue
		}
		if ours[key] == nil {
			ours[key] = map[string][]string{}
		}
		collectFields(m, ours[key])
	}
	f, err := os.Open("../../testdata/nas/fields.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	theirs := map[string]map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		key := p[0] + "#" + p[1]
		if theirs[key] == nil {
			theirs[key] = map[string][]string{}
		}
		theirs[key][p[2]] = append(theirs[key][p[2]], strings.Split(p[3], ";")...)
	}
	compared := map[string]int{}
	for key, fields := range theirs {
		got := ours[key]
		if got == nil {
			t.Errorf("%s: tshark decoded NAS we did not", key)
			continue
		}
		for field, want := range fields {
			g := slices.Clone(got[field])
			w := slices.Clone(want)
			slices.Sort(g)
			slices.Sort(w)
			if !slices.Equal(g, w) {
				t.Errorf("%s %s: ours %v, tshark %v", key, field, g, w)
				continue
			}
			compared[field] += len(w)
		}
		// and nothing we decoded that tshark did not
		for field, g := range got {
			if _, ok := fields[field]; !ok && len(g) > 0 && theirsCovers(key) {
				t.Errorf("%s %s: ours %v, tshark none", key, field, g)
			}
		}
	}
	t.Logf("values equal to tshark's: %v", compared)
}

// theirsCovers reports whether fields.txt has tshark's decoding of every
// NAS PDU of the frame (the GSMTAP files' RRC-carried copies are not in it).
func theirsCovers(key string) bool { return !strings.HasPrefix(key, "qcsuper") }

func collectFields(m Message, out map[string][]string) {
	add := func(k, v string) { out[k] = append(out[k], v) }
	timer := func(t *GPRSTimer) {
		if t != nil {
			add("gsm_a.gm.gmm.gprs_timer_value", strconv.Itoa(int(t.Value())))
			add("gsm_a.gm.gmm.gprs_timer_unit", strconv.Itoa(int(t.Unit())))
		}
	}
	eid := func(id *EPSMobileIdentity) {
		if id == nil {
			return
		}
		switch id.Type {
		case EPSIdentityIMSI:
			add("e212.imsi", id.Digits)
		case EPSIdentityGUTI:
			add("nas_eps.emm.m_tmsi", strconv.FormatUint(uint64(id.GUTI.MTMSI), 10))
		}
	}
	mid := func(id *MobileIdentity) {
		if id != nil && id.Type == MobileIdentityIMSI {
			add("e212.imsi", id.Digits)
		}
	}
	tais := func(l *TAIList) {
		if l != nil {
			for _, t := range l.TAIs() {
				add("nas_eps.emm.tai_tac", strconv.Itoa(int(t.TAC)))
			}
		}
	}
	tai := func(t *TAI) {
		if t != nil {
			add("nas_eps.emm.tai_tac", strconv.Itoa(int(t.TAC)))
		}
	}
	emm := func(c *EMMCause) {
		if c != nil {
			add("nas_eps.emm.cause", strconv.Itoa(int(*c)))
		}
	}
	esm := func(c *ESMCause) {
		if c != nil {
			add("nas_eps.esm.cause", strconv.Itoa(int(*c)))
		}
	}
	apn := func(a AccessPointName) {
		if a != nil {
			add("gsm_a.gm.sm.apn", a.String())
		}
	}
	walk(m, func(x Message) {
		if pm, ok := x.(interface{ MessageType() MessageType }); ok {
			t := pm.MessageType()
			if t.PD() == PDEMM {
				add("nas_eps.nas_msg_emm_type", fmt.Sprintf("0x%02x", uint8(t)))
			} else {
				add("nas_eps.nas_msg_esm_type", fmt.Sprintf("0x%02x", uint8(t)))
			}
		}
		switch x := x.(type) {
		case *AttachRequest:
			eid(&x.Identity)
			eid(x.AdditionalGUTI)
			tai(x.LastVisitedTAI)
		case *AttachAccept:
			timer(&x.T3412)
			timer(x.T3402)
			timer(x.T3423)
			tais(&x.TAIList)
			eid(x.GUTI)
			emm(x.EMMCause)
		case *AttachReject:
			emm(&x.Cause)
		case *DetachRequest:
			eid(&x.Identity)
		case *NetworkDetachRequest:
			emm(x.EMMCause)
		case *TrackingAreaUpdateRequest:
			eid(&x.OldGUTI)
			eid(x.AdditionalGUTI)
			tai(x.LastVisitedTAI)
		case *TrackingAreaUpdateAccept:
			timer(x.T3412)
			timer(x.T3402)
			timer(x.T3423)
			tais(x.TAIList)
			eid(x.GUTI)
			emm(x.EMMCause)
		case *TrackingAreaUpdateReject:
			emm(&x.Cause)
		case *ServiceReject:
			emm(&x.Cause)
			timer(x.T3442)
		case *AuthenticationFailure:
			emm(&x.Cause)
		case *SecurityModeReject:
			emm(&x.Cause)
		case *EMMStatus:
			emm(&x.Cause)
		case *IdentityResponse:
			mid(&x.Identity)
		case *GUTIReallocationCommand:
			eid(&x.GUTI)
			tais(x.TAIList)
		case *ActivateDefaultEPSBearerContextRequest:
			apn(x.APN)
			esm(x.ESMCause)
		case *ActivateDefaultEPSBearerContextReject:
			esm(&x.Cause)
		case *ActivateDedicatedEPSBearerContextReject:
			esm(&x.Cause)
		case *ModifyEPSBearerContextReject:
			esm(&x.Cause)
		case *DeactivateEPSBearerContextRequest:
			esm(&x.Cause)
		case *PDNConnectivityRequest:
			apn(x.APN)
		case *PDNConnectivityReject:
			esm(&x.Cause)
		case *PDNDisconnectReject:
			esm(&x.Cause)
		case *ESMInformationResponse:
			apn(x.APN)
		case *ESMStatus:
			esm(&x.Cause)
		}
	})
}
