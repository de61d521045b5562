package platform

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"time"

	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// Message is one uplink as the platform stored it.
type Message struct {
	Seq         uint64    // per endpoint, from 1
	Time        time.Time // when the platform received it
	Endpoint    string    // the ep= query
	Payload     []byte
	Source      net.Addr // UDP source: the gateway's NAT socket for the device
	Confirmable bool     // sent as CON (else NON)
}

// MarshalJSON gives the form GET /api/devices/{ep}/messages returns.
func (m Message) MarshalJSON() ([]byte, error) {
	src := ""
	if m.Source != nil {
		src = m.Source.String()
	}
	typ := "NON"
	if m.Confirmable {
		typ = "CON"
	}
	return json.Marshal(struct {
		Seq        uint64    `json:"seq"`
		Time       time.Time `json:"time"`
		PayloadHex string    `json:"payload_hex"`
		Size       int       `json:"size"`
		Source     string    `json:"source"`
		Type       string    `json:"type"`
	}{m.Seq, m.Time.UTC(), hex.EncodeToString(m.Payload), len(m.Payload), src, typ})
}

// CommandStatus is where a downlink command is in its life:
//
//	queued → sent → delivered | failed
//	sent → queued (no answer within the exchange window; resent after the
//	               endpoint's next uplink)
type CommandStatus int

const (
	// Queued: waiting to be sent (endpoint never seen, another command in
	// flight, or the last exchange timed out and no uplink came since).
	Queued CommandStatus = iota
	// Sent: a CON is in flight and being retransmitted.
	Sent
	// Delivered: the device acknowledged (empty ACK or a 2.xx response).
	Delivered
	// Failed: the device answered with RST or a 4.xx/5.xx response; not
	// retried.
	Failed
)

var statusNames = [...]string{Queued: "queued", Sent: "sent", Delivered: "delivered", Failed: "failed"}

func (s CommandStatus) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("CommandStatus(%d)", int(s))
}

// MarshalText writes the status name.
func (s CommandStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Command is one downlink command.
type Command struct {
	ID       uint64 // unique in the platform, from 1
	Endpoint string
	Payload  []byte
	Status   CommandStatus
	Created  time.Time
	SentAt   time.Time // last transmission started; zero if never sent
	DoneAt   time.Time // delivered or failed; zero before
	Attempts int       // CON exchanges started
	Response string    // CoAP answer of the last exchange: "ACK", "RST" or a code such as "2.04"
	Error    string    // why the last exchange did not deliver, if it did not
}

// MarshalJSON gives the form GET /api/devices/{ep}/commands returns.
func (c Command) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID         uint64        `json:"id"`
		Endpoint   string        `json:"ep"`
		PayloadHex string        `json:"payload_hex"`
		Size       int           `json:"size"`
		Status     CommandStatus `json:"status"`
		Created    time.Time     `json:"created"`
		SentAt     *time.Time    `json:"sent_at,omitempty"`
		DoneAt     *time.Time    `json:"done_at,omitempty"`
		Attempts   int           `json:"attempts"`
		Response   string        `json:"response,omitempty"`
		Error      string        `json:"error,omitempty"`
	}{c.ID, c.Endpoint, hex.EncodeToString(c.Payload), len(c.Payload), c.Status,
		c.Created.UTC(), timePtr(c.SentAt), timePtr(c.DoneAt), c.Attempts, c.Response, c.Error})
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// Device is the platform's view of one endpoint.
type Device struct {
	Endpoint         string
	FirstSeen        time.Time // zero: no uplink yet (only commands queued)
	LastSeen         time.Time
	LastAddr         net.Addr // source of the last uplink; nil before the first
	Uplinks          uint64   // uplinks received
	UplinksDropped   uint64   // oldest messages dropped to keep MaxMessages
	DownlinksPending int      // commands queued or sent
	State            map[string]any
}

// MarshalJSON gives the form GET /api/devices returns.
func (d Device) MarshalJSON() ([]byte, error) {
	var addr *string
	if d.LastAddr != nil {
		s := d.LastAddr.String()
		addr = &s
	}
	return json.Marshal(struct {
		Endpoint         string         `json:"ep"`
		FirstSeen        *time.Time     `json:"first_seen"`
		LastSeen         *time.Time     `json:"last_seen"`
		LastAddr         *string        `json:"last_addr"`
		Uplinks          uint64         `json:"uplinks"`
		UplinksDropped   uint64         `json:"uplinks_dropped"`
		DownlinksPending int            `json:"downlinks_pending"`
		State            map[string]any `json:"state,omitempty"`
	}{d.Endpoint, timePtr(d.FirstSeen), timePtr(d.LastSeen), addr, d.Uplinks, d.UplinksDropped, d.DownlinksPending, d.State})
}

// device is the mutable record behind Device; guarded by Platform.mu.
type device struct {
	ep        string
	firstSeen time.Time
	lastSeen  time.Time
	addr      *net.UDPAddr
	conn      *udpClient.Conn // go-coap connection of the last uplink
	uplinks   uint64
	dropped   uint64
	msgs      []Message   // oldest first, at most MaxMessages
	pending   []*Command  // queued or sent, FIFO; pending[0] is the one in flight, if any
	done      []*Command  // delivered or failed, oldest first, at most MaxMessages
	inflight  bool        // pending[0] is being sent
	redirect  func(error) // cancels the exchange in flight
	// blocked: the last exchange timed out; nothing is sent until the next
	// uplink.
	blocked bool
	waiting bool // in Platform.waiting

	// The binding: where ep's uplinks must come from while it lasts
	// (lastSeen + Config.Lifetime). bound is the source address (port 0:
	// any port of that IP); boundID, if set instead, the PSK identity of a
	// DTLS session.
	bound   netip.AddrPort
	boundID string
	boundBy string // "uplink", "Config.Bind" or "PSK identity"
	secure  bool   // the last uplink came over DTLS: conn is the session
	// lastActive: last uplink, command queued or finished; Config.Lifetime
	// after it, with nothing waiting, the endpoint is forgotten.
	lastActive time.Time
}

func (d *device) view() Device {
	v := Device{
		Endpoint:         d.ep,
		FirstSeen:        d.firstSeen,
		LastSeen:         d.lastSeen,
		Uplinks:          d.uplinks,
		UplinksDropped:   d.dropped,
		DownlinksPending: len(d.pending),
	}
	if d.addr != nil {
		v.LastAddr = d.addr
	}
	return v
}

// addMessage stores m, dropping the oldest messages beyond limit; it
// returns how many it dropped.
func (d *device) addMessage(m Message, limit int) int {
	n := len(d.msgs) - limit + 1
	if n > 0 {
		// Re-slicing keeps appends amortised O(1): append copies only the
		// live tail when it outgrows the array.
		d.dropped += uint64(n)
		clear(d.msgs[:n])
		d.msgs = d.msgs[n:]
	}
	d.msgs = append(d.msgs, m)
	return max(n, 0)
}

// dropOldestMessage drops one stored message to make room, if there is one.
func (d *device) dropOldestMessage() bool {
	if len(d.msgs) == 0 {
		return false
	}
	d.dropped++
	d.msgs[0] = Message{}
	d.msgs = d.msgs[1:]
	return true
}

// finish moves pending[0], c, to the finished commands, dropping the
// oldest beyond limit; it returns how many it dropped.
func (d *device) finish(c *Command, limit int) int {
	d.pending[0] = nil
	d.pending = d.pending[1:]
	n := len(d.done) - limit + 1
	if n > 0 {
		clear(d.done[:n])
		d.done = d.done[n:]
	}
	d.done = append(d.done, c)
	return max(n, 0)
}

func (c *Command) clone() Command {
	v := *c
	v.Payload = append([]byte(nil), c.Payload...)
	return v
}
