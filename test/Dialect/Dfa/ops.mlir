// RUN: butterfly-opt %s | butterfly-opt | FileCheck %s
// RUN: butterfly-opt %s --mlir-print-op-generic | butterfly-opt | FileCheck %s

// Round trip of every dfa op and every form of its custom syntax: all the
// opcode mnemonics, every operand form, routes from and to both edges with
// multicast trees and express links, the four DMA kinds with multi-dimensional
// patterns and `after`, constants in DRAM and the GB, complex I/O, several
// phases, and an arch with nested latency / energy keys. The program is
// valid: the dfa.program verifier checks it against the arch on every parse.

// The arch dictionary is kept as written (sorted), not expanded to defaults.
// CHECK-LABEL: dfa.program @everything attributes {arch = #dfa.arch<{clock_ghz = 1.500000e+00 : f64, cols = 4 : i64, energy_pj = {fp_op = 2.500000e+00 : f64, source = "unit test"}, gb_kib = 64 : i64, imem = 64 : i64, lanes = 4 : i64, latency = {alu = 2 : i64, exp = 12 : i64}, local_mem_kib = 4 : i64, name = "ops-test", noc_express = true, noc_express_max_log2 = 1 : i64, rows = 4 : i64}>, dram_words = 1024 : i64} {
dfa.program @everything attributes {arch = #dfa.arch<{name = "ops-test", rows = 4 : i64, cols = 4 : i64, lanes = 4 : i64, imem = 64 : i64, local_mem_kib = 4 : i64, gb_kib = 64 : i64, clock_ghz = 1.5 : f64, noc_express = true, noc_express_max_log2 = 1 : i64, latency = {exp = 12 : i64, alu = 2 : i64}, energy_pj = {fp_op = 2.5 : f64, source = "unit test"}}>, dram_words = 1024 : i64} {
  // CHECK-NEXT: dfa.buffer @a offset 0 size 256
  // CHECK-NEXT: dfa.buffer @b offset 256 size 256
  // CHECK-NEXT: dfa.buffer @consts offset 512 size 64 {note = "twiddles"}
  dfa.buffer @a offset 0 size 256
  dfa.buffer @b offset 256 size 256
  dfa.buffer @consts offset 512 size 64 {note = "twiddles"}
  // CHECK-NEXT: dfa.constant @twiddles dram 512 dense<[1.000000e+00, 0.000000e+00, 0.000000e+00, -1.000000e+00]> : tensor<4xf32>
  // CHECK-NEXT: dfa.constant @bias gb 520 dense<[5.000000e-01, -2.500000e-01, 2.000000e+00]> : tensor<3xf32>
  // CHECK-NEXT: dfa.constant @ones gb 530 dense<1.000000e+00> : tensor<8xf32>
  dfa.constant @twiddles dram 512 dense<[1.0, 0.0, 0.0, -1.0]> : tensor<4xf32>
  dfa.constant @bias gb 520 dense<[0.5, -0.25, 2.0]> : tensor<3xf32>
  dfa.constant @ones gb 530 dense<1.0> : tensor<8xf32>
  // CHECK-NEXT: dfa.input @x dram 0 : tensor<16xf32>
  // CHECK-NEXT: dfa.input @z dram 64 : tensor<2x8xcomplex<f32>>
  // CHECK-NEXT: dfa.input @s dram 96 : tensor<f32>
  // CHECK-NEXT: dfa.output @y dram 128 : tensor<4x4xf32>
  // CHECK-NEXT: dfa.output @w dram 256 : tensor<8xcomplex<f32>>
  dfa.input @x dram 0 : tensor<16xf32>
  dfa.input @z dram 64 : tensor<2x8xcomplex<f32>>
  dfa.input @s dram 96 : tensor<f32>
  dfa.output @y dram 128 : tensor<4x4xf32>
  dfa.output @w dram 256 : tensor<8xcomplex<f32>>

  // CHECK-NEXT: dfa.phase @compute {
  dfa.phase @compute {
    // CHECK-NEXT: dfa.pe (0, 0) {
    dfa.pe (0, 0) {
      // CHECK-NEXT: dfa.init 0 dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
      // CHECK-NEXT: dfa.init 1000 dense<-1.500000e+00> : tensor<2xf32>
      dfa.init 0 dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
      dfa.init 1000 dense<-1.5> : tensor<2xf32>
      // Control instructions; nested hardware loops with inc0 (innermost
      // loop) and inc1 (the next one out).
      // CHECK-NEXT: dfa.inst nop
      // CHECK-NEXT: dfa.inst mov(n = 16, dst = lm[0, 1], a = in0)
      // CHECK-NEXT: dfa.inst loop(p0 = 4, p1 = 3)
      // CHECK-NEXT: dfa.inst loop(p0 = 2, p1 = 1)
      // CHECK-NEXT: dfa.inst vfma(n = 4, dst = lm[100, 1, 8, 32], a = lm[0, 1, 4, 16], b = imm 5.000000e-01)
      // CHECK-NEXT: dfa.inst vadd(n = 4, dst = lm[300, 2], a = lm[0, 0], b = imm -2.000000e+00)
      // CHECK-NEXT: dfa.inst barrier
      dfa.inst nop
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
      dfa.inst loop(p0 = 4, p1 = 3)
      dfa.inst loop(p0 = 2, p1 = 1)
      dfa.inst vfma(n = 4, dst = lm[100, 1, 8, 32], a = lm[0, 1, 4, 16], b = imm 0.5)
      // lm[b, s, 0, 0] is printed lm[b, s]; stride 0 broadcasts one word.
      dfa.inst vadd(n = 4, dst = lm[300, 2, 0, 0], a = lm[0, 0], b = imm -2.0)
      dfa.inst barrier
      // Out-port sets are printed sorted and without repeats.
      // CHECK-NEXT: dfa.inst mov(n = 16, dst = out[0, 1], a = lm[100, -1])
      // CHECK-NEXT: dfa.inst mov(n = 4, dst = out[2], a = imm 3.000000e+00)
      // CHECK-NEXT: dfa.inst halt {note = "end"}
      dfa.inst mov(n = 16, dst = out[1, 0], a = lm[100, -1])
      dfa.inst mov(n = 4, dst = out[2, 2], a = imm 3.0)
      dfa.inst halt {note = "end"}
    // CHECK-NEXT: }
    }
    // Every elementwise and reduction opcode.
    // CHECK-NEXT: dfa.pe (0, 1) attributes {note = "elementwise"} {
    dfa.pe (0, 1) attributes {note = "elementwise"} {
      // CHECK-NEXT: dfa.inst vsub(n = 16, dst = lm[0, 1], a = in0, b = imm 1.000000e+00)
      // CHECK-NEXT: dfa.inst vmul(n = 16, dst = lm[16, 1], a = lm[0, 1], b = lm[0, 1])
      // CHECK-NEXT: dfa.inst vmax(n = 16, dst = lm[32, 1], a = lm[16, 1], b = imm 0.000000e+00)
      // CHECK-NEXT: dfa.inst vmin(n = 16, dst = lm[48, 1], a = lm[32, 1], b = imm 6.000000e+00)
      // CHECK-NEXT: dfa.inst vexp(n = 16, dst = lm[64, 1], a = lm[48, 1])
      // CHECK-NEXT: dfa.inst vrcp(n = 16, dst = lm[80, 1], a = lm[64, 1])
      // CHECK-NEXT: dfa.inst vrsqrt(n = 16, dst = lm[96, 1], a = lm[80, 1])
      // CHECK-NEXT: dfa.inst vtanh(n = 16, dst = lm[112, 1], a = lm[96, 1])
      // CHECK-NEXT: dfa.inst verf(n = 16, dst = lm[128, 1], a = lm[112, 1])
      // CHECK-NEXT: dfa.inst reduce.sum(n = 16, dst = lm[144, 1], a = lm[128, 1])
      // CHECK-NEXT: dfa.inst reduce.max(n = 16, dst = out[0], a = lm[128, 1])
      // CHECK-NEXT: dfa.inst halt
      dfa.inst vsub(n = 16, dst = lm[0], a = in0, b = imm 1.0)
      dfa.inst vmul(n = 16, dst = lm[16], a = lm[0], b = lm[0])
      dfa.inst vmax(n = 16, dst = lm[32], a = lm[16], b = imm 0.0)
      dfa.inst vmin(n = 16, dst = lm[48], a = lm[32], b = imm 6.0)
      dfa.inst vexp(n = 16, dst = lm[64], a = lm[48])
      dfa.inst vrcp(n = 16, dst = lm[80], a = lm[64])
      dfa.inst vrsqrt(n = 16, dst = lm[96], a = lm[80])
      dfa.inst vtanh(n = 16, dst = lm[112], a = lm[96])
      dfa.inst verf(n = 16, dst = lm[128], a = lm[112])
      dfa.inst reduce.sum(n = 16, dst = lm[144], a = lm[128])
      dfa.inst reduce.max(n = 16, dst = out[0], a = lm[128])
      dfa.inst halt
    // CHECK-NEXT: }
    }
    // bitrev, bfly and gemm with their flags; fields are printed in the
    // order n, p0, p1, flags, dst, a, b whatever order they are written in.
    // CHECK-NEXT: dfa.pe (1, 1) {
    dfa.pe (1, 1) {
      // CHECK-NEXT: dfa.init 256 dense<[1.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, -1.000000e+00, 0.000000e+00]> : tensor<8xf32>
      // CHECK-NEXT: dfa.inst bitrev(n = 8, flags = 1, dst = lm[0, 1], a = lm[64, 1])
      // CHECK-NEXT: dfa.inst bfly(n = 16, p0 = 4, dst = lm[128, 1], a = lm[0, 1], b = lm[256, 1])
      // CHECK-NEXT: dfa.inst bfly(n = 16, p0 = 2, flags = 7, dst = out[3], a = lm[0, 1], b = lm[256, 1])
      // CHECK-NEXT: dfa.inst gemm(n = 4, p0 = 2, p1 = 3, flags = 1, dst = lm[512, 1], a = lm[0, 1], b = lm[32, 1])
      // CHECK-NEXT: dfa.inst gemm(n = 4, p0 = 1, p1 = 1, dst = lm[512, 1], a = in1, b = in2)
      // CHECK-NEXT: dfa.inst halt
      dfa.init 256 dense<[1.0, 0.0, 0.0, 1.0, 0.0, 1.0, -1.0, 0.0]> : tensor<8xf32>
      dfa.inst bitrev(a = lm[64], dst = lm[0], flags = 1, n = 8)
      dfa.inst bfly(n = 16, p0 = 4, dst = lm[128], a = lm[0], b = lm[256])
      dfa.inst bfly(n = 16, p0 = 2, flags = 7, dst = out[3], a = lm[0], b = lm[256])
      dfa.inst gemm(n = 4, p0 = 2, p1 = 3, flags = 1, dst = lm[512], a = lm[0], b = lm[32])
      dfa.inst gemm(n = 4, p0 = 1, p1 = 1, dst = lm[512], a = in1, b = in2)
      dfa.inst halt
    // CHECK-NEXT: }
    }
    // CHECK-NEXT: dfa.pe (2, 0) {
    // CHECK-NEXT: dfa.inst mov(n = 4, dst = out[0, 1, 2, 3], a = in0)
    // CHECK-NEXT: dfa.inst halt
    // CHECK-NEXT: }
    dfa.pe (2, 0) {
      dfa.inst mov(n = 4, dst = out[3, 2, 1, 0], a = in0)
      dfa.inst halt
    }
    // CHECK-NEXT: dfa.pe (0, 3) {
    // CHECK-NEXT: dfa.inst reduce.max(n = 4, dst = lm[0, 1], a = in2)
    // CHECK-NEXT: dfa.inst halt
    // CHECK-NEXT: }
    dfa.pe (0, 3) {
      dfa.inst reduce.max(n = 4, dst = lm[0], a = in2)
      dfa.inst halt
    }
    // CHECK-NEXT: dfa.pe (3, 0) {
    // CHECK-NEXT: dfa.inst mov(n = 4, dst = lm[0, 1], a = in3)
    // CHECK-NEXT: }
    // CHECK-NEXT: dfa.pe (1, 0) {
    // CHECK-NEXT: }
    // CHECK-NEXT: dfa.pe (2, 1) {
    // CHECK-NEXT: }
    dfa.pe (3, 0) {
      dfa.inst mov(n = 4, dst = lm[0], a = in3)
    }
    dfa.pe (1, 0) {
    }
    dfa.pe (2, 1) {
    }
    // Routes: from the west and north edges, to PEs and to both edges, a
    // multicast tree, an express link (span 2 with noc_express_max_log2 = 1).
    // CHECK-NEXT: dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    // CHECK-NEXT: dfa.route pe(0, 0, out0) -> [pe(0, 1, in0), pe(1, 1, in1)] via [(0, 0) -> (0, 1), (0, 1) -> (1, 1)]
    // CHECK-NEXT: dfa.route pe(0, 0, out1) -> [pe(2, 0, in0)] via [(0, 0) -> (2, 0)]
    // CHECK-NEXT: dfa.route pe(0, 0, out2) -> [pe(1, 1, in2)] via [(0, 0) -> (1, 0), (1, 0) -> (1, 1)]
    // CHECK-NEXT: dfa.route pe(2, 0, out0) -> [west(2)] via [(2, 0) -> (2, -1)]
    // CHECK-NEXT: dfa.route pe(2, 0, out1) -> [pe(3, 0, in3)] via [(2, 0) -> (3, 0)] {note = "to (3, 0)"}
    // CHECK-NEXT: dfa.route pe(2, 0, out2) -> [pe(2, 1, in0)] via [(2, 0) -> (2, 1)]
    // CHECK-NEXT: dfa.route pe(2, 0, out3) -> [pe(1, 0, in1)] via [(2, 0) -> (1, 0)]
    // CHECK-NEXT: dfa.route pe(0, 1, out0) -> [north(2), north(1)] via [(0, 1) -> (-1, 1), (0, 1) -> (0, 2), (0, 2) -> (-1, 2)]
    // CHECK-NEXT: dfa.route north(3) -> [pe(0, 3, in2)] via [(-1, 3) -> (0, 3)]
    // CHECK-NEXT: dfa.route pe(1, 1, out3) -> [west(1)] via [(1, 1) -> (1, 0), (1, 0) -> (1, -1)]
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0), pe(1, 1, in1)] via [(0, 0) -> (0, 1), (0, 1) -> (1, 1)]
    dfa.route pe(0, 0, out1) -> [pe(2, 0, in0)] via [(0, 0) -> (2, 0)]
    dfa.route pe(0, 0, out2) -> [pe(1, 1, in2)] via [(0, 0) -> (1, 0), (1, 0) -> (1, 1)]
    dfa.route pe(2, 0, out0) -> [west(2)] via [(2, 0) -> (2, -1)]
    dfa.route pe(2, 0, out1) -> [pe(3, 0, in3)] via [(2, 0) -> (3, 0)] {note = "to (3, 0)"}
    dfa.route pe(2, 0, out2) -> [pe(2, 1, in0)] via [(2, 0) -> (2, 1)]
    dfa.route pe(2, 0, out3) -> [pe(1, 0, in1)] via [(2, 0) -> (1, 0)]
    // An edge destination may also be written pe(ROW, -1, in0) / pe(-1, COL, in0).
    dfa.route pe(0, 1, out0) -> [pe(-1, 2, in0), north(1)] via [(0, 1) -> (-1, 1), (0, 1) -> (0, 2), (0, 2) -> (-1, 2)]
    dfa.route north(3) -> [pe(0, 3, in2)] via [(-1, 3) -> (0, 3)]
    dfa.route pe(1, 1, out3) -> [west(1)] via [(1, 1) -> (1, 0), (1, 0) -> (1, -1)]
    // DMAs of the four kinds; strides may be 0 or negative.
    // CHECK-NEXT: dfa.dma dram_to_gb dram 0 gb 0 dims {{\[}}[16, 1, 1]]
    // CHECK-NEXT: dfa.dma dram_to_gb dram 64 gb 256 dims {{\[}}[2, 16, 32], [8, 2, 1], [2, 1, 8]] after [0]
    // CHECK-NEXT: dfa.dma gb_to_edge gb 0 edge west(0) dims {{\[}}[16, 0, 1]] after [0, 1]
    // CHECK-NEXT: dfa.dma gb_to_edge gb 200 edge north(3) dims {{\[}}[4, 0, -2]]
    // CHECK-NEXT: dfa.dma edge_to_gb gb 32 edge west(2) dims {{\[}}[4, 0, 1]]
    // CHECK-NEXT: dfa.dma edge_to_gb gb 48 edge north(2) dims {{\[}}[1, 0, 0]]
    // CHECK-NEXT: dfa.dma edge_to_gb gb 64 edge north(1) dims {{\[}}[1, 0, 0]] {note = "one word"}
    // CHECK-NEXT: dfa.dma edge_to_gb gb 300 edge west(1) dims {{\[}}[2, 0, 16], [8, 0, 1]]
    dfa.dma dram_to_gb dram 0 gb 0 dims [[16, 1, 1]]
    dfa.dma dram_to_gb dram 64 gb 256 dims [[2, 16, 32], [8, 2, 1], [2, 1, 8]] after [0]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[16, 0, 1]] after [0, 1]
    dfa.dma gb_to_edge gb 200 edge north(3) dims [[4, 0, -2]]
    dfa.dma edge_to_gb gb 32 edge west(2) dims [[4, 0, 1]]
    dfa.dma edge_to_gb gb 48 edge north(2) dims [[1, 0, 0]]
    dfa.dma edge_to_gb gb 64 edge north(1) dims [[1, 0, 0]] {note = "one word"}
    dfa.dma edge_to_gb gb 300 edge west(1) dims [[2, 0, 16], [8, 0, 1]]
  // CHECK-NEXT: }
  }

  // A second phase, with a phase attribute, an idle PE and DMAs only.
  // CHECK-NEXT: dfa.phase @drain attributes {note = "write back"} {
  // CHECK-NEXT: dfa.pe (3, 3) {
  // CHECK-NEXT: }
  // CHECK-NEXT: dfa.dma gb_to_dram dram 128 gb 32 dims {{\[}}[4, 4, 4], [4, 1, 1]]
  // CHECK-NEXT: dfa.dma gb_to_dram dram 271 gb 300 dims {{\[}}[16, -1, 1]] after [0]
  // CHECK-NEXT: }
  dfa.phase @drain attributes {note = "write back"} {
    dfa.pe (3, 3) {
    }
    dfa.dma gb_to_dram dram 128 gb 32 dims [[4, 4, 4], [4, 1, 1]]
    dfa.dma gb_to_dram dram 271 gb 300 dims [[16, -1, 1]] after [0]
  }
  // An empty phase.
  // CHECK-NEXT: dfa.phase @nothing {
  // CHECK-NEXT: }
  dfa.phase @nothing {
  }
// CHECK-NEXT: }
}

// The smallest program: every arch key at its default, nothing in it.
// CHECK-LABEL: dfa.program @empty attributes {arch = #dfa.arch<{}>, dram_words = 0 : i64} {
// CHECK-NEXT: }
dfa.program @empty attributes {arch = #dfa.arch<{}>, dram_words = 0 : i64} {
}

// Express links of span 2 and 4 (noc_express_max_log2 = 2) along a row and a
// column, and mesh links on the way.
// CHECK-LABEL: dfa.program @express
// CHECK: dfa.route west(0) -> [pe(0, 4, in1), pe(4, 4, in0), pe(6, 5, in2)] via [(0, -1) -> (0, 0), (0, 0) -> (0, 4), (0, 4) -> (4, 4), (4, 4) -> (6, 4), (6, 4) -> (6, 5)]
// CHECK: dfa.route pe(6, 5, out1) -> [pe(6, 7, in0)] via [(6, 5) -> (6, 7)]
dfa.program @express attributes {arch = #dfa.arch<{rows = 8 : i64, cols = 8 : i64, noc_express = true, noc_express_max_log2 = 2 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @io offset 0 size 16
  dfa.phase @p {
    dfa.pe (0, 4) {
      dfa.inst mov(n = 4, dst = lm[0], a = in1)
    }
    dfa.pe (4, 4) {
      dfa.inst mov(n = 4, dst = lm[0], a = in0)
    }
    dfa.pe (6, 5) {
      dfa.inst mov(n = 4, dst = out[1], a = in2)
    }
    dfa.pe (6, 7) {
      dfa.inst mov(n = 4, dst = lm[0], a = in0)
    }
    dfa.route west(0) -> [pe(0, 4, in1), pe(4, 4, in0), pe(6, 5, in2)] via [(0, -1) -> (0, 0), (0, 0) -> (0, 4), (0, 4) -> (4, 4), (4, 4) -> (6, 4), (6, 4) -> (6, 5)]
    dfa.route pe(6, 5, out1) -> [pe(6, 7, in0)] via [(6, 5) -> (6, 7)]
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4, 1, 1]]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[4, 0, 1]] after [0]
  }
}
