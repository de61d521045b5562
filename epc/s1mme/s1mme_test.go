package s1mme

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// exchange runs a listener and a dialer over url and checks PDUs cross both
// ways on several streams, in order, with their boundaries and streams kept.
func exchange(t *testing.T, listen func() (Listener, error), dial func(addr string) (Conn, error)) {
	t.Helper()
	l, err := listen()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type acc struct {
		c   Conn
		err error
	}
	ch := make(chan acc, 1)
	go func() {
		c, err := l.Accept()
		ch <- acc{c, err}
	}()
	cli, err := dial(l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	// The server sees the association once the client speaks.
	if err := cli.Send(0, []byte("s1-setup-request")); err != nil {
		t.Fatal(err)
	}
	var srv Conn
	select {
	case a := <-ch:
		if a.err != nil {
			t.Fatal(a.err)
		}
		srv = a.c
	case <-time.After(10 * time.Second):
		t.Fatal("no association accepted")
	}
	defer srv.Close()
	recv := func(c Conn, wantStream uint16, want []byte) {
		t.Helper()
		type r struct {
			s   uint16
			p   []byte
			err error
		}
		rc := make(chan r, 1)
		go func() {
			s, p, err := c.Recv()
			rc <- r{s, p, err}
		}()
		select {
		case got := <-rc:
			if got.err != nil {
				t.Fatalf("recv: %v", got.err)
			}
			if got.s != wantStream || !bytes.Equal(got.p, want) {
				t.Fatalf("got stream %d %q, want stream %d %q", got.s, got.p, wantStream, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("timeout waiting for %q", want)
		}
	}
	recv(srv, 0, []byte("s1-setup-request"))
	if err := srv.Send(0, []byte("s1-setup-response")); err != nil {
		t.Fatal(err)
	}
	recv(cli, 0, []byte("s1-setup-response"))
	// UE-associated signalling on another stream, several messages in order,
	// one large enough to be fragmented.
	big := bytes.Repeat([]byte{0xA5}, 5000)
	for i := 0; i < 5; i++ {
		if err := cli.Send(1, []byte(fmt.Sprintf("initial-ue-message-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := cli.Send(1, big); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		recv(srv, 1, []byte(fmt.Sprintf("initial-ue-message-%d", i)))
	}
	recv(srv, 1, big)
	if err := srv.Send(1, []byte("downlink-nas-transport")); err != nil {
		t.Fatal(err)
	}
	recv(cli, 1, []byte("downlink-nas-transport"))
}

func TestSCTPOverUDP(t *testing.T) {
	exchange(t,
		func() (Listener, error) { return Listen("udp://127.0.0.1:0") },
		func(addr string) (Conn, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return Dial(ctx, "udp://"+addr)
		})
}

func TestKernelSCTP(t *testing.T) {
	if err := KernelSCTP(); err != nil {
		if !errors.Is(err, ErrNoKernelSCTP) {
			t.Fatalf("KernelSCTP error does not wrap ErrNoKernelSCTP: %v", err)
		}
		// Say why, and check the transport refuses clearly rather than hanging.
		if _, lerr := Listen("sctp://127.0.0.1:0"); !errors.Is(lerr, ErrNoKernelSCTP) {
			t.Errorf("Listen without kernel SCTP: %v", lerr)
		}
		t.Skipf("skipping kernel SCTP exchange: %v", err)
	}
	exchange(t,
		func() (Listener, error) { return Listen("sctp://127.0.0.1:0") },
		func(addr string) (Conn, error) { return Dial(context.Background(), "sctp://"+addr) })
}

func TestBadURL(t *testing.T) {
	if _, err := Listen("tcp://127.0.0.1:1"); err == nil {
		t.Error("tcp:// accepted")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := Dial(ctx, "quic://x:1"); err == nil {
		t.Error("quic:// accepted")
	}
}

// Closing one end ends the other's Recv with an error: the MME and eNodeB
// see association loss (and reconnect).
func TestAssociationLoss(t *testing.T) {
	l, err := Listen("udp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ch := make(chan Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			ch <- c
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli, err := Dial(ctx, "udp://"+l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if err := cli.Send(0, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	srv := <-ch
	if _, _, err := srv.Recv(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := cli.Recv()
		done <- err
	}()
	srv.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Recv after the peer closed returned no error")
		}
	case <-time.After(15 * time.Second):
		t.Fatal("peer close not noticed")
	}
	cli.Close()
}
