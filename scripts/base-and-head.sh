# Sourced by results-identical.sh and results-spread.sh (bash, set -euo
# pipefail): checks out $base in a temporary worktree and builds
# $work/nbsim-base from it and $work/nbsim-head from the working tree; the
# worktree and $work go when the script exits. Sets root and work.
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base-src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/base-src" "$base" >/dev/null 2>&1 || { echo "cannot check out $base" >&2; exit 2; }
(cd "$work/base-src" && go build -o "$work/nbsim-base" ./cmd/nbsim) || exit 2
(cd "$root" && go build -o "$work/nbsim-head" ./cmd/nbsim) || exit 2
