package mme

import (
	"bufio"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/uenas"
)

// fuzzUEs is how many devices a FuzzMME sequence drives; fuzzMaxOps bounds
// the operations of one input.
const (
	fuzzUEs    = 3
	fuzzMaxOps = 200
)

// uplinkCorpus is the NAS messages FuzzMME sends as they are or mutated:
// the uplink messages of testdata/nas/captures.txt, the pre-security
// DETACH REQUEST of issue #8, and those of a recorded legitimate attach,
// data exchange, TAU and detach (whose security context is another MME's,
// so this MME must discard them once it has its own).
func uplinkCorpus(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	if f, err := os.Open("../../testdata/nas/captures.txt"); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			p := strings.Split(sc.Text(), "\t")
			if len(p) == 4 && p[2] == "UL" {
				if b, err := hex.DecodeString(p[3]); err == nil {
					out = append(out, b)
				}
			}
		}
		f.Close()
	}
	det, _ := hex.DecodeString(preSecurityDetach)
	out = append(out, det)
	// A recorded legitimate life: attach, data, TAU, detach.
	m := newFuzzMME(tb, false)
	d := fuzzDevice(tb, m, 0)
	var rec [][]byte
	l := &link{t: nil, m: m, d: d, id: m.Connect()}
	req, _ := d.AttachRequest()
	rec = append(rec, recordUp(m, l, req)...)
	for _, f := range []func() ([]byte, error){
		func() ([]byte, error) { return d.Data([]byte("x"), nas.DDXNoInformation) },
		func() ([]byte, error) { return d.ServiceRequest([]byte("y"), nas.DDXSingleDownlink) },
		d.TAURequest,
		func() ([]byte, error) { return d.DetachRequest(false) },
	} {
		if b, err := f(); err == nil {
			rec = append(rec, recordUp(m, l, b)...)
		}
	}
	if len(rec) < 4 {
		tb.Fatalf("recorded %d uplink messages of a legitimate attach", len(rec))
	}
	return append(out, rec...)
}

// recordUp runs b and the exchange it starts, returning every uplink
// message.
func recordUp(m *MME, l *link, b []byte) [][]byte {
	var up [][]byte
	queue := [][]byte{b}
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		up = append(up, msg)
		for _, e := range m.HandleNAS(l.id, msg, l.now) {
			if s, ok := e.(SendNAS); ok {
				if reply, err := l.d.Handle(s.NAS); err == nil && reply != nil {
					queue = append(queue, reply)
				}
			}
		}
	}
	return up
}

func newFuzzMME(tb testing.TB, timers bool) *MME {
	tb.Helper()
	cfg := DefaultConfig()
	cfg.ProcedureTimers = timers
	return newMME(tb, cfg)
}

// newFuzzMMEHSS is newFuzzMME on h (loading the HSS took most of an
// input's time; what it keeps between inputs, each subscriber's SQN, only
// changes AUTN, which the MME does not check).
func newFuzzMMEHSS(tb testing.TB, h *hss.Store, timers bool) *MME {
	tb.Helper()
	cfg := DefaultConfig()
	cfg.ProcedureTimers = timers
	m, err := New(cfg, h, seeded{mrand.NewChaCha8([32]byte{1})})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// fuzzDevice is subscriber n of the test HSS's range.
func fuzzDevice(tb testing.TB, m *MME, n int) *uenas.Device {
	tb.Helper()
	imsi := fmt.Sprintf("0010100%08d", 1+n)
	sub, ok := m.hss.Lookup(imsi)
	if !ok {
		tb.Fatalf("%s not in the HSS", imsi)
	}
	d, err := uenas.New(imsi, sub.K, sub.OPc, "001", "01")
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// FuzzMME feeds the MME sequences of NAS messages for several UEs: each
// input is read as operations (UE, what, argument): a device starts an
// attach, answers the MME's last message to it, sends data / a service
// request / a TAU / a detach, a corpus message goes to the UE's context
// as it is or with an octet changed, time passes (and the procedure timers
// run), the connection is released, downlink data arrives. Invariants: no
// panic; every context the MME holds was opened by a Connect; with the
// procedure timers on, once ProcedureGuard has passed no context without
// a completed attach is left; and afterwards a new device attaches.
func FuzzMME(f *testing.F) {
	corpus := uplinkCorpus(f)
	h, err := hss.Load("../../testdata/hss/subscribers.yaml")
	if err != nil {
		f.Fatal(err)
	}
	// Seeds: a legitimate attach and data of UE 0 (start, answer ×4, data);
	// the DETACH; several UEs interleaved; a flood left to expire.
	f.Add([]byte{1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 2, 0})
	f.Add([]byte{1, 0, 3, byte(len(corpus) - 1 - 0)})
	f.Add([]byte{1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 2, 0, 1, 1, 2, 1, 5, 30, 0, 1, 0})
	f.Add([]byte{1, 0, 3, 0, 1, 3, 1, 2, 3, 2, 2, 4, 9, 0, 5, 31, 0, 5, 31})
	for i := range corpus {
		f.Add([]byte{0, 0, 3, byte(i)})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		timers := data[0]&1 == 1
		data = data[1:]
		m := newFuzzMMEHSS(t, h, timers)
		type ue struct {
			d    *uenas.Device
			id   UEID
			last []byte // the MME's last NAS message to it
			ok   bool
		}
		var ues [fuzzUEs]ue
		for i := range ues {
			ues[i].d = fuzzDevice(t, m, 10+i)
		}
		var now time.Duration
		connects := 0
		handle := func(u *ue, b []byte) {
			for _, e := range m.HandleNAS(u.id, b, now) {
				if s, ok := e.(SendNAS); ok && s.UE == u.id {
					u.last = s.NAS
				}
			}
		}
		for op := 0; op+2 < len(data) && op < 3*fuzzMaxOps; op += 3 {
			u := &ues[int(data[op]>>4)%fuzzUEs]
			what, arg := data[op]&0x0f, data[op+2]
			_ = data[op+1]
			if !u.ok && what != 0 && what != 3 {
				what = 0
			}
			switch what % 8 {
			case 0: // a (new) attach
				u.d = fuzzDevice(t, m, 10+int(data[op]>>4)%fuzzUEs)
				u.id, u.ok, u.last = m.Connect(), true, nil
				connects++
				if b, err := u.d.AttachRequest(); err == nil {
					handle(u, b)
				}
			case 1: // the device answers
				if u.last != nil {
					if reply, err := u.d.Handle(u.last); err == nil && reply != nil {
						u.last = nil
						handle(u, reply)
					}
				}
			case 2, 6: // uplink of a registered device
				var b []byte
				var err error
				switch arg % 4 {
				case 0:
					b, err = u.d.Data([]byte{arg}, nas.ReleaseAssistanceIndication(arg>>4&3))
				case 1:
					b, err = u.d.ServiceRequest([]byte{arg}, nas.ReleaseAssistanceIndication(arg>>4&3))
				case 2:
					b, err = u.d.TAURequest()
				default:
					b, err = u.d.DetachRequest(arg&0x10 != 0)
				}
				if err == nil {
					handle(u, b)
				}
			case 3: // a corpus message, maybe with one octet changed
				if !u.ok {
					u.id, u.ok = m.Connect(), true
					connects++
				}
				b := append([]byte(nil), corpus[int(arg)%len(corpus)]...)
				if x := data[op+1]; x != 0 && len(b) > 0 {
					b[int(x)%len(b)] ^= x
				}
				handle(u, b)
			case 4: // downlink data
				m.HandleDownlink(u.d.IMSI, []byte{arg}, now)
			case 5: // time passes
				now += time.Duration(arg) * time.Second
				m.Expire(now)
			case 7: // the connection is released
				m.Released(u.id, now)
				m.AfterRelease(u.id, now)
			}
		}
		if n := m.Contexts(); n > connects {
			t.Fatalf("%d contexts after %d connects", n, connects)
		}
		if timers {
			now += ProcedureGuard
			m.Expire(now)
			if n := m.Pending(); n != 0 {
				t.Fatalf("%d contexts without a completed attach after the guard", n)
			}
		}
		// A new device still attaches.
		d := fuzzDevice(t, m, 100)
		l := &link{t: t, m: m, d: d, id: m.Connect(), now: now}
		req, err := d.AttachRequest()
		if err != nil {
			t.Fatal(err)
		}
		l.up(req)
		if !d.Registered {
			t.Fatal("a new device did not attach after the sequence")
		}
	})
}
