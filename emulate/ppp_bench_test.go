package emulate

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/internal/ppptest"
)

// BenchmarkPPP100 is the PPP load: 100 modules in PPP mode (the
// independent client on each TCP AT port) each moving 1 kB/s of UDP
// (four 250-byte datagrams a second) to a sink on this host for 15 s.
// Every datagram a host sent is delivered, or counted: lost by the
// network with a cause, still waiting in the module, or dropped by the
// module's data mode (refused by the stack). It reports the counts, the
// loss causes and the scheduling delay.
// The sub-benchmark 250Bps offers a quarter of it (one datagram a
// second), which the simulated site carries.
// Run: go test -run '^$' -bench 'PPP100/1kBps' -benchtime 1x ./emulate/
// (each sub-benchmark is about 50 s).
func BenchmarkPPP100(b *testing.B) {
	b.Run("1kBps", func(b *testing.B) { benchPPP(b, 4) })
	b.Run("250Bps", func(b *testing.B) { benchPPP(b, 1) })
}

func benchPPP(b *testing.B, rate int) {
	const n, d, size = 100, 15 * time.Second, 250
	received, dst := udpSink(b)
	sc := loadSite(b) // TestLoad's site
	e, err := New(Config{Scenario: sc, Modules: n, Seed: 5, Profiles: dataProfiles(b)})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrs, err := e.ListenTCP(ctx, netip.MustParseAddrPort("127.0.0.1:0"))
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	var sent, up atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addrs[i].String())
			if err != nil {
				b.Error(err)
				return
			}
			defer c.Close()
			rd := bufio.NewReader(c)
			cmd := func(s string) string {
				c.SetReadDeadline(time.Now().Add(30 * time.Second))
				fmt.Fprintf(c, "%s\r", s)
				var all []string
				for {
					l, err := rd.ReadString('\n')
					if err != nil {
						return strings.Join(all, " ") + " EOF"
					}
					if l = strings.TrimSpace(l); l != "" {
						all = append(all, l)
					}
					if l == "OK" || l == "ERROR" || l == "CONNECT" || l == "NO CARRIER" || strings.HasPrefix(l, "+CME ERROR") {
						return strings.Join(all, " ")
					}
				}
			}
			time.Sleep(time.Duration(i) * 50 * time.Millisecond) // attaches spread over 5 s
			cmd("ATE0")
			cmd("AT+CFUN=1")
			cmd("AT+CGATT=1")
			for !strings.Contains(strings.ReplaceAll(cmd("AT+CGATT?"), " ", ""), "+CGATT:1") { // sara-r4 writes "+CGATT: 1"
				if time.Since(start) > 40*time.Second {
					b.Errorf("module %d: not attached", i)
					return
				}
				time.Sleep(500 * time.Millisecond)
			}
			if r := cmd("ATD*99#"); !strings.HasSuffix(r, "CONNECT") {
				b.Errorf("module %d: ATD*99#: %q", i, r)
				return
			}
			c.SetReadDeadline(time.Time{})
			cl, err := ppptest.Dial(struct {
				io.Reader
				io.Writer
			}{rd, c}, ppptest.Config{Magic: uint32(i + 1), ACFC: true, PFC: true}, 30*time.Second)
			if err != nil {
				b.Errorf("module %d: %v", i, err)
				return
			}
			up.Add(1)
			payload := make([]byte, size)
			for k, next := 0, time.Now(); k < int(d/time.Second)*rate; k, next = k+1, next.Add(time.Second/time.Duration(rate)) {
				time.Sleep(time.Until(next))
				u := ippkt.UDP{Src: netip.AddrPortFrom(cl.Addr(), 40000), Dst: dst, Payload: payload}
				pkt, _ := u.Marshal()
				if cl.SendIP(pkt) == nil {
					sent.Add(1)
				}
			}
			cl.Terminate(10 * time.Second)
		}()
	}
	wg.Wait()
	waitQuiet(e, received, 30*time.Second)
	var lost, pending, dropped int64
	causes, drops := map[string]int64{}, map[string]int64{}
	for _, s := range e.States() {
		lost += s.Stats.UplinkLost
		pending += int64(s.Stats.UplinkPending)
		for k, v := range s.Stats.LostCauses {
			causes[k] += v
		}
	}
	e.Do(func() {
		for _, md := range e.mods {
			for k, v := range md.m.DataDropped() {
				dropped += v
				drops[k] += v
			}
		}
	})
	p50, p99, mx, _ := e.Lag()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	r := received.Load()
	b.Logf("%d modules in PPP of %d, %v at %d B/s each: %d datagrams sent by the hosts, %d received, %d lost in the network %v, %d waiting, %d dropped by the modules %v; scheduling delay p50 %v p99 %v max %v",
		up.Load(), n, d, rate*size, sent.Load(), r, lost, causes, pending, dropped, drops, p50, p99, mx)
	b.ReportMetric(float64(r)/float64(max(sent.Load(), 1)), "delivered/sent")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	if unaccounted := sent.Load() - r - lost - pending - dropped; unaccounted != 0 {
		b.Errorf("%d datagrams unaccounted for (sent %d = received %d + lost %d + waiting %d + dropped %d)", unaccounted, sent.Load(), r, lost, pending, dropped)
	}
}
