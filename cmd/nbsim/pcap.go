package main

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/udp/coder"

	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/pcap"
	"github.com/nbsim/nbsim/report"
)

// pcapBase is the wall-clock time virtual time 0 is written as: fixed, so
// the same run gives the same capture.
var pcapBase = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Addresses in the capture (documentation and benchmarking ranges: they are
// labels in a file, nothing is sent anywhere).
var (
	mmeAddr    = netip.AddrPortFrom(netip.MustParseAddr("198.51.100.1"), pcap.PortS1AP)
	serverAddr = netip.AddrPortFrom(netip.MustParseAddr("203.0.113.10"), 5683)
)

func enbAddr(enb int) netip.AddrPort {
	c := enb + 1
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{198, 18, byte(c >> 8), byte(c)}), pcap.PortS1AP)
}

// pcapTracer writes the S1AP and user data of an encoded run as a capture:
// S1AP over SCTP (PPID 18, stream 0 for paging, 1 for UE-associated
// signalling) and user data as CoAP over UDP (each report a non-confirmable
// POST /r, each downlink packet a non-confirmable 2.05 Content).
type pcapTracer struct {
	f    *report.TempFile
	bw   *bufio.Writer
	w    *pcap.Writer
	path string
	mid  uint16
	err  error
	buf  []byte
	base time.Time // what virtual time 0 is written as
}

// newPcapTracer starts a capture in a temporary file beside path
// (.nbsim-pcap-<name>-<pid>-<random>, see report.CreateTemp), which finish
// renames to path: path is the previous file or the complete capture,
// whenever the process is stopped. Stale temporaries of killed runs in
// path's directory are removed first.
func newPcapTracer(path string) (*pcapTracer, error) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return nil, fmt.Errorf("--pcap %s: is a directory", path)
	}
	f, err := report.CreateTemp(path)
	if err != nil {
		return nil, fmt.Errorf("--pcap %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w, err := pcap.NewWriter(bw)
	if err != nil {
		f.Abort()
		return nil, fmt.Errorf("--pcap %s: %w", path, err)
	}
	return &pcapTracer{f: f, bw: bw, w: w, path: path, buf: make([]byte, 2048), base: pcapBase}, nil
}

func (p *pcapTracer) S1AP(at time.Duration, enb int, uplink bool, pdu []byte) {
	if p.err != nil {
		return
	}
	src, dst := enbAddr(enb), mmeAddr
	if !uplink {
		src, dst = dst, src
	}
	p.err = p.w.WriteSCTP(p.base.Add(at), src, dst, pcap.PPIDS1AP, 1, pdu)
}

func (p *pcapTracer) SGi(at time.Duration, ue netip.Addr, uplink bool, size int) {
	if p.err != nil || !ue.IsValid() {
		return
	}
	p.mid++
	m := message.Message{Type: message.NonConfirmable, MessageID: int32(p.mid), Payload: make([]byte, size)}
	if uplink {
		m.Code = codes.POST
		opts, _, err := message.Options{}.SetPath(make([]byte, 8), "/r")
		if err != nil {
			p.err = err
			return
		}
		m.Options = opts
	} else {
		m.Code = codes.Content
	}
	n, err := coder.DefaultCoder.Encode(m, p.buf)
	if err != nil {
		p.err = err
		return
	}
	ueAddr := netip.AddrPortFrom(ue, 5683)
	src, dst := ueAddr, serverAddr
	if !uplink {
		src, dst = dst, src
	}
	p.err = p.w.WriteUDP(p.base.Add(at), src, dst, p.buf[:n])
}

// UserData writes a real user packet (live emulation): an IPv4/UDP packet
// between the device's PDN address and its peer. Other packets (Non-IP)
// are not written.
func (p *pcapTracer) UserData(at time.Duration, uplink bool, pkt []byte) {
	if p.err != nil {
		return
	}
	u, err := ippkt.Parse(pkt)
	if err != nil {
		return
	}
	p.err = p.w.WriteUDP(p.base.Add(at), u.Src, u.Dst, u.Payload)
}

// finish puts the capture in place, or removes it on failure or when ok
// is false. A nil p does nothing.
func (p *pcapTracer) finish(ok bool) error {
	if p == nil {
		return nil
	}
	err := p.err
	if err == nil && ok {
		err = p.bw.Flush()
	}
	if err != nil || !ok {
		p.f.Abort()
		if err != nil {
			return fmt.Errorf("--pcap %s: %w", p.path, err)
		}
		return nil
	}
	if err := p.f.Commit(); err != nil {
		return fmt.Errorf("--pcap %s: %w", p.path, err)
	}
	return nil
}
