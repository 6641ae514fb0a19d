// RUN: butterfly-opt %s --split-input-file --verify-diagnostics
// XFAIL: *

// Programs that the dfa.program verifier (lib/Bitstream/Verify.cpp) accepts
// today because an int64 sum or product in a range check overflows (signed
// overflow, undefined behaviour) and wraps to a value that passes. Each case
// expects the error the check is meant to give. Remove the XFAIL line once
// the checks are overflow-safe.

// 2^32 x 2^32 elements: the element count wraps to 0 before it is compared with
// 2^40.
// expected-error @+1 {{phase 0: DMA 0 (dram->gb): moves more than 2^40 elements}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @b offset 0 size 64
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4294967296, 0, 0], [4294967296, 0, 0]]
  }
}

// -----

// (3 - 1) * (-2^63 + 4) wraps to 8: the span is computed as [0, 9) but the
// second element is at DRAM word -2^63 + 4.
// expected-error @+1 {{phase 0: DMA 0 (dram->gb): DRAM range}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @b offset 0 size 64
  dfa.phase @m {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[3, -9223372036854775804, 0]]
  }
}

// -----

// The same in the global buffer.
// expected-error @+1 {{phase 0: DMA 0 (gb->dram): global-buffer range}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @b offset 0 size 64
  dfa.phase @m {
    dfa.dma gb_to_dram dram 0 gb 0 dims [[3, 0, -9223372036854775804]]
  }
}

// -----

// addr + words wraps to a negative number, which is not > dram_words.
// expected-error @+1 {{constant 'c' occupies DRAM}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.constant @c dram 9223372036854775807 dense<[1.0, 2.0]> : tensor<2xf32>
}

// -----

// The same for an input.
// expected-error @+1 {{input 'x' occupies DRAM}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.input @x dram 9223372036854775807 : tensor<2xf32>
}

// -----

// TensorSig::words() wraps to 0 (2^62 x 4 words); --dfa-to-bitstream then fails
// with "cannot write the signature section".
// expected-error @+1 {{input 'x'}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.input @x dram 0 : tensor<4611686018427387904x4xf32>
}

// -----

// offset + size wraps.
// expected-error @+1 {{GB buffer 'big'}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @big offset 9223372036854775807 size 2
}

// -----

// addr + size wraps.
// expected-error @+1 {{phase 0: PE(0,0): local-memory image}}
dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 64 : i64} {
  dfa.phase @m {
    dfa.pe (0, 0) {
      dfa.init 9223372036854775807 dense<[1.0, 2.0]> : tensor<2xf32>
    }
  }
}
