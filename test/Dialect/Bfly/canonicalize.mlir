// RUN: butterfly-opt %s --canonicalize --split-input-file | FileCheck %s

// Folders and canonicalization patterns of the bfly ops (BflyOps.cpp).

// bit_reverse is an involution along one dimension.

// CHECK-LABEL: func.func @bit_reverse_twice
// CHECK-SAME: (%[[X:.*]]: tensor<4x256xcomplex<f32>>)
// CHECK-NOT: bfly.bit_reverse
// CHECK: return %[[X]] : tensor<4x256xcomplex<f32>>
func.func @bit_reverse_twice(%x: tensor<4x256xcomplex<f32>>) -> tensor<4x256xcomplex<f32>> {
  %0 = bfly.bit_reverse %x dim 1 : tensor<4x256xcomplex<f32>>
  %1 = bfly.bit_reverse %0 dim 1 : tensor<4x256xcomplex<f32>>
  return %1 : tensor<4x256xcomplex<f32>>
}

// -----

// Three reversals along the same dimension leave one.

// CHECK-LABEL: func.func @bit_reverse_thrice
// CHECK-SAME: (%[[X:.*]]: tensor<8x16xf32>)
// CHECK-NEXT: %[[R:.*]] = bfly.bit_reverse %[[X]] dim 0 : tensor<8x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<8x16xf32>
func.func @bit_reverse_thrice(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = bfly.bit_reverse %x dim 0 : tensor<8x16xf32>
  %1 = bfly.bit_reverse %0 dim 0 : tensor<8x16xf32>
  %2 = bfly.bit_reverse %1 dim 0 : tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}

// -----

// Reversals along different dimensions do not cancel.

// CHECK-LABEL: func.func @bit_reverse_different_dims
// CHECK-SAME: (%[[X:.*]]: tensor<8x16xf32>)
// CHECK-NEXT: %[[A:.*]] = bfly.bit_reverse %[[X]] dim 0 : tensor<8x16xf32>
// CHECK-NEXT: %[[B:.*]] = bfly.bit_reverse %[[A]] dim 1 : tensor<8x16xf32>
// CHECK-NEXT: return %[[B]] : tensor<8x16xf32>
func.func @bit_reverse_different_dims(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = bfly.bit_reverse %x dim 0 : tensor<8x16xf32>
  %1 = bfly.bit_reverse %0 dim 1 : tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}

// -----

// An identity transpose folds away.

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: bfly.transpose
// CHECK: return %[[X]] : tensor<2x3x4xf32>
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = bfly.transpose %x [0, 1, 2] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// A non-identity transpose whose result type equals its input type stays.

// CHECK-LABEL: func.func @transpose_square
// CHECK-SAME: (%[[X:.*]]: tensor<4x4xf32>)
// CHECK-NEXT: %[[T:.*]] = bfly.transpose %[[X]] [1, 0] : tensor<4x4xf32> -> tensor<4x4xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_square(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = bfly.transpose %x [1, 0] : tensor<4x4xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// transpose(transpose(x, [1, 2, 0]), [1, 2, 0]) = transpose(x, [2, 0, 1]):
// result dimension i is inner[outer[i]].

// CHECK-LABEL: func.func @transpose_compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.*]] = bfly.transpose %[[X]] [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK-NEXT: return %[[T]] : tensor<4x2x3xf32>
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = bfly.transpose %x [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = bfly.transpose %0 [1, 2, 0] : tensor<3x4x2xf32> -> tensor<4x2x3xf32>
  return %1 : tensor<4x2x3xf32>
}

// -----

// A non-commuting pair checks the order of composition:
// inner [1, 0, 2], outer [0, 2, 1] compose to [1, 2, 0] (not [2, 0, 1]).

// CHECK-LABEL: func.func @transpose_compose_order
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.*]] = bfly.transpose %[[X]] [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
// CHECK-NEXT: return %[[T]] : tensor<3x4x2xf32>
func.func @transpose_compose_order(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %0 = bfly.transpose %x [1, 0, 2] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  %1 = bfly.transpose %0 [0, 2, 1] : tensor<3x2x4xf32> -> tensor<3x4x2xf32>
  return %1 : tensor<3x4x2xf32>
}

// -----

// A transpose and its inverse compose to the identity, which folds away.

// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: bfly.transpose
// CHECK: return %[[X]] : tensor<2x3x4xf32>
func.func @transpose_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = bfly.transpose %x [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = bfly.transpose %0 [2, 0, 1] : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// The inner transpose stays when it has another use.

// CHECK-LABEL: func.func @transpose_compose_shared
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xcomplex<f32>>)
// CHECK-NEXT: %[[T:.*]] = bfly.transpose %[[X]] [1, 0] : tensor<2x3xcomplex<f32>> -> tensor<3x2xcomplex<f32>>
// CHECK-NEXT: return %[[X]], %[[T]] : tensor<2x3xcomplex<f32>>, tensor<3x2xcomplex<f32>>
func.func @transpose_compose_shared(%x: tensor<2x3xcomplex<f32>>) -> (tensor<2x3xcomplex<f32>>, tensor<3x2xcomplex<f32>>) {
  %0 = bfly.transpose %x [1, 0] : tensor<2x3xcomplex<f32>> -> tensor<3x2xcomplex<f32>>
  %1 = bfly.transpose %0 [1, 0] : tensor<3x2xcomplex<f32>> -> tensor<2x3xcomplex<f32>>
  return %1, %0 : tensor<2x3xcomplex<f32>>, tensor<3x2xcomplex<f32>>
}

// -----

// A reshape to the same type folds away.

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NOT: bfly.reshape
// CHECK: return %[[X]] : tensor<2x8xf32>
func.func @reshape_identity(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = bfly.reshape %x : tensor<2x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// A reshape of a reshape reads the original tensor.

// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[R:.*]] = bfly.reshape %[[X]] : tensor<2x8xf32> -> tensor<4x4xf32>
// CHECK-NEXT: return %[[R]] : tensor<4x4xf32>
func.func @reshape_reshape(%x: tensor<2x8xf32>) -> tensor<4x4xf32> {
  %0 = bfly.reshape %x : tensor<2x8xf32> -> tensor<16xf32>
  %1 = bfly.reshape %0 : tensor<16xf32> -> tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// A chain of reshapes back to the input type disappears entirely.

// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xcomplex<f32>>)
// CHECK-NOT: bfly.reshape
// CHECK: return %[[X]] : tensor<2x8xcomplex<f32>>
func.func @reshape_round_trip(%x: tensor<2x8xcomplex<f32>>) -> tensor<2x8xcomplex<f32>> {
  %0 = bfly.reshape %x : tensor<2x8xcomplex<f32>> -> tensor<16xcomplex<f32>>
  %1 = bfly.reshape %0 : tensor<16xcomplex<f32>> -> tensor<4x4xcomplex<f32>>
  %2 = bfly.reshape %1 : tensor<4x4xcomplex<f32>> -> tensor<2x8xcomplex<f32>>
  return %2 : tensor<2x8xcomplex<f32>>
}

// -----

// Scaling by one folds away; scaling by two does not.

// CHECK-LABEL: func.func @scale_by_one
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NOT: bfly.scale
// CHECK: return %[[X]] : tensor<4x8xf32>
func.func @scale_by_one(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = bfly.scale %x by 1.0 : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @scale_by_two
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[S:.*]] = bfly.scale %[[X]] by 2.000000e+00 : tensor<4x8xf32>
// CHECK-NEXT: return %[[S]] : tensor<4x8xf32>
func.func @scale_by_two(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = bfly.scale %x by 2.0 : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// relu is idempotent.

// CHECK-LABEL: func.func @relu_relu
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[R:.*]] = bfly.relu %[[X]] : tensor<4x8xf32>
// CHECK-NEXT: return %[[R]] : tensor<4x8xf32>
func.func @relu_relu(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = bfly.relu %x : tensor<4x8xf32>
  %1 = bfly.relu %0 : tensor<4x8xf32>
  %2 = bfly.relu %1 : tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// The real part of a complex tensor built from a real one is that tensor.

// CHECK-LABEL: func.func @real_of_to_complex
// CHECK-SAME: (%[[X:.*]]: tensor<4x16xf32>)
// CHECK-NOT: bfly.
// CHECK: return %[[X]] : tensor<4x16xf32>
func.func @real_of_to_complex(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = bfly.to_complex %x : tensor<4x16xf32>
  %1 = bfly.real %0 : tensor<4x16xcomplex<f32>>
  return %1 : tensor<4x16xf32>
}

// CHECK-LABEL: func.func @real_of_to_complex_imag
// CHECK-SAME: (%[[RE:[^:]*]]: tensor<4x16xf32>, %[[IM:[^:]*]]: tensor<4x16xf32>)
// CHECK-NOT: bfly.
// CHECK: return %[[RE]] : tensor<4x16xf32>
func.func @real_of_to_complex_imag(%re: tensor<4x16xf32>, %im: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = bfly.to_complex %re, %im : tensor<4x16xf32>, tensor<4x16xf32>
  %1 = bfly.real %0 : tensor<4x16xcomplex<f32>>
  return %1 : tensor<4x16xf32>
}

// The real part of any other complex tensor stays.

// CHECK-LABEL: func.func @real_of_fft
// CHECK-SAME: (%[[Z:.*]]: tensor<16xcomplex<f32>>)
// CHECK-NEXT: %[[F:.*]] = bfly.fft %[[Z]] dim 0 : tensor<16xcomplex<f32>>
// CHECK-NEXT: %[[R:.*]] = bfly.real %[[F]] : tensor<16xcomplex<f32>>
// CHECK-NEXT: return %[[R]] : tensor<16xf32>
func.func @real_of_fft(%z: tensor<16xcomplex<f32>>) -> tensor<16xf32> {
  %0 = bfly.fft %z dim 0 : tensor<16xcomplex<f32>>
  %1 = bfly.real %0 : tensor<16xcomplex<f32>>
  return %1 : tensor<16xf32>
}

// -----

// fft(ifft(x)) and ifft(fft(x)) along the same dimension cancel.

// CHECK-LABEL: func.func @fft_of_ifft
// CHECK-SAME: (%[[X:.*]]: tensor<4x256xcomplex<f32>>)
// CHECK-NOT: fft
// CHECK: return %[[X]] : tensor<4x256xcomplex<f32>>
func.func @fft_of_ifft(%x: tensor<4x256xcomplex<f32>>) -> tensor<4x256xcomplex<f32>> {
  %0 = bfly.ifft %x dim 1 : tensor<4x256xcomplex<f32>>
  %1 = bfly.fft %0 dim 1 : tensor<4x256xcomplex<f32>>
  return %1 : tensor<4x256xcomplex<f32>>
}

// CHECK-LABEL: func.func @ifft_of_fft
// CHECK-SAME: (%[[X:.*]]: tensor<4x197xcomplex<f32>>)
// CHECK-NOT: fft
// CHECK: return %[[X]] : tensor<4x197xcomplex<f32>>
func.func @ifft_of_fft(%x: tensor<4x197xcomplex<f32>>) -> tensor<4x197xcomplex<f32>> {
  %0 = bfly.fft %x dim 0 : tensor<4x197xcomplex<f32>>
  %1 = bfly.ifft %0 dim 0 : tensor<4x197xcomplex<f32>>
  return %1 : tensor<4x197xcomplex<f32>>
}

// -----

// Transforms along different dimensions, or two forward transforms, stay.

// CHECK-LABEL: func.func @fft_ifft_different_dims
// CHECK-SAME: (%[[X:.*]]: tensor<4x256xcomplex<f32>>)
// CHECK-NEXT: %[[A:.*]] = bfly.ifft %[[X]] dim 0 : tensor<4x256xcomplex<f32>>
// CHECK-NEXT: %[[B:.*]] = bfly.fft %[[A]] dim 1 : tensor<4x256xcomplex<f32>>
// CHECK-NEXT: return %[[B]] : tensor<4x256xcomplex<f32>>
func.func @fft_ifft_different_dims(%x: tensor<4x256xcomplex<f32>>) -> tensor<4x256xcomplex<f32>> {
  %0 = bfly.ifft %x dim 0 : tensor<4x256xcomplex<f32>>
  %1 = bfly.fft %0 dim 1 : tensor<4x256xcomplex<f32>>
  return %1 : tensor<4x256xcomplex<f32>>
}

// CHECK-LABEL: func.func @ifft_fft_different_dims
// CHECK-SAME: (%[[X:.*]]: tensor<4x256xcomplex<f32>>)
// CHECK-NEXT: %[[A:.*]] = bfly.fft %[[X]] dim 1 : tensor<4x256xcomplex<f32>>
// CHECK-NEXT: %[[B:.*]] = bfly.ifft %[[A]] dim 0 : tensor<4x256xcomplex<f32>>
// CHECK-NEXT: return %[[B]] : tensor<4x256xcomplex<f32>>
func.func @ifft_fft_different_dims(%x: tensor<4x256xcomplex<f32>>) -> tensor<4x256xcomplex<f32>> {
  %0 = bfly.fft %x dim 1 : tensor<4x256xcomplex<f32>>
  %1 = bfly.ifft %0 dim 0 : tensor<4x256xcomplex<f32>>
  return %1 : tensor<4x256xcomplex<f32>>
}

// CHECK-LABEL: func.func @fft_fft
// CHECK-SAME: (%[[X:.*]]: tensor<256xcomplex<f32>>)
// CHECK-NEXT: %[[A:.*]] = bfly.fft %[[X]] dim 0 : tensor<256xcomplex<f32>>
// CHECK-NEXT: %[[B:.*]] = bfly.fft %[[A]] dim 0 : tensor<256xcomplex<f32>>
// CHECK-NEXT: return %[[B]] : tensor<256xcomplex<f32>>
func.func @fft_fft(%x: tensor<256xcomplex<f32>>) -> tensor<256xcomplex<f32>> {
  %0 = bfly.fft %x dim 0 : tensor<256xcomplex<f32>>
  %1 = bfly.fft %0 dim 0 : tensor<256xcomplex<f32>>
  return %1 : tensor<256xcomplex<f32>>
}

// -----

// An identity permutation that refines a dynamic size must not fold: the
// result type differs from the input type.
// CHECK-LABEL: func.func @transpose_identity_refines_type
// CHECK: %[[T:.*]] = bfly.transpose %{{.*}} [0, 1] : tensor<?x4xf32> -> tensor<3x4xf32>
// CHECK: return %[[T]]
func.func @transpose_identity_refines_type(%x: tensor<?x4xf32>) -> tensor<3x4xf32> {
  %0 = bfly.transpose %x [0, 1] : tensor<?x4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Slices and pads that change nothing fold away; others stay.
// CHECK-LABEL: func.func @identity_boxes
// CHECK-NEXT: %[[P:.*]] = bfly.pad %arg0 high [0, 1]
// CHECK-NEXT: %[[S:.*]] = bfly.slice %[[P]] offsets [0, 1]
// CHECK-NEXT: return %arg0, %[[S]]
func.func @identity_boxes(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = bfly.pad %x high [0, 0] : tensor<4x8xf32> -> tensor<4x8xf32>
  %1 = bfly.slice %0 offsets [0, 0] : tensor<4x8xf32> -> tensor<4x8xf32>
  %2 = bfly.pad %1 high [0, 1] : tensor<4x8xf32> -> tensor<4x9xf32>
  %3 = bfly.slice %2 offsets [0, 1] : tensor<4x9xf32> -> tensor<4x8xf32>
  return %1, %3 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Slices and reshapes of constants fold to constants (one factor of constant
// twiddles becomes a plain constant).
// CHECK-LABEL: func.func @constant_boxes
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<{{\[\[}}5.000000e+00, 6.000000e+00], [8.000000e+00, 9.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: %[[Z:.*]] = arith.constant dense<[(3.000000e+00,3.000000e+00), (4.000000e+00,4.000000e+00)]> : tensor<2xcomplex<f32>>
// CHECK-NEXT: return %[[C]], %[[Z]]
func.func @constant_boxes() -> (tensor<2x2xf32>, tensor<2xcomplex<f32>>) {
  %c = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]> : tensor<3x3xf32>
  %s = bfly.slice %c offsets [1, 1] : tensor<3x3xf32> -> tensor<2x2xf32>
  %z = arith.constant dense<[(1.0, 1.0), (2.0, 2.0), (3.0, 3.0), (4.0, 4.0)]> : tensor<4xcomplex<f32>>
  %r = bfly.reshape %z : tensor<4xcomplex<f32>> -> tensor<2x2xcomplex<f32>>
  %t = bfly.slice %r offsets [1, 0] : tensor<2x2xcomplex<f32>> -> tensor<1x2xcomplex<f32>>
  %u = bfly.reshape %t : tensor<1x2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  return %s, %u : tensor<2x2xf32>, tensor<2xcomplex<f32>>
}
