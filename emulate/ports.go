package emulate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/term"

	"github.com/nbsim/nbsim/internal/backoff"
)

// Limits of the TCP AT ports.
const (
	// DefaultATIdle closes a TCP AT client that has sent nothing for a
	// day. Firmware may stay silent for hours in PSM, so it is long; it
	// still frees a port held by a client that went away without closing.
	DefaultATIdle = 24 * time.Hour
	// atMaxWaiting bounds, per port, the connections waiting beside the
	// current client (to be refused, or to take over once it leaves): one
	// port holds at most 1 + atMaxWaiting connections; past that a new
	// connection is closed at once.
	atMaxWaiting = 8
	// atBusyGrace is how long a new connection waits for the current
	// client to go before it is refused: a client that closes and dials
	// again at once is not refused because its old connection's end has
	// not been read yet.
	atBusyGrace = 500 * time.Millisecond
)

// atWriteTimeout closes a TCP client that reads nothing of the module's
// output for this long (its kernel buffers full): the module itself never
// waits for a client (see port). A variable for the tests.
var atWriteTimeout = 10 * time.Second

// A port carries one module's AT interface: bytes in go to the module on
// the engine goroutine; its output is queued to a writer goroutine so that
// a slow or vanished client never stalls the network.
//
// Every goroutine of this file is started with e.ports.Go, under a context
// that Close ends too (portContext), so that Close returns once they have
// all exited, as epc/s1's Server.Serve joins its own.
type port struct {
	w    io.Writer
	q    chan []byte
	done chan struct{}
	once sync.Once
}

// outQueue bounds a port's unsent output (chunks); beyond it output is
// dropped, as a UART with no reader would lose it.
const outQueue = 256

// newPort starts the writer of w (in wg). A network connection gets a
// write deadline: a client that reads nothing for atWriteTimeout is closed.
func newPort(wg *sync.WaitGroup, w io.Writer) *port {
	p := &port{w: w, q: make(chan []byte, outQueue), done: make(chan struct{})}
	conn, _ := w.(net.Conn)
	wg.Go(func() {
		for {
			select {
			case b := <-p.q:
				if conn != nil {
					conn.SetWriteDeadline(time.Now().Add(atWriteTimeout))
				}
				if _, err := p.w.Write(b); err != nil {
					if conn != nil {
						conn.Close() // ends the reader too
					}
					p.close()
					return
				}
			case <-p.done:
				return
			}
		}
	})
	return p
}

func (p *port) send(b []byte) {
	select {
	case p.q <- append([]byte(nil), b...):
	case <-p.done:
	default: // client not reading: dropped
	}
}

func (p *port) close() { p.once.Do(func() { close(p.done) }) }

// portContext is ctx, also ended by Close.
func (e *Emulator) portContext(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	context.AfterFunc(e.closing, cancel)
	return ctx
}

// closeOnDone closes c when ctx ends, in a goroutine of the context
// package; the function it returns cancels that or, if the close has
// begun, waits for it to end (so that Close finds nothing running).
func closeOnDone(ctx context.Context, c io.Closer) (release func()) {
	closed := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { c.Close(); close(closed) })
	return func() {
		if !stop() {
			<-closed
		}
	}
}

// Close ends the AT ports that ListenTCP and OpenPTYs opened (as the end
// of their context does) and returns once every goroutine serving them has
// exited: listeners and clients closed, pseudo-terminal links removed.
// It does not stop Run. It may be called more than once.
func (e *Emulator) Close() {
	e.closePort()
	e.ports.Wait()
}

// attach connects rw to module i until rw fails or ctx ends; it replaces
// the module's previous client. A network connection that sends nothing
// for idle (> 0) is closed.
func (e *Emulator) attach(ctx context.Context, i int, rw io.ReadWriteCloser, idle time.Duration) {
	p := newPort(&e.ports, rw)
	e.SetOutput(i, p.send)
	e.serve(ctx, i, rw, p, idle)
}

// serve reads rw into module i until rw fails or ctx ends; p is rw's
// output side, already given the module's output.
func (e *Emulator) serve(ctx context.Context, i int, rw io.ReadWriteCloser, p *port, idle time.Duration) {
	defer closeOnDone(ctx, rw)()
	conn, _ := rw.(net.Conn)
	buf := make([]byte, 4096)
	for {
		if conn != nil && idle > 0 {
			conn.SetReadDeadline(time.Now().Add(idle))
		}
		n, err := rw.Read(buf)
		if n > 0 {
			e.Input(i, buf[:n])
		}
		if err != nil {
			break
		}
	}
	p.close()
	rw.Close()
}

// ListenTCP serves module i's AT port on TCP port base.Port()+i until ctx
// ends. A port takes one client at a time (a module has one UART): a new
// connection while a client is on is told "+NBSIM: busy" and closed, or,
// with Config.ATTakeover, replaces that client. It returns once every
// listener is up. Close ends the ports too, and waits for them.
func (e *Emulator) ListenTCP(ctx context.Context, base netip.AddrPort) ([]net.Addr, error) {
	if int(base.Port())+len(e.mods)-1 > 65535 {
		return nil, fmt.Errorf("--at-listen %v: %d modules need ports up to %d", base, len(e.mods), int(base.Port())+len(e.mods)-1)
	}
	var addrs []net.Addr
	var ls []net.Listener
	for i := range e.mods {
		a := netip.AddrPortFrom(base.Addr(), base.Port()+uint16(i))
		if base.Port() == 0 {
			a = base
		}
		l, err := net.Listen("tcp", a.String())
		if err != nil {
			for _, l := range ls {
				l.Close()
			}
			return nil, fmt.Errorf("--at-listen: module %d: %w", i, err)
		}
		ls = append(ls, l)
		addrs = append(addrs, l.Addr())
	}
	ctx = e.portContext(ctx)
	for i, l := range ls {
		e.ports.Go(func() { e.serveAT(ctx, i, l) })
	}
	return addrs, nil
}

// atSlot is a TCP AT port's one client.
type atSlot struct {
	mu   sync.Mutex
	cur  net.Conn
	done chan struct{} // closed when cur's session ends
}

// serveAT accepts module i's TCP clients on l until ctx ends or l is
// closed. A failed Accept (EMFILE, ENFILE, ECONNABORTED, …) does not end
// the port: it is logged once and retried with a back-off until Accept
// works again.
func (e *Emulator) serveAT(ctx context.Context, i int, l net.Listener) {
	defer closeOnDone(ctx, l)()
	idle := e.cfg.ATIdle
	if idle == 0 {
		idle = DefaultATIdle
	}
	slot := &atSlot{}
	conns := make(chan struct{}, 1+atMaxWaiting) // connections this port holds
	var retry backoff.Accept
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			wait, first := retry.Failed()
			if first {
				e.logf("nbsim emulate: AT port of module %d (%v): accept: %v; retrying (logged once until it recovers)", i, l.Addr(), err)
			}
			if !backoff.Sleep(ctx, wait) {
				return
			}
			continue
		}
		if retry.Succeeded() {
			e.logf("nbsim emulate: AT port of module %d (%v): accepting again", i, l.Addr())
		}
		select {
		case conns <- struct{}{}:
		default: // too many: no word, no goroutine
			c.Close()
			continue
		}
		e.ports.Go(func() {
			defer func() { <-conns }()
			e.session(ctx, i, slot, c, idle)
		})
	}
}

// session runs c as module i's client once the port is free (at once
// with Config.ATTakeover), or refuses it if the current client stays on
// for atBusyGrace.
func (e *Emulator) session(ctx context.Context, i int, slot *atSlot, c net.Conn, idle time.Duration) {
	deadline := time.Now().Add(atBusyGrace)
	for {
		slot.mu.Lock()
		if slot.cur == nil || e.cfg.ATTakeover {
			prev := slot.cur
			done := make(chan struct{})
			slot.cur, slot.done = c, done
			// The output is switched while the slot is held: of two
			// clients taking over at once, the one that holds the slot
			// last gets the module's output.
			p := newPort(&e.ports, c)
			e.SetOutput(i, p.send)
			slot.mu.Unlock()
			if prev != nil {
				prev.Close()
			}
			e.inject(func() { e.mods[i].m.NewClient() })
			e.serve(ctx, i, c, p, idle)
			slot.mu.Lock()
			if slot.cur == c {
				slot.cur = nil
			}
			close(done)
			slot.mu.Unlock()
			return
		}
		done, other := slot.done, slot.cur.RemoteAddr()
		slot.mu.Unlock()
		wait := time.Until(deadline)
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-done:
				t.Stop()
				continue
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				c.Close()
				return
			}
		}
		// Not an AT result code (no ERROR): a notice from the emulator,
		// as a terminal server would print one.
		c.SetDeadline(time.Now().Add(time.Second))
		fmt.Fprintf(c, "\r\n+NBSIM: busy, module %d has a client from %v (nbsim emulate --at-takeover lets a new client take over)\r\n", i, other)
		// Half-close, then read what the client sent: closing with unread
		// input would reset the connection and could lose the notice.
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
			io.Copy(io.Discard, io.LimitReader(c, 64<<10))
		}
		c.Close()
		return
	}
}

// logf writes one notice line to Config.Log.
func (e *Emulator) logf(format string, args ...any) {
	w := e.cfg.Log
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, format+"\n", args...)
}

// PTY is one module's pseudo-terminal: Path is the device the firmware
// opens, Link the stable symlink to it (empty without a link directory).
type PTY struct {
	Path, Link string
}

// OpenPTYs gives every module a pseudo-terminal in raw mode (no echo or
// line editing by the kernel: the module does its own, as a modem does)
// and, if dir is set, a symlink dir/nbsim-at<i> to it. They serve until
// ctx ends or Close; the symlinks are removed then.
func (e *Emulator) OpenPTYs(ctx context.Context, dir string) ([]PTY, error) {
	var out []PTY
	var files []*os.File
	fail := func(err error) ([]PTY, error) {
		for _, f := range files {
			f.Close()
		}
		for _, p := range out {
			if p.Link != "" {
				os.Remove(p.Link)
			}
		}
		return nil, err
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fail(fmt.Errorf("--pty-dir: %w", err))
		}
		if err := checkPTYDir(dir); err != nil {
			return fail(fmt.Errorf("--pty-dir: %w", err))
		}
	}
	pctx := e.portContext(ctx)
	for i := range e.mods {
		master, slave, err := pty.Open()
		if err == nil {
			master, err = pollable(master)
		}
		if err != nil {
			if slave != nil {
				slave.Close()
			}
			return fail(fmt.Errorf("pseudo-terminal for module %d: %w", i, err))
		}
		files = append(files, master, slave)
		if _, err := term.MakeRaw(int(slave.Fd())); err != nil {
			return fail(fmt.Errorf("pseudo-terminal for module %d: raw mode: %w", i, err))
		}
		p := PTY{Path: slave.Name()}
		if dir != "" {
			p.Link = filepath.Join(dir, fmt.Sprintf("nbsim-at%d", i))
			os.Remove(p.Link)
			if err := os.Symlink(p.Path, p.Link); err != nil {
				return fail(fmt.Errorf("--pty-dir: %w", err))
			}
		}
		out = append(out, p)
		// The slave stays open here too: with no process holding it, reads
		// on the master fail (EIO) between clients.
		e.ports.Go(func() {
			e.attach(pctx, i, master, 0)
			slave.Close()
			if p.Link != "" {
				os.Remove(p.Link)
			}
		})
	}
	return out, nil
}

// pollable returns a non-blocking duplicate of f and closes f. pty.Open
// leaves the master in blocking mode (its ioctls go through Fd()), where
// a Read outlives Close: the port would never end, nor its link go. The
// duplicate goes through the runtime's poller, whose Close ends a Read.
func pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}
