#!/usr/bin/env bash
# submit.sh — run a sharded nbsim job and its merge on a Kubernetes cluster:
#
#   deploy/kubernetes/submit.sh sweep   the campaign in campaign.yaml
#   deploy/kubernetes/submit.sh run     the scenario of run-job.yaml
#
# applies the volume (and the campaign), the Indexed Job, waits until it is
# complete, then applies the merge Job and waits for it. TIMEOUT (default
# 24h) bounds each wait. Kubernetes has no dependency between Jobs, hence
# the wait here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
timeout=${TIMEOUT:-24h}
case "${1:-}" in
  sweep) job=nbsim-sweep merge=nbsim-sweep-collect files=(pvc.yaml campaign.yaml sweep-job.yaml) mfile=sweep-collect-job.yaml ;;
  run) job=nbsim-run merge=nbsim-run-merge files=(pvc.yaml run-job.yaml) mfile=run-merge-job.yaml ;;
  *) echo "usage: $0 sweep|run" >&2; exit 2 ;;
esac
for f in "${files[@]}"; do kubectl apply -f "$here/$f"; done
kubectl wait --for=condition=complete --timeout="$timeout" "job/$job"
kubectl apply -f "$here/$mfile"
kubectl wait --for=condition=complete --timeout="$timeout" "job/$merge"
