package emulate

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Config.Observe sees the network's events of a module in order: the
// radio on, the attach, the access of a send, the uplink at SGi and the
// downlink of the echo.
func TestObserve(t *testing.T) {
	echo := udpEcho(t)
	var mu sync.Mutex
	var kinds []EventKind
	_, addrs := start(t, Config{Modules: 1, Seed: 1, Observe: func(ev Event) {
		mu.Lock()
		kinds = append(kinds, ev.Kind)
		mu.Unlock()
	}})
	a := dialAT(t, addrs[0])
	a.must("ATE0")
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:1", 30*time.Second)
	a.must("AT+NSOCR=DGRAM,17,5000,1")
	a.must(fmt.Sprintf("AT+NSOST=0,%s,%d,4,41424344", echo.Addr(), echo.Port()))
	a.wait("+NSONMI:0", 30*time.Second)
	mu.Lock()
	got := slices.Clone(kinds)
	mu.Unlock()
	want := []EventKind{EvRadioOn, EvConnected, EvAttached, EvUplink, EvDownlink}
	i := 0
	for _, k := range got {
		if i < len(want) && k == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("events %v: want %v in this order", got, want)
	}
	if EvAttached.String() != "attached" || EventKind(0).String() != "event?" {
		t.Errorf("names: %v %v", EvAttached, EventKind(0))
	}
}
