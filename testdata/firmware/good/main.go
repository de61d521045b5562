// Command good is the well-behaved reference firmware of `nbsim devtest`
// (package fw): it passes every case.
//
//	good -port PORT -server HOST:PORT [-period 1m] [-speed 1]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/nbsim/nbsim/testdata/firmware/fw"
)

func main() {
	var cfg fw.Config
	flag.StringVar(&cfg.Port, "port", "", "the AT port: host:port or a device path")
	flag.StringVar(&cfg.Server, "server", "", "the report server, host:port")
	flag.DurationVar(&cfg.Period, "period", time.Minute, "reporting period (network time)")
	flag.Float64Var(&cfg.Speed, "speed", 1, "network time per wall time")
	verbose := flag.Bool("v", false, "log to stderr")
	flag.Parse()
	if *verbose {
		cfg.Log = os.Stderr
	}
	if err := fw.Run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "good:", err)
		os.Exit(1)
	}
}
