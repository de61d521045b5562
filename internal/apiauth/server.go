package apiauth

import (
	"container/list"
	"net"
	"net/http"
	"sync"
	"time"
)

// Limits of a hardened API server: the built-in platform's HTTPLimits
// defaults and the standalone "nbsim emulate --api" server's values. A
// client that is slower than these is cut off; none of them binds a person
// with curl or a test script.
const (
	ReadHeaderTimeout = 5 * time.Second  // request line and headers
	ReadTimeout       = 10 * time.Second // the whole request, body included
	WriteTimeout      = 30 * time.Second // from the end of the headers to the end of the answer
	IdleTimeout       = 60 * time.Second // a kept-alive connection with no request
	MaxHeaderBytes    = 16 << 10         // request line and headers
	MaxBody           = 1 << 20          // request body (the control API itself takes 64 KiB)
	MaxConns          = 256              // concurrent connections per listener
)

// HardenServer sets every timeout and size limit above that s leaves at
// zero.
func HardenServer(s *http.Server) {
	if s.ReadHeaderTimeout == 0 {
		s.ReadHeaderTimeout = ReadHeaderTimeout
	}
	if s.ReadTimeout == 0 {
		s.ReadTimeout = ReadTimeout
	}
	if s.WriteTimeout == 0 {
		s.WriteTimeout = WriteTimeout
	}
	if s.IdleTimeout == 0 {
		s.IdleTimeout = IdleTimeout
	}
	if s.MaxHeaderBytes == 0 {
		s.MaxHeaderBytes = MaxHeaderBytes
	}
}

// LimitConns hardens srv (HardenServer), and returns l bounded to max
// concurrent connections (max ≤ 0: MaxConns) for srv.Serve, hooking srv's
// ConnState (an existing hook is still called) so that the limiter knows
// which connections are in a request. A connection closed to make room is
// not closed before a quarter of srv.ReadHeaderTimeout. See ConnLimiter.
func LimitConns(srv *http.Server, l net.Listener, max int) *ConnLimiter {
	HardenServer(srv)
	if max <= 0 {
		max = MaxConns
	}
	lim := NewConnLimiter(l, max, srv.ReadHeaderTimeout/4)
	prev := srv.ConnState
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		lim.ConnState(c, st)
		if prev != nil {
			prev(c, st)
		}
	}
	return lim
}

// ConnLimiter is a listener of an HTTP server that holds at most max
// connections at once. At the bound, a new connection closes the one that
// has waited longest without a request in progress (still sending its
// headers, or idle between requests), once that one has had grace to send
// them; until then, and while every connection is in a request (bounded by
// the server's ReadTimeout and WriteTimeout), new ones wait in the kernel's
// accept queue. So connections that hold a slot without using it (idle
// keep-alive after a 401, headers sent slowly or never) cannot make a real
// client wait for them to time out.
//
// The server's ConnState hook must call ConnState (LimitConns does it).
type ConnLimiter struct {
	net.Listener
	max   int
	grace time.Duration // a connection is not closed to make room before this age

	mu      sync.Mutex
	cond    *sync.Cond // signalled when a connection closes, ages or the listener closes
	conns   map[net.Conn]*list.Element
	waiting *list.List // waitingConn without a request in progress, oldest first
	evicted map[net.Conn]bool
	closed  bool
	nEvict  uint64
}

type waitingConn struct {
	c     net.Conn
	since time.Time
}

// NewConnLimiter bounds ln to max connections (max ≤ 0: MaxConns), closing
// an idle one to make room once it is grace old. Hook its ConnState into
// the server's.
func NewConnLimiter(ln net.Listener, max int, grace time.Duration) *ConnLimiter {
	if max <= 0 {
		max = MaxConns
	}
	l := &ConnLimiter{Listener: ln, max: max, grace: grace, conns: map[net.Conn]*list.Element{}, waiting: list.New(), evicted: map[net.Conn]bool{}}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// Accept waits while max connections are open and none can be closed to
// make room, then accepts one.
func (l *ConnLimiter) Accept() (net.Conn, error) {
	l.mu.Lock()
	for !l.closed && len(l.conns)-len(l.evicted) >= l.max {
		e := l.waiting.Front()
		if e == nil {
			l.cond.Wait() // every connection is in a request
			continue
		}
		w := e.Value.(waitingConn)
		if age := time.Since(w.since); age < l.grace {
			// Give it time to send its request first.
			t := time.AfterFunc(l.grace-age, func() {
				l.mu.Lock()
				l.cond.Broadcast()
				l.mu.Unlock()
			})
			l.cond.Wait()
			t.Stop()
			continue
		}
		l.waiting.Remove(e)
		l.conns[w.c] = nil
		l.evicted[w.c] = true
		l.nEvict++
		_ = w.c.Close() // its server goroutine reports StateClosed
	}
	l.mu.Unlock()
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.conns[c] = l.waiting.PushBack(waitingConn{c, time.Now()})
	l.mu.Unlock()
	return c, nil
}

// Close closes the listener and wakes a waiting Accept.
func (l *ConnLimiter) Close() error {
	l.mu.Lock()
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
	return l.Listener.Close()
}

// ConnState is the server's http.Server.ConnState hook (or is called from
// it): it tells the limiter which connections are in a request.
func (l *ConnLimiter) ConnState(c net.Conn, st http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.conns[c]
	if !ok {
		return
	}
	switch st {
	case http.StateActive:
		if e != nil {
			l.waiting.Remove(e)
			l.conns[c] = nil
		}
	case http.StateIdle:
		if e == nil && !l.evicted[c] {
			l.conns[c] = l.waiting.PushBack(waitingConn{c, time.Now()})
		}
	case http.StateClosed, http.StateHijacked:
		if e != nil {
			l.waiting.Remove(e)
		}
		delete(l.conns, c)
		delete(l.evicted, c)
		l.cond.Broadcast()
	}
}

// Counts returns the connections open (those closed to make room are
// closed, though their server goroutine may not have seen it yet) and how
// many were closed to make room.
func (l *ConnLimiter) Counts() (open int, evicted uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns) - len(l.evicted), l.nEvict
}
