// RUN: butterfly-opt %s --bfly-decompose=fuse-attention --bfly-multilayer-tiling | FileCheck %s --check-prefix=PLAN
// RUN: butterfly-opt %s --bfly-decompose=fuse-attention --bfly-multilayer-tiling --bfly-pe-mapping | FileCheck %s

// Fused attention on the default 16x16 array (docs/compiler.md, "Fused
// attention"): one head of 128 queries and keys, head size 8. The plan cuts
// the queries into 16 slices of 8, one per PE row, each over 2 columns of 4
// queries (Bq = 4), with all 128 keys in one tile (Bk = 128).
// PLAN: bfly.attention {{.*}}dfa.pe_rows = 16 : i64, dfa.phase = 0 : i64, dfa.width = 2 : i64

// Local memory: outputs (4 x 8) at 0 and the transposed scores (128 x 4) at
// 32 in bank 0; the transposed queries (8 x 4) at 2048, the value tile
// (128 x 8) at 2080 and the statistics (running maximum 3104, tile maximum
// 3108, correction 3112, tile sum 3116, running sum 3120) in bank 1.
// CHECK-LABEL: dfa.phase @phase0
// Column 0 keeps the first query block of the row's multicast, lets the
// second block pass (4 rows of 8 words into the value tile) and scales by
// 1/sqrt(8).
// CHECK: dfa.pe (0, 0) {
// CHECK-NEXT: dfa.inst loop(p0 = 1, p1 = 34)
// CHECK-NEXT: dfa.inst mov(n = 32, dst = lm[2048, 1], a = in0)
// CHECK-NEXT: dfa.inst loop(p0 = 4, p1 = 1)
// CHECK-NEXT: dfa.inst mov(n = 8, dst = lm[2080, 1], a = in0)
// CHECK-NEXT: dfa.inst vmul(n = 32, dst = lm[2048, 1], a = lm[2048, 1], b = imm 0.353553385)
// CHECK-NEXT: dfa.inst mov(n = 32, dst = lm[0, 1], a = imm 0.000000e+00)
// CHECK-NEXT: dfa.inst mov(n = 4, dst = lm[3104, 1], a = imm -3.000000e+38)
// CHECK-NEXT: dfa.inst mov(n = 4, dst = lm[3120, 1], a = imm 0.000000e+00)
// Per tile: scoresᵀ = keys · queriesᵀ with the keys read from the stream.
// CHECK-NEXT: dfa.inst loop(p0 = 1, p1 = 21)
// CHECK-NEXT: dfa.inst gemm(n = 4, p0 = 128, p1 = 8, flags = 1, dst = lm[32, 1], a = in0, b = lm[2048, 1])
// The tile maximum over the 128 rows of scores, the new running maximum,
// the correction exp(old - new).
// CHECK-NEXT: dfa.inst mov(n = 4, dst = lm[3108, 1], a = lm[32, 1])
// CHECK-NEXT: dfa.inst loop(p0 = 127, p1 = 1)
// CHECK-NEXT: dfa.inst vmax(n = 4, dst = lm[3108, 1], a = lm[3108, 1], b = lm[36, 1, 4, 0])
// CHECK-NEXT: dfa.inst vmax(n = 4, dst = lm[3108, 1], a = lm[3108, 1], b = lm[3104, 1])
// CHECK-NEXT: dfa.inst vsub(n = 4, dst = lm[3112, 1], a = lm[3104, 1], b = lm[3108, 1])
// CHECK-NEXT: dfa.inst vexp(n = 4, dst = lm[3112, 1], a = lm[3112, 1])
// CHECK-NEXT: dfa.inst mov(n = 4, dst = lm[3104, 1], a = lm[3108, 1])
// Probabilities and their sums; the running sum rescaled.
// CHECK-NEXT: dfa.inst loop(p0 = 128, p1 = 1)
// CHECK-NEXT: dfa.inst vsub(n = 4, dst = lm[32, 1, 4, 0], a = lm[32, 1, 4, 0], b = lm[3108, 1])
// CHECK-NEXT: dfa.inst vexp(n = 512, dst = lm[32, 1], a = lm[32, 1])
// CHECK-NEXT: dfa.inst mov(n = 4, dst = lm[3116, 1], a = lm[32, 1])
// CHECK-NEXT: dfa.inst loop(p0 = 127, p1 = 1)
// CHECK-NEXT: dfa.inst vadd(n = 4, dst = lm[3116, 1], a = lm[3116, 1], b = lm[36, 1, 4, 0])
// CHECK-NEXT: dfa.inst vmul(n = 4, dst = lm[3120, 1], a = lm[3120, 1], b = lm[3112, 1])
// CHECK-NEXT: dfa.inst vadd(n = 4, dst = lm[3120, 1], a = lm[3120, 1], b = lm[3116, 1])
// The value tile; per output row: rescale, then a vfma per key with its
// probability broadcast (lm[32 + 4 j + i : 0]).
// CHECK-NEXT: dfa.inst mov(n = 1024, dst = lm[2080, 1], a = in0)
// CHECK-NEXT: dfa.inst loop(p0 = 4, p1 = 3)
// CHECK-NEXT: dfa.inst vmul(n = 8, dst = lm[0, 1, 8, 0], a = lm[0, 1, 8, 0], b = lm[3112, 0, 1, 0])
// CHECK-NEXT: dfa.inst loop(p0 = 128, p1 = 1)
// CHECK-NEXT: dfa.inst vfma(n = 8, dst = lm[0, 1, 0, 8], a = lm[32, 0, 4, 1], b = lm[2080, 1, 8, 0])
// Divide by the sums, send the rows, then forward column 1's.
// CHECK-NEXT: dfa.inst vrcp(n = 4, dst = lm[3120, 1], a = lm[3120, 1])
// CHECK-NEXT: dfa.inst loop(p0 = 4, p1 = 1)
// CHECK-NEXT: dfa.inst vmul(n = 8, dst = lm[0, 1, 8, 0], a = lm[0, 1, 8, 0], b = lm[3120, 0, 1, 0])
// CHECK-NEXT: dfa.inst mov(n = 32, dst = out[0], a = lm[0, 1])
// CHECK-NEXT: dfa.inst mov(n = 32, dst = out[0], a = in2)
// CHECK-NEXT: dfa.inst halt
// Column 1 lets the first block pass and keeps the second; it forwards
// nothing.
// CHECK: dfa.pe (0, 1) {
// CHECK-NEXT: dfa.inst loop(p0 = 1, p1 = 33)
// CHECK-NEXT: dfa.inst loop(p0 = 4, p1 = 1)
// CHECK-NEXT: dfa.inst mov(n = 8, dst = lm[2080, 1], a = in0)
// CHECK-NEXT: dfa.inst mov(n = 32, dst = lm[2048, 1], a = in0)
// CHECK-NOT: a = in2
// CHECK: dfa.inst halt
// Results return west through column 0; the row's stream is multicast to
// both columns.
// CHECK: dfa.route pe(0, 0, out0) -> [west(0)] via [(0, 0) -> (0, -1)]
// CHECK-NEXT: dfa.route pe(0, 1, out0) -> [pe(0, 0, in2)] via [(0, 1) -> (0, 0)]
// CHECK-NEXT: dfa.route west(0) -> [pe(0, 0, in0), pe(0, 1, in0)] via [(0, -1) -> (0, 0), (0, 0) -> (0, 1)]
// PE row 0's stream: the two columns' query blocks of its slice, transposed
// (word kk of query i at 8 i + kk); then the keys and, 1024 words further,
// the values, in one DMA; the results: rows 0-3 then 4-7.
// CHECK: dfa.dma gb_to_edge gb 0 edge west(0) dims {{\[\[}}2, 0, 32], [8, 0, 1], [4, 0, 8]]
// CHECK-NEXT: dfa.dma gb_to_edge gb 1024 edge west(0) dims {{\[\[}}1, 0, 1024], [2, 0, 1024], [128, 0, 8], [8, 0, 1]]
// CHECK-NEXT: dfa.dma edge_to_gb gb 3072 edge west(0) dims {{\[\[}}1, 0, 1024], [1, 0, 32], [2, 0, 32], [32, 0, 1]]
func.func @main(%q: tensor<1x1x128x8xf32>, %k: tensor<1x1x128x8xf32>, %v: tensor<1x1x128x8xf32>) -> tensor<1x1x128x8xf32> {
  %o = bfly.attention %q, %k, %v : tensor<1x1x128x8xf32>, tensor<1x1x128x8xf32>, tensor<1x1x128x8xf32> -> tensor<1x1x128x8xf32>
  return %o : tensor<1x1x128x8xf32>
}
