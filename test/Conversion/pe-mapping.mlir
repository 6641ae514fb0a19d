// RUN: butterfly-opt %s --bfly-multilayer-tiling=arch=%S/../../examples/arch/tiny4x4.json \
// RUN:   --bfly-pe-mapping=arch=%S/../../examples/arch/tiny4x4.json | FileCheck %s

// Two row ops over 8 rows of 16 words on the 4x4 array: 4 PE rows with 2
// rows each, op k on column k; inputs loaded in a first phase, outputs
// stored in a last one.
// CHECK: dfa.program @main
// CHECK: dfa.buffer @tensors offset 0 size 256
// CHECK: dfa.input @arg0 dram 0 : tensor<8x16xf32>
// CHECK: dfa.output @out0 dram 128 : tensor<8x16xf32>
// CHECK: dfa.phase @load {
// CHECK-NEXT: dfa.dma dram_to_gb dram 0 gb 0 dims {{\[\[}}128, 1, 1]]
// CHECK: dfa.phase @phase0 {
// CHECK: dfa.pe (0, 0) {
// CHECK-NEXT: dfa.inst loop(p0 = 2, p1 = 3)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[0, 1], a = in0)
// CHECK-NEXT: dfa.inst vmul(n = 16, dst = lm[16, 1], a = lm[0, 1], b = imm 2.000000e+00)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = out[0], a = lm[16, 1])
// CHECK-NEXT: dfa.inst halt
// CHECK: dfa.pe (0, 1) {
// CHECK: dfa.inst vmax(n = 16, dst = lm[16, 1], a = lm[0, 1], b = imm 0.000000e+00)
// The west edge feeds column 0, column 0 feeds column 1, column 1 returns
// west over the westward links.
// CHECK: dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
// CHECK: dfa.route pe(0, 0, out0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
// CHECK: dfa.route pe(0, 1, out0) -> [west(0)] via [(0, 1) -> (0, 0), (0, 0) -> (0, -1)]
// PE row 1 reads rows 1 and 5 (stride 4 rows of 16 words) and writes them
// back to the result at 128.
// CHECK: dfa.dma gb_to_edge gb 16 edge west(1) dims {{\[\[}}2, 0, 64], [16, 0, 1]]
// CHECK: dfa.dma edge_to_gb gb 144 edge west(1) dims {{\[\[}}2, 0, 64], [16, 0, 1]]
// CHECK: dfa.phase @store {
// CHECK-NEXT: dfa.dma gb_to_dram dram 128 gb 128 dims {{\[\[}}8, 16, 16], [16, 1, 1]]
func.func @main(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = bfly.scale %x by 2.0 : tensor<8x16xf32>
  %1 = bfly.relu %0 : tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}
