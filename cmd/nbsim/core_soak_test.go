package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/s1"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/s1mme"
	"github.com/nbsim/nbsim/epc/uenas"
)

// Misbehaving S1-MME peers for the signal and soak tests of nbsim core.

// hostileInit is an SCTP packet with one INIT chunk (RFC 9260 §3.3.2): the
// start of a handshake its sender never finishes.
func hostileInit(tag uint32) []byte {
	b := make([]byte, 12+20)
	binary.BigEndian.PutUint16(b[0:], 5000)
	binary.BigEndian.PutUint16(b[2:], 5000)
	b[12] = 1 // INIT
	binary.BigEndian.PutUint16(b[14:], 20)
	binary.BigEndian.PutUint32(b[16:], tag|1) // initiate tag, never 0
	binary.BigEndian.PutUint32(b[20:], 1<<20)
	binary.BigEndian.PutUint16(b[24:], 10)
	binary.BigEndian.PutUint16(b[26:], 10)
	binary.BigEndian.PutUint32(b[28:], tag)
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	return b
}

// sendDatagram sends b to the core's S1-MME UDP port from a fresh socket
// (a new source port), and closes the socket.
func sendDatagram(url string, b []byte) error {
	a, err := net.ResolveUDPAddr("udp", url[len("udp://"):])
	if err != nil {
		return err
	}
	c, err := net.DialUDP("udp", nil, a)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write(b)
	return err
}

// freezable is a UDP socket that goes deaf on demand (it discards what it
// receives: the peer's data is never acknowledged, its SHUTDOWN never
// answered) and then mute (it drops what it would send), as a hung peer.
type freezable struct {
	net.Conn
	mu         sync.Mutex
	deaf, mute bool
}

func (f *freezable) state() (deaf, mute bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.deaf, f.mute
}
func (f *freezable) goDeaf() { f.mu.Lock(); f.deaf = true; f.mu.Unlock() }
func (f *freezable) freeze() { f.mu.Lock(); f.deaf, f.mute = true, true; f.mu.Unlock() }
func (f *freezable) Read(b []byte) (int, error) {
	for {
		n, err := f.Conn.Read(b)
		if deaf, _ := f.state(); err != nil || !deaf {
			return n, err
		}
	}
}
func (f *freezable) Write(b []byte) (int, error) {
	if _, mute := f.state(); mute {
		return len(b), nil
	}
	return f.Conn.Write(b)
}

// rawENB is an eNodeB that speaks S1AP by hand: it does S1 Setup, then
// sends what the test wants (unfinished attaches, malformed PDUs) and
// reads and drops whatever the MME answers, until it is frozen.
type rawENB struct {
	c    s1mme.Conn
	f    *freezable
	next uint32 // eNB UE S1AP ID
	done chan struct{}
}

var hostilePLMN = s1ap.MustPLMN("001", "01")

// dialRawENB connects to url and completes S1 Setup as eNodeB id.
func dialRawENB(ctx context.Context, url string, id uint32) (*rawENB, error) {
	a, err := net.ResolveUDPAddr("udp", url[len("udp://"):])
	if err != nil {
		return nil, err
	}
	uc, err := net.DialUDP("udp", nil, a)
	if err != nil {
		return nil, err
	}
	f := &freezable{Conn: uc}
	c, err := s1mme.DialConn(ctx, f)
	if err != nil {
		uc.Close()
		return nil, err
	}
	e := &rawENB{c: c, f: f, done: make(chan struct{})}
	nbiot := s1ap.RATTypeNBIoT
	req := &s1ap.S1SetupRequest{
		GlobalENBID:      s1ap.GlobalENBID{PLMN: hostilePLMN, Kind: s1ap.MacroENB, ID: id},
		SupportedTAs:     []s1ap.SupportedTA{{TAC: 1, BroadcastPLMNs: []s1ap.PLMN{hostilePLMN}, RATType: &nbiot}},
		DefaultPagingDRX: s1ap.PagingDRX128,
	}
	b, err := req.Marshal()
	if err == nil {
		err = c.Send(s1.StreamNonUE, b)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	got := make(chan error, 1)
	go func() {
		_, pdu, err := c.Recv()
		if err == nil {
			if m, perr := s1ap.Parse(pdu); perr != nil {
				err = perr
			} else if _, ok := m.(*s1ap.S1SetupResponse); !ok {
				err = fmt.Errorf("S1 Setup answered with %T", m)
			}
		}
		got <- err
	}()
	select {
	case err = <-got:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("s1 setup: %w", err)
	}
	go func() { // read and drop the MME's answers
		defer close(e.done)
		for {
			if _, _, err := c.Recv(); err != nil {
				return
			}
		}
	}()
	return e, nil
}

// attach sends an InitialUEMessage with imsi's ATTACH REQUEST; the
// AUTHENTICATION REQUEST it gets is never answered.
func (e *rawENB) attach(h *hss.Store, imsi string) error {
	sub, ok := h.Lookup(imsi)
	if !ok {
		return fmt.Errorf("%s is no subscriber", imsi)
	}
	d, err := uenas.New(imsi, sub.K, sub.OPc, "001", "01")
	if err != nil {
		return err
	}
	nasPDU, err := d.AttachRequest()
	if err != nil {
		return err
	}
	e.next = e.next%(1<<24-1) + 1
	m := &s1ap.InitialUEMessage{ENBUES1APID: e.next, NASPDU: nasPDU, TAI: s1ap.TAI{PLMN: hostilePLMN, TAC: 1},
		EUTRANCGI: s1ap.EUTRANCGI{PLMN: hostilePLMN, CellID: 1}, RRCEstablishmentCause: s1ap.RRCMOSignalling}
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	return e.c.Send(s1.StreamUE, b)
}

// send sends raw bytes as one S1AP PDU.
func (e *rawENB) send(pdu []byte) error { return e.c.Send(s1.StreamUE, pdu) }

// closed reports whether the MME has ended the association.
func (e *rawENB) closed() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

func (e *rawENB) Close() { e.c.Close() }

// waitExit waits at most d for a process to end and returns its error, or
// fails the test.
func waitExit(t *testing.T, done <-chan error, d time.Duration, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("%s did not stop within %s", what, d)
		return nil
	}
}
