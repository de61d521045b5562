package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1"
	"github.com/nbsim/nbsim/epc/s1mme"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/internal/testutil"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a polling reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var coreListening = regexp.MustCompile(`listening on (udp://\S+)`)

// nbsim core on SCTP over UDP, run through its cobra command with a
// cancellable context; an eNB attaches devices that send data.
func TestCoreServesENB(t *testing.T) {
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := newCore(&stdout, &stderr)
	cmd.SetArgs([]string{"--listen", "udp://127.0.0.1:0", "--print-data"})
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()

	var url string
	deadline := time.Now().Add(10 * time.Second)
	for url == "" {
		if m := coreListening.FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no listen address printed; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		} else {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if strings.HasSuffix(url, ":0") {
		t.Fatalf("printed the unresolved address %s", url)
	}

	dctx, dcancel := context.WithTimeout(ctx, 20*time.Second)
	defer dcancel()
	e, err := s1.DialENB(dctx, url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hss.Default()
	if err != nil {
		t.Fatal(err)
	}
	const n = 3
	for i := range n {
		imsi := fmt.Sprintf("0010100%08d", 1+i)
		sub, _ := h.Lookup(imsi)
		d, err := uenas.New(imsi, sub.K, sub.OPc, "001", "01")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.AttachDevice(dctx, d); err != nil {
			t.Fatal(err)
		}
		if err := e.SendData(dctx, d, []byte("report "+imsi), nas.DDXNoFurtherData); err != nil {
			t.Fatal(err)
		}
		if err := e.WaitIdle(dctx, d); err != nil {
			t.Fatal(err)
		}
	}
	deadline = time.Now().Add(10 * time.Second)
	for strings.Count(stdout.String(), "sgi: ") < n {
		if time.Now().After(deadline) {
			t.Fatalf("data not delivered; stdout:\n%s", stdout.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("core: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("core did not stop when its context was cancelled")
	}
	out := stdout.String()
	mustContain(t, "stdout", out, `sgi: 001010000000001 10.45.0.1 "report 001010000000001"`,
		"s1ap: ", "setups=1", "delivered=3", "release_completes=3", "nas: attaches=3")
}

func udpEcho(t *testing.T) netip.AddrPort { _, a := testutil.UDPEcho(t); return a }

// User data leaves nbsim core at SGi as real UDP and the reply comes back
// to the device: the connection was released at once (RAI), so the MME
// pages the device and delivers the reply in the new connection.
func TestCoreSGi(t *testing.T) {
	echo := udpEcho(t)
	url, stdout, stop := startCore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	e, err := s1.DialENB(ctx, url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := hss.Default()
	sub, _ := h.Lookup("001010000000001")
	d, _ := uenas.New("001010000000001", sub.K, sub.OPc, "001", "01")
	if err := e.AttachDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	pkt, _ := (&ippkt.UDP{Src: netip.AddrPortFrom(d.Addr, 56830), Dst: echo, Payload: []byte("temp=21")}).Marshal()
	if err := e.SendData(ctx, d, pkt, nas.DDXNoFurtherData); err != nil {
		t.Fatal(err)
	}
	if err := e.Wait(ctx, d, func(d *uenas.Device) bool { return len(d.Received) > 0 }); err != nil {
		e.Close()
		stop()
		t.Fatalf("no reply: %v\n%s", err, stdout.String())
	}
	var got *ippkt.UDP
	e.Do(func() { got, err = ippkt.Parse(d.Received[0]) })
	if err != nil {
		t.Fatal(err)
	}
	if got.Src != echo || got.Dst.Addr() != d.Addr || got.Dst.Port() != 56830 || string(got.Payload) != "re:temp=21" {
		t.Fatalf("reply %v → %v %q", got.Src, got.Dst, got.Payload)
	}
	e.Close()
	stop()
	mustContain(t, "stdout", stdout.String(), "sgi: uplink=1/7B downlink=1/10B mappings=1", "pagings=1")
}

// sctp:// without kernel SCTP: exit 2 with the reason.
func TestCoreKernelSCTPUnavailable(t *testing.T) {
	if s1mme.KernelSCTP() == nil {
		t.Skip("this kernel has SCTP")
	}
	code, out, errOut := run(t, "core", "--listen", "sctp://127.0.0.1:0")
	mustExit(t, 2, code, out, errOut)
	mustContain(t, "stderr", errOut, "kernel SCTP is not available", "udp://")
}

func TestCoreBadFlags(t *testing.T) {
	code, out, errOut := run(t, "core", "--hss", "/nonexistent/subscribers.yaml", "--listen", "udp://127.0.0.1:0")
	mustExit(t, 2, code, out, errOut)
	mustContain(t, "stderr", errOut, "--hss")
	code, out, errOut = run(t, "core", "--listen", "tcp://127.0.0.1:0")
	mustExit(t, 2, code, out, errOut)
	mustContain(t, "stderr", errOut, "unknown transport")
	code, out, errOut = run(t, "core", "extra")
	mustExit(t, 2, code, out, errOut)
	for _, bad := range []string{"::1", "localhost", "192.0.2.1"} { // 192.0.2.1: TEST-NET-1, no address of this host
		code, out, errOut = run(t, "core", "--listen", "udp://127.0.0.1:0", "--sgi-bind", bad)
		mustExit(t, 2, code, out, errOut)
		mustContain(t, "stderr", errOut, "--sgi-bind")
	}
}

// The S1-MME address in use: exit 2, the error names --listen (and no Go
// field).
func TestCoreBindError(t *testing.T) {
	ul, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ul.Close()
	code, out, errOut := run(t, "core", "--listen", "udp://"+ul.LocalAddr().String())
	mustExit(t, 2, code, out, errOut)
	mustContain(t, "stderr", errOut, "--listen", "address already in use")
	if strings.Contains(errOut, "Config.") {
		t.Errorf("a Go field in the error: %s", errOut)
	}
}

// The SGi sockets bind --sgi-bind: a server sees the device's data come
// from that address (127.0.0.2 here; by default 127.0.0.1, no longer
// 0.0.0.0).
func TestCoreSGiBind(t *testing.T) {
	srv, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	url, _, stop := startCore(t, "--sgi-bind", "127.0.0.2")
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, err := s1.DialENB(ctx, url, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	h, _ := hss.Default()
	sub, _ := h.Lookup("001010000000001")
	d, _ := uenas.New("001010000000001", sub.K, sub.OPc, "001", "01")
	if err := e.AttachDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	dst := srv.LocalAddr().(*net.UDPAddr).AddrPort()
	pkt, _ := (&ippkt.UDP{Src: netip.AddrPortFrom(d.Addr, 5000), Dst: dst, Payload: []byte("t=1")}).Marshal()
	if err := e.SendData(ctx, d, pkt, nas.DDXNoFurtherData); err != nil {
		t.Fatal(err)
	}
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 100)
	n, from, err := srv.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatal(err)
	}
	if string(buf[:n]) != "t=1" || from.Addr() != netip.MustParseAddr("127.0.0.2") {
		t.Fatalf("got %q from %v, want t=1 from 127.0.0.2", buf[:n], from)
	}
}

// SIGTERM or SIGINT stops nbsim core (a subprocess) within the test's
// bound while peers misbehave: a half-open SCTP handshake, garbage, and an
// eNodeB that stopped reading (what the MME sends it is never
// acknowledged, its SHUTDOWN never answered) with unfinished attaches on
// it. The core exits as after any interrupt: status 0, counters printed.
func TestCoreStopsOnSignalWithMisbehavingPeers(t *testing.T) {
	h, err := hss.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		t.Run(sig.String(), func(t *testing.T) {
			p := startCoreSubprocess(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			e, err := dialRawENB(ctx, p.url, 77)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			e.f.goDeaf()
			for i := range 20 {
				if err := e.attach(h, fmt.Sprintf("0010100010%05d", i)); err != nil {
					t.Fatal(err)
				}
			}
			if err := sendDatagram(p.url, hostileInit(99)); err != nil {
				t.Fatal(err)
			}
			if err := sendDatagram(p.url, []byte("garbage")); err != nil {
				t.Fatal(err)
			}
			// The MME has read the attaches (its counters say so at the
			// end); then the signal.
			time.Sleep(300 * time.Millisecond)
			start := time.Now()
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err = waitExit(t, p.done, 10*time.Second, "nbsim core after "+sig.String())
			t.Logf("stopped %s after the signal", time.Since(start).Round(time.Millisecond))
			if err != nil {
				t.Fatalf("core: %v\nstdout:\n%s\nstderr:\n%s", err, p.stdout.String(), p.stderr.String())
			}
			mustContain(t, "stdout", p.stdout.String(), "nbsim core: stopped", "s1-mme: ")
		})
	}
}
