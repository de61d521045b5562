#!/usr/bin/env bash
# capacity.sh — the device count per cell at which tr45820-capacity stops
# meeting a KPI target, found by bisection, and the bottleneck there.
#
#   scripts/capacity.sh                      # the default target (below)
#   PASS='.bottleneck.resource == "none"' scripts/capacity.sh
#   LO=20000 HI=80000 RES=500 SEED=2 scripts/capacity.sh
#   SWEEP="42000 46000 52000" SEEDS="1 2 3" scripts/capacity.sh
#
# With SWEEP set it runs every count of SWEEP with every seed of SEEDS
# (default SEED) and prints one line each, prefixed by the seed, instead
# of searching: a bisection follows one seed, and near the limit the KPIs
# also move with the seed, by as much as a step of the search.
#
# Each step runs the scenario with the device count scaled to N per cell
# (three cells; the traffic mix's shares kept: 32 / 32 / 12 / 4 % reporting
# every 1 d / 2 h / 1 h / 30 min, 20 % receiving commands) and prints
# N, the access success probability, the delivered share of the reports
# that ended (delivered / (generated − in flight)), the bottleneck resource
# and its saturation. PASS is a jq predicate on results.json (default:
# access success ≥ 0.99 and delivered share ≥ 0.99). The search assumes
# PASS holds at LO and fails at HI (HI is doubled until it fails, up to
# 1,000,000 per cell) and stops when HI − LO ≤ RES. The last line is the
# limit: the largest N that passed, with its figures.
#
# Exit status: 0 found, 1 PASS fails at LO or holds at 1,000,000, 2 bad
# build or a run that wrote no results. Runs take seconds each (about 7 s at 52,500 a cell on one core).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lo=${LO:-1000}
hi=${HI:-100000}
res=${RES:-1000}
seed=${SEED:-1}
pass=${PASS:-'.kpi.access_success_probability >= 0.99 and (.kpi.reports_delivered / ([.kpi.reports_generated - .kpi.reports_in_flight, 1] | max)) >= 0.99'}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/nbsim" ./cmd/nbsim) || exit 2

# run N: runs the scenario at N devices per cell; prints its line; returns
# 0 when PASS holds, 1 when it fails, 2 when the run wrote no results (the
# previous step's results.json is removed first, so it is never read again).
run() {
  local c=$1 n=$((3 * $1))
  local r="$work/out/results.json"
  rm -f "$r"
  "$work/nbsim" run tr45820-capacity --seed "$seed" -q --out "$work/out" \
    --set groups.mar-1d.count=$((n * 32 / 100)) --set groups.mar-2h.count=$((n * 32 / 100)) \
    --set groups.mar-1h.count=$((n * 12 / 100)) --set groups.mar-30m.count=$((n * 4 / 100)) \
    --set groups.commands.count=$((n * 20 / 100)) >/dev/null 2>"$work/err" || true
  if [ ! -s "$r" ]; then
    echo "capacity: the run at $c per cell wrote no results:" >&2
    cat "$work/err" >&2
    return 2
  fi
  jq -r --arg c "$c" '"per cell \($c)  success \(.kpi.access_success_probability * 10000 | round / 10000)  delivered \((.kpi.reports_delivered / ([.kpi.reports_generated - .kpi.reports_in_flight, 1] | max)) * 10000 | round / 10000)  bottleneck \(.bottleneck.resource) \(.bottleneck.saturation * 1000 | round / 1000)"' "$r"
  jq -e "$pass" "$r" >/dev/null
}

# step N: run N, and stop the search (exit 2) when the run itself failed.
step() {
  local rc=0
  line=$(run "$1") || rc=$?
  if [ "$rc" -eq 2 ]; then
    exit 2
  fi
  return "$rc"
}

if [ -n "${SWEEP:-}" ]; then
  for c in $SWEEP; do
    for seed in ${SEEDS:-$seed}; do
      step "$c" || true
      echo "seed $seed  $line"
    done
  done
  exit 0
fi

if ! step "$lo"; then
  echo "$line"
  echo "capacity: the target fails at LO=$lo" >&2
  exit 1
fi
echo "$line"
best=$line
while step "$hi"; do
  echo "$line"
  best=$line
  lo=$hi
  hi=$((hi * 2))
  if [ "$hi" -gt 1000000 ]; then
    echo "capacity: the target still holds at $lo per cell" >&2
    exit 1
  fi
done
echo "$line"
while [ $((hi - lo)) -gt "$res" ]; do
  mid=$(((lo + hi) / 2))
  if step "$mid"; then
    lo=$mid
    best=$line
  else
    hi=$mid
  fi
  echo "$line"
done
echo "limit: $best"
