// Command gen writes epc/nas/methods.go from the descriptor lists of the
// package's messages (the descOf[M] variables): for each message its
// encode and decode methods, its IE values and its Marshal/Parse methods,
// and the table of message types Parse dispatches on.
//
//	go generate ./epc/nas    (runs: go run ./internal/gen -o methods.go)
//
// It reads the package's source (not the compiled package), so it runs
// even when methods.go is stale or missing.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", ".", "the nas package's directory")
	out := flag.String("o", "methods.go", "output file (relative to -dir)")
	flag.Parse()
	src, err := Generate(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join(*dir, *out), src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
