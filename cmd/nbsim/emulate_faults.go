package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/nbsim/nbsim/emulate"
)

// faultOptions are `nbsim emulate`'s fault timeline and NAT flags
// (docs/emulate.md, Fault timeline and NAT at SGi).
type faultOptions struct {
	timeline       string
	natTimeout     time.Duration
	natPublic      []string
	natRefreshIn   bool
	timelineMaxLen int64
}

func addFaultFlags(f *pflag.FlagSet, o *faultOptions) {
	f.StringVar(&o.timeline, "timeline", "", "play the fault timeline in FILE (YAML: at, for, modules, do; docs/emulate.md)")
	f.DurationVar(&o.natTimeout, "nat-timeout", 0, "NAT binding timeout at SGi: a device endpoint idle this long gets a new public port at its next datagram, and downlink to the old one is dropped (0: the scenario's core.nat_timeout, default none; operators use 20s-2m)")
	f.StringSliceVar(&o.natPublic, "nat-public", nil, "IPv4 addresses of this host that new NAT bindings take in turn (e.g. 127.0.0.2,127.0.0.3; default: --sgi-bind)")
	f.BoolVar(&o.natRefreshIn, "nat-refresh-inbound", false, "downlink traffic also keeps a NAT binding alive")
	o.timelineMaxLen = 1 << 20
}

// faultConfig applies the fault flags to r.cfg; every error is the user's
// (exit status 2) and names the flag.
func (r *emulation) faultConfig() error {
	o := r.o.faults
	nc := emulate.NATConfig{Timeout: o.natTimeout, RefreshInbound: o.natRefreshIn}
	for _, s := range o.natPublic {
		a, err := parseSGiBind(strings.TrimSpace(s))
		if err != nil {
			return usageError{fmt.Errorf("--nat-public: %s", strings.TrimPrefix(err.Error(), "--sgi-bind "))}
		}
		nc.Public = append(nc.Public, a)
	}
	if err := nc.Check("--nat-timeout"); err != nil {
		return usageError{err}
	}
	r.cfg.NAT = nc
	if o.timeline == "" {
		return nil
	}
	tl, err := readTimeline(o.timeline, o.timelineMaxLen)
	if err != nil {
		return usageError{err}
	}
	if err := tl.Check(r.o.ues); err != nil {
		return usageError{err}
	}
	r.cfg.Timeline = tl
	return nil
}

// readTimeline reads and parses a timeline file of at most max bytes.
func readTimeline(file string, max int64) (*emulate.Timeline, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("--timeline: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("--timeline %s: %v", file, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("--timeline %s: more than %d bytes", file, max)
	}
	return emulate.ParseTimeline(data, file)
}
