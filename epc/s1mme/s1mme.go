package s1mme

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ishidawataru/sctp"
	"github.com/pion/logging"
	psctp "github.com/pion/sctp"
	"github.com/pion/transport/v5/udp"
)

// PPID is the SCTP payload protocol identifier of S1AP (TS 36.412 §7).
const PPID = 18

// Port is the S1-MME SCTP port (TS 36.412 §7).
const Port = 36412

// maxPDU bounds one S1AP PDU read.
const maxPDU = 65536

// Conn is one S1-MME association.
type Conn interface {
	// Send writes one S1AP PDU on the given SCTP stream (stream 0 for
	// non-UE-associated signalling, TS 36.412 §7).
	Send(stream uint16, pdu []byte) error
	// Recv returns the next S1AP PDU and the stream it came on. Messages with
	// another PPID are discarded.
	Recv() (stream uint16, pdu []byte, err error)
	Close() error
	RemoteAddr() net.Addr
}

// Listener accepts S1-MME associations.
type Listener interface {
	Accept() (Conn, error)
	Close() error
	Addr() net.Addr
}

// ErrNoKernelSCTP is wrapped by KernelSCTP's error when the kernel has no SCTP.
var ErrNoKernelSCTP = errors.New("kernel SCTP is not available")

// KernelSCTP returns nil if this machine's kernel supports SCTP sockets, or
// an error that says why not (typically CONFIG_IP_SCTP off or the sctp
// module not loaded).
func KernelSCTP() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, syscall.IPPROTO_SCTP)
	if err != nil {
		return fmt.Errorf("%w: socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP): %v (the kernel needs CONFIG_IP_SCTP / the sctp module; use the udp:// transport between nbsim processes)", ErrNoKernelSCTP, err)
	}
	syscall.Close(fd)
	return nil
}

// Listen listens on a transport URL: sctp://HOST:PORT (kernel SCTP) or
// udp://HOST:PORT (SCTP over UDP). A bare HOST:PORT means sctp.
func Listen(url string) (Listener, error) {
	scheme, addr := split(url)
	switch scheme {
	case "sctp":
		return ListenKernel(addr)
	case "udp":
		return ListenUDP(addr)
	}
	return nil, fmt.Errorf("s1-mme address %q: unknown transport %q (allowed: sctp, udp)", url, scheme)
}

// Dial connects to a transport URL (see Listen).
func Dial(ctx context.Context, url string) (Conn, error) {
	scheme, addr := split(url)
	switch scheme {
	case "sctp":
		return DialKernel(addr)
	case "udp":
		return DialUDP(ctx, addr)
	}
	return nil, fmt.Errorf("s1-mme address %q: unknown transport %q (allowed: sctp, udp)", url, scheme)
}

func split(url string) (scheme, addr string) {
	if s, a, ok := strings.Cut(url, "://"); ok {
		return s, a
	}
	return "sctp", url
}

// ---- kernel SCTP ----

type kernelListener struct{ l *sctp.SCTPListener }

// ListenKernel listens with kernel SCTP on addr (HOST:PORT).
func ListenKernel(addr string) (Listener, error) {
	if err := KernelSCTP(); err != nil {
		return nil, err
	}
	a, err := sctp.ResolveSCTPAddr("sctp", addr)
	if err != nil {
		return nil, fmt.Errorf("s1-mme listen %s: %w", addr, err)
	}
	l, err := sctp.ListenSCTP("sctp", a)
	if err != nil {
		return nil, fmt.Errorf("s1-mme listen %s: %w", addr, err)
	}
	return &kernelListener{l}, nil
}

func (k *kernelListener) Accept() (Conn, error) {
	c, err := k.l.AcceptSCTP()
	if err != nil {
		return nil, err
	}
	if err := c.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO); err != nil {
		c.Close()
		return nil, err
	}
	return &kernelConn{c: c}, nil
}
func (k *kernelListener) Close() error   { return k.l.Close() }
func (k *kernelListener) Addr() net.Addr { return k.l.Addr() }

type kernelConn struct {
	c   *sctp.SCTPConn
	buf [maxPDU]byte
}

// DialKernel connects with kernel SCTP to addr (HOST:PORT).
func DialKernel(addr string) (Conn, error) {
	if err := KernelSCTP(); err != nil {
		return nil, err
	}
	a, err := sctp.ResolveSCTPAddr("sctp", addr)
	if err != nil {
		return nil, fmt.Errorf("s1-mme dial %s: %w", addr, err)
	}
	c, err := sctp.DialSCTP("sctp", nil, a)
	if err != nil {
		return nil, fmt.Errorf("s1-mme dial %s: %w", addr, err)
	}
	if err := c.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO); err != nil {
		c.Close()
		return nil, err
	}
	return &kernelConn{c: c}, nil
}

func (k *kernelConn) Send(stream uint16, pdu []byte) error {
	_, err := k.c.SCTPWrite(pdu, &sctp.SndRcvInfo{Stream: stream, PPID: PPID})
	return err
}

func (k *kernelConn) Recv() (uint16, []byte, error) {
	for {
		n, info, err := k.c.SCTPRead(k.buf[:])
		if err != nil {
			return 0, nil, err
		}
		if info != nil && info.PPID != PPID {
			continue
		}
		var stream uint16
		if info != nil {
			stream = info.Stream
		}
		return stream, append([]byte(nil), k.buf[:n]...), nil
	}
}
func (k *kernelConn) Close() error         { return k.c.Close() }
func (k *kernelConn) RemoteAddr() net.Addr { return k.c.RemoteAddr() }

// ---- SCTP over UDP (pion) ----

type msg struct {
	stream uint16
	pdu    []byte
}

// udpConn is one pion SCTP association over a UDP flow.
type udpConn struct {
	a     *psctp.Association
	nc    net.Conn
	in    chan msg
	done  chan struct{}
	mu    sync.Mutex
	out   map[uint16]*psctp.Stream
	once  sync.Once
	errMu sync.Mutex
	err   error
}

func loggerFactory() logging.LoggerFactory {
	f := logging.NewDefaultLoggerFactory()
	f.DefaultLogLevel = logging.LogLevelDisabled
	return f
}

func newUDPConn(a *psctp.Association, nc net.Conn) *udpConn {
	c := &udpConn{a: a, nc: nc, in: make(chan msg, 256), done: make(chan struct{}), out: map[uint16]*psctp.Stream{}}
	go c.acceptLoop()
	return c
}

func (c *udpConn) fail(err error) {
	c.errMu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.errMu.Unlock()
	c.once.Do(func() { close(c.done) })
}

func (c *udpConn) acceptLoop() {
	for {
		s, err := c.a.AcceptStream()
		if err != nil {
			c.fail(io.EOF)
			return
		}
		c.mu.Lock()
		if _, ok := c.out[s.StreamIdentifier()]; !ok {
			c.out[s.StreamIdentifier()] = s
		}
		c.mu.Unlock()
		go c.readLoop(s)
	}
}

func (c *udpConn) readLoop(s *psctp.Stream) {
	buf := make([]byte, maxPDU)
	for {
		n, ppi, err := s.ReadSCTP(buf)
		if err != nil {
			c.fail(io.EOF)
			return
		}
		if ppi != PPID {
			continue
		}
		select {
		case c.in <- msg{s.StreamIdentifier(), append([]byte(nil), buf[:n]...)}:
		case <-c.done:
			return
		}
	}
}

func (c *udpConn) stream(id uint16) (*psctp.Stream, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.out[id]; ok {
		return s, nil
	}
	s, err := c.a.OpenStream(id, PPID)
	if err != nil {
		return nil, err
	}
	c.out[id] = s
	go c.readLoop(s)
	return s, nil
}

func (c *udpConn) Send(stream uint16, pdu []byte) error {
	select {
	case <-c.done:
		return c.closedErr()
	default:
	}
	s, err := c.stream(stream)
	if err != nil {
		return err
	}
	_, err = s.WriteSCTP(pdu, PPID)
	return err
}

func (c *udpConn) Recv() (uint16, []byte, error) {
	select {
	case m := <-c.in:
		return m.stream, m.pdu, nil
	case <-c.done:
		select { // deliver what arrived before the end
		case m := <-c.in:
			return m.stream, m.pdu, nil
		default:
		}
		return 0, nil, c.closedErr()
	}
}

func (c *udpConn) closedErr() error {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	if c.err == nil {
		return io.EOF
	}
	return c.err
}

// Close ends the association gracefully (SHUTDOWN), so the peer sees it
// end, or aborts it (ABORT) if the peer does not answer within a second.
func (c *udpConn) Close() error {
	c.fail(net.ErrClosed)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := c.a.Shutdown(ctx); err != nil {
		c.a.Abort("close")
	}
	err := c.a.Close()
	c.nc.Close()
	return err
}

func (c *udpConn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// DialUDP starts an SCTP association over UDP to addr (HOST:PORT).
func DialUDP(ctx context.Context, addr string) (Conn, error) {
	ra, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("s1-mme dial udp://%s: %w", addr, err)
	}
	nc, err := net.DialUDP("udp", nil, ra)
	if err != nil {
		return nil, fmt.Errorf("s1-mme dial udp://%s: %w", addr, err)
	}
	type res struct {
		a   *psctp.Association
		err error
	}
	ch := make(chan res, 1)
	go func() {
		a, err := psctp.ClientWithOptions(psctp.WithNetConn(nc), psctp.WithLoggerFactory(loggerFactory()))
		ch <- res{a, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			nc.Close()
			return nil, fmt.Errorf("s1-mme dial udp://%s: %w", addr, r.err)
		}
		return newUDPConn(r.a, nc), nil
	case <-ctx.Done():
		nc.Close()
		return nil, fmt.Errorf("s1-mme dial udp://%s: %w", addr, ctx.Err())
	}
}

type udpListener struct {
	l net.Listener
}

// ListenUDP accepts SCTP-over-UDP associations on addr (HOST:PORT).
func ListenUDP(addr string) (Listener, error) {
	la, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("s1-mme listen udp://%s: %w", addr, err)
	}
	l, err := (&udp.ListenConfig{}).Listen("udp", la)
	if err != nil {
		return nil, fmt.Errorf("s1-mme listen udp://%s: %w", addr, err)
	}
	return &udpListener{l: l}, nil
}

func (u *udpListener) Accept() (Conn, error) {
	for {
		nc, err := u.l.Accept()
		if err != nil {
			return nil, err
		}
		a, err := psctp.ServerWithOptions(psctp.WithNetConn(nc), psctp.WithLoggerFactory(loggerFactory()))
		if err != nil {
			nc.Close()
			continue // a stray datagram that was no SCTP INIT
		}
		return newUDPConn(a, nc), nil
	}
}
func (u *udpListener) Close() error   { return u.l.Close() }
func (u *udpListener) Addr() net.Addr { return u.l.Addr() }
