package s1

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/s1mme"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/gpp"
	"github.com/nbsim/nbsim/internal/testutil"
)

// running is a Server on a real listener.
type running struct {
	srv    *Server
	url    string
	cancel context.CancelFunc
	done   chan error
}

func serveOn(t *testing.T, s *MMEServer, url string) *running {
	t.Helper()
	return serveOnConfig(t, s, url, DefaultServerConfig())
}

// serveOnConfig is serveOn with cfg; the server logs to the test's log.
func serveOnConfig(t *testing.T, s *MMEServer, url string, cfg ServerConfig) *running {
	t.Helper()
	l, err := s1mme.Listen(url)
	if err != nil {
		t.Fatal(err)
	}
	return serveListener(t, s, l, url[:len(url)-len("127.0.0.1:0")], cfg)
}

func serveListener(t *testing.T, s *MMEServer, l s1mme.Listener, scheme string, cfg ServerConfig) *running {
	t.Helper()
	if cfg.Log == nil {
		cfg.Log = epc.NewRateLog(func(line string) { t.Log(line) })
	}
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	r := &running{srv: NewServerConfig(s, func() time.Duration { return time.Since(start) }, cfg),
		url: scheme + l.Addr().String(), cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- r.srv.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return after cancel")
		}
	})
	return r
}

func (r *running) counters() Counters {
	var c Counters
	r.srv.Do(func(s *MMEServer) {
		c = s.C
		c.Errors = nil
	})
	return c
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testutil.WaitFor(t, 10*time.Second, what, cond)
}

// attachAll attaches the devices through e concurrently.
func attachAll(t *testing.T, ctx context.Context, e *ENB, devs []*uenas.Device) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(devs))
	for _, d := range devs {
		wg.Go(func() {
			if err := e.AttachDevice(ctx, d); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func collect(t *testing.T, ch chan mme.Deliver, n int) map[string]string {
	t.Helper()
	got := map[string]string{}
	timeout := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case d := <-ch:
			got[d.IMSI] = string(d.Data)
		case <-timeout:
			t.Fatalf("%d of %d deliveries", len(got), n)
		}
	}
	return got
}

// 50 devices attach through one eNB over SCTP-over-UDP and send data; the
// association is lost with them connected, the eNB comes back, they attach
// again and report, and one is paged for downlink data.
func TestServeUDP(t *testing.T) {
	s, h, delivered := newTestServer(t)
	r := serveOn(t, s, "udp://127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	e, err := DialENB(ctx, r.url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if e.MMEC != 1 || e.MMEName != "nbsim-mme" {
		t.Errorf("MMEC %d name %q", e.MMEC, e.MMEName)
	}
	const n = 50
	devs := make([]*uenas.Device, n)
	for i := range devs {
		devs[i] = newDevice(t, h, i)
	}
	attachAll(t, ctx, e, devs)
	for _, d := range devs {
		if err := e.SendData(ctx, d, []byte("hello "+d.IMSI), nas.DDXNoInformation); err != nil {
			t.Fatal(err)
		}
	}
	got := collect(t, delivered, n)
	for _, d := range devs {
		if got[d.IMSI] != "hello "+d.IMSI {
			t.Errorf("%s delivered %q", d.IMSI, got[d.IMSI])
		}
	}
	if c := r.counters(); c.Connected != n || s.MME.C.Attaches != n {
		t.Fatalf("connected %d attaches %d", c.Connected, s.MME.C.Attaches)
	}

	// Association loss with every device connected.
	if err := e.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	eventually(t, "the loss seen by the MME", func() bool { return r.counters().Lost == 1 })
	if c := r.counters(); c.Connected != 0 || c.LostUEs != n || c.ENBs != 0 {
		t.Fatalf("after the loss %v", c)
	}
	if err := e.SendData(ctx, devs[0], []byte("x"), 0); !errors.Is(err, ErrENBClosed) {
		t.Errorf("send on a closed eNB: %v", err)
	}

	// The eNB comes back: S1 Setup again, the devices attach again.
	e2, err := DialENB(ctx, r.url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	attachAll(t, ctx, e2, devs)
	for _, d := range devs {
		if err := e2.SendData(ctx, d, []byte("again"), nas.DDXNoFurtherData); err != nil {
			t.Fatal(err)
		}
	}
	got = collect(t, delivered, n)
	for _, d := range devs {
		if got[d.IMSI] != "again" {
			t.Errorf("%s delivered %q", d.IMSI, got[d.IMSI])
		}
	}
	// RAI: every connection released (command, complete).
	eventually(t, "the releases", func() bool { return r.counters().ReleaseCompletes == n })
	for _, d := range devs {
		if e2.Connected(d) {
			t.Errorf("%s still connected", d.IMSI)
		}
	}
	c := r.counters()
	if c.Connected != 0 || c.LostUEs != n || c.Lost != 1 || c.ENBs != 1 || c.Setups != 2 {
		t.Fatalf("counters doubled or wrong: %v", c)
	}
	ids := map[mme.UEID]bool{}
	r.srv.Do(func(s *MMEServer) {
		for _, d := range devs {
			u, ok := s.MME.UE(d.IMSI)
			if !ok {
				t.Errorf("%s: no MME context", d.IMSI)
				continue
			}
			ids[u.ID] = true
		}
	})
	if len(ids) != n {
		t.Errorf("%d distinct UE contexts, want %d", len(ids), n)
	}

	// Mobile-terminated data for an idle device: paged, it answers with a
	// service request and gets the data.
	d := devs[7]
	r.srv.Downlink(d.IMSI, []byte("open gate"))
	if err := e2.Wait(ctx, d, func(d *uenas.Device) bool { return len(d.Received) == 1 }); err != nil {
		t.Fatal(err)
	}
	e2.Do(func() {
		if string(d.Received[0]) != "open gate" {
			t.Errorf("received %q", d.Received)
		}
	})
	if ec := e2.Counters(); ec.Pagings != 1 || ec.PagesAnswered != 1 {
		t.Errorf("eNB counters %+v", ec)
	}
	// The connection is still up: the eNB releases it for inactivity.
	if err := e2.Release(d); err != nil {
		t.Fatal(err)
	}
	if err := e2.WaitIdle(ctx, d); err != nil {
		t.Fatal(err)
	}
	eventually(t, "release complete", func() bool { return r.counters().Connected == 0 })
	// Uplink from idle: a service request with data.
	if err := e2.SendData(ctx, d, []byte("closed"), nas.DDXNoFurtherData); err != nil {
		t.Fatal(err)
	}
	if got := collect(t, delivered, 1); got[d.IMSI] != "closed" {
		t.Errorf("delivered %q", got)
	}
}

// Kernel SCTP, where the machine has it.
func TestServeKernelSCTP(t *testing.T) {
	if err := s1mme.KernelSCTP(); err != nil {
		t.Skip(err)
	}
	s, h, delivered := newTestServer(t)
	r := serveOn(t, s, "sctp://127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e, err := DialENB(ctx, r.url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	devs := []*uenas.Device{newDevice(t, h, 0), newDevice(t, h, 1)}
	attachAll(t, ctx, e, devs)
	for _, d := range devs {
		if err := e.SendData(ctx, d, []byte(fmt.Sprint("k", d.IMSI)), nas.DDXNoFurtherData); err != nil {
			t.Fatal(err)
		}
	}
	collect(t, delivered, len(devs))
}

// S1 Setup refused: DialENB fails with the cause.
func TestDialENBSetupFailure(t *testing.T) {
	s, _, _ := newTestServer(t)
	r := serveOn(t, s, "udp://127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := DialENBConfig(ctx, r.url, ENBConfig{ENBID: 9, TAC: 1, PLMN: mustPLMN("999", "99")})
	if err == nil {
		t.Fatal("setup with an unknown PLMN succeeded")
	}
	t.Log(err)
}

func mustPLMN(mcc, mnc string) s1ap.PLMN { return gpp.MustPLMN(mcc, mnc) }
