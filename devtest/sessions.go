package devtest

import (
	"fmt"
	"strings"
	"time"

	"github.com/nbsim/nbsim/emulate"
)

// A session (a group of cases) is one emulation run: its length, the
// fault timeline the network plays (emulate's format, docs/emulate.md)
// and when the suite's server sends its downlink. Every time is network
// time from the firmware's first command line.
type sessionSpec struct {
	name     string
	length   func(c *Config) time.Duration
	timeline func(c *Config) string
	// downlink: the server's datagram goes out once a report came after
	// this time and the module entered PSM (half a period after that
	// report if it does not); nil: no downlink.
	downlink func(c *Config) (after time.Duration, reports int)
}

// The network settings of every session: a short RRC inactivity timer and
// active time, so that PSM comes within a short period.
const (
	inactivity = 10 * time.Second
	grantT3324 = 10 * time.Second
	grantT3412 = time.Hour
)

// Fault windows.
const (
	outage       = 3 * time.Minute  // no-coverage: coverage lost
	rejectWindow = 3 * time.Minute  // reject-*: attaches rejected
	coreDown     = 30 * time.Second // core-restart: the MME does not answer
	rejectT3346  = time.Minute      // sent with reject #22
)

// faultAt is when a session's fault comes: the firmware has attached and
// sent a report by --attach-within + --period; half a period later the
// module sleeps between reports.
func faultAt(c *Config) time.Duration { return c.AttachWithin + c.Period + c.Period/2 }

// grantPSM is the timeline entry of every session: the PSM the network
// grants a module that asks for it (TS 24.301 §5.3.11).
var grantPSM = fmt.Sprintf("- at: 0s\n  do: {grant_psm: {t3324: %s, t3412: %s}}\n", dur(grantT3324), dur(grantT3412))

func dur(d time.Duration) string {
	s := d.String()
	for _, z := range []string{"0s", "0m"} {
		if strings.HasSuffix(s, "m"+z) || strings.HasSuffix(s, "h"+z) {
			s = strings.TrimSuffix(s, z)
		}
	}
	return s
}

var sessions = []sessionSpec{
	{
		name:     "nominal",
		length:   func(c *Config) time.Duration { return c.AttachWithin + 5*c.Period },
		timeline: func(c *Config) string { return grantPSM },
		downlink: func(c *Config) (time.Duration, int) { return 0, 2 },
	},
	{
		name:   "no-coverage",
		length: func(c *Config) time.Duration { return faultAt(c) + outage + 2*c.Period + c.Period/2 },
		timeline: func(c *Config) string {
			return grantPSM + fmt.Sprintf("- at: %s\n  for: %s\n  do: {coverage: {coupling_loss_db: 180}}\n", dur(faultAt(c)), dur(outage))
		},
	},
	{
		name:   "core-restart",
		length: func(c *Config) time.Duration { return faultAt(c) + coreDown + 2*c.Period + c.Period/2 },
		timeline: func(c *Config) string {
			return grantPSM + fmt.Sprintf("- at: %s\n  for: %s\n  do: core_restart\n", dur(faultAt(c)), dur(coreDown))
		},
	},
	{
		name:   "nat-rebind",
		length: func(c *Config) time.Duration { return faultAt(c) + 3*c.Period },
		timeline: func(c *Config) string {
			return grantPSM + fmt.Sprintf("- at: %s\n  do: nat_rebind\n", dur(faultAt(c)))
		},
		downlink: func(c *Config) (time.Duration, int) { return faultAt(c), 1 },
	},
	rejectSession(15), rejectSession(11), rejectSession(22),
}

func rejectSession(cause int) sessionSpec {
	return sessionSpec{
		name:   fmt.Sprintf("reject-%d", cause),
		length: func(c *Config) time.Duration { return rejectWindow + 2*time.Minute + c.AttachWithin + c.Period },
		timeline: func(c *Config) string {
			args := fmt.Sprintf("cause: %d", cause)
			if cause == 22 {
				// Congestion with the back-off timer, as operators send
				// it: the module waits for T3346 (TS 24.301 §5.5.1.2.5).
				args += ", t3346: " + dur(rejectT3346)
			}
			return grantPSM + fmt.Sprintf("- at: 0s\n  for: %s\n  do: {reject_attach: {%s}}\n", dur(rejectWindow), args)
		},
	}
}

func sessionByName(n string) *sessionSpec {
	for i := range sessions {
		if sessions[i].name == n {
			return &sessions[i]
		}
	}
	return nil
}

// Timeline is the fault timeline of a group of cases for a firmware of
// this reporting period and attach bound (--list shows them).
func Timeline(group string, period, attachWithin time.Duration) (string, error) {
	s := sessionByName(group)
	if s == nil {
		return "", fmt.Errorf("no group %q", group)
	}
	return s.timeline(&Config{Period: period, AttachWithin: attachWithin}), nil
}

// parseTimeline parses a session's timeline (a bug if it does not parse).
func (s *sessionSpec) parseTimeline(c *Config) (*emulate.Timeline, error) {
	tl, err := emulate.ParseTimeline([]byte(s.timeline(c)), "devtest "+s.name)
	if err != nil {
		return nil, fmt.Errorf("devtest: the timeline of group %s: %w", s.name, err)
	}
	return tl, nil
}
