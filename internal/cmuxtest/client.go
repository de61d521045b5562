// Package cmuxtest is the host's side of a TS 27.010 multiplexer (basic
// option) for tests, written from the specification as Zephyr's
// modem_cmux and Linux's n_gsm use it: it opens DLC 0 and then channels
// with SABM, sends UIH data, acknowledges the module's MSC commands, and
// closes down with CLD. It shares no code with package cmux, the
// module's side: its FCS is computed bit by bit, and it reads frames with
// a scanner of its own. Only tests import it.
package cmuxtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// fcs is 0xFF minus the reflected CRC-8 (x^8+x^2+x+1) of b, bit by bit
// (TS 27.010 §5.2.1.6 and Annex B).
func fcs(b []byte) byte {
	crc := byte(0xff)
	for _, x := range b {
		for i := 0; i < 8; i++ {
			bit := (x>>i)&1 ^ crc&1
			crc >>= 1
			if bit != 0 {
				crc ^= 0xe0
			}
		}
	}
	return 0xff - crc
}

// frame is a received frame.
type frame struct {
	addr, ctrl byte
	info       []byte
}

func (f frame) dlci() byte { return f.addr >> 2 }

// Client is the host's multiplexer.
type Client struct {
	rw  io.ReadWriter
	wmu sync.Mutex

	mu      sync.Mutex
	chans   map[byte]*Channel
	answers chan frame  // UA, DM
	ctl     chan []byte // control message responses
	msc     map[byte]byte
	errs    []string
	done    chan struct{}
	rest    []byte
}

// Channel is an open DLC: Write sends UIH frames, Read returns what the
// module sent on it.
type Channel struct {
	c    *Client
	dlci byte
	n1   int
	mu   sync.Mutex
	buf  bytes.Buffer
	more chan struct{}
}

// Start opens DLC 0 (SABM, UA) on rw, whose module has just answered OK
// to AT+CMUX. rd gives what was read past that OK.
func Start(rw io.ReadWriter, timeout time.Duration) (*Client, error) {
	c := &Client{rw: rw, chans: map[byte]*Channel{}, answers: make(chan frame, 8), ctl: make(chan []byte, 8), msc: map[byte]byte{}, done: make(chan struct{})}
	go c.readLoop()
	if err := c.establish(0, timeout); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) write(addr, ctrl byte, info []byte) error {
	var hdr []byte
	if len(info) > 127 {
		hdr = []byte{addr, ctrl, byte(len(info) << 1), byte(len(info) >> 7)}
	} else {
		hdr = []byte{addr, ctrl, byte(len(info)<<1 | 1)}
	}
	sum := hdr
	if ctrl&^0x10 != 0xef {
		sum = append(append([]byte(nil), hdr...), info...)
	}
	b := append([]byte{0xf9}, hdr...)
	b = append(b, info...)
	b = append(b, fcs(sum), 0xf9)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.rw.Write(b)
	return err
}

// The host is the initiating station: its commands carry C/R 1, its
// responses C/R 0 (TS 27.010 §5.2.1.2).
func addr(dlci byte, cr bool) byte {
	a := dlci<<2 | 1
	if cr {
		a |= 2
	}
	return a
}

func (c *Client) establish(dlci byte, timeout time.Duration) error {
	if err := c.write(addr(dlci, true), 0x3f, nil); err != nil { // SABM, P=1
		return err
	}
	select {
	case f := <-c.answers:
		if f.dlci() != dlci || f.ctrl&^0x10 != 0x63 {
			return fmt.Errorf("cmuxtest: SABM on DLC %d answered %#02x on DLC %d", dlci, f.ctrl, f.dlci())
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("cmuxtest: no UA for DLC %d", dlci)
	case <-c.done:
		return errors.New("cmuxtest: port closed")
	}
}

// Open establishes a DLC; n1 is the largest UIH information field to send.
func (c *Client) Open(dlci byte, n1 int, timeout time.Duration) (*Channel, error) {
	ch := &Channel{c: c, dlci: dlci, n1: n1, more: make(chan struct{}, 1)}
	c.mu.Lock()
	c.chans[dlci] = ch
	c.mu.Unlock()
	if err := c.establish(dlci, timeout); err != nil {
		return nil, err
	}
	return ch, nil
}

// Signals is the last V.24 signal octet the module sent for a DLC in an
// MSC command (0: none yet).
func (c *Client) Signals(dlci byte) byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.msc[dlci]
}

// Errors are the protocol errors seen.
func (c *Client) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errs...)
}

func (c *Client) fail(format string, args ...any) {
	c.mu.Lock()
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

// MSC sends the host's V.24 signals for a DLC and waits for the
// module's MSC response.
func (c *Client) MSC(dlci, signals byte, timeout time.Duration) error {
	msg := []byte{0xe3, 0x05, dlci<<2 | 3, signals | 1}
	if err := c.write(addr(0, true), 0xef, msg); err != nil {
		return err
	}
	return c.wantCtl(0xe1, timeout)
}

// Test sends a Test command and checks the echo.
func (c *Client) Test(pattern []byte, timeout time.Duration) error {
	msg := append([]byte{0x23, byte(len(pattern)<<1 | 1)}, pattern...)
	if err := c.write(addr(0, true), 0xef, msg); err != nil {
		return err
	}
	select {
	case r := <-c.ctl:
		if !bytes.Equal(r, append([]byte{0x21, byte(len(pattern)<<1 | 1)}, pattern...)) {
			return fmt.Errorf("cmuxtest: Test answered %x", r)
		}
		return nil
	case <-time.After(timeout):
		return errors.New("cmuxtest: no Test response")
	}
}

func (c *Client) wantCtl(typ byte, timeout time.Duration) error {
	select {
	case r := <-c.ctl:
		if len(r) == 0 || r[0] != typ {
			return fmt.Errorf("cmuxtest: control response %x, want type %#02x", r, typ)
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("cmuxtest: no control response %#02x", typ)
	}
}

// Close sends CLD and waits for its response: the port is back to AT
// commands. Rest is what the module sent after.
func (c *Client) Close(timeout time.Duration) error {
	if err := c.write(addr(0, true), 0xef, []byte{0xc3, 0x01}); err != nil {
		return err
	}
	return c.wantCtl(0xc1, timeout)
}

// Write sends b in UIH frames.
func (ch *Channel) Write(b []byte) (int, error) {
	for i := 0; i < len(b); i += ch.n1 {
		if err := ch.c.write(addr(ch.dlci, true), 0xef, b[i:min(i+ch.n1, len(b))]); err != nil {
			return i, err
		}
	}
	return len(b), nil
}

// Read returns what the module sent on the channel.
func (ch *Channel) Read(b []byte) (int, error) {
	for {
		ch.mu.Lock()
		if ch.buf.Len() > 0 {
			n, _ := ch.buf.Read(b)
			ch.mu.Unlock()
			return n, nil
		}
		ch.mu.Unlock()
		select {
		case <-ch.more:
		case <-ch.c.done:
			return 0, io.EOF
		}
	}
}

// readLoop scans frames: a flag, address, control, length, information,
// FCS, flag; anything else is skipped up to the next flag.
func (c *Client) readLoop() {
	defer close(c.done)
	var buf []byte
	tmp := make([]byte, 4096)
	for {
		n, err := c.rw.Read(tmp)
		buf = append(buf, tmp[:n]...)
		for {
			i := bytes.IndexByte(buf, 0xf9)
			if i < 0 {
				buf = buf[:0]
				break
			}
			buf = buf[i:]
			for len(buf) > 1 && buf[1] == 0xf9 {
				buf = buf[1:]
			}
			if len(buf) < 4 {
				break
			}
			hl, ln := 4, int(buf[3]>>1)
			if buf[3]&1 == 0 {
				if len(buf) < 5 {
					break
				}
				hl, ln = 5, ln|int(buf[4])<<7
			}
			if len(buf) < hl+ln+2 {
				break
			}
			f := frame{addr: buf[1], ctrl: buf[2], info: append([]byte(nil), buf[hl:hl+ln]...)}
			sum := buf[1:hl]
			if f.ctrl&^0x10 != 0xef {
				sum = buf[1 : hl+ln]
			}
			if buf[hl+ln+1] != 0xf9 || fcs(sum) != buf[hl+ln] {
				c.fail("bad frame %x", buf[:min(len(buf), hl+ln+2)])
				buf = buf[1:]
				continue
			}
			buf = buf[hl+ln+1:]
			if c.frame(f) {
				c.mu.Lock()
				c.rest = append([]byte(nil), buf[1:]...)
				c.mu.Unlock()
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Rest is what the module sent after the multiplexer closed down.
func (c *Client) Rest() []byte {
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rest
}

// frame handles a frame; it reports true after the CLD response.
func (c *Client) frame(f frame) bool {
	switch f.ctrl &^ 0x10 {
	case 0x63, 0x0f: // UA, DM
		c.answers <- f
	case 0xef:
		if f.dlci() == 0 {
			return c.control(f.info)
		}
		c.mu.Lock()
		ch := c.chans[f.dlci()]
		c.mu.Unlock()
		if ch == nil {
			c.fail("data on DLC %d, not open", f.dlci())
			return false
		}
		ch.mu.Lock()
		ch.buf.Write(f.info)
		ch.mu.Unlock()
		select {
		case ch.more <- struct{}{}:
		default:
		}
	default:
		c.fail("unexpected frame type %#02x", f.ctrl)
	}
	return false
}

func (c *Client) control(b []byte) bool {
	for len(b) >= 2 {
		n := int(b[1] >> 1)
		if b[1]&1 == 0 || 2+n > len(b) {
			c.fail("control message %x", b)
			return false
		}
		msg := b[:2+n]
		b = b[2+n:]
		switch {
		case msg[0] == 0xe3 && n >= 2: // MSC command: acknowledged
			c.mu.Lock()
			c.msc[msg[2]>>2] = msg[3] &^ 1
			c.mu.Unlock()
			r := append([]byte{0xe1}, msg[1:]...)
			c.write(addr(0, false), 0xef, r)
		case msg[0]&2 == 0: // a response
			c.ctl <- append([]byte(nil), msg...)
			if msg[0] == 0xc1 {
				return true
			}
		default:
			c.fail("control command %#02x from the module", msg[0])
		}
	}
	return false
}
