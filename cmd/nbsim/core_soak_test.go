package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/s1"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/s1mme"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/gpp"
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
// answered), as a hung peer.
type freezable struct {
	net.Conn
	mu   sync.Mutex
	deaf bool
}

func (f *freezable) isDeaf() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.deaf
}
func (f *freezable) goDeaf() { f.mu.Lock(); f.deaf = true; f.mu.Unlock() }
func (f *freezable) Read(b []byte) (int, error) {
	for {
		n, err := f.Conn.Read(b)
		if err != nil || !f.isDeaf() {
			return n, err
		}
	}
}

// rawENB is an eNodeB that speaks S1AP by hand: it does S1 Setup, then
// sends what the test wants (unfinished attaches, malformed PDUs) and
// reads and drops whatever the MME answers, until it is frozen.
type rawENB struct {
	c    s1mme.Conn
	f    *freezable
	next uint32 // eNB UE S1AP ID
	done chan struct{}
	got  atomic.Int64 // PDUs received from the MME after S1 Setup
}

var hostilePLMN = gpp.MustPLMN("001", "01")

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
			e.got.Add(1)
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

// soakDuration is the hostile load's duration: NBSIM_SOAK, default 10m.
func soakDuration(t *testing.T) time.Duration {
	v := os.Getenv("NBSIM_SOAK")
	if v == "" {
		return 10 * time.Minute
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("NBSIM_SOAK=%q: want a positive Go duration such as 10m", v)
	}
	return d
}

// heapAfterGC is the live heap of this process (the in-process core and
// the test's own peers) after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// vmRSS is this process's resident set size in kB, from /proc (0 if it
// cannot be read): logged, not asserted (the runtime returns freed memory
// to the system lazily).
func vmRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// every runs f every interval, at most max times, until ctx is done; it
// returns how many times f ran.
func every(ctx context.Context, interval time.Duration, max int, f func(i int)) int {
	tk := time.NewTicker(interval)
	defer tk.Stop()
	for i := 0; i < max; i++ {
		select {
		case <-ctx.Done():
			return i
		case <-tk.C:
		}
		f(i)
	}
	return max
}

// legitRun is one `nbsim run --mme` of the small test scenario for hours
// simulated hours against the core: it must exit 0 with every report
// delivered. It returns the reports delivered, or why not.
func legitRun(t *testing.T, url string, hours int) (int, error) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := Main([]string{"run", "../../testdata/small.yaml",
		"--set", "groups.trackers.data_path=control-plane",
		"--set", "groups.meters.report.reply_probability=0",
		"--set", "groups.meters.downlink.mean_interval=0s",
		"--duration", strconv.Itoa(hours) + "h", "--quiet", "--mme", url, "--out", out}, &stdout, &stderr)
	if code != exitOK {
		return 0, fmt.Errorf("legitimate run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	var res struct {
		KPI map[string]any `json:"kpi"`
	}
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err == nil {
		err = json.Unmarshal(b, &res)
	}
	if err != nil {
		return 0, err
	}
	num := func(k string) float64 { f, _ := res.KPI[k].(float64); return f }
	gen, del := num("reports_generated"), num("reports_delivered")
	if gen == 0 || del != gen {
		return 0, fmt.Errorf("legitimate run: %v of %v reports delivered (dropped %v, in flight %v)", del, gen, num("reports_dropped"), num("reports_in_flight"))
	}
	os.RemoveAll(out)
	return int(del), nil
}

// TestCoreSoak runs nbsim core (in this process, so that its live heap can
// be measured) under a mixed hostile load for NBSIM_SOAK (default 10
// minutes): SCTP garbage datagrams, half-open SCTP handshakes, malformed
// S1AP PDUs on a real association and a flood of unfinished attaches
// (fresh IMSIs whose AUTHENTICATION REQUEST is never answered), while
// legitimate `nbsim run --mme` runs complete every report, one after the
// other. The heap after the load, once unfinished attaches have had time
// to expire, must be within 20 % of the heap before it.
func TestCoreSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test (make test-long; NBSIM_SOAK sets its duration, default 10m)")
	}
	dur := soakDuration(t)
	url, coreOut, stop := startCore(t)
	h, err := hss.Default()
	if err != nil {
		t.Fatal(err)
	}

	legit := func(hours int) int {
		n, err := legitRun(t, url, hours)
		if err != nil {
			t.Fatalf("%v\ncore so far:\n%s", err, coreOut.String())
		}
		return n
	}
	// Warm-up: one legitimate run, and the hostile eNodeBs' associations.
	reports, runs := legit(1), 1
	dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Second)
	attacher, err := dialRawENB(dctx, url, 901)
	if err != nil {
		t.Fatal(err)
	}
	defer attacher.Close()
	m0, err := dialRawENB(dctx, url, 902)
	dcancel()
	if err != nil {
		t.Fatal(err)
	}
	var mangler atomic.Pointer[rawENB] // replaced when the MME ends the association
	mangler.Store(m0)
	defer func() { mangler.Load().Close() }()
	// The MME keeps UE contexts of a range of consecutive IMSIs in a table
	// as long as the highest IMSI seen (about 16 MB for the shipped range of
	// 2,000,000): a cost bounded by the HSS, paid once. An attach at the
	// range's end pays it before the start is measured, so that what is
	// compared is what the flood leaves.
	if err := attacher.attach(h, "001010002000000"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); attacher.got.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the MME did not answer the warm-up attach")
		}
	}
	heapStart, rssStart := heapAfterGC(), vmRSS()
	t.Logf("start: heap %.1f MB, RSS %.1f MB", float64(heapStart)/1e6, float64(rssStart)/1e3)

	loadStart := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var wg sync.WaitGroup
	var garbage, halfOpen, malformed, attaches, redials, sendErrs atomic.Int64
	// SCTP garbage: 20 datagrams a second from fresh source ports.
	wg.Go(func() {
		r := rand.New(rand.NewPCG(1, 2))
		every(ctx, 50*time.Millisecond, int(dur/(50*time.Millisecond)), func(int) {
			b := make([]byte, 1+r.IntN(300))
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			if sendDatagram(url, b) == nil {
				garbage.Add(1)
			}
		})
	})
	// Half-open handshakes: 5 INITs a second, never followed by COOKIE ECHO.
	wg.Go(func() {
		every(ctx, 200*time.Millisecond, int(dur/(200*time.Millisecond)), func(i int) {
			if sendDatagram(url, hostileInit(uint32(i)*2654435761)) == nil {
				halfOpen.Add(1)
			}
		})
	})
	// Unfinished attaches: 50 a second, 30,000 in 10 minutes (about 10 MB if
	// their contexts were never freed), from a pool of 3,000 IMSIs (from
	// 001010001000000, far from the legitimate runs' IMSIs) gone through
	// once a minute: each is fresh to the MME again (its last attempt has
	// expired after 30 s). The pool is bounded because the HSS keeps the
	// next SQN of every subscriber it has authenticated (TS 33.102 Annex
	// C.1), state that grows with the number of distinct IMSIs up to the
	// subscriber file's size, not with the flood.
	wg.Go(func() {
		every(ctx, 20*time.Millisecond, int(dur/(20*time.Millisecond)), func(i int) {
			if err := attacher.attach(h, fmt.Sprintf("00101%010d", 1000000+i%3000)); err != nil {
				sendErrs.Add(1)
				return
			}
			attaches.Add(1)
		})
	})
	// Malformed S1AP: 10 PDUs a second on a real association (a mutated
	// InitialUEMessage, a truncated one, random bytes); if the MME ends the
	// association, a new one.
	wg.Go(func() {
		r := rand.New(rand.NewPCG(3, 4))
		const imsi = "001010002000000" // far from the legitimate runs' IMSIs (a flipped bit must not reach them)
		sub, _ := h.Lookup(imsi)
		d, _ := uenas.New(imsi, sub.K, sub.OPc, "001", "01")
		nasPDU, _ := d.AttachRequest()
		valid, err := (&s1ap.InitialUEMessage{ENBUES1APID: 7, NASPDU: nasPDU, TAI: s1ap.TAI{PLMN: hostilePLMN, TAC: 1},
			EUTRANCGI: s1ap.EUTRANCGI{PLMN: hostilePLMN, CellID: 1}, RRCEstablishmentCause: s1ap.RRCMOSignalling}).Marshal()
		if err != nil {
			t.Error(err)
			return
		}
		every(ctx, 100*time.Millisecond, int(dur/(100*time.Millisecond)), func(i int) {
			if m := mangler.Load(); m.closed() {
				m.Close()
				rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
				e, err := dialRawENB(rctx, url, 902)
				rcancel()
				if err != nil {
					return
				}
				mangler.Store(e)
				redials.Add(1)
			}
			var b []byte
			switch i % 3 {
			case 0: // a few bytes flipped
				b = append([]byte(nil), valid...)
				for range 1 + r.IntN(3) {
					b[r.IntN(len(b))] ^= byte(1 + r.IntN(255))
				}
			case 1: // truncated
				b = valid[:r.IntN(len(valid))]
			case 2: // random
				b = make([]byte, 1+r.IntN(200))
				for j := range b {
					b[j] = byte(r.Uint32())
				}
			}
			if mangler.Load().send(b) == nil {
				malformed.Add(1)
			}
		})
	})
	// Legitimate runs, one after the other, while the load lasts; each is
	// sized to last about the time left (a simulated hour takes about 1.4 s
	// here after the attaches): one long session of the same devices, whose
	// every report must arrive.
	for ctx.Err() == nil {
		left := time.Until(loadStart.Add(dur))
		reports += legit(max(1, int(left/(1500*time.Millisecond))))
		runs++
		t.Logf("%s: %d runs, heap %.1f MB", time.Since(loadStart).Round(time.Second), runs, float64(heapAfterGC())/1e6)
	}
	wg.Wait()

	// Unfinished attaches expire (TS 24.301 T3450/T3460 expiries, then the
	// context is freed) and half-open handshakes are forgotten: wait for
	// that, with the hostile associations still up.
	time.Sleep(45 * time.Second)
	heapEnd, rssEnd := heapAfterGC(), vmRSS()
	t.Logf("hostile inputs: %d garbage datagrams, %d half-open handshakes, %d malformed S1AP PDUs (%d new associations after the MME closed one), %d unfinished attaches (%d send errors)",
		garbage.Load(), halfOpen.Load(), malformed.Load(), redials.Load(), attaches.Load(), sendErrs.Load())
	t.Logf("legitimate: %d runs, %d reports delivered, none lost", runs, reports)
	t.Logf("memory: heap %.1f MB at the start, %.1f MB at the end (%+.1f %%); RSS %.1f → %.1f MB",
		float64(heapStart)/1e6, float64(heapEnd)/1e6, 100*(float64(heapEnd)/float64(heapStart)-1), float64(rssStart)/1e3, float64(rssEnd)/1e3)
	mangler.Load().Close()
	attacher.Close()
	stop()
	t.Logf("core:\n%s", coreOut.String())
	if float64(heapEnd) > 1.2*float64(heapStart) {
		t.Errorf("heap grew from %d to %d bytes: more than 20 %%", heapStart, heapEnd)
	}
}
