// RUN: butterfly-opt %s --bfly-multilayer-tiling=arch=%S/../../examples/arch/tiny4x4.json --verify-diagnostics

// Attention kept whole (bfly-decompose{fuse-attention} on another arch) on
// an arch whose instruction memory holds no fused program (the 4x4 array:
// 32 slots, the program needs 38).
func.func @unfusable(%q: tensor<1x2x16x8xf32>, %k: tensor<1x2x16x8xf32>,
                     %v: tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32> {
  // expected-error @below {{bfly-multilayer-tiling: no fused plan of 'bfly.attention' fits the arch's local and instruction memories (run bfly-decompose without fuse-attention)}}
  %0 = bfly.attention %q, %k, %v : tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32> -> tensor<1x2x16x8xf32>
  return %0 : tensor<1x2x16x8xf32>
}
