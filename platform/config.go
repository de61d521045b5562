package platform

import (
	crand "crypto/rand"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"time"
)

// Defaults. The listen addresses are for the caller: [New] needs CoAPAddr
// set and runs no HTTP listener when APIAddr is empty.
const (
	DefaultCoAPAddr = "127.0.0.1:5683"
	DefaultAPIAddr  = "127.0.0.1:8080"

	// MaxPayload is the largest command payload, in bytes; uplinks longer
	// than this are refused with 4.13 Request Entity Too Large.
	MaxPayload = 1024

	DefaultMaxMessages     = 1000
	DefaultMaxPending      = 100
	DefaultMaxEndpoints    = 10000
	DefaultMaxCommands     = 10000  // commands waiting, all endpoints together
	DefaultMaxStored       = 100000 // uplinks and finished commands kept, all endpoints together
	DefaultMaxExchanges    = 1000   // downlink CON exchanges in flight at once
	DefaultLifetime        = 24 * time.Hour
	DefaultCoAPIdle        = 16 * time.Second // go-coap's own default
	DefaultAckTimeout      = 2 * time.Second  // RFC 7252 ACK_TIMEOUT
	DefaultAckRandomFactor = 1.5              // RFC 7252 ACK_RANDOM_FACTOR
	DefaultMaxRetransmit   = 4                // RFC 7252 MAX_RETRANSMIT
)

// Config configures a [Platform]. Zero fields take the defaults above.
//
// The hooks (DeviceState, OnUplink, OnCommand, Logf) are called from the
// platform's goroutines, outside its locks: they may call the platform's
// methods, except Close, and should return quickly (a slow hook delays the
// CoAP traffic behind it).
type Config struct {
	// CoAPAddr is the UDP address the CoAP server listens on, e.g.
	// DefaultCoAPAddr; port 0 picks a free port (see Platform.CoAPAddr).
	// Downlink is sent from this same socket. Required.
	CoAPAddr string
	// APIAddr is the TCP address of the HTTP API, e.g. DefaultAPIAddr;
	// port 0 picks a free port. Empty: no listener (serve Handler yourself).
	APIAddr string

	// MaxMessages bounds the uplink messages kept per endpoint (oldest
	// dropped first and counted) and, separately, the finished commands kept
	// per endpoint. Default DefaultMaxMessages.
	MaxMessages int
	// MaxPending bounds the commands waiting (queued or sent) per endpoint;
	// Queue returns ErrQueueFull beyond it. Default DefaultMaxPending.
	MaxPending int

	// Limits on what a stranger can create (the CoAP side is open to any
	// local process). Past MaxEndpoints a new endpoint is refused (CoAP
	// 5.03 Service Unavailable, HTTP 507 Insufficient Storage, Queue
	// ErrLimit); past MaxCommands a new command is refused (507, ErrLimit);
	// past MaxStored an endpoint's uplink replaces its own oldest stored
	// message, and one with nothing stored is refused (5.03). Each refusal
	// is counted in Stats.
	MaxEndpoints int // default DefaultMaxEndpoints
	MaxCommands  int // commands waiting on all endpoints; default DefaultMaxCommands
	MaxStored    int // uplinks + finished commands kept on all endpoints; default DefaultMaxStored
	// MaxExchanges bounds the downlink exchanges in flight at once; further
	// commands wait their turn. Default DefaultMaxExchanges.
	MaxExchanges int

	// Lifetime is how long an endpoint's binding lasts without an uplink
	// (see docs/platform.md, "Endpoint binding"): an uplink naming a bound
	// endpoint from another source is refused with 4.01 Unauthorized until
	// the endpoint has been silent this long. An endpoint without uplink
	// or command activity for Lifetime and with no command waiting is
	// forgotten (messages and finished commands too). Default
	// DefaultLifetime (24 h, as OMA LwM2M's default registration lifetime
	// of 86400 s and the gateway's NAT idle timeout).
	Lifetime time.Duration

	// CoAPIdle: the state the CoAP servers keep for a source address (its
	// go-coap connection, with the answers cached for deduplication, RFC
	// 7252 §4.5) is dropped once the source has been silent this long.
	// Default DefaultCoAPIdle.
	CoAPIdle time.Duration

	// Bind, if set, tells the platform where ep's uplinks must come from:
	// ok true binds ep to that source, IP and port (port 0: the IP, any
	// port), instead of the source of its first uplink. The emulator sets
	// it to the gateway's NAT socket of the module whose IMEI is ep, so a
	// module that re-attaches or reopens its socket keeps its endpoint and
	// no other local process can take it. ok false: ep is not one the hook
	// knows; the default binding applies. Called outside the platform's
	// locks, once per uplink.
	Bind func(ep string) (src netip.AddrPort, ok bool)

	// DTLSAddr, if set, is a UDP address for CoAP over DTLS 1.2 with
	// pre-shared keys (RFC 7252 §9.1.3.1, TLS_PSK_WITH_AES_128_CCM_8;
	// port 5684 is CoAPS's). PSK must then hold at least one key. An
	// endpoint whose uplink comes over DTLS is bound to the PSK identity
	// that opened the session; an endpoint name that is itself a PSK
	// identity is accepted only over DTLS with that identity.
	DTLSAddr string
	// PSK maps PSK identities to keys (1 to 64 bytes each).
	PSK map[string][]byte

	// WrapAPI, if set, wraps the platform's whole HTTP handler once, in
	// New (the emulator passes its bearer-token and Host guard here).
	// Handler returns the wrapped handler.
	WrapAPI func(http.Handler) http.Handler
	// HTTP server limits; zero fields take the defaults in http.go.
	HTTP HTTPLimits

	// CoAP retransmission of downlink CONs (RFC 7252 §4.8). A command whose
	// exchange gets no answer within ExchangeWindow() goes back to queued.
	AckTimeout      time.Duration // default DefaultAckTimeout
	AckRandomFactor float64       // default DefaultAckRandomFactor; >= 1
	MaxRetransmit   int           // default DefaultMaxRetransmit; 1..20

	// Rand is the source of CoAP message IDs and tokens. Nil: a ChaCha8
	// source seeded from crypto/rand. Pass a fixed source for reproducible
	// exchanges.
	Rand rand.Source
	// Now stamps messages and commands. Nil: time.Now.
	Now func() time.Time

	// DeviceState, if set, is called for each device listed by
	// GET /api/devices; a non-nil result appears as the device's "state"
	// (the emulator reports registration and PSM there).
	DeviceState func(ep string) map[string]any
	// OnUplink, if set, is called after each uplink message is stored.
	OnUplink func(Message)
	// OnCommand, if set, is called with a copy of a command each time it is
	// queued and each time its status changes.
	OnCommand func(Command)
	// Logf, if set, receives diagnostics (CoAP errors, HTTP server errors).
	Logf func(format string, args ...any)
}

// filled returns cfg with zero fields set to their defaults.
func (cfg Config) filled() Config {
	if cfg.MaxMessages == 0 {
		cfg.MaxMessages = DefaultMaxMessages
	}
	if cfg.MaxPending == 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if cfg.AckTimeout == 0 {
		cfg.AckTimeout = DefaultAckTimeout
	}
	if cfg.AckRandomFactor == 0 {
		cfg.AckRandomFactor = DefaultAckRandomFactor
	}
	if cfg.MaxRetransmit == 0 {
		cfg.MaxRetransmit = DefaultMaxRetransmit
	}
	if cfg.MaxEndpoints == 0 {
		cfg.MaxEndpoints = DefaultMaxEndpoints
	}
	if cfg.MaxCommands == 0 {
		cfg.MaxCommands = DefaultMaxCommands
	}
	if cfg.MaxStored == 0 {
		cfg.MaxStored = DefaultMaxStored
	}
	if cfg.MaxExchanges == 0 {
		cfg.MaxExchanges = DefaultMaxExchanges
	}
	if cfg.Lifetime == 0 {
		cfg.Lifetime = DefaultLifetime
	}
	if cfg.CoAPIdle == 0 {
		cfg.CoAPIdle = DefaultCoAPIdle
	}
	cfg.HTTP = cfg.HTTP.filled()
	if cfg.Rand == nil {
		var seed [32]byte
		_, _ = crand.Read(seed[:]) // never fails (crypto/rand.Read panics rather)
		cfg.Rand = rand.NewChaCha8(seed)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// validate names the first field of a filled Config that New cannot use.
func (cfg Config) validate() error {
	bad := func(field, reason string) error {
		return &FieldError{Field: "Config." + field, Reason: reason, Err: ErrBadConfig}
	}
	switch {
	case cfg.CoAPAddr == "":
		return bad("CoAPAddr", "required, a UDP host:port such as "+DefaultCoAPAddr+" (port 0 picks a free port)")
	case cfg.MaxMessages < 0:
		return bad("MaxMessages", fmt.Sprintf("%d, want a positive count (0 means %d)", cfg.MaxMessages, DefaultMaxMessages))
	case cfg.MaxPending < 0:
		return bad("MaxPending", fmt.Sprintf("%d, want a positive count (0 means %d)", cfg.MaxPending, DefaultMaxPending))
	case cfg.AckTimeout < time.Millisecond:
		return bad("AckTimeout", fmt.Sprintf("%v, want at least 1ms (0 means %v)", cfg.AckTimeout, DefaultAckTimeout))
	case !(cfg.AckRandomFactor >= 1 && cfg.AckRandomFactor <= 10):
		return bad("AckRandomFactor", fmt.Sprintf("%v, want 1 to 10 (0 means %v)", cfg.AckRandomFactor, DefaultAckRandomFactor))
	case cfg.MaxRetransmit < 1 || cfg.MaxRetransmit > 20:
		return bad("MaxRetransmit", fmt.Sprintf("%d, want 1 to 20 (0 means %d)", cfg.MaxRetransmit, DefaultMaxRetransmit))
	case cfg.MaxEndpoints < 0:
		return bad("MaxEndpoints", fmt.Sprintf("%d, want a positive count (0 means %d)", cfg.MaxEndpoints, DefaultMaxEndpoints))
	case cfg.MaxCommands < 0:
		return bad("MaxCommands", fmt.Sprintf("%d, want a positive count (0 means %d)", cfg.MaxCommands, DefaultMaxCommands))
	case cfg.MaxStored < 0:
		return bad("MaxStored", fmt.Sprintf("%d, want a positive count (0 means %d)", cfg.MaxStored, DefaultMaxStored))
	case cfg.MaxExchanges < 0:
		return bad("MaxExchanges", fmt.Sprintf("%d, want a positive count (0 means %d)", cfg.MaxExchanges, DefaultMaxExchanges))
	case cfg.Lifetime < time.Millisecond:
		return bad("Lifetime", fmt.Sprintf("%v, want at least 1ms (0 means %v)", cfg.Lifetime, DefaultLifetime))
	case cfg.CoAPIdle < time.Millisecond:
		return bad("CoAPIdle", fmt.Sprintf("%v, want at least 1ms (0 means %v)", cfg.CoAPIdle, DefaultCoAPIdle))
	case cfg.DTLSAddr != "" && len(cfg.PSK) == 0:
		return bad("PSK", "empty; DTLSAddr needs at least one identity and key")
	}
	for id, key := range cfg.PSK {
		switch {
		case id == "" || len(id) > 128:
			return bad("PSK", fmt.Sprintf("identity %q: want 1 to 128 bytes", id))
		case len(key) == 0 || len(key) > 64:
			return bad("PSK", fmt.Sprintf("identity %q: key of %d bytes; want 1 to 64", id, len(key)))
		}
	}
	return cfg.HTTP.validate(bad)
}

// ExchangeWindow is how long a downlink CON exchange waits for an answer
// before the command goes back to queued: RFC 7252 MAX_TRANSMIT_WAIT,
// AckTimeout × (2^(MaxRetransmit+1) − 1) × AckRandomFactor, plus the
// retransmission timer's granularity. 93 s with the defaults.
func (cfg Config) ExchangeWindow() time.Duration {
	c := cfg.filled()
	c.MaxRetransmit = min(max(c.MaxRetransmit, 1), 20) // as validate allows
	w := float64(c.AckTimeout) * float64(int64(1)<<(c.MaxRetransmit+1)-1) * c.AckRandomFactor
	w += float64(c.MaxRetransmit+2) * float64(c.tick())
	if w > math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(w)
}

// tick is how often go-coap's periodic runner checks for CONs to
// retransmit: a quarter of AckTimeout, between 5 ms and 500 ms (go-coap's
// own default is 4 s, which would stretch every timeout).
func (cfg Config) tick() time.Duration {
	return min(max(cfg.AckTimeout/4, 5*time.Millisecond), 500*time.Millisecond)
}
