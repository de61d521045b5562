package platform

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// commandBodies are bodies of POST /api/devices/{ep}/commands with the
// field the error must name ("" for a good body). They seed the fuzz test.
var commandBodies = []struct {
	body  string
	field string // named at the start of the error
}{
	{`{"payload_hex":"cafe"}`, ""},
	{`{"payload_hex":"CAFE"}`, ""},
	{`{"payload":"open valve"}`, ""},
	{` {"payload_hex":"00"} ` + "\n", ""},
	{`{"payload_hex":"` + strings.Repeat("ab", MaxPayload) + `"}`, ""},
	{`{"payload":"x","payload_hex":null}`, ""},
	{``, "body"},
	{`{`, "body"},
	{`{"payload_hex":"cafe"`, "body"},
	{`[]`, "body"},
	{`"cafe"`, "body"},
	{`null`, "body"},
	{`{}`, "body"},
	{`{} {}`, "body"},
	{`{"payload_hex":"00"}x`, "body"},
	{`{"payload_hex":"abc"}`, "payload_hex"},
	{`{"payload_hex":"zz"}`, "payload_hex"},
	{`{"payload_hex":"0\u00e9"}`, "payload_hex"},
	{`{"payload_hex":""}`, "payload_hex"},
	{`{"payload_hex":"` + strings.Repeat("ab", MaxPayload+1) + `"}`, "payload_hex"},
	{`{"payload_hex":12}`, "payload_hex"},
	{`{"payload":""}`, "payload"},
	{`{"payload":1}`, "payload"},
	{`{"payload":"` + strings.Repeat("x", MaxPayload+1) + `"}`, "payload"},
	{`{"payload":"x","payload_hex":"00"}`, "payload_hex"},
	{`{"data":"x"}`, "data"},
	{`{"payload_hex":"00","extra":1}`, "extra"},
}

func TestParseCommand(t *testing.T) {
	for _, tc := range commandBodies {
		payload, err := parseCommand([]byte(tc.body))
		name := tc.body
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		if tc.field == "" {
			if err != nil || len(payload) == 0 {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: error %v, want one naming %q", name, err, tc.field)
		} else if !strings.HasPrefix(err.Error(), tc.field+": ") || len(fe.Reason) < 10 {
			t.Errorf("%s: error %q does not say what is allowed", name, err)
		}
	}
}

func TestAPIErrors(t *testing.T) {
	h := start(t, func(c *Config) { c.MaxPending = 2 })
	if _, err := h.p.Queue("known", []byte{1}); err != nil { // never seen: stays queued
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, target, body string
		status               int
		want                 string // in the error text
	}{
		{"GET", "/api/nope", "", 404, "no route"},
		{"GET", "/api/devices/known", "", 404, "no route"},
		{"GET", "/api/devices/known/messages/1", "", 404, "no route"},
		{"DELETE", "/api/devices", "", 405, "allowed: GET"},
		{"POST", "/api/health", "", 405, "allowed: GET"},
		{"PUT", "/api/devices/known/commands", "", 405, "allowed: GET, HEAD, POST"},
		{"POST", "/api/devices/known/messages", "", 405, "allowed: GET"},
		{"GET", "/api/devices/unknown/messages", "", 404, `no device "unknown"`},
		{"GET", "/api/devices/unknown/commands", "", 404, `no device "unknown"`},
		{"GET", "/api/devices/bad%21ep/messages", "", 400, "ep: character '!'"},
		{"POST", "/api/devices/bad%20ep/commands", `{"payload":"x"}`, 400, "ep: character ' '"},
		{"POST", "/api/devices/" + strings.Repeat("9", 65) + "/commands", `{"payload":"x"}`, 400, "ep: 65 characters"},
		{"GET", "/api/devices/known/messages?since=abc", "", 400, "since:"},
		{"GET", "/api/devices/known/messages?since=-1", "", 400, "since:"},
		{"GET", "/api/devices/known/messages?since=1&since=2", "", 400, "since:"},
		{"GET", "/api/devices/known/messages?from=1", "", 400, `"from" not known here; allowed: since`},
		{"GET", "/api/devices?x=1", "", 400, `"x" not known here; allowed: none`},
		{"POST", "/api/devices/known/commands", ``, 400, "body: empty"},
		{"POST", "/api/devices/known/commands", `{"payload_hex":"abc"}`, 400, "payload_hex: 3 hex digits"},
		{"POST", "/api/devices/known/commands", `{"payload_hex":"zz"}`, 400, `payload_hex: 'z' at offset 0`},
		{"POST", "/api/devices/known/commands", `{"payload":"` + strings.Repeat("x", 1025) + `"}`, 400, "payload: 1025 bytes; at most 1024"},
		{"POST", "/api/devices/known/commands", `{"payload":"x","payload_hex":"00"}`, 400, "not both"},
		{"POST", "/api/devices/known/commands", `{"msg":"x"}`, 400, `msg: unknown field; allowed: "payload_hex", "payload"`},
		{"POST", "/api/devices/known/commands", strings.Repeat(" ", maxBody+1), 413, "body: larger than"},
		{"POST", "/api/devices/known/commands", `{"payload":"second"}`, 202, ""},
		{"POST", "/api/devices/known/commands", `{"payload":"third"}`, 507, "(limit 2)"},
	} {
		var out map[string]any
		status := h.api(t, tc.method, tc.target, tc.body, &out)
		if status != tc.status {
			t.Errorf("%s %s: status %d, want %d (%v)", tc.method, tc.target, status, tc.status, out)
			continue
		}
		msg, _ := out["error"].(string)
		if tc.want != "" && !strings.Contains(msg, tc.want) {
			t.Errorf("%s %s: error %q, want it to contain %q", tc.method, tc.target, msg, tc.want)
		}
		if tc.want == "" && msg != "" {
			t.Errorf("%s %s: unexpected error %q", tc.method, tc.target, msg)
		}
	}
	// 405 names the allowed methods in Allow, too.
	rec := httptest.NewRecorder()
	h.p.Handler().ServeHTTP(rec, httptest.NewRequest("DELETE", "/api/devices/known/commands", nil))
	if got := rec.Header().Get("Allow"); got != "GET, HEAD, POST" {
		t.Errorf("Allow: %q", got)
	}
}

// Routes mounted with Handle sit beside the API; the API's catch-all 404
// covers only /api/.
func TestHandleExtraRoutes(t *testing.T) {
	h := start(t)
	h.p.HandleFunc("GET /api/emulator/devices", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, []string{"module-1"})
	})
	h.p.Handle("/ui/", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ui")) }))
	var out []string
	if code := h.api(t, "GET", "/api/emulator/devices", "", &out); code != 200 || len(out) != 1 {
		t.Errorf("mounted API route: %d %v", code, out)
	}
	rec := httptest.NewRecorder()
	h.p.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/ui/x", nil))
	if rec.Code != 200 || rec.Body.String() != "ui" {
		t.Errorf("mounted /ui/: %d %q", rec.Code, rec.Body)
	}
}

// FuzzParseCommand: any body either decodes to 1..MaxPayload bytes or
// fails with a FieldError; a payload_hex body gives back its bytes.
func FuzzParseCommand(f *testing.F) {
	for _, tc := range commandBodies {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		payload, err := parseCommand(body)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field == "" || fe.Reason == "" {
				t.Fatalf("error %v (%T) is not a FieldError naming a field", err, err)
			}
			return
		}
		if len(payload) == 0 || len(payload) > MaxPayload {
			t.Fatalf("accepted a %d-byte payload", len(payload))
		}
	})
}

// FuzzPayloadHexRoundTrip: the hex of any allowed payload, in either case,
// parses back to it.
func FuzzPayloadHexRoundTrip(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte("open valve"))
	f.Add(bytes.Repeat([]byte{0xff}, MaxPayload))
	f.Fuzz(func(t *testing.T, payload []byte) {
		if len(payload) == 0 || len(payload) > MaxPayload {
			return
		}
		for _, s := range []string{hex.EncodeToString(payload), strings.ToUpper(hex.EncodeToString(payload))} {
			got, err := parseCommand([]byte(`{"payload_hex":"` + s + `"}`))
			if err != nil || !bytes.Equal(got, payload) {
				t.Fatalf("%s: got %x, %v", s, got, err)
			}
		}
	})
}
