package emulate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/gw"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sim"
)

// Config configures an emulation.
type Config struct {
	// Scenario is the network; its first group is the template every
	// module is a copy of. Nil: the shipped "lab" scenario.
	Scenario *scenarios.Scenario
	// Modules is how many emulated modules run (default 1).
	Modules int
	// Seed draws the modules' placement (coverage) and the model's random
	// streams.
	Seed uint64
	// Platform is where AT+NMGS messages go by default (the built-in
	// platform's CoAP address, usually).
	Platform netip.AddrPort
	// NonIPServer receives Non-IP data (see epc/gw).
	NonIPServer netip.AddrPort
	// SGiBind is the host address the gateway's sockets bind (zero: the
	// gateway's default, 127.0.0.1).
	SGiBind netip.Addr
	// Trace, if set, receives the per-module trace: AT lines in and out,
	// procedures and power-state changes, one line each.
	Trace io.Writer
	// TraceModules limits the trace to these module numbers (nil: all).
	TraceModules map[int]bool
	// Clock is the wall clock (nil: the system's); Epoch is the network
	// time (AT+CCLK) at the start (zero: the clock's now).
	Clock sim.Clock
	Epoch time.Time
	// AutoConnect is what modules boot with (BC95 NCONFIG AUTOCONNECT).
	AutoConnect bool
	// Profiles are the modules emulated: module i is Profiles[i mod
	// len(Profiles)] (empty: module.DefaultProfile). A profile's power
	// table replaces the scenario's device power model for its modules.
	Profiles []*module.Profile
	// BatteryMAh overrides the battery of the projection (0: the scenario's).
	BatteryMAh float64
	// Capture, if set, receives every S1AP PDU and every user-data packet
	// (the CLI's --pcap), with the time since the start.
	Capture Capture
	// ATIdle closes a TCP AT client that sends nothing for this long
	// (0: DefaultATIdle; negative: never).
	ATIdle time.Duration
	// ATTakeover lets a new TCP AT client replace a module's current one;
	// without it the new client is told "+NBSIM: busy" and closed.
	ATTakeover bool
	// Observe, if set, is told of every module's network events (attaches,
	// TAUs, accesses, PSM, data at SGi and at the module), on the engine
	// goroutine: it must not block or call into the Emulator.
	Observe func(Event)
	// Log receives the emulator's own notices (an AT port's accept
	// failing and recovering), one line each. Nil: os.Stderr.
	Log io.Writer
	// NAT is the operator's NAT at SGi (nat.go); the zero value keeps
	// bindings for ever.
	NAT NATConfig
	// Timeline, if set, is the fault timeline the network plays
	// (timeline.go, ParseTimeline), from network time 0.
	Timeline *Timeline
}

// Capture is what --pcap needs: the model's S1AP trace and the real user
// packets (IPv4 on an IP PDN) at SGi.
type Capture interface {
	S1AP(at time.Duration, enb int, uplink bool, pdu []byte)
	UserData(at time.Duration, uplink bool, pkt []byte)
}

// s1apOnly passes the model's S1AP trace on; its SGi calls (sizes only)
// are replaced by the real packets the emulator captures itself.
type s1apOnly struct{ c Capture }

func (s s1apOnly) S1AP(at time.Duration, enb int, uplink bool, pdu []byte) {
	s.c.S1AP(at, enb, uplink, pdu)
}
func (s1apOnly) SGi(time.Duration, netip.Addr, bool, int) {}

// Emulator is a running emulation. Methods other than Run are safe for
// concurrent use: they hand their work to the engine goroutine.
type Emulator struct {
	cfg    Config
	net    *model.Network
	rt     *sim.Realtime
	gw     *gw.Gateway
	mods   []*mod
	byIMSI map[string]int32
	byIMEI map[string]int32
	epoch  time.Time

	// The AT ports' goroutines (ports.go: accept loops, client sessions,
	// output writers, pseudo-terminals), joined by Close; closing ends the
	// context they serve under.
	ports     sync.WaitGroup
	closing   context.Context
	closePort context.CancelFunc

	traceMu sync.Mutex
	lagMu   sync.Mutex
	lags    []time.Duration // scheduling delay samples (wall - due)

	started chan struct{}
	stopped chan struct{}

	runMu sync.Mutex // serialises calls into the model when Run is not driving it

	// faults and policies set through the control API and the timeline
	coreDown    bool
	rejectCause nas.EMMCause
	rejectT3346 time.Duration    // sent with rejectCause #22 (0: none)
	core        *restartableCore // nil: the core cannot restart
	nat         *nat
	tl          *timelineRun // nil: no timeline
}

// mod is one module with its stack.
type mod struct {
	e    *Emulator
	id   int32
	n    int // module number (0-based)
	m    *module.Module
	imsi string
	imei string

	radioOn    bool
	detaching  bool
	wantAttach bool
	pdn        module.PDN
	reg        module.RegState
	cause      nas.EMMCause
	lastErr    string
	psmReq     epc.PSMRequest
	edrxReq    epc.EDRXRequest
	firstReg   time.Duration // network time of the first registration + 1 (0: none yet)
	// Coverage as the module sees it (coverage.go): no suitable cell
	// (registered, searching), the search under way, back in coverage
	// with a TAU to finish before +CEREG: 1.
	noService bool
	searchGen int
	returning bool

	outMu sync.Mutex
	out   func([]byte) // the port's writer; nil: output discarded

	tun *TUN // the module's TUN interface (tun.go); nil: none

	stats ModStats

	// Faults: the probability that a downlink or uplink packet is lost,
	// drawn from the module's own streams (made at first use).
	dropDown, dropUp float64
	rngDown, rngUp   *sim.Stream

	// Attach back-off after a reject with cause #22 (TS 24.301
	// §5.5.1.2.5): the end of T3346 (network time), the attempt counter of
	// the abnormal case without it (§5.5.1.2.6), and the retry timer.
	t3346Until time.Duration
	attempts   int
	retry      sim.Timer
	// The attach reject injected for this module alone (0: none) and the
	// T3346 sent with it.
	rejectCause nas.EMMCause
	rejectT3346 time.Duration
}

// ModStats are a module's data counters.
type ModStats struct {
	UplinkSent       int64            `json:"uplink_sent"`       // packets that left the core at SGi
	UplinkLost       int64            `json:"uplink_lost"`       // packets lost before the core, by cause below
	DownlinkReceived int64            `json:"downlink_received"` // packets that reached the module
	DownlinkLost     int64            `json:"downlink_lost"`     // packets the core dropped
	LostCauses       map[string]int64 `json:"lost_causes"`
	UplinkPending    int              `json:"uplink_pending"` // packets waiting in the module for access
}

// New builds the network and the modules. Nothing runs until Run.
func New(cfg Config) (*Emulator, error) {
	if cfg.Modules <= 0 {
		cfg.Modules = 1
	}
	if cfg.Modules > 60000 {
		return nil, fmt.Errorf("emulate: %d modules: at most 60000", cfg.Modules)
	}
	sc := cfg.Scenario
	if sc == nil {
		var err error
		if sc, err = scenarios.Load("lab", nil); err != nil {
			return nil, err
		}
	}
	sc, err := perModule(sc, cfg.Modules, cfg.Profiles)
	if err != nil {
		return nil, err
	}
	n, err := model.Build(sc, cfg.Seed)
	if err != nil {
		return nil, err
	}
	if cfg.Clock == nil {
		cfg.Clock = sim.SystemClock{}
	}
	e := &Emulator{cfg: cfg, net: n, byIMSI: map[string]int32{}, byIMEI: map[string]int32{}, started: make(chan struct{}), stopped: make(chan struct{})}
	e.closing, e.closePort = context.WithCancel(context.Background())
	e.epoch = cfg.Epoch
	if e.epoch.IsZero() {
		e.epoch = cfg.Clock.Now().UTC().Truncate(time.Second)
	}
	e.rt = sim.NewRealtime(n.Engine(), cfg.Clock)
	e.rt.OnLag = e.onLag
	if cfg.NAT.Timeout == 0 {
		cfg.NAT.Timeout = sc.Core.NATTimeout.D()
	}
	if err := cfg.NAT.Check("NAT"); err != nil {
		return nil, fmt.Errorf("emulate: %w", err)
	}
	if cfg.Timeline != nil {
		if err := cfg.Timeline.Check(cfg.Modules); err != nil {
			return nil, err
		}
	}
	e.nat = newNAT(cfg.NAT)
	e.nat.forget = func(k natKey, b binding) {
		e.gw.CloseVia(e.mods[k.id].imsi, k.ep, gw.Binding{Gen: b.gen, Addr: b.pub})
	}
	e.gw, err = gw.New(gw.Config{NonIPServer: cfg.NonIPServer, DownlinkVia: e.fromSGi, Bind: cfg.SGiBind})
	if err != nil {
		return nil, err
	}
	var opt model.Options
	if cfg.Capture != nil {
		opt.Trace = s1apOnly{cfg.Capture}
	}
	if m, ok := n.Core().(*mme.MME); ok {
		e.core = &restartableCore{MME: m}
		opt.Core = e.core
	}
	if err := n.StartLive(opt, (*hooks)(e)); err != nil {
		e.gw.Close()
		return nil, err
	}
	for i := 0; i < cfg.Modules; i++ {
		md := &mod{e: e, id: int32(i), n: i, pdn: module.PDN{Type: module.PDNIP}}
		info, _ := n.Info(md.id)
		md.imsi, md.imei = info.IMSI, imei(i)
		e.byIMSI[md.imsi] = md.id
		e.byIMEI[md.imei] = md.id
		mc := module.DefaultConfig()
		mc.IMEI, mc.IMSI, mc.ICCID = md.imei, md.imsi, iccid(i)
		mc.Platform = cfg.Platform
		mc.Profile = profileOf(cfg.Profiles, i)
		mc.AutoConnect = cfg.AutoConnect
		mc.Band = bandNumber(sc.Radio.Band)
		mc.EARFCN = earfcn(mc.Band)
		mc.Out = md.write
		mc.Trace = func(dir, text string) { e.trace(md.n, "AT "+dir, text) }
		md.stats.LostCauses = map[string]int64{}
		e.mods = append(e.mods, md)
		md.m = module.New(mc, md)
	}
	if cfg.Timeline != nil {
		e.tl = e.schedule(cfg.Timeline)
	}
	return e, nil
}

// perModule returns a copy of sc with its first group copied once per
// module ("m0001", …), each of one device: the model then keeps every
// module's grants, energy and statistics apart.
func perModule(sc *scenarios.Scenario, n int, profiles []*module.Profile) (*scenarios.Scenario, error) {
	names := sc.GroupNames()
	if len(names) == 0 {
		return nil, errors.New("emulate: the scenario has no device group to copy")
	}
	tmpl := *sc.Groups[names[0]]
	out := *sc
	out.Signalling = "encoded"
	out.Groups = make(map[string]*scenarios.Group, n)
	for i := 0; i < n; i++ {
		g := tmpl
		g.Count = 1
		g.InitiallyAttached = false
		g.Events = nil
		g.Arrivals = nil
		// The firmware asks for PSM, eDRX and RAI (AT+CPSMS, AT+CEDRXS,
		// AT+NSOSTF): a module boots asking for none.
		g.PSM.Enabled, g.EDRX.Enabled, g.RAI = false, false, false
		g.Report.ReplyProbability = 0
		g.Downlink.MeanInterval = 0
		if p := profileOf(profiles, i); p != nil && p.Power != nil {
			g.Power = modulePower(g.Power, p.Power)
		}
		out.Groups[fmt.Sprintf("m%05d", i)] = &g
	}
	return &out, nil
}

// profileOf is module i's profile (nil: the default).
func profileOf(profiles []*module.Profile, i int) *module.Profile {
	if len(profiles) == 0 {
		return nil
	}
	return profiles[i%len(profiles)]
}

// modulePower is the device power model of a module's datasheet table:
// milliwatts = current × supply voltage for PSM, idle sleep, reception
// (also connected monitoring) and transmission (a flat draw at 23 dBm,
// the datasheet's figure, whatever the output power). The MCU baseline,
// paging-occasion energy and C-DRX sleep stay the scenario's: datasheets
// give no such figure.
func modulePower(pw scenarios.Power, t *module.PowerTable) scenarios.Power {
	v := t.VoltageV
	pw.PSMMW = t.PSMUA / 1000 * v
	pw.IdleSleepMW = t.IdleMA * v
	pw.ReceiveMW = t.RxMA * v
	pw.ConnectedMonitorMW = t.RxMA * v
	pw.TxModel = "flat"
	pw.TxFlatMW = t.TxMA * v
	return pw
}

// Modules returns the number of modules.
func (e *Emulator) Modules() int { return len(e.mods) }

// IMSI and IMEI of module i.
func (e *Emulator) IMSI(i int) string { return e.mods[i].imsi }
func (e *Emulator) IMEI(i int) string { return e.mods[i].imei }

// Run drives the network in wall-clock time until ctx is done.
func (e *Emulator) Run(ctx context.Context) error { return e.RunFor(ctx, 0) }

// RunFor is Run that also stops once d of network time has passed (d > 0).
func (e *Emulator) RunFor(ctx context.Context, d time.Duration) error {
	until := sim.Forever
	if d > 0 {
		until = sim.Time(d)
	}
	e.runMu.Lock() // a Do running f directly finishes first
	close(e.started)
	e.runMu.Unlock()
	err := e.rt.Run(ctx, until)
	e.runMu.Lock()
	close(e.stopped)
	e.runMu.Unlock()
	e.gw.Close()
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		err = nil
	}
	if err == nil {
		err = e.net.Err()
	}
	return err
}

// Do runs f on the engine goroutine and waits for it (the way to read or
// change the network from another goroutine). Before Run it runs f at once.
func (e *Emulator) Do(f func()) {
	e.runMu.Lock()
	if !e.running() {
		defer e.runMu.Unlock()
		f()
		return
	}
	e.runMu.Unlock()
	done := make(chan struct{})
	e.inject(func() { f(); close(done) })
	select {
	case <-done:
	case <-e.stopped:
		// Run ended before f ran: run it here.
		e.runMu.Lock()
		defer e.runMu.Unlock()
		select {
		case <-done:
		default:
			f()
		}
	}
}

// running reports whether Run is driving the engine.
func (e *Emulator) running() bool {
	select {
	case <-e.stopped:
		return false
	case <-e.started:
		return true
	default:
		return false
	}
}

// Input feeds bytes from module i's port.
func (e *Emulator) Input(i int, b []byte) {
	b = append([]byte(nil), b...)
	e.inject(func() { e.mods[i].m.Input(b) })
}

// inject runs f on the engine goroutine without waiting (at once before Run).
func (e *Emulator) inject(f func()) {
	e.runMu.Lock()
	if e.running() {
		e.runMu.Unlock()
		e.rt.InjectUnless(f, e.stopped)
		return
	}
	defer e.runMu.Unlock()
	f()
}

// SetOutput sets where module i's output goes (nil: discarded).
func (e *Emulator) SetOutput(i int, w func([]byte)) {
	md := e.mods[i]
	md.outMu.Lock()
	md.out = w
	md.outMu.Unlock()
}

func (md *mod) write(b []byte) {
	md.outMu.Lock()
	w := md.out
	md.outMu.Unlock()
	if w != nil {
		w(b)
	}
}

// PlatformSource is the built-in platform's Config.Bind: for an endpoint
// that is a module's IMEI (the name AT+NMGS messages carry), the host
// address its CoAP messages leave from, which is the gateway's socket of
// the module's PDN address and CoAP port. So no other process on the host
// can send as the module, and the module keeps its endpoint when it
// attaches again. A module without a PDN or a socket yet gets an address
// nothing matches (ok true): nobody may send as it. ok is false for an
// endpoint that is no module's. Safe for concurrent use.
func (e *Emulator) PlatformSource(ep string) (src netip.AddrPort, ok bool) {
	id, ok := e.byIMEI[ep]
	if !ok {
		return netip.AddrPort{}, false
	}
	md := e.mods[id]
	var pdn netip.Addr
	e.Do(func() {
		in, _ := e.net.Info(md.id)
		pdn = in.Addr
	})
	if !pdn.IsValid() {
		return netip.AddrPort{}, true
	}
	cep := netip.AddrPortFrom(pdn, module.CoAPPort)
	var b binding
	var bound bool
	e.Do(func() { b, bound = e.nat.current(natKey{md.id, cep}, e.net.Engine().Now().D()) })
	if !bound {
		return netip.AddrPort{}, true
	}
	src, found := e.gw.EndpointVia(md.imsi, cep, gw.Binding{Gen: b.gen, Addr: b.pub})
	if !found {
		return netip.AddrPort{}, true
	}
	if src.Addr().IsUnspecified() {
		// A socket on every address sends to the platform's address from
		// that same address (a local destination).
		src = netip.AddrPortFrom(e.cfg.Platform.Addr(), src.Port())
	}
	return src, true
}

// fromSGi takes a packet from the gateway (its goroutine) to the device,
// through the NAT's binding b and the downlink loss fault.
func (e *Emulator) fromSGi(imsi string, b gw.Binding, pkt []byte) {
	id, ok := e.byIMSI[imsi]
	if !ok {
		return
	}
	e.inject(func() {
		md := e.mods[id]
		if p, err := ippkt.Parse(pkt); err == nil && b.Gen != 0 {
			if !e.nat.downlink(natKey{id, p.Dst}, b.Gen, e.net.Engine().Now().D()) {
				e.dropped(md, true, "nat-binding-expired", fmt.Sprintf("downlink from %s to %s: the NAT binding %s expired or was replaced", p.Src, p.Dst, b.Addr))
				return
			}
		}
		if md.lose(true) {
			e.dropped(md, true, "fault-dropped", fmt.Sprintf("downlink %d bytes lost (drop_downlink %g)", len(pkt), md.dropDown))
			return
		}
		_ = e.net.Downlink(id, pkt)
	})
}

// lose draws whether the module's next downlink (down) or uplink packet is
// lost to the drop fault (engine goroutine). Without a fault it draws
// nothing, so a run without faults uses no numbers of these streams.
func (md *mod) lose(down bool) bool {
	p, rng, purpose := md.dropUp, &md.rngUp, "fault-drop-uplink"
	if down {
		p, rng, purpose = md.dropDown, &md.rngDown, "fault-drop-downlink"
	}
	if p <= 0 {
		return false
	}
	if *rng == nil {
		s := sim.NewStream(md.e.cfg.Seed, "emulate-module", uint64(md.n), purpose)
		*rng = &s
	}
	return (*rng).Bernoulli(p)
}

// dropped counts a packet lost at SGi or by a fault (engine goroutine).
func (e *Emulator) dropped(md *mod, down bool, cause, why string) {
	if down {
		md.stats.DownlinkLost++
		md.stats.LostCauses["downlink-"+cause]++
	} else {
		md.stats.UplinkLost++
		md.stats.LostCauses["uplink-"+cause]++
	}
	e.trace(md.n, "sgi", why)
}

func (e *Emulator) onLag(d time.Duration) {
	e.lagMu.Lock()
	if len(e.lags) < 1<<20 {
		e.lags = append(e.lags, d)
	}
	e.lagMu.Unlock()
}

// Lag returns the scheduling delay quantiles seen so far (how late events
// ran behind the wall clock): p50, p99, max, and the sample count.
func (e *Emulator) Lag() (p50, p99, max time.Duration, n int) {
	e.lagMu.Lock()
	s := append([]time.Duration(nil), e.lags...)
	e.lagMu.Unlock()
	if len(s) == 0 {
		return 0, 0, 0, 0
	}
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], s[len(s)*99/100], s[len(s)-1], len(s)
}

// trace writes one line of module n's trace.
func (e *Emulator) trace(n int, what, text string) {
	if e.cfg.Trace == nil || (e.cfg.TraceModules != nil && !e.cfg.TraceModules[n]) {
		return
	}
	t := e.net.Engine().Now().D()
	e.traceMu.Lock()
	fmt.Fprintf(e.cfg.Trace, "%10.3f m%d %-7s %s\n", t.Seconds(), n, what, text)
	e.traceMu.Unlock()
}

// traceAll writes one line of the network's trace (every module's).
func (e *Emulator) traceAll(what, text string) {
	if e.cfg.Trace == nil {
		return
	}
	t := e.net.Engine().Now().D()
	e.traceMu.Lock()
	fmt.Fprintf(e.cfg.Trace, "%10.3f net %-7s %s\n", t.Seconds(), what, text)
	e.traceMu.Unlock()
}

// imei is module i's IMEI: TAC 86000000 (a placeholder allocation), serial
// i, Luhn check digit (3GPP TS 23.003 §6.2.1).
func imei(i int) string {
	s := fmt.Sprintf("86000000%06d", i%1000000)
	return s + string(rune('0'+luhn(s)))
}

func luhn(s string) int {
	sum := 0
	for k := 0; k < len(s); k++ {
		d := int(s[len(s)-1-k] - '0')
		if k%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// iccid is module i's ICCID (ITU-T E.118: 89, country 01, issuer, serial).
func iccid(i int) string {
	s := fmt.Sprintf("8901001%012d", i)
	return s + string(rune('0'+luhn(s)))
}

// bandNumber is the number of a band name ("B20" → 20).
func bandNumber(name string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(name)), "B"))
	return n
}

// earfcn is a downlink EARFCN in the band (TS 36.101 Table 5.7.3-1 first
// channel + 100, a placeholder: the model has one carrier per cell).
func earfcn(band int) uint32 {
	first := map[int]uint32{1: 0, 3: 1200, 5: 2400, 8: 3450, 20: 6150, 28: 9210}
	return first[band] + 100
}

// Pending is the number of uplink packets waiting in the modules for access.
func (e *Emulator) Pending() int {
	var k int
	e.Do(func() { k = e.net.LivePending() })
	return k
}

// FirstRegistrations returns, for every module registered so far, the
// network time of its first registration: what firmware sees as the
// attach time of modules switched on at time 0.
func (e *Emulator) FirstRegistrations() []time.Duration {
	var out []time.Duration
	e.Do(func() {
		for _, md := range e.mods {
			if md.firstReg != 0 {
				out = append(out, md.firstReg-1)
			}
		}
	})
	return out
}

// Samples returns every module's access delays, attach times and uplink
// latencies so far (ms), the samples of the model's results.
func (e *Emulator) Samples() (access, attach, latency []float64) {
	add := func(dst []float64, src []float32) []float64 {
		for _, v := range src {
			dst = append(dst, float64(v))
		}
		return dst
	}
	e.Do(func() {
		for _, md := range e.mods {
			a, t, l := e.net.LiveSamples(md.id)
			access, attach, latency = add(access, a), add(attach, t), add(latency, l)
		}
	})
	return access, attach, latency
}
