// Package ppptest is a PPP client for tests: the host's side of a PPP
// link, as pppd is, written from RFC 1661 (LCP), RFC 1662 (framing),
// RFC 1332 and RFC 1877 (IPCP), RFC 1994 (CHAP) and RFC 1334 (PAP). It
// shares no code with package ppp, the module's side, so that a test of
// one against the other can find a misreading of the RFCs in either: its
// FCS is computed bit by bit, not from a table, and its negotiation is
// straight-line code, not an automaton. Only tests import it.
package ppptest

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sync"
	"time"
)

// Config is what the client asks for.
type Config struct {
	Magic uint32
	// ACFC and PFC: ask the module to compress the fields it sends.
	ACFC, PFC bool
	// ACCM is the map asked for (RFC 1662 §7.1); 0 is what pppd asks.
	ACCM uint32
	// Name and Secret answer CHAP or PAP.
	Name, Secret string
	// DNS: ask for the DNS servers too (RFC 1877).
	DNS bool
	// Log, if set, gets every packet sent and received.
	Log func(string)
}

// Client is one PPP session over a port.
type Client struct {
	cfg Config
	rw  io.ReadWriter

	wmu sync.Mutex

	mu         sync.Mutex
	addr       netip.Addr
	dns        []netip.Addr
	lcpOurs    bool // our LCP request acked
	lcpPeers   bool // the module's LCP request acked
	ipOurs     bool
	ipPeers    bool
	authOK     bool
	authWith   uint16 // protocol the module asked for (0: none)
	peerACFC   bool   // the module accepts compressed fields from us
	peerPFC    bool
	ipReqID    uint8
	ipOpts     []byte
	terminated bool
	rest       []byte
	up         chan struct{}
	upOnce     sync.Once
	dead       chan struct{}
	deadOnce   sync.Once
	ip         chan []byte
	errs       []string
}

// Dial runs LCP, authentication and IPCP over rw until IPCP is open or
// timeout; the client keeps reading rw until Close or rw's end.
func Dial(rw io.ReadWriter, cfg Config, timeout time.Duration) (*Client, error) {
	c := &Client{cfg: cfg, rw: rw, up: make(chan struct{}), dead: make(chan struct{}), ip: make(chan []byte, 64)}
	c.addr = netip.IPv4Unspecified()
	go c.readLoop()
	c.sendLCPReq(1)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	deadline := time.After(timeout)
	for {
		select {
		case <-c.up:
			return c, nil
		case <-c.dead:
			return c, fmt.Errorf("ppptest: link ended before IPCP opened: %v", c.Errors())
		case <-deadline:
			c.mu.Lock()
			st := fmt.Sprintf("LCP ours/peer's acked %v/%v, auth %#x ok %v, IPCP %v/%v", c.lcpOurs, c.lcpPeers, c.authWith, c.authOK, c.ipOurs, c.ipPeers)
			c.mu.Unlock()
			return c, fmt.Errorf("ppptest: no IPCP within %v (%s)", timeout, st)
		case <-tick.C:
			// retransmit what is not acked yet (RFC 1661 §4.6, Restart timer)
			c.mu.Lock()
			lcp, ip, reqID := c.lcpOurs, c.ipOurs, c.ipReqID
			ready := c.lcpOurs && c.lcpPeers && (c.authWith == 0 || c.authOK)
			c.mu.Unlock()
			if !lcp {
				c.sendLCPReq(1)
			} else if ready && !ip {
				c.sendIPCPReq(reqID)
			}
		}
	}
}

// Addr is the address IPCP gave.
func (c *Client) Addr() netip.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.addr
}

// DNS are the DNS servers IPCP gave.
func (c *Client) DNS() []netip.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]netip.Addr(nil), c.dns...)
}

// Errors are the protocol errors the client saw.
func (c *Client) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errs...)
}

// Dead is closed when the module terminated the link or rw ended.
func (c *Client) Dead() <-chan struct{} { return c.dead }

// SendIP sends an IPv4 packet.
func (c *Client) SendIP(pkt []byte) error {
	c.mu.Lock()
	pfc := c.peerPFC
	c.mu.Unlock()
	proto := []byte{0x00, 0x21}
	if pfc {
		proto = []byte{0x21}
	}
	return c.write(append(proto, pkt...), true)
}

// RecvIP waits for an IPv4 packet.
func (c *Client) RecvIP(timeout time.Duration) ([]byte, error) {
	select {
	case p := <-c.ip:
		return p, nil
	case <-time.After(timeout):
		return nil, errors.New("ppptest: no IP packet")
	case <-c.dead:
		return nil, errors.New("ppptest: link ended")
	}
}

// Terminate sends LCP Terminate-Request and waits for the link to end.
func (c *Client) Terminate(timeout time.Duration) error {
	c.sendCtl(0xc021, 5, 0x77, nil)
	select {
	case <-c.dead:
		return nil
	case <-time.After(timeout):
		return errors.New("ppptest: no Terminate-Ack")
	}
}

func (c *Client) logf(format string, args ...any) {
	if c.cfg.Log != nil {
		c.cfg.Log(fmt.Sprintf(format, args...))
	}
}

func (c *Client) fail(format string, args ...any) {
	c.mu.Lock()
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

// fcs16 is the FCS of RFC 1662 §C.1 computed bit by bit.
func fcs16(b []byte) uint16 {
	crc := uint16(0xffff)
	for _, x := range b {
		for i := 0; i < 8; i++ {
			bit := (uint16(x) >> i & 1) ^ (crc & 1)
			crc >>= 1
			if bit != 0 {
				crc ^= 0x8408
			}
		}
	}
	return ^crc
}

// write frames payload (the protocol field and information) and writes it.
// The address and control fields are left out only for data when the
// module accepts that; every control character is escaped.
func (c *Client) write(payload []byte, data bool) error {
	c.mu.Lock()
	acfc := c.peerACFC && data
	c.mu.Unlock()
	raw := payload
	if !acfc {
		raw = append([]byte{0xff, 0x03}, payload...)
	}
	f := fcs16(raw)
	raw = append(raw, byte(f), byte(f>>8))
	out := []byte{0x7e}
	for _, b := range raw {
		if b < 0x20 || b == 0x7d || b == 0x7e {
			out = append(out, 0x7d, b^0x20)
		} else {
			out = append(out, b)
		}
	}
	out = append(out, 0x7e)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.rw.Write(out)
	return err
}

func (c *Client) sendCtl(proto uint16, code, id byte, data []byte) {
	p := binary.BigEndian.AppendUint16(nil, proto)
	p = append(p, code, id)
	p = binary.BigEndian.AppendUint16(p, uint16(4+len(data)))
	p = append(p, data...)
	c.logf("sent %#04x code %d id %d %x", proto, code, id, data)
	c.write(p, false)
}

func (c *Client) sendLCPReq(id byte) {
	var o []byte
	o = append(o, 2, 6)
	o = binary.BigEndian.AppendUint32(o, c.cfg.ACCM)
	o = append(o, 5, 6)
	o = binary.BigEndian.AppendUint32(o, c.cfg.Magic)
	if c.cfg.PFC {
		o = append(o, 7, 2)
	}
	if c.cfg.ACFC {
		o = append(o, 8, 2)
	}
	c.sendCtl(0xc021, 1, id, o)
}

func (c *Client) sendIPCPReq(id byte) {
	c.mu.Lock()
	if c.ipOpts == nil {
		c.ipOpts = []byte{3, 6, 0, 0, 0, 0}
		if c.cfg.DNS {
			c.ipOpts = append(c.ipOpts, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0)
		}
	}
	opts := append([]byte(nil), c.ipOpts...)
	c.ipReqID = id
	c.mu.Unlock()
	c.sendCtl(0x8021, 1, id, opts)
}

// readLoop splits the stream into frames and answers them, until the
// link ends; what follows the last frame then is kept for Rest.
func (c *Client) readLoop() {
	defer c.deadOnce.Do(func() { close(c.dead) })
	buf := make([]byte, 4096)
	var fr []byte
	esc := false
	for {
		n, err := c.rw.Read(buf)
		for i, b := range buf[:n] {
			switch {
			case b == 0x7e:
				if len(fr) > 0 && !esc {
					c.frame(fr)
				}
				fr, esc = fr[:0], false
				c.mu.Lock()
				done := c.terminated
				if done {
					c.rest = append([]byte(nil), buf[i+1:n]...)
				}
				c.mu.Unlock()
				if done {
					return
				}
			case b == 0x7d:
				esc = true
			case esc:
				fr = append(fr, b^0x20)
				esc = false
			default:
				fr = append(fr, b)
			}
		}
		if err != nil {
			return
		}
	}
}

// Rest is what the port sent after the link ended (the module's NO
// CARRIER), once Dead is closed.
func (c *Client) Rest() []byte {
	<-c.dead
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rest
}

func (c *Client) frame(fr []byte) {
	if len(fr) < 4 {
		c.fail("frame of %d octets", len(fr))
		return
	}
	body, fcs := fr[:len(fr)-2], binary.LittleEndian.Uint16(fr[len(fr)-2:])
	if fcs16(body) != fcs {
		c.fail("bad FCS in %x", fr)
		return
	}
	if body[0] == 0xff && body[1] == 0x03 {
		body = body[2:]
	}
	var proto uint16
	if len(body) > 0 && body[0]&1 == 1 {
		proto, body = uint16(body[0]), body[1:]
	} else if len(body) >= 2 {
		proto, body = binary.BigEndian.Uint16(body), body[2:]
	} else {
		c.fail("no protocol field")
		return
	}
	if proto == 0x0021 {
		select {
		case c.ip <- append([]byte(nil), body...):
		default:
		}
		return
	}
	if len(body) < 4 || int(binary.BigEndian.Uint16(body[2:])) > len(body) || binary.BigEndian.Uint16(body[2:]) < 4 {
		c.fail("control packet %x of protocol %#04x too short", body, proto)
		return
	}
	code, id, data := body[0], body[1], body[4:binary.BigEndian.Uint16(body[2:])]
	c.logf("got %#04x code %d id %d %x", proto, code, id, data)
	switch proto {
	case 0xc021:
		c.lcp(code, id, data)
	case 0xc223:
		c.chap(code, id, data)
	case 0xc023:
		if code == 2 {
			c.authDone()
		}
	case 0x8021:
		c.ipcp(code, id, data)
	default:
		c.fail("unexpected protocol %#04x", proto)
	}
}

func (c *Client) lcp(code, id byte, data []byte) {
	switch code {
	case 1: // Configure-Request: take whatever the module asks
		var rej []byte
		c.mu.Lock()
		for o := data; len(o) >= 2 && int(o[1]) <= len(o) && o[1] >= 2; o = o[o[1]:] {
			switch o[0] {
			case 3:
				c.authWith = binary.BigEndian.Uint16(o[2:4])
				if c.authWith == 0xc223 && (o[1] != 5 || o[4] != 5) {
					rej = append(rej, o[:o[1]]...)
					c.authWith = 0
				}
			case 7:
				c.peerPFC = true
			case 8:
				c.peerACFC = true
			case 1, 2, 5:
			default:
				rej = append(rej, o[:o[1]]...)
			}
		}
		if len(rej) == 0 {
			c.lcpPeers = true
		}
		c.mu.Unlock()
		if len(rej) > 0 {
			c.sendCtl(0xc021, 4, id, rej)
			return
		}
		c.sendCtl(0xc021, 2, id, data)
		c.maybeAuth()
	case 2:
		c.mu.Lock()
		c.lcpOurs = true
		c.mu.Unlock()
		c.maybeAuth()
	case 3, 4:
		c.fail("LCP code %d to our request: %x", code, data)
	case 5: // Terminate-Request
		c.sendCtl(0xc021, 6, id, nil)
		c.end()
	case 6:
		c.end()
	case 9: // Echo-Request
		c.sendCtl(0xc021, 10, id, binary.BigEndian.AppendUint32(nil, c.cfg.Magic))
	case 10, 11:
	default:
		c.fail("LCP code %d", code)
	}
}

func (c *Client) end() {
	c.mu.Lock()
	c.terminated = true
	c.mu.Unlock()
	c.deadOnce.Do(func() { close(c.dead) })
}

// maybeAuth starts PAP, or IPCP, once both LCP requests are acked.
func (c *Client) maybeAuth() {
	c.mu.Lock()
	open := c.lcpOurs && c.lcpPeers
	with := c.authWith
	c.mu.Unlock()
	if !open {
		return
	}
	switch with {
	case 0:
		c.sendIPCPReq(1)
	case 0xc023:
		d := append([]byte{byte(len(c.cfg.Name))}, c.cfg.Name...)
		d = append(d, byte(len(c.cfg.Secret)))
		d = append(d, c.cfg.Secret...)
		c.sendCtl(0xc023, 1, 1, d)
	}
}

// chap answers a Challenge: MD5 of the Identifier, the secret and the
// challenge value (RFC 1994 §4.1).
func (c *Client) chap(code, id byte, data []byte) {
	switch code {
	case 1:
		if len(data) < 1 || int(data[0])+1 > len(data) {
			c.fail("bad CHAP challenge %x", data)
			return
		}
		h := md5.New()
		h.Write([]byte{id})
		h.Write([]byte(c.cfg.Secret))
		h.Write(data[1 : 1+data[0]])
		d := append([]byte{16}, h.Sum(nil)...)
		d = append(d, c.cfg.Name...)
		c.sendCtl(0xc223, 2, id, d)
	case 3:
		c.authDone()
	case 4:
		c.fail("CHAP failure")
	}
}

func (c *Client) authDone() {
	c.mu.Lock()
	first := !c.authOK
	c.authOK = true
	c.mu.Unlock()
	if first {
		c.sendIPCPReq(1)
	}
}

func (c *Client) ipcp(code, id byte, data []byte) {
	switch code {
	case 1: // the module's request: acknowledged as it is
		c.mu.Lock()
		c.ipPeers = true
		c.mu.Unlock()
		c.sendCtl(0x8021, 2, id, data)
	case 2:
		c.mu.Lock()
		ok := id == c.ipReqID && bytes.Equal(data, c.ipOpts)
		if ok {
			c.ipOurs = true
			c.dns = nil
			for o := data; len(o) >= 6; o = o[o[1]:] {
				a := netip.AddrFrom4([4]byte(o[2:6]))
				switch o[0] {
				case 3:
					c.addr = a
				case 129, 131:
					c.dns = append(c.dns, a)
				}
			}
		}
		c.mu.Unlock()
		if !ok {
			c.fail("IPCP Ack %x does not match our request", data)
		}
	case 3, 4: // Nak: take the values; Reject: drop the options
		c.mu.Lock()
		var opts []byte
		for o := c.ipOpts; len(o) >= 2; o = o[o[1]:] {
			keep := append([]byte(nil), o[:o[1]]...)
			for p := data; len(p) >= 2 && int(p[1]) <= len(p) && p[1] >= 2; p = p[p[1]:] {
				if p[0] == o[0] {
					if code == 4 {
						keep = nil
					} else {
						keep = append([]byte(nil), p[:p[1]]...)
					}
				}
			}
			opts = append(opts, keep...)
		}
		c.ipOpts = opts
		next := c.ipReqID + 1
		c.mu.Unlock()
		c.sendIPCPReq(next)
	default:
		c.fail("IPCP code %d", code)
	}
	c.mu.Lock()
	up := c.ipOurs && c.ipPeers
	c.mu.Unlock()
	if up {
		c.upOnce.Do(func() { close(c.up) })
	}
}
