#!/usr/bin/env bash
#===- test.sh - Build butterfly and run every test suite ------------------===#
#
# The README's test command: installs what is missing, builds, then runs the
# lit suites and the GoogleTest units through ctest.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
cd "$build_dir"
ctest --output-on-failure -j "${JOBS:-2}"
