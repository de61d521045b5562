#!/bin/sh
# usage: scripts/icount.sh [SCENARIO]
#
# Prints the instructions (callgrind's "Collected") of one run of SCENARIO
# (default cow-collars; its own duration, seed 1, typed options as in the
# scenario) built from this working tree: a program that runs model.Build
# and Run and nothing else, on one core with the garbage collector off, so
# that the count is repeatable to about 0.01 % (docs/scale.md, Events per
# report and The cost of an event). Needs valgrind. Run it in the tree of
# each commit to compare (git worktree add).
set -e
sc=${1:-cow-collars}
root=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d "$root/internal/zz_icount_XXXXXX")
bin=$(mktemp)
out=$(mktemp)
trap 'rm -rf "$d" "$bin" "$out"' EXIT
cat > "$d/main.go" <<EOF
package main

import (
	"context"
	"fmt"

	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/scenarios"
)

func main() {
	sc, err := scenarios.Load("$sc", nil)
	if err != nil {
		panic(err)
	}
	n, err := model.Build(sc, 1)
	if err != nil {
		panic(err)
	}
	out, err := n.Run(context.Background(), model.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Results.KPI.ReportsDelivered, n.Events())
}
EOF
(cd "$root" && go build -o "$bin" "./internal/$(basename "$d")")
GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 GOGC=off valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" 2>&1 | grep -E "Collected|refs"
