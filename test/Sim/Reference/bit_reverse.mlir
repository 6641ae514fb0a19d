// Reference interpreter: bfly.bit_reverse against an explicitly computed
// bit-reversal permutation (gen_case.py). Exact: rtol = atol = 0.
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py bit_reverse_dim0 %t/bit_reverse_dim0
// RUN: butterfly-sim --reference %s --entry bit_reverse_dim0 \
// RUN:   --input %t/bit_reverse_dim0/in0.npy \
// RUN:   --output-dir %t/bit_reverse_dim0/out \
// RUN:   --expect %t/bit_reverse_dim0/expected --rtol 0 --atol 0
func.func @bit_reverse_dim0(%x: tensor<16x3xf32>) -> tensor<16x3xf32> {
  %0 = bfly.bit_reverse %x dim 0 : tensor<16x3xf32>
  return %0 : tensor<16x3xf32>
}

// RUN: %python %S/gen_case.py bit_reverse_dim1 %t/bit_reverse_dim1
// RUN: butterfly-sim --reference %s --entry bit_reverse_dim1 \
// RUN:   --input %t/bit_reverse_dim1/in0.npy \
// RUN:   --output-dir %t/bit_reverse_dim1/out \
// RUN:   --expect %t/bit_reverse_dim1/expected --rtol 0 --atol 0
func.func @bit_reverse_dim1(%z: tensor<2x32x3xcomplex<f32>>) -> tensor<2x32x3xcomplex<f32>> {
  %0 = bfly.bit_reverse %z dim 1 : tensor<2x32x3xcomplex<f32>>
  return %0 : tensor<2x32x3xcomplex<f32>>
}
