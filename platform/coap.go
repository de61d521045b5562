package platform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	dtlsServer "github.com/plgd-dev/go-coap/v3/dtls/server"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/blockwise"
	"github.com/plgd-dev/go-coap/v3/net/monitor/inactivity"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/pkg/runner/periodic"
	"github.com/plgd-dev/go-coap/v3/udp"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
	udpServer "github.com/plgd-dev/go-coap/v3/udp/server"
)

// DataPath is the CoAP resource of the transparent data path, used in both
// directions.
const DataPath = "/t/d"

func (p *Platform) newCoAPServer() *udpServer.Server {
	return udp.NewServer(
		options.WithContext(p.ctx),
		options.WithHandlerFunc(p.serveCoAP),
		options.WithErrors(p.coapError),
		options.WithTransmission(1, p.cfg.AckTimeout, uint32(p.cfg.MaxRetransmit), p.cfg.AckRandomFactor),
		// go-coap's default runner checks retransmissions every 4 s.
		options.WithPeriodicRunner(periodic.New(p.ctx.Done(), p.cfg.tick())),
		// Transparent-mode modules do not do block-wise transfer; payloads
		// fit one datagram.
		options.WithBlockwise(false, blockwise.SZX1024, 0),
		options.WithGetToken(p.token),
		midOption{p.mid},
		options.WithRequestMonitor(p.monitor),
		idleOption{p.cfg.CoAPIdle},
	)
}

// coapError logs go-coap's errors, except an exchange's deadline, which
// the command's status already reports.
func (p *Platform) coapError(err error) {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return
	}
	p.logf("platform: coap: %v", err)
}

// idleOption closes a source's connection after it has been silent for d,
// but not while a downlink CON to it waits for its answer (as go-coap's
// default monitor, whose 16 s it replaces).
type idleOption struct{ d time.Duration }

func (o idleOption) monitor() udpClient.InactivityMonitor {
	return udpClient.DeferInactivityWhileConfirmableMessagesPending(
		inactivity.New(o.d, func(cc *udpClient.Conn) { _ = cc.Close() }))
}

func (o idleOption) UDPServerApply(cfg *udpServer.Config)   { cfg.CreateInactivityMonitor = o.monitor }
func (o idleOption) DTLSServerApply(cfg *dtlsServer.Config) { cfg.CreateInactivityMonitor = o.monitor }

// midOption makes go-coap take message IDs from Config.Rand: each
// connection's counter starts at a value drawn here. go-coap has no
// exported option for it.
type midOption struct{ f func() int32 }

func (o midOption) UDPServerApply(cfg *udpServer.Config) { cfg.GetMID = o.f }

func (p *Platform) mid() int32 {
	p.randMu.Lock()
	defer p.randMu.Unlock()
	return int32(p.rng.Uint32N(1 << 16))
}

func (p *Platform) token() (message.Token, error) {
	p.randMu.Lock()
	defer p.randMu.Unlock()
	t := make(message.Token, 8)
	for i := range t {
		t[i] = byte(p.rng.Uint32())
	}
	return t, nil
}

// serveCoAP handles every CoAP message that reaches the platform over
// plain UDP and is not the answer to an exchange still waited for.
func (p *Platform) serveCoAP(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
	p.serve(w, r, "")
}

// serve answers a device's request; identity is the PSK identity of its
// DTLS session, "" over plain CoAP.
func (p *Platform) serve(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message, identity string) {
	if !isRequest(r.Code()) {
		// A late answer to a downlink we stopped waiting for (its empty
		// ACK already delivered it); go-coap ACKs it if it is a CON.
		return
	}
	ep, code, diag := p.uplink(peerOf(w.Conn(), identity), r)
	if code != codes.Changed {
		p.reply(w, r, code, diag, nil)
		return
	}
	// Pending commands go out once the 2.04 has been written.
	p.reply(w, r, codes.Changed, "", func() { p.dispatch(ep) })
}

// uplink handles one request of a device: checks it, checks the endpoint's
// binding and the limits, and stores it. code is codes.Changed when stored,
// else the answer, with diag its diagnostic payload.
func (p *Platform) uplink(pr peer, r *pool.Message) (ep string, code codes.Code, diag string) {
	ep, payload, code, diag := parseUplink(r)
	if code != codes.Changed {
		return "", code, diag
	}
	code, diag = p.storeUplink(ep, payload, pr, r.Type() == message.Confirmable)
	return ep, code, diag
}

// reply answers request r: piggybacked on the ACK for a CON, as a NON for a
// NON (go-coap on its own answers a NON with a CON, which a module that went
// back to sleep would never acknowledge). diag, if any, goes as the
// diagnostic payload. then, if not nil, runs once the answer is written.
func (p *Platform) reply(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message, code codes.Code, diag string, then func()) {
	var body io.ReadSeeker
	if diag != "" {
		body = strings.NewReader(diag)
	}
	cc := w.Conn()
	if r.Type() != message.NonConfirmable {
		if err := w.SetResponse(code, message.TextPlain, body); err != nil {
			p.logf("platform: coap: cannot answer %v: %v", cc.RemoteAddr(), err)
		}
		// go-coap writes the answer after the handler returns.
		if then != nil && !responsewriter.AfterWrite(r.Context(), then) {
			then()
		}
		return
	}
	m := cc.AcquireMessage(r.Context())
	defer cc.ReleaseMessage(m)
	m.SetType(message.NonConfirmable)
	m.SetCode(code)
	m.SetToken(r.Token())
	if body != nil {
		m.SetContentFormat(message.TextPlain)
		m.SetBody(body)
	}
	if err := cc.WriteMessage(m); err != nil {
		p.logf("platform: coap: cannot answer %v: %v", cc.RemoteAddr(), err)
	}
	if then != nil {
		then()
	}
}

func isRequest(c codes.Code) bool { return c >= codes.GET && c < 32 }

// parseUplink checks an uplink request. code is Changed when it is good,
// else the CoAP error code to answer with and diag its diagnostic payload.
func parseUplink(r *pool.Message) (ep string, payload []byte, code codes.Code, diag string) {
	path, err := r.Path()
	if err != nil || path != DataPath {
		return "", nil, codes.NotFound, "no such resource; uplink is POST " + DataPath + "?ep=<IMEI>"
	}
	if r.Code() != codes.POST {
		return "", nil, codes.MethodNotAllowed, "uplink is POST " + DataPath + "?ep=<IMEI>"
	}
	queries, _ := r.Queries()
	found := false
	for _, q := range queries {
		k, v, _ := strings.Cut(q, "=")
		if k != "ep" {
			continue
		}
		if found {
			return "", nil, codes.BadRequest, "ep given twice"
		}
		ep, found = v, true
	}
	if !found {
		return "", nil, codes.BadRequest, "missing URI query ep=<IMEI>"
	}
	if err := checkEndpoint(ep); err != nil {
		return "", nil, codes.BadRequest, err.Error()
	}
	payload, err = r.ReadBody()
	if err != nil {
		return "", nil, codes.BadRequest, "cannot read payload"
	}
	if len(payload) > MaxPayload {
		return "", nil, codes.RequestEntityTooLarge, fmt.Sprintf("payload %d bytes; at most %d", len(payload), MaxPayload)
	}
	return ep, payload, codes.Changed, ""
}

// Causes of an exchange ending before go-coap returns a response.
var (
	errAnswered   = errors.New("answered by empty ACK or RST")
	errRedirected = errors.New("device sent an uplink from a new address")
)

// exchange is a downlink CON waiting for its answer. The request monitor
// sees ACK and RST before go-coap does and records them here: go-coap's Do
// waits for a response, so it would sit out an empty ACK (separate response
// never sent) or an RST until the deadline.
type exchange struct {
	cancel   context.CancelCauseFunc
	answered bool
	typ      message.Type
	code     codes.Code
}

type exchangeKey struct {
	cc  *udpClient.Conn
	mid int32
}

func (p *Platform) monitor(cc *udpClient.Conn, m *pool.Message) (bool, error) {
	t := m.Type()
	if t != message.Acknowledgement && t != message.Reset {
		return false, nil
	}
	p.exMu.Lock()
	defer p.exMu.Unlock()
	ex := p.exchanges[exchangeKey{cc, m.MessageID()}]
	if ex == nil || ex.answered {
		return false, nil
	}
	ex.answered, ex.typ, ex.code = true, t, m.Code()
	if t == message.Reset || m.Code() == codes.Empty {
		ex.cancel(errAnswered)
	}
	return false, nil
}

// sendJob is one attempt at one command.
type sendJob struct {
	ep      string
	payload []byte
	conn    *udpClient.Conn // connection of the last uplink, if still open
	addr    *net.UDPAddr
	secure  bool   // conn is a DTLS session: no new connection can replace it
	gen     uint64 // device's uplink count when the attempt started
	ctx     context.Context
	cancel  context.CancelCauseFunc
}

type outcomeKind int

const (
	outDelivered outcomeKind = iota
	outFailed
	outTimeout    // no answer: back to queued until the next uplink
	outRedirected // the device moved: back to queued and resent now
	outClosed     // the platform is closing: back to queued
)

type outcome struct {
	kind     outcomeKind
	response string // "ACK", "RST" or a code such as "2.04"
	err      string
}

// dispatch starts sending ep's oldest pending command if nothing stops it.
func (p *Platform) dispatch(ep string) {
	p.mu.Lock()
	d := p.devices[ep]
	if !p.started || p.closed || d == nil || d.inflight || d.blocked || d.addr == nil || len(d.pending) == 0 {
		p.mu.Unlock()
		return
	}
	if p.inflight >= p.cfg.MaxExchanges {
		// Its turn comes when an exchange ends (dispatchWaiting).
		if !d.waiting {
			d.waiting = true
			p.waiting = append(p.waiting, ep)
		}
		p.mu.Unlock()
		return
	}
	p.inflight++
	c := d.pending[0]
	c.Status = Sent
	c.Attempts++
	c.SentAt = p.cfg.Now()
	c.Response, c.Error = "", ""
	ctx, cancel := context.WithCancelCause(p.ctx)
	j := &sendJob{ep: ep, payload: c.Payload, conn: d.conn, addr: d.addr, secure: d.secure, gen: d.uplinks, ctx: ctx, cancel: cancel}
	d.inflight, d.redirect = true, cancel
	snap := c.clone()
	p.wg.Add(1)
	p.mu.Unlock()
	p.notifyCommand(snap)
	go func() {
		defer p.wg.Done()
		out := p.exchange(j)
		cancel(nil)
		p.complete(j, out)
	}()
}

// exchange sends one command as a CON POST and waits for its answer, at
// most the exchange window.
func (p *Platform) exchange(j *sendJob) outcome {
	cc := j.conn
	if j.secure && (cc == nil || cc.Context().Err() != nil) {
		// The platform cannot open a DTLS session to a device: it waits for
		// the device to open one.
		return outcome{kind: outTimeout, err: "the device's DTLS session is closed; resent after its next uplink"}
	}
	if cc == nil || cc.Context().Err() != nil {
		var err error
		if cc, err = p.coap.NewConn(j.addr); err != nil {
			if p.ctx.Err() != nil {
				return outcome{kind: outClosed}
			}
			return outcome{kind: outTimeout, err: fmt.Sprintf("cannot open a CoAP connection to %v: %v", j.addr, err)}
		}
	}
	ctx, cancel := context.WithTimeout(j.ctx, p.window)
	defer cancel()
	req, err := cc.NewPostRequest(ctx, DataPath, message.AppOctets, bytes.NewReader(j.payload))
	if err != nil {
		return outcome{kind: outTimeout, err: fmt.Sprintf("cannot build the CoAP request: %v", err)}
	}
	// req is not released to go-coap's pool: when the monitor ends the
	// exchange early (empty ACK, RST), go-coap's ACK handler may still read
	// req after Do returns. The garbage collector takes it instead.
	req.SetType(message.Confirmable)
	mid := cc.GetMessageID()
	req.SetMessageID(mid)
	key := exchangeKey{cc, mid}
	ex := &exchange{cancel: j.cancel}
	p.exMu.Lock()
	p.exchanges[key] = ex
	p.exMu.Unlock()

	resp, doErr := cc.Do(req)

	p.exMu.Lock()
	delete(p.exchanges, key)
	answered, typ, code := ex.answered, ex.typ, ex.code
	p.exMu.Unlock()
	if resp != nil {
		// The first answer counts: an empty ACK the monitor saw comes before
		// any separate response.
		if !answered {
			answered, typ, code = true, message.Acknowledgement, resp.Code()
		}
		cc.ReleaseMessage(resp)
	}
	switch {
	case answered && typ == message.Reset:
		return outcome{kind: outFailed, response: "RST", err: "device answered RST (message rejected)"}
	case answered && code == codes.Empty:
		return outcome{kind: outDelivered, response: "ACK"}
	case answered && code>>5 == 2:
		return outcome{kind: outDelivered, response: codeString(code)}
	case answered:
		return outcome{kind: outFailed, response: codeString(code), err: fmt.Sprintf("device answered %s %v", codeString(code), code)}
	case p.ctx.Err() != nil:
		return outcome{kind: outClosed, err: "platform closed during the exchange"}
	case errors.Is(context.Cause(ctx), errRedirected):
		return outcome{kind: outRedirected, err: "device sent an uplink from a new address during the exchange; resent there"}
	case doErr != nil && !errors.Is(doErr, context.DeadlineExceeded):
		return outcome{kind: outTimeout, err: fmt.Sprintf("exchange failed (%v); resent after the next uplink", doErr)}
	default:
		return outcome{kind: outTimeout, err: fmt.Sprintf("no answer within %v (device asleep?); resent after its next uplink", p.window.Round(time.Millisecond))}
	}
}

// complete records the outcome of an attempt and sends the next command.
func (p *Platform) complete(j *sendJob, out outcome) {
	now := p.cfg.Now()
	p.mu.Lock()
	d := p.devices[j.ep]
	c := d.pending[0]
	d.inflight, d.redirect = false, nil
	p.inflight--
	c.Response, c.Error = out.response, out.err
	switch out.kind {
	case outDelivered, outFailed:
		c.Status = Delivered
		if out.kind == outFailed {
			c.Status = Failed
		}
		c.DoneAt = now
		d.lastActive = now
		p.commands--
		p.stored += 1 - d.finish(c, p.cfg.MaxMessages)
		if p.stored > p.cfg.MaxStored && len(d.done) > 1 {
			// Make room from this endpoint's own history (its pending
			// command was already counted against MaxCommands).
			d.done[0] = nil
			d.done = d.done[1:]
			p.stored--
		}
	case outTimeout:
		c.Status = Queued
		if d.uplinks == j.gen {
			d.blocked = true
		}
	default:
		c.Status = Queued
	}
	snap := c.clone()
	p.mu.Unlock()
	p.notifyCommand(snap)
	p.dispatch(j.ep)
	p.dispatchWaiting()
}

// dispatchWaiting starts the commands held back by Config.MaxExchanges, as
// far as the limit allows.
func (p *Platform) dispatchWaiting() {
	for {
		p.mu.Lock()
		if p.inflight >= p.cfg.MaxExchanges || len(p.waiting) == 0 {
			p.mu.Unlock()
			return
		}
		ep := p.waiting[0]
		p.waiting[0] = ""
		p.waiting = p.waiting[1:]
		if d := p.devices[ep]; d != nil {
			d.waiting = false
		}
		p.mu.Unlock()
		p.dispatch(ep)
	}
}

// codeString writes a CoAP code as class.detail, e.g. "2.04".
func codeString(c codes.Code) string { return fmt.Sprintf("%d.%02d", c>>5, c&31) }
