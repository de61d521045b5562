package s1

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/gpp"
)

func heapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestUnfinishedAttachFlood: a flood of Initial UE Messages whose attaches
// never finish — ATTACH REQUESTs of subscribers left unanswered at
// AUTHENTICATION REQUEST (T3460), some answered up to ATTACH ACCEPT but
// never completed (T3450), ATTACH REQUESTs of unknown IMSIs (rejected) and
// garbage NAS — from an eNB that answers no UE Context Release Command.
// ProcedureGuard after the last of them every such context and connection
// is gone, the counters say why, and the heap is back within 20 % of its
// level before the flood; the device whose attach completed keeps its
// context and its connection, and a new device attaches. On the old code
// nothing was ever freed.
func TestUnfinishedAttachFlood(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	s, h, delivered := newTestServer(t)
	s.MME.EnableProcedureTimers()
	f := newFakeENB(t, s, 1, 1)
	f.setup(testPLMN)
	good := newDevice(t, h, 0)
	req, err := good.AttachRequest()
	if err != nil {
		t.Fatal(err)
	}
	f.initial(1, good, req, nil)
	if !good.Registered {
		t.Fatal("the legitimate attach did not complete")
	}
	// The same work once before measuring, so that lazily built tables
	// (the codecs') are in the baseline, and every subscriber of the flood
	// has its state in the HSS (its SQN: the HSS keeps it for each
	// subscriber that ever attached, whatever the MME does).
	flood(t, f, h, 100, 1_000_000)
	snid := gpp.MustPLMN("001", "01")
	for n := 999; n < 4000; n++ {
		if _, err := h.NextAuthVector(fmt.Sprintf("0010100%08d", n+1), snid); err != nil {
			t.Fatal(err)
		}
	}
	// (and the MME's dense IMSI index as far as the highest of them)
	pdu, _ := initialUE(999, attachNAS(t, "001010000004000")).Marshal()
	f.s.HandleS1AP(f.id, pdu, f.now)
	f.now += mme.ProcedureGuard
	s.Tick(f.now)
	before := heapAlloc()

	f.now += time.Second
	flood(t, f, h, n, 2_000_000)
	pending := s.MME.Contexts() - 1
	if pending < n/2 || s.C.Connected < n/2 {
		t.Fatalf("%d contexts and %d connections after a flood of %d", pending, s.C.Connected, n)
	}
	during := heapAlloc()

	f.now += mme.ProcedureGuard - time.Second
	if out := s.Tick(f.now); len(out) != 0 {
		t.Fatalf("%d PDUs before the guard ran out", len(out))
	}
	f.now += time.Second
	out := s.Tick(f.now)
	if s.MME.Contexts() != 1 || s.C.Connected != 1 {
		t.Fatalf("after the guard: %d contexts, %d connections, want 1 each", s.MME.Contexts(), s.C.Connected)
	}
	var expired int64
	for _, v := range s.MME.C.Expired {
		expired += v
	}
	exp := s.MME.C.Expired
	if expired < int64(pending) || exp["t3460"] == 0 || exp["t3450"] == 0 || exp["idle"] == 0 {
		t.Errorf("expired %v, want %d in all three causes", exp, pending)
	}
	if len(out) == 0 || len(out) > pending {
		// (a rejected attach's connection had its Command already)
		t.Errorf("%d UE Context Release Commands for %d contexts", len(out), pending)
	}
	after := heapAlloc()
	t.Logf("heap before the flood %d kB, after %d attaches %d kB, after the guard %d kB (expired %v)",
		before>>10, n, during>>10, after>>10, exp)
	if float64(after) > 1.2*float64(before) {
		t.Errorf("heap %d kB after the guard, %d kB before the flood: more than 20 %% above", after>>10, before>>10)
	}

	// The completed attach was not touched: its data still goes through.
	up, err := good.Data([]byte("still here"), nas.DDXNoInformation)
	if err != nil {
		t.Fatal(err)
	}
	f.send(&s1ap.UplinkNASTransport{MMEUES1APID: f.mme[1], ENBUES1APID: 1, NASPDU: up, TAI: f.tai(),
		EUTRANCGI: s1ap.EUTRANCGI{PLMN: testPLMN, CellID: 0x101}})
	select {
	case d := <-delivered:
		if string(d.Data) != "still here" {
			t.Errorf("delivered %q", d.Data)
		}
	default:
		t.Error("the registered device's data was not delivered")
	}
	// A new device attaches.
	d := newDevice(t, h, 5)
	req, _ = d.AttachRequest()
	f.initial(5, d, req, nil)
	if !d.Registered {
		t.Error("a new attach after the flood did not complete")
	}
}

// flood sends n Initial UE Messages from eNB UE S1AP ID base on: 1 in 4 an
// ATTACH REQUEST of one of 1,000 subscribers left at AUTHENTICATION
// REQUEST, 1 in 4 of an unknown IMSI, 1 in 4 garbage NAS, and 1 in 4 an
// ATTACH REQUEST that a device answers up to ATTACH ACCEPT (1 in 40 of
// the flood) or one of another 1,000 subscribers left at AUTHENTICATION
// REQUEST.
func flood(t *testing.T, f *fakeENB, h *hss.Store, n int, base uint32) {
	t.Helper()
	for i := range n {
		enbUE := base + uint32(i)
		var b []byte
		switch i % 4 {
		case 0:
			b = attachNAS(t, fmt.Sprintf("0010100%08d", 1000+i/4%1000))
		case 1:
			b = attachNAS(t, fmt.Sprintf("0019900%08d", i))
		case 2:
			b = []byte{0x07, 0x41, byte(i), byte(i >> 8), 0xff}
		case 3:
			if i%40 == 3 {
				floodToAttachAccept(t, f, h, enbUE, 3000+i/40%1000)
				continue
			}
			b = attachNAS(t, fmt.Sprintf("0010100%08d", 2000+i/4%1000))
		}
		pdu, err := initialUE(enbUE, b).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.HandleS1AP(f.id, pdu, f.now); err != nil {
			t.Fatal(err)
		}
	}
}

func attachNAS(t *testing.T, imsi string) []byte {
	t.Helper()
	d, err := uenas.New(imsi, [16]byte{}, [16]byte{}, "001", "01")
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.AttachRequest()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// floodToAttachAccept runs the attach of subscriber n up to ATTACH ACCEPT
// and leaves out ATTACH COMPLETE.
func floodToAttachAccept(t *testing.T, f *fakeENB, h *hss.Store, enbUE uint32, n int) {
	t.Helper()
	d := newDevice(t, h, n)
	b, _ := d.AttachRequest()
	pdu, _ := initialUE(enbUE, b).Marshal()
	for pdu != nil {
		outs, err := f.s.HandleS1AP(f.id, pdu, f.now)
		if err != nil {
			t.Fatal(err)
		}
		pdu = nil
		for _, o := range outs {
			m, _ := s1ap.Parse(o.PDU)
			dl, ok := m.(*s1ap.DownlinkNASTransport)
			if !ok {
				continue
			}
			reply, err := d.Handle(dl.NASPDU)
			if err != nil {
				t.Fatal(err)
			}
			if d.Registered || reply == nil {
				return // ATTACH ACCEPT: ATTACH COMPLETE is not sent
			}
			pdu, _ = (&s1ap.UplinkNASTransport{MMEUES1APID: dl.MMEUES1APID, ENBUES1APID: enbUE, NASPDU: reply,
				TAI: f.tai(), EUTRANCGI: s1ap.EUTRANCGI{PLMN: testPLMN, CellID: 0x101}}).Marshal()
		}
	}
}
