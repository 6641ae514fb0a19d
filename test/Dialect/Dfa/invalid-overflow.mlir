// RUN: butterfly-opt %s --split-input-file --verify-diagnostics

// Programs whose range checks in the dfa.program verifier
// (lib/Bitstream/Verify.cpp) form an int64 sum or product that overflows.
// Unchecked, the value would wrap (signed overflow, undefined behaviour) to
// one that passes; the checks use checked arithmetic and reject each one.

// 2^32 x 2^32 elements: unchecked, the element count would wrap to 0 before
// it is compared with 2^40.
// expected-error @+1 {{phase 0: DMA 0 (dram->gb): moves more than 2^40 elements}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @b offset 0 size 64
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4294967296, 0, 0], [4294967296, 0, 0]]
  }
}

// -----

// (3 - 1) * (-2^63 + 4) would wrap to 8, a span of [0, 9), but the second
// element is at DRAM word -2^63 + 4.
// expected-error @+1 {{phase 0: DMA 0 (dram->gb): DRAM range overflows int64 at dimension 0 (size 3, DRAM stride -9223372036854775804), outside the 64 DRAM words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @b offset 0 size 64
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[3, -9223372036854775804, 0]]
  }
}

// -----

// The same in the global buffer.
// expected-error @+1 {{phase 0: DMA 0 (gb->dram): global-buffer range overflows int64 at dimension 0 (size 3, GB stride -9223372036854775804), so it is not inside one GB buffer}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @b offset 0 size 64
  dfa.phase @m {
    dfa.dma gb_to_dram dram 0 gb 0 dims [[3, 0, -9223372036854775804]]
  }
}

// -----

// addr + words would wrap to a negative number, which is not > dram_words.
// expected-error @+1 {{constant 'c' occupies DRAM [9223372036854775807, 9223372036854775809), outside the program's 64 DRAM words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.constant @c dram 9223372036854775807 dense<[1.0, 2.0]> : tensor<2xf32>
}

// -----

// The same for an input.
// expected-error @+1 {{input 'x' occupies DRAM [9223372036854775807, 9223372036854775809), outside the program's 64 DRAM words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.input @x dram 9223372036854775807 : tensor<2xf32>
}

// -----

// 2^62 x 4 words: TensorSig::words() would wrap to 0 (--dfa-to-bitstream then
// failed with "cannot write the signature section").
// expected-error @+1 {{input 'x' has more than 2^63-1 words (the product of its dimensions overflows int64)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.input @x dram 0 : tensor<4611686018427387904x4xf32>
}

// -----

// offset + size would wrap.
// expected-error @+1 {{GB buffer 'big' [9223372036854775807, 9223372036854775809) exceeds the global buffer of 524288 words}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @big offset 9223372036854775807 size 2
}

// -----

// addr + size would wrap.
// expected-error @+1 {{phase 0: PE(0,0): local-memory image [9223372036854775807, 9223372036854775809) is outside local memory (4096 words)}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.init 9223372036854775807 dense<[1.0, 2.0]> : tensor<2xf32>
    }
  }
}
