package platform

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxBody bounds a POST body: a 1024-byte payload is 2048 hex digits.
const maxBody = 64 << 10

func (p *Platform) routes() {
	p.mux.HandleFunc("GET /api/health", p.apiHealth)
	p.mux.HandleFunc("GET /api/devices", p.apiDevices)
	p.mux.HandleFunc("GET /api/devices/{ep}/messages", p.apiMessages)
	p.mux.HandleFunc("GET /api/devices/{ep}/commands", p.apiCommands)
	p.mux.HandleFunc("POST /api/devices/{ep}/commands", p.apiQueue)
	p.mux.HandleFunc("GET /api/stats", p.apiStats)
	p.mux.HandleFunc("DELETE /api/devices/{ep}/binding", p.apiUnbind)
	for path, allow := range map[string]string{
		"/api/health":                "GET, HEAD",
		"/api/stats":                 "GET, HEAD",
		"/api/devices":               "GET, HEAD",
		"/api/devices/{ep}/messages": "GET, HEAD",
		"/api/devices/{ep}/commands": "GET, HEAD, POST",
		"/api/devices/{ep}/binding":  "DELETE",
	} {
		p.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on %s; allowed: %s", r.Method, r.URL.Path, allow))
		})
	}
	p.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no route %s %s; see GET /api/devices", r.Method, r.URL.Path))
	})
}

func (p *Platform) apiHealth(w http.ResponseWriter, r *http.Request) {
	if !p.onlyQuery(w, r) {
		return
	}
	p.mu.Lock()
	n := len(p.devices)
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "coap_addr": p.CoAPAddr().String(), "devices": n})
}

func (p *Platform) apiStats(w http.ResponseWriter, r *http.Request) {
	if !p.onlyQuery(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, p.Stats())
}

func (p *Platform) apiUnbind(w http.ResponseWriter, r *http.Request) {
	if !p.onlyQuery(w, r) {
		return
	}
	ep, ok := p.knownEndpoint(w, r)
	if !ok {
		return
	}
	p.Unbind(ep)
	writeJSON(w, http.StatusOK, map[string]any{"ep": ep, "binding": "released; the next uplink binds it"})
}

func (p *Platform) apiDevices(w http.ResponseWriter, r *http.Request) {
	if !p.onlyQuery(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, p.Devices())
}

func (p *Platform) apiMessages(w http.ResponseWriter, r *http.Request) {
	if !p.onlyQuery(w, r, "since") {
		return
	}
	ep, ok := p.knownEndpoint(w, r)
	if !ok {
		return
	}
	var since uint64
	if s := r.URL.Query()["since"]; len(s) > 0 {
		v, err := strconv.ParseUint(s[0], 10, 64)
		if err != nil || len(s) > 1 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("since: %q; want one non-negative integer, a message seq (messages after it are listed)", strings.Join(s, ",")))
			return
		}
		since = v
	}
	writeJSON(w, http.StatusOK, p.messagesSince(ep, since))
}

func (p *Platform) apiCommands(w http.ResponseWriter, r *http.Request) {
	if !p.onlyQuery(w, r) {
		return
	}
	ep, ok := p.knownEndpoint(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, p.Commands(ep))
}

func (p *Platform) apiQueue(w http.ResponseWriter, r *http.Request) {
	if !p.onlyQuery(w, r) {
		return
	}
	ep := r.PathValue("ep")
	if err := checkEndpoint(ep); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body: larger than %d bytes", maxBody))
		return
	}
	payload, err := parseCommand(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	id, err := p.Queue(ep, payload)
	switch {
	case errors.Is(err, ErrQueueFull), errors.Is(err, ErrLimit):
		writeError(w, http.StatusInsufficientStorage, err.Error())
		return
	case errors.Is(err, ErrClosed):
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	for _, c := range p.Commands(ep) {
		if c.ID == id {
			writeJSON(w, http.StatusAccepted, c)
			return
		}
	}
	// Finished and already pushed out of the history: report it by ID.
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id})
}

// onlyQuery answers 400 and returns false when the request has a query
// parameter not in allowed.
func (p *Platform) onlyQuery(w http.ResponseWriter, r *http.Request, allowed ...string) bool {
	for k := range r.URL.Query() {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			list := "none"
			if len(allowed) > 0 {
				list = strings.Join(allowed, ", ")
			}
			writeError(w, http.StatusBadRequest, fmt.Sprintf("query parameter %q not known here; allowed: %s", k, list))
			return false
		}
	}
	return true
}

// knownEndpoint answers 400 for a malformed {ep} and 404 for one the
// platform has never heard of.
func (p *Platform) knownEndpoint(w http.ResponseWriter, r *http.Request) (string, bool) {
	ep := r.PathValue("ep")
	if err := checkEndpoint(ep); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return "", false
	}
	p.mu.Lock()
	_, ok := p.devices[ep]
	p.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("ep: no device %q (it has sent no uplink and has no commands)", ep))
		return "", false
	}
	return ep, true
}

// commandBody is the JSON of POST /api/devices/{ep}/commands.
type commandBody struct {
	PayloadHex *string `json:"payload_hex"`
	Payload    *string `json:"payload"`
}

// parseCommand decodes a command body into the payload bytes. Its errors are
// *FieldError naming the field at fault.
func parseCommand(body []byte) ([]byte, error) {
	const want = `want a JSON object with "payload_hex" (hex digits) or "payload" (text)`
	bad := func(field, reason string) error { return &FieldError{Field: field, Reason: reason} }
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var b commandBody
	if err := dec.Decode(&b); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return nil, bad("body", "empty; "+want)
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return nil, bad(typeErr.Field, fmt.Sprintf("a JSON %s; want a string", typeErr.Value))
		case errors.As(err, &typeErr):
			return nil, bad("body", fmt.Sprintf("a JSON %s; %s", typeErr.Value, want))
		case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
			return nil, bad("body", fmt.Sprintf("not valid JSON (%v); %s", err, want))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
			if name == "" {
				return nil, bad("body", `unknown field ""; allowed: "payload_hex", "payload"`)
			}
			return nil, bad(name, `unknown field; allowed: "payload_hex", "payload"`)
		default:
			return nil, bad("body", fmt.Sprintf("%v; %s", err, want))
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, bad("body", "more after the JSON object; "+want)
	}
	switch {
	case b.PayloadHex != nil && b.Payload != nil:
		return nil, bad("payload_hex", `give "payload_hex" or "payload", not both`)
	case b.Payload != nil:
		if err := checkPayload("payload", len(*b.Payload)); err != nil {
			return nil, err
		}
		return []byte(*b.Payload), nil
	case b.PayloadHex != nil:
		s := *b.PayloadHex
		// Bound the length before decoding, so a huge value costs nothing.
		if n := (len(s) + 1) / 2; n > MaxPayload {
			return nil, checkPayload("payload_hex", n)
		}
		payload, err := hex.DecodeString(s)
		var inv hex.InvalidByteError
		switch {
		case errors.As(err, &inv):
			what := fmt.Sprintf("byte 0x%02x", byte(inv))
			if inv >= 0x20 && inv < 0x7f {
				what = fmt.Sprintf("%q", rune(inv))
			}
			return nil, bad("payload_hex", fmt.Sprintf("%s at offset %d is not a hex digit; allowed: 0-9 a-f A-F", what, strings.IndexByte(s, byte(inv))))
		case err != nil:
			return nil, bad("payload_hex", fmt.Sprintf("%d hex digits, an odd number; want two per byte, e.g. \"01ff\"", len(s)))
		}
		if err := checkPayload("payload_hex", len(payload)); err != nil {
			return nil, err
		}
		return payload, nil
	}
	return nil, bad("body", "no payload; "+want)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]string{"error": "cannot encode the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
