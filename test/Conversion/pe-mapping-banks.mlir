// RUN: butterfly-opt %s --bfly-multilayer-tiling=arch=%S/../../examples/arch/tiny4x4.json \
// RUN:   --bfly-pe-mapping=arch=%S/../../examples/arch/tiny4x4.json | FileCheck %s
// RUN: butterfly-opt %s --bfly-multilayer-tiling=arch=%S/Inputs/tiny4x4-one-bank.json \
// RUN:   --bfly-pe-mapping=arch=%S/Inputs/tiny4x4-one-bank.json | FileCheck %s --check-prefix=ONE
// RUN: butterfly-opt %S/Inputs/banks-packed.mlir --bfly-multilayer-tiling=arch=%S/../../examples/arch/tiny4x4.json \
// RUN:   --bfly-pe-mapping=arch=%S/../../examples/arch/tiny4x4.json | FileCheck %s --check-prefix=PACKED

// Bank-aware local memory (docs/compiler.md, "Local memory"). The 4x4 test
// array has 4 KiB of local memory, 1024 words in two banks: bank 0 is
// words 0-511, bank 1 words 512-1023. A row op's row goes to bank 0, what
// is read beside it (weights, constants, the second stream, temporaries) to
// bank 1, so that each instruction's streamed sources are in different banks
// (bank factor 1, docs/architecture.md §4).

// Phase 0, column 0: the head linear takes its input row straight from the
// edge stream as gemm's `a`; the accumulator (bank 0) and the weight (bank
// 1) are its only local operands. The bias follows the weight in bank 1.
// CHECK-LABEL: dfa.phase @phase0
// CHECK: dfa.pe (0, 0) {
// CHECK-NEXT: dfa.inst mov(n = 256, dst = lm[512, 1], a = in1)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[768, 1], a = in1)
// CHECK-NEXT: dfa.inst loop(p0 = 2, p1 = 3)
// CHECK-NEXT: dfa.inst gemm(n = 16, p0 = 1, p1 = 16, flags = 1, dst = lm[0, 1], a = in0, b = lm[512, 1])
// CHECK-NEXT: dfa.inst vadd(n = 16, dst = lm[0, 1], a = lm[0, 1], b = lm[768, 1])
// CHECK-NEXT: dfa.inst mov(n = 16, dst = out[0], a = lm[0, 1])
// Column 1, gelu: its temporary is read with the row, so it is in bank 1.
// CHECK: dfa.pe (0, 1) {
// CHECK-NEXT: dfa.inst loop(p0 = 2, p1 = 7)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[0, 1], a = in0)
// CHECK-NEXT: dfa.inst vmul(n = 16, dst = lm[512, 1], a = lm[0, 1], b = imm 0.707106769)
// CHECK-NEXT: dfa.inst verf(n = 16, dst = lm[512, 1], a = lm[512, 1])
// CHECK-NEXT: dfa.inst vadd(n = 16, dst = lm[512, 1], a = lm[512, 1], b = imm 1.000000e+00)
// CHECK-NEXT: dfa.inst vmul(n = 16, dst = lm[512, 1], a = lm[512, 1], b = lm[0, 1])
// CHECK-NEXT: dfa.inst vmul(n = 16, dst = lm[16, 1], a = lm[512, 1], b = imm 5.000000e-01)
// Column 2, a linear fed by a PE: it receives the row (a gemm reading the
// stream slowly would hold column 1's send). A gemm would stream three
// local operands, two from one bank: 16 * 4 beats at f = 2, + 1 = 129
// cycles. Instead a vmul by the row's first element and a vfma by each
// other one, that element broadcast (lm[k:0], k stepping with the loop):
// the accumulator (16) and the weight rows (512 + 16 k) in two banks, f = 1:
// 5 + 1 + 15 * 5 = 81 cycles.
// CHECK: dfa.pe (0, 2) {
// CHECK-NEXT: dfa.inst mov(n = 256, dst = lm[512, 1], a = in1)
// CHECK-NEXT: dfa.inst loop(p0 = 2, p1 = 5)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[0, 1], a = in0)
// CHECK-NEXT: dfa.inst vmul(n = 16, dst = lm[16, 1], a = lm[0, 0], b = lm[512, 1])
// CHECK-NEXT: dfa.inst loop(p0 = 15, p1 = 1)
// CHECK-NEXT: dfa.inst vfma(n = 16, dst = lm[16, 1], a = lm[1, 0, 1, 0], b = lm[528, 1, 16, 0])

// Phase 1: the add of two streams receives the second row into bank 1.
// CHECK-LABEL: dfa.phase @phase1
// CHECK: dfa.pe (0, 0) {
// CHECK-NEXT: dfa.inst loop(p0 = 2, p1 = 4)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[0, 1], a = in0)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[512, 1], a = in0)
// CHECK-NEXT: dfa.inst vadd(n = 16, dst = lm[16, 1], a = lm[0, 1], b = lm[512, 1])
// Layernorm in place in bank 0; its scalar (512) and γ, β (516, 532) in
// bank 1; the squares of the centred row in a temporary row (16).
// CHECK: dfa.pe (0, 1) {
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[516, 1], a = in1)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[532, 1], a = in1)
// CHECK-NEXT: dfa.inst loop(p0 = 2, p1 = 13)
// CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[0, 1], a = in0)
// CHECK-NEXT: dfa.inst reduce.sum(n = 16, dst = lm[512, 1], a = lm[0, 1])
// CHECK-NEXT: dfa.inst vmul(n = 1, dst = lm[512, 1], a = lm[512, 1], b = imm 6.250000e-02)
// CHECK-NEXT: dfa.inst vsub(n = 16, dst = lm[0, 1], a = lm[0, 1], b = lm[512, 0])
// CHECK-NEXT: dfa.inst vmul(n = 16, dst = lm[16, 1], a = lm[0, 1], b = lm[0, 1])
// CHECK-NEXT: dfa.inst reduce.sum(n = 16, dst = lm[512, 1], a = lm[16, 1])
// CHECK: dfa.inst vmul(n = 16, dst = lm[0, 1], a = lm[0, 1], b = lm[516, 1])
// CHECK-NEXT: dfa.inst vadd(n = 16, dst = lm[0, 1], a = lm[0, 1], b = lm[532, 1])

// With one bank there is nothing to separate: buffers follow each other.
// ONE-LABEL: dfa.phase @phase0
// ONE: dfa.pe (0, 0) {
// ONE-NEXT: dfa.inst mov(n = 256, dst = lm[16, 1], a = in1)
// ONE-NEXT: dfa.inst mov(n = 16, dst = lm[272, 1], a = in1)
// ONE-NEXT: dfa.inst loop(p0 = 2, p1 = 3)
// ONE-NEXT: dfa.inst gemm(n = 16, p0 = 1, p1 = 16, flags = 1, dst = lm[0, 1], a = in0, b = lm[16, 1])
// ONE-LABEL: dfa.phase @phase1
// ONE: dfa.pe (0, 0) {
// ONE-NEXT: dfa.inst loop(p0 = 2, p1 = 4)
// ONE-NEXT: dfa.inst mov(n = 16, dst = lm[0, 1], a = in0)
// ONE-NEXT: dfa.inst mov(n = 16, dst = lm[16, 1], a = in0)
// ONE-NEXT: dfa.inst vadd(n = 16, dst = lm[32, 1], a = lm[0, 1], b = lm[16, 1])

// A weight larger than a bank: the buffers are packed from word 0 instead
// (the accumulator, then the weight).
// PACKED-LABEL: dfa.phase @phase0
// PACKED: dfa.pe (0, 0) {
// PACKED-NEXT: dfa.inst mov(n = 576, dst = lm[36, 1], a = in1)
// PACKED-NEXT: dfa.inst loop(p0 = 2, p1 = 2)
// PACKED-NEXT: dfa.inst gemm(n = 36, p0 = 1, p1 = 16, flags = 1, dst = lm[0, 1], a = in0, b = lm[36, 1])

func.func @main(%x: tensor<8x16xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>,
                %y: tensor<8x16xf32>, %g: tensor<16xf32>, %be: tensor<16xf32>)
    -> tensor<8x16xf32> {
  %0 = bfly.linear %x, %w, %b : tensor<8x16xf32>, tensor<16x16xf32>, tensor<16xf32> -> tensor<8x16xf32>
  %1 = bfly.gelu %0 : tensor<8x16xf32>
  %2 = bfly.linear %1, %w : tensor<8x16xf32>, tensor<16x16xf32> -> tensor<8x16xf32>
  %3 = bfly.add %2, %y : tensor<8x16xf32>
  %4 = bfly.layernorm %3, %g, %be : tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>
  return %4 : tensor<8x16xf32>
}
