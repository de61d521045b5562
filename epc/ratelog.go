package epc

import (
	"fmt"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RateLog is a log that passes at most Burst lines per Interval and counts
// the rest: the first line it passes after dropping some is preceded by
// "N similar messages suppressed". Servers log what strangers can cause
// through one (a flood of bad PDUs must not become a flood of lines). It
// is safe for concurrent use.
type RateLog struct {
	// Out receives each line passed (without a trailing newline).
	Out func(line string)
	// Burst lines at most per Interval.
	Burst    int
	Interval time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	mu         sync.Mutex
	start      time.Time
	n          int
	suppressed int64 // since the last line passed
	total      int64 // ever
}

// DefaultLogBurst and DefaultLogInterval are the limits of NewRateLog: 5
// lines a second.
const (
	DefaultLogBurst    = 5
	DefaultLogInterval = time.Second
)

// NewRateLog returns a RateLog passing DefaultLogBurst lines per
// DefaultLogInterval to out.
func NewRateLog(out func(string)) *RateLog {
	return &RateLog{Out: out, Burst: DefaultLogBurst, Interval: DefaultLogInterval}
}

// Printf logs one line (a trailing newline is removed).
func (r *RateLog) Printf(format string, args ...any) {
	r.line(strings.TrimRight(fmt.Sprintf(format, args...), "\n"))
}

func (r *RateLog) line(s string) {
	if r == nil || r.Out == nil {
		return
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	t := now()
	r.mu.Lock()
	if t.Sub(r.start) >= r.Interval || t.Before(r.start) {
		r.start, r.n = t, 0
	}
	if r.n >= r.Burst {
		r.suppressed++
		r.total++
		r.mu.Unlock()
		return
	}
	r.n++
	dropped := r.suppressed
	r.suppressed = 0
	r.mu.Unlock()
	if dropped > 0 {
		r.Out(fmt.Sprintf("%d similar messages suppressed", dropped))
	}
	r.Out(s)
}

// Suppressed returns how many lines were dropped so far.
func (r *RateLog) Suppressed() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// Write logs p as one line per line of text (for libraries that log to an
// io.Writer); it never fails.
func (r *RateLog) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		r.line(l)
	}
	return len(p), nil
}

// StderrLine hands line to the standard logger (log.Print, stderr by
// default) without ever blocking: a server logs while it holds its locks,
// and a standard error that nobody reads (a full pipe) must not freeze it.
// Lines wait in a queue of StderrQueue, written by one goroutine for the
// whole process; when the queue is full a line is dropped, and the next
// line written says how many were.
func StderrLine(line string) {
	stderrOnce.Do(func() {
		stderrQ = make(chan string, StderrQueue)
		go func() {
			for l := range stderrQ {
				if n := stderrDropped.Swap(0); n > 0 {
					log.Printf("%d log lines dropped (standard error was not read)", n)
				}
				log.Print(l)
			}
		}()
	})
	select {
	case stderrQ <- line:
	default:
		stderrDropped.Add(1)
	}
}

// StderrQueue is how many lines StderrLine holds for a slow standard error.
const StderrQueue = 256

var (
	stderrOnce    sync.Once
	stderrQ       chan string
	stderrDropped atomic.Int64
)
