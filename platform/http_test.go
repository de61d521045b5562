package platform

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Slow and idle HTTP clients used to hold a connection, a goroutine and
// their buffers for ever (no read or idle timeout: 20,000 slow connections
// took 671 MB and 20,000 file descriptors, then the API stopped
// answering). Now each kind is cut by a timeout or closed to make room, at
// most MaxConns are open at once, a normal request is still answered, and
// goroutines and memory return.
func TestHTTPSlowClientsCut(t *testing.T) {
	n := 500
	if !testing.Short() {
		n = 3000 // within the kernel's accept queue (somaxconn 4096)
	}
	limits := HTTPLimits{
		ReadHeaderTimeout: time.Second, // a quarter of it (250 ms) protects a new connection from eviction
		ReadTimeout:       1200 * time.Millisecond,
		WriteTimeout:      time.Second,
		IdleTimeout:       300 * time.Millisecond,
		MaxConns:          64,
	}
	h := start(t, func(c *Config) {
		c.APIAddr = "127.0.0.1:0"
		c.HTTP = limits
		c.Logf = nil
	})
	addr := h.p.APIAddr().String()
	// A request in progress is never closed to make room, so a third of
	// the slow clients (bodies never sent) hold their connection for
	// ReadTimeout, MaxConns at a time: that bounds the wait of a normal
	// request behind them.
	patience := wait + time.Duration(n/3/limits.MaxConns+1)*limits.ReadTimeout
	get := func() {
		t.Helper()
		cl := &http.Client{Timeout: patience}
		resp, err := cl.Get("http://" + addr + "/api/health")
		if err != nil {
			t.Fatalf("normal request: %v", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		cl.CloseIdleConnections()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("normal request: %d", resp.StatusCode)
		}
	}
	// Warm up: MaxConns requests at once, so the baseline is that of a
	// server that has served its full width (the runtime keeps goroutine
	// records once it has had them).
	warm := make([]net.Conn, limits.MaxConns)
	for i := range warm {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		warm[i] = c
		_, _ = io.WriteString(c, "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	}
	for _, c := range warm {
		_ = c.SetReadDeadline(time.Now().Add(wait))
		_, _ = io.Copy(io.Discard, c)
		_ = c.Close()
	}
	warm = nil
	// The runtime never frees a goroutine's record, and the flood below
	// has more goroutines alive at once than the warm-up (closing ones
	// beside new ones): have that many once, so the records are in the
	// baseline and not counted as the server's memory.
	release := make(chan struct{})
	var started sync.WaitGroup
	for range 8 * limits.MaxConns {
		started.Add(1)
		go func() { started.Done(); <-release }()
	}
	started.Wait()
	close(release)
	get()
	goroutines, heap := runtime.NumGoroutine(), heapAfterGC()

	// Three kinds, in turn: headers never finished; a body announced and
	// never sent; a keep-alive connection left idle after one request.
	kinds := []string{
		"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ",
		"POST /api/devices/x/commands HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"pay",
		"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n",
	}
	conns := make([]net.Conn, 0, n)
	for i := range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, kinds[i%len(kinds)]); err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
	}
	defer func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	get() // answered: it closes the oldest of the connections without a request in progress
	if s := h.p.Stats(); s.HTTPConns > limits.MaxConns || s.HTTPConnsEvicted == 0 {
		t.Errorf("%d connections open (limit %d), %d evicted", s.HTTPConns, limits.MaxConns, s.HTTPConnsEvicted)
	}

	// The server closes every one of them: the client reads EOF (after the
	// answer, for the idle keep-alive kind, and after a 408 or 400 for
	// the others) well before the deadline.
	// One reader at a time against one absolute deadline (goroutines of
	// the test's own would stay in the runtime's heap and blur the
	// measurement below).
	var open []string
	deadline := time.Now().Add(patience)
	for i, c := range conns {
		_ = c.SetReadDeadline(deadline)
		_, err := io.Copy(io.Discard, c)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			open = append(open, fmt.Sprintf("%d (%q)", i, strings.SplitN(kinds[i%len(kinds)], "\r\n", 2)[0]))
		}
	}
	if len(open) > 0 {
		t.Fatalf("%d of %d slow connections still open at the deadline, e.g. %s", len(open), n, open[0])
	}
	for _, c := range conns {
		_ = c.Close()
	}
	conns = nil // the test's own sockets are not the server's memory
	get()

	// Goroutines and memory return.
	var g int
	for end := time.Now().Add(wait); ; time.Sleep(10 * time.Millisecond) {
		if g = runtime.NumGoroutine(); g <= goroutines+5 || time.Now().After(end) {
			break
		}
	}
	after := heapAfterGC()
	t.Logf("goroutines %d → %d, heap %d KiB → %d KiB", goroutines, g, heap>>10, after>>10)
	if g > goroutines+5 {
		t.Errorf("%d goroutines after the slow clients, %d before", g, goroutines)
	}
	if float64(after) > 1.2*float64(heap) {
		t.Errorf("heap %d KiB after the slow clients, %d KiB before: more than 20 %% above", after>>10, heap>>10)
	}
}

// Header and body sizes are bounded.
func TestHTTPSizeLimits(t *testing.T) {
	h := start(t, func(c *Config) { c.APIAddr = "127.0.0.1:0" })
	base := "http://" + h.p.APIAddr().String()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/health", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 2*DefaultMaxHeaderBytes))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("32 KiB header: %d, want 431", resp.StatusCode)
	}
	resp, err = http.Post(base+"/api/devices/x/commands", "application/json", strings.NewReader(`{"payload":"`+strings.Repeat("a", maxBody)+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("body over %d bytes: %d, want 413", maxBody, resp.StatusCode)
	}
}

// No answer carries a permissive CORS header, not even from a route added
// with Handle; Config.WrapAPI wraps every route.
func TestNoCORSAndWrapAPI(t *testing.T) {
	h := start(t, func(c *Config) {
		c.WrapAPI = func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer t" {
					writeError(w, http.StatusUnauthorized, "no token")
					return
				}
				next.ServeHTTP(w, r)
			})
		}
	})
	h.p.HandleFunc("GET /api/extra", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		writeJSON(w, http.StatusOK, map[string]string{"ok": "yes"})
	})
	for _, path := range []string{"/api/extra", "/api/health", "/api/devices"} {
		for _, token := range []string{"", "Bearer t"} {
			req, _ := http.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Origin", "http://evil.example")
			if token != "" {
				req.Header.Set("Authorization", token)
			}
			rec := newRecorder()
			h.p.Handler().ServeHTTP(rec, req)
			want := http.StatusOK
			if token == "" {
				want = http.StatusUnauthorized
			}
			if rec.Code != want {
				t.Errorf("GET %s token %q: %d, want %d", path, token, rec.Code, want)
			}
			for k := range rec.Header() {
				if strings.HasPrefix(k, "Access-Control-") {
					t.Errorf("GET %s: header %s: %s", path, k, rec.Header().Get(k))
				}
			}
		}
	}
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// A socket that cannot be bound is a *ListenError naming the socket and the
// address, never a Go field (the old text said "(Config.CoAPAddr)"), so
// that nbsim emulate can name its flag.
func TestListenErrors(t *testing.T) {
	h := start(t, func(c *Config) { c.APIAddr = "127.0.0.1:0" })
	coap, api := h.p.CoAPAddr().String(), h.p.APIAddr().String()
	for _, tc := range []struct {
		cfg        Config
		what, addr string
	}{
		{Config{CoAPAddr: coap}, "CoAP", coap},
		{Config{CoAPAddr: "127.0.0.1:0", APIAddr: api}, "HTTP", api},
	} {
		_, err := New(tc.cfg)
		var le *ListenError
		if !errors.As(err, &le) || le.What != tc.what || le.Addr != tc.addr || strings.Contains(err.Error(), "Config.") {
			t.Errorf("%s on a busy address: %v", tc.what, err)
		}
	}
}
