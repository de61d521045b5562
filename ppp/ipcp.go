package ppp

import "net/netip"

// IPCP option types (RFC 1332 §3; DNS: RFC 1877 §1).
const (
	optIPCompression = 2
	optIPAddress     = 3
	optPrimaryDNS    = 129
	optSecondaryDNS  = 131
)

// ipcpPolicy is the module's side of IPCP: the peer gets the PDN address
// (and the DNS servers, if any are configured); the module asks for
// nothing.
type ipcpPolicy struct {
	l *Link
}

func (p *ipcpPolicy) request() []Option { return nil }

func (p *ipcpPolicy) check(opts []Option) (nak, rej []Option) {
	want := p.l.cfg.Addr
	hasAddr := false
	for _, o := range opts {
		switch {
		case o.Type == optIPAddress && len(o.Data) == 4:
			hasAddr = true
			if netip.AddrFrom4([4]byte(o.Data)) != want {
				nak = append(nak, Option{optIPAddress, want.AsSlice()})
			}
		case (o.Type == optPrimaryDNS || o.Type == optSecondaryDNS) && len(o.Data) == 4:
			dns := p.l.cfg.DNS[0]
			if o.Type == optSecondaryDNS {
				dns = p.l.cfg.DNS[1]
			}
			switch {
			case !dns.Is4():
				rej = append(rej, o)
			case netip.AddrFrom4([4]byte(o.Data)) != dns:
				nak = append(nak, Option{o.Type, dns.AsSlice()})
			}
		default:
			rej = append(rej, o) // IP-Compression-Protocol (no VJ), IP-Addresses, NBNS…
		}
	}
	if !hasAddr {
		// RFC 1332 §3.3: a Configure-Nak may suggest the address
		nak = append(nak, Option{optIPAddress, want.AsSlice()})
	}
	return nak, rej
}

func (p *ipcpPolicy) acked([]Option)    {}
func (p *ipcpPolicy) nakked([]Option)   {}
func (p *ipcpPolicy) rejected([]Option) {}
func (p *ipcpPolicy) up()               { p.l.ipUp() }
func (p *ipcpPolicy) down()             { p.l.ipDown() }
func (p *ipcpPolicy) started()          {}
func (p *ipcpPolicy) finished()         {}
