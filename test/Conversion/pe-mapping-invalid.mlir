// RUN: butterfly-opt %s --split-input-file --bfly-multilayer-tiling=arch=%S/../../examples/arch/tiny4x4.json \
// RUN:   --bfly-pe-mapping=arch=%S/../../examples/arch/tiny4x4.json --verify-diagnostics

// A weight larger than the local memory of a whole row of PEs (4 x 4 KiB on
// the 4x4 arch), even split by output columns, is refused.
func.func @main(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  // expected-error @+1 {{bfly-multilayer-tiling: 'bfly.linear': its weight does not fit the local memory of 4 PEs, split by output columns or by the contraction}}
  %0 = bfly.linear %x, %w : tensor<4x64xf32>, tensor<64x64xf32> -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// -----

// Rows must fill whole flits (4 lanes).
func.func @main(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{bfly-pe-mapping: 'bfly.relu': rows of 'tensor<4x6xf32>' are 6 words, not a multiple of the 4 lanes of a flit}}
  %0 = bfly.relu %x : tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// Tensors larger than the global buffer (64 KiB) are refused, naming the
// need.
// expected-error @+1 {{bfly-pe-mapping: the model's tensors and constants need 131072 bytes of global buffer, the arch has 65536}}
func.func @main(%x: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %0 = bfly.relu %x : tensor<128x128xf32>
  return %0 : tensor<128x128xf32>
}

// -----

// A result that no op computes (an input returned as is) is refused.
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c = arith.constant dense<1.0> : tensor<4x8xf32>
  // expected-error @+1 {{bfly-pe-mapping: result 0 is not computed on the array}}
  return %c : tensor<4x8xf32>
}
