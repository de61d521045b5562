package platform

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	coapNet "github.com/plgd-dev/go-coap/v3/net"
	udpServer "github.com/plgd-dev/go-coap/v3/udp/server"
)

// Platform is the built-in IoT platform: a CoAP server for devices and an
// HTTP API for people and scripts. Its methods are safe for concurrent use.
type Platform struct {
	cfg    Config
	window time.Duration // Config.ExchangeWindow

	udp     *coapNet.UDPConn
	coap    *udpServer.Server
	httpLn  *connLimiter // nil without Config.APIAddr
	httpSrv *http.Server
	mux     *http.ServeMux
	handler http.Handler // mux behind Config.WrapAPI and noCORS

	dtls *dtlsSide // nil without Config.DTLSAddr

	ctx    context.Context // cancelled by Close; parent of every exchange
	cancel context.CancelFunc
	wg     sync.WaitGroup // Serve goroutines and exchanges in flight

	randMu sync.Mutex
	rng    *rand.Rand

	exMu      sync.Mutex
	exchanges map[exchangeKey]*exchange

	mu      sync.Mutex
	devices map[string]*device
	nextID  uint64
	started bool
	closed  bool
	// Totals behind the platform-wide limits, guarded by mu.
	stored    int      // messages + finished commands kept
	commands  int      // commands waiting
	inflight  int      // exchanges in flight
	waiting   []string // endpoints with a command held back by MaxExchanges
	stats     Stats    // counters
	lastSweep time.Time
	// devicesPeak: the most entries devices has had since it was last
	// rebuilt (expireLocked).
	devicesPeak int

	closeOnce sync.Once
}

// New checks cfg, binds the CoAP socket (and the HTTP listener if
// cfg.APIAddr is set) and returns a platform that serves nothing until
// Start.
func New(cfg Config) (*Platform, error) {
	cfg = cfg.filled()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	p := newPlatform(cfg)
	l, err := coapNet.NewListenUDP("udp", cfg.CoAPAddr)
	if err != nil {
		p.cancel()
		return nil, &ListenError{What: "CoAP", Addr: cfg.CoAPAddr, Err: err}
	}
	p.udp = l
	fail := func(err error) (*Platform, error) {
		p.cancel()
		_ = l.Close()
		if p.dtls != nil {
			_ = p.dtls.ln.Close()
		}
		return nil, err
	}
	if cfg.DTLSAddr != "" {
		if p.dtls, err = p.listenDTLS(cfg.DTLSAddr); err != nil {
			return fail(err)
		}
	}
	if cfg.APIAddr != "" {
		if p.httpLn, err = p.listenHTTP(cfg.APIAddr); err != nil {
			return fail(err)
		}
	}
	p.coap = p.newCoAPServer()
	p.routes()
	h := http.Handler(p.mux)
	if cfg.WrapAPI != nil {
		h = cfg.WrapAPI(h)
	}
	p.handler = noCORS(h)
	p.httpSrv = p.newHTTPServer(p.handler, p.httpLn)
	return p, nil
}

// newPlatform is the platform's state without sockets: New binds them; the
// fuzz test drives the uplink handler on it directly.
func newPlatform(cfg Config) *Platform {
	p := &Platform{
		cfg:       cfg,
		window:    cfg.ExchangeWindow(),
		rng:       rand.New(cfg.Rand),
		exchanges: make(map[exchangeKey]*exchange),
		devices:   make(map[string]*device),
		mux:       http.NewServeMux(),
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	return p
}

// Start serves CoAP and, if Config.APIAddr was set, HTTP, in the
// background, and returns. Cancelling ctx closes the platform, as Close.
func (p *Platform) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	if p.started {
		return errors.New("platform: already started")
	}
	p.started = true
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := p.coap.Serve(p.udp); err != nil {
			p.logf("platform: CoAP server stopped: %v", err)
		}
	}()
	if p.dtls != nil {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if err := p.dtls.srv.Serve(p.dtls.ln); err != nil {
				p.logf("platform: CoAP over DTLS server stopped: %v", err)
			}
		}()
	}
	if p.httpLn != nil {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if err := p.httpSrv.Serve(p.httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				p.logf("platform: HTTP server stopped: %v", err)
			}
		}()
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.sweeper()
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = p.Close()
		case <-p.ctx.Done():
		}
	}()
	return nil
}

// Close stops both servers, abandons the exchanges in flight (their
// commands go back to queued) and waits for the platform's goroutines.
// It may be called more than once, and without Start.
func (p *Platform) Close() error {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		p.closed = true
		started := p.started
		p.mu.Unlock()
		p.cancel()
		if started {
			p.coap.Stop()
			if p.dtls != nil {
				p.dtls.srv.Stop()
			}
		}
		_ = p.udp.Close() // Stop closes it only once Serve has taken it
		if p.dtls != nil {
			_ = p.dtls.ln.Close()
		}
		if p.httpLn != nil {
			if started {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				if err := p.httpSrv.Shutdown(ctx); err != nil {
					_ = p.httpSrv.Close()
				}
				cancel()
			}
			_ = p.httpLn.Close()
		}
		p.wg.Wait()
	})
	return nil
}

// CoAPAddr is the UDP address the CoAP server is bound to.
func (p *Platform) CoAPAddr() net.Addr { return p.udp.LocalAddr() }

// APIAddr is the TCP address of the HTTP API, or nil without
// Config.APIAddr.
func (p *Platform) APIAddr() net.Addr {
	if p.httpLn == nil {
		return nil
	}
	return p.httpLn.Addr()
}

// Handler is the HTTP API, for serving it on a server of your own (with
// Config.APIAddr empty) or in tests, behind Config.WrapAPI. Routes:
//
//	GET    /api/health
//	GET    /api/stats
//	GET    /api/devices
//	GET    /api/devices/{ep}/messages[?since=SEQ]
//	GET    /api/devices/{ep}/commands
//	POST   /api/devices/{ep}/commands   {"payload_hex":"..."} or {"payload":"text"}
//	DELETE /api/devices/{ep}/binding
//
// Other paths under /api/ answer 404 and other methods 405, both with a JSON
// {"error": "..."} body. Routes added with Handle are served beside these.
// No answer carries an Access-Control-Allow-* (CORS) header.
func (p *Platform) Handler() http.Handler { return p.handler }

// Handle adds a route beside the API, with net/http.ServeMux patterns
// ("GET /api/emulator/devices", "/ui/"). Like ServeMux.Handle, it panics on
// a pattern that conflicts with one already registered. Safe to call at any
// time.
func (p *Platform) Handle(pattern string, h http.Handler) { p.mux.Handle(pattern, h) }

// HandleFunc is Handle for a function.
func (p *Platform) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	p.mux.HandleFunc(pattern, h)
}

// Messages returns the stored uplink messages of ep, oldest first (nil for
// an unknown endpoint).
func (p *Platform) Messages(ep string) []Message { return p.messagesSince(ep, 0) }

func (p *Platform) messagesSince(ep string, since uint64) []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.devices[ep]
	if d == nil {
		return nil
	}
	// Seqs are consecutive, so the first one after since is found by
	// arithmetic; messages are immutable once stored, payloads are copied.
	i := 0
	if len(d.msgs) > 0 && since >= d.msgs[0].Seq {
		i = int(min(since-d.msgs[0].Seq+1, uint64(len(d.msgs))))
	}
	out := make([]Message, 0, len(d.msgs)-i)
	for _, m := range d.msgs[i:] {
		m.Payload = append([]byte(nil), m.Payload...)
		out = append(out, m)
	}
	return out
}

// Commands returns the commands of ep, in the order they were queued:
// finished ones still kept (Config.MaxMessages), then pending ones.
func (p *Platform) Commands(ep string) []Command {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.devices[ep]
	if d == nil {
		return nil
	}
	out := make([]Command, 0, len(d.done)+len(d.pending))
	for _, c := range d.done {
		out = append(out, c.clone())
	}
	for _, c := range d.pending {
		out = append(out, c.clone())
	}
	return out
}

// Device returns the platform's view of one endpoint, with the
// Config.DeviceState hook's state.
func (p *Platform) Device(ep string) (Device, bool) {
	p.mu.Lock()
	d := p.devices[ep]
	var v Device
	if d != nil {
		v = d.view()
	}
	p.mu.Unlock()
	if d == nil {
		return Device{}, false
	}
	if p.cfg.DeviceState != nil {
		v.State = p.cfg.DeviceState(ep)
	}
	return v, true
}

// Devices lists every endpoint that sent an uplink or has commands, by
// endpoint name, with the Config.DeviceState hook's state.
func (p *Platform) Devices() []Device {
	p.mu.Lock()
	out := make([]Device, 0, len(p.devices))
	for _, d := range p.devices {
		out = append(out, d.view())
	}
	p.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Endpoint < out[j].Endpoint })
	if p.cfg.DeviceState != nil {
		for i := range out {
			out[i].State = p.cfg.DeviceState(out[i].Endpoint)
		}
	}
	return out
}

// Queue adds a downlink command for ep and returns its ID. It is sent at
// once if ep has been seen and nothing is in flight for it, else after ep's
// next uplink. Errors: ErrBadEndpoint, ErrBadPayload (empty or longer than
// MaxPayload), ErrQueueFull (Config.MaxPending), ErrLimit
// (Config.MaxEndpoints, Config.MaxCommands), ErrClosed.
func (p *Platform) Queue(ep string, payload []byte) (uint64, error) {
	if err := checkEndpoint(ep); err != nil {
		return 0, err
	}
	if err := checkPayload("payload", len(payload)); err != nil {
		return 0, err
	}
	now := p.cfg.Now()
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return 0, ErrClosed
	}
	d, err := p.deviceLocked(ep, now, false)
	if err != nil {
		p.mu.Unlock()
		return 0, err
	}
	if len(d.pending) >= p.cfg.MaxPending {
		n := len(d.pending)
		p.stats.CommandsRefused++
		p.mu.Unlock()
		return 0, fmt.Errorf("%w: endpoint %q has %d commands waiting (limit %d)", ErrQueueFull, ep, n, p.cfg.MaxPending)
	}
	if p.commands >= p.cfg.MaxCommands {
		p.stats.CommandsRefused++
		p.mu.Unlock()
		return 0, fmt.Errorf("%w: %d commands waiting on all endpoints (limit %d)", ErrLimit, p.commands, p.cfg.MaxCommands)
	}
	p.nextID++
	c := &Command{
		ID:       p.nextID,
		Endpoint: ep,
		Payload:  append([]byte(nil), payload...),
		Status:   Queued,
		Created:  now,
	}
	d.pending = append(d.pending, c)
	d.lastActive = now
	p.commands++
	snap := c.clone()
	p.mu.Unlock()
	p.notifyCommand(snap)
	p.dispatch(ep)
	return snap.ID, nil
}

// deviceLocked returns ep's record, creating it if Config.MaxEndpoints
// allows (forgetting expired endpoints first when it is reached). A
// reserved endpoint (one Config.Bind claims: an emulated module) is
// created whatever the limit: their number is the number of modules, and
// strangers filling the platform must not lock the modules out. Caller
// holds p.mu.
func (p *Platform) deviceLocked(ep string, now time.Time, reserved bool) (*device, error) {
	d := p.devices[ep]
	if d != nil {
		return d, nil
	}
	if len(p.devices) >= p.cfg.MaxEndpoints && !reserved {
		p.expireLocked(now, false)
	}
	if len(p.devices) >= p.cfg.MaxEndpoints && !reserved {
		p.stats.EndpointsRefused++
		return nil, fmt.Errorf("%w: %d endpoints (limit %d); endpoints silent for %v are forgotten", ErrLimit, len(p.devices), p.cfg.MaxEndpoints, p.cfg.Lifetime)
	}
	d = &device{ep: ep, lastActive: now}
	p.devices[ep] = d
	p.devicesPeak = max(p.devicesPeak, len(p.devices))
	return d, nil
}

func (p *Platform) notifyCommand(c Command) {
	if p.cfg.OnCommand != nil {
		p.cfg.OnCommand(c)
	}
}

func (p *Platform) logf(format string, args ...any) {
	if p.cfg.Logf != nil {
		p.cfg.Logf(format, args...)
	}
}

// logWriter carries net/http's server log to Config.Logf.
type logWriter struct{ p *Platform }

func (w logWriter) Write(b []byte) (int, error) {
	w.p.logf("platform: http: %s", trimNewline(b))
	return len(b), nil
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// checkEndpoint accepts 1 to 64 characters from [A-Za-z0-9._-]; an IMEI is
// 15 digits.
func checkEndpoint(ep string) error {
	bad := func(reason string) error {
		return &FieldError{Field: "ep", Reason: reason, Err: ErrBadEndpoint}
	}
	if ep == "" {
		return bad("empty; want the device's endpoint name (its IMEI, 1 to 64 characters from A-Z a-z 0-9 . _ -)")
	}
	if len(ep) > 64 {
		return bad(fmt.Sprintf("%d characters; at most 64 allowed", len(ep)))
	}
	for i := 0; i < len(ep); i++ {
		c := ep[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return bad(fmt.Sprintf("character %q at offset %d; allowed: A-Z a-z 0-9 . _ -", c, i))
		}
	}
	return nil
}

func checkPayload(field string, n int) error {
	switch {
	case n == 0:
		return &FieldError{Field: field, Reason: fmt.Sprintf("empty; want 1 to %d bytes", MaxPayload), Err: ErrBadPayload}
	case n > MaxPayload:
		return &FieldError{Field: field, Reason: fmt.Sprintf("%d bytes; at most %d allowed", n, MaxPayload), Err: ErrBadPayload}
	}
	return nil
}
