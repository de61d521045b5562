package s1

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/nbsim/nbsim/epc/s1mme"
)

// Server runs an MMEServer on S1-MME associations.
type Server struct {
	srv   *MMEServer
	clock func() time.Duration

	mu    sync.Mutex // serializes every call into srv
	peers map[EnbID]*peer
	next  EnbID
	wg    sync.WaitGroup
}

// NewServer returns a Server for srv; clock gives the MME's time.
func NewServer(srv *MMEServer, clock func() time.Duration) *Server {
	return &Server{srv: srv, clock: clock, peers: map[EnbID]*peer{}}
}

// Serve accepts associations on l until ctx is done or l fails (see
// Server.Serve).
func Serve(ctx context.Context, l s1mme.Listener, srv *MMEServer, clock func() time.Duration) error {
	return NewServer(srv, clock).Serve(ctx, l)
}

// Do runs f with the MMEServer, serialized with the associations (to read
// counters or UE contexts while serving).
func (s *Server) Do(f func(*MMEServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.srv)
}

// Downlink gives the MME user data from SGi for imsi; the resulting
// Downlink NAS Transport or Paging messages are sent.
func (s *Server) Downlink(imsi string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.send(s.srv.HandleDownlink(imsi, data, s.clock()))
}

// send queues outs on their associations; s.mu is held.
func (s *Server) send(outs []Out) {
	for _, o := range outs {
		if p := s.peers[o.Enb]; p != nil {
			p.queue(o)
		}
	}
}

// Serve accepts associations on l, reading each in its own goroutine, until
// ctx is done (it then closes l and every association and returns nil) or
// Accept fails. It closes l.
func (s *Server) Serve(ctx context.Context, l s1mme.Listener) error {
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	defer s.wg.Wait()
	defer s.closeAll()
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			l.Close()
			return err
		}
		s.mu.Lock()
		s.next++
		id := s.next
		p := newPeer(c)
		s.peers[id] = p
		s.mu.Unlock()
		s.wg.Add(2)
		go func() { defer s.wg.Done(); p.writeLoop() }()
		go func() { defer s.wg.Done(); s.readLoop(id, p) }()
	}
}

func (s *Server) closeAll() {
	s.mu.Lock()
	var ps []*peer
	for _, p := range s.peers {
		ps = append(ps, p)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Go(p.close) // each may wait for its peer's SHUTDOWN ACK
	}
	wg.Wait()
}

func (s *Server) readLoop(id EnbID, p *peer) {
	defer func() {
		s.mu.Lock()
		s.srv.ENBLost(id, s.clock())
		delete(s.peers, id)
		s.mu.Unlock()
		p.close()
	}()
	for {
		_, pdu, err := p.c.Recv()
		if err != nil {
			return
		}
		s.mu.Lock()
		outs, _ := s.srv.HandleS1AP(id, pdu, s.clock())
		s.send(outs)
		s.mu.Unlock()
	}
}

// peer is one association with its send queue: PDUs are queued in the
// order the MMEServer produced them and written by one goroutine.
type peer struct {
	c      s1mme.Conn
	mu     sync.Mutex
	q      []Out
	wake   chan struct{}
	closed chan struct{}
	once   sync.Once
}

func newPeer(c s1mme.Conn) *peer {
	return &peer{c: c, wake: make(chan struct{}, 1), closed: make(chan struct{})}
}

func (p *peer) queue(o Out) {
	p.mu.Lock()
	p.q = append(p.q, o)
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *peer) close() {
	p.once.Do(func() {
		close(p.closed)
		p.c.Close()
	})
}

func (p *peer) writeLoop() {
	for {
		select {
		case <-p.wake:
		case <-p.closed:
			return
		}
		p.mu.Lock()
		q := p.q
		p.q = nil
		p.mu.Unlock()
		for _, o := range q {
			if err := p.c.Send(o.Stream, o.PDU); err != nil {
				p.close()
				return
			}
		}
	}
}
