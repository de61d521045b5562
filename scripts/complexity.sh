#!/usr/bin/env bash
# The complexity ceiling of issue #9: no function outside the tests may have a
# cyclomatic complexity (gocyclo, pinned in .ci/tools.mod) over 30 unless it
# is listed in .ci/complexity-baseline.txt, and that list may only shrink.
#
# The check fails when
#   - a function is over 30 and not listed (split it; do not list it),
#   - a listed function is now more complex than its listed number,
#   - a listed function is now simpler than its listed number, is at most 30,
#     or no longer exists (the list must follow the code down: run
#     `scripts/complexity.sh -shrink`, which lowers or removes those entries
#     and never adds one).
#
# A function is named by its package's directory and its name as gocyclo
# prints it ("decode decodeS1APMessage", "epc/hss (*parser).entry"), so moving
# it to another file of the same package keeps its entry. Test files are not
# checked: table-driven tests are long by nature and do not ship.
set -euo pipefail
cd "$(dirname "$0")/.."
over=30
baseline=.ci/complexity-baseline.txt
gocyclo=(go tool -modfile=.ci/tools.mod gocyclo)

# current: "DIR FUNC COMPLEXITY" for every function over the ceiling. (No
# -over: gocyclo then exits 1 when it finds one, as it does on a parse error.)
all=$("${gocyclo[@]}" -ignore '_test\.go$' .)
current=$(printf '%s\n' "$all" |
  awk -v over="$over" '$1 > over { loc = $NF; sub(/:[0-9]+:[0-9]+$/, "", loc);
         n = split(loc, p, "/"); dir = (n > 1) ? substr(loc, 1, length(loc) - length(p[n]) - 1) : ".";
         fn = $3; for (i = 4; i < NF; i++) fn = fn " " $i;
         print dir "\t" fn "\t" $1 }' | LC_ALL=C sort)

listed=$(grep -v '^#' "$baseline" | grep -v '^[[:space:]]*$' | LC_ALL=C sort || true)

if [ "${1:-}" = "-shrink" ]; then
  # Keep only the listed functions still over the ceiling, each with
  # min(listed, current); never add one.
  new=$(awk -F'\t' 'NR == FNR { cur[$1 "\t" $2] = $3; next }
                    ($1 "\t" $2) in cur { c = cur[$1 "\t" $2]; print $1 "\t" $2 "\t" (c < $3 ? c : $3) }' \
          <(printf '%s\n' "$current") <(printf '%s\n' "$listed"))
  { grep '^#' "$baseline"; printf '%s\n' "$new" | grep -v '^$' || true; } > "$baseline.tmp"
  mv "$baseline.tmp" "$baseline"
fi
listed=$(grep -v '^#' "$baseline" | grep -v '^[[:space:]]*$' | LC_ALL=C sort || true)

fail=$(awk -F'\t' -v over="$over" -v base="$baseline" '
  NR == FNR { if ($0 != "") cur[$1 "\t" $2] = $3; next }
  $0 != "" { lst[$1 "\t" $2] = $3 }
  END {
    for (k in cur) {
      split(k, f, "\t")
      if (!(k in lst))
        printf "%s %s: cyclomatic complexity %d is over %d; split it (%s may only shrink)\n", f[1], f[2], cur[k], over, base
      else if (cur[k] > lst[k])
        printf "%s %s: cyclomatic complexity %d, more than the %d of %s; split it\n", f[1], f[2], cur[k], lst[k], base
      else if (cur[k] < lst[k])
        printf "%s %s: cyclomatic complexity %d, less than the %d of %s: run scripts/complexity.sh -shrink\n", f[1], f[2], cur[k], lst[k], base
    }
    for (k in lst) if (!(k in cur)) {
      split(k, f, "\t")
      printf "%s %s: listed in %s but no longer over %d (or gone): run scripts/complexity.sh -shrink\n", f[1], f[2], base, over
    }
  }' <(printf '%s\n' "$current") <(printf '%s\n' "$listed") | LC_ALL=C sort)

if [ -n "$fail" ]; then
  printf 'complexity: %s\n' "$fail" | sed '2,$s/^/complexity: /' >&2
  exit 1
fi
echo "complexity: $(printf '%s\n' "$listed" | grep -c . || true) listed functions over $over (none may grow, none may be added)"
