#!/usr/bin/env bash
#===- update-docs.sh - Refresh the generated dialect references -----------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
cmake --build "$build_dir" --target ButterflyBflyIncGen ButterflyBflyPassIncGen
generated="$build_dir/dialects/Butterfly/include/butterfly/Dialect/Butterfly"
cp "$generated/BflyDialect.md" "$root/docs/dialects/bfly.md"
cp "$generated/Transforms/BflyPasses.md" "$root/docs/dialects/bfly-passes.md"
