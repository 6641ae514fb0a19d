#!/usr/bin/env bash
#===- bench.sh - Measure and write docs/results.md ------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
"$root/scripts/build.sh"
exec /usr/bin/python3 "$root/scripts/bench.py" "$build_dir" "$@"
