package platform

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/nbsim/nbsim/internal/apiauth"
)

// Defaults of HTTPLimits. A request of the API is small (a command body is
// at most maxBody) and answered at once, so the timeouts are short; they
// bound how long a slow or silent client holds a connection. They are
// internal/apiauth's, which the standalone "nbsim emulate --api" server
// uses: one set for both.
const (
	DefaultReadHeaderTimeout = apiauth.ReadHeaderTimeout
	DefaultReadTimeout       = apiauth.ReadTimeout
	DefaultWriteTimeout      = apiauth.WriteTimeout
	DefaultIdleTimeout       = apiauth.IdleTimeout
	DefaultMaxHeaderBytes    = apiauth.MaxHeaderBytes
	DefaultMaxConns          = apiauth.MaxConns
)

// HTTPLimits bound what one client of the HTTP API can hold. Zero fields
// take the defaults above.
type HTTPLimits struct {
	ReadHeaderTimeout time.Duration // request line and headers
	ReadTimeout       time.Duration // whole request, body included
	WriteTimeout      time.Duration // from the end of the headers to the end of the answer
	IdleTimeout       time.Duration // keep-alive connection between requests
	MaxHeaderBytes    int
	// MaxConns bounds the connections open at once. At the bound, a new
	// connection closes the one that has waited longest without a request
	// in progress (still sending its headers, or idle between requests),
	// once that one has had a quarter of ReadHeaderTimeout to send them;
	// until then, and while every connection is in a request (bounded by
	// ReadTimeout and WriteTimeout), new ones wait in the kernel's accept
	// queue.
	MaxConns int
}

func (l HTTPLimits) filled() HTTPLimits {
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&l.ReadTimeout, DefaultReadTimeout)
	def(&l.WriteTimeout, DefaultWriteTimeout)
	def(&l.IdleTimeout, DefaultIdleTimeout)
	if l.MaxHeaderBytes == 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxConns == 0 {
		l.MaxConns = DefaultMaxConns
	}
	return l
}

func (l HTTPLimits) validate(bad func(field, reason string) error) error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"HTTP.ReadHeaderTimeout", l.ReadHeaderTimeout},
		{"HTTP.ReadTimeout", l.ReadTimeout},
		{"HTTP.WriteTimeout", l.WriteTimeout},
		{"HTTP.IdleTimeout", l.IdleTimeout},
	} {
		if d.v < time.Millisecond {
			return bad(d.name, fmt.Sprintf("%v, want at least 1ms (0 means the default)", d.v))
		}
	}
	switch {
	case l.MaxHeaderBytes < 1024:
		return bad("HTTP.MaxHeaderBytes", fmt.Sprintf("%d, want at least 1024 (0 means %d)", l.MaxHeaderBytes, DefaultMaxHeaderBytes))
	case l.MaxConns < 1:
		return bad("HTTP.MaxConns", fmt.Sprintf("%d, want a positive count (0 means %d)", l.MaxConns, DefaultMaxConns))
	}
	return nil
}

// ListenError is a failure to bind one of the platform's sockets. It names
// the address and which socket ("CoAP", "CoAP over DTLS", "HTTP"), not a
// Go field, so that a command can prefix the flag it came from.
type ListenError struct {
	What string // "CoAP", "CoAP over DTLS" or "HTTP"
	Addr string
	Err  error
}

func (e *ListenError) Error() string {
	return fmt.Sprintf("platform: %s listen on %s: %v", e.What, e.Addr, e.Err)
}

func (e *ListenError) Unwrap() error { return e.Err }

// newHTTPServer builds the API's server with cfg.HTTP's limits, and its
// listener with MaxConns.
func (p *Platform) newHTTPServer(h http.Handler, lim *connLimiter) *http.Server {
	l := p.cfg.HTTP
	var hook func(net.Conn, http.ConnState)
	if lim != nil {
		hook = lim.ConnState
	}
	return &http.Server{
		Handler:           h,
		ConnState:         hook,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		ErrorLog:          log.New(logWriter{p}, "", 0),
	}
}

func (p *Platform) listenHTTP(addr string) (*connLimiter, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &ListenError{What: "HTTP", Addr: addr, Err: err}
	}
	return &connLimiter{apiauth.NewConnLimiter(ln, p.cfg.HTTP.MaxConns, p.cfg.HTTP.ReadHeaderTimeout/4)}, nil
}

// connLimiter is the HTTP listener with HTTPLimits.MaxConns: the limiter
// the standalone "nbsim emulate --api" server uses too; the server's
// ConnState hook tells it which connections are in a request.
type connLimiter struct{ *apiauth.ConnLimiter }

// counts returns the connections open and how many were closed to make
// room (apiauth.ConnLimiter.Counts).
func (l *connLimiter) counts() (open int, evicted uint64) { return l.Counts() }

// noCORS drops any Access-Control-Allow-* header a handler (the platform's
// or one added with Handle) may set: the API is for scripts on this host,
// never for web pages, which a permissive CORS header would let read it.
func noCORS(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(corsFilter{w}, r)
	})
}

type corsFilter struct{ http.ResponseWriter }

func (f corsFilter) WriteHeader(code int) {
	f.strip()
	f.ResponseWriter.WriteHeader(code)
}

func (f corsFilter) Write(b []byte) (int, error) {
	f.strip()
	return f.ResponseWriter.Write(b)
}

func (f corsFilter) strip() {
	h := f.Header()
	for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
		"Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers"} {
		h.Del(k)
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (f corsFilter) Unwrap() http.ResponseWriter { return f.ResponseWriter }
