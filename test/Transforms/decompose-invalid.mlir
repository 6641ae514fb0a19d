// RUN: butterfly-opt %s --bfly-decompose --split-input-file --verify-diagnostics

// Ops with dynamic shapes cannot be decomposed: an error, not a crash.
func.func @dynamic(%x: tensor<?x8xcomplex<f32>>) -> tensor<?x8xcomplex<f32>> {
  // expected-error @+1 {{cannot decompose: the op needs static shapes}}
  %0 = bfly.fft %x dim 0 : tensor<?x8xcomplex<f32>>
  return %0 : tensor<?x8xcomplex<f32>>
}

// -----

func.func @dynamic_butterfly(%x: tensor<?x8xf32>, %tw: tensor<1x1x3x4x2x2xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{cannot decompose: the op needs static shapes}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<?x8xf32>, tensor<1x1x3x4x2x2xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
