// RUN: butterfly-opt %s --bfly-multilayer-tiling=arch=%S/../../examples/arch/tiny4x4.json \
// RUN:   --bfly-pe-mapping=arch=%S/../../examples/arch/tiny4x4.json | FileCheck %s

// A grouped matmul with fewer groups (2 heads) than PE rows (4): each
// group's 8 rows are cut into 2 slices of 4, PE row r takes slice r % 2 of
// group r / 2. Each PE row receives its group's whole rhs (4 x 8 words at
// gb 64 + 32 g), then its slice's rows of q (4 rows of 4 words at gb
// 16 r), and returns its 4 result rows of 8 words (32 words at gb
// 128 + 32 r: group g's rows start at 64 g, slice s at 32 s).
// CHECK-LABEL: dfa.phase @phase0
// CHECK: dfa.pe (0, 0) {
// CHECK-NEXT: dfa.inst loop(p0 = 1, p1 = 4)
// CHECK-NEXT: dfa.inst mov(n = 32, dst = lm[512, 1], a = in0)
// CHECK-NEXT: dfa.inst loop(p0 = 4, p1 = 2)
// CHECK-NEXT: dfa.inst gemm(n = 8, p0 = 1, p1 = 4, flags = 1, dst = lm[0, 1], a = in0, b = lm[512, 1])
// CHECK: dfa.pe (3, 0) {
// CHECK: dfa.dma gb_to_edge gb 64 edge west(0) dims {{\[\[}}4, 0, 8], [8, 0, 1]]
// CHECK-NEXT: dfa.dma gb_to_edge gb 0 edge west(0) dims {{\[\[}}4, 0, 4], [4, 0, 1]]
// CHECK-NEXT: dfa.dma edge_to_gb gb 128 edge west(0) dims {{\[\[}}1, 0, 128], [32, 0, 1]]
// CHECK-NEXT: dfa.dma gb_to_edge gb 64 edge west(1) dims {{\[\[}}4, 0, 8], [8, 0, 1]]
// CHECK-NEXT: dfa.dma gb_to_edge gb 16 edge west(1) dims {{\[\[}}4, 0, 4], [4, 0, 1]]
// CHECK-NEXT: dfa.dma edge_to_gb gb 160 edge west(1) dims {{\[\[}}1, 0, 128], [32, 0, 1]]
// CHECK-NEXT: dfa.dma gb_to_edge gb 96 edge west(2) dims {{\[\[}}4, 0, 8], [8, 0, 1]]
// CHECK-NEXT: dfa.dma gb_to_edge gb 32 edge west(2) dims {{\[\[}}4, 0, 4], [4, 0, 1]]
// CHECK-NEXT: dfa.dma edge_to_gb gb 192 edge west(2) dims {{\[\[}}1, 0, 128], [32, 0, 1]]
// CHECK-NEXT: dfa.dma gb_to_edge gb 96 edge west(3) dims {{\[\[}}4, 0, 8], [8, 0, 1]]
// CHECK-NEXT: dfa.dma gb_to_edge gb 48 edge west(3) dims {{\[\[}}4, 0, 4], [4, 0, 1]]
// CHECK-NEXT: dfa.dma edge_to_gb gb 224 edge west(3) dims {{\[\[}}1, 0, 128], [32, 0, 1]]
func.func @main(%q: tensor<1x2x8x4xf32>, %k: tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32> {
  %0 = bfly.matmul %q, %k : tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32> -> tensor<1x2x8x8xf32>
  %1 = bfly.softmax %0 axis 3 : tensor<1x2x8x8xf32>
  return %1 : tensor<1x2x8x8xf32>
}
