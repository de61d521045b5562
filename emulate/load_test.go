package emulate

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nbsim/nbsim/scenarios"
)

// loadRun runs n modules driven over their TCP AT ports by one goroutine
// each: the radio on at a random time in the first stagger, then a 36-byte
// datagram every period to a UDP sink on this host, for d. It returns what
// the firmware was told (sent: "OK"), what the sink received, and the
// emulator.
type loadResult struct {
	sent, okAnswers, errors int64
	received                int64
	e                       *Emulator
}

// udpSink is a UDP server on 127.0.0.1 that counts the datagrams it gets,
// until the test ends.
func udpSink(t testing.TB) (*atomic.Int64, netip.AddrPort) {
	sink, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	received := new(atomic.Int64)
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := sink.ReadFromUDP(buf); err != nil {
				return
			}
			received.Add(1)
		}
	}()
	return received, sink.LocalAddr().(*net.UDPAddr).AddrPort()
}

// loadSite is the lab network as a site of three cells dimensioned for
// the load tests (TS 36.331 NPRACH-ConfigSIB-NB): one CE level with every
// preamble (48 subcarriers) every 40 ms, connections released 5 s after
// the last packet. With the default three levels of 12 subcarriers every
// 80/320/640 ms, a thousand modules attaching within 10 s and then sending
// every 10 s congest the cell, in the emulation as in `nbsim run` with the
// same load: most data is then lost to access failures (counted, but not
// what these tests are about).
func loadSite(t testing.TB) *scenarios.Scenario {
	sc, err := scenarios.Load("lab", []string{"rrc.inactivity_timer=5s", "site_layout.sectors=3"})
	if err != nil {
		t.Fatal(err)
	}
	ce := sc.RandomAccess.CE[0]
	ce.Periodicity, ce.NumSubcarriers, ce.SubcarrierOffset = scenarios.Duration(40*time.Millisecond), 48, 0
	sc.RandomAccess.CE = append(sc.RandomAccess.CE[:0], ce)
	return sc
}

func loadRun(t testing.TB, n int, d, period, stagger time.Duration, pipes bool) loadResult {
	received, dst := udpSink(t)
	sc := loadSite(t)
	e, err := New(Config{Scenario: sc, Modules: n, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Ports: TCP, or in-memory pipes through the same port code where
	// this machine has too few file descriptors for TCP (three a module).
	var addrs []net.Addr
	dial := func(i int) (net.Conn, error) { return net.Dial("tcp", addrs[i].String()) }
	if pipes {
		dial = func(i int) (net.Conn, error) {
			client, server := net.Pipe()
			go e.attach(ctx, i, server, 0)
			return client, nil
		}
	} else if addrs, err = e.ListenTCP(ctx, netip.MustParseAddrPort("127.0.0.1:0")); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	var res loadResult
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dial(i)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			rd := bufio.NewReader(c)
			// cmd sends s and returns its final result code and the
			// information lines before it.
			cmd := func(s string) (string, []string) {
				c.SetDeadline(time.Now().Add(30 * time.Second))
				fmt.Fprintf(c, "%s\r", s)
				var info []string
				for {
					l, err := rd.ReadString('\n')
					if err != nil {
						return "EOF", info
					}
					l = strings.TrimSpace(l)
					if l == "OK" || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR") {
						return l, info
					}
					if l != "" {
						info = append(info, l)
					}
				}
			}
			r := rand.New(rand.NewPCG(uint64(i), 9))
			time.Sleep(time.Duration(r.Float64() * float64(stagger)))
			cmd("ATE0")
			cmd("AT+CFUN=1")
			cmd("AT+CGATT=1")
			for time.Since(start) < d {
				if _, info := cmd("AT+CGATT?"); len(info) > 0 && strings.ReplaceAll(info[0], " ", "") == "+CGATT:1" {
					break
				}
				time.Sleep(500 * time.Millisecond)
			}
			cmd("AT+NSOCR=DGRAM,17,5000")
			payload := fmt.Sprintf("AT+NSOST=0,%s,%d,36,%s", dst.Addr(), dst.Port(), hex36)
			for next := time.Now(); time.Since(start) < d; next = next.Add(period) {
				time.Sleep(time.Until(next))
				atomic.AddInt64(&res.sent, 1)
				switch answer, _ := cmd(payload); answer {
				case "OK":
					atomic.AddInt64(&res.okAnswers, 1)
				default:
					atomic.AddInt64(&res.errors, 1)
				}
			}
		}()
	}
	wg.Wait()
	waitQuiet(e, received, 60*time.Second)
	res.received = received.Load()
	res.e = e
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return res
}

// The load test: modules each sending every 10 s; every datagram
// the modules took (OK) is delivered to the server or counted lost with a
// cause; the ones refused (ERROR, e.g. before registration) were never
// taken. Short mode: 100 modules every 4 s for 12 s; full: 1,000 every
// 10 s for a minute.
func TestLoad(t *testing.T) {
	n, d, period := 1000, time.Minute, 10*time.Second
	if testing.Short() {
		n, d, period = 100, 12*time.Second, 4*time.Second
	}
	r := loadRun(t, n, d, period, period, false)
	var lost, pending int64
	causes := map[string]int64{}
	for _, s := range r.e.States() {
		lost += s.Stats.UplinkLost
		pending += int64(s.Stats.UplinkPending)
		for k, v := range s.Stats.LostCauses {
			causes[k] += v
		}
	}
	p50, p99, mx, events := r.e.Lag()
	t.Logf("%d modules, %v: %d sends, %d taken, %d refused, %d received, %d lost %v; scheduling delay p50 %v p99 %v max %v (%d events)",
		n, d, r.sent, r.okAnswers, r.errors, r.received, lost, causes, p50, p99, mx, events)
	if r.okAnswers == 0 || r.received == 0 {
		t.Fatal("nothing went through")
	}
	if r.received+lost+pending != r.okAnswers {
		t.Errorf("taken %d ≠ received %d + lost %d + still waiting %d", r.okAnswers, r.received, lost, pending)
	}
}

// BenchmarkEmulate measures what the issue asks of the live driver: how
// late events run behind the wall clock (p99 scheduling delay) and the
// memory, with 1,000 modules sending every 10 s through their AT ports for
// 30 s. Run: go test -run '^$' -bench Emulate -benchtime 1x ./emulate/
func BenchmarkEmulate(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("short")
			}
			// Three descriptors a module over TCP (listener, both ends of
			// the client's connection); beyond this machine's limit the
			// clients use in-memory pipes into the same port code.
			var lim syscall.Rlimit
			pipes := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil || lim.Cur < uint64(3*n+1000)
			if pipes {
				b.Logf("%d modules need %d file descriptors over TCP, the limit is %d: in-memory pipes", n, 3*n+1000, lim.Cur)
			}
			for range b.N {
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				r := loadRun(b, n, 30*time.Second, 10*time.Second, 10*time.Second, pipes)
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				_, p99, _, _ := r.e.Lag()
				b.ReportMetric(float64(p99)/1e6, "p99-delay-ms")
				b.ReportMetric(float64(after.Sys)/(1<<20), "sys-MB")
				b.ReportMetric(float64(r.received), "delivered")
			}
		})
	}
}

// waitQuiet lets what is in flight arrive or fail: it returns once
// nothing waits in e's modules and the sink's count has not moved for a
// second, or after at most max.
func waitQuiet(e *Emulator, received *atomic.Int64, max time.Duration) {
	for deadline, last := time.Now().Add(max), int64(-1); time.Now().Before(deadline); {
		time.Sleep(time.Second)
		if r := received.Load(); e.Pending() == 0 && r == last {
			return
		} else {
			last = r
		}
	}
}
