package s1mme

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ishidawataru/sctp"
	"github.com/pion/logging"
	psctp "github.com/pion/sctp"
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

// ErrSendTimeout is wrapped by Send's error when the peer has stopped
// reading: its receive window and our send buffer are full.
var ErrSendTimeout = errors.New("send buffer full")

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

// kernelPoll is how long one blocking accept or receive on a kernel SCTP
// socket waits before it looks again whether the listener or association
// was closed (SO_RCVTIMEO): closing a socket does not wake a thread blocked
// in accept(2) or recvmsg(2) on it, so without this a Close could wait for
// the next peer forever.
const kernelPoll = time.Second

// SendTimeout bounds one kernel SCTP send (SO_SNDTIMEO): a peer that stops
// reading fills the socket's send buffer, and Send then fails instead of
// blocking its writer for good. (SCTP over UDP bounds the queue instead:
// MaxBuffered.)
const SendTimeout = 10 * time.Second

// CloseTimeout bounds Close: the graceful SHUTDOWN of the association
// (RFC 9260 §9.2) is given this long to be acknowledged, then it is
// aborted (ABORT, §9.1).
const CloseTimeout = time.Second

type kernelListener struct {
	l      *sctp.SCTPListener
	closed atomic.Bool
}

// ListenKernel listens with kernel SCTP on addr (HOST:PORT). The kernel
// runs the association handshake itself (with its state cookie, RFC 9260
// §5.1), so Accept only ever returns established associations and a
// half-open handshake costs the listener nothing.
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
	if rc, err := l.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { setTimeout(int(fd), syscall.SO_RCVTIMEO, kernelPoll) })
	}
	return &kernelListener{l: l}, nil
}

// setTimeout sets a socket timeout option (SO_RCVTIMEO or SO_SNDTIMEO).
func setTimeout(fd, opt int, d time.Duration) error {
	tv := syscall.NsecToTimeval(d.Nanoseconds())
	return syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, opt, &tv)
}

// temporary reports whether a socket call ran into its timeout or a signal.
func temporary(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR)
}

func (k *kernelListener) Accept() (Conn, error) {
	for {
		if k.closed.Load() {
			return nil, net.ErrClosed
		}
		c, err := k.l.AcceptSCTP()
		if err != nil {
			if temporary(err) {
				continue
			}
			if k.closed.Load() {
				return nil, net.ErrClosed
			}
			return nil, err
		}
		kc, err := newKernelConn(c)
		if err != nil {
			continue // that association is gone already; wait for the next
		}
		return kc, nil
	}
}
func (k *kernelListener) Close() error {
	if k.closed.Swap(true) {
		return nil
	}
	return k.l.Close()
}
func (k *kernelListener) Addr() net.Addr { return k.l.Addr() }

type kernelConn struct {
	c      *sctp.SCTPConn
	closed atomic.Bool
	buf    [maxPDU]byte
}

// newKernelConn sets c's timeouts and subscribes to the stream and PPID of
// each message; on failure c is closed.
func newKernelConn(c *sctp.SCTPConn) (*kernelConn, error) {
	rc, err := c.SyscallConn()
	if err == nil {
		_ = rc.Control(func(fd uintptr) {
			if err = setTimeout(int(fd), syscall.SO_RCVTIMEO, kernelPoll); err == nil {
				err = setTimeout(int(fd), syscall.SO_SNDTIMEO, SendTimeout)
			}
		})
	}
	if err == nil {
		err = c.SubscribeEvents(sctp.SCTP_EVENT_DATA_IO)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return &kernelConn{c: c}, nil
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
	kc, err := newKernelConn(c)
	if err != nil {
		return nil, fmt.Errorf("s1-mme dial %s: %w", addr, err)
	}
	return kc, nil
}

func (k *kernelConn) Send(stream uint16, pdu []byte) error {
	_, err := k.c.SCTPWrite(pdu, &sctp.SndRcvInfo{Stream: stream, PPID: PPID})
	if temporary(err) {
		return fmt.Errorf("s1-mme send: %w: the peer has not read for %s", ErrSendTimeout, SendTimeout)
	}
	return err
}

// Recv waits for the next S1AP message; Close from another goroutine ends
// it within kernelPoll.
func (k *kernelConn) Recv() (uint16, []byte, error) {
	for {
		if k.closed.Load() {
			return 0, nil, net.ErrClosed
		}
		n, info, err := k.c.SCTPRead(k.buf[:])
		if err != nil {
			if temporary(err) {
				continue
			}
			if k.closed.Load() {
				return 0, nil, net.ErrClosed
			}
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

// Close ends the association: the kernel sends SHUTDOWN and, if the peer
// never answers, gives up by itself; the only blocking step here (queueing
// the end of data) is bounded by CloseTimeout.
func (k *kernelConn) Close() error {
	if k.closed.Swap(true) {
		return nil
	}
	if rc, err := k.c.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { setTimeout(int(fd), syscall.SO_SNDTIMEO, CloseTimeout) })
	}
	return k.c.Close()
}
func (k *kernelConn) RemoteAddr() net.Addr { return k.c.RemoteAddr() }

// ---- SCTP over UDP (pion) ----

type msg struct {
	stream uint16
	pdu    []byte
}

// MaxBuffered bounds the bytes one SCTP-over-UDP stream holds that the
// peer has not acknowledged yet; past it Send fails with ErrSendTimeout (a
// peer that stops reading cannot make the sender's memory grow).
const MaxBuffered = 1 << 20

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
	if b := s.BufferedAmount(); b > MaxBuffered {
		return fmt.Errorf("s1-mme send on stream %d: %w: %d bytes not yet acknowledged by the peer (at most %d)", stream, ErrSendTimeout, b, MaxBuffered)
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

// Close ends the association gracefully (SHUTDOWN, RFC 9260 §9.2), so the
// peer sees it end, or aborts it (ABORT, §9.1) if the peer does not
// acknowledge within CloseTimeout. It may be called from any goroutine and
// ends a Recv waiting in another.
func (c *udpConn) Close() error {
	c.fail(net.ErrClosed)
	ctx, cancel := context.WithTimeout(context.Background(), CloseTimeout)
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
	c, err := DialConn(ctx, nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("s1-mme dial udp://%s: %w", addr, err)
	}
	return c, nil
}

// DialConn starts an SCTP association over nc, a connected datagram
// socket to an SCTP-over-UDP listener, as DialUDP does over its own (tests
// wrap nc to make a peer drop or stop answering). Close closes nc; on
// error nc is left open.
func DialConn(ctx context.Context, nc net.Conn) (Conn, error) {
	a, err := psctp.ClientContext(ctx, psctp.WithNetConn(nc), psctp.WithLoggerFactory(loggerFactory()))
	if err != nil {
		return nil, err
	}
	return newUDPConn(a, nc), nil
}
