// RUN: butterfly-opt %s --bfly-multilayer-tiling --split-input-file --verify-diagnostics
// RUN: not butterfly-opt %s --split-input-file --bfly-multilayer-tiling=dataflow=diagonal 2>&1 | FileCheck %s --check-prefix=DATAFLOW
// RUN: not butterfly-opt %s --split-input-file --bfly-multilayer-tiling=arch=%t.missing.json 2>&1 | FileCheck %s --check-prefix=ARCH
// DATAFLOW: error: bfly-multilayer-tiling: unknown dataflow 'diagonal'; expected multilayer or layer-by-layer
// ARCH: error: bfly-multilayer-tiling: {{.*}}missing.json

// A mask that varies per row has no row-streaming form.
func.func @main(%x: tensor<4x8xf32>, %m: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c = arith.constant dense<1.0> : tensor<4x8xf32>
  // expected-error @+1 {{bfly-multilayer-tiling: cannot map 'bfly.add': its rhs varies per row (e.g. a causal or additive attention mask)}}
  %0 = bfly.add %x, %c : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Ops outside the mapping are named.
func.func @main(%x: tensor<4x8xcomplex<f32>>) -> tensor<4x8xcomplex<f32>> {
  // expected-error @+1 {{bfly-multilayer-tiling: cannot map 'bfly.fft': the row-streaming mapping does not implement it yet}}
  %0 = bfly.fft %x dim 1 : tensor<4x8xcomplex<f32>>
  return %0 : tensor<4x8xcomplex<f32>>
}

// -----

// A reshape of a transposed tensor that does not just merge the row needs a
// copy.
func.func @main(%x: tensor<4x8xf32>) -> tensor<32xf32> {
  %t = bfly.transpose %x [1, 0] : tensor<4x8xf32> -> tensor<8x4xf32>
  %r = bfly.reshape %t : tensor<8x4xf32> -> tensor<2x16xf32>
  // expected-error @+1 {{bfly-multilayer-tiling: cannot stream the input of 'bfly.relu': reshape of a transposed, sliced or replicated tensor needs a copy}}
  %0 = bfly.relu %r : tensor<2x16xf32>
  %1 = bfly.reshape %0 : tensor<2x16xf32> -> tensor<32xf32>
  return %1 : tensor<32xf32>
}

// -----

// Empty tensors have no rows to stream.
func.func @main(%x: tensor<0x16xf32>) -> tensor<0x16xf32> {
  // expected-error @+1 {{bfly-multilayer-tiling: 'bfly.relu' has nothing to stream (a dimension of size 0)}}
  %0 = bfly.relu %x : tensor<0x16xf32>
  return %0 : tensor<0x16xf32>
}

// -----

// A complex product of two streams has no row-streaming form yet.
func.func @main(%x: tensor<4x8xcomplex<f32>>, %y: tensor<4x8xcomplex<f32>>) -> tensor<4x8xcomplex<f32>> {
  // expected-error @+1 {{bfly-multilayer-tiling: cannot map 'bfly.mul': complex products of two streams are not supported (docs/compiler.md)}}
  %0 = bfly.mul %x, %y : tensor<4x8xcomplex<f32>>
  return %0 : tensor<4x8xcomplex<f32>>
}
