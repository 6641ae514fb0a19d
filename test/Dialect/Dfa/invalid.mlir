// RUN: butterfly-opt %s --split-input-file --verify-diagnostics

// One case per error of the dfa dialect: the custom-syntax parsers and the
// local verifiers (DfaOps.cpp), the #dfa.arch validator, and every error of
// the program verifier (lib/Bitstream/Verify.cpp) that IR can reach. The
// program verifier reports all the problems of a program in one diagnostic,
// one per line, so each case has exactly one problem.
//
// Not here: the local verifiers of dfa.inst, dfa.route and dfa.dma and the
// dynamic-shape check of dfa.input / dfa.output, which the dfa.program
// verifier currently runs before (invalid-nested.mlir, XFAIL; with them the
// program verifier's "unknown opcode", "operand has an invalid kind", DMA
// "invalid kind", "has no destination" and "has a negative dimension" are
// only reachable through malformed ops), range checks that overflow
// (invalid-overflow.mlir), and the program verifier errors that IR cannot
// reach: duplicate names (buffers, constants, I/O and phases are symbols of
// one table, whose verifier reports "redefinition of symbol" first; see
// test/Target/bad-bitstreams.test), an unusable arch or one that differs
// from the program's (the dfa.program verifier passes the program's own
// arch, validated by parseArch), a route through an edge port (only the
// edge's one neighbour links to it, so the tree check fires first), and
// immediates, strides or increments on operands of another kind (the dfa
// operand encoding has no such fields).

//===----------------------------------------------------------------------===//
// Custom-syntax parse errors
//===----------------------------------------------------------------------===//

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // expected-error @+1 {{unknown instruction 'vdiv'}}
      dfa.inst vdiv(n = 4, dst = lm[0], a = lm[0], b = lm[0])
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // expected-error @+1 {{unknown instruction field 'm'; expected n, p0, p1, flags, dst, a or b}}
      dfa.inst gemm(n = 4, m = 2, dst = lm[0], a = lm[0], b = lm[0])
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // expected-error @+1 {{expected an operand: lm[...], imm VALUE, or out[PORTS]}}
      dfa.inst mov(n = 4, dst = in0, a = lm[0])
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // expected-error @+1 {{expected an operand: lm[...], imm VALUE, or inN}}
      dfa.inst mov(n = 4, dst = lm[0], a = out[0])
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // expected-error @+1 {{expected lm[base], lm[base, stride] or lm[base, stride, inc0, inc1]}}
      dfa.inst mov(n = 4, dst = lm[0, 1, 2], a = in0)
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      // expected-error @+1 {{out-port 4 out of range [0, 4)}}
      dfa.inst mov(n = 4, dst = out[0, 4], a = lm[0])
    }
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    // expected-error @+1 {{expected pe(ROW, COL, PORT), west(ROW) or north(COL)}}
    dfa.route east(0) -> [pe(0, 3, in0)] via [(0, 4) -> (0, 3)]
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    // expected-error @+1 {{expected a port outN of the source}}
    dfa.route pe(0, 0, in0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    // expected-error @+1 {{expected a port inN of the destination}}
    dfa.route pe(0, 0, out0) -> [pe(0, 1, out0)] via [(0, 0) -> (0, 1)]
  }
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    // expected-error @+1 {{unknown DMA kind 'dram_to_edge'; expected dram_to_gb, gb_to_dram, gb_to_edge or edge_to_gb}}
    dfa.dma dram_to_edge dram 0 gb 0 dims [[4, 1, 1]]
  }
}

// -----

//===----------------------------------------------------------------------===//
// Local verifiers of dfa.constant, dfa.input and dfa.output
//===----------------------------------------------------------------------===//

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  // expected-error @+1 {{expected dram or gb, got 'hbm'}}
  dfa.constant @w hbm 0 dense<[1.0, 2.0]> : tensor<2xf32>
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  // expected-error @+1 {{'dfa.constant' op data must be a 1-D tensor of f32}}
  dfa.constant @w dram 0 dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  // expected-error @+1 {{'dfa.input' op needs a static tensor of f32 or complex<f32>, got 'tensor<4xi32>'}}
  dfa.input @x dram 0 : tensor<4xi32>
}

// -----

dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  // expected-error @+1 {{'dfa.output' op needs a static tensor of f32 or complex<f32>, got 'tensor<4xcomplex<f64>>'}}
  dfa.output @y dram 0 : tensor<4xcomplex<f64>>
}

// -----

//===----------------------------------------------------------------------===//
// #dfa.arch values (reported by the arch validator, docs/arch.md)
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'dfa.program' op invalid arch: #dfa.arch: 'rows' must be an integer in [1, 256], got 0}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 0 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
}

// -----

// expected-error @+1 {{invalid arch: #dfa.arch: unknown key 'rwos' (did you mean 'rows'?)}}
dfa.program @p attributes {arch = #dfa.arch<{rwos = 4 : i64}>, dram_words = 0 : i64} {
}

// -----

// expected-error @+1 {{invalid arch: #dfa.arch: unknown key 'energy_pj.fp_ops' (did you mean 'energy_pj.fp_op'?)}}
dfa.program @p attributes {arch = #dfa.arch<{energy_pj = {fp_ops = 1.0 : f64}}>, dram_words = 0 : i64} {
}

// -----

// expected-error @+1 {{invalid arch: #dfa.arch: 'latency.exp' must be an integer in [1, 1024], got 0}}
dfa.program @p attributes {arch = #dfa.arch<{latency = {exp = 0 : i64}}>, dram_words = 0 : i64} {
}

// -----

// expected-error @+1 {{invalid arch: #dfa.arch: 'lanes' must be a power of two in [1, 64], got 3}}
dfa.program @p attributes {arch = #dfa.arch<{lanes = 3 : i64}>, dram_words = 0 : i64} {
}

// -----

// expected-error @+1 {{invalid arch: #dfa.arch: 'noc_express' must be a boolean, got 1}}
dfa.program @p attributes {arch = #dfa.arch<{noc_express = 1 : i64}>, dram_words = 0 : i64} {
}

// -----

// expected-error @+1 {{invalid arch: #dfa.arch: 'clock_ghz' must be a number > 0 and <= 10, got 0}}
dfa.program @p attributes {arch = #dfa.arch<{clock_ghz = 0.0 : f64}>, dram_words = 0 : i64} {
}

// -----

// expected-error @+1 {{invalid arch: #dfa.arch: 'name' must be a non-empty string, got null}}
dfa.program @p attributes {arch = #dfa.arch<{name = [1, 2]}>, dram_words = 0 : i64} {
}

// -----

// Only dfa ops belong in a program.
dfa.program @p attributes {arch = #dfa.arch<{}>, dram_words = 0 : i64} {
  // expected-error @+1 {{'func.func' op is not part of a dfa.program}}
  func.func @f() {
    return
  }
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: buffers, constants and I/O (lib/Bitstream/Verify.cpp)
//===----------------------------------------------------------------------===//

// expected-error @+1 {{does not fit the array: buffer 0 has an empty name}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.buffer @"" offset 0 size 16
}

// -----

// expected-error @+1 {{does not fit the array: phase 1 has an empty name}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
  }
  dfa.phase @"" {
  }
}

// -----

// expected-error @+1 {{does not fit the array: GB buffer 'big' [200, 300) exceeds the global buffer of 256 words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64, gb_kib = 1 : i64}>, dram_words = 0 : i64} {
  dfa.buffer @big offset 200 size 100
}

// -----

// expected-error @+1 {{GB buffers 'a' and 'b' overlap}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.buffer @a offset 0 size 16
  dfa.buffer @b offset 8 size 16
}

// -----

// expected-error @+1 {{dramWords is negative (-1)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = -1 : i64} {
}

// -----

// expected-error @+1 {{constant 'w' occupies DRAM [60, 68), outside the program's 64 DRAM words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.constant @w dram 60 dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>
}

// -----

// expected-error @+1 {{constant 'bias' occupies GB [10, 14), which is not inside one GB buffer}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.buffer @b offset 0 size 12
  dfa.constant @bias gb 10 dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
}

// -----

// expected-error @+1 {{input 'x' occupies DRAM [60, 68), outside the program's 64 DRAM words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.input @x dram 60 : tensor<4xcomplex<f32>>
}

// -----

// expected-error @+1 {{output 'y' occupies DRAM [-4, 0), outside the program's 64 DRAM words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.output @y dram -4 : tensor<2x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: PE placement, instruction memory, local memory
//===----------------------------------------------------------------------===//

// expected-error @+1 {{does not fit the array: phase 0: PE(4,0) is outside the 4x4 array}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (4, 0) {
      dfa.inst halt
    }
  }
}

// -----

// expected-error @+1 {{phase 0: west edge 0 is outside the 4x4 array}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, -1) {
      dfa.inst halt
    }
  }
}

// -----

// expected-error @+1 {{phase 1: PE(1,1) has two programs}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (1, 1) {
      dfa.inst halt
    }
  }
  dfa.phase @n {
    dfa.pe (1, 1) {
      dfa.inst halt
    }
    dfa.pe (1, 1) {
      dfa.inst nop
    }
  }
}

// -----

// expected-error @+1 {{phase 0: PE(1,2): 3 instructions exceed the 2 instruction slots}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64, imem = 2 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (1, 2) {
      dfa.inst nop
      dfa.inst nop
      dfa.inst halt
    }
  }
}

// -----

// expected-error @+1 {{phase 0: PE(3,1): local-memory image [250, 258) is outside local memory (256 words)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64, local_mem_kib = 1 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (3, 1) {
      dfa.init 250 dense<1.0> : tensor<8xf32>
      dfa.inst halt
    }
  }
}

// -----

// expected-error @+1 {{phase 0: PE(0,0): local-memory image [-1, 1) is outside local memory (4096 words)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.init -1 dense<1.0> : tensor<2xf32>
    }
  }
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: loop structure
//===----------------------------------------------------------------------===//

// expected-error @+1 {{phase 0: PE(2,3): instruction 0 `loop count=2 len=3`: loop body [1, 4) runs past the end of the program (2 instructions)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (2, 3) {
      dfa.inst loop(p0 = 2, p1 = 3)
      dfa.inst nop
    }
  }
}

// -----

// expected-error @+1 {{phase 0: PE(0,0): instruction 1 `loop count=2 len=3`: loop body [2, 5) is not nested inside the enclosing loop body, which ends at 3}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 2, p1 = 2)
      dfa.inst loop(p0 = 2, p1 = 3)
      dfa.inst nop
      dfa.inst nop
      dfa.inst nop
    }
  }
}

// -----

// expected-error @+1 {{phase 0: PE(0,0): instruction 4 `loop count=2 len=1`: loops nest deeper than the 4 hardware loop levels}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 2, p1 = 5)
      dfa.inst loop(p0 = 2, p1 = 4)
      dfa.inst loop(p0 = 2, p1 = 3)
      dfa.inst loop(p0 = 2, p1 = 2)
      dfa.inst loop(p0 = 2, p1 = 1)
      dfa.inst nop
    }
  }
}

// -----

// expected-error @+1 {{PE(0,0): instruction 0 `loop count=0 len=1`: loop count must be at least 1}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst loop(p1 = 1)
      dfa.inst nop
    }
  }
}

// -----

// expected-error @+1 {{PE(0,0): instruction 0 `loop count=2 len=0`: loop body must hold at least one instruction}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 2)
      dfa.inst nop
    }
  }
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: instruction fields
//===----------------------------------------------------------------------===//

// expected-error @+1 {{PE(0,0): instruction 0 `loop count=70000 len=1`: p0=70000 does not fit 16 bits}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 70000, p1 = 1)
      dfa.inst nop
    }
  }
}

// -----

// expected-error @+1 {{PE(0,0): instruction 0 `mov out0, #1 n=65536`: n=65536 does not fit 16 bits}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 65536, dst = out[0], a = imm 1.0)
    }
    dfa.pe (0, 1) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
  }
}

// -----

// expected-error @+1 {{PE(0,0): instruction 0 `nop flags=0 n=1 p0=0 p1=0`: nop takes no operands, flags or n}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst nop(n = 1)
    }
  }
}

// -----

// expected-error @+1 {{PE(0,0): instruction 0 `halt flags=0 n=0 p0=1 p1=0`: halt takes no parameters}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst halt(p0 = 1)
    }
  }
}

// -----

// expected-error @+1 {{PE(0,0): instruction 0 `vadd lm[0], lm[0], lm[0] n=0`: n must be at least 1}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst vadd(dst = lm[0], a = lm[0], b = lm[0])
    }
  }
}

// -----

// expected-error @+1 {{`vadd lm[0], lm[0], lm[0] n=4 flags=2`: flags 2 are not valid for vadd}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 4, flags = 2, dst = lm[0], a = lm[0], b = lm[0])
    }
  }
}

// -----

// expected-error @+1 {{`vadd lm[0], lm[0], lm[0] n=4 p0=1 p1=0`: vadd takes no parameters}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 4, p0 = 1, dst = lm[0], a = lm[0], b = lm[0])
    }
  }
}

// -----

// expected-error @+1 {{`bfly lm[0], lm[16], lm[32] n=6 stride=2`: n=6 must be a multiple of 2*stride (stride=2)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 6, p0 = 2, dst = lm[0], a = lm[16], b = lm[32])
    }
  }
}

// -----

// expected-error @+1 {{`bfly lm[0], lm[16], lm[32] n=8 stride=2`: bfly takes no p1}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 2, p1 = 1, dst = lm[0], a = lm[16], b = lm[32])
    }
  }
}

// -----

// expected-error @+1 {{`bitrev lm[0], lm[16] n=6`: bitrev needs a power-of-two n, got 6}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst bitrev(n = 6, dst = lm[0], a = lm[16])
    }
  }
}

// -----

// expected-error @+1 {{`bitrev lm[0], lm[16] n=8 p0=0 p1=1`: bitrev takes no parameters}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst bitrev(n = 8, p1 = 1, dst = lm[0], a = lm[16])
    }
  }
}

// -----

// expected-error @+1 {{`gemm lm[0], lm[16], lm[32] m=0 n=4 k=2`: gemm needs m >= 1 and k >= 1}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst gemm(n = 4, p1 = 2, dst = lm[0], a = lm[16], b = lm[32])
    }
  }
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: operand kinds and ports
//===----------------------------------------------------------------------===//

// expected-error @+1 {{`vadd #1, lm[0], lm[0] n=4`: operand dst of vadd cannot be an immediate}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 4, dst = imm 1.0, a = lm[0], b = lm[0])
    }
  }
}

// -----

// expected-error @+1 {{`mov lm[0], _ n=4`: operand a of mov cannot be none}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 4, dst = lm[0])
    }
  }
}

// -----

// expected-error @+1 {{`vfma out0, lm[0], lm[0] n=4`: operand dst of vfma cannot be a port}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst vfma(n = 4, dst = out[0], a = lm[0], b = lm[0])
    }
    dfa.pe (0, 1) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
  }
}

// -----

// expected-error @+1 {{`vexp lm[0], lm[0], lm[8] n=4`: operand b of vexp cannot be local memory}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst vexp(n = 4, dst = lm[0], a = lm[0], b = lm[8])
    }
  }
}

// -----

// expected-error @+1 {{`mov out{}, lm[0] n=4`: operand dst out-port mask 0 must name one to four of out0..out3}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 4, dst = out[], a = lm[0])
    }
  }
}

// -----

// expected-error @+1 {{`mov lm[0], in7 n=4`: operand a reads in7, but a PE has in-ports in0..in3}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 4, dst = lm[0], a = in7)
    }
  }
}

// -----

// expected-error @+1 {{`vadd lm[0], in1, in1 n=4`: operands a and b both read in1}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 4, dst = lm[0], a = in1, b = in1)
    }
    dfa.route west(0) -> [pe(0, 0, in1)] via [(0, -1) -> (0, 0)]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[4, 0, 1]]
  }
}

// -----

// expected-error @+1 {{`gemm lm[0], in0, lm[16] m=2 n=4 k=3`: a streamed a operand needs m*k (6) to be a multiple of lanes (4) or at most one flit}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst gemm(n = 4, p0 = 2, p1 = 3, dst = lm[0], a = in0, b = lm[16])
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[6, 0, 1]]
  }
}

// -----

// expected-error @+1 {{`gemm lm[0], lm[16], in0 m=2 n=4 k=1`: a streamed b operand needs m=1 and n a multiple of lanes (4)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst gemm(n = 4, p0 = 2, p1 = 1, dst = lm[0], a = lm[16], b = in0)
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[4, 0, 1]]
  }
}

// -----

// expected-error @+1 {{phase 0: PE(0,0): instruction 0 `mov lm[0], in2 n=4` reads in2, but no route delivers to PE(0,0) in2}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 4, dst = lm[0], a = in2)
    }
  }
}

// -----

// expected-error @+1 {{phase 0: PE(2,2): instruction 0 `mov out1|out3, lm[0] n=4` writes out3, but no route starts at PE(2,2) out3}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (2, 2) {
      dfa.inst mov(n = 4, dst = out[1, 3], a = lm[0])
    }
    dfa.pe (2, 3) {
    }
    dfa.route pe(2, 2, out1) -> [pe(2, 3, in0)] via [(2, 2) -> (2, 3)]
  }
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: local-memory operands
//===----------------------------------------------------------------------===//

// expected-error @+1 {{`mov lm[1048576], #1 n=1`: operand dst base 1048576 does not fit 20 bits}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 1, dst = lm[1048576], a = imm 1.0)
    }
  }
}

// -----

// expected-error @+1 {{`mov lm[0:2048], #1 n=1`: operand dst stride 2048 does not fit a signed 12-bit field}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 1, dst = lm[0, 2048], a = imm 1.0)
    }
  }
}

// -----

// expected-error @+1 {{`mov lm[0:1:8192:0], #1 n=1`: operand dst loop increments do not fit signed 14-bit fields}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 1, p1 = 1)
      dfa.inst mov(n = 1, dst = lm[0, 1, 8192, 0], a = imm 1.0)
    }
  }
}

// -----

// expected-error @+1 {{`bfly lm[0:2], lm[16], lm[32] n=4 stride=1`: operand dst of bfly must be contiguous (stride 1)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 4, p0 = 1, dst = lm[0, 2], a = lm[16], b = lm[32])
    }
  }
}

// -----

// expected-error @+1 {{`mov lm[0:1:1:0], #1 n=1`: operand dst has inc0 but no enclosing loop}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 1, dst = lm[0, 1, 1, 0], a = imm 1.0)
    }
  }
}

// -----

// expected-error @+1 {{`mov lm[0], lm[8:1:0:1] n=1`: operand a has inc1 but no second enclosing loop}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 2, p1 = 1)
      dfa.inst mov(n = 1, dst = lm[0], a = lm[8, 1, 0, 1])
    }
  }
}

// -----

// expected-error @+1 {{`mov lm[4092], #1 n=8`: operand dst covers local memory [4092, 4100), outside [0, 4096)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 8, dst = lm[4092], a = imm 1.0)
    }
  }
}

// -----

// expected-error @+1 {{`mov lm[0], lm[4080:1:8:0] n=4`: operand a covers local memory [4080, 4108) over its loop iterations, outside [0, 4096)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 4, p1 = 1)
      dfa.inst mov(n = 4, dst = lm[0], a = lm[4080, 1, 8, 0])
    }
  }
}

// -----

// expected-error @+1 {{`vadd lm[2:-1], lm[0], lm[0] n=4`: operand dst covers local memory [-1, 3), outside [0, 4096)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 4, dst = lm[2, -1], a = lm[0], b = lm[0])
    }
  }
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: routes and links
//===----------------------------------------------------------------------===//

// expected-error @+1 {{phase 0: route 0: source (5,5) is neither a PE nor an edge port}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.route pe(5, 5, out0) -> [pe(0, 0, in0)] via [(5, 5) -> (0, 0)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: destination (0,7) is neither a PE nor an edge port}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 7, in0)] via [(0, 0) -> (0, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: source PE(0,0) out4 is not a port (a PE has 4)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 1) {
    }
    dfa.route pe(0, 0, out4) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: destination PE(0,1) in5 is not a port (a PE has 4)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 1) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in5)] via [(0, 0) -> (0, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: destination west edge 0 port 2 is not a port (an edge port is port 0)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, -1, in2)] via [(0, 0) -> (0, -1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: link (0,0)->(0,2) is not a link of the mesh (express links are disabled)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 2) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 2, in0)] via [(0, 0) -> (0, 2)]
  }
}

// -----

// expected-error-re @+1 {{phase 0: route 0: link (0,0)->(0,3) is not a link of the mesh{{$}}}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64, noc_express = true}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 3) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 3, in0)] via [(0, 0) -> (0, 3)]
  }
}

// -----

// expected-error-re @+1 {{phase 0: route 0: link (0,0)->(1,1) is not a link of the mesh{{$}}}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64, noc_express = true}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (1, 1) {
    }
    dfa.route pe(0, 0, out0) -> [pe(1, 1, in0)] via [(0, 0) -> (1, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: route is not contiguous: link (0,1)->(0,2) starts at (0,1), which no earlier link reaches from (0,0)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 2) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 2, in0)] via [(0, 1) -> (0, 2), (0, 0) -> (0, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: link (1,0)->(1,1) enters (1,1), which the route already reaches (a route is a tree)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (1, 1) {
    }
    dfa.route pe(0, 0, out0) -> [pe(1, 1, in0)] via [(0, 0) -> (0, 1), (0, 1) -> (1, 1), (0, 0) -> (1, 0), (1, 0) -> (1, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: destination PE(1,1) in0 is not reached by the route's links}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 1) {
    }
    dfa.pe (1, 1) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0), pe(1, 1, in0)] via [(0, 0) -> (0, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: link (0,1)->(0,2) leads to no destination}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 1) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1), (0, 1) -> (0, 2)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 1: PE(0,0) out0 is already the source of route 0}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 1) {
    }
    dfa.pe (1, 0) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
    dfa.route pe(0, 0, out0) -> [pe(1, 0, in0)] via [(0, 0) -> (1, 0)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 1: PE(1,1) in2 is already the destination of route 0}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 1) {
    }
    dfa.pe (1, 0) {
    }
    dfa.pe (1, 1) {
    }
    dfa.route pe(0, 1, out0) -> [pe(1, 1, in2)] via [(0, 1) -> (1, 1)]
    dfa.route pe(1, 0, out0) -> [pe(1, 1, in2)] via [(1, 0) -> (1, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0: delivers to PE(0,1), which has no program in this phase}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
  }
}

// -----

// expected-error @+1 {{phase 0: link (0,0)->(0,1) carries two streams (routes 0 and 1); a link direction carries one stream per phase}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.pe (0, 1) {
    }
    dfa.pe (0, 2) {
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
    dfa.route pe(0, 0, out1) -> [pe(0, 2, in0)] via [(0, 0) -> (0, 1), (0, 1) -> (0, 2)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0 starts at west edge 0, but no gb->edge DMA feeds it}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
  }
}

// -----

// expected-error @+1 {{phase 0: route 0 ends at north edge 1, but no edge->gb DMA drains it}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (0, 1) {
    }
    dfa.route pe(0, 1, out0) -> [north(1)] via [(0, 1) -> (-1, 1)]
  }
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: DMAs
//===----------------------------------------------------------------------===//

// expected-error @+1 {{phase 0: DMA 0 (dram->gb): needs 1 to 8 dimensions, has 0}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims []
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (gb->dram): needs 1 to 8 dimensions, has 9}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma gb_to_dram dram 0 gb 0 dims [[1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (dram->gb): dimension size 0 is not in [1, 2^32]}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4, 1, 1], [0, 1, 1]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (dram->gb): dimension size 4294967297 is not in [1, 2^32]}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4294967297, 0, 0]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (dram->gb): moves more than 2^40 elements}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[1048576, 0, 0], [1048577, 0, 0]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (dram->gb): waits for DMA 0, which is not an earlier DMA of the phase}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4, 1, 1]] after [0]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 1 (gb->dram): waits for DMA 0 twice}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4, 1, 1]]
    dfa.dma gb_to_dram dram 4 gb 0 dims [[4, 1, 1]] after [0, 0]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 1 (gb->dram): waits for DMA -1, which is not an earlier DMA of the phase}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4, 1, 1]]
    dfa.dma gb_to_dram dram 4 gb 0 dims [[4, 1, 1]] after [-1]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (dram->gb): global-buffer range [8, 20) is not inside one GB buffer}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 8 dims [[2, 8, 8], [4, 1, 1]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (gb->dram): DRAM range [8, 21) is outside the 16 DRAM words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma gb_to_dram dram 8 gb 0 dims [[4, 4, 1]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (dram->gb): DRAM range [0, 4) is outside the 2 DRAM words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 2 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma dram_to_gb dram 3 gb 0 dims [[4, -1, 1]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (dram->gb): a DRAM transfer has no edge port (edge must be (0,0))}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    "dfa.dma"() <{kind = 0 : i64, dram_addr = 0 : i64, gb_addr = 0 : i64, edge = array<i64: 1, 1>, dims = array<i64: 4, 1, 1>, wait_for = array<i64>}> : () -> ()
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (gb->edge): an edge stream has no DRAM address or strides}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.pe (0, 0) {
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[4, 1, 1]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (gb->edge): (7,-1) is not an edge port ((row,-1) west or (-1,col) north)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma gb_to_edge gb 0 edge west(7) dims [[4, 0, 1]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (gb->edge): no route starts at west edge 0}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[4, 0, 1]]
  }
}

// -----

// expected-error @+1 {{phase 0: DMA 0 (edge->gb): no route ends at north edge 1}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 16 : i64} {
  dfa.buffer @b offset 0 size 16
  dfa.phase @m {
    dfa.dma edge_to_gb gb 0 edge north(1) dims [[4, 0, 1]]
  }
}

// -----

//===----------------------------------------------------------------------===//
// Program verifier: at most 64 problems are listed
//===----------------------------------------------------------------------===//

// The 64th problem is listed, then a count of the others.
// expected-error-re @+1 {{phase 0: PE(4,63) is outside the 4x4 array{{.}}... and 2 more problems{{$}}}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
  dfa.phase @m {
    dfa.pe (4, 0) {
    }
    dfa.pe (4, 1) {
    }
    dfa.pe (4, 2) {
    }
    dfa.pe (4, 3) {
    }
    dfa.pe (4, 4) {
    }
    dfa.pe (4, 5) {
    }
    dfa.pe (4, 6) {
    }
    dfa.pe (4, 7) {
    }
    dfa.pe (4, 8) {
    }
    dfa.pe (4, 9) {
    }
    dfa.pe (4, 10) {
    }
    dfa.pe (4, 11) {
    }
    dfa.pe (4, 12) {
    }
    dfa.pe (4, 13) {
    }
    dfa.pe (4, 14) {
    }
    dfa.pe (4, 15) {
    }
    dfa.pe (4, 16) {
    }
    dfa.pe (4, 17) {
    }
    dfa.pe (4, 18) {
    }
    dfa.pe (4, 19) {
    }
    dfa.pe (4, 20) {
    }
    dfa.pe (4, 21) {
    }
    dfa.pe (4, 22) {
    }
    dfa.pe (4, 23) {
    }
    dfa.pe (4, 24) {
    }
    dfa.pe (4, 25) {
    }
    dfa.pe (4, 26) {
    }
    dfa.pe (4, 27) {
    }
    dfa.pe (4, 28) {
    }
    dfa.pe (4, 29) {
    }
    dfa.pe (4, 30) {
    }
    dfa.pe (4, 31) {
    }
    dfa.pe (4, 32) {
    }
    dfa.pe (4, 33) {
    }
    dfa.pe (4, 34) {
    }
    dfa.pe (4, 35) {
    }
    dfa.pe (4, 36) {
    }
    dfa.pe (4, 37) {
    }
    dfa.pe (4, 38) {
    }
    dfa.pe (4, 39) {
    }
    dfa.pe (4, 40) {
    }
    dfa.pe (4, 41) {
    }
    dfa.pe (4, 42) {
    }
    dfa.pe (4, 43) {
    }
    dfa.pe (4, 44) {
    }
    dfa.pe (4, 45) {
    }
    dfa.pe (4, 46) {
    }
    dfa.pe (4, 47) {
    }
    dfa.pe (4, 48) {
    }
    dfa.pe (4, 49) {
    }
    dfa.pe (4, 50) {
    }
    dfa.pe (4, 51) {
    }
    dfa.pe (4, 52) {
    }
    dfa.pe (4, 53) {
    }
    dfa.pe (4, 54) {
    }
    dfa.pe (4, 55) {
    }
    dfa.pe (4, 56) {
    }
    dfa.pe (4, 57) {
    }
    dfa.pe (4, 58) {
    }
    dfa.pe (4, 59) {
    }
    dfa.pe (4, 60) {
    }
    dfa.pe (4, 61) {
    }
    dfa.pe (4, 62) {
    }
    dfa.pe (4, 63) {
    }
    dfa.pe (4, 64) {
    }
    dfa.pe (4, 65) {
    }
  }
}
