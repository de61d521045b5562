package s1

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
)

// fuzzMaxOps bounds the operations of one FuzzS1AP input.
const fuzzMaxOps = 200

// s1apCorpus is the PDUs FuzzS1AP sends as they are or mutated: those of a
// recorded legitimate S1 Setup, attach, data exchange and release (replayed
// in order on a fresh server they attach again: the MME's randomness is
// seeded), Reset, Error Indication, an Initial UE Message with the issue
// #8 pre-security DETACH, and the captures of testdata/s1ap/captures.txt.
func s1apCorpus(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	s, h, _ := newTestServer(tb)
	f := newFakeENB(tb, s, 1, 1)
	f.rec = func(pdu []byte) { out = append(out, append([]byte(nil), pdu...)) }
	f.setup(testPLMN)
	d := newDevice(tb, h, 0)
	req, _ := d.AttachRequest()
	f.initial(1, d, req, nil)
	if up, err := d.Data([]byte("x"), nas.DDXNoInformation); err == nil {
		f.send(&s1ap.UplinkNASTransport{MMEUES1APID: f.mme[1], ENBUES1APID: 1, NASPDU: up, TAI: f.tai(),
			EUTRANCGI: s1ap.EUTRANCGI{PLMN: testPLMN, CellID: 0x101}})
	}
	f.send(&s1ap.UEContextReleaseRequest{MMEUES1APID: f.mme[1], ENBUES1APID: 1, Cause: s1ap.CauseNASNormalRelease})
	f.send(&s1ap.UEContextReleaseComplete{MMEUES1APID: f.mme[1], ENBUES1APID: 1})
	if len(out) < 6 {
		tb.Fatalf("recorded %d PDUs of a legitimate attach", len(out))
	}
	for _, m := range []s1ap.Message{
		&s1ap.Reset{Cause: s1ap.CauseMiscUnspecified, ResetType: s1ap.ResetType{All: true}},
		&s1ap.ErrorIndication{Cause: &s1ap.CauseProtocolTransferSyntaxError},
		initialUE(2, mustHex("074571080910100000000010")),
	} {
		if b, err := m.Marshal(); err == nil {
			out = append(out, b)
		}
	}
	if fh, err := os.Open("../../testdata/s1ap/captures.txt"); err == nil {
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if p := strings.Split(sc.Text(), "\t"); len(p) == 7 && !strings.HasPrefix(p[0], "#") {
				if b, err := hex.DecodeString(p[6]); err == nil {
					out = append(out, b)
				}
			}
		}
		fh.Close()
	}
	return out
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// FuzzS1AP feeds the S1AP server (MMEServer.HandleS1AP) PDU sequences from
// three eNB associations: each input is read as (eNB, operation, argument)
// triples: a corpus PDU as it is or with one octet changed, raw octets of
// the input as a PDU, time passing (MMEServer.Tick), the association lost.
// The first byte turns the procedure timers on. Invariants: no panic;
// every PDU sent decodes and goes to a known association; the connection
// gauge never goes negative; with the timers on, once
// mme.ProcedureGuard has passed no context without a completed attach and
// no connection of an eNB that is gone is left; and afterwards a new eNB
// sets up and a device attaches through it.
func FuzzS1AP(f *testing.F) {
	corpus := s1apCorpus(f)
	// One HSS for every input (parsing it took two thirds of an input's
	// time); what it keeps between inputs (each subscriber's SQN) only
	// changes AUTN, which the MME does not check.
	h, err := hss.Default()
	if err != nil {
		f.Fatal(err)
	}
	// Seeds: the recorded life replayed in order on eNB 1; the issue's
	// DETACH; two eNBs interleaved with time passing and a loss.
	var replay []byte
	for i := range min(len(corpus), 12) {
		replay = append(replay, 0x10, 0, byte(i))
	}
	f.Add(append([]byte{1}, replay...))
	f.Add([]byte{1, 0x10, 0, 0, 0x10, 0, byte(len(corpus) - 1)})
	f.Add([]byte{1, 0x10, 0, 0, 0x20, 0, 0, 0x10, 0, 1, 0x21, 7, 1, 0x12, 0, 40, 0x23, 0, 0, 0x10, 0, 2})
	for i := range corpus {
		f.Add([]byte{0, 0x10, 0, 0, 0x10, 0, byte(i)})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		s, _ := newTestServerHSS(t, h)
		s.OnDeliver = nil // (the test's channel would fill up)
		timers := data[0]&1 == 1
		if timers {
			s.MME.EnableProcedureTimers()
		}
		data = data[1:]
		var now time.Duration
		live := map[EnbID]bool{}
		check := func(outs []Out) {
			for _, o := range outs {
				if _, err := s1ap.ParsePDU(o.PDU); err != nil {
					t.Fatalf("the server sent an undecodable PDU %x: %v", o.PDU, err)
				}
				if !live[o.Enb] {
					t.Fatalf("a PDU to eNB %d, which is not associated", o.Enb)
				}
			}
			if s.C.Connected < 0 {
				t.Fatalf("connected gauge %d", s.C.Connected)
			}
		}
		for op := 0; op+2 < len(data) && op < 3*fuzzMaxOps; op += 3 {
			enb := EnbID(1 + int(data[op]>>4)%3)
			what, x, arg := data[op]&0x0f, data[op+1], data[op+2]
			switch what % 5 {
			case 0, 1: // a corpus PDU, maybe with one octet changed
				b := append([]byte(nil), corpus[int(arg)%len(corpus)]...)
				if what == 1 && len(b) > 0 {
					b[int(x)%len(b)] ^= x | 1
				}
				live[enb] = true
				outs, _ := s.HandleS1AP(enb, b, now)
				check(outs)
			case 2: // time passes
				now += time.Duration(arg) * time.Second
				check(s.Tick(now))
			case 3: // the association is lost
				s.ENBLost(enb, now)
				delete(live, enb)
			case 4: // raw octets of the input
				n := min(int(arg), len(data)-op-3)
				live[enb] = true
				outs, _ := s.HandleS1AP(enb, data[op+3:op+3+n], now)
				check(outs)
				op += n
			}
		}
		if timers {
			now += mme.ProcedureGuard
			s.Tick(now)
			if n := s.MME.Pending(); n != 0 {
				t.Fatalf("%d contexts without a completed attach after the guard", n)
			}
			for enb := range live {
				s.ENBLost(enb, now)
			}
			if s.C.Connected != 0 || len(s.conns) != 0 {
				t.Fatalf("%d connections (%d mapped) after every eNB went", s.C.Connected, len(s.conns))
			}
		}
		// A new eNB sets up and a device attaches.
		fe := newFakeENB(t, s, 9, 1)
		fe.now = now
		one[*s1ap.S1SetupResponse](t, fe.setup(testPLMN))
		d := newDevice(t, h, 50)
		req, err := d.AttachRequest()
		if err != nil {
			t.Fatal(err)
		}
		fe.initial(77, d, req, nil)
		if !d.Registered {
			t.Fatal("a new device did not attach after the sequence")
		}
	})
}
