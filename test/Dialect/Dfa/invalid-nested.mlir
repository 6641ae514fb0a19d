// RUN: butterfly-opt %s --split-input-file --verify-diagnostics

// The verifiers of the ops nested in a dfa.program: dfa.inst, dfa.route and
// dfa.dma (DfaOps.cpp), the dynamic-shape check of dfa.input / dfa.output and
// the ODS constraints of their attributes.
//
// Expected to fail until fixed: dfa.program's verifier (hasVerifier) runs
// before the verifiers of the ops in its body, and converts them with
// toProgram() without checking them first, so none of these errors is
// reported: malformed operands, routes and DMAs are read out of bounds
// (garbage values in the program verifier's message), and an unranked
// tensor or integer data crashes butterfly-opt. Making it a region verifier
// (hasRegionVerifier / verifyRegions) runs the nested verifiers first; then

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // expected-error @+1 {{'dfa.inst' op unknown opcode 7}}
      "dfa.inst"() <{opcode = 7 : i64, flags = 0 : i64, n = 0 : i64, p0 = 0 : i64, p1 = 0 : i64, dst = array<i64>, a = array<i64>, b = array<i64>, dst_imm = 0.0 : f32, a_imm = 0.0 : f32, b_imm = 0.0 : f32}> : () -> ()
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // A memory operand needs [1, base, stride, inc0, inc1].
      // expected-error @+1 {{'dfa.inst' op malformed dst operand}}
      "dfa.inst"() <{opcode = 8 : i64, flags = 0 : i64, n = 4 : i64, p0 = 0 : i64, p1 = 0 : i64, dst = array<i64: 1>, a = array<i64: 3>, b = array<i64>, dst_imm = 0.0 : f32, a_imm = 0.0 : f32, b_imm = 0.0 : f32}> : () -> ()
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // Operand kind 4 does not exist.
      // expected-error @+1 {{'dfa.inst' op malformed a operand}}
      "dfa.inst"() <{opcode = 8 : i64, flags = 0 : i64, n = 4 : i64, p0 = 0 : i64, p1 = 0 : i64, dst = array<i64: 1, 0, 1, 0, 0>, a = array<i64: 4, 0>, b = array<i64>, dst_imm = 0.0 : f32, a_imm = 0.0 : f32, b_imm = 0.0 : f32}> : () -> ()
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    // expected-error @+1 {{'dfa.route' op malformed route: needs one source, at least one destination and whole links}}
    "dfa.route"() <{src = array<i64: 0>, dsts = array<i64: 0, 1, 0>, links = array<i64: 0, 0, 0, 1>}> : () -> ()
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 1) {
    }
    // expected-error @+1 {{'dfa.route' op malformed route: needs one source, at least one destination and whole links}}
    "dfa.route"() <{src = array<i64: 0, 0, 0>, dsts = array<i64: 0, 1, 0>, links = array<i64: 0, 0, 0>}> : () -> ()
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    // The program verifier's "has no destination" is not reachable once
    // RouteOp's verifier runs first.
    // expected-error @+1 {{'dfa.route' op malformed route: needs one source, at least one destination and whole links}}
    dfa.route pe(0, 0, out0) -> [] via []
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    // expected-error @+1 {{'dfa.dma' op unknown DMA kind 5}}
    "dfa.dma"() <{kind = 5 : i64, dram_addr = 0 : i64, gb_addr = 0 : i64, edge = array<i64: 0, 0>, dims = array<i64: 4, 1, 1>, wait_for = array<i64>}> : () -> ()
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    // expected-error @+1 {{'dfa.dma' op malformed DMA: dims must be [size, dram_stride, gb_stride] triples}}
    "dfa.dma"() <{kind = 0 : i64, dram_addr = 0 : i64, gb_addr = 0 : i64, edge = array<i64: 0, 0>, dims = array<i64: 4, 1, 1, 2>, wait_for = array<i64>}> : () -> ()
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    // expected-error @+1 {{'dfa.dma' op malformed DMA: dims must be [size, dram_stride, gb_stride] triples}}
    "dfa.dma"() <{kind = 2 : i64, dram_addr = 0 : i64, gb_addr = 0 : i64, edge = array<i64: 0>, dims = array<i64: 4, 0, 1>, wait_for = array<i64>}> : () -> ()
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.pe (1, 1) {
    }
    // expected-error @+1 {{'dfa.dma' op an edge DMA needs a west(ROW) or north(COL) port}}
    dfa.dma gb_to_edge gb 0 edge pe(1, 1, in0) dims [[4, 0, 1]]
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  // expected-error @+1 {{'dfa.input' op needs a static tensor of f32 or complex<f32>, got 'tensor<?xf32>'}}
  dfa.input @x dram 0 : tensor<?xf32>
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  // expected-error @+1 {{'dfa.output' op needs a static tensor of f32 or complex<f32>, got 'tensor<4x?xcomplex<f32>>'}}
  dfa.output @y dram 0 : tensor<4x?xcomplex<f32>>
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  // Crashes today: the program verifier casts the type to a ranked tensor.
  // expected-error @+1 {{'dfa.input' op attribute 'type' failed to satisfy constraint}}
  dfa.input @x dram 0 : tensor<*xf32>
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  // Crashes today ("LLVM ERROR: out of memory"): the program verifier reads
  // the integers as floats.
  // expected-error @+1 {{'dfa.constant' op attribute 'data' failed to satisfy constraint}}
  dfa.constant @c dram 0 dense<[1, 2]> : tensor<2xi32>
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // Crashes today, like the constant above.
      // expected-error @+1 {{'dfa.init' op attribute 'data' failed to satisfy constraint}}
      dfa.init 0 dense<[1, 2]> : tensor<2xi32>
    }
  }
}
