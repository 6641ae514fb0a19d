#!/usr/bin/env bash
#===- update-docs.sh - Refresh the generated dialect references -----------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
cmake --build "$build_dir" --target ButterflyBflyIncGen ButterflyBflyPassIncGen \
  ButterflyDfaIncGen ButterflyConversionPassIncGen
generated="$build_dir/dialects/Butterfly/include/butterfly/Dialect/Butterfly"
cp "$generated/BflyDialect.md" "$root/docs/dialects/bfly.md"
cp "$generated/Transforms/BflyPasses.md" "$root/docs/dialects/bfly-passes.md"
cp "$build_dir/dialects/Dataflow/include/butterfly/Dialect/Dataflow/DfaDialect.md" "$root/docs/dialects/dfa.md"
cp "$build_dir/include/butterfly/Conversion/ConversionPasses.md" "$root/docs/dialects/conversion-passes.md"
