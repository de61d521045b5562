#!/usr/bin/env bash
# build-deps.sh — what building nbsim needs besides Go: a C compiler and
# PROJ (the geo package's projection library, through cgo and pkg-config).
# make runs it before every target that compiles: on a Debian machine run
# as root (a fresh CI machine) it installs what is missing; elsewhere it
# says what to install and fails.
set -euo pipefail
need=()
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -e /usr/include/stdlib.h ] || need+=(libc6-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkgconf)
pkg-config --exists proj 2>/dev/null || need+=(libproj-dev)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  echo "build-deps: installing ${need[*]} (nbsim needs a C compiler and PROJ)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
echo "build-deps: nbsim needs ${need[*]} (a C compiler and PROJ, through cgo): on Debian or Ubuntu, sudo apt-get install ${need[*]}" >&2
exit 1
