package s1

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/s1mme"
	"github.com/nbsim/nbsim/internal/backoff"
)

// ServerConfig bounds what S1-MME peers can hold of a Server.
type ServerConfig struct {
	// MaxAssociations bounds the associations served at once; one past it
	// is closed as soon as it is accepted (and counted in
	// ServerStats.Refused).
	MaxAssociations int
	// SetupTimeout is how long a new association has to complete S1 Setup
	// (TS 36.413 §8.7.3: the first procedure on a TNL association); it is
	// closed (ServerStats.SetupTimeouts) if it has not.
	SetupTimeout time.Duration
	// TickInterval is how often the MME's procedure timers are run
	// (MMEServer.Tick).
	TickInterval time.Duration
	// Log receives the server's rate-limited log lines (recovered failures,
	// accept errors, the ASN.1 library's complaints); nil: the standard
	// logger.
	Log *epc.RateLog
}

// Defaults of ServerConfig.
const (
	DefaultMaxAssociations = 1024
	DefaultSetupTimeout    = 10 * time.Second
	DefaultTickInterval    = time.Second
)

// DefaultServerConfig is the configuration of NewServer.
func DefaultServerConfig() ServerConfig {
	return ServerConfig{MaxAssociations: DefaultMaxAssociations, SetupTimeout: DefaultSetupTimeout,
		TickInterval: DefaultTickInterval}
}

// maxRecoverCauses bounds the distinct causes ServerStats.Recovered keeps;
// further ones count as "other".
const maxRecoverCauses = 32

// ServerStats are the Server's own counts (the S1AP and NAS ones are in
// MMEServer.C and mme.MME.C).
type ServerStats struct {
	Associations  int   // served now (gauge)
	Accepted      int64 // associations accepted and served
	Refused       int64 // closed at once: MaxAssociations reached
	SetupTimeouts int64 // closed: no S1 Setup within SetupTimeout
	AcceptErrors  int64 // Accept failures retried after a back-off
	// Recovered counts failures (panics) while handling a PDU, SGi data
	// or a Do, by cause; after one the UE the PDU named is dropped
	// (DroppedUEs) or, when it names none, the association is closed
	// (DroppedAssociations).
	Recovered           map[string]int64
	DroppedUEs          int64
	DroppedAssociations int64
}

// Server runs an MMEServer on S1-MME associations.
type Server struct {
	srv   *MMEServer
	clock func() time.Duration
	cfg   ServerConfig
	log   *epc.RateLog

	mu    sync.Mutex // serializes every call into srv
	peers map[EnbID]*peer
	next  EnbID
	wg    sync.WaitGroup

	statMu sync.Mutex // guards st
	st     ServerStats
}

// NewServer returns a Server for srv with DefaultServerConfig; clock gives
// the MME's time. The MME's procedure timers are turned on
// (mme.MME.EnableProcedureTimers) and run every TickInterval while
// serving.
func NewServer(srv *MMEServer, clock func() time.Duration) *Server {
	return NewServerConfig(srv, clock, DefaultServerConfig())
}

// NewServerConfig is NewServer with cfg (zero fields take their defaults).
func NewServerConfig(srv *MMEServer, clock func() time.Duration, cfg ServerConfig) *Server {
	d := DefaultServerConfig()
	if cfg.MaxAssociations <= 0 {
		cfg.MaxAssociations = d.MaxAssociations
	}
	if cfg.SetupTimeout <= 0 {
		cfg.SetupTimeout = d.SetupTimeout
	}
	if cfg.TickInterval <= 0 {
		cfg.TickInterval = d.TickInterval
	}
	lg := cfg.Log
	if lg == nil {
		lg = epc.NewRateLog(epc.StderrLine) // never blocks: it is called with s.mu held
	}
	srv.MME.EnableProcedureTimers()
	return &Server{srv: srv, clock: clock, cfg: cfg, log: lg, peers: map[EnbID]*peer{},
		st: ServerStats{Recovered: map[string]int64{}}}
}

// Serve accepts associations on l until ctx is done or l fails (see
// Server.Serve).
func Serve(ctx context.Context, l s1mme.Listener, srv *MMEServer, clock func() time.Duration) error {
	return NewServer(srv, clock).Serve(ctx, l)
}

// Stats returns a copy of the server's own counts.
func (s *Server) Stats() ServerStats {
	s.statMu.Lock()
	defer s.statMu.Unlock()
	st := s.st
	st.Recovered = make(map[string]int64, len(s.st.Recovered))
	for k, v := range s.st.Recovered {
		st.Recovered[k] = v
	}
	return st
}

func (s *Server) count(f func(*ServerStats)) {
	s.statMu.Lock()
	f(&s.st)
	s.statMu.Unlock()
}

// testHookHandle, when set (by tests), runs before each PDU is handled,
// with the server's lock held: a panic in it is a failure of the handling.
var testHookHandle func(enb EnbID, pdu []byte)

// locked runs f with s.mu held and recovers a panic in it: what says what
// was being done, for the log. It reports whether f returned normally.
func (s *Server) locked(what string, f func()) (ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			s.recovered(what, r)
			ok = false
		}
	}()
	f()
	return true
}

// recovered counts and logs (rate-limited) a recovered panic r.
func (s *Server) recovered(what string, r any) {
	cause := panicCause(r)
	s.count(func(st *ServerStats) {
		if _, ok := st.Recovered[cause]; !ok && len(st.Recovered) >= maxRecoverCauses {
			cause = "other"
		}
		st.Recovered[cause]++
	})
	buf := make([]byte, 4096)
	buf = buf[:runtime.Stack(buf, false)]
	s.log.Printf("s1: recovered from a failure in %s: %v\n%s", what, r, buf)
}

// panicCause is a short, bounded name of a panic value: its message up to
// the first digit-bearing detail ("runtime error: index out of range"),
// at most 80 bytes.
func panicCause(r any) string {
	msg := fmt.Sprint(r)
	if err, ok := r.(error); ok {
		msg = err.Error()
	}
	if i := strings.IndexAny(msg, "[0123456789"); i > 0 {
		msg = msg[:i]
	}
	msg = strings.TrimSpace(msg)
	if len(msg) > 80 {
		msg = msg[:80]
	}
	if msg == "" {
		msg = fmt.Sprintf("%T", r)
	}
	return msg
}

// Do runs f with the MMEServer, serialized with the associations (to read
// counters or UE contexts while serving). A panic in f is recovered and
// counted.
func (s *Server) Do(f func(*MMEServer)) {
	s.locked("Do", func() { f(s.srv) })
}

// Downlink gives the MME user data from SGi for imsi; the resulting
// Downlink NAS Transport or Paging messages are sent. After a failure
// handling it the UE's context is dropped.
func (s *Server) Downlink(imsi string, data []byte) {
	if s.locked("downlink data", func() { s.send(s.srv.HandleDownlink(imsi, data, s.clock())) }) {
		return
	}
	s.locked("dropping a UE", func() {
		if u, ok := s.srv.MME.UE(imsi); ok {
			if c, ok := s.srv.conns[u.ID]; ok {
				s.srv.drop(u.ID, c)
			}
			s.srv.MME.Forget(u.ID)
			s.count(func(st *ServerStats) { st.DroppedUEs++ })
		}
	})
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
// ctx is done or l is closed; it then closes l and every association and
// returns nil. Accept errors are retried after a back-off (5 ms doubling
// to 1 s; logged once a run); an association past MaxAssociations is
// closed at once. It closes l.
func (s *Server) Serve(ctx context.Context, l s1mme.Listener) error {
	s1ap.SetLibraryLog(s.log)
	defer s1ap.SetLibraryLog(nil)
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	defer s.wg.Wait()
	defer s.closeAll()
	tctx, tcancel := context.WithCancel(ctx)
	defer tcancel()
	s.wg.Go(func() { s.tickLoop(tctx) })
	var retry backoff.Accept
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			s.count(func(st *ServerStats) { st.AcceptErrors++ })
			wait, first := retry.Failed()
			if first {
				s.log.Printf("s1: accept: %v (retrying)", err)
			}
			if !backoff.Sleep(ctx, wait) {
				return nil
			}
			continue
		}
		if retry.Succeeded() {
			s.log.Printf("s1: accepting again")
		}
		s.mu.Lock()
		if len(s.peers) >= s.cfg.MaxAssociations {
			s.mu.Unlock()
			s.count(func(st *ServerStats) { st.Refused++ })
			s.log.Printf("s1: association from %v refused: %d associations served already", c.RemoteAddr(), s.cfg.MaxAssociations)
			s.wg.Go(func() { c.Close() }) // Close may wait for the peer
			continue
		}
		s.next++
		id := s.next
		p := newPeer(c)
		s.peers[id] = p
		n := len(s.peers)
		s.mu.Unlock()
		s.count(func(st *ServerStats) { st.Accepted++; st.Associations = n })
		s.wg.Go(p.writeLoop)
		s.wg.Go(func() { s.readLoop(id, p) })
	}
}

// tickLoop runs the MME's procedure timers until ctx is done.
func (s *Server) tickLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.TickInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.locked("procedure timers", func() { s.send(s.srv.Tick(s.clock())) })
		}
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
	setup := time.AfterFunc(s.cfg.SetupTimeout, func() {
		done := false
		s.locked("setup timer", func() { e := s.srv.enbs[id]; done = e != nil && e.setup })
		if !done {
			s.count(func(st *ServerStats) { st.SetupTimeouts++ })
			p.close()
		}
	})
	defer func() {
		setup.Stop()
		s.locked("association end", func() { s.srv.ENBLost(id, s.clock()) })
		s.mu.Lock()
		delete(s.peers, id)
		n := len(s.peers)
		s.mu.Unlock()
		s.count(func(st *ServerStats) { st.Associations = n })
		p.close()
	}()
	for {
		_, pdu, err := p.c.Recv()
		if err != nil {
			return
		}
		if !s.handle(id, pdu) {
			return
		}
	}
}

// handle runs one PDU of association id; after a failure it drops the UE
// the PDU names, and reports false (end the association) when it names
// none.
func (s *Server) handle(id EnbID, pdu []byte) bool {
	if s.locked("S1AP PDU", func() {
		if h := testHookHandle; h != nil {
			h(id, pdu)
		}
		outs, _ := s.srv.HandleS1AP(id, pdu, s.clock())
		s.send(outs)
	}) {
		return true
	}
	dropped := false
	s.locked("dropping a UE", func() {
		var outs []Out
		outs, dropped = s.srv.DropUE(id, pdu, s.clock())
		s.send(outs)
	})
	if dropped {
		s.count(func(st *ServerStats) { st.DroppedUEs++ })
		return true
	}
	s.count(func(st *ServerStats) { st.DroppedAssociations++ })
	return false
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
	gone   atomic.Bool
}

func newPeer(c s1mme.Conn) *peer {
	return &peer{c: c, wake: make(chan struct{}, 1), closed: make(chan struct{})}
}

// maxPeerQueue bounds the PDUs queued for one association: an eNB that
// stops reading while the MME keeps answering is closed past it.
const maxPeerQueue = 4096

func (p *peer) queue(o Out) {
	if p.gone.Load() {
		return
	}
	p.mu.Lock()
	full := len(p.q) >= maxPeerQueue
	if !full {
		p.q = append(p.q, o)
	}
	p.mu.Unlock()
	if full {
		go p.close() // Close may wait for the peer; s.mu is held
		return
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *peer) close() {
	p.once.Do(func() {
		p.gone.Store(true)
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
