package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/model"
)

// allEffectsCore is a Core that answers everything with one of every
// mme.Effect.
type allEffectsCore struct{ model.Core }

func (allEffectsCore) HandleNAS(mme.UEID, []byte, time.Duration) []mme.Effect {
	return mme.AllEffects()
}

func (allEffectsCore) HandleDownlink(string, []byte, time.Duration) []mme.Effect {
	return mme.AllEffects()
}

// TestStoppingCoreEffects: stoppingCore passes every mme.Effect through
// while its context lives, and none once it is done.
func TestStoppingCoreEffects(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := stoppingCore{allEffectsCore{}, ctx}
	want := fmt.Sprintf("%#v", mme.AllEffects())
	if got := fmt.Sprintf("%#v", c.HandleNAS(1, nil, 0)); got != want {
		t.Errorf("HandleNAS: %s, want %s", got, want)
	}
	if got := fmt.Sprintf("%#v", c.HandleDownlink("", nil, 0)); got != want {
		t.Errorf("HandleDownlink: %s, want %s", got, want)
	}
	cancel()
	if got := c.HandleNAS(1, nil, 0); got != nil {
		t.Errorf("HandleNAS after the stop: %#v", got)
	}
	if got := c.HandleDownlink("", nil, 0); got != nil {
		t.Errorf("HandleDownlink after the stop: %#v", got)
	}
}
