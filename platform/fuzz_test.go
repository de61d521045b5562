package platform

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/udp/coder"
)

// Fuzz limits: small, so that inputs reach them.
const (
	fuzzMaxEndpoints = 4
	fuzzMaxStored    = 8
	fuzzMaxMessages  = 3
)

// fuzzSource is the source address that selector s picks: six ports on
// 127.0.0.1, one on 127.0.0.2 and one on ::1.
func fuzzSource(s byte) netip.AddrPort {
	switch s % 8 {
	case 6:
		return netip.MustParseAddrPort("127.0.0.2:40000")
	case 7:
		return netip.MustParseAddrPort("[::1]:40000")
	}
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 40000+uint16(s%8))
}

// hookedEP is bound by Config.Bind to 127.0.0.1 (any port), as an emulated
// module's endpoint; pskEP is a PSK identity (never accepted over plain
// CoAP).
const (
	hookedEP = "866000000000001"
	pskEP    = "866000000000009"
)

// encodeUplink is one fuzz record: a source selector, a length and a CoAP
// datagram.
func encodeUplink(src byte, typ message.Type, code codes.Code, mid int32, path string, queries []string, payload []byte) []byte {
	var opts message.Options
	if path != "" {
		opts = append(opts, message.Option{ID: message.URIPath, Value: []byte(path[1:2])})
		opts = append(opts, message.Option{ID: message.URIPath, Value: []byte(path[3:])})
	}
	for _, q := range queries {
		opts = append(opts, message.Option{ID: message.URIQuery, Value: []byte(q)})
	}
	m := message.Message{Type: typ, Code: code, MessageID: mid, Token: message.Token{1, 2}, Options: opts, Payload: payload}
	buf := make([]byte, 2048)
	n, err := coder.DefaultCoder.Encode(m, buf)
	if err != nil {
		panic(err)
	}
	return append([]byte{src, byte(n >> 8), byte(n)}, buf[:n]...)
}

// FuzzUplink feeds the CoAP uplink handler sequences of raw datagrams, each
// from a source the input picks. Invariants: no panic; only the documented
// answer codes; the limits hold (endpoints, stored messages, per-endpoint
// history); an endpoint stays bound to the source of its first stored
// uplink (Config.Bind's endpoint to its IP, a PSK identity to nothing over
// plain CoAP): no stored uplink of an endpoint comes from elsewhere.
func FuzzUplink(f *testing.F) {
	up := func(src byte, ep string, payload string) []byte {
		return encodeUplink(src, message.Confirmable, codes.POST, int32(src)+1, DataPath, []string{"ep=" + ep}, []byte(payload))
	}
	f.Add(up(0, "dev", "hello"))
	f.Add(append(up(0, "dev", "a"), up(1, "dev", "forged")...))
	f.Add(append(append(up(2, hookedEP, "a"), up(6, hookedEP, "b")...), up(3, hookedEP, "c")...))
	f.Add(append(up(0, pskEP, "x"), up(7, "v6", "y")...))
	var flood []byte
	for i := range 6 {
		flood = append(flood, up(byte(i), fmt.Sprintf("ep%d", i), "zzzz")...)
	}
	f.Add(flood)
	f.Add(encodeUplink(0, message.NonConfirmable, codes.GET, 7, DataPath, []string{"ep=x"}, nil))
	f.Add(encodeUplink(0, message.Confirmable, codes.POST, 7, "/t/x", []string{"ep=x"}, []byte{1}))
	f.Add(encodeUplink(0, message.Confirmable, codes.POST, 7, DataPath, []string{"ep=a", "ep=b"}, []byte{1}))
	f.Add(encodeUplink(0, message.Confirmable, codes.POST, 7, DataPath, []string{"ep=a/b"}, make([]byte, MaxPayload+1)))
	f.Add([]byte{0, 0, 4, 0x40, 0x02, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		now := time.Unix(1_800_000_000, 0)
		stored := map[string]netip.AddrPort{} // endpoint → source of its first stored uplink
		var violation string
		cfg := Config{
			CoAPAddr:     "127.0.0.1:0",
			MaxEndpoints: fuzzMaxEndpoints,
			MaxStored:    fuzzMaxStored,
			MaxMessages:  fuzzMaxMessages,
			Now:          func() time.Time { return now },
			PSK:          map[string][]byte{pskEP: []byte("k")},
			Bind: func(ep string) (netip.AddrPort, bool) {
				return netip.MustParseAddrPort("127.0.0.1:0"), ep == hookedEP
			},
		}.filled()
		cfg.OnUplink = func(m Message) {
			src := m.Source.(interface{ AddrPort() netip.AddrPort }).AddrPort()
			src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
			switch first, seen := stored[m.Endpoint]; {
			case m.Endpoint == pskEP:
				violation = fmt.Sprintf("PSK identity %q stored from plain CoAP source %v", m.Endpoint, src)
			case m.Endpoint == hookedEP && src.Addr() != netip.MustParseAddr("127.0.0.1"):
				violation = fmt.Sprintf("Config.Bind endpoint stored from %v", src)
			case m.Endpoint != hookedEP && seen && first != src:
				violation = fmt.Sprintf("endpoint %q bound to %v stored an uplink from %v", m.Endpoint, first, src)
			case !seen:
				stored[m.Endpoint] = src
			}
		}
		p := newPlatform(cfg)
		defer p.cancel()
		for len(data) >= 3 {
			src, n := data[0], int(data[1])<<8|int(data[2])
			data = data[3:]
			if n > len(data) {
				n = len(data)
			}
			dgram := data[:n]
			data = data[n:]
			r := pool.NewMessage(context.Background())
			if _, err := r.UnmarshalWithDecoder(coder.DefaultCoder, dgram); err != nil {
				continue // go-coap drops what it cannot decode
			}
			_, code, diag := p.uplink(peer{addr: fuzzSource(src)}, r)
			switch code {
			case codes.Changed, codes.BadRequest, codes.Unauthorized, codes.NotFound,
				codes.MethodNotAllowed, codes.RequestEntityTooLarge, codes.ServiceUnavailable:
			default:
				t.Fatalf("answer %v (%q)", code, diag)
			}
			if code != codes.Changed && diag == "" {
				t.Fatalf("answer %v without a diagnostic", code)
			}
			if violation != "" {
				t.Fatal(violation)
			}
			s := p.Stats()
			if s.Endpoints > fuzzMaxEndpoints || s.Stored > fuzzMaxStored {
				t.Fatalf("limits exceeded: %+v", s)
			}
			total := 0
			p.mu.Lock()
			for ep, d := range p.devices {
				total += len(d.msgs) + len(d.done)
				if len(d.msgs) > fuzzMaxMessages {
					t.Errorf("endpoint %q keeps %d messages", ep, len(d.msgs))
				}
			}
			p.mu.Unlock()
			if total != s.Stored {
				t.Fatalf("Stats.Stored %d, but %d kept", s.Stored, total)
			}
		}
	})
}
