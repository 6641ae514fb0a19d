// Reference interpreter: bfly.softmax along each axis (gen_case.py). The input
// holds values near 100, where exp overflows in f32 unless the maximum is
// subtracted first.
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py softmax_axis0 %t/softmax_axis0
// RUN: butterfly-sim --reference %s --entry softmax_axis0 \
// RUN:   --input %t/softmax_axis0/in0.npy --output-dir %t/softmax_axis0/out \
// RUN:   --expect %t/softmax_axis0/expected --rtol 1e-4 --atol 1e-5
func.func @softmax_axis0(%x: tensor<5x6x7xf32>) -> tensor<5x6x7xf32> {
  %0 = bfly.softmax %x axis 0 : tensor<5x6x7xf32>
  return %0 : tensor<5x6x7xf32>
}

// RUN: %python %S/gen_case.py softmax_axis1 %t/softmax_axis1
// RUN: butterfly-sim --reference %s --entry softmax_axis1 \
// RUN:   --input %t/softmax_axis1/in0.npy --output-dir %t/softmax_axis1/out \
// RUN:   --expect %t/softmax_axis1/expected --rtol 1e-4 --atol 1e-5
func.func @softmax_axis1(%x: tensor<5x6x7xf32>) -> tensor<5x6x7xf32> {
  %0 = bfly.softmax %x axis 1 : tensor<5x6x7xf32>
  return %0 : tensor<5x6x7xf32>
}

// RUN: %python %S/gen_case.py softmax_axis2 %t/softmax_axis2
// RUN: butterfly-sim --reference %s --entry softmax_axis2 \
// RUN:   --input %t/softmax_axis2/in0.npy --output-dir %t/softmax_axis2/out \
// RUN:   --expect %t/softmax_axis2/expected --rtol 1e-4 --atol 1e-5
func.func @softmax_axis2(%x: tensor<5x6x7xf32>) -> tensor<5x6x7xf32> {
  %0 = bfly.softmax %x axis 2 : tensor<5x6x7xf32>
  return %0 : tensor<5x6x7xf32>
}
