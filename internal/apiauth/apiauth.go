// Package apiauth guards nbsim's HTTP control APIs (the emulator's control
// API and the built-in platform's API, served together by `nbsim
// emulate`): a bearer token on every request, a Host header that names
// this server, no foreign Origin, and application/json for every request
// that changes state. It also hardens the http.Server that serves them
// (timeouts, header and body sizes, a bound on connections).
//
// Who this keeps out: other local users and processes without the token,
// and web pages in a browser on the same machine (CSRF: a page can send a
// text/plain POST without a preflight, but not an Authorization header or
// a JSON content type; DNS rebinding: the page's requests carry its own
// host name in Host). See docs/emulate.md, "Control API".
package apiauth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// EnvToken is the environment variable that gives the token when no flag
// does.
const EnvToken = "NBSIM_API_TOKEN"

// TokenBytes is the size of a generated token before hex encoding (256
// bits of crypto/rand).
const TokenBytes = 32

// MinTokenLen is the shortest token accepted from a flag, the environment
// or a file: shorter ones are guessable.
const MinTokenLen = 16

// Guard is the check in front of an API. The zero value is not usable;
// make one with New.
type Guard struct {
	sum [sha256.Size]byte // of the token: compared in constant time
}

// New returns a guard for token, which must be at least MinTokenLen
// printable ASCII characters without spaces.
func New(token string) (*Guard, error) {
	if err := checkToken(token); err != nil {
		return nil, err
	}
	return &Guard{sum: sha256.Sum256([]byte(token))}, nil
}

func checkToken(t string) error {
	if len(t) < MinTokenLen {
		return fmt.Errorf("the token has %d characters; at least %d are required", len(t), MinTokenLen)
	}
	for _, c := range []byte(t) {
		if c <= ' ' || c > '~' {
			return errors.New("the token may hold printable ASCII characters only, no spaces")
		}
	}
	return nil
}

// Generate returns a new random token: TokenBytes from crypto/rand, hex.
func Generate() (string, error) {
	b := make([]byte, TokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// DefaultTokenFile is where a generated token is written when no
// --api-token-file is given: $XDG_RUNTIME_DIR/nbsim/api-token (a per-user
// directory that is cleared at logout), else the user's configuration
// directory (os.UserConfigDir)/nbsim/api-token.
func DefaultTokenFile() (string, error) {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "nbsim", "api-token"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no place for the API token file (%v): give --api-token-file", err)
	}
	return filepath.Join(d, "nbsim", "api-token"), nil
}

// WriteTokenFile writes token to path, readable and writable by the user
// only (0600; its directory, if created, 0700). The file is written beside
// path and renamed over it, so a reader never sees half a token and a file
// that others could read is replaced, not reused.
func WriteTokenFile(path, token string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".api-token-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.WriteString(token + "\n")
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// RemoveTokenFile removes path if it still holds token (another server
// may have written its own since).
func RemoveTokenFile(path, token string) {
	b, err := os.ReadFile(path)
	if err == nil && strings.TrimSpace(string(b)) == token {
		os.Remove(path)
	}
}

// Resolve decides the token of a server: flagToken if set, else the
// environment's EnvToken, else a new one written to file (default:
// DefaultTokenFile). It returns the token and the file it was written to
// ("" when the token came from the flag or the environment).
func Resolve(flagToken, file string) (token, written string, err error) {
	if flagToken != "" {
		if err := checkToken(flagToken); err != nil {
			return "", "", fmt.Errorf("--api-token: %v", err)
		}
		return flagToken, "", nil
	}
	if t := os.Getenv(EnvToken); t != "" {
		if err := checkToken(t); err != nil {
			return "", "", fmt.Errorf("%s: %v", EnvToken, err)
		}
		return t, "", nil
	}
	if file == "" {
		if file, err = DefaultTokenFile(); err != nil {
			return "", "", err
		}
	}
	if token, err = Generate(); err != nil {
		return "", "", fmt.Errorf("generating the API token: %v", err)
	}
	if err := WriteTokenFile(file, token); err != nil {
		return "", "", fmt.Errorf("--api-token-file %s: %v", file, err)
	}
	return token, file, nil
}

// Why a request was refused; the body of the answer says the same in JSON.
var (
	errHost   = errors.New("the Host header names another server: use localhost, 127.0.0.1, [::1] or the address the API is bound to")
	errOrigin = errors.New("cross-origin request refused: the API is not for web pages")
	errToken  = errors.New(`missing or wrong API token: send "Authorization: Bearer <token>" (the token file's path is printed at start)`)
	errType   = errors.New("Content-Type must be application/json for POST, PUT, PATCH and DELETE")
)

// Status codes of refusals (documented in docs/emulate.md).
const (
	StatusBadHost   = http.StatusMisdirectedRequest // 421
	StatusBadOrigin = http.StatusForbidden          // 403
	StatusNoToken   = http.StatusUnauthorized       // 401
	StatusBadType   = http.StatusUnsupportedMediaType
)

// Wrap returns h behind the guard. Checks, in order: Host (421), Origin
// (403), token (401, with WWW-Authenticate: Bearer), Content-Type of a
// state-changing request (415). A refused request reaches no handler, so
// it changes nothing. Request bodies are limited to MaxBody.
func (g *Guard) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Cache-Control", "no-store")
		hdr.Set("X-Content-Type-Options", "nosniff")
		local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		if !hostAllowed(r.Host, local) {
			refuse(w, StatusBadHost, errHost)
			return
		}
		if o := r.Header.Values("Origin"); len(o) > 0 && !originAllowed(o, r.Host) {
			refuse(w, StatusBadOrigin, errOrigin)
			return
		}
		if !g.tokenOK(r) {
			hdr.Set("WWW-Authenticate", `Bearer realm="nbsim"`)
			refuse(w, StatusNoToken, errToken)
			return
		}
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				refuse(w, StatusBadType, errType)
				return
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		h.ServeHTTP(w, r)
	})
}

func (g *Guard) tokenOK(r *http.Request) bool {
	v := r.Header.Values("Authorization")
	if len(v) != 1 {
		return false
	}
	scheme, tok, ok := strings.Cut(v[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return subtle.ConstantTimeCompare(sum[:], g.sum[:]) == 1
}

// hostAllowed: the Host header names this server. Names other than
// localhost are refused (a DNS-rebinding page's requests carry its own
// name); IP literals are accepted if they are loopback or the address the
// connection came in on. A port, if given, must be the server's.
func hostAllowed(host string, local net.Addr) bool {
	name, port := host, ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		name, port = h, p
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		name = host[1 : len(host)-1]
	}
	var lap netip.AddrPort
	if ta, ok := local.(*net.TCPAddr); ok {
		lap = ta.AddrPort()
	}
	if port != "" && lap.IsValid() && port != strconv.Itoa(int(lap.Port())) {
		return false
	}
	if strings.EqualFold(name, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(name)
	if err != nil || a.Zone() != "" {
		return false
	}
	a = a.Unmap()
	return a.IsLoopback() || (lap.IsValid() && a == lap.Addr().Unmap())
}

// originAllowed: every Origin header is this server itself (http, the
// same host as the request's Host). Browsers send "null" from sandboxed
// and file pages: refused.
func originAllowed(origins []string, host string) bool {
	for _, o := range origins {
		u, err := url.Parse(o)
		if err != nil || u.Scheme != "http" || !strings.EqualFold(u.Host, host) {
			return false
		}
	}
	return true
}

func refuse(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}
