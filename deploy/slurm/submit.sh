#!/usr/bin/env bash
# submit.sh — submit a sharded nbsim job and its merge job to Slurm:
#
#   deploy/slurm/submit.sh sweep CAMPAIGN.yaml DIR N [nbsim sweep flags]
#   deploy/slurm/submit.sh run SCENARIO DIR N [nbsim run flags]
#
# submits an array of N tasks (--array=0-N-1; sweep.sbatch or run.sbatch)
# and the merge job (sweep-collect.sbatch or run-merge.sbatch) with
# --dependency=afterok on the array, and prints the two job IDs: ARRAY MERGE.
# DIR must be on a file system every node sees. Other sbatch options come
# from sbatch's input environment variables (SBATCH_PARTITION,
# SBATCH_TIMELIMIT, SBATCH_ACCOUNT, ...); NBSIM names the nbsim binary.
# A merge job whose array failed stays pending (DependencyNeverSatisfied):
# scancel it, resubmit the array (a sweep's tasks skip the runs they stored)
# and the merge.
set -euo pipefail
usage() { echo "usage: $0 sweep|run CAMPAIGN-or-SCENARIO DIR N [nbsim flags]" >&2; exit 2; }
[ $# -ge 4 ] || usage
kind=$1 input=$2 dir=$3 n=$4
shift 4
case "$n" in ''|*[!0-9]*) echo "submit.sh: N=$n: want a shard count ≥ 1" >&2; exit 2 ;; esac
[ "$n" -ge 1 ] || { echo "submit.sh: N=$n: want a shard count ≥ 1" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
case "$kind" in
  sweep) array=sweep.sbatch merge=sweep-collect.sbatch ;;
  run) array=run.sbatch merge=run-merge.sbatch ;;
  *) usage ;;
esac
mkdir -p "$dir"
# --parsable prints "jobid" or "jobid;cluster".
job=$(sbatch --parsable --array="0-$((n - 1))" "$here/$array" "$input" "$dir" "$@")
job=${job%%;*}
mjob=$(sbatch --parsable --dependency="afterok:$job" "$here/$merge" "$dir")
mjob=${mjob%%;*}
echo "$job $mjob"
