package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/nbsim/nbsim/epc/s1"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/scenarios"
)

// RemoteCore is the core encoded signalling uses with --mme.
var _ model.Core = (*s1.RemoteCore)(nil)

// mmeHelp is the --mme flag's usage.
const mmeHelp = "use the external MME at this S1-MME address (udp://HOST:PORT or sctp://HOST:PORT, e.g. a running 'nbsim core') instead of the simulator's own; implies signalling: encoded; the scenario must have no downlink data (reply_probability 0, no downlink traffic)"

// checkNoDownlink refuses scenarios with mobile-terminated data for an
// external core: the scenario's downlink data would enter that core at its
// SGi (nbsim core has one, facing real servers), which the simulator has
// no link to, and s1.RemoteCore does not answer its pages.
func checkNoDownlink(sc *scenarios.Scenario) error {
	var bad []string
	for name, g := range sc.Groups {
		if g.Report.ReplyProbability > 0 {
			bad = append(bad, fmt.Sprintf("groups.%s.report.reply_probability is %g", name, g.Report.ReplyProbability))
		}
		if g.Downlink.MeanInterval.D() > 0 {
			bad = append(bad, fmt.Sprintf("groups.%s.downlink.mean_interval is %s", name, g.Downlink.MeanInterval.D()))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	return fmt.Errorf("--mme: downlink data would enter the external core at its SGi, which the simulator has no link to (and the core's pages are not answered); set reply_probability to 0 and downlink.mean_interval to 0s (%s)", bad)
}

// mmeReplyWait is how long a run waits for the external MME's answer to a
// NAS message that calls for one. RemoteCore's default, 200 ms, is too
// short on a loaded host: nine consecutive one-hour runs of
// testdata/small.yaml against one nbsim core failed at the 7th ("attach
// rejected: <nil>": the answer came late and counted as none) and passed
// with 2 s. A late answer is an MME's failure only after this long.
const mmeReplyWait = 2 * time.Second

// dialMME connects to the external MME for a run.
func dialMME(ctx context.Context, url string) (*s1.RemoteCore, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	r, err := s1.DialRemoteCore(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("--mme %s: %w", url, err)
	}
	r.ReplyWait = mmeReplyWait
	return r, nil
}
