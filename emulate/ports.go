package emulate

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/creack/pty"
	"golang.org/x/term"
)

// A port carries one module's AT interface: bytes in go to the module on
// the engine goroutine; its output is queued to a writer goroutine so that
// a slow or vanished client never stalls the network.
type port struct {
	w    io.Writer
	q    chan []byte
	done chan struct{}
	once sync.Once
}

// outQueue bounds a port's unsent output (chunks); beyond it output is
// dropped, as a UART with no reader would lose it.
const outQueue = 256

func newPort(w io.Writer) *port {
	p := &port{w: w, q: make(chan []byte, outQueue), done: make(chan struct{})}
	go func() {
		for {
			select {
			case b := <-p.q:
				if _, err := p.w.Write(b); err != nil {
					p.close()
					return
				}
			case <-p.done:
				return
			}
		}
	}()
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

// attach connects rw to module i until rw fails or ctx ends; it replaces
// the module's previous client.
func (e *Emulator) attach(ctx context.Context, i int, rw io.ReadWriteCloser) {
	p := newPort(rw)
	e.SetOutput(i, p.send)
	stop := context.AfterFunc(ctx, func() { rw.Close() })
	defer stop()
	buf := make([]byte, 4096)
	for {
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
// ends. A new connection to a module replaces the one before (as a new
// terminal on a serial line would). It returns once every listener is up.
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
	for i, l := range ls {
		context.AfterFunc(ctx, func() { l.Close() })
		go func() {
			var cur net.Conn
			var mu sync.Mutex
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				mu.Lock()
				if cur != nil {
					cur.Close()
				}
				cur = c
				mu.Unlock()
				e.inject(func() { e.mods[i].m.NewClient() })
				go e.attach(ctx, i, c)
			}
		}()
	}
	return addrs, nil
}

// PTY is one module's pseudo-terminal: Path is the device the firmware
// opens, Link the stable symlink to it (empty without a link directory).
type PTY struct {
	Path, Link string
}

// OpenPTYs gives every module a pseudo-terminal in raw mode (no echo or
// line editing by the kernel: the module does its own, as a modem does)
// and, if dir is set, a symlink dir/nbsim-at<i> to it. They serve until
// ctx ends; the symlinks are removed then.
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
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fail(fmt.Errorf("--pty-dir: %w", err))
		}
	}
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
		go func() {
			e.attach(ctx, i, master)
			slave.Close()
			if p.Link != "" {
				os.Remove(p.Link)
			}
		}()
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
