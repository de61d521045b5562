package testutil

import (
	"sync/atomic"
	"testing"
	"time"
)

// fakeT records a Fatal instead of ending the test.
type fakeT struct {
	testing.TB
	failed string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = format
	panic(f)
}

func run(f *fakeT, fn func()) (failed bool) {
	defer func() {
		if r := recover(); r != nil {
			if r != f {
				panic(r)
			}
			failed = true
		}
	}()
	fn()
	return false
}

func TestWaitFor(t *testing.T) {
	var n atomic.Int32
	start := time.Now()
	f := &fakeT{TB: t}
	if run(f, func() { WaitFor(f, 5*time.Second, "n reaches 3", func() bool { return n.Add(1) >= 3 }) }) {
		t.Fatal("WaitFor failed on a condition that comes true")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("WaitFor took %v for a condition true on the third poll", d)
	}
	if !run(f, func() { WaitFor(f, 30*time.Millisecond, "never", func() bool { return false }) }) {
		t.Error("WaitFor did not fail on a condition that never holds")
	}
}

func TestNever(t *testing.T) {
	f := &fakeT{TB: t}
	start := time.Now()
	if run(f, func() { Never(f, 50*time.Millisecond, "true", func() bool { return false }) }) {
		t.Fatal("Never failed on a condition that never holds")
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("Never returned after %v, before its 50ms", d)
	}
	var n atomic.Int32
	if !run(f, func() { Never(f, 5*time.Second, "n reaches 3", func() bool { return n.Add(1) >= 3 }) }) {
		t.Error("Never did not fail on a condition that comes true")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Never took %v to see the condition come true", d)
	}
}
