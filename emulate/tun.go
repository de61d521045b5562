package emulate

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/module"
)

// TUN interfaces (`nbsim emulate --tun`, Linux only): a module's PDN as a
// host network interface, so that any program on this host can send UDP
// through the simulated NB-IoT link.
//
// Module i gets the TUN interface nbsim<i> (no packet information header:
// each read or write is one IP packet). While the module is registered on
// an IP PDN the interface carries its PDN address as a /32 (no route comes
// with it: nothing of the host's own traffic is diverted); when it is not,
// the interface has no address. A host program sends through the module by
// binding to the PDN address with SO_BINDTODEVICE "nbsim<i>", or by a
// routing rule for that source address (docs/emulate.md). The interface
// accepts answers from servers on this host (accept_local, route_localnet)
// and has IPv6 off.
//
// Uplink: each IPv4/UDP packet read from the interface whose source is the
// PDN address is sent by the module as the AT socket commands do (ESM DATA
// TRANSPORT, connection set up if idle, no release assistance); the
// simulated gateway carries only IPv4/UDP, so anything else (TCP, ICMP,
// IPv6, the kernel's own IGMP) is dropped here and counted by cause, as is
// a packet while the module is not registered. Packets from the module's
// CoAP port (56830) are dropped too: that port belongs to the AT module's
// platform client.
//
// Downlink: the gateway lets a datagram through only to a device endpoint
// (address and port) that has sent to its source, so every downlink packet
// answers an uplink from some port. A packet to a UDP port that a TUN
// uplink was sent from is written to the interface (and not given to the
// AT module); any other packet goes to the AT module as before (its
// sockets, AT+NSOCR, and its CoAP port). Host programs and AT sockets share
// the PDN address: keep their ports apart.

// TUN is a module's TUN interface.
type TUN struct {
	Module int    // module number
	Name   string // interface name (nbsim<i>)
	// Warning names the settings of the interface that could not be made
	// (empty: none).
	Warning string

	e   *Emulator
	md  *mod
	dev tunDevice
	wq  chan []byte // downlink packets to write to the interface

	// engine goroutine
	addr  netip.Addr      // the PDN address while registered (as last polled)
	ports [1 << 10]uint64 // bit set: UDP source ports of TUN uplinks
	trace map[string]bool // drop causes already traced

	mu      sync.Mutex
	ifAddr  netip.Addr // the address on the interface
	stats   TUNStats
	lastErr string
}

// tunDevice is the operating system's side of a TUN interface.
type tunDevice interface {
	Read(b []byte) (int, error)  // one packet
	Write(b []byte) (int, error) // one packet
	// SetAddr replaces the interface's address (invalid: none).
	SetAddr(old, new netip.Addr) error
	Close() error
}

// TUNStats counts a TUN interface's packets.
type TUNStats struct {
	Uplink   int64            `json:"uplink"`   // packets sent by the module
	Downlink int64            `json:"downlink"` // packets written to the interface
	Dropped  map[string]int64 `json:"dropped"`  // by cause
}

// Drop causes of TUN packets.
const (
	TUNDropNotIPv4        = "not-ipv4"        // IPv6 or garbage
	TUNDropNotUDP         = "not-udp"         // TCP, ICMP, IGMP…: the gateway carries UDP only
	TUNDropMalformed      = "malformed"       // bad length or checksum, or a fragment
	TUNDropTooBig         = "too-big"         // more than the module's data limit
	TUNDropNotRegistered  = "not-registered"  // no IP PDN up
	TUNDropWrongSource    = "wrong-source"    // source is not the PDN address
	TUNDropCoAPPort       = "coap-port"       // from the AT module's CoAP port
	TUNDropSendError      = "send-error"      // the module refused (e.g. uplink queue full)
	TUNDropQueueFull      = "queue-full"      // downlink: the interface is not keeping up
	TUNDropInterfaceError = "interface-error" // reading or writing the interface failed
)

const (
	tunWriteQueue = 256                    // downlink packets waiting for the interface
	tunPoll       = 200 * time.Millisecond // how often the interface's address follows the module's
)

// ErrTUN is what OpenTUNs' errors wrap when the host cannot make TUN
// interfaces (not Linux, not root, no /dev/net/tun).
var ErrTUN = errors.New("TUN interfaces need Linux, root (CAP_NET_ADMIN) and /dev/net/tun")

// OpenTUNs gives modules 0 … n-1 a TUN interface each (n ≤ 0: every
// module) and runs them until ctx ends or Run returns; the interfaces go
// away then. The interfaces are created, and configured, in the network
// namespace of the calling thread. An error leaves none open.
func (e *Emulator) OpenTUNs(ctx context.Context, n int) ([]*TUN, error) {
	if n <= 0 || n > len(e.mods) {
		n = len(e.mods)
	}
	var ts []*TUN
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("nbsim%d", i)
		dev, warning, err := openTUN(name)
		if err != nil {
			for _, t := range ts {
				t.dev.Close()
			}
			return nil, fmt.Errorf("TUN interface for module %d: %w", i, err)
		}
		ts = append(ts, &TUN{Module: i, Name: name, Warning: warning, e: e, md: e.mods[i], dev: dev,
			wq: make(chan []byte, tunWriteQueue), trace: map[string]bool{},
			stats: TUNStats{Dropped: map[string]int64{}}})
	}
	var wg sync.WaitGroup
	for _, t := range ts {
		wg.Add(2)
		go func() { defer wg.Done(); t.readLoop() }()
		go func() { defer wg.Done(); t.writeLoop() }()
	}
	go func() {
		defer func() {
			for _, t := range ts {
				close(t.wq)
				t.dev.Close()
			}
			wg.Wait()
		}()
		// The modules see their interfaces once Run drives the engine (so
		// that Do hands the work to it).
		select {
		case <-e.started:
		case <-ctx.Done():
			return
		}
		e.Do(func() {
			for _, t := range ts {
				t.md.tun = t
				if t.Warning != "" {
					e.trace(t.Module, "tun", t.Warning)
				}
			}
		})
		tick := time.NewTicker(tunPoll)
		defer tick.Stop()
	poll:
		for {
			e.configure(ts)
			select {
			case <-tick.C:
			case <-ctx.Done():
				break poll
			case <-e.stopped:
				break poll
			}
		}
		e.Do(func() {
			for _, t := range ts {
				t.md.tun = nil
			}
		})
	}()
	return ts, nil
}

// configure gives each interface its module's PDN address, or none.
func (e *Emulator) configure(ts []*TUN) {
	addrs := make([]netip.Addr, len(ts))
	e.Do(func() {
		for k, t := range ts {
			md := t.md
			if md.radioOn && md.reg == module.Registered && md.pdn.Type == module.PDNIP {
				in, _ := e.net.Info(md.id)
				addrs[k] = in.Addr
			}
			t.addr = addrs[k]
		}
	})
	for k, t := range ts {
		t.mu.Lock()
		old := t.ifAddr
		t.mu.Unlock()
		if addrs[k] == old {
			continue
		}
		err := t.dev.SetAddr(old, addrs[k])
		msg := ""
		t.mu.Lock()
		if err == nil {
			t.ifAddr = addrs[k]
			msg = fmt.Sprintf("%s address %v", t.Name, addrs[k])
			if !addrs[k].IsValid() {
				msg = t.Name + " address removed"
			}
			t.lastErr = ""
		} else if err.Error() != t.lastErr {
			t.lastErr = err.Error()
			msg = fmt.Sprintf("%s: setting address %v: %v", t.Name, addrs[k], err)
		}
		t.mu.Unlock()
		if msg != "" {
			e.Do(func() { e.trace(t.Module, "tun", msg) })
		}
	}
}

// readLoop takes the host's packets to the module.
func (t *TUN) readLoop() {
	buf := make([]byte, 1<<16)
	for {
		n, err := t.dev.Read(buf)
		if err != nil {
			if errors.Is(err, os.ErrClosed) || errors.Is(err, errTUNClosed) {
				return
			}
			// A transient error (e.g. the interface went down): keep going
			// unless the device is gone.
			t.drop(TUNDropInterfaceError)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		switch {
		case n == 0 || buf[0]>>4 != 4:
			t.drop(TUNDropNotIPv4)
			continue
		case n >= ippkt.IPv4HeaderLen && buf[9] != ippkt.ProtoUDP:
			t.drop(TUNDropNotUDP)
			continue
		}
		pkt := append([]byte(nil), buf[:n]...)
		u, err := ippkt.Parse(pkt)
		switch {
		case err != nil:
			t.drop(TUNDropMalformed)
			continue
		case n > maxUserData:
			t.drop(TUNDropTooBig)
			continue
		}
		if !t.e.running() {
			t.drop(TUNDropNotRegistered)
			continue
		}
		t.e.inject(func() { t.uplink(pkt, u) })
	}
}

// uplink sends a packet from the interface (engine goroutine).
func (t *TUN) uplink(pkt []byte, u *ippkt.UDP) {
	md := t.md
	switch {
	case md.tun != t || !md.radioOn || md.reg != module.Registered || md.pdn.Type != module.PDNIP || !t.addr.IsValid():
		t.dropTraced(TUNDropNotRegistered)
		return
	case u.Src.Addr() != t.addr:
		t.dropTraced(TUNDropWrongSource)
		return
	case u.Src.Port() == module.CoAPPort:
		t.dropTraced(TUNDropCoAPPort)
		return
	}
	if err := t.e.net.Send(md.id, pkt, nas.DDXNoInformation); err != nil {
		t.drop(TUNDropSendError)
		t.e.trace(md.n, "tun", "uplink refused: "+err.Error())
		return
	}
	p := u.Src.Port()
	t.ports[p/64] |= 1 << (p % 64)
	t.mu.Lock()
	t.stats.Uplink++
	t.mu.Unlock()
	t.e.trace(md.n, "tun", fmt.Sprintf("uplink %d bytes %v → %v", len(pkt), u.Src, u.Dst))
}

// downlink writes a packet for the module to the interface if it is for a
// port a TUN uplink was sent from (engine goroutine). It reports whether
// it took the packet.
func (t *TUN) downlink(data []byte) bool {
	if len(data) < ippkt.IPv4HeaderLen || data[0]>>4 != 4 || data[9] != ippkt.ProtoUDP {
		return false
	}
	ihl := int(data[0]&0x0f) * 4
	if len(data) < ihl+ippkt.UDPHeaderLen {
		return false
	}
	p := binary.BigEndian.Uint16(data[ihl+2:])
	if p == module.CoAPPort || t.ports[p/64]&(1<<(p%64)) == 0 {
		return false
	}
	select {
	case t.wq <- append([]byte(nil), data...):
		t.e.trace(t.md.n, "tun", fmt.Sprintf("downlink %d bytes to port %d", len(data), p))
	default:
		t.dropTraced(TUNDropQueueFull)
	}
	return true
}

// writeLoop writes downlink packets to the interface.
func (t *TUN) writeLoop() {
	for pkt := range t.wq {
		if _, err := t.dev.Write(pkt); err != nil {
			t.drop(TUNDropInterfaceError)
			continue
		}
		t.mu.Lock()
		t.stats.Downlink++
		t.mu.Unlock()
	}
}

func (t *TUN) drop(cause string) {
	t.mu.Lock()
	t.stats.Dropped[cause]++
	t.mu.Unlock()
}

// dropTraced counts a drop and traces the first of each cause (engine
// goroutine).
func (t *TUN) dropTraced(cause string) {
	t.drop(cause)
	if !t.trace[cause] {
		t.trace[cause] = true
		t.e.trace(t.md.n, "tun", "dropped ("+cause+"; further drops are only counted)")
	}
}

// Stats returns a copy of the interface's counters.
func (t *TUN) Stats() TUNStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.stats
	s.Dropped = maps.Clone(t.stats.Dropped)
	return s
}

// Addr is the address on the interface now (invalid: none).
func (t *TUN) Addr() netip.Addr {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ifAddr
}

// errTUNClosed is what a closed device's Read returns.
var errTUNClosed = errors.New("TUN interface closed")
