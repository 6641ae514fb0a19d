// RUN: butterfly-opt %s --bfly-multilayer-tiling=arch=%S/Inputs/tiny4x4-imem16.json \
// RUN:   --bfly-pe-mapping=arch=%S/Inputs/tiny4x4-imem16.json --verify-diagnostics

// A PE program longer than the instruction memory (16 slots here; the
// two-pass softmax over rows longer than local memory needs 23) names the
// op, the need and the PE.
func.func @main(%x: tensor<1x2x2048xf32>) -> tensor<1x2x2048xf32> {
  // expected-error @+1 {{bfly-pe-mapping: 'bfly.softmax' needs 23 instructions on PE(0,0), the arch has 16 instruction slots}}
  %y = bfly.softmax %x axis 2 : tensor<1x2x2048xf32>
  return %y : tensor<1x2x2048xf32>
}
