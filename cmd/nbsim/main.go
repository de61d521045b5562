// Command nbsim is the NB-IoT network simulator's command line.
package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target unless GOGC is set: the heap
// may grow 25 % over the live data between collections (Go's default lets
// it double). A large run's live data is mostly its device table, event
// queue and books, which hold no pointers, so a collection costs little
// and collections four times as often cost nothing measurable
// (docs/scale.md, Memory), while the peak memory of scale-1m falls by
// about a third of its live data.
const gcPercent = 25

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}
