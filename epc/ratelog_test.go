package epc

import (
	"fmt"
	"testing"
	"time"
)

// TestRateLog: at most Burst lines per Interval pass; the first one after
// a run of dropped lines says how many were dropped.
func TestRateLog(t *testing.T) {
	var lines []string
	now := time.Unix(0, 0)
	r := NewRateLog(func(s string) { lines = append(lines, s) })
	r.Now = func() time.Time { return now }
	for i := range 1000 {
		r.Printf("bad pdu %d\n", i)
	}
	if len(lines) != DefaultLogBurst || lines[0] != "bad pdu 0" {
		t.Fatalf("%d lines %q, want %d", len(lines), lines, DefaultLogBurst)
	}
	now = now.Add(DefaultLogInterval)
	fmt.Fprintf(r, "next\n")
	want := fmt.Sprintf("%d similar messages suppressed", 1000-DefaultLogBurst)
	if len(lines) != DefaultLogBurst+2 || lines[DefaultLogBurst] != want || lines[DefaultLogBurst+1] != "next" {
		t.Errorf("after the interval: %q, want %q then next", lines[DefaultLogBurst:], want)
	}
	if r.Suppressed() != 1000-DefaultLogBurst {
		t.Errorf("Suppressed %d", r.Suppressed())
	}
}
