package emulate

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/testutil"
	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/scenarios"
)

// profileDriver is how a firmware drives one profile's socket family for
// a UDP round trip: setup commands, the open command, the send (with a
// data prompt when data is set), the URC that says the answer is in ("":
// the read blocks), and the read.
type profileDriver struct {
	setup      []string
	open       func(dst netip.AddrPort) string
	send       func(dst netip.AddrPort) (cmd, data, final string)
	urc, read  string
	answerLine string // a line of the read's answer that carries the echo
}

var drivers = map[string]profileDriver{
	"bc95": {open: func(netip.AddrPort) string { return "AT+NSOCR=DGRAM,17,0,1" },
		send: func(d netip.AddrPort) (string, string, string) {
			return fmt.Sprintf("AT+NSOST=0,%s,%d,4,41424344", d.Addr(), d.Port()), "", "OK"
		}, urc: "+NSONMI:", read: "AT+NSORF=0,100", answerLine: "72653A41424344"},
	"bc66": quectelDriver, "bg95": quectelDriver,
	"sara-r4": {open: func(netip.AddrPort) string { return "AT+USOCR=17" },
		send: func(d netip.AddrPort) (string, string, string) {
			return fmt.Sprintf(`AT+USOST=0,"%s",%d,4,"ABCD"`, d.Addr(), d.Port()), "", "OK"
		}, urc: "+UUSORF:", read: "AT+USORF=0,100", answerLine: `"re:ABCD"`},
	"sim7080": {setup: []string{"AT+CNACT=0,1"},
		open: func(d netip.AddrPort) string { return fmt.Sprintf(`AT+CAOPEN=0,0,"UDP","%s",%d`, d.Addr(), d.Port()) },
		send: func(netip.AddrPort) (string, string, string) { return "AT+CASEND=0,4", "ABCD", "OK" },
		urc:  "+CADATAIND:", read: "AT+CARECV=0,100", answerLine: "re:ABCD"},
	"nrf91-slm": {open: func(netip.AddrPort) string { return "AT#XSOCKET=1,2,0" },
		send: func(d netip.AddrPort) (string, string, string) {
			return fmt.Sprintf(`AT#XSENDTO="%s",%d,"ABCD"`, d.Addr(), d.Port()), "", "OK"
		}, read: "AT#XRECVFROM=8", answerLine: "re:ABCD"},
}

var quectelDriver = profileDriver{setup: []string{"AT+QIACT=1"},
	open: func(d netip.AddrPort) string {
		return fmt.Sprintf(`AT+QIOPEN=1,0,"UDP","%s",%d,0,0`, d.Addr(), d.Port())
	},
	send: func(netip.AddrPort) (string, string, string) { return "AT+QISEND=0,4", "ABCD", "SEND OK" },
	urc:  `+QIURC: "recv"`, read: "AT+QIRD=0,1500", answerLine: "re:ABCD"}

// portClient is one firmware's side of an AT port.
type portClient struct {
	c  net.Conn
	rd *bufio.Reader
	// urcs seen while waiting for results
	urcs []string
}

// line reads one non-empty line (or the prompt "> ").
func (p *portClient) line(d time.Duration) (string, error) {
	p.c.SetReadDeadline(time.Now().Add(d))
	var b []byte
	for {
		c, err := p.rd.ReadByte()
		if err != nil {
			return "", err
		}
		b = append(b, c)
		if s := strings.TrimSpace(string(b)); c == '\n' && s != "" || s == ">" && c == ' ' {
			return s, nil
		}
		if c == '\n' {
			b = b[:0]
		}
	}
}

// cmd sends s (and data after the prompt) and returns the final result
// and the lines before it; final is the success result code.
func (p *portClient) cmd(s, data, final string) (string, []string) {
	fmt.Fprintf(p.c, "%s\r", s)
	var info []string
	for {
		l, err := p.line(30 * time.Second)
		if err != nil {
			return "EOF", info
		}
		switch {
		case l == ">" && data != "":
			fmt.Fprint(p.c, data)
		case l == final || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR"):
			return l, info
		default:
			info = append(info, l)
			p.seen(l) // a URC may come before the result
		}
	}
}

// mixedResult is what a mixed run counted.
type mixedResult struct {
	sent, answered, failed int64
	e                      *Emulator
}

// mixedRun runs n modules of every shipped profile in turn, each doing a
// UDP round trip every period to an echo server on this host through its
// own socket commands, for d.
func mixedRun(t testing.TB, n int, d, period time.Duration) mixedResult {
	_, echo := testutil.UDPEcho(t)
	sc, err := scenarios.Load("lab", []string{"rrc.inactivity_timer=5s", "site_layout.sectors=3"})
	if err != nil {
		t.Fatal(err)
	}
	ce := sc.RandomAccess.CE[0] // dimensioned for the load, as in loadRun
	ce.Periodicity, ce.NumSubcarriers, ce.SubcarrierOffset = scenarios.Duration(40*time.Millisecond), 48, 0
	sc.RandomAccess.CE = append(sc.RandomAccess.CE[:0], ce)
	names := module.ProfileNames()
	profiles := make([]*module.Profile, len(names))
	for i, name := range names {
		profiles[i], _ = module.LookupProfile(name)
	}
	e, err := New(Config{Scenario: sc, Modules: n, Seed: 5, AutoConnect: true, Profiles: profiles})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	var res mixedResult
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		drv := drivers[names[i%len(names)]]
		wg.Add(1)
		go func() {
			defer wg.Done()
			client, server := net.Pipe()
			go e.attach(ctx, i, server, 0)
			defer client.Close()
			p := &portClient{c: client, rd: bufio.NewReader(client)}
			// the port takes input once the module has booted
			for time.Since(start) < d {
				fmt.Fprint(client, "AT\r")
				if l, err := p.line(time.Second); err == nil && l == "OK" {
					break
				}
			}
			p.cmd("ATE0", "", "OK")
			for time.Since(start) < d {
				if _, info := p.cmd("AT+CEREG?", "", "OK"); len(info) > 0 && strings.HasSuffix(strings.ReplaceAll(info[len(info)-1], " ", ""), ",1") {
					break
				}
				time.Sleep(500 * time.Millisecond)
			}
			for _, s := range drv.setup {
				p.cmd(s, "", "OK")
			}
			p.cmd(drv.open(echo), "", "OK")
			for next := time.Now(); time.Since(start) < d; next = next.Add(period) {
				time.Sleep(time.Until(next))
				atomic.AddInt64(&res.sent, 1)
				if p.roundTrip(drv, echo, period) {
					atomic.AddInt64(&res.answered, 1)
				} else {
					atomic.AddInt64(&res.failed, 1)
				}
			}
		}()
	}
	wg.Wait()
	res.e = e
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return res
}

// roundTrip sends one datagram and reads its echo: true when the answer
// came back within period.
func (p *portClient) roundTrip(drv profileDriver, echo netip.AddrPort, period time.Duration) bool {
	cmd, data, final := drv.send(echo)
	if r, _ := p.cmd(cmd, data, final); r != final {
		return false
	}
	if drv.urc != "" {
		end := time.Now().Add(period)
		for !p.sawURC(drv.urc) {
			l, err := p.line(time.Until(end))
			if err != nil {
				return false
			}
			p.seen(l)
		}
	}
	_, info := p.cmd(drv.read, "", "OK")
	for _, l := range info {
		if strings.Contains(l, drv.answerLine) {
			return true
		}
	}
	return false
}

// seen keeps a line that may be a URC (the last 16).
func (p *portClient) seen(l string) {
	if len(p.urcs) >= 16 {
		p.urcs = p.urcs[1:]
	}
	p.urcs = append(p.urcs, l)
}

// sawURC takes a URC starting with prefix from those seen.
func (p *portClient) sawURC(prefix string) bool {
	for i, u := range p.urcs {
		if strings.HasPrefix(u, prefix) {
			p.urcs = append(p.urcs[:i], p.urcs[i+1:]...)
			return true
		}
	}
	return false
}

// Modules of every shipped profile, each a UDP round trip every few
// seconds through its own socket commands: most answers come back.
func TestLoadMixed(t *testing.T) {
	if testing.Short() {
		t.Skip("BenchmarkEmulateMixed covers it; 20 s")
	}
	r := mixedRun(t, 2*len(module.ProfileNames()), 20*time.Second, 4*time.Second)
	p50, p99, mx, _ := r.e.Lag()
	t.Logf("%d round trips, %d answered, %d failed; scheduling delay p50 %v p99 %v max %v", r.sent, r.answered, r.failed, p50, p99, mx)
	if r.answered == 0 || r.answered < r.sent/2 {
		t.Errorf("%d of %d round trips answered", r.answered, r.sent)
	}
}

// BenchmarkEmulateMixed is the target: 1,000 modules of mixed
// profiles (every shipped one in turn), each a UDP round trip every 10 s
// through its own socket commands, for 40 s (boot and attach in the first
// 10-20 s); it reports the p99 scheduling delay (target ≤ 10 ms) and the
// round trips answered. Run:
// go test -run '^$' -bench EmulateMixed -benchtime 1x ./emulate/
func BenchmarkEmulateMixed(b *testing.B) {
	for range b.N {
		r := mixedRun(b, 1000, 40*time.Second, 10*time.Second)
		_, p99, _, _ := r.e.Lag()
		b.ReportMetric(float64(p99)/1e6, "p99-delay-ms")
		b.ReportMetric(float64(r.answered), "answered")
		b.ReportMetric(float64(r.sent), "round-trips")
	}
}
