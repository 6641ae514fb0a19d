// Reference interpreter: bfly.real and bfly.to_complex (gen_case.py).
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py real %t/real
// RUN: butterfly-sim --reference %s --entry real --input %t/real/in0.npy \
// RUN:   --output-dir %t/real/out --expect %t/real/expected --rtol 0 --atol 0
func.func @real(%z: tensor<3x5xcomplex<f32>>) -> tensor<3x5xf32> {
  %0 = bfly.real %z : tensor<3x5xcomplex<f32>>
  return %0 : tensor<3x5xf32>
}

// Without an imaginary part: it is zero.
// RUN: %python %S/gen_case.py to_complex_real %t/to_complex_real
// RUN: butterfly-sim --reference %s --entry to_complex_real \
// RUN:   --input %t/to_complex_real/in0.npy \
// RUN:   --output-dir %t/to_complex_real/out \
// RUN:   --expect %t/to_complex_real/expected --rtol 0 --atol 0
func.func @to_complex_real(%x: tensor<4x6xf32>) -> tensor<4x6xcomplex<f32>> {
  %0 = bfly.to_complex %x : tensor<4x6xf32>
  return %0 : tensor<4x6xcomplex<f32>>
}

// RUN: %python %S/gen_case.py to_complex_imag %t/to_complex_imag
// RUN: butterfly-sim --reference %s --entry to_complex_imag \
// RUN:   --input %t/to_complex_imag/in0.npy \
// RUN:   --input %t/to_complex_imag/in1.npy \
// RUN:   --output-dir %t/to_complex_imag/out \
// RUN:   --expect %t/to_complex_imag/expected --rtol 0 --atol 0
func.func @to_complex_imag(%x: tensor<4x6xf32>, %y: tensor<4x6xf32>)
    -> tensor<4x6xcomplex<f32>> {
  %0 = bfly.to_complex %x, %y : tensor<4x6xf32>, tensor<4x6xf32>
  return %0 : tensor<4x6xcomplex<f32>>
}
