package s1mme

import (
	"container/list"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"net"
	"sync"
	"sync/atomic"
	"time"

	psctp "github.com/pion/sctp"
	"github.com/pion/transport/v5/udp"
)

// ListenConfig bounds what strangers can make an SCTP-over-UDP listener
// hold: associations whose handshake has not finished.
type ListenConfig struct {
	// HandshakeTimeout bounds one association's handshake, from its INIT to
	// its COOKIE ECHO (RFC 9260 §5.1); a peer that has not finished by then
	// is forgotten. Default 5 s.
	HandshakeTimeout time.Duration
	// MaxPending bounds the handshakes in progress at once (with the
	// finished associations Accept has not taken yet). A new INIT past it
	// closes the oldest handshake still in progress (counted as
	// EvictedPending), not the new one: an INIT's source can be forged, so
	// dropping new INITs would let a stranger sending MaxPending INITs per
	// HandshakeTimeout lock every eNodeB out, whereas a real handshake
	// finishes in one round trip and so is rarely the oldest. Only when
	// every slot holds a finished association Accept has not taken is the
	// new INIT dropped (Dropped). Default 64.
	MaxPending int
	// MaxPendingPerSource bounds the handshakes in progress from one source
	// IP address; a new INIT past it closes that source's oldest handshake
	// (EvictedPerSource). One source (that does not forge its address)
	// thus holds at most this many of the MaxPending slots and never
	// evicts another source's handshake. Default 4.
	MaxPendingPerSource int
}

// DefaultListenConfig holds the defaults ListenUDP uses.
var DefaultListenConfig = ListenConfig{HandshakeTimeout: 5 * time.Second, MaxPending: 64, MaxPendingPerSource: 4}

// ListenerStats counts what an SCTP-over-UDP listener saw.
type ListenerStats struct {
	Accepted          int64 // associations handed to Accept
	NotInit           int64 // datagrams from an unknown source that were no valid SCTP INIT (ignored)
	HandshakeTimeouts int64 // handshakes not finished within HandshakeTimeout
	HandshakeFailures int64 // handshakes that ended otherwise (e.g. an INIT pion refused)
	Dropped           int64 // INITs dropped because all MaxPending slots held finished associations Accept had not taken
	EvictedPending    int64 // handshakes closed, the oldest first, to make room for a new INIT past MaxPending
	EvictedPerSource  int64 // handshakes closed, a source's oldest first, for its new INIT past MaxPendingPerSource
	Pending           int64 // handshakes in progress now (with finished associations not yet accepted)
}

// String formats the stats on one line.
func (s ListenerStats) String() string {
	return fmt.Sprintf("accepted=%d not_init=%d handshake_timeouts=%d handshake_failures=%d evicted_pending=%d evicted_per_source=%d dropped_pending_full=%d pending=%d",
		s.Accepted, s.NotInit, s.HandshakeTimeouts, s.HandshakeFailures, s.EvictedPending, s.EvictedPerSource, s.Dropped, s.Pending)
}

// StatsListener is a Listener that counts (the SCTP-over-UDP one).
type StatsListener interface {
	Listener
	Stats() ListenerStats
}

// udpListener accepts SCTP associations over UDP. pion's udp listener makes
// a net.Conn per remote address; each one's handshake runs in its own
// goroutine with a deadline, off the Accept path, so a stray datagram or an
// INIT that is never followed by a COOKIE ECHO delays nobody.
type udpListener struct {
	l   net.Listener
	cfg ListenConfig

	conns    chan *udpConn // finished handshakes, for Accept
	done     chan struct{} // closed by Close
	loopDone chan struct{} // closed when the loop over l.Accept ends
	loopErr  error         // why, set before loopDone is closed

	mu        sync.Mutex
	closed    bool
	pending   *list.List     // of *pendingConn, oldest first
	perSource map[string]int // pending entries by source IP
	wg        sync.WaitGroup
	once      sync.Once

	accepted, notInit, timeouts, failures, dropped, evicted, evictedSrc atomic.Int64
}

// pendingConn is one entry of udpListener.pending (guarded by its mu).
type pendingConn struct {
	nc       net.Conn
	src      string // source IP
	finished bool   // handshake done, waiting for Accept: never evicted
	evicted  bool   // closed to make room; its goroutine counts nothing more
	el       *list.Element
}

// ListenUDP accepts SCTP-over-UDP associations on addr (HOST:PORT) with
// DefaultListenConfig.
func ListenUDP(addr string) (Listener, error) {
	return ListenUDPConfig(addr, DefaultListenConfig)
}

// ListenUDPConfig is ListenUDP with the given bounds (zero fields take
// their defaults).
func ListenUDPConfig(addr string, cfg ListenConfig) (StatsListener, error) {
	if cfg.HandshakeTimeout < 0 || cfg.MaxPending < 0 || cfg.MaxPendingPerSource < 0 {
		return nil, fmt.Errorf("s1-mme listen udp://%s: handshake timeout %s, max pending %d and max pending per source %d must not be negative",
			addr, cfg.HandshakeTimeout, cfg.MaxPending, cfg.MaxPendingPerSource)
	}
	if cfg.HandshakeTimeout == 0 {
		cfg.HandshakeTimeout = DefaultListenConfig.HandshakeTimeout
	}
	if cfg.MaxPending == 0 {
		cfg.MaxPending = DefaultListenConfig.MaxPending
	}
	if cfg.MaxPendingPerSource == 0 {
		cfg.MaxPendingPerSource = DefaultListenConfig.MaxPendingPerSource
	}
	la, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("s1-mme listen udp://%s: %w", addr, err)
	}
	u := &udpListener{
		cfg:       cfg,
		conns:     make(chan *udpConn),
		done:      make(chan struct{}),
		loopDone:  make(chan struct{}),
		pending:   list.New(),
		perSource: map[string]int{},
	}
	l, err := (&udp.ListenConfig{AcceptFilter: u.filter}).Listen("udp", la)
	if err != nil {
		return nil, fmt.Errorf("s1-mme listen udp://%s: %w", addr, err)
	}
	u.l = l
	go u.loop()
	return u, nil
}

// filter admits a new remote address only with a valid INIT.
func (u *udpListener) filter(b []byte) bool {
	if isInit(b) {
		return true
	}
	u.notInit.Add(1)
	return false
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// isInit reports whether b is an SCTP packet that may start an
// association: its first chunk is an INIT (type 1, RFC 9260 §3.3.2) at
// least as long as the INIT's fixed part, its verification tag is 0
// (§8.5.1 rule A) and its CRC32c checksum is right (§6.8, Appendix A).
func isInit(b []byte) bool {
	const hdr, initLen = 12, 20
	if len(b) < hdr+initLen || b[hdr] != 1 || binary.BigEndian.Uint32(b[4:]) != 0 {
		return false
	}
	if l := int(binary.BigEndian.Uint16(b[hdr+2:])); l < initLen || hdr+l > len(b) {
		return false
	}
	crc := crc32.Update(0, castagnoli, b[:8])
	crc = crc32.Update(crc, castagnoli, []byte{0, 0, 0, 0})
	crc = crc32.Update(crc, castagnoli, b[hdr:])
	return crc == binary.LittleEndian.Uint32(b[8:])
}

// loop takes each new remote address from pion's listener and starts its
// handshake, first closing the oldest handshake of the same source if it
// has MaxPendingPerSource, then the oldest of all if MaxPending are in
// progress.
func (u *udpListener) loop() {
	defer close(u.loopDone)
	for {
		nc, err := u.l.Accept()
		if err != nil {
			u.loopErr = err
			return
		}
		src := sourceIP(nc.RemoteAddr())
		u.mu.Lock()
		if u.closed {
			u.mu.Unlock()
			nc.Close()
			continue
		}
		var victims []net.Conn
		if u.perSource[src] >= u.cfg.MaxPendingPerSource {
			if v := u.evictLocked(src); v != nil {
				victims = append(victims, v)
				u.evictedSrc.Add(1)
			}
		}
		if u.pending.Len() >= u.cfg.MaxPending {
			if v := u.evictLocked(""); v != nil {
				victims = append(victims, v)
				u.evicted.Add(1)
			}
		}
		if u.pending.Len() >= u.cfg.MaxPending { // all finished, waiting for Accept
			u.mu.Unlock()
			for _, v := range victims {
				v.Close()
			}
			nc.Close()
			u.dropped.Add(1)
			continue
		}
		p := &pendingConn{nc: nc, src: src}
		p.el = u.pending.PushBack(p)
		u.perSource[src]++
		u.wg.Add(1)
		u.mu.Unlock()
		// Closing ends the victim's handshake; its goroutine then returns.
		for _, v := range victims {
			v.Close()
		}
		go u.handshake(p)
	}
}

// sourceIP is the IP address of a, the key of MaxPendingPerSource.
func sourceIP(a net.Addr) string {
	if ua, ok := a.(*net.UDPAddr); ok {
		return ua.IP.String()
	}
	return a.String()
}

// evictLocked takes the oldest handshake still in progress (from src, or
// from any source if src is "") out of pending and returns its conn for
// the caller to close, or nil if there is none. u.mu is held.
func (u *udpListener) evictLocked(src string) net.Conn {
	for e := u.pending.Front(); e != nil; e = e.Next() {
		p := e.Value.(*pendingConn)
		if p.finished || (src != "" && p.src != src) {
			continue
		}
		p.evicted = true
		u.removeLocked(p)
		return p.nc
	}
	return nil
}

// removeLocked takes p out of pending, once. u.mu is held.
func (u *udpListener) removeLocked(p *pendingConn) {
	if p.el == nil {
		return
	}
	u.pending.Remove(p.el)
	p.el = nil
	if u.perSource[p.src]--; u.perSource[p.src] <= 0 {
		delete(u.perSource, p.src)
	}
}

// handshake answers the INIT and waits for its COOKIE ECHO, at most
// HandshakeTimeout, then hands the association to Accept. An evicted
// handshake (its conn closed by loop) ends counted by loop alone.
func (u *udpListener) handshake(p *pendingConn) {
	nc := p.nc
	defer u.wg.Done()
	defer func() {
		u.mu.Lock()
		u.removeLocked(p)
		u.mu.Unlock()
	}()
	var expired atomic.Bool
	// Closing the conn ends pion's read loop, and with it the handshake.
	t := time.AfterFunc(u.cfg.HandshakeTimeout, func() { expired.Store(true); nc.Close() })
	a, err := psctp.ServerWithOptions(psctp.WithNetConn(nc), psctp.WithLoggerFactory(loggerFactory()))
	stopped := t.Stop()
	if err == nil && !stopped { // finished just as the time ran out
		a.Close()
		err = errors.New("handshake timeout")
	}
	u.mu.Lock()
	evicted := p.evicted
	if err == nil && !evicted {
		p.finished = true // from now on it holds a slot until Accept or Close
	}
	u.mu.Unlock()
	if err == nil && evicted { // finished just as it was evicted
		a.Close()
		err = errors.New("handshake evicted")
	}
	if err != nil {
		nc.Close()
		switch {
		case evicted:
		case expired.Load():
			u.timeouts.Add(1)
		default:
			u.failures.Add(1)
		}
		return
	}
	c := newUDPConn(a, nc)
	select {
	case u.conns <- c:
		u.accepted.Add(1)
	case <-u.done:
		c.Close()
	}
}

// Accept returns the next association whose handshake has finished.
func (u *udpListener) Accept() (Conn, error) {
	select {
	case c := <-u.conns:
		return c, nil
	case <-u.done:
		return nil, net.ErrClosed
	case <-u.loopDone:
		select {
		case <-u.done:
			return nil, net.ErrClosed
		default:
		}
		return nil, fmt.Errorf("s1-mme accept on udp://%s: %w", u.l.Addr(), u.loopErr)
	}
}

// Close stops accepting, ends the handshakes in progress and waits for
// them (finished but unaccepted associations are shut down, each within
// CloseTimeout). Accepted associations stay open.
func (u *udpListener) Close() error {
	var err error
	u.once.Do(func() {
		u.mu.Lock()
		u.closed = true
		close(u.done)
		pending := make([]net.Conn, 0, u.pending.Len())
		for e := u.pending.Front(); e != nil; e = e.Next() {
			pending = append(pending, e.Value.(*pendingConn).nc)
		}
		u.mu.Unlock()
		err = u.l.Close()
		for _, nc := range pending {
			nc.Close()
		}
		u.wg.Wait()
		<-u.loopDone
	})
	return err
}

func (u *udpListener) Addr() net.Addr { return u.l.Addr() }

// Stats returns the listener's counters.
func (u *udpListener) Stats() ListenerStats {
	u.mu.Lock()
	pending := int64(u.pending.Len())
	u.mu.Unlock()
	return ListenerStats{
		Accepted:          u.accepted.Load(),
		NotInit:           u.notInit.Load(),
		HandshakeTimeouts: u.timeouts.Load(),
		HandshakeFailures: u.failures.Load(),
		Dropped:           u.dropped.Load(),
		EvictedPending:    u.evicted.Load(),
		EvictedPerSource:  u.evictedSrc.Load(),
		Pending:           pending,
	}
}
