// Package backoff is the retry rule of nbsim's accept loops: after a
// failed Accept (EMFILE, ENFILE, ENOBUFS, ...) a server waits, doubling the
// wait from Min to Max, logs once per run of failures, and logs again when
// Accept works again. A listener that only fails for a while must not end
// the server (Go's net/http does the same for temporary errors).
package backoff

import (
	"context"
	"time"
)

// Defaults of Accept's bounds.
const (
	Min = 5 * time.Millisecond
	Max = time.Second
)

// Accept is the back-off state of one accept loop; the zero value is ready
// and uses Min and Max.
type Accept struct {
	wait time.Duration
}

// Failed records a failed Accept. It returns how long to wait and whether
// this failure starts a run (the one to log).
func (b *Accept) Failed() (wait time.Duration, first bool) {
	first = b.wait == 0
	if first {
		b.wait = Min
	} else {
		b.wait = min(2*b.wait, Max)
	}
	return b.wait, first
}

// Succeeded records a working Accept; it reports whether that ends a run
// of failures (the recovery to log).
func (b *Accept) Succeeded() (recovered bool) {
	recovered = b.wait != 0
	b.wait = 0
	return recovered
}

// Sleep waits d, or until ctx is done; it reports whether the wait ran its
// course (false: ctx is done).
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
