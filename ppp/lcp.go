package ppp

import (
	"encoding/binary"
	"slices"
)

// LCP option types (RFC 1661 §6; FCS-Alternatives RFC 1570 §2.1).
const (
	optMRU     = 1
	optACCM    = 2
	optAuth    = 3
	optQuality = 4
	optMagic   = 5
	optPFC     = 7
	optACFC    = 8
	optFCSAlt  = 9
)

// FCS-Alternatives values (RFC 1570 §2.1).
const (
	fcsAlt16 = 0x02
	fcsAlt32 = 0x04
)

// Auth is the authentication protocol the module asks the host to use.
type Auth uint8

// Authentication protocols.
const (
	AuthNone Auth = iota
	AuthCHAP      // CHAP with MD5 (RFC 1994), as cellular modules ask
	AuthPAP       // PAP (RFC 1334)
)

func (a Auth) String() string {
	return [...]string{"none", "CHAP-MD5", "PAP"}[a]
}

// lcpPolicy is the module's side of LCP option negotiation.
type lcpPolicy struct {
	l *Link
	// ours: what we still ask (options the peer rejected are dropped)
	auth                  Auth
	magic                 uint32
	noACCM, noPFC, noACFC bool
	noMagic               bool
	rxACCM                uint32
	// hers: what the peer asked for in the request we last accepted
	peer      Framing
	peerMRU   int
	peerMagic uint32
	ackedAuth Auth
}

func (p *lcpPolicy) request() []Option {
	var o []Option
	if !p.noACCM {
		o = append(o, Option{optACCM, u32(p.rxACCM)})
	}
	switch p.auth {
	case AuthCHAP:
		o = append(o, Option{optAuth, []byte{0xc2, 0x23, 5}}) // MD5 (RFC 1994 §3)
	case AuthPAP:
		o = append(o, Option{optAuth, u16(ProtoPAP)})
	}
	if !p.noMagic {
		o = append(o, Option{optMagic, u32(p.magic)})
	}
	if !p.noPFC {
		o = append(o, Option{Type: optPFC})
	}
	if !p.noACFC {
		o = append(o, Option{Type: optACFC})
	}
	return o
}

// check accepts what a module accepts: any MRU from 64 octets, any ACCM,
// PFC and ACFC, a magic number other than ours, the 16- or 32-bit FCS.
// It rejects being asked to authenticate itself (a module authenticates
// to the network, not to its host), link quality monitoring, and anything
// else.
func (p *lcpPolicy) check(opts []Option) (nak, rej []Option) {
	peer := Framing{}
	mru, magic := 1500, uint32(0)
	for _, o := range opts {
		switch {
		case o.Type == optMRU && len(o.Data) == 2:
			mru = int(binary.BigEndian.Uint16(o.Data))
			if mru < 64 {
				nak = append(nak, Option{optMRU, u16(1500)})
			}
		case o.Type == optACCM && len(o.Data) == 4:
			peer.ACCM = binary.BigEndian.Uint32(o.Data)
		case o.Type == optMagic && len(o.Data) == 4:
			magic = binary.BigEndian.Uint32(o.Data)
			if magic == 0 || !p.noMagic && magic == p.magic {
				// RFC 1661 §6.4: possibly a looped-back link; suggest another
				nak = append(nak, Option{optMagic, u32(p.magic*1103515245 + 12345)})
			}
		case o.Type == optPFC && len(o.Data) == 0:
			peer.PFC = true
		case o.Type == optACFC && len(o.Data) == 0:
			peer.ACFC = true
		case o.Type == optFCSAlt && len(o.Data) == 1:
			switch o.Data[0] {
			case fcsAlt16:
			case fcsAlt32:
				peer.FCS32 = true
			default:
				nak = append(nak, Option{optFCSAlt, []byte{fcsAlt16}})
			}
		default:
			rej = append(rej, o)
		}
	}
	if !slices.ContainsFunc(opts, func(o Option) bool { return o.Type == optACCM }) {
		peer.ACCM = 0xffffffff // RFC 1662 §7.1: the default
	}
	if len(nak) == 0 && len(rej) == 0 {
		p.peer, p.peerMRU, p.peerMagic = peer, mru, magic
	}
	return nak, rej
}

func (p *lcpPolicy) acked(opts []Option) {
	p.ackedAuth = p.auth
}

func (p *lcpPolicy) nakked(opts []Option) {
	for _, o := range opts {
		switch o.Type {
		case optAuth:
			// the peer prefers another protocol: take it if we have it,
			// else go on without authentication, as modules do
			switch {
			case len(o.Data) >= 3 && binary.BigEndian.Uint16(o.Data) == ProtoCHAP && o.Data[2] == 5:
				p.auth = AuthCHAP
			case len(o.Data) >= 2 && binary.BigEndian.Uint16(o.Data) == ProtoPAP:
				p.auth = AuthPAP
			default:
				p.auth = AuthNone
			}
		case optMagic:
			if len(o.Data) == 4 {
				p.magic = binary.BigEndian.Uint32(o.Data)
			}
		case optACCM:
			if len(o.Data) == 4 {
				p.rxACCM |= binary.BigEndian.Uint32(o.Data)
			}
		}
	}
}

func (p *lcpPolicy) rejected(opts []Option) {
	for _, o := range opts {
		switch o.Type {
		case optACCM:
			p.noACCM = true
		case optAuth:
			p.auth = AuthNone
		case optMagic:
			p.noMagic = true
		case optPFC:
			p.noPFC = true
		case optACFC:
			p.noACFC = true
		}
	}
}

func (p *lcpPolicy) up()       { p.l.lcpUp() }
func (p *lcpPolicy) down()     { p.l.lcpDown() }
func (p *lcpPolicy) started()  {}
func (p *lcpPolicy) finished() { p.l.lcpFinished() }
