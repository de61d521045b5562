// Command buggy is the reference firmware of `nbsim devtest` with typical
// bugs (package fw), switched on by -bug: backoff, psm, downlink, reject
// (comma-separated), or exit (it exits at once, as a broken firmware
// command does).
//
//	buggy -bug psm -port PORT -server HOST:PORT [-period 1m] [-speed 1]
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/nbsim/nbsim/testdata/firmware/fw"
)

func main() {
	cfg := fw.Config{Bugs: map[string]bool{}}
	flag.StringVar(&cfg.Port, "port", "", "the AT port: host:port or a device path")
	flag.StringVar(&cfg.Server, "server", "", "the report server, host:port")
	flag.DurationVar(&cfg.Period, "period", time.Minute, "reporting period (network time)")
	flag.Float64Var(&cfg.Speed, "speed", 1, "network time per wall time")
	bugs := flag.String("bug", "", "bugs: "+strings.Join(fw.Bugs, ", ")+", or exit")
	verbose := flag.Bool("v", false, "log to stderr")
	flag.Parse()
	for _, b := range strings.Split(*bugs, ",") {
		switch {
		case b == "":
		case b == "exit":
			fmt.Fprintln(os.Stderr, "buggy: exiting at once")
			os.Exit(3)
		case slices.Contains(fw.Bugs, b):
			cfg.Bugs[b] = true
		default:
			fmt.Fprintf(os.Stderr, "buggy: -bug %s: one of %s\n", b, strings.Join(fw.Bugs, ", "))
			os.Exit(2)
		}
	}
	if *verbose {
		cfg.Log = os.Stderr
	}
	if err := fw.Run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "buggy:", err)
		os.Exit(1)
	}
}
