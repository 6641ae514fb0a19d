#!/usr/bin/env bash
#===- run-example.sh - The README's main job ------------------------------===#
#
# Builds butterfly, then runs the example FABNet-style hybrid encoder on the
# reference interpreter with a random input and checks the output against an
# independent NumPy implementation of the same model (examples/generate.py).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
model="${1:-tiny_hybrid_encoder}"

"$root/scripts/build.sh"
work="$build_dir/example/$model"
rm -rf "$work"
/usr/bin/python3 "$root/examples/generate.py" inputs "$model" "$work"
"$build_dir/bin/butterfly-sim" --reference "$root/examples/models/$model.mlir" \
  --input "$work/in0.npy" --output-dir "$work/out" \
  --expect "$work/expected" --rtol 1e-4 --atol 1e-5
