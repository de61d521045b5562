package apiauth

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/testutil"
)

const testToken = "0123456789abcdef0123456789abcdef"

// guarded serves a handler that counts the requests reaching it, behind a
// guard for testToken.
func guarded(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	g, err := New(testToken)
	if err != nil {
		t.Fatal(err)
	}
	var reached atomic.Int64
	srv := httptest.NewServer(g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Write([]byte(`{"ok":true}`))
	})))
	t.Cleanup(srv.Close)
	return srv, &reached
}

// Every refusal: its status, its headers, and no request reaching the
// handler; every request a legitimate client makes passes.
func TestGuard(t *testing.T) {
	srv, reached := guarded(t)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	p := func(h string) string { return h + ":" + strconv.Itoa(port) }
	bearer := "Bearer " + testToken
	for _, c := range []struct {
		name, method, host, auth, ctype string
		origin                          []string
		want                            int
	}{
		{"no token", "GET", "", "", "", nil, 401},
		{"wrong token", "GET", "", "Bearer " + strings.Repeat("x", 32), "", nil, 401},
		{"token prefix", "GET", "", "Bearer " + testToken[:20], "", nil, 401},
		{"token plus more", "GET", "", bearer + "x", "", nil, 401},
		{"basic scheme", "GET", "", "Basic " + testToken, "", nil, 401},
		{"no scheme", "GET", "", testToken, "", nil, 401},
		{"POST without token", "POST", "", "", "application/json", nil, 401},
		{"GET", "GET", "", bearer, "", nil, 200},
		{"lower-case scheme", "GET", "", "bearer " + testToken, "", nil, 200},
		{"localhost with port", "GET", p("localhost"), bearer, "", nil, 200},
		{"localhost", "GET", "localhost", bearer, "", nil, 200},
		{"LOCALHOST", "GET", p("LOCALHOST"), bearer, "", nil, 200},
		{"127.0.0.1", "GET", "127.0.0.1", bearer, "", nil, 200},
		{"::1", "GET", p("[::1]"), bearer, "", nil, 200},
		{"::1 without port", "GET", "[::1]", bearer, "", nil, 200},
		{"foreign name", "GET", p("evil.example"), bearer, "", nil, 421},
		{"rebinding name", "GET", p("127.0.0.1.nip.io"), bearer, "", nil, 421},
		{"another port", "GET", "127.0.0.1:1", bearer, "", nil, 421},
		{"another address", "GET", p("192.0.2.1"), bearer, "", nil, 421},
		{"empty host", "GET", "-", bearer, "", nil, 421},
		{"own origin", "POST", "", bearer, "application/json", []string{"http://" + p("127.0.0.1")}, 200},
		{"foreign origin", "POST", "", bearer, "application/json", []string{"http://evil.example"}, 403},
		{"null origin", "GET", "", bearer, "", []string{"null"}, 403},
		{"https origin", "GET", "", bearer, "", []string{"https://" + p("127.0.0.1")}, 403},
		{"two origins", "GET", "", bearer, "", []string{"http://" + p("127.0.0.1"), "http://evil.example"}, 403},
		{"text/plain POST", "POST", "", bearer, "text/plain", nil, 415},
		{"form POST", "POST", "", bearer, "application/x-www-form-urlencoded", nil, 415},
		{"POST without type", "POST", "", bearer, "", nil, 415},
		{"PUT text", "PUT", "", bearer, "text/plain", nil, 415},
		{"DELETE without type", "DELETE", "", bearer, "", nil, 415},
		{"json POST", "POST", "", bearer, "application/json", nil, 200},
		{"json charset", "POST", "", bearer, "application/json; charset=utf-8", nil, 200},
		{"json in capitals", "POST", "", bearer, "Application/JSON", nil, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := reached.Load()
			req, err := http.NewRequest(c.method, srv.URL+"/api/x", strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			switch c.host {
			case "":
			case "-":
				req.Host = " "
			default:
				req.Host = c.host
			}
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			for _, o := range c.origin {
				req.Header.Add("Origin", o)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, body, c.want)
			}
			for k := range resp.Header {
				if strings.HasPrefix(k, "Access-Control-") {
					t.Errorf("CORS header %s: %q", k, resp.Header.Get(k))
				}
			}
			n := reached.Load() - before
			if c.want == 200 {
				if n != 1 {
					t.Errorf("the handler ran %d times", n)
				}
				return
			}
			if n != 0 {
				t.Errorf("a refused request reached the handler")
			}
			if !strings.Contains(string(body), `"error"`) {
				t.Errorf("body %q: not a JSON error", body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); (c.want == 401) != (got == `Bearer realm="nbsim"`) {
				t.Errorf("WWW-Authenticate %q", got)
			}
		})
	}
}

// A preflight (OPTIONS) gets no CORS permission: a browser then sends
// nothing.
func TestGuardPreflight(t *testing.T) {
	srv, reached := guarded(t)
	req, _ := http.NewRequest("OPTIONS", srv.URL+"/api/x", nil)
	req.Header.Set("Origin", "http://evil.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || reached.Load() != 0 || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight: %d, %v, handler ran %d times", resp.StatusCode, resp.Header, reached.Load())
	}
}

// A body past MaxBody is cut off (the handler's read fails).
func TestGuardBodyLimit(t *testing.T) {
	g, _ := New(testToken)
	var readErr error
	srv := httptest.NewServer(g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
	})))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(strings.Repeat(" ", MaxBody+1)))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if readErr == nil {
		t.Errorf("a body of %d bytes was read whole", MaxBody+1)
	}
}

func TestNewRejectsWeakTokens(t *testing.T) {
	for _, tok := range []string{"", "short", "0123456789abcde", "0123456789 abcdef", "0123456789abcdef\n", "0123456789abcdéf0"} {
		if _, err := New(tok); err == nil {
			t.Errorf("New(%q): accepted", tok)
		}
	}
}

// The token: the flag first, then the environment, else a new random one
// in a file only the user can read.
func TestResolve(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sub", "api-token")
	t.Setenv(EnvToken, "")
	tok, written, err := Resolve("", file)
	if err != nil {
		t.Fatal(err)
	}
	if written != file || len(tok) != 2*TokenBytes {
		t.Fatalf("token %q written to %q", tok, written)
	}
	b, err := os.ReadFile(file)
	if err != nil || strings.TrimSpace(string(b)) != tok {
		t.Fatalf("file holds %q (%v), want the token", b, err)
	}
	for _, c := range []struct {
		path string
		mode os.FileMode
	}{{file, 0o600}, {filepath.Dir(file), 0o700}} {
		fi, err := os.Stat(c.path)
		if err != nil || fi.Mode().Perm() != c.mode {
			t.Errorf("%s: mode %v (%v), want %v", c.path, fi.Mode().Perm(), err, c.mode)
		}
	}
	// A second start: a new token replaces the file, even one others could read.
	os.Chmod(file, 0o644)
	tok2, _, err := Resolve("", file)
	if err != nil || tok2 == tok {
		t.Fatalf("second token %q (%v), first %q", tok2, err, tok)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("rewritten file: mode %v", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(filepath.Dir(file)); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	RemoveTokenFile(file, tok) // not ours any more: stays
	if _, err := os.Stat(file); err != nil {
		t.Errorf("another server's token file was removed")
	}
	RemoveTokenFile(file, tok2)
	if _, err := os.Stat(file); err == nil {
		t.Errorf("token file not removed")
	}

	t.Setenv(EnvToken, "env-token-0123456789")
	if tok, written, err := Resolve("", file); tok != "env-token-0123456789" || written != "" || err != nil {
		t.Errorf("from the environment: %q %q %v", tok, written, err)
	}
	if tok, _, err := Resolve("flag-token-0123456789", file); tok != "flag-token-0123456789" || err != nil {
		t.Errorf("from the flag: %q %v", tok, err)
	}
	if _, _, err := Resolve("short", file); err == nil || !strings.Contains(err.Error(), "--api-token") {
		t.Errorf("short flag token: %v", err)
	}
	t.Setenv(EnvToken, "short")
	if _, _, err := Resolve("", file); err == nil || !strings.Contains(err.Error(), EnvToken) {
		t.Errorf("short env token: %v", err)
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("a token file was written though the token came from elsewhere")
	}
}

func TestDefaultTokenFile(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/1000")
	if f, err := DefaultTokenFile(); err != nil || f != "/run/user/1000/nbsim/api-token" {
		t.Errorf("%q %v", f, err)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	if f, err := DefaultTokenFile(); err != nil || f != "/cfg/nbsim/api-token" {
		t.Errorf("%q %v", f, err)
	}
}

func TestHardenServer(t *testing.T) {
	s := &http.Server{ReadHeaderTimeout: time.Second}
	HardenServer(s)
	if s.ReadHeaderTimeout != time.Second || s.ReadTimeout == 0 || s.WriteTimeout == 0 || s.IdleTimeout == 0 || s.MaxHeaderBytes == 0 {
		t.Errorf("%+v", s)
	}
}

// The standalone "nbsim emulate --api" server (built as cmd/nbsim builds
// it) at a small MaxConns: connections that hold every slot without a
// request (idle keep-alive after a 401, headers never sent) do not make a
// client with the token wait for them to time out: the oldest is closed to
// make room once it has had a quarter of ReadHeaderTimeout. (With
// netutil.LimitListener the request waited for ReadHeaderTimeout, 5 s, or
// IdleTimeout, 60 s.)
func TestLimitConnsIdleAndSilentClients(t *testing.T) {
	const maxConns = 8
	g, err := New(testToken)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"ok":true}`))
	}))}
	var hooked atomic.Int64
	srv.ConnState = func(net.Conn, http.ConnState) { hooked.Add(1) } // still called
	lim := LimitConns(srv, l, maxConns)
	go srv.Serve(lim)
	defer srv.Close()
	if srv.ReadHeaderTimeout != ReadHeaderTimeout || srv.IdleTimeout != IdleTimeout {
		t.Fatalf("not hardened: %+v", srv)
	}
	addr := l.Addr().String()

	// maxConns-2 connections that got a 401 and stay open, kept alive.
	for range maxConns - 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(c, "GET /api/status HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || resp.Close {
			t.Fatalf("without a token: %d (close %v), want a kept-alive 401", resp.StatusCode, resp.Close)
		}
	}
	// Two that never send their headers.
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET / HTTP/1.1\r\n")
	}
	testutil.WaitForState(t, 5*time.Second, func() bool { open, _ := lim.Counts(); return open == maxConns },
		func() string {
			open, _ := lim.Counts()
			return fmt.Sprintf("%d connections open, want %d", open, maxConns)
		})

	// A client with the token: answered within the grace (1.25 s) and
	// well before ReadHeaderTimeout (5 s).
	client := &http.Client{Timeout: 4 * time.Second, Transport: &http.Transport{}}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/status", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("with the token, after %v: %v", time.Since(start).Round(time.Millisecond), err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with the token: %d", resp.StatusCode)
	}
	t.Logf("answered in %v", time.Since(start).Round(time.Millisecond))
	if open, evicted := lim.Counts(); open > maxConns || evicted == 0 {
		t.Errorf("%d connections open (limit %d), %d closed to make room", open, maxConns, evicted)
	}
	if hooked.Load() == 0 {
		t.Error("the server's own ConnState hook was not called")
	}
}

// At the bound with every connection in a request, a new one waits until
// one closes, and is accepted then; Close wakes a waiting Accept.
func TestConnLimiterBusy(t *testing.T) {
	l0, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := NewConnLimiter(l0, 2, time.Millisecond)
	accepted := make(chan net.Conn, 3)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			l.ConnState(c, http.StateActive) // in a request: not closed to make room
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first := <-accepted
	<-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted past the bound of 2")
	case <-time.After(200 * time.Millisecond):
	}
	first.Close()
	l.ConnState(first, http.StateClosed)
	select {
	case c := <-accepted:
		c.Close()
		l.ConnState(c, http.StateClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("the third connection was not accepted after one closed")
	}
	if open, evicted := l.Counts(); open != 1 || evicted != 0 {
		t.Errorf("%d open, %d evicted; want 1, 0", open, evicted)
	}
	// Fill it again and close the listener while Accept waits.
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	<-accepted
	time.Sleep(50 * time.Millisecond)
	l.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake Accept")
	}
}

// A request with no Host header at all (HTTP/1.0 allows it) is refused
// like a foreign one: 421, the handler never reached.
func TestGuardNoHostHeader(t *testing.T) {
	srv, reached := guarded(t)
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "GET /api/modules HTTP/1.0\r\nAuthorization: Bearer %s\r\n\r\n", testToken)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest || reached.Load() != 0 {
		t.Errorf("no Host: status %d, handler reached %d times; want 421 and 0", resp.StatusCode, reached.Load())
	}
}
