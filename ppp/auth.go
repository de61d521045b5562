package ppp

// CHAP codes (RFC 1994 §4) and PAP codes (RFC 1334 §2.2).
const (
	chapChallenge = 1
	chapResponse  = 2
	chapSuccess   = 3
	papRequest    = 1
	papAck        = 2
)

// challenge sends a CHAP Challenge (RFC 1994 §4.1): Value-Size, Value,
// Name.
func (l *Link) challenge() {
	l.chapID++
	l.authTries++
	data := append([]byte{byte(len(l.cfg.Challenge))}, l.cfg.Challenge...)
	data = append(data, l.cfg.Name...)
	l.ready.Out = l.fr.AppendFrame(l.ready.Out, ProtoCHAP, Packet{Code: chapChallenge, ID: l.chapID, Data: data}.Append(nil))
	l.authTimer, l.authDue = true, l.now.Add(RestartTime)
}

// chap takes a CHAP packet while authenticating: any Response to the
// current challenge succeeds (the module takes whatever credentials the
// host has, as modules pass them to the network or ignore them).
func (l *Link) chap(info []byte) {
	p, err := ParsePacket(info)
	if err != nil || p.Code != chapResponse || p.ID != l.chapID || len(p.Data) < 1 || int(p.Data[0])+1 > len(p.Data) {
		return
	}
	l.peer = string(p.Data[1+int(p.Data[0]):])
	l.ready.Out = l.fr.AppendFrame(l.ready.Out, ProtoCHAP, Packet{Code: chapSuccess, ID: p.ID}.Append(nil))
	l.authTimer = false
	l.event(EventAuth)
	l.network()
}

// pap takes a PAP Authenticate-Request (RFC 1334 §2.2.1): Peer-ID
// Length, Peer-ID, Passwd-Length, Password; any is acknowledged.
func (l *Link) pap(info []byte) {
	p, err := ParsePacket(info)
	if err != nil || p.Code != papRequest || len(p.Data) < 1 || int(p.Data[0])+2 > len(p.Data) {
		return
	}
	n := int(p.Data[0])
	if 1+n+1+int(p.Data[1+n]) > len(p.Data) {
		return
	}
	l.peer = string(p.Data[1 : 1+n])
	l.ready.Out = l.fr.AppendFrame(l.ready.Out, ProtoPAP, Packet{Code: papAck, ID: p.ID, Data: []byte{0}}.Append(nil))
	l.event(EventAuth)
	l.network()
}
