package testutil

import (
	"testing"
	"time"
)

// pollEvery is how often WaitFor and Never look at their condition.
const pollEvery = 10 * time.Millisecond

// WaitFor returns as soon as cond holds, polling it every 10 ms, and fails
// t (Fatal) naming what if it does not hold within timeout. It is the
// tests' alternative to sleeping a while and then asserting: it waits no
// longer than needed, and no less.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	WaitForState(t, timeout, cond, func() string { return what })
}

// WaitForState is WaitFor whose failure message, state(), is made when it
// fails (the counters, the output so far).
func WaitForState(t testing.TB, timeout time.Duration, cond func() bool, state func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", timeout, state())
		}
		time.Sleep(pollEvery)
	}
}

// Never fails t (Fatal) naming what as soon as cond holds during d,
// polling it every 10 ms: the check that something does not happen,
// which cannot be shorter than the time it is given.
func Never(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		if cond() {
			t.Fatalf("%s (within %v)", what, d)
		}
		if !time.Now().Before(deadline) {
			return
		}
		time.Sleep(min(pollEvery, time.Until(deadline)))
	}
}
