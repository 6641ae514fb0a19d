// Immediates that are not finite numbers must survive the round trips too.
// Expected to fail until fixed: the dfa.inst printer writes a non-finite f32
// immediate as the hex bits `imm 0x7F800000`, but the parser reads the operand
// with parseFloat(double &), which takes hex as the bits of an f64, so the
// value comes back as 0.0 (0x7F800000 as an f64 is a denormal). Decoding and
// re-encoding such a bitstream therefore changes it. (A decimal literal
// beyond the f32 range, `imm 1.0e39`, is also silently turned into +inf.)

// RUN: butterfly-opt %s | butterfly-opt | FileCheck %s
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t.bfbin
// RUN: butterfly-translate --bitstream-to-dfa %t.bfbin -o %t.mlir
// RUN: butterfly-translate --dfa-to-bitstream %t.mlir -o %t2.bfbin
// RUN: cmp %t.bfbin %t2.bfbin

// CHECK: dfa.inst vadd(n = 4, dst = lm[0, 1], a = lm[0, 1], b = imm 0x7F800000)
// CHECK: dfa.inst vmul(n = 4, dst = lm[0, 1], a = lm[0, 1], b = imm 0xFF800000)
// CHECK: dfa.inst vmax(n = 4, dst = lm[0, 1], a = lm[0, 1], b = imm 0x7FC00001)
dfa.program @p attributes {arch = #dfa.arch<{rows = 1 : i64, cols = 1 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      "dfa.inst"() <{opcode = 16 : i64, flags = 0 : i64, n = 4 : i64, p0 = 0 : i64, p1 = 0 : i64, dst = array<i64: 1, 0, 1, 0, 0>, a = array<i64: 1, 0, 1, 0, 0>, b = array<i64: 3>, dst_imm = 0.0 : f32, a_imm = 0.0 : f32, b_imm = 0x7F800000 : f32}> : () -> ()
      "dfa.inst"() <{opcode = 18 : i64, flags = 0 : i64, n = 4 : i64, p0 = 0 : i64, p1 = 0 : i64, dst = array<i64: 1, 0, 1, 0, 0>, a = array<i64: 1, 0, 1, 0, 0>, b = array<i64: 3>, dst_imm = 0.0 : f32, a_imm = 0.0 : f32, b_imm = 0xFF800000 : f32}> : () -> ()
      "dfa.inst"() <{opcode = 19 : i64, flags = 0 : i64, n = 4 : i64, p0 = 0 : i64, p1 = 0 : i64, dst = array<i64: 1, 0, 1, 0, 0>, a = array<i64: 1, 0, 1, 0, 0>, b = array<i64: 3>, dst_imm = 0.0 : f32, a_imm = 0.0 : f32, b_imm = 0x7FC00001 : f32}> : () -> ()
      dfa.inst halt
    }
  }
}
