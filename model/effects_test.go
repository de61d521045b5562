package model

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/device"
)

// TestEveryEffectHandled feeds the executor every device effect kind: none
// may reach its "unhandled" default (a new kind without a handler fails here).
func TestEveryEffectHandled(t *testing.T) {
	for _, k := range device.AllEffectKinds() {
		n := buildSmall(t)
		u := &n.ues[0]
		msg := func() (msg string) {
			defer func() {
				if r := recover(); r != nil {
					msg = fmt.Sprint(r)
				}
			}()
			n.exec(0, u, n.groups[u.group], &device.Effect{Kind: k, Timer: device.T3324, State: device.Idle})
			return ""
		}()
		if strings.Contains(msg, "unhandled") {
			t.Errorf("effect %v: %s", k, msg)
		}
	}
	if s := device.EffectKind(200).String(); s != "effect?" {
		t.Errorf("unknown kind named %q", s)
	}
}

// TestDropCauseNames: the device's drop causes are results.json's names.
func TestDropCauseNames(t *testing.T) {
	for c, want := range map[device.DropCause]string{
		device.DropBufferFull: CauseUEBufferFull, device.DropOutOfCoverage: CauseOutOfCoverage,
		device.DropAccessFailure: CauseAccessFailure, device.DropMTBufferFull: CauseMTBufferFull,
		device.DropMTExpired: CauseMTBufferExpiry, device.DropPoweredOff: CausePoweredOff,
		device.DropCoreUnreachable: CauseCoreUnreachable, device.DropAttachRejected: CauseAttachRejected,
	} {
		if c.String() != want {
			t.Errorf("%d: %q, results name %q", c, c.String(), want)
		}
	}
}

// TestEvaluationOnlyInResults: a run with an evaluation-only value says so
// in results.json; a run without one has no such field.
func TestEvaluationOnlyInResults(t *testing.T) {
	for _, tc := range []struct {
		sets []string
		want int
	}{{nil, 0}, {[]string{"random_access.preamble_trans_max_ce=1", "duration=10m"}, 1}} {
		n := buildSmall(t, tc.sets...)
		out, err := n.Run(context.Background(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Results.EvaluationOnly; len(got) != tc.want {
			t.Errorf("%v: evaluation_only %q, want %d notes", tc.sets, got, tc.want)
		}
		b, err := json.Marshal(out.Results)
		if err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(string(b), `"evaluation_only"`); has != (tc.want > 0) {
			t.Errorf("%v: evaluation_only in JSON %v", tc.sets, has)
		}
	}
}
