package platform

import (
	crand "crypto/rand"
	"fmt"
	"math"
	"math/rand/v2"
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
	DefaultAckTimeout      = 2 * time.Second // RFC 7252 ACK_TIMEOUT
	DefaultAckRandomFactor = 1.5             // RFC 7252 ACK_RANDOM_FACTOR
	DefaultMaxRetransmit   = 4               // RFC 7252 MAX_RETRANSMIT
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
	}
	return nil
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
