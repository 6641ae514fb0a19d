// RUN: butterfly-opt %s --split-input-file --bfly-multilayer-tiling=arch=%S/../../examples/arch/tiny4x4.json \
// RUN:   --bfly-pe-mapping=arch=%S/../../examples/arch/tiny4x4.json --verify-diagnostics

// A weight of which even one tile of 4 output columns does not fit the local
// memory of a row of PEs (4 x 1024 words on the 4x4 arch), split by output
// columns or by the contraction, is refused.
func.func @main(%x: tensor<4x4096xf32>) -> tensor<4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4096x4xf32>
  // expected-error @+1 {{bfly-multilayer-tiling: 'bfly.linear': its weight does not fit the local memory of 4 PEs, split by output columns or by the contraction, even one tile of 4 output columns at a time}}
  %0 = bfly.linear %x, %w : tensor<4x4096xf32>, tensor<4096x4xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Rows must fill whole flits (4 lanes).
func.func @main(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{bfly-pe-mapping: 'bfly.relu': rows of 'tensor<4x6xf32>' are 6 words, not a multiple of the 4 lanes of a flit}}
  %0 = bfly.relu %x : tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// A row longer than a PE's local memory holds (layernorm needs the row, in
// place, gamma and beta: 3 x 512 words, the 4x4 arch has 1024) names the op,
// the need and the PE.
func.func @main(%x: tensor<4x512xf32>, %g: tensor<512xf32>, %b: tensor<512xf32>) -> tensor<4x512xf32> {
  // expected-error @+1 {{bfly-pe-mapping: 'bfly.layernorm' needs 1540 words of local memory on PE(0,0), the arch has 1024}}
  %0 = bfly.layernorm %x, %g, %b : tensor<4x512xf32>, tensor<512xf32>, tensor<512xf32>
  return %0 : tensor<4x512xf32>
}

// -----

// A result that no op computes (an input returned as is) is refused.
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c = arith.constant dense<1.0> : tensor<4x8xf32>
  // expected-error @+1 {{bfly-pe-mapping: result 0 is not computed on the array}}
  return %c : tensor<4x8xf32>
}
