package devtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nbsim/nbsim/emulate"
	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/scenarios"
)

// Config configures a suite run.
type Config struct {
	// Firmware is the command that runs the firmware under test, run by
	// sh -c once per session with {port} (the AT port: host:port, or the
	// pseudo-terminal's path with PTY), {server} (the suite's UDP server,
	// host:port), {speed} and {period} (seconds) replaced. Empty with Wait.
	Firmware string
	// Wait: no firmware command; each session waits for an external device
	// to connect to its AT port (printed on Progress).
	Wait bool
	// PTY gives the module a pseudo-terminal instead of a TCP port.
	PTY bool
	// ATListen is the TCP AT port (default 127.0.0.1:0, any free port).
	ATListen netip.AddrPort
	// Speed is network time per wall time (default 1): for firmware whose
	// own timers run Speed times faster too.
	Speed float64
	// Period is the firmware's reporting period, network time (default 1m).
	Period time.Duration
	// AttachWithin bounds the first attach (default 1m).
	AttachWithin time.Duration
	// EnergyBudget is the most charge per report, mAh (0: the energy case
	// is skipped).
	EnergyBudget float64
	// AutoConnect boots the modules with the radio on and attaching, as
	// nbsim emulate does; by default they boot with it off, so that the
	// firmware's own attach is tested.
	AutoConnect bool
	// Cases names the cases to run (nil: all).
	Cases []string
	// Parallel is how many sessions run at once (default 1).
	Parallel int
	// Profile is the module emulated (nil: module.DefaultProfile, the
	// BC95-class module).
	Profile *module.Profile
	// Scenario is the network (nil: the shipped "lab"); Seed its seed.
	Scenario *scenarios.Scenario
	Seed     uint64
	// Progress receives a line per session as it starts and ends (nil:
	// none); Trace, if set, gets a trace writer per session (closed after).
	Progress io.Writer
	Trace    func(session string) (io.WriteCloser, error)
	// FirmwareOutput, if set, gets the firmware's output per session.
	FirmwareOutput func(session string) (io.WriteCloser, error)
}

// BadInputError is an error of the suite's input (flags, the firmware
// command): nbsim devtest exits 2 on it.
type BadInputError struct{ Msg string }

func (e *BadInputError) Error() string { return e.Msg }

func badInput(format string, args ...any) error {
	return &BadInputError{Msg: fmt.Sprintf(format, args...)}
}

// Result is one case's outcome.
type Result struct {
	Case     *Case
	Failures []string // empty: passed (or skipped)
	Skipped  string   // why it was not judged
	Error    string   // it could not run to the end (the firmware exited)
	Figures  []Figure
	Wall     time.Duration // the session's wall time
	Network  time.Duration // the session's network time
	// The module's charge over the session (mAh) and the reports that
	// reached the server in it: the energy of the case.
	ChargeMAh float64
	Reports   int
}

// Passed reports whether the case passed or was skipped.
func (r *Result) Passed() bool { return len(r.Failures) == 0 && r.Error == "" }

// Report is a suite run's outcome.
type Report struct {
	Start   time.Time
	Config  Config
	Results []Result
}

// Failed reports whether a case failed.
func (r *Report) Failed() bool {
	for i := range r.Results {
		if !r.Results[i].Passed() {
			return true
		}
	}
	return false
}

// withDefaults checks c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	if c.Speed == 0 {
		c.Speed = 1
	}
	if !(c.Speed >= 0.1 && c.Speed <= 1000) { // NaN too
		return c, badInput("--speed %g: between 0.1 and 1000 (network time per wall time)", c.Speed)
	}
	if c.Period == 0 {
		c.Period = time.Minute
	}
	if c.Period < 10*time.Second || c.Period > 24*time.Hour {
		return c, badInput("--period %v: between 10s and 24h (the firmware's reporting period)", c.Period)
	}
	if c.AttachWithin == 0 {
		c.AttachWithin = time.Minute
	}
	if c.AttachWithin < time.Second || c.AttachWithin > time.Hour {
		return c, badInput("--attach-within %v: between 1s and 1h", c.AttachWithin)
	}
	if !(c.EnergyBudget >= 0) { // NaN too
		return c, badInput("--energy-budget %g: a charge of 0 (none) or more", c.EnergyBudget)
	}
	if c.Parallel <= 0 {
		c.Parallel = 1
	}
	if (c.Firmware == "") == !c.Wait {
		return c, badInput("give --firmware \"CMD {port}\" or --wait (an external device), one of them")
	}
	if c.Wait && c.Parallel > 1 {
		return c, badInput("--wait runs one session at a time: --parallel %d", c.Parallel)
	}
	if !c.ATListen.IsValid() {
		c.ATListen = netip.MustParseAddrPort("127.0.0.1:0")
	}
	if c.ATListen.Port() != 0 && c.Parallel > 1 {
		return c, badInput("--at-listen %v with --parallel %d: groups running at once need port 0 (any free port)", c.ATListen, c.Parallel)
	}
	for _, n := range c.Cases {
		if caseByName(n) == nil {
			return c, badInput("--case %q: one of %s", n, strings.Join(CaseNames(), ", "))
		}
	}
	if c.Scenario == nil {
		sc, err := scenarios.Load("lab", nil)
		if err != nil {
			return c, err
		}
		c.Scenario = sc
	}
	return c, nil
}

// CaseNames lists the cases, in order.
func CaseNames() []string {
	var out []string
	for _, c := range Cases {
		out = append(out, c.Name)
	}
	return out
}

func caseByName(n string) *Case {
	for _, c := range Cases {
		if c.Name == n {
			return c
		}
	}
	return nil
}

// Run runs the suite: each session the selected cases need, Parallel at
// a time, and judges the cases. The error is a BadInputError for bad
// input (a firmware command that exits at once included), or ctx's.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	rep := &Report{Start: time.Now(), Config: cfg}
	var sessions []string
	for _, c := range Cases {
		if len(cfg.Cases) > 0 && !slices.Contains(cfg.Cases, c.Name) {
			continue
		}
		if !slices.Contains(sessions, c.Session) {
			sessions = append(sessions, c.Session)
		}
	}
	outs := make([]*sessionOut, len(sessions))
	// Parallel workers take the sessions in order; bad input in one stops
	// the others.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int, len(sessions))
	for i := range sessions {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(cfg.Parallel, len(sessions)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					outs[i] = &sessionOut{rec: &record{}, err: ctx.Err()}
					continue
				}
				outs[i] = runSession(ctx, &cfg, sessions[i])
				if outs[i].err != nil {
					cancel()
				}
			}
		}()
	}
	wg.Wait()
	var bad *BadInputError
	for _, o := range outs {
		if errors.As(o.err, &bad) {
			return nil, o.err
		}
	}
	for _, o := range outs {
		if o.err != nil {
			return nil, o.err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, c := range Cases {
		if len(cfg.Cases) > 0 && !slices.Contains(cfg.Cases, c.Name) {
			continue
		}
		o := outs[slices.Index(sessions, c.Session)]
		res := Result{Case: c, Wall: o.wall, Network: o.rec.end, Error: o.fwErr, Reports: len(o.rec.reports())}
		if o.rec.energyEnd != nil {
			res.ChargeMAh = o.rec.energyEnd.chargeMAh
		}
		v := c.judge(o.rec, &cfg)
		res.Failures, res.Figures, res.Skipped = v.failures, v.figures, v.skip
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

// sessionOut is a session's outcome.
type sessionOut struct {
	rec   *record
	wall  time.Duration
	fwErr string // the firmware exited before the end
	err   error  // bad input or an emulator failure: the suite stops
}

// speedClock is a wall clock that runs speed times faster than the real
// one (sim.Clock): the emulator's network time runs that much faster.
type speedClock struct {
	base  time.Time
	speed float64
}

func (c *speedClock) Now() time.Time {
	return c.base.Add(time.Duration(float64(time.Since(c.base)) * c.speed))
}

func (c *speedClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(time.Duration(float64(d) / c.speed))
	return t.C, t.Stop
}

// session is one running session.
type session struct {
	name  string
	cfg   *Config
	e     *emulate.Emulator
	clk   *speedClock
	t0    time.Time // clock time of network time 0
	rec   *record
	srv   *server
	spec  *sessionSpec
	port  string
	marks map[string]bool
}

func (s *session) now() time.Duration { return s.clk.Now().Sub(s.t0) }

func runSession(ctx context.Context, cfg *Config, name string) *sessionOut {
	wall0 := time.Now()
	out := &sessionOut{rec: &record{}}
	s := &session{name: name, cfg: cfg, rec: out.rec, clk: &speedClock{base: time.Now(), speed: cfg.Speed}, marks: map[string]bool{}}
	progress(cfg, "%s: starting", name)
	err := s.run(ctx, out)
	out.wall = time.Since(wall0)
	if err != nil {
		out.err = err
		return out
	}
	progress(cfg, "%s: done in %v (%v of network time)", name, out.wall.Round(10*time.Millisecond), s.rec.end.Round(time.Second))
	return out
}

func progress(cfg *Config, format string, args ...any) {
	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, "devtest: "+format+"\n", args...)
	}
}

func (s *session) run(ctx context.Context, out *sessionOut) error {
	cfg := s.cfg
	tap := &traceTap{first: make(chan struct{})}
	var err error
	ecfg := emulate.Config{Scenario: cfg.Scenario, Modules: 1, Seed: cfg.Seed, Clock: s.clk, AutoConnect: cfg.AutoConnect,
		Observe: s.rec.observe, Log: io.Discard, Trace: tap}
	if cfg.Profile != nil {
		ecfg.Profiles = []*module.Profile{cfg.Profile}
	}
	if cfg.Trace != nil {
		w, err := cfg.Trace(s.name)
		if err != nil {
			return err
		}
		defer w.Close()
		tap.w = w
	}
	spec := sessionByName(s.name)
	if ecfg.Timeline, err = spec.parseTimeline(cfg); err != nil {
		return err
	}
	e, err := emulate.New(ecfg)
	if err != nil {
		return err
	}
	s.e, s.spec = e, spec
	ran := false
	defer func() {
		if !ran {
			// RunFor closes the gateway's sockets: run it for nothing.
			stopped, stop := context.WithCancel(context.Background())
			stop()
			_ = e.RunFor(stopped, 0)
		}
	}()
	srv, err := newServer(s)
	if err != nil {
		return err
	}
	defer srv.close()
	s.srv = srv
	if err := s.setup(); err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	port, err := s.openPort(runCtx)
	if err != nil {
		return err
	}
	defer e.Close()
	var fw *firmware
	if cfg.Wait {
		progress(cfg, "%s: waiting for the device on %s (server %s)", s.name, port, srv.addr())
	} else {
		fw, err = startFirmware(cfg, s.name, port, srv.addr())
		if err != nil {
			return err
		}
		defer fw.stop()
	}
	// Network time starts with the firmware's first command line: the
	// device and its module power on together, however long the process
	// took to start. A module with a boot sequence (RDY after seconds)
	// answers nothing before it: its time starts with the firmware.
	if cfg.Profile == nil || len(cfg.Profile.Boot) == 0 {
		if err := s.awaitFirstLine(ctx, tap, fw); err != nil {
			return err
		}
	}
	length := spec.length(cfg)
	done := make(chan error, 1)
	s.t0 = s.clk.Now()
	ran = true
	go func() { done <- e.RunFor(runCtx, length) }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			s.finish(length)
			if err != nil {
				return fmt.Errorf("session %s: the emulation stopped: %w", s.name, err)
			}
			return ctx.Err()
		case <-tick.C:
			s.step()
			if fw != nil {
				if msg := fw.exited(); msg != "" {
					if !tap.started() {
						// A module with a boot sequence: its group ran
						// from the start, but the command exited before
						// it wrote a line, as one does that cannot run.
						cancel()
						<-done
						return badInput("case%s %s: the firmware command exited at once, before it wrote a command line to the AT port: %s",
							plural(s.cases()), strings.Join(s.cases(), ", "), msg)
					}
					if out.fwErr == "" {
						out.fwErr = fmt.Sprintf("the firmware exited at %v of network time: %s", s.now().Round(time.Second), msg)
					}
				}
			}
		}
	}
}

func plural(s []string) string {
	if len(s) > 1 {
		return "s"
	}
	return ""
}

// cases are the names of the session's cases.
func (s *session) cases() []string {
	var out []string
	for _, c := range Cases {
		if c.Session == s.name && (len(s.cfg.Cases) == 0 || slices.Contains(s.cfg.Cases, c.Name)) {
			out = append(out, c.Name)
		}
	}
	return out
}

// firstLineWait bounds the wait for a firmware's first command line.
const firstLineWait = 30 * time.Second

// awaitFirstLine waits for the first command line on the AT port. A
// firmware that exits first is bad input: the command does not run.
func (s *session) awaitFirstLine(ctx context.Context, tap *traceTap, fw *firmware) error {
	var exited <-chan struct{}
	var timeout <-chan time.Time
	if fw != nil {
		exited = fw.done
		t := time.NewTimer(firstLineWait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-tap.first:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-exited:
		return badInput("case%s %s: the firmware command exited at once, before it wrote a command line to the AT port: %s",
			plural(s.cases()), strings.Join(s.cases(), ", "), fw.exited())
	case <-timeout:
		return badInput("case%s %s: the firmware wrote no command line to the AT port (%s) within %v of wall time",
			plural(s.cases()), strings.Join(s.cases(), ", "), s.port, firstLineWait)
	}
}

// traceTap passes the emulator's trace on and tells when the first AT
// command line came in.
type traceTap struct {
	w     io.Writer
	once  sync.Once
	first chan struct{}
}

// started says whether the first AT command line came in.
func (t *traceTap) started() bool {
	select {
	case <-t.first:
		return true
	default:
		return false
	}
}

func (t *traceTap) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(" AT in ")) {
		t.once.Do(func() { close(t.first) })
	}
	if t.w != nil {
		return t.w.Write(p)
	}
	return len(p), nil
}

// openPort opens the module's AT port; it returns what {port} becomes.
func (s *session) openPort(ctx context.Context) (string, error) {
	if s.cfg.PTY {
		ptys, err := s.e.OpenPTYs(ctx, "")
		if err != nil {
			return "", badInput("--pty: %v", err)
		}
		s.port = ptys[0].Path
		return s.port, nil
	}
	addrs, err := s.e.ListenTCP(ctx, s.cfg.ATListen)
	if err != nil {
		return "", badInput("%v", err)
	}
	s.port = addrs[0].String()
	return s.port, nil
}

// setup applies the network settings of every session before it starts
// (the rest is the session's timeline).
func (s *session) setup() error {
	inact := inactivity.String()
	return s.e.SetNetwork(emulate.NetworkState{InactivityTimer: &inact})
}

// step runs the suite's own actions that are due (the runner's
// goroutine): the server's downlink.
func (s *session) step() {
	if s.spec.downlink != nil {
		s.downlinkStep()
	}
}

// downlinkStep sends the server's datagram once enough reports came
// after the session's time and the module entered PSM (or half a period
// after the last of them when it does not).
func (s *session) downlinkStep() {
	if s.marks["downlink"] {
		return
	}
	after, need := s.spec.downlink(s.cfg)
	s.rec.mu.Lock()
	var last datagram
	n := 0
	for _, d := range s.rec.rx {
		if d.at >= after {
			n, last = n+1, d
		}
	}
	asleep := s.rec.inPSM()
	s.rec.mu.Unlock()
	if n < need || (!asleep && s.now() < last.at+s.cfg.Period/2) {
		return
	}
	s.marks["downlink"] = true
	s.srv.send(last.from, []byte(fmt.Sprintf("nbsim devtest downlink %s", s.name)), asleep)
}

func (s *session) energyNow() *energy {
	st := s.e.States()
	if len(st) == 0 || st[0].Energy == nil {
		return nil
	}
	en := st[0].Energy
	return &energy{chargeMAh: en.ChargeMAh, years: en.BatteryYears}
}

// finish records the end of the session.
func (s *session) finish(length time.Duration) {
	s.rec.mu.Lock()
	s.rec.end = min(s.now(), length)
	s.rec.mu.Unlock()
	s.rec.energyEnd = s.energyNow()
}

// server is the suite's UDP server: it records the firmware's datagrams
// and sends the downlink.
type server struct {
	s    *session
	conn *net.UDPConn
	wg   sync.WaitGroup
}

func newServer(s *session) (*server, error) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	srv := &server{s: s, conn: c}
	srv.wg.Add(1)
	go srv.serve()
	return srv, nil
}

func (srv *server) addr() string { return srv.conn.LocalAddr().String() }

func (srv *server) serve() {
	defer srv.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, from, err := srv.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		r := srv.s.rec
		r.mu.Lock()
		if len(r.rx) < 100000 {
			r.rx = append(r.rx, datagram{at: srv.s.now(), data: append([]byte(nil), buf[:n]...), from: from})
		}
		r.mu.Unlock()
	}
}

func (srv *server) send(to netip.AddrPort, b []byte, asleep bool) {
	r := srv.s.rec
	r.mu.Lock()
	r.tx = append(r.tx, datagram{at: srv.s.now(), data: b, from: to, asleep: asleep})
	r.mu.Unlock()
	_, _ = srv.conn.WriteToUDPAddrPort(b, to)
}

func (srv *server) close() {
	srv.conn.Close()
	srv.wg.Wait()
}
