#!/usr/bin/env bash
#===- run-example.sh - The README's main job ------------------------------===#
#
# Builds butterfly, then compiles the example FABNet-style hybrid encoder for
# the default array (multilayer and layer-by-layer dataflows) and its
# all-dense twin, simulates the bitstreams, checks every output against the
# reference interpreter (itself checked against an independent NumPy
# implementation) and prints the report.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
exec /usr/bin/python3 "$root/scripts/run_example.py" "$build_dir" "$@"
