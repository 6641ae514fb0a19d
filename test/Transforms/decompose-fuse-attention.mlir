// RUN: butterfly-opt %s --bfly-decompose=fuse-attention --split-input-file | FileCheck %s
// RUN: butterfly-opt %s --bfly-decompose="fuse-attention arch=%S/../../examples/arch/tiny4x4.json" --split-input-file | FileCheck %s --check-prefix=TINY
// RUN: not butterfly-opt %s --bfly-decompose="fuse-attention arch=%t.missing.json" --split-input-file 2>&1 | FileCheck %s --check-prefix=NOARCH

// With fuse-attention, attention that the arch can run fused stays whole
// (docs/compiler.md, "Fused attention"); the rest is decomposed as without.

// CHECK-LABEL: func.func @plain
// CHECK: bfly.attention
// CHECK-NOT: bfly.softmax
// The 4x4 test array's 32 instruction slots do not hold the fused program
// (38 instructions): decomposed.
// TINY-LABEL: func.func @plain
// TINY-NOT: bfly.attention
// TINY: bfly.softmax
// NOARCH: error: bfly-decompose: {{.*}}missing.json
func.func @plain(%q: tensor<1x2x16x8xf32>, %k: tensor<1x2x16x8xf32>,
                 %v: tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32> {
  %0 = bfly.attention %q, %k, %v : tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32> -> tensor<1x2x16x8xf32>
  return %0 : tensor<1x2x16x8xf32>
}

// -----

// Masked and causal attention are decomposed (the fused program has no
// mask).
// CHECK-LABEL: func.func @masked
// CHECK-NOT: bfly.attention
// CHECK: bfly.softmax
// CHECK-NOT: bfly.attention
// CHECK: bfly.softmax
// CHECK-NOT: bfly.attention
func.func @masked(%q: tensor<1x2x16x8xf32>, %k: tensor<1x2x16x8xf32>,
                  %v: tensor<1x2x16x8xf32>, %m: tensor<16x16xf32>)
    -> (tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>) {
  %0 = bfly.attention %q, %k, %v mask %m : tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<16x16xf32> -> tensor<1x2x16x8xf32>
  %1 = bfly.attention %q, %k, %v {causal} : tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32> -> tensor<1x2x16x8xf32>
  return %0, %1 : tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>
}

// -----

// A head size that is not whole flits (6 words, 4 lanes) has no fused plan.
// CHECK-LABEL: func.func @ragged
// CHECK-NOT: bfly.attention
// CHECK: bfly.softmax
func.func @ragged(%q: tensor<1x1x8x6xf32>, %k: tensor<1x1x8x6xf32>,
                  %v: tensor<1x1x8x6xf32>) -> tensor<1x1x8x6xf32> {
  %0 = bfly.attention %q, %k, %v : tensor<1x1x8x6xf32>, tensor<1x1x8x6xf32>, tensor<1x1x8x6xf32> -> tensor<1x1x8x6xf32>
  return %0 : tensor<1x1x8x6xf32>
}
