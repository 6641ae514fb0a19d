// Reference interpreter: bfly.transpose and bfly.reshape against NumPy
// (gen_case.py). Exact: rtol = atol = 0.
// RUN: rm -rf %t && mkdir -p %t

// Result dim i is input dim perm[i], as numpy.transpose.
// RUN: %python %S/gen_case.py transpose_rank4 %t/transpose_rank4
// RUN: butterfly-sim --reference %s --entry transpose_rank4 \
// RUN:   --input %t/transpose_rank4/in0.npy \
// RUN:   --output-dir %t/transpose_rank4/out \
// RUN:   --expect %t/transpose_rank4/expected --rtol 0 --atol 0
func.func @transpose_rank4(%x: tensor<2x3x4x5xf32>) -> tensor<4x2x5x3xf32> {
  %0 = bfly.transpose %x [2, 0, 3, 1] : tensor<2x3x4x5xf32> -> tensor<4x2x5x3xf32>
  return %0 : tensor<4x2x5x3xf32>
}

// RUN: %python %S/gen_case.py transpose_complex %t/transpose_complex
// RUN: butterfly-sim --reference %s --entry transpose_complex \
// RUN:   --input %t/transpose_complex/in0.npy \
// RUN:   --output-dir %t/transpose_complex/out \
// RUN:   --expect %t/transpose_complex/expected --rtol 0 --atol 0
func.func @transpose_complex(%z: tensor<3x4x5xcomplex<f32>>) -> tensor<4x5x3xcomplex<f32>> {
  %0 = bfly.transpose %z [1, 2, 0] : tensor<3x4x5xcomplex<f32>> -> tensor<4x5x3xcomplex<f32>>
  return %0 : tensor<4x5x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py reshape %t/reshape
// RUN: butterfly-sim --reference %s --entry reshape \
// RUN:   --input %t/reshape/in0.npy --output-dir %t/reshape/out \
// RUN:   --expect %t/reshape/expected --rtol 0 --atol 0
func.func @reshape(%x: tensor<2x3x4x5xf32>) -> tensor<6x20xf32> {
  %0 = bfly.reshape %x : tensor<2x3x4x5xf32> -> tensor<6x20xf32>
  return %0 : tensor<6x20xf32>
}

// Splitting [B, L, D] into heads [B, H, L, Dh].
// RUN: %python %S/gen_case.py reshape_heads %t/reshape_heads
// RUN: butterfly-sim --reference %s --entry reshape_heads \
// RUN:   --input %t/reshape_heads/in0.npy --output-dir %t/reshape_heads/out \
// RUN:   --expect %t/reshape_heads/expected --rtol 0 --atol 0
func.func @reshape_heads(%x: tensor<2x8x12xf32>) -> tensor<2x3x8x4xf32> {
  %0 = bfly.reshape %x : tensor<2x8x12xf32> -> tensor<2x8x3x4xf32>
  %1 = bfly.transpose %0 [0, 2, 1, 3] : tensor<2x8x3x4xf32> -> tensor<2x3x8x4xf32>
  return %1 : tensor<2x3x8x4xf32>
}
