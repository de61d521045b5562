package backoff

import (
	"context"
	"testing"
	"time"
)

func TestAccept(t *testing.T) {
	var b Accept
	if b.Succeeded() {
		t.Error("Succeeded reports a recovery with no failure before")
	}
	want := []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond,
		80 * time.Millisecond, 160 * time.Millisecond, 320 * time.Millisecond, 640 * time.Millisecond, time.Second, time.Second}
	for i, w := range want {
		d, first := b.Failed()
		if d != w || first != (i == 0) {
			t.Errorf("failure %d: wait %v first %v, want %v %v", i+1, d, first, w, i == 0)
		}
	}
	if !b.Succeeded() {
		t.Error("Succeeded after failures reports no recovery")
	}
	if d, first := b.Failed(); d != Min || !first {
		t.Errorf("a new run of failures starts at %v (first %v), want %v", d, first, Min)
	}
}

func TestSleep(t *testing.T) {
	if !Sleep(context.Background(), time.Millisecond) {
		t.Error("Sleep with a live context did not run its course")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Error("Sleep with a done context ran its course")
	}
}
