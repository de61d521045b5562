package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbsim/nbsim/epc/gw"
	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/s1"
	"github.com/nbsim/nbsim/epc/s1mme"
)

// coreOptions are the flags of nbsim core.
type coreOptions struct {
	listen    string // empty: the default for this machine
	hssFile   string // empty: the shipped subscribers
	printData bool
	nonIP     string // Non-IP application server HOST:PORT
	sgiBind   string // host address of the SGi sockets
}

func newCore(stdout, stderr io.Writer) *cobra.Command {
	var o coreOptions
	c := &cobra.Command{
		Use:   "core",
		Short: "Run the EPC alone (MME and HSS), serving eNodeBs on S1-MME",
		Long: `Run nbsim's core network alone: the MME with the HSS, serving eNodeBs over
S1-MME (S1AP on SCTP, TS 36.412/36.413) for the test PLMN 001/01, TAC 1.

--listen takes sctp://HOST:PORT (kernel SCTP, what real eNodeBs speak) or
udp://HOST:PORT (SCTP over UDP, for nbsim eNodeBs where the kernel has no
SCTP). The default is sctp://127.0.0.1:36412 when the kernel has SCTP, else
udp://127.0.0.1:36412: loopback, so only this host reaches the core. For an
eNodeB on another host, listen on an address it can reach, e.g.
--listen sctp://0.0.0.0:36412 (docs/security.md). The core runs until interrupted (Ctrl-C) and then
prints its counters.

User data leaves at SGi as real UDP from this host: a device's IPv4/UDP
packets are sent on from a socket the gateway keeps per device endpoint,
and replies (or later requests from a server the device sent to) come back
to the device — paged, or held while it sleeps in PSM. Non-IP data goes to
--nonip-server (the SGi point-to-point UDP tunnel of TS 23.401 §4.3.17.8.3.3.2).
The SGi sockets bind --sgi-bind, 127.0.0.1 by default: servers on this host
only; to reach servers elsewhere give this host's address on their network.

Strangers are bounded: an SCTP-over-UDP handshake must finish within 5 s
and at most 64 run at once; datagrams that are no SCTP INIT start nothing.
SIGINT or SIGTERM stops the core within a few seconds, whatever its peers
do (an association whose SHUTDOWN is not acknowledged within 1 s is
aborted).

Exit status: 0 after an interrupt, 2 on bad flags, an unreadable subscriber
file or an address it cannot listen on (e.g. sctp:// without kernel SCTP).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runCore(ctx, o, stdout, stderr)
		},
	}
	c.Flags().StringVar(&o.listen, "listen", "", "S1-MME address: sctp://HOST:PORT or udp://HOST:PORT (default sctp://127.0.0.1:36412, or udp://127.0.0.1:36412 without kernel SCTP; loopback only)")
	c.Flags().StringVar(&o.hssFile, "hss", "", "subscriber file (YAML, see docs; default: the shipped subscribers)")
	c.Flags().BoolVar(&o.printData, "print-data", false, "print every uplink user data packet leaving the core (SGi)")
	c.Flags().StringVar(&o.sgiBind, "sgi-bind", "127.0.0.1", sgiBindHelp)
	c.Flags().StringVar(&o.nonIP, "nonip-server", "", "application server HOST:PORT that Non-IP data is tunnelled to over UDP (default: none, Non-IP data is dropped and counted)")
	return c
}

// runCore runs the core until ctx is done.
func runCore(ctx context.Context, o coreOptions, stdout, stderr io.Writer) error {
	h, err := loadHSS(o.hssFile)
	if err != nil {
		return usageError{err}
	}
	listen := o.listen
	if listen == "" {
		listen = "sctp://127.0.0.1:36412"
		if err := s1mme.KernelSCTP(); err != nil {
			listen = "udp://127.0.0.1:36412"
			fmt.Fprintf(stderr, "nbsim core: note: %v\nnbsim core: note: listening on SCTP over UDP (%s) instead; nbsim eNodeBs reach it, real eNodeBs do not\n", err, listen)
		}
	}
	scheme := "sctp"
	if s, _, ok := strings.Cut(listen, "://"); ok {
		scheme = s
	}
	if scheme == "sctp" {
		if err := s1mme.KernelSCTP(); err != nil {
			return usageError{fmt.Errorf("--listen %s: %w", listen, err)}
		}
	}
	var nonIP netip.AddrPort
	if o.nonIP != "" {
		a, err := net.ResolveUDPAddr("udp4", o.nonIP)
		if err != nil {
			return usageError{fmt.Errorf("--nonip-server %q: %v (want HOST:PORT)", o.nonIP, err)}
		}
		nonIP = a.AddrPort()
		nonIP = netip.AddrPortFrom(nonIP.Addr().Unmap(), nonIP.Port())
	}
	sgiBind, err := parseSGiBind(o.sgiBind)
	if err != nil {
		return err
	}
	l, err := s1mme.Listen(listen)
	if err != nil {
		return usageError{fmt.Errorf("--listen: %w", err)}
	}
	mcfg := mme.DefaultConfig()
	m, err := mme.New(mcfg, h, nil)
	if err != nil {
		l.Close()
		return err
	}
	srv, err := s1.NewMMEServer(m, mcfg, s1.DefaultConfig())
	if err != nil {
		l.Close()
		return err
	}
	var outMu sync.Mutex
	start := time.Now()
	server := s1.NewServer(srv, func() time.Duration { return time.Since(start) })
	g, err := gw.New(gw.Config{NonIPServer: nonIP, Downlink: server.Downlink, Bind: sgiBind})
	if err != nil {
		l.Close()
		return err
	}
	defer g.Close()
	srv.OnDeliver = func(d mme.Deliver) {
		if o.printData {
			outMu.Lock()
			fmt.Fprintf(stdout, "sgi: %s %s %q\n", d.IMSI, d.Src, d.Data)
			outMu.Unlock()
		}
		g.Uplink(d.IMSI, d.Src, d.Data) // failures are counted by cause
	}
	addr := scheme + "://" + l.Addr().String()
	outMu.Lock()
	fmt.Fprintf(stdout, "nbsim core: MME for PLMN %s-%s TAC %d listening on %s (%d subscribers)\n",
		mcfg.MCC, mcfg.MNC, mcfg.TAC, addr, h.Count())
	outMu.Unlock()
	serveErr := server.Serve(ctx, l)
	outMu.Lock()
	defer outMu.Unlock()
	server.Do(func(s *s1.MMEServer) {
		fmt.Fprintf(stdout, "nbsim core: stopped after %s\n", time.Since(start).Round(time.Millisecond))
		fmt.Fprintf(stdout, "s1ap: %s\n", s.C)
		fmt.Fprintf(stdout, "nas: attaches=%d messages=%d%s%s\n", s.MME.C.Attaches, s.MME.C.NAS,
			causes(" rejected_", s.MME.C.Rejected), causes(" discarded_", s.MME.C.Discarded))
		fmt.Fprintf(stdout, "sgi: %s\n", g.Counters())
		if sl, ok := l.(s1mme.StatsListener); ok {
			fmt.Fprintf(stdout, "s1-mme: %s\n", sl.Stats())
		}
	})
	if serveErr != nil {
		return serveErr
	}
	return nil
}

// sgiBindHelp is the help text of --sgi-bind (nbsim core and emulate).
const sgiBindHelp = "host IPv4 address the SGi sockets bind to (servers on other hosts need this host's address on their network)"

// parseSGiBind reads --sgi-bind: an IPv4 address a UDP socket of this host
// can bind (the gateway's sockets are IPv4), else a usage error.
func parseSGiBind(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Unmap().Is4() {
		return netip.Addr{}, usageError{fmt.Errorf("--sgi-bind %q: want an IPv4 address of this host, e.g. 127.0.0.1 (the SGi sockets are IPv4)", s)}
	}
	a = a.Unmap()
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(a, 0)))
	if err != nil {
		return netip.Addr{}, usageError{fmt.Errorf("--sgi-bind %s: %v (want an address of this host)", s, err)}
	}
	c.Close()
	return a, nil
}

func loadHSS(file string) (*hss.Store, error) {
	if file == "" {
		return hss.Default()
	}
	h, err := hss.Load(file)
	if err != nil {
		return nil, fmt.Errorf("--hss: %w", err)
	}
	if h.Count() == 0 {
		return nil, errors.New("--hss " + file + ": no subscribers")
	}
	return h, nil
}

func causes(prefix string, m map[string]int64) string {
	var sb strings.Builder
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&sb, "%s%s=%d", prefix, k, m[k])
	}
	return sb.String()
}
