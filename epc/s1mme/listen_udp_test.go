package s1mme

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"net"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	psctp "github.com/pion/sctp"

	"github.com/nbsim/nbsim/internal/testutil"
)

// rawInit is an SCTP packet with one INIT chunk (RFC 9260 §3.3.2) that
// starts a handshake its sender never finishes.
func rawInit(tag uint32) []byte {
	b := make([]byte, 12+20)
	binary.BigEndian.PutUint16(b[0:], 5000) // source port
	binary.BigEndian.PutUint16(b[2:], 5000) // destination port
	// verification tag 0 (§8.5.1), checksum below
	b[12] = 1                                   // INIT
	binary.BigEndian.PutUint16(b[14:], 20)      // chunk length
	binary.BigEndian.PutUint32(b[16:], tag)     // initiate tag
	binary.BigEndian.PutUint32(b[20:], 1<<20)   // a_rwnd
	binary.BigEndian.PutUint16(b[24:], 10)      // outbound streams
	binary.BigEndian.PutUint16(b[26:], 10)      // inbound streams
	binary.BigEndian.PutUint32(b[28:], tag+100) // initial TSN
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	return b
}

// sendFrom sends each datagram from a fresh loopback socket (its own
// source port) and returns the sockets, closed at the end of the test.
func sendFrom(t testing.TB, to net.Addr, dgrams ...[]byte) []*net.UDPConn {
	t.Helper()
	var cs []*net.UDPConn
	for _, d := range dgrams {
		c, err := net.DialUDP("udp", nil, to.(*net.UDPAddr))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if _, err := c.Write(d); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	return cs
}

// acceptOne dials l and waits (at most wait) for Accept to return the
// association; the first PDU crosses it.
func acceptOne(t testing.TB, l Listener, wait time.Duration) {
	t.Helper()
	type acc struct {
		c   Conn
		err error
	}
	ch := make(chan acc, 1)
	go func() {
		c, err := l.Accept()
		ch <- acc{c, err}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	cli, err := Dial(ctx, "udp://"+l.Addr().String())
	if err != nil {
		t.Fatalf("dial after the hostile datagrams: %v", err)
	}
	defer cli.Close()
	if err := cli.Send(0, []byte("s1-setup-request")); err != nil {
		t.Fatal(err)
	}
	select {
	case a := <-ch:
		if a.err != nil {
			t.Fatalf("accept: %v", a.err)
		}
		defer a.c.Close()
		_, pdu, err := a.c.Recv()
		if err != nil || string(pdu) != "s1-setup-request" {
			t.Fatalf("recv %q %v", pdu, err)
		}
	case <-time.After(wait):
		t.Fatalf("Accept wedged: no association accepted within %s", wait)
	}
}

// A stray datagram, garbage and a half-open INIT at the S1-MME port do not
// lock out the next eNodeB (issue #8 item 2: each used to block Accept
// forever).
func TestHostileDatagramsDoNotWedgeAccept(t *testing.T) {
	l, err := Listen("udp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	bad := rawInit(7)
	bad[9] ^= 0xff // checksum wrong
	sendFrom(t, l.Addr(), []byte("hello"), []byte{0x13, 0x37}, rawInit(42), bad, make([]byte, 1200))
	time.Sleep(100 * time.Millisecond) // let them arrive first (the test does not depend on it)
	acceptOne(t, l, 10*time.Second)
}

// Half-open handshakes are answered (INIT ACK), then forgotten after the
// handshake timeout: counted, goroutines gone, nothing pending.
func TestHalfOpenHandshakesExpire(t *testing.T) {
	base := runtime.NumGoroutine()
	l, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{HandshakeTimeout: 300 * time.Millisecond, MaxPendingPerSource: 64})
	if err != nil {
		t.Fatal(err)
	}
	const n = 10
	var dg [][]byte
	for i := range n {
		dg = append(dg, rawInit(uint32(1000+i)))
	}
	cs := sendFrom(t, l.Addr(), dg...)
	// Each gets its INIT ACK (type 2): the handshakes did start.
	buf := make([]byte, 2048)
	for _, c := range cs {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		m, err := c.Read(buf)
		if err != nil || m < 13 || buf[12] != 2 {
			t.Fatalf("no INIT ACK: %d bytes %v", m, err)
		}
	}
	waitFor(t, 10*time.Second, func() bool {
		s := l.Stats()
		return s.HandshakeTimeouts == n && s.Pending == 0
	}, func() string { return l.Stats().String() })
	acceptOne(t, l, 10*time.Second)
	l.Close()
	waitFor(t, 10*time.Second, func() bool { return runtime.NumGoroutine() <= base+2 },
		func() string {
			return "goroutines: " + strconv.Itoa(runtime.NumGoroutine()) + ", before: " + strconv.Itoa(base)
		})
}

// Past MaxPending handshakes, a new INIT closes the oldest handshake in
// progress (counted), so the newest ones and then an eNodeB get in at once.
func TestMaxPendingHandshakes(t *testing.T) {
	l, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{HandshakeTimeout: time.Minute, MaxPending: 2, MaxPendingPerSource: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sendFrom(t, l.Addr(), rawInit(1), rawInit(2), rawInit(3), rawInit(4), rawInit(5))
	waitFor(t, 10*time.Second, func() bool { s := l.Stats(); return s.EvictedPending == 3 && s.Pending == 2 },
		func() string { return l.Stats().String() })
	acceptOne(t, l, 20*time.Second)
	waitFor(t, 10*time.Second, func() bool { return l.Stats().Accepted == 1 }, func() string { return l.Stats().String() })
	if s := l.Stats(); s.Accepted != 1 || s.EvictedPending != 4 || s.Dropped != 0 || s.HandshakeTimeouts != 0 {
		t.Errorf("stats %s", s)
	}
}

// A finished association waiting for Accept is never evicted: with every
// slot so held, a new INIT is dropped instead.
func TestFinishedHandshakeNotEvicted(t *testing.T) {
	l, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{HandshakeTimeout: time.Minute, MaxPending: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli, err := Dial(ctx, "udp://"+l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	if err := cli.Send(0, []byte("first")); err != nil {
		t.Fatal(err)
	}
	sendFrom(t, l.Addr(), rawInit(1))
	waitFor(t, 10*time.Second, func() bool { return l.Stats().Dropped == 1 }, func() string { return l.Stats().String() })
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, pdu, err := c.Recv(); err != nil || string(pdu) != "first" {
		t.Fatalf("recv %q %v", pdu, err)
	}
	waitFor(t, 10*time.Second, func() bool { return l.Stats().Accepted == 1 }, func() string { return l.Stats().String() })
	if s := l.Stats(); s.EvictedPending != 0 || s.Pending != 0 {
		t.Errorf("stats %s", s)
	}
}

// flood sends valid INITs, never followed by a COOKIE ECHO, every gap until
// stopFlood is called (or the test ends), each from a fresh socket on the next of ips (source
// addresses a stranger may forge: an INIT needs no return path); it
// returns how many it has sent so far.
func flood(t *testing.T, to net.Addr, gap time.Duration, ips ...string) (sentSoFar func() int64, stopFlood func()) {
	t.Helper()
	stop := make(chan struct{})
	var sent atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(stop) }); wg.Wait() }) // also on t.Fatal
	stopFlood = func() { once.Do(func() { close(stop) }) }
	go func() {
		defer wg.Done()
		tick := time.NewTicker(gap)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			la := &net.UDPAddr{IP: net.ParseIP(ips[i%len(ips)])}
			c, err := net.DialUDP("udp", la, to.(*net.UDPAddr))
			if err != nil {
				t.Errorf("flood socket: %v", err)
				return
			}
			c.Write(rawInit(uint32(10000 + i)))
			c.Close()
			sent.Add(1)
		}
	}()
	return sent.Load, stopFlood
}

// A flood of half-open INITs from forged sources that keeps MaxPending
// full (its handshakes would last a minute) does not lock an eNodeB out:
// each new INIT evicts the oldest, and the eNodeB's handshake, finished in
// one round trip, is never the oldest long enough. (Before, the newest
// INIT was dropped when full, and the eNodeB's with it, every time.)
func TestForgedINITFloodDoesNotLockOut(t *testing.T) {
	l, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{HandshakeTimeout: time.Minute, MaxPending: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sent, stop := flood(t, l.Addr(), 10*time.Millisecond, "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5")
	waitFor(t, 10*time.Second, func() bool { return sent() >= 20 && l.Stats().Pending == 4 },
		func() string { return l.Stats().String() })
	acceptOne(t, l, 20*time.Second) // while the flood goes on
	stop()
	waitFor(t, 10*time.Second, func() bool { return l.Stats().Accepted == 1 }, func() string { return l.Stats().String() })
	if s := l.Stats(); s.Accepted != 1 || s.EvictedPending == 0 {
		t.Errorf("stats %s", s)
	}
}

// One source, however fast, holds at most MaxPendingPerSource handshakes:
// its new INITs evict its own oldest, never another source's, and an
// eNodeB elsewhere gets in. (Before, 64 INITs from it locked everyone out
// for the handshake timeout.)
func TestOneSourceHoldsFewSlots(t *testing.T) {
	l, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{HandshakeTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sent, stop := flood(t, l.Addr(), 5*time.Millisecond, "127.0.0.2")
	waitFor(t, 20*time.Second, func() bool { return sent() >= 80 }, func() string { return l.Stats().String() })
	testutil.Never(t, 50*time.Millisecond, "one source holds more than 4 pending handshakes",
		func() bool { return l.Stats().Pending > 4 })
	acceptOne(t, l, 20*time.Second) // while the flood goes on
	stop()
	waitFor(t, 10*time.Second, func() bool { return l.Stats().Accepted == 1 }, func() string { return l.Stats().String() })
	if s := l.Stats(); s.Accepted != 1 || s.EvictedPerSource < 70 || s.EvictedPending != 0 {
		t.Errorf("stats %s", s)
	}
}

func TestListenConfigRefusesNegative(t *testing.T) {
	if _, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{MaxPending: -1}); err == nil {
		t.Error("MaxPending -1 accepted")
	}
	if _, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{MaxPendingPerSource: -1}); err == nil {
		t.Error("MaxPendingPerSource -1 accepted")
	}
	if _, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{HandshakeTimeout: -time.Second}); err == nil {
		t.Error("HandshakeTimeout -1s accepted")
	}
}

// Close ends a pending handshake at once, and Accept returns net.ErrClosed.
func TestCloseWithPendingHandshake(t *testing.T) {
	l, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{HandshakeTimeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	sendFrom(t, l.Addr(), rawInit(9))
	waitFor(t, 10*time.Second, func() bool { return l.Stats().Pending == 1 }, func() string { return l.Stats().String() })
	errc := make(chan error, 1)
	go func() { _, err := l.Accept(); errc <- err }()
	done := make(chan struct{})
	go func() { l.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close blocked by a pending handshake")
	}
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Close: %v", err)
	}
}

// frozenConn is a client's UDP socket that goes silent on demand: it then
// drops what it would send and reads nothing, as a peer that hangs.
type frozenConn struct {
	net.Conn
	mu     sync.Mutex
	frozen bool
	closed chan struct{}
	once   sync.Once
}

func (f *frozenConn) isFrozen() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.frozen }
func (f *frozenConn) freeze()        { f.mu.Lock(); f.frozen = true; f.mu.Unlock() }
func (f *frozenConn) Read(b []byte) (int, error) {
	for {
		n, err := f.Conn.Read(b)
		if err != nil || !f.isFrozen() {
			return n, err
		}
	}
}
func (f *frozenConn) Write(b []byte) (int, error) {
	if f.isFrozen() {
		return len(b), nil
	}
	return f.Conn.Write(b)
}
func (f *frozenConn) Close() error {
	f.once.Do(func() { close(f.closed) })
	return f.Conn.Close()
}

// dialFrozen makes an association whose client side can be frozen, and
// returns the server side of it.
func dialFrozen(t *testing.T, l Listener) (*frozenConn, Conn) {
	t.Helper()
	ch := make(chan Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			ch <- c
		}
	}()
	uc, err := net.DialUDP("udp", nil, l.Addr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	fc := &frozenConn{Conn: uc, closed: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := psctp.ClientContext(ctx, psctp.WithNetConn(fc), psctp.WithLoggerFactory(loggerFactory()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Abort("test end"); fc.Close() })
	cli := newUDPConn(a, fc)
	if err := cli.Send(0, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	select {
	case srv := <-ch:
		if _, _, err := srv.Recv(); err != nil {
			t.Fatal(err)
		}
		return fc, srv
	case <-time.After(10 * time.Second):
		t.Fatal("no association")
		return nil, nil
	}
}

// A peer that stops reading cannot make the sender's memory grow: Send
// fails once MaxBuffered bytes wait for its acknowledgement; and Close,
// whose SHUTDOWN is never acknowledged, returns in bounded time.
func TestSilentPeer(t *testing.T) {
	l, err := Listen("udp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fc, srv := dialFrozen(t, l)
	fc.freeze()
	pdu := make([]byte, 4096)
	var sendErr error
	for i := 0; i < 4*MaxBuffered/len(pdu); i++ {
		if sendErr = srv.Send(1, pdu); sendErr != nil {
			break
		}
	}
	if !errors.Is(sendErr, ErrSendTimeout) {
		t.Fatalf("%d bytes sent to a silent peer without an error (%v)", 4*MaxBuffered, sendErr)
	}
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waits for a SHUTDOWN ACK that never comes")
	}
}

// Close from another goroutine ends a blocked Recv.
func TestCloseEndsRecv(t *testing.T) {
	l, err := Listen("udp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fc, srv := dialFrozen(t, l)
	fc.freeze()
	errc := make(chan error, 1)
	go func() { _, _, err := srv.Recv(); errc <- err }()
	time.Sleep(50 * time.Millisecond)
	go srv.Close()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("Recv returned no error after Close")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Recv not ended by Close")
	}
}

func TestIsInit(t *testing.T) {
	good := rawInit(5)
	if !isInit(good) {
		t.Fatal("a valid INIT refused")
	}
	for name, mut := range map[string]func([]byte) []byte{
		"short":          func(b []byte) []byte { return b[:20] },
		"not INIT":       func(b []byte) []byte { b[12] = 10; return b }, // COOKIE ECHO
		"vtag not 0":     func(b []byte) []byte { b[7] = 1; return b },
		"bad checksum":   func(b []byte) []byte { b[8] ^= 1; return b },
		"chunk too long": func(b []byte) []byte { binary.BigEndian.PutUint16(b[14:], 400); return b },
	} {
		b := mut(append([]byte(nil), good...))
		if isInit(b) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func waitFor(t testing.TB, d time.Duration, ok func() bool, state func() string) {
	t.Helper()
	testutil.WaitForState(t, d, ok, state)
}

// What half-open handshakes hold is given back once they expire: after a
// first wave of 60 (which pays the listener's one-time costs), the live
// heap after 5 more waves is within 20 % (plus 64 KiB) of its level before
// them.
func TestHalfOpenFloodMemory(t *testing.T) {
	l, err := ListenUDPConfig("127.0.0.1:0", ListenConfig{HandshakeTimeout: 200 * time.Millisecond, MaxPendingPerSource: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	acceptOne(t, l, 10*time.Second) // warm-up
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	wave := func(w int) {
		// Sockets made here, not by sendFrom: its cleanups would keep them.
		var socks []*net.UDPConn
		for i := range 60 {
			c, err := net.DialUDP("udp", nil, l.Addr().(*net.UDPAddr))
			if err != nil {
				t.Fatal(err)
			}
			c.Write(rawInit(uint32(w*100 + i + 1)))
			socks = append(socks, c)
		}
		waitFor(t, 10*time.Second, func() bool { return l.Stats().HandshakeTimeouts == int64(60*(w+1)) },
			func() string { return l.Stats().String() })
		for _, c := range socks {
			c.Close()
		}
	}
	wave(0)
	before := heap()
	for w := 1; w <= 5; w++ {
		wave(w)
	}
	after := heap()
	t.Logf("heap %d B before, %d after 300 more half-open handshakes (%s)", before, after, l.Stats())
	if float64(after) > 1.2*float64(before)+64<<10 {
		t.Errorf("heap %d B after the half-open handshakes expired, %d before", after, before)
	}
}
