package platform

import (
	"fmt"
	"time"

	piondtls "github.com/pion/dtls/v3"
	"github.com/plgd-dev/go-coap/v3/dtls"
	dtlsServer "github.com/plgd-dev/go-coap/v3/dtls/server"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	coapNet "github.com/plgd-dev/go-coap/v3/net"
	"github.com/plgd-dev/go-coap/v3/net/blockwise"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/pkg/runner/periodic"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// DTLSHandshakeTimeout bounds a DTLS handshake: a peer that starts one and
// never finishes holds nothing longer.
const DTLSHandshakeTimeout = 10 * time.Second

// pskSuites are the PSK cipher suites offered: RFC 7252 §9.1.3.1's
// mandatory TLS_PSK_WITH_AES_128_CCM_8 first, then the ones libcoap's
// OpenSSL and GnuTLS builds also propose.
var pskSuites = []piondtls.CipherSuiteID{
	piondtls.TLS_PSK_WITH_AES_128_CCM_8,
	piondtls.TLS_PSK_WITH_AES_128_CCM,
	piondtls.TLS_PSK_WITH_AES_128_GCM_SHA256,
	piondtls.TLS_PSK_WITH_AES_128_CBC_SHA256,
}

// dtlsSide is the CoAP-over-DTLS server: same handler, same exchanges,
// a DTLS session per device.
type dtlsSide struct {
	ln  *coapNet.DTLSListener
	srv *dtlsServer.Server
}

func (p *Platform) listenDTLS(addr string) (*dtlsSide, error) {
	keys := make(map[string][]byte, len(p.cfg.PSK))
	for id, k := range p.cfg.PSK {
		keys[id] = append([]byte(nil), k...)
	}
	//lint:ignore SA1019 go-coap v3.8's NewDTLSListener takes a *dtls.Config (pion/dtls's options API cannot be passed to it)
	cfg := &piondtls.Config{
		// On the server, the argument is the identity the client sent.
		PSK: func(identity []byte) ([]byte, error) {
			k, ok := keys[string(identity)]
			if !ok {
				return nil, fmt.Errorf("unknown PSK identity %q", identity)
			}
			return k, nil
		},
		PSKIdentityHint: []byte("nbsim"),
		CipherSuites:    pskSuites,
	}
	ln, err := coapNet.NewDTLSListener("udp", addr, cfg)
	if err != nil {
		return nil, &ListenError{What: "CoAP over DTLS", Addr: addr, Err: err}
	}
	srv := dtls.NewServer(
		options.WithContext(p.ctx),
		options.WithHandlerFunc(p.serveDTLS),
		options.WithErrors(p.coapError),
		options.WithTransmission(1, p.cfg.AckTimeout, uint32(p.cfg.MaxRetransmit), p.cfg.AckRandomFactor),
		options.WithPeriodicRunner(periodic.New(p.ctx.Done(), p.cfg.tick())),
		options.WithBlockwise(false, blockwise.SZX1024, 0),
		options.WithGetToken(p.token),
		options.WithRequestMonitor(p.monitor),
		idleOption{p.cfg.CoAPIdle},
		options.WithDTLSHandshakeTimeout(DTLSHandshakeTimeout),
	)
	return &dtlsSide{ln: ln, srv: srv}, nil
}

// DTLSAddr is the UDP address of CoAP over DTLS, or "" without
// Config.DTLSAddr.
func (p *Platform) DTLSAddr() string {
	if p.dtls == nil {
		return ""
	}
	return p.dtls.ln.Addr().String()
}

// serveDTLS is serveCoAP for a DTLS session: the endpoint is bound to the
// session's PSK identity.
func (p *Platform) serveDTLS(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
	id := ""
	if c, ok := w.Conn().NetConn().(*piondtls.Conn); ok {
		if st, ok := c.ConnectionState(); ok {
			id = string(st.IdentityHint)
		}
	}
	if id == "" {
		// Cannot happen with PSK suites only; never treat it as plain CoAP.
		p.reply(w, r, codes.Unauthorized, "no PSK identity on this DTLS session", nil)
		return
	}
	p.serve(w, r, id)
}
