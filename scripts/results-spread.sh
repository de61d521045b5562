#!/usr/bin/env bash
# results-spread.sh BASE_REV — the check for a change that moves results on
# purpose (a faster engine, a sketch for quantiles, clustering): for every
# shipped scenario, SEEDS seeds (default 1..5) are run on BASE_REV and on the
# working tree, and `nbsim compare` tests each default KPI in both directions:
# a KPI has moved when its change is beyond compare's tolerance (nbsim
# compare --help) and beyond the seed-to-seed noise (one-sided Welch over the
# seeds at 95 %). Each scenario's table is printed, moved or not.
#
#   scripts/results-spread.sh 7f2076e
#   SKIP="scale-1m tr45820-capacity" SEEDS="1 2 3" scripts/results-spread.sh HEAD~1
#   EXTRA="--duration 6h" scripts/results-spread.sh main    # shortened runs
#   ONLY="cow-collars smart-meters" scripts/results-spread.sh main
#   HEAD_EXTRA="--workers 2" scripts/results-spread.sh HEAD  # flags for the head side only
#
# Exit status: 0 all within the spread, 1 a KPI moved (printed), 2 bad usage
# or build.
set -euo pipefail
base=${1:?usage: scripts/results-spread.sh BASE_REV}
seeds=${SEEDS:-1 2 3 4 5}
# shellcheck source=scripts/base-and-head.sh
source "$(dirname "$0")/base-and-head.sh"

# compare's default KPIs, either direction.
kpis=()
for k in access_success_probability collision_probability access_delay_ms.p95 uplink_latency_ms.p95 \
  energy_per_report_mj battery_years.p5 battery_years.mean reports_dropped; do
  kpis+=(--kpi "$k:either")
done

fail=0
for s in $("$work/nbsim-head" scenarios | awk '{print $1}'); do
  case " ${SKIP:-} lab country-10m " in *" $s "*) continue ;; esac
  if [ -n "${ONLY:-}" ]; then case " $ONLY " in *" $s "*) ;; *) continue ;; esac; fi
  for seed in $seeds; do
    # shellcheck disable=SC2086 # EXTRA and HEAD_EXTRA are lists of flags
    "$work/nbsim-base" run "$s" --seed "$seed" -q ${EXTRA:-} --out "$work/$s-base/seed$seed" >/dev/null 2>"$work/err" || [ $? = 1 ] || { echo "base: $s seed $seed:" >&2; cat "$work/err" >&2; exit 2; }
    # shellcheck disable=SC2086
    "$work/nbsim-head" run "$s" --seed "$seed" -q ${EXTRA:-} ${HEAD_EXTRA:-} --out "$work/$s-head/seed$seed" >/dev/null 2>"$work/err" || [ $? = 1 ] || { echo "head: $s seed $seed:" >&2; cat "$work/err" >&2; exit 2; }
  done
  # compare's table is printed either way: the check shown, not only its verdict.
  if out=$("$work/nbsim-head" compare "${kpis[@]}" "$work/$s-base" "$work/$s-head" 2>&1); then
    echo "within spread  $s"
  else
    echo "MOVED          $s"
    fail=1
  fi
  echo "$out" | sed 's/^/    /'
  [ "$(echo "$out" | grep -c 'worse')" = 0 ] || echo "    (worse = significant at 95 % but within compare's tolerance unless MOVED)"
done
exit $fail
