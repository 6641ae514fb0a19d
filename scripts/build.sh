#!/usr/bin/env bash
#===- build.sh - Configure and build butterfly ----------------------------===#
#
# Installs missing dependencies, then builds into ./build (override with
# BUILD_DIR) with Ninja, two jobs by default (override with JOBS).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/scripts/bootstrap.sh"
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build_dir" -j "${JOBS:-2}"
