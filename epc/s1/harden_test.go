package s1

import (
	"context"
	"encoding/hex"
	"errors"
	"log"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/s1mme"
)

// rawENB is an association on which the test writes S1AP PDUs itself.
func rawENB(t *testing.T, ctx context.Context, url string, id uint32) s1mme.Conn {
	t.Helper()
	c, err := s1mme.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	nb := s1ap.RATTypeNBIoT
	sendPDU(t, c, StreamNonUE, &s1ap.S1SetupRequest{
		GlobalENBID:      s1ap.GlobalENBID{PLMN: testPLMN, Kind: s1ap.MacroENB, ID: id},
		SupportedTAs:     []s1ap.SupportedTA{{TAC: 1, BroadcastPLMNs: []s1ap.PLMN{testPLMN}, RATType: &nb}},
		DefaultPagingDRX: s1ap.PagingDRX128,
	})
	if _, pdu, err := c.Recv(); err != nil {
		t.Fatal(err)
	} else if m, err := s1ap.Parse(pdu); err != nil {
		t.Fatal(err)
	} else if _, ok := m.(*s1ap.S1SetupResponse); !ok {
		t.Fatalf("S1 Setup answered with %T", m)
	}
	return c
}

func sendPDU(t *testing.T, c s1mme.Conn, stream uint16, m s1ap.Message) {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(stream, b); err != nil {
		t.Fatal(err)
	}
}

func initialUE(enbUE uint32, nasPDU []byte) *s1ap.InitialUEMessage {
	return &s1ap.InitialUEMessage{ENBUES1APID: enbUE, NASPDU: nasPDU, TAI: s1ap.TAI{PLMN: testPLMN, TAC: 1},
		EUTRANCGI: s1ap.EUTRANCGI{PLMN: testPLMN, CellID: 0x101}, RRCEstablishmentCause: s1ap.RRCMOSignalling}
}

// TestPreSecurityDetachPDU is issue #8's deadlock: an Initial UE Message
// whose NAS is a plain DETACH REQUEST before any security context. The
// MME answers it (DETACH ACCEPT without protection, then UE Context
// Release Command), and a normal eNodeB still sets up and attaches. On
// the old code the MME panicked with the server's lock held and froze.
func TestPreSecurityDetachPDU(t *testing.T) {
	s, h, _ := newTestServer(t)
	r := serveOn(t, s, "udp://127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := rawENB(t, ctx, r.url, 99)
	detach, _ := hex.DecodeString("074571080910100000000010")
	sendPDU(t, c, StreamUE, initialUE(7, detach))
	got := map[string]bool{}
	for len(got) < 2 {
		_, pdu, err := c.Recv()
		if err != nil {
			t.Fatalf("after the DETACH REQUEST: %v", err)
		}
		m, err := s1ap.Parse(pdu)
		if err != nil {
			t.Fatal(err)
		}
		switch x := m.(type) {
		case *s1ap.DownlinkNASTransport:
			got["nas"] = true
			if x.NASPDU[0] != 0x07 || x.NASPDU[1] != 0x46 {
				t.Errorf("downlink NAS %x, want a plain DETACH ACCEPT 0746", x.NASPDU)
			}
		case *s1ap.UEContextReleaseCommand:
			got["release"] = true
		default:
			t.Fatalf("unexpected %T", m)
		}
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel2()
	e, err := DialENB(ctx2, r.url, 1, 1)
	if err != nil {
		t.Fatalf("a normal eNB after the DETACH: %v", err)
	}
	defer e.Close()
	if err := e.AttachDevice(ctx2, newDevice(t, h, 3)); err != nil {
		t.Fatalf("a normal attach after the DETACH: %v", err)
	}
	if st := r.srv.Stats(); len(st.Recovered) != 0 {
		t.Errorf("recovered %v: the DETACH should not fail at all", st.Recovered)
	}
}

// TestRecoverPanic: a failure while handling a PDU (forced by the test
// hook) is recovered and counted; the UE the PDU names is dropped and the
// association keeps serving; a PDU that names no UE ends its association
// only; either way the server goes on serving other eNBs.
func TestRecoverPanic(t *testing.T) {
	s, h, _ := newTestServer(t)
	// The hook is set, and its reset registered, before the server starts:
	// cleanups run last-in first-out, so the server's goroutines have
	// stopped before the hook is cleared.
	t.Cleanup(func() { testHookHandle = nil })
	var armed atomic.Int32 // 1: fail on the next Uplink NAS; 2: on the next Reset
	testHookHandle = func(_ EnbID, pdu []byte) {
		m, err := s1ap.Parse(pdu)
		if err != nil {
			return
		}
		switch m.(type) {
		case *s1ap.UplinkNASTransport:
			if armed.CompareAndSwap(1, 0) {
				panic("test: failure in uplink NAS")
			}
		case *s1ap.Reset:
			if armed.CompareAndSwap(2, 0) {
				var p *struct{ x int }
				_ = p.x // a nil dereference: a runtime error
			}
		}
	}
	r := serveOn(t, s, "udp://127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e, err := DialENB(ctx, r.url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()

	// The authentication response of device 0 fails: its context goes (the
	// eNB gets a UE Context Release Command); the attach does not finish.
	armed.Store(1)
	actx, acancel := context.WithTimeout(ctx, 2*time.Second)
	if err := e.AttachDevice(actx, newDevice(t, h, 0)); err == nil {
		t.Error("an attach whose PDU failed completed")
	}
	acancel()
	st := r.srv.Stats()
	if st.Recovered["test: failure in uplink NAS"] != 1 || st.DroppedUEs != 1 || st.DroppedAssociations != 0 {
		t.Fatalf("stats %+v", st)
	}
	var contexts int
	r.srv.Do(func(s *MMEServer) { contexts = s.MME.Contexts() })
	if contexts != 0 {
		t.Errorf("%d MME contexts after the drop, want 0", contexts)
	}
	// The same association still serves.
	if err := e.AttachDevice(ctx, newDevice(t, h, 1)); err != nil {
		t.Fatalf("attach on the same association: %v", err)
	}

	// A failing Reset names no UE: that association ends.
	c := rawENB(t, ctx, r.url, 2)
	armed.Store(2)
	sendPDU(t, c, StreamNonUE, &s1ap.Reset{Cause: s1ap.CauseMiscUnspecified, ResetType: s1ap.ResetType{All: true}})
	if _, _, err := c.Recv(); err == nil {
		t.Error("the association of a failed Reset still up")
	}
	eventually(t, "the association dropped", func() bool { return r.srv.Stats().DroppedAssociations == 1 })
	if st := r.srv.Stats(); st.Recovered["runtime error: invalid memory address or nil pointer dereference"] != 1 {
		t.Errorf("recovered %v", st.Recovered)
	}
	// A failure in Do is recovered too.
	r.srv.Do(func(*MMEServer) { panic("test: failure in Do") })
	if st := r.srv.Stats(); st.Recovered["test: failure in Do"] != 1 {
		t.Errorf("recovered %v", st.Recovered)
	}
	// Everything else still works.
	if err := e.AttachDevice(ctx, newDevice(t, h, 2)); err != nil {
		t.Fatalf("attach after the failures: %v", err)
	}
	e2, err := DialENB(ctx, r.url, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	if err := e2.AttachDevice(ctx, newDevice(t, h, 4)); err != nil {
		t.Fatal(err)
	}
}

// flakyListener fails Accept n times (EMFILE, as when the process is out
// of file descriptors) before passing to l.
type flakyListener struct {
	s1mme.Listener
	n atomic.Int32
}

func (f *flakyListener) Accept() (s1mme.Conn, error) {
	if f.n.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "accept", Net: "udp", Err: syscall.EMFILE}
	}
	return f.Listener.Accept()
}

// TestAcceptErrors: the accept loop survives transient Accept errors
// (backing off 5 ms doubling to 1 s) and serves the next association; the
// old Serve returned on the first one.
func TestAcceptErrors(t *testing.T) {
	s, h, _ := newTestServer(t)
	l, err := s1mme.Listen("udp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fl := &flakyListener{Listener: l}
	const fails = 6 // 5+10+20+40+80+160 ms of back-off
	fl.n.Store(fails)
	r := serveListener(t, s, fl, "udp://", DefaultServerConfig())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, err := DialENB(ctx, r.url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.AttachDevice(ctx, newDevice(t, h, 0)); err != nil {
		t.Fatal(err)
	}
	if st := r.srv.Stats(); st.AcceptErrors != fails || st.Accepted != 1 {
		t.Errorf("stats %+v, want %d accept errors and 1 accepted", st, fails)
	}
	select {
	case err := <-r.done:
		t.Fatalf("Serve returned %v", err)
	default:
	}
}

// TestAssociationLimits: past MaxAssociations an association is closed at
// once; one that sends no S1 SETUP REQUEST within SetupTimeout is closed.
func TestAssociationLimits(t *testing.T) {
	s, _, _ := newTestServer(t)
	r := serveOnConfig(t, s, "udp://127.0.0.1:0", ServerConfig{MaxAssociations: 2, SetupTimeout: 300 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := DialENB(ctx, r.url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := DialENB(ctx, r.url, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DialENB(ctx, r.url, 3, 1); err == nil {
		t.Error("a third association served with MaxAssociations 2")
	}
	if st := r.srv.Stats(); st.Refused != 1 || st.Associations != 2 {
		t.Errorf("stats %+v, want 1 refused, 2 served", st)
	}
	b.Close()
	eventually(t, "the second association gone", func() bool { return r.srv.Stats().Associations == 1 })

	// Silent after the handshake: closed after SetupTimeout.
	c, err := s1mme.Dial(ctx, r.url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	if _, _, err := c.Recv(); err == nil {
		t.Fatal("a PDU to a silent association")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("closed after %v", d)
	}
	if st := r.srv.Stats(); st.SetupTimeouts != 1 {
		t.Errorf("stats %+v, want 1 setup timeout", st)
	}
	// The one that did its setup is still served.
	var enbs int
	r.srv.Do(func(s *MMEServer) { enbs = len(s.ENBs()) })
	if enbs != 1 || errors.Is(a.Err(), ErrENBClosed) {
		t.Errorf("%d eNBs, first eNB %v", enbs, a.Err())
	}
}

// TestPeerRecover: on the eNB side (ENB, RemoteCore) a failure while
// handling a PDU from the MME is recovered and counted, with the lock
// released: the eNB goes on (before, the panic ended the process).
func TestPeerRecover(t *testing.T) {
	testHookPeerPDU = func([]byte) { panic("test: failure on the eNB side") }
	t.Cleanup(func() { testHookPeerPDU = nil })
	e, _ := pipeENB()
	e.handleLocked([]byte{0})
	if c := e.Counters(); c.Failures != 1 {
		t.Errorf("ENB failures %d, want 1", c.Failures)
	}
	r := &RemoteCore{failures: map[string]int64{}}
	r.mu.Lock()
	r.handleRecover([]byte{0})
	r.mu.Unlock()
	if r.failures["s1ap_panic"] != 1 {
		t.Errorf("RemoteCore failures %v", r.failures)
	}
}

// TestServerTicksTimers: the Server runs the MME's procedure timers on its
// clock: an Initial UE Message whose attach goes nowhere gets, once
// mme.ProcedureGuard has passed, a UE Context Release Command, and the
// MME holds no context for it any more.
func TestServerTicksTimers(t *testing.T) {
	s, _, _ := newTestServer(t)
	l, err := s1mme.Listen("udp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var clock atomic.Int64
	srv := NewServerConfig(s, func() time.Duration { return time.Duration(clock.Load()) },
		ServerConfig{TickInterval: 10 * time.Millisecond, Log: epc.NewRateLog(func(line string) { t.Log(line) })})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	dctx, dcancel := context.WithTimeout(ctx, 10*time.Second)
	defer dcancel()
	c := rawENB(t, dctx, "udp://"+l.Addr().String(), 5)
	sendPDU(t, c, StreamUE, initialUE(1, []byte{0x07, 0x41, 0xff}))
	var contexts int
	eventually(t, "the context", func() bool {
		srv.Do(func(s *MMEServer) { contexts = s.MME.Contexts() })
		return contexts == 1
	})
	clock.Store(int64(mme.ProcedureGuard))
	_, pdu, err := c.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if m, err := s1ap.Parse(pdu); err != nil {
		t.Fatal(err)
	} else if _, ok := m.(*s1ap.UEContextReleaseCommand); !ok {
		t.Fatalf("got %T, want UE Context Release Command", m)
	}
	var idle int64
	srv.Do(func(s *MMEServer) { contexts, idle = s.MME.Contexts(), s.MME.C.Expired["idle"] })
	if contexts != 0 || idle != 1 {
		t.Errorf("%d contexts, %d expired idle, want 0 and 1", contexts, idle)
	}
}

// TestBlockedStderr: the server logs while it holds its lock, so a
// standard error nobody reads (a full pipe) must not freeze it: with the
// default log on such a pipe, recovered failures are logged and the
// server still serves. On the old code the first log line blocked with
// the lock held and the second Do never ran.
func TestBlockedStderr(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// Fill the pipe: from now on every write to it blocks. (w.Fd() puts
	// the descriptor in blocking mode, so it is taken once.)
	fd := int(w.Fd())
	if err := syscall.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := syscall.Write(fd, chunk); err != nil {
			break
		}
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		t.Fatal(err)
	}
	prev := log.Writer()
	log.SetOutput(w)
	defer func() {
		r.Close() // the blocked write fails (EPIPE) and lets go of the logger
		log.SetOutput(prev)
		w.Close()
	}()

	ms, _, _ := newTestServer(t)
	srv := NewServer(ms, func() time.Duration { return 0 })
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 20 {
			srv.Do(func(*MMEServer) { panic("test: failure while stderr is blocked") })
		}
		srv.Do(func(*MMEServer) {})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the server froze on a standard error that is not read")
	}
	if n := srv.Stats().Recovered["test: failure while stderr is blocked"]; n != 20 {
		t.Errorf("%d failures counted, want 20", n)
	}
}
