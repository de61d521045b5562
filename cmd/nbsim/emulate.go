package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbsim/nbsim/emulate"
	"github.com/nbsim/nbsim/internal/apiauth"
	"github.com/nbsim/nbsim/module"
	"github.com/nbsim/nbsim/platform"
	"github.com/nbsim/nbsim/scenarios"
)

type emulateOptions struct {
	ues        int
	atListen   string
	pty        bool
	ptyDir     string
	api        string
	coap       string
	platform   string
	nonIP      string
	sgiBind    string
	seed       uint64
	sets       []string
	trace      string
	duration   string
	batteryMAh float64
	noAuto     bool
	pcap       string
	tun        bool
	tunModules int
	traceMods  []int
	apiToken   string
	tokenFile  string
	atIdle     time.Duration
	atTakeover bool
	faults     faultOptions // emulate_faults.go
	modules    []string
	moduleFile []string
	profiles   []*module.Profile
}

func newEmulate(stdout, stderr io.Writer) *cobra.Command {
	var o emulateOptions
	c := &cobra.Command{
		Use:   "emulate [SCENARIO]",
		Short: "Emulate NB-IoT modules with AT-command ports on a live simulated network",
		Long: `Run a simulated NB-IoT network in wall-clock time with emulated modules
whose AT-command ports your firmware talks to (--module: BC95-class by
default, or another module's command set; docs/at-commands.md,
docs/firmware.md). SCENARIO gives the network (default: lab); its first
device group is the template of every module.

Each module listens on TCP (--at-listen, module i on port+i) and/or a
pseudo-terminal (--pty, with a stable symlink in --pty-dir). Socket data
(AT+NSOST) leaves this host as real UDP and answers come back; AT+NMGS
messages go to the built-in IoT platform (CoAP on --coap, HTTP API on
--api) unless --platform points elsewhere. The control API (on --api)
changes coverage, policies and faults at run time (docs/emulate.md).

Every request to --api needs "Authorization: Bearer TOKEN": the token is
--api-token, else $NBSIM_API_TOKEN, else a new random one written to a
file only you can read (--api-token-file; its path is printed at start):
  curl -H "Authorization: Bearer $(cat $XDG_RUNTIME_DIR/nbsim/api-token)" \
       127.0.0.1:8080/api/modules
POSTs need Content-Type: application/json.

A module's TCP AT port takes one client at a time: a second one is told
"+NBSIM: busy" and closed, unless --at-takeover (then it replaces the
first). A client that sends nothing for --at-idle is closed.

Runs until interrupted (or --duration), then prints each module's energy.
Exit status: 0, or 2 on bad flags or addresses it cannot use.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			name := "lab"
			if len(args) == 1 {
				name = args[0]
			}
			return runEmulate(ctx, name, o, stdout, stderr)
		},
	}
	f := c.Flags()
	f.IntVar(&o.ues, "ues", 1, "number of emulated modules")
	f.StringVar(&o.atListen, "at-listen", "127.0.0.1:7000", "AT ports on TCP: module i on this port + i (empty: none)")
	f.BoolVar(&o.pty, "pty", false, "give every module a pseudo-terminal too")
	f.StringVar(&o.ptyDir, "pty-dir", os.TempDir()+"/nbsim", "directory of the stable symlinks nbsim-at<i> to the pseudo-terminals")
	f.StringVar(&o.api, "api", platform.DefaultAPIAddr, "HTTP address of the platform and control API (empty: none)")
	f.StringVar(&o.coap, "coap", platform.DefaultCoAPAddr, "CoAP address of the built-in IoT platform")
	f.StringVar(&o.platform, "platform", "", "use this IoT platform instead of the built-in one: coap://HOST:PORT")
	f.StringVar(&o.nonIP, "nonip-server", "", "application server HOST:PORT for Non-IP data (SGi UDP tunnel)")
	f.StringVar(&o.sgiBind, "sgi-bind", "127.0.0.1", sgiBindHelp)
	f.Uint64Var(&o.seed, "seed", 1, "random seed of the network model")
	f.StringArrayVar(&o.sets, "set", nil, "override a scenario value: KEY=VALUE (repeatable)")
	f.StringVar(&o.trace, "trace", "", "write the per-module trace (AT, procedures, power states) to FILE ('-': stdout)")
	f.IntSliceVar(&o.traceMods, "trace-modules", nil, "trace only these modules (e.g. 0,3; default: all)")
	f.StringVar(&o.duration, "duration", "", "stop after this long (default: until interrupted)")
	f.Float64Var(&o.batteryMAh, "battery-mah", 0, "battery capacity of the life projection (default: the scenario's)")
	f.StringSliceVar(&o.modules, "module", nil, "module profile(s) to emulate, module i takes the (i mod n)th: "+strings.Join(module.ProfileNames(), ", ")+" (default: "+module.DefaultProfile+"; docs/firmware.md)")
	f.StringSliceVar(&o.moduleFile, "module-file", nil, "your own module profile(s) (YAML, docs/firmware.md), after the --module ones")
	f.BoolVar(&o.noAuto, "no-autoconnect", false, "modules boot with the radio off (AT+NCONFIG=AUTOCONNECT,FALSE)")
	f.StringVar(&o.pcap, "pcap", "", "write every S1AP message (NAS inside) and user packet to FILE (pcap, written at exit)")
	f.BoolVar(&o.tun, "tun", false, "give modules a TUN interface nbsim<i> with their PDN address, for host programs' UDP (Linux, root; docs/emulate.md)")
	f.IntVar(&o.tunModules, "tun-modules", 1, "with --tun: how many modules get one, from module 0 (0: all)")
	f.StringVar(&o.apiToken, "api-token", "", "bearer token of the HTTP API (default: $"+apiauth.EnvToken+", else a new random one in --api-token-file); other users of this host can read it in ps: prefer $"+apiauth.EnvToken+" there")
	f.StringVar(&o.tokenFile, "api-token-file", "", "where a generated API token is written, mode 0600 (default: $XDG_RUNTIME_DIR/nbsim/api-token, else in the user's config directory)")
	f.DurationVar(&o.atIdle, "at-idle", emulate.DefaultATIdle, "close a TCP AT client that sends nothing for this long (0: never)")
	f.BoolVar(&o.atTakeover, "at-takeover", false, "a new TCP AT client replaces a module's current one (default: it is refused)")
	addFaultFlags(f, &o.faults)
	return c
}

func resolveUDP(flag, s string) (netip.AddrPort, error) {
	a, err := net.ResolveUDPAddr("udp4", s)
	if err != nil {
		return netip.AddrPort{}, usageError{fmt.Errorf("%s %q: %v (want HOST:PORT)", flag, s, err)}
	}
	ap := a.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), nil
}

// runEmulate is `nbsim emulate`: flags checked before any port is taken,
// the emulation built, its ports served, then run until ctx ends.
func runEmulate(ctx context.Context, name string, o emulateOptions, stdout, stderr io.Writer) error {
	r := &emulation{o: o, name: name, stdout: stdout, stderr: stderr}
	defer r.close()
	if err := r.checkFlags(); err != nil {
		return err
	}
	if err := r.config(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	r.defers(cancel)
	if r.until > 0 {
		var c2 context.CancelFunc
		ctx, c2 = context.WithTimeout(ctx, r.until)
		r.defers(c2)
	}
	if err := r.build(ctx); err != nil {
		return err
	}
	if err := r.serve(ctx); err != nil {
		return err
	}
	return r.run(ctx)
}

// emulation is one run of `nbsim emulate`, from its flags to its end.
type emulation struct {
	o              emulateOptions
	name           string
	stdout, stderr io.Writer

	sc     *scenarios.Scenario
	until  time.Duration  // --duration (0: until interrupted)
	atBase netip.AddrPort // --at-listen
	cfg    emulate.Config

	guard     *apiauth.Guard     // the API's token check (nil: no --api)
	tokenFile string             // where a generated token was written
	plat      *platform.Platform // the built-in platform (nil: --platform)
	tr        *pcapTracer        // --pcap
	e         *emulate.Emulator
	ctlAddr   string // where the control API is served

	closers []func() // run last first by close, as defers
}

// defers registers f to run when the emulation ends (last registered,
// first run).
func (r *emulation) defers(f func()) { r.closers = append(r.closers, f) }

func (r *emulation) close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
}

// checkFlags checks the module count, the scenario, --duration,
// --at-listen and --at-idle.
func (r *emulation) checkFlags() error {
	o := r.o
	if o.ues < 1 || o.ues > 60000 {
		return usageError{fmt.Errorf("--ues %d: between 1 and 60000", o.ues)}
	}
	sc, err := scenarios.Load(r.name, o.sets)
	if err != nil {
		return usageError{err}
	}
	r.sc = sc
	if o.duration != "" {
		d, err := scenarios.ParseDuration(o.duration)
		if err != nil || d <= 0 {
			return usageError{fmt.Errorf("--duration %q: want a positive duration such as 90s or 10m", o.duration)}
		}
		r.until = d.D()
	}
	// Every flag is checked before any port is taken.
	if o.atListen != "" {
		if r.atBase, err = netip.ParseAddrPort(o.atListen); err != nil {
			return usageError{fmt.Errorf("--at-listen %q: want IP:PORT", o.atListen)}
		}
	}
	if o.atIdle < 0 {
		return usageError{fmt.Errorf("--at-idle %v: want a duration of 0 (never) or more", o.atIdle)}
	}
	return r.checkProfiles()
}

// checkProfiles loads --module and --module-file.
func (r *emulation) checkProfiles() error {
	for _, n := range r.o.modules {
		p, err := module.LookupProfile(strings.TrimSpace(n))
		if err != nil {
			return usageError{fmt.Errorf("--module: %w", err)}
		}
		r.o.profiles = append(r.o.profiles, p)
	}
	for _, f := range r.o.moduleFile {
		p, err := module.LoadProfile(f)
		if err != nil {
			return usageError{fmt.Errorf("--module-file: %w", err)}
		}
		r.o.profiles = append(r.o.profiles, p)
	}
	return nil
}

// config builds the emulator's configuration from the other flags; it
// opens the --trace file.
func (r *emulation) config() error {
	o := r.o
	r.cfg = emulate.Config{Scenario: r.sc, Modules: o.ues, Seed: o.seed, AutoConnect: !o.noAuto, BatteryMAh: o.batteryMAh,
		Profiles: o.profiles, ATIdle: o.atIdle, ATTakeover: o.atTakeover, Log: r.stderr}
	if o.atIdle == 0 {
		r.cfg.ATIdle = -1 // never
	}
	var err error
	if r.cfg.SGiBind, err = parseSGiBind(o.sgiBind); err != nil {
		return err
	}
	if o.nonIP != "" {
		if r.cfg.NonIPServer, err = resolveUDP("--nonip-server", o.nonIP); err != nil {
			return err
		}
	}
	if err := r.traceConfig(); err != nil {
		return err
	}
	if err := r.faultConfig(); err != nil {
		return err
	}
	// The platform: built in, or the one --platform names.
	if o.platform != "" {
		hp, ok := strings.CutPrefix(o.platform, "coap://")
		if !ok {
			return usageError{fmt.Errorf("--platform %q: want coap://HOST:PORT", o.platform)}
		}
		if r.cfg.Platform, err = resolveUDP("--platform", hp); err != nil {
			return err
		}
	}
	return nil
}

// traceConfig applies --trace-modules and --trace.
func (r *emulation) traceConfig() error {
	o := r.o
	for _, m := range o.traceMods {
		if m < 0 || m >= o.ues {
			return usageError{fmt.Errorf("--trace-modules: module %d: modules are 0..%d", m, o.ues-1)}
		}
		if r.cfg.TraceModules == nil {
			r.cfg.TraceModules = map[int]bool{}
		}
		r.cfg.TraceModules[m] = true
	}
	switch o.trace {
	case "":
	case "-":
		r.cfg.Trace = r.stdout
	default:
		f, err := os.Create(o.trace)
		if err != nil {
			return usageError{fmt.Errorf("--trace: %v", err)}
		}
		r.defers(func() { f.Close() })
		r.cfg.Trace = f
	}
	return nil
}

// build decides the API token, starts the built-in platform, opens the
// pcap and builds the emulator with its control API.
func (r *emulation) build(ctx context.Context) error {
	// The API's guard: its token is decided before any port is taken.
	if r.o.api != "" {
		token, written, err := apiauth.Resolve(r.o.apiToken, r.o.tokenFile)
		if err != nil {
			return usageError{err}
		}
		if r.guard, err = apiauth.New(token); err != nil {
			return usageError{fmt.Errorf("--api-token: %v", err)}
		}
		if written != "" {
			r.tokenFile = written
			r.defers(func() { apiauth.RemoveTokenFile(written, token) })
		}
	}
	if r.o.platform == "" {
		if err := r.builtinPlatform(); err != nil {
			return err
		}
	}
	if r.o.pcap != "" {
		tr, err := newPcapTracer(r.o.pcap)
		if err != nil {
			return usageError{err}
		}
		tr.base = time.Now().UTC()
		r.tr, r.cfg.Capture = tr, tr
	}
	var err error
	if r.e, err = emulate.New(r.cfg); err != nil {
		if r.tr != nil {
			r.tr.finish(false)
		}
		return err
	}
	return r.controlAPI(ctx)
}

// builtinPlatform starts the built-in IoT platform (its CoAP and HTTP
// listeners) and points the modules at it.
func (r *emulation) builtinPlatform() error {
	pc := platform.Config{CoAPAddr: r.o.coap, APIAddr: r.o.api,
		DeviceState: func(ep string) map[string]any { return deviceState(r.e, ep) },
		// A module's endpoint takes uplinks only from its gateway socket.
		Bind: func(ep string) (netip.AddrPort, bool) {
			if r.e == nil {
				return netip.AddrPort{}, false
			}
			return r.e.PlatformSource(ep)
		}}
	if r.guard != nil {
		pc.WrapAPI = r.guard.Wrap
	}
	plat, err := platform.New(pc)
	if err != nil {
		return usageError{bindError(r.o, err)}
	}
	r.plat = plat
	r.defers(func() { plat.Close() })
	ap, err := resolveUDP("--coap", plat.CoAPAddr().String())
	if err != nil {
		return err
	}
	if ap.Addr().IsUnspecified() {
		ap = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), ap.Port())
	}
	r.cfg.Platform = ap
	return nil
}

// controlAPI serves the emulator's control API: on the built-in
// platform's HTTP listener, or on its own at --api with --platform.
func (r *emulation) controlAPI(ctx context.Context) error {
	if r.plat != nil {
		r.e.RegisterAPI(r.plat)
		if a := r.plat.APIAddr(); a != nil {
			r.ctlAddr = a.String()
		}
		return r.plat.Start(ctx)
	}
	if r.o.api == "" {
		return nil
	}
	mux := http.NewServeMux()
	r.e.RegisterAPI(mux)
	l, err := net.Listen("tcp", r.o.api)
	if err != nil {
		return usageError{fmt.Errorf("--api %s: %v", r.o.api, opErr(err))}
	}
	r.ctlAddr = l.Addr().String()
	apiSrv := &http.Server{Handler: r.guard.Wrap(mux), ErrorLog: log.New(io.Discard, "", 0)}
	// The built-in platform's limits and connection limiter: at
	// MaxConns the oldest connection without a request is closed.
	go apiSrv.Serve(apiauth.LimitConns(apiSrv, l, apiauth.MaxConns))
	r.defers(func() { apiSrv.Close() })
	return nil
}

// serve opens the modules' AT ports (TCP, pseudo-terminals) and TUN
// interfaces, and prints where everything is.
func (r *emulation) serve(ctx context.Context) error {
	o, stdout := r.o, r.stdout
	fmt.Fprintf(stdout, "nbsim emulate: %d module(s) on scenario %s\n", o.ues, r.name)
	if n := len(o.profiles); n > 0 {
		names := make([]string, n)
		for i, p := range o.profiles {
			names[i] = p.String()
		}
		fmt.Fprintf(stdout, "modules: %s (module i is the (i mod %d)th)\n", strings.Join(names, ", "), n)
	}
	if o.atListen != "" {
		addrs, err := r.e.ListenTCP(ctx, r.atBase)
		if err != nil {
			return usageError{err}
		}
		fmt.Fprintf(stdout, "AT ports: tcp://%s", addrs[0])
		if len(addrs) > 1 {
			fmt.Fprintf(stdout, " … tcp://%s", addrs[len(addrs)-1])
		}
		fmt.Fprintln(stdout)
	}
	if o.pty {
		ptys, err := r.e.OpenPTYs(ctx, o.ptyDir)
		if err != nil {
			return usageError{err}
		}
		for i, p := range ptys {
			if i < 10 {
				fmt.Fprintf(stdout, "module %d: %s (%s)\n", i, p.Link, p.Path)
			}
		}
	}
	if o.tun {
		if err := r.openTUNs(ctx); err != nil {
			return err
		}
	}
	r.printEndpoints()
	return nil
}

// openTUNs gives the first --tun-modules modules a TUN interface.
func (r *emulation) openTUNs(ctx context.Context) error {
	if r.o.tunModules < 0 {
		return usageError{fmt.Errorf("--tun-modules %d: want 0 (all) or more", r.o.tunModules)}
	}
	tuns, err := r.e.OpenTUNs(ctx, r.o.tunModules)
	if err != nil {
		return usageError{fmt.Errorf("--tun: %v", err)}
	}
	for _, t := range tuns[:min(len(tuns), 10)] {
		fmt.Fprintf(r.stdout, "module %d: TUN interface %s\n", t.Module, t.Name)
	}
	if w := tuns[0].Warning; w != "" {
		fmt.Fprintf(r.stderr, "nbsim emulate: warning: %s\n", w)
	}
	return nil
}

// printEndpoints prints the platform's and the control API's addresses
// and where the API token is.
func (r *emulation) printEndpoints() {
	stdout := r.stdout
	if r.plat != nil {
		fmt.Fprintf(stdout, "platform: coap://%s, API http://%s/api/devices\n", r.plat.CoAPAddr(), apiAddr(r.plat))
	} else {
		fmt.Fprintf(stdout, "platform: %s\n", r.o.platform)
	}
	if r.ctlAddr != "" {
		fmt.Fprintf(stdout, "control API: http://%s/api/modules\n", r.ctlAddr)
		if r.tokenFile != "" {
			fmt.Fprintf(stdout, "API token (send Authorization: Bearer TOKEN): in %s\n", r.tokenFile)
		} else {
			fmt.Fprintf(stdout, "API token (send Authorization: Bearer TOKEN): the one given by --api-token or $%s\n", apiauth.EnvToken)
		}
	}
}

// run drives the emulation until ctx ends, then waits for the ports,
// writes the pcap and prints the scheduling delay and each module's
// energy.
func (r *emulation) run(ctx context.Context) error {
	e, stdout := r.e, r.stdout
	runErr := e.Run(ctx)
	e.Close() // the AT ports have ended with ctx: wait for them (and their links)
	if r.tr != nil {
		if err := r.tr.finish(true); err != nil && runErr == nil {
			runErr = err
		}
	}
	p50, p99, mx, n := e.Lag()
	fmt.Fprintf(stdout, "nbsim emulate: stopped; scheduling delay p50 %v p99 %v max %v over %d events\n",
		p50.Round(time.Microsecond), p99.Round(time.Microsecond), mx.Round(time.Microsecond), n)
	for _, s := range e.States() {
		en := s.Energy
		fmt.Fprintf(stdout, "module %d %s: %s, %d sent, %d received, %.4f mAh (%.5f mAh/message), battery %.2f years at this rate (%.0f mAh)\n",
			s.Module, s.IMEI, s.Registration, s.Stats.UplinkSent, s.Stats.DownlinkReceived, en.ChargeMAh, en.MAhPerMessage, en.BatteryYears, en.BatteryMAh)
	}
	return runErr
}

// bindError names the flag of the address the built-in platform could
// not use: --api for its TCP listener, --coap for its UDP socket.
func bindError(o emulateOptions, err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "listen" {
		flag, addr := "--coap", o.coap
		if strings.HasPrefix(oe.Net, "tcp") {
			flag, addr = "--api", o.api
		}
		return fmt.Errorf("%s %s: %v", flag, addr, opErr(err))
	}
	return fmt.Errorf("built-in platform: %v", err)
}

// opErr is the system's reason inside a listen error ("bind: address
// already in use"), without Go's restatement of the address.
func opErr(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

func apiAddr(p *platform.Platform) string {
	if a := p.APIAddr(); a != nil {
		return a.String()
	}
	return "(none)"
}

// deviceState is what the platform's device list shows of the module
// behind an endpoint (the IMEI).
func deviceState(e *emulate.Emulator, ep string) map[string]any {
	if e == nil {
		return nil
	}
	for i := 0; i < e.Modules(); i++ {
		if e.IMEI(i) == ep {
			return map[string]any{"module": i, "imsi": e.IMSI(i)}
		}
	}
	return nil
}
